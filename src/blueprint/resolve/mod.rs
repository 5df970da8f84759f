//! Compiling a blueprint into the organization IR ([`crate::org::Org`]).
//!
//! [`resolve`] walks a validated blueprint in a fixed order and builds the IR
//! with [`OrgBuilder`]: the OU tree (depth-first, sorted names), the accounts
//! (management first, then by name), the blueprint's own policies and their
//! attachments, the compiled guardrails (one SCP per target), boundaries and
//! ABAC policies, permission sets with their assignments expanded to
//! accounts, workload roles, delegated admin roles, break-glass users and the
//! `tests:`. Every element carries its [`Origin`] (blueprint construct and
//! span). Then the generated documents are checked against AWS's limits again
//! ([`limits`]).
//!
//! The compilation rules live in one module each, as pure functions from small
//! typed parameters to policy documents:
//!
//! | module | construct | seed section |
//! |---|---|---|
//! | [`guardrails`] | region lock, deny leave org, protect audit trail, deny member root, require boundary, tags on create, protect tags | `000_…` "The region-lock gotcha", the deny-list SCP; `002_…` "Step 2 — ABAC" |
//! | [`boundary`] | permissions boundaries | `002_…` "What the boundary must deny" |
//! | [`delegation`] | delegated IAM admin | `002_…` "Step 1 — Safe delegation" |
//! | [`abac`] | the tag-matched policy | `002_…` "Step 2 — ABAC" |
//! | [`trust`] | hardened trust policies, break-glass MFA guard | `000_…` "Conditions that harden a trust policy" |
//! | [`naming`] | generated names | — |
//! | [`merge`] | one SCP per target | `000_…` "Organizations limits" |
//! | [`limits`] | the size and count re-check | the limits tables |
//!
//! ## Diagnostics (LF5xx)
//!
//! | code | severity | meaning |
//! |---|---|---|
//! | LF501 | error | a compiled SCP/RCP is longer than 5,120 characters |
//! | LF502 | error | a compiled managed policy or boundary is longer than 6,144 characters |
//! | LF503 | error | a role's (or permission set's) inline policies exceed 10,240 characters |
//! | LF504 | warning / error | a trust policy exceeds the default 2,048 (warning) or the raised 4,096 characters (error) |
//! | LF505 | error | more than 5 SCPs (or RCPs) on one target after compilation, counting `FullAWSAccess` |
//! | LF506 | error | a group's inline policies exceed 5,120 characters |
//! | LF507 | error | two generated IAM or organization policies would get the same name |
//! | LF510 | error | a reference the compiler cannot resolve (validation normally reports it first) |
//! | LF511 | warning | a guardrail compiles to no statement |
//! | LF512 | error | break-glass users of one group disagree on `require_mfa` |

pub mod abac;
pub mod boundary;
pub mod delegation;
pub mod doc;
pub mod guardrails;
pub mod limits;
pub mod merge;
pub mod naming;
pub mod trust;

/// The LF5xx codes.
pub mod codes {
    pub const LF501: &str = "LF501";
    pub const LF502: &str = "LF502";
    pub const LF503: &str = "LF503";
    pub const LF504: &str = "LF504";
    pub const LF505: &str = "LF505";
    pub const LF506: &str = "LF506";
    pub const LF507: &str = "LF507";
    pub const LF510: &str = "LF510";
    pub const LF511: &str = "LF511";
    pub const LF512: &str = "LF512";
}

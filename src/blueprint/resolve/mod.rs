//! Compiling a blueprint into the organization IR ([`crate::org::Org`]).
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

pub mod abac;
pub mod boundary;
pub mod delegation;
pub mod doc;
pub mod guardrails;
pub mod limits;
pub mod merge;
pub mod naming;
pub mod trust;

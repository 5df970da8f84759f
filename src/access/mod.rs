//! Effective access: what every principal of a compiled organization may do
//! in its account, as sets of catalogue actions — computed without looping
//! over requests, and checked against the per-request engine by a property
//! test (`tests/access_properties.rs`).
//!
//! - [`bitset`]: [`ActionSet`], one bit per catalogue action;
//! - [`statement`]: statements and policies compiled to action sets, with
//!   conditional statements kept apart ([`Conditions`]);
//! - [`matrix`]: gates (SCP levels, RCP levels, identity policies, boundary),
//!   equivalence classes, the [`Matrix`] of (principal, account) →
//!   [`ActionSets`];
//! - [`summary`]: counts by service and access level.
//!
//! ```no_run
//! # fn demo(org: &landform::org::Org) {
//! let matrix = landform::access::compute(org);
//! for (principal, account, sets) in matrix.entries() {
//!     let _ = (principal, account, sets.allowed().count(), sets.conditional().count());
//! }
//! # }
//! ```

pub mod bitset;
pub mod matrix;
pub mod statement;
pub mod summary;

pub use bitset::ActionSet;
pub use matrix::{
    ActionSets, Denial, Entry, Gate, GateKind, Matrix, Options, Status, compute, compute_with,
    threads,
};
pub use statement::Conditions;

//! landform: validate an AWS organization blueprint against an offline IAM
//! evaluation engine, then render Terraform and hand-runnable AWS CLI scripts.
//!
//! The pipeline (see `DESIGN.md` in the project notes):
//!
//! ```text
//! blueprint.yaml ──load──▶ blueprint::Blueprint (serde model, spans kept)
//!                ──resolve─▶ org::Org (every concrete policy, attachment, assignment)
//!                ──check───▶ diagnostics (references, limits, lint, engine-backed checks, tests)
//!                ──render──▶ terraform/…  cli/…  reports
//! ```
//!
//! The engine ([`policy`], [`catalog`]) knows nothing about blueprints.

pub mod access;
pub mod blueprint;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod diagnostics;
pub mod diff;
pub mod org;
pub mod policy;
pub mod principals;
pub mod render;
pub mod report;
pub mod util;

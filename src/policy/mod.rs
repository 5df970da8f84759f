//! The IAM policy engine: the policy language ([`ast`]), parsing, wildcard
//! matching, conditions, evaluation with explanations, and containment proofs.
//! It knows nothing about blueprints.

pub mod ast;
pub mod condition;
pub mod eval;
pub mod fxhash;
pub mod json;
pub mod lint;
pub mod parse;
pub mod pattern;
pub mod prove;
pub mod scan;
pub mod simulate;

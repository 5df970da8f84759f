//! (module under construction)
pub mod resolve;

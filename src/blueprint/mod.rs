//! Blueprints: the YAML model of an organization, loaded with spans and validated.

pub mod codes;
pub mod de;
pub mod defaults;
pub mod load;
pub mod model;
pub mod principal;
pub mod resolve;
pub mod schema;
pub mod span;
pub mod tree;
pub mod validate;
pub mod yaml;

pub use load::{LoadFailure, Loaded, load, load_str};
pub use model::*;
pub use span::{NameMap, Sp};
pub use tree::{OrgIndex, Target};
pub use validate::validate;

use crate::diagnostics::{SourceId, Span};

/// A policy document as loaded: the JSON value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedDocument {
    pub value: serde_json::Value,
    pub origin: DocumentOrigin,
}

/// Where a policy document came from.
#[derive(Debug, Clone, PartialEq)]
pub enum DocumentOrigin {
    /// Written inline under `document:`; the span covers the YAML node.
    Inline { span: Span },
    /// Read from a JSON file (its text is in the source map as `source`);
    /// `reference` is the span of the `file:` value in the blueprint.
    File { source: SourceId, reference: Span },
}

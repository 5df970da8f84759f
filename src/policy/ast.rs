//! The IAM policy language as a tree: what a policy document *says*, faithfully,
//! with the byte range of every element in the text it was read from.
//!
//! This is the shared vocabulary of the engine: the parser produces it, the
//! evaluator compiles it, the prover reasons over it and the lint inspects it.
//! It carries no evaluation logic. Ranges are byte offsets into the document's
//! text (a JSON file, or the YAML file an inline document came from); callers
//! that know which file that was turn them into diagnostics.

use std::fmt;

/// A byte range `start..end` in the text a document was parsed from.
/// `TextRange::default()` (0..0) means "not from text" (built in code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }
}

/// A value with the range it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Located<T> {
    pub value: T,
    pub range: TextRange,
}

impl<T> Located<T> {
    pub fn new(value: T, range: TextRange) -> Self {
        Self { value, range }
    }

    /// A value built in code, with no source range.
    pub fn synthetic(value: T) -> Self {
        Self {
            value,
            range: TextRange::default(),
        }
    }
}

/// The two policy language versions AWS accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// `2012-10-17`: the current version; policy variables are substituted.
    V2012_10_17,
    /// `2008-10-17`: the old version; `${…}` is literal text.
    V2008_10_17,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2012_10_17 => "2012-10-17",
            Version::V2008_10_17 => "2008-10-17",
        }
    }
}

/// A whole policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// `None` when the document has no `Version` element (AWS then treats it as
    /// 2008-10-17: policy variables are not substituted).
    pub version: Option<Located<Version>>,
    pub id: Option<Located<String>>,
    pub statements: Vec<Statement>,
    /// Whether `Statement` was written as a single object rather than an array
    /// (kept so printing round-trips).
    pub single_statement: bool,
    pub range: TextRange,
}

impl Policy {
    /// The effective language version (absent means 2008-10-17).
    pub fn effective_version(&self) -> Version {
        self.version
            .as_ref()
            .map_or(Version::V2008_10_17, |v| v.value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Position in the `Statement` array (0-based); used when there is no `Sid`.
    pub index: usize,
    pub sid: Option<Located<String>>,
    pub effect: Located<Effect>,
    /// `Principal` or `NotPrincipal` (resource and trust policies only).
    pub principal: Option<PrincipalBlock>,
    /// `Action` or `NotAction`. Always present in a valid statement.
    pub action: ActionBlock,
    /// `Resource` or `NotResource`. Absent in trust policies (and allowed to be
    /// absent in some resource policies).
    pub resource: Option<ResourceBlock>,
    /// Conditions, in document order; all must hold (AND).
    pub conditions: Vec<Condition>,
    pub range: TextRange,
}

impl Statement {
    /// `Sid` if present, else `#index` — how explanations name a statement.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(s) if !s.value.is_empty() => s.value.clone(),
            _ => format!("#{}", self.index),
        }
    }
}

/// `Action` (`negated == false`) or `NotAction` (`negated == true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionBlock {
    pub negated: bool,
    /// The patterns as written (`s3:Get*`, `*`). Single strings are a one-element list.
    pub items: Vec<Located<String>>,
    /// Whether the element was written as a single string rather than an array.
    pub single: bool,
    pub range: TextRange,
}

/// `Resource` or `NotResource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceBlock {
    pub negated: bool,
    pub items: Vec<Located<String>>,
    pub single: bool,
    pub range: TextRange,
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalBlock {
    pub negated: bool,
    pub spec: PrincipalSpec,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalSpec {
    /// `"Principal": "*"` — everyone, including anonymous.
    Wildcard,
    /// `{"AWS": …, "Service": …, "Federated": …, "CanonicalUser": …}`, in
    /// document order.
    Map(Vec<PrincipalEntry>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalEntry {
    pub kind: PrincipalKind,
    pub values: Vec<Located<String>>,
    pub single: bool,
    pub range: TextRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalKind {
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }
}

/// One `operator: { key: values }` entry of a `Condition` block. A block with
/// several keys under one operator becomes several `Condition`s (all ANDed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: Located<Operator>,
    /// The condition key as written (`aws:PrincipalTag/Project`); keys compare
    /// case-insensitively.
    pub key: Located<String>,
    /// Values as strings (JSON booleans and numbers are kept as their text, as
    /// AWS does). Several values are ORed.
    pub values: Vec<Located<String>>,
    /// Whether the values were written as a single scalar rather than an array.
    pub single: bool,
    pub range: TextRange,
}

/// A parsed condition operator: `ForAnyValue:StringLikeIfExists` is
/// `{ set: Some(ForAnyValue), base: StringLike, if_exists: true }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    pub set: Option<SetQualifier>,
    pub base: OperatorBase,
    pub if_exists: bool,
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(set) = self.set {
            write!(f, "{}:", set.as_str())?;
        }
        f.write_str(self.base.as_str())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

impl SetQualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => "ForAllValues",
            SetQualifier::ForAnyValue => "ForAnyValue",
        }
    }
}

/// Every condition operator AWS defines (without `IfExists` / set qualifiers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OperatorBase {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnNotEquals,
    ArnLike,
    ArnNotLike,
    Null,
}

impl OperatorBase {
    pub const ALL: [OperatorBase; 27] = [
        OperatorBase::StringEquals,
        OperatorBase::StringNotEquals,
        OperatorBase::StringEqualsIgnoreCase,
        OperatorBase::StringNotEqualsIgnoreCase,
        OperatorBase::StringLike,
        OperatorBase::StringNotLike,
        OperatorBase::NumericEquals,
        OperatorBase::NumericNotEquals,
        OperatorBase::NumericLessThan,
        OperatorBase::NumericLessThanEquals,
        OperatorBase::NumericGreaterThan,
        OperatorBase::NumericGreaterThanEquals,
        OperatorBase::DateEquals,
        OperatorBase::DateNotEquals,
        OperatorBase::DateLessThan,
        OperatorBase::DateLessThanEquals,
        OperatorBase::DateGreaterThan,
        OperatorBase::DateGreaterThanEquals,
        OperatorBase::Bool,
        OperatorBase::BinaryEquals,
        OperatorBase::IpAddress,
        OperatorBase::NotIpAddress,
        OperatorBase::ArnEquals,
        OperatorBase::ArnNotEquals,
        OperatorBase::ArnLike,
        OperatorBase::ArnNotLike,
        OperatorBase::Null,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OperatorBase::StringEquals => "StringEquals",
            OperatorBase::StringNotEquals => "StringNotEquals",
            OperatorBase::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            OperatorBase::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            OperatorBase::StringLike => "StringLike",
            OperatorBase::StringNotLike => "StringNotLike",
            OperatorBase::NumericEquals => "NumericEquals",
            OperatorBase::NumericNotEquals => "NumericNotEquals",
            OperatorBase::NumericLessThan => "NumericLessThan",
            OperatorBase::NumericLessThanEquals => "NumericLessThanEquals",
            OperatorBase::NumericGreaterThan => "NumericGreaterThan",
            OperatorBase::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            OperatorBase::DateEquals => "DateEquals",
            OperatorBase::DateNotEquals => "DateNotEquals",
            OperatorBase::DateLessThan => "DateLessThan",
            OperatorBase::DateLessThanEquals => "DateLessThanEquals",
            OperatorBase::DateGreaterThan => "DateGreaterThan",
            OperatorBase::DateGreaterThanEquals => "DateGreaterThanEquals",
            OperatorBase::Bool => "Bool",
            OperatorBase::BinaryEquals => "BinaryEquals",
            OperatorBase::IpAddress => "IpAddress",
            OperatorBase::NotIpAddress => "NotIpAddress",
            OperatorBase::ArnEquals => "ArnEquals",
            OperatorBase::ArnNotEquals => "ArnNotEquals",
            OperatorBase::ArnLike => "ArnLike",
            OperatorBase::ArnNotLike => "ArnNotLike",
            OperatorBase::Null => "Null",
        }
    }

    /// Operators whose meaning is "the key does *not* match"; for these a
    /// missing key evaluates to true.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            OperatorBase::StringNotEquals
                | OperatorBase::StringNotEqualsIgnoreCase
                | OperatorBase::StringNotLike
                | OperatorBase::NumericNotEquals
                | OperatorBase::DateNotEquals
                | OperatorBase::NotIpAddress
                | OperatorBase::ArnNotEquals
                | OperatorBase::ArnNotLike
        )
    }

    /// The operator family: which value type it compares.
    pub fn family(self) -> OperatorFamily {
        use OperatorBase as O;
        match self {
            O::StringEquals
            | O::StringNotEquals
            | O::StringEqualsIgnoreCase
            | O::StringNotEqualsIgnoreCase
            | O::StringLike
            | O::StringNotLike => OperatorFamily::String,
            O::NumericEquals
            | O::NumericNotEquals
            | O::NumericLessThan
            | O::NumericLessThanEquals
            | O::NumericGreaterThan
            | O::NumericGreaterThanEquals => OperatorFamily::Numeric,
            O::DateEquals
            | O::DateNotEquals
            | O::DateLessThan
            | O::DateLessThanEquals
            | O::DateGreaterThan
            | O::DateGreaterThanEquals => OperatorFamily::Date,
            O::Bool => OperatorFamily::Bool,
            O::BinaryEquals => OperatorFamily::Binary,
            O::IpAddress | O::NotIpAddress => OperatorFamily::Ip,
            O::ArnEquals | O::ArnNotEquals | O::ArnLike | O::ArnNotLike => OperatorFamily::Arn,
            O::Null => OperatorFamily::Null,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

impl std::str::FromStr for Operator {
    type Err = ();

    /// Parses `ForAnyValue:StringLikeIfExists` and friends. Operator names are
    /// case-sensitive in AWS; qualifiers too.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (set, rest) = if let Some(r) = s.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else if let Some(r) = s.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else {
            (None, s)
        };
        let (rest, if_exists) = match rest.strip_suffix("IfExists") {
            Some(r) => (r, true),
            None => (rest, false),
        };
        let base = OperatorBase::ALL
            .into_iter()
            .find(|b| b.as_str() == rest)
            .ok_or(())?;
        // `NullIfExists` is not an operator
        if base == OperatorBase::Null && if_exists {
            return Err(());
        }
        Ok(Operator {
            set,
            base,
            if_exists,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse_with_qualifiers() {
        let op: Operator = "ForAnyValue:StringLikeIfExists".parse().unwrap();
        assert_eq!(op.set, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, OperatorBase::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.to_string(), "ForAnyValue:StringLikeIfExists");
        assert!("stringequals".parse::<Operator>().is_err());
        assert!("NullIfExists".parse::<Operator>().is_err());
        for b in OperatorBase::ALL {
            let op: Operator = b.as_str().parse().unwrap();
            assert_eq!(op.base, b);
        }
    }

    #[test]
    fn missing_version_means_2008() {
        let p = Policy {
            version: None,
            id: None,
            statements: vec![],
            single_statement: false,
            range: TextRange::default(),
        };
        assert_eq!(p.effective_version(), Version::V2008_10_17);
    }
}

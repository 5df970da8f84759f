//! Policy documents → [`Policy`], with every problem AWS's own policy
//! parser would reject, each naming the element and where it is.
//!
//! Entry points:
//! - [`parse_policy`]: JSON text → policy (errors carry line and column);
//! - [`policy_from_tree`]: a spanned [`json::Node`] built by anyone (the JSON
//!   reader, or a YAML loader with YAML offsets) → policy;
//! - [`policy_from_json_value`]: a `serde_json::Value` built in code → policy;
//! - [`to_json_value`]: the printer (parse → print → parse gives the same AST,
//!   ranges aside).
//!
//! The parser judges grammar only. Whether a `Principal` belongs in this kind
//! of policy, whether an action exists, whether a condition key is known: those
//! are questions for the evaluator and the lint, which know the context.

use std::fmt;

use super::ast::{
    ActionBlock, Condition, Effect, Located, Operator, OperatorBase, Policy, PrincipalBlock,
    PrincipalEntry, PrincipalKind, PrincipalSpec, ResourceBlock, SetQualifier, Statement,
    TextRange, Version,
};
use super::json::{self, Member, Node, Value};
use crate::util::suggest;

/// One reason a document is not a valid policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The element, as a path: `Statement[1].Effect`, `Statement[0].Condition.StringEqual`.
    pub path: String,
    /// What is wrong, lowercase, no final period, user input in backticks.
    pub message: String,
    /// How to fix it, when there is an obvious fix.
    pub help: Option<String>,
    /// Byte range in the text the tree was read from (0..0 when built in code).
    pub range: TextRange,
    /// 1-based line and column, when the text is known.
    pub line_col: Option<(usize, usize)>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, col)) = self.line_col {
            write!(f, "line {line}, column {col}: ")?;
        }
        if self.path.is_empty() {
            f.write_str(&self.message)?;
        } else {
            write!(f, "`{}`: {}", self.path, self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Every problem found in one document (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyErrors {
    pub errors: Vec<PolicyError>,
}

impl PolicyErrors {
    fn one(e: PolicyError) -> Self {
        Self { errors: vec![e] }
    }

    /// Fills in line and column from the text the ranges point into.
    pub fn locate(&mut self, text: &str) {
        for e in &mut self.errors {
            if e.range != TextRange::default() || e.line_col.is_none() {
                e.line_col = Some(json::line_col(text, e.range.start as usize));
            }
        }
    }
}

impl fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyErrors {}

/// Something the parser accepted that AWS would not accept in a real policy
/// (kept so the lint can report it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyWarning {
    pub kind: WarningKind,
    pub path: String,
    pub message: String,
    pub range: TextRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarningKind {
    /// `"Principal": "arn:…"`, read as `{"AWS": "arn:…"}`. AWS accepts only
    /// `"*"` as a bare string.
    BarePrincipalString,
}

/// A parsed policy and the warnings about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub policy: Policy,
    pub warnings: Vec<PolicyWarning>,
}

/// Parses a policy document from JSON text.
pub fn parse_policy(text: &str) -> Result<Policy, PolicyErrors> {
    parse_policy_with_warnings(text).map(|p| p.policy)
}

/// Parses a policy document from JSON text, keeping the warnings.
pub fn parse_policy_with_warnings(text: &str) -> Result<Parsed, PolicyErrors> {
    let tree = json::parse(text).map_err(|e| {
        PolicyErrors::one(PolicyError {
            path: String::new(),
            message: format!("not valid JSON: {}", e.message),
            help: None,
            range: TextRange::new(e.offset, e.offset),
            line_col: Some((e.line, e.column)),
        })
    })?;
    policy_from_tree_with_warnings(&tree).map_err(|mut e| {
        e.locate(text);
        e
    })
}

/// Reads a policy from a spanned tree (ranges are copied into the AST).
pub fn policy_from_tree(tree: &Node) -> Result<Policy, PolicyErrors> {
    policy_from_tree_with_warnings(tree).map(|p| p.policy)
}

/// Reads a policy from a spanned tree, keeping the warnings.
pub fn policy_from_tree_with_warnings(tree: &Node) -> Result<Parsed, PolicyErrors> {
    let mut cx = Cx::default();
    let policy = cx.policy(tree);
    match policy {
        Some(policy) if cx.errors.is_empty() => Ok(Parsed {
            policy,
            warnings: cx.warnings,
        }),
        _ => {
            if cx.errors.is_empty() {
                cx.error("", "not a valid policy", None, tree.range);
            }
            // document order (a stable sort keeps traversal order for trees built in code)
            cx.errors.sort_by_key(|e| e.range.start);
            Err(PolicyErrors { errors: cx.errors })
        }
    }
}

/// Reads a policy from a `serde_json::Value` (no source ranges).
pub fn policy_from_json_value(value: &serde_json::Value) -> Result<Policy, PolicyErrors> {
    policy_from_tree(&Node::from_serde(value))
}

const TOP_KEYS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_KEYS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_KEYS: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

#[derive(Default)]
struct Cx {
    errors: Vec<PolicyError>,
    warnings: Vec<PolicyWarning>,
}

impl Cx {
    fn error(
        &mut self,
        path: &str,
        message: impl Into<String>,
        help: Option<String>,
        range: TextRange,
    ) {
        self.errors.push(PolicyError {
            path: path.to_string(),
            message: message.into(),
            help,
            range,
            line_col: None,
        });
    }

    fn type_error(&mut self, path: &str, expected: &str, node: &Node) {
        self.error(
            path,
            format!("expected {expected}, found {}", node.kind_name()),
            None,
            node.range,
        );
    }

    /// Checks an object's keys against the allowed names: unknown keys (with a
    /// suggestion) and duplicates are errors. Returns the first member per key.
    fn check_keys<'a>(
        &mut self,
        path: &str,
        members: &'a [Member],
        allowed: &[&str],
        what: &str,
    ) -> Vec<(&'a str, &'a Member)> {
        let mut seen: Vec<(&'a str, &'a Member)> = Vec::new();
        for m in members {
            let child = join(path, &m.key);
            if !allowed.contains(&m.key.as_str()) {
                let help = suggest::did_you_mean(&m.key, allowed.iter().copied());
                self.error(
                    &child,
                    format!(
                        "unknown {what} element `{}`; AWS rejects the policy (allowed: {})",
                        m.key,
                        allowed.join(", ")
                    ),
                    help,
                    m.key_range,
                );
                continue;
            }
            if seen.iter().any(|(k, _)| *k == m.key) {
                self.error(
                    &child,
                    format!(
                        "duplicate `{}` element; AWS rejects a policy that repeats an element (JSON readers would silently keep only one)",
                        m.key
                    ),
                    Some(format!("merge the `{}` elements into one", m.key)),
                    m.key_range,
                );
                continue;
            }
            seen.push((m.key.as_str(), m));
        }
        seen
    }

    fn policy(&mut self, tree: &Node) -> Option<Policy> {
        let Value::Object(members) = &tree.value else {
            self.error(
                "",
                format!("a policy must be a JSON object, found {}", tree.kind_name()),
                None,
                tree.range,
            );
            return None;
        };
        let keys = self.check_keys("", members, &TOP_KEYS, "policy");
        let get = |k: &str| keys.iter().find(|(key, _)| *key == k).map(|(_, m)| *m);

        let version = get("Version").and_then(|m| self.version(m));
        let id = get("Id").and_then(|m| {
            self.string("Id", &m.value)
                .map(|s| Located::new(s, m.value.range))
        });
        let (statements, single_statement) = match get("Statement") {
            None => {
                self.error(
                    "",
                    "missing `Statement` element; AWS requires at least one statement",
                    None,
                    tree.range,
                );
                (Vec::new(), false)
            }
            Some(m) => match &m.value.value {
                Value::Object(_) => (
                    self.statement("Statement", &m.value, 0)
                        .into_iter()
                        .collect(),
                    true,
                ),
                Value::Array(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        let path = format!("Statement[{i}]");
                        if let Some(s) = self.statement(&path, item, i) {
                            out.push(s);
                        }
                    }
                    (out, false)
                }
                _ => {
                    self.type_error("Statement", "an object or an array of objects", &m.value);
                    (Vec::new(), false)
                }
            },
        };
        Some(Policy {
            version,
            id,
            statements,
            single_statement,
            range: tree.range,
        })
    }

    fn version(&mut self, m: &Member) -> Option<Located<Version>> {
        let s = self.string("Version", &m.value)?;
        match s.as_str() {
            "2012-10-17" => Some(Located::new(Version::V2012_10_17, m.value.range)),
            "2008-10-17" => Some(Located::new(Version::V2008_10_17, m.value.range)),
            other => {
                self.error(
                    "Version",
                    format!(
                        "`{other}` is not a policy language version; AWS accepts only `2012-10-17` and `2008-10-17`"
                    ),
                    Some("use `2012-10-17`".into()),
                    m.value.range,
                );
                None
            }
        }
    }

    fn string(&mut self, path: &str, node: &Node) -> Option<String> {
        match &node.value {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.type_error(path, "a string", node);
                None
            }
        }
    }

    fn statement(&mut self, path: &str, node: &Node, index: usize) -> Option<Statement> {
        let Value::Object(members) = &node.value else {
            self.type_error(path, "a statement object", node);
            return None;
        };
        let errors_before = self.errors.len();
        let keys = self.check_keys(path, members, &STATEMENT_KEYS, "statement");
        let get = |k: &str| keys.iter().find(|(key, _)| *key == k).map(|(_, m)| *m);

        let sid = get("Sid").and_then(|m| {
            self.string(&join(path, "Sid"), &m.value)
                .map(|s| Located::new(s, m.value.range))
        });

        let effect = match get("Effect") {
            None => {
                self.error(
                    path,
                    "missing `Effect`; every statement needs `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`",
                    None,
                    node.range,
                );
                None
            }
            Some(m) => self.effect(&join(path, "Effect"), &m.value),
        };

        let principal = self
            .pair(path, get("Principal"), get("NotPrincipal"), "Principal")
            .and_then(|(m, negated)| self.principal(path, m, negated));

        let action = match self.pair(path, get("Action"), get("NotAction"), "Action") {
            None => {
                if get("Action").is_none() && get("NotAction").is_none() {
                    self.error(
                        path,
                        "missing `Action` or `NotAction`; AWS requires one of them in every statement",
                        None,
                        node.range,
                    );
                }
                None
            }
            Some((m, negated)) => {
                let key = if negated { "NotAction" } else { "Action" };
                let child = join(path, key);
                self.string_list(&child, &m.value, "action").map(|(items, single)| {
                    for it in &items {
                        if it.value != "*" && !it.value.contains(':') {
                            self.error(
                                &child,
                                format!(
                                    "action `{}` has no service prefix; AWS requires `service:action` (for example `s3:GetObject`) or `*`",
                                    it.value
                                ),
                                None,
                                it.range,
                            );
                        }
                    }
                    ActionBlock {
                        negated,
                        items,
                        single,
                        range: m.value.range,
                    }
                })
            }
        };

        let resource = self
            .pair(path, get("Resource"), get("NotResource"), "Resource")
            .and_then(|(m, negated)| {
                let key = if negated { "NotResource" } else { "Resource" };
                let child = join(path, key);
                self.string_list(&child, &m.value, "resource")
                    .map(|(items, single)| {
                        for it in &items {
                            if let Some(problem) = resource_problem(&it.value) {
                                self.error(&child, problem, None, it.range);
                            }
                        }
                        ResourceBlock {
                            negated,
                            items,
                            single,
                            range: m.value.range,
                        }
                    })
            });

        let conditions = match get("Condition") {
            None => Vec::new(),
            Some(m) => self.conditions(&join(path, "Condition"), &m.value),
        };

        if self.errors.len() > errors_before {
            return None;
        }
        Some(Statement {
            index,
            sid,
            effect: effect?,
            principal,
            action: action?,
            resource,
            conditions,
            range: node.range,
        })
    }

    /// `X` / `NotX`: at most one of the two. Returns the member and whether it
    /// is the negated form.
    fn pair<'a>(
        &mut self,
        path: &str,
        plain: Option<&'a Member>,
        negated: Option<&'a Member>,
        name: &str,
    ) -> Option<(&'a Member, bool)> {
        match (plain, negated) {
            (Some(_), Some(n)) => {
                self.error(
                    path,
                    format!(
                        "a statement cannot have both `{name}` and `Not{name}`; AWS rejects it"
                    ),
                    Some(format!("keep either `{name}` or `Not{name}`")),
                    n.key_range,
                );
                None
            }
            (Some(p), None) => Some((p, false)),
            (None, Some(n)) => Some((n, true)),
            (None, None) => None,
        }
    }

    fn effect(&mut self, path: &str, node: &Node) -> Option<Located<Effect>> {
        let s = self.string(path, node)?;
        match s.as_str() {
            "Allow" => Some(Located::new(Effect::Allow, node.range)),
            "Deny" => Some(Located::new(Effect::Deny, node.range)),
            other => {
                let help = if other.eq_ignore_ascii_case("allow") {
                    Some("write `Allow`".to_string())
                } else if other.eq_ignore_ascii_case("deny") {
                    Some("write `Deny`".to_string())
                } else {
                    None
                };
                let why = if help.is_some() {
                    "; `Effect` is case-sensitive and AWS rejects any other spelling"
                } else {
                    ""
                };
                self.error(
                    path,
                    format!("`{other}` is not an effect: use `Allow` or `Deny`{why}"),
                    help,
                    node.range,
                );
                None
            }
        }
    }

    /// A string or a non-empty array of strings.
    fn string_list(
        &mut self,
        path: &str,
        node: &Node,
        what: &str,
    ) -> Option<(Vec<Located<String>>, bool)> {
        match &node.value {
            Value::String(s) => Some((vec![Located::new(s.clone(), node.range)], true)),
            Value::Array(items) => {
                if items.is_empty() {
                    self.error(
                        path,
                        format!("empty list; AWS requires at least one {what}"),
                        None,
                        node.range,
                    );
                    return None;
                }
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match &item.value {
                        Value::String(s) => out.push(Located::new(s.clone(), item.range)),
                        _ => {
                            self.type_error(
                                &format!("{path}[{i}]"),
                                &format!("a string ({what})"),
                                item,
                            );
                            ok = false;
                        }
                    }
                }
                ok.then_some((out, false))
            }
            _ => {
                self.type_error(
                    path,
                    &format!("a string or an array of strings ({what})"),
                    node,
                );
                None
            }
        }
    }

    fn principal(&mut self, path: &str, m: &Member, negated: bool) -> Option<PrincipalBlock> {
        let key = if negated { "NotPrincipal" } else { "Principal" };
        let child = join(path, key);
        let node = &m.value;
        let spec = match &node.value {
            Value::String(s) if s == "*" => PrincipalSpec::Wildcard,
            Value::String(s) => {
                self.warnings.push(PolicyWarning {
                    kind: WarningKind::BarePrincipalString,
                    path: child.clone(),
                    message: format!(
                        "`\"{key}\": \"{s}\"` is read as `{{\"AWS\": \"{s}\"}}`, but AWS accepts only `\"*\"` as a bare string and rejects this policy"
                    ),
                    range: node.range,
                });
                self.check_principal_value(&child, PrincipalKind::Aws, s, node.range);
                PrincipalSpec::Map(vec![PrincipalEntry {
                    kind: PrincipalKind::Aws,
                    values: vec![Located::new(s.clone(), node.range)],
                    single: true,
                    range: node.range,
                }])
            }
            Value::Object(members) => {
                if members.is_empty() {
                    self.error(
                        &child,
                        "empty principal; name at least one of `AWS`, `Service`, `Federated`, `CanonicalUser`",
                        None,
                        node.range,
                    );
                    return None;
                }
                let keys = self.check_keys(&child, members, &PRINCIPAL_KEYS, "principal");
                let mut entries = Vec::new();
                for (k, pm) in keys {
                    let kind = match k {
                        "AWS" => PrincipalKind::Aws,
                        "Service" => PrincipalKind::Service,
                        "Federated" => PrincipalKind::Federated,
                        _ => PrincipalKind::CanonicalUser,
                    };
                    let kpath = join(&child, k);
                    if let Some((values, single)) = self.string_list(&kpath, &pm.value, "principal")
                    {
                        for v in &values {
                            self.check_principal_value(&kpath, kind, &v.value, v.range);
                        }
                        entries.push(PrincipalEntry {
                            kind,
                            values,
                            single,
                            range: TextRange::new(
                                pm.key_range.start as usize,
                                pm.value.range.end as usize,
                            ),
                        });
                    }
                }
                PrincipalSpec::Map(entries)
            }
            _ => {
                self.type_error(&child, "`\"*\"` or an object such as `{\"AWS\": …}`", node);
                return None;
            }
        };
        Some(PrincipalBlock {
            negated,
            spec,
            range: node.range,
        })
    }

    fn check_principal_value(
        &mut self,
        path: &str,
        kind: PrincipalKind,
        v: &str,
        range: TextRange,
    ) {
        if kind != PrincipalKind::Aws || v == "*" {
            return;
        }
        let is_account = v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit());
        if is_account {
            return;
        }
        if v.starts_with("arn:") {
            if v.split(':').count() < 6 {
                self.error(
                    path,
                    format!(
                        "`{v}` is not a valid ARN (expected `arn:partition:service:region:account:resource`)"
                    ),
                    None,
                    range,
                );
            }
            return;
        }
        self.error(
            path,
            format!("`{v}` is not a valid AWS principal; use an ARN, a 12-digit account ID or `*`"),
            None,
            range,
        );
    }

    fn conditions(&mut self, path: &str, node: &Node) -> Vec<Condition> {
        let Value::Object(ops) = &node.value else {
            self.type_error(path, "an object of `operator: { key: value }`", node);
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut seen_ops: Vec<&str> = Vec::new();
        for om in ops {
            let op_path = join(path, &om.key);
            if seen_ops.contains(&om.key.as_str()) {
                self.error(
                    &op_path,
                    format!(
                        "duplicate condition operator `{}`; JSON readers keep only one of them, so AWS rejects it",
                        om.key
                    ),
                    Some("put all keys for this operator in one block".into()),
                    om.key_range,
                );
                continue;
            }
            seen_ops.push(&om.key);
            let Ok(op) = om.key.parse::<Operator>() else {
                let help = operator_suggestion(&om.key);
                self.error(
                    &op_path,
                    format!(
                        "unknown condition operator `{}`; AWS rejects the policy",
                        om.key
                    ),
                    help,
                    om.key_range,
                );
                continue;
            };
            let Value::Object(keys) = &om.value.value else {
                self.type_error(&op_path, "an object of `key: value`", &om.value);
                continue;
            };
            if keys.is_empty() {
                self.error(
                    &op_path,
                    "empty condition block; AWS requires at least one condition key",
                    None,
                    om.value.range,
                );
            }
            let mut seen_keys: Vec<&str> = Vec::new();
            for km in keys {
                let key_path = join(&op_path, &km.key);
                if seen_keys.contains(&km.key.as_str()) {
                    self.error(
                        &key_path,
                        format!(
                            "duplicate condition key `{}` under `{}`; JSON readers keep only one of them, so AWS rejects it",
                            km.key, om.key
                        ),
                        Some("list all values for the key in one array".into()),
                        km.key_range,
                    );
                    continue;
                }
                seen_keys.push(&km.key);
                if km.key.is_empty() {
                    self.error(&key_path, "empty condition key", None, km.key_range);
                    continue;
                }
                let Some((values, single)) = self.condition_values(&key_path, &km.value) else {
                    continue;
                };
                out.push(Condition {
                    operator: Located::new(op, om.key_range),
                    key: Located::new(km.key.clone(), km.key_range),
                    values,
                    single,
                    range: TextRange::new(km.key_range.start as usize, km.value.range.end as usize),
                });
            }
        }
        out
    }

    /// A scalar (string, number, boolean) or an array of scalars, kept as text.
    fn condition_values(
        &mut self,
        path: &str,
        node: &Node,
    ) -> Option<(Vec<Located<String>>, bool)> {
        fn scalar(node: &Node) -> Option<String> {
            match &node.value {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.clone()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            }
        }
        match &node.value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match scalar(item) {
                        Some(s) => out.push(Located::new(s, item.range)),
                        None => {
                            self.type_error(
                                &format!("{path}[{i}]"),
                                "a string, number or boolean",
                                item,
                            );
                            ok = false;
                        }
                    }
                }
                ok.then_some((out, false))
            }
            _ => match scalar(node) {
                Some(s) => Some((vec![Located::new(s, node.range)], true)),
                None => {
                    self.type_error(path, "a string, number, boolean or an array of them", node);
                    None
                }
            },
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Why a `Resource` entry is not acceptable to AWS, if it is not.
fn resource_problem(r: &str) -> Option<String> {
    if r == "*" {
        return None;
    }
    if !r.starts_with("arn:") {
        return Some(format!(
            "resource `{r}` is neither `*` nor an ARN; AWS requires `arn:partition:service:region:account:resource`"
        ));
    }
    if r.split(':').count() < 6 {
        return Some(format!(
            "resource `{r}` is not a valid ARN (expected `arn:partition:service:region:account:resource`)"
        ));
    }
    None
}

/// "did you mean" for a misspelt operator: qualifiers and `IfExists` kept.
fn operator_suggestion(written: &str) -> Option<String> {
    let (prefix, rest) = match written.split_once(':') {
        Some((q, r)) => {
            let q_fixed =
                suggest::closest(q, ["ForAllValues", "ForAnyValue"].iter().copied()).unwrap_or(q);
            (format!("{q_fixed}:"), r)
        }
        None => (String::new(), written),
    };
    let (rest, suffix) = match rest.strip_suffix("IfExists") {
        Some(r) => (r, "IfExists"),
        None => (rest, ""),
    };
    let names: Vec<&str> = OperatorBase::ALL.iter().map(|b| b.as_str()).collect();
    let base = suggest::closest(rest, names.iter().copied())?;
    let candidate = format!("{prefix}{base}{suffix}");
    (candidate != written && candidate.parse::<Operator>().is_ok())
        .then(|| format!("did you mean `{candidate}`?"))
}

/// Prints a policy back to JSON. `parse(print(p)) == p` up to ranges; the
/// output is deterministic (document order is kept).
pub fn to_json_value(policy: &Policy) -> serde_json::Value {
    use serde_json::{Map, Value as J};
    let mut top = Map::new();
    if let Some(v) = &policy.version {
        top.insert("Version".into(), J::String(v.value.as_str().into()));
    }
    if let Some(id) = &policy.id {
        top.insert("Id".into(), J::String(id.value.clone()));
    }
    let statements: Vec<J> = policy.statements.iter().map(statement_json).collect();
    let st = if policy.single_statement && statements.len() == 1 {
        statements.into_iter().next().unwrap_or(J::Null)
    } else {
        J::Array(statements)
    };
    top.insert("Statement".into(), st);
    J::Object(top)
}

fn list_json(items: &[Located<String>], single: bool) -> serde_json::Value {
    if single && items.len() == 1 {
        serde_json::Value::String(items[0].value.clone())
    } else {
        serde_json::Value::Array(
            items
                .iter()
                .map(|i| serde_json::Value::String(i.value.clone()))
                .collect(),
        )
    }
}

fn statement_json(s: &Statement) -> serde_json::Value {
    use serde_json::{Map, Value as J};
    let mut m = Map::new();
    if let Some(sid) = &s.sid {
        m.insert("Sid".into(), J::String(sid.value.clone()));
    }
    m.insert("Effect".into(), J::String(s.effect.value.as_str().into()));
    if let Some(p) = &s.principal {
        let key = if p.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        let v = match &p.spec {
            PrincipalSpec::Wildcard => J::String("*".into()),
            PrincipalSpec::Map(entries) => {
                let mut pm = Map::new();
                for e in entries {
                    pm.insert(e.kind.as_str().into(), list_json(&e.values, e.single));
                }
                J::Object(pm)
            }
        };
        m.insert(key.into(), v);
    }
    let akey = if s.action.negated {
        "NotAction"
    } else {
        "Action"
    };
    m.insert(akey.into(), list_json(&s.action.items, s.action.single));
    if let Some(r) = &s.resource {
        let key = if r.negated { "NotResource" } else { "Resource" };
        m.insert(key.into(), list_json(&r.items, r.single));
    }
    if !s.conditions.is_empty() {
        let mut cm: Map<String, J> = Map::new();
        for c in &s.conditions {
            let op = c.operator.value.to_string();
            let entry = cm.entry(op).or_insert_with(|| J::Object(Map::new()));
            if let J::Object(keys) = entry {
                keys.insert(c.key.value.clone(), list_json(&c.values, c.single));
            }
        }
        m.insert("Condition".into(), J::Object(cm));
    }
    J::Object(m)
}

/// All operator spellings (for documentation and suggestions).
pub fn operator_names() -> impl Iterator<Item = String> {
    OperatorBase::ALL.into_iter().flat_map(|b| {
        let base = b.as_str();
        let mut v = vec![base.to_string()];
        if b != OperatorBase::Null {
            v.push(format!("{base}IfExists"));
            for q in [SetQualifier::ForAllValues, SetQualifier::ForAnyValue] {
                v.push(format!("{}:{base}", q.as_str()));
                v.push(format!("{}:{base}IfExists", q.as_str()));
            }
        }
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(text: &str) -> Vec<PolicyError> {
        parse_policy(text).unwrap_err().errors
    }

    fn messages(text: &str) -> String {
        errs(text)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn parses_a_full_policy() {
        let text = r#"{
  "Version": "2012-10-17",
  "Id": "p1",
  "Statement": [
    {"Sid": "A", "Effect": "Allow", "Action": ["s3:GetObject", "s3:List*"],
     "Resource": "arn:aws:s3:::b/*",
     "Condition": {"StringEquals": {"aws:PrincipalTag/Team": ["a", "b"]}, "Bool": {"aws:SecureTransport": true}}},
    {"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["arn:aws:iam::*:role/x"],
     "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "444455556666"], "Service": "ec2.amazonaws.com"}}
  ]
}"#;
        let p = parse_policy(text).unwrap();
        assert_eq!(p.version.as_ref().unwrap().value, Version::V2012_10_17);
        assert_eq!(p.id.as_ref().unwrap().value, "p1");
        assert_eq!(p.statements.len(), 2);
        let s0 = &p.statements[0];
        assert_eq!(s0.label(), "A");
        assert_eq!(s0.action.items.len(), 2);
        assert!(!s0.action.single);
        assert_eq!(s0.conditions.len(), 2);
        assert_eq!(s0.conditions[1].values[0].value, "true");
        let r = s0.conditions[0].key.range;
        assert_eq!(
            &text[r.start as usize..r.end as usize],
            "\"aws:PrincipalTag/Team\""
        );
        let s1 = &p.statements[1];
        assert_eq!(s1.label(), "#1");
        assert!(s1.action.negated && s1.action.single);
        assert!(s1.resource.as_ref().unwrap().negated);
        let PrincipalSpec::Map(entries) = &s1.principal.as_ref().unwrap().spec else {
            panic!()
        };
        assert_eq!(entries[0].kind, PrincipalKind::Aws);
        assert_eq!(entries[0].values.len(), 2);
        assert_eq!(entries[1].kind, PrincipalKind::Service);
    }

    #[test]
    fn single_statement_object_and_missing_version() {
        let p =
            parse_policy(r#"{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}"#)
                .unwrap();
        assert!(p.single_statement);
        assert!(p.version.is_none());
        assert_eq!(p.effective_version(), Version::V2008_10_17);
    }

    #[test]
    fn lowercase_effect_names_the_field_and_the_fix() {
        let e = errs(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}"#,
        );
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path, "Statement[0].Effect");
        assert!(
            e[0].message.contains("`allow` is not an effect"),
            "{}",
            e[0].message
        );
        assert!(e[0].message.contains("case-sensitive"));
        assert_eq!(e[0].help.as_deref(), Some("write `Allow`"));
        assert_eq!(e[0].line_col, Some((1, 48)));
    }

    #[test]
    fn collects_every_error() {
        let text = r#"{
  "Version": "2012-10-18",
  "Statment": [],
  "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "NotAction": "iam:*", "Resource": "*"},
    {"Effect": "Permit", "Resource": "bucket"},
    {"Effect": "Deny", "Action": 5, "Resource": "*", "Condition": {"StringEqual": {"k": "v"}}},
    {"Effect": "Deny", "Action": "*", "Resource": "*", "Principal": {"AWS": "bob"}, "Conditon": {}}
  ]
}"#;
        let all = messages(text);
        for needle in [
            "`Version`: `2012-10-18` is not a policy language version",
            "`Statment`: unknown policy element `Statment`",
            "did you mean `Statement`?",
            "cannot have both `Action` and `NotAction`",
            "`Permit` is not an effect",
            "missing `Action` or `NotAction`",
            "resource `bucket` is neither `*` nor an ARN",
            "`Statement[2].Action`: expected a string or an array of strings (action), found a number",
            "unknown condition operator `StringEqual`",
            "did you mean `StringEquals`?",
            "`bob` is not a valid AWS principal",
            "unknown statement element `Conditon`",
            "did you mean `Condition`?",
        ] {
            assert!(all.contains(needle), "missing {needle:?} in:\n{all}");
        }
        assert_eq!(errs(text).len(), 10, "{all}");
    }

    #[test]
    fn operator_suggestions_keep_qualifiers() {
        assert_eq!(
            operator_suggestion("ForAnyValue:StrngLikeIfExists").as_deref(),
            Some("did you mean `ForAnyValue:StringLikeIfExists`?")
        );
        assert_eq!(
            operator_suggestion("ForAllValue:StringEquals").as_deref(),
            Some("did you mean `ForAllValues:StringEquals`?")
        );
        assert_eq!(
            operator_suggestion("stringequalsIfExists").as_deref(),
            Some("did you mean `StringEqualsIfExists`?")
        );
    }

    #[test]
    fn duplicates_are_errors() {
        let all = messages(
            r#"{"Statement":[{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*",
               "Condition":{"StringEquals":{"a":"1","a":"2"}}}]}"#,
        );
        assert!(all.contains("duplicate `Effect` element"), "{all}");
        assert!(all.contains("duplicate condition key `a`"), "{all}");
    }

    #[test]
    fn bare_principal_string_is_read_as_aws_with_a_warning() {
        let parsed = parse_policy_with_warnings(
            r#"{"Statement":{"Effect":"Allow","Principal":"arn:aws:iam::123456789012:role/r","Action":"sts:AssumeRole"}}"#,
        )
        .unwrap();
        let PrincipalSpec::Map(e) = &parsed.policy.statements[0].principal.as_ref().unwrap().spec
        else {
            panic!()
        };
        assert_eq!(e[0].kind, PrincipalKind::Aws);
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(parsed.warnings[0].kind, WarningKind::BarePrincipalString);
        // "*" is the one bare string AWS accepts
        let parsed = parse_policy_with_warnings(
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}"#,
        )
        .unwrap();
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn wrong_shapes_never_panic() {
        for text in [
            "[]",
            "null",
            "\"x\"",
            "{}",
            r#"{"Statement": 1}"#,
            r#"{"Statement": [1, "x", null]}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": [], "Resource": []}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": [1], "Condition": []}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"Null": []}}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"Null": {"k": {}}}}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": {}}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": {"Aws": "*"}}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": 3}}"#,
            r#"{"Version": 2012, "Statement": []}"#,
        ] {
            assert!(parse_policy(text).is_err(), "accepted {text}");
        }
    }

    #[test]
    fn not_json_is_reported_with_location() {
        let e = errs("{\"Version\": \"2012-10-17\",\n \"Statement\": [}");
        assert_eq!(e.len(), 1);
        assert!(
            e[0].message.starts_with("not valid JSON"),
            "{}",
            e[0].message
        );
        assert_eq!(e[0].line_col, Some((2, 16)));
    }

    #[test]
    fn prints_and_reparses() {
        let text = r#"{"Version":"2008-10-17","Id":"x","Statement":{"Sid":"s","Effect":"Allow",
          "NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["a:b"],
          "Resource":"*","Condition":{"NumericLessThan":{"k":1.50},"ForAnyValue:StringLike":{"t":["a*"]}}}}"#;
        let p = parse_policy(text).unwrap();
        let printed = to_json_value(&p);
        let q = policy_from_json_value(&printed).unwrap();
        assert_eq!(printed, to_json_value(&q));
        assert_eq!(q.statements[0].conditions[0].values[0].value, "1.50");
        assert!(q.single_statement);
    }

    #[test]
    fn operator_names_all_parse() {
        let names: Vec<String> = operator_names().collect();
        assert_eq!(names.len(), 26 * 6 + 1);
        for n in names {
            assert!(n.parse::<Operator>().is_ok(), "{n}");
        }
    }
}

//! The blueprint's JSON Schema (generated from the model) and structural
//! validation of a YAML tree against it.
//!
//! The schema encodes structure: keys, types, required keys, allowed values.
//! Value rules (name syntax, lengths, regions, durations, references) are
//! semantic checks with their own codes, so one mistake gives one diagnostic.
//!
//! Schema errors from the `jsonschema` crate are turned into landform
//! diagnostics: the instance path is mapped back to the YAML node (key spans
//! for unknown and missing keys, value spans for wrong values), the allowed
//! keys at that level feed "did you mean", and a key written at the wrong
//! nesting level is reported with where it belongs. Errors that are
//! consequences of another one (the missing `email` next to the misspelt
//! `emial`) are dropped.

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use serde_json::{Map, Value};

use super::codes;
use super::model::Blueprint;
use super::yaml::{Entry, Node, NodeKind};
use crate::diagnostics::{Diagnostic, SourceMap, Span};
use crate::util::suggest;

/// The schema as a JSON value (generated once).
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
        let mut schema = generator.into_root_schema_for::<Blueprint>().to_value();
        if let Some(obj) = schema.as_object_mut() {
            obj.insert(
                "$id".to_string(),
                Value::String("https://landform.dev/schema/blueprint.schema.json".to_string()),
            );
        }
        schema
    })
}

/// The schema as the text of `schema/blueprint.schema.json`.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(schema()).unwrap_or_default();
    text.push('\n');
    text
}

fn validator() -> Option<&'static jsonschema::Validator> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| jsonschema::validator_for(schema()).ok())
        .as_ref()
}

/// A path segment of a YAML/JSON instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// One structural problem before it becomes a diagnostic.
#[derive(Debug, Clone)]
struct Issue {
    path: Vec<Seg>,
    kind: IssueKind,
}

#[derive(Debug, Clone)]
enum IssueKind {
    Unknown(String),
    Required(String),
    Type,
    Enum(Vec<String>),
    Other(String),
}

/// Checks a merged blueprint tree against the schema.
pub fn check(root: &Node, sources: &SourceMap) -> Vec<Diagnostic> {
    let Some(validator) = validator() else {
        return vec![Diagnostic::error(
            codes::LF105,
            "internal error: the blueprint schema does not compile",
        )];
    };
    let instance = root.to_json();
    let mut issues = Vec::new();
    for error in validator.iter_errors(&instance) {
        collect(&error, &mut issues);
    }
    Mapper { root, sources }.diagnostics(issues)
}

fn to_path(location: &jsonschema::paths::Location) -> Vec<Seg> {
    location
        .iter()
        .map(|s| match s {
            LocationSegment::Property(p) => Seg::Key(p.into_owned()),
            LocationSegment::Index(i) => Seg::Index(i),
        })
        .collect()
}

fn collect(error: &jsonschema::ValidationError<'_>, out: &mut Vec<Issue>) {
    let path = to_path(error.instance_path());
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for key in unexpected {
                out.push(Issue {
                    path: path.clone(),
                    kind: IssueKind::Unknown(key.clone()),
                });
            }
        }
        ValidationErrorKind::Required { property } => out.push(Issue {
            path,
            kind: IssueKind::Required(property.as_str().unwrap_or_default().to_string()),
        }),
        ValidationErrorKind::Type { .. } => out.push(Issue {
            path,
            kind: IssueKind::Type,
        }),
        ValidationErrorKind::Enum { options } => out.push(Issue {
            path,
            kind: IssueKind::Enum(
                options
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
        }),
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // `Option<T>` is `anyOf: [T, null]`: report what is wrong against T
            // (the branch whose errors are not just "expected null")
            let branch = context.iter().find(|errs| {
                !errs.iter().all(|e| {
                    matches!(e.kind(), ValidationErrorKind::Type { .. })
                        && to_path(e.instance_path()) == path
                })
            });
            match branch {
                Some(errs) => errs.iter().for_each(|e| collect(e, out)),
                None => out.push(Issue {
                    path,
                    kind: IssueKind::Type,
                }),
            }
        }
        _ => out.push(Issue {
            path,
            kind: IssueKind::Other(error.to_string()),
        }),
    }
}

// ---------------------------------------------------------------------------
// walking the schema

/// A schema node after following `$ref` and `Option` wrappers, with the name
/// of the definition it came from.
#[derive(Clone, Copy)]
struct At<'s> {
    schema: &'s Value,
    def: Option<&'s str>,
}

fn resolve(s: &Value) -> At<'_> {
    let root = schema();
    let mut cur = s;
    let mut def = None;
    for _ in 0..16 {
        if let Some(r) = cur.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/$defs/");
            match root.get("$defs").and_then(|d| d.get(name)) {
                Some(target) => {
                    def = Some(name);
                    cur = target;
                    continue;
                }
                None => break,
            }
        }
        if let Some(branches) = cur.get("anyOf").and_then(Value::as_array)
            && let Some(non_null) = branches
                .iter()
                .find(|b| b.get("type").and_then(Value::as_str) != Some("null"))
        {
            cur = non_null;
            continue;
        }
        break;
    }
    At { schema: cur, def }
}

fn properties(s: &Value) -> Option<&Map<String, Value>> {
    s.get("properties").and_then(Value::as_object)
}

/// The schema of a NameMap's values, if `s` is a NameMap.
fn map_values(s: &Value) -> Option<&Value> {
    s.get("additionalProperties").filter(|v| v.is_object())
}

fn child<'s>(s: &'s Value, seg: &Seg) -> Option<&'s Value> {
    let s = resolve(s).schema;
    match seg {
        Seg::Key(k) => properties(s)
            .and_then(|p| p.get(k))
            .or_else(|| map_values(s)),
        Seg::Index(_) => s.get("items"),
    }
}

fn schema_at(path: &[Seg]) -> Option<At<'static>> {
    let mut s = schema();
    for seg in path {
        s = child(s, seg)?;
    }
    Some(resolve(s))
}

fn allowed_keys(s: &Value) -> Vec<String> {
    properties(resolve(s).schema)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn description_of(s: &Value, key: &str) -> Option<String> {
    let p = properties(resolve(s).schema)?.get(key)?;
    let d = p.get("description").and_then(Value::as_str)?;
    let first = d.split(". ").next().unwrap_or(d).replace('\n', " ");
    Some(first.trim_end_matches('.').to_string())
}

/// Human name of a schema definition.
fn entity(def: &str) -> &'static str {
    match def {
        "Organization" => "organization",
        "ManagementAccount" => "management account",
        "Ou" => "OU",
        "Account" => "account",
        "Policies" => "`policies` section",
        "PolicyDef" => "policy",
        "PolicyDocument" => "policy document",
        "Guardrails" => "`guardrails` section",
        "RegionLock" => "region lock",
        "SimpleGuardrail"
        | "AuditTrailGuardrail"
        | "RequireBoundaryGuardrail"
        | "RequireTagsGuardrail"
        | "ProtectTagsGuardrail" => "guardrail",
        "Boundary" => "boundary",
        "Delegation" => "delegated team",
        "Abac" => "`abac` section",
        "AbacPolicy" => "ABAC policy",
        "IdentityCenter" => "`identity_center` section",
        "Group" => "group",
        "User" => "user",
        "PermissionSet" => "permission set",
        "Assignment" => "assignment",
        "Role" => "role",
        "Trust" => "trust",
        "ServiceTrust" => "service trust",
        "OidcTrust" => "OIDC trust",
        "SamlTrust" => "SAML trust",
        "BreakGlass" => "`break_glass` section",
        "BreakGlassUser" => "break-glass user",
        "TestCase" => "test",
        _ => "entry",
    }
}

/// `organizational_units.Workloads.children.Prod` → `Workloads/Prod` when
/// the path is an OU path.
fn ou_path(path: &[Seg]) -> Option<String> {
    let mut it = path.iter();
    if it.next() != Some(&Seg::Key("organizational_units".into())) {
        return None;
    }
    let mut names = Vec::new();
    loop {
        match it.next() {
            Some(Seg::Key(name)) => names.push(name.clone()),
            _ => return None,
        }
        match it.next() {
            None => return Some(names.join("/")),
            Some(Seg::Key(k)) if k == "children" => {}
            _ => return None,
        }
    }
}

fn dotted(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// "account `audit`", "OU `Workloads/Prod`", "assignment #2", "`organization`",
/// "the blueprint" — the object at `path`.
fn describe(path: &[Seg]) -> String {
    let Some(last) = path.last() else {
        return "the top level of the blueprint".to_string();
    };
    let parent = schema_at(&path[..path.len() - 1]);
    let here = schema_at(path);
    let def = here.and_then(|a| a.def).map(entity);
    match last {
        Seg::Key(name) => {
            let in_map = parent.is_some_and(|p| {
                map_values(p.schema).is_some()
                    && !properties(p.schema).is_some_and(|ps| ps.contains_key(name))
            });
            if in_map {
                if let Some(p) = ou_path(path) {
                    return format!("OU `{p}`");
                }
                return format!("{} `{name}`", def.unwrap_or("entry"));
            }
            if path.len() == 1 {
                return format!("`{name}`");
            }
            let parent_phrase = describe(&path[..path.len() - 1]);
            if parent_phrase.starts_with('`') {
                format!("`{}`", dotted(path))
            } else {
                format!("`{name}` of {parent_phrase}")
            }
        }
        Seg::Index(i) => {
            let list = path
                .len()
                .checked_sub(2)
                .and_then(|j| match &path[j] {
                    Seg::Key(k) => Some(k.clone()),
                    Seg::Index(_) => None,
                })
                .unwrap_or_default();
            match def {
                Some(d) if d != "entry" => format!("{d} #{} in `{list}`", i + 1),
                _ => format!("item #{} of `{list}`", i + 1),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// from issues to diagnostics

struct Mapper<'a> {
    root: &'a Node,
    sources: &'a SourceMap,
}

/// A node and the map entry it is the value of.
struct Found<'a> {
    node: &'a Node,
    entry: Option<&'a Entry>,
    /// the enclosing map's entries (for sibling lookups)
    siblings: Option<&'a [Entry]>,
}

impl<'a> Mapper<'a> {
    fn find(&self, path: &[Seg]) -> Option<Found<'a>> {
        let mut found = Found {
            node: self.root,
            entry: None,
            siblings: None,
        };
        for seg in path {
            match (seg, &found.node.kind) {
                (Seg::Key(k), NodeKind::Map(entries)) => {
                    let e = entries.iter().find(|e| &e.key == k)?;
                    found = Found {
                        node: &e.value,
                        entry: Some(e),
                        siblings: Some(entries),
                    };
                }
                (Seg::Index(i), NodeKind::Seq(items)) => {
                    found = Found {
                        node: items.get(*i)?,
                        entry: None,
                        siblings: None,
                    };
                }
                _ => return None,
            }
        }
        Some(found)
    }

    /// Where to point for a problem with the object at `path`: its key when it
    /// has one, else the first line of the node.
    fn head_span(&self, path: &[Seg]) -> Span {
        match self.find(path) {
            Some(Found { entry: Some(e), .. }) => e.key_span,
            Some(f) => first_line(f.node),
            None => Span::point(self.root.span.source, 0),
        }
    }

    fn value_span(&self, path: &[Seg]) -> Span {
        match self.find(path) {
            Some(Found {
                node,
                entry: Some(e),
                ..
            }) if node.is_null() || node.span.is_empty() => e.key_span,
            Some(f) if matches!(f.node.kind, NodeKind::Map(_) | NodeKind::Seq(_)) => {
                match f.entry {
                    Some(e) => e.key_span,
                    None => first_line(f.node),
                }
            }
            Some(f) => f.node.span,
            None => self.head_span(path),
        }
    }

    fn diagnostics(&self, issues: Vec<Issue>) -> Vec<Diagnostic> {
        // 1. a field name written where a name is expected: one diagnostic per
        //    such key, everything below it dropped, and the empty entry before
        //    it (which the field belonged to) too
        let mut misplaced: Vec<(Vec<Seg>, Option<Vec<Seg>>)> = Vec::new();
        for issue in &issues {
            if let Some(m) = self.misplaced_field(&issue.path)
                && !misplaced.iter().any(|(p, _)| p == &m.0)
            {
                misplaced.push(m);
            }
        }
        let covered = |path: &[Seg]| {
            misplaced.iter().any(|(p, prev)| {
                path.starts_with(p) || prev.as_ref().is_some_and(|q| path.starts_with(q))
            })
        };

        // 2. unknown keys that are misspellings of a missing required key
        let mut suppressed_required: HashSet<(Vec<Seg>, String)> = HashSet::new();
        for issue in &issues {
            if let IssueKind::Unknown(key) = &issue.kind {
                let missing: Vec<String> = issues
                    .iter()
                    .filter(|i| i.path == issue.path)
                    .filter_map(|i| match &i.kind {
                        IssueKind::Required(r) => Some(r.clone()),
                        _ => None,
                    })
                    .collect();
                if let Some(s) = suggest::closest(key, &missing) {
                    suppressed_required.insert((issue.path.clone(), s.to_string()));
                }
            }
        }

        let mut out = Vec::new();
        for (path, prev) in &misplaced {
            out.push(self.misplaced_diagnostic(path, prev.as_deref()));
        }
        let mut seen = HashSet::new();
        for issue in issues {
            if covered(&issue.path) {
                continue;
            }
            if let IssueKind::Required(r) = &issue.kind
                && suppressed_required.contains(&(issue.path.clone(), r.clone()))
            {
                continue;
            }
            let d = match &issue.kind {
                IssueKind::Unknown(key) => self.unknown_key(&issue.path, key),
                IssueKind::Required(key) => self.required(&issue.path, key),
                IssueKind::Type => self.wrong_type(&issue.path),
                IssueKind::Enum(options) => self.not_allowed(&issue.path, options),
                IssueKind::Other(message) => Diagnostic::error(
                    codes::LF105,
                    format!("{} is not valid: {message}", describe(&issue.path)),
                )
                .with_label(self.value_span(&issue.path), "here"),
            };
            let key = (d.code.clone(), d.message.clone(), d.primary_span());
            if seen.insert(key) {
                out.push(d);
            }
        }
        out
    }

    /// `Some((path of the misplaced key, path of the empty entry before it))`
    /// when `path` goes through a name that is really a field of the entity.
    fn misplaced_field(&self, path: &[Seg]) -> Option<(Vec<Seg>, Option<Vec<Seg>>)> {
        for i in 0..path.len() {
            let Seg::Key(name) = &path[i] else { continue };
            let parent = schema_at(&path[..i])?;
            let Some(values) = map_values(parent.schema) else {
                continue;
            };
            if properties(parent.schema).is_some_and(|p| p.contains_key(name)) {
                continue;
            }
            if !allowed_keys(values).iter().any(|k| k == name) {
                continue;
            }
            let here = path[..=i].to_vec();
            let found = self.find(&here)?;
            let prev = found.siblings.and_then(|sib| {
                let idx = sib.iter().position(|e| &e.key == name)?;
                let before = sib.get(idx.checked_sub(1)?)?;
                let empty = before.value.is_null()
                    || before.value.as_map().is_some_and(<[Entry]>::is_empty);
                empty.then(|| {
                    let mut p = path[..i].to_vec();
                    p.push(Seg::Key(before.key.clone()));
                    p
                })
            });
            return Some((here, prev));
        }
        None
    }

    fn misplaced_diagnostic(&self, path: &[Seg], prev: Option<&[Seg]>) -> Diagnostic {
        let name = match path.last() {
            Some(Seg::Key(k)) => k.clone(),
            _ => String::new(),
        };
        let what = schema_at(path).and_then(|a| a.def).map_or("entry", entity);
        let container = dotted(&path[..path.len() - 1]);
        let mut d = Diagnostic::error(
            codes::LF106,
            format!(
                "`{name}` is a field of {0} {what}, but it is written where {0} {what} name is expected",
                a(what)
            ),
        )
        .with_label(self.head_span(path), format!("read as the name of {} {what}", a(what)));
        match prev {
            Some(prev) => {
                let prev_name = match prev.last() {
                    Some(Seg::Key(k)) => k.clone(),
                    _ => String::new(),
                };
                d = d
                    .with_secondary(self.head_span(prev), format!("this {what} is left empty"))
                    .with_help(format!(
                        "indent `{name}` (and the lines after it) under `{prev_name}` so they \
                         become its settings"
                    ));
            }
            None => {
                d = d.with_help(format!(
                    "each key under `{container}` names {} {what}; move `{name}` into the \
                     {what} it belongs to",
                    a(what)
                ));
            }
        }
        d
    }

    fn unknown_key(&self, path: &[Seg], key: &str) -> Diagnostic {
        let mut key_path = path.to_vec();
        key_path.push(Seg::Key(key.to_string()));
        let span = self.head_span(&key_path);
        let here = schema_at(path).map(|a| a.schema);
        let allowed = here.map(allowed_keys).unwrap_or_default();
        let mut d = Diagnostic::error(
            codes::LF101,
            format!("unknown key `{key}` in {}", describe(path)),
        )
        .with_label(span, "not a known key here");
        if let Some(s) = suggest::closest(key, &allowed) {
            return d.with_help(format!("did you mean `{s}`?"));
        }
        if let Some(hint) = where_it_belongs(path, key) {
            return d.with_help(hint);
        }
        if !allowed.is_empty() {
            d = d.with_help(format!(
                "the keys allowed here are {}",
                allowed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        d
    }

    fn required(&self, path: &[Seg], key: &str) -> Diagnostic {
        let span = self.head_span(path);
        let what = describe(path);
        let mut d = Diagnostic::error(codes::LF102, format!("{what} is missing `{key}`"))
            .with_label(span, format!("`{key}` is required here"));
        if let Some(here) = schema_at(path)
            && let Some(desc) = description_of(here.schema, key)
        {
            d = d.with_help(format!("add `{key}:` — {}", lowercase_first(&desc)));
        }
        d
    }

    fn expected(&self, path: &[Seg]) -> String {
        let Some(at) = schema_at(path) else {
            return "another type".to_string();
        };
        let types: Vec<&str> = match at.schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let words: Vec<&str> = types
            .iter()
            .filter(|t| **t != "null")
            .map(|t| match *t {
                "object" => "a mapping",
                "array" => "a list",
                "string" => "a string",
                "integer" => "an integer",
                "number" => "a number",
                "boolean" => "`true` or `false`",
                _ => "a value",
            })
            .collect();
        if words.is_empty() {
            "another type".to_string()
        } else {
            words.join(" or ")
        }
    }

    fn wrong_type(&self, path: &[Seg]) -> Diagnostic {
        let Some(found) = self.find(path) else {
            return Diagnostic::error(
                codes::LF103,
                format!("{} has the wrong type", describe(path)),
            );
        };
        let node = found.node;
        let expected = self.expected(path);
        let what = describe(path);
        let span = self.value_span(path);
        let at = schema_at(path);
        // an entity written with no body: `audit:`
        if node.is_null()
            && let Some(at) = at
            && let Some(req) = at.schema.get("required").and_then(Value::as_array)
        {
            let req: Vec<String> = req
                .iter()
                .filter_map(Value::as_str)
                .map(|r| format!("`{r}`"))
                .collect();
            return Diagnostic::error(codes::LF103, format!("{what} is empty"))
                .with_label(span, "no settings given")
                .with_help(format!(
                    "{} needs {}",
                    at.def.map_or("it", |d| entity(d)),
                    req.join(" and ")
                ));
        }
        let mut d = Diagnostic::error(
            codes::LF103,
            format!("{what} must be {expected}, not {}", node.describe()),
        )
        .with_label(span, format!("expected {expected}"));
        let wants_string = expected.contains("a string");
        match &node.kind {
            NodeKind::Int(_) | NodeKind::Float(_) | NodeKind::Bool(_) if wants_string => {
                let text = self.source_text(node.span).unwrap_or_default();
                let is_id = matches!(path.last(), Some(Seg::Key(k)) if k == "id");
                d = d.with_help(if is_id {
                    format!(
                        "write account ids in quotes (`\"{text}\"`): unquoted, YAML reads them as \
                         numbers and drops leading zeros"
                    )
                } else {
                    format!("put the value in quotes (`\"{text}\"`) so YAML reads it as text")
                });
            }
            NodeKind::Str { .. } if expected == "a list" => {
                let text = self.source_text(node.span).unwrap_or_default();
                d = d.with_help(format!("write a list, even for one item: `[{text}]`"));
            }
            NodeKind::Str { .. } if matches!(path.last(), Some(Seg::Key(k)) if k == "document") => {
                d = d.with_help(
                    "write the policy as a YAML (or JSON) mapping under `document:`, not as a \
                     quoted string; or put it in a JSON file and use `file:`",
                );
            }
            _ => {}
        }
        d
    }

    fn not_allowed(&self, path: &[Seg], options: &[String]) -> Diagnostic {
        let found = self.find(path);
        let value = found.as_ref().and_then(|f| f.node.as_str()).map_or_else(
            || {
                found
                    .as_ref()
                    .map(|f| f.node.to_json().to_string())
                    .unwrap_or_default()
            },
            str::to_string,
        );
        let key = match path.last() {
            Some(Seg::Key(k)) => format!("`{k}`"),
            _ => describe(path),
        };
        let mut d = Diagnostic::error(
            codes::LF104,
            format!("`{value}` is not a valid value for {key}"),
        )
        .with_label(self.value_span(path), "not an allowed value");
        let list = options
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(", ");
        d = match suggest::closest(&value, options) {
            Some(s) => d.with_help(format!("did you mean `{s}`? (allowed: {list})")),
            None => d.with_help(format!("allowed: {list}")),
        };
        d
    }

    fn source_text(&self, span: Span) -> Option<String> {
        let file = self.sources.get(span.source)?;
        file.text
            .get(span.start as usize..span.end as usize)
            .map(str::to_string)
    }
}

fn a(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'O' | 'A' | 'E' | 'I' | 'U') => "an",
        _ => "a",
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f)
            if c.clone().next().is_some_and(char::is_lowercase) || c.clone().next().is_none() =>
        {
            f.to_lowercase().collect::<String>() + c.as_str()
        }
        Some(f) => f.to_string() + c.as_str(),
        None => String::new(),
    }
}

/// The first line of a (possibly multi-line) node.
fn first_line(node: &Node) -> Span {
    node.span
}

/// "`allowed` is a key of `region_lock`: move it under `guardrails.region_lock`".
fn where_it_belongs(path: &[Seg], key: &str) -> Option<String> {
    let here = schema_at(path)?;
    // deeper: BFS over the schema below this object (depth ≤ 3)
    let mut below: Option<(usize, String)> = None;
    let mut queue: Vec<(&Value, Vec<String>, usize)> = vec![(here.schema, Vec::new(), 0)];
    let mut visited: BTreeSet<*const Value> = BTreeSet::new();
    while !queue.is_empty() {
        let (s, rel, depth) = queue.remove(0);
        let s = resolve(s).schema;
        if !visited.insert(s as *const Value) {
            continue;
        }
        if depth > 0 && properties(s).is_some_and(|p| p.contains_key(key)) {
            below = Some((depth, rel.join(".")));
            break;
        }
        if depth >= 3 {
            continue;
        }
        if let Some(props) = properties(s) {
            for (name, sub) in props {
                let mut r = rel.clone();
                r.push(name.clone());
                queue.push((sub, r, depth + 1));
            }
        }
        if let Some(values) = map_values(s) {
            let what = resolve(values).def.map_or("name", entity);
            let mut r = rel.clone();
            r.push(format!("<{}>", what.trim_matches('`')));
            queue.push((values, r, depth + 1));
        }
        if let Some(items) = s.get("items") {
            let mut r = rel.clone();
            r.push("[…]".to_string());
            queue.push((items, r, depth + 1));
        }
    }
    // higher: the nearest enclosing object that has this key
    let mut above: Option<(usize, Vec<Seg>)> = None;
    for up in 1..=path.len() {
        let p = &path[..path.len() - up];
        if let Some(at) = schema_at(p)
            && properties(at.schema).is_some_and(|ps| ps.contains_key(key))
        {
            above = Some((up, p.to_vec()));
            break;
        }
    }
    let here_name = if path.is_empty() {
        "the top level".to_string()
    } else {
        format!("`{}`", dotted(path))
    };
    match (below, above) {
        (Some((d, rel)), above) if above.as_ref().is_none_or(|(u, _)| d <= *u) => {
            let full = if path.is_empty() {
                rel.clone()
            } else {
                format!("{}.{rel}", dotted(path))
            };
            Some(format!(
                "`{key}` is not a key of {here_name}, it belongs under `{full}`; indent it there"
            ))
        }
        (_, Some((up, p))) => {
            let target = if p.is_empty() {
                "the top level".to_string()
            } else {
                format!("`{}`", describe(&p).trim_matches('`'))
            };
            let levels = if up == 1 {
                "one level".to_string()
            } else {
                format!("{up} levels")
            };
            Some(format!(
                "`{key}` belongs {levels} up, in {target}; it is indented too deeply"
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::yaml;

    fn check_text(text: &str) -> Vec<Diagnostic> {
        let mut sources = SourceMap::new();
        let id = sources.add("bp.yaml", text);
        let node = yaml::parse(text, id).document.unwrap();
        check(&node, &sources)
    }

    const MINIMAL: &str = "version: 1\norganization:\n  name: x\n  management_account: {name: m, email: m@x.io}\n  home_region: eu-west-1\n";

    #[test]
    fn a_minimal_blueprint_is_structurally_valid() {
        assert!(check_text(MINIMAL).is_empty(), "{:?}", check_text(MINIMAL));
    }

    #[test]
    fn typo_suggests_and_hides_the_consequential_missing_key() {
        let text = MINIMAL.replace("home_region", "home_regoin");
        let d = check_text(&text);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].code, codes::LF101);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `home_region`?"));
    }

    #[test]
    fn a_key_one_level_too_high_is_placed() {
        let text = format!("{MINIMAL}guardrails:\n  allowed: [eu-west-1]\n");
        let d = check_text(&text);
        assert_eq!(d.len(), 1, "{d:#?}");
        let help = d[0].help.clone().unwrap();
        assert!(help.contains("guardrails.region_lock"), "{help}");
    }

    #[test]
    fn a_key_one_level_too_deep_is_placed() {
        let text = format!(
            "{MINIMAL}organizational_units:\n  Sec:\n    accounts:\n      a:\n        email: a@x.io\n        children: {{}}\n"
        );
        let d = check_text(&text);
        assert_eq!(d.len(), 1, "{d:#?}");
        let help = d[0].help.clone().unwrap();
        assert!(help.contains("up"), "{help}");
    }

    #[test]
    fn a_field_under_a_name_map_is_reported_once() {
        let text = format!(
            "{MINIMAL}organizational_units:\n  Sec:\n    accounts:\n      audit:\n      email: a@x.io\n"
        );
        let d = check_text(&text);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].code, codes::LF106);
        assert!(d[0].help.as_ref().unwrap().contains("under `audit`"));
    }

    #[test]
    fn wrong_types_and_enums() {
        let text = MINIMAL.replace(
            "home_region: eu-west-1",
            "home_region: 12\n  policy_types: [SERVICE_CONTROL]",
        );
        let d = check_text(&text);
        let codes: Vec<_> = d.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&codes::LF103), "{d:#?}");
        assert!(codes.contains(&codes::LF104), "{d:#?}");
        let e = d.iter().find(|d| d.code == codes::LF104).unwrap();
        assert!(e.help.as_ref().unwrap().contains("SERVICE_CONTROL_POLICY"));
    }

    #[test]
    fn option_struct_errors_come_through_any_of() {
        let text = format!("{MINIMAL}abac:\n  tag_keys: [Project]\n  protect: true\n");
        let d = check_text(&text);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].code, codes::LF101);
    }
}

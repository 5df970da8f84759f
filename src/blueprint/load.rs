//! Loading a blueprint: read the file and its includes, merge them, check the
//! structure against the schema, deserialize the typed model, load policy files.
//!
//! Paths. `include:` and `file:` paths are relative to the file that names
//! them and must stay inside the directory of the root blueprint (after
//! resolving `..` and symbolic links); absolute paths and paths that escape
//! are refused (LF009), so a blueprint from a pull request cannot make landform
//! read (and later render) files from elsewhere on the machine.
//!
//! Merging includes. The root file comes first, then each included file in
//! order (depth-first). Mappings merge key by key where merging is meaningful
//! (the sections, `policies.<kind>`, `identity_center.{groups,users,
//! permission_sets}`, `abac.policies` and the whole OU tree: OUs, `children`,
//! `accounts`, `tags`); lists append where appending is meaningful (`tests`,
//! `identity_center.assignments`, an OU's `scps`/`rcps`). Anything else defined
//! in two files — an account, a role, a setting — is a conflict (LF011) naming
//! both places.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::codes;
use super::de::from_node;
use super::model::{Blueprint, PolicyDef};
use super::schema;
use super::yaml::{self, Entry, Node, NodeKind};
use super::{DocumentOrigin, ResolvedDocument};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceId, SourceMap, Span};

/// A blueprint that could be read into the typed model.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub blueprint: Blueprint,
    /// Every file read: the blueprint, its includes, policy files.
    pub sources: SourceMap,
    /// The root blueprint file.
    pub root: SourceId,
    /// The directory every included or referenced file must stay in.
    pub base_dir: PathBuf,
    /// Problems found while loading that did not prevent building the model
    /// (duplicate keys, include conflicts, unreadable policy files, …).
    pub diagnostics: Diagnostics,
}

/// A blueprint that could not be read into the model, with the reasons.
#[derive(Debug, Clone)]
pub struct LoadFailure {
    pub sources: SourceMap,
    pub diagnostics: Diagnostics,
}

/// Loads the blueprint at `path`.
pub fn load(path: &Path) -> Result<Loaded, LoadFailure> {
    let mut loader = Loader::new(path);
    let result = loader.run(path);
    loader.finish(result)
}

/// Loads a blueprint from text (tests, editors); includes and policy files
/// are resolved relative to `base_dir`.
pub fn load_str(name: &str, text: &str, base_dir: &Path) -> Result<Loaded, LoadFailure> {
    let mut loader = Loader::new(&base_dir.join(name));
    loader.base_dir = real_dir(base_dir);
    let id = loader.sources.add(name, text);
    loader.real_paths.push(Some(base_dir.join(name)));
    loader.display_base = PathBuf::from(name)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let result = loader.load_text(id, text);
    loader.finish(result)
}

struct Loader {
    sources: SourceMap,
    /// SourceId → real path of the file (None for unknown)
    real_paths: Vec<Option<PathBuf>>,
    base_dir: PathBuf,
    /// the root's parent as the user wrote it, for display names
    display_base: PathBuf,
    diagnostics: Vec<Diagnostic>,
    /// canonical path → source, for files already read
    read: HashMap<PathBuf, SourceId>,
    /// An included file could not be read or parsed: the merged tree is
    /// incomplete, so structural and semantic checks would only report
    /// consequences of that (a "missing" section that is in the broken file).
    incomplete: bool,
}

fn real_dir(dir: &Path) -> PathBuf {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

/// Removes `.` and resolves `..` lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

enum Read {
    Text(SourceId, String),
    Failed,
}

impl Loader {
    fn new(root: &Path) -> Self {
        let parent = root.parent().map(Path::to_path_buf).unwrap_or_default();
        Self {
            sources: SourceMap::new(),
            real_paths: Vec::new(),
            base_dir: real_dir(&parent),
            display_base: parent,
            diagnostics: Vec::new(),
            read: HashMap::new(),
            incomplete: false,
        }
    }

    fn add_source(&mut self, name: String, text: &str, real: Option<PathBuf>) -> SourceId {
        let id = self.sources.add(name, text);
        self.real_paths.push(real.clone());
        if let Some(r) = real {
            self.read.insert(r, id);
        }
        id
    }

    fn finish(mut self, result: Option<Loaded>) -> Result<Loaded, LoadFailure> {
        match result {
            Some(mut loaded) => {
                loaded.sources = self.sources;
                loaded.diagnostics.extend(self.diagnostics);
                loaded.diagnostics.sort(&loaded.sources);
                Ok(loaded)
            }
            None => {
                let mut diagnostics: Diagnostics = self.diagnostics.drain(..).collect();
                diagnostics.sort(&self.sources);
                Err(LoadFailure {
                    sources: self.sources,
                    diagnostics,
                })
            }
        }
    }

    /// Reads a file: LF001 when it cannot be read, LF002 when it is not text.
    fn read_file(&mut self, path: &Path, name: &str, referenced_at: Option<Span>) -> Read {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                let reason = match e.kind() {
                    std::io::ErrorKind::NotFound => "no such file".to_string(),
                    std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                    _ if path.is_dir() => "it is a directory".to_string(),
                    _ => e.to_string(),
                };
                let d = match referenced_at {
                    Some(span) => {
                        Diagnostic::error(codes::LF001, format!("cannot read `{name}`: {reason}"))
                            .with_label(span, "referenced here")
                    }
                    None => Diagnostic::error(
                        codes::LF001,
                        format!("the blueprint cannot be read: {reason}"),
                    )
                    .with_file(name),
                };
                self.diagnostics.push(d);
                return Read::Failed;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) if !t.contains('\0') => t,
            _ => {
                let help = "a blueprint and its policy files must be UTF-8 text (YAML or JSON)";
                let d = match referenced_at {
                    Some(span) => {
                        Diagnostic::error(codes::LF002, format!("`{name}` is not a text file"))
                            .with_label(span, "referenced here")
                    }
                    None => Diagnostic::error(codes::LF002, "the blueprint is not a text file")
                        .with_file(name),
                }
                .with_help(help);
                self.diagnostics.push(d);
                return Read::Failed;
            }
        };
        let real = path.canonicalize().ok();
        let id = self.add_source(name.to_string(), &text, real);
        Read::Text(id, text)
    }

    fn run(&mut self, path: &Path) -> Option<Loaded> {
        let name = display(path);
        let real = path.canonicalize().ok();
        let Read::Text(id, text) = self.read_file(path, &name, None) else {
            return None;
        };
        if let Some(r) = real {
            self.read.insert(r, id);
        }
        self.load_text(id, &text)
    }

    fn load_text(&mut self, id: SourceId, text: &str) -> Option<Loaded> {
        let parsed = yaml::parse(text, id);
        self.diagnostics.extend(parsed.diagnostics);
        if parsed.fatal {
            return None;
        }
        let root = match parsed.document {
            Some(node) if !node.is_null() => node,
            _ => {
                self.diagnostics.push(
                    Diagnostic::error(codes::LF004, "the blueprint is empty")
                        .with_label(Span::point(id, 0), "nothing here")
                        .with_help(
                            "a blueprint needs at least `version: 1` and an `organization:`; \
                             `landform init DIR` writes a starter",
                        ),
                );
                return None;
            }
        };
        if root.as_map().is_none() {
            self.diagnostics
                .push(not_a_mapping(&root, "a blueprint", &self.sources));
            return None;
        }
        let mut stack = vec![self.real_paths.get(id.0 as usize).cloned().flatten()];
        let root = self.expand_includes(root, id, &mut stack, true);
        if self.incomplete {
            return None;
        }

        // structure, then the typed model
        let structural = schema::check(&root, &self.sources);
        if !structural.is_empty() {
            self.diagnostics.extend(structural);
            return None;
        }
        let mut blueprint: Blueprint = match from_node(&root) {
            Ok(b) => b,
            Err(e) => {
                let mut d = Diagnostic::error(
                    codes::LF110,
                    format!("cannot read this value: {}", e.message),
                );
                if let Some(span) = e.span {
                    d = d.with_label(span, "here");
                }
                self.diagnostics.push(d);
                return None;
            }
        };
        self.resolve_documents(&mut blueprint);
        Some(Loaded {
            blueprint,
            sources: SourceMap::new(),
            root: id,
            base_dir: self.base_dir.clone(),
            diagnostics: Diagnostics::new(),
        })
    }

    /// Resolves `path` (as written in source `from`) to a real path inside the
    /// base directory, or reports LF009 and returns None.
    fn resolve_path(
        &mut self,
        written: &str,
        from: SourceId,
        span: Span,
        what: &str,
    ) -> Option<(PathBuf, String)> {
        let p = Path::new(written);
        if p.is_absolute() || written.starts_with('/') || written.starts_with('\\') {
            self.diagnostics.push(
                Diagnostic::error(codes::LF009, format!("{what} path `{written}` is absolute"))
                    .with_label(span, "absolute path")
                    .with_help(
                        "paths are relative to the file that names them and must stay inside the \
                         blueprint's directory",
                    ),
            );
            return None;
        }
        let from_dir = self
            .real_paths
            .get(from.0 as usize)
            .cloned()
            .flatten()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| self.base_dir.clone());
        let joined = normalize(&from_dir.join(p));
        // symbolic links may point elsewhere: compare real paths when the file exists
        let real = joined.canonicalize().unwrap_or_else(|_| joined.clone());
        if !real.starts_with(&self.base_dir) {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::LF009,
                    format!("{what} path `{written}` leads outside the blueprint's directory"),
                )
                .with_label(span, "escapes the blueprint's directory")
                .with_help(format!(
                    "landform only reads files inside `{}` (the directory of the blueprint); \
                     copy the file there",
                    display(&self.display_base_or_dot())
                )),
            );
            return None;
        }
        let rel = real
            .strip_prefix(&self.base_dir)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| PathBuf::from(written));
        let name = display(&self.display_base.join(rel));
        Some((real, name))
    }

    fn display_base_or_dot(&self) -> PathBuf {
        if self.display_base.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            self.display_base.clone()
        }
    }

    /// Takes `include:` out of `node` (keeping it in the root file), loads the
    /// included files and merges them in.
    fn expand_includes(
        &mut self,
        mut node: Node,
        id: SourceId,
        stack: &mut Vec<Option<PathBuf>>,
        is_root: bool,
    ) -> Node {
        let NodeKind::Map(entries) = &mut node.kind else {
            return node;
        };
        let Some(pos) = entries.iter().position(|e| e.key == "include") else {
            return node;
        };
        let include = if is_root {
            entries[pos].clone()
        } else {
            entries.remove(pos)
        };
        let mut paths = Vec::new();
        match &include.value.kind {
            NodeKind::Seq(items) => {
                for item in items {
                    match item.as_str() {
                        Some(s) => paths.push((s.to_string(), item.span)),
                        None => self.diagnostics.push(
                            Diagnostic::error(
                                codes::LF013,
                                format!(
                                    "`include:` entries must be file paths, not {}",
                                    item.describe()
                                ),
                            )
                            .with_label(item.span, "not a path"),
                        ),
                    }
                }
            }
            NodeKind::Str { value, .. } => paths.push((value.clone(), include.value.span)),
            NodeKind::Null => {}
            _ => self.diagnostics.push(
                Diagnostic::error(
                    codes::LF013,
                    format!(
                        "`include:` must be a list of file paths, not {}",
                        include.value.describe()
                    ),
                )
                .with_label(include.key_span, "expected a list of paths"),
            ),
        }
        if is_root && let NodeKind::Map(entries) = &mut node.kind {
            // the typed model sees a clean list of strings
            if let Some(e) = entries.iter_mut().find(|e| e.key == "include") {
                let items = paths
                    .iter()
                    .map(|(p, span)| Node {
                        span: *span,
                        kind: NodeKind::Str {
                            value: p.clone(),
                            plain: false,
                        },
                    })
                    .collect();
                e.value = Node {
                    span: e.value.span,
                    kind: NodeKind::Seq(items),
                };
            }
        }
        for (written, span) in paths {
            let Some((real, name)) = self.resolve_path(&written, id, span, "include") else {
                self.incomplete = true;
                continue;
            };
            if stack.iter().any(|s| s.as_ref() == Some(&real)) {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::LF010,
                        format!("`{name}` includes itself through a cycle"),
                    )
                    .with_label(span, "this include closes the cycle")
                    .with_help("remove one of the `include:` entries of the cycle"),
                );
                self.incomplete = true;
                continue;
            }
            if let Some(&earlier) = self.read.get(&real) {
                let earlier_name = self
                    .sources
                    .get(earlier)
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::LF010,
                        format!("`{earlier_name}` is included more than once"),
                    )
                    .with_label(span, "included again here")
                    .with_help("include each file once"),
                );
                self.incomplete = true;
                continue;
            }
            let Read::Text(inc_id, text) = self.read_file(&real, &name, Some(span)) else {
                self.incomplete = true;
                continue;
            };
            let parsed = yaml::parse(&text, inc_id);
            self.diagnostics.extend(parsed.diagnostics);
            let Some(inc) = parsed.document else {
                self.incomplete |= parsed.fatal;
                continue;
            };
            if inc.is_null() {
                continue;
            }
            if inc.as_map().is_none() {
                self.diagnostics
                    .push(not_a_mapping(&inc, "an included file", &self.sources));
                self.incomplete = true;
                continue;
            }
            stack.push(Some(real));
            let inc = self.expand_includes(inc, inc_id, stack, false);
            stack.pop();
            let mut path = Vec::new();
            merge(&mut node, inc, &mut path, &mut self.diagnostics);
        }
        node
    }

    fn resolve_documents(&mut self, bp: &mut Blueprint) {
        let mut defs: Vec<&mut PolicyDef> = Vec::new();
        for (_, d) in bp.policies.scp.iter_mut() {
            defs.push(d);
        }
        for (_, d) in bp.policies.rcp.iter_mut() {
            defs.push(d);
        }
        for (_, d) in bp.policies.managed.iter_mut() {
            defs.push(d);
        }
        for (_, ps) in bp.identity_center.permission_sets.iter_mut() {
            if let Some(d) = ps.inline.as_mut() {
                defs.push(d);
            }
        }
        for (_, role) in bp.roles.iter_mut() {
            for (_, d) in role.inline.iter_mut() {
                defs.push(d);
            }
        }
        for def in defs {
            def.resolved = self.resolve_document(def);
        }
    }

    fn resolve_document(&mut self, def: &PolicyDef) -> Option<ResolvedDocument> {
        match (&def.document, &def.file) {
            (Some(doc), None) => Some(ResolvedDocument {
                value: doc.value.0.clone(),
                origin: DocumentOrigin::Inline { span: doc.span },
            }),
            (None, Some(file)) => {
                let (real, name) =
                    self.resolve_path(&file.value, file.span.source, file.span, "policy file")?;
                let source = match self.read.get(&real) {
                    Some(&id) => id,
                    None => match self.read_file(&real, &name, Some(file.span)) {
                        Read::Text(id, _) => id,
                        Read::Failed => return None,
                    },
                };
                let text = self.sources.get(source)?.text.clone();
                match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(value) if value.is_object() => Some(ResolvedDocument {
                        value,
                        origin: DocumentOrigin::File {
                            source,
                            reference: file.span,
                        },
                    }),
                    Ok(value) => {
                        let kind = match value {
                            serde_json::Value::Array(_) => "a list",
                            serde_json::Value::String(_) => "a string",
                            serde_json::Value::Null => "null",
                            _ => "a scalar",
                        };
                        self.diagnostics.push(
                            Diagnostic::error(
                                codes::LF111,
                                format!("the policy in `{name}` is {kind}, not a JSON object"),
                            )
                            .with_label(Span::new(source, 0, text.len().min(1)), "expected `{`")
                            .with_secondary(file.span, "referenced here")
                            .with_help(
                                "a policy document is an object with `Version` and `Statement`",
                            ),
                        );
                        None
                    }
                    Err(e) => {
                        let span = json_error_span(&self.sources, source, &e);
                        self.diagnostics.push(
                            Diagnostic::error(
                                codes::LF012,
                                format!("`{name}` is not valid JSON: {}", json_error_text(&e)),
                            )
                            .with_label(span, "here")
                            .with_secondary(file.span, "referenced here"),
                        );
                        None
                    }
                }
            }
            (Some(doc), Some(file)) => {
                self.diagnostics.push(
                    Diagnostic::error(codes::LF107, "a policy has both `document:` and `file:`")
                        .with_label(file.span, "the file")
                        .with_secondary(doc.span, "the inline document")
                        .with_help("keep one of them"),
                );
                None
            }
            (None, None) => None, // reported by validation (it knows the policy's name)
        }
    }
}

/// serde_json's message without its " at line L column C" suffix.
fn json_error_text(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The span of a serde_json error (its column counts bytes from 1).
fn json_error_span(sources: &SourceMap, source: SourceId, e: &serde_json::Error) -> Span {
    let Some(file) = sources.get(source) else {
        return Span::point(source, 0);
    };
    let text = &file.text;
    let line_start = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let mut at = (line_start + e.column().saturating_sub(1)).min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Span::new(source, at, end)
}

fn not_a_mapping(node: &Node, what: &str, sources: &SourceMap) -> Diagnostic {
    let file = sources
        .get(node.span.source)
        .map(|f| f.name.clone())
        .unwrap_or_default();
    let start = node.span.start as usize;
    let end = sources.get(node.span.source).map_or(start, |f| {
        f.text[start..]
            .find('\n')
            .map_or(f.text.len(), |i| start + i)
    });
    Diagnostic::error(
        codes::LF005,
        format!(
            "{what} must be a YAML mapping of sections, but `{file}` holds {}",
            node.describe()
        ),
    )
    .with_label(
        Span::new(node.span.source, start, end),
        "the document starts here",
    )
    .with_help("start the file with `version: 1` and `organization:` at the left margin")
}

/// "account `audit`", "role `ci`", "`organization.home_region`".
fn what_is(path: &[String]) -> String {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    match p.as_slice() {
        ["roles", n] => format!("role `{n}`"),
        ["boundaries", n] => format!("boundary `{n}`"),
        ["delegation", n] => format!("delegated team `{n}`"),
        ["policies", kind, n] => format!("policy `{n}` (`policies.{kind}`)"),
        ["identity_center", "permission_sets", n] => format!("permission set `{n}`"),
        ["identity_center", "groups", n] => format!("group `{n}`"),
        ["identity_center", "users", n] => format!("user `{n}`"),
        ["organizational_units", rest @ ..]
            if rest.len() >= 3 && rest[rest.len() - 2] == "accounts" =>
        {
            format!("account `{}`", rest[rest.len() - 1])
        }
        _ => format!("`{}`", path.join(".")),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    Merge,
    Append,
    Conflict,
}

/// How the values at `path` (keys from the root) combine across files.
fn rule(path: &[String]) -> Rule {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    match p.as_slice() {
        [] => Rule::Merge,
        ["tests"] => Rule::Append,
        [
            "organization" | "policies" | "guardrails" | "boundaries" | "delegation" | "abac"
            | "identity_center" | "roles" | "break_glass",
        ] => Rule::Merge,
        ["policies", _] => Rule::Merge,
        ["identity_center", "groups" | "users" | "permission_sets"] => Rule::Merge,
        ["identity_center", "assignments"] => Rule::Append,
        ["abac", "policies"] => Rule::Merge,
        ["organizational_units", rest @ ..] => ou_rule(rest),
        _ => Rule::Conflict,
    }
}

/// Inside the OU tree: `NAME (children NAME)* [accounts|children|tags|scps|rcps]`.
fn ou_rule(rest: &[&str]) -> Rule {
    if rest.is_empty() {
        return Rule::Merge;
    }
    // rest alternates: name, field, name, field…
    let mut i = 0;
    loop {
        // rest[i] is an OU name
        if i + 1 >= rest.len() {
            return Rule::Merge; // the OU itself
        }
        match rest[i + 1] {
            "children" => {
                if i + 2 >= rest.len() {
                    return Rule::Merge;
                }
                i += 2;
            }
            "accounts" | "tags" if i + 2 == rest.len() => return Rule::Merge,
            "scps" | "rcps" if i + 2 == rest.len() => return Rule::Append,
            _ => return Rule::Conflict,
        }
    }
}

fn merge(into: &mut Node, from: Node, path: &mut Vec<String>, diags: &mut Vec<Diagnostic>) {
    let NodeKind::Map(from_entries) = from.kind else {
        return;
    };
    if into.is_null() {
        into.kind = NodeKind::Map(Vec::new());
    }
    let NodeKind::Map(into_entries) = &mut into.kind else {
        return;
    };
    for entry in from_entries {
        path.push(entry.key.clone());
        match into_entries.iter_mut().find(|e| e.key == entry.key) {
            None => into_entries.push(entry),
            Some(existing) => combine(existing, entry, path, diags),
        }
        path.pop();
    }
}

fn combine(
    existing: &mut Entry,
    incoming: Entry,
    path: &mut Vec<String>,
    diags: &mut Vec<Diagnostic>,
) {
    let r = rule(path);
    let both_maps = matches!(existing.value.kind, NodeKind::Map(_) | NodeKind::Null)
        && matches!(incoming.value.kind, NodeKind::Map(_) | NodeKind::Null);
    let both_seqs = matches!(existing.value.kind, NodeKind::Seq(_))
        && matches!(incoming.value.kind, NodeKind::Seq(_));
    match r {
        Rule::Merge if both_maps => merge(&mut existing.value, incoming.value, path, diags),
        Rule::Append if both_seqs => {
            if let (NodeKind::Seq(a), NodeKind::Seq(b)) =
                (&mut existing.value.kind, incoming.value.kind)
            {
                a.extend(b);
            }
        }
        _ => diags.push(
            Diagnostic::error(
                codes::LF011,
                format!("{} is defined in two files", what_is(path)),
            )
            .with_label(incoming.key_span, "defined again here")
            .with_secondary(existing.key_span, "first defined here")
            .with_help("define it in one file only (sections merge, single settings do not)"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn merge_rules() {
        assert!(rule(&s(&["tests"])) == Rule::Append);
        assert!(rule(&s(&["roles"])) == Rule::Merge);
        assert!(rule(&s(&["roles", "ci"])) == Rule::Conflict);
        assert!(rule(&s(&["organizational_units", "Workloads"])) == Rule::Merge);
        assert!(
            rule(&s(&[
                "organizational_units",
                "Workloads",
                "children",
                "Prod",
                "accounts"
            ])) == Rule::Merge
        );
        assert!(
            rule(&s(&[
                "organizational_units",
                "W",
                "children",
                "P",
                "accounts",
                "a"
            ])) == Rule::Conflict
        );
        assert!(rule(&s(&["organizational_units", "W", "scps"])) == Rule::Append);
        assert!(rule(&s(&["organizational_units", "W", "description"])) == Rule::Conflict);
        assert!(rule(&s(&["version"])) == Rule::Conflict);
    }

    #[test]
    fn normalize_resolves_dots() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }
}

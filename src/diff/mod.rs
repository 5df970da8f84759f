//! `landform diff`: what a change to a blueprint changes — for the reviewer
//! of a pull request.
//!
//! Two compiled organizations (base and head) are compared three ways:
//!
//! 1. **Structure** ([`structure`]): accounts, OUs, organization policies,
//!    attachments, permission sets, assignments, roles, groups, users and
//!    break-glass users added, removed, moved (an account or OU under another
//!    parent) or changed (a field or a policy document). Elements are matched
//!    by their stable names — an OU by its path, an account by its name, a
//!    policy by kind and name, an assignment by (principal, permission set,
//!    account), a role by (account, path, name) — never by position, with hash
//!    maps, so the cost is linear in the size of the organization.
//! 2. **Effective access** ([`access`]): the access matrix of both sides
//!    ([`crate::access`]); per (principal, account) the actions whose state
//!    (denied / conditional / allowed) changed, gained or lost, ranked by risk
//!    ([`risk`]).
//! 3. **Findings** ([`findings`]): the checks of `landform check` run on both
//!    sides; findings that appeared and disappeared, matched by a key that
//!    survives line shifts.
//!
//! `--git REV` reads the base from a git revision ([`git`]).
//!
//! Rendering is in [`render`] (human, JSON — `docs/diff-json.md` — and
//! markdown for a pull-request comment).

pub mod access;
pub mod findings;
pub mod git;
pub mod render;
pub mod risk;
pub mod structure;
pub mod textdiff;
pub mod tree;

use std::path::Path;

use crate::blueprint::{load, resolve, validate};
use crate::checks::Intent;
use crate::diagnostics::{Diagnostics, SourceMap};
use crate::org::Org;

/// One side of a diff, compiled and checked.
#[derive(Debug, Clone)]
pub struct Side {
    /// How the side is named in reports: the blueprint path, or `REV:path`.
    pub label: String,
    pub org: Org,
    pub sources: SourceMap,
    /// The prefix every source name of this side starts with (the blueprint's
    /// directory as displayed, with a trailing `/`, or empty): stripped to
    /// compare file names between sides.
    pub dir_prefix: String,
    /// The name of the root blueprint's source (files are compared by their
    /// path relative to the blueprint's directory; the root blueprint itself
    /// matches the other side's root whatever the two are called).
    pub root_name: String,
    /// Warnings from compiling and every finding of the checks and tests.
    pub findings: Diagnostics,
}

/// A blueprint that did not compile: the diagnostics that stopped it.
#[derive(Debug, Clone)]
pub struct Stopped {
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
}

/// How to compile a side.
#[derive(Debug, Clone, Default)]
pub struct SideOptions {
    /// Rename sources: the prefix landform read the files under, and the
    /// prefix to show instead (`--git`: the export directory → `REV:dir/`).
    pub rename: Option<(String, String)>,
    /// The label of the side (defaults to the path as given).
    pub label: Option<String>,
    /// Skip the checks (no findings section).
    pub skip_checks: bool,
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn dir_prefix_of(name: &str) -> String {
    match name.rfind('/') {
        Some(i) => name[..=i].to_string(),
        None => String::new(),
    }
}

/// Renames the sources whose name starts with `from` (ids are kept: sources
/// are re-added in order).
fn rename_sources(sources: &SourceMap, from: &str, to: &str) -> SourceMap {
    let mut out = SourceMap::new();
    for (_, f) in sources.files() {
        let name = match f.name.strip_prefix(from) {
            Some(rest) => format!("{to}{rest}"),
            None => f.name.clone(),
        };
        out.add(name, f.text.clone());
    }
    out
}

/// Loads, validates, compiles and (unless told not to) checks the blueprint
/// at `path`.
pub fn compile_side(path: &Path, opts: &SideOptions) -> Result<Side, Stopped> {
    let rename = |s: &SourceMap| match &opts.rename {
        Some((from, to)) => rename_sources(s, from, to),
        None => s.clone(),
    };
    let loaded = match load(path) {
        Ok(l) => l,
        Err(f) => {
            let sources = rename(&f.sources);
            let mut diagnostics = f.diagnostics;
            if let Some((from, to)) = &opts.rename {
                rename_files(&mut diagnostics, from, to);
            }
            diagnostics.sort(&sources);
            return Err(Stopped {
                diagnostics,
                sources,
            });
        }
    };
    let sources = rename(&loaded.sources);
    let mut diags = validate(&loaded);
    let name = display(path);
    let name = match &opts.rename {
        Some((from, to)) => match name.strip_prefix(from.as_str()) {
            Some(rest) => format!("{to}{rest}"),
            None => name,
        },
        None => name,
    };
    if diags.has_errors() {
        diags.sort(&sources);
        return Err(Stopped {
            diagnostics: diags,
            sources,
        });
    }
    let (org, compile_diags) = resolve::resolve(&loaded.blueprint, &name);
    diags.extend(compile_diags);
    let org = match org {
        Some(org) if !diags.has_errors() => org,
        _ => {
            diags.sort(&sources);
            return Err(Stopped {
                diagnostics: diags,
                sources,
            });
        }
    };
    let mut findings = diags;
    if !opts.skip_checks {
        let intent = Intent::from_blueprint(&loaded.blueprint);
        let outcome = crate::checks::run(&org, &intent, &sources);
        findings.extend(outcome.diagnostics);
    }
    findings.sort(&sources);
    let root_name = sources
        .get(loaded.root)
        .map(|f| f.name.clone())
        .unwrap_or_else(|| name.clone());
    Ok(Side {
        root_name,
        label: opts.label.clone().unwrap_or_else(|| name.clone()),
        dir_prefix: dir_prefix_of(&name),
        org,
        sources,
        findings,
    })
}

fn rename_files(diags: &mut Diagnostics, from: &str, to: &str) {
    let items: Vec<_> = std::mem::take(diags)
        .into_vec()
        .into_iter()
        .map(|mut d| {
            if let Some(f) = &d.file
                && let Some(rest) = f.strip_prefix(from)
            {
                d.file = Some(format!("{to}{rest}"));
            }
            d
        })
        .collect();
    diags.extend(items);
}

/// Everything `landform diff` found.
#[derive(Debug, Clone)]
pub struct Diff {
    pub base: String,
    pub head: String,
    pub structure: Vec<structure::Change>,
    pub access: access::AccessDiff,
    pub findings: findings::FindingsDiff,
    /// Whether the findings were compared (false with `--no-checks`).
    pub findings_compared: bool,
    /// The OU tree of both sides with the changes marked.
    pub tree: Vec<tree::OuNode>,
}

impl Diff {
    /// Whether anything changed.
    pub fn is_empty(&self) -> bool {
        self.structure.is_empty() && self.access.is_empty() && self.findings.is_empty()
    }
}

/// Compares two compiled sides.
pub fn compare(base: &Side, head: &Side, findings_compared: bool) -> Diff {
    let structure = structure::compare(&base.org, &head.org);
    let access = access::compare(&base.org, &head.org);
    let tree = tree::build(&base.org, &head.org, &structure, &access);
    Diff {
        base: base.label.clone(),
        head: head.label.clone(),
        structure,
        access,
        findings: if findings_compared {
            findings::compare(base, head)
        } else {
            findings::FindingsDiff::default()
        },
        findings_compared,
        tree,
    }
}

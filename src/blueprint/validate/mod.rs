//! Semantic validation of a loaded blueprint: references, duplicates, AWS
//! limits and naming rules, and organization design warnings. One file per
//! family; every code is listed in [`super::codes`] and documented with an
//! example in `docs/diagnostics.md`.
//!
//! Severity follows one rule: an error is something AWS would reject at deploy
//! time (or that makes the blueprint meaningless); a warning is what the seeds
//! call bad practice.
//!
//! Every check is linear in the size of the blueprint (lookups go through
//! hash maps built once), so blueprints with tens of thousands of accounts
//! validate quickly.

mod design;
mod duplicates;
mod limits;
mod naming;
mod references;
mod structure;

pub use limits::{LIMITS, minified_len, rcp_count, scp_count};

use super::load::Loaded;
use super::model::Blueprint;
use super::span::Sp;
use super::tree::{OrgIndex, Target, TargetError};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use crate::util::suggest;

/// Everything wrong with a loaded blueprint: the problems found while loading
/// it and those found by the semantic checks, sorted by position.
pub fn validate(loaded: &Loaded) -> Diagnostics {
    let mut out = loaded.diagnostics.clone();
    out.extend(check(&loaded.blueprint, &loaded.sources));
    out.sort(&loaded.sources);
    out
}

/// Only the semantic checks.
pub fn check(blueprint: &Blueprint, sources: &SourceMap) -> Vec<Diagnostic> {
    let mut ctx = Ctx {
        bp: blueprint,
        idx: OrgIndex::new(blueprint),
        sources,
        out: Vec::new(),
    };
    structure::check(&mut ctx);
    references::check(&mut ctx);
    duplicates::check(&mut ctx);
    naming::check(&mut ctx);
    limits::check(&mut ctx);
    design::check(&mut ctx);
    ctx.out
}

pub(crate) struct Ctx<'a> {
    pub bp: &'a Blueprint,
    pub idx: OrgIndex<'a>,
    #[allow(dead_code)]
    pub sources: &'a SourceMap,
    pub out: Vec<Diagnostic>,
}

impl Ctx<'_> {
    pub fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    /// An unknown name, with the nearest candidate suggested.
    pub fn unknown<'c, I>(
        &mut self,
        code: &str,
        noun: &str,
        name: &Sp<String>,
        candidates: I,
        define: &str,
    ) where
        I: IntoIterator<Item = &'c str>,
    {
        let candidates: Vec<&str> = candidates.into_iter().collect();
        let mut d = Diagnostic::error(code, format!("unknown {noun} `{}`", name.value))
            .with_label(name.span, format!("no {noun} has this name"));
        d = match suggest::closest(&name.value, &candidates) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None if candidates.is_empty() => d.with_help(format!("define it under `{define}`")),
            None => d.with_help(format!(
                "define it under `{define}`, or use one of {}",
                list(&candidates, 6)
            )),
        };
        self.push(d);
    }

    /// Resolves a target, reporting LF201/LF209.
    pub fn target(&mut self, t: &Sp<String>) -> Option<Target> {
        match self.idx.resolve_target(&t.value) {
            Ok(target) => Some(target),
            Err(TargetError::Ambiguous) => {
                self.push(
                    Diagnostic::error(
                        super::codes::LF209,
                        format!("`{}` is both an OU path and an account name", t.value),
                    )
                    .with_label(t.span, "ambiguous target")
                    .with_help(format!(
                        "write `ou:{0}` for the OU or `account:{0}` for the account",
                        t.value
                    )),
                );
                None
            }
            Err(TargetError::Unknown) => {
                let candidates = self.idx.target_candidates();
                let bare = t
                    .value
                    .strip_prefix("ou:")
                    .or_else(|| t.value.strip_prefix("account:"))
                    .unwrap_or(&t.value);
                let mut d =
                    Diagnostic::error(super::codes::LF201, format!("unknown target `{}`", t.value))
                        .with_label(t.span, "not `Root`, an OU path or an account");
                d = match suggest::closest(bare, &candidates) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(
                        "targets are `Root`, OU paths such as `Workloads/Prod`, or account names",
                    ),
                };
                self.push(d);
                None
            }
        }
    }

    /// Resolves an account name (member or management), reporting LF202.
    pub fn account(&mut self, name: &Sp<String>) -> Option<Target> {
        let found = self.idx.account(&name.value);
        if found.is_none() {
            let candidates = self.idx.account_candidates();
            self.unknown(
                super::codes::LF202,
                "account",
                name,
                candidates,
                "organizational_units.<OU>.accounts",
            );
        }
        found
    }
}

/// `` `a`, `b`, `c` `` (at most `max`, then "…").
pub(crate) fn list(items: &[&str], max: usize) -> String {
    let mut s = items
        .iter()
        .take(max)
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        s.push_str(", …");
    }
    s
}

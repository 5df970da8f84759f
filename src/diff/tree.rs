//! The OU tree of both sides, with what changed where — for the diagram of
//! the markdown report.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::access::AccessDiff;
use super::structure::{Change, Element, Op};
use crate::org::Org;

/// How a node changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    Unchanged,
    /// Its effective access changed (nothing structural).
    Access,
    Changed,
    Moved,
    Added,
    Removed,
}

impl Mark {
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Unchanged => "unchanged",
            Mark::Access => "access",
            Mark::Changed => "changed",
            Mark::Moved => "moved",
            Mark::Added => "added",
            Mark::Removed => "removed",
        }
    }
}

fn op_mark(op: Op) -> Mark {
    match op {
        Op::Added => Mark::Added,
        Op::Removed => Mark::Removed,
        Op::Moved => Mark::Moved,
        Op::Changed => Mark::Changed,
    }
}

/// One OU of either side (the root has the empty path).
#[derive(Debug, Clone)]
pub struct OuNode {
    pub path: String,
    pub mark: Mark,
    /// For a moved OU: its base path.
    pub moved_from: Option<String>,
    /// Accounts with a structural change, by name.
    pub accounts: BTreeMap<String, Mark>,
    /// Accounts (of this OU, head side) whose effective access changed and
    /// that have no structural change.
    pub access_accounts: BTreeSet<String>,
}

impl OuNode {
    pub fn name(&self) -> &str {
        if self.path.is_empty() {
            "Root"
        } else {
            self.path.rsplit('/').next().unwrap_or(&self.path)
        }
    }

    pub fn parent(&self) -> Option<String> {
        if self.path.is_empty() {
            None
        } else {
            Some(
                self.path
                    .rfind('/')
                    .map_or(String::new(), |i| self.path[..i].to_string()),
            )
        }
    }

    pub fn is_marked(&self) -> bool {
        self.mark != Mark::Unchanged
            || !self.accounts.is_empty()
            || !self.access_accounts.is_empty()
    }
}

fn raise(m: &mut Mark, to: Mark) {
    if to > *m {
        *m = to;
    }
}

/// The union of both OU trees, by path, with marks.
pub fn build(base: &Org, head: &Org, changes: &[Change], access: &AccessDiff) -> Vec<OuNode> {
    let mut nodes: BTreeMap<String, OuNode> = BTreeMap::new();
    let new = |path: &str| OuNode {
        path: path.to_string(),
        mark: Mark::Unchanged,
        moved_from: None,
        accounts: BTreeMap::new(),
        access_accounts: BTreeSet::new(),
    };
    for org in [head, base] {
        for o in &org.ous {
            nodes.entry(o.path.clone()).or_insert_with(|| new(&o.path));
        }
    }
    // where an account is: head first
    let mut account_ou: BTreeMap<&str, &str> = BTreeMap::new();
    for org in [base, head] {
        for a in &org.accounts {
            account_ou.insert(a.name.as_str(), org.ou(a.ou).path.as_str());
        }
    }
    for c in changes {
        match c.element {
            Element::Ou => {
                if let Some(n) = nodes.get_mut(&c.key) {
                    raise(&mut n.mark, op_mark(c.op));
                    if c.op == Op::Moved {
                        n.moved_from = c
                            .fields
                            .iter()
                            .find(|f| f.name == "path")
                            .and_then(|f| f.base.clone());
                    }
                }
            }
            Element::Account => {
                let ou = c.ou.clone().unwrap_or_default();
                if let Some(n) = nodes.get_mut(&ou) {
                    let m = n.accounts.entry(c.key.clone()).or_insert(Mark::Unchanged);
                    raise(m, op_mark(c.op));
                }
                if c.op == Op::Moved
                    && let Some(from) = c
                        .fields
                        .iter()
                        .find(|f| f.name == "ou")
                        .and_then(|f| f.base.clone())
                    && let Some(n) = nodes.get_mut(if from == "Root" { "" } else { from.as_str() })
                {
                    raise(&mut n.mark, Mark::Changed);
                }
            }
            Element::Attachment => {
                // `policy → target`: the target OU or account changed
                let Some((_, target)) = c.key.rsplit_once(" → ") else {
                    continue;
                };
                if let Some(acct) = target.strip_prefix("account ") {
                    let ou = account_ou.get(acct).copied().unwrap_or("");
                    if let Some(n) = nodes.get_mut(ou) {
                        let m = n
                            .accounts
                            .entry(acct.to_string())
                            .or_insert(Mark::Unchanged);
                        raise(m, Mark::Changed);
                    }
                } else {
                    let path = if target == "Root" { "" } else { target };
                    if let Some(n) = nodes.get_mut(path) {
                        raise(&mut n.mark, Mark::Changed);
                    }
                }
            }
            Element::Organization => {
                if let Some(n) = nodes.get_mut("") {
                    raise(&mut n.mark, Mark::Changed);
                }
            }
            _ => {}
        }
    }
    for g in &access.groups {
        for acct in &g.accounts {
            let ou = account_ou.get(acct.as_str()).copied().unwrap_or("");
            if let Some(n) = nodes.get_mut(ou)
                && !n.accounts.contains_key(acct)
            {
                n.access_accounts.insert(acct.clone());
            }
        }
    }
    nodes.into_values().collect()
}

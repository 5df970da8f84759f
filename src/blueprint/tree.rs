//! The resolved organization tree: OUs with full paths and depths, accounts
//! with their OU, and target resolution (`Root`, OU paths, account names).
//! Validation uses it, and later stages (compilation, rendering, checks) can
//! build on it instead of walking the nested YAML model again.
//!
//! Target syntax (guardrail `attach:`, assignment `targets:`/`exclude:`,
//! `accounts:` of roles and delegated teams):
//!
//! ```text
//! Root                 the organization root
//! Workloads/Prod       an OU path (names joined with `/`)
//! payments-prod        an account name (member or management account)
//! ou:Sandbox           an OU path, when a name is both an OU and an account
//! account:sandbox      an account name, likewise
//! ```

use std::collections::HashMap;

use super::model::{Account, Blueprint, Ou};
use super::span::Sp;

/// The word for the organization root in targets.
pub const ROOT: &str = "Root";

#[derive(Debug)]
pub struct OuNode<'a> {
    pub name: &'a Sp<String>,
    /// `Workloads/Prod`
    pub path: String,
    pub parent: Option<usize>,
    /// 1 for an OU directly below the root.
    pub depth: usize,
    pub ou: &'a Ou,
    pub children: Vec<usize>,
    pub accounts: Vec<usize>,
}

#[derive(Debug)]
pub struct AccountNode<'a> {
    pub name: &'a Sp<String>,
    pub account: &'a Account,
    /// Index of the OU holding the account.
    pub ou: usize,
}

/// A resolved target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Root,
    Ou(usize),
    Account(usize),
    /// The management account (at the root; never in an OU).
    Management,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetError {
    Unknown,
    /// The name is both an OU path and an account name.
    Ambiguous,
}

/// The organization tree of a blueprint.
#[derive(Debug)]
pub struct OrgIndex<'a> {
    pub blueprint: &'a Blueprint,
    /// OUs in depth-first source order.
    pub ous: Vec<OuNode<'a>>,
    pub ou_by_path: HashMap<String, usize>,
    /// OUs directly below the root.
    pub top: Vec<usize>,
    /// Member accounts in depth-first source order (a name defined twice
    /// appears twice; lookups find the first).
    pub accounts: Vec<AccountNode<'a>>,
    pub account_by_name: HashMap<&'a str, usize>,
}

impl<'a> OrgIndex<'a> {
    pub fn new(blueprint: &'a Blueprint) -> Self {
        let mut index = OrgIndex {
            blueprint,
            ous: Vec::new(),
            ou_by_path: HashMap::new(),
            top: Vec::new(),
            accounts: Vec::new(),
            account_by_name: HashMap::new(),
        };
        for (name, ou) in blueprint.organizational_units.iter() {
            let id = index.add_ou(name, ou, None, String::new(), 1);
            index.top.push(id);
        }
        index
    }

    fn add_ou(
        &mut self,
        name: &'a Sp<String>,
        ou: &'a Ou,
        parent: Option<usize>,
        prefix: String,
        depth: usize,
    ) -> usize {
        let path = if prefix.is_empty() {
            name.value.clone()
        } else {
            format!("{prefix}/{}", name.value)
        };
        let id = self.ous.len();
        self.ous.push(OuNode {
            name,
            path: path.clone(),
            parent,
            depth,
            ou,
            children: Vec::new(),
            accounts: Vec::new(),
        });
        self.ou_by_path.entry(path.clone()).or_insert(id);
        for (account_name, account) in ou.accounts.iter() {
            let a = self.accounts.len();
            self.accounts.push(AccountNode {
                name: account_name,
                account,
                ou: id,
            });
            self.account_by_name
                .entry(account_name.as_str())
                .or_insert(a);
            self.ous[id].accounts.push(a);
        }
        for (child_name, child) in ou.children.iter() {
            let c = self.add_ou(child_name, child, Some(id), path.clone(), depth + 1);
            self.ous[id].children.push(c);
        }
        id
    }

    pub fn management_name(&self) -> &'a str {
        self.blueprint.organization.management_account.name.as_str()
    }

    /// An account by name: a member account or the management account.
    pub fn account(&self, name: &str) -> Option<Target> {
        if let Some(&a) = self.account_by_name.get(name) {
            return Some(Target::Account(a));
        }
        (name == self.management_name()).then_some(Target::Management)
    }

    pub fn resolve_target(&self, written: &str) -> Result<Target, TargetError> {
        if written == ROOT {
            return Ok(Target::Root);
        }
        if let Some(path) = written.strip_prefix("ou:") {
            return self
                .ou_by_path
                .get(path.trim_matches('/'))
                .map(|&i| Target::Ou(i))
                .ok_or(TargetError::Unknown);
        }
        if let Some(name) = written.strip_prefix("account:") {
            return self.account(name).ok_or(TargetError::Unknown);
        }
        let ou = self.ou_by_path.get(written.trim_matches('/')).copied();
        let account = self.account(written);
        match (ou, account) {
            (Some(_), Some(_)) => Err(TargetError::Ambiguous),
            (Some(o), None) => Ok(Target::Ou(o)),
            (None, Some(a)) => Ok(a),
            (None, None) => Err(TargetError::Unknown),
        }
    }

    /// Every name a target may be: `Root`, OU paths, account names.
    pub fn target_candidates(&self) -> Vec<&str> {
        let mut out = vec![ROOT, self.management_name()];
        out.extend(self.ous.iter().map(|o| o.path.as_str()));
        out.extend(self.accounts.iter().map(|a| a.name.as_str()));
        out
    }

    pub fn account_candidates(&self) -> Vec<&'a str> {
        let mut out = vec![self.management_name()];
        out.extend(self.accounts.iter().map(|a| a.name.as_str()));
        out
    }

    /// Member accounts below an OU (recursively or directly), in tree order.
    pub fn accounts_under(&self, ou: usize, recursive: bool) -> Vec<usize> {
        let mut out = self.ous[ou].accounts.clone();
        if recursive {
            for &c in &self.ous[ou].children {
                out.extend(self.accounts_under(c, true));
            }
        }
        out
    }

    /// The member accounts a target reaches (the management account is never
    /// included by `Root` or an OU; see [`Target::Management`]).
    pub fn accounts_of(&self, target: Target, recursive: bool) -> Vec<usize> {
        match target {
            Target::Root => {
                if recursive {
                    (0..self.accounts.len()).collect()
                } else {
                    Vec::new()
                }
            }
            Target::Ou(o) => self.accounts_under(o, recursive),
            Target::Account(a) => vec![a],
            Target::Management => Vec::new(),
        }
    }

    /// `Workloads/Prod` for the OU holding member account `a`.
    pub fn ou_path_of(&self, a: usize) -> &str {
        &self.ous[self.accounts[a].ou].path
    }

    /// Account name → OU path for every member account (first definition wins).
    pub fn account_paths(&self) -> HashMap<&'a str, &str> {
        self.account_by_name
            .iter()
            .map(|(name, &a)| (*name, self.ou_path_of(a)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::load_str;

    const BP: &str = "version: 1
organization:
  name: x
  management_account: {name: management, email: m@x.io}
  home_region: eu-west-1
organizational_units:
  Workloads:
    children:
      Prod:
        accounts:
          pay-prod: {email: p@x.io}
      NonProd:
        accounts:
          pay-dev: {email: d@x.io}
  Sandbox:
    accounts:
      Sandbox: {email: s@x.io}
";

    #[test]
    fn paths_depths_and_targets() {
        let loaded = load_str("bp.yaml", BP, std::path::Path::new(".")).unwrap();
        let idx = OrgIndex::new(&loaded.blueprint);
        let prod = idx.ou_by_path["Workloads/Prod"];
        assert_eq!(idx.ous[prod].depth, 2);
        assert_eq!(idx.resolve_target("Workloads/Prod"), Ok(Target::Ou(prod)));
        assert_eq!(idx.resolve_target("Root"), Ok(Target::Root));
        assert_eq!(idx.resolve_target("management"), Ok(Target::Management));
        assert_eq!(idx.resolve_target("Sandbox"), Err(TargetError::Ambiguous));
        assert!(matches!(
            idx.resolve_target("ou:Sandbox"),
            Ok(Target::Ou(_))
        ));
        assert!(matches!(
            idx.resolve_target("account:Sandbox"),
            Ok(Target::Account(_))
        ));
        assert_eq!(
            idx.resolve_target("Workloads/Prd"),
            Err(TargetError::Unknown)
        );
        let workloads = idx.ou_by_path["Workloads"];
        let names: Vec<_> = idx
            .accounts_of(Target::Ou(workloads), true)
            .into_iter()
            .map(|a| idx.accounts[a].name.as_str())
            .collect();
        assert_eq!(names, ["pay-prod", "pay-dev"]);
        assert!(idx.accounts_of(Target::Ou(workloads), false).is_empty());
        assert_eq!(idx.accounts_of(Target::Root, true).len(), 3);
        assert_eq!(idx.account_paths()["pay-dev"], "Workloads/NonProd");
    }
}

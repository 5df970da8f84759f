//! Engine-backed invariant checks: the questions an auditor or an attacker
//! would ask of the compiled organization, answered by the policy engine
//! before anything is deployed.
//!
//! Each check lives in its own file, has a code (`LF7xx`), a name, a default
//! severity and a doc comment in the style of ruff's rules (what it does, why
//! it is bad, an example, how to fix it, and the seed rows it covers); the
//! documentation shown by reports and `docs/checks.md` is read from that doc
//! comment ([`docs`]). Where a question is about behaviour the check asks the
//! engine through [`crate::principals::OrgEngine`] and attaches the decision
//! trace to the finding; every finding points at the blueprint lines that
//! caused it ([`crate::org::Origin`]).
//!
//! [`run`] runs every check and the blueprint's `tests:` ([`blueprint_tests`]), and
//! lints every policy of the organization (the engine's `PL` codes,
//! [`policy_lint`]).

mod abac;
mod abac_cross_tag;
mod abac_missing_principal_tag;
mod abac_untag;
mod abac_untagged_create;
mod audit_trail_unprotected;
pub mod blueprint_tests;
mod boundaries;
mod boundary_empty_intersection;
mod boundary_escalation;
mod boundary_unprotected;
mod delegation;
mod delegation_attach_admin;
mod delegation_boundary_tampering;
mod delegation_cannot_create;
mod delegation_other_boundary;
mod delegation_outside_path;
mod delegation_unbounded_create;
mod delegation_users_and_keys;
mod docs;
mod guarded;
mod hardcoded_org_id;
mod leave_organization_allowed;
mod member_root_allowed;
mod passrole_unscoped;
pub mod policy_lint;
mod probes;
mod prod_admin_without_boundary;
mod region_lock_global_services;
mod region_lock_open_region;
mod scp_lockout;
mod scp_shadowing;
mod session_duration;
mod trust;
mod trust_anyone;
mod trust_oidc_subject;
mod trust_third_party;
mod trust_whole_account;
mod trusted_principal_cannot_assume;
mod unevaluable_policy;
mod unknown_managed_policy;

use std::collections::BTreeMap;

pub use docs::{CheckDocs, docs, reference_markdown};

use crate::blueprint::Blueprint;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceId, SourceMap};
use crate::org::{AccountId, Org, Origin, OuId, PolicyId, PolicyKind, Target};
use crate::policy::eval::Evaluation;
use crate::principals::OrgEngine;

/// One check: its identity and the function that runs it.
#[derive(Clone, Copy)]
pub struct Check {
    /// `LF710`.
    pub code: &'static str,
    /// `region-lock-blocks-global-services`.
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the finding means.
    pub summary: &'static str,
    /// The check's source file, whose leading `//!` comment is its documentation.
    pub(crate) source: &'static str,
    pub(crate) run: fn(&mut Cx<'_>),
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("code", &self.code).finish()
    }
}

/// Every check, by code.
pub fn checks() -> &'static [Check] {
    &[
        unevaluable_policy::CHECK,
        unknown_managed_policy::CHECK,
        hardcoded_org_id::CHECK,
        region_lock_global_services::CHECK,
        region_lock_open_region::CHECK,
        trust_anyone::CHECK,
        trust_whole_account::CHECK,
        trust_third_party::CHECK,
        trust_oidc_subject::CHECK,
        trusted_principal_cannot_assume::CHECK,
        delegation_unbounded_create::CHECK,
        delegation_other_boundary::CHECK,
        delegation_outside_path::CHECK,
        delegation_boundary_tampering::CHECK,
        delegation_users_and_keys::CHECK,
        passrole_unscoped::CHECK,
        delegation_attach_admin::CHECK,
        delegation_cannot_create::CHECK,
        boundary_escalation::CHECK,
        boundary_unprotected::CHECK,
        boundary_empty_intersection::CHECK,
        abac_untagged_create::CHECK,
        abac_untag::CHECK,
        abac_missing_principal_tag::CHECK,
        abac_cross_tag::CHECK,
        audit_trail_unprotected::CHECK,
        member_root_allowed::CHECK,
        leave_organization_allowed::CHECK,
        scp_shadowing::CHECK,
        scp_lockout::CHECK,
        prod_admin_without_boundary::CHECK,
        session_duration::CHECK,
    ]
}

/// A check by code.
pub fn check(code: &str) -> Option<&'static Check> {
    checks().iter().find(|c| c.code == code)
}

/// What the blueprint said that the IR does not keep.
#[derive(Debug, Clone, Default)]
pub struct Intent {
    /// Delegated teams: team → the IAM path the team owns (`/team-app/`).
    pub delegation_paths: BTreeMap<String, String>,
    /// ABAC governance tag keys (`abac.tag_keys`).
    pub abac_tag_keys: Vec<String>,
    /// Create actions that must carry the tags (`abac.require_on_create`).
    pub require_on_create: Vec<String>,
    /// Policies read from files: IR construct (`policies.scp.sandbox-spend`) →
    /// the file's source, so lint findings point into the file.
    pub policy_files: BTreeMap<String, SourceId>,
}

impl Intent {
    /// What a loaded blueprint says. `files` maps constructs to policy files.
    pub fn from_blueprint(bp: &Blueprint) -> Self {
        use crate::blueprint::DocumentOrigin;
        use crate::blueprint::resolve::doc::iam_path;
        let mut intent = Intent::default();
        for (team, d) in bp.delegation.iter() {
            let path = d
                .path
                .as_ref()
                .map_or(team.value.as_str(), |p| p.value.as_str());
            intent
                .delegation_paths
                .insert(team.value.clone(), iam_path(path));
        }
        if let Some(abac) = &bp.abac {
            intent.abac_tag_keys = abac.tag_keys.iter().map(|k| k.value.clone()).collect();
            intent.require_on_create = abac
                .require_on_create
                .iter()
                .map(|k| k.value.clone())
                .collect();
        }
        let kinds = [
            ("scp", &bp.policies.scp),
            ("rcp", &bp.policies.rcp),
            ("managed", &bp.policies.managed),
        ];
        for (kind, defs) in kinds {
            for (name, def) in defs.iter() {
                if let Some(r) = &def.resolved
                    && let DocumentOrigin::File { source, .. } = r.origin
                {
                    intent
                        .policy_files
                        .insert(format!("policies.{kind}.{}", name.value), source);
                }
            }
        }
        intent
    }
}

/// What a run produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub diagnostics: Diagnostics,
    /// The blueprint's `tests:`, in order.
    pub tests: Vec<blueprint_tests::TestResult>,
    /// Codes of the checks that ran.
    pub checks_run: Vec<&'static str>,
}

/// Runs every check, the policy lint and the blueprint's `tests:`.
pub fn run(org: &Org, intent: &Intent, sources: &SourceMap) -> Outcome {
    let engine = OrgEngine::new(org);
    let mut cx = Cx::new(org, &engine, intent);
    let mut checks_run = Vec::new();
    for c in checks() {
        (c.run)(&mut cx);
        checks_run.push(c.code);
    }
    let mut diagnostics: Diagnostics = cx.out.into_iter().collect();
    diagnostics.extend(policy_lint::run(org, intent, sources));
    let (results, diags) = blueprint_tests::run(&engine);
    diagnostics.extend(diags);
    diagnostics.sort(sources);
    Outcome {
        diagnostics,
        tests: results,
        checks_run,
    }
}

/// Everything `landform check` produces for one blueprint file.
#[derive(Debug, Clone)]
pub struct Checked {
    pub stage: crate::report::Stage,
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
    pub tests: Vec<blueprint_tests::TestResult>,
    pub checks_run: Vec<&'static str>,
}

/// Loads, validates and compiles a blueprint, then runs every check and test.
/// Stops after a stage that reports errors.
pub fn check_path(path: &std::path::Path) -> Checked {
    use crate::blueprint::{load, resolve::resolve, validate};
    use crate::report::Stage;
    let loaded = match load(path) {
        Ok(l) => l,
        Err(f) => {
            return Checked {
                stage: Stage::Validate,
                diagnostics: f.diagnostics,
                sources: f.sources,
                tests: Vec::new(),
                checks_run: Vec::new(),
            };
        }
    };
    let mut diagnostics = validate(&loaded);
    if diagnostics.has_errors() {
        diagnostics.sort(&loaded.sources);
        return Checked {
            stage: Stage::Validate,
            diagnostics,
            sources: loaded.sources,
            tests: Vec::new(),
            checks_run: Vec::new(),
        };
    }
    let name = path.to_string_lossy().replace('\\', "/");
    let (org, compile_diags) = resolve(&loaded.blueprint, &name);
    diagnostics.extend(compile_diags);
    let Some(org) = org else {
        diagnostics.sort(&loaded.sources);
        return Checked {
            stage: Stage::Compile,
            diagnostics,
            sources: loaded.sources,
            tests: Vec::new(),
            checks_run: Vec::new(),
        };
    };
    let intent = Intent::from_blueprint(&loaded.blueprint);
    let outcome = run(&org, &intent, &loaded.sources);
    diagnostics.extend(outcome.diagnostics);
    diagnostics.sort(&loaded.sources);
    Checked {
        stage: Stage::Complete,
        diagnostics,
        sources: loaded.sources,
        tests: outcome.tests,
        checks_run: outcome.checks_run,
    }
}

/// Runs one check (for fixtures and tests).
pub fn run_one(org: &Org, intent: &Intent, code: &str) -> Vec<Diagnostic> {
    let engine = OrgEngine::new(org);
    let mut cx = Cx::new(org, &engine, intent);
    if let Some(c) = check(code) {
        (c.run)(&mut cx);
    }
    cx.out
}

/// Member accounts that share every organization policy: same OU, nothing
/// attached to the account itself. The engine gives the same answer for all
/// of them, so checks ask once per class and report the class.
#[derive(Debug, Clone)]
pub(crate) struct AccountClass {
    pub accounts: Vec<AccountId>,
    /// The account the probes are made in.
    pub representative: AccountId,
    /// `OU `Workloads/Prod` (2 accounts)` or `account `payments-prod``.
    pub name: String,
    /// The OU (or the account, when it has its own attachments).
    pub origin: Origin,
}

/// The state of one run of the checks.
pub(crate) struct Cx<'a> {
    pub org: &'a Org,
    pub engine: &'a OrgEngine<'a>,
    pub intent: &'a Intent,
    pub out: Vec<Diagnostic>,
    classes: Option<Vec<AccountClass>>,
}

impl<'a> Cx<'a> {
    fn new(org: &'a Org, engine: &'a OrgEngine<'a>, intent: &'a Intent) -> Self {
        Self {
            org,
            engine,
            intent,
            out: Vec::new(),
            classes: None,
        }
    }

    /// The classes of member accounts (SCPs apply to them).
    pub fn classes(&mut self) -> Vec<AccountClass> {
        if let Some(c) = &self.classes {
            return c.clone();
        }
        let org = self.org;
        // (OU, policies attached to the account, FullAWSAccess detached, the
        // account when it is alone in its class) → accounts
        type Key = (OuId, Vec<PolicyId>, bool, Option<AccountId>);
        let mut by_key: BTreeMap<Key, Vec<AccountId>> = BTreeMap::new();
        for a in &org.accounts {
            if a.is_management || self.engine.scp_levels(a.id).is_none() {
                continue;
            }
            let own: Vec<PolicyId> = org
                .attachments
                .iter()
                .filter(|x| x.target == Target::Account(a.id))
                .map(|x| x.policy)
                .collect();
            let detached = !org.has_full_aws_access(Target::Account(a.id));
            let alone = (!own.is_empty() || detached).then_some(a.id);
            by_key
                .entry((a.ou, own, detached, alone))
                .or_default()
                .push(a.id);
        }
        let classes: Vec<AccountClass> = by_key
            .into_iter()
            .map(|((ou, _, _, alone), accounts)| {
                let representative = accounts[0];
                let (name, origin) = match alone {
                    Some(a) => (
                        format!("account `{}`", org.account(a).name),
                        org.account(a).origin.clone(),
                    ),
                    None => {
                        let o = org.ou(ou);
                        let what = if o.is_root() {
                            "the root".to_string()
                        } else {
                            format!("OU `{}`", o.path)
                        };
                        let n = accounts.len();
                        let count = if n == 1 {
                            format!("account `{}`", org.account(accounts[0]).name)
                        } else {
                            format!("{n} accounts")
                        };
                        (format!("{what} ({count})"), o.origin.clone())
                    }
                };
                AccountClass {
                    accounts,
                    representative,
                    name,
                    origin,
                }
            })
            .collect();
        self.classes = Some(classes.clone());
        classes
    }

    /// A diagnostic of `check` placed at `origin`.
    pub fn diag(&self, check: &Check, message: impl Into<String>, origin: &Origin) -> Diagnostic {
        at(
            Diagnostic::new(check.severity, check.code, message),
            origin,
            "",
            &self.org.blueprint,
        )
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    /// Where a policy came from, preferring the part whose construct
    /// contains `hint` (`region_lock` in a merged guardrail SCP).
    pub fn policy_origin(&self, id: PolicyId, hint: &str) -> Origin {
        let p = self.org.policy(id);
        p.parts
            .iter()
            .find(|o| o.construct.contains(hint))
            .cloned()
            .unwrap_or_else(|| p.origin.clone())
    }

    /// The IR policy behind a label the engine printed (`scp:name`).
    pub fn policy_by_label(&self, label: &str) -> Option<PolicyId> {
        self.org
            .policies
            .iter()
            .find(|p| self.engine.label(p.id) == label)
            .map(|p| p.id)
    }

    /// The SCPs on the path of an account (every level), in level order.
    pub fn scps_on_path(&self, account: AccountId) -> Vec<PolicyId> {
        let mut out: Vec<PolicyId> = self
            .org
            .levels(account, PolicyKind::Scp)
            .into_iter()
            .flat_map(|(_, ids)| ids)
            .collect();
        out.dedup();
        out
    }
}

/// The account a principal acts in (as [`OrgEngine::describe`] says, without
/// formatting its ARNs).
pub(crate) fn principal_account(org: &Org, p: &crate::org::PrincipalRef) -> AccountId {
    use crate::org::PrincipalRef;
    match p {
        PrincipalRef::PermissionSet { account, .. } => *account,
        PrincipalRef::Role { role } => org.role(*role).account,
        PrincipalRef::BreakGlass { index } => org
            .break_glass
            .get(*index)
            .map_or(AccountId(0), |u| u.account),
    }
}

/// Places `d` at `origin`: a label when the origin has a span, otherwise a
/// note naming the construct (and the blueprint file).
pub(crate) fn at(mut d: Diagnostic, origin: &Origin, label: &str, blueprint: &str) -> Diagnostic {
    match origin.span {
        Some(span) => {
            if d.labels.iter().any(|l| l.primary) {
                d.with_secondary(span, label)
            } else {
                d.with_label(span, label)
            }
        }
        None => {
            if d.file.is_none() && !blueprint.is_empty() {
                d = d.with_file(blueprint.to_string());
            }
            d.with_note(format!("from `{}`", origin.construct))
        }
    }
}

/// The engine's decision trace as a note.
pub(crate) fn trace_note(ev: &Evaluation) -> String {
    let mut out = String::from("engine trace:\n");
    for line in ev.to_human().lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// `a`, `a and b`, `a, b and 3 more`.
pub(crate) fn list(items: &[String], max: usize) -> String {
    let shown: Vec<&String> = items.iter().take(max).collect();
    let more = items.len().saturating_sub(max);
    match (shown.as_slice(), more) {
        ([], _) => String::new(),
        ([one], 0) => (*one).clone(),
        (many, 0) => {
            let (last, rest) = many
                .split_last()
                .map_or((&many[0], &[][..]), |(l, r)| (l, r));
            format!(
                "{} and {last}",
                rest.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        (many, n) => format!(
            "{} and {n} more",
            many.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod unit_tests;

//! The AWS CLI renderer: the organization IR to bash scripts that call the
//! aws CLI, numbered in the order they run on a fresh organization.
//!
//! ## Layout (under `cli/`)
//! - `lib.sh` — helpers every script sources: the `aws` wrapper (region,
//!   endpoint), dry-run printing, look-ups of ids earlier scripts created,
//!   assuming the access role in member accounts.
//! - `00-organization.sh` — the organization (all features), policy types,
//!   trusted access for IAM Identity Center.
//! - `10-ous.sh` — the OU tree, parents first.
//! - `20-accounts.sh` — member accounts (created, or checked when the
//!   blueprint names an existing one), moved into their OU.
//! - `30-policies.sh` — SCPs and RCPs.
//! - `40-attachments.sh` — attachments to the root, OUs and accounts; the
//!   default `FullAWSAccess` taken off where the blueprint replaces it.
//! - `50-account-<name>.sh` — per account with IAM content: customer-managed
//!   policies and boundaries, roles, break-glass users, through
//!   `OrganizationAccountAccessRole`.
//! - `60-identity-center.sh` — groups, users, permission sets and their
//!   policies, account assignments. Last: permission sets reference
//!   customer-managed policies that must exist in every assigned account.
//! - `run-all.sh`, `README.md`.
//!
//! Accounts come before the organization policies so that policies (and
//! attachments to accounts) can name them; the whole sequence is one run.
//!
//! ## Values
//! Every blueprint value reaches a script through [`shell::quote`] (as a
//! tera filter `q`), comments through [`shell::comment`], policy documents
//! through quoted heredocs holding exactly [`Policy::text`] with placeholders
//! replaced at run time by ids looked up with the aws CLI.

pub mod shell;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::json;

use crate::diagnostics::SourceMap;
use crate::org::builder::key_of;
use crate::org::{
    Account, AccountId, AssignmentPrincipal, ManagedRef, Org, OrgPolicyType, Origin, OuId,
    Placeholder, Policy, PolicyId, PolicyKind, Target,
};
use crate::render::{OutputFile, header_text};

/// The role the per-account scripts assume by default.
pub const ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

/// The test-only switch that skips permission-set boundaries.
pub const SKIP_BOUNDARIES_VAR: &str = "LANDFORM_SKIP_PERMISSION_SET_BOUNDARIES";

const TEMPLATES: &[(&str, &str)] = &[
    ("lib.sh", include_str!("../../../templates/cli/lib.sh.tera")),
    (
        "prologue.sh",
        include_str!("../../../templates/cli/prologue.sh.tera"),
    ),
    (
        "organization.sh",
        include_str!("../../../templates/cli/organization.sh.tera"),
    ),
    ("ous.sh", include_str!("../../../templates/cli/ous.sh.tera")),
    (
        "accounts.sh",
        include_str!("../../../templates/cli/accounts.sh.tera"),
    ),
    (
        "policies.sh",
        include_str!("../../../templates/cli/policies.sh.tera"),
    ),
    (
        "attachments.sh",
        include_str!("../../../templates/cli/attachments.sh.tera"),
    ),
    (
        "account.sh",
        include_str!("../../../templates/cli/account.sh.tera"),
    ),
    (
        "identity-center.sh",
        include_str!("../../../templates/cli/identity-center.sh.tera"),
    ),
    (
        "run-all.sh",
        include_str!("../../../templates/cli/run-all.sh.tera"),
    ),
    (
        "README.md",
        include_str!("../../../templates/cli/README.md.tera"),
    ),
];

/// Renders the organization as AWS CLI scripts; paths start with `cli/`,
/// sorted. Comments name blueprint constructs (without line numbers: see
/// [`render_with_sources`]).
pub fn render(org: &Org) -> Vec<OutputFile> {
    render_with_sources(org, None)
}

/// [`render`], with comments that also name the blueprint line of each
/// element when `sources` can locate its origin.
pub fn render_with_sources(org: &Org, sources: Option<&SourceMap>) -> Vec<OutputFile> {
    let model = Model::new(org, sources);
    let tera = engine();
    let mut files = Vec::new();
    let mut emit = |path: String, template: &str, ctx: &tera::Context, executable: bool| {
        let text = match tera.render(template, ctx) {
            Ok(t) => tidy(&t),
            // templates are fixed and tested: a failure here is a bug, shown in the output
            Err(e) => format!("# landform: rendering {template} failed: {e:?}\nexit 1\n"),
        };
        let file = OutputFile::new(format!("cli/{path}"), text);
        files.push(if executable { file.executable() } else { file });
    };
    let base = model.base_context();
    emit("lib.sh".into(), "lib.sh", &base, false);
    for script in &model.scripts {
        let mut ctx = base.clone();
        ctx.insert("script", script);
        emit(script.file.clone(), &script.template, &ctx, true);
    }
    emit("run-all.sh".into(), "run-all.sh", &base, true);
    emit("README.md".into(), "README.md", &base, false);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// One tera instance with the templates and the filters; no autoescape
/// (quoting is the `q` filter's job).
fn engine() -> tera::Tera {
    let mut t = tera::Tera::new();
    t.autoescape_on(Vec::<&str>::new());
    t.register_filter("q", |s: &str, _: tera::Kwargs, _: &tera::State| -> String {
        shell::quote(s)
    });
    t.register_filter(
        "opts",
        |list: &[tera::Value], kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let indent: i64 = kwargs.get("indent")?.unwrap_or(4);
            let mut opts = Vec::new();
            for item in list {
                let parts: Vec<&str> = item
                    .as_array()
                    .unwrap_or_default()
                    .iter()
                    .map(|v| v.as_str().unwrap_or_default())
                    .collect();
                if let [flag, member, value] = parts[..] {
                    opts.push((flag, member, value));
                }
            }
            let separator = format!(" \\\n{}", " ".repeat(usize::try_from(indent).unwrap_or(4)));
            Ok(shell::options(&opts, &separator))
        },
    );
    t.register_filter(
        "oneline",
        |s: &str, _: tera::Kwargs, _: &tera::State| -> String { shell::escape_controls(s) },
    );
    t.register_filter(
        "comment",
        |s: &str, _: tera::Kwargs, _: &tera::State| -> String { shell::comment(s) },
    );
    for (name, text) in TEMPLATES {
        if let Err(e) = t.add_raw_template(name, text) {
            // surfaces in every file that uses the template (and in the tests)
            let message = format!("{e:?}").replace(['{', '}', '\n'], " ");
            let _ = t.add_raw_template(
                name,
                &format!("# landform: template {name} is broken: {message}\nexit 1\n"),
            );
        }
    }
    t
}

/// Collapses runs of blank lines that template control flow leaves behind,
/// and ends the file with exactly one newline.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end_matches([' ', '\t']);
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

// ---------------------------------------------------------------------------
// The model the templates read.

#[derive(Debug, Serialize)]
struct Script {
    /// `20-accounts.sh`.
    file: String,
    /// The template name.
    template: String,
    /// What the script does, one line (README, run-all, the script's header).
    summary: String,
    /// The ids it looks up before it starts.
    needs: Needs,
    /// Template-specific content.
    data: serde_json::Value,
}

/// Look-ups a script makes first (cached between scripts by `run-all.sh`).
#[derive(Debug, Default, Serialize)]
struct Needs {
    org: bool,
    /// OUs, parents first.
    ous: Vec<OuLookup>,
    /// `(key, email)` of accounts to find by e-mail.
    accounts: Vec<(String, String)>,
    /// `(key, id)` of accounts whose id the blueprint gives.
    known_accounts: Vec<(String, String)>,
    /// `(key, type, query)` of organization policies.
    policies: Vec<(String, String, String)>,
    identity_center: bool,
}

#[derive(Debug, Clone, Serialize)]
struct OuLookup {
    key: String,
    parent: String,
    query: String,
}

struct Model<'a> {
    org: &'a Org,
    sources: Option<&'a SourceMap>,
    ou_keys: Vec<String>,
    account_keys: Vec<String>,
    policy_keys: Vec<Option<String>>,
    scripts: Vec<Script>,
}

/// Unique keys (`[a-z0-9_]`) from names, `_2`, `_3`… on collisions.
#[derive(Default)]
struct Keys(BTreeSet<String>);

impl Keys {
    fn take(&mut self, prefix: &str, name: &str) -> String {
        let base = format!("{prefix}_{}", key_of(name));
        let mut key = base.clone();
        let mut n = 2;
        while self.0.contains(&key) {
            key = format!("{base}_{n}");
            n += 1;
        }
        self.0.insert(key.clone());
        key
    }
}

fn tags_json(tags: &BTreeMap<String, String>) -> Option<String> {
    if tags.is_empty() {
        return None;
    }
    let list: Vec<serde_json::Value> = tags
        .iter()
        .map(|(k, v)| json!({"Key": k, "Value": v}))
        .collect();
    Some(serde_json::Value::Array(list).to_string())
}

fn name_query(list: &str, field: &str, name: &str, id: &str) -> String {
    format!("{list}[?{field}=={}].{id}", shell::jmespath_literal(name))
}

impl<'a> Model<'a> {
    fn new(org: &'a Org, sources: Option<&'a SourceMap>) -> Self {
        let mut keys = Keys::default();
        let ou_keys = org
            .ous
            .iter()
            .map(|ou| {
                if ou.is_root() {
                    "root".to_string()
                } else {
                    keys.take("ou", &ou.path)
                }
            })
            .collect();
        let account_keys = org
            .accounts
            .iter()
            .map(|a| keys.take("account", &a.name))
            .collect();
        let policy_keys = org
            .policies
            .iter()
            .map(|p| match p.kind {
                PolicyKind::Scp => Some(keys.take("scp", &p.name)),
                PolicyKind::Rcp => Some(keys.take("rcp", &p.name)),
                _ => None,
            })
            .collect();
        let mut model = Model {
            org,
            sources,
            ou_keys,
            account_keys,
            policy_keys,
            scripts: Vec::new(),
        };
        model.scripts = model.build_scripts();
        model
    }

    fn base_context(&self) -> tera::Context {
        let org = self.org;
        let mut ctx = tera::Context::new();
        ctx.insert("header", &header_text(&org.blueprint));
        ctx.insert("org_name", &org.name);
        ctx.insert("blueprint", &org.blueprint);
        ctx.insert("home_region", &org.home_region);
        ctx.insert("access_role", ACCESS_ROLE);
        ctx.insert("skip_boundaries_var", SKIP_BOUNDARIES_VAR);
        let steps: Vec<serde_json::Value> = self
            .scripts
            .iter()
            .map(|s| {
                json!({
                    "file": s.file,
                    "summary": s.summary,
                    "parallel": s.template == "account.sh",
                })
            })
            .collect();
        ctx.insert("steps", &steps);
        ctx.insert(
            "uses_identity_center",
            &self
                .scripts
                .iter()
                .any(|s| s.template == "identity-center.sh"),
        );
        ctx.insert(
            "has_boundaries_on_permission_sets",
            &org.permission_sets.iter().any(|p| p.boundary.is_some()),
        );
        ctx
    }

    /// `blueprint: CONSTRUCT (FILE:LINE)`.
    fn origin(&self, origin: &Origin) -> String {
        self.origin_text(&origin.construct, origin)
    }

    fn origin_text(&self, what: &str, origin: &Origin) -> String {
        match origin.span.and_then(|s| self.sources?.locate(s)) {
            Some(loc) => format!("blueprint: {what} ({}:{})", loc.file, loc.line),
            None => format!("blueprint: {what}"),
        }
    }

    /// The origins of a policy: its own, or each merged part's (deduplicated).
    fn policy_origin(&self, policy: &Policy) -> String {
        if policy.parts.is_empty() {
            return self.origin(&policy.origin);
        }
        let mut lines: Vec<String> = Vec::new();
        for part in &policy.parts {
            let line = self.origin(part);
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        lines.join("\n")
    }

    fn ou_key(&self, ou: OuId) -> &str {
        &self.ou_keys[ou.index()]
    }

    fn account_key(&self, a: AccountId) -> &str {
        &self.account_keys[a.index()]
    }

    /// The look-ups that give `ID[ou_…]` for `ou` (its chain from the root).
    fn need_ou(&self, needs: &mut Needs, ou: OuId) {
        needs.org = true;
        for id in self.org.ou_chain(ou).into_iter().skip(1) {
            let o = self.org.ou(id);
            let key = self.ou_key(id).to_string();
            if needs.ous.iter().any(|l| l.key == key) {
                continue;
            }
            needs.ous.push(OuLookup {
                key,
                parent: self.ou_key(o.parent.unwrap_or(OuId(0))).to_string(),
                query: name_query("OrganizationalUnits", "Name", &o.name, "Id"),
            });
        }
    }

    /// The look-up that gives `ID[account_…]`.
    fn need_account(&self, needs: &mut Needs, a: AccountId) {
        let acct = self.org.account(a);
        let key = self.account_key(a).to_string();
        if needs.accounts.iter().any(|(k, _)| *k == key)
            || needs.known_accounts.iter().any(|(k, _)| *k == key)
        {
            return;
        }
        match &acct.aws_account_id {
            Some(id) => needs.known_accounts.push((key, id.clone())),
            None if acct.is_management => {
                needs.org = true;
                needs.known_accounts.push((key, String::new()));
            }
            None => needs.accounts.push((key, acct.email.clone())),
        }
    }

    fn need_target(&self, needs: &mut Needs, target: Target) {
        match target {
            Target::Root => needs.org = true,
            Target::Ou(ou) => self.need_ou(needs, ou),
            Target::Account(a) => self.need_account(needs, a),
        }
    }

    /// `"${ID[key]}"` for a target.
    fn target_word(&self, target: Target) -> String {
        let key = match target {
            Target::Root => "root",
            Target::Ou(ou) => self.ou_key(ou),
            Target::Account(a) => self.account_key(a),
        };
        format!("\"${{ID[{key}]}}\"")
    }

    /// A policy document as a heredoc into `var`, plus the lines that put
    /// the ids of placeholders in; records the look-ups they need.
    fn document(&self, var: &str, policy: &Policy, needs: &mut Needs) -> String {
        let text = policy.text();
        let mut base = "LFPH".to_string();
        while text.contains(&base) {
            base.push('X');
        }
        let mut found: Vec<Placeholder> = Vec::new();
        let document = Placeholder::substitute(&policy.document, &mut |p| {
            let known = match p {
                Placeholder::OrgId => true,
                Placeholder::AccountId(name) => self.org.account_by_name(name).is_some(),
            };
            if !known {
                return p.to_string();
            }
            let index = found.iter().position(|q| q == p).unwrap_or_else(|| {
                found.push(p.clone());
                found.len() - 1
            });
            format!("__{base}{index}__")
        });
        let marked = Policy {
            document,
            ..policy.clone()
        }
        .text();
        let mut out = shell::heredoc(var, &marked);
        for (i, p) in found.iter().enumerate() {
            let (key, what) = match p {
                Placeholder::OrgId => {
                    needs.org = true;
                    ("org".to_string(), "the organization id".to_string())
                }
                Placeholder::AccountId(name) => match self.org.account_by_name(name) {
                    Some(a) => {
                        self.need_account(needs, a.id);
                        (
                            self.account_key(a.id).to_string(),
                            format!("the id of account {name}"),
                        )
                    }
                    None => continue,
                },
            };
            out.push('\n');
            out.push_str(&shell::comment(&format!("__{base}{i}__ is {what}")));
            out.push_str(&format!(
                "\n{var}=${{{var}//__{base}{i}__/\"${{ID[{key}]}}\"}}"
            ));
        }
        out
    }

    fn build_scripts(&self) -> Vec<Script> {
        let mut scripts = vec![self.organization_script(), self.ous_script()];
        scripts.extend(self.accounts_script());
        scripts.extend(self.policies_script());
        scripts.extend(self.attachments_script());
        for a in &self.org.accounts {
            scripts.extend(self.account_script(a));
        }
        scripts.extend(self.identity_center_script());
        scripts
    }

    fn uses_identity_center(&self) -> bool {
        let o = self.org;
        !(o.permission_sets.is_empty()
            && o.groups.is_empty()
            && o.users.is_empty()
            && o.assignments.is_empty())
    }

    fn organization_script(&self) -> Script {
        let org = self.org;
        let mut types: Vec<&str> = org.policy_types.iter().map(|t| t.as_str()).collect();
        types.sort_unstable();
        types.dedup();
        let mgmt = org.management_account();
        let data = json!({
            "comment": mgmt.map_or_else(|| "blueprint: organization".to_string(), |a| self.origin(&a.origin)),
            "policy_types": types,
            "management_id": mgmt.and_then(|a| a.aws_account_id.clone()),
            "management_tags": mgmt.and_then(|a| tags_json(&a.tags)),
            "trusted_access": self.uses_identity_center(),
        });
        Script {
            file: "00-organization.sh".into(),
            template: "organization.sh".into(),
            summary: "the organization (all features), its policy types, trusted access".into(),
            needs: Needs::default(),
            data,
        }
    }

    fn ous_script(&self) -> Script {
        let mut needs = Needs {
            org: true,
            ..Needs::default()
        };
        needs.org = true;
        let ous: Vec<serde_json::Value> = self
            .org
            .ous
            .iter()
            .skip(1)
            .map(|ou| {
                json!({
                    "key": self.ou_key(ou.id),
                    "parent": self.ou_key(ou.parent.unwrap_or(OuId(0))),
                    "name": ou.name,
                    "path": ou.path,
                    "query": name_query("OrganizationalUnits", "Name", &ou.name, "Id"),
                    "tags": tags_json(&ou.tags),
                    "comment": self.origin(&ou.origin),
                })
            })
            .collect();
        Script {
            file: "10-ous.sh".into(),
            template: "ous.sh".into(),
            summary: "the OU tree, parents first".into(),
            needs,
            data: json!({ "ous": ous }),
        }
    }

    fn accounts_script(&self) -> Option<Script> {
        let members: Vec<&Account> = self
            .org
            .accounts
            .iter()
            .filter(|a| !a.is_management)
            .collect();
        if members.is_empty() {
            return None;
        }
        let mut needs = Needs {
            org: true,
            ..Needs::default()
        };
        let mut lookups = Vec::new();
        let mut items = Vec::new();
        for a in &members {
            if a.ou.index() != 0 {
                self.need_ou(&mut needs, a.ou);
            }
            if a.aws_account_id.is_none() {
                lookups.push((self.account_key(a.id).to_string(), a.email.clone()));
            }
            items.push(json!({
                "key": self.account_key(a.id),
                "name": a.name,
                "email": a.email,
                "id": a.aws_account_id,
                "ou": self.ou_key(a.ou),
                "ou_path": if a.ou.index() == 0 { "Root".to_string() } else { self.org.ou(a.ou).path.clone() },
                "tags": tags_json(&a.tags),
                "comment": self.origin(&a.origin),
            }));
        }
        Some(Script {
            file: "20-accounts.sh".into(),
            template: "accounts.sh".into(),
            summary: "member accounts, each in its OU".into(),
            needs,
            data: json!({ "accounts": items, "lookups": lookups }),
        })
    }

    fn policies_script(&self) -> Option<Script> {
        let mut needs = Needs::default();
        let mut items = Vec::new();
        for p in &self.org.policies {
            let Some(key) = &self.policy_keys[p.id.index()] else {
                continue;
            };
            let ptype = match p.kind {
                PolicyKind::Rcp => "RESOURCE_CONTROL_POLICY",
                _ => "SERVICE_CONTROL_POLICY",
            };
            items.push(json!({
                "key": key,
                "name": p.name,
                "type": ptype,
                "description": p.description,
                "query": name_query("Policies", "Name", &p.name, "Id"),
                "document": self.document("doc", p, &mut needs),
                "comment": self.policy_origin(p),
            }));
        }
        if items.is_empty() {
            return None;
        }
        Some(Script {
            file: "30-policies.sh".into(),
            template: "policies.sh".into(),
            summary: "service and resource control policies".into(),
            needs,
            data: json!({ "policies": items }),
        })
    }

    fn attachments_script(&self) -> Option<Script> {
        let org = self.org;
        let mut needs = Needs::default();
        // grouped by (target, type), in IR order of first appearance
        let mut groups: Vec<(Target, &str, Vec<String>, Vec<String>)> = Vec::new();
        for att in &org.attachments {
            let Some(pkey) = &self.policy_keys[att.policy.index()] else {
                continue;
            };
            let p = org.policy(att.policy);
            let ptype = match p.kind {
                PolicyKind::Rcp => "RESOURCE_CONTROL_POLICY",
                _ => "SERVICE_CONTROL_POLICY",
            };
            self.need_target(&mut needs, att.target);
            if !needs.policies.iter().any(|(k, _, _)| k == pkey) {
                needs.policies.push((
                    pkey.clone(),
                    ptype.to_string(),
                    name_query("Policies", "Name", &p.name, "Id"),
                ));
            }
            let comment = self.origin_text(
                &format!("{} (policy {})", att.origin.construct, p.name),
                &att.origin,
            );
            match groups
                .iter_mut()
                .find(|g| g.0 == att.target && g.1 == ptype)
            {
                Some(g) => {
                    if !g.2.contains(pkey) {
                        g.2.push(pkey.clone());
                    }
                    if !g.3.contains(&comment) {
                        g.3.push(comment);
                    }
                }
                None => groups.push((att.target, ptype, vec![pkey.clone()], vec![comment])),
            }
        }
        let items: Vec<serde_json::Value> = groups
            .iter()
            .map(|(target, ptype, keys, comments)| {
                json!({
                    "target": org.target_name(*target),
                    "target_word": self.target_word(*target),
                    "type": ptype,
                    "policies": keys.iter().map(|k| format!("\"${{ID[{k}]}}\"")).collect::<Vec<_>>(),
                    "comment": comments.join("\n"),
                })
            })
            .collect();
        let detach: Vec<serde_json::Value> = full_aws_access_detach(org)
            .into_iter()
            .map(|t| {
                self.need_target(&mut needs, t);
                json!({"target": org.target_name(t), "target_word": self.target_word(t)})
            })
            .collect();
        if items.is_empty() && detach.is_empty() {
            return None;
        }
        Some(Script {
            file: "40-attachments.sh".into(),
            template: "attachments.sh".into(),
            summary: "policy attachments to the root, OUs and accounts".into(),
            needs,
            data: json!({ "attachments": items, "detach": detach }),
        })
    }

    /// The shell word for the ARN of a managed policy inside the account
    /// whose id is in `$account_id`.
    fn arn_word(r: &ManagedRef) -> String {
        match r {
            ManagedRef::Aws { arn } => shell::quote(arn),
            ManagedRef::Customer(c) => format!(
                "\"arn:$LANDFORM_PARTITION:iam::$account_id:policy\"{}",
                shell::quote(&format!("{}{}", c.path, c.name))
            ),
        }
    }

    fn account_script(&self, acct: &Account) -> Option<Script> {
        let org = self.org;
        let policies: Vec<&Policy> = org
            .policies
            .iter()
            .filter(|p| matches!(p.kind, PolicyKind::Managed | PolicyKind::Boundary))
            .filter(|p| p.accounts.contains(&acct.id))
            .collect();
        let roles: Vec<_> = org.roles.iter().filter(|r| r.account == acct.id).collect();
        let users: Vec<_> = org
            .break_glass
            .iter()
            .filter(|u| u.account == acct.id)
            .collect();
        if policies.is_empty() && roles.is_empty() && users.is_empty() {
            return None;
        }
        let mut needs = Needs::default();
        self.need_account(&mut needs, acct.id);
        let mut policy_items = Vec::new();
        for p in &policies {
            policy_items.push(json!({
                "name": p.name,
                "path": p.path,
                "path_name": format!("{}{}", p.path, p.name),
                "kind": if p.kind == PolicyKind::Boundary { "permissions boundary" } else { "customer-managed policy" },
                "description": p.description,
                "document": self.document("doc", p, &mut needs),
                "comment": self.policy_origin(p),
            }));
        }
        let mut role_items = Vec::new();
        for r in &roles {
            let inline: Vec<serde_json::Value> = r
                .inline
                .iter()
                .map(|id| {
                    let p = org.policy(*id);
                    json!({
                        "name": p.name,
                        "document": self.document("doc", p, &mut needs),
                        "comment": self.policy_origin(p),
                    })
                })
                .collect();
            role_items.push(json!({
                "name": r.name,
                "path": r.path,
                "description": r.description,
                "max_session": r.max_session_seconds,
                "trust": self.document("trust", org.policy(r.trust), &mut needs),
                "boundary": r.boundary.as_ref().map(Self::arn_word),
                "managed": r.managed.iter().map(Self::arn_word).collect::<Vec<_>>(),
                "inline": inline,
                "tags": tags_json(&r.tags),
                "comment": self.origin(&r.origin),
            }));
        }
        // break-glass groups (several users may share one), then users
        let mut groups: Vec<(String, Vec<String>, Vec<PolicyId>, String)> = Vec::new();
        for u in &users {
            let idx = match groups.iter().position(|g| g.0 == u.group) {
                Some(i) => i,
                None => {
                    groups.push((
                        u.group.clone(),
                        Vec::new(),
                        Vec::new(),
                        self.origin(&u.origin),
                    ));
                    groups.len() - 1
                }
            };
            for m in &u.managed {
                let w = Self::arn_word(m);
                if !groups[idx].1.contains(&w) {
                    groups[idx].1.push(w);
                }
            }
            for id in &u.group_inline {
                if !groups[idx].2.contains(id) {
                    groups[idx].2.push(*id);
                }
            }
        }
        let group_items: Vec<serde_json::Value> = groups
            .iter()
            .map(|(name, managed, inline, comment)| {
                let inline: Vec<serde_json::Value> = inline
                    .iter()
                    .map(|id| {
                        let p = org.policy(*id);
                        json!({
                            "name": p.name,
                            "document": self.document("doc", p, &mut needs),
                            "comment": self.policy_origin(p),
                        })
                    })
                    .collect();
                json!({"name": name, "managed": managed, "inline": inline, "comment": comment})
            })
            .collect();
        let user_items: Vec<serde_json::Value> = users
            .iter()
            .map(|u| json!({"name": u.name, "group": u.group, "comment": self.origin(&u.origin)}))
            .collect();
        let mut what = Vec::new();
        if !policies.is_empty() {
            what.push("customer-managed policies and boundaries");
        }
        if !roles.is_empty() {
            what.push("roles");
        }
        if !users.is_empty() {
            what.push("break-glass users");
        }
        Some(Script {
            file: format!("50-account-{}.sh", key_of(&acct.name).replace('_', "-")),
            template: "account.sh".into(),
            summary: format!("account {}: {}", acct.name, what.join(", ")),
            needs,
            data: json!({
                "account": acct.name,
                "key": self.account_key(acct.id),
                "is_management": acct.is_management,
                "comment": self.origin(&acct.origin),
                "policies": policy_items,
                "roles": role_items,
                "groups": group_items,
                "users": user_items,
            }),
        })
    }

    fn identity_center_script(&self) -> Option<Script> {
        if !self.uses_identity_center() {
            return None;
        }
        let org = self.org;
        let mut needs = Needs {
            identity_center: true,
            ..Needs::default()
        };
        let mut keys = Keys::default();
        let mut group_keys: BTreeMap<String, String> = BTreeMap::new();
        let mut groups = Vec::new();
        for g in &org.groups {
            if group_keys.contains_key(&g.name) {
                continue;
            }
            let key = keys.take("group", &g.name);
            group_keys.insert(g.name.clone(), key.clone());
            groups.push(json!({
                "key": key,
                "name": g.name,
                "description": g.description,
                "query": name_query("Groups", "DisplayName", &g.name, "GroupId"),
                "comment": self.origin(&g.origin),
            }));
        }
        let mut user_keys: BTreeMap<String, String> = BTreeMap::new();
        let mut users = Vec::new();
        let mut memberships = Vec::new();
        for u in &org.users {
            if user_keys.contains_key(&u.user_name) {
                continue;
            }
            let key = keys.take("user", &u.user_name);
            user_keys.insert(u.user_name.clone(), key.clone());
            let (given, family) = split_name(&u.display_name);
            let mut name = json!({"GivenName": given, "FamilyName": family});
            if u.display_name.trim().is_empty() {
                name = json!({"GivenName": u.user_name, "FamilyName": u.user_name});
            }
            users.push(json!({
                "key": key,
                "name": u.user_name,
                "display_name": u.display_name,
                "name_json": name.to_string(),
                "emails_json": (!u.email.is_empty()).then(|| json!([{"Value": u.email, "Primary": true}]).to_string()),
                "query": name_query("Users", "UserName", &u.user_name, "UserId"),
                "comment": self.origin(&u.origin),
            }));
            for g in &u.groups {
                memberships.push((
                    g.clone(),
                    key.clone(),
                    u.user_name.clone(),
                    self.origin(&u.origin),
                ));
            }
        }
        // principals the blueprint names but does not define: they must exist
        let mut external = Vec::new();
        let mut wanted_groups: Vec<String> = memberships.iter().map(|m| m.0.clone()).collect();
        let mut wanted_users: Vec<String> = Vec::new();
        for a in &org.assignments {
            match &a.principal {
                AssignmentPrincipal::Group(g) => wanted_groups.push(g.clone()),
                AssignmentPrincipal::User(u) => wanted_users.push(u.clone()),
            }
        }
        for g in wanted_groups {
            if group_keys.contains_key(&g) {
                continue;
            }
            let key = keys.take("group", &g);
            external.push(json!({
                "key": key,
                "what": format!("group {g}"),
                "call": "list-groups",
                "query": name_query("Groups", "DisplayName", &g, "GroupId"),
            }));
            group_keys.insert(g, key);
        }
        for u in wanted_users {
            if user_keys.contains_key(&u) {
                continue;
            }
            let key = keys.take("user", &u);
            external.push(json!({
                "key": key,
                "what": format!("user {u}"),
                "call": "list-users",
                "query": name_query("Users", "UserName", &u, "UserId"),
            }));
            user_keys.insert(u, key);
        }
        let membership_items: Vec<serde_json::Value> = memberships
            .iter()
            .filter_map(|(g, ukey, uname, comment)| {
                Some(json!({
                    "group": group_keys.get(g)?,
                    "group_name": g,
                    "user": ukey,
                    "user_name": uname,
                    "comment": comment,
                }))
            })
            .collect();

        let mut ps_keys = Vec::new();
        let mut sets = Vec::new();
        for ps in &org.permission_sets {
            let key = keys.take("ps", &ps.name);
            ps_keys.push(key.clone());
            let mut aws_managed = Vec::new();
            let mut customer = Vec::new();
            for m in &ps.managed {
                match m {
                    ManagedRef::Aws { arn } => aws_managed.push(arn.clone()),
                    ManagedRef::Customer(c) => customer.push(json!({
                        "path_name": format!("{}{}", c.path, c.name),
                        "json": json!({"Name": c.name, "Path": c.path}).to_string(),
                    })),
                }
            }
            let boundary = ps.boundary.as_ref().map(|b| match b {
                ManagedRef::Aws { arn } => json!({"ManagedPolicyArn": arn}).to_string(),
                ManagedRef::Customer(c) => json!({
                    "CustomerManagedPolicyReference": {"Name": c.name, "Path": c.path}
                })
                .to_string(),
            });
            let inline = ps.inline.map(|id| {
                let p = org.policy(id);
                json!({
                    "document": self.document("doc", p, &mut needs),
                    "comment": self.policy_origin(p),
                })
            });
            // what `describe-permission-set --query 'PermissionSet.[Name,
            // Description,SessionDuration,RelayState]' --output json` prints
            let absent = |s: &str| (!s.is_empty()).then(|| s.to_string());
            let settings = shell::cli_json_list(&[
                Some(ps.name.clone()),
                absent(&ps.description),
                Some(ps.session_duration.clone()),
                ps.relay_state.clone().filter(|r| !r.is_empty()),
            ]);
            sets.push(json!({
                "key": key,
                "name": ps.name,
                "settings": shell::heredoc("want", &settings),
                "description": ps.description,
                "session_duration": ps.session_duration,
                "relay_state": ps.relay_state,
                "tags": tags_json(&ps.tags),
                "aws_managed": aws_managed,
                "customer_managed": customer,
                "inline": inline,
                "boundary": boundary,
                "comment": self.origin(&ps.origin),
            }));
        }
        let mut seen = BTreeSet::new();
        let mut assignments = Vec::new();
        for a in &org.assignments {
            if !seen.insert((a.principal.clone(), a.permission_set, a.account)) {
                continue;
            }
            let (ptype, label, key) = match &a.principal {
                AssignmentPrincipal::Group(g) => ("GROUP", format!("group {g}"), group_keys.get(g)),
                AssignmentPrincipal::User(u) => ("USER", format!("user {u}"), user_keys.get(u)),
            };
            let Some(key) = key else { continue };
            self.need_account(&mut needs, a.account);
            let via = match a.via {
                Target::Account(_) => String::new(),
                t => format!(" (via {})", org.target_name(t)),
            };
            let ps = org.permission_set(a.permission_set);
            assignments.push(json!({
                "label": format!("{label} → {} @ {}", ps.name, org.account(a.account).name),
                "ps": ps_keys[a.permission_set.index()],
                "account": self.account_key(a.account),
                "type": ptype,
                "principal": key,
                "comment": self.origin_text(&format!("{}{via}", a.origin.construct), &a.origin),
            }));
        }
        let ps_pairs: Vec<(String, String)> = org
            .permission_sets
            .iter()
            .zip(&ps_keys)
            .map(|(ps, k)| (k.clone(), ps.name.clone()))
            .collect();
        Some(Script {
            file: "60-identity-center.sh".into(),
            template: "identity-center.sh".into(),
            summary: "IAM Identity Center: groups, users, permission sets, assignments".into(),
            needs,
            data: json!({
                "groups": groups,
                "users": users,
                "external": external,
                "memberships": membership_items,
                "permission_sets": sets,
                "permission_set_pairs": ps_pairs,
                "assignments": assignments,
            }),
        })
    }
}

/// The targets to take the AWS default `FullAWSAccess` SCP off (root, OUs,
/// accounts, in IR order): where the blueprint does not keep it and that have
/// an SCP of their own (AWS refuses to leave a target without any).
pub fn full_aws_access_detach(org: &Org) -> Vec<Target> {
    if !org
        .policy_types
        .contains(&OrgPolicyType::ServiceControlPolicy)
    {
        return Vec::new();
    }
    let mut targets = vec![Target::Root];
    targets.extend(org.ous.iter().skip(1).map(|o| Target::Ou(o.id)));
    targets.extend(org.accounts.iter().map(|a| Target::Account(a.id)));
    targets
        .into_iter()
        .filter(|t| !org.has_full_aws_access(*t) && !org.attached(*t, PolicyKind::Scp).is_empty())
        .collect()
}

/// Identity Center wants a given and a family name; the first word of the
/// display name is the given name, the rest the family name (a one-word name
/// is used for both). The same split as the Terraform renderer's.
fn split_name(display: &str) -> (&str, &str) {
    let display = display.trim();
    match display.split_once(char::is_whitespace) {
        Some((given, family)) if !family.trim().is_empty() => (given, family.trim()),
        _ => (display, display),
    }
}

//! `landform show BLUEPRINT [--what tree|policies|assignments|roles|all]
//! [--format human|json|yaml]`: the compiled organization.
//!
//! The blueprint is loaded, validated and compiled ([`crate::blueprint::resolve`]);
//! the result is printed for a reviewer (human: the OU tree with the policies
//! attached at each level, every generated policy with a comment naming the
//! blueprint line that produced it, the expanded assignments, the roles) or
//! for scripts (JSON or YAML: the organization IR's own serialization, with a
//! `file`/`line`/`column` added to every origin; see `docs/show-json.md`).
//!
//! Exit codes, as `landform validate`: 0 when the blueprint compiles (warnings
//! go to stderr), 1 when validation or compilation finds errors (printed to
//! stderr), 2 when the blueprint cannot be read or parsed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::CommandError;
use super::pipeline::compile;
use crate::blueprint::resolve::doc::counted_chars;
use crate::blueprint::resolve::limits;
use crate::cli::{Exit, Io, ShowArgs, ShowFormat, ShowWhat};
use crate::diagnostics::SourceMap;
use crate::org::{
    AssignmentPrincipal, ManagedRef, Org, Origin, PolicyId, PolicyKind, RoleKind, Target,
};

/// The version of the JSON/YAML document `show` prints.
pub const SHOW_FORMAT_VERSION: u32 = 1;

pub fn run(args: &ShowArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let compiled = match compile(&args.blueprint, io)? {
        Ok(c) => c,
        Err(exit) => return Ok(exit),
    };
    let (org, sources) = (compiled.org, compiled.sources);
    let text = match args.format {
        ShowFormat::Human => human(&org, &sources, args.what),
        ShowFormat::Json => {
            let mut s = serde_json::to_string_pretty(&document(&org, &sources, args.what))
                .map_err(|e| CommandError::Input(format!("cannot print JSON: {e}")))?;
            s.push('\n');
            s
        }
        ShowFormat::Yaml => serde_saphyr::to_string(&document(&org, &sources, args.what))
            .map_err(|e| CommandError::Input(format!("cannot print YAML: {e}")))?,
    };
    io.out.write_all(text.as_bytes())?;
    Ok(Exit::Success)
}

// ---------------------------------------------------------------------------
// JSON / YAML

fn what_name(what: ShowWhat) -> &'static str {
    match what {
        ShowWhat::Tree => "tree",
        ShowWhat::Policies => "policies",
        ShowWhat::Assignments => "assignments",
        ShowWhat::Roles => "roles",
        ShowWhat::All => "all",
    }
}

/// The organization arrays a section needs. Arrays are always complete, so
/// the numeric ids inside (indexes into them) stay valid.
fn sections(what: ShowWhat) -> &'static [&'static str] {
    match what {
        ShowWhat::Tree => &["ous", "accounts", "policies", "attachments"],
        ShowWhat::Policies => &["accounts", "policies"],
        ShowWhat::Assignments => &[
            "accounts",
            "policies",
            "groups",
            "users",
            "permission_sets",
            "assignments",
        ],
        ShowWhat::Roles => &["accounts", "policies", "roles", "break_glass"],
        ShowWhat::All => &[
            "ous",
            "accounts",
            "policies",
            "attachments",
            "groups",
            "users",
            "permission_sets",
            "assignments",
            "roles",
            "break_glass",
            "tests",
        ],
    }
}

/// Adds `file`, `line` and `column` to a serialized origin.
fn locate(value: &mut Value, origin: &Origin, sources: &SourceMap) {
    let Some(obj) = value.as_object_mut() else {
        return;
    };
    if let Some(loc) = origin.span.and_then(|s| sources.locate(s)) {
        obj.insert("file".into(), json!(loc.file));
        obj.insert("line".into(), json!(loc.line));
        obj.insert("column".into(), json!(loc.column));
    }
}

fn locate_all<T>(
    arr: Option<&mut Value>,
    items: &[T],
    sources: &SourceMap,
    f: impl Fn(&T) -> &Origin,
) {
    let Some(Value::Array(list)) = arr else {
        return;
    };
    for (v, item) in list.iter_mut().zip(items) {
        if let Some(o) = v.get_mut("origin") {
            locate(o, f(item), sources);
        }
    }
}

/// The stable document of `docs/show-json.md`.
pub fn document(org: &Org, sources: &SourceMap, what: ShowWhat) -> Value {
    let Ok(Value::Object(mut full)) = serde_json::to_value(org) else {
        return Value::Null;
    };
    locate_all(full.get_mut("ous"), &org.ous, sources, |x| &x.origin);
    locate_all(full.get_mut("accounts"), &org.accounts, sources, |x| {
        &x.origin
    });
    locate_all(full.get_mut("policies"), &org.policies, sources, |x| {
        &x.origin
    });
    if let Some(Value::Array(list)) = full.get_mut("policies") {
        for (v, p) in list.iter_mut().zip(&org.policies) {
            if let Some(Value::Array(parts)) = v.get_mut("parts") {
                for (pv, o) in parts.iter_mut().zip(&p.parts) {
                    locate(pv, o, sources);
                }
            }
        }
    }
    locate_all(
        full.get_mut("attachments"),
        &org.attachments,
        sources,
        |x| &x.origin,
    );
    locate_all(full.get_mut("groups"), &org.groups, sources, |x| &x.origin);
    locate_all(full.get_mut("users"), &org.users, sources, |x| &x.origin);
    locate_all(
        full.get_mut("permission_sets"),
        &org.permission_sets,
        sources,
        |x| &x.origin,
    );
    locate_all(
        full.get_mut("assignments"),
        &org.assignments,
        sources,
        |x| &x.origin,
    );
    locate_all(full.get_mut("roles"), &org.roles, sources, |x| &x.origin);
    locate_all(
        full.get_mut("break_glass"),
        &org.break_glass,
        sources,
        |x| &x.origin,
    );
    locate_all(full.get_mut("tests"), &org.tests, sources, |x| &x.origin);

    let keep = sections(what);
    let mut out = Map::new();
    out.insert("landform_show".into(), json!(SHOW_FORMAT_VERSION));
    out.insert("what".into(), json!(what_name(what)));
    let collections = sections(ShowWhat::All);
    for (k, v) in full {
        if !collections.contains(&k.as_str()) || keep.contains(&k.as_str()) {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

// ---------------------------------------------------------------------------
// human

fn location(origin: &Origin, sources: &SourceMap) -> Option<String> {
    let loc = sources.locate(origin.span?)?;
    Some(format!("{}:{}", loc.file, loc.line))
}

fn origin_text(origin: &Origin, sources: &SourceMap) -> String {
    match location(origin, sources) {
        Some(l) => format!("{} ({l})", origin.construct),
        None => origin.construct.clone(),
    }
}

fn kind_text(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Scp => "service control policy",
        PolicyKind::Rcp => "resource control policy",
        PolicyKind::Managed => "customer-managed policy",
        PolicyKind::Boundary => "permissions boundary",
        PolicyKind::RoleInline => "inline policy",
        PolicyKind::Trust => "trust policy",
        PolicyKind::PermissionSetInline => "permission set inline policy",
    }
}

/// The human report.
pub fn human(org: &Org, sources: &SourceMap, what: ShowWhat) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "organization `{}` compiled from {} (home region {})",
        org.name, org.blueprint, org.home_region
    );
    let parts: &[ShowWhat] = match what {
        ShowWhat::All => &[
            ShowWhat::Tree,
            ShowWhat::Policies,
            ShowWhat::Assignments,
            ShowWhat::Roles,
        ],
        ShowWhat::Tree => &[ShowWhat::Tree],
        ShowWhat::Policies => &[ShowWhat::Policies],
        ShowWhat::Assignments => &[ShowWhat::Assignments],
        ShowWhat::Roles => &[ShowWhat::Roles],
    };
    for p in parts {
        out.push('\n');
        match p {
            ShowWhat::Tree => tree(&mut out, org),
            ShowWhat::Policies => policies(&mut out, org, sources),
            ShowWhat::Assignments => assignments(&mut out, org, sources),
            _ => roles(&mut out, org, sources),
        }
    }
    out
}

fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "{}", "═".repeat(title.chars().count()));
}

/// `· SCP a, b · RCP c` for a target, and whether FullAWSAccess was detached.
fn attached_text(org: &Org, target: Target) -> String {
    let mut s = String::new();
    for (kind, label) in [(PolicyKind::Scp, "SCP"), (PolicyKind::Rcp, "RCP")] {
        let names: Vec<&str> = org
            .attached(target, kind)
            .iter()
            .map(|id| org.policy(*id).name.as_str())
            .collect();
        if !names.is_empty() {
            let _ = write!(s, "  · {label} {}", names.join(", "));
        }
    }
    if !org.has_full_aws_access(target) {
        s.push_str("  · FullAWSAccess detached");
    }
    s
}

fn tree(out: &mut String, org: &Org) {
    heading(out, "OU tree and attached organization policies");
    let _ = writeln!(
        out,
        "(every level also keeps AWS's default FullAWSAccess SCP{} unless marked)",
        if org.keep_rcp_full_aws_access
            && org
                .policy_types
                .contains(&crate::org::OrgPolicyType::ResourceControlPolicy)
        {
            " and RCPFullAWSAccess RCP"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "Root{}", attached_text(org, Target::Root));
    ou_children(out, org, crate::org::OuId(0), "");
}

fn ou_children(out: &mut String, org: &Org, ou: crate::org::OuId, prefix: &str) {
    let node = org.ou(ou);
    // accounts first (the management account leads at the root), then child OUs
    let mut items: Vec<(String, Option<crate::org::OuId>)> = Vec::new();
    let mut accounts = node.accounts.clone();
    accounts.sort_by_key(|a| (!org.account(*a).is_management, org.account(*a).name.clone()));
    for a in accounts {
        let acct = org.account(a);
        let mut label = acct.name.clone();
        if acct.is_management {
            label.push_str("  (management account; SCPs do not apply)");
        }
        if let Some(id) = &acct.aws_account_id {
            let _ = write!(label, "  [{id}]");
        }
        label.push_str(&attached_text(org, Target::Account(a)));
        items.push((label, None));
    }
    for c in &node.children {
        let label = format!("{}/{}", org.ou(*c).name, attached_text(org, Target::Ou(*c)));
        items.push((label, Some(*c)));
    }
    let n = items.len();
    for (i, (label, child)) in items.into_iter().enumerate() {
        let last = i + 1 == n;
        let _ = writeln!(out, "{prefix}{}{label}", if last { "└── " } else { "├── " });
        if let Some(c) = child {
            let next = format!("{prefix}{}", if last { "    " } else { "│   " });
            ou_children(out, org, c, &next);
        }
    }
}

/// Who uses each policy that is not attached to an organization target:
/// (what, account) pairs.
fn users_of(org: &Org) -> BTreeMap<PolicyId, Vec<(String, String)>> {
    let mut uses: BTreeMap<PolicyId, Vec<(String, String)>> = BTreeMap::new();
    for r in &org.roles {
        let acct = org.account(r.account).name.clone();
        uses.entry(r.trust).or_default().push((
            format!("trust policy of role {}{}", r.path, r.name),
            acct.clone(),
        ));
        for i in &r.inline {
            uses.entry(*i)
                .or_default()
                .push((format!("inline on role {}{}", r.path, r.name), acct.clone()));
        }
    }
    for ps in &org.permission_sets {
        if let Some(i) = ps.inline {
            uses.entry(i).or_default().push((
                format!("inline on permission set {}", ps.name),
                String::new(),
            ));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for u in &org.break_glass {
        for i in &u.group_inline {
            if seen.insert((u.group.clone(), *i)) {
                uses.entry(*i).or_default().push((
                    format!("inline on group {}", u.group),
                    org.account(u.account).name.clone(),
                ));
            }
        }
    }
    uses
}

/// Policies with the same kind, name and document (a role's trust policy in
/// each of its accounts) are printed once.
fn policy_groups(org: &Org) -> Vec<Vec<PolicyId>> {
    let mut index: BTreeMap<(PolicyKind, &str, String), usize> = BTreeMap::new();
    let mut groups: Vec<Vec<PolicyId>> = Vec::new();
    for p in &org.policies {
        let key = (p.kind, p.name.as_str(), p.document.to_string());
        match index.get(&key) {
            Some(i) => groups[*i].push(p.id),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![p.id]);
            }
        }
    }
    groups
}

fn policies(out: &mut String, org: &Org, sources: &SourceMap) {
    heading(out, "Policies");
    let uses = users_of(org);
    for group in policy_groups(org) {
        let p = org.policy(group[0]);
        let _ = writeln!(out, "\n── {} ──", p.name);
        let size = counted_chars(&p.document);
        let limit = match p.kind {
            PolicyKind::Scp | PolicyKind::Rcp => limits::SCP_MAX_CHARS,
            PolicyKind::Managed | PolicyKind::Boundary => limits::MANAGED_MAX_CHARS,
            PolicyKind::Trust => limits::TRUST_DEFAULT_MAX_CHARS,
            PolicyKind::RoleInline | PolicyKind::PermissionSetInline => {
                limits::ROLE_INLINE_TOTAL_MAX_CHARS
            }
        };
        let _ = writeln!(
            out,
            "# {}, {} characters of {}",
            kind_text(p.kind),
            limits::thousands(size),
            limits::thousands(limit)
        );
        if p.parts.is_empty() {
            let _ = writeln!(out, "# from {}", origin_text(&p.origin, sources));
        } else {
            let _ = writeln!(out, "# from:");
            for part in &p.parts {
                let _ = writeln!(out, "#   {}", origin_text(part, sources));
            }
        }
        if !p.description.is_empty() && p.description != p.name {
            let _ = writeln!(out, "# {}", p.description.replace('\n', " "));
        }
        let targets: Vec<String> = org
            .attachments
            .iter()
            .filter(|a| a.policy == p.id)
            .map(|a| org.target_name(a.target))
            .collect();
        if !targets.is_empty() {
            let _ = writeln!(out, "# attached to {}", targets.join(", "));
        }
        if matches!(p.kind, PolicyKind::Managed | PolicyKind::Boundary) {
            let accts: Vec<&str> = p
                .accounts
                .iter()
                .map(|a| org.account(*a).name.as_str())
                .collect();
            if accts.is_empty() {
                let _ = writeln!(out, "# created in no account (nothing uses it)");
            } else {
                let _ = writeln!(
                    out,
                    "# created as {}{} in {}",
                    p.path,
                    p.name,
                    accts.join(", ")
                );
            }
        }
        // uses, with the accounts of the same use gathered on one line
        let mut by_use: Vec<(String, Vec<String>)> = Vec::new();
        for id in &group {
            for (what, acct) in uses.get(id).map(Vec::as_slice).unwrap_or_default() {
                match by_use.iter_mut().find(|(w, _)| w == what) {
                    Some((_, list)) => list.push(acct.clone()),
                    None => by_use.push((what.clone(), vec![acct.clone()])),
                }
            }
        }
        for (what, accts) in by_use {
            let accts: Vec<String> = accts.into_iter().filter(|a| !a.is_empty()).collect();
            match accts.len() {
                0 => {
                    let _ = writeln!(out, "# {what}");
                }
                1 => {
                    let _ = writeln!(out, "# {what} in {}", accts[0]);
                }
                n => {
                    let _ = writeln!(out, "# {what} in {n} accounts: {}", accts.join(", "));
                }
            }
        }
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&p.document).unwrap_or_default()
        );
    }
}

fn managed_text(org: &Org, refs: &[ManagedRef]) -> String {
    let names: Vec<String> = refs
        .iter()
        .map(|r| match r {
            ManagedRef::Aws { arn } => arn
                .strip_prefix("arn:aws:iam::aws:policy/")
                .unwrap_or(arn)
                .to_string(),
            ManagedRef::Customer(c) => match c.policy {
                Some(id) => org.policy(id).name.clone(),
                None => c.name.clone(),
            },
        })
        .collect();
    if names.is_empty() {
        "-".to_string()
    } else {
        names.join(", ")
    }
}

/// Rows as aligned columns.
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let line = |out: &mut String, cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                let pad = widths[i].saturating_sub(c.chars().count());
                let _ = write!(s, "{c}{}  ", " ".repeat(pad));
            }
        }
        let _ = writeln!(out, "{}", s.trim_end());
    };
    line(out, header.to_vec());
    line(
        out,
        widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for r in rows {
        line(out, r.iter().map(String::as_str).collect());
    }
}

fn assignments(out: &mut String, org: &Org, sources: &SourceMap) {
    heading(out, "Permission sets");
    let rows: Vec<Vec<String>> = org
        .permission_sets
        .iter()
        .map(|ps| {
            vec![
                ps.name.clone(),
                ps.session_duration.clone(),
                managed_text(org, &ps.managed),
                ps.inline
                    .map_or("-".to_string(), |i| org.policy(i).name.clone()),
                ps.boundary.as_ref().map_or("-".to_string(), |b| {
                    managed_text(org, std::slice::from_ref(b))
                }),
                location(&ps.origin, sources).unwrap_or_default(),
            ]
        })
        .collect();
    table(
        out,
        &[
            "PERMISSION SET",
            "SESSION",
            "MANAGED",
            "INLINE",
            "BOUNDARY",
            "SESSION TAGS",
            "FROM",
        ],
        &rows,
    );
    if !org.access_control_attributes.is_empty() {
        let attrs: Vec<String> = org
            .access_control_attributes
            .iter()
            .map(|(k, v)| format!("{k} ← {v}"))
            .collect();
        let _ = writeln!(out, "session tags on every session: {}", attrs.join(", "));
    }
    out.push('\n');
    heading(out, "Assignments (expanded to accounts)");
    let rows: Vec<Vec<String>> = org
        .assignments
        .iter()
        .map(|a| {
            vec![
                match &a.principal {
                    AssignmentPrincipal::Group(g) => format!("group {g}"),
                    AssignmentPrincipal::User(u) => format!("user {u}"),
                },
                org.permission_set(a.permission_set).name.clone(),
                org.account(a.account).name.clone(),
                match a.via {
                    Target::Account(_) => "(named)".to_string(),
                    t => org.target_name(t),
                },
                location(&a.origin, sources).unwrap_or_else(|| a.origin.construct.clone()),
            ]
        })
        .collect();
    table(
        out,
        &["PRINCIPAL", "PERMISSION SET", "ACCOUNT", "VIA", "FROM"],
        &rows,
    );
    let _ = writeln!(out, "{} assignments", org.assignments.len());
}

/// `{{landform:account:NAME}}` → `NAME`, for reading.
fn unplaceholder(s: &str) -> String {
    let mut out = String::new();
    for seg in crate::org::Placeholder::split(s) {
        match seg {
            crate::org::Segment::Text(t) => out.push_str(t),
            crate::org::Segment::Placeholder(crate::org::Placeholder::AccountId(n)) => {
                out.push_str(&n);
            }
            crate::org::Segment::Placeholder(crate::org::Placeholder::OrgId) => {
                out.push_str("<org id>");
            }
        }
    }
    out
}

/// A principal of a trust policy, short: `role/ci@111122223333`,
/// `account payments-prod`, `lambda.amazonaws.com`, `oidc token.actions…`.
fn short_principal(kind: &str, value: &str) -> String {
    let v = unplaceholder(value);
    match kind {
        "AWS" => match v
            .strip_prefix("arn:aws:iam::")
            .and_then(|r| r.split_once(':'))
        {
            Some((acct, "root")) => format!("account {acct}"),
            Some((acct, res)) => format!("{res}@{acct}"),
            None => v,
        },
        "Federated" => match v.split_once(":oidc-provider/") {
            Some((_, host)) => format!("oidc {host}"),
            None => match v.split_once(":saml-provider/") {
                Some((_, name)) => format!("saml {name}"),
                None => v,
            },
        },
        _ => v,
    }
}

/// Who a trust policy lets in, and on which condition keys.
fn trust_summary(doc: &Value) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(Value::Array(stmts)) = doc.get("Statement") {
        for s in stmts {
            let mut who: Vec<String> = Vec::new();
            if let Some(Value::Object(p)) = s.get("Principal") {
                for (kind, v) in p {
                    let vals: Vec<&str> = match v {
                        Value::String(x) => vec![x.as_str()],
                        Value::Array(xs) => xs.iter().filter_map(Value::as_str).collect(),
                        _ => vec![],
                    };
                    who.extend(vals.iter().map(|x| short_principal(kind, x)));
                }
            }
            let mut keys: Vec<String> = Vec::new();
            if let Some(Value::Object(c)) = s.get("Condition") {
                for block in c.values() {
                    if let Value::Object(k) = block {
                        keys.extend(k.keys().cloned());
                    }
                }
            }
            let mut text = who.join(", ");
            if !keys.is_empty() {
                let _ = write!(text, " if {}", keys.join(", "));
            }
            parts.push(text);
        }
    }
    parts.join("; ")
}

fn roles(out: &mut String, org: &Org, sources: &SourceMap) {
    heading(out, "Roles");
    let rows: Vec<Vec<String>> = org
        .roles
        .iter()
        .map(|r| {
            let mut policies = managed_text(org, &r.managed);
            if !r.inline.is_empty() {
                let inline: Vec<&str> = r
                    .inline
                    .iter()
                    .map(|i| org.policy(*i).name.as_str())
                    .collect();
                policies = if policies == "-" {
                    format!("inline {}", inline.join(", "))
                } else {
                    format!("{policies}; inline {}", inline.join(", "))
                };
            }
            vec![
                format!("{}{}", r.path, r.name),
                org.account(r.account).name.clone(),
                match &r.kind {
                    RoleKind::Workload => "workload".to_string(),
                    RoleKind::DelegatedAdmin { team } => format!("admin of {team}"),
                },
                r.boundary.as_ref().map_or("-".to_string(), |b| {
                    managed_text(org, std::slice::from_ref(b))
                }),
                policies,
                trust_summary(&org.policy(r.trust).document),
                location(&r.origin, sources).unwrap_or_default(),
            ]
        })
        .collect();
    table(
        out,
        &[
            "ROLE", "ACCOUNT", "KIND", "BOUNDARY", "POLICIES", "TRUSTS", "FROM",
        ],
        &rows,
    );
    if !org.break_glass.is_empty() {
        out.push('\n');
        heading(out, "Break-glass users");
        let rows: Vec<Vec<String>> = org
            .break_glass
            .iter()
            .map(|u| {
                vec![
                    u.name.clone(),
                    org.account(u.account).name.clone(),
                    u.group.clone(),
                    managed_text(org, &u.managed),
                    if u.group_inline.is_empty() {
                        "no".to_string()
                    } else {
                        "yes".to_string()
                    },
                    location(&u.origin, sources).unwrap_or_default(),
                ]
            })
            .collect();
        table(
            out,
            &[
                "USER",
                "ACCOUNT",
                "GROUP",
                "POLICIES",
                "MFA REQUIRED",
                "FROM",
            ],
            &rows,
        );
    }
}

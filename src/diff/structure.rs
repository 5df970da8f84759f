//! The structural change between two organizations: elements added,
//! removed, moved or changed, matched by their stable keys.
//!
//! | element | key | moved when | changed fields |
//! |---|---|---|---|
//! | organization settings | `organization` | — | name, home region, policy types, FullAWSAccess / RCPFullAWSAccess kept, session tag attributes |
//! | OU | its path (`Workloads/Prod`) | an OU removed from one path and added under another with the same name (the name unique among the removed and the added OUs) | tags |
//! | account | its name | its OU path differs | email, account id, tags, management |
//! | policy (SCP, RCP, customer-managed, boundary) | `kind:name` (`scp:deny-all`, `managed:/path/name` when the path is not `/`) | — | description, document, accounts it is created in |
//! | attachment | `policy key → target` (`scp:deny-all → Workloads/Prod`) | — | — |
//! | permission set | its name | — | description, session, relay state, managed policies, inline document, boundary, tags |
//! | assignment | `group NAME → PERMISSION SET`, in one account | — | — |
//! | role | `/path/name`, in one account | — | kind, description, trust document, managed policies, inline documents, boundary, maximum session, tags |
//! | group, user | name | — | description; display name, email, groups |
//! | break-glass user | name, in one account | — | group, managed policies, group inline documents |
//!
//! Removing the default `FullAWSAccess` SCP from a target (or putting it
//! back) is an attachment change of the policy key `scp:FullAWSAccess`.
//! Documents are compared as JSON values; their text is pretty-printed JSON.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::org::{
    AssignmentPrincipal, ManagedRef, Org, Policy, PolicyId, PolicyKind, RoleKind, Target,
};

/// What kind of element changed. The order is the order of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    Organization,
    Ou,
    Account,
    Policy,
    Attachment,
    PermissionSet,
    Assignment,
    Role,
    Group,
    User,
    BreakGlassUser,
}

impl Element {
    /// Plural, for headings.
    pub fn plural(self) -> &'static str {
        match self {
            Element::Organization => "organization settings",
            Element::Ou => "OUs",
            Element::Account => "accounts",
            Element::Policy => "policies",
            Element::Attachment => "attachments",
            Element::PermissionSet => "permission sets",
            Element::Assignment => "assignments",
            Element::Role => "roles",
            Element::Group => "groups",
            Element::User => "users",
            Element::BreakGlassUser => "break-glass users",
        }
    }

    /// Singular, for lines.
    pub fn singular(self) -> &'static str {
        match self {
            Element::Organization => "organization",
            Element::Ou => "OU",
            Element::Account => "account",
            Element::Policy => "policy",
            Element::Attachment => "attachment",
            Element::PermissionSet => "permission set",
            Element::Assignment => "assignment",
            Element::Role => "role",
            Element::Group => "group",
            Element::User => "user",
            Element::BreakGlassUser => "break-glass user",
        }
    }
}

/// What happened to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Added,
    Removed,
    Moved,
    Changed,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Added => "added",
            Op::Removed => "removed",
            Op::Moved => "moved",
            Op::Changed => "changed",
        }
    }

    pub fn sign(self) -> &'static str {
        match self {
            Op::Added => "+",
            Op::Removed => "-",
            Op::Moved => ">",
            Op::Changed => "~",
        }
    }
}

/// A field that differs. `None` when the field is absent on that side.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Field {
    pub name: String,
    pub base: Option<String>,
    pub head: Option<String>,
    /// Whether the values are policy documents (pretty JSON): reports show
    /// a line diff.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub document: bool,
}

/// One structural change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub element: Element,
    /// The stable key (see the module documentation).
    pub key: String,
    pub op: Op,
    /// For elements that live in one account (assignments, roles,
    /// break-glass users): the account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// For `moved` and `changed`: what differs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// The OU the change is in (its path; empty for the root), for the diagram.
    #[serde(skip)]
    pub ou: Option<String>,
}

fn field(name: &str, base: Option<String>, head: Option<String>) -> Option<Field> {
    (base != head).then(|| Field {
        name: name.to_string(),
        base,
        head,
        document: false,
    })
}

fn doc_field(
    name: &str,
    base: Option<&serde_json::Value>,
    head: Option<&serde_json::Value>,
) -> Option<Field> {
    if base == head {
        return None;
    }
    let text = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    Some(Field {
        name: name.to_string(),
        base: base.map(text),
        head: head.map(text),
        document: true,
    })
}

fn map_text(m: &BTreeMap<String, String>) -> String {
    m.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn opt_map(m: &BTreeMap<String, String>) -> Option<String> {
    (!m.is_empty()).then(|| map_text(m))
}

fn managed_name(org: &Org, r: &ManagedRef) -> String {
    match r {
        ManagedRef::Aws { arn } => arn
            .strip_prefix("arn:aws:iam::aws:policy/")
            .map_or_else(|| arn.clone(), |n| format!("aws:{n}")),
        ManagedRef::Customer(c) => match c.policy {
            Some(id) => org.policy(id).name.clone(),
            None => c.name.clone(),
        },
    }
}

fn managed_list(org: &Org, refs: &[ManagedRef]) -> Option<String> {
    let mut names: Vec<String> = refs.iter().map(|r| managed_name(org, r)).collect();
    names.sort();
    (!names.is_empty()).then(|| names.join(", "))
}

fn kind_key(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Scp => "scp",
        PolicyKind::Rcp => "rcp",
        PolicyKind::Managed => "managed",
        PolicyKind::Boundary => "boundary",
        PolicyKind::RoleInline => "role-inline",
        PolicyKind::Trust => "trust",
        PolicyKind::PermissionSetInline => "permission-set-inline",
    }
}

/// The stable key of a standalone policy, or `None` for documents embedded
/// in a role or permission set (compared as part of it).
pub fn policy_key(p: &Policy) -> Option<String> {
    match p.kind {
        PolicyKind::Scp | PolicyKind::Rcp => Some(format!("{}:{}", kind_key(p.kind), p.name)),
        PolicyKind::Managed | PolicyKind::Boundary => Some(if p.path == "/" || p.path.is_empty() {
            format!("{}:{}", kind_key(p.kind), p.name)
        } else {
            format!("{}:{}{}", kind_key(p.kind), p.path, p.name)
        }),
        _ => None,
    }
}

fn ou_path(org: &Org, ou: crate::org::OuId) -> String {
    org.ou(ou).path.clone()
}

fn target_text(org: &Org, t: Target) -> String {
    match t {
        Target::Root => "Root".to_string(),
        Target::Ou(o) => org.ou(o).path.clone(),
        Target::Account(a) => format!("account {}", org.account(a).name),
    }
}

fn target_ou(org: &Org, t: Target) -> String {
    match t {
        Target::Root => String::new(),
        Target::Ou(o) => org.ou(o).path.clone(),
        Target::Account(a) => ou_path(org, org.account(a).ou),
    }
}

/// Keyed items of one side: key → (account, fields to compare, OU).
struct Item {
    account: Option<String>,
    ou: Option<String>,
    /// (name, value, is document)
    values: Vec<(&'static str, Option<String>, Option<serde_json::Value>)>,
}

fn item(account: Option<String>, ou: Option<String>) -> Item {
    Item {
        account,
        ou,
        values: Vec::new(),
    }
}

impl Item {
    fn text(mut self, name: &'static str, v: Option<String>) -> Self {
        self.values.push((name, v, None));
        self
    }
    fn doc(mut self, name: &'static str, v: Option<serde_json::Value>) -> Self {
        self.values.push((name, None, v));
        self
    }
}

/// Compares two keyed collections and pushes added / removed / changed.
fn compare_items(
    element: Element,
    base: Vec<(String, Item)>,
    head: Vec<(String, Item)>,
    out: &mut Vec<Change>,
) {
    let mut base_map: HashMap<(String, Option<String>), Item> = HashMap::with_capacity(base.len());
    for (k, it) in base {
        base_map.insert((k, it.account.clone()), it);
    }
    for (k, h) in head {
        let id = (k, h.account.clone());
        match base_map.remove(&id) {
            None => out.push(Change {
                element,
                key: id.0,
                op: Op::Added,
                account: id.1,
                fields: Vec::new(),
                ou: h.ou,
            }),
            Some(b) => {
                let mut fields = Vec::new();
                // fields are pushed in the same order on both sides; names
                // may repeat (inline documents), so pair them by position
                let mut bvals: BTreeMap<&str, Vec<_>> = BTreeMap::new();
                for (n, t, d) in b.values {
                    bvals.entry(n).or_default().push((t, d));
                }
                for (n, t, d) in h.values {
                    let (bt, bd) = match bvals.get_mut(n) {
                        Some(v) if !v.is_empty() => v.remove(0),
                        _ => (None, None),
                    };
                    let f = if d.is_some() || bd.is_some() {
                        doc_field(n, bd.as_ref(), d.as_ref())
                    } else {
                        field(n, bt, t)
                    };
                    fields.extend(f);
                }
                if !fields.is_empty() {
                    out.push(Change {
                        element,
                        key: id.0,
                        op: Op::Changed,
                        account: id.1,
                        fields,
                        ou: h.ou,
                    });
                }
            }
        }
    }
    for ((key, account), b) in base_map {
        out.push(Change {
            element,
            key,
            op: Op::Removed,
            account,
            fields: Vec::new(),
            ou: b.ou,
        });
    }
}

fn settings(org: &Org) -> Vec<(String, Item)> {
    let types: Vec<&str> = org.policy_types.iter().map(|t| t.as_str()).collect();
    vec![(
        "organization".to_string(),
        item(None, Some(String::new()))
            .text("name", Some(org.name.clone()))
            .text("home_region", Some(org.home_region.clone()))
            .text("policy_types", Some(types.join(", ")))
            .text(
                "keep_full_aws_access",
                Some(org.keep_full_aws_access.to_string()),
            )
            .text(
                "keep_rcp_full_aws_access",
                Some(org.keep_rcp_full_aws_access.to_string()),
            )
            .text(
                "access_control_attributes",
                opt_map(&org.access_control_attributes),
            ),
    )]
}

fn ous(org: &Org) -> Vec<(String, Item)> {
    org.ous
        .iter()
        .filter(|o| !o.is_root())
        .map(|o| {
            (
                o.path.clone(),
                item(None, Some(o.path.clone())).text("tags", opt_map(&o.tags)),
            )
        })
        .collect()
}

fn accounts(org: &Org) -> Vec<(String, Item)> {
    org.accounts
        .iter()
        .map(|a| {
            let ou = ou_path(org, a.ou);
            (
                a.name.clone(),
                item(None, Some(ou.clone()))
                    .text("ou", Some(if ou.is_empty() { "Root".into() } else { ou }))
                    .text("email", Some(a.email.clone()))
                    .text("account_id", a.aws_account_id.clone())
                    .text("management", Some(a.is_management.to_string()))
                    .text("tags", opt_map(&a.tags)),
            )
        })
        .collect()
}

fn policies(org: &Org) -> Vec<(String, Item)> {
    org.policies
        .iter()
        .filter_map(|p| {
            let key = policy_key(p)?;
            let mut accts: Vec<&str> = p
                .accounts
                .iter()
                .map(|a| org.account(*a).name.as_str())
                .collect();
            accts.sort_unstable();
            Some((
                key,
                item(None, None)
                    .text("description", Some(p.description.clone()))
                    .doc("document", Some(p.document.clone()))
                    .text("accounts", (!accts.is_empty()).then(|| accts.join(", "))),
            ))
        })
        .collect()
}

fn attachments(org: &Org) -> Vec<(String, Item)> {
    let mut out: Vec<(String, Item)> = org
        .attachments
        .iter()
        .filter_map(|a| {
            let key = policy_key(org.policy(a.policy))?;
            Some((
                format!("{key} → {}", target_text(org, a.target)),
                item(None, Some(target_ou(org, a.target))),
            ))
        })
        .collect();
    if org.keep_full_aws_access {
        let mut targets = vec![Target::Root];
        targets.extend(org.ous.iter().skip(1).map(|o| Target::Ou(o.id)));
        targets.extend(
            org.accounts
                .iter()
                .filter(|a| !a.is_management)
                .map(|a| Target::Account(a.id)),
        );
        for t in targets {
            if org.has_full_aws_access(t) {
                out.push((
                    format!("scp:FullAWSAccess → {}", target_text(org, t)),
                    item(None, Some(target_ou(org, t))),
                ));
            }
        }
    }
    out
}

fn permission_sets(org: &Org) -> Vec<(String, Item)> {
    org.permission_sets
        .iter()
        .map(|ps| {
            (
                ps.name.clone(),
                item(None, None)
                    .text("description", Some(ps.description.clone()))
                    .text("session_duration", Some(ps.session_duration.clone()))
                    .text("relay_state", ps.relay_state.clone())
                    .text("managed", managed_list(org, &ps.managed))
                    .doc("inline", ps.inline.map(|i| org.policy(i).document.clone()))
                    .text(
                        "boundary",
                        ps.boundary.as_ref().map(|b| managed_name(org, b)),
                    )
                    .text("tags", opt_map(&ps.tags)),
            )
        })
        .collect()
}

/// `group engineers → ProdReadOnly`.
pub fn assignment_key(principal: &AssignmentPrincipal, permission_set: &str) -> String {
    match principal {
        AssignmentPrincipal::Group(g) => format!("group {g} → {permission_set}"),
        AssignmentPrincipal::User(u) => format!("user {u} → {permission_set}"),
    }
}

/// Assignments are the largest collection (one per principal, permission
/// set and account: hundreds of thousands in a large organization), so they
/// are compared as sorted triples of numbers (names numbered across both
/// sides) and only differences allocate.
fn assignment_changes(base: &Org, head: &Org, out: &mut Vec<Change>) {
    #[derive(Default)]
    struct Numbers<'a> {
        principals: HashMap<&'a AssignmentPrincipal, u32>,
        names: HashMap<&'a str, u32>,
    }
    fn number<K: std::hash::Hash + Eq>(m: &mut HashMap<K, u32>, k: K) -> u32 {
        let n = m.len() as u32;
        *m.entry(k).or_insert(n)
    }
    // (principal, permission set, account) numbers, and the assignment
    type Row = ((u32, u32, u32), usize);
    fn rows<'a>(org: &'a Org, n: &mut Numbers<'a>) -> Vec<Row> {
        // permission set and account numbers, once per id
        let ps: Vec<u32> = org
            .permission_sets
            .iter()
            .map(|p| number(&mut n.names, p.name.as_str()))
            .collect();
        let accts: Vec<u32> = org
            .accounts
            .iter()
            .map(|a| number(&mut n.names, a.name.as_str()))
            .collect();
        let mut v: Vec<Row> = org
            .assignments
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    (
                        number(&mut n.principals, &a.principal),
                        ps[a.permission_set.index()],
                        accts[a.account.index()],
                    ),
                    i,
                )
            })
            .collect();
        // an assignment written twice (two targets reaching one account) is one
        v.sort_unstable();
        v.dedup_by_key(|r| r.0);
        v
    }
    let change = |org: &Org, i: usize, op: Op| {
        let a = &org.assignments[i];
        let acct = org.account(a.account);
        Change {
            element: Element::Assignment,
            key: assignment_key(&a.principal, &org.permission_set(a.permission_set).name),
            op,
            account: Some(acct.name.clone()),
            fields: Vec::new(),
            ou: Some(ou_path(org, acct.ou)),
        }
    };
    let mut numbers = Numbers::default();
    let b = rows(base, &mut numbers);
    let h = rows(head, &mut numbers);
    let (mut i, mut j) = (0, 0);
    while i < b.len() || j < h.len() {
        let ord = match (b.get(i), h.get(j)) {
            (Some(x), Some(y)) => x.0.cmp(&y.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match ord {
            std::cmp::Ordering::Less => {
                out.push(change(base, b[i].1, Op::Removed));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(change(head, h[j].1, Op::Added));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
}

fn docs(org: &Org, ids: &[PolicyId]) -> Vec<(String, serde_json::Value)> {
    let mut v: Vec<(String, serde_json::Value)> = ids
        .iter()
        .map(|i| {
            let p = org.policy(*i);
            (p.name.clone(), p.document.clone())
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn roles(org: &Org) -> Vec<(String, Item)> {
    org.roles
        .iter()
        .map(|r| {
            let acct = org.account(r.account);
            let mut it = item(Some(acct.name.clone()), Some(ou_path(org, acct.ou)))
                .text(
                    "kind",
                    Some(match &r.kind {
                        RoleKind::Workload => "workload".to_string(),
                        RoleKind::DelegatedAdmin { team } => format!("delegated admin of {team}"),
                    }),
                )
                .text("description", Some(r.description.clone()))
                .doc("trust", Some(org.policy(r.trust).document.clone()))
                .text("managed", managed_list(org, &r.managed));
            let inline = docs(org, &r.inline);
            let names: Vec<&str> = inline.iter().map(|(n, _)| n.as_str()).collect();
            it = it.text(
                "inline_policies",
                (!names.is_empty()).then(|| names.join(", ")),
            );
            for (_, d) in inline {
                it = it.doc("inline", Some(d));
            }
            it = it
                .text(
                    "boundary",
                    r.boundary.as_ref().map(|b| managed_name(org, b)),
                )
                .text(
                    "max_session_seconds",
                    Some(r.max_session_seconds.to_string()),
                )
                .text("tags", opt_map(&r.tags));
            (format!("{}{}", r.path, r.name), it)
        })
        .collect()
}

fn groups(org: &Org) -> Vec<(String, Item)> {
    org.groups
        .iter()
        .map(|g| {
            (
                g.name.clone(),
                item(None, None).text("description", Some(g.description.clone())),
            )
        })
        .collect()
}

fn users(org: &Org) -> Vec<(String, Item)> {
    org.users
        .iter()
        .map(|u| {
            let mut groups = u.groups.clone();
            groups.sort();
            (
                u.user_name.clone(),
                item(None, None)
                    .text("display_name", Some(u.display_name.clone()))
                    .text("email", Some(u.email.clone()))
                    .text("groups", (!groups.is_empty()).then(|| groups.join(", "))),
            )
        })
        .collect()
}

fn break_glass(org: &Org) -> Vec<(String, Item)> {
    org.break_glass
        .iter()
        .map(|u| {
            let acct = org.account(u.account);
            let mut it = item(Some(acct.name.clone()), Some(ou_path(org, acct.ou)))
                .text("group", Some(u.group.clone()))
                .text("managed", managed_list(org, &u.managed));
            for (_, d) in docs(org, &u.group_inline) {
                it = it.doc("group_inline", Some(d));
            }
            (u.name.clone(), it)
        })
        .collect()
}

/// Turns an OU removed at one path and added at another, with the same
/// name, into a move.
fn detect_ou_moves(changes: &mut Vec<Change>) {
    let last = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let mut removed: HashMap<String, Vec<usize>> = HashMap::new();
    let mut added: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in changes.iter().enumerate() {
        match c.op {
            Op::Removed => removed.entry(last(&c.key)).or_default().push(i),
            Op::Added => added.entry(last(&c.key)).or_default().push(i),
            _ => {}
        }
    }
    let mut drop = BTreeSet::new();
    for (name, r) in &removed {
        if let (Some(a), [ri]) = (added.get(name), r.as_slice())
            && let [ai] = a.as_slice()
        {
            let from = changes[*ri].key.clone();
            let to = &mut changes[*ai];
            to.op = Op::Moved;
            to.fields.insert(
                0,
                Field {
                    name: "path".into(),
                    base: Some(from),
                    head: Some(to.key.clone()),
                    document: false,
                },
            );
            drop.insert(*ri);
        }
    }
    let mut i = 0;
    changes.retain(|_| {
        let keep = !drop.contains(&i);
        i += 1;
        keep
    });
}

/// Every structural change from `base` to `head`, sorted by element, key,
/// account and operation.
pub fn compare(base: &Org, head: &Org) -> Vec<Change> {
    let mut out = Vec::new();
    type Collect = fn(&Org) -> Vec<(String, Item)>;
    let kinds: [(Element, Collect); 10] = [
        (Element::Organization, settings),
        (Element::Ou, ous),
        (Element::Account, accounts),
        (Element::Policy, policies),
        (Element::Attachment, attachments),
        (Element::PermissionSet, permission_sets),
        (Element::Role, roles),
        (Element::Group, groups),
        (Element::User, users),
        (Element::BreakGlassUser, break_glass),
    ];
    for (element, collect) in kinds {
        let mut part = Vec::new();
        compare_items(element, collect(base), collect(head), &mut part);
        match element {
            Element::Ou => detect_ou_moves(&mut part),
            Element::Account => {
                for c in &mut part {
                    if c.op == Op::Changed && c.fields.iter().any(|f| f.name == "ou") {
                        c.op = Op::Moved;
                    }
                }
            }
            _ => {}
        }
        out.extend(part);
    }
    assignment_changes(base, head, &mut out);
    out.sort_by(|a, b| {
        (a.element, &a.key, &a.account, a.op).cmp(&(b.element, &b.key, &b.account, b.op))
    });
    out
}

//! `terraform/accounts/<account>/`: the IAM content of one account —
//! customer-managed policies and boundaries, roles, break-glass users.

use std::collections::BTreeMap;

use crate::org::{Account, AccountId, ManagedRef, Org, Placeholder, Policy, PolicyKind, Role};

use super::hcl::{Block, Body, Expr, Item, ObjectKey, Template};
use super::{
    Names, Resolved, Root, access_role_variable, arn_policy_name, index, into_files, key,
    placeholders, policy_document, policy_origin, region_variable, resource, versions_tf,
};
use crate::render::OutputFile;

/// `accounts/<key>`.
pub fn dir(account: &Account) -> String {
    format!("accounts/{}", account.key)
}

const ORG_DATA: &str = "data.aws_organizations_organization.this";

pub(crate) fn render(org: &Org) -> Vec<Root> {
    let shared = Shared::new(org);
    org.accounts
        .iter()
        .filter_map(|a| render_account(org, &shared, a.id))
        .collect()
}

/// The account roots as text, appended to `files` in account order, built on
/// `threads` threads; returns the roots without their files.
pub(crate) fn render_files(
    org: &Org,
    header: &str,
    files: &mut Vec<OutputFile>,
    threads: usize,
) -> Vec<Root> {
    let shared = Shared::new(org);
    let ids: Vec<AccountId> = org.accounts.iter().map(|a| a.id).collect();
    let work = |chunk: &[AccountId]| -> (Vec<Root>, Vec<OutputFile>) {
        let mut roots = Vec::new();
        let mut out = Vec::new();
        for id in chunk {
            if let Some(root) = render_account(org, &shared, *id) {
                roots.push(into_files(root, header, &mut out));
            }
        }
        (roots, out)
    };
    let threads = threads.clamp(1, 64);
    if threads == 1 || ids.len() < 64 {
        let (roots, out) = work(&ids);
        files.extend(out);
        return roots;
    }
    // contiguous chunks, joined in order: the same output for any thread count
    let size = ids.len().div_ceil(threads);
    let parts: Vec<(Vec<Root>, Vec<OutputFile>)> = std::thread::scope(|s| {
        let handles: Vec<_> = ids
            .chunks(size)
            .map(|chunk| s.spawn(move || work(chunk)))
            .collect();
        handles
            .into_iter()
            .zip(ids.chunks(size))
            // a worker that died: do its share here
            .map(|(h, chunk)| h.join().unwrap_or_else(|_| work(chunk)))
            .collect()
    });
    let mut roots = Vec::new();
    for (r, out) in parts {
        roots.extend(r);
        files.extend(out);
    }
    roots
}

/// What every account root looks up, computed once for the organization:
/// indexing by account keeps rendering linear in the number of accounts,
/// and a customer-managed policy created in many accounts is turned into
/// its heredoc once.
struct Shared<'a> {
    /// The policies each account root creates, in IR order.
    policies: Vec<Vec<&'a Policy>>,
    /// The roles of each account, in IR order.
    roles: Vec<Vec<&'a Role>>,
    /// The placeholders of each policy (IR index).
    placeholders: Vec<Option<Vec<Placeholder>>>,
    /// `policy = …` of each created policy (IR index); the same in every
    /// account because placeholders resolve the same way everywhere.
    documents: Vec<Option<Expr>>,
}

impl<'a> Shared<'a> {
    fn new(org: &'a Org) -> Self {
        let n = org.accounts.len();
        let mut policies: Vec<Vec<&Policy>> = vec![Vec::new(); n];
        let mut documents: Vec<Option<Expr>> = vec![None; org.policies.len()];
        let mut found: Vec<Option<Vec<Placeholder>>> = vec![None; org.policies.len()];
        let lookups = Lookups {
            provider: None,
            partition: true,
            needed: Vec::new(),
        };
        let resolve = lookups.resolve(org);
        for p in &org.policies {
            if !matches!(p.kind, PolicyKind::Managed | PolicyKind::Boundary) {
                continue;
            }
            let mut created = false;
            for a in &p.accounts {
                if let Some(list) = policies.get_mut(a.index())
                    && list.last().is_none_or(|q| q.id != p.id)
                {
                    list.push(p);
                    created = true;
                }
            }
            if created {
                documents[p.id.index()] = Some(policy_document(p, &resolve));
                found[p.id.index()] = Some(placeholders([p]));
            }
        }
        let mut roles: Vec<Vec<&Role>> = vec![Vec::new(); n];
        for r in &org.roles {
            if let Some(list) = roles.get_mut(r.account.index()) {
                list.push(r);
            }
        }
        Shared {
            policies,
            roles,
            placeholders: found,
            documents,
        }
    }
}

/// Account-id lookups shared by the account roots and `identity-center/`:
/// the data sources and locals that give `local.account_ids["NAME"]` for the
/// accounts in `needed`, plus `local.partition`.
pub(crate) struct Lookups {
    /// `provider = aws.management` on the data sources, or nothing.
    pub provider: Option<String>,
    /// Whether to define `local.partition`.
    pub partition: bool,
    pub needed: Vec<AccountId>,
}

impl Lookups {
    pub fn resolve<'a>(&self, org: &'a Org) -> impl Fn(&Placeholder) -> Resolved + 'a {
        move |p| match p {
            Placeholder::OrgId => Resolved::Expr(format!("{ORG_DATA}.id")),
            Placeholder::AccountId(name) => match org
                .account_by_name(name)
                .and_then(|a| a.aws_account_id.clone())
            {
                Some(id) => Resolved::Lit(id),
                None => Resolved::Expr(index("local.account_ids", name)),
            },
        }
    }

    /// The data sources and locals.
    pub fn items(&self, org: &Org) -> Vec<Item> {
        let mut items = Vec::new();
        if self.partition {
            let mut partition = Body::new();
            if let Some(p) = &self.provider {
                partition.raw_attr("provider", p);
            }
            items.push(Item::Block(Block::with_body(
                "data",
                &["aws_partition", "current"],
                partition,
            )));
        }

        let by_email: Vec<&Account> = self
            .needed
            .iter()
            .map(|id| org.account(*id))
            .filter(|a| !a.is_management && a.aws_account_id.is_none())
            .collect();
        let mut data = Body::new();
        if let Some(p) = &self.provider {
            data.raw_attr("provider", p);
        }
        if !by_email.is_empty() {
            let emails: Vec<String> = by_email
                .iter()
                .map(|a| super::hcl::quote(&a.email.to_lowercase()))
                .collect();
            let mut post = Body::new();
            post.raw_attr(
                "condition",
                format!(
                    "alltrue([for email in [{}] : contains([for a in self.accounts : lower(a.email)], email)])",
                    emails.join(", ")
                ),
            );
            post.str_attr(
                "error_message",
                "An account this root needs is not in the organization yet: apply terraform/management first.",
            );
            let mut lifecycle = Body::new();
            lifecycle.block(Block::with_body("postcondition", &[], post));
            if !data.is_empty() {
                data.blank();
            }
            data.block(Block::with_body("lifecycle", &[], lifecycle));
        }
        items.push(Item::Comment(
            "Read through the management account: only it can list the organization's accounts."
                .into(),
        ));
        items.push(Item::Block(Block::with_body(
            "data",
            &["aws_organizations_organization", "this"],
            data,
        )));

        let mut locals = Body::new();
        if self.partition {
            locals.raw_attr("partition", "data.aws_partition.current.partition");
        }
        if !by_email.is_empty() {
            locals.comment(
                "Account names are not unique in AWS, emails are: accounts are found by email.",
            );
            locals.raw_attr(
                "accounts_by_email",
                format!("{{ for a in {ORG_DATA}.accounts : lower(a.email) => a.id }}"),
            );
        }
        let ids: Vec<(ObjectKey, Expr)> = self
            .needed
            .iter()
            .map(|id| {
                let a = org.account(*id);
                let value = match &a.aws_account_id {
                    Some(known) => Expr::str(known),
                    None if a.is_management => Expr::raw(format!("{ORG_DATA}.master_account_id")),
                    None => Expr::raw(index("local.accounts_by_email", &a.email.to_lowercase())),
                };
                (ObjectKey::Quoted(a.name.clone()), value)
            })
            .collect();
        locals.attr("account_ids", Expr::Object(ids));
        items.push(Item::Block(Block::with_body("locals", &[], locals)));
        items
    }
}

/// The accounts a set of placeholders names, plus `extra`, in IR order.
pub(crate) fn needed_accounts(
    org: &Org,
    found: &[Placeholder],
    extra: impl IntoIterator<Item = AccountId>,
) -> Vec<AccountId> {
    let mut ids: Vec<AccountId> = extra.into_iter().collect();
    for p in found {
        if let Placeholder::AccountId(name) = p
            && let Some(a) = org.account_by_name(name)
        {
            ids.push(a.id);
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

fn render_account(org: &Org, shared: &Shared<'_>, account: AccountId) -> Option<Root> {
    let acct = org.account(account);
    let policies = shared.policies[account.index()].clone();
    let roles = &shared.roles[account.index()];
    let users: Vec<_> = org
        .break_glass
        .iter()
        .filter(|u| u.account == account)
        .collect();
    if policies.is_empty() && roles.is_empty() && users.is_empty() {
        return None;
    }

    // every document this root writes, for the placeholders it needs
    let mut docs: Vec<&Policy> = policies.clone();
    for r in roles {
        docs.push(org.policy(r.trust));
        docs.extend(r.inline.iter().map(|id| org.policy(*id)));
    }
    for u in &users {
        docs.extend(u.group_inline.iter().map(|id| org.policy(*id)));
    }
    // the placeholders of the shared policies are known; the others (trust
    // and inline policies, one per account) are looked at here
    let mut found: Vec<Placeholder> = Vec::new();
    for d in &docs {
        let own;
        let list = match shared
            .placeholders
            .get(d.id.index())
            .and_then(Option::as_ref)
        {
            Some(l) => l,
            None => {
                own = placeholders([*d]);
                &own
            }
        };
        for p in list {
            if !found.contains(p) {
                found.push(p.clone());
            }
        }
    }
    let lookups = Lookups {
        provider: (!acct.is_management).then(|| "aws.management".to_string()),
        partition: true,
        needed: needed_accounts(org, &found, [account]),
    };
    let resolve = lookups.resolve(org);

    let mut root = Root::new(dir(acct), String::new());
    let mut what = Vec::new();
    if !policies.is_empty() {
        what.push("customer-managed policies");
    }
    if !roles.is_empty() {
        what.push("roles");
    }
    if !users.is_empty() {
        what.push("break-glass users");
    }
    root.summary = format!("{} of account `{}`", what.join(", "), acct.name);

    root.file("versions.tf", versions_tf());
    root.file("providers.tf", providers(acct));
    let mut vars = vec![region_variable(org)];
    if !acct.is_management {
        vars.push(access_role_variable());
    }
    root.file("variables.tf", vars);
    let mut lookup_items = lookups.items(org);
    if let Some(Item::Block(locals)) = lookup_items.last_mut() {
        locals
            .body
            .raw_attr("account_id", index("local.account_ids", &acct.name));
    }
    root.file("lookups.tf", lookup_items);

    let mut names = Names::default();
    // customer-managed policies by IR id and by name, for references
    let mut policy_addr: BTreeMap<String, String> = BTreeMap::new();
    let mut items = Vec::new();
    for p in &policies {
        let name = names.take("aws_iam_policy", &key(&p.name));
        policy_addr.insert(p.name.clone(), name.clone());
        let mut body = Body::new();
        body.str_attr("name", &p.name);
        body.str_attr("path", &p.path);
        if !p.description.is_empty() {
            body.str_attr("description", &p.description);
        }
        let document = match shared.documents.get(p.id.index()).and_then(Option::as_ref) {
            Some(d) => d.clone(),
            None => policy_document(p, &resolve),
        };
        body.attr("policy", document);
        resource(&mut items, &policy_origin(p), "aws_iam_policy", &name, body);
    }
    root.file("policies.tf", items);

    let arn_of = |r: &ManagedRef| -> Expr {
        match r {
            ManagedRef::Aws { arn } => Expr::str(arn),
            ManagedRef::Customer(c) => match policy_addr.get(&c.name) {
                Some(addr) => Expr::raw(format!("aws_iam_policy.{addr}.arn")),
                None => Expr::template(
                    Template::new()
                        .lit("arn:")
                        .interp("local.partition")
                        .lit(":iam::")
                        .interp("local.account_id")
                        .lit(&format!(":policy{}{}", c.path, c.name)),
                ),
            },
        }
    };
    let ref_key = |r: &ManagedRef| -> String {
        match r {
            ManagedRef::Aws { arn } => format!("aws_{}", key(arn_policy_name(arn))),
            ManagedRef::Customer(c) => key(&c.name),
        }
    };

    let mut items = Vec::new();
    for role in roles {
        let name = names.take("aws_iam_role", &key(&role.name));
        let mut body = Body::new();
        body.str_attr("name", &role.name);
        body.str_attr("path", &role.path);
        if !role.description.is_empty() {
            body.str_attr("description", &role.description);
        }
        body.raw_attr("max_session_duration", role.max_session_seconds.to_string());
        if let Some(b) = &role.boundary {
            body.attr("permissions_boundary", arn_of(b));
        }
        body.attr(
            "assume_role_policy",
            policy_document(org.policy(role.trust), &resolve),
        );
        if !role.tags.is_empty() {
            body.attr("tags", Expr::str_map(&role.tags));
        }
        resource(
            &mut items,
            &role.origin.construct,
            "aws_iam_role",
            &name,
            body,
        );
        for id in &role.inline {
            let p = org.policy(*id);
            let pname = names.take("aws_iam_role_policy", &format!("{name}__{}", key(&p.name)));
            let mut body = Body::new();
            body.str_attr("name", &p.name);
            body.raw_attr("role", format!("aws_iam_role.{name}.id"));
            body.attr("policy", policy_document(p, &resolve));
            resource(
                &mut items,
                &policy_origin(p),
                "aws_iam_role_policy",
                &pname,
                body,
            );
        }
        for m in &role.managed {
            let aname = names.take(
                "aws_iam_role_policy_attachment",
                &format!("{name}__{}", ref_key(m)),
            );
            let mut body = Body::new();
            body.raw_attr("role", format!("aws_iam_role.{name}.name"));
            body.attr("policy_arn", arn_of(m));
            resource(
                &mut items,
                &role.origin.construct,
                "aws_iam_role_policy_attachment",
                &aname,
                body,
            );
        }
    }
    root.file("roles.tf", items);

    let mut items = Vec::new();
    // groups first (several users may share one), then users
    let mut groups: BTreeMap<&str, GroupContent> = BTreeMap::new();
    for u in &users {
        let entry = groups.entry(u.group.as_str()).or_insert_with(|| {
            (
                names.take("aws_iam_group", &key(&u.group)),
                Vec::new(),
                Vec::new(),
                u.origin.construct.clone(),
            )
        });
        for m in &u.managed {
            if !entry.1.contains(&m) {
                entry.1.push(m);
            }
        }
        for id in &u.group_inline {
            let p = org.policy(*id);
            if !entry.2.iter().any(|q| q.id == p.id) {
                entry.2.push(p);
            }
        }
    }
    for (group, (gname, managed, inline, origin)) in &groups {
        let mut body = Body::new();
        body.str_attr("name", group);
        resource(&mut items, origin, "aws_iam_group", gname, body);
        for m in managed {
            let aname = names.take(
                "aws_iam_group_policy_attachment",
                &format!("{gname}__{}", ref_key(m)),
            );
            let mut body = Body::new();
            body.raw_attr("group", format!("aws_iam_group.{gname}.name"));
            body.attr("policy_arn", arn_of(m));
            resource(
                &mut items,
                origin,
                "aws_iam_group_policy_attachment",
                &aname,
                body,
            );
        }
        for p in inline {
            let pname = names.take(
                "aws_iam_group_policy",
                &format!("{gname}__{}", key(&p.name)),
            );
            let mut body = Body::new();
            body.str_attr("name", &p.name);
            body.raw_attr("group", format!("aws_iam_group.{gname}.name"));
            body.attr("policy", policy_document(p, &resolve));
            resource(
                &mut items,
                &policy_origin(p),
                "aws_iam_group_policy",
                &pname,
                body,
            );
        }
    }
    for u in &users {
        let uname = names.take("aws_iam_user", &u.key);
        let mut body = Body::new();
        body.str_attr("name", &u.name);
        resource(
            &mut items,
            &u.origin.construct,
            "aws_iam_user",
            &uname,
            body,
        );
        let gname = groups
            .get(u.group.as_str())
            .map(|g| g.0.clone())
            .unwrap_or_default();
        let mut body = Body::new();
        body.raw_attr("user", format!("aws_iam_user.{uname}.name"));
        body.raw_attr("groups", format!("[aws_iam_group.{gname}.name]"));
        let mname = names.take("aws_iam_user_group_membership", &uname);
        resource(
            &mut items,
            &u.origin.construct,
            "aws_iam_user_group_membership",
            &mname,
            body,
        );
    }
    root.file("break_glass.tf", items);
    Some(root)
}

/// A break-glass group: its resource name, managed policies, inline
/// policies, and the blueprint construct that made it.
type GroupContent<'a> = (String, Vec<&'a ManagedRef>, Vec<&'a Policy>, String);

fn providers(acct: &Account) -> Vec<Item> {
    if acct.is_management {
        let mut body = Body::new();
        body.raw_attr("region", "var.region");
        if let Some(id) = &acct.aws_account_id {
            body.attr("allowed_account_ids", Expr::str_list(&[id]));
        }
        return vec![
            Item::Comment(
                "The management account's own IAM content: run with the management account's credentials."
                    .into(),
            ),
            Item::Block(Block::with_body("provider", &["aws"], body)),
        ];
    }
    let mut mgmt = Body::new();
    mgmt.str_attr("alias", "management");
    mgmt.raw_attr("region", "var.region");

    let mut assume = Body::new();
    assume.attr(
        "role_arn",
        Expr::template(
            Template::new()
                .lit("arn:")
                .interp("local.partition")
                .lit(":iam::")
                .interp("local.account_id")
                .lit(":role/")
                .interp("var.account_access_role_name"),
        ),
    );
    assume.str_attr("session_name", "landform");
    let mut member = Body::new();
    member.raw_attr("region", "var.region");
    member.raw_attr("allowed_account_ids", "[local.account_id]");
    member.blank();
    member.block(Block::with_body("assume_role", &[], assume));
    vec![
        Item::Comment(
            "Run this root with credentials of the management account. This alias reads the organization\n\
             (account ids are known at plan time once terraform/management is applied)."
                .into(),
        ),
        Item::Block(Block::with_body("provider", &["aws"], mgmt)),
        Item::Comment(format!(
            "Account `{}`, reached through the role AWS Organizations created in it.",
            acct.name
        )),
        Item::Block(Block::with_body("provider", &["aws"], member)),
    ]
}

//! `terraform/management/`: the organization, OUs, accounts, SCPs and RCPs.

use crate::org::{AccountId, Org, OuId, Placeholder, PolicyKind, Target};

use super::hcl::{Block, Body, Expr, Item, ObjectKey};
use super::{
    Names, Resolved, Root, access_role_variable, index, key, policy_document, policy_origin,
    region_variable, resource, versions_tf,
};

pub const DIR: &str = "management";

const ORG: &str = "aws_organizations_organization.this";

/// The resource addresses of the management root, by IR id.
struct Addresses {
    ous: Vec<String>,
    /// `None` for the management account.
    accounts: Vec<Option<String>>,
    policies: Vec<Option<String>>,
}

impl Addresses {
    fn new(org: &Org) -> Self {
        let mut names = Names::default();
        let ous = org
            .ous
            .iter()
            .map(|ou| names.take("aws_organizations_organizational_unit", &ou.key))
            .collect();
        let accounts = org
            .accounts
            .iter()
            .map(|a| (!a.is_management).then(|| names.take("aws_organizations_account", &a.key)))
            .collect();
        let policies = org
            .policies
            .iter()
            .map(|p| {
                let prefix = match p.kind {
                    PolicyKind::Scp => "scp",
                    PolicyKind::Rcp => "rcp",
                    _ => return None,
                };
                Some(names.take(
                    "aws_organizations_policy",
                    &format!("{prefix}_{}", key(&p.name)),
                ))
            })
            .collect();
        Self {
            ous,
            accounts,
            policies,
        }
    }

    fn ou_id(&self, ou: OuId) -> String {
        if ou.index() == 0 {
            "local.root_id".to_string()
        } else {
            format!(
                "aws_organizations_organizational_unit.{}.id",
                self.ous[ou.index()]
            )
        }
    }

    fn account_id(&self, org: &Org, account: AccountId) -> String {
        match &self.accounts[account.index()] {
            Some(name) => format!("aws_organizations_account.{name}.id"),
            None => {
                let acct = org.account(account);
                match &acct.aws_account_id {
                    Some(id) if acct.is_management => super::hcl::quote(id),
                    _ => format!("{ORG}.master_account_id"),
                }
            }
        }
    }

    fn target_id(&self, org: &Org, target: Target) -> String {
        match target {
            Target::Root => "local.root_id".to_string(),
            Target::Ou(ou) => self.ou_id(ou),
            Target::Account(a) => self.account_id(org, a),
        }
    }

    fn target_key(&self, org: &Org, target: Target) -> String {
        match target {
            Target::Root => "root".to_string(),
            Target::Ou(ou) => format!("ou_{}", self.ous[ou.index()]),
            Target::Account(a) => format!("account_{}", org.account(a).key),
        }
    }
}

pub(crate) fn render(org: &Org) -> Root {
    let addr = Addresses::new(org);
    let mut root = Root::new(
        DIR,
        "the organization, its OUs and accounts, SCPs and RCPs and their attachments",
    );
    root.file("versions.tf", versions_tf());
    root.file("providers.tf", providers(org));
    root.file(
        "variables.tf",
        vec![region_variable(org), access_role_variable()],
    );
    root.file("organization.tf", organization(org));
    root.file("organizational_units.tf", ous(org, &addr));
    root.file("accounts.tf", accounts(org, &addr));
    root.file("policies.tf", policies(org, &addr));
    root.file("outputs.tf", outputs(org, &addr));
    root
}

fn providers(org: &Org) -> Vec<Item> {
    let mut body = Body::new();
    body.raw_attr("region", "var.region");
    if let Some(id) = org
        .management_account()
        .and_then(|a| a.aws_account_id.as_ref())
    {
        body.attr("allowed_account_ids", Expr::str_list(&[id]));
    }
    vec![
        Item::Comment(
            "Run this root with credentials of the management account (the account that creates the organization)."
                .into(),
        ),
        Item::Block(Block::with_body("provider", &["aws"], body)),
    ]
}

fn uses_identity_center(org: &Org) -> bool {
    !(org.permission_sets.is_empty()
        && org.groups.is_empty()
        && org.users.is_empty()
        && org.assignments.is_empty())
}

fn organization(org: &Org) -> Vec<Item> {
    let mut body = Body::new();
    body.str_attr("feature_set", "ALL");
    let mut types: Vec<&str> = org.policy_types.iter().map(|t| t.as_str()).collect();
    types.sort_unstable();
    types.dedup();
    if !types.is_empty() {
        body.attr("enabled_policy_types", Expr::str_list(&types));
    }
    if uses_identity_center(org) {
        body.attr(
            "aws_service_access_principals",
            Expr::str_list(&["sso.amazonaws.com"]),
        );
    }
    let mut lifecycle = Body::new();
    lifecycle.comment(
        "Trusted service access is set when the organization is created and left alone afterwards:\n\
         enabling IAM Identity Center and other services adds principals that Terraform must not remove.",
    );
    lifecycle.raw_attr("ignore_changes", "[aws_service_access_principals]");
    body.blank();
    body.block(Block::with_body("lifecycle", &[], lifecycle));

    let mut items = Vec::new();
    resource(
        &mut items,
        "organization",
        "aws_organizations_organization",
        "this",
        body,
    );
    let mut locals = Body::new();
    locals.raw_attr("root_id", format!("{ORG}.roots[0].id"));
    items.push(Item::Block(Block::with_body("locals", &[], locals)));
    items
}

fn tags_attr(body: &mut Body, tags: &std::collections::BTreeMap<String, String>) {
    if !tags.is_empty() {
        body.attr("tags", Expr::str_map(tags));
    }
}

fn ous(org: &Org, addr: &Addresses) -> Vec<Item> {
    let mut items = Vec::new();
    for ou in org.ous.iter().skip(1) {
        let mut body = Body::new();
        body.str_attr("name", &ou.name);
        body.raw_attr("parent_id", addr.ou_id(ou.parent.unwrap_or(OuId(0))));
        tags_attr(&mut body, &ou.tags);
        resource(
            &mut items,
            &ou.origin.construct,
            "aws_organizations_organizational_unit",
            &addr.ous[ou.id.index()],
            body,
        );
    }
    items
}

fn accounts(org: &Org, addr: &Addresses) -> Vec<Item> {
    let mut items = Vec::new();
    for acct in &org.accounts {
        let Some(name) = &addr.accounts[acct.id.index()] else {
            continue;
        };
        let mut body = Body::new();
        body.str_attr("name", &acct.name);
        body.str_attr("email", &acct.email);
        body.raw_attr("parent_id", addr.ou_id(acct.ou));
        if acct.aws_account_id.is_none() {
            body.raw_attr("role_name", "var.account_access_role_name");
        }
        tags_attr(&mut body, &acct.tags);
        if acct.aws_account_id.is_none() {
            let mut lifecycle = Body::new();
            lifecycle.comment(
                "AWS uses the role name only while it creates the account and cannot report it back.",
            );
            lifecycle.raw_attr("ignore_changes", "[role_name]");
            body.blank();
            body.block(Block::with_body("lifecycle", &[], lifecycle));
        }
        resource(
            &mut items,
            &acct.origin.construct,
            "aws_organizations_account",
            name,
            body,
        );
        if let Some(id) = &acct.aws_account_id {
            let mut import = Body::new();
            import.raw_attr("to", format!("aws_organizations_account.{name}"));
            import.str_attr("id", id);
            items.push(Item::Comment(format!(
                "The blueprint names an existing account ({id}): Terraform adopts it instead of creating one."
            )));
            items.push(Item::Block(Block::with_body("import", &[], import)));
        }
    }
    let mut ids = Vec::new();
    for acct in &org.accounts {
        ids.push((
            ObjectKey::Quoted(acct.name.clone()),
            Expr::Raw(addr.account_id(org, acct.id)),
        ));
    }
    let mut locals = Body::new();
    locals.comment("Every account of the blueprint by name, the management account included.");
    locals.attr("account_ids", Expr::Object(ids));
    items.push(Item::Block(Block::with_body("locals", &[], locals)));
    items
}

fn policies(org: &Org, addr: &Addresses) -> Vec<Item> {
    let resolve = |p: &Placeholder| match p {
        Placeholder::OrgId => Resolved::Expr(format!("{ORG}.id")),
        Placeholder::AccountId(name) => match org.account_by_name(name) {
            Some(a) => match &a.aws_account_id {
                Some(id) => Resolved::Lit(id.clone()),
                None => Resolved::Expr(addr.account_id(org, a.id)),
            },
            None => Resolved::Expr(index("local.account_ids", name)),
        },
    };
    let mut items = Vec::new();
    for policy in &org.policies {
        let Some(name) = &addr.policies[policy.id.index()] else {
            continue;
        };
        let ptype = match policy.kind {
            PolicyKind::Rcp => "RESOURCE_CONTROL_POLICY",
            _ => "SERVICE_CONTROL_POLICY",
        };
        let mut body = Body::new();
        body.str_attr("name", &policy.name);
        if !policy.description.is_empty() {
            body.str_attr("description", &policy.description);
        }
        body.str_attr("type", ptype);
        body.attr("content", policy_document(policy, &resolve));
        body.blank();
        body.comment("policies can only be created once the organization exists");
        body.raw_attr("depends_on", format!("[{ORG}]"));
        resource(
            &mut items,
            &policy_origin(policy),
            "aws_organizations_policy",
            name,
            body,
        );
    }
    let mut names = Names::default();
    for att in &org.attachments {
        let Some(policy_name) = &addr.policies[att.policy.index()] else {
            continue;
        };
        let name = names.take(
            "aws_organizations_policy_attachment",
            &format!("{policy_name}__{}", addr.target_key(org, att.target)),
        );
        let mut body = Body::new();
        body.raw_attr(
            "policy_id",
            format!("aws_organizations_policy.{policy_name}.id"),
        );
        body.raw_attr("target_id", addr.target_id(org, att.target));
        resource(
            &mut items,
            &format!(
                "{} (attached to {})",
                att.origin.construct,
                org.target_name(att.target)
            ),
            "aws_organizations_policy_attachment",
            &name,
            body,
        );
    }
    items
}

/// The targets to detach the AWS default `FullAWSAccess` SCP from (root, OUs,
/// accounts, in IR order): those where the blueprint does not keep it and that
/// have an SCP of their own (AWS refuses to leave a target without any).
pub(crate) fn full_aws_access_detach(org: &Org) -> Vec<Target> {
    if !org
        .policy_types
        .contains(&crate::org::OrgPolicyType::ServiceControlPolicy)
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

/// The output that lists the ids of [`full_aws_access_detach`].
pub const DETACH_OUTPUT: &str = "full_aws_access_detach_target_ids";

fn output(name: &str, description: &str, value: Expr) -> Item {
    let mut body = Body::new();
    body.str_attr("description", description);
    body.attr("value", value);
    Item::Block(Block::with_body("output", &[name], body))
}

fn outputs(org: &Org, addr: &Addresses) -> Vec<Item> {
    let ous = org
        .ous
        .iter()
        .skip(1)
        .map(|ou| {
            (
                ObjectKey::Quoted(ou.path.clone()),
                Expr::Raw(addr.ou_id(ou.id)),
            )
        })
        .collect();
    let mut items = vec![
        output(
            "organization_id",
            "The organization's id (o-…).",
            Expr::raw(format!("{ORG}.id")),
        ),
        output(
            "root_id",
            "The id of the organization's root (r-…).",
            Expr::raw("local.root_id"),
        ),
        output(
            "management_account_id",
            "The management account's id.",
            Expr::raw(format!("{ORG}.master_account_id")),
        ),
        output(
            "account_ids",
            "Account ids by blueprint account name.",
            Expr::raw("local.account_ids"),
        ),
        output(
            "organizational_unit_ids",
            "OU ids by path (Workloads/Prod).",
            Expr::Object(ous),
        ),
    ];
    let detach = full_aws_access_detach(org);
    if !detach.is_empty() {
        items.push(output(
            DETACH_OUTPUT,
            "Ids (separated by spaces) of the targets to detach the AWS default FullAWSAccess SCP from once this root is applied (README.md).",
            Expr::Raw(format!(
                "join(\" \", [{}])",
                detach
                    .iter()
                    .map(|t| addr.target_id(org, *t))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        ));
    }
    items
}

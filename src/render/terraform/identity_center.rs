//! `terraform/identity-center/`: groups, users, permission sets and their
//! policies, account assignments.

use std::collections::{BTreeMap, BTreeSet};

use crate::org::{AssignmentPrincipal, ManagedRef, Org};

use super::accounts::{Lookups, needed_accounts};
use super::hcl::{Block, Body, Expr, Item};
use super::{
    Names, Root, arn_policy_name, index, key, placeholders, policy_document, policy_origin,
    region_variable, resource, versions_tf,
};

pub const DIR: &str = "identity-center";

/// How a principal is referenced: a resource of this root or a data source
/// for one that exists already (groups synchronised from an identity provider).
struct Principal {
    /// `aws_identitystore_group.x.group_id`, `data.aws_identitystore_user.y.user_id`.
    id_expr: String,
    key: String,
}

pub(crate) fn render(org: &Org) -> Option<Root> {
    if org.permission_sets.is_empty()
        && org.groups.is_empty()
        && org.users.is_empty()
        && org.assignments.is_empty()
    {
        return None;
    }
    let mut root = Root::new(
        DIR,
        "IAM Identity Center: groups, users, permission sets and their policies, account assignments",
    );
    let mut names = Names::default();

    // lookups: the Identity Center instance and the accounts assignments target
    let inline_docs = org
        .permission_sets
        .iter()
        .filter_map(|ps| ps.inline.map(|id| org.policy(id)));
    let found = placeholders(inline_docs);
    let lookups = Lookups {
        provider: None,
        partition: false,
        needed: needed_accounts(org, &found, org.assignments.iter().map(|a| a.account)),
    };
    let resolve = lookups.resolve(org);
    let mut lookup_items = Vec::new();
    let mut instances = Body::new();
    let mut post = Body::new();
    post.raw_attr("condition", "length(self.arns) == 1");
    post.str_attr(
        "error_message",
        "IAM Identity Center is not enabled: enable it in the management account (in var.region) first.",
    );
    let mut lifecycle = Body::new();
    lifecycle.block(Block::with_body("postcondition", &[], post));
    instances.block(Block::with_body("lifecycle", &[], lifecycle));
    lookup_items.push(Item::Block(Block::with_body(
        "data",
        &["aws_ssoadmin_instances", "this"],
        instances,
    )));
    let mut more = lookups.items(org);
    if let Some(Item::Block(locals)) = more.last_mut() {
        locals
            .body
            .raw_attr("instance_arn", "data.aws_ssoadmin_instances.this.arns[0]");
        locals.body.raw_attr(
            "identity_store_id",
            "data.aws_ssoadmin_instances.this.identity_store_ids[0]",
        );
    }
    lookup_items.extend(more);

    // principals
    let mut items = Vec::new();
    let mut groups: BTreeMap<String, Principal> = BTreeMap::new();
    for g in &org.groups {
        if groups.contains_key(&g.name) {
            continue;
        }
        let name = names.take("aws_identitystore_group", &key(&g.name));
        let mut body = Body::new();
        body.raw_attr("identity_store_id", "local.identity_store_id");
        body.str_attr("display_name", &g.name);
        if !g.description.is_empty() {
            body.str_attr("description", &g.description);
        }
        resource(
            &mut items,
            &g.origin.construct,
            "aws_identitystore_group",
            &name,
            body,
        );
        groups.insert(
            g.name.clone(),
            Principal {
                id_expr: format!("aws_identitystore_group.{name}.group_id"),
                key: name,
            },
        );
    }
    let mut users: BTreeMap<String, Principal> = BTreeMap::new();
    let mut memberships = Vec::new();
    for u in &org.users {
        if users.contains_key(&u.user_name) {
            continue;
        }
        let name = names.take("aws_identitystore_user", &key(&u.user_name));
        let (given, family) = split_name(&u.display_name);
        let mut body = Body::new();
        body.raw_attr("identity_store_id", "local.identity_store_id");
        body.str_attr("user_name", &u.user_name);
        body.str_attr("display_name", &u.display_name);
        let mut n = Body::new();
        n.str_attr("given_name", given);
        n.str_attr("family_name", family);
        body.blank();
        body.block(Block::with_body("name", &[], n));
        if !u.email.is_empty() {
            let mut e = Body::new();
            e.str_attr("value", &u.email);
            e.raw_attr("primary", "true");
            body.blank();
            body.block(Block::with_body("emails", &[], e));
        }
        resource(
            &mut items,
            &u.origin.construct,
            "aws_identitystore_user",
            &name,
            body,
        );
        for g in &u.groups {
            memberships.push((g.clone(), name.clone(), u.origin.construct.clone()));
        }
        users.insert(
            u.user_name.clone(),
            Principal {
                id_expr: format!("aws_identitystore_user.{name}.user_id"),
                key: name,
            },
        );
    }
    // principals named but not defined by the blueprint already exist: look them up
    let mut external_groups: BTreeSet<String> = memberships.iter().map(|m| m.0.clone()).collect();
    let mut external_users = BTreeSet::new();
    for a in &org.assignments {
        match &a.principal {
            AssignmentPrincipal::Group(g) => {
                external_groups.insert(g.clone());
            }
            AssignmentPrincipal::User(u) => {
                external_users.insert(u.clone());
            }
        }
    }
    for g in external_groups {
        if groups.contains_key(&g) {
            continue;
        }
        let name = names.take("data.aws_identitystore_group", &key(&g));
        lookup_items.push(principal_lookup(
            "aws_identitystore_group",
            &name,
            "DisplayName",
            &g,
        ));
        groups.insert(
            g,
            Principal {
                id_expr: format!("data.aws_identitystore_group.{name}.group_id"),
                key: name,
            },
        );
    }
    for u in external_users {
        if users.contains_key(&u) {
            continue;
        }
        let name = names.take("data.aws_identitystore_user", &key(&u));
        lookup_items.push(principal_lookup(
            "aws_identitystore_user",
            &name,
            "UserName",
            &u,
        ));
        users.insert(
            u,
            Principal {
                id_expr: format!("data.aws_identitystore_user.{name}.user_id"),
                key: name,
            },
        );
    }
    for (group, user, origin) in &memberships {
        let Some(g) = groups.get(group) else { continue };
        let name = names.take(
            "aws_identitystore_group_membership",
            &format!("{}__{user}", g.key),
        );
        let mut body = Body::new();
        body.raw_attr("identity_store_id", "local.identity_store_id");
        body.raw_attr("group_id", &g.id_expr);
        body.raw_attr(
            "member_id",
            format!("aws_identitystore_user.{user}.user_id"),
        );
        resource(
            &mut items,
            origin,
            "aws_identitystore_group_membership",
            &name,
            body,
        );
    }
    root.file("versions.tf", versions_tf());
    root.file("providers.tf", providers());
    root.file("variables.tf", vec![region_variable(org)]);
    root.file("lookups.tf", lookup_items);
    root.file("principals.tf", items);

    // permission sets and what is attached to them
    let mut items = Vec::new();
    let mut attached: Vec<Vec<String>> = Vec::new();
    let mut ps_names = Vec::new();
    for ps in &org.permission_sets {
        let name = names.take("aws_ssoadmin_permission_set", &ps.key);
        let mut deps = Vec::new();
        let mut body = Body::new();
        body.str_attr("name", &ps.name);
        if !ps.description.is_empty() {
            body.str_attr("description", &ps.description);
        }
        body.raw_attr("instance_arn", "local.instance_arn");
        body.str_attr("session_duration", &ps.session_duration);
        if let Some(rs) = &ps.relay_state {
            body.str_attr("relay_state", rs);
        }
        if !ps.tags.is_empty() {
            body.attr("tags", Expr::str_map(&ps.tags));
        }
        if !ps.session_tags.is_empty() {
            let tags: Vec<String> = ps
                .session_tags
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            body.blank();
            body.comment(&format!(
                "The blueprint's policies expect sessions of this permission set tagged {}.\n\
                 Identity Center takes session tags from user attributes (attributes for access\n\
                 control, configured once per instance), not from the permission set: see README.md.",
                tags.join(", ")
            ));
        }
        resource(
            &mut items,
            &ps.origin.construct,
            "aws_ssoadmin_permission_set",
            &name,
            body,
        );
        let ps_arn = format!("aws_ssoadmin_permission_set.{name}.arn");
        for m in &ps.managed {
            match m {
                ManagedRef::Aws { arn } => {
                    let rtype = "aws_ssoadmin_managed_policy_attachment";
                    let aname =
                        names.take(rtype, &format!("{name}__aws_{}", key(arn_policy_name(arn))));
                    let mut body = Body::new();
                    body.raw_attr("instance_arn", "local.instance_arn");
                    body.raw_attr("permission_set_arn", &ps_arn);
                    body.str_attr("managed_policy_arn", arn);
                    resource(&mut items, &ps.origin.construct, rtype, &aname, body);
                    deps.push(format!("{rtype}.{aname}"));
                }
                ManagedRef::Customer(c) => {
                    let rtype = "aws_ssoadmin_customer_managed_policy_attachment";
                    let aname = names.take(rtype, &format!("{name}__{}", key(&c.name)));
                    let mut reference = Body::new();
                    reference.str_attr("name", &c.name);
                    reference.str_attr("path", &c.path);
                    let mut body = Body::new();
                    body.raw_attr("instance_arn", "local.instance_arn");
                    body.raw_attr("permission_set_arn", &ps_arn);
                    body.blank();
                    body.block(Block::with_body(
                        "customer_managed_policy_reference",
                        &[],
                        reference,
                    ));
                    resource(&mut items, &ps.origin.construct, rtype, &aname, body);
                    deps.push(format!("{rtype}.{aname}"));
                }
            }
        }
        if let Some(id) = ps.inline {
            let p = org.policy(id);
            let rtype = "aws_ssoadmin_permission_set_inline_policy";
            let aname = names.take(rtype, &name);
            let mut body = Body::new();
            body.raw_attr("instance_arn", "local.instance_arn");
            body.raw_attr("permission_set_arn", &ps_arn);
            body.attr("inline_policy", policy_document(p, &resolve));
            resource(&mut items, &policy_origin(p), rtype, &aname, body);
            deps.push(format!("{rtype}.{aname}"));
        }
        if let Some(b) = &ps.boundary {
            let rtype = "aws_ssoadmin_permissions_boundary_attachment";
            let aname = names.take(rtype, &name);
            let mut boundary = Body::new();
            match b {
                ManagedRef::Aws { arn } => {
                    boundary.str_attr("managed_policy_arn", arn);
                }
                ManagedRef::Customer(c) => {
                    let mut reference = Body::new();
                    reference.str_attr("name", &c.name);
                    reference.str_attr("path", &c.path);
                    boundary.block(Block::with_body(
                        "customer_managed_policy_reference",
                        &[],
                        reference,
                    ));
                }
            }
            let mut body = Body::new();
            body.raw_attr("instance_arn", "local.instance_arn");
            body.raw_attr("permission_set_arn", &ps_arn);
            body.blank();
            body.block(Block::with_body("permissions_boundary", &[], boundary));
            resource(&mut items, &ps.origin.construct, rtype, &aname, body);
            deps.push(format!("{rtype}.{aname}"));
        }
        attached.push(deps);
        ps_names.push(name);
    }
    root.file("permission_sets.tf", items);

    // assignments, once each
    let mut items = Vec::new();
    let mut seen = BTreeSet::new();
    for a in &org.assignments {
        if !seen.insert((a.principal.clone(), a.permission_set, a.account)) {
            continue;
        }
        let ps = &ps_names[a.permission_set.index()];
        let (ptype, principal) = match &a.principal {
            AssignmentPrincipal::Group(g) => ("GROUP", groups.get(g)),
            AssignmentPrincipal::User(u) => ("USER", users.get(u)),
        };
        let Some(principal) = principal else { continue };
        let account = org.account(a.account);
        let rtype = "aws_ssoadmin_account_assignment";
        let aname = names.take(
            rtype,
            &format!(
                "{ps}__{}_{}__{}",
                ptype.to_ascii_lowercase(),
                principal.key,
                account.key
            ),
        );
        let mut body = Body::new();
        body.raw_attr("instance_arn", "local.instance_arn");
        body.raw_attr(
            "permission_set_arn",
            format!("aws_ssoadmin_permission_set.{ps}.arn"),
        );
        body.str_attr("principal_type", ptype);
        body.raw_attr("principal_id", &principal.id_expr);
        body.str_attr("target_type", "AWS_ACCOUNT");
        let target = match &account.aws_account_id {
            Some(id) => Expr::str(id),
            None => Expr::raw(index("local.account_ids", &account.name)),
        };
        body.attr("target_id", target);
        let deps = &attached[a.permission_set.index()];
        if !deps.is_empty() {
            body.blank();
            body.comment(
                "assign once every policy is attached, so the first provisioning is complete",
            );
            body.attr(
                "depends_on",
                Expr::ListLines(deps.iter().map(|d| Expr::raw(d.clone())).collect()),
            );
        }
        let via = match a.via {
            crate::org::Target::Account(_) => String::new(),
            t => format!(" (via {})", org.target_name(t)),
        };
        resource(
            &mut items,
            &format!("{}{via}", a.origin.construct),
            rtype,
            &aname,
            body,
        );
    }
    root.file("assignments.tf", items);
    Some(root)
}

fn providers() -> Vec<Item> {
    let mut body = Body::new();
    body.raw_attr("region", "var.region");
    vec![
        Item::Comment(
            "Run this root with credentials of the management account, in the region where IAM Identity Center is enabled."
                .into(),
        ),
        Item::Block(Block::with_body("provider", &["aws"], body)),
    ]
}

/// `data "aws_identitystore_group" "x"` looked up by a unique attribute.
fn principal_lookup(dtype: &str, name: &str, attribute: &str, value: &str) -> Item {
    let mut unique = Body::new();
    unique.str_attr("attribute_path", attribute);
    unique.str_attr("attribute_value", value);
    let mut alt = Body::new();
    alt.block(Block::with_body("unique_attribute", &[], unique));
    let mut body = Body::new();
    body.raw_attr("identity_store_id", "local.identity_store_id");
    body.blank();
    body.block(Block::with_body("alternate_identifier", &[], alt));
    Item::Block(Block::with_body("data", &[dtype, name], body))
}

/// Identity Center wants a given and a family name; the blueprint has a
/// display name. The first word is the given name, the rest the family name
/// (a one-word name is used for both).
fn split_name(display: &str) -> (&str, &str) {
    let display = display.trim();
    match display.split_once(char::is_whitespace) {
        Some((given, family)) if !family.trim().is_empty() => (given, family.trim()),
        _ => (display, display),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_split_into_given_and_family() {
        assert_eq!(split_name("Alice Ünïcödé"), ("Alice", "Ünïcödé"));
        assert_eq!(split_name("Jean Paul Sartre"), ("Jean", "Paul Sartre"));
        assert_eq!(split_name("Cher"), ("Cher", "Cher"));
    }
}

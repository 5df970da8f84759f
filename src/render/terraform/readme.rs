//! `terraform/README.md`: the layout, the apply order and the reasons.

use std::fmt::Write as _;

use crate::org::Org;

use super::{ACCOUNT_ACCESS_ROLE, Root, identity_center, management};

/// `text` as a Markdown code span, whatever backticks it contains.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

pub(crate) fn render(org: &Org, roots: &[Root], header: &str) -> String {
    let mut s = String::new();
    let header = header.replace("--", "- -");
    let _ = writeln!(s, "<!-- {header} -->\n");
    let _ = writeln!(s, "# Terraform for the {} organization\n", code(&org.name));
    s.push_str(
        "Root modules for the hashicorp/aws provider 5.x. Each directory is applied on its own, \
         with its own state, in the order below.\n\n",
    );

    s.push_str("## Layout\n\n| root module | contents |\n|---|---|\n");
    for root in roots {
        let _ = writeln!(s, "| `{}/` | {} |", root.dir, root.summary);
    }
    s.push('\n');

    let accounts: Vec<&Root> = roots
        .iter()
        .filter(|r| r.dir.starts_with("accounts/"))
        .collect();
    let ic = roots.iter().any(|r| r.dir == identity_center::DIR);
    s.push_str("## Apply order\n\n");
    s.push_str(
        "Every root runs with credentials of the **management account** (the member-account roots \
         assume a role from there themselves). From this directory:\n\n```sh\n",
    );
    let _ = writeln!(s, "# 1. the organization, OUs, accounts, SCPs and RCPs");
    let _ = writeln!(
        s,
        "terraform -chdir={} init && terraform -chdir={} apply",
        management::DIR,
        management::DIR
    );
    let mut step = 2;
    let detach = management::full_aws_access_detach(org);
    if !detach.is_empty() {
        let _ = writeln!(
            s,
            "\n# {step}. take the default FullAWSAccess SCP off the targets where the blueprint\n\
             #    replaces it (see \"Why a manual step\" below)\n\
             for id in $(terraform -chdir={} output -raw {}); do\n  \
             attached=$(aws organizations list-policies-for-target --target-id \"$id\" \\\n    \
             --filter SERVICE_CONTROL_POLICY --query \"Policies[?Id=='p-FullAWSAccess'].Id\" --output text)\n  \
             if [ -n \"$attached\" ]; then\n    \
             aws organizations detach-policy --policy-id p-FullAWSAccess --target-id \"$id\"\n  \
             fi\n\
             done",
            management::DIR,
            management::DETACH_OUTPUT,
        );
        step += 1;
    }
    if ic {
        let _ = writeln!(
            s,
            "\n# {step}. by hand, once: enable IAM Identity Center (organization instance) in the\n\
             #    management account, in region {} (in the console: the API only creates\n\
             #    account instances)",
            org.home_region.replace('\n', " ")
        );
        step += 1;
    }
    if !accounts.is_empty() {
        let _ = writeln!(
            s,
            "\n# {step}. the IAM content of each account (in any order, or in parallel)"
        );
        for r in &accounts {
            let _ = writeln!(
                s,
                "terraform -chdir={} init && terraform -chdir={} apply",
                r.dir, r.dir
            );
        }
        step += 1;
    }
    if ic {
        let _ = writeln!(
            s,
            "\n# {step}. permission sets, groups and users, assignments"
        );
        let _ = writeln!(
            s,
            "terraform -chdir={} init && terraform -chdir={} apply",
            identity_center::DIR,
            identity_center::DIR
        );
    }
    s.push_str("```\n\n");
    let _ = write!(
        s,
        "Re-running any step is safe: a second `plan` shows no changes. On an organization that \
         already exists, import it first: `terraform -chdir=management import \
         aws_organizations_organization.this o-…`. Accounts the blueprint names by id are adopted \
         with `import` blocks.\n\n"
    );

    s.push_str("## Why this layout\n\n");
    let _ = write!(
        s,
        "- **Provider configurations never depend on values that are unknown at plan time.** A \
         member account can only be reached once it exists: its provider assumes \
         `{ACCOUNT_ACCESS_ROLE}` (variable `account_access_role_name`) in it. If that provider \
         lived in the root that creates the account, its `role_arn` would be unknown during the \
         first plan. So `management/` creates the accounts, and each account root finds its \
         account id with a `data \"aws_organizations_organization\"` read through a \
         management-account provider alias — known at plan time once `management/` is applied, \
         no copy-paste of ids.\n\
         - **One root per account** keeps each state small, limits the blast radius of a change, \
         and lets accounts be applied in parallel. The management account's own IAM content (if \
         any) has a root too, using the management credentials directly.\n\
         - **Identity Center comes last**: it needs the accounts (assignments) and the \
         customer-managed policies and boundaries that permission sets reference by name, which \
         must exist in every account the permission set is assigned to. It also needs the manual \
         enablement step.\n\
         - **Ids unknown before deployment** (account ids, the organization id) are resource \
         references in `management/` and data-source lookups elsewhere (`local.account_ids[\"NAME\"]`; \
         accounts are found by email, which AWS keeps unique).\n\
         - **Stable addresses**: resource names come from blueprint names (`aws_organizations_account.payments_prod`), \
         never from list positions, so adding or removing one element never re-addresses the others.\n\
         - **Policy documents** are heredocs holding exactly the JSON landform compiled, with \
         `${{…}}` and `%{{…}}` escaped (`$${{…}}`, `%%{{…}}`) so IAM policy variables reach AWS as \
         literal text. Organization policies are sent as written (byte for byte); for IAM \
         documents the provider itself normalizes the JSON (sorted keys, no whitespace) before \
         sending it, which does not change their meaning.\n\n"
    );

    s.push_str("## State\n\n");
    s.push_str(
        "The roots declare no backend, so Terraform keeps state in a local `terraform.tfstate`. \
         `landform render` replaces its output directory as a whole, and local state in it would \
         be lost with it: apply from a copy of the rendered roots (your infrastructure repository), \
         where you add a `backend.tf` (e.g. an S3 bucket in the management account) next to the \
         generated files and copy newly rendered files over the old ones.\n\n",
    );

    s.push_str("## What the tests prove, and what they cannot\n\n");
    s.push_str(
        "landform's test suite runs `terraform fmt -check` and `terraform validate` on every root, \
         applies `management/` and every account root against a local AWS emulator (moto), reads \
         the organization back and compares it with the blueprint (OU tree, accounts, SCP/RCP \
         attachments, policy documents, roles with boundaries and trust policies), and checks \
         that a second `plan` shows no changes. Not covered by the emulator:\n\n\
         - `identity-center/`: moto lacks sso-admin `ListTagsForResource` (read by the permission \
         set resource) and `PutPermissionsBoundaryToPermissionSet`; this root is covered by \
         `validate` and golden files only.\n\
         - The meaning of policies (SCP effects, boundaries, trust conditions): moto accepts \
         anything; landform's own evaluation engine judges meaning.\n\
         - Enabling IAM Identity Center, account creation timing and email verification, and \
         closing accounts.\n",
    );
    let tagged: Vec<String> = org
        .permission_sets
        .iter()
        .filter(|ps| !ps.session_tags.is_empty())
        .map(|ps| {
            let tags: Vec<String> = ps
                .session_tags
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            format!("{} ({})", code(&ps.name), code(&tags.join(", ")))
        })
        .collect();
    if !tagged.is_empty() {
        let _ = write!(
            s,
            "\n## Manual step: session tags for attribute-based access\n\n\
             The blueprint's policies expect the sessions of these permission sets to carry tags: \
             {}. IAM Identity Center takes session tags from user attributes (*attributes for \
             access control*, configured once per instance, e.g. with \
             `aws_ssoadmin_instance_access_control_attributes`), not from a permission set, so \
             they are not rendered: give the users who receive these permission sets the matching \
             attribute values and map the attribute keys.\n",
            tagged.join(", ")
        );
    }
    if !detach.is_empty() {
        let names: Vec<String> = detach.iter().map(|t| code(&org.target_name(*t))).collect();
        let _ = write!(
            s,
            "\n## Why a manual step: the default `FullAWSAccess`\n\n\
             The blueprint takes the AWS default `FullAWSAccess` SCP off {}. AWS attaches it by \
             itself to every new OU and account, and Terraform can only destroy attachments it \
             created, so the detach is a command after step 1, once the blueprint's own SCPs are \
             attached (AWS refuses to leave a target without any SCP). The ids come from the \
             `{}` output of `{}/`.\n",
            names.join(", "),
            management::DETACH_OUTPUT,
            management::DIR,
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
    }
}

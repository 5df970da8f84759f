use super::testorg::{aws, mini, mini_builder};
use super::*;
use crate::org::PermissionSetId;

fn ps(org: &Org, name: &str, account: &str) -> PrincipalRef {
    resolve(org, &format!("permission_set:{name}@{account}")).unwrap()
}

#[test]
fn principals_have_aws_shaped_arns() {
    let org = mini();
    let e = OrgEngine::new(&org);
    let p = e.describe(&ps(&org, "ProdReadOnly", "payments-prod"));
    let acct = e.account_id(org.account_by_name("payments-prod").unwrap().id);
    let role = sso_role_name(&org, "ProdReadOnly");
    assert!(role.starts_with("AWSReservedSSO_ProdReadOnly_"));
    assert_eq!(role.len(), "AWSReservedSSO_ProdReadOnly_".len() + 16);
    assert_eq!(
        p.arn,
        format!("arn:aws:sts::{acct}:assumed-role/{role}/landform")
    );
    assert_eq!(
        p.principal_arn,
        format!("arn:aws:iam::{acct}:role/aws-reserved/sso.amazonaws.com/{role}")
    );
    assert_eq!(p.display, "permission_set:ProdReadOnly@payments-prod");

    let user = e.describe(&resolve(&org, "user:alice-breakglass").unwrap());
    let mgmt = e.account_id(org.management_account().unwrap().id);
    assert_eq!(
        user.arn,
        format!("arn:aws:iam::{mgmt}:user/alice-breakglass")
    );
    assert_eq!(
        role_arn("1", "/team-app/", "x"),
        "arn:aws:iam::1:role/team-app/x"
    );
    assert_eq!(role_arn("1", "/", "x"), "arn:aws:iam::1:role/x");
}

#[test]
fn scp_levels_follow_the_ou_path_with_full_aws_access() {
    let org = mini();
    let e = OrgEngine::new(&org);
    let prod = org.account_by_name("payments-prod").unwrap().id;
    let levels = e.scp_levels(prod).unwrap();
    let labels: Vec<&str> = levels.iter().map(|l| l.label.as_deref().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "Root",
            "Root → Workloads",
            "Root → Workloads → Prod",
            "account payments-prod"
        ]
    );
    let root: Vec<&str> = levels[0]
        .policies
        .iter()
        .map(|p| p.label.as_deref().unwrap())
        .collect();
    assert_eq!(
        root,
        [
            "scp:FullAWSAccess",
            "scp:landform-region-lock",
            "scp:landform-deny-list"
        ]
    );
    // SCPs do not apply to the management account
    assert!(e.scp_levels(org.management_account().unwrap().id).is_none());
    // RCPs are enabled: RCPFullAWSAccess at every level
    let rcp = e.rcp_levels(prod).unwrap();
    assert_eq!(rcp.len(), 4);
    assert!(rcp.iter().all(|l| l.policies.len() == 1));
}

#[test]
fn detached_full_aws_access_leaves_a_level_without_allow() {
    let mut m = mini_builder();
    m.b.org_mut().full_aws_access_detached = vec![Target::Account(m.prod)];
    let org = m.b.finish();
    let e = OrgEngine::new(&org);
    let levels = e.scp_levels(m.prod).unwrap();
    assert!(levels[3].policies.is_empty());
    let d = e.explain(
        &ps(&org, "ProdReadOnly", "payments-prod"),
        &Query::new("s3:GetObject", "arn:aws:s3:::b/k"),
        Assume::Nothing,
    );
    assert_eq!(d.decision, Decision::ImplicitDeny);
    assert_eq!(
        d.explanation.level.as_deref(),
        Some("account payments-prod")
    );
}

/// The seed's "Worked example: who wins?" table, asked through the bridge.
#[test]
fn the_worked_example_table() {
    let org = mini();
    let e = OrgEngine::new(&org);
    let role = resolve(&org, "role:app-admin@payments-staging").unwrap();
    let cases = [
        (
            "s3:GetObject",
            "arn:aws:s3:::bkt/key",
            "ap-south-1",
            Decision::Allow,
        ),
        (
            "s3:DeleteBucket",
            "arn:aws:s3:::bkt",
            "us-east-1",
            Decision::ExplicitDeny,
        ),
        ("iam:CreateUser", "*", "us-east-1", Decision::ImplicitDeny),
        (
            "rds:CreateDBInstance",
            "*",
            "ap-south-1",
            Decision::ImplicitDeny,
        ),
        ("ec2:RunInstances", "*", "ap-south-1", Decision::Allow),
    ];
    for (action, resource, region, want) in cases {
        let q = Query::new(action, resource).with("aws:RequestedRegion", region);
        let ev = e.explain(&role, &q, Assume::Nothing);
        assert_eq!(ev.decision, want, "{action}: {}", ev.to_human());
    }
    let ev = e.explain(
        &role,
        &Query::new("s3:DeleteBucket", "arn:aws:s3:::bkt").with("aws:RequestedRegion", "us-east-1"),
        Assume::Nothing,
    );
    assert_eq!(
        ev.explanation.policy.as_deref(),
        Some("scp:landform-region-lock")
    );
    assert_eq!(ev.explanation.level.as_deref(), Some("Root"));
    let text = ev.to_human();
    assert!(text.contains("boundary:worked-example-boundary"), "{text}");
    assert!(text.contains("aws-managed:AdministratorAccess"), "{text}");
}

#[test]
fn the_home_region_is_the_default_and_the_management_account_is_exempt() {
    let org = mini();
    let e = OrgEngine::new(&org);
    let admin = ps(&org, "NonProdAdmin", "payments-staging");
    // ap-south-1 is the home region: allowed without saying so
    assert_eq!(
        e.decide(
            &admin,
            &Query::new("ec2:RunInstances", "*"),
            Assume::Nothing
        ),
        Decision::Allow
    );
    // the break-glass user lives in the management account: no SCP applies
    let bg = resolve(&org, "user:alice-breakglass").unwrap();
    let q = Query::new("cloudtrail:StopLogging", "*").with("aws:RequestedRegion", "eu-west-1");
    assert_eq!(e.decide(&bg, &q, Assume::Nothing), Decision::Allow);
    assert_eq!(
        e.decide(&admin, &q, Assume::Nothing),
        Decision::ExplicitDeny
    );
}

#[test]
fn assume_role_is_decided_by_the_trust_policy() {
    let org = mini();
    let e = OrgEngine::new(&org);
    let admin = ps(&org, "NonProdAdmin", "payments-staging");
    let staging = e.account_id(org.account_by_name("payments-staging").unwrap().id);
    let q = Query::new(
        "sts:AssumeRole",
        format!("arn:aws:iam::{staging}:role/app-admin"),
    );
    let ev = e.explain(&admin, &q, Assume::Nothing);
    assert_eq!(ev.decision, Decision::ImplicitDeny, "{}", ev.to_human());
    assert!(
        ev.to_human()
            .contains("resource-based policy trust:app-admin")
    );
    // placeholders in the trust policy were replaced by the synthetic ids
    let trust = org.policy(org.roles[0].trust);
    assert!(
        trust
            .text()
            .contains("{{landform:account:payments-staging}}")
    );
    assert_eq!(
        e.substitute("{{landform:account:payments-staging}}"),
        staging
    );
    assert_eq!(e.role_at(&q.resource), Some(org.roles[0].id));
    assert_eq!(e.role_at("arn:aws:iam::000000000000:role/app-admin"), None);
}

#[test]
fn derived_context_can_be_overridden() {
    let org = mini();
    let e = OrgEngine::new(&org);
    let p = ps(&org, "ProdReadOnly", "payments-prod");
    let who = e.describe(&p);
    let req = e.request(&who, &Query::new("s3:GetObject", "*"));
    use crate::policy::condition::{ContextLookup, Values};
    let get = |r: &Request, k: &str| match r.values(k) {
        Some(Values::One(v)) => Some(v.to_string()),
        Some(Values::Many(v)) => v.first().cloned(),
        None => None,
    };
    assert_eq!(
        get(&req, "aws:PrincipalArn").as_deref(),
        Some(who.principal_arn.as_str())
    );
    assert_eq!(
        get(&req, "aws:PrincipalOrgID"),
        Some(e.ids().org_id.clone())
    );
    assert_eq!(
        get(&req, "aws:RequestedRegion").as_deref(),
        Some("ap-south-1")
    );
    assert_eq!(get(&req, "aws:SecureTransport").as_deref(), Some("true"));
    let req = e.request(
        &who,
        &Query::new("s3:GetObject", "*").with("aws:RequestedRegion", "us-east-1"),
    );
    assert_eq!(
        get(&req, "aws:RequestedRegion").as_deref(),
        Some("us-east-1")
    );
}

#[test]
fn unknown_aws_managed_policies_are_issues_and_assumptions() {
    let mut m = mini_builder();
    m.b.org_mut().permission_sets[PermissionSetId(0).index()]
        .managed
        .push(aws("AmazonCloudWatchReadOnlyAccess"));
    let org = m.b.finish();
    let e = OrgEngine::new(&org);
    assert_eq!(e.issues().len(), 1);
    match &e.issues()[0].kind {
        IssueKind::UnknownAwsManaged { arn, suggestion } => {
            assert!(arn.ends_with("/AmazonCloudWatchReadOnlyAccess"));
            assert_eq!(
                suggestion.as_deref(),
                Some("arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess")
            );
        }
        other => panic!("{other:?}"),
    }
    let p = ps(&org, "ProdReadOnly", "payments-prod");
    assert_eq!(
        e.unknown_policies(&p),
        ["aws-managed:AmazonCloudWatchReadOnlyAccess"]
    );
    let q = Query::new("s3:PutObject", "arn:aws:s3:::b/k");
    assert_eq!(e.decide(&p, &q, Assume::Nothing), Decision::ImplicitDeny);
    assert_eq!(e.decide(&p, &q, Assume::Everything), Decision::Allow);
    let text = e.explain(&p, &q, Assume::Everything).to_human();
    assert!(text.contains("assumed to allow everything"), "{text}");
}

#[test]
fn references_resolve_with_suggestions() {
    let org = mini();
    assert!(matches!(
        resolve(&org, "permission_set:ProdReadOnly@payments-prod"),
        Ok(PrincipalRef::PermissionSet { .. })
    ));
    let e = resolve(&org, "permision_set:ProdReadOnly@payments-prod").unwrap_err();
    assert_eq!(e.message, "unknown principal kind `permision_set`");
    assert_eq!(
        e.help,
        "did you mean `permission_set:ProdReadOnly@payments-prod`?"
    );
    let e = resolve(&org, "permission_set:ProdReadOnly@payments-prd").unwrap_err();
    assert_eq!(
        e.help,
        "did you mean `permission_set:ProdReadOnly@payments-prod`?"
    );
    let e = resolve(&org, "permission_set:ProdReadOnli@payments-prod").unwrap_err();
    assert_eq!(
        e.help,
        "did you mean `permission_set:ProdReadOnly@payments-prod`?"
    );
    let e = resolve(&org, "permission_set:ProdReadOnly@payments-staging").unwrap_err();
    assert!(
        e.message
            .contains("is not assigned to account `payments-staging`"),
        "{e}"
    );
    assert_eq!(e.help, "it is assigned to `payments-prod` only");
    let e = resolve(&org, "role:app-admin@payments-prod").unwrap_err();
    assert_eq!(e.help, "it exists in `payments-staging`");
    let e = resolve(&org, "role:app-admn@payments-staging").unwrap_err();
    assert_eq!(e.help, "did you mean `role:app-admin@payments-staging`?");
    let e = resolve(&org, "user:alice").unwrap_err();
    assert!(e.help.contains("alice-breakglass"), "{e}");
    assert!(
        resolve(&org, "role:app-admin")
            .unwrap_err()
            .help
            .contains("@ACCOUNT")
    );
    assert!(resolve(&org, "ProdReadOnly").is_err());
    // display round-trips
    for p in enumerate(&org) {
        let text = display(&org, &p);
        assert_eq!(resolve(&org, &text).unwrap(), p, "{text}");
    }
    assert_eq!(enumerate(&org).len(), 4);
}

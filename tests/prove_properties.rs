//! The prover against the evaluator (`policy::eval`), on random small
//! identity policies over a small world of actions, resources and condition
//! values:
//!
//! - PASS is a proof: on every request of the world, "the candidate allows"
//!   implies "the existing policy allows";
//! - FAIL comes with a witness that the evaluator confirms: the candidate
//!   allows it and the existing policy does not;
//! - these policies use no policy variables, so the prover never needs to
//!   answer "cannot prove";
//! - access-not-granted agrees with the world the same way.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use landform::policy::ast::Policy;
use landform::policy::eval::{
    self, CompiledPolicy, Context, Decision, PolicyRef, PolicySet, Principal, Request,
};
use landform::policy::parse::policy_from_json_value;
use landform::policy::prove::{self, PolicyKind, ProofResult, Reason, ReasonKind};
use proptest::prelude::*;
use serde_json::{Value, json};

const ACTIONS: [&str; 9] = [
    "*",
    "s3:*",
    "s3:Get*",
    "s3:GetObject",
    "s3:PutObject",
    "ec2:*",
    "ec2:RunInstances",
    "s3:*Object",
    "s3:?etObject",
];

const RESOURCES: [&str; 6] = [
    "*",
    "arn:aws:s3:::b1/*",
    "arn:aws:s3:::b*",
    "arn:aws:s3:::b2/k",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:ec2:us-east-1:111111111111:instance/i-1",
];

fn conditions() -> Vec<Value> {
    vec![
        json!({"StringEquals": {"aws:RequestTag/team": "red"}}),
        json!({"StringEquals": {"aws:RequestTag/team": ["red", "blue"]}}),
        json!({"StringNotEquals": {"aws:RequestTag/team": "red"}}),
        json!({"StringLike": {"aws:RequestTag/team": "b*"}}),
        json!({"StringEqualsIfExists": {"aws:RequestTag/team": "blue"}}),
        json!({"Null": {"aws:RequestTag/team": "true"}}),
        json!({"Null": {"aws:RequestTag/team": "false"}}),
        json!({"NumericLessThan": {"aws:MultiFactorAuthAge": "100"}}),
        json!({"NumericGreaterThanEquals": {"aws:MultiFactorAuthAge": "10"}}),
        json!({"Bool": {"aws:SecureTransport": "true"}}),
        json!({"BoolIfExists": {"aws:SecureTransport": "false"}}),
        json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
        json!({"NotIpAddress": {"aws:SourceIp": "10.1.0.0/16"}}),
    ]
}

fn statement() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        prop::collection::vec(prop::sample::select(ACTIONS.to_vec()), 1..3),
        any::<bool>(),
        prop::collection::vec(prop::sample::select(RESOURCES.to_vec()), 1..3),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.5, prop::sample::select(conditions())),
    )
        .prop_map(
            |(allow, actions, not_action, resources, not_resource, cond)| {
                let mut s = json!({"Effect": if allow { "Allow" } else { "Deny" }});
                s[if not_action && !allow {
                    "NotAction"
                } else {
                    "Action"
                }] = json!(actions);
                s[if not_resource {
                    "NotResource"
                } else {
                    "Resource"
                }] = json!(resources);
                if let Some(c) = cond {
                    s["Condition"] = c;
                }
                s
            },
        )
}

fn policy() -> impl Strategy<Value = Value> {
    prop::collection::vec(statement(), 1..4)
        .prop_map(|st| json!({"Version": "2012-10-17", "Statement": st}))
}

fn parse(v: &Value) -> Policy {
    policy_from_json_value(v).unwrap()
}

fn allows(policy: &Policy, action: &str, resource: &str, context: &[(&str, &str)]) -> bool {
    let set = PolicySet {
        identity: vec![PolicyRef::new(Arc::new(CompiledPolicy::compile(policy)))],
        ..PolicySet::default()
    };
    let mut ctx = Context::new();
    for (k, v) in context {
        ctx.insert(*k, vec![(*v).to_string()]);
    }
    let principal = Principal::parse("arn:aws:iam::111111111111:role/tester");
    // the resource in the principal's account: identity policies decide alone
    let req = Request::new(
        principal,
        action,
        resource,
        Some("111111111111".to_string()),
        ctx,
    );
    eval::evaluate(&set, &req) == Decision::Allow
}

/// An action, a resource and the context keys of one request.
type WorldRequest = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

/// Every request of the small world.
fn world() -> Vec<WorldRequest> {
    let mut out = Vec::new();
    let actions = [
        "s3:GetObject",
        "s3:PutObject",
        "ec2:RunInstances",
        "s3:DeleteObject",
    ];
    let resources = [
        "arn:aws:s3:::b1/k",
        "arn:aws:s3:::b2/k",
        "arn:aws:s3:::c/k",
        "arn:aws:ec2:us-east-1:111111111111:instance/i-1",
    ];
    let teams = [None, Some("red"), Some("blue"), Some("green")];
    let ages = [None, Some("5"), Some("50")];
    let tls = [None, Some("true"), Some("false")];
    let ips = [Some("10.1.2.3"), Some("10.2.0.1"), Some("192.0.2.1")];
    for a in actions {
        for r in resources {
            for t in teams {
                for g in ages {
                    for s in tls {
                        for ip in ips {
                            let mut ctx = Vec::new();
                            ctx.extend(t.map(|v| ("aws:RequestTag/team", v)));
                            ctx.extend(g.map(|v| ("aws:MultiFactorAuthAge", v)));
                            ctx.extend(s.map(|v| ("aws:SecureTransport", v)));
                            ctx.extend(ip.map(|v| ("aws:SourceIp", v)));
                            out.push((a, r, ctx));
                        }
                    }
                }
            }
        }
    }
    out
}

fn witness_context(r: &Reason) -> Vec<(String, String)> {
    r.context
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                Value::Array(a) => a[0].as_str().unwrap().to_string(),
                other => other.to_string(),
            };
            (k.clone(), v)
        })
        .collect()
}

fn witness_allowed(policy: &Policy, r: &Reason) -> bool {
    let ctx = witness_context(r);
    let ctx: Vec<(&str, &str)> = ctx.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    allows(
        policy,
        r.action.as_deref().unwrap(),
        r.resource.as_deref().unwrap(),
        &ctx,
    )
}

static WORLD: std::sync::OnceLock<Vec<WorldRequest>> = std::sync::OnceLock::new();

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_new_access_agrees_with_the_evaluator(a in policy(), b in policy()) {
        let (pa, pb) = (parse(&a), parse(&b));
        let proof = prove::no_new_access(&pa, &pb, PolicyKind::Identity);
        match proof.result {
            ProofResult::Pass => {
                for (action, resource, ctx) in WORLD.get_or_init(world) {
                    prop_assert!(
                        !allows(&pb, action, resource, ctx) || allows(&pa, action, resource, ctx),
                        "PASS, but the candidate allows {} on {} with {:?} and the existing policy does not\nA = {}\nB = {}",
                        action, resource, ctx, a, b
                    );
                }
            }
            ProofResult::Fail => {
                for r in &proof.reasons {
                    prop_assert_eq!(r.kind, ReasonKind::NewAccess, "{:?}\nA = {}\nB = {}", r, a, b);
                    prop_assert!(witness_allowed(&pb, r), "candidate does not allow the witness {:?}\nB = {}", r, b);
                    prop_assert!(!witness_allowed(&pa, r), "existing policy allows the witness {:?}\nA = {}", r, a);
                }
            }
        }
    }

    #[test]
    fn access_not_granted_agrees_with_the_evaluator(
        p in policy(),
        action in prop::sample::select(vec!["s3:GetObject", "s3:PutObject", "ec2:RunInstances"]),
    ) {
        let pp = parse(&p);
        let proof = prove::access_not_granted(&pp, &[action.to_string()], &[], PolicyKind::Identity);
        match proof.result {
            ProofResult::Pass => {
                for (a, resource, ctx) in WORLD.get_or_init(world) {
                    if *a == action {
                        prop_assert!(!allows(&pp, a, resource, ctx), "PASS, but {} on {} with {:?} is allowed\nP = {}", a, resource, ctx, p);
                    }
                }
            }
            ProofResult::Fail => {
                let r = &proof.reasons[0];
                prop_assert_eq!(r.kind, ReasonKind::AccessGranted);
                prop_assert_eq!(r.action.as_deref(), Some(action));
                prop_assert!(witness_allowed(&pp, r), "witness not allowed: {:?}\nP = {}", r, p);
            }
        }
    }
}

// Resource policies: principals (the `Principal` element, `NotPrincipal`,
// `aws:PrincipalArn`/`aws:PrincipalAccount`) and a multi-valued key with set
// operators, checked against the prover's concrete evaluator over a world of
// principals and tag-key sets.

const PRINCIPALS: [&str; 7] = [
    "AWS|arn:aws:iam::111111111111:role/app",
    "AWS|arn:aws:iam::111111111111:root",
    "AWS|arn:aws:iam::222222222222:role/app",
    "AWS|arn:aws:iam::222222222222:user/bob",
    "Service|ec2.amazonaws.com",
    "Federated|cognito-identity.amazonaws.com",
    "Anonymous|",
];

fn principal_block() -> impl Strategy<Value = (bool, Value)> {
    (
        prop::bool::weighted(0.2),
        prop::sample::select(vec![
            json!("*"),
            json!({"AWS": "111111111111"}),
            json!({"AWS": ["arn:aws:iam::222222222222:role/app", "111111111111"]}),
            json!({"AWS": "arn:aws:iam::222222222222:root"}),
            json!({"Service": "ec2.amazonaws.com"}),
            json!({"Federated": "cognito-identity.amazonaws.com", "AWS": "arn:aws:iam::111111111111:role/app"}),
        ]),
    )
}

fn resource_conditions() -> Vec<Value> {
    vec![
        json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}),
        json!({"StringEquals": {"aws:PrincipalAccount": "222222222222"}}),
        json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}),
        json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}),
        json!({"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a"]}}),
        json!({"ForAllValues:StringNotLike": {"aws:TagKeys": ["c*"]}}),
        json!({"Null": {"aws:TagKeys": "false"}}),
        json!({"StringNotEqualsIfExists": {"aws:PrincipalArn": "arn:aws:iam::111111111111:root"}}),
    ]
}

fn resource_statement() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        principal_block(),
        prop::collection::vec(prop::sample::select(vec!["s3:GetObject", "s3:*", "*"]), 1..3),
        prop::option::weighted(0.6, prop::sample::select(resource_conditions())),
    )
        .prop_map(|(allow, (not_principal, principal), actions, cond)| {
            let mut s = json!({"Effect": if allow { "Allow" } else { "Deny" }, "Action": actions, "Resource": "*"});
            let not = not_principal && principal != json!("*");
            s[if not { "NotPrincipal" } else { "Principal" }] = principal;
            if let Some(c) = cond {
                s["Condition"] = c;
            }
            s
        })
}

fn resource_policy() -> impl Strategy<Value = Value> {
    prop::collection::vec(resource_statement(), 1..4)
        .prop_map(|st| json!({"Version": "2012-10-17", "Statement": st}))
}

fn concrete_allows(p: &Policy, principal: &str, action: &str, tags: Option<&[&str]>) -> bool {
    let mut context = std::collections::BTreeMap::new();
    if let Some(t) = tags {
        context.insert(
            "aws:tagkeys".to_string(),
            t.iter().map(|s| (*s).to_string()).collect(),
        );
    }
    let req = prove::concrete::Request {
        action: action.to_string(),
        resource: "arn:aws:s3:::b/k".to_string(),
        principal: principal.to_string(),
        context,
    };
    prove::concrete::evaluate(p, &req).allowed
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn resource_policy_proofs_hold_on_a_world_of_principals(a in resource_policy(), b in resource_policy()) {
        let (pa, pb) = (parse(&a), parse(&b));
        let proof = prove::no_new_access(&pa, &pb, PolicyKind::Resource);
        let tag_sets: [Option<&[&str]>; 5] = [None, Some(&["a"]), Some(&["a", "b"]), Some(&["c"]), Some(&["a", "c"])];
        match proof.result {
            ProofResult::Pass => {
                for principal in PRINCIPALS {
                    for action in ["s3:GetObject", "s3:PutObject"] {
                        for tags in tag_sets {
                            prop_assert!(
                                !concrete_allows(&pb, principal, action, tags) || concrete_allows(&pa, principal, action, tags),
                                "PASS, but {} may {} with tags {:?}\nA = {}\nB = {}", principal, action, tags, a, b
                            );
                        }
                    }
                }
            }
            ProofResult::Fail => {
                for r in &proof.reasons {
                    prop_assert_eq!(r.kind, ReasonKind::NewAccess, "{:?}\nA = {}\nB = {}", r, a, b);
                    prop_assert!(r.principal.is_some());
                }
            }
        }
    }
}

//! The access matrix agrees with the per-request engine.
//!
//! For sampled (principal, account, action) triples of the examples, the
//! matrix's status is checked against the decision of the engine through the
//! principals bridge (`OrgEngine::decide`, resource `*`, the context the
//! bridge derives, missing policies assumed to grant nothing — the same
//! request `landform explain` makes):
//!
//! | matrix            | engine must say                                                        |
//! |-------------------|------------------------------------------------------------------------|
//! | allowed           | `Allow`                                                                |
//! | denied explicitly | `ExplicitDeny`                                                         |
//! | denied implicitly | not `Allow`; `ImplicitDeny` unless a conditional deny names the action |
//! | conditional       | anything, but the matrix names what it depends on (conditions not empty), and an `ExplicitDeny` only when a conditional deny names the action |
//! | … guarded         | (conditional, every gate allows unconditionally) not `ImplicitDeny`    |
//!
//! Sampling is stratified: first a status, then an action of that status in
//! the entry, so the small sets (explicit denies) are tested as often as the
//! large ones. Small random organizations (built with the IR builder, not
//! from blueprints: SCPs and RCPs with conditions, `NotAction`, resource
//! scoping and principals, allow-list strategies, boundaries, AWS-managed and
//! unknown policies, service-linked roles, break-glass users) are checked the
//! same way on every entry, for the actions their patterns name and a few
//! random ones.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::OnceLock;

use landform::access::{self, Matrix, Status};
use landform::blueprint::load;
use landform::blueprint::resolve::resolve;
use landform::catalog::{ActionId, catalog};
use landform::org::Org;
use landform::policy::eval::Decision;
use landform::principals::{Assume, OrgEngine, Query};
use proptest::prelude::*;

struct Example {
    engine: OrgEngine<'static>,
    matrix: Matrix,
}

fn example(path: &str) -> Example {
    let loaded = load(Path::new(path)).unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    let (org, diags) = resolve(&loaded.blueprint, path);
    let org: &'static Org = Box::leak(Box::new(
        org.unwrap_or_else(|| panic!("{path}: {diags:#?}")),
    ));
    let matrix = access::compute(org);
    Example {
        engine: OrgEngine::new(org),
        matrix,
    }
}

fn paywave() -> &'static Example {
    static E: OnceLock<Example> = OnceLock::new();
    E.get_or_init(|| example("examples/paywave.yaml"))
}

fn northwind() -> &'static Example {
    static E: OnceLock<Example> = OnceLock::new();
    E.get_or_init(|| example("examples/northwind.yaml"))
}

const STATUSES: [Status; 4] = [
    Status::Allowed,
    Status::Conditional,
    Status::DeniedExplicit,
    Status::DeniedImplicit,
];

/// Checks one sampled triple; `None` when the entry has no action of that status.
fn check(ex: &Example, entry: usize, status: usize, pick: usize) -> Option<Result<(), String>> {
    let entries = ex.matrix.entry_list();
    let e = &entries[entry % entries.len()];
    let sets = ex.matrix.sets(e);
    let status = STATUSES[status % 4];
    let set = match status {
        Status::Allowed => sets.allowed(),
        Status::Conditional => sets.conditional(),
        Status::DeniedExplicit => sets.denied_explicit(),
        Status::DeniedImplicit => sets.denied_implicit(),
    };
    let n = set.count();
    if n == 0 {
        return None;
    }
    let action: ActionId = set.iter().nth(pick % n)?;
    Some(verify(ex, e, action))
}

fn verify(ex: &Example, e: &access::Entry, action: ActionId) -> Result<(), String> {
    let engine = &ex.engine;
    let sets = ex.matrix.sets(e);
    let name = catalog().action_by_id(action).unwrap().full_name();
    let q = Query::new(name.clone(), "*");
    let got = engine.decide(&e.principal_ref, &q, Assume::Nothing);
    let status = sets.status(action);
    let maybe_denied = sets.deny_conditional().contains(action);
    let ok = match status {
        Status::Allowed => got == Decision::Allow,
        Status::DeniedExplicit => got == Decision::ExplicitDeny,
        Status::DeniedImplicit => {
            got != Decision::Allow && (maybe_denied || got == Decision::ImplicitDeny)
        }
        Status::Conditional => {
            !sets.conditions(action).is_empty() && (got != Decision::ExplicitDeny || maybe_denied)
        }
    };
    if ok {
        return Ok(());
    }
    let why = engine.explain(&e.principal_ref, &q, Assume::Nothing);
    Err(format!(
        "{} in {}: {name}: matrix says {:?} ({}), engine says {:?}\n{}",
        e.principal,
        e.account_name,
        status,
        sets.reason(action),
        got,
        why.to_human()
    ))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn paywave_matrix_agrees_with_the_engine(entry in any::<usize>(), status in 0usize..4, pick in any::<usize>()) {
        if let Some(r) = check(paywave(), entry, status, pick) {
            prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        }
    }

    #[test]
    fn northwind_matrix_agrees_with_the_engine(entry in any::<usize>(), status in 0usize..4, pick in any::<usize>()) {
        if let Some(r) = check(northwind(), entry, status, pick) {
            prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        }
    }
}

/// Every explicitly denied action of every entry (small sets) and the
/// `sts:GetCallerIdentity` special case.
#[test]
fn every_explicit_deny_and_the_always_allowed_action_agree() {
    for ex in [paywave(), northwind()] {
        let gci = catalog().action("sts:GetCallerIdentity").unwrap();
        let mut failures = Vec::new();
        let mut checked = 0;
        for e in ex.matrix.entry_list() {
            let sets = ex.matrix.sets(e);
            assert_eq!(sets.status(gci), Status::Allowed);
            for a in sets.denied_explicit().iter().chain([gci]) {
                checked += 1;
                if let Err(msg) = verify(ex, e, a) {
                    failures.push(msg);
                }
            }
        }
        assert!(checked > 0);
        assert!(
            failures.is_empty(),
            "{} disagreements, first:\n{}",
            failures.len(),
            failures[0]
        );
    }
}

/// The four sets partition the catalogue for every entry.
#[test]
fn the_four_sets_partition_the_catalogue() {
    for ex in [paywave(), northwind()] {
        assert!(!ex.matrix.is_empty());
        for (_, _, sets) in ex.matrix.entries() {
            let mut union = sets.allowed().clone();
            for s in [
                sets.conditional(),
                sets.denied_explicit(),
                sets.denied_implicit(),
            ] {
                assert!(!union.intersects(s));
                union.union_with(s);
            }
            assert_eq!(union.count(), catalog().action_count());
        }
    }
}

// ---------------------------------------------------------------------------
// Small random organizations

mod random {
    use std::collections::BTreeMap;

    use landform::org::builder::{OrgBuilder, PermissionSetSpec, RoleSpec};
    use landform::org::{
        AccountId, AssignmentPrincipal, BreakGlassUser, CustomerManagedRef, ManagedRef, Org,
        OrgPolicyType, Origin, OuId, PolicyKind, RoleKind, Target,
    };
    use serde_json::{Value, json};

    /// A tiny deterministic generator (xorshift64*), seeded by proptest.
    pub struct Rng(u64);

    impl Rng {
        pub fn new(seed: u64) -> Self {
            Rng(seed | 1)
        }
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        pub fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
        pub fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }
        pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
            &items[self.below(items.len())]
        }
    }

    /// Action patterns the statements draw from.
    const PATTERNS: &[&str] = &[
        "*",
        "s3:*",
        "s3:Get*",
        "s3:GetObject",
        "s3:?etObject",
        "iam:*",
        "iam:Create*",
        "iam:List*",
        "ec2:RunInstances",
        "ec2:Describe*",
        "kms:Decrypt",
        "sts:*",
        "sts:AssumeRole",
        "organizations:LeaveOrganization",
        "organizations:*",
        "cloudtrail:StopLogging",
        "cloudtrail:*",
        "*:Get*",
        "dynamodb:*",
        "sts:GetCallerIdentity",
    ];

    /// Actions worth asking about (most named by the patterns), plus random ones.
    pub const ACTIONS: &[&str] = &[
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListAllMyBuckets",
        "iam:CreateRole",
        "iam:ListRoles",
        "iam:GetRole",
        "ec2:RunInstances",
        "ec2:DescribeInstances",
        "kms:Decrypt",
        "kms:Encrypt",
        "sts:AssumeRole",
        "sts:GetCallerIdentity",
        "organizations:LeaveOrganization",
        "organizations:ListAccounts",
        "cloudtrail:StopLogging",
        "cloudtrail:GetTrail",
        "dynamodb:GetItem",
        "lambda:GetFunction",
        "sqs:SendMessage",
        "secretsmanager:GetSecretValue",
    ];

    fn condition(r: &mut Rng, home: &str) -> Option<Value> {
        Some(match r.below(7) {
            0 => json!({"StringNotEquals": {"aws:RequestedRegion": [home]}}),
            1 => json!({"StringEquals": {"aws:RequestedRegion": ["eu-west-1"]}}),
            2 => json!({"Bool": {"aws:MultiFactorAuthPresent": "false"}}),
            3 => json!({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin*"}}),
            4 => json!({"Null": {"aws:ResourceTag/Owner": "true"}}),
            _ => return None,
        })
    }

    fn statement(r: &mut Rng, org_policy: bool, rcp: bool, home: &str) -> Value {
        let deny = if org_policy {
            r.chance(60)
        } else {
            r.chance(20)
        };
        let mut st = serde_json::Map::new();
        st.insert("Effect".into(), json!(if deny { "Deny" } else { "Allow" }));
        let n = 1 + r.below(2);
        let patterns: Vec<&str> = (0..n).map(|_| *r.pick(PATTERNS)).collect();
        let key = if r.chance(15) { "NotAction" } else { "Action" };
        st.insert(key.into(), json!(patterns));
        match r.below(6) {
            0 => {
                st.insert("Resource".into(), json!("arn:aws:s3:::bucket/*"));
            }
            1 => {
                st.insert("NotResource".into(), json!("arn:aws:iam::*:role/protected"));
            }
            2 if !org_policy => {}
            _ => {
                st.insert("Resource".into(), json!("*"));
            }
        }
        if rcp {
            st.insert("Principal".into(), json!("*"));
        } else if org_policy && r.chance(5) {
            st.insert(
                "Principal".into(),
                json!({"AWS": "arn:aws:iam::111122223333:root"}),
            );
        }
        if r.chance(45)
            && let Some(c) = condition(r, home)
        {
            st.insert("Condition".into(), c);
        }
        Value::Object(st)
    }

    fn document(r: &mut Rng, org_policy: bool, rcp: bool, home: &str) -> Value {
        let n = 1 + r.below(3);
        let statements: Vec<Value> = (0..n)
            .map(|_| statement(r, org_policy, rcp, home))
            .collect();
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    fn origin(s: &str) -> Origin {
        Origin::new(s, None)
    }

    pub fn org(seed: u64) -> Org {
        let mut r = Rng::new(seed);
        let home = "us-east-1";
        let mut b = OrgBuilder::new("random", "random.yaml", home);
        let rcps = r.chance(50);
        let mut types = vec![OrgPolicyType::ServiceControlPolicy];
        if rcps {
            types.push(OrgPolicyType::ResourceControlPolicy);
        }
        b.policy_types(types);
        if r.chance(20) {
            b.org_mut().keep_full_aws_access = false;
        }
        if r.chance(20) {
            b.org_mut().keep_rcp_full_aws_access = false;
        }
        let root = b.root();
        let mut ous: Vec<OuId> = vec![root];
        for i in 0..1 + r.below(4) {
            let parent = *r.pick(&ous);
            let ou = b.ou(parent, &format!("Ou{i}"), origin("ou"));
            ous.push(ou);
        }
        let mut accounts: Vec<AccountId> =
            vec![b.account("management", "m@example.com", root, true, origin("acct"))];
        for i in 0..2 + r.below(4) {
            let ou = *r.pick(&ous);
            accounts.push(b.account(
                &format!("acct-{i}"),
                &format!("a{i}@example.com"),
                ou,
                false,
                origin("acct"),
            ));
        }
        let mut targets: Vec<Target> = vec![Target::Root];
        targets.extend(ous.iter().skip(1).map(|o| Target::Ou(*o)));
        targets.extend(accounts.iter().skip(1).map(|a| Target::Account(*a)));
        for i in 0..r.below(5) {
            let doc = document(&mut r, true, false, home);
            let p = b.policy(PolicyKind::Scp, &format!("scp-{i}"), doc, origin("scp"));
            let t = *r.pick(&targets);
            b.attach(p, t, origin("attach"));
        }
        if !b.org().keep_full_aws_access {
            // an allow-list strategy: some allow at some levels
            for (i, t) in targets.clone().into_iter().enumerate() {
                if r.chance(70) {
                    let doc = json!({"Version": "2012-10-17", "Statement": [
                        {"Effect": "Allow", "Action": [*r.pick(PATTERNS), *r.pick(PATTERNS)], "Resource": "*"}]});
                    let p = b.policy(PolicyKind::Scp, &format!("allow-{i}"), doc, origin("scp"));
                    b.attach(p, t, origin("attach"));
                }
            }
            if r.chance(50) {
                let detached = *r.pick(&targets);
                b.org_mut().keep_full_aws_access = true;
                b.org_mut().full_aws_access_detached.push(detached);
            }
        }
        if rcps {
            for i in 0..r.below(3) {
                let doc = document(&mut r, true, true, home);
                let p = b.policy(PolicyKind::Rcp, &format!("rcp-{i}"), doc, origin("rcp"));
                let t = *r.pick(&targets);
                b.attach(p, t, origin("attach"));
            }
        }
        let aws = |n: &str| ManagedRef::Aws {
            arn: format!("arn:aws:iam::aws:policy/{n}"),
        };
        let managed_pool = ["ReadOnlyAccess", "AdministratorAccess", "NoSuchPolicyAtAll"];
        let boundary = |b: &mut OrgBuilder, r: &mut Rng, i: usize| -> Option<ManagedRef> {
            match r.below(4) {
                0 => {
                    let doc = document(r, false, false, home);
                    let p = b.policy(
                        PolicyKind::Boundary,
                        &format!("boundary-{i}"),
                        doc,
                        origin("b"),
                    );
                    Some(ManagedRef::Customer(CustomerManagedRef {
                        name: format!("boundary-{i}"),
                        path: "/".into(),
                        policy: Some(p),
                    }))
                }
                1 => Some(aws(managed_pool[r.below(managed_pool.len())])),
                _ => None,
            }
        };
        for i in 0..1 + r.below(3) {
            let inline = r.chance(80).then(|| {
                let doc = document(&mut r, false, false, home);
                b.policy(
                    PolicyKind::PermissionSetInline,
                    &format!("ps-{i}"),
                    doc,
                    origin("ps"),
                )
            });
            let managed = if r.chance(40) {
                vec![aws(managed_pool[r.below(managed_pool.len())])]
            } else {
                Vec::new()
            };
            let bd = boundary(&mut b, &mut r, 100 + i);
            let ps = b.permission_set(PermissionSetSpec {
                name: format!("Ps{i}"),
                description: String::new(),
                session_duration: "PT1H".into(),
                relay_state: None,
                managed,
                inline,
                boundary: bd,
                tags: BTreeMap::new(),
                origin: origin("ps"),
            });
            for &a in &accounts {
                if r.chance(50) {
                    b.assign(
                        AssignmentPrincipal::Group("g".into()),
                        ps,
                        a,
                        Target::Account(a),
                        origin("assign"),
                    );
                }
            }
        }
        for i in 0..r.below(3) {
            let account = *r.pick(&accounts);
            let doc = document(&mut r, false, false, home);
            let inline = b.policy(
                PolicyKind::RoleInline,
                &format!("role-{i}-inline"),
                doc,
                origin("r"),
            );
            let bd = boundary(&mut b, &mut r, 200 + i);
            let name = if r.chance(20) {
                format!("AWSServiceRoleForThing{i}")
            } else {
                format!("role-{i}")
            };
            b.role(
                RoleSpec {
                    name,
                    path: "/".into(),
                    account,
                    kind: RoleKind::Workload,
                    description: String::new(),
                    managed: Vec::new(),
                    inline: vec![inline],
                    boundary: bd,
                    max_session_seconds: 3600,
                    tags: BTreeMap::new(),
                    origin: origin("role"),
                },
                json!({"Version": "2012-10-17", "Statement": []}),
            );
        }
        if r.chance(40) {
            let doc = document(&mut r, false, false, home);
            let inline = b.policy(PolicyKind::RoleInline, "bg-inline", doc, origin("bg"));
            b.break_glass(BreakGlassUser {
                name: "breakglass".into(),
                account: accounts[0],
                group: "bg".into(),
                managed: vec![aws("AdministratorAccess")],
                group_inline: vec![inline],
                key: "breakglass".into(),
                origin: origin("bg"),
            });
        }
        b.finish()
    }
}

fn check_random(seed: u64, extra: usize) -> Result<usize, String> {
    let org: &'static Org = Box::leak(Box::new(random::org(seed)));
    let ex = Example {
        engine: OrgEngine::new(org),
        matrix: access::compute_with(org, access::Options { threads: 1 }),
    };
    let mut ids: Vec<ActionId> = random::ACTIONS
        .iter()
        .map(|a| {
            catalog()
                .action(a)
                .unwrap_or_else(|| panic!("{a} not in the catalogue"))
        })
        .collect();
    let mut r = random::Rng::new(seed ^ 0x9e37_79b9_7f4a_7c15);
    for _ in 0..extra {
        ids.push(ActionId(r.below(catalog().action_count()) as u32));
    }
    let mut checked = 0;
    for e in ex.matrix.entry_list() {
        for &a in &ids {
            verify(&ex, e, a).map_err(|m| format!("seed {seed}: {m}"))?;
            checked += 1;
        }
    }
    Ok(checked)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Random small organizations (SCPs and RCPs with conditions, NotAction,
    /// resource scoping and principals; allow-list strategies; boundaries;
    /// AWS-managed and unknown policies; service-linked roles; break-glass
    /// users): every entry, on the actions the patterns name and a few random ones.
    #[test]
    fn random_organizations_agree_with_the_engine(seed in any::<u64>()) {
        let r = check_random(seed, 8);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }
}

#[test]
fn random_organizations_exercise_every_status() {
    // the generator is not degenerate: across a few seeds every status occurs
    let mut seen = std::collections::BTreeSet::new();
    for seed in 1..40u64 {
        let org = random::org(seed);
        let m = access::compute_with(&org, access::Options { threads: 2 });
        for (_, _, sets) in m.entries() {
            for s in STATUSES {
                let set = match s {
                    Status::Allowed => sets.allowed(),
                    Status::Conditional => sets.conditional(),
                    Status::DeniedExplicit => sets.denied_explicit(),
                    Status::DeniedImplicit => sets.denied_implicit(),
                };
                if set.count() > 1 {
                    seen.insert(s);
                }
            }
        }
        assert!(check_random(seed, 0).unwrap() > 0 || m.is_empty());
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
}

//! Property tests for the engine: the wildcard matcher against a regex oracle,
//! parse → print → parse, "adding a Deny never turns a denial into an Allow",
//! "a boundary never widens", and random input never panicking the readers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::{Value, json};

use landform::policy::ast::{Policy, TextRange};
use landform::policy::eval::{Decision, evaluate};
use landform::policy::json;
use landform::policy::parse::{parse_policy, policy_from_json_value, to_json_value};
use landform::policy::pattern::{NoVars, Pattern};
use landform::policy::scan;
use landform::policy::simulate::Simulator;

fn oracle(pattern: &str, case_insensitive: bool) -> regex::Regex {
    let mut re = String::from(if case_insensitive { "(?is)^" } else { "(?s)^" });
    for c in pattern.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex::Regex::new(&re).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn resource_patterns_match_like_the_regex_oracle(p in "[ab/:é*?]{0,8}", s in "[ab/:éc]{0,10}") {
        prop_assert_eq!(Pattern::resource(&p, false).matches(&s, &NoVars), oracle(&p, false).is_match(&s));
    }

    #[test]
    fn action_patterns_match_case_insensitively_like_the_oracle(p in "[aAbB:*?]{0,8}", s in "[aAbB:c]{0,10}") {
        prop_assert_eq!(Pattern::action(&p).matches(&s, &NoVars), oracle(&p, true).is_match(&s));
    }

    #[test]
    fn intersection_and_containment_are_sound(
        p in "[ab*?]{0,5}", q in "[ab*?]{0,5}", samples in proptest::collection::vec("[abc]{0,6}", 40)
    ) {
        let (pp, qq) = (Pattern::resource(&p, false), Pattern::resource(&q, false));
        let contained = pp.contains(&qq, &NoVars);
        let overlap = pp.intersects(&qq, &NoVars);
        for s in &samples {
            let (mp, mq) = (pp.matches(s, &NoVars), qq.matches(s, &NoVars));
            if contained && mq {
                prop_assert!(mp, "{} ⊇ {} claimed, but {:?} matches only the second", p, q, s);
            }
            if !overlap {
                prop_assert!(!(mp && mq), "{} ∩ {} = ∅ claimed, but {:?} matches both", p, q, s);
            }
        }
        // a witness built from the inner pattern: replace `*` by "", `?` by "a"
        let witness: String = q.chars().filter(|c| *c != '*').map(|c| if c == '?' { 'a' } else { c }).collect();
        if contained {
            prop_assert!(pp.matches(&witness, &NoVars));
        }
        if qq.matches(&witness, &NoVars) && pp.matches(&witness, &NoVars) {
            prop_assert!(overlap);
        }
    }
}

// ---------- parse → print → parse ----------

fn zero(r: &mut TextRange) {
    *r = TextRange::default();
}

/// The policy with every source range cleared.
fn without_ranges(p: &Policy) -> Policy {
    let mut p = p.clone();
    zero(&mut p.range);
    if let Some(v) = &mut p.version {
        zero(&mut v.range);
    }
    if let Some(v) = &mut p.id {
        zero(&mut v.range);
    }
    for s in &mut p.statements {
        zero(&mut s.range);
        zero(&mut s.effect.range);
        if let Some(x) = &mut s.sid {
            zero(&mut x.range);
        }
        zero(&mut s.action.range);
        s.action.items.iter_mut().for_each(|i| zero(&mut i.range));
        if let Some(r) = &mut s.resource {
            zero(&mut r.range);
            r.items.iter_mut().for_each(|i| zero(&mut i.range));
        }
        if let Some(pr) = &mut s.principal {
            zero(&mut pr.range);
            if let landform::policy::ast::PrincipalSpec::Map(entries) = &mut pr.spec {
                for e in entries {
                    zero(&mut e.range);
                    e.values.iter_mut().for_each(|v| zero(&mut v.range));
                }
            }
        }
        for c in &mut s.conditions {
            zero(&mut c.range);
            zero(&mut c.operator.range);
            zero(&mut c.key.range);
            c.values.iter_mut().for_each(|v| zero(&mut v.range));
        }
    }
    p
}

fn one_or_many(items: Vec<String>, single: bool) -> Value {
    if single && items.len() == 1 {
        Value::String(items[0].clone())
    } else {
        Value::Array(items.into_iter().map(Value::String).collect())
    }
}

fn statement_strategy() -> impl Strategy<Value = Value> {
    let actions = proptest::collection::vec(
        prop_oneof![
            Just("s3:GetObject"),
            Just("s3:*"),
            Just("*"),
            Just("ec2:Describe*"),
            Just("iam:?assRole")
        ],
        1..4,
    );
    let resources = proptest::collection::vec(
        prop_oneof![
            Just("*"),
            Just("arn:aws:s3:::b/*"),
            Just("arn:aws:s3:::b/${aws:username}/*")
        ],
        1..3,
    );
    let condition = proptest::option::of((
        prop_oneof![
            Just("StringEquals"),
            Just("ForAnyValue:StringLike"),
            Just("NumericLessThanIfExists"),
            Just("Bool"),
            Just("IpAddress"),
            Just("Null")
        ],
        prop_oneof![
            Just("aws:PrincipalTag/team"),
            Just("aws:SourceIp"),
            Just("s3:max-keys")
        ],
        prop_oneof![
            Just(json!("red")),
            Just(json!(["a", "b"])),
            Just(json!(10)),
            Just(json!(true)),
            Just(json!("10.0.0.0/8"))
        ],
    ));
    (
        proptest::option::of("[A-Za-z0-9]{1,6}"),
        any::<bool>(),
        actions,
        any::<bool>(),
        any::<bool>(),
        proptest::option::of((resources, any::<bool>())),
        any::<bool>(),
        proptest::option::of(prop_oneof![
            Just(json!("*")),
            Just(json!({"AWS": "arn:aws:iam::111111111111:root"})),
            Just(json!({"AWS": ["111111111111", "arn:aws:iam::222222222222:role/r"], "Service": "ec2.amazonaws.com"}))
        ]),
        any::<bool>(),
        condition,
    )
        .prop_map(|(sid, allow, actions, single, not_action, resources, not_resource, principal, not_principal, condition)| {
            let mut m = serde_json::Map::new();
            if let Some(s) = sid {
                m.insert("Sid".into(), json!(s));
            }
            m.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
            if let Some(p) = principal {
                m.insert(if not_principal { "NotPrincipal" } else { "Principal" }.into(), p);
            }
            let a = one_or_many(actions.into_iter().map(String::from).collect(), single);
            m.insert(if not_action { "NotAction" } else { "Action" }.into(), a);
            if let Some((r, single_r)) = resources {
                let r = one_or_many(r.into_iter().map(String::from).collect(), single_r);
                m.insert(if not_resource { "NotResource" } else { "Resource" }.into(), r);
            }
            if let Some((op, key, value)) = condition {
                m.insert("Condition".into(), json!({ op: { key: value } }));
            }
            Value::Object(m)
        })
}

fn policy_strategy() -> impl Strategy<Value = Value> {
    (
        proptest::option::of(prop_oneof![Just("2012-10-17"), Just("2008-10-17")]),
        proptest::option::of("[a-z]{1,5}"),
        proptest::collection::vec(statement_strategy(), 1..5),
        any::<bool>(),
    )
        .prop_map(|(version, id, statements, single)| {
            let mut m = serde_json::Map::new();
            if let Some(v) = version {
                m.insert("Version".into(), json!(v));
            }
            if let Some(i) = id {
                m.insert("Id".into(), json!(i));
            }
            let st = if single && statements.len() == 1 {
                statements[0].clone()
            } else {
                Value::Array(statements)
            };
            m.insert("Statement".into(), st);
            Value::Object(m)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn parse_print_parse_round_trips(doc in policy_strategy(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&doc).unwrap() } else { doc.to_string() };
        let first = parse_policy(&text).unwrap();
        let printed = to_json_value(&first);
        let second = parse_policy(&printed.to_string()).unwrap();
        prop_assert_eq!(without_ranges(&first), without_ranges(&second));
        let third = policy_from_json_value(&printed).unwrap();
        prop_assert_eq!(without_ranges(&first), third);
    }
}

// ---------- monotonicity of the evaluation chain ----------

const A: &str = "111111111111";

fn random_statement() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        prop_oneof![
            Just("s3:GetObject"),
            Just("s3:*"),
            Just("*"),
            Just("ec2:RunInstances"),
            Just("kms:Decrypt"),
            Just("sts:AssumeRole")
        ],
        prop_oneof![
            Just("*"),
            Just("arn:aws:s3:::b/*"),
            Just("arn:aws:s3:::other/*"),
            Just("arn:aws:kms:us-east-1:111111111111:key/k")
        ],
        proptest::option::of(prop_oneof![
            Just(json!({"StringEquals": {"aws:PrincipalTag/team": "red"}})),
            Just(json!({"Bool": {"aws:SecureTransport": "true"}})),
            Just(json!({"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}}))
        ]),
        proptest::option::of(prop_oneof![
            Just(json!("*")),
            Just(json!({"AWS": A})),
            Just(json!({"AWS": "arn:aws:iam::111111111111:user/alice"})),
            Just(json!({"AWS": "arn:aws:iam::111111111111:role/app"})),
            Just(json!({"AWS": "arn:aws:sts::111111111111:assumed-role/app/s"})),
            Just(json!({"AWS": "222222222222"})),
            Just(json!({"Service": "ec2.amazonaws.com"}))
        ]),
        any::<bool>(),
    )
        .prop_map(
            |(allow, action, resource, condition, principal, not_principal)| {
                let mut m = serde_json::Map::new();
                m.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
                m.insert("Action".into(), json!(action));
                m.insert("Resource".into(), json!(resource));
                if let Some(c) = condition {
                    m.insert("Condition".into(), c);
                }
                if let Some(p) = principal {
                    m.insert(
                        if not_principal {
                            "NotPrincipal"
                        } else {
                            "Principal"
                        }
                        .into(),
                        p,
                    );
                }
                Value::Object(m)
            },
        )
}

fn random_policy() -> impl Strategy<Value = Value> {
    proptest::collection::vec(random_statement(), 1..4)
        .prop_map(|st| json!({"Version": "2012-10-17", "Statement": st}))
}

fn random_case() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            Just(json!("arn:aws:iam::111111111111:user/alice")),
            Just(json!("arn:aws:sts::111111111111:assumed-role/app/s")),
            Just(json!("arn:aws:iam::111111111111:role/app")),
            Just(json!("arn:aws:iam::222222222222:user/bob")),
            Just(json!({"type": "Anonymous"})),
            Just(json!("ec2.amazonaws.com"))
        ],
        prop_oneof![
            Just("s3:GetObject"),
            Just("s3:PutObject"),
            Just("kms:Decrypt"),
            Just("ec2:RunInstances"),
            Just("sts:AssumeRole")
        ],
        prop_oneof![
            Just("arn:aws:s3:::b/k"),
            Just("arn:aws:kms:us-east-1:111111111111:key/k"),
            Just("arn:aws:iam::111111111111:role/app"),
            Just("*"),
            Just("arn:aws:s3:::b/*")
        ],
        proptest::option::of(Just(
            json!({"aws:PrincipalTag/team": "red", "aws:SecureTransport": "true"}),
        )),
        proptest::collection::vec(random_policy(), 0..3),
        proptest::option::of(random_policy()),
        proptest::option::of(proptest::collection::vec(random_policy(), 0..2)),
        proptest::option::of(proptest::collection::vec(
            proptest::collection::vec(random_policy(), 0..2),
            0..3,
        )),
        proptest::option::of(proptest::collection::vec(
            proptest::collection::vec(random_policy(), 0..2),
            0..2,
        )),
        proptest::option::of(random_policy()),
        proptest::option::of(proptest::collection::vec(random_policy(), 1..2)),
    )
        .prop_map(
            |(
                principal,
                action,
                resource,
                context,
                identity,
                session,
                boundary,
                scps,
                rcps,
                resource_policy,
                vpce,
            )| {
                json!({
                    "request": {"principal": principal, "action": action, "resource": resource,
                                "resource_account": A, "context": context.unwrap_or(json!({}))},
                    "identity_policies": identity, "session_policy": session,
                    "permission_boundaries": boundary, "scp_levels": scps, "rcp_levels": rcps,
                    "resource_policy": resource_policy, "vpc_endpoint_policies": vpce
                })
            },
        )
}

fn decide(sim: &mut Simulator, case: &Value) -> Decision {
    let l = sim.load(&case.to_string()).unwrap();
    evaluate(&l.policies, &l.request)
}

fn deny_statement() -> impl Strategy<Value = Value> {
    random_statement().prop_map(|mut s| {
        s["Effect"] = json!("Deny");
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn adding_a_deny_never_turns_a_denial_into_an_allow(case in random_case(), deny in deny_statement(), target in 0usize..6) {
        let mut sim = Simulator::new();
        let before = decide(&mut sim, &case);
        let mut after_case = case.clone();
        let doc = json!({"Version": "2012-10-17", "Statement": [deny.clone()]});
        match target {
            0 => after_case["identity_policies"].as_array_mut().unwrap().push(doc),
            1 => match after_case["resource_policy"].as_object_mut() {
                Some(p) => p["Statement"].as_array_mut().unwrap().push(deny.clone()),
                None => after_case["resource_policy"] = doc,
            },
            2 => match after_case["scp_levels"].as_array_mut().and_then(|l| l.first_mut()).and_then(|l| l.as_array_mut()) {
                Some(level) => level.push(doc),
                None => after_case["identity_policies"].as_array_mut().unwrap().push(doc),
            },
            3 => match after_case["session_policy"].as_object_mut() {
                Some(p) => p["Statement"].as_array_mut().unwrap().push(deny.clone()),
                None => after_case["identity_policies"].as_array_mut().unwrap().push(doc),
            },
            4 => match after_case["vpc_endpoint_policies"].as_array_mut() {
                Some(v) => v[0]["Statement"].as_array_mut().unwrap().push(deny.clone()),
                None => after_case["identity_policies"].as_array_mut().unwrap().push(doc),
            },
            _ => match after_case["rcp_levels"].as_array_mut().and_then(|l| l.first_mut()).and_then(|l| l.as_array_mut()) {
                Some(level) => level.push(doc),
                None => after_case["identity_policies"].as_array_mut().unwrap().push(doc),
            },
        }
        let after = decide(&mut sim, &after_case);
        if before != Decision::Allow {
            prop_assert_ne!(after, Decision::Allow, "a Deny turned {:?} into Allow", before);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
    }

    #[test]
    fn a_boundary_never_widens(case in random_case(), boundary in random_policy()) {
        let mut sim = Simulator::new();
        let no_boundary = case["permission_boundaries"].as_array().is_none_or(|b| b.is_empty());
        prop_assume!(no_boundary);
        let before = decide(&mut sim, &case);
        let mut bounded = case.clone();
        bounded["permission_boundaries"] = json!([boundary]);
        let after = decide(&mut sim, &bounded);
        if before != Decision::Allow {
            prop_assert_ne!(after, Decision::Allow, "a boundary turned {:?} into Allow", before);
        }
    }

    #[test]
    fn fast_and_explaining_paths_agree(case in random_case()) {
        let mut sim = Simulator::new();
        let l = sim.load(&case.to_string()).unwrap();
        let e = landform::policy::eval::explain(&l.policies, &l.request);
        prop_assert_eq!(evaluate(&l.policies, &l.request), e.decision);
        prop_assert!(!e.explanation.message.is_empty());
    }
}

// ---------- random input never panics ----------

const SEED_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root"]},"Action":["s3:Get*"],"Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["a*",1,true]},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}]}"#;

fn mutate(base: &str, edits: &[(usize, u8, u8)]) -> String {
    let mut bytes = base.as_bytes().to_vec();
    for &(pos, op, byte) in edits {
        if bytes.is_empty() {
            break;
        }
        let i = pos % bytes.len();
        match op % 3 {
            0 => {
                bytes.remove(i);
            }
            1 => bytes.insert(i, byte),
            _ => bytes[i] = byte,
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        let _ = json::parse(&text);
        let _ = parse_policy(&text);
        let _ = scan::scan(&text);
        let _ = Simulator::new().load(&text);
    }

    #[test]
    fn mutated_policies_never_panic(edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8)) {
        let text = mutate(SEED_POLICY, &edits);
        if let Ok(p) = parse_policy(&text) {
            // whatever parses also prints and re-parses
            let again = policy_from_json_value(&to_json_value(&p)).unwrap();
            prop_assert_eq!(without_ranges(&p), again);
        }
        let line = format!(r#"{{"request":{{"principal":"arn:aws:iam::1:user/u","action":"s3:GetObject","resource":"*"}},"identity_policies":[{text}]}}"#);
        let _ = scan::scan(&line);
        if let Ok(l) = Simulator::new().load(&line) {
            let _ = landform::policy::eval::explain(&l.policies, &l.request);
        }
    }
}

#[test]
fn huge_and_deep_documents_are_errors_not_crashes() {
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    assert!(
        parse_policy(&deep)
            .unwrap_err()
            .to_string()
            .contains("nesting too deep")
    );
    let deep_line = format!(r#"{{"request": {}}}"#, "[".repeat(100_000));
    assert!(Simulator::new().load(&deep_line).is_err());
    // a large but valid policy: 5,000 statements
    let statements: Vec<String> = (0..5000)
        .map(|i| format!(r#"{{"Sid":"S{i}","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b{i}/*"}}"#))
        .collect();
    let big = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    assert_eq!(parse_policy(&big).unwrap().statements.len(), 5000);
}

//! The examples' own `tests:` — the seeds' worked examples written as
//! assertions — hold on the compiled organization when the engine evaluates
//! them (through the bridge from the IR to engine inputs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use landform::blueprint::load;
use landform::blueprint::resolve::resolve;
use landform::org::Expectation;
use landform::policy::eval::Decision;
use landform::principals::{Assume, OrgEngine, Query};

fn check(path: &str) -> usize {
    let loaded = load(Path::new(path)).unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    let (org, diags) = resolve(&loaded.blueprint, path);
    let org = org.unwrap_or_else(|| panic!("{path}: {diags:#?}"));
    let engine = OrgEngine::new(&org);
    let mut failures = Vec::new();
    for t in &org.tests {
        let q = Query {
            action: t.action.clone(),
            resource: t.resource.clone(),
            context: t.context.clone(),
        };
        let got = engine.decide(&t.principal, &q, Assume::Nothing);
        let ok = match t.expect {
            Expectation::Allow => got == Decision::Allow,
            Expectation::Deny => got != Decision::Allow,
            Expectation::ExplicitDeny => got == Decision::ExplicitDeny,
            Expectation::ImplicitDeny => got == Decision::ImplicitDeny,
        };
        if !ok {
            let why = engine.explain(&t.principal, &q, Assume::Nothing);
            failures.push(format!(
                "{} ({}): expected {:?}, got {:?}\n{why:#?}",
                t.name.as_deref().unwrap_or(&t.principal_text),
                t.action,
                t.expect,
                got
            ));
        }
    }
    assert!(failures.is_empty(), "{path}:\n{}", failures.join("\n\n"));
    org.tests.len()
}

#[test]
fn paywave_tests_hold() {
    assert!(check("examples/paywave.yaml") > 0);
}

#[test]
fn northwind_tests_hold() {
    assert!(check("examples/northwind.yaml") > 0);
}

#[test]
fn kitchen_tests_hold() {
    assert!(check("tests/fixtures/compile/kitchen.yaml") > 0);
}

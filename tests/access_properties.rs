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
//! large ones.
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

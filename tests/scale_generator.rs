//! The scale benchmark's generator (`benches/scale/generate.rs`) writes
//! blueprints that load, validate without findings, compile, and pass their
//! own `tests:`; the head variant differs from the base in exactly one line.
//! (The benchmark itself is `cargo bench --bench scale`, not part of the
//! test suite.)
#![allow(clippy::expect_used)]

#[path = "../benches/scale/generate.rs"]
#[allow(dead_code)]
mod generate;

use std::path::Path;

use generate::{BASE_LINE, HEAD_LINE, Variant, blueprint};
use landform::blueprint::{load_str, resolve::resolve, validate};
use landform::checks::blueprint_tests::TestStatus;
use landform::checks::{self, Intent};
use landform::org::PolicyKind;

fn compiled(n: usize, variant: Variant) -> (generate::Generated, landform::org::Org, Intent) {
    let g = blueprint(n, 7, variant);
    let loaded = load_str("scale.yaml", &g.yaml, Path::new(".")).expect("the blueprint loads");
    let diags = validate(&loaded);
    assert!(
        diags.is_empty(),
        "validate reports: {:?}",
        diags.iter().map(|d| d.message.clone()).collect::<Vec<_>>()
    );
    let (org, diags) = resolve(&loaded.blueprint, "scale.yaml");
    assert!(
        !diags.has_errors(),
        "compile errors: {:?}",
        diags.iter().map(|d| d.message.clone()).collect::<Vec<_>>()
    );
    let intent = Intent::from_blueprint(&loaded.blueprint);
    (g, org.expect("the blueprint compiles"), intent)
}

#[test]
fn small_synthetic_organization_validates_compiles_and_passes_its_tests() {
    let (g, org, intent) = compiled(20, Variant::Base);
    let s = &g.stats;
    // the shape issue 7 asks for, as the compiler sees it
    assert_eq!(org.accounts.len(), s.accounts);
    assert_eq!(org.ous.iter().filter(|o| !o.is_root()).count(), s.ous);
    assert_eq!((s.ous, s.max_depth), (100, 5));
    let max_depth = org
        .ous
        .iter()
        .map(|o| org.ou_chain(o.id).len() - 1)
        .max()
        .unwrap_or(0);
    assert_eq!(max_depth, 5);
    assert_eq!(s.scps, 40);
    let raw_scps = org
        .policies
        .iter()
        .filter(|p| p.kind == PolicyKind::Scp && p.origin.construct.starts_with("policies.scp."))
        .count();
    assert_eq!(raw_scps, 40);
    assert_eq!(org.permission_sets.len(), 200);
    assert_eq!(s.assignments, 2000);
    assert_eq!(s.delegated_teams, 20);
    let expanded: std::collections::BTreeSet<_> = org
        .assignments
        .iter()
        .map(|a| (a.principal.clone(), a.permission_set, a.account))
        .collect();
    assert_eq!(expanded.len(), s.account_assignments);

    // the engine-backed checks run and the blueprint's own tests pass
    let outcome = checks::run(&org, &intent, &landform::diagnostics::SourceMap::new());
    assert_eq!(outcome.tests.len(), 3);
    for t in &outcome.tests {
        assert_eq!(t.status, TestStatus::Passed, "{}: {}", t.name, t.reason);
    }
}

#[test]
fn head_variant_changes_one_line() {
    let base = blueprint(20, 7, Variant::Base).yaml;
    let head = blueprint(20, 7, Variant::Head).yaml;
    let differing: Vec<(&str, &str)> = base
        .lines()
        .zip(head.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(base.lines().count(), head.lines().count());
    // the comment names the variant, the SCP changes one word
    assert_eq!(differing.len(), 2, "{differing:?}");
    assert!(differing[0].0.starts_with("# Synthetic"));
    assert_eq!(differing[1], (BASE_LINE, HEAD_LINE));
    compiled(20, Variant::Head);
}

#[test]
fn generation_is_deterministic_and_grows_with_n() {
    assert_eq!(
        blueprint(60, 7, Variant::Base).yaml,
        blueprint(60, 7, Variant::Base).yaml
    );
    let small = blueprint(600, 7, Variant::Base).stats;
    let large = blueprint(6000, 7, Variant::Base).stats;
    assert_eq!(large.accounts, 6000);
    assert_eq!(large.permission_sets, small.permission_sets);
    assert!(large.account_assignments > 5 * small.account_assignments);
}

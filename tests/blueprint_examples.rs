//! Every blueprint in `examples/` and `blueprints/` loads and validates with no
//! diagnostic at all (no errors, no warnings), and the examples say what the
//! seed scenarios say.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use landform::blueprint::{self, OrgIndex, Target};

fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    out.sort();
    out
}

fn load_clean(path: &Path) -> blueprint::Loaded {
    let loaded = match blueprint::load(path) {
        Ok(l) => l,
        Err(f) => panic!(
            "{} does not load:\n{}",
            path.display(),
            landform::diagnostics::render::human_all(
                &f.diagnostics,
                &f.sources,
                Default::default()
            )
        ),
    };
    let diags = blueprint::validate(&loaded);
    assert!(
        diags.is_empty(),
        "{}:\n{}",
        path.display(),
        landform::diagnostics::render::human_all(&diags, &loaded.sources, Default::default())
    );
    loaded
}

#[test]
fn every_example_and_starter_validates_clean() {
    let files: Vec<PathBuf> = yaml_files("examples")
        .into_iter()
        .chain(yaml_files("blueprints"))
        .collect();
    assert!(files.len() >= 4, "{files:?}");
    for f in files {
        load_clean(&f);
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schema/blueprint.schema.json\n"),
            "{} lacks the yaml-language-server modeline",
            f.display()
        );
    }
}

#[test]
fn paywave_is_the_seed_scenario() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/paywave.yaml");
    let loaded = load_clean(&path);
    let bp = &loaded.blueprint;
    let idx = OrgIndex::new(bp);
    for ou in [
        "Security",
        "Infrastructure",
        "Workloads/Prod",
        "Workloads/NonProd",
        "Sandbox",
        "Suspended",
        "PolicyStaging",
    ] {
        assert!(idx.ou_by_path.contains_key(ou), "{ou}");
    }
    assert_eq!(idx.account_paths()["log-archive"], "Security");
    assert_eq!(idx.account_paths()["audit"], "Security");
    let sessions: Vec<(&str, &str)> = bp
        .identity_center
        .permission_sets
        .iter()
        .map(|(n, ps)| (n.as_str(), ps.session.as_ref().unwrap().as_str()))
        .collect();
    assert_eq!(
        sessions,
        [
            ("ProdReadOnly", "PT4H"),
            ("ProdOperator", "PT2H"),
            ("NonProdAdmin", "PT8H"),
            ("SandboxAdmin", "PT8H")
        ]
    );
    let lock = bp.guardrails.region_lock.as_ref().unwrap();
    assert_eq!(lock.allowed[0].as_str(), "ap-south-1");
    assert!(lock.exempt_global_services.value);
    assert!(bp.guardrails.deny_leave_organization.is_some());
    assert!(bp.guardrails.protect_audit_trail.is_some());
    assert!(bp.guardrails.deny_member_root.is_some());
    assert_eq!(bp.break_glass.as_ref().unwrap().users.len(), 2);
    assert!(bp.tests.len() >= 5);
    // the sandbox spend SCP comes from a JSON file next to the example
    let spend = bp.policies.scp.get("sandbox-spend").unwrap();
    assert!(spend.resolved.as_ref().unwrap().value["Statement"].is_array());
}

#[test]
fn northwind_is_the_seed_scenario() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/northwind.yaml");
    let loaded = load_clean(&path);
    let bp = &loaded.blueprint;
    let idx = OrgIndex::new(bp);
    // 140 member accounts across the included files
    assert_eq!(idx.accounts.len(), 140);
    assert_eq!(bp.identity_center.permission_sets.len(), 9);
    let abac = bp.abac.as_ref().unwrap();
    let keys: Vec<&str> = abac.tag_keys.iter().map(|k| k.as_str()).collect();
    assert_eq!(keys, ["Project", "DataClass"]);
    // a boundary per team OU, and a team-app-admin in /team-app/ for each team
    assert_eq!(bp.delegation.len(), 10);
    for (team, d) in bp.delegation.iter() {
        assert_eq!(d.path.as_ref().unwrap().as_str(), "/team-app/");
        assert_eq!(d.admin_role.as_ref().unwrap().as_str(), "team-app-admin");
        assert_eq!(d.boundary.as_str(), format!("{}-boundary", team.as_str()));
        let Ok(Target::Ou(ou)) = idx.resolve_target(d.accounts[0].as_str()) else {
            panic!("{team} is not delegated on an OU")
        };
        assert!(idx.accounts_under(ou, true).len() >= 12);
    }
    // spans of included definitions point into the included files
    let (name, _) = bp.organizational_units.entry("Workloads").unwrap();
    let file = &loaded.sources.get(name.span.source).unwrap().name;
    assert!(file.ends_with("northwind/workloads.yaml"), "{file}");
}

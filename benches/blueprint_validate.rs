//! Times loading and validating synthetic blueprints, phase by phase.
//!
//! Run: `cargo bench --bench blueprint_validate` (optionally followed by `--`
//! and account counts, e.g. `-- 5000 20000`). Prints one line per size: the
//! YAML size and the time of each phase (parse, structural check against the
//! schema, deserialization into the model, semantic validation) and of the
//! whole `load` + `validate`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::Path;
use std::time::Instant;

use landform::blueprint::{self, de, schema, yaml};
use landform::diagnostics::SourceMap;

/// A blueprint with `n` accounts: 50 accounts per team OU, teams grouped in
/// divisions of 10 under `Workloads`, guardrails, permission sets and one
/// assignment per division.
fn synthetic(n: usize) -> String {
    let mut s = String::from(
        "version: 1\norganization:\n  name: big\n  management_account: {name: management, email: aws+management@big.example}\n  home_region: us-east-1\n  allowed_regions: [us-east-1]\norganizational_units:\n  Workloads:\n    children:\n",
    );
    let teams = n.div_ceil(50);
    let divisions = teams.div_ceil(10);
    let mut a = 0;
    for d in 0..divisions {
        s.push_str(&format!("      Div{d:03}:\n        children:\n"));
        for t in 0..10 {
            if a >= n {
                break;
            }
            s.push_str(&format!(
                "          Team{d:03}{t}:\n            accounts:\n"
            ));
            for _ in 0..50 {
                if a >= n {
                    break;
                }
                s.push_str(&format!(
                    "              acct-{a:06}: {{email: aws+acct-{a:06}@big.example, id: \"{:012}\", tags: {{Team: t{d}{t}}}}}\n",
                    100_000_000_000u64 + a as u64
                ));
                a += 1;
            }
        }
    }
    s.push_str("guardrails:\n  region_lock: {attach: [Workloads]}\n  deny_leave_organization: {attach: [Root]}\n  protect_audit_trail: {attach: [Root]}\n  deny_member_root: {attach: [Root]}\n");
    s.push_str("identity_center:\n  groups: {engineers: }\n  permission_sets:\n    ReadOnly: {aws_managed: [ReadOnlyAccess], session: PT4H}\n    Admin: {aws_managed: [AdministratorAccess], session: PT1H}\n  assignments:\n");
    for d in 0..divisions {
        s.push_str(&format!(
            "    - {{group: engineers, permission_set: ReadOnly, targets: [Workloads/Div{d:03}]}}\n"
        ));
    }
    s
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![500, 5_000, 20_000]
    } else {
        sizes
    };
    println!(
        "accounts  yaml-bytes  parse-ms  schema-ms  model-ms  validate-ms  total-ms  diagnostics"
    );
    for n in sizes {
        let text = synthetic(n);
        let mut sources = SourceMap::new();
        let id = sources.add("synthetic.yaml", text.as_str());
        let t = Instant::now();
        let node = yaml::parse(&text, id).document.unwrap();
        let parse = ms(t);
        let t = Instant::now();
        let structural = schema::check(&node, &sources);
        let schema_ms = ms(t);
        assert!(structural.is_empty(), "{structural:?}");
        let t = Instant::now();
        let model: blueprint::Blueprint = de::from_node(&node).unwrap();
        let model_ms = ms(t);
        let t = Instant::now();
        let found = blueprint::validate::check(&model, &sources);
        let validate_ms = ms(t);
        let t = Instant::now();
        let loaded = blueprint::load_str("synthetic.yaml", &text, Path::new(".")).unwrap();
        let diags = blueprint::validate(&loaded);
        let total = ms(t);
        assert_eq!(found.len(), diags.len());
        println!(
            "{n:>8}  {:>10}  {parse:>8.1}  {schema_ms:>9.1}  {model_ms:>8.1}  {validate_ms:>11.1}  {total:>8.1}  {}",
            text.len(),
            diags.len()
        );
    }
}

//! The policy lint against its fixtures (`tests/lint/`): one fixture per
//! finding code (`PL102.identity.json` must produce `PL102`), plus clean
//! policies taken from the seeds, which must produce no ERROR. The findings of
//! every fixture are snapshotted in `tests/lint/snapshots/`; after a deliberate
//! change, regenerate them with `INSTA_UPDATE=always cargo test --test lint`
//! and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use landform::policy::json::line_col;
use landform::policy::lint::{FindingClass, PolicyKind, lint_parsed, rules};
use landform::policy::parse::parse_policy_with_warnings;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

/// `PL102.identity.json` → (`PL102`, identity).
fn name_and_kind(path: &Path) -> (String, PolicyKind) {
    let file = path.file_name().unwrap().to_str().unwrap();
    let stem = file.strip_suffix(".json").unwrap();
    let (name, kind) = stem
        .rsplit_once('.')
        .expect("fixture names are NAME.KIND.json");
    let kind = match kind {
        "identity" => PolicyKind::Identity,
        "resource" => PolicyKind::Resource,
        "trust" => PolicyKind::Trust,
        "scp" => PolicyKind::Scp,
        "rcp" => PolicyKind::Rcp,
        "boundary" => PolicyKind::Boundary,
        other => panic!("unknown policy kind `{other}` in {file}"),
    };
    (name.to_string(), kind)
}

fn pos(text: &str, offset: u32) -> String {
    let (l, c) = line_col(text, offset as usize);
    format!("{l}:{c}")
}

/// The findings of a fixture as text, plus the codes found.
fn render(text: &str, kind: PolicyKind) -> (String, Vec<(&'static str, FindingClass)>) {
    let mut out = String::new();
    let parsed = match parse_policy_with_warnings(text) {
        Ok(p) => p,
        Err(errors) => {
            for e in &errors.errors {
                writeln!(
                    out,
                    "PL000 ERROR {}-{} `{}`: {}",
                    pos(text, e.range.start),
                    pos(text, e.range.end),
                    e.path,
                    e.message
                )
                .unwrap();
            }
            return (out, vec![("PL000", FindingClass::Error)]);
        }
    };
    let findings = lint_parsed(&parsed, kind);
    if findings.is_empty() {
        out.push_str("no findings\n");
    }
    for f in &findings {
        writeln!(
            out,
            "{} {} {}-{} {}",
            f.code,
            f.class,
            pos(text, f.range.start),
            pos(text, f.range.end),
            f.message
        )
        .unwrap();
        if let Some(h) = &f.help {
            writeln!(out, "    help: {h}").unwrap();
        }
        for (r, m) in &f.related {
            writeln!(out, "    related {}: {m}", pos(text, r.start)).unwrap();
        }
    }
    (out, findings.iter().map(|f| (f.code, f.class)).collect())
}

#[test]
fn every_fixture_matches_its_snapshot_and_its_code() {
    let mut covered = BTreeSet::new();
    let mut clean = 0;
    for path in fixtures() {
        let (name, kind) = name_and_kind(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        let (rendered, found) = render(&text, kind);
        insta::with_settings!({
            snapshot_path => "lint/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("{} ({kind} policy)", path.file_name().unwrap().to_string_lossy()),
        }, {
            insta::assert_snapshot!(format!("{name}.{kind}"), rendered);
        });
        if name.starts_with("PL") {
            assert!(
                found.iter().any(|(c, _)| *c == name),
                "fixture {name} does not produce {name}:\n{rendered}"
            );
            covered.insert(name);
        } else {
            assert!(name.starts_with("clean-"), "unexpected fixture {name}");
            assert!(
                !found.iter().any(|(_, class)| *class == FindingClass::Error),
                "clean fixture {name} has errors:\n{rendered}"
            );
            clean += 1;
        }
    }
    let missing: Vec<&str> = rules()
        .iter()
        .map(|r| r.code)
        .filter(|c| !covered.contains(*c))
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
    assert!(clean >= 5, "expected the clean seed policies");
}

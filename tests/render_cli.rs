//! The AWS CLI renderer without AWS: golden files for the examples and the
//! kitchen sink, determinism, headers, `bash -n` on every script, shell
//! quoting round-tripped through bash, and a dry run that calls nothing.
//!
//! Golden files live in `tests/golden/cli/<case>/`; regenerate them with
//! `LANDFORM_BLESS=1 cargo test --test render_cli` and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;

use common::tools::repo_root;
use landform::blueprint::resolve::resolve;
use landform::blueprint::{load, validate};
use landform::diagnostics::SourceMap;
use landform::org::Org;
use landform::org::sample::{HOSTILE, kitchen_sink};
use landform::render::OutputFile;
use landform::render::cli::{render, render_with_sources, shell};
use landform::render::header_text;

/// Loads, validates and compiles a blueprint of the repository.
fn compile(path: &str) -> (Org, SourceMap) {
    let loaded = load(Path::new(path)).unwrap_or_else(|f| panic!("{path}: {:#?}", f.diagnostics));
    let diags = validate(&loaded);
    assert!(!diags.has_errors(), "{path}: {diags:#?}");
    let (org, diags) = resolve(&loaded.blueprint, path);
    let org = org.unwrap_or_else(|| panic!("{path}: {diags:#?}"));
    (org, loaded.sources)
}

/// The cases: name → rendered files.
fn cases() -> Vec<(&'static str, Vec<OutputFile>)> {
    let mut out = Vec::new();
    for (case, path) in [
        ("paywave", "examples/paywave.yaml"),
        ("northwind", "examples/northwind.yaml"),
    ] {
        let (org, sources) = compile(path);
        out.push((case, render_with_sources(&org, Some(&sources))));
    }
    out.push(("kitchen_sink", render(&kitchen_sink())));
    out
}

fn golden_dir(case: &str) -> PathBuf {
    repo_root().join("tests/golden/cli").join(case)
}

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_file() {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            out.insert(name, std::fs::read_to_string(&p).unwrap());
        }
    }
    out
}

fn check_golden(case: &str, files: &[OutputFile]) {
    let dir = golden_dir(case);
    let rendered: BTreeMap<String, String> = files
        .iter()
        .map(|f| {
            assert!(f.path.starts_with("cli/"), "{}", f.path);
            assert!(!f.path[4..].contains('/'), "{}", f.path);
            (f.path[4..].to_string(), f.contents.clone())
        })
        .collect();
    if std::env::var_os("LANDFORM_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (path, contents) in &rendered {
            std::fs::write(dir.join(path), contents).unwrap();
        }
        return;
    }
    let golden = read_tree(&dir);
    let mut report = String::new();
    for path in golden
        .keys()
        .chain(rendered.keys())
        .collect::<BTreeSet<_>>()
    {
        let old = golden.get(path).map_or("", String::as_str);
        let new = rendered.get(path).map_or("", String::as_str);
        if old != new {
            let diff = similar::TextDiff::from_lines(old, new);
            report.push_str(&format!(
                "--- golden {case}/{path}\n+++ rendered\n{}\n",
                diff.unified_diff().context_radius(2)
            ));
        }
    }
    assert!(
        report.is_empty(),
        "the rendered scripts differ from tests/golden/cli/{case} \
         (if the change is intended: LANDFORM_BLESS=1 cargo test --test render_cli):\n{report}"
    );
}

#[test]
fn golden_files() {
    for (case, files) in cases() {
        check_golden(case, &files);
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    let a = cases();
    let b = cases();
    for ((case, x), (_, y)) in a.iter().zip(&b) {
        assert_eq!(x, y, "{case}");
    }
}

/// Writes the files under `dir` (stripping `cli/`), scripts executable.
fn write(files: &[OutputFile], dir: &Path) {
    for f in files {
        let p = dir.join(&f.path[4..]);
        std::fs::write(&p, &f.contents).unwrap();
        #[cfg(unix)]
        if f.executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
}

#[test]
fn every_file_has_the_header_and_every_script_parses() {
    for (case, files) in cases() {
        let dir = tempfile::tempdir().unwrap();
        write(&files, dir.path());
        let names: Vec<&str> = files.iter().map(|f| &f.path[4..]).collect();
        for expected in [
            "lib.sh",
            "run-all.sh",
            "README.md",
            "00-organization.sh",
            "10-ous.sh",
        ] {
            assert!(
                names.contains(&expected),
                "{case}: no {expected} in {names:?}"
            );
        }
        for f in &files {
            let blueprint = if case == "kitchen_sink" {
                "sample.yaml"
            } else {
                &format!("examples/{case}.yaml")
            };
            let header = header_text(blueprint);
            assert!(f.contents.contains(&header), "{case} {}: no header", f.path);
            if f.path.ends_with(".sh") {
                let body = f
                    .contents
                    .strip_prefix("#!/usr/bin/env bash\n")
                    .unwrap_or(&f.contents);
                assert!(
                    body.starts_with(&format!("# {header}")),
                    "{case} {}: the header is not the first comment",
                    f.path
                );
                assert!(
                    f.path.ends_with("lib.sh") || f.contents.contains("set -euo pipefail"),
                    "{case} {}",
                    f.path
                );
                assert!(
                    !f.contents.contains("landform: template"),
                    "{case} {}: {}",
                    f.path,
                    f.contents
                );
                let out = Command::new("bash")
                    .arg("-n")
                    .arg(dir.path().join(&f.path[4..]))
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{case} {}: bash -n: {}",
                    f.path,
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }
}

// ------------------------------------------------------------ shell quoting

/// What bash makes of `word` as one argument of printf.
fn through_bash(word: &str) -> Vec<u8> {
    let script = format!("printf %s {word}");
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn hostile_strings_survive_quoting() {
    let dir = tempfile::tempdir().unwrap();
    for s in [
        HOSTILE,
        "$(touch pwned)",
        "`touch pwned`",
        "'",
        "''",
        "\"",
        "\\",
        "${aws:username}",
        "%{if}",
        "a\nb\n",
        "\n",
        "ünïcödé ✓ 😀",
        "",
        " lead and trail ",
        "-n",
        "~",
        "*",
        "a;b|c&d>e<f",
        "!x",
        "\t",
    ] {
        let word = shell::quote(s);
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!("printf %s {word}"))
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), s, "{word}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{word} ran something"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn quoting_round_trips_through_bash(s in "[^\\x00]{0,40}") {
        prop_assert_eq!(through_bash(&shell::quote(&s)), s.as_bytes().to_vec());
    }

    #[test]
    fn comments_stay_comments(s in "[^\\x00]{0,60}") {
        // a comment followed by a marker: bash must run only the marker
        let script = format!("{}\nprintf ok", shell::comment(&s));
        let out = Command::new("bash").arg("-c").arg(&script).output().unwrap();
        prop_assert_eq!(String::from_utf8_lossy(&out.stdout).into_owned(), "ok");
    }
}

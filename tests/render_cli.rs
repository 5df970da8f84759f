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

const BLUEPRINTS: &[(&str, &str)] = &[
    ("paywave", "examples/paywave.yaml"),
    ("northwind", "examples/northwind.yaml"),
    ("adversarial", "tests/fixtures/adversarial.yaml"),
];

/// The cases: name → rendered files.
fn cases() -> Vec<(&'static str, Vec<OutputFile>)> {
    let mut out = Vec::new();
    for (case, path) in BLUEPRINTS {
        let (org, sources) = compile(path);
        out.push((*case, render_with_sources(&org, Some(&sources))));
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
            let blueprint = BLUEPRINTS
                .iter()
                .find(|(c, _)| *c == case)
                .map_or("sample.yaml", |(_, p)| p);
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

/// `landform render --target cli` writes the golden files (with line
/// numbers), scripts executable.
#[test]
fn the_render_command_writes_the_scripts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_landform"))
        .args([
            "render",
            "examples/paywave.yaml",
            "--target",
            "cli",
            "--out",
        ])
        .arg(&out)
        .current_dir(repo_root())
        .status()
        .unwrap();
    assert!(status.success());
    let written = read_tree(&out.join("cli"));
    assert_eq!(written, read_tree(&golden_dir("paywave")));
    assert!(!out.join("terraform").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for name in written.keys() {
            let mode = std::fs::metadata(out.join("cli").join(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(
                mode & 0o111 != 0,
                name.ends_with(".sh") && name != "lib.sh",
                "{name}"
            );
        }
    }
}

/// Template expressions printed without a filter are code the renderer
/// builds itself (heredocs, quoted words, `[a-z0-9_]` keys) or fixed words;
/// a new one must be added here after checking it cannot carry a blueprint
/// value unquoted.
#[test]
fn templates_print_values_only_through_filters() {
    const RAW: &[&str] = &[
        // [a-z0-9_] keys and fixed words chosen by the renderer
        "ps.key",
        "a.key",
        "a[0]",
        "p[0]",
        "p.key",
        "ou.parent",
        "ou.key",
        "a.ou",
        "u.key",
        "g.key",
        "e.key",
        "m.user",
        "m.group",
        "d.key",
        "a.ps",
        "a.principal",
        "a.account",
        "s.file",
        "p.type",
        "a.type",
        "t",
        "p.kind",
        "e.call",
        "access_role",
        "r.max_session",
        // code built in Rust with shell::quote / shell::heredoc
        "p.document",
        "i.document",
        "r.trust",
        "ps.inline.document",
        "r.boundary",
        "m",
        "p",
        "a.target_word",
        "t.target_word",
        "p[1]",
        "ps.settings",
    ];
    let re = regex::Regex::new(r"\{\{-?\s*([^}|]*?)\s*-?\}\}").unwrap();
    let dir = repo_root().join("templates/cli");
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        for c in re.captures_iter(&text) {
            let expr = &c[1];
            assert!(
                RAW.contains(&expr),
                "{}: `{{{{ {expr} }}}}` prints a value without a filter",
                e.path().display()
            );
        }
    }
    // and the keys the scripts index ID with are identifiers
    let key = regex::Regex::new(r"ID\[([^\]]*)\]").unwrap();
    for (case, files) in cases() {
        for f in files
            .iter()
            .filter(|f| f.path.ends_with(".sh") && !f.path.ends_with("lib.sh"))
        {
            for c in key.captures_iter(&f.contents) {
                let k = &c[1];
                assert!(
                    k.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{case} {}: ID[{k}]",
                    f.path
                );
            }
        }
    }
}

//! `docs/checks.md` is generated from the checks' doc comments and
//! `src/checks/coverage.md`; this test keeps it in sync. Regenerate with
//! `LANDFORM_BLESS=1 cargo test --test check_docs` and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn docs_checks_md_is_in_sync() {
    let want = landform::checks::reference_markdown();
    let path = "docs/checks.md";
    if std::env::var_os("LANDFORM_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let got = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        got == want,
        "{path} is out of date: run `LANDFORM_BLESS=1 cargo test --test check_docs`"
    );
}

#[test]
fn the_coverage_table_names_only_real_codes() {
    let text = include_str!("../src/checks/coverage.md");
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.len() == 5 && word.starts_with("LF7") {
            assert!(
                landform::checks::check(word).is_some(),
                "{word} is not a check"
            );
        }
    }
    // every check appears in the coverage table
    for c in landform::checks::checks() {
        assert!(
            text.contains(c.code),
            "{} is missing from coverage.md",
            c.code
        );
    }
}

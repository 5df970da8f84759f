//! Snapshots of the human diagnostics for representative mistakes. Review a
//! change with `cargo insta review`, or accept all with
//! `INSTA_UPDATE=always cargo test --test blueprint_snapshots` and read the diff.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use landform::blueprint;
use landform::diagnostics::render::{HumanOptions, human_all};

/// The human output for a blueprint path, given relative to the crate root
/// (the working directory of integration tests) as a user would type it.
fn human(path: &str) -> String {
    let (diags, sources) = match blueprint::load(std::path::Path::new(path)) {
        Ok(l) => (blueprint::validate(&l), l.sources),
        Err(f) => (f.diagnostics, f.sources),
    };
    human_all(&diags, &sources, HumanOptions::default())
}

macro_rules! snap {
    ($name:ident, $path:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), human($path));
        }
    };
}

snap!(
    typos_suggest_the_key,
    "tests/fixtures/blueprints/snapshots/typos.yaml"
);
snap!(
    keys_at_the_wrong_level,
    "tests/fixtures/blueprints/snapshots/wrong-level.yaml"
);
snap!(
    unknown_references,
    "tests/fixtures/blueprints/snapshots/references.yaml"
);
snap!(
    aws_limits,
    "tests/fixtures/blueprints/snapshots/limits.yaml"
);
snap!(
    design_warnings,
    "tests/fixtures/blueprints/snapshots/warnings.yaml"
);
snap!(
    tab_indentation,
    "tests/fixtures/blueprints/invalid/LF003-tab-indentation.yaml"
);
snap!(
    include_conflict,
    "tests/fixtures/blueprints/invalid/LF011-include-conflict/blueprint.yaml"
);
snap!(
    policy_file_not_json,
    "tests/fixtures/blueprints/invalid/LF012-policy-not-json/blueprint.yaml"
);
snap!(
    too_many_rcps,
    "tests/fixtures/blueprints/invalid/LF303-too-many-rcps.yaml"
);

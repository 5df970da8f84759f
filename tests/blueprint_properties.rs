//! Loading and validating never panics, whatever the input: arbitrary text,
//! and the example blueprints with lines deleted, duplicated or cut short.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use landform::blueprint;
use proptest::prelude::*;

fn check(text: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    if let Ok(loaded) = blueprint::load_str("mutated.yaml", text, &dir) {
        let _ = blueprint::validate(&loaded);
    }
}

fn example() -> &'static str {
    include_str!("../examples/paywave.yaml")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        check(&text);
    }

    #[test]
    fn yaml_like_text_never_panics(text in "([a-z_]{1,8}: ?(\\[|\\{|-|\"|'|&a|\\*a|!x|[0-9]{1,3}|\\n  |\\t)?){0,40}") {
        check(&text);
    }

    #[test]
    fn mutated_examples_never_panic(ops in prop::collection::vec((0usize..400, 0u8..4), 1..6)) {
        let mut lines: Vec<String> = example().lines().map(str::to_string).collect();
        for (at, op) in ops {
            if lines.is_empty() {
                break;
            }
            let i = at % lines.len();
            match op {
                0 => { lines.remove(i); }
                1 => { let l = lines[i].clone(); lines.insert(i, l); }
                2 => { let l = &mut lines[i]; let cut = l.char_indices().nth(l.chars().count() / 2).map_or(0, |(b, _)| b); l.truncate(cut); }
                _ => { let l = &mut lines[i]; l.insert(0, ' '); }
            }
        }
        check(&lines.join("\n"));
    }
}

//! The prover's wildcard automata against a regex oracle: matching, and
//! satisfiability of "in every positive union, in no negative pattern" with
//! its witness, checked by enumerating every short string.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use landform::policy::prove::automaton::{Answer, DEFAULT_LIMIT, Query};
use landform::policy::prove::glob::{Pattern, Syntax, Tok};
use proptest::prelude::*;
use regex::Regex;

fn regex_of(p: &Pattern) -> Regex {
    let mut s = String::from("^");
    if p.ci {
        s.push_str("(?i)");
    }
    for t in &p.toks {
        match t {
            Tok::Lit(c) => s.push_str(&regex::escape(&c.to_string())),
            Tok::Any => s.push_str("(?s:.)"),
            Tok::AnySeg => s.push_str("[^:]"),
            Tok::Star => s.push_str("(?s:.*)"),
            Tok::StarSeg(_) => s.push_str("[^:]*"),
        }
    }
    s.push('$');
    Regex::new(&s).unwrap()
}

fn pattern() -> impl Strategy<Value = Pattern> {
    (
        prop::collection::vec(
            prop::sample::select(vec!['a', 'b', 'A', ':', '*', '?']),
            0..6,
        ),
        prop::sample::select(vec![Syntax::Glob, Syntax::Arn, Syntax::Literal]),
        any::<bool>(),
    )
        .prop_map(|(chars, syntax, ci)| {
            let text: String = chars.into_iter().collect();
            // ARN syntax only means something for `arn:`-prefixed text
            let text = if syntax == Syntax::Arn {
                format!("arn:{text}")
            } else {
                text
            };
            Pattern::new(&text, syntax, ci, false)
        })
}

static SHORT: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// Every string over `a b A : c` up to `max` characters.
fn strings(max: usize) -> Vec<String> {
    let alphabet = ['a', 'b', 'A', ':', 'c'];
    let mut all = vec![String::new()];
    let mut layer = vec![String::new()];
    for _ in 0..max {
        let mut next = Vec::new();
        for s in &layer {
            for c in alphabet {
                let mut t = s.clone();
                t.push(c);
                next.push(t);
            }
        }
        all.extend(next.iter().cloned());
        layer = next;
    }
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn matching_agrees_with_regex(p in pattern(), s in "[abA:c]{0,8}") {
        let arn_s = format!("arn:{s}");
        for input in [s.as_str(), arn_s.as_str()] {
            prop_assert_eq!(p.matches(input), regex_of(&p).is_match(input), "{} vs {:?}", p.text, input);
        }
    }

    #[test]
    fn satisfiability_and_witnesses_agree_with_enumeration(
        groups in prop::collection::vec(prop::collection::vec(pattern(), 1..3), 1..3),
        negs in prop::collection::vec(pattern(), 0..3),
    ) {
        let query = Query {
            positive: groups.iter().map(|g| g.iter().collect()).collect(),
            negative: negs.iter().collect(),
            limit: DEFAULT_LIMIT,
        };
        let pos_re: Vec<Vec<Regex>> = groups.iter().map(|g| g.iter().map(regex_of).collect()).collect();
        let neg_re: Vec<Regex> = negs.iter().map(regex_of).collect();
        let oracle = |s: &str| {
            pos_re.iter().all(|g| g.iter().any(|r| r.is_match(s)))
                && !neg_re.iter().any(|r| r.is_match(s))
        };
        match query.solve() {
            Answer::Sat(w) => prop_assert!(oracle(&w), "witness {:?} is wrong", w),
            Answer::Unsat => {
                // patterns have at most 9 characters, so a witness, if any, is
                // short: the enumeration covers every string up to 6 characters
                // (also behind `arn:`)
                let short = SHORT
                    .get_or_init(|| strings(6))
                    .iter()
                    .find(|s| oracle(s) || oracle(&format!("arn:{s}")));
                prop_assert!(short.is_none(), "unsat, but {:?} satisfies", short);
            }
            Answer::Unknown => prop_assert!(false, "small queries never reach the limit"),
        }
    }
}

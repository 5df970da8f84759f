//! Deciding whether a string exists that matches every one of some pattern
//! unions and none of some other patterns — the one question the prover asks
//! about actions, resources, principals and string condition values.
//!
//! Each pattern is an NFA whose states are its token positions; the product
//! of all of them is explored breadth-first over *sets* of positions (the
//! subset construction, built lazily), so the first accepting set found gives
//! a shortest witness. Characters that appear in no pattern behave alike, so
//! the alphabet is the characters of the patterns (both cases for
//! case-insensitive ones), `:` (which segment-bound wildcards refuse), and one
//! representative of "any other character". Exploration is bounded: past
//! [`Query::limit`] states the answer is [`Answer::Unknown`], which callers
//! treat as "maybe" (the safe side).

use std::collections::HashMap;
use std::collections::VecDeque;

use super::glob::{Pattern, Tok};

/// The answer to a [`Query`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A string that satisfies the query.
    Sat(String),
    Unsat,
    /// The exploration limit was reached.
    Unknown,
}

/// `∃ s. (∀ g ∈ positive: s matches some pattern of g) ∧ s matches no pattern of negative`.
#[derive(Debug, Clone, Default)]
pub struct Query<'a> {
    pub positive: Vec<Vec<&'a Pattern>>,
    pub negative: Vec<&'a Pattern>,
    /// Maximum number of product states to explore.
    pub limit: usize,
}

/// The default exploration limit (product states).
pub const DEFAULT_LIMIT: usize = 20_000;

impl<'a> Query<'a> {
    pub fn new() -> Self {
        Query {
            positive: Vec::new(),
            negative: Vec::new(),
            limit: DEFAULT_LIMIT,
        }
    }

    /// Whether `s` satisfies the query (variables relaxed).
    pub fn accepts(&self, s: &str) -> bool {
        self.positive.iter().all(|g| g.iter().any(|p| p.matches(s)))
            && !self.negative.iter().any(|p| p.matches(s))
    }

    pub fn solve(&self) -> Answer {
        self.solve_counted().0
    }

    /// [`Query::solve`], with the number of product states explored (the
    /// work done, for callers that bound their total work).
    pub fn solve_counted(&self) -> (Answer, usize) {
        if self.positive.iter().any(Vec::is_empty) {
            return (Answer::Unsat, 0);
        }
        if self.negative.iter().any(|p| p.is_universal()) {
            return (Answer::Unsat, 0);
        }
        // groups with a universal pattern constrain nothing
        let groups: Vec<&Vec<&Pattern>> = self
            .positive
            .iter()
            .filter(|g| !g.iter().any(|p| p.is_universal()))
            .collect();
        // fast path: a group of literals leaves finitely many candidates
        let all_ci = self
            .positive
            .iter()
            .flatten()
            .chain(self.negative.iter())
            .all(|p| p.ci);
        if let Some(g) = groups
            .iter()
            .find(|g| g.iter().all(|p| p.is_literal() && (all_ci || !p.ci)))
        {
            for p in g.iter() {
                let s: String = p
                    .toks
                    .iter()
                    .filter_map(|t| match t {
                        Tok::Lit(c) => Some(*c),
                        _ => None,
                    })
                    .collect();
                if self.accepts(&s) {
                    return (Answer::Sat(s), 0);
                }
            }
            return (Answer::Unsat, 0);
        }
        Product::new(&groups, &self.negative).search(self.limit)
    }
}

/// The product automaton, bit-parallel: every pattern's positions live in
/// one bitset; a step on character `c` is `closure((S & adv[c]) << 1 | S & stay[c])`
/// (the "shift-and" technique), and star runs are single tokens, so the
/// closure is one more shift.
struct Product {
    words: usize,
    alphabet: Vec<char>,
    /// Per alphabet character: positions whose token consumes it and moves on.
    adv: Vec<Vec<u64>>,
    /// Per alphabet character: star positions that consume it and stay.
    stay: Vec<Vec<u64>>,
    /// Positions holding a star (closure: a star may match nothing).
    stars: Vec<u64>,
    /// Start positions of every pattern.
    start: Vec<u64>,
    /// Per positive group: all its positions, and its accepting positions.
    group_alive: Vec<Vec<u64>>,
    group_accept: Vec<Vec<u64>>,
    /// Accepting positions of the negatives, and positions from which a
    /// negative accepts every continuation (inside its trailing `*`).
    neg_accept: Vec<u64>,
    neg_universal: Vec<u64>,
}

fn set(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

fn meets(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).any(|(x, y)| x & y != 0)
}

impl Product {
    fn new(groups: &[&Vec<&Pattern>], negative: &[&Pattern]) -> Self {
        // characters as written first (so witnesses keep the patterns' case),
        // then their case variants, `:` and one stand-in for all others
        let all: Vec<&Pattern> = groups
            .iter()
            .flat_map(|g| g.iter().copied())
            .chain(negative.iter().copied())
            .collect();
        let mut alphabet: Vec<char> = Vec::new();
        let add = |c: char, alphabet: &mut Vec<char>| {
            if !alphabet.contains(&c) {
                alphabet.push(c);
            }
        };
        for p in &all {
            for t in &p.toks {
                if let Tok::Lit(c) = t {
                    add(*c, &mut alphabet);
                }
            }
        }
        for p in all.iter().filter(|p| p.ci) {
            for t in &p.toks {
                if let Tok::Lit(c) = t {
                    add(c.to_ascii_lowercase(), &mut alphabet);
                    add(c.to_ascii_uppercase(), &mut alphabet);
                }
            }
        }
        add(':', &mut alphabet);
        if let Some(other) = "abcdefghijklmnopqrstuvwxyz0123456789-_"
            .chars()
            .chain('\u{100}'..)
            .find(|c| !alphabet.contains(c))
        {
            alphabet.push(other);
        }
        let total: usize = all.iter().map(|p| p.toks.len() + 1).sum();
        let words = total.div_ceil(64).max(1);
        let zero = vec![0u64; words];
        let mut pr = Product {
            words,
            adv: vec![zero.clone(); alphabet.len()],
            stay: vec![zero.clone(); alphabet.len()],
            stars: zero.clone(),
            start: zero.clone(),
            group_alive: vec![zero.clone(); groups.len()],
            group_accept: vec![zero.clone(); groups.len()],
            neg_accept: zero.clone(),
            neg_universal: zero,
            alphabet,
        };
        let mut offset = 0;
        let mut place = |pr: &mut Product, p: &Pattern, group: Option<usize>| {
            let n = p.toks.len();
            set(&mut pr.start, offset);
            for (i, t) in p.toks.iter().enumerate() {
                let at = offset + i;
                let star = matches!(t, Tok::Star | Tok::StarSeg(_));
                if star {
                    set(&mut pr.stars, at);
                }
                for (ci, &c) in pr.alphabet.iter().enumerate() {
                    if t.accepts(c, p.ci) {
                        if star {
                            set(&mut pr.stay[ci], at);
                        } else {
                            set(&mut pr.adv[ci], at);
                        }
                    }
                }
            }
            match group {
                Some(g) => {
                    for i in 0..=n {
                        set(&mut pr.group_alive[g], offset + i);
                    }
                    set(&mut pr.group_accept[g], offset + n);
                }
                None => {
                    set(&mut pr.neg_accept, offset + n);
                    let mut k = n;
                    while k > 0 && p.toks[k - 1] == Tok::Star {
                        k -= 1;
                    }
                    for i in k..n {
                        set(&mut pr.neg_universal, offset + i);
                    }
                }
            }
            offset += n + 1;
        };
        for (g, group) in groups.iter().enumerate() {
            for p in group.iter() {
                place(&mut pr, p, Some(g));
            }
        }
        for p in negative {
            place(&mut pr, p, None);
        }
        pr
    }

    /// Adds, for every star position set, the position after it.
    fn closure(&self, bits: &mut [u64]) {
        let mut carry = 0u64;
        for (b, star) in bits.iter_mut().zip(&self.stars) {
            let s = *b & star;
            let shifted = (s << 1) | carry;
            carry = s >> 63;
            *b |= shifted;
        }
    }

    fn initial(&self) -> Vec<u64> {
        let mut bits = self.start.clone();
        self.closure(&mut bits);
        bits
    }

    fn step(&self, from: &[u64], ci: usize) -> Vec<u64> {
        let adv = &self.adv[ci];
        let stay = &self.stay[ci];
        let mut bits = vec![0u64; self.words];
        let mut carry = 0u64;
        for w in 0..self.words {
            let a = from[w] & adv[w];
            bits[w] = (a << 1) | carry | (from[w] & stay[w]);
            carry = a >> 63;
        }
        self.closure(&mut bits);
        bits
    }

    fn is_accepting(&self, bits: &[u64]) -> bool {
        self.group_accept.iter().all(|g| meets(bits, g)) && !meets(bits, &self.neg_accept)
    }

    fn is_dead(&self, bits: &[u64]) -> bool {
        self.group_alive.iter().any(|g| !meets(bits, g)) || meets(bits, &self.neg_universal)
    }

    fn search(&self, limit: usize) -> (Answer, usize) {
        let start = self.initial();
        if self.is_dead(&start) {
            return (Answer::Unsat, 1);
        }
        let mut seen: HashMap<Vec<u64>, usize> = HashMap::new();
        // (state, parent index, alphabet index)
        let mut nodes: Vec<(Vec<u64>, usize, usize)> = Vec::new();
        let mut queue = VecDeque::new();
        seen.insert(start.clone(), 0);
        nodes.push((start, usize::MAX, 0));
        queue.push_back(0usize);
        while let Some(n) = queue.pop_front() {
            if self.is_accepting(&nodes[n].0) {
                return (Answer::Sat(self.path(&nodes, n)), nodes.len());
            }
            for ci in 0..self.alphabet.len() {
                let next = self.step(&nodes[n].0, ci);
                if seen.contains_key(&next) || self.is_dead(&next) {
                    continue;
                }
                if nodes.len() >= limit {
                    return (Answer::Unknown, nodes.len());
                }
                let idx = nodes.len();
                seen.insert(next.clone(), idx);
                nodes.push((next, n, ci));
                queue.push_back(idx);
            }
        }
        (Answer::Unsat, nodes.len())
    }

    fn path(&self, nodes: &[(Vec<u64>, usize, usize)], mut n: usize) -> String {
        let mut chars = Vec::new();
        while nodes[n].1 != usize::MAX {
            chars.push(self.alphabet[nodes[n].2]);
            n = nodes[n].1;
        }
        chars.iter().rev().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::glob::Syntax;
    use super::*;

    fn g(p: &str) -> Pattern {
        Pattern::new(p, Syntax::Glob, false, false)
    }

    fn arn(p: &str) -> Pattern {
        Pattern::new(p, Syntax::Arn, false, false)
    }

    fn solve(pos: &[&[&Pattern]], neg: &[&Pattern]) -> Answer {
        let q = Query {
            positive: pos.iter().map(|g| g.to_vec()).collect(),
            negative: neg.to_vec(),
            limit: DEFAULT_LIMIT,
        };
        let a = q.solve();
        if let Answer::Sat(s) = &a {
            assert!(q.accepts(s), "witness {s:?} does not satisfy the query");
        }
        a
    }

    #[test]
    fn intersections_and_differences() {
        let (a, b) = (g("a*"), g("*b"));
        assert_eq!(solve(&[&[&a], &[&b]], &[]), Answer::Sat("ab".into()));
        let c = g("a*b");
        assert_eq!(solve(&[&[&a], &[&b]], &[&c]), Answer::Unsat);
        let any = g("*");
        let iam = Pattern::new("iam:*", Syntax::Glob, true, false);
        let s3 = Pattern::new("s3:*", Syntax::Glob, true, false);
        assert_eq!(solve(&[&[&iam]], &[&s3]), Answer::Sat("iam:".into()));
        assert_eq!(solve(&[&[&any]], &[&any]), Answer::Unsat);
    }

    #[test]
    fn arn_segments_make_sensitive_stacks_disjoint() {
        let not_mine = arn("arn:aws:cloudformation:*:*:stack/NotMySensitiveStack/*");
        let mine = arn("arn:aws:cloudformation:*:*:stack/MySensitiveStack/*");
        assert_eq!(solve(&[&[&not_mine], &[&mine]], &[]), Answer::Unsat);
        // as free-text globs they would overlap
        let (f1, f2) = (
            g("arn:aws:cloudformation:*:*:stack/NotMySensitiveStack/*"),
            g("arn:aws:cloudformation:*:*:stack/MySensitiveStack/*"),
        );
        assert!(matches!(solve(&[&[&f1], &[&f2]], &[]), Answer::Sat(_)));
        let wild = arn("arn:aws:cloudformation:*:*:stack/*Sensitive*/*");
        assert!(matches!(solve(&[&[&wild], &[&mine]], &[]), Answer::Sat(_)));
    }

    #[test]
    fn case_insensitive_literals_fast_path() {
        let lit = Pattern::new("S3:GetObject", Syntax::Glob, true, false);
        let get = Pattern::new("s3:get*", Syntax::Glob, true, false);
        assert!(matches!(solve(&[&[&lit], &[&get]], &[]), Answer::Sat(_)));
        assert_eq!(solve(&[&[&lit]], &[&get]), Answer::Unsat);
        // mixed case rules go through the automaton
        let cs = Pattern::new("s3:GETOBJECT", Syntax::Glob, false, false);
        assert_eq!(
            solve(&[&[&lit], &[&cs]], &[]),
            Answer::Sat("s3:GETOBJECT".into())
        );
    }

    #[test]
    fn limit_gives_unknown() {
        let p = g("*a*b*c*d*e*f*");
        let n = g("*f*e*d*c*b*a*");
        let q = Query {
            positive: vec![vec![&p]],
            negative: vec![&n],
            limit: 3,
        };
        assert_eq!(q.solve(), Answer::Unknown);
    }
}

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
        if self.positive.iter().any(Vec::is_empty) {
            return Answer::Unsat;
        }
        if self.negative.iter().any(|p| p.is_universal()) {
            return Answer::Unsat;
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
                    return Answer::Sat(s);
                }
            }
            return Answer::Unsat;
        }
        Product::new(&groups, &self.negative).search(self.limit)
    }
}

struct Product<'a> {
    /// Every pattern (positive groups first, then negatives), with its offset
    /// in the global position space.
    pats: Vec<(&'a Pattern, usize)>,
    /// For each positive group, the indexes of its patterns in `pats`.
    groups: Vec<Vec<usize>>,
    /// Indexes of negative patterns in `pats`.
    negs: Vec<usize>,
    words: usize,
    alphabet: Vec<char>,
}

impl<'a> Product<'a> {
    fn new(groups: &[&Vec<&'a Pattern>], negative: &[&'a Pattern]) -> Self {
        let mut pats = Vec::new();
        let mut offset = 0;
        let mut gidx = Vec::new();
        for g in groups {
            let mut idx = Vec::new();
            for p in g.iter() {
                idx.push(pats.len());
                pats.push((*p, offset));
                offset += p.toks.len() + 1;
            }
            gidx.push(idx);
        }
        let mut negs = Vec::new();
        for p in negative {
            negs.push(pats.len());
            pats.push((*p, offset));
            offset += p.toks.len() + 1;
        }
        // characters as written first (so witnesses keep the patterns' case),
        // then their case variants, `:` and one stand-in for all others
        let mut alphabet: Vec<char> = Vec::new();
        let add = |c: char, alphabet: &mut Vec<char>| {
            if !alphabet.contains(&c) {
                alphabet.push(c);
            }
        };
        for (p, _) in &pats {
            for t in &p.toks {
                if let Tok::Lit(c) = t {
                    add(*c, &mut alphabet);
                }
            }
        }
        for (p, _) in &pats {
            if p.ci {
                for t in &p.toks {
                    if let Tok::Lit(c) = t {
                        add(c.to_ascii_lowercase(), &mut alphabet);
                        add(c.to_ascii_uppercase(), &mut alphabet);
                    }
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
        Product {
            pats,
            groups: gidx,
            negs,
            words: offset.div_ceil(64).max(1),
            alphabet,
        }
    }

    fn set(bits: &mut [u64], i: usize) {
        bits[i / 64] |= 1 << (i % 64);
    }

    fn get(bits: &[u64], i: usize) -> bool {
        bits[i / 64] & (1 << (i % 64)) != 0
    }

    fn closure(toks: &[Tok], off: usize, bits: &mut [u64], mut i: usize) {
        loop {
            Self::set(bits, off + i);
            if i < toks.len() && matches!(toks[i], Tok::Star | Tok::StarSeg(_)) {
                i += 1;
            } else {
                return;
            }
        }
    }

    fn initial(&self) -> Vec<u64> {
        let mut bits = vec![0u64; self.words];
        for (p, off) in &self.pats {
            Self::closure(&p.toks, *off, &mut bits, 0);
        }
        bits
    }

    fn step(&self, from: &[u64], c: char) -> Vec<u64> {
        let mut bits = vec![0u64; self.words];
        for (p, off) in &self.pats {
            let n = p.toks.len();
            for i in 0..n {
                if !Self::get(from, off + i) {
                    continue;
                }
                let t = p.toks[i];
                if !t.accepts(c, p.ci) {
                    continue;
                }
                match t {
                    Tok::Star | Tok::StarSeg(_) => Self::closure(&p.toks, *off, &mut bits, i),
                    _ => Self::closure(&p.toks, *off, &mut bits, i + 1),
                }
            }
        }
        bits
    }

    fn accepting(&self, bits: &[u64], i: usize) -> bool {
        let (p, off) = self.pats[i];
        Self::get(bits, off + p.toks.len())
    }

    /// Whether pattern `i` still has a live position.
    fn alive(&self, bits: &[u64], i: usize) -> bool {
        let (p, off) = self.pats[i];
        (0..=p.toks.len()).any(|k| Self::get(bits, off + k))
    }

    /// Whether pattern `i` accepts every continuation from here (it is at
    /// or before a trailing run of free `*`).
    fn universal_from_here(&self, bits: &[u64], i: usize) -> bool {
        let (p, off) = self.pats[i];
        let n = p.toks.len();
        let mut k = n;
        while k > 0 && p.toks[k - 1] == Tok::Star {
            k -= 1;
        }
        // positions k..n are all `*` (or the end); being at any of them is universal
        k < n && (k..n).any(|j| Self::get(bits, off + j))
    }

    fn is_accepting(&self, bits: &[u64]) -> bool {
        self.groups
            .iter()
            .all(|g| g.iter().any(|&i| self.accepting(bits, i)))
            && !self.negs.iter().any(|&i| self.accepting(bits, i))
    }

    fn is_dead(&self, bits: &[u64]) -> bool {
        self.groups
            .iter()
            .any(|g| !g.iter().any(|&i| self.alive(bits, i)))
            || self.negs.iter().any(|&i| self.universal_from_here(bits, i))
    }

    fn search(&self, limit: usize) -> Answer {
        let start = self.initial();
        if self.is_dead(&start) {
            return Answer::Unsat;
        }
        let mut seen: HashMap<Vec<u64>, usize> = HashMap::new();
        // (state, parent index, char)
        let mut nodes: Vec<(Vec<u64>, usize, char)> = Vec::new();
        let mut queue = VecDeque::new();
        seen.insert(start.clone(), 0);
        nodes.push((start, usize::MAX, '\0'));
        queue.push_back(0usize);
        while let Some(n) = queue.pop_front() {
            if self.is_accepting(&nodes[n].0) {
                return Answer::Sat(self.path(&nodes, n));
            }
            for &c in &self.alphabet {
                let next = self.step(&nodes[n].0, c);
                if seen.contains_key(&next) || self.is_dead(&next) {
                    continue;
                }
                if nodes.len() >= limit {
                    return Answer::Unknown;
                }
                let idx = nodes.len();
                seen.insert(next.clone(), idx);
                nodes.push((next, n, c));
                queue.push_back(idx);
            }
        }
        Answer::Unsat
    }

    fn path(&self, nodes: &[(Vec<u64>, usize, char)], mut n: usize) -> String {
        let mut chars = Vec::new();
        while nodes[n].1 != usize::MAX {
            chars.push(nodes[n].2);
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

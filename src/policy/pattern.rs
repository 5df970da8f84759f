//! Precompiled IAM wildcard patterns: `*` matches any sequence of characters
//! (including none and including `/` — there are no path-glob semantics), `?`
//! matches exactly one character. Action patterns compare ASCII
//! case-insensitively, resource and condition patterns case-sensitively.
//!
//! Patterns may contain policy variables (`${aws:username}`, `${key, 'default'}`)
//! when read from a 2012-10-17 policy; a variable's value is literal text (a `*`
//! in it is not a wildcard). `${*}`, `${?}` and `${$}` stand for the literal
//! characters. A variable whose key has no (single) value makes the pattern
//! match nothing.
//!
//! Matching a concrete string never allocates. Common shapes (`*`, a literal,
//! `prefix*`, `*suffix`) take fast paths.

use std::collections::{HashSet, VecDeque};
use std::hash::BuildHasherDefault;

use super::fxhash::FxHasher;

/// Where a pattern's variables get their values (the request context).
pub trait VarSource {
    /// The single value of `key` (compared case-insensitively), if it has one.
    fn var(&self, key: &str) -> Option<&str>;
}

/// No variables available (every variable is unresolved).
pub struct NoVars;

impl VarSource for NoVars {
    fn var(&self, _key: &str) -> Option<&str> {
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(Box<str>),
    Any,
    Star,
    Var(Var),
}

/// A `${key}` or `${key, 'default'}` reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    pub key: Box<str>,
    pub default: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// `*` (or several stars): everything.
    All,
    Exact(Box<str>),
    Prefix(Box<str>),
    Suffix(Box<str>),
    Glob(Box<[Tok]>),
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    kind: Kind,
    case_insensitive: bool,
    source: Box<str>,
}

/// How `$`, `*` and `?` in a pattern are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syntax {
    /// `*` and `?` are wildcards (false for `StringEquals`-style literal values).
    pub wildcards: bool,
    /// `${…}` are policy variables (2012-10-17 policies).
    pub variables: bool,
    /// Compare ASCII case-insensitively (actions, `…IgnoreCase`).
    pub case_insensitive: bool,
}

impl Pattern {
    /// An action pattern (`s3:Get*`): wildcards, no variables, case-insensitive.
    pub fn action(text: &str) -> Self {
        Self::compile(
            text,
            Syntax {
                wildcards: true,
                variables: false,
                case_insensitive: true,
            },
        )
    }

    /// A resource pattern: wildcards, variables when `variables`, case-sensitive.
    pub fn resource(text: &str, variables: bool) -> Self {
        Self::compile(
            text,
            Syntax {
                wildcards: true,
                variables,
                case_insensitive: false,
            },
        )
    }

    pub fn compile(text: &str, syntax: Syntax) -> Self {
        let mut toks: Vec<Tok> = Vec::new();
        let mut lit = String::new();
        let push_lit = |lit: &mut String, toks: &mut Vec<Tok>| {
            if !lit.is_empty() {
                toks.push(Tok::Lit(std::mem::take(lit).into_boxed_str()));
            }
        };
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if syntax.variables
                && rest.starts_with("${")
                && let Some((var, after)) = parse_var(rest)
            {
                match var {
                    VarOrLit::Lit(c) => lit.push(c),
                    VarOrLit::Var(v) => {
                        push_lit(&mut lit, &mut toks);
                        toks.push(Tok::Var(v));
                    }
                }
                rest = after;
                continue;
            }
            rest = &rest[c.len_utf8()..];
            match c {
                '*' if syntax.wildcards => {
                    push_lit(&mut lit, &mut toks);
                    if toks.last() != Some(&Tok::Star) {
                        toks.push(Tok::Star);
                    }
                }
                '?' if syntax.wildcards => {
                    push_lit(&mut lit, &mut toks);
                    toks.push(Tok::Any);
                }
                _ => lit.push(if syntax.case_insensitive {
                    c.to_ascii_lowercase()
                } else {
                    c
                }),
            }
        }
        push_lit(&mut lit, &mut toks);
        let kind = match toks.as_slice() {
            [Tok::Star] => Kind::All,
            [] => Kind::Exact("".into()),
            [Tok::Lit(l)] => Kind::Exact(l.clone()),
            [Tok::Lit(l), Tok::Star] => Kind::Prefix(l.clone()),
            [Tok::Star, Tok::Lit(l)] => Kind::Suffix(l.clone()),
            _ => Kind::Glob(toks.into_boxed_slice()),
        };
        Pattern {
            kind,
            case_insensitive: syntax.case_insensitive,
            source: text.into(),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern matches every string (`*`).
    pub fn is_all(&self) -> bool {
        matches!(self.kind, Kind::All)
    }

    /// Whether the pattern uses policy variables.
    pub fn has_variables(&self) -> bool {
        match &self.kind {
            Kind::Glob(t) => t.iter().any(|t| matches!(t, Tok::Var(_))),
            _ => false,
        }
    }

    /// Matches a concrete string. Never allocates.
    pub fn matches(&self, input: &str, vars: &impl VarSource) -> bool {
        let ci = self.case_insensitive;
        let b = input.as_bytes();
        match &self.kind {
            Kind::All => true,
            Kind::Exact(l) => bytes_eq(b, l.as_bytes(), ci),
            Kind::Prefix(l) => b.len() >= l.len() && bytes_eq(&b[..l.len()], l.as_bytes(), ci),
            Kind::Suffix(l) => {
                b.len() >= l.len() && bytes_eq(&b[b.len() - l.len()..], l.as_bytes(), ci)
            }
            Kind::Glob(toks) => glob(toks, b, ci, vars),
        }
    }

    /// The pattern's symbols with variables substituted (`None` when a
    /// variable cannot be resolved). Used by the pattern-vs-pattern operations.
    fn symbols(&self, vars: &impl VarSource) -> Option<Vec<Sym>> {
        let mut out = Vec::new();
        let fold = |c: char| {
            if self.case_insensitive {
                c.to_ascii_lowercase()
            } else {
                c
            }
        };
        let toks: &[Tok] = match &self.kind {
            Kind::All => return Some(vec![Sym::Star]),
            Kind::Exact(l) => {
                out.extend(l.chars().map(|c| Sym::Char(fold(c))));
                return Some(out);
            }
            Kind::Prefix(l) => {
                out.extend(l.chars().map(|c| Sym::Char(fold(c))));
                out.push(Sym::Star);
                return Some(out);
            }
            Kind::Suffix(l) => {
                out.push(Sym::Star);
                out.extend(l.chars().map(|c| Sym::Char(fold(c))));
                return Some(out);
            }
            Kind::Glob(t) => t,
        };
        for t in toks {
            match t {
                Tok::Lit(l) => out.extend(l.chars().map(|c| Sym::Char(fold(c)))),
                Tok::Any => out.push(Sym::Any),
                Tok::Star => out.push(Sym::Star),
                Tok::Var(v) => {
                    let value = resolve(v, vars)?;
                    out.extend(value.chars().map(|c| Sym::Char(fold(c))));
                }
            }
        }
        Some(out)
    }

    /// Whether some string matches both patterns.
    pub fn intersects(&self, other: &Pattern, vars: &impl VarSource) -> bool {
        match (self.symbols(vars), other.symbols(vars)) {
            (Some(a), Some(b)) => syms_intersect(&a, &b),
            _ => false,
        }
    }

    /// Whether every string matching `other` matches `self` (`other ⊆ self`).
    /// Exact for patterns of practical size; answers `false` when the search
    /// would be too large (callers treat "not contained" as the cautious answer).
    pub fn contains(&self, other: &Pattern, vars: &impl VarSource) -> bool {
        if self.is_all() {
            return true;
        }
        match (self.symbols(vars), other.symbols(vars)) {
            (Some(a), Some(b)) => syms_contain(&a, &b),
            _ => false,
        }
    }
}

enum VarOrLit {
    Var(Var),
    Lit(char),
}

/// Parses `${…}` at the start of `s`; returns the variable and the rest.
fn parse_var(s: &str) -> Option<(VarOrLit, &str)> {
    let body_start = 2;
    let close = s.find('}')?;
    let body = &s[body_start..close];
    let rest = &s[close + 1..];
    match body {
        "*" => return Some((VarOrLit::Lit('*'), rest)),
        "?" => return Some((VarOrLit::Lit('?'), rest)),
        "$" => return Some((VarOrLit::Lit('$'), rest)),
        _ => {}
    }
    let (key, default) = match body.split_once(',') {
        Some((k, d)) => {
            let d = d.trim();
            let d = d.strip_prefix('\'')?.strip_suffix('\'')?;
            (k.trim(), Some(d.into()))
        }
        None => (body.trim(), None),
    };
    if key.is_empty() || key.contains(['$', '{']) {
        return None;
    }
    Some((
        VarOrLit::Var(Var {
            key: key.into(),
            default,
        }),
        rest,
    ))
}

fn resolve<'a>(v: &'a Var, vars: &'a impl VarSource) -> Option<&'a str> {
    vars.var(&v.key).or(v.default.as_deref())
}

#[inline]
fn bytes_eq(input: &[u8], lit: &[u8], ci: bool) -> bool {
    if ci {
        input.len() == lit.len()
            && input
                .iter()
                .zip(lit)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
    } else {
        input == lit
    }
}

#[inline]
fn starts_with(input: &[u8], lit: &[u8], ci: bool) -> bool {
    input.len() >= lit.len() && bytes_eq(&input[..lit.len()], lit, ci)
}

/// Length in bytes of the UTF-8 character starting at `b[0]`.
#[inline]
fn char_len(b: &[u8]) -> usize {
    match b.first() {
        None => 0,
        Some(&x) if x < 0x80 => 1,
        Some(&x) if x >= 0xF0 => 4.min(b.len()),
        Some(&x) if x >= 0xE0 => 3.min(b.len()),
        Some(_) => 2.min(b.len()),
    }
}

/// Glob matching with single-star backtracking (linear in practice).
fn glob(toks: &[Tok], input: &[u8], ci: bool, vars: &impl VarSource) -> bool {
    let (mut ti, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if ti < toks.len() {
            let advanced = match &toks[ti] {
                Tok::Star => {
                    star = Some((ti + 1, si));
                    ti += 1;
                    continue;
                }
                Tok::Any => {
                    let n = char_len(&input[si..]);
                    if n > 0 {
                        si += n;
                        true
                    } else {
                        false
                    }
                }
                Tok::Lit(l) => {
                    if starts_with(&input[si..], l.as_bytes(), ci) {
                        si += l.len();
                        true
                    } else {
                        false
                    }
                }
                Tok::Var(v) => {
                    let Some(value) = resolve(v, vars) else {
                        return false;
                    };
                    if starts_with(&input[si..], value.as_bytes(), ci) {
                        si += value.len();
                        true
                    } else {
                        false
                    }
                }
            };
            if advanced {
                ti += 1;
                continue;
            }
        } else if si == input.len() {
            return true;
        }
        // mismatch (or tokens exhausted with input left): backtrack to the last star
        match star {
            Some((sti, ssi)) if ssi < input.len() => {
                let next = ssi + char_len(&input[ssi..]);
                star = Some((sti, next));
                ti = sti;
                si = next;
            }
            _ => return false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Sym {
    Char(char),
    Any,
    Star,
}

/// Epsilon closure of NFA positions of `p` (a star may match nothing).
fn close(p: &[Sym], i: usize) -> usize {
    let mut i = i;
    while i < p.len() && p[i] == Sym::Star {
        i += 1;
    }
    i
}

/// Whether L(a) ∩ L(b) ≠ ∅ (product automaton search).
fn syms_intersect(a: &[Sym], b: &[Sym]) -> bool {
    let mut seen = vec![false; (a.len() + 1) * (b.len() + 1)];
    let mut queue = VecDeque::from([(0usize, 0usize)]);
    while let Some((i, j)) = queue.pop_front() {
        let idx = i * (b.len() + 1) + j;
        if seen[idx] {
            continue;
        }
        seen[idx] = true;
        // epsilon moves over stars
        if i < a.len() && a[i] == Sym::Star {
            queue.push_back((i + 1, j));
        }
        if j < b.len() && b[j] == Sym::Star {
            queue.push_back((i, j + 1));
        }
        if i == a.len() && j == b.len() {
            return true;
        }
        if i == a.len() || j == b.len() {
            continue;
        }
        let compatible = match (a[i], b[j]) {
            (Sym::Char(x), Sym::Char(y)) => x == y,
            _ => true,
        };
        if compatible {
            let ni = if a[i] == Sym::Star { i } else { i + 1 };
            let nj = if b[j] == Sym::Star { j } else { j + 1 };
            queue.push_back((ni, nj));
        }
    }
    false
}

/// The set of NFA positions of `p` after reading `c` from `set`.
fn step(p: &[Sym], set: &[bool], c: char) -> Vec<bool> {
    let mut out = vec![false; p.len() + 1];
    for (i, &on) in set.iter().enumerate() {
        if !on || i == p.len() {
            continue;
        }
        let next = match p[i] {
            Sym::Star => Some(i),
            Sym::Any => Some(i + 1),
            Sym::Char(x) if x == c => Some(i + 1),
            Sym::Char(_) => None,
        };
        if let Some(n) = next {
            let mut k = n;
            out[k] = true;
            while k < p.len() && p[k] == Sym::Star {
                k += 1;
                out[k] = true;
            }
        }
    }
    out
}

/// Whether L(b) ⊆ L(a): walks b's automaton against the subset construction of a's.
fn syms_contain(a: &[Sym], b: &[Sym]) -> bool {
    const LIMIT: usize = 20_000;
    // representative alphabet: every literal, plus one character in neither pattern
    let mut alphabet: Vec<char> = a
        .iter()
        .chain(b)
        .filter_map(|s| match s {
            Sym::Char(c) => Some(*c),
            _ => None,
        })
        .collect();
    alphabet.sort_unstable();
    alphabet.dedup();
    let other = (0x4E00u32..)
        .filter_map(char::from_u32)
        .find(|c| !alphabet.contains(c))
        .unwrap_or('\u{10FFFF}');
    alphabet.push(other);

    let mut start = vec![false; a.len() + 1];
    start[0] = true;
    let mut k = 0;
    while k < a.len() && a[k] == Sym::Star {
        k += 1;
        start[k] = true;
    }
    let mut seen: HashSet<(usize, Vec<bool>), BuildHasherDefault<FxHasher>> = HashSet::default();
    let mut queue = VecDeque::from([(0usize, start)]);
    while let Some((j, set)) = queue.pop_front() {
        if seen.len() > LIMIT {
            return false;
        }
        if !seen.insert((j, set.clone())) {
            continue;
        }
        if j < b.len() && b[j] == Sym::Star {
            queue.push_back((j + 1, set.clone()));
        }
        if close(b, j) == b.len() && !set[a.len()] {
            // b can stop here but a cannot accept
            return false;
        }
        if j == b.len() {
            continue;
        }
        let next_j = if b[j] == Sym::Star { j } else { j + 1 };
        match b[j] {
            Sym::Char(c) => queue.push_back((next_j, step(a, &set, c))),
            Sym::Any | Sym::Star => {
                for &c in &alphabet {
                    queue.push_back((next_j, step(a, &set, c)));
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Ctx(HashMap<String, String>);
    impl VarSource for Ctx {
        fn var(&self, key: &str) -> Option<&str> {
            self.0
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.as_str())
        }
    }

    fn m(p: &str, s: &str) -> bool {
        Pattern::resource(p, true).matches(s, &NoVars)
    }

    #[test]
    fn wildcards() {
        assert!(m("*", ""));
        assert!(m("*", "anything/at/all"));
        assert!(m("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"));
        assert!(!m("arn:aws:s3:::b/*", "arn:aws:s3:::b"));
        assert!(m("a?c", "abc"));
        assert!(m("a?c", "aéc"));
        assert!(!m("a?c", "ac"));
        assert!(m("*a*b*", "xxaxxbxx"));
        assert!(!m("*a*b*", "xxbxxaxx"));
        assert!(m("a**b", "ab"));
        assert!(m("*.txt", "x.txt"));
        assert!(!m("*.txt", "x.txt.gz"));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("abc", "abc"));
        assert!(!m("ABC", "abc"), "resources are case-sensitive");
        assert!(m("a*a*a*a*b", "aaaaaaaaaaaaaaaaab"));
        assert!(!m("a*a*a*a*b", "aaaaaaaaaaaaaaaaaa"));
    }

    #[test]
    fn actions_are_case_insensitive() {
        let p = Pattern::action("S3:Get*");
        assert!(p.matches("s3:getobject", &NoVars));
        assert!(p.matches("S3:GETOBJECT", &NoVars));
        assert!(!p.matches("s3:PutObject", &NoVars));
        assert!(Pattern::action("s3:GetObject").matches("S3:GETOBJECT", &NoVars));
        assert!(Pattern::action("*object").matches("s3:GetObject", &NoVars));
        assert!(!Pattern::action("s3:GetObject,PutObject").matches("s3:GetObject", &NoVars));
        assert!(!Pattern::action("s3:GetBucket ").matches("s3:GetBucket", &NoVars));
    }

    #[test]
    fn variables() {
        let ctx = Ctx(HashMap::from([
            ("aws:username".to_string(), "al*ce".to_string()),
            ("aws:PrincipalTag/team".to_string(), "red".to_string()),
        ]));
        let p = Pattern::resource("arn:aws:s3:::b/${aws:username}/*", true);
        assert!(p.has_variables());
        assert!(p.matches("arn:aws:s3:::b/al*ce/x", &ctx));
        assert!(
            !p.matches("arn:aws:s3:::b/alXXce/x", &ctx),
            "a variable's value is literal"
        );
        assert!(!p.matches("arn:aws:s3:::b/al*ce/x", &NoVars), "unresolved");
        let p = Pattern::resource("x/${AWS:PRINCIPALTAG/TEAM}", true);
        assert!(p.matches("x/red", &ctx));
        let p = Pattern::resource("x/${aws:missing, 'dflt'}/${*}${?}${$}", true);
        assert!(p.matches("x/dflt/*?$", &ctx));
        assert!(!p.matches("x/dflt/abc", &ctx));
        // 2008 policies: `${…}` is literal text
        let p = Pattern::resource("x/${aws:username}", false);
        assert!(p.matches("x/${aws:username}", &ctx));
        // malformed variables stay literal
        assert!(Pattern::resource("x/${", true).matches("x/${", &ctx));
        assert!(Pattern::resource("x/${a,b}", true).matches("x/${a,b}", &ctx));
    }

    fn r(p: &str) -> Pattern {
        Pattern::resource(p, false)
    }

    #[test]
    fn intersection() {
        assert!(
            r("arn:aws:s3:::*/AWSLogs/*").intersects(&r("arn:aws:s3:::example-bucket/*"), &NoVars)
        );
        assert!(r("a*").intersects(&r("*b"), &NoVars));
        assert!(!r("a*").intersects(&r("b*"), &NoVars));
        assert!(!r("a?").intersects(&r("abc"), &NoVars));
        assert!(r("a?c").intersects(&r("*c"), &NoVars));
        assert!(!r("x/private/*").intersects(&r("x/public/*"), &NoVars));
    }

    #[test]
    fn containment() {
        assert!(r("*").contains(&r("anything*"), &NoVars));
        assert!(r("a/*").contains(&r("a/b/*"), &NoVars));
        assert!(!r("a/b/*").contains(&r("a/*"), &NoVars));
        assert!(r("*?").contains(&r("?*"), &NoVars), "same language");
        assert!(r("?*").contains(&r("*?"), &NoVars));
        assert!(!r("?*").contains(&r("*"), &NoVars), "empty string");
        assert!(r("a*b").contains(&r("a?b"), &NoVars));
        assert!(!r("a*b").contains(&r("a*"), &NoVars));
        assert!(
            !r("arn:aws:s3:::*/AWSLogs/*").contains(&r("arn:aws:s3:::example-bucket/*"), &NoVars)
        );
        assert!(r("x").contains(&r("x"), &NoVars));
        assert!(!r("x").contains(&r("y"), &NoVars));
    }
}

//! Wildcard patterns as the prover sees them: a sequence of tokens over
//! characters, with `*` and `?` and their "within one ARN segment" variants.
//!
//! IAM matches actions case-insensitively with `*` and `?` anywhere. Resource
//! ARNs are matched segment by segment: in `arn:partition:service:region:account:rest`
//! a wildcard in one of the first four segments stays inside that segment (it
//! never matches a `:`), while the last segment (`rest`) is free text. This is
//! what makes `arn:aws:cloudformation:*:*:stack/NotMine/*` disjoint from
//! `arn:aws:cloudformation:*:*:stack/Mine/*`, as IAM Access Analyzer decides. A
//! pattern starting with `arn:` but with fewer than six segments keeps the
//! segment rule for all segments but its last, whose wildcards are free (the
//! documented "a `*` at the end of a segment can expand beyond the colon").
//!
//! Policy variables (`${aws:username}`) are kept as [`Piece::Var`]; the
//! prover relaxes them to `*` (any text) and remembers that it did, and the
//! concrete checker substitutes them from a request's context.

/// Which ARN segment a segment-bound wildcard belongs to (for readable
/// examples: `us-east-1` for a region, `123456789012` for an account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Partition,
    Service,
    Region,
    Account,
    Other,
}

/// One token of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tok {
    /// A literal character.
    Lit(char),
    /// `?`: any one character.
    Any,
    /// `?` inside an ARN segment: any one character but `:`.
    AnySeg,
    /// `*`: any text.
    Star,
    /// `*` inside an ARN segment: any text without `:`.
    StarSeg(Segment),
}

impl Tok {
    pub fn is_wild(self) -> bool {
        !matches!(self, Tok::Lit(_))
    }

    fn is_star(self) -> bool {
        matches!(self, Tok::Star | Tok::StarSeg(_))
    }

    /// Whether this token accepts character `c` (for a literal, `ci` says
    /// whether case is ignored).
    #[inline]
    pub fn accepts(self, c: char, ci: bool) -> bool {
        match self {
            Tok::Lit(x) => x == c || (ci && x.eq_ignore_ascii_case(&c)),
            Tok::Any | Tok::Star => true,
            Tok::AnySeg | Tok::StarSeg(_) => c != ':',
        }
    }
}

/// A piece of a pattern as written: a token, or a policy variable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Piece {
    Tok(Tok),
    /// `${key}` or `${key, 'default'}`: the key (as written) and the default.
    Var {
        key: String,
        default: Option<String>,
    },
}

/// How the text of a pattern is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// `*` and `?` are wildcards anywhere (actions, `StringLike`).
    Glob,
    /// `*` and `?` are wildcards, segment-bound in ARNs (`Resource`, `ArnLike`).
    Arn,
    /// No wildcards (`StringEquals`, `Bool`, …).
    Literal,
}

/// A compiled pattern. `toks` is what the automata use (variables relaxed to
/// `*`); `pieces` is what was written (variables kept), for concrete matching.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pattern {
    pub toks: Vec<Tok>,
    pub pieces: Vec<Piece>,
    /// Case-insensitive matching of literal characters.
    pub ci: bool,
    /// Whether the pattern contains a policy variable.
    pub has_vars: bool,
    /// The text as written, for messages and identity.
    pub text: String,
    /// A readable string the pattern matches, when the builder knows a better
    /// one than filling wildcards (`arn:aws:iam::111122223333:root` for an
    /// account principal).
    pub hint: Option<String>,
}

impl Pattern {
    /// Reads `text`. `vars` says whether `${…}` is a policy variable (policy
    /// version 2012-10-17) or literal text (2008-10-17).
    pub fn new(text: &str, syntax: Syntax, ci: bool, vars: bool) -> Pattern {
        let mut pieces = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        // segment bookkeeping for ARN syntax
        let arn = syntax == Syntax::Arn && text.starts_with("arn:");
        let colons = if arn {
            chars.iter().filter(|&&c| c == ':').count()
        } else {
            0
        };
        // segments bound: indexes 1..=4 when the ARN is complete, else all but the last
        let last_bound = if arn { colons.min(5) } else { 0 };
        let mut seg = 0usize;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if vars
                && c == '$'
                && chars.get(i + 1) == Some(&'{')
                && let Some(close) = chars[i + 2..].iter().position(|&x| x == '}')
            {
                let inner: String = chars[i + 2..i + 2 + close].iter().collect();
                i += close + 3;
                match inner.as_str() {
                    "*" => pieces.push(Piece::Tok(Tok::Lit('*'))),
                    "?" => pieces.push(Piece::Tok(Tok::Lit('?'))),
                    "$" => pieces.push(Piece::Tok(Tok::Lit('$'))),
                    _ => pieces.push(parse_var(&inner)),
                }
                continue;
            }
            let bound = arn && seg >= 1 && seg < last_bound && seg <= 4;
            let segment = match seg {
                1 => Segment::Partition,
                2 => Segment::Service,
                3 => Segment::Region,
                4 => Segment::Account,
                _ => Segment::Other,
            };
            let tok = match (c, syntax) {
                ('*', Syntax::Glob | Syntax::Arn) => {
                    if bound {
                        Tok::StarSeg(segment)
                    } else {
                        Tok::Star
                    }
                }
                ('?', Syntax::Glob | Syntax::Arn) => {
                    if bound {
                        Tok::AnySeg
                    } else {
                        Tok::Any
                    }
                }
                _ => Tok::Lit(c),
            };
            if arn && c == ':' && seg < 5 {
                seg += 1;
            }
            pieces.push(Piece::Tok(tok));
            i += 1;
        }
        Pattern::from_pieces(pieces, ci, text.to_string())
    }

    /// Builds a pattern from pieces; `*` runs are collapsed.
    pub fn from_pieces(pieces: Vec<Piece>, ci: bool, text: String) -> Pattern {
        let mut toks: Vec<Tok> = Vec::with_capacity(pieces.len());
        let mut has_vars = false;
        for p in &pieces {
            let t = match p {
                Piece::Tok(t) => *t,
                Piece::Var { .. } => {
                    has_vars = true;
                    Tok::Star
                }
            };
            push_tok(&mut toks, t);
        }
        Pattern {
            toks,
            pieces,
            ci,
            has_vars,
            text,
            hint: None,
        }
    }

    /// `prefix` (literal) followed by this pattern.
    pub fn prefixed(&self, prefix: &str) -> Pattern {
        let mut pieces: Vec<Piece> = prefix.chars().map(|c| Piece::Tok(Tok::Lit(c))).collect();
        pieces.extend(self.pieces.iter().cloned());
        let mut p = Pattern::from_pieces(pieces, self.ci, format!("{prefix}{}", self.text));
        p.hint = self.hint.as_ref().map(|h| format!("{prefix}{h}"));
        p
    }

    /// The pattern that matches any text.
    pub fn any() -> Pattern {
        Pattern::from_pieces(vec![Piece::Tok(Tok::Star)], false, "*".to_string())
    }

    /// A literal pattern (no wildcards).
    pub fn literal(text: &str, ci: bool) -> Pattern {
        Pattern::new(text, Syntax::Literal, ci, false)
    }

    /// Whether it matches every string (ignoring variables: only when exact).
    pub fn is_universal(&self) -> bool {
        !self.has_vars && self.toks.iter().all(|t| *t == Tok::Star) && !self.toks.is_empty()
    }

    /// Whether it has no wildcard (and no variable): it matches one string
    /// (up to case when `ci`).
    pub fn is_literal(&self) -> bool {
        !self.has_vars && self.toks.iter().all(|t| !t.is_wild())
    }

    /// Matches `s` against the relaxed tokens (variables as `*`).
    pub fn matches(&self, s: &str) -> bool {
        toks_match(&self.toks, self.ci, s)
    }

    /// Matches `s` with variables resolved by `lookup` (which returns `None`
    /// when the key is absent: then the default is used, and without a default
    /// the pattern matches nothing, as in AWS).
    pub fn matches_with(&self, s: &str, lookup: &dyn Fn(&str) -> Option<String>) -> bool {
        if !self.has_vars {
            return self.matches(s);
        }
        match self.resolve(lookup) {
            Some(toks) => toks_match(&toks, self.ci, s),
            None => false,
        }
    }

    /// The tokens with variables replaced by their (literal) values.
    pub fn resolve(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Option<Vec<Tok>> {
        let mut toks = Vec::new();
        for p in &self.pieces {
            match p {
                Piece::Tok(t) => push_tok(&mut toks, *t),
                Piece::Var { key, default } => {
                    let v = lookup(key).or_else(|| default.clone())?;
                    toks.extend(v.chars().map(Tok::Lit));
                }
            }
        }
        Some(toks)
    }

    /// A readable string matched by the pattern (variables relaxed): wildcards
    /// filled per `style`. The result is not checked against anything else.
    pub fn example(&self, style: Fill) -> String {
        if let (Some(h), Fill::Readable) = (&self.hint, style) {
            return h.clone();
        }
        let mut s = String::new();
        let mut last_was_star = false;
        for t in &self.toks {
            match t {
                Tok::Lit(c) => {
                    s.push(*c);
                    last_was_star = false;
                }
                Tok::Any | Tok::AnySeg => s.push(style.one()),
                Tok::Star => {
                    if !last_was_star {
                        s.push_str(style.text());
                    }
                    last_was_star = true;
                }
                Tok::StarSeg(seg) => {
                    if !last_was_star {
                        s.push_str(style.segment(*seg));
                    }
                    last_was_star = true;
                }
            }
        }
        s
    }

    /// The union of the variable keys the pattern uses.
    pub fn var_keys(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var { key, .. } => Some(key.as_str()),
            Piece::Tok(_) => None,
        })
    }
}

fn push_tok(toks: &mut Vec<Tok>, t: Tok) {
    // `**` is `*`; a free star absorbs a segment star next to it
    if t.is_star()
        && let Some(last) = toks.last_mut()
        && last.is_star()
    {
        if t == Tok::Star {
            *last = Tok::Star;
        }
        return;
    }
    toks.push(t);
}

fn parse_var(inner: &str) -> Piece {
    // `${key, 'default'}`
    if let Some((key, rest)) = inner.split_once(',') {
        let rest = rest.trim();
        if rest.len() >= 2 && rest.starts_with('\'') && rest.ends_with('\'') {
            return Piece::Var {
                key: key.trim().to_string(),
                default: Some(rest[1..rest.len() - 1].to_string()),
            };
        }
    }
    Piece::Var {
        key: inner.trim().to_string(),
        default: None,
    }
}

/// How [`Pattern::example`] fills wildcards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Realistic values: `example`, `us-east-1`, `123456789012`.
    Readable,
    /// The shortest: empty text, `x` for `?`.
    Shortest,
}

impl Fill {
    fn one(self) -> char {
        'x'
    }

    fn text(self) -> &'static str {
        match self {
            Fill::Readable => "example",
            Fill::Shortest => "",
        }
    }

    fn segment(self, seg: Segment) -> &'static str {
        match (self, seg) {
            (Fill::Shortest, _) => "",
            (Fill::Readable, Segment::Partition) => "aws",
            (Fill::Readable, Segment::Service) => "example",
            (Fill::Readable, Segment::Region) => "us-east-1",
            (Fill::Readable, Segment::Account) => "123456789012",
            (Fill::Readable, Segment::Other) => "example",
        }
    }
}

/// NFA simulation of one token sequence over `s` (linear in |toks|·|s|).
pub fn toks_match(toks: &[Tok], ci: bool, s: &str) -> bool {
    let n = toks.len();
    let mut cur = vec![false; n + 1];
    let mut next = vec![false; n + 1];
    add_closure(toks, &mut cur, 0);
    for c in s.chars() {
        next.iter_mut().for_each(|b| *b = false);
        let mut any = false;
        for i in 0..n {
            if !cur[i] {
                continue;
            }
            let t = toks[i];
            if !t.accepts(c, ci) {
                continue;
            }
            any = true;
            if t.is_star() {
                add_closure(toks, &mut next, i);
            } else {
                add_closure(toks, &mut next, i + 1);
            }
        }
        if !any {
            return false;
        }
        std::mem::swap(&mut cur, &mut next);
    }
    cur[n]
}

fn add_closure(toks: &[Tok], set: &mut [bool], mut i: usize) {
    loop {
        set[i] = true;
        if i < toks.len() && toks[i].is_star() {
            i += 1;
        } else {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(p: &str) -> Pattern {
        Pattern::new(p, Syntax::Arn, false, true)
    }

    #[test]
    fn arn_wildcards_stay_in_their_segment() {
        let p = arn("arn:aws:cloudformation:*:*:stack/MySensitiveStack/*");
        assert!(p.matches("arn:aws:cloudformation:us-east-1:1:stack/MySensitiveStack/x"));
        assert!(!p.matches("arn:aws:cloudformation:a:b:c:stack/MySensitiveStack/x"));
        // the last segment is free text
        assert!(p.matches("arn:aws:cloudformation:r:a:stack/MySensitiveStack/x:y/z"));
        let short = arn("arn:aws:s3:*");
        assert!(short.matches("arn:aws:s3:::bucket/key"));
        let res = arn("arn:aws:s3:::b?cket/*");
        assert!(res.matches("arn:aws:s3:::bucket/a:b"));
        assert!(!res.matches("arn:aws:s3:::bucket"));
    }

    #[test]
    fn globs_and_case() {
        let a = Pattern::new("s3:Get*", Syntax::Glob, true, false);
        assert!(a.matches("S3:GETOBJECT"));
        assert!(a.matches("s3:get"));
        assert!(!a.matches("s3:PutObject"));
        let q = Pattern::new("a?c", Syntax::Glob, false, false);
        assert!(q.matches("abc") && !q.matches("ac") && !q.matches("ABC"));
        let lit = Pattern::new("a*b", Syntax::Literal, false, false);
        assert!(lit.matches("a*b") && !lit.matches("axb"));
        assert!(lit.is_literal());
    }

    #[test]
    fn variables_are_relaxed_and_resolved() {
        let p = arn("arn:aws:s3:::home/${aws:username}/*");
        assert!(p.has_vars);
        assert!(p.matches("arn:aws:s3:::home/anyone/x"));
        let look = |k: &str| (k == "aws:username").then(|| "alice".to_string());
        assert!(p.matches_with("arn:aws:s3:::home/alice/x", &look));
        assert!(!p.matches_with("arn:aws:s3:::home/bob/x", &look));
        let none = |_: &str| None;
        assert!(!p.matches_with("arn:aws:s3:::home/alice/x", &none));
        let d = Pattern::new("${aws:x, 'dflt'}-${*}", Syntax::Glob, false, true);
        assert!(d.matches_with("dflt-*", &none));
        assert!(!d.matches_with("dflt-a", &none));
        // 2008-10-17: `${…}` is text
        let old = Pattern::new("${aws:username}", Syntax::Glob, false, false);
        assert!(!old.has_vars && old.matches("${aws:username}"));
    }

    #[test]
    fn examples_match_their_pattern() {
        for p in [
            arn("arn:aws:cloudformation:*:*:stack/MySensitiveStack/*"),
            arn("arn:aws:iam::*:role/*"),
            Pattern::new("s3:Get*", Syntax::Glob, true, false),
            Pattern::new("a?b*", Syntax::Glob, false, false),
        ] {
            for f in [Fill::Readable, Fill::Shortest] {
                let e = p.example(f);
                assert!(p.matches(&e), "{e} does not match {}", p.text);
            }
        }
        assert_eq!(
            arn("arn:aws:cloudformation:*:*:stack/S/*").example(Fill::Readable),
            "arn:aws:cloudformation:us-east-1:123456789012:stack/S/example"
        );
    }
}

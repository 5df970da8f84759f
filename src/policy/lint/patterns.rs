//! Pattern helpers for the lint: containment of IAM wildcard patterns, policy
//! variables, and sets of catalogue actions.

use crate::catalog::{ActionId, Catalog};

/// Whether every string `inner` matches is also matched by `outer` (IAM
/// wildcards: `*` any run, `?` one character). Sound but not complete: a
/// `true` is always right; a `false` may miss exotic containments (for
/// instance `a*` ⊆ `*a*` is found, `??*` ⊆ `?*` is found, but containments
/// that need case analysis are not). A policy variable in `inner` may stand
/// for any text (it is treated as `*`); one in `outer` stands for one unknown
/// value, so `outer` then contains only an identical `inner`.
pub(crate) fn glob_contains(outer: &str, inner: &str, ignore_case: bool) -> bool {
    if outer == "*" {
        return true;
    }
    if has_variable(outer) {
        return if ignore_case {
            outer.eq_ignore_ascii_case(inner)
        } else {
            outer == inner
        };
    }
    let starred;
    let inner = if has_variable(inner) {
        starred = variables_as_stars(inner);
        starred.as_str()
    } else {
        inner
    };
    let norm = |s: &str| -> Vec<u8> {
        if ignore_case {
            s.bytes().map(|b| b.to_ascii_lowercase()).collect()
        } else {
            s.bytes().collect()
        }
    };
    let o = norm(outer);
    let i = norm(inner);
    let w = i.len() + 1;
    let mut reach = vec![false; (o.len() + 1) * w];
    reach[0] = true;
    for a in 0..=o.len() {
        for b in 0..=i.len() {
            if !reach[a * w + b] {
                continue;
            }
            match o.get(a) {
                Some(b'*') => {
                    // the star matches nothing more, or absorbs one more symbol of `inner`
                    reach[(a + 1) * w + b] = true;
                    if b < i.len() {
                        reach[a * w + b + 1] = true;
                    }
                }
                Some(b'?') => {
                    if matches!(i.get(b), Some(&c) if c != b'*') {
                        reach[(a + 1) * w + b + 1] = true;
                    }
                }
                Some(&c) if i.get(b) == Some(&c) && c != b'*' && c != b'?' => {
                    reach[(a + 1) * w + b + 1] = true;
                }
                Some(_) => {}
                None => {}
            }
        }
    }
    reach[o.len() * w + i.len()]
}

/// The policy variables in a string: `(start, end, name)` for each `${name}`
/// (byte offsets relative to the string).
pub(crate) fn variables(s: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = s[from..].find("${") {
        let start = from + rel;
        match s[start..].find('}') {
            Some(len) => {
                out.push((start, start + len + 1, &s[start + 2..start + len]));
                from = start + len + 1;
            }
            None => break,
        }
    }
    out
}

/// Whether a string has a policy variable.
pub(crate) fn has_variable(s: &str) -> bool {
    !variables(s).is_empty()
}

/// The string with its policy variables removed (to look for wildcards
/// outside them: `${*}` is a variable, not a wildcard).
pub(crate) fn without_variables(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (a, b, _) in variables(s) {
        out.push_str(&s[last..a]);
        last = b;
    }
    out.push_str(&s[last..]);
    out
}

/// The string with each policy variable replaced by `*`.
pub(crate) fn variables_as_stars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (a, b, _) in variables(s) {
        out.push_str(&s[last..a]);
        out.push('*');
        last = b;
    }
    out.push_str(&s[last..]);
    out
}

/// A set of catalogue actions, as a bitset over [`ActionId`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActionSet {
    bits: Vec<u64>,
}

impl ActionSet {
    pub fn empty(cat: &Catalog) -> Self {
        Self {
            bits: vec![0; cat.action_count().div_ceil(64)],
        }
    }

    pub fn of_pattern(cat: &Catalog, pattern: &str) -> Self {
        let mut s = Self::empty(cat);
        s.add_pattern(cat, pattern);
        s
    }

    pub fn add_pattern(&mut self, cat: &Catalog, pattern: &str) {
        for id in cat.expand(pattern) {
            self.insert(id);
        }
    }

    pub fn insert(&mut self, id: ActionId) {
        if let Some(w) = self.bits.get_mut(id.index() / 64) {
            *w |= 1 << (id.index() % 64);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|&w| w == 0)
    }

    pub fn union_with(&mut self, other: &ActionSet) {
        for (a, b) in self.bits.iter_mut().zip(&other.bits) {
            *a |= b;
        }
    }

    pub fn is_subset_of(&self, other: &ActionSet) -> bool {
        self.bits.iter().zip(&other.bits).all(|(a, b)| a & !b == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment() {
        assert!(glob_contains("*", "anything", false));
        assert!(glob_contains("iam:Get*", "iam:GetRole", true));
        assert!(glob_contains("iam:get*", "IAM:GetRole*", true));
        assert!(!glob_contains("iam:GetRole*", "iam:Get*", true));
        assert!(glob_contains("s3:*", "s3:?etObject", true));
        assert!(!glob_contains("s3:G*", "s3:?etObject", true));
        assert!(glob_contains("*Object*", "s3:GetObject", true));
        assert!(glob_contains("a*", "a*b", false));
        assert!(glob_contains("??*", "???", false));
        assert!(!glob_contains("???", "??*", false));
        assert!(glob_contains(
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/k/*",
            false
        ));
        assert!(!glob_contains(
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::B/k",
            false
        ));
        assert!(glob_contains(
            "x/${aws:username}",
            "x/${aws:username}",
            false
        ));
        assert!(glob_contains("x/*", "x/${aws:username}", false));
        assert!(!glob_contains("x/${aws:username}", "x/*", false));
        assert!(!glob_contains("x/${aws:username}", "x/bob", false));
    }

    #[test]
    fn finds_variables() {
        let v = variables("a/${aws:username}/${aws:PrincipalTag/team, 'none'}/${x");
        let names: Vec<&str> = v.iter().map(|t| t.2).collect();
        assert_eq!(names, ["aws:username", "aws:PrincipalTag/team, 'none'"]);
        assert_eq!(without_variables("a${*}b*"), "ab*");
        assert!(!has_variable("arn:aws:s3:::b/*"));
    }
}

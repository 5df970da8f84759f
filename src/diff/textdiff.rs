//! A small line diff for policy documents (longest common subsequence).
//! Documents are short; beyond [`MAX_CELLS`] the diff degrades to "every
//! base line removed, every head line added" rather than taking quadratic
//! time.

/// `lines(base) × lines(head)` above which no alignment is attempted.
pub const MAX_CELLS: usize = 4_000_000;

/// One line of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// The line diff of `base` → `head`.
pub fn lines<'a>(base: &'a str, head: &'a str) -> Vec<Line<'a>> {
    let a: Vec<&str> = base.lines().collect();
    let b: Vec<&str> = head.lines().collect();
    // common prefix and suffix first: most edits are small
    let mut pre = 0;
    while pre < a.len() && pre < b.len() && a[pre] == b[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < a.len() - pre && suf < b.len() - pre && a[a.len() - 1 - suf] == b[b.len() - 1 - suf]
    {
        suf += 1;
    }
    let am = &a[pre..a.len() - suf];
    let bm = &b[pre..b.len() - suf];
    let mut out: Vec<Line<'a>> = a[..pre].iter().map(|l| Line::Same(l)).collect();
    if am.len().saturating_mul(bm.len()) > MAX_CELLS {
        out.extend(am.iter().map(|l| Line::Removed(l)));
        out.extend(bm.iter().map(|l| Line::Added(l)));
    } else {
        // lcs[i][j]: LCS length of am[i..] and bm[j..]
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                out.push(Line::Same(am[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                out.push(Line::Removed(am[i]));
                i += 1;
            } else {
                out.push(Line::Added(bm[j]));
                j += 1;
            }
        }
    }
    out.extend(a[a.len() - suf..].iter().map(|l| Line::Same(l)));
    out
}

/// A unified-style rendering: changed lines with `context` unchanged lines
/// around them, `…` between hunks, each line prefixed by `-`, `+` or ` `.
pub fn unified(base: &str, head: &str, context: usize) -> String {
    let diff = lines(base, head);
    let changed: Vec<bool> = diff.iter().map(|l| !matches!(l, Line::Same(_))).collect();
    let mut keep = vec![false; diff.len()];
    for (i, c) in changed.iter().enumerate() {
        if *c {
            let lo = i.saturating_sub(context);
            let hi = (i + context + 1).min(diff.len());
            for k in keep.iter_mut().take(hi).skip(lo) {
                *k = true;
            }
        }
    }
    let mut out = String::new();
    let mut gap = false;
    for (i, l) in diff.iter().enumerate() {
        if !keep[i] {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push_str("  …\n");
        }
        gap = false;
        let (sign, text) = match l {
            Line::Same(t) => (' ', t),
            Line::Removed(t) => ('-', t),
            Line::Added(t) => ('+', t),
        };
        out.push(sign);
        out.push_str(text);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_line_among_many() {
        let a = "a\nb\nc\nd\ne\nf\ng\n";
        let b = "a\nb\nc\nX\ne\nf\ng\n";
        assert_eq!(unified(a, b, 1), " c\n-d\n+X\n e\n");
    }

    #[test]
    fn insertions_and_deletions_align() {
        let d = lines("a\nb\nc", "a\nc\nd");
        assert_eq!(
            d,
            vec![
                Line::Same("a"),
                Line::Removed("b"),
                Line::Same("c"),
                Line::Added("d")
            ]
        );
    }

    #[test]
    fn identical_and_empty() {
        assert_eq!(unified("x\n", "x\n", 3), "");
        assert_eq!(lines("", "a"), vec![Line::Added("a")]);
        assert_eq!(lines("a", ""), vec![Line::Removed("a")]);
    }
}

//! The small pattern matchers the catalogue needs: IAM's `*`/`?` wildcards
//! (for action patterns), `${Placeholder}` templates (for condition keys and
//! ARN patterns), and whether a policy's resource pattern can match any ARN of
//! a resource type (the intersection of two wildcard languages).

/// Whether `text` matches the IAM wildcard `pattern` (`*` any run of
/// characters, `?` exactly one), byte for byte. Callers lowercase both sides for
/// case-insensitive matching (action names are ASCII).
pub(crate) fn wildcard_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    // position of the last `*` in the pattern and the text position it matched from
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                // let the last star absorb one more character
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// Whether a pattern contains IAM wildcards.
pub(crate) fn has_wildcard(pattern: &str) -> bool {
    pattern.bytes().any(|b| b == b'*' || b == b'?')
}

/// One piece of a `${Placeholder}` template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Literal(&'a str),
    Placeholder,
}

/// Splits a template at `${…}` and `<…>` placeholders (iam-data writes both:
/// `aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`).
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let bytes = template.as_bytes();
    let mut lit_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let close = match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => Some(b'}'),
            b'<' => Some(b'>'),
            _ => None,
        };
        if let Some(close) = close
            && let Some(len) = bytes[i..].iter().position(|&b| b == close)
        {
            if lit_start < i {
                out.push(Piece::Literal(&template[lit_start..i]));
            }
            out.push(Piece::Placeholder);
            i += len + 1;
            lit_start = i;
            continue;
        }
        i += 1;
    }
    if lit_start < template.len() {
        out.push(Piece::Literal(&template[lit_start..]));
    }
    out
}

/// Whether a template contains a placeholder.
pub(crate) fn is_template(s: &str) -> bool {
    pieces(s).contains(&Piece::Placeholder)
}

/// The literal text of a template before its first placeholder.
pub(crate) fn template_prefix(template: &str) -> &str {
    match pieces(template).first() {
        Some(Piece::Literal(l)) => l,
        _ => "",
    }
}

/// Whether the concrete `text` is an instance of `template`, ignoring ASCII
/// case; each placeholder stands for one or more characters
/// (`aws:RequestTag/${TagKey}` matches `aws:RequestTag/Project`, not
/// `aws:RequestTag/`).
pub(crate) fn template_match(template: &str, text: &str) -> bool {
    let pieces = pieces(template);
    let text = text.as_bytes();
    let mut pos = 0usize;
    // minimum characters the previous placeholder still needs
    let mut pending_gap: Option<usize> = None;
    for (n, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Placeholder => pending_gap = Some(pending_gap.unwrap_or(0) + 1),
            Piece::Literal(lit) => {
                let lit = lit.as_bytes();
                let last = n + 1 == pieces.len();
                match pending_gap.take() {
                    None => {
                        if !starts_with_ci(&text[pos..], lit) {
                            return false;
                        }
                        pos += lit.len();
                    }
                    Some(gap) if last => {
                        // the final literal must end the text
                        if text.len() < pos + gap + lit.len()
                            || !starts_with_ci(&text[text.len() - lit.len()..], lit)
                        {
                            return false;
                        }
                        pos = text.len();
                    }
                    Some(gap) => {
                        let from = pos + gap;
                        let Some(found) = find_ci(text.get(from..).unwrap_or(&[]), lit) else {
                            return false;
                        };
                        pos = from + found + lit.len();
                    }
                }
            }
        }
    }
    match pending_gap {
        Some(gap) => text.len() >= pos + gap,
        None => pos == text.len(),
    }
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// One symbol of a pattern compared by [`patterns_intersect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sym {
    Star,
    Any,
    Byte(u8),
}

/// A policy resource pattern as symbols: `*`, `?`, and policy variables
/// (`${aws:username}`), which stand for unknown text, become `*`.
fn policy_syms(pattern: &str) -> Vec<Sym> {
    let b = pattern.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'*' => out.push(Sym::Star),
            b'?' => out.push(Sym::Any),
            b'$' if b.get(i + 1) == Some(&b'{') => {
                if let Some(len) = b[i..].iter().position(|&c| c == b'}') {
                    out.push(Sym::Star);
                    i += len + 1;
                    continue;
                }
                out.push(Sym::Byte(b'$'));
            }
            c => out.push(Sym::Byte(c.to_ascii_lowercase())),
        }
        i += 1;
    }
    out
}

/// An ARN template as symbols: every `${Placeholder}` becomes `*`; the
/// template's literal `*` (a few resource types are written with one) too.
fn template_syms(template: &str) -> Vec<Sym> {
    let mut out = Vec::with_capacity(template.len());
    for piece in pieces(template) {
        match piece {
            Piece::Placeholder => out.push(Sym::Star),
            Piece::Literal(l) => out.extend(l.bytes().map(|c| match c {
                b'*' => Sym::Star,
                c => Sym::Byte(c.to_ascii_lowercase()),
            })),
        }
    }
    out
}

/// Whether some ARN matches both a policy resource pattern (`*`, `?`, policy
/// variables) and an ARN template (`${Placeholder}`s), ignoring ASCII case.
///
/// As in IAM, the six colon-separated parts of an ARN are compared part by
/// part (`arn`, partition, service, region, account, resource; the resource
/// part may itself contain colons), so a wildcard or placeholder in the
/// account cannot stand for `:role/…`. Within a part, placeholders may stand
/// for any text, so this errs on the side of "they may overlap": a `false`
/// means the resource certainly is not of this type. Patterns that are not
/// six-part ARNs (`*`, `arn:*`) are compared as whole strings.
pub(crate) fn patterns_intersect(policy_pattern: &str, arn_template: &str) -> bool {
    let p: Vec<&str> = policy_pattern.splitn(6, ':').collect();
    let t: Vec<&str> = arn_template.splitn(6, ':').collect();
    if p.len() == 6 && t.len() == 6 {
        return p.iter().zip(&t).all(|(a, b)| part_intersect(a, b));
    }
    part_intersect(policy_pattern, arn_template)
}

fn part_intersect(policy_pattern: &str, arn_template: &str) -> bool {
    let a = policy_syms(policy_pattern);
    let b = template_syms(arn_template);
    // reach[i][j]: some common prefix string takes `a` to position i and `b` to j
    let w = b.len() + 1;
    let mut reach = vec![false; (a.len() + 1) * w];
    reach[0] = true;
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            if !reach[i * w + j] {
                continue;
            }
            let sa = a.get(i).copied();
            let sb = b.get(j).copied();
            // a star may match nothing
            if sa == Some(Sym::Star) {
                reach[(i + 1) * w + j] = true;
            }
            if sb == Some(Sym::Star) {
                reach[i * w + j + 1] = true;
            }
            match (sa, sb) {
                (Some(x), Some(y)) if x != Sym::Star && y != Sym::Star => {
                    let compatible = match (x, y) {
                        (Sym::Byte(p), Sym::Byte(q)) => p == q,
                        _ => true,
                    };
                    if compatible {
                        reach[(i + 1) * w + j + 1] = true;
                    }
                }
                // a star on one side absorbs one character of the other side
                (Some(Sym::Star), Some(y)) if y != Sym::Star => reach[i * w + j + 1] = true,
                (Some(x), Some(Sym::Star)) if x != Sym::Star => reach[(i + 1) * w + j] = true,
                _ => {}
            }
        }
    }
    reach[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wm(p: &str, t: &str) -> bool {
        wildcard_match(p.as_bytes(), t.as_bytes())
    }

    #[test]
    fn wildcards() {
        assert!(wm("*", ""));
        assert!(wm("*", "getobject"));
        assert!(wm("get*", "getobject"));
        assert!(wm("?etobject", "getobject"));
        assert!(!wm("?etobject", "etobject"));
        assert!(wm("*object", "getobject"));
        assert!(wm("g*t*t", "getobject"));
        assert!(!wm("g*t*x", "getobject"));
        assert!(wm("a*b*c", "aXbYbZc"));
        assert!(!wm("getobject", "getobjects"));
        assert!(!wm("", "x"));
        assert!(wm("**", "x"));
    }

    #[test]
    fn templates() {
        assert!(template_match(
            "aws:RequestTag/${TagKey}",
            "aws:requesttag/Project"
        ));
        assert!(!template_match(
            "aws:RequestTag/${TagKey}",
            "aws:RequestTag/"
        ));
        assert!(!template_match(
            "aws:RequestTag/${TagKey}",
            "aws:ResourceTag/x"
        ));
        assert!(template_match(
            "s3:ExistingObjectTag/<key>",
            "s3:ExistingObjectTag/a/b"
        ));
        assert!(template_match(
            "codebuild:secondarySources/${sourceIdentifier}.auth.type",
            "codebuild:secondarySources/src1.auth.type"
        ));
        assert!(!template_match(
            "codebuild:secondarySources/${sourceIdentifier}.auth.type",
            "codebuild:secondarySources/.auth.type"
        ));
        assert!(template_match(
            "agent.${Domain}.buildkite.dev:cluster_id",
            "agent.acme.buildkite.dev:cluster_id"
        ));
        assert!(template_match(
            "kms:EncryptionContext:${K}",
            "kms:EncryptionContext:app"
        ));
        assert!(!template_match("aws:TagKeys", "aws:TagKeys/x"));
        assert!(template_match("aws:TagKeys", "AWS:tagkeys"));
        assert!(is_template("a/${X}") && is_template("a/<k>") && !is_template("aws:TagKeys"));
        assert_eq!(
            template_prefix("aws:PrincipalTag/${TagKey}"),
            "aws:PrincipalTag/"
        );
    }

    #[test]
    fn intersections() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(patterns_intersect("arn:aws:s3:::b/*", object));
        assert!(patterns_intersect("arn:aws:s3:::b/key.txt", object));
        assert!(!patterns_intersect("arn:aws:s3:::b", object));
        assert!(patterns_intersect("arn:aws:s3:::b", bucket));
        assert!(patterns_intersect("*", object));
        assert!(patterns_intersect("arn:aws:s3:::b*", object));
        assert!(patterns_intersect("arn:aws:s3:::${aws:username}/x", object));
        assert!(!patterns_intersect("arn:aws:iam::1:role/r", object));
        assert!(patterns_intersect("ARN:AWS:S3:::b/k", object));
        assert!(patterns_intersect("arn:aws:s3:::?/k", object));
        assert!(!patterns_intersect("arn:aws:s3:::b/", "arn:aws:s3:::b"));
        // parts do not bleed into each other
        let role = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
        assert!(!patterns_intersect(
            "arn:aws:iam::111122223333:policy/p/*",
            role
        ));
        assert!(patterns_intersect("arn:aws:iam::*:role/team-app/*", role));
        assert!(patterns_intersect("arn:*", role));
        let alias = "arn:${Partition}:lex:${Region}:${Account}:bot:${BotName}:${BotAlias}";
        assert!(patterns_intersect(
            "arn:aws:lex:us-east-1:111122223333:bot:b:prod",
            alias
        ));
    }
}

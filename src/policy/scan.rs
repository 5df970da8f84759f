//! A fast, borrowing reader for the common shape of simulation requests.
//!
//! Batch mode spends most of its time reading JSON. This scanner walks one
//! request line once, borrows every string without copying, and returns the
//! raw text of each policy document (compiled later, once per distinct text).
//! It handles the plain shape: strings without escapes in the request and in
//! keys. Anything else (escapes, duplicate keys, malformed input) makes it
//! return `None`, and the caller falls back to the full `serde_json` reader,
//! which handles every valid input and gives precise errors. Policy texts are
//! only delimited here; they are validated by the policy parser when first
//! compiled.

/// A borrowed view of one request object.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Fields<'a> {
    pub id: Option<&'a str>,
    /// `Some(arn)`, or `None` for `{"type": "Anonymous"}`.
    pub principal: Option<Option<&'a str>>,
    pub action: Option<&'a str>,
    pub resource: Option<&'a str>,
    pub resource_account: Option<&'a str>,
    pub context: Vec<(&'a str, Vec<&'a str>)>,
    pub identity: Option<Vec<&'a str>>,
    pub session: Option<&'a str>,
    pub boundary: Option<Vec<&'a str>>,
    pub scp_levels: Option<Vec<Vec<&'a str>>>,
    pub rcp_levels: Option<Vec<Vec<&'a str>>>,
    pub resource_policy: Option<&'a str>,
    pub vpc_endpoint: Option<Vec<&'a str>>,
}

const C_OTHER: u8 = 0;
const C_QUOTE: u8 = 1;
const C_ESCAPE: u8 = 2;
const C_CONTROL: u8 = 3;
const C_OPEN: u8 = 4;
const C_CLOSE: u8 = 5;
const C_WS: u8 = 6;
const C_PUNCT: u8 = 7;
const C_SCALAR: u8 = 8;

/// Byte classes for [`Scanner::raw_value`].
static CLASS: [u8; 256] = {
    let mut t = [C_OTHER; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = C_CONTROL;
        i += 1;
    }
    t[b'"' as usize] = C_QUOTE;
    t[b'\\' as usize] = C_ESCAPE;
    t[b'{' as usize] = C_OPEN;
    t[b'[' as usize] = C_OPEN;
    t[b'}' as usize] = C_CLOSE;
    t[b']' as usize] = C_CLOSE;
    t[b' ' as usize] = C_WS;
    t[b'\t' as usize] = C_WS;
    t[b'\n' as usize] = C_WS;
    t[b'\r' as usize] = C_WS;
    t[b',' as usize] = C_PUNCT;
    t[b':' as usize] = C_PUNCT;
    let scalar = b"0123456789+-.eEtrufalsn";
    let mut k = 0;
    while k < scalar.len() {
        t[scalar[k] as usize] = C_SCALAR;
        k += 1;
    }
    t
};

/// The index of the first byte at or after `from` that ends a plain run of
/// string content: `"`, `\\` or a control character (`b.len()` if none).
/// Eight bytes at a time (SWAR): the lowest flagged byte of a word is exact.
#[inline]
fn find_special(b: &[u8], from: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let v = u64::from_le_bytes(w);
        let quote = v ^ (LO * u64::from(b'"'));
        let slash = v ^ (LO * u64::from(b'\\'));
        let hits = (quote.wrapping_sub(LO) & !quote)
            | (slash.wrapping_sub(LO) & !slash)
            | (v.wrapping_sub(LO * 0x20) & !v);
        let hits = hits & HI;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && !matches!(b[i], b'"' | b'\\' | 0..=0x1f) {
        i += 1;
    }
    i
}

/// `true`, `false`, `null` or a number (loosely: digits, sign, point, exponent).
fn valid_scalar(t: &[u8]) -> bool {
    match t.first() {
        Some(b'-' | b'0'..=b'9') => t
            .iter()
            .all(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')),
        _ => t == b"true" || t == b"false" || t == b"null",
    }
}

struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
}

/// Reads a request line; `None` when the line needs the full reader.
pub fn scan(text: &str) -> Option<Fields<'_>> {
    let mut s = Scanner {
        text,
        b: text.as_bytes(),
        pos: 0,
    };
    let mut f = Fields::default();
    let mut seen = 0u32;
    s.ws();
    s.expect(b'{')?;
    s.ws();
    if s.peek()? == b'}' {
        return None;
    }
    loop {
        s.ws();
        let key = s.plain_string()?;
        s.ws();
        s.expect(b':')?;
        s.ws();
        let bit = match key {
            "id" => {
                f.id = Some(s.raw_value()?);
                1
            }
            "request" => {
                s.request(&mut f)?;
                2
            }
            "identity_policies" => {
                f.identity = s.doc_list()?;
                4
            }
            "session_policy" => {
                f.session = s.doc()?;
                8
            }
            "permission_boundaries" => {
                f.boundary = s.doc_list()?;
                16
            }
            "scp_levels" => {
                f.scp_levels = s.levels()?;
                32
            }
            "rcp_levels" => {
                f.rcp_levels = s.levels()?;
                64
            }
            "resource_policy" => {
                f.resource_policy = s.doc()?;
                128
            }
            "vpc_endpoint_policies" => {
                f.vpc_endpoint = s.doc_list()?;
                256
            }
            _ => {
                s.raw_value()?;
                0
            }
        };
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        s.ws();
        match s.next()? {
            b',' => continue,
            b'}' => break,
            _ => return None,
        }
    }
    s.ws();
    (s.pos == s.b.len()).then_some(f)
}

impl<'a> Scanner<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    #[inline]
    fn expect(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    /// A string without escapes or control characters.
    fn plain_string(&mut self) -> Option<&'a str> {
        self.expect(b'"')?;
        let start = self.pos;
        let end = find_special(self.b, start);
        match self.b.get(end)? {
            b'"' => {
                self.pos = end + 1;
                self.text.get(start..end)
            }
            _ => None,
        }
    }

    fn skip_scalar(&mut self) -> Option<()> {
        let start = self.pos;
        match self.peek()? {
            b't' | b'f' | b'n' => {
                for w in [&b"true"[..], b"false", b"null"] {
                    if self.b[start..].starts_with(w) {
                        self.pos += w.len();
                        return Some(());
                    }
                }
                None
            }
            b'-' | b'0'..=b'9' => {
                while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.peek() {
                    self.pos += 1;
                }
                Some(())
            }
            _ => None,
        }
    }

    /// Skips any value; returns its raw text. A tight byte loop: strings
    /// are skipped whole, brackets must pair up, and outside strings only
    /// the bytes JSON allows there may appear (literals and numbers are
    /// checked loosely; policy texts are validated when first compiled).
    fn raw_value(&mut self) -> Option<&'a str> {
        let start = self.pos;
        let b = self.b;
        let mut i = self.pos;
        let mut stack = [0u8; 64];
        let mut depth = 0usize;
        while i < b.len() {
            let c = b[i];
            match CLASS[c as usize] {
                C_QUOTE => {
                    i += 1;
                    loop {
                        i = find_special(b, i);
                        let c = *b.get(i)?;
                        i += 1;
                        match CLASS[c as usize] {
                            C_QUOTE => break,
                            C_ESCAPE => i += 1,
                            _ => return None,
                        }
                    }
                    if depth == 0 {
                        break;
                    }
                }
                C_OPEN => {
                    if depth == stack.len() {
                        return None;
                    }
                    stack[depth] = if c == b'{' { b'}' } else { b']' };
                    depth += 1;
                    i += 1;
                }
                C_CLOSE => {
                    if depth == 0 || stack[depth - 1] != c {
                        return None;
                    }
                    depth -= 1;
                    i += 1;
                    if depth == 0 {
                        break;
                    }
                }
                C_WS | C_PUNCT if depth > 0 => i += 1,
                C_SCALAR => {
                    let run = i;
                    while i < b.len() && CLASS[b[i] as usize] == C_SCALAR {
                        i += 1;
                    }
                    if !valid_scalar(&b[run..i]) {
                        return None;
                    }
                    if depth == 0 {
                        break;
                    }
                }
                _ => return None,
            }
        }
        if depth != 0 {
            return None;
        }
        let text = self.text.get(start..i)?;
        if text.is_empty() {
            return None;
        }
        self.pos = i;
        Some(text)
    }

    /// `null` or a policy document (raw text).
    fn doc(&mut self) -> Option<Option<&'a str>> {
        if self.b[self.pos..].starts_with(b"null") {
            self.pos += 4;
            return Some(None);
        }
        if self.peek()? != b'{' {
            return None;
        }
        self.raw_value().map(Some)
    }

    /// `null` or a list of policy documents.
    fn doc_list(&mut self) -> Option<Option<Vec<&'a str>>> {
        if self.b[self.pos..].starts_with(b"null") {
            self.pos += 4;
            return Some(None);
        }
        self.expect(b'[')?;
        let mut out = Vec::new();
        self.ws();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(Some(out));
        }
        loop {
            self.ws();
            out.push(self.doc()??);
            self.ws();
            match self.next()? {
                b',' => {}
                b']' => return Some(Some(out)),
                _ => return None,
            }
        }
    }

    fn levels(&mut self) -> Option<Option<Vec<Vec<&'a str>>>> {
        if self.b[self.pos..].starts_with(b"null") {
            self.pos += 4;
            return Some(None);
        }
        self.expect(b'[')?;
        let mut out = Vec::new();
        self.ws();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(Some(out));
        }
        loop {
            self.ws();
            out.push(self.doc_list()??);
            self.ws();
            match self.next()? {
                b',' => {}
                b']' => return Some(Some(out)),
                _ => return None,
            }
        }
    }

    /// A string, or a number or boolean as its text.
    fn scalar_text(&mut self) -> Option<&'a str> {
        if self.peek()? == b'"' {
            return self.plain_string();
        }
        let start = self.pos;
        match self.peek()? {
            b't' | b'f' | b'-' | b'0'..=b'9' => {
                self.skip_scalar()?;
                let t = self.text.get(start..self.pos)?;
                (t != "null").then_some(t)
            }
            _ => None,
        }
    }

    fn request(&mut self, f: &mut Fields<'a>) -> Option<()> {
        self.expect(b'{')?;
        let mut seen = 0u32;
        self.ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.ws();
            let key = self.plain_string()?;
            self.ws();
            self.expect(b':')?;
            self.ws();
            let bit = match key {
                "principal" => {
                    f.principal = Some(if self.peek()? == b'"' {
                        Some(self.plain_string()?)
                    } else {
                        self.anonymous()?;
                        None
                    });
                    1
                }
                "action" => {
                    f.action = Some(self.plain_string()?);
                    2
                }
                "resource" => {
                    f.resource = Some(self.plain_string()?);
                    4
                }
                "resource_account" => {
                    if self.b[self.pos..].starts_with(b"null") {
                        self.pos += 4;
                    } else {
                        f.resource_account = Some(self.plain_string()?);
                    }
                    8
                }
                "context" => {
                    if self.b[self.pos..].starts_with(b"null") {
                        self.pos += 4;
                    } else {
                        self.context(f)?;
                    }
                    16
                }
                _ => {
                    self.raw_value()?;
                    0
                }
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            self.ws();
            match self.next()? {
                b',' => {}
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// `{"type": "Anonymous"}` exactly.
    fn anonymous(&mut self) -> Option<()> {
        self.expect(b'{')?;
        self.ws();
        (self.plain_string()? == "type").then_some(())?;
        self.ws();
        self.expect(b':')?;
        self.ws();
        (self.plain_string()? == "Anonymous").then_some(())?;
        self.ws();
        self.expect(b'}')
    }

    fn context(&mut self, f: &mut Fields<'a>) -> Option<()> {
        self.expect(b'{')?;
        self.ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.ws();
            let key = self.plain_string()?;
            if f.context.iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
                return None;
            }
            self.ws();
            self.expect(b':')?;
            self.ws();
            let mut values = Vec::new();
            if self.peek()? == b'[' {
                self.pos += 1;
                self.ws();
                if self.peek()? == b']' {
                    self.pos += 1;
                } else {
                    loop {
                        self.ws();
                        values.push(self.scalar_text()?);
                        self.ws();
                        match self.next()? {
                            b',' => {}
                            b']' => break,
                            _ => return None,
                        }
                    }
                }
            } else {
                values.push(self.scalar_text()?);
            }
            f.context.push((key, values));
            self.ws();
            match self.next()? {
                b',' => {}
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_the_common_shape() {
        let line = r#"{"id": "a#1", "name": "x", "tags": ["t", 1, true, null, {"k": [1.5e3]}],
          "request": {"principal": "arn:aws:iam::1:user/u", "action": "s3:GetObject", "resource": "*",
          "resource_account": "1", "context": {"k": "v", "m": ["a", 2, false], "e": []}},
          "identity_policies": [{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}, {}],
          "session_policy": null, "permission_boundaries": null,
          "scp_levels": [[{"a": "b\"c"}], []], "rcp_levels": [], "resource_policy": {"x": [1, {"y": null}]},
          "vpc_endpoint_policies": null, "expected": "Allow"}"#;
        let f = scan(line).unwrap();
        assert_eq!(f.id, Some("\"a#1\""));
        assert_eq!(f.principal, Some(Some("arn:aws:iam::1:user/u")));
        assert_eq!(f.context.len(), 3);
        assert_eq!(f.context[1].1, vec!["a", "2", "false"]);
        assert_eq!(f.identity.as_ref().unwrap().len(), 2);
        assert_eq!(f.scp_levels.as_ref().unwrap()[0][0], r#"{"a": "b\"c"}"#);
        assert!(f.scp_levels.as_ref().unwrap()[1].is_empty());
        assert_eq!(f.resource_policy, Some(r#"{"x": [1, {"y": null}]}"#));
        let anon =
            r#"{"request": {"principal": {"type": "Anonymous"}, "action": "a", "resource": "r"}}"#;
        assert_eq!(scan(anon).unwrap().principal, Some(None));
    }

    #[test]
    fn special_bytes_are_found_exactly() {
        let cases: [&[u8]; 6] = [
            b"abcdefghijklmnop\"",
            b"abc\\defghijklmnop",
            b"abcdefgh\x01ijk",
            b"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"x",
            b"no special bytes at all here",
            b"\"",
        ];
        for c in cases {
            let expected = c
                .iter()
                .position(|&x| x == b'"' || x == b'\\' || x < 0x20)
                .unwrap_or(c.len());
            for from in 0..=expected {
                assert_eq!(find_special(c, from), expected, "{c:?} from {from}");
            }
        }
    }

    #[test]
    fn declines_what_it_does_not_handle() {
        for line in [
            r#"{"request": {"principal": "a\u0041", "action": "a", "resource": "r"}}"#,
            r#"{"id": 1, "id": 2}"#,
            r#"{"id": 1} x"#,
            r#"{"id": [1, 2}"#,
            r#"{"id": tru}"#,
            r#"{"resource_policy": [1]}"#,
            r#"{"request": {"context": {"k": {}}}}"#,
            r#"{"request": {"context": {"k": "a", "K": "b"}}}"#,
            "{",
            "",
            "[]",
        ] {
            assert!(scan(line).is_none(), "{line}");
        }
    }
}

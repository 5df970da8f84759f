//! A small JSON reader that keeps the byte range of every value and key.
//!
//! Policy documents need locations in error messages and a faithful view of
//! what was written (duplicate keys, numbers as written), which a plain
//! `serde_json::Value` loses. The tree is public so that other front ends (the
//! blueprint loader reading YAML) can build one with their own offsets and hand
//! it to [`crate::policy::parse::policy_from_tree`].
//!
//! The reader is strict RFC 8259 JSON: no comments, no trailing commas, one
//! value per document. It never panics and never recurses deeper than
//! [`MAX_DEPTH`] levels.

use std::fmt;

use super::ast::TextRange;

/// How deeply arrays and objects may nest. Real policies nest five levels at
/// most (`Statement` → statement → `Condition` → operator → key → values).
pub const MAX_DEPTH: usize = 64;

/// A JSON value with its byte range in the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub range: TextRange,
}

/// The JSON value kinds. Numbers keep their text as written (AWS compares
/// condition values as text).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in document order; duplicate keys are kept (the policy parser
    /// reports them).
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_range: TextRange,
    pub value: Node,
}

impl Node {
    pub fn new(value: Value, range: TextRange) -> Self {
        Self { value, range }
    }

    /// A node built in code (no source range).
    pub fn synthetic(value: Value) -> Self {
        Self {
            value,
            range: TextRange::default(),
        }
    }

    /// The JSON type name used in error messages (`a string`, `an array`, …).
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Converts from a `serde_json::Value` (no ranges). Deep values are cut at
    /// [`MAX_DEPTH`] (replaced by `null`) so conversion cannot recurse without bound.
    pub fn from_serde(v: &serde_json::Value) -> Self {
        Self::from_serde_at(v, 0)
    }

    fn from_serde_at(v: &serde_json::Value, depth: usize) -> Self {
        let value = match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.to_string()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            _ if depth >= MAX_DEPTH => Value::Null,
            serde_json::Value::Array(a) => Value::Array(
                a.iter()
                    .map(|x| Self::from_serde_at(x, depth + 1))
                    .collect(),
            ),
            serde_json::Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| Member {
                        key: k.clone(),
                        key_range: TextRange::default(),
                        value: Self::from_serde_at(x, depth + 1),
                    })
                    .collect(),
            ),
        };
        Node::synthetic(value)
    }

    /// Converts to a `serde_json::Value` (the last of duplicate keys wins, as in
    /// most JSON readers).
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str::<serde_json::Number>(n)
                .map_or_else(|_| serde_json::Value::String(n.clone()), Into::into),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(a) => serde_json::Value::Array(a.iter().map(Node::to_serde).collect()),
            Value::Object(o) => serde_json::Value::Object(
                o.iter()
                    .map(|m| (m.key.clone(), m.value.to_serde()))
                    .collect(),
            ),
        }
    }
}

/// Malformed JSON: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub message: String,
    /// Byte offset of the problem.
    pub offset: usize,
    /// 1-based line and column (column counts characters).
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid JSON at line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for JsonError {}

/// 1-based line and column (in characters) of a byte offset in `text`.
/// Offsets past the end or inside a character are clamped.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Parses one JSON document.
pub fn parse(text: &str) -> Result<Node, JsonError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    p.skip_ws();
    let node = p.value(0)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error_at(
            p.pos,
            "unexpected text after the end of the document (a policy is exactly one JSON object)",
        ));
    }
    Ok(node)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn error_at(&self, offset: usize, message: impl Into<String>) -> JsonError {
        let (line, column) = line_col(self.text, offset);
        JsonError {
            message: message.into(),
            offset,
            line,
            column,
        }
    }

    fn unexpected(&self, expected: &str) -> JsonError {
        match self.bytes.get(self.pos) {
            None => self.error_at(
                self.pos,
                format!("unexpected end of input, expected {expected}"),
            ),
            Some(_) => {
                let ch = self.text[self.pos..].chars().next().unwrap_or('?');
                self.error_at(
                    self.pos,
                    format!("unexpected `{}`, expected {expected}", ch.escape_debug()),
                )
            }
        }
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        let start = self.pos;
        match self.bytes.get(self.pos) {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node::new(Value::String(s), TextRange::new(start, self.pos)))
            }
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.unexpected("a value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Node, JsonError> {
        let start = self.pos;
        if self.bytes[start..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node::new(value, TextRange::new(start, self.pos)))
        } else {
            Err(self.unexpected("a value"))
        }
    }

    fn number(&mut self) -> Result<Node, JsonError> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = self.pos;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while matches!(b.get(i), Some(b'0'..=b'9')) {
                    i += 1;
                }
            }
            _ => {
                self.pos = i;
                return Err(self.unexpected("a digit"));
            }
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                self.pos = i;
                return Err(self.unexpected("a digit after the decimal point"));
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                self.pos = i;
                return Err(self.unexpected("a digit in the exponent"));
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        self.pos = i;
        Ok(Node::new(
            Value::Number(self.text[start..i].to_string()),
            TextRange::new(start, i),
        ))
    }

    /// Reads a string starting at the opening quote; leaves `pos` after the
    /// closing quote.
    fn string(&mut self) -> Result<String, JsonError> {
        let open = self.pos;
        self.pos += 1;
        let b = self.bytes;
        // fast path: no escapes
        let mut i = self.pos;
        while let Some(&c) = b.get(i) {
            if c == b'"' || c == b'\\' || c < 0x20 {
                break;
            }
            i += 1;
        }
        let mut out = String::new();
        out.push_str(&self.text[self.pos..i]);
        self.pos = i;
        loop {
            match b.get(self.pos) {
                None => {
                    return Err(self.error_at(open, "unterminated string (missing closing `\"`)"));
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let esc_at = self.pos;
                    self.pos += 1;
                    let c = match b.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let hi = self.hex4(esc_at)?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if b.get(self.pos) == Some(&b'\\')
                                    && b.get(self.pos + 1) == Some(&b'u')
                                {
                                    self.pos += 2;
                                    let lo = self.hex4(esc_at)?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return Err(self.error_at(
                                            esc_at,
                                            "invalid unicode escape: a high surrogate must be followed by a low surrogate",
                                        ));
                                    }
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    return Err(self.error_at(
                                        esc_at,
                                        "invalid unicode escape: unpaired surrogate",
                                    ));
                                }
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return Err(self.error_at(
                                    esc_at,
                                    "invalid unicode escape: unpaired surrogate",
                                ));
                            } else {
                                hi
                            };
                            let ch = char::from_u32(code)
                                .ok_or_else(|| self.error_at(esc_at, "invalid unicode escape"))?;
                            out.push(ch);
                            continue;
                        }
                        _ => {
                            return Err(self.error_at(
                                esc_at,
                                "invalid escape in string (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                            ));
                        }
                    };
                    out.push(c);
                    self.pos += 1;
                }
                Some(&c) if c < 0x20 => {
                    return Err(self.error_at(
                        self.pos,
                        "control character in string (write it as an escape such as `\\n`)",
                    ));
                }
                Some(_) => {
                    let start = self.pos;
                    while let Some(&c) = b.get(self.pos) {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.pos += 1;
                    }
                    out.push_str(&self.text[start..self.pos]);
                }
            }
        }
    }

    fn hex4(&mut self, esc_at: usize) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.bytes.get(self.pos) {
                Some(&c @ b'0'..=b'9') => u32::from(c - b'0'),
                Some(&c @ b'a'..=b'f') => u32::from(c - b'a' + 10),
                Some(&c @ b'A'..=b'F') => u32::from(c - b'A' + 10),
                _ => {
                    return Err(self.error_at(
                        esc_at,
                        "invalid unicode escape (expected four hex digits after `\\u`)",
                    ));
                }
            };
            v = v * 16 + d;
            self.pos += 1;
        }
        Ok(v)
    }

    fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        if depth >= MAX_DEPTH {
            Err(self.error_at(
                self.pos,
                format!("nesting too deep (more than {MAX_DEPTH} levels of arrays and objects)"),
            ))
        } else {
            Ok(depth + 1)
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node, JsonError> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Node::new(
                Value::Array(items),
                TextRange::new(start, self.pos),
            ));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.bytes.get(self.pos) == Some(&b']') {
                        return Err(self.error_at(self.pos, "trailing comma before `]`"));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node::new(
                        Value::Array(items),
                        TextRange::new(start, self.pos),
                    ));
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, JsonError> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Node::new(
                Value::Object(members),
                TextRange::new(start, self.pos),
            ));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.unexpected("a key in double quotes"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_range = TextRange::new(key_start, self.pos);
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.unexpected("`:` after the key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            members.push(Member {
                key,
                key_range,
                value,
            });
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.bytes.get(self.pos) == Some(&b'}') {
                        return Err(self.error_at(self.pos, "trailing comma before `}`"));
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node::new(
                        Value::Object(members),
                        TextRange::new(start, self.pos),
                    ));
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> JsonError {
        parse(text).unwrap_err()
    }

    #[test]
    fn parses_values_with_ranges() {
        let text = r#" {"a": [1, -2.5e3, true, null], "b\n": "x\u00e9\ud83d\ude00"} "#;
        let node = parse(text).unwrap();
        assert_eq!(node.range, TextRange::new(1, text.len() - 1));
        let Value::Object(members) = &node.value else {
            panic!("not an object")
        };
        assert_eq!(members[0].key, "a");
        assert_eq!(
            &text[members[0].key_range.start as usize..members[0].key_range.end as usize],
            "\"a\""
        );
        let Value::Array(items) = &members[0].value.value else {
            panic!("not an array")
        };
        assert_eq!(items[1].value, Value::Number("-2.5e3".into()));
        assert_eq!(
            &text[items[1].range.start as usize..items[1].range.end as usize],
            "-2.5e3"
        );
        assert_eq!(members[1].key, "b\n");
        assert_eq!(members[1].value.as_str(), Some("xé😀"));
    }

    #[test]
    fn keeps_duplicate_keys() {
        let node = parse(r#"{"a": 1, "a": 2}"#).unwrap();
        let Value::Object(members) = node.value else {
            panic!()
        };
        assert_eq!(members.len(), 2);
    }

    #[test]
    fn reports_line_and_column() {
        let e = err("{\n  \"a\": 1,\n  \"b\" 2\n}");
        assert_eq!((e.line, e.column), (3, 7));
        assert!(e.message.contains("expected `:`"), "{}", e.message);
        let e = err("{\"a\": [1, 2,]}");
        assert!(e.message.contains("trailing comma"), "{}", e.message);
        let e = err("{\"a\": \"é\" x}");
        assert_eq!((e.line, e.column), (1, 11));
    }

    #[test]
    fn rejects_malformed_input() {
        for bad in [
            "",
            "{",
            "[1 2]",
            "{\"a\"}",
            "01",
            "1.",
            "1e",
            "-",
            "tru",
            "\"abc",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\udc00x\"",
            "\"\\u12\"",
            "\"a\tb\"",
            "{} {}",
            "{'a': 1}",
            "{a: 1}",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let e = err(&deep);
        assert!(e.message.contains("nesting too deep"), "{}", e.message);
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let too = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&too).is_err());
    }

    #[test]
    fn agrees_with_serde_json_on_valid_documents() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*","Condition":{"NumericLessThan":{"k":10}}}]}"#;
        let ours = parse(text).unwrap().to_serde();
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(Node::from_serde(&theirs).to_serde(), theirs);
    }

    #[test]
    fn line_col_handles_multibyte_and_bounds() {
        assert_eq!(line_col("aé\nb", 0), (1, 1));
        assert_eq!(line_col("aé\nb", 3), (1, 3));
        assert_eq!(line_col("aé\nb", 4), (2, 1));
        assert_eq!(line_col("aé\nb", 2), (1, 2));
        assert_eq!(line_col("aé\nb", 99), (2, 2));
    }
}

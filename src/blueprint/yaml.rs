//! YAML → a tree of [`Node`]s with byte spans.
//!
//! landform reads YAML with the event parser underneath serde-saphyr
//! (`granit_parser`) and builds its own small tree, because every later step
//! needs spans on every key and value: structural validation maps JSON-Schema
//! errors to spans, includes are merged node by node (each node keeps the file
//! it came from), and the typed model is deserialized from this tree with a
//! span on every name and reference.
//!
//! What is accepted: one YAML document; block and flow style; the YAML 1.2
//! core schema for plain scalars (`null`/`~`, `true`/`false`, integers,
//! floats; everything else is a string — `yes`/`no`/`on`/`off` stay strings);
//! anchors, aliases and `<<` merge keys; the core `!!str`, `!!int`, … tags.
//! What is refused, each with a diagnostic: syntax errors (tabs in
//! indentation get a dedicated hint), duplicate keys (both places named),
//! non-scalar keys, custom tags, several documents, and alias expansion
//! beyond [`MAX_NODES`] nodes (the "billion laughs").

use std::collections::HashMap;

use serde_saphyr::granit_parser::{
    ErrorKind, Event, Marker, Options, Parser, ScalarStyle, ScanError, Span as YSpan,
};

use crate::diagnostics::{Diagnostic, SourceId, Span};

use super::codes;

/// The fewest nodes a file may always expand to (aliases included); larger
/// files may have up to two nodes per byte of text.
pub const MIN_NODE_BUDGET: usize = 1_000_000;

/// A YAML node with the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string; `plain` is true when it was written without quotes.
    Str {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The entry for `key` in a mapping node.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    /// What kind of YAML value this is, for messages (`a string`, `a list`…).
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "nothing (null)",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Int(_) => "an integer",
            NodeKind::Float(_) => "a number",
            NodeKind::Str { .. } => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }

    /// The number of nodes in this subtree.
    pub fn count(&self) -> usize {
        match &self.kind {
            NodeKind::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            NodeKind::Map(entries) => {
                1 + entries.iter().map(|e| 1 + e.value.count()).sum::<usize>()
            }
            _ => 1,
        }
    }

    /// The node as JSON (for schema validation and policy documents).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(i) => Value::from(*i),
            NodeKind::Float(f) => serde_json::Number::from_f64(*f)
                .map_or_else(|| Value::String(f.to_string()), Value::Number),
            NodeKind::Str { value, .. } => Value::String(value.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// The result of parsing one file: the document (None when the file holds no
/// document at all) and the problems found. A `Some` document may come with
/// errors that did not stop parsing (duplicate keys, …).
#[derive(Debug)]
pub struct Parsed {
    pub document: Option<Node>,
    pub diagnostics: Vec<Diagnostic>,
    /// True when the document could not be built (syntax error, …).
    pub fatal: bool,
}

/// Parses `text` (the contents of source `source`).
pub fn parse(text: &str, source: SourceId) -> Parsed {
    let mut options = Options::default();
    options.emit_comments = false;
    let parser = Parser::new_from_str_with_options(text, options);
    let mut builder = Builder {
        parser,
        text,
        source,
        anchors: HashMap::new(),
        nodes: 0,
        budget: MIN_NODE_BUDGET.max(text.len().saturating_mul(2)),
        diagnostics: Vec::new(),
        peeked: None,
    };
    match builder.stream() {
        Ok(document) => {
            let fatal = builder.diagnostics.iter().any(|d| d.code == codes::LF008);
            Parsed {
                document: if fatal { None } else { document },
                diagnostics: builder.diagnostics,
                fatal,
            }
        }
        Err(stop) => {
            let mut diagnostics = builder.diagnostics;
            diagnostics.push(*stop.0);
            Parsed {
                document: None,
                diagnostics,
                fatal: true,
            }
        }
    }
}

/// Parsing stops with this diagnostic.
struct Stop(Box<Diagnostic>);

struct Builder<'a> {
    parser: Parser<'a, serde_saphyr::granit_parser::StrInput<'a>>,
    text: &'a str,
    source: SourceId,
    /// anchor id → the anchored node and its size
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    budget: usize,
    diagnostics: Vec<Diagnostic>,
    peeked: Option<(Event<'a>, YSpan)>,
}

impl<'a> Builder<'a> {
    fn span(&self, s: YSpan) -> Span {
        let start = self.offset(s.start);
        let end = self.offset(s.end).max(start);
        Span::new(self.source, start, end)
    }

    fn offset(&self, m: Marker) -> usize {
        m.byte_offset()
            .unwrap_or_else(|| {
                // character index → byte offset (only for inputs without offsets)
                self.text
                    .char_indices()
                    .nth(m.index())
                    .map_or(self.text.len(), |(i, _)| i)
            })
            .min(self.text.len())
    }

    fn next(&mut self) -> Result<(Event<'a>, YSpan), Stop> {
        if let Some(e) = self.peeked.take() {
            return Ok(e);
        }
        match self.parser.next_event() {
            Some(Ok(e)) => Ok(e),
            Some(Err(e)) => Err(self.scan_error(&e)),
            None => Err(Stop(Box::new(
                Diagnostic::error(codes::LF003, "unexpected end of the YAML input").with_label(
                    Span::point(self.source, self.text.len()),
                    "the file ends here",
                ),
            ))),
        }
    }

    fn peek(&mut self) -> Result<&(Event<'a>, YSpan), Stop> {
        if self.peeked.is_none() {
            let e = self.next()?;
            self.peeked = Some(e);
        }
        match &self.peeked {
            Some(e) => Ok(e),
            None => Err(Stop(Box::new(Diagnostic::error(
                codes::LF003,
                "unexpected end of the YAML input",
            )))),
        }
    }

    fn scan_error(&self, e: &ScanError) -> Stop {
        let at = self.offset(*e.marker());
        // underline one character (or the end of the file)
        let end = self.text[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        let span = Span::new(self.source, at, end);
        let info = e.info();
        let (message, help) = match e.kind() {
            ErrorKind::TabInBlockIndentation | ErrorKind::TabNotAllowed => (
                "a tab character is used for indentation".to_string(),
                Some("YAML indentation must use spaces; replace the tabs with spaces".to_string()),
            ),
            ErrorKind::InvalidIndentation => (
                "the indentation of this line does not match its surroundings".to_string(),
                Some("indent every key of one mapping by the same number of spaces".to_string()),
            ),
            ErrorKind::UnknownAnchor => (
                "an alias refers to an anchor that is not defined before it".to_string(),
                Some("define the anchor (`&name`) before using the alias (`*name`)".to_string()),
            ),
            _ => (format!("invalid YAML: {}", lowercase_first(&info)), None),
        };
        let mut d = Diagnostic::error(codes::LF003, message).with_label(span, "here");
        if let Some(h) = help {
            d = d.with_help(h);
        }
        Stop(Box::new(d))
    }

    fn stream(&mut self) -> Result<Option<Node>, Stop> {
        let mut document = None;
        let mut count = 0usize;
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart => {}
                Event::StreamEnd => break,
                Event::DocumentStart(..) => {
                    count += 1;
                    let (root, _) = self.node()?;
                    // DocumentEnd
                    loop {
                        let (e, _) = self.next()?;
                        if matches!(e, Event::DocumentEnd) {
                            break;
                        }
                    }
                    if count == 1 {
                        document = Some(root);
                    } else {
                        return Err(Stop(Box::new(
                            Diagnostic::error(
                                codes::LF007,
                                "the file holds more than one YAML document",
                            )
                            .with_label(root.span, "a second document starts here")
                            .with_help(
                                "a blueprint is one YAML document; remove the `---` separator \
                                 or split the file with `include:`",
                            ),
                        )));
                    }
                }
                _ => {
                    let s = self.span(span);
                    return Err(Stop(Box::new(
                        Diagnostic::error(codes::LF003, "unexpected YAML content")
                            .with_label(s, "here"),
                    )));
                }
            }
        }
        Ok(document)
    }

    fn count_nodes(&mut self, n: usize, span: Span) -> Result<(), Stop> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.budget {
            return Err(Stop(Box::new(
                Diagnostic::error(
                    codes::LF008,
                    format!(
                        "the document expands to more than {} YAML nodes",
                        self.budget
                    ),
                )
                .with_label(span, "expansion exceeds the limit here")
                .with_help("aliases (`*name`) are copied where they are used; use fewer of them"),
            )));
        }
        Ok(())
    }

    /// Reads one node; returns it with its size in nodes.
    fn node(&mut self) -> Result<(Node, usize), Stop> {
        let (event, ys) = self.next()?;
        let span = self.span(ys);
        match event {
            Event::Alias(id) => {
                let Some(size) = self.anchors.get(&id).map(|(_, size)| *size) else {
                    return Err(Stop(Box::new(
                        Diagnostic::error(codes::LF003, "unknown YAML alias")
                            .with_label(span, "this alias has no anchor"),
                    )));
                };
                // count before copying, so an alias bomb stops before it allocates
                self.count_nodes(size, span)?;
                let Some((mut node, _)) = self.anchors.get(&id).cloned() else {
                    return Err(Stop(Box::new(Diagnostic::error(
                        codes::LF003,
                        "unknown YAML alias",
                    ))));
                };
                // the alias keeps the anchored content but points at the alias
                node.span = span;
                Ok((node, size))
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.count_nodes(1, span)?;
                let kind = match tag.as_deref() {
                    None => resolve_scalar(&text, style),
                    Some(tag) if tag.is_yaml_core_schema() => match tag.suffix() {
                        "str" => NodeKind::Str {
                            value: text.into_owned(),
                            plain: false,
                        },
                        _ => resolve_scalar(&text, ScalarStyle::Plain),
                    },
                    Some(tag) => {
                        let tag_span = ys.tag_span().map_or(span, |t| self.span(t));
                        self.unsupported_tag(&tag.original(), tag_span);
                        resolve_scalar(&text, style)
                    }
                };
                let node = Node { span, kind };
                if anchor != 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                Ok((node, 1))
            }
            Event::SequenceStart(_, anchor, tag) => {
                if let Some(tag) = tag.as_deref()
                    && !tag.is_yaml_core_schema()
                {
                    let tag_span = ys.tag_span().map_or(span, |t| self.span(t));
                    self.unsupported_tag(&tag.original(), tag_span);
                }
                self.count_nodes(1, span)?;
                let mut items = Vec::new();
                let mut size = 1usize;
                let mut end = span.end;
                loop {
                    if matches!(self.peek()?.0, Event::SequenceEnd) {
                        let (_, es) = self.next()?;
                        if items.is_empty() {
                            end = self.span(es).end.max(end);
                        }
                        break;
                    }
                    let (item, n) = self.node()?;
                    end = end.max(item.span.end);
                    size += n;
                    items.push(item);
                }
                let node = Node {
                    span: Span {
                        end: end.max(span.end),
                        ..span
                    },
                    kind: NodeKind::Seq(items),
                };
                if anchor != 0 {
                    self.anchors.insert(anchor, (node.clone(), size));
                }
                Ok((node, size))
            }
            Event::MappingStart(_, anchor, tag) => {
                if let Some(tag) = tag.as_deref()
                    && !tag.is_yaml_core_schema()
                {
                    let tag_span = ys.tag_span().map_or(span, |t| self.span(t));
                    self.unsupported_tag(&tag.original(), tag_span);
                }
                self.count_nodes(1, span)?;
                let (node, size) = self.mapping(span)?;
                if anchor != 0 {
                    self.anchors.insert(anchor, (node.clone(), size));
                }
                Ok((node, size))
            }
            _ => Err(Stop(Box::new(
                Diagnostic::error(codes::LF003, "unexpected YAML content").with_label(span, "here"),
            ))),
        }
    }

    fn mapping(&mut self, start: Span) -> Result<(Node, usize), Stop> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut index = KeyIndex::default();
        let mut merged: Vec<Entry> = Vec::new();
        let mut size = 1usize;
        let mut end = start.end;
        loop {
            if matches!(self.peek()?.0, Event::MappingEnd) {
                let (_, es) = self.next()?;
                if entries.is_empty() && merged.is_empty() {
                    end = end.max(self.span(es).end);
                }
                break;
            }
            // the key
            let (kev, kys) = self.next()?;
            let key_span = self.span(kys);
            let (key, is_merge) = match kev {
                Event::Scalar(text, style, anchor, _) => {
                    let is_merge = text == "<<" && style == ScalarStyle::Plain;
                    if anchor != 0 {
                        let node = Node {
                            span: key_span,
                            kind: resolve_scalar(&text, style),
                        };
                        self.anchors.insert(anchor, (node, 1));
                    }
                    (text.into_owned(), is_merge)
                }
                Event::Alias(id) => match self.anchors.get(&id) {
                    Some((
                        Node {
                            kind: NodeKind::Str { value, .. },
                            ..
                        },
                        _,
                    )) => (value.clone(), false),
                    _ => {
                        return Err(self.complex_key(key_span));
                    }
                },
                _ => {
                    return Err(self.complex_key(key_span));
                }
            };
            let (value, n) = self.node()?;
            size += n + 1;
            end = end.max(value.span.end).max(key_span.end);
            if is_merge {
                self.merge_into(&mut merged, value);
                continue;
            }
            if let Some(first) = index.get(&entries, &key) {
                let first_span = entries[first].key_span;
                self.diagnostics.push(
                    Diagnostic::error(codes::LF006, format!("duplicate key `{key}`"))
                        .with_label(key_span, "defined again here")
                        .with_secondary(first_span, "first defined here")
                        .with_help(
                            "a key may appear once in a mapping; merge the two entries or \
                             remove one",
                        ),
                );
                continue;
            }
            index.insert(&entries, &key);
            entries.push(Entry {
                key,
                key_span,
                value,
            });
        }
        // merge keys: explicit keys win, earlier merged maps win over later ones
        for m in merged {
            if index.get(&entries, &m.key).is_none() {
                index.insert(&entries, &m.key);
                entries.push(m);
            }
        }
        Ok((
            Node {
                span: Span { end, ..start },
                kind: NodeKind::Map(entries),
            },
            size,
        ))
    }

    fn merge_into(&mut self, merged: &mut Vec<Entry>, value: Node) {
        let sources = match value.kind {
            NodeKind::Map(entries) => vec![entries],
            NodeKind::Seq(items) => {
                let mut maps = Vec::new();
                for item in items {
                    match item.kind {
                        NodeKind::Map(entries) => maps.push(entries),
                        _ => {
                            self.diagnostics.push(
                                Diagnostic::error(
                                    codes::LF008,
                                    "a `<<` merge key takes a mapping or a list of mappings",
                                )
                                .with_label(item.span, "not a mapping"),
                            );
                        }
                    }
                }
                maps
            }
            _ => {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::LF008,
                        "a `<<` merge key takes a mapping or a list of mappings",
                    )
                    .with_label(value.span, "not a mapping"),
                );
                Vec::new()
            }
        };
        for entries in sources {
            for e in entries {
                if !merged.iter().any(|m| m.key == e.key) {
                    merged.push(e);
                }
            }
        }
    }

    fn complex_key(&self, span: Span) -> Stop {
        Stop(Box::new(
            Diagnostic::error(codes::LF008, "mapping keys must be plain text")
                .with_label(span, "this key is a list or a mapping")
                .with_help(
                    "write the key as a string; complex YAML keys (`? …`) are not supported",
                ),
        ))
    }

    fn unsupported_tag(&mut self, tag: &str, span: Span) {
        self.diagnostics.push(
            Diagnostic::error(codes::LF008, format!("YAML tag `{tag}` is not supported"))
                .with_label(span, "custom tag")
                .with_help("remove the tag; blueprints use plain YAML values"),
        );
    }
}

/// Finds keys already seen in a mapping: a linear scan for small mappings,
/// a hash map once they grow (blueprints have many small mappings and a few
/// big ones, such as an OU with thousands of accounts).
#[derive(Default)]
struct KeyIndex {
    map: Option<HashMap<String, usize>>,
}

impl KeyIndex {
    const LINEAR: usize = 16;

    fn get(&self, entries: &[Entry], key: &str) -> Option<usize> {
        match &self.map {
            Some(m) => m.get(key).copied(),
            None => entries.iter().position(|e| e.key == key),
        }
    }

    /// Records `key` at position `entries.len()` (before it is pushed).
    fn insert(&mut self, entries: &[Entry], key: &str) {
        match &mut self.map {
            Some(m) => {
                m.insert(key.to_string(), entries.len());
            }
            None if entries.len() >= Self::LINEAR => {
                let mut m: HashMap<String, usize> = entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.key.clone(), i))
                    .collect();
                m.insert(key.to_string(), entries.len());
                self.map = Some(m);
            }
            None => {}
        }
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// YAML 1.2 core schema resolution of a scalar.
fn resolve_scalar(text: &str, style: ScalarStyle) -> NodeKind {
    if style != ScalarStyle::Plain {
        return NodeKind::Str {
            value: text.to_string(),
            plain: false,
        };
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" => return NodeKind::Bool(true),
        "false" | "False" | "FALSE" => return NodeKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return NodeKind::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return NodeKind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeKind::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(text) {
        return NodeKind::Int(i);
    }
    if is_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return NodeKind::Float(f);
    }
    NodeKind::Str {
        value: text.to_string(),
        plain: true,
    }
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return i64::from_str_radix(hex, 16).ok();
        }
        return None;
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return i64::from_str_radix(oct, 8).ok();
        }
        return None;
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<i64>().ok()
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (!a.is_empty() || !b.is_empty())
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
                && !(a.is_empty() && b.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|c| c.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        let p = parse(text, SourceId(0));
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        p.document.unwrap()
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn keys_and_values_carry_byte_spans() {
        let text = "organization:\n  name: pay wave\n  ids: [1, \"2\"]\n";
        let root = parse_ok(text);
        let org = root.get("organization").unwrap();
        assert_eq!(slice(text, org.key_span), "organization");
        let name = org.value.get("name").unwrap();
        assert_eq!(slice(text, name.key_span), "name");
        assert_eq!(slice(text, name.value.span), "pay wave");
        let ids = &org.value.get("ids").unwrap().value;
        let NodeKind::Seq(items) = &ids.kind else {
            panic!()
        };
        assert_eq!(items[0].kind, NodeKind::Int(1));
        assert_eq!(slice(text, items[1].span), "\"2\"");
        assert_eq!(
            items[1].kind,
            NodeKind::Str {
                value: "2".into(),
                plain: false
            }
        );
    }

    #[test]
    fn core_schema_resolution() {
        let cases = [
            ("a: ~", NodeKind::Null),
            ("a:", NodeKind::Null),
            ("a: true", NodeKind::Bool(true)),
            ("a: 012", NodeKind::Int(12)),
            ("a: 0x1f", NodeKind::Int(31)),
            ("a: 1.5e3", NodeKind::Float(1500.0)),
            (
                "a: yes",
                NodeKind::Str {
                    value: "yes".into(),
                    plain: true,
                },
            ),
            (
                "a: PT4H",
                NodeKind::Str {
                    value: "PT4H".into(),
                    plain: true,
                },
            ),
            (
                "a: !!str 12",
                NodeKind::Str {
                    value: "12".into(),
                    plain: false,
                },
            ),
        ];
        for (text, want) in cases {
            let root = parse_ok(text);
            assert_eq!(root.get("a").unwrap().value.kind, want, "{text}");
        }
    }

    #[test]
    fn duplicate_keys_name_both_places() {
        let text = "a: 1\nb: 2\na: 3\n";
        let p = parse(text, SourceId(0));
        assert_eq!(p.diagnostics.len(), 1);
        let d = &p.diagnostics[0];
        assert_eq!(d.code, codes::LF006);
        assert_eq!(slice(text, d.labels[0].span), "a");
        assert_eq!(d.labels[0].span.start, 10);
        assert_eq!(d.labels[1].span.start, 0);
        // the first value is kept
        assert_eq!(
            p.document.unwrap().get("a").unwrap().value.kind,
            NodeKind::Int(1)
        );
    }

    #[test]
    fn aliases_and_merge_keys() {
        let text = "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist: [*b]\n";
        let root = parse_ok(text);
        let used = &root.get("use").unwrap().value;
        assert_eq!(used.get("x").unwrap().value.kind, NodeKind::Int(1));
        assert_eq!(used.get("y").unwrap().value.kind, NodeKind::Int(3));
        let NodeKind::Seq(items) = &root.get("list").unwrap().value.kind else {
            panic!()
        };
        assert_eq!(slice(text, items[0].span), "*b");
    }

    #[test]
    fn alias_bombs_are_stopped() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let p = parse(&text, SourceId(0));
        assert!(p.fatal);
        assert_eq!(p.diagnostics[0].code, codes::LF008);
    }

    #[test]
    fn tabs_get_a_dedicated_message() {
        let p = parse("a:\n\tb: 1\n", SourceId(0));
        assert!(p.fatal);
        assert_eq!(p.diagnostics[0].code, codes::LF003);
        assert!(
            p.diagnostics[0].message.contains("tab"),
            "{:?}",
            p.diagnostics
        );
    }

    #[test]
    fn several_documents_are_refused() {
        let p = parse("a: 1\n---\nb: 2\n", SourceId(0));
        assert!(p.fatal);
        assert_eq!(p.diagnostics[0].code, codes::LF007);
    }

    #[test]
    fn custom_tags_are_refused() {
        let p = parse("a: !Ref x\n", SourceId(0));
        assert!(p.fatal);
        assert_eq!(p.diagnostics[0].code, codes::LF008);
    }

    #[test]
    fn empty_input_has_no_document() {
        let p = parse("", SourceId(0));
        assert!(p.document.is_none());
        assert!(p.diagnostics.is_empty());
        let p = parse("# only a comment\n", SourceId(0));
        assert!(p.document.is_none());
    }
}

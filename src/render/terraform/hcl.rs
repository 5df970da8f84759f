//! A small HCL document model whose printer writes exactly what `terraform fmt`
//! makes of it, so the rendered tree needs no formatting pass by the user.
//!
//! The printer follows the rules of `hclwrite`'s formatter (which
//! `terraform fmt` uses):
//!
//! - two spaces of indentation per nesting level;
//! - the `=` of consecutive single-line attributes is aligned one space after
//!   the longest name (counted in Unicode scalar values). A run ("chain") is
//!   broken by a blank line, a comment line, a block, or an attribute whose
//!   value opens a bracket it does not close on the same line (a multi-line
//!   list, object or function call). A bare heredoc (`name = <<-EOT`) stays in
//!   the chain: its content lines do not break it;
//! - object constructors follow the same rule for their `key = value` lines.
//!
//! Strings are escaped here and only here: [`quote`] for quoted strings,
//! [`Template`] for strings and heredocs with interpolations. In a template,
//! `${` and `%{` of literal text become `$${` and `%%{`, so IAM policy
//! variables (`${aws:username}`) and anything that looks like an HCL template
//! reach AWS as literal text.

use std::fmt::Write as _;

/// The body of a file or block.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Attr(String, Expr),
    Block(Block),
    /// A comment; each line of the text becomes one `#` line.
    Comment(String),
    Blank,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Body,
}

/// A piece of a template: literal text or an interpolated expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Lit(String),
    /// An expression, written inside `${…}`.
    Interp(String),
}

/// Template content: literal text and interpolations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A single-line expression written verbatim (`var.region`, `true`,
    /// `aws_iam_role.x.arn`). Must already be in `terraform fmt` form.
    Raw(String),
    /// A quoted string.
    Str(Template),
    /// A list on one line: `[a, b]`.
    List(Vec<Expr>),
    /// A list with one element per line, each followed by a comma.
    ListLines(Vec<Expr>),
    /// An object constructor with one `key = value` per line.
    Object(Vec<(ObjectKey, Expr)>),
    /// A `<<-EOT` heredoc; with `chomp`, wrapped in `chomp(…)` so the value has
    /// no trailing newline.
    Heredoc { template: Template, chomp: bool },
}

/// An object key: a bare identifier or a quoted string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectKey {
    Ident(String),
    Quoted(String),
}

impl ObjectKey {
    fn text(&self) -> String {
        match self {
            ObjectKey::Ident(s) => s.clone(),
            ObjectKey::Quoted(s) => quote(s),
        }
    }
}

impl Template {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn lit(mut self, s: &str) -> Self {
        self.push_lit(s);
        self
    }

    pub fn interp(mut self, expr: impl Into<String>) -> Self {
        self.parts.push(Part::Interp(expr.into()));
        self
    }

    pub fn push_lit(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Part::Lit(prev)) = self.parts.last_mut() {
            prev.push_str(s);
        } else {
            self.parts.push(Part::Lit(s.to_string()));
        }
    }

    pub fn push_interp(&mut self, expr: impl Into<String>) {
        self.parts.push(Part::Interp(expr.into()));
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The template as source text, with `escape_lit` applied to literal text.
    /// Literal `$`s right before an interpolation would turn its `${` into the
    /// escape `$${`, so they are written as an interpolated string instead
    /// (`${"$$"}${x}`).
    fn source(&self, escape_lit: &dyn Fn(&str) -> String) -> String {
        let mut out = String::new();
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                Part::Lit(s) => {
                    let next_is_interp = matches!(self.parts.get(i + 1), Some(Part::Interp(_)));
                    let head = s.trim_end_matches('$');
                    if next_is_interp && head.len() < s.len() {
                        out.push_str(&escape_lit(head));
                        let _ = write!(out, "${{\"{}\"}}", &s[head.len()..]);
                    } else {
                        out.push_str(&escape_lit(s));
                    }
                }
                Part::Interp(e) => {
                    out.push_str("${");
                    out.push_str(e);
                    out.push('}');
                }
            }
        }
        out
    }
}

/// Doubles the template markers of literal text: `${` → `$${`, `%{` → `%%{`.
pub fn escape_markers(s: &str) -> String {
    s.replace("${", "$${").replace("%{", "%%{")
}

/// Escapes literal text for a quoted HCL string (without the quotes).
fn escape_quoted_lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape_markers(s).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A quoted HCL string whose value is exactly `s`.
pub fn quote(s: &str) -> String {
    format!("\"{}\"", escape_quoted_lit(s))
}

impl Expr {
    /// A quoted string with no interpolation.
    pub fn str(s: &str) -> Expr {
        Expr::Str(Template::new().lit(s))
    }

    pub fn raw(s: impl Into<String>) -> Expr {
        Expr::Raw(s.into())
    }

    /// A string from a template; a template that is one interpolation and
    /// nothing else is written as the bare expression (as `terraform fmt`
    /// rewrites `"${x}"` to `x`).
    pub fn template(t: Template) -> Expr {
        match t.parts.as_slice() {
            [Part::Interp(e)] => Expr::Raw(e.clone()),
            _ => Expr::Str(t),
        }
    }

    /// A string list, on one line.
    pub fn str_list<S: AsRef<str>>(items: &[S]) -> Expr {
        Expr::List(items.iter().map(|s| Expr::str(s.as_ref())).collect())
    }

    /// A map of strings with quoted keys, one entry per line.
    pub fn str_map<'a>(entries: impl IntoIterator<Item = (&'a String, &'a String)>) -> Expr {
        Expr::Object(
            entries
                .into_iter()
                .map(|(k, v)| (ObjectKey::Quoted(k.clone()), Expr::str(v)))
                .collect(),
        )
    }

    /// Whether `hclwrite` treats `name = <this>` as a whole expression on its
    /// line (so it joins an alignment chain).
    fn is_inline(&self) -> bool {
        match self {
            Expr::Raw(_) | Expr::Str(_) | Expr::List(_) => true,
            Expr::Heredoc { chomp, .. } => !chomp,
            Expr::ListLines(items) => items.is_empty(),
            Expr::Object(entries) => entries.is_empty(),
        }
    }

    /// Writes the expression; `level` is the nesting level of the line it
    /// starts on. Continuation lines carry their own indentation.
    fn write(&self, out: &mut String, level: usize) {
        match self {
            Expr::Raw(s) => out.push_str(s),
            Expr::Str(t) => {
                out.push('"');
                out.push_str(&t.source(&escape_quoted_lit));
                out.push('"');
            }
            Expr::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out, level);
                }
                out.push(']');
            }
            Expr::ListLines(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return;
                }
                out.push_str("[\n");
                for item in items {
                    indent(out, level + 1);
                    item.write(out, level + 1);
                    out.push_str(",\n");
                }
                indent(out, level);
                out.push(']');
            }
            Expr::Object(entries) => {
                if entries.is_empty() {
                    out.push_str("{}");
                    return;
                }
                out.push_str("{\n");
                let lines: Vec<(String, &Expr)> =
                    entries.iter().map(|(k, v)| (k.text(), v)).collect();
                write_assignments(out, &lines, level + 1);
                indent(out, level);
                out.push('}');
            }
            Expr::Heredoc { template, chomp } => {
                let source = template.source(&escape_markers);
                let delimiter = heredoc_delimiter(&source);
                let content_level = level + 1;
                if *chomp {
                    out.push_str("chomp(");
                }
                let _ = writeln!(out, "<<-{delimiter}");
                for line in source.split('\n') {
                    if !line.is_empty() {
                        indent(out, content_level);
                        out.push_str(line);
                    }
                    out.push('\n');
                }
                indent(out, content_level);
                out.push_str(&delimiter);
                if *chomp {
                    out.push('\n');
                    indent(out, level);
                    out.push(')');
                }
            }
        }
    }
}

/// `EOT`, or `EOT1`, `EOT2`… when the content has a line that would end it.
fn heredoc_delimiter(source: &str) -> String {
    let clashes = |d: &str| source.lines().any(|l| l.trim() == d);
    if !clashes("EOT") {
        return "EOT".to_string();
    }
    (1..)
        .map(|n| format!("EOT{n}"))
        .find(|d| !clashes(d))
        .unwrap_or_default()
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Writes `name = value` lines with `terraform fmt`'s `=` alignment.
fn write_assignments(out: &mut String, lines: &[(String, &Expr)], level: usize) {
    let widths = chain_widths(lines.iter().map(|(name, expr)| {
        if expr.is_inline() {
            Some(name.chars().count())
        } else {
            None
        }
    }));
    for ((name, expr), width) in lines.iter().zip(widths) {
        indent(out, level);
        out.push_str(name);
        let pad = width.map_or(1, |w| w - name.chars().count() + 1);
        for _ in 0..pad {
            out.push(' ');
        }
        out.push_str("= ");
        expr.write(out, level);
        out.push('\n');
    }
}

/// For each line (`Some(width)` when it joins a chain, `None` when it breaks
/// one), the width its chain aligns to.
fn chain_widths(lines: impl Iterator<Item = Option<usize>>) -> Vec<Option<usize>> {
    let lines: Vec<Option<usize>> = lines.collect();
    let mut out = vec![None; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        if lines[start].is_none() {
            start += 1;
            continue;
        }
        let mut end = start;
        let mut max = 0;
        while let Some(Some(w)) = lines.get(end) {
            max = max.max(*w);
            end += 1;
        }
        for slot in &mut out[start..end] {
            *slot = Some(max);
        }
        start = end;
    }
    out
}

impl Body {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn attr(&mut self, name: &str, value: Expr) -> &mut Self {
        self.items.push(Item::Attr(name.to_string(), value));
        self
    }

    /// Adds `name = "value"`.
    pub fn str_attr(&mut self, name: &str, value: &str) -> &mut Self {
        self.attr(name, Expr::str(value))
    }

    pub fn raw_attr(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.attr(name, Expr::Raw(value.into()))
    }

    pub fn block(&mut self, block: Block) -> &mut Self {
        self.items.push(Item::Block(block));
        self
    }

    pub fn comment(&mut self, text: &str) -> &mut Self {
        self.items.push(Item::Comment(text.to_string()));
        self
    }

    pub fn blank(&mut self) -> &mut Self {
        self.items.push(Item::Blank);
        self
    }

    /// Writes the body at nesting level `level`.
    pub fn write(&self, out: &mut String, level: usize) {
        let mut i = 0;
        while i < self.items.len() {
            match &self.items[i] {
                Item::Attr(..) => {
                    let mut lines = Vec::new();
                    while let Some(Item::Attr(name, expr)) = self.items.get(i) {
                        lines.push((name.clone(), expr));
                        i += 1;
                    }
                    write_assignments(out, &lines, level);
                    continue;
                }
                Item::Block(b) => b.write(out, level),
                Item::Comment(text) => write_comment(out, text, level),
                Item::Blank => out.push('\n'),
            }
            i += 1;
        }
    }
}

fn write_comment(out: &mut String, text: &str, level: usize) {
    for line in text.replace("\r\n", "\n").split(['\n', '\r']) {
        let line = line.trim_end();
        indent(out, level);
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {line}");
        }
    }
}

impl Block {
    pub fn new(kind: &str, labels: &[&str]) -> Self {
        Self {
            kind: kind.to_string(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            body: Body::new(),
        }
    }

    pub fn with_body(kind: &str, labels: &[&str], body: Body) -> Self {
        let mut b = Self::new(kind, labels);
        b.body = body;
        b
    }

    pub fn write(&self, out: &mut String, level: usize) {
        indent(out, level);
        out.push_str(&self.kind);
        for label in &self.labels {
            out.push(' ');
            out.push_str(&quote(label));
        }
        if self.body.is_empty() {
            out.push_str(" {}\n");
            return;
        }
        out.push_str(" {\n");
        self.body.write(out, level + 1);
        indent(out, level);
        out.push_str("}\n");
    }
}

/// A whole file: the header comment, then the items, each after one blank
/// line; a comment sticks to the item that follows it.
pub fn file(header: &str, items: &[Item]) -> String {
    let mut out = String::new();
    write_comment(&mut out, header, 0);
    let mut after_comment = false;
    for item in items {
        if !after_comment {
            out.push('\n');
        }
        match item {
            Item::Block(b) => b.write(&mut out, 0),
            Item::Comment(c) => write_comment(&mut out, c, 0),
            Item::Attr(name, expr) => write_assignments(&mut out, &[(name.clone(), expr)], 0),
            Item::Blank => {}
        }
        after_comment = matches!(item, Item::Comment(_));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &Body) -> String {
        let mut out = String::new();
        body.write(&mut out, 0);
        out
    }

    #[test]
    fn quoting_escapes_quotes_backslashes_controls_and_markers() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("l1\nl2\r\t"), r#""l1\nl2\r\t""#);
        assert_eq!(quote("\u{7}\u{7f}"), r#""\u0007\u007f""#);
        assert_eq!(quote("${aws:username}"), r#""$${aws:username}""#);
        assert_eq!(quote("%{if x}"), r#""%%{if x}""#);
        // hcl-rs 0.20 gets this one wrong (it writes `$${$${x}`)
        assert_eq!(quote("${$${x}"), r#""$${$$${x}""#);
        assert_eq!(quote("ünï 日本"), "\"ünï 日本\"");
    }

    #[test]
    fn a_dollar_before_an_interpolation_stays_a_dollar() {
        let t = Template::new().lit("cost: $").interp("local.x");
        assert_eq!(
            render(Body::new().attr("a", Expr::template(t))),
            "a = \"cost: ${\"$\"}${local.x}\"\n"
        );
        let t = Template::new().lit("{$$").interp("local.x");
        assert_eq!(
            render(Body::new().attr("a", Expr::template(t))),
            "a = \"{${\"$$\"}${local.x}\"\n"
        );
        // a lone interpolation is written bare, as terraform fmt would
        let t = Template::new().interp("local.x");
        assert_eq!(
            render(Body::new().attr("a", Expr::template(t))),
            "a = local.x\n"
        );
    }

    #[test]
    fn alignment_chains_break_at_blank_lines_comments_blocks_and_multiline_values() {
        let mut b = Body::new();
        b.str_attr("name", "x").str_attr("description", "y");
        b.blank();
        b.raw_attr("a", "1").raw_attr("bbb", "2");
        b.comment("note");
        b.raw_attr("cc", "3").raw_attr("d", "4");
        b.attr(
            "tags",
            Expr::Object(vec![
                (ObjectKey::Quoted("k".into()), Expr::str("v")),
                (ObjectKey::Quoted("long key".into()), Expr::str("w")),
            ]),
        );
        b.raw_attr("e", "5").raw_attr("ffff", "6");
        b.block(Block::with_body("lifecycle", &[], {
            let mut l = Body::new();
            l.raw_attr("ignore_changes", "[role_name]");
            l
        }));
        b.raw_attr("g", "7");
        let expected = r#"name        = "x"
description = "y"

a   = 1
bbb = 2
# note
cc = 3
d  = 4
tags = {
  "k"        = "v"
  "long key" = "w"
}
e    = 5
ffff = 6
lifecycle {
  ignore_changes = [role_name]
}
g = 7
"#;
        assert_eq!(render(&b), expected);
    }

    #[test]
    fn bare_heredocs_stay_in_the_chain_chomped_ones_break_it() {
        let doc = Template::new().lit("{\n  \"a\": \"${x}\"\n}");
        let mut b = Body::new();
        b.raw_attr("y", "1");
        b.attr(
            "policy",
            Expr::Heredoc {
                template: doc.clone(),
                chomp: false,
            },
        );
        b.raw_attr("zz", "2");
        b.attr(
            "content",
            Expr::Heredoc {
                template: doc,
                chomp: true,
            },
        );
        b.raw_attr("q", "3");
        let expected = r#"y      = 1
policy = <<-EOT
  {
    "a": "$${x}"
  }
  EOT
zz     = 2
content = chomp(<<-EOT
  {
    "a": "$${x}"
  }
  EOT
)
q = 3
"#;
        assert_eq!(render(&b), expected);
    }

    #[test]
    fn heredoc_delimiter_avoids_content_lines() {
        assert_eq!(heredoc_delimiter("a\nEOT\nEOT1 \nb"), "EOT2");
        assert_eq!(heredoc_delimiter("{\"EOT\": 1}"), "EOT");
    }

    #[test]
    fn multiline_lists_and_nested_blocks_indent_by_two() {
        let mut inner = Body::new();
        inner.str_attr("name", "n");
        let mut outer = Body::new();
        outer.attr(
            "depends_on",
            Expr::ListLines(vec![Expr::raw("aws_a.b"), Expr::raw("aws_c.d")]),
        );
        outer.blank();
        outer.block(Block::with_body("ref", &[], inner));
        let block = Block::with_body("resource", &["t", "l\"x"], outer);
        let mut out = String::new();
        block.write(&mut out, 0);
        assert_eq!(
            out,
            "resource \"t\" \"l\\\"x\" {\n  depends_on = [\n    aws_a.b,\n    aws_c.d,\n  ]\n\n  ref {\n    name = \"n\"\n  }\n}\n"
        );
    }

    #[test]
    fn comments_become_one_hash_line_per_line() {
        let mut b = Body::new();
        b.comment("one\ntwo  \n\nthree\r\nfour");
        assert_eq!(render(&b), "# one\n# two\n#\n# three\n# four\n");
    }
}

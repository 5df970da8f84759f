//! Turning diagnostics into text: the human form (miette's graphical report with
//! the source line underlined) and the stable JSON form.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use serde::Serialize;

use super::{Diagnostic, Diagnostics, Location, Severity, SourceMap};

/// Options for the human renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    /// Use ANSI colours (only when writing to a terminal).
    pub color: bool,
}

/// Renders one diagnostic in the miette style.
pub fn human(d: &Diagnostic, sources: &SourceMap, opts: HumanOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_context_lines(1);
    let adapter = Adapter::new(d, sources);
    let mut out = String::new();
    if handler.render_report(&mut out, &adapter).is_err() {
        // Rendering into a String cannot fail in practice; fall back to one line.
        out = one_line(d, sources);
    }
    out
}

/// Renders every diagnostic followed by a summary line.
pub fn human_all(diags: &Diagnostics, sources: &SourceMap, opts: HumanOptions) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&human(d, sources, opts));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out.push_str(&summary_line(diags));
    out.push('\n');
    out
}

/// `2 errors, 1 warning` / `no problems found`.
pub fn summary_line(diags: &Diagnostics) -> String {
    let e = diags.count(Severity::Error);
    let w = diags.count(Severity::Warning);
    if e == 0 && w == 0 {
        return "no problems found".to_string();
    }
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!("{}, {}", plural(e, "error"), plural(w, "warning"))
}

/// `file:line:col: severity[code]: message` — for logs and notes.
pub fn one_line(d: &Diagnostic, sources: &SourceMap) -> String {
    let loc = d
        .primary_span()
        .and_then(|s| sources.locate(s))
        .map(|l| format!("{l}: "))
        .or_else(|| d.file.as_ref().map(|f| format!("{f}: ")))
        .unwrap_or_default();
    format!("{loc}{}[{}]: {}", d.severity, d.code, d.message)
}

/// The JSON form of one diagnostic. Field names are a stable interface.
#[derive(Debug, Clone, Serialize)]
pub struct JsonDiagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub end_line: Option<u32>,
    pub end_column: Option<u32>,
    pub labels: Vec<JsonLabel>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonLabel {
    pub message: String,
    pub primary: bool,
    #[serde(flatten)]
    pub location: Location,
}

impl JsonDiagnostic {
    pub fn from_diagnostic(d: &Diagnostic, sources: &SourceMap) -> Self {
        let loc = d.primary_span().and_then(|s| sources.locate(s));
        let labels = d
            .labels
            .iter()
            .filter_map(|l| {
                sources.locate(l.span).map(|location| JsonLabel {
                    message: l.message.clone(),
                    primary: l.primary,
                    location,
                })
            })
            .collect();
        Self {
            code: d.code.clone(),
            severity: d.severity,
            message: d.message.clone(),
            help: d.help.clone(),
            file: loc
                .as_ref()
                .map(|l| l.file.clone())
                .or_else(|| d.file.clone()),
            line: loc.as_ref().map(|l| l.line),
            column: loc.as_ref().map(|l| l.column),
            end_line: loc.as_ref().map(|l| l.end_line),
            end_column: loc.as_ref().map(|l| l.end_column),
            labels,
            notes: d.notes.clone(),
        }
    }
}

/// `{"diagnostics": [...], "summary": {"errors": n, "warnings": n}}`, pretty-printed.
pub fn json_all(diags: &Diagnostics, sources: &SourceMap) -> String {
    #[derive(Serialize)]
    struct Summary {
        errors: usize,
        warnings: usize,
    }
    #[derive(Serialize)]
    struct Doc {
        diagnostics: Vec<JsonDiagnostic>,
        summary: Summary,
    }
    let doc = Doc {
        diagnostics: diags
            .iter()
            .map(|d| JsonDiagnostic::from_diagnostic(d, sources))
            .collect(),
        summary: Summary {
            errors: diags.count(Severity::Error),
            warnings: diags.count(Severity::Warning),
        },
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// Bridges a [`Diagnostic`] to miette. Labels in the primary file are drawn on
/// its source; labels in other files become related reports.
struct Adapter {
    code: String,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Adapter>,
    footer: Option<String>,
}

impl Adapter {
    fn new(d: &Diagnostic, sources: &SourceMap) -> Self {
        let primary = d.primary_span();
        let primary_source = primary.map(|s| s.source);
        let mut labels = Vec::new();
        let mut related = Vec::new();
        for l in &d.labels {
            if Some(l.span.source) == primary_source {
                let text = (!l.message.is_empty()).then(|| l.message.clone());
                let span: miette::SourceSpan = (l.span.start as usize, l.span.len()).into();
                labels.push(if l.primary {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                });
            } else if let Some(file) = sources.get(l.span.source) {
                related.push(Adapter {
                    code: String::new(),
                    severity: miette::Severity::Advice,
                    message: if l.message.is_empty() {
                        "related location".to_string()
                    } else {
                        l.message.clone()
                    },
                    help: None,
                    source: Some(NamedSource::new(&file.name, file.text.to_string())),
                    labels: vec![LabeledSpan::new_with_span(
                        None,
                        (l.span.start as usize, l.span.len()),
                    )],
                    related: Vec::new(),
                    footer: None,
                });
            }
        }
        let source = primary_source
            .and_then(|id| sources.get(id))
            .map(|f| NamedSource::new(&f.name, f.text.to_string()));
        let mut message = d.message.clone();
        if source.is_none()
            && let Some(file) = &d.file
        {
            message = format!("{file}: {message}");
        }
        let footer = (!d.notes.is_empty()).then(|| d.notes.join("\n"));
        Self {
            code: d.code.clone(),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Note => miette::Severity::Advice,
            },
            message,
            help: d.help.clone(),
            source,
            labels,
            related,
            footer,
        }
    }
}

impl fmt::Debug for Adapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Adapter").field("code", &self.code).finish()
    }
}

impl fmt::Display for Adapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Adapter {}

impl miette::Diagnostic for Adapter {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let text = match (&self.help, &self.footer) {
            (Some(h), Some(f)) => Some(format!("{h}\n{f}")),
            (Some(h), None) => Some(h.clone()),
            (None, Some(f)) => Some(f.clone()),
            (None, None) => None,
        };
        text.map(|t| Box::new(t) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty()).then(|| Box::new(self.labels.iter().cloned()) as Box<_>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        (!self.related.is_empty())
            .then(|| Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)) as Box<_>)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, SourceMap};

    fn sample() -> (Diagnostics, SourceMap) {
        let mut map = SourceMap::new();
        let id = map.add("bp.yaml", "organization:\n  nmae: paywave\n");
        let span = map.span_at(id, 2, 3, 4);
        let mut diags = Diagnostics::new();
        diags.push(
            Diagnostic::error("LF101", "unknown key `nmae` in `organization`")
                .with_label(span, "not a known key")
                .with_help("did you mean `name`?"),
        );
        (diags, map)
    }

    #[test]
    fn human_output_names_file_line_and_underlines() {
        let (diags, map) = sample();
        let text = human_all(&diags, &map, HumanOptions::default());
        assert!(text.contains("LF101"), "{text}");
        assert!(text.contains("bp.yaml:2:3"), "{text}");
        assert!(text.contains("nmae: paywave"), "{text}");
        assert!(text.contains("did you mean `name`?"), "{text}");
        assert!(text.trim_end().ends_with("1 error, 0 warnings"), "{text}");
    }

    #[test]
    fn json_output_has_stable_fields() {
        let (diags, map) = sample();
        let v: serde_json::Value = serde_json::from_str(&json_all(&diags, &map)).unwrap();
        let d = &v["diagnostics"][0];
        assert_eq!(d["file"], "bp.yaml");
        assert_eq!(d["line"], 2);
        assert_eq!(d["column"], 3);
        assert_eq!(d["code"], "LF101");
        assert_eq!(d["severity"], "error");
        assert_eq!(d["help"], "did you mean `name`?");
        assert_eq!(v["summary"]["errors"], 1);
    }

    #[test]
    fn related_file_labels_are_rendered() {
        let mut map = SourceMap::new();
        let a = map.add("a.yaml", "accounts:\n  prod: {}\n");
        let b = map.add("b.yaml", "accounts:\n  prod: {}\n");
        let d = Diagnostic::error("LF201", "account `prod` is defined twice")
            .with_label(map.span_at(b, 2, 3, 4), "second definition")
            .with_secondary(map.span_at(a, 2, 3, 4), "first definition");
        let text = human(&d, &map, HumanOptions::default());
        assert!(text.contains("b.yaml:2:3"), "{text}");
        assert!(text.contains("a.yaml:2:3"), "{text}");
    }
}

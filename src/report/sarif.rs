//! SARIF 2.1.0, as GitHub code scanning reads it: one run, the rules of
//! every code in the report (with their documentation as help text), one
//! result per diagnostic located in the blueprint (or the policy file), the
//! secondary labels as related locations, and the notes (engine traces) in
//! the message's markdown. A test validates the output against the published
//! SARIF 2.1.0 schema.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Report;
use super::rules::rule;
use crate::diagnostics::{Diagnostic, Severity, SourceMap, Span};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A URI for a file name as the user gave it (relative paths stay relative,
/// `\` becomes `/`, spaces and `%` are escaped).
fn uri(file: &str) -> String {
    let file = file.replace('\\', "/");
    let file = file.strip_prefix("./").unwrap_or(&file).to_string();
    let mut out = String::new();
    for c in file.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            _ => out.push(c),
        }
    }
    out
}

fn location(sources: &SourceMap, span: Span, message: Option<&str>) -> Option<Value> {
    let l = sources.locate(span)?;
    let mut loc = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri(&l.file)},
            "region": {
                "startLine": l.line,
                "startColumn": l.column,
                "endLine": l.end_line,
                "endColumn": l.end_column.max(if l.end_line == l.line { l.column } else { 1 }),
            }
        }
    });
    if let Some(m) = message.filter(|m| !m.is_empty()) {
        loc["message"] = json!({"text": m});
    }
    Some(loc)
}

fn file_location(file: &str) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri(file)},
            "region": {"startLine": 1}
        }
    })
}

fn result(d: &Diagnostic, r: &Report<'_>, rule_index: usize) -> Value {
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        text.push_str(&format!("\nhelp: {h}"));
    }
    for n in &d.notes {
        text.push_str(&format!("\n{n}"));
    }
    let mut markdown = d.message.replace('\n', " ");
    if let Some(h) = &d.help {
        markdown.push_str(&format!("\n\n**help:** {h}"));
    }
    for n in &d.notes {
        if n.contains('\n') {
            markdown.push_str(&format!("\n\n```text\n{n}\n```"));
        } else {
            markdown.push_str(&format!("\n\n{n}"));
        }
    }
    let primary = d
        .labels
        .iter()
        .find(|l| l.primary)
        .or_else(|| d.labels.first());
    let loc = primary
        .and_then(|l| location(r.sources, l.span, Some(&l.message)))
        .or_else(|| d.file.as_deref().map(file_location))
        .unwrap_or_else(|| file_location(&r.blueprint));
    let related: Vec<Value> = d
        .labels
        .iter()
        .filter(|l| primary.is_none_or(|p| !std::ptr::eq(*l, p)))
        .enumerate()
        .filter_map(|(i, l)| {
            let mut v = location(r.sources, l.span, Some(&l.message))?;
            v["id"] = json!(i + 1);
            Some(v)
        })
        .collect();
    let mut out = json!({
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": {"text": text, "markdown": markdown},
        "locations": [loc],
    });
    if !related.is_empty() {
        out["relatedLocations"] = json!(related);
    }
    // a stable identity for the finding across runs (code, place, message)
    let place = primary
        .and_then(|l| r.sources.locate(l.span))
        .map(|l| format!("{}:{}", l.file, l.line))
        .unwrap_or_default();
    out["partialFingerprints"] = json!({
        "landformFinding/v1": format!("{:016x}", fnv(&format!("{}|{place}|{}", d.code, d.message)))
    });
    out
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The SARIF 2.1.0 log (pretty-printed, one trailing newline).
pub fn sarif(r: &Report<'_>) -> String {
    // rules: every check and test code, plus every other code that occurs
    let mut codes: Vec<String> = crate::checks::checks()
        .iter()
        .map(|c| c.code.to_string())
        .chain(["LF801".to_string(), "LF802".to_string()])
        .collect();
    for d in r.diagnostics {
        if !codes.contains(&d.code) {
            codes.push(d.code.clone());
        }
    }
    codes.sort();
    codes.dedup();
    let index: BTreeMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let rules: Vec<Value> = codes
        .iter()
        .map(|c| {
            let m = rule(c);
            json!({
                "id": m.id,
                "name": m.name,
                "shortDescription": {"text": m.short},
                "fullDescription": {"text": m.full},
                "help": {"text": m.full, "markdown": m.help_markdown},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"tags": ["security", "aws", "iam"]},
            })
        })
        .collect();
    let results: Vec<Value> = r
        .diagnostics
        .iter()
        .map(|d| result(d, r, index.get(d.code.as_str()).copied().unwrap_or(0)))
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "landform",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "automationDetails": {"id": format!("landform/check/{}", uri(&r.blueprint))},
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

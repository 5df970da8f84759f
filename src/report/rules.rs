//! Rule metadata for every code a report can hold (SARIF `rules`, the
//! markdown summary table), read from where each code documents itself:
//! the checks' doc comments (LF7xx), the tests runner (LF8xx), the policy
//! lint's rule docs (PLxxx), the blueprint's code table (LF0xx–LF4xx) and the
//! compiler's code table (LF5xx).

use std::sync::OnceLock;

use crate::diagnostics::Severity;

/// What a report says about a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    /// kebab-case name.
    pub name: String,
    /// One line.
    pub short: String,
    /// A paragraph (plain text).
    pub full: String,
    /// The whole documentation (markdown).
    pub help_markdown: String,
    pub severity: Severity,
}

/// The compiler's LF5xx table, read from its module documentation.
fn compile_codes() -> &'static [(String, Severity, String)] {
    static TABLE: OnceLock<Vec<(String, Severity, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        const SRC: &str = include_str!("../blueprint/resolve/mod.rs");
        SRC.lines()
            .filter_map(|l| l.strip_prefix("//! | LF"))
            .filter_map(|rest| {
                let cells: Vec<&str> = rest.split(" | ").collect();
                let code = format!("LF{}", cells.first()?.trim());
                let sev = cells.get(1)?.trim();
                let meaning = cells.get(2)?.trim().trim_end_matches('|').trim();
                let severity = if sev.starts_with("error") {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                Some((code, severity, meaning.to_string()))
            })
            .collect()
    })
}

const TEST_CODES: &[(&str, &str, Severity, &str)] = &[
    (
        "LF801",
        "test-failed",
        Severity::Error,
        "a blueprint test's expectation does not hold: the engine decided otherwise (the finding carries the decision trace)",
    ),
    (
        "LF802",
        "test-undecided",
        Severity::Warning,
        "a blueprint test's outcome depends on a policy the engine has no document for",
    ),
];

/// The metadata of a code; unknown codes get a generic entry.
pub fn rule(code: &str) -> Rule {
    if let Some(d) = crate::checks::docs().iter().find(|d| d.code == code) {
        let severity = crate::checks::check(code).map_or(Severity::Warning, |c| c.severity);
        return Rule {
            id: code.to_string(),
            name: d.name.to_string(),
            short: d.summary.to_string(),
            full: d.what.replace('\n', " "),
            help_markdown: d.markdown(2),
            severity,
        };
    }
    if let Some((id, name, severity, text)) = TEST_CODES.iter().find(|t| t.0 == code) {
        return Rule {
            id: (*id).to_string(),
            name: (*name).to_string(),
            short: (*text).to_string(),
            full: format!(
                "{text}. Every assertion of the blueprint's `tests:` is decided by the policy engine on the compiled organization."
            ),
            help_markdown: format!("## {id} `{name}`\n\n{text}.\n"),
            severity: *severity,
        };
    }
    if let Some(d) = crate::policy::lint::docs(code) {
        return Rule {
            id: code.to_string(),
            name: d.name.to_string(),
            short: d.title.to_string(),
            full: d.doc.to_string(),
            help_markdown: format!("## {code} `{}`: {}\n\n{}\n", d.name, d.title, d.doc),
            severity: d.class.severity(),
        };
    }
    if let Some((_, severity, meaning)) = crate::blueprint::codes::ALL.iter().find(|c| c.0 == code)
    {
        return Rule {
            id: code.to_string(),
            name: code.to_ascii_lowercase(),
            short: (*meaning).to_string(),
            full: (*meaning).to_string(),
            help_markdown: format!("## {code}\n\n{meaning}. See `docs/diagnostics.md`.\n"),
            severity: *severity,
        };
    }
    if let Some((_, severity, meaning)) = compile_codes().iter().find(|c| c.0 == code) {
        return Rule {
            id: code.to_string(),
            name: code.to_ascii_lowercase(),
            short: meaning.clone(),
            full: meaning.clone(),
            help_markdown: format!("## {code}\n\n{meaning}.\n"),
            severity: *severity,
        };
    }
    Rule {
        id: code.to_string(),
        name: code.to_ascii_lowercase(),
        short: format!("landform diagnostic {code}"),
        full: format!("landform diagnostic {code}"),
        help_markdown: format!("## {code}\n"),
        severity: Severity::Warning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_has_metadata() {
        assert_eq!(rule("LF710").name, "region-lock-blocks-global-services");
        assert!(rule("LF710").help_markdown.contains("## What it does"));
        assert_eq!(rule("LF801").severity, Severity::Error);
        assert_eq!(
            rule("PL102").short,
            crate::policy::lint::docs("PL102").unwrap().title
        );
        assert!(rule("LF201").short.contains("unknown target"));
        let lf501 = rule("LF501");
        assert!(lf501.short.contains("5,120"), "{lf501:?}");
        assert_eq!(lf501.severity, Severity::Error);
        assert!(rule("LF999").short.contains("LF999"));
    }
}

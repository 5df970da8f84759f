//! Shell text: quoting, comments, heredocs, and JMESPath literals.
//!
//! Every value a script passes to the aws CLI goes through [`quote`]: the
//! scripts never expand a blueprint value unquoted, and never build shell code
//! from one. Policy documents go through quoted heredocs ([`heredoc`]), whose
//! delimiter is proven absent from the text.

/// Characters that need no quoting anywhere in a bash word (not even at its
/// start: no `~`, `#`, `=`-assignment issues in argument position).
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | '%' | '+' | ':' | ',' | '.' | '/' | '-')
}

/// `s` as one bash word that expands to exactly `s`: unchanged when it only
/// has plain characters, otherwise in single quotes (a `'` becomes `'\''`).
/// Inside single quotes bash gives no character a meaning, so `$(…)`,
/// backticks, `\`, `${…}`, newlines and non-ASCII text stay literal.
pub fn quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(is_plain) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// `text` as shell comment lines (`# …`): one per line of the text, with
/// control characters written as escapes, so no part of it can leave the
/// comment. Empty lines become a bare `#`.
pub fn comment(text: &str) -> String {
    let mut out = String::new();
    for line in text.split('\n') {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push('#');
        let clean = escape_controls(line);
        if !clean.is_empty() {
            out.push(' ');
            out.push_str(&clean);
        }
    }
    out
}

/// `line` with every control character (other than tab) escaped as `\u{…}`.
pub fn escape_controls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if c.is_control() && c != '\t' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A delimiter for a quoted heredoc holding `text`: `base`, or `base_2`,
/// `base_3`… — the first that is not a line of `text`.
pub fn heredoc_delimiter(text: &str, base: &str) -> String {
    let mut delim = base.to_string();
    let mut n = 2;
    while text.split('\n').any(|l| l == delim) {
        delim = format!("{base}_{n}");
        n += 1;
    }
    delim
}

/// `lf_text VAR <<'DELIM'` … `DELIM`: sets shell variable `var` to exactly
/// `text` (which must not contain NUL). The heredoc is quoted, so bash expands
/// nothing in it.
pub fn heredoc(var: &str, text: &str) -> String {
    let delim = heredoc_delimiter(text, "LANDFORM_EOF");
    format!("lf_text {var} <<'{delim}'\n{text}\n{delim}")
}

/// `s` as a JMESPath JSON literal (`` `"…"` ``), for `--query` filters. The
/// string is JSON-encoded with every non-ASCII character as a `\u` escape (so
/// the query is ASCII whatever the locale) and backticks escaped for the
/// literal.
pub fn jmespath_literal(s: &str) -> String {
    let mut json = String::with_capacity(s.len() + 2);
    json.push('"');
    for c in s.chars() {
        match c {
            '"' => json.push_str("\\\""),
            '\\' => json.push_str("\\\\"),
            '`' => json.push_str("\\`"),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    json.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => json.push(c),
        }
    }
    json.push('"');
    format!("`{json}`")
}

/// Prefixes that make the aws CLI read a parameter's value from a file or a
/// URL instead of taking it as written (`file://`, `fileb://`, and in the
/// aws CLI v1 `http://`, `https://`).
pub const PARAMFILE_PREFIXES: &[&str] = &["file://", "fileb://", "http://", "https://"];

/// Whether the aws CLI would not take `value`, given as an option's
/// argument, as it is.
pub fn is_paramfile(value: &str) -> bool {
    PARAMFILE_PREFIXES.iter().any(|p| value.starts_with(p))
}

/// String options of one aws CLI command, as shell words: `(flag, API
/// member, value)` → `--flag=VALUE`, quoted; empty values are left out. The
/// aws CLI reads a value that starts with `file://`, `https://`… from that
/// file or URL, so such values go into one `--cli-input-json` object instead,
/// whose members the CLI takes as written. The words are joined with
/// `separator`.
pub fn options(opts: &[(&str, &str, &str)], separator: &str) -> String {
    let mut words = Vec::new();
    let mut input = serde_json::Map::new();
    for (flag, member, value) in opts {
        if value.is_empty() {
            continue;
        }
        if is_paramfile(value) {
            input.insert(
                (*member).to_string(),
                serde_json::Value::String((*value).to_string()),
            );
        } else {
            words.push(format!("{flag}={}", quote(value)));
        }
    }
    if !input.is_empty() {
        let json = serde_json::Value::Object(input).to_string();
        words.push(format!("--cli-input-json {}", quote(&json)));
    }
    words.join(separator)
}

/// A list of strings (or nulls) as the aws CLI prints it with `--output
/// json` (Python's `json.dumps(…, indent=4, ensure_ascii=False)`, whose
/// string escapes are those of serde_json for strings).
pub fn cli_json_list(items: &[Option<String>]) -> String {
    if items.is_empty() {
        return "[]".to_string();
    }
    let lines: Vec<String> = items
        .iter()
        .map(|i| {
            let v = match i {
                Some(s) => serde_json::Value::String(s.clone()),
                None => serde_json::Value::Null,
            };
            format!("    {v}")
        })
        .collect();
    format!("[\n{}\n]", lines.join(",\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_unquoted() {
        assert_eq!(quote("payments-prod"), "payments-prod");
        assert_eq!(
            quote("arn:aws:iam::aws:policy/ReadOnlyAccess"),
            "arn:aws:iam::aws:policy/ReadOnlyAccess"
        );
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote("~root"), "'~root'");
        assert_eq!(quote("#x"), "'#x'");
    }

    #[test]
    fn comments_cannot_escape() {
        assert_eq!(comment("a\nb"), "# a\n# b");
        assert_eq!(comment("x\n\ny"), "# x\n#\n# y");
        assert_eq!(comment("cr\rtouch pwned"), "# cr\\u{d}touch pwned");
    }

    #[test]
    fn heredoc_delimiters_avoid_the_text() {
        assert_eq!(heredoc_delimiter("{}", "E"), "E");
        assert_eq!(heredoc_delimiter("E\nE_2\n", "E"), "E_3");
        assert_eq!(
            heredoc("doc", "{}"),
            "lf_text doc <<'LANDFORM_EOF'\n{}\nLANDFORM_EOF"
        );
    }

    #[test]
    fn options_route_file_and_url_values_through_json() {
        assert_eq!(
            options(
                &[
                    ("--name", "Name", "a b"),
                    ("--description", "Description", "")
                ],
                " "
            ),
            "--name='a b'"
        );
        assert_eq!(
            options(
                &[
                    ("--name", "Name", "x"),
                    ("--relay-state", "RelayState", "https://e.example/"),
                    ("--description", "Description", "file:///etc/passwd"),
                ],
                " \\\n  "
            ),
            "--name=x \\\n  --cli-input-json '{\"RelayState\":\"https://e.example/\",\"Description\":\"file:///etc/passwd\"}'"
        );
    }

    #[test]
    fn jmespath_literals_are_json_with_escaped_backticks() {
        assert_eq!(jmespath_literal("Prod"), "`\"Prod\"`");
        assert_eq!(jmespath_literal("a`b\\c\"d"), "`\"a\\`b\\\\c\\\"d\"`");
        assert_eq!(jmespath_literal("ü\n"), "`\"\\u00fc\\u000a\"`");
        assert_eq!(jmespath_literal("😀"), "`\"\\ud83d\\ude00\"`");
    }
}

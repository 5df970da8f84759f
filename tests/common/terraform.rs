//! Running real Terraform in tests, and reading the structure of the HCL the
//! renderer writes (to check it against the provider's schema).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use super::tools;

/// The `terraform` binary with a CLI configuration that installs providers
/// from the local mirror only.
#[derive(Debug, Clone)]
pub struct Terraform {
    pub bin: String,
    pub cli_config: String,
}

impl Terraform {
    /// `None` (after a loud skip message, or a panic in CI) when terraform or
    /// the provider mirror is missing.
    pub fn find(test: &str) -> Option<Self> {
        let bin = tools::terraform(test)?;
        let cli_config = tools::tf_cli_config(test)?;
        Some(Self {
            bin: bin.to_string_lossy().into_owned(),
            cli_config: cli_config.to_string_lossy().into_owned(),
        })
    }

    pub fn command(&self, dir: &Path) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.current_dir(dir)
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1")
            .env("NO_COLOR", "1")
            .env_remove("TF_DATA_DIR")
            .env_remove("TF_WORKSPACE");
        cmd
    }

    /// Runs terraform in `dir`; returns the output whatever the exit code.
    pub fn run(&self, dir: &Path, args: &[&str]) -> Output {
        self.command(dir)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.bin))
    }

    /// Runs terraform in `dir` and panics, showing its output, unless it succeeds.
    pub fn ok(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.run(dir, args);
        assert!(
            out.status.success(),
            "`terraform {}` failed in {}:\n{}{}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `terraform init -backend=false`.
    pub fn init(&self, dir: &Path) {
        self.ok(
            dir,
            &["init", "-backend=false", "-input=false", "-no-color"],
        );
    }

    /// The hashicorp/aws provider schema (`terraform providers schema -json`),
    /// read once per test binary.
    pub fn provider_schema(&self) -> &'static serde_json::Value {
        static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            std::fs::write(
                dir.path().join("main.tf"),
                "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\n",
            )
            .expect("write main.tf");
            self.init(dir.path());
            let json = self.ok(dir.path(), &["providers", "schema", "-json"]);
            let all: serde_json::Value = serde_json::from_str(&json).expect("schema json");
            all["provider_schemas"]["registry.terraform.io/hashicorp/aws"].clone()
        })
    }
}

/// Copies the files under `prefix` (e.g. `terraform/`) of a rendered tree into
/// `dest`, keeping their relative paths below the prefix.
pub fn write_files(files: &[landform::render::OutputFile], prefix: &str, dest: &Path) {
    for f in files {
        let Some(rel) = f.path.strip_prefix(prefix) else {
            continue;
        };
        let path = dest.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &f.contents).expect("write");
    }
}

/// The root-module directories (those holding `.tf` files) under `dir`, sorted.
pub fn root_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut has_tf = false;
        for entry in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = entry.path();
            if p.is_dir() && !p.ends_with(".terraform") {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "tf") {
                has_tf = true;
            }
        }
        if has_tf {
            out.push(d);
        }
    }
    out.sort();
    out
}

/// A block of an HCL file as [`scan`] sees it: type, labels, attribute names
/// and nested blocks (values are not parsed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HclBlock {
    pub kind: String,
    pub labels: Vec<String>,
    pub attrs: Vec<String>,
    pub blocks: Vec<HclBlock>,
}

/// Reads the block structure of HCL in `terraform fmt` form: block headers,
/// attribute names, nested blocks. Expression values (multi-line objects,
/// lists, calls, heredocs, strings) are skipped, not parsed.
pub fn scan(text: &str) -> Vec<HclBlock> {
    let mut top = Vec::new();
    let mut stack: Vec<HclBlock> = Vec::new();
    let mut depth = 0i32;
    let mut heredoc: Option<String> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(delim) = &heredoc {
            if t == delim {
                heredoc = None;
            }
            continue;
        }
        if depth > 0 {
            let (net, h) = brackets(t);
            depth += net;
            heredoc = h;
            continue;
        }
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t == "}" {
            let done = stack.pop().expect("unbalanced `}`");
            match stack.last_mut() {
                Some(parent) => parent.blocks.push(done),
                None => top.push(done),
            }
            continue;
        }
        let before_quote = t.split('"').next().unwrap_or("");
        if (t.ends_with('{') || t.ends_with("{}")) && !before_quote.contains('=') {
            let mut words = t.split_whitespace();
            let kind = words.next().unwrap_or_default().to_string();
            let labels = t
                .split('"')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            let block = HclBlock {
                kind,
                labels,
                ..HclBlock::default()
            };
            if t.ends_with("{}") {
                match stack.last_mut() {
                    Some(parent) => parent.blocks.push(block),
                    None => top.push(block),
                }
            } else {
                stack.push(block);
            }
            continue;
        }
        let (name, rest) = t
            .split_once('=')
            .unwrap_or_else(|| panic!("cannot read line `{t}`"));
        stack
            .last_mut()
            .unwrap_or_else(|| panic!("attribute outside a block: `{t}`"))
            .attrs
            .push(name.trim().to_string());
        let (net, h) = brackets(rest);
        depth += net;
        heredoc = h;
    }
    assert!(stack.is_empty(), "unclosed block");
    top
}

/// Net brackets opened on a line outside strings, and the heredoc delimiter
/// if the line starts a heredoc.
fn brackets(s: &str) -> (i32, Option<String>) {
    let mut net = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '(' | '[' | '{' => net += 1,
            ')' | ']' | '}' => net -= 1,
            '<' if chars.peek() == Some(&'<') => {
                chars.next();
                if chars.peek() == Some(&'-') {
                    chars.next();
                }
                let delim: String = chars.by_ref().take_while(|c| !c.is_whitespace()).collect();
                return (net, Some(delim));
            }
            _ => {}
        }
    }
    (net, None)
}

/// Checks every resource, data source and provider block of `blocks` against
/// the provider schema: known types, known argument and block names, no
/// computed-only attributes, every required argument and block present.
/// Returns the problems, and adds every `type.argument` used to `used`.
pub fn check_schema(
    file: &str,
    blocks: &[HclBlock],
    schema: &serde_json::Value,
    used: &mut std::collections::BTreeSet<String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for b in blocks {
        let (what, block_schema) = match (b.kind.as_str(), b.labels.first()) {
            ("resource", Some(t)) => (t.clone(), &schema["resource_schemas"][t]["block"]),
            ("data", Some(t)) => (
                format!("data.{t}"),
                &schema["data_source_schemas"][t]["block"],
            ),
            ("provider", _) => ("provider".to_string(), &schema["provider"]["block"]),
            _ => continue,
        };
        if block_schema.is_null() {
            problems.push(format!("{file}: unknown type `{what}`"));
            continue;
        }
        check_block(file, &what, b, block_schema, true, &mut problems, used);
    }
    problems
}

const META_ARGS: &[&str] = &["depends_on", "count", "for_each", "provider", "alias"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

fn check_block(
    file: &str,
    path: &str,
    block: &HclBlock,
    schema: &serde_json::Value,
    top: bool,
    problems: &mut Vec<String>,
    used: &mut std::collections::BTreeSet<String>,
) {
    let attrs = schema["attributes"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let nested = schema["block_types"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for a in &block.attrs {
        if top && META_ARGS.contains(&a.as_str()) {
            continue;
        }
        match attrs.get(a) {
            None => problems.push(format!("{file}: `{path}` has no argument `{a}`")),
            Some(s) => {
                used.insert(format!("{path}.{a}"));
                let settable = s["required"].as_bool().unwrap_or(false)
                    || s["optional"].as_bool().unwrap_or(false);
                if !settable {
                    problems.push(format!("{file}: `{path}.{a}` is computed only"));
                }
            }
        }
    }
    for (name, s) in &attrs {
        if s["required"].as_bool().unwrap_or(false) && !block.attrs.contains(name) {
            problems.push(format!("{file}: `{path}` lacks required argument `{name}`"));
        }
    }
    for b in &block.blocks {
        if top && META_BLOCKS.contains(&b.kind.as_str()) {
            continue;
        }
        match nested.get(&b.kind) {
            None => problems.push(format!("{file}: `{path}` has no block `{}`", b.kind)),
            Some(s) => {
                let sub = format!("{path}.{}", b.kind);
                used.insert(sub.clone());
                check_block(file, &sub, b, &s["block"], false, problems, used);
            }
        }
    }
    for (name, s) in &nested {
        let min = s["min_items"].as_u64().unwrap_or(0);
        let count = block.blocks.iter().filter(|b| &b.kind == name).count() as u64;
        if count < min {
            problems.push(format!(
                "{file}: `{path}` needs at least {min} `{name}` block(s)"
            ));
        }
    }
}

/// The test-only override file for a rendered root: test credentials, the
/// emulator's endpoints, and no credential or metadata lookups, for every
/// provider configuration the root declares (the default one and, in account
/// roots, the `management` alias). Never part of the rendered code.
pub fn emulator_override(root: &Path, session: &super::emulator::Session) -> String {
    let providers = std::fs::read_to_string(root.join("providers.tf")).unwrap_or_default();
    let mut aliases = vec![None];
    if providers.contains("alias  = \"management\"") {
        aliases.push(Some("management"));
    }
    let url = session.url();
    let mut out = String::from("# written by the test: point the providers at the emulator\n");
    for alias in aliases {
        out.push_str("\nprovider \"aws\" {\n");
        if let Some(a) = alias {
            out.push_str(&format!("  alias = \"{a}\"\n"));
        }
        out.push_str(&format!(
            "  region                      = \"{}\"\n  \
             access_key                  = \"testing\"\n  \
             secret_key                  = \"testing\"\n  \
             skip_credentials_validation = true\n  \
             skip_metadata_api_check     = true\n  \
             skip_region_validation      = true\n\n  \
             endpoints {{\n    \
             iam           = \"{url}\"\n    \
             identitystore = \"{url}\"\n    \
             organizations = \"{url}\"\n    \
             ssoadmin      = \"{url}\"\n    \
             sts           = \"{url}\"\n  \
             }}\n}}\n",
            session.region()
        ));
    }
    out
}

impl Terraform {
    /// Runs terraform in `dir` against the emulator (its environment, none of
    /// the developer's `AWS_*` variables); returns the output.
    pub fn run_on(&self, session: &super::emulator::Session, dir: &Path, args: &[&str]) -> Output {
        let mut cmd = self.command(dir);
        session.apply_env(&mut cmd);
        cmd.args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.bin))
    }

    /// Like [`Terraform::run_on`], panicking with the output unless it succeeds.
    pub fn ok_on(&self, session: &super::emulator::Session, dir: &Path, args: &[&str]) -> String {
        let out = self.run_on(session, dir, args);
        assert!(
            out.status.success(),
            "`terraform {}` failed in {}:\n{}{}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `terraform plan -detailed-exitcode` must report no changes.
    pub fn assert_no_changes(&self, session: &super::emulator::Session, dir: &Path) {
        let out = self.run_on(
            session,
            dir,
            &["plan", "-detailed-exitcode", "-input=false", "-no-color"],
        );
        assert!(
            out.status.code() == Some(0),
            "`terraform plan` in {} does not report \"no changes\" (exit {:?}):\n{}{}",
            dir.display(),
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A JSON document in one canonical form: parsed and serialized again the way
/// Go's `encoding/json` does (object keys sorted, no whitespace; `<`, `>`,
/// `&`, U+2028, U+2029 and control characters other than `\n`, `\r`, `\t`
/// escaped as `\uXXXX`). This is exactly what the hashicorp/aws provider sends
/// for `aws_iam_policy` and `aws_iam_role` documents
/// (`structure.NormalizeJsonString`); other IAM resources re-serialize with a
/// different key order, so tests compare IAM documents in this form on both
/// sides: as JSON values, every string still exact.
pub fn canonical_json(text: &str) -> String {
    fn write(v: &serde_json::Value, out: &mut String) {
        use serde_json::Value;
        match v {
            Value::Null | Value::Bool(_) | Value::Number(_) => out.push_str(&v.to_string()),
            Value::String(s) => {
                out.push('"');
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                            out.push_str(&format!("\\u{:04x}", c as u32));
                        }
                        c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, out);
                }
                out.push(']');
            }
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(&Value::String(k.clone()), out);
                    out.push(':');
                    write(&map[k], out);
                }
                out.push('}');
            }
        }
    }
    let value: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    let mut out = String::new();
    write(&value, &mut out);
    out
}

//! Self-contained simulation requests (the `landform simulate` contract,
//! `contracts/simulate-request.md`): one JSON object carrying the request and
//! every policy, decoded into a [`Request`] and a [`PolicySet`].
//!
//! Decoding is built for batches: policy documents are kept as raw JSON text
//! and compiled once per distinct text ([`Simulator`] caches them), so a batch
//! that repeats policies parses each only once. Errors name the field.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::eval::{
    CompiledPolicy, Context, Level, PolicyRef, PolicySet, Principal, Request, evaluate, explain,
};
use super::fxhash::FxHasher;
use super::json;
use super::parse::policy_from_tree;
use super::scan;

/// A request that cannot be used: what is wrong, naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    pub message: String,
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RequestError {}

fn err(message: impl Into<String>) -> RequestError {
    RequestError {
        message: message.into(),
    }
}

/// A decoded request, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The input's `id`, as raw JSON text (echoed in batch output).
    pub id: Option<String>,
    pub request: Request,
    pub policies: PolicySet,
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The raw texts of a request's policy documents.
struct Raw<'a> {
    identity: Option<Vec<&'a str>>,
    session: Option<&'a str>,
    boundary: Option<Vec<&'a str>>,
    scp_levels: Option<Vec<Vec<&'a str>>>,
    rcp_levels: Option<Vec<Vec<&'a str>>>,
    resource: Option<&'a str>,
    vpc_endpoint: Option<Vec<&'a str>>,
}

/// Decodes requests, compiling each distinct policy text once.
#[derive(Default)]
pub struct Simulator {
    cache: FxMap<Box<str>, Arc<CompiledPolicy>>,
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    request: RequestIn<'a>,
    #[serde(borrow, default)]
    identity_policies: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    session_policy: Option<&'a RawValue>,
    #[serde(borrow, default)]
    permission_boundaries: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    scp_levels: Option<Vec<Vec<&'a RawValue>>>,
    #[serde(borrow, default)]
    rcp_levels: Option<Vec<Vec<&'a RawValue>>>,
    #[serde(borrow, default)]
    resource_policy: Option<&'a RawValue>,
    #[serde(borrow, default)]
    vpc_endpoint_policies: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct RequestIn<'a> {
    principal: PrincipalIn,
    #[serde(borrow)]
    action: Cow<'a, str>,
    #[serde(borrow)]
    resource: Cow<'a, str>,
    #[serde(borrow, default)]
    resource_account: Option<Cow<'a, str>>,
    #[serde(default)]
    context: Option<ContextIn>,
}

struct PrincipalIn(Principal);

impl<'de> Deserialize<'de> for PrincipalIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PrincipalIn;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an ARN string or {\"type\": \"Anonymous\"}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PrincipalIn, E> {
                Ok(PrincipalIn(Principal::parse(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<PrincipalIn, A::Error> {
                let mut anonymous = false;
                while let Some(k) = m.next_key::<Cow<'de, str>>()? {
                    if k == "type" {
                        let t: Cow<'de, str> = m.next_value()?;
                        anonymous = t == "Anonymous";
                        if !anonymous {
                            return Err(de::Error::custom(format!(
                                "unknown principal type `{t}` (only `Anonymous` is an object)"
                            )));
                        }
                    } else {
                        m.next_value::<de::IgnoredAny>()?;
                    }
                }
                if anonymous {
                    Ok(PrincipalIn(Principal::anonymous()))
                } else {
                    Err(de::Error::custom(
                        "a principal object needs `\"type\": \"Anonymous\"`",
                    ))
                }
            }
        }
        d.deserialize_any(V)
    }
}

struct ContextIn(Context);

/// A context value: a string, or a list of strings (numbers and booleans are
/// read as their text).
struct ValuesIn(Vec<String>);

impl<'de> Deserialize<'de> for ValuesIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ValuesIn;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ValuesIn, E> {
                Ok(ValuesIn(vec![v.to_string()]))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ValuesIn, E> {
                Ok(ValuesIn(vec![v.to_string()]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ValuesIn, E> {
                Ok(ValuesIn(vec![v.to_string()]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ValuesIn, E> {
                Ok(ValuesIn(vec![v.to_string()]))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ValuesIn, E> {
                Ok(ValuesIn(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<ValuesIn, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = s.next_element::<Scalar>()? {
                    out.push(v.0);
                }
                Ok(ValuesIn(out))
            }
        }
        d.deserialize_any(V)
    }
}

struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match ValuesIn::deserialize(d)?.0 {
            v if v.len() == 1 => Ok(Scalar(v.into_iter().next().unwrap_or_default())),
            _ => Err(de::Error::custom("a list of strings cannot contain a list")),
        }
    }
}

impl<'de> Deserialize<'de> for ContextIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ContextIn;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of context keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<ContextIn, A::Error> {
                let mut ctx = Context::new();
                while let Some(k) = m.next_key::<Cow<'de, str>>()? {
                    let v: ValuesIn = m.next_value()?;
                    ctx.insert(k.into_owned(), v.0);
                }
                Ok(ContextIn(ctx))
            }
        }
        d.deserialize_map(V)
    }
}

impl Simulator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of distinct policy texts compiled so far.
    pub fn cached_policies(&self) -> usize {
        self.cache.len()
    }

    /// Decodes one request object (a line of a batch, or a request file).
    pub fn load(&mut self, text: &str) -> Result<Loaded, RequestError> {
        if let Some(f) = scan::scan(text)
            && let (Some(principal), Some(action), Some(resource)) =
                (f.principal, f.action, f.resource)
        {
            let mut ctx = Context::new();
            for (k, vals) in &f.context {
                ctx.insert(*k, vals.iter().map(|v| (*v).to_string()).collect());
            }
            let principal = principal.map_or_else(Principal::anonymous, Principal::parse);
            let request = Request::new(
                principal,
                action,
                resource,
                f.resource_account.map(str::to_string),
                ctx,
            );
            let raw = Raw {
                identity: f.identity,
                session: f.session,
                boundary: f.boundary,
                scp_levels: f.scp_levels,
                rcp_levels: f.rcp_levels,
                resource: f.resource_policy,
                vpc_endpoint: f.vpc_endpoint,
            };
            let policies = self.policies(raw)?;
            return Ok(Loaded {
                id: f.id.map(str::to_string),
                request,
                policies,
            });
        }
        let line: Line<'_> = match serde_json::from_str(text) {
            Ok(l) => l,
            Err(e) => return Err(explain_bad_request(text, &e)),
        };
        let id = line.id.map(|r| r.get().to_string());
        let req = line.request;
        let ctx = req.context.map(|c| c.0).unwrap_or_default();
        let request = Request::new(
            req.principal.0,
            req.action.into_owned(),
            req.resource.into_owned(),
            req.resource_account.map(Cow::into_owned),
            ctx,
        );
        fn list(l: Option<Vec<&RawValue>>) -> Option<Vec<&str>> {
            l.map(|v| v.into_iter().map(RawValue::get).collect())
        }
        fn levels(l: Option<Vec<Vec<&RawValue>>>) -> Option<Vec<Vec<&str>>> {
            l.map(|v| {
                v.into_iter()
                    .map(|level| level.into_iter().map(RawValue::get).collect())
                    .collect()
            })
        }
        let raw = Raw {
            identity: list(line.identity_policies),
            session: line.session_policy.map(RawValue::get),
            boundary: list(line.permission_boundaries),
            scp_levels: levels(line.scp_levels),
            rcp_levels: levels(line.rcp_levels),
            resource: line.resource_policy.map(RawValue::get),
            vpc_endpoint: list(line.vpc_endpoint_policies),
        };
        let policies = self.policies(raw)?;
        Ok(Loaded {
            id,
            request,
            policies,
        })
    }

    fn policies(&mut self, raw: Raw<'_>) -> Result<PolicySet, RequestError> {
        let mut policies = PolicySet::default();
        if let Some(list) = raw.identity {
            policies.identity = list
                .iter()
                .enumerate()
                .map(|(i, text)| self.policy(text, || format!("identity_policies[{i}]")))
                .collect::<Result<_, _>>()?;
        }
        if let Some(text) = raw.session {
            policies.session = Some(self.policy(text, || "session_policy".into())?);
        }
        if let Some(list) = raw.boundary {
            policies.boundary = Some(
                list.iter()
                    .enumerate()
                    .map(|(i, text)| self.policy(text, || format!("permission_boundaries[{i}]")))
                    .collect::<Result<_, _>>()?,
            );
        }
        if let Some(levels) = raw.scp_levels {
            policies.scp_levels = Some(self.levels(&levels, "scp_levels")?);
        }
        if let Some(levels) = raw.rcp_levels {
            policies.rcp_levels = Some(self.levels(&levels, "rcp_levels")?);
        }
        if let Some(text) = raw.resource {
            policies.resource = Some(self.policy(text, || "resource_policy".into())?);
        }
        if let Some(list) = raw.vpc_endpoint {
            policies.vpc_endpoint = Some(
                list.iter()
                    .enumerate()
                    .map(|(i, text)| self.policy(text, || format!("vpc_endpoint_policies[{i}]")))
                    .collect::<Result<_, _>>()?,
            );
        }
        Ok(policies)
    }

    fn levels(&mut self, levels: &[Vec<&str>], field: &str) -> Result<Vec<Level>, RequestError> {
        levels
            .iter()
            .enumerate()
            .map(|(li, level)| {
                Ok(Level {
                    label: None,
                    policies: level
                        .iter()
                        .enumerate()
                        .map(|(pi, raw)| self.policy(raw, || format!("{field}[{li}][{pi}]")))
                        .collect::<Result<_, _>>()?,
                })
            })
            .collect()
    }

    fn policy(
        &mut self,
        text: &str,
        field: impl Fn() -> String,
    ) -> Result<PolicyRef, RequestError> {
        if let Some(p) = self.cache.get(text) {
            return Ok(PolicyRef::new(Arc::clone(p)));
        }
        let tree = json::parse(text).map_err(|e| err(format!("`{}`: {}", field(), e.message)))?;
        if let json::Value::Null = tree.value {
            return Err(err(format!(
                "`{}`: expected a policy document, found null",
                field()
            )));
        }
        let policy = policy_from_tree(&tree).map_err(|mut e| {
            e.locate(text);
            for x in &mut e.errors {
                x.line_col = None;
            }
            err(format!("`{}` is not a valid policy: {e}", field()))
        })?;
        let compiled = Arc::new(CompiledPolicy::compile(&policy));
        self.cache.insert(text.into(), Arc::clone(&compiled));
        Ok(PolicyRef::new(compiled))
    }
}

/// A readable message for a request that did not decode: names the field.
fn explain_bad_request(text: &str, e: &serde_json::Error) -> RequestError {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => {
            return err(format!(
                "not valid JSON at line {}, column {}: {}",
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            ));
        }
    };
    if let Some(problem) = validate(&value) {
        return err(problem);
    }
    err(strip_position(&e.to_string()))
}

fn strip_position(s: &str) -> String {
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Finds the first structural problem in a request, naming the field.
fn validate(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value as J;
    let Some(top) = v.as_object() else {
        return Some(format!(
            "a request must be a JSON object, found {}",
            kind(v)
        ));
    };
    let Some(req) = top.get("request") else {
        return Some("missing field `request`".into());
    };
    let Some(r) = req.as_object() else {
        return Some(format!("`request` must be an object, found {}", kind(req)));
    };
    match r.get("principal") {
        None => return Some("missing field `request.principal`".into()),
        Some(J::String(_)) => {}
        Some(J::Object(o)) if o.get("type").and_then(J::as_str) == Some("Anonymous") => {}
        Some(p) => {
            return Some(format!(
                "`request.principal` must be an ARN string or {{\"type\": \"Anonymous\"}}, found {}",
                kind(p)
            ));
        }
    }
    for f in ["action", "resource"] {
        match r.get(f) {
            None => return Some(format!("missing field `request.{f}`")),
            Some(J::String(_)) => {}
            Some(x) => return Some(format!("`request.{f}` must be a string, found {}", kind(x))),
        }
    }
    match r.get("resource_account") {
        None | Some(J::Null | J::String(_)) => {}
        Some(x) => {
            return Some(format!(
                "`request.resource_account` must be a string, found {}",
                kind(x)
            ));
        }
    }
    match r.get("context") {
        None | Some(J::Null) => {}
        Some(J::Object(o)) => {
            for (k, val) in o {
                let ok = match val {
                    J::String(_) | J::Bool(_) | J::Number(_) => true,
                    J::Array(items) => items
                        .iter()
                        .all(|i| matches!(i, J::String(_) | J::Bool(_) | J::Number(_))),
                    _ => false,
                };
                if !ok {
                    return Some(format!(
                        "`request.context.{k}` must be a string or a list of strings, found {}",
                        kind(val)
                    ));
                }
            }
        }
        Some(x) => {
            return Some(format!(
                "`request.context` must be an object, found {}",
                kind(x)
            ));
        }
    }
    let doc = |field: &str, x: &J| -> Option<String> {
        (!x.is_object()).then(|| {
            format!(
                "`{field}` must be a policy document (an object), found {}",
                kind(x)
            )
        })
    };
    let list = |field: &str| -> Option<String> {
        match top.get(field) {
            None | Some(J::Null) => None,
            Some(J::Array(items)) => items
                .iter()
                .enumerate()
                .find_map(|(i, x)| doc(&format!("{field}[{i}]"), x)),
            Some(x) => Some(format!(
                "`{field}` must be a list of policy documents, found {}",
                kind(x)
            )),
        }
    };
    for f in [
        "identity_policies",
        "permission_boundaries",
        "vpc_endpoint_policies",
    ] {
        if let Some(p) = list(f) {
            return Some(p);
        }
    }
    for f in ["session_policy", "resource_policy"] {
        match top.get(f) {
            None | Some(J::Null) => {}
            Some(x) => {
                if let Some(p) = doc(f, x) {
                    return Some(p);
                }
            }
        }
    }
    for f in ["scp_levels", "rcp_levels"] {
        match top.get(f) {
            None | Some(J::Null) => {}
            Some(J::Array(levels)) => {
                for (li, level) in levels.iter().enumerate() {
                    let J::Array(items) = level else {
                        return Some(format!(
                            "`{f}[{li}]` must be a list of policy documents, found {}",
                            kind(level)
                        ));
                    };
                    for (pi, x) in items.iter().enumerate() {
                        if let Some(p) = doc(&format!("{f}[{li}][{pi}]"), x) {
                            return Some(p);
                        }
                    }
                }
            }
            Some(x) => return Some(format!("`{f}` must be a list of levels, found {}", kind(x))),
        }
    }
    None
}

/// Output of [`run_batch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchFormat {
    /// `{"id": …, "decision": …}` or `{"id": …, "error": …}` per line.
    Json,
    /// `id: decision: explanation` per line.
    Human,
}

/// Appends `s` as a JSON string literal.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// Decides one batch line and appends its output line.
fn batch_line(sim: &mut Simulator, line: &str, format: BatchFormat, out: &mut Vec<u8>) {
    match sim.load(line) {
        Ok(loaded) => match format {
            BatchFormat::Json => {
                out.push(b'{');
                if let Some(id) = &loaded.id {
                    out.extend_from_slice(b"\"id\":");
                    out.extend_from_slice(id.as_bytes());
                    out.push(b',');
                }
                out.extend_from_slice(b"\"decision\":\"");
                out.extend_from_slice(
                    evaluate(&loaded.policies, &loaded.request)
                        .as_str()
                        .as_bytes(),
                );
                out.extend_from_slice(b"\"}\n");
            }
            BatchFormat::Human => {
                let e = explain(&loaded.policies, &loaded.request);
                let id = loaded.id.as_deref().unwrap_or("-");
                out.extend_from_slice(
                    format!("{id}: {}: {}\n", e.decision.as_str(), e.explanation.message)
                        .as_bytes(),
                );
            }
        },
        Err(e) => match format {
            BatchFormat::Json => {
                out.push(b'{');
                if let Some(id) = salvage_id(line) {
                    out.extend_from_slice(b"\"id\":");
                    out.extend_from_slice(id.as_bytes());
                    out.push(b',');
                }
                out.extend_from_slice(b"\"error\":");
                push_json_str(out, &e.message);
                out.extend_from_slice(b"}\n");
            }
            BatchFormat::Human => {
                let id = salvage_id(line).unwrap_or_else(|| "-".into());
                out.extend_from_slice(format!("{id}: error: {}\n", e.message).as_bytes());
            }
        },
    }
}

/// Decides one raw input line (bytes, possibly not UTF-8) into `out`.
fn batch_bytes(sim: &mut Simulator, line: &[u8], format: BatchFormat, out: &mut Vec<u8>) {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    match std::str::from_utf8(line) {
        Ok(text) => batch_line(sim, text, format, out),
        Err(_) => match format {
            BatchFormat::Json => {
                out.extend_from_slice(b"{\"error\":\"the line is not valid UTF-8\"}\n")
            }
            BatchFormat::Human => out.extend_from_slice(b"-: error: the line is not valid UTF-8\n"),
        },
    }
}

/// A block of input lines: the bytes and where each line ends.
#[derive(Default)]
struct Block {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Block {
    fn lines(&self) -> impl Iterator<Item = &[u8]> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let line = &self.bytes[start..end];
            start = end;
            line
        })
    }
}

/// Reads up to `max` lines (or about 2 MB) into `block`; returns the number read.
fn read_block(
    input: &mut impl std::io::BufRead,
    block: &mut Block,
    max: usize,
) -> std::io::Result<usize> {
    block.bytes.clear();
    block.ends.clear();
    while block.ends.len() < max && block.bytes.len() < 2 << 20 {
        if input.read_until(b'\n', &mut block.bytes)? == 0 {
            break;
        }
        block.ends.push(block.bytes.len());
    }
    Ok(block.ends.len())
}

/// Decides every line of a JSON-lines batch read from `input` (blank lines
/// are skipped) and writes one output line per request, in input order.
/// Input is streamed in blocks. With `threads > 1`, blocks are decided on
/// that many worker threads, each with its own policy cache, while this
/// thread reads and writes.
pub fn run_batch(
    mut input: impl std::io::BufRead,
    format: BatchFormat,
    threads: usize,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    const BLOCK: usize = 2048;
    let n = threads.max(1);
    if n == 1 {
        let mut block = Block::default();
        let mut sim = Simulator::new();
        let mut buf = Vec::with_capacity(1 << 16);
        loop {
            if read_block(&mut input, &mut block, BLOCK)? == 0 {
                break;
            }
            for line in block.lines() {
                batch_bytes(&mut sim, line, format, &mut buf);
            }
            out.write_all(&buf)?;
            buf.clear();
        }
        return Ok(());
    }
    use std::collections::BTreeMap;
    use std::sync::mpsc;
    use std::sync::{Arc as SArc, Mutex};
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, Block)>(2 * n);
    let job_rx = SArc::new(Mutex::new(job_rx));
    let (done_tx, done_rx) = mpsc::channel::<(usize, Vec<u8>)>();
    std::thread::scope(|s| -> std::io::Result<()> {
        for _ in 0..n {
            let job_rx = SArc::clone(&job_rx);
            let done_tx = done_tx.clone();
            s.spawn(move || {
                let mut sim = Simulator::new();
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, block)) = job else { return };
                    let mut buf = Vec::with_capacity(block.bytes.len() / 8);
                    for line in block.lines() {
                        batch_bytes(&mut sim, line, format, &mut buf);
                    }
                    if done_tx.send((seq, buf)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut pending: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
        let mut next_out = 0usize;
        let mut flush = |pending: &mut BTreeMap<usize, Vec<u8>>,
                         out: &mut dyn std::io::Write|
         -> std::io::Result<()> {
            while let Some(buf) = pending.remove(&next_out) {
                out.write_all(&buf)?;
                next_out += 1;
            }
            Ok(())
        };
        let mut seq = 0usize;
        loop {
            let mut block = Block::default();
            if read_block(&mut input, &mut block, BLOCK)? == 0 {
                break;
            }
            if job_tx.send((seq, block)).is_err() {
                return Err(std::io::Error::other("a batch worker thread failed"));
            }
            seq += 1;
            while let Ok((i, buf)) = done_rx.try_recv() {
                pending.insert(i, buf);
            }
            flush(&mut pending, out)?;
        }
        drop(job_tx);
        for (i, buf) in done_rx.iter() {
            pending.insert(i, buf);
            flush(&mut pending, out)?;
        }
        flush(&mut pending, out)?;
        if !pending.is_empty() || next_out != seq {
            return Err(std::io::Error::other("a batch worker thread failed"));
        }
        Ok(())
    })
}

/// The `id` of a line that could not be decoded, if it can be found (raw JSON).
pub fn salvage_id(text: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly<'a> {
        #[serde(borrow, default)]
        id: Option<&'a RawValue>,
    }
    serde_json::from_str::<IdOnly<'_>>(text)
        .ok()
        .and_then(|x| x.id.map(|r| r.get().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::eval::{Decision, evaluate};

    #[test]
    fn loads_and_caches() {
        let line = r#"{"id": 7, "request": {"principal": "arn:aws:iam::111111111111:user/a", "action": "s3:GetObject",
            "resource": "arn:aws:s3:::b/k", "resource_account": "111111111111", "context": {"k": ["a", 1, true]}},
            "identity_policies": [{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}],
            "extra": "ignored"}"#;
        let mut sim = Simulator::new();
        let l = sim.load(line).unwrap();
        assert_eq!(l.id.as_deref(), Some("7"));
        assert_eq!(evaluate(&l.policies, &l.request), Decision::Allow);
        sim.load(line).unwrap();
        assert_eq!(sim.cached_policies(), 1);
    }

    #[test]
    fn errors_name_the_field() {
        let mut sim = Simulator::new();
        let cases = [
            ("[1]", "a request must be a JSON object"),
            ("{}", "missing field `request`"),
            (
                r#"{"request": {"action": "a", "resource": "*"}}"#,
                "`request.principal`",
            ),
            (
                r#"{"request": {"principal": "p", "action": 5, "resource": "*"}}"#,
                "`request.action` must be a string",
            ),
            (
                r#"{"request": {"principal": {"type": "Bob"}, "action": "a", "resource": "*"}}"#,
                "`request.principal`",
            ),
            (
                r#"{"request": {"principal": "p", "action": "a", "resource": "*", "context": {"k": {}}}}"#,
                "`request.context.k`",
            ),
            (
                r#"{"request": {"principal": "p", "action": "a", "resource": "*"}, "scp_levels": [{}]}"#,
                "`scp_levels[0]`",
            ),
            (
                r#"{"request": {"principal": "p", "action": "a", "resource": "*"}, "identity_policies": [{"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}}]}"#,
                "`identity_policies[0]` is not a valid policy: `Statement.Effect`: `allow` is not an effect",
            ),
            (
                r#"{"request": {"principal": "p", "action": "a", "resource": "*"}, "resource_policy": 3}"#,
                "`resource_policy` is not a valid policy",
            ),
            ("{not json", "not valid JSON at line 1"),
        ];
        for (text, needle) in cases {
            let e = sim.load(text).unwrap_err();
            assert!(e.message.contains(needle), "{text}: {}", e.message);
        }
        assert_eq!(
            salvage_id(r#"{"id": "x", "request": 1}"#).as_deref(),
            Some("\"x\"")
        );
    }
}

//! A tiny client for the AWS wire protocols, for reading state back from the
//! emulator: JSON 1.1 (organizations, sso-admin, identitystore) and query/XML
//! (IAM, STS), over plain HTTP/1.1 to `127.0.0.1`.
//!
//! Why not the aws CLI: each CLI call costs ~0.6 s of Python start-up (a full
//! read-back makes ~100 calls), and the CLI re-serializes IAM policy documents
//! (botocore URL-decodes and parses them), so it cannot show whether a
//! document arrived byte for byte. moto does not check signatures; it takes the
//! account from the access key in the `Authorization` header's credential
//! scope and the service from its service part, so requests carry an unsigned
//! header of that shape.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::{Value, json};

/// Who is calling: moto maps the access key to an account (any unknown key is
/// the management account `123456789012`; keys from `AssumeRole` map to the
/// role's account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl Credentials {
    /// The static test credentials of the management account.
    pub fn test() -> Self {
        Self {
            access_key_id: "testing".into(),
            secret_access_key: "testing".into(),
            session_token: None,
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub status: u16,
    /// The error code (`NoSuchEntity`, `ResourceNotFoundException`, …) when
    /// the body names one.
    pub code: String,
    pub body: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {} {}: {}", self.status, self.code, self.body)
    }
}

/// A raw API client bound to an endpoint, a region and credentials.
#[derive(Debug, Clone)]
pub struct Api {
    /// `host:port`.
    addr: String,
    region: String,
    creds: Credentials,
}

impl Api {
    /// `url` like `http://127.0.0.1:5000`.
    pub fn new(url: &str, region: &str, creds: Credentials) -> Self {
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        Self {
            addr,
            region: region.to_string(),
            creds,
        }
    }

    pub fn with_credentials(&self, creds: Credentials) -> Self {
        Self {
            creds,
            ..self.clone()
        }
    }

    fn auth_headers(&self, signing_name: &str) -> Vec<(String, String)> {
        let mut h = vec![(
            "Authorization".to_string(),
            format!(
                "AWS4-HMAC-SHA256 Credential={}/20240101/{}/{signing_name}/aws4_request, SignedHeaders=host, Signature=0",
                self.creds.access_key_id, self.region
            ),
        )];
        if let Some(t) = &self.creds.session_token {
            h.push(("X-Amz-Security-Token".to_string(), t.clone()));
        }
        h
    }

    /// One JSON 1.1 call: `target` like `AWSOrganizationsV20161128.ListRoots`.
    pub fn json(&self, signing_name: &str, target: &str, body: &Value) -> Result<Value, ApiError> {
        let mut headers = self.auth_headers(signing_name);
        headers.push(("X-Amz-Target".into(), target.into()));
        headers.push(("Content-Type".into(), "application/x-amz-json-1.1".into()));
        let (status, text) = http_post(&self.addr, "/", &headers, body.to_string().as_bytes())
            .map_err(|e| ApiError {
                status: 0,
                code: "ConnectionError".into(),
                body: e.to_string(),
            })?;
        if status != 200 {
            let code = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v.get("__type").and_then(Value::as_str).map(String::from))
                .map(|t| t.rsplit('#').next().unwrap_or(&t).to_string())
                .unwrap_or_default();
            return Err(ApiError {
                status,
                code,
                body: text,
            });
        }
        if text.trim().is_empty() {
            return Ok(json!({}));
        }
        serde_json::from_str(&text).map_err(|e| ApiError {
            status,
            code: "BadJson".into(),
            body: format!("{e}: {text}"),
        })
    }

    /// A paginated JSON call: follows `NextToken` and concatenates the arrays
    /// under `list_key`.
    pub fn json_all(
        &self,
        signing_name: &str,
        target: &str,
        body: &Value,
        list_key: &str,
    ) -> Result<Vec<Value>, ApiError> {
        let mut out = Vec::new();
        let mut body = body.clone();
        loop {
            let page = self.json(signing_name, target, &body)?;
            if let Some(items) = page.get(list_key).and_then(Value::as_array) {
                out.extend(items.iter().cloned());
            }
            match page.get("NextToken").and_then(Value::as_str) {
                Some(t) if !t.is_empty() => body["NextToken"] = json!(t),
                _ => return Ok(out),
            }
        }
    }

    /// One query-protocol call (IAM: `service` = `iam`, version `2010-05-08`).
    pub fn query(
        &self,
        service: &str,
        version: &str,
        action: &str,
        params: &[(&str, &str)],
    ) -> Result<Element, ApiError> {
        let mut body = format!("Action={}&Version={}", enc(action), enc(version));
        for (k, v) in params {
            body.push('&');
            body.push_str(&enc(k));
            body.push('=');
            body.push_str(&enc(v));
        }
        let mut headers = self.auth_headers(service);
        headers.push((
            "Content-Type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        ));
        let (status, text) =
            http_post(&self.addr, "/", &headers, body.as_bytes()).map_err(|e| ApiError {
                status: 0,
                code: "ConnectionError".into(),
                body: e.to_string(),
            })?;
        let parsed = parse_xml(&text);
        if status != 200 {
            let code = parsed
                .as_ref()
                .and_then(|x| x.find("Code"))
                .map(|c| c.text.clone())
                .unwrap_or_default();
            return Err(ApiError {
                status,
                code,
                body: text,
            });
        }
        parsed.ok_or_else(|| ApiError {
            status,
            code: "BadXml".into(),
            body: text,
        })
    }

    /// An IAM call.
    pub fn iam(&self, action: &str, params: &[(&str, &str)]) -> Result<Element, ApiError> {
        self.query("iam", "2010-05-08", action, params)
    }

    /// A paginated IAM list call: follows `Marker`/`IsTruncated` and collects
    /// the `member` elements of `list_tag` (e.g. `Roles`).
    pub fn iam_all(
        &self,
        action: &str,
        params: &[(&str, &str)],
        list_tag: &str,
    ) -> Result<Vec<Element>, ApiError> {
        let mut out = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let mut p: Vec<(&str, &str)> = params.to_vec();
            if let Some(m) = &marker {
                p.push(("Marker", m));
            }
            let resp = self.iam(action, &p)?;
            if let Some(list) = resp.find(list_tag) {
                out.extend(list.children_named("member").cloned());
            }
            let truncated = resp.find("IsTruncated").is_some_and(|e| e.text == "true");
            marker = resp.find("Marker").map(|e| e.text.clone());
            if !truncated || marker.is_none() {
                return Ok(out);
            }
        }
    }

    /// `sts:AssumeRole`; returns the temporary credentials.
    pub fn assume_role(&self, role_arn: &str, session: &str) -> Result<Credentials, ApiError> {
        let resp = self.query(
            "sts",
            "2011-06-15",
            "AssumeRole",
            &[("RoleArn", role_arn), ("RoleSessionName", session)],
        )?;
        let get = |tag: &str| resp.find(tag).map(|e| e.text.clone()).unwrap_or_default();
        Ok(Credentials {
            access_key_id: get("AccessKeyId"),
            secret_access_key: get("SecretAccessKey"),
            session_token: Some(get("SessionToken")),
        })
    }
}

/// Percent-encodes for `application/x-www-form-urlencoded` (RFC 3986 unreserved
/// characters stay).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decodes (`+` stays `+`: IAM documents are encoded with `%20`).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// IAM returns policy documents URL-encoded (AWS always; moto only in some
/// calls, e.g. `GetRole`, not `GetPolicyVersion`). A raw JSON document starts
/// with `{`, and an encoded one cannot contain a literal `{`, so decode only
/// when the text does not start with one.
pub fn iam_document(text: &str) -> String {
    if text.trim_start().starts_with('{') {
        text.to_string()
    } else {
        percent_decode(text)
    }
}

/// POST `body` to `http://addr/path`; returns the status and the body text.
pub fn http_post(
    addr: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    http_request(addr, "POST", path, headers, body)
}

/// One HTTP/1.1 request with `Connection: close`.
pub fn http_request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr)?;
    // generous: a reset after a large test reloads every account's IAM, slow on a busy machine
    stream.set_read_timeout(Some(Duration::from_secs(180)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of HTTP headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut payload = raw[split + 4..].to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    if chunked {
        payload = dechunk(&payload);
    }
    Ok((status, String::from_utf8_lossy(&payload).into_owned()))
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .unwrap_or(0);
        if size == 0 || data.len() < eol + 2 + size {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[(eol + 4 + size).min(data.len())..];
    }
}

/// An XML element: enough for AWS query-protocol responses (no attributes
/// kept, no mixed content).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub children: Vec<Element>,
    /// The unescaped text content (for leaf elements).
    pub text: String,
}

impl Element {
    /// The first descendant (depth-first, including self) named `name`.
    pub fn find(&self, name: &str) -> Option<&Element> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }

    /// A direct child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of a direct child, or `""`.
    pub fn text_of(&self, name: &str) -> String {
        self.child(name).map(|c| c.text.clone()).unwrap_or_default()
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Parses an XML document into its root element.
pub fn parse_xml(text: &str) -> Option<Element> {
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            if after.starts_with('?') || after.starts_with('!') {
                let end = after.find('>')?;
                rest = &after[end + 1..];
                continue;
            }
            let end = after.find('>')?;
            let tag = &after[..end];
            rest = &after[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let el = stack.pop()?;
                if el.name != name.trim() {
                    return None;
                }
                stack.last_mut()?.children.push(el);
            } else {
                let self_closing = tag.ends_with('/');
                let tag = tag.trim_end_matches('/');
                let name = tag.split_whitespace().next().unwrap_or("").to_string();
                let el = Element {
                    name,
                    ..Element::default()
                };
                if self_closing {
                    stack.last_mut()?.children.push(el);
                } else {
                    stack.push(el);
                }
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let raw = &rest[..end];
            rest = &rest[end..];
            if let Some(top) = stack.last_mut() {
                top.text.push_str(&unescape_xml(raw));
            }
        }
    }
    let mut doc = stack.pop()?;
    if !stack.is_empty() {
        return None;
    }
    doc.children.pop()
}

fn unescape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(semi) = after.find(';') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let entity = &after[..semi];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

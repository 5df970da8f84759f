//! Condition operators, compiled once per statement and evaluated against a
//! request context without allocating.
//!
//! Semantics follow the IAM documentation ("IAM JSON policy elements: Condition
//! operators" and "Single-valued vs. multivalued context keys"):
//! - several values for one key are ORed; several keys and operators are ANDed;
//! - a missing key makes a positive operator false and a negated operator
//!   (`StringNotEquals`, `NotIpAddress`, …) true; `…IfExists` makes it true;
//! - without a set qualifier, a multivalued key matches a positive operator
//!   when any of its values matches, and a negated operator when none does;
//! - `ForAnyValue:` is true when at least one request value satisfies the
//!   operator (false for a missing or empty key, unless `IfExists`);
//!   `ForAllValues:` when every request value does (true for a missing or
//!   empty key);
//! - `Null: true` holds when the key is absent (or an empty list), `false` when present;
//! - key names compare case-insensitively; values per operator (`String*`,
//!   `Arn*`, `Binary*` case-sensitive, `…IgnoreCase` and `Bool` not);
//! - `Arn*` operators compare each of the six `:`-separated ARN parts on its
//!   own, with wildcards in each (ArnEquals and ArnLike behave the same);
//! - `Date*` accept ISO 8601 dates and times and epoch seconds;
//! - `IpAddress` accepts IPv4 and IPv6 addresses and CIDR blocks.

use std::net::IpAddr;

use super::ast::{self, OperatorBase, OperatorFamily, SetQualifier};
use super::pattern::{Pattern, Syntax, VarSource};

/// The request context as the condition evaluator sees it.
pub trait ContextLookup: VarSource {
    /// The values of `key` (case-insensitive name), or `None` when absent.
    fn values(&self, key: &str) -> Option<Values<'_>>;
}

/// The values of a context key: a list, or one value the evaluator derived.
#[derive(Debug, Clone, Copy)]
pub enum Values<'a> {
    Many(&'a [String]),
    One(&'a str),
}

impl<'a> Values<'a> {
    pub fn len(self) -> usize {
        match self {
            Values::Many(v) => v.len(),
            Values::One(_) => 1,
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The single value, if there is exactly one.
    pub fn single(self) -> Option<&'a str> {
        match self {
            Values::Many([one]) => Some(one),
            Values::One(v) => Some(v),
            Values::Many(_) => None,
        }
    }

    pub fn iter(self) -> ValuesIter<'a> {
        match self {
            Values::Many(v) => ValuesIter {
                many: v.iter(),
                one: None,
            },
            Values::One(v) => ValuesIter {
                many: [].iter(),
                one: Some(v),
            },
        }
    }
}

/// Iterator over [`Values`].
pub struct ValuesIter<'a> {
    many: std::slice::Iter<'a, String>,
    one: Option<&'a str>,
}

impl<'a> Iterator for ValuesIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self.one.take() {
            Some(v) => Some(v),
            None => self.many.next().map(String::as_str),
        }
    }
}

/// A condition ready to evaluate.
#[derive(Debug, Clone)]
pub struct CompiledCondition {
    pub operator: ast::Operator,
    pub key: Box<str>,
    values: PolicyValues,
}

#[derive(Debug, Clone)]
enum PolicyValues {
    Str(Vec<Pattern>),
    Num(Vec<Option<f64>>),
    Date(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Bin(Vec<Box<str>>),
    Ip(Vec<Option<Cidr>>),
    Arn(Vec<ArnPattern>),
    Null(Vec<Option<bool>>),
}

#[derive(Debug, Clone)]
enum ArnPattern {
    /// Six part patterns.
    Parts(Box<[Pattern; 6]>),
    /// No `:` at all (`*`): compared as a whole string.
    Whole(Pattern),
    /// Some parts but not six: matches nothing.
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl CompiledCondition {
    /// Compiles one condition; `variables` says whether `${…}` are policy
    /// variables (2012-10-17) or literal text (2008-10-17).
    pub fn compile(c: &ast::Condition, variables: bool) -> Self {
        let op = c.operator.value;
        let texts = c.values.iter().map(|v| v.value.as_str());
        let values = match op.base.family() {
            OperatorFamily::String => {
                let wildcards = matches!(
                    op.base,
                    OperatorBase::StringLike | OperatorBase::StringNotLike
                );
                let case_insensitive = matches!(
                    op.base,
                    OperatorBase::StringEqualsIgnoreCase | OperatorBase::StringNotEqualsIgnoreCase
                );
                PolicyValues::Str(
                    texts
                        .map(|t| {
                            Pattern::compile(
                                t,
                                Syntax {
                                    wildcards,
                                    variables,
                                    case_insensitive,
                                },
                            )
                        })
                        .collect(),
                )
            }
            OperatorFamily::Numeric => PolicyValues::Num(texts.map(parse_number).collect()),
            OperatorFamily::Date => PolicyValues::Date(texts.map(parse_date).collect()),
            OperatorFamily::Bool => PolicyValues::Bool(texts.map(parse_bool).collect()),
            OperatorFamily::Binary => PolicyValues::Bin(texts.map(Into::into).collect()),
            OperatorFamily::Ip => PolicyValues::Ip(texts.map(parse_cidr).collect()),
            OperatorFamily::Arn => PolicyValues::Arn(
                texts
                    .map(|t| {
                        let syntax = Syntax {
                            wildcards: true,
                            variables,
                            case_insensitive: false,
                        };
                        let parts: Vec<&str> = t.splitn(6, ':').collect();
                        match <[&str; 6]>::try_from(parts) {
                            Ok(p) => {
                                ArnPattern::Parts(Box::new(p.map(|s| Pattern::compile(s, syntax))))
                            }
                            Err(_) if !t.contains(':') => {
                                ArnPattern::Whole(Pattern::compile(t, syntax))
                            }
                            Err(_) => ArnPattern::Invalid,
                        }
                    })
                    .collect(),
            ),
            OperatorFamily::Null => PolicyValues::Null(texts.map(parse_bool).collect()),
        };
        CompiledCondition {
            operator: op,
            key: c.key.value.as_str().into(),
            values,
        }
    }

    /// Evaluates the condition against the context.
    pub fn eval(&self, ctx: &impl ContextLookup) -> bool {
        let op = self.operator;
        let present = ctx.values(&self.key).filter(|v| !v.is_empty());
        if let PolicyValues::Null(expect) = &self.values {
            let absent = present.is_none();
            return expect.contains(&Some(absent));
        }
        let negated = op.base.is_negated();
        let Some(vals) = present else {
            return match op.set {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => op.if_exists,
                None => op.if_exists || negated,
            };
        };
        match op.set {
            Some(SetQualifier::ForAnyValue) => vals.iter().any(|v| self.one(v, ctx)),
            Some(SetQualifier::ForAllValues) => vals.iter().all(|v| self.one(v, ctx)),
            None if negated => vals.iter().all(|v| self.one(v, ctx)),
            None => vals.iter().any(|v| self.one(v, ctx)),
        }
    }

    /// Whether one request value satisfies the operator (for negated
    /// operators: matches none of the policy values). A request value that
    /// cannot be read as the operator's type satisfies nothing.
    fn one(&self, v: &str, ctx: &impl ContextLookup) -> bool {
        let base = self.operator.base;
        let positive = match &self.values {
            PolicyValues::Str(ps) => ps.iter().any(|p| p.matches(v, ctx)),
            PolicyValues::Num(ns) => {
                let Some(x) = parse_number(v) else {
                    return false;
                };
                ns.iter().flatten().any(|&n| compare(base, x, n))
            }
            PolicyValues::Date(ds) => {
                let Some(x) = parse_date(v) else {
                    return false;
                };
                ds.iter().flatten().any(|&d| compare(base, x, d))
            }
            PolicyValues::Bool(bs) => {
                let Some(x) = parse_bool(v) else {
                    return false;
                };
                bs.contains(&Some(x))
            }
            PolicyValues::Bin(bs) => bs.iter().any(|b| **b == *v),
            PolicyValues::Ip(cs) => {
                let Some(ip) = parse_ip(v) else {
                    return false;
                };
                cs.iter().flatten().any(|c| c.contains(ip))
            }
            PolicyValues::Arn(ps) => ps.iter().any(|p| arn_matches(p, v, ctx)),
            PolicyValues::Null(_) => false,
        };
        positive != base.is_negated()
    }
}

/// Numeric and date comparison: `request OP policy`.
fn compare(base: OperatorBase, x: f64, policy: f64) -> bool {
    use OperatorBase as O;
    match base {
        O::NumericEquals | O::NumericNotEquals | O::DateEquals | O::DateNotEquals => x == policy,
        O::NumericLessThan | O::DateLessThan => x < policy,
        O::NumericLessThanEquals | O::DateLessThanEquals => x <= policy,
        O::NumericGreaterThan | O::DateGreaterThan => x > policy,
        O::NumericGreaterThanEquals | O::DateGreaterThanEquals => x >= policy,
        _ => false,
    }
}

fn arn_matches(p: &ArnPattern, v: &str, ctx: &impl ContextLookup) -> bool {
    match p {
        ArnPattern::Whole(w) => w.matches(v, ctx),
        ArnPattern::Invalid => false,
        ArnPattern::Parts(parts) => {
            let mut it = v.splitn(6, ':');
            for part in parts.iter() {
                match it.next() {
                    Some(s) if part.matches(s, ctx) => {}
                    _ => return false,
                }
            }
            true
        }
    }
}

pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() || t.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(s: &str, n: usize) -> Option<(i64, &str)> {
    if s.len() < n || !s.as_bytes()[..n].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

/// Seconds since the epoch of an ISO 8601 date/time (`2024-01-31`,
/// `2024-01-31T12:00:00Z`, `2024-01-31T12:00:00.5+05:30`, `20240131T120000Z`)
/// or of epoch seconds (`1706702400`).
pub fn parse_date(s: &str) -> Option<f64> {
    let s = s.trim();
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        // epoch seconds
        return parse_number(s);
    }
    let (y, rest) = digits(s, 4)?;
    let (rest, basic) = match rest.strip_prefix('-') {
        Some(r) => (r, false),
        None => (rest, true),
    };
    let (mo, rest) = digits(rest, 2)?;
    let rest = if basic { rest } else { rest.strip_prefix('-')? };
    let (d, rest) = digits(rest, 2)?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, mo, d) as f64 * 86_400.0;
    let Some(time) = rest.strip_prefix(['T', 't', ' ']) else {
        return rest.is_empty().then_some(secs);
    };
    let (h, rest) = digits(time, 2)?;
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let (mi, mut rest) = digits(rest, 2)?;
    let mut sec = 0.0;
    let after_colon = rest.strip_prefix(':');
    if let Some((s2, r)) = digits(after_colon.unwrap_or(rest), 2) {
        sec = s2 as f64;
        rest = r;
        if let Some(frac) = rest.strip_prefix(['.', ',']) {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            sec += format!("0.{}", &frac[..n]).parse::<f64>().ok()?;
            rest = &frac[n..];
        }
    }
    if h > 24 || mi > 59 || sec >= 61.0 {
        return None;
    }
    secs += (h * 3600 + mi * 60) as f64 + sec;
    match rest {
        "" | "Z" | "z" => Some(secs),
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1.0,
                b'-' => -1.0,
                _ => return None,
            };
            let off = &rest[1..];
            let (oh, off) = digits(off, 2)?;
            let off = off.strip_prefix(':').unwrap_or(off);
            let om = if off.is_empty() {
                0
            } else {
                digits(off, 2).filter(|(_, r)| r.is_empty())?.0
            };
            Some(secs - sign * (oh * 3600 + om * 60) as f64)
        }
    }
}

fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    let s = s.split_once('/').map_or(s, |(a, _)| a);
    s.parse().ok()
}

pub fn parse_cidr(s: &str) -> Option<Cidr> {
    let s = s.trim();
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a.parse::<IpAddr>().ok()?, p.parse::<u8>().ok()?),
        None => {
            let a = s.parse::<IpAddr>().ok()?;
            (a, if a.is_ipv4() { 32 } else { 128 })
        }
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    (prefix <= max).then_some(Cidr { addr, prefix })
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(self.prefix))
                };
                (u32::from(net) & mask) == (u32::from(a) & mask)
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(self.prefix))
                };
                (u128::from(net) & mask) == (u128::from(a) & mask)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse::parse_policy;

    struct Ctx(Vec<(&'static str, Vec<String>)>);
    impl VarSource for Ctx {
        fn var(&self, key: &str) -> Option<&str> {
            self.values(key).and_then(Values::single)
        }
    }
    impl ContextLookup for Ctx {
        fn values(&self, key: &str) -> Option<Values<'_>> {
            self.0
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| Values::Many(v.as_slice()))
        }
    }

    fn ctx(entries: &[(&'static str, &[&str])]) -> Ctx {
        Ctx(entries
            .iter()
            .map(|(k, v)| (*k, v.iter().map(|s| s.to_string()).collect()))
            .collect())
    }

    /// Evaluates `{"op": {"key": values}}` against a context.
    fn holds(op: &str, key: &str, values: &str, c: &Ctx) -> bool {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"{op}":{{"{key}":{values}}}}}}}}}"#
        );
        let p = parse_policy(&text).unwrap();
        CompiledCondition::compile(&p.statements[0].conditions[0], true).eval(c)
    }

    #[test]
    fn string_family() {
        let c = ctx(&[
            ("aws:PrincipalTag/Team", &["Red"]),
            ("aws:username", &["bob"]),
        ]);
        assert!(holds(
            "StringEquals",
            "aws:principaltag/team",
            r#""Red""#,
            &c
        ));
        assert!(!holds(
            "StringEquals",
            "aws:PrincipalTag/Team",
            r#""red""#,
            &c
        ));
        assert!(holds(
            "StringEqualsIgnoreCase",
            "aws:PrincipalTag/Team",
            r#""rED""#,
            &c
        ));
        assert!(holds(
            "StringNotEquals",
            "aws:PrincipalTag/Team",
            r#"["a","b"]"#,
            &c
        ));
        assert!(holds("StringLike", "aws:PrincipalTag/Team", r#""R*""#, &c));
        assert!(!holds(
            "StringEquals",
            "aws:PrincipalTag/Team",
            r#""R*""#,
            &c
        ));
        assert!(holds(
            "StringNotLike",
            "aws:PrincipalTag/Team",
            r#""B*""#,
            &c
        ));
        assert!(holds(
            "StringEquals",
            "aws:PrincipalTag/Team",
            r#""${aws:PrincipalTag/Team}""#,
            &c
        ));
        assert!(!holds(
            "StringEquals",
            "aws:PrincipalTag/Team",
            r#""${aws:username}""#,
            &c
        ));
        // missing keys
        assert!(!holds("StringEquals", "missing", r#""x""#, &c));
        assert!(holds("StringNotEquals", "missing", r#""x""#, &c));
        assert!(holds("StringEqualsIfExists", "missing", r#""x""#, &c));
        assert!(!holds("StringEqualsIfExists", "aws:username", r#""x""#, &c));
    }

    #[test]
    fn set_qualifiers() {
        let c = ctx(&[("aws:TagKeys", &["a", "b"]), ("empty", &[])]);
        assert!(holds(
            "ForAllValues:StringEquals",
            "aws:TagKeys",
            r#"["a","b","c"]"#,
            &c
        ));
        assert!(!holds(
            "ForAllValues:StringEquals",
            "aws:TagKeys",
            r#"["a"]"#,
            &c
        ));
        assert!(holds(
            "ForAnyValue:StringEquals",
            "aws:TagKeys",
            r#"["a"]"#,
            &c
        ));
        assert!(!holds(
            "ForAnyValue:StringEquals",
            "aws:TagKeys",
            r#"["z"]"#,
            &c
        ));
        assert!(holds(
            "ForAllValues:StringEquals",
            "missing",
            r#"["a"]"#,
            &c
        ));
        assert!(holds("ForAllValues:StringEquals", "empty", r#"["a"]"#, &c));
        assert!(!holds(
            "ForAnyValue:StringEquals",
            "missing",
            r#"["a"]"#,
            &c
        ));
        assert!(holds(
            "ForAnyValue:StringEqualsIfExists",
            "missing",
            r#"["a"]"#,
            &c
        ));
        assert!(holds(
            "ForAnyValue:StringNotEquals",
            "aws:TagKeys",
            r#"["a"]"#,
            &c
        ));
        assert!(!holds(
            "ForAllValues:StringNotEquals",
            "aws:TagKeys",
            r#"["a"]"#,
            &c
        ));
        assert!(holds(
            "ForAllValues:StringNotEquals",
            "aws:TagKeys",
            r#"["z"]"#,
            &c
        ));
        // no qualifier on a multivalued key
        assert!(holds("StringEquals", "aws:TagKeys", r#""b""#, &c));
        assert!(!holds("StringNotEquals", "aws:TagKeys", r#""b""#, &c));
    }

    #[test]
    fn null_operator() {
        let c = ctx(&[("k", &["v"]), ("empty", &[])]);
        assert!(holds("Null", "missing", "true", &c));
        assert!(!holds("Null", "k", "true", &c));
        assert!(holds("Null", "k", r#""false""#, &c));
        assert!(holds("Null", "empty", "true", &c));
    }

    #[test]
    fn numeric_date_bool_binary() {
        let c = ctx(&[
            ("n", &["10"]),
            ("d", &["2024-01-31T12:00:00Z"]),
            ("b", &["True"]),
            ("bin", &["QUJD"]),
            ("bad", &["x"]),
        ]);
        assert!(holds("NumericEquals", "n", "10", &c));
        assert!(holds("NumericEquals", "n", r#""10.0""#, &c));
        assert!(holds("NumericLessThan", "n", "11", &c));
        assert!(!holds("NumericLessThan", "n", "10", &c));
        assert!(holds("NumericLessThanEquals", "n", "10", &c));
        assert!(holds("NumericGreaterThan", "n", "9.5", &c));
        assert!(holds("NumericGreaterThanEquals", "n", "10", &c));
        assert!(holds("NumericNotEquals", "n", "11", &c));
        assert!(!holds("NumericEquals", "bad", "1", &c));
        assert!(!holds("NumericNotEquals", "bad", "1", &c));
        assert!(holds("DateEquals", "d", r#""2024-01-31T12:00:00Z""#, &c));
        assert!(holds(
            "DateEquals",
            "d",
            r#""2024-01-31T17:30:00+05:30""#,
            &c
        ));
        assert!(holds("DateEquals", "d", r#""1706702400""#, &c));
        assert!(holds("DateGreaterThan", "d", r#""2024-01-31""#, &c));
        assert!(holds("DateLessThan", "d", r#""2024-02-01""#, &c));
        assert!(holds(
            "DateLessThanEquals",
            "d",
            r#""2024-01-31T12:00:00Z""#,
            &c
        ));
        assert!(holds(
            "DateGreaterThanEquals",
            "d",
            r#""2024-01-31T12:00:00.000Z""#,
            &c
        ));
        assert!(holds("DateNotEquals", "d", r#""2020-01-01""#, &c));
        assert!(holds("Bool", "b", "true", &c));
        assert!(!holds("Bool", "b", r#""false""#, &c));
        assert!(holds("BinaryEquals", "bin", r#""QUJD""#, &c));
        assert!(!holds("BinaryEquals", "bin", r#""qujd""#, &c));
    }

    #[test]
    fn ip_and_arn() {
        let c = ctx(&[
            ("ip", &["203.0.113.7"]),
            ("ip6", &["2001:db8::1"]),
            ("arn", &["arn:aws:iam::123456789012:role/a/b"]),
        ]);
        assert!(holds("IpAddress", "ip", r#""203.0.113.0/24""#, &c));
        assert!(!holds("IpAddress", "ip", r#""203.0.114.0/24""#, &c));
        assert!(holds("IpAddress", "ip", r#""203.0.113.7""#, &c));
        assert!(holds("IpAddress", "ip", r#""0.0.0.0/0""#, &c));
        assert!(holds("NotIpAddress", "ip", r#""10.0.0.0/8""#, &c));
        assert!(holds("IpAddress", "ip6", r#""2001:DB8::/32""#, &c));
        assert!(!holds("IpAddress", "ip6", r#""203.0.113.0/24""#, &c));
        assert!(holds("ArnLike", "arn", r#""arn:aws:iam::*:role/*""#, &c));
        assert!(holds(
            "ArnEquals",
            "arn",
            r#""arn:aws:iam::123456789012:role/a/b""#,
            &c
        ));
        assert!(!holds("ArnLike", "arn", r#""arn:aws:iam::*:user/*""#, &c));
        assert!(holds("ArnNotLike", "arn", r#""arn:aws:s3:::*""#, &c));
        // per-part matching: `*` does not cross a `:` into the next part
        assert!(!holds("ArnLike", "arn", r#""arn:aws:*:role/*""#, &c));
    }

    #[test]
    fn dates_parse() {
        assert_eq!(parse_date("1970-01-01"), Some(0.0));
        assert_eq!(parse_date("1970-01-02T00:00:00Z"), Some(86_400.0));
        assert_eq!(parse_date("19700102T000000Z"), Some(86_400.0));
        assert_eq!(parse_date("86400"), Some(86_400.0));
        assert_eq!(parse_date("2000-02-30x"), None);
        assert_eq!(parse_date("nonsense"), None);
        assert_eq!(parse_date("2024-13-01"), None);
    }
}

//! Conditions: PL401–PL410.

use super::patterns::{has_variable, without_variables};
use super::values;
use super::{Cx, Finding, FindingClass};
use crate::catalog::{ConditionKeyInfo, ValueType, catalog};
use crate::policy::ast::{
    Condition, Effect, OperatorBase, OperatorFamily, SetQualifier, Statement,
};

/// Tag-key templates that need a tag key after the `/`.
const TAG_KEYS: [&str; 3] = ["aws:RequestTag", "aws:ResourceTag", "aws:PrincipalTag"];

fn family_name(f: OperatorFamily) -> &'static str {
    match f {
        OperatorFamily::String => "string",
        OperatorFamily::Numeric => "numeric",
        OperatorFamily::Date => "date",
        OperatorFamily::Bool => "Boolean",
        OperatorFamily::Binary => "binary",
        OperatorFamily::Ip => "IP address",
        OperatorFamily::Arn => "ARN",
        OperatorFamily::Null => "null",
    }
}

fn fits(f: OperatorFamily, t: ValueType) -> bool {
    matches!(
        (f, t),
        (OperatorFamily::Null, _)
            | (OperatorFamily::String, ValueType::String | ValueType::Arn)
            | (OperatorFamily::Arn, ValueType::Arn)
            | (OperatorFamily::Numeric, ValueType::Numeric)
            | (OperatorFamily::Date, ValueType::Date)
            | (OperatorFamily::Bool, ValueType::Bool)
            | (OperatorFamily::Binary, ValueType::Binary)
            | (OperatorFamily::Ip, ValueType::IpAddress)
    )
}

/// Operators to suggest for a key type.
fn operators_for(t: ValueType) -> &'static str {
    match t {
        ValueType::String => "a string operator such as `StringEquals` or `StringLike`",
        ValueType::Arn => "an ARN operator such as `ArnEquals` or `ArnLike`",
        ValueType::Bool => "`Bool`",
        ValueType::Numeric => "a numeric operator such as `NumericLessThan`",
        ValueType::Date => "a date operator such as `DateGreaterThan`",
        ValueType::IpAddress => "`IpAddress` or `NotIpAddress`",
        ValueType::Binary => "`BinaryEquals`",
    }
}

pub(super) fn check(cx: &mut Cx<'_>) {
    for s in &cx.policy.statements {
        for c in &s.conditions {
            let info = key(cx, c);
            if let Some(info) = info {
                typed(cx, s, c, &info);
            }
            set_semantics(cx, s, c, info.as_ref());
            values_of(cx, c);
        }
    }
}

/// PL401: resolves the key, reporting unknown ones.
fn key(cx: &mut Cx<'_>, c: &Condition) -> Option<ConditionKeyInfo> {
    let cat = catalog();
    let name = c.key.value.as_str();
    if let Some(info) = cat.condition_key(name) {
        return Some(info);
    }
    if cat.is_federation_key(name) {
        return None;
    }
    let unknown = |message: String, help: Option<String>| {
        Finding::new("PL401", FindingClass::Error, c.key.range, message).maybe_help(help)
    };
    let Some((prefix, _)) = name.split_once(':') else {
        cx.push(unknown(
            format!("condition key `{name}` has no service prefix; keys are written `service:key` or `aws:key`"),
            cat.suggest_condition_key(&format!("aws:{name}"))
                .map(|k| format!("did you mean `{k}`?")),
        ));
        return None;
    };
    let did_you_mean = cat
        .suggest_condition_key(name)
        .map(|k| format!("did you mean `{k}`?"));
    if let Some(tag) = TAG_KEYS
        .iter()
        .find(|t| name.trim_end_matches('/').eq_ignore_ascii_case(t))
    {
        cx.push(unknown(
            format!("condition key `{name}` needs a tag key: write `{tag}/<tag-key>`"),
            Some(format!("for example `{tag}/Project`")),
        ));
    } else if prefix.eq_ignore_ascii_case("aws") {
        cx.push(unknown(
            format!("unknown global condition key `{name}`"),
            did_you_mean,
        ));
    } else if let Some(svc) = cat.service(prefix) {
        cx.push(unknown(
            format!(
                "`{name}` is not a condition key of `{}` ({}) nor a global key",
                svc.prefix, svc.name
            ),
            did_you_mean,
        ));
    } else {
        let help = did_you_mean.or_else(|| {
            cat.suggest_service(prefix)
                .map(|p| format!("did you mean the service prefix `{p}`?"))
        });
        cx.push(unknown(
            format!("unknown service prefix `{prefix}` in condition key `{name}`"),
            help,
        ));
    }
    None
}

/// PL402: operator family against the key's type.
fn typed(cx: &mut Cx<'_>, _s: &Statement, c: &Condition, info: &ConditionKeyInfo) {
    let op = c.operator.value;
    let fam = op.base.family();
    let ok = fits(fam, info.key_type.base) || info.alt_type.is_some_and(|t| fits(fam, t.base));
    if ok {
        return;
    }
    cx.push(
        Finding::new(
            "PL402",
            FindingClass::Warning,
            c.operator.range,
            format!(
                "`{op}` compares {} values, but `{}` is a key of type `{}`",
                family_name(fam),
                c.key.value,
                info.key_type
            ),
        )
        .help(format!("use {}", operators_for(info.key_type.base))),
    );
}

/// PL404–PL408: set qualifiers against single- and multivalued keys.
fn set_semantics(cx: &mut Cx<'_>, s: &Statement, c: &Condition, info: Option<&ConditionKeyInfo>) {
    let op = c.operator.value;
    let key = &c.key.value;
    if op.base == OperatorBase::Null {
        if let Some(set) = op.set {
            cx.push(
                Finding::new(
                    "PL408",
                    FindingClass::Suggestion,
                    c.operator.range,
                    format!(
                        "`{op}` always evaluates to {}; a set qualifier makes `Null` meaningless",
                        if set == SetQualifier::ForAllValues {
                            "true"
                        } else {
                            "false"
                        }
                    ),
                )
                .help("use plain `Null` to test whether the key is present"),
            );
        }
        return;
    }
    let multivalued = info.map(|i| i.key_type.multivalued);
    match (op.set, multivalued) {
        (Some(SetQualifier::ForAllValues), Some(false)) => cx.push(
            Finding::new(
                "PL404",
                FindingClass::SecurityWarning,
                c.operator.range,
                format!(
                    "`ForAllValues:` on the single-valued key `{key}` is also true when the key is absent, so it matches more requests than it seems"
                ),
            )
            .help(format!("use `{}`", op.to_string().trim_start_matches("ForAllValues:"))),
        ),
        (Some(SetQualifier::ForAnyValue), Some(false)) => cx.push(
            Finding::new(
                "PL406",
                FindingClass::Warning,
                c.operator.range,
                format!("`ForAnyValue:` on the single-valued key `{key}` has no purpose"),
            )
            .help(format!("use `{}`", op.to_string().trim_start_matches("ForAnyValue:"))),
        ),
        (None, Some(true)) => cx.push(
            Finding::new(
                "PL407",
                FindingClass::Warning,
                c.operator.range,
                format!(
                    "`{key}` is multivalued but `{op}` has no set qualifier, so it is unclear whether any or all request values must match"
                ),
            )
            .help(format!("write `ForAnyValue:{op}` or `ForAllValues:{op}`")),
        ),
        _ => {}
    }
    // PL405: ForAllValues in an Allow lets requests without the key through
    if op.set == Some(SetQualifier::ForAllValues)
        && multivalued != Some(false)
        && s.effect.value == Effect::Allow
    {
        let required = s.conditions.iter().any(|o| {
            o.key.value.eq_ignore_ascii_case(key)
                && ((o.operator.value.base == OperatorBase::Null
                    && o.operator.value.set.is_none()
                    && o.values
                        .iter()
                        .all(|v| v.value.eq_ignore_ascii_case("false")))
                    || o.operator.value.set == Some(SetQualifier::ForAnyValue))
        });
        if !required {
            cx.push(
                Finding::new(
                    "PL405",
                    FindingClass::SecurityWarning,
                    c.operator.range,
                    format!(
                        "`{op}` is true for requests without `{key}`, so this `Allow` also applies when the key is absent"
                    ),
                )
                .help(format!(
                    "add `\"Null\": {{\"{key}\": \"false\"}}` to the statement if the key must be present"
                )),
            );
        }
    }
}

/// PL403, PL409, PL410: the values themselves.
fn values_of(cx: &mut Cx<'_>, c: &Condition) {
    let op = c.operator.value;
    let fam = op.base.family();
    let equality = matches!(
        op.base,
        OperatorBase::StringEquals
            | OperatorBase::StringNotEquals
            | OperatorBase::StringEqualsIgnoreCase
            | OperatorBase::StringNotEqualsIgnoreCase
    );
    for v in &c.values {
        let text = v.value.as_str();
        if has_variable(text) {
            if !matches!(fam, OperatorFamily::String | OperatorFamily::Arn) {
                cx.push(
                    Finding::new(
                        "PL410",
                        FindingClass::Error,
                        v.range,
                        format!(
                            "policy variables work only with string and ARN operators; `{op}` compares `{text}` literally"
                        ),
                    )
                    .help("compare against a literal value, or use a string operator"),
                );
            }
        } else {
            let (valid, expected) = match fam {
                OperatorFamily::Numeric => (values::is_number(text), "a number"),
                OperatorFamily::Date => (
                    values::is_date(text),
                    "an ISO 8601 date (`2026-01-31T00:00:00Z`) or epoch seconds",
                ),
                OperatorFamily::Bool | OperatorFamily::Null => {
                    (values::is_bool(text), "`true` or `false`")
                }
                OperatorFamily::Ip => (
                    values::is_ip_or_cidr(text),
                    "an IP address or CIDR block (`203.0.113.0/24`)",
                ),
                OperatorFamily::Binary => (values::is_base64(text), "base64 text"),
                OperatorFamily::String | OperatorFamily::Arn => (true, ""),
            };
            if !valid {
                cx.push(
                    Finding::new(
                        "PL403",
                        FindingClass::Warning,
                        v.range,
                        format!(
                            "`{op}` expects {expected}, not `{text}`; this value never matches"
                        ),
                    )
                    .help(format!("write {expected}")),
                );
            }
        }
        if equality {
            let bare = without_variables(text);
            if bare.contains('*') || bare.contains('?') {
                let like = op
                    .to_string()
                    .replace("EqualsIgnoreCase", "Like")
                    .replace("Equals", "Like");
                cx.push(
                    Finding::new(
                        "PL409",
                        FindingClass::Warning,
                        v.range,
                        format!(
                            "`{op}` compares literally, so the `*` or `?` in `{text}` is not a wildcard"
                        ),
                    )
                    .help(format!("use `{like}` if a wildcard was meant")),
                );
            }
        }
    }
}

//! Actions: PL013, PL101–PL103.

use super::{Cx, Finding, FindingClass, PolicyKind};
use crate::catalog::catalog;

fn has_wildcard(s: &str) -> bool {
    s.contains('*') || s.contains('?')
}

pub(super) fn check(cx: &mut Cx<'_>) {
    let cat = catalog();
    for s in &cx.policy.statements {
        for item in &s.action.items {
            let pattern = item.value.as_str();
            if pattern == "*" {
                continue;
            }
            // the parser guarantees `service:action` for everything but `*`
            let Some((svc, act)) = pattern.split_once(':') else {
                continue;
            };
            if !has_wildcard(svc) {
                let Some(service) = cat.service(svc) else {
                    let suggestion = cat
                        .suggest_action(pattern)
                        .filter(|_| !has_wildcard(act))
                        .or_else(|| cat.suggest_service(svc).map(|p| format!("{p}:{act}")));
                    cx.push(
                        Finding::new(
                            "PL101",
                            FindingClass::Error,
                            item.range,
                            format!("unknown service prefix `{svc}` in action `{pattern}`"),
                        )
                        .maybe_help(suggestion.map(|s| format!("did you mean `{s}`?"))),
                    );
                    continue;
                };
                // PL013: RCPs cover a fixed list of services
                if cx.kind == PolicyKind::Rcp && !service.rcp_supported {
                    cx.push(
                        Finding::new(
                            "PL013",
                            FindingClass::Error,
                            item.range,
                            format!(
                                "resource control policies do not support `{}` ({}); AWS Organizations rejects the action",
                                service.prefix, service.name
                            ),
                        )
                        .help("remove the action; restrict this service with an SCP or its resource policies"),
                    );
                }
            }
            if !has_wildcard(pattern) {
                if cat.action(pattern).is_none() {
                    let suggestion = cat.suggest_action(pattern);
                    cx.push(
                        Finding::new(
                            "PL102",
                            FindingClass::Error,
                            item.range,
                            format!("unknown action `{pattern}`"),
                        )
                        .maybe_help(suggestion.map(|s| format!("did you mean `{s}`?"))),
                    );
                }
            } else if !cat.matches_any(pattern) {
                cx.push(
                    Finding::new(
                        "PL103",
                        FindingClass::Warning,
                        item.range,
                        format!("action pattern `{pattern}` matches no action"),
                    )
                    .help("correct the pattern so it names the intended actions, or remove it"),
                );
            }
        }
    }
}

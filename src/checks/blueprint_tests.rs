//! The blueprint's `tests:`: every assertion is decided by the engine.
//!
//! | code | severity | meaning |
//! |---|---|---|
//! | LF801 | error | a test's expectation does not hold (with the decision and the trace) |
//! | LF802 | warning | a test's outcome depends on a policy the engine has no document for |
//!
//! A test runs as its principal (`as:`), with the derived context of
//! [`crate::principals`] (the home region unless the test says otherwise).
//! When the principal uses a policy the engine has no document for, the test
//! is decided twice — assuming the policy grants nothing, and assuming it
//! allows everything — and is reported as undecided when the two disagree.

use serde::Serialize;

use super::{at, trace_note};
use crate::diagnostics::{Diagnostic, Severity};
use crate::org::{Expectation, Origin, TestCase};
use crate::policy::eval::{Decision, Evaluation, GateTrace, PolicyType, Verdict};
use crate::principals::{Assume, OrgEngine, Query};

/// How a test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TestStatus {
    Passed,
    Failed,
    /// The outcome depends on a policy the engine has no document for.
    Undecided,
}

/// One test's result.
#[derive(Debug, Clone, Serialize)]
pub struct TestResult {
    /// The test's `name`, or `AS ACTION`.
    pub name: String,
    /// The principal as written (`permission_set:ProdReadOnly@payments-prod`).
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub expect: Expectation,
    /// The engine's decision (assuming unknown policies grant nothing).
    pub decision: Decision,
    pub status: TestStatus,
    /// Why, in one line.
    pub reason: String,
    /// Policies the engine had no document for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_policies: Vec<String>,
    #[serde(skip)]
    pub evaluation: Evaluation,
    #[serde(skip)]
    pub origin: Origin,
}

fn expectation_text(e: Expectation) -> &'static str {
    match e {
        Expectation::Allow => "allow",
        Expectation::Deny => "deny",
        Expectation::ExplicitDeny => "explicit-deny",
        Expectation::ImplicitDeny => "implicit-deny",
    }
}

fn decision_text(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "allow",
        Decision::ExplicitDeny => "explicit-deny",
        Decision::ImplicitDeny => "implicit-deny",
    }
}

/// Whether a decision meets an expectation.
pub fn holds(expect: Expectation, d: Decision) -> bool {
    match expect {
        Expectation::Allow => d == Decision::Allow,
        Expectation::Deny => d != Decision::Allow,
        Expectation::ExplicitDeny => d == Decision::ExplicitDeny,
        Expectation::ImplicitDeny => d == Decision::ImplicitDeny,
    }
}

/// `an identity-based policy`, `a service control policy`.
fn article(noun: &str) -> String {
    let an = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if an { "an" } else { "a" })
}

fn level_of(g: &GateTrace) -> String {
    g.name
        .split_once(", level ")
        .map_or_else(|| g.name.clone(), |(_, l)| l.to_string())
}

/// The decision in one line: which statement of which policy decided, and
/// what the SCP levels said.
pub fn reason(ev: &Evaluation, principal: &str) -> String {
    let e = &ev.explanation;
    let stmt = |what: &str| match (&e.policy, &e.statement) {
        (Some(p), Some(s)) => format!("{what} by statement `{s}` of `{p}`"),
        (Some(p), None) => format!("{what} by `{p}`"),
        _ => what.to_string(),
    };
    let scps: Vec<&GateTrace> = ev
        .trace
        .iter()
        .filter(|g| g.gate == PolicyType::ServiceControl)
        .collect();
    match ev.decision {
        Decision::Allow => {
            let mut out = stmt("allowed");
            if let Some(ty) = e.policy_type {
                out.push_str(&format!(", {} of `{principal}`", article(ty.aws_name())));
            }
            let path = scps
                .iter()
                .map(|g| level_of(g))
                .rfind(|l| !l.starts_with("account "));
            if scps.is_empty() {
                out.push_str("; no SCP applies (management account, or SCPs not enabled)");
            } else if scps.iter().all(|g| g.verdict == Verdict::NotApplicable) {
                out.push_str("; SCPs do not apply to this principal");
            } else if let Some(path) = path {
                out.push_str(&format!(
                    "; no SCP at `{path}` (nor on the account) denies it"
                ));
            }
            out
        }
        Decision::ExplicitDeny => {
            let mut out = stmt("explicitly denied");
            if let Some(ty) = e.policy_type {
                out.push_str(&format!(" ({})", article(ty.aws_name())));
            }
            if let Some(l) = &e.level {
                out.push_str(&format!(" at level `{l}`"));
            }
            out
        }
        Decision::ImplicitDeny => match (e.policy_type, &e.level) {
            (Some(ty), Some(l)) => format!(
                "implicitly denied: no {} allows it at level `{l}`",
                ty.aws_name()
            ),
            (Some(ty), None) => format!("implicitly denied: no {} allows it", ty.aws_name()),
            _ => "implicitly denied: nothing allows it".to_string(),
        },
    }
}

fn query(t: &TestCase) -> Query {
    Query {
        action: t.action.clone(),
        resource: if t.resource.is_empty() {
            "*".to_string()
        } else {
            t.resource.clone()
        },
        context: t.context.clone(),
    }
}

/// Runs every test of the organization.
pub fn run(engine: &OrgEngine<'_>) -> (Vec<TestResult>, Vec<Diagnostic>) {
    let org = engine.org();
    let mut results = Vec::new();
    let mut diags = Vec::new();
    for t in &org.tests {
        let q = query(t);
        let ev = engine.explain(&t.principal, &q, Assume::Nothing);
        let unknown = engine.unknown_policies(&t.principal);
        let passed = holds(t.expect, ev.decision);
        let status = if unknown.is_empty() {
            if passed {
                TestStatus::Passed
            } else {
                TestStatus::Failed
            }
        } else {
            let other = engine.decide(&t.principal, &q, Assume::Everything);
            match (passed, holds(t.expect, other)) {
                (true, true) => TestStatus::Passed,
                (false, false) => TestStatus::Failed,
                _ => TestStatus::Undecided,
            }
        };
        let name = t
            .name
            .clone()
            .unwrap_or_else(|| format!("{} {}", t.principal_text, t.action));
        let why = reason(&ev, &t.principal_text);
        match status {
            TestStatus::Passed => {}
            TestStatus::Failed => {
                let d = Diagnostic::new(
                    Severity::Error,
                    "LF801",
                    format!(
                        "test `{name}`: expected {}, got {}: {why}",
                        expectation_text(t.expect),
                        decision_text(ev.decision)
                    ),
                )
                .with_help(match t.expect {
                    Expectation::Allow => "the trace shows the gate that denies; grant the action or lift the deny (or fix the test)",
                    _ => "the trace shows what allows (or how it is denied); add the missing deny or narrow the grant (or fix the test)",
                })
                .with_note(format!("as `{}`: {} on `{}`", t.principal_text, t.action, q.resource))
                .with_note(trace_note(&ev));
                diags.push(at(d, &t.origin, "this test", &org.blueprint));
            }
            TestStatus::Undecided => {
                let d = Diagnostic::new(
                    Severity::Warning,
                    "LF802",
                    format!(
                        "test `{name}` cannot be decided: it depends on {} (no document)",
                        unknown.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ")
                    ),
                )
                .with_help("the outcome differs between \"grants nothing\" and \"allows everything\"; use a policy landform knows (see LF701)")
                .with_note(format!("assuming it grants nothing: {}", decision_text(ev.decision)))
                .with_note(trace_note(&ev));
                diags.push(at(d, &t.origin, "this test", &org.blueprint));
            }
        }
        results.push(TestResult {
            name,
            principal: t.principal_text.clone(),
            action: t.action.clone(),
            resource: q.resource.clone(),
            expect: t.expect,
            decision: ev.decision,
            status,
            reason: why,
            unknown_policies: unknown,
            evaluation: ev,
            origin: t.origin.clone(),
        });
    }
    (results, diags)
}

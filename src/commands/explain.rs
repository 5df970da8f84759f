//! `landform explain BLUEPRINT --as PRINCIPAL --action A [--resource R]
//! [--context k=v…] [--format human|json]`: the decision for one request made
//! by a principal of the compiled organization, with the trace through every
//! gate (each SCP level from the root down, the RCP levels, the resource or
//! trust policy, the identity policies, the boundary).
//!
//! The offline answer to "why was I denied?" — before deployment, where
//! `aws sts decode-authorization-message` answers only after the fact.
//! Principals: `permission_set:NAME@ACCOUNT`, `role:NAME@ACCOUNT`,
//! `delegation:TEAM@ACCOUNT`, `user:NAME`. The context defaults are the ones
//! `landform check` uses (home region, `aws:PrincipalArn`, …); `--context`
//! overrides them (repeat a key for a multi-valued key).
//!
//! Exit codes: 0 when the request was evaluated (whatever the decision), 1
//! when the blueprint has errors, 2 when it cannot be read or the arguments
//! do not name a principal of the blueprint.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::CommandError;
use crate::blueprint::codes::is_input_code;
use crate::blueprint::{load, resolve::resolve, validate};
use crate::cli::{Exit, ExplainArgs, Io, SimFormat};
use crate::diagnostics::render::{HumanOptions, human_all};
use crate::policy::eval::Evaluation;
use crate::principals::{Assume, OrgEngine, Query, resolve as resolve_principal};

#[derive(Serialize)]
struct Output<'a> {
    principal: &'a str,
    principal_arn: &'a str,
    caller_arn: &'a str,
    account: &'a str,
    action: &'a str,
    resource: &'a str,
    context: &'a BTreeMap<String, Vec<String>>,
    unknown_policies: &'a [String],
    #[serde(flatten)]
    evaluation: &'a Evaluation,
}

/// `key=value` pairs; a repeated key collects its values.
fn context(items: &[String]) -> Result<BTreeMap<String, Vec<String>>, CommandError> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in items {
        let Some((k, v)) = item.split_once('=') else {
            return Err(CommandError::Usage(format!(
                "`--context {item}` is not `key=value` (e.g. `--context aws:RequestedRegion=us-east-1`)"
            )));
        };
        if k.trim().is_empty() {
            return Err(CommandError::Usage(format!(
                "`--context {item}` has no key"
            )));
        }
        out.entry(k.trim().to_string())
            .or_default()
            .push(v.to_string());
    }
    Ok(out)
}

pub fn run(args: &ExplainArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let ctx = context(&args.context)?;
    let loaded = match load(&args.blueprint) {
        Ok(l) => l,
        Err(f) => {
            let text = human_all(&f.diagnostics, &f.sources, HumanOptions { color: io.color });
            io.err.write_all(text.as_bytes())?;
            return Ok(Exit::BadInput);
        }
    };
    let mut diags = validate(&loaded);
    let name = args.blueprint.to_string_lossy().replace('\\', "/");
    let org = if diags.has_errors() {
        None
    } else {
        let (org, more) = resolve(&loaded.blueprint, &name);
        diags.extend(more);
        org
    };
    let Some(org) = org else {
        diags.sort(&loaded.sources);
        let text = human_all(&diags, &loaded.sources, HumanOptions { color: io.color });
        io.err.write_all(text.as_bytes())?;
        return Ok(
            if diags.iter().any(|d| d.is_error() && is_input_code(&d.code)) {
                Exit::BadInput
            } else {
                Exit::Findings
            },
        );
    };
    let principal = resolve_principal(&org, &args.principal)
        .map_err(|e| CommandError::Usage(format!("{}\n  help: {}", e.message, e.help)))?;
    let engine = OrgEngine::new(&org);
    let who = engine.describe(&principal);
    let q = Query {
        action: args.action.clone(),
        resource: args.resource.clone(),
        context: ctx,
    };
    let ev = engine.explain(&principal, &q, Assume::Nothing);
    let unknown = engine.unknown_policies(&principal);
    let account = org.account(who.account).name.clone();
    match args.format {
        SimFormat::Json => {
            let out = Output {
                principal: &who.display,
                principal_arn: &who.principal_arn,
                caller_arn: &who.arn,
                account: &account,
                action: &q.action,
                resource: &q.resource,
                context: &q.context,
                unknown_policies: &unknown,
                evaluation: &ev,
            };
            let mut s = serde_json::to_string_pretty(&out).unwrap_or_else(|_| "{}".into());
            s.push('\n');
            io.out.write_all(s.as_bytes())?;
        }
        SimFormat::Human => {
            let mut s = String::new();
            let _ = writeln!(s, "as:       {} (account {account})", who.display);
            let _ = writeln!(s, "          {}", who.arn);
            let _ = writeln!(s, "request:  {} on {}", q.action, q.resource);
            for (k, v) in &q.context {
                let _ = writeln!(s, "context:  {k} = {}", v.join(", "));
            }
            if !unknown.is_empty() {
                let _ = writeln!(
                    s,
                    "note:     no document for {}: assumed to grant nothing",
                    unknown.join(", ")
                );
            }
            s.push('\n');
            s.push_str(&ev.to_human());
            io.out.write_all(s.as_bytes())?;
        }
    }
    Ok(Exit::Success)
}

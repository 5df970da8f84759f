//! The three forms of a diff: [`human`], [`json`] (documented in
//! `docs/diff-json.md`) and [`markdown`] (a pull-request comment).
//!
//! Human and markdown compress: a group of changed actions longer than
//! [`MAX_ACTIONS`] is summarised by service and access level (`s3: 87
//! Write`) with its riskiest actions listed, and at most [`MAX_GROUPS`]
//! access groups and [`MAX_CHANGES`] structural lines are shown. JSON is
//! always complete. Every form is deterministic.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use super::Diff;
use super::access::{ActionChange, Group, Presence, action_risk};
use super::risk::{self, Risk};
use super::structure::{Change, Element, Field, Op};
use super::textdiff;
use super::tree::{Mark, OuNode};
use crate::catalog::{AccessLevel, catalog};
use crate::diagnostics::Severity;

/// The version of the JSON document.
pub const DIFF_FORMAT_VERSION: u32 = 1;
/// Actions listed one by one per group and direction before summarising.
pub const MAX_ACTIONS: usize = 20;
/// Access groups shown in human and markdown reports.
pub const MAX_GROUPS: usize = 50;
/// Structural lines shown in human and markdown reports.
pub const MAX_CHANGES: usize = 200;
/// Rows of the riskiest-gains table of the markdown report.
const MAX_TOP_ROWS: usize = 10;
/// Services named in a by-service summary before `and N more services`.
pub const MAX_SERVICES: usize = 8;
/// Accounts named in a line before `and N more`.
const MAX_NAMES: usize = 5;
/// OUs in the diagram before only the changed branches are drawn.
const MAX_DIAGRAM_OUS: usize = 60;

fn action_name(c: &ActionChange) -> String {
    catalog()
        .action_by_id(c.action)
        .map_or_else(|| format!("#{}", c.action.0), |i| i.full_name())
}

fn action_level(c: &ActionChange) -> Option<(&'static str, AccessLevel)> {
    catalog()
        .action_by_id(c.action)
        .map(|i| (i.service, i.access_level))
}

/// `a, b, c, d, e and 12 more`.
fn names(list: &[String], max: usize) -> String {
    let shown: Vec<&str> = list.iter().take(max).map(String::as_str).collect();
    let more = list.len().saturating_sub(max);
    match (shown.len(), more) {
        (0, _) => String::new(),
        (1, 0) => shown[0].to_string(),
        (_, 0) => {
            let (last, rest) = shown.split_last().map_or(("", &[][..]), |(l, r)| (*l, r));
            format!("{} and {last}", rest.join(", "))
        }
        _ => format!("{} and {more} more", shown.join(", ")),
    }
}

fn plural(n: usize, word: &str) -> String {
    let k = num(n);
    if n == 1 {
        format!("{k} {word}")
    } else if word.ends_with('s') {
        format!("{k} {word}es")
    } else {
        format!("{k} {word}s")
    }
}

/// `iam: 2 Permissions management, 1 Write; s3: 87 Write` — services by
/// risk, then name.
pub fn service_summary(changes: &[ActionChange], prod: bool) -> String {
    let mut by: BTreeMap<&str, BTreeMap<AccessLevel, usize>> = BTreeMap::new();
    for c in changes {
        if let Some((svc, level)) = action_level(c) {
            *by.entry(svc).or_default().entry(level).or_default() += 1;
        }
    }
    let mut services: Vec<(&str, BTreeMap<AccessLevel, usize>)> = by.into_iter().collect();
    services.sort_by_key(|(svc, levels)| {
        let top = levels
            .keys()
            .map(|l| risk::risk(svc, *l, prod))
            .max()
            .unwrap_or(Risk::Low);
        (
            std::cmp::Reverse(top),
            !risk::is_sensitive(svc),
            svc.to_string(),
        )
    });
    let more = services.len().saturating_sub(MAX_SERVICES);
    let mut text = services
        .iter()
        .take(MAX_SERVICES)
        .map(|(svc, levels)| {
            let mut ls: Vec<(&AccessLevel, &usize)> = levels.iter().collect();
            ls.sort_by_key(|(l, _)| risk::level_rank(**l));
            let parts: Vec<String> = ls
                .iter()
                .map(|(l, n)| format!("{n} {}", l.as_str()))
                .collect();
            format!("{svc}: {}", parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    if more > 0 {
        let _ = write!(text, "; and {more} more services");
    }
    text
}

fn transition(c: &ActionChange) -> String {
    format!("{} → {}", c.from.as_str(), c.to.as_str())
}

fn presence_note(g: &Group) -> &'static str {
    match g.presence {
        Presence::Both => "",
        Presence::Added => " (new principal)",
        Presence::Removed => " (principal removed)",
    }
}

fn where_text(g: &Group) -> String {
    let n = g.accounts.len();
    let prod = if g.production { ", production" } else { "" };
    if n == 1 {
        format!("in {}{prod}", g.accounts[0])
    } else {
        format!("in {n} accounts{prod} ({})", names(&g.accounts, MAX_NAMES))
    }
}

/// Structural changes that differ only by account, merged.
struct Merged<'a> {
    change: &'a Change,
    accounts: Vec<String>,
}

fn merge_changes(changes: &[Change]) -> Vec<Merged<'_>> {
    let mut index: BTreeMap<(Element, &str, Op, &[Field]), usize> = BTreeMap::new();
    let mut out: Vec<Merged<'_>> = Vec::new();
    for c in changes {
        let k = (c.element, c.key.as_str(), c.op, c.fields.as_slice());
        match index.get(&k) {
            Some(i) => out[*i].accounts.extend(c.account.clone()),
            None => {
                index.insert(k, out.len());
                out.push(Merged {
                    change: c,
                    accounts: c.account.iter().cloned().collect(),
                });
            }
        }
    }
    out
}

fn merged_title(m: &Merged<'_>) -> String {
    let c = m.change;
    let mut s = format!("{} {} {}", c.element.singular(), c.key, c.op.as_str());
    if c.element == Element::Organization {
        s = "organization settings changed".to_string();
    }
    match m.accounts.len() {
        0 => {}
        1 => {
            let _ = write!(s, " in {}", m.accounts[0]);
        }
        n => {
            let _ = write!(s, " in {n} accounts ({})", names(&m.accounts, MAX_NAMES));
        }
    }
    s
}

fn merged_title_md(m: &Merged<'_>) -> String {
    let c = m.change;
    if c.element == Element::Organization {
        return "**organization settings** changed".to_string();
    }
    let mut s = format!(
        "**{}** {} {}",
        c.element.singular(),
        code(&c.key),
        c.op.as_str()
    );
    match m.accounts.len() {
        0 => {}
        1 => {
            let _ = write!(s, " in {}", md(&m.accounts[0]));
        }
        n => {
            let _ = write!(
                s,
                " in {n} accounts ({})",
                md(&names(&m.accounts, MAX_NAMES))
            );
        }
    }
    s
}

/// `12,345`.
fn num(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn field_lines(f: &Field) -> Vec<String> {
    if f.document {
        let d = textdiff::unified(
            f.base.as_deref().unwrap_or(""),
            f.head.as_deref().unwrap_or(""),
            2,
        );
        let mut v = vec![format!("{}:", f.name)];
        v.extend(d.lines().map(str::to_string));
        v
    } else {
        vec![format!(
            "{}: {} → {}",
            f.name,
            f.base.as_deref().unwrap_or("(none)"),
            f.head.as_deref().unwrap_or("(none)")
        )]
    }
}

fn count_ops(changes: &[Change]) -> BTreeMap<Op, usize> {
    let mut m = BTreeMap::new();
    for c in changes {
        *m.entry(c.op).or_default() += 1;
    }
    m
}

fn structure_summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no change".to_string();
    }
    let mut by: BTreeMap<Element, BTreeMap<Op, usize>> = BTreeMap::new();
    for c in changes {
        *by.entry(c.element).or_default().entry(c.op).or_default() += 1;
    }
    by.iter()
        .map(|(e, ops)| {
            let parts: Vec<String> = ops
                .iter()
                .map(|(op, n)| format!("{n} {}", op.as_str()))
                .collect();
            format!("{}: {}", e.plural(), parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn high_gains(d: &Diff) -> usize {
    d.access
        .groups
        .iter()
        .map(|g| {
            g.gained
                .iter()
                .filter(|c| action_risk(c.action, g.production) == Risk::High)
                .count()
                * g.accounts.len()
        })
        .sum()
}

fn access_summary(d: &Diff) -> String {
    if !d.access.available {
        return "not compared (this build has no access matrix)".to_string();
    }
    if d.access.is_empty() {
        return format!(
            "no change ({} principal × account pairs compared)",
            d.access.pairs
        );
    }
    let (g, l) = d.access.totals();
    format!(
        "{} of {} principal × account pairs changed: {} gained, {} lost ({} high-risk gains)",
        num(d.access.pairs_changed),
        num(d.access.pairs),
        num(g),
        num(l),
        num(high_gains(d))
    )
}

fn findings_summary(d: &Diff) -> String {
    if !d.findings_compared {
        return "not compared (--no-checks)".to_string();
    }
    let f = &d.findings;
    let sev = |list: &[super::findings::Finding]| {
        let e = super::findings::FindingsDiff::count(list, Severity::Error);
        let w = super::findings::FindingsDiff::count(list, Severity::Warning);
        if list.is_empty() {
            "0".to_string()
        } else {
            format!(
                "{} ({}, {})",
                list.len(),
                plural(e, "error"),
                plural(w, "warning")
            )
        }
    };
    format!(
        "{} appeared, {} disappeared, {} unchanged",
        sev(&f.appeared),
        sev(&f.disappeared),
        f.unchanged
    )
}

/// The actions of one direction of a group: all of them, or the riskiest
/// and a summary.
fn action_lines(list: &[ActionChange], prod: bool, sign: &str) -> Vec<String> {
    let mut out = Vec::new();
    if list.len() > MAX_ACTIONS {
        out.push(format!("by service: {}", service_summary(list, prod)));
    }
    for c in list.iter().take(MAX_ACTIONS) {
        let level = action_level(c).map_or("", |(_, l)| l.as_str());
        out.push(format!(
            "{sign} {} [{}, {level}] {}",
            action_name(c),
            action_risk(c.action, prod).as_str(),
            transition(c)
        ));
    }
    if list.len() > MAX_ACTIONS {
        out.push(format!(
            "… and {} more (all of them with --format json)",
            list.len() - MAX_ACTIONS
        ));
    }
    out
}

// ---------------------------------------------------------------------------
// human

fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{title}");
    let _ = writeln!(out, "{}", "─".repeat(title.chars().count()));
}

/// The human report.
pub fn human(d: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "landform diff: {} → {}", d.base, d.head);
    let _ = writeln!(
        out,
        "  structure:        {}",
        structure_summary(&d.structure)
    );
    let _ = writeln!(out, "  effective access: {}", access_summary(d));
    let _ = writeln!(out, "  findings:         {}", findings_summary(d));
    if !d.structure.is_empty() {
        heading(&mut out, "Structure");
        let merged = merge_changes(&d.structure);
        for m in merged.iter().take(MAX_CHANGES) {
            let _ = writeln!(out, "{} {}", m.change.op.sign(), merged_title(m));
            for f in &m.change.fields {
                for l in field_lines(f) {
                    let _ = writeln!(out, "    {l}");
                }
            }
        }
        if merged.len() > MAX_CHANGES {
            let _ = writeln!(
                out,
                "… and {} more (all of them with --format json)",
                merged.len() - MAX_CHANGES
            );
        }
    }
    if !d.access.is_empty() {
        heading(&mut out, "Effective access (riskiest first)");
        for g in d.access.groups.iter().take(MAX_GROUPS) {
            let _ = writeln!(
                out,
                "[{}] {} {}{}",
                g.risk.as_str(),
                g.principal,
                where_text(g),
                presence_note(g)
            );
            for (list, word, sign) in [(&g.gained, "gained", "+"), (&g.lost, "lost", "-")] {
                if list.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "  {word} {}:", plural(list.len(), "action"));
                for l in action_lines(list, g.production, sign) {
                    let _ = writeln!(out, "    {l}");
                }
            }
        }
        if d.access.groups.len() > MAX_GROUPS {
            let _ = writeln!(
                out,
                "… and {} more groups (all of them with --format json)",
                d.access.groups.len() - MAX_GROUPS
            );
        }
    }
    if !d.findings.is_empty() {
        heading(&mut out, "Findings");
        for f in &d.findings.appeared {
            let _ = writeln!(out, "+ {}", f.line);
        }
        for f in &d.findings.disappeared {
            let _ = writeln!(out, "- {}", f.line);
        }
    }
    if d.is_empty() {
        let _ = writeln!(out, "\nno change");
    }
    out
}

// ---------------------------------------------------------------------------
// JSON

fn action_json(c: &ActionChange, prod: bool) -> Value {
    let (service, level) = action_level(c).map_or(("", ""), |(s, l)| (s, l.as_str()));
    json!({
        "action": action_name(c),
        "service": service,
        "access_level": level,
        "risk": action_risk(c.action, prod),
        "from": c.from,
        "to": c.to,
    })
}

/// The JSON document (see `docs/diff-json.md`).
pub fn json_value(d: &Diff) -> Value {
    let ops = count_ops(&d.structure);
    let (gained, lost) = d.access.totals();
    let groups: Vec<Value> = d
        .access
        .groups
        .iter()
        .map(|g| {
            json!({
                "principal": g.principal,
                "accounts": g.accounts,
                "production": g.production,
                "presence": g.presence,
                "risk": g.risk,
                "gained": g.gained.iter().map(|c| action_json(c, g.production)).collect::<Vec<_>>(),
                "lost": g.lost.iter().map(|c| action_json(c, g.production)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let tree: Vec<Value> = d
        .tree
        .iter()
        .filter(|n| n.is_marked())
        .map(|n| {
            json!({
                "path": n.path,
                "mark": n.mark.as_str(),
                "moved_from": n.moved_from,
                "accounts": n.accounts.iter().map(|(a, m)| json!({"name": a, "mark": m.as_str()})).collect::<Vec<_>>(),
                "access_changed_accounts": n.access_accounts,
            })
        })
        .collect();
    json!({
        "landform_diff": DIFF_FORMAT_VERSION,
        "base": d.base,
        "head": d.head,
        "changed": !d.is_empty(),
        "summary": {
            "structure": {
                "added": ops.get(&Op::Added).copied().unwrap_or(0),
                "removed": ops.get(&Op::Removed).copied().unwrap_or(0),
                "moved": ops.get(&Op::Moved).copied().unwrap_or(0),
                "changed": ops.get(&Op::Changed).copied().unwrap_or(0),
            },
            "access": {
                "compared": d.access.available,
                "pairs": d.access.pairs,
                "pairs_changed": d.access.pairs_changed,
                "gained": gained,
                "lost": lost,
                "high_risk_gained": high_gains(d),
            },
            "findings": {
                "compared": d.findings_compared,
                "appeared": d.findings.appeared.len(),
                "disappeared": d.findings.disappeared.len(),
                "unchanged": d.findings.unchanged,
            },
        },
        "structure": d.structure,
        "access": groups,
        "findings": {
            "appeared": d.findings.appeared,
            "disappeared": d.findings.disappeared,
        },
        "tree": tree,
    })
}

pub fn json(d: &Diff) -> String {
    let mut s = serde_json::to_string_pretty(&json_value(d)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

// ---------------------------------------------------------------------------
// markdown

/// Escapes text for a markdown table cell or line.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}

fn risk_badge(r: Risk) -> &'static str {
    match r {
        Risk::High => "🔴 high",
        Risk::Medium => "🟠 medium",
        Risk::Low => "⚪ low",
    }
}

/// The markdown report: a summary, the riskiest gains, then folded details
/// and the OU diagram.
pub fn markdown(d: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### landform diff");
    let _ = writeln!(out);
    let _ = writeln!(out, "{} → {}", code(&d.base), code(&d.head));
    let _ = writeln!(out);
    if d.is_empty() {
        let _ = writeln!(
            out,
            "No change: the same structure, the same effective access{}.",
            if d.findings_compared {
                " and the same findings"
            } else {
                ""
            }
        );
        return out;
    }
    let _ = writeln!(out, "| | |");
    let _ = writeln!(out, "|---|---|");
    let _ = writeln!(
        out,
        "| **Structure** | {} |",
        md(&structure_summary(&d.structure))
    );
    let _ = writeln!(out, "| **Effective access** | {} |", md(&access_summary(d)));
    let _ = writeln!(out, "| **Findings** | {} |", md(&findings_summary(d)));
    let _ = writeln!(out);

    // the riskiest gains: one row per group with medium- or high-risk gains
    let rows: Vec<(&Group, Vec<&ActionChange>)> = d
        .access
        .groups
        .iter()
        .filter_map(|g| {
            let risky: Vec<&ActionChange> = g
                .gained
                .iter()
                .filter(|c| action_risk(c.action, g.production) >= Risk::Medium)
                .collect();
            (!risky.is_empty()).then_some((g, risky))
        })
        .collect();
    if !rows.is_empty() {
        let _ = writeln!(out, "**Riskiest gains**");
        let _ = writeln!(out);
        let _ = writeln!(out, "| risk | principal | where | gains |");
        let _ = writeln!(out, "|---|---|---|---|");
        for (g, risky) in rows.iter().take(MAX_TOP_ROWS) {
            let high = risky
                .iter()
                .filter(|c| action_risk(c.action, g.production) == Risk::High)
                .count();
            let examples: Vec<String> = risky
                .iter()
                .take(3)
                .map(|c| code(&action_name(c)))
                .collect();
            let more = if risky.len() > 3 { ", …" } else { "" };
            let counts = if high > 0 {
                format!("{} ({} high)", num(g.gained.len()), num(high))
            } else {
                num(g.gained.len())
            };
            let _ = writeln!(
                out,
                "| {} | {}{} | {} | {counts}: {}{more} |",
                risk_badge(g.risk),
                code(&g.principal),
                md(presence_note(g)),
                md(&where_text(g)),
                examples.join(", "),
            );
        }
        if rows.len() > MAX_TOP_ROWS {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "… and {} more principals with risky gains below.",
                rows.len() - MAX_TOP_ROWS
            );
        }
        let _ = writeln!(out);
    }

    if !d.structure.is_empty() {
        let merged = merge_changes(&d.structure);
        let _ = writeln!(
            out,
            "<details><summary>Structure: {}</summary>\n",
            plural(d.structure.len(), "change")
        );
        for m in merged.iter().take(MAX_CHANGES) {
            let _ = writeln!(out, "- {}", merged_title_md(m));
            for f in &m.change.fields {
                if f.document {
                    let body = textdiff::unified(
                        f.base.as_deref().unwrap_or(""),
                        f.head.as_deref().unwrap_or(""),
                        2,
                    );
                    let _ = writeln!(out, "  - {}:\n", md(&f.name));
                    let _ = writeln!(out, "    ```diff");
                    for l in body.lines() {
                        let _ = writeln!(out, "    {}", l.replace("```", "'''"));
                    }
                    let _ = writeln!(out, "    ```");
                } else {
                    for l in field_lines(f) {
                        let _ = writeln!(out, "  - {}", md(&l));
                    }
                }
            }
        }
        if merged.len() > MAX_CHANGES {
            let _ = writeln!(
                out,
                "\n… and {} more (run `landform diff --format json` for all of them)",
                merged.len() - MAX_CHANGES
            );
        }
        let _ = writeln!(out, "\n</details>\n");
    }

    if !d.access.is_empty() {
        let (g, l) = d.access.totals();
        let _ = writeln!(
            out,
            "<details><summary>Effective access: {} gained, {} lost</summary>\n",
            num(g),
            num(l)
        );
        for grp in d.access.groups.iter().take(MAX_GROUPS) {
            let _ = writeln!(
                out,
                "#### {} {} {}{}\n",
                risk_badge(grp.risk),
                code(&grp.principal),
                md(&where_text(grp)),
                presence_note(grp)
            );
            for (list, word, sign) in [(&grp.gained, "Gained", "+"), (&grp.lost, "Lost", "-")] {
                if list.is_empty() {
                    continue;
                }
                let _ = writeln!(
                    out,
                    "{word} {}: {}\n",
                    plural(list.len(), "action"),
                    md(&service_summary(list, grp.production))
                );
                let _ = writeln!(out, "```diff");
                for c in list.iter().take(MAX_ACTIONS) {
                    let _ = writeln!(
                        out,
                        "{sign} {}  ({}, {})",
                        action_name(c),
                        action_risk(c.action, grp.production).as_str(),
                        transition(c)
                    );
                }
                if list.len() > MAX_ACTIONS {
                    let _ = writeln!(out, "  … and {} more", list.len() - MAX_ACTIONS);
                }
                let _ = writeln!(out, "```\n");
            }
        }
        if d.access.groups.len() > MAX_GROUPS {
            let _ = writeln!(
                out,
                "… and {} more principals (run `landform diff --format json` for all of them)\n",
                d.access.groups.len() - MAX_GROUPS
            );
        }
        let _ = writeln!(out, "</details>\n");
    }

    if !d.findings.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Findings: {} appeared, {} disappeared</summary>\n",
            d.findings.appeared.len(),
            d.findings.disappeared.len()
        );
        for (list, word) in [
            (&d.findings.appeared, "appeared"),
            (&d.findings.disappeared, "disappeared"),
        ] {
            for f in list.iter() {
                let j = &f.diagnostic;
                let loc = match (&j.file, j.line) {
                    (Some(file), Some(line)) => format!(" {}", code(&format!("{file}:{line}"))),
                    (Some(file), None) => format!(" {}", code(file)),
                    _ => String::new(),
                };
                let _ = writeln!(
                    out,
                    "- **{word}** {} {}{loc}: {}",
                    j.severity,
                    code(&j.code),
                    md(&j.message)
                );
            }
        }
        let _ = writeln!(out, "\n</details>\n");
    }

    let diagram = mermaid(&d.tree);
    if !diagram.is_empty() {
        let _ = writeln!(out, "<details><summary>OU tree</summary>\n");
        out.push_str(&diagram);
        let _ = writeln!(out, "\n</details>");
    }
    out
}

fn mermaid_label(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// A `graph TD` of the OU tree with changed OUs and accounts marked.
pub fn mermaid(tree: &[OuNode]) -> String {
    if !tree.iter().any(OuNode::is_marked) {
        return String::new();
    }
    // which OUs to draw: all of them when the tree is small, otherwise the
    // marked ones and their ancestors
    let draw: Vec<&OuNode> = if tree.len() <= MAX_DIAGRAM_OUS {
        tree.iter().collect()
    } else {
        let mut keep = std::collections::BTreeSet::new();
        for n in tree.iter().filter(|n| n.is_marked()) {
            let mut p = Some(n.path.clone());
            while let Some(path) = p {
                let parent = tree
                    .iter()
                    .find(|x| x.path == path)
                    .and_then(OuNode::parent);
                keep.insert(path);
                p = parent;
            }
        }
        tree.iter().filter(|n| keep.contains(&n.path)).collect()
    };
    let ids: BTreeMap<&str, String> = draw
        .iter()
        .enumerate()
        .map(|(i, n)| (n.path.as_str(), format!("ou{i}")))
        .collect();
    let mut out = String::from("```mermaid\ngraph TD\n");
    let mut classes: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut acct_n = 0;
    for n in &draw {
        let id = &ids[n.path.as_str()];
        let mut label = n.name().to_string();
        if let Some(from) = &n.moved_from {
            let _ = write!(label, " (moved from {from})");
        }
        let _ = writeln!(out, "  {id}[\"{}\"]", mermaid_label(&label));
        if let Some(pid) = n.parent().and_then(|p| ids.get(p.as_str())) {
            let _ = writeln!(out, "  {pid} --> {id}");
        }
        if n.mark != Mark::Unchanged {
            classes.entry(n.mark.as_str()).or_default().push(id.clone());
        }
        for (a, m) in &n.accounts {
            let aid = format!("acct{acct_n}");
            acct_n += 1;
            let _ = writeln!(out, "  {aid}([\"{}\"])", mermaid_label(a));
            let _ = writeln!(out, "  {id} --> {aid}");
            classes.entry(m.as_str()).or_default().push(aid);
        }
        match n.access_accounts.len() {
            0 => {}
            k if k <= 3 => {
                for a in &n.access_accounts {
                    let aid = format!("acct{acct_n}");
                    acct_n += 1;
                    let _ = writeln!(out, "  {aid}([\"{}\"])", mermaid_label(a));
                    let _ = writeln!(out, "  {id} -.-> {aid}");
                    classes.entry("access").or_default().push(aid);
                }
            }
            k => {
                let aid = format!("acct{acct_n}");
                acct_n += 1;
                let _ = writeln!(out, "  {aid}([\"{k} accounts: access changed\"])");
                let _ = writeln!(out, "  {id} -.-> {aid}");
                classes.entry("access").or_default().push(aid);
            }
        }
    }
    let styles = [
        ("added", "fill:#dafbe1,stroke:#1a7f37"),
        (
            "removed",
            "fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 3",
        ),
        ("moved", "fill:#fbefff,stroke:#8250df"),
        ("changed", "fill:#fff8c5,stroke:#9a6700"),
        ("access", "fill:#ddf4ff,stroke:#0969da"),
    ];
    for (name, style) in styles {
        if let Some(ids) = classes.get(name) {
            let _ = writeln!(out, "  classDef {name} {style}");
            let _ = writeln!(out, "  class {} {name}", ids.join(","));
        }
    }
    out.push_str("```\n");
    let legend: Vec<&str> = styles
        .iter()
        .filter(|(n, _)| classes.contains_key(n))
        .map(|(n, _)| *n)
        .collect();
    let _ = writeln!(out, "\nMarked: {}.", legend.join(", "));
    out
}

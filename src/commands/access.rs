//! `landform access BLUEPRINT [--as PRINCIPAL] [--account ACCOUNT]
//! [--service PREFIX] [--format human|json|markdown|csv]`: the
//! effective-access matrix ([`crate::access`]) of the compiled organization.
//!
//! Three views, chosen by the filters:
//!
//! - **overview** (no `--as`, no `--service`): one row per (principal,
//!   account) with the number of catalogue actions allowed, conditional,
//!   denied explicitly and implicitly;
//! - **services** (`--as`): per selected entry, the counts by service and
//!   access level (List, Read, Write, Permissions management, Tagging) of the
//!   services it has any access to;
//! - **actions** (`--service`): per selected entry, every action of the
//!   service with its status and why (the condition keys it depends on, the
//!   statement that denies it, the gate that has no allow for it).
//!
//! `--account` keeps the entries of one account. `--as` takes a principal
//! reference (`permission_set:NAME@ACCOUNT`, `role:NAME@ACCOUNT`,
//! `delegation:TEAM@ACCOUNT`, `user:NAME`); without `@ACCOUNT` it selects the
//! principal in every account it exists in (or in `--account`).
//!
//! Exit codes, as `landform show`: 0 when the blueprint compiles, 1 when it
//! has errors, 2 when it cannot be read or the arguments name no principal,
//! account or service of the blueprint (with a suggestion).

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Value, json};

use super::CommandError;
use super::pipeline::compile;
use crate::access::summary::{self, Counts, ServiceSummary};
use crate::access::{self, ActionSets, Entry, Matrix, Status};
use crate::catalog::{AccessLevel, ActionId, catalog};
use crate::cli::{AccessArgs, AccessFormat, Exit, Io};
use crate::org::Org;
use crate::util::suggest;

/// The version of the JSON document (see `docs/access-json.md`).
pub const ACCESS_FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Overview,
    Services,
    Actions,
}

impl View {
    fn as_str(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Services => "services",
            View::Actions => "actions",
        }
    }
}

fn usage(message: String, help: Option<String>) -> CommandError {
    match help {
        Some(h) => CommandError::Usage(format!("{message}\n  help: {h}")),
        None => CommandError::Usage(message),
    }
}

pub fn run(args: &AccessArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let org = match compile(&args.blueprint, io)? {
        Ok(c) => c.org,
        Err(exit) => return Ok(exit),
    };
    let service = match &args.service {
        Some(s) => Some(service_prefix(s)?),
        None => None,
    };
    if let Some(a) = &args.account {
        check_account(&org, a)?;
    }
    let matrix = access::compute(&org);
    let selected = select(
        &org,
        &matrix,
        args.principal.as_deref(),
        args.account.as_deref(),
    )?;
    let view = if service.is_some() {
        View::Actions
    } else if args.principal.is_some() {
        View::Services
    } else {
        View::Overview
    };
    let report = Report {
        org: &org,
        matrix: &matrix,
        entries: selected,
        view,
        service,
    };
    let text = match args.format {
        AccessFormat::Human => report.human(),
        AccessFormat::Markdown => report.markdown(),
        AccessFormat::Csv => report.csv(),
        AccessFormat::Json => report.json()?,
    };
    io.out.write_all(text.as_bytes())?;
    Ok(Exit::Success)
}

fn service_prefix(s: &str) -> Result<&'static str, CommandError> {
    let c = catalog();
    match c.service(s) {
        Some(svc) => Ok(svc.prefix),
        None => Err(usage(
            format!("there is no service `{s}` in the catalogue"),
            Some(match c.suggest_service(s) {
                Some(x) => format!("did you mean `{x}`?"),
                None => "use a service prefix as in IAM actions (`s3`, `iam`, `ec2`)".to_string(),
            }),
        )),
    }
}

fn check_account(org: &Org, name: &str) -> Result<(), CommandError> {
    if org.account_by_name(name).is_some() {
        return Ok(());
    }
    let names: Vec<&str> = org.accounts.iter().map(|a| a.name.as_str()).collect();
    Err(usage(
        format!("there is no account `{name}`"),
        Some(
            suggest::did_you_mean(name, &names)
                .unwrap_or_else(|| "use the name of an account of this blueprint".to_string()),
        ),
    ))
}

/// The entries the filters keep, in matrix order.
fn select<'m>(
    org: &Org,
    matrix: &'m Matrix,
    principal: Option<&str>,
    account: Option<&str>,
) -> Result<Vec<&'m Entry>, CommandError> {
    let by_account = |e: &&Entry| account.is_none_or(|a| e.account_name == a);
    let Some(p) = principal.map(str::trim) else {
        return Ok(matrix.entry_list().iter().filter(by_account).collect());
    };
    if p.contains('@') || p.starts_with("user:") {
        // a complete reference: resolve it (with the bridge's suggestions)
        let r = crate::principals::resolve(org, p).map_err(|e| usage(e.message, Some(e.help)))?;
        let text = crate::principals::display(org, &r);
        let found: Vec<&Entry> = matrix
            .entry_list()
            .iter()
            .filter(|e| e.principal == text)
            .filter(by_account)
            .collect();
        if found.is_empty()
            && let Some(a) = account
        {
            return Err(usage(
                format!("`{text}` does not act in account `{a}`"),
                Some("drop `--account`, or name the principal in that account".to_string()),
            ));
        }
        return Ok(found);
    }
    // `kind:NAME`, or a bare `NAME`: that principal in every account (or in
    // `--account`)
    let prefix = format!("{p}@");
    let bare = !p.contains(':');
    let found: Vec<&Entry> = matrix
        .entry_list()
        .iter()
        .filter(|e| e.principal.starts_with(&prefix) || bare && name_part(&e.principal) == p)
        .filter(by_account)
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    if let Some(a) = account {
        // let the bridge say what is wrong with `kind:NAME@ACCOUNT`
        let full = format!("{p}@{a}");
        crate::principals::resolve(org, &full).map_err(|e| usage(e.message, Some(e.help)))?;
    }
    let mut names: Vec<&str> = matrix
        .entry_list()
        .iter()
        .map(|e| {
            let kind_name = e.principal.split('@').next().unwrap_or(&e.principal);
            if bare {
                name_part(kind_name)
            } else {
                kind_name
            }
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    Err(usage(
        format!("no principal `{p}` in this blueprint"),
        Some(suggest::did_you_mean(p, &names).unwrap_or_else(|| {
            "write `permission_set:NAME@ACCOUNT`, `role:NAME@ACCOUNT`, `delegation:TEAM@ACCOUNT` or `user:NAME`".to_string()
        })),
    ))
}

/// `permission_set:Admin@prod` → `Admin`.
fn name_part(principal: &str) -> &str {
    let after = principal.split_once(':').map_or(principal, |(_, n)| n);
    after.split('@').next().unwrap_or(after)
}

/// What one action's row says.
struct ActionRow {
    guarded: bool,
    name: String,
    level: AccessLevel,
    status: Status,
    detail: String,
    json: Value,
}

struct Report<'a> {
    org: &'a Org,
    matrix: &'a Matrix,
    entries: Vec<&'a Entry>,
    view: View,
    service: Option<&'static str>,
}

fn level_index(l: AccessLevel) -> usize {
    AccessLevel::ALL.iter().position(|x| *x == l).unwrap_or(0)
}

fn status_word(s: Status, guarded: bool) -> &'static str {
    match s {
        Status::Allowed => "allowed",
        Status::Conditional if guarded => "allowed unless",
        Status::Conditional => "allowed if",
        Status::DeniedExplicit => "denied (explicit)",
        Status::DeniedImplicit => "denied (implicit)",
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

impl<'a> Report<'a> {
    /// Per class: the service summaries (computed once per class).
    fn services_by_class(&self) -> HashMap<usize, Vec<ServiceSummary>> {
        let mut out = HashMap::new();
        for e in &self.entries {
            let c = self.matrix.class_of(e);
            out.entry(c)
                .or_insert_with(|| summary::by_service(self.matrix.sets(e)));
        }
        out
    }

    /// Per class: the rows of the selected service's actions.
    fn actions_by_class(&self) -> HashMap<usize, Vec<ActionRow>> {
        let mut out = HashMap::new();
        let Some(svc) = self.service.and_then(|s| catalog().service(s)) else {
            return out;
        };
        for e in &self.entries {
            let c = self.matrix.class_of(e);
            out.entry(c).or_insert_with(|| {
                let sets = self.matrix.sets(e);
                let mut rows: Vec<ActionRow> = svc
                    .actions()
                    .map(|a| action_row(sets, a.id, a.full_name(), a.access_level))
                    .collect();
                rows.sort_by(|x, y| {
                    (level_index(x.level), x.status, &x.name).cmp(&(
                        level_index(y.level),
                        y.status,
                        &y.name,
                    ))
                });
                rows
            });
        }
        out
    }

    fn header_counts(&self) -> (usize, usize) {
        let mut classes: Vec<usize> = self
            .entries
            .iter()
            .map(|e| self.matrix.class_of(e))
            .collect();
        classes.sort_unstable();
        classes.dedup();
        (self.entries.len(), classes.len())
    }

    fn human(&self) -> String {
        let mut s = String::new();
        let (n, classes) = self.header_counts();
        let _ = writeln!(
            s,
            "Effective access in {} ({}): {n} principal-account pair{}, {classes} equivalence class{}",
            self.org.name,
            self.org.blueprint,
            if n == 1 { "" } else { "s" },
            if classes == 1 { "" } else { "es" },
        );
        let _ = writeln!(
            s,
            "(catalogue actions on resources of the principal's own account; conditional: allowed unless a conditional deny applies, or only if a conditional allow applies)"
        );
        for issue in self.matrix.issues() {
            let _ = writeln!(s, "note: {issue}");
        }
        let _ = writeln!(s);
        if self.entries.is_empty() {
            let _ = writeln!(s, "no principal matches");
            return s;
        }
        match self.view {
            View::Overview => {
                let wp = self
                    .entries
                    .iter()
                    .map(|e| e.principal.len())
                    .max()
                    .unwrap_or(0)
                    .max("PRINCIPAL".len());
                let wa = self
                    .entries
                    .iter()
                    .map(|e| e.account_name.len())
                    .max()
                    .unwrap_or(0)
                    .max("ACCOUNT".len());
                let _ = writeln!(
                    s,
                    "UNLESS: allowed unless a conditional deny applies (a region lock, an MFA requirement); IF: allowed only if a conditional allow applies\n"
                );
                let _ = writeln!(
                    s,
                    "{:wp$}  {:wa$}  {:>7}  {:>6}  {:>6}  {:>15}  {:>15}",
                    "PRINCIPAL",
                    "ACCOUNT",
                    "ALLOWED",
                    "UNLESS",
                    "IF",
                    "DENIED EXPLICIT",
                    "DENIED IMPLICIT"
                );
                let mut counts = CountCache::default();
                for e in &self.entries {
                    let c = counts.get(self.matrix, e);
                    let _ = writeln!(
                        s,
                        "{:wp$}  {:wa$}  {:>7}  {:>6}  {:>6}  {:>15}  {:>15}",
                        e.principal,
                        e.account_name,
                        c.allowed,
                        c.guarded,
                        c.conditional - c.guarded,
                        c.denied_explicit,
                        c.denied_implicit
                    );
                }
            }
            View::Services => {
                let by_class = self.services_by_class();
                let _ = writeln!(
                    s,
                    "cell: actions allowed (+N conditional); `-`: none of that level allowed; `.`: the service has none"
                );
                for e in &self.entries {
                    let services = &by_class[&self.matrix.class_of(e)];
                    entry_heading(&mut s, e, self.matrix.sets(e));
                    let shown: Vec<&ServiceSummary> =
                        services.iter().filter(|x| x.total().any_access()).collect();
                    let w = shown
                        .iter()
                        .map(|x| x.service.len())
                        .max()
                        .unwrap_or(0)
                        .max("SERVICE".len());
                    if shown.is_empty() {
                        let _ = writeln!(s, "  no access to any service\n");
                        continue;
                    }
                    let _ = write!(s, "  {:w$}", "SERVICE");
                    for l in AccessLevel::ALL {
                        let _ = write!(s, "  {:>12}", short_level(l));
                    }
                    let _ = writeln!(s);
                    for x in &shown {
                        let _ = write!(s, "  {:w$}", x.service);
                        for c in &x.levels {
                            let _ = write!(s, "  {:>12}", cell(c));
                        }
                        let _ = writeln!(s);
                    }
                    let hidden = services.len() - shown.len();
                    if hidden > 0 {
                        let _ = writeln!(s, "  ({hidden} other services: nothing allowed)");
                    }
                    let _ = writeln!(s);
                }
            }
            View::Actions => {
                let by_class = self.actions_by_class();
                let svc = self.service.unwrap_or("");
                for e in &self.entries {
                    let rows = &by_class[&self.matrix.class_of(e)];
                    let mut c = Counts::default();
                    for r in rows {
                        count(&mut c, r.status);
                    }
                    let _ = writeln!(
                        s,
                        "{} in {} — {svc}: {} allowed, {} conditional, {} denied explicitly, {} denied implicitly",
                        e.principal,
                        e.account_name,
                        c.allowed,
                        c.conditional,
                        c.denied_explicit,
                        c.denied_implicit
                    );
                    let w = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
                    let mut level = None;
                    for r in rows {
                        if level != Some(r.level) {
                            level = Some(r.level);
                            let _ = writeln!(s, "  {}", r.level);
                        }
                        let _ = writeln!(
                            s,
                            "    {:17}  {:w$}  {}",
                            status_word(r.status, r.guarded),
                            r.name,
                            r.detail
                        );
                    }
                    let _ = writeln!(s);
                }
            }
        }
        s
    }

    fn markdown(&self) -> String {
        let mut s = String::new();
        let (n, classes) = self.header_counts();
        let _ = writeln!(s, "## Effective access in `{}`\n", self.org.name);
        let _ = writeln!(
            s,
            "{n} principal-account pairs, {classes} equivalence classes. Catalogue actions on resources of the principal's own account; *conditional*: allowed only under conditions or on some resources.\n"
        );
        for issue in self.matrix.issues() {
            let _ = writeln!(s, "> note: {}", md_escape(issue));
        }
        if !self.matrix.issues().is_empty() {
            let _ = writeln!(s);
        }
        match self.view {
            View::Overview => {
                let _ = writeln!(
                    s,
                    "| principal | account | allowed | allowed unless a condition denies | allowed if a condition allows | denied explicitly | denied implicitly |"
                );
                let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|");
                let mut counts = CountCache::default();
                for e in &self.entries {
                    let c = counts.get(self.matrix, e);
                    let _ = writeln!(
                        s,
                        "| `{}` | `{}` | {} | {} | {} | {} | {} |",
                        e.principal,
                        e.account_name,
                        c.allowed,
                        c.guarded,
                        c.conditional - c.guarded,
                        c.denied_explicit,
                        c.denied_implicit
                    );
                }
            }
            View::Services => {
                let by_class = self.services_by_class();
                for e in &self.entries {
                    let sets = self.matrix.sets(e);
                    let t = summary::totals(sets);
                    let _ = writeln!(
                        s,
                        "### `{}` in `{}`\n\n{} allowed, {} conditional, {} denied explicitly, {} denied implicitly. Cells: actions allowed (+ conditional).\n",
                        e.principal,
                        e.account_name,
                        t.allowed,
                        t.conditional,
                        t.denied_explicit,
                        t.denied_implicit
                    );
                    let _ = write!(s, "| service |");
                    for l in AccessLevel::ALL {
                        let _ = write!(s, " {} |", l);
                    }
                    let _ = writeln!(s, "\n|---|---:|---:|---:|---:|---:|");
                    for x in by_class[&self.matrix.class_of(e)]
                        .iter()
                        .filter(|x| x.total().any_access())
                    {
                        let _ = write!(s, "| `{}` |", x.service);
                        for c in &x.levels {
                            let _ = write!(s, " {} |", cell(c));
                        }
                        let _ = writeln!(s);
                    }
                    let _ = writeln!(s);
                }
            }
            View::Actions => {
                let by_class = self.actions_by_class();
                for e in &self.entries {
                    let _ = writeln!(
                        s,
                        "### `{}` in `{}`: `{}`\n",
                        e.principal,
                        e.account_name,
                        self.service.unwrap_or("")
                    );
                    let _ = writeln!(s, "| action | access level | status | why |");
                    let _ = writeln!(s, "|---|---|---|---|");
                    for r in &by_class[&self.matrix.class_of(e)] {
                        let _ = writeln!(
                            s,
                            "| `{}` | {} | {} | {} |",
                            r.name,
                            r.level,
                            status_word(r.status, r.guarded),
                            md_escape(&r.detail)
                        );
                    }
                    let _ = writeln!(s);
                }
            }
        }
        s
    }

    fn csv(&self) -> String {
        let mut s = String::new();
        match self.view {
            View::Overview => {
                let _ = writeln!(
                    s,
                    "principal,account,allowed,conditional,guarded,denied_explicit,denied_implicit"
                );
                let mut counts = CountCache::default();
                for e in &self.entries {
                    let c = counts.get(self.matrix, e);
                    let _ = writeln!(
                        s,
                        "{},{},{},{},{},{},{}",
                        csv_field(&e.principal),
                        csv_field(&e.account_name),
                        c.allowed,
                        c.conditional,
                        c.guarded,
                        c.denied_explicit,
                        c.denied_implicit
                    );
                }
            }
            View::Services => {
                let by_class = self.services_by_class();
                let _ = writeln!(
                    s,
                    "principal,account,service,access_level,allowed,conditional,guarded,denied_explicit,denied_implicit"
                );
                for e in &self.entries {
                    for x in by_class[&self.matrix.class_of(e)]
                        .iter()
                        .filter(|x| x.total().any_access())
                    {
                        for (l, c) in AccessLevel::ALL.iter().zip(&x.levels) {
                            if c.total() == 0 {
                                continue;
                            }
                            let _ = writeln!(
                                s,
                                "{},{},{},{},{},{},{},{},{}",
                                csv_field(&e.principal),
                                csv_field(&e.account_name),
                                x.service,
                                l,
                                c.allowed,
                                c.conditional,
                                c.guarded,
                                c.denied_explicit,
                                c.denied_implicit
                            );
                        }
                    }
                }
            }
            View::Actions => {
                let by_class = self.actions_by_class();
                let _ = writeln!(
                    s,
                    "principal,account,action,access_level,status,guarded,detail"
                );
                for e in &self.entries {
                    for r in &by_class[&self.matrix.class_of(e)] {
                        let _ = writeln!(
                            s,
                            "{},{},{},{},{},{},{}",
                            csv_field(&e.principal),
                            csv_field(&e.account_name),
                            r.name,
                            r.level,
                            r.status.as_str(),
                            r.guarded,
                            csv_field(&r.detail)
                        );
                    }
                }
            }
        }
        s
    }

    /// The JSON document, serialized from borrowed structs (no value tree
    /// per entry: the overview of a large organization has many).
    fn json(&self) -> Result<String, CommandError> {
        let services: HashMap<usize, Vec<ServiceJson>> = if self.view == View::Services {
            self.services_by_class()
                .into_iter()
                .map(|(class, list)| {
                    let list = list
                        .iter()
                        .filter(|x| x.total().any_access())
                        .map(|x| ServiceJson {
                            service: x.service,
                            levels: AccessLevel::ALL
                                .iter()
                                .zip(&x.levels)
                                .filter(|(_, c)| c.total() > 0)
                                .map(|(l, c)| (l.as_str(), *c))
                                .collect(),
                        })
                        .collect();
                    (class, list)
                })
                .collect()
        } else {
            HashMap::new()
        };
        let actions: HashMap<usize, Vec<Value>> = if self.view == View::Actions {
            self.actions_by_class()
                .into_iter()
                .map(|(class, rows)| (class, rows.into_iter().map(|r| r.json).collect()))
                .collect()
        } else {
            HashMap::new()
        };
        let mut counts = CountCache::default();
        let entries: Vec<EntryJson<'_>> = self
            .entries
            .iter()
            .map(|e| {
                let class = self.matrix.class_of(e);
                EntryJson {
                    principal: &e.principal,
                    account: &e.account_name,
                    class,
                    counts: counts.get(self.matrix, e),
                    services: services.get(&class).map(Vec::as_slice),
                    actions: actions.get(&class).map(Vec::as_slice),
                }
            })
            .collect();
        let doc = DocJson {
            version: ACCESS_FORMAT_VERSION,
            blueprint: &self.org.blueprint,
            organization: &self.org.name,
            view: self.view.as_str(),
            service: self.service,
            classes: self.header_counts().1,
            issues: self.matrix.issues(),
            entries,
        };
        let mut s = serde_json::to_string_pretty(&doc)
            .map_err(|e| CommandError::Input(format!("cannot print JSON: {e}")))?;
        s.push('\n');
        Ok(s)
    }
}

#[derive(Serialize)]
struct DocJson<'a> {
    version: u32,
    blueprint: &'a str,
    organization: &'a str,
    view: &'static str,
    service: Option<&'static str>,
    classes: usize,
    issues: &'a [String],
    entries: Vec<EntryJson<'a>>,
}

#[derive(Serialize)]
struct EntryJson<'a> {
    principal: &'a str,
    account: &'a str,
    class: usize,
    counts: Counts,
    #[serde(skip_serializing_if = "Option::is_none")]
    services: Option<&'a [ServiceJson]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actions: Option<&'a [Value]>,
}

#[derive(Serialize)]
struct ServiceJson {
    service: &'static str,
    levels: IndexedLevels,
}

/// Access level → counts, in [`AccessLevel::ALL`] order.
struct IndexedLevels(Vec<(&'static str, Counts)>);

impl FromIterator<(&'static str, Counts)> for IndexedLevels {
    fn from_iter<T: IntoIterator<Item = (&'static str, Counts)>>(iter: T) -> Self {
        IndexedLevels(iter.into_iter().collect())
    }
}

impl Serialize for IndexedLevels {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = ser.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Totals per class, computed once.
#[derive(Default)]
struct CountCache(HashMap<usize, Counts>);

impl CountCache {
    fn get(&mut self, matrix: &Matrix, e: &Entry) -> Counts {
        *self
            .0
            .entry(matrix.class_of(e))
            .or_insert_with(|| summary::totals(matrix.sets(e)))
    }
}

fn entry_heading(s: &mut String, e: &Entry, sets: &ActionSets) {
    let t = summary::totals(sets);
    let _ = writeln!(
        s,
        "{} in {}: {} allowed, {} conditional, {} denied explicitly, {} denied implicitly",
        e.principal, e.account_name, t.allowed, t.conditional, t.denied_explicit, t.denied_implicit
    );
}

fn short_level(l: AccessLevel) -> &'static str {
    match l {
        AccessLevel::PermissionsManagement => "PERMISSIONS",
        AccessLevel::List => "LIST",
        AccessLevel::Read => "READ",
        AccessLevel::Write => "WRITE",
        AccessLevel::Tagging => "TAGGING",
    }
}

fn cell(c: &Counts) -> String {
    match (c.total(), c.allowed, c.conditional) {
        (0, _, _) => ".".to_string(),
        (_, 0, 0) => "-".to_string(),
        (_, a, 0) => a.to_string(),
        (_, a, k) => format!("{a} (+{k})"),
    }
}

fn count(c: &mut Counts, s: Status) {
    match s {
        Status::Allowed => c.allowed += 1,
        Status::Conditional => c.conditional += 1,
        Status::DeniedExplicit => c.denied_explicit += 1,
        Status::DeniedImplicit => c.denied_implicit += 1,
    }
}

fn action_row(sets: &ActionSets, id: ActionId, name: String, level: AccessLevel) -> ActionRow {
    let status = sets.status(id);
    let guarded = sets.guarded().contains(id);
    let mut json = json!({
        "action": name,
        "access_level": level.as_str(),
        "status": status.as_str(),
    });
    let detail = match status {
        Status::Allowed => String::new(),
        Status::Conditional => {
            let c = sets.conditions(id);
            if let Some(m) = json.as_object_mut() {
                m.insert("guarded".into(), json!(guarded));
                m.insert("conditions".into(), json!(c));
            }
            c.describe()
        }
        Status::DeniedExplicit => match sets.explicit_denial(id) {
            Some(d) => {
                let text = d.describe();
                if let Some(m) = json.as_object_mut() {
                    m.insert("denied_by".into(), json!(d));
                }
                text
            }
            None => String::new(),
        },
        Status::DeniedImplicit => match sets.implicit_denial(id) {
            Some(g) => {
                if let Some(m) = json.as_object_mut() {
                    m.insert(
                        "no_allow_in".into(),
                        json!({"gate": g.kind, "level": g.level.as_deref()}),
                    );
                }
                format!("no allow in the {}", g.describe())
            }
            None => String::new(),
        },
    };
    ActionRow {
        guarded,
        name,
        level,
        status,
        detail,
        json,
    }
}

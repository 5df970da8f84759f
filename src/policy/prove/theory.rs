//! Satisfiability of the literals that constrain one variable, and a witness
//! value for it.
//!
//! Exact for strings (automata), numbers, dates and IP addresses (intervals).
//! Two things are relaxed — always towards "satisfiable", the safe side:
//! atoms over [`Lang::Opaque`] values (only the presence they imply is kept),
//! and patterns with policy variables (a variable-bearing pattern required
//! *and* excluded with the same text cancels exactly; otherwise a required one
//! is read as `*` in the variable's place and an excluded one is ignored).
//! Every relaxation sets `approx`, so the caller knows a witness must be
//! confirmed on a concrete request before it is reported as certain.

use super::automaton::{Answer, Query};
use super::glob::{Fill, Pattern};
use super::interval::{self, IpSet, RealSet};
use super::model::{ACTION, AtomKind, Domain, Encoder, Lang, Lit, VarId};

/// How many catalogue actions a witness search looks at.
const CATALOG_SCAN: usize = 25_000;

/// A value of a variable in a witness request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Absent,
    One(String),
    Many(Vec<String>),
}

/// The outcome of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub sat: bool,
    /// Why the answer may be too optimistic ("satisfiable" when it is not).
    pub approx: Option<String>,
    pub value: Option<Value>,
    /// Automaton states explored (the work the check did).
    pub cost: usize,
}

impl Checked {
    fn unsat(cost: usize) -> Self {
        Checked {
            sat: false,
            approx: None,
            value: None,
            cost,
        }
    }
}

/// Decides whether some value of `var` satisfies all of `lits` (which must
/// all be about `var`); with `witness`, also builds one.
pub fn check(enc: &Encoder, var: VarId, lits: &[Lit], witness: bool) -> Checked {
    let info = &enc.vars[var];
    let mut present = info.always_present;
    let mut absent = false;
    let mut ex_pos: Vec<(usize, bool)> = Vec::new();
    let mut ex_neg: Vec<(usize, bool)> = Vec::new();
    for lit in lits {
        match enc.atoms[lit.atom].kind {
            AtomKind::Present => {
                if lit.pos {
                    present = true;
                } else {
                    absent = true;
                }
            }
            AtomKind::Exists { lang, comp } => {
                if lit.pos {
                    present = true;
                    ex_pos.push((lang, comp));
                } else {
                    ex_neg.push((lang, comp));
                }
            }
        }
    }
    if absent && present {
        return Checked::unsat(0);
    }
    if !present {
        // an absent key satisfies every negative literal
        return Checked {
            sat: true,
            approx: None,
            value: Some(Value::Absent),
            cost: 0,
        };
    }
    let mut approx: Option<String> = None;
    let mut note = |why: String| {
        if approx.is_none() {
            approx = Some(why);
        }
    };
    let opaque = |l: usize| matches!(enc.langs[l], Lang::Opaque(_));
    for &(l, _) in ex_pos.iter().chain(ex_neg.iter()) {
        if opaque(l) {
            note(format!(
                "the prover cannot compare the values of `{}` exactly",
                info.name
            ));
        }
    }
    ex_pos.retain(|&(l, _)| !opaque(l));
    ex_neg.retain(|&(l, _)| !opaque(l));

    // the constraint every value must meet: outside each excluded language
    // (`¬Exists(L)`), inside each language whose complement is excluded
    // (`¬Exists(¬L)`); then one value per required language (multi-valued
    // keys) or one value for all of them (single-valued keys)
    let targets: Vec<Vec<(usize, bool)>> = if info.multi {
        if ex_pos.is_empty() {
            vec![Vec::new()]
        } else {
            ex_pos.iter().map(|t| vec![*t]).collect()
        }
    } else {
        vec![ex_pos.clone()]
    };
    let mut values = Vec::new();
    let mut cost = 0;
    for target in &targets {
        let r = match info.domain {
            Domain::Str => solve_str(enc, var, target, &ex_neg, witness),
            Domain::Number | Domain::Date => solve_real(enc, info.domain, target, &ex_neg),
            Domain::Ip => solve_ip(enc, target, &ex_neg),
        };
        match r {
            Solved::Unsat { cost: c } => return Checked::unsat(cost + c),
            Solved::Sat {
                value,
                approx: a,
                cost: c,
            } => {
                cost += c;
                if let Some(a) = a {
                    note(a);
                }
                if let Some(v) = value
                    && !values.contains(&v)
                {
                    values.push(v);
                }
            }
        }
    }
    let value = if !witness {
        None
    } else if info.multi {
        Some(Value::Many(values))
    } else {
        values.into_iter().next().map(Value::One)
    };
    Checked {
        sat: true,
        approx,
        value,
        cost,
    }
}

enum Solved {
    Unsat {
        cost: usize,
    },
    Sat {
        value: Option<String>,
        approx: Option<String>,
        cost: usize,
    },
}

fn str_lang(enc: &Encoder, l: usize) -> &[Pattern] {
    match &enc.langs[l] {
        Lang::Str(p) => p,
        _ => &[],
    }
}

fn solve_str(
    enc: &Encoder,
    var: VarId,
    target: &[(usize, bool)],
    ex_neg: &[(usize, bool)],
    witness: bool,
) -> Solved {
    let mut groups: Vec<Vec<&Pattern>> = Vec::new();
    let mut negative: Vec<&Pattern> = Vec::new();
    for &(l, comp) in target {
        if comp {
            negative.extend(str_lang(enc, l));
        } else {
            groups.push(str_lang(enc, l).iter().collect());
        }
    }
    for &(l, comp) in ex_neg {
        if comp {
            groups.push(str_lang(enc, l).iter().collect());
        } else {
            negative.extend(str_lang(enc, l));
        }
    }
    // policy variables: a required pattern that is also excluded, text for
    // text, can never be the match; other variable patterns are relaxed
    let mut approx = None;
    for g in &mut groups {
        g.retain(|p| !(p.has_vars && negative.contains(p)));
        if let Some(p) = g.iter().find(|p| p.has_vars) {
            approx = Some(format!(
                "`{}` uses a policy variable, whose value the prover does not know",
                p.text
            ));
        }
    }
    if let Some(p) = negative.iter().find(|p| p.has_vars) {
        approx = Some(format!(
            "`{}` uses a policy variable, whose value the prover does not know",
            p.text
        ));
    }
    negative.retain(|p| !p.has_vars);
    let query = Query {
        positive: groups,
        negative,
        limit: super::automaton::DEFAULT_LIMIT,
    };
    let (answer, cost) = query.solve_counted();
    let found = match answer {
        Answer::Unsat => return Solved::Unsat { cost },
        Answer::Sat(s) => Some(s),
        Answer::Unknown => {
            approx = Some(format!(
                "comparing the patterns of `{}` exceeded the prover's limits",
                enc.vars[var].name
            ));
            None
        }
    };
    let value = if witness {
        readable(enc, var, &query).or(found)
    } else {
        found
    };
    Solved::Sat {
        value,
        approx,
        cost,
    }
}

/// A readable string satisfying `query`: the patterns' own text with
/// wildcards filled, tried in order (required patterns first, then every
/// pattern the policies use for this variable).
fn readable(enc: &Encoder, var: VarId, query: &Query<'_>) -> Option<String> {
    let vocab = enc.vocabulary.get(&var);
    let all: Vec<&Pattern> = query
        .positive
        .iter()
        .flatten()
        .copied()
        .chain(vocab.into_iter().flatten())
        .collect();
    if var == ACTION {
        return readable_action(&all, query);
    }
    // specific patterns first; `*` itself reads best as `*`
    for p in all.iter().filter(|p| !p.is_universal()) {
        for fill in [Fill::Readable, Fill::Shortest] {
            let s = p.example(fill);
            if query.accepts(&s) {
                return Some(s);
            }
        }
    }
    ["*"]
        .into_iter()
        .map(str::to_string)
        .find(|s| query.accepts(s))
}

/// Actions read best as real ones: the literal actions required, else a
/// familiar action, else one the catalogue knows that matches the first
/// wildcard pattern required, else an action the policies name, else any the
/// catalogue knows.
fn readable_action(all: &[&Pattern], query: &Query<'_>) -> Option<String> {
    let cat = crate::catalog::catalog();
    let from_catalog = |pattern: &str| {
        cat.expand(pattern)
            .take(CATALOG_SCAN)
            .filter_map(|id| cat.action_by_id(id))
            .map(|a| a.full_name())
            .find(|name| query.accepts(name))
    };
    let literal = |p: &&&Pattern| p.is_literal();
    let wild = |p: &&&Pattern| !p.is_literal() && !p.is_universal();
    let required: Vec<&Pattern> = query.positive.iter().flatten().copied().collect();
    let found = required
        .iter()
        .filter(literal)
        .map(|p| p.example(Fill::Shortest))
        .find(|s| query.accepts(s))
        .or_else(|| {
            FAMILIAR_ACTIONS
                .iter()
                .map(|s| (*s).to_string())
                .find(|s| query.accepts(s))
        })
        .or_else(|| {
            required
                .iter()
                .find(wild)
                .and_then(|p| from_catalog(&p.text))
        })
        .or_else(|| {
            all.iter()
                .filter(literal)
                .map(|p| p.example(Fill::Shortest))
                .find(|s| query.accepts(s))
        })
        .or_else(|| from_catalog("*"));
    found.or_else(|| {
        all.iter()
            .filter(|p| !p.is_universal())
            .map(|p| p.example(Fill::Readable))
            .find(|s| query.accepts(s))
    })
}

/// Actions a reader recognises, tried before the catalogue's alphabetical first.
const FAMILIAR_ACTIONS: [&str; 6] = [
    "s3:GetObject",
    "ec2:RunInstances",
    "iam:PassRole",
    "iam:CreateUser",
    "sts:AssumeRole",
    "dynamodb:GetItem",
];

fn real_lang(enc: &Encoder, l: usize) -> Option<&RealSet> {
    match &enc.langs[l] {
        Lang::Real(s) => Some(s),
        _ => None,
    }
}

fn ip_lang(enc: &Encoder, l: usize) -> Option<&IpSet> {
    match &enc.langs[l] {
        Lang::Ip(s) => Some(s),
        _ => None,
    }
}

/// Splits required/excluded sets the same way as strings: `(l, false)` in the
/// target and `(l, true)` in the negatives are "inside", the rest "outside".
fn split<'a, T>(
    enc: &'a Encoder,
    target: &[(usize, bool)],
    ex_neg: &[(usize, bool)],
    get: impl Fn(&'a Encoder, usize) -> Option<&'a T>,
) -> (Vec<&'a T>, Vec<&'a T>) {
    let mut inside = Vec::new();
    let mut outside = Vec::new();
    for &(l, comp) in target {
        if let Some(s) = get(enc, l) {
            if comp { &mut outside } else { &mut inside }.push(s);
        }
    }
    for &(l, comp) in ex_neg {
        if let Some(s) = get(enc, l) {
            if comp { &mut inside } else { &mut outside }.push(s);
        }
    }
    (inside, outside)
}

fn solve_real(
    enc: &Encoder,
    domain: Domain,
    target: &[(usize, bool)],
    ex_neg: &[(usize, bool)],
) -> Solved {
    let (inside, outside) = split(enc, target, ex_neg, real_lang);
    match interval::solve_reals(&inside, &outside) {
        None => Solved::Unsat { cost: 0 },
        Some(x) => Solved::Sat {
            value: Some(if domain == Domain::Date {
                interval::format_date(x)
            } else {
                interval::format_number(x)
            }),
            approx: None,
            cost: 0,
        },
    }
}

fn solve_ip(enc: &Encoder, target: &[(usize, bool)], ex_neg: &[(usize, bool)]) -> Solved {
    let (inside, outside) = split(enc, target, ex_neg, ip_lang);
    match interval::solve_ips(&inside, &outside) {
        None => Solved::Unsat { cost: 0 },
        Some(p) => Solved::Sat {
            value: Some(p.map_or_else(|| "not-an-ip-address".to_string(), |p| p.display())),
            approx: None,
            cost: 0,
        },
    }
}

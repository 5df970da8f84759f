//! Policies as logic: every request is a point in a space of *variables*
//! (the action, the resource, the principal, and one variable per condition
//! key), and a statement matches a set of points described by clauses over
//! *atoms* about single variables.
//!
//! A condition key's value in a request is a finite set of strings (empty
//! when the key is absent). Single-valued keys hold at most one value;
//! multi-valued ones any number. The atoms are
//!
//! - `Exists(k, L)`: some value of `k` is in the language `L`;
//! - `Exists(k, ¬L)`: some value of `k` is outside `L`;
//! - `Present(k)`: `k` has a value.
//!
//! The action, resource and principal are single-valued variables that are
//! always present, so `Exists(action, L)` is "the action is in `L`". Every
//! operator of the policy language (`…IfExists`, `Null`, `ForAllValues:`,
//! `ForAnyValue:`, the negated operators) is a small clause over these atoms;
//! see [`Encoder::condition`].
//!
//! Principals are strings `KIND|id` (`AWS|arn:aws:iam::1:role/r`,
//! `Service|ec2.amazonaws.com`, `Anonymous|`), so the `Principal` element and
//! the keys derived from the principal (`aws:PrincipalArn`,
//! `aws:PrincipalAccount`, `aws:PrincipalServiceName`) constrain one variable.

use std::collections::{BTreeMap, HashMap};

use super::glob::{Pattern, Piece, Segment, Syntax, Tok};
use super::interval::{self, Interval, IpSet, RealSet};
use crate::policy::ast::{
    Condition, OperatorBase, OperatorFamily, Policy, PrincipalBlock, PrincipalKind, PrincipalSpec,
    SetQualifier, Statement, Version,
};

pub type VarId = usize;
pub type AtomId = usize;

pub const ACTION: VarId = 0;
pub const RESOURCE: VarId = 1;
pub const PRINCIPAL: VarId = 2;

/// What kind of values a condition key holds, for the prover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    Str,
    Number,
    Date,
    Ip,
}

#[derive(Debug, Clone)]
pub struct VarInfo {
    /// The name as first written (`aws:RequestTag/Project`), or `action`, …
    pub name: String,
    pub multi: bool,
    pub always_present: bool,
    pub domain: Domain,
}

/// A set of values an atom talks about.
#[derive(Debug, Clone, PartialEq)]
pub enum Lang {
    Str(Vec<Pattern>),
    Real(RealSet),
    Ip(IpSet),
    /// Values the prover cannot reason about (unparsable numbers, a key
    /// compared in two domains); atoms over it are relaxed.
    Opaque(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum AtomKind {
    /// Some value is in `lang` (`comp == false`) or outside it (`comp == true`).
    Exists {
        lang: usize,
        comp: bool,
    },
    Present,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    pub var: VarId,
    pub kind: AtomKind,
}

/// An atom or its negation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lit {
    pub atom: AtomId,
    pub pos: bool,
}

impl Lit {
    pub fn negated(self) -> Lit {
        Lit {
            atom: self.atom,
            pos: !self.pos,
        }
    }
}

/// A disjunction of literals; the empty clause is false.
pub type Clause = Vec<Lit>;

/// Keys AWS documents as multi-valued (in addition to any key used with
/// `ForAllValues:`/`ForAnyValue:` and any service-specific key).
const MULTI_VALUED_GLOBAL_KEYS: [&str; 6] = [
    "aws:tagkeys",
    "aws:principalorgpaths",
    "aws:calledvia",
    "aws:principalservicenameslist",
    "aws:resourceorgpaths",
    "aws:sourceorgpaths",
];

/// Translates statements into clauses, interning variables, languages and atoms.
#[derive(Debug, Clone)]
pub struct Encoder {
    pub vars: Vec<VarInfo>,
    var_index: HashMap<String, VarId>,
    pub langs: Vec<Lang>,
    lang_index: HashMap<String, usize>,
    pub atoms: Vec<Atom>,
    atom_index: HashMap<(VarId, String), AtomId>,
    /// Why an atom is only approximated, when it is.
    pub notes: HashMap<AtomId, String>,
    /// Literal patterns seen per variable (for readable witnesses).
    pub vocabulary: BTreeMap<VarId, Vec<Pattern>>,
    /// The keys policy variables refer to (lowercase → as written).
    pub variable_keys: BTreeMap<String, String>,
    /// Key name (lowercase) → multi-valued, domain (decided from all policies).
    key_facts: HashMap<String, (bool, Domain)>,
    /// Literal for "the principal is a well-formed `KIND|id`".
    pub principal_universe: Lit,
}

impl Encoder {
    /// Prepares an encoder for statements of `policies` (their conditions
    /// decide each key's domain and whether it is multi-valued).
    pub fn new(policies: &[&Policy]) -> Self {
        let mut enc = Encoder {
            vars: Vec::new(),
            var_index: HashMap::new(),
            langs: Vec::new(),
            lang_index: HashMap::new(),
            atoms: Vec::new(),
            atom_index: HashMap::new(),
            notes: HashMap::new(),
            vocabulary: BTreeMap::new(),
            variable_keys: BTreeMap::new(),
            key_facts: HashMap::new(),
            principal_universe: Lit { atom: 0, pos: true },
        };
        for (name, multi) in [("action", false), ("resource", false), ("principal", false)] {
            enc.var_index.insert(name.to_string(), enc.vars.len());
            enc.vars.push(VarInfo {
                name: name.to_string(),
                multi,
                always_present: true,
                domain: Domain::Str,
            });
        }
        // key facts: the first operator family used decides the domain; a
        // set qualifier anywhere makes the key multi-valued
        let mut facts: HashMap<String, (bool, Option<Domain>)> = HashMap::new();
        for p in policies {
            for s in &p.statements {
                for c in &s.conditions {
                    let key = c.key.value.to_ascii_lowercase();
                    let op = c.operator.value;
                    let entry = facts
                        .entry(key.clone())
                        .or_insert((default_multi(&key), None));
                    if op.set.is_some() {
                        entry.0 = true;
                    }
                    if entry.1.is_none() {
                        entry.1 = match op.base.family() {
                            OperatorFamily::Numeric => Some(Domain::Number),
                            OperatorFamily::Date => Some(Domain::Date),
                            OperatorFamily::Ip => Some(Domain::Ip),
                            OperatorFamily::Null => None,
                            _ => Some(Domain::Str),
                        };
                    }
                }
            }
        }
        enc.key_facts = facts
            .into_iter()
            .map(|(k, (m, d))| (k, (m, d.unwrap_or(Domain::Str))))
            .collect();
        let universe = principal_universe();
        enc.principal_universe = enc.exists(PRINCIPAL, Lang::Str(universe), false, None);
        enc
    }

    fn key_var(&mut self, name: &str) -> VarId {
        let lower = name.to_ascii_lowercase();
        if let Some(&v) = self.var_index.get(&lower) {
            return v;
        }
        let (multi, domain) = self
            .key_facts
            .get(&lower)
            .copied()
            .unwrap_or((default_multi(&lower), Domain::Str));
        let id = self.vars.len();
        self.vars.push(VarInfo {
            name: name.to_string(),
            multi,
            always_present: false,
            domain,
        });
        self.var_index.insert(lower, id);
        id
    }

    fn intern_lang(&mut self, lang: Lang) -> usize {
        let key = format!("{lang:?}");
        if let Some(&i) = self.lang_index.get(&key) {
            return i;
        }
        let i = self.langs.len();
        self.langs.push(lang);
        self.lang_index.insert(key, i);
        i
    }

    fn atom(&mut self, var: VarId, kind: AtomKind, note: Option<String>) -> AtomId {
        let key = (var, format!("{kind:?}"));
        if let Some(&a) = self.atom_index.get(&key) {
            return a;
        }
        let a = self.atoms.len();
        self.atoms.push(Atom { var, kind });
        self.atom_index.insert(key, a);
        if let Some(n) = note {
            self.notes.insert(a, n);
        }
        a
    }

    fn exists(&mut self, var: VarId, lang: Lang, comp: bool, note: Option<String>) -> Lit {
        if let Lang::Str(pats) = &lang {
            for p in pats {
                for k in p.var_keys() {
                    self.variable_keys
                        .entry(k.to_ascii_lowercase())
                        .or_insert_with(|| k.to_string());
                }
            }
            let vocab = self.vocabulary.entry(var).or_default();
            for p in pats {
                if !vocab.contains(p) {
                    vocab.push(p.clone());
                }
            }
        }
        let note = note.or_else(|| match &lang {
            Lang::Str(pats) => pats.iter().find(|p| p.has_vars).map(|p| {
                format!(
                    "`{}` uses a policy variable, whose value the prover does not know",
                    p.text
                )
            }),
            _ => None,
        });
        let lang = self.intern_lang(lang);
        Lit {
            atom: self.atom(var, AtomKind::Exists { lang, comp }, note),
            pos: true,
        }
    }

    /// "The value of `var` is in `lang`" (for the action, resource and principal).
    pub fn in_lang(&mut self, var: VarId, lang: Lang) -> Lit {
        self.exists(var, lang, false, None)
    }

    fn present(&mut self, var: VarId) -> Lit {
        Lit {
            atom: self.atom(var, AtomKind::Present, None),
            pos: true,
        }
    }

    /// The clauses that hold exactly when `s` matches a request.
    pub fn statement(&mut self, policy: &Policy, s: &Statement) -> Vec<Clause> {
        let vars = policy.effective_version() == Version::V2012_10_17;
        let mut clauses = Vec::new();
        let actions = action_patterns(s);
        let lit = self.exists(ACTION, Lang::Str(actions), false, None);
        clauses.push(vec![if s.action.negated { lit.negated() } else { lit }]);
        if let Some(r) = &s.resource {
            let pats = resource_patterns(&r.items, vars);
            let lit = self.exists(RESOURCE, Lang::Str(pats), false, None);
            clauses.push(vec![if r.negated { lit.negated() } else { lit }]);
        }
        if let Some(p) = &s.principal {
            match principal_patterns(p) {
                Some(pats) => {
                    let lit = self.exists(PRINCIPAL, Lang::Str(pats), false, None);
                    clauses.push(vec![if p.negated { lit.negated() } else { lit }]);
                }
                // `NotPrincipal: "*"` matches nobody
                None if p.negated => clauses.push(Vec::new()),
                None => {}
            }
        }
        for c in &s.conditions {
            clauses.extend(self.condition(c, vars));
        }
        clauses
    }

    /// The clauses of one condition; see the module documentation.
    pub fn condition(&mut self, c: &Condition, vars: bool) -> Vec<Clause> {
        let op = c.operator.value;
        let key = c.key.value.as_str();
        if op.base == OperatorBase::Null {
            let mut t = false;
            let mut f = false;
            for v in &c.values {
                match v.value.to_ascii_lowercase().as_str() {
                    "true" => t = true,
                    "false" => f = true,
                    _ => {}
                }
            }
            let p = self.key_present(key);
            return match (t, f) {
                (true, true) => Vec::new(),
                (true, false) => vec![vec![p.negated()]],
                (false, true) => vec![vec![p]],
                (false, false) => vec![Vec::new()],
            };
        }
        let lower = key.to_ascii_lowercase();
        let domain = self.key_facts.get(&lower).map_or(Domain::Str, |f| f.1);
        let (lang, note) = condition_lang(c, domain, vars);
        let negated = op.base.is_negated();
        let e =
            |enc: &mut Encoder, comp: bool| enc.key_exists(key, lang.clone(), comp, note.clone());
        let clause = match (op.set, negated) {
            (None, false) if op.if_exists => {
                let p = self.key_present(key);
                vec![p.negated(), e(self, false)]
            }
            (None, false) => vec![e(self, false)],
            (Some(SetQualifier::ForAnyValue), false) if op.if_exists => {
                let p = self.key_present(key);
                vec![p.negated(), e(self, false)]
            }
            (Some(SetQualifier::ForAnyValue), false) => vec![e(self, false)],
            (Some(SetQualifier::ForAllValues), false) => vec![e(self, true).negated()],
            (None, true) => vec![e(self, false).negated()],
            (Some(SetQualifier::ForAnyValue), true) if op.if_exists => {
                let p = self.key_present(key);
                vec![p.negated(), e(self, true)]
            }
            (Some(SetQualifier::ForAnyValue), true) => vec![e(self, true)],
            (Some(SetQualifier::ForAllValues), true) => vec![e(self, false).negated()],
        };
        vec![clause]
    }

    /// `Present(key)`, with keys derived from the principal mapped onto it.
    fn key_present(&mut self, key: &str) -> Lit {
        match linked_prefix(key) {
            Some((prefix, _)) => {
                let pat = Pattern::any().prefixed(prefix);
                self.exists(PRINCIPAL, Lang::Str(vec![pat]), false, None)
            }
            None => {
                let v = self.key_var(key);
                self.present(v)
            }
        }
    }

    /// `Exists(key, lang)`, with keys derived from the principal mapped onto it
    /// when the translation is exact (otherwise the key stays a free variable,
    /// which only adds impossible requests: a safe relaxation).
    fn key_exists(&mut self, key: &str, lang: Lang, comp: bool, note: Option<String>) -> Lit {
        if let (Some((prefix, account)), Lang::Str(pats), false) = (linked_prefix(key), &lang, comp)
        {
            let mapped: Option<Vec<Pattern>> = pats
                .iter()
                .map(|p| {
                    if account {
                        account_principal_pattern(p)
                    } else {
                        Some(p.prefixed(prefix))
                    }
                })
                .collect();
            if let Some(mapped) = mapped {
                return self.exists(PRINCIPAL, Lang::Str(mapped), false, note);
            }
        }
        let v = self.key_var(key);
        self.exists(v, lang, comp, note)
    }
}

/// Whether a key may carry several values: what the catalogue says for keys
/// it knows; otherwise global (`aws:`) keys are single-valued unless AWS
/// documents them as lists, and unknown service keys are taken as possibly
/// multi-valued (the safe side: more requests to consider).
fn default_multi(lower_key: &str) -> bool {
    if MULTI_VALUED_GLOBAL_KEYS.contains(&lower_key) {
        return true;
    }
    if let Some(info) = crate::catalog::catalog().condition_key(lower_key) {
        return info.key_type.multivalued || info.alt_type.is_some_and(|t| t.multivalued);
    }
    !lower_key.starts_with("aws:")
}

/// For keys derived from the principal: the principal prefix, and whether
/// the key is the account (which needs the ARN wrapped around it).
fn linked_prefix(key: &str) -> Option<(&'static str, bool)> {
    match key.to_ascii_lowercase().as_str() {
        "aws:principalarn" => Some(("AWS|", false)),
        "aws:principalaccount" => Some(("AWS|", true)),
        "aws:principalservicename" => Some(("Service|", false)),
        _ => None,
    }
}

/// `AWS|arn:*:*:*:<account>:*` with the account pattern's wildcards kept
/// inside the account segment; `None` when the pattern has a `:` or a variable.
fn account_principal_pattern(p: &Pattern) -> Option<Pattern> {
    if p.has_vars || p.toks.contains(&Tok::Lit(':')) {
        return None;
    }
    let mut pieces: Vec<Piece> = "arn:".chars().map(|c| Piece::Tok(Tok::Lit(c))).collect();
    for seg in [Segment::Partition, Segment::Service, Segment::Region] {
        pieces.push(Piece::Tok(Tok::StarSeg(seg)));
        pieces.push(Piece::Tok(Tok::Lit(':')));
    }
    for t in &p.toks {
        pieces.push(Piece::Tok(match t {
            Tok::Star | Tok::StarSeg(_) => Tok::StarSeg(Segment::Account),
            Tok::Any => Tok::AnySeg,
            other => *other,
        }));
    }
    pieces.push(Piece::Tok(Tok::Lit(':')));
    pieces.push(Piece::Tok(Tok::Star));
    let mut pat = Pattern::from_pieces(pieces, false, format!("arn:*:*:*:{}:*", p.text));
    if p.is_literal() {
        pat.hint = Some(format!("arn:aws:iam::{}:root", p.text));
    }
    Some(pat.prefixed("AWS|"))
}

/// Every well-formed principal.
pub fn principal_universe() -> Vec<Pattern> {
    let mut pats = Vec::new();
    for (kind, hint) in [
        ("AWS|", "arn:aws:iam::123456789012:role/ExampleRole"),
        ("Service|", "ec2.amazonaws.com"),
        ("Federated|", "cognito-identity.amazonaws.com"),
        (
            "CanonicalUser|",
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
        ),
    ] {
        let mut p = Pattern::any();
        p.hint = Some(hint.to_string());
        pats.push(p.prefixed(kind));
    }
    pats.push(Pattern::literal("Anonymous|", false));
    pats
}

/// The `Action`/`NotAction` items as case-insensitive globs.
pub fn action_patterns(s: &Statement) -> Vec<Pattern> {
    s.action
        .items
        .iter()
        .map(|a| Pattern::new(&a.value, Syntax::Glob, true, false))
        .collect()
}

/// `Resource`/`NotResource` items as ARN-aware, case-sensitive globs.
pub fn resource_patterns(
    items: &[crate::policy::ast::Located<String>],
    vars: bool,
) -> Vec<Pattern> {
    items
        .iter()
        .map(|r| Pattern::new(&r.value, Syntax::Arn, false, vars))
        .collect()
}

/// The principals a `Principal` block names, as `KIND|id` patterns; `None`
/// when it names everyone.
pub fn principal_patterns(block: &PrincipalBlock) -> Option<Vec<Pattern>> {
    let entries = match &block.spec {
        PrincipalSpec::Wildcard => return None,
        PrincipalSpec::Map(entries) => entries,
    };
    let mut pats = Vec::new();
    for e in entries {
        for v in &e.values {
            let v = v.value.as_str();
            match e.kind {
                PrincipalKind::Aws => {
                    if v == "*" {
                        // `{"AWS": "*"}` is the same as `"*"`
                        return None;
                    }
                    if let Some(acct) = account_of_principal(v) {
                        let lit = Pattern::literal(acct, false);
                        if let Some(p) = account_principal_pattern(&lit) {
                            pats.push(p);
                            continue;
                        }
                    }
                    pats.push(Pattern::new(v, Syntax::Arn, false, false).prefixed("AWS|"));
                }
                other => {
                    let prefix = format!("{}|", other.as_str());
                    let p = if v == "*" {
                        Pattern::any()
                    } else {
                        Pattern::literal(v, false)
                    };
                    pats.push(p.prefixed(&prefix));
                }
            }
        }
    }
    Some(pats)
}

/// `123456789012` or `arn:aws:iam::123456789012:root` → the account.
fn account_of_principal(v: &str) -> Option<&str> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v);
    }
    let parts: Vec<&str> = v.split(':').collect();
    if parts.len() == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5] == "root" {
        return Some(parts[4]);
    }
    None
}

/// The language a condition's values name (for negated operators, the
/// language of the positive operator), and a note when it is approximated.
pub fn condition_lang(c: &Condition, domain: Domain, vars: bool) -> (Lang, Option<String>) {
    use OperatorBase as O;
    let op = c.operator.value;
    let family = op.base.family();
    let family_domain = match family {
        OperatorFamily::Numeric => Domain::Number,
        OperatorFamily::Date => Domain::Date,
        OperatorFamily::Ip => Domain::Ip,
        _ => Domain::Str,
    };
    let opaque = |why: String| {
        (
            Lang::Opaque(format!("{}:{}:{:?}", op, c.key.value, values_of(c))),
            Some(why),
        )
    };
    if family_domain != domain {
        return opaque(format!(
            "`{}` is compared as more than one kind of value",
            c.key.value
        ));
    }
    let vals = values_of(c);
    match family {
        OperatorFamily::String
        | OperatorFamily::Arn
        | OperatorFamily::Bool
        | OperatorFamily::Binary => {
            let (syntax, ci) = match op.base {
                O::StringEquals | O::StringNotEquals | O::BinaryEquals => (Syntax::Literal, false),
                O::StringEqualsIgnoreCase | O::StringNotEqualsIgnoreCase | O::Bool => {
                    (Syntax::Literal, true)
                }
                O::StringLike | O::StringNotLike => (Syntax::Glob, false),
                _ => (Syntax::Arn, false),
            };
            let vars = vars && op.base != O::Bool;
            let pats = vals
                .iter()
                .map(|v| Pattern::new(v, syntax, ci, vars))
                .collect();
            (Lang::Str(pats), None)
        }
        OperatorFamily::Numeric | OperatorFamily::Date => {
            let mut set = Vec::new();
            for v in &vals {
                let x = if family == OperatorFamily::Date {
                    interval::parse_date(v)
                } else {
                    v.trim().parse::<f64>().ok().filter(|x| x.is_finite())
                };
                let Some(x) = x else {
                    return opaque(format!(
                        "the value `{v}` of `{}` is not a {}",
                        c.key.value,
                        if family == OperatorFamily::Date {
                            "date"
                        } else {
                            "number"
                        }
                    ));
                };
                set.push(match op.base {
                    O::NumericLessThan | O::DateLessThan => Interval::below(x, false),
                    O::NumericLessThanEquals | O::DateLessThanEquals => Interval::below(x, true),
                    O::NumericGreaterThan | O::DateGreaterThan => Interval::above(x, false),
                    O::NumericGreaterThanEquals | O::DateGreaterThanEquals => {
                        Interval::above(x, true)
                    }
                    _ => Interval::point(x),
                });
            }
            (Lang::Real(RealSet(set)), None)
        }
        OperatorFamily::Ip => {
            let mut set = Vec::new();
            for v in &vals {
                match interval::parse_cidr(v.trim()) {
                    Some(r) => set.push(r),
                    None => {
                        return opaque(format!(
                            "the value `{v}` of `{}` is not an IP address or CIDR block",
                            c.key.value
                        ));
                    }
                }
            }
            (Lang::Ip(IpSet(set)), None)
        }
        OperatorFamily::Null => (Lang::Opaque(String::new()), None),
    }
}

fn values_of(c: &Condition) -> Vec<String> {
    c.values.iter().map(|v| v.value.clone()).collect()
}

//! The search: find an assignment of literals that meets every requirement,
//! with each variable's literals satisfiable (see [`super::theory`]).
//!
//! A requirement is a disjunction of alternatives, each a conjunction of
//! literals. "Statement `s` matches" is one requirement per clause of `s`;
//! "`s` does not match" is a single requirement whose alternatives are the
//! negations of `s`'s clauses (falsify the action, *or* the resource, *or* one
//! condition…). The search is DPLL-like: requirements already met (or implied
//! by what is assigned) are dropped, those left with one viable alternative
//! are assigned at once, and otherwise it branches on the requirement with the
//! fewest alternatives. Theory checks are cached per variable and literal set.
//! Work is bounded; past the bound the answer is [`Outcome::Limit`].

use std::collections::{BTreeMap, HashMap};

use super::model::{ACTION, AtomId, Clause, Encoder, Lit, PRINCIPAL, RESOURCE, VarId};
use super::theory::{self, Value};

/// A disjunction of conjunctions of literals.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub alts: Vec<Vec<Lit>>,
}

impl Requirement {
    /// A clause: one of its literals holds.
    pub fn clause(c: &Clause) -> Self {
        Requirement {
            alts: c.iter().map(|l| vec![*l]).collect(),
        }
    }

    /// The clauses of a statement do not all hold.
    pub fn not_all(clauses: &[Clause]) -> Self {
        Requirement {
            alts: clauses
                .iter()
                .map(|c| c.iter().map(|l| l.negated()).collect())
                .collect(),
        }
    }

    pub fn unit(l: Lit) -> Self {
        Requirement {
            alts: vec![vec![l]],
        }
    }
}

/// A request found by the search: a value for every constrained variable.
#[derive(Debug, Clone)]
pub struct Model {
    pub values: BTreeMap<VarId, Value>,
    /// Why the model may not be a real witness (it must then be checked on a
    /// concrete request).
    pub approx: Vec<String>,
    /// The literals assigned (for explanations).
    pub lits: Vec<Lit>,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Sat(Model),
    Unsat,
    /// The work bound was reached before an answer.
    Limit,
}

#[derive(Debug, Clone, Default)]
struct State {
    assigned: HashMap<AtomId, bool>,
    by_var: BTreeMap<VarId, Vec<Lit>>,
    order: Vec<Lit>,
}

enum Status {
    Satisfied,
    Viable(Vec<usize>),
}

/// How much work one proof may do: one unit per theory check not answered
/// from the cache, plus one per eight automaton states it explored.
pub const DEFAULT_BUDGET: usize = 200_000;

pub struct Solver<'a> {
    enc: &'a Encoder,
    cache: HashMap<(VarId, Vec<Lit>), (bool, Option<String>)>,
    work: usize,
    budget: usize,
}

impl<'a> Solver<'a> {
    pub fn new(enc: &'a Encoder) -> Self {
        Solver {
            enc,
            cache: HashMap::new(),
            work: 0,
            budget: DEFAULT_BUDGET,
        }
    }

    pub fn with_budget(mut self, budget: usize) -> Self {
        self.budget = budget;
        self
    }

    pub fn solve(&mut self, reqs: &[Requirement]) -> Outcome {
        let active: Vec<usize> = (0..reqs.len()).collect();
        self.dfs(State::default(), reqs, active)
    }

    fn var_sat(&mut self, var: VarId, lits: Vec<Lit>) -> bool {
        let mut lits = lits;
        lits.sort_unstable();
        lits.dedup();
        let key = (var, lits);
        if let Some((sat, _)) = self.cache.get(&key) {
            return *sat;
        }
        let c = theory::check(self.enc, var, &key.1, false);
        // one unit per check, plus the automaton work it did
        self.work += 1 + c.cost / 8;
        self.cache.insert(key, (c.sat, c.approx));
        c.sat
    }

    /// Whether the state plus `extra` is satisfiable variable by variable.
    fn consistent(&mut self, state: &State, extra: &[Lit]) -> bool {
        for l in extra {
            if state.assigned.get(&l.atom) == Some(&!l.pos) {
                return false;
            }
        }
        let mut touched: BTreeMap<VarId, Vec<Lit>> = BTreeMap::new();
        for l in extra {
            let var = self.enc.atoms[l.atom].var;
            touched.entry(var).or_default().push(*l);
        }
        for (var, mut lits) in touched {
            // a literal and its negation in `extra` itself
            if lits.iter().any(|l| lits.contains(&l.negated())) {
                return false;
            }
            if let Some(have) = state.by_var.get(&var) {
                lits.extend(have.iter().copied());
            }
            if !self.var_sat(var, lits) {
                return false;
            }
        }
        true
    }

    fn status(&mut self, state: &State, req: &Requirement) -> Status {
        let mut viable = Vec::new();
        for (i, alt) in req.alts.iter().enumerate() {
            if alt
                .iter()
                .all(|l| state.assigned.get(&l.atom) == Some(&l.pos))
            {
                return Status::Satisfied;
            }
            if !self.consistent(state, alt) {
                continue;
            }
            // implied by the state: every literal's negation is inconsistent
            let implied = alt.len() <= 4
                && alt.iter().all(|l| {
                    state.assigned.get(&l.atom) == Some(&l.pos)
                        || !self.consistent(state, &[l.negated()])
                });
            if implied {
                return Status::Satisfied;
            }
            viable.push(i);
        }
        Status::Viable(viable)
    }

    fn assign(&mut self, state: &mut State, alt: &[Lit]) -> bool {
        if !self.consistent(state, alt) {
            return false;
        }
        for l in alt {
            if state.assigned.insert(l.atom, l.pos).is_none() {
                let var = self.enc.atoms[l.atom].var;
                state.by_var.entry(var).or_default().push(*l);
                state.order.push(*l);
            }
        }
        true
    }

    fn dfs(&mut self, mut state: State, reqs: &[Requirement], mut active: Vec<usize>) -> Outcome {
        loop {
            if self.work > self.budget {
                return Outcome::Limit;
            }
            let mut pending: Vec<(usize, Vec<usize>)> = Vec::new();
            let mut changed = false;
            for &r in &active {
                match self.status(&state, &reqs[r]) {
                    Status::Satisfied => {}
                    Status::Viable(v) if v.is_empty() => return Outcome::Unsat,
                    Status::Viable(v) if v.len() == 1 => {
                        if !self.assign(&mut state, &reqs[r].alts[v[0]]) {
                            return Outcome::Unsat;
                        }
                        changed = true;
                    }
                    Status::Viable(v) => pending.push((r, v)),
                }
            }
            active = pending.iter().map(|p| p.0).collect();
            if changed {
                continue;
            }
            let Some((r, alts)) = pending.into_iter().min_by_key(|p| p.1.len()) else {
                return Outcome::Sat(self.model(&state));
            };
            let rest: Vec<usize> = active.iter().copied().filter(|&x| x != r).collect();
            let mut limited = false;
            for i in alts {
                let mut next = state.clone();
                if !self.assign(&mut next, &reqs[r].alts[i]) {
                    continue;
                }
                match self.dfs(next, reqs, rest.clone()) {
                    Outcome::Sat(m) => return Outcome::Sat(m),
                    Outcome::Limit => limited = true,
                    Outcome::Unsat => {}
                }
            }
            return if limited {
                Outcome::Limit
            } else {
                Outcome::Unsat
            };
        }
    }

    fn model(&mut self, state: &State) -> Model {
        let mut values = BTreeMap::new();
        let mut approx = Vec::new();
        let mut vars: Vec<VarId> = state.by_var.keys().copied().collect();
        for v in [ACTION, RESOURCE, PRINCIPAL] {
            if !vars.contains(&v) {
                vars.push(v);
            }
        }
        vars.sort_unstable();
        for var in vars {
            let lits = state.by_var.get(&var).cloned().unwrap_or_default();
            let c = theory::check(self.enc, var, &lits, true);
            if let Some(a) = c.approx
                && !approx.contains(&a)
            {
                approx.push(a);
            }
            if let Some(v) = c.value {
                values.insert(var, v);
            }
        }
        Model {
            values,
            approx,
            lits: state.order.clone(),
        }
    }
}

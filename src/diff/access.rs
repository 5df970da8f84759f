//! The change in effective access: for every (principal, account) of either
//! side, the catalogue actions whose state changed.
//!
//! An action is in one of four states for a principal in an account, read
//! from the access matrix ([`crate::access`]) on `Resource: *`: **allowed**
//! (unconditionally), **conditional** (allowed only under conditions or on
//! some resources), **guarded** (conditional, and a conditional `Deny` — a
//! region lock, a deny list with a condition — may refuse it) or **denied**
//! (explicitly or implicitly). A change up (denied → guarded → conditional →
//! allowed) is a *gain*, a change down is a *loss*: a deny list that starts
//! naming an action under a condition is a loss (conditional → guarded).
//! A principal that exists on one side only (a new permission-set
//! assignment, a removed role) gains or loses everything it has.
//!
//! Pairs with identical changes are grouped: one [`Group`] is a principal
//! (`permission_set:Admin`, `role:/app-admin`, `user:alice`), the accounts it
//! changed in identically (split by production or not, see [`super::risk`]),
//! and the changed actions, riskiest first. Identical action sets are shared
//! (interned), and a change between two sets is computed once, so a change
//! that reaches thousands of accounts costs one set difference.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::risk::{self, Risk};
use crate::access::ActionSet;
use crate::catalog::{ActionId, catalog};
use crate::org::Org;

/// What one principal may do in one account.
#[derive(Debug, Clone)]
pub struct Sets {
    pub allowed: Arc<ActionSet>,
    pub conditional: Arc<ActionSet>,
    /// Actions a conditional `Deny` may refuse.
    pub guarded: Arc<ActionSet>,
}

/// The state of one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Denied,
    /// Allowed only under conditions, and a conditional `Deny` may refuse it.
    Guarded,
    Conditional,
    Allowed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Denied => "denied",
            State::Guarded => "guarded",
            State::Conditional => "conditional",
            State::Allowed => "allowed",
        }
    }
}

impl Sets {
    pub fn state(&self, a: ActionId) -> State {
        if self.allowed.contains(a) {
            State::Allowed
        } else if self.conditional.contains(a) {
            if self.guarded.contains(a) {
                State::Guarded
            } else {
                State::Conditional
            }
        } else {
            State::Denied
        }
    }
}

/// Every (principal, account) of one organization with its action sets,
/// identical sets shared: the access matrix, its classes' sets interned, and
/// its entries in (principal, account) order.
#[derive(Debug)]
pub struct Snapshot {
    matrix: crate::access::Matrix,
    /// By equivalence class of the matrix.
    sets: Vec<Sets>,
    /// Indexes into the matrix's entries, sorted by (principal, account).
    order: Vec<u32>,
}

impl Snapshot {
    /// `(principal reference, account, sets)`, sorted by principal then account.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, &Sets)> + '_ {
        let list = self.matrix.entry_list();
        self.order.iter().map(move |i| {
            let e = &list[*i as usize];
            (
                e.principal.as_str(),
                e.account_name.as_str(),
                &self.sets[self.matrix.class_of(e)],
            )
        })
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// Shares identical sets.
#[derive(Debug, Default)]
pub struct Interner {
    seen: HashMap<ActionSet, Arc<ActionSet>>,
}

impl Interner {
    pub fn intern(&mut self, b: ActionSet) -> Arc<ActionSet> {
        if let Some(a) = self.seen.get(&b) {
            return Arc::clone(a);
        }
        let a = Arc::new(b.clone());
        self.seen.insert(b, Arc::clone(&a));
        a
    }
}

/// `permission_set:Admin@payments-prod` → `permission_set:Admin`.
pub fn principal_class<'a>(principal: &'a str, account: &str) -> &'a str {
    principal
        .strip_suffix(account)
        .and_then(|p| p.strip_suffix('@'))
        .unwrap_or(principal)
}

/// The access matrix of `org` ([`crate::access::compute`]), as the diff
/// reads it: sets interned in `interner` (share one between the two sides,
/// so that unchanged sets are the same `Arc`).
pub fn snapshot(org: &Org, interner: &mut Interner) -> Snapshot {
    let matrix = crate::access::compute(org);
    let list = matrix.entry_list();
    let mut by_class: Vec<Option<Sets>> = vec![None; matrix.class_count()];
    for e in list {
        let c = matrix.class_of(e);
        if by_class[c].is_none() {
            let sets = matrix.sets(e);
            by_class[c] = Some(Sets {
                allowed: interner.intern(sets.allowed().clone()),
                conditional: interner.intern(sets.conditional().clone()),
                guarded: interner.intern(sets.deny_conditional().clone()),
            });
        }
    }
    // (every class has an entry; an unused one would be empty)
    let none = interner.intern(ActionSet::empty());
    let sets = by_class
        .into_iter()
        .map(|s| {
            s.unwrap_or_else(|| Sets {
                allowed: Arc::clone(&none),
                conditional: Arc::clone(&none),
                guarded: Arc::clone(&none),
            })
        })
        .collect::<Vec<_>>();
    let key = |i: u32| {
        let e = &list[i as usize];
        (e.principal.as_str(), e.account_name.as_str())
    };
    let mut order: Vec<u32> = (0..list.len() as u32).collect();
    // the matrix lists its entries in this order already; make sure
    if !order.windows(2).all(|w| key(w[0]) <= key(w[1])) {
        order.sort_by(|a, b| key(*a).cmp(&key(*b)));
    }
    Snapshot {
        matrix,
        sets,
        order,
    }
}

/// One changed action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ActionChange {
    #[serde(skip)]
    pub action: ActionId,
    pub from: State,
    pub to: State,
}

impl ActionChange {
    pub fn gained(&self) -> bool {
        self.to > self.from
    }
}

/// Whether the principal exists on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    /// In both: only the changed actions are listed.
    Both,
    /// New in head (everything it may do is gained).
    Added,
    /// Gone in head (everything it could do is lost).
    Removed,
}

/// A principal whose access changed identically in some accounts.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub principal: String,
    pub accounts: Vec<String>,
    /// Whether the accounts are production accounts.
    pub production: bool,
    pub presence: Presence,
    /// The highest risk among the gains (or, without gains, the losses).
    pub risk: Risk,
    /// Gains, riskiest first.
    pub gained: Vec<ActionChange>,
    /// Losses, riskiest first.
    pub lost: Vec<ActionChange>,
}

/// The change in effective access.
#[derive(Debug, Clone, Default)]
pub struct AccessDiff {
    /// Whether the access matrix was available (and compared).
    pub available: bool,
    /// (principal, account) pairs on either side.
    pub pairs: usize,
    /// Pairs whose access changed.
    pub pairs_changed: usize,
    /// Riskiest group first.
    pub groups: Vec<Group>,
}

impl AccessDiff {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// (gained, lost) action changes summed over every changed pair.
    pub fn totals(&self) -> (usize, usize) {
        self.groups.iter().fold((0, 0), |(g, l), x| {
            (
                g + x.gained.len() * x.accounts.len(),
                l + x.lost.len() * x.accounts.len(),
            )
        })
    }
}

/// The sort key of a changed action in a (production or not) account.
fn action_order(a: ActionId, prod: bool) -> (std::cmp::Reverse<Risk>, bool, u8, String) {
    match catalog().action_by_id(a) {
        Some(info) => (
            std::cmp::Reverse(risk::risk(info.service, info.access_level, prod)),
            !risk::is_sensitive(info.service),
            risk::level_rank(info.access_level),
            info.full_name(),
        ),
        None => (std::cmp::Reverse(Risk::Low), true, 9, String::new()),
    }
}

pub fn action_risk(a: ActionId, prod: bool) -> Risk {
    catalog()
        .action_by_id(a)
        .map_or(Risk::Low, |i| risk::risk(i.service, i.access_level, prod))
}

/// `x` without `y`, added to `into`.
fn add_difference(into: &mut ActionSet, x: &ActionSet, y: &ActionSet) {
    let mut d = x.clone();
    d.subtract(y);
    into.union_with(&d);
}

/// Every action whose state differs between `a` and `b`, in catalogue order.
pub fn changes(a: &Sets, b: &Sets) -> Vec<ActionChange> {
    let mut touched = ActionSet::empty();
    for (x, y) in [
        (&a.allowed, &b.allowed),
        (&b.allowed, &a.allowed),
        (&a.conditional, &b.conditional),
        (&b.conditional, &a.conditional),
        (&a.guarded, &b.guarded),
        (&b.guarded, &a.guarded),
    ] {
        add_difference(&mut touched, x, y);
    }
    touched
        .iter()
        .filter_map(|id| {
            let (from, to) = (a.state(id), b.state(id));
            (from != to).then_some(ActionChange {
                action: id,
                from,
                to,
            })
        })
        .collect()
}

/// Compares the access of two organizations.
pub fn compare(base: &Org, head: &Org) -> AccessDiff {
    let mut interner = Interner::default();
    let b = snapshot(base, &mut interner);
    let h = snapshot(head, &mut interner);
    // production: the account's OU path in head (in base for removed accounts)
    let mut prod: HashMap<&str, bool> = HashMap::new();
    for org in [base, head] {
        for a in &org.accounts {
            prod.insert(a.name.as_str(), risk::is_prod_path(&org.ou(a.ou).path));
        }
    }
    compare_snapshots(&b, &h, &|acct| prod.get(acct).copied().unwrap_or(false))
}

/// Compares two snapshots; `prod` tells whether an account is production.
pub fn compare_snapshots(
    base: &Snapshot,
    head: &Snapshot,
    prod: &dyn Fn(&str) -> bool,
) -> AccessDiff {
    let none = Arc::new(ActionSet::empty());
    let empty = Sets {
        allowed: Arc::clone(&none),
        conditional: Arc::clone(&none),
        guarded: none,
    };
    type Ptrs = (usize, usize, usize);
    type PtrKey = (Ptrs, Ptrs);
    let ptr = |s: &Sets| {
        (
            Arc::as_ptr(&s.allowed) as usize,
            Arc::as_ptr(&s.conditional) as usize,
            Arc::as_ptr(&s.guarded) as usize,
        )
    };
    // the changes between two sets, computed once, shared
    let mut cache: HashMap<PtrKey, Option<usize>> = HashMap::new();
    let mut lists: Vec<Vec<ActionChange>> = Vec::new();
    // (principal, production, presence, change list) → accounts
    let mut grouped: BTreeMap<(String, bool, Presence, usize), Vec<String>> = BTreeMap::new();
    let mut pairs = 0;
    let mut pairs_changed = 0;
    let mut visit = |principal: &str, account: &str, b: Option<&Sets>, h: Option<&Sets>| {
        pairs += 1;
        let presence = match (b, h) {
            (Some(_), Some(_)) => Presence::Both,
            (None, _) => Presence::Added,
            (_, None) => Presence::Removed,
        };
        let (b, h) = (b.unwrap_or(&empty), h.unwrap_or(&empty));
        let (bp, hp) = (ptr(b), ptr(h));
        if bp == hp {
            return;
        }
        let list = *cache.entry((bp, hp)).or_insert_with(|| {
            let c = changes(b, h);
            (!c.is_empty()).then(|| {
                lists.push(c);
                lists.len() - 1
            })
        });
        let Some(list) = list else { return };
        pairs_changed += 1;
        grouped
            .entry((
                principal_class(principal, account).to_string(),
                prod(account),
                presence,
                list,
            ))
            .or_default()
            .push(account.to_string());
    };
    // both sides are sorted by (principal, account): merge them
    let mut bi = base.entries().peekable();
    let mut hi = head.entries().peekable();
    loop {
        match (bi.peek(), hi.peek()) {
            (None, None) => break,
            (Some(&(p, a, b)), None) => {
                visit(p, a, Some(b), None);
                bi.next();
            }
            (None, Some(&(p, a, h))) => {
                visit(p, a, None, Some(h));
                hi.next();
            }
            (Some(&(bp, ba, b)), Some(&(hp, ha, h))) => match (bp, ba).cmp(&(hp, ha)) {
                std::cmp::Ordering::Less => {
                    visit(bp, ba, Some(b), None);
                    bi.next();
                }
                std::cmp::Ordering::Greater => {
                    visit(hp, ha, None, Some(h));
                    hi.next();
                }
                std::cmp::Ordering::Equal => {
                    visit(bp, ba, Some(b), Some(h));
                    bi.next();
                    hi.next();
                }
            },
        }
    }
    let mut groups: Vec<Group> = grouped
        .into_iter()
        .map(|((principal, production, presence, list), mut accounts)| {
            accounts.sort();
            let (mut gained, mut lost): (Vec<ActionChange>, Vec<ActionChange>) =
                lists[list].iter().partition(|c| c.gained());
            let keyed = |v: &mut Vec<ActionChange>| {
                v.sort_by_cached_key(|c| action_order(c.action, production));
            };
            keyed(&mut gained);
            keyed(&mut lost);
            let top =
                |v: &[ActionChange]| v.iter().map(|c| action_risk(c.action, production)).max();
            let risk = top(&gained).or_else(|| top(&lost)).unwrap_or(Risk::Low);
            Group {
                principal,
                accounts,
                production,
                presence,
                risk,
                gained,
                lost,
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        let k = |g: &Group| {
            (
                std::cmp::Reverse(g.risk),
                g.gained.is_empty(),
                std::cmp::Reverse(g.production),
                g.principal.clone(),
                g.accounts.first().cloned(),
            )
        };
        k(a).cmp(&k(b))
    });
    AccessDiff {
        available: true,
        pairs,
        pairs_changed,
        groups,
    }
}

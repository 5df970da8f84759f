//! Counts by service and access level (List, Read, Write, Permissions
//! management, Tagging, from the catalogue).

use std::sync::OnceLock;

use serde::Serialize;

use super::bitset::ActionSet;
use super::matrix::ActionSets;
use crate::catalog::{AccessLevel, catalog};

/// How many actions of a group have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Counts {
    pub allowed: usize,
    /// Allowed only under conditions or on some resources (includes `guarded`).
    pub conditional: usize,
    /// The conditional actions only a conditional deny stands in the way of.
    pub guarded: usize,
    pub denied_explicit: usize,
    pub denied_implicit: usize,
}

impl Counts {
    pub fn denied(&self) -> usize {
        self.denied_explicit + self.denied_implicit
    }

    pub fn total(&self) -> usize {
        self.allowed + self.conditional + self.denied()
    }

    pub fn add(&mut self, other: &Counts) {
        self.allowed += other.allowed;
        self.conditional += other.conditional;
        self.guarded += other.guarded;
        self.denied_explicit += other.denied_explicit;
        self.denied_implicit += other.denied_implicit;
    }

    /// Whether anything is allowed, even conditionally.
    pub fn any_access(&self) -> bool {
        self.allowed + self.conditional > 0
    }
}

/// One service's counts, per access level (in [`AccessLevel::ALL`] order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceSummary {
    pub service: &'static str,
    pub levels: [Counts; 5],
}

impl ServiceSummary {
    pub fn total(&self) -> Counts {
        let mut t = Counts::default();
        for l in &self.levels {
            t.add(l);
        }
        t
    }
}

/// The actions of each access level, in [`AccessLevel::ALL`] order.
pub fn level_masks() -> &'static [ActionSet; 5] {
    static MASKS: OnceLock<[ActionSet; 5]> = OnceLock::new();
    MASKS.get_or_init(|| {
        let mut masks: [ActionSet; 5] = std::array::from_fn(|_| ActionSet::empty());
        for a in catalog().actions() {
            if let Some(i) = AccessLevel::ALL.iter().position(|l| *l == a.access_level) {
                masks[i].insert(a.id);
            }
        }
        masks
    })
}

/// The counts of every service of the catalogue, sorted by service prefix.
pub fn by_service(sets: &ActionSets) -> Vec<ServiceSummary> {
    let masks = level_masks();
    let statuses = [
        sets.allowed(),
        sets.conditional(),
        sets.denied_explicit(),
        sets.denied_implicit(),
        sets.guarded(),
    ];
    // status × level intersections, computed once
    let parts: Vec<[ActionSet; 5]> = statuses
        .iter()
        .map(|s| {
            std::array::from_fn(|l| {
                let mut x = (*s).clone();
                x.intersect_with(&masks[l]);
                x
            })
        })
        .collect();
    catalog()
        .services()
        .map(|svc| {
            let ids: Vec<usize> = svc.action_ids().map(|a| a.index()).collect();
            let range = match (ids.first(), ids.last()) {
                (Some(&a), Some(&b)) => a..b + 1,
                _ => 0..0,
            };
            let levels = std::array::from_fn(|l| Counts {
                allowed: parts[0][l].count_range(range.clone()),
                conditional: parts[1][l].count_range(range.clone()),
                denied_explicit: parts[2][l].count_range(range.clone()),
                denied_implicit: parts[3][l].count_range(range.clone()),
                guarded: parts[4][l].count_range(range.clone()),
            });
            ServiceSummary {
                service: svc.prefix,
                levels,
            }
        })
        .collect()
}

/// The totals of a set of actions.
pub fn totals(sets: &ActionSets) -> Counts {
    Counts {
        allowed: sets.allowed().count(),
        conditional: sets.conditional().count(),
        guarded: sets.guarded().count(),
        denied_explicit: sets.denied_explicit().count(),
        denied_implicit: sets.denied_implicit().count(),
    }
}

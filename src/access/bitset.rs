//! A fixed-size set of catalogue actions: one bit per [`ActionId`].
//!
//! Every set made for one catalogue has the same length
//! ([`crate::catalog::Catalog::action_count`] bits, about 22,000: 2.7 KB), so
//! set operations are word-wise loops without bounds juggling. Services are
//! contiguous ranges of ids, so per-service counts are range popcounts.

use std::fmt;
use std::ops::Range;

use crate::catalog::{ActionId, catalog};

/// A set of actions of the catalogue.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ActionSet {
    words: Box<[u64]>,
    /// Number of valid bits (the catalogue's action count).
    len: u32,
}

impl fmt::Debug for ActionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = catalog();
        let mut list = f.debug_set();
        for (n, id) in self.iter().enumerate() {
            if n == 8 {
                list.entry(&format_args!("… {} in all", self.count()));
                break;
            }
            match c.action_by_id(id) {
                Some(a) => list.entry(&format_args!("{a}")),
                None => list.entry(&id.0),
            };
        }
        list.finish()
    }
}

impl ActionSet {
    /// The empty set over `len` actions.
    pub fn with_len(len: usize) -> Self {
        ActionSet {
            words: vec![0; len.div_ceil(64)].into_boxed_slice(),
            len: u32::try_from(len).unwrap_or(u32::MAX),
        }
    }

    /// The empty set over the catalogue's actions.
    pub fn empty() -> Self {
        Self::with_len(catalog().action_count())
    }

    /// Every action of the catalogue.
    pub fn full() -> Self {
        let mut s = Self::empty();
        s.fill();
        s
    }

    /// The number of actions the set ranges over.
    pub fn universe(&self) -> usize {
        self.len as usize
    }

    /// Sets every bit.
    pub fn fill(&mut self) {
        self.words.fill(u64::MAX);
        self.trim();
    }

    /// Clears the bits past `len` in the last word.
    fn trim(&mut self) {
        let extra = self.words.len() * 64 - self.len as usize;
        if extra > 0
            && let Some(last) = self.words.last_mut()
        {
            *last &= u64::MAX >> extra;
        }
    }

    pub fn insert(&mut self, id: ActionId) {
        let i = id.index();
        if i < self.len as usize {
            self.words[i / 64] |= 1 << (i % 64);
        }
    }

    pub fn remove(&mut self, id: ActionId) {
        let i = id.index();
        if i < self.len as usize {
            self.words[i / 64] &= !(1 << (i % 64));
        }
    }

    pub fn contains(&self, id: ActionId) -> bool {
        let i = id.index();
        i < self.len as usize && self.words[i / 64] & (1 << (i % 64)) != 0
    }

    /// Inserts every id in `range`.
    pub fn insert_range(&mut self, range: Range<usize>) {
        let end = range.end.min(self.len as usize);
        let mut i = range.start;
        while i < end {
            if i.is_multiple_of(64) && i + 64 <= end {
                self.words[i / 64] = u64::MAX;
                i += 64;
            } else {
                self.words[i / 64] |= 1 << (i % 64);
                i += 1;
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    /// The number of actions in the set.
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The number of actions of the set with ids in `range`.
    pub fn count_range(&self, range: Range<usize>) -> usize {
        let end = range.end.min(self.len as usize);
        let start = range.start.min(end);
        if start == end {
            return 0;
        }
        let (first, last) = (start / 64, (end - 1) / 64);
        let mut n = 0usize;
        for w in first..=last {
            let mut word = self.words[w];
            if w == first {
                word &= u64::MAX << (start % 64);
            }
            if w == last {
                let used = end - last * 64;
                if used < 64 {
                    word &= (1u64 << used) - 1;
                }
            }
            n += word.count_ones() as usize;
        }
        n
    }

    /// The number of actions in both sets.
    pub fn count_and(&self, other: &ActionSet) -> usize {
        self.words
            .iter()
            .zip(other.words.iter())
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }

    /// `self ∪= other`.
    pub fn union_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(other.words.iter()) {
            *a |= b;
        }
    }

    /// `self ∩= other`.
    pub fn intersect_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(other.words.iter()) {
            *a &= b;
        }
    }

    /// `self ∖= other`.
    pub fn subtract(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(other.words.iter()) {
            *a &= !b;
        }
    }

    /// The complement within the catalogue.
    pub fn complement(&self) -> ActionSet {
        let mut out = self.clone();
        for w in out.words.iter_mut() {
            *w = !*w;
        }
        out.trim();
        out
    }

    /// Whether the sets share an action.
    pub fn intersects(&self, other: &ActionSet) -> bool {
        self.words
            .iter()
            .zip(other.words.iter())
            .any(|(a, b)| a & b != 0)
    }

    /// Whether every action of `self` is in `other`.
    pub fn is_subset(&self, other: &ActionSet) -> bool {
        self.words
            .iter()
            .zip(other.words.iter())
            .all(|(a, b)| a & !b == 0)
    }

    /// The actions, in ascending id order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            words: &self.words,
            word: 0,
            current: self.words.first().copied().unwrap_or(0),
        }
    }

    /// The actions with ids in `range`, ascending.
    pub fn iter_range(&self, range: Range<usize>) -> impl Iterator<Item = ActionId> + '_ {
        let end = range.end.min(self.len as usize);
        (range.start..end)
            .filter(move |&i| self.words[i / 64] & (1 << (i % 64)) != 0)
            .map(|i| ActionId(u32::try_from(i).unwrap_or(u32::MAX)))
    }
}

/// Iterator over the ids of an [`ActionSet`].
pub struct Iter<'a> {
    words: &'a [u64],
    word: usize,
    current: u64,
}

impl Iterator for Iter<'_> {
    type Item = ActionId;

    fn next(&mut self) -> Option<ActionId> {
        loop {
            if self.current != 0 {
                let bit = self.current.trailing_zeros() as usize;
                self.current &= self.current - 1;
                let i = self.word * 64 + bit;
                return Some(ActionId(u32::try_from(i).unwrap_or(u32::MAX)));
            }
            self.word += 1;
            self.current = *self.words.get(self.word)?;
        }
    }
}

impl FromIterator<ActionId> for ActionSet {
    fn from_iter<T: IntoIterator<Item = ActionId>>(iter: T) -> Self {
        let mut s = ActionSet::empty();
        for id in iter {
            s.insert(id);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(len: usize, ids: &[u32]) -> ActionSet {
        let mut s = ActionSet::with_len(len);
        for &i in ids {
            s.insert(ActionId(i));
        }
        s
    }

    #[test]
    fn insert_contains_iterate() {
        let s = set(130, &[0, 63, 64, 129, 200]);
        assert!(s.contains(ActionId(63)) && s.contains(ActionId(129)));
        assert!(!s.contains(ActionId(200)) && !s.contains(ActionId(1)));
        let ids: Vec<u32> = s.iter().map(|a| a.0).collect();
        assert_eq!(ids, vec![0, 63, 64, 129]);
        assert_eq!(s.count(), 4);
    }

    #[test]
    fn complement_stays_within_the_universe() {
        let s = set(130, &[1, 2]);
        let c = s.complement();
        assert_eq!(c.count(), 128);
        assert!(!c.contains(ActionId(1)) && c.contains(ActionId(129)));
        assert_eq!(c.iter().last(), Some(ActionId(129)));
        let mut full = ActionSet::with_len(130);
        full.fill();
        assert_eq!(full.count(), 130);
        assert_eq!(full.complement().count(), 0);
    }

    #[test]
    fn set_algebra() {
        let a = set(200, &[1, 70, 150]);
        let b = set(200, &[70, 150, 199]);
        let mut u = a.clone();
        u.union_with(&b);
        assert_eq!(u.iter().map(|x| x.0).collect::<Vec<_>>(), [1, 70, 150, 199]);
        let mut i = a.clone();
        i.intersect_with(&b);
        assert_eq!(i.iter().map(|x| x.0).collect::<Vec<_>>(), [70, 150]);
        let mut d = a.clone();
        d.subtract(&b);
        assert_eq!(d.iter().map(|x| x.0).collect::<Vec<_>>(), [1]);
        assert!(i.is_subset(&a) && i.is_subset(&b) && !a.is_subset(&b));
        assert!(a.intersects(&b) && !d.intersects(&b));
        assert_eq!(a.count_and(&b), 2);
    }

    #[test]
    fn ranges_count_and_fill() {
        let mut s = ActionSet::with_len(300);
        s.insert_range(10..250);
        assert_eq!(s.count(), 240);
        assert_eq!(s.count_range(0..300), 240);
        assert_eq!(s.count_range(0..10), 0);
        assert_eq!(s.count_range(60..70), 10);
        assert_eq!(s.count_range(64..128), 64);
        assert_eq!(s.count_range(249..251), 1);
        assert_eq!(s.count_range(5..5), 0);
        assert_eq!(s.iter_range(245..260).count(), 5);
        // against a naive count, for every range boundary pair on a sparse set
        let sparse = set(200, &[0, 5, 63, 64, 65, 127, 128, 190, 199]);
        for a in (0..200).step_by(7) {
            for b in (a..=200).step_by(11) {
                let naive = sparse
                    .iter()
                    .filter(|x| (a..b).contains(&x.index()))
                    .count();
                assert_eq!(sparse.count_range(a..b), naive, "{a}..{b}");
            }
        }
    }

    #[test]
    fn catalogue_sized_sets() {
        let full = ActionSet::full();
        assert_eq!(full.count(), catalog().action_count());
        assert!(ActionSet::empty().is_empty());
    }
}

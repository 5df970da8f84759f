//! Ordered condition values: numbers and dates (reals) and IP addresses.
//!
//! A condition over such a key names a finite union of intervals
//! (`NumericLessThan 5` is `(-∞, 5)`, `IpAddress 10.0.0.0/8` is
//! `[10.0.0.0, 10.255.255.255]`). Whether a value exists inside some unions
//! and outside others is decided exactly by testing the finitely many points
//! that represent every region the endpoints cut the line into.

use std::net::{Ipv4Addr, Ipv6Addr};

/// One end of a real interval.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Bound {
    pub value: f64,
    pub closed: bool,
}

/// An interval of reals; `None` is unbounded on that side.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Interval {
    pub lo: Option<Bound>,
    pub hi: Option<Bound>,
}

impl Interval {
    pub fn point(v: f64) -> Self {
        let b = Some(Bound {
            value: v,
            closed: true,
        });
        Interval { lo: b, hi: b }
    }

    pub fn below(v: f64, closed: bool) -> Self {
        Interval {
            lo: None,
            hi: Some(Bound { value: v, closed }),
        }
    }

    pub fn above(v: f64, closed: bool) -> Self {
        Interval {
            lo: Some(Bound { value: v, closed }),
            hi: None,
        }
    }

    pub fn contains(&self, x: f64) -> bool {
        let lo_ok = self
            .lo
            .is_none_or(|b| if b.closed { x >= b.value } else { x > b.value });
        let hi_ok = self
            .hi
            .is_none_or(|b| if b.closed { x <= b.value } else { x < b.value });
        lo_ok && hi_ok
    }
}

/// A finite union of real intervals.
#[derive(Debug, Clone, PartialEq, PartialOrd, Default)]
pub struct RealSet(pub Vec<Interval>);

impl RealSet {
    pub fn contains(&self, x: f64) -> bool {
        self.0.iter().any(|i| i.contains(x))
    }

    fn endpoints(&self, out: &mut Vec<f64>) {
        for i in &self.0 {
            out.extend(i.lo.map(|b| b.value));
            out.extend(i.hi.map(|b| b.value));
        }
    }
}

/// A value in every `positive` set and in no `negative` set, preferring whole
/// numbers; `None` when there is none.
pub fn solve_reals(positive: &[&RealSet], negative: &[&RealSet]) -> Option<f64> {
    let mut ends = Vec::new();
    for s in positive.iter().chain(negative.iter()) {
        s.endpoints(&mut ends);
    }
    ends.retain(|v| v.is_finite());
    ends.sort_by(f64::total_cmp);
    ends.dedup();
    let mut candidates = Vec::new();
    match (ends.first(), ends.last()) {
        (Some(&lo), Some(&hi)) => {
            candidates.push(lo.floor() - 1.0);
            candidates.push(hi.floor() + 1.0);
        }
        _ => candidates.push(0.0),
    }
    for (k, &e) in ends.iter().enumerate() {
        candidates.push(e);
        if let Some(&next) = ends.get(k + 1) {
            let whole = e.floor() + 1.0;
            if whole < next {
                candidates.push(whole);
            }
            candidates.push(e + (next - e) / 2.0);
        }
    }
    // whole numbers first, then in increasing order
    candidates.sort_by(|a, b| {
        (a.fract() != 0.0)
            .cmp(&(b.fract() != 0.0))
            .then(a.abs().total_cmp(&b.abs()))
    });
    // a value that is not a number lies in no interval
    candidates.push(f64::NAN);
    candidates.into_iter().find(|&x| {
        positive.iter().all(|s| s.contains(x)) && !negative.iter().any(|s| s.contains(x))
    })
}

/// An IP address as a point on one line: IPv4 before IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IpPoint {
    pub v6: bool,
    pub addr: u128,
}

impl IpPoint {
    fn max_addr(v6: bool) -> u128 {
        if v6 { u128::MAX } else { u128::from(u32::MAX) }
    }

    pub fn display(self) -> String {
        if self.v6 {
            Ipv6Addr::from(self.addr).to_string()
        } else {
            Ipv4Addr::from(u32::try_from(self.addr).unwrap_or(u32::MAX)).to_string()
        }
    }
}

/// A finite union of closed address ranges (from CIDR blocks).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct IpSet(pub Vec<(IpPoint, IpPoint)>);

impl IpSet {
    pub fn contains(&self, p: IpPoint) -> bool {
        self.0.iter().any(|(lo, hi)| *lo <= p && p <= *hi)
    }
}

/// Parses `a.b.c.d`, `a.b.c.d/n` or an IPv6 address with an optional `/n`
/// into the range it covers.
pub fn parse_cidr(s: &str) -> Option<(IpPoint, IpPoint)> {
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u32>().ok()?)),
        None => (s, None),
    };
    let (v6, value, width) = if let Ok(v4) = addr.parse::<Ipv4Addr>() {
        (false, u128::from(u32::from(v4)), 32u32)
    } else {
        let v6: Ipv6Addr = addr.parse().ok()?;
        (true, u128::from(v6), 128u32)
    };
    let bits = bits.unwrap_or(width);
    if bits > width {
        return None;
    }
    let host = width - bits;
    let mask: u128 = if host == 0 {
        0
    } else if host >= 128 {
        u128::MAX
    } else {
        (1u128 << host) - 1
    };
    let lo = value & !mask;
    let hi = (lo | mask).min(IpPoint::max_addr(v6));
    Some((IpPoint { v6, addr: lo }, IpPoint { v6, addr: hi }))
}

/// An address in every `positive` set and in no `negative` set; `Some(None)`
/// when only a value that is not an address qualifies (it is in no set).
pub fn solve_ips(positive: &[&IpSet], negative: &[&IpSet]) -> Option<Option<IpPoint>> {
    let mut candidates = vec![
        IpPoint {
            v6: false,
            addr: 0xC000_0201, // 192.0.2.1, a documentation address
        },
        IpPoint { v6: false, addr: 0 },
        IpPoint { v6: true, addr: 0 },
        IpPoint {
            v6: false,
            addr: IpPoint::max_addr(false),
        },
        IpPoint {
            v6: true,
            addr: u128::MAX,
        },
    ];
    for s in positive.iter().chain(negative.iter()) {
        for (lo, hi) in &s.0 {
            for p in [lo, hi] {
                candidates.push(*p);
                if p.addr > 0 {
                    candidates.push(IpPoint {
                        v6: p.v6,
                        addr: p.addr - 1,
                    });
                }
                if p.addr < IpPoint::max_addr(p.v6) {
                    candidates.push(IpPoint {
                        v6: p.v6,
                        addr: p.addr + 1,
                    });
                }
            }
        }
    }
    // prefer an address inside a positive range that is not its network address
    candidates.sort_by_key(|p| p.addr & 0xff == 0);
    let found = candidates.into_iter().find(|&p| {
        positive.iter().all(|s| s.contains(p)) && !negative.iter().any(|s| s.contains(p))
    });
    match found {
        Some(p) => Some(Some(p)),
        None if positive.is_empty() => Some(None),
        None => None,
    }
}

/// Parses a date as AWS accepts it in `Date…` conditions: ISO 8601
/// (`2024-01-31`, `2024-01-31T12:00:00Z`, with fractions and `±hh:mm`
/// offsets) or epoch seconds. Returns epoch seconds.
pub fn parse_date(s: &str) -> Option<f64> {
    let s = s.trim();
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse::<f64>().ok();
    }
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.chars().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, mo, d) as f64 * 86_400.0;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(secs);
    }
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    let rb = rest.as_bytes();
    if rb.len() < 5 || rb[2] != b':' {
        return None;
    }
    let h: i64 = rest.get(0..2)?.parse().ok()?;
    let mi: i64 = rest.get(3..5)?.parse().ok()?;
    let mut k = 5;
    let mut sec = 0.0;
    if rb.get(5) == Some(&b':') {
        let end = rest[6..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(rest.len(), |e| e + 6);
        sec = rest.get(6..end)?.parse().ok()?;
        k = end;
    }
    secs += (h * 3600 + mi * 60) as f64 + sec;
    let zone = &rest[k..];
    match zone {
        "" | "Z" | "z" => Some(secs),
        _ => {
            let sign = match zone.as_bytes()[0] {
                b'+' => -1.0,
                b'-' => 1.0,
                _ => return None,
            };
            let z = &zone[1..];
            let (zh, zm) = match z.split_once(':') {
                Some((a, b)) => (a.parse::<i64>().ok()?, b.parse::<i64>().ok()?),
                None if z.len() == 4 => (z[..2].parse().ok()?, z[2..].parse().ok()?),
                None => (z.parse().ok()?, 0),
            };
            Some(secs + sign * ((zh * 3600 + zm * 60) as f64))
        }
    }
}

/// Formats epoch seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_date(secs: f64) -> String {
    if !secs.is_finite() {
        return "not-a-date".to_string();
    }
    let total = secs.floor() as i64;
    let days = total.div_euclid(86_400);
    let rem = total.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Formats a number without a trailing `.0` when it is whole.
pub fn format_number(x: f64) -> String {
    if x.is_nan() {
        return "not-a-number".to_string();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

// Howard Hinnant's civil-calendar algorithms.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals() {
        let lt5 = RealSet(vec![Interval::below(5.0, false)]);
        let ge5 = RealSet(vec![Interval::above(5.0, true)]);
        assert_eq!(solve_reals(&[&lt5, &ge5], &[]), None);
        let gt3 = RealSet(vec![Interval::above(3.0, false)]);
        assert_eq!(solve_reals(&[&lt5, &gt3], &[]), Some(4.0));
        let four = RealSet(vec![Interval::point(4.0)]);
        let x = solve_reals(&[&lt5, &gt3], &[&four]).unwrap();
        assert!(x > 3.0 && x < 5.0 && x != 4.0);
        let narrow = RealSet(vec![Interval {
            lo: Some(Bound {
                value: 1.0,
                closed: false,
            }),
            hi: Some(Bound {
                value: 1.5,
                closed: false,
            }),
        }]);
        assert_eq!(solve_reals(&[&narrow], &[]), Some(1.25));
        assert_eq!(solve_reals(&[], &[]), Some(0.0));
        let everything = RealSet(vec![
            Interval::below(0.0, false),
            Interval::above(0.0, true),
        ]);
        assert!(solve_reals(&[], &[&everything]).unwrap().is_nan());
        assert_eq!(solve_reals(&[&everything], &[&everything]), None);
    }

    #[test]
    fn ips() {
        let ten = IpSet(vec![parse_cidr("10.0.0.0/8").unwrap()]);
        let ten_one = IpSet(vec![parse_cidr("10.1.0.0/16").unwrap()]);
        let p = solve_ips(&[&ten], &[&ten_one]).unwrap().unwrap();
        assert!(ten.contains(p) && !ten_one.contains(p));
        assert_eq!(solve_ips(&[&ten_one], &[&ten]), None);
        let all = IpSet(vec![
            parse_cidr("0.0.0.0/0").unwrap(),
            parse_cidr("::/0").unwrap(),
        ]);
        assert_eq!(solve_ips(&[], &[&all]), Some(None));
        assert_eq!(parse_cidr("10.0.0.1").unwrap().0.display(), "10.0.0.1");
        assert!(parse_cidr("10.0.0.0/33").is_none());
        let v6 = parse_cidr("2001:db8::/32").unwrap();
        assert_eq!(v6.0.display(), "2001:db8::");
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_date("86400"), Some(86_400.0));
        assert_eq!(parse_date("2024-02-29"), Some(1_709_164_800.0));
        assert_eq!(
            parse_date("2024-02-29T01:00:00+01:00"),
            parse_date("2024-02-29")
        );
        assert_eq!(format_date(1_709_164_800.0), "2024-02-29T00:00:00Z");
        assert!(parse_date("yesterday").is_none());
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(1.25), "1.25");
    }
}

//! Whether a condition value is readable by its operator family.

use std::net::{Ipv4Addr, Ipv6Addr};

/// A number as IAM's numeric operators read it: an optional sign, digits,
/// an optional fraction.
pub(crate) fn is_number(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    match frac {
        None => digits(int),
        Some(f) => (digits(int) || int.is_empty()) && digits(f),
    }
}

fn fixed_digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A date as IAM's date operators read it: ISO 8601 (`2026-01-31`,
/// `2026-01-31T12:00Z`, `2026-01-31T12:00:00.5+02:00`) or epoch seconds.
pub(crate) fn is_date(s: &str) -> bool {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return true; // epoch seconds
    }
    let (date, time) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let ok_date = fixed_digits(y, 4).is_some()
        && fixed_digits(m, 2).is_some_and(|m| (1..=12).contains(&m))
        && fixed_digits(d, 2).is_some_and(|d| (1..=31).contains(&d));
    if !ok_date {
        return false;
    }
    let Some(time) = time else { return true };
    // split off the zone: `Z`, `+hh:mm`, `-hhmm`
    let (clock, zone) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, None)
    } else if let Some(pos) = time.rfind(['+', '-']) {
        (&time[..pos], Some(&time[pos + 1..]))
    } else {
        (time, None)
    };
    if let Some(z) = zone {
        let z = z.replace(':', "");
        if fixed_digits(&z, 4).is_none() && fixed_digits(&z, 2).is_none() {
            return false;
        }
    }
    let mut hms = clock.split(':');
    let (Some(h), Some(mi)) = (hms.next(), hms.next()) else {
        return false;
    };
    let sec = hms.next();
    if hms.next().is_some() {
        return false;
    }
    let ok_hm =
        fixed_digits(h, 2).is_some_and(|h| h < 24) && fixed_digits(mi, 2).is_some_and(|m| m < 60);
    let ok_s = sec.is_none_or(|s| {
        let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
        fixed_digits(whole, 2).is_some_and(|x| x <= 60)
            && !frac.is_empty()
            && frac.bytes().all(|b| b.is_ascii_digit())
    });
    ok_hm && ok_s
}

/// `true` / `false` (any case).
pub(crate) fn is_bool(s: &str) -> bool {
    s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")
}

/// An IPv4 or IPv6 address, optionally with a `/prefix`.
pub(crate) fn is_ip_or_cidr(s: &str) -> bool {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let max = if addr.parse::<Ipv4Addr>().is_ok() {
        32
    } else if addr.parse::<Ipv6Addr>().is_ok() {
        128
    } else {
        return false;
    };
    prefix.is_none_or(|p| p.parse::<u32>().is_ok_and(|n| n <= max) && !p.starts_with('+'))
}

/// Base64 text, as `BinaryEquals` expects.
pub(crate) fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    !s.is_empty()
        && s.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for ok in ["0", "3600", "-1", "1.5", ".5", "+2"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in ["", "one", "1e3", "1.", "1,5", "--1"] {
            assert!(!is_number(bad), "{bad}");
        }
    }

    #[test]
    fn dates() {
        for ok in [
            "2026-01-31",
            "2026-01-31T12:00Z",
            "2026-01-31T12:00:00Z",
            "2026-01-31T12:00:00.123Z",
            "2026-01-31T12:00:00+02:00",
            "2026-01-31T12:00:00-0500",
            "1700000000",
        ] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-1-1",
            "31/01/2026",
            "2026-01-31T25:00Z",
            "2026-01-31T12",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn ips_and_others() {
        for ok in ["203.0.113.0/24", "10.0.0.1", "2001:db8::/32", "::1"] {
            assert!(is_ip_or_cidr(ok), "{ok}");
        }
        for bad in [
            "203.0.113.0/33",
            "10.0.0",
            "example.com",
            "10.0.0.0/",
            "1.2.3.4/+8",
        ] {
            assert!(!is_ip_or_cidr(bad), "{bad}");
        }
        assert!(is_bool("true") && is_bool("FALSE") && !is_bool("yes"));
        assert!(is_base64("QmluYXJ5") && is_base64("YQ==") && !is_base64("not base64!"));
    }
}

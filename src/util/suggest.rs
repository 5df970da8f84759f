//! "Did you mean …?" suggestions for misspelt names.

/// The candidate closest to `input`, if it is close enough to be a plausible
/// typo. Comparison is case-insensitive; an exact case-insensitive match wins.
pub fn closest<'a, I, S>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + ?Sized + 'a,
{
    let needle = input.to_ascii_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        let c = c.as_ref();
        let lower = c.to_ascii_lowercase();
        if lower == needle {
            return Some(c);
        }
        let score = strsim::jaro_winkler(&needle, &lower);
        let edits = strsim::levenshtein(&needle, &lower);
        // close by edit distance for short names, or by similarity for long ones
        let plausible = edits <= 2.max(needle.len() / 4) || score >= 0.88;
        if plausible && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `did you mean `x`?` or `None`.
pub fn did_you_mean<'a, I, S>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + ?Sized + 'a,
{
    closest(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let names = ["Workloads/Prod", "Workloads/NonProd", "Security"];
        assert_eq!(closest("Workloads/Prd", &names), Some("Workloads/Prod"));
        assert_eq!(closest("workloads/prod", &names), Some("Workloads/Prod"));
        assert_eq!(closest("Billing", &names), None);
        assert_eq!(
            did_you_mean("Securty", &names).as_deref(),
            Some("did you mean `Security`?")
        );
    }

    #[test]
    fn works_with_owned_strings() {
        let names = vec!["s3:GetObject".to_string(), "s3:PutObject".to_string()];
        assert_eq!(closest("s3:GetObjects", &names), Some("s3:GetObject"));
    }
}

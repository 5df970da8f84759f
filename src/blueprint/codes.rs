//! Every diagnostic code the blueprint stages (load, structure, semantic
//! validation) emit, with its severity and a one-line meaning.
//!
//! The same table is in `docs/diagnostics.md`; a test keeps the two in sync
//! and checks that every code has a fixture that triggers it.
//!
//! LF0xx errors mean the input could not be read or parsed: `landform
//! validate` exits 2 when one is present (1 for any other error).

use crate::diagnostics::Severity;

macro_rules! codes {
    ($( $name:ident, $sev:ident, $summary:literal; )*) => {
        $( pub const $name: &str = stringify!($name); )*

        /// `(code, severity, meaning)` for every code, in order.
        pub const ALL: &[(&str, Severity, &str)] = &[
            $( (stringify!($name), Severity::$sev, $summary), )*
        ];
    };
}

codes! {
    // reading and parsing input
    LF001, Error, "a file cannot be read (missing, unreadable, a directory)";
    LF002, Error, "a file is not UTF-8 text (binary content)";
    LF003, Error, "YAML syntax error (tabs in indentation, bad indentation, unclosed brackets, …)";
    LF004, Error, "the blueprint is empty";
    LF005, Error, "a blueprint or included file is not a YAML mapping";
    LF006, Error, "a key appears twice in one mapping";
    LF007, Error, "a file holds more than one YAML document";
    LF008, Error, "unsupported YAML: custom tags, complex keys, bad merge keys, alias expansion beyond the limit";
    LF009, Error, "an `include:` or `file:` path is absolute or escapes the blueprint's directory";
    LF010, Error, "`include:` files include each other in a cycle, or a file is included twice";
    LF011, Error, "two files define the same key (include conflict)";
    LF012, Error, "a policy file is not valid JSON";
    LF013, Error, "`include:` is not a list of file paths";
    // structure
    LF101, Error, "unknown key (with the nearest allowed key, or where the key belongs)";
    LF102, Error, "a required key is missing";
    LF103, Error, "a value has the wrong type";
    LF104, Error, "a value is not one of the allowed values";
    LF105, Error, "a value breaks another structural rule of the schema";
    LF106, Error, "a field is written where a name is expected (nested at the wrong level)";
    LF107, Error, "a policy needs exactly one of `document:` and `file:`";
    LF108, Error, "unsupported blueprint `version`";
    LF109, Error, "conflicting or missing alternatives (an assignment needs one of `group`/`user`, a trust needs a principal)";
    LF110, Error, "a value cannot be read into the model (out of range, …)";
    LF111, Error, "a policy document is not a JSON object";
    // references and duplicates
    LF201, Error, "unknown target: not `Root`, an OU path or an account";
    LF202, Error, "unknown account";
    LF203, Error, "unknown policy, or a policy of the wrong kind";
    LF204, Error, "unknown permission set";
    LF205, Error, "unknown Identity Center group or user";
    LF206, Error, "unknown permissions boundary";
    LF207, Error, "malformed principal reference";
    LF208, Error, "a principal reference names something that does not exist in that account";
    LF209, Error, "ambiguous target: both an OU path and an account name";
    LF210, Error, "an account name is defined twice";
    LF211, Error, "an account email is used twice";
    LF212, Error, "an account id is used twice";
    LF213, Error, "two names differ only in case where AWS compares names case-insensitively";
    LF214, Error, "the same entry is listed twice (a policy attached twice, a target twice, …)";
    LF215, Error, "two IAM policies (managed policy, boundary) would get the same name in one account";
    LF216, Error, "a policy type is used but not enabled in `organization.policy_types`";
    LF217, Error, "two definitions create the same IAM role in one account";
    // AWS limits and naming rules
    LF301, Error, "OUs nested deeper than 5 levels below the root";
    LF302, Error, "more than 5 SCPs on one root, OU or account (FullAWSAccess counts)";
    LF303, Error, "more than 5 RCPs on one root, OU or account (RCPFullAWSAccess counts)";
    LF304, Error, "an SCP or RCP document is longer than 5,120 characters";
    LF305, Error, "a managed policy or boundary document is longer than 6,144 characters";
    LF306, Error, "the inline policies of a role or permission set exceed 10,240 characters";
    LF307, Warning, "more than 10 managed policies on a role or permission set (needs a quota raise to 20)";
    LF308, Error, "more than 20 managed policies on a role or permission set";
    LF309, Error, "a session duration is not ISO-8601 or not between 1 and 12 hours";
    LF310, Error, "an account email is not valid for AWS";
    LF311, Error, "an account name is not valid for AWS";
    LF312, Error, "an IAM name (role, policy, user, group) is not valid";
    LF313, Error, "an IAM path is not valid";
    LF314, Error, "unknown AWS region";
    LF315, Error, "an account id is not 12 digits";
    LF316, Error, "an OU name is not valid";
    LF317, Error, "a tag key or value is not valid";
    LF318, Error, "a permission set name, description or relay state is not valid";
    LF319, Error, "an organization policy name or description is not valid";
    LF320, Error, "a root, OU or account would have no SCP at all";
    LF321, Error, "malformed IAM action";
    LF322, Error, "malformed ARN";
    LF323, Error, "more than 1,000 OUs under one parent";
    // organization design warnings
    LF401, Warning, "the management account looks like a workload account";
    LF402, Warning, "workloads (roles, delegated teams) placed in the management account";
    LF403, Warning, "an assignment to `Root` or the management account's OU would reach the management account";
    LF404, Warning, "break-glass users without MFA, or more than a few of them";
    LF405, Warning, "an SCP attached to the management account has no effect";
    LF406, Warning, "a region lock that does not exempt global services";
    LF407, Warning, "a guardrail attached to nothing";
    LF408, Warning, "the home region is outside the region lock";
}

/// Whether `code` is an input error (exit code 2).
pub fn is_input_code(code: &str) -> bool {
    code.starts_with("LF0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted() {
        let mut seen = std::collections::BTreeSet::new();
        for (code, _, summary) in ALL {
            assert!(seen.insert(*code), "{code} twice");
            assert!(!summary.is_empty());
        }
        let in_order: Vec<_> = ALL.iter().map(|c| c.0).collect();
        let mut sorted = in_order.clone();
        sorted.sort_unstable();
        assert_eq!(in_order, sorted);
    }
}

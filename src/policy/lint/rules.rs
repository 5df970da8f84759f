//! The lint's rules, each with a stable code and its own documentation: what
//! it flags, why it matters, an example, and the fix. Reports (SARIF rule
//! metadata, `landform lint` output) read it from here.

use super::FindingClass;
use FindingClass::{Error, SecurityWarning, Suggestion, Warning};

/// The documentation of one lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleDoc {
    /// `PL102`.
    pub code: &'static str,
    /// A stable kebab-case name (`unknown-action`).
    pub name: &'static str,
    /// The usual class. A few rules use another class for some policy types or
    /// shapes; the finding says which.
    pub class: FindingClass,
    /// A short title (`Unknown action`).
    pub title: &'static str,
    /// One paragraph: what it flags, why it matters, an example, the fix.
    pub doc: &'static str,
}

const fn rule(
    code: &'static str,
    name: &'static str,
    class: FindingClass,
    title: &'static str,
    doc: &'static str,
) -> RuleDoc {
    RuleDoc {
        code,
        name,
        class,
        title,
        doc,
    }
}

/// Every rule, by code.
pub fn rules() -> &'static [RuleDoc] {
    RULES
}

/// The documentation of a code (`PL102`), if it exists.
pub fn docs(code: &str) -> Option<&'static RuleDoc> {
    RULES.iter().find(|r| r.code == code)
}

const RULES: &[RuleDoc] = &[
    rule(
        "PL000",
        "invalid-policy",
        Error,
        "Invalid policy",
        "Reports a document that is not a policy AWS would accept at all: JSON that does not \
         parse, or JSON that breaks the policy grammar (an unknown element, `\"Effect\": \
         \"allow\"` in lower case, an unknown condition operator, a statement without `Action`, \
         an element given twice). The other rules cannot run on such a document. Example: \
         `{\"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:GetObject\"}}`. Fix: \
         correct the element the message names; AWS's policy grammar is in the IAM User Guide \
         (`IAM JSON policy grammar`).",
    ),
    rule(
        "PL001",
        "empty-statement",
        Error,
        "Missing statement",
        "Flags a policy whose `Statement` is an empty array. A policy must contain at least one \
         statement; AWS rejects an empty one, and a policy that says nothing is almost always a \
         generation mistake (a loop that produced no statements). Example: `{\"Version\": \
         \"2012-10-17\", \"Statement\": []}`. Fix: add the statements the policy is meant to \
         have, or do not create the policy.",
    ),
    rule(
        "PL002",
        "duplicate-sid",
        Error,
        "Duplicate Sid",
        "Flags two statements with the same `Sid`. IAM requires statement IDs to be unique \
         within a policy (identity policies, boundaries and trust policies are rejected); for \
         resource-based policies, SCPs and RCPs it is a warning, because explanations and \
         audit trails name statements by `Sid` and two statements with one name make them \
         ambiguous. Example: two statements both called `\"Sid\": \"AllowRead\"`. Fix: give \
         every statement its own `Sid`.",
    ),
    rule(
        "PL003",
        "missing-version",
        Warning,
        "Missing version",
        "Flags a policy without a `Version` element (and an RCP with any version other than \
         `2012-10-17`). Without `Version`, AWS reads the policy as version `2008-10-17`, in \
         which policy variables such as `${aws:username}` are literal text; RCPs must declare \
         `2012-10-17` or AWS Organizations rejects them. Example: `{\"Statement\": [...]}`. \
         Fix: add `\"Version\": \"2012-10-17\"` as the first element.",
    ),
    rule(
        "PL004",
        "variable-in-old-version",
        Error,
        "Variable unsupported in version",
        "Flags policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`) in a policy \
         whose language version is `2008-10-17`, written or implied by a missing `Version`. \
         That version has no variables: AWS compares the text `${aws:username}` literally, so \
         the statement matches nothing it was meant to (or, in a `Deny` with a negated \
         condition, everything). Example: `\"Resource\": \"arn:aws:s3:::home/${aws:username}/*\"` \
         without `Version`. Fix: add `\"Version\": \"2012-10-17\"`.",
    ),
    rule(
        "PL005",
        "principal-not-supported",
        Error,
        "Unsupported principal",
        "Flags `Principal` or `NotPrincipal` in a policy type that cannot have one: \
         identity-based policies, permissions boundaries and SCPs apply to the principal they \
         are attached to, and role trust policies do not support `NotPrincipal`. AWS rejects \
         such a policy. Example: an SCP statement with `\"Principal\": \"*\"`. Fix: remove the \
         element; to restrict by principal, use a condition on `aws:PrincipalArn`.",
    ),
    rule(
        "PL006",
        "missing-principal",
        Error,
        "Missing principal",
        "Flags a statement without `Principal` or `NotPrincipal` in a resource-based policy, \
         a role trust policy or an RCP. These policies are attached to a resource and must \
         say whom they apply to; AWS rejects statements that do not. Example: a bucket policy \
         statement with only `Effect`, `Action` and `Resource`. Fix: add a `Principal` such as \
         `{\"AWS\": \"arn:aws:iam::111122223333:role/reader\"}` (in an RCP, `\"*\"`).",
    ),
    rule(
        "PL007",
        "bare-principal-string",
        Error,
        "Invalid principal format",
        "Flags a `Principal` written as a bare string other than `\"*\"`, such as \
         `\"Principal\": \"arn:aws:iam::111122223333:root\"`. landform reads it as an `AWS` \
         principal so the rest of the policy can be checked, but AWS accepts only `\"*\"` as a \
         bare string and rejects the policy. Fix: write the principal as a map, \
         `{\"AWS\": \"arn:aws:iam::111122223333:root\"}`.",
    ),
    rule(
        "PL008",
        "missing-resource",
        Error,
        "Missing resource",
        "Flags a statement without `Resource` or `NotResource` in an identity-based policy, a \
         permissions boundary, an SCP or an RCP. These policies must say which resources a \
         statement covers; AWS rejects statements that do not. Example: `{\"Effect\": \
         \"Allow\", \"Action\": \"s3:GetObject\"}` in an identity policy. Fix: add \
         `\"Resource\"` with the ARNs the statement is meant for (or `\"*\"`).",
    ),
    rule(
        "PL009",
        "resource-in-trust-policy",
        Error,
        "Resource in trust policy",
        "Flags `Resource` or `NotResource` in a role trust policy. The resource of a trust \
         policy is always the role itself, and IAM rejects a trust policy that names one \
         (`Has prohibited field Resource`). Example: a trust statement with `\"Resource\": \
         \"*\"`. Fix: remove the element.",
    ),
    rule(
        "PL010",
        "rcp-allow",
        Error,
        "RCP allow statement",
        "Flags an `Allow` statement in a resource control policy. RCPs only restrict: the \
         only `Allow` AWS Organizations accepts is the managed `RCPFullAWSAccess` (`Allow`, \
         `Principal` `*`, `Action` `*`, `Resource` `*`), which it attaches by default. Any \
         other `Allow` is rejected. Example: an RCP allowing `s3:GetObject` to one account. \
         Fix: express the rule as a `Deny` with a negated condition (`StringNotEqualsIfExists` \
         on `aws:PrincipalOrgID`, for instance).",
    ),
    rule(
        "PL011",
        "rcp-principal",
        Error,
        "RCP principal",
        "Flags an RCP statement whose `Principal` is not `\"*\"`, or that uses `NotPrincipal`. \
         RCPs apply to every principal that reaches a resource in the organization; AWS \
         Organizations accepts only `\"Principal\": \"*\"` and narrows by condition instead. \
         Example: `\"Principal\": {\"AWS\": \"111122223333\"}` in an RCP. Fix: use \
         `\"Principal\": \"*\"` and a condition on `aws:PrincipalAccount`, \
         `aws:PrincipalOrgID` or `aws:PrincipalArn`.",
    ),
    rule(
        "PL012",
        "rcp-not-action",
        Error,
        "RCP NotAction",
        "Flags `NotAction` in a resource control policy. RCP syntax supports `Action` only; \
         AWS Organizations rejects `NotAction`. Example: `\"NotAction\": \"s3:GetObject\"` in \
         an RCP. Fix: list the actions to deny in `Action`, or deny `*` with a condition.",
    ),
    rule(
        "PL013",
        "rcp-unsupported-service",
        Error,
        "RCP unsupported service",
        "Flags an RCP action of a service that resource control policies do not support (RCPs \
         cover a fixed list of services, among them `s3`, `sts`, `kms`, `sqs` and \
         `secretsmanager`). AWS Organizations rejects the policy, and even if it did not, the \
         statement could never apply. Example: `\"Action\": \"ec2:RunInstances\"` in an RCP. \
         Fix: remove the action; restrict that service with an SCP or its resource policies.",
    ),
    rule(
        "PL014",
        "invalid-sid",
        Error,
        "Unsupported Sid",
        "Flags a `Sid` with characters other than ASCII letters and digits in a policy stored \
         by IAM (identity policies, boundaries, trust policies). IAM rejects such statement \
         IDs; some resource policies accept more, which is why this rule applies only to the \
         IAM types. Example: `\"Sid\": \"allow read-only\"`. Fix: use letters and digits \
         only, such as `AllowReadOnly`.",
    ),
    rule(
        "PL101",
        "unknown-service",
        Error,
        "Invalid service in action",
        "Flags an action whose service prefix is not an AWS service (`s4:GetObject`). The \
         statement grants or denies nothing for it, which in a `Deny` means an intended \
         protection is missing; AWS rejects unknown services in most policy types. The \
         finding suggests the closest known prefix. Fix: correct the prefix (see the service \
         authorization reference for each service's prefix).",
    ),
    rule(
        "PL102",
        "unknown-action",
        Error,
        "Invalid action",
        "Flags an action that the service does not have (`s3:GetObjects`). Misspelt actions \
         are silently useless: an `Allow` grants nothing and a `Deny` protects nothing, and \
         the mistake is easy to miss in review. The finding suggests the closest real action \
         (`s3:GetObject`). Fix: use the action name from the service authorization reference.",
    ),
    rule(
        "PL103",
        "pattern-matches-nothing",
        Warning,
        "Action pattern matches nothing",
        "Flags a wildcard action pattern that matches no action of its service today \
         (`s3:Frobnicate*`). AWS accepts it, but it grants or denies nothing until the service \
         adds a matching action, which is rarely what the author meant. Example: \
         `\"Action\": \"iam:PassRoles*\"`. Fix: correct the pattern so it names the intended \
         actions, or remove it.",
    ),
    rule(
        "PL104",
        "redundant-action",
        Suggestion,
        "Redundant action",
        "Flags an entry of `Action` or `NotAction` that another entry of the same statement \
         already covers, such as `iam:GetCredentialReport` next to `iam:Get*`, or the same \
         action written twice. It changes nothing, but makes the policy longer and reviews \
         harder. Fix: remove the redundant entry.",
    ),
    rule(
        "PL201",
        "action-resource-mismatch",
        Warning,
        "Action and resource mismatch",
        "Flags an action for which none of the statement's resources can be a resource of a \
         type the action works on, using the ARN formats of the service authorization \
         reference. Such an action is never allowed (or never denied) by the statement. \
         Example: `s3:GetObject` acts on objects (`arn:${Partition}:s3:::${BucketName}/\
         ${ObjectName}`), so `\"Resource\": \"arn:aws:s3:::bucket\"` never matches it; and an \
         action that supports only `\"Resource\": \"*\"` never matches a specific ARN. Fix: add \
         the resource form the action needs (`arn:aws:s3:::bucket/*`) or move the action to a \
         statement with matching resources.",
    ),
    rule(
        "PL301",
        "public-principal",
        SecurityWarning,
        "Public principal without condition",
        "Flags an `Allow` statement in a resource-based or trust policy whose principal is \
         everyone (`\"Principal\": \"*\"` or `{\"AWS\": \"*\"}`) and which has no condition. It \
         grants the actions to any AWS account and, for many services, to anonymous callers. \
         Example: a bucket policy allowing `s3:GetObject` to `*`; a role anyone can assume. \
         Fix: name the principals, or add a condition such as `aws:PrincipalOrgID` or \
         `aws:SourceArn` that limits who can use the grant.",
    ),
    rule(
        "PL302",
        "allow-not-principal",
        SecurityWarning,
        "Allow with NotPrincipal",
        "Flags `NotPrincipal` in an `Allow` statement. It allows every principal except the \
         listed ones, anonymous callers included, and AWS supports `NotPrincipal` only with \
         `Deny`. Example: `\"Effect\": \"Allow\", \"NotPrincipal\": {\"AWS\": \"...:role/x\"}`. \
         Fix: name the principals that need access in `Principal`; to exclude principals from \
         a deny, prefer a condition on `aws:PrincipalArn`.",
    ),
    rule(
        "PL303",
        "account-trust-without-condition",
        Warning,
        "Whole-account trust without condition",
        "Flags a role trust policy that lets a whole account assume the role \
         (`{\"AWS\": \"111122223333\"}` or `arn:aws:iam::111122223333:root`) with no condition \
         on `sts:ExternalId`, `aws:PrincipalOrgID`, `aws:PrincipalArn` or MFA. Every principal \
         in that account whose own policies allow `sts:AssumeRole` can then assume it; for a \
         third-party account this is the confused-deputy risk that `sts:ExternalId` exists to \
         close. Fix: name the role that should assume it, or add `sts:ExternalId` (third \
         parties), `aws:PrincipalOrgID` (your organization) or an MFA condition (people).",
    ),
    rule(
        "PL304",
        "wildcard-in-principal",
        Error,
        "Unsupported wildcard in principal",
        "Flags a principal value with `*` or `?` other than the single `\"*\"` \
         (`arn:aws:iam::*:role/admin`, `arn:aws:iam::111122223333:role/team-*`). Principals \
         do not match wildcards; AWS rejects such values. Fix: list the principals, or use \
         `\"*\"` with a condition on `aws:PrincipalArn` using `ArnLike` (which does support \
         wildcards).",
    ),
    rule(
        "PL305",
        "oidc-trust-without-subject",
        SecurityWarning,
        "Web identity trust without subject or audience",
        "Flags a trust statement for a web-identity provider (an `oidc-provider/...` ARN, \
         `cognito-identity.amazonaws.com`, `accounts.google.com`, ...) without a condition on \
         the provider's `sub` key (GitHub) or on its `aud`/`sub` keys (others). Without it, any \
         identity the provider issues tokens for can assume the role: for GitHub Actions, \
         every workflow of every repository on GitHub. Example: a trust on \
         `token.actions.githubusercontent.com` checking only `:aud`. Fix: add \
         `StringLike` on `token.actions.githubusercontent.com:sub` with \
         `repo:ORG/REPO:ref:refs/heads/main` (or the provider's equivalent).",
    ),
    rule(
        "PL401",
        "unknown-condition-key",
        Error,
        "Invalid condition key",
        "Flags a condition key that is neither a global key (`aws:...`), a key of the named \
         service, nor a web-identity/SAML provider key. A misspelt key is simply absent from \
         every request, so the condition never matches (an `Allow` grants nothing) or, with \
         negated or `...IfExists` operators, always matches (a `Deny` protects nothing). \
         Example: `aws:SourceIP` instead of `aws:SourceIp`, `aws:RequestTag` without a tag \
         key. Fix: use the spelling of the global condition keys page or of the service's \
         reference; the finding suggests the closest key.",
    ),
    rule(
        "PL402",
        "operator-type-mismatch",
        Warning,
        "Type mismatch",
        "Flags a condition operator whose type does not fit the key's type: a string \
         operator on a date key (`StringEquals` on `aws:CurrentTime`), `Bool` on a string \
         key, `IpAddress` on anything but an IP address key, numeric operators on strings. \
         AWS compares the values as the operator's type, so the condition rarely means what \
         it says. ARN keys also accept string operators. Fix: use the operator family of the \
         key's type (`DateGreaterThan`, `Bool`, `IpAddress`, `ArnLike`, ...).",
    ),
    rule(
        "PL403",
        "invalid-condition-value",
        Warning,
        "Invalid condition value",
        "Flags a condition value that its operator cannot read: a date that is neither ISO \
         8601 (`2026-01-31`, `2026-01-31T12:00:00Z`) nor epoch seconds, a number that is not \
         a number, a `Bool` or `Null` value other than `true`/`false`, an IP address that is \
         not an address or CIDR block. Such a comparison never matches. Fix: write the value \
         in the operator's format.",
    ),
    rule(
        "PL404",
        "for-all-values-single-valued",
        SecurityWarning,
        "ForAllValues with single valued key",
        "Flags `ForAllValues:` on a single-valued condition key. `ForAllValues` is true when \
         every value in the request matches, which includes a request where the key is absent \
         or empty, so in an `Allow` it grants more than the author meant. Example: \
         `ForAllValues:StringEquals` on `aws:RequestedRegion`. Fix: drop the qualifier \
         (`StringEquals`).",
    ),
    rule(
        "PL405",
        "for-all-values-absent-key",
        SecurityWarning,
        "ForAllValues allows an absent key",
        "Flags `ForAllValues:` in an `Allow` statement when nothing in the statement requires \
         the key to be present. `ForAllValues` is vacuously true for a request without the \
         key, so `ForAllValues:StringEquals` on `aws:TagKeys` also allows requests that send \
         no tags at all. Fix: add `\"Null\": {\"<key>\": \"false\"}` to the same statement if \
         the key must be present, or use `ForAnyValue:`.",
    ),
    rule(
        "PL406",
        "for-any-value-single-valued",
        Warning,
        "ForAnyValue with single valued key",
        "Flags `ForAnyValue:` on a single-valued condition key. Set qualifiers are meant for \
         multivalued keys (types `ArrayOf...`); on a single value they add nothing but \
         confusion, and suggest the author thought the key was a list. Example: \
         `ForAnyValue:StringEquals` on `aws:PrincipalOrgID`. Fix: drop the qualifier.",
    ),
    rule(
        "PL407",
        "missing-set-qualifier",
        Warning,
        "Missing qualifier",
        "Flags a multivalued condition key (types `ArrayOf...`, such as `aws:TagKeys` or \
         `aws:PrincipalOrgPaths`) used without `ForAllValues:` or `ForAnyValue:`. How a plain \
         operator treats a list of request values is not what readers expect; Access Analyzer \
         reports it as an error. Example: `\"StringEquals\": {\"aws:TagKeys\": [\"Project\"]}`. \
         Fix: say which set semantics you mean with `ForAnyValue:` or `ForAllValues:`.",
    ),
    rule(
        "PL408",
        "null-with-qualifier",
        Suggestion,
        "Null with qualifier",
        "Flags `ForAllValues:Null` or `ForAnyValue:Null`. With a set qualifier the `Null` \
         check always returns true or false respectively, so the condition is meaningless. \
         Fix: use plain `Null` to test whether a key is present.",
    ),
    rule(
        "PL409",
        "wildcard-without-like",
        Warning,
        "Wildcard without like operator",
        "Flags a `*` or `?` in the value of an equality string operator (`StringEquals`, \
         `StringNotEquals`, their `IgnoreCase` forms). These operators compare literally, so \
         `\"StringEquals\": {\"aws:PrincipalTag/team\": \"dev-*\"}` matches only the text \
         `dev-*`. Fix: use `StringLike` / `StringNotLike` if a wildcard was meant.",
    ),
    rule(
        "PL410",
        "variable-with-non-string-operator",
        Error,
        "Invalid variable for operator",
        "Flags a policy variable (`${aws:...}`) in the value of an operator other than the \
         string and ARN operators. AWS substitutes variables only in `Resource` and in string \
         and ARN comparisons; elsewhere the text stays literal and cannot be a valid number, \
         date, IP address or boolean. Example: `\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": \
         \"${aws:EpochTime}\"}`. Fix: compare against a literal value, or use a string operator.",
    ),
    rule(
        "PL501",
        "pass-role-wildcard",
        SecurityWarning,
        "Pass role with star in resource",
        "Flags an `Allow` that grants `iam:PassRole` (directly, through a wildcard such as \
         `iam:*` or `*`, or through `NotAction`) on every role (`\"Resource\": \"*\"`, \
         `role/*`, or `NotResource`) without an `iam:PassedToService` condition. Passing a \
         more privileged role to a service (EC2, Lambda, CloudFormation) is a classic \
         privilege escalation. Fix: scope `Resource` to the role ARNs (or a path) that may be \
         passed, and add `iam:PassedToService`.",
    ),
    rule(
        "PL502",
        "allow-not-action",
        SecurityWarning,
        "Allow with NotAction",
        "Flags `NotAction` in an `Allow` statement. It allows every action except the listed \
         ones, including actions of services added later; with `\"Resource\": \"*\"` it is \
         close to administrator access (security warning), otherwise a warning. Example: \
         `\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"`. Fix: list the \
         allowed actions in `Action`; keep `NotAction` for `Deny` statements.",
    ),
    rule(
        "PL503",
        "allow-not-resource",
        Warning,
        "Allow with NotResource",
        "Flags `NotResource` in an `Allow` statement. It allows the actions on every resource \
         except the listed ones, including resources created later and resources in other \
         accounts, which is rarely intended. Example: `\"Effect\": \"Allow\", \"Action\": \
         \"s3:*\", \"NotResource\": \"arn:aws:s3:::audit-logs/*\"`. Fix: list the resources in \
         `Resource`, or pair a broad `Allow` with a `Deny` on the protected resources.",
    ),
    rule(
        "PL504",
        "redundant-statement",
        Suggestion,
        "Redundant statement",
        "Flags a statement that another statement of the same policy fully covers: same \
         effect and principal, every action and resource included in the other's, and at \
         least the other's conditions. Removing it changes nothing; keeping it invites edits \
         to one copy that do not take effect. Example: an `Allow` of `s3:GetObject` on \
         `arn:aws:s3:::b/*` next to an `Allow` of `s3:Get*` on `arn:aws:s3:::b/*`. Fix: remove \
         the redundant statement (or merge the two).",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted);
        for r in RULES {
            assert!(r.code.starts_with("PL") && r.code.len() == 5, "{}", r.code);
            assert!(r.doc.len() > 150, "{} doc too short", r.code);
            assert!(r.doc.contains("Fix"), "{} doc has no fix", r.code);
            assert!(!r.name.contains(' '));
        }
        assert_eq!(docs("PL102").unwrap().name, "unknown-action");
        assert!(docs("PL999").is_none());
    }
}

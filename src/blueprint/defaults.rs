//! Reference data the blueprint checks use: AWS regions and the global
//! services a region lock must exempt.

/// AWS regions (commercial, GovCloud, China), as of 2025. Region names in a
/// blueprint must be one of these.
pub const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

pub fn is_region(name: &str) -> bool {
    REGIONS.binary_search(&name).is_ok()
}

/// Actions a region lock exempts by default (`exempt_global_services: true`):
/// the global services whose endpoints live in `us-east-1` (the seeds' list —
/// iam, sts, organizations, route53, cloudfront, support — plus the rest of
/// the services AWS Control Tower's region deny control exempts).
pub const GLOBAL_SERVICE_ACTIONS: &[&str] = &[
    "a4b:*",
    "access-analyzer:*",
    "account:*",
    "acm:*",
    "activate:*",
    "artifact:*",
    "aws-marketplace-management:*",
    "aws-marketplace:*",
    "aws-portal:*",
    "billing:*",
    "billingconductor:*",
    "budgets:*",
    "ce:*",
    "chatbot:*",
    "chime:*",
    "cloudfront:*",
    "cloudtrail:LookupEvents",
    "compute-optimizer:*",
    "config:*",
    "cur:*",
    "directconnect:*",
    "ec2:DescribeRegions",
    "ec2:DescribeTransitGateways",
    "ec2:DescribeVpnGateways",
    "ecr-public:*",
    "fms:*",
    "globalaccelerator:*",
    "health:*",
    "iam:*",
    "importexport:*",
    "kms:*",
    "networkmanager:*",
    "organizations:*",
    "pricing:*",
    "route53-recovery-cluster:*",
    "route53-recovery-control-config:*",
    "route53-recovery-readiness:*",
    "route53:*",
    "route53domains:*",
    "s3:GetAccountPublic*",
    "s3:ListAllMyBuckets",
    "s3:PutAccountPublic*",
    "shield:*",
    "sso:*",
    "sts:*",
    "support:*",
    "trustedadvisor:*",
    "waf-regional:*",
    "waf:*",
    "wafv2:*",
    "wellarchitected:*",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_sorted_for_binary_search() {
        let mut sorted = REGIONS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, REGIONS);
        assert!(is_region("ap-south-1"));
        assert!(!is_region("ap-south-3"));
    }

    #[test]
    fn the_seeds_global_services_are_exempt() {
        for s in [
            "iam",
            "sts",
            "route53",
            "cloudfront",
            "support",
            "organizations",
        ] {
            assert!(
                GLOBAL_SERVICE_ACTIONS.contains(&format!("{s}:*").as_str()),
                "{s}"
            );
        }
    }
}

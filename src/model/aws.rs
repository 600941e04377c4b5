//! AWS identifiers the model and the analysis share: Control Tower control ids, and which
//! Security Hub standards include the root MFA controls.

/// Control Tower controls rootguard knows, by legacy name and global (control catalog) id.
pub const CT_RESTRICT_ROOT: (&str, &str) = ("AWS-GR_RESTRICT_ROOT_USER", "5kvme4m5d2b4d7if2fs5yg2ui");
/// The Control Tower control that requires root MFA, by legacy name and global id.
pub const CT_ROOT_MFA: (&str, &str) = ("AWS-GR_ROOT_ACCOUNT_MFA_ENABLED", "24izmu4k16gv9tvd7sexnyrfy");

/// Root controls a standard includes; `None` when rootguard does not know.
#[must_use]
pub fn standard_controls(arn: &str) -> Option<Vec<&'static str>> {
    let both = || Some(super::ROOT_MFA_CONTROLS.to_vec());
    if arn.contains("aws-foundational-security-best-practices/v/1.0.0")
        || arn.contains("cis-aws-foundations-benchmark/v/1.2.0")
        || arn.contains("cis-aws-foundations-benchmark/v/1.4.0")
        || arn.contains("nist-800-53/v/5.0.0")
        || arn.contains("pci-dss/v/3.2.1")
    {
        return both();
    }
    if arn.contains("cis-aws-foundations-benchmark/") {
        return None; // later CIS versions: membership of IAM.6/IAM.9 not established
    }
    Some(Vec::new())
}

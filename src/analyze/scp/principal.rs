//! Which member-account root users a principal ARN pattern matches: every account's, some
//! accounts', or none, in any partition.

use super::super::wildcard::{arn_matches, matches};

const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-eusc",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
];
const SAMPLE_ACCOUNTS: &[&str] = &["000000000000", "123456789012", "999999999999", "987654321098", "555500001111"];

/// Which root principals a value matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reach {
    No,
    Some,
    All,
}

fn root_arn(partition: &str, account: &str) -> String {
    format!("arn:{partition}:iam::{account}:root")
}

const MASK: char = '\u{1}';

fn mask_placeholders(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        if let Some(j) = rest[i..].find('}') {
            out.push(MASK);
            rest = &rest[i + j + 1..];
        } else {
            out.push_str(&rest[i..]);
            rest = "";
        }
    }
    out.push_str(rest);
    out
}

/// Does a value hold a placeholder outside the partition and account parts?
pub(super) fn other_placeholder(v: &str) -> bool {
    let m = mask_placeholders(v);
    let parts: Vec<&str> = m.splitn(6, ':').collect();
    parts.iter().enumerate().any(|(i, p)| i != 1 && i != 4 && p.contains(MASK)) || (parts.len() != 6 && m.contains(MASK))
}

/// How many member-account root users an `aws:PrincipalArn` pattern matches.
pub(super) fn reach(value: &str, wildcards: bool, arn_op: bool, ignore_case: bool) -> (Reach, Option<String>) {
    // a placeholder in the partition stands for the organization's own partition; placeholders
    // may hold colons (`${AWS::AccountId}`), so they are masked before splitting
    let masked = mask_placeholders(value);
    let mut parts: Vec<String> = masked.splitn(6, ':').map(str::to_owned).collect();
    let mut one_account = false;
    if parts.len() == 6 {
        if parts[1].contains(MASK) {
            parts[1] = "*".into();
        }
        if parts[4].contains(MASK) {
            one_account = true;
        }
    }
    let v = parts.join(":");
    let v = if ignore_case { v.to_lowercase() } else { v };
    let test = |arn: &str| {
        let arn = if ignore_case { arn.to_lowercase() } else { arn.to_owned() };
        if !wildcards {
            v == arn
        } else if arn_op {
            arn_matches(&v, &arn)
        } else {
            matches(&v, &arn)
        }
    };
    if one_account {
        let acct_ok = PARTITIONS.iter().any(|p| {
            let mut q = parts.clone();
            (*p).clone_into(&mut q[1]);
            q[4] = "*".into();
            let pat = q.join(":");
            SAMPLE_ACCOUNTS.iter().all(|a| {
                if arn_op {
                    arn_matches(&pat, &root_arn(p, a))
                } else {
                    matches(&pat, &root_arn(p, a))
                }
            })
        });
        return if acct_ok && wildcards {
            (
                Reach::Some,
                Some(format!(
                    "`{value}` names only the account of the deployment, not every member account"
                )),
            )
        } else {
            (Reach::No, None)
        };
    }
    let mut best = Reach::No;
    for p in PARTITIONS {
        let hits = SAMPLE_ACCOUNTS.iter().filter(|a| test(&root_arn(p, a))).count();
        let r = if hits == SAMPLE_ACCOUNTS.len() {
            Reach::All
        } else if hits > 0 {
            Reach::Some
        } else {
            Reach::No
        };
        best = best.max(r);
    }
    if best == Reach::No {
        // a literal account id: matches that one root user only
        if !wildcards || !value.contains(['*', '?']) {
            let acct = parts.get(4).map_or("", String::as_str);
            if parts.len() == 6
                && parts[5] == "root"
                && acct.len() == 12
                && acct.bytes().all(|b| b.is_ascii_digit())
                && PARTITIONS.contains(&parts[1].as_str())
            {
                return (Reach::Some, Some(format!("`{value}` matches the root user of account {acct} only")));
            }
        }
        return (Reach::No, None);
    }
    let why = (best == Reach::Some).then(|| format!("`{value}` matches the root user of some accounts only"));
    (best, why)
}

/// Does `pattern` match the root user of some account, as an ARN pattern or as a string pattern?
pub(super) fn matches_some_root(pattern: &str) -> bool {
    PARTITIONS.iter().any(|p| {
        SAMPLE_ACCOUNTS
            .iter()
            .any(|a| arn_matches(pattern, &root_arn(p, a)) || matches(pattern, &root_arn(p, a)))
    })
}

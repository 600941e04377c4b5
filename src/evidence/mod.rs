//! Account evidence: what the AWS CLI exports of an audit say about each account's root user,
//! judged offline.
//!
//! Read, by content: `aws iam get-account-summary`, `aws iam list-virtual-mfa-devices`, the IAM
//! credential report (the CSV, or the JSON of `aws iam get-credential-report` with its base64
//! `Content`), `aws organizations describe-organization` and `aws organizations list-accounts`.
//! An export belongs to the account its ARNs name; an export without an ARN (the account
//! summary, an empty device list) to the account whose 12-digit id is a component of its path
//! (`evidence/123456789012/summary.json`), or to the only account of the evidence.
//!
//! Two verdicts per account, guardrails `root-hardware-mfa` and `root-access-keys`; each
//! points at the line of the export that decided it. An export that cannot be read, or that
//! lacks what it should hold, is a problem of its own and never a pass.

mod assign;
mod csv;
mod judge;
mod read;
mod verdict;

use std::path::PathBuf;

use crate::model::Loc;
use crate::source::{Encoding, FileId, Sources, Span};

pub use judge::judge;
pub use read::read;
pub use verdict::{describe, verdicts};

/// Guardrail: the root user has a hardware MFA device (and no virtual one).
pub const HARDWARE_MFA: &str = "root-hardware-mfa";
/// Guardrail: the root user has no active access key.
pub const ACCESS_KEYS: &str = "root-access-keys";
/// The account guardrails, in report order.
pub const GUARDRAILS: [&str; 2] = [HARDWARE_MFA, ACCESS_KEYS];

/// Statuses of `root-hardware-mfa`, worst first: the worst account decides the summary.
pub const MFA_ORDER: [&str; 5] = ["none", "virtual-only", "unknown", "hardware", "no-root-credentials"];
/// Statuses of `root-access-keys`, worst first.
pub const KEYS_ORDER: [&str; 3] = ["present", "unknown", "none"];

/// Which export a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    AccountSummary,
    VirtualMfaDevices,
    CredentialReport,
    Organization,
    Accounts,
}

impl ExportKind {
    #[must_use]
    pub fn command(self) -> &'static str {
        match self {
            ExportKind::AccountSummary => "`aws iam get-account-summary`",
            ExportKind::VirtualMfaDevices => "`aws iam list-virtual-mfa-devices`",
            ExportKind::CredentialReport => "the IAM credential report",
            ExportKind::Organization => "`aws organizations describe-organization`",
            ExportKind::Accounts => "`aws organizations list-accounts`",
        }
    }
}

/// A fact read from an export, and where.
#[derive(Clone, Debug)]
pub struct Seen {
    pub value: bool,
    pub loc: Loc,
    pub from: ExportKind,
}

/// The organization role of an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Role {
    Management,
    Member,
    #[default]
    Unknown,
}

impl Role {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Management => "management",
            Role::Member => "member",
            Role::Unknown => "unknown",
        }
    }
}

/// Everything the exports say about one account.
#[derive(Clone, Debug, Default)]
pub struct Account {
    pub id: String,
    pub role: Role,
    /// Where the role was read (the organization export).
    pub role_loc: Option<Loc>,
    /// The first export of the account (where a verdict without a deciding line points).
    pub anchor: Option<Loc>,
    pub exports: Vec<ExportKind>,
    /// Root has an MFA device (`AccountMFAEnabled`, `mfa_active`).
    pub mfa: Vec<Seen>,
    /// A virtual MFA device is the root user's (true, at the device) or none is (false, at the list).
    pub virtual_root: Option<Seen>,
    pub password: Vec<Seen>,
    /// `password_last_used` dates of the root user (the credential report).
    pub password_used: Vec<Seen>,
    pub keys: Vec<Seen>,
    pub certs: Vec<Seen>,
    /// The device list is cut short (`IsTruncated`) and shows no root device.
    pub truncated: Option<Loc>,
}

/// A verdict of one account for one guardrail.
#[derive(Clone, Debug)]
pub struct Judged {
    pub status: &'static str,
    pub loc: Loc,
    pub reason: String,
    /// Other places worth showing (an export that disagrees). The decision table sets them;
    /// findings do not show them yet (the model document carries one location per problem).
    #[allow(dead_code)]
    pub labels: Vec<(Loc, String)>,
}

/// An export that could not be read.
#[derive(Clone, Debug)]
pub struct Problem {
    pub loc: Loc,
    pub message: String,
}

/// What the evidence directories hold.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    /// By account id (sorted).
    pub accounts: Vec<Account>,
    pub problems: Vec<Problem>,
    /// The files read, as shown.
    pub files: Vec<String>,
}

/// One parsed export, before it is given to an account.
struct Read {
    kind: ExportKind,
    file: FileId,
    /// Account named by the content.
    account: Option<(String, Loc)>,
    facts: Vec<(Fact, Seen)>,
    /// Organization exports: (account id, role, where).
    org: Vec<(String, Role, Loc)>,
    truncated: Option<Loc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fact {
    Mfa,
    VirtualRoot,
    Password,
    /// `password_last_used` of `<root_account>` is a date: the root user has or had a password.
    PasswordUsed,
    Keys,
    Certs,
}

fn problem(file: FileId, start: usize, end: usize, message: impl Into<String>) -> Problem {
    at(Span::new(file, start, end), message)
}

fn at(span: Span, message: impl Into<String>) -> Problem {
    Problem {
        loc: Loc::new(span, ""),
        message: message.into(),
    }
}

/// Read and judge one export given in memory (`name` is its path below the evidence
/// directory). For the fuzz targets and tests.
#[must_use]
pub fn judge_text(name: &str, text: String) -> (Evidence, Vec<crate::analyze::Verdict>) {
    let mut sources = Sources::new();
    let id = sources.add(PathBuf::from(name), name.to_owned(), text, Encoding::Utf8);
    let mut ev = Evidence::default();
    let mut reads = Vec::new();
    match read::content(&mut sources, id) {
        Ok(r) => reads.push((r, PathBuf::from(name))),
        Err(p) => ev.problems.push(p),
    }
    assign::assign(&mut ev, &reads);
    let v = verdicts(&ev);
    (ev, v)
}

/// `arn:<partition>:<service>::<account>:<rest>` → (account, rest).
fn arn_account(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (a, _partition, _service, _region, account, rest) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (a == "arn" && is_account_id(account)).then_some((account, rest))
}

/// A 12-digit AWS account id.
#[must_use]
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_from_arns() {
        assert_eq!(arn_account("arn:aws:iam::123456789012:root"), Some(("123456789012", "root")));
        assert_eq!(
            arn_account("arn:aws-us-gov:iam::123456789012:mfa/root-account-mfa-device").map(|x| x.1),
            Some("mfa/root-account-mfa-device")
        );
        assert_eq!(arn_account("arn:aws:iam::12345:root"), None);
    }
}

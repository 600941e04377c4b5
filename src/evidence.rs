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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::Loc;
use crate::parse::tree::{Node, Value};
use crate::source::{Encoding, FileId, Sources, Span};

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

/// Largest export read, in bytes.
const MAX_EXPORT_BYTES: u64 = 64 * 1024 * 1024;

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
    /// Other places worth showing (an export that disagrees).
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

/// Read every file below `dirs` as an export.
///
/// # Errors
/// A path that does not exist.
pub fn read(sources: &mut Sources, dirs: &[PathBuf]) -> Result<Evidence, Error> {
    let mut ev = Evidence::default();
    let mut reads: Vec<(Read, PathBuf)> = Vec::new();
    for dir in dirs {
        if !dir.exists() {
            return Err(Error::Path {
                path: dir.to_string_lossy().into_owned(),
                reason: "no such file or directory".into(),
            });
        }
        let (found, walk_errors) = crate::discover::walk(std::slice::from_ref(dir), &crate::discover::Walk::default())?;
        for (path, reason) in walk_errors {
            let id = sources.add(PathBuf::from(&path), path.clone(), String::new(), Encoding::Utf8);
            ev.problems.push(Problem {
                loc: Loc::new(Span::new(id, 0, 0), ""),
                message: format!("part of the evidence could not be read: {reason}"),
            });
        }
        // below the evidence directory only, regular files only; a symlink to a file that is
        // itself found is read once, under its own path
        let roots = crate::source::Roots::new(std::slice::from_ref(dir));
        let links = crate::scan::links(&found, &roots);
        for (f, link) in found.into_iter().zip(links) {
            if link {
                continue;
            }
            ev.files.push(f.display.clone());
            // the path below the evidence directory (its file name when a file is given)
            let rel = match f.path.strip_prefix(dir) {
                Ok(r) if !r.as_os_str().is_empty() => r.to_path_buf(),
                _ => f.path.file_name().map(PathBuf::from).unwrap_or_default(),
            };
            match read_file(sources, &f.path, &f.display, &roots) {
                Ok(r) => reads.push((r, rel)),
                Err(p) => ev.problems.push(p),
            }
        }
    }
    assign(&mut ev, &reads);
    Ok(ev)
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

/// The first byte of a node (an opening brace or bracket).
fn head(span: Span) -> Span {
    Span {
        end: span.start.saturating_add(1).min(span.end.max(span.start)),
        ..span
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
    match read_content(&mut sources, id) {
        Ok(r) => reads.push((r, PathBuf::from(name))),
        Err(p) => ev.problems.push(p),
    }
    assign(&mut ev, &reads);
    let v = verdicts(&ev);
    (ev, v)
}

fn read_file(sources: &mut Sources, path: &Path, display: &str, roots: &crate::source::Roots) -> Result<Read, Problem> {
    let (text, enc, err) = match crate::source::read_confined(path, crate::source::Confine::Within(roots), MAX_EXPORT_BYTES) {
        Ok((t, e)) => (t, e, None),
        Err(e) => (String::new(), Encoding::Utf8, Some(format!("the export {}", e.reason()))),
    };
    let id = sources.add(path.to_path_buf(), display.to_owned(), text, enc);
    if let Some(m) = err {
        return Err(problem(id, 0, 0, m));
    }
    read_content(sources, id)
}

fn read_content(sources: &mut Sources, id: FileId) -> Result<Read, Problem> {
    let text = sources.get(id).text.clone();
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let parsed = crate::parse::json::parse(id, &text, 0);
        let Some(root) = parsed.root else {
            let d = parsed.diagnostics.first();
            let span = d.map_or(Span::new(id, lead, lead), |d| d.span);
            let why = d.map_or_else(|| "invalid JSON".to_owned(), |d| d.message.clone());
            return Err(at(
                span,
                format!("{why}; the export is cut short or damaged, so it proves nothing (produce it again)"),
            ));
        };
        return json_export(sources, id, &root);
    }
    if text
        .lines()
        .next()
        .is_some_and(|l| l.trim_start_matches('\u{feff}').starts_with("user,arn,"))
    {
        return credential_report(id, &text, 0);
    }
    let first_line_end = text.find('\n').unwrap_or(text.len());
    Err(problem(
        id,
        0,
        first_line_end,
        "not an export rootguard reads: expected the JSON of `aws iam get-account-summary`, `aws iam list-virtual-mfa-devices`, `aws iam get-credential-report`, `aws organizations describe-organization` or `list-accounts`, or a credential report CSV (header `user,arn,…`)",
    ))
}

fn read_of(kind: ExportKind, file: FileId) -> Read {
    Read {
        kind,
        file,
        account: None,
        facts: Vec::new(),
        org: Vec::new(),
        truncated: None,
    }
}

/// The span of a map entry, key to value.
fn entry_loc(n: &Node, key: &str, path: &str) -> Option<Loc> {
    let e = n.entry(key)?;
    Some(Loc::new(e.key_span.cover(e.value.span), format!("{path}/{key}")))
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

fn number_flag(n: &Node) -> Option<bool> {
    match &n.value {
        Value::Number(v) if v == "0" => Some(false),
        Value::Number(v) if v == "1" => Some(true),
        Value::Number(v) => v.parse::<u64>().ok().map(|x| x > 0),
        _ => None,
    }
}

#[allow(clippy::too_many_lines)] // one arm per export
fn json_export(sources: &mut Sources, id: FileId, root: &Node) -> Result<Read, Problem> {
    let whole = |m: &str| at(head(root.span), m);
    if let Some(map) = root.get("SummaryMap") {
        let mut r = read_of(ExportKind::AccountSummary, id);
        if map.as_map().is_none() {
            return Err(at(map.span, "`SummaryMap` is not an object"));
        }
        if map.get("AccountMFAEnabled").is_none() {
            return Err(at(
                head(map.span),
                "`SummaryMap` has no `AccountMFAEnabled`: a partial export proves nothing about the root user's MFA",
            ));
        }
        for (key, fact) in [
            ("AccountMFAEnabled", Fact::Mfa),
            ("AccountAccessKeysPresent", Fact::Keys),
            ("AccountPasswordPresent", Fact::Password),
            ("AccountSigningCertificatesPresent", Fact::Certs),
        ] {
            let Some(v) = map.get(key) else { continue };
            let Some(b) = number_flag(v) else {
                return Err(at(v.span, format!("`{key}` is not a number")));
            };
            if let Some(loc) = entry_loc(map, key, "SummaryMap") {
                r.facts.push((
                    fact,
                    Seen {
                        value: b,
                        loc,
                        from: r.kind,
                    },
                ));
            }
        }
        return Ok(r);
    }
    if let Some(list) = root.get("VirtualMFADevices") {
        let mut r = read_of(ExportKind::VirtualMfaDevices, id);
        let Some(devices) = list.as_seq() else {
            return Err(at(list.span, "`VirtualMFADevices` is not a list"));
        };
        let mut found: Option<Loc> = None;
        for (i, d) in devices.iter().enumerate() {
            let Some(serial) = d.get("SerialNumber").and_then(Node::as_str) else {
                return Err(at(d.span, "a device without `SerialNumber`"));
            };
            let user_arn = d.at(&["User", "Arn"]).and_then(Node::as_str);
            if let Some((acct, _)) = arn_account(serial).or_else(|| user_arn.and_then(arn_account))
                && r.account.is_none()
                && let Some(l) = entry_loc(d, "SerialNumber", &format!("VirtualMFADevices/{i}"))
            {
                r.account = Some((acct.to_owned(), l));
            }
            let root_serial = arn_account(serial).is_some_and(|(_, rest)| rest == "mfa/root-account-mfa-device");
            let root_user = user_arn.is_some_and(|a| a.ends_with(":root"));
            let other_user = user_arn.is_some_and(|a| !a.ends_with(":root"));
            if (root_user || (root_serial && !other_user)) && found.is_none() {
                found = entry_loc(d, "SerialNumber", &format!("VirtualMFADevices/{i}"));
            }
        }
        let truncated = root.get("IsTruncated").is_some_and(|t| matches!(t.value, Value::Bool(true)));
        match found {
            Some(loc) => r.facts.push((
                Fact::VirtualRoot,
                Seen {
                    value: true,
                    loc,
                    from: r.kind,
                },
            )),
            None if truncated => r.truncated = entry_loc(root, "IsTruncated", ""),
            None => {
                if let Some(loc) = entry_loc(root, "VirtualMFADevices", "") {
                    r.facts.push((
                        Fact::VirtualRoot,
                        Seen {
                            value: false,
                            loc,
                            from: r.kind,
                        },
                    ));
                }
            }
        }
        return Ok(r);
    }
    if let Some(org) = root.get("Organization") {
        let mut r = read_of(ExportKind::Organization, id);
        let Some(master) = org.get("MasterAccountId").and_then(Node::as_str) else {
            return Err(at(head(org.span), "`Organization` has no `MasterAccountId`"));
        };
        if !is_account_id(master) {
            return Err(at(org.span, format!("`MasterAccountId` `{master}` is not an account id")));
        }
        if let Some(l) = entry_loc(org, "MasterAccountId", "Organization") {
            r.org.push((master.to_owned(), Role::Management, l));
        }
        return Ok(r);
    }
    if let Some(list) = root.get("Accounts") {
        let mut r = read_of(ExportKind::Accounts, id);
        let Some(accounts) = list.as_seq() else {
            return Err(at(list.span, "`Accounts` is not a list"));
        };
        for (i, a) in accounts.iter().enumerate() {
            let Some(acct) = a.get("Id").and_then(Node::as_str).filter(|s| is_account_id(s)) else {
                return Err(at(a.span, "an account without a 12-digit `Id`"));
            };
            // `arn:aws:organizations::<management>:account/o-…/<id>` names the management account
            let manager = a.get("Arn").and_then(Node::as_str).and_then(arn_account).map(|(m, _)| m.to_owned());
            let role = match manager {
                Some(m) if m == acct => Role::Management,
                Some(_) => Role::Member,
                None => Role::Unknown,
            };
            if let Some(l) = entry_loc(a, "Id", &format!("Accounts/{i}")) {
                r.org.push((acct.to_owned(), role, l));
            }
        }
        return Ok(r);
    }
    if let (Some(content), Some(format)) = (root.get("Content"), root.get("ReportFormat")) {
        if format.as_str() != Some("text/csv") {
            return Err(at(format.span, "a credential report in a format other than `text/csv`"));
        }
        let Some(b64) = content.as_str() else {
            return Err(at(content.span, "`Content` is not a string"));
        };
        let Some(csv) = base64(b64).and_then(|b| String::from_utf8(b).ok()) else {
            return Err(at(content.span, "`Content` is not base64 of a UTF-8 CSV"));
        };
        // read the decoded CSV, then point everything at the `Content` string of this file,
        // naming the cell in the logical path (an offset into base64 would mean nothing)
        let outer = sources.get(id);
        let (path, display) = (outer.path.clone(), format!("{} (Content, decoded)", outer.display));
        let inner = sources.add(path, display, csv, Encoding::Utf8);
        let text = sources.get(inner).text.clone();
        let to_outer = |l: &Loc| Loc::new(content.span, format!("Content/{}", l.path));
        return match credential_report(inner, &text, 0) {
            Ok(mut r) => {
                r.file = id;
                for (_, seen) in &mut r.facts {
                    seen.loc = to_outer(&seen.loc);
                }
                if let Some((_, l)) = &mut r.account {
                    *l = to_outer(l);
                }
                Ok(r)
            }
            Err(p) => Err(at(content.span, format!("the decoded `Content`: {}", p.message))),
        };
    }
    Err(whole(
        "a JSON file that is not an export rootguard reads (no `SummaryMap`, `VirtualMFADevices`, `Organization`, `Accounts` or credential-report `Content`)",
    ))
}

/// Standard base64 (padding optional, whitespace ignored).
fn base64(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let body = clean.strip_suffix(b"==").or_else(|| clean.strip_suffix(b"=")).unwrap_or(&clean);
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= val(*c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        match chunk.len() {
            4 => out.extend_from_slice(&bytes[1..4]),
            3 => out.extend_from_slice(&bytes[1..3]),
            2 => out.push(bytes[1]),
            _ => return None,
        }
    }
    Some(out)
}

/// The cells of one CSV line with their byte ranges (double-quoted cells are unquoted).
fn csv_cells(line: &str, base: usize) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let b = line.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        let mut cell = String::new();
        if b.get(i) == Some(&b'"') {
            i += 1;
            while i < b.len() {
                if b[i] == b'"' {
                    if b.get(i + 1) == Some(&b'"') {
                        cell.push('"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                let ch_end = line[i..].chars().next().map_or(i + 1, |c| i + c.len_utf8());
                cell.push_str(&line[i..ch_end]);
                i = ch_end;
            }
            while i < b.len() && b[i] != b',' {
                i += 1;
            }
        } else {
            let end = line[i..].find(',').map_or(line.len(), |k| i + k);
            cell.push_str(&line[i..end]);
            i = end;
        }
        out.push((cell, base + start, base + i));
        if i >= b.len() {
            break;
        }
        i += 1; // the comma
        if i == b.len() {
            out.push((String::new(), base + i, base + i));
            break;
        }
    }
    out
}

fn credential_report(id: FileId, text: &str, base: usize) -> Result<Read, Problem> {
    let mut r = read_of(ExportKind::CredentialReport, id);
    let mut lines = Vec::new();
    let mut off = 0;
    for l in text.split('\n') {
        let content = l.strip_suffix('\r').unwrap_or(l);
        lines.push((content, base + off));
        off += l.len() + 1;
    }
    let Some(&(header, hoff)) = lines.first() else {
        return Err(problem(id, 0, 0, "an empty credential report"));
    };
    let head: Vec<String> = csv_cells(header.trim_start_matches('\u{feff}'), hoff)
        .into_iter()
        .map(|c| c.0)
        .collect();
    let col = |name: &str| head.iter().position(|h| h == name);
    let required = [
        "user",
        "arn",
        "password_enabled",
        "mfa_active",
        "access_key_1_active",
        "access_key_2_active",
    ];
    if let Some(missing) = required.iter().find(|c| col(c).is_none()) {
        return Err(problem(
            id,
            hoff,
            hoff + header.len(),
            format!("a CSV without the credential report column `{missing}`"),
        ));
    }
    let idx = |name: &str| col(name).unwrap_or(usize::MAX);
    let mut root_row = None;
    for (n, &(line, loff)) in lines.iter().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cells = csv_cells(line, loff);
        if cells.len() != head.len() {
            return Err(problem(
                id,
                loff,
                loff + line.len(),
                format!(
                    "line {} has {} cells, the header {}: the report is cut short or damaged",
                    n + 1,
                    cells.len(),
                    head.len()
                ),
            ));
        }
        if cells.get(idx("user")).is_some_and(|c| c.0 == "<root_account>") {
            root_row = Some((cells, n));
        }
    }
    let Some((cells, n)) = root_row else {
        return Err(problem(
            id,
            hoff,
            hoff + header.len(),
            "the credential report has no `<root_account>` row, so it says nothing about the root user",
        ));
    };
    let cell = |name: &str| cells.get(idx(name));
    if let Some((arn, s, e)) = cell("arn")
        && let Some((acct, _)) = arn_account(arn)
    {
        r.account = Some((acct.to_owned(), Loc::new(Span::new(id, *s, *e), format!("row {}/arn", n + 1))));
    }
    for (name, fact) in [
        ("mfa_active", Fact::Mfa),
        ("password_enabled", Fact::Password),
        ("access_key_1_active", Fact::Keys),
        ("access_key_2_active", Fact::Keys),
        ("cert_1_active", Fact::Certs),
        ("cert_2_active", Fact::Certs),
    ] {
        let Some((v, s, e)) = cell(name) else { continue };
        let value = match v.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            // `not_supported` (the root password in older reports), `N/A`: says nothing
            _ => continue,
        };
        r.facts.push((
            fact,
            Seen {
                value,
                loc: Loc::new(Span::new(id, *s, *e), format!("<root_account>/{name}")),
                from: r.kind,
            },
        ));
    }
    // a date here: the root user signed in with a password, so it has (or had) one
    if let Some((v, s, e)) = cell("password_last_used")
        && !matches!(v.to_ascii_lowercase().as_str(), "" | "n/a" | "no_information" | "not_supported")
    {
        r.facts.push((
            Fact::PasswordUsed,
            Seen {
                value: true,
                loc: Loc::new(Span::new(id, *s, *e), "<root_account>/password_last_used".to_owned()),
                from: r.kind,
            },
        ));
    }
    if !r.facts.iter().any(|(f, _)| *f == Fact::Mfa) {
        let (_, s, e) = cell("mfa_active").cloned().unwrap_or_default();
        return Err(problem(id, s, e, "`mfa_active` of `<root_account>` is neither true nor false"));
    }
    Ok(r)
}

/// The account id a path names: the last 12-digit component (directory or file stem part).
fn path_account(rel: &Path) -> Option<String> {
    let mut found = None;
    for c in rel.components() {
        let s = c.as_os_str().to_string_lossy();
        for tok in s.split(|ch: char| !ch.is_ascii_digit()) {
            if is_account_id(tok) {
                found = Some(tok.to_owned());
            }
        }
    }
    found
}

fn assign(ev: &mut Evidence, reads: &[(Read, PathBuf)]) {
    let mut accounts: BTreeMap<String, Account> = BTreeMap::new();
    let mut orphans = Vec::new();
    // organization exports first: they say which accounts exist and which one manages
    for (r, _) in reads {
        for (id, role, loc) in &r.org {
            let a = accounts.entry(id.clone()).or_insert_with(|| Account {
                id: id.clone(),
                ..Account::default()
            });
            if a.role == Role::Unknown || *role == Role::Management {
                a.role = *role;
                a.role_loc = Some(loc.clone());
            }
            a.exports.push(r.kind);
        }
    }
    if let Some(m) = accounts.values().find(|a| a.role == Role::Management).map(|a| a.id.clone()) {
        for a in accounts.values_mut() {
            if a.role == Role::Unknown && a.id != m {
                a.role = Role::Member;
            }
        }
    }
    let iam: Vec<&(Read, PathBuf)> = reads.iter().filter(|(r, _)| r.org.is_empty()).collect();
    for (r, rel) in iam {
        let from_path = path_account(rel);
        let whole = Loc::new(Span::new(r.file, 0, 0), "");
        let id = match (&r.account, &from_path) {
            (Some((a, _)), Some(p)) if a != p => {
                ev.problems.push(Problem {
                    loc: r.account.as_ref().map_or(whole.clone(), |(_, l)| l.clone()),
                    message: format!(
                        "this {} export names account {a}, but its path names account {p}: which account it proves is unclear",
                        r.kind.command()
                    ),
                });
                continue;
            }
            (Some((a, _)), _) => a.clone(),
            (None, Some(p)) => p.clone(),
            (None, None) => {
                orphans.push(r);
                continue;
            }
        };
        give(
            accounts.entry(id.clone()).or_insert_with(|| Account { id, ..Account::default() }),
            r,
            &whole,
        );
    }
    let with_iam: Vec<String> = accounts
        .values()
        .filter(|a| !a.mfa.is_empty() || a.virtual_root.is_some() || !a.keys.is_empty())
        .map(|a| a.id.clone())
        .collect();
    for r in orphans {
        let whole = Loc::new(Span::new(r.file, 0, 0), "");
        if let [only] = with_iam.as_slice()
            && let Some(a) = accounts.get_mut(only)
        {
            give(a, r, &whole);
        } else if with_iam.is_empty() && accounts.is_empty() {
            // the evidence of a single account whose id no export names
            let a = accounts.entry(String::new()).or_default();
            give(a, r, &whole);
        } else {
            ev.problems.push(Problem {
                loc: whole,
                message: format!(
                    "this {} export names no account, and the evidence holds several: put it in a directory named after the 12-digit account id",
                    r.kind.command()
                ),
            });
        }
    }
    ev.accounts = accounts.into_values().collect();
}

fn give(a: &mut Account, r: &Read, whole: &Loc) {
    if a.anchor.is_none() {
        a.anchor = Some(whole.clone());
    }
    a.exports.push(r.kind);
    if a.truncated.is_none() {
        a.truncated.clone_from(&r.truncated);
    }
    for (fact, seen) in &r.facts {
        match fact {
            Fact::Mfa => a.mfa.push(seen.clone()),
            Fact::VirtualRoot => {
                // a root device in any list wins over a list without one
                if a.virtual_root.as_ref().is_none_or(|v| !v.value && seen.value) {
                    a.virtual_root = Some(seen.clone());
                }
            }
            Fact::Password => a.password.push(seen.clone()),
            Fact::PasswordUsed => a.password_used.push(seen.clone()),
            Fact::Keys => a.keys.push(seen.clone()),
            Fact::Certs => a.certs.push(seen.clone()),
        }
    }
}

/// Several exports on one fact: (agreed value or `None` when they disagree, the deciding one,
/// the disagreeing ones).
fn agree(seen: &[Seen], any_true: bool) -> Option<(Option<bool>, &Seen, Vec<&Seen>)> {
    let first = seen.first()?;
    // with `any_true`, an export votes true when any of its cells is (access keys 1 and 2)
    let vote = |s: &Seen| {
        if any_true {
            seen.iter().any(|x| x.from == s.from && x.value)
        } else {
            s.value
        }
    };
    let decider = if any_true {
        seen.iter().find(|s| s.value).unwrap_or(first)
    } else {
        first
    };
    let v = vote(decider);
    let odd: Vec<&Seen> = seen.iter().filter(|s| vote(s) != v).collect();
    Some((odd.is_empty().then_some(v), decider, odd))
}

/// "`mfa_active` false in the IAM credential report".
fn said(s: &Seen) -> String {
    let field = s.loc.path.rsplit('/').next().unwrap_or_default();
    let value = match (s.from, s.value) {
        (ExportKind::AccountSummary, v) => u8::from(v).to_string(),
        (_, v) => v.to_string(),
    };
    format!("`{field}` {value} in {}", s.from.command())
}

fn disagree_labels(odd: &[&Seen]) -> Vec<(Loc, String)> {
    odd.iter()
        .map(|s| (s.loc.clone(), format!("{} says otherwise", s.from.command())))
        .collect()
}

/// Judge one account: (`root-hardware-mfa`, `root-access-keys`).
#[must_use]
#[allow(clippy::too_many_lines)] // the decision table, in one place
pub fn judge(a: &Account) -> (Judged, Judged) {
    let anchor = a
        .anchor
        .clone()
        .or_else(|| a.role_loc.clone())
        .unwrap_or_else(|| Loc::new(Span::default(), ""));
    let j = |status, loc: &Loc, reason: String, labels| Judged {
        status,
        loc: loc.clone(),
        reason,
        labels,
    };
    let keys_j = match agree(&a.keys, true) {
        None if a
            .exports
            .iter()
            .all(|k| matches!(k, ExportKind::Organization | ExportKind::Accounts)) =>
        {
            j(
                "unknown",
                &anchor,
                "no IAM export: the account summary or the credential report is needed".to_owned(),
                Vec::new(),
            )
        }
        None => j(
            "unknown",
            &anchor,
            "the exports do not say whether the root user has access keys (`AccountAccessKeysPresent` or the credential report)".to_owned(),
            Vec::new(),
        ),
        Some((None, s, odd)) => j(
            "unknown",
            &s.loc,
            format!(
                "the exports disagree on the root user's access keys: {}, but {} (a stale credential report?)",
                said(s),
                odd.first().map_or_else(String::new, |o| said(o))
            ),
            disagree_labels(&odd),
        ),
        Some((Some(true), s, _)) => j(
            "present",
            &s.loc,
            format!("the root user has an active access key ({})", said(s)),
            Vec::new(),
        ),
        Some((Some(false), s, _)) => j(
            "none",
            &s.loc,
            format!("the root user has no active access key ({})", said(s)),
            Vec::new(),
        ),
    };
    if a.exports
        .iter()
        .all(|k| matches!(k, ExportKind::Organization | ExportKind::Accounts))
    {
        let loc = a.role_loc.clone().unwrap_or(anchor);
        return (
            j(
                "unknown",
                &loc,
                format!(
                    "no IAM export ({} account of the organization): its root user's MFA is not shown",
                    a.role.as_str()
                ),
                Vec::new(),
            ),
            Judged { loc, ..keys_j },
        );
    }
    // root credentials: password, access keys, signing certificates
    let mut creds: Vec<Option<bool>> = [&a.password, &a.keys, &a.certs]
        .iter()
        .map(|s| agree(s, true).and_then(|(v, _, _)| v))
        .collect();
    // a password that was used is one the root user has or had, unless an export says it has none
    if creds[0].is_none() && !a.password_used.is_empty() {
        creds[0] = Some(true);
    }
    let used_labels: Vec<(Loc, String)> = a
        .password_used
        .iter()
        .map(|p| {
            (
                p.loc.clone(),
                "the root password was used (`password_last_used`): the root user has or had a password".to_owned(),
            )
        })
        .collect();
    let has_creds = if creds.contains(&Some(true)) {
        Some(true)
    } else if creds[0] == Some(false) && creds[1] == Some(false) {
        Some(false)
    } else {
        None
    };
    let mfa = agree(&a.mfa, false);
    if let Some((None, s, odd)) = &mfa {
        return (
            j(
                "unknown",
                &s.loc,
                format!(
                    "the exports disagree on whether the root user has MFA: {}, but {} (a stale credential report?)",
                    said(s),
                    odd.first().map_or_else(String::new, |o| said(o))
                ),
                disagree_labels(odd),
            ),
            keys_j,
        );
    }
    let mfa_on = mfa.as_ref().and_then(|(v, s, _)| v.map(|v| (v, *s)));
    if let Some(v) = a.virtual_root.as_ref().filter(|v| v.value) {
        return (
            j(
                "virtual-only",
                &v.loc,
                "a virtual MFA device is assigned to the root user: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED fails whenever one is, even beside a hardware device".to_owned(),
                Vec::new(),
            ),
            keys_j,
        );
    }
    let member_like = a.role != Role::Management;
    match mfa_on {
        Some((false, s)) => {
            if has_creds == Some(false) && member_like {
                let loc = a.password.first().map_or(&s.loc, |p| &p.loc);
                let whose = if a.role == Role::Member {
                    "member account"
                } else {
                    "account (not known as the management account)"
                };
                return (
                    j(
                        "no-root-credentials",
                        loc,
                        format!(
                            "the root user, a {whose}, has no password, access key or signing certificate: there is nothing to protect with MFA (centralized root access)"
                        ),
                        Vec::new(),
                    ),
                    keys_j,
                );
            }
            if has_creds.is_none() && member_like {
                // not proven harmless: a root user without MFA fails unless it is shown to have
                // no credentials at all
                return (
                    j(
                        "none",
                        &s.loc,
                        format!(
                            "the root user has no MFA device ({}), and the exports do not prove it has no credentials (a member account without a root password, access key or signing certificate would pass): export `aws iam get-account-summary` (`AccountPasswordPresent`) and the credential report",
                            said(s)
                        ),
                        Vec::new(),
                    ),
                    keys_j,
                );
            }
            let used = if used_labels.is_empty() || agree(&a.password, true).is_some() {
                String::new()
            } else {
                "; its password was used (`password_last_used` in the IAM credential report), so it has or had one".to_owned()
            };
            (
                j(
                    "none",
                    &s.loc,
                    format!("the root user has no MFA device ({}){used}", said(s)),
                    used_labels,
                ),
                keys_j,
            )
        }
        Some((true, s)) => {
            let m = if let Some(v) = &a.virtual_root {
                j(
                    "hardware",
                    &s.loc,
                    "the root user has MFA and no virtual device is assigned to it".to_owned(),
                    vec![(v.loc.clone(), "no virtual device of the root user in this list".into())],
                )
            } else if let Some(t) = &a.truncated {
                j(
                    "unknown",
                    t,
                    "the root user has MFA, but the device list is cut short (`IsTruncated`), so a virtual root device may be missing from it".to_owned(),
                    vec![(s.loc.clone(), "MFA is on".into())],
                )
            } else {
                j(
                    "unknown",
                    &s.loc,
                    "the root user has MFA, but `aws iam list-virtual-mfa-devices` is needed to tell a hardware device from a virtual one"
                        .to_owned(),
                    Vec::new(),
                )
            };
            (m, keys_j)
        }
        None => (
            j(
                "unknown",
                &anchor,
                "the exports do not show whether the root user has MFA (`AccountMFAEnabled` or `mfa_active`)".to_owned(),
                Vec::new(),
            ),
            keys_j,
        ),
    }
}

/// The summary status of a guardrail over accounts: the worst.
#[must_use]
pub fn worst(order: &[&'static str], statuses: &[&'static str]) -> &'static str {
    order.iter().find(|s| statuses.contains(s)).copied().unwrap_or("unknown")
}

/// The verdicts of the account guardrails: per account one declaration, the worst deciding.
#[must_use]
pub fn verdicts(ev: &Evidence) -> Vec<crate::analyze::Verdict> {
    use crate::analyze::{Decl, Verdict, Why};
    let mut mfa = Vec::new();
    let mut keys = Vec::new();
    for (i, a) in ev.accounts.iter().enumerate() {
        let (m, k) = judge(a);
        let what = describe(a);
        for (g, j, out) in [(HARDWARE_MFA, m, &mut mfa), (ACCESS_KEYS, k, &mut keys)] {
            out.push(Decl {
                guardrail: g,
                status: j.status,
                element: format!("accounts/{i}"),
                loc: j.loc.clone(),
                what: what.clone(),
                why: vec![Why {
                    code: j.status,
                    message: j.reason,
                    loc: j.loc,
                }],
            });
        }
    }
    let status = |order: &[&'static str], decls: &[Decl]| {
        if decls.is_empty() {
            // evidence given, but no account in it
            "unknown"
        } else {
            worst(order, &decls.iter().map(|d| d.status).collect::<Vec<_>>())
        }
    };
    vec![
        Verdict {
            guardrail: HARDWARE_MFA,
            status: status(&MFA_ORDER, &mfa),
            decls: mfa,
        },
        Verdict {
            guardrail: ACCESS_KEYS,
            status: status(&KEYS_ORDER, &keys),
            decls: keys,
        },
    ]
}

/// "account 123456789012 (management)".
#[must_use]
pub fn describe(a: &Account) -> String {
    let id = if a.id.is_empty() {
        "account (id not in the exports)".to_owned()
    } else {
        format!("account {}", a.id)
    };
    match a.role {
        Role::Unknown => id,
        r => format!("{id} ({})", r.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes() {
        assert_eq!(base64("dXNlcixhcm4K").as_deref(), Some(b"user,arn\n".as_slice()));
        assert_eq!(base64("YQ==").as_deref(), Some(b"a".as_slice()));
        assert_eq!(base64("YWI=").as_deref(), Some(b"ab".as_slice()));
        assert_eq!(base64("YW\nJj").as_deref(), Some(b"abc".as_slice()));
        assert!(base64("a*b=").is_none());
    }

    #[test]
    fn csv_cells_with_offsets_and_quotes() {
        let c = csv_cells("a,\"b,c\",,d", 10);
        let cells: Vec<&str> = c.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(cells, ["a", "b,c", "", "d"]);
        assert_eq!((c[0].1, c[0].2), (10, 11));
        assert_eq!((c[3].1, c[3].2), (19, 20));
        assert_eq!(csv_cells("a,", 0).len(), 2);
    }

    #[test]
    fn accounts_from_arns_and_paths() {
        assert_eq!(arn_account("arn:aws:iam::123456789012:root"), Some(("123456789012", "root")));
        assert_eq!(
            arn_account("arn:aws-us-gov:iam::123456789012:mfa/root-account-mfa-device").map(|x| x.1),
            Some("mfa/root-account-mfa-device")
        );
        assert_eq!(arn_account("arn:aws:iam::12345:root"), None);
        assert_eq!(
            path_account(Path::new("prod/111122223333/summary.json")).as_deref(),
            Some("111122223333")
        );
        assert_eq!(
            path_account(Path::new("111122223333-summary.json")).as_deref(),
            Some("111122223333")
        );
        assert_eq!(path_account(Path::new("summary.json")), None);
    }

    #[test]
    fn worst_account_decides() {
        assert_eq!(worst(&MFA_ORDER, &["hardware", "virtual-only", "unknown"]), "virtual-only");
        assert_eq!(worst(&MFA_ORDER, &["hardware", "no-root-credentials"]), "hardware");
        assert_eq!(worst(&KEYS_ORDER, &["none", "unknown"]), "unknown");
    }
}

//! Reading: evidence files → exports, each recognized by its content (the JSON of an AWS CLI
//! command, or the credential report CSV).

use std::path::{Path, PathBuf};

use super::{Evidence, ExportKind, Fact, Problem, Read, Role, Seen, arn_account, at, is_account_id, problem};
use base64::DecodeError;
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::error::Error;
use crate::model::Loc;
use crate::parse::tree::{Node, Value};
use crate::source::{Encoding, FileId, Sources, Span};

/// Largest export read, in bytes.
const MAX_EXPORT_BYTES: u64 = 64 * 1024 * 1024;

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
    super::assign::assign(&mut ev, &reads);
    Ok(ev)
}

/// The first byte of a node (an opening brace or bracket).
fn head(span: Span) -> Span {
    Span {
        end: span.start.saturating_add(1).min(span.end.max(span.start)),
        ..span
    }
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
    content(sources, id)
}

pub(super) fn content(sources: &mut Sources, id: FileId) -> Result<Read, Problem> {
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
        return super::csv::credential_report(id, &text, 0);
    }
    let first_line_end = text.find('\n').unwrap_or(text.len());
    Err(problem(
        id,
        0,
        first_line_end,
        "not an export rootguard reads: expected the JSON of `aws iam get-account-summary`, `aws iam list-virtual-mfa-devices`, `aws iam get-credential-report`, `aws organizations describe-organization` or `list-accounts`, or a credential report CSV (header `user,arn,…`)",
    ))
}

pub(super) fn read_of(kind: ExportKind, file: FileId) -> Read {
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
        let csv = match base64(b64) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(csv) => csv,
                Err(e) => {
                    return Err(at(
                        content.span,
                        format!(
                            "`Content` is not base64 of a UTF-8 CSV: decoded byte {} is not UTF-8",
                            e.utf8_error().valid_up_to()
                        ),
                    ));
                }
            },
            Err(Fault { at: fault, why }) => {
                let span = fault.map_or(content.span, |(off, len)| char_span(sources, content.span, b64, off, len));
                return Err(at(span, format!("`Content` is not base64 of a UTF-8 CSV: {why}")));
            }
        };
        // read the decoded CSV, then point everything at the `Content` string of this file,
        // naming the cell in the logical path (an offset into base64 would mean nothing)
        let outer = sources.get(id);
        let (path, display) = (outer.path.clone(), format!("{} (Content, decoded)", outer.display));
        let inner = sources.add(path, display, csv, Encoding::Utf8);
        let text = sources.get(inner).text.clone();
        let to_outer = |l: &Loc| Loc::new(content.span, format!("Content/{}", l.path));
        return match super::csv::credential_report(inner, &text, 0) {
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

/// The standard base64 alphabet, padding optional and trailing bits allowed: the encodings the
/// reader has always accepted (whitespace is removed before decoding).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Why a string is not base64.
#[derive(Debug, PartialEq, Eq)]
struct Fault {
    /// Byte offset and length in the string of the character at fault; `None` when no one
    /// character is.
    at: Option<(usize, usize)>,
    why: String,
}

/// Standard base64 (padding optional, whitespace ignored) → bytes.
fn base64(s: &str) -> Result<Vec<u8>, Fault> {
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    BASE64.decode(&clean).map_err(|e| match e {
        DecodeError::InvalidByte(i, _) | DecodeError::InvalidLastSymbol(i, _) => {
            // the offset in `s` of the `i`-th character that is not whitespace
            let off = s
                .bytes()
                .enumerate()
                .filter(|(_, b)| !b.is_ascii_whitespace())
                .nth(i)
                .map_or(s.len(), |(o, _)| o);
            let c = s.get(off..).and_then(|t| t.chars().next()).unwrap_or('\u{fffd}');
            let n = s.get(..off).map_or(0, |t| t.chars().count()) + 1;
            let why = if c == '=' {
                format!("`=` (character {n}) is padding out of place")
            } else {
                format!("`{}` (character {n}) is not in the base64 alphabet", c.escape_debug())
            };
            Fault {
                at: Some((off, c.len_utf8())),
                why,
            }
        }
        DecodeError::InvalidLength(n) => Fault {
            at: None,
            why: format!("{n} base64 characters (one more than a multiple of four) are no encoding: it is cut short"),
        },
        DecodeError::InvalidPadding => Fault {
            at: None,
            why: "its `=` padding is wrong".to_owned(),
        },
    })
}

/// The span of bytes `off..off + len` of a JSON string value inside its `string` span (which
/// holds the quotes), when the source writes the value as it is; else the whole string.
fn char_span(sources: &Sources, string: Span, value: &str, off: usize, len: usize) -> Span {
    let text = &sources.get(string.file).text;
    let (a, b) = (string.start as usize, string.end as usize);
    let raw = text.get(a.saturating_add(1)..b.saturating_sub(1));
    if raw == Some(value) {
        Span::new(string.file, a + 1 + off, a + 1 + off + len)
    } else {
        string
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes() {
        let cases: &[(&str, &[u8])] = &[
            ("dXNlcixhcm4K", b"user,arn\n"),
            ("YQ==", b"a"),
            ("YWI=", b"ab"),
            // padding is optional, whitespace (a wrapped copy) is ignored
            ("YQ", b"a"),
            ("YWI", b"ab"),
            ("YW\nJj", b"abc"),
            (" YW Jj\r\n", b"abc"),
            ("", b""),
            // bits beyond the last byte are dropped
            ("YR==", b"a"),
        ];
        for (text, want) in cases {
            assert_eq!(base64(text).as_deref(), Ok(*want), "{text:?}");
        }
    }

    #[test]
    fn base64_faults_with_their_position() {
        // (text, the fault's byte offset and length in the text, message part)
        type Case<'a> = (&'a str, Option<(usize, usize)>, &'a str);
        let cases: &[Case] = &[
            ("a*b=", Some((1, 1)), "`*` (character 2) is not in the base64 alphabet"),
            ("YW\nJj-", Some((5, 1)), "`-` (character 6) is not in the base64 alphabet"),
            ("YWJjé", Some((4, 2)), "`é` (character 5) is not in the base64 alphabet"),
            ("YQ==YQ==", Some((2, 1)), "`=` (character 3) is padding out of place"),
            ("YWJj=", Some((4, 1)), "`=` (character 5) is padding out of place"),
            ("YWJjY", None, "5 base64 characters"),
            ("YWI==", Some((3, 1)), "`=` (character 4) is padding out of place"),
            ("=", Some((0, 1)), "`=` (character 1) is padding out of place"),
        ];
        for (text, fault, message) in cases {
            let Err(Fault { at, why }) = base64(text) else {
                panic!("{text:?} decoded");
            };
            assert_eq!(at, *fault, "{text:?}: {why}");
            assert!(why.contains(message), "{text:?}: {why}");
        }
    }
}

//! The decision table: what one account's exports prove about its root user's MFA and access
//! keys.

use super::{Account, ExportKind, Judged, Role, Seen};
use crate::model::Loc;
use crate::source::Span;

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

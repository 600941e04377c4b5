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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use ExportKind::{AccountSummary as Summary, Accounts, CredentialReport as Report, VirtualMfaDevices as Devices};

    /// A fact at bytes `start..start + 1` of file 0.
    fn seen(from: ExportKind, value: bool, start: usize) -> Seen {
        Seen {
            value,
            loc: Loc::new(Span::new(FileId(0), start, start + 1), ""),
            from,
        }
    }

    fn at(start: usize) -> Loc {
        Loc::new(Span::new(FileId(0), start, start + 1), "")
    }

    /// An account of `role` whose first export is at byte 1.
    fn account(role: Role, exports: &[ExportKind]) -> Account {
        Account {
            id: "123456789012".into(),
            role,
            anchor: Some(at(1)),
            exports: exports.to_vec(),
            ..Account::default()
        }
    }

    /// (case, account, (mfa status, its start), (keys status, its start), mfa labels' starts)
    type Case = (&'static str, Account, (&'static str, u32), (&'static str, u32), Vec<u32>);

    #[test]
    fn the_decision_table() {
        let both = [Summary, Report];
        let listed = [Summary, Devices];
        let cases: Vec<Case> = vec![
            (
                "organization exports only: nothing is shown, at the role",
                Account {
                    role_loc: Some(at(90)),
                    anchor: None,
                    ..account(Role::Member, &[Accounts])
                },
                ("unknown", 90),
                ("unknown", 90),
                vec![],
            ),
            (
                "MFA on, no device list: hardware or virtual is not known",
                Account {
                    mfa: vec![seen(Summary, true, 10)],
                    keys: vec![seen(Summary, false, 20)],
                    ..account(Role::Management, &[Summary])
                },
                ("unknown", 10),
                ("none", 20),
                vec![],
            ),
            (
                "MFA on and a device list without a root device: hardware",
                Account {
                    mfa: vec![seen(Summary, true, 10)],
                    virtual_root: Some(seen(Devices, false, 30)),
                    ..account(Role::Management, &listed)
                },
                ("hardware", 10),
                ("unknown", 1),
                vec![30],
            ),
            (
                "MFA on, the device list cut short: unknown at `IsTruncated`",
                Account {
                    mfa: vec![seen(Summary, true, 10)],
                    truncated: Some(at(40)),
                    ..account(Role::Management, &listed)
                },
                ("unknown", 40),
                ("unknown", 1),
                vec![10],
            ),
            (
                "a virtual root device fails even with MFA on",
                Account {
                    mfa: vec![seen(Summary, true, 10)],
                    virtual_root: Some(seen(Devices, true, 30)),
                    keys: vec![seen(Summary, false, 20)],
                    ..account(Role::Management, &listed)
                },
                ("virtual-only", 30),
                ("none", 20),
                vec![],
            ),
            (
                "no MFA, a member without password or keys: nothing to protect",
                Account {
                    mfa: vec![seen(Summary, false, 10)],
                    password: vec![seen(Summary, false, 50)],
                    keys: vec![seen(Summary, false, 20)],
                    ..account(Role::Member, &[Summary])
                },
                ("no-root-credentials", 50),
                ("none", 20),
                vec![],
            ),
            (
                "no MFA, an account not known as the management account, without credentials",
                Account {
                    mfa: vec![seen(Report, false, 10)],
                    password: vec![seen(Report, false, 50)],
                    keys: vec![seen(Report, false, 20), seen(Report, false, 25)],
                    ..account(Role::Unknown, &[Report])
                },
                ("no-root-credentials", 50),
                ("none", 20),
                vec![],
            ),
            (
                "no MFA, the management account without credentials: none",
                Account {
                    mfa: vec![seen(Summary, false, 10)],
                    password: vec![seen(Summary, false, 50)],
                    keys: vec![seen(Summary, false, 20)],
                    ..account(Role::Management, &[Summary])
                },
                ("none", 10),
                ("none", 20),
                vec![],
            ),
            (
                "no MFA, a member whose password is not shown: none",
                Account {
                    mfa: vec![seen(Summary, false, 10)],
                    keys: vec![seen(Summary, false, 20)],
                    ..account(Role::Member, &[Summary])
                },
                ("none", 10),
                ("none", 20),
                vec![],
            ),
            (
                "no MFA, a member whose root password was used: none, the use shown",
                Account {
                    mfa: vec![seen(Report, false, 10)],
                    keys: vec![seen(Report, false, 20)],
                    password_used: vec![seen(Report, true, 60)],
                    ..account(Role::Member, &[Report])
                },
                ("none", 10),
                ("none", 20),
                vec![60],
            ),
            (
                "the exports disagree on MFA: unknown at the first, the other shown",
                Account {
                    mfa: vec![seen(Summary, true, 10), seen(Report, false, 70)],
                    virtual_root: Some(seen(Devices, false, 30)),
                    ..account(Role::Management, &[Summary, Report, Devices])
                },
                ("unknown", 10),
                ("unknown", 1),
                vec![70],
            ),
            (
                "the second access key of the report is active: present, at it",
                Account {
                    mfa: vec![seen(Report, true, 10)],
                    keys: vec![seen(Report, false, 20), seen(Report, true, 25)],
                    ..account(Role::Management, &[Report])
                },
                ("unknown", 10),
                ("present", 25),
                vec![],
            ),
            (
                "the exports disagree on access keys: unknown at the deciding one",
                Account {
                    mfa: vec![seen(Summary, true, 10)],
                    keys: vec![seen(Summary, false, 20), seen(Report, true, 80)],
                    ..account(Role::Management, &both)
                },
                ("unknown", 10),
                ("unknown", 80),
                vec![],
            ),
            (
                "IAM exports that show neither MFA nor keys: unknown at the first export",
                account(Role::Management, &[Devices]),
                ("unknown", 1),
                ("unknown", 1),
                vec![],
            ),
        ];
        for (case, a, (mfa, mfa_at), (keys, keys_at), labels) in cases {
            let (m, k) = judge(&a);
            assert_eq!(
                (m.status, m.loc.span.start, m.loc.span.end),
                (mfa, mfa_at, mfa_at + 1),
                "{case}: {}",
                m.reason
            );
            assert_eq!(
                (k.status, k.loc.span.start, k.loc.span.end),
                (keys, keys_at, keys_at + 1),
                "{case}: {}",
                k.reason
            );
            let got: Vec<u32> = m.labels.iter().map(|(l, _)| l.span.start).collect();
            assert_eq!(got, labels, "{case}: labels");
        }
    }
}

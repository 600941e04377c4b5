//! Assignment: each export given to the account it proves (the account its ARNs name, else the
//! 12-digit id in its path, else the only account of the evidence).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Account, Evidence, Fact, Problem, Read, Role, is_account_id};
use crate::model::Loc;
use crate::source::Span;

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

pub(super) fn assign(ev: &mut Evidence, reads: &[(Read, PathBuf)]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_from_paths() {
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
}

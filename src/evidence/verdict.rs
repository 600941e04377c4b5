//! Verdicts: the judged accounts as one declaration each of the account guardrails, the worst
//! account deciding.

use super::{ACCESS_KEYS, Account, Evidence, HARDWARE_MFA, KEYS_ORDER, MFA_ORDER, Role, judge};

/// The summary status of a guardrail over accounts: the worst.
#[must_use]
pub fn worst(order: &[&'static str], statuses: &[&'static str]) -> &'static str {
    order.iter().find(|s| statuses.contains(s)).copied().unwrap_or("unknown")
}

/// The verdicts of the account guardrails: per account one declaration, the worst deciding.
#[must_use]
pub fn verdicts(ev: &Evidence) -> Vec<crate::analyze::Verdict> {
    use crate::analyze::{Code, Decl, Verdict, Why};
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
                    code: Code::Judged,
                    message: j.reason,
                    loc: j.loc,
                }],
                notes: Vec::new(),
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
    fn worst_account_decides() {
        assert_eq!(worst(&MFA_ORDER, &["hardware", "virtual-only", "unknown"]), "virtual-only");
        assert_eq!(worst(&MFA_ORDER, &["hardware", "no-root-credentials"]), "hardware");
        assert_eq!(worst(&KEYS_ORDER, &["none", "unknown"]), "unknown");
    }
}

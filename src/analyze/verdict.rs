//! Guardrail verdicts: how the statuses of one guardrail's declarations combine, and in which
//! order the reasons of one declaration decide its status.

use super::{Decl, GUARDRAILS};

/// Rank of a status when several declarations of one guardrail are combined (higher wins).
#[must_use]
pub fn rank(status: &str) -> u8 {
    match status {
        "deployed" | "enforced" | "enabled" => 8,
        "partial" | "incomplete" => 7,
        "unknown" => 6,
        "unattached" => 5,
        "misconfigured" => 4,
        "ineffective" => 3,
        "switched-off" => 2,
        _ => 1,
    }
}

/// The verdict of a guardrail from the statuses of its declarations (the report contract): the
/// best ranked, `missing` when there is none; for `securityhub-root-mfa-controls`, one `disabled`
/// wins, then `enabled`, else `not-declared`.
#[must_use]
pub fn combine(guardrail: &str, statuses: &[&'static str]) -> &'static str {
    if guardrail == "securityhub-root-mfa-controls" {
        if statuses.contains(&"disabled") {
            "disabled"
        } else if statuses.contains(&"enabled") {
            "enabled"
        } else {
            "not-declared"
        }
    } else {
        statuses.iter().copied().max_by_key(|s| rank(s)).unwrap_or("missing")
    }
}

/// The verdict for one guardrail.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub guardrail: &'static str,
    pub status: &'static str,
    pub decls: Vec<Decl>,
}

impl Verdict {
    /// The declaration that shows the verdict: the first in source order with the verdict's status.
    #[must_use]
    pub fn evidence(&self) -> Option<&Decl> {
        self.decls
            .iter()
            .filter(|d| d.status == self.status)
            .min_by_key(|d| (d.loc.span.file, d.loc.span.start))
    }
}

/// Position in the contract's order for one declaration (earlier decides first).
pub(super) fn rank_order(s: &str) -> u8 {
    match s {
        "switched-off" => 7,
        "unknown" => 6,
        "ineffective" => 5,
        "unattached" => 4,
        "misconfigured" => 3,
        "partial" | "incomplete" => 2,
        _ => 1,
    }
}

/// The verdict of every guardrail of the contract, in report order, from all declarations.
pub(super) fn verdicts(decls: &[Decl]) -> Vec<Verdict> {
    GUARDRAILS
        .iter()
        .map(|g| {
            let mine: Vec<Decl> = decls.iter().filter(|d| d.guardrail == *g).cloned().collect();
            let status = combine(g, &mine.iter().map(|d| d.status).collect::<Vec<_>>());
            Verdict {
                guardrail: g,
                status,
                decls: mine,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranking_follows_the_contract() {
        let order = [
            "deployed",
            "partial",
            "unknown",
            "unattached",
            "misconfigured",
            "ineffective",
            "switched-off",
            "missing",
        ];
        for w in order.windows(2) {
            assert!(rank(w[0]) > rank(w[1]), "{} > {}", w[0], w[1]);
        }
    }
}

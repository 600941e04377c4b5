//! Rendering a check's result: one module per output format.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::analyze::Facts;
use crate::finding::Finding;
use crate::rules::{Rule, Severity};
use crate::scan::Scan;

/// Everything a renderer needs.
pub struct Outcome<'a> {
    pub scan: &'a Scan,
    pub facts: &'a Facts,
    pub findings: &'a [Finding],
    pub rules: &'a [Rule],
    /// The `--fail-on` level; `None` for `never`.
    pub fail_on: Option<Severity>,
}

impl Outcome<'_> {
    /// Does any finding reach the `--fail-on` level?
    #[must_use]
    pub fn failed(&self) -> bool {
        self.fail_on
            .is_some_and(|level| self.findings.iter().any(|f| f.suppression.is_none() && f.severity >= level))
    }

    /// Does this finding fail the run on its own?
    #[must_use]
    pub fn fails(&self, f: &Finding) -> bool {
        f.suppression.is_none() && self.fail_on.is_some_and(|level| f.severity >= level)
    }

    /// The `--fail-on` level as written (`never` included).
    #[must_use]
    pub fn fail_on_str(&self) -> &'static str {
        self.fail_on.map_or("never", Severity::as_str)
    }

    /// What the gate decided, in words: `failing: …`, `passing: …`, or that nothing fails.
    #[must_use]
    pub fn gate(&self) -> String {
        match self.fail_on {
            None => "not gating (`--fail-on never`)".to_owned(),
            Some(level) if self.failed() => format!("failing: a finding at or above `{}`", level.as_str()),
            Some(level) => format!("passing: no finding at or above `{}`", level.as_str()),
        }
    }

    /// Findings per severity, most severe first.
    #[must_use]
    pub fn by_severity(&self) -> Vec<(Severity, usize)> {
        let mut v: Vec<(Severity, usize)> = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info]
            .into_iter()
            .map(|s| {
                (
                    s,
                    self.findings.iter().filter(|f| f.suppression.is_none() && f.severity == s).count(),
                )
            })
            .collect();
        v.retain(|(_, n)| *n > 0);
        v
    }
}

//! Rendering a check's result: one module per output format.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

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
    pub fail_on: Severity,
}

impl Outcome<'_> {
    /// Does any finding reach the `--fail-on` level?
    #[must_use]
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.suppression.is_none() && f.severity >= self.fail_on)
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

//! Findings: what the rules report, as data; each report format renders them its own way.

use crate::model::{Loc, Via};
use crate::rules::Severity;

/// One finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub name: String,
    pub severity: Severity,
    pub guardrail: Option<String>,
    pub message: String,
    /// The primary location (none only when the scan read no file at all).
    pub loc: Option<Loc>,
    /// Secondary locations with their labels.
    pub labels: Vec<(Loc, String)>,
    /// How the declaration was reached.
    pub via: Vec<Via>,
    pub notes: Vec<String>,
    pub help: String,
    /// A fix snippet in the language of the file: (`yaml` | `hcl`, text).
    pub fix: Option<(&'static str, String)>,
}

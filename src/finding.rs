//! Findings: what the rules report, as data; each report format renders them its own way.

use crate::model::{Loc, Via};

pub use crate::severity::Severity;

/// One finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule id (`RG201`).
    pub rule: String,
    /// The rule name (`root-deny-scp-missing`).
    pub name: String,
    /// The severity (the rule's, or the one configured for it).
    pub severity: Severity,
    /// The guardrail the finding is about, if any (`root-deny-scp`).
    pub guardrail: Option<String>,
    /// What is wrong, naming the bad pattern.
    pub message: String,
    /// The primary location (none only when the scan read no file at all).
    pub loc: Option<Loc>,
    /// Secondary locations with their labels.
    pub labels: Vec<(Loc, String)>,
    /// How the declaration was reached.
    pub via: Vec<Via>,
    /// Further notes, each a sentence.
    pub notes: Vec<String>,
    /// How to fix it.
    pub help: String,
    /// A fix snippet in the language of the file: (`yaml` | `hcl`, text).
    pub fix: Option<(&'static str, String)>,
    /// Set when a waiver suppresses the finding (it is still reported, as suppressed).
    pub suppression: Option<Suppression>,
}

/// A waiver that suppresses a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Why the finding is accepted.
    pub reason: String,
    /// Who accepted it.
    pub owner: String,
    /// Until when (`YYYY-MM-DD`).
    pub expires: String,
    /// `config` (`.rootguard.yml`) or `inline` (a comment in the file).
    pub kind: &'static str,
}

impl Finding {
    /// A fingerprint that does not change when unrelated lines move: the rule, the file, the
    /// logical path and the message (which names no line numbers).
    #[must_use]
    pub fn fingerprint(&self, file: &str) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        // findings about an absent guardrail say what was searched; that part changes with the tree
        let message = self
            .message
            .split(" (searched")
            .next()
            .unwrap_or("")
            .split(" (none of")
            .next()
            .unwrap_or("");
        for part in [self.rule.as_str(), file, self.loc.as_ref().map_or("", |l| l.path.as_str()), message] {
            for b in part.bytes().chain([0u8]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{h:016x}")
    }
}

/// Whether a rule pattern names rule `id`: the id itself, or a glob (`RG2*`, `RG20?`). The
/// configuration's `select`, `ignore` and `unsuppressible` and every waiver match rules this
/// way; a pattern that is not a glob names only the rule spelled exactly so.
#[must_use]
pub fn id_matches(pattern: &str, id: &str) -> bool {
    pattern == id || globset::Glob::new(pattern).is_ok_and(|g| g.compile_matcher().is_match(id))
}

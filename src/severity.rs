//! How bad a finding is: a leaf of the module graph, read by the configuration, the rules and
//! the reports.

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// For information; never a risk by itself.
    Info,
    /// A weakness that does not open the root user.
    Low,
    /// A guardrail that cannot be proven, or a weakened one.
    Medium,
    /// A guardrail that is missing or does not work.
    High,
    /// The root user is open now.
    Critical,
}

impl Severity {
    /// The lowercase word (`high`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The severity a word names, in any case (`High`, `high`).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "info" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }

    /// GitHub code scanning's `security-severity` for this level.
    #[must_use]
    pub fn score(self) -> &'static str {
        match self {
            Severity::Info => "0.0",
            Severity::Low => "3.0",
            Severity::Medium => "5.5",
            Severity::High => "8.0",
            Severity::Critical => "9.5",
        }
    }
}

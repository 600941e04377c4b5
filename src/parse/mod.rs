//! Readers that turn file text into spanned [`tree::Node`]s, with diagnostics instead of panics.

pub mod embedded;
pub mod json;
pub mod tree;
pub mod yaml;

use crate::source::Span;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The file (or part of it) could not be read as AWS would read it.
    Error,
    /// Read, but something is off (an unknown tag, a second YAML document).
    Warning,
}

/// A problem found while reading a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub span: Span,
    pub level: Level,
    /// Stable short code: `syntax`, `yaml-alias`, `yaml-merge-key`, `duplicate-key`, …
    pub code: &'static str,
    pub message: String,
}

impl Diagnostic {
    #[must_use]
    pub fn error(span: Span, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            level: Level::Error,
            code,
            message: message.into(),
        }
    }

    #[must_use]
    pub fn warning(span: Span, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            level: Level::Warning,
            code,
            message: message.into(),
        }
    }
}

/// A parsed document: its root (when the text could be read at all) and what went wrong.
#[derive(Debug, Default)]
pub struct Parsed {
    pub root: Option<tree::Node>,
    pub diagnostics: Vec<Diagnostic>,
}

/// At most this many diagnostics of one code are kept per document: past it, one more says how
/// many were left out and where the first of them is (100,000 duplicate keys are 101 findings,
/// not 100,000).
pub const MAX_PER_CODE: usize = 100;

/// Keep the first [`MAX_PER_CODE`] diagnostics of each code, in order, and for each code with
/// more, one diagnostic (same code and level) at the first left out, saying how many there are.
#[must_use]
pub fn cap(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    use std::collections::BTreeMap;
    let mut count: BTreeMap<&'static str, usize> = BTreeMap::new();
    for d in &diags {
        *count.entry(d.code).or_insert(0) += 1;
    }
    if count.values().all(|n| *n <= MAX_PER_CODE) {
        return diags;
    }
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(diags.len().min(count.len() * (MAX_PER_CODE + 1)));
    for d in diags {
        let n = seen.entry(d.code).or_insert(0);
        *n += 1;
        if *n <= MAX_PER_CODE {
            out.push(d);
        } else if *n == MAX_PER_CODE + 1 {
            let more = count.get(d.code).copied().unwrap_or(0) - MAX_PER_CODE;
            out.push(Diagnostic {
                message: format!(
                    "{more} more `{}` problem(s) in this document, from here on, are not listed one by one",
                    d.code
                ),
                ..d
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_keeps_the_first_of_each_code_and_counts_the_rest() {
        let d = |i: usize, code| Diagnostic::error(Span::new(crate::source::FileId(0), i, i), code, format!("{code} {i}"));
        let mut all: Vec<Diagnostic> = (0..MAX_PER_CODE + 50).map(|i| d(i, "duplicate-key")).collect();
        all.insert(3, d(1000, "syntax"));
        let capped = cap(all);
        assert_eq!(capped.len(), MAX_PER_CODE + 2);
        assert_eq!(capped[3].code, "syntax");
        let last = capped.last().unwrap();
        assert_eq!(last.span.start as usize, MAX_PER_CODE);
        assert!(last.message.starts_with("50 more `duplicate-key` problem(s)"), "{}", last.message);
        // under the cap: unchanged
        let few: Vec<Diagnostic> = (0..5).map(|i| d(i, "x")).collect();
        assert_eq!(cap(few.clone()), few);
    }
}

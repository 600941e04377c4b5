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

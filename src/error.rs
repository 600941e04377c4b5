//! Tool errors (exit code 2), kept apart from findings.

use std::fmt;

/// Something that stops a scan from running at all.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A path given on the command line cannot be read.
    Path { path: String, reason: String },
    /// A bad `--include` / `--exclude` glob.
    Glob { glob: String, reason: String },
    /// A bad policy file given with `--policy`, or a broken built-in rule.
    Policy { file: String, reason: String },
    /// A bad configuration file.
    Config {
        file: String,
        line: usize,
        column: usize,
        reason: String,
    },
    /// Anything else worth stopping for.
    Usage(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Path { path, reason } => write!(f, "cannot read {path}: {reason}"),
            Error::Glob { glob, reason } => write!(f, "bad glob `{glob}`: {reason}"),
            Error::Policy { file, reason } => write!(f, "bad policy file {file}: {reason}"),
            Error::Config {
                file,
                line,
                column,
                reason,
            } => write!(f, "{file}:{line}:{column}: {reason}"),
            Error::Usage(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

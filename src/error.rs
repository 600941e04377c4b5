//! Tool errors (exit code 2), kept apart from findings. Each says which kind it is
//! ([`Error::kind`]): the command line asked for something that cannot work (usage), the
//! operating system refused a read or a write (I/O), or an input rootguard must trust is
//! malformed (data). Errors that wrap another keep it as their [`std::error::Error::source`].

use std::fmt;

/// Which kind of error stopped the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The command line, or what it names, cannot work: a bad flag value, glob or revision, a
    /// path that is not a file or a directory.
    Usage,
    /// Reading or writing a file, or running `git`, failed.
    Io,
    /// A configuration or policy file is malformed, or a built-in rule is broken.
    Data,
}

/// What an I/O error was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Reading a file or directory.
    Read,
    /// Writing a file.
    Write,
    /// Creating a directory.
    Create,
    /// Running `git`.
    Run,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Write => "write",
            Action::Create => "create",
            Action::Run => "run",
        }
    }
}

/// Something that stops a scan from running at all.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A path given on the command line that cannot be scanned (not a regular file or a
    /// directory).
    Path {
        /// The path as given.
        path: String,
        /// Why it cannot be scanned.
        reason: String,
    },
    /// The operating system refused to read, write or create `path` (or to run `git`).
    Io {
        /// The path (or the command) concerned.
        path: String,
        /// What was being done.
        action: Action,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A file rootguard was told to read (`what`: the configuration file, a `--var-file`)
    /// cannot be read as it must be.
    Read {
        /// The path as given.
        path: String,
        /// What the file is for, as the start of a sentence.
        what: &'static str,
        /// Why it cannot be read.
        source: crate::source::ReadError,
    },
    /// A bad `--include` / `--exclude` glob.
    Glob {
        /// The glob (or globs) as given.
        glob: String,
        /// What is wrong with it.
        reason: String,
        /// The glob parser's error.
        source: globset::Error,
    },
    /// A bad `--limit NAME=N`.
    Limit(crate::bounds::LimitError),
    /// A bad policy file given with `--policy`, or a broken built-in rule.
    Policy {
        /// The policy file.
        file: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A policy or rule file that cannot be used: the source says why (cfn-guard's error, a
    /// malformed built-in rule file).
    PolicyFile {
        /// The policy file.
        file: String,
        /// What is wrong.
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A bad configuration file.
    Config {
        /// The configuration file.
        file: String,
        /// 1-based line of the bad value.
        line: usize,
        /// 1-based column of the bad value.
        column: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// Anything else the command line asks for that cannot work.
    Usage(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(action: Action, path: impl fmt::Display, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_string(),
            action,
            source,
        }
    }

    /// Usage, I/O or data.
    #[must_use]
    pub fn kind(&self) -> Kind {
        match self {
            Error::Path { .. } | Error::Glob { .. } | Error::Limit(_) | Error::Usage(_) => Kind::Usage,
            Error::Io { .. } | Error::Read { .. } => Kind::Io,
            Error::Policy { .. } | Error::PolicyFile { .. } | Error::Config { .. } => Kind::Data,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Path { path, reason } => write!(f, "cannot read {path}: {reason}"),
            Error::Io { path, action, source } => write!(f, "cannot {} {path}: {source}", action.verb()),
            Error::Read { path, what, source } => write!(f, "cannot read {path}: {what} {}", source.reason()),
            Error::Glob { glob, reason, .. } => write!(f, "bad glob `{glob}`: {reason}"),
            Error::Limit(e) => e.fmt(f),
            Error::Policy { file, reason } => write!(f, "bad policy file {file}: {reason}"),
            Error::PolicyFile { file, source } => write!(f, "bad policy file {file}: {source}"),
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

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Read { source, .. } => Some(source),
            Error::Glob { source, .. } => Some(source),
            Error::Limit(e) => Some(e),
            Error::PolicyFile { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl From<crate::bounds::LimitError> for Error {
    fn from(e: crate::bounds::LimitError) -> Self {
        Error::Limit(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn kinds_and_sources() {
        let io = Error::io(
            Action::Write,
            "out.sarif",
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert_eq!(io.kind(), Kind::Io);
        assert!(io.to_string().starts_with("cannot write out.sarif: "), "{io}");
        assert!(io.source().is_some());
        let read = Error::Read {
            path: ".rootguard.yml".into(),
            what: "the configuration file",
            source: crate::source::ReadError::TooLarge(10),
        };
        assert_eq!(read.kind(), Kind::Io);
        assert!(read.source().is_some());
        let limit: Error = crate::bounds::parse(&["nope=1".into()]).unwrap_err().into();
        assert_eq!(limit.kind(), Kind::Usage);
        assert!(limit.to_string().starts_with("--limit: unknown limit `nope`"), "{limit}");
        assert!(limit.source().is_some());
        let cfg = Error::Config {
            file: "c".into(),
            line: 1,
            column: 2,
            reason: "r".into(),
        };
        assert_eq!((cfg.kind(), cfg.to_string().as_str()), (Kind::Data, "c:1:2: r"));
        assert!(cfg.source().is_none());
    }
}

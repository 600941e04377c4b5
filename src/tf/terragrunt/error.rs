//! Why a Terragrunt configuration cannot be evaluated: the errors Terragrunt itself would stop
//! on (a parent folder without the file, an include that is missing), and the reads rootguard
//! refuses (outside the scanned tree). `try` and `can` observe them like any evaluation error;
//! an attribute whose evaluation ends in one is a diagnostic, and the unit's guardrails are
//! `unknown`.

use std::fmt;

use crate::source::ReadError;

/// Why a Terragrunt function or block has no value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TgError {
    /// `find_in_parent_folders(name)` found no `name` in the parent folders of `from` that lie
    /// inside the scanned tree.
    ParentNotFound { name: String, from: String },
    /// `read_terragrunt_config` (without a default) or `include` of a file that does not exist.
    NotFound { path: String },
    /// A file the confined reader refuses or cannot read.
    Unreadable { path: String, error: ReadError },
    /// A file outside the scanned tree: rootguard reads only inside it.
    Outside { path: String },
    /// A file that is not valid HCL (its syntax error is a diagnostic of its own).
    Invalid { path: String },
    /// A file that reads itself through `read_terragrunt_config`, directly or not.
    Cycle { path: String },
    /// `get_parent_terragrunt_dir`, `path_relative_to_include` … naming an include label the
    /// configuration does not have, or none when it has several.
    NoInclude { function: String, label: Option<String> },
}

impl fmt::Display for TgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TgError::ParentNotFound { name, from } => write!(
                f,
                "`find_in_parent_folders`: no `{name}` in any parent folder of `{from}` inside the scanned tree (rootguard does not look outside it)"
            ),
            TgError::NotFound { path } => write!(f, "`{path}` does not exist"),
            TgError::Unreadable { path, error } => write!(f, "`{path}` {}", error.reason()),
            TgError::Outside { path } => write!(f, "`{path}` is outside the scanned tree; rootguard reads only inside it"),
            TgError::Invalid { path } => write!(f, "`{path}` is not valid HCL"),
            TgError::Cycle { path } => write!(f, "`{path}` reads itself through `read_terragrunt_config`"),
            TgError::NoInclude {
                function,
                label: Some(label),
            } => {
                write!(f, "`{function}`: the configuration has no include `{label}`")
            }
            TgError::NoInclude { function, label: None } => write!(
                f,
                "`{function}`: the configuration has several include blocks, and no label says which"
            ),
        }
    }
}

// `ReadError` does not implement `std::error::Error`: it is shown in the text.
impl std::error::Error for TgError {}

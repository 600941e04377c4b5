//! Module directories: paths in the form module sources are compared in, and the directories
//! of a scan by real path.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// A module source whose real path is outside the scanned tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceOutside(pub String);

impl std::fmt::Display for SourceOutside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "module source `{}` leads outside the scanned tree; rootguard reads only inside it",
            self.0
        )
    }
}

impl std::error::Error for SourceOutside {}

/// A module directory in the form module sources are compared in.
#[must_use]
pub fn normalize_dir(p: &Path) -> PathBuf {
    normalize(p)
}

/// The Terraform module directories of a scan, by real path: a local module source that goes
/// through a symlink inside the tree leads to the directory the walk found at its target (one
/// module, read once, whichever way it is reached, and never a root module of its own).
#[derive(Clone, Debug, Default)]
pub struct ModuleDirs {
    /// The directories as the walk found them (no symlink below a root on their way).
    found: BTreeSet<PathBuf>,
    /// Real path → directory as found; resolved on the first source that is not one of them.
    by_real: std::sync::OnceLock<BTreeMap<PathBuf, PathBuf>>,
    roots: crate::source::Roots,
}

impl ModuleDirs {
    /// `dirs` as found (normalized); `roots` are the scanned paths.
    #[must_use]
    pub fn new<'a>(dirs: impl IntoIterator<Item = &'a PathBuf>, roots: &crate::source::Roots) -> Self {
        ModuleDirs {
            found: dirs.into_iter().cloned().collect(),
            by_real: std::sync::OnceLock::new(),
            roots: roots.clone(),
        }
    }

    fn by_real(&self) -> &BTreeMap<PathBuf, PathBuf> {
        self.by_real.get_or_init(|| {
            let mut m = BTreeMap::new();
            for d in &self.found {
                let at = if d.as_os_str().is_empty() { Path::new(".") } else { d.as_path() };
                if let Ok(real) = std::fs::canonicalize(at) {
                    m.entry(real).or_insert_with(|| d.clone());
                }
            }
            m
        })
    }

    /// The module directory the local source `src` of a call in `caller` leads to: the
    /// directory as found when its real path is one, else the path as written (Terraform joins
    /// and cleans it lexically).
    ///
    /// # Errors
    /// Its real path is outside the scanned tree (through a symlink, or `..`).
    pub fn resolve(&self, caller: &Path, src: &str) -> Result<PathBuf, SourceOutside> {
        let lexical = normalize(&caller.join(src));
        if self.found.contains(&lexical) {
            // reached by the walk, which follows no symlink: inside the tree
            return Ok(lexical);
        }
        let at = if lexical.as_os_str().is_empty() {
            Path::new(".")
        } else {
            lexical.as_path()
        };
        let Ok(real) = std::fs::canonicalize(at) else {
            return Ok(lexical);
        };
        if !self.roots.dirs().is_empty() && !self.roots.contain(&real) {
            return Err(SourceOutside(src.to_owned()));
        }
        Ok(self.by_real().get(&real).cloned().unwrap_or(lexical))
    }
}

pub(super) fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

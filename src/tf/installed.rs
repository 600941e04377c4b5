//! Modules `terraform init` installed: what `.terraform/modules/modules.json` records, and
//! whether the copy it records may be read for a module call (its source and version).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::dirs::normalize;
use super::version;

/// Why `modules.json` cannot be read: the end of a sentence about the file.
#[derive(Debug)]
pub enum ModulesJsonError {
    /// The reader refused the file or could not read it.
    Unreadable(crate::source::ReadError),
    /// The file is not JSON.
    Json(serde_json::Error),
    /// The document has no `Modules` list.
    NoModules,
}

impl std::fmt::Display for ModulesJsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModulesJsonError::Unreadable(e) => f.write_str(&e.reason()),
            ModulesJsonError::Json(e) => write!(f, "is not valid JSON: {e}"),
            ModulesJsonError::NoModules => f.write_str("has no `Modules` list"),
        }
    }
}

impl std::error::Error for ModulesJsonError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ModulesJsonError::Json(e) => Some(e),
            ModulesJsonError::Unreadable(_) | ModulesJsonError::NoModules => None,
        }
    }
}

/// What is wrong with the directory `modules.json` records for a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirProblem {
    /// Not below `.terraform/modules` (absolute, or with `..`).
    NotBelow,
    /// Below it, but its real path leaves it (through a symlink).
    LeadsOutside,
    /// Below it, but not a directory.
    NotDirectory,
    /// Its real path cannot be had inside the scanned tree.
    Unreadable(crate::source::ReadError),
}

/// A module directory that `modules.json` records and rootguard refuses to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstallRefused {
    /// The module key (`org.scp`).
    pub key: String,
    /// The directory as recorded.
    pub dir: String,
    pub problem: DirProblem,
}

impl std::fmt::Display for InstallRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (key, d) = (&self.key, &self.dir);
        write!(f, "`.terraform/modules/modules.json` records module `{key}`, but ")?;
        match &self.problem {
            DirProblem::NotDirectory => write!(f, "`{d}` is not a directory")?,
            DirProblem::LeadsOutside => write!(f, "its directory `{d}` leads outside `.terraform/modules` (through a symlink)")?,
            DirProblem::Unreadable(e) => write!(f, "its directory `{d}` {}", e.reason())?,
            DirProblem::NotBelow => write!(
                f,
                "its directory `{d}` is not below `.terraform/modules`, where `terraform init` installs modules"
            )?,
        }
        f.write_str("; rootguard does not read it")
    }
}

impl std::error::Error for InstallRefused {}

/// Why the copy `modules.json` records is not read for a module call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstallError {
    /// The recorded directory is refused.
    Refused(InstallRefused),
    /// The copy was installed from another source than the call's.
    OtherSource {
        key: String,
        recorded: String,
        call: String,
        wanted: String,
    },
    /// The call's `version` is not a literal string.
    VersionNotLiteral { call: String },
    /// The call asks for a version; none is recorded.
    NoVersion { key: String, constraint: String },
    /// The recorded version does not satisfy the call's constraint.
    VersionMismatch { key: String, version: String, constraint: String },
    /// The recorded version or the constraint does not parse.
    Version { key: String, error: version::VersionError },
}

impl std::fmt::Display for InstallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let recorded_in = "`.terraform/modules/modules.json`";
        match self {
            InstallError::Refused(e) => e.fmt(f),
            InstallError::OtherSource {
                key,
                recorded,
                call,
                wanted,
            } => write!(
                f,
                "{recorded_in} records module `{key}` as installed from `{recorded}`, but the call `{call}` has source `{wanted}`: the installed copy is not trusted"
            ),
            InstallError::VersionNotLiteral { call } => write!(
                f,
                "the `version` of module `{call}` is not a literal string, so the installed copy cannot be checked against it"
            ),
            InstallError::NoVersion { key, constraint } => write!(
                f,
                "{recorded_in} records no version for module `{key}`, but the call asks for `{constraint}`: the installed copy is not trusted"
            ),
            InstallError::VersionMismatch { key, version, constraint } => write!(
                f,
                "{recorded_in} records version `{version}` of module `{key}`, which does not satisfy the call's `version = \"{constraint}\"`: the installed copy is not trusted"
            ),
            InstallError::Version { key, error } => {
                write!(f, "{recorded_in}, module `{key}`: {error}; the installed copy is not trusted")
            }
        }
    }
}

impl std::error::Error for InstallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InstallError::Refused(e) => e.source(),
            InstallError::Version { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl From<InstallRefused> for InstallError {
    fn from(e: InstallRefused) -> Self {
        InstallError::Refused(e)
    }
}

/// A module `terraform init` installed, as `.terraform/modules/modules.json` records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstalledModule {
    /// Its directory, or why rootguard refuses it.
    pub dir: Result<PathBuf, InstallRefused>,
    /// The source it was installed from, and its exact version (registry modules).
    pub source: String,
    pub version: Option<String>,
}

/// Modules installed by `terraform init`: (root module directory, module key such as
/// `org.scp`) → what `modules.json` records.
pub type Installed = BTreeMap<(PathBuf, String), InstalledModule>;

/// Read `<dir>/.terraform/modules/modules.json`: the modules installed from a registry or git
/// (local module calls are resolved from their own source). A `Dir` that is not below
/// `.terraform/modules`, or whose real path leaves it or the scanned tree, is refused (the
/// module's entry keeps the reason). No file: nothing installed.
///
/// # Errors
/// The file exists but cannot be read as `modules.json` (the reason, to report).
pub fn modules_json(dir: &Path, roots: &crate::source::Roots, max_bytes: u64) -> Result<Vec<(String, InstalledModule)>, ModulesJsonError> {
    use crate::source::{Confine, ReadError};
    let base = dir.join(".terraform/modules");
    let path = base.join("modules.json");
    if std::fs::symlink_metadata(&path).is_err() {
        // nothing installed (the common case: no realpath for it)
        return Ok(Vec::new());
    }
    let text = match crate::source::read_confined(&path, Confine::Within(roots), max_bytes) {
        Ok((t, _)) => t,
        Err(ReadError::Missing) => return Ok(Vec::new()),
        Err(e) => return Err(ModulesJsonError::Unreadable(e)),
    };
    let v = serde_json::from_str::<serde_json::Value>(&text).map_err(ModulesJsonError::Json)?;
    let modules = v
        .get("Modules")
        .and_then(serde_json::Value::as_array)
        .ok_or(ModulesJsonError::NoModules)?;
    let real_base = crate::source::resolve_confined(&base, Confine::Within(roots)).ok();
    let mut out = Vec::new();
    for m in modules {
        let field = |k: &str| m.get(k).and_then(serde_json::Value::as_str);
        let (Some(key), Some(d), Some(source)) = (field("Key"), field("Dir"), field("Source")) else {
            continue;
        };
        if key.is_empty() || source.starts_with("./") || source.starts_with("../") {
            continue;
        }
        let rel = normalize(Path::new(d));
        let inside = !rel.is_absolute()
            && rel.starts_with(".terraform/modules")
            && rel != Path::new(".terraform/modules")
            && !rel.components().any(|c| c == Component::ParentDir);
        let lexical = normalize(&dir.join(&rel));
        let checked = if inside {
            match (crate::source::resolve_confined(&lexical, Confine::Within(roots)), &real_base) {
                (Ok(real), Some(b)) if real.starts_with(b) && real.is_dir() => Ok(lexical),
                (Ok(real), Some(b)) if real.starts_with(b) => Err(DirProblem::NotDirectory),
                (Ok(_), _) => Err(DirProblem::LeadsOutside),
                (Err(e), _) => Err(DirProblem::Unreadable(e)),
            }
        } else {
            Err(DirProblem::NotBelow)
        };
        out.push((
            key.to_owned(),
            InstalledModule {
                dir: checked.map_err(|problem| InstallRefused {
                    key: key.to_owned(),
                    dir: d.to_owned(),
                    problem,
                }),
                source: source.to_owned(),
                version: field("Version").map(str::to_owned),
            },
        ));
    }
    Ok(out)
}

/// Does the source `modules.json` recorded stand for the source a module call gives? Terraform
/// records registry shorthands with their host and GitHub shorthands as git URLs.
fn source_matches(call: &str, recorded: &str) -> bool {
    if call == recorded {
        return true;
    }
    let (no_query, query) = call.split_once('?').map_or((call, ""), |(a, q)| (a, q));
    let (base, sub) = match no_query.find("//") {
        Some(i) if !no_query.contains("::") && !no_query[..i].ends_with(':') => (&no_query[..i], &no_query[i..]),
        _ => (no_query, ""),
    };
    let parts: Vec<&str> = base.split('/').collect();
    // NAMESPACE/NAME/PROVIDER on the public registry
    if parts.len() == 3 && !parts[0].contains('.') && !base.contains(':') && parts.iter().all(|p| !p.is_empty()) {
        return recorded == format!("registry.terraform.io/{call}");
    }
    if let Some(rest) = base.strip_prefix("github.com/") {
        let q = if query.is_empty() { String::new() } else { format!("?{query}") };
        return recorded == format!("git::https://github.com/{}.git{sub}{q}", rest.trim_end_matches(".git"));
    }
    false
}

/// May the copy `modules.json` records be read for this module call? The recorded source must
/// be the call's, and the recorded (exact) version must satisfy the call's `version`
/// constraint, when it has one.
pub(super) fn check_installed(
    name: &str,
    key: &str,
    src: &str,
    version: Option<Result<&str, ()>>,
    m: &InstalledModule,
) -> Result<PathBuf, InstallError> {
    let dir = m.dir.clone()?;
    if !source_matches(src, &m.source) {
        return Err(InstallError::OtherSource {
            key: key.to_owned(),
            recorded: m.source.clone(),
            call: name.to_owned(),
            wanted: src.to_owned(),
        });
    }
    let Some(constraint) = version else { return Ok(dir) };
    let Ok(constraint) = constraint else {
        return Err(InstallError::VersionNotLiteral { call: name.to_owned() });
    };
    match &m.version {
        None => Err(InstallError::NoVersion {
            key: key.to_owned(),
            constraint: constraint.to_owned(),
        }),
        Some(v) => match version::satisfies(v, constraint) {
            Ok(true) => Ok(dir),
            Ok(false) => Err(InstallError::VersionMismatch {
                key: key.to_owned(),
                version: v.clone(),
                constraint: constraint.to_owned(),
            }),
            Err(error) => Err(InstallError::Version {
                key: key.to_owned(),
                error,
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_sources_stand_for_the_calls_sources() {
        // (source in the call, source `modules.json` records, the same?)
        let cases = [
            ("acme/org/aws", "registry.terraform.io/acme/org/aws", true),
            ("acme/org/aws", "registry.terraform.io/other/org/aws", false),
            ("acme/org/aws//modules/scp", "registry.terraform.io/acme/org/aws//modules/scp", true),
            ("github.com/acme/org", "git::https://github.com/acme/org.git", true),
            (
                "github.com/acme/org.git//scp?ref=v1",
                "git::https://github.com/acme/org.git//scp?ref=v1",
                true,
            ),
            ("github.com/acme/org?ref=v2", "git::https://github.com/acme/org.git?ref=v1", false),
            ("git::https://example.com/org.git", "git::https://example.com/org.git", true),
            (
                "app.terraform.io/acme/org/aws",
                "registry.terraform.io/app.terraform.io/acme/org/aws",
                false,
            ),
        ];
        let wrong: Vec<_> = cases
            .iter()
            .filter(|(call, rec, want)| source_matches(call, rec) != *want)
            .collect();
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    /// The call's source and version, what `modules.json` records, and the directory read or
    /// why none is.
    type Case<'a> = (&'a str, Option<Result<&'a str, ()>>, InstalledModule, Result<PathBuf, &'a str>);

    #[test]
    fn an_installed_copy_is_read_only_when_the_call_asks_for_it() {
        let m = |dir: Result<PathBuf, InstallRefused>, version: Option<&str>| InstalledModule {
            dir,
            source: "registry.terraform.io/acme/org/aws".into(),
            version: version.map(str::to_owned),
        };
        let dir = PathBuf::from(".terraform/modules/org");
        let refused = InstallRefused {
            key: "org".into(),
            dir: "../elsewhere".into(),
            problem: DirProblem::NotBelow,
        };
        let cases: Vec<Case<'_>> = vec![
            ("acme/org/aws", None, m(Ok(dir.clone()), Some("1.2.0")), Ok(dir.clone())),
            (
                "acme/org/aws",
                Some(Ok("~> 1.2")),
                m(Ok(dir.clone()), Some("1.2.7")),
                Ok(dir.clone()),
            ),
            (
                "acme/org/aws",
                Some(Ok("~> 1.2.0")),
                m(Ok(dir.clone()), Some("1.3.0")),
                Err(
                    "`.terraform/modules/modules.json` records version `1.3.0` of module `org`, which does not satisfy the call's `version = \"~> 1.2.0\"`: the installed copy is not trusted",
                ),
            ),
            (
                "acme/org/aws",
                Some(Ok(">= 1")),
                m(Ok(dir.clone()), None),
                Err(
                    "`.terraform/modules/modules.json` records no version for module `org`, but the call asks for `>= 1`: the installed copy is not trusted",
                ),
            ),
            (
                "acme/org/aws",
                Some(Err(())),
                m(Ok(dir.clone()), Some("1.0.0")),
                Err("the `version` of module `call` is not a literal string, so the installed copy cannot be checked against it"),
            ),
            (
                "acme/org/aws",
                Some(Ok(">= one")),
                m(Ok(dir.clone()), Some("1.0.0")),
                Err(
                    "`.terraform/modules/modules.json`, module `org`: `>= one` is not a version constraint; the installed copy is not trusted",
                ),
            ),
            (
                "other/org/aws",
                None,
                m(Ok(dir.clone()), Some("1.0.0")),
                Err(
                    "`.terraform/modules/modules.json` records module `org` as installed from `registry.terraform.io/acme/org/aws`, but the call `call` has source `other/org/aws`: the installed copy is not trusted",
                ),
            ),
            (
                "acme/org/aws",
                None,
                m(Err(refused), Some("1.0.0")),
                Err(
                    "`.terraform/modules/modules.json` records module `org`, but its directory `../elsewhere` is not below `.terraform/modules`, where `terraform init` installs modules; rootguard does not read it",
                ),
            ),
        ];
        let mut wrong = Vec::new();
        for (src, version, recorded, want) in cases {
            let found = check_installed("call", "org", src, version, &recorded);
            let shown = found.clone().map_err(|e| e.to_string());
            if shown != want.clone().map_err(str::to_owned) {
                wrong.push(format!("{src} {version:?}: {shown:?}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
        // a version that does not parse keeps the parser's error as the source
        let e = check_installed("call", "org", "acme/org/aws", Some(Ok("1.0")), &m(Ok(dir), Some("x")));
        let source = e.as_ref().err().and_then(std::error::Error::source).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("`x` is not a version"));
    }
}

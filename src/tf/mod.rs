//! Terraform: modules of `.tf` files, instantiated like `terraform plan` would, statically.
//!
//! A directory of `.tf` files is a module; a directory no other scanned module calls is a root
//! module. Root variables take their defaults, then `terraform.tfvars`, `terraform.tfvars.json`
//! and `*.auto.tfvars(.json)` (in that order, later wins). Local module sources (`./`, `../`)
//! are instantiated recursively with their arguments; other sources are reported as opaque.

pub mod error;
pub mod eval;
pub mod functions;
pub mod plan;
mod resources;
pub mod version;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use crate::model::{FileDiagnostic, Format, Gate, Loc, Model, Tri, Via};
use crate::parse::Diagnostic;
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, Sources, Span};
pub use error::{EvalError, FileError, FunctionError, TemplateError};
use eval::Env;

/// A parsed `.tf` file.
pub struct TfFile {
    pub id: FileId,
    pub dir: PathBuf,
    pub body: Body,
}

/// Terraform inputs from outside the tree, and how to treat modules rootguard cannot read.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--var NAME=VALUE`, in order.
    pub vars: Vec<(String, String)>,
    /// `TF_VAR_NAME` environment variables.
    pub env_vars: Vec<(String, String)>,
    /// `--known-module GLOB`: module sources known not to declare guardrails.
    pub known_modules: Vec<String>,
    /// The scanned paths (`file()` reads only below them).
    pub roots: Vec<PathBuf>,
    /// Module directories left unparsed because they cannot declare a guardrail (see
    /// `scan::parse_terraform`): calls to them are skipped, not reported as unreadable.
    pub pruned: BTreeSet<PathBuf>,
    /// The largest file `file()` reads (`--max-file-size`; the default when `None`).
    pub max_file_bytes: Option<u64>,
}

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

/// Why a module call has no child instance to evaluate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ModuleError {
    /// The evaluation budget is spent.
    BudgetSpent,
    /// Module calls nest deeper than the `module-depth` limit (`max`) at the call `name`.
    TooDeep { max: usize, name: String },
    /// The call's `source` is not a literal string.
    NoSource { name: String },
    /// A local source that leads outside the scanned tree.
    Outside(SourceOutside),
    /// The installed copy is not read.
    Installed(InstallError),
}

impl std::fmt::Display for ModuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModuleError::BudgetSpent => write!(f, "not read: {}", crate::limits::spent_reason()),
            ModuleError::TooDeep { max, name } => write!(
                f,
                "module nesting deeper than {max} at `{name}` (a module that calls itself? raise --limit module-depth=N)"
            ),
            ModuleError::NoSource { name } => write!(f, "module `{name}` has no literal `source`"),
            ModuleError::Outside(e) => e.fmt(f),
            ModuleError::Installed(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ModuleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ModuleError::Installed(e) => e.source(),
            _ => None,
        }
    }
}

impl From<SourceOutside> for ModuleError {
    fn from(e: SourceOutside) -> Self {
        ModuleError::Outside(e)
    }
}

impl From<InstallError> for ModuleError {
    fn from(e: InstallError) -> Self {
        ModuleError::Installed(e)
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
fn check_installed(
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

/// A variable-definitions file (`*.tfvars`, `*.tfvars.json`), its values evaluated.
pub struct VarFile {
    pub id: FileId,
    pub dir: PathBuf,
    pub name: String,
    pub values: Vec<(String, Node)>,
    /// The file could not be read or parsed: any variable may take any value from it.
    pub unreadable: Option<String>,
}

impl VarFile {
    /// Read an HCL `.tfvars` body.
    #[must_use]
    pub fn from_hcl(id: FileId, dir: PathBuf, name: String, body: &Body) -> Self {
        let values = body
            .attributes()
            .map(|a| (a.key.value().as_str().to_owned(), eval::Eval::new(id, &NoEnv).value(&a.value)))
            .collect();
        VarFile {
            id,
            dir,
            name,
            values,
            unreadable: None,
        }
    }

    /// A variable file that could not be read or parsed (`why`).
    #[must_use]
    pub fn unreadable(id: FileId, dir: PathBuf, name: String, why: String) -> Self {
        VarFile {
            id,
            dir,
            name,
            values: Vec::new(),
            unreadable: Some(why),
        }
    }

    /// Read a `.tfvars.json` document.
    #[must_use]
    pub fn from_json(id: FileId, dir: PathBuf, name: String, root: &Node) -> Self {
        let values = root
            .as_map()
            .unwrap_or_default()
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect();
        VarFile {
            id,
            dir,
            name,
            values,
            unreadable: None,
        }
    }
}

/// Parse a `.tf` or `.tfvars` file, reporting a syntax error as a diagnostic.
pub fn parse(id: FileId, text: &str, out: &mut Model) -> Option<Body> {
    // the parser recurses: refuse what is nested deeper than the limit before it sees it
    let limit = crate::limits::get().depth;
    let shape = crate::limits::shape(text);
    if shape.depth > limit {
        out.diagnostics.push(FileDiagnostic {
            diag: Diagnostic::error(
                Span::new(id, 0, 0),
                "too-deep",
                format!("HCL nested deeper than {limit} levels; not read (raise --limit depth=N)"),
            ),
            relevant: true,
        });
        return None;
    }
    // object literals are parsed in time quadratic in their keys: refuse a huge one first
    let entries = crate::limits::get().object_entries;
    if shape.widest_object > entries {
        out.diagnostics.push(FileDiagnostic {
            diag: Diagnostic::error(
                Span::new(id, 0, 0),
                "too-wide",
                format!(
                    "HCL with more than {entries} lines or entries in one object literal `{{ }}`; not read (raise --limit object-entries=N)"
                ),
            ),
            relevant: true,
        });
        return None;
    }
    match hcl_edit::parser::parse_body(text) {
        Ok(b) => Some(b),
        Err(e) => {
            let loc = e.location();
            let at = loc.offset();
            out.diagnostics.push(FileDiagnostic {
                diag: Diagnostic::error(Span::new(id, at, at), "syntax", format!("invalid HCL: {}", e.message())),
                relevant: true,
            });
            None
        }
    }
}

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

/// The module calls of a file: name and source (`""` when the source is not a literal).
#[must_use]
pub fn module_calls(body: &Body) -> Vec<(String, String)> {
    body.blocks()
        .filter(|b| b.ident.value().as_str() == "module")
        .map(|b| {
            let src = b.body.get_attribute("source").and_then(|a| a.value.as_str()).unwrap_or_default();
            (label(b, 0).unwrap_or_default().to_owned(), src.to_owned())
        })
        .collect()
}

/// The modules (`module.NAME`) a file refers to, by where the reference is.
#[derive(Debug, Default)]
pub struct ModuleRefs {
    /// In locals, variables and the resources and data sources rootguard reads.
    pub base: BTreeSet<String>,
    /// In outputs: they matter when the module is called.
    pub outputs: BTreeSet<String>,
    /// In the arguments of a module call, by the name of the call: they matter when the
    /// called module is kept.
    pub calls: BTreeMap<String, BTreeSet<String>>,
}

/// The modules a file refers to, outside the `resource` and `data` blocks whose type `ignored`
/// names: what a module's guardrails, module calls, locals, variables and outputs can take
/// from the modules it calls.
#[must_use]
pub fn module_refs(text: &str, body: &Body, ignored: impl Fn(&str) -> bool) -> ModuleRefs {
    let mut out = ModuleRefs::default();
    for b in body.blocks() {
        let kind = b.ident.value().as_str();
        if matches!(kind, "resource" | "data") && label(b, 0).is_some_and(&ignored) {
            continue;
        }
        let Some(r) = hcl_edit::Span::span(b) else { continue };
        let Some(t) = text.get(r) else { continue };
        let set = match kind {
            "output" => &mut out.outputs,
            "module" => out.calls.entry(label(b, 0).unwrap_or_default().to_owned()).or_default(),
            _ => &mut out.base,
        };
        let mut rest = t;
        while let Some(i) = rest.find("module.") {
            let after = &rest[i + "module.".len()..];
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(after.len());
            if end > 0 {
                set.insert(after[..end].to_owned());
            }
            rest = &after[end..];
        }
    }
    out
}

fn normalize(p: &Path) -> PathBuf {
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

pub(crate) struct World<'a> {
    pub sources: &'a Sources,
    pub modules: BTreeMap<PathBuf, Vec<&'a TfFile>>,
    pub structured: RefCell<BTreeMap<Span, Node>>,
    pub installed: &'a Installed,
    pub known: Option<globset::GlobSet>,
    /// The scanned paths: `file()` and `templatefile()` read only below them.
    pub roots: Vec<PathBuf>,
    /// The same, resolved, for the reader.
    pub confine: crate::source::Roots,
    pub max_file_bytes: u64,
    /// Scanned files read by `file()` / `templatefile()` (their own declarations are the module's).
    pub consumed: RefCell<BTreeSet<FileId>>,
    /// The span of a `file()` call → the scanned file it read.
    pub file_reads: RefCell<BTreeMap<Span, FileId>>,
    /// Why the targets of policies without an attachment of their own are not known: an
    /// attachment whose policy is not a resource of its own module instance, or attachments
    /// beyond the `instances` limit.
    pub unlinked_attachment: RefCell<Option<(String, Loc)>>,
    pub pruned: &'a BTreeSet<PathBuf>,
    /// Module directories by real path.
    pub dirs: ModuleDirs,
    /// The values under evaluation, innermost last (`local.a`, `module.m.var.x`,
    /// `module.m.output.y`, `data.aws_iam_policy_document.d`): reading one of them again is a
    /// reference cycle.
    pub stack: RefCell<Vec<String>>,
    /// The values found in a reference cycle, with the cycle: all of them are unknown.
    pub cyclic: RefCell<BTreeMap<String, String>>,
    /// The nesting an evaluation starts at: that of the reference being evaluated.
    pub depth: Cell<usize>,
}

impl World<'_> {
    /// Is this module source declared as not declaring guardrails?
    pub fn known_clean(&self, source: &str) -> bool {
        self.known.as_ref().is_some_and(|g| g.is_match(source))
    }

    /// Start evaluating the value named `key`, read at `at` by an evaluation at nesting `depth`.
    /// A value already under evaluation is a reference cycle: a diagnostic names the chain as
    /// Terraform does (`Cycle: local.a, local.b`), and the value read is unknown.
    pub fn enter(&self, key: String, depth: usize, at: Span) -> Result<Entered<'_>, Node> {
        let mut stack = self.stack.borrow_mut();
        if let Some(i) = stack.iter().position(|k| *k == key) {
            let chain = stack[i..].join(", ");
            crate::limits::note(Diagnostic::error(
                at,
                "cycle",
                format!("Cycle: {chain}: these values refer to each other, which Terraform rejects; rootguard takes them as unknown"),
            ));
            let why = format!("a reference cycle (Cycle: {chain})");
            let mut cyclic = self.cyclic.borrow_mut();
            for k in &stack[i..] {
                cyclic.entry(k.clone()).or_insert_with(|| why.clone());
            }
            return Err(Node::new(at, Value::Unknown(why)));
        }
        stack.push(key);
        let prev = self.depth.replace(depth + 1);
        Ok(Entered {
            stack: &self.stack,
            depth: &self.depth,
            prev,
        })
    }
}

impl World<'_> {
    /// The value evaluated for `key`, or an unknown one when `key` turned out to be in a
    /// reference cycle (its value would depend on itself).
    fn settle(&self, key: &str, v: Node) -> Node {
        match self.cyclic.borrow().get(key) {
            Some(why) => Node::new(v.span, Value::Unknown(why.clone())),
            None => v,
        }
    }
}

/// A value under evaluation (see [`World::enter`]); leaves the stack when dropped.
pub(crate) struct Entered<'w> {
    stack: &'w RefCell<Vec<String>>,
    depth: &'w Cell<usize>,
    prev: usize,
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        self.stack.borrow_mut().pop();
        self.depth.set(self.prev);
    }
}

/// Where a module variable's value comes from.
pub(crate) enum VarSrc<'a> {
    /// Known: a root module's value (default, variable files, `--var`) or a default.
    Value(Node),
    /// An argument of the module call, evaluated in the calling instance when first read (with
    /// that instance's `each` / `count`).
    Arg {
        file: FileId,
        expr: &'a Expression,
        iter: Rc<Vec<(String, Node)>>,
    },
}

/// A module call's name and one of its outputs (`None`: all of them).
type OutputKey = (String, Option<String>);

/// What creating a module instance at nesting 1 costs the evaluation budget, besides a step
/// per block; at nesting `n` it costs `n²` times as much. What a module instance declares is
/// reported with the chain of module calls that leads to it, so a deep instance costs the rest
/// of the program more: the cost bounds a fan-out (a module that calls the next one twice, 16
/// levels deep) to a few dozen deep instances, while the thousand shallow instances of a large
/// monorepo cost a few hundred thousand steps.
pub const INSTANCE_COST: u64 = 256;

/// The cost of a module instance at nesting `depth`.
fn instance_cost(depth: usize) -> u64 {
    let d = depth as u64;
    INSTANCE_COST.saturating_mul(d.saturating_mul(d))
}

/// One module instance: a module directory with its variable values.
///
/// Every named value (a local, a variable, a module output, a data source) is evaluated when
/// first read and kept; a read copies it, charged to the budget by its size.
pub(crate) struct Instance<'w, 'a> {
    pub world: &'w World<'a>,
    /// The calling instance, where the arguments of the module call are evaluated.
    parent: Option<&'w (dyn Env + 'w)>,
    pub dir: PathBuf,
    /// The root module's directory and this instance's module key (`org.scp`).
    pub root: PathBuf,
    pub key: String,
    pub addr: String,
    vars: BTreeMap<String, VarSrc<'a>>,
    var_cache: RefCell<BTreeMap<String, Node>>,
    pub via: Vec<Via>,
    pub gates: Vec<Gate>,
    pub depth: usize,
    locals: BTreeMap<String, (FileId, &'a Expression)>,
    local_cache: RefCell<BTreeMap<String, Result<Node, EvalError>>>,
    outputs: RefCell<BTreeMap<OutputKey, Result<Node, EvalError>>>,
    data_cache: RefCell<BTreeMap<(String, String), Node>>,
    resources: BTreeSet<(String, String)>,
    data_blocks: BTreeMap<(String, String), (FileId, &'a Block)>,
}

pub(crate) fn label(b: &Block, i: usize) -> Option<&str> {
    b.labels.get(i).map(hcl_edit::structure::BlockLabel::as_str)
}

pub(crate) fn block_span(file: FileId, b: &Block) -> Span {
    // the header line: from the block type to its last label
    let start = b.ident.span().map_or(0, |r| r.start);
    let end = b.labels.last().and_then(hcl_edit::Span::span).map_or(start, |r| r.end);
    Span::new(file, start, end)
}

impl<'w, 'a> Instance<'w, 'a> {
    #[allow(clippy::too_many_arguments)] // an instance is all of these
    fn new(
        world: &'w World<'a>,
        parent: Option<&'w (dyn Env + 'w)>,
        root: PathBuf,
        key: String,
        dir: PathBuf,
        addr: String,
        vars: BTreeMap<String, VarSrc<'a>>,
        via: Vec<Via>,
        gates: Vec<Gate>,
        depth: usize,
    ) -> Self {
        let mut locals = BTreeMap::new();
        let mut resources = BTreeSet::new();
        let mut data_blocks = BTreeMap::new();
        for f in world.modules.get(&dir).map(Vec::as_slice).unwrap_or_default() {
            for b in f.body.blocks() {
                match b.ident.value().as_str() {
                    "locals" => {
                        for a in b.body.attributes() {
                            locals.insert(a.key.value().as_str().to_owned(), (f.id, &a.value));
                        }
                    }
                    "resource" => {
                        if let (Some(t), Some(n)) = (label(b, 0), label(b, 1)) {
                            resources.insert((t.to_owned(), n.to_owned()));
                        }
                    }
                    "data" => {
                        if let (Some(t), Some(n)) = (label(b, 0), label(b, 1)) {
                            data_blocks.insert((t.to_owned(), n.to_owned()), (f.id, b));
                        }
                    }
                    _ => {}
                }
            }
        }
        Instance {
            world,
            parent,
            dir,
            root,
            key,
            addr,
            vars,
            var_cache: RefCell::new(BTreeMap::new()),
            via,
            gates,
            depth,
            locals,
            local_cache: RefCell::new(BTreeMap::new()),
            outputs: RefCell::new(BTreeMap::new()),
            data_cache: RefCell::new(BTreeMap::new()),
            resources,
            data_blocks,
        }
    }

    /// The value of `var.NAME` for a message (`None` when there is no such variable).
    pub fn var_value(&self, name: &str) -> Option<Node> {
        Env::var(self, name, self.world.depth.get(), Span::default())
    }

    pub fn files(&self) -> &[&'a TfFile] {
        self.world.modules.get(&self.dir).map(Vec::as_slice).unwrap_or_default()
    }

    /// An evaluator of expressions of `file` in this instance, at the nesting of the
    /// reference being evaluated.
    pub fn eval_in(&self, file: FileId) -> eval::Eval<'_> {
        let mut ev = eval::Eval::new(file, self);
        ev.depth = self.world.depth.get();
        ev
    }

    pub fn address(&self, rest: &str) -> String {
        if self.addr.is_empty() {
            rest.to_owned()
        } else {
            format!("{}.{rest}", self.addr)
        }
    }

    pub fn structured(&self, n: &Node) -> Option<Node> {
        self.world.structured.borrow().get(&n.span).cloned()
    }
}

impl Env for Instance<'_, '_> {
    fn var(&self, name: &str, depth: usize, at: Span) -> Option<Node> {
        if let Some(v) = self.var_cache.borrow().get(name) {
            return Some(eval::copy(v, at));
        }
        let v = match self.vars.get(name)? {
            VarSrc::Value(n) => return Some(eval::copy(n, at)),
            VarSrc::Arg { file, expr, iter } => {
                let entered = match self.world.enter(self.address(&format!("var.{name}")), depth, at) {
                    Ok(e) => e,
                    Err(cycle) => return Some(cycle),
                };
                let Some(parent) = self.parent else {
                    return Some(Node::new(at, Value::Unknown(format!("`var.{name}` has no calling module"))));
                };
                let mut ev = eval::Eval::new(*file, parent);
                ev.iter.clone_from(iter.as_ref());
                ev.depth = self.world.depth.get();
                let v = ev.value(expr);
                drop(entered);
                let key = self.address(&format!("var.{name}"));
                eval::keepable(self.world.settle(&key, v), at, &format!("`{key}`"))
            }
        };
        let out = eval::copy(&v, at);
        self.var_cache.borrow_mut().insert(name.to_owned(), v);
        Some(out)
    }

    fn local(&self, name: &str, depth: usize, at: Span) -> Option<Result<Node, EvalError>> {
        if let Some(r) = self.local_cache.borrow().get(name) {
            return Some(r.as_ref().map(|v| eval::copy(v, at)).map_err(Clone::clone));
        }
        let (file, expr) = *self.locals.get(name)?;
        let key = self.address(&format!("local.{name}"));
        let entered = match self.world.enter(key.clone(), depth, at) {
            Ok(e) => e,
            Err(cycle) => return Some(Ok(cycle)),
        };
        let mut ev = self.eval_in(file);
        let r = ev.eval(expr, ev.depth);
        drop(entered);
        let r = r.map(|v| eval::keepable(self.world.settle(&key, v), at, &format!("`{key}`")));
        let out = r.as_ref().map(|v| eval::copy(v, at)).map_err(Clone::clone);
        self.local_cache.borrow_mut().insert(name.to_owned(), r);
        Some(out)
    }

    fn module(&self, name: &str, output: Option<&str>, depth: usize, at: Span) -> Option<Result<Node, EvalError>> {
        let key = (name.to_owned(), output.map(str::to_owned));
        if let Some(r) = self.outputs.borrow().get(&key) {
            return Some(r.as_ref().map(|v| eval::copy(v, at)).map_err(Clone::clone));
        }
        let (file, b) = self.module_call(name)?;
        let r = self.module_output(name, file, b, output, depth, at);
        let out = r.as_ref().map(|v| eval::copy(v, at)).map_err(Clone::clone);
        self.outputs.borrow_mut().insert(key, r);
        Some(out)
    }

    fn data(&self, ty: &str, name: &str, depth: usize, at: Span) -> Option<Node> {
        let key = (ty.to_owned(), name.to_owned());
        if let Some(v) = self.data_cache.borrow().get(&key) {
            return Some(eval::copy(v, at));
        }
        let (file, b) = *self.data_blocks.get(&key)?;
        if ty != "aws_iam_policy_document" {
            return None;
        }
        if b.body.get_attribute("count").is_some() || b.body.get_attribute("for_each").is_some() {
            return None;
        }
        let addr = self.address(&format!("data.{ty}.{name}"));
        let entered = match self.world.enter(addr.clone(), depth, at) {
            Ok(e) => e,
            Err(cycle) => return Some(cycle),
        };
        let doc = resources::policy_document(self, file, b);
        drop(entered);
        let span = block_span(file, b);
        if let Some(why) = self.world.cyclic.borrow().get(&addr) {
            let v = Node::new(span, Value::Unknown(why.clone()));
            self.data_cache.borrow_mut().insert(key, v.clone());
            return Some(v);
        }
        // the two texts and the two structures kept for them
        if !crate::limits::charge_copy(&doc, span) || !crate::limits::charge_copy(&doc, span) {
            return Some(Node::new(at, Value::Unknown(crate::limits::spent_reason())));
        }
        // `json` is indented by the provider (its whitespace counts toward the SCP size limit);
        // `minified_json` is not
        let pretty = serde_json::to_string_pretty(&doc.to_json()).unwrap_or_default();
        let minified = doc.to_json().to_string();
        if !crate::limits::charge_bytes(pretty.len() + minified.len(), span) {
            return Some(Node::new(at, Value::Unknown(crate::limits::spent_reason())));
        }
        let (pspan, mspan) = (span, Span { end: span.end + 1, ..span });
        self.keep_structured(pspan, doc.clone());
        self.keep_structured(mspan, doc);
        let (p, m) = (Node::new(pspan, Value::String(pretty)), Node::new(mspan, Value::String(minified)));
        let v = eval::keepable(
            eval::object(
                span,
                [("json".to_owned(), p), ("minified_json".to_owned(), m)].into_iter().collect(),
            ),
            at,
            &format!("`{addr}`"),
        );
        let out = eval::copy(&v, at);
        self.data_cache.borrow_mut().insert(key, v);
        Some(out)
    }

    fn is_resource(&self, ty: &str, name: &str) -> bool {
        self.resources.contains(&(ty.to_owned(), name.to_owned()))
    }

    fn read_file(&self, path: &str, at: Span) -> Result<String, FileError> {
        let p = Path::new(path);
        if p.is_absolute() {
            return Err(FileError::Absolute(path.to_owned()));
        }
        let full = normalize(&self.dir.join(p));
        let inside = |root: &PathBuf| {
            let r = normalize(root);
            r.as_os_str().is_empty()
                || full.starts_with(&r)
                || (r == Path::new(".") && full.components().next() != Some(Component::ParentDir))
        };
        if full.components().next() == Some(Component::ParentDir) || !self.world.roots.iter().any(inside) {
            return Err(FileError::Outside(path.to_owned()));
        }
        // a file the scan read: its text as read (limits and encodings applied); one it could
        // not read (empty text) is read again below, to say why
        for f in self.world.sources.iter() {
            if !f.text.is_empty() && normalize(&f.path) == full {
                self.world.consumed.borrow_mut().insert(f.id);
                self.world.file_reads.borrow_mut().insert(at, f.id);
                return Ok(f.text.clone());
            }
        }
        // a file the scan did not read: through the one confined reader (a regular file whose
        // real path is inside the scanned tree, within the size limit)
        crate::source::read_confined(
            &full,
            crate::source::Confine::Within(&self.world.confine),
            self.world.max_file_bytes,
        )
        .map(|(text, _)| text)
        .map_err(|error| FileError::Unreadable {
            path: path.to_owned(),
            error,
        })
    }

    fn path(&self, which: &str) -> Option<String> {
        match which {
            "module" | "root" | "cwd" => Some(".".into()),
            _ => None,
        }
    }

    fn keep_structured(&self, span: Span, doc: Node) {
        self.world.structured.borrow_mut().insert(span, doc);
    }

    fn render_template(&self, text: &str, vars: &Node, span: Span) -> Result<Node, EvalError> {
        if crate::limits::bracket_depth(text) > crate::limits::get().depth {
            return Err(TemplateError::TooDeep.into());
        }
        let quoted = format!("<<EOT\n{text}\nEOT");
        let expr = hcl_edit::parser::parse_expr(&quoted).map_err(TemplateError::Syntax)?;
        let mut ev = self.eval_in(span.file);
        for e in vars.as_map().unwrap_or_default() {
            ev.iter.push((e.key.clone(), e.value.clone()));
        }
        let mut n = ev.eval(&expr, ev.depth)?;
        n.remap_spans(&|_| span);
        if let Value::String(s) = &mut n.value
            && s.ends_with('\n')
            && !text.ends_with('\n')
        {
            s.pop();
        }
        Ok(n)
    }
}

impl<'a> Instance<'_, 'a> {
    fn module_call(&self, name: &str) -> Option<(FileId, &'a Block)> {
        self.files().iter().find_map(|f| {
            let f: &'a TfFile = f;
            f.body
                .blocks()
                .find(|b| b.ident.value().as_str() == "module" && label(b, 0) == Some(name))
                .map(|b| (f.id, b))
        })
    }

    /// Output `output` of module call `name` (all of them, as an object, when `None`), each
    /// evaluated on its own: an output reads only the inputs it needs.
    fn module_output(
        &self,
        name: &str,
        file: FileId,
        b: &'a Block,
        output: Option<&str>,
        depth: usize,
        at: Span,
    ) -> Result<Node, EvalError> {
        let span = block_span(file, b);
        match self.child(file, b, None) {
            Ok(Some(child)) => {
                if let Some(o) = output {
                    return child.output(o, depth, at).ok_or_else(|| EvalError::NoOutput {
                        module: name.to_owned(),
                        output: o.to_owned(),
                    });
                }
                let mut outs = BTreeMap::new();
                let names: Vec<String> = child
                    .files()
                    .iter()
                    .flat_map(|f| f.body.blocks().filter(|x| x.ident.value().as_str() == "output"))
                    .filter_map(|ob| label(ob, 0).map(str::to_owned))
                    .collect();
                for n in names {
                    if let Some(v) = child.output(&n, depth, at) {
                        outs.insert(n, v);
                    }
                }
                // outputs computed by the child keep their structure for policy analysis
                Ok(eval::object(span, outs))
            }
            Ok(None) => Ok(Node::new(
                span,
                Value::Unknown(format!("module `{name}` has a source rootguard cannot read")),
            )),
            Err(r) => Ok(Node::new(span, Value::Unknown(r.to_string()))),
        }
    }

    /// The value of output `name` of this instance (`None` when it declares no such output).
    fn output(&self, name: &str, depth: usize, at: Span) -> Option<Node> {
        let (file, a) = self.files().iter().find_map(|f| {
            f.body
                .blocks()
                .find(|x| x.ident.value().as_str() == "output" && label(x, 0) == Some(name))
                .and_then(|ob| ob.body.get_attribute("value"))
                .map(|a| (f.id, a))
        })?;
        let addr = self.address(&format!("output.{name}"));
        let entered = match self.world.enter(addr.clone(), depth, at) {
            Ok(e) => e,
            Err(cycle) => return Some(cycle),
        };
        let v = self.eval_in(file).value(&a.value);
        drop(entered);
        Some(eval::keepable(self.world.settle(&addr, v), at, &format!("`{addr}`")))
    }

    /// The child instance of a module call (one instance; `each`/`count` given by `iter`).
    fn child(&self, file: FileId, b: &'a Block, iter: Option<&[(String, Node)]>) -> Result<Option<Instance<'_, 'a>>, ModuleError> {
        let name = label(b, 0).unwrap_or("");
        let span = block_span(file, b);
        let max = crate::limits::get().module_depth;
        if !crate::limits::charge(instance_cost(self.depth + 1), span) {
            return Err(ModuleError::BudgetSpent);
        }
        if self.depth >= max {
            crate::limits::reached(
                "module-depth",
                max as u64,
                span,
                &format!(
                    "modules nest more than {max} levels deep at `{}`; what it declares is unknown",
                    self.address(&format!("module.{name}"))
                ),
            );
            return Err(ModuleError::TooDeep {
                max,
                name: name.to_owned(),
            });
        }
        let Some(src) = b.body.get_attribute("source").and_then(|a| a.value.as_str().map(str::to_owned)) else {
            return Err(ModuleError::NoSource { name: name.to_owned() });
        };
        let key = if self.key.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.key)
        };
        let dir = if src.starts_with("./") || src.starts_with("../") {
            self.world.dirs.resolve(&self.dir, &src)?
        } else {
            // a registry or git source: installed by `terraform init`, as the call says?
            match self.world.installed.get(&(self.root.clone(), key.clone())) {
                Some(m) => {
                    let version = b.body.get_attribute("version").map(|a| a.value.as_str().ok_or(()));
                    check_installed(name, &key, &src, version, m)?
                }
                None => return Ok(None),
            }
        };
        let Some(files) = self.world.modules.get(&dir) else {
            return Ok(None);
        };
        // an instance costs its blocks, its iteration values and a fixed part
        let blocks: usize = files.iter().map(|f| f.body.blocks().count()).sum();
        let iter_cost: u64 = iter
            .unwrap_or_default()
            .iter()
            .map(|(_, v)| crate::limits::measure(v, u64::MAX).0)
            .sum();
        if !crate::limits::charge((blocks as u64).saturating_add(iter_cost), span) {
            return Err(ModuleError::BudgetSpent);
        }
        crate::timings::count("Terraform module instances", 1);
        let iter: Rc<Vec<(String, Node)>> = Rc::new(iter.map(<[_]>::to_vec).unwrap_or_default());
        let mut vars = BTreeMap::new();
        for a in b.body.attributes() {
            let k = a.key.value().as_str();
            if matches!(k, "source" | "version" | "count" | "for_each" | "providers" | "depends_on") {
                continue;
            }
            vars.insert(
                k.to_owned(),
                VarSrc::Arg {
                    file,
                    expr: &a.value,
                    iter: Rc::clone(&iter),
                },
            );
        }
        let defaults = variable_defaults(self.world, &dir);
        for (k, v) in defaults {
            vars.entry(k).or_insert(VarSrc::Value(v));
        }
        let mut via = self.via.clone();
        via.push(Via {
            kind: "module",
            name: self.address(&format!("module.{name}")),
            loc: Loc::new(span, format!("module.{name}")),
        });
        Ok(Some(Instance::new(
            self.world,
            Some(self),
            self.root.clone(),
            key,
            dir,
            self.address(&format!("module.{name}")),
            vars,
            via,
            self.gates.clone(),
            self.depth + 1,
        )))
    }
}

/// `variable` defaults of a module; variables without one are unknown until given.
fn variable_defaults(world: &World<'_>, dir: &Path) -> BTreeMap<String, Node> {
    let mut out = BTreeMap::new();
    for f in world.modules.get(dir).map(Vec::as_slice).unwrap_or_default() {
        for b in f.body.blocks().filter(|b| b.ident.value().as_str() == "variable") {
            let Some(name) = label(b, 0) else { continue };
            let span = block_span(f.id, b);
            let v = match b.body.get_attribute("default") {
                Some(a) => eval::Eval::new(f.id, &NoEnv).value(&a.value),
                None => Node::new(
                    span,
                    Value::Unknown(format!("variable `{name}` has no default and no value is given")),
                ),
            };
            out.insert(name.to_owned(), v);
        }
    }
    out
}

/// The environment of a variable default or tfvars value: constants only.
struct NoEnv;

impl Env for NoEnv {
    fn read_file(&self, p: &str, _: Span) -> Result<String, FileError> {
        Err(FileError::InVariable(p.to_owned()))
    }
    fn render_template(&self, _: &str, _: &Node, _: Span) -> Result<Node, EvalError> {
        Err(TemplateError::InVariable.into())
    }
}

/// The stack of the thread that evaluates Terraform: evaluation recurses up to the `depth`
/// limit through expressions, locals and modules, whatever the stack of the calling thread.
const STACK: usize = 256 << 20;

/// Instantiate every root module and add its guardrail declarations to the model.
/// `opts` brings `--var`, `TF_VAR_*` and `--known-module`; `cli_var_files` are `--var-file`s
/// (applied to every root module, after the tree's own variable files).
///
/// The whole configuration is evaluated on one thread, on one evaluation budget
/// (`--limit eval-steps`); the limits it reaches and the reference cycles it finds are
/// diagnostics of the model. When the budget runs out, what was not evaluated may declare or
/// disable any guardrail: a `cut` template says so.
#[allow(clippy::too_many_arguments)] // the inputs of a Terraform evaluation
pub fn analyze(
    sources: &Sources,
    files: &[TfFile],
    var_files: &[VarFile],
    cli_var_files: &[VarFile],
    installed: &Installed,
    opts: &Options,
    cli: Option<FileId>,
    model: &mut Model,
) -> BTreeSet<FileId> {
    let run = |model: &mut Model| {
        let (consumed, notes) = crate::limits::scoped(|| {
            let c = analyze_all(sources, files, var_files, cli_var_files, installed, opts, cli, model);
            crate::timings::count(
                "Terraform evaluation steps",
                usize::try_from(crate::limits::used()).unwrap_or(usize::MAX),
            );
            c
        });
        model.add_eval_notes(notes, Format::Terraform, "the Terraform configuration");
        consumed
    };
    std::thread::scope(|sc| {
        let mut mine = Model::default();
        let worker = std::thread::Builder::new().stack_size(STACK).spawn_scoped(sc, || {
            let c = run(&mut mine);
            (c, mine)
        });
        match worker {
            Ok(h) => match h.join() {
                Ok((c, m)) => {
                    model.extend(m);
                    c
                }
                Err(panic) => std::panic::resume_unwind(panic),
            },
            // no thread to be had: evaluate here
            Err(_) => run(model),
        }
    })
}

#[allow(clippy::too_many_arguments)] // the inputs of a Terraform evaluation
fn analyze_all(
    sources: &Sources,
    files: &[TfFile],
    var_files: &[VarFile],
    cli_var_files: &[VarFile],
    installed: &Installed,
    opts: &Options,
    cli: Option<FileId>,
    model: &mut Model,
) -> BTreeSet<FileId> {
    let mut modules: BTreeMap<PathBuf, Vec<&TfFile>> = BTreeMap::new();
    for f in files {
        modules.entry(normalize(&f.dir)).or_default().push(f);
    }
    // a module directory that another scanned module calls with a local source is not a root
    // (whichever way the call reaches it: module directories are compared by real path)
    let dirs = ModuleDirs::new(modules.keys().chain(&opts.pruned), &crate::source::Roots::new(&opts.roots));
    let mut called = BTreeSet::new();
    for (dir, fs) in &modules {
        for f in fs {
            for b in f.body.blocks().filter(|b| b.ident.value().as_str() == "module") {
                if let Some(src) = b.body.get_attribute("source").and_then(|a| a.value.as_str())
                    && (src.starts_with("./") || src.starts_with("../"))
                    && let Ok(target) = dirs.resolve(dir, src)
                    && target != *dir
                {
                    called.insert(target);
                }
            }
        }
    }
    let installed_dirs: BTreeSet<&PathBuf> = installed.values().filter_map(|m| m.dir.as_ref().ok()).collect();
    let roots: Vec<PathBuf> = modules
        .keys()
        .filter(|d| !called.contains(*d) && !installed_dirs.contains(d))
        .cloned()
        .collect();
    let known = if opts.known_modules.is_empty() {
        None
    } else {
        let mut b = globset::GlobSetBuilder::new();
        for g in &opts.known_modules {
            if let Ok(g) = globset::Glob::new(g) {
                b.add(g);
            }
        }
        b.build().ok()
    };
    let world = World {
        sources,
        modules,
        structured: RefCell::new(BTreeMap::new()),
        installed,
        known,
        roots: opts.roots.clone(),
        confine: crate::source::Roots::new(&opts.roots),
        max_file_bytes: opts.max_file_bytes.unwrap_or(crate::limits::DEFAULT_MAX_FILE_BYTES),
        consumed: RefCell::new(BTreeSet::new()),
        file_reads: RefCell::new(BTreeMap::new()),
        unlinked_attachment: RefCell::new(None),
        pruned: &opts.pruned,
        dirs,
        stack: RefCell::new(Vec::new()),
        cyclic: RefCell::new(BTreeMap::new()),
        depth: Cell::new(0),
    };
    for root in &roots {
        let mut vars = variable_defaults(&world, root);
        // TF_VAR_name values are strings, below every variable file
        if let Some(cli) = cli {
            for (k, v) in &opts.env_vars {
                if vars.contains_key(k) {
                    vars.insert(k.clone(), cli_value(cli, v));
                }
            }
        }
        let mut vfs: Vec<&VarFile> = var_files.iter().filter(|v| normalize(&v.dir) == *root).collect();
        let order = |n: &str| match n {
            "terraform.tfvars" => (0, n.to_owned()),
            "terraform.tfvars.json" => (1, n.to_owned()),
            _ => (2, n.to_owned()),
        };
        vfs.retain(|v| {
            v.name == "terraform.tfvars"
                || v.name == "terraform.tfvars.json"
                || v.name.ends_with(".auto.tfvars")
                || v.name.ends_with(".auto.tfvars.json")
        });
        vfs.sort_by_key(|v| order(&v.name));
        for vf in vfs.into_iter().chain(cli_var_files) {
            if let Some(why) = &vf.unreadable {
                // what it would set is not known: every variable it could set
                let span = Span::new(vf.id, 0, 0);
                for v in vars.values_mut() {
                    *v = Node::new(span, Value::Unknown(format!("`{}` {why}", vf.name)));
                }
                continue;
            }
            for (k, v) in &vf.values {
                vars.insert(k.clone(), v.clone());
            }
        }
        if let Some(cli) = cli {
            for (k, v) in &opts.vars {
                vars.insert(k.clone(), cli_value(cli, v));
            }
        }
        let vars = vars.into_iter().map(|(k, v)| (k, VarSrc::Value(v))).collect();
        let inst = Instance::new(
            &world,
            None,
            root.clone(),
            String::new(),
            root.clone(),
            String::new(),
            vars,
            Vec::new(),
            Vec::new(),
            0,
        );
        resources::walk(&inst, model);
    }
    // a policy attached through a module output or variable may be any of the unattached ones
    if let Some((addr, loc)) = world.unlinked_attachment.borrow().clone() {
        for p in &mut model.policies {
            if p.origin.format == crate::model::Format::Terraform && matches!(&p.targets, crate::model::Targets::List(t) if t.is_empty()) {
                p.targets = crate::model::Targets::Unknown {
                    reason: addr.clone(),
                    loc: loc.clone(),
                };
            }
        }
    }
    world.consumed.into_inner()
}

/// A `--var` / `TF_VAR_` value: HCL for lists and maps (as Terraform reads them), else a string.
fn cli_value(file: FileId, v: &str) -> Node {
    let span = Span::new(file, 0, 0);
    let t = v.trim_start();
    if (t.starts_with('[') || t.starts_with('{'))
        && let Ok(e) = hcl_edit::parser::parse_expr(v)
    {
        let mut n = eval::Eval::new(file, &NoEnv).value(&e);
        n.remap_spans(&|_| span);
        return n;
    }
    Node::new(span, Value::String(v.to_owned()))
}

/// The truth of a `count` / `for_each` and the instances it makes.
pub(crate) struct Expansion {
    pub gate: Option<Gate>,
    pub instances: Vec<(String, Vec<(String, Node)>)>,
    /// Instances beyond the `instances` limit, not read: what they are.
    pub cut: Option<String>,
}

/// Past the `instances` limit: the diagnostic, and what the instances not read are.
fn cut(total: usize, what: &str, attr: &str, at: Span) -> Option<String> {
    let limit = crate::limits::get().instances;
    if total <= limit {
        return None;
    }
    crate::limits::reached(
        "instances",
        limit as u64,
        at,
        &format!(
            "`{attr}` makes {total} instances of `{what}`; rootguard reads the first {limit}, and the other {} are unknown",
            total - limit
        ),
    );
    Some(format!(
        "`{what}` has {total} instances; those past the first {limit} are not read (raise --limit instances=N)"
    ))
}

pub(crate) fn expand(inst: &Instance<'_, '_>, file: FileId, b: &Block, what: &str) -> Expansion {
    let path = what.to_owned();
    if let Some(a) = b.body.get_attribute("count") {
        let v = inst.eval_in(file).value(&a.value);
        let loc = Loc::new(
            Span::new(file, a.span().map_or(0, |r| r.start), a.span().map_or(0, |r| r.end)),
            format!("{path}/count"),
        );
        let expr = format!("count = {}", expr_text(inst, file, &a.value));
        return match eval::to_text(&v).and_then(|t| t.parse::<f64>().ok()) {
            Some(n) if n >= 1.0 => {
                let total = n as usize;
                let cut = cut(total, what, "count", loc.span);
                let n = total.min(crate::limits::get().instances);
                let instances = (0..n)
                    .map(|i| (format!("[{i}]"), vec![("count".to_owned(), count_obj(v.span, i))]))
                    .collect();
                Expansion {
                    gate: Some(Gate {
                        expr,
                        value: Tri::True,
                        loc,
                        decided_by: None,
                        reason: format!("count is {total}"),
                    }),
                    instances,
                    cut,
                }
            }
            Some(_) => Expansion {
                gate: Some(Gate {
                    expr,
                    value: Tri::False,
                    reason: reason_of(inst, &a.value, "count is 0"),
                    loc,
                    decided_by: decided_by(inst, &a.value),
                }),
                instances: vec![(String::new(), vec![("count".to_owned(), count_obj(v.span, 0))])],
                cut: None,
            },
            None => Expansion {
                gate: Some(Gate {
                    expr,
                    value: Tri::Unknown,
                    reason: v.contains_unknown().map_or_else(|| "count is not a number".into(), str::to_owned),
                    loc,
                    decided_by: None,
                }),
                instances: vec![(String::new(), vec![("count".to_owned(), count_obj(v.span, 0))])],
                cut: None,
            },
        };
    }
    if let Some(a) = b.body.get_attribute("for_each") {
        let mut v = inst.eval_in(file).value(&a.value);
        // each element is copied into an instance of its own
        if !crate::limits::charge_copy(&v, v.span) {
            v = Node::new(v.span, Value::Unknown(crate::limits::spent_reason()));
        }
        let loc = Loc::new(
            Span::new(file, a.span().map_or(0, |r| r.start), a.span().map_or(0, |r| r.end)),
            format!("{path}/for_each"),
        );
        let expr = format!("for_each = {}", expr_text(inst, file, &a.value));
        let pairs: Option<Vec<(String, Node)>> = match &v.value {
            Value::Map(m) => Some(m.iter().map(|e| (e.key.clone(), e.value.clone())).collect()),
            Value::Seq(s) => s.iter().map(|x| eval::to_text(x).map(|k| (k, x.clone()))).collect(),
            _ => None,
        };
        return match pairs {
            Some(p) if !p.is_empty() => Expansion {
                cut: cut(p.len(), what, "for_each", loc.span),
                gate: Some(Gate {
                    expr,
                    value: Tri::True,
                    loc,
                    decided_by: None,
                    reason: format!("for_each has {} element(s)", p.len()),
                }),
                instances: p
                    .into_iter()
                    .take(crate::limits::get().instances)
                    .map(|(k, val)| {
                        let each = eval::object(
                            v.span,
                            [
                                ("key".to_owned(), Node::new(v.span, Value::String(k.clone()))),
                                ("value".to_owned(), val),
                            ]
                            .into_iter()
                            .collect(),
                        );
                        (format!("[{k:?}]"), vec![("each".to_owned(), each)])
                    })
                    .collect(),
            },
            Some(_) => Expansion {
                gate: Some(Gate {
                    expr,
                    value: Tri::False,
                    reason: reason_of(inst, &a.value, "for_each is empty"),
                    loc,
                    decided_by: decided_by(inst, &a.value),
                }),
                instances: vec![(String::new(), Vec::new())],
                cut: None,
            },
            None => Expansion {
                gate: Some(Gate {
                    expr,
                    value: Tri::Unknown,
                    reason: v
                        .contains_unknown()
                        .map_or_else(|| "for_each is not a map or set".into(), str::to_owned),
                    loc,
                    decided_by: None,
                }),
                instances: vec![(String::new(), Vec::new())],
                cut: None,
            },
        };
    }
    Expansion {
        gate: None,
        instances: vec![(String::new(), Vec::new())],
        cut: None,
    }
}

fn count_obj(span: Span, i: usize) -> Node {
    eval::object(
        span,
        [("index".to_owned(), Node::new(span, Value::Number(i.to_string())))]
            .into_iter()
            .collect(),
    )
}

pub(crate) fn expr_text(inst: &Instance<'_, '_>, file: FileId, e: &Expression) -> String {
    let text = &inst.world.sources.get(file).text;
    let t = e.span().and_then(|r| text.get(r)).unwrap_or("…").trim();
    if t.len() > 80 {
        format!("{}…", &t[..crate::source::floor_char_boundary(t, 80)])
    } else {
        t.to_owned()
    }
}

/// The variables an expression reads, with their values, for messages.
fn reason_of(inst: &Instance<'_, '_>, e: &Expression, what: &str) -> String {
    let vars = var_refs(e);
    if vars.is_empty() {
        return what.to_owned();
    }
    let parts: Vec<String> = vars
        .iter()
        .map(|v| {
            match inst
                .var_value(v)
                .and_then(|n| eval::to_text(&n).or_else(|| Some(n.to_json_string())))
            {
                Some(val) => format!("`var.{v}` is `{val}`"),
                None => format!("`var.{v}` is not known"),
            }
        })
        .collect();
    format!("{what}: {}", parts.join(", "))
}

fn decided_by(inst: &Instance<'_, '_>, e: &Expression) -> Option<Loc> {
    let v = var_refs(e).into_iter().next()?;
    inst.var_value(&v).map(|n| Loc::new(n.span, format!("var.{v}")))
}

/// `var.NAME` references in an expression (in source order).
fn var_refs(e: &Expression) -> Vec<String> {
    use hcl_edit::expr::TraversalOperator;
    #[allow(clippy::items_after_statements)]
    fn walk(e: &Expression, out: &mut Vec<String>) {
        match e {
            Expression::Traversal(t) => {
                if let (Expression::Variable(v), Some(op)) = (&t.expr, t.operators.first())
                    && v.value().as_str() == "var"
                    && let TraversalOperator::GetAttr(a) = op.value()
                {
                    let n = a.value().as_str().to_owned();
                    if !out.contains(&n) {
                        out.push(n);
                    }
                }
                walk(&t.expr, out);
            }
            Expression::Conditional(c) => {
                walk(&c.cond_expr, out);
                walk(&c.true_expr, out);
                walk(&c.false_expr, out);
            }
            Expression::BinaryOp(b) => {
                walk(&b.lhs_expr, out);
                walk(&b.rhs_expr, out);
            }
            Expression::UnaryOp(u) => walk(&u.expr, out),
            Expression::Parenthesis(p) => walk(p.inner(), out),
            Expression::FuncCall(f) => f.args.iter().for_each(|a| walk(a, out)),
            Expression::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(e, &mut out);
    out
}

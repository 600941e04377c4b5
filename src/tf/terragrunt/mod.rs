//! Terragrunt: every `terragrunt.hcl` is a unit, a deployment root (spec:
//! `/work/research/terraform-semantics.md` §1, <https://terragrunt.gruntwork.io/docs/>).
//!
//! A unit deploys the module its `terraform { source }` names (a local directory, relative to
//! the unit; without a source, the unit directory itself) with its `inputs` as the root
//! variable values. [`units`] evaluates each unit during the scan (its includes, locals,
//! dependencies and functions: `config`); `deploy` then instantiates each unit's module in
//! the Terraform evaluation, once per unit, every declaration carrying the unit in its `via`
//! chain. A module directory that a unit deploys is not also judged as a bare root with its
//! defaults.
//!
//! What rootguard does not read is `unknown` with its reason, never skipped: a remote source
//! (unless known not to declare a guardrail), a unit whose configuration cannot be evaluated
//! (a diagnostic says where), a `generate` block that writes Terraform code that may declare a
//! guardrail, a stack (`terragrunt.stack.hcl`) and a JSON configuration
//! (`terragrunt.hcl.json`). A `terragrunt.hcl` that another one includes (the deprecated root
//! `terragrunt.hcl`, §1.5) is not a unit. `.terragrunt-cache` and `.terragrunt-stack` are
//! never read (`discover`): they are copies Terragrunt makes.

mod config;
mod deploy;
mod error;
mod functions;
mod merge;
mod paths;

use std::path::{Path, PathBuf};

pub(crate) use deploy::{deploy, deployed_dirs};
pub use error::TgError;

use crate::model::{FileDiagnostic, Gate, Loc, Model, Tri};
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, Sources, Span};
use config::{Evaluated, Run};

/// What a unit deploys.
#[derive(Clone, Debug, PartialEq)]
pub enum Module {
    /// A local module directory: the path to join to the unit directory (`.` for the unit
    /// itself), its `//` subdirectory joined.
    Local(String),
    /// A module Terragrunt downloads; for a `tfr://` source, the registry address and version.
    Remote {
        source: String,
        registry: Option<(String, Option<String>)>,
    },
    /// Not known: why, and whether the configuration file itself could not be read.
    Unknown { reason: String, unread: bool },
}

/// A variable file that a unit passes with `extra_arguments` (`required_var_files`,
/// `optional_var_files`), read.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitVarFile {
    pub id: FileId,
    pub name: String,
    pub values: Vec<(String, Node)>,
    /// It could not be read or parsed: any variable may take any value from it.
    pub unreadable: Option<String>,
}

/// A Terragrunt unit, evaluated: what it deploys and with which values.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    /// Its `terragrunt.hcl`.
    pub file: FileId,
    /// The unit directory, as the walk found it.
    pub dir: PathBuf,
    /// The unit directory as shown.
    pub name: String,
    /// Where the unit is shown: its `terraform.source` value, else the start of its file.
    pub at: Loc,
    pub module: Module,
    /// `inputs`, merged with its includes' (a map, or unknown).
    pub inputs: Option<Node>,
    pub var_files: Vec<UnitVarFile>,
    /// Every variable is unknown (an `extra_arguments` that passes `-var`, …): why, and where.
    pub vars_unknown: Option<Node>,
    /// Whether Terragrunt runs the unit at all (`skip`, `exclude`).
    pub gates: Vec<Gate>,
    /// A `generate` block that writes Terraform code that may declare a guardrail.
    pub generated: Option<(Loc, String)>,
    /// Terragrunt would stop on the unit's configuration (why): it deploys nothing rootguard
    /// can know, although `module` says what it names.
    pub failed: Option<String>,
}

/// Evaluate the units among `files` (the scanned `terragrunt.hcl`, `terragrunt.hcl.json` and
/// `terragrunt.stack.hcl` files), reading what they include inside `roots` only. Their
/// diagnostics join `model`.
pub fn units(sources: &mut Sources, files: &[FileId], roots: &[PathBuf], max_bytes: u64, model: &mut Model) -> Vec<Unit> {
    if files.is_empty() {
        return Vec::new();
    }
    // evaluation recurses like the Terraform evaluation does: on a stack of the same size
    std::thread::scope(|sc| {
        let worker = std::thread::Builder::new().stack_size(super::STACK).spawn_scoped(sc, || {
            let mut m = Model::default();
            let u = evaluate_all(sources, files, roots, max_bytes, &mut m);
            (u, m)
        });
        match worker.map(std::thread::ScopedJoinHandle::join) {
            Ok(Ok((u, m))) => {
                model.extend(m);
                u
            }
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            // no thread to be had: nothing was evaluated; every unit is unknown
            Err(e) => files
                .iter()
                .map(|&file| Unit {
                    file,
                    dir: PathBuf::new(),
                    name: String::new(),
                    at: Loc::new(Span::new(file, 0, 0), ""),
                    module: Module::Unknown {
                        reason: format!("the Terragrunt unit was not evaluated: {e}"),
                        unread: false,
                    },
                    inputs: None,
                    var_files: Vec::new(),
                    vars_unknown: None,
                    gates: Vec::new(),
                    generated: None,
                    failed: None,
                })
                .collect(),
        }
    })
}

fn evaluate_all(sources: &mut Sources, files: &[FileId], roots: &[PathBuf], max_bytes: u64, model: &mut Model) -> Vec<Unit> {
    let walked: Vec<(FileId, PathBuf)> = files.iter().map(|&id| (id, sources.get(id).path.clone())).collect();
    let run = Run::new(sources, roots, max_bytes);
    // a `terragrunt.hcl` that another one includes is that one's parent, not a unit (§1.5)
    let mut included = std::collections::BTreeSet::new();
    for (_, path) in &walked {
        if file_name(path) == "terragrunt.hcl" {
            let (paths, _) = crate::limits::scoped(|| run.included_by(&run.abs(path)));
            included.extend(paths);
        }
    }
    let mut out = Vec::new();
    for (id, path) in walked {
        let abs = run.abs(&path);
        if included.contains(&abs) {
            continue;
        }
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = run.display(abs.parent().unwrap_or(Path::new("")));
        let start = Loc::new(Span::new(id, 0, 0), "");
        let unread = |reason: String| Unit {
            file: id,
            dir: dir.clone(),
            name: name.clone(),
            at: start.clone(),
            module: Module::Unknown { reason, unread: true },
            inputs: None,
            var_files: Vec::new(),
            vars_unknown: None,
            gates: Vec::new(),
            generated: None,
            failed: None,
        };
        let shown = run.display(&abs);
        match file_name(&path).as_str() {
            "terragrunt.hcl" => {}
            "terragrunt.stack.hcl" => {
                out.push(unread(format!(
                    "`{shown}` is a Terragrunt stack: rootguard does not expand stacks (the units they generate under `.terragrunt-stack` are never read)"
                )));
                continue;
            }
            _ => {
                out.push(unread(format!(
                    "`{shown}` is a Terragrunt configuration in JSON, which rootguard does not read"
                )));
                continue;
            }
        }
        let (failures, unknowns) = (run.failures.borrow().len(), run.unknowns.borrow().len());
        let (unit, notes) = crate::limits::scoped(|| {
            let ev = run.evaluate(&abs, &abs);
            build(&run, id, dir.clone(), name.clone(), &abs, ev)
        });
        model.add_eval_notes(notes, crate::model::Format::Terraform, &format!("the Terragrunt unit `{name}`"));
        let mut unit = unit;
        // Terragrunt stops on an error anywhere in the unit's configuration: what it deploys is
        // not known
        let failed = run.failures.borrow()[failures..].first().map(|d| d.message.clone());
        let unknown = run.unknowns.borrow()[unknowns..].first().map(|(_, why)| why.clone());
        if let Some(why) = failed
            .map(|m| m.strip_prefix("Terragrunt stops here: ").map(str::to_owned).unwrap_or(m))
            .or(unknown)
            && !matches!(unit.module, Module::Unknown { .. })
        {
            unit.failed = Some(format!("the Terragrunt unit `{name}` cannot be evaluated: {why}"));
        }
        out.push(unit);
    }
    let mut diags = run.failures.borrow().clone();
    diags.sort_by(|a, b| (a.span, &a.message).cmp(&(b.span, &b.message)));
    diags.dedup_by(|a, b| a.span == b.span && a.message == b.message);
    model.extend(run.model.into_inner());
    model
        .diagnostics
        .extend(diags.into_iter().map(|diag| FileDiagnostic { diag, relevant: true }));
    out
}

fn file_name(p: &Path) -> String {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// The unit, from its evaluated configuration.
fn build(run: &Run<'_>, file: FileId, dir: PathBuf, name: String, abs: &Path, ev: Result<Evaluated, TgError>) -> Unit {
    let mut unit = Unit {
        file,
        dir,
        name,
        at: Loc::new(Span::new(file, 0, 0), ""),
        module: Module::Local(".".into()),
        inputs: None,
        var_files: Vec::new(),
        vars_unknown: None,
        gates: Vec::new(),
        generated: None,
        failed: None,
    };
    let ev = match ev {
        Ok(ev) => ev,
        Err(e) => {
            let unread = matches!(e, TgError::Invalid { .. } | TgError::Unreadable { .. });
            unit.module = Module::Unknown {
                reason: format!("`{}` was not read: {e}", run.display(abs)),
                unread,
            };
            return unit;
        }
    };
    let c = ev.config;
    if let Some(src) = &c.source {
        unit.at = Loc::new(src.span, "terraform.source");
        unit.module = match eval_text(src) {
            Ok(s) => match paths::classify(&s) {
                paths::Source::Local(p) => Module::Local(p),
                paths::Source::Remote { registry } => Module::Remote { source: s, registry },
            },
            Err(why) => Module::Unknown {
                reason: format!(
                    "the `terraform.source` of the Terragrunt unit `{}` is not known statically: {why}",
                    unit.name
                ),
                unread: false,
            },
        };
    }
    unit.inputs = c.inputs;
    let unit_dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    extra_arguments(run, &unit_dir, &c.extra_arguments, &mut unit);
    if let Some(skip) = &c.skip {
        let value = match &skip.value {
            Value::Bool(true) => Some(Tri::False),
            Value::Bool(false) => None,
            _ => Some(Tri::Unknown),
        };
        if let Some(value) = value {
            let loc = Loc::new(skip.span, "skip");
            unit.gates.push(Gate {
                expr: format!("skip = {}", eval_text(skip).unwrap_or_else(|_| "…".into())),
                value,
                decided_by: (value == Tri::False).then(|| loc.clone()),
                reason: if value == Tri::False {
                    "the Terragrunt unit sets `skip = true`: Terragrunt does not run it".into()
                } else {
                    format!(
                        "whether the Terragrunt unit is skipped is not known: {}",
                        skip.contains_unknown().unwrap_or("`skip` is not a boolean")
                    )
                },
                loc,
            });
        }
    }
    if let Some(x) = &c.exclude
        && !matches!(x.get("if").map(|n| &n.value), Some(Value::Bool(false)))
    {
        unit.gates.push(Gate {
            expr: "exclude { … }".into(),
            value: Tri::Unknown,
            loc: Loc::new(x.span, "exclude"),
            decided_by: None,
            reason: "an `exclude` block may keep Terragrunt from running this unit (it depends on the command and on `--all`), which rootguard does not decide".into(),
        });
    }
    for (gname, g) in &c.generate {
        if matches!(g.get("disable").map(|n| &n.value), Some(Value::Bool(true))) {
            continue;
        }
        let path = g.get("path").map_or(Err(String::new()), eval_text);
        let terraform = path
            .as_ref()
            .map_or(true, |p| [".tf", ".tf.json", ".tofu", ".tofu.json"].iter().any(|x| p.ends_with(x)));
        let contents = g.get("contents").map_or(Err(String::new()), eval_text);
        let may_declare = contents
            .as_ref()
            .map_or(true, |t| crate::discover::HCL_MARKERS.iter().any(|m| t.contains(m)));
        if terraform && may_declare && unit.generated.is_none() {
            let file = path.unwrap_or_else(|_| "a file whose name is not known".into());
            unit.generated = Some((
                Loc::new(g.span, format!("generate.{gname}")),
                format!(
                    "`generate \"{gname}\"` of the Terragrunt unit `{}` writes `{file}`, Terraform code that rootguard does not evaluate",
                    unit.name
                ),
            ));
        }
    }
    unit
}

/// The text of a known string (or scalar), else why it is not known.
fn eval_text(n: &Node) -> Result<String, String> {
    if let Some(why) = n.contains_unknown() {
        return Err(why.to_owned());
    }
    if crate::tf::eval::is_partial(n) {
        return Err("it depends on a value known only after apply".into());
    }
    crate::tf::eval::to_text(n).ok_or_else(|| format!("it is a {}, not a string", n.kind_name()))
}

/// `terraform { extra_arguments }` that apply to [`config::COMMAND`]: their variable files are
/// read (§1.2: they become `-var-file` arguments, above the module's own variable files);
/// `-var` arguments and `TF_VAR_` environment variables make every variable unknown.
fn extra_arguments(run: &Run<'_>, unit_dir: &Path, blocks: &[(String, Node)], unit: &mut Unit) {
    let mut all_unknown = |n: &Node, why: String| {
        if unit.vars_unknown.is_none() {
            unit.vars_unknown = Some(Node::new(n.span, Value::unknown(why)));
        }
    };
    for (xname, x) in blocks {
        match x.get("commands").map(|c| &c.value) {
            Some(Value::Seq(cmds)) if cmds.iter().any(|c| c.as_str() == Some(config::COMMAND)) => {}
            Some(Value::Seq(_)) | None => continue,
            Some(_) => {
                all_unknown(x, format!("the commands of `extra_arguments \"{xname}\"` are not known statically"));
                continue;
            }
        }
        if let Some(args) = x.get("arguments") {
            let passes_vars = match &args.value {
                Value::Seq(items) => items
                    .iter()
                    .any(|a| a.as_str().is_none_or(|s| s.starts_with("-var") || s.starts_with("--var"))),
                _ => true,
            };
            if passes_vars {
                all_unknown(
                    args,
                    format!("`extra_arguments \"{xname}\"` passes variables on the command line, which rootguard does not read"),
                );
            }
        }
        if let Some(env) = x.get("env_vars") {
            let sets_vars = match &env.value {
                Value::Map(m) => m.iter().any(|e| e.key.starts_with("TF_VAR_")),
                _ => true,
            };
            if sets_vars {
                all_unknown(
                    env,
                    format!("`extra_arguments \"{xname}\"` sets `TF_VAR_` environment variables, which rootguard does not read"),
                );
            }
        }
        for (key, required) in [("required_var_files", true), ("optional_var_files", false)] {
            let Some(list) = x.get(key) else { continue };
            let Some(items) = list.as_seq() else {
                all_unknown(list, format!("`{key}` of `extra_arguments \"{xname}\"` is not known statically"));
                continue;
            };
            for item in items {
                let Ok(p) = eval_text(item) else {
                    all_unknown(
                        item,
                        format!("a variable file of `extra_arguments \"{xname}\"` is not known statically"),
                    );
                    continue;
                };
                let abs = super::dirs::normalize(&unit_dir.join(&p));
                match run.read_text(&abs) {
                    Ok(id) => unit.var_files.push(var_file(run, id, &abs)),
                    Err(TgError::NotFound { .. }) if !required => {}
                    Err(e) => run.fail(item.span, format!("Terragrunt stops here: the variable file {e}")),
                }
            }
        }
    }
}

/// A variable file read for `extra_arguments`.
fn var_file(run: &Run<'_>, id: FileId, abs: &Path) -> UnitVarFile {
    let name = file_name(abs);
    let text = run.text(id);
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let vf = if name.ends_with(".json") {
        let p = crate::parse::json::parse(id, &text, 0);
        if let Some(root) = p.root {
            super::VarFile::from_json(id, dir, name.clone(), &root)
        } else {
            let mut m = Model::default();
            crate::model::cfn::diagnostics(p.diagnostics, true, &mut m);
            run.model.borrow_mut().extend(m);
            super::VarFile::unreadable(id, dir, name.clone(), "could not be parsed".into())
        }
    } else {
        let mut m = Model::default();
        let body = super::parse(id, &text, &mut m);
        run.model.borrow_mut().extend(m);
        match body {
            Some(b) => super::VarFile::from_hcl(id, dir, name.clone(), &b),
            None => super::VarFile::unreadable(id, dir, name.clone(), "could not be parsed".into()),
        }
    };
    UnitVarFile {
        id,
        name,
        values: vf.values,
        unreadable: vf.unreadable,
    }
}

//! Terraform: modules of `.tf` files, instantiated like `terraform plan` would, statically.
//!
//! A directory of `.tf` files is a module; a directory no other scanned module calls is a root
//! module. Root variables take their defaults, then `terraform.tfvars`, `terraform.tfvars.json`
//! and `*.auto.tfvars(.json)` (in that order, later wins). Local module sources (`./`, `../`)
//! are instantiated recursively with their arguments; other sources are reported as opaque.

mod dirs;
pub mod error;
pub mod eval;
mod expand;
pub mod functions;
mod installed;
mod instance;
pub mod known;
mod module_call;
mod parse;
pub mod plan;
mod policy_document;
mod resources;
pub mod terragrunt;
mod vars;
pub mod version;
mod world;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use hcl_edit::structure::Body;

use crate::model::{Format, Model};
use crate::source::{FileId, Sources};
use dirs::normalize;
pub use dirs::{ModuleDirs, SourceOutside, normalize_dir};
pub use error::{EvalError, FileError, FunctionError, Operator, TemplateError};
pub use installed::{DirProblem, InstallError, InstallRefused, Installed, InstalledModule, ModulesJsonError, modules_json};
use instance::Instance;
pub use module_call::INSTANCE_COST;
pub use parse::{ModuleRefs, module_calls, module_refs, parse};
pub use vars::VarFile;
use world::World;

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
    /// Terragrunt units: deployment roots of the modules they name, with their inputs.
    pub units: Vec<terragrunt::Unit>,
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
    let dirs = ModuleDirs::new(modules.keys().chain(&opts.pruned), &crate::source::Roots::new(&opts.roots));
    let roots = root_modules(&modules, &dirs, installed);
    // a module directory that Terragrunt units deploy is judged once per unit, with its inputs
    let deployed = terragrunt::deployed_dirs(&opts.units, &dirs);
    let world = World::new(sources, modules, installed, opts, dirs);
    for root in roots.iter().filter(|r| !deployed.contains(*r)) {
        let vars = vars::root_values(&world, root, var_files, cli_var_files, opts, cli);
        resources::walk(&Instance::root(&world, root, vars), model);
    }
    terragrunt::deploy(&world, &opts.units, var_files, cli_var_files, opts, cli, model);
    // a policy attached through a module output or variable may be any of the unattached ones
    resources::unlinked(&world, model);
    world.consumed.into_inner()
}

/// The root modules: the module directories no other scanned module calls with a local source
/// (whichever way the call reaches it: module directories are compared by real path), and
/// that `terraform init` did not install.
fn root_modules(modules: &BTreeMap<PathBuf, Vec<&TfFile>>, dirs: &ModuleDirs, installed: &Installed) -> Vec<PathBuf> {
    let mut called = BTreeSet::new();
    for (dir, fs) in modules {
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
    modules
        .keys()
        .filter(|d| !called.contains(*d) && !installed_dirs.contains(d))
        .cloned()
        .collect()
}

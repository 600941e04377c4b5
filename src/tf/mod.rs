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
mod module_call;
mod parse;
pub mod plan;
mod policy_document;
mod resources;
mod vars;
pub mod version;
mod world;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use hcl_edit::structure::Body;

use crate::model::{Format, Model};
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, Sources, Span};
use dirs::normalize;
pub use dirs::{ModuleDirs, SourceOutside, normalize_dir};
pub use error::{EvalError, FileError, FunctionError, Operator, TemplateError};
pub use installed::{DirProblem, InstallError, InstallRefused, Installed, InstalledModule, ModulesJsonError, modules_json};
use instance::{Instance, VarSrc};
pub use module_call::INSTANCE_COST;
pub use parse::{ModuleRefs, module_calls, module_refs, parse};
pub use vars::VarFile;
use vars::{cli_value, variable_defaults};
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

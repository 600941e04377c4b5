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
mod overrides;
mod parse;
pub mod plan;
mod policy_document;
mod resources;
pub mod terragrunt;
#[cfg(test)]
pub(crate) mod testing;
mod types;
mod vars;
pub mod version;
mod world;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use hcl_edit::structure::Body;

use crate::model::{Format, Model};
use crate::source::{FileId, Sources};
use dirs::normalize;
pub use dirs::{ModuleDirs, normalize_dir};
pub use installed::{Installed, modules_json};
use instance::Instance;
pub use overrides::is_override;
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
            let inputs = Inputs {
                sources,
                files,
                var_files,
                cli_var_files,
                installed,
                opts,
                cli,
            };
            let c = analyze_all(&inputs, model);
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

/// The inputs of one Terraform evaluation (see [`analyze`]).
struct Inputs<'a> {
    sources: &'a Sources,
    files: &'a [TfFile],
    var_files: &'a [VarFile],
    cli_var_files: &'a [VarFile],
    installed: &'a Installed,
    opts: &'a Options,
    cli: Option<FileId>,
}

/// Instantiate every root module and walk it, on the current budget; the scanned files that
/// `file()` read.
fn analyze_all(inputs: &Inputs<'_>, model: &mut Model) -> BTreeSet<FileId> {
    let opts = inputs.opts;
    let mut modules: BTreeMap<PathBuf, Vec<&TfFile>> = BTreeMap::new();
    for f in inputs.files {
        modules.entry(normalize(&f.dir)).or_default().push(f);
    }
    // override files are merged into the primary files' blocks, not read as files of their own
    let mut overrides = BTreeMap::new();
    for (dir, fs) in &mut modules {
        let (primary, over) = overrides::split(inputs.sources, std::mem::take(fs), model);
        *fs = primary;
        overrides.insert(dir.clone(), over);
    }
    let dirs = ModuleDirs::new(modules.keys().chain(&opts.pruned), &crate::source::Roots::new(&opts.roots));
    let roots = root_modules(&modules, &dirs, inputs.installed);
    // a module directory that Terragrunt units deploy is judged once per unit, with its inputs
    let deployed = terragrunt::deployed_dirs(&opts.units, &dirs);
    let mut world = World::new(inputs.sources, modules, inputs.installed, opts, dirs);
    world.overrides = overrides;
    for root in roots.iter().filter(|r| !deployed.contains(*r)) {
        let vars = vars::root_values(&world, root, inputs.var_files, inputs.cli_var_files, opts, inputs.cli);
        resources::walk(&Instance::root(&world, root, vars), model);
    }
    terragrunt::deploy(&world, &opts.units, inputs.var_files, inputs.cli_var_files, opts, inputs.cli, model);
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

#[cfg(test)]
mod tests {
    use super::testing::{Row, check, value};

    /// A config rule whose identifier is `local.id`, created when `var.enabled` is true.
    const RULE: &str = r#"resource "aws_config_config_rule" "mfa" {
  count = var.enabled ? 1 : 0
  name  = "root-mfa"
  source {
    owner             = "AWS"
    source_identifier = local.id
  }
}
"#;

    #[test]
    fn module_instances_take_their_values_where_they_are_written() {
        let rows: &[Row<'_>] = &[
            (
                "a root variable's default switches a resource off, and decides it",
                &[
                    (
                        "main.tf",
                        "variable \"enabled\" {\n  default = false\n}\nlocals { id = \"ROOT_ACCOUNT_MFA_ENABLED\" }\n",
                    ),
                    ("rule.tf", RULE),
                ],
                |m| {
                    let g = m.config_rules.first()?.origin.gates.first()?;
                    Some((format!("{:?}: {}", g.value, g.reason), g.decided_by.as_ref()?.span))
                },
                "False: count is 0: `var.enabled` is `false`",
                "main.tf:2:13-2:18 `false`",
            ),
            (
                "a module argument decides, where the call writes it",
                &[
                    ("main.tf", "module \"org\" {\n  source  = \"./org\"\n  enabled = false\n}\n"),
                    ("org/main.tf", "variable \"enabled\" {}\nlocals { id = \"X\" }\n"),
                    ("org/rule.tf", RULE),
                ],
                |m| {
                    let g = m.config_rules.first()?.origin.gates.first()?;
                    Some((format!("{:?}: {}", g.value, g.reason), g.decided_by.as_ref()?.span))
                },
                "False: count is 0: `var.enabled` is `false`",
                "main.tf:3:13-3:18 `false`",
            ),
            (
                "what a module declares comes through its call",
                &[
                    ("main.tf", "module \"org\" {\n  source  = \"./org\"\n  enabled = true\n}\n"),
                    ("org/main.tf", "variable \"enabled\" {}\nlocals { id = \"X\" }\n"),
                    ("org/rule.tf", RULE),
                ],
                |m| {
                    let r = m.config_rules.first()?;
                    let via = r.origin.via.first()?;
                    Some((format!("{} via {}", r.origin.name, via.name), via.loc.span))
                },
                "module.org.aws_config_config_rule.mfa[0] via module.org",
                "main.tf:1:1-1:13 `module \"org\"`",
            ),
            (
                "a local value, read where the property is written",
                &[
                    (
                        "main.tf",
                        "variable \"enabled\" {\n  default = true\n}\nlocals { id = \"ROOT_ACCOUNT_MFA_ENABLED\" }\n",
                    ),
                    ("rule.tf", RULE),
                ],
                |m| {
                    let p = &m.config_rules.first()?.identifier;
                    Some((value(p), p.loc.as_ref()?.span))
                },
                "\"ROOT_ACCOUNT_MFA_ENABLED\"",
                "rule.tf:6:25-6:33 `local.id`",
            ),
            (
                "a module output",
                &[
                    (
                        "main.tf",
                        "variable \"enabled\" {\n  default = true\n}\nmodule \"ids\" {\n  source = \"./ids\"\n}\nlocals { id = module.ids.mfa }\n",
                    ),
                    ("rule.tf", RULE),
                    ("ids/outputs.tf", "output \"mfa\" {\n  value = \"ROOT_ACCOUNT_MFA_ENABLED\"\n}\n"),
                ],
                |m| {
                    let p = &m.config_rules.first()?.identifier;
                    Some((value(p), p.loc.as_ref()?.span))
                },
                "\"ROOT_ACCOUNT_MFA_ENABLED\"",
                "rule.tf:6:25-6:33 `local.id`",
            ),
            (
                "an output the module does not declare is an evaluation error",
                &[
                    (
                        "main.tf",
                        "variable \"enabled\" {\n  default = true\n}\nmodule \"ids\" {\n  source = \"./ids\"\n}\nlocals { id = module.ids.nope }\n",
                    ),
                    ("rule.tf", RULE),
                    ("ids/outputs.tf", "output \"mfa\" {\n  value = \"X\"\n}\n"),
                ],
                |m| {
                    let p = &m.config_rules.first()?.identifier;
                    Some((value(p), p.loc.as_ref()?.span))
                },
                "unknown: evaluation error: module `ids` has no output `nope`",
                "rule.tf:6:25-6:33 `local.id`",
            ),
            (
                "locals that refer to each other are a cycle, reported where it closes",
                &[
                    (
                        "main.tf",
                        "variable \"enabled\" {\n  default = true\n}\nlocals {\n  id = local.b\n  b  = local.id\n}\n",
                    ),
                    ("rule.tf", RULE),
                ],
                |m| {
                    let d = m.diagnostics.iter().find(|d| d.diag.code == "cycle")?;
                    Some((value(&m.config_rules.first()?.identifier), d.diag.span))
                },
                "unknown: a reference cycle (Cycle: local.id, local.b)",
                "main.tf:6:8-6:16 `local.id`",
            ),
            (
                "a registry module rootguard cannot read is an opaque template at its call",
                &[(
                    "main.tf",
                    "module \"org\" {\n  source  = \"acme/org/aws\"\n  version = \"1.0.0\"\n}\n",
                )],
                |m| {
                    let t = m.opaque_templates.first()?;
                    Some((format!("{}: {}", t.kind, t.reference), t.origin.loc.span))
                },
                "module: module source \"acme/org/aws\"",
                "main.tf:1:1-1:13 `module \"org\"`",
            ),
            (
                "a module that calls itself is refused at the call",
                &[("loop/main.tf", "module \"again\" {\n  source = \"./\"\n}\n")],
                |m| {
                    let t = m.opaque_templates.first()?;
                    Some((t.reference.clone(), t.origin.loc.span))
                },
                "module `module.again` calls the module directory of the root module, which calls it: Terraform cannot install a module that calls itself",
                "loop/main.tf:1:1-1:15 `module \"again\"`",
            ),
        ];
        check(rows);
    }
}

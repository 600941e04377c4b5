//! A module call: the child instance it makes (its source resolved, installed copies checked,
//! nesting and budget bounded), the outputs read from it, and walking it for declarations.

use std::collections::BTreeMap;
use std::rc::Rc;

use hcl_edit::structure::Block;

use super::TfFile;
use super::dirs::SourceOutside;
use super::error::EvalError;
use super::eval;
use super::expand::{expand, expr_text};
use super::installed::{InstallError, check_installed};
use super::instance::{Instance, VarSrc};
use super::parse::{block_span, label};
use super::resources::{self, cut, origin};
use super::vars::declarations;
use crate::model::{Loc, Model, OpaqueTemplate, Via};
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, Span};

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
    /// The call `name` leads back to the module directory of `ancestor`, which calls it
    /// (directly or through other modules): Terraform cannot install such a module.
    Cycle { name: String, ancestor: String },
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
            ModuleError::Cycle { name, ancestor } => write!(
                f,
                "module `{name}` calls the module directory of {ancestor}, which calls it: Terraform cannot install a module that calls itself"
            ),
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

impl<'a> Instance<'_, 'a> {
    pub(super) fn module_call(&self, name: &str) -> Option<(FileId, &'a Block)> {
        self.files().iter().find_map(|f| {
            let f: &'a TfFile = f;
            f.body
                .blocks()
                .find(|b| b.ident.value().as_str() == "module" && label(b, 0) == Some(name))
                .map(|b| (f.id, b))
        })
    }

    /// The `module` blocks named `name` of this module's primary files (an override file's
    /// block merges into its primary, it is not a second call), in file order.
    pub(super) fn module_calls_named(&self, name: &str) -> Vec<(FileId, &'a Block)> {
        let mut out = Vec::new();
        for f in self.files() {
            let f: &'a TfFile = f;
            if is_override(&self.world.sources.get(f.id).path) {
                continue;
            }
            out.extend(
                f.body
                    .blocks()
                    .filter(|b| b.ident.value().as_str() == "module" && label(b, 0) == Some(name))
                    .map(|b| (f.id, b)),
            );
        }
        out
    }

    /// Why `module.NAME` has no value when the module declares more than one call `name`.
    pub(super) fn duplicate_call(&self, name: &str) -> Option<String> {
        // the names declared twice, found in one pass over the module's blocks
        let twice = self.duplicate_calls.get_or_init(|| {
            let mut seen = std::collections::BTreeSet::new();
            let mut twice = std::collections::BTreeSet::new();
            for f in self.files() {
                if is_override(&self.world.sources.get(f.id).path) {
                    continue;
                }
                for b in f.body.blocks().filter(|b| b.ident.value().as_str() == "module") {
                    let n = label(b, 0).unwrap_or("");
                    if !seen.insert(n) {
                        twice.insert(n.to_owned());
                    }
                }
            }
            twice
        });
        twice
            .contains(name)
            .then(|| format!("module `{name}` is declared more than once: Terraform rejects the configuration (Duplicate module call)"))
    }

    /// Output `output` of module call `name` (all of them, as an object, when `None`), each
    /// evaluated on its own: an output reads only the inputs it needs.
    pub(super) fn module_output(
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
                Value::unknown(format!("module `{name}` has a source rootguard cannot read")),
            )),
            Err(r) => Ok(Node::new(span, Value::unknown(r.to_string()))),
        }
    }

    /// The value of output `name` of this instance (`None` when it declares no such output).
    pub(super) fn output(&self, name: &str, depth: usize, at: Span) -> Option<Node> {
        let (file, a) = self.files().iter().find_map(|f| {
            f.body
                .blocks()
                .find(|x| x.ident.value().as_str() == "output" && label(x, 0) == Some(name))
                .and_then(|ob| ob.body.get_attribute("value"))
                .map(|a| (f.id, a))
        })?;
        // an override file's `value` replaces the primary one
        let (file, a) = self
            .world
            .overrides
            .get(&self.dir)
            .and_then(|o| o.output_value(name))
            .unwrap_or((file, a));
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
    pub(super) fn child(
        &self,
        file: FileId,
        b: &'a Block,
        iter: Option<&[(String, Node)]>,
    ) -> Result<Option<Instance<'_, 'a>>, ModuleError> {
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
            let dir = self.world.dirs.resolve(&self.dir, &src)?;
            // a module that calls itself, directly or through others: `terraform init` recurses
            // without a check until a path is too long (hashicorp/terraform#31557, #22648)
            if let Some(i) = self.lineage.iter().position(|d| *d == dir) {
                let ancestor = match i.checked_sub(1).and_then(|k| self.via.get(k)) {
                    Some(v) => format!("`{}`", v.name),
                    None => "the root module".to_owned(),
                };
                let e = ModuleError::Cycle {
                    name: self.address(&format!("module.{name}")),
                    ancestor,
                };
                crate::limits::note(crate::parse::Diagnostic::error(
                    span,
                    "module-cycle",
                    format!(
                        "{e}, directly or through other modules (`terraform init` recurses until a path is too long); rootguard reads it no further"
                    ),
                ));
                return Err(e);
            }
            dir
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
        let decls = declarations(self.world, &dir);
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
                    decl: decls.get(k).cloned(),
                },
            );
        }
        let addr = self.address(&format!("module.{name}"));
        for (k, d) in decls {
            if let std::collections::btree_map::Entry::Vacant(e) = vars.entry(k) {
                let v = d.value(None, &format!("{addr}.var.{}", e.key()));
                e.insert(VarSrc::Value(v));
            }
        }
        let mut via = self.via.clone();
        via.push(Via {
            kind: "module",
            name: self.address(&format!("module.{name}")),
            loc: Loc::new(span, format!("module.{name}")),
        });
        let mut lineage = self.lineage.clone();
        lineage.push(dir.clone());
        let mut child = Instance::new(
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
        );
        child.lineage = lineage;
        Ok(Some(child))
    }
}

/// Walk the instances of module call `b` for their declarations: none for a module the scan
/// pruned; an opaque template for a call whose module cannot be read (or for the instances past
/// the `instances` limit).
pub(super) fn walk(inst: &Instance<'_, '_>, file: FileId, b: &Block, model: &mut Model) {
    let name = label(b, 0).unwrap_or("");
    if let Some(why) = inst.duplicate_call(name) {
        // Terraform rejects the whole module: what either call declares is unknown
        let calls = inst.module_calls_named(name);
        if let Some((ff, fb)) = calls.first()
            && !std::ptr::eq(*fb, b)
            && calls.iter().any(|(_, x)| std::ptr::eq(*x, b))
        {
            let first = block_span(*ff, fb);
            let (a, z) = inst.world.sources.position(first);
            let at = format!("{}:{},{}-{}", inst.world.sources.get(*ff).display, a.line, a.column, z.column);
            crate::limits::note(crate::parse::Diagnostic::error(
                block_span(file, b),
                "duplicate-module",
                format!(
                    "Duplicate module call: A module call named \"{name}\" was already defined at {at}. Module calls must have unique names within a module. Terraform rejects this configuration; rootguard takes what the calls declare as unknown"
                ),
            ));
        }
        let base = inst.address(&format!("module.{name}"));
        let o = origin(inst, file, b, &base, &inst.gates);
        model.opaque_templates.push(OpaqueTemplate {
            origin: o,
            kind: "module",
            reference: why,
            known_clean: false,
            resource_type: String::new(),
        });
        return;
    }
    if let Some(src) = b.body.get_attribute("source").and_then(|a| a.value.as_str())
        && (src.starts_with("./") || src.starts_with("../"))
        && inst
            .world
            .dirs
            .resolve(&inst.dir, src)
            .is_ok_and(|d| inst.world.pruned.contains(&d))
    {
        // a module that declares no guardrail and that nothing read here depends on
        return;
    }
    let base = inst.address(&format!("module.{name}"));
    let ex = expand(inst, file, b, &base);
    if let Some(why) = &ex.cut {
        // the module instances not read may declare or disable anything
        let o = origin(inst, file, b, &base, &ex.gates(inst));
        model.opaque_templates.push(cut(o, why, "*"));
    }
    for (_, iter) in &ex.instances {
        let child = inst.child(file, b, Some(iter));
        if let Ok(Some(mut child)) = child {
            child.gates.extend(ex.open_question());
            // Terraform converts every argument to its variable's type: one it refuses is an
            // error whether or not a guardrail reads it
            child.check_arguments();
            resources::walk(&child, model);
        } else {
            // why it stops: a limit (a module that calls itself), or a source it cannot read
            let stopped = child.err().map(|e| e.to_string());
            let limited = stopped.is_some();
            let raw = b.body.get_attribute("source").and_then(|a| a.value.as_str().map(str::to_owned));
            let src = b
                .body
                .get_attribute("source")
                .map_or_else(|| "no source".into(), |a| expr_text(inst, file, &a.value));
            let o = origin(inst, file, b, &base, &ex.gates(inst));
            let version = b.body.get_attribute("version").and_then(|a| a.value.as_str());
            let known_clean = raw.as_deref().is_some_and(|r| inst.world.known_clean(r, version));
            model.opaque_templates.push(OpaqueTemplate {
                origin: o,
                kind: "module",
                reference: stopped.unwrap_or_else(|| format!("module source {src}")),
                known_clean: known_clean && !limited,
                resource_type: String::new(),
            });
            break;
        }
    }
}

/// Is `path` an override file (`override.tf`, `*_override.tf`, their `.tf.json` and
/// `.tofu` forms)? Its blocks merge into the primary files' blocks
/// (<https://developer.hashicorp.com/terraform/language/files/override>).
fn is_override(path: &std::path::Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    [".tf", ".tf.json", ".tofu", ".tofu.json"].iter().any(|ext| {
        name.strip_suffix(ext)
            .is_some_and(|stem| stem == "override" || stem.ends_with("_override"))
    })
}

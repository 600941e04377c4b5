//! Variable values: variable files, `variable` defaults, `--var` / `TF_VAR_` values, and the
//! environment of constants they are evaluated in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl_edit::structure::Body;

use super::Options;
use super::dirs::normalize;
use super::error::{EvalError, FileError, TemplateError};
use super::eval::{self, Env};
use super::parse::{block_span, label};
use super::world::World;
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, Span};

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

/// `variable` defaults of a module; variables without one are unknown until given.
pub(super) fn variable_defaults(world: &World<'_>, dir: &Path) -> BTreeMap<String, Node> {
    let mut out = BTreeMap::new();
    for f in world.modules.get(dir).map(Vec::as_slice).unwrap_or_default() {
        for b in f.body.blocks().filter(|b| b.ident.value().as_str() == "variable") {
            let Some(name) = label(b, 0) else { continue };
            let span = block_span(f.id, b);
            // an override file's `default` replaces the primary one
            let over = world.overrides.get(dir).and_then(|o| o.variable_default(name));
            let v = match over.or_else(|| b.body.get_attribute("default").map(|a| (f.id, &a.value))) {
                Some((file, e)) => eval::Eval::new(file, &NoEnv).value(e),
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
pub(super) struct NoEnv;

impl Env for NoEnv {
    fn read_file(&self, p: &str, _: Span) -> Result<String, FileError> {
        Err(FileError::InVariable(p.to_owned()))
    }
    fn render_template(&self, _: &str, _: &Node, _: Span) -> Result<Node, EvalError> {
        Err(TemplateError::InVariable.into())
    }
}

/// A `--var` / `TF_VAR_` value: HCL for lists and maps (as Terraform reads them), else a string.
pub(super) fn cli_value(file: FileId, v: &str) -> Node {
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

/// The variable values of root module `root`: the `variable` defaults, then `TF_VAR_` values
/// (for declared variables), then the module's own variable files (`terraform.tfvars`,
/// `terraform.tfvars.json`, `*.auto.tfvars(.json)` by name), then the `--var-file`s, then the
/// `--var`s, later ones winning. An unreadable variable file makes every variable unknown.
pub(super) fn root_values(
    world: &World<'_>,
    root: &Path,
    var_files: &[VarFile],
    cli_var_files: &[VarFile],
    opts: &Options,
    cli: Option<FileId>,
) -> BTreeMap<String, Node> {
    let mut vars = variable_defaults(world, root);
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
    vars
}

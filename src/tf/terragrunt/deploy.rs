//! Units as deployment roots: each unit's module instantiated with the unit's values.
//!
//! Terragrunt passes `inputs` as `TF_VAR_name` environment variables (§1.2,
//! <https://terragrunt.gruntwork.io/docs/reference/hcl/attributes>, `inputs`), so they are the
//! lowest of Terraform's variable sources: a root variable takes its default, then the unit's
//! input, then a `TF_VAR_` variable set in the environment, then the variable files of the
//! working directory (`terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars(.json)` by
//! name; Terragrunt copies the module and the unit directory into it, so both directories'
//! files count, the unit's replacing the module's of the same name; a `null` input is written
//! to `.terragrunt-null-vars.auto.tfvars.json` there), then the `extra_arguments` variable files,
//! then `--var-file` and `--var`. An input reaches a variable as the environment carries it:
//! for a variable without a type (or of a primitive type) as a string, which Terraform converts
//! to the declared type; for a complex type as the structure.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use hcl_edit::expr::Expression;

use super::super::dirs::{ModuleDirs, normalize};
use super::super::instance::{Instance, VarSrc};
use super::super::parse::label;
use super::super::vars::{VarFile, cli_value, declarations};
use super::super::world::World;
use super::super::{Options, resources};
use super::{Module, Unit, UnitVarFile};
use crate::model::{Format, Loc, Model, OpaqueTemplate, Origin, Via};
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, Span};

/// The module directories the units deploy (their own directories among them): they are not
/// judged again as bare roots with their defaults.
pub(crate) fn deployed_dirs(units: &[Unit], dirs: &ModuleDirs) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for u in units {
        out.insert(normalize(&u.dir));
        if let Module::Local(p) = &u.module
            && let Ok(d) = dirs.resolve(&normalize(&u.dir), p)
        {
            out.insert(d);
        }
    }
    out
}

/// Walk every unit's module for its declarations, with the unit's values; what a unit deploys
/// that rootguard cannot read is an opaque module.
pub(crate) fn deploy(
    world: &World<'_>,
    units: &[Unit],
    var_files: &[VarFile],
    cli_var_files: &[VarFile],
    opts: &Options,
    cli: Option<FileId>,
    model: &mut Model,
) {
    for u in units {
        let via = Via {
            kind: "Terragrunt unit",
            name: u.name.clone(),
            loc: u.at.clone(),
        };
        let opaque = |name: String, kind: &'static str, reference: String, known_clean: bool, loc: Loc| OpaqueTemplate {
            origin: Origin {
                format: Format::Terraform,
                name,
                loc,
                via: vec![via.clone()],
                gates: u.gates.clone(),
            },
            kind,
            reference,
            known_clean,
            resource_type: String::new(),
        };
        if let Some((loc, why)) = &u.generated {
            model
                .opaque_templates
                .push(opaque(u.name.clone(), "module", why.clone(), false, loc.clone()));
        }
        if let Some(why) = &u.failed {
            model
                .opaque_templates
                .push(opaque(u.name.clone(), "module", why.clone(), false, u.at.clone()));
            continue;
        }
        let p = match &u.module {
            Module::Unknown { reason, unread } => {
                let (name, kind) = if *unread {
                    (world.sources.get(u.file).display.clone(), "file")
                } else {
                    (u.name.clone(), "module")
                };
                model.opaque_templates.push(opaque(name, kind, reason.clone(), false, u.at.clone()));
                continue;
            }
            Module::Remote { source, registry } => {
                let known =
                    world.known_clean(source, None) || registry.as_ref().is_some_and(|(addr, v)| world.known_clean(addr, v.as_deref()));
                model.opaque_templates.push(opaque(
                    source.clone(),
                    "module",
                    format!(
                        "it is the `terraform.source` of the Terragrunt unit `{}`, a module Terragrunt downloads and rootguard does not read (declare it with `--known-module` if it declares no guardrail)",
                        u.name
                    ),
                    known,
                    u.at.clone(),
                ));
                continue;
            }
            Module::Local(p) => p,
        };
        let unit_dir = normalize(&u.dir);
        let dir = match world.dirs.resolve(&unit_dir, p) {
            Ok(d) => d,
            Err(e) => {
                model
                    .opaque_templates
                    .push(opaque(u.name.clone(), "module", e.to_string(), false, u.at.clone()));
                continue;
            }
        };
        let read = |d: &PathBuf| world.modules.contains_key(d) || world.pruned.contains(d);
        if !read(&dir) {
            if p != "." {
                model.opaque_templates.push(opaque(
                    u.name.clone(),
                    "module",
                    format!(
                        "the `terraform.source` of the Terragrunt unit `{}` is `{p}`, where rootguard read no Terraform file",
                        u.name
                    ),
                    false,
                    u.at.clone(),
                ));
            }
            // a unit without a source and without Terraform files deploys nothing
            continue;
        }
        // the module, and the unit directory's own `.tf` files, which Terragrunt copies beside it
        let mut dirs = vec![dir.clone()];
        if unit_dir != dir && world.modules.contains_key(&unit_dir) {
            dirs.push(unit_dir.clone());
        }
        for d in dirs {
            let vars = values(world, &d, &dir, &unit_dir, u, var_files, cli_var_files, opts, cli);
            let vars = vars.into_iter().map(|(k, v)| (k, VarSrc::Value(v))).collect();
            let inst = Instance::new(
                world,
                None,
                d.clone(),
                String::new(),
                d,
                String::new(),
                vars,
                vec![via.clone()],
                u.gates.clone(),
                0,
            );
            resources::walk(&inst, model);
        }
    }
}

/// How a variable's declared type makes Terraform read a `TF_VAR_` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    /// No `type`: the text, as a string.
    Untyped,
    /// `string`, `number`, `bool`: the text, converted.
    Primitive(&'static str),
    /// Anything else: the text parsed as an HCL expression (the JSON Terragrunt writes).
    Complex,
}

fn types(world: &World<'_>, dir: &PathBuf) -> BTreeMap<String, Ty> {
    let mut out = BTreeMap::new();
    for f in world.modules.get(dir).map(Vec::as_slice).unwrap_or_default() {
        for b in f.body.blocks().filter(|b| b.ident.value().as_str() == "variable") {
            let Some(name) = label(b, 0) else { continue };
            let ty = match b.body.get_attribute("type").map(|a| &a.value) {
                None => Ty::Untyped,
                Some(Expression::Variable(v)) => match v.value().as_str() {
                    "string" => Ty::Primitive("string"),
                    "number" => Ty::Primitive("number"),
                    "bool" => Ty::Primitive("bool"),
                    _ => Ty::Complex,
                },
                Some(_) => Ty::Complex,
            };
            out.insert(name.to_owned(), ty);
        }
    }
    out
}

/// An input as the variable receives it through `TF_VAR_` (§1.2, `AsTerraformEnvVarJSONValue`
/// and Terraform's `VariableParsingMode`): a string stays as written, any other value is sent as
/// JSON; a variable without a complex type reads that text as a string (converted to its
/// primitive type), one with a complex type reads the structure. The value keeps the input's
/// span, so a finding points at the input.
fn as_env_var(v: &Node, ty: Ty) -> Node {
    if v.contains_unknown().is_some() || ty == Ty::Complex {
        return v.clone();
    }
    let text = match &v.value {
        Value::String(s) | Value::Number(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        _ => super::super::functions::json_text(v),
    };
    let value = match ty {
        Ty::Primitive("bool") if text == "true" || text == "false" => Value::Bool(text == "true"),
        Ty::Primitive("number") if text.parse::<f64>().is_ok() => Value::Number(text),
        _ => Value::String(text),
    };
    Node::new(v.span, value)
}

/// The name Terragrunt writes `null` inputs to, in the working directory.
const NULL_VARS: &str = ".terragrunt-null-vars.auto.tfvars.json";

/// The values of the root variables of module directory `dir` deployed by unit `u` (whose
/// module is `module`, in `unit_dir`), in the order of the module documentation.
#[allow(clippy::too_many_arguments)] // the sources of a root variable's value
fn values(
    world: &World<'_>,
    dir: &PathBuf,
    module: &PathBuf,
    unit_dir: &PathBuf,
    u: &Unit,
    var_files: &[VarFile],
    cli_var_files: &[VarFile],
    opts: &Options,
    cli: Option<FileId>,
) -> BTreeMap<String, Node> {
    let decls = declarations(world, dir);
    let mut vars: BTreeMap<String, Node> = decls.iter().map(|(k, d)| (k.clone(), d.value(None, &format!("var.{k}")))).collect();
    let defaults = vars.clone();
    let cli_at = |cli: FileId, k: &str, v: &str| cli_value(Span::new(cli, 0, 0), v, decls.get(k).map(std::rc::Rc::as_ref));
    let types = types(world, dir);
    let mut nulls = Vec::new();
    match u.inputs.as_ref().map(|n| &n.value) {
        Some(Value::Map(entries)) => {
            for e in entries {
                let Some(ty) = types.get(&e.key) else { continue };
                if matches!(e.value.value, Value::Null) {
                    nulls.push((e.key.clone(), e.value.clone()));
                } else {
                    vars.insert(e.key.clone(), as_env_var(&e.value, *ty));
                }
            }
        }
        Some(Value::Unknown(why)) => {
            let span = u.inputs.as_ref().map_or(Span::default(), |n| n.span);
            for v in vars.values_mut() {
                *v = Node::new(
                    span,
                    Value::unknown(format!(
                        "the inputs of the Terragrunt unit `{}` are not known: {}",
                        u.name, why.reason
                    )),
                );
            }
        }
        Some(_) => {
            let span = u.inputs.as_ref().map_or(Span::default(), |n| n.span);
            for v in vars.values_mut() {
                *v = Node::new(
                    span,
                    Value::unknown(format!("the inputs of the Terragrunt unit `{}` are not a map", u.name)),
                );
            }
        }
        None => {}
    }
    // a `TF_VAR_` variable already set wins over the inputs
    if let Some(cli) = cli {
        for (k, v) in &opts.env_vars {
            if vars.contains_key(k) {
                vars.insert(k.clone(), cli_at(cli, k, v));
            }
        }
    }
    // the working directory's variable files: the module's, and the unit's copied over them
    let mut files: BTreeMap<(u8, String), Option<&VarFile>> = BTreeMap::new();
    let rank = |n: &str| match n {
        "terraform.tfvars" => Some(0),
        "terraform.tfvars.json" => Some(1),
        _ if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => Some(2),
        _ => None,
    };
    for d in [module, unit_dir] {
        for vf in var_files.iter().filter(|v| normalize(&v.dir) == *d) {
            if let Some(r) = rank(&vf.name) {
                files.insert((r, vf.name.clone()), Some(vf));
            }
        }
    }
    if !nulls.is_empty() {
        files.insert((2, NULL_VARS.to_owned()), None);
    }
    let unknown_all = |vars: &mut BTreeMap<String, Node>, span: Span, why: String| {
        for v in vars.values_mut() {
            *v = Node::new(span, Value::unknown(why.clone()));
        }
    };
    for vf in files.into_values() {
        match vf {
            Some(vf) => apply(&mut vars, &vf.name, vf.id, &vf.values, vf.unreadable.as_deref(), &unknown_all),
            None => {
                for (k, v) in &nulls {
                    vars.insert(k.clone(), v.clone());
                }
            }
        }
    }
    for UnitVarFile {
        id,
        name,
        values,
        unreadable,
    } in &u.var_files
    {
        apply(&mut vars, name, *id, values, unreadable.as_deref(), &unknown_all);
    }
    if let Some(n) = &u.vars_unknown {
        unknown_all(&mut vars, n.span, n.contains_unknown().unwrap_or("").to_owned());
    }
    for vf in cli_var_files {
        apply(&mut vars, &vf.name, vf.id, &vf.values, vf.unreadable.as_deref(), &unknown_all);
    }
    if let Some(cli) = cli {
        for (k, v) in &opts.vars {
            vars.insert(k.clone(), cli_at(cli, k, v));
        }
    }
    // what was given is converted to its variable's type, as Terraform does (a default already is)
    vars.into_iter()
        .map(|(k, v)| {
            let v = match decls.get(&k) {
                Some(d) if defaults.get(&k) != Some(&v) => d.value(Some(v), &format!("var.{k}")),
                _ => v,
            };
            (k, v)
        })
        .collect()
}

/// The values of one variable file (every variable unknown when it could not be read).
fn apply(
    vars: &mut BTreeMap<String, Node>,
    name: &str,
    id: FileId,
    values: &[(String, Node)],
    unreadable: Option<&str>,
    unknown_all: &impl Fn(&mut BTreeMap<String, Node>, Span, String),
) {
    if let Some(why) = unreadable {
        unknown_all(vars, Span::new(id, 0, 0), format!("`{name}` {why}"));
        return;
    }
    for (k, v) in values {
        vars.insert(k.clone(), v.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn n(v: Value) -> Node {
        Node::new(Span::new(FileId(3), 5, 9), v)
    }

    /// §1.2: a string input is passed raw, any other value as JSON; a variable without a type
    /// reads it as a string, a primitive type converts it, a complex type reads the structure
    /// (<https://terragrunt.gruntwork.io/docs/reference/hcl/attributes>, `inputs`).
    #[test]
    fn inputs_arrive_as_environment_variables() {
        let f = n(Value::Bool(false));
        assert_eq!(as_env_var(&f, Ty::Untyped).value, Value::String("false".into()));
        assert_eq!(as_env_var(&f, Ty::Primitive("bool")).value, Value::Bool(false));
        assert_eq!(as_env_var(&f, Ty::Primitive("string")).value, Value::String("false".into()));
        let ten = n(Value::Number("10".into()));
        assert_eq!(as_env_var(&ten, Ty::Primitive("number")).value, Value::Number("10".into()));
        let m = n(Value::Map(vec![crate::parse::tree::Entry {
            key: "Name".into(),
            key_span: Span::default(),
            value: n(Value::String("example-app".into())),
        }]));
        // the spec's example: `tags = { Name = "example-app" }` ≈ `TF_VAR_tags='{"Name":"example-app"}'`
        assert_eq!(as_env_var(&m, Ty::Untyped).value, Value::String(r#"{"Name":"example-app"}"#.into()));
        assert_eq!(as_env_var(&m, Ty::Complex), m);
        // the value stays where the input is written
        assert_eq!(as_env_var(&f, Ty::Untyped).span, f.span);
    }
}

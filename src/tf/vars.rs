//! Variable values: variable files, `variable` declarations (type constraint, `nullable`,
//! default), `--var` / `TF_VAR_` values, module arguments converted to the type of the
//! variable they set, and the environment of constants they are evaluated in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::structure::{Block, Body};

use super::Options;
use super::dirs::normalize;
use super::error::{EvalError, FileError, TemplateError};
use super::eval::{self, Env};
use super::parse::{block_span, label};
use super::types::{self, Type};
use super::world::World;
use crate::parse::Diagnostic;
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
        VarFile::read(id, dir, name, values)
    }

    /// A variable file read: its values.
    fn read(id: FileId, dir: PathBuf, name: String, values: Vec<(String, Node)>) -> Self {
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
        VarFile::read(id, dir, name, values)
    }
}

/// A `variable` block as Terraform reads it: its type constraint, whether it takes null, and
/// its default, converted to the type.
#[derive(Debug)]
pub(crate) struct VarDecl {
    pub name: String,
    /// The block's header (`variable "name"`).
    pub span: Span,
    /// The type constraint (`None`: no `type`, any value); `Err(why)` when Terraform rejects
    /// the block (its `type`, its `nullable`): every value of the variable is unknown.
    pub ty: Result<Option<Type>, String>,
    /// `nullable` (default true): with `false`, a null value given is replaced by the default.
    pub nullable: bool,
    /// The default with the type's `optional()` defaults applied and converted to the type;
    /// `None` when the variable is required.
    pub default: Option<Node>,
}

/// Report a Terraform error found reading variables: rootguard takes what it concerns as unknown.
fn error(at: Span, code: &'static str, message: String) {
    crate::limits::note(Diagnostic::error(at, code, message));
}

impl VarDecl {
    /// Read a `variable` block of file `file` (`json`: of a `.tf.json` file, where a type is a
    /// string holding a type expression). Terraform's errors in it are diagnostics.
    fn read(file: FileId, json: bool, b: &Block, over: Option<(FileId, &hcl_edit::expr::Expression)>) -> Option<VarDecl> {
        let name = label(b, 0)?.to_owned();
        let span = block_span(file, b);
        let constant = |e: &hcl_edit::expr::Expression| eval::Eval::new(file, &NoEnv).value(e);
        let mut ty: Result<Option<Type>, String> = match b.body.get_attribute("type") {
            None => Ok(None),
            Some(a) => match type_constraint(file, json, &a.value) {
                Ok(t) => Ok(Some(t)),
                Err(e) => {
                    error(
                        e.span,
                        "invalid-type",
                        format!("{}; rootguard takes `var.{name}` as unknown", e.message),
                    );
                    Err(e.message)
                }
            },
        };
        let nullable = match b.body.get_attribute("nullable") {
            None => true,
            Some(a) => {
                if let Value::Bool(v) = constant(&a.value).value {
                    v
                } else {
                    let at = span_of(file, &a.value);
                    error(
                        at,
                        "invalid-type",
                        format!(
                            "Invalid `nullable` of variable `{name}`: a constant bool is required; rootguard takes `var.{name}` as unknown"
                        ),
                    );
                    ty = Err("its `nullable` is not a constant bool".into());
                    true
                }
            }
        };
        // an override file's `default` replaces the primary one
        let written = over.or_else(|| b.body.get_attribute("default").map(|a| (file, &a.value)));
        let default = written.map(|(dfile, e)| {
            let raw = eval::Eval::new(dfile, &NoEnv).value(e);
            let at = span_of(dfile, e);
            let v = match &ty {
                // the conversion builds a copy of the value
                Ok(Some(_)) if !crate::limits::charge_copy(&raw, at) => Node::new(at, Value::unknown(crate::limits::spent_reason())),
                Ok(Some(t)) if !matches!(raw.value, Value::Null) => match types::convert(raw, t) {
                    Ok(v) => v,
                    Err(e) => {
                        error(
                            e.span,
                            "invalid-value",
                            format!(
                                "Invalid default value for variable: This default value is not compatible with the variable's type constraint: {e}; rootguard takes the default of `var.{name}` as unknown"
                            ),
                        );
                        Node::new(at, Value::unknown(format!("the default of `var.{name}` does not convert to its type ({e})")))
                    }
                },
                _ => raw,
            };
            if !nullable && matches!(v.value, Value::Null) {
                error(
                    at,
                    "invalid-value",
                    format!("Invalid default value for variable: A null default value is not valid when nullable=false; rootguard takes the default of `var.{name}` as unknown"),
                );
                return Node::new(at, Value::unknown(format!("the default of `var.{name}` is null, which `nullable = false` refuses")));
            }
            v
        });
        Some(VarDecl {
            name,
            span,
            ty,
            nullable,
            default,
        })
    }

    /// Is a value given to this variable taken as an HCL expression on the command line and in
    /// `TF_VAR_` (a complex type or `any`), not literally as a string (no type, or a primitive)?
    fn parses_hcl(&self) -> bool {
        matches!(&self.ty, Ok(Some(t)) if !t.is_primitive())
    }

    /// Can a value given to this variable be refused (a type other than `any`, or
    /// `nullable = false`)?
    pub(super) fn constrains(&self) -> bool {
        !self.nullable || matches!(&self.ty, Ok(Some(t)) if *t != Type::Any)
    }

    /// The value of the variable (`addr`, `var.x` or `module.m.var.x`) when `given` is given to
    /// it (`None`: nothing is), as Terraform prepares it: the default when nothing is given;
    /// else the value with the type's `optional()` defaults applied, converted to the type;
    /// for `nullable = false`, the default in place of null. A value Terraform refuses is a
    /// diagnostic at the value, and the variable is unknown.
    pub(super) fn value(&self, given: Option<Node>, addr: &str) -> Node {
        let ty = match &self.ty {
            Ok(t) => t,
            Err(why) => {
                let at = given.as_ref().map_or(self.span, |g| g.span);
                return Node::new(at, Value::unknown(format!("`{addr}` is not known: {why}")));
            }
        };
        let Some(given) = given else {
            return match &self.default {
                Some(d) => d.clone(),
                None => Node::new(
                    self.span,
                    Value::unknown(format!("variable `{}` has no default and no value is given", self.name)),
                ),
            };
        };
        let at = given.span;
        let v = match ty {
            Some(t) if !matches!(given.value, Value::Null) => {
                // the conversion builds a copy of the value
                if !crate::limits::charge_copy(&given, at) {
                    return Node::new(at, Value::unknown(crate::limits::spent_reason()));
                }
                match types::convert(given, t) {
                    Ok(v) => v,
                    Err(e) => {
                        error(
                            e.span,
                            "invalid-value",
                            format!(
                                "Invalid value for input variable: the value given for `{addr}` is not suitable for its type constraint: {e}; Terraform rejects it, and rootguard takes `{addr}` as unknown"
                            ),
                        );
                        return Node::new(
                            at,
                            Value::unknown(format!("the value given for `{addr}` does not convert to its type ({e})")),
                        );
                    }
                }
            }
            _ => given,
        };
        if self.nullable || !matches!(v.value, Value::Null) {
            return v;
        }
        if let Some(d) = &self.default {
            return d.clone();
        }
        error(
            at,
            "invalid-value",
            format!(
                "Required variable not set: `{addr}` is declared with `nullable = false` and has no default, so it may not be set to null; Terraform rejects it, and rootguard takes `{addr}` as unknown"
            ),
        );
        Node::new(
            at,
            Value::unknown(format!("`{addr}` is set to null, which `nullable = false` refuses")),
        )
    }
}

fn span_of(file: FileId, e: &hcl_edit::expr::Expression) -> Span {
    e.span().map_or(Span::new(file, 0, 0), |r| Span::new(file, r.start, r.end))
}

/// The type constraint `type = <e>`. In native syntax a quoted type is Terraform 0.11's form,
/// an error since; in JSON syntax every type is a string holding the type expression.
fn type_constraint(file: FileId, json: bool, e: &hcl_edit::expr::Expression) -> Result<Type, types::TypeError> {
    let mut constant = |d: &hcl_edit::expr::Expression| eval::Eval::new(file, &NoEnv).value(d);
    let Some(text) = e.as_str() else {
        return types::parse(file, e, &mut constant);
    };
    let span = span_of(file, e);
    if !json {
        let message = match text {
            "string" | "list" | "map" => format!(
                "Invalid quoted type constraints: Terraform 0.11 and earlier required type constraints to be given in quotes, but that form is now deprecated and will be removed in a future version of Terraform. Remove the quotes around \"{text}\""
            ),
            _ => "Invalid legacy variable type hint: To provide a full type expression, remove the surrounding quotes and give the type expression directly".to_owned(),
        };
        return Err(types::TypeError { span, message });
    }
    // the expression inside the string: its positions are the string's
    let inner = hcl_edit::parser::parse_expr(text).map_err(|err| types::TypeError {
        span,
        message: format!("Invalid type specification: {}", err.message()),
    })?;
    let mut t = types::parse(file, &inner, &mut |d| {
        let mut n = eval::Eval::new(file, &NoEnv).value(d);
        n.remap_spans(&|_| span);
        n
    })
    .map_err(|e| types::TypeError { span, ..e })?;
    remap_defaults(&mut t, span);
    Ok(t)
}

/// Every span of the defaults of `t` to `span`.
fn remap_defaults(t: &mut Type, span: Span) {
    match t {
        Type::List(e) | Type::Set(e) | Type::Map(e) => remap_defaults(e, span),
        Type::Tuple(ts) => ts.iter_mut().for_each(|t| remap_defaults(t, span)),
        Type::Object(attrs) => {
            for a in attrs {
                remap_defaults(&mut a.ty, span);
                if let Some(d) = &mut a.default {
                    d.remap_spans(&|_| span);
                }
            }
        }
        Type::Any | Type::String | Type::Number | Type::Bool => {}
    }
}

/// The `variable` declarations of module `dir`, by name (a repeated name: the first).
pub(super) fn declarations(world: &World<'_>, dir: &Path) -> BTreeMap<String, Rc<VarDecl>> {
    let mut out = BTreeMap::new();
    for f in world.modules.get(dir).map(Vec::as_slice).unwrap_or_default() {
        let json = world.sources.get(f.id).path.to_string_lossy().ends_with(".json");
        for b in f.body.blocks().filter(|b| b.ident.value().as_str() == "variable") {
            let over = label(b, 0).and_then(|n| world.overrides.get(dir).and_then(|o| o.variable_default(n)));
            if let Some(d) = VarDecl::read(f.id, json, b, over)
                && !out.contains_key(&d.name)
            {
                out.insert(d.name.clone(), Rc::new(d));
            }
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

/// A `--var` / `TF_VAR_` value `raw` of variable `decl` (`None`: a name no variable
/// declares), written at `at` (on the command-line pseudo-file): an HCL expression for a
/// variable of a complex type or `any`, else the string as written (as Terraform reads them).
/// An expression that does not parse, or that is not a constant, is Terraform's error.
pub(super) fn cli_value(at: Span, raw: &str, decl: Option<&VarDecl>) -> Node {
    let Some(d) = decl.filter(|d| d.parses_hcl()) else {
        return Node::new(at, Value::String(raw.to_owned()));
    };
    let refused = |why: String| {
        error(
            at,
            "invalid-value",
            format!(
                "Invalid value for input variable: the value given for `var.{}` on the command line {why}; Terraform rejects it, and rootguard takes `var.{}` as unknown",
                d.name, d.name
            ),
        );
        Node::new(
            at,
            Value::unknown(format!("the value given for `var.{}` on the command line {why}", d.name)),
        )
    };
    let e = match hcl_edit::parser::parse_expr(raw) {
        Ok(e) => e,
        Err(err) => return refused(format!("is not a valid expression ({})", err.message())),
    };
    let mut n = eval::Eval::new(at.file, &NoEnv).value(&e);
    if let Some(why) = n.contains_unknown() {
        return refused(format!("is not a constant ({why})"));
    }
    // positions in `raw` are positions on the command line from `at` on
    n.remap_spans(&|s| {
        let (a, b) = (s.start.min(s.end) as usize, s.end as usize);
        let start = at.start as usize;
        Span::new(at.file, start + a.min(raw.len()), start + b.min(raw.len()))
    });
    n
}

/// The spans of the `--var` values (then the `TF_VAR_` values) on the command-line
/// pseudo-file, which holds one `NAME=VALUE` line for each, in that order (`scan`).
fn cli_spans(cli: FileId, opts: &Options) -> Vec<Span> {
    let mut offset = 0usize;
    opts.vars
        .iter()
        .chain(&opts.env_vars)
        .map(|(k, v)| {
            let start = offset + k.len() + 1;
            offset = start + v.len() + 1;
            Span::new(cli, start, start + v.len())
        })
        .collect()
}

/// The variable values of root module `root`: the `variable` defaults, then `TF_VAR_` values
/// (for declared variables), then the module's own variable files (`terraform.tfvars`,
/// `terraform.tfvars.json`, `*.auto.tfvars(.json)` by name), then the `--var-file`s, then the
/// `--var`s, later ones winning, each converted to its variable's type. An unreadable variable
/// file makes every variable unknown.
pub(super) fn root_values(
    world: &World<'_>,
    root: &Path,
    var_files: &[VarFile],
    cli_var_files: &[VarFile],
    opts: &Options,
    cli: Option<FileId>,
) -> BTreeMap<String, Node> {
    let decls = declarations(world, root);
    let mut given: BTreeMap<String, Node> = BTreeMap::new();
    let spans = cli.map(|c| cli_spans(c, opts)).unwrap_or_default();
    let (var_spans, env_spans) = spans.split_at(spans.len().min(opts.vars.len()));
    // TF_VAR_name values, below every variable file
    for ((k, v), at) in opts.env_vars.iter().zip(env_spans) {
        if let Some(d) = decls.get(k) {
            given.insert(k.clone(), cli_value(*at, v, Some(d)));
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
            let names: Vec<String> = decls.keys().chain(given.keys()).cloned().collect();
            for k in names {
                given.insert(k, Node::new(span, Value::unknown(format!("`{}` {why}", vf.name))));
            }
            continue;
        }
        for (k, v) in &vf.values {
            given.insert(k.clone(), v.clone());
        }
    }
    for ((k, v), at) in opts.vars.iter().zip(var_spans) {
        given.insert(k.clone(), cli_value(*at, v, decls.get(k).map(Rc::as_ref)));
    }
    let mut vars = BTreeMap::new();
    for (name, d) in &decls {
        vars.insert(name.clone(), d.value(given.remove(name), &format!("var.{name}")));
    }
    // values of names no variable declares, as given
    vars.extend(given);
    vars
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Encoding, Sources};
    use crate::tf::dirs::ModuleDirs;
    use crate::tf::testing::at;
    use crate::tf::{Installed, TfFile};

    const DECLARED: &str = "variable \"region\" {\n  default = \"us-east-1\"\n}\n";

    /// The value of `var.region` in the root module `DECLARED`, with variable files `files`
    /// (name, text; `!` for one that could not be parsed), `TF_VAR_region` and `--var`s.
    fn region(files: &[(&str, &str)], env: Option<&str>, vars: &[&str]) -> (String, String) {
        let mut sources = Sources::new();
        let mut model = crate::model::Model::default();
        let id = sources.add("main.tf".into(), "main.tf".into(), DECLARED.to_owned(), Encoding::Utf8);
        let body = crate::tf::parse(id, DECLARED, &mut model).unwrap();
        let tf = [TfFile {
            id,
            dir: PathBuf::new(),
            body,
        }];
        let mut var_files = Vec::new();
        for (name, text) in files {
            let id = sources.add((*name).into(), (*name).to_owned(), (*text).to_owned(), Encoding::Utf8);
            var_files.push(if *text == "!" {
                VarFile::unreadable(id, PathBuf::new(), (*name).to_owned(), "could not be parsed".into())
            } else if name.ends_with(".json") {
                let root = crate::parse::json::parse(id, text, 0).root.unwrap();
                VarFile::from_json(id, PathBuf::new(), (*name).to_owned(), &root)
            } else {
                let body = crate::tf::parse(id, text, &mut model).unwrap();
                VarFile::from_hcl(id, PathBuf::new(), (*name).to_owned(), &body)
            });
        }
        let opts = Options {
            env_vars: env.map(|v| ("region".to_owned(), v.to_owned())).into_iter().collect(),
            vars: vars.iter().map(|v| ("region".to_owned(), (*v).to_owned())).collect(),
            ..Options::default()
        };
        let cli = sources.add("(command line)".into(), "(command line)".into(), String::new(), Encoding::Utf8);
        let modules = [(PathBuf::new(), tf.iter().collect())].into_iter().collect();
        let installed = Installed::new();
        let world = World::new(&sources, modules, &installed, &opts, ModuleDirs::default());
        let values = crate::limits::scoped(|| root_values(&world, Path::new(""), &var_files, &[], &opts, Some(cli))).0;
        let v = &values["region"];
        (v.to_json().to_string(), at(&sources, v.span))
    }

    #[test]
    fn root_variables_take_the_last_value_given() {
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], Option<&'a str>, &'a [&'a str], &'a str, &'a str);
        let cases: &[Case<'_>] = &[
            ("the default", &[], None, &[], "\"us-east-1\"", "main.tf:2:13-2:24 `\"us-east-1\"`"),
            (
                "terraform.tfvars over the default",
                &[("terraform.tfvars", "region = \"eu-west-1\"\n")],
                None,
                &[],
                "\"eu-west-1\"",
                "terraform.tfvars:1:10-1:21 `\"eu-west-1\"`",
            ),
            (
                "*.auto.tfvars after terraform.tfvars.json, whatever their order; other files not at all",
                &[
                    ("b.auto.tfvars", "region = \"eu-west-2\"\n"),
                    ("terraform.tfvars.json", "{\"region\": \"eu-west-1\"}"),
                    ("prod.tfvars", "region = \"ap-south-1\"\n"),
                ],
                None,
                &[],
                "\"eu-west-2\"",
                "b.auto.tfvars:1:10-1:21 `\"eu-west-2\"`",
            ),
            (
                "TF_VAR_ below the variable files",
                &[("terraform.tfvars", "region = \"eu-west-1\"\n")],
                Some("eu-central-1"),
                &[],
                "\"eu-west-1\"",
                "terraform.tfvars:1:10-1:21 `\"eu-west-1\"`",
            ),
            (
                "TF_VAR_ over the default",
                &[],
                Some("eu-central-1"),
                &[],
                "\"eu-central-1\"",
                "(command line):1:1-1:1 `?`",
            ),
            (
                // a variable without a type takes `--var` as a literal string
                "--var over everything, a string for a variable without a type",
                &[("terraform.tfvars", "region = \"eu-west-1\"\n")],
                Some("eu-central-1"),
                &["x", "[\"a\", \"b\"]"],
                "\"[\\\"a\\\", \\\"b\\\"]\"",
                "(command line):1:1-1:1 `?`",
            ),
            (
                "a variable file not parsed makes the value unknown",
                &[("terraform.tfvars", "region = \"eu-west-1\"\n"), ("bad.auto.tfvars", "!")],
                None,
                &[],
                "{\"$unknown\":\"`bad.auto.tfvars` could not be parsed\"}",
                "bad.auto.tfvars:1:1-1:1 ``",
            ),
        ];
        let mut wrong = Vec::new();
        for (name, files, env, vars, want, want_at) in cases {
            let found = region(files, *env, vars);
            if found != ((*want).to_owned(), (*want_at).to_owned()) {
                wrong.push(format!("{name}: {found:?}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}

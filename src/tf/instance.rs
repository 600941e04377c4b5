//! A module instance: a module directory with its variable values, and the values behind its
//! names (`var.`, `local.`, `module.`, `data.`), each evaluated when first read and kept.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;

use super::error::{EvalError, FileError, TemplateError};
use super::eval::{self, Env};
use super::parse::{block_span, label};
use super::vars::VarDecl;
use super::world::World;
use super::{TfFile, policy_document};
use crate::model::{Gate, Via};
use crate::parse::tree::{Is, Node, Unknown, Value};
use crate::source::{FileId, Span};

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
        /// The variable it sets (`None`: the module declares none of that name).
        decl: Option<Rc<VarDecl>>,
    },
}

/// A module call's name and one of its outputs (`None`: all of them).
type OutputKey = (String, Option<String>);

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
    resources: BTreeMap<(String, String), (FileId, &'a Block)>,
    resource_cache: RefCell<BTreeMap<(String, String), Node>>,
    data_blocks: BTreeMap<(String, String), (FileId, &'a Block)>,
    /// The module directories of this instance and of every instance that calls it, root first
    /// (a call back into one of them is a module that calls itself).
    pub lineage: Vec<PathBuf>,
    /// The names of the module calls declared more than once (found when first needed).
    pub(super) duplicate_calls: std::cell::OnceCell<std::collections::BTreeSet<String>>,
}

impl<'w, 'a> Instance<'w, 'a> {
    /// The instance of root module `dir`, with its variable values.
    pub(super) fn root(world: &'w World<'a>, dir: &Path, vars: BTreeMap<String, Node>) -> Self {
        // a variable without a default that nothing gives a value is whatever the module's
        // caller passes (a root module with no caller in the scan is a reusable module)
        let required: Vec<&str> = world
            .modules
            .get(dir)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .flat_map(|f| f.body.blocks())
            .filter(|b| b.ident.value().as_str() == "variable" && b.body.get_attribute("default").is_none())
            .filter_map(|b| label(b, 0))
            .collect();
        let vars = vars
            .into_iter()
            .map(|(k, v)| {
                let v = match &v.value {
                    // the value a variable without a default has when nothing gives one
                    Value::Unknown(u)
                        if required.contains(&k.as_str()) && u.reason == format!("variable `{k}` has no default and no value is given") =>
                    {
                        Node::new(v.span, Unknown::new(u.reason.clone()).is(Is::Input).into())
                    }
                    _ => v,
                };
                (k, VarSrc::Value(v))
            })
            .collect();
        Instance::new(
            world,
            None,
            dir.to_path_buf(),
            String::new(),
            dir.to_path_buf(),
            String::new(),
            vars,
            Vec::new(),
            Vec::new(),
            0,
        )
    }

    #[allow(clippy::too_many_arguments)] // an instance is all of these
    pub(super) fn new(
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
        let mut resources = BTreeMap::new();
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
                            resources.insert((t.to_owned(), n.to_owned()), (f.id, b));
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
        let lineage = vec![dir.clone()];
        // override files replace local values name by name
        if let Some(o) = world.overrides.get(&dir) {
            for (k, file, e) in &o.locals {
                locals.insert(k.clone(), (*file, *e));
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
            resource_cache: RefCell::new(BTreeMap::new()),
            data_blocks,
            lineage,
            duplicate_calls: std::cell::OnceCell::new(),
        }
    }

    /// Evaluate the module arguments whose variable can refuse a value (a type, `nullable =
    /// false`), so that Terraform's error for one it refuses is reported.
    pub fn check_arguments(&self) {
        let args: Vec<(&String, Span)> = self
            .vars
            .iter()
            .filter_map(|(k, src)| match src {
                VarSrc::Arg {
                    file, expr, decl: Some(d), ..
                } if d.constrains() => {
                    let r = hcl_edit::Span::span(*expr).unwrap_or_default();
                    Some((k, Span::new(*file, r.start, r.end)))
                }
                _ => None,
            })
            .collect();
        for (name, at) in args {
            // read where the argument is written: a cycle through it is reported there
            let _ = Env::var(self, name, self.world.depth.get(), at);
        }
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
            VarSrc::Arg { file, expr, iter, decl } => {
                let entered = match self.world.enter(self.address(&format!("var.{name}")), depth, at) {
                    Ok(e) => e,
                    Err(cycle) => return Some(cycle),
                };
                let Some(parent) = self.parent else {
                    return Some(Node::new(at, Value::unknown(format!("`var.{name}` has no calling module"))));
                };
                let mut ev = eval::Eval::new(*file, parent);
                ev.iter.clone_from(iter.as_ref());
                ev.depth = self.world.depth.get();
                let v = ev.value(expr);
                drop(entered);
                let key = self.address(&format!("var.{name}"));
                let v = self.world.settle(&key, v);
                // converted to the variable's type, as Terraform does with a module argument
                let v = match decl {
                    Some(d) => d.value(Some(v), &key),
                    None => v,
                };
                eval::keepable(v, at, &format!("`{key}`"))
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
        // a local whose expression fails fails Terraform's plan, whoever reads it
        if let Err(e) = &r {
            e.report();
        }
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
        let r = match self.duplicate_call(name) {
            Some(why) => Ok(Node::unknown(at, why)),
            None => self.module_output(name, file, b, output, depth, at),
        };
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
            // a data source whose attributes rootguard knows in part (nothing it reads can
            // refer back to it: no cycle to look for)
            let v = super::resources::data_value(self, ty, name, file, b)?;
            let out = eval::copy(&v, at);
            self.data_cache.borrow_mut().insert(key, v);
            return Some(out);
        }
        let over = self.world.overrides.get(&self.dir).map(|o| o.document(name)).unwrap_or_default();
        let expanded = |b: &hcl_edit::structure::Body| b.get_attribute("count").is_some() || b.get_attribute("for_each").is_some();
        if expanded(&b.body) || over.iter().any(|(_, o)| expanded(o)) {
            return None;
        }
        let addr = self.address(&format!("data.{ty}.{name}"));
        let entered = match self.world.enter(addr.clone(), depth, at) {
            Ok(e) => e,
            Err(cycle) => return Some(cycle),
        };
        let (doc, switched) = policy_document::render(self, file, b);
        drop(entered);
        let span = block_span(file, b);
        if let Some(why) = self.world.cyclic.borrow().get(&addr) {
            let v = Node::new(span, Value::unknown(why.clone()));
            self.data_cache.borrow_mut().insert(key, v.clone());
            return Some(v);
        }
        let Some(attributes) = policy_document::attributes(self, doc, switched, span) else {
            return Some(Node::new(at, Value::unknown(crate::limits::spent_reason())));
        };
        let v = eval::keepable(attributes, at, &format!("`{addr}`"));
        let out = eval::copy(&v, at);
        self.data_cache.borrow_mut().insert(key, v);
        Some(out)
    }

    fn resource(&self, ty: &str, name: &str, depth: usize, at: Span) -> Option<Node> {
        let key = (ty.to_owned(), name.to_owned());
        if let Some(v) = self.resource_cache.borrow().get(&key) {
            return Some(eval::copy(v, at));
        }
        let (file, b) = *self.resources.get(&key)?;
        // its `count` / `for_each` and the attributes it is known by may not read it back
        let addr = self.address(&format!("{ty}.{name}"));
        let entered = match self.world.enter(addr.clone(), depth, at) {
            Ok(e) => e,
            Err(cycle) => return Some(cycle),
        };
        let v = super::resources::resource_value(self, ty, name, file, b);
        drop(entered);
        let v = eval::keepable(self.world.settle(&addr, v), at, &format!("`{addr}`"));
        let out = eval::copy(&v, at);
        self.resource_cache.borrow_mut().insert(key, v);
        Some(out)
    }

    fn read_file(&self, path: &str, at: Span) -> Result<String, FileError> {
        self.world.read_file(&self.dir, path, at)
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

//! A Terragrunt configuration evaluated, in Terragrunt's order (§1.0 of the spec,
//! <https://terragrunt.gruntwork.io/docs/reference/hcl/overview>, "Configuration parsing
//! order"): `include` paths first (functions only), the included files' and then the file's own
//! `locals`, the `dependency` blocks (which see `local.*` and exposed includes), then everything
//! else (which also sees `dependency.*`), and last the merge of the included files into the
//! file (see [`super::merge`]).
//!
//! Expressions are evaluated by the Terraform evaluator ([`crate::tf::eval`]) in a [`FileEnv`]:
//! the file's `local.*`, the Terragrunt functions ([`super::functions`]), and `include.*`,
//! `dependency.*`, `feature.*` and `values.*` as iteration variables. An expression that fails
//! where Terragrunt would stop (a function error, a missing include) is a diagnostic, and the
//! unit it belongs to is `unknown`; a value rootguard cannot know (an environment variable, a
//! dependency's real outputs) is an unknown value with its reason.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use super::super::dirs::normalize;
use super::super::error::{EvalError, FileError, TemplateError};
use super::super::eval::{self, Env, Eval};
use super::super::parse::{block_span, label};
use super::error::TgError;
use super::merge::{self, Config, Strategy};
use super::paths;
use crate::model::Model;
use crate::parse::Diagnostic;
use crate::parse::tree::{Entry, Node, Value};
use crate::source::{Confine, FileId, ReadError, Roots, Sources, Span};

/// The command whose behaviour rootguard follows where Terragrunt's depends on one (mock
/// outputs, `extra_arguments`): like the Terraform evaluation, rootguard reads what `plan`
/// would.
pub(super) const COMMAND: &str = "plan";

/// A file read and parsed, or why not.
type Loaded = Result<(FileId, Rc<Body>), TgError>;

/// A configuration read by `read_terragrunt_config`, with the errors met evaluating it.
type ReadConfig = (Result<Node, TgError>, Vec<Diagnostic>);

/// What every evaluation of one scan shares: the files read and parsed (each once), the
/// configurations read by `read_terragrunt_config`, and what went wrong.
pub(crate) struct Run<'s> {
    sources: RefCell<&'s mut Sources>,
    /// The scanned directories, absolute and normalized: nothing outside them is read.
    pub roots: Vec<PathBuf>,
    confine: Roots,
    max_bytes: u64,
    /// The working directory: paths are absolute inside the evaluation (as Terragrunt's
    /// functions return them) and shown relative to it.
    pub cwd: PathBuf,
    /// The files the scan read (with text), by absolute path.
    scanned: BTreeMap<PathBuf, FileId>,
    texts: RefCell<BTreeMap<PathBuf, Result<FileId, TgError>>>,
    parsed: RefCell<BTreeMap<PathBuf, Loaded>>,
    /// `read_terragrunt_config` in progress (innermost last), and the results, with the errors
    /// met while evaluating them.
    reading: RefCell<Vec<PathBuf>>,
    read: RefCell<BTreeMap<PathBuf, ReadConfig>>,
    /// Errors where Terragrunt would stop: diagnostics, and the unit being evaluated is unknown.
    pub failures: RefCell<Vec<Diagnostic>>,
    /// Values rootguard cannot follow where Terragrunt needs them (an include path that is not
    /// known statically): the unit is unknown, without a diagnostic.
    pub unknowns: RefCell<Vec<(Span, String)>>,
    /// Parse diagnostics of the files read.
    pub model: RefCell<Model>,
}

impl<'s> Run<'s> {
    pub(crate) fn new(sources: &'s mut Sources, roots: &[PathBuf], max_bytes: u64) -> Self {
        let cwd = std::env::current_dir().unwrap_or_default();
        let abs: Vec<PathBuf> = roots.iter().map(|r| normalize(&cwd.join(r))).collect();
        let scanned = sources
            .iter()
            .filter(|f| !f.text.is_empty())
            .map(|f| (normalize(&cwd.join(&f.path)), f.id))
            .collect();
        Run {
            scanned,
            sources: RefCell::new(sources),
            confine: Roots::new(roots),
            roots: abs,
            max_bytes,
            cwd,
            texts: RefCell::new(BTreeMap::new()),
            parsed: RefCell::new(BTreeMap::new()),
            reading: RefCell::new(Vec::new()),
            read: RefCell::new(BTreeMap::new()),
            failures: RefCell::new(Vec::new()),
            unknowns: RefCell::new(Vec::new()),
            model: RefCell::new(Model::default()),
        }
    }

    /// `p` absolute and normalized.
    pub(crate) fn abs(&self, p: &Path) -> PathBuf {
        normalize(&self.cwd.join(p))
    }

    /// `p` (absolute) as shown: relative to the working directory when below it.
    pub(crate) fn display(&self, p: &Path) -> String {
        let shown = p.strip_prefix(&self.cwd).unwrap_or(p);
        let s = shown.to_string_lossy().replace('\\', "/");
        if s.is_empty() { ".".into() } else { s }
    }

    /// The text of a source file.
    pub(crate) fn text(&self, id: FileId) -> String {
        self.sources.borrow().get(id).text.clone()
    }

    /// A Terragrunt error at `at`: a diagnostic, and the unit being evaluated is unknown.
    pub(crate) fn fail(&self, at: Span, message: String) {
        self.failures.borrow_mut().push(Diagnostic::error(at, "terragrunt", message));
    }

    /// Read file `abs` (absolute, normalized) once: a file the scan read is taken as read;
    /// another one through the confined reader, inside the scanned tree only.
    pub(crate) fn read_text(&self, abs: &Path) -> Result<FileId, TgError> {
        if let Some(r) = self.texts.borrow().get(abs) {
            return r.clone();
        }
        let r = self.read_uncached(abs);
        self.texts.borrow_mut().insert(abs.to_path_buf(), r.clone());
        r
    }

    fn read_uncached(&self, abs: &Path) -> Result<FileId, TgError> {
        let shown = self.display(abs);
        if let Some(id) = self.scanned.get(abs) {
            return Ok(*id);
        }
        if !paths::inside(abs, &self.roots) {
            return Err(TgError::Outside { path: shown });
        }
        if std::fs::symlink_metadata(abs).is_err() {
            return Err(TgError::NotFound { path: shown });
        }
        let (text, enc) =
            crate::source::read_confined(abs, Confine::Within(&self.confine), self.max_bytes).map_err(|error| match error {
                ReadError::Missing => TgError::NotFound { path: shown.clone() },
                error => TgError::Unreadable {
                    path: shown.clone(),
                    error,
                },
            })?;
        Ok(self.sources.borrow_mut().add(PathBuf::from(&shown), shown, text, enc))
    }

    /// Read and parse HCL file `abs` once; its syntax errors are diagnostics of the scan.
    pub(crate) fn load(&self, abs: &Path) -> Result<(FileId, Rc<Body>), TgError> {
        if let Some(r) = self.parsed.borrow().get(abs) {
            return r.clone();
        }
        let r = self.read_text(abs).and_then(|id| {
            let text = self.text(id);
            let mut m = Model::default();
            let body = super::super::parse(id, &text, &mut m);
            self.model.borrow_mut().extend(m);
            body.map(|b| (id, Rc::new(b)))
                .ok_or_else(|| TgError::Invalid { path: self.display(abs) })
        });
        self.parsed.borrow_mut().insert(abs.to_path_buf(), r.clone());
        r
    }

    /// `read_terragrunt_config(abs)`: the configuration evaluated on its own behalf (its
    /// `get_terragrunt_dir()` is its own directory) as a value, once; the errors met while
    /// evaluating it are the reader's too.
    pub(crate) fn read_config(&self, abs: &Path, original: &Path, at: Span) -> Result<Node, TgError> {
        if let Some((r, failures)) = self.read.borrow().get(abs) {
            self.failures.borrow_mut().extend(failures.iter().cloned());
            return r.clone();
        }
        if self.reading.borrow().iter().any(|p| p == abs) {
            return Err(TgError::Cycle { path: self.display(abs) });
        }
        let max = crate::limits::get().module_depth;
        if self.reading.borrow().len() >= max {
            crate::limits::reached(
                "module-depth",
                max as u64,
                at,
                &format!("`read_terragrunt_config` nests more than {max} files deep here; the value is unknown"),
            );
            return Ok(Node::new(
                at,
                Value::unknown(format!(
                    "`read_terragrunt_config` nests more than {max} files deep (raise --limit module-depth=N)"
                )),
            ));
        }
        self.reading.borrow_mut().push(abs.to_path_buf());
        let mark = self.failures.borrow().len();
        let r = self.evaluate(abs, original).map(|e| e.exposed);
        self.reading.borrow_mut().pop();
        let failures = self.failures.borrow()[mark..].to_vec();
        self.read.borrow_mut().insert(abs.to_path_buf(), (r.clone(), failures));
        r
    }
}

/// One include block, evaluated.
#[derive(Clone, Debug)]
pub(crate) struct Include {
    pub label: String,
    pub path: PathBuf,
    pub expose: bool,
    pub strategy: Strategy,
    pub at: Span,
}

/// A configuration evaluated: its includes merged in.
pub(crate) struct Evaluated {
    pub config: Config,
    /// The configuration as `read_terragrunt_config` returns it.
    pub exposed: Node,
}

/// The context of one file being evaluated on behalf of a configuration.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    /// The configuration on whose behalf it is evaluated (a unit's `terragrunt.hcl`, or a file
    /// read by `read_terragrunt_config`): `get_terragrunt_dir()` is its directory.
    pub config: PathBuf,
    /// The unit that started the evaluation (`get_original_terragrunt_dir()`).
    pub original: PathBuf,
    /// For an included file: its own path (`get_parent_terragrunt_dir()` inside it).
    pub parent: Option<PathBuf>,
}

/// One file's expressions, evaluated on behalf of a configuration.
pub(crate) struct FileEnv<'r, 's> {
    pub run: &'r Run<'s>,
    pub file: FileId,
    pub body: Rc<Body>,
    pub ctx: Ctx,
    /// The include blocks of the configuration (label, path).
    pub includes: RefCell<Vec<(String, PathBuf)>>,
    /// `include`, `dependency`, `feature`, `values`: what the file sees at this stage.
    ns: RefCell<Vec<(String, Node)>>,
    locals: RefCell<BTreeMap<String, Node>>,
    /// The locals under evaluation (a local read again while it is evaluated is a cycle).
    stack: RefCell<Vec<String>>,
}

fn span_of(file: FileId, e: &impl hcl_edit::Span) -> Span {
    e.span().map_or(Span::new(file, 0, 0), |r| Span::new(file, r.start, r.end))
}

fn unknown(span: Span, why: impl Into<String>) -> Node {
    Node::new(span, Value::unknown(why))
}

fn map(span: Span, pairs: Vec<(String, Node)>) -> Node {
    Node::new(
        span,
        Value::Map(
            pairs
                .into_iter()
                .map(|(key, value)| Entry {
                    key,
                    key_span: value.span,
                    value,
                })
                .collect(),
        ),
    )
}

fn blocks<'b>(body: &'b Body, kind: &'b str) -> impl Iterator<Item = &'b Block> + 'b {
    body.blocks().filter(move |b| b.ident.value().as_str() == kind)
}

impl<'r, 's> FileEnv<'r, 's> {
    pub(crate) fn new(run: &'r Run<'s>, file: FileId, body: Rc<Body>, ctx: Ctx) -> Self {
        FileEnv {
            run,
            file,
            body,
            ctx,
            includes: RefCell::new(Vec::new()),
            ns: RefCell::new(Vec::new()),
            locals: RefCell::new(BTreeMap::new()),
            stack: RefCell::new(Vec::new()),
        }
    }

    /// The directory of the configuration (`get_terragrunt_dir()`).
    pub(crate) fn config_dir(&self) -> PathBuf {
        self.ctx.config.parent().map(Path::to_path_buf).unwrap_or_default()
    }

    /// Make `name` (`include`, `dependency`, …) visible as `value`.
    pub(crate) fn set(&self, name: &str, value: Node) {
        let mut ns = self.ns.borrow_mut();
        ns.retain(|(k, _)| k != name);
        ns.push((name.to_owned(), value));
    }

    fn evaluator(&self, depth: usize) -> Eval<'_> {
        let mut ev = Eval::new(self.file, self);
        ev.iter.clone_from(&self.ns.borrow());
        ev.depth = depth;
        ev
    }

    /// The value of `e`; an error is where Terragrunt would stop: a diagnostic, and an unknown
    /// value.
    pub(crate) fn attr(&self, e: &Expression) -> Node {
        let span = span_of(self.file, e);
        match self.evaluator(0).eval(e, 0) {
            Ok(v) => v,
            Err(err) => {
                self.run.fail(span, format!("Terragrunt stops here: {err}"));
                unknown(span, format!("Terragrunt cannot evaluate it: {err}"))
            }
        }
    }

    /// The value of `e`, an error giving an unknown value without a diagnostic (an early look,
    /// evaluated again later).
    fn peek(&self, e: &Expression) -> Node {
        self.evaluator(0).value(e)
    }

    /// Every attribute of block `b`, evaluated, as a map.
    fn block_value(&self, b: &Block) -> Node {
        let pairs = b
            .body
            .attributes()
            .map(|a| (a.key.value().as_str().to_owned(), self.attr(&a.value)))
            .collect();
        map(block_span(self.file, b), pairs)
    }

    /// Every local of the file, evaluated (Terragrunt evaluates them all, used or not), as a map.
    pub(crate) fn all_locals(&self) -> Node {
        let body = Rc::clone(&self.body);
        let mut pairs = Vec::new();
        let mut span = Span::new(self.file, 0, 0);
        for b in blocks(&body, "locals") {
            span = block_span(self.file, b);
            for a in b.body.attributes() {
                let name = a.key.value().as_str();
                let at = span_of(self.file, &a.value);
                if let Some(Ok(v)) = Env::local(self, name, 0, at) {
                    pairs.push((name.to_owned(), v));
                }
            }
        }
        map(span, pairs)
    }

    /// Evaluate the `include` blocks (their paths see functions only).
    pub(crate) fn includes(&self) -> Vec<Include> {
        let body = Rc::clone(&self.body);
        let dir = self.ctx.config.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut out: Vec<Include> = Vec::new();
        for b in blocks(&body, "include") {
            let at = block_span(self.file, b);
            let lbl = label(b, 0).unwrap_or("").to_owned();
            if out.iter().any(|i| i.label == lbl) {
                self.run
                    .fail(at, format!("Terragrunt stops here: a second include block labelled `{lbl}`"));
                continue;
            }
            let Some(p) = b.body.get_attribute("path") else {
                self.run.fail(at, "Terragrunt stops here: the include block has no `path`".into());
                continue;
            };
            let v = self.attr(&p.value);
            let Some(text) = eval::to_text(&v).filter(|_| !eval::is_partial(&v)) else {
                if let Some(why) = v.contains_unknown().map(str::to_owned) {
                    self.run
                        .unknowns
                        .borrow_mut()
                        .push((v.span, format!("the path of include `{lbl}` is not known statically ({why})")));
                } else if !v.is_unknown() {
                    self.run.fail(
                        v.span,
                        format!("Terragrunt stops here: the include path is a {}, not a string", v.kind_name()),
                    );
                }
                continue;
            };
            let path = normalize(&dir.join(&text));
            let expose = match b.body.get_attribute("expose").map(|a| self.attr(&a.value)) {
                None => false,
                Some(Node { value: Value::Bool(x), .. }) => x,
                Some(n) => {
                    self.run
                        .unknowns
                        .borrow_mut()
                        .push((n.span, format!("`expose` of include `{lbl}` is not known statically")));
                    false
                }
            };
            let strategy = match b.body.get_attribute("merge_strategy").map(|a| self.attr(&a.value)) {
                None => Strategy::Shallow,
                Some(n) => self.strategy(&n, &lbl),
            };
            out.push(Include {
                label: lbl,
                path,
                expose,
                strategy,
                at: span_of(self.file, &p.value),
            });
        }
        out
    }

    /// The merge strategy `n` names (a diagnostic when Terragrunt refuses it).
    fn strategy(&self, n: &Node, lbl: &str) -> Strategy {
        if let Some(s) = n.as_str().and_then(Strategy::named) {
            return s;
        }
        if n.is_unknown() {
            self.run
                .unknowns
                .borrow_mut()
                .push((n.span, format!("`merge_strategy` of include `{lbl}` is not known statically")));
        } else {
            self.run.fail(
                n.span,
                format!(
                    "Terragrunt stops here: `merge_strategy` is `{}`; an include merges `shallow`, `deep` or `no_merge`",
                    eval::to_text(n).unwrap_or_else(|| n.kind_name().to_owned())
                ),
            );
        }
        Strategy::NoMerge
    }

    /// `feature "NAME" { default = … }` blocks (evaluated before the locals: functions only).
    fn features(&self) -> Vec<(String, Node)> {
        let body = Rc::clone(&self.body);
        blocks(&body, "feature")
            .map(|b| {
                let name = label(b, 0).unwrap_or("").to_owned();
                let v = b
                    .body
                    .get_attribute("default")
                    .map_or_else(|| Node::new(block_span(self.file, b), Value::Null), |a| self.attr(&a.value));
                (name, v)
            })
            .collect()
    }

    /// `dependency "NAME" { … }` blocks, their attributes evaluated.
    fn dependencies(&self) -> Vec<(String, Node)> {
        let body = Rc::clone(&self.body);
        blocks(&body, "dependency")
            .map(|b| (label(b, 0).unwrap_or("").to_owned(), self.block_value(b)))
            .collect()
    }

    /// `inputs`, `terraform`, `generate`, `skip` and `exclude`, evaluated (with `dependency.*`).
    fn config(&self, dependencies: Vec<(String, Node)>, features: Vec<(String, Node)>) -> Config {
        let body = Rc::clone(&self.body);
        let mut c = Config {
            dependencies,
            features,
            ..Config::default()
        };
        c.inputs = body.get_attribute("inputs").map(|a| self.attr(&a.value));
        c.skip = body.get_attribute("skip").map(|a| self.attr(&a.value));
        for t in blocks(&body, "terraform") {
            if let Some(a) = t.body.get_attribute("source") {
                c.source = Some(self.attr(&a.value));
            }
            for x in blocks(&t.body, "extra_arguments") {
                c.extra_arguments.push((label(x, 0).unwrap_or("").to_owned(), self.block_value(x)));
            }
        }
        for g in blocks(&body, "generate") {
            c.generate.push((label(g, 0).unwrap_or("").to_owned(), self.block_value(g)));
        }
        if let Some(x) = blocks(&body, "exclude").last() {
            c.exclude = Some(self.block_value(x));
        }
        c
    }
}

/// `dependency.NAME` as a configuration sees it: `outputs` are the `mock_outputs` when they
/// are allowed for [`COMMAND`] (§1.7: `shouldReturnMockOutputs`), else unknown (the real
/// outputs exist only once the dependency is applied); `inputs` are not read.
pub(crate) fn dependency_value(name: &str, attrs: &Node, shown: impl Fn(&str) -> String) -> Node {
    let span = attrs.span;
    let path = attrs.get("config_path").and_then(eval::to_text).map(|p| shown(&p));
    let target = path.as_deref().map_or_else(|| "its unit".to_owned(), |p| format!("`{p}`"));
    let allowed = match attrs.get("mock_outputs_allowed_terraform_commands").map(|n| &n.value) {
        None => Ok(true),
        Some(Value::Seq(cmds)) => Ok(cmds.is_empty() || cmds.iter().any(|c| c.as_str() == Some(COMMAND))),
        Some(Value::Unknown(r)) => Err(r.clone()),
        Some(_) => Ok(false),
    };
    let outputs = match (attrs.get("mock_outputs"), allowed) {
        (Some(m), Ok(true)) => m.clone(),
        (Some(_), Ok(false)) => unknown(
            span,
            format!(
                "`dependency.{name}.outputs` are the outputs of {target} once it is applied; its `mock_outputs` are not allowed for `{COMMAND}`"
            ),
        ),
        (Some(_), Err(why)) => unknown(
            span,
            format!(
                "whether `dependency.{name}` may use its `mock_outputs` is not known ({})",
                why.reason
            ),
        ),
        (None, _) => unknown(
            span,
            format!(
                "`dependency.{name}.outputs` are the outputs of {target} once it is applied, which rootguard cannot know (the block has no `mock_outputs`)"
            ),
        ),
    };
    let mut pairs = vec![
        ("outputs".to_owned(), outputs),
        (
            "inputs".to_owned(),
            unknown(
                span,
                format!("rootguard does not read the inputs of {target} through `dependency.{name}.inputs`"),
            ),
        ),
    ];
    if let Some(p) = attrs.get("config_path") {
        pairs.push(("config_path".to_owned(), p.clone()));
    }
    map(span, pairs)
}

/// A configuration as `read_terragrunt_config` and an exposed include show it (§1.6, the
/// keys of `TerragruntConfigAsCty` that rootguard evaluates).
fn exposed(locals: &Node, c: &Config, deps: Option<&Node>, span: Span) -> Node {
    let mut pairs = vec![("locals".to_owned(), locals.clone())];
    if let Some(i) = &c.inputs {
        pairs.push(("inputs".to_owned(), i.clone()));
    }
    if let Some(s) = &c.source {
        pairs.push(("terraform".to_owned(), map(s.span, vec![("source".to_owned(), s.clone())])));
    }
    if let Some(d) = deps {
        pairs.push(("dependency".to_owned(), d.clone()));
    }
    if !c.features.is_empty() {
        pairs.push(("feature".to_owned(), feature_value(&c.features, span)));
    }
    map(span, pairs)
}

fn feature_value(features: &[(String, Node)], span: Span) -> Node {
    map(
        span,
        features
            .iter()
            .map(|(n, v)| (n.clone(), map(v.span, vec![("value".to_owned(), v.clone())])))
            .collect(),
    )
}

/// `include.*`: a map of the exposed includes by label, or a single bare exposed include at
/// the top (§1.3, `includeMapAsCtyVal`).
fn include_value(includes: &[Include], values: &[Node], span: Span) -> Node {
    if let ([i], [v]) = (includes, values)
        && i.label.is_empty()
        && i.expose
    {
        return v.clone();
    }
    map(
        span,
        includes
            .iter()
            .zip(values)
            .filter(|(i, _)| i.expose)
            .map(|(i, v)| (i.label.clone(), v.clone()))
            .collect(),
    )
}

impl Run<'_> {
    /// Evaluate the configuration at `path` (absolute) on its own behalf, its includes merged.
    pub(crate) fn evaluate(&self, path: &Path, original: &Path) -> Result<Evaluated, TgError> {
        let (file, body) = self.load(path)?;
        let ctx = Ctx {
            config: path.to_path_buf(),
            original: original.to_path_buf(),
            parent: None,
        };
        let child = FileEnv::new(self, file, body, ctx.clone());
        let start = Span::new(file, 0, 0);
        let values = unknown(
            start,
            "`values` are set by a Terragrunt stack (`terragrunt.stack.hcl`), which rootguard does not expand",
        );
        child.set("values", values.clone());
        // 1. the includes, and the files they name (one level only)
        let includes = child.includes();
        *child.includes.borrow_mut() = includes.iter().map(|i| (i.label.clone(), i.path.clone())).collect();
        let mut parents: Vec<(Include, FileEnv<'_, '_>)> = Vec::new();
        for inc in &includes {
            let (pf, pb) = match self.load(&inc.path) {
                Ok(x) => x,
                Err(e) => {
                    let what = if inc.label.is_empty() {
                        "the include".to_owned()
                    } else {
                        format!("include `{}`", inc.label)
                    };
                    self.fail(inc.at, format!("Terragrunt stops here: {what}: {e}"));
                    continue;
                }
            };
            if let Some(nested) = blocks(&pb, "include").next() {
                self.fail(
                    block_span(pf, nested),
                    format!(
                        "Terragrunt stops here: `{}` is included by `{}` and has an include block of its own; Terragrunt includes one level only",
                        self.display(&inc.path),
                        self.display(path)
                    ),
                );
            }
            let penv = FileEnv::new(
                self,
                pf,
                pb,
                Ctx {
                    parent: Some(inc.path.clone()),
                    ..ctx.clone()
                },
            );
            penv.includes.borrow_mut().clone_from(&child.includes.borrow());
            penv.set("values", values.clone());
            parents.push((inc.clone(), penv));
        }
        let includes: Vec<Include> = parents.iter().map(|(i, _)| i.clone()).collect();
        // 2. feature flags (merged by name, the child's winning), then the locals of each file
        let mut features: Vec<(String, Node)> = Vec::new();
        for (_, p) in &parents {
            features = merge::by_name(&features, p.features(), false);
        }
        let own_features = child.features();
        features = merge::by_name(&features, own_features.clone(), false);
        let fv = feature_value(&features, start);
        child.set("feature", fv.clone());
        for (_, p) in &parents {
            p.set("feature", fv.clone());
        }
        let parent_locals: Vec<Node> = parents.iter().map(|(_, p)| p.all_locals()).collect();
        // what the child's locals and dependency blocks see of the exposed includes: their
        // locals, and their other values without dependency outputs (Terragrunt forbids those
        // there)
        let early_deps = unknown(start, "`dependency` outputs are not available in `locals` and `include` blocks");
        let early: Vec<Node> = parents
            .iter()
            .zip(&parent_locals)
            .map(|((_, p), l)| {
                p.set("dependency", early_deps.clone());
                let c = Config {
                    inputs: p.body.get_attribute("inputs").map(|a| p.peek(&a.value)),
                    ..Config::default()
                };
                exposed(l, &c, None, start)
            })
            .collect();
        child.set("include", include_value(&includes, &early, start));
        child.set("dependency", early_deps);
        let locals = child.all_locals();
        // 3. dependency blocks, merged like the includes say
        let mut deps = child.dependencies();
        for ((inc, p), _) in parents.iter().zip(&parent_locals).rev() {
            deps = match inc.strategy {
                Strategy::NoMerge => deps,
                Strategy::Shallow => merge::by_name(&p.dependencies(), deps, false),
                Strategy::Deep => merge::by_name(&p.dependencies(), deps, true),
            };
        }
        let shown = |p: &str| {
            let abs = normalize(&path.parent().unwrap_or(Path::new("")).join(p));
            self.display(&abs)
        };
        let dep_ns = map(
            start,
            deps.iter().map(|(n, a)| (n.clone(), dependency_value(n, a, shown))).collect(),
        );
        // 4. everything else, with `dependency.*`; then the merge, the last include first
        let mut finals = Vec::new();
        for (_, p) in &parents {
            p.set("dependency", dep_ns.clone());
            finals.push(p.config(Vec::new(), Vec::new()));
        }
        let full: Vec<Node> = finals
            .iter()
            .zip(&parent_locals)
            .map(|(c, l)| exposed(l, c, Some(&dep_ns), start))
            .collect();
        child.set("include", include_value(&includes, &full, start));
        child.set("dependency", dep_ns.clone());
        let mut merged = child.config(Vec::new(), own_features);
        for ((inc, _), parent) in parents.iter().zip(&finals).rev() {
            merged = merge::merge(parent, merged, inc.strategy);
        }
        merged.dependencies = deps;
        merged.features = features;
        let exposed = exposed(&locals, &merged, Some(&dep_ns), start);
        Ok(Evaluated { config: merged, exposed })
    }

    /// The files the configuration at `path` includes (an early look: nothing is reported).
    pub(crate) fn included_by(&self, path: &Path) -> Vec<PathBuf> {
        let Ok((file, body)) = self.load(path) else {
            return Vec::new();
        };
        let (failures, unknowns) = (self.failures.borrow().len(), self.unknowns.borrow().len());
        let env = FileEnv::new(
            self,
            file,
            body,
            Ctx {
                config: path.to_path_buf(),
                original: path.to_path_buf(),
                parent: None,
            },
        );
        let out = env.includes().into_iter().map(|i| i.path).collect();
        self.failures.borrow_mut().truncate(failures);
        self.unknowns.borrow_mut().truncate(unknowns);
        out
    }
}

impl Env for FileEnv<'_, '_> {
    fn local(&self, name: &str, depth: usize, at: Span) -> Option<Result<Node, EvalError>> {
        if let Some(v) = self.locals.borrow().get(name) {
            return Some(Ok(eval::copy(v, at)));
        }
        let body = Rc::clone(&self.body);
        let expr = &blocks(&body, "locals")
            .flat_map(|b| b.body.attributes())
            .find(|a| a.key.value().as_str() == name)?
            .value;
        if let Some(i) = self.stack.borrow().iter().position(|k| k == name) {
            let chain: Vec<String> = self.stack.borrow()[i..].iter().map(|k| format!("local.{k}")).collect();
            self.run.fail(
                at,
                format!(
                    "Terragrunt stops here: Cycle: {}: these locals refer to each other",
                    chain.join(", ")
                ),
            );
            return Some(Ok(unknown(at, "a reference cycle")));
        }
        self.stack.borrow_mut().push(name.to_owned());
        let span = span_of(self.file, expr);
        let r = self.evaluator(depth).eval(expr, depth);
        self.stack.borrow_mut().pop();
        let v = match r {
            Ok(v) => eval::keepable(v, at, &format!("`local.{name}`")),
            Err(err) => {
                self.run.fail(span, format!("Terragrunt stops here: `local.{name}`: {err}"));
                unknown(span, format!("`local.{name}` cannot be evaluated: {err}"))
            }
        };
        let out = eval::copy(&v, at);
        self.locals.borrow_mut().insert(name.to_owned(), v);
        Some(Ok(out))
    }

    fn read_file(&self, path: &str, _at: Span) -> Result<String, FileError> {
        let abs = normalize(&self.config_dir().join(path));
        match self.run.read_text(&abs) {
            Ok(id) => Ok(self.run.text(id)),
            Err(TgError::Outside { .. }) => Err(FileError::Outside(path.to_owned())),
            Err(TgError::Unreadable { error, .. }) => Err(FileError::Unreadable {
                path: path.to_owned(),
                error,
            }),
            Err(_) => Err(FileError::Unreadable {
                path: path.to_owned(),
                error: ReadError::Missing,
            }),
        }
    }

    fn render_template(&self, text: &str, vars: &Node, span: Span) -> Result<Node, EvalError> {
        if crate::limits::bracket_depth(text) > crate::limits::get().depth {
            return Err(TemplateError::TooDeep.into());
        }
        let quoted = format!("<<EOT\n{text}\nEOT");
        let expr = hcl_edit::parser::parse_expr(&quoted).map_err(TemplateError::Syntax)?;
        let mut ev = Eval::new(span.file, self);
        for e in vars.as_map().unwrap_or_default() {
            ev.iter.push((e.key.clone(), e.value.clone()));
        }
        let mut n = ev.eval(&expr, 0)?;
        n.remap_spans(&|_| span);
        if let Value::String(s) = &mut n.value
            && s.ends_with('\n')
            && !text.ends_with('\n')
        {
            s.pop();
        }
        Ok(n)
    }

    fn function(&self, name: &str, args: &[Node], span: Span) -> Option<Result<Node, EvalError>> {
        super::functions::call(self, name, args, span)
    }
}

//! Terraform expression evaluation over `hcl-edit` expressions, into spanned [`Node`]s.
//!
//! Values only known after apply (resource attributes, most data sources) are
//! `Value::Unknown` and propagate; Terraform errors (a missing key, a bad argument) are `Err`,
//! which `try` and `can` observe like Terraform does.
//!
//! An unknown value keeps what is known of it (`tree::Unknown`): whether only apply decides it,
//! and what it is, such as the id of the organization's root, an OU or an account, or a
//! resource's object whose configured attributes are known (`Env::resource`). Whatever moves a
//! value without reading it (a reference, a collection, an attribute or element, a splat, a
//! `for` expression, a conditional that picks a branch, `try` and the functions of
//! `functions::mover`) keeps it; whatever reads it (an operator, a template, any other
//! function) gives an unknown that keeps only its reason and whether only apply decides it.

use std::collections::BTreeMap;

use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Directive, Element, Strip, Template};

use super::error::{BadIndex, EvalError, FileError, Operator};
use crate::parse::tree::{Entry, IdOf, Is, Node, Unknown, Value};
use crate::source::{FileId, Span};

/// What an interpolation known only after apply leaves in a string.
pub const PLACEHOLDER: &str = "${…}";

/// A string holding a placeholder: partly known, never equal to anything for sure.
#[must_use]
pub fn is_partial(n: &Node) -> bool {
    matches!(&n.value, Value::String(s) if s.contains("${"))
}

/// What an expression can see.
/// The defaults describe an environment of constants: no variables, locals, modules, data
/// sources or resources.
///
/// The values behind a name (`var.`, `local.`, `module.`, `data.`) are evaluated when first
/// read, each on its own, like Terraform evaluates one graph node per attribute. `depth` is the
/// nesting of the evaluation that reads them (it carries on into theirs, so that a chain of
/// references through locals and modules is bounded like one deep expression); `at` is where
/// the reference is written (a reference cycle is reported there).
pub trait Env {
    /// `var.NAME`
    fn var(&self, _name: &str, _depth: usize, _at: Span) -> Option<Node> {
        None
    }
    /// `local.NAME`
    fn local(&self, _name: &str, _depth: usize, _at: Span) -> Option<Result<Node, EvalError>> {
        None
    }
    /// `module.NAME.OUTPUT`, or with `output` `None` the object of all outputs of `module.NAME`;
    /// `None` when there is no such module call, `Err` when it has no such output.
    fn module(&self, _name: &str, _output: Option<&str>, _depth: usize, _at: Span) -> Option<Result<Node, EvalError>> {
        None
    }
    /// `data.TYPE.NAME` (an object of attributes)
    fn data(&self, _ty: &str, _name: &str, _depth: usize, _at: Span) -> Option<Node> {
        None
    }
    /// `TYPE.NAME` of a resource of this module: an object whose attributes are known where
    /// the configuration decides them (`Is::Object`), or a list (`count`) or map (`for_each`)
    /// of them; `None` when the module declares no such resource.
    fn resource(&self, _ty: &str, _name: &str, _depth: usize, _at: Span) -> Option<Node> {
        None
    }
    /// Read a file relative to the module directory, inside the scanned root.
    fn read_file(&self, path: &str, at: Span) -> Result<String, FileError>;
    /// `path.module` and friends.
    fn path(&self, _which: &str) -> Option<String> {
        None
    }
    /// Remember the structure behind a `jsonencode` result located at `span`.
    fn keep_structured(&self, _span: Span, _doc: Node) {}
    /// Render a `templatefile` template with its variables.
    fn render_template(&self, text: &str, vars: &Node, span: Span) -> Result<Node, EvalError>;
    /// A function of this environment's own (Terragrunt's `find_in_parent_folders`, …), asked
    /// for a name that is not a Terraform function; `None` when it has no such function.
    fn function(&self, _name: &str, _args: &[Node], _span: Span) -> Option<Result<Node, EvalError>> {
        None
    }
}

/// Evaluates expressions of one file.
pub struct Eval<'a> {
    pub file: FileId,
    pub env: &'a dyn Env,
    /// Iteration variables (`each`, `count`, for-expression variables), innermost last.
    pub iter: Vec<(String, Node)>,
    /// The nesting this evaluation starts at (a value read through a reference continues the
    /// nesting of the expression that reads it).
    pub depth: usize,
}

type R = Result<Node, EvalError>;

/// The value at hand when the evaluation budget is spent.
fn spent(span: Span) -> R {
    unknown(span, crate::limits::spent_reason())
}

/// A copy of a stored value (a local, a variable, an iteration variable), charged by its size;
/// unknown when the budget cannot pay for it.
#[must_use]
pub fn copy(v: &Node, at: Span) -> Node {
    if crate::limits::charge_copy(v, at) {
        v.clone()
    } else {
        Node::unknown(at, crate::limits::spent_reason())
    }
}

/// A value about to be kept for later reads (a local, a module input or output, a data source):
/// one nested deeper than the `depth` limit is unknown instead, so that no value grows deeper
/// through references than the program can walk.
#[must_use]
pub fn keepable(v: Node, at: Span, what: &str) -> Node {
    let limit = crate::limits::get().depth;
    let (_, depth) = crate::limits::measure(&v, u64::MAX);
    if depth <= limit {
        return v;
    }
    crate::limits::reached(
        "depth",
        limit as u64,
        at,
        &format!("{what} is a value nested more than {limit} levels deep; it is unknown"),
    );
    Node::unknown(
        v.span,
        format!("{what} is nested more than {limit} levels deep (raise --limit depth=N)"),
    )
}

fn sp(file: FileId, r: Option<std::ops::Range<usize>>) -> Span {
    r.map_or(Span::new(file, 0, 0), |r| Span::new(file, r.start, r.end))
}

#[allow(clippy::unnecessary_wraps)] // reads as a result at every call site
fn unknown(span: Span, why: impl Into<String>) -> R {
    Ok(Node::unknown(span, why))
}

/// The unknown value of an expression that reads the unknown value `u` (an attribute, an
/// element, an operation): unknown for the same reason, and known only after apply when `u`
/// is; what `u` is does not carry over.
#[allow(clippy::unnecessary_wraps)] // reads as a result at every call site
fn unknown_from(span: Span, u: &Unknown) -> R {
    Ok(Node::new(span, u.derived().into()))
}

/// The kind of Organizations id a value is: an id known after apply, or a known id's text.
#[must_use]
pub fn id_of(n: &Node) -> Option<IdOf> {
    match &n.value {
        Value::Unknown(u) => u.id_of(),
        Value::String(t) => match crate::model::cfn::classify_target(t) {
            crate::model::TargetKind::Root => Some(IdOf::Root),
            crate::model::TargetKind::Ou => Some(IdOf::Ou),
            crate::model::TargetKind::Account => Some(IdOf::Account),
            _ => None,
        },
        _ => None,
    }
}

/// Text of a known scalar, as Terraform converts it to a string.
#[must_use]
pub fn to_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) | Value::Number(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn truthy(n: &Node) -> Option<bool> {
    match &n.value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

fn num(n: &Node) -> Option<f64> {
    match &n.value {
        Value::Number(s) | Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn num_node(span: Span, f: f64) -> Node {
    let s = if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    };
    Node::new(span, Value::Number(s))
}

fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Number(x), Value::Number(y)) => x.parse::<f64>().ok() == y.parse::<f64>().ok(),
        _ => a.to_json() == b.to_json(),
    }
}

impl<'a> Eval<'a> {
    /// An evaluator of expressions of `file` in `env`, at nesting 0, without iteration variables.
    #[must_use]
    pub fn new(file: FileId, env: &'a dyn Env) -> Self {
        Eval {
            file,
            env,
            iter: Vec::new(),
            depth: 0,
        }
    }
}

impl Eval<'_> {
    fn span(&self, r: Option<std::ops::Range<usize>>) -> Span {
        sp(self.file, r)
    }

    /// Evaluate, turning errors into unknowns (for attribute values).
    #[must_use]
    pub fn value(&mut self, e: &Expression) -> Node {
        let span = self.span(e.span());
        self.eval(e, self.depth).unwrap_or_else(|err| {
            // an error no `try` caught fails Terraform's plan: the ones rootguard reports
            err.report();
            Node::unknown(span, format!("evaluation error: {err}"))
        })
    }

    /// Evaluate `e` at nesting `depth`. A limit reached (nesting, budget, sizes) or a reference
    /// cycle gives an unknown value, never an error: `try` and `can` must not turn it into a
    /// known fallback.
    pub fn eval(&mut self, e: &Expression, depth: usize) -> R {
        let span = self.span(e.span());
        let limit = crate::limits::get().depth;
        if depth > limit {
            crate::limits::reached(
                "depth",
                limit as u64,
                span,
                &format!(
                    "expressions and the references they read (locals, module inputs and outputs, data sources) nest more than {limit} levels deep here; the value is unknown"
                ),
            );
            return unknown(
                span,
                format!("evaluation nested more than {limit} levels deep (raise --limit depth=N)"),
            );
        }
        if !crate::limits::step(span) {
            return spent(span);
        }
        let d = depth + 1;
        match e {
            Expression::Null(_) => Ok(Node::new(span, Value::Null)),
            Expression::Bool(b) => Ok(Node::new(span, Value::Bool(*b.value()))),
            Expression::Number(n) => Ok(Node::new(span, Value::Number(n.value().to_string()))),
            Expression::String(s) => {
                let v = s.value();
                if !crate::limits::charge_bytes(v.len(), span) {
                    return spent(span);
                }
                Ok(Node::new(span, Value::String(v.clone())))
            }
            Expression::Array(a) => {
                if !crate::limits::charge(crate::limits::VALUE.saturating_mul(a.len() as u64), span) {
                    return spent(span);
                }
                let mut items = Vec::with_capacity(a.len());
                for x in a {
                    items.push(self.eval(x, d)?);
                }
                Ok(Node::new(span, Value::Seq(items)))
            }
            Expression::Object(o) => {
                if !crate::limits::charge(crate::limits::VALUE.saturating_mul(o.len() as u64), span) {
                    return spent(span);
                }
                let mut entries = Keyed::default();
                for (k, v) in o {
                    let (key, key_span) = match k {
                        ObjectKey::Ident(i) => (i.value().as_str().to_owned(), self.span(i.span())),
                        ObjectKey::Expression(x) => {
                            let kn = self.eval(x, d)?;
                            match to_text(&kn) {
                                Some(t) => (t, kn.span),
                                None => return unknown(span, "an object key known only after apply"),
                            }
                        }
                    };
                    let value = self.eval(v.expr(), d)?;
                    entries.put(Entry { key, key_span, value });
                }
                Ok(Node::new(span, Value::Map(entries.into_entries())))
            }
            Expression::StringTemplate(t) => self.template(t, span, d),
            Expression::HeredocTemplate(h) => self.template(&h.template, span, d),
            Expression::Parenthesis(p) => self.eval(p.inner(), d),
            Expression::Variable(v) => self.variable(v.value().as_str(), span, d),
            Expression::Conditional(c) => {
                let mut cond = self.eval(&c.cond_expr, d)?;
                if is_partial(&cond) {
                    cond = Node::unknown(cond.span, "the condition depends on a value known after apply");
                }
                if let Value::Unknown(u) = &cond.value {
                    let (a, b) = (self.eval(&c.true_expr, d), self.eval(&c.false_expr, d));
                    return Ok(undecided(span, u, a, b));
                }
                match truthy(&cond) {
                    Some(true) => self.eval(&c.true_expr, d),
                    Some(false) => self.eval(&c.false_expr, d),
                    None => Err(EvalError::ConditionNotBool(cond.kind_name())),
                }
            }
            Expression::FuncCall(f) => {
                let name = f.name.name.value().as_str();
                if !f.name.namespace.is_empty() {
                    return unknown(span, format!("provider function `{name}` is not evaluated"));
                }
                if name == "try" {
                    for a in &f.args {
                        if let Ok(v) = self.eval(a, d) {
                            return Ok(v);
                        }
                    }
                    return Err(EvalError::TryFailed);
                }
                if name == "can" {
                    let Some(a) = f.args.iter().next() else {
                        return Ok(Node::new(span, Value::Bool(false)));
                    };
                    return match self.eval(a, d) {
                        // like Terraform: `can` of a value not known yet is not known either
                        Ok(Node {
                            value: Value::Unknown(u), ..
                        }) => unknown_from(span, &u),
                        r => Ok(Node::new(span, Value::Bool(r.is_ok()))),
                    };
                }
                let mut args = Vec::new();
                for a in &f.args {
                    args.push(self.eval(a, d)?);
                }
                if f.args.expand_final()
                    && let Some(last) = args.pop()
                {
                    match last.value {
                        Value::Seq(items) => args.extend(items),
                        Value::Unknown(u) => return unknown_from(span, &u),
                        _ => return Err(EvalError::ExpandNotList),
                    }
                }
                super::functions::call(name, span, &args, self.env)
            }
            Expression::Traversal(t) => {
                let mut cur = match &t.expr {
                    Expression::Variable(v) => {
                        let root = v.value().as_str();
                        // references with a fixed shape: data sources, modules, resources
                        let names: Vec<&str> = t
                            .operators
                            .iter()
                            .map_while(|o| match o.value() {
                                TraversalOperator::GetAttr(i) => Some(i.value().as_str()),
                                _ => None,
                            })
                            .collect();
                        match (root, names.as_slice()) {
                            ("data", [ty, name, ..]) => {
                                let base = self
                                    .env
                                    .data(ty, name, d, span)
                                    .unwrap_or_else(|| Node::unknown(span, format!("`data.{ty}.{name}` is read at plan or apply time")));
                                return self.apply_ops(base, &t.operators[2..], span, d);
                            }
                            ("module", [name, output, ..]) => {
                                let base = match self.env.module(name, Some(output), d, span) {
                                    Some(r) => r?,
                                    None => Node::unknown(span, format!("module `{name}` is not known")),
                                };
                                return self.apply_ops(base, &t.operators[2..], span, d);
                            }
                            ("module", [name]) => {
                                let base = match self.env.module(name, None, d, span) {
                                    Some(r) => r?,
                                    None => Node::unknown(span, format!("module `{name}` is not known")),
                                };
                                return self.apply_ops(base, &t.operators[1..], span, d);
                            }
                            // a resource of this module (no resource type is one of Terraform's
                            // own names)
                            (ty, [name, ..])
                                if !matches!(ty, "path" | "terraform" | "var" | "local" | "each" | "count" | "self")
                                    && let Some(base) = self.env.resource(ty, name, d, span) =>
                            {
                                return self.apply_ops(base, &t.operators[1..], span, d);
                            }
                            ("path", [which, ..]) => {
                                return match self.env.path(which) {
                                    Some(p) => Ok(Node::new(span, Value::String(p))),
                                    None => unknown(span, format!("`path.{which}` is not known")),
                                };
                            }
                            ("terraform", _) => return unknown(span, "`terraform.*` is known at plan time"),
                            ("var", [name, ..]) => {
                                let base = self
                                    .env
                                    .var(name, d, span)
                                    .ok_or_else(|| EvalError::NoVariable((*name).to_owned()))?;
                                return self.apply_ops(base, &t.operators[1..], span, d);
                            }
                            ("local", [name, ..]) => {
                                let base = match self.env.local(name, d, span) {
                                    Some(r) => r?,
                                    None => return Err(EvalError::NoLocal((*name).to_owned())),
                                };
                                return self.apply_ops(base, &t.operators[1..], span, d);
                            }
                            _ => self.eval(&t.expr, d)?,
                        }
                    }
                    other => self.eval(other, d)?,
                };
                cur = self.apply_ops(cur, &t.operators, span, d)?;
                Ok(cur)
            }
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr, d)?;
                if let Value::Unknown(x) = &v.value {
                    return unknown_from(span, x);
                }
                match u.operator.value() {
                    UnaryOperator::Not => truthy(&v)
                        .map(|b| Node::new(span, Value::Bool(!b)))
                        .ok_or(EvalError::Operand(Operator::Not)),
                    UnaryOperator::Neg => num(&v).map(|f| num_node(span, -f)).ok_or(EvalError::Operand(Operator::Negate)),
                }
            }
            Expression::BinaryOp(b) => {
                let op = *b.operator.value();
                let l = self.eval(&b.lhs_expr, d)?;
                // short-circuit like Terraform does for known booleans
                if matches!(op, BinaryOperator::And | BinaryOperator::Or) {
                    let lb = truthy(&l);
                    if op == BinaryOperator::And && lb == Some(false) {
                        return Ok(Node::new(span, Value::Bool(false)));
                    }
                    if op == BinaryOperator::Or && lb == Some(true) {
                        return Ok(Node::new(span, Value::Bool(true)));
                    }
                }
                let r = self.eval(&b.rhs_expr, d)?;
                binary(op, &l, &r, span)
            }
            Expression::ForExpr(f) => {
                let coll = self.eval(&f.intro.collection_expr, d)?;
                // every element is copied into the iteration variables
                if !crate::limits::charge_copy(&coll, span) {
                    return spent(span);
                }
                let pairs = match iterated(&coll, None) {
                    Iterated::Pairs(pairs) => pairs,
                    Iterated::Unknown(r) => return unknown_from(span, &r),
                    Iterated::Other => return Err(EvalError::ForCollection),
                };
                let kv = f.intro.key_var.as_ref().map(|k| k.value().as_str().to_owned());
                let vv = f.intro.value_var.value().as_str().to_owned();
                let mut seq = Vec::new();
                let mut map: Vec<Entry> = Vec::new();
                let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
                for (k, v) in pairs {
                    let n = self.iter.len();
                    if let Some(kv) = &kv {
                        self.iter.push((kv.clone(), k));
                    }
                    self.iter.push((vv.clone(), v));
                    let res = (|| -> Result<ForElement, EvalError> {
                        if let Some(c) = &f.cond {
                            let cv = self.eval(&c.expr, d)?;
                            match (truthy(&cv), &cv.value) {
                                (Some(false), _) => return Ok(ForElement::Skipped),
                                (Some(true), _) => {}
                                (None, Value::Unknown(u)) => return Ok(ForElement::Unknown(u.derived())),
                                _ => return Err(EvalError::ForCondition),
                            }
                        }
                        let key = match &f.key_expr {
                            Some(ke) => Some(self.eval(ke, d)?),
                            None => None,
                        };
                        Ok(ForElement::Item(key, self.eval(&f.value_expr, d)?))
                    })();
                    self.iter.truncate(n);
                    match res {
                        Ok(ForElement::Skipped) => {}
                        Ok(ForElement::Unknown(u)) => return unknown_from(span, &u),
                        Ok(ForElement::Item(None, v)) => seq.push(v),
                        Ok(ForElement::Item(Some(k), v)) => {
                            let Some(key) = to_text(&k).filter(|_| !is_partial(&k)) else {
                                // an object whose keys are known only after apply is such a value
                                // as a whole (`for_each` refuses it)
                                let apply = k.as_unknown().is_some_and(|u| u.after_apply);
                                return Ok(Node::new(
                                    span,
                                    Unknown::new("a `for` key known only after apply").after_apply(apply).into(),
                                ));
                            };
                            if f.grouping {
                                if let Some(e) = at.get(&key).and_then(|&i| map.get_mut(i)) {
                                    if let Value::Seq(s) = &mut e.value.value {
                                        s.push(v);
                                    }
                                } else {
                                    at.insert(key.clone(), map.len());
                                    map.push(Entry {
                                        key,
                                        key_span: k.span,
                                        value: Node::new(v.span, Value::Seq(vec![v])),
                                    });
                                }
                            } else {
                                if at.contains_key(&key) {
                                    return Err(EvalError::DuplicateKey(key));
                                }
                                at.insert(key.clone(), map.len());
                                map.push(Entry {
                                    key,
                                    key_span: k.span,
                                    value: v,
                                });
                            }
                        }
                        Err(e) => return Err(e),
                    }
                }
                Ok(Node::new(
                    span,
                    if f.key_expr.is_some() { Value::Map(map) } else { Value::Seq(seq) },
                ))
            }
        }
    }

    fn variable(&mut self, name: &str, span: Span, _d: usize) -> R {
        if let Some((_, v)) = self.iter.iter().rev().find(|(k, _)| k == name) {
            return Ok(copy(v, span));
        }
        match name {
            "var" | "local" | "module" | "data" | "path" | "each" | "count" => Err(EvalError::NeedsAttribute(name.to_owned())),
            _ => unknown(span, format!("`{name}` is not known statically")),
        }
    }

    fn apply_ops(&mut self, mut cur: Node, ops: &[hcl_edit::Decorated<TraversalOperator>], span: Span, d: usize) -> R {
        let mut i = 0;
        while i < ops.len() {
            if let Value::Unknown(u) = &cur.value {
                match (&u.is, ops[i].value()) {
                    // an attribute of an object whose attributes are known in part
                    (Is::Object(o), TraversalOperator::GetAttr(a)) => {
                        let next = attribute(o, a.value().as_str(), span);
                        cur = next;
                        i += 1;
                        continue;
                    }
                    // such an object splatted is a list of it
                    (Is::Object(_), TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)) => {}
                    _ => return unknown_from(span, u),
                }
            }
            match ops[i].value() {
                // the part read is moved out of the value, never copied: a long path through a
                // large value costs what the value did
                TraversalOperator::GetAttr(a) => {
                    let k = a.value().as_str();
                    cur = match cur.value {
                        Value::Map(entries) => entries
                            .into_iter()
                            .find(|e| e.key == k)
                            .map(|e| e.value)
                            .ok_or_else(|| EvalError::NoAttribute(k.to_owned()))?,
                        _ => {
                            return Err(EvalError::NotAnObject {
                                attr: k.to_owned(),
                                kind: cur.kind_name(),
                            });
                        }
                    };
                }
                TraversalOperator::Index(e) => {
                    let idx = self.eval(e, d)?;
                    cur = index(cur, &idx, span, self.span(e.span()))?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    let idx = Node::new(span, Value::Number(n.value().to_string()));
                    cur = index(cur, &idx, span, span)?;
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = &ops[i + 1..];
                    let items = match cur.value {
                        Value::Seq(s) => s,
                        Value::Null => Vec::new(),
                        other => vec![Node::new(cur.span, other)],
                    };
                    let mut out = Vec::new();
                    for it in items {
                        out.push(self.apply_ops(it, rest, span, d)?);
                    }
                    return Ok(Node::new(span, Value::Seq(out)));
                }
            }
            i += 1;
        }
        Ok(cur)
    }

    /// A string template or heredoc (`<<-` heredocs arrive with their indentation already
    /// removed by the parser).
    fn template(&mut self, t: &Template, span: Span, d: usize) -> R {
        let mut out = String::new();
        let mut strip_next = false;
        let elems: Vec<&Element> = t.iter().collect();
        // a template that is one interpolation keeps the value's type (`"${var.list}"`)
        if let [Element::Interpolation(i)] = elems.as_slice() {
            return self.eval(&i.expr, d);
        }
        for (n, el) in elems.iter().enumerate() {
            let strip_before = match elems.get(n + 1) {
                Some(Element::Interpolation(i)) => matches!(i.strip, Strip::Start | Strip::Both),
                Some(Element::Directive(_)) => false,
                _ => false,
            };
            match el {
                Element::Literal(l) => {
                    let mut s: &str = l.value();
                    if strip_next {
                        s = s.trim_start();
                    }
                    if strip_before {
                        s = s.trim_end();
                    }
                    out.push_str(s);
                    strip_next = false;
                }
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr, d)?;
                    if let Value::Unknown(_) = &v.value {
                        // keep the rest of the string: `arn:aws:securityhub:${…}:…/IAM.6` still
                        // names its control, `arn:${…}:iam::*:root` still names every root user
                        out.push_str(PLACEHOLDER);
                        strip_next = matches!(i.strip, Strip::End | Strip::Both);
                        continue;
                    }
                    match to_text(&v) {
                        Some(s) => {
                            if let Some(r) = grow(&out, s.len(), span) {
                                return r;
                            }
                            out.push_str(&s);
                        }
                        None if matches!(v.value, Value::Null) => return Err(EvalError::NullInTemplate),
                        None => return Err(EvalError::NotInterpolable(v.kind_name())),
                    }
                    strip_next = matches!(i.strip, Strip::End | Strip::Both);
                }
                Element::Directive(dir) => {
                    let part = match dir.as_ref() {
                        Directive::If(ifd) => {
                            let c = self.eval(&ifd.if_expr.cond_expr, d)?;
                            if let Value::Unknown(u) = &c.value {
                                return unknown_from(span, u);
                            }
                            match truthy(&c) {
                                Some(true) => self.template(&ifd.if_expr.template, span, d)?,
                                Some(false) => match &ifd.else_expr {
                                    Some(e) => self.template(&e.template, span, d)?,
                                    None => Node::new(span, Value::String(String::new())),
                                },
                                None => return Err(EvalError::IfDirective),
                            }
                        }
                        Directive::For(fd) => {
                            let coll = self.eval(&fd.for_expr.collection_expr, d)?;
                            if !crate::limits::charge_copy(&coll, span) {
                                return spent(span);
                            }
                            let pairs = match iterated(&coll, Some(span)) {
                                Iterated::Pairs(pairs) => pairs,
                                Iterated::Unknown(r) => return unknown_from(span, &r),
                                Iterated::Other => return Err(EvalError::ForDirective),
                            };
                            let mut s = String::new();
                            for (k, v) in pairs {
                                let n = self.iter.len();
                                if let Some(kv) = &fd.for_expr.key_var {
                                    self.iter.push((kv.value().as_str().to_owned(), k));
                                }
                                self.iter.push((fd.for_expr.value_var.value().as_str().to_owned(), v));
                                let r = self.template(&fd.for_expr.template, span, d);
                                self.iter.truncate(n);
                                let r = r?;
                                if let Value::Unknown(x) = &r.value {
                                    return unknown_from(span, x);
                                }
                                let piece = to_text(&r).unwrap_or_default();
                                if let Some(r) = grow(&s, piece.len(), span) {
                                    return r;
                                }
                                s.push_str(&piece);
                            }
                            Node::new(span, Value::String(s))
                        }
                    };
                    if let Value::Unknown(u) = &part.value {
                        return unknown_from(span, u);
                    }
                    let piece = to_text(&part).unwrap_or_default();
                    if let Some(r) = grow(&out, piece.len(), span) {
                        return r;
                    }
                    out.push_str(&piece);
                }
            }
        }
        Ok(Node::new(span, Value::String(out)))
    }
}

/// Before `text` grows by `more` bytes: `None` when it may, else the unknown value to give (the
/// string limit reached, or the budget spent), with its diagnostic.
fn grow(text: &str, more: usize, span: Span) -> Option<R> {
    let limit = crate::limits::get().string_bytes;
    if text.len().saturating_add(more) > limit {
        crate::limits::reached(
            "string-bytes",
            limit as u64,
            span,
            &format!("this template builds a string of more than {limit} bytes; it is unknown"),
        );
        return Some(unknown(
            span,
            format!("a template longer than the string limit of {limit} bytes (raise --limit string-bytes=N)"),
        ));
    }
    if !crate::limits::charge_bytes(more, span) {
        return Some(spent(span));
    }
    None
}

/// What a `for` (expression or directive) iterates over.
enum Iterated {
    /// (key, value) pairs: a list's indexes and elements, a map's keys and values.
    Pairs(Vec<(Node, Node)>),
    /// A collection not known statically (what is known of it).
    Unknown(Unknown),
    /// Not a collection.
    Other,
}

/// The pairs a `for` iterates over in `coll`; the keys located at `keys_at`, or where the
/// elements and the map keys are.
fn iterated(coll: &Node, keys_at: Option<Span>) -> Iterated {
    match &coll.value {
        Value::Seq(items) => Iterated::Pairs(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (num_node(keys_at.unwrap_or(v.span), i as f64), v.clone()))
                .collect(),
        ),
        Value::Map(entries) => Iterated::Pairs(
            entries
                .iter()
                .map(|e| {
                    (
                        Node::new(keys_at.unwrap_or(e.key_span), Value::String(e.key.clone())),
                        e.value.clone(),
                    )
                })
                .collect(),
        ),
        Value::Unknown(r) => Iterated::Unknown((**r).clone()),
        _ => Iterated::Other,
    }
}

/// One element of a `for` expression, evaluated.
enum ForElement {
    /// Its `if` clause is false.
    Skipped,
    /// Its `if` clause is not known (why).
    Unknown(Unknown),
    /// Its key (in an object `for`) and its value.
    Item(Option<Node>, Node),
}

/// Map entries built one by one where a later entry with the same key replaces the earlier one
/// and moves last (as `merge` and object constructors do), in linear time.
#[derive(Default)]
pub(crate) struct Keyed {
    slots: Vec<Option<Entry>>,
    at: std::collections::HashMap<String, usize>,
}

impl Keyed {
    pub(crate) fn put(&mut self, e: Entry) {
        if let Some(i) = self.at.insert(e.key.clone(), self.slots.len())
            && let Some(old) = self.slots.get_mut(i)
        {
            *old = None;
        }
        self.slots.push(Some(e));
    }

    pub(crate) fn into_entries(self) -> Vec<Entry> {
        self.slots.into_iter().flatten().collect()
    }
}

/// `cur[idx]`, moved out of `cur`; `at` is where the index is written.
///
/// A list index must be a whole number, not negative (HCL's `hcl.Index`: "Invalid index", "a
/// negative number is not a valid index for a sequence", "indexing a sequence requires a whole
/// number, but the given index has a fractional part"; the fraction is checked first).
fn index(cur: Node, idx: &Node, span: Span, at: Span) -> R {
    if let Value::Unknown(u) = &idx.value {
        return unknown_from(span, u);
    }
    if is_partial(idx) {
        return unknown(span, "an index known only after apply");
    }
    let kind = cur.kind_name();
    match cur.value {
        Value::Seq(items) => {
            let i = num(idx).filter(|i| i.is_finite()).ok_or(EvalError::IndexNotNumber)?;
            if i.fract() != 0.0 {
                return Err(EvalError::InvalidIndex {
                    why: BadIndex::Fractional,
                    at,
                });
            }
            if i < 0.0 {
                return Err(EvalError::InvalidIndex {
                    why: BadIndex::Negative,
                    at,
                });
            }
            usize::try_from(i as u64)
                .ok()
                .and_then(|n| items.into_iter().nth(n))
                .ok_or(EvalError::IndexOutOfRange(i))
        }
        Value::Map(entries) => {
            let k = to_text(idx).ok_or(EvalError::KeyNotString)?;
            match entries.into_iter().find(|e| e.key == k) {
                Some(e) => Ok(e.value),
                None => Err(EvalError::NoKey(k)),
            }
        }
        _ => Err(EvalError::NotIndexable(kind)),
    }
}

fn binary(op: BinaryOperator, l: &Node, r: &Node, span: Span) -> R {
    // an operand unknown as a whole makes the result unknown in Terraform too
    if let Some(u) = l.as_unknown().or_else(|| r.as_unknown()) {
        return unknown_from(span, u);
    }
    if let Some(x) = l.contains_unknown().or_else(|| r.contains_unknown()) {
        return unknown(span, x.to_owned());
    }
    if is_partial(l) || is_partial(r) {
        return unknown(span, "compares a value known only after apply");
    }
    let b = |v: bool| Ok(Node::new(span, Value::Bool(v)));
    match op {
        BinaryOperator::Eq => b(same(l, r)),
        BinaryOperator::NotEq => b(!same(l, r)),
        BinaryOperator::And | BinaryOperator::Or => match (truthy(l), truthy(r)) {
            (Some(x), Some(y)) => b(if op == BinaryOperator::And { x && y } else { x || y }),
            _ => Err(EvalError::Operand(Operator::Logic)),
        },
        _ => {
            let arithmetic = || EvalError::Operand(Operator::Arithmetic);
            let (x, y) = (num(l).ok_or_else(arithmetic)?, num(r).ok_or_else(arithmetic)?);
            match op {
                BinaryOperator::Plus => Ok(num_node(span, x + y)),
                BinaryOperator::Minus => Ok(num_node(span, x - y)),
                BinaryOperator::Mul => Ok(num_node(span, x * y)),
                BinaryOperator::Div if y != 0.0 => Ok(num_node(span, x / y)),
                BinaryOperator::Mod if y != 0.0 => Ok(num_node(span, x % y)),
                BinaryOperator::Div | BinaryOperator::Mod => Err(EvalError::DivisionByZero),
                BinaryOperator::Less => b(x < y),
                BinaryOperator::LessEq => b(x <= y),
                BinaryOperator::Greater => b(x > y),
                BinaryOperator::GreaterEq => b(x >= y),
                _ => Err(EvalError::UnsupportedOperator),
            }
        }
    }
}

/// Why Terraform refuses a `count` (`count` true) or `for_each` value that only apply decides
/// (`internal/terraform/eval_count.go`, `eval_for_each.go`: "Invalid count argument",
/// "Invalid `for_each` argument"): a count known after apply, a map whose keys are, or a set
/// with such an element. A map whose values only apply decides is fine; so is a value
/// rootguard does not know for another reason (Terraform may know it at plan).
#[must_use]
pub fn refused_at_plan(v: &Node, count: bool) -> Option<&'static str> {
    let apply = |n: &Node| n.as_unknown().is_some_and(|u| u.after_apply);
    if count {
        return apply(v).then_some(
            "The \"count\" value depends on resource attributes that cannot be determined until apply, so Terraform cannot predict how many instances will be created.",
        );
    }
    if apply(v) {
        return Some(
            "The \"for_each\" map includes keys derived from resource attributes that cannot be determined until apply, and so Terraform cannot determine the full set of keys that will identify the instances of this resource.",
        );
    }
    match &v.value {
        Value::Seq(items) if items.iter().any(apply) => Some(
            "The \"for_each\" set includes values derived from resource attributes that cannot be determined until apply, and so Terraform cannot determine the full set of keys that will identify the instances of this resource.",
        ),
        _ => None,
    }
}

/// Attribute `name` of an object whose attributes are known in part: its value, or unknown.
fn attribute(o: &crate::parse::tree::Object, name: &str, span: Span) -> Node {
    if let Some(e) = o.attrs.iter().find(|e| e.key == name) {
        return copy(&e.value, span);
    }
    let why = if o.after_apply {
        format!("`{}.{name}` is known after apply", o.address)
    } else {
        format!("`{}.{name}` is read at plan or apply time", o.address)
    };
    Node::new(span, Unknown::new(why).after_apply(o.after_apply).into())
}

/// `c ? a : b` whose condition `c` is not known (`u`): the value of both branches when they
/// are the same, an id of the kind both are when they are ids of one kind (the root, an OU or
/// an account whichever way it goes), else unknown.
fn undecided(span: Span, u: &Unknown, a: R, b: R) -> Node {
    let why = format!("the condition is not known statically: {}", u.reason);
    let (Ok(a), Ok(b)) = (a, b) else {
        return Node::new(span, Unknown::new(why).after_apply(u.after_apply).into());
    };
    if same(&a, &b) {
        return a;
    }
    let apply = |n: &Node| n.as_unknown().is_some_and(|x| x.after_apply);
    match (id_of(&a), id_of(&b)) {
        (Some(x), Some(y)) if x == y => Node::new(
            span,
            Unknown::new(why)
                .after_apply(u.after_apply || apply(&a) || apply(&b))
                .is(Is::Id(x))
                .into(),
        ),
        _ => Node::new(span, Unknown::new(why).after_apply(u.after_apply).into()),
    }
}

/// Parse-free constant map from a list of (key, value).
#[must_use]
pub fn object(span: Span, pairs: BTreeMap<String, Node>) -> Node {
    Node::new(
        span,
        Value::Map(
            pairs
                .into_iter()
                .map(|(key, value)| Entry {
                    key,
                    key_span: span,
                    value,
                })
                .collect(),
        ),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::source::{Encoding, Sources};
    use crate::tf::error::{FunctionError, TemplateError};
    use crate::tf::testing::at;

    /// The variables of the tests, as a variable file holds them.
    const VARS: &str = "names = [\"a\", \"b\"]\non = true\nobjs = [{ id = \"x\" }, { id = \"y\" }]\n";

    /// Variables read from `vars.tfvars`; `aws_s3_bucket.*` are resources; nothing else.
    struct Vars {
        file: FileId,
        body: hcl_edit::structure::Body,
    }

    impl Env for Vars {
        fn var(&self, name: &str, _: usize, _: Span) -> Option<Node> {
            let a = self.body.get_attribute(name)?;
            Some(Eval::new(self.file, self).value(&a.value))
        }
        fn resource(&self, ty: &str, name: &str, _: usize, at: Span) -> Option<Node> {
            use crate::parse::tree::{Is, Object};
            (ty == "aws_s3_bucket").then(|| {
                let address = format!("{ty}.{name}");
                let why = format!("`{address}` is known after apply");
                let o = Object {
                    address,
                    after_apply: true,
                    attrs: Vec::new(),
                };
                Node::new(at, Unknown::new(why).after_apply(true).is(Is::Object(Box::new(o))).into())
            })
        }
        fn read_file(&self, path: &str, _: Span) -> Result<String, FileError> {
            Err(FileError::Outside(path.to_owned()))
        }
        fn render_template(&self, _: &str, _: &Node, _: Span) -> Result<Node, EvalError> {
            Err(TemplateError::InVariable.into())
        }
    }

    /// Evaluate `src` (the file `expr`) with the variables of [`VARS`].
    fn with_vars<T>(src: &str, f: impl FnOnce(&Sources, &mut Eval<'_>, &Expression) -> T) -> T {
        let mut sources = Sources::new();
        let id = sources.add("expr".into(), "expr".into(), src.to_owned(), Encoding::Utf8);
        let vars = sources.add("vars.tfvars".into(), "vars.tfvars".into(), VARS.to_owned(), Encoding::Utf8);
        let env = Vars {
            file: vars,
            body: hcl_edit::parser::parse_body(VARS).unwrap(),
        };
        let e = hcl_edit::parser::parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let mut ev = Eval::new(id, &env);
        crate::limits::scoped(|| f(&sources, &mut ev, &e)).0
    }

    #[test]
    fn values_and_where_they_are_written() {
        // expression → value, and the span the value carries (where it is written: a variable's
        // value points into the variable file)
        let cases: &[(&str, serde_json::Value, &str)] = &[
            // references
            ("var.names[1]", json!("b"), "vars.tfvars:1:15-1:18 `\"b\"`"),
            ("var.names.0", json!("a"), "vars.tfvars:1:10-1:13 `\"a\"`"),
            ("var.objs[1].id", json!("y"), "vars.tfvars:3:30-3:33 `\"y\"`"),
            ("{a = \"x\"}[\"a\"]", json!("x"), "expr:1:6-1:9 `\"x\"`"),
            // a template of one interpolation keeps the value (and its type)
            ("\"${var.names}\"", json!(["a", "b"]), "vars.tfvars:1:9-1:19 `[\"a\", \"b\"]`"),
            // conditionals
            ("var.on ? \"yes\" : \"no\"", json!("yes"), "expr:1:10-1:15 `\"yes\"`"),
            ("!var.on ? \"yes\" : \"no\"", json!("no"), "expr:1:19-1:23 `\"no\"`"),
            // a condition not known, but both sides equal
            (
                "aws_s3_bucket.b.id == \"x\" ? \"same\" : \"same\"",
                json!("same"),
                "expr:1:29-1:35 `\"same\"`",
            ),
            // for-expressions
            (
                "[for n in var.names : upper(n)]",
                json!(["A", "B"]),
                "expr:1:1-1:32 `[for n in var.names : upper(n)]`",
            ),
            (
                "{for i, n in var.names : n => i}",
                json!({"a": 0, "b": 1}),
                "expr:1:1-1:33 `{for i, n in var.names : n => i}`",
            ),
            (
                "[for n in var.names : n if n != \"a\"]",
                json!(["b"]),
                "expr:1:1-1:37 `[for n in var.names : n if n != \"a\"]`",
            ),
            // splats
            ("var.objs[*].id", json!(["x", "y"]), "expr:1:1-1:15 `var.objs[*].id`"),
            ("var.objs.*.id", json!(["x", "y"]), "expr:1:1-1:14 `var.objs.*.id`"),
            // functions and operators
            ("try(var.names[5], \"none\")", json!("none"), "expr:1:19-1:25 `\"none\"`"),
            ("can(var.names[5])", json!(false), "expr:1:1-1:18 `can(var.names[5])`"),
            ("1 + 2 * 3", json!(7), "expr:1:1-1:10 `1 + 2 * 3`"),
            // unknowns propagate, with the reason
            (
                "upper(aws_s3_bucket.b.id)",
                json!({"$unknown": "`aws_s3_bucket.b.id` is known after apply"}),
                "expr:1:1-1:26 `upper(aws_s3_bucket.b.id)`",
            ),
            (
                "aws_s3_bucket.b.id == \"x\" ? \"a\" : \"b\"",
                json!({"$unknown": "the condition is not known statically: `aws_s3_bucket.b.id` is known after apply"}),
                "expr:1:1-1:38 `aws_s3_bucket.b.id == \"x\" ? \"a\" : \"b\"`",
            ),
            (
                "[for n in var.names : n if n == aws_s3_bucket.b.id]",
                json!({"$unknown": "`aws_s3_bucket.b.id` is known after apply"}),
                "expr:1:1-1:52 `[for n in var.names : n if n == aws_s3_bucket.b.id]`",
            ),
            (
                "data.aws_caller_identity.me.account_id",
                json!({"$unknown": "`data.aws_caller_identity.me` is read at plan or apply time"}),
                "expr:1:1-1:39 `data.aws_caller_identity.me.account_id`",
            ),
            // a string partly known keeps the rest
            (
                "\"arn:${aws_s3_bucket.b.arn}:x\"",
                json!("arn:${…}:x"),
                "expr:1:1-1:31 `\"arn:${aws_s3_bucket.b.arn}:x\"`",
            ),
            // a condition on a string partly known is not known either
            (
                "\"${aws_s3_bucket.b.arn}x\" == \"a\" ? 1 : 2",
                json!({"$unknown": "the condition is not known statically: compares a value known only after apply"}),
                "expr:1:1-1:41 `\"${aws_s3_bucket.b.arn}x\" == \"a\" ? 1 : 2`",
            ),
            // a known condition takes its branch, known or not
            (
                "var.on ? aws_s3_bucket.b.id : \"no\"",
                json!({"$unknown": "`aws_s3_bucket.b.id` is known after apply"}),
                "expr:1:10-1:28 `aws_s3_bucket.b.id`",
            ),
            ("!var.on ? aws_s3_bucket.b.id : \"no\"", json!("no"), "expr:1:32-1:36 `\"no\"`"),
            // an unknown element does not make the others unknown
            ("[\"a\", aws_s3_bucket.b.id][0]", json!("a"), "expr:1:2-1:5 `\"a\"`"),
            // for-expressions and splats keep where each element is written
            (
                "[for o in var.objs : o.id if o.id != \"x\"][0]",
                json!("y"),
                "vars.tfvars:3:30-3:33 `\"y\"`",
            ),
            (
                "{for o in var.objs : o.id => o}[\"y\"].id",
                json!("y"),
                "vars.tfvars:3:30-3:33 `\"y\"`",
            ),
            ("length(var.objs[*].id)", json!(2), "expr:1:1-1:23 `length(var.objs[*].id)`"),
            // over what is known after apply, both are unknown
            (
                "[for n in aws_s3_bucket.b.tags : n]",
                json!({"$unknown": "`aws_s3_bucket.b.tags` is known after apply"}),
                "expr:1:1-1:36 `[for n in aws_s3_bucket.b.tags : n]`",
            ),
            (
                // a splat over one object is a one-element tuple of its attribute
                "aws_s3_bucket.b[*].id",
                json!([{"$unknown": "`aws_s3_bucket.b.id` is known after apply"}]),
                "expr:1:1-1:22 `aws_s3_bucket.b[*].id`",
            ),
        ];
        let mut wrong = Vec::new();
        for (src, want, want_at) in cases {
            let (value, located) = with_vars(src, |sources, ev, e| {
                let n = ev.value(e);
                (n.to_json(), at(sources, n.span))
            });
            if (&value, located.as_str()) != (want, *want_at) {
                wrong.push(format!("{src}: {value} at {located}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn errors_are_typed_and_keep_their_messages() {
        let cases: &[(&str, EvalError, &str)] = &[
            ("var.names[5]", EvalError::IndexOutOfRange(5.0), "index 5 is out of range"),
            ("var.names[\"k\"]", EvalError::IndexNotNumber, "a list index must be a number"),
            ("{a = 1}[\"b\"]", EvalError::NoKey("b".into()), "no key `b`"),
            ("{a = 1}.b", EvalError::NoAttribute("b".into()), "no attribute `b`"),
            (
                "var.on.x",
                EvalError::NotAnObject {
                    attr: "x".into(),
                    kind: "boolean",
                },
                "cannot read `.x` of a boolean",
            ),
            (
                "var.missing",
                EvalError::NoVariable("missing".into()),
                "no variable `missing` is declared",
            ),
            ("local.x", EvalError::NoLocal("x".into()), "no local value `x`"),
            ("var", EvalError::NeedsAttribute("var".into()), "`var` needs an attribute"),
            (
                "\"x\" ? 1 : 2",
                EvalError::ConditionNotBool("string"),
                "the condition is a string, not a boolean",
            ),
            ("1 / 0", EvalError::DivisionByZero, "division by zero"),
            ("-\"a\"", EvalError::Operand(Operator::Negate), "`-` needs a number"),
            ("[for x in 1 : x]", EvalError::ForCollection, "`for` needs a list, set or map"),
            (
                "\"a${[1]}\"",
                EvalError::NotInterpolable("list"),
                "a list cannot be interpolated into a string",
            ),
            (
                "{for n in [\"a\", \"a\"] : n => 1}",
                EvalError::DuplicateKey("a".into()),
                "duplicate object key `a` in `for` expression",
            ),
            (
                "try(var.missing, local.x)",
                EvalError::TryFailed,
                "no argument of `try` could be evaluated",
            ),
            (
                "split(\"\", \"a\")",
                EvalError::Function(FunctionError::EmptySeparator),
                "`split` with an empty separator",
            ),
            (
                "keys(\"a\")",
                EvalError::Function(FunctionError::Needs {
                    function: "keys".into(),
                    what: "a map",
                }),
                "`keys` needs a map",
            ),
            (
                "file(\"../x\")",
                EvalError::File(FileError::Outside("../x".into())),
                "`../x` is outside the scanned tree; rootguard reads only inside it",
            ),
        ];
        for (src, want, text) in cases {
            let (err, value) = with_vars(src, |_, ev, e| (ev.eval(e, 0).err(), ev.value(e).to_json()));
            assert_eq!(err.as_ref(), Some(want), "{src}");
            assert_eq!(want.to_string(), *text, "{src}");
            // where a value is needed, the error is an unknown value with its message
            assert_eq!(value, json!({"$unknown": format!("evaluation error: {text}")}), "{src}");
        }
    }
}

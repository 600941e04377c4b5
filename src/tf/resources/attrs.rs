//! What resource mapping reads from a resource: the `Attrs` interface (shared with plan JSON),
//! and its implementation over an HCL block of a module instance, with the iteration values it
//! sees (`each`, `count`, `dynamic` blocks).

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::Body;

use crate::model::{Gate, Loc, Prop, Tri};
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, Span};
use crate::tf::instance::Instance;
use crate::tf::parse::{block_span, label};

/// A block body with the iteration variables it sees.
#[derive(Clone)]
pub(crate) struct Scoped<'b> {
    pub file: FileId,
    pub body: &'b Body,
    pub iter: Vec<(String, Node)>,
    pub path: String,
    /// The gate of the `dynamic` block that makes this block, when it is not known to make it
    /// (see [`Scoped::blocks_gated`]): while it is unknown, every value read here is unknown.
    pub gate: Option<Gate>,
    /// The bodies of the override blocks merged into this one (`override.tf`, `*_override.tf`),
    /// in the order they apply: an attribute set in a later one wins, and a nested block type
    /// present in one replaces every block of that type before it.
    pub over: Vec<(FileId, &'b Body)>,
}

impl<'b> Scoped<'b> {
    pub(super) fn eval(&self, inst: &Instance<'_, '_>, e: &Expression) -> Node {
        self.eval_in(inst, self.file, e)
    }

    fn eval_in(&self, inst: &Instance<'_, '_>, file: FileId, e: &Expression) -> Node {
        let mut ev = inst.eval_in(file);
        // the iteration values (`each`, `count`, a dynamic block's) are copied for each attribute
        let at = e.span().map_or(Span::new(file, 0, 0), |r| Span::new(file, r.start, r.end));
        if let Some(g) = self.gate.as_ref().filter(|g| g.value == Tri::Unknown) {
            return Node::new(
                at,
                Value::unknown(format!(
                    "the block may not exist: `{}` is not known statically: {}",
                    g.expr, g.reason
                )),
            );
        }
        for (_, v) in &self.iter {
            if !crate::limits::charge_copy(v, at) {
                return Node::new(at, Value::unknown(crate::limits::spent_reason()));
            }
        }
        ev.iter.clone_from(&self.iter);
        ev.value(e)
    }

    /// Attribute `name` as merged: the last override that sets it, else this block's own, with
    /// the file and body it is written in.
    fn attr(&self, name: &str) -> Option<(FileId, &'b Body, &'b hcl_edit::structure::Attribute)> {
        self.over
            .iter()
            .rev()
            .chain(std::iter::once(&(self.file, self.body)))
            .find_map(|(f, b)| b.get_attribute(name).map(|a| (*f, *b, a)))
    }

    /// This block seen from attribute `name`: the file and body that attribute is written in
    /// (an override file's when an override sets it), so that its expression and the spans
    /// of what it evaluates to are of that file.
    pub fn for_attr(&self, name: &str) -> Scoped<'b> {
        let (file, body) = self.attr(name).map_or((self.file, self.body), |(f, b, _)| (f, b));
        Scoped {
            file,
            body,
            iter: self.iter.clone(),
            path: self.path.clone(),
            gate: self.gate.clone(),
            over: Vec::new(),
        }
    }

    /// An attribute's value and location.
    pub fn prop(&self, inst: &Instance<'_, '_>, name: &str) -> Prop {
        let Some((file, _, a)) = self.attr(name) else {
            return Prop::absent();
        };
        let v = self.eval_in(inst, file, &a.value);
        let span = match v.value {
            Value::Map(_) | Value::Seq(_) => a.span(),
            _ => a.value.span(),
        };
        let span = span.map_or(v.span, |r| Span::new(file, r.start, r.end));
        Prop::from_node(Some(&v), Some(Loc::new(span, format!("{}/{name}", self.path))))
    }

    pub fn node(&self, inst: &Instance<'_, '_>, name: &str) -> Option<Node> {
        self.attr(name).map(|(file, _, a)| self.eval_in(inst, file, &a.value))
    }

    pub fn raw(&self, name: &str) -> Option<&'b Expression> {
        self.attr(name).map(|(_, _, a)| &a.value)
    }

    /// Nested blocks `name`, including those a `dynamic "name"` block generates (one block,
    /// whose values are unknown, for a dynamic block whose `for_each` is not known).
    pub fn blocks(&self, inst: &Instance<'_, '_>, name: &str) -> Vec<Scoped<'b>> {
        self.blocks_gated(inst, name)
            .into_iter()
            .filter(|b| b.gate.as_ref().is_none_or(|g| g.value != Tri::False))
            .collect()
    }

    /// Nested blocks `name` as [`Scoped::blocks`] gives them, and besides, for a `dynamic
    /// "name"` block whose `for_each` is empty, one block as its content is written (its
    /// iteration value unknown) with the gate that switches it off: what the code declares
    /// and a value turns off. A block of a dynamic block whose `for_each` is not known carries
    /// that unknown gate.
    pub fn blocks_gated(&self, inst: &Instance<'_, '_>, name: &str) -> Vec<Scoped<'b>> {
        // the last override with blocks of this type (static or `dynamic`) replaces them all
        let has = |b: &Body| {
            b.blocks().any(|x| {
                let id = x.ident.value().as_str();
                id == name || (id == "dynamic" && label(x, 0) == Some(name))
            })
        };
        if let Some((file, body)) = self.over.iter().rev().find(|(_, b)| has(b)) {
            let s = Scoped {
                file: *file,
                body,
                iter: self.iter.clone(),
                path: self.path.clone(),
                gate: self.gate.clone(),
                over: Vec::new(),
            };
            return s.blocks_gated(inst, name);
        }
        let mut out = Vec::new();
        for (i, b) in self.body.blocks().enumerate() {
            let id = b.ident.value().as_str();
            if id == name {
                out.push(Scoped {
                    file: self.file,
                    body: &b.body,
                    iter: self.iter.clone(),
                    path: format!("{}/{name}[{i}]", self.path),
                    gate: self.gate.clone(),
                    over: Vec::new(),
                });
            } else if id == "dynamic" && label(b, 0) == Some(name) {
                let Some(content) = b.body.blocks().find(|c| c.ident.value().as_str() == "content") else {
                    continue;
                };
                let it = b.body.get_attribute("iterator").and_then(|a| match &a.value {
                    Expression::Variable(v) => Some(v.value().as_str().to_owned()),
                    _ => None,
                });
                let it = it.unwrap_or_else(|| name.to_owned());
                let path = format!("{}/dynamic.{name}[{i}]", self.path);
                let span = block_span(self.file, b);
                let (coll, gate) = if let Some(fe) = b.body.get_attribute("for_each") {
                    let coll = self.eval(inst, &fe.value);
                    // each element is copied into a block of its own
                    let coll = if crate::limits::charge_copy(&coll, coll.span) {
                        coll
                    } else {
                        Node::new(coll.span, Value::unknown(crate::limits::spent_reason()))
                    };
                    let gate = crate::tf::expand::dynamic_gate(inst, self.file, &self.iter, fe, &coll, &path);
                    (coll, gate)
                } else {
                    let why = "a dynamic block without `for_each`, which Terraform requires";
                    let gate = Gate {
                        expr: format!("dynamic \"{name}\""),
                        value: Tri::Unknown,
                        loc: Loc::new(span, path.clone()),
                        decided_by: None,
                        reason: why.into(),
                    };
                    (Node::new(span, Value::unknown(why)), gate)
                };
                let pairs: Vec<(Node, Node)> = match &coll.value {
                    Value::Seq(s) => s
                        .iter()
                        .enumerate()
                        .map(|(k, v)| (Node::new(v.span, Value::Number(k.to_string())), v.clone()))
                        .collect(),
                    Value::Map(m) => m
                        .iter()
                        .map(|e| (Node::new(e.key_span, Value::String(e.key.clone())), e.value.clone()))
                        .collect(),
                    _ => Vec::new(),
                };
                let (pairs, gate) = if pairs.is_empty() {
                    // no block, or not known how many: one block as written, under the gate
                    let why = match gate.value {
                        Tri::False => format!("`dynamic \"{name}\"` makes no block: {}", gate.reason),
                        _ => format!("`dynamic \"{name}\"` iterates over a value not known statically"),
                    };
                    let u = Node::new(span, Value::unknown(why));
                    (vec![(u.clone(), u)], Some(gate))
                } else {
                    (pairs, self.gate.clone())
                };
                for (k, v) in pairs {
                    let mut iter = self.iter.clone();
                    let span = v.span;
                    iter.push((
                        it.clone(),
                        crate::tf::eval::object(span, [("key".to_owned(), k), ("value".to_owned(), v)].into_iter().collect()),
                    ));
                    out.push(Scoped {
                        file: self.file,
                        body: &content.body,
                        iter,
                        path: path.clone(),
                        gate: gate.clone(),
                        over: Vec::new(),
                    });
                }
            }
        }
        out
    }
}

/// What resource mapping needs from a resource's attributes: HCL blocks evaluated in their
/// module instance, or the values of a Terraform plan.
pub(crate) trait Attrs {
    /// An attribute's value and location.
    fn prop(&self, name: &str) -> Prop;
    fn node(&self, name: &str) -> Option<Node>;
    /// Nested blocks.
    fn blocks(&self, name: &str) -> Vec<Box<dyn Attrs + '_>>;
    /// The resource `ty.NAME` an attribute refers to, as `NAME`.
    fn reference(&self, name: &str, ty: &str) -> Option<String>;
    /// The structure behind a `jsonencode` / policy-document value.
    fn structured(&self, n: &Node) -> Option<Node>;
    /// The statements the code of the policy document behind `n` writes and a value switches
    /// off, or may, each with the gate that decides it.
    fn switched(&self, _n: &Node) -> Vec<(Node, Gate)> {
        Vec::new()
    }
    /// The text of a file.
    fn text(&self, file: FileId) -> &str;
    /// The logical path of this block (`module.org.aws_x.y/statement[0]`).
    fn path(&self) -> String;
    /// The scanned file a `file()` call that produced `n` read, if any.
    fn file_read_at(&self, _n: &Node) -> Option<FileId> {
        None
    }
}

/// A block of a module instance.
pub(crate) struct Hcl<'i, 'w, 'a, 'b> {
    pub inst: &'i Instance<'w, 'a>,
    pub s: Scoped<'b>,
}

impl Attrs for Hcl<'_, '_, '_, '_> {
    fn prop(&self, name: &str) -> Prop {
        self.s.prop(self.inst, name)
    }
    fn node(&self, name: &str) -> Option<Node> {
        self.s.node(self.inst, name)
    }
    fn blocks(&self, name: &str) -> Vec<Box<dyn Attrs + '_>> {
        self.s
            .blocks(self.inst, name)
            .into_iter()
            .map(|s| Box::new(Hcl { inst: self.inst, s }) as Box<dyn Attrs>)
            .collect()
    }
    fn reference(&self, name: &str, ty: &str) -> Option<String> {
        self.s.raw(name).and_then(|e| resource_ref(e, ty))
    }
    fn structured(&self, n: &Node) -> Option<Node> {
        self.inst.structured(n)
    }
    fn switched(&self, n: &Node) -> Vec<(Node, Gate)> {
        self.inst.world.switched.borrow().get(&n.span).cloned().unwrap_or_default()
    }
    fn text(&self, file: FileId) -> &str {
        &self.inst.world.sources.get(file).text
    }
    fn path(&self) -> String {
        self.s.path.clone()
    }
    fn file_read_at(&self, n: &Node) -> Option<FileId> {
        self.inst.world.file_reads.borrow().get(&n.span).copied()
    }
}

/// `aws_organizations_policy.NAME.id` → `NAME`.
pub(super) fn resource_ref(e: &Expression, ty: &str) -> Option<String> {
    let Expression::Traversal(t) = e else { return None };
    let Expression::Variable(v) = &t.expr else { return None };
    if v.value().as_str() != ty {
        return None;
    }
    match t.operators.first().map(hcl_edit::Decorated::value) {
        Some(TraversalOperator::GetAttr(n)) => Some(n.value().as_str().to_owned()),
        _ => None,
    }
}

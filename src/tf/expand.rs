//! `count` and `for_each`: the instances a resource or module call makes, and the gate that
//! says whether it is created, with the values that decide it; the same gate for the blocks a
//! `dynamic` block makes.

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block};

use super::eval;
use super::instance::Instance;
use crate::model::{Gate, Loc, Tri};
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, Span};

/// The truth of a `count` / `for_each` and the instances it makes.
pub(crate) struct Expansion {
    pub gate: Option<Gate>,
    pub instances: Vec<(String, Vec<(String, Node)>)>,
    /// Instances beyond the `instances` limit, not read: what they are.
    pub cut: Option<String>,
}

impl Expansion {
    /// The gate, unless it is known to be open (then it decides nothing).
    pub fn open_question(&self) -> Option<Gate> {
        self.gate.clone().filter(|g| g.value != Tri::True)
    }

    /// The gates of what the instances declare: those of the module instance `inst`, and this
    /// one unless it is known to be open.
    pub fn gates(&self, inst: &Instance<'_, '_>) -> Vec<Gate> {
        let mut gates = inst.gates.clone();
        gates.extend(self.open_question());
        gates
    }
}

/// Past the `instances` limit: the diagnostic, and what the instances not read are.
fn cut(total: usize, what: &str, attr: &str, at: Span) -> Option<String> {
    let limit = crate::limits::get().instances;
    if total <= limit {
        return None;
    }
    crate::limits::reached(
        "instances",
        limit as u64,
        at,
        &format!(
            "`{attr}` makes {total} instances of `{what}`; rootguard reads the first {limit}, and the other {} are unknown",
            total - limit
        ),
    );
    Some(format!(
        "`{what}` has {total} instances; those past the first {limit} are not read (raise --limit instances=N)"
    ))
}

/// The instances of block `b` (at address `what`): those its `count` or `for_each` makes, or
/// the one it is.
pub(crate) fn expand(inst: &Instance<'_, '_>, file: FileId, b: &Block, what: &str) -> Expansion {
    if let Some(a) = b.body.get_attribute("count") {
        return count(inst, file, a, what);
    }
    if let Some(a) = b.body.get_attribute("for_each") {
        return for_each(inst, file, a, what);
    }
    Expansion {
        gate: None,
        instances: vec![(String::new(), Vec::new())],
        cut: None,
    }
}

/// The text of a `count` / `for_each` attribute `a` of the block at `what`, and its location.
fn written(inst: &Instance<'_, '_>, file: FileId, a: &Attribute, what: &str) -> (String, Loc) {
    let name = a.key.value().as_str();
    let loc = Loc::new(
        Span::new(file, a.span().map_or(0, |r| r.start), a.span().map_or(0, |r| r.end)),
        format!("{what}/{name}"),
    );
    (format!("{name} = {}", expr_text(inst, file, &a.value)), loc)
}

/// A block switched off by `count` / `for_each` attribute `a`: the gate names the variables
/// that decide it (`why`: what the attribute is); its one instance, not created, sees
/// `iteration`.
fn switched_off(
    inst: &Instance<'_, '_>,
    file: FileId,
    a: &Attribute,
    (expr, loc): (String, Loc),
    why: &str,
    iteration: Vec<(String, Node)>,
) -> Expansion {
    Expansion {
        gate: Some(Gate {
            expr,
            value: Tri::False,
            reason: reason_of(inst, file, &[], &a.value, why),
            loc,
            decided_by: decided_by(inst, file, &[], &a.value),
        }),
        instances: vec![(String::new(), iteration)],
        cut: None,
    }
}

/// A block whose `count` / `for_each` `v` is not known (`otherwise`: why, when `v` holds no
/// unknown value): one instance, which may or may not be created, sees `iteration`.
fn undecided(v: &Node, (expr, loc): (String, Loc), otherwise: &str, iteration: Vec<(String, Node)>) -> Expansion {
    Expansion {
        gate: Some(Gate {
            expr,
            value: Tri::Unknown,
            reason: v.contains_unknown().map_or_else(|| otherwise.into(), str::to_owned),
            loc,
            decided_by: None,
        }),
        instances: vec![(String::new(), iteration)],
        cut: None,
    }
}

/// `count = N`: instances `[0]` … `[N-1]` (as far as the `instances` limit), each with its
/// `count.index`.
fn count(inst: &Instance<'_, '_>, file: FileId, a: &Attribute, what: &str) -> Expansion {
    let v = inst.eval_in(file).value(&a.value);
    let (expr, loc) = written(inst, file, a, what);
    if let Some(e) = refused(file, &a.value, &v, true, &expr, &loc) {
        return e;
    }
    match eval::to_text(&v).and_then(|t| t.parse::<f64>().ok()) {
        Some(n) if n >= 1.0 => {
            let total = n as usize;
            let cut = cut(total, what, "count", loc.span);
            let n = total.min(crate::limits::get().instances);
            let instances = (0..n)
                .map(|i| (format!("[{i}]"), vec![("count".to_owned(), count_obj(v.span, i))]))
                .collect();
            Expansion {
                gate: Some(Gate {
                    expr,
                    value: Tri::True,
                    loc,
                    decided_by: None,
                    reason: format!("count is {total}"),
                }),
                instances,
                cut,
            }
        }
        Some(_) => switched_off(
            inst,
            file,
            a,
            (expr, loc),
            "count is 0",
            vec![("count".to_owned(), count_obj(v.span, 0))],
        ),
        None => undecided(
            &v,
            (expr, loc),
            "count is not a number",
            vec![("count".to_owned(), count_obj(v.span, 0))],
        ),
    }
}

/// `for_each` over a map or a set of strings: an instance `["KEY"]` per element (as far as the
/// `instances` limit), each with its `each.key` and `each.value`.
fn for_each(inst: &Instance<'_, '_>, file: FileId, a: &Attribute, what: &str) -> Expansion {
    let mut v = inst.eval_in(file).value(&a.value);
    // each element is copied into an instance of its own
    if !crate::limits::charge_copy(&v, v.span) {
        v = Node::new(v.span, Value::unknown(crate::limits::spent_reason()));
    }
    let (expr, loc) = written(inst, file, a, what);
    if let Some(e) = refused(file, &a.value, &v, false, &expr, &loc) {
        return e;
    }
    let pairs: Option<Vec<(String, Node)>> = match &v.value {
        Value::Map(m) => Some(m.iter().map(|e| (e.key.clone(), e.value.clone())).collect()),
        Value::Seq(s) => s.iter().map(|x| eval::to_text(x).map(|k| (k, x.clone()))).collect(),
        _ => None,
    };
    match pairs {
        Some(p) if !p.is_empty() => Expansion {
            cut: cut(p.len(), what, "for_each", loc.span),
            gate: Some(Gate {
                expr,
                value: Tri::True,
                loc,
                decided_by: None,
                reason: format!("for_each has {} element(s)", p.len()),
            }),
            instances: p
                .into_iter()
                .take(crate::limits::get().instances)
                .map(|(k, val)| {
                    let each = eval::object(
                        v.span,
                        [
                            ("key".to_owned(), Node::new(v.span, Value::String(k.clone()))),
                            ("value".to_owned(), val),
                        ]
                        .into_iter()
                        .collect(),
                    );
                    (format!("[{k:?}]"), vec![("each".to_owned(), each)])
                })
                .collect(),
        },
        Some(_) => switched_off(inst, file, a, (expr, loc), "for_each is empty", Vec::new()),
        None => undecided(&v, (expr, loc), "for_each is not a map or set", Vec::new()),
    }
}

/// A `count` (`count` true) or `for_each` value `v` of expression `e` that Terraform refuses at
/// plan because only apply decides it: the error (RG001, at the expression) and instances not
/// known; `None` for any other value.
fn refused(file: FileId, e: &Expression, v: &Node, count: bool, expr: &str, loc: &Loc) -> Option<Expansion> {
    let detail = eval::refused_at_plan(v, count)?;
    let what = if count { "count" } else { "for_each" };
    let at = e.span().map_or(loc.span, |r| Span::new(file, r.start, r.end));
    crate::limits::note(crate::parse::Diagnostic::error(
        at,
        "invalid-expansion",
        format!("Invalid {what} argument: {detail} Terraform rejects this configuration; rootguard takes the instances as unknown"),
    ));
    Some(Expansion {
        gate: Some(Gate {
            expr: expr.to_owned(),
            value: Tri::Unknown,
            reason: format!("Terraform rejects this `{what}`: only apply decides its instances"),
            loc: loc.clone(),
            decided_by: None,
        }),
        instances: vec![(
            String::new(),
            if count {
                vec![("count".to_owned(), count_obj(v.span, 0))]
            } else {
                Vec::new()
            },
        )],
        cut: None,
    })
}

fn count_obj(span: Span, i: usize) -> Node {
    eval::object(
        span,
        [("index".to_owned(), Node::new(span, Value::Number(i.to_string())))]
            .into_iter()
            .collect(),
    )
}

pub(crate) fn expr_text(inst: &Instance<'_, '_>, file: FileId, e: &Expression) -> String {
    let text = &inst.world.sources.get(file).text;
    let t = e.span().and_then(|r| text.get(r)).unwrap_or("…").trim();
    if t.len() > 80 {
        format!("{}…", &t[..crate::source::floor_char_boundary(t, 80)])
    } else {
        t.to_owned()
    }
}

/// The gate of a `dynamic` block whose `for_each` attribute `a` (of file `file`, in a block
/// body whose iteration values are `iter`) has the value `v`: open when it has elements,
/// closed when it is empty (with the values that decide that), unknown when it is not known.
/// `path` is the logical path of the dynamic block.
pub(crate) fn dynamic_gate(inst: &Instance<'_, '_>, file: FileId, iter: &[(String, Node)], a: &Attribute, v: &Node, path: &str) -> Gate {
    let loc = Loc::new(
        Span::new(file, a.span().map_or(0, |r| r.start), a.span().map_or(0, |r| r.end)),
        format!("{path}/for_each"),
    );
    let expr = format!("for_each = {}", expr_text(inst, file, &a.value));
    let elements = match &v.value {
        Value::Seq(s) => Some(s.len()),
        Value::Map(m) => Some(m.len()),
        _ => None,
    };
    match elements {
        Some(0) => Gate {
            expr,
            value: Tri::False,
            reason: reason_of(inst, file, iter, &a.value, "for_each is empty"),
            loc,
            decided_by: decided_by(inst, file, iter, &a.value),
        },
        Some(n) => Gate {
            expr,
            value: Tri::True,
            reason: format!("for_each has {n} element(s)"),
            loc,
            decided_by: None,
        },
        None => Gate {
            expr,
            value: Tri::Unknown,
            reason: v
                .contains_unknown()
                .map_or_else(|| format!("for_each is a {}, not a collection", v.kind_name()), str::to_owned),
            loc,
            decided_by: None,
        },
    }
}

/// The values an expression reads (`var.x`, `var.o.attr`, `local.y`, `each.value.on`, an
/// iteration value), each with its value (or why it has none), in source order.
fn read_values(inst: &Instance<'_, '_>, file: FileId, iter: &[(String, Node)], e: &Expression) -> Vec<(String, Option<Node>)> {
    refs(e, iter)
        .into_iter()
        .map(|r| {
            let text = expr_text(inst, file, r);
            let mut ev = inst.eval_in(file);
            ev.iter = iter.to_vec();
            let v = ev.eval(r, ev.depth).ok().filter(|n| !n.is_unknown());
            (text, v)
        })
        .collect()
}

/// The values an expression reads, with their values, for messages.
fn reason_of(inst: &Instance<'_, '_>, file: FileId, iter: &[(String, Node)], e: &Expression, what: &str) -> String {
    let read = read_values(inst, file, iter, e);
    if read.is_empty() {
        return what.to_owned();
    }
    let parts: Vec<String> = read
        .iter()
        .map(
            |(text, v)| match v.as_ref().map(|n| eval::to_text(n).unwrap_or_else(|| n.to_json_string())) {
                Some(val) => format!("`{text}` is `{val}`"),
                None => format!("`{text}` is not known"),
            },
        )
        .collect();
    format!("{what}: {}", parts.join(", "))
}

/// Where the value that decides an expression is written: the value of the first value it
/// reads (a variable's default, the tfvars entry, an `optional()` default in its type).
fn decided_by(inst: &Instance<'_, '_>, file: FileId, iter: &[(String, Node)], e: &Expression) -> Option<Loc> {
    let (text, v) = read_values(inst, file, iter, e).into_iter().next()?;
    v.map(|n| Loc::new(n.span, text))
}

/// The references an expression reads whose value is known before apply: traversals from
/// `var`, `local`, `each`, `count` or an iteration value (`iter`), in source order, each once.
fn refs<'e>(e: &'e Expression, iter: &[(String, Node)]) -> Vec<&'e Expression> {
    #[allow(clippy::items_after_statements)]
    fn walk<'e>(e: &'e Expression, iter: &[(String, Node)], out: &mut Vec<&'e Expression>) {
        match e {
            Expression::Traversal(t) => {
                if let Expression::Variable(v) = &t.expr {
                    let root = v.value().as_str();
                    if matches!(root, "var" | "local" | "each" | "count") || iter.iter().any(|(k, _)| k == root) {
                        if !out.iter().any(|x| x.span() == e.span()) {
                            out.push(e);
                        }
                        return;
                    }
                }
                walk(&t.expr, iter, out);
            }
            Expression::Conditional(c) => {
                walk(&c.cond_expr, iter, out);
                walk(&c.true_expr, iter, out);
                walk(&c.false_expr, iter, out);
            }
            Expression::BinaryOp(b) => {
                walk(&b.lhs_expr, iter, out);
                walk(&b.rhs_expr, iter, out);
            }
            Expression::UnaryOp(u) => walk(&u.expr, iter, out),
            Expression::Parenthesis(p) => walk(p.inner(), iter, out),
            Expression::FuncCall(f) => f.args.iter().for_each(|a| walk(a, iter, out)),
            Expression::Array(a) => a.iter().for_each(|x| walk(x, iter, out)),
            Expression::Object(o) => o.iter().for_each(|(_, v)| walk(v.expr(), iter, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(e, iter, &mut out);
    out
}

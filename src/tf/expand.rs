//! `count` and `for_each`: the instances a resource or module call makes, and the gate that
//! says whether it is created, with the values that decide it.

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;

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

pub(crate) fn expand(inst: &Instance<'_, '_>, file: FileId, b: &Block, what: &str) -> Expansion {
    let path = what.to_owned();
    if let Some(a) = b.body.get_attribute("count") {
        let v = inst.eval_in(file).value(&a.value);
        let loc = Loc::new(
            Span::new(file, a.span().map_or(0, |r| r.start), a.span().map_or(0, |r| r.end)),
            format!("{path}/count"),
        );
        let expr = format!("count = {}", expr_text(inst, file, &a.value));
        if let Some(e) = refused(file, &a.value, &v, true, &expr, &loc) {
            return e;
        }
        return match eval::to_text(&v).and_then(|t| t.parse::<f64>().ok()) {
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
            Some(_) => Expansion {
                gate: Some(Gate {
                    expr,
                    value: Tri::False,
                    reason: reason_of(inst, &a.value, "count is 0"),
                    loc,
                    decided_by: decided_by(inst, &a.value),
                }),
                instances: vec![(String::new(), vec![("count".to_owned(), count_obj(v.span, 0))])],
                cut: None,
            },
            None => Expansion {
                gate: Some(Gate {
                    expr,
                    value: Tri::Unknown,
                    reason: v.contains_unknown().map_or_else(|| "count is not a number".into(), str::to_owned),
                    loc,
                    decided_by: None,
                }),
                instances: vec![(String::new(), vec![("count".to_owned(), count_obj(v.span, 0))])],
                cut: None,
            },
        };
    }
    if let Some(a) = b.body.get_attribute("for_each") {
        let mut v = inst.eval_in(file).value(&a.value);
        // each element is copied into an instance of its own
        if !crate::limits::charge_copy(&v, v.span) {
            v = Node::new(v.span, Value::unknown(crate::limits::spent_reason()));
        }
        let loc = Loc::new(
            Span::new(file, a.span().map_or(0, |r| r.start), a.span().map_or(0, |r| r.end)),
            format!("{path}/for_each"),
        );
        let expr = format!("for_each = {}", expr_text(inst, file, &a.value));
        if let Some(e) = refused(file, &a.value, &v, false, &expr, &loc) {
            return e;
        }
        let pairs: Option<Vec<(String, Node)>> = match &v.value {
            Value::Map(m) => Some(m.iter().map(|e| (e.key.clone(), e.value.clone())).collect()),
            // a key known only in part is not a key
            Value::Seq(s) => s
                .iter()
                .map(|x| eval::to_text(x).filter(|_| !eval::is_partial(x)).map(|k| (k, x.clone())))
                .collect(),
            _ => None,
        };
        return match pairs {
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
            Some(_) => Expansion {
                gate: Some(Gate {
                    expr,
                    value: Tri::False,
                    reason: reason_of(inst, &a.value, "for_each is empty"),
                    loc,
                    decided_by: decided_by(inst, &a.value),
                }),
                instances: vec![(String::new(), Vec::new())],
                cut: None,
            },
            None => Expansion {
                gate: Some(Gate {
                    expr,
                    value: Tri::Unknown,
                    reason: v
                        .contains_unknown()
                        .map_or_else(|| "for_each is not a map or set".into(), str::to_owned),
                    loc,
                    decided_by: None,
                }),
                instances: vec![(String::new(), Vec::new())],
                cut: None,
            },
        };
    }
    Expansion {
        gate: None,
        instances: vec![(String::new(), Vec::new())],
        cut: None,
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

/// The variables an expression reads, with their values, for messages.
fn reason_of(inst: &Instance<'_, '_>, e: &Expression, what: &str) -> String {
    let vars = var_refs(e);
    if vars.is_empty() {
        return what.to_owned();
    }
    let parts: Vec<String> = vars
        .iter()
        .map(|v| {
            match inst
                .var_value(v)
                .and_then(|n| eval::to_text(&n).or_else(|| Some(n.to_json_string())))
            {
                Some(val) => format!("`var.{v}` is `{val}`"),
                None => format!("`var.{v}` is not known"),
            }
        })
        .collect();
    format!("{what}: {}", parts.join(", "))
}

fn decided_by(inst: &Instance<'_, '_>, e: &Expression) -> Option<Loc> {
    let v = var_refs(e).into_iter().next()?;
    inst.var_value(&v).map(|n| Loc::new(n.span, format!("var.{v}")))
}

/// `var.NAME` references in an expression (in source order).
fn var_refs(e: &Expression) -> Vec<String> {
    use hcl_edit::expr::TraversalOperator;
    #[allow(clippy::items_after_statements)]
    fn walk(e: &Expression, out: &mut Vec<String>) {
        match e {
            Expression::Traversal(t) => {
                if let (Expression::Variable(v), Some(op)) = (&t.expr, t.operators.first())
                    && v.value().as_str() == "var"
                    && let TraversalOperator::GetAttr(a) = op.value()
                {
                    let n = a.value().as_str().to_owned();
                    if !out.contains(&n) {
                        out.push(n);
                    }
                }
                walk(&t.expr, out);
            }
            Expression::Conditional(c) => {
                walk(&c.cond_expr, out);
                walk(&c.true_expr, out);
                walk(&c.false_expr, out);
            }
            Expression::BinaryOp(b) => {
                walk(&b.lhs_expr, out);
                walk(&b.rhs_expr, out);
            }
            Expression::UnaryOp(u) => walk(&u.expr, out),
            Expression::Parenthesis(p) => walk(p.inner(), out),
            Expression::FuncCall(f) => f.args.iter().for_each(|a| walk(a, out)),
            Expression::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(e, &mut out);
    out
}

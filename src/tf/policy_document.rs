//! `data "aws_iam_policy_document"`: the policy document it renders, and the `json` /
//! `minified_json` attributes it gives, whose structure is kept for policy analysis, with the
//! statements the code writes that a value switches off (a `dynamic "statement"` whose
//! `for_each` is empty or not known).

use hcl_edit::structure::Block;

use super::instance::Instance;
use super::parse::{block_span, label};
use super::resources::Scoped;
use crate::model::{Gate, Tri};
use crate::parse::tree::{Entry, Node, Value};
use crate::source::{FileId, Span};

fn list_or_one(n: Option<Node>) -> Option<Node> {
    n.map(|v| match v.value {
        Value::Seq(_) | Value::Unknown(_) => v,
        _ => Node::new(v.span, Value::Seq(vec![v])),
    })
}

/// Statements the code writes that a value switches off, or may (a `dynamic "statement"`
/// block whose `for_each` is empty or not known), each with the gate that decides it.
pub(crate) type Switched = Vec<(Node, Gate)>;

/// Render `data "aws_iam_policy_document"` into a policy JSON tree, and the statements a value
/// switches off (see [`Switched`]), which the tree leaves out.
pub(super) fn render(inst: &Instance<'_, '_>, file: FileId, b: &Block) -> (Node, Switched) {
    let span = block_span(file, b);
    let s = Scoped {
        file,
        body: &b.body,
        iter: Vec::new(),
        path: format!("data.aws_iam_policy_document.{}", label(b, 1).unwrap_or("")),
        gate: None,
        over: inst
            .world
            .overrides
            .get(&inst.dir)
            .map(|o| o.document(label(b, 1).unwrap_or("")))
            .unwrap_or_default(),
    };
    let mut statements: Vec<Node> = Vec::new();
    let mut switched: Switched = Vec::new();
    // source documents first, this document's statements after, overrides last (by Sid)
    let docs_of = |key: &str, switched: &mut Switched| -> Vec<Node> {
        let Some(n) = s.node(inst, key) else { return Vec::new() };
        let docs = n.as_seq().unwrap_or_default();
        for d in docs {
            if let Some(off) = inst.world.switched.borrow().get(&d.span) {
                switched.extend(off.iter().cloned());
            }
        }
        docs.iter()
            .filter_map(|d| {
                inst.structured(d)
                    .or_else(|| d.as_str().and_then(|t| crate::parse::json::parse(file, t, 0).root))
            })
            .flat_map(|d| match d.get("Statement").map(|x| x.value.clone()) {
                Some(Value::Seq(v)) => v,
                Some(Value::Map(m)) => vec![Node::new(d.span, Value::Map(m))],
                _ => Vec::new(),
            })
            .collect()
    };
    statements.extend(docs_of("source_policy_documents", &mut switched));
    for mut st in s.blocks_gated(inst, "statement") {
        // a statement a value switches off is rendered as written, apart from the document
        let gate = st.gate.take();
        if let Some(g) = gate.filter(|g| g.value != Tri::True) {
            switched.push((statement(inst, file, span, &st, true), g));
            continue;
        }
        // one with a nested block that may not exist (a `dynamic "condition"` whose `for_each`
        // is not known): in the document with that block's values unknown, and as written
        // under the block's gate
        let nested = ["condition", "principals", "not_principals"]
            .into_iter()
            .flat_map(|name| st.blocks(inst, name))
            .find_map(|b| b.gate.filter(|g| g.value == Tri::Unknown));
        statements.push(statement(inst, file, span, &st, false));
        if let Some(g) = nested {
            switched.push((statement(inst, file, span, &st, true), g));
        }
    }
    for o in docs_of("override_policy_documents", &mut switched) {
        let sid = o.get("Sid").and_then(Node::as_str).map(str::to_owned);
        match sid.and_then(|sid| {
            statements
                .iter()
                .position(|x| x.get("Sid").and_then(Node::as_str) == Some(sid.as_str()))
        }) {
            Some(i) => statements[i] = o,
            None => statements.push(o),
        }
    }
    let version = s
        .node(inst, "version")
        .unwrap_or_else(|| Node::new(span, Value::String("2012-10-17".into())));
    let doc = Node::new(
        span,
        Value::Map(vec![
            Entry {
                key: "Version".into(),
                key_span: version.span,
                value: version,
            },
            Entry {
                key: "Statement".into(),
                key_span: span,
                value: Node::new(span, Value::Seq(statements)),
            },
        ]),
    );
    (doc, switched)
}

/// One `statement` block of a policy document data source (located at `span`), as the
/// provider renders it. With `as_written`, a nested block that may not exist (see
/// [`Scoped::blocks_gated`]) is read as its code is written, not as unknown.
fn statement(inst: &Instance<'_, '_>, file: FileId, span: Span, st: &Scoped<'_>, as_written: bool) -> Node {
    let nested = |name: &str| -> Vec<Scoped<'_>> {
        let mut blocks = st.blocks(inst, name);
        if as_written {
            for b in &mut blocks {
                b.gate = None;
            }
        }
        blocks
    };
    let mut e: Vec<Entry> = Vec::new();
    let mut put = |k: &str, v: Option<Node>| {
        if let Some(v) = v {
            e.push(Entry {
                key: k.to_owned(),
                key_span: v.span,
                value: v,
            });
        }
    };
    put("Sid", st.node(inst, "sid"));
    let effect = st.node(inst, "effect").unwrap_or_else(|| {
        Node::new(
            Span::new(file, span.start as usize, span.end as usize),
            Value::String("Allow".into()),
        )
    });
    put("Effect", Some(effect));
    put("Action", list_or_one(st.node(inst, "actions")));
    put("NotAction", list_or_one(st.node(inst, "not_actions")));
    put("Resource", list_or_one(st.node(inst, "resources")));
    put("NotResource", list_or_one(st.node(inst, "not_resources")));
    for (block, key) in [("principals", "Principal"), ("not_principals", "NotPrincipal")] {
        let ps = nested(block);
        if let Some(first) = ps.first() {
            let mut m: Vec<Entry> = Vec::new();
            let pspan = first.node(inst, "type").map_or(span, |n| n.span);
            for pb in &ps {
                if let (Some(t), Some(ids)) = (
                    pb.node(inst, "type").and_then(|n| super::eval::to_text(&n)),
                    list_or_one(pb.node(inst, "identifiers")),
                ) {
                    m.push(Entry {
                        key: t,
                        key_span: ids.span,
                        value: ids,
                    });
                }
            }
            put(key, Some(Node::new(pspan, Value::Map(m))));
        }
    }
    let conds = nested("condition");
    if !conds.is_empty() {
        let cspan = conds.first().and_then(|c| c.node(inst, "test")).map_or(span, |n| n.span);
        put("Condition", Some(conditions(inst, &conds, cspan)));
    }
    let sspan = e.first().map_or(span, |x| x.value.span);
    Node::new(sspan, Value::Map(e))
}

/// The `Condition` of a statement from its `condition` blocks (the first located at `cspan`):
/// unknown as a whole when the operator or key of one is not known (which condition it is
/// decides what the statement denies).
fn conditions(inst: &Instance<'_, '_>, conds: &[Scoped<'_>], cspan: Span) -> Node {
    let mut ops: Vec<Entry> = Vec::new();
    for c in conds {
        let (test, var, vals) = (c.node(inst, "test"), c.node(inst, "variable"), list_or_one(c.node(inst, "values")));
        let (Some(test), Some(var), Some(vals)) = (test, var, vals) else {
            let why = "a `condition` block without `test`, `variable` or `values`";
            return Node::new(cspan, Value::unknown(why));
        };
        let (Some(t), Some(v)) = (super::eval::to_text(&test), super::eval::to_text(&var)) else {
            let why = test.contains_unknown().or_else(|| var.contains_unknown()).map_or_else(
                || "a condition whose `test` or `variable` is not a string".to_owned(),
                |r| format!("a condition whose `test` or `variable` is not known statically: {r}"),
            );
            return Node::new(cspan, Value::unknown(why));
        };
        let cspan = test.span.cover(vals.span);
        let entry = Entry {
            key: v,
            key_span: var.span,
            value: vals,
        };
        match ops.iter_mut().find(|x| x.key == t) {
            Some(op) => {
                if let Value::Map(m) = &mut op.value.value {
                    // repeated blocks with the same test and variable merge their
                    // values into one list (OR), as the provider renders them
                    match m.iter_mut().find(|x| x.key == entry.key) {
                        Some(same) => {
                            if let (Value::Seq(a), Value::Seq(b)) = (&mut same.value.value, entry.value.value) {
                                a.extend(b);
                            }
                        }
                        None => m.push(entry),
                    }
                }
            }
            None => ops.push(Entry {
                key: t,
                key_span: test.span,
                value: Node::new(cspan, Value::Map(vec![entry])),
            }),
        }
    }
    Node::new(cspan, Value::Map(ops))
}

/// The attributes of a policy document data source rendered as `doc`, located at `span`:
/// `json` (indented, as the provider writes it; its whitespace counts toward the SCP size
/// limit) and `minified_json`, each a text whose structure is kept. `None` when the budget
/// cannot pay for the texts and their structures.
pub(super) fn attributes(inst: &Instance<'_, '_>, doc: Node, switched: Switched, span: Span) -> Option<Node> {
    use super::eval::Env as _;
    // the two texts and the two structures kept for them
    if !crate::limits::charge_copy(&doc, span) || !crate::limits::charge_copy(&doc, span) {
        return None;
    }
    let pretty = serde_json::to_string_pretty(&doc.to_json()).unwrap_or_default();
    let minified = doc.to_json().to_string();
    if !crate::limits::charge_bytes(pretty.len() + minified.len(), span) {
        return None;
    }
    let (pspan, mspan) = (span, Span { end: span.end + 1, ..span });
    inst.keep_structured(pspan, doc.clone());
    inst.keep_structured(mspan, doc);
    if !switched.is_empty() {
        let mut off = inst.world.switched.borrow_mut();
        off.insert(pspan, switched.clone());
        off.insert(mspan, switched);
    }
    let (p, m) = (Node::new(pspan, Value::String(pretty)), Node::new(mspan, Value::String(minified)));
    Some(super::eval::object(
        span,
        [("json".to_owned(), p), ("minified_json".to_owned(), m)].into_iter().collect(),
    ))
}

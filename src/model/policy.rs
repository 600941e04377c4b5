//! IAM policy documents (SCPs and other Organizations policies) as parsed statements.

use super::{Gate, Loc, Prop};
use crate::parse::tree::{Node, Value};

/// A string item of `Action`, `Resource`, a condition value list, …
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Known text (numbers and booleans as written), or `None` when unknown.
    pub text: Option<String>,
    pub unknown: Option<String>,
    pub loc: Loc,
}

/// A string-or-list element of a statement.
#[derive(Clone, Debug, PartialEq)]
pub struct List {
    pub loc: Loc,
    pub items: Vec<Item>,
    /// The element is not a string or list (or is unknown as a whole).
    pub problem: Option<String>,
}

/// One `operator: { key: values }` pair of a `Condition` block.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub loc: Loc,
    pub values: List,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub index: usize,
    pub loc: Loc,
    pub sid: Option<String>,
    pub effect: Prop,
    pub action: Option<List>,
    pub not_action: Option<List>,
    pub resource: Option<List>,
    pub not_resource: Option<List>,
    pub principal: Option<Loc>,
    pub not_principal: Option<Loc>,
    pub condition_loc: Option<Loc>,
    pub conditions: Vec<Condition>,
    /// Problems in the statement's shape (a `Condition` that is not a mapping, …).
    pub problems: Vec<(Loc, String)>,
}

/// A policy document.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyDoc {
    pub loc: Loc,
    pub version: Prop,
    pub statements: Vec<Statement>,
    /// Size in bytes as submitted to AWS, when known.
    pub size_bytes: Option<usize>,
    /// The whole content is not known statically.
    pub unknown: Option<String>,
    /// Problems in the document's shape.
    pub problems: Vec<(Loc, String)>,
    /// Statements past [`MAX_STATEMENTS`], not read.
    pub unread_statements: usize,
    /// Statements the code writes that a value switches off, or may (Terraform: a `dynamic
    /// "statement"` block whose `for_each` is empty or not known): not part of the document.
    pub switched: Vec<Switched>,
}

/// A statement the code writes and a value switches off, or may: `gate` decides whether it
/// is part of the policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Switched {
    pub statement: Statement,
    pub gate: Gate,
}

/// Statements read of one policy. The smallest statement is about 25 characters, so a policy
/// with more cannot fit the size limit of any AWS Organizations policy type (5,120 characters
/// for SCPs and RCPs, 10,000 at most): AWS rejects it, whatever the statements past this say.
/// Reading 100,000 of them would only cost memory.
pub const MAX_STATEMENTS: usize = 1000;

impl PolicyDoc {
    /// A document whose content cannot be known.
    #[must_use]
    pub fn unknown(loc: Loc, reason: impl Into<String>) -> Self {
        PolicyDoc {
            loc,
            version: Prop::absent(),
            statements: Vec::new(),
            size_bytes: None,
            unknown: Some(reason.into()),
            problems: Vec::new(),
            unread_statements: 0,
            switched: Vec::new(),
        }
    }

    /// The document with the statements a value switches off (each with its gate), read as
    /// its own statements are (the first [`MAX_STATEMENTS`]).
    #[must_use]
    pub fn with_switched(mut self, switched: Vec<(Node, Gate)>) -> Self {
        for (i, (n, gate)) in switched.into_iter().enumerate().take(MAX_STATEMENTS) {
            let loc = self.loc.child(n.span, &format!("switched/{i}"));
            self.switched.push(Switched {
                statement: statement(&n, &loc, i),
                gate,
            });
        }
        self
    }

    /// Read a document from an (evaluated) node. `loc` is the location of the node.
    #[must_use]
    pub fn from_node(n: &Node, loc: &Loc, size_bytes: Option<usize>) -> Self {
        let mut doc = PolicyDoc {
            loc: loc.clone(),
            version: Prop::absent(),
            statements: Vec::new(),
            size_bytes,
            unknown: None,
            problems: Vec::new(),
            unread_statements: 0,
            switched: Vec::new(),
        };
        if let Value::Unknown(u) = &n.value {
            doc.unknown = Some(u.reason.clone());
            return doc;
        }
        let Some(entries) = n.as_map() else {
            doc.problems
                .push((loc.clone(), format!("the policy is a {}, not a JSON object", n.kind_name())));
            return doc;
        };
        let mut saw_statement = false;
        let (mut unexpected, mut first_unlisted) = (0, None);
        for e in entries {
            let el = loc.child(e.value.span, &e.key);
            match e.key.as_str() {
                "Version" => doc.version = Prop::from_node(Some(&e.value), Some(el)),
                "Statement" => {
                    saw_statement = true;
                    match &e.value.value {
                        Value::Seq(items) => {
                            doc.statements.reserve_exact(items.len().min(MAX_STATEMENTS));
                            for (i, s) in items.iter().enumerate().take(MAX_STATEMENTS) {
                                doc.statements.push(statement(s, &el.child(s.span, &i.to_string()), i));
                            }
                            if let Some(first) = items.get(MAX_STATEMENTS) {
                                doc.unread_statements = items.len() - MAX_STATEMENTS;
                                doc.problems.push((
                                    el.child(first.span, &MAX_STATEMENTS.to_string()),
                                    format!(
                                        "the policy has {} statements; rootguard reads the first {MAX_STATEMENTS}: a policy this long is over the size limit of every AWS Organizations policy type, so AWS rejects it",
                                        items.len()
                                    ),
                                ));
                            }
                        }
                        Value::Map(_) => doc.statements.push(statement(&e.value, &el, 0)),
                        Value::Unknown(u) => doc.unknown = Some(u.reason.clone()),
                        _ => doc
                            .problems
                            .push((el, format!("`Statement` is a {}, not a list or object", e.value.kind_name()))),
                    }
                }
                "Id" => {}
                other => {
                    unexpected += 1;
                    if unexpected <= crate::parse::MAX_PER_CODE {
                        doc.problems
                            .push((loc.child(e.key_span, other), format!("unexpected top-level element `{other}`")));
                    } else if unexpected == crate::parse::MAX_PER_CODE + 1 {
                        first_unlisted = Some(loc.child(e.key_span, other));
                    }
                }
            }
        }
        if let Some(at) = first_unlisted {
            let more = unexpected - crate::parse::MAX_PER_CODE;
            doc.problems.push((
                at,
                format!("{more} more unexpected top-level elements, from here on, are not listed one by one"),
            ));
        }
        if !saw_statement {
            doc.problems.push((loc.clone(), "the policy has no `Statement`".into()));
        }
        doc
    }
}

fn list(n: &Node, loc: Loc) -> List {
    let mut l = List {
        loc: loc.clone(),
        items: Vec::new(),
        problem: None,
    };
    let mut push = |x: &Node, xl: Loc| {
        let (text, unknown) = match &x.value {
            Value::Unknown(u) => (None, Some(u.reason.clone())),
            _ => match x.as_scalar_str() {
                Some(s) => (Some(s.into_owned()), None),
                None => (None, Some(format!("a {} where a string is needed", x.kind_name()))),
            },
        };
        l.items.push(Item { text, unknown, loc: xl });
    };
    match &n.value {
        Value::Seq(items) => {
            for (i, x) in items.iter().enumerate() {
                push(x, loc.child(x.span, &i.to_string()));
            }
        }
        Value::Unknown(u) => l.problem = Some(u.reason.clone()),
        Value::Map(_) | Value::Null => l.problem = Some(format!("a {} where a string or list is needed", n.kind_name())),
        _ => push(n, loc),
    }
    l
}

fn statement(n: &Node, loc: &Loc, index: usize) -> Statement {
    let mut s = Statement {
        index,
        loc: loc.clone(),
        sid: None,
        effect: Prop::absent(),
        action: None,
        not_action: None,
        resource: None,
        not_resource: None,
        principal: None,
        not_principal: None,
        condition_loc: None,
        conditions: Vec::new(),
        problems: Vec::new(),
    };
    let Some(entries) = n.as_map() else {
        s.problems
            .push((loc.clone(), format!("the statement is a {}, not an object", n.kind_name())));
        return s;
    };
    for e in entries {
        let el = loc.child(e.value.span, &e.key);
        match e.key.as_str() {
            "Sid" => s.sid = e.value.as_scalar_str().map(std::borrow::Cow::into_owned),
            "Effect" => s.effect = Prop::from_node(Some(&e.value), Some(el)),
            "Action" => s.action = Some(list(&e.value, el)),
            "NotAction" => s.not_action = Some(list(&e.value, el)),
            "Resource" => s.resource = Some(list(&e.value, el)),
            "NotResource" => s.not_resource = Some(list(&e.value, el)),
            "Principal" => s.principal = Some(loc.child(e.key_span.cover(e.value.span), "Principal")),
            "NotPrincipal" => s.not_principal = Some(loc.child(e.key_span.cover(e.value.span), "NotPrincipal")),
            "Condition" => {
                s.condition_loc = Some(el.clone());
                match &e.value.value {
                    Value::Map(ops) => {
                        for op in ops {
                            let ol = el.child(op.value.span, &op.key);
                            match &op.value.value {
                                Value::Map(keys) => {
                                    for k in keys {
                                        let kl = ol.child(k.key_span.cover(k.value.span), &k.key);
                                        s.conditions.push(Condition {
                                            operator: op.key.clone(),
                                            key: k.key.clone(),
                                            loc: kl.clone(),
                                            values: list(&k.value, ol.child(k.value.span, &k.key)),
                                        });
                                    }
                                }
                                _ => s
                                    .problems
                                    .push((ol, format!("condition operator `{}` does not hold a mapping of keys", op.key))),
                            }
                        }
                    }
                    Value::Unknown(u) => s
                        .problems
                        .push((el, format!("the condition is not known statically: {}", u.reason))),
                    _ => s.problems.push((el, "`Condition` is not a mapping".into())),
                }
            }
            other => s
                .problems
                .push((loc.child(e.key_span, other), format!("unexpected statement element `{other}`"))),
        }
    }
    s
}

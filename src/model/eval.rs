//! Static evaluation of `CloudFormation` intrinsic functions and conditions.
//!
//! Parameters take their `Default` (or the value a conformance pack or `StackSet` passes in);
//! pseudo parameters, resource attributes and imports are unknown. `Fn::Sub` keeps a
//! placeholder it cannot resolve as written (`arn:${AWS::Partition}:iam::*:root`), so that
//! the policy analysis can still reason about the rest of the string; every other consumer
//! treats a string holding `${` as unknown.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::{Loc, Tri};
use crate::parse::tree::{Entry, Node, Value};
use crate::source::Span;

/// A template parameter's value.
#[derive(Clone, Debug)]
pub struct Param {
    pub value: Option<Node>,
    /// Where the value comes from (the `Default`, or the override).
    pub loc: Option<Loc>,
    pub list: bool,
    pub source: &'static str,
}

/// Why an intrinsic function's argument gives no string, or its result is not built: the
/// function's value is unknown, with this as the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// `AWS::NoValue` where a value is needed.
    NoValue,
    /// A value not known statically, with the reason it is not.
    Unknown(String),
    /// A value of this kind where a string is needed.
    NotAString(&'static str),
    /// A string that would be longer than the `string-bytes` limit (in bytes).
    TooLong(usize),
    /// The evaluation budget is spent.
    BudgetSpent,
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalError::NoValue => f.write_str("AWS::NoValue where a value is needed"),
            EvalError::Unknown(why) => f.write_str(why),
            EvalError::NotAString(kind) => write!(f, "a {kind} where a string is needed"),
            EvalError::TooLong(limit) => write!(f, "a string longer than the limit of {limit} bytes (raise --limit string-bytes=N)"),
            EvalError::BudgetSpent => f.write_str(&crate::limits::spent_reason()),
        }
    }
}

impl std::error::Error for EvalError {}

/// What a condition evaluated to, and why.
#[derive(Clone, Debug)]
pub struct CondResult {
    pub value: Tri,
    pub reason: String,
    pub decided_by: Option<Loc>,
}

/// Evaluation context for one template.
pub struct Cfn<'a> {
    pub root: &'a Node,
    pub params: BTreeMap<String, Param>,
    pub resource_types: BTreeMap<String, String>,
    /// Conditions decided, with the parameters each used (an enclosing condition uses them too).
    cache: RefCell<BTreeMap<String, (CondResult, Vec<String>)>>,
    used_params: RefCell<Vec<String>>,
    /// The conditions under evaluation, innermost last (a cycle among them is reported).
    conditions: RefCell<Vec<String>>,
}

impl<'a> Cfn<'a> {
    /// Build the context; `overrides` are parameter values given from outside the template.
    #[must_use]
    pub fn new(root: &'a Node, overrides: &BTreeMap<String, (Node, Loc)>) -> Self {
        let mut params = BTreeMap::new();
        if let Some(ps) = root.get("Parameters").and_then(Node::as_map) {
            for e in ps {
                let ty = e.value.get("Type").and_then(Node::as_str).unwrap_or("String");
                let list = ty.starts_with("List<") || ty == "CommaDelimitedList";
                let (value, loc, source) = match overrides.get(&e.key) {
                    Some((n, l)) => (Some(n.clone()), Some(l.clone()), "passed in"),
                    None => match e.value.entry("Default") {
                        Some(d) => (
                            Some(d.value.clone()),
                            Some(Loc::new(d.value.span, format!("Parameters/{}/Default", e.key))),
                            "its default",
                        ),
                        None => (None, Some(Loc::new(e.key_span, format!("Parameters/{}", e.key))), "no default"),
                    },
                };
                params.insert(e.key.clone(), Param { value, loc, list, source });
            }
        }
        for (k, (n, l)) in overrides {
            params.entry(k.clone()).or_insert_with(|| Param {
                value: Some(n.clone()),
                loc: Some(l.clone()),
                list: false,
                source: "passed in",
            });
        }
        let mut resource_types = BTreeMap::new();
        if let Some(rs) = root.get("Resources").and_then(Node::as_map) {
            for e in rs {
                if let Some(t) = e.value.get("Type").and_then(Node::as_str) {
                    resource_types.insert(e.key.clone(), t.to_owned());
                }
            }
        }
        Cfn {
            root,
            params,
            resource_types,
            cache: RefCell::new(BTreeMap::new()),
            used_params: RefCell::new(Vec::new()),
            conditions: RefCell::new(Vec::new()),
        }
    }

    /// Evaluate a node; `None` means `AWS::NoValue` (the property is removed).
    #[must_use]
    pub fn eval(&self, n: &Node) -> Option<Node> {
        self.eval_d(n, 0)
    }

    #[allow(clippy::unnecessary_wraps)] // every intrinsic arm returns `Option` (None = AWS::NoValue)
    fn unknown(span: Span, why: impl Into<String>) -> Option<Node> {
        Some(Node::new(span, Value::unknown(why)))
    }

    /// Past the `depth` limit: the diagnostic, and the reason the value is unknown.
    fn too_deep(span: Span) -> String {
        let limit = crate::limits::get().depth;
        crate::limits::reached(
            "depth",
            limit as u64,
            span,
            &format!("intrinsic functions and the conditions they use nest more than {limit} levels deep here; the value is unknown"),
        );
        format!("evaluation nested more than {limit} levels deep (raise --limit depth=N)")
    }

    fn eval_d(&self, n: &Node, depth: usize) -> Option<Node> {
        if depth > crate::limits::get().depth {
            return Self::unknown(n.span, Self::too_deep(n.span));
        }
        // a step per value: the result is a copy of the template's values
        if !crate::limits::charge(crate::limits::VALUE, n.span) {
            return Self::unknown(n.span, crate::limits::spent_reason());
        }
        match &n.value {
            Value::Map(entries) => {
                if entries.len() == 1 {
                    let e = &entries[0];
                    if e.key == "Ref" || e.key.starts_with("Fn::") {
                        // the result is located where the function is written
                        return self.intrinsic(n.span, &e.key, &e.value, depth + 1).map(|mut r| {
                            r.span = n.span;
                            r
                        });
                    }
                }
                let mut out = Vec::with_capacity(entries.len());
                for e in entries {
                    if let Some(v) = self.eval_d(&e.value, depth + 1) {
                        out.push(Entry {
                            key: e.key.clone(),
                            key_span: e.key_span,
                            value: v,
                        });
                    }
                }
                Some(Node::new(n.span, Value::Map(out)))
            }
            Value::Seq(items) => Some(Node::new(
                n.span,
                Value::Seq(items.iter().filter_map(|i| self.eval_d(i, depth + 1)).collect()),
            )),
            _ => Some(n.clone()),
        }
    }

    fn eval_str(&self, n: &Node, depth: usize) -> Result<String, EvalError> {
        match self.eval_d(n, depth) {
            None => Err(EvalError::NoValue),
            Some(v) => match &v.value {
                Value::Unknown(u) => Err(EvalError::Unknown(u.reason.clone())),
                _ => v
                    .as_scalar_str()
                    .map(std::borrow::Cow::into_owned)
                    .ok_or_else(|| EvalError::NotAString(v.kind_name())),
            },
        }
    }

    #[allow(clippy::too_many_lines)] // one arm per intrinsic function reads best as one match
    fn intrinsic(&self, span: Span, f: &str, arg: &Node, depth: usize) -> Option<Node> {
        match f {
            "Ref" => {
                let Some(name) = arg.as_str() else {
                    return Self::unknown(span, "`Ref` to something that is not a name");
                };
                self.reference(span, name)
            }
            "Fn::Sub" => {
                let (tpl, vars) = match &arg.value {
                    Value::String(s) => (s.clone(), None),
                    Value::Seq(items) if !items.is_empty() => match items[0].as_str() {
                        Some(s) => (s.to_owned(), items.get(1)),
                        None => return Self::unknown(span, "`Fn::Sub` without a template string"),
                    },
                    _ => return Self::unknown(span, "`Fn::Sub` without a template string"),
                };
                match self.substitute(&tpl, vars, depth, span) {
                    Ok(s) => Some(Node::new(span, Value::String(s))),
                    Err(why) => Self::unknown(span, why.to_string()),
                }
            }
            "Fn::If" => {
                let Some([c, a, b]) = arg.as_seq().and_then(|s| <&[Node; 3]>::try_from(s).ok()) else {
                    return Self::unknown(span, "`Fn::If` needs [condition, value if true, value if false]");
                };
                let Some(cname) = c.as_str() else {
                    return Self::unknown(span, "`Fn::If` condition is not a name");
                };
                let r = self.condition_d(cname, depth + 1, c.span);
                match r.value {
                    Tri::True => self.eval_d(a, depth),
                    Tri::False => self.eval_d(b, depth),
                    Tri::Unknown => {
                        let (x, y) = (self.eval_d(a, depth), self.eval_d(b, depth));
                        let same = match (&x, &y) {
                            (Some(x), Some(y)) => x.to_json() == y.to_json(),
                            (None, None) => true,
                            _ => false,
                        };
                        if same {
                            x
                        } else {
                            Self::unknown(span, format!("depends on condition `{cname}`, which is not known: {}", r.reason))
                        }
                    }
                }
            }
            "Fn::Join" => {
                let Some([d, list]) = arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok()) else {
                    return Self::unknown(span, "`Fn::Join` needs [delimiter, list]");
                };
                let d = match self.eval_str(d, depth) {
                    Ok(d) => d,
                    Err(r) => return Self::unknown(span, r.to_string()),
                };
                let Some(l) = self.eval_d(list, depth) else {
                    return Self::unknown(span, "`Fn::Join` of nothing");
                };
                let Some(items) = l.as_seq() else {
                    return Self::unknown(
                        span,
                        l.contains_unknown()
                            .unwrap_or("`Fn::Join` of something that is not a list")
                            .to_owned(),
                    );
                };
                let mut parts = Vec::new();
                let mut len = 0usize;
                for i in items {
                    match &i.value {
                        Value::Unknown(u) => return Self::unknown(span, u.reason.clone()),
                        _ => match i.as_scalar_str() {
                            Some(s) => {
                                len = len.saturating_add(s.len()).saturating_add(d.len());
                                parts.push(s.into_owned());
                            }
                            None => return Self::unknown(span, "`Fn::Join` of a non-string item"),
                        },
                    }
                }
                if let Some(why) = Self::too_long(len, span) {
                    return Self::unknown(span, why.to_string());
                }
                Some(Node::new(span, Value::String(parts.join(&d))))
            }
            "Fn::Select" => {
                let Some([i, list]) = arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok()) else {
                    return Self::unknown(span, "`Fn::Select` needs [index, list]");
                };
                let idx = match self.eval_str(i, depth).map(|s| s.parse::<usize>()) {
                    Ok(Ok(i)) => i,
                    Ok(Err(_)) => return Self::unknown(span, "`Fn::Select` index is not a number"),
                    Err(r) => return Self::unknown(span, r.to_string()),
                };
                match self.eval_d(list, depth) {
                    Some(l) => match l.as_seq() {
                        Some(items) => match items.get(idx) {
                            Some(v) => Some(v.clone()),
                            None => Self::unknown(span, "`Fn::Select` index out of range"),
                        },
                        None => Self::unknown(
                            span,
                            l.contains_unknown()
                                .unwrap_or("`Fn::Select` from something that is not a list")
                                .to_owned(),
                        ),
                    },
                    None => Self::unknown(span, "`Fn::Select` from nothing"),
                }
            }
            "Fn::Split" => {
                let Some([d, s]) = arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok()) else {
                    return Self::unknown(span, "`Fn::Split` needs [delimiter, string]");
                };
                match (self.eval_str(d, depth), self.eval_str(s, depth)) {
                    (Ok(d), Ok(s)) if !d.is_empty() => {
                        // a value per piece: paid before they are built
                        let pieces = s.matches(d.as_str()).count() as u64 + 1;
                        if !crate::limits::charge(crate::limits::VALUE.saturating_mul(pieces), span) {
                            return Self::unknown(span, crate::limits::spent_reason());
                        }
                        Some(Node::new(
                            span,
                            Value::Seq(s.split(d.as_str()).map(|p| Node::new(span, Value::String(p.to_owned()))).collect()),
                        ))
                    }
                    (Err(r), _) | (_, Err(r)) => Self::unknown(span, r.to_string()),
                    _ => Self::unknown(span, "`Fn::Split` with an empty delimiter"),
                }
            }
            "Fn::FindInMap" => {
                let Some(args) = arg.as_seq().filter(|a| a.len() >= 3) else {
                    return Self::unknown(span, "`Fn::FindInMap` needs [map, key, key]");
                };
                let keys: Result<Vec<String>, EvalError> = args[..3].iter().map(|a| self.eval_str(a, depth)).collect();
                match keys {
                    Ok(k) => match self.root.at(&["Mappings", &k[0], &k[1], &k[2]]) {
                        Some(v) => self.eval_d(v, depth),
                        None => match args.get(3).and_then(|d| d.get("DefaultValue")) {
                            Some(d) => self.eval_d(d, depth),
                            None => Self::unknown(span, format!("no mapping entry {}/{}/{}", k[0], k[1], k[2])),
                        },
                    },
                    Err(r) => Self::unknown(span, r.to_string()),
                }
            }
            "Fn::GetAtt" => {
                let what = match &arg.value {
                    Value::Seq(s) => s.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join("."),
                    Value::String(s) => s.clone(),
                    _ => "an attribute".into(),
                };
                Self::unknown(span, format!("`{what}` is an attribute known after deployment"))
            }
            "Fn::ImportValue" => Self::unknown(span, "a value imported from another stack"),
            "Fn::GetAZs" | "Fn::Cidr" => Self::unknown(span, format!("`{f}` is known at deployment")),
            "Fn::Base64" => self.eval_d(arg, depth),
            "Fn::ToJsonString" => match self.eval_d(arg, depth) {
                Some(v) if v.contains_unknown().is_none() => Some(Node::new(span, Value::String(v.to_json_string()))),
                Some(v) => Self::unknown(span, v.contains_unknown().unwrap_or_default().to_owned()),
                None => Self::unknown(span, "`Fn::ToJsonString` of nothing"),
            },
            "Fn::Length" => match self.eval_d(arg, depth) {
                Some(v) => match v.as_seq() {
                    Some(s) => Some(Node::new(span, Value::Number(s.len().to_string()))),
                    None => Self::unknown(span, "`Fn::Length` of something that is not a list"),
                },
                None => Self::unknown(span, "`Fn::Length` of nothing"),
            },
            "Fn::Equals" | "Fn::Not" | "Fn::And" | "Fn::Or" => {
                let wrapped = Node::new(
                    span,
                    Value::Map(vec![Entry {
                        key: f.to_owned(),
                        key_span: span,
                        value: arg.clone(),
                    }]),
                );
                match self.cond_expr(&wrapped, depth).0 {
                    Tri::True => Some(Node::new(span, Value::Bool(true))),
                    Tri::False => Some(Node::new(span, Value::Bool(false))),
                    Tri::Unknown => Self::unknown(span, format!("`{f}` is not known statically")),
                }
            }
            "Fn::Transform" => Self::unknown(span, "a macro (`Fn::Transform`) runs at deployment"),
            _ => Self::unknown(span, format!("`{f}` is not evaluated by rootguard")),
        }
    }

    fn reference(&self, span: Span, name: &str) -> Option<Node> {
        if name == "AWS::NoValue" {
            return None;
        }
        if name.starts_with("AWS::") {
            return Self::unknown(span, format!("pseudo parameter `{name}` is known at deployment"));
        }
        if let Some(p) = self.params.get(name) {
            self.used_params.borrow_mut().push(name.to_owned());
            return match &p.value {
                None => Self::unknown(span, format!("parameter `{name}` has no default")),
                Some(v) => {
                    // a copy of the value, paid by its size
                    if !crate::limits::charge_copy(v, span) {
                        return Self::unknown(span, crate::limits::spent_reason());
                    }
                    let mut v = v.clone();
                    if p.list
                        && let Some(s) = v.as_scalar_str().map(std::borrow::Cow::into_owned)
                    {
                        if !crate::limits::charge(crate::limits::VALUE.saturating_mul(s.matches(',').count() as u64 + 1), span) {
                            return Self::unknown(span, crate::limits::spent_reason());
                        }
                        v = Node::new(
                            v.span,
                            Value::Seq(
                                s.split(',')
                                    .map(|x| Node::new(v.span, Value::String(x.trim().to_owned())))
                                    .collect(),
                            ),
                        );
                    }
                    Some(v)
                }
            };
        }
        if let Some(t) = self.resource_types.get(name) {
            return Self::unknown(span, format!("the id of resource `{name}` ({t}), known after deployment"));
        }
        Self::unknown(span, format!("`Ref {name}` names nothing in the template"))
    }

    /// A string of `len` bytes about to be built: the reason it is unknown when it passes the
    /// `string-bytes` limit or the budget (with the diagnostic), else `None`.
    fn too_long(len: usize, span: Span) -> Option<EvalError> {
        let limit = crate::limits::get().string_bytes;
        if len > limit {
            crate::limits::reached(
                "string-bytes",
                limit as u64,
                span,
                &format!("this function builds a string of more than {limit} bytes; it is unknown"),
            );
            return Some(EvalError::TooLong(limit));
        }
        (!crate::limits::charge_bytes(len, span)).then_some(EvalError::BudgetSpent)
    }

    fn substitute(&self, tpl: &str, vars: Option<&Node>, depth: usize, span: Span) -> Result<String, EvalError> {
        let mut out = String::with_capacity(tpl.len());
        let mut rest = tpl;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(j) = after.find('}') else {
                out.push_str(&rest[i..]);
                return Ok(out);
            };
            let name = &after[..j];
            if let Some(lit) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(lit);
                out.push('}');
            } else {
                let from_vars = vars.and_then(|v| v.get(name)).map(|v| self.eval_str(v, depth));
                let val = match from_vars {
                    Some(r) => r.ok(),
                    None if !name.contains('.') && !name.starts_with("AWS::") => self.params.get(name).and_then(|_| {
                        self.reference(Span::default(), name)
                            .filter(|n| !n.is_unknown())
                            .and_then(|n| n.as_scalar_str().map(std::borrow::Cow::into_owned))
                    }),
                    None => None,
                };
                if let Some(v) = val {
                    if let Some(why) = Self::too_long(out.len().saturating_add(v.len()), span) {
                        return Err(why);
                    }
                    out.push_str(&v);
                } else {
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = &after[j + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Evaluate a named condition of the template's `Conditions` section.
    #[must_use]
    pub fn condition(&self, name: &str) -> CondResult {
        self.condition_d(name, 0, Span::default())
    }

    /// [`Self::condition`], read at `at` by an evaluation at nesting `depth`.
    fn condition_d(&self, name: &str, depth: usize, at: Span) -> CondResult {
        if let Some((r, used)) = self.cache.borrow().get(name) {
            // an enclosing condition depends on the parameters this one used, evaluated first
            // or not
            self.used_params.borrow_mut().extend(used.iter().cloned());
            return r.clone();
        }
        if depth > crate::limits::get().depth {
            return CondResult {
                value: Tri::Unknown,
                reason: Self::too_deep(at),
                decided_by: None,
            };
        }
        {
            let mut stack = self.conditions.borrow_mut();
            if let Some(i) = stack.iter().position(|c| c == name) {
                let chain = stack[i..].join(", ");
                crate::limits::note(crate::parse::Diagnostic::error(
                    at,
                    "cycle",
                    format!(
                        "Cycle: {chain}: these conditions refer to each other, which CloudFormation rejects; rootguard takes them as unknown"
                    ),
                ));
                return CondResult {
                    value: Tri::Unknown,
                    reason: format!("a cycle of conditions (Cycle: {chain})"),
                    decided_by: None,
                };
            }
            stack.push(name.to_owned());
        }
        let mut used_here = Vec::new();
        let r = match self.root.at(&["Conditions", name]) {
            None => CondResult {
                value: Tri::Unknown,
                reason: format!("condition `{name}` is not defined in the template"),
                decided_by: None,
            },
            Some(expr) => {
                let outer: Vec<String> = std::mem::take(&mut *self.used_params.borrow_mut());
                let (value, why) = self.cond_expr(expr, depth + 1);
                let used: Vec<String> = std::mem::take(&mut *self.used_params.borrow_mut());
                // the enclosing condition depends on these parameters too
                self.used_params.borrow_mut().extend(outer.into_iter().chain(used.iter().cloned()));
                let mut parts = Vec::new();
                let mut decided_by = None;
                used_here = dedup(used);
                for p in &used_here {
                    if let Some(param) = self.params.get(p) {
                        if decided_by.is_none() {
                            decided_by.clone_from(&param.loc);
                        }
                        match &param.value {
                            Some(v) => parts.push(format!(
                                "parameter `{p}` is `{}` ({})",
                                v.as_scalar_str().unwrap_or_else(|| v.to_json_string().into()),
                                param.source
                            )),
                            None => parts.push(format!("parameter `{p}` has no default")),
                        }
                    }
                }
                let reason = if parts.is_empty() { why } else { parts.join(", ") };
                CondResult { value, reason, decided_by }
            }
        };
        self.conditions.borrow_mut().pop();
        self.cache.borrow_mut().insert(name.to_owned(), (r.clone(), used_here));
        r
    }

    fn cond_expr(&self, n: &Node, depth: usize) -> (Tri, String) {
        if depth > crate::limits::get().depth {
            return (Tri::Unknown, Self::too_deep(n.span));
        }
        if !crate::limits::step(n.span) {
            return (Tri::Unknown, crate::limits::spent_reason());
        }
        let Some([e]) = n.as_map() else {
            return match n.value {
                Value::Bool(true) => (Tri::True, String::new()),
                Value::Bool(false) => (Tri::False, String::new()),
                _ => (Tri::Unknown, "not a condition function".into()),
            };
        };
        let args = e.value.as_seq().unwrap_or_default();
        match e.key.as_str() {
            "Fn::Equals" => {
                if args.len() != 2 {
                    return (Tri::Unknown, "`Fn::Equals` needs two values".into());
                }
                let a = self.eval_d(&args[0], depth + 1);
                let b = self.eval_d(&args[1], depth + 1);
                match (a, b) {
                    (Some(a), Some(b)) => {
                        if let Some(r) = a.contains_unknown().or_else(|| b.contains_unknown()) {
                            return (Tri::Unknown, r.to_owned());
                        }
                        let (x, y) = (scalar_text(&a), scalar_text(&b));
                        if x.contains("${") || y.contains("${") {
                            return (Tri::Unknown, "compares a value known at deployment".into());
                        }
                        (if x == y { Tri::True } else { Tri::False }, String::new())
                    }
                    _ => (Tri::Unknown, "`Fn::Equals` of AWS::NoValue".into()),
                }
            }
            "Fn::Not" => {
                let (t, r) = args
                    .first()
                    .map_or((Tri::Unknown, "`Fn::Not` of nothing".into()), |a| self.cond_expr(a, depth + 1));
                (t.negate(), r)
            }
            "Fn::And" | "Fn::Or" => {
                let and = e.key == "Fn::And";
                let mut acc = if and { Tri::True } else { Tri::False };
                let mut why = String::new();
                for a in args {
                    let (t, r) = self.cond_expr(a, depth + 1);
                    if t == Tri::Unknown && why.is_empty() {
                        why = r;
                    }
                    acc = if and { acc.and(t) } else { acc.or(t) };
                }
                (acc, why)
            }
            "Condition" => match e.value.as_str() {
                Some(name) => {
                    let r = self.condition_d(name, depth + 1, e.value.span);
                    (r.value, r.reason)
                }
                None => (Tri::Unknown, "`Condition` without a name".into()),
            },
            other => (Tri::Unknown, format!("`{other}` is not a condition function")),
        }
    }
}

fn scalar_text(n: &Node) -> String {
    n.as_scalar_str().map_or_else(|| n.to_json_string(), std::borrow::Cow::into_owned)
}

fn dedup(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in v {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;
    use crate::source::FileId;

    fn tpl(s: &str) -> Node {
        yaml::parse(FileId(0), s, 0).root.unwrap()
    }

    #[test]
    fn conditions_use_parameter_defaults() {
        let t = tpl(
            "Parameters:\n  Level:\n    Default: 'Level 1'\nConditions:\n  IsL2: !Equals [!Ref Level, 'Level 2']\n  NotL2: !Not [!Condition IsL2]\n  Either: !Or [!Condition IsL2, !Condition NotL2]\n  NoDefault: !Equals [!Ref Missing, x]\n",
        );
        let c = Cfn::new(&t, &BTreeMap::new());
        assert_eq!(c.condition("IsL2").value, Tri::False);
        assert!(c.condition("IsL2").reason.contains("`Level 1`"), "{}", c.condition("IsL2").reason);
        assert_eq!(c.condition("NotL2").value, Tri::True);
        assert_eq!(c.condition("Either").value, Tri::True);
        assert_eq!(c.condition("NoDefault").value, Tri::Unknown);
        assert_eq!(c.condition("Undefined").value, Tri::Unknown);
    }

    /// A condition that uses another names the parameter that decides it, whether the inner one
    /// was evaluated before (and cached) or not.
    #[test]
    fn a_condition_names_its_deciding_parameter_in_any_order() {
        let text =
            "Parameters:\n  Env:\n    Default: dev\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n  NotProd: !Not [!Condition IsProd]\n";
        let t = tpl(text);
        let fresh = Cfn::new(&t, &BTreeMap::new());
        let first = fresh.condition("NotProd");
        let cached = Cfn::new(&t, &BTreeMap::new());
        let _ = cached.condition("IsProd");
        let after = cached.condition("NotProd");
        assert_eq!((first.value, after.value), (Tri::True, Tri::True));
        assert!(first.decided_by.is_some(), "{first:?}");
        assert_eq!(
            first.decided_by.as_ref().map(|l| &l.path),
            after.decided_by.as_ref().map(|l| &l.path)
        );
        assert_eq!(first.reason, after.reason);
    }

    #[test]
    fn intrinsics_resolve_or_stay_unknown() {
        let t = tpl(
            "Parameters:\n  F:\n    Default: 24hours\n  L:\n    Type: CommaDelimitedList\n    Default: a,b\nMappings:\n  Freq:\n    '24hours':\n      V: TwentyFour_Hours\nConditions:\n  T: !Equals [1, 1]\nResources:\n  R:\n    Type: AWS::Config::ConfigRule\n",
        );
        let c = Cfn::new(&t, &BTreeMap::new());
        let e = |s: &str| c.eval(&tpl(s)).map(|n| n.to_json());
        assert_eq!(e("!FindInMap [Freq, !Ref F, V]"), Some(serde_json::json!("TwentyFour_Hours")));
        assert_eq!(
            e("!Sub 'arn:${AWS::Partition}:iam::*:root'"),
            Some(serde_json::json!("arn:${AWS::Partition}:iam::*:root"))
        );
        assert_eq!(e("!Sub 'x-${F}'"), Some(serde_json::json!("x-24hours")));
        assert_eq!(e("!Join ['-', [a, !Ref F]]"), Some(serde_json::json!("a-24hours")));
        assert_eq!(e("!Select [1, !Ref L]"), Some(serde_json::json!("b")));
        assert_eq!(e("!If [T, yes, !Ref AWS::NoValue]"), Some(serde_json::json!("yes")));
        assert_eq!(e("{a: !Ref AWS::NoValue, b: 1}"), Some(serde_json::json!({"b": 1})));
        assert!(c.eval(&tpl("!Ref R")).unwrap().is_unknown());
        assert!(c.eval(&tpl("!GetAtt R.Arn")).unwrap().is_unknown());
    }
}

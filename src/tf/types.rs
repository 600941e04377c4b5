//! Variable type constraints, read from the hcl-edit syntax tree (`object({...})`,
//! `list(string)`, `optional(bool, true)`), and the conversion Terraform applies to a value of
//! a variable with one: `optional()` attribute defaults, object, map, list, set and tuple
//! conversion, primitive conversion, and the single element type of `list(any)` / `map(any)`.
//!
//! The rules, as documented (`/work/research/terraform-semantics.md` §3):
//! - type constraints and `optional()`:
//!   <https://developer.hashicorp.com/terraform/language/expressions/type-constraints>
//!   (`optional(T, D)`: an attribute omitted or null gets `D`; defaults apply top-down, to the
//!   default itself too, and to every element of a collection of objects);
//! - conversion: the same page, "Conversion of Primitive Types" and "Conversion of Complex
//!   Types" (number and bool to string, string to number when it is one, `"true"`/`"false"` to
//!   bool; attributes an object type does not name are dropped; `any` finds one element type);
//! - the type expression grammar and its errors follow `hashicorp/hcl` `ext/typeexpr`
//!   (`getType`), conversions `zclconf/go-cty` `cty/convert`.
//!
//! Values are `Node`s, which carry no type: a value converted to `map(string)` is a map node
//! whose values are strings. Every converted value keeps the span it came from; an attribute a
//! default fills has the span of the default in the type expression.

use std::collections::BTreeSet;
use std::fmt;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};

use crate::parse::tree::{Entry, Node, Value};
use crate::source::{FileId, Span};

/// A type constraint. `Any` is Terraform's `any` (and, in a value's inferred type, a null or
/// unknown value, whose type is not known).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    /// Attributes sorted by name.
    Object(Vec<Attr>),
}

/// An attribute of an object type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Attr {
    pub name: String,
    pub ty: Type,
    /// `optional(T)` / `optional(T, D)`: the attribute may be omitted.
    pub optional: bool,
    /// `D` of `optional(T, D)`, converted to `T`.
    pub default: Option<Node>,
}

impl Type {
    /// Does `any` occur in the type (then a collection's elements are unified to one type)?
    fn has_any(&self) -> bool {
        match self {
            Type::Any => true,
            Type::String | Type::Number | Type::Bool => false,
            Type::List(t) | Type::Set(t) | Type::Map(t) => t.has_any(),
            Type::Tuple(ts) => ts.iter().any(Type::has_any),
            Type::Object(attrs) => attrs.iter().any(|a| a.ty.has_any()),
        }
    }

    /// A primitive type (`string`, `number`, `bool`): `--var` and `TF_VAR_` values of a
    /// variable of such a type are taken literally, as strings.
    pub fn is_primitive(&self) -> bool {
        matches!(self, Type::String | Type::Number | Type::Bool)
    }
}

impl fmt::Display for Type {
    /// The name Terraform's messages use (`list of string`, `object`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Any => f.write_str("any"),
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::List(t) => write!(f, "list of {t}"),
            Type::Set(t) => write!(f, "set of {t}"),
            Type::Map(t) => write!(f, "map of {t}"),
            Type::Tuple(_) => f.write_str("tuple"),
            Type::Object(_) => f.write_str("object"),
        }
    }
}

/// A type expression Terraform rejects: where, and why (Terraform's words).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TypeError {
    pub span: Span,
    pub message: String,
}

const INVALID: &str = "Invalid type specification";

fn span_of(file: FileId, e: &Expression) -> Span {
    e.span().map_or(Span::new(file, 0, 0), |r| Span::new(file, r.start, r.end))
}

/// The bare keyword an expression is (`string`, `any`), if it is one.
fn keyword(e: &Expression) -> Option<&str> {
    match e {
        Expression::Variable(v) => Some(v.value().as_str()),
        _ => None,
    }
}

/// The type constraint of a variable: `type = <e>` of file `file`. `default` evaluates the
/// default of an `optional(T, D)` (a constant). Besides the type expressions of `typeexpr`, a
/// variable's type may be `list` or `map` alone, Terraform's shorthands for `list(any)` and
/// `map(any)`.
pub(crate) fn parse(file: FileId, e: &Expression, default: &mut dyn FnMut(&Expression) -> Node) -> Result<Type, TypeError> {
    match keyword(e) {
        Some("list") => return Ok(Type::List(Box::new(Type::Any))),
        Some("map") => return Ok(Type::Map(Box::new(Type::Any))),
        _ => {}
    }
    type_expr(file, e, default)
}

fn invalid(span: Span, detail: impl Into<String>) -> TypeError {
    TypeError {
        span,
        message: format!("{INVALID}: {}", detail.into()),
    }
}

fn type_expr(file: FileId, e: &Expression, default: &mut dyn FnMut(&Expression) -> Node) -> Result<Type, TypeError> {
    let span = span_of(file, e);
    if let Some(kw) = keyword(e) {
        return match kw {
            "bool" => Ok(Type::Bool),
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "any" => Ok(Type::Any),
            "list" | "map" | "set" => Err(invalid(
                span,
                format!("The {kw} type constructor requires one argument specifying the element type."),
            )),
            "object" => Err(invalid(
                span,
                "The object type constructor requires one argument specifying the attribute types and values as a map.",
            )),
            "tuple" => Err(invalid(
                span,
                "The tuple type constructor requires one argument specifying the element types as a list.",
            )),
            _ => Err(invalid(span, format!("The keyword \"{kw}\" is not a valid type specification."))),
        };
    }
    let Expression::FuncCall(call) = e else {
        return Err(invalid(
            span,
            "A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).",
        ));
    };
    let name = call.name.name.value().as_str();
    if !call.name.namespace.is_empty() {
        return Err(invalid(span, format!("Keyword \"{name}\" is not a valid type constructor.")));
    }
    let args: Vec<&Expression> = call.args.iter().collect();
    match name {
        "bool" | "string" | "number" => {
            return Err(invalid(
                span,
                format!("Primitive type keyword \"{name}\" does not expect arguments."),
            ));
        }
        "any" => {
            return Err(invalid(
                span,
                format!("Type constraint keyword \"{name}\" does not expect arguments."),
            ));
        }
        "optional" => {
            return Err(invalid(
                span,
                "Keyword \"optional\" is valid only as a modifier for object type attributes.",
            ));
        }
        "list" | "set" | "map" | "object" | "tuple" => {}
        _ => return Err(invalid(span, format!("Keyword \"{name}\" is not a valid type constructor."))),
    }
    let [arg] = args.as_slice() else {
        let detail = match name {
            "object" => "The object type constructor requires one argument specifying the attribute types and values as a map.".to_owned(),
            "tuple" => "The tuple type constructor requires one argument specifying the element types as a list.".to_owned(),
            _ => format!("The {name} type constructor requires one argument specifying the element type."),
        };
        return Err(invalid(span, detail));
    };
    match name {
        "list" => Ok(Type::List(Box::new(type_expr(file, arg, default)?))),
        "set" => Ok(Type::Set(Box::new(type_expr(file, arg, default)?))),
        "map" => Ok(Type::Map(Box::new(type_expr(file, arg, default)?))),
        "tuple" => {
            let Expression::Array(items) = arg else {
                return Err(invalid(
                    span_of(file, arg),
                    "Tuple type constructor requires a list of element types.",
                ));
            };
            let mut out = Vec::with_capacity(items.len());
            for x in items {
                out.push(type_expr(file, x, default)?);
            }
            Ok(Type::Tuple(out))
        }
        _ => object_type(file, arg, default),
    }
}

/// `object({ name = T, other = optional(T, D) })`.
fn object_type(file: FileId, arg: &Expression, default: &mut dyn FnMut(&Expression) -> Node) -> Result<Type, TypeError> {
    let Expression::Object(o) = arg else {
        return Err(invalid(
            span_of(file, arg),
            "Object type constructor requires a map whose keys are attribute names and whose values are the corresponding attribute types.",
        ));
    };
    let mut attrs: Vec<Attr> = Vec::with_capacity(o.len());
    for (k, v) in o {
        let name = match k {
            ObjectKey::Ident(i) => i.value().as_str().to_owned(),
            ObjectKey::Expression(x) => match keyword(x) {
                Some(kw) => kw.to_owned(),
                None => return Err(invalid(span_of(file, x), "Object constructor map keys must be attribute names.")),
            },
        };
        let mut aty = v.expr();
        let mut optional = false;
        let mut default_expr = None;
        if let Expression::FuncCall(call) = aty
            && call.name.namespace.is_empty()
            && call.name.name.value().as_str() == "optional"
        {
            let args: Vec<&Expression> = call.args.iter().collect();
            match args.as_slice() {
                [t] => aty = t,
                [t, d] => {
                    aty = t;
                    default_expr = Some(*d);
                }
                [] => {
                    return Err(invalid(
                        span_of(file, v.expr()),
                        "Optional attribute modifier requires the attribute type as its argument.",
                    ));
                }
                _ => {
                    return Err(invalid(
                        span_of(file, v.expr()),
                        "Optional attribute modifier expects at most two arguments: the attribute type, and a default value.",
                    ));
                }
            }
            optional = true;
        }
        let ty = type_expr(file, aty, default)?;
        let default = match default_expr {
            None => None,
            Some(d) => {
                let value = default(d);
                let span = span_of(file, d);
                if let Some(why) = value.contains_unknown() {
                    return Err(TypeError {
                        span,
                        message: format!("Invalid default value for optional attribute: the default must be a constant ({why})."),
                    });
                }
                match convert(value, &ty) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        return Err(TypeError {
                            span,
                            message: format!(
                                "Invalid default value for optional attribute: This default value is not compatible with the attribute's type constraint: {e}."
                            ),
                        });
                    }
                }
            }
        };
        let attr = Attr {
            name,
            ty,
            optional,
            default,
        };
        // a repeated name: the last one counts
        match attrs.iter_mut().find(|a| a.name == attr.name) {
            Some(same) => *same = attr,
            None => attrs.push(attr),
        }
    }
    attrs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Type::Object(attrs))
}

/// Why a value does not convert to a type: the value at fault, the way to it from the value
/// converted (`attribute "a": element 0`), and Terraform's message.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ConvError {
    pub span: Span,
    pub path: Vec<String>,
    pub message: String,
}

impl fmt::Display for ConvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.path {
            write!(f, "{p}: ")?;
        }
        f.write_str(&self.message)
    }
}

fn fail(span: Span, message: impl Into<String>) -> ConvError {
    ConvError {
        span,
        path: Vec::new(),
        message: message.into(),
    }
}

/// Prefix the path of an error from inside a collection or object with `step`.
fn inside(step: String) -> impl FnOnce(ConvError) -> ConvError {
    move |mut e| {
        e.path.insert(0, step);
        e
    }
}

/// Convert `v` to `ty` as Terraform converts a variable's value to its type constraint,
/// applying `optional()` defaults on the way. Null and unknown values stay as they are (a
/// null of the type); a value that does not convert is an error. Where Terraform's choice is
/// not modelled (a collection of `any` mixing null with structured elements), the value is
/// unknown.
pub(crate) fn convert(v: Node, ty: &Type) -> Result<Node, ConvError> {
    if matches!(v.value, Value::Null | Value::Unknown(_)) {
        return Ok(v);
    }
    let span = v.span;
    match ty {
        Type::Any => Ok(v),
        Type::String | Type::Number | Type::Bool => primitive(v, ty),
        Type::List(et) | Type::Set(et) => {
            let Value::Seq(items) = v.value else {
                return Err(fail(span, format!("{ty} required")));
            };
            let mut out = Vec::with_capacity(items.len());
            for (i, x) in items.into_iter().enumerate() {
                out.push(convert(x, et).map_err(inside(format!("element {i}")))?);
            }
            if et.has_any() {
                match unified(out, "list")? {
                    Unified::Values(vals) => out = vals,
                    Unified::Undecided(why) => return Ok(Node::new(span, Value::unknown(why))),
                }
            }
            if matches!(ty, Type::Set(_)) {
                out = set_elements(out);
            }
            Ok(Node::new(span, Value::Seq(out)))
        }
        Type::Map(et) => {
            let Value::Map(entries) = v.value else {
                return Err(fail(span, format!("{ty} required")));
            };
            let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
            let mut seen = BTreeSet::new();
            for e in entries {
                // a repeated key (JSON): the first one counts, as the readers keep it
                if !seen.insert(e.key.clone()) {
                    continue;
                }
                let value = convert(e.value, et).map_err(inside(format!("element {:?}", e.key)))?;
                out.push(Entry { value, ..e });
            }
            if et.has_any() {
                let (keys, values): (Vec<(String, Span)>, Vec<Node>) = out.into_iter().map(|e| ((e.key, e.key_span), e.value)).unzip();
                match unified(values, "map")? {
                    Unified::Values(vals) => {
                        out = keys
                            .into_iter()
                            .zip(vals)
                            .map(|((key, key_span), value)| Entry { key, key_span, value })
                            .collect();
                    }
                    Unified::Undecided(why) => return Ok(Node::new(span, Value::unknown(why))),
                }
            }
            out.sort_by(|a, b| a.key.cmp(&b.key));
            Ok(Node::new(span, Value::Map(out)))
        }
        Type::Tuple(ts) => {
            let Value::Seq(items) = v.value else {
                return Err(fail(span, "tuple required"));
            };
            if items.len() != ts.len() {
                return Err(fail(span, format!("a tuple of {} elements is required", ts.len())));
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, (x, t)) in items.into_iter().zip(ts).enumerate() {
                out.push(convert(x, t).map_err(inside(format!("element {i}")))?);
            }
            Ok(Node::new(span, Value::Seq(out)))
        }
        Type::Object(attrs) => {
            let Value::Map(entries) = v.value else {
                return Err(fail(span, "object required"));
            };
            let mut by_name: std::collections::HashMap<&str, &Entry> = std::collections::HashMap::with_capacity(entries.len());
            for e in &entries {
                by_name.entry(e.key.as_str()).or_insert(e);
            }
            let mut out: Vec<Entry> = Vec::with_capacity(attrs.len());
            for a in attrs {
                let given = by_name.get(a.name.as_str()).copied();
                let (key_span, value) = match (given, &a.default) {
                    (Some(e), Some(d)) if matches!(e.value.value, Value::Null) => (e.key_span, d.clone()),
                    (Some(e), _) => (e.key_span, e.value.clone()),
                    (None, Some(d)) => (d.span, d.clone()),
                    (None, None) if a.optional => (span, Node::new(span, Value::Null)),
                    (None, None) => return Err(fail(span, format!("attribute {:?} is required", a.name))),
                };
                let value = convert(value, &a.ty).map_err(inside(format!("attribute {:?}", a.name)))?;
                out.push(Entry {
                    key: a.name.clone(),
                    key_span,
                    value,
                });
            }
            // attributes the type does not name are dropped
            Ok(Node::new(span, Value::Map(out)))
        }
    }
}

/// A known, non-null scalar (or not) to a primitive type.
fn primitive(v: Node, ty: &Type) -> Result<Node, ConvError> {
    let span = v.span;
    let partial = super::eval::is_partial(&v);
    let unknown = |what: &str| {
        Ok(Node::new(
            span,
            Value::unknown(format!("a string known only after apply, converted to a {what}")),
        ))
    };
    match (ty, v.value) {
        (Type::String, Value::String(s)) => Ok(Node::new(span, Value::String(s))),
        (Type::String, Value::Number(n)) => match number_text(&n) {
            Some(t) => Ok(Node::new(span, Value::String(t))),
            None => Ok(Node::new(span, Value::unknown(format!("the number {n} as a string is not known")))),
        },
        (Type::String, Value::Bool(b)) => Ok(Node::new(span, Value::String(b.to_string()))),
        (Type::Number, Value::Number(n)) => Ok(Node::new(span, Value::Number(n))),
        (Type::Number, Value::String(_)) if partial => unknown("number"),
        (Type::Number, Value::String(s)) => match number_text(&s) {
            Some(t) => Ok(Node::new(span, Value::Number(t))),
            None if is_infinity(&s) => Ok(Node::new(span, Value::unknown(format!("the number `{s}` is not modelled")))),
            None => Err(fail(span, "a number is required")),
        },
        (Type::Bool, Value::Bool(b)) => Ok(Node::new(span, Value::Bool(b))),
        (Type::Bool, Value::String(_)) if partial => unknown("bool"),
        (Type::Bool, Value::String(s)) => match s.as_str() {
            "true" | "1" => Ok(Node::new(span, Value::Bool(true))),
            "false" | "0" => Ok(Node::new(span, Value::Bool(false))),
            _ if matches!(s.to_lowercase().as_str(), "true" | "false") => Err(fail(
                span,
                format!("a bool is required; to convert from string, use lowercase \"{}\"", s.to_lowercase()),
            )),
            _ => Err(fail(span, "a bool is required")),
        },
        (_, _) => Err(fail(span, format!("{ty} required"))),
    }
}

fn is_infinity(s: &str) -> bool {
    matches!(s.trim_start_matches(['+', '-']), "inf" | "Inf")
}

/// The exact decimal text of a number written `s` (`[+-]digits[.digits][e[+-]digits]`), as
/// Terraform writes a number as a string: no exponent, no leading or trailing zeros (`1e3` →
/// `1000`, `+1.50` → `1.5`, `-0` → `0`). `None` when `s` is not a number of that form, or its
/// exponent is beyond ±4096 (its text would be too long to hold).
#[must_use]
pub fn number_text(s: &str) -> Option<String> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    if (int.is_empty() && frac.is_empty()) || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let exp: i64 = match exp {
        None => 0,
        Some(e) => {
            let digits = e.trim_start_matches(['+', '-']);
            if digits.is_empty() || e.len() - digits.len() > 1 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: i64 = digits.trim_start_matches('0').parse().unwrap_or(0);
            if digits.trim_start_matches('0').len() > 5 || n > 4096 {
                return None;
            }
            if e.starts_with('-') { -n } else { n }
        }
    };
    // all digits, and where the decimal point falls in them
    let digits: String = format!("{int}{frac}");
    let point = i64::try_from(int.len()).ok()? + exp;
    let (int_part, frac_part) = if point <= 0 {
        (String::new(), format!("{}{digits}", "0".repeat(usize::try_from(-point).ok()?)))
    } else {
        let p = usize::try_from(point).ok()?;
        if p >= digits.len() {
            (format!("{digits}{}", "0".repeat(p - digits.len())), String::new())
        } else {
            (digits[..p].to_owned(), digits[p..].to_owned())
        }
    };
    let int_part = int_part.trim_start_matches('0');
    let frac_part = frac_part.trim_end_matches('0');
    let int_part = if int_part.is_empty() { "0" } else { int_part };
    let mut out = String::new();
    if neg && (int_part != "0" || !frac_part.is_empty()) {
        out.push('-');
    }
    out.push_str(int_part);
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(frac_part);
    }
    Some(out)
}

/// The elements of a set: each value once (the first), strings and numbers in order.
fn set_elements(items: Vec<Node>) -> Vec<Node> {
    let mut seen = BTreeSet::new();
    let mut out: Vec<Node> = items
        .into_iter()
        .filter(|x| x.contains_unknown().is_some() || seen.insert(x.to_json().to_string()))
        .collect();
    if out.iter().all(|x| matches!(x.value, Value::String(_))) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if out.iter().all(|x| matches!(x.value, Value::Number(_))) {
        let key = |n: &Node| n.as_scalar_str().and_then(|s| s.parse::<f64>().ok()).unwrap_or(f64::NAN);
        out.sort_by(|a, b| key(a).total_cmp(&key(b)));
    } else if out.iter().all(|x| matches!(x.value, Value::Bool(_))) {
        out.sort_by_key(|x| matches!(x.value, Value::Bool(true)));
    }
    out
}

/// The elements of a collection of `any`, each converted to the one type Terraform finds for
/// all of them.
enum Unified {
    Values(Vec<Node>),
    /// The values are unknown (why).
    Undecided(String),
}

fn unified(values: Vec<Node>, what: &str) -> Result<Unified, ConvError> {
    let types: Vec<Type> = values.iter().map(infer).collect();
    match unify(&types) {
        Unify::To(t) => {
            let mut out = Vec::with_capacity(values.len());
            for v in values {
                out.push(convert(v, &t)?);
            }
            Ok(Unified::Values(out))
        }
        Unify::Fails => {
            let span = values.first().map_or_else(Span::default, |v| v.span);
            Err(fail(span, format!("all {what} elements must have the same type")))
        }
        Unify::Undecided => Ok(Unified::Undecided(format!(
            "a {what} of `any` whose elements mix null or unknown values with objects or lists: the type Terraform gives it is not modelled"
        ))),
    }
}

/// The type of a value as written: a list is a tuple, a map an object; null and unknown
/// values have no type yet (`Any`).
fn infer(n: &Node) -> Type {
    match &n.value {
        Value::Null | Value::Unknown(_) => Type::Any,
        Value::Bool(_) => Type::Bool,
        Value::Number(_) => Type::Number,
        Value::String(_) => Type::String,
        Value::Seq(items) => Type::Tuple(items.iter().map(infer).collect()),
        Value::Map(entries) => {
            let mut attrs: Vec<Attr> = Vec::with_capacity(entries.len());
            let mut seen = BTreeSet::new();
            for e in entries {
                if seen.insert(e.key.as_str()) {
                    attrs.push(Attr {
                        name: e.key.clone(),
                        ty: infer(&e.value),
                        optional: false,
                        default: None,
                    });
                }
            }
            attrs.sort_by(|a, b| a.name.cmp(&b.name));
            Type::Object(attrs)
        }
    }
}

/// What unifying types gives.
#[derive(Debug, PartialEq)]
enum Unify {
    To(Type),
    /// No single type: Terraform's error.
    Fails,
    /// Terraform's choice is not modelled.
    Undecided,
}

/// The single type that `types` all convert to (`cty/convert` `unify`): null and unknown
/// values are disregarded among primitives; objects with the same attribute names unify
/// attribute by attribute, other objects to a map; tuples of one length element by element,
/// others to a list; among primitives `string` when one is a string.
fn unify(types: &[Type]) -> Unify {
    let concrete: Vec<&Type> = types.iter().filter(|t| **t != Type::Any).collect();
    let Some(first) = concrete.first() else {
        return Unify::To(Type::Any);
    };
    let dynamic = concrete.len() < types.len();
    let all = |f: fn(&Type) -> bool| concrete.iter().all(|t| f(t));
    if all(|t| matches!(t, Type::Object(_))) {
        if dynamic {
            return Unify::Undecided;
        }
        let names = |t: &Type| match t {
            Type::Object(a) => a.iter().map(|a| a.name.clone()).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        let first_names = names(first);
        if concrete.iter().all(|t| names(t) == first_names) {
            let mut attrs = Vec::with_capacity(first_names.len());
            for (i, name) in first_names.into_iter().enumerate() {
                let across: Vec<Type> = concrete
                    .iter()
                    .filter_map(|t| match t {
                        Type::Object(a) => a.get(i).map(|a| a.ty.clone()),
                        _ => None,
                    })
                    .collect();
                match unify(&across) {
                    Unify::To(ty) => attrs.push(Attr {
                        name,
                        ty,
                        optional: false,
                        default: None,
                    }),
                    other => return other,
                }
            }
            return Unify::To(Type::Object(attrs));
        }
        let all_attrs: Vec<Type> = concrete
            .iter()
            .flat_map(|t| match t {
                Type::Object(a) => a.iter().map(|a| a.ty.clone()).collect(),
                _ => Vec::new(),
            })
            .collect();
        return match unify(&all_attrs) {
            Unify::To(t) => Unify::To(Type::Map(Box::new(t))),
            other => other,
        };
    }
    if all(|t| matches!(t, Type::Tuple(_))) {
        if dynamic {
            return Unify::Undecided;
        }
        let elems = |t: &Type| match t {
            Type::Tuple(e) => e.clone(),
            _ => Vec::new(),
        };
        let len = elems(first).len();
        if concrete.iter().all(|t| elems(t).len() == len) {
            let mut out = Vec::with_capacity(len);
            for i in 0..len {
                let across: Vec<Type> = concrete.iter().filter_map(|t| elems(t).get(i).cloned()).collect();
                match unify(&across) {
                    Unify::To(t) => out.push(t),
                    other => return other,
                }
            }
            return Unify::To(Type::Tuple(out));
        }
        let all_elems: Vec<Type> = concrete.iter().flat_map(|t| elems(t)).collect();
        return match unify(&all_elems) {
            Unify::To(t) => Unify::To(Type::List(Box::new(t))),
            other => other,
        };
    }
    for (kind, make) in [
        (Type::List(Box::new(Type::Any)), Type::List as fn(Box<Type>) -> Type),
        (Type::Set(Box::new(Type::Any)), Type::Set),
        (Type::Map(Box::new(Type::Any)), Type::Map),
    ] {
        let same_kind = |t: &Type| std::mem::discriminant(t) == std::mem::discriminant(&kind);
        if concrete.iter().all(|t| same_kind(t)) {
            if dynamic {
                return Unify::Undecided;
            }
            let inner: Vec<Type> = concrete
                .iter()
                .filter_map(|t| match t {
                    Type::List(e) | Type::Set(e) | Type::Map(e) => Some((**e).clone()),
                    _ => None,
                })
                .collect();
            return match unify(&inner) {
                Unify::To(t) => Unify::To(make(Box::new(t))),
                other => other,
            };
        }
    }
    if all(Type::is_primitive) {
        if concrete.iter().all(|t| *t == *first) {
            return Unify::To((*first).clone());
        }
        if concrete.contains(&&Type::String) {
            return Unify::To(Type::String);
        }
        return Unify::Fails;
    }
    if concrete.iter().any(|t| t.is_primitive()) || (all(|t| matches!(t, Type::Object(_) | Type::Tuple(_)))) {
        // a primitive beside a structure, or objects beside tuples: no conversion between them
        return Unify::Fails;
    }
    Unify::Undecided
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::vars::NoEnv;

    fn ty(src: &str) -> Type {
        try_ty(src).unwrap()
    }

    fn try_ty(src: &str) -> Result<Type, TypeError> {
        let e = hcl_edit::parser::parse_expr(src).unwrap();
        parse(FileId(0), &e, &mut |d| crate::tf::eval::Eval::new(FileId(0), &NoEnv).value(d))
    }

    fn val(src: &str) -> Node {
        let e = hcl_edit::parser::parse_expr(src).unwrap();
        crate::tf::eval::Eval::new(FileId(0), &NoEnv).value(&e)
    }

    /// `value` converted to `ty`, as JSON text.
    fn conv(ty_src: &str, value: &str) -> String {
        convert(val(value), &ty(ty_src)).unwrap().to_json().to_string()
    }

    fn conv_err(ty_src: &str, value: &str) -> String {
        convert(val(value), &ty(ty_src)).unwrap_err().to_string()
    }

    // https://developer.hashicorp.com/terraform/language/expressions/type-constraints#optional-object-type-attributes
    #[test]
    fn optional_defaults_fill_omitted_and_null_attributes() {
        let t = "object({ deny_root = optional(bool, true), name = optional(string), ou = string })";
        assert_eq!(conv(t, r#"{ ou = "r-1" }"#), r#"{"deny_root":true,"name":null,"ou":"r-1"}"#);
        assert_eq!(
            conv(t, r#"{ ou = "r-1", deny_root = null }"#),
            r#"{"deny_root":true,"name":null,"ou":"r-1"}"#
        );
        assert_eq!(
            conv(t, r#"{ ou = "r-1", deny_root = false }"#),
            r#"{"deny_root":false,"name":null,"ou":"r-1"}"#
        );
        // an attribute the type does not name is dropped
        assert_eq!(
            conv(t, r#"{ ou = "r-1", extra = 1 }"#),
            r#"{"deny_root":true,"name":null,"ou":"r-1"}"#
        );
        assert_eq!(conv_err(t, "{}"), r#"attribute "ou" is required"#);
    }

    // The documentation's example, reproduced exactly:
    // https://developer.hashicorp.com/terraform/language/expressions/type-constraints#example-nested-structures-with-optional-attributes-and-defaults
    #[test]
    fn nested_defaults_apply_top_down_in_a_list_of_objects() {
        let t = r#"list(object({
            name    = string
            enabled = optional(bool, true)
            website = optional(object({
              index_document = optional(string, "index.html")
              error_document = optional(string, "error.html")
              routing_rules  = optional(string)
            }), {})
          }))"#;
        assert_eq!(
            conv(t, r#"[{ name = "archived", enabled = false }]"#),
            r#"[{"enabled":false,"name":"archived","website":{"error_document":"error.html","index_document":"index.html","routing_rules":null}}]"#
        );
        assert_eq!(
            conv(
                t,
                r#"[{ name = "docs", website = { index_document = "index.txt", error_document = "error.txt" } }]"#
            ),
            r#"[{"enabled":true,"name":"docs","website":{"error_document":"error.txt","index_document":"index.txt","routing_rules":null}}]"#
        );
    }

    #[test]
    fn defaults_apply_to_every_element_of_a_map_and_a_set() {
        let t = "map(object({ deny_root = optional(bool, true) }))";
        assert_eq!(
            conv(t, "{ prod = {}, dev = { deny_root = false } }"),
            r#"{"dev":{"deny_root":false},"prod":{"deny_root":true}}"#
        );
        let t = "set(object({ id = string, on = optional(bool, true) }))";
        assert_eq!(conv(t, r#"[{ id = "a" }, { id = "a", on = true }]"#), r#"[{"id":"a","on":true}]"#);
    }

    // https://developer.hashicorp.com/terraform/language/expressions/type-constraints#conversion-of-primitive-types
    #[test]
    fn primitives_convert_as_terraform_converts_them() {
        assert_eq!(conv("bool", r#""true""#), "true");
        assert_eq!(conv("bool", r#""false""#), "false");
        assert_eq!(conv("bool", r#""1""#), "true");
        assert_eq!(conv("number", r#""15""#), "15");
        assert_eq!(conv("number", r#""1.50""#), "1.5");
        assert_eq!(conv("string", "15"), r#""15""#);
        assert_eq!(conv("string", "1e3"), r#""1000""#);
        assert_eq!(conv("string", "true"), r#""true""#);
        assert_eq!(conv("list(string)", r#"["a", 15, true]"#), r#"["a","15","true"]"#);
        assert_eq!(conv_err("bool", r#""yes""#), "a bool is required");
        assert_eq!(
            conv_err("bool", r#""True""#),
            r#"a bool is required; to convert from string, use lowercase "true""#
        );
        assert_eq!(conv_err("number", r#""ten""#), "a number is required");
        // no conversion between number and bool
        assert_eq!(conv_err("bool", "1"), "bool required");
        assert_eq!(conv_err("number", "true"), "number required");
        assert_eq!(conv_err("map(string)", r#"{ name = ["x"] }"#), r#"element "name": string required"#);
        assert_eq!(
            conv_err("object({ a = object({ b = bool }) })", r#"{ a = { b = "no" } }"#),
            r#"attribute "a": attribute "b": a bool is required"#
        );
    }

    #[test]
    fn numbers_as_text() {
        for (n, t) in [
            ("0", "0"),
            ("-0", "0"),
            ("+7", "7"),
            ("007", "7"),
            ("1.50", "1.5"),
            ("1e3", "1000"),
            ("1.25E+2", "125"),
            ("5e-3", "0.005"),
            ("-12.5e-1", "-1.25"),
            (".5", "0.5"),
            ("123456789012", "123456789012"),
        ] {
            assert_eq!(number_text(n).as_deref(), Some(t), "{n}");
        }
        for n in ["", ".", "1e", "e5", "1.2.3", "0x10", " 1", "1e99999", "1_000", "--1"] {
            assert_eq!(number_text(n), None, "{n}");
        }
    }

    // https://developer.hashicorp.com/terraform/language/expressions/type-constraints#conversion-of-complex-types
    #[test]
    fn collections_convert_and_sets_drop_duplicates() {
        assert_eq!(conv("set(string)", r#"["b", "a", "b"]"#), r#"["a","b"]"#);
        assert_eq!(conv("set(number)", "[10, 9, 10]"), "[9,10]");
        assert_eq!(conv("tuple([string, bool])", r#"["a", "true"]"#), r#"["a",true]"#);
        assert_eq!(conv_err("tuple([string, bool])", r#"["a"]"#), "a tuple of 2 elements is required");
        assert_eq!(conv_err("list(string)", r#"{ a = "b" }"#), "list of string required");
        assert_eq!(conv_err("object({ a = string })", r#"["a"]"#), "object required");
        assert_eq!(conv("map(number)", r#"{ b = "2", a = 1 }"#), r#"{"a":1,"b":2}"#);
        // null and unknown values pass
        assert_eq!(conv("object({ a = string })", "null"), "null");
        assert_eq!(conv("list(string)", r#"["a", null]"#), r#"["a",null]"#);
    }

    // https://developer.hashicorp.com/terraform/language/expressions/type-constraints#any-with-collection-types
    #[test]
    fn any_finds_one_element_type() {
        assert_eq!(conv("list(any)", r#"["a", 1, "b"]"#), r#"["a","1","b"]"#);
        assert_eq!(
            conv_err("list(any)", r#"["a", [], "b"]"#),
            "all list elements must have the same type"
        );
        assert_eq!(conv_err("list(any)", "[1, true]"), "all list elements must have the same type");
        assert_eq!(conv("map(any)", r#"{ a = 1, b = "x" }"#), r#"{"a":"1","b":"x"}"#);
        // objects with other attribute names unify to a map
        assert_eq!(conv("list(any)", r#"[{ a = 1 }, { b = "x" }]"#), r#"[{"a":"1"},{"b":"x"}]"#);
        assert_eq!(conv("list(map(any))", r#"[{ a = 1 }, { a = "x" }]"#), r#"[{"a":"1"},{"a":"x"}]"#);
        // `any` alone keeps the value as it is
        assert_eq!(conv("any", r#"["a", 1, { b = true }]"#), r#"["a",1,{"b":true}]"#);
        assert_eq!(conv("object({ a = any })", r#"{ a = [1, "x"], b = 2 }"#), r#"{"a":[1,"x"]}"#);
        // null beside objects: not modelled, unknown
        let n = convert(val(r"[{ a = 1 }, null]"), &ty("list(any)")).unwrap();
        assert!(n.is_unknown(), "{n:?}");
    }

    #[test]
    fn converted_values_keep_their_spans_and_defaults_point_at_the_type() {
        let t_src = "object({ deny_root = optional(bool, true) })";
        let n = convert(val(r#"{ other = "x" }"#), &ty(t_src)).unwrap();
        let d = n.get("deny_root").unwrap();
        assert_eq!(&t_src[d.span.range()], "true");
        let v_src = r#"{ deny_root = "false" }"#;
        let n = convert(val(v_src), &ty(t_src)).unwrap();
        let d = n.get("deny_root").unwrap();
        assert_eq!(d.value, Value::Bool(false));
        assert_eq!(&v_src[d.span.range()], r#""false""#);
        // the error names the value at fault
        let e = convert(val(r#"{ deny_root = "maybe" }"#), &ty(t_src)).unwrap_err();
        assert_eq!(&r#"{ deny_root = "maybe" }"#[e.span.range()], r#""maybe""#);
    }

    #[test]
    fn type_expressions_terraform_rejects() {
        let msg = |s: &str| try_ty(s).unwrap_err().message;
        assert!(msg("set").contains("requires one argument"), "{}", msg("set"));
        assert!(msg("list(list)").contains("requires one argument"), "{}", msg("list(list)"));
        assert_eq!(
            msg("strin"),
            "Invalid type specification: The keyword \"strin\" is not a valid type specification."
        );
        assert!(msg("optional(string)").contains("only as a modifier"));
        assert!(msg("list(string, number)").contains("requires one argument"));
        assert!(msg("object({ a = optional(bool, \"x\") })").starts_with("Invalid default value for optional attribute"));
        assert!(msg("object({ a = optional(bool, var.x) })").contains("must be a constant"));
        assert!(msg("\"string\"").contains("either a primitive type keyword"));
        assert!(msg("string(1)").contains("does not expect arguments"));
        assert!(msg("tuple(string)").contains("list of element types"));
        // `list` and `map` alone are shorthands of a variable's type
        assert_eq!(ty("list"), Type::List(Box::new(Type::Any)));
        assert_eq!(ty("map"), Type::Map(Box::new(Type::Any)));
    }
}

//! The spanned document tree shared by the YAML and JSON readers and by the evaluators.

use crate::source::Span;

/// One node of a parsed (or evaluated) document.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

/// The value of a [`Node`].
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, kept as written (`0755` stays `0755`, account ids keep their digits).
    Number(String),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    /// Produced only by evaluation: a value that cannot be known statically, with the reason
    /// and what is known of it all the same.
    Unknown(Box<Unknown>),
}

/// A value that cannot be known statically: why, and what is known of it all the same (like
/// the refinements Terraform keeps on its own unknown values). Whatever reads a value without
/// looking at the refinement takes it as wholly unknown, which is always safe.
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    /// Why the value is not known (shown in messages and in the model document).
    pub reason: String,
    /// Known only once Terraform applies the configuration (an attribute a provider sets when
    /// it creates a resource): `terraform plan` does not know it either. Set only where that is
    /// certain, so a value without it may still be one.
    pub after_apply: bool,
    /// What the value is known to be.
    pub is: Is,
}

/// What an unknown value is known to be.
#[derive(Clone, Debug, PartialEq)]
pub enum Is {
    /// Nothing more.
    Any,
    /// The id of an AWS Organizations entity, assigned when it is created.
    Id(IdOf),
    /// A variable of the scanned root module that has no default and no value: whatever its
    /// caller passes.
    Input,
    /// An object whose attributes are not all known (a resource or data source instance): the
    /// listed ones are; any other one is unknown, for the reason `{address}.{name}` gives.
    Object(Box<Object>),
}

/// The entity an apply-time id belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdOf {
    /// The organization's root (`r-…`).
    Root,
    /// An organizational unit (`ou-…-…`).
    Ou,
    /// A member account (12 digits).
    Account,
    /// The organization itself (`o-…`): not a root, an OU or an account.
    Organization,
}

/// The known attributes of an object whose other attributes are unknown.
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    /// The object's address (`aws_x.y["k"]`), for the reason of an attribute not listed.
    pub address: String,
    /// An attribute not listed is unknown because `{address}.{name}` is known after apply
    /// (`true`, a resource) or read at plan or apply time (`false`, a data source).
    pub after_apply: bool,
    pub attrs: Vec<Entry>,
}

impl Unknown {
    /// Unknown for `reason`, and nothing more is known.
    #[must_use]
    pub fn new(reason: impl Into<String>) -> Self {
        Unknown {
            reason: reason.into(),
            after_apply: false,
            is: Is::Any,
        }
    }

    /// The same, known only after apply.
    #[must_use]
    pub fn after_apply(mut self, yes: bool) -> Self {
        self.after_apply = yes;
        self
    }

    /// The same, known to be `is`.
    #[must_use]
    pub fn is(mut self, is: Is) -> Self {
        self.is = is;
        self
    }

    /// An unknown value computed from this one (its reason, and whether it is known only after
    /// apply; what it is does not carry over).
    #[must_use]
    pub fn derived(&self) -> Self {
        Unknown::new(self.reason.clone()).after_apply(self.after_apply)
    }

    /// The id this value is known to be, if any.
    #[must_use]
    pub fn id_of(&self) -> Option<IdOf> {
        match self.is {
            Is::Id(k) => Some(k),
            _ => None,
        }
    }
}

impl Value {
    /// An unknown value for `reason`, of which nothing more is known.
    #[must_use]
    pub fn unknown(reason: impl Into<String>) -> Self {
        Value::Unknown(Box::new(Unknown::new(reason)))
    }
}

impl From<Unknown> for Value {
    fn from(u: Unknown) -> Self {
        Value::Unknown(Box::new(u))
    }
}

/// A mapping entry. Keys are always strings (numbers and booleans keep their text).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// Finds the duplicate keys of a map while it is built, in linear time: a plain search while
/// the map is small, a hash set of its keys once it is not (a flat map of 100,000 keys would
/// otherwise cost 5·10⁹ comparisons).
#[derive(Debug, Default)]
pub struct KeySet {
    set: Option<std::collections::HashSet<String>>,
}

/// Up to this many entries a map's keys are searched, not hashed.
const SMALL_MAP: usize = 16;

impl KeySet {
    /// Is `key` one of the keys of `entries` (the map built so far, every key of which went
    /// through this method)? When it is not, it counts as seen: the caller pushes its entry.
    pub fn seen(&mut self, entries: &[Entry], key: &str) -> bool {
        if let Some(set) = &mut self.set {
            return !set.insert(key.to_owned());
        }
        if entries.iter().any(|e| e.key == key) {
            return true;
        }
        if entries.len() >= SMALL_MAP {
            self.set = Some(
                entries
                    .iter()
                    .map(|e| e.key.clone())
                    .chain(std::iter::once(key.to_owned()))
                    .collect(),
            );
        }
        false
    }
}

impl Node {
    #[must_use]
    pub fn new(span: Span, value: Value) -> Self {
        Node { span, value }
    }

    /// The first entry with this key, if this is a map.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    #[must_use]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// Follow a path of keys (a number indexes a sequence).
    #[must_use]
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |n, k| match &n.value {
            Value::Seq(items) => k.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => n.get(k),
        })
    }

    /// The location to show for the value at `path`: the value itself when it is a scalar, the
    /// key through the value when it is a block (so the key's line is where the finding points).
    #[must_use]
    pub fn span_at(&self, path: &[&str]) -> Option<Span> {
        let (last, parent) = path.split_last()?;
        let p = self.at(parent)?;
        match &p.value {
            Value::Map(_) => p.entry(last).map(|e| match e.value.value {
                Value::Map(_) | Value::Seq(_) => e.key_span.cover(e.value.span),
                _ => e.value.span,
            }),
            _ => self.at(path).map(|n| n.span),
        }
    }

    #[must_use]
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(e) => Some(e),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a string, number or boolean scalar.
    #[must_use]
    pub fn as_scalar_str(&self) -> Option<std::borrow::Cow<'_, str>> {
        match &self.value {
            Value::String(s) | Value::Number(s) => Some(s.as_str().into()),
            Value::Bool(b) => Some(if *b { "true" } else { "false" }.into()),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// An unknown value at `span` for `reason`.
    #[must_use]
    pub fn unknown(span: Span, reason: impl Into<String>) -> Self {
        Node::new(span, Value::unknown(reason))
    }

    /// The unknown value this is, if it is one.
    #[must_use]
    pub fn as_unknown(&self) -> Option<&Unknown> {
        match &self.value {
            Value::Unknown(u) => Some(u),
            _ => None,
        }
    }

    #[must_use]
    pub fn is_unknown(&self) -> bool {
        matches!(self.value, Value::Unknown(_))
    }

    /// A one-word name of the value's kind, for messages.
    #[must_use]
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
            Value::Unknown(_) => "unknown value",
        }
    }

    /// Does the tree contain an unknown value anywhere?
    #[must_use]
    pub fn contains_unknown(&self) -> Option<&str> {
        match &self.value {
            Value::Unknown(u) => Some(&u.reason),
            Value::Seq(s) => s.iter().find_map(Node::contains_unknown),
            Value::Map(m) => m.iter().find_map(|e| e.value.contains_unknown()),
            _ => None,
        }
    }

    /// Plain JSON for the value (unknowns become `{"$unknown": reason}`).
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => n.parse::<serde_json::Number>().map_or_else(|_| J::String(n.clone()), J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::Seq(s) => J::Array(s.iter().map(Node::to_json).collect()),
            Value::Map(m) => {
                let mut o = serde_json::Map::new();
                for e in m {
                    o.entry(e.key.clone()).or_insert_with(|| e.value.to_json());
                }
                J::Object(o)
            }
            Value::Unknown(u) => serde_json::json!({ "$unknown": u.reason }),
        }
    }

    /// Compact JSON text of the value, as AWS stores a policy given as an object.
    #[must_use]
    pub fn to_json_string(&self) -> String {
        self.to_json().to_string()
    }

    /// Move every span of the tree through `f` (used for documents embedded in strings).
    pub fn remap_spans(&mut self, f: &impl Fn(Span) -> Span) {
        self.span = f(self.span);
        match &mut self.value {
            Value::Seq(s) => s.iter_mut().for_each(|n| n.remap_spans(f)),
            Value::Map(m) => {
                for e in m {
                    e.key_span = f(e.key_span);
                    e.value.remap_spans(f);
                }
            }
            Value::Unknown(u) => {
                if let Is::Object(o) = &mut u.is {
                    for e in &mut o.attrs {
                        e.key_span = f(e.key_span);
                        e.value.remap_spans(f);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn at_indexes_sequences() {
        // `MetricTransformations/0/MetricName` must reach into the list
        let root = crate::parse::yaml::parse(FileId(0), "M:\n  - N: a\n  - N: b\n", 0).root.unwrap();
        assert_eq!(root.at(&["M", "1", "N"]).and_then(Node::as_str), Some("b"));
        assert!(root.at(&["M", "2", "N"]).is_none());
        assert!(root.at(&["M", "x"]).is_none());
    }

    #[test]
    fn key_set_finds_duplicates_in_small_and_large_maps() {
        for n in [3, SMALL_MAP - 1, SMALL_MAP, SMALL_MAP + 1, 200] {
            let mut entries: Vec<Entry> = Vec::new();
            let mut keys = KeySet::default();
            let mut dups = 0;
            // every key twice, the second time after the map has grown past it
            for k in (0..n).chain(0..n).chain([n + 1, n + 1]) {
                let key = format!("k{k}");
                if keys.seen(&entries, &key) {
                    dups += 1;
                } else {
                    entries.push(Entry {
                        key,
                        key_span: Span::default(),
                        value: Node::new(Span::default(), Value::Null),
                    });
                }
            }
            assert_eq!(dups, n + 1, "{n} keys");
            assert_eq!(entries.len(), n + 1, "{n} keys");
        }
    }

    #[test]
    fn wide_maps_report_each_duplicate_once_in_both_readers() {
        let n = 5_000;
        let mut json = String::from("{");
        let mut yaml = String::new();
        for k in (0..n).chain([7, n - 1, 7]) {
            if json.len() > 1 {
                json.push(',');
            }
            json.push_str(&format!("\"k{k}\": {k}"));
            yaml.push_str(&format!("k{k}: {k}\n"));
        }
        json.push('}');
        for (p, src) in [
            (crate::parse::json::parse(FileId(0), &json, 0), &json),
            (crate::parse::yaml::parse(FileId(0), &yaml, 0), &yaml),
        ] {
            let root = p.root.unwrap();
            assert_eq!(root.as_map().unwrap().len(), n);
            // the first occurrence is kept
            assert_eq!(root.get("k7").and_then(Node::as_scalar_str).as_deref(), Some("7"));
            let dups: Vec<&str> = p.diagnostics.iter().map(|d| &src[d.span.range()]).collect();
            assert_eq!(dups.len(), 3, "{dups:?}");
            assert!(p.diagnostics.iter().all(|d| d.code == "duplicate-key"));
        }
    }
}

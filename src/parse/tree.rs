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
    /// Produced only by evaluation: a value that cannot be known statically, with the reason.
    Unknown(String),
}

/// A mapping entry. Keys are always strings (numbers and booleans keep their text).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
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
            Value::Unknown(r) => Some(r),
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
            Value::Unknown(r) => serde_json::json!({ "$unknown": r }),
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
}

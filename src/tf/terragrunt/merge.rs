//! Merging an included configuration (the parent) with the one that includes it (the child):
//! `merge_strategy = "shallow"` (the default), `"deep"` and `"no_merge"`.
//!
//! Spec: `/work/research/terraform-semantics.md` §1.3, from Terragrunt's `include.go`
//! (`handleInclude`, `(*TerragruntConfig).Merge`, `DeepMerge`) and
//! <https://terragrunt.gruntwork.io/docs/reference/hcl/blocks> (`include`). The child wins;
//! `locals` are never merged; with several includes the last one is merged first, so a later
//! include overrides an earlier one.

use crate::parse::tree::{Entry, Node, Value};

/// How an include is merged into the configuration that includes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strategy {
    Shallow,
    Deep,
    NoMerge,
}

impl Strategy {
    /// The strategy named by `merge_strategy` (`None`: Terragrunt refuses the name).
    pub(crate) fn named(s: &str) -> Option<Strategy> {
        match s {
            "shallow" => Some(Strategy::Shallow),
            "deep" => Some(Strategy::Deep),
            "no_merge" => Some(Strategy::NoMerge),
            _ => None,
        }
    }
}

/// What one configuration file says, evaluated (its own `locals` aside: they are not merged).
/// Blocks that carry a name (`dependency "vpc"`, `generate "provider"`, `extra_arguments
/// "vars"`, `feature "x"`) are kept in source order with their evaluated attributes.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Config {
    /// `inputs = { … }`.
    pub inputs: Option<Node>,
    /// `terraform { source = … }`.
    pub source: Option<Node>,
    /// `terraform { extra_arguments "NAME" { … } }`.
    pub extra_arguments: Vec<(String, Node)>,
    /// `dependency "NAME" { … }`.
    pub dependencies: Vec<(String, Node)>,
    /// `generate "NAME" { … }`.
    pub generate: Vec<(String, Node)>,
    /// `feature "NAME" { default = … }`: the default.
    pub features: Vec<(String, Node)>,
    /// `skip = …`.
    pub skip: Option<Node>,
    /// `exclude { … }`.
    pub exclude: Option<Node>,
}

/// The parent merged with the child (the child wins), by `strategy`.
pub(crate) fn merge(parent: &Config, child: Config, strategy: Strategy) -> Config {
    let deep = match strategy {
        Strategy::NoMerge => return child,
        Strategy::Shallow => false,
        Strategy::Deep => true,
    };
    let inputs = match (&parent.inputs, child.inputs) {
        (Some(p), Some(c)) => Some(if deep { deep_merge(p, &c) } else { shallow_merge(p, &c) }),
        (p, c) => c.or_else(|| p.clone()),
    };
    Config {
        inputs,
        source: child.source.or_else(|| parent.source.clone()),
        extra_arguments: by_name(&parent.extra_arguments, child.extra_arguments, deep),
        dependencies: by_name(&parent.dependencies, child.dependencies, deep),
        // `generate` blocks are replaced by name even in a deep merge
        generate: by_name(&parent.generate, child.generate, false),
        features: by_name(&parent.features, child.features, false),
        skip: child.skip.or_else(|| parent.skip.clone()),
        exclude: child.exclude.or_else(|| parent.exclude.clone()),
    }
}

/// Named blocks of the parent, then those of the child: a child block replaces the parent's of
/// the same name (in its place), or with `deep` is deep-merged into it.
pub(crate) fn by_name(parent: &[(String, Node)], child: Vec<(String, Node)>, deep: bool) -> Vec<(String, Node)> {
    let mut out: Vec<(String, Node)> = parent.to_vec();
    for (name, c) in child {
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, p)) => *p = if deep { deep_merge(p, &c) } else { c },
            None => out.push((name, c)),
        }
    }
    out
}

/// The top-level keys of both maps, the child's replacing the parent's whole (`mergeInputs`).
/// A value that is not a known map on either side leaves the result as the child's, or
/// unknown when the parent's keys are not known.
pub(crate) fn shallow_merge(parent: &Node, child: &Node) -> Node {
    match (&parent.value, &child.value) {
        (Value::Map(p), Value::Map(c)) => {
            let mut entries = p.clone();
            for e in c {
                put(&mut entries, e.clone());
            }
            Node::new(child.span, Value::Map(entries))
        }
        (Value::Unknown(r), Value::Map(_)) => Node::new(child.span, Value::Unknown(r.clone())),
        _ => child.clone(),
    }
}

/// Terragrunt's deep merge: maps merged key by key, recursively; lists concatenated (the
/// parent's first); anything else the child's.
pub(crate) fn deep_merge(parent: &Node, child: &Node) -> Node {
    match (&parent.value, &child.value) {
        (Value::Map(p), Value::Map(c)) => {
            let mut entries = p.clone();
            for e in c {
                match entries.iter_mut().find(|x| x.key == e.key) {
                    Some(x) => {
                        x.value = deep_merge(&x.value, &e.value);
                        x.key_span = e.key_span;
                    }
                    None => entries.push(e.clone()),
                }
            }
            Node::new(child.span, Value::Map(entries))
        }
        (Value::Seq(p), Value::Seq(c)) => Node::new(child.span, Value::Seq(p.iter().chain(c).cloned().collect())),
        (Value::Unknown(r), Value::Map(_) | Value::Seq(_)) => Node::new(child.span, Value::Unknown(r.clone())),
        _ => child.clone(),
    }
}

/// Set `e` in `entries`: in the place of an entry with its key, else at the end.
fn put(entries: &mut Vec<Entry>, e: Entry) {
    match entries.iter_mut().find(|x| x.key == e.key) {
        Some(x) => *x = e,
        None => entries.push(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    /// Constants only.
    struct NoEnv;

    impl crate::tf::eval::Env for NoEnv {
        fn read_file(&self, p: &str, _: Span) -> Result<String, crate::tf::error::FileError> {
            Err(crate::tf::error::FileError::Outside(p.to_owned()))
        }
        fn render_template(&self, _: &str, _: &Node, _: Span) -> Result<Node, crate::tf::error::EvalError> {
            Err(crate::tf::error::EvalError::TryFailed)
        }
    }

    fn parse(src: &str, file: u32) -> Node {
        let e = hcl_edit::parser::parse_expr(src).unwrap();
        crate::tf::eval::Eval::new(FileId(file), &NoEnv).value(&e)
    }

    fn json(n: &Node) -> String {
        n.to_json().to_string()
    }

    fn config(inputs: &str, file: u32) -> Config {
        Config {
            inputs: Some(parse(inputs, file)),
            ..Config::default()
        }
    }

    /// §1.3's example: root.hcl `inputs = { a = 1, tags = { x = "p" } }`, child `inputs = {
    /// tags = { y = "c" } }`: shallow → `{ a = 1, tags = { y = "c" } }`, deep → `{ a = 1, tags
    /// = { x = "p", y = "c" } }` (<https://terragrunt.gruntwork.io/docs/reference/hcl/blocks>,
    /// "What is deep merge?"; `include.go` `mergeInputs`).
    #[test]
    fn inputs_merge_shallow_deep_and_not_at_all() {
        let parent = config(r#"{ a = 1, tags = { x = "p" } }"#, 0);
        let child = config(r#"{ tags = { y = "c" } }"#, 1);
        let shallow = merge(&parent, child.clone(), Strategy::Shallow);
        assert_eq!(json(shallow.inputs.as_ref().unwrap()), r#"{"a":1,"tags":{"y":"c"}}"#);
        let deep = merge(&parent, child.clone(), Strategy::Deep);
        assert_eq!(json(deep.inputs.as_ref().unwrap()), r#"{"a":1,"tags":{"x":"p","y":"c"}}"#);
        let none = merge(&parent, child, Strategy::NoMerge);
        assert_eq!(json(none.inputs.as_ref().unwrap()), r#"{"tags":{"y":"c"}}"#);
        // the child's value keeps its own span: a finding points into the child's file
        let c = shallow.inputs.unwrap();
        assert_eq!(c.get("tags").unwrap().span.file, FileId(1));
        assert_eq!(c.get("a").unwrap().span.file, FileId(0));
    }

    /// Deep merge concatenates lists, the parent's first, and the child's scalars win.
    #[test]
    fn deep_merge_concatenates_lists() {
        let p = parse(r#"{ l = [1, 2], s = "p", m = { k = [1] } }"#, 0);
        let c = parse(r#"{ l = [3], s = "c", m = { k = [2], n = true } }"#, 1);
        assert_eq!(json(&deep_merge(&p, &c)), r#"{"l":[1,2,3],"s":"c","m":{"k":[1,2],"n":true}}"#);
    }

    /// A child without `inputs` takes the parent's; the child's `source` wins; named blocks
    /// are merged by name, the child's replacing the parent's.
    #[test]
    fn other_parts_merge_by_name_and_child_first() {
        let parent = Config {
            inputs: Some(parse("{ a = 1 }", 0)),
            source: Some(parse(r#""../p""#, 0)),
            dependencies: vec![
                (
                    "vpc".into(),
                    parse(r#"{ config_path = "../vpc", mock_outputs = { id = "p", x = 1 } }"#, 0),
                ),
                ("dns".into(), parse(r#"{ config_path = "../dns" }"#, 0)),
            ],
            ..Config::default()
        };
        let child = Config {
            source: Some(parse(r#""../c""#, 1)),
            dependencies: vec![("vpc".into(), parse(r#"{ mock_outputs = { id = "c" } }"#, 1))],
            ..Config::default()
        };
        let m = merge(&parent, child.clone(), Strategy::Shallow);
        assert_eq!(json(m.inputs.as_ref().unwrap()), r#"{"a":1}"#);
        assert_eq!(m.source.unwrap().as_str(), Some("../c"));
        let deps: Vec<String> = m.dependencies.iter().map(|(n, v)| format!("{n}={}", json(v))).collect();
        assert_eq!(deps, [r#"vpc={"mock_outputs":{"id":"c"}}"#, r#"dns={"config_path":"../dns"}"#]);
        // deep: the dependency blocks of the same name are merged
        let d = merge(&parent, child, Strategy::Deep);
        assert_eq!(
            json(&d.dependencies[0].1),
            r#"{"config_path":"../vpc","mock_outputs":{"id":"c","x":1}}"#
        );
    }

    /// Unknown parent inputs leave the merged keys unknown; unknown child inputs win.
    #[test]
    fn unknown_inputs_stay_unknown() {
        let unknown = Node::new(Span::default(), Value::unknown("why"));
        let m = parse("{ a = 1 }", 1);
        assert!(shallow_merge(&unknown, &m).is_unknown());
        assert!(deep_merge(&unknown, &m).is_unknown());
        assert!(shallow_merge(&m, &unknown).is_unknown());
    }
}

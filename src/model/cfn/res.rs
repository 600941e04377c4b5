//! One resource of a template as the readers see it: its properties evaluated, where it is, and
//! the gates (its own `Condition`, those of the templates around it) that decide whether it is
//! created.

use super::Ctx;
use crate::model::eval::Cfn;
use crate::model::{AnchorKind, Gate, Loc, Model, Origin, Prop, join_path};
use crate::parse::tree::{Entry, Node};

pub(super) struct Res<'a> {
    /// Logical id.
    pub(super) id: &'a str,
    /// `Properties`, evaluated (`None`: absent, or `AWS::NoValue`).
    pub(super) props: Option<Node>,
    /// `Properties` as written.
    pub(super) raw_props: Option<&'a Node>,
    pub(super) origin: Origin,
    /// Logical path of the resource (`Resources/Id`, below the template's prefix).
    pub(super) path: String,
}

impl<'a> Res<'a> {
    /// The resource of entry `e` of `Resources`, in a template evaluated by `cfn`.
    pub(super) fn read(e: &'a Entry, cfn: &Cfn<'_>, ctx: &Ctx) -> Self {
        let path = join_path(&ctx.prefix, &format!("Resources/{}", e.key));
        let loc = Loc::new(e.key_span, path.clone());
        let mut gates = ctx.gates.clone();
        if let Some(c) = e.value.entry("Condition") {
            gates.push(condition_gate(c, cfn, &path));
        }
        let raw_props = e.value.get("Properties");
        Res {
            id: &e.key,
            props: raw_props.and_then(|p| cfn.eval(p)),
            raw_props,
            origin: Origin {
                format: ctx.format,
                name: e.key.clone(),
                loc,
                via: ctx.via.clone(),
                gates,
            },
            path,
        }
    }
}

impl Res<'_> {
    /// The evaluated property at `path` below `Properties`, with its location.
    pub(super) fn prop(&self, path: &[&str]) -> Prop {
        let Some(props) = &self.props else { return Prop::absent() };
        let n = props.at(path);
        let loc = props
            .span_at(path)
            .map(|sp| Loc::new(sp, format!("{}/Properties/{}", self.path, path.join("/"))));
        Prop::from_node(n, loc)
    }

    /// The evaluated node at `path` below `Properties`.
    pub(super) fn node(&self, path: &[&str]) -> Option<&Node> {
        self.props.as_ref().and_then(|p| p.at(path))
    }

    /// The property `key` as written (not evaluated).
    pub(super) fn raw(&self, key: &str) -> Option<&Node> {
        self.raw_props.and_then(|p| p.get(key))
    }

    /// The location of node `n`, the value of property `key`.
    pub(super) fn loc_of(&self, n: &Node, key: &str) -> Loc {
        Loc::new(n.span, format!("{}/Properties/{key}", self.path))
    }

    /// Note the resource as a place to point at when a guardrail of this kind is absent.
    pub(super) fn anchor(&self, model: &mut Model, kind: AnchorKind) {
        model.anchors.note(kind, &self.origin.loc);
    }
}

/// The gate of a resource's `Condition` entry `c`: the condition's value, where it is written
/// (`{path}/Condition`), and what decided it.
fn condition_gate(c: &Entry, cfn: &Cfn<'_>, path: &str) -> Gate {
    let name = c.value.as_scalar_str().map(std::borrow::Cow::into_owned).unwrap_or_default();
    let r = cfn.condition(&name);
    Gate {
        expr: format!("Condition: {name}"),
        value: r.value,
        loc: Loc::new(c.value.span, format!("{path}/Condition")),
        decided_by: r.decided_by,
        reason: r.reason,
    }
}

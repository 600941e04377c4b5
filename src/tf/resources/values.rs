//! What a reference to a resource (`aws_x.y`) or a data source (`data.aws_x.y`) reads: an
//! object per instance whose attributes are known where the configuration decides them, ids
//! that are known only after apply but known to be the organization's root, an OU or an
//! account, and every other attribute unknown.
//!
//! The AWS provider documents every argument as an attribute too ("In addition to all
//! arguments above, the following attributes are exported"); the attributes listed here are
//! the ones a guardrail reads, with the provider's documentation of what each is:
//!
//! - `aws_organizations_organization`: `roots` ("List of organization roots", `id` "Identifier
//!   of the root"), `master_account_id` ("Identifier of the master account"), `id`
//!   ("Identifier of the organization"), resource and data source alike
//!   (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_organization>,
//!   <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/organizations_organization>).
//!   An organization has one root ("Currently, you can have only one root",
//!   <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_getting-started_concepts.html>).
//! - `aws_organizations_organizational_unit`: `id` ("Identifier of the organization unit")
//!   (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_organizational_unit>).
//! - `aws_organizations_account`: `id` ("The AWS account id")
//!   (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_account>).
//! - `aws_cloudwatch_log_metric_filter`: `id` ("The name of the metric filter"), its
//!   `metric_transformation` blocks
//!   (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_metric_filter>).
//! - `aws_organizations_policy`: `type` "Defaults to `SERVICE_CONTROL_POLICY`"
//!   (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy>).
//!
//! Computed attributes (an ARN, a policy id, `aws_sns_topic.x.arn`) are unknown, and so is an
//! argument the configuration leaves out or sets to null (the provider may compute it).

use hcl_edit::structure::Block;

use super::attrs::Scoped;
use crate::model::Tri;
use crate::parse::tree::{Entry, IdOf, Is, Node, Object, Unknown, Value};
use crate::source::{FileId, Span};
use crate::tf::expand::expand;
use crate::tf::instance::Instance;
use crate::tf::parse::block_span;

/// Where an attribute's value comes from.
enum From {
    /// The argument of the same name, when the configuration sets it.
    Arg,
    /// Another argument (a metric filter's `id` is its `name`).
    ArgNamed(&'static str),
    /// The argument of the same name, or this default when the configuration leaves it out.
    ArgOr(&'static str),
    /// The nested blocks of the same name (a list), each with these arguments.
    Blocks(&'static [&'static str]),
    /// An id assigned when the entity is created.
    Id(IdOf),
    /// The organization's root: a list of one, whose `id` is the root's id.
    Roots,
}

/// The attributes of resource (`data` false) or data source type `ty` that rootguard knows.
fn attributes(ty: &str, data: bool) -> &'static [(&'static str, From)] {
    const ORGANIZATION: &[(&str, From)] = &[
        ("id", From::Id(IdOf::Organization)),
        ("roots", From::Roots),
        ("master_account_id", From::Id(IdOf::Account)),
    ];
    if data {
        return match ty {
            "aws_organizations_organization" => ORGANIZATION,
            _ => &[],
        };
    }
    match ty {
        "aws_organizations_organization" => ORGANIZATION,
        "aws_organizations_organizational_unit" => &[("id", From::Id(IdOf::Ou)), ("name", From::Arg), ("parent_id", From::Arg)],
        "aws_organizations_account" => &[
            ("id", From::Id(IdOf::Account)),
            ("name", From::Arg),
            ("email", From::Arg),
            ("parent_id", From::Arg),
        ],
        "aws_organizations_policy" => &[
            ("name", From::Arg),
            ("description", From::Arg),
            ("type", From::ArgOr("SERVICE_CONTROL_POLICY")),
        ],
        "aws_organizations_policy_attachment" => &[("policy_id", From::Arg), ("target_id", From::Arg)],
        "aws_cloudwatch_log_metric_filter" => &[
            ("id", From::ArgNamed("name")),
            ("name", From::Arg),
            ("pattern", From::Arg),
            ("log_group_name", From::Arg),
            (
                "metric_transformation",
                From::Blocks(&["name", "namespace", "value", "default_value", "unit", "dimensions"]),
            ),
        ],
        "aws_cloudwatch_metric_alarm" => &[("alarm_name", From::Arg), ("metric_name", From::Arg), ("namespace", From::Arg)],
        "aws_config_config_rule"
        | "aws_config_organization_managed_rule"
        | "aws_config_conformance_pack"
        | "aws_config_organization_conformance_pack" => &[("name", From::Arg)],
        "aws_controltower_control" => &[("control_identifier", From::Arg), ("target_identifier", From::Arg)],
        _ => &[],
    }
}

/// Why an attribute of `address` is not known: a resource's is known after apply, a data
/// source's is read at plan or apply time.
fn not_known(address: &str, data: bool) -> String {
    if data {
        format!("`{address}` is read at plan or apply time")
    } else {
        format!("`{address}` is known after apply")
    }
}

/// An object at `address` whose attributes `attrs` are known, and the others not.
fn object(span: Span, address: String, data: bool, attrs: Vec<Entry>) -> Node {
    let why = not_known(&address, data);
    let o = Object {
        address,
        after_apply: !data,
        attrs,
    };
    Node::new(span, Unknown::new(why).after_apply(!data).is(Is::Object(Box::new(o))).into())
}

/// The object of one instance of a block (`s`, with its `each` / `count`) of type `ty`.
fn instance(inst: &Instance<'_, '_>, ty: &str, s: &Scoped<'_>, address: &str, span: Span, data: bool) -> Node {
    let id = |attr: &str, k: IdOf| {
        Node::new(
            span,
            Unknown::new(not_known(&format!("{address}.{attr}"), data))
                .after_apply(!data)
                .is(Is::Id(k))
                .into(),
        )
    };
    let mut attrs = Vec::new();
    for (attr, from) in attributes(ty, data) {
        let value = match from {
            From::Arg => s.node(inst, attr),
            From::ArgNamed(arg) => s.node(inst, arg),
            From::ArgOr(default) => Some(
                s.node(inst, attr)
                    .unwrap_or_else(|| Node::new(span, Value::String((*default).to_owned()))),
            ),
            From::Blocks(args) => {
                let blocks = s.blocks(inst, attr);
                let items = blocks
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let known = args
                            .iter()
                            .filter_map(|a| {
                                let v = b.node(inst, a).filter(|v| !matches!(v.value, Value::Null))?;
                                Some(Entry {
                                    key: (*a).to_owned(),
                                    key_span: v.span,
                                    value: v,
                                })
                            })
                            .collect();
                        object(span, format!("{address}.{attr}[{i}]"), data, known)
                    })
                    .collect();
                Some(Node::new(span, Value::Seq(items)))
            }
            From::Id(k) => Some(id(attr, *k)),
            From::Roots => {
                let root = format!("{address}.roots[0]");
                let rid = Node::new(
                    span,
                    Unknown::new(not_known(&format!("{root}.id"), data))
                        .after_apply(!data)
                        .is(Is::Id(IdOf::Root))
                        .into(),
                );
                let one = object(
                    span,
                    root,
                    data,
                    vec![Entry {
                        key: "id".into(),
                        key_span: span,
                        value: rid,
                    }],
                );
                Some(Node::new(span, Value::Seq(vec![one])))
            }
        };
        // an argument set to null is one the provider may compute
        if let Some(v) = value.filter(|v| !matches!(v.value, Value::Null)) {
            attrs.push(Entry {
                key: (*attr).to_owned(),
                key_span: v.span,
                value: v,
            });
        }
    }
    object(span, address.to_owned(), data, attrs)
}

/// The value of `ty.name`, resource block `b` of module instance `inst`: one instance's
/// object, or a list of them (`count`) or a map of them by key (`for_each`); unknown when the
/// instances are.
pub(crate) fn resource_value(inst: &Instance<'_, '_>, ty: &str, name: &str, file: FileId, b: &Block) -> Node {
    let local = format!("{ty}.{name}");
    let span = block_span(file, b);
    let ex = expand(inst, file, b, &inst.address(&local));
    let one = |suffix: &str, iter: &[(String, Node)]| {
        let address = format!("{local}{suffix}");
        let s = Scoped {
            file,
            body: &b.body,
            iter: iter.to_vec(),
            path: inst.address(&address),
            gate: None,
            over: inst
                .world
                .overrides
                .get(&inst.dir)
                .map(|o| o.resource(ty, name))
                .unwrap_or_default(),
        };
        instance(inst, ty, &s, &address, span, false)
    };
    let Some(gate) = &ex.gate else {
        return one("", &[]);
    };
    if let Some(why) = &ex.cut {
        return Node::unknown(span, format!("not every instance of `{local}` is read: {why}"));
    }
    let count = b.body.get_attribute("count").is_some();
    match gate.value {
        Tri::Unknown => Node::unknown(span, format!("the instances of `{local}` are not known: {}", gate.reason)),
        Tri::False if count => Node::new(span, Value::Seq(Vec::new())),
        Tri::False => Node::new(span, Value::Map(Vec::new())),
        Tri::True if count => Node::new(span, Value::Seq(ex.instances.iter().map(|(k, iter)| one(k, iter)).collect())),
        Tri::True => {
            let mut entries: Vec<Entry> = ex
                .instances
                .iter()
                .map(|(k, iter)| {
                    let key = iter
                        .iter()
                        .find(|(n, _)| n == "each")
                        .and_then(|(_, each)| each.get("key"))
                        .and_then(crate::tf::eval::to_text)
                        .unwrap_or_default();
                    Entry {
                        key,
                        key_span: span,
                        value: one(k, iter),
                    }
                })
                .collect();
            // a map of instances is ordered by key, as Terraform iterates it
            entries.sort_by(|a, b| a.key.cmp(&b.key));
            Node::new(span, Value::Map(entries))
        }
    }
}

/// The value of `data.ty.name` when rootguard knows some of its attributes (`None` for the
/// others, and for a data source with `count` or `for_each`).
pub(crate) fn data_value(inst: &Instance<'_, '_>, ty: &str, name: &str, file: FileId, b: &Block) -> Option<Node> {
    if attributes(ty, true).is_empty() || b.body.get_attribute("count").is_some() || b.body.get_attribute("for_each").is_some() {
        return None;
    }
    let address = format!("data.{ty}.{name}");
    let s = Scoped {
        file,
        body: &b.body,
        iter: Vec::new(),
        path: inst.address(&address),
        gate: None,
        over: Vec::new(),
    };
    Some(instance(inst, ty, &s, &address, block_span(file, b), true))
}

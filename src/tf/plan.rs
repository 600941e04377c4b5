//! `terraform show -json` plans (aws-facts §8): the resources of `planned_values` (root and
//! child modules) with `after_unknown` values unknown, attachments linked through the
//! `configuration` references, and guardrail resources the plan deletes.

use std::collections::BTreeMap;

use super::resources::{Attrs, resource};
use crate::model::{AnchorKind, FileDiagnostic, Format, Loc, Model, Origin, PVal, PlannedDelete, Prop, Target, TargetKind, Targets};
use crate::parse::Diagnostic;
use crate::parse::tree::{Node, Value};
use crate::source::FileId;

/// Resource types whose deletion removes (part of) a guardrail.
const GUARDRAIL_TYPES: &[&str] = &[
    "aws_config_config_rule",
    "aws_config_organization_managed_rule",
    "aws_config_conformance_pack",
    "aws_config_organization_conformance_pack",
    "aws_organizations_policy",
    "aws_organizations_policy_attachment",
    "aws_controltower_control",
    "aws_securityhub_standards_subscription",
    "aws_cloudwatch_log_metric_filter",
    "aws_cloudwatch_metric_alarm",
    "aws_iam_organizations_features",
];

/// One planned resource's attributes.
struct PlanAttrs<'a> {
    values: &'a Node,
    unknown: Option<&'a Node>,
    refs: &'a BTreeMap<String, Vec<String>>,
    text: &'a str,
    path: String,
}

impl Attrs for PlanAttrs<'_> {
    fn prop(&self, name: &str) -> Prop {
        if self
            .unknown
            .and_then(|u| u.get(name))
            .is_some_and(|u| matches!(u.value, Value::Bool(true)))
        {
            let loc = self.values.entry(name).map_or_else(
                || Loc::new(self.values.span, self.path.clone()),
                |e| Loc::new(e.key_span.cover(e.value.span), format!("{}/{name}", self.path)),
            );
            return Prop {
                val: PVal::Unknown(format!("`{}.{name}` is known after apply", self.path)),
                loc: Some(loc),
            };
        }
        match self.values.entry(name) {
            Some(e) if !matches!(e.value.value, Value::Null) => {
                Prop::from_node(Some(&e.value), Some(Loc::new(e.value.span, format!("{}/{name}", self.path))))
            }
            _ => Prop::absent(),
        }
    }
    fn node(&self, name: &str) -> Option<Node> {
        if self
            .unknown
            .and_then(|u| u.get(name))
            .is_some_and(|u| matches!(u.value, Value::Bool(true)))
        {
            return Some(Node::new(
                self.values.span,
                Value::unknown(format!("`{}.{name}` is known after apply", self.path)),
            ));
        }
        self.values.get(name).filter(|n| !matches!(n.value, Value::Null)).cloned()
    }
    fn blocks(&self, name: &str) -> Vec<Box<dyn Attrs + '_>> {
        let Some(items) = self.values.get(name).and_then(Node::as_seq) else {
            return Vec::new();
        };
        let unknown = self.unknown.and_then(|u| u.get(name)).and_then(Node::as_seq);
        items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                Box::new(PlanAttrs {
                    values: v,
                    unknown: unknown.and_then(|u| u.get(i)),
                    refs: self.refs,
                    text: self.text,
                    path: format!("{}/{name}[{i}]", self.path),
                }) as Box<dyn Attrs>
            })
            .collect()
    }
    fn reference(&self, name: &str, ty: &str) -> Option<String> {
        self.refs.get(name)?.iter().find_map(|r| {
            r.strip_prefix(&format!("{ty}."))
                .map(|rest| rest.split(['.', '[']).next().unwrap_or(rest).to_owned())
        })
    }
    fn structured(&self, _: &Node) -> Option<Node> {
        None
    }
    fn text(&self, _: FileId) -> &str {
        self.text
    }
    fn path(&self) -> String {
        self.path.clone()
    }
}

/// `configuration` resources: address → attribute → references.
fn config_refs(module: &Node, prefix: &str, out: &mut BTreeMap<String, BTreeMap<String, Vec<String>>>) {
    for r in module.get("resources").and_then(Node::as_seq).unwrap_or_default() {
        let Some(addr) = r.get("address").and_then(Node::as_str) else {
            continue;
        };
        let mut attrs = BTreeMap::new();
        for e in r.get("expressions").and_then(Node::as_map).unwrap_or_default() {
            let refs: Vec<String> = e
                .value
                .get("references")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect();
            if !refs.is_empty() {
                attrs.insert(e.key.clone(), refs);
            }
        }
        out.insert(format!("{prefix}{addr}"), attrs);
    }
    for c in module.get("module_calls").and_then(Node::as_map).unwrap_or_default() {
        if let Some(m) = c.value.get("module") {
            config_refs(m, &format!("{prefix}module.{}.", c.key), out);
        }
    }
}

fn walk_planned<'a>(module: &'a Node, out: &mut Vec<&'a Node>) {
    out.extend(module.get("resources").and_then(Node::as_seq).unwrap_or_default());
    for c in module.get("child_modules").and_then(Node::as_seq).unwrap_or_default() {
        walk_planned(c, out);
    }
}

/// Strip instance keys: `module.a["x"].aws_y.z[0]` → `module.a.aws_y.z`.
fn config_address(addr: &str) -> String {
    let mut out = String::with_capacity(addr.len());
    let mut depth = 0;
    for c in addr.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Read a plan document into the model.
pub fn plan(text: &str, root: &Node, model: &mut Model) {
    if let Some(v) = root.get("format_version").and_then(Node::as_scalar_str) {
        let major = v.split('.').next().and_then(|m| m.parse::<u32>().ok());
        if major.is_none_or(|m| m >= 2) {
            let at = root.get("format_version").map_or(root.span, |n| n.span);
            model.diagnostics.push(FileDiagnostic {
                diag: Diagnostic::error(
                    at,
                    "plan-format",
                    format!("plan `format_version` {v} is not supported (rootguard reads 0.x and 1.x); its resources are not read"),
                ),
                relevant: true,
            });
            return;
        }
    }
    let mut refs = BTreeMap::new();
    if let Some(m) = root.at(&["configuration", "root_module"]) {
        config_refs(m, "", &mut refs);
    }
    let mut changes: BTreeMap<String, &Node> = BTreeMap::new();
    for c in root.get("resource_changes").and_then(Node::as_seq).unwrap_or_default() {
        if let Some(a) = c.get("address").and_then(Node::as_str) {
            changes.insert(a.to_owned(), c);
        }
    }
    let mut planned = Vec::new();
    if let Some(m) = root.at(&["planned_values", "root_module"]) {
        walk_planned(m, &mut planned);
    }
    let empty = BTreeMap::new();
    let mut policies: Vec<(String, usize, Option<String>)> = Vec::new();
    let mut attachments: Vec<(Option<String>, Option<String>, Target)> = Vec::new();
    for r in planned {
        if r.get("mode").and_then(Node::as_str) != Some("managed") {
            continue;
        }
        let (Some(addr), Some(ty), Some(values)) = (
            r.get("address").and_then(Node::as_str),
            r.get("type").and_then(Node::as_str),
            r.get("values"),
        ) else {
            continue;
        };
        let caddr = config_address(addr);
        let unknown = changes.get(addr).and_then(|c| c.at(&["change", "after_unknown"]));
        let at = r.entry("address").map_or(r.span, |e| e.key_span.cover(e.value.span));
        let origin = Origin {
            format: Format::TerraformPlan,
            name: addr.to_owned(),
            loc: Loc::new(at, addr.to_owned()),
            via: Vec::new(),
            gates: Vec::new(),
        };
        model.anchors.note(AnchorKind::Any, &origin.loc);
        let a = PlanAttrs {
            values,
            unknown,
            refs: refs.get(&caddr).unwrap_or(&empty),
            text,
            path: addr.to_owned(),
        };
        if ty == "aws_organizations_policy_attachment" {
            let module = caddr
                .rsplit_once("aws_organizations_policy_attachment.")
                .map_or("", |(m, _)| m)
                .to_owned();
            let by_ref = a
                .reference("policy_id", "aws_organizations_policy")
                .map(|n| format!("{module}aws_organizations_policy.{n}"));
            let by_id = a.prop("policy_id").known_text();
            let tloc = Loc::new(values.get("target_id").map_or(at, |n| n.span), format!("{addr}/target_id"));
            let target = match (a.prop("target_id").known_text(), a.refs.get("target_id")) {
                (Some(t), _) => Target::new(crate::model::cfn::classify_target(&t), t, tloc),
                (None, Some(rs))
                    if rs
                        .iter()
                        .any(|r| r.starts_with("aws_organizations_organization.") && r.contains(".roots")) =>
                {
                    Target::new(TargetKind::Root, rs[0].clone(), tloc)
                }
                (None, Some(rs)) if rs.iter().any(|r| r.starts_with("aws_organizations_organizational_unit.")) => {
                    Target::new(TargetKind::Ou, rs[0].clone(), tloc)
                }
                _ => {
                    let mut t = Target::new(TargetKind::Unknown, "a target known after apply".into(), tloc);
                    t.unknown = Some("the attachment target is known only after apply".into());
                    t
                }
            };
            attachments.push((by_ref, by_id, target));
            continue;
        }
        if ty == "aws_organizations_policy" {
            policies.push((caddr.clone(), model.policies.len(), a.prop("id").known_text()));
        }
        resource(ty, &a, &origin, model);
    }
    let unlinked = attachments.iter().any(|(r, i, _)| r.is_none() && i.is_none());
    // `configuration` references name a resource, not one of its count/for_each instances
    let instances = |c: &str| policies.iter().filter(|(x, _, _)| x == c).count();
    for (caddr, idx, id) in &policies {
        let ambiguous = instances(caddr) > 1;
        let mine: Vec<Target> = attachments
            .iter()
            .filter(|(r, i, _)| (i.is_some() && i == id) || (!ambiguous && r.as_deref() == Some(caddr.as_str())))
            .map(|(_, _, t)| t.clone())
            .collect();
        let ambiguous_ref = ambiguous
            && attachments
                .iter()
                .any(|(r, i, _)| i.is_none() && r.as_deref() == Some(caddr.as_str()));
        if let Some(p) = model.policies.get_mut(*idx) {
            p.targets = if !mine.is_empty() {
                Targets::List(mine)
            } else if unlinked || ambiguous_ref {
                Targets::Unknown {
                    reason: "an attachment in the plan names a policy id known only after apply".into(),
                    loc: p.origin.loc.clone(),
                }
            } else {
                Targets::List(Vec::new())
            };
        }
    }
    // guardrail resources the plan deletes without replacing
    for c in root.get("resource_changes").and_then(Node::as_seq).unwrap_or_default() {
        let actions: Vec<&str> = c
            .at(&["change", "actions"])
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        let ty = c.get("type").and_then(Node::as_str).unwrap_or("");
        if actions != ["delete"] || c.get("mode").and_then(Node::as_str) != Some("managed") || !GUARDRAIL_TYPES.contains(&ty) {
            continue;
        }
        if !deletes_guardrail(ty, c.at(&["change", "before"])) {
            continue;
        }
        let addr = c.get("address").and_then(Node::as_str).unwrap_or("");
        let at = c.entry("address").map_or(c.span, |e| e.key_span.cover(e.value.span));
        model.planned_deletes.push(PlannedDelete {
            origin: Origin {
                format: Format::TerraformPlan,
                name: addr.to_owned(),
                loc: Loc::new(at, addr.to_owned()),
                via: Vec::new(),
                gates: Vec::new(),
            },
            resource_type: ty.to_owned(),
        });
    }
}

/// Is the deleted resource part of a root guardrail (judged on its `before` values)?
fn deletes_guardrail(ty: &str, before: Option<&Node>) -> bool {
    let Some(b) = before else { return true };
    let s = |k: &str| b.get(k).and_then(Node::as_str).unwrap_or("");
    match ty {
        "aws_config_config_rule" => {
            let id = b.at(&["source", "0", "source_identifier"]).and_then(Node::as_str).unwrap_or("");
            id.is_empty() || id.contains("ROOT_ACCOUNT")
        }
        "aws_config_organization_managed_rule" => s("rule_identifier").is_empty() || s("rule_identifier").contains("ROOT_ACCOUNT"),
        "aws_config_conformance_pack" | "aws_config_organization_conformance_pack" => {
            let body = s("template_body");
            body.is_empty() || body.contains("ROOT_ACCOUNT")
        }
        "aws_organizations_policy" => {
            let c = s("content").to_ascii_lowercase();
            c.is_empty() || (c.contains("aws:principalarn") && c.contains(":root")) || c.contains("aws:principaltype")
        }
        "aws_controltower_control" => {
            let id = s("control_identifier");
            id.is_empty()
                || id.contains("ROOT")
                || id.ends_with(crate::model::aws::CT_RESTRICT_ROOT.1)
                || id.ends_with(crate::model::aws::CT_ROOT_MFA.1)
        }
        "aws_cloudwatch_log_metric_filter" => s("pattern").contains("Root"),
        "aws_securityhub_standards_subscription" => crate::model::aws::standard_controls(s("standards_arn")).is_none_or(|c| !c.is_empty()),
        "aws_cloudwatch_metric_alarm" => s("metric_name").to_ascii_lowercase().contains("root"),
        _ => true,
    }
}

/// When a plan's `.tf` files are scanned too, the plan's declarations (its values are the
/// more complete ones) take the `.tf` locations, and the `.tf` declarations of the same
/// addresses are dropped, so that findings point at the source a user edits.
pub fn relocate(model: &mut Model) {
    macro_rules! merge {
        ($coll:ident, [$($f:ident),*]) => {{
            let tf: BTreeMap<String, usize> = model
                .$coll
                .iter()
                .enumerate()
                .filter(|(_, d)| d.origin.format == Format::Terraform)
                .map(|(i, d)| (d.origin.name.clone(), i))
                .collect();
            let mut drop = std::collections::BTreeSet::new();
            for i in 0..model.$coll.len() {
                if model.$coll[i].origin.format != Format::TerraformPlan {
                    continue;
                }
                let Some(&j) = tf.get(&model.$coll[i].origin.name) else { continue };
                let t = model.$coll[j].clone();
                let d = &mut model.$coll[i];
                d.origin.loc = t.origin.loc.clone();
                d.origin.via = t.origin.via.clone();
                $(
                    if let Some(l) = t.$f.loc.clone() {
                        d.$f.loc = Some(l);
                    }
                )*
                drop.insert(j);
            }
            let mut k = 0usize;
            model.$coll.retain(|_| {
                let keep = !drop.contains(&k);
                k += 1;
                keep
            });
        }};
    }
    merge!(
        config_rules,
        [name, owner, identifier, frequency, input_parameters, excluded_accounts]
    );
    merge!(policies, [name, policy_type]);
    merge!(securityhub_standards, [arn]);
    merge!(securityhub_controls, [control, reason]);
    merge!(metric_filters, [pattern, metric_name, namespace, log_group]);
    merge!(metric_alarms, [metric_name, namespace, actions]);
    merge!(controltower_controls, [identifier, target, parameters]);
    merge!(organizations_features, [features]);
}

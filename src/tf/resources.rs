//! Terraform resources and data sources → model declarations (aws-facts §9).

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body};

use super::expand::{expand, expr_text};
use super::instance::Instance;
use super::parse::{block_span, label};
use crate::model::cfn::classify_target;
use crate::model::{
    AnchorKind, ConfigRule, ConformancePack, CtControl, Format, Loc, MetricAlarm, MetricFilter, Model, OpaqueTemplate, OrgFeatures,
    OrgPolicy, Origin, PVal, PackBody, PolicyDoc, Prop, Recorder, Scope, ShControl, ShStandard, Target, TargetKind, Targets, Via,
};
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, Span};

/// A block body with the iteration variables it sees.
#[derive(Clone)]
pub(crate) struct Scoped<'b> {
    pub file: FileId,
    pub body: &'b Body,
    pub iter: Vec<(String, Node)>,
    pub path: String,
}

impl<'b> Scoped<'b> {
    fn eval(&self, inst: &Instance<'_, '_>, e: &Expression) -> Node {
        let mut ev = inst.eval_in(self.file);
        // the iteration values (`each`, `count`, a dynamic block's) are copied for each attribute
        let at = e
            .span()
            .map_or(Span::new(self.file, 0, 0), |r| Span::new(self.file, r.start, r.end));
        for (_, v) in &self.iter {
            if !crate::limits::charge_copy(v, at) {
                return Node::new(at, Value::Unknown(crate::limits::spent_reason()));
            }
        }
        ev.iter.clone_from(&self.iter);
        ev.value(e)
    }

    /// An attribute's value and location.
    pub fn prop(&self, inst: &Instance<'_, '_>, name: &str) -> Prop {
        let Some(a) = self.body.get_attribute(name) else {
            return Prop::absent();
        };
        let v = self.eval(inst, &a.value);
        let span = match v.value {
            Value::Map(_) | Value::Seq(_) => a.span(),
            _ => a.value.span(),
        };
        let span = span.map_or(v.span, |r| Span::new(self.file, r.start, r.end));
        Prop::from_node(Some(&v), Some(Loc::new(span, format!("{}/{name}", self.path))))
    }

    pub fn node(&self, inst: &Instance<'_, '_>, name: &str) -> Option<Node> {
        self.body.get_attribute(name).map(|a| self.eval(inst, &a.value))
    }

    pub fn raw(&self, name: &str) -> Option<&'b Expression> {
        self.body.get_attribute(name).map(|a| &a.value)
    }

    /// Nested blocks `name`, including those a `dynamic "name"` block generates.
    pub fn blocks(&self, inst: &Instance<'_, '_>, name: &str) -> Vec<Scoped<'b>> {
        let mut out = Vec::new();
        for (i, b) in self.body.blocks().enumerate() {
            let id = b.ident.value().as_str();
            if id == name {
                out.push(Scoped {
                    file: self.file,
                    body: &b.body,
                    iter: self.iter.clone(),
                    path: format!("{}/{name}[{i}]", self.path),
                });
            } else if id == "dynamic" && label(b, 0) == Some(name) {
                let Some(content) = b.body.blocks().find(|c| c.ident.value().as_str() == "content") else {
                    continue;
                };
                let it = b.body.get_attribute("iterator").and_then(|a| match &a.value {
                    Expression::Variable(v) => Some(v.value().as_str().to_owned()),
                    _ => None,
                });
                let it = it.unwrap_or_else(|| name.to_owned());
                let coll = b.body.get_attribute("for_each").map(|a| self.eval(inst, &a.value));
                // each element is copied into a block of its own
                let coll = coll.map(|c| {
                    if crate::limits::charge_copy(&c, c.span) {
                        c
                    } else {
                        Node::new(c.span, Value::Unknown(crate::limits::spent_reason()))
                    }
                });
                let pairs: Vec<(Node, Node)> = match coll.as_ref().map(|c| &c.value) {
                    Some(Value::Seq(s)) => s
                        .iter()
                        .enumerate()
                        .map(|(k, v)| (Node::new(v.span, Value::Number(k.to_string())), v.clone()))
                        .collect(),
                    Some(Value::Map(m)) => m
                        .iter()
                        .map(|e| (Node::new(e.key_span, Value::String(e.key.clone())), e.value.clone()))
                        .collect(),
                    _ => {
                        // unknown collection: one block whose values are unknown
                        let span = block_span(self.file, b);
                        let u = Node::new(
                            span,
                            Value::Unknown(format!("`dynamic \"{name}\"` iterates over a value not known statically")),
                        );
                        vec![(u.clone(), u)]
                    }
                };
                for (k, v) in pairs {
                    let mut iter = self.iter.clone();
                    let span = v.span;
                    iter.push((
                        it.clone(),
                        super::eval::object(span, [("key".to_owned(), k), ("value".to_owned(), v)].into_iter().collect()),
                    ));
                    out.push(Scoped {
                        file: self.file,
                        body: &content.body,
                        iter,
                        path: format!("{}/dynamic.{name}[{i}]", self.path),
                    });
                }
            }
        }
        out
    }
}

/// What resource mapping needs from a resource's attributes: HCL blocks evaluated in their
/// module instance, or the values of a Terraform plan.
pub(crate) trait Attrs {
    /// An attribute's value and location.
    fn prop(&self, name: &str) -> Prop;
    fn node(&self, name: &str) -> Option<Node>;
    /// Nested blocks.
    fn blocks(&self, name: &str) -> Vec<Box<dyn Attrs + '_>>;
    /// The resource `ty.NAME` an attribute refers to, as `NAME`.
    fn reference(&self, name: &str, ty: &str) -> Option<String>;
    /// The structure behind a `jsonencode` / policy-document value.
    fn structured(&self, n: &Node) -> Option<Node>;
    /// The `name` of a metric filter resource of the same module.
    /// When attribute `attr` refers to a metric filter resource of the same module, the metric
    /// name it stands for: the filter's metric (`.metric_transformation[0].name`) or its
    /// name (`.id`, `.name`).
    fn filter_metric(&self, attr: &str) -> Option<String>;
    /// The text of a file.
    fn text(&self, file: FileId) -> &str;
    /// The logical path of this block (`module.org.aws_x.y/statement[0]`).
    fn path(&self) -> String;
    /// The scanned file a `file()` call that produced `n` read, if any.
    fn file_read_at(&self, _n: &Node) -> Option<FileId> {
        None
    }
}

/// A block of a module instance.
pub(crate) struct Hcl<'i, 'w, 'a, 'b> {
    pub inst: &'i Instance<'w, 'a>,
    pub s: Scoped<'b>,
}

impl Attrs for Hcl<'_, '_, '_, '_> {
    fn prop(&self, name: &str) -> Prop {
        self.s.prop(self.inst, name)
    }
    fn node(&self, name: &str) -> Option<Node> {
        self.s.node(self.inst, name)
    }
    fn blocks(&self, name: &str) -> Vec<Box<dyn Attrs + '_>> {
        self.s
            .blocks(self.inst, name)
            .into_iter()
            .map(|s| Box::new(Hcl { inst: self.inst, s }) as Box<dyn Attrs>)
            .collect()
    }
    fn reference(&self, name: &str, ty: &str) -> Option<String> {
        self.s.raw(name).and_then(|e| resource_ref(e, ty))
    }
    fn structured(&self, n: &Node) -> Option<Node> {
        self.inst.structured(n)
    }
    fn filter_metric(&self, attr: &str) -> Option<String> {
        let e = self.s.raw(attr)?;
        let name = resource_ref(e, "aws_cloudwatch_log_metric_filter")?;
        let Expression::Traversal(t) = e else { return None };
        let metric = t
            .operators
            .iter()
            .any(|o| matches!(o.value(), TraversalOperator::GetAttr(a) if a.value().as_str() == "metric_transformation"));
        filter_name(self.inst, &name, metric)
    }
    fn text(&self, file: FileId) -> &str {
        &self.inst.world.sources.get(file).text
    }
    fn path(&self) -> String {
        self.s.path.clone()
    }
    fn file_read_at(&self, n: &Node) -> Option<FileId> {
        self.inst.world.file_reads.borrow().get(&n.span).copied()
    }
}

fn origin(inst: &Instance<'_, '_>, file: FileId, b: &Block, address: &str, gates: &[crate::model::Gate]) -> Origin {
    Origin {
        format: Format::Terraform,
        name: address.to_owned(),
        loc: Loc::new(block_span(file, b), address.to_owned()),
        via: inst.via.clone(),
        gates: gates.to_vec(),
    }
}

/// Walk one module instance: its module calls (recursively) and its resources.
pub(crate) fn walk(inst: &Instance<'_, '_>, model: &mut Model) {
    let mut attachments: Vec<(String, Option<String>, Target, Loc)> = Vec::new();
    let mut policies_here: Vec<(String, usize)> = Vec::new();
    for f in inst.files() {
        for b in f.body.blocks() {
            match b.ident.value().as_str() {
                "module" => module_call(inst, f.id, b, model),
                "resource" => {
                    let (Some(ty), Some(name)) = (label(b, 0), label(b, 1)) else {
                        continue;
                    };
                    let base = inst.address(&format!("{ty}.{name}"));
                    let ex = expand(inst, f.id, b, &base);
                    let mut gates = inst.gates.clone();
                    gates.extend(ex.gate.clone().filter(|g| g.value != crate::model::Tri::True));
                    if let Some(why) = &ex.cut {
                        // the instances not read may declare (or disable) what this type does
                        let o = origin(inst, f.id, b, &base, &gates);
                        if ty == "aws_organizations_policy_attachment" {
                            *inst.world.unlinked_attachment.borrow_mut() = Some((why.clone(), o.loc.clone()));
                        }
                        model.opaque_templates.push(OpaqueTemplate {
                            origin: o,
                            kind: "cut",
                            reference: why.clone(),
                            known_clean: false,
                            resource_type: ty.to_owned(),
                        });
                    }
                    for (suffix, iter) in &ex.instances {
                        let address = format!("{base}{suffix}");
                        let s = Scoped {
                            file: f.id,
                            body: &b.body,
                            iter: iter.clone(),
                            path: address.clone(),
                        };
                        let o = origin(inst, f.id, b, &address, &gates);
                        if ty == "aws_organizations_policy_attachment" {
                            let created = o.created();
                            if created == crate::model::Tri::False {
                                continue;
                            }
                            // `aws_organizations_policy.NAME[KEY].id` → `NAME[KEY]`, the key evaluated here
                            let policy = s.raw("policy_id").and_then(|e| policy_instance(inst, &s, e));
                            let mut t = target(inst, &s);
                            if created == crate::model::Tri::Unknown {
                                // an attachment that may not be created attaches nothing for sure
                                t.kind = TargetKind::Unknown;
                            }
                            if policy.is_none() {
                                *inst.world.unlinked_attachment.borrow_mut() = Some((
                                    format!("`{address}` attaches a policy that is not a resource of its own module"),
                                    o.loc.clone(),
                                ));
                            }
                            attachments.push((address.clone(), policy, t, o.loc.clone()));
                            continue;
                        }
                        if ty == "aws_organizations_policy" {
                            policies_here.push((format!("{name}{suffix}"), model.policies.len()));
                        }
                        resource(ty, &Hcl { inst, s }, &o, model);
                    }
                }
                _ => {}
            }
        }
    }
    // link attachments to the policies of this module instance (an attachment whose policy is
    // not a resource of the same instance makes every unattached policy unknown; see `analyze`)
    for (name, idx) in &policies_here {
        let mine: Vec<Target> = attachments
            .iter()
            .filter(|(_, p, _, _)| p.as_deref() == Some(name.as_str()))
            .map(|(_, _, t, _)| t.clone())
            .collect();
        let Some(p) = model.policies.get_mut(*idx) else { continue };
        p.targets = Targets::List(mine);
    }
}

/// The policy instance an attachment's `policy_id` names: `NAME`, `NAME[0]`, `NAME["key"]`.
fn policy_instance(inst: &Instance<'_, '_>, s: &Scoped<'_>, e: &Expression) -> Option<String> {
    let name = resource_ref(e, "aws_organizations_policy")?;
    let Expression::Traversal(t) = e else { return None };
    match t.operators.get(1).map(hcl_edit::Decorated::value) {
        Some(TraversalOperator::Index(ix)) => {
            let k = s.eval(inst, ix);
            match &k.value {
                Value::Number(n) => Some(format!("{name}[{n}]")),
                Value::String(v) if !v.contains("${") => Some(format!("{name}[{v:?}]")),
                _ => None,
            }
        }
        Some(TraversalOperator::LegacyIndex(n)) => Some(format!("{name}[{}]", n.value())),
        _ => Some(name),
    }
}

/// `aws_organizations_policy.NAME.id` → `NAME`.
fn resource_ref(e: &Expression, ty: &str) -> Option<String> {
    let Expression::Traversal(t) = e else { return None };
    let Expression::Variable(v) = &t.expr else { return None };
    if v.value().as_str() != ty {
        return None;
    }
    match t.operators.first().map(hcl_edit::Decorated::value) {
        Some(TraversalOperator::GetAttr(n)) => Some(n.value().as_str().to_owned()),
        _ => None,
    }
}

fn target(inst: &Instance<'_, '_>, s: &Scoped<'_>) -> Target {
    let Some(e) = s.raw("target_id") else {
        return Target {
            kind: TargetKind::Unknown,
            text: "no target_id".into(),
            loc: Loc::new(Span::default(), ""),
        };
    };
    let span = e.span().map_or(Span::default(), |r| Span::new(s.file, r.start, r.end));
    let loc = Loc::new(span, format!("{}/target_id", s.path));
    let text = expr_text(inst, s.file, e);
    if let Expression::Traversal(t) = e
        && let Expression::Variable(v) = &t.expr
    {
        let first = t.operators.first().and_then(|o| match o.value() {
            TraversalOperator::GetAttr(a) => Some(a.value().as_str()),
            _ => None,
        });
        let root = if v.value().as_str() == "data" {
            first.unwrap_or("")
        } else {
            v.value().as_str()
        };
        let kind = match root {
            "aws_organizations_organization" => {
                let roots = t
                    .operators
                    .iter()
                    .any(|o| matches!(o.value(), TraversalOperator::GetAttr(a) if a.value().as_str() == "roots"));
                Some(if roots { TargetKind::Root } else { TargetKind::Reference })
            }
            "aws_organizations_organizational_unit" => Some(TargetKind::Ou),
            "aws_organizations_account" => Some(TargetKind::Account),
            _ => None,
        };
        if let Some(kind) = kind {
            return Target { kind, text, loc };
        }
    }
    let v = s.eval(inst, e);
    match super::eval::to_text(&v) {
        Some(t) => Target {
            kind: classify_target(&t),
            text: t,
            loc,
        },
        None => Target {
            kind: TargetKind::Unknown,
            text,
            loc,
        },
    }
}

fn module_call(inst: &Instance<'_, '_>, file: FileId, b: &Block, model: &mut Model) {
    let name = label(b, 0).unwrap_or("");
    if let Some(src) = b.body.get_attribute("source").and_then(|a| a.value.as_str())
        && (src.starts_with("./") || src.starts_with("../"))
        && inst
            .world
            .dirs
            .resolve(&inst.dir, src)
            .is_ok_and(|d| inst.world.pruned.contains(&d))
    {
        // a module that declares no guardrail and that nothing read here depends on
        return;
    }
    let base = inst.address(&format!("module.{name}"));
    let ex = expand(inst, file, b, &base);
    if let Some(why) = &ex.cut {
        // the module instances not read may declare or disable anything
        let mut gates = inst.gates.clone();
        gates.extend(ex.gate.clone().filter(|g| g.value != crate::model::Tri::True));
        model.opaque_templates.push(OpaqueTemplate {
            origin: origin(inst, file, b, &base, &gates),
            kind: "cut",
            reference: why.clone(),
            known_clean: false,
            resource_type: "*".into(),
        });
    }
    for (_, iter) in &ex.instances {
        let child = inst.child(file, b, Some(iter));
        if let Ok(Some(mut child)) = child {
            if let Some(g) = ex.gate.clone().filter(|g| g.value != crate::model::Tri::True) {
                child.gates.push(g);
            }
            walk(&child, model);
        } else {
            // why it stops: a limit (a module that calls itself), or a source it cannot read
            let stopped = child.err().map(|e| e.to_string());
            let limited = stopped.is_some();
            let raw = b.body.get_attribute("source").and_then(|a| a.value.as_str().map(str::to_owned));
            let src = b
                .body
                .get_attribute("source")
                .map_or_else(|| "no source".into(), |a| expr_text(inst, file, &a.value));
            let mut gates = inst.gates.clone();
            gates.extend(ex.gate.clone().filter(|g| g.value != crate::model::Tri::True));
            let o = origin(inst, file, b, &base, &gates);
            let known_clean = raw.as_deref().is_some_and(|r| inst.world.known_clean(r));
            model.opaque_templates.push(OpaqueTemplate {
                origin: o,
                kind: "module",
                reference: stopped.unwrap_or_else(|| format!("module source {src}")),
                known_clean: known_clean && !limited,
                resource_type: String::new(),
            });
            break;
        }
    }
}

fn known(v: &str, loc: &Loc) -> Prop {
    Prop {
        val: PVal::Known(v.into()),
        loc: Some(loc.clone()),
    }
}

pub(crate) fn resource(ty: &str, s: &dyn Attrs, o: &Origin, model: &mut Model) {
    let p = |n: &str| s.prop(n);
    let first = |n: &str| s.blocks(n).into_iter().next();
    let anchor = |model: &mut Model, k| model.anchors.note(k, &o.loc);
    match ty {
        "aws_config_config_rule" => {
            anchor(model, AnchorKind::Config);
            let src = first("source");
            let sp = |n: &str| src.as_ref().map_or_else(Prop::absent, |b| b.prop(n));
            model.config_rules.push(ConfigRule {
                origin: o.clone(),
                scope: Scope::Account,
                name: p("name"),
                owner: sp("owner"),
                identifier: sp("source_identifier"),
                frequency: p("maximum_execution_frequency"),
                input_parameters: p("input_parameters"),
                excluded_accounts: Prop::absent(),
                pack: None,
            });
        }
        "aws_config_organization_managed_rule" => {
            anchor(model, AnchorKind::Config);
            model.config_rules.push(ConfigRule {
                origin: o.clone(),
                scope: Scope::Organization,
                name: p("name"),
                owner: known("AWS", &o.loc),
                identifier: p("rule_identifier"),
                frequency: p("maximum_execution_frequency"),
                input_parameters: p("input_parameters"),
                excluded_accounts: p("excluded_accounts"),
                pack: None,
            });
        }
        "aws_config_organization_custom_rule" | "aws_config_organization_custom_policy_rule" => anchor(model, AnchorKind::Config),
        "aws_config_conformance_pack" | "aws_config_organization_conformance_pack" => {
            anchor(model, AnchorKind::Config);
            let org = ty.contains("organization");
            let idx = model.conformance_packs.len();
            let s3 = p("template_s3_uri");
            let body_p = p("template_body");
            let mut inner = None;
            let mut body_ignored = None;
            let body = if !s3.is_absent() {
                if !body_p.is_absent() {
                    body_ignored.clone_from(&body_p.loc);
                }
                PackBody::Opaque {
                    reference: s3.known_text().unwrap_or_else(|| "an S3 URI known at apply time".into()),
                    loc: s3.loc.clone().unwrap_or_else(|| o.loc.clone()),
                }
            } else if let Some(n) = s.node("template_body") {
                let loc = body_p.loc.clone().unwrap_or_else(|| o.loc.clone());
                match &n.value {
                    Value::String(t) if !t.contains("${") => {
                        // a pack read with `file()` from a scanned file keeps that file's positions
                        let (mut parsed, exact) = match s.file_read_at(&n) {
                            Some(f) => (crate::parse::yaml::parse(f, s.text(f), 0), true),
                            None => (crate::parse::yaml::parse(n.span.file, t, 0), false),
                        };
                        let whole = loc.span;
                        if !exact && let Some(r) = parsed.root.as_mut() {
                            r.remap_spans(&|_| whole);
                        }
                        let ok = parsed.root.is_some();
                        model.diagnostics.extend(parsed.diagnostics.into_iter().map(|mut d| {
                            if !exact {
                                d.span = whole;
                            }
                            crate::model::FileDiagnostic { diag: d, relevant: true }
                        }));
                        if ok {
                            inner = parsed.root;
                            PackBody::Inline { loc }
                        } else {
                            PackBody::Unknown {
                                reason: "the template body is not valid YAML".into(),
                                loc,
                            }
                        }
                    }
                    Value::Unknown(r) => PackBody::Unknown { reason: r.clone(), loc },
                    _ => PackBody::Unknown {
                        reason: "the template body is not known statically".into(),
                        loc,
                    },
                }
            } else {
                PackBody::Unknown {
                    reason: "the pack declares no template".into(),
                    loc: o.loc.clone(),
                }
            };
            model.conformance_packs.push(ConformancePack {
                origin: o.clone(),
                scope: if org { Scope::Organization } else { Scope::Account },
                name: p("name"),
                body,
                excluded_accounts: if org { p("excluded_accounts") } else { Prop::absent() },
                body_ignored,
            });
            if let Some(root) = inner {
                let mut overrides = std::collections::BTreeMap::new();
                for ip in s.blocks("input_parameter") {
                    if let (Some(k), Some(v)) = (
                        ip.node("parameter_name").and_then(|n| super::eval::to_text(&n)),
                        ip.node("parameter_value"),
                    ) {
                        let l = Loc::new(v.span, format!("{}/parameter_value", ip.path()));
                        overrides.insert(k, (v, l));
                    }
                }
                let mut via = o.via.clone();
                via.push(Via {
                    kind: "conformance-pack",
                    name: o.name.clone(),
                    loc: o.loc.clone(),
                });
                let ctx = crate::model::cfn::Ctx {
                    format: Format::ConformancePack,
                    via,
                    gates: o.gates.clone(),
                    overrides,
                    pack: Some(idx),
                    depth: 1,
                    prefix: format!("{}/template_body", o.name),
                };
                // the text the template's spans point into (the pack file, or this file)
                let text = s.text(root.span.file);
                crate::model::cfn::template(text, &root, &ctx, model);
            }
        }
        "aws_organizations_policy" => {
            anchor(model, AnchorKind::Organizations);
            let content = match s.node("content") {
                None => PolicyDoc::unknown(o.loc.clone(), "the policy has no `content`"),
                Some(n) => {
                    let loc = p("content").loc.unwrap_or_else(|| o.loc.clone());
                    policy_content(s, &n, &loc)
                }
            };
            let ty_p = p("type");
            model.policies.push(OrgPolicy {
                origin: o.clone(),
                name: p("name"),
                policy_type: ty_p,
                content,
                targets: Targets::List(Vec::new()),
                analysis: None,
            });
        }
        "aws_organizations_organization" | "aws_organizations_organizational_unit" | "aws_organizations_account" => {
            anchor(model, AnchorKind::Organizations);
        }
        "aws_securityhub_account" => {
            anchor(model, AnchorKind::SecurityHub);
            // `enable_default_standards` defaults to true: FSBP and CIS v1.2.0
            let enable = p("enable_default_standards");
            let on = match &enable.val {
                PVal::Absent => Some(true),
                PVal::Known(serde_json::Value::Bool(b)) => Some(*b),
                PVal::Known(serde_json::Value::String(t)) => Some(t == "true"),
                _ => None,
            };
            for arn in crate::model::cfn::DEFAULT_STANDARDS {
                let val = match on {
                    Some(true) => PVal::Known((*arn).into()),
                    Some(false) => continue,
                    None => PVal::Unknown("`enable_default_standards` is not known statically".into()),
                };
                model.securityhub_standards.push(ShStandard {
                    origin: o.clone(),
                    arn: Prop {
                        val,
                        loc: enable.loc.clone().or_else(|| Some(o.loc.clone())),
                    },
                    implied: true,
                });
            }
        }
        "aws_securityhub_organization_configuration" => anchor(model, AnchorKind::SecurityHub),
        "aws_securityhub_standards_subscription" => {
            anchor(model, AnchorKind::SecurityHub);
            model.securityhub_standards.push(ShStandard {
                origin: o.clone(),
                arn: p("standards_arn"),
                implied: false,
            });
        }
        "aws_securityhub_standards_control" => {
            anchor(model, AnchorKind::SecurityHub);
            let status = p("control_status");
            let disabled = status.known_text().is_some_and(|s| s.eq_ignore_ascii_case("DISABLED")) || !p("disabled_reason").is_absent();
            model.securityhub_controls.push(ShControl {
                origin: o.clone(),
                control: p("standards_control_arn"),
                status: if disabled { "disabled" } else { "enabled" },
                reason: p("disabled_reason"),
                standard: Prop::absent(),
            });
        }
        "aws_securityhub_standards_control_association" => {
            anchor(model, AnchorKind::SecurityHub);
            let status = p("association_status");
            let disabled = status.known_text().is_some_and(|s| s.eq_ignore_ascii_case("DISABLED"));
            model.securityhub_controls.push(ShControl {
                origin: o.clone(),
                control: p("security_control_id"),
                status: if disabled { "disabled" } else { "enabled" },
                reason: p("updated_reason"),
                standard: p("standards_arn"),
            });
        }
        "aws_securityhub_configuration_policy" => {
            anchor(model, AnchorKind::SecurityHub);
            for cp in s.blocks("configuration_policy") {
                if let Some(n) = cp.node("enabled_standard_arns") {
                    for (i, x) in n.as_seq().unwrap_or_default().iter().enumerate() {
                        model.securityhub_standards.push(ShStandard {
                            origin: o.clone(),
                            arn: Prop::from_node(Some(x), Some(Loc::new(x.span, format!("{}/enabled_standard_arns/{i}", cp.path())))),
                            implied: false,
                        });
                    }
                }
                for scc in cp.blocks("security_controls_configuration") {
                    for (key, status) in [
                        ("disabled_control_identifiers", "disabled"),
                        ("enabled_control_identifiers", "enabled"),
                    ] {
                        let pr = scc.prop(key);
                        let Some(n) = scc.node(key) else { continue };
                        let items = n.as_seq().unwrap_or_default();
                        for x in items {
                            model.securityhub_controls.push(ShControl {
                                origin: o.clone(),
                                control: Prop::from_node(Some(x), Some(Loc::new(x.span, format!("{}/{key}", scc.path())))),
                                status,
                                reason: Prop::absent(),
                                standard: Prop::absent(),
                            });
                        }
                        if status == "enabled" {
                            model.securityhub_controls.extend(ShControl::left_out(o, &n, pr.loc.as_ref()));
                        }
                    }
                }
            }
        }
        "aws_cloudwatch_log_metric_filter" => {
            anchor(model, AnchorKind::Logging);
            let mt = first("metric_transformation");
            let mp = |n: &str| mt.as_ref().map_or_else(Prop::absent, |b| b.prop(n));
            model.metric_filters.push(MetricFilter {
                origin: o.clone(),
                pattern: p("pattern"),
                metric_name: mp("name"),
                namespace: mp("namespace"),
                log_group: p("log_group_name"),
            });
        }
        "aws_cloudwatch_metric_alarm" => {
            let mut metric = p("metric_name");
            // `metric_name = aws_cloudwatch_log_metric_filter.x.id` (or `.name`): the filter's name
            if let Some(v) = s.filter_metric("metric_name") {
                metric = Prop {
                    val: PVal::Known(v.into()),
                    loc: metric.loc,
                };
            }
            model.metric_alarms.push(MetricAlarm {
                origin: o.clone(),
                metric_name: metric,
                namespace: p("namespace"),
                actions: {
                    let pr = p("alarm_actions");
                    Prop::list_from_node(s.node("alarm_actions").as_ref(), pr.loc)
                },
                actions_enabled: p("actions_enabled"),
            });
        }
        // the trail is where a root-usage filter belongs; any log group is too loose an anchor
        "aws_cloudtrail" => anchor(model, AnchorKind::Logging),
        "aws_controltower_control" => {
            anchor(model, AnchorKind::Organizations);
            model.controltower_controls.push(CtControl {
                origin: o.clone(),
                identifier: p("control_identifier"),
                target: p("target_identifier"),
                parameters: Prop::absent(),
            });
        }
        "aws_iam_organizations_features" => {
            anchor(model, AnchorKind::Organizations);
            model.organizations_features.push(OrgFeatures {
                origin: o.clone(),
                features: p("enabled_features"),
            });
        }
        "aws_config_configuration_recorder" => {
            anchor(model, AnchorKind::Config);
            model.configuration_recorders.push(Recorder {
                origin: o.clone(),
                enabled: Prop::absent(),
            });
        }
        "aws_config_configuration_recorder_status" => {
            anchor(model, AnchorKind::Config);
            model.configuration_recorders.push(Recorder {
                origin: o.clone(),
                enabled: p("is_enabled"),
            });
        }
        _ => {}
    }
}

/// The `name` of a metric filter resource of this module instance.
fn filter_name(inst: &Instance<'_, '_>, name: &str, metric: bool) -> Option<String> {
    for f in inst.files() {
        for b in f.body.blocks() {
            if b.ident.value().as_str() == "resource"
                && label(b, 0) == Some("aws_cloudwatch_log_metric_filter")
                && label(b, 1) == Some(name)
            {
                let body = if metric {
                    &b.body.blocks().find(|x| x.ident.value().as_str() == "metric_transformation")?.body
                } else {
                    &b.body
                };
                let a = body.get_attribute("name")?;
                return super::eval::to_text(&inst.eval_in(f.id).value(&a.value));
            }
        }
    }
    None
}

/// The policy document behind a `content` value: the structure of a `jsonencode` or a policy
/// document data source when known, else the JSON text parsed.
fn policy_content(s: &dyn Attrs, n: &Node, loc: &Loc) -> PolicyDoc {
    match &n.value {
        Value::String(t) => {
            if let Some(doc) = s.structured(n) {
                return PolicyDoc::from_node(&doc, loc, Some(t.len()));
            }
            let mut p = crate::parse::json::parse(n.span.file, t, 0);
            let whole = loc.span;
            if let Some(r) = p.root.as_mut() {
                r.remap_spans(&|_| whole);
            }
            match p.root {
                Some(root) => PolicyDoc::from_node(&root, loc, Some(t.len())),
                None => PolicyDoc::unknown(
                    loc.clone(),
                    format!(
                        "the policy content is not valid JSON: {}",
                        p.diagnostics.first().map_or("", |d| d.message.as_str())
                    ),
                ),
            }
        }
        Value::Unknown(r) => PolicyDoc::unknown(loc.clone(), r.clone()),
        _ => PolicyDoc::unknown(loc.clone(), format!("the policy content is a {}, not a JSON string", n.kind_name())),
    }
}

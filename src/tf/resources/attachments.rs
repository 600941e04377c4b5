//! Policy attachments: the policy instance an attachment names and the target it attaches it
//! to, linked to the policies of its own module instance. An attachment whose policy is not one
//! of them (it comes through a module output or variable), or attachments a limit leaves
//! unread, make the targets of every policy without an attachment unknown.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator};

use super::attrs::{Scoped, resource_ref};
use crate::model::cfn::classify_target;
use crate::model::{Format, Loc, Model, Origin, Target, TargetKind, Targets, Tri};
use crate::parse::tree::{IdOf, Is, Value};
use crate::source::Span;
use crate::tf::expand::expr_text;
use crate::tf::instance::Instance;
use crate::tf::world::World;

/// The attachments and policies of one module instance, to be linked.
#[derive(Default)]
pub(super) struct Attachments {
    /// The policy each attachment names (`NAME`, `NAME[0]`, `NAME["key"]`; `None`: not a
    /// policy of this instance), and its target.
    attached: Vec<(Option<String>, Target)>,
    /// The policies of this instance by name (with the instance key) and index in the model.
    policies: Vec<(String, usize)>,
}

impl Attachments {
    /// An instance of an `aws_organizations_policy_attachment` at `address`, with origin `o`
    /// (one not created attaches nothing).
    pub(super) fn attachment(&mut self, inst: &Instance<'_, '_>, s: &Scoped<'_>, o: &Origin, address: &str) {
        let created = o.created();
        if created == Tri::False {
            return;
        }
        // `aws_organizations_policy.NAME[KEY].id` → `NAME[KEY]`, the key evaluated here
        let p = s.for_attr("policy_id");
        let policy = p.raw("policy_id").and_then(|e| policy_instance(inst, &p, e));
        let mut t = target(inst, &s.for_attr("target_id"));
        if created == Tri::Unknown {
            // an attachment that may not be created attaches nothing for sure
            t.kind = TargetKind::Unknown;
            t.note = None;
            let why = o
                .deciding_gate()
                .map_or_else(|| "its `count` or `for_each` is not known".to_owned(), |g| g.reason.clone());
            t.unknown = Some(format!("`{address}` may not be created, so it may not attach `{}`: {why}", t.text));
        }
        if policy.is_none() {
            *inst.world.unlinked_attachment.borrow_mut() = Some((
                format!("`{address}` attaches a policy that is not a resource of its own module"),
                o.loc.clone(),
            ));
        }
        self.attached.push((policy, t));
    }

    /// The policy `name` of this instance, declared at `index` of the model's policies.
    pub(super) fn policy(&mut self, name: String, index: usize) {
        self.policies.push((name, index));
    }

    /// Give each policy of this instance the targets of the attachments that name it.
    pub(super) fn link(self, model: &mut Model) {
        for (name, idx) in &self.policies {
            let mine: Vec<Target> = self
                .attached
                .iter()
                .filter(|(p, _)| p.as_deref() == Some(name.as_str()))
                .map(|(_, t)| t.clone())
                .collect();
            let Some(p) = model.policies.get_mut(*idx) else { continue };
            p.targets = Targets::List(mine);
        }
    }
}

/// Once every instance is walked: a policy attached through a module output or variable may
/// be any of the unattached ones, so their targets are unknown.
pub(crate) fn unlinked(world: &World<'_>, model: &mut Model) {
    if let Some((addr, loc)) = world.unlinked_attachment.borrow().clone() {
        for p in &mut model.policies {
            if p.origin.format == Format::Terraform && matches!(&p.targets, Targets::List(t) if t.is_empty()) {
                p.targets = Targets::Unknown {
                    reason: addr.clone(),
                    loc: loc.clone(),
                };
            }
        }
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

/// The target of an attachment, from the value of its `target_id`: an id known after apply is
/// the root, an OU or an account by what it is the id of (through locals, variables, module
/// inputs and outputs, `each.value`, functions and conditionals alike); a known text is one by
/// its shape; a required variable of the scanned root module is whatever the module's caller
/// passes (a target, of a kind not known); anything else is not known, with the reason.
fn target(inst: &Instance<'_, '_>, s: &Scoped<'_>) -> Target {
    let Some(e) = s.raw("target_id") else {
        let mut t = Target::new(TargetKind::Unknown, "no target_id".into(), Loc::new(Span::default(), ""));
        t.unknown = Some("an attachment has no `target_id`".into());
        return t;
    };
    let span = e.span().map_or(Span::default(), |r| Span::new(s.file, r.start, r.end));
    let loc = Loc::new(span, format!("{}/target_id", s.path));
    let text = expr_text(inst, s.file, e);
    let v = s.eval(inst, e);
    if let Value::Unknown(u) = &v.value {
        let mut t = Target::new(TargetKind::Unknown, text, loc);
        match u.is {
            Is::Id(IdOf::Root) => t.kind = TargetKind::Root,
            Is::Id(IdOf::Ou) => t.kind = TargetKind::Ou,
            Is::Id(IdOf::Account) => t.kind = TargetKind::Account,
            // known, and no root, OU or account id
            Is::Id(IdOf::Organization) => {}
            Is::Input => {
                t.kind = TargetKind::Reference;
                t.note = Some(format!("the target is supplied by the module's caller: {}", u.reason));
            }
            Is::Any | Is::Object(_) => {
                t.unknown = Some(format!("the attachment target `{}` is not known statically: {}", t.text, u.reason));
            }
        }
        return t;
    }
    match crate::tf::eval::to_text(&v) {
        Some(t) if crate::tf::eval::is_partial(&v) => {
            let why = format!("the attachment target `{t}` is built from a value known only after apply");
            let mut x = Target::new(TargetKind::Unknown, t, loc);
            x.unknown = Some(why);
            x
        }
        Some(t) => Target::new(classify_target(&t), t, loc),
        // a list, a map or null: no id
        None => Target::new(TargetKind::Unknown, text, loc),
    }
}

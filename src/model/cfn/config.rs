//! AWS Config: rules (`AWS::Config::ConfigRule`, `OrganizationConfigRule`) and configuration
//! recorders.

use super::Ctx;
use super::res::Res;
use crate::model::{AnchorKind, ConfigRule, Model, PVal, Prop, Recorder, Scope};

/// An account-level `AWS::Config::ConfigRule`.
pub(super) fn rule(r: &Res<'_>, ctx: &Ctx, model: &mut Model) {
    r.anchor(model, AnchorKind::Config);
    model.config_rules.push(ConfigRule {
        origin: r.origin.clone(),
        scope: Scope::Account,
        name: r.prop(&["ConfigRuleName"]),
        owner: r.prop(&["Source", "Owner"]),
        identifier: r.prop(&["Source", "SourceIdentifier"]),
        frequency: r.prop(&["MaximumExecutionFrequency"]),
        input_parameters: r.prop(&["InputParameters"]),
        excluded_accounts: Prop::absent(),
        pack: ctx.pack,
    });
}

/// An `AWS::Config::OrganizationConfigRule`: its owner is implied by the kind of metadata it
/// declares (managed, custom Lambda, custom policy), located at that metadata.
pub(super) fn organization_rule(r: &Res<'_>, ctx: &Ctx, model: &mut Model) {
    r.anchor(model, AnchorKind::Config);
    let (meta, owner) = if r.node(&["OrganizationManagedRuleMetadata"]).is_some() {
        ("OrganizationManagedRuleMetadata", "AWS")
    } else if r.node(&["OrganizationCustomRuleMetadata"]).is_some() {
        ("OrganizationCustomRuleMetadata", "CUSTOM_LAMBDA")
    } else if r.node(&["OrganizationCustomPolicyRuleMetadata"]).is_some() {
        ("OrganizationCustomPolicyRuleMetadata", "CUSTOM_POLICY")
    } else {
        ("OrganizationManagedRuleMetadata", "")
    };
    let owner = match r.node(&[meta]) {
        Some(n) if !owner.is_empty() => Prop {
            val: PVal::Known(owner.into()),
            loc: Some(r.loc_of(n, meta)),
        },
        _ => Prop::absent(),
    };
    let identifier = if meta == "OrganizationCustomRuleMetadata" {
        r.prop(&[meta, "LambdaFunctionArn"])
    } else {
        r.prop(&[meta, "RuleIdentifier"])
    };
    model.config_rules.push(ConfigRule {
        origin: r.origin.clone(),
        scope: Scope::Organization,
        name: r.prop(&["OrganizationConfigRuleName"]),
        owner,
        identifier,
        frequency: r.prop(&[meta, "MaximumExecutionFrequency"]),
        input_parameters: r.prop(&[meta, "InputParameters"]),
        excluded_accounts: r.prop(&["ExcludedAccounts"]),
        pack: ctx.pack,
    });
}

/// An `AWS::Config::ConfigurationRecorder` (its status is not declared by the resource).
pub(super) fn recorder(r: &Res<'_>, model: &mut Model) {
    r.anchor(model, AnchorKind::Config);
    model.configuration_recorders.push(Recorder {
        origin: r.origin.clone(),
        enabled: Prop::absent(),
    });
}

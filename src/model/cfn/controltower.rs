//! Control Tower: `AWS::ControlTower::EnabledControl`.

use super::res::Res;
use crate::model::{AnchorKind, CtControl, Model};

/// A control enabled on a target (an OU).
pub(super) fn enabled_control(r: &Res<'_>, model: &mut Model) {
    r.anchor(model, AnchorKind::Organizations);
    model.controltower_controls.push(CtControl {
        origin: r.origin.clone(),
        identifier: r.prop(&["ControlIdentifier"]),
        target: r.prop(&["TargetIdentifier"]),
        parameters: r.prop(&["Parameters"]),
    });
}

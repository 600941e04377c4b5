//! Root-usage alerting: `AWS::Logs::MetricFilter` and the `AWS::CloudWatch::Alarm` on its metric.

use super::res::Res;
use crate::model::{AnchorKind, Loc, MetricAlarm, MetricFilter, Model, Prop};
use crate::parse::tree::Node;

/// An `AWS::Logs::MetricFilter`.
pub(super) fn metric_filter(r: &Res<'_>, model: &mut Model) {
    r.anchor(model, AnchorKind::Logging);
    model.metric_filters.push(MetricFilter {
        origin: r.origin.clone(),
        pattern: r.prop(&["FilterPattern"]),
        metric_name: transformation(r, "MetricName"),
        namespace: transformation(r, "MetricNamespace"),
        log_group: r.prop(&["LogGroupName"]),
    });
}

/// `key` of the first `MetricTransformations` item, or of `MetricTransformations` given as a
/// single object instead of a list.
fn transformation(r: &Res<'_>, key: &str) -> Prop {
    let first = r.prop(&["MetricTransformations", "0", key]);
    if !first.is_absent() {
        return first;
    }
    r.prop(&["MetricTransformations", key])
}

/// An `AWS::CloudWatch::Alarm`: its metric given directly, or by the first `MetricStat` of
/// its `Metrics`.
pub(super) fn alarm(r: &Res<'_>, model: &mut Model) {
    let (mut metric, mut ns) = (r.prop(&["MetricName"]), r.prop(&["Namespace"]));
    if metric.is_absent()
        && let Some((m, n)) = metric_stat(r)
    {
        (metric, ns) = (m, n);
    }
    model.metric_alarms.push(MetricAlarm {
        origin: r.origin.clone(),
        metric_name: metric,
        namespace: ns,
        actions: {
            let p = r.prop(&["AlarmActions"]);
            Prop::list_from_node(r.node(&["AlarmActions"]), p.loc)
        },
        actions_enabled: r.prop(&["ActionsEnabled"]),
    });
}

/// The metric name and namespace of the first `Metrics` item with a `MetricStat`.
fn metric_stat(r: &Res<'_>) -> Option<(Prop, Prop)> {
    let ms = r.node(&["Metrics"]).and_then(Node::as_seq)?;
    let (i, m) = ms.iter().enumerate().find(|(_, m)| m.get("MetricStat").is_some())?;
    let p = format!("{}/Properties/Metrics/{i}/MetricStat/Metric", r.path);
    let mn = m.at(&["MetricStat", "Metric", "MetricName"]);
    let nn = m.at(&["MetricStat", "Metric", "Namespace"]);
    Some((
        Prop::from_node(mn, mn.map(|n| Loc::new(n.span, format!("{p}/MetricName")))),
        Prop::from_node(nn, nn.map(|n| Loc::new(n.span, format!("{p}/Namespace")))),
    ))
}

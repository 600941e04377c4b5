//! The model as a JSON document (schema `rootguard-model/1`, see `docs/model.md`), and the index
//! that maps a JSON path in it back to source locations.

use std::collections::BTreeMap;

use serde_json::{Map, Value as J, json};

use crate::analyze::{Code, Coll, Facts};
use crate::model::{Gate, Loc, Model, Origin, PVal, PackBody, Prop, Scope, Targets, Tri, Via};
use crate::source::Sources;

/// What a JSON element stands for.
#[derive(Clone, Debug)]
pub struct Element {
    pub loc: Loc,
    pub via: Vec<Via>,
    /// Short description for messages, such as "Config rule `x`".
    pub what: String,
    /// Problem code → (guardrail, message, location), in order.
    pub problems: BTreeMap<Code, Vec<Problem>>,
    /// The declaration's gates (what switches it off, and what decided that).
    pub gates: Vec<crate::model::Gate>,
    /// What else to know of it, each a sentence (its findings carry them).
    pub notes: Vec<String>,
}

/// One problem of an element: (guardrail, message, location).
pub type Problem = (Option<&'static str>, String, Loc);

/// JSON path prefix (`config_rules/3`) → element.
pub type Index = BTreeMap<String, Element>;

fn tri(t: Tri) -> &'static str {
    match t {
        Tri::True => "true",
        Tri::False => "false",
        Tri::Unknown => "unknown",
    }
}

/// JSON of a location.
#[must_use]
pub fn loc_json(s: &Sources, l: &Loc) -> J {
    let f = s.get(l.span.file);
    let (a, b) = s.position(l.span);
    json!({ "file": f.display, "line": a.line, "column": a.column, "end_line": b.line, "end_column": b.column, "path": l.path })
}

fn prop(p: &Prop) -> Option<J> {
    match &p.val {
        PVal::Absent => None,
        PVal::Known(v) => Some(v.clone()),
        PVal::Partial(s) => Some(json!({ "partial": s })),
        PVal::Unknown(r) => Some(json!({ "unknown": r })),
    }
}

fn put(o: &mut Map<String, J>, k: &str, p: &Prop) {
    if let Some(v) = prop(p) {
        o.insert(k.to_owned(), v);
    }
}

/// The first fields of a Config rule or conformance pack: its `scope` and `name`.
fn scope_and_name(scope: Scope, name: &Prop) -> Map<String, J> {
    let mut o = Map::new();
    let scope = if scope == Scope::Organization { "organization" } else { "account" };
    o.insert("scope".into(), scope.into());
    put(&mut o, "name", name);
    o
}

fn gate(s: &Sources, g: &Gate) -> J {
    let mut o = json!({ "expr": g.expr, "value": tri(g.value), "reason": g.reason, "source": loc_json(s, &g.loc) });
    if let Some(d) = &g.decided_by {
        o["decided_by"] = loc_json(s, d);
    }
    o
}

fn origin(s: &Sources, o: &Origin) -> Map<String, J> {
    let mut m = Map::new();
    m.insert("id".into(), o.name.clone().into());
    m.insert("format".into(), o.format.as_str().into());
    m.insert("created".into(), tri(o.created()).into());
    m.insert("source".into(), loc_json(s, &o.loc));
    if !o.via.is_empty() {
        m.insert(
            "via".into(),
            o.via
                .iter()
                .map(|v| {
                    let mut j = loc_json(s, &v.loc);
                    j["kind"] = v.kind.into();
                    j["name"] = v.name.clone().into();
                    j
                })
                .collect(),
        );
    }
    if !o.gates.is_empty() {
        m.insert("gates".into(), o.gates.iter().map(|g| gate(s, g)).collect());
    }
    m
}

/// The guardrail name as a document key.
#[must_use]
pub fn guardrail_key(g: &str) -> String {
    g.replace('-', "_")
}

struct Builder<'a> {
    s: &'a Sources,
    index: Index,
}

impl Builder<'_> {
    /// The elements of collection `coll`, one per item, each with the fields `fill` puts in
    /// its object and the origin and description it returns, inserted into `doc`.
    fn collection<'t, T>(
        &mut self,
        doc: &mut Map<String, J>,
        coll: Coll,
        items: &'t [T],
        fill: impl Fn(&'t T, &mut Map<String, J>) -> (&'t Origin, String),
    ) {
        let mut out = Vec::with_capacity(items.len());
        for (i, x) in items.iter().enumerate() {
            let mut o = Map::new();
            let (origin, what) = fill(x, &mut o);
            out.push(self.element(coll, i, origin, what, o));
        }
        doc.insert(coll.key().into(), out.into());
    }

    fn element(&mut self, coll: Coll, i: usize, o: &Origin, what: String, mut obj: Map<String, J>) -> J {
        let mut base = origin(self.s, o);
        base.append(&mut obj);
        self.index.insert(
            coll.at(i),
            Element {
                loc: o.loc.clone(),
                via: o.via.clone(),
                what,
                problems: BTreeMap::new(),
                gates: o.gates.clone(),
                notes: Vec::new(),
            },
        );
        J::Object(base)
    }
}

/// Build the document.
#[must_use]
#[allow(clippy::too_many_lines)] // one block per collection, in document order
pub fn document(s: &Sources, m: &Model, facts: &Facts, files: &BTreeMap<&str, usize>) -> (J, Index) {
    let mut b = Builder { s, index: Index::new() };
    let mut doc = Map::new();
    doc.insert("schema".into(), crate::model::SCHEMA.into());
    doc.insert("files".into(), json!(files));

    let mut rules = Vec::new();
    for (i, r) in m.config_rules.iter().enumerate() {
        let mut o = scope_and_name(r.scope, &r.name);
        put(&mut o, "owner", &r.owner);
        put(&mut o, "identifier", &r.identifier);
        put(&mut o, "frequency", &r.frequency);
        put(&mut o, "input_parameters", &r.input_parameters);
        put(&mut o, "excluded_accounts", &r.excluded_accounts);
        if let Some(p) = r.pack {
            o.insert("pack".into(), p.into());
        }
        let name = r.name.known_text().unwrap_or_else(|| r.origin.name.clone());
        rules.push(b.element(Coll::ConfigRules, i, &r.origin, format!("Config rule `{name}`"), o));
    }
    doc.insert(Coll::ConfigRules.key().into(), rules.into());

    let mut packs = Vec::new();
    for (i, p) in m.conformance_packs.iter().enumerate() {
        let mut o = scope_and_name(p.scope, &p.name);
        let (kind, extra) = match &p.body {
            PackBody::Inline { .. } => ("inline", None),
            PackBody::File => ("file", None),
            PackBody::Opaque { reference, .. } => ("opaque", Some(reference.clone())),
            PackBody::Unknown { reason, .. } => ("unknown", Some(reason.clone())),
        };
        o.insert("body".into(), kind.into());
        if let Some(e) = extra {
            o.insert("body_reference".into(), e.into());
        }
        put(&mut o, "excluded_accounts", &p.excluded_accounts);
        let name = p.name.known_text().unwrap_or_else(|| p.origin.name.clone());
        packs.push(b.element(Coll::ConformancePacks, i, &p.origin, format!("conformance pack `{name}`"), o));
    }
    doc.insert(Coll::ConformancePacks.key().into(), packs.into());

    let mut pols = Vec::new();
    for (i, p) in m.policies.iter().enumerate() {
        let mut o = Map::new();
        put(&mut o, "name", &p.name);
        put(&mut o, "type", &p.policy_type);
        if let Some(n) = p.content.size_bytes {
            o.insert("size_bytes".into(), n.into());
        }
        put(&mut o, "version", &p.content.version);
        if let Some(u) = &p.content.unknown {
            o.insert("content_unknown".into(), u.clone().into());
        }
        match &p.targets {
            Targets::List(t) => {
                o.insert(
                    "targets".into(),
                    t.iter()
                        .map(|t| {
                            let mut j = json!({ "kind": t.kind.as_str(), "id": t.text });
                            if let Some(n) = &t.note {
                                j["note"] = n.clone().into();
                            }
                            j
                        })
                        .collect(),
                );
            }
            Targets::Unknown { reason, .. } => {
                o.insert("targets".into(), json!({ "unknown": reason }));
            }
        }
        let f = facts.policies.get(i);
        if let Some(f) = f {
            o.insert("is_scp".into(), tri(f.is_scp).into());
            o.insert("attached".into(), tri(f.attached).into());
            o.insert("root_deny".into(), f.content.as_str().into());
            o.insert(
                "statements".into(),
                p.content
                    .statements
                    .iter()
                    .zip(&f.statements)
                    .map(|(st, sf)| {
                        let mut j = json!({ "index": st.index, "root_deny": sf.effect.as_str(), "source": loc_json(s, &st.loc) });
                        if let Some(sid) = &st.sid {
                            j["sid"] = sid.clone().into();
                        }
                        if let Some(e) = prop(&st.effect) {
                            j["effect"] = e;
                        }
                        j
                    })
                    .collect(),
            );
        }
        let name = p.name.known_text().unwrap_or_else(|| p.origin.name.clone());
        let el = b.element(Coll::Policies, i, &p.origin, format!("policy `{name}`"), o);
        if let Some(e) = b.index.get_mut(&Coll::Policies.at(i)) {
            e.notes = crate::analyze::target_notes(&p.targets);
        }
        if let Some(f) = f {
            // reasons AWS rejects the policy, and warnings, are problems of the element whatever its status
            let Some(e) = b.index.get_mut(&Coll::Policies.at(i)) else {
                pols.push(el);
                continue;
            };
            // the gate of a statement that decides the policy names the value that decides it
            e.gates.extend(f.gate.clone());
            // (a reason with no `invalid_*` form would keep its own code)
            let invalid = f.invalid.iter().map(|r| (r, r.code.invalid().unwrap_or(r.code)));
            for (r, code) in invalid.chain(f.warnings.iter().map(|r| (r, r.code))) {
                e.problems
                    .entry(code)
                    .or_default()
                    .push((Some("root-deny-scp"), r.message.clone(), r.loc.clone()));
            }
        }
        pols.push(el);
    }
    doc.insert(Coll::Policies.key().into(), pols.into());

    let mut stds = Vec::new();
    for (i, st) in m.securityhub_standards.iter().enumerate() {
        let mut o = Map::new();
        put(&mut o, "arn", &st.arn);
        o.insert("implied".into(), st.implied.into());
        match facts.sh_standard_controls.get(i).cloned().flatten() {
            Some(ids) => o.insert("root_controls".into(), ids.into()),
            None => o.insert("root_controls".into(), json!({ "unknown": "not known to rootguard" })),
        };
        stds.push(b.element(Coll::SecurityhubStandards, i, &st.origin, "Security Hub standard".into(), o));
    }
    doc.insert(Coll::SecurityhubStandards.key().into(), stds.into());

    let mut ctl = Vec::new();
    for (i, c) in m.securityhub_controls.iter().enumerate() {
        let mut o = Map::new();
        put(&mut o, "control", &c.control);
        o.insert("status".into(), c.status.into());
        put(&mut o, "reason", &c.reason);
        if let Some(Some(id)) = facts.sh_control_ids.get(i) {
            o.insert("root_control".into(), (*id).into());
        }
        ctl.push(b.element(Coll::SecurityhubControls, i, &c.origin, "Security Hub control".into(), o));
    }
    doc.insert(Coll::SecurityhubControls.key().into(), ctl.into());

    let mut mf = Vec::new();
    for (i, f) in m.metric_filters.iter().enumerate() {
        let mut o = Map::new();
        put(&mut o, "pattern", &f.pattern);
        put(&mut o, "metric_name", &f.metric_name);
        put(&mut o, "namespace", &f.namespace);
        put(&mut o, "log_group", &f.log_group);
        if let Some(Some(miss)) = facts.filter_missing_terms.get(i) {
            o.insert("root_usage".into(), true.into());
            o.insert("missing_terms".into(), miss.clone().into());
        }
        mf.push(b.element(Coll::MetricFilters, i, &f.origin, format!("metric filter `{}`", f.origin.name), o));
    }
    doc.insert(Coll::MetricFilters.key().into(), mf.into());

    let mut ma = Vec::new();
    for (i, a) in m.metric_alarms.iter().enumerate() {
        let mut o = Map::new();
        put(&mut o, "metric_name", &a.metric_name);
        put(&mut o, "namespace", &a.namespace);
        put(&mut o, "actions", &a.actions);
        ma.push(b.element(Coll::MetricAlarms, i, &a.origin, format!("alarm `{}`", a.origin.name), o));
    }
    doc.insert(Coll::MetricAlarms.key().into(), ma.into());

    b.collection(&mut doc, Coll::ControltowerControls, &m.controltower_controls, |c, o| {
        put(o, "identifier", &c.identifier);
        put(o, "target", &c.target);
        put(o, "parameters", &c.parameters);
        (&c.origin, "Control Tower control".into())
    });
    b.collection(&mut doc, Coll::OrganizationsFeatures, &m.organizations_features, |f, o| {
        put(o, "features", &f.features);
        (&f.origin, "organization features".into())
    });
    b.collection(&mut doc, Coll::ConfigurationRecorders, &m.configuration_recorders, |r, o| {
        put(o, "enabled", &r.enabled);
        (&r.origin, "configuration recorder".into())
    });
    b.collection(&mut doc, Coll::OpaqueTemplates, &m.opaque_templates, |t, o| {
        o.insert("reference".into(), t.reference.clone().into());
        (&t.origin, format!("template of `{}`", t.origin.name))
    });

    let mut pd = Vec::new();
    for (i, d) in m.planned_deletes.iter().enumerate() {
        let mut o = Map::new();
        o.insert("type".into(), d.resource_type.clone().into());
        pd.push(b.element(Coll::PlannedDeletes, i, &d.origin, format!("`{}`", d.origin.name), o));
        if let Some(e) = b.index.get_mut(&Coll::PlannedDeletes.at(i)) {
            e.problems.entry(Code::Removed).or_default().push((
                None,
                format!("the plan deletes this {} without replacing it", d.resource_type),
                d.origin.loc.clone(),
            ));
        }
    }
    doc.insert(Coll::PlannedDeletes.key().into(), pd.into());

    let mut dg = Vec::new();
    for (i, d) in m.diagnostics.iter().enumerate() {
        let l = Loc::new(d.diag.span, "");
        dg.push(json!({ "code": d.diag.code, "level": d.diag.level, "relevant": d.relevant, "message": d.diag.message, "source": loc_json(s, &l) }));
        b.index.insert(
            Coll::Diagnostics.at(i),
            Element {
                loc: l.clone(),
                via: Vec::new(),
                what: d.diag.message.clone(),
                problems: BTreeMap::new(),
                gates: Vec::new(),
                notes: Vec::new(),
            },
        );
    }
    doc.insert(Coll::Diagnostics.key().into(), dg.into());

    // problems from the analysis, attached to their elements; one problem, one finding, however
    // many guardrails it concerns (a set per element and code: an element may have thousands)
    let mut seen: std::collections::HashMap<(&str, Code), std::collections::HashSet<(String, Loc)>> = std::collections::HashMap::new();
    for d in &facts.decls {
        if let Some(e) = b.index.get_mut(&d.element) {
            e.what.clone_from(&d.what);
            for w in &d.why {
                let list = e.problems.entry(w.code).or_default();
                let set = seen
                    .entry((d.element.as_str(), w.code))
                    .or_insert_with(|| list.iter().map(|(_, m, l)| (m.clone(), l.clone())).collect());
                if set.insert((w.message.clone(), w.loc.clone())) {
                    list.push((Some(d.guardrail), w.message.clone(), w.loc.clone()));
                }
            }
        }
    }
    drop(seen);
    for e in b.index.values_mut() {
        for list in e.problems.values_mut() {
            cap_problems(list);
        }
    }
    // element → its declarations, once (not a search per element)
    let mut by_element: BTreeMap<&str, Vec<&crate::analyze::Decl>> = BTreeMap::new();
    for d in &facts.decls {
        by_element.entry(d.element.as_str()).or_default().push(d);
    }
    for (path, e) in &b.index {
        let mut it = path.split('/');
        let (Some(coll), Some(idx)) = (it.next(), it.next().and_then(|i| i.parse::<usize>().ok())) else {
            continue;
        };
        let Some(J::Object(el)) = doc.get_mut(coll).and_then(|c| c.get_mut(idx)) else {
            continue;
        };
        let mut statuses = Map::new();
        for d in by_element.get(path.as_str()).into_iter().flatten() {
            statuses.insert(guardrail_key(d.guardrail), d.status.into());
        }
        if !statuses.is_empty() {
            el.insert("guardrail_status".into(), J::Object(statuses));
        }
        if !e.problems.is_empty() {
            let mut pm = Map::new();
            for (code, list) in &e.problems {
                pm.insert(
                    code.key().to_owned(),
                    list.iter()
                        .map(|(g, m, l)| {
                            let mut j = json!({ "message": m, "source": loc_json(s, l) });
                            if let Some(g) = g {
                                j["guardrail"] = (*g).into();
                            }
                            j
                        })
                        .collect(),
                );
            }
            el.insert("problems".into(), J::Object(pm));
        }
    }

    let mut g = Map::new();
    for v in &facts.verdicts {
        let evidence: Vec<J> = v
            .decls
            .iter()
            .map(|d| {
                let mut j = json!({ "status": d.status, "element": d.element, "what": d.what, "source": loc_json(s, &d.loc) });
                if let Some(w) = d.why.first() {
                    j["reason"] = w.message.clone().into();
                }
                j
            })
            .collect();
        g.insert(guardrail_key(v.guardrail), json!({ "status": v.status, "evidence": evidence }));
    }
    doc.insert("guardrails".into(), J::Object(g));
    let root_deny = facts
        .decls
        .iter()
        .any(|d| d.guardrail == "root-deny-scp" && (d.element.starts_with("policies/") || d.element.starts_with("controltower_controls/")));
    let mut notes = Map::new();
    if root_deny {
        notes.insert(
            "management_account".into(),
            json!({ "message": "SCPs never apply to the organization's management account" }),
        );
    }
    doc.insert("notes".into(), J::Object(notes));
    (J::Object(doc), b.index)
}

/// At most this many problems of one code per element: past it, one more says how many were
/// left out (a policy with 200,000 stray keys is 101 findings, not 200,000).
pub const MAX_PROBLEMS: usize = 100;

/// Keep the first [`MAX_PROBLEMS`] of a list, then one problem at the first left out that
/// counts them.
fn cap_problems(list: &mut Vec<Problem>) {
    if list.len() <= MAX_PROBLEMS {
        return;
    }
    let more = list.len() - MAX_PROBLEMS;
    let (g, first, loc) = list.swap_remove(MAX_PROBLEMS);
    list.truncate(MAX_PROBLEMS);
    list.push((
        g,
        format!("{more} more problem(s) like this one, from here on, are not listed one by one (the first: {first})"),
        loc,
    ));
}

/// Problems as the document shows them: code → `[{message, source}]`.
fn problems_json(s: &Sources, problems: &BTreeMap<Code, Vec<Problem>>) -> J {
    problems
        .iter()
        .map(|(k, v)| {
            (
                k.key().to_owned(),
                v.iter()
                    .map(|(_, m, l)| json!({ "message": m, "source": loc_json(s, l) }))
                    .collect::<J>(),
            )
        })
        .collect::<Map<String, J>>()
        .into()
}

/// Add the waivers to the document (`waivers`: their rules, reason, owner, expiry and
/// problems `expired` / `invalid`), so that rules see them like any other element.
pub fn add_waivers(doc: &mut J, index: &mut Index, s: &Sources, waivers: &[crate::waivers::Located]) {
    let mut list = Vec::new();
    for (i, w) in waivers.iter().enumerate() {
        let mut el = json!({ "kind": w.kind, "rules": w.rules, "reason": w.reason, "owner": w.owner, "expires": w.expires, "source": loc_json(s, &w.loc) });
        let mut problems = BTreeMap::new();
        if let Some(why) = &w.invalid {
            problems.insert(
                Code::Invalid,
                vec![(None, format!("this waiver {why}, so it suppresses nothing"), w.loc.clone())],
            );
        }
        if w.expired {
            problems.insert(
                Code::Expired,
                vec![(
                    None,
                    format!(
                        "this waiver of {} expired on {}, so it suppresses nothing any more (owner {})",
                        w.rules.join(", "),
                        w.expires.clone().unwrap_or_default(),
                        w.owner.clone().unwrap_or_default()
                    ),
                    w.loc.clone(),
                )],
            );
        }
        if let Some(applied) = w.added {
            let what = format!(
                "this pull request adds a waiver of {} (reason \"{}\", owner {}, expires {})",
                w.rules.join(", "),
                w.reason.clone().unwrap_or_default(),
                w.owner.clone().unwrap_or_default(),
                w.expires.clone().unwrap_or_default()
            );
            let effect = if applied {
                "it suppresses the findings it names from now on"
            } else {
                "with --trust-base-config only the base revision's waivers apply, so it suppresses nothing"
            };
            problems.insert(Code::Added, vec![(None, format!("{what}: {effect}"), w.loc.clone())]);
        }
        if !problems.is_empty() {
            el["problems"] = problems_json(s, &problems);
        }
        list.push(el);
        index.insert(
            Coll::Waivers.at(i),
            Element {
                loc: w.loc.clone(),
                via: Vec::new(),
                what: format!("{} waiver", w.kind),
                problems,
                gates: Vec::new(),
                notes: Vec::new(),
            },
        );
    }
    doc[Coll::Waivers.key()] = J::Array(list);
}

/// Add the files that the `include` / `exclude` globs leave out although they could declare a
/// guardrail (`exclusions`, problem `excluded`): one element, at the first such file.
pub fn add_exclusions(doc: &mut J, index: &mut Index, s: &Sources, excluded: &[crate::source::FileId]) {
    let mut list = Vec::new();
    if let Some(first) = excluded.first() {
        let loc = Loc::new(crate::source::Span::new(*first, 0, 0), "");
        let names: Vec<&str> = excluded.iter().map(|id| s.get(*id).display.as_str()).collect();
        let shown = names.iter().take(5).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        let more = if names.len() > 5 {
            format!(" and {} more", names.len() - 5)
        } else {
            String::new()
        };
        let message = format!(
            "{} file{} that could declare a root guardrail {} left out of the scan by `include` / `exclude` globs ({shown}{more}); what {} declare{} is not judged",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            if names.len() == 1 { "is" } else { "are" },
            if names.len() == 1 { "it" } else { "they" },
            if names.len() == 1 { "s" } else { "" },
        );
        let mut problems = BTreeMap::new();
        problems.insert(Code::Excluded, vec![(None, message, loc.clone())]);
        let mut el = json!({ "files": names, "source": loc_json(s, &loc) });
        el["problems"] = problems_json(s, &problems);
        list.push(el);
        index.insert(
            Coll::Exclusions.at(0),
            Element {
                loc,
                via: Vec::new(),
                what: "excluded files".to_owned(),
                problems,
                gates: Vec::new(),
                notes: Vec::new(),
            },
        );
    }
    doc[Coll::Exclusions.key()] = J::Array(list);
}

/// Add the guardrails whose verdict is worse than at the base revision (`regressions`, problem
/// `regressed`), pointed at the deciding declaration of the new verdict (or the most useful
/// place for an absent guardrail).
#[allow(clippy::too_many_arguments)]
pub fn add_regressions(
    doc: &mut J,
    index: &mut Index,
    s: &Sources,
    m: &Model,
    facts: &Facts,
    base: &[(&'static str, &'static str)],
    rev: &str,
) {
    let mut list = Vec::new();
    for v in &facts.verdicts {
        let Some((_, was)) = base.iter().find(|(g, _)| *g == v.guardrail) else {
            continue;
        };
        let worse = if v.guardrail == "securityhub-root-mfa-controls" {
            let r = |x: &str| match x {
                "enabled" => 3,
                "not-declared" => 2,
                _ => 1,
            };
            r(v.status) < r(was)
        } else {
            crate::analyze::rank(v.status) < crate::analyze::rank(was)
        };
        if !worse {
            continue;
        }
        let loc = v
            .evidence()
            .map(|d| d.loc.clone())
            .or_else(|| m.anchors.organizations.clone())
            .or_else(|| m.anchors.config.clone())
            .or_else(|| m.anchors.any.clone());
        let Some(loc) = loc else { continue };
        let i = list.len();
        let message = format!("`{}` got worse: `{was}` at {rev}, `{}` now", v.guardrail, v.status);
        let mut problems = BTreeMap::new();
        problems.insert(Code::Regressed, vec![(Some(v.guardrail), message, loc.clone())]);
        let mut el = json!({ "guardrail": v.guardrail, "was": was, "now": v.status, "source": loc_json(s, &loc) });
        el["problems"] = problems_json(s, &problems);
        list.push(el);
        index.insert(
            Coll::Regressions.at(i),
            Element {
                loc,
                via: Vec::new(),
                what: "this change".into(),
                problems,
                gates: Vec::new(),
                notes: Vec::new(),
            },
        );
    }
    doc[Coll::Regressions.key()] = J::Array(list);
}

/// Add the vendored module copies a pull request changes (`regressions`, problem
/// `vendored_module_changed`): one element per module directory, at its first added or changed
/// file (`loc`), with the message listing the files.
pub fn add_vendored_changes(doc: &mut J, index: &mut Index, s: &Sources, changes: &[(Loc, String)]) {
    let mut list = doc.get(Coll::Regressions.key()).and_then(J::as_array).cloned().unwrap_or_default();
    for (loc, message) in changes {
        let i = list.len();
        let mut problems = BTreeMap::new();
        problems.insert(Code::VendoredModuleChanged, vec![(None, message.clone(), loc.clone())]);
        let mut el = json!({ "source": loc_json(s, loc) });
        el["problems"] = problems_json(s, &problems);
        list.push(el);
        index.insert(
            Coll::Regressions.at(i),
            Element {
                loc: loc.clone(),
                via: Vec::new(),
                what: "this change".into(),
                problems,
                gates: Vec::new(),
                notes: Vec::new(),
            },
        );
    }
    doc[Coll::Regressions.key()] = J::Array(list);
}

/// Add the account evidence (`accounts`: per account its role, the exports read, both verdicts
/// and problems `mfa_none`, `mfa_virtual`, `mfa_unknown`, `keys_present`, `keys_unknown`;
/// `evidence_files`: exports that could not be read, problem `unreadable`).
pub fn add_evidence(doc: &mut J, index: &mut Index, s: &Sources, ev: &crate::evidence::Evidence) {
    use crate::evidence::{ACCESS_KEYS, HARDWARE_MFA, describe, judge};
    let mut list = Vec::new();
    for (i, a) in ev.accounts.iter().enumerate() {
        let (m, k) = judge(a);
        let mut problems: BTreeMap<Code, Vec<Problem>> = BTreeMap::new();
        let code = match m.status {
            "none" => Some(Code::MfaNone),
            "virtual-only" => Some(Code::MfaVirtual),
            "unknown" => Some(Code::MfaUnknown),
            _ => None,
        };
        if let Some(c) = code {
            problems
                .entry(c)
                .or_default()
                .push((Some(HARDWARE_MFA), m.reason.clone(), m.loc.clone()));
        }
        let code = match k.status {
            "present" => Some(Code::KeysPresent),
            "unknown" => Some(Code::KeysUnknown),
            _ => None,
        };
        if let Some(c) = code {
            problems
                .entry(c)
                .or_default()
                .push((Some(ACCESS_KEYS), k.reason.clone(), k.loc.clone()));
        }
        let exports: Vec<&str> = a.exports.iter().map(|e| e.command()).collect();
        let mut el = json!({
            "id": a.id,
            "role": a.role.as_str(),
            "exports": exports,
            "root_hardware_mfa": { "status": m.status, "reason": m.reason, "source": loc_json(s, &m.loc) },
            "root_access_keys": { "status": k.status, "reason": k.reason, "source": loc_json(s, &k.loc) },
        });
        if !problems.is_empty() {
            el["problems"] = problems_json(s, &problems);
        }
        list.push(el);
        index.insert(
            Coll::Accounts.at(i),
            Element {
                loc: m.loc.clone(),
                via: Vec::new(),
                what: describe(a),
                problems,
                gates: Vec::new(),
                notes: Vec::new(),
            },
        );
    }
    doc[Coll::Accounts.key()] = J::Array(list);
    let mut files = Vec::new();
    for (i, p) in ev.problems.iter().enumerate() {
        let mut problems: BTreeMap<Code, Vec<Problem>> = BTreeMap::new();
        problems.insert(Code::Unreadable, vec![(None, p.message.clone(), p.loc.clone())]);
        files.push(json!({ "source": loc_json(s, &p.loc), "problems": problems_json(s, &problems) }));
        index.insert(
            Coll::EvidenceFiles.at(i),
            Element {
                loc: p.loc.clone(),
                via: Vec::new(),
                what: format!("export `{}`", s.get(p.loc.span.file).display),
                problems,
                gates: Vec::new(),
                notes: Vec::new(),
            },
        );
    }
    doc[Coll::EvidenceFiles.key()] = J::Array(files);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Scan;
    use crate::source::{Encoding, FileId, Span};

    /// The scan of one file given as text, and its document as the analysis makes it.
    fn doc_of(name: &str, text: &str) -> (Scan, J, Index) {
        let mut s = crate::scan::one_text(name, text.to_owned());
        let facts = crate::analyze::run(&mut s.model);
        let (doc, index) = document(&s.sources, &s.model, &facts, &s.counts());
        (s, doc, index)
    }

    /// The file, path and `[line, column, end line, end column]` of a `source`.
    fn at(source: &J) -> (&str, &str, [u64; 4]) {
        let n = |k: &str| source[k].as_u64().unwrap();
        (
            source["file"].as_str().unwrap(),
            source["path"].as_str().unwrap(),
            [n("line"), n("column"), n("end_line"), n("end_column")],
        )
    }

    /// Every `/<collection>/<i>/problems/<code>` of a document, in document order.
    fn problem_lists(doc: &J) -> Vec<String> {
        let mut out = Vec::new();
        for (coll, v) in doc.as_object().unwrap() {
            for (i, el) in v.as_array().into_iter().flatten().enumerate() {
                for code in el.get("problems").and_then(J::as_object).into_iter().flat_map(|m| m.keys()) {
                    out.push(format!("/{coll}/{i}/problems/{code}"));
                }
            }
        }
        out
    }

    /// One problem list: its pointer, its length, and the guardrail, source path and range of
    /// its first problem.
    type Want = (&'static str, usize, Option<&'static str>, &'static str, [u64; 4]);

    /// A file, its text, every problem list of its document, and other values of the document
    /// (pointer, JSON).
    type Case = (&'static str, &'static str, &'static [Want], &'static [(&'static str, &'static str)]);

    const CASES: &[Case] = &[
        (
            "rule.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Hw:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: hw
      MaximumExecutionFrequency: Two_Hours
      Source:
        Owner: CUSTOM_LAMBDA
        SourceIdentifier: root_account_hardware_mfa_enabled
",
            &[
                (
                    "/config_rules/0/problems/frequency",
                    1,
                    Some("root-hardware-mfa-rule"),
                    "Resources/Hw/Properties/MaximumExecutionFrequency",
                    [7, 34, 7, 43],
                ),
                (
                    "/config_rules/0/problems/identifier_case",
                    1,
                    Some("root-hardware-mfa-rule"),
                    "Resources/Hw/Properties/Source/SourceIdentifier",
                    [10, 27, 10, 60],
                ),
                (
                    "/config_rules/0/problems/owner",
                    1,
                    Some("root-hardware-mfa-rule"),
                    "Resources/Hw/Properties/Source/Owner",
                    [9, 16, 9, 29],
                ),
            ],
            &[
                (
                    "/config_rules/0/source",
                    r#"{"file":"rule.yaml","line":3,"column":3,"end_line":3,"end_column":5,"path":"Resources/Hw"}"#,
                ),
                ("/config_rules/0/scope", r#""account""#),
                ("/config_rules/0/guardrail_status", r#"{"root_hardware_mfa_rule":"misconfigured"}"#),
                ("/guardrails/root_hardware_mfa_rule/status", r#""misconfigured""#),
                ("/guardrails/root_hardware_mfa_rule/evidence/0/element", r#""config_rules/0""#),
            ],
        ),
        (
            "gate.yaml",
            "Parameters:
  Env:
    Type: String
    Default: dev
  Other:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsOther: !Equals [!Ref Other, x]
Resources:
  Off:
    Type: AWS::Config::ConfigRule
    Condition: IsProd
    Properties:
      Source:
        Owner: AWS
        SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED
  Maybe:
    Type: AWS::Config::ConfigRule
    Condition: IsOther
    Properties:
      Source:
        Owner: AWS
        SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED
",
            &[
                (
                    "/config_rules/0/problems/switched_off",
                    1,
                    Some("root-mfa-rule"),
                    "Resources/Off/Condition",
                    [13, 16, 13, 22],
                ),
                (
                    "/config_rules/1/problems/gate_unknown",
                    1,
                    Some("root-hardware-mfa-rule"),
                    "Resources/Maybe/Condition",
                    [20, 16, 20, 23],
                ),
            ],
            &[
                (
                    "/config_rules/0/gates/0/decided_by",
                    r#"{"file":"gate.yaml","line":4,"column":14,"end_line":4,"end_column":17,"path":"Parameters/Env/Default"}"#,
                ),
                ("/config_rules/0/created", r#""false""#),
                (
                    "/config_rules/1/gates/0/decided_by",
                    r#"{"file":"gate.yaml","line":5,"column":3,"end_line":5,"end_column":8,"path":"Parameters/Other"}"#,
                ),
                ("/config_rules/1/created", r#""unknown""#),
                ("/guardrails/root_mfa_rule/status", r#""switched-off""#),
                ("/guardrails/root_hardware_mfa_rule/status", r#""unknown""#),
            ],
        ),
        (
            "p.json",
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "*",
      "Resource": "*",
      "Condition": {
        "ArnLike": { "aws:PrincipalArn": "arn:aws:iam::*:root" },
        "Bool": { "aws:MultiFactorAuthPresent": "false" }
      }
    }
  ]
}
"#,
            // the MFA condition makes the root deny partial, and `Bool` is reported as such
            &[
                (
                    "/policies/0/problems/mfa_bool",
                    1,
                    Some("root-deny-scp"),
                    "Statement/0/Condition/Bool/aws:MultiFactorAuthPresent",
                    [10, 19, 10, 56],
                ),
                (
                    "/policies/0/problems/mfa_condition",
                    1,
                    Some("root-deny-scp"),
                    "Statement/0/Condition/Bool/aws:MultiFactorAuthPresent",
                    [10, 19, 10, 56],
                ),
                (
                    "/policies/0/problems/unattached",
                    1,
                    Some("root-deny-scp"),
                    "Statement/0",
                    [4, 5, 12, 6],
                ),
            ],
            &[
                (
                    "/policies/0/statements/0",
                    r#"{"index":0,"root_deny":"partial","source":{"file":"p.json","line":4,"column":5,"end_line":12,"end_column":6,"path":"Statement/0"},"effect":"Deny"}"#,
                ),
                ("/policies/0/root_deny", r#""partial""#),
                ("/policies/0/is_scp", r#""true""#),
                ("/policies/0/attached", r#""false""#),
                ("/policies/0/guardrail_status", r#"{"root_deny_scp":"unattached"}"#),
                (
                    "/notes/management_account",
                    r#"{"message":"SCPs never apply to the organization's management account"}"#,
                ),
            ],
        ),
        (
            "bucket-policy.json",
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Principal": "*",
      "Action": "*",
      "Resource": "*",
      "Condition": { "ArnLike": { "aws:PrincipalArn": "arn:aws:iam::*:root" } }
    }
  ]
}
"#,
            // a stand-alone document with `Principal` is a resource-based policy: no SCP
            // grammar, no root-deny declaration
            &[],
            &[("/policies/0/is_scp", r#""false""#), ("/policies/0/root_deny", r#""full""#)],
        ),
        (
            "main.tf",
            r#"variable "id" {}

resource "aws_config_config_rule" "r" {
  name = "root-mfa"
  source {
    owner             = "AWS"
    source_identifier = var.id
  }
}

resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "root-usage"
  log_group_name = "trail"
  pattern        = "{ $.userIdentity.type = \"Root\" || $.eventType != \"AwsServiceEvent\" }"
  metric_transformation {
    name      = "RootUsage"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_securityhub_standards_control" "iam6" {
  standards_control_arn = "arn:aws:securityhub:us-east-1:111111111111:control/aws-foundational-security-best-practices/v/1.0.0/IAM.6"
  control_status        = "DISABLED"
  disabled_reason       = "not used"
}
"#,
            &[
                // one problem, though it makes both Config rule guardrails unknown
                (
                    "/config_rules/0/problems/identifier_unknown",
                    1,
                    Some("root-hardware-mfa-rule"),
                    "aws_config_config_rule.r/source[0]/source_identifier",
                    [7, 25, 7, 31],
                ),
                (
                    "/securityhub_controls/0/problems/control_disabled",
                    1,
                    Some("securityhub-root-mfa-controls"),
                    "aws_securityhub_standards_control.iam6/standards_control_arn",
                    [23, 27, 23, 134],
                ),
                (
                    "/metric_filters/0/problems/missing_terms",
                    1,
                    Some("root-usage-alarm"),
                    "aws_cloudwatch_log_metric_filter.root/pattern",
                    [14, 20, 14, 94],
                ),
                (
                    "/metric_filters/0/problems/no_alarm",
                    1,
                    Some("root-usage-alarm"),
                    "aws_cloudwatch_log_metric_filter.root/metric_transformation[0]/name",
                    [16, 17, 16, 28],
                ),
                (
                    "/metric_filters/0/problems/or_pattern",
                    1,
                    Some("root-usage-alarm"),
                    "aws_cloudwatch_log_metric_filter.root/pattern",
                    [14, 20, 14, 94],
                ),
            ],
            &[
                (
                    "/config_rules/0/guardrail_status",
                    r#"{"root_hardware_mfa_rule":"unknown","root_mfa_rule":"unknown"}"#,
                ),
                (
                    "/config_rules/0/source",
                    r#"{"file":"main.tf","line":3,"column":1,"end_line":3,"end_column":38,"path":"aws_config_config_rule.r"}"#,
                ),
                ("/metric_filters/0/root_usage", "true"),
                ("/metric_filters/0/missing_terms", r#"["$.userIdentity.invokedBy NOT EXISTS"]"#),
                ("/securityhub_controls/0/root_control", r#""IAM.6""#),
                ("/guardrails/securityhub_root_mfa_controls/status", r#""disabled""#),
            ],
        ),
    ];

    /// Each problem of a document is under its element and code, with the guardrail it concerns
    /// and the exact range of the value at fault; the index holds the same problems.
    #[test]
    fn problems_point_at_their_values() {
        for (name, text, want, values) in CASES {
            let (scan, doc, index) = doc_of(name, text);
            assert_eq!(problem_lists(&doc), want.iter().map(|w| w.0).collect::<Vec<_>>(), "{name}");
            for (ptr, n, guardrail, path, range) in *want {
                let list = doc.pointer(ptr).and_then(J::as_array).unwrap();
                assert_eq!(list.len(), *n, "{name} {ptr}");
                assert_eq!(list[0].get("guardrail").and_then(J::as_str), *guardrail, "{name} {ptr}");
                assert_eq!(at(&list[0]["source"]), (*name, *path, *range), "{name} {ptr}");
                let (element, code) = ptr[1..].split_once("/problems/").unwrap();
                let listed = &index[element].problems[&Code::from_key(code).unwrap()];
                assert_eq!(listed.len(), *n, "{name} {ptr}");
                assert_eq!(listed[0].0, *guardrail, "{name} {ptr}");
                assert_eq!(loc_json(&scan.sources, &listed[0].2), list[0]["source"], "{name} {ptr}");
            }
            for (ptr, json) in *values {
                assert_eq!(doc.pointer(ptr).map(J::to_string).as_deref(), Some(*json), "{name} {ptr}");
            }
        }
    }

    /// The elements added after the analysis: excluded files and waivers, with their problems at
    /// the file's start and at the waiver.
    #[test]
    fn added_elements_point_at_their_sources() {
        let (mut scan, mut doc, mut index) = doc_of("rule.yaml", CASES[0].1);
        let config = ".rootguard.yml";
        let text = "waivers:\n  - rules: [RG103]\n    reason: legacy\n    expires: 2020-01-31\n";
        let cfg = scan.sources.add(config.into(), config.into(), text.into(), Encoding::Utf8);
        let excluded = scan
            .sources
            .add("skipped.yaml".into(), "skipped.yaml".into(), String::new(), Encoding::Utf8);
        let at_rules = text.find("- rules").unwrap();
        let waiver = crate::waivers::Located {
            rules: vec!["RG103".into()],
            path: None,
            address: None,
            reason: Some("legacy".into()),
            owner: None,
            expires: Some("2020-01-31".into()),
            loc: Loc::new(Span::new(cfg, at_rules, text.len() - 1), "waivers/0"),
            kind: "config",
            line: 0,
            invalid: Some("names no owner".into()),
            expired: true,
            binds: (0, String::new()),
            added: None,
        };
        add_waivers(&mut doc, &mut index, &scan.sources, &[waiver]);
        add_exclusions(&mut doc, &mut index, &scan.sources, &[excluded, FileId(0)]);
        let lists = problem_lists(&doc);
        assert_eq!(
            lists[3..],
            [
                "/waivers/0/problems/expired",
                "/waivers/0/problems/invalid",
                "/exclusions/0/problems/excluded"
            ]
        );
        for (ptr, element, code, file, path, range) in [
            (
                "/waivers/0/problems/expired",
                "waivers/0",
                Code::Expired,
                config,
                "waivers/0",
                [2, 3, 4, 24],
            ),
            (
                "/waivers/0/problems/invalid",
                "waivers/0",
                Code::Invalid,
                config,
                "waivers/0",
                [2, 3, 4, 24],
            ),
            (
                "/exclusions/0/problems/excluded",
                "exclusions/0",
                Code::Excluded,
                "skipped.yaml",
                "",
                [1, 1, 1, 1],
            ),
        ] {
            let list = doc.pointer(ptr).and_then(J::as_array).unwrap();
            assert_eq!(list.len(), 1, "{ptr}");
            assert_eq!(at(&list[0]["source"]), (file, path, range), "{ptr}");
            assert_eq!(
                loc_json(&scan.sources, &index[element].problems[&code][0].2),
                list[0]["source"],
                "{ptr}"
            );
        }
        assert_eq!(
            doc.pointer("/waivers/0/problems/invalid/0/message").and_then(J::as_str),
            Some("this waiver names no owner, so it suppresses nothing")
        );
        assert_eq!(
            doc.pointer("/exclusions/0/problems/excluded/0/message").and_then(J::as_str),
            Some(
                "2 files that could declare a root guardrail are left out of the scan by `include` / `exclude` globs (`skipped.yaml`, `rule.yaml`); what they declare is not judged"
            )
        );
        assert_eq!(
            doc.pointer("/exclusions/0/files").map(J::to_string).as_deref(),
            Some(r#"["skipped.yaml","rule.yaml"]"#)
        );
    }

    /// Past [`MAX_PROBLEMS`] of one code, one more problem at the first left out counts them.
    #[test]
    fn problems_are_capped_with_a_count() {
        let loc = |i: usize| Loc::new(Span::new(FileId(0), i, i + 1), "");
        let mut list: Vec<Problem> = (0..MAX_PROBLEMS + 3).map(|i| (None, format!("m{i}"), loc(i))).collect();
        cap_problems(&mut list);
        assert_eq!(list.len(), MAX_PROBLEMS + 1);
        assert_eq!(list[MAX_PROBLEMS - 1].1, format!("m{}", MAX_PROBLEMS - 1));
        assert_eq!(
            list[MAX_PROBLEMS].1,
            "3 more problem(s) like this one, from here on, are not listed one by one (the first: m100)"
        );
        assert_eq!(list[MAX_PROBLEMS].2, loc(MAX_PROBLEMS));
        let mut short: Vec<Problem> = (0..MAX_PROBLEMS).map(|i| (None, format!("m{i}"), loc(i))).collect();
        cap_problems(&mut short);
        assert_eq!(short.len(), MAX_PROBLEMS);
    }
}

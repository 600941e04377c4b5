//! Table tests of the template readers, as tflint writes them: a template's text in, every
//! declaration, anchor and diagnostic the model gets from it out, one fact a line, each value
//! with its logical path and exact `line:column-line:column` range (1-based, end exclusive).
//!
//! Texts are read as a scan reads a file of that name: parsed in memory with the YAML or JSON
//! reader (`embedded::sniff`), under an evaluation budget (`limits::scoped`).

mod conditions;
mod config;
mod controltower;
mod ignored;
mod logging;
mod orgs;
mod pack;
mod securityhub;
mod stack;

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{Ctx, diagnostics, pack_file, template};
use crate::model::policy::{List, PolicyDoc};
use crate::model::{Format, Loc, Model, Origin, PVal, PackBody, Prop, Scope, Targets};
use crate::parse::{embedded, json, yaml};
use crate::source::{Encoding, Sources, Span};

/// One row: a template's text and the model it declares.
pub(super) struct Case {
    pub(super) name: &'static str,
    /// Read as a `CloudFormation` template; a leading newline is dropped, so that the first line
    /// of a raw string is line 1.
    pub(super) text: &'static str,
    pub(super) want: &'static str,
}

/// Read every row, and compare what the model declares with what the row wants, line by line.
pub(super) fn check(cases: &[Case]) {
    for c in cases {
        let got = dump(c.text, Format::CloudFormation);
        assert_lines(c.name, &got, c.want);
    }
}

pub(super) fn assert_lines(name: &str, got: &str, want: &str) {
    let want = want.strip_prefix('\n').unwrap_or(want);
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    for (i, (a, b)) in g.iter().zip(&w).enumerate() {
        assert_eq!(a, b, "case `{name}`, line {} differs; the whole model:\n{got}", i + 1);
    }
    assert_eq!(
        g.len(),
        w.len(),
        "case `{name}`: {} lines, {} wanted; the whole model:\n{got}",
        g.len(),
        w.len()
    );
}

/// The model of `text` (a template, or a stand-alone pack file), one fact a line.
pub(super) fn dump(text: &str, format: Format) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let mut sources = Sources::new();
    let id = sources.add(PathBuf::from("t.yaml"), "t.yaml".into(), text.to_owned(), Encoding::Utf8);
    let parsed = match embedded::sniff(text) {
        embedded::Syntax::Json => json::parse(id, text, 0),
        embedded::Syntax::Yaml => yaml::parse(id, text, 0),
    };
    let mut m = Model::default();
    diagnostics(parsed.diagnostics, true, &mut m);
    if let Some(root) = parsed.root {
        let ((), notes) = crate::limits::scoped(|| match format {
            Format::ConformancePack => pack_file(text, &root, "dir/pack.yaml", &mut m),
            _ => template(text, &root, &Ctx::file(format), &mut m),
        });
        m.add_eval_notes(notes, format, "`t.yaml`");
    }
    Dump {
        s: &sources,
        out: String::new(),
    }
    .model(&m)
}

struct Dump<'a> {
    s: &'a Sources,
    out: String,
}

impl Dump<'_> {
    fn range(&self, span: Span) -> String {
        let (a, b) = self.s.position(span);
        format!("{}:{}-{}:{}", a.line, a.column, b.line, b.column)
    }

    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{:indent$}{text}", "");
    }

    /// `Resources/Id` is said by the name; any other path (none for a file) is written out.
    fn origin(&mut self, kind: &str, o: &Origin) {
        let mut head = format!("{kind} {} {}", o.name, self.range(o.loc.span));
        if !o.loc.path.is_empty() && o.loc.path != format!("Resources/{}", o.name) {
            head += &format!(" {}", o.loc.path);
        }
        if o.format != Format::CloudFormation {
            head += &format!(" ({})", o.format.as_str());
        }
        self.line(0, &head);
        for v in &o.via {
            let l = format!("via {} {} {}", v.kind, v.name, self.range(v.loc.span));
            self.line(2, &l);
        }
        for g in &o.gates {
            let by = g
                .decided_by
                .as_ref()
                .map_or(String::new(), |d| format!(" by {} {}", d.path, self.range(d.span)));
            let l = format!("if {} = {:?} {}{by}: {}", g.expr, g.value, self.range(g.loc.span), g.reason);
            self.line(2, &l);
        }
    }

    /// A range and its path, below `base` when it is there (a file's root has no path).
    fn loc(&self, l: &Loc, base: &str) -> String {
        let path = l.path.strip_prefix(base).unwrap_or(&l.path);
        if path.is_empty() {
            self.range(l.span)
        } else {
            format!("{} {path}", self.range(l.span))
        }
    }

    /// A property: nothing when absent; its path below the declaration's `Properties`.
    fn prop(&mut self, name: &str, p: &Prop, o: &Origin) {
        let val = match &p.val {
            PVal::Absent if p.loc.is_none() => return,
            PVal::Absent => "absent".to_owned(),
            PVal::Known(v) => v.to_string(),
            PVal::Partial(s) => format!("partial {s:?}"),
            PVal::Unknown(r) => format!("unknown ({r})"),
        };
        let base = format!("{}/Properties/", o.loc.path);
        let at = p.loc.as_ref().map_or(String::new(), |l| format!(" {}", self.loc(l, &base)));
        self.line(2, &format!("{name} {val}{at}"));
    }

    fn model(mut self, m: &Model) -> String {
        for r in &m.config_rules {
            self.origin("config_rule", &r.origin);
            self.line(2, scope(r.scope));
            for (n, p) in [
                ("name", &r.name),
                ("owner", &r.owner),
                ("identifier", &r.identifier),
                ("frequency", &r.frequency),
                ("input_parameters", &r.input_parameters),
                ("excluded_accounts", &r.excluded_accounts),
            ] {
                self.prop(n, p, &r.origin);
            }
            if let Some(i) = r.pack {
                self.line(2, &format!("pack {i}"));
            }
        }
        for p in &m.conformance_packs {
            self.origin("conformance_pack", &p.origin);
            self.line(2, scope(p.scope));
            self.prop("name", &p.name, &p.origin);
            let base = format!("{}/Properties/", p.origin.loc.path);
            let body = match &p.body {
                PackBody::Inline { loc } => format!("inline {}", self.loc(loc, &base)),
                PackBody::Opaque { reference, loc } => format!("opaque {reference:?} {}", self.loc(loc, &base)),
                PackBody::Unknown { reason, loc } => format!("unknown ({reason}) {}", self.loc(loc, &base)),
                PackBody::File => "file".into(),
            };
            self.line(2, &format!("body {body}"));
            self.prop("excluded_accounts", &p.excluded_accounts, &p.origin);
            if let Some(l) = &p.body_ignored {
                let l = format!("body_ignored {}", self.loc(l, &base));
                self.line(2, &l);
            }
        }
        for p in &m.policies {
            self.origin("policy", &p.origin);
            self.prop("name", &p.name, &p.origin);
            self.prop("type", &p.policy_type, &p.origin);
            self.policy_doc(&p.content, &p.origin);
            let base = format!("{}/Properties/", p.origin.loc.path);
            match &p.targets {
                Targets::List(ts) => {
                    for t in ts {
                        let l = format!("target {} {:?} {}", t.kind.as_str(), t.text, self.loc(&t.loc, &base));
                        self.line(2, &l);
                    }
                }
                Targets::Unknown { reason, loc } => {
                    let l = format!("targets unknown ({reason}) {}", self.loc(loc, &base));
                    self.line(2, &l);
                }
            }
        }
        for s in &m.securityhub_standards {
            self.origin(if s.implied { "sh_standard (implied)" } else { "sh_standard" }, &s.origin);
            self.prop("arn", &s.arn, &s.origin);
        }
        for c in &m.securityhub_controls {
            self.origin(&format!("sh_control {}", c.status), &c.origin);
            self.prop("control", &c.control, &c.origin);
            self.prop("reason", &c.reason, &c.origin);
            self.prop("standard", &c.standard, &c.origin);
        }
        for f in &m.metric_filters {
            self.origin("metric_filter", &f.origin);
            self.prop("pattern", &f.pattern, &f.origin);
            self.prop("metric_name", &f.metric_name, &f.origin);
            self.prop("namespace", &f.namespace, &f.origin);
            self.prop("log_group", &f.log_group, &f.origin);
        }
        for a in &m.metric_alarms {
            self.origin("metric_alarm", &a.origin);
            self.prop("metric_name", &a.metric_name, &a.origin);
            self.prop("namespace", &a.namespace, &a.origin);
            self.prop("actions", &a.actions, &a.origin);
            self.prop("actions_enabled", &a.actions_enabled, &a.origin);
        }
        for c in &m.controltower_controls {
            self.origin("ct_control", &c.origin);
            self.prop("identifier", &c.identifier, &c.origin);
            self.prop("target", &c.target, &c.origin);
            self.prop("parameters", &c.parameters, &c.origin);
        }
        for r in &m.configuration_recorders {
            self.origin("recorder", &r.origin);
            self.prop("enabled", &r.enabled, &r.origin);
        }
        for t in &m.opaque_templates {
            self.origin(&format!("opaque {}", t.kind), &t.origin);
            self.line(2, &format!("reference {:?}", t.reference));
            if !t.resource_type.is_empty() {
                self.line(2, &format!("resource_type {}", t.resource_type));
            }
        }
        self.anchors(m);
        for d in &m.diagnostics {
            let l = format!("diagnostic {} {}: {}", d.diag.code, self.range(d.diag.span), d.diag.message);
            self.line(0, &l);
        }
        self.out
    }

    fn anchors(&mut self, m: &Model) {
        let a = &m.anchors;
        for (k, l) in [
            ("config", &a.config),
            ("organizations", &a.organizations),
            ("securityhub", &a.securityhub),
            ("logging", &a.logging),
        ] {
            if let Some(l) = l {
                let l = format!("anchor {k} {}", self.loc(l, ""));
                self.line(0, &l);
            }
        }
    }

    /// A policy's content: where it is, its size, and each statement's effect and actions.
    fn policy_doc(&mut self, d: &PolicyDoc, o: &Origin) {
        let base = format!("{}/Properties/", o.loc.path);
        let size = d.size_bytes.map_or("-".to_owned(), |n| n.to_string());
        let l = format!("content {} size {size}", self.loc(&d.loc, &base));
        self.line(2, &l);
        if let Some(r) = &d.unknown {
            self.line(4, &format!("unknown ({r})"));
        }
        for (l, p) in &d.problems {
            let l = format!("problem {}: {p}", self.loc(l, &base));
            self.line(4, &l);
        }
        for st in &d.statements {
            let l = format!("statement {} {}", st.index, self.loc(&st.loc, &base));
            self.line(4, &l);
            let base = format!("{}/", st.loc.path);
            let effect = match &st.effect.val {
                PVal::Known(v) => v.to_string(),
                other => format!("{other:?}"),
            };
            let at = st.effect.loc.as_ref().map_or(String::new(), |l| format!(" {}", self.loc(l, &base)));
            self.line(6, &format!("effect {effect}{at}"));
            if let Some(list) = &st.action {
                self.list("action", list, &base);
            }
        }
    }

    fn list(&mut self, name: &str, list: &List, base: &str) {
        let l = format!("{name} {}", self.loc(&list.loc, base));
        self.line(6, &l);
        for i in &list.items {
            let text = i
                .text
                .as_deref()
                .map_or_else(|| format!("unknown ({})", i.unknown.as_deref().unwrap_or("")), |t| format!("{t:?}"));
            let l = format!("{text} {}", self.loc(&i.loc, base));
            self.line(8, &l);
        }
    }
}

fn scope(s: Scope) -> &'static str {
    match s {
        Scope::Account => "account",
        Scope::Organization => "organization",
    }
}

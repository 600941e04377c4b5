//! Parsed `.tf` files: parsing within the limits, the parts of a block, and what a file says
//! about modules before anything is evaluated (its calls and its `module.NAME` references).

use std::collections::{BTreeMap, BTreeSet};

use hcl_edit::Span as _;
use hcl_edit::structure::{Block, Body};

use crate::model::{FileDiagnostic, Model};
use crate::parse::Diagnostic;
use crate::source::{FileId, Span};

/// Parse a `.tf` or `.tfvars` file, reporting a syntax error as a diagnostic.
pub fn parse(id: FileId, text: &str, out: &mut Model) -> Option<Body> {
    // the parser recurses: refuse what is nested deeper than the limit before it sees it
    let limit = crate::limits::get().depth;
    let shape = crate::limits::shape(text);
    if shape.depth > limit {
        out.diagnostics.push(FileDiagnostic {
            diag: Diagnostic::error(
                Span::new(id, 0, 0),
                "too-deep",
                format!("HCL nested deeper than {limit} levels; not read (raise --limit depth=N)"),
            ),
            relevant: true,
        });
        return None;
    }
    // object literals are parsed in time quadratic in their keys: refuse a huge one first
    let entries = crate::limits::get().object_entries;
    if shape.widest_object > entries {
        out.diagnostics.push(FileDiagnostic {
            diag: Diagnostic::error(
                Span::new(id, 0, 0),
                "too-wide",
                format!(
                    "HCL with more than {entries} lines or entries in one object literal `{{ }}`; not read (raise --limit object-entries=N)"
                ),
            ),
            relevant: true,
        });
        return None;
    }
    match hcl_edit::parser::parse_body(text) {
        Ok(b) => Some(b),
        Err(e) => {
            let loc = e.location();
            let at = loc.offset();
            out.diagnostics.push(FileDiagnostic {
                diag: Diagnostic::error(Span::new(id, at, at), "syntax", format!("invalid HCL: {}", e.message())),
                relevant: true,
            });
            None
        }
    }
}

pub(crate) fn label(b: &Block, i: usize) -> Option<&str> {
    b.labels.get(i).map(hcl_edit::structure::BlockLabel::as_str)
}

pub(crate) fn block_span(file: FileId, b: &Block) -> Span {
    // the header line: from the block type to its last label
    let start = b.ident.span().map_or(0, |r| r.start);
    let end = b.labels.last().and_then(hcl_edit::Span::span).map_or(start, |r| r.end);
    Span::new(file, start, end)
}

/// The module calls of a file: name, source (`""` when the source is not a literal) and literal `version`.
#[must_use]
pub fn module_calls(body: &Body) -> Vec<(String, String, Option<String>)> {
    body.blocks()
        .filter(|b| b.ident.value().as_str() == "module")
        .map(|b| {
            let text = |k: &str| b.body.get_attribute(k).and_then(|a| a.value.as_str()).map(str::to_owned);
            (
                label(b, 0).unwrap_or_default().to_owned(),
                text("source").unwrap_or_default(),
                text("version"),
            )
        })
        .collect()
}

/// The modules (`module.NAME`) a file refers to, by where the reference is.
#[derive(Debug, Default)]
pub struct ModuleRefs {
    /// In locals, variables and the resources and data sources rootguard reads.
    pub base: BTreeSet<String>,
    /// In outputs: they matter when the module is called.
    pub outputs: BTreeSet<String>,
    /// In the arguments of a module call, by the name of the call: they matter when the
    /// called module is kept.
    pub calls: BTreeMap<String, BTreeSet<String>>,
}

/// The modules a file refers to, outside the `resource` and `data` blocks whose type `ignored`
/// names: what a module's guardrails, module calls, locals, variables and outputs can take
/// from the modules it calls.
#[must_use]
pub fn module_refs(text: &str, body: &Body, ignored: impl Fn(&str) -> bool) -> ModuleRefs {
    let mut out = ModuleRefs::default();
    for b in body.blocks() {
        let kind = b.ident.value().as_str();
        if matches!(kind, "resource" | "data") && label(b, 0).is_some_and(&ignored) {
            continue;
        }
        let Some(r) = hcl_edit::Span::span(b) else { continue };
        let Some(t) = text.get(r) else { continue };
        let set = match kind {
            "output" => &mut out.outputs,
            "module" => out.calls.entry(label(b, 0).unwrap_or_default().to_owned()).or_default(),
            _ => &mut out.base,
        };
        let mut rest = t;
        while let Some(i) = rest.find("module.") {
            let after = &rest[i + "module.".len()..];
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(after.len());
            if end > 0 {
                set.insert(after[..end].to_owned());
            }
            rest = &after[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Encoding, Sources};
    use crate::tf::testing::at;

    #[test]
    fn files_that_are_not_read_say_why_and_where() {
        let deep = format!("a = {}1{}\n", "[".repeat(201), "]".repeat(201));
        let wide = format!("a = {{\n{}}}\n", "  k = 1\n".repeat(10_001));
        // text → the diagnostic's code, the start of its message, and where it is
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "resource \"x\" \"y\" {\n  a = \n}\n",
                "syntax",
                "invalid HCL: ",
                "main.tf:2:7-2:7 ``",
            ),
            ("locals {\n  a = [1, 2\n}\n", "syntax", "invalid HCL: ", "main.tf:3:1-3:1 ``"),
            (&deep, "too-deep", "HCL nested deeper than 200 levels", "main.tf:1:1-1:1 ``"),
            (&wide, "too-wide", "HCL with more than 10000 lines or entries", "main.tf:1:1-1:1 ``"),
        ];
        let mut wrong = Vec::new();
        for (text, code, message, want_at) in cases {
            let mut sources = Sources::new();
            let id = sources.add("main.tf".into(), "main.tf".into(), (*text).to_owned(), Encoding::Utf8);
            let mut m = Model::default();
            let body = parse(id, text, &mut m);
            let found = m
                .diagnostics
                .first()
                .map(|d| (d.diag.code, d.diag.message.starts_with(message), at(&sources, d.diag.span)));
            if body.is_some() || found.as_ref() != Some(&(*code, true, (*want_at).to_owned())) {
                wrong.push(format!("{}: {found:?}", &text[..text.len().min(30)]));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn module_calls_and_references_before_evaluation() {
        let text = "module \"org\" {\n  source = \"./org\"\n  ou     = module.ous.root\n}\nmodule \"ous\" {\n  source  = var.src\n  version = \"~> 6.0\"\n}\nlocals {\n  id = module.ids.mfa\n}\noutput \"x\" {\n  value = module.org.y\n}\nresource \"aws_s3_bucket\" \"b\" {\n  tags = module.tags.all\n}\n";
        let mut m = Model::default();
        let body = parse(FileId(0), text, &mut m).unwrap();
        assert_eq!(
            module_calls(&body),
            [
                ("org".to_owned(), "./org".to_owned(), None),
                ("ous".to_owned(), String::new(), Some("~> 6.0".to_owned()))
            ]
        );
        let refs = module_refs(text, &body, |ty| ty == "aws_s3_bucket");
        let names = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>();
        // (where the reference is, the modules referred to)
        let found = [
            ("base", names(&refs.base)),
            ("outputs", names(&refs.outputs)),
            ("call org", names(refs.calls.get("org").unwrap())),
            ("call ous", names(refs.calls.get("ous").unwrap())),
        ];
        let want = [
            ("base", vec!["ids".to_owned()]),
            ("outputs", vec!["org".to_owned()]),
            ("call org", vec!["ous".to_owned()]),
            ("call ous", vec![]),
        ];
        assert_eq!(found, want);
    }
}

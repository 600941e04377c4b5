//! Override files (`override.tf`, `*_override.tf`, and their `.tofu` forms): Terraform loads
//! a module's primary files first, then merges each top-level block of the override files, in
//! lexicographic order of file name and then by position, into the primary block with the same
//! header (type and labels).
//! <https://developer.hashicorp.com/terraform/language/files/override>
//!
//! The merge is an overlay, not a rewrite of the parsed bodies (whose spans are per file): a
//! resource keeps its primary block and the list of override bodies merged into it, and its
//! attributes are read through `Scoped`, which takes each from the last body that sets it, with
//! that body's file. `count` / `for_each` are read from the last body that sets one. Locals are
//! overridden name by name, a variable's `default` and an output's `value` from the last
//! override that sets one; a `data "aws_iam_policy_document"` like a resource. What rootguard
//! does not merge (`module` overrides) is not read: the guardrails are `unknown`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use super::TfFile;
use super::parse::{block_span, label};
use crate::model::{FileDiagnostic, Format, Loc, Model, OpaqueTemplate, Origin};
use crate::parse::Diagnostic;
use crate::source::{FileId, Sources};

/// Is `name` (a file name or a path) the name of an override file?
#[must_use]
pub fn is_override(name: &str) -> bool {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    [".tf", ".tofu"].iter().any(|ext| {
        name.strip_suffix(ext)
            .is_some_and(|stem| stem == "override" || stem.ends_with("_override"))
    })
}

/// A block's header: its type and labels.
type Header = (String, Vec<String>);

fn header(b: &Block) -> Header {
    (
        b.ident.value().as_str().to_owned(),
        b.labels.iter().map(|l| l.as_str().to_owned()).collect(),
    )
}

/// The override blocks merged into one primary block, in order: file, body, block.
type Merged<'a> = Vec<(FileId, &'a Body, &'a Block)>;

/// The override blocks of one module directory.
#[derive(Default)]
pub(crate) struct Overrides<'a> {
    /// `resource` blocks by type and name: the bodies merged into the primary block, in order.
    resources: BTreeMap<(String, String), Merged<'a>>,
    /// Local values by name, in order (the last wins).
    pub locals: Vec<(String, FileId, &'a Expression)>,
    /// `variable` blocks by name: the bodies merged into the primary block, in order.
    variables: BTreeMap<String, Vec<(FileId, &'a Body)>>,
    /// `output` blocks by name, likewise.
    outputs: BTreeMap<String, Vec<(FileId, &'a Body)>>,
    /// `data "aws_iam_policy_document"` blocks by name, likewise.
    documents: BTreeMap<String, Vec<(FileId, &'a Body)>>,
}

impl<'a> Overrides<'a> {
    /// The override bodies of resource `ty.name`, in the order they apply.
    pub fn resource(&self, ty: &str, name: &str) -> Vec<(FileId, &'a Body)> {
        self.resources
            .get(&(ty.to_owned(), name.to_owned()))
            .map(|v| v.iter().map(|(f, b, _)| (*f, *b)).collect())
            .unwrap_or_default()
    }

    /// The `default` of variable `name` as merged: the last override that sets one.
    pub fn variable_default(&self, name: &str) -> Option<(FileId, &'a Expression)> {
        self.variables
            .get(name)?
            .iter()
            .rev()
            .find_map(|(f, b)| b.get_attribute("default").map(|a| (*f, &a.value)))
    }

    /// The override bodies of `data "aws_iam_policy_document" "name"`, in the order they apply.
    pub fn document(&self, name: &str) -> Vec<(FileId, &'a Body)> {
        self.documents.get(name).cloned().unwrap_or_default()
    }

    /// The `value` of output `name` as merged: the last override that sets one.
    pub fn output_value(&self, name: &str) -> Option<(FileId, &'a hcl_edit::structure::Attribute)> {
        self.outputs
            .get(name)?
            .iter()
            .rev()
            .find_map(|(f, b)| b.get_attribute("value").map(|a| (*f, a)))
    }

    /// The last override block of resource `ty.name` that sets `count` or `for_each`.
    pub fn expansion(&self, ty: &str, name: &str) -> Option<(FileId, &'a Block)> {
        self.resources.get(&(ty.to_owned(), name.to_owned())).and_then(|v| {
            v.iter()
                .rev()
                .find(|(_, b, _)| b.get_attribute("count").is_some() || b.get_attribute("for_each").is_some())
                .map(|(f, _, b)| (*f, *b))
        })
    }
}

fn file_name(sources: &Sources, f: &TfFile) -> String {
    let p = &sources.get(f.id).path;
    Path::new(p)
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Split the files of one module directory into its primary files (returned) and its override
/// blocks, reporting an override without a primary block (an error in Terraform) and what
/// rootguard does not merge.
pub(crate) fn split<'a>(sources: &Sources, files: Vec<&'a TfFile>, model: &mut Model) -> (Vec<&'a TfFile>, Overrides<'a>) {
    let (mut over, primary): (Vec<&TfFile>, Vec<&TfFile>) = files.into_iter().partition(|f| is_override(&file_name(sources, f)));
    let mut out = Overrides::default();
    if over.is_empty() {
        return (primary, out);
    }
    over.sort_by_key(|f| file_name(sources, f));
    let mut headers: BTreeSet<Header> = BTreeSet::new();
    let mut locals: BTreeSet<String> = BTreeSet::new();
    for f in &primary {
        for b in f.body.blocks() {
            if b.ident.value().as_str() == "locals" {
                locals.extend(b.body.attributes().map(|a| a.key.value().as_str().to_owned()));
            } else {
                headers.insert(header(b));
            }
        }
    }
    for f in over {
        let display = &sources.get(f.id).display;
        let name = file_name(sources, f);
        for b in f.body.blocks() {
            let h = header(b);
            let span = block_span(f.id, b);
            let kind = h.0.as_str();
            let error = |model: &mut Model, message: String| {
                model.diagnostics.push(FileDiagnostic {
                    diag: Diagnostic::error(span, "override", message),
                    relevant: true,
                });
            };
            match kind {
                "locals" => {
                    for a in b.body.attributes() {
                        let k = a.key.value().as_str();
                        if locals.contains(k) {
                            out.locals.push((k.to_owned(), f.id, &a.value));
                        } else {
                            let at = hcl_edit::Span::span(&a.key).map_or(span, |r| crate::source::Span::new(f.id, r.start, r.end));
                            model.diagnostics.push(FileDiagnostic {
                                diag: Diagnostic::error(
                                    at,
                                    "override",
                                    format!("Missing base local value definition to override: there is no local value named `{k}` in a primary file of this module; Terraform rejects the configuration"),
                                ),
                                relevant: true,
                            });
                        }
                    }
                    continue;
                }
                "moved" | "import" => {
                    error(
                        model,
                        format!("Cannot override '{kind}' blocks: Terraform rejects the configuration"),
                    );
                    continue;
                }
                // the settings and providers rootguard does not read; an unaliased provider
                // may be added by an override
                "terraform" | "provider" => continue,
                _ => {}
            }
            if !headers.contains(&h) {
                let what = std::iter::once(kind.to_owned())
                    .chain(h.1.iter().map(|l| format!("\"{l}\"")))
                    .collect::<Vec<_>>()
                    .join(" ");
                error(
                    model,
                    format!(
                        "Missing {kind} to override: there is no `{what}` block in a primary file of this module, and an override file can only override one; Terraform rejects the configuration"
                    ),
                );
                continue;
            }
            if matches!(kind, "resource" | "data" | "output")
                && let Some(a) = b.body.get_attribute("depends_on")
            {
                let at = hcl_edit::Span::span(a).map_or(span, |r| crate::source::Span::new(f.id, r.start, r.end));
                model.diagnostics.push(FileDiagnostic {
                    diag: Diagnostic::error(
                        at,
                        "override",
                        "Unsupported override: the depends_on argument may not be overridden; Terraform rejects the configuration",
                    ),
                    relevant: true,
                });
            }
            match (kind, label(b, 0), label(b, 1)) {
                ("resource", Some(t), Some(n)) => {
                    out.resources
                        .entry((t.to_owned(), n.to_owned()))
                        .or_default()
                        .push((f.id, &b.body, b));
                }
                // `description`, `default`, `type`, `sensitive`, `nullable` replaced when set;
                // rootguard reads the default only
                ("variable", Some(v), _) => {
                    out.variables.entry(v.to_owned()).or_default().push((f.id, &b.body));
                }
                // `value`, `description`, `sensitive` replaced when set; rootguard reads the value
                ("output", Some(o), _) => {
                    out.outputs.entry(o.to_owned()).or_default().push((f.id, &b.body));
                }
                ("data", Some("aws_iam_policy_document"), Some(n)) => {
                    out.documents.entry(n.to_owned()).or_default().push((f.id, &b.body));
                }
                // rootguard reads no other data source
                ("data", Some(t), _) if t != "aws_iam_policy_document" => {}
                _ => {
                    // merged by Terraform, not by rootguard: what it changes is not known
                    let what = std::iter::once(kind.to_owned())
                        .chain(h.1.iter().map(|l| format!("\"{l}\"")))
                        .collect::<Vec<_>>()
                        .join(" ");
                    model.opaque_templates.push(OpaqueTemplate {
                        origin: Origin {
                            format: Format::Terraform,
                            name: display.clone(),
                            loc: Loc::new(span, ""),
                            via: Vec::new(),
                            gates: Vec::new(),
                        },
                        kind: "file",
                        reference: format!("`{name}` overrides `{what}`, which rootguard does not merge"),
                        known_clean: false,
                        resource_type: String::new(),
                    });
                }
            }
        }
    }
    (primary, out)
}

#[cfg(test)]
mod tests {
    use super::is_override;

    #[test]
    fn override_file_names() {
        // https://developer.hashicorp.com/terraform/language/files/override
        // https://opentofu.org/docs/language/files/override
        for n in [
            "override.tf",
            "a_override.tf",
            "override.tofu",
            "x_override.tofu",
            "dir/override.tf",
        ] {
            assert!(is_override(n), "{n}");
        }
        for n in [
            "main.tf",
            "overrides.tf",
            "a-override.tf",
            "override.tf.json",
            "myoverride.tf",
            "override.tf/main.tf",
        ] {
            assert!(!is_override(n), "{n}");
        }
    }
}

//! Finding the files to scan and deciding, from their content, what each one is.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::Error;
use crate::parse::tree::Node;

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    CloudFormation,
    ConformancePack,
    PolicyDocument,
    TerraformPlan,
    Terraform,
    TerraformVars,
    /// Read, but holds nothing rootguard analyzes.
    Other,
    /// A YAML or JSON file that could not be read.
    Unreadable,
    /// Not a YAML, JSON or Terraform file; not read.
    NotRead,
}

impl Kind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CloudFormation => "cloudformation",
            Kind::ConformancePack => "conformance-pack",
            Kind::PolicyDocument => "policy-document",
            Kind::TerraformPlan => "terraform-plan",
            Kind::Terraform => "terraform",
            Kind::TerraformVars => "terraform-vars",
            Kind::Other => "other",
            Kind::Unreadable => "unreadable",
            Kind::NotRead => "not-read",
        }
    }
}

/// How a file's name says to read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
    /// `.template`: JSON or YAML, by content.
    Sniff,
    Hcl,
    HclJson,
    TfVars,
    TfVarsJson,
    None,
}

#[must_use]
pub fn syntax_of(path: &Path) -> Syntax {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if name.ends_with(".tf.json") {
        Syntax::HclJson
    } else if name.ends_with(".tfvars.json") {
        Syntax::TfVarsJson
    } else if name.ends_with(".tf") {
        Syntax::Hcl
    } else if name.ends_with(".tfvars") {
        Syntax::TfVars
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        Syntax::Yaml
    } else if name.ends_with(".json") {
        Syntax::Json
    } else if name.ends_with(".template") {
        Syntax::Sniff
    } else {
        Syntax::None
    }
}

/// A file found by the walk.
#[derive(Clone, Debug)]
pub struct Found {
    pub path: PathBuf,
    /// Shown path: as given on the command line joined with the relative path, `/`-separated.
    pub display: String,
}

/// Options for the walk.
#[derive(Clone, Debug, Default)]
pub struct Walk {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

fn globset(globs: &[String]) -> Result<Option<GlobSet>, Error> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| Error::Glob {
            glob: g.clone(),
            reason: e.kind().to_string(),
        })?);
    }
    b.build().map(Some).map_err(|e| Error::Glob {
        glob: globs.join(", "),
        reason: e.to_string(),
    })
}

fn display(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

/// A part of the tree that could not be read: (root, reason).
pub type WalkError = (String, String);

/// Directories never descended into.
const SKIP_DIRS: &[&str] = &[".git", ".hg", ".svn", ".terraform", ".terragrunt-cache", ".jj"];

/// Walk `paths` (directories or files), honouring `.gitignore` (inside or outside a git
/// checkout), never following symlinks, in a stable order.
///
/// # Errors
/// A path that does not exist, or a bad glob.
pub fn walk(paths: &[PathBuf], opts: &Walk) -> Result<(Vec<Found>, Vec<WalkError>), Error> {
    let include = globset(&opts.include)?;
    let exclude = globset(&opts.exclude)?;
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let meta = std::fs::symlink_metadata(root).map_err(|e| Error::Path {
            path: display(root),
            reason: e.to_string(),
        })?;
        if meta.is_file() {
            found.push(Found {
                path: root.clone(),
                display: display(root),
            });
            continue;
        }
        let mut wb = ignore::WalkBuilder::new(root);
        wb.hidden(false)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .ignore(true)
            .parents(true)
            .require_git(false)
            .follow_links(false)
            .sort_by_file_path(Ord::cmp);
        let root_c = root.clone();
        let exclude_dirs = exclude.clone();
        wb.filter_entry(move |e| {
            let name = e.file_name().to_string_lossy();
            if e.depth() > 0 && e.file_type().is_some_and(|t| t.is_dir()) && SKIP_DIRS.contains(&name.as_ref()) {
                return false;
            }
            if let (Some(ex), Ok(rel)) = (&exclude_dirs, e.path().strip_prefix(&root_c))
                && e.depth() > 0
                && ex.is_match(rel)
            {
                return false;
            }
            true
        });
        for entry in wb.build() {
            match entry {
                Ok(e) => {
                    if !e.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                    if let Some(inc) = &include
                        && !inc.is_match(rel)
                    {
                        continue;
                    }
                    found.push(Found {
                        path: e.path().to_path_buf(),
                        display: display(e.path()),
                    });
                }
                Err(e) => errors.push((display(root), e.to_string())),
            }
        }
    }
    found.sort_by(|a, b| a.display.cmp(&b.display));
    found.dedup_by(|a, b| a.display == b.display);
    Ok((found, errors))
}

/// Decide what a parsed YAML/JSON document is.
#[must_use]
pub fn classify(root: &Node) -> Kind {
    let Some(_) = root.as_map() else { return Kind::Other };
    let has = |k: &str| root.get(k).is_some();
    if (has("format_version") && has("terraform_version")) || has("planned_values") || has("resource_changes") {
        return Kind::TerraformPlan;
    }
    let resources = root.get("Resources").and_then(Node::as_map);
    let types: Vec<&str> = resources
        .map(|r| r.iter().filter_map(|e| e.value.get("Type").and_then(Node::as_str)).collect())
        .unwrap_or_default();
    let cfn_typed = types
        .iter()
        .any(|t| t.starts_with("AWS::") || t.starts_with("Custom::") || t.starts_with("Alexa::"));
    if has("AWSTemplateFormatVersion") || cfn_typed {
        // conformance-pack templates have no AWSTemplateFormatVersion and only Config rules
        let pack = !has("AWSTemplateFormatVersion")
            && !types.is_empty()
            && types
                .iter()
                .all(|t| *t == "AWS::Config::ConfigRule" || *t == "AWS::Config::RemediationConfiguration")
            && types.contains(&"AWS::Config::ConfigRule");
        return if pack { Kind::ConformancePack } else { Kind::CloudFormation };
    }
    if has("Statement") {
        return Kind::PolicyDocument;
    }
    Kind::Other
}

/// Does unreadable text look like infrastructure-as-code that could hide a guardrail?
#[must_use]
pub fn looks_relevant(text: &str) -> bool {
    [
        "AWSTemplateFormatVersion",
        "AWS::",
        "\"Statement\"",
        "Statement:",
        "Resources:",
        "format_version",
        "resource_changes",
        "planned_values",
    ]
    .iter()
    .any(|m| text.contains(m))
}

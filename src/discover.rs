//! Finding the files to scan and deciding, from their content, what each one is.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{Action, Error};
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
    /// A Terragrunt configuration (`terragrunt.hcl`), evaluated as a unit.
    Terragrunt,
    /// Read, but holds nothing rootguard analyzes.
    Other,
    /// A YAML or JSON file without any guardrail marker: searched, not parsed (see
    /// [`yaml_json_markers`]).
    Unmarked,
    /// A YAML or JSON file that could not be read.
    Unreadable,
    /// An AWS CLI export below an `--evidence` directory.
    Evidence,
    /// Not a YAML, JSON or Terraform file; not read.
    NotRead,
    /// A symlink to a file or directory inside the scanned tree that is scanned under its own
    /// path: read once, there.
    Link,
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
            Kind::Terragrunt => "terragrunt",
            Kind::Other => "other",
            Kind::Unmarked => "no-guardrail-marker",
            Kind::Unreadable => "unreadable",
            Kind::Evidence => "evidence",
            Kind::NotRead => "not-read",
            Kind::Link => "symlink",
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
    /// A Terragrunt configuration: `terragrunt.hcl`, `terragrunt.hcl.json`, `terragrunt.stack.hcl`.
    Terragrunt,
    None,
}

#[must_use]
pub fn syntax_of(path: &Path) -> Syntax {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if matches!(name.as_str(), "terragrunt.hcl" | "terragrunt.hcl.json" | "terragrunt.stack.hcl") {
        Syntax::Terragrunt
    } else if name.ends_with(".tf.json") || name.ends_with(".tofu.json") {
        Syntax::HclJson
    } else if name.ends_with(".tfvars.json") {
        Syntax::TfVarsJson
    } else if name.ends_with(".tf") || name.ends_with(".tofu") {
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

/// A file found by the walk: a regular file, or anything else that is not a directory (a
/// symlink, a FIFO, a socket, a device), which the reader then refuses or resolves.
#[derive(Clone, Debug)]
pub struct Found {
    pub path: PathBuf,
    /// Shown path: as given on the command line joined with the relative path, `/`-separated.
    pub display: String,
    /// The walk met a symlink here (not followed).
    pub symlink: bool,
}

/// Options for the walk.
#[derive(Clone, Debug, Default)]
pub struct Walk {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Every file below the paths, whatever `.gitignore` and `.ignore` say (a tree that holds
    /// only tracked files, such as the base revision of a pull request).
    pub all_files: bool,
}

/// Is `dir` inside a git work tree (a `.git` directory or file in it or above it)?
fn in_git_work_tree(dir: &Path) -> bool {
    let Ok(abs) = std::fs::canonicalize(dir) else { return false };
    abs.ancestors().any(|a| a.join(".git").exists())
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
            source: e,
        })?);
    }
    b.build().map(Some).map_err(|e| Error::Glob {
        glob: globs.join(", "),
        reason: e.to_string(),
        source: e,
    })
}

fn display(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

/// A part of the tree that could not be read: (root, reason).
pub type WalkError = (String, String);

/// Directories never descended into (`.terraform`, `.terragrunt-cache` and `.terragrunt-stack`
/// hold copies that Terraform and Terragrunt make, never the source of truth).
const SKIP_DIRS: &[&str] = &[".git", ".hg", ".svn", ".terraform", ".terragrunt-cache", ".terragrunt-stack", ".jj"];

/// Ignore files the walker opens itself in every directory it enters (and above the root).
const IGNORE_FILES: [&str; 2] = [".gitignore", ".ignore"];

/// Larger ignore files are not read.
const MAX_IGNORE_BYTES: u64 = 1 << 20;

/// The first ignore file of `dir` that the walker must not open, and why: not a regular file
/// (a FIFO would block the walk, a device would never end), over [`MAX_IGNORE_BYTES`], or a
/// symlink whose real path is not below `within`.
fn unsafe_ignore_file(dir: &Path, within: &Path) -> Option<(PathBuf, String)> {
    for name in IGNORE_FILES {
        let p = dir.join(name);
        let Ok(lstat) = std::fs::symlink_metadata(&p) else { continue };
        let real = if lstat.file_type().is_symlink() {
            match std::fs::canonicalize(&p) {
                Ok(r) if r.starts_with(within) => r,
                Ok(_) => return Some((p, "is a symlink that leads outside the scanned tree".into())),
                // a symlink to nothing: the walker cannot open it either
                Err(_) => continue,
            }
        } else {
            p.clone()
        };
        match std::fs::symlink_metadata(&real) {
            Ok(m) if m.is_file() && m.len() <= MAX_IGNORE_BYTES => {}
            Ok(m) if m.is_file() => return Some((p, format!("is larger than {MAX_IGNORE_BYTES} bytes"))),
            Ok(m) => return Some((p, format!("is {}, not a regular file", crate::source::file_kind(m.file_type())))),
            Err(_) => {}
        }
    }
    None
}

/// Walk `paths` (directories or files), honouring `.gitignore` (inside or outside a git
/// checkout), never following symlinks, in a stable order. Ignore files that are not safe to
/// open (see `unsafe_ignore_file`) are never opened: one at or above a root means no ignore
/// file is read for that root, one below it means its directory is not walked; both are
/// [`WalkError`]s.
///
/// # Errors
/// A path that does not exist, or a bad glob.
pub fn walk(paths: &[PathBuf], opts: &Walk) -> Result<(Vec<Found>, Vec<WalkError>), Error> {
    walk_all(paths, opts).map(|w| (w.found, w.errors))
}

/// What a walk found: the files to scan, the parts it could not read, and the files that the
/// `include` and `exclude` globs left out (so that leaving out a guardrail is never silent).
#[derive(Debug, Default)]
pub struct Walked {
    pub found: Vec<Found>,
    pub errors: Vec<WalkError>,
    pub excluded: Vec<Found>,
}

/// [`walk`], also listing the files the globs leave out (those rootguard would read).
///
/// # Errors
/// A path that does not exist, or a bad glob.
pub fn walk_all(paths: &[PathBuf], opts: &Walk) -> Result<Walked, Error> {
    let include = globset(&opts.include)?;
    let exclude = globset(&opts.exclude)?;
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut excluded = Vec::new();
    let left_out = |rel: &Path| {
        exclude
            .as_ref()
            .is_some_and(|ex| rel.ancestors().any(|a| !a.as_os_str().is_empty() && ex.is_match(a)))
            || include.as_ref().is_some_and(|inc| !inc.is_match(rel))
    };
    for root in paths {
        // a path named on the command line must be readable: a regular file or a directory
        // (through a symlink, when it names one); anything else stops the run (exit 2)
        let meta = std::fs::metadata(root).map_err(|e| Error::io(Action::Read, display(root), e))?;
        if !meta.is_file() && !meta.is_dir() {
            return Err(Error::Path {
                path: display(root),
                reason: "not a regular file or a directory".into(),
            });
        }
        let readable = if meta.is_file() {
            std::fs::File::open(root).map(|_| ())
        } else {
            std::fs::read_dir(root).map(|_| ())
        };
        readable.map_err(|e| Error::io(Action::Read, display(root), e))?;
        // a scanned path that is a symlink to a directory is walked (its real path is the root)
        if meta.is_file() {
            found.push(Found {
                path: root.clone(),
                display: display(root),
                symlink: std::fs::symlink_metadata(root).is_ok_and(|m| m.file_type().is_symlink()),
            });
            continue;
        }
        // Inside a git work tree every tracked file is scanned, whatever an ignore file says: a
        // force-added file that an ignore pattern matches still deploys. Ignore files then only
        // hide untracked files. When git cannot list the tracked files, no file is hidden.
        let tracked = if opts.all_files || !in_git_work_tree(root) {
            None
        } else {
            crate::git::tracked(root).ok()
        };
        let honour_ignores = !opts.all_files && (tracked.is_some() || !in_git_work_tree(root));
        let canon = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        // the root's ignore files and those above it, which the walker reads first
        let above = if honour_ignores {
            canon.ancestors().find_map(|d| unsafe_ignore_file(d, d))
        } else {
            None
        };
        let read_ignore_files = honour_ignores && above.is_none();
        if let Some((p, why)) = above {
            errors.push((
                display(root),
                format!("`{}` {why}; no ignore file is read for this path", p.display()),
            ));
        }
        let mut wb = ignore::WalkBuilder::new(root);
        wb.hidden(false)
            .git_ignore(read_ignore_files)
            .git_global(false)
            .git_exclude(read_ignore_files)
            .ignore(read_ignore_files)
            .parents(read_ignore_files)
            .require_git(false)
            .follow_links(false)
            .sort_by_file_path(Ord::cmp);
        let refused: std::sync::Arc<std::sync::Mutex<Vec<WalkError>>> = std::sync::Arc::default();
        let refused_w = std::sync::Arc::clone(&refused);
        // excluded directories are walked too: their files are listed as left out
        wb.filter_entry(move |e| {
            let name = e.file_name().to_string_lossy();
            let dir = e.depth() > 0 && e.file_type().is_some_and(|t| t.is_dir());
            if dir && SKIP_DIRS.contains(&name.as_ref()) {
                return false;
            }
            // the walker would open this directory's ignore files before anything else
            if dir
                && read_ignore_files
                && let Some((p, why)) = unsafe_ignore_file(e.path(), &canon)
            {
                if let Ok(mut r) = refused_w.lock() {
                    r.push((display(e.path()), format!("`{}` {why}; the directory is not scanned", display(&p))));
                }
                return false;
            }
            true
        });
        for entry in wb.build() {
            match entry {
                Ok(e) => {
                    // not only regular files: a FIFO, device or symlink with an IaC name is
                    // refused by the reader with a finding, never skipped in silence
                    let Some(t) = e.file_type() else { continue };
                    if t.is_dir() {
                        continue;
                    }
                    let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                    let f = Found {
                        path: e.path().to_path_buf(),
                        display: display(e.path()),
                        symlink: t.is_symlink(),
                    };
                    if left_out(rel) {
                        excluded.push(f);
                    } else {
                        found.push(f);
                    }
                }
                Err(e) => errors.push((display(root), e.to_string())),
            }
        }
        if let Ok(mut r) = refused.lock() {
            errors.append(&mut r);
        }
        for rel in tracked.unwrap_or_default() {
            // tracked files the walk did not take: those an ignore file matches
            if rel.components().any(|c| SKIP_DIRS.iter().any(|d| c.as_os_str() == *d)) {
                continue;
            }
            let path = root.join(&rel);
            // as in the walk: anything but a directory (the reader refuses what it must)
            let Ok(m) = std::fs::symlink_metadata(&path) else { continue };
            if m.is_dir() {
                continue;
            }
            let f = Found {
                display: display(&path),
                symlink: m.file_type().is_symlink(),
                path,
            };
            if left_out(&rel) {
                excluded.push(f);
            } else {
                found.push(f);
            }
        }
    }
    found.sort_by(|a, b| a.display.cmp(&b.display));
    found.dedup_by(|a, b| a.display == b.display);
    // a file named on the command line is scanned whatever the globs say
    excluded.retain(|f| syntax_of(&f.path) != Syntax::None && found.binary_search_by(|x| x.display.cmp(&f.display)).is_err());
    excluded.sort_by(|a, b| a.display.cmp(&b.display));
    excluded.dedup_by(|a, b| a.display == b.display);
    Ok(Walked { found, errors, excluded })
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

/// Strings of which a YAML or JSON file must contain at least one to declare anything rootguard
/// models: the CloudFormation resource types it reads (a resource type is always a literal
/// string; `AWS::CloudWatch::Alarm` is [`ALARM_MARKERS`]), and the plan keys. A backslash can
/// hide any of them in an escape, so it counts as a marker too.
pub const YAML_JSON_MARKERS: [&str; 12] = [
    "AWS::Config",
    "AWS::Organizations",
    "AWS::SecurityHub",
    "AWS::Logs::MetricFilter",
    "AWS::CloudFormation::Stack",
    "AWS::ControlTower",
    "AWS::CloudTrail",
    "format_version",
    "planned_values",
    "resource_changes",
    "terraform_version",
    "\\",
];

/// Strings of which a Terraform module directory must contain at least one (or a `module`
/// block) to declare a guardrail: the resource and data source types rootguard reads, but for
/// the policy document data source (read only where a parsed module refers to it) and alarms.
pub const HCL_MARKERS: [&str; 8] = [
    "aws_cloudtrail",
    "aws_cloudwatch_log_metric_filter",
    "aws_config_",
    "aws_controltower_",
    "aws_iam_organizations_features",
    "aws_organizations_",
    "aws_securityhub_",
    "\\",
];

/// A metric alarm matters only to a root-usage metric filter: files whose only marker is an
/// alarm are parsed when some file of the scan holds a [`FILTER_MARKERS`] string.
pub const ALARM_MARKERS: [&str; 2] = ["AWS::CloudWatch::Alarm", "aws_cloudwatch_metric_alarm"];

/// Strings of a metric filter declaration, in any format.
pub const FILTER_MARKERS: [&str; 2] = ["AWS::Logs::MetricFilter", "aws_cloudwatch_log_metric_filter"];

/// What the bytes of a file say it could declare.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // independent facts, each read by a different step
pub struct Marks {
    /// YAML or JSON: a marker, or a `Statement` outside a CloudFormation template.
    pub yaml_json: bool,
    /// Terraform: a guardrail resource type.
    pub hcl: bool,
    /// Terraform: a `module` block.
    pub module: bool,
    pub alarm: bool,
    pub filter: bool,
}

impl Marks {
    /// Read the marks of `text`, read as `syntax`.
    #[must_use]
    pub fn of(text: &str, syntax: Syntax, json: bool) -> Marks {
        let has = |ms: &[&str]| ms.iter().any(|m| text.contains(m));
        let mut m = Marks {
            alarm: has(&ALARM_MARKERS),
            filter: has(&FILTER_MARKERS),
            ..Marks::default()
        };
        if matches!(syntax, Syntax::Hcl | Syntax::Terragrunt) {
            m.hcl = has(&HCL_MARKERS);
            m.module = text.lines().any(|l| {
                l.trim_start()
                    .strip_prefix("module")
                    .is_some_and(|r| r.starts_with(|c: char| c.is_whitespace() || c == '"' || c == '{'))
            });
        } else {
            m.yaml_json = yaml_json_markers(text, json);
        }
        m
    }
}

/// Could this YAML or JSON text declare a guardrail, a policy or a plan (alarms aside)?
///
/// Yes when it holds one of [`YAML_JSON_MARKERS`]. A `Statement` matters only in a policy
/// document: when the first top-level key is `AWSTemplateFormatVersion`, the file is a
/// CloudFormation template, and without a marker it holds no resource rootguard reads.
#[must_use]
pub fn yaml_json_markers(text: &str, json: bool) -> bool {
    if YAML_JSON_MARKERS.iter().any(|m| text.contains(m)) {
        return true;
    }
    if !text.contains("Statement") {
        return false;
    }
    let first = if json { json_first_key(text) } else { yaml_first_key(text) };
    first.as_deref() != Some("AWSTemplateFormatVersion")
}
/// The first key of a JSON object (the text holds no backslash).
fn json_first_key(text: &str) -> Option<String> {
    let rest = text.trim_start_matches('\u{feff}').trim_start().strip_prefix('{')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    rest.split_once('"').map(|(k, _)| k.to_owned())
}

/// The first key of the top-level mapping of a YAML stream, when it is a plain key.
fn yaml_first_key(text: &str) -> Option<String> {
    use saphyr_parser::{Event, Parser};
    let mut depth = 0;
    for ev in Parser::new_from_str(text) {
        match ev.ok()?.0 {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
            Event::MappingStart(anchor, tag) if depth == 0 && anchor == 0 && tag.is_none() => depth = 1,
            Event::Scalar(v, _, anchor, tag) if depth == 1 && anchor == 0 && tag.is_none() => return Some(v.into_owned()),
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_of_yaml_json() {
        let m = |t: &str, json| Marks::of(t, Syntax::Yaml, json).yaml_json;
        assert!(m("Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n", false));
        assert!(!m(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n",
            false
        ));
        // a policy document: `Statement` outside a template
        assert!(m("Version: '2012-10-17'\nStatement: []\n", false));
        assert!(m("{\"Version\": \"2012-10-17\", \"Statement\": []}", true));
        // a template's IAM statements are not a policy document
        assert!(!m(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: {Statement: []}\n",
            false
        ));
        assert!(!m("{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Statement\": 1}", true));
        // … unless the first key is not the format version
        assert!(m("Description: x\nAWSTemplateFormatVersion: '2010-09-09'\nStatement: []\n", false));
        // an escape could spell any marker
        assert!(m("Type: \"AWS::Con\\x66ig::ConfigRule\"\n", false));
        assert!(m("{\"format_version\": \"1.2\"}", true));
        assert!(!m("apiVersion: v1\nkind: ConfigMap\n", false));
    }

    #[test]
    fn marks_of_hcl() {
        let m = |t: &str| Marks::of(t, Syntax::Hcl, false);
        assert!(m("resource \"aws_organizations_policy\" \"p\" {}\n").hcl);
        assert!(m("resource aws_config_config_rule r {}\n").hcl);
        assert!(!m("resource \"aws_s3_bucket\" \"b\" {}\n").hcl);
        assert!(m("  module \"x\" {\n    source = \"./x\"\n  }\n").module);
        assert!(m("module x {\n}\n").module);
        // a comment that says "module" is not a module block
        assert!(!m("# identity module: ecs-service\nvariable \"modules\" {}\n").module);
        let a = m("resource \"aws_cloudwatch_metric_alarm\" \"a\" {}\n");
        assert!(a.alarm && !a.hcl && !a.filter);
        assert!(m("resource \"aws_cloudwatch_log_metric_filter\" \"f\" {}\n").filter);
    }

    /// Every resource type the model reads must carry a marker, or files declaring it would
    /// not be parsed.
    #[test]
    fn every_modelled_type_has_a_marker() {
        let literals = |src: &str, prefix: &str| -> Vec<String> {
            src.split('"')
                .skip(1)
                .step_by(2)
                .filter(|s| s.starts_with(prefix) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map(str::to_owned)
                .collect()
        };
        let cfn = literals(include_str!("model/cfn.rs"), "AWS::");
        assert!(cfn.len() > 15, "{cfn:?}");
        for t in cfn {
            assert!(
                YAML_JSON_MARKERS.iter().chain(&ALARM_MARKERS).any(|m| t.contains(m)) || t == "AWS::Config::RemediationConfiguration",
                "{t} has no marker"
            );
        }
        let tf: Vec<String> = [
            include_str!("tf/resources.rs"),
            include_str!("tf/mod.rs"),
            include_str!("tf/plan.rs"),
        ]
        .iter()
        .flat_map(|s| literals(s, "aws_"))
        .collect();
        assert!(tf.len() > 20, "{tf:?}");
        for t in tf {
            assert!(
                HCL_MARKERS.iter().chain(&ALARM_MARKERS).any(|m| t.contains(m)) || t == "aws_iam_policy_document",
                "{t} has no marker"
            );
        }
    }
}

//! One scan: discover → read → parse → classify → model.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::discover::{self, Kind, Syntax};
use crate::error::Error;
use crate::model::{self, AnchorKind, FileDiagnostic, Loc, Model};
use crate::parse::{self, Diagnostic, embedded};
use crate::source::{Sources, Span};

/// Default largest file read, in bytes.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// Options of a scan.
#[derive(Clone, Debug)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub walk: discover::Walk,
    pub max_file_bytes: u64,
    /// Terraform inputs: `--var`, `TF_VAR_*`, `--known-module`.
    pub tf: crate::tf::Options,
    /// `--var-file`s, read even when outside the scanned paths (they are named explicitly).
    pub var_files: Vec<PathBuf>,
    /// Conformance packs deployed from S3: URI → the template kept in the repository.
    pub templates: BTreeMap<String, PathBuf>,
    /// Called with (files read, files found) while reading, for a progress display.
    pub progress: Option<fn(usize, usize)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            paths: vec![PathBuf::from(".")],
            walk: discover::Walk::default(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            tf: crate::tf::Options::default(),
            var_files: Vec::new(),
            templates: BTreeMap::new(),
            progress: None,
        }
    }
}

/// A scanned file and what it was found to be.
#[derive(Clone, Debug)]
pub struct FileInfo {
    pub display: String,
    pub kind: Kind,
}

/// What a scan produced.
#[derive(Default)]
pub struct Scan {
    pub sources: Sources,
    pub model: Model,
    pub files: Vec<FileInfo>,
    /// Terraform files and variable files, evaluated once all files are read.
    pub tf_files: Vec<crate::tf::TfFile>,
    pub var_files: Vec<crate::tf::VarFile>,
}

impl Scan {
    /// Files per kind.
    #[must_use]
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for f in &self.files {
            *m.entry(f.kind.as_str()).or_insert(0) += 1;
        }
        m
    }
}

/// Run discovery, parsing and model building.
///
/// # Errors
/// Only for problems that stop the scan (a missing path, a bad glob).
pub fn scan(opts: &Options) -> Result<Scan, Error> {
    let (found, walk_errors) = discover::walk(&opts.paths, &opts.walk)?;
    let mut s = Scan::default();
    for (path, reason) in walk_errors {
        let id = s
            .sources
            .add(PathBuf::from(&path), path.clone(), String::new(), crate::source::Encoding::Utf8);
        s.model.diagnostics.push(FileDiagnostic {
            diag: Diagnostic::error(Span::new(id, 0, 0), "walk", format!("part of the tree could not be read: {reason}")),
            relevant: true,
        });
    }
    let total = found.len();
    for (i, f) in found.into_iter().enumerate() {
        if let Some(p) = opts.progress
            && (i % 256 == 0 || i + 1 == total)
        {
            p(i + 1, total);
        }
        let kind = read_one(&mut s, &f, opts);
        s.files.push(FileInfo {
            display: f.display.clone(),
            kind,
        });
    }
    if !s.tf_files.is_empty() {
        terraform(&mut s, opts)?;
    }
    crate::tf::plan::relocate(&mut s.model);
    local_templates(&mut s, opts)?;
    Ok(s)
}

/// Conformance packs given only by an S3 URI that the configuration maps to a file in the
/// repository: the file is read as the pack's template.
fn local_templates(s: &mut Scan, opts: &Options) -> Result<(), Error> {
    use crate::model::PackBody;
    for i in 0..s.model.conformance_packs.len() {
        let PackBody::Opaque { reference, .. } = &s.model.conformance_packs[i].body else {
            continue;
        };
        let Some(path) = opts.templates.get(reference).cloned() else {
            continue;
        };
        let canon = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        let shown = std::env::current_dir()
            .ok()
            .and_then(|d| canon.strip_prefix(d).ok().map(std::path::Path::to_path_buf))
            .unwrap_or_else(|| path.clone());
        let display = shown.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(&path).map_err(|e| Error::Path {
            path: display.clone(),
            reason: format!("template of {reference}: {e}"),
        })?;
        let (text, enc) = crate::source::decode(&bytes).map_err(|at| Error::Path {
            path: display.clone(),
            reason: format!("not UTF-8 (byte {at})"),
        })?;
        // the same file may also have been scanned as a stand-alone pack: read it once
        let existing = s
            .sources
            .iter()
            .find(|f| std::fs::canonicalize(&f.path).is_ok_and(|c| c == canon))
            .map(|f| f.id);
        let id = existing.unwrap_or_else(|| s.sources.add(path.clone(), display.clone(), text, enc));
        let parsed = parse::yaml::parse(id, &s.sources.get(id).text, 0);
        model::cfn::diagnostics(parsed.diagnostics, true, &mut s.model);
        let Some(root) = parsed.root else { continue };
        let pack = s.model.conformance_packs[i].clone();
        let mut m = Model::default();
        let mut ctx = model::cfn::Ctx::file(model::Format::ConformancePack);
        ctx.via.clone_from(&pack.origin.via);
        ctx.via.push(crate::model::Via {
            kind: "conformance-pack",
            name: pack.origin.name.clone(),
            loc: pack.origin.loc.clone(),
        });
        ctx.gates.clone_from(&pack.origin.gates);
        model::cfn::template(&s.sources.get(id).text, &root, &ctx, &mut m);
        for mut r in m.config_rules {
            r.pack = Some(i);
            s.model.config_rules.push(r);
        }
        let loc = Loc::new(root.span.start_point(), "");
        s.model.conformance_packs[i].body = PackBody::Inline { loc };
        if let Some(existing) = existing {
            // its stand-alone declaration is this pack's now
            let standalone = |o: &crate::model::Origin| o.loc.span.file == existing && o.via.is_empty();
            s.model.config_rules.retain(|r| !standalone(&r.origin));
        }
    }
    Ok(())
}

/// Load what `terraform init` installed, the `--var-file`s and `--var`s, and evaluate.
fn terraform(s: &mut Scan, opts: &Options) -> Result<(), Error> {
    let mut installed = crate::tf::Installed::new();
    let dirs: std::collections::BTreeSet<PathBuf> = s.tf_files.iter().map(|f| f.dir.clone()).collect();
    let mut loaded: std::collections::BTreeSet<PathBuf> = dirs.clone();
    for dir in &dirs {
        for (key, mdir) in crate::tf::modules_json(dir) {
            installed.insert((dir.clone(), key), mdir.clone());
            if !loaded.insert(mdir.clone()) {
                continue;
            }
            let mut tf: Vec<PathBuf> = std::fs::read_dir(&mdir)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
                        .collect()
                })
                .unwrap_or_default();
            tf.sort();
            for path in tf {
                let display = path.to_string_lossy().replace('\\', "/");
                let f = discover::Found { path, display };
                let kind = read_one(s, &f, opts);
                s.files.push(FileInfo {
                    display: f.display.clone(),
                    kind,
                });
            }
        }
    }
    let mut cli_files = Vec::new();
    for vf in &opts.var_files {
        let display = vf.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(vf).map_err(|e| Error::Path {
            path: display.clone(),
            reason: e.to_string(),
        })?;
        let (text, enc) = crate::source::decode(&bytes).map_err(|at| Error::Path {
            path: display.clone(),
            reason: format!("not UTF-8 (byte {at})"),
        })?;
        let id = s.sources.add(vf.clone(), display.clone(), text, enc);
        let text = &s.sources.get(id).text;
        let name = vf.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        let dir = vf.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
        if name.ends_with(".json") {
            let p = parse::json::parse(id, text, 0);
            match p.root {
                Some(root) => cli_files.push(crate::tf::VarFile::from_json(id, dir, name, &root)),
                None => model::cfn::diagnostics(p.diagnostics, true, &mut s.model),
            }
        } else if let Some(body) = crate::tf::parse(id, text, &mut s.model) {
            cli_files.push(crate::tf::VarFile::from_hcl(id, dir, name, &body));
        }
    }
    let cli = (!opts.tf.vars.is_empty() || !opts.tf.env_vars.is_empty()).then(|| {
        let mut text = String::new();
        for (k, v) in opts.tf.vars.iter().chain(&opts.tf.env_vars) {
            text.push_str(&format!("{k}={v}\n"));
        }
        s.sources.add(
            PathBuf::from("(command line)"),
            "(command line)".into(),
            text,
            crate::source::Encoding::Utf8,
        )
    });
    let mut m = Model::default();
    let mut tf_opts = opts.tf.clone();
    tf_opts.roots = opts
        .paths
        .iter()
        .map(|p| {
            if p.is_file() {
                p.parent().map(std::path::Path::to_path_buf).unwrap_or_default()
            } else {
                p.clone()
            }
        })
        .collect();
    let consumed = crate::tf::analyze(&s.sources, &s.tf_files, &s.var_files, &cli_files, &installed, &tf_opts, cli, &mut m);
    drop_consumed(&mut s.model, &consumed);
    s.model.extend(m);
    Ok(())
}

/// A conformance pack or policy document that a Terraform module reads with `file()` is that
/// module's declaration, not one of its own: the stand-alone declarations of the file go.
fn drop_consumed(m: &mut Model, consumed: &std::collections::BTreeSet<crate::source::FileId>) {
    use crate::model::Format;
    let standalone = |o: &crate::model::Origin| {
        consumed.contains(&o.loc.span.file) && o.via.is_empty() && matches!(o.format, Format::ConformancePack | Format::PolicyJson)
    };
    let mut remap = Vec::with_capacity(m.conformance_packs.len());
    let mut kept = Vec::new();
    for p in std::mem::take(&mut m.conformance_packs) {
        if standalone(&p.origin) {
            remap.push(None);
        } else {
            remap.push(Some(kept.len()));
            kept.push(p);
        }
    }
    m.conformance_packs = kept;
    m.config_rules.retain(|r| !standalone(&r.origin));
    for r in &mut m.config_rules {
        r.pack = r.pack.and_then(|i| remap.get(i).copied().flatten());
    }
    m.policies.retain(|p| !standalone(&p.origin));
}

fn read_one(s: &mut Scan, f: &discover::Found, opts: &Options) -> Kind {
    let syntax = discover::syntax_of(&f.path);
    if syntax == Syntax::None {
        return Kind::NotRead;
    }
    let meta = std::fs::metadata(&f.path);
    let too_big = meta.as_ref().is_ok_and(|m| m.len() > opts.max_file_bytes);
    let bytes = if too_big { Err(None) } else { std::fs::read(&f.path).map_err(Some) };
    let (text, enc, problem) = match bytes {
        Ok(b) => match crate::source::decode(&b) {
            Ok((t, e)) => (t, e, None),
            Err(at) => (
                String::new(),
                crate::source::Encoding::Utf8,
                Some((
                    at,
                    "encoding",
                    format!("the file is not valid UTF-8 (or UTF-16 with a byte-order mark): bad byte sequence at byte {at}"),
                )),
            ),
        },
        Err(None) => (
            String::new(),
            crate::source::Encoding::Utf8,
            Some((
                0,
                "too-large",
                format!(
                    "the file is larger than {} bytes and was not read (raise --max-file-size)",
                    opts.max_file_bytes
                ),
            )),
        ),
        Err(Some(e)) => (
            String::new(),
            crate::source::Encoding::Utf8,
            Some((0, "io", format!("the file could not be read: {e}"))),
        ),
    };
    let id = s.sources.add(f.path.clone(), f.display.clone(), text, enc);
    s.model.anchors.note(AnchorKind::Any, &Loc::new(Span::new(id, 0, 0), ""));
    if let Some((_, code, msg)) = problem {
        s.model.diagnostics.push(FileDiagnostic {
            diag: Diagnostic::error(Span::new(id, 0, 0), code, msg),
            relevant: true,
        });
        return Kind::Unreadable;
    }
    let text = &s.sources.get(id).text;
    let dir = f.path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
    match syntax {
        Syntax::Hcl => {
            return match crate::tf::parse(id, text, &mut s.model) {
                Some(body) => {
                    s.tf_files.push(crate::tf::TfFile { id, dir, body });
                    Kind::Terraform
                }
                None => Kind::Unreadable,
            };
        }
        Syntax::HclJson => {
            s.model.diagnostics.push(FileDiagnostic {
                diag: Diagnostic::warning(
                    Span::new(id, 0, 0),
                    "terraform-json",
                    "Terraform JSON syntax (`.tf.json`) is not analyzed yet; guardrails declared here are not seen",
                ),
                relevant: true,
            });
            return Kind::Terraform;
        }
        Syntax::TfVars => {
            return match crate::tf::parse(id, text, &mut s.model) {
                Some(body) => {
                    s.var_files.push(crate::tf::VarFile::from_hcl(id, dir, name, &body));
                    Kind::TerraformVars
                }
                None => Kind::Unreadable,
            };
        }
        Syntax::TfVarsJson => {
            let p = parse::json::parse(id, text, 0);
            return if let Some(root) = p.root {
                s.var_files.push(crate::tf::VarFile::from_json(id, dir, name, &root));
                Kind::TerraformVars
            } else {
                model::cfn::diagnostics(p.diagnostics, true, &mut s.model);
                Kind::Unreadable
            };
        }
        _ => {}
    }
    let json = match syntax {
        Syntax::Json => true,
        Syntax::Yaml => false,
        _ => embedded::sniff(text) == embedded::Syntax::Json,
    };
    let parsed = if json {
        parse::json::parse(id, text, 0)
    } else {
        parse::yaml::parse(id, text, 0)
    };
    let Some(root) = parsed.root else {
        let relevant = discover::looks_relevant(text);
        model::cfn::diagnostics(parsed.diagnostics, relevant, &mut s.model);
        return Kind::Unreadable;
    };
    let kind = discover::classify(&root);
    let mut m = Model::default();
    let relevant = !matches!(kind, Kind::Other);
    model::cfn::diagnostics(parsed.diagnostics, relevant, &mut m);
    m.anchors.note(AnchorKind::Any, &Loc::new(Span::new(id, 0, 0), ""));
    match kind {
        Kind::CloudFormation => model::cfn::template(text, &root, &model::cfn::Ctx::file(model::Format::CloudFormation), &mut m),
        Kind::ConformancePack => model::cfn::pack_file(text, &root, &f.display, &mut m),
        Kind::PolicyDocument => model::cfn::policy_file(text, &root, &f.display, &mut m),
        Kind::TerraformPlan => crate::tf::plan::plan(text, &root, &mut m),
        _ => {}
    }
    s.model.extend(m);
    kind
}

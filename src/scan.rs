//! One scan: discover → read → parse → classify → model.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::discover::{self, Kind, Syntax};
use crate::error::Error;
use crate::model::{self, AnchorKind, FileDiagnostic, Loc, Model};
use crate::parse::{self, Diagnostic, embedded};
use crate::source::{Confine, ReadError, Roots, Sources, Span};

thread_local! {
    static CURRENT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The file this thread is reading or parsing, for the report of an internal error.
#[must_use]
pub fn current_file() -> Option<String> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Sets this thread's current file until dropped.
struct CurrentFile;

impl CurrentFile {
    fn set(file: &str) -> Self {
        CURRENT.with(|c| *c.borrow_mut() = Some(file.to_owned()));
        CurrentFile
    }
}

impl Drop for CurrentFile {
    fn drop(&mut self) {
        CURRENT.with(|c| *c.borrow_mut() = None);
    }
}

/// Default largest file read, in bytes.
pub use crate::limits::DEFAULT_MAX_FILE_BYTES;

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
    /// Threads that read and parse files; the output is the same for any number.
    pub threads: usize,
    /// Parse every file, also those without a guardrail marker (their syntax errors are then
    /// reported too).
    pub parse_all: bool,
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
            threads: 1,
            parse_all: false,
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
    /// Terraform module directories not parsed: they cannot declare a guardrail.
    pub pruned: std::collections::BTreeSet<PathBuf>,
    /// Files that the `include` / `exclude` globs leave out although they carry a guardrail
    /// marker (their text is in `sources`, so the warning can point at them).
    pub excluded: Vec<crate::source::FileId>,
    /// The scanned paths, resolved: every read of the scan stays below them.
    pub roots: Roots,
    /// The Terragrunt configurations found, and the units evaluated from them.
    pub terragrunt: Vec<crate::source::FileId>,
    pub units: Vec<crate::tf::terragrunt::Unit>,
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
    let walked = crate::timings::phase("discover", || discover::walk_all(&opts.paths, &opts.walk))?;
    let (found, walk_errors) = (walked.found, walked.errors);
    let mut s = Scan {
        roots: Roots::new(&opts.paths),
        ..Scan::default()
    };
    for (path, reason) in walk_errors {
        let id = s
            .sources
            .add(PathBuf::from(&path), path.clone(), String::new(), crate::source::Encoding::Utf8);
        s.model.diagnostics.push(FileDiagnostic {
            diag: Diagnostic::error(Span::new(id, 0, 0), "walk", format!("part of the tree could not be read: {reason}")),
            relevant: true,
        });
        let mut m = Model::default();
        unread(
            Span::new(id, 0, 0),
            &path,
            Syntax::None,
            format!("part of the tree was not read: {reason}"),
            &mut m,
        );
        s.model.extend(m);
    }
    read_all(&mut s, found, opts);
    excluded_declarations(&mut s, &walked.excluded, opts);
    if !s.terragrunt.is_empty() {
        let roots = tf_roots(opts);
        let files = std::mem::take(&mut s.terragrunt);
        let before = s.sources.len();
        s.units = crate::timings::phase("terragrunt", || {
            crate::tf::terragrunt::units(&mut s.sources, &files, &roots, opts.max_file_bytes, &mut s.model)
        });
        s.terragrunt = files;
        // the files they include or read (`root.hcl`, …) are Terragrunt configuration too
        let read: std::collections::BTreeSet<&str> = s.sources.iter().skip(before).map(|f| f.display.as_str()).collect();
        for f in s
            .files
            .iter_mut()
            .filter(|f| f.kind == Kind::NotRead && read.contains(f.display.as_str()))
        {
            f.kind = Kind::Terragrunt;
        }
    }
    if !s.tf_files.is_empty() || !s.units.is_empty() {
        crate::timings::phase("terraform", || terraform(&mut s, opts))?;
    }
    crate::timings::phase("model", || {
        crate::tf::plan::relocate(&mut s.model);
        local_templates(&mut s, opts);
    });
    Ok(s)
}

/// The files the globs leave out that could declare a guardrail: read (as a scanned file would
/// be) only to look for the markers, and kept so that the warning can point at them.
fn excluded_declarations(s: &mut Scan, excluded: &[discover::Found], opts: &Options) {
    if excluded.is_empty() {
        return;
    }
    let placeholder = crate::source::FileId(u32::MAX);
    let roots = s.roots.clone();
    let loaded = par_map(excluded, opts.threads, |_, f| load(placeholder, f, opts, &roots, false), |_| {});
    for (l, f) in loaded.into_iter().zip(excluded) {
        if l.readable && (l.marks.yaml_json || l.marks.hcl) {
            let id = s.sources.add(f.path.clone(), f.display.clone(), l.text, l.enc);
            s.excluded.push(id);
        }
    }
}

/// Conformance packs given only by an S3 URI that the configuration maps to a file in the
/// repository: the file is read as the pack's template.
fn local_templates(s: &mut Scan, opts: &Options) {
    use crate::model::PackBody;
    for i in 0..s.model.conformance_packs.len() {
        let PackBody::Opaque { reference, .. } = &s.model.conformance_packs[i].body else {
            continue;
        };
        let Some(path) = opts.templates.get(reference).cloned() else {
            continue;
        };
        let at = s.model.conformance_packs[i].origin.loc.span;
        // only inside a scanned path, whatever the configuration says (`..`, absolute paths and
        // symlinks that lead out are refused), and only a regular file
        let read = crate::source::resolve_confined(&path, Confine::Within(&s.roots))
            .and_then(|canon| crate::source::read_confined(&canon, Confine::Within(&s.roots), opts.max_file_bytes).map(|r| (canon, r)));
        let (canon, (text, enc)) = match read {
            Ok(r) => r,
            Err(e) => {
                let why = format!("the configuration maps `{reference}` to `{}`, which {}", path.display(), e.reason());
                s.model.diagnostics.push(FileDiagnostic {
                    diag: Diagnostic::error(at, e.code(), format!("{why}; the pack stays unread")),
                    relevant: true,
                });
                // the pack may hold the rules: unknown, not missing
                s.model.conformance_packs[i].body = PackBody::Unknown {
                    reason: why,
                    loc: s.model.conformance_packs[i].origin.loc.clone(),
                };
                continue;
            }
        };
        let shown = std::env::current_dir()
            .ok()
            .and_then(|d| canon.strip_prefix(d).ok().map(std::path::Path::to_path_buf))
            .unwrap_or_else(|| path.clone());
        let display = shown.to_string_lossy().replace('\\', "/");
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
        let ((), notes) = crate::limits::scoped(|| model::cfn::template(&s.sources.get(id).text, &root, &ctx, &mut m));
        m.add_eval_notes(notes, model::Format::ConformancePack, &format!("`{display}`"));
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
}

/// Load what `terraform init` installed, the `--var-file`s and `--var`s, and evaluate.
fn terraform(s: &mut Scan, opts: &Options) -> Result<(), Error> {
    let mut installed = crate::tf::Installed::new();
    // module directories as the evaluation compares them (`.` and `$PWD` alike)
    let dirs: std::collections::BTreeSet<PathBuf> = s.tf_files.iter().map(|f| crate::tf::normalize_dir(&f.dir)).collect();
    let mut loaded: std::collections::BTreeSet<PathBuf> = dirs.clone();
    for dir in &dirs {
        let modules = match crate::tf::modules_json(dir, &s.roots, opts.max_file_bytes) {
            Ok(m) => m,
            Err(reason) => {
                // the registry and git modules of this root stay unread (their calls unknown)
                let path = dir.join(".terraform/modules/modules.json");
                let display = path.to_string_lossy().replace('\\', "/");
                let id = s.sources.add(path, display, String::new(), crate::source::Encoding::Utf8);
                s.model.diagnostics.push(FileDiagnostic {
                    diag: Diagnostic::error(
                        Span::new(id, 0, 0),
                        "modules-json",
                        format!("`modules.json` {reason}; the modules it lists are not read"),
                    ),
                    relevant: true,
                });
                continue;
            }
        };
        for (key, m) in modules {
            if let Ok(mdir) = &m.dir
                && loaded.insert(mdir.clone())
            {
                // every entry named `*.tf`, whatever it is: the reader refuses what is not a
                // regular file inside the tree, with a finding
                let mut tf: Vec<(PathBuf, bool)> = std::fs::read_dir(mdir)
                    .map(|rd| {
                        rd.filter_map(Result::ok)
                            .filter(|e| e.path().extension().is_some_and(|x| x == "tf" || x == "tofu"))
                            .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_symlink())))
                            .collect()
                    })
                    .unwrap_or_default();
                let shadowed = tofu_shadowed(tf.iter().map(|(p, _)| p.as_path()));
                tf.retain(|(p, _)| !shadowed.contains(p));
                tf.sort();
                for (path, symlink) in tf {
                    let display = path.to_string_lossy().replace('\\', "/");
                    let f = discover::Found { path, display, symlink };
                    let kind = read_one(s, &f, opts);
                    s.files.push(FileInfo {
                        display: f.display.clone(),
                        kind,
                    });
                }
            }
            installed.insert((dir.clone(), key), m);
        }
    }
    let mut cli_files = Vec::new();
    for vf in &opts.var_files {
        let display = vf.to_string_lossy().replace('\\', "/");
        // named by the user, so it may be outside the tree; inside it, it is confined
        let (text, enc) = crate::source::read_confined(vf, Confine::Named(&s.roots), opts.max_file_bytes).map_err(|e| Error::Read {
            path: display.clone(),
            what: "--var-file",
            source: e,
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
            let (vf, notes) = crate::limits::scoped(|| crate::tf::VarFile::from_hcl(id, dir, name, &body));
            s.model.add_eval_notes(notes, model::Format::Terraform, &format!("`{display}`"));
            cli_files.push(vf);
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
    tf_opts.pruned = std::mem::take(&mut s.pruned);
    tf_opts.max_file_bytes = Some(opts.max_file_bytes);
    tf_opts.roots = tf_roots(opts);
    tf_opts.units = std::mem::take(&mut s.units);
    let consumed = crate::tf::analyze(&s.sources, &s.tf_files, &s.var_files, &cli_files, &installed, &tf_opts, cli, &mut m);
    drop_consumed(&mut s.model, &consumed);
    s.model.extend(m);
    Ok(())
}

/// The scanned directories (a scanned file stands for its directory).
fn tf_roots(opts: &Options) -> Vec<PathBuf> {
    opts.paths
        .iter()
        .map(|p| {
            if p.is_file() {
                p.parent().map(std::path::Path::to_path_buf).unwrap_or_default()
            } else {
                p.clone()
            }
        })
        .collect()
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

/// A file read and decoded, before it is parsed.
struct Loaded {
    text: String,
    enc: crate::source::Encoding,
    /// The file's anchor and, when it could not be read or decoded, the diagnostic.
    model: Model,
    readable: bool,
    syntax: Syntax,
    marks: discover::Marks,
    /// A symlink to a file scanned under its own path (not read here).
    link: bool,
}

/// What parsing one file produced.
struct Parsed {
    kind: Kind,
    model: Model,
    tf: Option<crate::tf::TfFile>,
    var: Option<crate::tf::VarFile>,
}

/// `f` over `items` on `threads` threads; the results come back in the order of `items`, so
/// what follows is the same at any thread count. `tick` is called after each item.
fn par_map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(usize, &T) -> R + Sync, tick: impl Fn(usize) + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = threads.clamp(1, 64).min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let work = || {
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            out.push((i, f(i, item)));
            tick(done.fetch_add(1, Ordering::Relaxed) + 1);
        }
        out
    };
    let mut results = if threads <= 1 {
        work()
    } else {
        std::thread::scope(|sc| {
            // parsers and evaluators recurse up to the depth limit: give workers the main
            // thread's stack size
            let handles: Vec<_> = (0..threads)
                .filter_map(|_| std::thread::Builder::new().stack_size(8 << 20).spawn_scoped(sc, work).ok())
                .collect();
            // a thread that could not be started: this one takes its share
            let mut all = if handles.len() < threads {
                work()
            } else {
                Vec::with_capacity(items.len())
            };
            for h in handles {
                match h.join() {
                    Ok(part) => all.extend(part),
                    // a panic while reading a file is reported at the top, like one on this thread
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            all
        })
    };
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Read every found file into `s`, in the order found.
///
/// Three steps, each on `opts.threads` threads with results taken in the order found (so file
/// ids, diagnostics and all that follows are the same at any thread count): read and decode
/// every file and look for markers ([`discover::Marks`]); parse the YAML and JSON files that
/// could declare something; parse the Terraform module directories that could
/// ([`parse_terraform`]). A file without a marker cannot declare a guardrail and is not parsed,
/// unless `opts.parse_all`.
fn read_all(s: &mut Scan, found: Vec<discover::Found>, opts: &Options) {
    // files rootguard does not read take no file id
    let shadowed = tofu_shadowed(found.iter().map(|f| f.path.as_path()));
    let want = |f: &discover::Found| discover::syntax_of(&f.path) != Syntax::None && !shadowed.contains(&f.path);
    let wanted: Vec<bool> = found.iter().map(want).collect();
    let (read, mut not_read): (Vec<_>, Vec<_>) = found.into_iter().partition(|f| want(f));
    let total = read.len();
    let first = s.sources.len();
    let file_id = |i: usize| crate::source::FileId(u32::try_from(first.saturating_add(i)).unwrap_or(u32::MAX));
    let started = std::time::Instant::now();
    let links = links(&read, &s.roots);
    let roots = &s.roots;
    let loaded = par_map(
        &read,
        opts.threads,
        |i, f| {
            let _current = CurrentFile::set(&f.display);
            load(file_id(i), f, opts, roots, links.get(i).copied().unwrap_or(false))
        },
        |n| {
            if let Some(p) = opts.progress
                && (n % 256 == 0 || n == total)
            {
                p(n, total);
            }
        },
    );
    crate::timings::record("read", started.elapsed());
    let started = std::time::Instant::now();
    let filters = loaded.iter().any(|l| l.marks.filter);
    crate::timings::count("files read", loaded.len());
    crate::timings::count("bytes read", loaded.iter().map(|l| l.text.len()).sum());
    let now: Vec<usize> = (0..loaded.len())
        .filter(|&i| {
            let l = &loaded[i];
            l.readable
                && match l.syntax {
                    Syntax::Hcl => opts.parse_all,
                    Syntax::Yaml | Syntax::Json | Syntax::Sniff => opts.parse_all || l.marks.yaml_json || (filters && l.marks.alarm),
                    _ => true,
                }
        })
        .collect();
    crate::timings::count(
        "YAML and JSON files parsed",
        now.iter()
            .filter(|&&i| !matches!(loaded[i].syntax, Syntax::Hcl | Syntax::TfVars | Syntax::Terragrunt))
            .count(),
    );
    let mut parsed: Vec<Option<Parsed>> = par_map(
        &now,
        opts.threads,
        |_, &i| {
            let _current = CurrentFile::set(&read[i].display);
            parse_loaded(file_id(i), &read[i], &loaded[i])
        },
        |_| {},
    )
    .into_iter()
    .map(Some)
    .collect();
    let mut slot = vec![None; loaded.len()];
    for (k, &i) in now.iter().enumerate() {
        slot[i] = Some(k);
    }
    let mut deferred = Vec::new();
    let mut items = loaded.into_iter().zip(read).enumerate();
    not_read.reverse();
    for w in wanted {
        if !w {
            if let Some(f) = not_read.pop() {
                let kind = if f.symlink { linked_dir(s, &f) } else { Kind::NotRead };
                s.files.push(FileInfo { display: f.display, kind });
            }
            continue;
        }
        let Some((i, (l, f))) = items.next() else { break };
        let id = s.sources.add(f.path.clone(), f.display.clone(), l.text, l.enc);
        if l.marks.yaml_json || l.marks.hcl {
            // an absent guardrail is shown at the first file that could have declared one
            s.model.anchors.note(AnchorKind::Any, &Loc::new(Span::new(id, 0, 0), ""));
        }
        s.model.extend(l.model);
        // a YAML or JSON file without a marker counts as such even when parsed (`--parse-all`)
        let unmarked = matches!(l.syntax, Syntax::Yaml | Syntax::Json | Syntax::Sniff) && !l.marks.yaml_json && !(filters && l.marks.alarm);
        let kind = match slot[i].and_then(|k| parsed[k].take()) {
            Some(p) => {
                let kind = absorb(s, p);
                if kind == Kind::Terragrunt {
                    s.terragrunt.push(id);
                }
                if unmarked { Kind::Unmarked } else { kind }
            }
            None if l.link => Kind::Link,
            None if !l.readable => {
                if matches!(l.syntax, Syntax::TfVars | Syntax::TfVarsJson) {
                    let dir = f.path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
                    let name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
                    s.var_files
                        .push(crate::tf::VarFile::unreadable(id, dir, name, "could not be read".into()));
                }
                Kind::Unreadable
            }
            None if l.syntax == Syntax::Hcl => {
                deferred.push(Deferred {
                    id,
                    file: s.files.len(),
                    dir: f.path.parent().map(std::path::Path::to_path_buf).unwrap_or_default(),
                    marks: l.marks,
                });
                Kind::Terraform
            }
            None => Kind::Unmarked,
        };
        s.files.push(FileInfo { display: f.display, kind });
    }
    if s.model.anchors.any.is_none()
        && let Some(f) = s.sources.iter().nth(first)
    {
        s.model.anchors.note(AnchorKind::Any, &Loc::new(Span::new(f.id, 0, 0), ""));
    }
    crate::timings::record("parse", started.elapsed());
    crate::timings::phase("parse terraform", || parse_terraform(s, &deferred, filters, opts));
}

/// The Terraform files `OpenTofu` does not read: `foo.tf` beside `foo.tofu`, and `foo.tf.json`
/// beside `foo.tofu.json` (the same base name, the same kind of syntax), in one directory.
/// <https://opentofu.org/docs/language/files/>
fn tofu_shadowed<'p>(paths: impl Iterator<Item = &'p std::path::Path>) -> std::collections::BTreeSet<PathBuf> {
    let all: Vec<&std::path::Path> = paths.collect();
    let set: std::collections::BTreeSet<&std::path::Path> = all.iter().copied().collect();
    all.into_iter()
        .filter(|p| {
            let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
                return false;
            };
            let tofu = if let Some(stem) = name.strip_suffix(".tf.json") {
                format!("{stem}.tofu.json")
            } else if let Some(stem) = name.strip_suffix(".tf") {
                format!("{stem}.tofu")
            } else {
                return false;
            };
            set.contains(p.with_file_name(tofu).as_path())
        })
        .map(std::path::Path::to_path_buf)
        .collect()
}

/// Which of the found files are symlinks to a file that is itself found (scanned under its
/// own path, so read once, there). A symlink to anything else is left to the reader, which
/// follows it only inside the scanned tree.
#[must_use]
pub fn links(found: &[discover::Found], roots: &Roots) -> Vec<bool> {
    use std::collections::{BTreeMap, BTreeSet};
    if !found.iter().any(|f| f.symlink) {
        return vec![false; found.len()];
    }
    // real paths of the regular files found: their directories resolved once each
    let mut dirs: BTreeMap<&std::path::Path, Option<PathBuf>> = BTreeMap::new();
    let mut real: BTreeSet<PathBuf> = BTreeSet::new();
    for f in found.iter().filter(|f| !f.symlink) {
        let (Some(parent), Some(name)) = (f.path.parent(), f.path.file_name()) else {
            continue;
        };
        let parent = if parent.as_os_str().is_empty() {
            std::path::Path::new(".")
        } else {
            parent
        };
        if let Some(d) = dirs.entry(parent).or_insert_with(|| std::fs::canonicalize(parent).ok()) {
            real.insert(d.join(name));
        }
    }
    found
        .iter()
        .map(|f| f.symlink && crate::source::resolve_confined(&f.path, Confine::Within(roots)).is_ok_and(|r| real.contains(&r)))
        .collect()
}

/// A symlink whose name is not one rootguard reads: a symlink to a directory inside the tree
/// is that directory (scanned under its own path); one to a directory outside is refused, with
/// a finding, and what it may hold makes every guardrail unknown. Anything else is not read.
fn linked_dir(s: &mut Scan, f: &discover::Found) -> Kind {
    if !std::fs::metadata(&f.path).is_ok_and(|m| m.is_dir()) {
        return Kind::NotRead;
    }
    match crate::source::resolve_confined(&f.path, Confine::Within(&s.roots)) {
        Ok(_) => Kind::Link,
        Err(e) => {
            let id = s
                .sources
                .add(f.path.clone(), f.display.clone(), String::new(), crate::source::Encoding::Utf8);
            let mut m = Model::default();
            refused(Span::new(id, 0, 0), &f.display, Syntax::None, &e, &mut m);
            if let Some(d) = m.diagnostics.last_mut() {
                d.diag.message = format!("the directory symlink {}; nothing below it is scanned", e.reason());
            }
            s.model.extend(m);
            Kind::Unreadable
        }
    }
}

/// A Terraform file read but not yet parsed.
struct Deferred {
    id: crate::source::FileId,
    /// Its position in `Scan::files`.
    file: usize,
    dir: PathBuf,
    marks: discover::Marks,
}

/// Parse the Terraform module directories that could declare a guardrail, and only those.
///
/// A directory *declares* when one of its files carries a guardrail resource type
/// ([`discover::HCL_MARKERS`]; an alarm counts when the scan holds a metric filter) or calls a
/// module rootguard cannot read from the tree (a registry or git source). Directories with a
/// `module` block are parsed to learn their calls. Kept are the declaring directories, the
/// directories that call them (directly or not), and every module a kept module refers to
/// (`module.NAME`) in what can reach a guardrail: its locals, the resources and data sources
/// rootguard reads, its outputs when it is called, and its calls to kept modules. A module's
/// inputs can come from the outputs of another. The rest is dropped: it declares no guardrail,
/// calls no module that does, and no kept module reads it.
fn parse_terraform(s: &mut Scan, deferred: &[Deferred], filters: bool, opts: &Options) {
    use std::collections::{BTreeMap, BTreeSet};
    if deferred.is_empty() {
        return;
    }
    let norm = |p: &std::path::Path| crate::tf::normalize_dir(p);
    // `--known-module` sources, as the evaluation reads them
    let known = {
        let mut b = globset::GlobSetBuilder::new();
        for g in &opts.tf.known_modules {
            if let Ok(g) = globset::Glob::new(g) {
                b.add(g);
            }
        }
        b.build().ok()
    };
    let mut by_dir: BTreeMap<PathBuf, Vec<&Deferred>> = BTreeMap::new();
    for d in deferred {
        by_dir.entry(norm(&d.dir)).or_default().push(d);
    }
    let module_dirs = crate::tf::ModuleDirs::new(by_dir.keys(), &s.roots);
    let mut declaring: BTreeSet<PathBuf> = by_dir
        .iter()
        .filter(|(_, fs)| fs.iter().any(|d| d.marks.hcl || (filters && d.marks.alarm)))
        .map(|(k, _)| k.clone())
        .collect();
    // first the files that declare or call; the other files of a directory once it is kept
    let mut to_parse: BTreeSet<PathBuf> = declaring.clone();
    let mut bodies: BTreeMap<crate::source::FileId, (PathBuf, hcl_edit::structure::Body)> = BTreeMap::new();
    let mut calls: BTreeMap<PathBuf, BTreeSet<(PathBuf, String)>> = BTreeMap::new();
    let mut refs: BTreeMap<PathBuf, crate::tf::ModuleRefs> = BTreeMap::new();
    // files parsed once (their calls, references and diagnostics are known)
    let mut parsed: BTreeSet<crate::source::FileId> = BTreeSet::new();
    let mut first_round = true;
    let ignored = |t: &str| {
        !discover::HCL_MARKERS.iter().any(|m| t.contains(m))
            && t != "aws_iam_policy_document"
            && !(filters && t == "aws_cloudwatch_metric_alarm")
    };
    loop {
        // a file of a kept directory without its body, and in the first round every file with
        // a module call (parsed for its calls only: its body is dropped unless its directory
        // is kept, which bounds memory)
        let batch: Vec<(&Deferred, bool)> = by_dir
            .iter()
            .flat_map(|(dir, fs)| {
                let whole = to_parse.contains(dir);
                fs.iter()
                    .copied()
                    .filter(move |d| whole || (first_round && d.marks.module))
                    .map(move |d| (d, whole))
            })
            .filter(|(d, _)| {
                let failed = parsed.contains(&d.id) && s.files.get(d.file).is_some_and(|f| f.kind == Kind::Unreadable);
                !bodies.contains_key(&d.id) && !failed
            })
            .collect();
        first_round = false;
        if batch.is_empty() {
            break;
        }
        let sources = &s.sources;
        let results = par_map(
            &batch,
            opts.threads,
            |_, (d, whole)| {
                let _current = CurrentFile::set(&sources.get(d.id).display);
                let mut m = Model::default();
                let text = &sources.get(d.id).text;
                let body = crate::tf::parse(d.id, text, &mut m);
                let facts = body
                    .as_ref()
                    .map(|b| (crate::tf::module_calls(b), crate::tf::module_refs(text, b, ignored)));
                (body.filter(|_| *whole), facts, m)
            },
            |_| {},
        );
        for ((d, _), (body, facts, m)) in batch.into_iter().zip(results) {
            if !parsed.insert(d.id) {
                // parsed again now that its directory is kept: calls and diagnostics are known
                if let Some(body) = body {
                    bodies.insert(d.id, (d.dir.clone(), body));
                }
                continue;
            }
            let Some((module_calls, r)) = facts else {
                let display = s.sources.get(d.id).display.clone();
                let mut m = m;
                if d.marks.hcl || d.marks.module || d.marks.alarm || crate::tf::is_override(&display) {
                    tf_unread(d.id, &display, &mut m);
                }
                s.model.extend(m);
                if let Some(f) = s.files.get_mut(d.file) {
                    f.kind = Kind::Unreadable;
                }
                continue;
            };
            s.model.extend(m);
            let dir = norm(&d.dir);
            for (name, src, version) in module_calls {
                if src.starts_with("./") || src.starts_with("../") {
                    // by real path: a module reached through a symlink is its target's module
                    match module_dirs.resolve(&dir, &src) {
                        Ok(target) => {
                            calls.entry(dir.clone()).or_default().insert((target, name));
                        }
                        // refused when evaluated: kept, so that the refusal is reported
                        Err(_) => {
                            declaring.insert(dir.clone());
                        }
                    }
                } else if !known.as_ref().is_some_and(|k| k.is_match(&src)) && crate::tf::known::vouches(&src, version.as_deref()).is_none()
                {
                    // a registry or git module may declare anything, unless listed or vouched for
                    declaring.insert(dir.clone());
                }
            }
            let all = refs.entry(dir).or_default();
            all.base.extend(r.base);
            all.outputs.extend(r.outputs);
            for (k, v) in r.calls {
                all.calls.entry(k).or_default().extend(v);
            }
            if let Some(body) = body {
                bodies.insert(d.id, (d.dir.clone(), body));
            }
        }
        // keep the declaring directories and their callers, direct or not …
        let mut keep = declaring.clone();
        loop {
            let callers: Vec<PathBuf> = calls
                .iter()
                .filter(|(c, callees)| !keep.contains(*c) && callees.iter().any(|(x, _)| keep.contains(x)))
                .map(|(c, _)| c.clone())
                .collect();
            if callers.is_empty() {
                break;
            }
            keep.extend(callers);
        }
        // … and the modules a kept module takes values from: referred to by what it reads, by
        // its outputs when it is called, or by the arguments of a call to a kept module
        let called: BTreeSet<&PathBuf> = calls.values().flatten().map(|(c, _)| c).collect();
        loop {
            let mut more = Vec::new();
            for d in &keep {
                let (Some(r), Some(cs)) = (refs.get(d), calls.get(d)) else {
                    continue;
                };
                let mut used: BTreeSet<&String> = r.base.iter().collect();
                if called.contains(d) {
                    used.extend(&r.outputs);
                }
                for (c, name) in cs {
                    if keep.contains(c) {
                        used.extend(r.calls.get(name).into_iter().flatten());
                    }
                }
                more.extend(
                    cs.iter()
                        .filter(|(c, name)| !keep.contains(c) && used.contains(name))
                        .map(|(c, _)| c.clone()),
                );
            }
            if more.is_empty() {
                break;
            }
            keep.extend(more);
        }
        to_parse = keep.into_iter().filter(|d| by_dir.contains_key(d)).collect();
    }
    for (id, (dir, body)) in bodies {
        if to_parse.contains(&norm(&dir)) {
            s.tf_files.push(crate::tf::TfFile { id, dir, body });
        }
    }
    s.tf_files.sort_by_key(|f| f.id);
    let bytes: usize = parsed.iter().map(|id| s.sources.get(*id).text.len()).sum();
    crate::timings::count("Terraform files", deferred.len());
    crate::timings::count("Terraform files parsed", parsed.len());
    crate::timings::count("Terraform bytes parsed", bytes);
    crate::timings::count("Terraform files evaluated", s.tf_files.len());
    s.pruned = by_dir.into_keys().filter(|d| !to_parse.contains(d)).collect();
}

/// Read one file outside the parallel phase (modules installed by `terraform init`), parsed
/// whatever its markers.
fn read_one(s: &mut Scan, f: &discover::Found, opts: &Options) -> Kind {
    if discover::syntax_of(&f.path) == Syntax::None {
        return Kind::NotRead;
    }
    let id = crate::source::FileId(u32::try_from(s.sources.len()).unwrap_or(u32::MAX));
    let l = load(id, f, opts, &s.roots, false);
    let p = l.readable.then(|| parse_loaded(id, f, &l));
    s.sources.add(f.path.clone(), f.display.clone(), l.text, l.enc);
    s.model.extend(l.model);
    p.map_or(Kind::Unreadable, |p| absorb(s, p))
}

/// A parsed file joins the scan: its declarations, its Terraform body or variable file.
fn absorb(s: &mut Scan, p: Parsed) -> Kind {
    s.model.extend(p.model);
    if let Some(t) = p.tf {
        s.tf_files.push(t);
    }
    if let Some(v) = p.var {
        s.var_files.push(v);
    }
    p.kind
}

fn is_json(syntax: Syntax, text: &str) -> bool {
    match syntax {
        Syntax::Json | Syntax::TfVarsJson => true,
        Syntax::Yaml => false,
        _ => embedded::sniff(text) == embedded::Syntax::Json,
    }
}

fn parse_loaded(id: crate::source::FileId, f: &discover::Found, l: &Loaded) -> Parsed {
    let mut p = Parsed {
        kind: Kind::Unreadable,
        model: Model::default(),
        tf: None,
        var: None,
    };
    // each file is evaluated on a budget of its own: the same whatever else the scan holds and
    // whatever thread reads it
    let (kind, notes) = crate::limits::scoped(|| parse_file(id, &l.text, l.syntax, f, &mut p.model, &mut p.tf, &mut p.var));
    p.kind = kind;
    p.model.add_eval_notes(notes, format_of(kind), &format!("`{}`", f.display));
    p
}

/// The format of a file's declarations, by what the file is.
fn format_of(kind: Kind) -> model::Format {
    match kind {
        Kind::ConformancePack => model::Format::ConformancePack,
        Kind::PolicyDocument => model::Format::PolicyJson,
        Kind::TerraformPlan => model::Format::TerraformPlan,
        Kind::Terraform | Kind::TerraformVars | Kind::Terragrunt => model::Format::Terraform,
        _ => model::Format::CloudFormation,
    }
}

/// A file that could not be read: a diagnostic, and as it may declare any guardrail (or set
/// the variables one depends on), every guardrail is unknown, not missing.
fn refused(at: Span, display: &str, syntax: Syntax, e: &ReadError, m: &mut Model) {
    m.diagnostics.push(FileDiagnostic {
        diag: Diagnostic::error(at, e.code(), format!("the file {}", e.reason())),
        relevant: true,
    });
    unread(at, display, syntax, format!("`{display}` was not read: it {}", e.reason()), m);
}

/// What was not read (`why`) may declare any guardrail: every guardrail is unknown, not missing.
fn unread(at: Span, display: &str, syntax: Syntax, why: String, m: &mut Model) {
    use crate::model::{Format, OpaqueTemplate, Origin};
    let terraform = matches!(
        syntax,
        Syntax::Hcl | Syntax::HclJson | Syntax::TfVars | Syntax::TfVarsJson | Syntax::Terragrunt
    );
    m.opaque_templates.push(OpaqueTemplate {
        origin: Origin {
            format: if terraform { Format::Terraform } else { Format::CloudFormation },
            name: display.to_owned(),
            loc: Loc::new(at, ""),
            via: Vec::new(),
            gates: Vec::new(),
        },
        kind: "file",
        reference: why,
        known_clean: false,
        resource_type: String::new(),
    });
}

/// A Terraform file the parser refused (its diagnostic is the last of `m` for `id`), with a
/// guardrail marker or a module call: its module directory is not fully read, so whatever
/// guardrail it could declare is unknown, never missing. The reason names the file and the
/// parser's message, at its position. An override file may change any block: it is always
/// such a source. (Any other file without a marker declares no guardrail and calls no module;
/// what the rest of its module reads from it is not defined, so unknown.)
fn tf_unread(id: crate::source::FileId, display: &str, m: &mut Model) {
    let (at, msg) = m
        .diagnostics
        .iter()
        .rev()
        .find(|d| d.diag.span.file == id)
        .map_or((Span::new(id, 0, 0), "it could not be parsed".to_owned()), |d| {
            (d.diag.span, d.diag.message.clone())
        });
    let name = std::path::Path::new(display)
        .file_name()
        .map_or_else(|| display.to_owned(), |n| n.to_string_lossy().into_owned());
    unread(at, display, Syntax::Hcl, format!("`{name}` could not be read: {msg}"), m);
}

/// Read and decode one file that will have file id `id`, confined to the scanned `roots`, and
/// look for its markers. A `link` (a symlink to a file scanned under its own path) is not read.
fn load(id: crate::source::FileId, f: &discover::Found, opts: &Options, roots: &Roots, link: bool) -> Loaded {
    // debug builds only: a way for the tests to reach the internal-error path
    #[cfg(debug_assertions)]
    #[allow(clippy::panic)]
    if let Some(p) = std::env::var_os("ROOTGUARD_TEST_PANIC_ON")
        && f.display.ends_with(&*p.to_string_lossy())
    {
        panic!("test panic");
    }
    let syntax = discover::syntax_of(&f.path);
    let empty = |model| Loaded {
        text: String::new(),
        enc: crate::source::Encoding::Utf8,
        model,
        readable: false,
        syntax,
        marks: discover::Marks::default(),
        link: false,
    };
    if link {
        // the same file as one scanned under its own path: read there, once
        return Loaded {
            link: true,
            ..empty(Model::default())
        };
    }
    let (text, enc) = match crate::source::read_confined(&f.path, Confine::Walked(roots), opts.max_file_bytes) {
        Ok(r) => r,
        Err(e) => {
            let mut m = Model::default();
            refused(Span::new(id, 0, 0), &f.display, syntax, &e, &mut m);
            return empty(m);
        }
    };
    let m = Model::default();
    let marks = discover::Marks::of(&text, syntax, is_json(syntax, &text));
    Loaded {
        text,
        enc,
        model: m,
        readable: true,
        syntax,
        marks,
        link: false,
    }
}

fn parse_file(
    id: crate::source::FileId,
    text: &str,
    syntax: Syntax,
    f: &discover::Found,
    out: &mut Model,
    tf: &mut Option<crate::tf::TfFile>,
    var: &mut Option<crate::tf::VarFile>,
) -> Kind {
    let dir = f.path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
    match syntax {
        Syntax::Hcl => {
            return if let Some(body) = crate::tf::parse(id, text, out) {
                *tf = Some(crate::tf::TfFile { id, dir, body });
                Kind::Terraform
            } else {
                let marks = discover::Marks::of(text, Syntax::Hcl, false);
                if marks.hcl || marks.module || marks.alarm || crate::tf::is_override(&f.display) {
                    tf_unread(id, &f.display, out);
                }
                Kind::Unreadable
            };
        }
        Syntax::HclJson => {
            out.diagnostics.push(FileDiagnostic {
                diag: Diagnostic::warning(
                    Span::new(id, 0, 0),
                    "terraform-json",
                    "Terraform JSON syntax (`.tf.json`) is not analyzed yet; guardrails declared here are not seen",
                ),
                relevant: true,
            });
            // a file that could declare a guardrail, call a module that does, or override
            // any block of its module is not read: what it could declare is unknown
            let markers = discover::HCL_MARKERS.iter().chain(&discover::ALARM_MARKERS);
            let lower = name.to_ascii_lowercase();
            if markers.clone().any(|m| text.contains(m))
                || text.contains("\"module\"")
                || lower.starts_with("override.")
                || lower.contains("_override.")
            {
                unread(
                    Span::new(id, 0, 0),
                    &f.display,
                    Syntax::HclJson,
                    format!("`{name}` was not read: Terraform JSON syntax is not analyzed yet"),
                    out,
                );
            }
            return Kind::Terraform;
        }
        Syntax::TfVars => {
            return if let Some(body) = crate::tf::parse(id, text, out) {
                *var = Some(crate::tf::VarFile::from_hcl(id, dir, name, &body));
                Kind::TerraformVars
            } else {
                *var = Some(crate::tf::VarFile::unreadable(id, dir, name, "could not be parsed".into()));
                Kind::Unreadable
            };
        }
        // evaluated with the other units once every file is read (`tf::terragrunt::units`)
        Syntax::Terragrunt => return Kind::Terragrunt,
        Syntax::TfVarsJson => {
            let p = parse::json::parse(id, text, 0);
            return if let Some(root) = p.root {
                *var = Some(crate::tf::VarFile::from_json(id, dir, name, &root));
                Kind::TerraformVars
            } else {
                model::cfn::diagnostics(p.diagnostics, true, out);
                *var = Some(crate::tf::VarFile::unreadable(id, dir, name, "could not be parsed".into()));
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
        model::cfn::diagnostics(parsed.diagnostics, relevant, out);
        return Kind::Unreadable;
    };
    let kind = discover::classify(&root);
    let m = out;
    let relevant = !matches!(kind, Kind::Other);
    model::cfn::diagnostics(parsed.diagnostics, relevant, m);
    match kind {
        Kind::CloudFormation => model::cfn::template(text, &root, &model::cfn::Ctx::file(model::Format::CloudFormation), m),
        Kind::ConformancePack => model::cfn::pack_file(text, &root, &f.display, m),
        Kind::PolicyDocument => model::cfn::policy_file(text, &root, &f.display, m),
        Kind::TerraformPlan => crate::tf::plan::plan(text, &root, m),
        _ => {}
    }
    kind
}

/// Read one file given in memory as a scan reads it from disk: parse by its name, model, and
/// evaluate a Terraform file as a one-file root module. For the fuzz targets and tests.
#[must_use]
pub fn one_text(name: &str, text: String) -> Scan {
    let path = PathBuf::from(name);
    let f = discover::Found {
        path: path.clone(),
        display: name.to_owned(),
        symlink: false,
    };
    let mut s = Scan::default();
    let id = s.sources.add(path, name.to_owned(), text, crate::source::Encoding::Utf8);
    let text = s.sources.get(id).text.clone();
    let syntax = discover::syntax_of(&f.path);
    let (mut m, mut tf, mut var) = (Model::default(), None, None);
    let (kind, notes) = crate::limits::scoped(|| parse_file(id, &text, syntax, &f, &mut m, &mut tf, &mut var));
    m.add_eval_notes(notes, format_of(kind), &format!("`{name}`"));
    s.model.extend(m);
    s.files.push(FileInfo { display: f.display, kind });
    // a Terragrunt unit, evaluated with no scanned tree to read from: what it includes or
    // reads is outside, so unknown
    let mut tf_opts = crate::tf::Options::default();
    if kind == Kind::Terragrunt {
        tf_opts.units = crate::tf::terragrunt::units(&mut s.sources, &[id], &[], DEFAULT_MAX_FILE_BYTES, &mut s.model);
    }
    if tf.is_some() || !tf_opts.units.is_empty() {
        s.tf_files.extend(tf);
        let mut m = Model::default();
        let _ = crate::tf::analyze(
            &s.sources,
            &s.tf_files,
            &[],
            &[],
            &crate::tf::Installed::new(),
            &tf_opts,
            None,
            &mut m,
        );
        s.model.extend(m);
    }
    crate::tf::plan::relocate(&mut s.model);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::tf::testing::at;

    /// What a classification row looks for in the model of the file: a value, and its span.
    type Query = fn(&Model) -> Option<(String, Span)>;

    /// The first diagnostic: its code, and where it is.
    fn first_diagnostic(m: &Model) -> Option<(String, Span)> {
        let d = m.diagnostics.first()?;
        Some((d.diag.code.to_owned(), d.diag.span))
    }

    /// The first config rule's identifier, and where it is.
    fn rule_identifier(m: &Model) -> Option<(String, Span)> {
        let p = &m.config_rules.first()?.identifier;
        Some((crate::tf::testing::value(p), p.loc.as_ref()?.span))
    }

    #[test]
    fn files_are_classified_by_name_and_content() {
        const CFN: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Mfa:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED\n";
        const PACK: &str = "Resources:\n  Mfa:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\n";
        const SCP: &str =
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}]\n}\n";
        // (file, text) → kind, and what its model holds first, where
        let cases: &[(&str, &str, Kind, Query, &str, &str)] = &[
            (
                "stack.yaml",
                CFN,
                Kind::CloudFormation,
                rule_identifier,
                "\"ROOT_ACCOUNT_MFA_ENABLED\"",
                "stack.yaml:8:27-8:51 `ROOT_ACCOUNT_MFA_ENABLED`",
            ),
            (
                "pack.yaml",
                PACK,
                Kind::ConformancePack,
                rule_identifier,
                "\"ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\"",
                "pack.yaml:7:27-7:60 `ROOT_ACCOUNT_HARDWARE_MFA_ENABLED`",
            ),
            (
                "scp.json",
                SCP,
                Kind::PolicyDocument,
                |m| {
                    let p = &m.policies.first()?.content.statements.first()?.effect;
                    Some((crate::tf::testing::value(p), p.loc.as_ref()?.span))
                },
                "\"Deny\"",
                "scp.json:3:28-3:34 `\"Deny\"`",
            ),
            (
                "broken.yaml",
                "Resources:\n  Mfa: [1,\n",
                Kind::Unreadable,
                first_diagnostic,
                "syntax",
                "broken.yaml:3:1-3:1 ``",
            ),
            (
                "main.tf.json",
                "{\"resource\": {}}",
                Kind::Terraform,
                first_diagnostic,
                "terraform-json",
                "main.tf.json:1:1-1:1 ``",
            ),
            (
                "main.tf",
                "resource \"x\" {\n",
                Kind::Unreadable,
                first_diagnostic,
                "syntax",
                "main.tf:1:15-1:15 ``",
            ),
            (
                "terraform.tfvars",
                "region = \n",
                Kind::Unreadable,
                first_diagnostic,
                "syntax",
                "terraform.tfvars:1:10-1:10 ``",
            ),
            (
                "plan.json",
                "{\n  \"format_version\": \"1.2\",\n  \"terraform_version\": \"1.9.0\",\n  \"planned_values\": {\"root_module\": {\"resources\": [{\n    \"address\": \"aws_config_config_rule.mfa\",\n    \"mode\": \"managed\",\n    \"type\": \"aws_config_config_rule\",\n    \"name\": \"mfa\",\n    \"values\": {\"source\": [{\"owner\": \"AWS\", \"source_identifier\": \"ROOT_ACCOUNT_MFA_ENABLED\"}]}\n  }]}}\n}\n",
                Kind::TerraformPlan,
                rule_identifier,
                "\"ROOT_ACCOUNT_MFA_ENABLED\"",
                "plan.json:9:65-9:91 `\"ROOT_ACCOUNT_MFA_ENABLED\"`",
            ),
            (
                "plan.json",
                "{\"format_version\": \"2.0\", \"terraform_version\": \"1.9.0\", \"planned_values\": {}}",
                Kind::TerraformPlan,
                first_diagnostic,
                "plan-format",
                "plan.json:1:20-1:25 `\"2.0\"`",
            ),
        ];
        let mut wrong = Vec::new();
        for (name, text, kind, query, want, want_at) in cases {
            let f = discover::Found {
                path: PathBuf::from(name),
                display: (*name).to_owned(),
                symlink: false,
            };
            let mut sources = Sources::new();
            let id = sources.add(f.path.clone(), f.display.clone(), (*text).to_owned(), crate::source::Encoding::Utf8);
            let (mut m, mut tf, mut var) = (Model::default(), None, None);
            let syntax = discover::syntax_of(&f.path);
            let found = crate::limits::scoped(|| parse_file(id, text, syntax, &f, &mut m, &mut tf, &mut var)).0;
            let q = query(&m).map(|(v, span)| (v, at(&sources, span)));
            if found != *kind || q != Some(((*want).to_owned(), (*want_at).to_owned())) {
                wrong.push(format!("{name}: {found:?}, {q:?}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn a_variable_file_that_does_not_parse_is_unreadable() {
        let f = discover::Found {
            path: PathBuf::from("live/terraform.tfvars"),
            display: "live/terraform.tfvars".into(),
            symlink: false,
        };
        let (mut m, mut tf, mut var) = (Model::default(), None, None);
        let kind = parse_file(FileId(0), "region = \n", Syntax::TfVars, &f, &mut m, &mut tf, &mut var);
        let var = var.unwrap();
        assert_eq!(
            (kind, var.dir, var.name.as_str(), var.unreadable.as_deref()),
            (
                Kind::Unreadable,
                PathBuf::from("live"),
                "terraform.tfvars",
                Some("could not be parsed")
            )
        );
        assert_eq!(
            (format_of(Kind::TerraformVars), format_of(Kind::PolicyDocument)),
            (model::Format::Terraform, model::Format::PolicyJson)
        );
    }

    /// The Terraform files of `files` (path, text) that `parse_terraform` keeps for evaluation,
    /// and the module directories it prunes.
    fn prune(files: &[(&str, &str)], known: &[&str]) -> (Vec<String>, Vec<String>) {
        let mut s = Scan::default();
        let mut deferred = Vec::new();
        for (path, text) in files {
            let id = s.sources.add(
                PathBuf::from(path),
                (*path).to_owned(),
                (*text).to_owned(),
                crate::source::Encoding::Utf8,
            );
            deferred.push(Deferred {
                id,
                file: s.files.len(),
                dir: PathBuf::from(path).parent().map(std::path::Path::to_path_buf).unwrap_or_default(),
                marks: discover::Marks::of(text, Syntax::Hcl, false),
            });
            s.files.push(FileInfo {
                display: (*path).to_owned(),
                kind: Kind::Terraform,
            });
        }
        let filters = deferred.iter().any(|d| d.marks.filter);
        let mut opts = Options::default();
        opts.tf.known_modules = known.iter().map(|k| (*k).to_owned()).collect();
        parse_terraform(&mut s, &deferred, filters, &opts);
        let kept = s.tf_files.iter().map(|f| s.sources.get(f.id).display.clone()).collect();
        let pruned = s.pruned.iter().map(|d| d.to_string_lossy().into_owned()).collect();
        (kept, pruned)
    }

    #[test]
    fn terraform_directories_are_kept_or_pruned() {
        const SCP: &str = "resource \"aws_organizations_policy\" \"scp\" {\n  content = \"{}\"\n}\n";
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str], &'a [&'a str], &'a [&'a str]);
        // (case, files, --known-module) → files evaluated, directories pruned
        let cases: &[Case<'_>] = &[
            (
                "a module that declares nothing and that nothing reads is pruned",
                &[
                    ("live/main.tf", "module \"net\" {\n  source = \"../mods/net\"\n}\n"),
                    ("live/scp.tf", SCP),
                    ("mods/net/main.tf", "resource \"aws_vpc\" \"v\" {}\n"),
                ],
                &[],
                &["live/main.tf", "live/scp.tf"],
                &["mods/net"],
            ),
            (
                "the caller of a declaring module is kept, with every file of it",
                &[
                    ("live/main.tf", "module \"org\" {\n  source = \"../mods/org\"\n}\n"),
                    ("live/vpc.tf", "resource \"aws_vpc\" \"v\" {}\n"),
                    ("mods/org/scp.tf", SCP),
                ],
                &[],
                &["live/main.tf", "live/vpc.tf", "mods/org/scp.tf"],
                &[],
            ),
            (
                "a module whose output a kept module reads is kept",
                &[
                    (
                        "live/main.tf",
                        "module \"doc\" {\n  source = \"../mods/doc\"\n}\nlocals {\n  content = module.doc.json\n}\n",
                    ),
                    ("live/scp.tf", SCP),
                    ("mods/doc/main.tf", "output \"json\" {\n  value = \"{}\"\n}\n"),
                ],
                &[],
                &["live/main.tf", "live/scp.tf", "mods/doc/main.tf"],
                &[],
            ),
            (
                "a registry module may declare anything: its caller is kept",
                &[("live/main.tf", "module \"x\" {\n  source = \"acme/x/aws\"\n}\n")],
                &[],
                &["live/main.tf"],
                &[],
            ),
            (
                "unless it is known not to",
                &[("live/main.tf", "module \"x\" {\n  source = \"acme/x/aws\"\n}\n")],
                &["acme/*"],
                &[],
                &["live"],
            ),
            (
                "an alarm alone declares nothing",
                &[("alarms/main.tf", "resource \"aws_cloudwatch_metric_alarm\" \"a\" {}\n")],
                &[],
                &[],
                &["alarms"],
            ),
            (
                "an alarm counts when the scan holds a metric filter",
                &[
                    ("alarms/main.tf", "resource \"aws_cloudwatch_metric_alarm\" \"a\" {}\n"),
                    ("logs/main.tf", "resource \"aws_cloudwatch_log_metric_filter\" \"f\" {}\n"),
                ],
                &[],
                &["alarms/main.tf", "logs/main.tf"],
                &[],
            ),
            (
                "a module whose output is an argument of a call to a kept module is kept",
                &[
                    (
                        "live/main.tf",
                        "module \"org\" {\n  source = \"../mods/org\"\n  ou     = module.ous.root\n}\nmodule \"ous\" {\n  source = \"../mods/ous\"\n}\nmodule \"net\" {\n  source = \"../mods/net\"\n}\n",
                    ),
                    ("mods/org/scp.tf", SCP),
                    ("mods/ous/main.tf", "output \"root\" {\n  value = \"r-abcd\"\n}\n"),
                    ("mods/net/main.tf", "resource \"aws_vpc\" \"v\" {}\n"),
                ],
                &[],
                &["live/main.tf", "mods/org/scp.tf", "mods/ous/main.tf"],
                &["mods/net"],
            ),
            (
                "a called module's outputs keep the modules they read",
                &[
                    ("live/main.tf", "module \"org\" {\n  source = \"../mods/org\"\n}\n"),
                    (
                        "mods/org/scp.tf",
                        "resource \"aws_organizations_policy\" \"scp\" {\n  content = \"{}\"\n}\nmodule \"ids\" {\n  source = \"../ids\"\n}\noutput \"ids\" {\n  value = module.ids.all\n}\n",
                    ),
                    ("mods/ids/main.tf", "output \"all\" {\n  value = []\n}\n"),
                ],
                &[],
                &["live/main.tf", "mods/org/scp.tf", "mods/ids/main.tf"],
                &[],
            ),
            (
                "but not those of a root module, whose outputs nothing reads",
                &[
                    (
                        "mods/org/scp.tf",
                        "resource \"aws_organizations_policy\" \"scp\" {\n  content = \"{}\"\n}\nmodule \"ids\" {\n  source = \"../ids\"\n}\noutput \"ids\" {\n  value = module.ids.all\n}\n",
                    ),
                    ("mods/ids/main.tf", "output \"all\" {\n  value = []\n}\n"),
                ],
                &[],
                &["mods/org/scp.tf"],
                &["mods/ids"],
            ),
        ];
        let mut wrong = Vec::new();
        for (name, files, known, kept, pruned) in cases {
            let found = prune(files, known);
            if found.0 != *kept || found.1 != *pruned {
                wrong.push(format!("{name}: {found:?}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}

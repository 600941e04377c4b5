//! What every module instance of one Terraform evaluation shares: the files and modules, the
//! values kept for policy analysis, the files read, and the stack of values under evaluation
//! (a value read again while it is evaluated is a reference cycle).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use super::dirs::{ModuleDirs, normalize};
use super::error::FileError;
use super::installed::Installed;
use super::{Options, TfFile};
use crate::model::Loc;
use crate::parse::Diagnostic;
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, Sources, Span};

pub(crate) struct World<'a> {
    pub sources: &'a Sources,
    /// The primary files of each module directory (override files are merged, not read).
    pub modules: BTreeMap<PathBuf, Vec<&'a TfFile>>,
    /// The override blocks of each module directory.
    pub overrides: BTreeMap<PathBuf, super::overrides::Overrides<'a>>,
    pub structured: RefCell<BTreeMap<Span, Node>>,
    /// The statements a policy document's code writes and a value switches off, or may, by the
    /// span of the document's text (as `structured`).
    pub switched: RefCell<BTreeMap<Span, super::policy_document::Switched>>,
    pub installed: &'a Installed,
    pub known: Option<globset::GlobSet>,
    /// The scanned paths: `file()` and `templatefile()` read only below them.
    pub roots: Vec<PathBuf>,
    /// The same, resolved, for the reader.
    pub confine: crate::source::Roots,
    pub max_file_bytes: u64,
    /// Scanned files read by `file()` / `templatefile()` (their own declarations are the module's).
    pub consumed: RefCell<BTreeSet<FileId>>,
    /// The span of a `file()` call → the scanned file it read.
    pub file_reads: RefCell<BTreeMap<Span, FileId>>,
    /// Why the targets of policies without an attachment of their own are not known: an
    /// attachment whose policy is not a resource of its own module instance, or attachments
    /// beyond the `instances` limit.
    pub unlinked_attachment: RefCell<Option<(String, Loc)>>,
    pub pruned: &'a BTreeSet<PathBuf>,
    /// Module directories by real path.
    pub dirs: ModuleDirs,
    /// The values under evaluation, innermost last (`local.a`, `module.m.var.x`,
    /// `module.m.output.y`, `data.aws_iam_policy_document.d`): reading one of them again is a
    /// reference cycle.
    pub stack: RefCell<Vec<String>>,
    /// The values found in a reference cycle, with the cycle: all of them are unknown.
    pub cyclic: RefCell<BTreeMap<String, String>>,
    /// The nesting an evaluation starts at: that of the reference being evaluated.
    pub depth: Cell<usize>,
}

impl<'a> World<'a> {
    /// The world of an evaluation of `modules` (by directory), with the modules `terraform
    /// init` installed and the module directories by real path.
    pub(super) fn new(
        sources: &'a Sources,
        modules: BTreeMap<PathBuf, Vec<&'a TfFile>>,
        installed: &'a Installed,
        opts: &'a Options,
        dirs: ModuleDirs,
    ) -> Self {
        let known = if opts.known_modules.is_empty() {
            None
        } else {
            let mut b = globset::GlobSetBuilder::new();
            for g in &opts.known_modules {
                if let Ok(g) = globset::Glob::new(g) {
                    b.add(g);
                }
            }
            b.build().ok()
        };
        World {
            sources,
            modules,
            overrides: BTreeMap::new(),
            structured: RefCell::new(BTreeMap::new()),
            switched: RefCell::new(BTreeMap::new()),
            installed,
            known,
            roots: opts.roots.clone(),
            confine: crate::source::Roots::new(&opts.roots),
            max_file_bytes: opts.max_file_bytes.unwrap_or(crate::limits::DEFAULT_MAX_FILE_BYTES),
            consumed: RefCell::new(BTreeSet::new()),
            file_reads: RefCell::new(BTreeMap::new()),
            unlinked_attachment: RefCell::new(None),
            pruned: &opts.pruned,
            dirs,
            stack: RefCell::new(Vec::new()),
            cyclic: RefCell::new(BTreeMap::new()),
            depth: Cell::new(0),
        }
    }
}

impl World<'_> {
    /// Read `path` (relative to the module directory `dir`) for `file()` / `templatefile()`
    /// at `at`: only inside the scanned tree; a file the scan read is taken as read, and
    /// becomes the module's (its own declarations are dropped).
    pub(super) fn read_file(&self, dir: &Path, path: &str, at: Span) -> Result<String, FileError> {
        let p = Path::new(path);
        if p.is_absolute() {
            return Err(FileError::Absolute(path.to_owned()));
        }
        let full = normalize(&dir.join(p));
        let inside = |root: &PathBuf| {
            let r = normalize(root);
            r.as_os_str().is_empty()
                || full.starts_with(&r)
                || (r == Path::new(".") && full.components().next() != Some(Component::ParentDir))
        };
        if full.components().next() == Some(Component::ParentDir) || !self.roots.iter().any(inside) {
            return Err(FileError::Outside(path.to_owned()));
        }
        // a file the scan read: its text as read (limits and encodings applied); one it could
        // not read (empty text) is read again below, to say why
        for f in self.sources.iter() {
            if !f.text.is_empty() && normalize(&f.path) == full {
                self.consumed.borrow_mut().insert(f.id);
                self.file_reads.borrow_mut().insert(at, f.id);
                return Ok(f.text.clone());
            }
        }
        // a file the scan did not read: through the one confined reader (a regular file whose
        // real path is inside the scanned tree, within the size limit)
        crate::source::read_confined(&full, crate::source::Confine::Within(&self.confine), self.max_file_bytes)
            .map(|(text, _)| text)
            .map_err(|error| FileError::Unreadable {
                path: path.to_owned(),
                error,
            })
    }

    /// Is this module source known to declare no guardrail: listed under `known-modules`, or
    /// vouched for by the shipped list (`known-modules.tsv`) at every version `version` allows?
    pub fn known_clean(&self, source: &str, version: Option<&str>) -> bool {
        self.known.as_ref().is_some_and(|g| g.is_match(source)) || super::known::vouches(source, version).is_some()
    }

    /// Start evaluating the value named `key`, read at `at` by an evaluation at nesting `depth`.
    /// A value already under evaluation is a reference cycle: a diagnostic names the chain as
    /// Terraform does (`Cycle: local.a, local.b`), and the value read is unknown.
    pub fn enter(&self, key: String, depth: usize, at: Span) -> Result<Entered<'_>, Node> {
        let mut stack = self.stack.borrow_mut();
        if let Some(i) = stack.iter().position(|k| *k == key) {
            let chain = stack[i..].join(", ");
            crate::limits::note(Diagnostic::error(
                at,
                "cycle",
                format!("Cycle: {chain}: these values refer to each other, which Terraform rejects; rootguard takes them as unknown"),
            ));
            let why = format!("a reference cycle (Cycle: {chain})");
            let mut cyclic = self.cyclic.borrow_mut();
            for k in &stack[i..] {
                cyclic.entry(k.clone()).or_insert_with(|| why.clone());
            }
            return Err(Node::new(at, Value::unknown(why)));
        }
        stack.push(key);
        let prev = self.depth.replace(depth + 1);
        Ok(Entered {
            stack: &self.stack,
            depth: &self.depth,
            prev,
        })
    }

    /// The value evaluated for `key`, or an unknown one when `key` turned out to be in a
    /// reference cycle (its value would depend on itself).
    pub(super) fn settle(&self, key: &str, v: Node) -> Node {
        match self.cyclic.borrow().get(key) {
            Some(why) => Node::new(v.span, Value::unknown(why.clone())),
            None => v,
        }
    }
}

/// A value under evaluation (see [`World::enter`]); leaves the stack when dropped.
pub(crate) struct Entered<'w> {
    stack: &'w RefCell<Vec<String>>,
    depth: &'w Cell<usize>,
    prev: usize,
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        self.stack.borrow_mut().pop();
        self.depth.set(self.prev);
    }
}

//! Pull-request mode's only subprocess: `git`, to read the tree of the base revision into a
//! scratch directory (the working tree is never touched).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Action, Error};

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, Error> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::Usage(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(Error::Usage(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

/// The top of the git checkout holding `path`.
///
/// # Errors
/// When `path` is not inside a git checkout.
pub fn toplevel(path: &Path) -> Result<PathBuf, Error> {
    let dir = if path.is_file() {
        path.parent().unwrap_or(Path::new("."))
    } else {
        path
    };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let out = git(dir, &["rev-parse", "--show-toplevel"])?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim()))
}

/// The files git tracks below `dir`, relative to it (`git ls-files`).
///
/// # Errors
/// When git cannot be run or `dir` is not in a work tree.
pub fn tracked(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    // repository configuration cannot make this run anything (`core.fsmonitor`)
    let out = git(dir, &["-c", "core.fsmonitor=false", "ls-files", "-z", "--cached", "--", "."])?;
    Ok(out
        .split(|b| *b == 0)
        .filter(|r| !r.is_empty())
        .map(|r| PathBuf::from(String::from_utf8_lossy(r).into_owned()))
        .filter(|p| p.components().all(|c| matches!(c, std::path::Component::Normal(_))))
        .collect())
}

/// The files below a `.terraform/modules` directory that differ between `rev` and the work
/// tree: (status letter `A`/`M`/`D`/…, path relative to `root`), in path order.
///
/// # Errors
/// When git cannot be run or `rev` is unknown.
pub fn vendored_changes(root: &Path, rev: &str) -> Result<Vec<(char, String)>, Error> {
    if rev.starts_with('-') {
        return Err(Error::Usage(format!("--base `{rev}` is not a revision")));
    }
    let out = git(
        root,
        &[
            "-c",
            "core.fsmonitor=false",
            "diff",
            "--name-status",
            "-z",
            "--no-renames",
            rev,
            "--",
            ":(glob)**/.terraform/modules/**",
        ],
    )?;
    let mut parts = out.split(|b| *b == 0).filter(|r| !r.is_empty());
    let mut changes = Vec::new();
    while let (Some(status), Some(path)) = (parts.next(), parts.next()) {
        let status = status.first().map_or('?', |b| char::from(*b));
        changes.push((status, String::from_utf8_lossy(path).into_owned()));
    }
    changes.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(changes)
}

/// Files of these kinds are written; the others cannot change a verdict.
fn wanted(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    [
        ".yaml",
        ".yml",
        ".json",
        ".template",
        ".tf",
        ".tofu",
        ".tfvars",
        ".guard",
        ".gitignore",
        ".tftpl",
        ".tpl",
    ]
    .iter()
    .any(|e| p.ends_with(e))
}

/// Write the tree of `rev` (regular files only; no symlinks, no submodules) below `dest`.
///
/// # Errors
/// An unknown revision, or a file that cannot be written.
pub fn materialize(root: &Path, rev: &str, dest: &Path) -> Result<usize, Error> {
    if rev.starts_with('-') {
        return Err(Error::Usage(format!("--base `{rev}` is not a revision")));
    }
    let listing = git(root, &["ls-tree", "-r", "-z", "--full-tree", rev, "--"])?;
    let mut entries = Vec::new();
    for rec in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let text = String::from_utf8_lossy(rec);
        let Some((meta, path)) = text.split_once('\t') else { continue };
        let parts: Vec<&str> = meta.split(' ').collect();
        // regular files only: 100644 / 100755 blobs
        if parts.len() == 3
            && parts[1] == "blob"
            && parts[0].starts_with("100")
            && wanted(path)
            && !path.split('/').any(|c| c == ".." || c.is_empty())
        {
            entries.push((parts[2].to_owned(), path.to_owned()));
        }
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error::Usage(format!("cannot run git: {e}")))?;
    let mut stdin = child.stdin.take().ok_or_else(|| Error::Usage("git cat-file: no stdin".into()))?;
    let mut shas = String::new();
    for (sha, _) in &entries {
        shas.push_str(sha);
        shas.push('\n');
    }
    let writer = std::thread::spawn(move || stdin.write_all(shas.as_bytes()));
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .ok_or_else(|| Error::Usage("git cat-file: no stdout".into()))?
        .read_to_end(&mut out)
        .map_err(|e| Error::Usage(e.to_string()))?;
    let _ = writer.join();
    let _ = child.wait();
    let mut pos = 0usize;
    let mut written = 0usize;
    for (_, path) in &entries {
        let Some(nl) = out.get(pos..).and_then(|rest| memchr::memchr(b'\n', rest)) else {
            break;
        };
        let header = String::from_utf8_lossy(&out[pos..pos + nl]).into_owned();
        pos += nl + 1;
        let size: usize = header.rsplit(' ').next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let Some(body) = out.get(pos..pos + size) else { break };
        pos += size + 1;
        let target = dest.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(Action::Create, parent.display(), e))?;
        }
        std::fs::write(&target, body).map_err(|e| Error::io(Action::Write, target.display(), e))?;
        written += 1;
    }
    Ok(written)
}

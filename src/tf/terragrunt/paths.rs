//! Paths as Terragrunt computes them, lexically: `find_in_parent_folders`, the relative paths
//! between a unit and what it includes, and what a `terraform.source` names (a local directory
//! with its `//` subdirectory, or a module fetched from elsewhere).
//!
//! Spec: `/work/research/terraform-semantics.md` §1.1 and §1.4
//! (<https://terragrunt.gruntwork.io/docs/reference/hcl/functions>,
//! <https://terragrunt.gruntwork.io/docs/reference/hcl/blocks>).

use std::path::{Component, Path, PathBuf};

use super::super::dirs::normalize;

/// Is `p` (absolute, normalized) inside one of the scanned `roots` (absolute, normalized)?
pub(super) fn inside(p: &Path, roots: &[PathBuf]) -> bool {
    roots.iter().any(|r| p.starts_with(r))
}

/// `find_in_parent_folders(name)` of a configuration in directory `config_dir`: the first
/// `config_dir/../name`, `config_dir/../../name`, … that exists. The search starts in the
/// parent of `config_dir` (the directory itself is not searched) and stops at the scanned root
/// that holds it: rootguard looks at nothing outside the scanned tree.
pub(super) fn find_in_parent_folders(config_dir: &Path, name: &str, roots: &[PathBuf], exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let mut dir = config_dir.parent();
    while let Some(d) = dir {
        if !inside(d, roots) {
            return None;
        }
        let candidate = normalize(&d.join(name));
        if exists(&candidate) {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// The relative path from directory `from` to directory `to` (both absolute and normalized),
/// `.` when they are the same, as Go's `filepath.Rel` gives it.
pub(super) fn relative(from: &Path, to: &Path) -> String {
    let f: Vec<Component<'_>> = from.components().collect();
    let t: Vec<Component<'_>> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_owned(), f.len() - common).collect();
    parts.extend(t[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() { ".".to_owned() } else { parts.join("/") }
}

/// What a `terraform.source` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A local directory: the path to join to the unit directory (absolute when written so),
    /// the `//` subdirectory already joined.
    Local(String),
    /// A module Terragrunt downloads (git, a registry, an archive); for a `tfr://` source, the
    /// registry address (without the default host) and the `version` it asks for.
    Remote { registry: Option<(String, Option<String>)> },
}

/// The part of a source before its `//` subdirectory, and the subdirectory. The `//` is looked
/// for after the scheme (`https://`, `tfr://`) and any forced getter (`git::`), as Terragrunt's
/// `SplitSourceURL` does on the URL path; a query stays with the first part.
pub(super) fn split_subdir(source: &str) -> (String, Option<String>) {
    let (query_at, query) = match source.find('?') {
        Some(i) => (i, &source[i..]),
        None => (source.len(), ""),
    };
    let body = &source[..query_at];
    let mut skip = body.find("::").map_or(0, |i| i + 2);
    if let Some(i) = body[skip..].find("://") {
        skip += i + 3;
    }
    match body[skip..].find("//") {
        Some(i) => {
            let at = skip + i;
            let sub = body[at + 2..].trim_matches('/');
            (format!("{}{query}", &body[..at]), (!sub.is_empty()).then(|| sub.to_owned()))
        }
        None => (source.to_owned(), None),
    }
}

/// What a `terraform.source` value names. Terragrunt resolves it with go-getter: a forced
/// getter (`git::`), a URL scheme (`https://`, `tfr://`, `s3::`), or a host go-getter
/// recognizes (`github.com/…`, `git@…`, S3 and GCS hosts) is fetched; anything else is a local
/// path, relative to the unit directory (§1.1: even when it is written in an included file).
pub(super) fn classify(source: &str) -> Source {
    let s = source.trim();
    if let Some(path) = s.strip_prefix("file://") {
        let (root, sub) = split_subdir(path);
        return Source::Local(join_sub(&root, sub.as_deref()));
    }
    if let Some(rest) = s.strip_prefix("tfr://") {
        // tfr://HOST/NS/NAME/PROVIDER//SUB?version=V; `tfr:///…` is the default registry
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (host, addr) = path.split_once('/').unwrap_or((path, ""));
        let version = query.split('&').find_map(|kv| kv.strip_prefix("version=")).map(str::to_owned);
        let addr = if host.is_empty() || host == "registry.terraform.io" || host == "registry.opentofu.org" {
            addr.to_owned()
        } else {
            format!("{host}/{addr}")
        };
        return Source::Remote {
            registry: Some((addr, version)),
        };
    }
    let fetched = s.contains("::")
        || s.contains("://")
        || s.starts_with("git@")
        || ["github.com/", "bitbucket.org/", "gitlab.com/", "www.googleapis.com/storage/"]
            .iter()
            .any(|h| s.starts_with(h))
        || (s.contains(".s3") && s.contains("amazonaws.com"));
    if fetched {
        return Source::Remote { registry: None };
    }
    let (root, sub) = split_subdir(s);
    Source::Local(join_sub(&root, sub.as_deref()))
}

fn join_sub(root: &str, sub: Option<&str>) -> String {
    match sub {
        Some(sub) => format!("{}/{sub}", root.trim_end_matches('/')),
        None => root.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    /// §1.4: the search starts in the parent of the unit directory and returns the first match
    /// (<https://terragrunt.gruntwork.io/docs/reference/hcl/functions>, `find_in_parent_folders`;
    /// `findInParentFoldersImpl` starts at `Dir(Dir(configPath))`).
    #[test]
    fn find_in_parent_folders_starts_above_the_unit_and_takes_the_nearest() {
        let roots = [p("/repo")];
        let files = [
            p("/repo/a/root.hcl"),
            p("/repo/a/b/c/root.hcl"),
            p("/repo/root.hcl"),
            p("/repo/a/b/env.hcl"),
        ];
        let exists = |x: &Path| files.iter().any(|f| f == x);
        // the spec's example: `a/b/c/terragrunt.hcl`, files `a/root.hcl` and `a/b/c/root.hcl`
        assert_eq!(
            find_in_parent_folders(&p("/repo/a/b/c"), "root.hcl", &roots, exists),
            Some(p("/repo/a/root.hcl"))
        );
        assert_eq!(
            find_in_parent_folders(&p("/repo/a/b/c"), "env.hcl", &roots, exists),
            Some(p("/repo/a/b/env.hcl"))
        );
        // a relative name is joined to each folder
        assert_eq!(
            find_in_parent_folders(&p("/repo/x/y"), "a/root.hcl", &roots, exists),
            Some(p("/repo/a/root.hcl"))
        );
        assert_eq!(find_in_parent_folders(&p("/repo/a/b/c"), "nope.hcl", &roots, exists), None);
    }

    /// rootguard never looks above the scanned root, even where Terragrunt would.
    #[test]
    fn find_in_parent_folders_stops_at_the_scanned_root() {
        let files = [p("/repo/root.hcl")];
        let exists = |x: &Path| files.iter().any(|f| f == x);
        assert_eq!(
            find_in_parent_folders(&p("/repo/live/prod"), "root.hcl", &[p("/repo/live")], exists),
            None
        );
        assert_eq!(
            find_in_parent_folders(&p("/repo/live/prod"), "root.hcl", &[p("/repo")], exists),
            Some(p("/repo/root.hcl"))
        );
        // a unit at the top of the root has no parent folder inside it
        assert_eq!(find_in_parent_folders(&p("/repo"), "root.hcl", &[p("/repo")], exists), None);
    }

    /// §1.8: `path_relative_to_include()` in `root.hcl` of `prod/mysql/terragrunt.hcl` is
    /// `prod/mysql` (<https://terragrunt.gruntwork.io/docs/reference/hcl/functions>).
    #[test]
    fn relative_paths_between_include_and_unit() {
        assert_eq!(relative(&p("/repo"), &p("/repo/prod/mysql")), "prod/mysql");
        assert_eq!(relative(&p("/repo/prod/mysql"), &p("/repo")), "../..");
        assert_eq!(relative(&p("/repo/a"), &p("/repo/a")), ".");
        assert_eq!(relative(&p("/repo/a/b"), &p("/repo/c")), "../../c");
    }

    /// §1.1: `//` separates what is copied from the directory run in, locally and remotely
    /// (<https://terragrunt.gruntwork.io/docs/reference/hcl/blocks>, `terraform`).
    #[test]
    fn sources_split_at_the_double_slash() {
        assert_eq!(split_subdir("../../modules//vpc"), ("../../modules".into(), Some("vpc".into())));
        assert_eq!(
            split_subdir("git::git@github.com:acme/infra.git//networking/vpc?ref=v0.0.1"),
            (
                "git::git@github.com:acme/infra.git?ref=v0.0.1".into(),
                Some("networking/vpc".into())
            )
        );
        assert_eq!(
            split_subdir("https://example.com/m.zip"),
            ("https://example.com/m.zip".into(), None)
        );
        assert_eq!(split_subdir("../modules/vpc"), ("../modules/vpc".into(), None));
    }

    #[test]
    fn local_and_remote_sources() {
        assert_eq!(classify("../../../modules//vpc"), Source::Local("../../../modules/vpc".into()));
        assert_eq!(classify("modules/vpc"), Source::Local("modules/vpc".into()));
        assert_eq!(classify("/abs/modules//x"), Source::Local("/abs/modules/x".into()));
        assert_eq!(classify("file:///abs/m"), Source::Local("/abs/m".into()));
        for remote in [
            "git::https://github.com/acme/m.git//x?ref=v1",
            "github.com/acme/m//x",
            "git@github.com:acme/m.git",
            "https://example.com/m.zip",
            "s3::https://s3.amazonaws.com/b/m.zip",
            "acme-modules.s3-eu-west-1.amazonaws.com/m.zip",
        ] {
            assert_eq!(classify(remote), Source::Remote { registry: None }, "{remote}");
        }
        // §1.1: registry modules need `tfr://`; three slashes is the default registry
        assert_eq!(
            classify("tfr:///terraform-aws-modules/iam/aws//modules/iam-policy?version=4.3.0"),
            Source::Remote {
                registry: Some(("terraform-aws-modules/iam/aws//modules/iam-policy".into(), Some("4.3.0".into())))
            }
        );
        assert_eq!(
            classify("tfr://registry.example.com/acme/m/aws"),
            Source::Remote {
                registry: Some(("registry.example.com/acme/m/aws".into(), None))
            }
        );
    }
}

//! Terragrunt's own functions (<https://terragrunt.gruntwork.io/docs/reference/hcl/functions>,
//! §1.4–§1.8 of the spec), beside the Terraform functions of [`crate::tf::functions`].
//!
//! Paths are absolute, as Terragrunt returns them. rootguard never looks at the machine it runs
//! on: `get_env(NAME, DEFAULT)` is `DEFAULT` whatever the environment holds (so the same tree
//! gives the same verdict everywhere), `get_env(NAME)` is unknown, and the functions that ask
//! AWS, git, the operating system or a command are unknown, each with its reason.

use std::path::{Path, PathBuf};

use super::super::dirs::normalize;
use super::super::error::{EvalError, FunctionError};
use super::super::eval::to_text;
use super::config::FileEnv;
use super::error::TgError;
use super::{merge, paths};
use crate::parse::tree::{Node, Value};
use crate::source::Span;

type R = Result<Node, EvalError>;

fn string(span: Span, v: impl Into<String>) -> Node {
    Node::new(span, Value::String(v.into()))
}

fn unknown(span: Span, why: impl Into<String>) -> Node {
    Node::new(span, Value::unknown(why))
}

fn text(args: &[Node], i: usize, f: &str) -> Result<String, FunctionError> {
    let x = args.get(i).ok_or_else(|| FunctionError::MissingArgument {
        function: f.to_owned(),
        count: i + 1,
    })?;
    to_text(x).ok_or_else(|| FunctionError::ArgumentType {
        function: f.to_owned(),
        expected: "a string",
        got: x.kind_name(),
    })
}

/// The Terraform commands Terragrunt's `get_terraform_commands_that_need_*` functions list
/// (`config_helpers.go`).
const NEED_VARS: &[&str] = &["apply", "console", "destroy", "import", "plan", "push", "refresh"];
const NEED_LOCKING: &[&str] = &["apply", "destroy", "import", "plan", "refresh", "taint", "untaint"];
const NEED_INPUT: &[&str] = &["apply", "import", "init", "plan", "refresh"];
const NEED_PARALLELISM: &[&str] = &["apply", "plan", "destroy"];

fn list(span: Span, items: &[&str]) -> Node {
    Node::new(span, Value::Seq(items.iter().map(|c| string(span, *c)).collect()))
}

/// Call Terragrunt function `name`; `None` when there is no such function.
pub(super) fn call(env: &FileEnv<'_, '_>, name: &str, args: &[Node], span: Span) -> Option<R> {
    let shown = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let r = match name {
        "find_in_parent_folders" => find_in_parent_folders(env, args, span),
        "read_terragrunt_config" => read_terragrunt_config(env, args, span),
        "get_terragrunt_dir" => Ok(string(span, shown(&env.config_dir()))),
        "get_original_terragrunt_dir" => Ok(string(span, shown(env.ctx.original.parent().unwrap_or(Path::new(""))))),
        "get_parent_terragrunt_dir" => include_dir(env, args, name).map(|d| string(span, shown(&d))),
        "path_relative_to_include" => include_dir(env, args, name).map(|d| string(span, paths::relative(&d, &env.config_dir()))),
        "path_relative_from_include" => include_dir(env, args, name).map(|d| string(span, paths::relative(&env.config_dir(), &d))),
        "get_env" => match args.get(1) {
            // the environment is never read: the default is the value everywhere
            Some(default) => Ok(Node::new(span, default.value.clone())),
            None => text(args, 0, name).map_err(EvalError::from).map(|n| {
                unknown(
                    span,
                    format!("`get_env(\"{n}\")` reads the environment, which rootguard does not read (give it a default)"),
                )
            }),
        },
        "get_terraform_commands_that_need_vars" => Ok(list(span, NEED_VARS)),
        "get_terraform_commands_that_need_locking" => Ok(list(span, NEED_LOCKING)),
        "get_terraform_commands_that_need_input" => Ok(list(span, NEED_INPUT)),
        "get_terraform_commands_that_need_parallelism" => Ok(list(span, NEED_PARALLELISM)),
        "mark_as_read" => text(args, 0, name).map(|p| string(span, p)).map_err(EvalError::from),
        "strcontains" => match (text(args, 0, name), text(args, 1, name)) {
            (Ok(s), Ok(sub)) => Ok(Node::new(span, Value::Bool(s.contains(&sub)))),
            (Err(e), _) | (_, Err(e)) => Err(e.into()),
        },
        "deep_merge" => {
            let mut out: Option<Node> = None;
            for a in args {
                if a.as_map().is_none() {
                    return Some(Err(FunctionError::Needs {
                        function: name.to_owned(),
                        what: "maps",
                    }
                    .into()));
                }
                out = Some(match out {
                    Some(o) => merge::deep_merge(&o, a),
                    None => a.clone(),
                });
            }
            Ok(out.map_or_else(
                || Node::new(span, Value::Map(Vec::new())),
                |mut o| {
                    o.span = span;
                    o
                },
            ))
        }
        "get_terraform_command" | "get_terraform_cli_args" | "get_terragrunt_source_cli_flag" => {
            Ok(unknown(span, format!("`{name}()` depends on how Terragrunt is run")))
        }
        "get_platform" | "get_working_dir" => Ok(unknown(span, format!("`{name}()` depends on the machine Terragrunt runs on"))),
        "get_repo_root" | "get_path_from_repo_root" | "get_path_to_repo_root" => {
            Ok(unknown(span, format!("`{name}()` asks git, which rootguard does not run here")))
        }
        "get_aws_account_id" | "get_aws_account_alias" | "get_aws_caller_identity_arn" | "get_aws_caller_identity_user_id" => Ok(unknown(
            span,
            format!("`{name}()` asks AWS, which rootguard does not (it works offline)"),
        )),
        "run_cmd" => Ok(unknown(span, "`run_cmd` runs a command, which rootguard does not")),
        "sops_decrypt_file" => Ok(unknown(span, "`sops_decrypt_file` decrypts with keys rootguard does not have")),
        "read_tfvars_file" | "get_default_retryable_errors" | "timecmp" | "constraint_check" => Ok(unknown(
            span,
            format!("the Terragrunt function `{name}` is not evaluated by rootguard"),
        )),
        _ => return None,
    };
    Some(r)
}

/// `find_in_parent_folders([name[, fallback]])` (§1.4): the first `name` (by default
/// `terragrunt.hcl`) in the parent folders of the configuration's directory, inside the scanned
/// tree; else the fallback, else an error.
fn find_in_parent_folders(env: &FileEnv<'_, '_>, args: &[Node], span: Span) -> R {
    let f = "find_in_parent_folders";
    let name = if args.is_empty() {
        "terragrunt.hcl".to_owned()
    } else {
        text(args, 0, f)?
    };
    let dir = env.config_dir();
    let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    match paths::find_in_parent_folders(&dir, &name, &env.run.roots, exists) {
        Some(p) => Ok(string(span, p.to_string_lossy().replace('\\', "/"))),
        None => match args.get(1) {
            Some(fallback) => Ok(Node::new(span, fallback.value.clone())),
            None => Err(TgError::ParentNotFound {
                name,
                from: env.run.display(&dir),
            }
            .into()),
        },
    }
}

/// `read_terragrunt_config(path[, default])` (§1.6): the configuration at `path` (relative to
/// the configuration's directory; a directory stands for its `terragrunt.hcl`), evaluated on its
/// own behalf; the default when there is no such file.
fn read_terragrunt_config(env: &FileEnv<'_, '_>, args: &[Node], span: Span) -> R {
    let f = "read_terragrunt_config";
    let p = text(args, 0, f)?;
    let mut abs: PathBuf = normalize(&env.config_dir().join(&p));
    let run = env.run;
    if paths::inside(&abs, &run.roots) && std::fs::metadata(&abs).is_ok_and(|m| m.is_dir()) {
        abs = abs.join("terragrunt.hcl");
    }
    if !paths::inside(&abs, &run.roots) {
        return match args.get(1) {
            Some(_) => Ok(unknown(
                span,
                format!("`{p}` is outside the scanned tree, which rootguard does not read: whether it exists is not known"),
            )),
            None => Err(TgError::Outside { path: run.display(&abs) }.into()),
        };
    }
    if std::fs::symlink_metadata(&abs).is_err() {
        return match args.get(1) {
            Some(default) => Ok(Node::new(span, default.value.clone())),
            None => Err(TgError::NotFound { path: run.display(&abs) }.into()),
        };
    }
    run.read_config(&abs, &env.ctx.original, span).map_err(EvalError::from)
}

/// The directory of the include a path function refers to (§1.8): inside an included file its
/// own directory; in the configuration, the include named by the first argument, or its only
/// one; without any include, the configuration's own directory.
fn include_dir(env: &FileEnv<'_, '_>, args: &[Node], f: &str) -> Result<PathBuf, EvalError> {
    let label = if args.is_empty() { None } else { Some(text(args, 0, f)?) };
    let includes = env.includes.borrow();
    let chosen = match (&label, &env.ctx.parent) {
        (None, Some(own)) => Some(own.clone()),
        (Some(l), _) => match includes.iter().find(|(x, _)| x == l) {
            Some((_, p)) => Some(p.clone()),
            None => {
                return Err(TgError::NoInclude {
                    function: f.to_owned(),
                    label: label.clone(),
                }
                .into());
            }
        },
        (None, None) => match includes.as_slice() {
            [] => None,
            [(_, p)] => Some(p.clone()),
            _ => {
                return Err(TgError::NoInclude {
                    function: f.to_owned(),
                    label: None,
                }
                .into());
            }
        },
    };
    Ok(chosen
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| env.config_dir()))
}

//! The `rootguard` binary: parse arguments, run, print, exit (0 clean, 1 findings, 2 error).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use rootguard::cli::{Cli, Color, Command, SUBCOMMANDS};
use rootguard::run;

fn print(text: &str) -> bool {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => true,
        // `rootguard check | head`: the reader went away; that is not an error
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            eprintln!("rootguard: cannot write output: {e}");
            false
        }
    }
}

fn main() -> ExitCode {
    // a panic is a bug: report it with the file being read, and exit 2 like any tool error
    std::panic::set_hook(Box::new(|info| {
        let at = rootguard::scan::current_file().map_or_else(String::new, |f| format!(" while reading `{f}`"));
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!("rootguard: internal error{at}: {what}{place}");
        eprintln!("rootguard: this is a bug; please report it with the input that caused it");
    }));
    std::panic::catch_unwind(run_main).unwrap_or_else(|_| ExitCode::from(run::EXIT_ERROR))
}

fn run_main() -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // `rootguard [PATH]...` means `rootguard check [PATH]...`
    let first = args.get(1).and_then(|a| a.to_str()).map(str::to_owned);
    let is_global_flag = matches!(first.as_deref(), Some("-h" | "--help" | "-V" | "--version"));
    if !is_global_flag && first.as_deref().is_none_or(|f| !SUBCOMMANDS.contains(&f)) {
        args.insert(1, "check".into());
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { run::EXIT_ERROR } else { run::EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let started = std::time::Instant::now();
    let timings = match &cli.command {
        Command::Check(a) => a.scan.timings,
        Command::Model(a) => a.timings,
        _ => false,
    };
    let result = match &cli.command {
        Command::Check(a) => {
            let color = match a.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            run::check(a, color)
        }
        Command::Evidence(a) => {
            let color = match a.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            run::check(&a.to_check(), color)
        }
        Command::Model(a) => run::model(a).map(|s| (s, run::EXIT_OK)),
        Command::Rules => run::list_rules().map(|s| (s, run::EXIT_OK)),
        Command::Explain { rule } => run::explain(rule).map(|s| (s, run::EXIT_OK)),
        Command::Init { force } => run::init(*force).map(|s| (s, run::EXIT_OK)),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "rootguard", &mut buf);
            Ok((String::from_utf8_lossy(&buf).into_owned(), run::EXIT_OK))
        }
    };
    if timings {
        eprint!("{}", rootguard::timings::render(started.elapsed()));
    }
    match result {
        Ok((text, code)) => {
            if print(&text) {
                ExitCode::from(code)
            } else {
                ExitCode::from(run::EXIT_ERROR)
            }
        }
        Err(e) => {
            eprintln!("rootguard: error: {e}");
            ExitCode::from(run::EXIT_ERROR)
        }
    }
}

//! The terminal of a bench run, from the fixture binary with stdout and stderr piped (as
//! CI sees them): the change against the previous run and the baseline inside each case's
//! block, no colour unless asked for, `--quiet`, `--progress`, and the flags' errors.

use ipw_tests::{run, run_with_env, text, QUICK};
use std::ffi::OsStr;
use std::path::Path;

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_ipw-fixture"))
}

const CASES: [&str; 3] = ["sized/1", "sized/2", "sized/4"];

/// Each case's block of `stdout`: its id's line to the next line that is not indented.
fn block<'a>(stdout: &'a str, id: &str) -> &'a str {
    let start = stdout
        .find(&format!("{id}\n"))
        .unwrap_or_else(|| panic!("no block of {id}:\n{stdout}"));
    let body = &stdout[start + id.len() + 1..];
    let end = body
        .lines()
        .take_while(|l| l.starts_with(' '))
        .map(|l| l.len() + 1)
        .sum::<usize>();
    &stdout[start..start + id.len() + 1 + end]
}

fn bench(dir: &Path, extra: &[&str]) -> (String, String, Option<i32>) {
    let mut args = vec!["--bench", "--sensors", "synthetic:50", "--seed", "7"];
    args.extend_from_slice(QUICK);
    args.extend_from_slice(extra);
    args.push("sized");
    let o = run(exe(), dir, &args);
    let (out, err) = text(&o);
    (out, err, o.status.code())
}

#[test]
fn each_block_holds_its_change_since_the_previous_run_and_against_the_baseline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, err, code) = bench(dir.path(), &["--save-baseline", "main"]);
    assert_eq!(code, Some(0), "{err}");
    for id in CASES {
        assert!(
            block(&out, id).contains("\n                        change:    no previous run\n"),
            "{}",
            block(&out, id)
        );
    }
    assert!(!out.contains('\x1b'), "no colour on a pipe:\n{out}");
    let sensor_lines = err.lines().filter(|l| l.starts_with("ipw: using")).count();
    assert_eq!(sensor_lines, 1, "the sources on one line:\n{err}");
    assert_eq!(err.matches("SYNTHETIC").count(), 1, "once per run:\n{err}");
    assert!(!out.contains("SYNTHETIC"), "{out}");
    assert!(out.contains("(synthetic)"), "{out}");

    let (out, err, code) = bench(dir.path(), &["--baseline", "main"]);
    assert_eq!(code, Some(0), "{err}");
    for id in CASES {
        let b = block(&out, id);
        let change = b.find("change:    time").expect("a change line");
        let vs = b
            .find("vs main:   time")
            .expect("a baseline line in the block");
        assert!(change < vs, "{b}");
        assert!(b.contains("outliers:  "), "{b}");
    }
    assert!(!out.contains('\x1b'), "{out}");
}

#[test]
fn quiet_keeps_the_results_and_colour_comes_when_asked_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, err, code) = bench(dir.path(), &["-q", "--color", "always"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err, "", "quiet: nothing on stderr but errors");
    for id in CASES {
        assert!(out.contains(&format!("\x1b[1m{id}\x1b[0m\n")), "{out:?}");
    }
    let env = [
        ("IPW_QUIET", OsStr::new("1")),
        ("IPW_COLOR", OsStr::new("never")),
    ];
    let mut args = vec!["--bench", "--sensors", "synthetic:50"];
    args.extend_from_slice(QUICK);
    args.push("sized/1");
    let o = run_with_env(exe(), dir.path(), &args, &env);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(err, "");
    assert!(out.contains("sized/1\n") && !out.contains('\x1b'), "{out}");
}

#[test]
fn progress_comes_as_plain_lines_with_the_flag_where_stderr_is_no_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, err, code) = bench(dir.path(), &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("measuring"), "no progress on a pipe:\n{err}");
    let (_, err, code) = bench(dir.path(), &["--progress"]);
    assert_eq!(code, Some(0), "{err}");
    for id in CASES {
        assert!(err.contains(&format!("ipw: {id}: warming up")), "{err}");
        assert!(
            err.contains(&format!("ipw: {id}: measuring 10/10")),
            "{err}"
        );
    }
    assert!(
        err.contains("ipw: idle power before the cases: measuring"),
        "{err}"
    );
}

#[test]
fn bad_terminal_flags_exit_2_with_one_line_naming_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (args, env, needle) in [
        (&["--color", "sometimes"][..], None, "--color"),
        (&["--list"][..], Some(("IPW_COLOR", "blue")), "IPW_COLOR"),
        (&["-q", "-v"][..], None, "--quiet"),
        (&["--progress=maybe"][..], None, "--progress"),
        (
            &["--list"][..],
            Some(("IPW_VERBOSE", "loud")),
            "IPW_VERBOSE",
        ),
    ] {
        let env: Vec<(&str, &OsStr)> = env.iter().map(|(k, v)| (*k, OsStr::new(v))).collect();
        let o = run_with_env(exe(), dir.path(), args, &env);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?} {env:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.starts_with(&format!("error: {needle}: ")), "{err}");
    }
}

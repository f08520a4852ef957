//! End-to-end tests of `cargo ipw survival`: the binary on CSV files and standard input.

use ipw_bench::stats::Rng;
use ipw_bench::survival::hurwitz_zeta;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn cargo_ipw(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-ipw"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    // A binary that rejects its flags exits without reading stdin: the pipe is then
    // closed, and that is its answer, not a failure to deliver the CSV.
    match pipe.write_all(stdin.unwrap_or("").as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.expect("stdin takes the CSV"),
    }
    drop(pipe);
    child.wait_with_output().expect("the binary ends")
}

/// Inverse-CDF draw from the discrete power law `P(F = k) ∝ k^-a`, k >= 1.
fn draw(rng: &mut Rng, a: f64) -> u64 {
    let v = 1.0 - rng.next_f64();
    let z1 = hurwitz_zeta(a, 1.0);
    let above = |k: u64| hurwitz_zeta(a, k as f64 + 1.0) / z1;
    let (mut lo, mut hi) = (0u64, 1u64);
    while above(hi) > v && hi < 1 << 62 {
        lo = hi;
        hi *= 2;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if above(mid) > v {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// A CSV of `n` tasks with power-law failures censored at `cap`, a quarter solved at once.
fn csv(a: f64, n: usize, cap: u64, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::from("task,failures,censored,energy_j\n");
    for i in 0..n {
        let f = if rng.next_f64() < 0.25 {
            0
        } else {
            draw(&mut rng, a)
        };
        let (f, c) = if f >= cap { (cap, 1) } else { (f, 0) };
        out.push_str(&format!("task{i},{f},{c},{:.2}\n", 2.0 * (f + 1) as f64));
    }
    out
}

fn json_of(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

fn write_temp(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(text.as_bytes()).expect("written");
    f
}

#[test]
fn json_output_has_the_documented_fields_and_the_right_level() {
    for (a, level) in [(1.5, "limited"), (2.5, "capable"), (3.6, "autonomous")] {
        let file = write_temp(&csv(a, 3000, 200, 41));
        let path = file.path().to_str().expect("utf-8 path");
        let out = cargo_ipw(
            &["survival", path, "--format", "json", "--resamples", "400"],
            None,
        );
        let v = json_of(&out);
        for key in [
            "alpha",
            "alpha_ci_low",
            "alpha_ci_high",
            "k_min",
            "level",
            "pass_at_1",
            "censored_fraction",
            "n_tasks",
            "alpha_hill",
            "alpha_ls_frequency",
            "alpha_ls_ccdf",
            "median_failures",
            "restricted_mean_failures",
            "survival",
            "energy",
        ] {
            assert!(v.get(key).is_some(), "a = {a}: no {key} in {v}");
        }
        assert_eq!(v["n_tasks"], 3000);
        assert_eq!(v["level"], level, "a = {a}: {v}");
        let (low, high) = (
            v["alpha_ci_low"].as_f64().expect("number"),
            v["alpha_ci_high"].as_f64().expect("number"),
        );
        assert!(low <= a && a <= high, "a = {a}: [{low}, {high}]");
        assert_eq!(v["resamples"], 400);
    }
}

#[test]
fn same_seed_same_output_and_cargo_passes_its_subcommand_name() {
    let data = csv(2.2, 600, 50, 7);
    let run = |seed: &str| {
        let out = cargo_ipw(
            &[
                "ipw",
                "survival",
                "-",
                "--format",
                "json",
                "--seed",
                seed,
                "--resamples",
                "300",
            ],
            Some(&data),
        );
        json_of(&out)
    };
    let (a, b, c) = (run("5"), run("5"), run("6"));
    assert_eq!(a, b);
    assert_ne!(a["alpha_ci_low"], c["alpha_ci_low"]);
    assert_eq!(a["alpha"], c["alpha"]);
}

#[test]
fn text_output_names_the_level_in_words() {
    let out = cargo_ipw(
        &["survival", "-", "--resamples", "300"],
        Some(&csv(1.5, 2000, 30, 3)),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Limited (a <= 2)"), "{text}");
    assert!(text.contains("tail exponent a"), "{text}");
    assert!(text.contains("never solved"), "{text}");
    assert!(text.contains("per solved task"), "{text}");
    // About 14% of tasks hit the cap of 30: the censoring note is due.
    assert!(text.contains("note: "), "{text}");
}

/// Exit code 2 and one line on stderr that contains every one of `needles`.
fn assert_usage_error(args: &[&str], stdin: &str, needles: &[&str]) {
    let out = cargo_ipw(args, Some(stdin));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: {err:?} lacks {n:?}");
    }
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_input_is_one_line_naming_row_and_column_exit_2() {
    let head = "task,failures,censored\n";
    let s = ["survival", "-"];
    assert_usage_error(
        &s,
        &format!("{head}a,1,0\nb,-3,0\n"),
        &["<stdin>: row 3, column `failures`", "negative"],
    );
    assert_usage_error(
        &s,
        &format!("{head}a,1,yes\n"),
        &["row 2, column `censored`", "0 (solved) or 1"],
    );
    assert_usage_error(
        &s,
        &format!("{head}a,x,0\n"),
        &["row 2, column `failures`", "whole number"],
    );
    assert_usage_error(&s, "task,failures\na,1\n", &["missing column `censored`"]);
    assert_usage_error(&s, head, &["no tasks"]);
    let all_censored: String = (0..20).map(|i| format!("t{i},9,1\n")).collect();
    assert_usage_error(
        &s,
        &format!("{head}{all_censored}"),
        &["all 20 tasks are censored", "raise the attempt cap"],
    );
    let easy: String = (0..30).map(|i| format!("t{i},{},0\n", i % 6 / 5)).collect();
    assert_usage_error(
        &s,
        &format!("{head}{easy}"),
        &["only 5 tasks", "at least 10"],
    );
    assert_usage_error(
        &["survival", "/nonexistent/tasks.csv"],
        "",
        &["cannot read /nonexistent/tasks.csv"],
    );
    let good = csv(2.0, 300, 100, 1);
    assert_usage_error(
        &["survival", "-", "--confidence", "1.5"],
        &good,
        &["--confidence", "between 0 and 1"],
    );
    assert_usage_error(
        &s,
        &format!("{head}a,99999999999999999999,0\n"),
        &["row 2, column `failures`", "is too large"],
    );
    assert_usage_error(
        &s,
        &format!("{head}\"a,1,0\n{}", "b,1,0\n".repeat(80_000)),
        &["<stdin>: row 2: a quoted field is never closed"],
    );
    assert_usage_error(
        &["survival", "/dev/zero"],
        "",
        &["/dev/zero: row 1 is longer than 1048576 bytes"],
    );
}

#[test]
fn resample_counts_are_bounded() {
    let good = csv(2.0, 300, 100, 1);
    for n in ["18446744073709551615", "1000001"] {
        assert_usage_error(
            &["survival", "-", "--resamples", n],
            &good,
            &[&format!("--resamples = {n}: from 2 to 1000000 resamples")],
        );
    }
    // Not a whole number: clap's own usage error, still exit 2.
    let out = cargo_ipw(&["survival", "-", "--resamples", "1e11"], Some(&good));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn costs_too_large_to_add_up_are_an_error_not_inf() {
    let mut text = "task,failures,censored,energy_j\n".to_string();
    for i in 0..40 {
        text.push_str(&format!("t{i},{},0,1e307\n", 1 + i % 7));
    }
    assert_usage_error(
        &["survival", "-"],
        &text,
        &["energy_j values add up to more than f64 holds"],
    );
    // Large but summable: finite means, printed as numbers.
    let text = text.replace("1e307", "1e305");
    let out = cargo_ipw(&["survival", "-"], Some(&text));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("mean 1.0000e305 J"), "{stdout}");
}

#[test]
fn bad_flags_are_usage_errors() {
    let out = cargo_ipw(
        &["survival", "-", "--format", "xml"],
        Some("task,failures,censored\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    let out = cargo_ipw(&["survival", "-", "--resamples", "many"], Some(""));
    assert_eq!(out.status.code(), Some(2));
}

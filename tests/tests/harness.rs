//! End-to-end: the fixture bench binary in bench, test and list modes.

use ipw_tests::{case, read_json, results_path, run, text, QUICK};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

const EXE: &str = env!("CARGO_BIN_EXE_ipw-fixture");

fn exe() -> &'static Path {
    Path::new(EXE)
}

#[test]
fn synthetic_power_gives_exact_energy_and_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--bench", "--sensors", "synthetic:50", "fixture/"];
    args.extend_from_slice(QUICK);
    let o = run(exe(), dir.path(), &args);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let r = read_json(&results_path(dir.path(), "ipw-fixture"));
    assert_eq!(r["schema_version"], ipw_bench::results::SCHEMA_VERSION);
    for id in ["fixture/busy", "fixture/queries_70", "fixture/batched"] {
        let c = case(&r, id);
        assert_eq!(c["status"], "ok", "{id}: {c}");
        assert_eq!(c["provenance"], "synthetic");
        let e = &c["estimates"];
        let power = e["mean_power_w"]["point"].as_f64().unwrap();
        assert!((power - 50.0).abs() / 50.0 < 0.005, "{id}: {power} W");
        // Energy per iteration is 50 W x (window / iterations); the window adds the two
        // edge reads to the timed loop, so compare sample by sample.
        for s in c["samples"].as_array().unwrap() {
            let j = s["energy_total_j"].as_f64().unwrap();
            let t = s["elapsed_s"].as_f64().unwrap();
            assert!(
                (j - 50.0 * t).abs() / (50.0 * t) < 0.01,
                "{id}: {j} J over {t} s"
            );
        }
        let epi = e["energy_per_iter_j"]["point"].as_f64().unwrap();
        let tpi = e["time_per_iter_s"]["point"].as_f64().unwrap();
        assert!(
            (epi - 50.0 * tpi).abs() / (50.0 * tpi) < 0.01,
            "{id}: {epi} vs {tpi}"
        );
        for k in [
            "time_per_iter_s",
            "energy_per_iter_j",
            "energy_per_iter_net_j",
            "mean_power_w",
        ] {
            let x = &e[k];
            assert!(
                x["ci_low"].as_f64().unwrap() <= x["point"].as_f64().unwrap(),
                "{k}"
            );
            assert!(
                x["ci_high"].as_f64().unwrap() >= x["point"].as_f64().unwrap(),
                "{k}"
            );
        }
    }
    let q = case(&r, "fixture/queries_70");
    assert_eq!(q["estimates"]["accuracy"]["point"], 0.7);
    assert_eq!(q["kind"], "queries");
    let scored = case(&r, "fixture/scored");
    // Credit 1 + 0.5 + 0 over three judged answers; the unjudged one is left out.
    assert_eq!(scored["estimates"]["accuracy"]["point"], 0.5);
    let unjudged: u64 = scored["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["unjudged"].as_u64().unwrap())
        .sum();
    assert!(unjudged > 0);
    // Case-level answer counts: every query counted once, as correct, incorrect or
    // unjudged, and equal to the sums over the samples.
    for c in [q, scored] {
        let a = &c["answers"];
        let samples = c["samples"].as_array().unwrap();
        let total = |k: &str| samples.iter().map(|s| s[k].as_f64().unwrap()).sum::<f64>();
        let queries = a["queries"].as_f64().unwrap();
        assert_eq!(queries, total("iters"), "{}", c["id"]);
        assert_eq!(a["correct"].as_f64().unwrap(), total("correct"));
        assert_eq!(a["incorrect"].as_f64().unwrap(), total("incorrect"));
        assert_eq!(a["unjudged"].as_f64().unwrap(), total("unjudged"));
        let judged = a["correct"].as_f64().unwrap() + a["incorrect"].as_f64().unwrap();
        assert_eq!(judged + a["unjudged"].as_f64().unwrap(), queries);
    }
    assert_eq!(scored["answers"]["unjudged"].as_u64().unwrap(), unjudged);
    assert!(case(&r, "fixture/busy")["answers"].is_null());
    // iter_batched: a sample sums several energy windows, one per batch, and leaves the
    // setup between them out (its setup is twice the routine's time, so the energy checks
    // above would fail by 200% if it were in).
    let batched = case(&r, "fixture/batched");
    assert_eq!(batched["kind"], "iter_batched");
    for s in batched["samples"].as_array().unwrap() {
        let windows = s["energy_windows"].as_u64().unwrap();
        assert!((2..=10).contains(&windows), "{s}");
    }
    // One window per iteration: each far below the 1 ms update period, which the case's
    // quality says, naming the remedy.
    let per = case(&r, "fixture/per_iteration");
    assert_eq!(per["status"], "ok");
    for s in per["samples"].as_array().unwrap() {
        assert_eq!(s["energy_windows"], s["iters"]);
        // The energy is 50 W over the windows' summed length, which holds the timed loops
        // (and the edge reads around each, which matter at 50 µs per window).
        let j = s["energy_total_j"].as_f64().unwrap();
        let w = s["window_s"].as_f64().unwrap();
        let t = s["elapsed_s"].as_f64().unwrap();
        assert!((j - 50.0 * w).abs() / (50.0 * w) < 0.02, "{j} J over {w} s");
        assert!(w >= t && w < 2.0 * t, "windows {w} s, timed {t} s");
    }
    let quality = per["quality"].as_array().unwrap();
    assert!(
        quality
            .iter()
            .any(|q| q["code"] == "short-window"
                && q["message"].as_str().unwrap().contains("BatchSize")),
        "{quality:?}"
    );
    assert!(r["idle"]["before"]["power_w"].as_f64().unwrap() > 49.0);
    assert!(r["idle"]["after"]["power_w"].as_f64().is_some());
}

#[test]
fn same_seed_same_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "--bench",
        "--sensors",
        "synthetic:5",
        "--exact",
        "fixture/busy",
    ];
    args.extend_from_slice(QUICK);
    assert!(run(exe(), dir.path(), &args).status.success());
    let r = read_json(&results_path(dir.path(), "ipw-fixture"));
    let c = case(&r, "fixture/busy");
    let samples: Vec<f64> = c["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["elapsed_s"].as_f64().unwrap() / s["iters"].as_f64().unwrap())
        .collect();
    assert_eq!(r["run"]["seed"], ipw_bench::DEFAULT_SEED);
    // Recompute the interval from the recorded samples with the recorded seed.
    let seed = ipw_bench::analysis::case_seed(r["run"]["seed"].as_u64().unwrap(), "fixture/busy");
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    let again = ipw_bench::analysis::bootstrap_samples(samples.len(), seed, mean, |idx| {
        idx.iter().map(|&i| samples[i]).sum::<f64>() / idx.len() as f64
    });
    let t = &c["estimates"]["time_per_iter_s"];
    assert_eq!(t["ci_low"].as_f64().unwrap(), again.low);
    assert_eq!(t["ci_high"].as_f64().unwrap(), again.high);
}

#[test]
fn test_mode_runs_once_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(exe(), dir.path(), &["--skip", "panics"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("test fixture/busy ... ok"), "{out}");
    assert!(out.contains("test sized/4 ... ok"), "{out}");
    assert!(out.contains("test result: ok. 9 passed; 0 failed"), "{out}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_panicking_case_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(exe(), dir.path(), &[]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("test panics ... FAILED"), "{out}");
    assert!(out.contains("deliberate failure"), "{out}");
    assert!(out.contains("test other/renamed ... ok"), "{out}");

    let mut args = vec!["--bench", "--sensors", "synthetic:1", "panics", "other"];
    args.extend_from_slice(QUICK);
    let o = run(exe(), dir.path(), &args);
    assert_eq!(o.status.code(), Some(1));
    let r = read_json(&results_path(dir.path(), "ipw-fixture"));
    let p = case(&r, "panics");
    assert_eq!(p["status"], "failed");
    assert!(p["message"]
        .as_str()
        .unwrap()
        .contains("deliberate failure"));
    assert_eq!(case(&r, "other/renamed")["status"], "ok");
}

#[test]
fn list_filter_exact_and_ignored_behave_like_libtest() {
    let dir = tempfile::tempdir().unwrap();
    let list = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["--list"];
        a.extend_from_slice(args);
        let o = run(exe(), dir.path(), &a);
        assert!(o.status.success());
        text(&o).0.lines().map(String::from).collect()
    };
    let all = list(&[]);
    assert_eq!(all.len(), 11, "{all:?}");
    assert!(all.iter().all(|l| l.ends_with(": benchmark")));
    assert!(!all.iter().any(|l| l.contains("slow_ignored")));
    assert_eq!(
        list(&["sized"]),
        [
            "sized/1: benchmark",
            "sized/2: benchmark",
            "sized/4: benchmark"
        ]
    );
    assert_eq!(list(&["--exact", "sized/2"]), ["sized/2: benchmark"]);
    assert!(list(&["--exact", "sized"]).is_empty());
    assert_eq!(list(&["--ignored"]), ["slow_ignored: benchmark"]);
    assert_eq!(list(&["--include-ignored"]).len(), 12);
    assert_eq!(list(&["--skip", "fixture", "--skip", "sized"]).len(), 3);
    let o = run(exe(), dir.path(), &["--ignored"]);
    assert!(text(&o).0.contains("test slow_ignored ... ok"));
}

#[test]
fn bad_flags_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (&["--sample-size", "x"][..], "--sample-size"),
        (&["--bench", "--sensors", "warp"][..], "warp"),
        (&["--no-such-flag"][..], "--no-such-flag"),
        (&["--format", "xml"][..], "--format"),
    ] {
        let o = run(exe(), dir.path(), args);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{err}");
    }
    let mut cmd = std::process::Command::new(exe());
    cmd.env("IPW_WARM_UP_TIME", "soon").arg("--list");
    let o = cmd.output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("IPW_WARM_UP_TIME"));
    // libtest flags that mean nothing here are accepted.
    let o = run(
        exe(),
        dir.path(),
        &["--list", "--nocapture", "--test-threads", "1", "-q"],
    );
    assert!(o.status.success());
}

/// The fixture's `other` group with `--format json` and `extra` flags, which must
/// succeed: its stdout and each stdout line parsed.
fn json_run(extra: &[&str]) -> (String, Vec<serde_json::Value>) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--bench", "--sensors", "synthetic:3", "--format", "json"];
    args.extend_from_slice(extra);
    args.push("other");
    args.extend_from_slice(QUICK);
    let o = run(exe(), dir.path(), &args);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let lines = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    (out, lines)
}

fn reasons(lines: &[serde_json::Value]) -> Vec<&str> {
    lines
        .iter()
        .map(|l| l["reason"].as_str().unwrap())
        .collect()
}

#[test]
fn json_lines_are_cargo_style() {
    let (out, lines) = json_run(&[]);
    let reasons = reasons(&lines);
    assert_eq!(reasons, ["sensors", "case-complete", "run-complete"]);
    assert!(out
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("{\"reason\":\"case-complete\""));
    assert_eq!(lines[1]["id"], "other/renamed");
}

/// A `--processes` run speaks the same JSON lines as one process, its sources from the
/// first child's, and adds its plan before the end.
#[test]
fn json_lines_of_a_processes_run() {
    let (out, lines) = json_run(&["--processes", "2"]);
    let reasons = reasons(&lines);
    assert_eq!(
        reasons,
        ["sensors", "case-complete", "plan", "run-complete"],
        "{out}"
    );
    assert!(lines[0]["lines"][0]
        .as_str()
        .unwrap()
        .starts_with("using synthetic"));
    assert_eq!(lines[2]["measured_processes"], 2, "{}", lines[2]);
    assert!(lines[2]["metrics"]
        .as_array()
        .is_some_and(|m| !m.is_empty()));
}

#[test]
fn baseline_round_trip_and_regression_gate() {
    let dir = tempfile::tempdir().unwrap();
    let base = |watts: &str, extra: &[&str]| {
        let sensors = format!("synthetic:{watts}");
        let mut args = vec![
            "--bench",
            "--sensors",
            sensors.as_str(),
            "fixture/busy",
            "--noise-threshold",
            "30%",
        ];
        args.extend_from_slice(QUICK);
        args.extend_from_slice(extra);
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        run(exe(), dir.path(), &refs)
    };
    let o = base("50", &["--baseline", "main"]);
    assert_eq!(o.status.code(), Some(2), "a missing baseline is bad input");
    assert!(text(&o).1.contains("--save-baseline"), "{}", text(&o).1);

    // The baseline is measured in three processes, so that a gate on it can be trusted (with
    // two, Welch's test over per-process means has about 2 degrees of freedom, and a loaded
    // machine's process-to-process spread hid even a fourfold change).
    let o = base("50", &["--save-baseline", "main", "--processes", "3"]);
    assert!(o.status.success(), "{}", text(&o).1);
    assert!(dir.path().join("ipw-fixture/baselines/main.json").exists());
    let saved = read_json(&dir.path().join("ipw-fixture/baselines/main.json"));
    assert_eq!(case(&saved, "fixture/busy")["processes"]["count"], 3);

    // The same power: no regression, the gate passes.
    let o = base(
        "50",
        &[
            "--baseline",
            "main",
            "--fail-on-regression",
            "--processes",
            "3",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    let r = read_json(&results_path(dir.path(), "ipw-fixture"));
    let b = &case(&r, "fixture/busy")["baseline"];
    assert_eq!(b["name"], "main");
    let energy = b["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "energy_per_iter_j")
        .unwrap();
    assert_ne!(energy["verdict"], "regressed");

    // Four times the power: energy per iteration quadruples, the gate fails with 3. (Not
    // twice: on a busy machine the preempted spins vary time, and so energy, by 30% or more
    // between runs, and a doubling's interval can then reach down into the noise threshold.)
    let gate = [
        "--baseline",
        "main",
        "--fail-on-regression",
        "--processes",
        "3",
    ];
    let o = base("200", &gate);
    assert_eq!(o.status.code(), Some(3), "{}\n{}", text(&o).0, text(&o).1);
    assert!(text(&o).1.contains("regressed"));
    let r = read_json(&results_path(dir.path(), "ipw-fixture"));
    let e = &case(&r, "fixture/busy")["estimates"]["energy_per_iter_j"];
    assert_eq!(e["resampled"], "processes", "{e}");
    // One process: the regression is reported, but a verdict from one process cannot be
    // trusted, so the gate does not fail on it unless --strict.
    let o = base("200", &["--baseline", "main", "--fail-on-regression"]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", text(&o).0, text(&o).1);
    assert!(text(&o).1.contains("cannot be trusted"), "{}", text(&o).1);
    let o = base(
        "200",
        &["--baseline", "main", "--fail-on-regression", "--strict"],
    );
    assert_eq!(o.status.code(), Some(3), "{}\n{}", text(&o).0, text(&o).1);
    let o = base("200", &["--baseline", "main"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "without the gate a regression is reported, not fatal"
    );
    assert!(text(&o).0.contains("regressed"), "{}", text(&o).0);
}

/// Run the fixture with arguments and variables that need not be UTF-8, in a clean
/// `IPW_*` environment, writing under `out`.
fn run_os(out: &Path, args: &[&OsStr], env: &[(&str, &OsStr)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(exe());
    for (k, _) in std::env::vars_os() {
        if k.as_bytes().starts_with(b"IPW_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("IPW_OUTPUT_DIR", out)
        .env("RUST_BACKTRACE", "0")
        .envs(env.iter().copied())
        .args(args)
        .output()
        .expect("the bench binary runs")
}

fn bytes(b: &[u8]) -> &OsStr {
    OsStr::from_bytes(b)
}

/// Exit code 2 and one line on stderr that names `needle`, and nothing else printed: the
/// run stopped before the sensors were opened (they print `ipw: ...` on stderr).
fn assert_usage_error(o: &std::process::Output, needle: &str, what: &str) {
    let (out, err) = text(o);
    assert_eq!(o.status.code(), Some(2), "{what}: {out}\n{err}");
    assert_eq!(err.lines().count(), 1, "{what}: {err}");
    assert!(err.starts_with("error: "), "{what}: {err}");
    assert!(err.contains(needle), "{what}: {err}");
    assert_eq!(out, "", "{what}: printed before the error");
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

#[test]
fn help_lists_every_twin_in_its_sections() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(exe(), dir.path(), &["--help"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let mut at = 0;
    for title in [
        "\nSelection:\n",
        "\nMeasurement:\n",
        "\nOutput:\n",
        "\nBaselines:\n",
    ] {
        let found = out[at..].find(title);
        assert!(found.is_some(), "{title:?} missing or out of order:\n{out}");
        at += found.unwrap_or(0) + 1;
    }
    // The two flags the hand-written help had left out, and the libtest paragraph.
    for word in ["IPW_SKIP", "IPW_BENCH", "IPW_FILTER", "--test-threads"] {
        assert!(out.contains(word), "{word}:\n{out}");
    }
    assert!(out.contains("\nlibtest and criterion flags accepted and ignored: "));
    assert_eq!(
        out.lines().last(),
        Some("Exit codes: 0 ok, 1 a case failed, 2 bad input or usage, 3 regression found.")
    );
}

#[test]
fn values_that_cannot_work_exit_2_before_measuring() {
    let dir = tempfile::tempdir().unwrap();
    let flags: &[(&[&str], &str)] = &[
        (&["--warm-up-time", "1e20"], "--warm-up-time"),
        (&["--idle-time", "1e20"], "--idle-time"),
        (&["--measurement-time", "1e20"], "--measurement-time"),
        (&["--max-time=1e400"], "--max-time"),
        (&["--carbon-intensity", "inf"], "--carbon-intensity"),
        (&["--carbon-intensity", "1e400"], "--carbon-intensity"),
        (&["--carbon-intensity", "NaN"], "--carbon-intensity"),
        (&["--output-dir", ""], "--output-dir"),
        (&["--output-dir", "\n"], "--output-dir"),
        (&["--output-dir", "out\u{1b}[0m"], "--output-dir"),
        (&["--save-baseline", "a/b"], "--save-baseline"),
        (&["--save-baseline", "x:y"], "--save-baseline"),
        (&["--baseline", ".."], "--baseline"),
        (&["--skip", ""], "--skip"),
    ];
    for (bad, needle) in flags {
        // After QUICK: the last of a repeated flag counts.
        let mut args = vec!["--bench", "--sensors", "synthetic:1", "fixture/busy"];
        args.extend_from_slice(QUICK);
        args.extend_from_slice(bad);
        let o = run(exe(), dir.path(), &args);
        assert_usage_error(&o, needle, &format!("{bad:?}"));
        assert!(is_empty(dir.path()), "{bad:?} wrote something");
    }
    let twins: &[(&str, &str)] = &[
        ("IPW_WARM_UP_TIME", "1e20"),
        ("IPW_IDLE_TIME", "1e20"),
        ("IPW_MEASUREMENT_TIME", "1e20"),
        ("IPW_MAX_TIME", "1e400"),
        ("IPW_CARBON_INTENSITY", "inf"),
        ("IPW_OUTPUT_DIR", ""),
        ("IPW_SAVE_BASELINE", "../x"),
        ("IPW_SKIP", ""),
    ];
    for (twin, value) in twins {
        let o = run_os(
            dir.path(),
            &[OsStr::new("--bench"), OsStr::new("fixture/busy")],
            &[(twin, OsStr::new(value))],
        );
        assert_usage_error(&o, twin, twin);
        assert!(is_empty(dir.path()), "{twin} wrote something");
    }
    // An empty skip is a usage error in every mode, not a way to skip everything.
    for mode in [&["--list"][..], &[][..]] {
        let mut args = mode.to_vec();
        args.extend(["--skip", ""]);
        assert_usage_error(&run(exe(), dir.path(), &args), "--skip", "test/list mode");
    }
}

#[test]
fn non_utf8_arguments_are_errors_and_unrelated_variables_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let list = OsStr::new("--list");
    // An unrelated variable, and a sensor setting (read as a path), need not be UTF-8.
    let o = run_os(
        dir.path(),
        &[list],
        &[
            ("X", bytes(b"\xff")),
            ("IPW_NVML_LIB", bytes(b"/lib/\xff.so")),
        ],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(err, "");
    assert!(out.contains("fixture/busy: benchmark"), "{out}");

    let o = run_os(dir.path(), &[list, bytes(b"so\xffrt")], &[]);
    assert_usage_error(&o, "\"so\\xffrt\" is not valid UTF-8", "filter");
    let o = run_os(
        dir.path(),
        &[list, OsStr::new("--output-dir"), bytes(b"\xfe")],
        &[],
    );
    assert_usage_error(&o, "--output-dir: ", "flag value");
    let o = run_os(dir.path(), &[list, bytes(b"--baseline=\xfe")], &[]);
    assert_usage_error(&o, "--baseline: ", "inline value");
    let o = run_os(dir.path(), &[list], &[("IPW_SENSORS", bytes(b"rapl\xff"))]);
    assert_usage_error(&o, "IPW_SENSORS: ", "twin");
}

#[test]
fn unknown_ipw_variables_warn_with_the_nearest_twin() {
    let dir = tempfile::tempdir().unwrap();
    let list = OsStr::new("--list");
    let o = run_os(dir.path(), &[list], &[("IPW_SAMPLESIZE", OsStr::new("20"))]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(
        err,
        "warning: IPW_SAMPLESIZE is not an ipw-bench setting; did you mean IPW_SAMPLE_SIZE?\n"
    );
    assert!(out.lines().all(|l| l.ends_with(": benchmark")), "{out}");
    // What the sensors, fakes, examples and tests read is known.
    let known: Vec<(&str, &OsStr)> = [
        "IPW_POWERCAP_ROOT",
        "IPW_HWMON_ROOT",
        "IPW_NVML_LIB",
        "IPW_ESTIMATE_CORE_WATTS",
        "IPW_FAKE_NVML_SCRIPT",
        "IPW_INSIDE_FRESH_CLONE",
        "IPW_CHROMIUM",
        "IPW_LLM_URL",
        "IPW_LLM_MODEL",
        "IPW_REAL_NVML",
        "IPW_REAL_NVML_LOAD",
    ]
    .iter()
    .map(|k| (*k, OsStr::new("1")))
    .collect();
    let o = run_os(dir.path(), &[list], &known);
    assert!(o.status.success());
    assert_eq!(text(&o).1, "");
}

#[test]
fn list_escapes_ids_and_refuses_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let odd = [("FIXTURE_ODD_IDS", OsStr::new("1"))];
    let o = run_os(dir.path(), &[OsStr::new("--list")], &odd);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 13, "{out}");
    assert!(lines.iter().all(|l| l.ends_with(": benchmark")), "{out}");
    assert!(lines.contains(&"odd/line\\nbreak: benchmark"), "{out}");
    assert!(lines.contains(&"odd/tab\\tstop: benchmark"), "{out}");
    // The id as listed selects its case, as nextest passes it back.
    let args = ["--list", "--exact", "odd/line\\nbreak"].map(OsStr::new);
    let o = run_os(dir.path(), &args, &odd);
    assert_eq!(text(&o).0, "odd/line\\nbreak: benchmark\n");

    let dup = [("FIXTURE_DUPLICATE_IDS", OsStr::new("1"))];
    for mode in [
        &["--list"][..],
        &["--bench", "--sensors", "synthetic:1"][..],
    ] {
        let args: Vec<&OsStr> = mode.iter().map(OsStr::new).collect();
        let o = run_os(dir.path(), &args, &dup);
        assert_usage_error(&o, "`dup/twin/x`", "duplicate ids");
        let err = text(&o).1;
        assert_eq!(err.matches("tests/src/bin/fixture.rs:").count(), 2, "{err}");
    }
    assert!(is_empty(dir.path()));
}

#[test]
fn a_filter_that_matches_nothing_fails_a_bench_run_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--bench", "--sensors", "synthetic:1", "fixture/bussy"];
    args.extend_from_slice(QUICK);
    let o = run(exe(), dir.path(), &args);
    assert_usage_error(&o, "no case id contains `fixture/bussy`", "bench mode");
    let err = text(&o).1;
    let nearest = err.split("the nearest are ").nth(1).unwrap_or("");
    assert!(nearest.starts_with("fixture/busy, "), "{err}");
    assert!(nearest.split(", ").count() <= 5, "{err}");
    let mut args = vec!["--bench", "--exact", "sized"];
    args.extend_from_slice(QUICK);
    assert_usage_error(
        &run(exe(), dir.path(), &args),
        "no case id is `sized`",
        "exact",
    );
    assert!(is_empty(dir.path()));
    // libtest's test mode runs no case and succeeds; so does --list.
    let o = run(exe(), dir.path(), &["fixture/bussy"]);
    assert!(o.status.success(), "{}", text(&o).1);
    assert!(text(&o).0.contains("running 0 benchmark cases"));
    assert!(run(exe(), dir.path(), &["--list", "bussy"])
        .status
        .success());
}

/// With `--processes`, a query case's latency percentiles are over every process's
/// answers (the children hand their histograms to the parent), not the first process's.
#[test]
fn latency_is_merged_over_processes() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "--bench",
        "--sensors",
        "synthetic:50",
        "fixture/queries_70",
        "--processes",
        "3",
    ];
    args.extend_from_slice(QUICK);
    let o = run(exe(), dir.path(), &args);
    assert!(o.status.success(), "{}", text(&o).1);
    let r = read_json(&results_path(dir.path(), "ipw-fixture"));
    let c = case(&r, "fixture/queries_70");
    assert_eq!(c["processes"]["count"], 3, "{c}");
    let answers = c["answers"]["queries"].as_u64().unwrap();
    let first: u64 = c["samples"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["process"] == 0)
        .map(|s| s["iters"].as_u64().unwrap())
        .sum();
    assert!(answers > first, "{answers} answers, {first} in process 1");
    assert_eq!(c["latency"]["count"].as_u64(), Some(answers), "{c}");
    assert!(c["latency"].get("buckets").is_none(), "{}", c["latency"]);
}

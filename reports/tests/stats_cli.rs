//! End-to-end tests of `cargo ipw stats`: the built binary on CSV files and stdin.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cargo-ipw");

/// Three groups, listed out of alphabetical order to check first-appearance ordering.
const THREE: &str = "group,value\nb,3.1\na,1.0\nb,4.2\na,2.5\nc,2.0\nb,3.9\na,1.7\nc,2.2\nc,2.8\n";

fn write_csv(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write csv");
    path.to_string_lossy().into_owned()
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cargo-ipw");
    if let Some(text) = stdin {
        // The binary may exit on a bad flag before it reads: a broken pipe is expected then.
        let _ = child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes());
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

fn json_of(args: &[&str], stdin: Option<&str>) -> Value {
    let out = run(args, stdin);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn has_keys(v: &Value, keys: &[&str]) {
    for k in keys {
        assert!(v.get(k).is_some(), "missing key {k} in {v}");
    }
}

#[track_caller]
fn near(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1e-3),
        "{got} vs {want}"
    );
}

fn stdin_json(test: &str, extra: &[&str], csv: &str) -> Value {
    let mut args = vec!["stats", test, "--format", "json"];
    args.extend_from_slice(extra);
    args.push("-");
    json_of(&args, Some(csv))
}

#[test]
fn describe_lists_groups_in_first_appearance_order() {
    let v = stdin_json("describe", &[], THREE);
    let groups = v["groups"].as_array().expect("groups");
    let names: Vec<&str> = groups
        .iter()
        .map(|g| g["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["b", "a", "c"]);
    for g in groups {
        has_keys(
            g,
            &["name", "n", "mean", "sd", "median", "ci_low", "ci_high"],
        );
        assert!(g["ci_low"].as_f64() < g["mean"].as_f64());
    }
    near(&groups[1]["mean"], 5.2 / 3.0);
}

#[test]
fn ttest_variants_match_scipy() {
    let two = "group,value\na,1.0\na,2.5\na,1.7\nb,3.1\nb,4.2\nb,3.9\n";
    let v = stdin_json("ttest", &[], two);
    has_keys(
        &v,
        &[
            "statistic",
            "df",
            "p_value",
            "mean_difference",
            "ci_low",
            "ci_high",
            "cohens_d",
        ],
    );
    // scipy.stats.ttest_ind(a, b, equal_var=False)
    near(&v["statistic"], -3.6788360369097957);
    near(&v["df"], 3.726942322886489);
    near(&v["p_value"], 0.024010527745458306);
    near(&v["mean_difference"], -2.0);
    let s = stdin_json("ttest", &["--equal-var"], two);
    near(&s["df"], 4.0);
    let paired =
        "id,group,value\n1,x,1\n2,x,2\n3,x,3.5\n4,x,4\n2,y,2.1\n1,y,1.5\n4,y,4.8\n3,y,3.9\n";
    let p = stdin_json("ttest", &["--paired", "--pair", "id"], paired);
    // scipy.stats.ttest_rel([1, 2, 3.5, 4], [1.5, 2.1, 3.9, 4.8])
    near(&p["statistic"], -3.1176914536239804);
    near(&p["p_value"], 0.05256582352342477);
    near(&p["df"], 3.0);
}

#[test]
fn k_group_tests_have_their_keys() {
    let a = stdin_json("anova", &[], THREE);
    has_keys(
        &a,
        &[
            "f",
            "df_between",
            "df_within",
            "p_value",
            "ss_between",
            "ss_within",
            "eta_squared",
            "omega_squared",
        ],
    );
    // scipy.stats.f_oneway
    near(&a["f"], 8.943396226415103);
    near(&a["p_value"], 0.015848210935336834);
    let w = stdin_json("anova", &["--welch"], THREE);
    has_keys(&w, &["f", "df_between", "df_within", "p_value"]);
    let k = stdin_json("kruskal", &[], THREE);
    has_keys(&k, &["h", "df", "p_value"]);
    near(&k["h"], 5.955555555555556);
    for test in ["tukey", "games-howell"] {
        let t = stdin_json(test, &[], THREE);
        let cmp = t["comparisons"].as_array().expect("comparisons");
        assert_eq!(cmp.len(), 3);
        for c in cmp {
            has_keys(
                c,
                &["a", "b", "mean_difference", "ci_low", "ci_high", "p_value"],
            );
        }
        // Group order b, a, c: the first pair is (b, a) and its difference is mean(a) - mean(b).
        assert_eq!(
            (cmp[0]["a"].as_str(), cmp[0]["b"].as_str()),
            (Some("b"), Some("a"))
        );
        near(&cmp[0]["mean_difference"], -2.0);
        if test == "tukey" {
            // scipy.stats.tukey_hsd; p-values are compared to 1e-6 absolute.
            let p = cmp[0]["p_value"].as_f64().expect("p");
            assert!((p - 0.014645166).abs() < 1e-6, "{p}");
        }
    }
    let l = stdin_json("levene", &[], THREE);
    has_keys(&l, &["statistic", "p_value"]);
    let s = stdin_json("shapiro", &[], THREE);
    for g in s["groups"].as_array().expect("groups") {
        has_keys(g, &["name", "w", "p_value"]);
    }
}

#[test]
fn mannwhitney_proportions_and_anova2() {
    let two = "group,value\na,1.0\na,2.5\na,1.7\nb,3.1\nb,4.2\nb,3.9\n";
    let m = stdin_json("mannwhitney", &[], two);
    near(&m["u"], 0.0);
    near(&m["p_value"], 0.08085559837005224);
    let props = "group,correct\na,1\na,0\na,1\na,1\nb,0\nb,0\nb,1\nb,0\n";
    let p = stdin_json("proportions", &[], props);
    has_keys(&p, &["statistic", "p_value", "groups", "chi_square"]);
    let design = "precision,batch,value\nf16,1,4.1\nf16,1,3.9\nf32,1,5.2\nf32,1,5.0\nf16,8,6.1\nf16,8,5.9\nf32,8,8.3\nf32,8,7.9\n";
    let t = stdin_json(
        "anova2",
        &["--factor", "precision", "--factor", "batch"],
        design,
    );
    let sources: Vec<&str> = t["effects"]
        .as_array()
        .expect("effects")
        .iter()
        .map(|e| e["source"].as_str().expect("source"))
        .collect();
    assert_eq!(
        sources,
        ["precision", "batch", "precision:batch", "Residual"]
    );
    for e in t["effects"].as_array().expect("effects") {
        has_keys(e, &["source", "ss", "df", "f", "p_value"]);
    }
}

#[test]
fn files_and_text_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_csv(
        &dir,
        "m.csv",
        "variant,joules\n\"fp16, fast\",1.5\n\"fp16, fast\",1.7\nfp32,2.5\nfp32,2.9\n",
    );
    let out = run(
        &[
            "stats", "ttest", "--value", "joules", "--group", "variant", &path,
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Welch's t-test") && text.contains("fp16, fast"),
        "{text}"
    );
    assert!(text.contains("p = "), "{text}");
}

fn fails_with(args: &[&str], stdin: Option<&str>, needle: &str) {
    let out = run(args, stdin);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        err.contains(needle),
        "{args:?}: expected '{needle}' in: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one-line message: {err}");
}

#[test]
fn bad_input_exits_2_with_a_one_line_message() {
    let s = |test: &'static str| vec!["stats", test, "-"];
    fails_with(
        &s("describe"),
        Some("group,value\na,1\na,\n"),
        "standard input: row 3, column 'value': the cell is empty",
    );
    fails_with(
        &s("describe"),
        Some("group,value\na,1\na,abc\n"),
        "'abc' is not a number",
    );
    fails_with(
        &s("anova"),
        Some("group,value\na,1\na,NaN\nb,1\nb,2\n"),
        "row 3, column 'value'",
    );
    fails_with(
        &s("anova"),
        Some("group,value\na,1\na,inf\nb,1\nb,2\n"),
        "not a finite number",
    );
    fails_with(
        &s("anova"),
        Some("grp,value\na,1\n"),
        "column 'group' not found",
    );
    fails_with(
        &["stats", "anova", "--value", "joules", "-"],
        Some("group,value\na,1\n"),
        "pass --value COL",
    );
    fails_with(
        &s("anova"),
        Some("group,value\na,1\na,2\nb,3\n"),
        "group 'b' has 1 observation",
    );
    fails_with(
        &s("anova"),
        Some("group,value\na,1\na,1\nb,2\nb,2\n"),
        "zero variance",
    );
    fails_with(
        &s("ttest"),
        Some("group,value\na,1\na,1\nb,2\nb,2\n"),
        "zero variance",
    );
    fails_with(
        &s("anova"),
        Some("group,value\na,1\na,2\n"),
        "at least 2 groups",
    );
    fails_with(&s("ttest"), Some(THREE), "exactly 2 groups");
    fails_with(
        &["stats", "ttest", "--pair", "id", "-"],
        Some("id,group,value\n1,a,1\n2,a,2\n1,b,1.5\n3,b,2.5\n"),
        "pair '2' (column 'id') has a value in group 'a' but none in group 'b'",
    );
    fails_with(
        &["stats", "ttest", "--paired", "-"],
        Some(THREE),
        "--paired needs --pair",
    );
    fails_with(&s("describe"), Some(""), "empty");
    fails_with(
        &s("describe"),
        Some("group,value\na,1,7\n"),
        "row 2 has 3 field(s)",
    );
    fails_with(
        &["stats", "describe", "/nonexistent/x.csv"],
        None,
        "cannot read /nonexistent/x.csv",
    );
    fails_with(
        &["stats", "describe", "--confidence", "1.5", "-"],
        Some(THREE),
        "--confidence",
    );
    fails_with(
        &["stats", "anova2", "--factor", "a", "-"],
        Some(THREE),
        "--factor A --factor B",
    );
    fails_with(
        &s("proportions"),
        Some("group,correct\na,1\na,0.5\nb,1\nb,0\n"),
        "0 (wrong) or 1",
    );
}

#[test]
fn unknown_test_is_a_usage_error() {
    let out = run(&["stats", "nosuchtest", "-"], Some(THREE));
    assert_eq!(out.status.code(), Some(2));
}

/// The reproducer of issue #14: two values of 1e200 next to 1 and 2.
const HUGE: &str = "group,value\na,1e200\na,-1e200\nb,1\nb,2\n";

#[test]
fn values_near_1e200_give_right_answers_or_a_clear_error() {
    let t = stdin_json("tukey", &[], HUGE);
    let row = &t["comparisons"][0];
    assert_eq!(row["mean_difference"].as_f64(), Some(1.5), "{row}");
    let (low, high) = (
        row["ci_low"].as_f64().unwrap(),
        row["ci_high"].as_f64().unwrap(),
    );
    assert!(
        low < -1e200 && high > 1e200 && (low + high).abs() < 1e186,
        "{row}"
    );
    assert!(row["p_value"].as_f64().unwrap() > 0.99, "{row}");
    let gh = stdin_json("games-howell", &[], HUGE);
    assert_eq!(gh["comparisons"][0]["mean_difference"].as_f64(), Some(1.5));
    // Group b varies (variance 0.5); next to a's 2e400 it weighs nothing: F = 0, p = 1.
    let w = stdin_json("anova", &["--welch"], HUGE);
    assert_eq!(
        (w["f"].as_f64(), w["p_value"].as_f64()),
        (Some(0.0), Some(1.0))
    );
    near(&w["df_within"], 1.0);
    let d = stdin_json("describe", &[], HUGE);
    near(&d["groups"][0]["sd"], 2f64.sqrt() * 1e200);
    near(&d["groups"][1]["sd"], 0.5f64.sqrt());
    let tt = stdin_json("ttest", &[], HUGE);
    near(&tt["mean_difference"], -1.5);
    // Sums of squares of 1e400 are not an f64: an error, not inf or '-'.
    fails_with(&["stats", "anova", "-"], Some(HUGE), "overflow f64");
    // With two values per group, the deviations Levene compares never vary.
    fails_with(
        &["stats", "levene", "-"],
        Some(HUGE),
        "absolute deviations from each group's centre do not vary",
    );
    let near_max = "group,value\na,1.7e308\na,-1.7e308\nb,1\nb,2\n";
    for test in ["describe", "ttest", "tukey", "games-howell"] {
        fails_with(&["stats", test, "-"], Some(near_max), "overflow f64");
    }
}

#[test]
fn scaling_the_values_by_a_power_of_two_changes_no_test_statistic() {
    // 2^664 is about 1e200: the scaled data are near the top of f64, and exact multiples.
    let x = 2f64.powi(664);
    let mut plain = String::from("group,value\n");
    let mut scaled = plain.clone();
    let mut rng = ipw_bench::stats::Rng::new(12);
    for g in 0..4 {
        for _ in 0..(3 + g) {
            let v = g as f64 * 0.4 + rng.next_f64();
            plain.push_str(&format!("g{g},{v:e}\n"));
            scaled.push_str(&format!("g{g},{:e}\n", v * x));
        }
    }
    for (test, extra, key) in [
        ("anova", &["--welch"][..], "f"),
        ("levene", &[], "statistic"),
        ("levene", &["--center", "mean"], "statistic"),
        ("kruskal", &[], "h"),
    ] {
        let (a, b) = (
            stdin_json(test, extra, &plain),
            stdin_json(test, extra, &scaled),
        );
        assert_eq!(a[key], b[key], "{test} {extra:?}");
        assert_eq!(a["p_value"], b["p_value"], "{test} {extra:?}");
    }
    for test in ["tukey", "games-howell"] {
        let (a, b) = (
            stdin_json(test, &[], &plain),
            stdin_json(test, &[], &scaled),
        );
        for (r, s) in a["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .zip(b["comparisons"].as_array().unwrap())
        {
            assert_eq!(r["q"], s["q"], "{test}");
            assert_eq!(r["p_value"], s["p_value"], "{test}");
            let (m, n) = (
                r["mean_difference"].as_f64().unwrap(),
                s["mean_difference"].as_f64().unwrap(),
            );
            assert_eq!(m * x, n, "{test}");
        }
    }
}

#[test]
fn cells_beyond_f64_are_errors_naming_row_and_column() {
    fails_with(
        &["stats", "describe", "-"],
        Some("group,value\na,1\na,1e400\n"),
        "standard input: row 3, column 'value': '1e400' is too large for f64",
    );
    for cell in ["NaN", "inf", "-infinity"] {
        fails_with(
            &["stats", "describe", "-"],
            Some(&format!("group,value\na,1\na,{cell}\n")),
            "row 3, column 'value'",
        );
    }
}

#[test]
fn output_errors_are_reported_and_a_closed_pipe_is_not() {
    let full = std::fs::File::create("/dev/full").expect("/dev/full");
    let mut child = Command::new(BIN)
        .args(["stats", "describe", "-"])
        .stdin(Stdio::piped())
        .stdout(full)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(THREE.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot write to standard output: No space left"),
        "{err}"
    );
    let script = format!(
        "printf '{}' | '{BIN}' stats describe - | head -c 3 >/dev/null; echo \"${{PIPESTATUS[1]}}\"",
        THREE.replace('\n', "\\n")
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .output()
        .expect("bash");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn studentized_range_p_values_below_its_resolution_say_so() {
    // b is 99 apart from a with tiny spreads: the upper tail is below what 1 - cdf resolves.
    let far = "group,value\na,1\na,1.1\na,0.9\na,1.05\nb,100\nb,100.1\nb,99.9\nb,100.05\nc,5\nc,5.1\nc,4.9\n";
    for test in ["tukey", "games-howell"] {
        let out = run(&["stats", test, "-"], Some(far));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{test}: {text}");
        let row = text
            .lines()
            .find(|l| l.starts_with("b - a"))
            .unwrap_or_else(|| panic!("{test}: {text}"));
        assert!(row.contains("< 1e-16"), "{test}: {row}");
        assert!(!text.contains("1e-300"), "{test}: {text}");
    }
}

//! End-to-end tests of `cargo ipw compare`, `merge` and `export`: the built binary on
//! results files from two hosts that the test writes itself.

use ipw_bench::analysis::case_seed;
use ipw_bench::results::example::{
    analysed, example_run, synthetic_case, synthetic_run, with_domains,
};
use ipw_bench::results::{read_results, write_json_atomic, RunResults};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cargo-ipw");
const SAMPLES: usize = 30;

/// A run on `host`: `sort` at `sort_mean` J/iter, `hash` at 1 J/iter, and a case only
/// this host has; each with 3% noise, its energy split over two domains.
fn run_on(host: &str, sort_mean: f64, seed: u64) -> RunResults {
    let only = format!("only-{host}");
    let cases = [
        ("sort", sort_mean),
        ("hash/n=1,m=2", 1.0),
        (only.as_str(), 1.0),
    ]
    .map(|(id, mean)| {
        let case = synthetic_case(id, mean, SAMPLES, case_seed(seed, id), None);
        with_domains(case, &[("package", 0.8), ("dram", 0.2)])
    })
    .to_vec();
    let mut run = analysed(example_run("micro", seed, cases));
    run.run.host.hostname = Some(host.into());
    run.run.host.cpu_model = Some(format!("cpu of {host}"));
    run.warnings = vec![format!("warning of {host}")];
    run
}

/// Files `a.json` (host-a) and `b.json` (host-b, `sort` 10% more energy).
fn two_hosts(dir: &Path) -> (String, String) {
    let a = dir.join("a.json");
    let b = dir.join("b.json");
    write_json_atomic(&a, &run_on("host-a", 1.0, 1)).expect("write a");
    write_json_atomic(&b, &run_on("host-b", 1.1, 2)).expect("write b");
    (path_str(&a), path_str(&b))
}

fn path_str(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run cargo-ipw")
}

fn ok(args: &[&str]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn compare_finds_the_ten_percent_difference_between_hosts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = two_hosts(dir.path());
    let out = ok(&["compare", &a, &b, "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let runs = v["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["host"], "host-a");
    assert_eq!(runs[1]["host"], "host-b");
    assert_eq!(runs[1]["file"], b.as_str());
    let comparisons = v["comparisons"].as_array().expect("comparisons");
    let find = |group: &str| {
        comparisons
            .iter()
            .find(|c| c["group"] == group && c["metric"] == "energy_per_iter_j")
            .unwrap_or_else(|| panic!("no comparison of {group} in {v}"))
    };
    let sort = &find("sort")["pairwise"][0];
    assert_eq!(sort["a"], "host-a:sort");
    assert_eq!(sort["b"], "host-b:sort");
    assert_eq!(sort["verdict"], "higher", "{sort}");
    let ratio = sort["ratio"]["point"].as_f64().expect("ratio");
    assert!((ratio - 1.1).abs() < 0.03, "{ratio}");
    assert_eq!(
        find("hash/n=1,m=2")["pairwise"][0]["verdict"],
        "no-difference"
    );
    // Cases only one host ran are not compared.
    assert!(comparisons
        .iter()
        .all(|c| !c["group"].as_str().unwrap_or("").starts_with("only-")));

    let text = String::from_utf8(ok(&["compare", &a, &b]).stdout).expect("utf-8");
    assert!(text.contains("host-b vs host-a: "), "{text}");
    assert!(text.contains("more J/iter"), "{text}");
    assert!(text.contains("sort: energy_per_iter_j"), "{text}");
}

#[test]
fn compare_writes_the_html_page_and_an_index_to_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = two_hosts(dir.path());
    let html = dir.path().join("html");
    let out = ok(&[
        "compare",
        &a,
        &b,
        "--html",
        &path_str(&html),
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let page = std::fs::read_to_string(html.join("compare.html")).expect("compare.html");
    // Cases under their own ids, runs under their labels: never `host-a:sort`.
    assert!(page.contains("<h2>sort</h2>"), "{page}");
    assert!(page.contains("<th>host-a</th><th>host-b</th>"));
    assert!(!page.contains("host-a:sort") && !page.contains("host-b:sort"));
    assert!(!page.contains("host-a:hash") && !page.contains("host-b:hash"));
    assert!(page.contains("<title>distribution of energy per iteration per sample</title>"));
    assert!(page.contains("<title>distribution of time per iteration per sample</title>"));
    // The numbers and verdicts the terminal prints.
    let sort = v["comparisons"]
        .as_array()
        .expect("comparisons")
        .iter()
        .find(|c| c["group"] == "sort" && c["metric"] == "energy_per_iter_j")
        .expect("sort compared");
    let ratio = sort["pairwise"][0]["ratio"]["point"]
        .as_f64()
        .expect("ratio");
    let ratio = ipw_bench::analysis::format::sig(ratio);
    assert!(
        page.contains(&format!("{ratio} [")),
        "ratio {ratio} missing"
    );
    let verdict = sort["verdicts"][0].as_str().expect("a verdict line");
    assert!(verdict.starts_with("host-b vs host-a: "), "{verdict}");
    assert!(page.replace("&#x2F;", "/").contains(verdict), "{verdict}");
    // Reachable: an index links the page, and the page links back.
    let index = std::fs::read_to_string(html.join("index.html")).expect("index.html");
    assert!(index.contains("href=\"compare.html\""), "{index}");
    assert!(page.contains("href=\"index.html\""));
    assert!(html.join("style.css").is_file());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("index.html"), "{err}");
}

#[test]
fn merge_keeps_both_hosts_cases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = two_hosts(dir.path());
    let out = dir.path().join("merged.json");
    ok(&["merge", &a, &b, "-o", &path_str(&out)]);
    let merged = read_results(&out).expect("merged file is a results file");
    let ids: Vec<&str> = merged.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "host-a:sort",
            "host-a:hash/n=1,m=2",
            "only-host-a",
            "host-b:sort",
            "host-b:hash/n=1,m=2",
            "only-host-b",
        ]
    );
    let a_sort = &merged.cases[0];
    let b_sort = &merged.cases[3];
    assert_eq!(a_sort.samples, run_on("host-a", 1.0, 1).cases[0].samples);
    assert_eq!(b_sort.samples, run_on("host-b", 1.1, 2).cases[0].samples);
    assert_eq!(merged.run.host.hostname.as_deref(), Some("host-a,host-b"));
    assert_eq!(merged.run.host.cpu_model, None);
    assert_eq!(merged.run.duration_s, 120.0);
    let from = merged.run.config["merged_from"]
        .as_array()
        .expect("merged_from");
    assert_eq!(from.len(), 2);
    assert_eq!(from[1]["host"], "host-b");
    assert_eq!(from[1]["renamed"]["sort"], "host-b:sort");
    assert!(merged
        .warnings
        .iter()
        .any(|w| w == "host-b: warning of host-b"));
    assert!(merged
        .warnings
        .iter()
        .any(|w| w.starts_with("merged from host-a (") && w.contains("a.json")));
}

/// Split one CSV line, honouring quotes (no line breaks inside fields here).
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("field").push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            c => fields.last_mut().expect("field").push(c),
        }
    }
    fields
}

#[test]
fn export_has_one_row_per_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = two_hosts(dir.path());
    let csv = dir.path().join("samples.csv");
    ok(&["export", "--csv", &a, &b, "-o", &path_str(&csv)]);
    let text = std::fs::read_to_string(&csv).expect("csv");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 2 * 3 * SAMPLES);
    let header = split_csv(lines[0]);
    assert_eq!(
        header,
        [
            "bench",
            "host",
            "case_id",
            "group",
            "name",
            "variant",
            "sample",
            "iters",
            "elapsed_s",
            "window_s",
            "energy_total_j",
            "valid",
            "correct",
            "incorrect",
            "unjudged",
            "energy_j_dram",
            "energy_j_package",
        ]
    );
    let want = run_on("host-b", 1.1, 2);
    let hash_b: Vec<Vec<String>> = lines[1..]
        .iter()
        .map(|l| split_csv(l))
        .filter(|r| r[1] == "host-b" && r[2] == "hash/n=1,m=2")
        .collect();
    assert_eq!(hash_b.len(), SAMPLES);
    for (i, row) in hash_b.iter().enumerate() {
        assert_eq!(row.len(), header.len());
        let s = &want.cases[1].samples[i];
        assert_eq!(row[5], "n=1,m=2");
        assert_eq!(row[6], i.to_string());
        assert_eq!(row[10].parse::<f64>().ok(), s.energy_total_j);
        assert_eq!(row[11], "true");
        assert_eq!(row[12], "", "unavailable is empty, not 0");
        assert_eq!(row[16].parse::<f64>().ok(), s.energy_j["package"]);
    }
    // The same rows on standard output.
    let stdout = ok(&["export", "--csv", &a, &b]).stdout;
    assert_eq!(String::from_utf8(stdout).expect("utf-8"), text);
}

#[test]
fn export_neutralises_names_a_spreadsheet_would_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut run = run_on("host-a", 1.0, 1);
    let case = &mut run.cases[0];
    case.id = "=HYPERLINK(\"http://x\")".into();
    case.group = "-2".into();
    case.name = "+cmd".into();
    case.variant = Some("@SUM(A1)".into());
    case.samples[0].energy_total_j = Some(-1.5);
    case.samples[0].energy_j.insert("dram".into(), Some(-1.5));
    let file = dir.path().join("hostile.json");
    write_json_atomic(&file, &run).expect("write");
    let out = ok(&["export", "--csv", &path_str(&file)]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let row = text.lines().nth(1).expect("first sample");
    assert!(
        row.starts_with(
            "micro,host-a,\"'=HYPERLINK(\"\"http://x\"\")\",'-2,'+cmd,'@SUM(A1),0,100,"
        ),
        "{row}"
    );
    // Numbers stay numbers: the negative energies are neither prefixed nor quoted.
    let fields = split_csv(row);
    assert_eq!(fields[10], "-1.5", "{row}");
    assert_eq!(fields[15], "-1.5", "{row}");
    assert!(!row.contains("'-1.5") && !row.contains("\"-1.5"), "{row}");
}

#[test]
fn export_questions_has_one_row_per_question_of_each_query_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    // One group of two query variants with question sets, and a case without one.
    let mut run = synthetic_run("queries", 1, 2, 6, 3);
    run.cases
        .push(synthetic_case("plain", 1.0, 5, case_seed(3, "plain"), None));
    run.run.host.hostname = Some("host-q".into());
    let first = &mut run.cases[0];
    first.id = "=SUM(A1)".into();
    let set = first
        .question_set
        .as_mut()
        .expect("a query case has questions");
    set.per_question[1].energy_j = None;
    let file = dir.path().join("queries.json");
    write_json_atomic(&file, &run).expect("write");
    let out = ok(&["export", "--csv", "--questions", &path_str(&file)]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    let sets: Vec<_> = run
        .cases
        .iter()
        .filter_map(|c| c.question_set.as_ref())
        .collect();
    assert_eq!(sets.len(), 2, "the plain case has no question set");
    let questions: usize = sets.iter().map(|s| s.per_question.len()).sum();
    assert!(questions > 0);
    assert_eq!(lines.len(), 1 + questions, "{text}");
    assert_eq!(
        split_csv(lines[0]),
        [
            "bench",
            "host",
            "case_id",
            "group",
            "variant",
            "question",
            "asked",
            "correct",
            "incorrect",
            "unjudged",
            "time_s",
            "energy_j",
            "energy_method",
        ]
    );
    let rows: Vec<Vec<String>> = lines[1..].iter().map(|l| split_csv(l)).collect();
    let mut at = 0;
    for c in run.cases.iter().filter(|c| c.question_set.is_some()) {
        let set = c.question_set.as_ref().expect("set");
        for q in &set.per_question {
            let row = &rows[at];
            at += 1;
            assert_eq!(row.len(), 13);
            assert_eq!(row[0], "queries");
            assert_eq!(row[1], "host-q");
            assert_eq!(row[3], c.group);
            assert_eq!(row[4], c.variant.clone().unwrap_or_default());
            assert_eq!(row[5], q.index.to_string());
            assert_eq!(row[6], q.asked.to_string());
            assert_eq!(row[7].parse::<f64>().ok(), Some(q.correct));
            assert_eq!(row[8].parse::<f64>().ok(), Some(q.incorrect));
            assert_eq!(row[9], q.unjudged.to_string());
            assert_eq!(row[10].parse::<f64>().ok(), Some(q.time_s));
            assert_eq!(row[11].parse::<f64>().ok(), q.energy_j);
            assert_eq!(row[12], set.energy_method);
        }
    }
    assert_eq!(rows[0][2], "'=SUM(A1)", "a formula is neutralised");
    assert_eq!(rows[1][11], "", "null energy is empty, not 0");
    // Without query cases: the header alone, and a note that says why.
    let (a, _) = two_hosts(dir.path());
    let out = ok(&["export", "--csv", "--questions", &a]);
    assert_eq!(
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .lines()
            .count(),
        1
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no case in these files has a question set")
    );
}

/// Exit code 2 and a single line on stderr that contains `needle`.
#[track_caller]
fn refused(args: &[&str], needle: &str) {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
}

#[test]
fn bad_inputs_exit_2_with_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = two_hosts(dir.path());
    let missing = path_str(&dir.path().join("missing.json"));
    let not_json = dir.path().join("notes.json");
    std::fs::write(&not_json, "hello").expect("write");
    let not_json = path_str(&not_json);
    let old = dir.path().join("old.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&a).expect("a")).expect("a");
    v["schema_version"] = Value::from(999);
    std::fs::write(&old, v.to_string()).expect("write");
    let old = path_str(&old);
    let mut other = run_on("host-c", 1.0, 3);
    other.cases.retain(|c| c.id == "only-host-c");
    let other_path: PathBuf = dir.path().join("other.json");
    write_json_atomic(&other_path, &other).expect("write");
    let other = path_str(&other_path);

    for cmd in [&["compare"][..], &["merge"], &["export", "--csv"]] {
        let with = |files: &[&str]| {
            let mut v: Vec<&str> = cmd.to_vec();
            v.extend_from_slice(files);
            if cmd[0] == "merge" {
                v.extend_from_slice(&["-o", "/dev/null/x.json"]);
            }
            v.iter().map(|s| s.to_string()).collect::<Vec<_>>()
        };
        for (files, needle) in [
            (vec![a.as_str(), missing.as_str()], "missing.json"),
            (vec![not_json.as_str(), b.as_str()], "not JSON"),
            (vec![old.as_str(), b.as_str()], "schema_version 999"),
        ] {
            let args = with(&files);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            refused(&args, needle);
        }
    }
    refused(&["compare", &a], "two or more");
    refused(&["merge", &a, "-o", "x.json"], "two or more");
    refused(
        &["compare", &a, &other],
        "no case id appears in two or more",
    );
    refused(&["export", &a], "--csv");
    refused(
        &["compare", &a, &b, "--noise-threshold", "2"],
        "--noise-threshold",
    );
}

#[test]
fn devices_are_refused_by_every_command_that_reads_results() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, _) = two_hosts(dir.path());
    let merged = path_str(&dir.path().join("m.json"));
    for args in [
        vec!["compare", &a, "/dev/zero"],
        vec!["merge", &a, "/dev/zero", "-o", &merged],
        vec!["export", "--csv", "/dev/zero"],
        vec!["report", "/dev/zero"],
    ] {
        refused(
            &args,
            "cannot load /dev/zero: it is not a regular file but a character device",
        );
    }
}

/// Runs `args` with standard output a pipe whose reader is gone before the command writes
/// (as `| head` is once it has read enough): every write fails with EPIPE.
fn into_closed_pipe(args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cargo-ipw");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait")
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = two_hosts(dir.path());
    for args in [
        vec!["compare", &a, &b, "--format", "json"],
        vec!["compare", &a, &b],
        vec!["export", "--csv", &a, &b],
    ] {
        let out = into_closed_pipe(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert_eq!(err, "", "{args:?}");
    }
    // Through a shell, as people write it.
    let script = format!(
        "'{BIN}' compare '{a}' '{b}' --format json | head -c 10 >/dev/null; \
         echo \"${{PIPESTATUS[0]}}\""
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .output()
        .expect("bash");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn a_full_disk_is_an_error_with_exit_code_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = two_hosts(dir.path());
    for args in [
        vec!["compare", &a, &b, "--format", "json"],
        vec!["compare", &a, &b],
        vec!["export", "--csv", &a, &b],
    ] {
        let full = std::fs::File::create("/dev/full").expect("/dev/full");
        let out = Command::new(BIN)
            .args(&args)
            .stdout(full)
            .output()
            .expect("run cargo-ipw");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            err.starts_with("error: cannot write to standard output: No space left on device"),
            "{err}"
        );
    }
}

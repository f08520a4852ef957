//! Property tests: every reader of a user's file, through the built `cargo ipw`, on
//! mutated inputs (random bytes, byte order marks, CR/LF/CRLF endings, quoted fields with
//! newlines, missing and extra columns, NaN/inf/-0/1e400/1e300, empty and one-row groups,
//! zero variance, huge cells, header only, future schema versions, wrong types). Each run
//! ends with a result (exit 0, well-formed JSON) or one line of at most about 200
//! characters plus the `error: ` prefix (exit 2); never a panic, a signal or a hang.

use ipw_bench::results::example::full_example;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cargo-ipw");
/// Far more than any of these inputs needs; a reader that is not linear exceeds it.
const LIMIT: Duration = Duration::from_secs(20);
/// An error line: the message (about 200 characters at most) and its prefixes.
const LONGEST_ERROR: usize = 320;

/// What one run gave.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: &[u8]) -> Ran {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cargo-ipw");
    let input = stdin.to_vec();
    let mut pipe = child.stdin.take().expect("stdin");
    // The binary may stop reading at the first bad row: a broken pipe is expected then.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let start = Instant::now();
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            break;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            panic!("{args:?} ran past {LIMIT:?} on {} bytes", stdin.len());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let out = child.wait_with_output().expect("output");
    let _ = writer.join();
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The contract: a JSON result, or one short error line with exit 2.
fn check(args: &[&str], input: &[u8]) -> Result<(), TestCaseError> {
    let r = run(args, input);
    let shown = String::from_utf8_lossy(&input[..input.len().min(300)]).into_owned();
    match r.code {
        Some(0) => {
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(&r.stdout);
            prop_assert!(
                parsed.is_ok(),
                "{args:?}: exit 0 without one JSON document: {:?}\ninput: {shown:?}",
                r.stdout
            );
            let mut bad = Vec::new();
            p_values(&parsed.unwrap_or_default(), "", &mut bad);
            prop_assert!(
                bad.is_empty(),
                "{args:?}: p-values that are not in [0, 1]: {bad:?}\ninput: {shown:?}"
            );
        }
        Some(2) => {
            let lines: Vec<&str> = r.stderr.trim_end().lines().collect();
            prop_assert_eq!(
                lines.len(),
                1,
                "{:?}: {:?}\ninput: {:?}",
                args,
                r.stderr,
                shown
            );
            prop_assert!(
                lines[0].starts_with("error: ") && lines[0].chars().count() <= LONGEST_ERROR,
                "{args:?}: {:?}",
                lines[0]
            );
        }
        other => prop_assert!(
            false,
            "{args:?}: exit {other:?}\nstderr: {}\ninput: {shown:?}",
            r.stderr
        ),
    }
    Ok(())
}

/// Every p-value of a result (a key `p`, `p_value` or ending in `_p_value`) that is not a
/// number in [0, 1]: a NaN printed as a result would show here as `null`.
fn p_values(v: &serde_json::Value, at: &str, bad: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, child) in m {
                let here = format!("{at}.{k}");
                let is_p = k == "p" || k == "p_value" || k.ends_with("_p_value");
                let in_range = child.as_f64().is_some_and(|p| (0.0..=1.0).contains(&p));
                if is_p && !child.is_object() && !in_range {
                    bad.push(format!("{here} = {child}"));
                }
                p_values(child, &here, bad);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                p_values(child, &format!("{at}[{i}]"), bad);
            }
        }
        _ => {}
    }
}

/// A cell: what a user's file or a corruption may hold there.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (-1e3f64..1e3).prop_map(|v| format!("{v}")),
        2 => (0u32..20).prop_map(|v| v.to_string()),
        1 => Just("0".to_string()),
        1 => Just("1".to_string()),
        1 => prop::sample::select(vec![
            "NaN", "nan", "inf", "-inf", "Infinity", "-0", "1e400", "-1e400", "1e300",
            "-1e300", "1e-320", "18446744073709551616", "-1", "", " ", "x", "1,5", "0x10",
        ])
        .prop_map(str::to_string),
        1 => "[a-c]{1,3}",
        1 => "\"[a-c,\n\r\"]{0,6}\"",
        1 => prop::collection::vec(any::<u8>(), 0..6)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => Just("y".repeat(5000)),
    ]
}

/// A group label: few distinct values, so groups of one and more rows both occur.
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(vec!["a", "b", "c", "d"]).prop_map(str::to_string),
        1 => "[a-z]{0,3}",
        1 => Just("\"a\nb\"".to_string()),
    ]
}

/// A number a valid file may hold, extremes included (zero variance comes from repeats).
fn number() -> BoxedStrategy<String> {
    prop_oneof![
        6 => (-1e3f64..1e3).prop_map(|v| format!("{v}")),
        2 => (0u32..5).prop_map(|v| v.to_string()),
        1 => prop::sample::select(vec!["1e300", "-1e300", "1e200", "-0", "1e-320", "2", "2.0"])
            .prop_map(str::to_string),
    ]
    .boxed()
}

/// How the valid rows of a file are keyed: row `i` of `k` groups gives the first cells.
type Key = fn(usize, usize) -> String;

/// Row `i` in group `i mod k`.
fn cyclic(i: usize, k: usize) -> String {
    format!("g{}", i % k)
}

/// A CSV text for `columns`: either every row valid (the `key` cells, then `clean`'s; one
/// to four groups, repeats and extreme values) or mutated: header variants, cells from
/// anything a corruption may hold, ragged rows, blank lines; any line ending.
fn csv(
    columns: &'static [&'static str],
    key: Key,
    clean: BoxedStrategy<String>,
) -> BoxedStrategy<Vec<u8>> {
    let header = prop_oneof![
        6 => Just(columns.join(",")),
        1 => Just(format!("\u{feff}{}", columns.join(","))),
        1 => Just(format!("\u{feff}\"{}\"", columns.join("\",\""))),
        1 => Just(columns[..columns.len() - 1].join(",")),
        1 => Just(format!("{},{}", columns.join(","), columns[0])),
        1 => Just(format!("{},extra", columns.join(","))),
    ];
    let width = columns.len();
    let row = prop_oneof![
        6 => (label(), prop::collection::vec(cell(), width - 1)).prop_map(|(l, rest)| {
            std::iter::once(l).chain(rest).collect::<Vec<_>>().join(",")
        }),
        4 => (label(), clean.clone()).prop_map(|(l, c)| format!("{l},{c}")),
        1 => prop::collection::vec(cell(), 0..width + 2).prop_map(|c| c.join(",")),
        1 => Just(String::new()),
    ];
    let ending = || prop::sample::select(vec!["\n", "\r\n", "\r"]);
    let join = |(h, rows, end, trailing): (String, Vec<String>, &str, bool)| {
        let mut text = std::iter::once(h).chain(rows).collect::<Vec<_>>().join(end);
        if trailing {
            text.push_str(end);
        }
        text.into_bytes()
    };
    let valid = (
        Just(columns.join(",")),
        prop::collection::vec(clean, 1..40),
        1usize..5,
        ending(),
        any::<bool>(),
    )
        .prop_map(move |(h, cells, k, end, trailing)| {
            let rows = cells
                .into_iter()
                .enumerate()
                .map(|(i, c)| format!("{},{c}", key(i, k)))
                .collect();
            join((h, rows, end, trailing))
        });
    let mutated = (
        header,
        prop::collection::vec(row, 0..40),
        ending(),
        any::<bool>(),
    )
        .prop_map(join);
    prop_oneof![valid, mutated].boxed()
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

fn property(args: &[&str], input: BoxedStrategy<Vec<u8>>, cases: u32) {
    let mut with_stdin: Vec<&str> = args.to_vec();
    with_stdin.extend(["--format", "json", "-"]);
    runner(cases)
        .run(&input, |bytes| check(&with_stdin, &bytes))
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
}

const STATS: &[&str] = &["group", "value"];

#[test]
fn stats_readers_never_panic() {
    for test in [
        "describe",
        "ttest",
        "anova",
        "tukey",
        "games-howell",
        "levene",
    ] {
        property(&["stats", test], csv(STATS, cyclic, number()), 40);
    }
}

#[test]
fn the_paired_readers_never_panic() {
    // Valid rows: model `i mod k` answers question `i / k`, so every question is paired.
    let paired: Key = |i, k| format!("m{},q{}", i % k, i / k);
    let outcomes = (0u8..2).prop_map(|v| v.to_string()).boxed();
    property(
        &["stats", "mcnemar", "--group", "model", "--pair", "question"],
        csv(&["model", "question", "correct"], paired, outcomes),
        40,
    );
    property(
        &[
            "stats",
            "paired-bootstrap",
            "--group",
            "model",
            "--pair",
            "question",
            "--value",
            "value",
            "--resamples",
            "200",
        ],
        csv(&["model", "question", "value"], paired, number()),
        40,
    );
}

#[test]
fn the_survival_reader_never_panics() {
    let outcome = (0u32..20, 0u8..2)
        .prop_map(|(f, c)| format!("{f},{c}"))
        .boxed();
    property(
        &["survival", "--resamples", "200"],
        csv(
            &["task", "failures", "censored"],
            |i, _| format!("t{i}"),
            outcome,
        ),
        60,
    );
}

/// A results file, mutated: cut short, a byte changed, a field's type or the schema
/// version changed, or replaced by random bytes.
fn results_file() -> BoxedStrategy<Vec<u8>> {
    let good = serde_json::to_vec(&full_example()).expect("serialised");
    let n = good.len();
    let g1 = good.clone();
    let g2 = good.clone();
    let g3 = good.clone();
    prop_oneof![
        2 => (0..n).prop_map(move |k| g1[..k].to_vec()),
        2 => (0..n, any::<u8>()).prop_map(move |(k, b)| {
            let mut v = g2.clone();
            v[k] = b;
            v
        }),
        2 => prop::sample::select(vec![
            ("\"schema_version\":2", "\"schema_version\":99"),
            ("\"schema_version\":2", "\"schema_version\":\"2\""),
            ("\"cases\":[", "\"cases\":{\"x\":["),
            ("\"point\":", "\"point\":\"x\",\"was\":"),
            ("\"samples\":[", "\"samples\":null,\"was\":["),
            ("\"id\":\"", "\"id\":7,\"was\":\""),
        ])
        .prop_map(move |(from, to)| {
            String::from_utf8_lossy(&g3).replacen(from, to, 1).into_bytes()
        }),
        1 => prop::collection::vec(any::<u8>(), 0..200),
        1 => Just(b"\xef\xbb\xbf{}".to_vec()),
        1 => Just(good),
    ]
    .boxed()
}

#[test]
fn results_file_readers_never_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good.json");
    std::fs::write(
        &good,
        serde_json::to_vec(&full_example()).expect("serialised"),
    )
    .expect("written");
    let bad = dir.path().join("bad.json");
    let good = good.to_string_lossy().into_owned();
    let bad_s = bad.to_string_lossy().into_owned();
    let out = dir.path().join("out").to_string_lossy().into_owned();
    let commands: Vec<Vec<&str>> = vec![
        vec!["compare", &good, &bad_s, "--format", "json"],
        vec!["merge", &bad_s, &good, "-o", &out],
        vec!["export", "--format", "bmf", &bad_s],
        vec!["plan", &bad_s, "--format", "json"],
    ];
    runner(30)
        .run(&results_file(), |bytes| {
            std::fs::write(&bad, &bytes).expect("written");
            for args in &commands {
                let r = run(args, b"");
                // merge writes a file rather than JSON on stdout: only its exit matters.
                let ok_output = args[0] == "merge" || args[0] == "export";
                match r.code {
                    Some(0) if ok_output => {}
                    Some(0) => prop_assert!(
                        serde_json::from_str::<serde_json::Value>(&r.stdout).is_ok(),
                        "{args:?}: {:?}",
                        r.stdout
                    ),
                    Some(2) => {
                        let lines: Vec<&str> = r.stderr.trim_end().lines().collect();
                        prop_assert_eq!(lines.len(), 1, "{:?}: {:?}", args, r.stderr);
                        prop_assert!(
                            lines[0].chars().count() <= LONGEST_ERROR,
                            "{args:?}: {}",
                            lines[0]
                        );
                    }
                    other => prop_assert!(false, "{args:?}: exit {other:?}: {}", r.stderr),
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn ten_thousand_groups_and_a_megabyte_line_are_answered_or_refused_in_one_line() {
    let many: String = std::iter::once("group,value".to_string())
        .chain((0..10_000).map(|i| format!("g{i},{}", i % 7)))
        .collect::<Vec<_>>()
        .join("\n");
    check(
        &["stats", "describe", "--format", "json", "-"],
        many.as_bytes(),
    )
    .unwrap();
    check(
        &["stats", "anova", "--format", "json", "-"],
        many.as_bytes(),
    )
    .unwrap();
    let huge = format!("group,value\na,{}\n", "9".repeat(1 << 20));
    check(
        &["stats", "describe", "--format", "json", "-"],
        huge.as_bytes(),
    )
    .unwrap();
    // A name of 100 kB (the shape a fuzzed case found): the message quotes it cut.
    let long_name = "y".repeat(100_000);
    let one_group = format!("group,value\n{long_name},1\n{long_name},2\n");
    for test in ["ttest", "anova", "tukey", "mannwhitney", "kruskal"] {
        check(
            &["stats", test, "--format", "json", "-"],
            one_group.as_bytes(),
        )
        .unwrap();
    }
    let lone = format!("group,value\na,1\na,2\n{long_name},3\n");
    for test in ["ttest", "anova", "games-howell", "shapiro"] {
        check(&["stats", test, "--format", "json", "-"], lone.as_bytes()).unwrap();
    }
    let unclosed = format!("group,value\n\"a,1\n{}", "b,2\n".repeat(80_000));
    check(
        &["stats", "describe", "--format", "json", "-"],
        unclosed.as_bytes(),
    )
    .unwrap();
}

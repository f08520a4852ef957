//! End-to-end: a bench written for criterion 0.5's API runs under ipw-criterion-compat in
//! test mode, in list mode and briefly in bench mode, every benchmark id with time and
//! energy in results.json, its groups compared.

use ipw_tests::{case, read_json, results_path, run, text, BRIEF_BENCH};
use std::path::Path;

const EXE: &str = env!("CARGO_BIN_EXE_ipw-criterion-05");
const IDS: [&str; 6] = [
    "fib 15",
    "hash/fnv1a/64",
    "hash/fnv1a/1024",
    "sort/stable",
    "sort/unstable",
    "sort/custom",
];

#[test]
fn test_and_list_modes_run_every_benchmark_once() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(Path::new(EXE), dir.path(), &[]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    for id in IDS {
        assert!(out.contains(&format!("test {id} ... ok")), "{id}:\n{out}");
    }
    assert!(out.contains("6 passed"), "{out}");
    let o = run(Path::new(EXE), dir.path(), &["--bench", "--test", "hash"]);
    let (out, _) = text(&o);
    assert!(out.contains("2 passed"), "{out}");
    let o = run(Path::new(EXE), dir.path(), &["--list"]);
    let (out, _) = text(&o);
    assert!(out.contains("sort/custom: benchmark"), "{out}");
    assert!(!results_path(dir.path(), "ipw-criterion-05").exists());
}

#[test]
fn bench_mode_measures_every_id_and_compares_the_groups() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(Path::new(EXE), dir.path(), BRIEF_BENCH);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let r = read_json(&results_path(dir.path(), "ipw-criterion-05"));
    for id in IDS {
        let c = case(&r, id);
        assert_eq!(c["status"], "ok", "{id}: {c}");
        for m in ["time_per_iter_s", "energy_per_iter_j"] {
            let p = c["estimates"][m]["point"].as_f64().unwrap_or(0.0);
            assert!(p > 0.0, "{id}: {m}");
        }
    }
    assert_eq!(case(&r, "sort/stable")["kind"], "iter_batched");
    assert_eq!(case(&r, "sort/custom")["kind"], "iter_custom");
    let hash = case(&r, "hash/fnv1a/1024");
    assert_eq!(hash["throughput"]["bytes"], 1024);
    assert!(hash["estimates"]["bytes_per_j"]["point"].as_f64().unwrap() > 0.0);
    let groups: Vec<&str> = r["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["group"].as_str())
        .collect();
    assert!(
        groups.contains(&"hash") && groups.contains(&"sort"),
        "{groups:?}"
    );
}

#[test]
fn a_bad_flag_stops_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        Path::new(EXE),
        dir.path(),
        &["--bench", "--sample-size", "x"],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = run(Path::new(EXE), dir.path(), &["--bench", "no-such-case"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
}

#[test]
fn sigint_keeps_the_finished_groups_of_a_criterion_bench() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<&str> = BRIEF_BENCH.to_vec();
    args.extend(["--measurement-time", "2"]);
    let mut child = ipw_tests::command(Path::new(EXE), dir.path(), &args, &[])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the bench starts");
    let mut stderr = BufReader::new(child.stderr.take().expect("piped")).lines();
    let mut seen = Vec::new();
    for line in stderr.by_ref() {
        let line = line.expect("a line");
        seen.push(line.clone());
        // The groups are not known in advance: no "of N".
        if line.contains("checkpoint: 1 groups") {
            break;
        }
    }
    assert!(
        seen.last()
            .is_some_and(|l| l.contains("checkpoint: 1 groups")),
        "{seen:#?}"
    );
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    // SAFETY: a signal to our own child, not yet waited for.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    seen.extend(stderr.map_while(Result::ok));
    let status = child.wait().expect("waited");
    assert_eq!(status.code(), Some(130), "{seen:#?}");
    let said = seen
        .iter()
        .find(|l| l.contains("interrupted by SIGINT"))
        .unwrap_or_else(|| panic!("{seen:#?}"));
    // An inline bench cannot be resumed: the line does not offer it.
    assert!(!said.contains("--resume"), "{said}");
    let r = read_json(&results_path(dir.path(), "ipw-criterion-05"));
    assert_eq!(r["run"]["status"], "interrupted");
    let ids: Vec<&str> = r["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"fib 15"), "{ids:?}");
    assert!(
        ids.len() < IDS.len(),
        "the group cut short is left out: {ids:?}"
    );
    for id in &ids {
        assert_eq!(case(&r, id)["status"], "ok", "{id}");
    }
}

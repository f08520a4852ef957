//! End-to-end: `--shard K/N` splits a run over separate processes by group, and `cargo ipw
//! merge` of the shards' results gives the same case ids and groups as one unsharded run.

use ipw_tests::{read_json, results_path, run, run_with_env, text, QUICK};
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::Path;

const EXE: &str = env!("CARGO_BIN_EXE_ipw-fixture");

/// Cheap cases of three groups (`fixture`, `other`, `sized`), measured quickly.
fn bench_args(extra: &[&str]) -> Vec<String> {
    let mut v: Vec<&str> = vec!["--bench", "--sensors", "synthetic:50"];
    v.extend_from_slice(QUICK);
    v.extend_from_slice(&["--skip", "panics", "--skip", "gpu", "--skip", "scored"]);
    v.extend_from_slice(extra);
    v.iter().map(|s| s.to_string()).collect()
}

/// Case id -> group of a results file.
fn cases_of(results: &serde_json::Value) -> BTreeMap<String, String> {
    results["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().expect("text").to_string();
            (s("id"), s("group"))
        })
        .collect()
}

#[test]
fn three_shards_merged_equal_one_unsharded_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = dir.path().join("whole");
    let args = bench_args(&[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(Path::new(EXE), &whole, &args);
    assert!(o.status.success(), "{:?}", text(&o));
    let unsharded = cases_of(&read_json(&results_path(&whole, "ipw-fixture")));
    let groups: BTreeSet<&String> = unsharded.values().collect();
    assert!(groups.len() >= 3, "{unsharded:?}");

    let mut files = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut shard_of: BTreeMap<String, usize> = BTreeMap::new();
    for k in 1..=3 {
        let out = dir.path().join(format!("shard{k}"));
        let shard = format!("{k}/3");
        // Shard 2 takes the environment twin; the others the flag.
        let o = if k == 2 {
            run_with_env(
                Path::new(EXE),
                &out,
                &args,
                &[("IPW_SHARD", OsStr::new(&shard))],
            )
        } else {
            let mut a = args.clone();
            a.extend_from_slice(&["--shard", &shard]);
            run(Path::new(EXE), &out, &a)
        };
        assert!(o.status.success(), "shard {shard}: {:?}", text(&o));
        let path = results_path(&out, "ipw-fixture");
        let mine = cases_of(&read_json(&path));
        assert!(!mine.is_empty(), "shard {shard} ran nothing");
        for (id, group) in mine {
            // A group is measured in one shard only, all its variants together.
            let first = *shard_of.entry(group.clone()).or_insert(k);
            assert_eq!(first, k, "group {group} split across shards");
            assert!(
                seen.insert(id.clone(), group).is_none(),
                "{id} in two shards"
            );
        }
        files.push(path);
    }
    let merged = dir.path().join("merged.json");
    let mut argv: Vec<std::ffi::OsString> = vec!["cargo-ipw".into(), "merge".into()];
    argv.extend(files.iter().map(|f| f.as_os_str().to_owned()));
    argv.extend(["-o".into(), merged.as_os_str().to_owned()]);
    assert_eq!(ipw_reports::cli::run(argv), 0);
    let m = read_json(&merged);
    assert_eq!(cases_of(&m), unsharded);
    // Each source run, with its host, is recorded in the merged file.
    let from = m["run"]["config"]["merged_from"]
        .as_array()
        .expect("merged_from");
    assert_eq!(from.len(), 3);
    let host = m["run"]["host"]["hostname"].as_str().unwrap_or_default();
    for f in from {
        assert!(host.contains(f["host"].as_str().expect("host")), "{f}");
    }
    // Each group's variants are compared within the shard that ran them.
    let compared: BTreeSet<&str> = m["comparisons"]
        .as_array()
        .expect("comparisons")
        .iter()
        .filter_map(|c| c["group"].as_str())
        .collect();
    assert!(compared.contains("fixture"), "{compared:?}");
}

#[test]
fn bad_shards_exit_2_before_measuring() {
    let dir = tempfile::tempdir().expect("tempdir");
    for bad in ["0/3", "4/3", "x/y"] {
        let o = run(Path::new(EXE), dir.path(), &["--bench", "--shard", bad]);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{bad}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains("--shard") && err.contains("K/N"), "{err}");
        assert!(!results_path(dir.path(), "ipw-fixture").exists());
    }
}

//! End-to-end tests of `cargo ipw plan`: the built binary on a results file of three
//! processes that the test writes itself, and on inputs it must refuse with one line.

use ipw_bench::results::example::{analysed, example_run, synthetic_case};
use ipw_bench::results::{write_json_atomic, RunResults};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cargo-ipw");

/// Two cases of 24 samples in 3 processes, each process 4% slower than the one before.
fn three_processes() -> RunResults {
    let cases = ["fmt/small", "alloc/vec"]
        .iter()
        .map(|id| {
            let mut c = synthetic_case(id, 1.0, 24, 3, None);
            for (i, s) in c.samples.iter_mut().enumerate() {
                let k = (i % 3) as u32;
                s.process = Some(k);
                s.elapsed_s *= 1.0 + 0.04 * f64::from(k);
            }
            c
        })
        .collect();
    let mut run = analysed(example_run("micro", 1, cases));
    run.run.process_wall_s = vec![6.0; 3];
    run
}

fn plan(args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("plan")
        .args(args)
        .output()
        .expect("run cargo-ipw")
}

fn write(dir: &Path, name: &str, run: &RunResults) -> String {
    let p = dir.join(name);
    write_json_atomic(&p, run).expect("write");
    p.to_string_lossy().into_owned()
}

#[test]
fn plans_a_run_of_three_processes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "run.json", &three_processes());
    let out = plan(&[&file, "--target", "2%"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.starts_with("plan for a +-2% interval (95%)"), "{text}");
    assert!(text.contains("fmt/small"), "{text}");
    assert!(text.contains("run: --processes "), "{text}");
    let out = plan(&[&file, "--target", "2%", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["target"], 0.02);
    assert_eq!(v["measured_processes"], 3);
    assert_eq!(v["metrics"].as_array().map(Vec::len), Some(4));
    let run = &v["run"];
    assert!(run["processes"].as_u64().unwrap() >= 2, "{v}");
    assert!(run["detectable_change"].as_f64().unwrap() > 0.0, "{v}");
}

#[test]
fn refuses_bad_input_with_one_line_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut one = three_processes();
    for c in &mut one.cases {
        c.processes = None;
    }
    let one = write(dir.path(), "one.json", &one);
    let good = write(dir.path(), "run.json", &three_processes());
    let missing = dir.path().join("missing.json");
    for (args, says) in [
        (vec![one.as_str()], "--processes 4"),
        (vec![good.as_str(), "--target", "0%"], "above 0%"),
        (vec![good.as_str(), "--target", "wide"], "not a percentage"),
        (vec![missing.to_str().unwrap()], "cannot load"),
    ] {
        let out = plan(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

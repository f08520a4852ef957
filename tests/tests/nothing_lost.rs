//! Nothing lost: checkpoints after every group, SIGINT and SIGTERM, SIGKILL, partial runs
//! that merge, unusable output folders and two runs on one folder. Every wait is on
//! something the bench binary says or writes, with generous timeouts, never on a sleep.

use ipw_tests::{case, command, read_json, results_path, run_with_env, text, QUICK};
use serde_json::Value;
use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

const BENCH: &str = "ipw-fixture";
/// Long enough for a loaded machine; a healthy run takes seconds.
const TIMEOUT: Duration = Duration::from_secs(300);

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_ipw-fixture"))
}

fn env() -> [(&'static str, &'static OsStr); 1] {
    [("FIXTURE_NO_PANIC", OsStr::new("1"))]
}

/// Bench mode on a synthetic source, QUICK, then `extra` (a repeated flag's last value
/// counts).
fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a: Vec<&str> = vec!["--bench", "--sensors", "synthetic:50"];
    a.extend_from_slice(QUICK);
    a.extend_from_slice(extra);
    a
}

/// Groups slow enough that a signal sent after the first lands inside a later one.
const SLOW: &[&str] = &["--measurement-time", "2"];

/// A bench binary running in the background, its stderr read line by line.
struct Watched {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watched {
    fn start(out: &Path, args: &[&str]) -> Watched {
        let mut child = command(exe(), out, args, &env())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the bench binary starts");
        let stderr = child.stderr.take().expect("piped");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watched {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Wait for a line of stderr that contains `needle`, and return it.
    fn wait_for(&mut self, needle: &str) -> String {
        loop {
            match self.lines.recv_timeout(TIMEOUT) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(e) => panic!("no line with {needle:?} ({e}); stderr: {:#?}", self.seen),
            }
        }
    }

    fn signal(&self, sig: libc::c_int) {
        let pid = libc::pid_t::try_from(self.child.id()).expect("a pid");
        // SAFETY: sends a signal to our own child, which has not been waited for.
        assert_eq!(unsafe { libc::kill(pid, sig) }, 0, "kill");
    }

    /// Wait for the process to end; its status and all of stderr.
    fn finish(mut self) -> (ExitStatus, Vec<String>) {
        let status = self.child.wait().expect("waited");
        self.seen.extend(self.lines.iter());
        (status, self.seen)
    }
}

fn groups(results: &Value) -> BTreeSet<String> {
    results["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["group"].as_str().expect("group").to_string())
        .collect()
}

/// Run to the end and check it succeeded.
fn complete_run(out: &Path, extra: &[&str]) -> Value {
    let o = run_with_env(exe(), out, &args(extra), &env());
    assert!(o.status.success(), "{:?}", text(&o));
    read_json(&results_path(out, BENCH))
}

fn interrupted_by(sig: libc::c_int, code: i32, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut run = Watched::start(dir.path(), &args(SLOW));
    run.wait_for("checkpoint: 1 of");
    // The first checkpoint is on disk, readable, and says the run goes on.
    let checkpoint = read_json(&results_path(dir.path(), BENCH));
    assert_eq!(checkpoint["run"]["status"], "running");
    assert_eq!(groups(&checkpoint).len(), 1);
    run.signal(sig);
    let (status, stderr) = run.finish();
    assert_eq!(status.code(), Some(code), "{stderr:#?}");
    let said = stderr
        .iter()
        .find(|l| l.contains(&format!("interrupted by {name}")))
        .unwrap_or_else(|| panic!("{stderr:#?}"));
    // "ipw: interrupted by SIGINT: K of N groups finished, written to PATH"
    let finished: usize = said
        .split(": ")
        .nth(2)
        .and_then(|s| s.split(' ').next())
        .and_then(|k| k.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    assert!(
        said.contains("written to") && said.contains("results.json"),
        "{said}"
    );
    let results = read_json(&results_path(dir.path(), BENCH));
    assert_eq!(results["run"]["status"], "interrupted");
    assert!(finished >= 1);
    assert_eq!(
        groups(&results).len(),
        finished,
        "every finished group, no other"
    );
    for c in results["cases"].as_array().expect("cases") {
        assert!(c["samples"].as_array().is_some_and(|s| !s.is_empty()) || c["status"] != "ok");
        assert_eq!(c["run_started_at"], results["run"]["started_at"]);
    }
}

#[test]
fn sigint_mid_run_keeps_every_finished_group_and_exits_130() {
    interrupted_by(libc::SIGINT, 130, "SIGINT");
}

#[test]
fn sigterm_mid_run_keeps_every_finished_group_and_exits_143() {
    interrupted_by(libc::SIGTERM, 143, "SIGTERM");
}

/// Every entry of `dir` whose name ends in `.tmp`.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn sigkill_leaves_the_checkpoint_and_the_next_run_cleans_up_and_merges() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bench_dir = dir.path().join(BENCH);
    let mut run = Watched::start(dir.path(), &args(SLOW));
    run.wait_for("checkpoint: 1 of");
    let before = std::fs::read(results_path(dir.path(), BENCH)).expect("the checkpoint");
    run.signal(libc::SIGKILL);
    let (status, _) = run.finish();
    assert_eq!(status.code(), None, "killed");
    assert_eq!(
        std::fs::read(results_path(dir.path(), BENCH)).expect("read"),
        before
    );
    let killed = read_json(&results_path(dir.path(), BENCH));
    let first_group = groups(&killed).into_iter().next().expect("one group");
    // What killed writers leave: pids above the kernel's limit never run.
    std::fs::write(bench_dir.join(".results.json.4194305.tmp"), "{").expect("written");
    std::fs::create_dir(dir.path().join(".report.4194306.tmp")).expect("made");
    let next = complete_run(dir.path(), &["renamed"]);
    assert!(
        temporaries(dir.path()).is_empty(),
        "{:?}",
        temporaries(dir.path())
    );
    assert!(
        temporaries(&bench_dir).is_empty(),
        "{:?}",
        temporaries(&bench_dir)
    );
    // The killed run's finished group is kept beside the new case.
    assert_eq!(next["run"]["status"], "complete");
    let kept = groups(&next);
    assert!(
        kept.contains(&first_group) && kept.contains("other"),
        "{kept:?}"
    );
}

#[test]
fn a_filtered_run_and_a_filtered_baseline_keep_the_other_cases() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = complete_run(dir.path(), &["--save-baseline", "main"]);
    let all = first["cases"].as_array().expect("cases").len();
    assert!(all > 3);
    let second = complete_run(dir.path(), &["--save-baseline", "main", "renamed"]);
    let baseline = read_json(&dir.path().join(BENCH).join("baselines").join("main.json"));
    for doc in [&second, &baseline] {
        assert_eq!(doc["cases"].as_array().expect("cases").len(), all);
        let renamed = case(doc, "other/renamed");
        assert_eq!(renamed["run_started_at"], second["run"]["started_at"]);
        let kept = case(doc, "sized/1");
        assert_eq!(kept["run_started_at"], first["run"]["started_at"]);
        assert_eq!(kept["samples"], case(&first, "sized/1")["samples"]);
    }
    // The comparisons of the groups the second run did not touch are kept.
    let of = |doc: &Value, group: &str| {
        doc["comparisons"]
            .as_array()
            .expect("comparisons")
            .iter()
            .filter(|c| c["group"] == group)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(!of(&first, "sized").is_empty());
    assert_eq!(of(&second, "sized"), of(&first, "sized"));
}

#[test]
fn unusable_output_folders_are_refused_before_measuring() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("file");
    std::fs::write(&file, "x").expect("written");
    for out in [file.join("sub"), Path::new("/proc/1/ipw").to_path_buf()] {
        let o = run_with_env(exe(), &out, &args(&["renamed"]), &env());
        let (_, stderr) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(&out.display().to_string()), "{stderr}");
        assert!(!stderr.contains("sampling"), "{stderr}");
    }
    // Without root, a read-only folder is refused too (root writes anywhere).
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).expect("made");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        let o = run_with_env(exe(), &ro, &args(&["renamed"]), &env());
        assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
    }
}

#[test]
fn a_failed_write_keeps_the_previous_results_and_names_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    complete_run(dir.path(), &["renamed"]);
    let path = results_path(dir.path(), BENCH);
    let before = std::fs::read(&path).expect("read");
    let mut run = Watched::start(dir.path(), &args(&["sized"]));
    // Sources are said after the folder was checked and before anything is measured.
    run.wait_for("ipw: ");
    // A folder where this run's temporary file goes: every write fails as on a full disk.
    let tmp = dir
        .path()
        .join(BENCH)
        .join(format!(".results.json.{}.tmp", run.child.id()));
    std::fs::create_dir(&tmp).expect("made");
    let (status, stderr) = run.finish();
    assert_eq!(status.code(), Some(1), "{stderr:#?}");
    let error = stderr
        .iter()
        .find(|l| l.starts_with("error: cannot write"))
        .unwrap_or_else(|| panic!("{stderr:#?}"));
    assert!(error.contains(&path.display().to_string()), "{error}");
    assert!(error.contains("directory"), "{error}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "the old file is intact"
    );
}

/// Start a run of the filter `first.0`, and once it holds the folder, one of `second.0`;
/// both finish, and the file is one whole document with each run's group (`.1`).
fn two_writers(first: (&str, &str), second: (&str, &str)) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut a = Watched::start(dir.path(), &args(&[first.0]));
    a.wait_for("ipw: ");
    let mut b = Watched::start(dir.path(), &args(&[second.0]));
    let waiting = b.wait_for("waiting for");
    assert!(
        waiting.contains(&format!("process {}", a.child.id())),
        "{waiting}"
    );
    let (sa, ea) = a.finish();
    let (sb, eb) = b.finish();
    assert!(sa.success(), "{ea:#?}");
    assert!(sb.success(), "{eb:#?}");
    let results = read_json(&results_path(dir.path(), BENCH));
    assert_eq!(results["run"]["status"], "complete");
    let by_run = |group: &str| -> BTreeSet<String> {
        results["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .filter(|c| c["group"] == group)
            .map(|c| c["run_started_at"].as_str().expect("stamped").to_string())
            .collect()
    };
    let (ra, rb) = (by_run(first.1), by_run(second.1));
    assert_eq!(ra.len(), 1, "{ra:?}");
    assert_eq!(rb.len(), 1, "{rb:?}");
    assert!(ra < rb, "the second run started after the first ended");
    assert_eq!(
        rb.iter().next().map(String::as_str),
        results["run"]["started_at"].as_str()
    );
}

#[test]
fn two_runs_on_one_folder_take_turns_in_either_order() {
    let (sized, renamed) = (("sized", "sized"), ("renamed", "other"));
    two_writers(sized, renamed);
    two_writers(renamed, sized);
}

/// The case ids of a results file, in order.
fn case_ids(results: &Value) -> Vec<String> {
    results["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

/// Stop a two-group run (`sized`, then `other`) inside its second group with `sig`, then
/// continue it with `--resume`: the file ends complete, with the cases and configuration
/// of a run that was never stopped, each part's idle recorded.
fn resumed_after(sig: libc::c_int, part_status: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let selection = ["sized", "other"];
    let mut extra: Vec<&str> = SLOW.to_vec();
    extra.extend(selection);
    let mut run = Watched::start(dir.path(), &args(&extra));
    run.wait_for("checkpoint: 1 of 2");
    run.signal(sig);
    let (status, stderr) = run.finish();
    assert_ne!(status.code(), Some(0), "{stderr:#?}");
    let stopped = read_json(&results_path(dir.path(), BENCH));
    assert_eq!(groups(&stopped), BTreeSet::from(["sized".to_string()]));
    assert_eq!(stopped["run"]["status"], part_status);
    let selected: Vec<&str> = stopped["run"]["selected"]
        .as_array()
        .expect("the selection is recorded")
        .iter()
        .map(|v| v.as_str().expect("an id"))
        .collect();
    assert_eq!(selected, ["sized/1", "sized/2", "sized/4", "other/renamed"]);

    let mut resume_args: Vec<&str> = extra.clone();
    resume_args.push("--resume");
    let o = run_with_env(exe(), dir.path(), &args(&resume_args), &env());
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("resuming the run started at") && err.contains("3 of 4 cases finished"),
        "{err}"
    );
    let resumed = read_json(&results_path(dir.path(), BENCH));
    assert_eq!(resumed["run"]["status"], "complete");
    assert!(resumed["run"].get("selected").is_none());
    let parts = resumed["run"]["resumed"].as_array().expect("the parts");
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0]["started_at"], stopped["run"]["started_at"]);
    assert_eq!(parts[0]["status"], part_status);
    assert_eq!(parts[0]["idle"], stopped["idle"]);
    // The first part's cases are kept as measured; the second part measured the rest.
    for id in ["sized/1", "sized/2", "sized/4"] {
        assert_eq!(case(&resumed, id)["samples"], case(&stopped, id)["samples"]);
    }
    assert_eq!(
        case(&resumed, "other/renamed")["run_started_at"],
        resumed["run"]["started_at"]
    );

    let whole = tempfile::tempdir().expect("temp dir");
    let never_stopped = complete_run(whole.path(), &extra);
    assert_eq!(case_ids(&resumed), case_ids(&never_stopped));
    let config = |doc: &Value| {
        let mut c = doc["run"]["config"].clone();
        c.as_object_mut().expect("an object").remove("output_dir");
        c
    };
    assert_eq!(config(&resumed), config(&never_stopped));
    let compared = |doc: &Value| -> Vec<Value> {
        doc["comparisons"]
            .as_array()
            .expect("comparisons")
            .iter()
            .map(|c| c["group"].clone())
            .collect()
    };
    assert_eq!(compared(&resumed), compared(&never_stopped));

    // Nothing is left to continue.
    let o = run_with_env(exe(), dir.path(), &args(&resume_args), &env());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("completed; nothing to continue"), "{err}");
}

#[test]
fn sigint_then_resume_gives_the_run_that_was_never_stopped() {
    resumed_after(libc::SIGINT, "interrupted");
}

#[test]
fn sigkill_then_resume_continues_from_the_last_checkpoint() {
    resumed_after(libc::SIGKILL, "running");
}

#[test]
fn resume_refuses_another_configuration_or_selection_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut run = Watched::start(
        dir.path(),
        &args(&["--measurement-time", "2", "sized", "other"]),
    );
    run.wait_for("checkpoint: 1 of 2");
    run.signal(libc::SIGINT);
    let (status, stderr) = run.finish();
    assert_eq!(status.code(), Some(130), "{stderr:#?}");
    assert!(
        stderr
            .iter()
            .any(|l| l.contains("continue it with --resume")),
        "{stderr:#?}"
    );
    let path = results_path(dir.path(), BENCH);
    let before = std::fs::read(&path).expect("the interrupted results");
    let refused = [
        (
            vec!["--measurement-time", "1", "sized", "other", "--resume"],
            "measurement_time 1.0 (the interrupted run: 2.0)",
        ),
        (
            vec!["--measurement-time", "2", "sized", "--resume"],
            r#"filters ["sized"] (the interrupted run: ["sized","other"])"#,
        ),
        (
            vec![
                "--measurement-time",
                "2",
                "sized",
                "other",
                "--resume",
                "--processes",
                "2",
            ],
            "--resume cannot continue a --processes 2 run",
        ),
    ];
    for (extra, said) in refused {
        let o = run_with_env(exe(), dir.path(), &args(&extra), &env());
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(said), "{extra:?}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert_eq!(std::fs::read(&path).expect("read"), before, "{extra:?}");
    }
    let fresh = tempfile::tempdir().expect("temp dir");
    let o = run_with_env(exe(), fresh.path(), &args(&["other", "--resume"]), &env());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("no earlier run in"), "{err}");
}

/// Whether this machine lets a test mount a tmpfs in a namespace of its own; says SKIPPED
/// when it does not.
fn can_mount_tmpfs() -> bool {
    let can = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !can {
        eprintln!("SKIPPED: `unshare -rm` cannot mount a tmpfs on this machine");
    }
    can
}

#[test]
fn a_full_64_kib_tmpfs_keeps_the_previous_results_and_exits_1() {
    if !can_mount_tmpfs() {
        return;
    }
    // The previous results: one small case, written where there is room.
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("first");
    complete_run(&first, &["renamed"]);
    let previous = results_path(&first, BENCH);
    let full = dir.path().join("full");
    std::fs::create_dir(&full).expect("made");
    // In a mount namespace of its own: a 64 KiB tmpfs holding the previous results, and a
    // run of two groups whose checkpoints, results and report do not fit in it.
    let mut bench = format!(
        "FIXTURE_NO_PANIC=1 '{}' --bench --sensors synthetic:50 --output-dir '{}'",
        exe().display(),
        full.display()
    );
    for a in QUICK.iter().chain(&["fixture", "sized"]) {
        bench.push_str(&format!(" '{a}'"));
    }
    let script = format!(
        "set -e; mount -t tmpfs -o size=64k tmpfs '{full}'; mkdir '{full}/{BENCH}'; \
         cp '{prev}' '{full}/{BENCH}/results.json'; set +e; {bench}; code=$?; \
         cp '{full}/{BENCH}/results.json' '{out}/after.json'; \
         ls -a '{full}' '{full}/{BENCH}' | sed 's/^/entry: /'; \
         exit $code",
        full = full.display(),
        prev = previous.display(),
        out = dir.path().display(),
    );
    let o = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .env_remove("IPW_OUTPUT_DIR")
        .output()
        .expect("unshare runs");
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    let said = err
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        said.contains(&format!("{BENCH}/results.json")) && said.contains("No space left"),
        "{said}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("after.json")).expect("copied out"),
        std::fs::read(&previous).expect("read"),
        "the previous results are intact"
    );
    let left: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("entry: "))
        .filter(|e| e.ends_with(".tmp"))
        .collect();
    assert!(out.contains("entry: .ipw.lock"), "the listing: {out}");
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn a_64_kib_tmpfs_too_small_for_the_planned_samples_is_refused_before_measuring() {
    if !can_mount_tmpfs() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let full = dir.path().join("small");
    std::fs::create_dir(&full).expect("made");
    // 9 cases of 100 samples: at least 9 x (1 KiB + 100 x 200 B), over 180 KiB.
    let script = format!(
        "set -e; mount -t tmpfs -o size=64k tmpfs '{full}'; set +e; \
         FIXTURE_NO_PANIC=1 '{exe}' --bench --sensors synthetic:50 --output-dir '{full}' \
         --sample-size 100 fixture sized other; code=$?; \
         ls -a '{full}/{BENCH}' | sed 's/^/entry: /'; exit $code",
        full = full.display(),
        exe = exe().display(),
    );
    let t = std::time::Instant::now();
    let o = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .env_remove("IPW_OUTPUT_DIR")
        .output()
        .expect("unshare runs");
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}\n{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line, before any sensor line: {err}");
    assert!(
        lines[0].starts_with("error: output directory")
            && lines[0].contains("KiB free")
            && lines[0].contains("--output-dir"),
        "{err}"
    );
    assert!(out.contains("entry: ."), "the listing: {out}");
    assert!(
        !out.contains("entry: results.json"),
        "nothing written: {out}"
    );
    // Refused before measuring: far less than the groups' measuring time.
    assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
}

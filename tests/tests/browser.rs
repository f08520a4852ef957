//! End-to-end: the fixture in bench mode writes a report, and a run comparison of its
//! results against a second results file is written beside it and into a folder of its
//! own; every page is loaded in headless Chromium (no console messages, no broken links,
//! the key numbers present) and screenshotted under `target/ipw-browser/`.

use ipw_bench::analysis::format::sig;
use ipw_bench::report::across_runs::{LabelledRun, RunComparison};
use ipw_bench::report::write_run_comparison;
use ipw_bench::results::{read_results, write_json_atomic, Metric, RunResults};
use ipw_tests::{run, text, QUICK};
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const EXE: &str = env!("CARGO_BIN_EXE_ipw-fixture");

/// Chromium, from `IPW_CHROMIUM` or the Debian path; `None` when absent.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("IPW_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    path.is_file().then_some(path)
}

/// Where screenshots go: `$CARGO_TARGET_DIR/ipw-browser`, else the workspace's target.
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("target")
        });
    target.join("ipw-browser")
}

/// Run Chromium headless on `page` with `extra` flags, in a fresh profile, killed after
/// a minute so a hung browser fails the test instead of stalling it.
fn chromium_run(browser: &Path, page: &Path, extra: &[String]) -> Output {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read both pipes while waiting: a page's DOM can be larger than a pipe's buffer, and
    // a browser blocked on a full pipe would never exit.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait on chromium") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish within 60 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

/// Console messages Chromium logged: with no scripts on our pages, any message (a failed
/// resource load, a blocked request, a parse error) is a defect.
fn console_messages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("ERR_FILE_NOT_FOUND"))
        .map(str::to_string)
        .collect()
}

/// Every `href` and `src` value of an HTML page, entities decoded.
fn references(html: &str) -> Vec<String> {
    let mut refs = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            if let Some(end) = part.find('"') {
                refs.push(
                    part[..end]
                        .replace("&#x2F;", "/")
                        .replace("&amp;", "&")
                        .replace("&quot;", "\""),
                );
            }
        }
    }
    refs
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("readable dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Every reference of every page resolves to a file under `root`; nothing leaves the
/// machine.
fn assert_links_resolve(root: &Path, pages: &[PathBuf]) {
    for page in pages {
        let html = std::fs::read_to_string(page).expect("page text");
        assert!(!html.contains("<script"), "{}: scripts", page.display());
        let refs = references(&html);
        assert!(!refs.is_empty(), "{}: no links", page.display());
        for r in refs {
            assert!(
                !r.contains("://") && !r.starts_with("//"),
                "{} refers outside the report: {r}",
                page.display()
            );
            let target = r.split('#').next().unwrap_or_default();
            if target.is_empty() {
                continue;
            }
            let resolved = normalise(&page.parent().expect("page dir").join(target));
            assert!(
                resolved.starts_with(root) && resolved.is_file(),
                "{} links to {r}, which does not exist",
                page.display()
            );
        }
    }
}

/// Each page loads without a console message; its screenshot goes to `shots`, named
/// `prefix` and its path under `root`.
fn assert_pages_load(browser: &Path, root: &Path, pages: &[PathBuf], shots: &Path, prefix: &str) {
    for page in pages {
        let rel = page.strip_prefix(root).expect("inside the folder");
        let name = rel
            .to_string_lossy()
            .replace(['/', '\\'], "_")
            .replace(".html", ".png");
        let png = shots.join(format!("{prefix}{name}"));
        let o = chromium_run(
            browser,
            page,
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=1300,2200".to_string(),
                "--hide-scrollbars".to_string(),
            ],
        );
        let err = String::from_utf8_lossy(&o.stderr);
        let console = console_messages(&err);
        assert!(
            console.is_empty(),
            "{}: console messages:\n{}",
            page.display(),
            console.join("\n")
        );
        assert!(png.is_file(), "{}: no screenshot\n{err}", page.display());
    }
}

fn html_pages(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

/// The run as a machine drawing 10% more power would have recorded it: every energy
/// 10% higher, the times unchanged.
fn hungrier(run: &RunResults) -> RunResults {
    let mut run = run.clone();
    run.run.host.hostname = Some("hungrier".to_string());
    for case in &mut run.cases {
        for s in &mut case.samples {
            s.energy_total_j = s.energy_total_j.map(|e| e * 1.1);
            for e in s.energy_j.values_mut().flatten() {
                *e *= 1.1;
            }
        }
        for (metric, e) in &mut case.estimates {
            if metric.starts_with("energy_per_iter") || metric.starts_with("joules_per") {
                (e.point, e.ci_low, e.ci_high) = (e.point * 1.1, e.ci_low * 1.1, e.ci_high * 1.1);
            }
        }
    }
    run
}

#[test]
fn report_pages_load_cleanly_in_chromium() {
    let Some(browser) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium not found (set IPW_CHROMIUM or install it): .ci/run should have installed it");
        }
        eprintln!("skipped: chromium not found at /usr/bin/chromium and IPW_CHROMIUM is unset");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().canonicalize().expect("canonical temp dir");
    let mut args = vec!["--bench", "--sensors", "synthetic:50", "--skip", "panics"];
    args.extend_from_slice(QUICK);
    let o = run(Path::new(EXE), &out, &args);
    let (stdout, stderr) = text(&o);
    assert!(o.status.success(), "{stdout}\n{stderr}");
    let report = out.join("report");
    assert!(
        stderr.contains(&report.join("index.html").display().to_string()),
        "the run names the report path:\n{stderr}"
    );

    // A run comparison from two results files, as `cargo ipw compare --html` writes it:
    // beside the report (linked from its index) and in a folder of its own.
    let first = out.join("ipw-fixture").join("results.json");
    let second = out.join("hungrier.json");
    let first_run = read_results(&first).expect("the fixture's results");
    write_json_atomic(&second, &hungrier(&first_run)).expect("write the second run");
    let runs = [("lab-1", &first), ("lab-2", &second)]
        .map(|(label, path)| LabelledRun {
            label: label.to_string(),
            results: read_results(path).expect("a results file"),
        })
        .to_vec();
    let compared = RunComparison::new(runs, 0.02, 1);
    let alone = out.join("comparison");
    for folder in [&report, &alone] {
        let page = write_run_comparison(folder, &compared).expect("run comparison written");
        assert_eq!(page, folder.join("compare.html"));
    }

    let files = files_under(&report);
    let pages = html_pages(&report);
    assert!(
        pages.len() >= 10,
        "index, comparison, a page per case: {pages:?}"
    );
    for f in [
        "index.html",
        "style.css",
        "report.md",
        "estimates.csv",
        "compare.html",
    ] {
        assert!(report.join(f).is_file(), "{f} missing from {files:?}");
    }
    let alone_pages = html_pages(&alone);
    assert_eq!(
        alone_pages,
        [alone.join("compare.html"), alone.join("index.html")]
    );
    assert_links_resolve(&report, &pages);
    assert_links_resolve(&alone, &alone_pages);
    for index in [report.join("index.html"), alone.join("index.html")] {
        let html = std::fs::read_to_string(&index).expect("index");
        assert!(
            html.contains("href=\"compare.html"),
            "{} does not link the comparison",
            index.display()
        );
    }

    // The console scan must be able to fail: a page that logs an error has to show up in
    // Chromium's log, or the scan below proves nothing. (Missing files are not logged
    // there; the link check above covers them.)
    let probe_page = out.join("probe.html");
    std::fs::write(
        &probe_page,
        "<!DOCTYPE html><title>probe</title><script>console.error('probe-error')</script>",
    )
    .expect("write probe page");
    let probe = chromium_run(&browser, &probe_page, &["--dump-dom".to_string()]);
    let probe_log = String::from_utf8_lossy(&probe.stderr);
    assert!(
        console_messages(&probe_log)
            .iter()
            .any(|l| l.contains("probe-error")),
        "chromium did not log a console error: the console scan cannot detect errors\n{probe_log}"
    );

    let shots = screenshot_dir();
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    assert_pages_load(&browser, &report, &pages, &shots, "");
    assert_pages_load(&browser, &alone, &alone_pages, &shots, "comparison_");

    // The rendered index shows the numbers the synthetic 50 W source and the 70% fixture
    // imply, as text the browser laid out.
    let dom = chromium_run(
        &browser,
        &report.join("index.html"),
        &["--dump-dom".to_string()],
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    for needle in ["fixture/queries_70", "50.00 W", "0.700", "synthetic"] {
        assert!(dom.contains(needle), "index lacks {needle:?}");
    }
    let md = std::fs::read_to_string(report.join("report.md")).expect("report.md");
    assert!(md.contains("fixture/queries\\_70") && md.contains("50.00 W") && md.contains("0.700"));
    let csv = std::fs::read_to_string(report.join("estimates.csv")).expect("estimates.csv");
    assert!(csv
        .lines()
        .any(|l| l.starts_with("ipw-fixture,fixture/queries_70,") && l.contains(",accuracy,0.7,")));

    // The run comparison as laid out: cases under their own ids, the runs as columns,
    // the energy ratio of 1.1 and the verdict lines `cargo ipw compare` prints.
    let dom = chromium_run(
        &browser,
        &report.join("compare.html"),
        &["--dump-dom".to_string()],
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    for needle in [
        "<h2>fixture/queries_70</h2>",
        "<h2>fixture/busy</h2>",
        "<th>lab-1</th><th>lab-2</th>",
        "<title>distribution of energy per iteration per sample</title>",
        "<title>distribution of time per iteration per sample</title>",
    ] {
        assert!(dom.contains(needle), "run comparison lacks {needle:?}");
    }
    assert!(
        !dom.contains("lab-1:fixture") && !dom.contains("lab-2:fixture"),
        "ids glued to labels"
    );
    let busy = compared
        .comparisons()
        .find(|c| c.group == "fixture/busy" && c.metric == Metric::EnergyPerIter)
        .expect("fixture/busy compared");
    let ratio = sig(busy.pairwise[0].ratio.point);
    assert_eq!(ratio, "1.100");
    assert!(
        dom.contains(&format!("<td class=\"num\">{ratio} [")),
        "ratio {ratio} missing"
    );
    for v in compared.comparisons().flat_map(|c| &c.verdicts) {
        assert!(
            dom.contains(v.as_str()),
            "run comparison lacks the verdict {v:?}"
        );
    }
    eprintln!("screenshots in {}", shots.display());
}

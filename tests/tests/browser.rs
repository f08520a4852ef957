//! End-to-end: the fixture in bench mode writes a report; every page is loaded in
//! headless Chromium (no console messages, no broken links, the key numbers present) and
//! screenshotted under `target/ipw-browser/`.

use ipw_tests::{run, text, QUICK};
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
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait on chromium").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish within 60 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("chromium output")
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
    let files = files_under(&report);
    let pages: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() >= 9, "index plus a page per case: {pages:?}");
    for f in ["index.html", "style.css", "report.md", "estimates.csv"] {
        assert!(report.join(f).is_file(), "{f} missing");
    }

    // Links: every reference resolves to a file of the report; nothing leaves the machine.
    for page in &pages {
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
                resolved.starts_with(&report) && resolved.is_file(),
                "{} links to {r}, which does not exist",
                page.display()
            );
        }
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
    for page in &pages {
        let rel = page.strip_prefix(&report).expect("inside the report");
        let name = rel
            .to_string_lossy()
            .replace(['/', '\\'], "_")
            .replace(".html", ".png");
        let png = shots.join(name);
        let o = chromium_run(
            &browser,
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
    eprintln!("screenshots in {}", shots.display());
}

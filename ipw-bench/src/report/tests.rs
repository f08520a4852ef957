//! Report tests on a fixed run made by the shared example builders: snapshots of the
//! exports, escaping, file names.

use super::*;
use crate::analysis::format;
use crate::analysis::metric::Metric;
use crate::results::example::{analysed, example_run, synthetic_case, with_baseline};
use crate::results::*;

/// Samples per case: enough for every plot and test, few enough to read a snapshot.
const SAMPLES: usize = 6;

/// A deterministic run: a two-variant scored group with its comparison, whose `int8` is
/// compared with a baseline where it took 10% more energy; a plain case with a hostile
/// name and a quality warning; a failed case; a run warning with markup in it.
pub(super) fn run() -> RunResults {
    let scored =
        |id: &str, joules: f64, seed: u64| synthetic_case(id, joules, SAMPLES, seed, Some(0.7));
    let hostile_name = "<script>alert(1)</script>";
    let mut hostile = synthetic_case("hostile", 0.001, SAMPLES, 3, None);
    hostile.id = hostile_name.to_string();
    hostile.group = hostile_name.to_string();
    hostile.name = hostile_name.to_string();
    hostile.variant = None;
    let mut failed = synthetic_case("parse", 1.0, 0, 4, None);
    failed.status = Status::Failed;
    failed.message = Some("panicked: index out of bounds".to_string());
    let cases = vec![
        scored("llm/int8", 0.05, 1),
        scored("llm/fp16", 0.08, 2),
        hostile,
        failed,
    ];
    let mut old = example_run("models", 42, cases.clone());
    old.cases.truncate(1);
    for s in &mut old.cases[0].samples {
        s.energy_total_j = s.energy_total_j.map(|e| e * 1.1);
    }
    let mut r = with_baseline(
        analysed(example_run("models", 42, cases)),
        &analysed(old),
        "main",
    );
    r.cases[2].quality.push(QualityWarning {
        code: "high-variation".to_string(),
        message: "time varies <b>a lot</b> | CV 31%".to_string(),
    });
    r.warnings
        .push("drift of idle power 6% <between> idle windows".to_string());
    r
}

#[test]
fn survival_section_draws_the_log_log_plot() {
    use crate::survival::{score, SurvivalConfig, TaskOutcome};
    let counts = [0, 0, 1, 1, 1, 2, 2, 3, 1, 5, 8, 1, 2, 13, 1, 4, 2, 1, 40, 1];
    let mut tasks: Vec<TaskOutcome> = counts
        .iter()
        .enumerate()
        .map(|(i, &f)| TaskOutcome::solved(format!("task{i}"), f))
        .collect();
    tasks.push(TaskOutcome::censored("<hard>", 50));
    let mut r = run();
    r.cases[0].survival = Some(score(&tasks, &SurvivalConfig::default()).expect("scored"));
    let files = pages::render_all(&[r], &ReportOptions::default()).expect("renders");
    let page = &files
        .iter()
        .find(|(p, _)| p == "cases/models-llm-int8.html")
        .expect("case page")
        .1;
    assert!(page.contains("Survival Game"));
    assert!(page.contains("slope -2") && page.contains("slope -3"));
    assert!(page.contains("survival function of the failure count"));
    assert!(page.contains("&lt;hard&gt;") && !page.contains("<hard>"));
    let other = &files
        .iter()
        .find(|(p, _)| p == "cases/models-llm-fp16.html")
        .expect("case page")
        .1;
    assert!(!other.contains("Survival Game"));
}

#[test]
fn markdown_summary() {
    insta::assert_snapshot!(markdown::render(&[run()]));
}

#[test]
fn csv_export() {
    insta::assert_snapshot!(csv::render(&[run()]));
}

/// A run of one case whose names a spreadsheet would run as formulas, with a negative
/// estimate: its net energy is below idle (5 mJ per iteration over 1 ms at 10.2 W idle).
fn formula_run() -> RunResults {
    let mut c = synthetic_case("formula", 0.005, SAMPLES, 5, None);
    c.id = "=HYPERLINK(\"http://x\")".to_string();
    c.group = "-2".to_string();
    c.name = "+cmd".to_string();
    c.variant = Some("@SUM(A1)".to_string());
    analysed(example_run("\tbench", 42, vec![c]))
}

#[test]
fn csv_neutralises_formulas() {
    let text = csv::render(&[formula_run()]);
    insta::assert_snapshot!(text);
    let net = text
        .lines()
        .find(|l| l.contains(",energy_per_iter_net_j,"))
        .expect("the net row");
    assert!(
        net.starts_with("'\tbench,\"'=HYPERLINK(\"\"http://x\"\")\",'-2,'+cmd,'@SUM(A1),"),
        "{net}"
    );
    let e = &formula_run().cases[0].estimates["energy_per_iter_net_j"];
    assert!(e.ci_high < 0.0, "{e:?}");
    let numbers = format!(",{},{},{},0.95,", e.point, e.ci_low, e.ci_high);
    assert!(
        net.contains(&format!(",energy_per_iter_net_j{numbers}")),
        "{net}"
    );
}

#[test]
fn csv_rows_have_every_column() {
    let text = csv::render(&[run()]);
    let columns = csv::HEADER.split(',').count();
    for line in text.lines().filter(|l| !l.contains('"')) {
        assert_eq!(line.split(',').count(), columns, "{line}");
    }
    assert!(text.contains("models,parse,parse,parse,,,,,,,,,synthetic,failed"));
}

fn render(options: ReportOptions) -> Vec<(String, String)> {
    pages::render_all(&[run()], &options).expect("the report renders")
}

#[test]
fn hostile_names_are_text_everywhere() {
    let files = render(ReportOptions::default());
    // The CSV is data for scripts, not markup: it keeps names as they are.
    let csv = &files
        .iter()
        .find(|(p, _)| p == "estimates.csv")
        .expect("csv")
        .1;
    assert!(csv.contains("\n\"models\",") || csv.contains("models,<script>alert(1)</script>,"));
    for (path, text) in files.iter().filter(|(p, _)| !p.ends_with(".csv")) {
        assert!(!text.contains("<script"), "{path} has a raw <script");
        assert!(
            !text.contains("<b>a lot"),
            "{path} has raw markup from a message"
        );
        assert!(
            !text.contains("<between>"),
            "{path} has raw markup from a warning"
        );
        assert!(!path.contains(".."), "{path}");
    }
    let index = &files
        .iter()
        .find(|(p, _)| p == "index.html")
        .expect("index")
        .1;
    assert!(index.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    let md = &files.iter().find(|(p, _)| p == "report.md").expect("md").1;
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(md.contains("\\| CV 31%") || !md.contains("CV 31%"));
}

#[test]
fn colliding_case_names_get_separate_linked_pages() {
    let mut r = run();
    let mut a = r.cases[0].clone();
    a.id = "x/y".to_string();
    let mut b = a.clone();
    b.id = "x:y".to_string();
    r.cases.extend([a, b]);
    let files = pages::render_all(&[r], &ReportOptions::default()).expect("renders");
    let index = &files
        .iter()
        .find(|(p, _)| p == "index.html")
        .expect("index")
        .1;
    for page in ["cases/models-x-y.html", "cases/models-x-y-2.html"] {
        assert!(files.iter().any(|(p, _)| p == page), "{page} missing");
        assert!(
            index.contains(&format!("href=\"{page}\"")),
            "{page} not linked"
        );
    }
}

#[test]
fn every_link_points_at_a_file_of_the_report() {
    let files = render(ReportOptions::default());
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let dir = std::path::Path::new(path).parent().expect("relative");
        for part in text.split("href=\"").skip(1) {
            let target = &part[..part.find('"').expect("closed")];
            let resolved = normalise(&dir.join(target));
            assert!(
                names.contains(&resolved.as_str()),
                "{path} links to {target}"
            );
        }
    }
}

pub(super) fn normalise(p: &std::path::Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn plots_option_bounds_what_is_drawn() {
    let count = |files: &[(String, String)], page: &str| {
        files
            .iter()
            .filter(|(p, _)| p.starts_with(page))
            .map(|(_, t)| t.matches("<svg").count())
            .sum::<usize>()
    };
    let all = render(ReportOptions { plots: Plots::All });
    let summary = render(ReportOptions {
        plots: Plots::Summary,
    });
    let none = render(ReportOptions { plots: Plots::None });
    assert!(all
        .iter()
        .any(|(_, t)| t.contains("power trace over the run")));
    assert!(!summary
        .iter()
        .any(|(_, t)| t.contains("power trace over the run")));
    assert!(count(&summary, "cases/") < count(&all, "cases/"));
    assert!(count(&summary, "index") > 0);
    assert_eq!(count(&none, ""), 0);
}

#[test]
fn key_numbers_reach_the_pages() {
    let r = run();
    let files = render(ReportOptions::default());
    let index = &files
        .iter()
        .find(|(p, _)| p == "index.html")
        .expect("index")
        .1;
    let int8 = &r.cases[0];
    let energy = &int8.estimates["energy_per_iter_j"];
    let energy_text = format::value(energy.point, "J");
    assert!(energy_text.ends_with(" mJ"), "{energy_text}");
    assert!(index.contains(&energy_text), "energy per iteration of int8");
    assert_eq!(int8.estimates["accuracy"].point, 0.7);
    assert!(index.contains("0.700"), "accuracy");
    let change = int8
        .baseline
        .iter()
        .flat_map(|b| &b.metrics)
        .find(|m| m.metric == Metric::EnergyPerIter)
        .expect("energy against the baseline");
    assert_eq!(change.verdict, BaselineVerdict::Improved);
    assert!(
        index.contains(&format::signed_percent(change.change.point)),
        "baseline change"
    );
    assert!(index.contains("class=\"verdict improved\""));
    let verdicts = &r.comparisons[0].verdicts;
    assert!(verdicts[0].contains("more J/iter"), "{verdicts:?}");
    for v in verdicts {
        assert!(unescape(index).contains(v.as_str()), "verdict line {v}");
    }
    assert!(index.contains("int8 has the lowest joules per correct answer"));
    let group = files
        .iter()
        .find(|(p, _)| p.starts_with("groups/"))
        .expect("a group page");
    let g = r.comparisons[0].pairwise[0]
        .hedges_g
        .expect("an effect size");
    assert!(group.1.contains("welch-t") && group.1.contains(&format::sig(g)));
    assert!(files.iter().any(|(p, _)| p == "baseline.html"));
}

#[test]
fn write_report_replaces_the_previous_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stale = dir.path().join(REPORT_DIR).join("cases").join("old.html");
    std::fs::create_dir_all(stale.parent().expect("parent")).expect("mkdir");
    std::fs::write(&stale, "old").expect("write");
    let index = write_report(dir.path(), &[run()], &ReportOptions::default()).expect("written");
    assert_eq!(index, dir.path().join("report").join("index.html"));
    assert!(index.is_file());
    assert!(!stale.exists(), "a page of an older run survived");
    assert!(dir.path().join("report").join("report.md").is_file());
    assert!(dir.path().join("report").join("estimates.csv").is_file());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn finds_and_loads_results_files_and_names_bad_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_json_atomic(&dir.path().join("models").join("results.json"), &run()).expect("write");
    std::fs::create_dir_all(dir.path().join("broken")).expect("mkdir");
    std::fs::write(dir.path().join("broken").join("results.json"), "{").expect("write");
    std::fs::create_dir_all(dir.path().join("report")).expect("mkdir");
    let (runs, problems) = load_results(dir.path());
    assert_eq!(runs.len(), 1);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("broken"), "{}", problems[0]);
}

/// `run()` from lab-1 against a copy from lab-2 whose `llm/int8` takes 25% more energy
/// per sample, and which alone has the case `extra`.
pub(super) fn two_labs() -> across_runs::RunComparison {
    let old = run();
    let mut new = run();
    new.run.host.hostname = Some("lab-2".to_string());
    let int8 = &mut new.cases[0];
    for s in &mut int8.samples {
        s.energy_total_j = s.energy_total_j.map(|e| e * 1.25);
    }
    let mut new = analysed(new);
    let mut extra = new.cases[1].clone();
    extra.id = "extra".to_string();
    new.cases.push(extra);
    let runs = [("lab-1", old), ("lab-2", new)]
        .map(|(label, results)| across_runs::LabelledRun {
            label: label.to_string(),
            results,
        })
        .to_vec();
    across_runs::RunComparison::new(runs, 0.02, 1)
}

/// Page text as the reader sees it: Tera's entities decoded.
pub(super) fn unescape(html: &str) -> String {
    html.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The file at `path` of a rendered report.
fn page<'a>(files: &'a [(String, String)], path: &str) -> &'a str {
    &files
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no {path} in the report"))
        .1
}

#[test]
fn html_report_pages() {
    let files = render(ReportOptions::default());
    for (name, path) in [
        ("html_index", "index.html"),
        ("html_case", "cases/models-llm-fp16.html"),
        ("html_failed_case", "cases/models-parse.html"),
        ("html_group", "groups/models-llm-energy_per_iter_j.html"),
        ("html_baseline", "baseline.html"),
    ] {
        insta::assert_snapshot!(name, page(&files, path));
    }
}

#[test]
fn html_case_page_with_survival() {
    let mut r = run();
    r.cases[0].survival = Some(crate::results::example::survival_example());
    let files = pages::render_all(&[r], &ReportOptions::default()).expect("renders");
    let html = page(&files, "cases/models-llm-int8.html");
    assert!(html.contains("Survival Game"));
    insta::assert_snapshot!(html);
}

/// A group of four variants: ANOVA, the post-hoc table and the assumption checks.
#[test]
fn html_group_page_of_four_variants() {
    let r = crate::results::example::synthetic_run("models", 1, 4, SAMPLES, 9);
    let files = pages::render_all(&[r], &ReportOptions::default()).expect("renders");
    insta::assert_snapshot!(page(&files, "groups/models-model0-energy_per_iter_j.html"));
}

#[test]
fn html_run_comparison_and_its_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_run_comparison(dir.path(), &two_labs()).expect("written");
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect("a page");
    insta::assert_snapshot!("html_compare", read("compare.html"));
    insta::assert_snapshot!("html_compare_index", read("index.html"));
}

#[test]
fn cases_of_an_earlier_run_are_marked_and_the_runs_own_are_not() {
    let mut r = run();
    r.run.resumed = vec![crate::results::RunPart {
        started_at: "2025-12-31T23:00:00.000Z".into(),
        finished_at: "2025-12-31T23:10:00.000Z".into(),
        status: crate::results::RunStatus::Interrupted,
        idle: r.idle.clone(),
    }];
    r.cases[0].run_started_at = Some("2025-06-01T00:00:00.000Z".into());
    r.cases[1].run_started_at = Some("2025-12-31T23:00:00.000Z".into());
    r.cases[3].run_started_at = Some(r.run.started_at.clone());
    let (older, resumed, own) = (
        r.cases[0].id.clone(),
        r.cases[1].id.clone(),
        r.cases[3].id.clone(),
    );
    let files = pages::render_all(&[r], &ReportOptions::default()).expect("renders");
    let page = |name: &str| &files.iter().find(|(p, _)| p == name).expect(name).1;
    let index = page("index.html");
    let row = |id: &str| {
        index
            .split("<tr")
            .find(|r| r.contains(&format!(">{}</a>", id.replace('/', "&#x2F;"))))
            .unwrap_or_else(|| panic!("no row for {id}"))
            .to_string()
    };
    assert!(row(&older).contains("earlier run") && row(&older).contains("2025-06-01"));
    assert!(
        !row(&resumed).contains("earlier run"),
        "a resumed part is this run"
    );
    assert!(!row(&own).contains("earlier run"));
    assert_eq!(index.matches("badge earlier").count(), 1);
    let case_pages: Vec<&String> = files
        .iter()
        .filter(|(p, _)| p.starts_with("cases/"))
        .map(|(_, html)| html)
        .collect();
    let marked = case_pages
        .iter()
        .filter(|h| h.contains("Measured by an earlier run, started 2025-06-01"))
        .count();
    assert_eq!(marked, 1);
}

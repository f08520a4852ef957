//! Report tests on a fixed, hand-built run: snapshots of the exports, escaping, file names.

use super::*;
use crate::analysis::format;
use crate::measure::sensor::{Domain, Provenance, SensorInfo, SensorKind, Unit};
use crate::results::*;
use std::collections::BTreeMap;
use std::time::Duration;

fn estimate(point: f64, half: f64, unit: &str, provenance: Provenance) -> Estimate {
    Estimate {
        point,
        ci_low: point - half,
        ci_high: point + half,
        confidence: 0.95,
        method: "percentile".to_string(),
        unit: unit.to_string(),
        provenance,
    }
}

/// Samples at `watts`, `seconds` long each, starting at `t0`, with a fixed wobble.
fn samples(t0: f64, watts: f64, seconds: f64, correct: Option<f64>) -> Vec<Sample> {
    (0..6)
        .map(|i| {
            let s = seconds * (1.0 + 0.02 * (i % 3) as f64);
            let e = watts * s;
            Sample {
                iters: 100,
                elapsed_s: s,
                start_s: t0 + i as f64 * 0.5,
                window_s: s * 1.001,
                energy_j: BTreeMap::from([("system".to_string(), Some(e))]),
                energy_total_j: Some(e),
                method: "counter-difference".to_string(),
                valid: true,
                flags: Vec::new(),
                correct,
                incorrect: correct.map(|c| 100.0 - c),
                unjudged: correct.map(|_| 0),
                delay_s: None,
                energy_windows: 1,
            }
        })
        .collect()
}

fn case(id: &str, group: &str, name: &str, variant: Option<&str>, joules: f64) -> CaseResult {
    let p = Provenance::Measured;
    let scored = variant == Some("int8") || variant == Some("fp16");
    let mut estimates = BTreeMap::from([
        (
            "time_per_iter_s".to_string(),
            estimate(0.002, 0.0001, "s", p),
        ),
        (
            "energy_per_iter_j".to_string(),
            estimate(joules, joules * 0.05, "J", p),
        ),
        (
            "mean_power_w".to_string(),
            estimate(joules / 0.002, 1.5, "W", p),
        ),
    ]);
    if scored {
        estimates.insert("accuracy".to_string(), estimate(0.7, 0.02, "fraction", p));
        estimates.insert(
            "joules_per_correct".to_string(),
            estimate(joules / 0.7, joules * 0.06, "J", p),
        );
        estimates.insert(
            "joules_per_query".to_string(),
            estimate(joules, joules * 0.05, "J", p),
        );
        estimates.insert("ipw".to_string(), estimate(0.014, 0.001, "1/W", p));
    }
    CaseResult {
        id: id.to_string(),
        group: group.to_string(),
        name: name.to_string(),
        variant: variant.map(str::to_string),
        status: Status::Ok,
        message: None,
        kind: Some(if scored { "queries" } else { "iter" }.to_string()),
        provenance: p,
        plan: CasePlan {
            warm_up_time_s: 1.0,
            warm_up_iters: 500,
            measurement_time_s: 3.0,
            max_time_s: 60.0,
            sample_size_requested: 6,
            iters_per_sample: 100,
            notes: Vec::new(),
        },
        samples: samples(1.0, joules / 0.002, 0.2, scored.then_some(70.0)),
        estimates,
        quality: Vec::new(),
        latency: None,
        answers: None,
        baseline: None,
        survival: None,
    }
}

/// A deterministic run: a two-variant scored group with a comparison and a baseline,
/// a plain case, a failed case, and a hostile case name.
pub(super) fn run() -> RunResults {
    let mut int8 = case("llm/int8", "llm", "llm", Some("int8"), 0.05);
    int8.baseline = Some(BaselineComparison {
        name: "main".to_string(),
        metrics: vec![MetricChange {
            metric: Metric::EnergyPerIter,
            old: 0.055,
            new: 0.05,
            change: Ci {
                point: -0.0909,
                ci_low: -0.12,
                ci_high: -0.06,
            },
            p_value: Some(0.0004),
            noise_threshold: 0.02,
            verdict: BaselineVerdict::Improved,
        }],
    });
    let fp16 = case("llm/fp16", "llm", "llm", Some("fp16"), 0.08);
    let mut hostile = case(
        "<script>alert(1)</script>",
        "<script>alert(1)</script>",
        "<script>alert(1)</script>",
        None,
        0.001,
    );
    hostile.quality.push(QualityWarning {
        code: "high-variation".to_string(),
        message: "time varies <b>a lot</b> | CV 31%".to_string(),
    });
    let mut failed = case("parse", "parse", "parse", None, 0.0);
    failed.status = Status::Failed;
    failed.message = Some("panicked: index out of bounds".to_string());
    failed.estimates.clear();
    failed.samples.clear();
    let comparison = GroupComparison {
        group: "llm".to_string(),
        metric: Metric::EnergyPerIter,
        variants: vec!["llm/int8".to_string(), "llm/fp16".to_string()],
        omnibus: None,
        anova_table: Vec::new(),
        post_hoc: Correction::None,
        pairwise: vec![Pairwise {
            a: "llm/int8".to_string(),
            b: "llm/fp16".to_string(),
            metric: Metric::EnergyPerIter,
            difference: Ci {
                point: 0.03,
                ci_low: 0.025,
                ci_high: 0.035,
            },
            ratio: Ci {
                point: 1.6,
                ci_low: 1.5,
                ci_high: 1.7,
            },
            test: TestResult {
                test: Test::WelchT,
                statistic: 12.5,
                df: vec![9.8],
                p_value: 0.00001,
            },
            p_adjusted: 0.00001,
            correction: Correction::Holm,
            hedges_g: Some(7.1),
            verdict: PairVerdict::Higher,
        }],
        assumptions: Vec::new(),
        nonparametric: None,
        verdict_basis: "welch-t".to_string(),
        accuracy: Some(AccuracyComparison {
            test: TestResult {
                test: Test::TwoProportionZ,
                statistic: 0.0,
                df: Vec::new(),
                p_value: 1.0,
            },
            verdict: AccuracyVerdict::Unchanged,
        }),
        factorial: None,
        power: None,
        verdicts: vec![
            "llm/int8 uses 38% less energy per iteration than llm/fp16 (p < 0.001)".to_string(),
        ],
    };
    RunResults {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "ipw-bench".to_string(),
            version: "0.1.0".to_string(),
        },
        bench: "models".to_string(),
        run: RunInfo {
            started_at: "2026-01-02T03:04:05Z".to_string(),
            finished_at: "2026-01-02T03:05:05Z".to_string(),
            duration_s: 60.0,
            host: Host {
                hostname: Some("lab-1".to_string()),
                os: "linux".to_string(),
                kernel: Some("6.1.0".to_string()),
                arch: "x86_64".to_string(),
                cpu_model: Some("Test CPU".to_string()),
                cpus: 8,
                memory_bytes: Some(16 << 30),
            },
            rustc: Some("rustc 1.80.0".to_string()),
            git_commit: Some("abc123".to_string()),
            seed: 42,
            config: serde_json::json!({"sample_size": 6, "plots": "all"}),
        },
        sensors: vec![SensorInfo {
            id: "rapl:0".to_string(),
            source: "rapl".to_string(),
            domain: Domain::new(Domain::SYSTEM),
            label: "package-0".to_string(),
            provenance: Provenance::Measured,
            kind: SensorKind::Counter,
            unit: Unit::Microjoule,
            resolution: 6.1e-5,
            update_period: Duration::from_millis(1),
            contained_in: None,
            details: BTreeMap::new(),
        }],
        sensors_unused: Vec::new(),
        idle: Idle {
            before: None,
            after: None,
            mean_w: Some(12.0),
            drift_w: None,
            drift_fraction: None,
        },
        cases: vec![int8, fp16, hostile, failed],
        carbon: Default::default(),
        trace: vec![SensorTrace {
            sensor: "rapl:0".to_string(),
            domain: "system".to_string(),
            t_s: (0..50).map(|i| i as f64 * 0.1).collect(),
            power_w: (0..50)
                .map(|i| Some(if i < 10 { 12.0 } else { 30.0 }))
                .collect(),
            temperature_c: None,
            clock_mhz: None,
        }],
        comparisons: vec![comparison],
        warnings: vec!["drift of idle power 6% <between> idle windows".to_string()],
    }
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
/// estimate (net energy below idle).
fn formula_run() -> RunResults {
    let mut c = case(
        "=HYPERLINK(\"http://x\")",
        "-2",
        "+cmd",
        Some("@SUM(A1)"),
        0.05,
    );
    c.estimates.insert(
        "energy_per_iter_net_j".to_string(),
        estimate(-1.5, 0.25, "J", Provenance::Measured),
    );
    let mut r = run();
    r.bench = "\tbench".to_string();
    r.cases = vec![c];
    r
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
    assert!(
        net.contains(",energy_per_iter_net_j,-1.5,-1.75,-1.25,0.95,"),
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
    assert!(text.contains("models,parse,parse,parse,,,,,,,,,measured,failed"));
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

fn normalise(p: &std::path::Path) -> String {
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
    let files = render(ReportOptions::default());
    let index = &files
        .iter()
        .find(|(p, _)| p == "index.html")
        .expect("index")
        .1;
    assert!(index.contains("50.00 mJ"), "energy per iteration of int8");
    assert!(index.contains("0.700"), "accuracy");
    assert!(index.contains("-9.1%"), "baseline change");
    assert!(index.contains("class=\"verdict improved\""));
    assert!(index.contains("uses 38% less energy"), "verdict line");
    assert!(index.contains("int8 has the lowest joules per correct answer"));
    let group = files
        .iter()
        .find(|(p, _)| p.starts_with("groups/"))
        .expect("a group page");
    assert!(group.1.contains("welch-t") && group.1.contains("7.100"));
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
fn two_labs() -> across_runs::RunComparison {
    let old = run();
    let mut new = run();
    new.run.host.hostname = Some("lab-2".to_string());
    let int8 = &mut new.cases[0];
    for s in &mut int8.samples {
        s.energy_total_j = s.energy_total_j.map(|e| e * 1.25);
    }
    int8.estimates
        .get_mut("energy_per_iter_j")
        .expect("metric")
        .point = 0.0625;
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
fn unescape(html: &str) -> String {
    html.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn run_comparison_names_cases_by_id_and_runs_by_label() {
    let dir = tempfile::tempdir().expect("temp dir");
    let compared = two_labs();
    let path = write_run_comparison(dir.path(), &compared).expect("written");
    assert_eq!(path, dir.path().join("compare.html"));
    let html = std::fs::read_to_string(&path).expect("read");
    let text = unescape(&html);
    // The case under its own id, the runs as columns and row labels.
    assert!(text.contains("<h2>llm/int8</h2>"), "a section per case");
    assert!(
        !text.contains("lab-1:llm") && !text.contains("lab-2:llm"),
        "ids glued to labels"
    );
    assert!(
        text.contains("<th>lab-1</th><th>lab-2</th>"),
        "a column per run"
    );
    assert!(text.contains("<b>lab-2</b>"), "a row per run");
    assert!(html.contains("50.00 mJ") && html.contains("62.50 mJ"));
    // `extra` is in one run only: in the tables, without a section.
    assert!(text.contains("<td class=\"name\">extra</td>"));
    assert!(!text.contains("<h2>extra</h2>"));
    // Per case, energy and time per iteration drawn with every sample of both runs.
    // Per case, energy and time per iteration drawn with every sample of both runs; the
    // failed case has no samples, so no plots and no comparison.
    let ids: Vec<&str> = compared.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        ["llm/int8", "llm/fp16", "<script>alert(1)</script>", "parse"]
    );
    for metric in ["energy per iteration", "time per iteration"] {
        let title = format!("<title>distribution of {metric} per sample</title>");
        assert_eq!(html.matches(&title).count(), 3, "{title}");
    }
    let points: usize = html
        .split("<svg")
        .filter(|svg| svg.contains("<title>distribution of") && svg.contains(" per iteration "))
        .map(|svg| svg.matches("<circle").count())
        .sum();
    assert_eq!(points, 3 * 2 * 2 * 6, "cases × plots × runs × samples");
    assert_eq!(html.matches("Not compared").count(), 1, "parse");
    // The terminal's verdict lines and the pairwise ratio, with the runs as variants.
    let energy = compared
        .comparisons()
        .find(|c| c.group == "llm/int8" && c.metric == Metric::EnergyPerIter)
        .expect("int8 compared");
    assert_eq!(energy.pairwise[0].verdict, PairVerdict::Higher);
    let ratio = format::sig(energy.pairwise[0].ratio.point);
    assert_eq!(ratio, "1.250");
    assert!(
        text.contains(&format!("<td class=\"num\">{ratio} [")),
        "ratio in the pairwise table"
    );
    for v in compared.comparisons().flat_map(|c| &c.verdicts) {
        assert!(text.contains(v.as_str()), "verdict missing: {v}");
    }
    assert!(text.contains("lab-2 vs lab-1: 25.0% more J/iter"));
    assert!(!html.contains("<script"), "hostile names are escaped");
    assert!(dir.path().join("style.css").is_file());
}

#[test]
fn run_comparison_gets_an_index_that_links_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let compared = two_labs();
    write_run_comparison(dir.path(), &compared).expect("written");
    let index = std::fs::read_to_string(dir.path().join("index.html")).expect("index");
    assert!(index.contains("href=\"compare.html\""), "{index}");
    assert!(
        index.contains("href=\"compare.html#case-1\""),
        "links to each case"
    );
    assert!(unescape(&index).contains("lab-2 vs lab-1: 25.0% more J/iter"));
    let page = std::fs::read_to_string(dir.path().join("compare.html")).expect("page");
    assert!(page.contains("href=\"index.html\""), "the page links back");
    // A second comparison replaces the index an earlier one wrote.
    write_run_comparison(dir.path(), &compared).expect("written again");
    let again = std::fs::read_to_string(dir.path().join("index.html")).expect("index");
    assert_eq!(again, index);
}

#[test]
fn run_comparison_beside_a_report_is_linked_from_its_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = write_report(dir.path(), &[run()], &ReportOptions::default()).expect("report");
    let report = index.parent().expect("report folder");
    let compared = two_labs();
    for _ in 0..2 {
        write_run_comparison(report, &compared).expect("written");
    }
    let html = std::fs::read_to_string(&index).expect("index");
    assert_eq!(
        html.matches("href=\"compare.html\"").count(),
        1,
        "linked once"
    );
    assert!(html.contains("All cases"), "still the report's index");
    // Every link of every page in the folder resolves.
    let mut names = Vec::new();
    let mut pages = Vec::new();
    for dir in [
        report.to_path_buf(),
        report.join("cases"),
        report.join("groups"),
    ] {
        for e in std::fs::read_dir(&dir).expect("list").flatten() {
            let rel = e.path().strip_prefix(report).expect("inside").to_path_buf();
            names.push(rel.to_string_lossy().into_owned());
            if rel.extension().is_some_and(|x| x == "html") {
                pages.push(rel);
            }
        }
    }
    assert!(names.iter().any(|n| n == "compare.html"));
    for rel in &pages {
        let text = std::fs::read_to_string(report.join(rel)).expect("page");
        for part in text.split("href=\"").skip(1) {
            let target = &part[..part.find('"').expect("closed")];
            let file = target.split('#').next().unwrap_or_default();
            if file.is_empty() {
                continue;
            }
            let resolved = normalise(&rel.parent().expect("relative").join(file));
            assert!(
                names.contains(&resolved),
                "{} links to {target}",
                rel.display()
            );
        }
    }
}

#[test]
fn run_comparison_leaves_a_foreign_index_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index.html");
    std::fs::write(&index, "<p>mine</p>").expect("write");
    let err = write_run_comparison(dir.path(), &two_labs()).expect_err("refused");
    assert!(matches!(err, ReportError::ForeignIndex { .. }), "{err}");
    assert!(err.to_string().contains("--html"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&index).expect("read"),
        "<p>mine</p>"
    );
    assert!(!dir.path().join("compare.html").exists());
}

//! Report tests of a comparison across runs: its page names cases by id and runs by
//! label, gets an index of its own, and is linked from the index of a report beside it.

use super::tests::{normalise, run, two_labs, unescape};
use super::*;
use crate::analysis::format;
use crate::analysis::metric::Metric;
use crate::results::*;

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
    let energy_of =
        |run: &RunResults| format::value(run.cases[0].estimates["energy_per_iter_j"].point, "J");
    let (old, new) = (&compared.runs[0].results, &compared.runs[1].results);
    assert!(html.contains(&energy_of(old)) && html.contains(&energy_of(new)));
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

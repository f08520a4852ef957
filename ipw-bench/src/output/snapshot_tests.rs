//! Snapshots of everything a run prints for people and for tools: the terminal's case
//! blocks (first run, against the previous run, against a baseline, in colour), verdict
//! lines, a whole run's stdout and stderr in quiet, normal and verbose mode, and every
//! JSON line, on fixed-seed example runs. Test mode's libtest lines print straight to
//! stdout: `tests/tests/output_snapshots.rs` snapshots them from the fixture binary.

use super::style::Palette;
use super::terminal::BlockView;
use super::{json_lines, terminal, Printer};
use crate::analysis::baseline::compare_case;
use crate::measure::sensor::{discover, Provenance, SensorSpec};
use crate::results::example::{
    analysed, example_run, survival_example, synthetic_case, synthetic_run, with_baseline,
};
use crate::results::{BaselineComparison, CaseResult, RunResults, Status};
use crate::setup::config::{Format, Verbosity};
use std::cell::RefCell;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;

const SAMPLES: usize = 8;

/// The cases of [`run`], before analysis: one of each kind the terminal prints
/// differently, and a two-variant group (`llm`).
fn cases() -> Vec<CaseResult> {
    let mut estimated = synthetic_case("cpu/estimated", 0.03, SAMPLES, 4, None);
    estimated.provenance = Provenance::Estimated;
    let mut trials = synthetic_case("solve/trials", 0.04, SAMPLES, 5, None);
    trials.kind = Some("trials".to_string());
    let mut failed = synthetic_case("parse", 1.0, 0, 6, None);
    failed.status = Status::Failed;
    failed.message = Some("panicked: index out of bounds: the len is 3 but the index is 7".into());
    let mut skipped = synthetic_case("gpu/square", 1.0, 0, 7, None);
    skipped.status = Status::Skipped;
    skipped.message = Some("needs the fake NVML library: IPW_NVML_LIB is not set".into());
    vec![
        synthetic_case("sort/quick", 0.02, SAMPLES, 1, None),
        synthetic_case("llm/int8", 0.05, SAMPLES, 2, Some(0.7)),
        synthetic_case("llm/fp16", 0.08, SAMPLES, 3, Some(0.65)),
        estimated,
        trials,
        failed,
        skipped,
    ]
}

fn scale_energy(run: &mut RunResults, id: &str, factor: f64) {
    let case = run.cases.iter_mut().find(|c| c.id == id).expect("the case");
    for s in &mut case.samples {
        s.energy_total_j = s.energy_total_j.map(|e| e * factor);
    }
}

/// The analysed run of [`cases`], the trials case with a Survival Game score, against a
/// baseline `main` where `llm/int8` took 10% more energy, `llm/fp16` 10% less and
/// `sort/quick` the same, and which lacks `cpu/estimated`.
fn run() -> RunResults {
    runs().0
}

/// [`run`], and the baseline it was compared with (also the previous run, in the tests
/// of the `change:` line).
fn runs() -> (RunResults, RunResults) {
    let mut old = example_run("models", 42, cases());
    scale_energy(&mut old, "llm/int8", 1.1);
    scale_energy(&mut old, "llm/fp16", 0.9);
    old.cases.retain(|c| c.id != "cpu/estimated");
    let old = analysed(old);
    let mut r = with_baseline(analysed(example_run("models", 42, cases())), &old, "main");
    r.cases[4].survival = Some(survival_example());
    (r, old)
}

/// How `case` changed since the same case in `old`, as the pipeline compares it.
fn since(case: &CaseResult, old: &RunResults) -> Option<BaselineComparison> {
    let prev = old.cases.iter().find(|c| c.id == case.id)?;
    Some(compare_case(case, prev, "previous run", 0.02, 0.01, 5))
}

fn view(previous: Option<&BaselineComparison>, palette: Palette) -> BlockView<'_> {
    BlockView {
        previous,
        palette,
        verbose: false,
    }
}

/// A case without its baseline comparison: a run without `--baseline`.
fn without_baseline(c: &CaseResult) -> CaseResult {
    let mut c = c.clone();
    c.baseline = None;
    c
}

/// Escape codes made visible.
fn visible(text: &str) -> String {
    text.replace('\x1b', "\\e")
}

/// A shared buffer, one for stdout and one for stderr of a [`Printer`].
#[derive(Clone, Default)]
struct Buffer(Rc<RefCell<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8(self.0.borrow().clone()).expect("UTF-8")
    }
}

/// stdout and stderr of a whole human-format run of [`run`] at `verbosity`: the sensor
/// lines, every case's block (the first run of the bench), the comparisons, a run
/// warning, the results path and the closing line.
fn printed_run(verbosity: Verbosity) -> (String, String) {
    let (out, err) = (Buffer::default(), Buffer::default());
    let p = Printer::into_sinks(
        Format::Human,
        verbosity,
        Palette::PLAIN,
        Box::new(out.clone()),
        Box::new(err.clone()),
    );
    let discovery = discover(&[SensorSpec::Synthetic { watts: 50.0 }]).expect("synthetic");
    let mut summary = discovery.summary();
    summary.push("carbon intensity 480 gCO2e/kWh (world average)".to_string());
    p.sensors(&summary);
    let r = run();
    for c in &r.cases {
        p.case(&without_baseline(c), None);
    }
    for c in &r.comparisons {
        p.comparison(c);
    }
    p.warning("idle power drifted by +12% between the start and the end of the run");
    let path = Path::new("target/ipw/models/results.json");
    p.written(path);
    p.finished(&r, path);
    (out.text(), err.text())
}

fn case<'a>(run: &'a RunResults, id: &str) -> &'a CaseResult {
    run.cases.iter().find(|c| c.id == id).expect("the case")
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).expect("JSON")
}

/// The blocks of a bench's first run: no previous run, no baseline.
#[test]
fn terminal_case_blocks() {
    let r = run();
    for (name, id) in [
        ("terminal_iter_case", "sort/quick"),
        ("terminal_query_case", "llm/int8"),
        ("terminal_estimated_case", "cpu/estimated"),
        ("terminal_survival_case", "solve/trials"),
        ("terminal_failed_case", "parse"),
        ("terminal_skipped_case", "gpu/square"),
    ] {
        let c = without_baseline(case(&r, id));
        let block = terminal::human_block(&c, &view(None, Palette::PLAIN));
        if c.status == Status::Ok {
            assert!(block.contains("change:    no previous run\n"), "{block}");
        }
        insta::assert_snapshot!(name, block);
    }
}

/// criterion's `change:` line: each block against the same case in the previous run,
/// with a verdict per metric.
#[test]
fn terminal_blocks_against_the_previous_run() {
    let (r, old) = runs();
    let mut text = String::new();
    for id in ["sort/quick", "llm/int8", "llm/fp16", "cpu/estimated"] {
        let c = without_baseline(case(&r, id));
        let previous = since(&c, &old);
        text.push_str(&terminal::human_block(
            &c,
            &view(previous.as_ref(), Palette::PLAIN),
        ));
    }
    for verdict in ["improved", "regressed", "no-change", "no previous run"] {
        assert!(text.contains(verdict), "{verdict} missing:\n{text}");
    }
    assert!(!text.contains("vs main"), "{text}");
    insta::assert_snapshot!(text);
}

/// `--baseline main`: the change lines inside each case's block, before the next case.
#[test]
fn terminal_blocks_against_a_baseline() {
    let r = run();
    let mut text = String::new();
    for id in ["sort/quick", "llm/int8", "llm/fp16", "solve/trials"] {
        let block = terminal::human_block(case(&r, id), &view(None, Palette::PLAIN));
        let vs = block
            .find("vs main:")
            .expect("a baseline line in the block");
        assert!(
            block.find("warning:").is_none_or(|w| w > vs),
            "the change comes before the warnings:\n{block}"
        );
        text.push_str(&block);
    }
    for verdict in ["improved", "regressed", "no-change"] {
        assert!(text.contains(verdict), "{verdict} missing:\n{text}");
    }
    insta::assert_snapshot!(text);
}

/// Colour: verdicts, the tag, warnings and failures painted; the same text without the
/// escape codes as without colour.
#[test]
fn terminal_blocks_in_colour() {
    let (r, old) = runs();
    let mut coloured = String::new();
    let mut plain = String::new();
    for id in ["llm/fp16", "cpu/estimated", "parse", "gpu/square"] {
        let c = case(&r, id);
        let previous = since(c, &old);
        coloured.push_str(&terminal::human_block(
            c,
            &view(previous.as_ref(), Palette::COLOR),
        ));
        plain.push_str(&terminal::human_block(
            c,
            &view(previous.as_ref(), Palette::PLAIN),
        ));
    }
    assert!(!plain.contains('\x1b'));
    assert!(
        coloured.contains("\x1b[1m\x1b[31mregressed\x1b[0m"),
        "{coloured:?}"
    );
    let stripped = {
        let mut out = String::new();
        let mut chars = coloured.chars();
        while let Some(ch) = chars.next() {
            if ch == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(ch);
            }
        }
        out
    };
    assert_eq!(stripped, plain);
    insta::assert_snapshot!(visible(&coloured));
}

/// A whole run as printed, in each mode: `--quiet` keeps stdout and drops every stderr
/// line but the closing one; the sensors are one line unless `-v`; the warning about
/// estimated and synthetic energy comes once per run, not in every block.
#[test]
fn terminal_run_in_quiet_normal_and_verbose_mode() {
    let (out, err) = printed_run(Verbosity::Normal);
    let (quiet_out, quiet_err) = printed_run(Verbosity::Quiet);
    let (verbose_out, verbose_err) = printed_run(Verbosity::Verbose);
    assert_eq!(quiet_out, out, "quiet changes stderr only");
    assert_eq!(quiet_err, "2 of 7 cases did not complete\n");
    assert_eq!(err.matches("energy is ESTIMATED").count(), 1, "{err}");
    assert_eq!(err.matches("SYNTHETIC").count(), 1, "{err}");
    assert!(!out.contains("energy is ESTIMATED"), "{out}");
    let sensor_lines = |e: &str| {
        e.lines()
            .filter(|l| l.contains("using ") || l.contains("carbon intensity"))
            .count()
    };
    assert_eq!(sensor_lines(&err), 1, "{err}");
    assert_eq!(sensor_lines(&verbose_err), 2, "{verbose_err}");
    assert!(verbose_out.contains("plan:"), "{verbose_out}");
    insta::assert_snapshot!("terminal_run_normal", format!("{out}--- stderr\n{err}"));
    insta::assert_snapshot!(
        "terminal_run_quiet",
        format!("{quiet_out}--- stderr\n{quiet_err}")
    );
    insta::assert_snapshot!(
        "terminal_run_verbose",
        format!("{verbose_out}--- stderr\n{verbose_err}")
    );
}

/// Outliers by Tukey's fences on time per iteration (`cases[].outliers`): one sample ten
/// times as slow is a high severe outlier, counted and not removed.
#[test]
fn terminal_outliers_line() {
    let r = run();
    let mut c = without_baseline(case(&r, "sort/quick"));
    let quiet = super::changes::outliers_line("", &c);
    assert_eq!(
        quiet,
        "outliers:  none in 8 samples (time per iteration, Tukey's fences)\n"
    );
    c.samples[3].elapsed_s *= 10.0;
    c.outliers = crate::analysis::outliers::time_outliers(&c.samples);
    assert_eq!(
        super::changes::outliers_line("", &c),
        "outliers:  1 of 8 samples (12.5%) in time per iteration: 1 high severe\n"
    );
    c.samples.truncate(3);
    c.outliers = crate::analysis::outliers::time_outliers(&c.samples);
    assert_eq!(c.outliers, None);
    assert_eq!(super::changes::outliers_line("", &c), "");
}

#[test]
fn terminal_verdicts_of_two_variants() {
    let r = run();
    let llm: Vec<_> = r.comparisons.iter().filter(|c| c.group == "llm").collect();
    assert_eq!(llm.len(), 3, "energy, joules per correct answer and IPJ");
    let text: String = llm.iter().map(|c| terminal::comparison(c)).collect();
    insta::assert_snapshot!(text);
}

#[test]
fn terminal_verdicts_of_four_variants() {
    let r = synthetic_run("models", 1, 4, SAMPLES, 9);
    assert_eq!(r.comparisons[0].variants.len(), 4);
    let text: String = r.comparisons.iter().map(terminal::comparison).collect();
    insta::assert_snapshot!(text);
}

#[test]
fn terminal_closing_line() {
    let r = run();
    insta::assert_snapshot!(terminal::finished(&r).expect("two cases did not complete"));
    let mut ok = r.clone();
    ok.cases.retain(|c| c.status == Status::Ok);
    assert_eq!(terminal::finished(&ok), None);
}

#[test]
fn json_sensors_line() {
    let discovery = discover(&[SensorSpec::Synthetic { watts: 50.0 }]).expect("synthetic");
    insta::assert_snapshot!(pretty(&json_lines::sensors(&discovery.summary())));
}

#[test]
fn json_case_complete_lines() {
    let r = run();
    for (name, id) in [
        ("json_case_iter", "sort/quick"),
        ("json_case_query", "llm/int8"),
        ("json_case_failed", "parse"),
        ("json_case_skipped", "gpu/square"),
    ] {
        insta::assert_snapshot!(name, pretty(&json_lines::case(case(&r, id))));
    }
}

#[test]
fn json_group_complete_lines() {
    let two = run();
    let four = synthetic_run("models", 1, 4, SAMPLES, 9);
    let lines: Vec<serde_json::Value> = two
        .comparisons
        .iter()
        .chain(&four.comparisons)
        .map(json_lines::comparison)
        .collect();
    insta::assert_snapshot!(pretty(&serde_json::Value::from(lines)));
}

#[test]
fn json_baseline_compared_lines() {
    let r = run();
    let lines: Vec<serde_json::Value> = r
        .cases
        .iter()
        .filter_map(|c| c.baseline.as_ref().map(|b| json_lines::baseline(c, b)))
        .collect();
    insta::assert_snapshot!(pretty(&serde_json::Value::from(lines)));
}

#[test]
fn json_run_complete_line() {
    let mut r = run();
    r.warnings
        .push("idle power drifted by +12% between the start and the end of the run".into());
    let path = Path::new("target/ipw/models/results.json");
    insta::assert_snapshot!(pretty(&json_lines::finished(&r, path)));
}

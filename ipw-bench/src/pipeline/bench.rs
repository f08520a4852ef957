//! Bench mode: take the output folder, measure every selected group, analyse it and
//! write a checkpoint after each, then write results.json and the report, compare with a
//! baseline, and choose the exit code. A signal stops the run between samples; what was
//! finished is written all the same.

pub(super) use super::baseline::{apply_baseline, gate_exit_code, load_baselines};
use super::document::{config_record, group_comparisons, group_members, Header};
use super::exit;
use super::output_dir::OutputDir;
use super::outputs::{self, Written};
use super::resume::{self, Resumed, ThisRun};
use super::room;
use super::shown;
use crate::analysis::assemble::case_result;
use crate::analysis::carbon;
use crate::analysis::estimates::latency_buckets;
use crate::analysis::record::Carbon;
use crate::attribution::idle::idle_summary;
use crate::attribution::record::Idle;
use crate::measure::interrupt::{Interrupt, Signal};
use crate::measure::phased::{self, Phased};
use crate::measure::record::{CaseRecord, Trace};
use crate::measure::registry::CaseRef;
use crate::measure::runner::Session;
use crate::measure::sensor::{discover, Discovery, SensorInfo};
use crate::output::Printer;
use crate::results::{
    host, paths, CaseResult, GroupComparison, RunResults, RunStatus, UnusedSensor,
};
use crate::setup::config::{Config, GpuProtocol};
use crate::setup::selection;
use std::time::Instant;

/// The summary line of the carbon intensity in use.
pub(super) fn carbon_line(c: &Carbon) -> String {
    format!("carbon intensity {} gCO2e/kWh ({})", c.g_per_kwh, c.source)
}

/// The results of measured cases. A `--processes` child also keeps each case's latency
/// histogram, for its parent to merge across processes.
fn case_results(
    records: &[CaseRecord],
    trace: &Trace,
    idle: &Idle,
    config: &Config,
) -> Vec<CaseResult> {
    records
        .iter()
        .map(|r| {
            let mut c = case_result(r, trace, idle, config.seed, config.carbon_intensity);
            if let (Some(_), Some(l), Some(h)) = (&config.worker, &mut c.latency, &r.latency) {
                l.buckets = latency_buckets(h);
            }
            c
        })
        .collect()
}

/// What is known before the first sample: the sources, the protocol, the baseline to
/// compare with and the one to update.
struct Prepared {
    discovery: Discovery,
    phased: Option<Phased>,
    baseline: Option<(String, RunResults)>,
    saved_baseline: Option<RunResults>,
}

/// What the groups of this run gave.
pub(super) struct Measured {
    records: Vec<CaseRecord>,
    comparisons: Vec<GroupComparison>,
    /// The cases shown so far, for the checkpoints.
    shown: Vec<CaseResult>,
    groups_done: usize,
    /// None when the cases are not known in advance (inline cases).
    groups_total: Option<usize>,
    stopped: Option<Signal>,
    /// Every case id defined, when only the measuring stage learns them (inline cases):
    /// the cases the final merge may keep.
    pub(super) known: Option<Vec<String>>,
}

impl Measured {
    pub(super) fn new(groups_total: Option<usize>) -> Measured {
        Measured {
            records: Vec::new(),
            comparisons: Vec::new(),
            shown: Vec::new(),
            groups_done: 0,
            groups_total,
            stopped: None,
            known: None,
        }
    }

    /// Whether no case was measured.
    pub(super) fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// A stop asked for while a group ran: its cases are left out.
    pub(super) fn stop(&mut self, stage: &Stage) {
        self.stopped = stage.interrupt.requested();
    }

    /// A group measured: print its cases and comparisons (with the idle power known so
    /// far: comparisons use gross per-sample energy, which later idle readings do not
    /// change) and write a checkpoint.
    pub(super) fn group_done(&mut self, stage: &Stage, group: &str, records: Vec<CaseRecord>) {
        let (session, header, printer) = (stage.session, stage.header, stage.printer);
        let config = header.config;
        let trace = session.snapshot();
        let idle = idle_summary(&trace, session.idle_before(), None);
        let mut shown = case_results(&records, &trace, &idle, config);
        header.stamp(&mut shown);
        let previous = stage.out.previous.as_ref();
        shown::print_cases(&mut shown, config, previous, stage.compare_with, printer);
        let members = group_members(header, previous, group, &shown);
        let fresh = group_comparisons(config, group, &members);
        for c in &fresh {
            printer.comparison(c);
        }
        self.comparisons.extend(fresh);
        self.records.extend(records);
        self.groups_done += 1;
        self.shown.extend(shown);
        let doc = header.document(
            self.shown.clone(),
            self.comparisons.clone(),
            &trace,
            idle,
            RunStatus::Running,
        );
        let doc = header.merged(stage.out.previous.as_ref(), doc, Some(&self.comparisons));
        outputs::checkpoint(
            &doc,
            stage.out,
            (self.groups_done, self.groups_total),
            printer,
        );
    }
}

/// What the measuring stage of a bench run works with.
pub(super) struct Stage<'a> {
    pub(super) session: &'a Session,
    pub(super) header: &'a Header<'a>,
    pub(super) out: &'a OutputDir,
    pub(super) printer: &'a Printer,
    pub(super) interrupt: Interrupt,
    /// The run this one continues (`--resume`): its finished groups are not measured.
    pub(super) resumed: Option<&'a Resumed>,
    /// The baseline each case is shown against (`--baseline`).
    pub(super) compare_with: Option<&'a (String, RunResults)>,
}

/// Run the selected cases in bench mode (`known`: every registered case id, in order);
/// returns the exit code.
pub(super) fn run_bench(config: &Config, cases: Vec<CaseRef>, known: Vec<String>) -> i32 {
    let selected = cases.iter().map(CaseRef::id).collect();
    let planned = (cases.len() as u64, room::planned_samples(&cases, config));
    run_bench_with(config, known, Some(selected), planned, |stage| {
        measure_groups(stage, cases)
    })
}

/// Bench mode with the measuring stage given: `measure` runs the cases in the session
/// (the registered groups, or cases whose functions run on another thread); the rest
/// (idle power, analysis, files, baseline, exit code) is the same. A measure that ran no
/// case and was not stopped (nothing selected: already said) writes nothing and exits 2.
/// `selected`: the ids of the cases to measure, when known before measuring (what
/// `--resume` needs); `planned`: how many cases and samples, for the room they need.
pub(super) fn run_bench_with(
    config: &Config,
    known: Vec<String>,
    selected: Option<Vec<String>>,
    planned: (u64, u64),
    measure: impl FnOnce(&Stage) -> Measured,
) -> i32 {
    let printer = Printer::new(config);
    let out = match open_output(config, &printer) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let previous_bytes = std::fs::metadata(out.results_path()).map_or(0, |m| m.len());
    let needed = room::needed(planned.0, planned.1, previous_bytes);
    if let Err(e) = room::check(&out.bench_dir, needed) {
        eprintln!("error: output directory {e}");
        return exit::USAGE;
    }
    let resumed = match continued(config, selected.as_deref(), &out) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let header_started = host::now_rfc3339();
    let clock = Instant::now();
    let prepared = match prepare(config, &out, &printer) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut header = Header {
        config,
        started: header_started,
        clock,
        phased: prepared.phased.is_some(),
        unused: prepared
            .discovery
            .unused
            .iter()
            .map(|u| UnusedSensor {
                source: u.source.clone(),
                reason: u.reason.clone(),
            })
            .collect(),
        known,
        selected: selected.clone().unwrap_or_default(),
        resumed: resumed
            .as_ref()
            .map(|r| r.parts.clone())
            .unwrap_or_default(),
    };
    let interrupt = Interrupt::install();
    let session = Session::start(
        prepared.discovery.sensors,
        prepared.phased,
        config.idle_time,
        interrupt,
        &printer,
    );
    let mut measured = measure(&Stage {
        session: &session,
        header: &header,
        out: &out,
        printer: &printer,
        interrupt,
        resumed: resumed.as_ref(),
        compare_with: prepared.baseline.as_ref(),
    });
    let stopped_early = measured.stopped.is_some() || interrupt.requested().is_some();
    if measured.is_empty() && !stopped_early && resumed.is_none() {
        return exit::USAGE;
    }
    if let Some(known) = measured.known.take() {
        header.known = known;
    }
    let idle_before = session.idle_before();
    let (trace, idle_after) = session.finish(&printer);
    let stopped = measured.stopped.or(interrupt.requested());
    let idle = idle_summary(&trace, idle_before, idle_after);
    let mut results = case_results(&measured.records, &trace, &idle, config);
    header.stamp(&mut results);
    let status = match stopped {
        Some(_) => RunStatus::Interrupted,
        None => RunStatus::Complete,
    };
    let mut run = header.document(results, measured.comparisons.clone(), &trace, idle, status);
    if let (Some(r), Some(previous)) = (&resumed, &out.previous) {
        r.complete(&mut run, previous, &header.selected);
    }
    if let Some((name, old)) = &prepared.baseline {
        apply_baseline(&mut run, old, name, config, &printer);
    }
    let this_run = run.clone();
    let fresh = run.comparisons.clone();
    let merged = header.merged(out.previous.as_ref(), run, Some(&fresh));
    let baseline_doc = config.save_baseline.as_ref().map(|name| {
        let doc = header.merged(prepared.saved_baseline.as_ref(), this_run.clone(), None);
        (name.clone(), doc)
    });
    let written = outputs::write_outputs(&merged, baseline_doc.as_ref(), &out, config, &printer);
    for w in &this_run.warnings {
        printer.warning(w);
    }
    printer.finished(&this_run, &out.results_path());
    let resumable = selected.is_some();
    finish(
        &this_run,
        &measured,
        (stopped, resumable),
        written,
        config,
        &out,
    )
}

/// The run `--resume` continues, checked against this one before anything else is done
/// (exit 2 when it cannot be), and said on stderr; none without `--resume`.
fn continued(
    config: &Config,
    selected: Option<&[String]>,
    out: &OutputDir,
) -> Result<Option<Resumed>, i32> {
    if !config.resume {
        return Ok(None);
    }
    let Some(selected) = selected else {
        eprintln!(
            "error: --resume: this bench defines its cases while it runs (ipw-criterion-compat), \
             so an interrupted run cannot be continued; select the missing groups with a filter"
        );
        return Err(exit::USAGE);
    };
    // The protocol applied is not known before discovery, nor compared.
    let record = config_record(config, false);
    let commit = host::git_commit();
    let now = ThisRun {
        config: &record,
        selected,
        git_commit: commit.as_deref(),
    };
    match resume::resume(out.previous.as_ref(), &now, &out.bench_dir) {
        Ok(r) => {
            eprintln!(
                "ipw: resuming the run started at {}: {} of {} cases finished, measuring the rest",
                r.started_at,
                r.done.len(),
                selected.len()
            );
            Ok(Some(r))
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(exit::USAGE)
        }
    }
}

/// The exit code: a signal's when one stopped the run (saying what was kept), else what
/// the cases and the baseline decide.
fn finish(
    run: &RunResults,
    measured: &Measured,
    (stopped, resumable): (Option<Signal>, bool),
    written: Written,
    config: &Config,
    out: &OutputDir,
) -> i32 {
    if let Some(signal) = stopped {
        let kept = match (written.results, resumable) {
            (true, true) => format!(
                "written to {}; continue it with --resume",
                out.results_path().display()
            ),
            (true, false) => format!("written to {}", out.results_path().display()),
            (false, _) => "not written".to_string(),
        };
        let total = match measured.groups_total {
            Some(n) => format!(" of {n}"),
            None => String::new(),
        };
        eprintln!(
            "ipw: interrupted by {}: {}{total} groups finished, {kept}",
            signal.name(),
            measured.groups_done,
        );
        return signal.exit_code();
    }
    // One process: no regression is trusted enough to fail the gate without --strict.
    gate_exit_code(run, written, config, |_| false)
}

/// The output folder of this run, opened and locked.
pub(super) fn open_output(config: &Config, printer: &Printer) -> Result<OutputDir, i32> {
    let root = config
        .output_dir
        .clone()
        .unwrap_or_else(paths::default_output_dir);
    OutputDir::open(&root, &paths::bench_name(), printer)
}

/// Discover the sources and print them, choose the protocol, and load the baselines, so
/// a missing or unreadable one is said before minutes of measuring.
fn prepare(config: &Config, out: &OutputDir, printer: &Printer) -> Result<Prepared, i32> {
    let discovery = discover(&config.sensor_specs).map_err(|e| {
        eprintln!("error: {e}");
        exit::USAGE
    })?;
    let carbon = carbon::carbon(config.carbon_intensity);
    let mut summary = discovery.summary();
    summary.push(carbon_line(&carbon));
    let infos: Vec<SensorInfo> = discovery.sensors.iter().map(|s| s.info().clone()).collect();
    let phased = match config.gpu_protocol {
        GpuProtocol::Phased => Phased::for_sources(&infos),
        GpuProtocol::Simple => None,
    };
    if config.gpu_protocol == GpuProtocol::Phased {
        summary.push(match &phased {
            Some(p) => format!(
                "gpu protocol phased: each sample is a trial (at least {} per case) started \
                 after a controlled delay; NVML GPU energy is read after the {:.0} ms rise time",
                phased::MIN_TRIALS,
                p.sensor.settle() * 1e3
            ),
            None => "gpu protocol phased changes nothing: no GPU energy comes from NVML alone"
                .to_string(),
        });
    }
    printer.sensors(&summary);
    let (baseline, saved_baseline) = load_baselines(config, out)?;
    Ok(Prepared {
        discovery,
        phased,
        baseline,
        saved_baseline,
    })
}

/// Measure the registered groups in turn, each shown and checkpointed when done. Stops
/// at a signal, leaving out the group it cut short.
fn measure_groups(stage: &Stage, cases: Vec<CaseRef>) -> Measured {
    let config = stage.header.config;
    let groups = selection::groups(&cases);
    // A resumed run's finished groups are skipped; the others keep their index, and so
    // the seed of their order, as in a run that was never stopped.
    let finished = |members: &[CaseRef]| {
        let ids: Vec<String> = members.iter().map(CaseRef::id).collect();
        stage.resumed.is_some_and(|r| r.group_done(&ids))
    };
    let left = groups.iter().filter(|(_, m)| !finished(m)).count();
    let mut m = Measured::new(Some(left));
    for (group_index, (group, members)) in groups.into_iter().enumerate() {
        if finished(&members) {
            continue;
        }
        let index = group_index as u64;
        match stage
            .session
            .run_group(members, config, index, stage.printer)
        {
            Some(records) => m.group_done(stage, &group, records),
            None => {
                m.stop(stage);
                break;
            }
        }
    }
    m
}

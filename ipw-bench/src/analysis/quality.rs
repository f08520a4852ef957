//! Measurement quality: one loud warning per problem of a case (steady state and drift
//! of the sample series in `steady`).

use crate::analysis::record::QualityWarning;
use crate::analysis::steady;
use crate::attribution::record::Sample;
use crate::measure::phased::nvml_only_gpu;
use crate::measure::record::{EdgeId, Trace};
use crate::measure::sensor::{Provenance, SensorInfo};

/// Coefficient of variation above which a case is flagged as noisy.
pub const HIGH_CV: f64 = 0.10;

fn warn(out: &mut Vec<QualityWarning>, code: &str, message: String) {
    out.push(QualityWarning {
        code: code.to_string(),
        message,
    });
}

fn cv(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean.abs() > 0.0).then(|| var.sqrt() / mean.abs())
}

/// The quality warnings of one case's samples.
pub fn case_warnings(
    samples: &[Sample],
    provenance: Provenance,
    plan_notes: &[String],
) -> Vec<QualityWarning> {
    let mut out = Vec::new();
    match provenance {
        Provenance::Estimated => warn(
            &mut out,
            "estimated-energy",
            "energy is ESTIMATED (CPU time x per-core power), not measured; see `cargo ipw sensors`"
                .to_string(),
        ),
        Provenance::Synthetic => warn(
            &mut out,
            "synthetic-energy",
            "energy comes from a SYNTHETIC constant-power source and describes no hardware"
                .to_string(),
        ),
        Provenance::Reported => warn(
            &mut out,
            "reported-energy",
            "energy is REPORTED by the bench function (iter_custom_energy): ipw-bench did not \
             read a sensor for it and cannot check it"
                .to_string(),
        ),
        Provenance::Measured => {}
    }
    let invalid: Vec<&Sample> = samples.iter().filter(|s| !s.valid).collect();
    if !invalid.is_empty() {
        let mut reasons: Vec<&str> = invalid
            .iter()
            .flat_map(|s| s.flags.iter().map(String::as_str))
            .filter(|f| *f != "short-window")
            .collect();
        reasons.sort_unstable();
        reasons.dedup();
        warn(
            &mut out,
            "invalid-windows",
            format!(
                "{} of {} sample windows have no valid energy ({}); they are left out",
                invalid.len(),
                samples.len(),
                if reasons.is_empty() {
                    "no energy source".to_string()
                } else {
                    reasons.join(", ")
                }
            ),
        );
    }
    let short: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.flags.iter().any(|f| f == "short-window"))
        .collect();
    if !short.is_empty() {
        let batches = short.iter().map(|s| s.energy_windows).max().unwrap_or(1);
        let remedy = if batches > 1 {
            format!(
                "each of iter_batched's {batches} batches has its own window: choose a larger \
                 BatchSize (fewer batches), or raise --measurement-time"
            )
        } else {
            "raise --measurement-time or lower --sample-size".to_string()
        };
        warn(
            &mut out,
            "short-window",
            format!(
                "{} of {} sample windows are shorter than twice a sensor's update period; \
                 {remedy}",
                short.len(),
                samples.len()
            ),
        );
    }
    let zero = samples
        .iter()
        .filter(|s| s.energy_total_j == Some(0.0))
        .count();
    if zero > 0 {
        warn(
            &mut out,
            "zero-energy",
            format!(
                "{zero} sample windows saw no energy at all: the sensor did not update within them"
            ),
        );
    }
    let time_per_iter: Vec<f64> = samples
        .iter()
        .map(|s| s.elapsed_s / s.iters as f64)
        .collect();
    if let Some(c) = cv(&time_per_iter).filter(|c| *c > HIGH_CV) {
        warn(
            &mut out,
            "high-variation",
            format!(
                "time per iteration varies a lot between samples (CV {:.0}%): the machine may be busy",
                c * 100.0
            ),
        );
    }
    out.extend(steady::series_warnings(samples));
    for note in plan_notes {
        warn(&mut out, "schedule", note.clone());
    }
    out
}

/// Shortest sample for which GPU energy from NVML alone is trusted without the protocol.
pub const NVML_MIN_SAMPLE_SECS: f64 = 5.0;

/// A warning when samples are too short for GPU energy that comes only from NVML.
pub fn nvml_short_window_warning(sample_secs: f64, sources: &[SensorInfo]) -> Option<String> {
    if !nvml_only_gpu(sources) || sample_secs >= NVML_MIN_SAMPLE_SECS {
        return None;
    }
    Some(format!(
        "samples last {sample_secs:.2} s, but GPU energy comes only from NVML, which updates \
         every 100 ms and on A100/H100-class boards sees 25 ms of each period: make samples \
         last at least {NVML_MIN_SAMPLE_SECS} s (--measurement-time, or more work per \
         iteration) or use --gpu-protocol phased"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn s(valid: bool, secs: f64, flags: &[&str]) -> Sample {
        Sample {
            iters: 10,
            elapsed_s: secs,
            start_s: 0.0,
            window_s: secs,
            energy_j: BTreeMap::new(),
            energy_total_j: valid.then_some(1.0),
            method: "counter-difference".into(),
            valid,
            flags: flags.iter().map(|f| f.to_string()).collect(),
            correct: None,
            incorrect: None,
            unjudged: None,
            delay_s: None,
            energy_windows: 1,
            first_question: None,
            process: None,
        }
    }

    #[test]
    fn flags_each_problem_once() {
        let samples = vec![
            s(true, 1.0, &[]),
            s(false, 1.0, &["reset"]),
            s(true, 3.0, &["short-window"]),
        ];
        let w = case_warnings(&samples, Provenance::Estimated, &["few".into()]);
        let codes: Vec<&str> = w.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "estimated-energy",
                "invalid-windows",
                "short-window",
                "high-variation",
                "schedule"
            ]
        );
        assert!(w[1].message.contains("reset"));
        assert!(case_warnings(&samples[..1], Provenance::Measured, &[]).is_empty());
    }

    #[test]
    fn short_batch_windows_point_at_the_batch_size() {
        let mut batched = s(true, 1.0, &["short-window"]);
        batched.energy_windows = 10;
        let w = case_warnings(&[batched], Provenance::Measured, &[]);
        assert_eq!(w[0].code, "short-window");
        assert!(w[0].message.contains("10 batches"), "{}", w[0].message);
        assert!(w[0].message.contains("BatchSize"), "{}", w[0].message);
        let w = case_warnings(
            &[s(true, 1.0, &["short-window"])],
            Provenance::Measured,
            &[],
        );
        assert!(w[0].message.contains("--sample-size"), "{}", w[0].message);
    }
}

/// Problems the trace shows inside a case's windows: sampling gaps, a low achieved rate,
/// and counters that did not move over a window many update periods long.
pub fn trace_warnings(
    trace: &Trace,
    windows: &[(EdgeId, EdgeId)],
    poll_s: f64,
) -> Vec<QualityWarning> {
    use crate::measure::sensor::SensorKind;
    let mut out = Vec::new();
    for (s, info) in trace.sensors.iter().enumerate() {
        let interval = poll_s.max(info.update_period.as_secs_f64());
        let (mut points, mut seconds, mut worst_gap, mut stalled) = (0usize, 0.0, 0.0f64, 0usize);
        for &(a, b) in windows {
            let (ia, ib) = (
                trace.edges[a.0 as usize].index[s],
                trace.edges[b.0 as usize].index[s],
            );
            let pts = &trace.points[s][ia..=ib];
            points += pts.len().saturating_sub(1);
            let span = pts[pts.len() - 1].t_ns.saturating_sub(pts[0].t_ns) as f64 * 1e-9;
            seconds += span;
            for w in pts.windows(2) {
                worst_gap = worst_gap.max(w[1].t_ns.saturating_sub(w[0].t_ns) as f64 * 1e-9);
            }
            let long = span > 10.0 * info.update_period.as_secs_f64();
            if info.kind == SensorKind::Counter && long && pts[0].value == pts[pts.len() - 1].value
            {
                stalled += 1;
            }
        }
        if worst_gap > 3.0 * interval && worst_gap > 0.05 {
            warn(
                &mut out,
                "sampling-gaps",
                format!(
                    "{}: {:.0} ms without a reading inside a sample (expected every {:.0} ms); \
                     the machine may be overloaded",
                    info.id,
                    worst_gap * 1e3,
                    interval * 1e3
                ),
            );
        }
        let expected = seconds / interval;
        if seconds > 1.0 && (points as f64) < 0.5 * expected {
            warn(
                &mut out,
                "low-sampling-rate",
                format!(
                    "{}: {:.1} readings per second inside samples, expected {:.1}",
                    info.id,
                    points as f64 / seconds,
                    1.0 / interval
                ),
            );
        }
        if stalled > 0 {
            warn(
                &mut out,
                "stalled-counter",
                format!(
                    "{}: the counter did not move in {stalled} sample windows longer than 10 \
                     update periods; the sensor may be stuck",
                    info.id
                ),
            );
        }
    }
    out
}

#[cfg(test)]
mod trace_tests {
    use super::*;
    use crate::measure::record::{Edge, TracePoint};
    use crate::measure::sensor::{Domain, SensorInfo, SensorKind, Unit};
    use std::time::Duration;

    fn pt(t_ms: u64, value: u64) -> TracePoint {
        TracePoint {
            t_ns: t_ms * 1_000_000,
            read_ns: 0,
            value,
            flags: 0,
            temperature_c: f32::NAN,
            clock_mhz: f32::NAN,
        }
    }

    #[test]
    fn gaps_and_stalls_are_flagged() {
        let info = SensorInfo {
            id: "rapl:0".into(),
            source: "rapl".into(),
            domain: Domain::new(Domain::CPU_PACKAGE),
            label: "package-0".into(),
            provenance: Provenance::Measured,
            kind: SensorKind::Counter,
            unit: Unit::Microjoule,
            resolution: 1e-6,
            update_period: Duration::from_millis(1),
            contained_in: None,
            details: Default::default(),
        };
        // Window 1: regular 100 ms polls with a 900 ms hole; window 2: a frozen counter.
        let pts = vec![
            pt(0, 0),
            pt(100, 10),
            pt(1000, 20),
            pt(1100, 30),
            pt(1200, 30),
            pt(1300, 30),
        ];
        let trace = Trace {
            sensors: vec![info],
            points: vec![pts],
            edges: vec![
                Edge {
                    t_ns: 0,
                    index: vec![0],
                },
                Edge {
                    t_ns: 1_100_000_000,
                    index: vec![3],
                },
                Edge {
                    t_ns: 1_100_000_000,
                    index: vec![3],
                },
                Edge {
                    t_ns: 1_300_000_000,
                    index: vec![5],
                },
            ],
            ..Trace::default()
        };
        let w = trace_warnings(
            &trace,
            &[(EdgeId(0), EdgeId(1)), (EdgeId(2), EdgeId(3))],
            0.1,
        );
        let codes: Vec<&str> = w.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(
            codes,
            ["sampling-gaps", "low-sampling-rate", "stalled-counter"]
        );
        assert!(w[0].message.contains("900 ms"), "{}", w[0].message);
        let ok = trace_warnings(&trace, &[(EdgeId(2), EdgeId(3))], 0.1);
        assert_eq!(ok.len(), 1, "only the stall in window 2: {ok:?}");
    }

    use crate::measure::phased::tests::source as phased_source;

    #[test]
    fn short_samples_warn_only_when_nvml_is_the_only_gpu_source() {
        let nvml = phased_source("nvml:0", "nvml", Domain::GPU);
        let rapl = phased_source("rapl:0", "rapl", Domain::CPU_PACKAGE);
        let meter = phased_source("meter:gpu", "meter", Domain::GPU);
        let w = nvml_short_window_warning(1.2, &[rapl.clone(), nvml.clone()]).unwrap();
        assert!(
            w.contains("1.20 s") && w.contains("--gpu-protocol phased"),
            "{w}"
        );
        assert_eq!(
            nvml_short_window_warning(5.0, std::slice::from_ref(&nvml)),
            None
        );
        assert_eq!(nvml_short_window_warning(1.2, &[nvml, meter]), None);
        assert_eq!(nvml_short_window_warning(1.2, &[rapl]), None);
    }
}

//! Measurement quality: one loud warning per problem of a case.

use crate::results::{QualityWarning, Sample};
use crate::sensor::Provenance;

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
    let short = samples
        .iter()
        .filter(|s| s.flags.iter().any(|f| f == "short-window"))
        .count();
    if short > 0 {
        warn(
            &mut out,
            "short-window",
            format!(
                "{short} of {} sample windows are shorter than twice a sensor's update period; \
                 raise --measurement-time or lower --sample-size",
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
    for note in plan_notes {
        warn(&mut out, "schedule", note.clone());
    }
    out
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
}

//! A raw sample and the trace in, the sample with its energy out.

use crate::attribution::phased::phased_sample;
use crate::attribution::record::Sample;
use crate::attribution::window::{windows, Method as WindowMethod};
use crate::measure::phased::Phased;
use crate::measure::record::{RawSample, Trace};
use crate::measure::sensor::Provenance;
use std::time::Duration;

/// The domain of energy a bench function reported itself (`iter_custom_energy`).
pub const REPORTED_DOMAIN: &str = "reported";

/// A sample's record; under the phased protocol, a trial with its delay.
pub(crate) fn to_sample(
    trace: &Trace,
    raw: &RawSample,
    phased: Option<(&Phased, Duration)>,
) -> Sample {
    let (start, end) = raw.span();
    let mut w = match phased {
        Some((p, _)) => phased_sample(trace, start, end, p),
        None => windows(trace, &raw.windows),
    };
    // Joules the bench function measured itself replace the sensors' over its window.
    if let Some(j) = raw.reported_energy_j {
        let j = Some(j).filter(|j| j.is_finite() && *j >= 0.0);
        w.per_domain = [(REPORTED_DOMAIN.to_string(), j)].into_iter().collect();
        w.total = j;
        w.method = WindowMethod::Reported;
        w.provenance = Provenance::Reported;
        w.flags.clear();
    }
    Sample {
        iters: raw.iters,
        elapsed_s: raw.elapsed_ns as f64 * 1e-9,
        start_s: trace.edge_ns(start) as f64 * 1e-9,
        window_s: w.seconds,
        valid: w.total.is_some(),
        energy_j: w.per_domain,
        energy_total_j: w.total,
        method: w.method.as_str().to_string(),
        flags: w.flags.iter().map(|f| f.to_string()).collect(),
        correct: raw.tally.map(|t| t.correct),
        incorrect: raw.tally.map(|t| t.incorrect()),
        unjudged: raw.tally.map(|t| t.unjudged),
        delay_s: phased.map(|(_, d)| d.as_secs_f64()),
        energy_windows: raw.windows.len().max(1) as u64,
        first_question: raw.questions.as_ref().map(|q| q.first as u64),
        process: None,
    }
}

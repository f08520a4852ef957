//! Builders shared by unit tests: synthetic cases with known energy and accuracy.

use crate::results::{CasePlan, CaseResult, Sample, Status};
use crate::sensor::Provenance;
use crate::stats::Rng;
use std::collections::BTreeMap;

/// A case of `n` samples of 100 iterations whose energy per iteration is `mean` J and whose
/// time per iteration is 1 ms, each with about 3% normal-like noise (a sum of 12 uniforms),
/// and, when given, `accuracy` as the share of correct queries. The variant is the id's
/// last segment.
pub(crate) fn synthetic_case(
    id: &str,
    mean: f64,
    n: usize,
    seed: u64,
    accuracy: Option<f64>,
) -> CaseResult {
    let mut rng = Rng::new(seed);
    let samples = (0..n)
        .map(|_| {
            let z = (0..12).map(|_| rng.next_f64()).sum::<f64>() - 6.0;
            let t = (0..12).map(|_| rng.next_f64()).sum::<f64>() - 6.0;
            Sample {
                iters: 100,
                elapsed_s: 0.1 * (1.0 + 0.03 * t),
                start_s: 0.0,
                window_s: 0.1,
                energy_j: BTreeMap::new(),
                energy_total_j: Some(mean * (1.0 + 0.03 * z) * 100.0),
                method: "counter-difference".into(),
                valid: true,
                flags: vec![],
                correct: accuracy.map(|a| a * 100.0),
                incorrect: accuracy.map(|a| (1.0 - a) * 100.0),
                unjudged: accuracy.map(|_| 0),
                delay_s: None,
                energy_windows: 1,
            }
        })
        .collect();
    CaseResult {
        id: id.into(),
        group: "g".into(),
        name: "g".into(),
        variant: id.rsplit('/').next().map(String::from),
        status: Status::Ok,
        message: None,
        kind: Some(
            if accuracy.is_some() {
                "queries"
            } else {
                "iter"
            }
            .into(),
        ),
        provenance: Provenance::Synthetic,
        plan: CasePlan {
            warm_up_time_s: 0.0,
            warm_up_iters: 0,
            measurement_time_s: 0.0,
            max_time_s: 0.0,
            sample_size_requested: n,
            iters_per_sample: 100,
            notes: vec![],
        },
        samples,
        estimates: BTreeMap::new(),
        quality: vec![],
        latency: None,
        answers: None,
        baseline: None,
        survival: None,
    }
}

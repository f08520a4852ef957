//! Throughput rates of a case that counts its work: per second from the time per
//! iteration, per joule from the energy per iteration.
//!
//! `n / x` is decreasing in `x`, so the percentile bootstrap interval of the rate is the
//! time's (or energy's) interval with its bounds swapped and inverted: the same resamples,
//! no second bootstrap.

use crate::analysis::metric::Metric;
use crate::analysis::record::Estimate;
use crate::measure::throughput::Throughput;
use std::collections::BTreeMap;

/// Add the per-second and per-joule rates of `throughput` to a case's estimates.
pub(crate) fn add_rates(estimates: &mut BTreeMap<String, Estimate>, throughput: Throughput) {
    let (per_s, per_j) = match throughput {
        Throughput::Bytes(_) => (Metric::BytesPerSecond, Metric::BytesPerJoule),
        Throughput::Elements(_) => (Metric::ElementsPerSecond, Metric::ElementsPerJoule),
    };
    let n = throughput.per_iter() as f64;
    for (from, to) in [(Metric::TimePerIter, per_s), (Metric::EnergyPerIter, per_j)] {
        if let Some(e) = estimates.get(from.key()).and_then(|e| inverse(e, n, to)) {
            estimates.insert(to.key().to_string(), e);
        }
    }
}

/// `n / e`, with the interval inverted; `None` when the estimate is not positive.
fn inverse(e: &Estimate, n: f64, to: Metric) -> Option<Estimate> {
    if !(e.point > 0.0 && e.ci_low > 0.0 && e.ci_high > 0.0) {
        return None;
    }
    Some(Estimate {
        point: n / e.point,
        ci_low: n / e.ci_high,
        ci_high: n / e.ci_low,
        unit: to.unit().to_string(),
        ..e.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::sensor::Provenance;

    fn estimate(point: f64, low: f64, high: f64, unit: &str, p: Provenance) -> Estimate {
        Estimate {
            point,
            ci_low: low,
            ci_high: high,
            confidence: 0.95,
            method: "percentile".into(),
            unit: unit.into(),
            provenance: p,
            resampled: Some("samples".into()),
        }
    }

    #[test]
    fn rates_invert_time_and_energy_with_their_intervals() {
        let mut m = BTreeMap::new();
        m.insert(
            "time_per_iter_s".into(),
            estimate(1e-6, 0.5e-6, 2e-6, "s", Provenance::Measured),
        );
        m.insert(
            "energy_per_iter_j".into(),
            estimate(2e-5, 1e-5, 4e-5, "J", Provenance::Synthetic),
        );
        add_rates(&mut m, Throughput::Bytes(4096));
        let s = &m["bytes_per_s"];
        assert!((s.point - 4.096e9).abs() < 1.0);
        assert!((s.ci_low - 2.048e9).abs() < 1.0 && (s.ci_high - 8.192e9).abs() < 1.0);
        assert_eq!(s.unit, "B/s");
        let j = &m["bytes_per_j"];
        assert!((j.point - 4096.0 / 2e-5).abs() < 1e-3);
        // Per joule carries the energy's provenance.
        assert_eq!(j.provenance, Provenance::Synthetic);
        add_rates(&mut m, Throughput::Elements(10));
        assert!((m["elements_per_s"].point - 1e7).abs() < 1e-3);
        assert!(m.contains_key("elements_per_j"));
    }

    #[test]
    fn no_rate_from_a_zero_or_missing_estimate() {
        let mut m = BTreeMap::new();
        m.insert(
            "time_per_iter_s".into(),
            estimate(0.0, 0.0, 1e-9, "s", Provenance::Measured),
        );
        add_rates(&mut m, Throughput::Bytes(1));
        assert!(!m.contains_key("bytes_per_s") && !m.contains_key("bytes_per_j"));
    }
}

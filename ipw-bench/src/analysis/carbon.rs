//! Carbon: grams of CO2-equivalent from energy, at a stated grid intensity.

use crate::analysis::metric::Metric;
use crate::analysis::record::{Carbon, Estimate};
use std::collections::BTreeMap;

/// World average carbon intensity of electricity generation, gCO2e per kWh.
pub const WORLD_AVERAGE_G_PER_KWH: f64 = 480.0;
/// Where the default comes from, printed wherever it is used.
pub const WORLD_AVERAGE_SOURCE: &str =
    "world average of electricity generation in 2023, Ember Global Electricity Review 2024";

const JOULES_PER_KWH: f64 = 3.6e6;

/// The intensity in use: the flag's value, or the documented world average.
pub fn carbon(flag: Option<f64>) -> Carbon {
    match flag {
        Some(g) => Carbon {
            g_per_kwh: g,
            source: "--carbon-intensity".to_string(),
        },
        None => Carbon {
            g_per_kwh: WORLD_AVERAGE_G_PER_KWH,
            source: WORLD_AVERAGE_SOURCE.to_string(),
        },
    }
}

/// Add `co2e_per_iter_g` (and `co2e_per_correct_g` for query cases), scaled from the
/// energy estimates: the interval is the energy's, times the intensity.
pub fn add_estimates(estimates: &mut BTreeMap<String, Estimate>, carbon: &Carbon) {
    let k = carbon.g_per_kwh / JOULES_PER_KWH;
    for (from, to) in [
        (Metric::EnergyPerIter, Metric::Co2ePerIter),
        (Metric::JoulesPerCorrect, Metric::Co2ePerCorrect),
    ] {
        if let Some(e) = estimates.get(from.key()) {
            let scaled = Estimate {
                point: e.point * k,
                ci_low: e.ci_low * k,
                ci_high: e.ci_high * k,
                unit: to.unit().to_string(),
                ..e.clone()
            };
            estimates.insert(to.key().to_string(), scaled);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::sensor::Provenance;

    #[test]
    fn one_kwh_at_480_is_480_grams() {
        let mut est = BTreeMap::new();
        est.insert(
            "energy_per_iter_j".to_string(),
            Estimate {
                point: 3.6e6,
                ci_low: 1.8e6,
                ci_high: 7.2e6,
                confidence: 0.95,
                method: "percentile".into(),
                unit: "J".into(),
                provenance: Provenance::Estimated,
                resampled: None,
            },
        );
        let c = carbon(None);
        add_estimates(&mut est, &c);
        let g = &est["co2e_per_iter_g"];
        assert_eq!((g.point, g.ci_low, g.ci_high), (480.0, 240.0, 960.0));
        assert_eq!(g.provenance, Provenance::Estimated);
        assert!(c.source.contains("Ember"));
        assert_eq!(carbon(Some(50.0)).g_per_kwh, 50.0);
        assert!(!est.contains_key("co2e_per_correct_g"));
    }
}

//! A case's outliers: its samples' time per iteration against Tukey's fences
//! ([`crate::stats::outliers`]), counted as criterion counts them and never removed.

use crate::analysis::compare::per_sample;
use crate::analysis::record::Outliers;
use crate::analysis::Metric;
use crate::attribution::record::Sample;
use crate::stats::outliers::tukey_outliers;

/// The outliers among `samples` in time per iteration; `None` under four samples.
pub fn time_outliers(samples: &[Sample]) -> Option<Outliers> {
    let o = tukey_outliers(&per_sample(Metric::TimePerIter, samples))?;
    Some(Outliers {
        samples: o.of,
        low_severe: o.low_severe,
        low_mild: o.low_mild,
        high_mild: o.high_mild,
        high_severe: o.high_severe,
    })
}

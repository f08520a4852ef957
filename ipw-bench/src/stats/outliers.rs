//! Tukey's fences, as criterion classifies its samples: a value more than 1.5
//! interquartile ranges outside the quartiles is a mild outlier, more than 3 a severe one.
//! The values are counted, never removed: an outlier is evidence about the machine.

use crate::stats::descriptive::quantiles;

/// How far outside the quartiles, in interquartile ranges, a mild outlier lies.
pub const MILD_IQR: f64 = 1.5;
/// How far outside the quartiles, in interquartile ranges, a severe outlier lies.
pub const SEVERE_IQR: f64 = 3.0;

/// The outliers of a set of values on each side, by Tukey's fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutlierCounts {
    /// Values in the data.
    pub of: usize,
    /// Values more than 3 interquartile ranges below the lower quartile.
    pub low_severe: usize,
    /// Values between 1.5 and 3 interquartile ranges below the lower quartile.
    pub low_mild: usize,
    /// Values between 1.5 and 3 interquartile ranges above the upper quartile.
    pub high_mild: usize,
    /// Values more than 3 interquartile ranges above the upper quartile.
    pub high_severe: usize,
}

impl OutlierCounts {
    /// Mild and severe outliers on both sides.
    pub fn total(&self) -> usize {
        self.low_severe + self.low_mild + self.high_mild + self.high_severe
    }
}

/// Count `data`'s outliers against Tukey's fences around its type-7 quartiles; `None` for
/// data with a non-finite value or fewer than four values (no quartiles to speak of).
pub fn tukey_outliers(data: &[f64]) -> Option<OutlierCounts> {
    if data.len() < 4 {
        return None;
    }
    let q = quantiles(data, &[0.25, 0.75]).ok()?;
    let (q1, q3) = (q[0], q[1]);
    let iqr = q3 - q1;
    let mut counts = OutlierCounts {
        of: data.len(),
        ..OutlierCounts::default()
    };
    for &x in data {
        if x < q1 - SEVERE_IQR * iqr {
            counts.low_severe += 1;
        } else if x < q1 - MILD_IQR * iqr {
            counts.low_mild += 1;
        } else if x > q3 + SEVERE_IQR * iqr {
            counts.high_severe += 1;
        } else if x > q3 + MILD_IQR * iqr {
            counts.high_mild += 1;
        }
    }
    Some(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_classed_by_the_fences_around_the_quartiles() {
        // Quartiles 9 and 11 (type 7, as NumPy gives), IQR 2: mild fences at 6 and 14,
        // severe at 3 and 17. 14 lies on the fence and is not an outlier.
        let mut data = vec![9.0; 6];
        data.extend([10.0; 10]);
        data.extend([11.0; 6]);
        data.extend([14.0, 15.0, 18.0, 5.0, 2.0]);
        let q = quantiles(&data, &[0.25, 0.75]).expect("quartiles");
        assert_eq!((q[0], q[1]), (9.0, 11.0));
        let c = tukey_outliers(&data).expect("counts");
        assert_eq!(
            c,
            OutlierCounts {
                of: 27,
                low_severe: 1,
                low_mild: 1,
                high_mild: 1,
                high_severe: 1,
            }
        );
        assert_eq!(c.total(), 4);
    }

    #[test]
    fn too_few_or_non_finite_values_give_none() {
        assert_eq!(tukey_outliers(&[1.0, 2.0, 3.0]), None);
        assert_eq!(tukey_outliers(&[1.0, 2.0, 3.0, f64::NAN]), None);
        let flat = tukey_outliers(&[5.0; 6]).expect("counts");
        assert_eq!(flat.total(), 0, "constant data has no outliers");
    }
}

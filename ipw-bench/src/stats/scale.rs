//! Exact rescaling by powers of two, so that sums and sums of squares of values anywhere in
//! the range of `f64` (1e-300 to 1e308) neither overflow nor underflow.
//!
//! Multiplying by a power of two changes only the exponent, so a statistic computed on
//! scaled values and scaled back is bit for bit the one computed directly, wherever the
//! direct computation does not overflow; scaling is therefore always safe to apply.

/// A normal power of two `s` that brings `max_abs` into `[0.5, 1)`: into `[1, 4)` at the
/// very top of the range (above 2^1022) and to at least 2^-52 for subnormal values, where
/// no normal power of two reaches further. 1 for 0 or a non-finite value. `s` and `1 / s`
/// are both exact.
pub fn scale_for(max_abs: f64) -> f64 {
    if !(max_abs.is_finite() && max_abs > 0.0) {
        return 1.0;
    }
    // frexp: max_abs = m 2^e with m in [0.5, 1); normalise subnormals first.
    let (bits, shift) = if max_abs < f64::MIN_POSITIVE {
        ((max_abs * 2f64.powi(64)).to_bits(), 64)
    } else {
        (max_abs.to_bits(), 0)
    };
    let e = ((bits >> 52) & 0x7ff) as i32 - 1022 - shift;
    2f64.powi((-e).clamp(-1022, 1022))
}

/// The largest magnitude in `values` (0 for none).
pub fn max_abs(values: &[f64]) -> f64 {
    values.iter().fold(0.0, |m: f64, v| m.max(v.abs()))
}

/// A weighted sum of squares `sum w x^2`, kept as `scale^2 * sum` with `scale` the largest
/// `|x|` so far (LAPACK's `dnrm2` way): neither the squares nor the sum overflow or
/// underflow, and ratios and roots of such sums come out right even where the sums
/// themselves are beyond `f64`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SumSq {
    scale: f64,
    sum: f64,
}

impl SumSq {
    /// Adds `w * x^2` (`w >= 0`).
    pub fn add(&mut self, w: f64, x: f64) {
        let a = x.abs();
        if a == 0.0 || w == 0.0 {
            return;
        }
        if a > self.scale {
            let r = self.scale / a;
            self.sum = w + self.sum * r * r;
            self.scale = a;
        } else {
            let r = a / self.scale;
            self.sum += w * r * r;
        }
    }

    /// True when the sum is exactly 0 (every term added was 0).
    pub fn is_zero(&self) -> bool {
        self.sum == 0.0
    }

    /// The sum itself (infinite when beyond `f64`).
    pub fn value(&self) -> f64 {
        self.scale * (self.scale * self.sum)
    }

    /// `sqrt` of the sum.
    pub fn root(&self) -> f64 {
        self.scale * self.sum.sqrt()
    }

    /// `self / other`.
    pub fn ratio(&self, other: &SumSq) -> f64 {
        let r = self.scale / other.scale;
        r * r * (self.sum / other.sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_of_squares_beyond_f64_keep_their_ratios() {
        let mut big = SumSq::default();
        for x in [3e200, 4e200] {
            big.add(1.0, x);
        }
        assert!(big.value().is_infinite());
        assert!((big.root() / 5e200 - 1.0).abs() < 1e-15);
        let mut small = SumSq::default();
        small.add(2.0, 1e-200);
        small.add(1.0, 0.0);
        assert!(small.value() == 0.0 && !small.is_zero());
        assert!((small.root() / (2f64.sqrt() * 1e-200) - 1.0).abs() < 1e-15);
        let mut other = SumSq::default();
        other.add(1.0, 5e200);
        assert!((big.ratio(&other) - 1.0).abs() < 1e-15);
        let mut plain = SumSq::default();
        for (w, x) in [(1.0, 1.0), (3.0, 2.0), (0.5, -4.0)] {
            plain.add(w, x);
        }
        assert!((plain.value() - 21.0).abs() < 1e-13);
    }

    #[test]
    fn brings_any_magnitude_into_one_half_to_one() {
        for x in [1.0, 0.5, 0.75, 3.0, 1e-3, 1e200, 1e-300, f64::MIN_POSITIVE] {
            let s = scale_for(x);
            let y = x * s;
            assert!((0.5..1.0).contains(&y), "{x:e} * {s:e} = {y}");
            // A normal power of two: scaling back is exact, either way round.
            assert_eq!(s.to_bits() & ((1 << 52) - 1), 0, "{s:e}");
            assert_eq!(y / s, x);
            assert_eq!(y * (1.0 / s), x);
        }
        for (x, low, high) in [
            (f64::MAX, 1.0, 4.0),
            (5e-324, 2e-16, 1.0),
            (1e-310, 1e-3, 1.0),
        ] {
            let s = scale_for(x);
            assert!(s.is_normal() && (1.0 / s).is_normal(), "{x:e}: {s:e}");
            let y = x * s;
            assert!(y >= low && y < high, "{x:e} * {s:e} = {y}");
            assert_eq!(y / s, x);
        }
        assert_eq!(scale_for(0.0), 1.0);
        assert_eq!(scale_for(f64::INFINITY), 1.0);
        assert_eq!(scale_for(f64::NAN), 1.0);
        assert_eq!(max_abs(&[1.0, -3.0, 2.0]), 3.0);
    }
}

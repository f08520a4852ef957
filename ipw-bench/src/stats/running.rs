//! Moments of a sample met one value at a time, in bounded memory.
//!
//! Values are gathered into chunks of [`CHUNK`]; each full chunk is summarised by
//! [`Moments::of`] (the corrected two-pass sums, exact as for a sample held whole) and
//! merged into the running total by Chan's formulas. A sample of at most one chunk is
//! therefore summarised bit for bit as in memory; a longer one to within rounding of the
//! merges (about 1e-15 relative). Each chunk is summarised in its own power-of-two scale
//! and brought to the scale of the running total, so that values near 1e308 do not
//! overflow any more than they do in [`Moments::of`].

use super::moments::Moments;
use super::scale::{max_abs, scale_for};

/// Values summarised together before merging: small enough to stay in the L1 cache.
pub const CHUNK: usize = 4096;

/// Moments, minimum and maximum of a stream of finite values.
#[derive(Debug, Clone)]
pub struct Running {
    buf: Vec<f64>,
    /// The chunks merged so far, and the power of two their values were multiplied by.
    merged: Option<(Moments, f64)>,
    first: f64,
    constant: bool,
    min: f64,
    max: f64,
    max_abs: f64,
}

impl Default for Running {
    fn default() -> Running {
        Running::new()
    }
}

impl Running {
    /// An empty accumulator.
    pub fn new() -> Running {
        Running {
            buf: Vec::new(),
            merged: None,
            first: f64::NAN,
            constant: true,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            max_abs: 0.0,
        }
    }

    /// Adds one finite value.
    #[inline]
    pub fn push(&mut self, v: f64) {
        self.buf.push(v);
        if self.buf.len() == CHUNK {
            self.flush();
        }
    }

    /// Summarises the values waiting in the chunk; [`Running::moments`] needs none waiting.
    pub fn flush(&mut self) {
        let Some(&head) = self.buf.first() else {
            return;
        };
        let widest = max_abs(&self.buf);
        let s = scale_for(widest);
        let chunk = Moments::of(&self.buf, s);
        for &v in &self.buf {
            self.min = self.min.min(v);
            self.max = self.max.max(v);
        }
        if self.merged.is_none() {
            self.first = head;
        }
        self.constant = self.constant && chunk.constant && head == self.first;
        self.max_abs = self.max_abs.max(widest);
        self.merged = Some(match self.merged {
            None => (chunk, s),
            Some((total, t)) => {
                // The smaller power of two serves the larger values: neither overflows.
                let u = s.min(t);
                (merge(&rescaled(&total, u / t), &rescaled(&chunk, u / s)), u)
            }
        });
        self.buf.clear();
    }

    /// Values added so far.
    pub fn n(&self) -> usize {
        self.merged.map_or(0, |(m, _)| m.n) + self.buf.len()
    }

    /// The largest magnitude added (0 for none).
    pub fn max_abs(&self) -> f64 {
        self.buf.iter().fold(self.max_abs, |m, v| m.max(v.abs()))
    }

    /// The smallest and largest value added, after [`Running::flush`].
    pub fn min_max(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    /// The moments of every value added times `s` (a power of two), as
    /// [`Moments::of`] gives them for the values held whole. Flush first.
    pub fn moments(&self, s: f64) -> Moments {
        debug_assert!(self.buf.is_empty(), "flush before reading the moments");
        match self.merged {
            None => Moments::of(&[], s),
            Some((m, t)) => {
                let mut m = rescaled(&m, s / t);
                m.constant = self.constant;
                if self.constant {
                    m.sd = 0.0;
                }
                m
            }
        }
    }
}

/// `m` for the values times `r` (a power of two): exact unless it underflows.
fn rescaled(m: &Moments, r: f64) -> Moments {
    Moments {
        mean: m.mean * r,
        mean_low: m.mean_low * r,
        sd: m.sd * r,
        ..*m
    }
}

/// Chan, Golub and LeVeque's pairwise update, written with roots of the sums of squares
/// (`hypot`) so that neither squares nor sums leave the range of `f64`.
fn merge(a: &Moments, b: &Moments) -> Moments {
    let n = a.n + b.n;
    let (na, nb, nf) = (a.n as f64, b.n as f64, n as f64);
    let delta = b.minus(a);
    let shift = delta * (nb / nf);
    let mean = a.mean + shift;
    // What rounding `mean` dropped (Knuth's two-sum), carried in the low part.
    let back = mean - a.mean;
    let dropped = (a.mean - (mean - back)) + (shift - back);
    let root = (a.sd * (na - 1.0).max(0.0).sqrt())
        .hypot(b.sd * (nb - 1.0).max(0.0).sqrt())
        .hypot(delta.abs() * (na * nb / nf).sqrt());
    Moments {
        n,
        mean,
        mean_low: a.mean_low + dropped,
        sd: if n < 2 { 0.0 } else { root / (nf - 1.0).sqrt() },
        constant: a.constant && b.constant && delta == 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::moments::common_scale;

    fn running(values: &[f64]) -> Running {
        let mut r = Running::new();
        for &v in values {
            r.push(v);
        }
        r.flush();
        r
    }

    #[track_caller]
    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol * b.abs().max(1e-300), "{a} vs {b}");
    }

    #[test]
    fn one_chunk_is_the_in_memory_summary_bit_for_bit() {
        let x: Vec<f64> = (0..CHUNK).map(|i| ((i * 37) % 101) as f64 * 0.1).collect();
        let s = common_scale(&[&x]);
        assert_eq!(running(&x).moments(s), Moments::of(&x, s));
    }

    #[test]
    fn many_chunks_agree_with_the_whole_sample() {
        // Values near 1e9 with a spread of 1: the two-pass sums must keep the spread.
        let x: Vec<f64> = (0..10 * CHUNK + 17)
            .map(|i| 1e9 + ((i * 7919) % 1000) as f64 / 500.0)
            .collect();
        let s = common_scale(&[&x]);
        let (got, want) = (running(&x).moments(s), Moments::of(&x, s));
        assert_eq!(got.n, want.n);
        close(got.centre(), want.centre(), 1e-15);
        close(got.sd, want.sd, 1e-12);
        assert!(!got.constant);
        let r = running(&x);
        assert_eq!(r.min_max(), (1e9, 1e9 + 999.0 / 500.0));
    }

    #[test]
    fn huge_and_constant_streams() {
        let mut x = vec![1e200; CHUNK + 3];
        x.extend([-1e200, 1e300]);
        let s = common_scale(&[&x]);
        let (got, want) = (running(&x).moments(s), Moments::of(&x, s));
        // The one 1e300 dominates a mean that either way rounds 4,098 terms.
        close(got.centre(), want.centre(), 1e-13);
        close(got.sd, want.sd, 1e-12);
        let c = running(&vec![3.5; 3 * CHUNK]).moments(1.0);
        assert!(c.constant && c.sd == 0.0);
        close(c.centre(), 3.5, 1e-15);
        // Two constant chunks of different values are not constant.
        let mut two = vec![1.0; CHUNK];
        two.extend(vec![2.0; CHUNK]);
        let m = running(&two).moments(0.5);
        assert!(!m.constant && m.sd > 0.0);
        assert_eq!(running(&[]).n(), 0);
    }
}

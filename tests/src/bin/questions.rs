//! Query cases with known question sets, run by the end-to-end tests of whole passes and
//! by the memory benchmark (`docs/benchmarks.md`).

use ipw_bench::{black_box, Bencher};
use std::time::Instant;

fn spin(micros: u64) {
    let t = Instant::now();
    while t.elapsed().as_micros() < u128::from(micros) {
        black_box(());
    }
}

/// A deterministic subject: of `n` questions, the first three quarters are right, every
/// time. Each answer takes 20 µs, so a pass over 400 takes 8 ms and over 4000 80 ms.
#[ipw_bench::bench(group = "sets", args = [400u32, 4000])]
fn three_quarters(b: &mut Bencher, n: u32) {
    b.queries(0..n, |&i| {
        spin(20);
        i < n / 4 * 3
    });
}

/// A slow subject, like a model call: 8 questions of 12 ms, longer than ten updates of the
/// synthetic sensor (1 ms), so each answer gets its own energy window. The first six are
/// right.
#[ipw_bench::bench(group = "sets")]
fn slow(b: &mut Bencher) {
    b.queries(0..8u32, |&i| {
        spin(12_000);
        i < 6
    });
}

/// The fastest subject there is: 1,000 questions answered in nanoseconds, half right,
/// some scored and some unjudged, as many answers as the time allows. Its memory must
/// not grow with the answers.
#[ipw_bench::bench(group = "memory")]
fn fast(b: &mut Bencher) {
    b.queries(0..1_000u32, |&i| match i % 4 {
        0 => ipw_bench::Outcome::Correct,
        1 => ipw_bench::Outcome::Score(0.5),
        2 => ipw_bench::Outcome::Unjudged,
        _ => ipw_bench::Outcome::Incorrect,
    });
}

ipw_bench::main!();

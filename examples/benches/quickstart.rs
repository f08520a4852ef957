//! The README's annotated example, kept byte for byte identical to it by a test.

use ipw_bench::Bencher;

// Time and energy per iteration, one case per argument (`sort/1000`, `sort/10000`).
#[ipw_bench::bench(args = [1_000usize, 10_000], sample_size = 30, warm_up_time = 0.5, measurement_time = 1)]
fn sort(b: &mut Bencher, n: usize) {
    // Set-up runs once, outside the measured windows.
    let data: Vec<u64> = (0..n as u64)
        .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .collect();
    b.iter(|| {
        let mut v = data.clone();
        v.sort_unstable();
        v
    });
}

// A subject that answers queries: accuracy, joules per correct answer, IPW and IPJ.
#[ipw_bench::bench(
    group = "parity",
    sample_size = 20,
    warm_up_time = 0.5,
    measurement_time = 1
)]
fn popcount_guess(b: &mut Bencher) {
    let questions: Vec<(u32, bool)> = (0..1_000).map(|i| (i, i % 2 == 0)).collect();
    b.queries(questions, |&(n, is_even)| {
        let guess = n.count_ones() % 2 == 0; // a weak "model": right about half the time
        guess == is_even // the outcome: bool, a score in [0, 1], or Outcome::Unjudged
    });
}

ipw_bench::main!();

//! Classic micro-benchmarks: time and energy per iteration.

use ipw_bench::{black_box, BatchSize, Bencher};
use ipw_examples::micro;

/// Sorting 10,000 pseudo-random u64 values; the copy to sort is made outside the window.
#[ipw_bench::bench(sample_size = 30, warm_up_time = 0.3, measurement_time = 1)]
fn sort_10k(b: &mut Bencher) {
    let input = micro::random_u64s(micro::SORT_LEN, 1);
    b.iter_batched(
        || input.clone(),
        |mut v| {
            micro::sort_u64(&mut v);
            v
        },
        BatchSize::Auto,
    );
}

/// FNV-1a over 4 KiB.
#[ipw_bench::bench(sample_size = 30, warm_up_time = 0.3, measurement_time = 1)]
fn hash_4k(b: &mut Bencher) {
    let data = micro::random_bytes(micro::HASH_LEN, 2);
    b.iter(|| micro::fnv1a_64(black_box(&data)));
}

/// A 64 x 64 f64 matrix product.
#[ipw_bench::bench(sample_size = 30, warm_up_time = 0.3, measurement_time = 1)]
fn matmul_64(b: &mut Bencher) {
    let n = micro::MATRIX_N;
    let (x, y) = (micro::random_matrix(n, 3), micro::random_matrix(n, 4));
    b.iter(|| micro::matmul(black_box(&x), black_box(&y), n));
}

ipw_bench::main!();

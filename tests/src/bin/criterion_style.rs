//! Bench functions written as for criterion, against the native API: `iter_batched` with
//! a `BatchSize`, `iter_batched_ref`, `iter_with_setup`, `iter_with_large_drop`,
//! `iter_custom`, `iter_custom_energy`, throughput, and `to_async` (tokio and the built-in
//! `FuturesExecutor`).

use ipw_bench::async_executor::FuturesExecutor;
use ipw_bench::{black_box, BatchSize, Bencher, Throughput};
use std::time::{Duration, Instant};

fn work(n: u64) -> u64 {
    (0..n).fold(0u64, |a, i| a.wrapping_mul(31).wrapping_add(black_box(i)))
}

#[ipw_bench::bench(group = "style")]
fn batched(b: &mut Bencher) {
    let data: Vec<u64> = (0..512).rev().collect();
    b.iter_batched(
        || data.clone(),
        |mut v| {
            v.sort_unstable();
            v
        },
        BatchSize::SmallInput,
    );
}

#[ipw_bench::bench(group = "style")]
fn batched_ref(b: &mut Bencher) {
    b.iter_batched_ref(
        || vec![3u8; 4096],
        |v| v.iter_mut().for_each(|x| *x ^= 1),
        BatchSize::LargeInput,
    );
}

#[ipw_bench::bench(group = "style")]
fn with_setup(b: &mut Bencher) {
    b.iter_with_setup(|| 300u64, work);
}

#[ipw_bench::bench(group = "style")]
fn large_drop(b: &mut Bencher) {
    b.iter_with_large_drop(|| vec![0u64; 1024]);
}

#[ipw_bench::bench(group = "style")]
fn custom(b: &mut Bencher) {
    b.iter_custom(|iters| {
        let t = Instant::now();
        for _ in 0..iters {
            black_box(work(200));
        }
        t.elapsed()
    });
}

/// A "device" at exactly 2 W: joules are 2 x the time.
#[ipw_bench::bench(group = "style")]
fn custom_energy(b: &mut Bencher) {
    b.iter_custom_energy(|iters| {
        let t = Instant::now();
        for _ in 0..iters {
            black_box(work(200));
        }
        let d: Duration = t.elapsed();
        (d, 2.0 * d.as_secs_f64())
    });
}

#[ipw_bench::bench(group = "rates")]
fn bytes(b: &mut Bencher) {
    let data = vec![7u8; 4096];
    b.throughput(Throughput::Bytes(data.len() as u64));
    b.iter(|| data.iter().map(|&x| x as u64).sum::<u64>());
}

#[ipw_bench::bench(group = "rates", elements = 100)]
fn elements(b: &mut Bencher) {
    b.iter(|| work(100));
}

/// How long `async/sleep` awaits: the test checks the time per iteration against it.
const SLEEP: Duration = Duration::from_millis(2);

#[ipw_bench::bench(group = "async")]
fn sleep(b: &mut Bencher) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    b.to_async(&rt).iter(|| tokio::time::sleep(SLEEP));
}

#[ipw_bench::bench(group = "async")]
fn sort(b: &mut Bencher) {
    let data: Vec<u64> = (0..512).rev().collect();
    b.to_async(FuturesExecutor).iter_batched(
        || data.clone(),
        |mut v| async move {
            v.sort_unstable();
            v
        },
        BatchSize::SmallInput,
    );
}

ipw_bench::main!();

//! A bench written for criterion 0.5's API, unchanged but for the dependency line
//! (`criterion = { package = "ipw-criterion-compat", ... }` in a user's Cargo.toml; here
//! the crate is renamed in code, as that line would).

extern crate ipw_criterion_compat as criterion;

use criterion::{
    black_box, criterion_group, criterion_main, AxisScale, BatchSize, BenchmarkId, Criterion,
    PlotConfiguration, SamplingMode, Throughput,
};
use std::time::{Duration, Instant};

fn fibonacci(n: u64) -> u64 {
    match n {
        0 | 1 => 1,
        n => fibonacci(n - 1) + fibonacci(n - 2),
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn bench_fib(c: &mut Criterion) {
    c.bench_function("fib 15", |b| b.iter(|| fibonacci(black_box(15))));
}

fn bench_sizes(c: &mut Criterion) {
    let mut group = c.benchmark_group("hash");
    group.plot_config(PlotConfiguration::default().summary_scale(AxisScale::Logarithmic));
    group.sampling_mode(SamplingMode::Flat);
    for size in [64usize, 1024] {
        let data = vec![7u8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("fnv1a", size), &data, |b, data| {
            b.iter(|| fnv1a(black_box(data)))
        });
    }
    group.finish();
}

fn bench_sorts(c: &mut Criterion) {
    let data: Vec<u64> = (0..2000).rev().collect();
    let mut group = c.benchmark_group("sort");
    group.bench_function("stable", |b| {
        b.iter_batched(
            || data.clone(),
            |mut v| {
                v.sort();
                v
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function(BenchmarkId::from_parameter("unstable"), |b| {
        b.iter_batched_ref(
            || data.clone(),
            |v| v.sort_unstable(),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("custom", |b| {
        b.iter_custom(|iters| {
            let t = Instant::now();
            for _ in 0..iters {
                let mut v = data.clone();
                v.sort_unstable();
                black_box(v);
            }
            t.elapsed()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_fib, bench_sizes);
criterion_group! {
    name = configured;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(1));
    targets = bench_sorts
}
criterion_main!(benches, configured);

//! Async benches written for criterion 0.5's API (`to_async` with a tokio runtime and
//! with `FuturesExecutor`, features `async_tokio` and `async_futures`), unchanged but for
//! the dependency line.

extern crate ipw_criterion_compat as criterion;

use criterion::async_executor::FuturesExecutor;
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use std::time::{Duration, Instant};

/// How long `sleep` awaits: the test checks the time per iteration against it.
const SLEEP: Duration = Duration::from_millis(2);

async fn checksum(data: &[u8]) -> u64 {
    tokio::task::yield_now().await;
    data.iter().map(|&x| u64::from(x)).sum()
}

fn bench_tokio(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let data = vec![7u8; 1024];
    let mut group = c.benchmark_group("tokio");
    group.bench_function("sleep", |b| {
        b.to_async(&rt).iter(|| tokio::time::sleep(SLEEP))
    });
    group.bench_function("checksum", |b| {
        b.to_async(&rt)
            .iter(|| async { checksum(black_box(&data)).await })
    });
    group.bench_function("batched", |b| {
        b.to_async(&rt).iter_batched(
            || data.clone(),
            |v| async move { checksum(&v).await },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("batched_ref", |b| {
        b.to_async(&rt).iter_batched_ref(
            || data.clone(),
            |v| {
                v.reverse();
                tokio::task::yield_now()
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("custom", |b| {
        b.to_async(&rt).iter_custom(|iters| async move {
            let t = Instant::now();
            for _ in 0..iters {
                tokio::task::yield_now().await;
            }
            t.elapsed()
        })
    });
    group.finish();
}

fn bench_futures(c: &mut Criterion) {
    c.bench_function("futures/checksum", |b| {
        let data = vec![3u8; 256];
        b.to_async(FuturesExecutor)
            .iter(|| async { data.iter().map(|&x| u64::from(x)).sum::<u64>() })
    });
}

criterion_group!(benches, bench_tokio, bench_futures);
criterion_main!(benches);

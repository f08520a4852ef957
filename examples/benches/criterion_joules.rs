//! An existing criterion bench that reports joules: one line changed (`with_measurement`).
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use ipw_bench::criterion::Joules;
use std::hint::black_box;
use std::time::Duration;

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn hashing(c: &mut Criterion<Joules>) {
    let data = vec![7u8; 4096];
    let mut g = c.benchmark_group("hash");
    // Counters tick every 1 ms (RAPL) to 100 ms (NVML): few, long, equal samples.
    g.sampling_mode(SamplingMode::Flat);
    g.throughput(Throughput::Bytes(data.len() as u64)); // reported as bytes per joule
    g.bench_function("fnv1a_4k", |b| b.iter(|| fnv1a(black_box(&data))));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .with_measurement(Joules::auto()) // the one line: joules instead of seconds
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    targets = hashing
}
criterion_main!(benches);

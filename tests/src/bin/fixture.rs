//! A bench binary with known cases, run by the end-to-end tests.

use ipw_bench::{black_box, Bencher};

fn spin(micros: u64) -> u64 {
    let t = std::time::Instant::now();
    let mut x = 0u64;
    while t.elapsed().as_micros() < micros as u128 {
        x = black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
    }
    x
}

#[ipw_bench::bench(group = "fixture")]
fn busy(b: &mut Bencher) {
    b.iter(|| spin(20));
}

/// Seven of every ten queries are right.
#[ipw_bench::bench(group = "fixture")]
fn queries_70(b: &mut Bencher) {
    b.queries(0..10u32, |&i| {
        spin(5);
        i < 7
    });
}

/// Unjudged answers stay out of the accuracy denominator.
#[ipw_bench::bench(group = "fixture")]
fn scored(b: &mut Bencher) {
    b.queries(0..4u32, |&i| match i {
        0 => ipw_bench::Outcome::Correct,
        1 => ipw_bench::Outcome::Score(0.5),
        2 => ipw_bench::Outcome::Unjudged,
        _ => ipw_bench::Outcome::Incorrect,
    });
}

#[ipw_bench::bench(group = "fixture")]
fn batched(b: &mut Bencher) {
    b.iter_batched(|| vec![3u64; 256], |v| v.iter().sum::<u64>());
}

#[ipw_bench::bench(args = [1u64, 2, 4])]
fn sized(b: &mut Bencher, n: u64) {
    b.iter(|| spin(10 * n));
}

#[ipw_bench::bench(name = "renamed", group = "other")]
fn some_function(b: &mut Bencher) {
    b.iter(|| black_box(1 + 1));
}

#[ipw_bench::bench(ignore)]
fn slow_ignored(b: &mut Bencher) {
    b.iter(|| spin(1));
}

#[ipw_bench::bench]
fn panics(b: &mut Bencher) {
    if std::env::var_os("FIXTURE_NO_PANIC").is_none() {
        panic!("deliberate failure");
    }
    b.iter(|| 1);
}

ipw_bench::main!();

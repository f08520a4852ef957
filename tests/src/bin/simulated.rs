//! A bench binary whose cases report simulated time and energy (`iter_custom_energy`):
//! a deterministic, seeded per-process offset and a small seeded per-sample noise about
//! a fixed cost, so the regression gate's false-alarm and detection rates are tested
//! through the real `--processes` path (children, merging, baselines) without timing
//! noise (`tests/tests/aa_ab_fixture.rs`, issue #17).
//!
//! - `SIM_RUN=NAME` seeds the process offsets: each invocation of a trial names its own,
//!   as a fresh process of unchanged code would draw a new layout, frequency and placement.
//! - `SIM_SLOWER=PERCENT:ID[,ID...]`: the named cases cost PERCENT% more per iteration
//!   (time and energy), the A/B experiment's changed code.
//!
//! Per case: per-iteration time `BASE_NS * offset * slower * (1 + noise)` and energy
//! `POWER_W` times that time, with `offset = 1 + 1% * N(0, 1)` per process and case and
//! `noise` 0.6% * N(0, 1) per call. The routine also spins `REAL_NS` of real time per
//! iteration, so the warm-up's doubling loop ends as it would on real work.

use ipw_bench::{black_box, Bencher};
use std::time::{Duration, Instant};

const BASE_NS: f64 = 1_000.0;
const REAL_NS: u64 = 2;
const POWER_W: f64 = 10.0;
const PROCESS_SD: f64 = 0.01;
const SAMPLE_SD: f64 = 0.006;

/// SplitMix64: a seed from a name, and the stream of the per-call noise.
struct Mix(u64);

impl Mix {
    fn of(parts: &[&str]) -> Mix {
        // FNV-1a over the parts, then mixed.
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        for p in parts {
            for b in p.bytes().chain([0xff]) {
                h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
            }
        }
        Mix(h)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// An approximately standard normal draw (the sum of 12 uniforms, less 6).
    fn normal(&mut self) -> f64 {
        (0..12)
            .map(|_| (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
            .sum::<f64>()
            - 6.0
    }
}

/// This process's index in a `--processes` run (from `IPW_WORKER=K:DIR`); 0 when the
/// process measures alone.
fn process_index() -> String {
    std::env::var("IPW_WORKER")
        .ok()
        .and_then(|w| w.split(':').next().map(str::to_owned))
        .unwrap_or_else(|| "0".into())
}

/// The case's factor from `SIM_SLOWER`, 1 when it is not named.
fn slower(case: &str) -> f64 {
    let spec = std::env::var("SIM_SLOWER").unwrap_or_default();
    match spec.split_once(':') {
        Some((p, cases)) if cases.split(',').any(|c| c == case) => {
            1.0 + p.parse::<f64>().unwrap_or(0.0) / 100.0
        }
        _ => 1.0,
    }
}

fn simulate(b: &mut Bencher, case: &str) {
    let run = std::env::var("SIM_RUN").unwrap_or_default();
    let k = process_index();
    let offset = 1.0 + PROCESS_SD * Mix::of(&["offset", &run, &k, case]).normal();
    let per_iter_s = BASE_NS * 1e-9 * offset * slower(case);
    let mut noise = Mix::of(&["noise", &run, &k, case]);
    b.iter_custom_energy(|iters| {
        let t = Instant::now();
        while t.elapsed() < Duration::from_nanos(iters.saturating_mul(REAL_NS)) {
            black_box(iters);
        }
        let s = iters as f64 * per_iter_s * (1.0 + SAMPLE_SD * noise.normal());
        (Duration::from_secs_f64(s), s * POWER_W)
    });
}

#[ipw_bench::bench(group = "suite")]
fn fmt(b: &mut Bencher) {
    simulate(b, "suite/fmt");
}

#[ipw_bench::bench(group = "suite")]
fn alloc(b: &mut Bencher) {
    simulate(b, "suite/alloc");
}

#[ipw_bench::bench(group = "suite")]
fn sort(b: &mut Bencher) {
    simulate(b, "suite/sort");
}

#[ipw_bench::bench(group = "suite")]
fn hash(b: &mut Bencher) {
    simulate(b, "suite/hash");
}

#[ipw_bench::bench(group = "suite")]
fn parse(b: &mut Bencher) {
    simulate(b, "suite/parse");
}

#[ipw_bench::bench(group = "suite")]
fn json(b: &mut Bencher) {
    simulate(b, "suite/json");
}

ipw_bench::main!();

//! Sampler cost on a fake RAPL tree: one read per zone, the sampler thread's CPU time per
//! second at the runner's default poll interval, and a CPU-bound workload with the
//! sampler on and off. Plain std timing; run with `cargo bench -p ipw-bench --bench sampler`.
//!
//! Everything runs pinned to one CPU, so that the sampler's work competes with the
//! workload directly instead of hiding on an idle core: the on/off ratio is an upper
//! bound on what the sampler costs a CPU-bound benchmark.

#[path = "../tests/support/fake_sysfs.rs"]
mod fake_sysfs;

use fake_sysfs::{pin_to_one_cpu, FakeSysfs, Profile, Writer};
use ipw_bench::runner::POLL_INTERVAL;
use ipw_bench::sampler::Sampler;
use ipw_bench::sensor::rapl::{self, RaplZone};
use ipw_bench::sensor::Sensor;
use std::hint::black_box;
use std::time::{Duration, Instant};

const ZONES: [(&str, &str, f64, u64, f64); 4] = [
    ("intel-rapl:0", "package-0", 61.035, 262_143_328_850, 45.0),
    ("intel-rapl:0:0", "core", 61.035, 262_143_328_850, 30.0),
    ("intel-rapl:0:1", "uncore", 61.035, 262_143_328_850, 4.0),
    ("intel-rapl:0:2", "dram", 15.3, 65_712_999_613, 7.0),
];

fn fake_tree() -> Writer {
    let mut fake = FakeSysfs::new();
    for (zone, name, unit, range, watts) in ZONES {
        fake.rapl_zone(zone, name, unit, range, 0, Profile::Constant(watts));
    }
    fake.start()
}

fn zones(writer: &Writer) -> Vec<RaplZone> {
    let (zones, _) = rapl::probe(&writer.roots().powercap);
    assert_eq!(zones.len(), ZONES.len(), "fake tree not found");
    zones
}

fn boxed(zones: Vec<RaplZone>) -> Vec<Box<dyn Sensor>> {
    zones
        .into_iter()
        .map(|z| Box::new(z) as Box<dyn Sensor>)
        .collect()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// CPU time of the calling thread, in nanoseconds: unlike wall time it does not count the
/// time other processes on a busy host hold the CPU.
fn thread_cpu_now() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Cost of one `read()` of each zone: thread CPU time per read (median over batches of
/// 1,000), and wall-clock p50/p99 of single reads.
fn read_cost(writer: &Writer) {
    println!("## one read per RAPL zone (pread + parse, fake tree in the page cache)");
    for mut zone in zones(writer) {
        let mut batches = Vec::new();
        let mut singles = Vec::with_capacity(20_000);
        for _ in 0..100 {
            let t = thread_cpu_now();
            for _ in 0..1_000 {
                black_box(zone.read().ok());
            }
            batches.push((thread_cpu_now() - t) as f64 / 1_000.0);
        }
        for _ in 0..20_000 {
            let t = Instant::now();
            black_box(zone.read().ok());
            singles.push(t.elapsed().as_nanos() as f64);
        }
        singles.sort_by(f64::total_cmp);
        println!(
            "{:<20} CPU {:>6.0} ns/read; wall p50 {:>6.0} ns, p99 {:>6.0} ns (goal <= 20000 ns)",
            zone.info().id,
            median(batches),
            singles[singles.len() / 2],
            singles[singles.len() * 99 / 100]
        );
    }
}

/// CPU time consumed so far by this process's thread named `name`, from its schedstat.
fn thread_cpu_ns(name: &str) -> Option<u64> {
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).ok()?;
        if comm.trim() == name {
            let stat = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
            return stat.split_whitespace().next()?.parse().ok();
        }
    }
    None
}

/// The sampler thread's CPU time per second of run, at `poll`.
fn sampler_cpu(writer: &Writer, poll: Duration, run: Duration) {
    let sampler = Sampler::start(boxed(zones(writer)), poll);
    std::thread::sleep(Duration::from_millis(50));
    let cpu0 = thread_cpu_ns("ipw-sampler");
    let t0 = Instant::now();
    std::thread::sleep(run);
    let cpu1 = thread_cpu_ns("ipw-sampler");
    let wall = t0.elapsed().as_secs_f64();
    let trace = sampler.stop();
    let per_tick = trace.tick_time_ns as f64 / trace.ticks.max(1) as f64;
    match (cpu0, cpu1) {
        (Some(a), Some(b)) => println!(
            "poll {:>4} ms: sampler thread CPU {:>8.1} us/s = {:.4}% of one core (goal < 0.1%); \
             {} ticks, {:.0} ns per tick = {:.0} ns per zone",
            poll.as_millis(),
            (b - a) as f64 / 1e3 / wall,
            (b - a) as f64 / 1e9 / wall * 100.0,
            trace.ticks,
            per_tick,
            per_tick / ZONES.len() as f64
        ),
        _ => println!("poll {} ms: no /proc/self/task schedstat", poll.as_millis()),
    }
}

/// A fixed amount of integer work (~0.1 s on a current core).
fn workload() -> u64 {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..60_000_000u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x = x.wrapping_add(i);
    }
    black_box(x)
}

/// Workload wall time with the sampler on (runner default poll) and off, in adjacent
/// pairs so that drift in the host's load hits both sides of each ratio alike.
fn on_off(writer: &Writer) {
    let (mut off, mut on) = (Vec::new(), Vec::new());
    black_box(workload());
    for _ in 0..20 {
        let t = Instant::now();
        black_box(workload());
        off.push(t.elapsed().as_secs_f64());

        let sampler = Sampler::start(boxed(zones(writer)), POLL_INTERVAL);
        let t = Instant::now();
        black_box(workload());
        on.push(t.elapsed().as_secs_f64());
        drop(sampler.stop());
    }
    let ratios: Vec<f64> = on.iter().zip(&off).map(|(a, b)| a / b).collect();
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "workload ({} pairs): off median {:.4} s (min {:.4}), on median {:.4} s (min {:.4}); \
         on/off: median of pair ratios {:.4}, ratio of minima {:.4}; goal within 1%",
        ratios.len(),
        median(off.clone()),
        min(&off),
        median(on.clone()),
        min(&on),
        median(ratios),
        min(&on) / min(&off)
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once without it.
    let quick = !std::env::args().any(|a| a == "--bench");
    pin_to_one_cpu();
    let writer = fake_tree();
    if quick {
        let mut z = zones(&writer);
        assert!(z.iter_mut().all(|z| z.read().is_ok()));
        println!("sampler bench: smoke run ok (use cargo bench for figures)");
        return;
    }
    read_cost(&writer);
    println!("## sampler thread CPU time (4 RAPL zones)");
    sampler_cpu(&writer, POLL_INTERVAL, Duration::from_secs(5));
    sampler_cpu(&writer, Duration::from_millis(10), Duration::from_secs(3));
    sampler_cpu(&writer, Duration::from_millis(1), Duration::from_secs(2));
    println!("## CPU-bound workload with the sampler off and on (poll {POLL_INTERVAL:?})");
    on_off(&writer);
}

//! A bench binary with known cases, run by the end-to-end tests.

use ipw_bench::{black_box, Bencher};
use std::ffi::{c_uint, c_void, CStr, CString};
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

fn spin(micros: u64) -> u64 {
    spin_ns(micros * 1_000)
}

fn spin_ns(nanos: u64) -> u64 {
    let t = std::time::Instant::now();
    let mut x = 0u64;
    while t.elapsed().as_nanos() < nanos as u128 {
        x = black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
    }
    x
}

/// `FIXTURE_SLOWER=PERCENT:ID[,ID...]` (`5:fixture/busy,sized/2`, case ids): the named
/// cases spin PERCENT% longer per iteration, the A/B experiment's changed code
/// (`scripts/aa_ab.sh`). The factor for the case `id`, 1 when it is not named.
fn slower(case: &str) -> f64 {
    let Ok(spec) = std::env::var("FIXTURE_SLOWER") else {
        return 1.0;
    };
    let Some((percent, cases)) = spec.split_once(':') else {
        return 1.0;
    };
    match percent.parse::<f64>() {
        Ok(p) if cases.split(',').any(|c| c == case) => 1.0 + p / 100.0,
        _ => 1.0,
    }
}

/// This process's index in a `--processes` run (from `IPW_WORKER=K:DIR`), if a child.
fn process_index() -> Option<u32> {
    std::env::var("IPW_WORKER")
        .ok()?
        .split(':')
        .next()?
        .parse()
        .ok()
}

/// `FIXTURE_PROCESS_FAULT=K:MODE[,K:MODE...]`: child process K of a `--processes` run
/// fails. `silent` exits 0 in `fixture/busy`, before it has written anything; in each
/// `sized` case, `abort` aborts (SIGABRT), `kill` kills itself (SIGKILL), and `panic`
/// panics (the case fails in that process only).
fn fault(here: &str) {
    let (Some(k), Ok(spec)) = (process_index(), std::env::var("FIXTURE_PROCESS_FAULT")) else {
        return;
    };
    for item in spec.split(',') {
        let Some((index, mode)) = item.split_once(':') else {
            continue;
        };
        if index.parse::<u32>().ok() != Some(k) {
            continue;
        }
        match (here, mode) {
            ("busy", "silent") => std::process::exit(0),
            ("sized", "abort") => std::process::abort(),
            // SAFETY: raising a signal at this process has no memory effects.
            ("sized", "kill") => unsafe {
                libc::raise(libc::SIGKILL);
            },
            ("sized", "panic") => panic!("deliberate failure in process {k}"),
            _ => {}
        }
    }
}

#[ipw_bench::bench(group = "fixture")]
fn busy(b: &mut Bencher) {
    fault("busy");
    let ns = (20_000.0 * slower("fixture/busy")) as u64;
    b.iter(|| spin_ns(ns));
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

/// Setup twice as long as the routine: energy that included it would be three times too
/// high. Batched by the default size.
#[ipw_bench::bench(group = "fixture")]
fn batched(b: &mut Bencher) {
    b.iter_batched(
        || {
            spin(40);
            vec![3u64; 256]
        },
        |v| {
            spin(20);
            v.iter().sum::<u64>()
        },
        ipw_bench::BatchSize::Auto,
    );
}

/// One energy window per iteration: far shorter than the sensor's update period.
#[ipw_bench::bench(group = "fixture")]
fn per_iteration(b: &mut Bencher) {
    b.iter_batched(
        || spin(10),
        |x| spin(50) ^ x,
        ipw_bench::BatchSize::PerIteration,
    );
}

#[ipw_bench::bench(args = [1u64, 2, 4])]
fn sized(b: &mut Bencher, n: u64) {
    fault("sized");
    let ns = (10_000.0 * n as f64 * slower(&format!("sized/{n}"))) as u64;
    b.iter(|| spin_ns(ns));
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

/// The fake NVML library's own symbols (crate `ipw-fake-nvml`), found in this process:
/// ipw-bench's NVML source has loaded `IPW_NVML_LIB` and initialised it.
struct FakeGpu {
    pulse_watts: extern "C" fn(f64, f64) -> c_uint,
    true_joules: extern "C" fn(c_uint) -> f64,
    seconds: extern "C" fn() -> f64,
}

type Pulse = extern "C" fn(f64, f64) -> c_uint;
type TrueJoules = extern "C" fn(c_uint) -> f64;
type Seconds = extern "C" fn() -> f64;

impl FakeGpu {
    fn open() -> Result<FakeGpu, String> {
        let path = std::env::var_os("IPW_NVML_LIB").ok_or("IPW_NVML_LIB is not set")?;
        let path = CString::new(path.as_bytes()).map_err(|e| e.to_string())?;
        // SAFETY: a NUL-terminated path; RTLD_NOLOAD only finds the copy already loaded
        // (and never closed) by the NVML source, so no initialiser runs here.
        let lib = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_NOLOAD) };
        if lib.is_null() {
            return Err("the fake NVML library is not in use (run with --sensors nvml)".into());
        }
        let symbol = |name: &CStr| -> Result<*mut c_void, String> {
            // SAFETY: `lib` is a live handle and `name` is NUL-terminated.
            let f = unsafe { libc::dlsym(lib, name.as_ptr()) };
            if f.is_null() {
                Err(format!(
                    "IPW_NVML_LIB has no {name:?}: not the fake library"
                ))
            } else {
                Ok(f)
            }
        };
        let (pulse, joules, seconds) = (
            symbol(c"fake_nvml_pulse_watts")?,
            symbol(c"fake_nvml_true_joules")?,
            symbol(c"fake_nvml_seconds")?,
        );
        // SAFETY: the symbols are `extern "C"` functions of exactly these signatures in
        // fake-nvml/src/lib.rs, and the library stays loaded for the process's life.
        unsafe {
            Ok(FakeGpu {
                pulse_watts: std::mem::transmute::<*mut c_void, Pulse>(pulse),
                true_joules: std::mem::transmute::<*mut c_void, TrueJoules>(joules),
                seconds: std::mem::transmute::<*mut c_void, Seconds>(seconds),
            })
        }
    }

    /// A kernel: `watts` for exactly `length`, then the driven load's base power again.
    fn kernel(&self, watts: f64, length: Duration) {
        let code = (self.pulse_watts)(watts, length.as_secs_f64());
        assert_eq!(
            code, 0,
            "fake_nvml_pulse_watts: the script needs power=driven:.."
        );
    }
}

/// Sleep most of the way to `deadline`, then spin, so that iterations keep to their grid.
fn wait_until(deadline: Instant) {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        if left > Duration::from_millis(2) {
            std::thread::sleep(left - Duration::from_millis(1));
        } else {
            std::hint::spin_loop();
        }
    }
}

const KERNEL_W: f64 = 300.0;
const KERNEL: Duration = Duration::from_millis(30);
const ITERATION: Duration = Duration::from_millis(100);

/// A GPU kernel loop whose period is NVML's update period: a 30 ms kernel at 300 W, then
/// 70 ms at the base 100 W, per iteration (16 J), on the fake library's
/// `power=driven:100` GPU.
///
/// `FIXTURE_GPU_START_AT=S` starts the loop S seconds into the fake clock's 100 ms period,
/// locking it to a chosen phase of the sensor; `FIXTURE_GPU_TRUTH=FILE` receives the
/// exact energy of each iteration (warm-up included), one per line, when the case ends.
#[ipw_bench::bench(group = "gpu")]
fn square(b: &mut Bencher) {
    let gpu = match FakeGpu::open() {
        Ok(gpu) => gpu,
        Err(why) => return b.skip(format!("needs the fake NVML library: {why}")),
    };
    if let Some(at) = std::env::var("FIXTURE_GPU_START_AT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
    {
        let period = ITERATION.as_secs_f64();
        let wait = (at - (gpu.seconds)()).rem_euclid(period);
        std::thread::sleep(Duration::from_secs_f64(wait));
    }
    let mut truth: Vec<f64> = Vec::with_capacity(1 << 14);
    // The planned end of the last iteration, and when it returned.
    let mut last: Option<(Instant, Instant)> = None;
    b.iter(|| {
        let now = Instant::now();
        let j0 = (gpu.true_joules)(0);
        gpu.kernel(KERNEL_W, KERNEL);
        // Straight after the last iteration (in the same sample), keep to its 100 ms grid,
        // as a GPU's own clock would: a wake-up late on a busy host then delays one
        // kernel, not every later one.
        let t0 = match last {
            Some((end, returned))
                if now - returned < Duration::from_micros(200) && now - end < ITERATION / 2 =>
            {
                end
            }
            _ => now,
        };
        wait_until(t0 + ITERATION);
        truth.push((gpu.true_joules)(0) - j0);
        last = Some((t0 + ITERATION, Instant::now()));
    });
    if let Some(path) = std::env::var_os("FIXTURE_GPU_TRUTH") {
        let lines: String = truth.iter().map(|j| format!("{j:.9}\n")).collect();
        std::fs::write(&path, lines).expect("write FIXTURE_GPU_TRUTH");
    }
}

/// With `FIXTURE_ODD_IDS` set, cases whose ids hold a newline and a tab (from the
/// variants' names); without it, none, so that the other tests see the usual cases.
fn odd_names() -> Vec<String> {
    match std::env::var_os("FIXTURE_ODD_IDS") {
        Some(_) => vec!["line\nbreak".to_string(), "tab\tstop".to_string()],
        None => Vec::new(),
    }
}

#[ipw_bench::bench(group = "odd", args = odd_names())]
fn odd(b: &mut Bencher, name: String) {
    b.iter(|| black_box(name.len()));
}

/// With `FIXTURE_DUPLICATE_IDS` set, `dup/twin/x` twice, from two functions.
fn duplicated() -> Vec<&'static str> {
    match std::env::var_os("FIXTURE_DUPLICATE_IDS") {
        Some(_) => vec!["x"],
        None => Vec::new(),
    }
}

#[ipw_bench::bench(name = "twin", group = "dup", args = duplicated())]
fn twin_a(b: &mut Bencher, v: &str) {
    b.iter(|| black_box(v.len()));
}

#[ipw_bench::bench(name = "twin", group = "dup", args = duplicated())]
fn twin_b(b: &mut Bencher, v: &str) {
    b.iter(|| black_box(v.len() + 1));
}

ipw_bench::main!();

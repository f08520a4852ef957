//! The sampler allocates nothing per tick once started: RAPL and hwmon reads go to stack
//! buffers and the trace is preallocated. Its own binary (no test harness) so that the
//! counting allocator sees only the sampler and the allocation-free fake writer.

#[path = "support/fake_sysfs.rs"]
mod fake_sysfs;

use fake_sysfs::{pin_to_one_cpu, FakeSysfs, Profile};
use ipw_bench::sampler::Sampler;
use ipw_bench::sensor::{discover_in, SensorSpec};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    pin_to_one_cpu();
    let mut fake = FakeSysfs::new();
    let range = 262_143_328_850;
    fake.rapl_zone(
        "intel-rapl:0",
        "package-0",
        61.04,
        range,
        0,
        Profile::Constant(40.0),
    );
    fake.rapl_zone(
        "intel-rapl:0:0",
        "core",
        61.04,
        range,
        0,
        Profile::Constant(25.0),
    );
    fake.rapl_zone(
        "intel-rapl:0:1",
        "uncore",
        61.04,
        range,
        0,
        Profile::Constant(3.0),
    );
    fake.rapl_zone(
        "intel-rapl:0:2",
        "dram",
        15.3,
        65_712_999_613,
        0,
        Profile::Constant(6.0),
    );
    fake.hwmon_power("hwmon0", "amdgpu", 1, "PPT", Profile::Constant(30.0));
    fake.hwmon_energy("hwmon1", "i915", 1, Profile::Constant(8.0));
    let writer = fake.start();
    let found = match discover_in(&[SensorSpec::Rapl, SensorSpec::Hwmon], &writer.roots()) {
        Ok(d) => d.sensors,
        Err(e) => panic!("discovery failed: {e}"),
    };
    assert_eq!(found.len(), 6);
    let sampler = Sampler::start(found, Duration::from_millis(1));
    std::thread::sleep(Duration::from_millis(100));
    let ticks_before = sampler.snapshot().ticks;
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(500));
    let after = ALLOCATIONS.load(Ordering::SeqCst);
    let trace = sampler.stop();
    let ticks = trace.ticks - ticks_before;
    assert!(
        ticks >= 100,
        "the sampler ticked only {ticks} times in 500 ms"
    );
    assert!(trace.lost.is_empty(), "{:?}", trace.lost);
    assert_eq!(
        after - before,
        0,
        "{} allocations during {ticks} sampler ticks over 6 sources",
        after - before
    );
    println!("sampler_alloc: 0 allocations in {ticks} ticks over 6 sources: ok");
}

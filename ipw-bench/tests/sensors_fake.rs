//! RAPL and hwmon end to end on fake sysfs trees: discovery, the real sampler, and window
//! attribution, checked against the exact integral of scripted power profiles.

#[path = "support/fake_sysfs.rs"]
mod fake_sysfs;

use fake_sysfs::{pin_to_one_cpu, FakeSysfs, Profile, Writer};
use ipw_bench::attribution::{window, WindowEnergy};
use ipw_bench::sampler::{EdgeId, Sampler, Trace};
use ipw_bench::sensor::counter::WRAPPED;
use ipw_bench::sensor::{
    discover_in, list_sources, Access, RawReading, Sensor, SensorError, SensorInfo, SensorSpec,
};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Intel's usual RAPL energy unit, 2^-14 J.
const UNIT_UJ: f64 = 61.035_156_25;
/// A real package range: (2^32 - 1) units.
const FULL_RANGE_UJ: u64 = 262_143_328_850;

/// A RAPL zone with Intel's usual unit and a real package range, counting from `start_uj`.
fn package_zone(
    fake: &mut FakeSysfs,
    zone: &str,
    name: &str,
    start_uj: u64,
    profile: Profile,
) -> PathBuf {
    fake.rapl_zone(zone, name, UNIT_UJ, FULL_RANGE_UJ, start_uj, profile)
}

fn sensors(writer: &Writer, spec: SensorSpec) -> Vec<Box<dyn Sensor>> {
    match discover_in(&[spec], &writer.roots()) {
        Ok(d) => d.sensors,
        Err(e) => panic!("discovery failed: {e}"),
    }
}

fn index_of(trace: &Trace, id: &str) -> usize {
    trace
        .sensors
        .iter()
        .position(|s| s.id == id)
        .unwrap_or_else(|| panic!("no sensor {id} in {:?}", trace.sensors))
}

fn edge_time(sampler_epoch: Instant, trace: &Trace, e: EdgeId) -> Instant {
    sampler_epoch + Duration::from_nanos(trace.edges[e.0 as usize].t_ns)
}

/// Expected joules of `profile` over the window between two edges.
fn expected(
    writer: &Writer,
    epoch: Instant,
    trace: &Trace,
    profile: &Profile,
    a: EdgeId,
    b: EdgeId,
) -> f64 {
    profile.energy_between(
        writer.t0,
        edge_time(epoch, trace, a),
        edge_time(epoch, trace, b),
    )
}

fn assert_close(measured: Option<f64>, expected: f64, rel: f64, what: &str) {
    let Some(m) = measured else {
        panic!("{what}: window invalid, expected {expected:.4} J");
    };
    let err = (m - expected).abs() / expected;
    assert!(
        err <= rel,
        "{what}: measured {m:.4} J, expected {expected:.4} J, error {:.3}% > {:.3}%",
        err * 100.0,
        rel * 100.0
    );
}

/// What one run of the real sampler gave.
struct Run {
    epoch: Instant,
    edges: Vec<EdgeId>,
    trace: Trace,
}

/// Starts the sampler on `sensors`, polling every `poll_ms`; takes an edge now and then
/// one after each of `gaps` (ms); stops it.
fn run(sensors: Vec<Box<dyn Sensor>>, poll_ms: u64, gaps: &[u64]) -> Run {
    let sampler = Sampler::start(sensors, Duration::from_millis(poll_ms));
    let epoch = sampler.epoch();
    let mut edges = vec![sampler.edge()];
    for ms in gaps {
        std::thread::sleep(Duration::from_millis(*ms));
        edges.push(sampler.edge());
    }
    Run {
        epoch,
        edges,
        trace: sampler.stop(),
    }
}

#[test]
fn constant_step_and_square_profiles_match_their_integrals() {
    pin_to_one_cpu();
    let constant = Profile::Constant(35.0);
    let step = Profile::step(20.0, 60.0, 0.7);
    let square = Profile::square(10.0, 50.0, 0.2);
    let mut fake = FakeSysfs::new();
    package_zone(
        &mut fake,
        "intel-rapl:0",
        "package-0",
        123_456_789,
        constant,
    );
    package_zone(&mut fake, "intel-rapl:1", "package-1", 7, step);
    package_zone(&mut fake, "intel-rapl:2", "package-2", 9_999_999, square);
    let writer = fake.start();
    let Run {
        epoch,
        edges,
        trace,
    } = run(sensors(&writer, SensorSpec::Rapl), 10, &[450, 450, 450]);
    assert_eq!(trace.sensors.len(), 3);
    for w in edges.windows(2) {
        let energy = window(&trace, w[0], w[1]);
        let mut total = 0.0;
        for (id, profile) in [
            ("rapl:intel-rapl:0", constant),
            ("rapl:intel-rapl:1", step),
            ("rapl:intel-rapl:2", square),
        ] {
            let want = expected(&writer, epoch, &trace, &profile, w[0], w[1]);
            let got = energy.per_source[index_of(&trace, id)].joules;
            assert_close(got, want, 0.005, id);
            total += want;
        }
        assert_close(energy.total, total, 0.005, "total");
        assert_eq!(energy.per_domain.len(), 1, "{:?}", energy.per_domain);
    }
}

#[test]
fn a_counter_wrap_inside_a_window_is_extended() {
    pin_to_one_cpu();
    let profile = Profile::Constant(60.0);
    let range = 20_000_000;
    let mut fake = FakeSysfs::new();
    // Starts near the top: the first wrap comes within ~50 ms, then one every ~333 ms.
    fake.rapl_zone(
        "intel-rapl:0",
        "package-0",
        UNIT_UJ,
        range,
        range - 3_000_000,
        profile,
    );
    let writer = fake.start();
    let Run {
        epoch,
        edges,
        trace,
    } = run(sensors(&writer, SensorSpec::Rapl), 10, &[500, 500]);
    for w in edges.windows(2) {
        let energy = window(&trace, w[0], w[1]);
        let want = expected(&writer, epoch, &trace, &profile, w[0], w[1]);
        assert!(want > range as f64 * 1e-6, "the window spans a whole range");
        assert_close(energy.total, want, 0.005, "wrapping zone");
    }
    let wraps = trace.points[0]
        .iter()
        .filter(|p| p.flags & WRAPPED != 0)
        .count();
    assert!(wraps >= 2, "expected wraps in the trace, saw {wraps}");
}

/// Delays its next read when armed: the sampler thread descheduled (a stalled VM, a
/// suspended process) for longer than a wrap takes.
struct Stall {
    inner: Box<dyn Sensor>,
    pause_ms: Arc<AtomicU64>,
}

impl Sensor for Stall {
    fn info(&self) -> &SensorInfo {
        self.inner.info()
    }

    fn read(&mut self) -> Result<RawReading, SensorError> {
        let ms = self.pause_ms.swap(0, Ordering::SeqCst);
        if ms > 0 {
            std::thread::sleep(Duration::from_millis(ms));
        }
        self.inner.read()
    }

    fn wrap_range(&self) -> Option<u64> {
        self.inner.wrap_range()
    }
}

#[test]
fn a_missed_double_wrap_voids_the_window_instead_of_guessing() {
    pin_to_one_cpu();
    let profile = Profile::Constant(200.0);
    // 20 J at 200 W wraps every 100 ms.
    let range = 20_000_000;
    let mut fake = FakeSysfs::new();
    fake.rapl_zone("intel-rapl:0", "package-0", UNIT_UJ, range, 0, profile);
    let writer = fake.start();
    let pause_ms = Arc::new(AtomicU64::new(0));
    let zone = sensors(&writer, SensorSpec::Rapl).remove(0);
    let stalled: Box<dyn Sensor> = Box::new(Stall {
        inner: zone,
        pause_ms: pause_ms.clone(),
    });
    let sampler = Sampler::start(vec![stalled], Duration::from_millis(5));
    let epoch = sampler.epoch();
    let e0 = sampler.edge();
    std::thread::sleep(Duration::from_millis(300));
    let e1 = sampler.edge();
    // 350 ms without a read: 3.5 wraps, of which the raw values show at most one.
    pause_ms.store(350, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(450));
    let e2 = sampler.edge();
    std::thread::sleep(Duration::from_millis(300));
    let e3 = sampler.edge();
    let trace = sampler.stop();
    let before = window(&trace, e0, e1);
    assert_close(
        before.total,
        expected(&writer, epoch, &trace, &profile, e0, e1),
        0.005,
        "before the stall",
    );
    let stalled: WindowEnergy = window(&trace, e1, e2);
    assert_eq!(
        stalled.total, None,
        "a window with a missed wrap is not guessed"
    );
    assert!(
        stalled.flags.contains(&"missed-wrap"),
        "{:?}",
        stalled.flags
    );
    let after = window(&trace, e2, e3);
    assert_close(
        after.total,
        expected(&writer, epoch, &trace, &profile, e2, e3),
        0.005,
        "after the stall",
    );
}

#[test]
fn a_zone_removed_mid_run_voids_later_windows_and_the_run_goes_on() {
    pin_to_one_cpu();
    let package = Profile::Constant(40.0);
    let dram = Profile::Constant(8.0);
    let mut fake = FakeSysfs::new();
    package_zone(&mut fake, "intel-rapl:0", "package-0", 1_000, package);
    fake.rapl_zone("intel-rapl:0:0", "dram", 15.3, 65_712_999_613, 5_000, dram);
    let writer = fake.start();
    let sampler = Sampler::start(
        sensors(&writer, SensorSpec::Rapl),
        Duration::from_millis(10),
    );
    let epoch = sampler.epoch();
    let e0 = sampler.edge();
    std::thread::sleep(Duration::from_millis(400));
    let e1 = sampler.edge();
    writer.remove("intel-rapl:0:0");
    std::thread::sleep(Duration::from_millis(400));
    let e2 = sampler.edge();
    std::thread::sleep(Duration::from_millis(400));
    let e3 = sampler.edge();
    let trace = sampler.stop();
    let pkg = index_of(&trace, "rapl:intel-rapl:0");
    let mem = index_of(&trace, "rapl:intel-rapl:0:0");
    let first = window(&trace, e0, e1);
    assert_close(
        first.per_source[mem].joules,
        expected(&writer, epoch, &trace, &dram, e0, e1),
        0.005,
        "dram before removal",
    );
    for (a, b) in [(e1, e2), (e2, e3)] {
        let w = window(&trace, a, b);
        assert_eq!(w.per_source[mem].joules, None);
        assert!(w.per_source[mem].flags.contains(&"source-gone"));
        assert_eq!(w.total, None, "a total missing a domain is not a total");
        assert_close(
            w.per_source[pkg].joules,
            expected(&writer, epoch, &trace, &package, a, b),
            0.005,
            "package after removal",
        );
    }
    assert_eq!(trace.lost.len(), 1, "{:?}", trace.lost);
    assert_eq!(trace.lost[0].0, mem);
    assert!(
        trace.lost[0].2.contains("intel-rapl:0:0"),
        "{}",
        trace.lost[0].2
    );
}

/// Deny reading one zone's `energy_uj` for real: mode 000, and when running as root (where
/// DAC checks do not apply) a thread whose filesystem uid is `nobody`, which drops
/// CAP_DAC_OVERRIDE for that thread only.
#[test]
fn permission_denied_names_the_fixes_and_other_sources_go_on() {
    use std::os::unix::fs::PermissionsExt;
    let mut fake = FakeSysfs::new();
    package_zone(
        &mut fake,
        "intel-rapl:0",
        "package-0",
        0,
        Profile::Constant(30.0),
    );
    let denied = package_zone(
        &mut fake,
        "intel-rapl:0:0",
        "core",
        0,
        Profile::Constant(10.0),
    );
    std::fs::set_permissions(&denied, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = fake.roots().powercap.join("intel-rapl:0/energy_uj");
    std::fs::set_permissions(&readable, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let writer = fake.start();
    let roots = writer.roots();
    let (found, unused, statuses) = std::thread::spawn(move || {
        // SAFETY: setfsuid only changes the calling thread's filesystem uid.
        if unsafe { libc::geteuid() } == 0 {
            unsafe { libc::setfsuid(65534) };
        }
        let d = discover_in(&[SensorSpec::Auto], &roots).expect("discover");
        let ids: Vec<String> = d.sensors.iter().map(|s| s.info().id.clone()).collect();
        (ids, d.unused, list_sources(&roots))
    })
    .join()
    .expect("discovery thread");
    assert_eq!(found, ["rapl:intel-rapl:0"]);
    let core = unused
        .iter()
        .find(|u| u.source.contains("intel-rapl:0:0"))
        .expect("the denied zone is listed as unused");
    for fix in ["udev", "chmod", "root"] {
        assert!(
            core.reason.contains(fix),
            "{fix} missing from {}",
            core.reason
        );
    }
    let status = statuses
        .iter()
        .find(|s| s.id == "rapl:intel-rapl:0:0")
        .expect("status of the denied zone");
    assert_eq!(status.access, Access::PermissionDenied);
    let ok = statuses.iter().find(|s| s.id == "rapl:intel-rapl:0");
    assert_eq!(ok.map(|s| s.access), Some(Access::Readable));
}

#[test]
fn hwmon_counter_and_meter_follow_their_profiles() {
    pin_to_one_cpu();
    let gpu = Profile::square(15.0, 55.0, 0.25);
    let igpu = Profile::step(5.0, 12.0, 0.6);
    let mut fake = FakeSysfs::new();
    fake.hwmon_power("hwmon0", "amdgpu", 1, "PPT", gpu);
    fake.hwmon_energy("hwmon1", "i915", 1, igpu);
    let writer = fake.start();
    let found = sensors(&writer, SensorSpec::Hwmon);
    let Run {
        epoch,
        edges,
        trace,
    } = run(found, 2, &[500, 500]);
    let meter = index_of(&trace, "hwmon:hwmon0:power1");
    let counter = index_of(&trace, "hwmon:hwmon1:energy1");
    for w in edges.windows(2) {
        let energy = window(&trace, w[0], w[1]);
        assert_close(
            energy.per_source[counter].joules,
            expected(&writer, epoch, &trace, &igpu, w[0], w[1]),
            0.005,
            "i915 energy counter",
        );
        // A meter is integrated from samples: each of the square wave's edges costs up
        // to half a poll interval of the step, hence the wider bound.
        assert_close(
            energy.per_source[meter].joules,
            expected(&writer, epoch, &trace, &gpu, w[0], w[1]),
            0.02,
            "amdgpu power meter",
        );
        assert_eq!(energy.per_domain.len(), 1);
    }
}

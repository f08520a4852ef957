//! Fake powercap and hwmon trees in a temporary directory, driven by a writer thread that
//! behaves like the hardware: every ~1 ms it advances each counter by whole energy units
//! from a scripted power profile, wraps RAPL counters at `max_energy_range_uj`, and
//! updates power meters with the instantaneous power.
//!
//! Shared by the integration tests and the sampler benchmark (`#[path]`-included). The
//! writer allocates nothing per update, so allocation counts taken while it runs describe
//! the sampler alone.
#![allow(dead_code)]

use ipw_bench::sensor::SysRoots;
use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::{FileExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Power over time, in watts, with its exact integral.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Profile {
    Constant(f64),
    /// `before` watts until `at` seconds, then `after`.
    Step {
        before: f64,
        after: f64,
        at: f64,
    },
    /// `high` for the first half of each period, `low` for the second.
    Square {
        low: f64,
        high: f64,
        period: f64,
    },
}

impl Profile {
    /// `before` watts until `at` seconds, then `after`.
    pub fn step(before: f64, after: f64, at: f64) -> Profile {
        Profile::Step { before, after, at }
    }

    /// `high` watts for the first half of each `period` seconds, `low` for the second.
    pub fn square(low: f64, high: f64, period: f64) -> Profile {
        Profile::Square { low, high, period }
    }

    pub fn power(&self, t: f64) -> f64 {
        match *self {
            Profile::Constant(p) => p,
            Profile::Step { before, after, at } => {
                if t < at {
                    before
                } else {
                    after
                }
            }
            Profile::Square { low, high, period } => {
                if (t / period).fract() < 0.5 {
                    high
                } else {
                    low
                }
            }
        }
    }

    /// Joules from 0 to `t` seconds.
    pub fn energy(&self, t: f64) -> f64 {
        let t = t.max(0.0);
        match *self {
            Profile::Constant(p) => p * t,
            Profile::Step { before, after, at } => before * t.min(at) + after * (t - at).max(0.0),
            Profile::Square { low, high, period } => {
                let whole = (t / period).floor();
                let rest = t - whole * period;
                let half = period / 2.0;
                whole * half * (low + high) + high * rest.min(half) + low * (rest - half).max(0.0)
            }
        }
    }

    /// Joules between two instants, `t0` being the writer's start.
    pub fn energy_between(&self, t0: Instant, a: Instant, b: Instant) -> f64 {
        let secs = |i: Instant| i.saturating_duration_since(t0).as_secs_f64();
        self.energy(secs(b)) - self.energy(secs(a))
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A counter in µJ moving in steps of `unit_uj`, wrapping after `top` steps when set.
    Counter {
        unit_uj: f64,
        top: Option<u64>,
        start_steps: u64,
    },
    /// Instantaneous power in µW.
    Power,
}

struct Channel {
    /// The directory that `remove` takes away (zone or chip).
    group: PathBuf,
    file: File,
    kind: Kind,
    profile: Profile,
    removed: bool,
}

/// A tree being built.
pub struct FakeSysfs {
    dir: tempfile::TempDir,
    channels: Vec<Channel>,
}

fn mkdir(path: &Path) {
    fs::create_dir_all(path).expect("create fake sysfs directory");
    // Readable by other users, so that tests that drop the filesystem uid still see it.
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod fake dir");
}

fn write_file(path: &Path, content: &str) {
    fs::write(path, content).expect("write fake sysfs file");
}

impl FakeSysfs {
    pub fn new() -> FakeSysfs {
        let dir = tempfile::tempdir().expect("tempdir");
        mkdir(dir.path());
        mkdir(&dir.path().join("powercap"));
        mkdir(&dir.path().join("hwmon"));
        FakeSysfs {
            dir,
            channels: Vec::new(),
        }
    }

    pub fn roots(&self) -> SysRoots {
        SysRoots {
            powercap: self.dir.path().join("powercap"),
            hwmon: self.dir.path().join("hwmon"),
        }
    }

    fn open_value(&mut self, path: &Path, group: PathBuf, kind: Kind, profile: Profile) {
        write_file(path, "0\n");
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .expect("open fake value for writing");
        let mut ch = Channel {
            group,
            file,
            kind,
            profile,
            removed: false,
        };
        write_value(&mut ch, 0.0);
        self.channels.push(ch);
    }

    /// A powercap zone `zone` (`intel-rapl:0`, `intel-rapl:0:1`) named `name`, counting
    /// in steps of `unit_uj` µJ and wrapping at `range_uj`, starting `start_uj` into its
    /// range.
    pub fn rapl_zone(
        &mut self,
        zone: &str,
        name: &str,
        unit_uj: f64,
        range_uj: u64,
        start_uj: u64,
        profile: Profile,
    ) -> PathBuf {
        let dir = self.dir.path().join("powercap").join(zone);
        mkdir(&dir);
        write_file(&dir.join("name"), &format!("{name}\n"));
        write_file(&dir.join("max_energy_range_uj"), &format!("{range_uj}\n"));
        write_file(&dir.join("enabled"), "1\n");
        let top = (range_uj as f64 / unit_uj).floor() as u64;
        let kind = Kind::Counter {
            unit_uj,
            top: Some(top),
            start_steps: (start_uj as f64 / unit_uj) as u64,
        };
        let path = dir.join("energy_uj");
        self.open_value(&path, dir.clone(), kind, profile);
        path
    }

    fn chip_dir(&self, hwmon: &str, chip: &str) -> PathBuf {
        let dir = self.dir.path().join("hwmon").join(hwmon);
        if !dir.exists() {
            mkdir(&dir);
            write_file(&dir.join("name"), &format!("{chip}\n"));
        }
        dir
    }

    /// An hwmon `energyN_input` counter (64-bit µJ, 1 µJ steps, never wraps).
    pub fn hwmon_energy(&mut self, hwmon: &str, chip: &str, n: u32, profile: Profile) -> PathBuf {
        let dir = self.chip_dir(hwmon, chip);
        let path = dir.join(format!("energy{n}_input"));
        let kind = Kind::Counter {
            unit_uj: 1.0,
            top: None,
            start_steps: 0,
        };
        self.open_value(&path, dir, kind, profile);
        path
    }

    /// An hwmon `powerN_input` meter (µW) with a label.
    pub fn hwmon_power(
        &mut self,
        hwmon: &str,
        chip: &str,
        n: u32,
        label: &str,
        profile: Profile,
    ) -> PathBuf {
        let dir = self.chip_dir(hwmon, chip);
        write_file(&dir.join(format!("power{n}_label")), &format!("{label}\n"));
        let path = dir.join(format!("power{n}_input"));
        self.open_value(&path, dir, Kind::Power, profile);
        path
    }

    /// Start the writer. Its clock starts now: profiles are functions of time since here.
    pub fn start(self) -> Writer {
        let roots = self.roots();
        let channels = Arc::new(Mutex::new(self.channels));
        let stop = Arc::new(AtomicBool::new(false));
        let t0 = Instant::now();
        let thread = {
            let channels = channels.clone();
            let stop = stop.clone();
            std::thread::Builder::new()
                .name("fake-sysfs".to_string())
                .spawn(move || {
                    hardware_priority();
                    let mut tick = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        // A fixed 1 ms grid, like the hardware's update clock, not 1 ms
                        // plus however late the last wake-up was.
                        tick += 1;
                        let due = t0 + Duration::from_millis(tick);
                        std::thread::sleep(due.saturating_duration_since(Instant::now()));
                        let t = t0.elapsed().as_secs_f64();
                        let mut chs = channels.lock().unwrap_or_else(|p| p.into_inner());
                        for ch in chs.iter_mut().filter(|c| !c.removed) {
                            write_value(ch, t);
                        }
                    }
                })
                .expect("spawn fake sysfs writer")
        };
        Writer {
            _dir: self.dir,
            roots,
            channels,
            stop,
            thread: Some(thread),
            t0,
        }
    }
}

fn write_value(ch: &mut Channel, t: f64) {
    let value = match ch.kind {
        Kind::Counter {
            unit_uj,
            top,
            start_steps,
        } => {
            let steps = start_steps + (ch.profile.energy(t) * 1e6 / unit_uj).floor() as u64;
            let raw = match top {
                Some(top) => steps % (top + 1),
                None => steps,
            };
            (raw as f64 * unit_uj).floor() as u64
        }
        Kind::Power => (ch.profile.power(t) * 1e6).round() as u64,
    };
    let mut buf = [0u8; 24];
    let n = format_u64(value, &mut buf);
    // One write at offset 0, newline included. A shorter value leaves stale bytes after
    // its newline, which readers ignore as they ignore the end of any sysfs buffer.
    let _ = ch.file.write_at(&buf[..n], 0);
}

/// `value` and a newline into `buf`, without allocating; returns the length.
fn format_u64(mut value: u64, buf: &mut [u8; 24]) -> usize {
    let mut digits = [0u8; 20];
    let mut n = 0;
    loop {
        digits[n] = b'0' + (value % 10) as u8;
        n += 1;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    for i in 0..n {
        buf[i] = digits[n - 1 - i];
    }
    buf[n] = b'\n';
    n + 1
}

/// A running fake: the trees plus the writer thread.
pub struct Writer {
    _dir: tempfile::TempDir,
    roots: SysRoots,
    channels: Arc<Mutex<Vec<Channel>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    pub t0: Instant,
}

impl Writer {
    pub fn roots(&self) -> SysRoots {
        self.roots.clone()
    }

    /// Remove a zone (`intel-rapl:1`) or chip (`hwmon2`) directory, as a driver unbind
    /// does; its channels stop updating.
    pub fn remove(&self, dir_name: &str) {
        let mut chs = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        let mut removed = None;
        for ch in chs.iter_mut() {
            if ch.group.file_name().and_then(|n| n.to_str()) == Some(dir_name) {
                ch.removed = true;
                removed = Some(ch.group.clone());
            }
        }
        let dir = removed.expect("no such fake zone or chip");
        fs::remove_dir_all(dir).expect("remove fake zone");
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The hardware updates its counters whatever the load on the CPUs; where allowed, the
/// writer gets a real-time priority and a tight timer slack so that a busy host does not
/// make the fake lag behind its profile. Without the privilege it runs as a normal thread.
fn hardware_priority() {
    // SAFETY: plain syscalls on the calling thread with an initialised sched_param.
    unsafe {
        let param = libc::sched_param { sched_priority: 10 };
        libc::pthread_setschedparam(libc::pthread_self(), libc::SCHED_FIFO, &param);
        libc::prctl(libc::PR_SET_TIMERSLACK, 1_000u64);
    }
}

/// Pin the calling thread, and so every thread it starts afterwards (the writer, the
/// sampler), to the CPU it runs on. Real sysfs reads are atomic (each read formats its
/// own buffer); reads of an ordinary file racing a write on another CPU can see a torn
/// mix of two values, which one CPU makes impossible.
pub fn pin_to_one_cpu() {
    // SAFETY: plain syscalls on the calling thread with a zeroed, then filled, cpu_set_t.
    unsafe {
        let cpu = libc::sched_getcpu();
        if cpu < 0 {
            return;
        }
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu as usize, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

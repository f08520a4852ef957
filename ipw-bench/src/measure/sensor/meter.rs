//! External power meters: `unix_seconds,watts` lines from a logger program
//! (`--meter-cmd`) or from a log file another program writes during the run (`--meter-csv`).
//!
//! A reader thread parses lines into a small ring; the sampler's reads return the latest
//! power in µW. The meter's clock is not ours: readings are aligned by wall clock, and the
//! offset between `SystemTime` and the meter's stamps when the first line arrived is
//! recorded in the sensor's details (`clock_offset_s`, positive when the meter's stamps
//! trail the system clock: logging delay plus clock skew).

use super::{Domain, Provenance, RawReading, Sensor, SensorError, SensorInfo, SensorKind, Unit};
use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a new meter may take to print its first line.
pub const FIRST_LINE_TIMEOUT: Duration = Duration::from_secs(5);
/// A meter is stale after this long without a line, until its period is known.
const STALE_WITHOUT_PERIOD: Duration = Duration::from_secs(5);
/// A meter is stale after this many of its own periods without a line.
const STALE_PERIODS: f64 = 3.0;
/// Lines kept; enough for the period estimate and a look back.
const RING: usize = 1024;
/// Meter-time gaps used for the period estimate (median).
const PERIOD_SAMPLES: usize = 15;
/// How often the file tail looks for new lines.
const TAIL_POLL: Duration = Duration::from_millis(20);

#[derive(Debug, Clone, Copy)]
struct Line {
    unix_s: f64,
    watts: f64,
    arrived: Instant,
}

#[derive(Default)]
struct State {
    ring: VecDeque<Line>,
    period_s: Option<f64>,
    /// Set when the source ended (program exited, file unreadable).
    ended: Option<String>,
    malformed: u64,
    /// The first malformed line, to name in errors.
    first_malformed: Option<String>,
}

struct Shared {
    state: Mutex<State>,
    arrived: Condvar,
    stop: AtomicBool,
}

fn lock(shared: &Shared) -> MutexGuard<'_, State> {
    shared
        .state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Why a wall meter could not be started; each message names the flag.
#[derive(Debug, thiserror::Error)]
pub enum MeterError {
    /// The logger program could not be started.
    #[error("--meter-cmd: cannot start `sh -c {cmd:?}`: {source}")]
    Spawn {
        /// The command line.
        cmd: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The logger's standard output could not be captured.
    #[error("--meter-cmd: the program's output could not be captured")]
    NoStdout,
    /// The thread that reads the lines could not be started.
    #[error("{flag}: cannot start the reader thread: {source}")]
    Thread {
        /// `--meter-cmd` or `--meter-csv`.
        flag: &'static str,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The program exited or the file ended before a reading.
    #[error("{flag} {what:?}: {end} before printing a `unix_seconds,watts` line")]
    Ended {
        /// `--meter-cmd` or `--meter-csv`.
        flag: &'static str,
        /// The command or file.
        what: String,
        /// How it ended.
        end: String,
    },
    /// No reading arrived in time.
    #[error(
        "{flag} {what:?}: no `unix_seconds,watts` line within {}s{hint}",
        FIRST_LINE_TIMEOUT.as_secs()
    )]
    NoReading {
        /// `--meter-cmd` or `--meter-csv`.
        flag: &'static str,
        /// The command or file.
        what: String,
        /// An example of the lines seen instead, if any.
        hint: String,
    },
}

/// A wall-power meter read through a logger's lines.
pub struct MeterSensor {
    info: SensorInfo,
    shared: Arc<Shared>,
    child: Option<Child>,
    thread: Option<JoinHandle<()>>,
}

impl MeterSensor {
    /// Run `cmd` through `sh -c` and read its `unix_seconds,watts` lines.
    pub fn from_command(cmd: &str) -> Result<MeterSensor, MeterError> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            // Its own process group, so that stopping it also stops whatever it started
            // (a pipeline's other members would otherwise keep its output open).
            .process_group(0)
            .spawn()
            .map_err(|source| MeterError::Spawn {
                cmd: cmd.to_string(),
                source,
            })?;
        let Some(stdout) = child.stdout.take() else {
            return Err(MeterError::NoStdout);
        };
        let shared = new_shared();
        let thread = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("ipw-meter".to_string())
                .spawn(move || read_stream(BufReader::new(stdout), &shared))
                .map_err(|source| MeterError::Thread {
                    flag: "--meter-cmd",
                    source,
                })?
        };
        let mut meter = MeterSensor {
            info: info("meter:cmd", cmd, "command"),
            shared,
            child: Some(child),
            thread: Some(thread),
        };
        meter.await_lines("--meter-cmd", cmd)?;
        Ok(meter)
    }

    /// Tail `path`, a log of `unix_seconds,watts` lines written during the run. Only lines
    /// appended after this call count; the file may appear within the first-line timeout.
    pub fn from_csv(path: &Path) -> Result<MeterSensor, MeterError> {
        let shared = new_shared();
        let thread = {
            let shared = shared.clone();
            let path = path.to_path_buf();
            std::thread::Builder::new()
                .name("ipw-meter".to_string())
                .spawn(move || tail_file(&path, &shared))
                .map_err(|source| MeterError::Thread {
                    flag: "--meter-csv",
                    source,
                })?
        };
        let label = path.display().to_string();
        let mut meter = MeterSensor {
            info: info("meter:csv", &label, "csv"),
            shared,
            child: None,
            thread: Some(thread),
        };
        meter.await_lines("--meter-csv", &label)?;
        Ok(meter)
    }

    /// Wait for the first line (an error after [`FIRST_LINE_TIMEOUT`]), then briefly for a
    /// second one to learn the period; record the clock offset and the period.
    fn await_lines(&mut self, flag: &'static str, what: &str) -> Result<(), MeterError> {
        let deadline = Instant::now() + FIRST_LINE_TIMEOUT;
        let mut st = lock(&self.shared);
        loop {
            if let Some(first) = st.ring.front().copied() {
                let second_deadline = first.arrived + Duration::from_millis(2500);
                if st.ring.len() >= 2 || Instant::now() >= second_deadline || st.ended.is_some() {
                    let offset = unix_now() - first.unix_s;
                    let d = &mut self.info.details;
                    d.insert("clock_offset_s".to_string(), format!("{offset:.3}"));
                    d.insert(
                        "alignment".to_string(),
                        "wall clock: each sample is the latest meter line".to_string(),
                    );
                    match st.period_s {
                        Some(p) => {
                            self.info.update_period = Duration::from_secs_f64(p);
                            d.insert("update_period_source".to_string(), "observed".to_string());
                        }
                        None => {
                            d.insert(
                                "update_period_source".to_string(),
                                "assumed (one line seen at start)".to_string(),
                            );
                        }
                    }
                    return Ok(());
                }
                let wait = second_deadline.saturating_duration_since(Instant::now());
                st = self
                    .shared
                    .arrived
                    .wait_timeout(st, wait)
                    .map(|(g, _)| g)
                    .unwrap_or_else(|p| p.into_inner().0);
                continue;
            }
            if let Some(end) = &st.ended {
                return Err(MeterError::Ended {
                    flag,
                    what: what.to_string(),
                    end: end.clone(),
                });
            }
            let now = Instant::now();
            if now >= deadline {
                let hint = match &st.first_malformed {
                    Some(l) => format!("; lines seen were not `unix_seconds,watts`, e.g. {l:?}"),
                    None => String::new(),
                };
                return Err(MeterError::NoReading {
                    flag,
                    what: what.to_string(),
                    hint,
                });
            }
            st = self
                .shared
                .arrived
                .wait_timeout(st, deadline - now)
                .map(|(g, _)| g)
                .unwrap_or_else(|p| p.into_inner().0);
        }
    }
}

fn new_shared() -> Arc<Shared> {
    Arc::new(Shared {
        state: Mutex::new(State {
            ring: VecDeque::with_capacity(RING),
            ..State::default()
        }),
        arrived: Condvar::new(),
        stop: AtomicBool::new(false),
    })
}

fn info(id: &str, label: &str, kind: &str) -> SensorInfo {
    let mut details = BTreeMap::new();
    details.insert("input".to_string(), kind.to_string());
    SensorInfo {
        id: id.to_string(),
        source: "meter".to_string(),
        domain: Domain::new(Domain::WALL),
        label: label.to_string(),
        provenance: Provenance::Measured,
        kind: SensorKind::Meter,
        unit: Unit::Microwatt,
        resolution: 1e-6,
        update_period: Duration::from_secs(1),
        contained_in: None,
        details,
    }
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

impl Sensor for MeterSensor {
    fn info(&self) -> &SensorInfo {
        &self.info
    }

    fn read(&mut self) -> Result<RawReading, SensorError> {
        let st = lock(&self.shared);
        let last = st.ring.back().copied();
        let silent_for = last.map(|l| l.arrived.elapsed());
        let limit = st
            .period_s
            .map(|p| Duration::from_secs_f64(p * STALE_PERIODS))
            .unwrap_or(STALE_WITHOUT_PERIOD);
        match (last, silent_for) {
            (Some(l), Some(silent)) if silent <= limit => {
                Ok(RawReading::value((l.watts * 1e6).round() as u64))
            }
            _ => match &st.ended {
                Some(end) => Err(SensorError::Gone(format!(
                    "meter {}: {end}",
                    self.info.label
                ))),
                None => Err(SensorError::Read(format!(
                    "meter stale: no line for {:.2}s (limit {:.2}s)",
                    silent_for.unwrap_or_default().as_secs_f64(),
                    limit.as_secs_f64()
                ))),
            },
        }
    }
}

impl Drop for MeterSensor {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(child) = self.child.as_mut() {
            // The reader thread ends when the group's last holder of the pipe is gone.
            if let Ok(pid) = i32::try_from(child.id()) {
                // SAFETY: signals the process group this sensor created, nothing else.
                unsafe { libc::kill(-pid, libc::SIGKILL) };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Parse `unix_seconds,watts`. `None` for anything else (headers, comments, garbage).
pub fn parse_line(line: &str) -> Option<(f64, f64)> {
    let mut fields = line.trim().split(',').map(str::trim);
    let unix_s: f64 = fields.next()?.parse().ok()?;
    let watts: f64 = fields.next()?.parse().ok()?;
    (unix_s.is_finite() && unix_s > 0.0 && watts.is_finite() && watts >= 0.0)
        .then_some((unix_s, watts))
}

fn push_line(shared: &Shared, text: &str) {
    let text = text.trim();
    if text.is_empty() || text.starts_with('#') {
        return;
    }
    let mut st = lock(shared);
    let Some((unix_s, watts)) = parse_line(text) else {
        st.malformed += 1;
        if st.first_malformed.is_none() {
            st.first_malformed = Some(text.chars().take(80).collect());
        }
        return;
    };
    if st.ring.len() == RING {
        st.ring.pop_front();
    }
    st.ring.push_back(Line {
        unix_s,
        watts,
        arrived: Instant::now(),
    });
    let mut gaps: Vec<f64> = st
        .ring
        .iter()
        .rev()
        .take(PERIOD_SAMPLES + 1)
        .collect::<Vec<_>>()
        .windows(2)
        .map(|w| w[0].unix_s - w[1].unix_s)
        .filter(|g| *g > 0.0)
        .collect();
    if !gaps.is_empty() {
        gaps.sort_by(f64::total_cmp);
        st.period_s = Some(gaps[gaps.len() / 2]);
    }
    drop(st);
    shared.arrived.notify_all();
}

fn end(shared: &Shared, why: String) {
    lock(shared).ended = Some(why);
    shared.arrived.notify_all();
}

fn read_stream(reader: impl BufRead, shared: &Shared) {
    for line in reader.lines() {
        match line {
            Ok(l) => push_line(shared, &l),
            Err(e) => return end(shared, format!("reading its output failed: {e}")),
        }
    }
    end(shared, "the meter program exited".to_string());
}

/// Follow `path` from its current end, across truncation, like `tail -F`.
fn tail_file(path: &Path, shared: &Shared) {
    let mut file = None;
    let mut pos = 0u64;
    let mut partial = String::new();
    let mut chunk = [0u8; 4096];
    while !shared.stop.load(Ordering::Relaxed) {
        let Some(f) = file.as_mut() else {
            match File::open(path) {
                Ok(mut f) => {
                    pos = f.seek(SeekFrom::End(0)).unwrap_or(0);
                    file = Some(f);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    std::thread::sleep(TAIL_POLL);
                }
                Err(e) => return end(shared, format!("cannot open the log: {e}")),
            }
            continue;
        };
        if let Ok(meta) = f.metadata() {
            if meta.len() < pos {
                // Truncated or rotated in place: start over from its beginning.
                pos = f.seek(SeekFrom::Start(0)).unwrap_or(0);
                partial.clear();
            }
        }
        match f.read(&mut chunk) {
            Ok(0) => std::thread::sleep(TAIL_POLL),
            Ok(n) => {
                pos += n as u64;
                partial.push_str(&String::from_utf8_lossy(&chunk[..n]));
                while let Some(nl) = partial.find('\n') {
                    let line: String = partial.drain(..=nl).collect();
                    push_line(shared, &line);
                }
            }
            Err(e) => return end(shared, format!("reading the log failed: {e}")),
        }
    }
}

#[cfg(test)]
#[path = "meter_tests.rs"]
mod tests;

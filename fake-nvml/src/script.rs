//! The scripted GPUs: what each fake device reports at a given time since "driver load".
//!
//! A script is a few lines, separated by newlines or `;`:
//!
//! ```text
//! driver=550.54.15
//! gpu name=NVIDIA H100 80GB HBM3, uuid=GPU-1111..., power=200, limit=700, temp=41, sm_clock=1980
//! gpu name=NVIDIA A100, power=square:300:100:0.1:0.5, reset_at=2.5
//! gpu name=Tesla P100, power=step:50:1.0:250, energy=none
//! gpu name=Falling, power=150, lost_at=3
//! ```
//!
//! `power` is constant watts, `step:BEFORE:AT_S:AFTER`, `square:HIGH:LOW:PERIOD_S:DUTY`
//! (high for the first DUTY of each period) or `driven:WATTS` (WATTS until the workload
//! sets another load through `fake_nvml_set_load_watts` or `fake_nvml_pulse_watts`). `energy=none` removes the
//! total-energy counter (pre-Volta boards); `reset_at` restarts the counter from zero (a
//! driver reload); `lost_at` makes every query on the device fail with GPU_IS_LOST from
//! then on.
//!
//! `part_time=PHASE_S` makes the power reading behave like an A100 or H100's (Yang, Adámek
//! and Armour, SC'24; `research/sensors.md` §2.2): published every 100 ms, at PHASE_S plus
//! whole periods after driver load, each the exact mean of the true load over the 25 ms
//! before it. How the energy counter behaves on those boards is not established, so such a
//! board has none: its power reading is what is modelled.

/// How often the real energy counter and power reading change.
pub const TICK_S: f64 = 0.1;
/// The share of each tick that an A100 or H100 power reading describes: its last 25 ms.
pub const PART_TIME_WINDOW_S: f64 = 0.025;

#[derive(Debug, Clone, PartialEq)]
pub enum Power {
    Constant(f64),
    Step {
        before: f64,
        at: f64,
        after: f64,
    },
    Square {
        high: f64,
        low: f64,
        period: f64,
        duty: f64,
    },
    /// Set by the workload as it runs.
    Driven(Driven),
}

/// A load that the workload sets: its changes, each with the exact energy up to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Driven {
    /// (time, watts from then on, joules from 0 to then), in time order; never empty.
    /// All of it is kept (a few hundred bytes per second of a fast square wave), so
    /// that the energy between any two times stays exact.
    changes: Vec<(f64, f64, f64)>,
}

impl Driven {
    pub fn new(watts: f64) -> Driven {
        Driven {
            changes: vec![(0.0, watts, 0.0)],
        }
    }

    /// The change in force at `t` (the first one for times before it).
    fn at(&self, t: f64) -> (f64, f64, f64) {
        let i = self.changes.partition_point(|c| c.0 <= t);
        self.changes[i.saturating_sub(1)]
    }

    /// From `t` on (now, so never before the last change) the load is `watts`.
    pub fn set(&mut self, t: f64, watts: f64) {
        self.pulse(t, watts, f64::INFINITY);
    }

    /// From `t` (now) the load is `watts` for `seconds`, then what it was before: a GPU
    /// kernel of known length, exact however late its caller runs next. A change that
    /// was still to come at `t` is replaced.
    pub fn pulse(&mut self, t: f64, watts: f64, seconds: f64) {
        let last = self.changes.partition_point(|c| c.0 <= t);
        self.changes.truncate(last.max(1));
        let (t0, w0, j0) = self.changes[self.changes.len() - 1];
        let t = t.max(t0);
        let j = j0 + w0 * (t - t0);
        self.changes.push((t, watts, j));
        if seconds.is_finite() {
            self.changes.push((t + seconds, w0, j + watts * seconds));
        }
    }
}

impl Power {
    pub fn watts(&self, t: f64) -> f64 {
        match *self {
            Power::Constant(w) => w,
            Power::Step { before, at, after } => {
                if t < at {
                    before
                } else {
                    after
                }
            }
            Power::Square {
                high,
                low,
                period,
                duty,
            } => {
                if t.rem_euclid(period) < duty * period {
                    high
                } else {
                    low
                }
            }
            Power::Driven(ref d) => d.at(t).1,
        }
    }

    /// Energy from 0 to `t` in joules, exactly.
    pub fn joules(&self, t: f64) -> f64 {
        match *self {
            Power::Constant(w) => w * t,
            Power::Step { before, at, after } => before * t.min(at) + after * (t - at).max(0.0),
            Power::Square {
                high,
                low,
                period,
                duty,
            } => {
                let periods = (t / period).floor();
                let rest = t - periods * period;
                let busy = duty * period;
                periods * (high * busy + low * (period - busy))
                    + high * rest.min(busy)
                    + low * (rest - busy).max(0.0)
            }
            Power::Driven(ref d) => {
                let (t0, w0, j0) = d.at(t);
                j0 + w0 * (t - t0).max(0.0)
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gpu {
    pub name: String,
    pub uuid: String,
    pub power: Power,
    pub energy_counter: bool,
    pub reset_at: Option<f64>,
    pub lost_at: Option<f64>,
    pub limit_w: u32,
    pub temp_c: Option<u32>,
    pub sm_clock_mhz: Option<u32>,
    /// Counter value at driver load, so that tests do not rely on a counter starting at 0.
    pub start_mj: u64,
    /// The time of one publication of a part-time power reading (A100/H100 style).
    pub part_time: Option<f64>,
}

impl Gpu {
    pub fn lost(&self, t: f64) -> bool {
        self.lost_at.is_some_and(|at| t >= at)
    }

    /// The total-energy counter in mJ: the integral of the power up to the last 100 ms tick,
    /// counted from driver load or from the last reset.
    pub fn energy_mj(&self, t: f64) -> u64 {
        let tick = (t / TICK_S).floor() * TICK_S;
        let (from, offset) = match self.reset_at {
            Some(r) if t >= r => (r, 0),
            _ => (0.0, self.start_mj),
        };
        let joules = self.power.joules(tick.max(from)) - self.power.joules(from);
        offset + (joules * 1000.0).floor() as u64
    }

    /// Power usage in mW, as sampled at the last 100 ms tick; on a part-time board, the
    /// mean of the 25 ms before the last publication.
    pub fn power_mw(&self, t: f64) -> u32 {
        let watts = match self.part_time {
            Some(phase) => {
                let last = phase + ((t - phase) / TICK_S).floor() * TICK_S;
                let from = (last - PART_TIME_WINDOW_S).max(0.0);
                if last > from {
                    (self.power.joules(last) - self.power.joules(from)) / (last - from)
                } else {
                    self.power.watts(0.0)
                }
            }
            None => {
                let tick = (t / TICK_S).floor() * TICK_S;
                self.power.watts(tick)
            }
        };
        (watts * 1000.0).round() as u32
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub driver: String,
    pub gpus: Vec<Gpu>,
}

fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("`{key}={value}` is not a number"))
}

fn parse_power(value: &str) -> Result<Power, String> {
    let parts: Vec<&str> = value.split(':').collect();
    let n = |i: usize| number::<f64>("power", parts[i]);
    match parts.as_slice() {
        [w] => Ok(Power::Constant(number("power", w)?)),
        ["step", _, _, _] => Ok(Power::Step {
            before: n(1)?,
            at: n(2)?,
            after: n(3)?,
        }),
        ["square", _, _, _, _] => {
            let (period, duty) = (n(3)?, n(4)?);
            if period <= 0.0 || !(0.0..=1.0).contains(&duty) {
                return Err(format!(
                    "`power={value}`: need PERIOD > 0 and 0 <= DUTY <= 1"
                ));
            }
            Ok(Power::Square {
                high: n(1)?,
                low: n(2)?,
                period,
                duty,
            })
        }
        ["driven", _] => Ok(Power::Driven(Driven::new(n(1)?))),
        _ => Err(format!(
            "`power={value}`: use WATTS, step:BEFORE:AT:AFTER, square:HIGH:LOW:PERIOD:DUTY \
             or driven:WATTS"
        )),
    }
}

fn parse_gpu(index: usize, fields: &str) -> Result<Gpu, String> {
    let mut gpu = Gpu {
        name: "Fake GPU".to_string(),
        uuid: format!("GPU-00000000-0000-4000-8000-{index:012x}"),
        power: Power::Constant(0.0),
        energy_counter: true,
        reset_at: None,
        lost_at: None,
        limit_w: 700,
        temp_c: None,
        sm_clock_mhz: None,
        start_mj: 0,
        part_time: None,
    };
    for field in fields.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        let (key, value) = field
            .split_once('=')
            .ok_or_else(|| format!("`{field}` is not KEY=VALUE"))?;
        let (key, value) = (key.trim(), value.trim());
        match key {
            "name" => gpu.name = value.to_string(),
            "uuid" => gpu.uuid = value.to_string(),
            "power" => gpu.power = parse_power(value)?,
            "energy" => gpu.energy_counter = value != "none",
            "reset_at" => gpu.reset_at = Some(number(key, value)?),
            "lost_at" => gpu.lost_at = Some(number(key, value)?),
            "limit" => gpu.limit_w = number(key, value)?,
            "temp" => gpu.temp_c = Some(number(key, value)?),
            "sm_clock" => gpu.sm_clock_mhz = Some(number(key, value)?),
            "start_mj" => gpu.start_mj = number(key, value)?,
            "part_time" => gpu.part_time = Some(number(key, value)?),
            _ => return Err(format!("unknown gpu field `{key}`")),
        }
    }
    if gpu.part_time.is_some() {
        gpu.energy_counter = false;
    }
    Ok(gpu)
}

/// Parse a script; see the module documentation for the format.
pub fn parse(text: &str) -> Result<Script, String> {
    let mut script = Script {
        driver: "550.54.15".to_string(),
        gpus: Vec::new(),
    };
    for line in text.split([';', '\n']).map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(version) = line.strip_prefix("driver=") {
            script.driver = version.trim().to_string();
        } else if let Some(fields) = line.strip_prefix("gpu") {
            script.gpus.push(parse_gpu(script.gpus.len(), fields)?);
        } else {
            return Err(format!("`{line}`: a line is driver=VERSION or gpu FIELDS"));
        }
    }
    Ok(script)
}

/// The script named by `IPW_FAKE_NVML_SCRIPT`: inline text when it contains `=`, else a file.
pub fn from_env() -> Result<Script, String> {
    let value = std::env::var("IPW_FAKE_NVML_SCRIPT")
        .map_err(|_| "IPW_FAKE_NVML_SCRIPT is not set".to_string())?;
    if value.contains('=') {
        parse(&value)
    } else {
        let text = std::fs::read_to_string(&value).map_err(|e| format!("{value}: {e}"))?;
        parse(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_field() {
        let s = parse(
            "driver=535.1; gpu name=A, power=square:300:100:0.1:0.5, reset_at=2.5, lost_at=4, \
             limit=400, temp=40, sm_clock=1400, start_mj=7\n# comment\ngpu energy=none",
        )
        .unwrap();
        assert_eq!(s.driver, "535.1");
        assert_eq!(s.gpus.len(), 2);
        let a = &s.gpus[0];
        assert_eq!(
            (a.reset_at, a.lost_at, a.limit_w),
            (Some(2.5), Some(4.0), 400)
        );
        assert_eq!(
            (a.temp_c, a.sm_clock_mhz, a.start_mj),
            (Some(40), Some(1400), 7)
        );
        assert!(!s.gpus[1].energy_counter);
        assert_ne!(s.gpus[0].uuid, s.gpus[1].uuid);
        assert!(parse("gpu power=square:1:2:0:0.5").is_err());
        assert!(parse("gpu colour=red").is_err());
        assert!(parse("cpu").is_err());
    }

    #[test]
    fn square_wave_energy_is_its_integral() {
        let p = Power::Square {
            high: 300.0,
            low: 100.0,
            period: 0.1,
            duty: 0.5,
        };
        assert!((p.joules(1.0) - 200.0).abs() < 1e-9);
        assert!((p.joules(0.03) - 9.0).abs() < 1e-9);
        assert!((p.joules(0.07) - 17.0).abs() < 1e-9);
        assert_eq!(p.watts(0.02), 300.0);
        assert_eq!(p.watts(0.07), 100.0);
    }

    #[test]
    fn a_driven_load_is_integrated_exactly() {
        let mut d = Driven::new(50.0);
        d.set(1.0, 300.0);
        d.set(1.03, 100.0);
        let p = Power::Driven(d);
        assert_eq!(p.watts(0.5), 50.0);
        assert_eq!(p.watts(1.01), 300.0);
        assert_eq!(p.watts(1.2), 100.0);
        assert!((p.joules(1.0) - 50.0).abs() < 1e-9);
        assert!((p.joules(1.03) - 59.0).abs() < 1e-9);
        assert!((p.joules(1.13) - 69.0).abs() < 1e-9);
        let mut d = Driven::new(10.0);
        for i in 1..=40 {
            d.set(i as f64 * 0.1, if i % 2 == 0 { 10.0 } else { 30.0 });
        }
        let p = Power::Driven(d);
        // 0.1 s at 10 W, then alternating 30 W and 10 W for 0.1 s each.
        assert!((p.joules(4.0) - (1.0 + 20.0 * 3.0 + 19.0 * 1.0)).abs() < 1e-9);
        assert!((p.joules(0.35) - (1.0 + 3.0 + 1.0 + 1.5)).abs() < 1e-9);
        // A pulse returns to the load it interrupted, on time.
        let mut d = Driven::new(100.0);
        d.pulse(1.0, 300.0, 0.03);
        d.pulse(1.1, 300.0, 0.03);
        let p = Power::Driven(d.clone());
        assert_eq!(
            (p.watts(1.02), p.watts(1.04), p.watts(1.12)),
            (300.0, 100.0, 300.0)
        );
        assert!((p.joules(2.0) - (200.0 + 2.0 * 0.03 * 200.0)).abs() < 1e-9);
        // A new load replaces the return still to come.
        d.set(1.11, 50.0);
        let p = Power::Driven(d);
        assert_eq!((p.watts(1.105), p.watts(1.2)), (300.0, 50.0));
    }

    #[test]
    fn a_part_time_board_reads_the_last_quarter_of_each_tick() {
        let g = parse_gpu(0, "power=square:300:100:0.1:0.3, part_time=0.09").unwrap();
        assert!(!g.energy_counter, "no counter on a part-time board");
        // Publications at 0.09, 0.19, ...: each sees 65..90 ms of the wave, all low.
        for t in [0.095, 0.15, 1.0, 2.5] {
            assert_eq!(g.power_mw(t), 100_000, "t = {t}");
        }
        // At 0.04 + k/10 the window is 15..40 ms: 15 ms high, 10 ms low.
        let g = parse_gpu(0, "power=square:300:100:0.1:0.3, part_time=0.04").unwrap();
        assert_eq!(g.power_mw(0.55), 220_000);
        // A driven load is read the same way, from its exact integral.
        let mut g = parse_gpu(0, "power=driven:100, part_time=0.0").unwrap();
        let Power::Driven(d) = &mut g.power else {
            panic!("driven")
        };
        d.set(0.18, 300.0);
        d.set(0.19, 100.0);
        // The publication at 0.2 covers 175..200 ms: 10 ms of 300 W in 25 ms.
        assert_eq!(g.power_mw(0.25), 180_000);
        assert_eq!(g.power_mw(0.31), 100_000);
        assert!(parse("gpu power=driven:x").is_err());
    }

    #[test]
    fn counter_steps_every_tick_and_restarts_after_a_reset() {
        let g = parse_gpu(0, "power=step:100:1.0:300, reset_at=2.0, start_mj=5000").unwrap();
        assert_eq!(g.energy_mj(0.05), 5_000);
        assert_eq!(g.energy_mj(0.15), 15_000);
        assert_eq!(g.energy_mj(1.55), 5_000 + 100_000 + 150_000);
        assert_eq!(g.energy_mj(2.05), 0);
        assert_eq!(g.energy_mj(2.25), 60_000);
        assert_eq!(g.power_mw(0.99), 100_000);
        assert_eq!(g.power_mw(1.05), 300_000);
    }
}

//! The measurement flags: how the selected cases are measured.

use super::{Arity, Flag, Section};
use crate::setup::config::GpuProtocol;

/// The flags of `--help`'s measurement section: samples, timing, sensors and the order of runs.
pub(super) const FLAGS: &[Flag] = &[
    Flag {
        name: "--bench",
        short: None,
        twin: Some("IPW_BENCH"),
        arity: Arity::Switch,
        default: None,
        section: Section::Measurement,
        help: "measure and write results; cargo bench passes it",
        apply: |d, v| {
            d.bench = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--sample-size",
        short: None,
        twin: Some("IPW_SAMPLE_SIZE"),
        arity: Arity::Value("N"),
        default: Some("100"),
        section: Section::Measurement,
        help: "samples per case, at least 2",
        apply: |d, v| {
            d.config.sample_size = Some(v.sample_size()?);
            Ok(())
        },
    },
    Flag {
        name: "--warm-up-time",
        short: None,
        twin: Some("IPW_WARM_UP_TIME"),
        arity: Arity::Value("S"),
        default: Some("3"),
        section: Section::Measurement,
        help: "warm-up per case",
        apply: |d, v| {
            d.config.warm_up_time = Some(v.seconds()?);
            Ok(())
        },
    },
    Flag {
        name: "--measurement-time",
        short: None,
        twin: Some("IPW_MEASUREMENT_TIME"),
        arity: Arity::Value("S"),
        default: Some("5"),
        section: Section::Measurement,
        help: "target measuring time per case",
        apply: |d, v| {
            d.config.measurement_time = Some(v.positive_seconds()?);
            Ok(())
        },
    },
    Flag {
        name: "--max-time",
        short: None,
        twin: Some("IPW_MAX_TIME"),
        arity: Arity::Value("S"),
        default: Some("60"),
        section: Section::Measurement,
        help: "hard cap per case",
        apply: |d, v| {
            d.config.max_time = Some(v.positive_seconds()?);
            Ok(())
        },
    },
    Flag {
        name: "--idle-time",
        short: None,
        twin: Some("IPW_IDLE_TIME"),
        arity: Arity::Value("S"),
        default: Some("2"),
        section: Section::Measurement,
        help: "idle power before and after, 0 for none",
        apply: |d, v| {
            d.config.idle_time = v.seconds()?;
            Ok(())
        },
    },
    Flag {
        name: "--sensors",
        short: None,
        twin: Some("IPW_SENSORS"),
        arity: Arity::Value("LIST"),
        default: Some("auto"),
        section: Section::Measurement,
        help: "auto, rapl, hwmon, nvml, meter, estimate, synthetic:W",
        apply: |d, v| {
            d.config.sensors = v.text().to_string();
            d.sensors_origin = Some(v.origin().to_string());
            Ok(())
        },
    },
    Flag {
        name: "--meter-cmd",
        short: None,
        twin: Some("IPW_METER_CMD"),
        arity: Arity::Value("CMD"),
        default: None,
        section: Section::Measurement,
        help: "wall meter program printing unix_seconds,watts",
        apply: |d, v| {
            d.config.meter_cmd = Some(v.text().to_string());
            Ok(())
        },
    },
    Flag {
        name: "--meter-csv",
        short: None,
        twin: Some("IPW_METER_CSV"),
        arity: Arity::Value("FILE"),
        default: None,
        section: Section::Measurement,
        help: "wall meter log written during the run",
        apply: |d, v| {
            d.config.meter_csv = Some(v.path("the meter's log file")?);
            Ok(())
        },
    },
    Flag {
        name: "--gpu-protocol",
        short: None,
        twin: Some("IPW_GPU_PROTOCOL"),
        arity: Arity::Value("P"),
        default: Some("simple"),
        section: Section::Measurement,
        help: "simple or phased",
        apply: |d, v| {
            d.config.gpu_protocol = v.choice(&[
                ("simple", GpuProtocol::Simple),
                ("phased", GpuProtocol::Phased),
            ])?;
            Ok(())
        },
    },
    Flag {
        name: "--no-interleave",
        short: None,
        twin: Some("IPW_NO_INTERLEAVE"),
        arity: Arity::Switch,
        default: None,
        section: Section::Measurement,
        help: "sample a group's variants one after another",
        apply: |d, v| {
            d.config.interleave = !v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--processes",
        short: None,
        twin: Some("IPW_PROCESSES"),
        arity: Arity::Value("N"),
        default: Some("1"),
        section: Section::Measurement,
        help: "measure in N fresh processes, one after another; intervals and comparisons \
               then treat the process as the unit (1 to 64)",
        apply: |d, v| {
            d.config.processes = v.processes()?;
            Ok(())
        },
    },
    Flag {
        name: "--seed",
        short: None,
        twin: Some("IPW_SEED"),
        arity: Arity::Value("N"),
        default: Some("28335853"),
        section: Section::Measurement,
        help: "seed of the sample order and the bootstrap",
        apply: |d, v| {
            d.config.seed = v.seed()?;
            Ok(())
        },
    },
];

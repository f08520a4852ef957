//! `cargo ipw sensors`: what this machine can measure, and how to fix what it cannot.

use crate::output::print;
use clap::Args;
use ipw_bench::sensor::{discover, list_sources, parse_sensor_spec, SysRoots};
use std::fmt::Write;

#[derive(Args, Debug)]
pub struct SensorsArgs {
    /// Sources to look for, as in `--sensors` of a bench.
    #[arg(long, env = "IPW_SENSORS", default_value = "auto")]
    pub sensors: String,
    /// Output format.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

pub fn run(args: &SensorsArgs) -> anyhow::Result<i32> {
    let specs = parse_sensor_spec(&args.sensors).map_err(|e| anyhow::anyhow!("--sensors: {e}"))?;
    let found = discover(&specs).map_err(|e| anyhow::anyhow!("{e}"))?;
    // Every RAPL zone and hwmon channel, usable or not, with what stops the others.
    let sources = list_sources(&SysRoots::from_env());
    if args.format == "json" {
        let sensors: Vec<_> = found.sensors.iter().map(|s| s.info().clone()).collect();
        let unused: Vec<_> = found
            .unused
            .iter()
            .map(|u| serde_json::json!({"source": u.source, "reason": u.reason}))
            .collect();
        print(&format!(
            "{}\n",
            serde_json::json!({"sensors": sensors, "unused": unused, "sources": sources})
        ))?;
    } else {
        let mut o = String::new();
        for s in &found.sensors {
            let i = s.info();
            let _ = writeln!(
                o,
                "{:<24} {:<12} {:<10} resolution {:.3e} {}  update every {:?}  {}",
                i.id,
                i.domain,
                i.provenance,
                i.resolution,
                if i.kind == ipw_bench::sensor::SensorKind::Counter {
                    "J"
                } else {
                    "W"
                },
                i.update_period,
                i.label
            );
        }
        for u in &found.unused {
            let _ = writeln!(o, "not used: {}: {}", u.source, u.reason);
        }
        let _ = writeln!(o);
        let _ = writeln!(o, "sysfs sources (RAPL, hwmon) and their access:");
        for s in &sources {
            let _ = writeln!(
                o,
                "  {:<28} {:<18} {}  {}",
                s.id,
                s.access.as_str(),
                s.label,
                s.path.display()
            );
            if !s.detail.is_empty() {
                let _ = writeln!(o, "      {}", s.detail);
            }
        }
        print(&o)?;
    }
    Ok(0)
}

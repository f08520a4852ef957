//! Tests of the external power meters.

use super::*;
use std::io::Write;

#[test]
fn parses_lines_and_rejects_the_rest() {
    assert_eq!(
        parse_line("1700000000.25,123.5"),
        Some((1_700_000_000.25, 123.5))
    );
    assert_eq!(
        parse_line(" 1700000000 , 80 \n"),
        Some((1_700_000_000.0, 80.0))
    );
    assert_eq!(parse_line("unix_seconds,watts"), None);
    assert_eq!(parse_line("1700000000,-3"), None);
    assert_eq!(parse_line("1700000000"), None);
    assert_eq!(parse_line("nan,3"), None);
}

#[test]
fn a_command_meter_reports_its_power_and_then_goes_stale() {
    // Five lines 50 ms apart, then silence: the meter's period is 50 ms, so a read
    // 0.5 s later is stale, and once the program exits the source is gone.
    let cmd = "i=0; while [ $i -lt 5 ]; do echo \"$(date +%s.%N),42.5\"; i=$((i+1)); sleep 0.05; done; sleep 0.6";
    let mut m = MeterSensor::from_command(cmd).expect("meter starts");
    assert_eq!(m.read().map(|r| r.value), Ok(42_500_000));
    assert_eq!(m.info().domain.as_str(), Domain::WALL);
    let offset: f64 = m.info().details["clock_offset_s"].parse().expect("offset");
    assert!(offset.abs() < 1.0, "offset {offset}");
    std::thread::sleep(Duration::from_millis(500));
    match m.read() {
        Err(SensorError::Read(msg)) => assert!(msg.contains("stale"), "{msg}"),
        other => panic!("expected stale, got {other:?}"),
    }
    std::thread::sleep(Duration::from_millis(600));
    assert!(matches!(m.read(), Err(SensorError::Gone(_))));
}

#[test]
fn a_command_without_lines_is_a_clear_error() {
    let err = match MeterSensor::from_command("echo volts; exit 0") {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a meter without data lines must not start"),
    };
    assert!(
        err.contains("--meter-cmd") && err.contains("exited"),
        "{err}"
    );
}

#[test]
fn a_csv_log_is_tailed_from_its_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("wall.csv");
    std::fs::write(&path, "unix_seconds,watts\n1,999\n").expect("old content");
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&writer_path)
            .expect("append");
        for i in 0..8 {
            std::thread::sleep(Duration::from_millis(40));
            // Half a line first: the reader must wait for its end.
            write!(f, "{:.3},", unix_now()).expect("write");
            f.flush().expect("flush");
            writeln!(f, "{}", 100 + i).expect("write");
        }
    });
    let mut m = MeterSensor::from_csv(&path).expect("meter starts");
    let first = m.read().expect("fresh line").value;
    assert!((100_000_000..=107_000_000).contains(&first), "{first}");
    writer.join().expect("writer");
    // The tail looks for new lines every 20 ms: give it a few rounds.
    let mut last = m.read().map(|r| r.value);
    for _ in 0..10 {
        if last == Ok(107_000_000) {
            break;
        }
        std::thread::sleep(TAIL_POLL);
        last = m.read().map(|r| r.value);
    }
    assert_eq!(last, Ok(107_000_000));
    let period = m.info().update_period.as_secs_f64();
    assert!((0.02..0.2).contains(&period), "period {period}");
}

//! A line of an external meter's output (`--meter-cmd`, `--meter-csv`): a reading or none.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(line) = std::str::from_utf8(data) {
        if let Some((t, w)) = ipw_bench::sensor::meter::parse_line(line) {
            assert!(t.is_finite() && w.is_finite(), "{line:?} gave {t}, {w}");
        }
    }
});

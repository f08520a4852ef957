//! `cargo ipw survival`'s CSV reader: any bytes give task outcomes or an error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = ipw_bench::survival::read_csv(data) {
        let line = e.to_string();
        assert!(!line.contains('\n'), "a multi-line error: {line:?}");
    }
});

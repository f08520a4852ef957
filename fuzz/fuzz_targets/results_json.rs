//! The results-file reader every `cargo ipw` command and the bench binary use.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("results.json");
    std::fs::write(&path, data).expect("written");
    if let Err(e) = ipw_bench::results::read_results(&path) {
        let line = e.to_string();
        assert!(!line.contains('\n'), "a multi-line error: {line:?}");
    }
});

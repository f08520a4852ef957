//! Room for the results, checked before the first sample: a run whose results.json cannot
//! fit is refused at once (exit 2) rather than after minutes of measuring. The estimate is
//! a lower bound (what the samples alone take in results.json, and the previous file,
//! which stays until the new one replaces it), so a run it lets through may still fill the
//! disk: that is caught at the write, which keeps the previous file (exit 1).

use crate::measure::registry::CaseRef;
use crate::setup::config::{Config, DEFAULT_SAMPLE_SIZE};
use std::path::Path;

/// At least what one sample takes in results.json (pretty-printed, about 300 to 400 bytes).
const BYTES_PER_SAMPLE: u64 = 200;
/// At least what a case takes beside its samples (plan, estimates, quality).
const BYTES_PER_CASE: u64 = 1024;

/// The samples the run plans: each case's sample size (the flag's, the attribute's or the
/// default), summed.
pub(super) fn planned_samples(cases: &[CaseRef], config: &Config) -> u64 {
    cases
        .iter()
        .map(|c| {
            let n = config
                .sample_size
                .or(c.case.sample_size)
                .unwrap_or(DEFAULT_SAMPLE_SIZE);
            n as u64
        })
        .sum()
}

/// The bytes the results of `cases` cases and `samples` samples need at least, with the
/// previous file of `previous` bytes kept beside them until the rename.
pub(super) fn needed(cases: u64, samples: u64, previous: u64) -> u64 {
    cases * BYTES_PER_CASE + samples * BYTES_PER_SAMPLE + previous
}

/// Whether `dir` has `needed` bytes free; a one-line reason when not. A folder whose free
/// space cannot be read passes (the write will tell).
pub(super) fn check(dir: &Path, needed: u64) -> Result<(), String> {
    let Ok(free) = fs4::available_space(dir) else {
        return Ok(());
    };
    if free >= needed {
        return Ok(());
    }
    Err(format!(
        "{} has {} KiB free, and this run's results need at least {} KiB (the samples \
         planned, and the previous results.json until the new one replaces it); free some \
         space or give another --output-dir",
        dir.display(),
        free / 1024,
        needed.div_ceil(1024)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_counts_cases_samples_and_the_previous_file() {
        assert_eq!(needed(2, 20, 5000), 2 * 1024 + 20 * 200 + 5000);
        assert_eq!(needed(0, 0, 0), 0);
    }

    #[test]
    fn a_folder_with_room_passes_and_one_without_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(check(dir.path(), 1).is_ok());
        let e = check(dir.path(), u64::MAX / 2).unwrap_err();
        assert!(e.contains(&dir.path().display().to_string()), "{e}");
        assert!(e.contains("KiB free") && e.contains("--output-dir"), "{e}");
        assert!(!e.contains('\n'));
    }
}

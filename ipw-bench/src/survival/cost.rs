//! What solving costs: energy (or time) until the first success, per task and per solved task.

use super::data::{SurvivalError, TaskOutcome};
use crate::stats::bootstrap::{bootstrap_mean, quantile_sorted, CiMethod, Interval};
use crate::stats::Rng;
use serde::{Deserialize, Serialize};

/// Cost of reaching the first success, in one unit (joules for energy, seconds for time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostSummary {
    /// `"J"` or `"s"`.
    pub unit: String,
    /// Solved tasks, over which the per-task statistics run.
    pub n_solved: usize,
    /// Mean cost until the first success over solved tasks, with a percentile bootstrap
    /// interval (tasks resampled).
    pub mean_to_first_success: Interval,
    /// Median cost until the first success over solved tasks, with a percentile bootstrap
    /// interval.
    pub median_to_first_success: Interval,
    /// Cost of all tasks, the ones given up at the cap included.
    pub total: f64,
    /// `total / n_solved`: what one solved task costs once the failures on unsolved tasks
    /// are charged to the solved ones (the Survival Game's "joules per solved task").
    pub per_solved_task: f64,
}

/// The cost in `column` (`energy_j`, in `unit` J), from `get`. `None` when no task carries
/// it (they all do or none does, by validation); an error when the costs add up to more
/// than `f64` holds.
pub(crate) fn summarize_cost(
    tasks: &[TaskOutcome],
    column: &'static str,
    unit: &str,
    get: impl Fn(&TaskOutcome) -> Option<f64>,
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> Result<Option<CostSummary>, SurvivalError> {
    let Some(costs) = tasks
        .iter()
        .map(|t| get(t).map(|c| (c, t.censored)))
        .collect::<Option<Vec<(f64, bool)>>>()
    else {
        return Ok(None);
    };
    let solved: Vec<f64> = costs.iter().filter(|c| !c.1).map(|c| c.0).collect();
    let total: f64 = costs.iter().map(|c| c.0).sum();
    if !total.is_finite() {
        return Err(SurvivalError::CostOverflow { column });
    }
    Ok(Some(CostSummary {
        unit: unit.to_string(),
        n_solved: solved.len(),
        mean_to_first_success: bootstrap_mean(&solved, resamples, confidence, seed),
        median_to_first_success: bootstrap_median(&solved, resamples, confidence, seed ^ 1),
        total,
        per_solved_task: total / solved.len() as f64,
    }))
}

fn median(sorted: &[f64]) -> f64 {
    quantile_sorted(sorted, 0.5)
}

/// Percentile bootstrap interval of the median.
fn bootstrap_median(data: &[f64], resamples: usize, confidence: f64, seed: u64) -> Interval {
    let mut sorted = data.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => return Interval::degenerate(f64::NAN, confidence),
        1 => return Interval::degenerate(sorted[0], confidence),
        _ => {}
    }
    let point = median(&sorted);
    let n = sorted.len();
    let mut rng = Rng::new(seed);
    let mut draw = vec![0.0; n];
    let mut medians: Vec<f64> = (0..resamples)
        .map(|_| {
            draw.iter_mut().for_each(|d| *d = sorted[rng.below(n)]);
            draw.sort_by(f64::total_cmp);
            median(&draw)
        })
        .collect();
    medians.sort_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    Interval {
        point,
        low: quantile_sorted(&medians, tail),
        high: quantile_sorted(&medians, 1.0 - tail),
        confidence,
        method: CiMethod::Percentile,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_solved_task_charges_the_failures() {
        let mut tasks = vec![
            TaskOutcome::solved("a", 0),
            TaskOutcome::solved("b", 2),
            TaskOutcome::solved("c", 5),
            TaskOutcome::censored("d", 10),
        ];
        for (t, e) in tasks.iter_mut().zip([1.0, 3.0, 8.0, 20.0]) {
            t.energy_j = Some(e);
        }
        let s = summarize_cost(&tasks, "energy_j", "J", |t| t.energy_j, 500, 0.95, 3)
            .expect("no overflow")
            .expect("energy");
        assert_eq!(s.n_solved, 3);
        assert_eq!(s.total, 32.0);
        assert!((s.per_solved_task - 32.0 / 3.0).abs() < 1e-12);
        assert!((s.mean_to_first_success.point - 4.0).abs() < 1e-12);
        assert_eq!(s.median_to_first_success.point, 3.0);
        let m = s.median_to_first_success;
        assert!(m.low >= 1.0 && m.high <= 8.0 && m.low <= m.high, "{m:?}");
        assert_eq!(
            summarize_cost(&tasks, "time_s", "s", |t| t.time_s, 10, 0.95, 3),
            Ok(None)
        );
    }

    #[test]
    fn costs_near_the_top_of_f64_give_finite_means_or_an_overflow() {
        let mut tasks = vec![
            TaskOutcome::solved("a", 0),
            TaskOutcome::solved("b", 2),
            TaskOutcome::censored("c", 10),
        ];
        for (t, e) in tasks.iter_mut().zip([8e307, 7e307, 1.0]) {
            t.energy_j = Some(e);
        }
        let s = summarize_cost(&tasks, "energy_j", "J", |t| t.energy_j, 300, 0.95, 3)
            .expect("the total is below 1.8e308")
            .expect("energy");
        let m = s.mean_to_first_success;
        assert!((m.point - 7.5e307).abs() < 1e293, "{m:?}");
        assert!(m.low.is_finite() && m.high.is_finite(), "{m:?}");
        tasks[2].energy_j = Some(1e308);
        assert_eq!(
            summarize_cost(&tasks, "energy_j", "J", |t| t.energy_j, 300, 0.95, 3),
            Err(SurvivalError::CostOverflow { column: "energy_j" })
        );
    }
}

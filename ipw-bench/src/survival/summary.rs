//! Descriptive Survival Game statistics: pass@1, censoring, median and restricted mean
//! failures, and the Kaplan-Meier survival function S(k) = P(F >= k).

use super::data::TaskOutcome;
use serde::{Deserialize, Serialize};

/// One step of the survival function: `S(k) = P(F >= k)` is `s` from this `k` up to the
/// next listed `k` (exclusive). Beyond the largest listed `k`, S stays at the last value
/// only up to the cap; above the cap it is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SurvivalPoint {
    /// Failure count.
    pub k: u64,
    /// Estimated share of tasks needing at least `k` failures before a success.
    pub s: f64,
}

/// How often a failure count was seen among the solved tasks (plot data for the paper's
/// log-log frequency plot, with reference slopes -2 and -3 anchored at k = 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrequencyPoint {
    /// Failure count, at least 1 (F = 0 is left out, as in the paper's plots).
    pub k: u64,
    /// Solved tasks with exactly `k` failures.
    pub count: u64,
    /// `count / n_tasks`.
    pub frequency: f64,
}

/// What is reported for every run, whatever the tail looks like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalSummary {
    /// Tasks scored.
    pub n_tasks: usize,
    /// Tasks solved within the cap.
    pub n_solved: usize,
    /// Tasks never solved within the cap (right-censored).
    pub n_censored: usize,
    /// Share of tasks solved at the first attempt (F = 0).
    pub pass_at_1: f64,
    /// `n_censored / n_tasks`.
    pub censored_fraction: f64,
    /// The largest attempt cap among censored tasks (their failure count); `None` when no
    /// task was censored.
    pub cap: Option<u64>,
    /// The lower median of F from the Kaplan-Meier estimate: the smallest k with
    /// `P(F <= k) >= 1/2`. `None` when half or more of the tasks are censored before that.
    pub median_failures: Option<u64>,
    /// Restricted mean `E[min(F, M)] = sum of S(k) for k = 1..=M`, with M =
    /// `restricted_mean_horizon`. With one common cap it is the mean of the failure column.
    pub restricted_mean_failures: f64,
    /// M: the cap when some task was censored, otherwise the largest failure count seen.
    pub restricted_mean_horizon: u64,
    /// Kaplan-Meier survival function as steps, starting at `(0, 1.0)`.
    pub survival: Vec<SurvivalPoint>,
    /// Counts of each failure count k >= 1 among solved tasks, ascending in k.
    pub frequencies: Vec<FrequencyPoint>,
    /// Names of the tasks never solved within the cap, in input order.
    pub unsolved_tasks: Vec<String>,
}

/// Kaplan-Meier estimate of `S(k) = P(F >= k)` for discrete failure counts.
///
/// A task censored at c is known to have F >= c, so it is at risk of failing for the last
/// time (F = e) only at counts e < c: at e = c its outcome is unknown. Hence the risk set at
/// e holds the solved tasks with F >= e and the censored tasks with c > e. With one common
/// cap M and every solved F < M this reduces to `#{F_i >= k} / n` for k <= M.
#[derive(Debug, Clone)]
pub(crate) struct KaplanMeier {
    /// Distinct failure counts of solved tasks, ascending.
    pub events: Vec<u64>,
    /// Solved tasks at each event.
    pub deaths: Vec<u64>,
    /// `S(e)` just before each event: P(F >= e).
    pub before: Vec<f64>,
    /// `S(e + 1)` just after each event: P(F > e).
    pub after: Vec<f64>,
}

impl KaplanMeier {
    pub fn new(tasks: &[TaskOutcome]) -> KaplanMeier {
        let mut solved: Vec<u64> = tasks
            .iter()
            .filter(|t| !t.censored)
            .map(|t| t.failures)
            .collect();
        let mut caps: Vec<u64> = tasks
            .iter()
            .filter(|t| t.censored)
            .map(|t| t.failures)
            .collect();
        solved.sort_unstable();
        caps.sort_unstable();
        let mut km = KaplanMeier {
            events: Vec::new(),
            deaths: Vec::new(),
            before: Vec::new(),
            after: Vec::new(),
        };
        let mut s = 1.0;
        let (mut i, mut c) = (0usize, 0usize);
        while i < solved.len() {
            let e = solved[i];
            let mut j = i;
            while j < solved.len() && solved[j] == e {
                j += 1;
            }
            while c < caps.len() && caps[c] <= e {
                c += 1;
            }
            let at_risk = (solved.len() - i) + (caps.len() - c);
            let d = j - i;
            km.events.push(e);
            km.deaths.push(d as u64);
            km.before.push(s);
            s *= 1.0 - d as f64 / at_risk as f64;
            km.after.push(s);
            i = j;
        }
        km
    }

    /// `S(k) = P(F >= k)`.
    pub fn at(&self, k: u64) -> f64 {
        match self.events.partition_point(|&e| e < k) {
            0 => 1.0,
            i => self.after[i - 1],
        }
    }
}

pub(crate) fn summarize(tasks: &[TaskOutcome], km: &KaplanMeier) -> SurvivalSummary {
    let n = tasks.len();
    let n_censored = tasks.iter().filter(|t| t.censored).count();
    let first_try = tasks
        .iter()
        .filter(|t| !t.censored && t.failures == 0)
        .count();
    let cap = tasks
        .iter()
        .filter(|t| t.censored)
        .map(|t| t.failures)
        .max();
    let horizon = cap.unwrap_or_else(|| tasks.iter().map(|t| t.failures).max().unwrap_or(0));

    let mut survival = vec![SurvivalPoint { k: 0, s: 1.0 }];
    survival.extend(
        km.events
            .iter()
            .zip(&km.after)
            .map(|(&e, &s)| SurvivalPoint {
                k: e.saturating_add(1),
                s,
            }),
    );

    let median_failures = km
        .events
        .iter()
        .zip(&km.after)
        .find(|(_, &s)| s <= 0.5)
        .map(|(&e, _)| e);

    let frequencies = km
        .events
        .iter()
        .zip(&km.deaths)
        .filter(|(&e, _)| e >= 1)
        .map(|(&k, &count)| FrequencyPoint {
            k,
            count,
            frequency: count as f64 / n as f64,
        })
        .collect();

    SurvivalSummary {
        n_tasks: n,
        n_solved: n - n_censored,
        n_censored,
        pass_at_1: first_try as f64 / n as f64,
        censored_fraction: n_censored as f64 / n as f64,
        cap,
        median_failures,
        restricted_mean_failures: restricted_mean(&survival, horizon),
        restricted_mean_horizon: horizon,
        survival,
        frequencies,
        unsolved_tasks: tasks
            .iter()
            .filter(|t| t.censored)
            .map(|t| t.task.clone())
            .collect(),
    }
}

/// `sum of S(k) for k = 1..=horizon`, adding each constant step's share at once.
fn restricted_mean(steps: &[SurvivalPoint], horizon: u64) -> f64 {
    let mut total = 0.0;
    for (i, step) in steps.iter().enumerate() {
        let start = step.k.max(1);
        let end = steps
            .get(i + 1)
            .map_or(horizon, |next| (next.k - 1).min(horizon));
        if end >= start {
            total += step.s * ((end - start) as f64 + 1.0);
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tasks(solved: &[u64], censored: &[u64]) -> Vec<TaskOutcome> {
        let mut v: Vec<TaskOutcome> = solved
            .iter()
            .enumerate()
            .map(|(i, &f)| TaskOutcome::solved(format!("s{i}"), f))
            .collect();
        v.extend(
            censored
                .iter()
                .enumerate()
                .map(|(i, &c)| TaskOutcome::censored(format!("c{i}"), c)),
        );
        v
    }

    #[test]
    fn common_cap_gives_plain_shares() {
        let t = tasks(&[0, 0, 1, 3, 3, 7], &[10, 10]);
        let km = KaplanMeier::new(&t);
        let s = summarize(&t, &km);
        assert_eq!(s.n_tasks, 8);
        assert_eq!(s.pass_at_1, 0.25);
        assert_eq!(s.censored_fraction, 0.25);
        assert_eq!(s.cap, Some(10));
        // S(k) = #{F_i >= k} / n below the cap.
        for k in 0..=10u64 {
            let direct = t.iter().filter(|x| x.failures >= k).count() as f64 / 8.0;
            assert!((km.at(k) - direct).abs() < 1e-12, "k={k}");
        }
        // With one cap, E[min(F, M)] is the mean of the failure column.
        let mean = t.iter().map(|x| x.failures as f64).sum::<f64>() / 8.0;
        assert!((s.restricted_mean_failures - mean).abs() < 1e-12);
        // P(F <= 1) = 3/8 < 1/2, P(F <= 3) = 5/8.
        assert_eq!(s.median_failures, Some(3));
        assert_eq!(s.unsolved_tasks, vec!["c0", "c1"]);
        assert_eq!(s.frequencies.len(), 3);
        assert_eq!(s.frequencies[1].k, 3);
        assert_eq!(s.frequencies[1].count, 2);
    }

    #[test]
    fn early_censoring_redistributes_mass() {
        // One task gave up after 2 failures, so it leaves the risk set before k = 4: of the
        // 3 tasks at risk there, one stops, and S(5) = S(2) * (1 - 1/3) with S(2) = 4/5.
        let t = tasks(&[1, 4, 6, 8], &[2]);
        let km = KaplanMeier::new(&t);
        assert!((km.at(2) - 0.8).abs() < 1e-12);
        assert!((km.at(5) - 0.8 * 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(km.at(9), 0.0);
        let s = summarize(&t, &km);
        assert_eq!(s.median_failures, Some(6));
    }

    #[test]
    fn mostly_censored_has_no_median() {
        let t = tasks(&[1], &[5, 5]);
        let s = summarize(&t, &KaplanMeier::new(&t));
        assert_eq!(s.median_failures, None);
    }
}

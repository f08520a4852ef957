//! The Survival Game section of a case page: the tail exponent, the level, the plots.

use super::model::{fact, Fact};
use super::svg::survival;
use super::ReportOptions;
use crate::analysis::format;
use crate::setup::config::Plots;
use crate::survival::{CostSummary, SurvivalResult};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct SurvivalView {
    pub facts: Vec<Fact>,
    pub costs: Vec<Fact>,
    pub notes: Vec<String>,
    pub unsolved: Vec<String>,
    pub frequency_svg: Option<String>,
    pub curve_svg: Option<String>,
}

fn cost_facts(label: &str, c: &CostSummary) -> Vec<Fact> {
    let m = &c.mean_to_first_success;
    let md = &c.median_to_first_success;
    vec![
        fact(
            &format!("{label}: mean to first success"),
            format::point_with_interval(m.point, m.low, m.high, &c.unit),
        ),
        fact(
            &format!("{label}: median to first success"),
            format::point_with_interval(md.point, md.low, md.high, &c.unit),
        ),
        fact(&format!("{label}: total"), format::value(c.total, &c.unit)),
        fact(
            &format!("{label}: per solved task"),
            format::value(c.per_solved_task, &c.unit),
        ),
    ]
}

/// Never-solved tasks shown by name; the rest are counted, so a page stays readable.
const UNSOLVED_SHOWN: usize = 30;

fn unsolved_list(names: &[String]) -> Vec<String> {
    let mut shown: Vec<String> = names.iter().take(UNSOLVED_SHOWN).cloned().collect();
    if names.len() > UNSOLVED_SHOWN {
        shown.push(format!("and {} more", names.len() - UNSOLVED_SHOWN));
    }
    shown
}

pub fn build(s: &SurvivalResult, options: &ReportOptions) -> SurvivalView {
    let method = serde_json::to_value(s.ci_method)
        .ok()
        .and_then(|v| v.as_str().map(format::method_label))
        .unwrap_or_default();
    let sum = &s.summary;
    let mut facts = vec![
        fact(
            "tail exponent a",
            format!(
                "{} [{}, {}] ({} CI, {method}{})",
                format::sig(s.alpha),
                format::sig(s.alpha_ci_low),
                format::sig(s.alpha_ci_high),
                format::percent(s.confidence),
                if s.alpha_at_bound {
                    "; on the search bound: only a bound"
                } else {
                    ""
                }
            ),
        ),
        fact("level", s.level.describe()),
        fact(
            "tasks",
            format!(
                "{} ({} solved, {} never solved{})",
                sum.n_tasks,
                sum.n_solved,
                sum.n_censored,
                sum.cap
                    .map_or(String::new(), |c| format!(" within {c} attempts"))
            ),
        ),
        fact("pass@1", format!("{:.3}", sum.pass_at_1)),
        fact(
            "median failures",
            sum.median_failures
                .map_or("— (half or more never solved)".into(), |m| m.to_string()),
        ),
        fact(
            "restricted mean failures",
            format!(
                "{} (up to {})",
                format::sig(sum.restricted_mean_failures),
                sum.restricted_mean_horizon
            ),
        ),
        fact(
            "fitted tail",
            format!(
                "k ≥ {}: {} tasks ({} censored), KS distance {}",
                s.k_min,
                s.n_tail,
                s.n_tail_censored,
                format::sig(s.ks_distance)
            ),
        ),
        fact("cross-check: Hill", format::sig(s.alpha_hill)),
        fact(
            "cross-check: log-log frequency slope",
            format::opt(s.alpha_ls_frequency),
        ),
        fact(
            "cross-check: log-log survival slope",
            format::opt(s.alpha_ls_ccdf),
        ),
    ];
    if let (Some(d), Some(a)) = (s.alpha_censored_dropped, s.alpha_censored_as_solved) {
        facts.push(fact(
            "censoring sensitivity",
            format!(
                "a = {} without censored tasks, {} counting them solved at the cap",
                format::sig(d),
                format::sig(a)
            ),
        ));
    }
    let mut costs = Vec::new();
    if let Some(e) = &s.energy {
        costs.extend(cost_facts("energy", e));
    }
    if let Some(t) = &s.time {
        costs.extend(cost_facts("time", t));
    }
    let draw = options.plots != Plots::None;
    SurvivalView {
        facts,
        costs,
        notes: s.notes.clone(),
        unsolved: unsolved_list(&sum.unsolved_tasks),
        frequency_svg: draw
            .then(|| survival::frequency_plot(&sum.frequencies))
            .flatten(),
        curve_svg: draw
            .then(|| survival::survival_plot(&sum.survival))
            .flatten(),
    }
}

//! JSON rendering of `cargo ipw stats` results: one object per run.

use super::compute::Outcome;
use serde_json::{json, Value};

/// The result as one JSON object. Non-finite numbers become `null`.
pub fn render(test: &str, confidence: f64, outcome: &Outcome) -> Value {
    let mut v = body(outcome);
    if let Value::Object(map) = &mut v {
        map.insert("test".into(), json!(test));
        map.insert("confidence".into(), json!(confidence));
    }
    v
}

fn body(outcome: &Outcome) -> Value {
    match outcome {
        Outcome::Describe(groups) => json!({
            "groups": groups.iter().map(|(name, d)| json!({
                "name": name,
                "n": d.n,
                "mean": d.mean,
                "sd": d.sd,
                "se": d.se,
                "median": d.median,
                "mad": d.mad,
                "mad_scaled": d.mad_scaled,
                "min": d.min,
                "q1": d.q1,
                "q3": d.q3,
                "max": d.max,
                "ci_low": d.mean_ci.low,
                "ci_high": d.mean_ci.high,
                "ci_method": d.mean_ci.method,
            })).collect::<Vec<_>>()
        }),
        Outcome::TTest { a, b, result, mde } => json!({
            "kind": result.kind,
            "groups": [a, b],
            "n": [result.n1, result.n2],
            "statistic": result.statistic,
            "df": result.df,
            "p_value": result.p_value,
            "mean_difference": result.mean_difference,
            "se": result.se,
            "ci_low": result.ci.low,
            "ci_high": result.ci.high,
            "cohens_d": result.cohens_d,
            "hedges_g": result.hedges_g,
            "min_detectable_d_power_80": mde,
        }),
        Outcome::MannWhitney { a, b, result } => json!({
            "groups": [a, b],
            "n": [result.n1, result.n2],
            "u": result.u,
            "z": result.z,
            "p_value": result.p_value,
            "method": result.method,
            "probability_superiority": result.probability_superiority,
        }),
        Outcome::Proportions {
            groups,
            z_test,
            chi_square,
        } => {
            let mut v = json!({
                "groups": groups.iter().map(|g| json!({
                    "name": g.name,
                    "n": g.n,
                    "correct": g.correct,
                    "proportion": g.interval.point,
                    "ci_low": g.interval.low,
                    "ci_high": g.interval.high,
                    "ci_method": g.interval.method,
                })).collect::<Vec<_>>(),
                "chi_square": {
                    "statistic": chi_square.statistic,
                    "df": chi_square.df,
                    "p_value": chi_square.p_value,
                    "yates": chi_square.yates,
                },
            });
            // The headline test: the z-test for two groups, chi-square for more.
            let (name, stat, p) = match z_test {
                Some(z) => ("two-proportion z-test", z.statistic, z.p_value),
                None => ("chi-square", chi_square.statistic, chi_square.p_value),
            };
            if let Value::Object(map) = &mut v {
                map.insert("method".into(), json!(name));
                map.insert("statistic".into(), json!(stat));
                map.insert("p_value".into(), json!(p));
                if let Some(z) = z_test {
                    map.insert("difference".into(), json!(z.difference));
                }
            }
            v
        }
        Outcome::Anova { groups, result } => json!({
            "groups": groups,
            "f": result.f,
            "df_between": result.df_between,
            "df_within": result.df_within,
            "p_value": result.p_value,
            "ss_between": result.ss_between,
            "ss_within": result.ss_within,
            "ms_between": result.ms_between,
            "ms_within": result.ms_within,
            "eta_squared": result.eta_squared,
            "omega_squared": result.omega_squared,
        }),
        Outcome::WelchAnova { groups, result } => json!({
            "groups": groups,
            "welch": true,
            "f": result.f,
            "df_between": result.df1,
            "df_within": result.df2,
            "p_value": result.p_value,
        }),
        Outcome::Pairwise { groups, result } => json!({
            "groups": groups,
            "method": result.method,
            "comparisons": result.comparisons.iter().map(|c| json!({
                "a": groups[c.a],
                "b": groups[c.b],
                "mean_difference": c.mean_difference,
                "std_error": c.std_error,
                "q": c.q,
                "df": c.df,
                "ci_low": c.ci_low,
                "ci_high": c.ci_high,
                "p_value": c.p_value,
            })).collect::<Vec<_>>(),
        }),
        Outcome::Kruskal { groups, result } => json!({
            "groups": groups,
            "h": result.h,
            "df": result.df,
            "p_value": result.p_value,
            "mean_ranks": result.mean_ranks,
        }),
        Outcome::Levene { groups, result } => json!({
            "groups": groups,
            "center": result.center,
            "statistic": result.statistic,
            "p_value": result.p_value,
        }),
        Outcome::Shapiro(groups) => json!({
            "groups": groups.iter().map(|(name, s)| json!({
                "name": name,
                "n": s.n,
                "w": s.w,
                "p_value": s.p_value,
            })).collect::<Vec<_>>(),
        }),
        Outcome::Anova2(t) => json!({
            "balanced": t.balanced,
            "effects": t.effects.iter().map(|e| json!({
                "source": e.source,
                "ss": e.ss,
                "df": e.df,
                "f": e.f,
                "p_value": e.p_value,
            })).collect::<Vec<_>>(),
        }),
        Outcome::McNemar {
            a,
            b,
            pair,
            table: t,
            result,
            difference: d,
            discordance,
            detectable,
        } => {
            let n = t.questions() as f64;
            json!({
                "groups": [a, b],
                "pair_column": pair,
                "questions": t.questions() as u64,
                "table": {
                    "both_right": t.both_right,
                    "first_only": t.first_only,
                    "second_only": t.second_only,
                    "both_wrong": t.both_wrong,
                },
                "method": result.method,
                "statistic": result.statistic,
                "p_value": result.p_value,
                "accuracy": [
                    (t.both_right + t.first_only) as f64 / n,
                    (t.both_right + t.second_only) as f64 / n,
                ],
                "difference": d.point,
                "ci_low": d.low,
                "ci_high": d.high,
                "ci_method": d.method,
                "discordance": discordance,
                "min_detectable_difference_power_80": detectable,
            })
        }
        Outcome::PairedBootstrap {
            a,
            b,
            pair,
            seed,
            result: r,
        } => json!({
            "groups": [a, b],
            "pair_column": pair,
            "questions": r.questions,
            "statistic": r.statistic,
            "point": r.interval.point,
            "ci_low": r.interval.low,
            "ci_high": r.interval.high,
            "ci_method": r.interval.method,
            "se": r.se,
            "null": r.statistic.null(),
            "p_value": r.p_value,
            "resamples": r.resamples,
            "kept": r.kept,
            "seed": seed,
        }),
    }
}

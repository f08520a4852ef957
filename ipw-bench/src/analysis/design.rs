//! What a group's design allows: two factors read from its variant names (for the
//! two-way ANOVA) and the power of its per-sample comparison.

use crate::analysis::compare::ALPHA;
use crate::analysis::record::{AnovaRow, CaseResult, PowerInfo};
use crate::stats::descriptive::mean;
use crate::stats::{anova2, power};

/// Two factors read from variant names like `precision=f16,batch=32`.
fn factors(cases: &[&CaseResult]) -> Option<[(String, Vec<String>); 2]> {
    let mut names: Option<[String; 2]> = None;
    let mut levels = [Vec::new(), Vec::new()];
    for c in cases {
        let v = c.variant.as_deref()?;
        let parts: Vec<(&str, &str)> = v
            .split([',', ';'])
            .map(|p| p.split_once('=').map(|(k, v)| (k.trim(), v.trim())))
            .collect::<Option<_>>()?;
        if parts.len() != 2 {
            return None;
        }
        let these = [parts[0].0.to_string(), parts[1].0.to_string()];
        match &names {
            None => names = Some(these),
            Some(n) if *n == these => {}
            Some(_) => return None,
        }
        levels[0].push(parts[0].1.to_string());
        levels[1].push(parts[1].1.to_string());
    }
    let [a, b] = names?;
    let [la, lb] = levels;
    Some([(a, la), (b, lb)])
}

pub(crate) fn two_way(cases: &[&CaseResult], values: &[Vec<f64>]) -> Option<Vec<AnovaRow>> {
    let [(fa, la), (fb, lb)] = factors(cases)?;
    let mut response = Vec::new();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (i, v) in values.iter().enumerate() {
        for &x in v {
            response.push(x);
            a.push(la[i].clone());
            b.push(lb[i].clone());
        }
    }
    let t = anova2::anova2(
        &response,
        anova2::Factor {
            name: &fa,
            levels: &a,
        },
        anova2::Factor {
            name: &fb,
            levels: &b,
        },
    )
    .ok()?;
    Some(
        t.effects
            .into_iter()
            .map(|e| AnovaRow {
                ms: (e.df > 0.0).then(|| e.ss / e.df),
                source: e.source,
                ss: e.ss,
                df: e.df,
                f: e.f,
                p_value: e.p_value,
            })
            .collect(),
    )
}

pub(crate) fn power_info(values: &[Vec<f64>]) -> Option<PowerInfo> {
    let n = values.iter().map(Vec::len).min()?;
    if n < 2 {
        return None;
    }
    let grand = mean(&values.concat());
    let pooled_var = values
        .iter()
        .map(|v| {
            let m = mean(v);
            v.iter().map(|x| (x - m).powi(2)).sum::<f64>()
        })
        .sum::<f64>()
        / (values.iter().map(Vec::len).sum::<usize>() - values.len()) as f64;
    let sd = pooled_var.sqrt();
    let d = power::minimum_detectable_effect(n as f64, ALPHA, 0.8).ok()?;
    let d5 = 0.05 * grand.abs() / sd;
    Some(PowerInfo {
        n_per_group: n,
        minimum_detectable_d: d,
        minimum_detectable_relative: d * sd / grand.abs(),
        n_for_5_percent: power::sample_size_per_group(d5, ALPHA, 0.8)
            .ok()
            .map(|s| s.exact),
    })
}

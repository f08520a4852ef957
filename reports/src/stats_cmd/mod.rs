//! `cargo ipw stats`: statistical tests over a CSV or Parquet file of measurements.

mod compute;
pub mod csv;
mod decimal;
mod error;
mod fast_csv;
mod json;
mod parquet;
mod stream;
mod text;

pub use error::StatsCmdError;

use crate::output::print;
use clap::{Args, ValueEnum};
use compute::Options;
use csv::Selection;
use ipw_bench::stats::levene::LeveneCenter;
use ipw_bench::stats::mcnemar::McNemarChoice;
use ipw_bench::stats::paired_bootstrap::PairedStatistic;
use stream::{compute_streaming, streams, Input};

/// Fewest resamples `paired-bootstrap` takes: below them the p-value's floor, 1 / resamples,
/// is above 0.01.
const MIN_RESAMPLES: usize = 100;

/// The test to run.
///
/// Streamed in one pass, in memory that does not grow with the rows (per-group count,
/// mean and spread): anova (and --welch), tukey, games-howell and the unpaired ttest;
/// describe too, for a file, which it reads three times more for the exact median,
/// quartiles and MAD (from standard input it holds all values). The others need all
/// values in memory: mannwhitney, kruskal (ranks), levene, shapiro, the paired ttest,
/// anova2, mcnemar, paired-bootstrap and proportions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Test {
    /// n, mean, SD, median, MAD and the t interval of the mean, per group (streams a
    /// file; standard input is held in memory).
    Describe,
    /// Two groups: Welch's t-test (`--equal-var` for Student's, `--paired --pair COL`)
    /// (streams, unless paired).
    Ttest,
    /// Two groups: Mann-Whitney U, normal approximation with tie and continuity correction.
    Mannwhitney,
    /// 0/1 answers per group: Wilson intervals, two-proportion z-test, chi-square.
    Proportions,
    /// One-way ANOVA (`--welch` for Welch's ANOVA) (streams).
    Anova,
    /// Tukey HSD pairwise comparisons (streams).
    Tukey,
    /// Games-Howell pairwise comparisons (unequal variances) (streams).
    GamesHowell,
    /// Kruskal-Wallis H test.
    Kruskal,
    /// Levene's test of equal variances (median-centered by default).
    Levene,
    /// Shapiro-Wilk normality test, per group.
    Shapiro,
    /// Two-way ANOVA with interaction: `--factor A --factor B`.
    Anova2,
    /// Two groups' 0/1 outcomes on the same questions (`--pair COL`): McNemar's test,
    /// Newcombe's interval on the accuracy difference, the detectable difference.
    Mcnemar,
    /// Two groups paired by `--pair COL`: seeded bootstrap over the pairs of the mean
    /// difference or ratio of means, its interval and p-value.
    PairedBootstrap,
}

impl Test {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Test::Describe => "describe",
            Test::Ttest => "ttest",
            Test::Mannwhitney => "mannwhitney",
            Test::Proportions => "proportions",
            Test::Anova => "anova",
            Test::Tukey => "tukey",
            Test::GamesHowell => "games-howell",
            Test::Kruskal => "kruskal",
            Test::Levene => "levene",
            Test::Shapiro => "shapiro",
            Test::Anova2 => "anova2",
            Test::Mcnemar => "mcnemar",
            Test::PairedBootstrap => "paired-bootstrap",
        }
    }
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// The test to run.
    #[arg(value_enum)]
    pub test: Test,
    /// CSV file with a header line, or a Parquet file (by its `.parquet` name or its
    /// `PAR1` start; the group column text or integer, the value column any number type);
    /// `-` reads CSV from standard input.
    pub file: String,
    /// Column of the measured values [default: value; `correct` for proportions and
    /// mcnemar].
    #[arg(long)]
    pub value: Option<String>,
    /// Column naming each observation's group (groups are ordered by first appearance).
    #[arg(long, default_value = "group")]
    pub group: String,
    /// Column pairing observations across the two groups (paired t-test, mcnemar,
    /// paired-bootstrap): a question id, say.
    #[arg(long)]
    pub pair: Option<String>,
    /// Factor column for anova2; give it twice.
    #[arg(long = "factor")]
    pub factors: Vec<String>,
    /// Confidence level of intervals; the test level is 1 - confidence.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// ttest: Student's t-test (equal variances) instead of Welch's.
    #[arg(long)]
    pub equal_var: bool,
    /// ttest: paired t-test; needs --pair.
    #[arg(long)]
    pub paired: bool,
    /// anova: Welch's ANOVA (unequal variances).
    #[arg(long)]
    pub welch: bool,
    /// levene: center deviations on the group median (Brown-Forsythe) or mean.
    #[arg(long, default_value = "median", value_parser = ["median", "mean"])]
    pub center: String,
    /// mcnemar: the version of the test.
    #[arg(long, default_value = "mid-p", value_parser = ["mid-p", "exact", "chi-square", "corrected", "auto"])]
    pub method: String,
    /// paired-bootstrap: what to estimate, the second group against the first.
    #[arg(long, default_value = "mean-difference", value_parser = ["mean-difference", "ratio-of-means"])]
    pub statistic: String,
    /// paired-bootstrap: resamples of the pairs (at least 100).
    #[arg(long, default_value_t = 10_000)]
    pub resamples: usize,
    /// paired-bootstrap: seed of the resampling; the same seed gives the same result.
    #[arg(long, default_value_t = ipw_bench::DEFAULT_SEED)]
    pub seed: u64,
    /// Output format.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

fn selection(args: &StatsArgs) -> Result<Selection, StatsCmdError> {
    let value = args.value.clone().unwrap_or_else(|| {
        if matches!(args.test, Test::Proportions | Test::Mcnemar) {
            "correct".into()
        } else {
            "value".into()
        }
    });
    let mut labels = Vec::new();
    match args.test {
        Test::Anova2 => {
            if args.factors.len() != 2 {
                return Err(StatsCmdError::Input(format!(
                    "anova2 needs two factor columns, got {}: pass --factor A --factor B",
                    args.factors.len()
                )));
            }
            for f in &args.factors {
                labels.push((f.clone(), "--factor"));
            }
        }
        Test::Ttest => {
            if let Some(p) = &args.pair {
                labels.push((p.clone(), "--pair"));
            } else if args.paired {
                return Err(StatsCmdError::Input(
                    "--paired needs --pair COL: the column that says which observations belong together".into(),
                ));
            }
            if args.paired && args.equal_var {
                return Err(StatsCmdError::Input(
                    "--paired and --equal-var exclude each other: pick one".into(),
                ));
            }
        }
        Test::Mcnemar | Test::PairedBootstrap => match &args.pair {
            Some(p) => labels.push((p.clone(), "--pair")),
            None => {
                return Err(StatsCmdError::Input(format!(
                    "{} needs --pair COL: the column that says which question each row answers",
                    args.test.name()
                )))
            }
        },
        _ => {}
    }
    let group = match args.test {
        // anova2 groups by its factors; the group column is not needed.
        Test::Anova2 => None,
        _ => Some(args.group.clone()),
    };
    Ok(Selection {
        value,
        value_flag: "--value",
        group,
        labels,
        binary: args.test == Test::Mcnemar,
    })
}

/// Runs `cargo ipw stats`; bad input is an error (exit code 2 at the top).
pub fn run(args: &StatsArgs) -> anyhow::Result<i32> {
    if !(args.confidence > 0.0 && args.confidence < 1.0) {
        return Err(StatsCmdError::Input(format!(
            "--confidence must be between 0 and 1 (e.g. 0.95), got {}",
            args.confidence
        ))
        .into());
    }
    if args.test == Test::PairedBootstrap && args.resamples < MIN_RESAMPLES {
        return Err(StatsCmdError::Input(format!(
            "--resamples must be at least {MIN_RESAMPLES} (the p-value cannot go below \
             1 / resamples), got {}",
            args.resamples
        ))
        .into());
    }
    let sel = selection(args)?;
    let opts = Options {
        confidence: args.confidence,
        equal_var: args.equal_var,
        paired: args.paired || args.pair.is_some(),
        welch: args.welch,
        levene_center: if args.center == "mean" {
            LeveneCenter::Mean
        } else {
            LeveneCenter::Median
        },
        mcnemar: match args.method.as_str() {
            "exact" => McNemarChoice::Exact,
            "chi-square" => McNemarChoice::ChiSquare,
            "corrected" => McNemarChoice::ChiSquareCorrected,
            "auto" => McNemarChoice::Auto,
            _ => McNemarChoice::MidP,
        },
        statistic: if args.statistic == "ratio-of-means" {
            PairedStatistic::RatioOfMeans
        } else {
            PairedStatistic::MeanDifference
        },
        resamples: args.resamples,
        seed: args.seed,
    };
    let input = if args.file == "-" {
        Input::Stdin
    } else {
        Input::File(&args.file)
    };
    let outcome = if streams(args.test, &opts, input) {
        compute_streaming(args.test, input, &sel, &opts)?
    } else {
        let table = input.read_table(&sel)?;
        compute::compute(args.test, &table, &opts)?
    };
    let out = if args.format == "json" {
        format!(
            "{}\n",
            json::render(args.test.name(), args.confidence, &outcome)
        )
    } else {
        text::render(args.confidence, &outcome)
    };
    print(&out)?;
    Ok(0)
}

//! The words of comparisons: the tests they run, the corrections they apply and the
//! verdicts they reach, each with the name results.json gives it.
//!
//! Every enum here reads and writes as its name (`"welch-t"`, `"no-difference"`), so
//! results files stay as they were when these were strings; a name this version does not
//! know is an error that lists the known ones.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Enums whose values are written as fixed names: `ALL`, `as_str`, `from_name`,
/// `Display` and serde, all from the one list of names.
macro_rules! named_enums {
    ($(
        $(#[$doc:meta])*
        pub enum $name:ident {
            $($(#[$variant_doc:meta])* $variant:ident = $text:literal,)+
        }
    )+) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$variant_doc])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name results.json and every output use.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value a name stands for.
            pub fn from_name(name: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let name = String::deserialize(d)?;
                $name::from_name(&name)
                    .ok_or_else(|| de::Error::unknown_variant(&name, &[$($text),+]))
            }
        }
    )+};
}

named_enums! {
    /// A statistical test of a comparison (`TestResult::test`).
    pub enum Test {
        /// Welch's t-test (unequal variances, Welch-Satterthwaite degrees of freedom).
        WelchT = "welch-t",
        /// Not chosen by this version; files may name it.
        StudentT = "student-t",
        /// Fisher's one-way ANOVA F test (equal variances assumed).
        Anova = "anova",
        /// Welch's one-way ANOVA F test (unequal variances).
        WelchAnova = "welch-anova",
        /// Tukey-Kramer's studentized range test of each pair (after an ANOVA).
        Tukey = "tukey",
        /// The Games-Howell test of each pair (after Welch's ANOVA).
        GamesHowell = "games-howell",
        /// The Kruskal-Wallis H test on ranks (three or more variants).
        KruskalWallis = "kruskal-wallis",
        /// The Mann-Whitney U test on ranks (two variants).
        MannWhitney = "mann-whitney",
        /// Levene's test of equal variances, centred on the median (Brown-Forsythe).
        Levene = "levene",
        /// The Shapiro-Wilk test of normality of one variant's values.
        ShapiroWilk = "shapiro-wilk",
        /// The two-proportion z-test of accuracy (pooled standard error).
        TwoProportionZ = "two-proportion-z",
        /// Pearson's chi-square test of independence of variant and right/wrong.
        ChiSquare = "chi-square",
        /// The seeded bootstrap of a ratio of sums (joules per correct answer).
        BootstrapRatio = "bootstrap-ratio",
        /// McNemar's exact binomial test on the discordant questions.
        McnemarExact = "mcnemar-exact",
        /// McNemar's mid-p binomial test on the discordant questions (what `compare` runs).
        McnemarMidP = "mcnemar-mid-p",
        /// McNemar's chi-square test on the discordant questions, uncorrected.
        McnemarChiSquare = "mcnemar-chi-square",
        /// Cochran's Q: McNemar for three or more variants on the same questions.
        CochranQ = "cochran-q",
        /// The seeded bootstrap over shared questions, both variants on the same draws.
        PairedBootstrap = "paired-bootstrap",
        /// The paired bootstrap over shared questions of a ratio of sums.
        PairedBootstrapRatio = "paired-bootstrap-ratio",
    }

    /// How the p-values of a comparison's pairs are corrected for their number: the
    /// post-hoc procedure, or Holm's step-down, or nothing (a single pair).
    pub enum Correction {
        /// Tukey-Kramer's studentized range, after an ANOVA.
        Tukey = "tukey",
        /// Games-Howell's studentized range, after Welch's ANOVA.
        GamesHowell = "games-howell",
        /// Holm's step-down adjustment across the pairs.
        Holm = "holm",
        /// No correction: a single pair.
        None = "none",
    }

    /// Two variants compared on a metric: `b` against `a`.
    pub enum PairVerdict {
        /// `b` is lower: significant, and the ratio's whole interval lies below `1 - noise`.
        Lower = "lower",
        /// `b` is higher: significant, and the ratio's whole interval lies above `1 + noise`.
        Higher = "higher",
        /// Not significant, or the ratio's interval reaches into the noise band.
        NoDifference = "no-difference",
    }

    /// Accuracy across the variants of a group.
    pub enum AccuracyVerdict {
        /// The test's p-value (adjusted, for a pair) is below alpha 0.05.
        Differs = "differs",
        /// The test's p-value (adjusted, for a pair) is 0.05 or more.
        Unchanged = "unchanged",
    }

    /// A metric of a case against a saved baseline.
    pub enum BaselineVerdict {
        /// Significant, and the whole interval lies beyond the noise band on the better side.
        Improved = "improved",
        /// Significant, and the whole interval lies beyond the noise band on the worse side.
        Regressed = "regressed",
        /// Not significant at alpha 0.05.
        NoChange = "no-change",
        /// Significant, but the interval reaches into the noise band.
        WithinNoise = "within-noise",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + PartialEq + fmt::Debug + fmt::Display + Serialize + for<'de> Deserialize<'de>,
    {
        let mut names: Vec<String> = all.iter().map(T::to_string).collect();
        for v in all {
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(json, format!("\"{v}\""));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *v);
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len(), "names are unique");
    }

    #[test]
    fn every_name_reads_back() {
        round_trips(Test::ALL);
        round_trips(Correction::ALL);
        round_trips(PairVerdict::ALL);
        round_trips(AccuracyVerdict::ALL);
        round_trips(BaselineVerdict::ALL);
        assert_eq!(
            Test::from_name("two-proportion-z"),
            Some(Test::TwoProportionZ)
        );
        assert_eq!(Correction::None.as_str(), "none");
    }

    #[test]
    fn an_unknown_name_says_what_is_known() {
        let err = serde_json::from_str::<PairVerdict>("\"worse\"").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("worse") && text.contains("no-difference"),
            "{text}"
        );
    }
}

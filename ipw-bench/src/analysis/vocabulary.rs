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
        WelchT = "welch-t",
        /// Not chosen by this version; files may name it.
        StudentT = "student-t",
        Anova = "anova",
        WelchAnova = "welch-anova",
        Tukey = "tukey",
        GamesHowell = "games-howell",
        KruskalWallis = "kruskal-wallis",
        MannWhitney = "mann-whitney",
        Levene = "levene",
        ShapiroWilk = "shapiro-wilk",
        TwoProportionZ = "two-proportion-z",
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
        Tukey = "tukey",
        GamesHowell = "games-howell",
        Holm = "holm",
        None = "none",
    }

    /// Two variants compared on a metric: `b` against `a`.
    pub enum PairVerdict {
        Lower = "lower",
        Higher = "higher",
        NoDifference = "no-difference",
    }

    /// Accuracy across the variants of a group.
    pub enum AccuracyVerdict {
        Differs = "differs",
        Unchanged = "unchanged",
    }

    /// A metric of a case against a saved baseline.
    pub enum BaselineVerdict {
        Improved = "improved",
        Regressed = "regressed",
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

//! The metrics: each one's results.json key, unit, better direction, and the names it
//! goes by on the terminal, in verdict lines and on report pages.
//!
//! results.json keeps estimates in a map keyed by [`Metric::key`] (plus per-domain keys,
//! [`Metric::domain_key`]), and readers meet keys this version does not know, so code that
//! walks such a map converts at the boundary ([`Metric::from_key`], [`Metric::label_of_key`]).

/// Which direction of a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Smaller values are better (time, energy, joules per correct answer).
    Lower,
    /// Larger values are better (accuracy, IPW, throughput).
    Higher,
}

/// A metric of a case, as `cases[].estimates`, comparisons and baselines name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// `time_per_iter_s`.
    TimePerIter,
    /// `energy_per_iter_j` (gross).
    EnergyPerIter,
    /// `energy_per_iter_net_j`: net of idle power.
    EnergyPerIterNet,
    /// `mean_power_w`.
    MeanPower,
    /// `accuracy`.
    Accuracy,
    /// `joules_per_correct`.
    JoulesPerCorrect,
    /// `joules_per_query`.
    JoulesPerQuery,
    /// `ipw`: intelligence per watt.
    Ipw,
    /// `ipj`: intelligence per joule.
    Ipj,
    /// `queries_per_s`.
    QueriesPerSecond,
    /// `bytes_per_s`: throughput of a case with `Throughput::Bytes`.
    BytesPerSecond,
    /// `bytes_per_j`: bytes per joule.
    BytesPerJoule,
    /// `elements_per_s`: throughput of a case with `Throughput::Elements`.
    ElementsPerSecond,
    /// `elements_per_j`: elements per joule.
    ElementsPerJoule,
    /// `co2e_per_iter_g`.
    Co2ePerIter,
    /// `co2e_per_correct_g`.
    Co2ePerCorrect,
    /// `accuracy_fixed_set`: for this one question set, over repeated measurements.
    AccuracyFixedSet,
    /// `joules_per_correct_fixed_set`.
    JoulesPerCorrectFixedSet,
    /// `joules_per_query_fixed_set`.
    JoulesPerQueryFixedSet,
    /// `ipw_fixed_set`.
    IpwFixedSet,
    /// `ipj_fixed_set`.
    IpjFixedSet,
    /// `latency_p50_s`: the median over questions of each question's mean latency.
    LatencyP50,
    /// `latency_p90_s`.
    LatencyP90,
    /// `latency_p99_s`.
    LatencyP99,
}

/// One metric's row of the vocabulary.
struct Info {
    key: &'static str,
    /// As `Estimate::unit` has it.
    unit: &'static str,
    better: Better,
    /// Computed from sensor energy, so it carries the sources' provenance; time, accuracy
    /// and throughput are always measured.
    from_energy: bool,
    /// The unit an engineering prefix goes before on the terminal (`mJ`, `µs`, `mg`);
    /// `None` for fractions and reciprocal units, shown as bare numbers.
    si_unit: Option<&'static str>,
    /// Its name on report pages; `None`: pages show the key with spaces.
    label: Option<&'static str>,
    /// Its column heading on the index and in report.md; `None`: not a column.
    heading: Option<&'static str>,
    /// Its row label in a case's terminal block; `None`: not shown there.
    terminal: Option<&'static str>,
    /// How verdict lines say "more" or "fewer" of it; `None`: `value`.
    words: Option<&'static str>,
}

/// A throughput rate: higher is better, shown as a bare number.
const fn rate(
    key: &'static str,
    unit: &'static str,
    from_energy: bool,
    label: &'static str,
    terminal: &'static str,
) -> Info {
    let (better, si_unit, heading, words) = (Better::Higher, None, None, None);
    let (label, terminal) = (Some(label), Some(terminal));
    Info {
        key,
        unit,
        better,
        from_energy,
        si_unit,
        label,
        heading,
        terminal,
        words,
    }
}

impl Metric {
    /// Every metric, in the order pages and the terminal list them.
    pub const ALL: [Metric; 24] = [
        Metric::TimePerIter,
        Metric::EnergyPerIter,
        Metric::EnergyPerIterNet,
        Metric::MeanPower,
        Metric::Accuracy,
        Metric::JoulesPerCorrect,
        Metric::JoulesPerCorrectFixedSet,
        Metric::JoulesPerQuery,
        Metric::Ipw,
        Metric::Ipj,
        Metric::QueriesPerSecond,
        Metric::BytesPerSecond,
        Metric::BytesPerJoule,
        Metric::ElementsPerSecond,
        Metric::ElementsPerJoule,
        Metric::Co2ePerIter,
        Metric::Co2ePerCorrect,
        Metric::AccuracyFixedSet,
        Metric::JoulesPerQueryFixedSet,
        Metric::IpwFixedSet,
        Metric::IpjFixedSet,
        Metric::LatencyP50,
        Metric::LatencyP90,
        Metric::LatencyP99,
    ];

    const fn info(self) -> Info {
        const LOWER: Better = Better::Lower;
        const HIGHER: Better = Better::Higher;
        match self {
            Metric::TimePerIter => Info {
                key: "time_per_iter_s",
                unit: "s",
                better: LOWER,
                from_energy: false,
                si_unit: Some("s"),
                label: Some("time per iteration"),
                heading: Some("time / iter"),
                terminal: Some("time:"),
                words: Some("time/iter"),
            },
            Metric::EnergyPerIter => Info {
                key: "energy_per_iter_j",
                unit: "J",
                better: LOWER,
                from_energy: true,
                si_unit: Some("J"),
                label: Some("energy per iteration"),
                heading: Some("energy / iter"),
                terminal: Some("energy:"),
                words: Some("J/iter"),
            },
            Metric::EnergyPerIterNet => Info {
                key: "energy_per_iter_net_j",
                unit: "J",
                better: LOWER,
                from_energy: true,
                si_unit: Some("J"),
                label: Some("energy per iteration, net of idle"),
                heading: None,
                terminal: None,
                words: None,
            },
            Metric::MeanPower => Info {
                key: "mean_power_w",
                unit: "W",
                better: LOWER,
                from_energy: true,
                si_unit: Some("W"),
                label: Some("mean power"),
                heading: Some("mean power"),
                terminal: Some("power:"),
                words: None,
            },
            Metric::Accuracy => Info {
                key: "accuracy",
                unit: "fraction",
                better: HIGHER,
                from_energy: false,
                si_unit: None,
                label: Some("accuracy"),
                heading: Some("accuracy"),
                terminal: Some("accuracy:"),
                words: None,
            },
            Metric::JoulesPerCorrect => Info {
                key: "joules_per_correct",
                unit: "J",
                better: LOWER,
                from_energy: true,
                si_unit: Some("J"),
                label: Some("joules per correct answer"),
                heading: Some("J / correct"),
                terminal: Some("J/correct:"),
                words: Some("J/correct"),
            },
            Metric::JoulesPerQuery => Info {
                key: "joules_per_query",
                unit: "J",
                better: LOWER,
                from_energy: true,
                si_unit: Some("J"),
                label: Some("joules per query"),
                heading: None,
                terminal: None,
                words: None,
            },
            Metric::Ipw => Info {
                key: "ipw",
                unit: "1/W",
                better: HIGHER,
                from_energy: true,
                si_unit: None,
                label: Some("intelligence per watt (IPW)"),
                heading: Some("IPW"),
                terminal: Some("IPW:"),
                words: None,
            },
            Metric::Ipj => Info {
                key: "ipj",
                unit: "1/J",
                better: HIGHER,
                from_energy: true,
                si_unit: None,
                label: Some("intelligence per joule (IPJ)"),
                heading: None,
                terminal: Some("IPJ:"),
                words: Some("IPJ"),
            },
            Metric::QueriesPerSecond => Info {
                key: "queries_per_s",
                unit: "1/s",
                better: HIGHER,
                from_energy: false,
                si_unit: None,
                label: Some("queries per second"),
                heading: None,
                terminal: Some("queries/s:"),
                words: None,
            },
            Metric::BytesPerSecond => {
                rate("bytes_per_s", "B/s", false, "bytes per second", "bytes/s:")
            }
            Metric::BytesPerJoule => {
                rate("bytes_per_j", "B/J", true, "bytes per joule", "bytes/J:")
            }
            Metric::ElementsPerSecond => rate(
                "elements_per_s",
                "1/s",
                false,
                "elements per second",
                "elems/s:",
            ),
            Metric::ElementsPerJoule => rate(
                "elements_per_j",
                "1/J",
                true,
                "elements per joule",
                "elems/J:",
            ),
            Metric::Co2ePerIter => Info {
                key: "co2e_per_iter_g",
                unit: "gCO2e",
                better: LOWER,
                from_energy: true,
                si_unit: Some("g"),
                label: None,
                heading: None,
                terminal: Some("CO2e:"),
                words: None,
            },
            Metric::Co2ePerCorrect => Info {
                key: "co2e_per_correct_g",
                unit: "gCO2e",
                better: LOWER,
                from_energy: true,
                si_unit: Some("g"),
                label: None,
                heading: None,
                terminal: None,
                words: None,
            },
            Metric::AccuracyFixedSet => Info {
                key: "accuracy_fixed_set",
                unit: "fraction",
                better: HIGHER,
                from_energy: false,
                si_unit: None,
                label: Some("accuracy, this question set"),
                heading: None,
                terminal: None,
                words: None,
            },
            Metric::JoulesPerCorrectFixedSet => Info {
                key: "joules_per_correct_fixed_set",
                unit: "J",
                better: LOWER,
                from_energy: true,
                si_unit: Some("J"),
                label: Some("joules per correct answer, this question set"),
                heading: None,
                terminal: Some(" same set:"),
                words: None,
            },
            Metric::JoulesPerQueryFixedSet => Info {
                key: "joules_per_query_fixed_set",
                unit: "J",
                better: LOWER,
                from_energy: true,
                si_unit: Some("J"),
                label: Some("joules per query, this question set"),
                heading: None,
                terminal: None,
                words: None,
            },
            Metric::IpwFixedSet => Info {
                key: "ipw_fixed_set",
                unit: "1/W",
                better: HIGHER,
                from_energy: true,
                si_unit: None,
                label: Some("IPW, this question set"),
                heading: None,
                terminal: None,
                words: None,
            },
            Metric::IpjFixedSet => Info {
                key: "ipj_fixed_set",
                unit: "1/J",
                better: HIGHER,
                from_energy: true,
                si_unit: None,
                label: Some("IPJ, this question set"),
                heading: None,
                terminal: None,
                words: None,
            },
            Metric::LatencyP50 => Info {
                key: "latency_p50_s",
                unit: "s",
                better: LOWER,
                from_energy: false,
                si_unit: Some("s"),
                label: Some("median latency per question"),
                heading: None,
                terminal: None,
                words: None,
            },
            Metric::LatencyP90 => Info {
                key: "latency_p90_s",
                unit: "s",
                better: LOWER,
                from_energy: false,
                si_unit: Some("s"),
                label: Some("90th percentile latency per question"),
                heading: None,
                terminal: None,
                words: None,
            },
            Metric::LatencyP99 => Info {
                key: "latency_p99_s",
                unit: "s",
                better: LOWER,
                from_energy: false,
                si_unit: Some("s"),
                label: Some("99th percentile latency per question"),
                heading: None,
                terminal: None,
                words: None,
            },
        }
    }

    /// The name in results.json: `energy_per_iter_j`.
    pub const fn key(self) -> &'static str {
        self.info().key
    }

    /// The metric a results.json key names; `None` for per-domain keys and for keys this
    /// version does not know.
    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }

    /// The key of this metric's breakdown for one energy domain:
    /// `energy_per_iter_j@dram`.
    pub fn domain_key(self, domain: &str) -> String {
        format!("{}@{domain}", self.key())
    }

    /// The unit of its estimates: `s`, `J`, `W`, `fraction`, `1/W`, `1/J`, `1/s`, `gCO2e`.
    pub const fn unit(self) -> &'static str {
        self.info().unit
    }

    /// Which direction of it is better.
    pub const fn better(self) -> Better {
        self.info().better
    }

    /// Whether it is computed from sensor energy (and so carries the sources' provenance).
    pub const fn from_energy(self) -> bool {
        self.info().from_energy
    }

    /// The unit an engineering prefix goes before on the terminal; `None` for a bare
    /// number.
    pub const fn si_unit(self) -> Option<&'static str> {
        self.info().si_unit
    }

    /// Its name on report pages: `energy per iteration`; the key with spaces for the
    /// metrics that have no name of their own (`co2e per iter g`).
    pub fn label(self) -> String {
        match self.info().label {
            Some(label) => label.to_string(),
            None => self.key().replace('_', " "),
        }
    }

    /// The page name of any estimate key, known or not: the metric's [`label`](Self::label),
    /// else the key with spaces (`energy per iter j@dram`).
    pub fn label_of_key(key: &str) -> String {
        match Metric::from_key(key) {
            Some(m) => m.label(),
            None => key.replace('_', " "),
        }
    }

    /// Where a metric sorts on a page: the metrics pages name first, in [`Metric::ALL`]
    /// order; the others after them, tied (pages then sort those by key).
    pub fn rank(self) -> usize {
        Metric::named()
            .position(|m| m == self)
            .unwrap_or_else(Metric::unnamed_rank)
    }

    /// [`rank`](Self::rank) of any estimate key; unknown and per-domain keys sort with the
    /// unnamed metrics.
    pub fn rank_of_key(key: &str) -> usize {
        Metric::from_key(key).map_or_else(Metric::unnamed_rank, Metric::rank)
    }

    fn named() -> impl Iterator<Item = Metric> {
        Metric::ALL.into_iter().filter(|m| m.info().label.is_some())
    }

    fn unnamed_rank() -> usize {
        Metric::named().count()
    }

    /// The metrics that are columns of the index and of report.md, in order, with their
    /// headings (`energy / iter`).
    pub fn index_columns() -> impl Iterator<Item = (Metric, &'static str)> {
        Metric::ALL
            .into_iter()
            .filter_map(|m| Some((m, m.info().heading?)))
    }

    /// Its row label in a case's terminal block (`energy:`), for the metrics shown there.
    pub const fn terminal_label(self) -> Option<&'static str> {
        self.info().terminal
    }

    /// How verdict lines name it: `12.0% fewer J/iter`.
    pub const fn words(self) -> &'static str {
        match self.info().words {
            Some(w) => w,
            None => "value",
        }
    }
}

#[path = "metric_serde.rs"]
mod serde_impls;

#[cfg(test)]
#[path = "metric_tests.rs"]
mod tests;

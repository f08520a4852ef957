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

mod table;

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
        match self {
            Metric::TimePerIter => table::TIME_PER_ITER,
            Metric::EnergyPerIter => table::ENERGY_PER_ITER,
            Metric::EnergyPerIterNet => table::ENERGY_PER_ITER_NET,
            Metric::MeanPower => table::MEAN_POWER,
            Metric::Accuracy => table::ACCURACY,
            Metric::JoulesPerCorrect => table::JOULES_PER_CORRECT,
            Metric::JoulesPerQuery => table::JOULES_PER_QUERY,
            Metric::Ipw => table::IPW,
            Metric::Ipj => table::IPJ,
            Metric::QueriesPerSecond => table::QUERIES_PER_SECOND,
            Metric::BytesPerSecond => table::BYTES_PER_SECOND,
            Metric::BytesPerJoule => table::BYTES_PER_JOULE,
            Metric::ElementsPerSecond => table::ELEMENTS_PER_SECOND,
            Metric::ElementsPerJoule => table::ELEMENTS_PER_JOULE,
            Metric::Co2ePerIter => table::CO2E_PER_ITER,
            Metric::Co2ePerCorrect => table::CO2E_PER_CORRECT,
            Metric::AccuracyFixedSet => table::ACCURACY_FIXED_SET,
            Metric::JoulesPerCorrectFixedSet => table::JOULES_PER_CORRECT_FIXED_SET,
            Metric::JoulesPerQueryFixedSet => table::JOULES_PER_QUERY_FIXED_SET,
            Metric::IpwFixedSet => table::IPW_FIXED_SET,
            Metric::IpjFixedSet => table::IPJ_FIXED_SET,
            Metric::LatencyP50 => table::LATENCY_P50,
            Metric::LatencyP90 => table::LATENCY_P90,
            Metric::LatencyP99 => table::LATENCY_P99,
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

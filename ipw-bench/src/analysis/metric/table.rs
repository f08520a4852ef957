//! The vocabulary's table: each metric's key, unit, direction and names ([`Info`]).

use super::{rate, Better, Info};

const LOWER: Better = Better::Lower;
const HIGHER: Better = Better::Higher;

pub(super) const TIME_PER_ITER: Info = Info {
    key: "time_per_iter_s",
    unit: "s",
    better: LOWER,
    from_energy: false,
    si_unit: Some("s"),
    label: Some("time per iteration"),
    heading: Some("time / iter"),
    terminal: Some("time:"),
    words: Some("time/iter"),
};

pub(super) const ENERGY_PER_ITER: Info = Info {
    key: "energy_per_iter_j",
    unit: "J",
    better: LOWER,
    from_energy: true,
    si_unit: Some("J"),
    label: Some("energy per iteration"),
    heading: Some("energy / iter"),
    terminal: Some("energy:"),
    words: Some("J/iter"),
};

pub(super) const ENERGY_PER_ITER_NET: Info = Info {
    key: "energy_per_iter_net_j",
    unit: "J",
    better: LOWER,
    from_energy: true,
    si_unit: Some("J"),
    label: Some("energy per iteration, net of idle"),
    heading: None,
    terminal: None,
    words: None,
};

pub(super) const MEAN_POWER: Info = Info {
    key: "mean_power_w",
    unit: "W",
    better: LOWER,
    from_energy: true,
    si_unit: Some("W"),
    label: Some("mean power"),
    heading: Some("mean power"),
    terminal: Some("power:"),
    words: None,
};

pub(super) const ACCURACY: Info = Info {
    key: "accuracy",
    unit: "fraction",
    better: HIGHER,
    from_energy: false,
    si_unit: None,
    label: Some("accuracy"),
    heading: Some("accuracy"),
    terminal: Some("accuracy:"),
    words: None,
};

pub(super) const JOULES_PER_CORRECT: Info = Info {
    key: "joules_per_correct",
    unit: "J",
    better: LOWER,
    from_energy: true,
    si_unit: Some("J"),
    label: Some("joules per correct answer"),
    heading: Some("J / correct"),
    terminal: Some("J/correct:"),
    words: Some("J/correct"),
};

pub(super) const JOULES_PER_QUERY: Info = Info {
    key: "joules_per_query",
    unit: "J",
    better: LOWER,
    from_energy: true,
    si_unit: Some("J"),
    label: Some("joules per query"),
    heading: None,
    terminal: None,
    words: None,
};

pub(super) const IPW: Info = Info {
    key: "ipw",
    unit: "1/W",
    better: HIGHER,
    from_energy: true,
    si_unit: None,
    label: Some("intelligence per watt (IPW)"),
    heading: Some("IPW"),
    terminal: Some("IPW:"),
    words: None,
};

pub(super) const IPJ: Info = Info {
    key: "ipj",
    unit: "1/J",
    better: HIGHER,
    from_energy: true,
    si_unit: None,
    label: Some("intelligence per joule (IPJ)"),
    heading: None,
    terminal: Some("IPJ:"),
    words: Some("IPJ"),
};

pub(super) const QUERIES_PER_SECOND: Info = Info {
    key: "queries_per_s",
    unit: "1/s",
    better: HIGHER,
    from_energy: false,
    si_unit: None,
    label: Some("queries per second"),
    heading: None,
    terminal: Some("queries/s:"),
    words: None,
};

pub(super) const BYTES_PER_SECOND: Info =
    rate("bytes_per_s", "B/s", false, "bytes per second", "bytes/s:");

pub(super) const BYTES_PER_JOULE: Info =
    rate("bytes_per_j", "B/J", true, "bytes per joule", "bytes/J:");

pub(super) const ELEMENTS_PER_SECOND: Info = rate(
    "elements_per_s",
    "1/s",
    false,
    "elements per second",
    "elems/s:",
);

pub(super) const ELEMENTS_PER_JOULE: Info = rate(
    "elements_per_j",
    "1/J",
    true,
    "elements per joule",
    "elems/J:",
);

pub(super) const CO2E_PER_ITER: Info = Info {
    key: "co2e_per_iter_g",
    unit: "gCO2e",
    better: LOWER,
    from_energy: true,
    si_unit: Some("g"),
    label: None,
    heading: None,
    terminal: Some("CO2e:"),
    words: None,
};

pub(super) const CO2E_PER_CORRECT: Info = Info {
    key: "co2e_per_correct_g",
    unit: "gCO2e",
    better: LOWER,
    from_energy: true,
    si_unit: Some("g"),
    label: None,
    heading: None,
    terminal: None,
    words: None,
};

pub(super) const ACCURACY_FIXED_SET: Info = Info {
    key: "accuracy_fixed_set",
    unit: "fraction",
    better: HIGHER,
    from_energy: false,
    si_unit: None,
    label: Some("accuracy, this question set"),
    heading: None,
    terminal: None,
    words: None,
};

pub(super) const JOULES_PER_CORRECT_FIXED_SET: Info = Info {
    key: "joules_per_correct_fixed_set",
    unit: "J",
    better: LOWER,
    from_energy: true,
    si_unit: Some("J"),
    label: Some("joules per correct answer, this question set"),
    heading: None,
    terminal: Some(" same set:"),
    words: None,
};

pub(super) const JOULES_PER_QUERY_FIXED_SET: Info = Info {
    key: "joules_per_query_fixed_set",
    unit: "J",
    better: LOWER,
    from_energy: true,
    si_unit: Some("J"),
    label: Some("joules per query, this question set"),
    heading: None,
    terminal: None,
    words: None,
};

pub(super) const IPW_FIXED_SET: Info = Info {
    key: "ipw_fixed_set",
    unit: "1/W",
    better: HIGHER,
    from_energy: true,
    si_unit: None,
    label: Some("IPW, this question set"),
    heading: None,
    terminal: None,
    words: None,
};

pub(super) const IPJ_FIXED_SET: Info = Info {
    key: "ipj_fixed_set",
    unit: "1/J",
    better: HIGHER,
    from_energy: true,
    si_unit: None,
    label: Some("IPJ, this question set"),
    heading: None,
    terminal: None,
    words: None,
};

pub(super) const LATENCY_P50: Info = Info {
    key: "latency_p50_s",
    unit: "s",
    better: LOWER,
    from_energy: false,
    si_unit: Some("s"),
    label: Some("median latency per question"),
    heading: None,
    terminal: None,
    words: None,
};

pub(super) const LATENCY_P90: Info = Info {
    key: "latency_p90_s",
    unit: "s",
    better: LOWER,
    from_energy: false,
    si_unit: Some("s"),
    label: Some("90th percentile latency per question"),
    heading: None,
    terminal: None,
    words: None,
};

pub(super) const LATENCY_P99: Info = Info {
    key: "latency_p99_s",
    unit: "s",
    better: LOWER,
    from_energy: false,
    si_unit: Some("s"),
    label: Some("99th percentile latency per question"),
    heading: None,
    terminal: None,
    words: None,
};

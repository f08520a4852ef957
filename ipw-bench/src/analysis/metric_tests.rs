//! Tests of the metric vocabulary.

use super::*;

#[test]
fn keys_are_unique_and_read_back() {
    for m in Metric::ALL {
        assert_eq!(Metric::from_key(m.key()), Some(m));
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, format!("\"{}\"", m.key()));
        assert_eq!(serde_json::from_str::<Metric>(&json).unwrap(), m);
        assert_eq!(m.to_string(), m.key());
    }
    assert_eq!(Metric::from_key("energy_per_iter_j@dram"), None);
    let err = serde_json::from_str::<Metric>("\"watts\"").unwrap_err();
    assert!(err.to_string().contains("unknown metric `watts`"), "{err}");
}

#[test]
fn domain_keys_and_labels_of_unknown_keys() {
    let dram = Metric::EnergyPerIter.domain_key("dram");
    assert_eq!(dram, "energy_per_iter_j@dram");
    assert_eq!(Metric::label_of_key(&dram), "energy per iter j@dram");
    assert_eq!(Metric::label_of_key("co2e_per_iter_g"), "co2e per iter g");
    assert_eq!(
        Metric::label_of_key("joules_per_correct"),
        "joules per correct answer"
    );
}

#[test]
fn pages_sort_the_named_metrics_first() {
    assert_eq!(Metric::TimePerIter.rank(), 0);
    assert_eq!(Metric::QueriesPerSecond.rank(), 10);
    assert_eq!(Metric::Co2ePerIter.rank(), 22);
    assert_eq!(Metric::Co2ePerCorrect.rank(), 22);
    assert_eq!(Metric::rank_of_key("energy_per_iter_j@dram"), 22);
    let columns: Vec<&str> = Metric::index_columns().map(|(m, _)| m.key()).collect();
    assert_eq!(
        columns,
        [
            "time_per_iter_s",
            "energy_per_iter_j",
            "mean_power_w",
            "accuracy",
            "joules_per_correct",
            "ipw"
        ]
    );
}

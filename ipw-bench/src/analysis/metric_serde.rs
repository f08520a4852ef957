//! A metric is written as its key, in results.json and on the terminal.

use super::Metric;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

impl fmt::Display for Metric {
    /// The key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl Serialize for Metric {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Metric {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Metric, D::Error> {
        let key = String::deserialize(d)?;
        Metric::from_key(&key).ok_or_else(|| {
            let known: Vec<&str> = Metric::ALL.iter().map(|m| m.key()).collect();
            de::Error::custom(format!(
                "unknown metric `{key}`, expected one of {}",
                known.join(", ")
            ))
        })
    }
}

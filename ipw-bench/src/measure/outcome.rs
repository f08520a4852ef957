//! The outcome of one query: correct, incorrect, a score, or unjudged.

/// What a query returned. Unjudged queries are counted but left out of the accuracy
/// denominator (as the IPW harness does with answers whose judging failed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// Full credit (1).
    Correct,
    /// No credit (0).
    Incorrect,
    /// Partial credit in [0, 1].
    Score(f64),
    /// No verdict (judging failed); counted, but left out of accuracy.
    Unjudged,
}

/// A score that is not a credit: outside [0, 1], or NaN.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("a query returned the score {0}, outside [0, 1]")]
pub struct BadScore(pub f64);

impl Outcome {
    /// Credit in [0, 1], or `None` when unjudged. A score outside [0, 1] is an error.
    pub fn credit(self) -> Result<Option<f64>, BadScore> {
        match self {
            Outcome::Correct => Ok(Some(1.0)),
            Outcome::Incorrect => Ok(Some(0.0)),
            Outcome::Unjudged => Ok(None),
            Outcome::Score(s) if (0.0..=1.0).contains(&s) => Ok(Some(s)),
            Outcome::Score(s) => Err(BadScore(s)),
        }
    }
}

impl From<bool> for Outcome {
    fn from(ok: bool) -> Outcome {
        if ok {
            Outcome::Correct
        } else {
            Outcome::Incorrect
        }
    }
}

impl From<f64> for Outcome {
    fn from(score: f64) -> Outcome {
        Outcome::Score(score)
    }
}

impl From<f32> for Outcome {
    fn from(score: f32) -> Outcome {
        Outcome::Score(score as f64)
    }
}

/// `None` is unjudged.
impl From<Option<bool>> for Outcome {
    fn from(o: Option<bool>) -> Outcome {
        o.map_or(Outcome::Unjudged, Outcome::from)
    }
}

/// Running totals of outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// Sum of credit (the number correct, for boolean outcomes).
    pub correct: f64,
    /// Queries with a verdict.
    pub judged: u64,
    pub unjudged: u64,
}

impl Tally {
    pub fn add(&mut self, o: Outcome) -> Result<(), BadScore> {
        match o.credit()? {
            Some(c) => {
                self.correct += c;
                self.judged += 1;
            }
            None => self.unjudged += 1,
        }
        Ok(())
    }

    pub fn incorrect(&self) -> f64 {
        self.judged as f64 - self.correct
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_and_rejects_bad_scores() {
        let mut t = Tally::default();
        t.add(true.into()).unwrap();
        t.add(false.into()).unwrap();
        t.add(0.5.into()).unwrap();
        t.add(None::<bool>.into()).unwrap();
        assert_eq!((t.correct, t.judged, t.unjudged), (1.5, 3, 1));
        assert!(t.add(Outcome::Score(1.5)).is_err());
        assert!(t.add(Outcome::Score(f64::NAN)).is_err());
    }
}

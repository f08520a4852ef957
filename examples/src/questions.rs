//! Short questions with exact answers, and the exact-match grader for them.
//!
//! The bundled set (`data/questions.jsonl`, one JSON object a line with `id`, `prompt`
//! and `answer`) holds 28 arithmetic, counting, factual and word questions, each asking
//! for a one-word or one-number reply, written for this crate.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

const BUNDLED: &str = include_str!("../data/questions.jsonl");

/// One question and its reference answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub answer: String,
}

impl Question {
    /// Whether `response` is this question's answer, by [`is_correct`].
    pub fn grade(&self, response: &str) -> bool {
        is_correct(response, &self.answer)
    }
}

/// Why a question file was refused.
#[derive(Debug, thiserror::Error)]
pub enum QuestionsError {
    #[error("cannot read the question file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}:{line}: not a question ({source}); write one {{\"id\", \"prompt\", \"answer\"}} object per line")]
    Parse {
        origin: String,
        line: usize,
        source: serde_json::Error,
    },
    #[error("{origin}:{line}: the id {id:?} is used twice; give each question its own id")]
    DuplicateId {
        origin: String,
        line: usize,
        id: String,
    },
    #[error("{origin}: no questions; add at least one line")]
    Empty { origin: String },
}

/// The bundled questions.
pub fn bundled() -> Vec<Question> {
    // The file is compiled in and a test parses it, so a failure here is a build defect.
    parse(BUNDLED, "data/questions.jsonl").expect("the bundled questions parse")
}

/// Questions from a JSON Lines file in the bundled format.
pub fn load(path: &Path) -> Result<Vec<Question>, QuestionsError> {
    let text = std::fs::read_to_string(path).map_err(|source| QuestionsError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, &path.display().to_string())
}

/// Questions from JSON Lines text; blank lines are skipped. `origin` names the text in
/// error messages.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Question>, QuestionsError> {
    let mut questions = Vec::new();
    let mut ids = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let q: Question = serde_json::from_str(line).map_err(|source| QuestionsError::Parse {
            origin: origin.to_owned(),
            line: i + 1,
            source,
        })?;
        if !ids.insert(q.id.clone()) {
            return Err(QuestionsError::DuplicateId {
                origin: origin.to_owned(),
                line: i + 1,
                id: q.id,
            });
        }
        questions.push(q);
    }
    if questions.is_empty() {
        return Err(QuestionsError::Empty {
            origin: origin.to_owned(),
        });
    }
    Ok(questions)
}

/// `answer` lower-cased, with surrounding whitespace and trailing `.,!?;:` removed and
/// inner runs of whitespace collapsed to one space.
pub fn normalize(answer: &str) -> String {
    let words: Vec<&str> = answer.split_whitespace().collect();
    words
        .join(" ")
        .trim_end_matches(['.', ',', '!', '?', ';', ':'])
        .trim_end()
        .to_lowercase()
}

/// Exact match after [`normalize`]: "Paris." matches "paris", "The answer is Paris" does
/// not.
pub fn is_correct(response: &str, expected: &str) -> bool {
    normalize(response) == normalize(expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_set_is_well_formed() {
        let qs = bundled();
        assert!((20..=30).contains(&qs.len()), "{} questions", qs.len());
        for q in &qs {
            assert!(!q.prompt.trim().is_empty(), "{}: empty prompt", q.id);
            assert!(!q.answer.trim().is_empty(), "{}: empty answer", q.id);
            assert!(q.grade(&q.answer), "{}: its own answer fails", q.id);
            assert_eq!(
                q.answer.split_whitespace().count(),
                1,
                "{}: long answer",
                q.id
            );
        }
    }

    #[test]
    fn arithmetic_answers_are_right() {
        // The arithmetic is checked here rather than trusted to the file.
        let expected = [
            ("arith-01", 7 * 8),
            ("arith-02", 144 / 12),
            ("arith-03", 23 + 58),
            ("arith-04", 1000 - 387),
            ("arith-05", 15 * 15),
            ("arith-06", 1 << 10),
            ("arith-07", 17 * 6),
            ("arith-08", 100 % 7),
            ("arith-09", 9 + 10 * 3),
            ("arith-10", 13),
            ("count-03", 3 * 60),
            ("logic-02", 16 * 2),
        ];
        let qs = bundled();
        for (id, value) in expected {
            let q = qs.iter().find(|q| q.id == id).expect("question present");
            assert!(q.grade(&value.to_string()), "{id}: {} != {value}", q.answer);
        }
    }

    #[test]
    fn grader_forgives_case_space_and_trailing_punctuation_only() {
        assert!(is_correct("  Paris. ", "paris"));
        assert!(is_correct("PARIS!", "Paris"));
        assert!(is_correct("56", "56"));
        assert!(is_correct("New   York?!", "new york"));
        assert!(is_correct("56 .", "56"));
        assert!(!is_correct("The answer is 56", "56"));
        assert!(!is_correct("5 6", "56"));
        assert!(!is_correct("560", "56"));
        assert!(!is_correct("", "56"));
        assert!(!is_correct(".56", "56"));
    }

    #[test]
    fn bad_files_are_refused_with_the_line() {
        let err = parse(
            "{\"id\":\"a\",\"prompt\":\"p\",\"answer\":\"x\"}\nnot json\n",
            "f",
        )
        .expect_err("line 2 is not json");
        assert!(
            matches!(err, QuestionsError::Parse { line: 2, .. }),
            "{err}"
        );
        let dup = "{\"id\":\"a\",\"prompt\":\"p\",\"answer\":\"x\"}\n\n{\"id\":\"a\",\"prompt\":\"q\",\"answer\":\"y\"}";
        let err = parse(dup, "f").expect_err("duplicate id");
        assert!(
            matches!(err, QuestionsError::DuplicateId { line: 3, .. }),
            "{err}"
        );
        assert!(matches!(
            parse("\n \n", "f"),
            Err(QuestionsError::Empty { .. })
        ));
        let missing = load(Path::new("/nonexistent/questions.jsonl")).expect_err("no file");
        assert!(missing.to_string().contains("/nonexistent/questions.jsonl"));
    }
}

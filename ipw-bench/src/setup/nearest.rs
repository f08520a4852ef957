//! Nearest names by edit distance, for "did you mean" in messages about a mistyped flag,
//! variable or filter.

/// Levenshtein distance between `a` and `b`, in characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// The fewest edits that turn `pattern` into some substring of `text`: 0 when `text`
/// contains `pattern`, as a filter matches an id.
pub(crate) fn substring_distance(pattern: &str, text: &str) -> usize {
    let text: Vec<char> = text.chars().collect();
    // A match may start anywhere in `text`: the first row is all zeros.
    let mut row = vec![0usize; text.len() + 1];
    for (i, cp) in pattern.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &ct) in text.iter().enumerate() {
            let substitute = diagonal + usize::from(cp != ct);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row.into_iter().min().unwrap_or(0)
}

/// The known name nearest to `given`, if it is near enough to be a slip rather than
/// another word: at most a third of its characters (and at least two) differ.
pub(crate) fn did_you_mean<'a>(
    given: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (given.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (edit_distance(given, k), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("IPW_SAMPLESIZE", "IPW_SAMPLE_SIZE"), 1);
        assert_eq!(edit_distance("é", "e"), 1);
    }

    #[test]
    fn substring_distance_is_zero_for_a_contained_pattern() {
        assert_eq!(substring_distance("sort", "quickstart/sort/1000"), 0);
        assert_eq!(substring_distance("sortt", "quickstart/sort/1000"), 1);
        assert_eq!(substring_distance("srot", "sort/10"), 2);
        assert_eq!(substring_distance("xyz", "ab"), 3);
        assert_eq!(substring_distance("", "ab"), 0);
    }

    #[test]
    fn suggestions_only_for_slips() {
        let known = ["IPW_SAMPLE_SIZE", "IPW_SEED", "IPW_SENSORS"];
        assert_eq!(
            did_you_mean("IPW_SAMPLESIZE", known),
            Some("IPW_SAMPLE_SIZE")
        );
        assert_eq!(did_you_mean("IPW_SENSOR", known), Some("IPW_SENSORS"));
        assert_eq!(did_you_mean("IPW_COLOUR_OF_THE_SKY", known), None);
    }
}

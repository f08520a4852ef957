//! The UCI handwritten digits (1797 8x8 images, 10 classes), scaled and split.
//!
//! The images come from `smartcore`'s bundled copy, so no download is needed. Pixels are
//! integers 0..=16 in the source; they are divided by 16 so every feature lies in [0, 1].
//! The split is stratified (each class keeps its share in both halves) and seeded, so a
//! seed gives the same split on every machine.

use ipw_bench::stats::Rng;

/// Pixels per image (8 x 8).
pub const N_FEATURES: usize = 64;
/// Digits 0 to 9.
pub const N_CLASSES: usize = 10;
/// Images in the data set.
pub const N_SAMPLES: usize = 1797;
/// The seed of [`Digits::load`].
pub const DEFAULT_SEED: u64 = 20_260_101;
/// The share of each class held out by [`Digits::load`].
pub const DEFAULT_TEST_FRACTION: f64 = 0.25;

/// The largest pixel value in the source images.
const PIXEL_MAX: f64 = 16.0;

/// A train/test split of the digits; each row has [`N_FEATURES`] values in [0, 1].
#[derive(Debug, Clone)]
pub struct Digits {
    pub train_x: Vec<Vec<f64>>,
    pub train_y: Vec<usize>,
    pub test_x: Vec<Vec<f64>>,
    pub test_y: Vec<usize>,
}

impl Digits {
    /// The standard split: 25% of each class held out, [`DEFAULT_SEED`].
    pub fn load() -> Digits {
        Digits::split(DEFAULT_SEED, DEFAULT_TEST_FRACTION)
    }

    /// A stratified split holding out `test_fraction` (clamped to [0, 1]) of each class,
    /// chosen at random by `seed`. Both halves are in a seeded random order.
    pub fn split(seed: u64, test_fraction: f64) -> Digits {
        let (rows, labels) = all();
        let fraction = test_fraction.clamp(0.0, 1.0);
        let mut rng = Rng::new(seed);
        let mut train = Vec::new();
        let mut test = Vec::new();
        for class in 0..N_CLASSES {
            let mut members: Vec<usize> =
                (0..labels.len()).filter(|&i| labels[i] == class).collect();
            rng.shuffle(&mut members);
            let n_test = (members.len() as f64 * fraction).round() as usize;
            test.extend_from_slice(&members[..n_test]);
            train.extend_from_slice(&members[n_test..]);
        }
        // Grouped by class, the halves would feed SGD one digit at a time.
        rng.shuffle(&mut train);
        rng.shuffle(&mut test);
        let pick = |idx: &[usize]| -> (Vec<Vec<f64>>, Vec<usize>) {
            idx.iter().map(|&i| (rows[i].clone(), labels[i])).unzip()
        };
        let (train_x, train_y) = pick(&train);
        let (test_x, test_y) = pick(&test);
        Digits {
            train_x,
            train_y,
            test_x,
            test_y,
        }
    }
}

/// Every image, scaled to [0, 1], with its label, in the source order.
pub fn all() -> (Vec<Vec<f64>>, Vec<usize>) {
    let data = smartcore::dataset::digits::load_dataset();
    let rows = data
        .data
        .chunks_exact(data.num_features)
        .map(|row| row.iter().map(|&p| f64::from(p) / PIXEL_MAX).collect())
        .collect();
    // Labels are stored as small whole floats, so the cast is exact.
    let labels = data.target.iter().map(|&y| y as usize).collect();
    (rows, labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_has_the_documented_shape() {
        let (rows, labels) = all();
        assert_eq!(rows.len(), N_SAMPLES);
        assert_eq!(labels.len(), N_SAMPLES);
        assert!(rows.iter().all(|r| r.len() == N_FEATURES));
        assert!(labels.iter().all(|&y| y < N_CLASSES));
        let values = rows.iter().flatten();
        assert!(values.clone().all(|&v| (0.0..=1.0).contains(&v)));
        // The scale really reaches both ends, so nothing was divided twice or not at all.
        assert!(values.clone().any(|&v| v == 1.0));
        assert!(values.clone().any(|&v| v == 0.0));
    }

    #[test]
    fn split_is_stratified_complete_and_disjoint() {
        let d = Digits::load();
        assert_eq!(d.train_x.len() + d.test_x.len(), N_SAMPLES);
        assert_eq!(d.train_x.len(), d.train_y.len());
        assert_eq!(d.test_x.len(), d.test_y.len());
        let frac = d.test_x.len() as f64 / N_SAMPLES as f64;
        assert!((frac - 0.25).abs() < 0.01, "test fraction {frac}");
        for class in 0..N_CLASSES {
            let n_train = d.train_y.iter().filter(|&&y| y == class).count();
            let n_test = d.test_y.iter().filter(|&&y| y == class).count();
            let share = n_test as f64 / (n_train + n_test) as f64;
            assert!((share - 0.25).abs() < 0.02, "class {class}: {share}");
        }
        // Every image lands in exactly one half: compare the multisets of rows.
        let key = |r: &Vec<f64>| r.iter().map(|v| (v * PIXEL_MAX) as u8).collect::<Vec<u8>>();
        let mut split: Vec<Vec<u8>> = d.train_x.iter().chain(&d.test_x).map(key).collect();
        let mut source: Vec<Vec<u8>> = all().0.iter().map(key).collect();
        split.sort();
        source.sort();
        assert_eq!(split, source);
    }

    #[test]
    fn same_seed_same_split_other_seed_other_split() {
        let a = Digits::split(7, 0.25);
        let b = Digits::split(7, 0.25);
        let c = Digits::split(8, 0.25);
        assert_eq!(a.test_x, b.test_x);
        assert_eq!(a.train_y, b.train_y);
        assert_ne!(a.test_x, c.test_x);
    }

    #[test]
    fn train_order_is_shuffled() {
        let d = Digits::load();
        let longest_run = d
            .train_y
            .chunk_by(|a, b| a == b)
            .map(<[usize]>::len)
            .max()
            .unwrap_or(0);
        assert!(longest_run < 10, "labels come in runs of {longest_run}");
    }
}

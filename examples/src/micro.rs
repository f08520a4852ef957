//! Classic micro-benchmark bodies: sort, hash, matrix product, with seeded inputs.
//!
//! Each body is a plain function over an input made beforehand, so a bench can build the
//! input in its setup and time only the work.

use ipw_bench::stats::Rng;

/// Values sorted by [`sort_u64`] in the standard bench.
pub const SORT_LEN: usize = 10_000;
/// Bytes hashed by [`fnv1a_64`] in the standard bench (4 KiB).
pub const HASH_LEN: usize = 4096;
/// Side of the square matrices multiplied by [`matmul`] in the standard bench.
pub const MATRIX_N: usize = 64;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// `len` uniformly random u64 values from `seed`.
pub fn random_u64s(len: usize, seed: u64) -> Vec<u64> {
    let mut rng = Rng::new(seed);
    (0..len).map(|_| rng.next_u64()).collect()
}

/// `len` random bytes from `seed`.
pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        bytes.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// An `n` x `n` row-major matrix with entries uniform in [-1, 1) from `seed`.
pub fn random_matrix(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n * n).map(|_| rng.next_f64() * 2.0 - 1.0).collect()
}

/// Sorts in place with the standard library's unstable sort (a pattern-defeating
/// quicksort), the one most Rust code reaches for on integers.
pub fn sort_u64(values: &mut [u64]) {
    values.sort_unstable();
}

/// The 64-bit FNV-1a hash of `bytes`.
///
/// Written out here rather than taken from `std`: `DefaultHasher`'s algorithm may change
/// between Rust releases, which would change the work being measured, while FNV-1a is
/// fixed by its specification. It processes one byte per multiply, so 4 KiB is 4096
/// dependent multiplications: a latency-bound body, unlike the throughput-bound product.
pub fn fnv1a_64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

/// The product of two `n` x `n` row-major matrices.
///
/// The loops run i, k, j so the innermost one walks rows of `b` and of the result
/// contiguously, which the compiler vectorizes; no blocking, since 64 x 64 f64 matrices
/// (32 KiB each) already fit in L1/L2.
///
/// # Panics
/// If `a` or `b` does not hold `n * n` values.
pub fn matmul(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    assert_eq!(a.len(), n * n, "a must be {n} x {n}");
    assert_eq!(b.len(), n * n, "b must be {n} x {n}");
    let mut c = vec![0.0; n * n];
    for (a_row, c_row) in a.chunks_exact(n).zip(c.chunks_exact_mut(n)) {
        for (&aik, b_row) in a_row.iter().zip(b.chunks_exact(n)) {
            for (cij, &bkj) in c_row.iter_mut().zip(b_row) {
                *cij += aik * bkj;
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_seeded() {
        assert_eq!(random_u64s(SORT_LEN, 1), random_u64s(SORT_LEN, 1));
        assert_ne!(random_u64s(SORT_LEN, 1), random_u64s(SORT_LEN, 2));
        assert_eq!(random_bytes(HASH_LEN, 1).len(), HASH_LEN);
        assert_eq!(random_bytes(5, 1), random_bytes(5, 1));
        let m = random_matrix(MATRIX_N, 1);
        assert_eq!(m.len(), MATRIX_N * MATRIX_N);
        assert!(m.iter().all(|v| (-1.0..1.0).contains(v)));
    }

    #[test]
    fn sort_orders_and_keeps_the_values() {
        let input = random_u64s(SORT_LEN, 3);
        let mut sorted = input.clone();
        sort_u64(&mut sorted);
        assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
        let (mut a, b) = (input, sorted.clone());
        a.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        // Test vectors from the FNV reference (draft-eastlake-fnv).
        assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn matmul_matches_the_definition() {
        let n = 7;
        let (a, b) = (random_matrix(n, 1), random_matrix(n, 2));
        let c = matmul(&a, &b, n);
        for i in 0..n {
            for j in 0..n {
                let expected: f64 = (0..n).map(|k| a[i * n + k] * b[k * n + j]).sum();
                assert!((c[i * n + j] - expected).abs() < 1e-12);
            }
        }
        let mut identity = vec![0.0; n * n];
        (0..n).for_each(|i| identity[i * n + i] = 1.0);
        assert_eq!(matmul(&a, &identity, n), a);
    }
}

//! Exact order statistics of samples too large to hold, by radix narrowing over passes.
//!
//! Each value is mapped to a `u64` key that sorts as [`f64::total_cmp`] does. A pass over
//! the data counts, for each wanted rank, the values in each bucket of the next 16 bits of
//! the key below the bits already known; the bucket holding the rank becomes the new
//! range. Once a range holds few values ([`COLLECT_MAX`]) the next pass collects them and
//! a sort finishes the job; after four counting passes the key, and so the value, is
//! known outright. Memory stays within a budget whatever the data: what does not fit in
//! one pass waits for the next.

/// Bits of the key settled by one counting pass.
const DIGIT_BITS: u32 = 16;
const BUCKETS: usize = 1 << DIGIT_BITS;
/// A range of at most this many values is collected rather than counted.
pub const COLLECT_MAX: u64 = 1 << 16;

/// The data were not the same from one pass to the next (a file written meanwhile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputChanged;

/// The key of `v`: keys compare as `v.total_cmp` does.
fn key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

fn value(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// One wanted rank and the range of keys known to hold it.
#[derive(Debug, Clone)]
struct Target {
    group: usize,
    /// Rank among the values in the range.
    rank: u64,
    prefix: u64,
    /// Top bits of the key that `prefix` fixes.
    bits: u32,
    /// Values in the range.
    count: u64,
    found: Option<f64>,
}

/// A range examined in one pass, shared by the targets in it.
struct Probe {
    group: usize,
    prefix: u64,
    bits: u32,
    counts: Vec<u64>,
    collected: Option<Vec<f64>>,
}

impl Probe {
    fn holds(&self, k: u64) -> bool {
        self.bits == 0 || (k ^ self.prefix) >> (64 - self.bits) == 0
    }

    fn bytes(count: u64) -> usize {
        if count <= COLLECT_MAX {
            count as usize * 8
        } else {
            BUCKETS * 8
        }
    }
}

/// The values of the given 0-based ranks (`(group, rank)`, each rank below its group's
/// count in `counts`), as [`f64::total_cmp`] orders them. `pass` must feed every value
/// (`(group, value)`) once per call, the same each time; it is called at most about
/// `4 + wanted / budget` times. `budget` bounds the bytes of counts and collected values
/// held in one pass (at least one range is examined per pass).
pub fn order_statistics<E: From<InputChanged>>(
    counts: &[u64],
    wanted: &[(usize, u64)],
    budget: usize,
    mut pass: impl FnMut(&mut dyn FnMut(usize, f64)) -> Result<(), E>,
) -> Result<Vec<f64>, E> {
    let mut targets: Vec<Target> = wanted
        .iter()
        .map(|&(group, rank)| Target {
            group,
            rank,
            prefix: 0,
            bits: 0,
            count: counts.get(group).copied().unwrap_or(0),
            found: None,
        })
        .collect();
    if targets.iter().any(|t| t.rank >= t.count) {
        return Err(InputChanged.into());
    }
    while targets.iter().any(|t| t.found.is_none()) {
        // The ranges of this pass, within the budget, and which target looks at which.
        let mut probes: Vec<Probe> = Vec::new();
        let mut of_target: Vec<Option<usize>> = vec![None; targets.len()];
        let mut used = 0;
        for (i, t) in targets.iter().enumerate() {
            if t.found.is_some() {
                continue;
            }
            let same = |p: &Probe| (p.group, p.prefix, p.bits) == (t.group, t.prefix, t.bits);
            if let Some(p) = probes.iter().position(same) {
                of_target[i] = Some(p);
                continue;
            }
            let cost = Probe::bytes(t.count);
            if !probes.is_empty() && used + cost > budget {
                continue;
            }
            used += cost;
            let collect = t.count <= COLLECT_MAX;
            probes.push(Probe {
                group: t.group,
                prefix: t.prefix,
                bits: t.bits,
                counts: if collect {
                    Vec::new()
                } else {
                    vec![0; BUCKETS]
                },
                collected: collect.then(|| Vec::with_capacity(t.count as usize)),
            });
            of_target[i] = Some(probes.len() - 1);
        }
        let mut by_group: Vec<Vec<usize>> = vec![Vec::new(); counts.len()];
        for (i, p) in probes.iter().enumerate() {
            by_group[p.group].push(i);
        }
        pass(&mut |g, v| {
            let k = key(v);
            for &i in by_group.get(g).map_or(&[][..], Vec::as_slice) {
                let p = &mut probes[i];
                if p.holds(k) {
                    match &mut p.collected {
                        Some(values) => values.push(v),
                        None => p.counts[((k << p.bits) >> (64 - DIGIT_BITS)) as usize] += 1,
                    }
                }
            }
        })?;
        for p in &mut probes {
            if let Some(values) = &mut p.collected {
                values.sort_unstable_by(f64::total_cmp);
            }
        }
        for (t, p) in targets.iter_mut().zip(&of_target) {
            let Some(p) = p.map(|i| &probes[i]) else {
                continue;
            };
            narrow(t, p)?;
        }
    }
    Ok(targets.iter().filter_map(|t| t.found).collect())
}

/// Moves `t` into the bucket of `p` that holds its rank, or settles it.
fn narrow(t: &mut Target, p: &Probe) -> Result<(), InputChanged> {
    if let Some(values) = &p.collected {
        if values.len() as u64 != t.count {
            return Err(InputChanged);
        }
        t.found = Some(values[t.rank as usize]);
        return Ok(());
    }
    let mut below = 0;
    for (digit, &c) in p.counts.iter().enumerate() {
        if t.rank < below + c {
            t.rank -= below;
            t.bits += DIGIT_BITS;
            t.prefix |= (digit as u64) << (64 - t.bits);
            t.count = c;
            if t.bits == 64 {
                t.found = Some(value(t.prefix));
            }
            return Ok(());
        }
        below += c;
    }
    Err(InputChanged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(groups: &[Vec<f64>], wanted: &[(usize, u64)], budget: usize) -> Vec<f64> {
        let counts: Vec<u64> = groups.iter().map(|g| g.len() as u64).collect();
        let mut passes = 0;
        let got = order_statistics::<InputChanged>(&counts, wanted, budget, |sink| {
            passes += 1;
            for (g, values) in groups.iter().enumerate() {
                values.iter().for_each(|&v| sink(g, v));
            }
            Ok(())
        })
        .unwrap();
        assert!(passes <= 4 + wanted.len(), "{passes} passes");
        got
    }

    #[test]
    fn keys_sort_as_total_cmp() {
        let mut v = [-1e300, -1.0, -0.0, 0.0, 1e-310, 2.5, 1e300, -5e-324];
        for &x in &v {
            assert_eq!(value(key(x)).to_bits(), x.to_bits());
        }
        v.sort_by(f64::total_cmp);
        assert!(v.windows(2).all(|w| key(w[0]) < key(w[1])));
    }

    #[test]
    fn ranks_of_large_samples_match_a_sort() {
        // 200,000 values with many ties and a wide range: counting passes, then collection.
        let a: Vec<f64> = (0..200_000u64)
            .map(|i| ((i * 2_654_435_761) % 100_003) as f64 / 7.0 - 5000.0)
            .collect();
        let b: Vec<f64> = (0..70_000u64).map(|i| (i % 3) as f64).collect();
        let wanted = [(0, 0), (0, 99_999), (0, 100_000), (0, 199_999), (1, 35_000)];
        for budget in [usize::MAX, 1] {
            let got = select(&[a.clone(), b.clone()], &wanted, budget);
            let mut sa = a.clone();
            sa.sort_by(f64::total_cmp);
            let want = vec![sa[0], sa[99_999], sa[100_000], sa[199_999], 1.0];
            assert_eq!(got, want, "budget {budget}");
        }
    }

    #[test]
    fn changed_input_is_an_error_not_a_panic() {
        let mut calls = 0;
        let r = order_statistics::<InputChanged>(&[100_000], &[(0, 50_000)], 1 << 30, |sink| {
            calls += 1;
            let n = if calls == 1 { 100_000 } else { 10 };
            (0..n).for_each(|i| sink(0, i as f64));
            Ok(())
        });
        assert_eq!(r, Err(InputChanged));
        let r = order_statistics::<InputChanged>(&[3], &[(0, 3)], 1, |_| Ok(()));
        assert_eq!(r, Err(InputChanged));
    }
}

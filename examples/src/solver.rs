//! A trial-and-error subject for the Survival Game: short WalkSAT runs on random 3-SAT.
//!
//! A [`Task`] is a random 3-SAT formula with a planted solution (so it is always
//! satisfiable) near the hardness threshold. An [`attempt`] is one guess-and-check: a
//! WalkSAT search from a random assignment with a small flip budget, seeded by the task
//! and the attempt's index, that either finds a satisfying assignment or gives up. Some
//! formulas fall in a few attempts and others resist dozens, so the number of failures
//! before the first success varies from task to task with a long right tail: over seeds
//! 0..1000 the median is 2, the 90th percentile 11, the 99th 37 and the maximum 92
//! (`failures_vary_with_a_long_tail` in `cargo test -p ipw-examples solver` checks the
//! shape on 100 seeds). One attempt costs about 35 us in release.

use ipw_bench::stats::Rng;

/// Variables per formula.
pub const N_VARS: usize = 80;
/// Clauses per variable; random 3-SAT is hardest near 4.27.
pub const CLAUSE_RATIO: f64 = 4.26;
/// Flips one attempt may make before it gives up.
pub const MAX_FLIPS: usize = 150;
/// The chance that a WalkSAT step flips a random variable of the clause instead of the
/// greediest one; the noise lets a search leave a local minimum.
const NOISE: f64 = 0.5;

/// A literal: variable `var`, negated or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Literal {
    var: u16,
    negated: bool,
}

impl Literal {
    fn holds(self, assignment: &[bool]) -> bool {
        assignment[usize::from(self.var)] != self.negated
    }
}

/// A satisfiable random 3-SAT formula, generated from its seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    seed: u64,
    clauses: Vec<[Literal; 3]>,
    /// Per variable, the clauses it appears in and whether negated there.
    occurrences: Vec<Vec<(usize, bool)>>,
}

impl Task {
    /// The formula of `seed`: clauses of three distinct variables with random signs,
    /// redrawn until a hidden random assignment satisfies them.
    pub fn generate(seed: u64) -> Task {
        let mut rng = Rng::new(seed);
        let planted: Vec<bool> = (0..N_VARS).map(|_| rng.next_u64() & 1 == 1).collect();
        let n_clauses = (N_VARS as f64 * CLAUSE_RATIO).round() as usize;
        let mut clauses = Vec::with_capacity(n_clauses);
        while clauses.len() < n_clauses {
            let mut vars = [0u16; 3];
            for k in 0..3 {
                vars[k] = loop {
                    // N_VARS is far below u16::MAX, so the cast is exact.
                    let v = rng.below(N_VARS) as u16;
                    if !vars[..k].contains(&v) {
                        break v;
                    }
                };
            }
            let clause = vars.map(|var| Literal {
                var,
                negated: rng.next_u64() & 1 == 1,
            });
            if clause.iter().any(|l| l.holds(&planted)) {
                clauses.push(clause);
            }
        }
        Task::from_clauses(seed, clauses)
    }

    fn from_clauses(seed: u64, clauses: Vec<[Literal; 3]>) -> Task {
        let mut occurrences = vec![Vec::new(); N_VARS];
        for (c, clause) in clauses.iter().enumerate() {
            for lit in clause {
                occurrences[usize::from(lit.var)].push((c, lit.negated));
            }
        }
        Task {
            seed,
            clauses,
            occurrences,
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn n_clauses(&self) -> usize {
        self.clauses.len()
    }

    /// Whether `assignment` (one value per variable) satisfies every clause.
    pub fn is_satisfied_by(&self, assignment: &[bool]) -> bool {
        self.clauses
            .iter()
            .all(|c| c.iter().any(|l| l.holds(assignment)))
    }
}

/// The seed of attempt `attempt_index` on `task`: distinct attempts search differently,
/// and the same attempt always searches the same way.
fn attempt_seed(task: &Task, attempt_index: u64) -> u64 {
    Rng::new(task.seed).next_u64() ^ attempt_index.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// One guess-and-check: WalkSAT from a random assignment for at most [`MAX_FLIPS`]
/// flips. True if it found a satisfying assignment.
pub fn attempt(task: &Task, attempt_index: u64) -> bool {
    let mut rng = Rng::new(attempt_seed(task, attempt_index));
    let mut search = Search::start(task, &mut rng);
    for _ in 0..MAX_FLIPS {
        if search.unsatisfied.is_empty() {
            break;
        }
        let clause = task.clauses[search.unsatisfied[rng.below(search.unsatisfied.len())]];
        let var = if rng.next_f64() < NOISE {
            clause[rng.below(3)].var
        } else {
            search.greediest(clause)
        };
        search.flip(var);
    }
    let solved = search.unsatisfied.is_empty();
    // The incremental bookkeeping must agree with a check from scratch.
    debug_assert_eq!(solved, task.is_satisfied_by(&search.assignment));
    solved
}

/// The state of one WalkSAT run, updated per flip in time proportional to the flipped
/// variable's occurrences rather than the formula's size.
struct Search<'a> {
    task: &'a Task,
    assignment: Vec<bool>,
    /// True literals per clause.
    true_count: Vec<u8>,
    /// Indices of the clauses with no true literal, in no order.
    unsatisfied: Vec<usize>,
    /// Where each clause sits in `unsatisfied`, if it does.
    slot: Vec<Option<usize>>,
}

impl<'a> Search<'a> {
    fn start(task: &'a Task, rng: &mut Rng) -> Search<'a> {
        let assignment: Vec<bool> = (0..N_VARS).map(|_| rng.next_u64() & 1 == 1).collect();
        let mut search = Search {
            task,
            true_count: vec![0; task.clauses.len()],
            unsatisfied: Vec::new(),
            slot: vec![None; task.clauses.len()],
            assignment,
        };
        for (c, clause) in task.clauses.iter().enumerate() {
            // At most three literals hold, so the count fits a u8.
            let count = clause
                .iter()
                .filter(|l| l.holds(&search.assignment))
                .count() as u8;
            search.true_count[c] = count;
            if count == 0 {
                search.mark_unsatisfied(c);
            }
        }
        search
    }

    fn mark_unsatisfied(&mut self, c: usize) {
        self.slot[c] = Some(self.unsatisfied.len());
        self.unsatisfied.push(c);
    }

    fn mark_satisfied(&mut self, c: usize) {
        if let Some(at) = self.slot[c].take() {
            self.unsatisfied.swap_remove(at);
            if let Some(&moved) = self.unsatisfied.get(at) {
                self.slot[moved] = Some(at);
            }
        }
    }

    /// Clauses that `var` alone satisfies now, and that flipping it would break.
    fn breaks(&self, var: u16) -> usize {
        let task = self.task;
        task.occurrences[usize::from(var)]
            .iter()
            .filter(|&&(c, negated)| {
                let lit = Literal { var, negated };
                self.true_count[c] == 1 && lit.holds(&self.assignment)
            })
            .count()
    }

    /// The variable of `clause` whose flip breaks the fewest clauses (the first on ties).
    fn greediest(&self, clause: [Literal; 3]) -> u16 {
        let mut best = (usize::MAX, clause[0].var);
        for lit in clause {
            let b = self.breaks(lit.var);
            if b < best.0 {
                best = (b, lit.var);
            }
        }
        best.1
    }

    fn flip(&mut self, var: u16) {
        let v = usize::from(var);
        self.assignment[v] = !self.assignment[v];
        let task = self.task;
        for &(c, negated) in &task.occurrences[v] {
            if (Literal { var, negated }).holds(&self.assignment) {
                self.true_count[c] += 1;
                if self.true_count[c] == 1 {
                    self.mark_satisfied(c);
                }
            } else {
                self.true_count[c] -= 1;
                if self.true_count[c] == 0 {
                    self.mark_unsatisfied(c);
                }
            }
        }
    }
}

/// Failed attempts before the first success, trying indices 0, 1, 2, ...; `None` if all
/// `max_attempts` failed.
pub fn failures_before_success(task: &Task, max_attempts: u64) -> Option<u64> {
    (0..max_attempts).find(|&i| attempt(task, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_are_deterministic_and_satisfiable() {
        let a = Task::generate(1);
        assert_eq!(a, Task::generate(1));
        assert_ne!(a, Task::generate(2));
        assert_eq!(a.n_clauses(), 341);
        let outcomes: Vec<bool> = (0..20).map(|i| attempt(&a, i)).collect();
        assert_eq!(
            outcomes,
            (0..20).map(|i| attempt(&a, i)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn success_means_solved() {
        let task = Task::generate(3);
        let i = failures_before_success(&task, 1000).expect("a planted formula is solvable");
        assert!(attempt(&task, i));
        // All eight sign patterns over x0, x1, x2: each assignment falsifies one clause.
        let unsolvable = Task::from_clauses(
            0,
            vec![
                [lit(0, false), lit(1, false), lit(2, false)],
                [lit(0, true), lit(1, true), lit(2, true)],
                [lit(0, false), lit(1, true), lit(2, true)],
                [lit(0, true), lit(1, false), lit(2, true)],
                [lit(0, true), lit(1, true), lit(2, false)],
                [lit(0, false), lit(1, false), lit(2, true)],
                [lit(0, false), lit(1, true), lit(2, false)],
                [lit(0, true), lit(1, false), lit(2, false)],
            ],
        );
        assert!(!attempt(&unsolvable, 0));
        assert_eq!(failures_before_success(&unsolvable, 5), None);
    }

    fn lit(var: u16, negated: bool) -> Literal {
        Literal { var, negated }
    }

    #[test]
    fn failures_vary_with_a_long_tail() {
        let counts: Vec<u64> = (0..100)
            .map(|seed| failures_before_success(&Task::generate(seed), 2000).expect("solvable"))
            .collect();
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        let median = sorted[sorted.len() / 2];
        let max = sorted[sorted.len() - 1];
        assert!(
            sorted[0] <= 1,
            "the easiest task took {} failures",
            sorted[0]
        );
        assert!(max >= 20, "the hardest task took only {max} failures");
        assert!(
            max >= 5 * median.max(1),
            "median {median}, max {max}: no long tail"
        );
    }
}

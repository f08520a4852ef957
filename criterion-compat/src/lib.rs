//! criterion's API, measured by ipw-bench: an existing criterion bench gets energy (and
//! ipw-bench's results.json, report, baselines and group comparisons) by renaming one
//! dependency. See the README for the mapping of criterion's concepts.

#[cfg(feature = "async")]
mod async_bencher;
mod bencher;
mod group;
mod session;

#[cfg(feature = "async")]
pub use async_bencher::AsyncBencher;
pub use bencher::Bencher;
pub use group::{BenchmarkGroup, BenchmarkId, IntoBenchmarkId};
pub use std::hint::black_box;

use group::Place;
use std::time::Duration;

/// criterion's `measurement` module: only wall time (with energy beside it) exists here.
pub mod measurement {
    mod sealed {
        pub trait Sealed {}
    }

    /// What a benchmark measures. Sealed: a custom criterion `Measurement` cannot carry
    /// over, since ipw-bench measures time and energy itself; implementing this trait is
    /// a compile error.
    pub trait Measurement: sealed::Sealed {}

    /// criterion's default measurement; under ipw-bench, time and energy.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct WallTime;

    impl sealed::Sealed for WallTime {}
    impl Measurement for WallTime {}
}

/// criterion's `async_executor` module (feature `async`): the runtimes `to_async` takes.
/// `FuturesExecutor` comes with feature `async_futures` and the tokio `Runtime` and
/// `Handle` with `async_tokio`, as in criterion; smol and async-std are not provided.
#[cfg(feature = "async")]
pub mod async_executor {
    pub use ipw_bench::async_executor::AsyncExecutor;
    #[cfg(feature = "async_futures")]
    pub use ipw_bench::async_executor::FuturesExecutor;
}

/// criterion's `profiler` module: a profiler cannot run inside ipw-bench's runner.
pub mod profiler {
    use std::path::Path;

    /// criterion's profiler hooks. `Criterion::with_profiler` accepts one and says, once,
    /// that it is not called; use `--profile-time S` with an external profiler instead.
    pub trait Profiler {
        /// Called by criterion before profiling a benchmark; never called here.
        fn start_profiling(&mut self, benchmark_id: &str, benchmark_dir: &Path);
        /// Called by criterion after profiling; never called here.
        fn stop_profiling(&mut self, benchmark_id: &str, benchmark_dir: &Path);
    }
}

/// How many inputs `iter_batched` makes at a time (criterion's variants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BatchSize {
    /// Ten batches per sample.
    SmallInput,
    /// A thousand batches per sample.
    LargeInput,
    /// One input per energy window.
    PerIteration,
    /// This many batches per sample.
    NumBatches(u64),
    /// This many iterations per batch.
    NumIterations(u64),
}

impl BatchSize {
    fn native(self) -> ipw_bench::BatchSize {
        match self {
            BatchSize::SmallInput => ipw_bench::BatchSize::SmallInput,
            BatchSize::LargeInput => ipw_bench::BatchSize::LargeInput,
            BatchSize::PerIteration => ipw_bench::BatchSize::PerIteration,
            BatchSize::NumBatches(n) => ipw_bench::BatchSize::NumBatches(n),
            BatchSize::NumIterations(n) => ipw_bench::BatchSize::NumIterations(n),
        }
    }
}

/// Work per iteration (criterion's variants): reported per second and per joule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Throughput {
    /// Bytes per iteration.
    Bytes(u64),
    /// Bytes, shown with decimal prefixes by criterion; bytes here.
    BytesDecimal(u64),
    /// Elements per iteration.
    Elements(u64),
}

impl Throughput {
    fn native(self) -> ipw_bench::Throughput {
        match self {
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) => ipw_bench::Throughput::Bytes(n),
            Throughput::Elements(n) => ipw_bench::Throughput::Elements(n),
        }
    }
}

/// criterion's sampling modes. ipw-bench always samples flat (the same iterations in
/// every sample, as energy windows need), so every mode is accepted and means that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SamplingMode {
    /// criterion chooses; flat here.
    #[default]
    Auto,
    /// Linear in criterion; flat here.
    Linear,
    /// Flat.
    Flat,
}

/// Axis scale of criterion's plots; ipw-bench draws its own plots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AxisScale {
    /// Linear axes.
    #[default]
    Linear,
    /// Logarithmic axes.
    Logarithmic,
}

/// criterion's plot settings: accepted; ipw-bench's report has its own plots.
#[derive(Debug, Clone, Default)]
pub struct PlotConfiguration {
    summary_scale: AxisScale,
}

impl PlotConfiguration {
    /// Accepted; the report's plots are ipw-bench's.
    pub fn summary_scale(mut self, scale: AxisScale) -> PlotConfiguration {
        self.summary_scale = scale;
        self
    }
}

/// criterion's plotting backends: accepted; use `--plots` for ipw-bench's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlottingBackend {
    /// gnuplot.
    Gnuplot,
    /// plotters.
    Plotters,
    /// None.
    None,
}

/// The budget a definition asks for; flags still win, as they beat an attribute.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Budget {
    pub sample_size: Option<usize>,
    pub warm_up_time: Option<Duration>,
    pub measurement_time: Option<Duration>,
}

/// criterion's `Criterion`: the settings of the benchmarks it defines, which run inline
/// under ipw-bench's runner.
pub struct Criterion<M: Measurement = measurement::WallTime> {
    budget: Budget,
    measurement: std::marker::PhantomData<M>,
}

use measurement::Measurement;

impl Default for Criterion {
    fn default() -> Criterion {
        Criterion {
            budget: Budget::default(),
            measurement: std::marker::PhantomData,
        }
    }
}

impl<M: Measurement> Criterion<M> {
    /// Samples per benchmark (`--sample-size` wins).
    pub fn sample_size(mut self, n: usize) -> Self {
        self.budget.sample_size = Some(n);
        self
    }

    /// Measuring time per benchmark (`--measurement-time` wins).
    pub fn measurement_time(mut self, t: Duration) -> Self {
        self.budget.measurement_time = Some(t);
        self
    }

    /// Warm-up per benchmark (`--warm-up-time` wins).
    pub fn warm_up_time(mut self, t: Duration) -> Self {
        self.budget.warm_up_time = Some(t);
        self
    }

    /// Accepted; use `--noise-threshold` (a flag for the whole run here).
    pub fn noise_threshold(self, _threshold: f64) -> Self {
        self
    }

    /// Accepted; tests here are at 0.05 (see `--significance-level`).
    pub fn significance_level(self, _level: f64) -> Self {
        self
    }

    /// Accepted; intervals here are 95% (see `--confidence-level`).
    pub fn confidence_level(self, _level: f64) -> Self {
        self
    }

    /// Accepted; bootstraps here take 10,000 resamples (see `--nresamples`).
    pub fn nresamples(self, _n: usize) -> Self {
        self
    }

    /// Accepted: the command line is read once, by the session `criterion_main!` starts.
    pub fn configure_from_args(self) -> Self {
        self
    }

    /// Accepted; use `--plots`.
    pub fn with_plots(self) -> Self {
        self
    }

    /// Accepted; use `--plots none` or `--noplot`.
    pub fn without_plots(self) -> Self {
        self
    }

    /// Accepted; ipw-bench draws its own plots.
    pub fn plotting_backend(self, _backend: PlottingBackend) -> Self {
        self
    }

    /// Accepted; results go to `--output-dir` (default `target/ipw`).
    pub fn output_directory(self, _dir: &std::path::Path) -> Self {
        self
    }

    /// Only [`measurement::WallTime`] exists here (a custom measurement does not compile):
    /// ipw-bench measures time and energy itself.
    pub fn with_measurement<M2: Measurement>(self, _m: M2) -> Criterion<M2> {
        Criterion {
            budget: self.budget,
            measurement: std::marker::PhantomData,
        }
    }

    /// Accepted, with a one-line message: a profiler does not run inside ipw-bench's
    /// runner; use `--profile-time S` under an external profiler.
    pub fn with_profiler<P: profiler::Profiler>(self, _p: P) -> Self {
        session::say_once(
            "ipw-criterion-compat: with_profiler is not supported; run the bench with \
             --profile-time S under an external profiler instead",
        );
        self
    }

    /// A group of benchmarks, compared with each other as an ipw-bench group.
    pub fn benchmark_group<S: Into<String>>(&mut self, name: S) -> BenchmarkGroup<'_, M> {
        BenchmarkGroup::new(self, name.into())
    }

    /// One benchmark, its own group; runs now.
    pub fn bench_function<F>(&mut self, id: &str, mut f: F) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>),
    {
        let (group, name) = group::split_id(id);
        group::run(
            self.budget,
            (Place::Alone, group, name, None),
            None,
            &mut |b| f(&mut Bencher::new(b)),
        );
        self
    }

    /// One benchmark with an input, its own group; runs now.
    pub fn bench_with_input<F, I: ?Sized>(
        &mut self,
        id: BenchmarkId,
        input: &I,
        mut f: F,
    ) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>, &I),
    {
        let (group, name, variant) = id.parts_alone();
        group::run(
            self.budget,
            (Place::Alone, group, name, variant),
            None,
            &mut |b| f(&mut Bencher::new(b), input),
        );
        self
    }

    /// Called by `criterion_main!`; finishes a session started without it.
    pub fn final_summary(&mut self) {}
}

#[doc(hidden)]
pub mod __private {
    pub use crate::session::{finish, start};
}

/// Define a group of benchmark functions, both of criterion's forms.
#[macro_export]
macro_rules! criterion_group {
    (name = $name:ident; config = $config:expr; targets = $( $target:path ),+ $(,)*) => {
        pub fn $name() {
            let mut criterion: $crate::Criterion<_> = $config.configure_from_args();
            $( $target(&mut criterion); )+
        }
    };
    ($name:ident, $( $target:path ),+ $(,)*) => {
        $crate::criterion_group! {
            name = $name;
            config = $crate::Criterion::default();
            targets = $( $target ),+
        }
    };
}

/// The `main` of a criterion bench: reads the command line as an ipw-bench bench does,
/// runs the groups, then analyses, compares, writes results and the report.
#[macro_export]
macro_rules! criterion_main {
    ( $( $group:path ),+ $(,)* ) => {
        fn main() {
            $crate::__private::start();
            $( $group(); )+
            ::std::process::exit($crate::__private::finish());
        }
    };
}

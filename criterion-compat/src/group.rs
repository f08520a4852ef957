//! criterion's `BenchmarkGroup` and `BenchmarkId`: a group becomes an ipw-bench group,
//! its functions and parameters its variants.

use crate::measurement::Measurement;
use crate::{session, Bencher, Budget, Criterion, PlotConfiguration, SamplingMode, Throughput};
use ipw_bench::__private::InlineCase;
use std::fmt::Display;
use std::time::Duration;

/// A benchmark's id in a group: a function name, a parameter, or both.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BenchmarkId {
    function: Option<String>,
    parameter: Option<String>,
}

impl BenchmarkId {
    /// `function/parameter`.
    pub fn new<S: Into<String>, P: Display>(function_name: S, parameter: P) -> BenchmarkId {
        BenchmarkId {
            function: Some(function_name.into()),
            parameter: Some(parameter.to_string()),
        }
    }

    /// The parameter alone (the group names the function).
    pub fn from_parameter<P: Display>(parameter: P) -> BenchmarkId {
        BenchmarkId {
            function: None,
            parameter: Some(parameter.to_string()),
        }
    }

    /// In a group: the case's name and variant.
    fn in_group(&self) -> (String, Option<String>) {
        match (&self.function, &self.parameter) {
            (Some(f), p) => (f.clone(), p.clone()),
            (None, Some(p)) => (p.clone(), None),
            (None, None) => (String::new(), None),
        }
    }

    /// Outside a group: the group (the function), the name and the variant.
    pub(crate) fn parts_alone(&self) -> (String, String, Option<String>) {
        let (name, variant) = self.in_group();
        (name.clone(), name, variant)
    }
}

/// What `bench_function` takes as an id: a `&str`, a `String` or a [`BenchmarkId`].
pub trait IntoBenchmarkId {
    /// The id.
    fn into_benchmark_id(self) -> BenchmarkId;
}

impl IntoBenchmarkId for BenchmarkId {
    fn into_benchmark_id(self) -> BenchmarkId {
        self
    }
}

impl<S: Into<String>> IntoBenchmarkId for S {
    fn into_benchmark_id(self) -> BenchmarkId {
        BenchmarkId {
            function: Some(self.into()),
            parameter: None,
        }
    }
}

/// A benchmark alone is a group of its own, named by its id.
pub(crate) fn split_id(id: &str) -> (String, String) {
    (id.to_string(), id.to_string())
}

/// Where a benchmark stands: alone (`c.bench_function`, its id is its group's) or in a
/// group (its id `group/function[/parameter]` even when the function repeats the group,
/// as criterion has it: httparse's `req/req`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Alone,
    InGroup,
}

/// Run one benchmark now, under the session.
pub(crate) fn run(
    budget: Budget,
    (place, group, name, variant): (Place, String, String, Option<String>),
    throughput: Option<Throughput>,
    f: &mut dyn FnMut(&mut ipw_bench::Bencher),
) {
    let case = InlineCase {
        group,
        name,
        variant,
        keep_name: place == Place::InGroup,
        sample_size: budget.sample_size,
        warm_up_time: budget.warm_up_time.map(|d| d.as_secs_f64()),
        measurement_time: budget.measurement_time.map(|d| d.as_secs_f64()),
        throughput: throughput.map(Throughput::native),
    };
    session::run_case(&case, f);
}

/// criterion's group: its benchmarks run as they are defined, one after another (not
/// interleaved: a closure cannot be resumed), and are compared as one ipw-bench group.
pub struct BenchmarkGroup<'a, M: Measurement> {
    name: String,
    budget: Budget,
    throughput: Option<Throughput>,
    criterion: std::marker::PhantomData<&'a mut Criterion<M>>,
}

impl<'a, M: Measurement> BenchmarkGroup<'a, M> {
    pub(crate) fn new(c: &'a mut Criterion<M>, name: String) -> BenchmarkGroup<'a, M> {
        BenchmarkGroup {
            name,
            budget: c.budget,
            throughput: None,
            criterion: std::marker::PhantomData,
        }
    }

    /// Samples per benchmark of the group.
    pub fn sample_size(&mut self, n: usize) -> &mut Self {
        self.budget.sample_size = Some(n);
        self
    }

    /// Measuring time per benchmark of the group.
    pub fn measurement_time(&mut self, t: Duration) -> &mut Self {
        self.budget.measurement_time = Some(t);
        self
    }

    /// Warm-up per benchmark of the group.
    pub fn warm_up_time(&mut self, t: Duration) -> &mut Self {
        self.budget.warm_up_time = Some(t);
        self
    }

    /// Work per iteration of the benchmarks defined after it.
    pub fn throughput(&mut self, t: Throughput) -> &mut Self {
        self.throughput = Some(t);
        self
    }

    /// Accepted: ipw-bench always samples flat.
    pub fn sampling_mode(&mut self, _mode: SamplingMode) -> &mut Self {
        self
    }

    /// Accepted; the report's plots are ipw-bench's.
    pub fn plot_config(&mut self, _config: PlotConfiguration) -> &mut Self {
        self
    }

    /// Accepted; use `--noise-threshold`.
    pub fn noise_threshold(&mut self, _threshold: f64) -> &mut Self {
        self
    }

    /// Accepted; intervals here are 95%.
    pub fn confidence_level(&mut self, _level: f64) -> &mut Self {
        self
    }

    /// Accepted; tests here are at 0.05.
    pub fn significance_level(&mut self, _level: f64) -> &mut Self {
        self
    }

    /// Accepted; bootstraps here take 10,000 resamples.
    pub fn nresamples(&mut self, _n: usize) -> &mut Self {
        self
    }

    /// One benchmark of the group; runs now.
    pub fn bench_function<ID: IntoBenchmarkId, F>(&mut self, id: ID, mut f: F) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>),
    {
        let (name, variant) = id.into_benchmark_id().in_group();
        let group = self.name.clone();
        run(
            self.budget,
            (Place::InGroup, group, name, variant),
            self.throughput,
            &mut |b| f(&mut Bencher::new(b)),
        );
        self
    }

    /// One benchmark of the group with an input; runs now.
    pub fn bench_with_input<ID: IntoBenchmarkId, F, I: ?Sized>(
        &mut self,
        id: ID,
        input: &I,
        mut f: F,
    ) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>, &I),
    {
        let (name, variant) = id.into_benchmark_id().in_group();
        let group = self.name.clone();
        run(
            self.budget,
            (Place::InGroup, group, name, variant),
            self.throughput,
            &mut |b| f(&mut Bencher::new(b), input),
        );
        self
    }

    /// The end of the group; its comparison follows when the next group starts.
    pub fn finish(self) {}
}

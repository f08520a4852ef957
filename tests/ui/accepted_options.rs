#[ipw_bench::bench(
    name = "renamed",
    group = "g",
    args = [1u32, 2],
    sample_size = 10,
    warm_up_time = 0.5,
    measurement_time = 1,
    max_time = 2.5,
    ignore
)]
fn case(b: &mut ipw_bench::Bencher, n: u32) {
    b.iter(|| n + 1);
}

#[ipw_bench::bench(ignore = false)]
fn plain(b: &mut ipw_bench::Bencher) {
    b.queries(0..3, |&i| i % 2 == 0);
}

const NAMES: [&str; 2] = ["a", "bb"];
const SIZES: [usize; 2] = [1, 2];

// `args` items that are references to what the parameter takes: `&&str` for `&str`,
// `&usize` for `usize`.
#[ipw_bench::bench(args = NAMES.iter())]
fn names(b: &mut ipw_bench::Bencher, s: &str) {
    b.iter(|| s.len());
}

#[ipw_bench::bench(args = SIZES.iter())]
fn sizes(b: &mut ipw_bench::Bencher, n: usize) {
    b.iter(|| n + 1);
}

ipw_bench::main!();

use ipw_bench::Bencher;

#[ipw_bench::bench(args = [1u32, 2])]
fn sum(b: &mut Bencher, n: u64) {
    b.iter(|| (0..n).sum::<u64>());
}

#[ipw_bench::bench(args = [1, 2])]
fn length(b: &mut Bencher, s: &str) {
    b.iter(|| s.len());
}

#[ipw_bench::bench(types = [u8, u16], args = [String::new()])]
fn generic<T: Default>(b: &mut Bencher, s: &str) {
    b.iter(|| (T::default(), s.len()));
}

ipw_bench::main!();

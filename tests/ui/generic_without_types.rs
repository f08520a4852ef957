use ipw_bench::Bencher;

#[ipw_bench::bench]
fn default<T: Default>(b: &mut Bencher) {
    b.iter(T::default);
}

ipw_bench::main!();

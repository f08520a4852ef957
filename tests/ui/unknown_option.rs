#[ipw_bench::bench(sample_sise = 10)]
fn case(b: &mut ipw_bench::Bencher) {
    b.iter(|| 1);
}

ipw_bench::main!();

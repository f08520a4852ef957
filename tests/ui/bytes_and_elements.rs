#[ipw_bench::bench(bytes = 64, elements = 8)]
fn case(b: &mut ipw_bench::Bencher) {
    b.iter(|| 1);
}

ipw_bench::main!();

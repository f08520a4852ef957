#[ipw_bench::bench(name = "a", name = "b")]
fn case(b: &mut ipw_bench::Bencher) {
    b.iter(|| 1);
}

ipw_bench::main!();

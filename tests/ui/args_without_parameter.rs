#[ipw_bench::bench(args = [1, 2])]
fn case(b: &mut ipw_bench::Bencher) {
    b.iter(|| 1);
}

ipw_bench::main!();

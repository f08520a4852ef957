#[ipw_bench::bench(group = fast)]
fn case(b: &mut ipw_bench::Bencher) {
    b.iter(|| 1);
}

ipw_bench::main!();

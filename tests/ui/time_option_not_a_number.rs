use ipw_bench::Bencher;

#[ipw_bench::bench(measurement_time = "1s")]
fn measured(b: &mut Bencher) {
    b.iter(|| 1);
}

#[ipw_bench::bench(warm_up_time = "500ms")]
fn warmed(b: &mut Bencher) {
    b.iter(|| 1);
}

#[ipw_bench::bench(max_time = 2s)]
fn capped(b: &mut Bencher) {
    b.iter(|| 1);
}

#[ipw_bench::bench(sample_size = 10.5)]
fn sampled(b: &mut Bencher) {
    b.iter(|| 1);
}

ipw_bench::main!();

use ipw_bench::Bencher;

#[ipw_bench::bench(sample_size = 10)]
fn zeroed<const N: usize>(b: &mut Bencher) {
    b.iter(|| [0u8; N]);
}

ipw_bench::main!();

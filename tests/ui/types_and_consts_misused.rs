use ipw_bench::Bencher;

#[ipw_bench::bench(types = [u8, u16])]
fn not_generic(b: &mut Bencher) {
    b.iter(|| 1);
}

#[ipw_bench::bench(consts = [16])]
fn no_const<T: Default>(b: &mut Bencher) {
    b.iter(T::default);
}

#[ipw_bench::bench(types = [])]
fn no_types<T: Default>(b: &mut Bencher) {
    b.iter(T::default);
}

#[ipw_bench::bench(types = [u8, String, u8])]
fn repeated<T: Default>(b: &mut Bencher) {
    b.iter(T::default);
}

#[ipw_bench::bench(types = [u8])]
fn two_types<T: Default, U: Default>(b: &mut Bencher) {
    b.iter(|| (T::default(), U::default()));
}

#[ipw_bench::bench(consts = ["16"])]
fn wrong_const<const N: usize>(b: &mut Bencher) {
    b.iter(|| [0u8; N]);
}

ipw_bench::main!();

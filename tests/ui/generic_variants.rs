//! Generic benches register one variant per type and const value, named as divan names
//! them, and each variant runs its own instance. The ids come from `--list`, and the
//! instance each id runs from `--exact ID`, both in a child process of this binary.

use ipw_bench::Bencher;
use std::process::Command;

#[ipw_bench::bench(types = [u8, u64, String, Vec<u8>])]
fn types<T: Default>(b: &mut Bencher) {
    println!("instance: {}", std::any::type_name::<T>());
    b.iter(T::default);
}

#[ipw_bench::bench(group = "sizes", consts = [16, 64, 1 << 8])]
fn zeroed<const N: usize>(b: &mut Bencher) {
    println!("instance: {N}");
    b.iter(|| [0u8; N]);
}

// The const parameter comes first, so that the generic arguments must follow the
// declaration, not the option order.
#[ipw_bench::bench(types = [u8, u16], consts = [1, 2], args = [10, 20])]
fn all<const N: usize, T: Default>(b: &mut Bencher, n: u32) {
    println!("instance: {} {N} {n}", std::any::type_name::<T>());
    b.iter(T::default);
}

mod harness {
    ipw_bench::main!();

    pub fn run() {
        main()
    }
}

const CHILD: &str = "UI_GENERIC_VARIANTS_CHILD";

/// Each id and what its instance prints. `type_name` spells the std paths, which Rust does
/// not promise to keep, so they are asked of it rather than written here.
fn expected() -> Vec<(&'static str, String)> {
    let string = std::any::type_name::<String>();
    let bytes = std::any::type_name::<Vec<u8>>();
    [
        ("types/u8", "u8"),
        ("types/u64", "u64"),
        ("types/String", string),
        ("types/Vec<u8>", bytes),
        ("sizes/zeroed/16", "16"),
        ("sizes/zeroed/64", "64"),
        ("sizes/zeroed/256", "256"),
        ("all/u8/1/10", "u8 1 10"),
        ("all/u8/1/20", "u8 1 20"),
        ("all/u8/2/10", "u8 2 10"),
        ("all/u8/2/20", "u8 2 20"),
        ("all/u16/1/10", "u16 1 10"),
        ("all/u16/1/20", "u16 1 20"),
        ("all/u16/2/10", "u16 2 10"),
        ("all/u16/2/20", "u16 2 20"),
    ]
    .map(|(id, instance)| (id, instance.to_string()))
    .to_vec()
}

fn child(args: &[&str]) -> String {
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = Command::new(exe)
        .args(args)
        .env(CHILD, "1")
        .output()
        .expect("the test binary runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn main() {
    if std::env::var_os(CHILD).is_some() {
        harness::run();
        return;
    }
    let listed = child(&["--list"]);
    let ids: Vec<&str> = listed
        .lines()
        .map(|l| l.strip_suffix(": benchmark").unwrap_or(l))
        .collect();
    let expected = expected();
    assert_eq!(ids, expected.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    for (id, instance) in &expected {
        let out = child(&["--exact", id]);
        let ran: Vec<&str> = out
            .lines()
            .filter_map(|l| l.strip_prefix("instance: "))
            .collect();
        assert_eq!(ran, [instance.as_str()], "the instance that {id} runs");
    }
    println!(
        "{} variants listed, each ran its own instance",
        expected.len()
    );
}

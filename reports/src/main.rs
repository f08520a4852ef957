//! `cargo-ipw`: the binary behind `cargo ipw`.

fn main() {
    let code = ipw_reports::cli::run(std::env::args_os().collect());
    std::process::exit(code);
}

//! The attribute's options: an unknown or repeated option, or a value of the wrong kind,
//! is a compile error naming it; generic benches register one variant per type and const.

#[test]
fn unknown_and_repeated_options_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.pass("ui/accepted_options.rs");
    t.compile_fail("ui/unknown_option.rs");
    t.compile_fail("ui/repeated_option.rs");
    t.compile_fail("ui/bytes_and_elements.rs");
    t.compile_fail("ui/args_without_parameter.rs");
    t.compile_fail("ui/name_not_a_string.rs");
}

/// Each error comes alone: the function is still emitted after a macro error, so its
/// `use ipw_bench::Bencher;` is used and no "unused import" warning joins the error.
#[test]
fn wrong_values_are_errors_that_name_the_option() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/time_option_not_a_number.rs");
    t.compile_fail("ui/args_type_mismatch.rs");
}

#[test]
fn generic_benches_need_their_types_or_consts() {
    let t = trybuild::TestCases::new();
    t.pass("ui/generic_variants.rs");
    t.compile_fail("ui/generic_without_types.rs");
    t.compile_fail("ui/generic_without_consts.rs");
    t.compile_fail("ui/types_and_consts_misused.rs");
}

//! The attribute's options: an unknown or repeated option is a compile error naming it.

#[test]
fn unknown_and_repeated_options_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.pass("ui/accepted_options.rs");
    t.compile_fail("ui/unknown_option.rs");
    t.compile_fail("ui/repeated_option.rs");
    t.compile_fail("ui/args_without_parameter.rs");
    t.compile_fail("ui/name_not_a_string.rs");
}

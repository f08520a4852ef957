//! The `#[ipw_bench::bench]` attribute.
use proc_macro::TokenStream;

#[proc_macro_attribute]
pub fn bench(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}

//! The `#[ipw_bench::bench]` attribute, re-exported by `ipw-bench`.
//!
//! Options are parsed into struct fields, so an unknown or repeated option is a compile
//! error that names it. When the attribute fails, the function is still emitted, so the
//! error is the only diagnostic: no "unused import" for what the function uses.

mod expand;
mod generics;
mod options;
mod type_text;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::ItemFn;

/// Registers a function as a benchmark case. Use it as `ipw_bench::bench`, whose
/// documentation gives every option with an example (it lives in `ipw-bench`, where its
/// examples can run).
#[proc_macro_attribute]
pub fn bench(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = TokenStream2::from(item);
    match expand::expand(attr.into(), item.clone()) {
        Ok(t) => t.into(),
        Err(e) => {
            let mut out = e.to_compile_error();
            out.extend(unregistered(item));
            out.into()
        }
    }
}

/// The function as written, not registered, after an error: its imports stay used, and
/// it is allowed to be dead, since nothing calls it now.
fn unregistered(item: TokenStream2) -> TokenStream2 {
    match syn::parse2::<ItemFn>(item.clone()) {
        Ok(f) => quote!(#[allow(dead_code)] #f),
        Err(_) => item,
    }
}

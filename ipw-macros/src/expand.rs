//! The code `#[ipw_bench::bench]` generates: the function as written, and its
//! registration as one `BenchCase` whose variants are its instances and `args` items.

use crate::generics::{self, Instances};
use crate::options::BenchOptions;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, FnArg, ItemFn, LitBool, LitStr, Pat, Signature};

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let opts = BenchOptions::parse(attr)?;
    let func: ItemFn = syn::parse2(item)?;
    let sig = &func.sig;
    let instances = generics::instances(sig, opts.types.as_ref(), opts.consts.as_ref())?;
    check_parameters(sig, opts.args.is_some())?;

    let name = opts
        .name
        .clone()
        .unwrap_or_else(|| LitStr::new(&sig.ident.to_string(), Span::call_site()));
    let group = match &opts.group {
        Some(g) => quote!(::core::option::Option::Some(#g)),
        None => quote!(::core::option::Option::None),
    };
    let ignore = opts
        .ignore
        .clone()
        .unwrap_or_else(|| LitBool::new(false, Span::call_site()));
    let sample_size = optional(&opts.sample_size, quote!(usize));
    let warm_up_time = optional(&opts.warm_up_time, quote!(f64));
    let measurement_time = optional(&opts.measurement_time, quote!(f64));
    let max_time = optional(&opts.max_time, quote!(f64));
    let throughput = match &opts.throughput {
        Some((key, n)) if key == "bytes" => {
            quote!(::core::option::Option::Some(::ipw_bench::Throughput::Bytes(#n as u64)))
        }
        Some((_, n)) => {
            quote!(::core::option::Option::Some(::ipw_bench::Throughput::Elements(#n as u64)))
        }
        None => quote!(::core::option::Option::None),
    };
    let Registration {
        items,
        variants,
        run,
    } = registration(sig, instances, opts.args.as_ref());

    Ok(quote! {
        #func

        const _: () = {
            #items

            ::ipw_bench::__private::inventory::submit! {
                ::ipw_bench::__private::BenchCase {
                    name: #name,
                    group: #group,
                    module_path: ::core::module_path!(),
                    file: ::core::file!(),
                    line: ::core::line!(),
                    sample_size: #sample_size,
                    warm_up_time: #warm_up_time,
                    measurement_time: #measurement_time,
                    max_time: #max_time,
                    ignore: #ignore,
                    keep_name: false,
                    throughput: #throughput,
                    variants: #variants,
                    run: #run,
                }
            }
        };
    })
}

fn check_parameters(sig: &Signature, with_args: bool) -> syn::Result<()> {
    let message = match (with_args, sig.inputs.len()) {
        (true, 2) | (false, 1) => return Ok(()),
        (true, _) => {
            "a bench with `args` takes two parameters: `(b: &mut ipw_bench::Bencher, arg: T)`"
        }
        (false, _) => {
            "a bench takes one parameter, `b: &mut ipw_bench::Bencher` (add `args = ...` for a second)"
        }
    };
    Err(syn::Error::new_spanned(sig, message))
}

fn optional(value: &Option<Expr>, ty: TokenStream) -> TokenStream {
    match value {
        // Spanned on the value, so that a value that is not a number is shown as the culprit.
        Some(e) => quote_spanned!(e.span()=> ::core::option::Option::Some((#e) as #ty)),
        None => quote!(::core::option::Option::None),
    }
}

/// The parts of a `BenchCase` that depend on `types`, `consts` and `args`.
struct Registration {
    /// Items the other two refer to.
    items: TokenStream,
    /// `Option<fn() -> Vec<String>>`: the variant names.
    variants: TokenStream,
    /// `fn(&mut Bencher, usize)`: run one variant.
    run: TokenStream,
}

fn registration(
    sig: &Signature,
    instances: Option<Instances>,
    args: Option<&Expr>,
) -> Registration {
    let ident = &sig.ident;
    let unreachable = quote!(::core::unreachable!(
        "bench `{}` has no variant {}",
        ::core::stringify!(#ident),
        variant
    ));
    match (instances, args) {
        (None, None) => Registration {
            items: TokenStream::new(),
            variants: quote!(::core::option::Option::None),
            run: quote!(|b, _variant| #ident(b)),
        },
        (None, Some(args)) => Registration {
            items: arg_check(sig),
            variants: quote!(::core::option::Option::Some(
                || ::ipw_bench::__private::variant_names(#args)
            )),
            run: quote!(|b, variant| #ident(b, __ipw_arg(#ident, #args, variant))),
        },
        (Some(g), None) => {
            let arms = g
                .turbofish
                .iter()
                .enumerate()
                .map(|(i, t)| quote!(#i => #ident #t (b),));
            let names = g.names;
            Registration {
                items: g.items,
                variants: quote!(::core::option::Option::Some(|| #names)),
                run: quote!(|b, variant| match variant {
                    #(#arms)*
                    _ => #unreachable,
                }),
            }
        }
        (Some(g), Some(args)) => {
            // Variant `i` is instance `i / n` with argument `i % n`, `n` items per instance.
            let arms = g.turbofish.iter().enumerate().map(|(i, t)| {
                quote!(#i => #ident #t (b, __ipw_arg(#ident #t, #args, variant % per_instance)),)
            });
            let names = generics::cross(
                g.names,
                quote!(::ipw_bench::__private::variant_names(#args)),
            );
            let items = g.items;
            let check = arg_check(sig);
            Registration {
                items: quote!(#items #check),
                variants: quote!(::core::option::Option::Some(|| #names)),
                // An `args` that yields nothing has no variants, so `run` is never called
                // with it; `max(1)` only keeps the division defined.
                run: quote!(|b, variant| {
                    let per_instance = ::core::iter::Iterator::count(
                        ::core::iter::IntoIterator::into_iter(#args),
                    )
                    .max(1);
                    match variant / per_instance {
                        #(#arms)*
                        _ => #unreachable,
                    }
                }),
            }
        }
    }
}

/// `__ipw_arg(function, args, i)`: the `i`-th item of `args`, as the parameter's type. An
/// item of another type fails the trait bound, whose message names both types.
///
/// Besides the parameter's own type, the bound takes what the direct call used to coerce
/// in practice: `&&str` for `&str` (`NAMES.iter()`), `&String` for `&str` and `&Vec<T>` for
/// `&[T]`; and, as divan does, `&T` for a `Copy` `T` (`SIZES.iter()`).
///
/// The function comes first so that the parameter's type is known before the bound is
/// checked; otherwise the identity impl would make the parameter's type the item's, and
/// the error would be a bare "mismatched types" at the call.
fn arg_check(sig: &Signature) -> TokenStream {
    let function = &sig.ident;
    let parameter = match sig.inputs.iter().nth(1) {
        Some(FnArg::Typed(t)) => match &*t.pat {
            Pat::Ident(p) => format!("parameter `{}`", p.ident),
            _ => "the second parameter".to_string(),
        },
        _ => "the second parameter".to_string(),
    };
    let message =
        format!("an `args` item is `{{Self}}`, but {parameter} of `{function}` is `{{P}}`");
    let label = "these items are `{Self}`, not `{P}`";
    let note =
        format!("each `args` item is passed to {parameter}: give items of its type, or references to them if it is `Copy`");
    quote! {
        #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
        trait __IpwBenchArg<P> {
            fn into_param(self) -> P;
        }

        impl<T> __IpwBenchArg<T> for T {
            fn into_param(self) -> T {
                self
            }
        }

        #[allow(unknown_or_malformed_diagnostic_attributes)]
        #[diagnostic::do_not_recommend]
        impl<T: ::core::marker::Copy> __IpwBenchArg<T> for &T {
            fn into_param(self) -> T {
                *self
            }
        }

        #[allow(unknown_or_malformed_diagnostic_attributes)]
        #[diagnostic::do_not_recommend]
        impl<'a> __IpwBenchArg<&'a str> for &'a ::std::string::String {
            fn into_param(self) -> &'a str {
                self
            }
        }

        #[allow(unknown_or_malformed_diagnostic_attributes)]
        #[diagnostic::do_not_recommend]
        impl<'a, T> __IpwBenchArg<&'a [T]> for &'a ::std::vec::Vec<T> {
            fn into_param(self) -> &'a [T] {
                self
            }
        }

        fn __ipw_arg<B, P, I>(_function: fn(B, P), args: I, index: usize) -> P
        where
            I: ::core::iter::IntoIterator,
            I::Item: __IpwBenchArg<P>,
        {
            __IpwBenchArg::into_param(::ipw_bench::__private::nth_arg(args, index))
        }
    }
}

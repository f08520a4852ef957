//! The `#[ipw_bench::bench]` attribute, re-exported by `ipw-bench`.
//!
//! Options are parsed into struct fields, so an unknown or repeated option is a compile
//! error that names it.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Ident, ItemFn, Lit, LitBool, LitStr, Token};

/// The options of one `#[bench(...)]`.
#[derive(Default)]
struct BenchOptions {
    name: Option<LitStr>,
    group: Option<LitStr>,
    args: Option<Expr>,
    sample_size: Option<Expr>,
    warm_up_time: Option<Expr>,
    measurement_time: Option<Expr>,
    max_time: Option<Expr>,
    ignore: Option<LitBool>,
}

enum OptionValue {
    Flag,
    Expr(Expr),
}

struct RawOption {
    key: Ident,
    value: OptionValue,
}

impl Parse for RawOption {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key: Ident = input.parse()?;
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Ok(RawOption {
                key,
                value: OptionValue::Expr(input.parse()?),
            })
        } else {
            Ok(RawOption {
                key,
                value: OptionValue::Flag,
            })
        }
    }
}

fn set<T>(slot: &mut Option<T>, key: &Ident, value: T) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new(
            key.span(),
            format!("option `{key}` is given twice"),
        ));
    }
    *slot = Some(value);
    Ok(())
}

fn expr(key: &Ident, value: OptionValue) -> syn::Result<Expr> {
    match value {
        OptionValue::Expr(e) => Ok(e),
        OptionValue::Flag => Err(syn::Error::new(
            key.span(),
            format!("option `{key}` needs a value: `{key} = ...`"),
        )),
    }
}

fn lit_str(key: &Ident, value: OptionValue) -> syn::Result<LitStr> {
    match expr(key, value)? {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s),
        other => Err(syn::Error::new_spanned(
            other,
            format!("option `{key}` takes a string literal"),
        )),
    }
}

impl BenchOptions {
    fn parse(attr: TokenStream2) -> syn::Result<BenchOptions> {
        let raw =
            syn::parse::Parser::parse2(Punctuated::<RawOption, Token![,]>::parse_terminated, attr)?;
        let mut o = BenchOptions::default();
        for RawOption { key, value } in raw {
            match key.to_string().as_str() {
                "name" => {
                    let v = lit_str(&key, value)?;
                    set(&mut o.name, &key, v)?
                }
                "group" => {
                    let v = lit_str(&key, value)?;
                    set(&mut o.group, &key, v)?
                }
                "args" => {
                    let v = expr(&key, value)?;
                    set(&mut o.args, &key, v)?
                }
                "sample_size" => {
                    let v = expr(&key, value)?;
                    set(&mut o.sample_size, &key, v)?
                }
                "warm_up_time" => {
                    let v = expr(&key, value)?;
                    set(&mut o.warm_up_time, &key, v)?
                }
                "measurement_time" => {
                    let v = expr(&key, value)?;
                    set(&mut o.measurement_time, &key, v)?
                }
                "max_time" => {
                    let v = expr(&key, value)?;
                    set(&mut o.max_time, &key, v)?
                }
                "ignore" => {
                    let v = match value {
                        OptionValue::Flag => LitBool::new(true, key.span()),
                        OptionValue::Expr(Expr::Lit(ExprLit {
                            lit: Lit::Bool(b), ..
                        })) => b,
                        OptionValue::Expr(other) => {
                            return Err(syn::Error::new_spanned(
                                other,
                                "option `ignore` takes no value, or `true` / `false`",
                            ))
                        }
                    };
                    set(&mut o.ignore, &key, v)?
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{other}`; expected one of: name, group, args, \
                             sample_size, warm_up_time, measurement_time, max_time, ignore"
                        ),
                    ))
                }
            }
        }
        Ok(o)
    }
}

fn opt_usize(e: &Option<Expr>) -> TokenStream2 {
    match e {
        Some(e) => quote!(::core::option::Option::Some((#e) as usize)),
        None => quote!(::core::option::Option::None),
    }
}

fn opt_secs(e: &Option<Expr>) -> TokenStream2 {
    match e {
        Some(e) => quote!(::core::option::Option::Some((#e) as f64)),
        None => quote!(::core::option::Option::None),
    }
}

/// Register a function as a benchmark case.
///
/// ```ignore
/// #[ipw_bench::bench(args = [1, 2, 3], sample_size = 20)]
/// fn work(b: &mut ipw_bench::Bencher, n: u32) {
///     b.iter(|| n * 2);
/// }
/// ```
#[proc_macro_attribute]
pub fn bench(attr: TokenStream, item: TokenStream) -> TokenStream {
    match expand(attr.into(), item.into()) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

fn expand(attr: TokenStream2, item: TokenStream2) -> syn::Result<TokenStream2> {
    let opts = BenchOptions::parse(attr)?;
    let func: ItemFn = syn::parse2(item)?;
    let ident = &func.sig.ident;
    let name = opts
        .name
        .clone()
        .unwrap_or_else(|| LitStr::new(&ident.to_string(), Span::call_site()));
    let group = match &opts.group {
        Some(g) => quote!(::core::option::Option::Some(#g)),
        None => quote!(::core::option::Option::None),
    };
    let ignore = opts
        .ignore
        .clone()
        .unwrap_or_else(|| LitBool::new(false, Span::call_site()));
    let sample_size = opt_usize(&opts.sample_size);
    let warm_up_time = opt_secs(&opts.warm_up_time);
    let measurement_time = opt_secs(&opts.measurement_time);
    let max_time = opt_secs(&opts.max_time);
    let inputs = func.sig.inputs.len();
    let (variants, run) = match &opts.args {
        Some(args) => {
            if inputs != 2 {
                return Err(syn::Error::new_spanned(
                    &func.sig,
                    "a bench with `args` takes two parameters: `(b: &mut ipw_bench::Bencher, arg: T)`",
                ));
            }
            (
                quote!(::core::option::Option::Some(|| ::ipw_bench::__private::variant_names(#args))),
                quote!(|b, variant| {
                    let arg = ::ipw_bench::__private::nth_arg(#args, variant);
                    #ident(b, arg)
                }),
            )
        }
        None => {
            if inputs != 1 {
                return Err(syn::Error::new_spanned(
                    &func.sig,
                    "a bench takes one parameter, `b: &mut ipw_bench::Bencher` (add `args = ...` for a second)",
                ));
            }
            (
                quote!(::core::option::Option::None),
                quote!(|b, _variant| #ident(b)),
            )
        }
    };
    Ok(quote! {
        #func

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
                variants: #variants,
                run: #run,
            }
        }
    })
}

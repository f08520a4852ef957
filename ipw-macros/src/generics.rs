//! Generic benches: one instance per type of `types = [...]` and value of `consts = [...]`,
//! named as divan names them (the type as written, the value's `Display`).

use crate::options::List;
use crate::type_text;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{ConstParam, Expr, GenericParam, LitStr, Signature, Type, TypeParam};

/// The instances of a generic bench, types outermost as in divan's tree (`u8/16`, `u8/64`,
/// `u64/16`, ...).
pub(crate) struct Instances {
    /// Items that `names` and `turbofish` refer to (the `consts` values).
    pub(crate) items: TokenStream,
    /// An expression of type `Vec<String>`: the name of each instance.
    pub(crate) names: TokenStream,
    /// The generic arguments of each instance: `::<u8, { __IPW_CONSTS[0] }>`.
    pub(crate) turbofish: Vec<TokenStream>,
}

/// The instances `types` and `consts` ask for; `None` when the function is not generic.
pub(crate) fn instances(
    sig: &Signature,
    types: Option<&List<Type>>,
    consts: Option<&List<Expr>>,
) -> syn::Result<Option<Instances>> {
    let (type_names, const_ty) = check(sig, types, consts)?;
    let items = match (const_ty, consts) {
        (Some(ty), Some(l)) => {
            let n = l.items.len();
            let values = &l.items;
            quote!(const __IPW_CONSTS: [#ty; #n] = [#(#values),*];)
        }
        _ => TokenStream::new(),
    };
    let type_names: Option<Vec<LitStr>> = type_names.map(|names| {
        names
            .iter()
            .map(|n| LitStr::new(n, proc_macro2::Span::call_site()))
            .collect()
    });
    let names = match (&type_names, consts) {
        (None, None) => return Ok(None),
        (Some(t), None) => quote!(::ipw_bench::__private::variant_names([#(#t),*])),
        (None, Some(_)) => quote!(::ipw_bench::__private::variant_names(__IPW_CONSTS)),
        (Some(t), Some(_)) => cross(
            quote!(::ipw_bench::__private::variant_names([#(#t),*])),
            quote!(::ipw_bench::__private::variant_names(__IPW_CONSTS)),
        ),
    };

    let type_count = types.map_or(1, |l| l.items.len());
    let const_count = consts.map_or(1, |l| l.items.len());
    let mut turbofish = Vec::with_capacity(type_count * const_count);
    for t in 0..type_count {
        for c in 0..const_count {
            // Generic arguments in the order the function declares its parameters.
            let args = sig.generics.params.iter().filter_map(|p| match p {
                GenericParam::Type(_) => types.map(|l| l.items[t].to_token_stream()),
                GenericParam::Const(_) => Some(quote!({ __IPW_CONSTS[#c] })),
                GenericParam::Lifetime(_) => None,
            });
            turbofish.push(quote!(::<#(#args),*>));
        }
    }
    Ok(Some(Instances {
        items,
        names,
        turbofish,
    }))
}

/// Every mismatch between the function's generic parameters and `types` / `consts`, as
/// one error; without one, the type names and the const parameter's type.
fn check<'a>(
    sig: &'a Signature,
    types: Option<&List<Type>>,
    consts: Option<&List<Expr>>,
) -> syn::Result<(Option<Vec<String>>, Option<&'a Type>)> {
    let name = &sig.ident;
    let type_params: Vec<&TypeParam> = sig.generics.type_params().collect();
    let const_params: Vec<&ConstParam> = sig.generics.const_params().collect();
    let mut errors: Vec<syn::Error> = Vec::new();
    if let Some(extra) = type_params.get(1) {
        errors.push(syn::Error::new_spanned(
            extra,
            "a bench takes at most one type parameter, whose types `types = [...]` lists",
        ));
    }
    if let Some(extra) = const_params.get(1) {
        errors.push(syn::Error::new_spanned(
            extra,
            "a bench takes at most one const parameter, whose values `consts = [...]` lists",
        ));
    }
    match (type_params.first(), types) {
        (Some(p), None) => {
            let t = &p.ident;
            errors.push(syn::Error::new_spanned(
                p,
                format!(
                    "`{name}` is generic over `{t}`: add `types = [...]` to \
                     `#[ipw_bench::bench]` with the types to benchmark, e.g. `types = [u8, String]`"
                ),
            ));
        }
        (None, Some(list)) => errors.push(syn::Error::new(
            list.key.span(),
            format!(
                "option `types` needs a type parameter on the function: \
                 `fn {name}<T>(b: &mut ipw_bench::Bencher)`"
            ),
        )),
        _ => {}
    }
    match (const_params.first(), consts) {
        (Some(p), None) => {
            let n = &p.ident;
            errors.push(syn::Error::new_spanned(
                p,
                format!(
                    "`{name}` is generic over `const {n}`: add `consts = [...]` to \
                     `#[ipw_bench::bench]` with the values to benchmark, e.g. `consts = [16, 64]`"
                ),
            ));
        }
        (None, Some(list)) => errors.push(syn::Error::new(
            list.key.span(),
            format!(
                "option `consts` needs a const parameter on the function: \
                 `fn {name}<const N: usize>(b: &mut ipw_bench::Bencher)`"
            ),
        )),
        _ => {}
    }
    let type_names = match types.map(|l| distinct_names(l, "type")).transpose() {
        Ok(names) => names,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if let Some(Err(e)) = consts.map(|l| distinct_names(l, "value")) {
        errors.push(e);
    }
    let mut errors = errors.into_iter();
    match errors.next() {
        Some(mut first) => {
            first.extend(errors);
            Err(first)
        }
        None => Ok((type_names, const_params.first().map(|p| &p.ty))),
    }
}

/// An expression of the names `outer/inner` for every pair, outer first: divan's tree
/// `u8` > `16` read as one path.
pub(crate) fn cross(outer: TokenStream, inner: TokenStream) -> TokenStream {
    quote!({
        let inner: ::std::vec::Vec<::std::string::String> = #inner;
        #outer
            .iter()
            .flat_map(|o| inner.iter().map(move |i| ::std::format!("{o}/{i}")))
            .collect::<::std::vec::Vec<::std::string::String>>()
    })
}

/// The items of a list, as written; an empty list or an item given twice is an error,
/// since each item is a variant with its own id.
fn distinct_names<T: ToTokens>(list: &List<T>, what: &str) -> syn::Result<Vec<String>> {
    let key = &list.key;
    if list.items.is_empty() {
        return Err(syn::Error::new(
            key.span(),
            format!("option `{key}` lists no {what}; give at least one"),
        ));
    }
    let mut names: Vec<String> = Vec::with_capacity(list.items.len());
    for item in &list.items {
        let name = type_text::written(item.to_token_stream());
        if names.contains(&name) {
            return Err(syn::Error::new_spanned(
                item,
                format!(
                    "`{name}` is listed twice in `{key}`: each {what} is one variant, \
                     and variants need distinct names"
                ),
            ));
        }
        names.push(name);
    }
    Ok(names)
}

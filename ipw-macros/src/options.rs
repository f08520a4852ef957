//! The attribute's options, parsed into struct fields.
//!
//! An unknown or repeated option, or a value of the wrong kind, is a compile error that
//! names the option and shows a value it takes.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{bracketed, Expr, ExprLit, Ident, Lit, LitBool, LitStr, Token, Type};

/// The options of one `#[bench(...)]`.
#[derive(Default)]
pub(crate) struct BenchOptions {
    pub(crate) name: Option<LitStr>,
    pub(crate) group: Option<LitStr>,
    pub(crate) args: Option<Expr>,
    pub(crate) types: Option<List<Type>>,
    pub(crate) consts: Option<List<Expr>>,
    pub(crate) sample_size: Option<Expr>,
    pub(crate) warm_up_time: Option<Expr>,
    pub(crate) measurement_time: Option<Expr>,
    pub(crate) max_time: Option<Expr>,
    pub(crate) ignore: Option<LitBool>,
    /// `bytes = N` or `elements = N`: the key and the count.
    pub(crate) throughput: Option<(Ident, Expr)>,
}

/// The items of `types = [...]` or `consts = [...]`, with the option's name for errors.
pub(crate) struct List<T> {
    pub(crate) key: Ident,
    pub(crate) items: Vec<T>,
}

const KNOWN: &str = "name, group, args, types, consts, sample_size, warm_up_time, \
                     measurement_time, max_time, ignore, bytes, elements";

enum OptionValue {
    Flag,
    Expr(Expr),
    Types(Vec<Type>),
}

struct RawOption {
    key: Ident,
    value: OptionValue,
}

impl Parse for RawOption {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key: Ident = input.parse()?;
        if !input.peek(Token![=]) {
            return Ok(RawOption {
                key,
                value: OptionValue::Flag,
            });
        }
        input.parse::<Token![=]>()?;
        // `[u8, Vec<u8>]` is not an expression, so `types` has a parser of its own.
        let value = if key == "types" {
            if !input.peek(syn::token::Bracket) {
                return Err(input.error(
                    "option `types` takes a list of types in brackets, e.g. `types = [u8, String]`",
                ));
            }
            let content;
            bracketed!(content in input);
            let types = Punctuated::<Type, Token![,]>::parse_terminated(&content)?;
            OptionValue::Types(types.into_iter().collect())
        } else {
            OptionValue::Expr(input.parse()?)
        };
        Ok(RawOption { key, value })
    }
}

impl BenchOptions {
    pub(crate) fn parse(attr: TokenStream) -> syn::Result<BenchOptions> {
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
                "types" => {
                    let items = match value {
                        OptionValue::Types(t) => t,
                        _ => return Err(needs_value(&key, "[u8, String]")),
                    };
                    let v = List {
                        key: key.clone(),
                        items,
                    };
                    set(&mut o.types, &key, v)?
                }
                "consts" => {
                    let v = consts(&key, value)?;
                    set(&mut o.consts, &key, v)?
                }
                "sample_size" => {
                    let v = whole_number(&key, value)?;
                    set(&mut o.sample_size, &key, v)?
                }
                "warm_up_time" => {
                    let v = seconds(&key, value)?;
                    set(&mut o.warm_up_time, &key, v)?
                }
                "measurement_time" => {
                    let v = seconds(&key, value)?;
                    set(&mut o.measurement_time, &key, v)?
                }
                "max_time" => {
                    let v = seconds(&key, value)?;
                    set(&mut o.max_time, &key, v)?
                }
                "ignore" => {
                    let v = match value {
                        OptionValue::Flag => LitBool::new(true, key.span()),
                        OptionValue::Expr(Expr::Lit(ExprLit {
                            lit: Lit::Bool(b), ..
                        })) => b,
                        _ => {
                            return Err(syn::Error::new(
                                key.span(),
                                "option `ignore` takes no value, or `true` / `false`",
                            ))
                        }
                    };
                    set(&mut o.ignore, &key, v)?
                }
                "bytes" | "elements" => {
                    let v = whole_number(&key, value)?;
                    if let Some((first, _)) = &o.throughput {
                        return Err(syn::Error::new(
                            key.span(),
                            format!("give `bytes` or `elements`, not both (`{first}` is given)"),
                        ));
                    }
                    o.throughput = Some((key.clone(), v));
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown option `{other}`; expected one of: {KNOWN}"),
                    ))
                }
            }
        }
        Ok(o)
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

fn needs_value(key: &Ident, example: &str) -> syn::Error {
    syn::Error::new(
        key.span(),
        format!("option `{key}` needs a value: `{key} = {example}`"),
    )
}

fn expr(key: &Ident, value: OptionValue) -> syn::Result<Expr> {
    match value {
        OptionValue::Expr(e) => Ok(e),
        _ => Err(needs_value(key, "...")),
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

fn consts(key: &Ident, value: OptionValue) -> syn::Result<List<Expr>> {
    match value {
        OptionValue::Expr(Expr::Array(a)) => Ok(List {
            key: key.clone(),
            items: a.elems.into_iter().collect(),
        }),
        OptionValue::Expr(other) => Err(syn::Error::new_spanned(
            other,
            "option `consts` takes a list of values in brackets, e.g. `consts = [16, 64]`",
        )),
        _ => Err(needs_value(key, "[16, 64]")),
    }
}

const INTEGERS: [&str; 12] = [
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
];

/// `sample_size`: any expression, but a literal must be a whole number (`10.5 as usize`
/// would silently be 10).
fn whole_number(key: &Ident, value: OptionValue) -> syn::Result<Expr> {
    let e = expr(key, value)?;
    if let Expr::Lit(ExprLit { lit, .. }) = &e {
        let whole =
            matches!(lit, Lit::Int(i) if i.suffix().is_empty() || INTEGERS.contains(&i.suffix()));
        if !whole {
            return Err(syn::Error::new_spanned(
                lit,
                format!(
                    "option `{key}` takes a whole number{}, e.g. `{key} = 20`",
                    if key == "sample_size" {
                        " of samples"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    Ok(e)
}

/// A time option: any expression, but a literal must be a number of seconds. `"1s"`,
/// `"500ms"` and `500ms` get the number to write instead.
fn seconds(key: &Ident, value: OptionValue) -> syn::Result<Expr> {
    let e = expr(key, value)?;
    let Expr::Lit(ExprLit { lit, .. }) = &e else {
        return Ok(e);
    };
    let (written, suffix) = match lit {
        Lit::Int(i) => (i.base10_digits().to_string(), i.suffix().to_string()),
        Lit::Float(f) => (f.base10_digits().to_string(), f.suffix().to_string()),
        Lit::Str(s) => (s.value(), String::new()),
        _ => (String::new(), String::new()),
    };
    let number = matches!(lit, Lit::Int(_) | Lit::Float(_))
        && (suffix.is_empty()
            || suffix == "f32"
            || suffix == "f64"
            || INTEGERS.contains(&suffix.as_str()));
    if number {
        return Ok(e);
    }
    let mut message = format!("option `{key}` takes seconds as a number, e.g. `{key} = 1.5`");
    if let Some(s) = in_seconds(&format!("{written}{suffix}")) {
        let shown = match lit {
            Lit::Str(_) => format!("\"{written}\""),
            _ => format!("{written}{suffix}"),
        };
        message.push_str(&format!("; for {shown}, write `{key} = {s}`"));
    }
    Err(syn::Error::new_spanned(lit, message))
}

/// `"1s"`, `"1.5 s"`, `"500ms"`, `"20us"`, `"10ns"` or a bare number, in seconds.
fn in_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.replace('_', "").parse().ok()?;
    let per_second = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 1e3,
        "us" | "µs" => 1e6,
        "ns" => 1e9,
        _ => return None,
    };
    Some(number / per_second)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn error(attr: TokenStream) -> String {
        match BenchOptions::parse(attr) {
            Ok(_) => panic!("the options were accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_time_given_as_a_string_gets_the_number_to_write() {
        assert_eq!(
            error(quote!(measurement_time = "1s")),
            "option `measurement_time` takes seconds as a number, e.g. \
             `measurement_time = 1.5`; for \"1s\", write `measurement_time = 1`"
        );
        assert_eq!(
            error(quote!(warm_up_time = "500ms")),
            "option `warm_up_time` takes seconds as a number, e.g. `warm_up_time = 1.5`; \
             for \"500ms\", write `warm_up_time = 0.5`"
        );
        assert!(error(quote!(max_time = 2s)).ends_with("; for 2s, write `max_time = 2`"));
        assert_eq!(
            error(quote!(max_time = "soon")),
            "option `max_time` takes seconds as a number, e.g. `max_time = 1.5`"
        );
    }

    #[test]
    fn numbers_and_expressions_are_seconds() {
        let o = BenchOptions::parse(quote!(
            warm_up_time = 1,
            measurement_time = 1.5f64,
            max_time = LIMIT * 2.0
        ))
        .unwrap();
        assert!(o.warm_up_time.is_some() && o.measurement_time.is_some() && o.max_time.is_some());
    }

    #[test]
    fn sample_size_is_a_whole_number() {
        assert!(error(quote!(sample_size = 10.5)).starts_with("option `sample_size` takes a whole"));
        assert!(error(quote!(sample_size = "10")).starts_with("option `sample_size` takes a whole"));
        assert!(BenchOptions::parse(quote!(sample_size = 10u32)).is_ok());
    }

    #[test]
    fn types_and_consts_are_bracketed_lists() {
        let o = BenchOptions::parse(quote!(types = [u8, Vec<u8>,], consts = [1, 2 * 8])).unwrap();
        assert_eq!(o.types.map(|t| t.items.len()), Some(2));
        assert_eq!(o.consts.map(|c| c.items.len()), Some(2));
        assert!(error(quote!(types = u8)).starts_with("option `types` takes a list of types"));
        assert!(error(quote!(consts = SIZES)).starts_with("option `consts` takes a list of values"));
        assert_eq!(
            error(quote!(types)),
            "option `types` needs a value: `types = [u8, String]`"
        );
    }

    #[test]
    fn in_seconds_reads_units() {
        assert_eq!(in_seconds("1.5 s"), Some(1.5));
        assert_eq!(in_seconds("20us"), Some(20e-6));
        assert_eq!(in_seconds("1_000ms"), Some(1.0));
        assert_eq!(in_seconds("3 minutes"), None);
    }
}

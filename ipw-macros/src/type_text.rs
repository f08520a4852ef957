//! A type written out as the user wrote it in `types = [...]`, spaced as rustfmt spaces it.
//!
//! This is the variant name of a generic bench: `u8`, `String`, `Vec<u8>`, `&'static str`,
//! `[u8; 4]`. Printing the tokens with `to_string()` would give `Vec < u8 >`.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// The text of `tokens` (a type), with the spaces rustfmt would put in it.
pub(crate) fn written(tokens: TokenStream) -> String {
    let mut out = String::new();
    let mut prev: Option<Piece> = None;
    for piece in pieces(tokens) {
        if let Some(p) = &prev {
            if space_between(p, &piece) {
                out.push(' ');
            }
        }
        out.push_str(piece.text());
        prev = Some(piece);
    }
    out
}

/// A word (identifier, literal or lifetime), an operator or a bracketed group, as text.
enum Piece {
    Word(String),
    Op(String),
    Group(String),
}

impl Piece {
    fn text(&self) -> &str {
        match self {
            Piece::Word(s) | Piece::Op(s) | Piece::Group(s) => s,
        }
    }
}

/// Operators with a space on each side: `fn(u8) -> u8`, `Item = u8`, `dyn A + B`.
const SPACED: [&str; 4] = ["->", "=>", "=", "+"];
/// Operators followed by a space: `(u8, u16)`, `[u8; 4]`, `Item: Copy`.
const SPACE_AFTER: [&str; 3] = [",", ";", ":"];

fn space_between(prev: &Piece, next: &Piece) -> bool {
    match (prev, next) {
        (Piece::Op(p), _) if SPACED.contains(&p.as_str()) || SPACE_AFTER.contains(&p.as_str()) => {
            true
        }
        (_, Piece::Op(n)) => SPACED.contains(&n.as_str()),
        // `<Vec<u8> as IntoIterator>`, `dyn Send`, `&'a mut T`.
        (Piece::Word(_) | Piece::Group(_), Piece::Word(_)) => true,
        (Piece::Op(p), Piece::Word(_)) => p == ">",
        // `&mut [u8]`, `&'a [u8]`, `dyn (Trait)`, but `Fn(u8)` and `fn(u8)`.
        (Piece::Word(w), Piece::Group(_)) => {
            w.starts_with('\'') || ["mut", "const", "dyn", "impl", "as"].contains(&w.as_str())
        }
        _ => false,
    }
}

fn pieces(tokens: TokenStream) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Ident(i) => out.push(Piece::Word(i.to_string())),
            TokenTree::Literal(l) => out.push(Piece::Word(l.to_string())),
            TokenTree::Group(g) => {
                let inner = written(g.stream());
                out.push(Piece::Group(match g.delimiter() {
                    Delimiter::Parenthesis => format!("({inner})"),
                    Delimiter::Bracket => format!("[{inner}]"),
                    Delimiter::Brace => format!("{{{inner}}}"),
                    Delimiter::None => inner,
                }))
            }
            TokenTree::Punct(p) if p.as_char() == '\'' => {
                // A lifetime: the quote and the identifier after it are one word.
                let name = match tokens.next() {
                    Some(t) => t.to_string(),
                    None => String::new(),
                };
                out.push(Piece::Word(format!("'{name}")));
            }
            TokenTree::Punct(p) => {
                let mut op = p.as_char().to_string();
                // Only `->`, `=>` and `::` are joined: `&&str` and `Vec<Vec<u8>>` read the
                // same either way, and `Item=&u8` must not become one `=&` operator.
                if p.spacing() == Spacing::Joint {
                    if let Some(TokenTree::Punct(next)) = tokens.peek() {
                        let pair = format!("{op}{}", next.as_char());
                        if ["->", "=>", "::"].contains(&pair.as_str()) {
                            op = pair;
                            tokens.next();
                        }
                    }
                }
                out.push(Piece::Op(op));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::written;

    fn text(ty: &str) -> String {
        let ty: syn::Type = syn::parse_str(ty).unwrap();
        written(quote::quote!(#ty))
    }

    #[test]
    fn plain_and_generic_types_read_as_written() {
        for ty in [
            "u8",
            "String",
            "Vec<u8>",
            "Vec<Vec<u8>>",
            "std::string::String",
            "HashMap<u8, String>",
            "Option<&'static str>",
        ] {
            assert_eq!(text(ty), ty);
        }
    }

    #[test]
    fn references_arrays_tuples_and_pointers() {
        for ty in [
            "&str",
            "&&str",
            "&'a mut [u8]",
            "&'a [u8]",
            "&mut (u8, u8)",
            "[u8; 4]",
            "(u8, u16)",
            "(u8,)",
            "()",
            "*const u8",
        ] {
            assert_eq!(text(ty), ty);
        }
    }

    #[test]
    fn trait_objects_and_function_pointers() {
        for ty in [
            "Box<dyn Fn(u8) -> u8 + Send>",
            "fn(&str) -> bool",
            "Box<dyn Iterator<Item = u8>>",
            "<Vec<u8> as IntoIterator>::Item",
        ] {
            assert_eq!(text(ty), ty);
        }
    }

    #[test]
    fn spacing_is_normalised() {
        assert_eq!(text("Vec < u8 >"), "Vec<u8>");
        assert_eq!(text("HashMap<u8,String>"), "HashMap<u8, String>");
        assert_eq!(
            text("Box<dyn Iterator<Item=&u8>>"),
            "Box<dyn Iterator<Item = &u8>>"
        );
        assert_eq!(text("& 'static str"), "&'static str");
    }
}

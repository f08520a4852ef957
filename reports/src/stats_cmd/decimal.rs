//! The quick reading of a plain decimal (`-12.375`): Clinger's fast path, which gives the
//! same `f64` as `str::parse` when it applies and says so when it does not.
//!
//! A decimal of at most 19 digits whose digits, read as an integer `m`, are at most 2^53,
//! with `k` <= 22 digits after the point, is `m / 10^k`: both are exact doubles, and one
//! IEEE division rounds their quotient correctly, which is what `str::parse` returns.
//! Anything else (an exponent, `inf`, more digits) is left to `str::parse`.

/// 10^0 ..= 10^22, each exact in an `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Largest integer every smaller one of which is exact in an `f64`.
const EXACT: u64 = 1 << 53;

/// `text` read as `str::parse::<f64>` reads it, when it is `[+-]digits[.digits]` with at
/// least one digit and the fast path applies; `None` otherwise (not that the text is
/// not a number: ask `str::parse`).
pub(super) fn plain(text: &[u8]) -> Option<f64> {
    let (negative, rest) = match text.first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let mut m: u64 = 0;
    let mut digits = 0usize;
    let mut after_point: Option<usize> = None;
    for &b in rest {
        match b {
            b'0'..=b'9' => {
                // Leading zeros add nothing and are not counted against the 19 digits.
                if m != 0 || b != b'0' {
                    digits += 1;
                }
                if digits > 19 {
                    return None;
                }
                m = m * 10 + u64::from(b - b'0');
                if let Some(k) = after_point.as_mut() {
                    *k += 1;
                }
            }
            b'.' if after_point.is_none() => after_point = Some(0),
            _ => return None,
        }
    }
    let k = after_point.unwrap_or(0);
    let any_digit = rest.len() > usize::from(after_point.is_some());
    if !any_digit || m > EXACT || k >= POW10.len() {
        return None;
    }
    let v = m as f64 / POW10[k];
    Some(if negative { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::plain;
    use proptest::prelude::*;

    fn same_as_std(t: &str) {
        if let Some(v) = plain(t.as_bytes()) {
            let std: f64 = t.parse().expect("what the fast path reads, std reads");
            assert_eq!(v.to_bits(), std.to_bits(), "{t:?}: {v} against {std}");
        }
    }

    #[test]
    fn plain_decimals_read_as_std_reads_them_and_the_rest_is_left_to_std() {
        for t in [
            "0",
            "-0",
            "+0",
            "-0.0",
            "1",
            "51.234567",
            "-12.375",
            "0.1",
            ".5",
            "5.",
            "007.50",
            "9007199254740992",
            "0.000000000000000000001",
            "1234567890123456789",
            "123456789.0123456789",
            "0.30000000000000004",
            "+.25",
            "-.0",
        ] {
            same_as_std(t);
        }
        assert_eq!(plain(b"51.234567"), Some(51.234567));
        assert_eq!(plain(b"-0.0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        // Left to std: an exponent, words, more than 2^53, more than 22 decimals, no digit.
        for t in [
            "1e5",
            "inf",
            "NaN",
            "9007199254740993",
            "0.00000000000000000000001",
            ".",
            "-",
            "+",
            "",
            "1.2.3",
            "1,5",
            " 1",
            "0x10",
            "12345678901234567890",
        ] {
            assert_eq!(plain(t.as_bytes()), None, "{t:?}");
        }
    }

    proptest! {
        #[test]
        fn any_digits_and_point_read_as_std_reads_them(
            sign in prop::sample::select(vec!["", "-", "+"]),
            int in "[0-9]{0,20}",
            frac in prop::option::of("[0-9]{0,24}"),
        ) {
            let t = match &frac {
                Some(f) => format!("{sign}{int}.{f}"),
                None => format!("{sign}{int}"),
            };
            same_as_std(&t);
            if !int.is_empty() && int.len() + frac.as_ref().map_or(0, String::len) <= 15
                && frac.as_ref().map_or(0, String::len) <= 22 {
                prop_assert!(plain(t.as_bytes()).is_some(), "{t:?} is on the fast path");
            }
        }

        #[test]
        fn printed_doubles_read_back_bit_for_bit(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
            for t in [format!("{x}"), format!("{x:.6}"), format!("{:.3}", x / 1e9)] {
                same_as_std(&t);
            }
        }
    }
}

//! Radix-4 modified Booth recoding.
//!
//! The recoded operand `B` (`m` bits) is read in overlapping triples
//! `(b_{2i+1}, b_{2i}, b_{2i-1})` (with `b_{-1} = 0`), each giving a digit
//! `d_i = -2 b_{2i+1} + b_{2i} + b_{2i-1}` in `{-2, -1, 0, 1, 2}`, so `B = Σ d_i 4^i`. Unsigned
//! operands are zero-extended by one bit first (a top zero keeps the last digit non-negative):
//! `⌈(m+1)/2⌉` digits; signed operands give `⌈m/2⌉`. Each digit selects `0`, `±A` or `±2A`; a
//! negative row is complemented and its `+1` goes in as a separate bit in the row's lowest
//! column. Instead of sign-extending each row to the full width, the row's sign bit `s` is
//! complemented and `-2^k` folded into the matrix constant (the "1, !s" sign-extension trick).

use super::Signedness;
use super::logic::{self, Bit, Logic};
use super::matrix::PpMatrix;

/// The Booth digit for the triple `(b_{2i+1}, b_{2i}, b_{2i-1})`: the recoding table.
#[must_use]
pub const fn booth_digit(high: bool, mid: bool, low: bool) -> i8 {
    -2 * (high as i8) + (mid as i8) + (low as i8)
}

/// Number of radix-4 Booth partial-product rows for an `m`-bit recoded operand:
/// `⌈(m+1)/2⌉` unsigned, `⌈m/2⌉` signed.
#[must_use]
pub const fn booth_rows(m: u32, signedness: Signedness) -> u32 {
    match signedness {
        // (m + 2) / 2 without the overflow at m = u32::MAX - 1.
        Signedness::Unsigned => m / 2 + 1,
        Signedness::Signed => m.div_ceil(2),
    }
}

/// The Booth digits of the `m`-bit operand `value`, least significant first, with
/// `value = Σ d_i 4^i` (as a signed number when `signedness` is signed); `m = 0` gives no
/// digits. A signed `value` may be given as its `m`-bit pattern or sign-extended to 64 bits
/// (`(-5i64) as u64`).
///
/// # Errors
/// [`Error::InvalidWidth`](crate::Error::InvalidWidth) for `m` above 64;
/// [`Error::OutOfRange`](crate::Error::OutOfRange) if `value` has bits above `m` (other
/// than a signed value's sign extension): recoding only the low bits would silently give
/// the digits of another number.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::multipliers::{booth_digits, Signedness};
///
/// // 123 = 2·4³ + 0·4² − 1·4 − 1
/// assert_eq!(booth_digits(123, 8, Signedness::Signed)?, vec![-1, -1, 0, 2]);
/// assert_eq!(booth_digits(0xFF, 8, Signedness::Unsigned)?, vec![-1, 0, 0, 0, 1]);
/// assert!(booth_digits(256, 8, Signedness::Unsigned).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn booth_digits(value: u64, m: u32, signedness: Signedness) -> crate::Result<Vec<i8>> {
    crate::Error::check_width("booth operand", m, 0, 64)?;
    let high = value.checked_shr(m).unwrap_or(0);
    let sign_extended = signedness == Signedness::Signed
        && m > 0
        && (value >> (m - 1)) & 1 == 1
        && high == u64::MAX.checked_shr(m).unwrap_or(0);
    if high != 0 && !sign_extended {
        return Err(crate::Error::OutOfRange {
            value: value.to_string(),
            min: "0".into(),
            max: if m == 64 {
                u64::MAX.to_string()
            } else {
                ((1u64 << m) - 1).to_string()
            },
            what: format!("a {m}-bit Booth operand"),
        });
    }
    if m == 0 {
        return Ok(Vec::new());
    }
    let bit = |k: i64| -> bool {
        if k < 0 {
            false
        } else if k < i64::from(m) {
            (value >> k) & 1 == 1
        } else {
            signedness == Signedness::Signed && (value >> (m - 1)) & 1 == 1
        }
    };
    Ok((0..i64::from(booth_rows(m, signedness)))
        .map(|i| booth_digit(bit(2 * i + 1), bit(2 * i), bit(2 * i - 1)))
        .collect())
}

/// Adds the Booth partial products of `a × b` (`b` recoded) to `mat` at column `shift`.
pub(crate) fn booth_rows_into<L: Logic>(
    l: &mut L,
    mat: &mut PpMatrix<L::W>,
    a: &[Bit<L::W>],
    b: &[Bit<L::W>],
    signedness: Signedness,
    shift: usize,
) {
    let (n, m) = (a.len(), b.len());
    let signed = signedness == Signedness::Signed;
    // Multiplicand as a two's-complement number of `w` bits (unsigned gets a zero on top).
    let w = if signed { n } else { n + 1 };
    let a_bit = |k: isize| -> Bit<L::W> {
        if k < 0 {
            Bit::Zero
        } else if (k as usize) < n {
            a[k as usize]
        } else if signed {
            a[n - 1]
        } else {
            Bit::Zero
        }
    };
    let b_bit = |k: isize| -> Bit<L::W> {
        if k < 0 {
            Bit::Zero
        } else if (k as usize) < m {
            b[k as usize]
        } else if signed {
            b[m - 1]
        } else {
            Bit::Zero
        }
    };
    for i in 0..booth_rows(m as u32, signedness) as isize {
        let (hi, mid, lo) = (b_bit(2 * i + 1), b_bit(2 * i), b_bit(2 * i - 1));
        // Encoder: one = mid ^ lo; two = (hi ^ mid) & !(mid ^ lo); neg = hi.
        let one = logic::xor(l, mid, lo);
        let hm = logic::xor(l, hi, mid);
        let not_one = logic::not(l, one);
        let two = logic::and(l, hm, not_one);
        let neg = hi;
        // Row pattern p_0..p_w (w + 1 bits, p_w the sign): (one·a_k | two·a_{k-1}) ^ neg.
        let row: Vec<Bit<L::W>> = (0..=w as isize)
            .map(|k| {
                let x = logic::and(l, one, a_bit(k));
                let y = logic::and(l, two, a_bit(k - 1));
                let sel = logic::or(l, x, y);
                logic::xor(l, sel, neg)
            })
            .collect();
        let offset = shift + 2 * i as usize;
        mat.add_signed_row(l, offset, &row);
        mat.add_bit(offset, neg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circuits::multipliers::logic::eval::{Eval, lane_value, pack};

    #[test]
    fn recoding_table() {
        let table = [0i8, 1, 1, 2, -2, -1, -1, 0];
        for t in 0..8u8 {
            assert_eq!(
                booth_digit(t & 4 != 0, t & 2 != 0, t & 1 != 0),
                table[t as usize]
            );
        }
    }

    #[test]
    fn digits_reconstruct_every_8_bit_value() {
        for s in [Signedness::Unsigned, Signedness::Signed] {
            for m in 1..=8u32 {
                for v in 0..1u64 << m {
                    let d = booth_digits(v, m, s).unwrap();
                    assert_eq!(d.len() as u32, booth_rows(m, s));
                    let sum: i64 = d.iter().rev().fold(0, |acc, &x| acc * 4 + i64::from(x));
                    let expect = if s == Signedness::Signed && v >> (m - 1) == 1 {
                        v as i64 - (1 << m)
                    } else {
                        v as i64
                    };
                    assert_eq!(sum, expect, "{s:?} m={m} v={v}");
                    assert!(d.iter().all(|x| (-2..=2).contains(x)));
                }
            }
        }
        assert_eq!(booth_rows(8, Signedness::Unsigned), 5);
        assert_eq!(booth_rows(8, Signedness::Signed), 4);
        assert_eq!(booth_rows(11, Signedness::Unsigned), 6);
        assert_eq!(booth_rows(11, Signedness::Signed), 6);
    }

    #[test]
    fn booth_matrix_sums_to_product() {
        for s in [Signedness::Unsigned, Signedness::Signed] {
            for n in 1..=6u32 {
                for m in 1..=6u32 {
                    let pairs: Vec<(u128, u128)> = (0..1u128 << n)
                        .flat_map(|x| (0..1u128 << m).map(move |y| (x, y)))
                        .collect();
                    for chunk in pairs.chunks(64) {
                        let xs: Vec<u128> = chunk.iter().map(|p| p.0).collect();
                        let ys: Vec<u128> = chunk.iter().map(|p| p.1).collect();
                        let mut l = Eval::default();
                        let w = (n + m) as usize;
                        let mut mat = PpMatrix::new(w);
                        booth_rows_into(&mut l, &mut mat, &pack(&xs, n), &pack(&ys, m), s, 0);
                        // One row per digit (negation bits are separate, not rows).
                        assert_eq!(mat.rows.len() as u32, booth_rows(m, s), "{s:?} {n}x{m}");
                        for (lane, &(x, y)) in chunk.iter().enumerate() {
                            let mut acc = mat.constant;
                            for row in &mat.rows {
                                acc = acc.wrapping_add(lane_value(row, lane as u32));
                            }
                            for &(j, b) in &mat.extras {
                                acc = acc.wrapping_add(lane_value(&[b], lane as u32) << j);
                            }
                            let mask = (1u128 << w) - 1;
                            let (sx, sy) = if s == Signedness::Signed {
                                (
                                    (x as i128) - if x >> (n - 1) == 1 { 1 << n } else { 0 },
                                    (y as i128) - if y >> (m - 1) == 1 { 1 << m } else { 0 },
                                )
                            } else {
                                (x as i128, y as i128)
                            };
                            assert_eq!(
                                acc & mask,
                                ((sx * sy) as u128) & mask,
                                "{s:?} {n}x{m} {sx}*{sy}"
                            );
                        }
                    }
                }
            }
        }
    }
}

//! Decimal digits of a binary value: the shortest digits that round back to it, and the exact
//! expansion, computed on big integers so they are right for every format.

use num_bigint::BigUint;
use num_traits::{One, Zero};

/// A non-negative decimal `digits * 10^exp10`, `digits` without trailing zeros (or `"0"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decimal {
    /// The significant digits, ASCII, most significant first.
    pub digits: String,
    /// The power of ten of the last digit.
    pub exp10: i32,
}

/// `m * 2^e` as an exact fraction `num / den` with `den` a power of two.
fn dyadic(m: &BigUint, e: i32) -> (BigUint, BigUint) {
    if e >= 0 {
        (m << (e as usize), BigUint::one())
    } else {
        (m.clone(), BigUint::one() << ((-e) as usize))
    }
}

fn pow10(k: u32) -> BigUint {
    BigUint::from(10u32).pow(k)
}

/// `num / (den * 10^q)` as (floor, remainder is zero, twice the remainder compared with the
/// divisor) for any sign of `q`.
fn div_pow10(num: &BigUint, den: &BigUint, q: i32) -> (BigUint, BigUint, BigUint) {
    let (n, d) = if q >= 0 {
        (num.clone(), den * pow10(q as u32))
    } else {
        (num * pow10((-q) as u32), den.clone())
    };
    let (quot, rem) = (&n / &d, &n % &d);
    (quot, rem, d)
}

/// The shortest decimal that lies in the rounding interval of the non-zero value `m * 2^e`,
/// and among those the nearest to it (an exact tie between two candidates takes the larger,
/// as Rust's own float printing does).
///
/// The interval is bounded by the midpoints to the neighbours: `(m ± ½)·2^e`, except that the
/// lower midpoint is `(m − ¼)·2^e` when `lower_closer` (the value is the first of its binade,
/// so the neighbour below is half as far). Both ends belong to the interval when `inclusive`
/// (round-to-nearest-even maps a tie to a value whose significand is even); `top_inclusive`
/// separately governs the upper end, so the largest finite value can exclude it.
pub(crate) fn shortest(
    m: u128,
    e: i32,
    lower_closer: bool,
    inclusive: bool,
    top_inclusive: bool,
) -> Decimal {
    debug_assert!(m != 0);
    // Everything in units of 2^(e-2): value 4m, upper 4m+2, lower 4m-2 or 4m-1.
    let m4 = BigUint::from(m) << 2usize;
    let hi = &m4 + 2u32;
    let lo = if lower_closer { &m4 - 1u32 } else { &m4 - 2u32 };
    let (v_num, den) = dyadic(&m4, e - 2);
    let (hi_num, _) = dyadic(&hi, e - 2);
    let (lo_num, _) = dyadic(&lo, e - 2);
    // Start above the value's order of magnitude: 2^bits < 10^(bits*0.302 + 1).
    let top_bits = hi_num.bits() as i64 - den.bits() as i64 + 1;
    let mut q = ((top_bits as f64) * std::f64::consts::LOG10_2).ceil() as i32 + 1;
    loop {
        // Candidates t with lo <= t * 10^q <= hi.
        let (lo_q, lo_r, _) = div_pow10(&lo_num, &den, q);
        let t_lo = if lo_r.is_zero() {
            if inclusive { lo_q } else { lo_q + 1u32 }
        } else {
            lo_q + 1u32
        };
        let (hi_q, hi_r, _) = div_pow10(&hi_num, &den, q);
        let t_hi = if hi_r.is_zero() && !(inclusive && top_inclusive) {
            if hi_q.is_zero() { hi_q } else { hi_q - 1u32 }
        } else {
            hi_q
        };
        if !t_lo.is_zero() && t_lo <= t_hi {
            // The nearest to the value, ties up, kept inside [t_lo, t_hi].
            let (vq, vr, d) = div_pow10(&v_num, &den, q);
            let twice: BigUint = vr << 1usize;
            let up = twice >= d;
            let mut t = if up { vq + 1u32 } else { vq };
            if t < t_lo {
                t = t_lo;
            } else if t > t_hi {
                t = t_hi;
            }
            return trimmed(t, q);
        }
        q -= 1;
    }
}

/// The exact decimal expansion of `m * 2^e` (always finite).
pub(crate) fn exact(m: u128, e: i32) -> Decimal {
    if m == 0 {
        return Decimal {
            digits: "0".into(),
            exp10: 0,
        };
    }
    let m = BigUint::from(m);
    if e >= 0 {
        trimmed(m << (e as usize), 0)
    } else {
        // m / 2^k = m * 5^k / 10^k.
        let k = (-e) as u32;
        trimmed(m * BigUint::from(5u32).pow(k), e)
    }
}

fn trimmed(t: BigUint, q: i32) -> Decimal {
    let s = t.to_str_radix(10);
    let digits = s.trim_end_matches('0');
    Decimal {
        exp10: q + (s.len() - digits.len()) as i32,
        digits: digits.to_string(),
    }
}

impl Decimal {
    /// Rounds to `frac` digits after the decimal point, ties to even (on the exact digits, as
    /// Rust's own `{:.N}` does), and writes it plainly.
    pub(crate) fn plain_with_precision(&self, frac: usize) -> String {
        let drop = -(self.exp10 as i64) - frac as i64;
        if drop <= 0 {
            return self.plain(frac);
        }
        let t = BigUint::parse_bytes(self.digits.as_bytes(), 10).unwrap_or_default();
        let d = pow10(drop as u32);
        let (q, r) = (&t / &d, &t % &d);
        let twice: BigUint = r << 1usize;
        let q = if twice > d || (twice == d && q.bit(0)) {
            q + 1u32
        } else {
            q
        };
        Decimal {
            digits: q.to_str_radix(10),
            exp10: -(frac as i32),
        }
        .plain(frac)
    }

    /// Positional notation with at least `min_frac` digits after the point (`123`, `0.001`,
    /// `1.50` for `min_frac` 2), like Rust's `Display` for floats.
    pub(crate) fn plain(&self, min_frac: usize) -> String {
        let n = self.digits.len() as i64;
        let e = self.exp10 as i64;
        let mut out = String::new();
        let frac_len;
        if e >= 0 {
            out.push_str(&self.digits);
            out.extend(std::iter::repeat_n('0', e as usize));
            frac_len = 0;
        } else if n + e > 0 {
            let split = (n + e) as usize;
            out.push_str(&self.digits[..split]);
            out.push('.');
            out.push_str(&self.digits[split..]);
            frac_len = (-e) as usize;
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-(n + e)) as usize));
            out.push_str(&self.digits);
            frac_len = (-e) as usize;
        }
        if frac_len < min_frac {
            if frac_len == 0 {
                out.push('.');
            }
            out.extend(std::iter::repeat_n('0', min_frac - frac_len));
        }
        out
    }

    /// Scientific notation with exactly `frac` digits after the point, the exact digits
    /// rounded ties-to-even (like Rust's `{:.N e}`): `1.500e3`.
    pub(crate) fn scientific_with_precision(&self, frac: usize) -> String {
        let n = self.digits.len();
        let keep = frac + 1;
        let (mut digits, mut exp) = (self.digits.clone(), self.exp10 + n as i32 - 1);
        if self.digits == "0" {
            exp = 0;
        } else if n > keep {
            let t = BigUint::parse_bytes(self.digits.as_bytes(), 10).unwrap_or_default();
            let d = pow10((n - keep) as u32);
            let (q, r) = (&t / &d, &t % &d);
            let twice: BigUint = r << 1usize;
            let q = if twice > d || (twice == d && q.bit(0)) {
                q + 1u32
            } else {
                q
            };
            digits = q.to_str_radix(10);
            if digits.len() > keep {
                // 9.99.. rounded up to 10.0..: one more power of ten.
                digits.truncate(keep);
                exp += 1;
            }
        }
        while digits.len() < keep {
            digits.push('0');
        }
        if keep == 1 {
            format!("{digits}e{exp}")
        } else {
            format!("{}.{}e{exp}", &digits[..1], &digits[1..])
        }
    }

    /// Scientific notation like Rust's `{:e}`: `1e-45`, `1.5e3`.
    pub(crate) fn scientific(&self) -> String {
        let n = self.digits.len() as i32;
        let exp = self.exp10 + n - 1;
        if n == 1 {
            format!("{}e{exp}", self.digits)
        } else {
            format!("{}.{}e{exp}", &self.digits[..1], &self.digits[1..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rust's own shortest printing of an f32, through the same interval rules.
    fn ours_f32(x: f32) -> String {
        let bits = x.to_bits();
        let exp_field = (bits >> 23) & 0xff;
        let frac = bits & 0x7f_ffff;
        let (m, e) = if exp_field == 0 {
            (frac, -149)
        } else {
            (frac | 1 << 23, exp_field as i32 - 150)
        };
        let lower_closer = frac == 0 && exp_field > 1;
        let top = bits & 0x7fff_ffff == 0x7f7f_ffff;
        shortest(m as u128, e, lower_closer, m % 2 == 0, !top).scientific()
    }

    #[test]
    fn shortest_agrees_with_rust_on_f32() {
        let mut x = 0x1234_5678u32;
        let mut specials = vec![1u32, 2, 0x7f7f_ffff, 0x0080_0000, 0x007f_ffff, 0x3f80_0000];
        specials.extend([0x3dcc_cccd, 0x4b80_0000, 0x7e96_7699, 0x0000_0003]);
        for i in 0..20_000 {
            let bits = if i < specials.len() {
                specials[i]
            } else {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x & 0x7fff_ffff
            };
            let f = f32::from_bits(bits);
            if !f.is_finite() || f == 0.0 {
                continue;
            }
            assert_eq!(ours_f32(f), format!("{f:e}"), "bits {bits:#x}");
        }
    }

    #[test]
    fn exact_expansion_and_plain_layout() {
        assert_eq!(exact(1, -1).plain(0), "0.5");
        assert_eq!(exact(3, -4).plain(0), "0.1875");
        assert_eq!(exact(5, 3).plain(0), "40");
        assert_eq!(exact(0, 0).plain(1), "0.0");
        assert_eq!(exact(1, -149).scientific().len(), "1.40129846432481707092372958328991613128026194187651577175706828388979108268586060148663818836212158203125e-45".len());
        assert_eq!(exact(25, -2).plain_with_precision(1), "6.2");
        assert_eq!(exact(27, -2).plain_with_precision(1), "6.8");
        assert_eq!(exact(3, 0).plain_with_precision(2), "3.00");
        assert_eq!(exact(1, -1).plain_with_precision(0), "0");
        assert_eq!(exact(3, -1).plain_with_precision(0), "2");
    }

    #[test]
    fn precision_rounding_matches_rust() {
        for x in [0.125f64, 0.375, 2.5, 1e-7, 123.456, 0.1, 1.0 / 3.0, 5e-324] {
            let bits = x.to_bits();
            let (m, e) = (
                (bits & ((1 << 52) - 1)) | 1 << 52,
                (bits >> 52) as i32 - 1075,
            );
            let (m, e) = if bits >> 52 == 0 {
                (bits, -1074)
            } else {
                (m, e)
            };
            for p in 0..8 {
                assert_eq!(
                    exact(m as u128, e).plain_with_precision(p),
                    format!("{x:.p$}")
                );
            }
        }
    }
}

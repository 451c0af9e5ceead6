//! An exact rational reference for floating-point results, written independently of the
//! crate's algorithms: operands are decoded from their fields by the definitions, exact
//! results are fractions `n / d` of integers (`i128` for formats up to 8 bits, `BigInt` for
//! wider ones), and rounding finds the two neighbouring representable values by binary
//! search over the sorted list of every finite value of the format.
//!
//! Only the format's widths, bias and [`Specials`] are taken from the crate.
#![allow(dead_code)]

use std::ops::{Add, Div, Mul, Rem, Shl, Sub};

use arithsim::float::{FloatFormat, Specials};
use arithsim::round::{Flags, RoundingMode};

/// The integer arithmetic the reference needs.
pub trait Int:
    Clone
    + Ord
    + From<i64>
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Rem<Output = Self>
    + Shl<usize, Output = Self>
{
}
impl<T> Int for T where
    T: Clone
        + Ord
        + From<i64>
        + Add<Output = T>
        + Sub<Output = T>
        + Mul<Output = T>
        + Div<Output = T>
        + Rem<Output = T>
        + Shl<usize, Output = T>
{
}

fn z<T: Int>() -> T {
    T::from(0)
}
fn one<T: Int>() -> T {
    T::from(1)
}
fn neg<T: Int>(x: T) -> T {
    z::<T>() - x
}
fn abs<T: Int>(x: T) -> T {
    if x < z() { neg(x) } else { x }
}

/// A decoded operand.
#[derive(Clone, Debug)]
pub enum Val<T> {
    /// A NaN; true when signalling.
    Nan(bool),
    /// ±∞ (true = negative).
    Inf(bool),
    /// A finite value: sign and `V`, the value in units of the smallest subnormal `2^-Q`.
    Fin(bool, T),
}

/// An exact result before rounding: special, or `(−1)^neg × n / d × 2^-shift` with
/// `shift` the number of `Q`s (1 for sums, 2 for products...).
#[derive(Clone, Debug)]
pub enum Exact<T> {
    /// Invalid operation: NaN result with the invalid flag.
    Invalid,
    /// Some operand was a NaN: a NaN result, invalid if `signaling`.
    Nan { signaling: bool },
    /// ±∞ exactly (`div_by_zero` when it came from x/0).
    Inf { neg: bool, div_by_zero: bool },
    /// A finite exact value `n / d` in units of the smallest subnormal (n, d ≥ 0, d > 0).
    Fin { neg: bool, n: T, d: T },
}

/// The reference for one format.
pub struct Ref<T> {
    pub f: FloatFormat,
    e: u32,
    m: u32,
    /// `vals[mag]` = value of magnitude pattern `mag` in units of the smallest subnormal.
    vals: Vec<T>,
    pub max_mag: u64,
}

impl<T: Int> Ref<T> {
    pub fn new(f: FloatFormat) -> Ref<T> {
        let (e, m) = (f.exp_bits(), f.man_bits());
        let all = (1u64 << (e + m)) - 1;
        let max_mag = match f.specials() {
            Specials::Ieee => (((1u64 << e) - 1) << m) - 1,
            Specials::NanAllOnes => all - 1,
            Specials::Fnuz | Specials::FiniteOnly => all,
        };
        let vals = (0..=max_mag)
            .map(|mag| {
                let (ef, fr) = (mag >> m, mag & ((1 << m) - 1));
                if ef == 0 {
                    T::from(fr as i64)
                } else {
                    T::from(((1u64 << m) + fr) as i64) << (ef as usize - 1)
                }
            })
            .collect();
        Ref {
            f,
            e,
            m,
            vals,
            max_mag,
        }
    }

    fn sign_bit(&self) -> u64 {
        1 << (self.e + self.m)
    }

    pub fn decode(&self, bits: u64) -> Val<T> {
        let neg = bits & self.sign_bit() != 0;
        let mag = bits & (self.sign_bit() - 1);
        match self.f.specials() {
            Specials::Fnuz if bits == self.sign_bit() => return Val::Nan(false),
            Specials::Ieee if mag == ((1 << self.e) - 1) << self.m => return Val::Inf(neg),
            Specials::Ieee if mag > ((1 << self.e) - 1) << self.m => {
                return Val::Nan(mag & (1 << (self.m - 1)) == 0);
            }
            Specials::NanAllOnes if mag == self.sign_bit() - 1 => return Val::Nan(false),
            _ => {}
        }
        Val::Fin(neg, self.vals[mag as usize].clone())
    }

    /// 2^Q as an integer, with Q = m + bias − 1: one in units of the smallest subnormal.
    pub fn unit(&self) -> T {
        one::<T>() << (self.m as usize + self.f.bias() as usize - 1)
    }

    /// The pattern of ±0 (FNUZ: +0 only).
    fn zero(&self, neg: bool) -> u64 {
        if neg && self.f.specials() != Specials::Fnuz {
            self.sign_bit()
        } else {
            0
        }
    }

    /// Rounds an exact result; returns (bits, flags). NaN results are reported as the
    /// format's NaN with the sign bit clear where it has one (compare NaN-ness only).
    pub fn round(&self, x: Exact<T>, mode: RoundingMode) -> (u64, Flags) {
        let nan = match self.f.specials() {
            Specials::Ieee => (((1 << self.e) - 1) << self.m) | (1 << (self.m - 1)),
            Specials::NanAllOnes => self.sign_bit() - 1,
            Specials::Fnuz => self.sign_bit(),
            Specials::FiniteOnly => 0,
        };
        match x {
            Exact::Invalid => (nan, Flags::INVALID),
            Exact::Nan { signaling } => (
                nan,
                if signaling {
                    Flags::INVALID
                } else {
                    Flags::empty()
                },
            ),
            Exact::Inf { neg, div_by_zero } => {
                let flags = if div_by_zero {
                    Flags::DIV_BY_ZERO
                } else {
                    Flags::empty()
                };
                (self.infinity(neg), flags)
            }
            Exact::Fin { neg, n, d } => self.round_finite(neg, n, d, mode),
        }
    }

    fn infinity(&self, neg: bool) -> u64 {
        let s = if neg { self.sign_bit() } else { 0 };
        match self.f.specials() {
            Specials::Ieee => s | (((1 << self.e) - 1) << self.m),
            Specials::NanAllOnes => s | (self.sign_bit() - 1),
            Specials::Fnuz => self.sign_bit(),
            Specials::FiniteOnly => s | self.max_mag,
        }
    }

    /// Rounds `n / d` (in smallest-subnormal units) to the format.
    pub fn round_finite(&self, neg: bool, n: T, d: T, mode: RoundingMode) -> (u64, Flags) {
        let s = if neg { self.sign_bit() } else { 0 };
        // Largest index with vals[i] * d <= n.
        let (mut lo, mut hi) = (0usize, self.vals.len()); // invariant: vals[lo]*d <= n
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if self.vals[mid].clone() * d.clone() <= n {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let exact = self.vals[lo].clone() * d.clone() == n;
        if exact {
            let bits = if lo == 0 {
                self.zero(neg)
            } else {
                s | lo as u64
            };
            return (bits, Flags::empty());
        }
        // Upper neighbour: the next value, or one top-binade step beyond the largest.
        let top_exp = (self.max_mag >> self.m) as usize;
        let (up, up_odd) = if lo as u64 == self.max_mag {
            let step = one::<T>() << (top_exp.max(1) - 1);
            (self.vals[lo].clone() + step, lo & 1 == 0)
        } else {
            (self.vals[lo + 1].clone(), (lo + 1) & 1 == 1)
        };
        let lo_odd = lo & 1 == 1;
        let overflow_all = lo as u64 == self.max_mag && up.clone() * d.clone() <= n;
        let twice = n.clone() + n.clone();
        let mid = (self.vals[lo].clone() + up.clone()) * d.clone();
        let pick_up = match mode {
            RoundingMode::NearestEven => twice > mid || (twice == mid && !up_odd),
            RoundingMode::NearestAway => twice >= mid,
            RoundingMode::NearestTowardPositive => twice > mid || (twice == mid && !neg),
            RoundingMode::TowardZero => false,
            RoundingMode::TowardPositive => !neg,
            RoundingMode::TowardNegative => neg,
            RoundingMode::ToOdd => !lo_odd,
            RoundingMode::Stochastic { .. } => unreachable!("not a reference mode"),
        };
        let to_inf_dir = match mode {
            RoundingMode::TowardZero | RoundingMode::ToOdd => false,
            RoundingMode::TowardPositive => !neg,
            RoundingMode::TowardNegative => neg,
            _ => true,
        };
        let mut flags = Flags::INEXACT;
        if overflow_all || (pick_up && lo as u64 == self.max_mag) {
            flags |= Flags::OVERFLOW;
            let bits = if to_inf_dir {
                self.infinity(neg)
            } else {
                s | self.max_mag
            };
            return (bits, flags);
        }
        let idx = if pick_up { lo + 1 } else { lo };
        // Tiny after rounding: rounded to one more bit below the smallest normal, still
        // below it. In units of half the smallest subnormal: y = 2n/d.
        let min_normal = one::<T>() << self.m as usize;
        if n.clone() < min_normal.clone() * d.clone() {
            let y2 = twice.clone() / d.clone();
            let rem = twice % d.clone();
            let rem2 = rem.clone() + rem.clone();
            let y_odd = (y2.clone() % T::from(2)) == one();
            let up2 = rem != z()
                && match mode {
                    RoundingMode::NearestEven => rem2 > d || (rem2 == d && y_odd),
                    RoundingMode::NearestAway => rem2 >= d,
                    RoundingMode::NearestTowardPositive => rem2 > d || (rem2 == d && !neg),
                    RoundingMode::TowardZero => false,
                    RoundingMode::TowardPositive => !neg,
                    RoundingMode::TowardNegative => neg,
                    RoundingMode::ToOdd => !y_odd,
                    RoundingMode::Stochastic { .. } => unreachable!(),
                };
            let r2 = if up2 { y2 + one() } else { y2 };
            if r2 < min_normal.clone() + min_normal {
                flags |= Flags::UNDERFLOW;
            }
        }
        let bits = if idx == 0 {
            self.zero(neg)
        } else {
            s | idx as u64
        };
        (bits, flags)
    }

    /// Exact sum of two operands (`negate_b` for subtraction).
    pub fn add(&self, a: u64, b: u64, negate_b: bool, mode: RoundingMode) -> Exact<T> {
        match (self.decode(a), self.decode(b)) {
            (Val::Nan(sa), Val::Nan(sb)) => Exact::Nan {
                signaling: sa || sb,
            },
            (Val::Nan(s), _) | (_, Val::Nan(s)) => Exact::Nan { signaling: s },
            (Val::Inf(x), Val::Inf(y)) => {
                if x != (y ^ negate_b) {
                    Exact::Invalid
                } else {
                    Exact::Inf {
                        neg: x,
                        div_by_zero: false,
                    }
                }
            }
            (Val::Inf(x), _) => Exact::Inf {
                neg: x,
                div_by_zero: false,
            },
            (_, Val::Inf(y)) => Exact::Inf {
                neg: y ^ negate_b,
                div_by_zero: false,
            },
            (Val::Fin(sa, va), Val::Fin(sb, vb)) => {
                let sb = sb ^ negate_b;
                let x = if sa { neg(va.clone()) } else { va.clone() }
                    + if sb { neg(vb.clone()) } else { vb.clone() };
                let zneg = if va == z() && vb == z() && sa == sb {
                    sa
                } else {
                    mode == RoundingMode::TowardNegative
                };
                self.signed(x, one(), zneg)
            }
        }
    }

    fn signed(&self, x: T, d: T, zero_neg: bool) -> Exact<T> {
        let neg = if x == z() { zero_neg } else { x < z() };
        Exact::Fin { neg, n: abs(x), d }
    }

    pub fn mul(&self, a: u64, b: u64) -> Exact<T> {
        match (self.decode(a), self.decode(b)) {
            (Val::Nan(sa), Val::Nan(sb)) => Exact::Nan {
                signaling: sa || sb,
            },
            (Val::Nan(s), _) | (_, Val::Nan(s)) => Exact::Nan { signaling: s },
            (Val::Inf(_), Val::Fin(_, v)) | (Val::Fin(_, v), Val::Inf(_)) if v == z() => {
                Exact::Invalid
            }
            (Val::Inf(x), Val::Inf(y))
            | (Val::Inf(x), Val::Fin(y, _))
            | (Val::Fin(x, _), Val::Inf(y)) => Exact::Inf {
                neg: x ^ y,
                div_by_zero: false,
            },
            (Val::Fin(x, va), Val::Fin(y, vb)) => Exact::Fin {
                neg: x ^ y,
                n: va * vb,
                d: self.unit(),
            },
        }
    }

    pub fn div(&self, a: u64, b: u64) -> Exact<T> {
        match (self.decode(a), self.decode(b)) {
            (Val::Nan(sa), Val::Nan(sb)) => Exact::Nan {
                signaling: sa || sb,
            },
            (Val::Nan(s), _) | (_, Val::Nan(s)) => Exact::Nan { signaling: s },
            (Val::Inf(_), Val::Inf(_)) => Exact::Invalid,
            (Val::Inf(x), Val::Fin(y, _)) => Exact::Inf {
                neg: x ^ y,
                div_by_zero: false,
            },
            (Val::Fin(x, _), Val::Inf(y)) => Exact::Fin {
                neg: x ^ y,
                n: z(),
                d: one(),
            },
            (Val::Fin(x, va), Val::Fin(y, vb)) => {
                if vb == z() {
                    if va == z() {
                        Exact::Invalid
                    } else {
                        Exact::Inf {
                            neg: x ^ y,
                            div_by_zero: true,
                        }
                    }
                } else {
                    Exact::Fin {
                        neg: x ^ y,
                        n: va * self.unit(),
                        d: vb,
                    }
                }
            }
        }
    }

    pub fn fma(&self, a: u64, b: u64, c: u64, mode: RoundingMode) -> Exact<T> {
        let (da, db, dc) = (self.decode(a), self.decode(b), self.decode(c));
        let sig = |v: &Val<T>| matches!(v, Val::Nan(true));
        let any_snan = sig(&da) || sig(&db) || sig(&dc);
        let is_zero = |v: &Val<T>| matches!(v, Val::Fin(_, x) if *x == z());
        let zero_inf = (matches!(da, Val::Inf(_)) && is_zero(&db))
            || (matches!(db, Val::Inf(_)) && is_zero(&da));
        if matches!(da, Val::Nan(_)) || matches!(db, Val::Nan(_)) {
            return Exact::Nan {
                signaling: any_snan,
            };
        }
        if matches!(dc, Val::Nan(_)) {
            return Exact::Nan {
                signaling: any_snan || zero_inf,
            };
        }
        if zero_inf {
            return Exact::Invalid;
        }
        let sign = |v: &Val<T>| match v {
            Val::Inf(s) | Val::Fin(s, _) => *s,
            Val::Nan(_) => false,
        };
        let sp = sign(&da) ^ sign(&db);
        let prod_inf = matches!(da, Val::Inf(_)) || matches!(db, Val::Inf(_));
        match (prod_inf, &dc) {
            (true, Val::Inf(sc)) if *sc != sp => return Exact::Invalid,
            (true, _) => {
                return Exact::Inf {
                    neg: sp,
                    div_by_zero: false,
                };
            }
            (false, Val::Inf(sc)) => {
                return Exact::Inf {
                    neg: *sc,
                    div_by_zero: false,
                };
            }
            _ => {}
        }
        let (Val::Fin(_, va), Val::Fin(_, vb), Val::Fin(sc, vc)) = (da, db, dc) else {
            unreachable!()
        };
        let p = va * vb;
        let prod_zero = p == z();
        let ps = if sp { neg(p) } else { p };
        let cs = if sc { neg(vc.clone()) } else { vc.clone() } * self.unit();
        let zneg = if prod_zero && vc == z() && sp == sc {
            sp
        } else {
            mode == RoundingMode::TowardNegative
        };
        self.signed(ps + cs, self.unit(), zneg)
    }

    /// Square root by bracketing: returns (bits, flags) directly.
    pub fn sqrt(&self, a: u64, mode: RoundingMode) -> (u64, Flags) {
        let x = match self.decode(a) {
            Val::Nan(s) => return self.round(Exact::Nan { signaling: s }, mode),
            Val::Inf(false) => {
                return self.round(
                    Exact::Inf {
                        neg: false,
                        div_by_zero: false,
                    },
                    mode,
                );
            }
            Val::Inf(true) => return self.round(Exact::Invalid, mode),
            Val::Fin(neg, v) if v == z() => return (self.zero(neg), Flags::empty()),
            Val::Fin(true, _) => return self.round(Exact::Invalid, mode),
            Val::Fin(false, v) => v,
        };
        // sqrt(x q) in units of q: sqrt(x / unit) * unit = sqrt(x * unit).
        let target = x * self.unit(); // compare r^2 with target, r in units of q
        let sq = |r: &T| r.clone() * r.clone();
        let (mut lo, mut hi) = (0usize, self.vals.len());
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if sq(&self.vals[mid]) <= target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        if sq(&self.vals[lo]) == target {
            return (lo as u64, Flags::empty());
        }
        // Never a tie (a square root is never exactly halfway); the result is normal or the
        // format's range covers it (sqrt shrinks the exponent), so no overflow or underflow.
        let up_val = self.vals[lo + 1].clone();
        let mid2 = self.vals[lo].clone() + up_val; // compare (2 sqrt)^2 with mid^2
        let twice_above = T::from(4) * target.clone() > sq(&mid2);
        let up = match mode {
            RoundingMode::NearestEven
            | RoundingMode::NearestAway
            | RoundingMode::NearestTowardPositive => twice_above,
            RoundingMode::TowardZero | RoundingMode::TowardNegative => false,
            RoundingMode::TowardPositive => true,
            RoundingMode::ToOdd => lo & 1 == 0,
            RoundingMode::Stochastic { .. } => unreachable!(),
        };
        let idx = if up { lo + 1 } else { lo };
        let mut flags = Flags::INEXACT;
        // Tiny after rounding: sqrt rounded to one more bit (units of q/2) below 2^m q.
        let m = self.m as usize;
        if target < one::<T>() << (2 * m) {
            let c = one::<T>() << (m + 1);
            let cm1 = c.clone() - one();
            let above_cm1 = T::from(4) * target.clone() > cm1.clone() * cm1;
            let two_c_m1 = c.clone() + c - one();
            let reaches = above_cm1
                && match mode {
                    RoundingMode::TowardPositive => true,
                    RoundingMode::NearestEven
                    | RoundingMode::NearestAway
                    | RoundingMode::NearestTowardPositive => {
                        T::from(16) * target > two_c_m1.clone() * two_c_m1
                    }
                    _ => false,
                };
            if !reaches {
                flags |= Flags::UNDERFLOW;
            }
        }
        (idx as u64, flags)
    }
}

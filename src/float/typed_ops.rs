//! The typed values' operators on references (`&a + &b`, `a + &b`, `&a + b`, `-&a`,
//! `a += &b`) and `Sum`/`Product` of values and references, all delegating to the by-value
//! operators of `typed.rs` (round to nearest, ties to even).
//!
//! `Sum` starts from −0 and `Product` from 1 and they accumulate in order, rounding after
//! every step, as std does for `f32`: `[x].iter().sum()` is `x` also for `x = −0`, and a long
//! sum shows the same rounding error a sequential hardware accumulator in the format would.

use std::iter::{Product, Sum};
use std::ops::{
    Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Rem, RemAssign, Sub, SubAssign,
};

use super::typed::{Bf16, F8E4M3, F8E4M3Fnuz, F8E5M2, F8E5M2Fnuz, F16, F32, F64};
use super::typed_macros::for_each_typed_float;

macro_rules! ref_ops {
    ($($name:ident: $bits:ty),*) => {$(
        ref_ops!(@bin $name, Add, add, AddAssign, add_assign);
        ref_ops!(@bin $name, Sub, sub, SubAssign, sub_assign);
        ref_ops!(@bin $name, Mul, mul, MulAssign, mul_assign);
        ref_ops!(@bin $name, Div, div, DivAssign, div_assign);
        ref_ops!(@bin $name, Rem, rem, RemAssign, rem_assign);

        impl Neg for &$name {
            type Output = $name;
            #[inline]
            fn neg(self) -> $name {
                -*self
            }
        }

        impl Sum for $name {
            /// In-order sum from −0 (+0 in FNUZ formats), rounding after every addition.
            fn sum<I: Iterator<Item = $name>>(iter: I) -> $name {
                let start = $name::from_bits($name::FORMAT.zero_bits(true) as $bits);
                iter.fold(start, |acc, x| acc + x)
            }
        }

        impl<'a> Sum<&'a $name> for $name {
            /// In-order sum from −0 (+0 in FNUZ formats), rounding after every addition.
            fn sum<I: Iterator<Item = &'a $name>>(iter: I) -> $name {
                iter.copied().sum()
            }
        }

        impl Product for $name {
            /// In-order product from 1, rounding after every multiplication.
            fn product<I: Iterator<Item = $name>>(iter: I) -> $name {
                iter.fold($name::ONE, |acc, x| acc * x)
            }
        }

        impl<'a> Product<&'a $name> for $name {
            /// In-order product from 1, rounding after every multiplication.
            fn product<I: Iterator<Item = &'a $name>>(iter: I) -> $name {
                iter.copied().product()
            }
        }
    )*};
    (@bin $name:ident, $tr:ident, $m:ident, $tra:ident, $ma:ident) => {
        impl $tr<&$name> for $name {
            type Output = $name;
            #[inline]
            fn $m(self, rhs: &$name) -> $name {
                $tr::$m(self, *rhs)
            }
        }

        impl $tr<$name> for &$name {
            type Output = $name;
            #[inline]
            fn $m(self, rhs: $name) -> $name {
                $tr::$m(*self, rhs)
            }
        }

        impl $tr<&$name> for &$name {
            type Output = $name;
            #[inline]
            fn $m(self, rhs: &$name) -> $name {
                $tr::$m(*self, *rhs)
            }
        }

        impl $tra<&$name> for $name {
            #[inline]
            fn $ma(&mut self, rhs: &$name) {
                $tra::$ma(self, *rhs);
            }
        }
    };
}

for_each_typed_float!(ref_ops);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::op_ref)] // the reference operators are what is tested
    fn reference_operators_agree_with_value_operators() {
        let (a, b) = (F16::from_f64(1.1), F16::from_f64(3.3));
        assert_eq!((&a + &b).to_bits(), (a + b).to_bits());
        assert_eq!((a - &b).to_bits(), (a - b).to_bits());
        assert_eq!((&a * b).to_bits(), (a * b).to_bits());
        assert_eq!((&a / &b).to_bits(), (a / b).to_bits());
        assert_eq!((&b % &a).to_bits(), (b % a).to_bits());
        assert_eq!((-&a).to_bits(), (-a).to_bits());
        let mut c = a;
        c += &b;
        c *= &b;
        assert_eq!(c.to_bits(), ((a + b) * b).to_bits());
    }

    #[test]
    fn sum_and_product_match_native_f32() {
        let cases: [&[f32]; 5] = [
            &[],
            &[-0.0],
            &[0.1, 0.2, 0.3, 1e8, -1e8],
            &[3.0, 1e-40, 7.5],
            &[-0.0, 0.0],
        ];
        for xs in cases {
            let t: Vec<F32> = xs.iter().map(|&x| F32::from_f32(x)).collect();
            let s: F32 = t.iter().sum();
            let p: F32 = t.iter().copied().product();
            assert_eq!(s.to_bits(), xs.iter().sum::<f32>().to_bits(), "{xs:?}");
            assert_eq!(p.to_bits(), xs.iter().product::<f32>().to_bits(), "{xs:?}");
        }
        let fnuz: F8E4M3Fnuz = std::iter::empty::<F8E4M3Fnuz>().sum();
        assert_eq!(fnuz.to_bits(), 0);
    }
}

//! Comparisons, total order, and the IEEE 754-2019 minimum/maximum operations.

use std::cmp::Ordering;

use super::env::FloatEnv;
use super::format::{FloatFormat, Specials};
use super::status::StatusAnd;
use crate::round::Flags;

impl FloatFormat {
    /// Signed ordering key of a non-NaN value: ±0 map to 0, the encoding is monotone in the
    /// magnitude.
    #[inline]
    fn order_key(self, bits: u64) -> i128 {
        let mag = self.magnitude(bits) as i128;
        if self.is_sign_negative(bits) {
            -mag
        } else {
            mag
        }
    }

    /// IEEE comparison (quiet): `None` when unordered (a NaN operand), −0 == +0.
    /// Only a signalling NaN raises invalid.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::cmp::Ordering;
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// let f = FloatFormat::FP16;
    /// let env = FloatEnv::default();
    /// assert_eq!(f.compare(0x8000, 0x0000, &env).value, Some(Ordering::Equal));
    /// assert_eq!(f.compare(0x7E00, 0x0000, &env).value, None);
    /// ```
    pub fn compare(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<Option<Ordering>> {
        let (a, b) = (a & self.mask(), b & self.mask());
        if self.is_nan(a) || self.is_nan(b) {
            let flags = if self.is_signaling(a) || self.is_signaling(b) {
                Flags::INVALID
            } else {
                Flags::empty()
            };
            return StatusAnd::new(None, flags);
        }
        let (a, b) = (self.daz(a, env), self.daz(b, env));
        StatusAnd::exact(Some(self.order_key(a).cmp(&self.order_key(b))))
    }

    /// IEEE `compareQuietEqual`: false for NaNs, −0 == +0.
    pub fn compare_eq(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<bool> {
        self.compare(a, b, env).map(|o| o == Some(Ordering::Equal))
    }

    /// IEEE `compareSignalingLess`: false and invalid when either operand is a NaN.
    pub fn compare_lt(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<bool> {
        self.signaling(a, b, env, |o| o == Ordering::Less)
    }

    /// IEEE `compareSignalingLessEqual`: false and invalid when either operand is a NaN.
    pub fn compare_le(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<bool> {
        self.signaling(a, b, env, |o| o != Ordering::Greater)
    }

    fn signaling(
        self,
        a: u64,
        b: u64,
        env: &FloatEnv,
        test: impl Fn(Ordering) -> bool,
    ) -> StatusAnd<bool> {
        let c = self.compare(a, b, env);
        match c.value {
            None => StatusAnd::new(false, Flags::INVALID),
            Some(o) => StatusAnd::new(test(o), c.flags),
        }
    }

    /// IEEE `totalOrder`: −NaN < −∞ < … < −0 < +0 < … < +∞ < +NaN, NaNs ordered by payload
    /// (signalling below quiet on the positive side). The FNUZ NaN (0x80) sorts last.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::cmp::Ordering;
    /// use arithsim::float::FloatFormat;
    /// let f = FloatFormat::FP32;
    /// assert_eq!(f.total_order(0x8000_0000, 0), Ordering::Less);
    /// assert_eq!(f.total_order(0x7FC0_0000, 0x7F80_0000), Ordering::Greater);
    /// ```
    pub fn total_order(self, a: u64, b: u64) -> Ordering {
        let key = |x: u64| -> i128 {
            let x = x & self.mask();
            if self.specials() == Specials::Fnuz && self.is_nan(x) {
                return i128::MAX;
            }
            let mag = self.magnitude(x) as i128;
            if self.is_sign_negative(x) {
                -mag - 1
            } else {
                mag
            }
        };
        key(a).cmp(&key(b))
    }

    /// IEEE 754-2019 `minimum`: NaN if either operand is NaN, −0 < +0.
    pub fn minimum(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        self.min_max(a, b, env, false, false)
    }

    /// IEEE 754-2019 `maximum`: NaN if either operand is NaN, −0 < +0.
    pub fn maximum(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        self.min_max(a, b, env, true, false)
    }

    /// IEEE 754-2019 `minimumNumber`: a NaN operand is ignored (a signalling one raises
    /// invalid); NaN only when both are NaN.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// let f = FloatFormat::FP32;
    /// let env = FloatEnv::default();
    /// let one = 1f32.to_bits() as u64;
    /// assert_eq!(f.minimum_number(0x7FC0_0000, one, &env).value, one);
    /// assert!(f.is_nan(f.minimum(0x7FC0_0000, one, &env).value));
    /// ```
    pub fn minimum_number(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        self.min_max(a, b, env, false, true)
    }

    /// IEEE 754-2019 `maximumNumber`: a NaN operand is ignored (a signalling one raises
    /// invalid); NaN only when both are NaN.
    pub fn maximum_number(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        self.min_max(a, b, env, true, true)
    }

    fn min_max(self, a: u64, b: u64, env: &FloatEnv, max: bool, number: bool) -> StatusAnd<u64> {
        let (a, b) = (a & self.mask(), b & self.mask());
        let (na, nb) = (self.is_nan(a), self.is_nan(b));
        if na || nb {
            if number && !(na && nb) {
                let flags = if self.is_signaling(a) || self.is_signaling(b) {
                    Flags::INVALID
                } else {
                    Flags::empty()
                };
                let other = if na { b } else { a };
                return StatusAnd::new(self.daz(other, env), flags);
            }
            return self.propagate_nan(&[a, b], env);
        }
        let (a, b) = (self.daz(a, env), self.daz(b, env));
        // −0 < +0 here: the total-order key on non-NaN values.
        let key = |x: u64| -> i128 {
            let mag = self.magnitude(x) as i128;
            if self.is_sign_negative(x) {
                -mag - 1
            } else {
                mag
            }
        };
        let a_first = if max {
            key(a) >= key(b)
        } else {
            key(a) <= key(b)
        };
        StatusAnd::exact(if a_first { a } else { b })
    }
}

//! A result together with the IEEE flags its operation raised.

use crate::round::Flags;

/// A value and the [`Flags`] raised computing it (rustc_apfloat's `StatusAnd`).
///
/// # Examples
///
/// ```
/// use arithsim::float::{FloatEnv, FloatFormat};
/// use arithsim::round::Flags;
///
/// let f = FloatFormat::FP16;
/// let max = f.max_finite_bits();
/// let r = f.add(max, max, &FloatEnv::default());
/// assert_eq!(Some(r.value), f.infinity_bits());
/// assert_eq!(r.flags, Flags::OVERFLOW | Flags::INEXACT);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub struct StatusAnd<T> {
    /// The result.
    pub value: T,
    /// The flags raised.
    pub flags: Flags,
}

impl<T> StatusAnd<T> {
    /// Pairs a value with flags.
    #[inline]
    pub const fn new(value: T, flags: Flags) -> StatusAnd<T> {
        StatusAnd { value, flags }
    }

    /// A value with no flags raised.
    #[inline]
    pub const fn exact(value: T) -> StatusAnd<T> {
        StatusAnd {
            value,
            flags: Flags::empty(),
        }
    }

    /// Maps the value, keeping the flags.
    #[inline]
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> StatusAnd<U> {
        StatusAnd {
            value: f(self.value),
            flags: self.flags,
        }
    }

    /// The same value with `more` flags raised too.
    #[inline]
    pub fn with_flags(self, more: Flags) -> StatusAnd<T> {
        StatusAnd {
            value: self.value,
            flags: self.flags | more,
        }
    }

    /// `(value, flags)`.
    #[inline]
    pub fn into_parts(self) -> (T, Flags) {
        (self.value, self.flags)
    }
}

//! The macros the `typed_*` modules share: the list of typed floats, so each per-type macro
//! is invoked once with every type, and the one-line trait methods that only call the type's
//! inherent method or return its constant.

/// Invokes `$m!(F64: u64, F32: u32, …)`: every typed float with its bit type. A new typed
/// float is added here and gets every per-type impl.
macro_rules! for_each_typed_float {
    ($m:ident) => {
        $m!(
            F64: u64,
            F32: u32,
            F16: u16,
            Bf16: u16,
            F8E5M2: u8,
            F8E4M3: u8,
            F8E4M3Fnuz: u8,
            F8E5M2Fnuz: u8
        );
    };
}

/// Trait methods `fn f(self) -> R` that call the inherent method of the same name
/// (`fn floor(self) -> F16 { F16::floor(self) }`): inherent methods take precedence, so this
/// is never the trait calling itself.
macro_rules! inherent_methods {
    ($name:ident: $($f:ident -> $ret:ty),* $(,)?) => {$(
        #[inline]
        fn $f(self) -> $ret {
            $name::$f(self)
        }
    )*};
}

/// Trait constructors that return one of the type's constants
/// (`fn nan() -> F16 { F16::NAN }`).
macro_rules! constant_methods {
    ($name:ident: $($f:ident = $c:ident),* $(,)?) => {$(
        #[inline]
        fn $f() -> $name {
            $name::$c
        }
    )*};
}

/// The methods `FloatCore` and `Float` have in common, each the type's constant or inherent
/// method (the caller imports `constant_methods` and `inherent_methods` too).
macro_rules! core_methods {
    ($name:ident) => {
        constant_methods!($name:
            nan = NAN,
            min_value = MIN,
            min_positive_value = MIN_POSITIVE,
            epsilon = EPSILON,
            max_value = MAX,
        );
        inherent_methods!($name:
            is_nan -> bool,
            is_infinite -> bool,
            is_finite -> bool,
            is_normal -> bool,
            is_sign_positive -> bool,
            is_sign_negative -> bool,
            abs -> $name,
            floor -> $name,
            ceil -> $name,
            trunc -> $name,
            round -> $name,
        );
    };
}

pub(super) use {constant_methods, core_methods, for_each_typed_float, inherent_methods};

//! Fixed-point arithmetic against an exact rational reference written here with i128,
//! independently of the code under test: exhaustive over every operand pair of 8-bit formats
//! for every deterministic rounding mode and every overflow policy; proptest for wider ones.

use arithsim::Signedness;
use arithsim::fixed::{Fixed, FixedFormat};
use arithsim::round::RoundingMode;
use proptest::prelude::*;

// --- the reference ---------------------------------------------------------------------------

/// `num / den` (den > 0) rounded to an integer, reasoning on the floor `q` and the remainder,
/// not on sign and magnitude as the library does.
fn round_ratio(num: i128, den: i128, mode: RoundingMode) -> i128 {
    assert!(den > 0);
    let q = num.div_euclid(den);
    let r = num.rem_euclid(den);
    if r == 0 {
        return q;
    }
    // The exact value lies strictly between q and q + 1; it is negative iff q < 0.
    let (twice, negative) = (2 * r, q < 0);
    let up = match mode {
        RoundingMode::TowardNegative => false,
        RoundingMode::TowardPositive => true,
        RoundingMode::TowardZero => negative,
        RoundingMode::NearestEven => twice > den || (twice == den && q.rem_euclid(2) == 1),
        RoundingMode::NearestAway => twice > den || (twice == den && !negative),
        RoundingMode::NearestTowardPositive => twice >= den,
        RoundingMode::ToOdd => q.rem_euclid(2) == 0,
        RoundingMode::Stochastic { .. } => unreachable!("tested separately"),
    };
    q + up as i128
}

fn min_raw(f: FixedFormat) -> i128 {
    if f.is_signed() {
        -(1i128 << (f.width() - 1))
    } else {
        0
    }
}

fn max_raw(f: FixedFormat) -> i128 {
    if f.is_signed() {
        (1i128 << (f.width() - 1)) - 1
    } else {
        (1i128 << f.width()) - 1
    }
}

/// Wraps an exact raw result into the format, the way an N-bit register does.
fn wrap(v: i128, f: FixedFormat) -> i128 {
    let m = 1i128 << f.width();
    let low = v.rem_euclid(m);
    if f.is_signed() && low > max_raw(f) {
        low - m
    } else {
        low
    }
}

/// Checks all four overflow policies of one operation against the exact raw result `want`.
fn check_policies(
    want: i128,
    f: FixedFormat,
    checked: Option<arithsim::Result<Fixed>>,
    wrapping: Fixed,
    saturating: Fixed,
    overflowing: (Fixed, bool),
    what: &dyn Fn() -> String,
) {
    let fits = (min_raw(f)..=max_raw(f)).contains(&want);
    match checked {
        None => {}
        Some(Ok(v)) => {
            assert!(fits, "{} = {want} should overflow", what());
            assert_eq!(v.raw(), want, "{}", what());
        }
        Some(Err(e)) => {
            assert!(!fits, "{} = {want}: unexpected error {e}", what());
            assert!(e.to_string().contains("is out of range"), "{e}");
        }
    }
    assert_eq!(wrapping.raw(), wrap(want, f), "wrapping {}", what());
    assert_eq!(
        saturating.raw(),
        want.clamp(min_raw(f), max_raw(f)),
        "saturating {}",
        what()
    );
    assert_eq!(overflowing.0, wrapping, "overflowing {}", what());
    assert_eq!(overflowing.1, !fits, "overflow flag {}", what());
    assert_eq!(wrapping.format(), f);
}

/// The formats on which the checked policy (which builds an error message on every
/// overflow, 15x slower than the others) is also run exhaustively.
fn check_all_policies(f: FixedFormat) -> bool {
    ["Q4.4", "UQ4.4", "Q1.7", "UQ0.8", "Q8.0", "UQ8.0"].contains(&f.to_string().as_str())
}

/// Every 8-bit format: signed Q1.7 … Q8.0 and unsigned UQ0.8 … UQ8.0.
fn formats_of_width(n: u32) -> Vec<FixedFormat> {
    let mut v: Vec<FixedFormat> = (1..=n).map(|k| FixedFormat::q(k, n - k).unwrap()).collect();
    v.extend((0..=n).map(|k| FixedFormat::uq(k, n - k).unwrap()));
    v
}

fn all_values(f: FixedFormat) -> impl Iterator<Item = Fixed> {
    (min_raw(f)..=max_raw(f)).map(move |r| Fixed::from_raw(f, r).unwrap())
}

// --- exhaustive, 8-bit formats -----------------------------------------------------------

#[test]
fn add_sub_neg_exhaustive_all_8_bit_formats() {
    for f in formats_of_width(8) {
        let full = check_all_policies(f);
        for a in all_values(f) {
            let n = -a.raw();
            check_policies(
                n,
                f,
                full.then(|| a.checked_neg()),
                a.wrapping_neg(),
                a.saturating_neg(),
                a.overflowing_neg(),
                &|| format!("-{a:?}"),
            );
            for b in all_values(f) {
                let (x, y) = (a.raw(), b.raw());
                check_policies(
                    x + y,
                    f,
                    full.then(|| a.checked_add(b)),
                    a.wrapping_add(b).unwrap(),
                    a.saturating_add(b).unwrap(),
                    a.overflowing_add(b).unwrap(),
                    &|| format!("{f} {x} + {y}"),
                );
                check_policies(
                    x - y,
                    f,
                    full.then(|| a.checked_sub(b)),
                    a.wrapping_sub(b).unwrap(),
                    a.saturating_sub(b).unwrap(),
                    a.overflowing_sub(b).unwrap(),
                    &|| format!("{f} {x} - {y}"),
                );
            }
        }
    }
}

#[test]
fn mul_exhaustive_8_bit_formats_every_mode() {
    for f in formats_of_width(8) {
        let full = check_all_policies(f);
        let scale = 1i128 << f.frac_bits();
        for mode in RoundingMode::DETERMINISTIC {
            for a in all_values(f) {
                for b in all_values(f) {
                    let (x, y) = (a.raw(), b.raw());
                    let want = round_ratio(x * y, scale, mode);
                    check_policies(
                        want,
                        f,
                        full.then(|| a.checked_mul(b, mode)),
                        a.wrapping_mul(b, mode).unwrap(),
                        a.saturating_mul(b, mode).unwrap(),
                        a.overflowing_mul(b, mode).unwrap(),
                        &|| format!("{f} {x} × {y} {mode:?}"),
                    );
                }
            }
        }
    }
}

#[test]
fn div_exhaustive_8_bit_formats_every_mode() {
    for f in formats_of_width(8) {
        let full = check_all_policies(f);
        let scale = 1i128 << f.frac_bits();
        for mode in RoundingMode::DETERMINISTIC {
            for a in all_values(f) {
                for b in all_values(f) {
                    let (x, y) = (a.raw(), b.raw());
                    if y == 0 {
                        let e = a.checked_div(b, mode).unwrap_err();
                        assert_eq!(e.to_string(), "division by zero");
                        assert!(a.saturating_div(b, mode).is_err());
                        continue;
                    }
                    let (num, den) = if y < 0 {
                        (-x * scale, -y)
                    } else {
                        (x * scale, y)
                    };
                    let want = round_ratio(num, den, mode);
                    check_policies(
                        want,
                        f,
                        full.then(|| a.checked_div(b, mode)),
                        a.wrapping_div(b, mode).unwrap(),
                        a.saturating_div(b, mode).unwrap(),
                        a.overflowing_div(b, mode).unwrap(),
                        &|| format!("{f} {x} ÷ {y} {mode:?}"),
                    );
                }
            }
        }
    }
}

/// `acc + a × b` in the accumulator's raw units, rounded once.
fn mul_acc_reference(acc: Fixed, a: Fixed, b: Fixed, mode: RoundingMode) -> i128 {
    let p = (a.format().frac_bits() + b.format().frac_bits()) as i128;
    let m = acc.format().frac_bits() as i128;
    let product = a.raw() * b.raw();
    if m >= p {
        acc.raw() + product * (1i128 << (m - p))
    } else {
        let s = 1i128 << (p - m);
        round_ratio(acc.raw() * s + product, s, mode)
    }
}

#[test]
fn mul_acc_exhaustive_q44_operands_into_three_accumulators() {
    let q44 = FixedFormat::q(4, 4).unwrap();
    let uq17 = FixedFormat::uq(1, 7).unwrap();
    // Exact (more fraction bits than the product), narrow with rounding, same as operands.
    let accs = [
        FixedFormat::q(8, 12).unwrap(),
        FixedFormat::q(6, 2).unwrap(),
        q44,
    ];
    for acc_f in accs {
        let full = acc_f == q44;
        let acc_values: Vec<Fixed> = [min_raw(acc_f), -37, 0, 5, max_raw(acc_f)]
            .into_iter()
            .map(|r| Fixed::from_raw(acc_f, r).unwrap())
            .collect();
        for mode in RoundingMode::DETERMINISTIC {
            for &acc in &acc_values {
                for a in all_values(q44) {
                    for b in all_values(q44).chain(all_values(uq17).step_by(17)) {
                        let want = mul_acc_reference(acc, a, b, mode);
                        check_policies(
                            want,
                            acc_f,
                            full.then(|| acc.checked_mul_acc(a, b, mode)),
                            acc.wrapping_mul_acc(a, b, mode),
                            acc.saturating_mul_acc(a, b, mode),
                            acc.overflowing_mul_acc(a, b, mode),
                            &|| format!("{acc:?} + {a:?} × {b:?} {mode:?}"),
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn conversion_exhaustive_between_8_bit_formats_every_mode() {
    let mut targets = formats_of_width(8);
    targets.push(FixedFormat::q(4, 12).unwrap());
    targets.push(FixedFormat::uq(2, 1).unwrap());
    for from in formats_of_width(8) {
        for &to in &targets {
            let full = true;
            for mode in RoundingMode::DETERMINISTIC {
                for a in all_values(from) {
                    let (ms, mt) = (from.frac_bits() as i128, to.frac_bits() as i128);
                    let want = if mt >= ms {
                        a.raw() << (mt - ms)
                    } else {
                        round_ratio(a.raw(), 1 << (ms - mt), mode)
                    };
                    check_policies(
                        want,
                        to,
                        full.then(|| a.checked_to_format(to, mode)),
                        a.wrapping_to_format(to, mode),
                        a.saturating_to_format(to, mode),
                        a.overflowing_to_format(to, mode),
                        &|| format!("{a:?} -> {to} {mode:?}"),
                    );
                }
            }
        }
    }
}

#[test]
fn from_f64_exhaustive_on_a_fine_grid_every_mode() {
    // Every multiple of 2^-(M+5) across and beyond the range: exact f64 inputs whose exact
    // scaled value is k / 32.
    for f in formats_of_width(8) {
        let m = f.frac_bits() as i32;
        for mode in RoundingMode::DETERMINISTIC {
            for k in (min_raw(f) - 40) * 32..=(max_raw(f) + 40) * 32 {
                let x = k as f64 * 2f64.powi(-m - 5);
                let want = round_ratio(k, 32, mode);
                let fits = (min_raw(f)..=max_raw(f)).contains(&want);
                match Fixed::from_f64(x, f, mode) {
                    Ok(v) => assert!(fits && v.raw() == want, "{x} in {f} {mode:?}"),
                    Err(e) => assert!(!fits, "{x} in {f}: {e}"),
                }
                let s = Fixed::saturating_from_f64(x, f, mode).unwrap();
                assert_eq!(s.raw(), want.clamp(min_raw(f), max_raw(f)));
            }
        }
    }
}

#[test]
fn to_f64_is_exact_for_8_bit_formats() {
    for f in formats_of_width(8) {
        for a in all_values(f) {
            let want = a.raw() as f64 / (1u64 << f.frac_bits()) as f64;
            for mode in RoundingMode::DETERMINISTIC {
                assert_eq!(a.to_f64(mode), want);
            }
        }
    }
}

#[test]
fn stochastic_mul_rounds_up_with_the_discarded_fraction() {
    // 1.5 × 0.3125 = 0.46875 in Q4.4 is raw 7.5: with 4 random bits, 8 of 16 draws go up;
    // -1.5 × 0.3125 rounds the magnitude the same way.
    let q44 = FixedFormat::q(4, 4).unwrap();
    let a = Fixed::from_raw(q44, 24).unwrap();
    let b = Fixed::from_raw(q44, 5).unwrap();
    for (x, up, down) in [(a, 8, 7), (a.checked_neg().unwrap(), -8, -7)] {
        let ups = (0..16u64)
            .filter(|&random| {
                let mode = RoundingMode::Stochastic { random, bits: 4 };
                let r = x.checked_mul(b, mode).unwrap().raw();
                assert!(r == up || r == down);
                r == up
            })
            .count();
        assert_eq!(ups, 8);
    }
}

// --- proptest, wide formats ---------------------------------------------------------------

fn wide_format() -> impl Strategy<Value = FixedFormat> {
    (
        1u32..=64,
        prop::sample::select(Signedness::ALL.to_vec()),
        any::<u32>(),
    )
        .prop_map(|(n, signedness, k)| {
            let int_bits = if signedness.is_signed() {
                1 + k % n
            } else {
                k % (n + 1)
            };
            FixedFormat::new(int_bits, n - int_bits, signedness).unwrap()
        })
}

fn value_of(f: FixedFormat) -> impl Strategy<Value = Fixed> {
    let (lo, hi) = (min_raw(f), max_raw(f));
    prop_oneof![
        Just(lo),
        Just(hi),
        Just(0i128),
        Just((lo + hi) / 2),
        (lo..=hi),
        any::<u64>().prop_map(move |b| b as i128 % (hi + 1).max(1)),
    ]
    .prop_map(move |r| Fixed::from_raw(f, r.clamp(lo, hi)).unwrap())
}

fn mode() -> impl Strategy<Value = RoundingMode> {
    (0usize..7).prop_map(|i| RoundingMode::DETERMINISTIC[i])
}

/// `(a, b)` of one random format.
fn pair() -> impl Strategy<Value = (Fixed, Fixed)> {
    wide_format().prop_flat_map(|f| (value_of(f), value_of(f)))
}

/// The product of two raw values whose magnitudes may reach 2^64: exact as sign and u128.
fn product(x: i128, y: i128) -> (bool, u128) {
    ((x < 0) != (y < 0), x.unsigned_abs() * y.unsigned_abs())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn wide_add_sub(p in pair()) {
        let (a, b) = p;
        let f = a.format();
        let (x, y) = (a.raw(), b.raw());
        check_policies(x + y, f, Some(a.checked_add(b)), a.wrapping_add(b).unwrap(),
            a.saturating_add(b).unwrap(), a.overflowing_add(b).unwrap(), &|| format!("{x}+{y}"));
        check_policies(x - y, f, Some(a.checked_sub(b)), a.wrapping_sub(b).unwrap(),
            a.saturating_sub(b).unwrap(), a.overflowing_sub(b).unwrap(), &|| format!("{x}-{y}"));
    }

    #[test]
    fn wide_mul_when_the_product_fits_i128(p in pair(), mode in mode()) {
        let (a, b) = p;
        let f = a.format();
        let (x, y) = (a.raw(), b.raw());
        let (neg, mag) = product(x, y);
        // The reference needs the product in i128; larger products are checked below.
        prop_assume!(mag < 1u128 << 126);
        let exact = if neg { -(mag as i128) } else { mag as i128 };
        let want = round_ratio(exact, 1i128 << f.frac_bits(), mode);
        check_policies(want, f, Some(a.checked_mul(b, mode)), a.wrapping_mul(b, mode).unwrap(),
            a.saturating_mul(b, mode).unwrap(), a.overflowing_mul(b, mode).unwrap(),
            &|| format!("{f} {x}×{y}"));
    }

    #[test]
    fn wide_div(p in pair(), mode in mode()) {
        let (a, b) = p;
        let f = a.format();
        let (x, y) = (a.raw(), b.raw());
        if y == 0 {
            prop_assert!(a.checked_div(b, mode).is_err());
            return Ok(());
        }
        // |x| · 2^M < 2^128; keep the reference in i128.
        prop_assume!(x.unsigned_abs() << f.frac_bits() < 1u128 << 126);
        let num = x * (1i128 << f.frac_bits());
        let want = if y < 0 { round_ratio(-num, -y, mode) } else { round_ratio(num, y, mode) };
        check_policies(want, f, Some(a.checked_div(b, mode)), a.wrapping_div(b, mode).unwrap(),
            a.saturating_div(b, mode).unwrap(), a.overflowing_div(b, mode).unwrap(),
            &|| format!("{f} {x}÷{y}"));
    }

    #[test]
    fn wide_to_f64_nearest_even_matches_native(f in wide_format(), r in any::<u64>()) {
        let raw = if f.is_signed() { r as i64 as i128 } else { r as i128 };
        let raw = raw.clamp(min_raw(f), max_raw(f));
        let v = Fixed::from_raw(f, raw).unwrap();
        // Native i64/u64 -> f64 rounds to nearest even; the scaling is exact.
        let native = if f.is_signed() { raw as i64 as f64 } else { raw as u64 as f64 };
        let want = native * 2f64.powi(-(f.frac_bits() as i32));
        prop_assert_eq!(v.to_f64(RoundingMode::NearestEven), want);
        // Directed modes bracket the value.
        prop_assert!(v.to_f64(RoundingMode::TowardNegative) <= want);
        prop_assert!(v.to_f64(RoundingMode::TowardPositive) >= want);
    }

    #[test]
    fn wide_from_f64_round_trips_values_of_53_bits_or_fewer(f in wide_format(), r in any::<u64>()) {
        let raw = (r as i128 >> 11).clamp(min_raw(f), max_raw(f));
        let v = Fixed::from_raw(f, raw).unwrap();
        let x = v.to_f64(RoundingMode::NearestEven);
        prop_assert_eq!(Fixed::from_f64(x, f, RoundingMode::TowardZero).unwrap(), v);
    }
}

#[test]
fn widest_products_saturate_and_wrap_exactly() {
    // Products beyond i128: checked against a reference built from u128 pieces.
    let u = FixedFormat::uq(32, 32).unwrap();
    let m = Fixed::max_value(u); // (2^64 - 1) · 2^-32
    for mode in RoundingMode::DETERMINISTIC {
        assert_eq!(m.saturating_mul(m, mode).unwrap(), m);
        let (w, o) = m.overflowing_mul(m, mode).unwrap();
        assert!(o);
        // (2^64-1)^2 = 2^128 - 2^65 + 1; >> 32 keeps 2^96 - 2^33 + (rounded 1/2^32);
        // the low 64 bits are 2^64 - 2^33 + (0 or 1).
        let up = matches!(mode, RoundingMode::TowardPositive | RoundingMode::ToOdd);
        assert_eq!(
            w.raw(),
            (u64::MAX as i128 - (1 << 33) + 1) + up as i128,
            "{mode:?}"
        );
    }
}

#[test]
fn comparison_across_formats_matches_cross_multiplication() {
    // a / 2^Ma <=> b / 2^Mb  iff  a · 2^Mb <=> b · 2^Ma (exact in i128 for 8-bit formats).
    let formats = formats_of_width(8);
    for &fa in &formats {
        for &fb in [
            FixedFormat::q(4, 4).unwrap(),
            FixedFormat::uq(0, 8).unwrap(),
            fa,
        ]
        .iter()
        {
            for a in all_values(fa) {
                for b in all_values(fb) {
                    let want = (a.raw() << fb.frac_bits()).cmp(&(b.raw() << fa.frac_bits()));
                    assert_eq!(a.cmp_value(&b), want, "{a:?} vs {b:?}");
                    let same = fa == fb;
                    assert_eq!(a.partial_cmp(&b), same.then_some(want));
                    assert_eq!(a == b, same && a.raw() == b.raw());
                }
            }
        }
    }
    // The widest formats: magnitudes up to 2^128 after alignment.
    let u = Fixed::max_value(FixedFormat::uq(64, 0).unwrap());
    let f = Fixed::max_value(FixedFormat::uq(0, 64).unwrap());
    assert_eq!(u.cmp_value(&f), std::cmp::Ordering::Greater);
    let m = Fixed::min_value(FixedFormat::q(64, 0).unwrap());
    assert_eq!(m.cmp_value(&f), std::cmp::Ordering::Less);
    assert_eq!(f.cmp_value(&f), std::cmp::Ordering::Equal);
}

#[test]
fn stochastic_mul_exhaustive_q44() {
    // |x·y| = q·16 + r: the magnitude rounds up exactly when the k random bits, as a k-bit
    // fraction, are below r/16 (the discarded fraction, r · 2^(k-4) in k-bit units).
    let q44 = FixedFormat::q(4, 4).unwrap();
    for k in [4u32, 6] {
        for a in all_values(q44) {
            for b in all_values(q44) {
                let p = a.raw() * b.raw();
                let (q, r) = (p.abs() / 16, p.abs() % 16);
                for random in (0..1u64 << k).step_by(3) {
                    let mode = RoundingMode::Stochastic { random, bits: k };
                    let up = (random as i128) < r << (k - 4);
                    let magnitude = q + up as i128;
                    let want = if p < 0 { -magnitude } else { magnitude };
                    let got = a.wrapping_mul(b, mode).unwrap();
                    assert_eq!(got.raw(), wrap(want, q44), "{p}/16 random {random} k {k}");
                }
            }
        }
    }
}

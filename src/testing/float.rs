//! Float patterns with the special values weighted in, and halfway cases of a narrower
//! format.

use proptest::prelude::*;

use crate::float::{FloatEnv, FloatFormat, Specials};
use crate::{Error, Result};

/// Bit patterns of `format` (in the low [`FloatFormat::width`] bits of a `u64`) with the
/// values that break arithmetic weighted in: about 30% from the list of specials (±0, ±∞,
/// the default NaNs, ±smallest and ±largest subnormal, ±smallest normal, ±1, ±largest
/// finite), 10% NaNs with random payloads (IEEE formats), 10% subnormals, the rest uniform
/// over all patterns. Each only where the format has it (no ∞ in E4M3, no −0 in FNUZ).
///
/// # Examples
///
/// ```
/// use arithsim::float::FloatFormat;
/// use arithsim::testing::float_bits;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let f = FloatFormat::FP32;
/// let mut runner = TestRunner::deterministic();
/// let draws: Vec<u64> = (0..1000)
///     .map(|_| float_bits(f).new_tree(&mut runner).unwrap().current())
///     .collect();
/// assert!(draws.iter().all(|&b| b <= f.mask()));
/// assert!(draws.iter().filter(|&&b| f.is_nan(b)).count() > 50); // 0.4% if uniform
/// ```
pub fn float_bits(format: FloatFormat) -> BoxedStrategy<u64> {
    let specials = special_patterns(format);
    let mask = format.mask();
    let sign = format.sign_bit();
    let man_mask = format.man_mask();
    let subnormal = (1..=man_mask, any::<bool>()).prop_map(move |(m, s)| m | (s as u64 * sign));
    let uniform = any::<u64>().prop_map(move |b| b & mask);
    if format.specials() == Specials::Ieee {
        let nan_exp = format.exp_field_max() << format.man_bits();
        let nan =
            (1..=man_mask, any::<bool>()).prop_map(move |(m, s)| nan_exp | m | (s as u64 * sign));
        prop_oneof![
            3 => prop::sample::select(specials),
            1 => nan,
            1 => subnormal,
            5 => uniform,
        ]
        .boxed()
    } else {
        prop_oneof![
            3 => prop::sample::select(specials),
            1 => subnormal,
            6 => uniform,
        ]
        .boxed()
    }
}

/// The specials of `format` that exist in it, each once.
fn special_patterns(format: FloatFormat) -> Vec<u64> {
    let env = FloatEnv::default();
    let mut v = vec![
        format.zero_bits(false),
        format.zero_bits(true),
        format.min_subnormal_bits(),
        format.min_normal_bits() - 1, // largest subnormal
        format.min_normal_bits(),
        format.one_bits(),
        format.max_finite_bits(),
    ];
    if let Some(inf) = format.infinity_bits() {
        v.push(inf);
    }
    // Negatives (FNUZ keeps 0's pattern under negation).
    let negatives: Vec<u64> = v.iter().map(|&b| format.neg(b)).collect();
    v.extend(negatives);
    if format.specials().has_nan() {
        for policy in [crate::float::NanPolicy::X86, crate::float::NanPolicy::RiscV] {
            v.push(format.default_nan(policy));
        }
        if format.specials() == Specials::Ieee {
            // A signalling NaN with the smallest payload.
            v.push((format.exp_field_max() << format.man_bits()) | 1);
        }
    }
    // The neighbours of 1: where rounding of ordinary arithmetic shows first.
    v.push(format.next_up(format.one_bits(), &env).value);
    v.push(format.next_down(format.one_bits(), &env).value);
    v.sort_unstable();
    v.dedup();
    v
}

/// Values of `format` exactly halfway between two adjacent finite values of the narrower
/// `target` (half of the draws), or one unit in the last place of `format` below or above
/// such a point: the inputs where a conversion to `target` (or an operation rounding to it)
/// depends on the tie rule or on the last bit. Signs are random; the result is a pattern of
/// `format`.
///
/// # Errors
///
/// [`Error::InvalidParameter`] when `format` cannot hold the midpoints of `target` exactly:
/// it needs at least one more significand bit, a range reaching `target`'s largest value, and
/// a smallest subnormal at most half of `target`'s.
///
/// # Examples
///
/// ```
/// use arithsim::float::{FloatEnv, FloatFormat};
/// use arithsim::round::RoundingMode;
/// use arithsim::testing::halfway_bits;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let (f32_, f16) = (FloatFormat::FP32, FloatFormat::FP16);
/// let mut runner = TestRunner::deterministic();
/// let strategy = halfway_bits(f32_, f16)?;
/// let down = FloatEnv::new(RoundingMode::TowardNegative);
/// let up = FloatEnv::new(RoundingMode::TowardPositive);
/// let not_in_fp16 = (0..200)
///     .map(|_| strategy.new_tree(&mut runner).unwrap().current())
///     .filter(|&x| f32_.convert(x, f16, &down).value != f32_.convert(x, f16, &up).value)
///     .count();
/// assert_eq!(not_in_fp16, 200); // every draw lies strictly between two FP16 values
/// assert!(halfway_bits(f16, f32_).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn halfway_bits(format: FloatFormat, target: FloatFormat) -> Result<BoxedStrategy<u64>> {
    let wide_enough = format.precision() > target.precision()
        && format.max_finite_f64() >= target.max_finite_f64()
        && format.min_subnormal_f64() <= target.min_subnormal_f64() / 2.0;
    if !wide_enough {
        return Err(Error::param(
            "halfway target",
            target,
            format!(
                "{format} cannot represent its midpoints exactly (needs more precision and range)"
            ),
        ));
    }
    let env = FloatEnv::default();
    let half = format.from_f64(0.5, &env).value;
    let sign = format.sign_bit();
    // Positive finite patterns of `target` are 0..=max_finite in every convention, and the
    // next value up from pattern t is t + 1.
    let below_max = target.max_finite_bits();
    Ok((0..below_max, 0u8..4, any::<bool>())
        .prop_map(move |(t, offset, negative)| {
            let lo = target.convert(t, format, &env).value;
            let hi = target.convert(t + 1, format, &env).value;
            // hi − lo is one ulp of `target`, halving it and adding to lo are exact in the
            // wider `format` (checked above), so there is no rounding here.
            let ulp = format.sub(hi, lo, &env).value;
            let mid = format
                .add(lo, format.mul(ulp, half, &env).value, &env)
                .value;
            let x = match offset {
                0 => format.next_down(mid, &env).value,
                1 => format.next_up(mid, &env).value,
                _ => mid,
            };
            if negative { x | sign } else { x }
        })
        .boxed())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::round::RoundingMode;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    fn draw(s: &BoxedStrategy<u64>, n: usize) -> Vec<u64> {
        let mut runner = TestRunner::deterministic();
        (0..n)
            .map(|_| s.new_tree(&mut runner).unwrap().current())
            .collect()
    }

    #[test]
    fn every_special_of_every_preset_comes_up() {
        for (name, f) in FloatFormat::PRESETS {
            let draws = draw(&float_bits(f), 4000);
            assert!(draws.iter().all(|&b| b <= f.mask()), "{name}");
            for s in special_patterns(f) {
                assert!(draws.contains(&s), "{name}: {s:#x} never drawn");
            }
            let subnormals = draws.iter().filter(|&&b| f.is_subnormal(b)).count();
            assert!(subnormals > 300, "{name}: {subnormals} subnormals");
        }
    }

    #[test]
    fn halfway_points_are_ties_of_the_target() {
        let pairs = [
            (FloatFormat::FP32, FloatFormat::FP16),
            (FloatFormat::FP32, FloatFormat::BF16),
            (FloatFormat::FP16, FloatFormat::FP8_E4M3),
            (FloatFormat::FP16, FloatFormat::FP8_E5M2),
            (FloatFormat::BF16, FloatFormat::FP8_E4M3FNUZ),
            (FloatFormat::FP64, FloatFormat::FP32),
        ];
        let rne = FloatEnv::new(RoundingMode::NearestEven);
        let rna = FloatEnv::new(RoundingMode::NearestAway);
        for (f, t) in pairs {
            let draws = draw(&halfway_bits(f, t).unwrap(), 2000);
            let mut ties = 0;
            for x in draws {
                let (even, away) = (f.convert(x, t, &rne), f.convert(x, t, &rna));
                assert!(
                    even.flags.contains(crate::round::Flags::INEXACT),
                    "{f}->{t} {x:#x}"
                );
                if even.value != away.value {
                    // A tie: ties-to-even picks the even pattern, ties-away the larger one.
                    assert_eq!(even.value & 1, 0, "{f}->{t} {x:#x}");
                    ties += 1;
                }
            }
            assert!(ties > 300, "{f}->{t}: {ties} ties");
        }
        assert!(halfway_bits(FloatFormat::FP16, FloatFormat::BF16).is_err());
        assert!(halfway_bits(FloatFormat::BF16, FloatFormat::FP16).is_err());
    }
}

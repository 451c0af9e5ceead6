//! Fixed-point values with the range ends weighted in.

use proptest::prelude::*;

use crate::fixed::{Fixed, FixedFormat};

/// Values of `format` with the edges weighted in: about 30% from {minimum, minimum + 1 ulp,
/// −1 ulp, 0, +1 ulp, maximum − 1 ulp, maximum} (those in range), the rest uniform over the
/// raw range.
///
/// # Examples
///
/// ```
/// use arithsim::fixed::FixedFormat;
/// use arithsim::testing::fixed_values;
/// use proptest::prelude::*;
/// use proptest::test_runner::TestRunner;
///
/// let q44 = FixedFormat::q(4, 4)?;
/// // Saturating addition never leaves the range and never errs for equal formats.
/// TestRunner::default()
///     .run(&(fixed_values(q44), fixed_values(q44)), |(a, b)| {
///         let s = a.saturating_add(b).unwrap();
///         prop_assert!((q44.min_raw()..=q44.max_raw()).contains(&s.raw()));
///         Ok(())
///     })
///     .unwrap();
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn fixed_values(format: FixedFormat) -> BoxedStrategy<Fixed> {
    let (min, max) = (format.min_raw(), format.max_raw());
    let mut edges: Vec<i128> = [min, min + 1, -1, 0, 1, max - 1, max]
        .into_iter()
        .filter(|r| format.contains_raw(*r))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    // Raws in range fit the N-bit pattern (two's complement for signed formats).
    let make = move |raw: i128| Fixed::from_pattern_unchecked(format, raw as u64);
    prop_oneof![
        3 => prop::sample::select(edges).prop_map(make),
        7 => (min..=max).prop_map(make),
    ]
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn values_stay_in_range_and_hit_the_ends() {
        for f in [
            FixedFormat::q(4, 4).unwrap(),
            FixedFormat::uq(8, 8).unwrap(),
            FixedFormat::q(64, 0).unwrap(),
            FixedFormat::uq(1, 0).unwrap(),
        ] {
            let mut runner = TestRunner::deterministic();
            let s = fixed_values(f);
            let raws: Vec<i128> = (0..2000)
                .map(|_| s.new_tree(&mut runner).unwrap().current())
                .map(|x| {
                    assert_eq!(x.format(), f);
                    x.raw()
                })
                .collect();
            assert!(raws.iter().all(|&r| f.contains_raw(r)), "{f}");
            assert!(
                raws.contains(&f.min_raw()) && raws.contains(&f.max_raw()),
                "{f}"
            );
            assert!(raws.contains(&0), "{f}");
        }
    }
}

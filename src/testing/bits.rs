//! Bit patterns of a width with the boundary patterns weighted in.

use proptest::prelude::*;

use crate::Result;

/// Patterns of `width` bits (in the low bits of a `u64`) with the boundary patterns
/// weighted in: about 30% from {0, 1, all ones, the top bit alone (the most negative two's
/// complement value), all ones below the top bit (the largest positive), all ones but the
/// lowest}, 10% with a single bit set, the rest uniform.
///
/// # Errors
///
/// [`Error::InvalidWidth`](crate::Error::InvalidWidth) unless `1 <= width <= 64`.
///
/// # Examples
///
/// ```
/// use arithsim::testing::bit_patterns;
/// use proptest::prelude::*;
/// use proptest::test_runner::TestRunner;
///
/// // Two's complement negation twice is the identity on every 12-bit pattern.
/// let mask = (1u64 << 12) - 1;
/// TestRunner::default()
///     .run(&bit_patterns(12)?, |x| {
///         prop_assert_eq!(x.wrapping_neg().wrapping_neg() & mask, x);
///         Ok(())
///     })
///     .unwrap();
/// assert!(bit_patterns(65).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn bit_patterns(width: u32) -> Result<BoxedStrategy<u64>> {
    crate::Error::check_width("bit pattern", width, 1, 64)?;
    let mask = u64::MAX >> (64 - width);
    let top = 1u64 << (width - 1);
    let mut edges = vec![0, 1, mask, top, top - 1, mask - 1];
    edges.sort_unstable();
    edges.dedup();
    Ok(prop_oneof![
        3 => prop::sample::select(edges),
        1 => (0..width).prop_map(|i| 1u64 << i),
        6 => any::<u64>().prop_map(move |x| x & mask),
    ]
    .boxed())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn patterns_fit_the_width_and_include_the_edges() {
        for w in [1, 7, 8, 33, 64] {
            let mut runner = TestRunner::deterministic();
            let s = bit_patterns(w).unwrap();
            let xs: Vec<u64> = (0..1000)
                .map(|_| s.new_tree(&mut runner).unwrap().current())
                .collect();
            let mask = u64::MAX >> (64 - w);
            assert!(xs.iter().all(|&x| x & !mask == 0), "{w}");
            assert!(
                xs.contains(&mask) && xs.contains(&0) && xs.contains(&(1 << (w - 1))),
                "{w}"
            );
        }
        assert_eq!(
            bit_patterns(0).unwrap_err().to_string(),
            "bit pattern width 0 is out of range 1..=64"
        );
    }
}

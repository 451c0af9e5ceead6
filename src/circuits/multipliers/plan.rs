//! Column-height planning for Wallace and Dadda reduction trees.
//!
//! These are pure functions on column heights (how many partial-product bits sit in each
//! column). The netlist generator asks them, stage by stage, how many full adders (3:2
//! counters) and half adders (2:2 counters) to place in each column; the same functions give
//! the stage counts and cell counts that the structure tests assert.
//!
//! Conventions: `heights[j]` is the number of bits of weight `2^j`; the product is
//! `heights.len()` bits wide, and a counter in the top column keeps only its sum (its carry
//! would have weight `2^width`, which the product drops).

/// Counters placed in one reduction stage, per column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StagePlan {
    /// Full adders (3:2 counters) in each column.
    pub full_adders: Vec<u32>,
    /// Half adders (2:2 counters) in each column.
    pub half_adders: Vec<u32>,
}

impl StagePlan {
    /// Total full adders in the stage.
    #[must_use]
    pub fn total_full_adders(&self) -> u32 {
        // Saturating: the checked plans never come near u32::MAX, a hand-built one may.
        self.full_adders
            .iter()
            .fold(0u32, |a, &x| a.saturating_add(x))
    }

    /// Total half adders in the stage.
    #[must_use]
    pub fn total_half_adders(&self) -> u32 {
        self.half_adders
            .iter()
            .fold(0u32, |a, &x| a.saturating_add(x))
    }

    /// Column heights after this stage, given the heights before it (columns the plan does
    /// not cover get no counters; a plan that takes more bits than a column holds is clamped).
    #[must_use]
    pub fn apply(&self, heights: &[u32]) -> Vec<u32> {
        let width = heights.len();
        // In u64, so a hand-built plan with huge counts cannot overflow; the checked plans'
        // heights always fit u32 (a hand-built one saturates).
        let mut next = vec![0u64; width];
        for j in 0..width {
            let f = u64::from(self.full_adders.get(j).copied().unwrap_or(0));
            let h = u64::from(self.half_adders.get(j).copied().unwrap_or(0));
            // Each counter leaves one sum in column j; its carry goes to column j + 1.
            next[j] += u64::from(heights[j]).saturating_sub(3 * f + 2 * h) + f + h;
            if j + 1 < width {
                next[j + 1] += f + h;
            }
        }
        next.into_iter()
            .map(|x| u32::try_from(x).unwrap_or(u32::MAX))
            .collect()
    }
}

/// A whole reduction: the stages in order and the heights left for the final adder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReductionPlan {
    /// One plan per stage; carries of stage `s` are inputs of stage `s + 1`.
    pub stages: Vec<StagePlan>,
    /// Column heights after the last stage (each at most 2).
    pub final_heights: Vec<u32>,
}

impl ReductionPlan {
    /// Total full adders over all stages.
    #[must_use]
    pub fn full_adders(&self) -> u32 {
        self.stages.iter().map(StagePlan::total_full_adders).sum()
    }

    /// Total half adders over all stages.
    #[must_use]
    pub fn half_adders(&self) -> u32 {
        self.stages.iter().map(StagePlan::total_half_adders).sum()
    }

    /// Columns `lo..=hi` that still hold two bits, i.e. the span of the final adder
    /// (`None` when no column has two bits).
    #[must_use]
    pub fn final_adder_span(&self) -> Option<(usize, usize)> {
        let lo = self.final_heights.iter().position(|&h| h >= 2)?;
        let hi = self.final_heights.iter().rposition(|&h| h >= 1)?;
        Some((lo, hi))
    }
}

/// Dadda's height sequence `d_1 = 2, d_{k+1} = floor(3 d_k / 2)`: 2, 3, 4, 6, 9, 13, 19, ...
///
/// Returns the targets strictly below `max_height`, largest first: the heights the stages
/// reduce to, in order. `dadda_targets(8)` is `[6, 4, 3, 2]`: four stages.
#[must_use]
pub fn dadda_targets(max_height: u32) -> Vec<u32> {
    // The sequence grows by half each step, so it has at most 53 terms below 2^32; the
    // product is taken in u64 so that no height (up to u32::MAX) overflows it.
    let mut seq = vec![2u32];
    while let Some(&last) = seq.last() {
        let next = u64::from(last) * 3 / 2;
        if next >= u64::from(max_height) {
            break;
        }
        seq.push(next as u32);
    }
    seq.retain(|&d| d < max_height);
    seq.reverse();
    seq
}

/// One Dadda stage: reduce every column to at most `target` bits with as few counters as
/// possible, counting the carries that this same stage sends into a column (they are
/// outputs of this stage, so they do not feed this stage's counters).
///
/// Counters only take bits present at the stage start; when a column does not hold enough
/// of them, it is left above the target and a later stage finishes it.
#[must_use]
#[allow(clippy::needless_range_loop)] // heights, plan and carries share the column index
pub fn dadda_stage(heights: &[u32], target: u32) -> StagePlan {
    let width = heights.len();
    let mut plan = StagePlan {
        full_adders: vec![0; width],
        half_adders: vec![0; width],
    };
    let mut carries_in = 0u64;
    for j in 0..width {
        // In closed form (one step per column, whatever the height): full adders while the
        // column is at least two above the target and three bits are free, then at most one
        // half adder, exactly as placing them one at a time would.
        let mut available = u64::from(heights[j]);
        let mut height = available + carries_in;
        let target = u64::from(target);
        let f = if height > target {
            ((height - target) / 2).min(available / 3)
        } else {
            0
        };
        available -= 3 * f;
        height -= 2 * f;
        let h = u64::from(height > target && available >= 2);
        // Within the checked plans' bounds these fit u32; a direct call with absurd heights
        // saturates rather than wraps.
        plan.full_adders[j] = u32::try_from(f).unwrap_or(u32::MAX);
        plan.half_adders[j] = u32::try_from(h).unwrap_or(u32::MAX);
        carries_in = f + h;
    }
    plan
}

/// Checks heights for a plan: at most [`limits::REDUCTION_PLAN_MAX_BITS`] bits in all, so
/// every count of bits or counters fits `u32` and no stage can overflow.
fn check_heights(heights: &[u32]) -> crate::Result<()> {
    let total: u64 = heights.iter().map(|&h| u64::from(h)).sum();
    if total > crate::limits::REDUCTION_PLAN_MAX_BITS {
        return Err(crate::Error::param(
            "column heights",
            format!("{total} bits in {} columns", heights.len()),
            format!(
                "a reduction plan takes at most {} bits (limits::REDUCTION_PLAN_MAX_BITS)",
                crate::limits::REDUCTION_PLAN_MAX_BITS
            ),
        ));
    }
    Ok(())
}

/// One Wallace stage: in every column, a full adder on each group of three bits and a half
/// adder on a pair left over (greedy, as in Wallace's scheme; the stage runs while any column
/// holds three or more bits).
#[must_use]
pub fn wallace_stage(heights: &[u32]) -> StagePlan {
    StagePlan {
        full_adders: heights.iter().map(|&h| h / 3).collect(),
        half_adders: heights.iter().map(|&h| u32::from(h % 3 == 2)).collect(),
    }
}

/// The full Dadda plan for a matrix of column heights.
///
/// # Errors
/// [`Error::InvalidParameter`](crate::Error::InvalidParameter) for more than
/// [`limits::REDUCTION_PLAN_MAX_BITS`](crate::limits::REDUCTION_PLAN_MAX_BITS) bits in all.
pub fn dadda_plan(heights: &[u32]) -> crate::Result<ReductionPlan> {
    check_heights(heights)?;
    let max = heights.iter().copied().max().unwrap_or(0);
    let mut h = heights.to_vec();
    let mut stages = Vec::new();
    for target in dadda_targets(max) {
        let stage = dadda_stage(&h, target);
        h = stage.apply(&h);
        stages.push(stage);
    }
    // A matrix Dadda's targets cannot fully reduce (rare shapes) gets extra stages at 2.
    while h.iter().any(|&x| x > 2) {
        let stage = dadda_stage(&h, 2);
        h = stage.apply(&h);
        stages.push(stage);
    }
    Ok(ReductionPlan {
        stages,
        final_heights: h,
    })
}

/// The full Wallace plan: greedy stages until every column holds at most two bits.
///
/// # Errors
/// As [`dadda_plan`].
pub fn wallace_plan(heights: &[u32]) -> crate::Result<ReductionPlan> {
    check_heights(heights)?;
    let mut h = heights.to_vec();
    let mut stages = Vec::new();
    while h.iter().any(|&x| x > 2) {
        let stage = wallace_stage(&h);
        h = stage.apply(&h);
        stages.push(stage);
    }
    Ok(ReductionPlan {
        stages,
        final_heights: h,
    })
}

/// Column heights of an unsigned `n × m` AND array in an `n + m`-bit product: column `k`
/// holds the products `a_i·b_j` with `i + j = k`.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::multipliers::plan::and_array_heights;
///
/// assert_eq!(and_array_heights(3, 2)?, vec![1, 2, 2, 1, 0]);
/// assert!(and_array_heights(u32::MAX, 1).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidWidth`](crate::Error::InvalidWidth) for `n` or `m` above
/// [`limits::REDUCTION_PLAN_MAX_WIDTH`](crate::limits::REDUCTION_PLAN_MAX_WIDTH), before
/// anything is allocated.
pub fn and_array_heights(n: u32, m: u32) -> crate::Result<Vec<u32>> {
    let max = crate::limits::REDUCTION_PLAN_MAX_WIDTH;
    crate::Error::check_width("AND array operand", n, 0, max)?;
    crate::Error::check_width("AND array operand", m, 0, max)?;
    let width = (n + m) as usize;
    if n == 0 || m == 0 {
        return Ok(vec![0; width]);
    }
    // Pairs (i, j) with i + j = k, 0 <= i < n, 0 <= j < m: closed form, no n·m loop.
    let (n, m) = (n as usize, m as usize);
    Ok((0..width)
        .map(|k| {
            let lo = k.saturating_sub(m - 1);
            let hi = k.min(n - 1);
            if hi >= lo { (hi - lo + 1) as u32 } else { 0 }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dadda_sequence() {
        assert_eq!(dadda_targets(2), Vec::<u32>::new());
        assert_eq!(dadda_targets(3), vec![2]);
        assert_eq!(dadda_targets(8), vec![6, 4, 3, 2]);
        assert_eq!(dadda_targets(16), vec![13, 9, 6, 4, 3, 2]);
        assert_eq!(dadda_targets(32), vec![28, 19, 13, 9, 6, 4, 3, 2]);
        assert_eq!(dadda_targets(64), vec![63, 42, 28, 19, 13, 9, 6, 4, 3, 2]);
    }

    #[test]
    fn dadda_stage_counts_and_cells() {
        for (n, stages) in [(8u32, 4usize), (16, 6), (32, 8)] {
            let plan = dadda_plan(&and_array_heights(n, n).unwrap()).unwrap();
            assert_eq!(plan.stages.len(), stages, "n = {n}");
            assert_eq!(plan.full_adders(), n * n - 4 * n + 3, "n = {n}");
            assert_eq!(plan.half_adders(), n - 1, "n = {n}");
            let (lo, hi) = plan.final_adder_span().unwrap();
            assert_eq!(
                hi - lo + 1,
                2 * n as usize - 2,
                "final adder width, n = {n}"
            );
            assert_eq!(
                plan.final_heights[2 * n as usize - 1],
                0,
                "no carry into the top"
            );
            assert!(plan.final_heights.iter().all(|&h| h <= 2));
        }
        let p8 = dadda_plan(&and_array_heights(8, 8).unwrap()).unwrap();
        assert_eq!((p8.full_adders(), p8.half_adders()), (35, 7));
    }

    #[test]
    fn wallace_stage_counts() {
        for (n, stages) in [(8u32, 4usize), (16, 6), (32, 8)] {
            let plan = wallace_plan(&and_array_heights(n, n).unwrap()).unwrap();
            assert_eq!(plan.stages.len(), stages, "n = {n}");
            assert!(plan.final_heights.iter().all(|&h| h <= 2));
            // Wallace reduces greedily, so it never uses fewer counters than Dadda.
            let dadda = dadda_plan(&and_array_heights(n, n).unwrap()).unwrap();
            assert!(
                plan.full_adders() + plan.half_adders()
                    >= dadda.full_adders() + dadda.half_adders()
            );
        }
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn plans_keep_bit_count() {
        // A full adder turns 3 bits into 2, a half adder 2 into 2; in the top column a counter
        // keeps only its sum.
        for (n, m) in [(8u32, 8u32), (11, 5), (3, 17), (1, 1), (64, 64)] {
            let h0 = and_array_heights(n, m).unwrap();
            for plan in [dadda_plan(&h0).unwrap(), wallace_plan(&h0).unwrap()] {
                let mut h = h0.clone();
                for s in &plan.stages {
                    let next = s.apply(&h);
                    let top = h.len() - 1;
                    let dropped = s.full_adders[top] + s.half_adders[top];
                    let before: u32 = h.iter().sum();
                    let after: u32 = next.iter().sum();
                    assert_eq!(after, before - s.total_full_adders() - dropped, "{n}x{m}");
                    for j in 0..h.len() {
                        assert!(
                            3 * s.full_adders[j] + 2 * s.half_adders[j] <= h[j],
                            "{n}x{m} col {j}"
                        );
                    }
                    h = next;
                }
                assert_eq!(h, plan.final_heights);
                assert!(h.iter().all(|&x| x <= 2), "{n}x{m}");
            }
        }
    }

    #[test]
    fn any_unsigned_fa_ha_tree_has_n2_minus_2n_full_adders_with_ripple() {
        // N^2 bits, 2N outputs: the tree's FAs plus the ripple adder's FAs remove N^2 - 2N bits.
        for n in [4u32, 8, 16, 32] {
            let h0 = and_array_heights(n, n).unwrap();
            for plan in [dadda_plan(&h0).unwrap(), wallace_plan(&h0).unwrap()] {
                let (lo, hi) = plan.final_adder_span().unwrap();
                // Ripple over lo..=hi: a half adder at lo, full adders above, except where a
                // column holds one bit (a half adder with the carry).
                let ripple_fa: u32 = (lo + 1..=hi)
                    .map(|j| u32::from(plan.final_heights[j] == 2))
                    .sum();
                if (hi as u32) < 2 * n - 1 {
                    assert_eq!(plan.full_adders() + ripple_fa, n * n - 2 * n, "n = {n}");
                }
            }
        }
    }
}

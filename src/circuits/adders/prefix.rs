//! Parallel-prefix carry networks: Sklansky, Kogge-Stone, Brent-Kung, Han-Carlson,
//! Ladner-Fischer.
//!
//! Bit `i` starts as the group `[i:i]` with `g_i = a_i & b_i`, `p_i = a_i ^ b_i`. A prefix
//! cell combines node `i` (group `[i:k]`) with node `j` (group `[k-1:m]`) into `[i:m]`:
//! `G = G_i | (P_i & G_j)`, `P = P_i & P_j`. A group that reaches bit 0 never needs its
//! `P`, so that cell is a 2-gate gray cell; the others are 3-gate black cells. A live
//! carry-in is merged into bit 0 first (`g_0' = g_0 | (p_0 & cin)`, one more gray cell and
//! one more level); a constant-0 carry-in costs nothing. Then `c_i = G[i-1:0]`,
//! `sum_i = p_i ^ c_i` and `cout = G[N-1:0]`.
//!
//! Unit-gate depth with carry-in 0 is `2L + 2` for `N >= 2` (1 for `g`/`p`, 2 per prefix
//! level, 1 for the sum XOR), where `L` is the number of levels.

use super::AdderKind;
use crate::gates::{Builder, Wire};

/// One level of a prefix network: pairs `(i, j)`, node `i` absorbs node `j` (`j < i`). All
/// pairs of a level read the values from before the level.
pub type PrefixLevel = Vec<(usize, usize)>;

/// The prefix network of `kind` for `n` bits, level by level (empty for non-prefix kinds).
///
/// Cell counts for `n` a power of two (`L = log2 n`): Sklansky `(n/2)·L` in `L` levels,
/// Kogge-Stone `n·L - n + 1` in `L`, Brent-Kung `2n - L - 2` in `2L - 1`, Han-Carlson
/// `(n/2)·L` in `L + 1`, Ladner-Fischer `(n/4)·(L - 1) + n - 1` in `L + 1`.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::{prefix_schedule, AdderKind};
///
/// let ks = prefix_schedule(AdderKind::KoggeStone, 8)?;
/// assert_eq!(ks.len(), 3);
/// assert_eq!(ks.iter().map(Vec::len).sum::<usize>(), 8 * 3 - 8 + 1);
/// assert!(prefix_schedule(AdderKind::KoggeStone, usize::MAX).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidWidth`](crate::Error::InvalidWidth) for `n` above
/// [`limits::PREFIX_SCHEDULE_MAX_WIDTH`](crate::limits::PREFIX_SCHEDULE_MAX_WIDTH) (a
/// Kogge-Stone schedule holds `n·log2 n` pairs), checked before anything is allocated.
pub fn prefix_schedule(kind: AdderKind, n: usize) -> crate::Result<Vec<PrefixLevel>> {
    let max = crate::limits::PREFIX_SCHEDULE_MAX_WIDTH;
    if n > max {
        return Err(crate::Error::width(
            "prefix schedule",
            u32::try_from(n).unwrap_or(u32::MAX),
            0,
            max as u32,
        ));
    }
    Ok(schedule(kind, n))
}

/// [`prefix_schedule`] for a width already checked.
fn schedule(kind: AdderKind, n: usize) -> Vec<PrefixLevel> {
    let mut levels: Vec<PrefixLevel> = Vec::new();
    let pow2 = |limit: usize| {
        let mut v = Vec::new();
        let mut d = 1;
        while d < limit {
            v.push(d);
            d *= 2;
        }
        v
    };
    match kind {
        AdderKind::Sklansky => {
            for (l, _) in pow2(n).iter().enumerate() {
                levels.push(sklansky_level(l, n, |k| k));
            }
        }
        AdderKind::KoggeStone => {
            for d in pow2(n) {
                levels.push((d..n).map(|i| (i, i - d)).collect());
            }
        }
        AdderKind::BrentKung => {
            let ds = pow2(n);
            for &d in &ds {
                levels.push((2 * d - 1..n).step_by(2 * d).map(|i| (i, i - d)).collect());
            }
            for &d in ds.iter().rev() {
                levels.push((3 * d - 1..n).step_by(2 * d).map(|i| (i, i - d)).collect());
            }
        }
        AdderKind::HanCarlson | AdderKind::LadnerFischer => {
            levels.push((1..n).step_by(2).map(|i| (i, i - 1)).collect());
            let odd = n / 2; // odd positions 1, 3, ..., as indices 0..odd
            if kind == AdderKind::HanCarlson {
                for d in pow2(odd) {
                    levels.push((d..odd).map(|k| (2 * k + 1, 2 * (k - d) + 1)).collect());
                }
            } else {
                for (l, _) in pow2(odd).iter().enumerate() {
                    levels.push(sklansky_level(l, odd, |k| 2 * k + 1));
                }
            }
            levels.push((2..n).step_by(2).map(|i| (i, i - 1)).collect());
        }
        _ => {}
    }
    levels.retain(|l| !l.is_empty());
    levels
}

/// Level `l` of Sklansky's network on `n` nodes, mapped to bit positions by `pos`.
fn sklansky_level(l: usize, n: usize, pos: impl Fn(usize) -> usize) -> PrefixLevel {
    (0..n)
        .filter(|k| k >> l & 1 == 1)
        .map(|k| (pos(k), pos((k >> l << l) - 1)))
        .collect()
}

pub(super) fn build_prefix_adder(
    b: &mut Builder,
    kind: AdderKind,
    x: &[Wire],
    y: &[Wire],
    cin: Wire,
) -> (Vec<Wire>, Wire) {
    let n = x.len();
    b.push_label("pg");
    let p: Vec<Wire> = x.iter().zip(y).map(|(&a, &c)| b.xor(a, c)).collect();
    let mut g: Vec<Wire> = x.iter().zip(y).map(|(&a, &c)| b.and(a, c)).collect();
    b.pop_label();
    b.push_label("carry tree");
    g[0] = b.prefix_gray(g[0], p[0], cin);
    let mut pp = p.clone();
    let mut lo: Vec<usize> = (0..n).collect();
    for level in schedule(kind, n) {
        let (g_old, p_old, lo_old) = (g.clone(), pp.clone(), lo.clone());
        for (i, j) in level {
            debug_assert_eq!(lo_old[i], j + 1, "prefix groups must be adjacent");
            if lo_old[j] == 0 {
                g[i] = b.prefix_gray(g_old[i], p_old[i], g_old[j]);
            } else {
                let (gg, pj) = b.prefix_black(g_old[i], p_old[i], g_old[j], p_old[j]);
                g[i] = gg;
                pp[i] = pj;
            }
            lo[i] = lo_old[j];
        }
    }
    b.pop_label();
    debug_assert!(
        lo.iter().all(|&l| l == 0),
        "every prefix group must reach bit 0"
    );
    b.push_label("sum");
    let mut s = Vec::with_capacity(n);
    s.push(b.xor(p[0], cin));
    for i in 1..n {
        s.push(b.xor(p[i], g[i - 1]));
    }
    b.pop_label();
    (s, g[n - 1])
}

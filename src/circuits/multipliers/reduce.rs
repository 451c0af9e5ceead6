//! Reducing a partial-product matrix to two rows, then to one with a carry-propagate adder.
//!
//! Trees (Wallace, Dadda) are built stage by stage: a stage's counters read only bits present
//! at the stage start, and the carries they produce are bits of the next stage, so the logic
//! depth is one counter per stage. The array reduction adds one row per stage into a
//! carry-save pair, so its depth grows with the number of rows.
//!
//! A counter in the top column keeps only its sum: its carry would have weight `2^width`,
//! which the product drops (it is always 0 for a full-width product), so it is not built.

use super::Reduction;
use super::logic::{self, Bit, Logic};
use super::matrix::PpMatrix;
use super::plan;

/// The result of a reduction: at most two bits per column, and how many stages it took.
pub(crate) struct Reduced<W> {
    pub(crate) columns: Vec<Vec<Bit<W>>>,
    pub(crate) stages: usize,
}

/// Folds pairs of constant ones in a column into one a column up (`1 + 1 = 2`), keeping at
/// most one constant per column.
fn normalize_ones<W: Copy>(cols: &mut [Vec<Bit<W>>]) {
    let width = cols.len();
    let mut carry = 0usize;
    for j in 0..width {
        let ones = cols[j].iter().filter(|b| matches!(b, Bit::One)).count() + carry;
        cols[j].retain(|b| !matches!(b, Bit::One));
        if ones % 2 == 1 {
            cols[j].insert(0, Bit::One);
        }
        carry = ones / 2;
    }
}

fn push<W>(col: &mut Vec<Bit<W>>, b: Bit<W>) {
    if !matches!(b, Bit::Zero) {
        col.push(b);
    }
}

/// Applies one stage plan to actual bits. Counters take the oldest bits of a column first.
fn apply_stage<L: Logic>(
    l: &mut L,
    cols: &[Vec<Bit<L::W>>],
    stage: &plan::StagePlan,
) -> Vec<Vec<Bit<L::W>>> {
    let width = cols.len();
    let mut next: Vec<Vec<Bit<L::W>>> = vec![Vec::new(); width];
    let mut carries: Vec<Vec<Bit<L::W>>> = vec![Vec::new(); width + 1];
    for j in 0..width {
        let top = j + 1 == width;
        let col = &cols[j];
        let mut k = 0usize;
        let mut sums = Vec::new();
        for _ in 0..stage.full_adders[j] {
            let (a, b, c) = (col[k], col[k + 1], col[k + 2]);
            k += 3;
            if top {
                let t = logic::xor(l, a, b);
                sums.push(logic::xor(l, t, c));
            } else {
                let (s, cy) = logic::full_adder(l, a, b, c);
                sums.push(s);
                carries[j + 1].push(cy);
            }
        }
        for _ in 0..stage.half_adders[j] {
            let (a, b) = (col[k], col[k + 1]);
            k += 2;
            if top {
                sums.push(logic::xor(l, a, b));
            } else {
                let (s, cy) = logic::half_adder(l, a, b);
                sums.push(s);
                carries[j + 1].push(cy);
            }
        }
        for &b in &col[k..] {
            push(&mut next[j], b);
        }
        for s in sums {
            push(&mut next[j], s);
        }
    }
    for j in 0..width {
        for &c in &carries[j] {
            push(&mut next[j], c);
        }
    }
    normalize_ones(&mut next);
    next
}

/// Tree reduction (Wallace or Dadda) of the matrix's columns.
fn tree<L: Logic>(l: &mut L, mat: &PpMatrix<L::W>, dadda: bool) -> Reduced<L::W> {
    let mut cols = mat.columns();
    normalize_ones(&mut cols);
    let heights = |c: &[Vec<Bit<L::W>>]| c.iter().map(|x| x.len() as u32).collect::<Vec<_>>();
    let max = heights(&cols).into_iter().max().unwrap_or(0);
    let mut targets = if dadda {
        plan::dadda_targets(max)
    } else {
        Vec::new()
    }
    .into_iter();
    let mut stages = 0;
    loop {
        let h = heights(&cols);
        if h.iter().all(|&x| x <= 2) {
            break;
        }
        let stage = if dadda {
            plan::dadda_stage(&h, targets.next().unwrap_or(2))
        } else {
            plan::wallace_stage(&h)
        };
        cols = apply_stage(l, &cols, &stage);
        stages += 1;
    }
    Reduced {
        columns: cols,
        stages,
    }
}

/// Array reduction: rows are added one per stage into a carry-save pair. In each column a
/// stage puts a full adder on (sum, carry, new bit), a half adder on a new bit and one old
/// bit, and passes anything else.
fn array<L: Logic>(l: &mut L, mat: &PpMatrix<L::W>) -> Reduced<L::W> {
    let rows = mat.packed_rows();
    let width = mat.width;
    let mut state: Vec<Vec<Bit<L::W>>> = vec![Vec::new(); width];
    let mut stages = 0;
    for (r, row) in rows.iter().enumerate() {
        if r == 0 {
            for j in 0..width {
                push(&mut state[j], row[j]);
            }
            continue;
        }
        let mut next: Vec<Vec<Bit<L::W>>> = vec![Vec::new(); width];
        let mut carries: Vec<Vec<Bit<L::W>>> = vec![Vec::new(); width + 1];
        for j in 0..width {
            let top = j + 1 == width;
            let new = row[j];
            let old = &state[j];
            match (new, old.len()) {
                // Two old bits and no new one: compress them, so a carry arriving from the
                // column below still leaves at most two bits.
                (Bit::Zero, 2) => {
                    if top {
                        push(&mut next[j], logic::xor(l, old[0], old[1]));
                    } else {
                        let (s, c) = logic::half_adder(l, old[0], old[1]);
                        push(&mut next[j], s);
                        carries[j + 1].push(c);
                    }
                }
                (Bit::Zero, _) | (_, 0) => {
                    for &b in old {
                        push(&mut next[j], b);
                    }
                    push(&mut next[j], new);
                }
                (_, 1) => {
                    if top {
                        push(&mut next[j], logic::xor(l, old[0], new));
                    } else {
                        let (s, c) = logic::half_adder(l, old[0], new);
                        push(&mut next[j], s);
                        carries[j + 1].push(c);
                    }
                }
                _ => {
                    if top {
                        let t = logic::xor(l, old[0], old[1]);
                        push(&mut next[j], logic::xor(l, t, new));
                    } else {
                        let (s, c) = logic::full_adder(l, old[0], old[1], new);
                        push(&mut next[j], s);
                        carries[j + 1].push(c);
                    }
                }
            }
        }
        for j in 0..width {
            for &c in &carries[j] {
                push(&mut next[j], c);
            }
        }
        state = next;
        stages += 1;
    }
    Reduced {
        columns: state,
        stages,
    }
}

/// Reduces `mat` to two rows with the chosen reduction.
pub(crate) fn reduce<L: Logic>(
    l: &mut L,
    mat: &PpMatrix<L::W>,
    reduction: Reduction,
) -> Reduced<L::W> {
    match reduction {
        Reduction::Array => array(l, mat),
        Reduction::Wallace => tree(l, mat, false),
        Reduction::Dadda => tree(l, mat, true),
    }
}

/// Adds the two remaining rows: columns below the first two-bit column are already final;
/// from there up to the highest occupied column a carry-propagate adder runs, its carry out
/// built only when it lands inside the product.
pub(crate) fn final_add<L: Logic>(l: &mut L, cols: &[Vec<Bit<L::W>>]) -> Vec<Bit<L::W>> {
    let width = cols.len();
    let bit = |j: usize, k: usize| cols[j].get(k).copied().unwrap_or(Bit::Zero);
    let mut out: Vec<Bit<L::W>> = Vec::with_capacity(width);
    let Some(lo) = cols.iter().position(|c| c.len() >= 2) else {
        return (0..width).map(|j| bit(j, 0)).collect();
    };
    let hi = cols.iter().rposition(|c| !c.is_empty()).unwrap_or(lo);
    out.extend((0..lo).map(|j| bit(j, 0)));
    let a: Vec<Bit<L::W>> = (lo..=hi).map(|j| bit(j, 0)).collect();
    let b: Vec<Bit<L::W>> = (lo..=hi).map(|j| bit(j, 1)).collect();
    let carry_out = hi + 1 < width;
    out.extend(l.carry_propagate(&a, &b, carry_out));
    out.resize(width, Bit::Zero);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circuits::multipliers::Signedness;
    use crate::circuits::multipliers::baugh_wooley::{and_array, baugh_wooley};
    use crate::circuits::multipliers::booth::booth_rows_into;
    use crate::circuits::multipliers::logic::eval::{Eval, lane_value, pack};

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Pp {
        And,
        Bw,
        Booth,
    }

    fn product(
        n: u32,
        m: u32,
        pp: Pp,
        s: Signedness,
        red: Reduction,
        width: usize,
        xs: &[u128],
        ys: &[u128],
    ) -> (Vec<u128>, Eval, usize) {
        let mut l = Eval::default();
        let (a, b) = (pack(xs, n), pack(ys, m));
        let mut mat = PpMatrix::new(width);
        match pp {
            Pp::And => and_array(&mut l, &mut mat, &a, &b, 0),
            Pp::Bw => baugh_wooley(&mut l, &mut mat, &a, &b, 0),
            Pp::Booth => booth_rows_into(&mut l, &mut mat, &a, &b, s, 0),
        }
        let r = reduce(&mut l, &mat, red);
        assert!(
            r.columns.iter().all(|c| c.len() <= 2),
            "{red:?} {pp:?} {n}x{m}: {:?}",
            r.columns.iter().map(|c| c.len()).collect::<Vec<_>>()
        );
        let out = final_add(&mut l, &r.columns);
        let vals = (0..xs.len())
            .map(|lane| lane_value(&out, lane as u32))
            .collect();
        (vals, l, r.stages)
    }

    fn sext(v: u128, n: u32) -> i128 {
        (v as i128) - if v >> (n - 1) & 1 == 1 { 1i128 << n } else { 0 }
    }

    #[test]
    fn exhaustive_8x8_every_architecture() {
        let pairs: Vec<(u128, u128)> = (0..256u128)
            .flat_map(|x| (0..256u128).map(move |y| (x, y)))
            .collect();
        for red in [Reduction::Array, Reduction::Wallace, Reduction::Dadda] {
            for (pp, s) in [
                (Pp::And, Signedness::Unsigned),
                (Pp::Bw, Signedness::Signed),
                (Pp::Booth, Signedness::Unsigned),
                (Pp::Booth, Signedness::Signed),
            ] {
                for width in [16usize, 8] {
                    for chunk in pairs.chunks(64) {
                        let xs: Vec<u128> = chunk.iter().map(|p| p.0).collect();
                        let ys: Vec<u128> = chunk.iter().map(|p| p.1).collect();
                        let (vals, _, _) = product(8, 8, pp, s, red, width, &xs, &ys);
                        let mask = (1u128 << width) - 1;
                        for (k, &(x, y)) in chunk.iter().enumerate() {
                            let want = match s {
                                Signedness::Unsigned => x * y,
                                Signedness::Signed => (sext(x, 8) * sext(y, 8)) as u128,
                            } & mask;
                            assert_eq!(vals[k], want, "{red:?} {pp:?} {s:?} w={width} {x}*{y}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn structure_counts_unsigned() {
        for n in [4u32, 8, 16] {
            let xs = vec![0u128; 1];
            let (_, arr, _) = product(
                n,
                n,
                Pp::And,
                Signedness::Unsigned,
                Reduction::Array,
                2 * n as usize,
                &xs,
                &xs,
            );
            assert_eq!(
                (arr.full_adders as u32, arr.half_adders as u32),
                (n * (n - 2), n),
                "array n={n}"
            );
            let (_, dad, stages) = product(
                n,
                n,
                Pp::And,
                Signedness::Unsigned,
                Reduction::Dadda,
                2 * n as usize,
                &xs,
                &xs,
            );
            // Dadda tree N^2-4N+3 FA, N-1 HA; ripple final adder of 2N-2 bits: 1 HA, 2N-3 FA.
            assert_eq!(dad.full_adders as u32, n * n - 2 * n, "dadda n={n}");
            assert_eq!(dad.half_adders as u32, n, "dadda n={n}");
            let (_, wal, wstages) = product(
                n,
                n,
                Pp::And,
                Signedness::Unsigned,
                Reduction::Wallace,
                2 * n as usize,
                &xs,
                &xs,
            );
            // Greedy Wallace may leave a sum-only XOR in the top column, so it has at most that.
            assert!(wal.full_adders as u32 <= n * n - 2 * n, "wallace n={n}");
            let want = match n {
                4 => 2,
                8 => 4,
                _ => 6,
            };
            assert_eq!((stages, wstages), (want, want));
        }
    }

    #[test]
    fn odd_sizes_random() {
        let mut seed = 0x1234_5678_9abc_def0u64;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for (n, m) in [
            (11u32, 5u32),
            (5, 11),
            (1, 7),
            (7, 1),
            (1, 1),
            (13, 13),
            (64, 64),
            (3, 64),
        ] {
            let xs: Vec<u128> = (0..64)
                .map(|_| u128::from(rnd()) & ((1u128 << n) - 1))
                .collect();
            let ys: Vec<u128> = (0..64)
                .map(|_| u128::from(rnd()) & ((1u128 << m) - 1))
                .collect();
            let width = (n + m) as usize;
            let mask = if width == 128 {
                !0
            } else {
                (1u128 << width) - 1
            };
            for red in [Reduction::Array, Reduction::Wallace, Reduction::Dadda] {
                for (pp, s) in [
                    (Pp::And, Signedness::Unsigned),
                    (Pp::Bw, Signedness::Signed),
                    (Pp::Booth, Signedness::Unsigned),
                    (Pp::Booth, Signedness::Signed),
                ] {
                    let (vals, _, _) = product(n, m, pp, s, red, width, &xs, &ys);
                    for k in 0..64 {
                        let want = match s {
                            Signedness::Unsigned => xs[k].wrapping_mul(ys[k]),
                            Signedness::Signed => {
                                sext(xs[k], n).wrapping_mul(sext(ys[k], m)) as u128
                            }
                        } & mask;
                        assert_eq!(vals[k], want, "{n}x{m} {red:?} {pp:?} {s:?}");
                    }
                }
            }
        }
    }
}

//! Partial products without Booth recoding: the AND array (unsigned) and Baugh-Wooley
//! (signed two's complement).
//!
//! Baugh-Wooley writes the signed product of `A = -a_{n-1} 2^{n-1} + Σ a_i 2^i` and
//! `B = -b_{m-1} 2^{m-1} + Σ b_j 2^j` as
//! `a_{n-1} b_{m-1} 2^{n+m-2} + ΣΣ a_i b_j 2^{i+j} - Σ a_i b_{m-1} 2^{i+m-1} - Σ a_{n-1} b_j 2^{j+n-1}`,
//! and each negative term `-x 2^k` as `!x 2^k - 2^k`: the cross terms become NAND gates and the
//! `-2^k` terms fold into one constant (for `n = m = N`, ones at columns `N` and `2N - 1`).

use super::logic::{self, Bit, Logic};
use super::matrix::PpMatrix;

/// Unsigned `a × b`: row `j` is `a & b_j` at offset `j`.
pub(crate) fn and_array<L: Logic>(
    l: &mut L,
    m: &mut PpMatrix<L::W>,
    a: &[Bit<L::W>],
    b: &[Bit<L::W>],
    shift: usize,
) {
    for (j, &bj) in b.iter().enumerate() {
        let row: Vec<Bit<L::W>> = a.iter().map(|&ai| logic::and(l, ai, bj)).collect();
        m.add_row(shift + j, &row);
    }
}

/// The constant Baugh-Wooley adds for an `n × m` signed product (before reduction modulo
/// `2^width`): `-(Σ_{i<n-1} 2^{i+m-1} + Σ_{j<m-1} 2^{j+n-1})`.
#[must_use]
pub(crate) fn baugh_wooley_constant(n: usize, m: usize) -> i128 {
    let s1: i128 = (0..n.saturating_sub(1)).map(|i| 1i128 << (i + m - 1)).sum();
    let s2: i128 = (0..m.saturating_sub(1)).map(|j| 1i128 << (j + n - 1)).sum();
    -(s1 + s2)
}

/// Signed `a × b` (two's complement, any widths): Baugh-Wooley rows plus constant.
pub(crate) fn baugh_wooley<L: Logic>(
    l: &mut L,
    mat: &mut PpMatrix<L::W>,
    a: &[Bit<L::W>],
    b: &[Bit<L::W>],
    shift: usize,
) {
    let (n, m) = (a.len(), b.len());
    for (j, &bj) in b.iter().enumerate() {
        let row: Vec<Bit<L::W>> = a
            .iter()
            .enumerate()
            .map(|(i, &ai)| {
                // Exactly one of the two sign bits: negative weight, so complemented.
                if (i == n - 1) != (j == m - 1) {
                    logic::nand(l, ai, bj)
                } else {
                    logic::and(l, ai, bj)
                }
            })
            .collect();
        mat.add_row(shift + j, &row);
    }
    mat.add_constant(baugh_wooley_constant(n, m), shift);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circuits::multipliers::logic::eval::{Eval, lane_value, pack};

    fn matrix_sum(m: &PpMatrix<u64>, lane: u32) -> u128 {
        let mut acc = m.constant;
        for row in &m.rows {
            acc = acc.wrapping_add(lane_value(row, lane));
        }
        acc & ((1u128 << m.width) - 1)
    }

    #[test]
    fn baugh_wooley_constant_for_square() {
        for n in 2..=20usize {
            let w = 2 * n;
            let c = (baugh_wooley_constant(n, n) as u128) & ((1u128 << w) - 1);
            assert_eq!(c, (1u128 << n) | (1u128 << (2 * n - 1)), "n = {n}");
        }
    }

    #[test]
    fn matrices_sum_to_the_product_exhaustive_small() {
        // Every n × m up to 5 × 5, every operand pair, signed and unsigned, full width.
        for n in 1..=5u32 {
            for m in 1..=5u32 {
                let pairs: Vec<(u128, u128)> = (0..1u128 << n)
                    .flat_map(|x| (0..1u128 << m).map(move |y| (x, y)))
                    .collect();
                for chunk in pairs.chunks(64) {
                    let xs: Vec<u128> = chunk.iter().map(|p| p.0).collect();
                    let ys: Vec<u128> = chunk.iter().map(|p| p.1).collect();
                    let mut l = Eval::default();
                    let (a, b) = (pack(&xs, n), pack(&ys, m));
                    let w = (n + m) as usize;
                    let mut mu = PpMatrix::new(w);
                    and_array(&mut l, &mut mu, &a, &b, 0);
                    let mut ms = PpMatrix::new(w);
                    baugh_wooley(&mut l, &mut ms, &a, &b, 0);
                    for (lane, &(x, y)) in chunk.iter().enumerate() {
                        let mask = (1u128 << w) - 1;
                        assert_eq!(matrix_sum(&mu, lane as u32), x * y, "{n}x{m} {x}*{y}");
                        let sx = (x as i128) - if x >> (n - 1) == 1 { 1 << n } else { 0 };
                        let sy = (y as i128) - if y >> (m - 1) == 1 { 1 << m } else { 0 };
                        assert_eq!(
                            matrix_sum(&ms, lane as u32),
                            ((sx * sy) as u128) & mask,
                            "{n}x{m} {sx}*{sy}"
                        );
                    }
                }
            }
        }
    }
}

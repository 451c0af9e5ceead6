//! 4:2-compressor trees.
//!
//! A 4:2 compressor takes four bits of one column and a lateral carry-in `cin` from the
//! compressor below it, and gives a sum (this column), a carry (next column, next stage) and a
//! lateral carry-out (next column, same stage): two full adders,
//! `(s1, cout) = FA(x1, x2, x3)`, `(sum, carry) = FA(s1, x4, cin)`. `cout` does not depend on
//! `cin`, so the lateral carries do not ripple: a stage is one compressor deep and roughly
//! halves every column (8 → 4 → 2), against Dadda's 8 → 6 → 4 → 3 → 2.

use super::logic::{self, Bit, Logic};
use super::matrix::PpMatrix;
use super::reduce::{Reduced, normalize_ones, push};

/// Reduces the matrix with 4:2 compressors, stage by stage, until every column holds at
/// most two bits. Stage targets halve (…, 16, 8, 4, 2); in each column, counters are added
/// until the column's height after the stage (its own bits left, sums, unused lateral carries
/// and the carries arriving from the column below) is within the target: a compressor while
/// four own bits remain (taking a lateral carry as `cin` when one is free), then a full adder,
/// then a half adder.
pub(crate) fn compressor_tree<L: Logic>(l: &mut L, mat: &PpMatrix<L::W>) -> Reduced<L::W> {
    let mut cols = mat.columns();
    normalize_ones(&mut cols);
    let width = cols.len();
    let mut stages = 0;
    loop {
        let max = cols.iter().map(Vec::len).max().unwrap_or(0);
        if max <= 2 {
            break;
        }
        let mut target = 2;
        while 2 * target < max {
            target *= 2;
        }
        let mut next: Vec<Vec<Bit<L::W>>> = vec![Vec::new(); width];
        let mut carries: Vec<Vec<Bit<L::W>>> = vec![Vec::new(); width + 1];
        let mut lateral: Vec<Bit<L::W>> = Vec::new();
        for j in 0..width {
            let top = j + 1 == width;
            let mut col: Vec<Bit<L::W>> = cols[j].clone();
            let mut lateral_in: Vec<Bit<L::W>> = std::mem::take(&mut lateral);
            let mut k = 0;
            let mut sums = Vec::new();
            let arriving = carries[j].len();
            loop {
                let height = col.len() - k + sums.len() + lateral_in.len() + arriving;
                if height <= target {
                    break;
                }
                if col.len() - k < 4 && !lateral_in.is_empty() {
                    // Own bits run short: unused lateral carries become ordinary inputs.
                    col.append(&mut lateral_in);
                    continue;
                }
                let own = col.len() - k;
                if own >= 4 {
                    let cin = lateral_in.pop().unwrap_or(Bit::Zero);
                    let x = [col[k], col[k + 1], col[k + 2], col[k + 3]];
                    compress(l, x, cin, top, &mut sums, &mut lateral, &mut carries[j + 1]);
                    k += 4;
                } else if own >= 2 {
                    let (a, b) = (col[k], col[k + 1]);
                    let c = if own >= 3 { col[k + 2] } else { Bit::Zero };
                    k += if own >= 3 { 3 } else { 2 };
                    if top {
                        let t = logic::xor(l, a, b);
                        sums.push(logic::xor(l, t, c));
                    } else {
                        let (s, cy) = logic::full_adder(l, a, b, c);
                        sums.push(s);
                        carries[j + 1].push(cy);
                    }
                } else {
                    break;
                }
            }
            for &b in &col[k..] {
                push(&mut next[j], b);
            }
            for s in sums {
                push(&mut next[j], s);
            }
            for b in lateral_in {
                push(&mut next[j], b);
            }
        }
        for j in 0..width {
            for &c in &carries[j] {
                push(&mut next[j], c);
            }
        }
        normalize_ones(&mut next);
        cols = next;
        stages += 1;
    }
    Reduced {
        columns: cols,
        stages,
    }
}

/// One 4:2 compressor on `x` with lateral carry-in `cin`: the sum goes to `sums`, the lateral
/// carry-out to `lateral` (next column, this stage), the carry to `carries` (next column, next
/// stage). In the top column only the sum is built.
fn compress<L: Logic>(
    l: &mut L,
    x: [Bit<L::W>; 4],
    cin: Bit<L::W>,
    top: bool,
    sums: &mut Vec<Bit<L::W>>,
    lateral: &mut Vec<Bit<L::W>>,
    carries: &mut Vec<Bit<L::W>>,
) {
    if top {
        let t = logic::xor(l, x[0], x[1]);
        let u = logic::xor(l, x[2], x[3]);
        let v = logic::xor(l, t, u);
        sums.push(logic::xor(l, v, cin));
    } else {
        let (s1, cout) = logic::full_adder(l, x[0], x[1], x[2]);
        lateral.push(cout);
        let (s, c) = logic::full_adder(l, s1, x[3], cin);
        sums.push(s);
        carries.push(c);
    }
}

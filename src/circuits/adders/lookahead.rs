//! Carry-lookahead adder with a real multi-level lookahead tree.
//!
//! Level 0 items are the bits' `(g_i, p_i)`. Items are grouped `block` at a time; each group
//! gets a lookahead unit that (upward) forms the group's `G = OR_j g_j·p_{j+1}..p_{k-1}` and
//! `P = p_0..p_{k-1}`, and (downward) given the group's carry-in `c_0` forms every carry
//! inside it, `c_i = OR_{j<i} g_j·p_{j+1}..p_{i-1} | p_0..p_{i-1}·c_0`, each as a balanced
//! AND tree per product term and a balanced OR tree over the terms. The groups' `(G, P)`
//! are the items of the next level, until one group remains, whose unit takes the adder's
//! carry-in. So carries reach every bit through `ceil(log_block N)` levels of units, not a
//! ripple of blocks. A constant-0 carry-in drops the `c_0` product terms.
//!
//! Gate count (two-input gates, `T(k) = k(k-1)/2`): a unit's group `(G, P)` costs
//! `T(k) + 2(k - 1)`; its internal carries cost `sum_{i=1}^{k-1} (T(i) + 2i)` with a live
//! carry-in (`T(i) + i - 1` with carry-in 0); the top unit's carry-out costs `T(k) + 2k`
//! (`T(k) + k - 1`). Add `2N` for the bits' `g`, `p` and `N` sum XORs (`N - 1` without
//! carry-in). `tests/adder_structure.rs` checks this recurrence against the netlists.

use crate::gates::{Builder, Wire};

/// Group generate and propagate of items `(g, p)`.
fn group_gp(b: &mut Builder, g: &[Wire], p: &[Wire]) -> (Wire, Wire) {
    let k = g.len();
    let terms: Vec<Wire> = (0..k)
        .map(|j| {
            let mut f = vec![g[j]];
            f.extend_from_slice(&p[j + 1..k]);
            b.and_all(&f)
        })
        .collect();
    let gg = b.or_all(&terms);
    let pp = b.and_all(p);
    (gg, pp)
}

/// Carries into items `1..k` of a group whose carry-in is `c0` (`c_i` for `i` in `1..k`).
fn unit_carries(b: &mut Builder, g: &[Wire], p: &[Wire], c0: Wire) -> Vec<Wire> {
    (1..g.len())
        .map(|i| {
            let mut terms: Vec<Wire> = (0..i)
                .map(|j| {
                    let mut f = vec![g[j]];
                    f.extend_from_slice(&p[j + 1..i]);
                    b.and_all(&f)
                })
                .collect();
            if b.const_value(c0) != Some(false) {
                let mut f = p[..i].to_vec();
                f.push(c0);
                terms.push(b.and_all(&f));
            }
            b.or_all(&terms)
        })
        .collect()
}

/// Carries `c_0..=c_n` for items `(g, p)` with carry-in `cin`.
fn carries(b: &mut Builder, g: &[Wire], p: &[Wire], cin: Wire, block: usize) -> Vec<Wire> {
    let n = g.len();
    if n <= block {
        let mut c = vec![cin];
        c.extend(unit_carries(b, g, p, cin));
        // carry out of the whole top group
        let mut terms: Vec<Wire> = (0..n)
            .map(|j| {
                let mut f = vec![g[j]];
                f.extend_from_slice(&p[j + 1..n]);
                b.and_all(&f)
            })
            .collect();
        if b.const_value(cin) != Some(false) {
            let mut f = p.to_vec();
            f.push(cin);
            terms.push(b.and_all(&f));
        }
        c.push(b.or_all(&terms));
        return c;
    }
    // upward: group (G, P)
    let (gs, ps): (Vec<Wire>, Vec<Wire>) = g
        .chunks(block)
        .zip(p.chunks(block))
        .map(|(gc, pc)| group_gp(b, gc, pc))
        .unzip();
    // carries into each group from the level above
    let top = carries(b, &gs, &ps, cin, block);
    // downward: carries inside each group
    let mut c = Vec::with_capacity(n + 1);
    for (k, (gc, pc)) in g.chunks(block).zip(p.chunks(block)).enumerate() {
        c.push(top[k]);
        c.extend(unit_carries(b, gc, pc, top[k]));
    }
    c.push(top[top.len() - 1]);
    c
}

pub(super) fn build_lookahead(
    b: &mut Builder,
    x: &[Wire],
    y: &[Wire],
    cin: Wire,
    block: u32,
) -> (Vec<Wire>, Wire) {
    b.push_label("pg");
    let p: Vec<Wire> = x.iter().zip(y).map(|(&a, &c)| b.xor(a, c)).collect();
    let g: Vec<Wire> = x.iter().zip(y).map(|(&a, &c)| b.and(a, c)).collect();
    b.pop_label();
    b.push_label("lookahead tree");
    let c = carries(b, &g, &p, cin, block as usize);
    b.pop_label();
    b.push_label("sum");
    let s = p.iter().zip(&c).map(|(&pi, &ci)| b.xor(pi, ci)).collect();
    b.pop_label();
    (s, c[x.len()])
}

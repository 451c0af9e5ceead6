//! The MAC datapath: products, accumulation and saturation.

use super::{MacSpec, MacStructure, Overflow};
use crate::circuits::multipliers::{
    Bit, Logic, MultiplierSpec, NetLogic, PpMatrix, Signedness, add_partial_products, bits,
    build_multiplier, final_add, reduce,
};
use crate::gates::{Builder, Wire};
use crate::{Error, Result};

/// `bits` sign- or zero-extended (by wiring) to `width`.
fn extend<W: Copy>(bits: &[Bit<W>], width: usize, signed: bool) -> Vec<Bit<W>> {
    let fill = if signed {
        bits[bits.len() - 1]
    } else {
        Bit::Zero
    };
    let mut v = bits.to_vec();
    v.resize(width, fill);
    v.truncate(width);
    v
}

/// OR of all bits, as a balanced tree.
fn or_all<L: Logic>(l: &mut L, v: &[Bit<L::W>]) -> Bit<L::W> {
    use crate::circuits::multipliers::logic as ops;
    match v.len() {
        0 => Bit::Zero,
        1 => v[0],
        n => {
            let (x, y) = v.split_at(n / 2);
            let p = or_all(l, x);
            let q = or_all(l, y);
            ops::or(l, p, q)
        }
    }
}

/// Clamps the `sum` (`acc_bits + guard` bits) to `acc_bits` bits.
fn saturate<L: Logic>(l: &mut L, sum: &[Bit<L::W>], aw: usize, signed: bool) -> Vec<Bit<L::W>> {
    use crate::circuits::multipliers::logic as ops;
    if sum.len() == aw {
        return sum.to_vec();
    }
    if signed {
        // Overflow unless bits aw-1.. are all copies of the sign.
        let sign = sum[sum.len() - 1];
        let diffs: Vec<Bit<L::W>> = sum[aw - 1..sum.len() - 1]
            .iter()
            .map(|&x| ops::xor(l, x, sign))
            .collect();
        let ovf = or_all(l, &diffs);
        let not_sign = ops::not(l, sign);
        let mut out: Vec<Bit<L::W>> = sum[..aw - 1]
            .iter()
            .map(|&x| ops::mux(l, ovf, not_sign, x))
            .collect();
        out.push(ops::mux(l, ovf, sign, sum[aw - 1]));
        out
    } else {
        let ovf = or_all(l, &sum[aw..]);
        sum[..aw].iter().map(|&x| ops::or(l, x, ovf)).collect()
    }
}

/// Adds one clock of the MAC `spec` to a builder: from operand buses `a[i]`, `b[i]` (one per
/// lane, `spec.mul_bits` wires each) and the current accumulator `acc` (`spec.acc_bits` wires),
/// returns the next accumulator. Labels: "multiplier i" (separate), "partial products",
/// "reduction", "saturation".
///
/// # Errors
/// As [`MacSpec::validate`]; [`Error::Shape`] for buses of the wrong count or width.
pub fn build_mac_step(
    b: &mut Builder,
    spec: &MacSpec,
    a: &[Vec<Wire>],
    x: &[Vec<Wire>],
    acc: &[Wire],
) -> Result<Vec<Wire>> {
    spec.validate()?;
    let (k, n, aw) = (
        spec.lanes as usize,
        spec.mul_bits as usize,
        spec.acc_bits as usize,
    );
    if a.len() != k || x.len() != k || a.iter().chain(x).any(|v| v.len() != n) || acc.len() != aw {
        return Err(Error::Shape(format!(
            "mac buses: {} and {} operands and a {}-bit accumulator given; the spec needs {k} and {k} of {n} bits and {aw}",
            a.len(),
            x.len(),
            acc.len()
        )));
    }
    for v in a.iter().chain(x).chain(std::iter::once(&acc.to_vec())) {
        b.check_wires(v)?;
    }
    let signed = spec.signedness == Signedness::Signed;
    let width = aw + spec.guard_bits() as usize;
    let mut products: Vec<Vec<Wire>> = Vec::new();
    if spec.structure == MacStructure::Separate {
        let ms = MultiplierSpec::new(
            spec.mul_bits,
            spec.mul_bits,
            spec.signedness,
            spec.reduction,
            spec.adder,
        )
        .with_partial_products(spec.partial_products);
        for i in 0..k {
            b.push_label(&format!("multiplier {i}"));
            let r = build_multiplier(b, &ms, &a[i], &x[i]);
            b.pop_label();
            products.push(r?.product);
        }
    }
    let mut l = NetLogic::new(b, spec.adder);
    let mut mat = PpMatrix::new(width);
    match spec.structure {
        MacStructure::Separate => {
            for p in &products {
                mat.add_row(0, &extend(&bits(p), width, signed));
            }
        }
        MacStructure::Fused => {
            l.b.push_label("partial products");
            for i in 0..k {
                add_partial_products(
                    &mut l,
                    &mut mat,
                    spec.partial_products,
                    spec.signedness,
                    &bits(&a[i]),
                    &bits(&x[i]),
                );
            }
            l.b.pop_label();
        }
    }
    mat.add_row(0, &extend(&bits(acc), width, signed));
    l.b.push_label("reduction");
    let red = reduce(&mut l, &mat, spec.reduction);
    l.b.pop_label();
    let sum = final_add(&mut l, &red.columns);
    l.b.push_label("saturation");
    let out = if spec.overflow == Overflow::Saturating {
        saturate(&mut l, &sum, aw, signed)
    } else {
        sum
    };
    l.b.pop_label();
    let wires = l.wires(&out);
    l.finish()?;
    Ok(wires)
}

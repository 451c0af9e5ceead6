//! Accumulation order: in which order the products of a reduction are added.
//!
//! Wrapping integer sums do not depend on the order; saturating integer sums and every
//! floating-point sum do, so the order is part of the datapath's configuration.

use std::fmt;

use crate::{Error, Result};

/// How a reduction `init + Σ p[i]` is evaluated.
///
/// - `Sequential`: `acc = init; for i in 0..K { acc = acc + p[i] }` — one multiply-accumulate
///   per product, what a single MAC unit (or an output-stationary systolic array) does.
/// - `Blocked { width }`: the products are cut into consecutive blocks of `width` (the last
///   one may be shorter); each block is summed by a balanced pairwise tree (adjacent pairs,
///   then pairs of pairs, an odd element carried up unchanged), and the block sums are added
///   to the accumulator in order: `acc = init; for each block { acc = acc + tree(block) }`.
///   This is a dot-product unit of `width` lanes feeding an accumulator (tensor-core style).
///   `Blocked { width: 1 }` gives the same values as `Sequential` but counts separate
///   multiplies and adds.
/// - `Pairwise`: one tree over all `K` products, then `init + tree(all)`: `Blocked` with
///   `width = K`.
///
/// # Examples
///
/// ```
/// use arithsim::datapath::AccumulationOrder;
///
/// let o = AccumulationOrder::blocked(4)?;
/// assert_eq!(o.to_string(), "blocked tree of 4");
/// assert!(AccumulationOrder::blocked(0).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum AccumulationOrder {
    /// One product after the other into the accumulator (the default).
    #[default]
    Sequential,
    /// A pairwise tree over the whole reduction, added once to the initial value.
    Pairwise,
    /// Pairwise trees over blocks of `width` products, block sums accumulated in order.
    Blocked {
        /// Products per block, at least 1.
        width: usize,
    },
}

impl AccumulationOrder {
    /// `Blocked { width }`, validated.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when `width` is 0.
    pub fn blocked(width: usize) -> Result<Self> {
        let o = AccumulationOrder::Blocked { width };
        o.validate()?;
        Ok(o)
    }

    /// Checks the block width.
    ///
    /// # Errors
    ///
    /// As [`AccumulationOrder::blocked`].
    pub fn validate(&self) -> Result<()> {
        match self {
            AccumulationOrder::Blocked { width: 0 } => Err(Error::param(
                "accumulation block width",
                0,
                "must be at least 1",
            )),
            _ => Ok(()),
        }
    }

    /// The block width for a reduction of length `k`: 1 for sequential, `k` for pairwise.
    #[must_use]
    pub fn block_width(&self, k: usize) -> usize {
        match *self {
            AccumulationOrder::Sequential => 1,
            AccumulationOrder::Pairwise => k.max(1),
            AccumulationOrder::Blocked { width } => width.max(1),
        }
    }

    /// Adds `products` to `init` in this order with the binary operation `add` (which does
    /// the rounding, wrapping or saturation of the datapath).
    ///
    /// `scratch` is reused between calls to avoid allocation.
    #[inline]
    pub fn reduce<V: Copy>(
        &self,
        init: V,
        products: &[V],
        scratch: &mut Vec<V>,
        mut add: impl FnMut(V, V) -> V,
    ) -> V {
        let w = self.block_width(products.len());
        let mut acc = init;
        if w == 1 {
            for &p in products {
                acc = add(acc, p);
            }
            return acc;
        }
        for block in products.chunks(w) {
            let t = tree(block, scratch, &mut add);
            acc = add(acc, t);
        }
        acc
    }

    /// Binary additions the order performs for a reduction of `k` products into an initial
    /// value: always `k` (`b − 1` inside each block of `b`, plus one per block).
    #[must_use]
    pub fn adds(&self, k: usize) -> u64 {
        k as u64
    }
}

/// Balanced pairwise sum of a non-empty slice: adjacent pairs, level by level.
fn tree<V: Copy>(block: &[V], scratch: &mut Vec<V>, add: &mut impl FnMut(V, V) -> V) -> V {
    if block.len() == 1 {
        return block[0];
    }
    scratch.clear();
    scratch.extend_from_slice(block);
    let mut len = scratch.len();
    while len > 1 {
        let half = len / 2;
        for i in 0..half {
            scratch[i] = add(scratch[2 * i], scratch[2 * i + 1]);
        }
        if len % 2 == 1 {
            scratch[half] = scratch[len - 1];
            len = half + 1;
        } else {
            len = half;
        }
    }
    scratch[0]
}

impl fmt::Display for AccumulationOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccumulationOrder::Sequential => f.write_str("sequential"),
            AccumulationOrder::Pairwise => f.write_str("pairwise tree"),
            AccumulationOrder::Blocked { width } => write!(f, "blocked tree of {width}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the expression tree as a string (values are indices into a table).
    fn reduce_str(order: AccumulationOrder, n: usize) -> String {
        // Encode expressions as indices into a table.
        let mut table: Vec<String> = vec!["i".into()];
        table.extend((0..n).map(|i| format!("p{i}")));
        let ps: Vec<usize> = (1..=n).collect();
        let mut scratch = Vec::new();
        let t = std::cell::RefCell::new(table);
        let r = order.reduce(0usize, &ps, &mut scratch, |a, b| {
            let mut t = t.borrow_mut();
            let s = format!("({}+{})", t[a], t[b]);
            t.push(s);
            t.len() - 1
        });
        t.borrow()[r].clone()
    }

    #[test]
    fn orders_have_the_documented_shape() {
        assert_eq!(
            reduce_str(AccumulationOrder::Sequential, 3),
            "(((i+p0)+p1)+p2)"
        );
        assert_eq!(
            reduce_str(AccumulationOrder::Pairwise, 5),
            "(i+(((p0+p1)+(p2+p3))+p4))"
        );
        assert_eq!(
            reduce_str(AccumulationOrder::Blocked { width: 2 }, 5),
            "(((i+(p0+p1))+(p2+p3))+p4)"
        );
        assert_eq!(
            reduce_str(AccumulationOrder::Blocked { width: 3 }, 3),
            "(i+((p0+p1)+p2))"
        );
    }
}

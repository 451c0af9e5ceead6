//! Element-wise work of a network (softmax, norms, activations, residual adds): no MACs, a
//! fixed count of floating-point operations per element.
//!
//! The counts are a stated convention (per element, FP32, the usual vector-unit recipes);
//! per-row work (one reciprocal or reciprocal square root per row of ≥ 64 elements) is left
//! out, under 2 % of the row's operations:
//!
//! | op | per element | recipe |
//! |---|---|---|
//! | softmax | 3 add, 2 mul, 4 FMA | running max (compare as an add), `x − max`, `exp` (range reduction: 1 mul; degree-4 polynomial: 4 FMA), running sum, `× 1/sum` |
//! | layer norm | 2 add, 1 mul, 2 FMA | sum, `x − μ`, sum of squares (FMA), `× 1/σ`, `γ·x + β` (FMA) |
//! | RMS norm | 2 mul, 1 FMA | sum of squares (FMA), `× 1/rms`, `× γ` |
//! | GELU (tanh form) | 2 add, 5 mul, 5 FMA | `x²`, `c·x³ + x` (FMA), `× √(2/π)`, `tanh` via `exp` (1 mul + 4 FMA) and `1 + e` (add) with a reciprocal multiply, `0.5·x·(1 + t)` (add, mul) |
//! | SiLU | 1 add, 3 mul, 4 FMA | `exp(−x)` (1 mul + 4 FMA), `1 + e`, `× 1/(1 + e)`, `× x` |
//! | gated multiply | 1 mul | `act(gate) ⊙ up` (SwiGLU) |
//! | residual add | 1 add | `x + f(x)` |

use std::fmt;

use crate::cost::{FloatKind, OpKind};

/// An element-wise operation of a network layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ElementwiseOp {
    /// Softmax over each row of attention scores.
    Softmax,
    /// LayerNorm (mean and variance, scale and shift).
    LayerNorm,
    /// RMSNorm (root mean square, scale).
    RmsNorm,
    /// GELU, tanh approximation (BERT).
    Gelu,
    /// SiLU / swish (LLaMA's gate activation).
    Silu,
    /// The element-wise product of a gated FFN.
    GatedMultiply,
    /// A residual addition.
    ResidualAdd,
}

impl ElementwiseOp {
    /// Operations per element, `(add, mul, fma)`, as in the module's table.
    #[must_use]
    pub const fn counts(self) -> (u64, u64, u64) {
        match self {
            ElementwiseOp::Softmax => (3, 2, 4),
            ElementwiseOp::LayerNorm => (2, 1, 2),
            ElementwiseOp::RmsNorm => (0, 2, 1),
            ElementwiseOp::Gelu => (2, 5, 5),
            ElementwiseOp::Silu => (1, 3, 4),
            ElementwiseOp::GatedMultiply => (0, 1, 0),
            ElementwiseOp::ResidualAdd => (1, 0, 0),
        }
    }

    /// Operations per element (an FMA counts as one): what a vector lane issues.
    #[must_use]
    pub const fn ops_per_elem(self) -> u64 {
        let (a, m, f) = self.counts();
        a + m + f
    }

    /// Input tensors read per output element (2 for the residual add and the gated
    /// multiply).
    #[must_use]
    pub const fn inputs(self) -> u64 {
        match self {
            ElementwiseOp::ResidualAdd | ElementwiseOp::GatedMultiply => 2,
            _ => 1,
        }
    }

    /// The operations of `elems` elements as `(op, count)` in `format`.
    #[must_use]
    pub fn ops(self, elems: u64, format: FloatKind) -> Vec<(OpKind, u64)> {
        let (a, m, f) = self.counts();
        [
            (OpKind::FpAdd { format }, a),
            (OpKind::FpMul { format }, m),
            (OpKind::FpFma { format }, f),
        ]
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(op, n)| (op, n * elems))
        .collect()
    }
}

impl fmt::Display for ElementwiseOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ElementwiseOp::Softmax => "softmax",
            ElementwiseOp::LayerNorm => "layer norm",
            ElementwiseOp::RmsNorm => "RMS norm",
            ElementwiseOp::Gelu => "GELU",
            ElementwiseOp::Silu => "SiLU",
            ElementwiseOp::GatedMultiply => "gated multiply",
            ElementwiseOp::ResidualAdd => "residual add",
        })
    }
}

//! Distillation, priced: a teacher and a student transformer on the same array and cost
//! table, with the published size, speed and accuracy figures quoted next to the computed
//! ones.
//!
//! The accuracy retention cannot be computed here (it needs training and a benchmark): it is
//! an input ([`PublishedDistillation`]). Size and speed are computed: parameters (all of
//! them, embeddings included, as the papers count), weight bytes at the array's operand
//! width, MACs, cycles, latency and energy of one forward pass at a sequence length.

use super::array::MacArray;
use super::energy::EnergyBreakdown;
use super::mapping::map_network;
use super::transformer::Transformer;
use super::transformer_workload::PublishedDistillation;
use crate::Result;
use crate::cost::CostTable;

/// One model's cost for one forward pass.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelCost {
    /// The model's name.
    pub name: String,
    /// Parameters, embeddings and pooler included.
    pub params: u64,
    /// Bytes of all parameters at the array's operand width.
    pub weight_bytes: u64,
    /// MACs of the pass.
    pub macs: u64,
    /// Element-wise operations (softmax, norms, activations, residual adds).
    pub elementwise_ops: u64,
    /// Cycles on the array (layers in sequence).
    pub cycles: u64,
    /// Seconds per pass.
    pub latency_s: f64,
    /// Energy per pass.
    pub energy: EnergyBreakdown,
}

/// Prices one forward pass of `model` over `batch` sequences of `seq` tokens.
///
/// # Errors
///
/// As [`Transformer::sequence_network`], [`map_network`] and
/// [`EnergyBreakdown::from_table`].
pub fn price_model(
    array: &MacArray,
    table: &CostTable,
    model: &Transformer,
    seq: usize,
    batch: usize,
) -> Result<ModelCost> {
    let net = model.sequence_network(seq, batch)?;
    let m = map_network(array, &net)?;
    let params = model.params().total();
    let elementwise_ops = m
        .layers
        .iter()
        .filter(|l| l.macs == 0)
        .map(|l| l.tally.total())
        .sum::<u64>();
    Ok(ModelCost {
        name: model.name().to_string(),
        params,
        weight_bytes: (params * array.arithmetic.operand_bits() as u64).div_ceil(8),
        macs: m.macs(),
        elementwise_ops,
        cycles: m.cycles(),
        latency_s: m.seconds(),
        energy: m.energy(table)?,
    })
}

/// A teacher and its distilled student, priced on the same array.
///
/// # Examples
///
/// ```
/// use arithsim::accel::{fsd_npu, price_distillation, PublishedDistillation, Transformer};
/// use arithsim::cost::CostTable;
///
/// let d = price_distillation(&fsd_npu(), &CostTable::horowitz_45nm(),
///     &Transformer::bert_base(), &Transformer::distilbert(), 128,
///     PublishedDistillation::DISTILBERT)?;
/// assert!((d.size_ratio() - 109_482_240.0 / 66_362_880.0).abs() < 1e-12); // 1.65, "40% smaller"
/// assert!(d.speedup() > 1.9 && d.speedup() < 2.05); // half the blocks; published 1.6
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Distillation {
    /// The teacher.
    pub teacher: ModelCost,
    /// The student.
    pub student: ModelCost,
    /// Sequence length of the priced pass.
    pub seq: usize,
    /// The published figures, quoted.
    pub published: PublishedDistillation,
}

impl Distillation {
    /// Teacher parameters / student parameters.
    pub fn size_ratio(&self) -> f64 {
        self.teacher.params as f64 / self.student.params as f64
    }

    /// Teacher MACs / student MACs.
    pub fn mac_ratio(&self) -> f64 {
        self.teacher.macs as f64 / self.student.macs as f64
    }

    /// Teacher latency / student latency on the array.
    pub fn speedup(&self) -> f64 {
        self.teacher.cycles as f64 / self.student.cycles as f64
    }

    /// Teacher energy / student energy (midpoints).
    pub fn energy_ratio(&self) -> f64 {
        self.teacher.energy.total_pj().mid() / self.student.energy.total_pj().mid()
    }
}

/// Prices `teacher` and `student` for one pass of one sequence of `seq` tokens.
///
/// # Errors
///
/// As [`price_model`].
pub fn price_distillation(
    array: &MacArray,
    table: &CostTable,
    teacher: &Transformer,
    student: &Transformer,
    seq: usize,
    published: PublishedDistillation,
) -> Result<Distillation> {
    Ok(Distillation {
        teacher: price_model(array, table, teacher, seq, 1)?,
        student: price_model(array, table, student, seq, 1)?,
        seq,
        published,
    })
}

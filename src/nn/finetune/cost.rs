//! What training costs: the multiply-adds the trainer's layers counted (forward, input
//! gradient, weight gradient — measured, not assumed to be 3× the forward), the optimiser's
//! element updates, and their energy priced with a [`CostTable`].
//!
//! The trainer runs in f32 with a separate multiply and add per product (`acc += w·x`), so a
//! MAC is priced as one FP32 multiply plus one FP32 add. Adam updates each value with 7
//! multiplies, 5 additions, 2 divisions and 1 square root; the default table has no
//! division or square-root rows, so those 3 are priced as FP32 multiplies (an assumption,
//! said in the report; the updates are a small share of a step). Memory traffic is not
//! priced.

use crate::cost::{CostTable, FloatKind, OpKind, Span, Tally};
use crate::nn::train::{Macs, TrainLog};
use crate::{Error, Result};

/// FP32 multiplies per Adam element update (7, plus 2 divisions and 1 square root priced
/// as multiplies).
pub const ADAM_MULS: u64 = 10;
/// FP32 additions and subtractions per Adam element update.
pub const ADAM_ADDS: u64 = 5;

/// The counted cost of a training run.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingCost {
    /// Optimiser steps.
    pub steps: usize,
    /// Multiply-adds of all forward and backward passes, as counted.
    pub macs: Macs,
    /// Element updates by the optimiser (parameters × steps).
    pub updates: u64,
    /// The operations, by kind.
    pub tally: Tally,
    /// Their energy with the table, pJ, at the voltage of the table's rows
    /// ([`Price::voltage_v`](crate::cost::Price::voltage_v)).
    pub energy_pj: Span,
}

impl TrainingCost {
    /// The cost of `log`'s run, whose optimiser updated `parameters` values per step.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the table cannot price an FP32 multiply or add.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::cost::CostTable;
    /// use arithsim::nn::finetune::cost::TrainingCost;
    /// use arithsim::nn::train::{Macs, TrainLog};
    ///
    /// let log = TrainLog {
    ///     epoch_loss: vec![],
    ///     steps: 1,
    ///     macs: Macs { forward: 10, backward_input: 10, backward_weight: 10 },
    /// };
    /// let c = TrainingCost::of(&log, 0, &CostTable::horowitz_45nm())?;
    /// // 30 FP32 multiplies (3.7 pJ) and 30 adds (0.9 pJ).
    /// assert!((c.energy_pj.mid() - 30.0 * 4.6).abs() < 1e-9);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn of(log: &TrainLog, parameters: usize, table: &CostTable) -> Result<TrainingCost> {
        let mul = OpKind::FpMul {
            format: FloatKind::FP32,
        };
        let add = OpKind::FpAdd {
            format: FloatKind::FP32,
        };
        let updates = log.steps as u64 * parameters as u64;
        let mut tally = Tally::new();
        tally.add(mul, log.macs.total());
        tally.add(add, log.macs.total());
        tally.add(mul, ADAM_MULS * updates);
        tally.add(add, ADAM_ADDS * updates);
        let est = table.estimate(&tally);
        if let Some((op, _, why)) = est.unpriced.first() {
            return Err(Error::Unsupported(format!(
                "training cost: table {} cannot price {op}: {why}",
                table.name()
            )));
        }
        Ok(TrainingCost {
            steps: log.steps,
            macs: log.macs,
            updates,
            tally,
            energy_pj: est.energy_pj,
        })
    }

    /// Mean MACs of one step (forward, input gradient, weight gradient).
    #[must_use]
    pub fn macs_per_step(&self) -> Macs {
        let s = self.steps.max(1) as u64;
        Macs {
            forward: self.macs.forward / s,
            backward_input: self.macs.backward_input / s,
            backward_weight: self.macs.backward_weight / s,
        }
    }

    /// Mean energy of one step, pJ (midpoint of the table's range).
    #[must_use]
    pub fn energy_per_step_pj(&self) -> f64 {
        self.energy_pj.mid() / self.steps.max(1) as f64
    }
}

/// Training energy until the executor's accuracy first reaches `target`: 0 when the
/// starting accuracy `before` already does, else the energy of the epochs up to and
/// including the first measured one at or above it; `None` if none reaches it. `measured`
/// holds `(epochs done, accuracy)` in training order (every epoch, or every few).
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::cost::energy_to_reach;
///
/// let every = [(1, 0.8), (2, 0.95), (3, 0.97)];
/// assert_eq!(energy_to_reach(0.5, &every, 0.9, 10.0), Some(20.0));
/// assert_eq!(energy_to_reach(0.5, &[(3, 0.8), (6, 0.93)], 0.9, 10.0), Some(60.0));
/// assert_eq!(energy_to_reach(0.95, &[(1, 0.8)], 0.9, 10.0), Some(0.0));
/// assert_eq!(energy_to_reach(0.5, &[(1, 0.8)], 0.9, 10.0), None);
/// ```
#[must_use]
pub fn energy_to_reach(
    before: f64,
    measured: &[(usize, f64)],
    target: f64,
    energy_per_epoch: f64,
) -> Option<f64> {
    if before >= target {
        return Some(0.0);
    }
    measured
        .iter()
        .find(|&&(_, a)| a >= target)
        .map(|&(e, _)| e as f64 * energy_per_epoch)
}

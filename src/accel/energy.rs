//! Energy of a mapped layer or network: its [`Tally`] priced per operation, split into
//! compute (the MACs), on-chip SRAM and off-chip DRAM.

use std::fmt;

use crate::Result;
use crate::cost::{MemLevel, OpKind, Tally};

/// Energy in picojoules, by where it is spent.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EnergyBreakdown {
    /// Multiplies and adds of the MACs (and any other arithmetic in the tally).
    pub compute_pj: f64,
    /// On-chip SRAM (and register file) reads and writes.
    pub sram_pj: f64,
    /// Off-chip DRAM reads and writes.
    pub dram_pj: f64,
}

impl EnergyBreakdown {
    /// Prices every operation of `tally` with `energy_pj` (picojoules per operation, e.g. a
    /// cost table lookup) and sorts it into compute, SRAM and DRAM.
    ///
    /// # Errors
    ///
    /// Whatever `energy_pj` returns for an operation it cannot price.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::EnergyBreakdown;
    /// use arithsim::cost::{MemLevel, OpKind, Tally};
    ///
    /// let mut t = Tally::new();
    /// t.add(OpKind::IntMul { bits: 8 }, 10);
    /// t.add(OpKind::MemRead { level: MemLevel::Dram, bits: 64 }, 1);
    /// let e = EnergyBreakdown::price(&t, |op| Ok(match op {
    ///     OpKind::IntMul { .. } => 0.2,
    ///     _ => 1300.0,
    /// })).unwrap();
    /// assert_eq!((e.compute_pj, e.dram_pj, e.total_pj()), (2.0, 1300.0, 1302.0));
    /// ```
    pub fn price(tally: &Tally, energy_pj: impl Fn(OpKind) -> Result<f64>) -> Result<Self> {
        let mut e = EnergyBreakdown::default();
        for (op, n) in tally.iter() {
            let pj = energy_pj(op)? * n as f64;
            match op {
                OpKind::MemRead {
                    level: MemLevel::Dram,
                    ..
                }
                | OpKind::MemWrite {
                    level: MemLevel::Dram,
                    ..
                } => e.dram_pj += pj,
                OpKind::MemRead { .. } | OpKind::MemWrite { .. } => e.sram_pj += pj,
                _ => e.compute_pj += pj,
            }
        }
        Ok(e)
    }

    /// Compute + SRAM + DRAM.
    pub fn total_pj(&self) -> f64 {
        self.compute_pj + self.sram_pj + self.dram_pj
    }

    /// Memory (SRAM + DRAM) share of the total, 0..=1.
    pub fn memory_fraction(&self) -> f64 {
        let t = self.total_pj();
        if t == 0.0 {
            0.0
        } else {
            (self.sram_pj + self.dram_pj) / t
        }
    }

    /// Tera-operations per watt (= per joule × 10⁻¹²) for `macs` MACs at 2 operations each.
    pub fn tops_per_watt(&self, macs: u64) -> f64 {
        // ops / J / 1e12 = 2·macs / (pJ · 1e-12) / 1e12 = 2·macs / pJ.
        2.0 * macs as f64 / self.total_pj()
    }
}

impl fmt::Display for EnergyBreakdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let uj = |pj: f64| pj / 1e6;
        write!(
            f,
            "{:.1} uJ (compute {:.1}, SRAM {:.1}, DRAM {:.1})",
            uj(self.total_pj()),
            uj(self.compute_pj),
            uj(self.sram_pj),
            uj(self.dram_pj)
        )
    }
}

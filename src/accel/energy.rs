//! Energy of a mapped layer or network: its [`Tally`] priced per operation, split into
//! compute (the MACs), on-chip SRAM and off-chip DRAM.
//!
//! Figures are [`Span`]s: Horowitz gives the DRAM read as 1.3–2.6 nJ, so energy per frame
//! and TOPS/W are ranges; charts draw the midpoint.

use std::fmt;

use crate::Result;
use crate::cost::{CostTable, MemLevel, OpKind, Span, Tally, energy_unit};

/// Energy in picojoules, by where it is spent, at the voltage of the prices it sums (a
/// [`CostTable`]'s rows: [`Price::voltage_v`](crate::cost::Price::voltage_v); 0.9 V for the
/// embedded Horowitz table).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EnergyBreakdown {
    /// Multiplies and adds of the MACs (and any other arithmetic in the tally).
    pub compute_pj: Span,
    /// On-chip SRAM (and register file) reads and writes.
    pub sram_pj: Span,
    /// Off-chip DRAM reads and writes.
    pub dram_pj: Span,
}

impl Default for EnergyBreakdown {
    fn default() -> Self {
        EnergyBreakdown {
            compute_pj: Span::exact(0.0),
            sram_pj: Span::exact(0.0),
            dram_pj: Span::exact(0.0),
        }
    }
}

impl EnergyBreakdown {
    /// Prices every operation of `tally` with `energy_pj` (picojoules per operation) and
    /// sorts it into compute, SRAM and DRAM.
    ///
    /// # Errors
    ///
    /// Whatever `energy_pj` returns for an operation it cannot price;
    /// [`crate::Error::OutOfRange`] for a tally whose counts saturated ([`Tally::check`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::EnergyBreakdown;
    /// use arithsim::cost::{MemLevel, OpKind, Span, Tally};
    ///
    /// let mut t = Tally::new();
    /// t.add(OpKind::IntMul { bits: 8 }, 10);
    /// t.add(OpKind::MemRead { level: MemLevel::Dram, bits: 64 }, 1);
    /// let e = EnergyBreakdown::price(&t, |op| Ok(match op {
    ///     OpKind::IntMul { .. } => Span::exact(0.2),
    ///     _ => Span::range(1300.0, 2600.0),
    /// })).unwrap();
    /// assert_eq!(e.compute_pj, Span::exact(2.0));
    /// assert_eq!(e.total_pj(), Span::range(1302.0, 2602.0));
    /// ```
    pub fn price(tally: &Tally, energy_pj: impl Fn(OpKind) -> Result<Span>) -> Result<Self> {
        tally.check()?;
        let mut e = EnergyBreakdown::default();
        for (op, n) in tally.iter() {
            let pj = energy_pj(op)? * n as f64;
            let slot = match op {
                OpKind::MemRead {
                    level: MemLevel::Dram,
                    ..
                }
                | OpKind::MemWrite {
                    level: MemLevel::Dram,
                    ..
                } => &mut e.dram_pj,
                OpKind::MemRead { .. } | OpKind::MemWrite { .. } => &mut e.sram_pj,
                _ => &mut e.compute_pj,
            };
            *slot = *slot + pj;
        }
        Ok(e)
    }

    /// Prices `tally` with a cost table ([`CostTable::price`], derivations included).
    ///
    /// # Errors
    ///
    /// [`crate::Error::Unsupported`] for an operation the table cannot price.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::{fsd_npu, map_network, EnergyBreakdown, Network};
    /// use arithsim::cost::CostTable;
    ///
    /// let npu = fsd_npu();
    /// let m = map_network(&npu, &Network::resnet50_v1_5(1)?)?;
    /// let e = EnergyBreakdown::from_table(&m.tally, &CostTable::horowitz_45nm())?;
    /// // 4.09 G MACs at 0.3 pJ (8-bit mult + 32-bit add).
    /// assert!((e.compute_pj.lo - 4_089_184_256.0 * 0.3).abs() < 1e3);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn from_table(tally: &Tally, table: &CostTable) -> Result<Self> {
        Self::price(tally, |op| table.price(op).map(|p| p.energy_pj))
    }

    /// Compute + SRAM + DRAM.
    pub fn total_pj(&self) -> Span {
        self.compute_pj + self.sram_pj + self.dram_pj
    }

    /// Memory (SRAM + DRAM) share of the total at the midpoints, 0..=1.
    pub fn memory_fraction(&self) -> f64 {
        let t = self.total_pj().mid();
        if t == 0.0 {
            0.0
        } else {
            (self.sram_pj.mid() + self.dram_pj.mid()) / t
        }
    }

    /// Tera-operations per watt (= 10⁻¹² operations per joule) for `macs` MACs at 2
    /// operations each: `2·macs / energy_pJ`. The range is inverted: `lo` comes from the high
    /// energy.
    pub fn tops_per_watt(&self, macs: u64) -> Span {
        let ops = 2.0 * macs as f64;
        let e = self.total_pj();
        Span::range(ops / e.hi, ops / e.lo)
    }
}

impl fmt::Display for EnergyBreakdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One unit for the total and its parts, the one `energy_text` gives the total, so a
        // figure reads the same here and in every report.
        let total = self.total_pj();
        let (unit, k) = energy_unit(total.hi.abs().max(total.lo.abs()));
        let scaled = |pj: Span| pj.map(|v| v / k);
        write!(
            f,
            "{} {unit} (compute {}, SRAM {}, DRAM {})",
            scaled(total),
            scaled(self.compute_pj),
            scaled(self.sram_pj),
            scaled(self.dram_pj)
        )
    }
}

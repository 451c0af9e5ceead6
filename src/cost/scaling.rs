//! Technology scaling: energy and area moved from one node and voltage to another, as an
//! explicit, labelled step.
//!
//! Factors from A. Stillmaker and B. Baas, "Scaling equations for the accurate prediction of
//! CMOS device performance from 180 nm to 7 nm", *Integration, the VLSI Journal* 58 (2017)
//! 74–81, doi:10.1016/j.vlsi.2017.02.002:
//!
//! - energy: per node (and device flavour: high-performance "HP" or low-power "LP" from 45 nm
//!   down) a quadratic in supply voltage, `E(V) = a·V² + b·V + c`, relative units; scaling
//!   multiplies by `E_to(V_to) / E_from(V_from)`;
//! - area: a node-to-node factor table (one factor per pair).
//!
//! The coefficients below are the paper's tables as transcribed in the MIT-licensed
//! `nodeScale` tool (UCLA NanoCAD Lab); the HP 32 nm and 65 nm energy rows were checked
//! against the authors' own corrigendum, which quotes them. See `docs/cost-model.md`.

use std::fmt;

use super::{CostRow, CostTable};
use crate::{Error, Result};

/// Device flavour for nodes of 45 nm and below, where the paper fits both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// High-performance devices (PTM HP / ITRS HP). Horowitz's 45 nm figures and a
    /// 2 GHz accelerator belong here.
    HighPerformance,
    /// Low-power devices (PTM LP / ITRS LP).
    LowPower,
}

/// Nodes of the area table, in nm.
const AREA_NODES: [u32; 11] = [180, 130, 90, 65, 45, 32, 20, 16, 14, 10, 7];

/// `AREA[to][from] = area_to / area_from` (so `area_to = area_from × AREA[to][from]`), rows
/// and columns in [`AREA_NODES`] order, 2 significant digits as published.
const AREA: [[f64; 11]; 11] = [
    // from: 180   130   90    65    45    32    20    16    14    10    7
    [
        1.0, 2.9, 6.6, 12.0, 19.0, 40.0, 88.0, 99.0, 110.0, 180.0, 320.0,
    ], // to 180
    [
        0.34, 1.0, 2.3, 4.3, 6.4, 14.0, 30.0, 34.0, 37.0, 63.0, 110.0,
    ], // to 130
    [0.15, 0.44, 1.0, 1.9, 2.8, 6.1, 13.0, 15.0, 16.0, 28.0, 48.0], // to 90
    [0.08, 0.23, 0.53, 1.0, 1.5, 3.3, 7.1, 7.9, 8.7, 15.0, 25.0],   // to 65
    [0.053, 0.16, 0.35, 0.66, 1.0, 2.2, 4.7, 5.3, 5.8, 9.8, 17.0],  // to 45
    [0.025, 0.072, 0.16, 0.31, 0.46, 1.0, 2.2, 2.4, 2.7, 4.5, 7.8], // to 32
    [
        0.011, 0.033, 0.075, 0.14, 0.21, 0.46, 1.0, 1.1, 1.2, 2.1, 3.6,
    ], // to 20
    [
        0.01, 0.03, 0.067, 0.13, 0.19, 0.41, 0.89, 1.0, 1.1, 1.9, 3.2,
    ], // to 16
    [
        0.0093, 0.027, 0.061, 0.12, 0.17, 0.38, 0.82, 0.91, 1.0, 1.7, 2.9,
    ], // to 14
    [
        0.0055, 0.016, 0.036, 0.068, 0.1, 0.22, 0.48, 0.54, 0.59, 1.0, 1.7,
    ], // to 10
    [
        0.0032, 0.0092, 0.021, 0.039, 0.059, 0.13, 0.28, 0.31, 0.34, 0.58, 1.0,
    ], // to 7
];

/// One energy model of the paper: node, flavour, `E(V) = a·V² + b·V + c`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnergyModel {
    /// The paper's name for it ("65", "HP45", "LP14").
    pub name: &'static str,
    /// Node in nm.
    pub node_nm: u32,
    /// Coefficients `[a, b, c]`.
    pub coeffs: [f64; 3],
}

impl EnergyModel {
    /// The relative energy factor at supply `v` volts.
    #[must_use]
    pub fn factor(&self, v: f64) -> f64 {
        let [a, b, c] = self.coeffs;
        a * v * v + b * v + c
    }
}

/// The energy models (Stillmaker & Baas 2017, energy table), by node.
pub const ENERGY_MODELS: &[EnergyModel] = &[
    m("180", 180, [0.0, 24.64, -17.98]),
    m("130", 130, [7.171, -6.709, 2.904]),
    m("90", 90, [4.762, -4.781, 2.092]),
    m("65", 65, [3.755, -4.398, 1.975]),
    m("HP45", 45, [1.018, -0.3107, 0.1539]),
    m("HP32", 32, [0.8367, -0.4341, 0.1701]),
    m("LP45", 45, [1.103, -0.362, 0.2767]),
    m("LP32", 32, [0.9559, -0.7823, 0.471]),
    m("HP20", 20, [0.373, -0.1582, 0.04104]),
    m("HP16", 16, [0.2958, -0.1241, 0.03024]),
    m("HP14", 14, [0.2363, -0.09675, 0.02239]),
    m("HP10", 10, [0.2068, -0.09311, 0.02375]),
    m("HP7", 7, [0.1776, -0.09097, 0.02447]),
    m("LP20", 20, [0.2632, -0.14, 0.06841]),
    m("LP16", 16, [0.2139, -0.1187, 0.05639]),
    m("LP14", 14, [0.1556, -0.06472, 0.03066]),
    m("LP10", 10, [0.1261, -0.0518, 0.02769]),
    m("LP7", 7, [0.09365, -0.03409, 0.02043]),
];

const fn m(name: &'static str, node_nm: u32, coeffs: [f64; 3]) -> EnergyModel {
    EnergyModel {
        name,
        node_nm,
        coeffs,
    }
}

/// The energy model for a node and flavour (nodes above 45 nm have one model).
///
/// # Errors
///
/// [`Error::InvalidParameter`] when the node is not one of the paper's.
pub fn energy_model(node_nm: f64, flavor: Flavor) -> Result<&'static EnergyModel> {
    let node = node_index(node_nm)?;
    let n = AREA_NODES[node];
    let prefix = match flavor {
        Flavor::HighPerformance => "HP",
        Flavor::LowPower => "LP",
    };
    ENERGY_MODELS
        .iter()
        .find(|e| e.node_nm == n && (n > 45 || e.name.starts_with(prefix)))
        .ok_or_else(|| Error::param("node_nm", node_nm, "no energy model for this node"))
}

fn node_index(node_nm: f64) -> Result<usize> {
    AREA_NODES
        .iter()
        .position(|&n| f64::from(n) == node_nm)
        .ok_or_else(|| {
            Error::param(
                "node_nm",
                node_nm,
                "scaling knows nodes 180, 130, 90, 65, 45, 32, 20, 16, 14, 10 and 7 nm",
            )
        })
}

/// The factor `area_to / area_from` between two of the paper's nodes.
///
/// # Errors
///
/// [`Error::InvalidParameter`] for a node the paper does not cover.
pub fn area_factor(from_nm: f64, to_nm: f64) -> Result<f64> {
    Ok(AREA[node_index(to_nm)?][node_index(from_nm)?])
}

/// One applied scaling step, carried by every scaled row so it is never mistaken for a
/// published figure.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScaleStep {
    /// Node the figure was published at.
    pub from_node_nm: f64,
    /// Voltage it was published at.
    pub from_voltage_v: f64,
    /// Node it was scaled to.
    pub to_node_nm: f64,
    /// Voltage it was scaled to.
    pub to_voltage_v: f64,
    /// Energy multiplier applied.
    pub energy_factor: f64,
    /// Area multiplier applied.
    pub area_factor: f64,
    /// Which models were used ("Stillmaker & Baas 2017, HP45 → HP14").
    pub method: String,
}

impl ScaleStep {
    /// Computes the step between two node/voltage points with the paper's factors.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a node outside the paper's list, a voltage outside
    /// 0.3..=2.0 V, or a point where the fitted energy polynomial is not positive.
    pub fn between(
        from_node_nm: f64,
        from_voltage_v: f64,
        to_node_nm: f64,
        to_voltage_v: f64,
        flavor: Flavor,
    ) -> Result<Self> {
        for v in [from_voltage_v, to_voltage_v] {
            if !(0.3..=2.0).contains(&v) {
                return Err(Error::param("voltage_v", v, "scaling needs 0.3..=2.0 V"));
            }
        }
        let from = energy_model(from_node_nm, flavor)?;
        let to = energy_model(to_node_nm, flavor)?;
        let (ef, et) = (from.factor(from_voltage_v), to.factor(to_voltage_v));
        if ef <= 0.0 || et <= 0.0 {
            return Err(Error::param(
                "voltage_v",
                if ef <= 0.0 {
                    from_voltage_v
                } else {
                    to_voltage_v
                },
                "outside the range where the paper's energy fit is positive",
            ));
        }
        Ok(Self {
            from_node_nm,
            from_voltage_v,
            to_node_nm,
            to_voltage_v,
            energy_factor: et / ef,
            area_factor: area_factor(from_node_nm, to_node_nm)?,
            method: format!("Stillmaker & Baas 2017, {} → {}", from.name, to.name),
        })
    }
}

impl fmt::Display for ScaleStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "scaled {} nm {} V → {} nm {} V (energy x{:.4}, area x{:.4}; {})",
            self.from_node_nm,
            self.from_voltage_v,
            self.to_node_nm,
            self.to_voltage_v,
            self.energy_factor,
            self.area_factor,
            self.method
        )
    }
}

impl CostTable {
    /// A copy of this table with every row scaled to `to_node_nm` at `to_voltage_v`.
    ///
    /// Each row keeps its published figure's provenance in [`CostRow::scaled`] and its
    /// source text says "scaled"; the table's name says so too. A row that was already
    /// scaled is scaled again from where it was published.
    ///
    /// # Errors
    ///
    /// As [`ScaleStep::between`], for any row.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::cost::{CostTable, Flavor, OpKind};
    ///
    /// let t14 = CostTable::horowitz_45nm().scaled(14.0, 0.8, Flavor::HighPerformance)?;
    /// let row = t14.row(OpKind::IntMul { bits: 8 }).unwrap();
    /// let step = row.scaled.as_ref().unwrap();
    /// assert!((row.energy_pj.lo - 0.2 * step.energy_factor).abs() < 1e-12);
    /// assert!(row.source.contains("scaled"));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn scaled(&self, to_node_nm: f64, to_voltage_v: f64, flavor: Flavor) -> Result<CostTable> {
        let mut out = CostTable::new(&format!(
            "{} (scaled to {to_node_nm} nm, {to_voltage_v} V)",
            self.name()
        ));
        for row in self.rows() {
            // Scale from the published point, not from an earlier scaled copy.
            let (base_e, base_a, node, volt, source) = match &row.scaled {
                Some(s) => (
                    row.energy_pj * (1.0 / s.energy_factor),
                    row.area_um2.map(|a| a / s.area_factor),
                    s.from_node_nm,
                    s.from_voltage_v,
                    row.source
                        .split(" [scaled")
                        .next()
                        .unwrap_or(&row.source)
                        .to_string(),
                ),
                None => (
                    row.energy_pj,
                    row.area_um2,
                    row.node_nm,
                    row.voltage_v,
                    row.source.clone(),
                ),
            };
            let step = ScaleStep::between(node, volt, to_node_nm, to_voltage_v, flavor)?;
            out.push(CostRow {
                op: row.op,
                energy_pj: base_e * step.energy_factor,
                area_um2: base_a.map(|a| a * step.area_factor),
                node_nm: to_node_nm,
                voltage_v: to_voltage_v,
                source: format!("{source} [{step}]"),
                scaled: Some(step),
            })?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrigendum_example_reproduces() {
        // The authors' corrigendum: 1 pJ/op at 65 nm, 1.3 V -> HP 32 nm, 0.9 V = 0.1755 pJ.
        let s = ScaleStep::between(65.0, 1.3, 32.0, 0.9, Flavor::HighPerformance).unwrap();
        assert!(
            (s.energy_factor - 0.4571 / 2.604).abs() < 1e-4,
            "{}",
            s.energy_factor
        );
        assert!((s.energy_factor - 0.1755).abs() < 5e-4);
        assert_eq!(s.area_factor, 0.31);
    }

    #[test]
    fn fsd_step_45_to_14() {
        let s = ScaleStep::between(45.0, 0.9, 14.0, 0.8, Flavor::HighPerformance).unwrap();
        let e45 = 1.018 * 0.81 - 0.3107 * 0.9 + 0.1539;
        let e14 = 0.2363 * 0.64 - 0.09675 * 0.8 + 0.02239;
        assert!((s.energy_factor - e14 / e45).abs() < 1e-12);
        assert!((s.energy_factor - 0.1377).abs() < 1e-3);
        assert_eq!(s.area_factor, 0.17);
        assert_eq!(s.method, "Stillmaker & Baas 2017, HP45 → HP14");
        let lp = ScaleStep::between(45.0, 0.9, 14.0, 0.8, Flavor::LowPower).unwrap();
        assert_eq!(lp.method, "Stillmaker & Baas 2017, LP45 → LP14");
    }

    #[test]
    fn area_table_is_consistent_both_ways() {
        // AREA[to][from] * AREA[from][to] ~ 1 within the table's 2-digit rounding.
        for (i, row) in AREA.iter().enumerate() {
            assert_eq!(row[i], 1.0);
            for (j, f) in row.iter().enumerate() {
                let p = f * AREA[j][i];
                assert!((p - 1.0).abs() < 0.12, "{i} {j} {p}");
            }
        }
    }

    #[test]
    fn bad_nodes_and_voltages_are_errors() {
        let e = ScaleStep::between(45.0, 0.9, 12.0, 0.8, Flavor::HighPerformance).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid node_nm 12: scaling knows nodes 180, 130, 90, 65, 45, 32, 20, 16, 14, 10 and 7 nm"
        );
        let e = ScaleStep::between(45.0, 0.9, 14.0, 3.0, Flavor::HighPerformance).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid voltage_v 3: scaling needs 0.3..=2.0 V"
        );
        // 180 nm's fit 24.64 V - 17.98 is negative below 0.73 V.
        let e = ScaleStep::between(180.0, 0.5, 14.0, 0.8, Flavor::HighPerformance).unwrap_err();
        assert!(e.to_string().contains("energy fit is positive"), "{e}");
    }

    #[test]
    fn scaling_twice_starts_from_the_published_point() {
        let t = CostTable::horowitz_45nm();
        let a = t.scaled(14.0, 0.8, Flavor::HighPerformance).unwrap();
        let b = t
            .scaled(7.0, 0.7, Flavor::HighPerformance)
            .unwrap()
            .scaled(14.0, 0.8, Flavor::HighPerformance)
            .unwrap();
        for (ra, rb) in a.rows().iter().zip(b.rows()) {
            assert!((ra.energy_pj.lo - rb.energy_pj.lo).abs() < 1e-12 * ra.energy_pj.lo.max(1.0));
            assert_eq!(ra.source, rb.source);
            assert_eq!(ra.scaled, rb.scaled);
        }
        let dram = a
            .row(crate::cost::OpKind::MemRead {
                level: crate::cost::MemLevel::Dram,
                bits: 64,
            })
            .unwrap();
        assert!(
            !dram.energy_pj.is_exact(),
            "the DRAM range survives scaling"
        );
    }
}

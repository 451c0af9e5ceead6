//! Where a circuit's area and delay go: cells, area and critical-path delay per label.

use crate::gates::{CellLibrary, Netlist};

/// One part of a circuit (a label truncated to `depth` path components).
#[derive(Clone, Debug, PartialEq)]
pub struct LabelCost {
    /// The label path ("" for unlabelled logic).
    pub label: String,
    /// Library-cell instances under the label.
    pub cells: usize,
    /// Cell area under the label, µm².
    pub area_um2: f64,
    /// Delay of the critical path's cells under the label, ns (the parts' delays add up to
    /// the circuit's critical path).
    pub critical_path_ns: f64,
}

/// Cells, area and critical-path delay of `net` per label, with labels cut to their first
/// `depth` components (`depth = 1`: "align" for "align/shifter/stage 2"); an instance
/// counts under the label of its first node. Parts are in the order of first appearance.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::multipliers::{Signedness, dadda_multiplier};
/// use arithsim::circuits::adders::AdderKind;
/// use arithsim::cost::label_breakdown;
/// use arithsim::gates::CellLibrary;
///
/// let lib = CellLibrary::nangate45();
/// let net = dadda_multiplier(8, 8, Signedness::Unsigned, AdderKind::KoggeStone)?;
/// let parts = label_breakdown(&net, &lib, 1);
/// let area: f64 = parts.iter().map(|p| p.area_um2).sum();
/// let delay: f64 = parts.iter().map(|p| p.critical_path_ns).sum();
/// assert!((area - net.area_um2(&lib)).abs() < 1e-9);
/// assert!((delay - net.timing(&lib).delay_ns).abs() < 1e-9);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[must_use]
pub fn label_breakdown(net: &Netlist, lib: &CellLibrary, depth: usize) -> Vec<LabelCost> {
    let node_labels = net.node_labels();
    let cut = |l: u32| -> String {
        let path = &net.labels()[l as usize];
        path.split('/')
            .take(depth.max(1))
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut parts: Vec<LabelCost> = Vec::new();
    let index = |parts: &mut Vec<LabelCost>, label: String| -> usize {
        if let Some(i) = parts.iter().position(|p| p.label == label) {
            return i;
        }
        parts.push(LabelCost {
            label,
            cells: 0,
            area_um2: 0.0,
            critical_path_ns: 0.0,
        });
        parts.len() - 1
    };
    let instances = net.instances();
    for x in &instances {
        let i = index(&mut parts, cut(node_labels[x.nodes.start as usize]));
        parts[i].cells += 1;
        parts[i].area_um2 += lib.cell(x.cell).area_um2;
    }
    for &k in &net.timing(lib).critical_path {
        let x = &instances[k];
        let i = index(&mut parts, cut(node_labels[x.nodes.start as usize]));
        parts[i].critical_path_ns += lib.cell(x.cell).delay_ns;
    }
    parts
}

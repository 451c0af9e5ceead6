//! Cell modules for a Liberty library's cells, so netlists written for a PDK import as-is.

use std::fmt::Write as _;

use crate::gates::hdl::names::verilog_identifier;
use crate::gates::liberty::{Direction, Liberty};

/// Verilog text defining a behavioural module for each cell named in `wanted` that the
/// library has and that is combinational (every output has a function of the inputs): one
/// `assign` per output from its Liberty function. The importer then flattens instances of
/// them, or records them as cells when their truth table is a half adder, full adder or mux,
/// so cells are read by function, not by name.
pub(super) fn cell_modules(lib: &Liberty, wanted: &[&str]) -> String {
    let mut out = String::new();
    for cell in &lib.cells {
        if !wanted.contains(&cell.name.as_str()) || cell.ff.is_some() {
            continue;
        }
        let names: Option<Vec<String>> = cell
            .pins
            .iter()
            .map(|p| verilog_identifier("pin name", &p.name).ok())
            .collect();
        let (Some(names), Ok(module)) = (names, verilog_identifier("cell name", &cell.name)) else {
            continue;
        };
        let n = cell.pins.len();
        let ok = cell.pins.iter().all(|p| match p.direction {
            Direction::Input => true,
            Direction::Output => p
                .function
                .as_ref()
                .is_some_and(|f| (n..n + 2).all(|s| !f.has_pin(s))),
            Direction::Other => false,
        });
        if !ok {
            continue;
        }
        let ports: Vec<String> = cell
            .pins
            .iter()
            .zip(&names)
            .map(|(p, name)| match p.direction {
                Direction::Input => format!("input {name}"),
                _ => format!("output {name}"),
            })
            .collect();
        let _ = writeln!(out, "module {module} ({});", ports.join(", "));
        for (p, name) in cell.pins.iter().zip(&names) {
            if let Some(f) = &p.function {
                let _ = writeln!(out, "  assign {name} = {};", f.to_verilog(&names));
            }
        }
        let _ = writeln!(out, "endmodule");
    }
    out
}

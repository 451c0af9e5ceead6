//! Verilog netlist import: the structural subset published gate-level netlists use.

mod ast;
mod elab;
mod lex;
mod library;
mod parse;

use crate::Result;
use crate::gates::{CellLibrary, Netlist};

use ast::Item;

/// Reads a structural Verilog netlist: the one top-level module of `src` (the module no
/// other module instantiates), with every instance of a module defined in `src` flattened.
///
/// The supported subset (anything else is an [`Error::Hdl`](crate::Error::Hdl) with its line
/// and column, never a panic):
///
/// * `module` with ANSI (`input [7:0] a, output y`) or classic port lists; `input`,
///   `output`, `wire` and `reg` declarations with constant ranges (either direction) and
///   several names per declaration; `wire x = expr;`;
/// * continuous `assign`s of expressions over `~ & | ^ ~^` (bitwise), unary reductions,
///   `! && ||`, `?:`, `+` and `-` (built as ripple-carry adders of recorded full adders,
///   as the final adders of some published approximate multipliers are written), parentheses, sized and unsized constants (no x or z), bit- and
///   part-selects, concatenations and replications, with Verilog's unsigned width rules;
/// * gate primitives `and or nand nor xor xnor` (any number of inputs) and `not buf`;
/// * instances (named or positional connections) of modules defined in the same text,
///   flattened; an instance of a module with one-bit ports that computes a half adder, full
///   adder, 2:1 mux or prefix cell (checked by truth table under every assignment of ports
///   to pins) becomes a recorded cell, so the crate's own cell modules (`arithsim_fa`, ...)
///   and a library's `FAX1`-style cells are counted and priced as cells;
/// * in the top module, D flip-flops: `reg q = 1'b0;` (the initializer is the reset value,
///   0 without one) and `always @(posedge clk) q <= d;` (or a `begin ... end` block of such
///   assignments); the clock input becomes the netlist's implicit clock.
///
/// Assignments may come in any order; undriven, multiply driven and combinationally
/// looping nets are errors at their source position. Comments, `(* attributes *)` and
/// `` `timescale `` are skipped, except label comments: in the top module, a line holding
/// only `// label: <path>` (as [`Netlist::to_verilog`] writes them) labels the gates of the
/// items after it (assigns, gates, instances with everything flattened from them, always
/// blocks), until the next label comment, as [`Builder::push_label`](crate::gates::Builder::push_label) at the root would;
/// `// label:` with nothing after it returns to the root, as do items before any label
/// comment. Label comments in other modules are ignored. So an exported netlist reads back
/// with its labels and per-label [`stats`](Netlist::stats).
///
/// # Errors
/// [`Error::Hdl`](crate::Error::Hdl) with line and column for anything outside the subset;
/// [`Error::InvalidParameter`](crate::Error::InvalidParameter) for several top-level
/// candidates (use [`read_verilog_module`]).
///
/// # Examples
///
/// ```
/// use arithsim::gates::hdl::read_verilog;
///
/// let net = read_verilog("
///     module maj (input a, b, c, output y);
///       wire ab = a & b;
///       assign y = ab | (c & (a ^ b));
///     endmodule")?;
/// let out = net.eval_u64(&[("a", &[1, 1, 0]), ("b", &[1, 0, 0]), ("c", &[0, 1, 1])])?;
/// assert_eq!(out.get("y")?, &[1, 1, 0]);
/// let labelled = read_verilog("module m (input a, b, output y);
///   // label: carry/and
///   assign y = a & b;
/// endmodule")?;
/// assert_eq!(labelled.stats().label("carry/and").map(|l| l.gates), Some(1));
/// let err = read_verilog("module m (input a, output y);\n  assign y = a < 1;\nendmodule").unwrap_err();
/// assert_eq!(err.to_string(), "verilog line 2, column 16: operator '<' is outside the structural subset (only ~ & | ^ ~^ + - ?: and logical ! && ||)");
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn read_verilog(src: &str) -> Result<Netlist> {
    let (tokens, labels) = lex::lex_with_labels(src)?;
    let modules = parse::Parser::new(tokens).modules()?;
    elab::elaborate(&modules, None, &labels)
}

/// As [`read_verilog`] with the top module named.
///
/// # Errors
/// As [`read_verilog`], and [`Error::InvalidParameter`](crate::Error::InvalidParameter) if
/// `src` has no module `top`.
pub fn read_verilog_module(src: &str, top: &str) -> Result<Netlist> {
    let (tokens, labels) = lex::lex_with_labels(src)?;
    let modules = parse::Parser::new(tokens).modules()?;
    elab::elaborate(&modules, Some(top), &labels)
}

/// As [`read_verilog`], with the cells of a Liberty-loaded `lib` available as modules: an
/// instance of a library cell the text does not define reads as the cell's Liberty function
/// (a half adder, full adder or mux by truth table becomes a recorded cell, any other cell is
/// flattened into gates), so a gate-level netlist written for a PDK imports as-is.
/// Sequential library cells are not read this way (the importer keeps registers to the top
/// module's `always` blocks).
///
/// # Errors
/// As [`read_verilog`]; an instance of a cell neither defined nor combinational in the
/// library is an unknown module.
///
/// # Examples
///
/// ```
/// use arithsim::gates::CellLibrary;
/// use arithsim::gates::hdl::read_verilog_with_library;
///
/// // without a Liberty library this is plain read_verilog
/// let lib = CellLibrary::nangate45();
/// let net = read_verilog_with_library("module m (input a, output y); assign y = ~a; endmodule", &lib)?;
/// assert_eq!(net.stats().gates, 1);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn read_verilog_with_library(src: &str, lib: &CellLibrary) -> Result<Netlist> {
    let (tokens, labels) = lex::lex_with_labels(src)?;
    let mut modules = parse::Parser::new(tokens).modules()?;
    if let Some(m) = lib.liberty() {
        let wanted: Vec<&str> = modules
            .iter()
            .flat_map(|m| &m.items)
            .filter_map(|i| match i {
                Item::Instance { module, .. } => Some(module.as_str()),
                _ => None,
            })
            .filter(|name| !modules.iter().any(|m| m.name == *name))
            .collect();
        let text = library::cell_modules(&m.liberty, &wanted);
        let (t2, _) = lex::lex_with_labels(&text)?;
        let extra = parse::Parser::new(t2).modules()?;
        modules.extend(extra);
    }
    elab::elaborate(&modules, None, &labels)
}

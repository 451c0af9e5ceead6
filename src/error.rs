//! The crate's one error type.
//!
//! Every public function that takes user input (a width, a format, a string, a table, a shape)
//! returns [`Result<T>`]. Messages are lowercase, name the bad value and, where there is one,
//! the allowed range.

use std::path::PathBuf;

/// Everything that can go wrong with user input in arithsim.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // --- shared by every layer -------------------------------------------------------------
    /// A bit width outside what the item supports.
    #[error("{what} width {width} is out of range {min}..={max}")]
    InvalidWidth {
        /// What the width is of ("bit pattern", "adder", "exponent field", ...).
        what: &'static str,
        /// The width given.
        width: u32,
        /// Smallest allowed width.
        min: u32,
        /// Largest allowed width.
        max: u32,
    },
    /// A value that does not fit the range of a format or encoding.
    #[error("value {value} is out of range {min}..={max} for {what}")]
    OutOfRange {
        /// The offending value, printed.
        value: String,
        /// Smallest representable value, printed.
        min: String,
        /// Largest representable value, printed.
        max: String,
        /// The format or encoding, printed.
        what: String,
    },
    /// A parameter that is not valid for a reason other than its range.
    #[error("invalid {name} {value}: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Its value, printed.
        value: String,
        /// Why it is rejected.
        reason: String,
    },
    /// Two operands whose formats must match but do not.
    #[error("format mismatch: {left} vs {right}")]
    FormatMismatch {
        /// The first operand's format, printed.
        left: String,
        /// The second operand's format, printed.
        right: String,
    },
    /// Division by zero in an operation that has no defined result for it.
    #[error("division by zero")]
    DivisionByZero,

    // --- repr: parsing ----------------------------------------------------------------------
    /// A string that is not a valid literal.
    #[error("cannot parse {input:?}: {reason}")]
    Parse {
        /// The input as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A radix outside 2..=36.
    #[error("radix {radix} is out of range 2..=36")]
    InvalidRadix {
        /// The radix given.
        radix: u32,
    },

    // --- fixed ------------------------------------------------------------------------------

    // --- float ------------------------------------------------------------------------------

    // --- gates and circuits -----------------------------------------------------------------
    /// A port name the netlist does not have.
    #[error("unknown port {name:?}")]
    UnknownPort {
        /// The name asked for.
        name: String,
    },

    /// A hardware-description text (Verilog, BLIF) outside the supported subset or malformed,
    /// at a 1-based line and column.
    #[error("{format} line {line}, column {column}: {reason}")]
    Hdl {
        /// The format ("verilog", ...).
        format: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What is wrong.
        reason: String,
    },

    // --- cost -------------------------------------------------------------------------------
    /// A malformed cost table or cell library file.
    #[error("{file}:{line}: field {field:?}: {reason}")]
    Table {
        /// The file (or `"<string>"` for in-memory input).
        file: String,
        /// 1-based line number, 0 when unknown.
        line: usize,
        /// The field (column or key) at fault.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A file or folder that could not be read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    // --- datapath, quant, accel -------------------------------------------------------------
    /// Tensor or matrix shapes that do not fit together.
    #[error("shape error: {0}")]
    Shape(String),
    /// A combination of options the model does not support.
    #[error("unsupported: {0}")]
    Unsupported(String),
}

/// `Result` with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Shorthand for [`Error::InvalidWidth`].
    #[allow(dead_code)]
    pub(crate) fn width(what: &'static str, width: u32, min: u32, max: u32) -> Self {
        Error::InvalidWidth {
            what,
            width,
            min,
            max,
        }
    }

    /// Shorthand for [`Error::InvalidParameter`].
    #[allow(dead_code)]
    pub(crate) fn param(
        name: &'static str,
        value: impl ToString,
        reason: impl Into<String>,
    ) -> Self {
        Error::InvalidParameter {
            name,
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// Checks `min <= width <= max`.
    #[allow(dead_code)]
    pub(crate) fn check_width(what: &'static str, width: u32, min: u32, max: u32) -> Result<u32> {
        if (min..=max).contains(&width) {
            Ok(width)
        } else {
            Err(Self::width(what, width, min, max))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_message_names_value_and_range() {
        let e = Error::check_width("adder", 0, 1, 128).unwrap_err();
        assert_eq!(e.to_string(), "adder width 0 is out of range 1..=128");
        assert_eq!(Error::check_width("adder", 128, 1, 128).unwrap(), 128);
    }

    #[test]
    fn hdl_message_names_line_and_column() {
        let e = Error::Hdl {
            format: "verilog",
            line: 4,
            column: 12,
            reason: "operator '+' is outside the structural subset".into(),
        };
        assert_eq!(
            e.to_string(),
            "verilog line 4, column 12: operator '+' is outside the structural subset"
        );
    }

    #[test]
    fn table_message_names_file_line_field() {
        let e = Error::Table {
            file: "t.toml".into(),
            line: 3,
            field: "energy_pj".into(),
            reason: "must be finite and non-negative, got -1".into(),
        };
        assert_eq!(
            e.to_string(),
            "t.toml:3: field \"energy_pj\": must be finite and non-negative, got -1"
        );
    }
}

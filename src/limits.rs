//! The crate's resource limits, in one place.
//!
//! Every width, size and count that arithsim refuses past a bound is stated here, with the
//! reason for the bound. Each is enforced where the work starts, with an [`Error`](crate::Error)
//! that names the limit — before any memory is allocated or any loop begins — so hostile or
//! mistaken input gets a clear error, never an abort, a hang or a wrapped count.
//!
//! The modules re-export the limits that belong to their API under their established names
//! (for example [`repr::MAX_BITS`](crate::repr::MAX_BITS) is [`BITS_MAX_WIDTH`]).
//!
//! ```
//! use arithsim::limits;
//! use arithsim::repr::Bits;
//!
//! // One bit more than the widest pattern is an error that names the limit.
//! let err = Bits::from_u128(0, limits::BITS_MAX_WIDTH + 1).unwrap_err();
//! assert!(err.to_string().contains(&limits::BITS_MAX_WIDTH.to_string()));
//! ```

// --- repr -----------------------------------------------------------------------------------

/// Widest bit pattern ([`Bits`](crate::repr::Bits)), in bits: values are held in `u128`.
pub const BITS_MAX_WIDTH: u32 = 128;
/// Most digit columns a column addition shows.
pub const COLUMN_ADDITION_MAX_COLUMNS: u32 = 128;
/// Widest pattern an encoding table lists (2^16 rows).
pub const ENCODING_TABLE_MAX_WIDTH: u32 = 16;
/// Widest pattern a number line draws (2^6 points per line).
pub const NUMBER_LINE_MAX_WIDTH: u32 = 6;

// --- fixed and float ------------------------------------------------------------------------

/// Widest fixed-point format (K + M bits): raw values are held in `i64`/`u64`.
pub const FIXED_MAX_WIDTH: u32 = 64;
/// Most significant decimal digits a `Scientific` holds (10^38 < 2^128).
pub const SCIENTIFIC_MAX_SIGNIFICANT_DIGITS: u32 = 38;
/// Longest mantissa text `normalize_scientific` traces: it moves the point one place per
/// step and shows the whole mantissa each time, so the trace grows with the square of the
/// length (4,096 characters: at most a few tens of MB of steps).
pub const SCIENTIFIC_MAX_MANTISSA_CHARS: usize = 4096;
/// Significant decimal digits a float literal is converted with exactly (any number may be
/// written): the digits after these only say whether the rest is non-zero, which is enough
/// for correct rounding in every format and mode (the proof is at `float::parse`). So a
/// literal of 10^6 digits parses in linear time, like `str::parse::<f64>`, with the same
/// bit-exact result as the full conversion.
pub const FLOAT_PARSE_EXACT_DIGITS: usize = 1 << 14;

// --- gates ----------------------------------------------------------------------------------

/// Widest netlist port the simulator's integer API reads or writes.
pub const PORT_MAX_WIDTH: u32 = 128;
/// Most 64-bit words per wire in one simulator batch (64 × 2^16 vectors).
pub const SIM_MAX_WORDS: usize = 1 << 16;
/// Widest constant a Verilog import accepts, in bits.
pub const VERILOG_MAX_CONSTANT_BITS: usize = 1 << 16;
/// Most bit-level nodes a Verilog import may create (bounds memory for hostile input).
pub const VERILOG_MAX_NODES: usize = 1 << 24;
/// Deepest module hierarchy a Verilog import elaborates.
pub const VERILOG_MAX_HIERARCHY_DEPTH: usize = 64;
/// Deepest expression nesting a Verilog import parses (no input can exhaust the stack).
pub const VERILOG_MAX_EXPRESSION_DEPTH: usize = 200;
/// Most operands (signals, constants, selects) in one Verilog expression. Operator chains
/// (`a & b & c ...`) are kept flat, so their length costs no stack; this bounds the time and
/// memory of one statement (a 4 MB one-line expression is the order of this limit).
pub const VERILOG_MAX_EXPRESSION_OPERANDS: usize = 1 << 20;
/// Most net bits a Verilog hierarchy may expand to (every declared bit of every module,
/// times the instances of that module). Counted bottom-up over the modules before
/// elaboration starts, so a hierarchy that doubles at each level (2^40 bits) is refused in
/// milliseconds instead of being flattened until memory runs out.
pub const VERILOG_MAX_EXPANDED_BITS: usize = VERILOG_MAX_NODES;

// --- circuits -------------------------------------------------------------------------------

/// Widest adder the netlist-returning generators build (the port limit).
pub const ADDER_MAX_WIDTH: u32 = PORT_MAX_WIDTH;
/// Widest bus the `build_*` forms accept inside a larger circuit.
pub const BUILD_MAX_WIDTH: usize = 4096;
/// Widest multiplier operand.
pub const MULTIPLIER_MAX_WIDTH: u32 = 64;
/// Most products a dot-product unit sums per cycle.
pub const DOT_UNIT_MAX_LANES: u32 = 64;
/// Widest bus the floating-point shifters and the leading-zero counter accept.
pub const FP_SHIFT_MAX_WIDTH: usize = 256;
/// Widest format (sign + exponent + mantissa bits) the gate-level FP units build: FP32.
pub const FP_UNIT_MAX_WIDTH: u32 = 32;
/// Widest adder a prefix schedule lists ([`prefix_schedule`](crate::circuits::adders::prefix_schedule)):
/// a Kogge-Stone schedule holds `n·log2 n` pairs, 1M pairs at this width.
pub const PREFIX_SCHEDULE_MAX_WIDTH: usize = 1 << 16;
/// Widest operand a reduction plan's AND-array heights accept
/// ([`and_array_heights`](crate::circuits::multipliers::plan::and_array_heights)): the
/// heights are `n + m` counts, each at most this.
pub const REDUCTION_PLAN_MAX_WIDTH: u32 = 1 << 16;
/// Most bits (the sum of the column heights) a Wallace or Dadda plan reduces
/// ([`dadda_plan`](crate::circuits::multipliers::plan::dadda_plan)): every count of bits and
/// counters then fits `u32`.
pub const REDUCTION_PLAN_MAX_BITS: u64 = u32::MAX as u64;

// --- datapath, quant, accel -----------------------------------------------------------------

/// Most words per wire per batch in the float gate-level engine (1024 outputs together).
pub const FLOAT_GATE_ENGINE_MAX_WORDS: usize = 16;
/// Largest matrix a weight-storage count accepts (2^56 elements), so every bit count fits
/// `u64` (at most 32 bits per element plus scales).
pub const WEIGHT_STORAGE_MAX_ELEMENTS: u64 = 1 << 56;
/// Largest transformer dimension (2^32), so exact parameter counts fit `u128`.
pub const TRANSFORMER_MAX_DIMENSION: u128 = 1 << 32;

// --- datapath -------------------------------------------------------------------------------

/// Most elements of a tensor a datapath kernel allocates (a GEMM's `M × N` output, a
/// convolution's output or one group's im2col matrix) or a synthetic tensor holds (2^28:
/// 2 GiB of `i64`), checked before allocating so a large shape is an error, not an abort.
pub const DATAPATH_MAX_TENSOR_ELEMENTS: usize = 1 << 28;
/// Longest N:M sparsity group (`m`): indices are stored in `⌈log2 m⌉` bits, and every
/// published N:M pattern (2:4, 1:4, 4:8, 2:8, 16:32) is far below it.
pub const SPARSE_NM_MAX_M: usize = 1 << 16;

// --- quant ----------------------------------------------------------------------------------

/// Largest power-of-two exponent of a requantization multiplier
/// ([`QuantizedMultiplier`](crate::quant::QuantizedMultiplier)): `M0 · 2^(shift − 31)` with
/// `shift ≤ 30`, TFLite's bound, so `|M| < 2^30` and the left shift stays meaningful in `i32`.
pub const QUANT_MULTIPLIER_MAX_SHIFT: i32 = 30;

// --- cost -----------------------------------------------------------------------------------

/// Most rows a cost table loaded from TOML or CSV may have (2^20): far more than any
/// published table, and loading stays linear, so this bounds memory only.
pub const COST_TABLE_MAX_ROWS: usize = 1 << 20;
/// Longest cost-table text (TOML or CSV) a loader parses, in bytes (256 MiB).
pub const COST_TABLE_MAX_BYTES: usize = 1 << 28;
/// Widest integer operand a cost can be given or derived for (operation names and pricing).
pub const COST_MAX_OPERAND_BITS: u32 = 4096;
/// Widest exponent field of a priced floating-point format
/// ([`FloatKind`](crate::cost::FloatKind)).
pub const COST_FLOAT_MAX_EXP_BITS: u32 = 30;
/// Widest fraction field of a priced floating-point format.
pub const COST_FLOAT_MAX_MAN_BITS: u32 = 120;
/// Widest memory access a cost can be derived for, in bits.
pub const COST_MAX_ACCESS_BITS: u32 = 1 << 20;
/// Every count of operations, bytes, cycles and parameters in `cost`, `datapath`, `quant`
/// and `accel` is a `u64`: a count that would pass it is an
/// [`Error::OutOfRange`](crate::Error::OutOfRange) naming the count, never a wrapped or
/// silently saturated number ([`Tally`](crate::cost::Tally) saturates visibly).
pub const COUNT_MAX: u64 = u64::MAX;

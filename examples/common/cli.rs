//! The one command line of every example: `--help`, the shared `--table FILE`, `--out DIR`
//! and `--format F` where an example has them, the example's own options, and positional
//! arguments, all read by one parser (lexopt) from one declarative [`Spec`] per example.
//!
//! Behaviour, the same in every example: `--help` (or `-h`) prints the usage and exits 0; an
//! unknown option, a missing value or a value outside its choices prints a one-line error and
//! the usage on stderr and exits 2; an error while running prints its `Display` (never
//! `Debug`) and exits 1. `--out` defaults to a folder under the target directory
//! ([`target_dir`]), never under the source tree or the working directory.
//!
//! Every example's spec is in [`SPECS`], so `tests/examples_cli.rs` checks `--help` and a bad
//! option for all of them without building or running any example.

// Each example uses a part of this module; the test uses all of it.
#![allow(dead_code)]

use std::ffi::OsString;
use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use arithsim::cost::CostTable;
use arithsim::cost::report::{Format, ReportOptions};
use arithsim::round::RoundingMode;

/// What an option's value may be; checked while parsing, so a bad value is a usage error
/// (exit 2) like an unknown option.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A flag without a value.
    Flag,
    /// Any text (a file, a name the example checks itself).
    Text(&'static str),
    /// A non-negative integer.
    Count(&'static str),
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A value the function accepts (a name the crate parses, such as an adder kind); its
    /// error is the message.
    Parsed(&'static str, fn(&str) -> Result<(), String>),
}

/// An adder kind as `AdderKind`'s `FromStr` reads it (`kogge-stone`, `ks`, `carry-select/8`).
fn adder_kind(v: &str) -> Result<(), String> {
    v.parse::<arithsim::circuits::adders::AdderKind>()
        .map(drop)
        .map_err(|e| e.to_string())
}

/// One option of one example, `--name` followed by a value unless it is a flag.
#[derive(Clone, Copy, Debug)]
pub struct Opt {
    pub name: &'static str,
    pub kind: Kind,
    pub help: &'static str,
}

/// Positional arguments: any number, each of `kind` (a `Kind::Flag` here means none).
#[derive(Clone, Copy, Debug)]
pub struct Positional {
    pub name: &'static str,
    pub kind: Kind,
    /// At most this many.
    pub max: usize,
    pub help: &'static str,
}

/// One example's command line.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// The example's name (`cargo run --example NAME`).
    pub name: &'static str,
    /// One line: what it does.
    pub about: &'static str,
    /// Takes `--table FILE` (it prices with a cost table).
    pub table: bool,
    /// Takes `--out DIR`, defaulting to this folder under the target directory.
    pub out: Option<&'static str>,
    /// Takes `--format text|markdown|csv|json`.
    pub format: bool,
    /// The example's own options.
    pub options: &'static [Opt],
    pub positional: Option<Positional>,
}

/// The parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    pub table: Option<PathBuf>,
    /// The output folder (the spec's default under [`target_dir`] unless `--out` is given).
    pub out: PathBuf,
    pub format: Format,
    /// The example's own options as given, in order (`None` for a flag).
    values: Vec<(&'static str, Option<String>)>,
    pub positional: Vec<String>,
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    Run(Args),
    Help,
}

const MODES: &[&str] = &["rne", "rna", "rnp", "rtz", "rup", "rdn", "rto", "all"];

/// Parses a `--mode` value of [`MODES`]: a deterministic mode's short name, or all seven.
pub fn parse_modes(name: &str) -> Result<Vec<RoundingMode>, String> {
    if name == "all" {
        return Ok(RoundingMode::DETERMINISTIC.to_vec());
    }
    name.parse::<RoundingMode>()
        .ok()
        .filter(|m| RoundingMode::DETERMINISTIC.contains(m))
        .map(|m| vec![m])
        .ok_or_else(|| {
            let names: Vec<String> = RoundingMode::DETERMINISTIC
                .iter()
                .map(RoundingMode::short_name)
                .collect();
            format!("unknown mode {name:?}; one of {} or all", names.join(", "))
        })
}

const THREADS: Opt = Opt {
    name: "threads",
    kind: Kind::Count("N"),
    help: "worker threads (default: all cores, or RAYON_NUM_THREADS)",
};

/// Every example's command line (`examples/NAME.rs` and `examples/NAME/main.rs`).
pub const SPECS: &[Spec] = &[
    ADDERS,
    COMPRESSION_REPORT,
    COST_REPORT,
    EXHAUSTIVE_ADDER16,
    EXHAUSTIVE_CONVERT,
    EXHAUSTIVE_FP16,
    EXPLORE,
    FLOAT_EXPLAIN,
    FLOAT_FMA_SWEEP,
    FINETUNE_REPORT,
    FLOAT_UNITS,
    FSD_NPU,
    GLITCH_SHARES,
    HDL_IMPORT_SCALE,
    HDL_ROUNDTRIP,
    LIBERTY_REPORT,
    MULTIPLIERS,
    NETWORK_REPORT,
    NUMBER_SYSTEMS,
    PARSE_LONG_DECIMAL,
    PRUNING_DISTILLATION,
    QUANTIZED_GEMM,
    SYNTH_AREAS,
    TRAIN_DIGITS,
];

const fn plain(name: &'static str, about: &'static str) -> Spec {
    Spec {
        name,
        about,
        table: false,
        out: None,
        format: false,
        options: &[],
        positional: None,
    }
}

const fn report(name: &'static str, about: &'static str, out: &'static str) -> Spec {
    Spec {
        name,
        about,
        table: true,
        out: Some(out),
        format: true,
        options: &[],
        positional: None,
    }
}

pub const ADDERS: Spec = Spec {
    options: &[Opt {
        name: "markdown",
        kind: Kind::Flag,
        help: "print one Markdown table (as in docs/circuits.md) instead of plain text",
    }],
    ..plain(
        "adders",
        "every adder's gates, cells, depth, delay, area and toggles",
    )
};
pub const COMPRESSION_REPORT: Spec = report(
    "compression_report",
    "memory, 4-bit format error, LoRA/QLoRA and per-token energy of a large model",
    "compression-report",
);
pub const COST_REPORT: Spec = Spec {
    options: &[Opt {
        name: "liberty",
        kind: Kind::Text("FILE"),
        help: "a Liberty library (.lib or .lib.gz) for sections 4d-4f: adds NLDM delay and \
               NLDM energy (default: the embedded NanGate 45 nm table, no NLDM)",
    }],
    ..report(
        "cost_report",
        "why INT8 arithmetic beats floating point in energy and area",
        "cost-report",
    )
};
pub const EXHAUSTIVE_ADDER16: Spec = Spec {
    options: &[THREADS],
    positional: Some(Positional {
        name: "ADDER",
        kind: Kind::Parsed("ADDER", adder_kind),
        max: usize::MAX,
        help: "adder kinds to check (default: ripple-carry): ripple-carry (rca), \
               carry-lookahead (cla), kogge-stone (ks), brent-kung (bk), sklansky (sk), \
               han-carlson (hc), ladner-fischer (lf), ...; a block size as carry-select/8",
    }),
    ..plain(
        "exhaustive_adder16",
        "a 16-bit adder on all 2^32 operand pairs",
    )
};
pub const EXHAUSTIVE_CONVERT: Spec = Spec {
    options: &[
        Opt {
            name: "mode",
            kind: Kind::Choice(MODES),
            help: "rounding mode of the circuits (default rne), or all seven",
        },
        THREADS,
        Opt {
            name: "from",
            kind: Kind::Count("H"),
            help: "first batch of inputs (of 2^21 batches of 2048)",
        },
        Opt {
            name: "high-values",
            kind: Kind::Count("N"),
            help: "check only N batches from --from (a quick partial run)",
        },
    ],
    ..plain(
        "exhaustive_convert",
        "every FP32 pattern through the gate-level FP32 → FP16/BF16/FP8 converters",
    )
};
pub const EXHAUSTIVE_FP16: Spec = Spec {
    options: &[
        Opt {
            name: "mode",
            kind: Kind::Choice(MODES),
            help: "rounding mode of the units (default rne), or all seven",
        },
        THREADS,
        Opt {
            name: "b-values",
            kind: Kind::Count("N"),
            help: "check only the first N values of b (a quick partial run)",
        },
        Opt {
            name: "reference",
            kind: Kind::Choice(&["exact", "soft"]),
            help: "the reference: exact rounding (default) or the soft float",
        },
    ],
    positional: Some(Positional {
        name: "OP",
        kind: Kind::Choice(&["add", "mul"]),
        max: 2,
        help: "units to check (default: both)",
    }),
    ..plain(
        "exhaustive_fp16",
        "all 2^32 FP16 operand pairs through the gate-level adder and multiplier",
    )
};
pub const EXPLORE: Spec = report(
    "explore",
    "multiplier and ResNet-50 accelerator design spaces with their Pareto fronts",
    "explore",
);
pub const FLOAT_EXPLAIN: Spec = Spec {
    options: &[
        Opt {
            name: "convert",
            kind: Kind::Text("VALUE"),
            help: "explain only the conversion of VALUE (a decimal, hex-float, inf or nan \
                   literal) into --to",
        },
        Opt {
            name: "to",
            kind: Kind::Text("FORMAT"),
            help: "the format --convert rounds into: e4m3 (default), e5m2, fp16, bf16, fp32, \
                   e5m2fnuz, e8m23, …",
        },
        Opt {
            name: "mode",
            kind: Kind::Choice(MODES),
            help: "the rounding mode of --convert (default rne), or all seven",
        },
        Opt {
            name: "overflow",
            kind: Kind::Choice(&["nan", "saturate"]),
            help: "overflow in a format without infinities, as OCP's two behaviours \
                   (default nan)",
        },
    ],
    ..plain(
        "float_explain",
        "floating-point operations and conversions step by step, as a course does them",
    )
};
pub const FLOAT_FMA_SWEEP: Spec = Spec {
    positional: Some(Positional {
        name: "SAMPLES",
        kind: Kind::Count("SAMPLES"),
        max: 1,
        help: "operand triples per format (default 2500000)",
    }),
    ..plain(
        "float_fma_sweep",
        "sampled fma triples of the four FP8 formats against the exact reference",
    )
};
pub const FLOAT_UNITS: Spec = plain(
    "float_units",
    "where the area and delay of the gate-level FP units go",
);
pub const FSD_NPU: Spec = Spec {
    table: true,
    out: Some("reports"),
    ..plain(
        "fsd_npu",
        "ResNet-50 on the Tesla FSD NPU model: INT8 against FP16 and FP32",
    )
};
pub const GLITCH_SHARES: Spec = plain(
    "glitch_shares",
    "glitch share of the gate-level energy and its sensitivity to the time resolution",
);
pub const HDL_IMPORT_SCALE: Spec = Spec {
    positional: Some(Positional {
        name: "GATES",
        kind: Kind::Count("GATES"),
        max: usize::MAX,
        help: "netlist sizes (default 250000 500000 1000000 2000000)",
    }),
    ..plain(
        "hdl_import_scale",
        "how Verilog export and import time grow with the netlist",
    )
};
pub const HDL_ROUNDTRIP: Spec = Spec {
    out: Some("hdl"),
    ..plain(
        "hdl_roundtrip",
        "Verilog/BLIF export, a VCD waveform and Verilog import",
    )
};
pub const LIBERTY_REPORT: Spec = Spec {
    format: true,
    options: &[
        Opt {
            name: "liberty",
            kind: Kind::Text("FILE"),
            help: "the library (.lib or .lib.gz); default $ARITHSIM_LIBERTY, else \
                   ../shared/data/nangate45_typ.lib.gz (the project's shared data; \
                   elsewhere, give a file)",
        },
        Opt {
            name: "synth",
            kind: Kind::Flag,
            help: "also synthesize each circuit with Yosys + ABC (yosys on the PATH)",
        },
        Opt {
            name: "quick",
            kind: Kind::Flag,
            help: "only the 8- and 16-bit circuits",
        },
    ],
    ..plain(
        "liberty_report",
        "the report's circuits on a Liberty library: synthesized area and NLDM timing",
    )
};
pub const MULTIPLIERS: Spec = plain(
    "multipliers",
    "every multiplier architecture's gates, area and activity; the MAC presets",
);
pub const FINETUNE_REPORT: Spec = Spec {
    options: &[Opt {
        name: "quick",
        kind: Kind::Flag,
        help: "the CI size: the MLP only, fewer epochs and settings, still 3 seeds (< 2 min)",
    }],
    ..report(
        "finetune_report",
        "what QAT, pruning with retraining, LoRA/QLoRA and distillation recover, and at what \
         training energy",
        "finetune-report",
    )
};
pub const NETWORK_REPORT: Spec = report(
    "network_report",
    "two trained networks run bit-exactly in every number format, with their costs",
    "network-report",
);
pub const NUMBER_SYSTEMS: Spec = plain(
    "number_systems",
    "the course's chapter on number systems and fixed point, worked through",
);
pub const PARSE_LONG_DECIMAL: Spec = plain(
    "parse_long_decimal",
    "parsing a 10^6-digit decimal into FP64 against str::parse::<f64>",
);
pub const PRUNING_DISTILLATION: Spec = report(
    "pruning_distillation",
    "pruning, sparsity and distillation, costed",
    "pruning-report",
);
pub const QUANTIZED_GEMM: Spec = Spec {
    table: true,
    out: Some("reports"),
    ..plain(
        "quantized_gemm",
        "accuracy against cost of one fully connected layer in INT8 and floats",
    )
};
pub const SYNTH_AREAS: Spec = Spec {
    options: &[
        Opt {
            name: "liberty",
            kind: Kind::Text("FILE"),
            help: "the library (.lib or .lib.gz); default $ARITHSIM_LIBERTY, else \
                   ../shared/data/nangate45_typ.lib.gz (the project's shared data; \
                   elsewhere, give a file)",
        },
        Opt {
            name: "timeout",
            kind: Kind::Count("S"),
            help: "seconds per circuit before Yosys and ABC are killed (default 240)",
        },
        Opt {
            name: "bless",
            kind: Kind::Flag,
            help: "write data/synth_areas.csv (else <target>/synth_areas.csv)",
        },
        Opt {
            name: "hardfloat",
            kind: Kind::Flag,
            help: "instead, synthesize the FP32 FMA and the INT8 MAC and print their areas",
        },
        Opt {
            name: "quick",
            kind: Kind::Flag,
            help: "only the four smallest circuits (the CI size)",
        },
    ],
    ..plain(
        "synth_areas",
        "Yosys + ABC areas of every cost-report circuit (needs yosys on the PATH)",
    )
};
pub const TRAIN_DIGITS: Spec = Spec {
    out: Some("networks"),
    options: &[
        Opt {
            name: "check",
            kind: Kind::Flag,
            help: "retrain and compare bit for bit with data/networks (exit 1 if not)",
        },
        Opt {
            name: "seeds",
            kind: Kind::Flag,
            help: "FP32 test accuracy over 5 split seeds",
        },
        Opt {
            name: "bless",
            kind: Kind::Flag,
            help: "write the checkpoints into data/networks (the committed ones) instead of --out",
        },
        Opt {
            name: "net",
            kind: Kind::Choice(&["mlp", "cnn", "all"]),
            help: "which network (default all)",
        },
    ],
    ..plain(
        "train_digits",
        "train the digits networks, or check that a retrain reproduces the checkpoints",
    )
};

/// The target directory: `$CARGO_TARGET_DIR` (at run time, else as it was when the example
/// was compiled), else `target` in the crate's root. A relative `CARGO_TARGET_DIR` is taken
/// from the crate's root, so the answer does not depend on the working directory.
pub fn target_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| option_env!("CARGO_TARGET_DIR").map(PathBuf::from))
        .unwrap_or_else(|| root.join("target"));
    root.join(dir)
}

/// The crate's root (for committed inputs such as `data/networks`).
pub fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Spec {
    /// The usage text `--help` prints: the synopsis, one line on what it does, each option.
    pub fn usage(&self) -> String {
        let mut synopsis = format!("usage: {}", self.name);
        let mut lines = Vec::new();
        let mut add = |flag: String, help: String| {
            synopsis.push_str(&format!(" [{flag}]"));
            lines.push(help_line(&flag, &help));
        };
        if self.table {
            add(
                "--table FILE".into(),
                "cost table (.toml or .csv; default the embedded Horowitz 45 nm table)".into(),
            );
        }
        if let Some(out) = self.out {
            add(
                "--out DIR".into(),
                format!(
                    "output folder (default {})",
                    target_dir().join(out).display()
                ),
            );
        }
        if self.format {
            add(
                "--format F".into(),
                "text (default), markdown, csv or json".into(),
            );
        }
        for o in self.options {
            let flag = match o.kind {
                Kind::Flag => format!("--{}", o.name),
                Kind::Text(v) | Kind::Count(v) | Kind::Parsed(v, _) => {
                    format!("--{} {v}", o.name)
                }
                Kind::Choice(c) => format!("--{} {}", o.name, c.join("|")),
            };
            add(flag, o.help.into());
        }
        if let Some(p) = self.positional {
            let each = match p.kind {
                Kind::Choice(c) => c.join("|"),
                _ => p.name.to_string(),
            };
            let flag = if p.max == 1 {
                each
            } else {
                format!("{each}...")
            };
            synopsis.push_str(&format!(" [{flag}]"));
            lines.push(help_line(&flag, p.help));
        }
        synopsis.push_str(" [--help]");
        lines.push(help_line("-h, --help", "this text"));
        format!("{synopsis}\n{}\n{}", self.about, lines.join("\n"))
    }

    /// Parses `args` (without the program name).
    ///
    /// # Errors
    ///
    /// A one-line message for an unknown option, a missing or bad value, or an extra
    /// positional argument.
    pub fn parse<I>(&self, args: I) -> Result<Parsed, String>
    where
        I: IntoIterator,
        I::Item: Into<OsString>,
    {
        use lexopt::Arg::{Long, Short, Value};
        let mut a = Args {
            table: None,
            out: target_dir().join(self.out.unwrap_or(self.name)),
            format: Format::Text,
            values: Vec::new(),
            positional: Vec::new(),
        };
        let text = |v: OsString| v.into_string().map_err(|v| format!("{v:?} is not UTF-8"));
        let mut p = lexopt::Parser::from_args(args);
        while let Some(arg) = p.next().map_err(|e| e.to_string())? {
            match arg {
                Short('h') | Long("help") => return Ok(Parsed::Help),
                Long("table") if self.table => {
                    a.table = Some(p.value().map_err(|e| e.to_string())?.into());
                }
                Long("out") if self.out.is_some() => {
                    a.out = p.value().map_err(|e| e.to_string())?.into();
                }
                Long("format") if self.format => {
                    let v = text(p.value().map_err(|e| e.to_string())?)?;
                    a.format = v
                        .parse()
                        .map_err(|e: arithsim::Error| format!("--format: {e}"))?;
                }
                Long(name) => {
                    let name = name.to_string();
                    let Some(o) = self.options.iter().find(|o| o.name == name) else {
                        return Err(format!("unknown option --{name}"));
                    };
                    let value = match o.kind {
                        Kind::Flag => None,
                        kind => {
                            let v = text(p.value().map_err(|e| e.to_string())?)?;
                            check(kind, &v).map_err(|e| format!("--{name}: {e}"))?;
                            Some(v)
                        }
                    };
                    a.values.push((o.name, value));
                }
                Value(v) => {
                    let v = text(v)?;
                    let Some(pos) = self.positional else {
                        return Err(format!("unexpected argument {v:?}"));
                    };
                    if a.positional.len() == pos.max {
                        return Err(format!("too many {} arguments: {v:?}", pos.name));
                    }
                    check(pos.kind, &v).map_err(|e| format!("{}: {e}", pos.name))?;
                    a.positional.push(v);
                }
                other => return Err(other.unexpected().to_string()),
            }
        }
        Ok(Parsed::Run(a))
    }
}

/// Where an option's help starts, and the width it wraps at.
const HELP_COLUMN: usize = 28;
const HELP_WIDTH: usize = 100;

/// One option's help: the flag, then its help from [`HELP_COLUMN`] wrapped at
/// [`HELP_WIDTH`]; a flag too long for its column ends its line, so the help never runs into
/// it.
fn help_line(flag: &str, help: &str) -> String {
    let indent = " ".repeat(HELP_COLUMN);
    let head = format!("  {flag}");
    let mut out = if head.len() + 2 > HELP_COLUMN {
        format!("{head}\n{indent}")
    } else {
        format!("{head:<HELP_COLUMN$}")
    };
    let mut col = HELP_COLUMN;
    for (i, word) in help.split_whitespace().enumerate() {
        if i > 0 && col + 1 + word.len() > HELP_WIDTH {
            out.push('\n');
            out.push_str(&indent);
            col = HELP_COLUMN;
        } else if i > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.len();
    }
    out
}

/// The Liberty library: `--liberty FILE`, else `$ARITHSIM_LIBERTY`, else the NanGate file of
/// the project's shared data folder (`../shared/data/nangate45_typ.lib.gz` beside the crate),
/// which a user of the published crate does not have: a missing file is an error that says
/// how to give one.
pub fn liberty_path(args: &Args) -> arithsim::Result<PathBuf> {
    let (path, given) = match (args.value("liberty"), std::env::var_os("ARITHSIM_LIBERTY")) {
        (Some(p), _) => (PathBuf::from(p), "given by --liberty"),
        (None, Some(p)) if !p.is_empty() => (PathBuf::from(p), "given by ARITHSIM_LIBERTY"),
        _ => (
            crate_root().join("../shared/data/nangate45_typ.lib.gz"),
            "the default, in the project's shared data folder",
        ),
    };
    if path.is_file() {
        return Ok(path);
    }
    Err(arithsim::Error::Io {
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "no Liberty library there ({given}): pass --liberty FILE (a .lib or .lib.gz, \
                 such as NanGate 45 nm's) or set ARITHSIM_LIBERTY=FILE"
            ),
        ),
        path,
    })
}

fn check(kind: Kind, v: &str) -> Result<(), String> {
    match kind {
        Kind::Flag | Kind::Text(_) => Ok(()),
        Kind::Parsed(_, parse) => parse(v),
        Kind::Count(_) => v
            .parse::<u64>()
            .map(drop)
            .map_err(|_| format!("{v:?} is not a non-negative integer")),
        Kind::Choice(c) if c.contains(&v) => Ok(()),
        Kind::Choice(c) => Err(format!("{v:?} is not one of {}", c.join(", "))),
    }
}

impl Args {
    /// The example's flag `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.values.iter().any(|(n, _)| *n == name)
    }

    /// The last value given for option `name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// The last value of a [`Kind::Count`] option (checked while parsing).
    pub fn count(&self, name: &str) -> Option<u64> {
        self.value(name).and_then(|v| v.parse().ok())
    }

    /// The positional arguments of a [`Kind::Count`] positional (checked while parsing).
    pub fn counts(&self) -> Vec<u64> {
        self.positional
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect()
    }

    /// The cost table `--table` names, or the embedded Horowitz 45 nm table.
    pub fn cost_table(&self) -> arithsim::Result<CostTable> {
        self.report().cost_table()
    }

    /// `--table`, `--liberty` (where the example takes it), `--out` and `--format` as the
    /// report renderer takes them.
    pub fn report(&self) -> ReportOptions {
        ReportOptions {
            table: self.table.clone(),
            liberty: self.value("liberty").map(PathBuf::from),
            out: self.out.clone(),
            format: self.format,
        }
    }

    /// Creates the output folder.
    pub fn create_out(&self) -> arithsim::Result<&Path> {
        std::fs::create_dir_all(&self.out).map_err(|source| arithsim::Error::Io {
            path: self.out.clone(),
            source,
        })?;
        Ok(&self.out)
    }
}

/// An example's `main`: parses the process arguments against `spec`, prints the usage on
/// `--help` (exit 0) or after a usage error (exit 2), runs `run` and prints its error with
/// `Display` (exit 1).
pub fn main<E: Display>(spec: &Spec, run: impl FnOnce(&Args) -> Result<(), E>) -> ExitCode {
    match spec.parse(std::env::args_os().skip(1)) {
        Ok(Parsed::Help) => {
            println!("{}", spec.usage());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}\n{}", spec.usage());
            ExitCode::from(2)
        }
        Ok(Parsed::Run(args)) => match run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

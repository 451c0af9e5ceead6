//! The embedded default table: Horowitz, ISSCC 2014, 45 nm, 0.9 V.

use super::{CostRow, CostTable, FloatKind, MemLevel, OpKind, Span};

/// The source line of every row of the default table.
pub const HOROWITZ_SOURCE: &str = "M. Horowitz, \"Computing's Energy Problem (and what we can do \
                                   about it)\", ISSCC 2014, 45 nm, 0.9 V";

impl CostTable {
    /// The built-in default: exactly the rows Horowitz published (ISSCC 2014, 45 nm, 0.9 V),
    /// with the DRAM read kept as its 1.3–2.6 nJ range. Memory rows have no area.
    ///
    /// | operation | energy (pJ) | area (µm²) |
    /// |---|---|---|
    /// | 8 / 16 / 32-bit int add | 0.03 / 0.05 / 0.1 | 36 / 67 / 137 |
    /// | 8 / 32-bit int mult | 0.2 / 3.1 | 282 / 3495 |
    /// | FP16 / FP32 add | 0.4 / 0.9 | 1360 / 4184 |
    /// | FP16 / FP32 mult | 1.1 / 3.7 | 1640 / 7700 |
    /// | 64-bit SRAM read, 8 KB / 32 KB / 1 MB | 10 / 20 / 100 | |
    /// | 64-bit DRAM read | 1300–2600 | |
    #[must_use]
    pub fn horowitz_45nm() -> CostTable {
        let mut t = CostTable::new("Horowitz, ISSCC 2014 (45 nm, 0.9 V)");
        let row = |op, e: Span| CostRow::new(op, e, 45.0, 0.9, HOROWITZ_SOURCE);
        let ex = Span::exact;
        let sram = |kib: u64| OpKind::MemRead {
            level: MemLevel::Sram { bytes: kib << 10 },
            bits: 64,
        };
        let rows = [
            row(OpKind::IntAdd { bits: 8 }, ex(0.03)).with_area(36.0),
            row(OpKind::IntAdd { bits: 16 }, ex(0.05)).with_area(67.0),
            row(OpKind::IntAdd { bits: 32 }, ex(0.1)).with_area(137.0),
            row(
                OpKind::FpAdd {
                    format: FloatKind::FP16,
                },
                ex(0.4),
            )
            .with_area(1360.0),
            row(
                OpKind::FpAdd {
                    format: FloatKind::FP32,
                },
                ex(0.9),
            )
            .with_area(4184.0),
            row(OpKind::IntMul { bits: 8 }, ex(0.2)).with_area(282.0),
            row(OpKind::IntMul { bits: 32 }, ex(3.1)).with_area(3495.0),
            row(
                OpKind::FpMul {
                    format: FloatKind::FP16,
                },
                ex(1.1),
            )
            .with_area(1640.0),
            row(
                OpKind::FpMul {
                    format: FloatKind::FP32,
                },
                ex(3.7),
            )
            .with_area(7700.0),
            row(sram(8), ex(10.0)),
            row(sram(32), ex(20.0)),
            row(sram(1024), ex(100.0)),
            row(
                OpKind::MemRead {
                    level: MemLevel::Dram,
                    bits: 64,
                },
                Span::range(1300.0, 2600.0),
            ),
        ];
        for r in rows {
            // The rows are distinct and valid by construction; a failure is a bug here.
            t.push(r)
                .expect("the embedded Horowitz rows are valid and distinct");
        }
        t
    }
}

//! Building a [`MacArray`] by name rather than by eleven positional fields: every parameter
//! but the array size has a default (the Tesla FSD NPU's, where it is a property of the
//! design rather than of that chip), and [`MacArrayBuilder::build`] validates the whole.

use super::array::{Dataflow, MacArithmetic, MacArray, fsd_npu};
use crate::Result;

/// A [`MacArray`] under construction: [`MacArray::builder`]`(rows, cols)`, setters by field
/// name, then [`build`](Self::build).
///
/// Defaults (the FSD NPU's figures, [`fsd_npu`](super::fsd_npu)): INT8 × INT8 → INT32 MACs at
/// 2 GHz, 32 MiB of SRAM priced per 1 MiB bank, 256 activation and 128 weight bytes per
/// cycle, LPDDR4-4266 on 128 bits (68.256 GB/s), output stationary. Two defaults are not
/// FSD's: one array per chip (FSD has two NPUs), and the name `"<rows>x<cols> MAC array"`.
///
/// # Examples
///
/// ```
/// use arithsim::accel::{Dataflow, MacArithmetic, MacArray};
///
/// let tpu_like = MacArray::builder(128, 128)
///     .name("128x128 BF16 weight stationary")
///     .arithmetic(MacArithmetic::BF16_FP32)
///     .clock_hz(940e6)
///     .dataflow(Dataflow::WeightStationary)
///     .build()?;
/// assert_eq!(tpu_like.macs(), 16_384);
/// assert!(MacArray::builder(0, 8).build().is_err()); // zero rows
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct MacArrayBuilder {
    array: MacArray,
    named: bool,
}

impl MacArray {
    /// A builder for a `rows × cols` array with the defaults listed on [`MacArrayBuilder`].
    pub fn builder(rows: u32, cols: u32) -> MacArrayBuilder {
        MacArrayBuilder {
            // The FSD NPU's memories, clock and arithmetic: one array per chip, unnamed.
            array: MacArray {
                name: String::new(),
                rows,
                cols,
                arrays_per_chip: 1,
                ..fsd_npu()
            },
            named: false,
        }
    }

    /// A builder holding this array's parameters, to derive a variant of it (another size,
    /// clock or SRAM) that is validated again.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::fsd_npu;
    ///
    /// let small = fsd_npu().to_builder().rows(32).cols(32).name("32x32 FSD-like").build()?;
    /// assert_eq!((small.macs(), small.clock_hz), (1024, 2e9));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn to_builder(&self) -> MacArrayBuilder {
        MacArrayBuilder {
            array: self.clone(),
            named: true,
        }
    }
}

impl MacArrayBuilder {
    /// A name for reports.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.array.name = name.into();
        self.named = true;
        self
    }

    /// Rows of MACs.
    pub fn rows(mut self, rows: u32) -> Self {
        self.array.rows = rows;
        self
    }

    /// Columns of MACs.
    pub fn cols(mut self, cols: u32) -> Self {
        self.array.cols = cols;
        self
    }

    /// What each MAC computes.
    pub fn arithmetic(mut self, arithmetic: MacArithmetic) -> Self {
        self.array.arithmetic = arithmetic;
        self
    }

    /// Clock frequency, Hz.
    pub fn clock_hz(mut self, clock_hz: f64) -> Self {
        self.array.clock_hz = clock_hz;
        self
    }

    /// On-chip SRAM capacity, bytes.
    pub fn sram_bytes(mut self, sram_bytes: u64) -> Self {
        self.array.sram_bytes = sram_bytes;
        self
    }

    /// Size of one SRAM bank, bytes (what one read is priced as).
    pub fn sram_bank_bytes(mut self, sram_bank_bytes: u64) -> Self {
        self.array.sram_bank_bytes = sram_bank_bytes;
        self
    }

    /// Activation bytes the SRAM delivers per cycle.
    pub fn act_bytes_per_cycle(mut self, bytes: u32) -> Self {
        self.array.act_bytes_per_cycle = bytes;
        self
    }

    /// Weight bytes the SRAM delivers per cycle.
    pub fn weight_bytes_per_cycle(mut self, bytes: u32) -> Self {
        self.array.weight_bytes_per_cycle = bytes;
        self
    }

    /// Off-chip DRAM bandwidth, bytes per second.
    pub fn dram_bytes_per_s(mut self, bytes_per_s: f64) -> Self {
        self.array.dram_bytes_per_s = bytes_per_s;
        self
    }

    /// How operands move.
    pub fn dataflow(mut self, dataflow: Dataflow) -> Self {
        self.array.dataflow = dataflow;
        self
    }

    /// How many of these arrays the chip has (chip-level peak figures).
    pub fn arrays_per_chip(mut self, arrays: u32) -> Self {
        self.array.arrays_per_chip = arrays;
        self
    }

    /// The array, after checking every parameter.
    ///
    /// # Errors
    ///
    /// As [`MacArray::validate`]: [`Error::InvalidParameter`](crate::Error::InvalidParameter)
    /// naming a zero size, SRAM, bank, port width or array count, or a non-finite or
    /// non-positive clock or bandwidth; [`Error::Unsupported`](crate::Error::Unsupported) for
    /// an arithmetic the model does not support.
    pub fn build(self) -> Result<MacArray> {
        let mut a = self.array;
        if !self.named {
            a.name = format!("{}x{} MAC array", a.rows, a.cols);
        }
        a.validate()?;
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fsd_npu;
    use super::*;

    #[test]
    fn fsd_through_the_builder_is_the_preset() {
        let b = MacArray::builder(96, 96)
            .name("Tesla FSD NPU")
            .arrays_per_chip(2)
            .build()
            .unwrap();
        assert_eq!(b, fsd_npu());
        assert_eq!(fsd_npu().to_builder().build().unwrap(), fsd_npu());
    }

    #[test]
    fn every_field_is_validated() {
        let b = || MacArray::builder(4, 4);
        let bad = [
            (b().rows(0), "rows"),
            (b().cols(0), "cols"),
            (b().sram_bytes(0), "sram bytes"),
            (b().sram_bank_bytes(0), "sram bank bytes"),
            (b().act_bytes_per_cycle(0), "activation bytes per cycle"),
            (b().weight_bytes_per_cycle(0), "weight bytes per cycle"),
            (b().arrays_per_chip(0), "arrays per chip"),
            (b().clock_hz(f64::NAN), "clock"),
            (b().clock_hz(-1.0), "clock"),
            (b().dram_bytes_per_s(0.0), "dram bandwidth"),
            (b().dram_bytes_per_s(f64::INFINITY), "dram bandwidth"),
            (
                b().arithmetic(MacArithmetic::Int {
                    mul_bits: 8,
                    acc_bits: 4,
                }),
                "accumulator",
            ),
        ];
        for (builder, field) in bad {
            let e = builder.build().unwrap_err().to_string();
            assert!(e.contains(field), "{field}: {e}");
        }
        let ok = b().build().unwrap();
        assert_eq!((ok.name.as_str(), ok.arrays_per_chip), ("4x4 MAC array", 1));
    }
}

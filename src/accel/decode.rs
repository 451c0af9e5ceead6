//! The cost of generating one token (decode): MACs against bytes read, priced with a cost
//! table — why LLM decode is memory-bound and what 4-bit weights save.
//!
//! # Model of one decode step (`batch` sequences, each with `context` tokens cached)
//!
//! - **MACs**: every block linear weight once per sequence, the LM head `vocab·hidden` (the
//!   embedding matrix when tied), and attention over the cache, `2·hidden·context` per
//!   block (scores `QKᵀ` and the weighted sum of `V`).
//! - **DRAM reads**: every weight once per step, shared by the batch (block linear
//!   weights in `format`, with their scales; head, norms and biases 16-bit, or 32-bit with
//!   FP32; one embedding row per sequence rather than the table); the KV cache of every
//!   sequence (`bits_per_kv` bits per element). Writes of the new K and V (1/context of
//!   the reads) are not counted: the default table has no DRAM write row.
//! - **SRAM**: everything read from DRAM passes through an on-chip buffer once (a 64-bit
//!   read of a 1 MB SRAM per 64 bits), a lower bound on on-chip traffic.
//! - **Compute**: weight-only quantization: weights are expanded to FP16 and multiplied by
//!   FP16 activations with FP32 accumulation (FP16 mult + FP32 add per MAC); FP32 weights
//!   use FP32 mult and add. The dequantization arithmetic itself is not counted.

use super::energy::EnergyBreakdown;
use super::transformer::Transformer;
use crate::cost::{CostTable, FloatKind, MemLevel, OpKind, Tally, count};
use crate::quant::WeightFormat;
use crate::{Error, Result};

/// The step being priced by [`Transformer::decode_cost`]: three counts named, so they
/// cannot be passed in the wrong order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DecodeParams {
    /// Tokens already in the KV cache (read once per step).
    pub context: u64,
    /// Sequences decoded together (the weights are read once for all of them); at least 1.
    pub batch: u64,
    /// Bits per cached key or value element (16 for an FP16 cache); at least 1.
    pub bits_per_kv: u64,
}

/// What one decode step costs.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeCost {
    /// The weight format.
    pub format: WeightFormat,
    /// Sequences decoded together.
    pub batch: u64,
    /// MACs of the step (all sequences).
    pub macs: u64,
    /// Bytes of weights read from DRAM.
    pub weight_bytes: u64,
    /// Bytes of KV cache read from DRAM.
    pub kv_bytes: u64,
    /// The operations counted.
    pub tally: Tally,
    /// The tally priced.
    pub energy: EnergyBreakdown,
}

impl DecodeCost {
    /// MACs per byte read from DRAM: the arithmetic intensity.
    #[must_use]
    pub fn macs_per_byte(&self) -> f64 {
        self.macs as f64 / (self.weight_bytes as f64 + self.kv_bytes as f64)
    }

    /// Energy per generated token, pJ (the step's energy over the batch).
    #[must_use]
    pub fn energy_per_token_pj(&self) -> crate::cost::Span {
        self.energy.total_pj().map(|e| e / self.batch as f64)
    }
}

impl Transformer {
    /// MACs of one decode step of one sequence with `context` cached tokens.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when the count does not fit `u64`.
    pub fn decode_macs(&self, context: u64) -> Result<u64> {
        let s = self.spec();
        let what = "decode MACs";
        let head = if s.lm_head {
            count::mul(s.vocab as u64, s.hidden as u64, what)?
        } else {
            0
        };
        let attention = count::product(&[2, s.layers as u64, s.hidden as u64, context], what)?;
        count::sum([attention, self.block_linear_weights(), head], what)
    }

    /// Costs one decode step (see the module docs for the model).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for `batch = 0` or `bits_per_kv = 0`; as
    /// [`weight_memory`](Self::weight_memory); [`Error::Unsupported`] when the table cannot
    /// price an operation (FP16/FP32 mult and add, 64-bit DRAM and 1 MB SRAM reads).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::{DecodeParams, Transformer};
    /// use arithsim::cost::CostTable;
    /// use arithsim::quant::WeightFormat;
    ///
    /// let m = Transformer::llama_7b();
    /// let step = DecodeParams { context: 1024, batch: 1, bits_per_kv: 16 };
    /// let t = CostTable::horowitz_45nm();
    /// let fp16 = m.decode_cost(WeightFormat::FP16, step, &t)?;
    /// assert!(fp16.energy.memory_fraction() > 0.99); // memory-bound
    /// let nf4 = m.decode_cost(WeightFormat::NF4, step, &t)?;
    /// assert!(fp16.energy_per_token_pj().mid() > 3.0 * nf4.energy_per_token_pj().mid());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn decode_cost(
        &self,
        format: WeightFormat,
        step: DecodeParams,
        table: &CostTable,
    ) -> Result<DecodeCost> {
        let DecodeParams {
            context,
            batch,
            bits_per_kv,
        } = step;
        if batch == 0 {
            return Err(Error::param("batch", 0, "must be at least 1"));
        }
        if bits_per_kv == 0 {
            return Err(Error::param("bits_per_kv", 0, "must be at least 1"));
        }
        let s = self.spec();
        let mem = self.weight_memory(format)?;
        let other_bits = mem.other_bits_each;
        // Weights read: everything but the embedding tables, plus the head when tied (the
        // embedding matrix is read as the head), plus one embedding row per sequence.
        let p = self.params();
        let tied_head = if s.lm_head && s.tied_embeddings {
            s.vocab as u64 * s.hidden as u64
        } else {
            0
        };
        let what = "decode weight bits";
        let rows = count::mul(batch, s.hidden as u64, what)?;
        let others = count::sum(
            [
                p.total() - mem.quantized_params - p.embeddings,
                tied_head,
                rows,
            ],
            what,
        )?;
        let weight_bits = count::add(
            count::mul(others, other_bits, what)?,
            mem.quantized_bits.total(),
            what,
        )?;
        let weight_bytes = weight_bits.div_ceil(8);
        let kv_bytes = self.kv_cache_bytes(context, batch, bits_per_kv)?;
        let macs = count::mul(batch, self.decode_macs(context)?, "decode MACs")?;
        let words = count::add(weight_bytes, kv_bytes, "decode bytes read")?.div_ceil(8);
        let mut tally = Tally::new();
        let (mul, add) = if format == WeightFormat::FP32 {
            (FloatKind::FP32, FloatKind::FP32)
        } else {
            (FloatKind::FP16, FloatKind::FP32)
        };
        tally.add(OpKind::FpMul { format: mul }, macs);
        tally.add(OpKind::FpAdd { format: add }, macs);
        tally.add(
            OpKind::MemRead {
                level: MemLevel::Dram,
                bits: 64,
            },
            words,
        );
        tally.add(
            OpKind::MemRead {
                level: MemLevel::Sram { bytes: 1 << 20 },
                bits: 64,
            },
            words,
        );
        let energy = EnergyBreakdown::from_table(&tally, table)?;
        Ok(DecodeCost {
            format,
            batch,
            macs,
            weight_bytes,
            kv_bytes,
            tally,
            energy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llama_7b_decode_by_hand() {
        let m = Transformer::llama_7b();
        let t = CostTable::horowitz_45nm();
        let c = m
            .decode_cost(
                WeightFormat::FP16,
                DecodeParams {
                    context: 1000,
                    batch: 1,
                    bits_per_kv: 16,
                },
                &t,
            )
            .unwrap();
        let lin = m.block_linear_weights();
        assert_eq!(c.macs, lin + 32_000 * 4096 + 2 * 32 * 4096 * 1000);
        // Weights: all but the token embedding table, plus one row; 2 bytes each.
        assert_eq!(c.weight_bytes, 2 * (6_738_415_616 - 32_000 * 4096 + 4096));
        assert_eq!(c.kv_bytes, 2 * 32 * 4096 * 1000 * 2);
        let words = (c.weight_bytes + c.kv_bytes).div_ceil(8) as f64;
        assert_eq!(c.energy.dram_pj.lo, 1300.0 * words);
        assert_eq!(c.energy.dram_pj.hi, 2600.0 * words);
        assert_eq!(c.energy.sram_pj.lo, 100.0 * words);
        assert!((c.energy.compute_pj.lo - (1.1 + 0.9) * c.macs as f64).abs() < 1.0);
        assert!(c.macs_per_byte() < 1.0);
        // Batch 8 shares the weights: per-token energy drops, MACs per byte rise.
        let b8 = m
            .decode_cost(
                WeightFormat::FP16,
                DecodeParams {
                    context: 1000,
                    batch: 8,
                    bits_per_kv: 16,
                },
                &t,
            )
            .unwrap();
        assert_eq!(b8.macs, 8 * c.macs);
        assert!(b8.energy_per_token_pj().mid() < c.energy_per_token_pj().mid());
        assert!(b8.macs_per_byte() > 4.0 * c.macs_per_byte());
    }

    /// Absurd context and batch are errors naming the count, never a saturated "answer".
    #[test]
    fn huge_inputs_are_errors() {
        let m = Transformer::llama_7b();
        let t = CostTable::horowitz_45nm();
        let e = m
            .decode_cost(
                WeightFormat::NF4,
                DecodeParams {
                    context: u64::MAX,
                    batch: u64::MAX,
                    bits_per_kv: 16,
                },
                &t,
            )
            .unwrap_err();
        assert!(e.to_string().contains("count of decode"), "{e}");
        let act = crate::accel::ActivationModel {
            seq: u64::MAX,
            batch: u64::MAX,
        };
        assert!(m.checkpointed_activation_bytes(act).is_err());
    }

    #[test]
    fn tied_head_reads_the_embedding_matrix() {
        let m = Transformer::llama_3_2_1b();
        let t = CostTable::horowitz_45nm();
        let c = m
            .decode_cost(
                WeightFormat::BF16,
                DecodeParams {
                    context: 0,
                    batch: 1,
                    bits_per_kv: 16,
                },
                &t,
            )
            .unwrap();
        // Tied: the whole model (the embedding matrix is the head) plus one row.
        assert_eq!(c.weight_bytes, 2 * (1_235_814_400 + 2048));
        assert_eq!(c.kv_bytes, 0);
        assert!(matches!(
            m.decode_cost(
                WeightFormat::BF16,
                DecodeParams {
                    context: 0,
                    batch: 0,
                    bits_per_kv: 16
                },
                &t
            ),
            Err(Error::InvalidParameter { name: "batch", .. })
        ));
    }
}

//! Memory of a [`Transformer`]'s weights in a [`WeightFormat`], of its KV cache, and whether
//! they fit a device.
//!
//! # What is quantized
//!
//! Weight quantization (GPTQ, AWQ, bitsandbytes' NF4 in QLoRA) acts on the linear layers of
//! the blocks: the Q, K, V, O and FFN matrices ([`Transformer::linear_weights`]), each
//! matrix on its own (its own blocks, groups, double-quantization offset). Everything else —
//! token and position embeddings, LM head, norms, biases, pooler — stays 16-bit (BF16), as
//! those tools leave it; with [`WeightFormat::FP32`] everything is 32-bit. Bytes are
//! decimal (1 GB = 10⁹ bytes), as GPU and phone memory sizes are quoted in the QLoRA paper.

use super::transformer::Transformer;
use crate::quant::{StorageBits, WeightFormat};
use crate::{Error, Result};

/// Bytes in a (decimal) gigabyte.
pub const GB: f64 = 1e9;

/// The weights of a model in one format.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WeightMemory {
    /// The format of the block linear weights.
    pub format: WeightFormat,
    /// Linear weight elements of the blocks (quantized).
    pub quantized_params: u64,
    /// Their storage, summed over every matrix of every block.
    pub quantized_bits: StorageBits,
    /// Every other parameter (embeddings, head, norms, biases).
    pub other_params: u64,
    /// Bits per other parameter: 32 for FP32, else 16.
    pub other_bits_each: u64,
}

impl WeightMemory {
    /// All bits.
    #[must_use]
    pub fn total_bits(&self) -> u64 {
        self.quantized_bits.total() + self.other_params * self.other_bits_each
    }

    /// All bytes (rounded up).
    #[must_use]
    pub fn total_bytes(&self) -> u64 {
        self.total_bits().div_ceil(8)
    }

    /// Bits per parameter over the whole model.
    #[must_use]
    pub fn bits_per_param(&self) -> f64 {
        self.total_bits() as f64 / (self.quantized_params + self.other_params) as f64
    }

    /// Whether the weights alone fit in `budget_bytes`.
    #[must_use]
    pub fn fits(&self, budget_bytes: u64) -> bool {
        self.total_bytes() <= budget_bytes
    }
}

impl Transformer {
    /// The weights in `format` (see the module docs for what is quantized).
    ///
    /// # Errors
    ///
    /// As [`WeightFormat::matrix_bits`]: a group that does not divide a matrix's input
    /// channels, a zero block size; [`Error::OutOfRange`] when the bit count does not fit
    /// in `u64`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::Transformer;
    /// use arithsim::quant::WeightFormat;
    ///
    /// let m = Transformer::llama_7b();
    /// assert_eq!(m.weight_memory(WeightFormat::FP16)?.total_bytes(), 2 * 6_738_415_616);
    /// let nf4 = m.weight_memory(WeightFormat::NF4_DQ)?;
    /// assert!(nf4.total_bytes() < 4_000_000_000 && nf4.fits(8_000_000_000));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn weight_memory(&self, format: WeightFormat) -> Result<WeightMemory> {
        let layers = self.spec().layers as u64;
        let mut bits = StorageBits::default();
        let too_big = || Error::OutOfRange {
            value: format!("the bits of {}", self.name()),
            min: "0".into(),
            max: u64::MAX.to_string(),
            what: "a u64 bit count".into(),
        };
        let add = |acc: &mut u64, b: u64| -> Result<()> {
            *acc = b
                .checked_mul(layers)
                .and_then(|x| acc.checked_add(x))
                .ok_or_else(too_big)?;
            Ok(())
        };
        for w in self.linear_weights() {
            let b = format.matrix_bits(w.d_out, w.d_in)?;
            add(&mut bits.codes, b.codes)?;
            add(&mut bits.scales, b.scales)?;
            add(&mut bits.zeros, b.zeros)?;
            add(&mut bits.second_level, b.second_level)?;
        }
        let other = self.params().total() - self.block_linear_weights();
        let each = if format == WeightFormat::FP32 { 32 } else { 16 };
        other
            .checked_mul(each)
            .and_then(|o| o.checked_add(bits.total()))
            .ok_or_else(too_big)?;
        let quantized = self.block_linear_weights();
        Ok(WeightMemory {
            format,
            quantized_params: quantized,
            quantized_bits: bits,
            other_params: other,
            other_bits_each: each,
        })
    }

    /// Bytes of the KV cache for `tokens` positions of `batch` sequences at
    /// `bits_per_elem` bits per element (16 for an FP16 cache).
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when the bit count does not fit `u64`.
    pub fn kv_cache_bytes(&self, tokens: u64, batch: u64, bits_per_elem: u64) -> Result<u64> {
        let elems = self.kv_cache_elems(tokens, batch)?;
        Ok(crate::cost::count::mul(elems, bits_per_elem, "KV cache bits")?.div_ceil(8))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llama_7b_memory_by_format() {
        let m = Transformer::llama_7b();
        let n = 6_738_415_616u64;
        let lin = m.block_linear_weights();
        let other = n - lin;
        // Other params: embeddings 2·32000·4096 and 65 RMSNorms.
        assert_eq!(other, 2 * 32_000 * 4096 + 65 * 4096);
        let mem = |f| m.weight_memory(f).unwrap();
        assert_eq!(mem(WeightFormat::FP32).total_bytes(), 4 * n);
        assert_eq!(mem(WeightFormat::BF16).total_bytes(), 2 * n);
        // INT4 g128 asymmetric: 4 + 20/128 bits per linear weight, exactly.
        let int4 = mem(WeightFormat::INT4_G128);
        assert_eq!(int4.quantized_bits.total(), lin * 4 + lin / 128 * 20);
        // NF4: 4.5 bits; NF4+DQ: 4 + 8/64 per weight, 32 per 256 blocks, 32 per matrix.
        assert_eq!(mem(WeightFormat::NF4).quantized_bits.total(), lin * 9 / 2);
        let dq = mem(WeightFormat::NF4_DQ);
        let blocks_per_layer: u64 = m
            .linear_weights()
            .iter()
            .map(|w| (w.elems() / 64).div_ceil(256))
            .sum();
        assert_eq!(
            dq.quantized_bits.total(),
            lin * 4 + lin / 64 * 8 + 32 * 32 * blocks_per_layer + 32 * 7 * 32
        );
        assert_eq!(dq.total_bits(), dq.quantized_bits.total() + 16 * other);
        assert!(dq.fits(4_000_000_000) && !mem(WeightFormat::FP16).fits(8_000_000_000));
    }

    #[test]
    fn kv_cache_bytes_llama_7b() {
        // 2 · 32 layers · 4096 · 2 bytes = 512 KiB per token.
        let m = Transformer::llama_7b();
        assert_eq!(m.kv_cache_bytes(1, 1, 16).unwrap(), 524_288);
        assert_eq!(m.kv_cache_bytes(2048, 4, 16).unwrap(), 524_288 * 2048 * 4);
    }
}

//! LoRA and QLoRA: trainable parameters and fine-tuning memory.
//!
//! # LoRA (Hu et al. 2021)
//!
//! An adapted matrix `W[d_out × d_in]` gets `B[d_out × r]·A[r × d_in]`: `r·(d_in + d_out)`
//! trainable parameters; the rank must not exceed `min(d_in, d_out)`.
//!
//! # Memory model (bytes; every term computed, assumptions stated)
//!
//! - **Full fine-tuning, 16-bit, Adam**: weights 2 B, gradients 2 B and Adam's two FP32
//!   states 8 B per parameter: 12 B/param (QLoRA's "> 780 GB" for LLaMA-65B is this figure;
//!   mixed precision with an FP32 master copy would add 4 B more).
//! - **LoRA on a 16-bit base**: the frozen base in BF16 ([`Transformer::weight_memory`]);
//!   per adapter parameter BF16 weight 2 B + BF16 gradient 2 B + FP32 Adam states 8 B.
//! - **QLoRA** (Dettmers et al. 2023): the same with the base in NF4 with double
//!   quantization ([`WeightFormat::NF4_DQ`]; embeddings, head and norms stay BF16); paged
//!   optimizers are not modelled (they move state to CPU memory only under spikes).
//! - **Activations with gradient checkpointing** ([`ActivationModel`]): the BF16 input of
//!   every block is kept (`2·L·s·b·h`), and one block's activations exist at a time while
//!   it is recomputed for the backward pass. A block's activations follow Korthikanti et
//!   al. 2022 ("Reducing Activation Recomputation in Large Transformer Models", eq. 1:
//!   `s·b·h·34 + 5·a·s²·b` for a 4h GELU FFN with dropout), generalized to the model's FFN:
//!   attention `11·s·b·h + 5·a·s²·b` (scores materialized, no FlashAttention), two norms
//!   `4·s·b·h`, FFN `2·s·b·h + 4·s·b·f + s·b·h` plain (GELU input and output, dropout mask)
//!   or `2·s·b·h + 8·s·b·f` gated (gate, up, activation and product). LoRA's own `r`-wide
//!   intermediates are small and ignored.

use super::model_memory::WeightMemory;
use super::transformer::{FfnKind, Transformer};
use crate::cost::count;
use crate::quant::WeightFormat;
use crate::{Error, Result};

/// Which matrices of every block get adapters, and the rank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoraConfig {
    /// Rank `r`.
    pub rank: usize,
    /// Names of the adapted matrices ("q", "k", "v", "o", "gate", "up", "down").
    pub targets: Vec<&'static str>,
}

impl LoraConfig {
    /// Adapters on Q and V, as in the LoRA paper's GPT-3 experiments.
    #[must_use]
    pub fn qv(rank: usize) -> Self {
        LoraConfig {
            rank,
            targets: vec!["q", "v"],
        }
    }

    /// Adapters on every linear layer of every block, as QLoRA does (with `r = 64`).
    #[must_use]
    pub fn all_linear(rank: usize) -> Self {
        LoraConfig {
            rank,
            targets: vec!["q", "k", "v", "o", "gate", "up", "down"],
        }
    }

    /// A label: "r=64 q,v".
    #[must_use]
    pub fn label(&self) -> String {
        format!("r={} {}", self.rank, self.targets.join(","))
    }
}

/// Sequence length and batch for the activation term, 16-bit activations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActivationModel {
    /// Tokens per sequence.
    pub seq: u64,
    /// Sequences per step.
    pub batch: u64,
}

impl ActivationModel {
    /// QLoRA's Figure 6 setting: one sequence of 512 tokens.
    pub const QLORA_FIG6: ActivationModel = ActivationModel { seq: 512, batch: 1 };
}

/// Fine-tuning memory in bytes, by what it holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FinetuneMemory {
    /// Base model weights (frozen for LoRA/QLoRA, trained for full fine-tuning).
    pub weights: u64,
    /// Adapter weights (BF16).
    pub adapters: u64,
    /// Gradients of what is trained.
    pub gradients: u64,
    /// Adam's two FP32 states for what is trained.
    pub optimizer: u64,
    /// Activations with gradient checkpointing.
    pub activations: u64,
}

impl FinetuneMemory {
    /// All bytes.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when the parts sum past `u64::MAX` (never for a value built by
    /// [`Transformer::full_finetune_memory`] or [`Transformer::lora_memory`], which check).
    pub fn total(&self) -> Result<u64> {
        count::sum(self.parts().map(|(_, b)| b), "fine-tuning bytes")
    }

    /// Full fine-tuning of `params` parameters in 16 bits with Adam (2 B weight, 2 B
    /// gradient, 8 B of FP32 states per parameter) plus `activations` bytes: the rule of
    /// [`Transformer::full_finetune_memory`], for any model whose counts are known.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when a part or the total does not fit `u64`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::FinetuneMemory;
    ///
    /// let m = FinetuneMemory::full(1000, 64)?;
    /// assert_eq!(m.total()?, 12 * 1000 + 64);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn full(params: u64, activations: u64) -> Result<Self> {
        let what = "full fine-tuning bytes";
        let m = FinetuneMemory {
            weights: count::mul(params, 2, what)?,
            adapters: 0,
            gradients: count::mul(params, 2, what)?,
            optimizer: count::mul(params, 8, what)?,
            activations,
        };
        m.total()?;
        Ok(m)
    }

    /// LoRA: a frozen base of `base_bytes` (in its storage format) and `adapter_params`
    /// trainable adapter parameters (BF16 weight 2 B, BF16 gradient 2 B, Adam's FP32
    /// states 8 B each) plus `activations` bytes: the rule of [`Transformer::lora_memory`].
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when a part or the total does not fit `u64`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::FinetuneMemory;
    ///
    /// let m = FinetuneMemory::lora(500, 100, 0)?;
    /// assert_eq!((m.weights, m.adapters, m.gradients, m.optimizer), (500, 200, 200, 800));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn lora(base_bytes: u64, adapter_params: u64, activations: u64) -> Result<Self> {
        let what = "LoRA fine-tuning bytes";
        let m = FinetuneMemory {
            weights: base_bytes,
            adapters: count::mul(adapter_params, 2, what)?,
            gradients: count::mul(adapter_params, 2, what)?,
            optimizer: count::mul(adapter_params, 8, what)?,
            activations,
        };
        m.total()?;
        Ok(m)
    }

    /// `(label, bytes)` of each part, for tables and charts.
    #[must_use]
    pub fn parts(&self) -> [(&'static str, u64); 5] {
        [
            ("weights", self.weights),
            ("adapters", self.adapters),
            ("gradients", self.gradients),
            ("optimizer states", self.optimizer),
            ("activations", self.activations),
        ]
    }
}

impl Transformer {
    /// Trainable parameters of LoRA adapters: `r·(d_in + d_out)` per targeted matrix, for
    /// every block.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for rank 0, a rank above `min(d_in, d_out)` of a
    /// targeted matrix (naming `rank`), no targets, a target named twice or a target name
    /// the model does not have (naming `targets`); [`Error::OutOfRange`] when the count
    /// does not fit `u64`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::{LoraConfig, Transformer};
    ///
    /// let m = Transformer::llama_7b();
    /// // Q and V at r = 8: 8 · (4096 + 4096) · 2 per layer, 32 layers.
    /// assert_eq!(m.lora_params(&LoraConfig::qv(8))?, 8 * 8192 * 2 * 32);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn lora_params(&self, cfg: &LoraConfig) -> Result<u64> {
        if cfg.rank == 0 {
            return Err(Error::param("rank", 0, "must be at least 1"));
        }
        if cfg.targets.is_empty() {
            return Err(Error::param("targets", "[]", "name at least one matrix"));
        }
        let weights = self.linear_weights();
        let mut per_layer = 0u64;
        for (i, t) in cfg.targets.iter().enumerate() {
            if cfg.targets[..i].contains(t) {
                return Err(Error::param(
                    "targets",
                    format!("{t:?}"),
                    "is named twice; each matrix gets one adapter",
                ));
            }
            let w = weights.iter().find(|w| w.name == *t).ok_or_else(|| {
                let names: Vec<_> = weights.iter().map(|w| w.name).collect();
                Error::param(
                    "targets",
                    format!("{t:?}"),
                    format!("{} has {}", self.name(), names.join(", ")),
                )
            })?;
            if cfg.rank > w.d_in.min(w.d_out) {
                return Err(Error::param(
                    "rank",
                    cfg.rank,
                    format!(
                        "exceeds min(d_in, d_out) = {} of {} ({} × {})",
                        w.d_in.min(w.d_out),
                        w.name,
                        w.d_out,
                        w.d_in
                    ),
                ));
            }
            let what = "LoRA parameters";
            let dims = count::add(w.d_in as u64, w.d_out as u64, what)?;
            per_layer = count::add(per_layer, count::mul(cfg.rank as u64, dims, what)?, what)?;
        }
        count::mul(per_layer, self.spec().layers as u64, "LoRA parameters")
    }

    /// Activation bytes with gradient checkpointing (see the module docs).
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when the count does not fit `u64`.
    pub fn checkpointed_activation_bytes(&self, act: ActivationModel) -> Result<u64> {
        let s = self.spec();
        let (h, f, a, l) = (
            s.hidden as u128,
            s.ffn as u128,
            s.heads as u128,
            s.layers as u128,
        );
        let m = |x: u128, y: u128| x.checked_mul(y);
        let bytes = || -> Option<u128> {
            let seq = u128::from(act.seq);
            let sb = m(seq, u128::from(act.batch))?;
            let (sbh, sbf) = (m(sb, h)?, m(sb, f)?);
            let attention = m(11, sbh)?.checked_add(m(m(5 * a, seq)?, sb)?)?;
            let norms = m(4, sbh)?;
            let ffn = match s.ffn_kind {
                FfnKind::Plain => m(3, sbh)?.checked_add(m(4, sbf)?)?,
                FfnKind::Gated => m(2, sbh)?.checked_add(m(8, sbf)?)?,
            };
            m(2 * l, sbh)?
                .checked_add(attention)?
                .checked_add(norms)?
                .checked_add(ffn)
        };
        let what = "checkpointed activation bytes";
        count::narrow(bytes().ok_or_else(|| count::overflow(what))?, what)
    }

    /// Full fine-tuning in 16 bits with Adam: 12 bytes per parameter plus activations.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when a part or the total does not fit `u64`.
    pub fn full_finetune_memory(&self, act: ActivationModel) -> Result<FinetuneMemory> {
        FinetuneMemory::full(
            self.params().total(),
            self.checkpointed_activation_bytes(act)?,
        )
    }

    /// LoRA on a frozen base stored in `base` (BF16 for LoRA, [`WeightFormat::NF4_DQ`] for
    /// QLoRA).
    ///
    /// # Errors
    ///
    /// As [`lora_params`](Self::lora_params) and [`weight_memory`](Self::weight_memory);
    /// [`Error::OutOfRange`] when a part or the total does not fit `u64`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::{ActivationModel, LoraConfig, Transformer};
    /// use arithsim::quant::WeightFormat;
    ///
    /// let m = Transformer::llama_65b();
    /// let full = m.full_finetune_memory(ActivationModel::QLORA_FIG6)?;
    /// assert!(full.total()? > 780_000_000_000);
    /// let q = m.lora_memory(&LoraConfig::all_linear(64), WeightFormat::NF4_DQ,
    ///                       ActivationModel::QLORA_FIG6)?;
    /// assert!(q.total()? < 48_000_000_000);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn lora_memory(
        &self,
        cfg: &LoraConfig,
        base: WeightFormat,
        act: ActivationModel,
    ) -> Result<FinetuneMemory> {
        let p = self.lora_params(cfg)?;
        let w: WeightMemory = self.weight_memory(base)?;
        FinetuneMemory::lora(w.total_bytes(), p, self.checkpointed_activation_bytes(act)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lora_params_by_hand() {
        let m = Transformer::llama_65b();
        // All linear at r = 64: q, k, v, o are 8192 × 8192; gate, up 8192 → 22016; down back.
        let per_layer = 64 * (4 * (8192 + 8192) + 3 * (8192 + 22016));
        assert_eq!(
            m.lora_params(&LoraConfig::all_linear(64)).unwrap(),
            80 * per_layer as u64
        );
        assert_eq!(80 * per_layer, 799_539_200);
        // BERT-style plain FFN has no gate matrix.
        let mut s = m.spec().clone();
        s.ffn_kind = FfnKind::Plain;
        let plain = Transformer::new(s).unwrap();
        let e = plain.lora_params(&LoraConfig::all_linear(8)).unwrap_err();
        assert!(
            e.to_string().contains("targets") && e.to_string().contains("gate"),
            "{e}"
        );
    }

    #[test]
    fn bad_lora_configs() {
        let m = Transformer::llama_3_2_1b();
        let e = m.lora_params(&LoraConfig::qv(0)).unwrap_err();
        assert!(matches!(e, Error::InvalidParameter { name: "rank", .. }));
        // v is 2048 → 512 (GQA): rank 513 is too large for it, 512 is fine.
        assert!(m.lora_params(&LoraConfig::qv(512)).is_ok());
        let e = m.lora_params(&LoraConfig::qv(513)).unwrap_err();
        assert!(
            matches!(e, Error::InvalidParameter { name: "rank", .. }),
            "{e}"
        );
        let cfg = LoraConfig {
            rank: 4,
            targets: vec![],
        };
        assert!(matches!(
            m.lora_params(&cfg),
            Err(Error::InvalidParameter {
                name: "targets",
                ..
            })
        ));
    }

    /// QLoRA's headlines: > 780 GB for full 16-bit fine-tuning of LLaMA-65B, < 48 GB with
    /// QLoRA, from the terms by hand.
    #[test]
    fn qlora_65b_headlines() {
        let m = Transformer::llama_65b();
        let n = 65_285_660_672u64;
        let act = ActivationModel::QLORA_FIG6;
        let full = m.full_finetune_memory(act).unwrap();
        assert_eq!(full.weights + full.gradients + full.optimizer, 12 * n);
        assert!(12 * n > 780_000_000_000);
        // Activations: 80 checkpoints of 512 × 8192 BF16, plus one gated block.
        let (s, h, f, a) = (512u64, 8192u64, 22016u64, 64u64);
        let block = 11 * s * h + 5 * a * s * s + 4 * s * h + 2 * s * h + 8 * s * f;
        assert_eq!(full.activations, 2 * 80 * s * h + block);

        let q = m
            .lora_memory(&LoraConfig::all_linear(64), WeightFormat::NF4_DQ, act)
            .unwrap();
        assert_eq!(q.adapters, 2 * 799_539_200);
        assert_eq!(q.optimizer, 8 * 799_539_200);
        assert_eq!(
            q.weights,
            m.weight_memory(WeightFormat::NF4_DQ).unwrap().total_bytes()
        );
        let qt = q.total().unwrap();
        assert!(qt < 48_000_000_000, "{qt}");
        assert!(qt > 40_000_000_000, "{qt}");
        let lora16 = m
            .lora_memory(&LoraConfig::all_linear(64), WeightFormat::BF16, act)
            .unwrap();
        assert_eq!(lora16.weights, 2 * n);
    }
}

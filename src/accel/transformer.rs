//! Transformer model shapes (no weights): decoder-only and encoder-only stacks, exact
//! parameter counts broken down by where the parameters live.
//!
//! # API in short
//!
//! - [`TransformerSpec`] is plain data with public fields (hidden size, layers, heads, KV
//!   heads, FFN size and [`FfnKind`], vocabulary, token types, tied embeddings, LM head,
//!   pooler, linear biases, [`NormKind`], [`PositionKind`], embedding and final norms,
//!   [`StackKind`]). Fill it in, or start from a preset's [`Transformer::spec`] and change a
//!   field.
//! - [`Transformer::new`] validates a spec (zero sizes, heads not dividing the hidden size,
//!   KV heads not dividing heads, a parameter count that overflows `u64`: each an
//!   [`Error`] naming the field) and computes its [`ParamCounts`] once, exactly, in `u64`.
//! - Presets: [`Transformer::llama_7b`], [`llama_13b`](Transformer::llama_13b),
//!   [`llama_33b`](Transformer::llama_33b), [`llama_65b`](Transformer::llama_65b) and the
//!   on-device [`llama_3_2_1b`](Transformer::llama_3_2_1b).
//! - [`Transformer::params`] (whole model: embeddings, attention, FFN, norms, head),
//!   [`Transformer::layer_params`] (one block), [`Transformer::block_params`] (the stack of
//!   blocks alone — BERT-base's encoder stack is 85,054,464),
//!   [`Transformer::linear_weights`] (the weight matrices of one block, `(d_in, d_out)`,
//!   for LoRA, quantization and sparsity), [`Transformer::kv_cache_elems`].
//!
//! # Counting conventions
//!
//! Per block: attention has Q and O projections `hidden × hidden` and K and V projections
//! `hidden × kv_dim` with `kv_dim = kv_heads · hidden / heads` (grouped-query attention;
//! `kv_heads = heads` is multi-head attention), each with a bias of its output size when
//! `biases`; the FFN has `hidden × ffn` up (and a second, gate, one when [`FfnKind::Gated`])
//! and `ffn × hidden` down, biases likewise; two norms per block (pre-norm or post-norm
//! alike), [`NormKind::LayerNorm`] with weight and bias (`2·hidden`),
//! [`NormKind::RmsNorm`] with weight only (`hidden`). Embeddings: `vocab·hidden` tokens, plus
//! `positions·hidden` for [`PositionKind::Learned`], plus `token_types·hidden` (BERT's
//! segment embeddings). Norms outside the blocks (embedding norm, final norm) count under
//! norms. Head: the LM head `vocab × hidden` without bias (zero parameters when tied to the
//! token embeddings), plus BERT's pooler `hidden × hidden` with bias when `pooler`.
//!
//! # Examples
//!
//! ```
//! use arithsim::accel::Transformer;
//!
//! let m = Transformer::llama_7b();
//! assert_eq!(m.params().total(), 6_738_415_616);
//! assert_eq!(m.params().head, 32_000 * 4096);
//! # Ok::<(), arithsim::Error>(())
//! ```

use crate::{Error, Result};

/// Which way a stack attends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum StackKind {
    /// Causal self-attention, generating token by token (GPT, LLaMA); keeps a KV cache.
    DecoderOnly,
    /// Bidirectional self-attention over the whole input (BERT).
    EncoderOnly,
}

/// Normalization layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum NormKind {
    /// LayerNorm with a weight and a bias per feature (BERT, GPT-2).
    LayerNorm,
    /// RMSNorm with a weight per feature only (LLaMA).
    RmsNorm,
}

impl NormKind {
    /// Parameters of one norm over `hidden` features.
    #[must_use]
    pub const fn params(self, hidden: u64) -> u64 {
        match self {
            NormKind::LayerNorm => 2 * hidden,
            NormKind::RmsNorm => hidden,
        }
    }
}

/// How positions enter the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PositionKind {
    /// A learned table of `positions` embeddings (BERT: 512, GPT-2: 1024).
    Learned {
        /// Rows of the table (the longest input).
        positions: usize,
    },
    /// Rotary embeddings applied to Q and K: no parameters (LLaMA).
    Rotary,
    /// No position information in parameters.
    None,
}

/// The feed-forward block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum FfnKind {
    /// `down(act(up(x)))`: two matrices (BERT's GELU MLP).
    Plain,
    /// `down(act(gate(x)) ⊙ up(x))`: three matrices (LLaMA's SwiGLU).
    Gated,
}

/// A transformer's shape. Plain data: [`Transformer::new`] validates it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TransformerSpec {
    /// Name shown in reports ("LLaMA-7B").
    pub name: String,
    /// Decoder-only or encoder-only.
    pub stack: StackKind,
    /// Model width `d_model`.
    pub hidden: usize,
    /// Blocks.
    pub layers: usize,
    /// Query heads; must divide `hidden`.
    pub heads: usize,
    /// Key/value heads; must divide `heads` (`heads` for multi-head attention, 1 for
    /// multi-query attention).
    pub kv_heads: usize,
    /// Inner size of the FFN.
    pub ffn: usize,
    /// Plain or gated FFN.
    pub ffn_kind: FfnKind,
    /// Vocabulary size (rows of the token embedding table).
    pub vocab: usize,
    /// Rows of the token-type (segment) embedding table: 2 for BERT, 0 for none.
    pub token_types: usize,
    /// Whether the model has an output projection to the vocabulary (an LM head).
    pub lm_head: bool,
    /// Whether the LM head shares the token embedding matrix (then it adds no parameters).
    pub tied_embeddings: bool,
    /// Whether the model has BERT's pooler (`hidden × hidden` + bias on the first token).
    pub pooler: bool,
    /// Whether the linear layers (attention projections, FFN) have biases.
    pub biases: bool,
    /// LayerNorm or RMSNorm.
    pub norm: NormKind,
    /// Learned, rotary or no position embeddings.
    pub position: PositionKind,
    /// Whether a norm follows the embeddings (BERT).
    pub embedding_norm: bool,
    /// Whether a norm follows the last block (pre-norm models: LLaMA, GPT-2).
    pub final_norm: bool,
}

/// Parameters by where they live. Biases are counted with their layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ParamCounts {
    /// Token, position and token-type embedding tables.
    pub embeddings: u64,
    /// Q, K, V and O projections (weights and biases) of every block.
    pub attention: u64,
    /// FFN matrices (weights and biases) of every block.
    pub ffn: u64,
    /// Every norm: two per block, embedding norm, final norm.
    pub norms: u64,
    /// LM head (0 when tied) and pooler.
    pub head: u64,
}

impl ParamCounts {
    /// All parameters.
    #[must_use]
    pub const fn total(&self) -> u64 {
        self.embeddings + self.attention + self.ffn + self.norms + self.head
    }
}

/// One weight matrix of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinearWeight {
    /// Its name: "q", "k", "v", "o", "gate", "up", "down".
    pub name: &'static str,
    /// Input features (the reduction dimension `K` of its GEMM).
    pub d_in: usize,
    /// Output features (`M`).
    pub d_out: usize,
}

impl LinearWeight {
    /// Weight elements `d_in · d_out`.
    #[must_use]
    pub const fn elems(&self) -> u64 {
        self.d_in as u64 * self.d_out as u64
    }
}

/// A validated transformer shape with its exact parameter counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transformer {
    spec: TransformerSpec,
    layer: ParamCounts,
    params: ParamCounts,
}

/// Largest size of any dimension (`2^32`): keeps the exact counting in `u128`.
const MAX_SIZE: u128 = crate::limits::TRANSFORMER_MAX_DIMENSION;

impl Transformer {
    /// Validates `spec` and counts its parameters.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the field for a zero `hidden`, `layers`, `heads`,
    /// `kv_heads`, `ffn`, `vocab` or learned `positions`; `heads` not dividing `hidden`;
    /// `kv_heads` not dividing `heads` (a tied LM head on a model without one is allowed:
    /// it adds nothing). [`Error::OutOfRange`] for a size above `2^32` or a total that does
    /// not fit in `u64`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::Transformer;
    ///
    /// let mut spec = Transformer::llama_7b().spec().clone();
    /// spec.heads = 30; // 4096 is not a multiple of 30
    /// let e = Transformer::new(spec).unwrap_err();
    /// assert!(e.to_string().contains("heads"));
    /// ```
    pub fn new(spec: TransformerSpec) -> Result<Self> {
        for (name, v) in [
            ("hidden", spec.hidden),
            ("layers", spec.layers),
            ("heads", spec.heads),
            ("kv_heads", spec.kv_heads),
            ("ffn", spec.ffn),
            ("vocab", spec.vocab),
        ] {
            if v == 0 {
                return Err(Error::param(name, 0, "must be at least 1"));
            }
        }
        let positions = match spec.position {
            PositionKind::Learned { positions } => positions,
            PositionKind::Rotary | PositionKind::None => 1,
        };
        for (name, v) in [
            ("hidden", spec.hidden),
            ("layers", spec.layers),
            ("heads", spec.heads),
            ("kv_heads", spec.kv_heads),
            ("ffn", spec.ffn),
            ("vocab", spec.vocab),
            ("token_types", spec.token_types),
            ("positions", positions),
        ] {
            if v as u128 > MAX_SIZE {
                return Err(Error::OutOfRange {
                    value: v.to_string(),
                    min: "1".into(),
                    max: MAX_SIZE.to_string(),
                    what: format!("the model's {name}"),
                });
            }
        }
        if let PositionKind::Learned { positions: 0 } = spec.position {
            return Err(Error::param(
                "positions",
                0,
                "a learned position table needs at least 1 row",
            ));
        }
        if spec.hidden % spec.heads != 0 {
            return Err(Error::param(
                "heads",
                spec.heads,
                format!("must divide the hidden size {}", spec.hidden),
            ));
        }
        if spec.heads % spec.kv_heads != 0 {
            return Err(Error::param(
                "kv_heads",
                spec.kv_heads,
                format!("must divide the number of heads {}", spec.heads),
            ));
        }
        let (layer, params) = Self::count(&spec).ok_or_else(|| Error::OutOfRange {
            value: format!("parameters of {}", spec.name),
            min: "0".into(),
            max: u64::MAX.to_string(),
            what: "a u64 parameter count".into(),
        })?;
        Ok(Transformer {
            spec,
            layer,
            params,
        })
    }

    /// Per-block and whole-model counts, `None` when one does not fit in `u64`. Every
    /// size is at most `2^32` (checked by [`new`](Self::new)), so the `u128` arithmetic
    /// here cannot overflow: the largest term is `layers · hidden · ffn < 2^96`.
    fn count(s: &TransformerSpec) -> Option<(ParamCounts, ParamCounts)> {
        let h = s.hidden as u128;
        let kv = (s.hidden / s.heads * s.kv_heads) as u128;
        let f = s.ffn as u128;
        let bias = u128::from(s.biases);
        let norm = |n: NormKind| match n {
            NormKind::LayerNorm => 2 * h,
            NormKind::RmsNorm => h,
        };
        // Q and O: h×h; K and V: h×kv.
        let attention = 2 * h * h + 2 * h * kv + bias * (2 * h + 2 * kv);
        let ups = match s.ffn_kind {
            FfnKind::Plain => 1,
            FfnKind::Gated => 2,
        };
        let ffn = (ups + 1) * h * f + bias * (ups * f + h);
        let layer_norms = 2 * norm(s.norm);
        let layers = s.layers as u128;
        let positions = match s.position {
            PositionKind::Learned { positions } => positions as u128,
            PositionKind::Rotary | PositionKind::None => 0,
        };
        let embeddings = (s.vocab as u128 + positions + s.token_types as u128) * h;
        let outer_norms = u128::from(s.embedding_norm) + u128::from(s.final_norm);
        let lm_head = if s.lm_head && !s.tied_embeddings {
            s.vocab as u128 * h
        } else {
            0
        };
        let pooler = if s.pooler { h * h + h } else { 0 };
        let head = lm_head + pooler;
        let norms = layers * layer_norms + outer_norms * norm(s.norm);
        let total = embeddings + layers * attention + layers * ffn + norms + head;
        u64::try_from(total).ok()?;
        let c = |x: u128| x as u64; // every term ≤ total < 2^64
        Some((
            ParamCounts {
                attention: c(attention),
                ffn: c(ffn),
                norms: c(layer_norms),
                ..ParamCounts::default()
            },
            ParamCounts {
                embeddings: c(embeddings),
                attention: c(layers * attention),
                ffn: c(layers * ffn),
                norms: c(norms),
                head: c(head),
            },
        ))
    }

    /// The validated spec.
    #[must_use]
    pub fn spec(&self) -> &TransformerSpec {
        &self.spec
    }

    /// The model's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// Whole-model parameters by where they live.
    #[must_use]
    pub fn params(&self) -> ParamCounts {
        self.params
    }

    /// Parameters of one block (attention, FFN, its two norms; embeddings and head 0).
    #[must_use]
    pub fn layer_params(&self) -> ParamCounts {
        self.layer
    }

    /// Parameters of the stack of blocks alone: `layers ×` [`layer_params`](Self::layer_params)
    /// (no embeddings, outer norms, head or pooler).
    #[must_use]
    pub fn block_params(&self) -> u64 {
        self.params.attention + self.params.ffn + self.layer.norms * self.spec.layers as u64
    }

    /// Width of the K and V projections: `kv_heads · hidden / heads`.
    #[must_use]
    pub fn kv_dim(&self) -> usize {
        self.spec.hidden / self.spec.heads * self.spec.kv_heads
    }

    /// Width of one head: `hidden / heads`.
    #[must_use]
    pub fn head_dim(&self) -> usize {
        self.spec.hidden / self.spec.heads
    }

    /// The weight matrices of one block, in order q, k, v, o, (gate,) up, down.
    #[must_use]
    pub fn linear_weights(&self) -> Vec<LinearWeight> {
        let (h, kv, f) = (self.spec.hidden, self.kv_dim(), self.spec.ffn);
        let lw = |name, d_in, d_out| LinearWeight { name, d_in, d_out };
        let mut v = vec![lw("q", h, h), lw("k", h, kv), lw("v", h, kv), lw("o", h, h)];
        if self.spec.ffn_kind == FfnKind::Gated {
            v.push(lw("gate", h, f));
        }
        v.push(lw("up", h, f));
        v.push(lw("down", f, h));
        v
    }

    /// Linear weight elements (biases excluded) of all blocks: the part that weight
    /// quantization and LoRA act on.
    #[must_use]
    pub fn block_linear_weights(&self) -> u64 {
        let per: u64 = self.linear_weights().iter().map(LinearWeight::elems).sum();
        per * self.spec.layers as u64
    }

    /// Elements of the KV cache for `tokens` positions of `batch` sequences:
    /// `2 · layers · kv_dim · tokens · batch` (K and V of every block). An encoder keeps no
    /// cache across steps but the formula still gives the K and V it computes.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when the count does not fit `u64`.
    pub fn kv_cache_elems(&self, tokens: u64, batch: u64) -> Result<u64> {
        crate::cost::count::product(
            &[
                2,
                self.spec.layers as u64,
                self.kv_dim() as u64,
                tokens,
                batch,
            ],
            "KV cache elements",
        )
    }

    /// A LLaMA-family decoder (RMSNorm, gated SiLU FFN, rotary positions, no biases,
    /// untied head, final norm, vocabulary 32,000): the shape of Touvron et al. 2023,
    /// "LLaMA: Open and Efficient Foundation Language Models", Table 2.
    fn llama(name: &str, hidden: usize, layers: usize, heads: usize, ffn: usize) -> Self {
        Self::preset(TransformerSpec {
            name: name.into(),
            stack: StackKind::DecoderOnly,
            hidden,
            layers,
            heads,
            kv_heads: heads,
            ffn,
            ffn_kind: FfnKind::Gated,
            vocab: 32_000,
            token_types: 0,
            lm_head: true,
            tied_embeddings: false,
            pooler: false,
            biases: false,
            norm: NormKind::RmsNorm,
            position: PositionKind::Rotary,
            embedding_norm: false,
            final_norm: true,
        })
    }

    /// Builds a preset. Preset sizes are small constants that pass validation (each
    /// preset has a test); an impossible spec here is a bug in this file.
    fn preset(spec: TransformerSpec) -> Self {
        let (layer, params) =
            Self::count(&spec).expect("preset parameter counts fit in u64 (tested)");
        Transformer {
            spec,
            layer,
            params,
        }
    }

    /// LLaMA-7B: hidden 4096, 32 layers, 32 heads, FFN 11008; 6,738,415,616 parameters.
    #[must_use]
    pub fn llama_7b() -> Self {
        Self::llama("LLaMA-7B", 4096, 32, 32, 11_008)
    }

    /// LLaMA-13B: hidden 5120, 40 layers, 40 heads, FFN 13824.
    #[must_use]
    pub fn llama_13b() -> Self {
        Self::llama("LLaMA-13B", 5120, 40, 40, 13_824)
    }

    /// LLaMA-33B (released as "30B"): hidden 6656, 60 layers, 52 heads, FFN 17920.
    #[must_use]
    pub fn llama_33b() -> Self {
        Self::llama("LLaMA-33B", 6656, 60, 52, 17_920)
    }

    /// LLaMA-65B: hidden 8192, 80 layers, 64 heads, FFN 22016.
    #[must_use]
    pub fn llama_65b() -> Self {
        Self::llama("LLaMA-65B", 8192, 80, 64, 22_016)
    }

    /// Llama 3.2 1B, Meta's on-device model (2024): hidden 2048, 16 layers, 32 heads with 8
    /// KV heads (grouped-query attention), gated FFN 8192, vocabulary 128,256, LM head tied
    /// to the token embeddings; its published `config.json` (`meta-llama/Llama-3.2-1B`).
    #[must_use]
    pub fn llama_3_2_1b() -> Self {
        let mut t = Self::llama("Llama-3.2-1B", 2048, 16, 32, 8192).spec;
        t.kv_heads = 8;
        t.vocab = 128_256;
        t.tied_embeddings = true;
        Self::preset(t)
    }

    /// The four LLaMA presets and the on-device model, smallest first.
    #[must_use]
    pub fn presets() -> Vec<Self> {
        vec![
            Self::llama_3_2_1b(),
            Self::llama_7b(),
            Self::llama_13b(),
            Self::llama_33b(),
            Self::llama_65b(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// LLaMA-7B by hand: per layer 4·4096² + 3·4096·11008 + 2·4096; embeddings and head
    /// 32000·4096 each; final norm 4096.
    #[test]
    fn llama_7b_is_6_738_415_616() {
        let m = Transformer::llama_7b();
        let per_layer = 4 * 4096u64 * 4096 + 3 * 4096 * 11008 + 2 * 4096;
        assert_eq!(m.layer_params().total(), per_layer);
        let p = m.params();
        assert_eq!(p.embeddings, 131_072_000);
        assert_eq!(p.head, 131_072_000);
        assert_eq!(p.norms, 65 * 4096);
        assert_eq!(p.total(), 32 * per_layer + 2 * 131_072_000 + 4096);
        assert_eq!(p.total(), 6_738_415_616);
        assert_eq!(
            m.block_linear_weights(),
            32 * (4 * 4096 * 4096 + 3 * 4096 * 11008)
        );
    }

    /// The published totals of the Hugging Face conversions (`num_parameters()`), which
    /// LLaMA's Table 2 rounds to 13.0B, 32.5B and 65.2B.
    #[test]
    fn larger_llamas_match_published_totals() {
        assert_eq!(Transformer::llama_13b().params().total(), 13_015_864_320);
        assert_eq!(Transformer::llama_33b().params().total(), 32_528_943_616);
        assert_eq!(Transformer::llama_65b().params().total(), 65_285_660_672);
    }

    /// Llama 3.2 1B: GQA K/V of 512 columns, tied head; 1,235,814,400 parameters.
    #[test]
    fn llama_3_2_1b_with_gqa_and_tied_head() {
        let m = Transformer::llama_3_2_1b();
        assert_eq!(m.kv_dim(), 512);
        assert_eq!(m.head_dim(), 64);
        let per_layer = 2 * 2048u64 * 2048 + 2 * 2048 * 512 + 3 * 2048 * 8192 + 2 * 2048;
        assert_eq!(m.layer_params().total(), per_layer);
        assert_eq!(m.params().head, 0);
        assert_eq!(m.params().total(), 16 * per_layer + 128_256 * 2048 + 2048);
        assert_eq!(m.params().total(), 1_235_814_400);
        // KV cache: 2 · 16 layers · 512 · tokens · batch.
        assert_eq!(m.kv_cache_elems(1000, 3).unwrap(), 2 * 16 * 512 * 1000 * 3);
    }

    fn bert_base() -> TransformerSpec {
        TransformerSpec {
            name: "BERT-base".into(),
            stack: StackKind::EncoderOnly,
            hidden: 768,
            layers: 12,
            heads: 12,
            kv_heads: 12,
            ffn: 3072,
            ffn_kind: FfnKind::Plain,
            vocab: 30_522,
            token_types: 2,
            lm_head: false,
            tied_embeddings: false,
            pooler: true,
            biases: true,
            norm: NormKind::LayerNorm,
            position: PositionKind::Learned { positions: 512 },
            embedding_norm: true,
            final_norm: false,
        }
    }

    /// BERT-base (Devlin et al. 2019): encoder stack 85,054,464, and the whole `BertModel`
    /// with embeddings (word 30522, position 512, token type 2, LayerNorm) and pooler
    /// 109,482,240 (Hugging Face `bert-base-uncased`).
    #[test]
    fn bert_base_encoder_stack() {
        let m = Transformer::new(bert_base()).unwrap();
        let attn = 4 * (768u64 * 768 + 768);
        let ffn = 768 * 3072 + 3072 + 3072 * 768 + 768;
        assert_eq!(m.layer_params().attention, attn);
        assert_eq!(m.layer_params().ffn, ffn);
        assert_eq!(m.layer_params().norms, 4 * 768);
        assert_eq!(m.block_params(), 12 * (attn + ffn + 4 * 768));
        assert_eq!(m.block_params(), 85_054_464);
        let p = m.params();
        assert_eq!(p.embeddings, (30_522 + 512 + 2) * 768);
        assert_eq!(p.head, 768 * 768 + 768);
        assert_eq!(p.total(), 109_482_240);
        let names: Vec<_> = m.linear_weights().iter().map(|w| w.name).collect();
        assert_eq!(names, ["q", "k", "v", "o", "up", "down"]);
    }

    #[test]
    fn bad_specs_name_the_field() {
        let check = |f: fn(&mut TransformerSpec), field: &str| {
            let mut s = bert_base();
            f(&mut s);
            let e = Transformer::new(s).unwrap_err();
            assert!(
                matches!(&e, Error::InvalidParameter { name, .. } if *name == field),
                "{field}: {e}"
            );
        };
        check(|s| s.hidden = 0, "hidden");
        check(|s| s.layers = 0, "layers");
        check(|s| s.heads = 0, "heads");
        check(|s| s.kv_heads = 0, "kv_heads");
        check(|s| s.ffn = 0, "ffn");
        check(|s| s.vocab = 0, "vocab");
        check(
            |s| s.position = PositionKind::Learned { positions: 0 },
            "positions",
        );
        check(|s| s.heads = 10, "heads");
        check(|s| s.kv_heads = 5, "kv_heads");
        let mut s = bert_base();
        s.hidden = (1 << 32) + 1;
        s.heads = 1;
        s.kv_heads = 1;
        let e = Transformer::new(s.clone()).unwrap_err();
        assert!(e.to_string().contains("hidden"), "{e}");
        // Every size allowed but the total overflows u64: 2^32 · 2^32 · 4 per layer.
        s.hidden = 1 << 32;
        s.ffn = 1 << 32;
        let e = Transformer::new(s).unwrap_err();
        assert!(matches!(e, Error::OutOfRange { .. }), "{e}");
    }

    #[test]
    fn presets_validate() {
        for p in Transformer::presets() {
            let again = Transformer::new(p.spec().clone()).unwrap();
            assert_eq!(again, p);
        }
    }
}

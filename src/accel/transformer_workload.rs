//! Transformer workloads: a [`Transformer`]'s forward pass as the accelerator's layer list,
//! and the encoder presets (BERT-base, DistilBERT, TinyBERT-4).
//!
//! Per block, for `T` tokens per sequence and `B` sequences (`T·B` rows of activations):
//!
//! | layer | kind | MACs |
//! |---|---|---|
//! | `q`, `k`, `v`, `o` | fully connected, batch `T·B` | `T·B·h·h` (`h·kv_dim` for `k`, `v`) |
//! | `scores` | matmul per head and sequence: `M` = keys, `N` = queries, `K` = head width | `B·heads·T_keys·T·d_head` |
//! | `softmax` | element-wise over the scores | — |
//! | `context` | matmul per head and sequence: `M` = head width, `N` = queries, `K` = keys | `B·heads·d_head·T·T_keys` |
//! | `residual1`, `norm1` | element-wise, `T·B·h` | — |
//! | `gate` (gated FFN), `up` | fully connected | `T·B·h·ffn` each |
//! | `act` (GELU or SiLU), `gated` (gated FFN) | element-wise, `T·B·ffn` | — |
//! | `down` | fully connected | `T·B·ffn·h` |
//! | `residual2`, `norm2` | element-wise, `T·B·h` | — |
//!
//! plus an embedding norm and a final norm where the model has them, BERT's pooler (one
//! token per sequence) and the LM head (every token of a full pass, the new token of a
//! decode step). Embedding lookups are gathers: no MACs, not listed. A decoder's causal
//! mask is applied, not exploited: the full `T × T` score matrix is computed, as a dense
//! accelerator does. A decode step ([`Transformer::decode_network`]) has `T = 1` query
//! attending over `context + 1` keys from the KV cache.

use super::elementwise::ElementwiseOp;
use super::transformer::{
    FfnKind, NormKind, PositionKind, StackKind, Transformer, TransformerSpec,
};
use super::workload::{Layer, LayerKind, Network};
use crate::{Error, Result};

/// Published distillation results, quoted as inputs (not computed here).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PublishedDistillation {
    /// Where the figures come from.
    pub source: &'static str,
    /// Teacher parameters / student parameters, as published (DistilBERT's "40 % smaller"
    /// is 1 / 0.6).
    pub size_ratio: f64,
    /// Teacher inference time / student inference time, as published ("60 % faster" is 1.6).
    pub speedup: f64,
    /// The student's score as a fraction of the teacher's on the paper's benchmark (GLUE).
    pub score_retention: f64,
}

impl PublishedDistillation {
    /// DistilBERT (Sanh et al. 2019, "DistilBERT, a distilled version of BERT: smaller,
    /// faster, cheaper and lighter"): 40 % smaller, 60 % faster, 97 % of BERT-base's
    /// language-understanding (GLUE) score.
    pub const DISTILBERT: Self = Self {
        source: "Sanh et al. 2019 (DistilBERT): 40% smaller, 60% faster, 97% of BERT-base on GLUE",
        size_ratio: 1.0 / 0.6,
        speedup: 1.6,
        score_retention: 0.97,
    };
    /// TinyBERT-4 (Jiao et al. 2020, "TinyBERT: Distilling BERT for Natural Language
    /// Understanding"): 7.5× smaller, 9.4× faster, 96.8 % of BERT-base on GLUE.
    pub const TINYBERT_4: Self = Self {
        source: "Jiao et al. 2020 (TinyBERT): 7.5x smaller, 9.4x faster, 96.8% of BERT-base on GLUE",
        size_ratio: 7.5,
        speedup: 9.4,
        score_retention: 0.968,
    };
}

/// A BERT-style encoder: LayerNorm after the embeddings, GELU FFN, learned positions (512),
/// biases, WordPiece vocabulary 30,522.
fn bert_like(
    name: &str,
    hidden: usize,
    layers: usize,
    heads: usize,
    ffn: usize,
) -> TransformerSpec {
    TransformerSpec {
        name: name.into(),
        stack: StackKind::EncoderOnly,
        hidden,
        layers,
        heads,
        kv_heads: heads,
        ffn,
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

fn preset(spec: TransformerSpec) -> Transformer {
    Transformer::new(spec).expect("encoder presets are valid (each has a test)")
}

impl Transformer {
    /// BERT-base (Devlin et al. 2019; `bert-base-uncased`): 12 layers, hidden 768, FFN 3072,
    /// 12 heads, with token-type embeddings and the pooler: 109,482,240 parameters, of which
    /// the encoder stack holds 85,054,464.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::Transformer;
    ///
    /// let bert = Transformer::bert_base();
    /// assert_eq!(bert.block_params(), 85_054_464);
    /// assert_eq!(bert.params().total(), 109_482_240);
    /// ```
    #[must_use]
    pub fn bert_base() -> Self {
        preset(bert_like("BERT-base", 768, 12, 12, 3072))
    }

    /// DistilBERT (`distilbert-base-uncased`): BERT-base's width with 6 layers, no
    /// token-type embeddings and no pooler: 66,362,880 parameters.
    #[must_use]
    pub fn distilbert() -> Self {
        let mut s = bert_like("DistilBERT", 768, 6, 12, 3072);
        s.token_types = 0;
        s.pooler = false;
        preset(s)
    }

    /// TinyBERT-4 (Jiao et al. 2020, general distillation `TinyBERT_General_4L_312D`): 4
    /// layers, hidden 312, FFN 1200, 12 heads of 26, with the pooler: 14,350,248 parameters
    /// (the paper's "14.5M" also counts the 312 → 768 projection used only while
    /// distilling).
    #[must_use]
    pub fn tinybert_4() -> Self {
        preset(bert_like("TinyBERT-4", 312, 4, 12, 1200))
    }

    /// BERT-base, DistilBERT and TinyBERT-4.
    #[must_use]
    pub fn encoder_presets() -> Vec<Self> {
        vec![Self::bert_base(), Self::distilbert(), Self::tinybert_4()]
    }

    /// One forward pass over `batch` sequences of `seq` tokens as a layer list (an encoder's
    /// inference, or a decoder's prefill), see the module table.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming `seq` or `batch` when 0, or `seq` when it exceeds a
    /// learned position table; [`Error::Shape`] when a layer's counts overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::Transformer;
    ///
    /// // BERT-base at 128 tokens: 12·128·(4·768² + 2·768·3072) in the linear layers,
    /// // 12·2·128²·768 in attention, 768² in the pooler.
    /// let net = Transformer::bert_base().sequence_network(128, 1)?;
    /// assert_eq!(net.macs(), 10_871_635_968 + 301_989_888 + 589_824);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn sequence_network(&self, seq: usize, batch: usize) -> Result<Network> {
        self.check_tokens("seq", seq, batch)?;
        self.network(
            seq,
            seq,
            batch,
            true,
            format!("{} (seq {seq})", self.name()),
        )
    }

    /// One decode step of a decoder: `batch` sequences each generate one token attending over
    /// `context` cached positions plus itself.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming `batch` when 0, or `context` when the new position
    /// exceeds a learned position table; [`Error::Unsupported`] for an encoder-only model.
    pub fn decode_network(&self, context: usize, batch: usize) -> Result<Network> {
        if self.spec().stack != StackKind::DecoderOnly {
            return Err(Error::Unsupported(format!(
                "{} is encoder-only: it has no token-by-token decode step",
                self.name()
            )));
        }
        let keys = context
            .checked_add(1)
            .ok_or_else(|| Error::param("context", context, "overflows"))?;
        self.check_tokens("context", keys, batch)?;
        self.network(
            1,
            keys,
            batch,
            false,
            format!("{} (decode, context {context})", self.name()),
        )
    }

    fn check_tokens(&self, name: &'static str, tokens: usize, batch: usize) -> Result<()> {
        if tokens == 0 {
            return Err(Error::param(name, tokens, "must be at least 1"));
        }
        if batch == 0 {
            return Err(Error::param("batch", batch, "must be at least 1"));
        }
        if let PositionKind::Learned { positions } = self.spec().position {
            if tokens > positions {
                return Err(Error::param(
                    name,
                    tokens,
                    format!(
                        "exceeds the {positions} learned positions of {}",
                        self.name()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The layer list: `queries` tokens per sequence attending over `keys`.
    fn network(
        &self,
        queries: usize,
        keys: usize,
        batch: usize,
        full_pass: bool,
        name: String,
    ) -> Result<Network> {
        let s = self.spec();
        let (h, f, heads, dh, kv) = (s.hidden, s.ffn, s.heads, self.head_dim(), self.kv_dim());
        let rows = queries
            .checked_mul(batch)
            .ok_or_else(|| Error::param("batch", batch, "tokens x batch overflows"))?;
        let big = |a: usize, b: usize| {
            a.checked_mul(b)
                .ok_or_else(|| Error::Shape(format!("{} layer of {a}x{b} overflows", s.name)))
        };
        let mut layers = Vec::new();
        let fc = |name: String, inputs, outputs| Layer {
            name,
            kind: LayerKind::FullyConnected {
                batch: rows,
                inputs,
                outputs,
            },
        };
        let ew = |name: String, op, elems| Layer {
            name,
            kind: LayerKind::Elementwise { op, elems },
        };
        let norm = match s.norm {
            NormKind::LayerNorm => ElementwiseOp::LayerNorm,
            NormKind::RmsNorm => ElementwiseOp::RmsNorm,
        };
        let act = match s.ffn_kind {
            FfnKind::Plain => ElementwiseOp::Gelu,
            FfnKind::Gated => ElementwiseOp::Silu,
        };
        let hidden_elems = big(rows, h)?;
        let ffn_elems = big(rows, f)?;
        let score_elems = big(big(batch, heads)?, big(queries, keys)?)?;
        if s.embedding_norm {
            layers.push(ew("embeddings.norm".into(), norm, hidden_elems));
        }
        for l in 0..s.layers {
            let p = format!("layer{l}");
            layers.push(fc(format!("{p}.q"), h, h));
            layers.push(fc(format!("{p}.k"), h, kv));
            layers.push(fc(format!("{p}.v"), h, kv));
            layers.push(Layer {
                name: format!("{p}.scores"),
                kind: LayerKind::MatMul {
                    count: batch * heads,
                    m: keys,
                    n: queries,
                    k: dh,
                },
            });
            layers.push(ew(
                format!("{p}.softmax"),
                ElementwiseOp::Softmax,
                score_elems,
            ));
            layers.push(Layer {
                name: format!("{p}.context"),
                kind: LayerKind::MatMul {
                    count: batch * heads,
                    m: dh,
                    n: queries,
                    k: keys,
                },
            });
            layers.push(fc(format!("{p}.o"), h, h));
            layers.push(ew(
                format!("{p}.residual1"),
                ElementwiseOp::ResidualAdd,
                hidden_elems,
            ));
            layers.push(ew(format!("{p}.norm1"), norm, hidden_elems));
            if s.ffn_kind == FfnKind::Gated {
                layers.push(fc(format!("{p}.gate"), h, f));
            }
            layers.push(fc(format!("{p}.up"), h, f));
            layers.push(ew(format!("{p}.act"), act, ffn_elems));
            if s.ffn_kind == FfnKind::Gated {
                layers.push(ew(
                    format!("{p}.gated"),
                    ElementwiseOp::GatedMultiply,
                    ffn_elems,
                ));
            }
            layers.push(fc(format!("{p}.down"), f, h));
            layers.push(ew(
                format!("{p}.residual2"),
                ElementwiseOp::ResidualAdd,
                hidden_elems,
            ));
            layers.push(ew(format!("{p}.norm2"), norm, hidden_elems));
        }
        if s.final_norm {
            layers.push(ew("final.norm".into(), norm, hidden_elems));
        }
        if s.pooler {
            layers.push(Layer {
                name: "pooler".into(),
                kind: LayerKind::FullyConnected {
                    batch,
                    inputs: h,
                    outputs: h,
                },
            });
        }
        if s.lm_head {
            let tokens = if full_pass { rows } else { batch };
            layers.push(Layer {
                name: "lm_head".into(),
                kind: LayerKind::FullyConnected {
                    batch: tokens,
                    inputs: h,
                    outputs: s.vocab,
                },
            });
        }
        let net = Network { name, layers };
        net.validate()?;
        Ok(net)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoder_parameter_counts_by_hand() {
        let bert = Transformer::bert_base();
        assert_eq!(bert.block_params(), 85_054_464);
        let distil = Transformer::distilbert();
        // Embeddings (30522 + 512)·768 + LayerNorm, 6 blocks of 7,087,872.
        assert_eq!(distil.layer_params().total(), 7_087_872);
        assert_eq!(
            distil.params().total(),
            31_034 * 768 + 2 * 768 + 6 * 7_087_872
        );
        assert_eq!(distil.params().total(), 66_362_880);
        let tiny = Transformer::tinybert_4();
        let per = 4 * (312 * 312 + 312) + (312 * 1200 + 1200 + 1200 * 312 + 312) + 4 * 312;
        assert_eq!(tiny.layer_params().total(), per);
        assert_eq!(
            tiny.params().total(),
            31_036 * 312 + 2 * 312 + 4 * per + 312 * 312 + 312
        );
        assert_eq!(tiny.params().total(), 14_350_248);
    }

    #[test]
    fn macs_per_sequence_length_by_formula() {
        for t in Transformer::encoder_presets() {
            let s = t.spec();
            let (l, h, f) = (s.layers as u64, s.hidden as u64, s.ffn as u64);
            for seq in [1u64, 64, 128, 384, 512] {
                let net = t.sequence_network(seq as usize, 2).unwrap();
                let linear = 2 * seq * (4 * h * h + 2 * h * f);
                let attention = 2 * 2 * seq * seq * h;
                let pooler = if s.pooler { h * h } else { 0 };
                assert_eq!(
                    net.macs(),
                    l * (linear + attention) + 2 * pooler,
                    "{} {seq}",
                    s.name
                );
                assert_eq!(net.weight_elems(), l * (4 * h * h + 2 * h * f) + pooler);
            }
        }
        let e = Transformer::bert_base()
            .sequence_network(513, 1)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid seq 513: exceeds the 512 learned positions of BERT-base"
        );
        assert!(Transformer::bert_base().sequence_network(0, 1).is_err());
        assert!(Transformer::bert_base().sequence_network(8, 0).is_err());
        assert!(Transformer::bert_base().decode_network(8, 1).is_err());
    }

    #[test]
    fn llama_decode_step_macs() {
        let t = Transformer::llama_7b();
        let net = t.decode_network(1023, 1).unwrap();
        // Per block: 4·4096² + 3·4096·11008 weights, 2·32·128·1024 attention; LM head.
        let per = 4 * 4096u64 * 4096 + 3 * 4096 * 11008 + 2 * 4096 * 1024;
        assert_eq!(net.macs(), 32 * per + 4096 * 32_000);
        // Prefill of 16 tokens: every weight 16 times, scores 16 x 16 per head.
        let pre = t.sequence_network(16, 1).unwrap();
        let per = 16 * (4 * 4096u64 * 4096 + 3 * 4096 * 11008) + 2 * 16 * 16 * 4096;
        assert_eq!(pre.macs(), 32 * per + 16 * 4096 * 32_000);
    }
}

//! Fine-tuning, measured: quantization-aware training, pruning with retraining, LoRA/QLoRA
//! adapters on a frozen (quantized) base and distillation, on the digits networks, every
//! accuracy measured afterwards by the bit-exact [`Executor`](crate::nn::Executor) and every
//! training step's MACs counted and priced (see `docs/finetuning.md`).

pub mod cost;
pub mod distill;
pub mod lora;
pub mod loss_fit;
pub mod prune;
pub mod qat;

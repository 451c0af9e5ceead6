//! The fine-tuning report: what quantization-aware training, pruning with retraining,
//! LoRA/QLoRA and distillation buy on the digits networks, and at what training cost.
//!
//! ```text
//! cargo run --release --example finetune_report            # the full report (< 10 min)
//! cargo run --release --example finetune_report -- --quick # the CI size (< 2 min)
//! ```

mod lora;
mod qat;

fn main() {
    qat::placeholder();
    lora::placeholder();
}

//! (filled in by the fine-tuning work: lora)

//! LoRA/QLoRA and distillation sections of the fine-tuning report.

// ft-lora replaces this

use arithsim::Result;
use arithsim::cost::CostTable;
use arithsim::cost::report::Section;

use crate::Opts;

/// The LoRA/QLoRA and distillation sections (none yet).
pub fn sections(_opts: &Opts, _table: &CostTable) -> Result<Vec<Section>> {
    Ok(vec![])
}

//! The size of a hierarchy before it is flattened: every module's expanded net bits,
//! counted bottom-up (each module once), so that a hierarchy which multiplies at every level
//! is refused before elaboration allocates anything for it.

use std::collections::{HashMap, HashSet};

use crate::Result;
use crate::gates::hdl::verilog_in::ast::{Item, Module};
use crate::limits::VERILOG_MAX_EXPANDED_BITS;

/// Net bits module `m` declares itself (each name once, as elaboration counts them).
fn own_bits(m: &Module) -> usize {
    let mut seen = HashSet::new();
    let mut bits = 0usize;
    for d in &m.decls {
        if seen.insert(d.name.as_str()) {
            let width = usize::try_from((d.msb - d.lsb).unsigned_abs())
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            bits = bits.saturating_add(width);
        }
    }
    bits
}

/// Refuses `top` if flattening it would create more than
/// [`VERILOG_MAX_EXPANDED_BITS`] net bits. Iterative (no recursion, whatever the depth of
/// the hierarchy) and linear in the text: each module's expanded size is computed once.
/// Cycles and unknown modules count as nothing here; elaboration reports them.
pub(super) fn check_expansion(modules: &HashMap<&str, &Module>, top: &Module) -> Result<()> {
    let mut size: HashMap<&str, usize> = HashMap::new();
    let mut on_path: HashSet<&str> = HashSet::new();
    // (module, children pushed)
    let mut stack: Vec<(&Module, bool)> = vec![(top, false)];
    while let Some((m, expanded)) = stack.pop() {
        let name = m.name.as_str();
        if size.contains_key(name) {
            continue;
        }
        let subs = m.items.iter().filter_map(|i| match i {
            Item::Instance { module, .. } => modules.get(module.as_str()).copied(),
            _ => None,
        });
        if !expanded {
            if !on_path.insert(name) {
                continue; // a cycle: reported by elaboration
            }
            stack.push((m, true));
            for s in subs {
                if !size.contains_key(s.name.as_str()) && !on_path.contains(s.name.as_str()) {
                    stack.push((s, false));
                }
            }
            continue;
        }
        let mut total = own_bits(m);
        for s in subs {
            total = total.saturating_add(size.get(s.name.as_str()).copied().unwrap_or(0));
        }
        on_path.remove(name);
        size.insert(name, total);
    }
    let total = size.get(top.name.as_str()).copied().unwrap_or(0);
    if total > VERILOG_MAX_EXPANDED_BITS {
        let shown = if total == usize::MAX {
            "more than 2^64".to_string()
        } else {
            total.to_string()
        };
        return Err(top.pos.error(format!(
            "module {} flattens to {shown} net bits, more than the limit of \
             {VERILOG_MAX_EXPANDED_BITS} (limits::VERILOG_MAX_EXPANDED_BITS)",
            top.name
        )));
    }
    Ok(())
}

//! Criterion benches for the multipliers layer (being written; see docs/PERFORMANCE.md).
use criterion::{Criterion, criterion_group, criterion_main};

fn placeholder(_c: &mut Criterion) {}

criterion_group!(benches, placeholder);
criterion_main!(benches);

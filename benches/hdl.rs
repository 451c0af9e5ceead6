//! Export and import of a 32×32 Dadda multiplier (see docs/PERFORMANCE.md, "HDL export and
//! import"). The baseline in the same group is building the same netlist with the generator,
//! so each figure is also a ratio to construction. Also: exhaustive error metrics of an 8×8
//! multiplier against a native loop.
//!
//! Run: `cargo bench --bench hdl`.

use std::hint::black_box;

use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::multipliers::{MultiplierSpec, Reduction, Signedness};
use arithsim::datapath::ErrorMetrics;
use arithsim::gates::hdl::{VerilogOptions, read_verilog};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn multiplier_32x32(c: &mut Criterion) {
    let spec = MultiplierSpec::new(
        32,
        32,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::KoggeStone,
    );
    let net = spec.build().unwrap();
    let opts = VerilogOptions::new("dadda32");
    let text = net.to_verilog(&opts).unwrap();
    let cells_text = net
        .to_verilog(&opts.clone().with_cell_modules(true))
        .unwrap();
    let mut g = c.benchmark_group(format!(
        "dadda 32x32 ({} gates), export and import",
        net.gate_count()
    ));
    g.throughput(Throughput::Elements(net.gate_count() as u64));
    g.bench_function("baseline: build with the generator", |b| {
        b.iter(|| black_box(spec.build().unwrap()))
    });
    g.bench_function("to_verilog", |b| {
        b.iter(|| black_box(net.to_verilog(&opts).unwrap()))
    });
    g.bench_function("to_blif", |b| {
        b.iter(|| black_box(net.to_blif("dadda32").unwrap()))
    });
    g.bench_function("read_verilog (flat)", |b| {
        b.iter(|| black_box(read_verilog(&text).unwrap()))
    });
    g.bench_function("read_verilog (cell modules)", |b| {
        b.iter(|| black_box(read_verilog(&cells_text).unwrap()))
    });
    g.bench_function("to_verilog + read_verilog", |b| {
        b.iter(|| black_box(read_verilog(&net.to_verilog(&opts).unwrap()).unwrap()))
    });
    g.finish();
}

/// Error metrics of an 8×8 multiplier over all 65,536 input pairs; the baseline computes the
/// exact products and sums them natively.
fn error_metrics_8x8(c: &mut Criterion) {
    let net = MultiplierSpec::new(
        8,
        8,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::KoggeStone,
    )
    .build()
    .unwrap();
    let mut g = c.benchmark_group("error metrics, dadda 8x8, all 65,536 pairs");
    g.throughput(Throughput::Elements(65_536));
    g.bench_function("baseline: native products and sums", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for v in 0..65_536u64 {
                sum += black_box(v & 255) * black_box(v >> 8);
            }
            black_box(sum)
        })
    });
    g.bench_function("ErrorMetrics::of", |b| {
        b.iter(|| {
            black_box(
                ErrorMetrics::of(
                    &net,
                    "product",
                    Signedness::Unsigned,
                    |v| (v[0] * v[1]) as i128,
                    0,
                    0,
                )
                .unwrap(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, multiplier_32x32, error_metrics_8x8);
criterion_main!(benches);

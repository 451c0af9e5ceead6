//! Mapping all of ResNet-50 v1.5 onto the FSD NPU model (target: well under a second).
//!
//! Baseline in the same group: one pass over the layers summing their MACs (the least any
//! mapping has to do), so the figure is a ratio as well as a time.
//!
//! `cargo bench --bench accel`

use std::hint::black_box;

use arithsim::accel::{
    Bandwidth, Dataflow, MacArithmetic, Network, fsd_npu, map_network, map_network_stalls,
    scalesim_network,
};
use criterion::{Criterion, criterion_group, criterion_main};

fn resnet50_mapping(c: &mut Criterion) {
    let net = Network::resnet50_v1_5(1).expect("built-in network");
    let npu = fsd_npu();
    let fp32 = npu
        .with_arithmetic(MacArithmetic::FP32)
        .expect("FP32 MACs are supported");
    let mut g = c.benchmark_group("resnet50_fsd_mapping");
    g.bench_function("baseline: sum layer MACs", |b| {
        b.iter(|| black_box(&net).layers.iter().map(|l| l.macs()).sum::<u64>())
    });
    g.bench_function("map_network INT8", |b| {
        b.iter(|| map_network(black_box(&npu), black_box(&net)).expect("maps"))
    });
    g.bench_function("map_network FP32", |b| {
        b.iter(|| map_network(black_box(&fp32), black_box(&net)).expect("maps"))
    });
    let sys = npu.with_dataflow(Dataflow::SystolicOutputStationary);
    g.bench_function("map_network INT8 systolic OS", |b| {
        b.iter(|| map_network(black_box(&sys), black_box(&net)).expect("maps"))
    });
    g.bench_function("scalesim_network OS", |b| {
        b.iter(|| scalesim_network(black_box(&sys), black_box(&net)).expect("maps"))
    });
    let bw = Bandwidth::of(&npu);
    g.bench_function("map_network_stalls INT8", |b| {
        b.iter(|| map_network_stalls(black_box(&npu), black_box(&net), bw).expect("maps"))
    });
    g.finish();
}

criterion_group!(benches, resnet50_mapping);
criterion_main!(benches);

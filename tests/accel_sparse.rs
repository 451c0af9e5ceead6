//! The MAC array's sparse modes against hand-derived cycles and bytes, and ResNet-50 on the
//! FSD preset dense vs 2:4 vs unstructured.

use arithsim::accel::{
    Dataflow, LoadBalance, Network, SparseMode, fsd_npu, map_layer, map_layer_sparse, map_network,
    map_network_sparse,
};
use arithsim::cost::CostTable;

const S24: SparseMode = SparseMode::NM { n: 2, m: 4 };

fn unstructured(density: f64, balance: LoadBalance) -> SparseMode {
    SparseMode::Unstructured { density, balance }
}

#[test]
fn one_conv_layer_by_hand() {
    // layer1.0.conv2: 3x3, 64 -> 64 at 56x56: P = 3136 pixels (33 row tiles of 96, the last
    // of 64), K = 576, C = 64 (one column tile). Activation port: 96 B of 256 per step;
    // weight port 64 B of 128.
    let npu = fsd_npu();
    let net = Network::resnet50_v1_5(1).unwrap();
    let layer = &net.layers[2];
    assert_eq!(layer.name, "layer1.0.conv2");
    let dense = map_layer(&npu, layer).unwrap();
    assert_eq!(dense.compute_cycles, 33 * 576);
    // 2:4: 288 steps; activations 2 x 96 B = 192 <= 256, weights 64 x (8 + 2) bits = 80 B <= 128.
    let s = map_layer_sparse(&npu, layer, S24).unwrap();
    assert_eq!(s.mapping.compute_cycles, 33 * 288);
    assert_eq!(s.mapping.macs, dense.macs / 2);
    // Weights: 64 x 576 / 2 values + 2 bits each.
    assert_eq!((s.weights.values, s.weights.metadata), (18_432, 4_608));
    assert_eq!(s.mapping.sram_weight_read_bytes, 33 * 23_040);
    assert_eq!(s.mapping.sram_act_read_bytes, dense.sram_act_read_bytes);
    assert_eq!(s.mapping.dram_read_bytes, 23_040);
    // Ideal balance at 50 %: max(288 steps, 576 x 0.375 = 216 activation cycles,
    // 23 040 B bitmap-compressed / 128 = 180 weight cycles) = 288.
    let s = map_layer_sparse(&npu, layer, unstructured(0.5, LoadBalance::Ideal)).unwrap();
    assert_eq!(s.mapping.compute_cycles, 33 * 288);
    assert_eq!((s.weights.values, s.weights.metadata), (18_432, 4_608)); // bitmap
    // At 10 % the activation stream bounds the tile, not the 57.6 steps: 216 cycles for a
    // tile of 96 rows, 576 x 64 / 256 = 144 for the last tile of 64.
    let s = map_layer_sparse(&npu, layer, unstructured(0.1, LoadBalance::Ideal)).unwrap();
    assert_eq!(s.mapping.compute_cycles, 32 * 216 + 144);
    assert_eq!(s.mapping.macs, (dense.macs as f64 * 0.1).round() as u64);
    // Lockstep at 50 %: the busiest of 64 columns, Binomial(576, 0.5): mean 288, sd 12;
    // the expected maximum of 64 lies 2 to 2.5 sd above the mean.
    let s = map_layer_sparse(&npu, layer, unstructured(0.5, LoadBalance::Lockstep)).unwrap();
    let per_tile = s.mapping.compute_cycles / 33;
    assert!((288 + 24..=288 + 30).contains(&per_tile), "{per_tile}");
    assert!((s.balance_efficiency - 288.0 / per_tile as f64).abs() < 0.01);
}

#[test]
fn resnet50_dense_vs_sparse_on_fsd() {
    let npu = fsd_npu();
    let net = Network::resnet50_v1_5(1).unwrap();
    let table = CostTable::horowitz_45nm();
    let dense = map_network(&npu, &net).unwrap();
    let d = map_network_sparse(&npu, &net, SparseMode::Dense).unwrap();
    assert_eq!(d.mapping.cycles(), dense.cycles());
    assert_eq!(d.mapping.tally, dense.tally);
    let s24 = map_network_sparse(&npu, &net, S24).unwrap();
    // Only conv1 (K = 147) stays dense; every other layer halves its MACs.
    assert_eq!(s24.dense_weight_layers(), ["conv1"]);
    let conv1 = net.layers[0].macs();
    assert_eq!(s24.mapping.macs(), conv1 + (dense.macs() - conv1) / 2);
    assert_eq!(s24.dense_macs(), dense.macs());
    let ratio = dense.cycles() as f64 / s24.mapping.cycles() as f64;
    assert!(ratio > 1.5 && ratio < 2.0, "{ratio}");
    let e_dense = dense.energy(&table).unwrap();
    let e24 = s24.mapping.energy(&table).unwrap();
    assert!(e24.compute_pj.lo < 0.6 * e_dense.compute_pj.lo);
    assert!(e24.total_pj().mid() < e_dense.total_pj().mid());
    // Unstructured: 90 % sparsity is bounded by the activation stream, so it gains less
    // than its 10x fewer MACs; lockstep is never faster than ideal balance.
    let mut last = dense.cycles();
    for density in [0.5, 0.1] {
        let lock =
            map_network_sparse(&npu, &net, unstructured(density, LoadBalance::Lockstep)).unwrap();
        let ideal =
            map_network_sparse(&npu, &net, unstructured(density, LoadBalance::Ideal)).unwrap();
        assert!(lock.mapping.cycles() >= ideal.mapping.cycles());
        assert!(lock.mapping.cycles() < last, "{density}");
        last = lock.mapping.cycles();
        let speedup = dense.cycles() as f64 / ideal.mapping.cycles() as f64;
        assert!(speedup < 1.0 / density, "{density}: {speedup}");
    }
}

#[test]
fn bad_modes_and_layers_are_errors() {
    let npu = fsd_npu();
    let net = Network::resnet50_v1_5(1).unwrap();
    let e = map_layer_sparse(&npu, &net.layers[0], S24).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid m 4: does not divide the reduction length 147"
    );
    let e =
        map_layer_sparse(&npu, &net.layers[1], unstructured(0.0, LoadBalance::Ideal)).unwrap_err();
    assert!(e.to_string().starts_with("invalid density 0"), "{e}");
    let e = map_layer_sparse(&npu, &net.layers[1], SparseMode::NM { n: 5, m: 4 }).unwrap_err();
    assert!(e.to_string().starts_with("invalid n 5"), "{e}");
    let ws = npu.with_dataflow(Dataflow::WeightStationary);
    assert!(map_layer_sparse(&ws, &net.layers[1], S24).is_err());
    // Dense mode on any dataflow is the dense mapping.
    let d = map_layer_sparse(&ws, &net.layers[1], SparseMode::Dense).unwrap();
    assert_eq!(d.mapping, map_layer(&ws, &net.layers[1]).unwrap());
}

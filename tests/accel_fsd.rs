//! The accelerator model: workload shapes, the FSD preset, mapping against a tile-by-tile
//! reference written here, energy pricing, and error messages.

use arithsim::accel::{
    Bound, Dataflow, EnergyBreakdown, Layer, LayerKind, MacArithmetic, MacArray, Network, fsd_npu,
    map_gemm, map_layer, map_network,
};
use arithsim::cost::{CostTable, FloatKind, MemLevel, OpKind, Span};
use arithsim::datapath::Conv2dDims;
use arithsim::datapath::{Conv2dShape, GemmShape};
use proptest::prelude::*;

#[test]
fn resnet50_v1_5_has_exactly_the_published_macs() {
    let net = Network::resnet50_v1_5(1).unwrap();
    assert_eq!(net.macs(), 4_089_184_256);
    let fc = net.layers.last().unwrap();
    assert_eq!(fc.name, "fc");
    assert_eq!(fc.macs(), 2_048_000);
    // Batch scales linearly.
    assert_eq!(Network::resnet50_v1_5(8).unwrap().macs(), 8 * 4_089_184_256);
}

#[test]
fn resnet50_v1_has_the_stride_on_the_1x1_conv() {
    let v1 = Network::resnet50_v1(1).unwrap();
    assert_eq!(v1.macs(), 3_857_973_248);
    let v15 = Network::resnet50_v1_5(1).unwrap();
    // Same layers and weights; only the first 1x1 conv of the three downsampling blocks
    // differs (it runs at the input resolution in v1.5): 3 · 77,070,336 MACs.
    assert_eq!(v1.weight_elems(), v15.weight_elems());
    let differ: Vec<_> = v1
        .layers
        .iter()
        .zip(&v15.layers)
        .filter(|(a, b)| a.macs() != b.macs())
        .map(|(a, _)| a.name.as_str())
        .collect();
    assert_eq!(
        differ,
        ["layer2.0.conv1", "layer3.0.conv1", "layer4.0.conv1"]
    );
    assert_eq!(v15.macs() - v1.macs(), 3 * 77_070_336);
}

#[test]
fn lenet5_macs() {
    let n = Network::lenet5(1).unwrap();
    // 28·28·6·25 + 10·10·16·150 + 400·120 + 120·84 + 84·10
    assert_eq!(n.macs(), 117_600 + 240_000 + 48_000 + 10_080 + 840);
}

#[test]
fn fsd_preset_peak_figures() {
    let npu = fsd_npu();
    assert_eq!((npu.rows, npu.cols, npu.macs()), (96, 96, 9216));
    assert_eq!(npu.arithmetic, MacArithmetic::INT8_INT32);
    assert_eq!(npu.arithmetic.acc_bits(), 32);
    assert_eq!(npu.sram_bytes, 32 * 1024 * 1024);
    assert_eq!(
        (npu.act_bytes_per_cycle, npu.weight_bytes_per_cycle),
        (256, 128)
    );
    assert!((npu.peak_tops() - 36.864).abs() < 1e-12);
    assert!((npu.chip_peak_tops() - 73.728).abs() < 1e-12);
    assert!((npu.dram_bytes_per_s / 1e9 - 68.256).abs() < 1e-9);
    assert_eq!(
        npu.arithmetic.mac_ops(),
        [OpKind::IntMac {
            mul_bits: 8,
            acc_bits: 32
        }]
    );
    let fp16 = npu.with_arithmetic(MacArithmetic::FP16_FP32).unwrap();
    assert_eq!(
        fp16.arithmetic.mac_ops(),
        [
            OpKind::FpMul {
                format: FloatKind::FP16
            },
            OpKind::FpAdd {
                format: FloatKind::FP32
            }
        ]
    );
    // MAC energy from the embedded table: 0.3 pJ INT8, 1.1 + 0.9 FP16 -> FP32, 4.6 FP32.
    let t = CostTable::horowitz_45nm();
    let e = |a: &MacArray| a.mac_energy_pj(&t).unwrap().lo;
    assert!((e(&npu) - 0.3).abs() < 1e-12);
    assert!((e(&fp16) - 2.0).abs() < 1e-12);
    let fp32 = npu.with_arithmetic(MacArithmetic::FP32).unwrap();
    assert!((e(&fp32) - 4.6).abs() < 1e-12);
    assert!((npu.compute_tops_per_watt(&t).unwrap().lo - 2.0 / 0.3).abs() < 1e-9);
    assert_eq!(
        npu.arithmetic.mac_area_um2(&t).unwrap(),
        Some(282.0 + 137.0)
    );
    // The datapath's configurations map onto the array's MACs.
    use arithsim::datapath::{FloatArith, IntArith};
    assert_eq!(
        MacArithmetic::from(IntArith::INT8_INT32),
        MacArithmetic::INT8_INT32
    );
    assert_eq!(
        MacArithmetic::from(FloatArith::FP16_FP32),
        MacArithmetic::FP16_FP32
    );
    assert_eq!(
        MacArithmetic::from(FloatArith::FP32_FP32),
        MacArithmetic::FP32
    );
    // Peak ops count MACs, not bits: the same for every arithmetic on the same array.
    assert_eq!(fp16.peak_tops(), npu.peak_tops());
}

/// A GEMM as (pixels, reduction, channels) in u64.
fn pkc(g: GemmShape) -> (u64, u64, u64) {
    (g.n as u64, g.k as u64, g.m as u64)
}

/// Reference: walk the tiles one by one (output stationary) and add up steps and reads. A
/// tile waits for the previous tile's accumulators to drain (one row of `cols` per cycle).
fn reference_os(a: &MacArray, g: GemmShape) -> (u64, u64, u64) {
    let b = a.arithmetic.operand_bits() as u64; // bits per operand; ports in bytes
    let (pm, pk, pn) = pkc(g);
    let (mut cycles, mut act, mut wgt) = (0, 0, 0);
    let mut drain = 0; // cycles the previous tile still needs to drain
    let mut m0 = 0;
    while m0 < pm {
        let mt = (pm - m0).min(a.rows as u64);
        let mut n0 = 0;
        while n0 < pn {
            let nt = (pn - n0).min(a.cols as u64);
            // Cycles to deliver one step's operands, as a rational: max over the ports.
            let step_num = [
                (mt * b, 8 * a.act_bytes_per_cycle as u64),
                (nt * b, 8 * a.weight_bytes_per_cycle as u64),
            ];
            // k steps: ceil(k · max(1, bits/port bits)).
            let mut best = pk; // at least one cycle per step
            for (bits, port) in step_num {
                best = best.max((pk * bits).div_ceil(port));
            }
            cycles += best.max(drain);
            drain = (mt * nt).div_ceil(a.cols as u64);
            act += pk * mt * b;
            wgt += pk * nt * b;
            n0 += nt;
        }
        m0 += mt;
    }
    (cycles, act.div_ceil(8), wgt.div_ceil(8))
}

/// Reference for weight stationary: tile over K and N.
fn reference_ws(a: &MacArray, g: GemmShape) -> (u64, u64, u64, u64) {
    let b = a.arithmetic.operand_bits() as u64; // bits per operand; ports in bytes
    let (pm, pk, pn) = pkc(g);
    let acc = (a.arithmetic.acc_bits() as u64).div_ceil(8);
    let (mut cycles, mut act, mut wgt, mut psum) = (0, 0, 0, 0);
    let mut k0 = 0;
    while k0 < pk {
        let kt = (pk - k0).min(a.rows as u64);
        let mut n0 = 0;
        while n0 < pn {
            let nt = (pn - n0).min(a.cols as u64);
            let load = (kt * nt * b).div_ceil(8 * a.weight_bytes_per_cycle as u64);
            let stream = pm.max((pm * kt * b).div_ceil(8 * a.act_bytes_per_cycle as u64));
            cycles += load + stream + kt + nt - 2;
            act += pm * kt * b;
            wgt += kt * nt * b;
            if k0 > 0 {
                psum += pm * nt * acc;
            }
            n0 += nt;
        }
        k0 += kt;
    }
    (cycles, act.div_ceil(8), wgt.div_ceil(8), psum)
}

fn arrays() -> Vec<MacArray> {
    let mut v = vec![];
    for arith in [
        MacArithmetic::INT8_INT32,
        MacArithmetic::FP16_FP32,
        MacArithmetic::FP32,
    ] {
        for df in [Dataflow::OutputStationary, Dataflow::WeightStationary] {
            v.push(fsd_npu().with_arithmetic(arith).unwrap().with_dataflow(df));
        }
    }
    let mut small = fsd_npu();
    small.rows = 5;
    small.cols = 3;
    small.act_bytes_per_cycle = 4;
    small.weight_bytes_per_cycle = 2;
    v.push(small.clone());
    v.push(small.with_dataflow(Dataflow::WeightStationary));
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn gemm_mapping_matches_tile_walk(m in 1usize..700, k in 1usize..700, n in 1usize..700) {
        let g = GemmShape::new(m, n, k).unwrap();
        for a in arrays() {
            let map = map_gemm(&a, g).unwrap();
            prop_assert_eq!(map.macs, (m * k * n) as u64);
            prop_assert!(map.cycles >= map.compute_cycles.max(map.dram_cycles));
            match a.dataflow {
                Dataflow::OutputStationary => {
                    let (c, act, wgt) = reference_os(&a, g);
                    prop_assert_eq!(map.compute_cycles, c);
                    prop_assert_eq!(map.sram_act_read_bytes, act);
                    prop_assert_eq!(map.sram_weight_read_bytes, wgt);
                    prop_assert_eq!(map.sram_psum_read_bytes, 0);
                }
                Dataflow::WeightStationary => {
                    let (c, act, wgt, psum) = reference_ws(&a, g);
                    prop_assert_eq!(map.compute_cycles, c);
                    prop_assert_eq!(map.sram_act_read_bytes, act);
                    prop_assert_eq!(map.sram_weight_read_bytes, wgt);
                    prop_assert_eq!(map.sram_psum_read_bytes, psum);
                }
                _ => unreachable!("arrays() has no systolic dataflow"),
            }
            let u = map.utilization();
            prop_assert!(u > 0.0 && u <= 1.0);
        }
    }
}

#[test]
fn a_perfectly_fitting_gemm_runs_at_full_utilization() {
    let npu = fsd_npu();
    let g = GemmShape::new(96 * 2, 96 * 40, 4096).unwrap();
    let m = map_gemm(&npu, g).unwrap();
    assert_eq!(m.bound, Bound::Compute);
    assert_eq!(m.cycles, 80 * 4096);
    assert_eq!(m.utilization(), 1.0);
    assert!((m.achieved_tops() - npu.peak_tops()).abs() < 1e-9);
}

#[test]
fn wider_operands_are_limited_by_the_read_ports() {
    let g = GemmShape::new(96 * 2, 96 * 10, 1024).unwrap();
    let int8 = map_gemm(&fsd_npu(), g).unwrap();
    let fp16 = fsd_npu().with_arithmetic(MacArithmetic::FP16_FP32).unwrap();
    let fp32 = fsd_npu().with_arithmetic(MacArithmetic::FP32).unwrap();
    let m16 = map_gemm(&fp16, g).unwrap();
    let m32 = map_gemm(&fp32, g).unwrap();
    // 96 weights per step through a 128-byte port: FP16 needs 1.5 cycles, FP32 3.
    assert_eq!(m16.compute_cycles * 2, int8.compute_cycles * 3);
    assert_eq!(m32.compute_cycles, int8.compute_cycles * 3);
    assert_eq!(m32.bound, Bound::SramBandwidth);
    // Sub-byte operands are packed: INT4 moves half the bytes of INT8.
    let int4 = fsd_npu()
        .with_arithmetic(MacArithmetic::Int {
            mul_bits: 4,
            acc_bits: 32,
        })
        .unwrap();
    let m4 = map_gemm(&int4, g).unwrap();
    assert_eq!(2 * m4.sram_read_bytes(), int8.sram_read_bytes());
    assert_eq!(2 * m4.dram_read_bytes, int8.dram_read_bytes);
    assert_eq!(m4.compute_cycles, int8.compute_cycles);
}

#[test]
fn dram_traffic_is_weights_and_spills() {
    let npu = fsd_npu();
    let net = Network::resnet50_v1_5(1).unwrap();
    let m = map_network(&npu, &net).unwrap();
    // Every activation fits in 32 MiB at batch 1: DRAM traffic is the weights, once.
    assert_eq!(m.dram_bytes(), net.weight_elems());
    // A tiny SRAM spills activations too.
    let mut small = npu.clone();
    small.sram_bytes = 1 << 20;
    let s = map_network(&small, &net).unwrap();
    assert!(s.dram_bytes() > m.dram_bytes());
    // The FC layer (M = 1) is DRAM bound at batch 1.
    assert_eq!(m.layers.last().unwrap().bound, Bound::Dram);
}

#[test]
fn conv_maps_through_its_gemm_view_with_groups() {
    let npu = fsd_npu();
    let c = Conv2dShape::new(Conv2dDims {
        batch: 1,
        in_channels: 32,
        in_height: 28,
        in_width: 28,
        out_channels: 32,
        kernel_height: 3,
        kernel_width: 3,
    })
    .unwrap()
    .with_padding(1, 1)
    .unwrap()
    .with_groups(32) // depthwise
    .unwrap();
    let layer = Layer {
        name: "dw".into(),
        kind: LayerKind::Conv2d(c),
    };
    let m = map_layer(&npu, &layer).unwrap();
    assert_eq!(m.macs, 28 * 28 * 32 * 9);
    // 32 groups of 784x9x1: 9 row tiles each, 9 steps.
    assert_eq!(m.tiles, 32 * 9);
    assert_eq!(m.compute_cycles, 32 * 9 * 9);
    assert!(m.utilization() < 0.02);
}

#[test]
fn tally_and_energy_breakdown() {
    let npu = fsd_npu();
    let m = map_network(&npu, &Network::resnet50_v1_5(1).unwrap()).unwrap();
    let macs = 4_089_184_256;
    assert_eq!(
        m.tally.count(OpKind::IntMac {
            mul_bits: 8,
            acc_bits: 32
        }),
        macs
    );
    let sram = MemLevel::Sram { bytes: 1 << 20 };
    assert_eq!(
        m.tally.count(OpKind::MemRead {
            level: sram,
            bits: 64
        }),
        m.layers
            .iter()
            .map(|l| l.sram_read_bytes().div_ceil(8))
            .sum::<u64>()
    );
    let e = EnergyBreakdown::price(&m.tally, |op| {
        Ok(Span::exact(match op {
            OpKind::IntMac {
                mul_bits: 8,
                acc_bits: 32,
            } => 0.3,
            OpKind::MemRead {
                level: MemLevel::Dram,
                ..
            } => 1300.0,
            OpKind::MemRead { .. } | OpKind::MemWrite { .. } => 100.0,
            other => panic!("unexpected {other}"),
        }))
    })
    .unwrap();
    assert!((e.compute_pj.lo - macs as f64 * 0.3).abs() < 1.0);
    assert!((e.dram_pj.lo - (m.dram_bytes() / 8) as f64 * 1300.0).abs() < 1.0);
    assert!(e.memory_fraction() > 0.5);
    let tw = e.tops_per_watt(macs);
    assert!((tw.lo - 2.0 * macs as f64 / e.total_pj().lo).abs() < 1e-12);
    // The same through the embedded Horowitz table: DRAM is a 1.3-2.6 nJ range.
    let t = CostTable::horowitz_45nm();
    let h = m.energy(&t).unwrap();
    assert!((h.compute_pj.lo - e.compute_pj.lo).abs() < 1.0);
    assert!((h.sram_pj.lo - e.sram_pj.lo).abs() < 1.0);
    assert!((h.dram_pj.lo - e.dram_pj.lo).abs() < 1.0);
    assert!((h.dram_pj.hi - 2.0 * e.dram_pj.lo).abs() < 1.0);
    // Per-layer energies add up to the network's.
    let sum: f64 = m
        .layers
        .iter()
        .map(|l| l.energy(&t).unwrap().total_pj().lo)
        .sum();
    assert!((sum - h.total_pj().lo).abs() / sum < 1e-9);
    let err = EnergyBreakdown::price(&m.tally, |_| Err(arithsim::Error::Unsupported("x".into())));
    assert_eq!(err.unwrap_err().to_string(), "unsupported: x");
}

#[test]
fn mapping_all_of_resnet50_takes_well_under_a_second() {
    let npu = fsd_npu();
    let net = Network::resnet50_v1_5(1).unwrap();
    let t = std::time::Instant::now();
    for _ in 0..10 {
        std::hint::black_box(map_network(&npu, std::hint::black_box(&net)).unwrap());
    }
    assert!(t.elapsed().as_secs_f64() / 10.0 < 0.1, "{:?}", t.elapsed());
}

#[test]
fn errors_have_clear_messages() {
    let npu = fsd_npu();
    let msg = |r: arithsim::Error| r.to_string();
    // Shapes are the datapath's; their errors come through mapping unchanged.
    let mut c = Conv2dShape::new(Conv2dDims {
        batch: 1,
        in_channels: 6,
        in_height: 8,
        in_width: 8,
        out_channels: 8,
        kernel_height: 3,
        kernel_width: 3,
    })
    .unwrap();
    c.groups = 4;
    assert_eq!(
        msg(c.validate().unwrap_err()),
        "shape error: conv2d in_channels 6 is not a multiple of groups 4"
    );
    let bad = Layer {
        name: "bad".into(),
        kind: LayerKind::Conv2d(c),
    };
    assert!(map_layer(&npu, &bad).is_err());
    let net = Network {
        name: "n".into(),
        layers: vec![bad],
    };
    assert_eq!(
        msg(net.validate().unwrap_err()),
        "shape error: layer bad: shape error: conv2d in_channels 6 is not a multiple of groups 4"
    );
    assert_eq!(
        msg(map_network(
            &npu,
            &Network {
                name: "empty".into(),
                layers: vec![]
            }
        )
        .unwrap_err()),
        "shape error: network empty has no layers"
    );
    assert_eq!(
        msg(npu
            .with_arithmetic(MacArithmetic::Int {
                mul_bits: 8,
                acc_bits: 4
            })
            .unwrap_err()),
        "unsupported: integer MAC with 8-bit operands and 4-bit accumulator (operands 1..=32 bits, accumulator operand width..=64)"
    );
    assert_eq!(
        msg(npu
            .with_arithmetic(MacArithmetic::Float {
                mul: FloatKind::FP32,
                acc: FloatKind::FP16
            })
            .unwrap_err()),
        "unsupported: float MAC FP32 x FP32 -> FP16 (formats up to 64 bits, accumulator at least as wide as the operands)"
    );
    let mut a = npu.clone();
    a.rows = 0;
    assert_eq!(
        msg(map_gemm(&a, GemmShape::new(1, 1, 1).unwrap()).unwrap_err()),
        "invalid rows 0: must be positive"
    );
    let mut a = npu.clone();
    a.clock_hz = f64::NAN;
    assert_eq!(
        msg(a.validate().unwrap_err()),
        "invalid clock NaN: must be finite and positive"
    );
    assert_eq!(
        msg(Network::resnet50_v1_5(0).unwrap_err()),
        "shape error: conv2d batch is 0; it must be at least 1"
    );
    let fc = Layer {
        name: "fc".into(),
        kind: LayerKind::FullyConnected {
            batch: 1,
            inputs: 0,
            outputs: 10,
        },
    };
    assert_eq!(
        msg(map_layer(&npu, &fc).unwrap_err()),
        "shape error: gemm dimension k is 0; every dimension must be at least 1"
    );
}

/// `map_network` sums its layers' tallies as it maps them and checks the network's totals
/// without intermediate `Vec`s (to cut a sweep's allocations): every layer must still be
/// exactly `map_layer`'s, the network tally exactly the merge of the layers' tallies, and each
/// layer's MAC count priced as `MacArithmetic::mac_ops`, on every dataflow, integer and float
/// MACs, convolutions, matmuls and element-wise layers.
#[test]
fn network_mapping_is_exactly_its_layers_mappings() {
    let nets = [
        Network::resnet50_v1_5(1).unwrap(),
        arithsim::accel::Transformer::bert_base()
            .sequence_network(128, 1)
            .unwrap(),
    ];
    for net in &nets {
        for df in Dataflow::ALL {
            for ar in [MacArithmetic::INT8_INT32, MacArithmetic::FP16_FP32] {
                let array = fsd_npu()
                    .to_builder()
                    .rows(64)
                    .cols(32)
                    .dataflow(df)
                    .arithmetic(ar)
                    .build()
                    .unwrap();
                let m = map_network(&array, net).unwrap();
                assert_eq!(m.layers.len(), net.layers.len());
                let mut tally = arithsim::cost::Tally::new();
                for (got, layer) in m.layers.iter().zip(&net.layers) {
                    let want = map_layer(&array, layer).unwrap();
                    assert_eq!(got, &want, "{} on {df} {ar}", layer.name);
                    if layer.macs() > 0 {
                        for op in ar.mac_ops() {
                            assert_eq!(got.tally.count(op), layer.macs(), "{}", layer.name);
                        }
                    }
                    tally.merge(&want.tally);
                }
                assert_eq!(m.tally, tally, "{} on {df} {ar}", net.name);
                assert!(!m.tally.is_empty());
            }
        }
    }
}

/// `Layer::macs`, `weight_elems` and `output_elems` now come from one `gemm_view` (shared
/// with the mapping, which read each several times per layer); they must equal the formulas
/// they had, each from its own `gemm_view`, on convolutions (grouped and depthwise too),
/// fully connected, matmul and element-wise layers.
#[test]
fn layer_sizes_equal_the_per_method_formulas() {
    let nets = [
        Network::resnet50_v1_5(2).unwrap(),
        Network::lenet5(3).unwrap(),
        arithsim::accel::Transformer::bert_base()
            .sequence_network(64, 2)
            .unwrap(),
    ];
    let mut kinds = [0usize; 4];
    for layer in nets.iter().flat_map(|n| &n.layers) {
        let (g, s) = layer.gemm_view();
        let (weights, outputs) = match layer.kind {
            LayerKind::MatMul { .. } => (0, (g * s.m * s.n) as u64),
            LayerKind::Elementwise { elems, .. } => (0, elems as u64),
            _ => ((g * s.m * s.k) as u64, (g * s.m * s.n) as u64),
        };
        kinds[match layer.kind {
            LayerKind::Conv2d(_) => 0,
            LayerKind::FullyConnected { .. } => 1,
            LayerKind::MatMul { .. } => 2,
            LayerKind::Elementwise { .. } => 3,
        }] += 1;
        assert_eq!(
            layer.macs(),
            g as u64 * s.m as u64 * s.n as u64 * s.k as u64
        );
        assert_eq!(layer.weight_elems(), weights, "{}", layer.name);
        assert_eq!(layer.output_elems(), outputs, "{}", layer.name);
    }
    assert!(
        kinds.iter().all(|&k| k > 0),
        "every layer kind covered: {kinds:?}"
    );
}

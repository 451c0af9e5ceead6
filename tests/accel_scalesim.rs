//! The systolic dataflows against SCALE-Sim 3.0 itself, the broadcast output-stationary
//! drain bound and the bandwidth stalls by hand, and their errors.
//!
//! The SCALE-Sim figures are stored in `tests/data/scalesim_*.csv` (each file's first line is
//! the command that made it, with `scripts/scalesim_reference.py`), so this test needs no
//! Python.

use arithsim::accel::{
    Bandwidth, Bound, Dataflow, Layer, LayerKind, MacArray, Network, ScaleSimCounts, fsd_npu,
    map_gemm, map_layer, map_layer_stalls, map_network, map_network_stalls, scalesim_layer,
    scalesim_network,
};
use arithsim::datapath::Conv2dDims;
use arithsim::datapath::{Conv2dShape, GemmShape};

/// One row of a stored SCALE-Sim reference.
struct Reference {
    layer: String,
    dataflow: Dataflow,
    cycles: u64,
    stalls: u64,
    ifmap_reads: u64,
    filter_reads: u64,
    ofmap_writes: u64,
}

fn references(file: &str) -> Vec<Reference> {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (c_cycles, c_stall) = (col("compute_cycles"), col("stall_cycles"));
    let (c_if, c_fi, c_of) = (
        col("ifmap_sram_reads"),
        col("filter_sram_reads"),
        col("ofmap_sram_writes"),
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let n = |i: usize| f[i].parse::<u64>().unwrap();
            Reference {
                layer: f[col("layer")].to_string(),
                dataflow: match f[col("dataflow")] {
                    "os" => Dataflow::SystolicOutputStationary,
                    "ws" => Dataflow::SystolicWeightStationary,
                    "is" => Dataflow::SystolicInputStationary,
                    d => panic!("unknown dataflow {d}"),
                },
                cycles: n(c_cycles),
                stalls: n(c_stall),
                ifmap_reads: n(c_if),
                filter_reads: n(c_fi),
                ofmap_writes: n(c_of),
            }
        })
        .collect()
}

fn assert_matches(r: &Reference, s: &ScaleSimCounts) {
    assert_eq!(r.stalls, 0, "{}: CALC mode has no stalls", r.layer);
    let got = (
        s.compute_cycles,
        s.ifmap_sram_reads,
        s.filter_sram_reads,
        s.ofmap_sram_writes,
    );
    let want = (r.cycles, r.ifmap_reads, r.filter_reads, r.ofmap_writes);
    assert_eq!(got, want, "{} {}", r.layer, r.dataflow);
}

#[test]
fn resnet50_matches_scalesim_per_layer_in_every_systolic_dataflow() {
    let net = Network::resnet50_v1_5(1).unwrap();
    let refs = references("scalesim_resnet50_v1_5.csv");
    for df in Dataflow::SYSTOLIC {
        let array = fsd_npu().with_dataflow(df);
        let ours = scalesim_network(&array, &net).unwrap();
        let theirs: Vec<&Reference> = refs.iter().filter(|r| r.dataflow == df).collect();
        for (r, s) in theirs.iter().zip(&ours) {
            assert_eq!(r.layer, s.name);
            assert_matches(r, s);
        }
        assert_eq!(
            theirs.len(),
            ours.len(),
            "{df}: every layer has a reference"
        );
        // map_layer in the same dataflow counts the cycles (one more than SCALE-Sim's index)
        // and the same operand reads, in bytes of INT8.
        let m = map_network(&array, &net).unwrap();
        for (l, s) in m.layers.iter().zip(&ours) {
            assert_eq!(l.compute_cycles, s.compute_cycles + 1, "{}", l.name);
            assert_eq!(l.sram_act_read_bytes, s.ifmap_sram_reads, "{}", l.name);
            assert_eq!(l.sram_weight_read_bytes, s.filter_sram_reads, "{}", l.name);
            assert_ne!(l.bound, Bound::SramBandwidth, "{}", l.name);
        }
    }
}

/// `gemm_MxNxK` in SCALE-Sim's GEMM convention: `M` output pixels, `N` filters, `K`.
fn scalesim_gemm(name: &str) -> GemmShape {
    let dims: Vec<usize> = name
        .trim_start_matches("gemm_")
        .split('x')
        .map(|d| d.parse().unwrap())
        .collect();
    // The datapath's GEMM: M outputs (SCALE-Sim's N), N vectors (its M).
    GemmShape::new(dims[1], dims[0], dims[2]).unwrap()
}

#[test]
fn odd_gemms_match_scalesim_in_every_systolic_dataflow() {
    let refs = references("scalesim_odd_gemms.csv");
    assert_eq!(refs.len(), 3 * 7);
    for r in &refs {
        let g = scalesim_gemm(&r.layer);
        let layer = Layer {
            name: r.layer.clone(),
            kind: LayerKind::FullyConnected {
                batch: g.n,
                inputs: g.k,
                outputs: g.m,
            },
        };
        let s = scalesim_layer(&fsd_npu().with_dataflow(r.dataflow), &layer).unwrap();
        assert_matches(r, &s);
    }
}

/// The stored topology is ResNet-50 v1.5 with pre-padded maps: SCALE-Sim's output size
/// `⌈(H − KH + stride)/stride⌉` of each row equals the padded convolution's, and the layers'
/// GEMMs are arithsim's.
#[test]
fn the_scalesim_topology_is_resnet50_v1_5() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/resnet50_v1_5_scalesim_topology.csv"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let net = Network::resnet50_v1_5(1).unwrap();
    let rows: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|f| f.trim().to_string()).collect())
        .collect();
    assert_eq!(rows.len(), net.layers.len());
    for (row, layer) in rows.iter().zip(&net.layers) {
        let n = |i: usize| row[i].parse::<usize>().unwrap();
        let (h, w, kh, kw, ch, filters, stride) = (n(1), n(2), n(3), n(4), n(5), n(6), n(7));
        let oh = (h - kh + stride).div_ceil(stride);
        let ow = (w - kw + stride).div_ceil(stride);
        let (groups, g) = layer.gemm_view();
        assert_eq!(row[0], layer.name);
        assert_eq!(groups, 1);
        assert_eq!(
            (oh * ow, kh * kw * ch, filters),
            (g.n, g.k, g.m),
            "{}",
            layer.name
        );
    }
}

#[test]
fn scalesim_conventions_by_hand() {
    // A 1x1x1 GEMM on 96 x 96: one fold of 1 + 96 + 96 - 2 = 191 cycles (OS), 2·96 + 96 +
    // 1 - 2 = 287 (WS, IS); SCALE-Sim reports the last cycle's index, and its OS output
    // writes add rows + cols per fold.
    let g = Layer {
        name: "g".into(),
        kind: LayerKind::FullyConnected {
            batch: 1,
            inputs: 1,
            outputs: 1,
        },
    };
    let s = |df| scalesim_layer(&fsd_npu().with_dataflow(df), &g).unwrap();
    let os = s(Dataflow::SystolicOutputStationary);
    assert_eq!((os.compute_cycles, os.ofmap_sram_writes), (190, 193));
    let ws = s(Dataflow::SystolicWeightStationary);
    assert_eq!((ws.compute_cycles, ws.ofmap_sram_writes), (286, 1));
    assert_eq!(s(Dataflow::SystolicInputStationary), ws);
    // Partial sums: K = 200 on 96 rows is 3 reduction folds, each writing the outputs.
    let layer = Layer {
        name: "k200".into(),
        kind: LayerKind::FullyConnected {
            batch: 10,
            inputs: 200,
            outputs: 5,
        },
    };
    let ws = fsd_npu().with_dataflow(Dataflow::SystolicWeightStationary);
    assert_eq!(
        scalesim_layer(&ws, &layer).unwrap().ofmap_sram_writes,
        3 * 50
    );
    let m = map_layer(&ws, &layer).unwrap();
    // Two extra folds of 50 INT32 partial sums, written and read back.
    assert_eq!(m.sram_psum_read_bytes, 2 * 50 * 4);
    assert_eq!(m.sram_write_bytes, 50 + 2 * 50 * 4);
    // FP16 operands: 96 weights per cycle need 192 bytes from the 128-byte port: 1.5x.
    let fp16 = ws
        .with_arithmetic(arithsim::accel::MacArithmetic::FP16_FP32)
        .unwrap();
    let m16 = map_layer(&fp16, &layer).unwrap();
    assert_eq!(m16.compute_cycles * 2, m.compute_cycles * 3);
    assert_eq!(m16.bound, Bound::SramBandwidth);
}

#[test]
fn broadcast_output_stationary_waits_for_the_drain() {
    let npu = fsd_npu();
    // K = 64 < 96: a full 96 x 96 tile drains (96 rows, one row of 96 per cycle) in 96
    // cycles, longer than the next tile's 64 steps. Two tiles: 64 + max(64, 96) = 160.
    let short = map_gemm(&npu, GemmShape::new(96, 192, 64).unwrap()).unwrap();
    assert_eq!(short.compute_cycles, 64 + 96);
    // K = 200: the drain hides: 2 x 200.
    let long = map_gemm(&npu, GemmShape::new(96, 192, 200).unwrap()).unwrap();
    assert_eq!(long.compute_cycles, 400);
    // A 96 x 64 tile (64 channels) drains in 96·64/96 = 64 cycles: hidden behind K = 64.
    let narrow = map_gemm(&npu, GemmShape::new(64, 192, 64).unwrap()).unwrap();
    assert_eq!(narrow.compute_cycles, 128);
    // Mixed tiles, in order (pixels outer, channels inner), C = 160 = 96 + 64, P = 100 =
    // 96 + 4, K = 50: tiles (96,96) 50; (96,64) max(50, 96) = 96; (4,96) max(50, 64) = 64;
    // (4,64) max(50, 4) = 50.
    let mixed = map_gemm(&npu, GemmShape::new(160, 100, 50).unwrap()).unwrap();
    assert_eq!(mixed.compute_cycles, 50 + 96 + 64 + 50);
    // Groups run back to back: the second group's first tile waits for the first group's
    // last drain. Two groups of 96 pixels x 64 reduction x 96 channels: 64 + 96.
    let c = Conv2dShape::new(Conv2dDims {
        batch: 1,
        in_channels: 128,
        in_height: 8,
        in_width: 12,
        out_channels: 192,
        kernel_height: 1,
        kernel_width: 1,
    })
    .unwrap()
    .with_groups(2)
    .unwrap();
    let grouped = Layer {
        name: "g".into(),
        kind: LayerKind::Conv2d(c),
    };
    assert_eq!(map_layer(&npu, &grouped).unwrap().compute_cycles, 64 + 96);
    // ResNet-50: only layer1.0.downsample (K = 64, 256 channels) moves. Per row of tiles:
    // channel tiles 96, 96, 64 drain in 96, 96, 64 cycles; computes 64 each.
    let net = Network::resnet50_v1_5(1).unwrap();
    let ds = net
        .layers
        .iter()
        .find(|l| l.name == "layer1.0.downsample")
        .unwrap();
    // 33 pixel rows (32 of 96 and one of 64): first row 64 + 96 + 96, then each row
    // max(64, 64) + 96 + 96 for the full rows; the last row of 64 pixels drains 64, 64, 43.
    let m = map_layer(&npu, ds).unwrap();
    assert_eq!(m.compute_cycles, 256 + 31 * 256 + (64 + 64 + 64));
}

/// A 4 x 4 INT8 array with wide ports, a GEMM of 8 pixels x 16 reduction x 4 channels:
/// two tiles of 16 cycles (C = 32), SRAM traffic 128 activation + 128 weight reads + 32
/// output writes = 288 bytes, DRAM traffic the 64 weight bytes.
fn small() -> (MacArray, Layer) {
    let mut a = fsd_npu();
    a.rows = 4;
    a.cols = 4;
    let layer = Layer {
        name: "small".into(),
        kind: LayerKind::FullyConnected {
            batch: 8,
            inputs: 16,
            outputs: 4,
        },
    };
    (a, layer)
}

#[test]
fn bandwidth_stalls_by_hand() {
    let (a, layer) = small();
    let m = map_layer(&a, &layer).unwrap();
    assert_eq!((m.tiles, m.compute_cycles), (2, 32));
    assert_eq!(m.sram_read_bytes() + m.sram_write_bytes, 288);
    assert_eq!(m.dram_read_bytes, 64);
    let s = |sram, dram| map_layer_stalls(&a, &layer, Bandwidth::new(sram, dram).unwrap()).unwrap();
    // SRAM 9 B/cycle: 144 bytes per tile in 16 cycles, no SRAM stall. DRAM 2 B/cycle: 32
    // bytes per tile in 16 cycles; the first fetch is exposed: 16 + max(16, 16) + 16 = 48.
    let a1 = s(9.0, 2.0);
    assert_eq!(
        (a1.cycles, a1.sram_stall_cycles, a1.dram_stall_cycles),
        (48, 0, 16)
    );
    assert_eq!(a1.bound, Bound::Compute);
    assert!(!a1.is_memory_bound());
    // DRAM 1 B/cycle: 32 cycles per fetch > 16 of compute: 32 + 32 + 16 = 80, DRAM bound.
    let a2 = s(9.0, 1.0);
    assert_eq!((a2.cycles, a2.dram_stall_cycles), (80, 48));
    assert_eq!(a2.bound, Bound::Dram);
    // SRAM 4.5 B/cycle: a tile needs 32 cycles for its 144 bytes: 2 x 32 = 64 plus the
    // exposed 16-cycle fetch = 80, SRAM bound.
    let a3 = s(4.5, 2.0);
    assert_eq!(
        (a3.cycles, a3.sram_stall_cycles, a3.dram_stall_cycles),
        (80, 32, 16)
    );
    assert_eq!(a3.bound, Bound::SramBandwidth);
    assert!(a3.is_memory_bound());
}

#[test]
fn fsd_resnet50_stalls_name_the_memory_bound_layers() {
    let npu = fsd_npu();
    let net = Network::resnet50_v1_5(1).unwrap();
    let st = map_network_stalls(&npu, &net, Bandwidth::of(&npu)).unwrap();
    let m = map_network(&npu, &net).unwrap();
    for (s, l) in st.iter().zip(&m.layers) {
        assert_eq!(s.compute_cycles, l.compute_cycles);
        assert!(s.cycles >= l.compute_cycles);
        // Tile-level double buffering is never faster than the layer-level max(compute,
        // DRAM) bound of map_layer.
        assert!(s.cycles >= l.cycles, "{}", s.name);
    }
    // At batch 1 the FC layer and stage 4's weights (2.4 MB per 3x3 conv) are DRAM bound.
    let dram: Vec<&str> = st
        .iter()
        .filter(|s| s.bound == Bound::Dram)
        .map(|s| s.name.as_str())
        .collect();
    assert!(
        dram.contains(&"fc") && dram.contains(&"layer4.0.conv2"),
        "{dram:?}"
    );
    assert!(!dram.contains(&"conv1"));
}

#[test]
fn bad_input_is_an_error() {
    let (a, layer) = small();
    for (sram, dram) in [
        (0.0, 1.0),
        (1.0, 0.0),
        (f64::NAN, 1.0),
        (1.0, f64::INFINITY),
    ] {
        assert!(Bandwidth::new(sram, dram).is_err());
        let bw = Bandwidth {
            sram_bytes_per_cycle: sram,
            dram_bytes_per_cycle: dram,
        };
        assert!(map_layer_stalls(&a, &layer, bw).is_err());
    }
    assert_eq!(
        Bandwidth::new(1.0, 0.0).unwrap_err().to_string(),
        "invalid dram bandwidth 0: must be finite and positive (bytes/cycle)"
    );
    for df in Dataflow::SYSTOLIC {
        let mut z = a.with_dataflow(df);
        z.cols = 0;
        assert!(scalesim_layer(&z, &layer).is_err());
        assert!(map_layer(&z, &layer).is_err());
    }
    // The broadcast dataflows have no SCALE-Sim figures.
    assert!(scalesim_layer(&a, &layer).is_err());
    // 2^31 vectors x 2^32 reduction x 1 output on a 1 x 1 input-stationary array: 2^63
    // folds of 2 cycles overflow a 64-bit cycle count.
    let mut one = a.with_dataflow(Dataflow::SystolicInputStationary);
    one.rows = 1;
    one.cols = 1;
    let huge = Layer {
        name: "huge".into(),
        kind: LayerKind::FullyConnected {
            batch: 1 << 31,
            inputs: 1 << 32,
            outputs: 1,
        },
    };
    assert!(scalesim_layer(&one, &huge).is_err());
    assert!(map_layer(&one, &huge).is_err());
}

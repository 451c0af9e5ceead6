//! Never a panic, never a hang: every public entry point of `quant`, `datapath`, `cost` and
//! `accel` that takes user input, driven by proptest with the extreme values always in the
//! mix (0, 1, `u64::MAX`, NaN, ±∞, empty, huge), returns `Ok` or `Err` within a time bound.
//!
//! Each case runs in a thread with a deadline ([`bounded`]): a panic fails the case (and
//! proptest shrinks it), a call that does not return within [`DEADLINE`] fails it too.
//! The whole file runs in well under a minute in release.

use arithsim::Signedness;
use std::sync::mpsc;
use std::time::Duration;

use arithsim::accel::DecodeParams;
use arithsim::accel::{
    ActivationModel, Dataflow, Layer, LayerKind, LoadBalance, LoraConfig, MacArithmetic,
    SparseMode, Transformer, fsd_npu, map_gemm, map_layer, map_layer_sparse,
};
use arithsim::cost::report::{Format, ReportOptions};
use arithsim::cost::{
    CostTable, Flavor, FloatKind, MemLevel, NumKind, OpKind, Span, Tally, area_factor,
};
use arithsim::datapath::LayerOperands;
use arithsim::datapath::sparse::{Layout, check_nm, storage_bytes};
use arithsim::datapath::{
    Bias, Conv2dShape, ErrorStats, GemmOperands, GemmShape, IntArith, IntDatapath, MemoryModel,
    OutputGrid, Overflow, Tile,
};
use arithsim::quant::{
    Blockwise4, Code4, DoubleQuantized, DqCode, FusedActivation, Int4Grouped, IntType, MxElement,
    QuantLayerParams, QuantParams, QuantizedMultiplier, Requantization, Symmetry, WeightFormat,
    WeightParams, mx_quantize, normal_tensor, prune_global, prune_n_m, prune_rows,
    prune_unstructured, quantized_gemm, rounding_divide_by_pot,
};
use arithsim::round::RoundingMode;
use proptest::prelude::*;

/// The most any one case may take (the slowest entry points finish in milliseconds).
const DEADLINE: Duration = Duration::from_secs(20);

/// Runs `f` on its own thread and waits at most [`DEADLINE`]; re-raises its panic.
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let h = std::thread::spawn(move || {
        let v = f();
        let _ = tx.send(());
        v
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => match h.join() {
            Ok(v) => v,
            Err(p) => std::panic::resume_unwind(p),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} took more than {DEADLINE:?}"),
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn ext_u64() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1),
        Just(u64::MAX),
        Just(u64::MAX / 2 + 1),
        Just(1 << 32),
        Just(1 << 40),
        0u64..300,
        any::<u64>(),
    ]
}

fn ext_usize() -> impl Strategy<Value = usize> {
    prop_oneof![
        Just(0usize),
        Just(1),
        Just(usize::MAX),
        Just(1 << 32),
        Just(1 << 21),
        1usize..40,
        any::<usize>(),
    ]
}

/// Small sizes that can really be allocated, with the awkward ones forced in.
fn small_usize() -> impl Strategy<Value = usize> {
    prop_oneof![Just(0usize), Just(1), Just(2), Just(3), 0usize..40]
}

fn ext_u32() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0u32),
        Just(1),
        Just(u32::MAX),
        Just(64),
        Just(4097),
        0u32..80,
        any::<u32>()
    ]
}

fn ext_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0f64),
        Just(-0.0),
        Just(1.0),
        Just(-1.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(5e-324),
        Just(1e200),
        Just(1e-200),
        Just(1e12),
        -10.0f64..10.0,
        any::<f64>(),
    ]
}

fn ext_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        Just(0.0f32),
        Just(1.0),
        Just(-1.0),
        Just(f32::NAN),
        Just(f32::INFINITY),
        Just(f32::NEG_INFINITY),
        Just(f32::MAX),
        Just(f32::MIN),
        Just(1e-45),
        -4.0f32..4.0,
        any::<f32>(),
    ]
}

fn float_kind() -> impl Strategy<Value = FloatKind> {
    prop_oneof![
        Just(FloatKind::FP16),
        Just(FloatKind::BF16),
        Just(FloatKind::FP32),
        Just(FloatKind::FP8_E4M3),
        (ext_u32(), ext_u32()).prop_map(|(e, m)| FloatKind::new(e, m)),
    ]
}

fn signedness() -> impl Strategy<Value = Signedness> {
    prop::sample::select(Signedness::ALL.to_vec())
}

fn num_kind() -> impl Strategy<Value = NumKind> {
    prop_oneof![
        (ext_u32(), signedness()).prop_map(|(bits, signedness)| NumKind::Int { bits, signedness }),
        (ext_u32(), ext_u32(), signedness()).prop_map(|(bits, frac_bits, signedness)| {
            NumKind::Fixed {
                bits,
                frac_bits,
                signedness,
            }
        }),
        float_kind().prop_map(NumKind::Float),
    ]
}

fn mem_level() -> impl Strategy<Value = MemLevel> {
    prop_oneof![
        Just(MemLevel::RegisterFile),
        Just(MemLevel::Dram),
        ext_u64().prop_map(|bytes| MemLevel::Sram { bytes }),
    ]
}

fn op_kind() -> impl Strategy<Value = OpKind> {
    prop_oneof![
        ext_u32().prop_map(|bits| OpKind::IntAdd { bits }),
        ext_u32().prop_map(|bits| OpKind::IntMul { bits }),
        (ext_u32(), ext_u32())
            .prop_map(|(mul_bits, acc_bits)| OpKind::IntMac { mul_bits, acc_bits }),
        float_kind().prop_map(|format| OpKind::FpAdd { format }),
        float_kind().prop_map(|format| OpKind::FpMul { format }),
        float_kind().prop_map(|format| OpKind::FpFma { format }),
        (num_kind(), num_kind()).prop_map(|(from, to)| OpKind::Convert { from, to }),
        (mem_level(), ext_u32()).prop_map(|(level, bits)| OpKind::MemRead { level, bits }),
        (mem_level(), ext_u32()).prop_map(|(level, bits)| OpKind::MemWrite { level, bits }),
    ]
}

fn int_type() -> impl Strategy<Value = IntType> {
    prop_oneof![
        Just(IntType::Int8),
        Just(IntType::Int8Narrow),
        Just(IntType::UInt8),
        Just(IntType::Int4),
    ]
}

fn rounding() -> impl Strategy<Value = RoundingMode> {
    prop_oneof![
        Just(RoundingMode::NearestEven),
        Just(RoundingMode::NearestAway),
        Just(RoundingMode::TowardZero),
        Just(RoundingMode::TowardNegative),
    ]
}

fn weight_format() -> impl Strategy<Value = WeightFormat> {
    let code = prop_oneof![Just(Code4::Nf4), Just(Code4::Fp4E2M1)];
    let dq = prop_oneof![Just(DqCode::Int8), Just(DqCode::Fp8E4M3)];
    prop_oneof![
        Just(WeightFormat::FP32),
        Just(WeightFormat::FP16),
        Just(WeightFormat::BF16),
        Just(WeightFormat::INT8_PER_CHANNEL),
        Just(WeightFormat::MXFP4),
        (ext_usize(), any::<bool>())
            .prop_map(|(group, symmetric)| WeightFormat::Int4Group { group, symmetric }),
        (code.clone(), ext_usize()).prop_map(|(code, block)| WeightFormat::Block4 { code, block }),
        (code, ext_usize(), ext_usize(), dq).prop_map(|(code, block, block2, dq_code)| {
            WeightFormat::Block4Dq {
                code,
                block,
                block2,
                dq_code,
            }
        }),
    ]
}

/// Valid CSV and TOML cost tables to mutate.
const CSV_TABLE: &str = include_str!("../docs/example-costs.csv");
const TOML_TABLE: &str = include_str!("../docs/example-costs.toml");

/// `text` with `edits` applied: each replaces, inserts or deletes one byte at a position.
fn mutate(text: &str, edits: &[(usize, u8, u8)]) -> String {
    let mut b = text.as_bytes().to_vec();
    for &(pos, kind, byte) in edits {
        let at = if b.is_empty() { 0 } else { pos % b.len() };
        let byte = b",.\n\"[]=#-0123456789eE naN"[byte as usize % 25];
        match kind % 3 {
            0 if !b.is_empty() => b[at] = byte,
            1 => b.insert(at, byte),
            _ if !b.is_empty() => {
                b.remove(at);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

proptest! {
    #![proptest_config(config())]

    // --- cost -----------------------------------------------------------------------------

    #[test]
    fn cost_tables_from_random_text(s in "\\PC{0,400}", csv in any::<bool>()) {
        bounded("table from random text", move || {
            let _ = if csv {
                CostTable::from_csv_str(&s, "r.csv")
            } else {
                CostTable::from_toml_str(&s, "r.toml")
            };
        });
    }

    #[test]
    fn cost_tables_from_mutated_text(
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8),
    ) {
        bounded("mutated tables", move || {
            for (text, csv) in [(CSV_TABLE, true), (TOML_TABLE, false)] {
                let m = mutate(text, &edits);
                let t = if csv {
                    CostTable::from_csv_str(&m, "m.csv")
                } else {
                    CostTable::from_toml_str(&m, "m.toml")
                };
                // Whatever loads prices its own rows and round-trips.
                if let Ok(t) = t {
                    for r in t.rows() {
                        let _ = t.price(r.op);
                    }
                    let back = CostTable::from_toml_str(&t.to_toml_string(), "b.toml");
                    assert!(back.is_ok(), "{:?}", back.err());
                }
            }
        });
    }

    #[test]
    fn pricing_any_op(op in op_kind(), node in ext_f64(), volt in ext_f64()) {
        bounded("price", move || {
            let t = CostTable::horowitz_45nm();
            if let Ok(p) = t.price(op) {
                assert!(p.energy_pj.lo.is_finite() && p.energy_pj.hi.is_finite(), "{op}");
            }
            let _ = op.to_string().parse::<OpKind>();
            let mut tally = Tally::new();
            tally.add(op, u64::MAX);
            tally.add(op, 2);
            let _ = t.estimate(&tally);
            let _ = t.scaled(node, volt, Flavor::HighPerformance);
            let _ = t.scaled(node, volt, Flavor::LowPower);
            let _ = area_factor(node, volt);
            let _ = Span::try_range(node, volt);
        });
    }

    #[test]
    fn op_and_kind_names(s in "\\PC{0,40}", n in any::<u64>()) {
        bounded("names", move || {
            let _ = s.parse::<OpKind>();
            let _ = s.parse::<FloatKind>();
            let _ = s.parse::<NumKind>();
            let _ = format!("{n}-bit int add").parse::<OpKind>();
            let _ = format!("E{n}M{n}").parse::<FloatKind>();
            let _ = format!("{n}-bit SRAM read, {n} KB").parse::<OpKind>();
        });
    }

    // The examples' command-line parser is fuzzed in tests/examples_cli.rs.
    #[test]
    fn report_options(path in "\\PC{0,12}") {
        bounded("report options", move || {
            let o = ReportOptions {
                table: Some(path.clone().into()),
                liberty: Some(path.into()),
                out: "x".into(),
                format: Format::Text,
            };
            if !o.table.as_ref().is_some_and(|p| p.exists()) {
                let _ = o.cost_table();
                let _ = o.cell_library();
            }
        });
    }

    // --- datapath -------------------------------------------------------------------------

    #[test]
    fn gemm_shapes_and_kernels(
        m in ext_usize(), n in ext_usize(), k in ext_usize(),
        a_len in small_usize(), b_len in small_usize(),
        mul in ext_u32(), acc in ext_u32(), signed in signedness(), sat in any::<bool>(),
    ) {
        bounded("gemm", move || {
            let _ = GemmShape::new(m, n, k);
            let ov = if sat { Overflow::Saturating } else { Overflow::Wrapping };
            let Ok(arith) = IntArith::new(mul % 40, acc % 70, signed, ov) else { return };
            let Ok(dp) = IntDatapath::new(arith) else { return };
            let a = vec![1i32; a_len];
            let b = vec![-1i32; b_len];
            let shape = GemmShape { m, n, k };
            let _ = dp.gemm(shape, GemmOperands { a: &a, b: &b }, Bias::None);
            let _ = dp.gemm(shape, GemmOperands { a: &a, b: &b }, Bias::PerRow(&[i64::MAX]));
            let _ = dp.add(&[i64::MAX, i64::MIN], &[i64::MAX]);
            let _ = dp.add(&[i64::MAX], &[i64::MAX]);
        });
    }

    #[test]
    fn conv_shapes(
        dims in prop::collection::vec(ext_usize(), 11),
        len in small_usize(),
    ) {
        bounded("conv2d", move || {
            let s = Conv2dShape {
                batch: dims[0],
                in_channels: dims[1],
                in_height: dims[2],
                in_width: dims[3],
                out_channels: dims[4],
                kernel_height: dims[5],
                kernel_width: dims[6],
                stride: (dims[7], dims[8]),
                padding: (dims[9], dims[10]),
                dilation: (1, 1),
                groups: 1,
            };
            if s.validate().is_ok() {
                let _ = s.macs();
                let _ = s.output_hw();
            }
            let dp = IntDatapath::new(IntArith::INT8_INT32).expect("preset");
            let x = vec![1i8; len];
            let _ = dp.conv2d(&s, LayerOperands { weights: &x, input: &x }, Bias::None);
        });
    }

    #[test]
    fn error_metrics(
        a in prop::collection::vec(ext_f64(), 0..6),
        r in prop::collection::vec(ext_f64(), 0..6),
        step in ext_f64(),
    ) {
        bounded("error stats", move || {
            for grid in [OutputGrid::Uniform { step }, OutputGrid::Float(arithsim::float::FloatFormat::FP16)] {
                if let Ok(s) = ErrorStats::compare(&a, &r, grid) {
                    // A finite comparison never reports NaN statistics.
                    if s.non_finite == 0 {
                        assert!(!s.rms.is_nan() && !s.sqnr_db.is_nan(), "{s:?}");
                    }
                }
            }
        });
    }

    #[test]
    fn memory_model_and_sparse_storage(
        local in mem_level(), backing in mem_level(),
        tm in ext_usize(), tn in ext_usize(), tk in ext_usize(),
        m in ext_usize(), n in ext_usize(), k in ext_usize(),
        bits in ext_u32(), nnz in ext_usize(), nm in (ext_usize(), ext_usize()),
    ) {
        bounded("memory model", move || {
            if let Ok(mm) = MemoryModel::new(backing, local, Tile { m: tm, n: tn, k: tk }) {
                if let Ok(t) = mm.gemm_traffic(GemmShape { m, n, k }, bits, bits, bits, nnz) {
                    let _ = (t.backing_read_bytes(), t.backing_write_bytes(), t.local_read_bytes());
                    let mut tally = Tally::new();
                    t.add_to(&mm, &mut tally, u64::MAX);
                    let _ = arithsim::datapath::memory_bytes(&tally);
                }
            }
            let _ = check_nm(nm.0, nm.1, k);
            for layout in [Layout::Dense, Layout::Csr, Layout::Bitmap, Layout::NM { n: nm.0, m: nm.1 }] {
                if let Ok(s) = storage_bytes(layout, m, n, nnz, bits) {
                    let _ = s.total();
                }
            }
        });
    }

    // --- quant ----------------------------------------------------------------------------

    #[test]
    fn quant_params_and_requantization(
        scale in ext_f64(), zp in any::<i32>(), t in int_type(), x in ext_f64(),
        real in ext_f64(), acc in any::<i32>(), exp in any::<i32>(), mode in rounding(),
        data in prop::collection::vec(ext_f32(), 0..8),
    ) {
        bounded("quant params", move || {
            if let Ok(p) = QuantParams::new(scale, zp, t) {
                let _ = p.quantize(x, mode);
                let _ = p.dequantize(acc);
                let _ = p.quantize_i8(&data, mode);
            }
            let _ = QuantParams::from_min_max(x, real, t, Symmetry::Asymmetric);
            let _ = QuantParams::from_data(&data, t, Symmetry::Symmetric);
            if let Ok(q) = QuantizedMultiplier::from_real(real) {
                assert!(q.shift <= arithsim::limits::QUANT_MULTIPLIER_MAX_SHIFT);
                for v in [Requantization::DoubleRounding, Requantization::SingleRounding] {
                    let _ = q.apply(acc, v);
                    let _ = q.apply_saturating(acc, v);
                }
            }
            let _ = QuantizedMultiplier::for_layer(scale, real, x);
            let _ = rounding_divide_by_pot(acc, exp);
        });
    }

    #[test]
    fn quantized_gemm_any_scales(
        s in (ext_f64(), ext_f64(), ext_f64()), m in small_usize(), n in small_usize(),
        k in small_usize(), w in prop::collection::vec(any::<i8>(), 0..12),
        x in prop::collection::vec(any::<i8>(), 0..12), single in any::<bool>(),
    ) {
        bounded("quantized gemm", move || {
            let q = |scale: f64| QuantParams::new(scale, 0, IntType::Int8);
            let (Ok(i), Ok(wp), Ok(o)) = (q(s.0), q(s.1), q(s.2)) else { return };
            let p = QuantLayerParams {
                input: i,
                weights: WeightParams::PerTensor(wp),
                output: o,
                activation: FusedActivation::Relu6,
                requantization: if single {
                    Requantization::SingleRounding
                } else {
                    Requantization::DoubleRounding
                },
            };
            let _ = quantized_gemm(&p, GemmShape { m, n, k }, LayerOperands { weights: &w, input: &x }, Bias::None);
            let _ = quantized_gemm(&p, GemmShape { m, n, k }, LayerOperands { weights: &w, input: &x }, Bias::PerRow(&[i32::MAX, i32::MIN]));
        });
    }

    #[test]
    fn four_bit_formats_mx_and_double_quant(
        w in prop::collection::vec(ext_f32(), 0..70),
        block in ext_usize(), block2 in ext_usize(), code_bits in any::<u8>(),
        rows in small_usize(), cols in small_usize(), group in small_usize(),
        fmt in weight_format(), big in (ext_usize(), ext_usize()),
    ) {
        bounded("4-bit formats", move || {
            for code in [Code4::Nf4, Code4::Fp4E2M1] {
                for &x in w.iter().take(4) {
                    let _ = code.encode(x, x.abs());
                    let _ = code.decode(code_bits, x);
                }
                if let Ok(b) = Blockwise4::quantize(&w, code, block) {
                    let _ = b.dequantize();
                    for dq in [DqCode::Int8, DqCode::Fp8E4M3] {
                        if let Ok(d) = b.clone().with_double_quant(block2, dq) {
                            let v = d.dequantize();
                            assert!(v.iter().all(|x| !x.is_nan()), "{v:?}");
                        }
                    }
                }
            }
            for dq in [DqCode::Int8, DqCode::Fp8E4M3] {
                if let Ok(d) = DoubleQuantized::quantize(&w, block2, dq) {
                    assert!(d.dequantize().iter().all(|x| x.is_finite()));
                }
            }
            if let Ok(g) = Int4Grouped::quantize(&w, rows, cols, group, code_bits % 2 == 0) {
                let _ = g.dequantize();
            }
            for e in MxElement::ALL {
                let _ = e.decode(code_bits);
                if let Ok(blocks) = mx_quantize(&w, e) {
                    let _ = arithsim::quant::mx_dequantize(&blocks);
                }
            }
            let _ = fmt.matrix_bits(big.0, big.1);
            let _ = fmt.bits_per_weight(big.0, big.1);
            let _ = fmt.round_trip(&w, rows, cols);
        });
    }

    #[test]
    fn pruners(
        w in prop::collection::vec(ext_f64(), 0..24),
        density in ext_f64(), rows in small_usize(), cols in small_usize(),
        n in ext_usize(), m in ext_usize(),
    ) {
        bounded("pruning", move || {
            let _ = prune_unstructured(&w, density);
            let _ = prune_rows(&w, rows, cols, density);
            let _ = prune_n_m(&w, rows, cols, n, m);
            let _ = prune_global(&[&w[..], &w[..w.len() / 2]], density);
        });
    }

    #[test]
    fn synthetic_tensors(n in ext_usize(), std in ext_f64(), seed in any::<u64>(), dof in ext_u32()) {
        bounded("synthetic", move || {
            let n = if n > arithsim::limits::DATAPATH_MAX_TENSOR_ELEMENTS { n } else { n % 5000 };
            let _ = normal_tensor(n, std, seed);
            let _ = arithsim::quant::student_t_tensor(n, dof, std, seed);
        });
    }

    // --- accel ----------------------------------------------------------------------------

    #[test]
    fn arrays_and_mapping(
        rows in ext_u32(), cols in ext_u32(), mul in ext_u32(), acc in ext_u32(),
        fk in (float_kind(), float_kind()), clock in ext_f64(), sram in ext_u64(),
        ports in (ext_u32(), ext_u32()), dram in ext_f64(), ws in any::<bool>(),
        m in ext_usize(), n in ext_usize(), k in ext_usize(), float in any::<bool>(),
        mode in prop_oneof![
            Just(SparseMode::Dense),
            (ext_usize(), ext_usize()).prop_map(|(n, m)| SparseMode::NM { n, m }),
            (ext_f64(), any::<bool>()).prop_map(|(density, ideal)| SparseMode::Unstructured {
                density,
                balance: if ideal { LoadBalance::Ideal } else { LoadBalance::Lockstep },
            }),
        ],
    ) {
        bounded("mapping", move || {
            let mut a = fsd_npu();
            a.rows = rows;
            a.cols = cols;
            a.arithmetic = if float {
                MacArithmetic::Float { mul: fk.0, acc: fk.1 }
            } else {
                MacArithmetic::Int { mul_bits: mul, acc_bits: acc }
            };
            a.clock_hz = clock;
            a.sram_bytes = sram;
            a.act_bytes_per_cycle = ports.0;
            a.weight_bytes_per_cycle = ports.1;
            a.dram_bytes_per_s = dram;
            if ws {
                a = a.with_dataflow(Dataflow::WeightStationary);
            }
            let table = CostTable::horowitz_45nm();
            let _ = a.mac_energy_pj(&table);
            let _ = a.compute_tops_per_watt(&table);
            if let Ok(lm) = map_gemm(&a, GemmShape { m, n, k }) {
                let _ = lm.energy(&table);
                let _ = lm.sram_read_bytes();
            }
            let layers = [
                Layer {
                    name: "fc".into(),
                    kind: LayerKind::FullyConnected { batch: n, inputs: k, outputs: m },
                },
                Layer {
                    name: "mm".into(),
                    kind: LayerKind::MatMul { count: n, m, n: k, k: m },
                },
                Layer {
                    name: "ew".into(),
                    kind: LayerKind::Elementwise {
                        op: arithsim::accel::ElementwiseOp::Softmax,
                        elems: m,
                    },
                },
            ];
            for l in &layers {
                let _ = map_layer(&a, l);
                let _ = map_layer_sparse(&a, l, mode);
            }
            let net = arithsim::accel::Network { name: "n".into(), layers: layers.to_vec() };
            let _ = arithsim::accel::map_network(&a, &net);
            let _ = arithsim::accel::map_network_sparse(&a, &net, mode);
        });
    }

    #[test]
    fn transformers_lora_decode(
        dims in prop::collection::vec(ext_usize(), 7),
        rank in ext_usize(), seq in ext_u64(), batch in ext_u64(), bits in ext_u64(),
        fmt in weight_format(), targets in prop::collection::vec(
            prop_oneof![Just("q"), Just("k"), Just("v"), Just("o"), Just("gate"), Just("up"),
                        Just("down"), Just("x")],
            0..9,
        ),
    ) {
        bounded("transformer", move || {
            let mut spec = Transformer::llama_7b().spec().clone();
            spec.hidden = dims[0];
            spec.layers = dims[1];
            spec.heads = dims[2];
            spec.kv_heads = dims[3];
            spec.ffn = dims[4];
            spec.vocab = dims[5];
            spec.token_types = dims[6];
            let table = CostTable::horowitz_45nm();
            for m in [Transformer::new(spec).ok(), Some(Transformer::llama_7b())].into_iter().flatten() {
                let cfg = LoraConfig { rank, targets: targets.clone() };
                let act = ActivationModel { seq, batch };
                let _ = m.lora_params(&cfg);
                if let Ok(f) = m.full_finetune_memory(act) {
                    assert!(f.total().is_ok());
                }
                if let Ok(f) = m.lora_memory(&cfg, fmt, act) {
                    assert!(f.total().is_ok());
                }
                let _ = m.weight_memory(fmt);
                let _ = m.kv_cache_bytes(seq, batch, bits);
                let _ = m.decode_macs(seq);
                let _ = m.decode_cost(fmt, DecodeParams { context: seq, batch, bits_per_kv: bits }, &table);
                let (s, b) = ((seq % 4096) as usize, (batch % 8) as usize);
                if let Ok(net) = m.sequence_network(s, b) {
                    let _ = arithsim::accel::map_network(&fsd_npu(), &net);
                }
                let _ = m.decode_network(s, b);
                let _ = m.sequence_network(seq as usize, batch as usize);
            }
        });
    }
}

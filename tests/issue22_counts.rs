//! Regression tests for issue 22 ("never a panic, never a silent wrong answer"), the quant /
//! accel / cost / datapath half: one test per defect, its story in the doc comment. Each
//! failed (or, where said, panicked under overflow checks) before its fix.

use arithsim::Error;
use arithsim::Signedness;
use arithsim::accel::DecodeParams;
use arithsim::accel::{
    ActivationModel, Layer, LayerKind, LoraConfig, Network, SparseMode, Transformer, fsd_npu,
    map_gemm, map_network, map_network_sparse,
};
use arithsim::cost::{CostTable, FloatKind, MemLevel, OpKind, Span, Tally};
use arithsim::datapath::{Bias, GemmOperands, LayerOperands};
use arithsim::datapath::{
    ErrorStats, GemmShape, IntArith, IntDatapath, MemoryModel, OutputGrid, Overflow, Tile,
};
use arithsim::limits;
use arithsim::quant::{
    Code4, DoubleQuantized, DqCode, FusedActivation, IntType, MxElement, QuantLayerParams,
    QuantParams, QuantizedMultiplier, Requantization, WeightParams, prune_n_m, prune_rows,
    prune_unstructured, quantized_gemm,
};

fn layer_params(s_in: f64, s_w: f64, s_out: f64) -> QuantLayerParams {
    QuantLayerParams {
        input: QuantParams::new(s_in, 0, IntType::Int8).unwrap(),
        weights: WeightParams::PerTensor(QuantParams::new(s_w, 0, IntType::Int8).unwrap()),
        output: QuantParams::new(s_out, 0, IntType::Int8).unwrap(),
        activation: FusedActivation::None,
        requantization: Requantization::DoubleRounding,
    }
}

/// `from_real(1e12)` gave shift 40; the requantization clamped the left shift to 31 and
/// wrapped, so a GEMM with scales 1e6 × 1e6 / 1 returned −128 where the saturated 127 is
/// right. The shift is now bounded (`QUANT_MULTIPLIER_MAX_SHIFT`): an error, never a value.
#[test]
fn quantized_multiplier_shift_is_bounded() {
    let e = QuantizedMultiplier::from_real(1e12).unwrap_err();
    assert!(matches!(e, Error::OutOfRange { .. }), "{e}");
    assert!(e.to_string().contains("QUANT_MULTIPLIER_MAX_SHIFT"), "{e}");
    let p = layer_params(1e6, 1e6, 1.0);
    let shape = GemmShape::new(1, 1, 1).unwrap();
    assert!(
        quantized_gemm(
            &p,
            shape,
            LayerOperands {
                weights: &[1],
                input: &[1]
            },
            Bias::None
        )
        .is_err()
    );
    // The largest allowed multiplier is still accepted.
    let m = QuantizedMultiplier::from_real(1e9).unwrap();
    assert_eq!(m.shift, limits::QUANT_MULTIPLIER_MAX_SHIFT);
}

/// With a multiplier of ~1e9 (shift 30) an accumulator of 2 was shifted left to 2^31, which
/// wrapped to −2^31 and came out as −128; the saturated 127 is right (2e9 ≫ 127).
#[test]
fn requantization_left_shift_saturates_in_the_gemm() {
    let p = layer_params(1e4, 1e5, 1.0); // M = 1e9
    let shape = GemmShape::new(1, 1, 1).unwrap();
    assert_eq!(
        quantized_gemm(
            &p,
            shape,
            LayerOperands {
                weights: &[1],
                input: &[2]
            },
            Bias::None
        )
        .unwrap()
        .values,
        [127]
    );
    assert_eq!(
        quantized_gemm(
            &p,
            shape,
            LayerOperands {
                weights: &[-1],
                input: &[2]
            },
            Bias::None
        )
        .unwrap()
        .values,
        [-128]
    );
    // Small products are unchanged: 1 · 1 · 1e9 saturates too, 0 stays 0.
    assert_eq!(
        quantized_gemm(
            &p,
            shape,
            LayerOperands {
                weights: &[0],
                input: &[2]
            },
            Bias::None
        )
        .unwrap()
        .values,
        [0]
    );
}

/// `map_gemm` of a 2^21 × 2^21 × 2^21 GEMM (2^63 MACs, a valid shape) reported 0 SRAM and
/// DRAM bytes: the byte counts wrapped in u64. Now an error names the count.
#[test]
fn map_gemm_huge_shape_is_an_error_not_zero_bytes() {
    let npu = fsd_npu();
    let s = GemmShape::new(1 << 21, 1 << 21, 1 << 21).unwrap();
    let e = map_gemm(&npu, s).unwrap_err();
    assert!(e.to_string().contains("count of"), "{e}");
    // A large shape that fits still maps, with non-zero traffic.
    let ok = map_gemm(&npu, GemmShape::new(1 << 14, 1 << 14, 1 << 14).unwrap()).unwrap();
    assert!(ok.sram_read_bytes() > 0 && ok.dram_read_bytes > 0);
}

/// A network whose layers each fit but whose totals do not: `NetworkMapping::macs()` summed
/// with `+` and wrapped. `map_network` now checks the sums.
#[test]
fn network_totals_are_checked() {
    let big = Layer {
        name: "fc".into(),
        kind: LayerKind::MatMul {
            count: 1,
            m: 1 << 21,
            n: 1 << 22,
            k: 1 << 16,
        },
    };
    let net = Network {
        name: "wide".into(),
        layers: vec![big; 40],
    };
    assert!(arithsim::accel::map_layer(&fsd_npu(), &net.layers[0]).is_ok());
    match map_network(&fsd_npu(), &net) {
        Ok(m) => panic!("totals wrapped: {} MACs", m.macs()),
        Err(e) => assert!(e.to_string().contains("count of"), "{e}"),
    }
}

/// A model whose parameter count fits u64 but whose LoRA count at full rank does not
/// (LoRA adds up to 2× the linear weights): `lora_params` wrapped in release.
#[test]
fn lora_params_overflow_is_an_error() {
    let mut spec = Transformer::llama_7b().spec().clone();
    spec.hidden = 1 << 30;
    spec.ffn = 1 << 31;
    spec.heads = 1;
    spec.kv_heads = 1;
    spec.layers = 1;
    spec.vocab = 1;
    let m = Transformer::new(spec).unwrap();
    let e = m.lora_params(&LoraConfig::all_linear(1 << 30)).unwrap_err();
    assert!(e.to_string().contains("LoRA parameters"), "{e}");
}

/// Full fine-tuning of LLaMA-65B with an absurd sequence × batch: the activations saturated
/// at u64::MAX and `total()` wrapped to a plausible 783 GB. Both are now errors.
#[test]
fn full_finetune_total_is_checked() {
    let m = Transformer::llama_65b();
    let act = ActivationModel {
        seq: 1 << 40,
        batch: 1 << 40,
    };
    assert!(m.full_finetune_memory(act).is_err());
    assert!(m.checkpointed_activation_bytes(act).is_err());
    let fine = m.full_finetune_memory(ActivationModel::QLORA_FIG6).unwrap();
    let parts: u128 = fine.parts().iter().map(|&(_, b)| b as u128).sum();
    assert_eq!(fine.total().unwrap() as u128, parts);
}

/// `kv_cache_bytes` and `kv_cache_elems` saturated at u64::MAX, a number that looks like a
/// (huge) answer; `decode_cost` then priced it.
#[test]
fn kv_cache_and_decode_counts_are_checked() {
    let m = Transformer::llama_7b();
    assert!(m.kv_cache_elems(u64::MAX, 2).is_err());
    assert!(m.kv_cache_bytes(1 << 40, 1 << 20, 16).is_err());
    assert!(m.decode_macs(u64::MAX).is_err());
    let t = CostTable::horowitz_45nm();
    assert!(
        m.decode_cost(
            arithsim::quant::WeightFormat::FP16,
            DecodeParams {
                context: 1 << 40,
                batch: 1 << 20,
                bits_per_kv: 16
            },
            &t
        )
        .is_err()
    );
    assert_eq!(m.kv_cache_bytes(1, 1, 16).unwrap(), 524_288);
}

/// A NaN end of an energy range became the range 1..1: `f64::min` drops the NaN.
#[test]
fn nan_in_an_energy_range_is_an_error() {
    let csv = "operation,energy,energy_unit,node_nm,voltage_v,source\n\
               8-bit int add,NaN..1,pJ,45,0.9,s\n";
    let e = CostTable::from_csv_str(csv, "t.csv").unwrap_err();
    assert!(e.to_string().contains("energy"), "{e}");
    let toml = "[[row]]\noperation = \"8-bit int add\"\nenergy = [nan, 1]\n\
                energy_unit = \"pJ\"\nnode_nm = 45\nvoltage_v = 0.9\nsource = \"s\"\n";
    let e = CostTable::from_toml_str(toml, "t.toml").unwrap_err();
    assert!(e.to_string().contains("energy"), "{e}");
    assert!(Span::try_range(f64::NAN, 1.0).is_err());
    assert!(Span::range(f64::NAN, 1.0).lo.is_nan());
    assert!(Span::range(1.0, f64::NAN).hi.is_nan());
}

/// Double quantization of constants near f32::MAX reconstructed an infinite absmax.
#[test]
fn double_quantized_near_f32_max_stays_finite() {
    for code in [DqCode::Int8, DqCode::Fp8E4M3] {
        let c = [f32::MAX, f32::MAX, 0.0, f32::MAX / 3.0];
        let dq = DoubleQuantized::quantize(&c, 256, code).unwrap();
        for (v, orig) in dq.dequantize().iter().zip(c) {
            assert!(v.is_finite(), "{code:?}: {v}");
            assert!((f64::from(*v) - f64::from(orig)).abs() <= 0.02 * f64::from(f32::MAX));
        }
    }
}

/// `Code4::encode(NaN, …)` returned a valid code (NF4: 0, the code of −1).
#[test]
fn code4_encode_of_nan_is_an_error() {
    for code in [Code4::Nf4, Code4::Fp4E2M1] {
        assert!(code.encode(f32::NAN, 1.0).is_err());
        assert!(code.encode(f32::INFINITY, 1.0).is_err());
        assert!(code.encode(0.5, f32::NAN).is_err());
        assert!(code.encode(0.5, -1.0).is_err());
        assert!(code.decode(16, 1.0).is_err());
        assert!(code.encode(0.5, 1.0).is_ok());
    }
}

/// Pruning rejected NaN weights but accepted ±inf, which always ranks first and turns a row
/// norm infinite.
#[test]
fn pruning_rejects_infinite_weights() {
    let w = [1.0f64, f64::INFINITY, 3.0, 4.0];
    assert!(prune_unstructured(&w, 0.5).is_err());
    assert!(prune_rows(&w, 2, 2, 0.5).is_err());
    assert!(prune_n_m(&[1.0f64, f64::NEG_INFINITY], 1, 2, 1, 2).is_err());
    // Row norms of f64 weights near 1e200 are ranked right (they overflowed to equal inf).
    let big = [1e200f64, 1e200, 2e200, 2e200];
    assert_eq!(
        prune_rows(&big, 2, 2, 0.5).unwrap().values,
        [0.0, 0.0, 2e200, 2e200]
    );
}

/// `MxElement::decode` ignored the bits above the element width: 0b1_0111 decoded as FP4 6.0.
#[test]
fn mx_decode_rejects_bits_above_the_element_width() {
    assert!(MxElement::Fp4E2M1.decode(0b1_0111).is_err());
    assert!(MxElement::Fp6E3M2.decode(0b0100_0000).is_err());
    assert_eq!(MxElement::Fp4E2M1.decode(0b0111).unwrap(), 6.0);
    assert_eq!(MxElement::Int8.decode(0xff).unwrap(), -1.0 / 64.0);
}

/// `FloatKind::new(u32::MAX, u32::MAX)` got a price (its width wrapped in release and
/// panicked under overflow checks).
#[test]
fn absurd_float_kinds_have_no_price() {
    let t = CostTable::horowitz_45nm();
    let k = FloatKind::new(u32::MAX, u32::MAX);
    assert_eq!(k.width(), u32::MAX);
    assert!(t.price(OpKind::FpAdd { format: k }).is_err());
    assert!(t.price(OpKind::FpMul { format: k }).is_err());
    assert!(t.price(OpKind::FpFma { format: k }).is_err());
    assert!(
        t.price(OpKind::FpAdd {
            format: FloatKind::new(8, 200)
        })
        .is_err()
    );
    assert!(
        t.price(OpKind::FpAdd {
            format: FloatKind::FP16
        })
        .is_ok()
    );
}

/// A 0-byte SRAM was accepted by `MemoryModel` as a local or backing level.
#[test]
fn zero_byte_sram_is_rejected() {
    let tile = Tile { m: 1, n: 1, k: 1 };
    assert!(MemoryModel::new(MemLevel::Dram, MemLevel::Sram { bytes: 0 }, tile).is_err());
    assert!(MemoryModel::new(MemLevel::Sram { bytes: 0 }, MemLevel::RegisterFile, tile).is_err());
    assert!(MemoryModel::new(MemLevel::Dram, MemLevel::Sram { bytes: 1 << 10 }, tile).is_ok());
}

/// `LoraConfig { targets: ["q", "q"] }` counted the q adapter twice.
#[test]
fn repeated_lora_target_is_an_error() {
    let m = Transformer::llama_7b();
    let cfg = LoraConfig {
        rank: 8,
        targets: vec!["q", "v", "q"],
    };
    let e = m.lora_params(&cfg).unwrap_err();
    assert!(e.to_string().contains("named twice"), "{e}");
}

/// `SparseMode::NM { n: 1, m: 2^40 }` was accepted by `map_network_sparse` (every layer
/// silently ran dense) although `prune_n_m` rejects it.
#[test]
fn huge_nm_group_is_rejected() {
    let net = Network::resnet50_v1_5(1).unwrap();
    let mode = SparseMode::NM { n: 1, m: 1 << 40 };
    let e = map_network_sparse(&fsd_npu(), &net, mode).unwrap_err();
    assert!(e.to_string().contains("SPARSE_NM_MAX_M"), "{e}");
    assert!(mode.validate().is_err());
}

/// `ErrorStats` squared before summing: values near 1e-200 underflowed to 0/0 and read as
/// exact (SQNR +inf), values near 1e200 overflowed to inf/inf = NaN.
#[test]
fn error_stats_scale_before_squaring() {
    let grid = OutputGrid::Uniform { step: 1.0 };
    let expect = 10.0 * (5.0f64 / 0.01).log10(); // Σr² = 1 + 4, Σe² = 0.01
    for s in [1e-200, 1.0, 1e200] {
        let r = [1.0 * s, 2.0 * s];
        let a = [1.1 * s, 2.0 * s];
        let st = ErrorStats::compare(&a, &r, grid).unwrap();
        assert!((st.sqnr_db - expect).abs() < 1e-9, "{s}: {}", st.sqnr_db);
        let rms = 0.1 * s / 2f64.sqrt();
        assert!((st.rms - rms).abs() <= 1e-12 * rms, "{s}: {}", st.rms);
    }
}

/// The value range of a 64-bit signed or 63-bit unsigned accumulator was computed as
/// `-(1 << 63)` and `(1 << 63) - 1`, which overflow: a panic in debug builds and under the
/// `overflow` profile (release wrapped to the right value by accident).
#[test]
fn widest_accumulators_saturate_without_overflow() {
    for (bits, signedness) in [(64, Signedness::Signed), (63, Signedness::Unsigned)] {
        let a = IntArith::new(32, bits, signedness, Overflow::Saturating).unwrap();
        let (lo, hi) = a.acc_range();
        if signedness.is_signed() {
            assert_eq!((lo, hi), (i64::MIN, i64::MAX));
        } else {
            assert_eq!((lo, hi), (0, i64::MAX));
        }
        let dp = IntDatapath::new(a).unwrap();
        let x: i64 = if signedness.is_signed() {
            -(1 << 31)
        } else {
            (1 << 32) - 1
        };
        let out = dp
            .gemm(
                GemmShape::new(1, 1, 4).unwrap(),
                GemmOperands {
                    a: &[x; 4],
                    b: &[x; 4],
                },
                arithsim::datapath::Bias::None,
            )
            .unwrap();
        assert!(out.values[0] > 0);
    }
}

/// `student_t_tensor(2^28, 1000, …)` passed the size check and drew 2.7·10^11 normals (a
/// hang of hours). Its samples now come from `rand_distr::StudentT` (one normal and one
/// gamma draw each, whatever `dof`), so the work is bounded by the tensor limit on `n`, as
/// for `normal_tensor`.
#[test]
fn student_t_work_is_bounded() {
    let limit = arithsim::limits::DATAPATH_MAX_TENSOR_ELEMENTS;
    let e = arithsim::quant::student_t_tensor(limit + 1, 1000, 1.0, 1).unwrap_err();
    assert!(
        e.to_string().contains("DATAPATH_MAX_TENSOR_ELEMENTS"),
        "{e}"
    );
    assert!(arithsim::quant::normal_tensor(usize::MAX, 1.0, 1).is_err());
    // 1000 degrees of freedom cost no more per sample than 3.
    let start = std::time::Instant::now();
    let w = arithsim::quant::student_t_tensor(100_000, 1000, 1.0, 1).unwrap();
    assert_eq!(w.len(), 100_000);
    assert!(start.elapsed().as_secs_f64() < 5.0, "{:?}", start.elapsed());
}

/// Loading a cost table was quadratic (each row searched all earlier rows and counted the
/// newlines before it): 20,000 rows took 10 s (CSV) and 29 s (TOML). The bench
/// (`cargo bench --bench cost_tables`) measures 100,000 rows; this bound is loose.
#[test]
fn loading_twenty_thousand_rows_is_fast() {
    let (csv, toml) = synthetic_tables(20_000);
    let t0 = std::time::Instant::now();
    assert_eq!(
        CostTable::from_csv_str(&csv, "big.csv")
            .unwrap()
            .rows()
            .len(),
        20_000
    );
    assert_eq!(
        CostTable::from_toml_str(&toml, "big.toml")
            .unwrap()
            .rows()
            .len(),
        20_000
    );
    // Quadratic loading took 39 s for these two tables; linear takes a fraction of a second
    // (10 s leaves room for a loaded machine and the overflow-checked profile).
    assert!(t0.elapsed().as_secs_f64() < 10.0, "{:?}", t0.elapsed());
}

/// `n` distinct rows as CSV and as TOML: integer MACs of every operand and accumulator width.
fn synthetic_tables(n: usize) -> (String, String) {
    let mut csv = String::from("operation,energy,energy_unit,node_nm,voltage_v,source\n");
    let mut toml = String::new();
    for i in 0..n {
        let op = format!("{}-bit int MAC, {}-bit acc", 1 + i % 4096, 1 + i / 4096);
        csv.push_str(&format!("\"{op}\",0.1..0.2,pJ,45,0.9,synthetic\n"));
        toml.push_str(&format!(
            "[[row]]\noperation = \"{op}\"\nenergy = [0.1, 0.2]\nenergy_unit = \"pJ\"\n\
             node_nm = 45\nvoltage_v = 0.9\nsource = \"synthetic\"\n"
        ));
    }
    (csv, toml)
}

/// `CostTable::load("/nonexistent")` said "unknown table format" (the extension was checked
/// first): it now says the file cannot be read.
#[test]
fn missing_table_file_is_reported_as_missing() {
    for p in ["/nonexistent", "/nonexistent/t.toml"] {
        let e = CostTable::load(p).unwrap_err();
        assert!(matches!(e, Error::Io { .. }), "{e}");
        assert!(e.to_string().contains("No such file"), "{e}");
    }
}

/// An unquoted comma in a CSV row gave only the csv crate's "found record with 7 fields"
/// message.
#[test]
fn unquoted_comma_in_csv_says_to_quote() {
    let csv = "operation,energy,energy_unit,node_nm,voltage_v,source\n\
               8-bit int add,0.03,pJ,45,0.9,Horowitz, ISSCC 2014\n";
    let e = CostTable::from_csv_str(csv, "t.csv")
        .unwrap_err()
        .to_string();
    assert!(e.contains("double quotes"), "{e}");
    let quoted = "operation,energy,energy_unit,node_nm,voltage_v,source\n\
                  8-bit int add,0.03,pJ,45,0.9,\"Horowitz, ISSCC 2014\"\n";
    assert!(CostTable::from_csv_str(quoted, "t.csv").is_ok());
}

/// A tally's counts saturated silently (the docs said so, the type did not): the
/// saturation is now visible and pricing refuses the saturated counts.
#[test]
fn saturated_tally_is_visible_and_not_priced() {
    let op = OpKind::IntAdd { bits: 8 };
    let mut t = Tally::new();
    t.add(op, u64::MAX);
    t.add(op, 1);
    assert!(t.is_saturated() && t.check().is_err());
    let est = CostTable::horowitz_45nm().estimate(&t);
    assert_eq!(est.energy_pj, Span::exact(0.0));
    assert_eq!(est.unpriced.len(), 1);
    assert!(arithsim::accel::EnergyBreakdown::from_table(&t, &CostTable::horowitz_45nm()).is_err());
}

// --- found in the fresh hostile-input pass --------------------------------------------------

/// `Conv2dShape::validate` multiplied `(C/groups)·KH·KW` unchecked before its MAC check: a
/// 2^40 × 2^40 kernel on a padded 2^40 input overflowed (a panic in debug builds).
#[test]
fn conv_reduction_overflow_is_an_error() {
    let s = arithsim::datapath::Conv2dShape {
        batch: 1,
        in_channels: 1,
        in_height: 1 << 40,
        in_width: 1 << 40,
        out_channels: 1,
        kernel_height: 1 << 40,
        kernel_width: 1 << 40,
        stride: (1, 1),
        padding: (0, 0),
        dilation: (1, 1),
        groups: 1,
    };
    assert!(s.validate().is_err());
}

/// A GEMM of 65536 × 1 by 1 × 65536 has operand slices of 64 Ki elements but a 2^32-element
/// output: the kernel allocated 32 GiB and the process aborted. The output is now checked
/// against `DATAPATH_MAX_TENSOR_ELEMENTS` first.
#[test]
fn huge_kernel_output_is_refused_before_allocation() {
    let dp = IntDatapath::new(IntArith::INT8_INT32).unwrap();
    let a = vec![1i8; 1 << 16];
    let e = dp
        .gemm(
            GemmShape::new(1 << 16, 1 << 16, 1).unwrap(),
            GemmOperands { a: &a, b: &a },
            arithsim::datapath::Bias::None,
        )
        .unwrap_err();
    assert!(
        e.to_string().contains("DATAPATH_MAX_TENSOR_ELEMENTS"),
        "{e}"
    );
}

/// A DRAM bandwidth of 1e-300 B/s gave DRAM cycles of `inf as u64` = `u64::MAX`, silently.
#[test]
fn dram_cycles_from_a_tiny_bandwidth_are_an_error() {
    let mut npu = fsd_npu();
    npu.dram_bytes_per_s = 1e-300;
    let e = map_gemm(&npu, GemmShape::new(64, 64, 64).unwrap()).unwrap_err();
    assert!(e.to_string().contains("DRAM cycles"), "{e}");
}

/// An element-wise layer of `usize::MAX` elements overflowed `inputs · elems` (a panic under
/// overflow checks, a wrapped count in release).
#[test]
fn huge_elementwise_layer_is_an_error() {
    let l = Layer {
        name: "add".into(),
        kind: LayerKind::Elementwise {
            op: arithsim::accel::ElementwiseOp::ResidualAdd,
            elems: usize::MAX,
        },
    };
    assert!(l.validate().is_err());
    assert!(arithsim::accel::map_layer(&fsd_npu(), &l).is_err());
}

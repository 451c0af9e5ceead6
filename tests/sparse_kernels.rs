//! Sparse kernels against the dense kernels on the same pruned tensors (bit for bit), their
//! MAC and traffic counts by hand, and zero-gating's saving in the gate-level energy.

mod support;

use arithsim::Signedness;
use arithsim::cost::{MemLevel, OpKind};
use arithsim::datapath::Conv2dDims;
use arithsim::datapath::LayerOperands;
use arithsim::datapath::sparse::{Layout, SparseMatrix, ZeroHandling};
use arithsim::datapath::{
    AccumulationOrder, Bias, Conv2dShape, Engine, GemmOperands, GemmShape, IntArith, IntDatapath,
    MemoryModel, Overflow, Tile,
};
use arithsim::gates::CellLibrary;
use arithsim::quant::{prune_n_m, prune_unstructured};
use support::data_i8;

const LAYOUTS: [Layout; 6] = [
    Layout::Dense,
    Layout::Bitmap,
    Layout::Csr,
    Layout::Csc,
    Layout::NM { n: 2, m: 4 },
    Layout::NM { n: 1, m: 4 },
];

/// A pruned `m × k` matrix that fits `layout`.
fn pruned(layout: Layout, m: usize, k: usize, seed: u64) -> Vec<i8> {
    let a = data_i8(m * k, seed);
    match layout {
        Layout::NM { n, m: g } => prune_n_m(&a, m, k, n, g).unwrap().values,
        _ => prune_unstructured(&a, 0.3).unwrap().values,
    }
}

#[test]
fn sparse_gemm_equals_dense_gemm_on_the_pruned_matrix() {
    let (m, n, k) = (7, 9, 24);
    let b = data_i8(k * n, 11);
    let bias: Vec<i64> = (0..m as i64).map(|i| i * 1000 - 3000).collect();
    let configs = [
        IntArith::INT8_INT32,
        IntArith::new(8, 16, Signedness::Signed, Overflow::Saturating).unwrap(),
        IntArith::new(8, 18, Signedness::Signed, Overflow::Wrapping).unwrap(),
        IntArith::new(8, 40, Signedness::Signed, Overflow::Wrapping).unwrap(),
    ];
    for arith in configs {
        let dp = IntDatapath::new(arith).unwrap();
        for layout in LAYOUTS {
            let a = pruned(layout, m, k, 5);
            let s = SparseMatrix::from_dense(layout, m, k, &a).unwrap();
            for bias in [Bias::None, Bias::PerRow(&bias)] {
                let dense = dp
                    .gemm(
                        GemmShape::new(m, n, k).unwrap(),
                        GemmOperands { a: &a, b: &b },
                        bias,
                    )
                    .unwrap();
                for zeros in [ZeroHandling::Skip, ZeroHandling::Gate] {
                    let sp = dp.sparse_gemm(&s, &b, n, bias, zeros).unwrap();
                    assert_eq!(sp.output.values, dense.values, "{arith:?} {layout}");
                    assert_eq!(sp.output.saturations, dense.saturations);
                    let nz = a.iter().filter(|&&x| x != 0).count() as u64;
                    let st = sp.stats;
                    assert_eq!(st.dense_macs, (m * n * k) as u64);
                    // Skipping issues the stored entries (stored zeros included), gating
                    // computes only the non-zeros; the tally counts what computed.
                    let computed = match zeros {
                        ZeroHandling::Skip => s.stored() as u64 * n as u64,
                        ZeroHandling::Gate => nz * n as u64,
                    };
                    assert_eq!(st.computed_macs(), computed);
                    let mac = OpKind::IntMac {
                        mul_bits: 8,
                        acc_bits: arith.acc_bits,
                    };
                    assert_eq!(sp.output.tally.count(mac), computed);
                    match zeros {
                        ZeroHandling::Skip => {
                            assert_eq!(st.issued_macs, (s.stored() * n) as u64);
                            assert_eq!(st.gated_macs, 0);
                        }
                        ZeroHandling::Gate => {
                            assert_eq!(st.issued_macs, st.dense_macs);
                            assert_eq!(st.skipped_macs(), 0);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn two_four_issues_half_the_macs() {
    let (m, n, k) = (8, 5, 32);
    let a = pruned(Layout::NM { n: 2, m: 4 }, m, k, 3);
    let s = SparseMatrix::from_dense(Layout::NM { n: 2, m: 4 }, m, k, &a).unwrap();
    let dp = IntDatapath::new(IntArith::INT8_INT32).unwrap();
    let out = dp
        .sparse_gemm(&s, &data_i8(k * n, 4), n, Bias::None, ZeroHandling::Skip)
        .unwrap();
    assert_eq!(out.stats.issued_macs * 2, out.stats.dense_macs);
    assert_eq!(out.stats.skipped_macs(), (m * n * k / 2) as u64);
}

#[test]
fn sparse_conv2d_equals_dense_conv2d() {
    let shape = Conv2dShape::new(Conv2dDims {
        batch: 2,
        in_channels: 4,
        in_height: 6,
        in_width: 5,
        out_channels: 6,
        kernel_height: 3,
        kernel_width: 3,
    })
    .unwrap()
    .with_padding(1, 1)
    .unwrap()
    .with_groups(2)
    .unwrap();
    let (o, kr) = (shape.out_channels, shape.reduction_len()); // 6 x 18
    let x = data_i8(shape.input_len(), 21);
    let bias: Vec<i64> = (0..o as i64).map(|i| 7 - i * 5).collect();
    let dp = IntDatapath::new(IntArith::INT8_INT32).unwrap();
    for layout in [Layout::Csr, Layout::Bitmap, Layout::NM { n: 1, m: 3 }] {
        let w = pruned(layout, o, kr, 9);
        let s = SparseMatrix::from_dense(layout, o, kr, &w).unwrap();
        let want = support::ref_conv(&shape, &x, &w, &bias);
        let dense = dp
            .conv2d(
                &shape,
                LayerOperands {
                    weights: &w,
                    input: &x,
                },
                Bias::PerRow(&bias),
            )
            .unwrap();
        assert_eq!(dense.values, want);
        let sp = dp
            .sparse_conv2d(&shape, &x, &s, Bias::PerRow(&bias), ZeroHandling::Skip)
            .unwrap();
        assert_eq!(sp.output.values, want, "{layout}");
        // The per-position and full layouts match the dense kernel's.
        let (oh, ow) = shape.output_hw();
        let position: Vec<i64> = (0..shape.batch * oh * ow).map(|i| i as i64 - 40).collect();
        let full: Vec<i64> = (0..shape.output_len())
            .map(|i| 3 * i as i64 - 500)
            .collect();
        for b in [Bias::PerColumn(&position), Bias::Full(&full)] {
            let ops = LayerOperands {
                weights: &w,
                input: &x,
            };
            let dense = dp.conv2d(&shape, ops, b).unwrap();
            let sp = dp
                .sparse_conv2d(&shape, &x, &s, b, ZeroHandling::Skip)
                .unwrap();
            assert_eq!(sp.output.values, dense.values, "{layout} {b:?}");
        }
        assert_eq!(sp.stats.dense_macs, shape.macs());
        let (oh, ow) = shape.output_hw();
        assert_eq!(
            sp.stats.issued_macs,
            (s.stored() * shape.batch * oh * ow) as u64
        );
    }
    let s = SparseMatrix::from_dense(Layout::Csr, o, kr + 1, &vec![1i8; o * (kr + 1)]).unwrap();
    let e = dp
        .sparse_conv2d(&shape, &x, &s, Bias::None, ZeroHandling::Skip)
        .unwrap_err();
    assert!(e.to_string().contains("expected out_channels"), "{e}");
}

#[test]
fn compressed_traffic_by_hand() {
    // 4 x 8 weights 2:4 (16 values, 16 two-bit indices = 4 bytes), B 8 x 6, tile 4 x 3 x 8:
    // two column tiles, so A's values and metadata are fetched twice.
    let a = pruned(Layout::NM { n: 2, m: 4 }, 4, 8, 1);
    let s = SparseMatrix::from_dense(Layout::NM { n: 2, m: 4 }, 4, 8, &a).unwrap();
    let mem = MemoryModel::new(
        MemLevel::Dram,
        MemLevel::RegisterFile,
        Tile { m: 4, n: 3, k: 8 },
    )
    .unwrap();
    let dp = IntDatapath::new(IntArith::INT8_INT32)
        .unwrap()
        .with_memory(mem)
        .unwrap();
    let b = data_i8(48, 2);
    let out = dp
        .sparse_gemm(&s, &b, 6, Bias::None, ZeroHandling::Skip)
        .unwrap();
    let t = &out.output.tally;
    let rd = |level, bits| t.count(OpKind::MemRead { level, bits });
    // DRAM: A 2 x 16 values; B 48 once (one row tile); metadata 2 x 4 bytes.
    assert_eq!(rd(MemLevel::Dram, 8), 32 + 48 + 8);
    // Local: one A read per issued MAC (16 x 6), one B read per computed MAC, metadata 8.
    let nz = a.iter().filter(|&&x| x != 0).count() as u64;
    assert_eq!(rd(MemLevel::RegisterFile, 8), 96 + nz * 6 + 8);
    assert_eq!(
        t.count(OpKind::MemWrite {
            level: MemLevel::Dram,
            bits: 32
        }),
        24
    );
}

#[test]
fn zero_gating_saves_gate_level_energy() {
    let (m, n, k) = (4, 64, 16);
    let a = prune_unstructured(&data_i8(m * k, 31), 0.25)
        .unwrap()
        .values;
    let b = data_i8(k * n, 32);
    let dp = IntDatapath::new(IntArith::INT8_INT32)
        .unwrap()
        .with_engine(Engine::GateLevel)
        .unwrap();
    let lib = CellLibrary::nangate45();
    let dense = dp
        .gemm(
            GemmShape::new(m, n, k).unwrap(),
            GemmOperands { a: &a, b: &b },
            Bias::None,
        )
        .unwrap();
    let e_dense = dp.gate_energy_pj(&dense, &lib).unwrap();
    let s = SparseMatrix::from_dense(Layout::Dense, m, k, &a).unwrap();
    let gated = dp
        .sparse_gemm(&s, &b, n, Bias::None, ZeroHandling::Gate)
        .unwrap();
    assert_eq!(gated.output.values, dense.values);
    let e_gated = dp.gate_energy_pj(&gated.output, &lib).unwrap();
    // A quarter of the weights are non-zero: gating must save well over half the energy.
    assert!(e_gated < 0.6 * e_dense, "{e_gated} vs {e_dense}");
    // A dense layout stores every zero, so skipping issues them all: no saving.
    let skip = dp
        .sparse_gemm(&s, &b, n, Bias::None, ZeroHandling::Skip)
        .unwrap();
    let e_skip = dp.gate_energy_pj(&skip.output, &lib).unwrap();
    assert!(
        (e_skip - e_dense).abs() < 1e-6 * e_dense,
        "{e_skip} vs {e_dense}"
    );
    // CSR stores only non-zeros: skipping them toggles exactly what gating them does.
    let c = SparseMatrix::from_dense(Layout::Csr, m, k, &a).unwrap();
    let csr = dp
        .sparse_gemm(&c, &b, n, Bias::None, ZeroHandling::Skip)
        .unwrap();
    assert_eq!(csr.output.values, dense.values);
    assert_eq!(csr.output.activity, gated.output.activity);
}

#[test]
fn tree_orders_are_refused() {
    let dp = IntDatapath::new(IntArith::INT8_INT32)
        .unwrap()
        .with_order(AccumulationOrder::Pairwise)
        .unwrap();
    let s = SparseMatrix::from_dense(Layout::Csr, 1, 2, &[1i8, 0]).unwrap();
    let e = dp
        .sparse_gemm(&s, &[1i8, 2], 1, Bias::None, ZeroHandling::Skip)
        .unwrap_err();
    assert!(
        e.to_string().starts_with("unsupported: sparse kernels"),
        "{e}"
    );
    let dp = IntDatapath::new(IntArith::INT8_INT32).unwrap();
    assert!(
        dp.sparse_gemm(&s, &[1i8], 1, Bias::None, ZeroHandling::Skip)
            .is_err()
    );
    assert!(
        dp.sparse_gemm(&s, &[1i8, 2], 0, Bias::None, ZeroHandling::Skip)
            .is_err()
    );
}

#[test]
fn pruning_keeps_the_largest_and_exact_counts() {
    use arithsim::quant::{prune_global, prune_rows};
    let a = data_i8(6 * 40, 77);
    let b = data_i8(3 * 40, 78);
    let mag = |v: i8| (v as i32).abs();
    // Unstructured: round(0.3 · 240) = 72 kept, each at least as large as any dropped.
    let p = prune_unstructured(&a, 0.3).unwrap();
    assert_eq!(p.mask.iter().filter(|&&k| k).count(), 72);
    let kept_min = a
        .iter()
        .zip(&p.mask)
        .filter(|p| *p.1)
        .map(|p| mag(*p.0))
        .min();
    let drop_max = a
        .iter()
        .zip(&p.mask)
        .filter(|p| !*p.1)
        .map(|p| mag(*p.0))
        .max();
    assert!(kept_min >= drop_max);
    // Global: one threshold over both tensors, round(0.25 · 360) = 90 kept in total.
    let g = prune_global(&[&a[..], &b[..]], 0.25).unwrap();
    let kept: usize = g
        .iter()
        .map(|p| p.mask.iter().filter(|&&k| k).count())
        .sum();
    assert_eq!(kept, 90);
    let all: Vec<(i8, bool)> = a
        .iter()
        .zip(&g[0].mask)
        .chain(b.iter().zip(&g[1].mask))
        .map(|(&v, &k)| (v, k))
        .collect();
    let kept_min = all.iter().filter(|p| p.1).map(|p| mag(p.0)).min();
    let drop_max = all.iter().filter(|p| !p.1).map(|p| mag(p.0)).max();
    assert!(kept_min >= drop_max);
    // N:M: exactly n per group in the mask, so the 2:4 encoder accepts it.
    let p = prune_n_m(&a, 6, 40, 2, 4).unwrap();
    for grp in p.mask.chunks(4) {
        assert_eq!(grp.iter().filter(|&&k| k).count(), 2);
    }
    assert!(SparseMatrix::from_dense(Layout::NM { n: 2, m: 4 }, 6, 40, &p.values).is_ok());
    // Rows: round(0.5 · 6) = 3 whole rows, the ones of largest L2 norm.
    let p = prune_rows(&a, 6, 40, 0.5).unwrap();
    let norm = |r: &[i8]| r.iter().map(|&v| (v as i64).pow(2)).sum::<i64>();
    let kept: Vec<bool> = p.mask.chunks(40).map(|r| r[0]).collect();
    assert_eq!(kept.iter().filter(|&&k| k).count(), 3);
    for (r, row) in p.mask.chunks(40).enumerate() {
        assert!(row.iter().all(|&k| k == kept[r]));
    }
    let kn = (0..6)
        .filter(|&r| kept[r])
        .map(|r| norm(&a[r * 40..(r + 1) * 40]))
        .min();
    let dn = (0..6)
        .filter(|&r| !kept[r])
        .map(|r| norm(&a[r * 40..(r + 1) * 40]))
        .max();
    assert!(kn >= dn);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Any shape, density and seed: the sparse kernel (skip and gate) equals the dense kernel
    /// on the pruned matrix, with a saturating 16-bit accumulator that does saturate.
    #[test]
    fn sparse_equals_dense_on_random_shapes(
        m in 1usize..9, n in 1usize..9, groups in 1usize..6, seed in 0u64..1000,
        density in 0.05f64..1.0, nm in proptest::bool::ANY,
    ) {
        let k = 4 * groups;
        let a = data_i8(m * k, seed);
        let b = data_i8(k * n, seed + 1);
        let (layout, p) = if nm {
            (Layout::NM { n: 2, m: 4 }, prune_n_m(&a, m, k, 2, 4).unwrap())
        } else {
            (Layout::Csr, prune_unstructured(&a, density).unwrap())
        };
        let s = SparseMatrix::from_dense(layout, m, k, &p.values).unwrap();
        for arith in [IntArith::INT8_INT32, IntArith::new(8, 16, Signedness::Signed, Overflow::Saturating).unwrap()] {
            let dp = IntDatapath::new(arith).unwrap();
            let want = dp.gemm(GemmShape::new(m, n, k).unwrap(), GemmOperands { a: &p.values, b: &b }, Bias::None).unwrap();
            for zeros in [ZeroHandling::Skip, ZeroHandling::Gate] {
                let got = dp.sparse_gemm(&s, &b, n, Bias::None, zeros).unwrap();
                proptest::prop_assert_eq!(&got.output.values, &want.values);
                proptest::prop_assert_eq!(got.output.saturations, want.saturations);
            }
        }
    }
}

#[test]
fn encoded_arrays_give_the_counted_bytes_and_decode() {
    for (rows, cols, seed) in [(3usize, 8usize, 1u64), (20, 300, 2), (300, 4, 3)] {
        let a = data_i8(rows * cols, seed);
        for layout in LAYOUTS {
            let p = match layout {
                Layout::NM { n, m } => prune_n_m(&a, rows, cols, n, m).unwrap().values,
                _ => prune_unstructured(&a, 0.2).unwrap().values,
            };
            let s = SparseMatrix::from_dense(layout, rows, cols, &p).unwrap();
            let e = s.encode();
            assert_eq!(e.to_dense(), p, "{layout} {rows}x{cols}");
            for bits in [8, 16, 32] {
                assert_eq!(
                    e.bytes(bits),
                    s.storage(bits).unwrap(),
                    "{layout} {rows}x{cols}"
                );
            }
        }
    }
    // 300 columns: u16 column indices; 300 rows: u16 row indices for CSC.
    let a = prune_unstructured(&data_i8(300 * 4, 9), 0.5)
        .unwrap()
        .values;
    let csc = SparseMatrix::from_dense(Layout::Csc, 300, 4, &a)
        .unwrap()
        .encode();
    assert_eq!(
        (csc.index_bits, csc.pointer_bits, csc.pointers.len()),
        (16, 16, 5)
    );
}

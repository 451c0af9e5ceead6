//! Transformer workloads on the FSD array: element-wise work by hand, and distillation
//! priced (teacher vs student) against the published figures.

use arithsim::accel::{
    ElementwiseOp, Layer, LayerKind, PublishedDistillation, Transformer, fsd_npu, map_layer,
    map_network, price_distillation,
};
use arithsim::cost::{CostTable, FloatKind, OpKind};

#[test]
fn elementwise_layer_on_the_vector_unit() {
    let npu = fsd_npu();
    let l = Layer {
        name: "softmax".into(),
        kind: LayerKind::Elementwise {
            op: ElementwiseOp::Softmax,
            elems: 1000,
        },
    };
    let m = map_layer(&npu, &l).unwrap();
    // 9 operations per element on 96 lanes: ceil(9000 / 96) = 94 cycles.
    assert_eq!(m.cycles, 94);
    assert_eq!(m.macs, 0);
    let fp = FloatKind::FP32;
    assert_eq!(m.tally.count(OpKind::FpAdd { format: fp }), 3000);
    assert_eq!(m.tally.count(OpKind::FpMul { format: fp }), 2000);
    assert_eq!(m.tally.count(OpKind::FpFma { format: fp }), 4000);
    assert_eq!((m.sram_act_read_bytes, m.sram_write_bytes), (1000, 1000));
    let bad = Layer {
        name: "empty".into(),
        kind: LayerKind::Elementwise {
            op: ElementwiseOp::Gelu,
            elems: 0,
        },
    };
    assert!(map_layer(&npu, &bad).is_err());
    let bad = Layer {
        name: "mm".into(),
        kind: LayerKind::MatMul {
            count: 0,
            m: 1,
            n: 1,
            k: 1,
        },
    };
    assert!(map_layer(&npu, &bad).is_err());
}

#[test]
fn bert_elementwise_ops_by_hand() {
    let (s, h, f, heads) = (128u64, 768u64, 3072u64, 12u64);
    let net = Transformer::bert_base().sequence_network(128, 1).unwrap();
    let m = map_network(&fsd_npu(), &net).unwrap();
    let ew: u64 = m
        .layers
        .iter()
        .filter(|l| l.macs == 0)
        .map(|l| {
            l.tally.count(OpKind::FpAdd {
                format: FloatKind::FP32,
            }) + l.tally.count(OpKind::FpMul {
                format: FloatKind::FP32,
            }) + l.tally.count(OpKind::FpFma {
                format: FloatKind::FP32,
            })
        })
        .sum();
    // Per block: softmax 9 per score, two residual adds (1) and two layer norms (5) per
    // hidden element, GELU (12) per FFN element; plus the embedding layer norm.
    let per_block = heads * s * s * 9 + 2 * s * h + 2 * s * h * 5 + s * f * 12;
    assert_eq!(ew, 12 * per_block + s * h * 5);
}

#[test]
fn distillation_priced_against_published_figures() {
    let npu = fsd_npu();
    let table = CostTable::horowitz_45nm();
    let bert = Transformer::bert_base();
    let d = price_distillation(
        &npu,
        &table,
        &bert,
        &Transformer::distilbert(),
        128,
        PublishedDistillation::DISTILBERT,
    )
    .unwrap();
    // Size: 109,482,240 / 66,362,880 = 1.650, against the published 1 / 0.6 = 1.667.
    assert_eq!(
        (d.teacher.params, d.student.params),
        (109_482_240, 66_362_880)
    );
    assert!((d.size_ratio() - d.published.size_ratio).abs() < 0.02);
    // MACs: the student has half the blocks and no pooler.
    let block = 128 * (4 * 768 * 768 + 2 * 768 * 3072) + 2 * 128 * 128 * 768;
    assert_eq!(d.teacher.macs, 12 * block + 768 * 768);
    assert_eq!(d.student.macs, 6 * block);
    // The array runs the student about twice as fast: more than the published 1.6.
    assert!(d.speedup() > 1.9 && d.speedup() > d.published.speedup);
    let t = price_distillation(
        &npu,
        &table,
        &bert,
        &Transformer::tinybert_4(),
        128,
        PublishedDistillation::TINYBERT_4,
    )
    .unwrap();
    assert!((t.size_ratio() - 109_482_240.0 / 14_350_248.0).abs() < 1e-12);
    // 18x fewer MACs but a smaller speedup: 312-wide layers fill 4 column tiles of 96 to
    // 81 %, and the 12 heads keep the softmax work of a 128 x 128 score matrix per head.
    assert!(
        t.mac_ratio() > 17.0 && t.mac_ratio() < 19.0,
        "{}",
        t.mac_ratio()
    );
    assert!(
        t.speedup() < t.mac_ratio() && t.speedup() > 5.0,
        "{}",
        t.speedup()
    );
    assert!(t.student.weight_bytes == t.student.params); // INT8: one byte each
}

#[test]
fn bert_with_two_four_weights() {
    use arithsim::accel::{SparseMode, map_network_sparse};
    let npu = fsd_npu();
    let net = Transformer::bert_base().sequence_network(128, 1).unwrap();
    let dense = map_network(&npu, &net).unwrap();
    let s = map_network_sparse(&npu, &net, SparseMode::NM { n: 2, m: 4 }).unwrap();
    // Every weight layer's reduction (768 or 3072) is a multiple of 4: all of them halve;
    // the attention matmuls (activations only) and element-wise layers stay as they were.
    assert!(s.dense_weight_layers().is_empty());
    let attention: u64 = net
        .layers
        .iter()
        .filter(|l| matches!(l.kind, LayerKind::MatMul { .. }))
        .map(|l| l.macs())
        .sum();
    assert_eq!(attention, 12 * 2 * 128 * 128 * 768);
    assert_eq!(s.mapping.macs(), attention + (dense.macs() - attention) / 2);
    for (a, b) in s.mapping.layers.iter().zip(&dense.layers) {
        if a.name.ends_with("softmax") || a.name.ends_with("scores") {
            assert_eq!(a, b);
        }
    }
    assert!(s.mapping.cycles() < dense.cycles());
}

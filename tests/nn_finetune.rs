//! Fine-tuning (issue 20, QAT and pruning): the fake-quantization layer's straight-through
//! gradient against finite differences of its surrogate, the QAT step against the gradient
//! at the executor's weights, the trainer's MAC counts, stored predictions against the
//! reported accuracy, bit-for-bit reproducibility and hyper-parameter errors.

use arithsim::cost::SplitMix64;
use arithsim::float::FloatFormat;
use arithsim::nn::finetune::cost::TrainingCost;
use arithsim::nn::finetune::fake_quant::with_activation_quantizers;
use arithsim::nn::finetune::{
    ActQuant, Bench, FakeQuant, FineTune, MaskHook, QatHook, evaluate, fine_tune, graph,
    pretrained, prune, qat,
};
use arithsim::nn::train::{
    Conv2d, Dense, DigitsNet, Layer, Network, NoHook, OptimizerConfig, Tensor, TrainConfig,
    TrainHook, fit,
};
use arithsim::nn::{Format, WeightCompression, compress};
use arithsim::quant::{IntType, MxElement, QuantParams};
use arithsim::rand_core::{Rng, SeedableRng};
use std::sync::OnceLock;

fn bench() -> &'static Bench {
    static B: OnceLock<Bench> = OnceLock::new();
    B.get_or_init(|| Bench::digits().unwrap())
}

fn ft(epochs: usize, seed: u64) -> FineTune {
    FineTune {
        epochs,
        batch_size: 32,
        lr: 1e-3,
        seed,
    }
}

fn uniform(rng: &mut SplitMix64) -> f32 {
    (rng.next_u64() >> 40) as f32 / 16_777_216.0 * 2.0 - 1.0
}

/// The straight-through gradient of every grid is the derivative of its surrogate: the
/// identity, clamped to the int8 range for integer grids. Checked against central
/// differences of that surrogate at random points (away from the clamp edges by more than
/// the step), and the forward values against the grid.
#[test]
fn fake_quant_ste_gradient_matches_finite_differences_of_its_surrogate() {
    let p = QuantParams::from_min_max(
        -0.5,
        1.5,
        IntType::Int8,
        arithsim::quant::Symmetry::Asymmetric,
    )
    .unwrap();
    let (lo, hi) = (p.dequantize(-128), p.dequantize(127));
    let mut rng = SplitMix64::seed_from_u64(5);
    let x: Vec<f32> = (0..64).map(|_| 2.0 * uniform(&mut rng)).collect();
    let x = Tensor::new(vec![2, 32], x).unwrap();
    let h = 1e-3f64;
    for grid in [
        ActQuant::Identity,
        ActQuant::Int8(p),
        ActQuant::Float(FloatFormat::FP8_E4M3),
        ActQuant::Mx(MxElement::Fp4E2M1),
    ] {
        let (mut fq, handle) = FakeQuant::new("fq");
        handle.set(grid);
        let y = fq.forward(&x).unwrap();
        let r: Vec<f32> = (0..64).map(|_| uniform(&mut rng)).collect();
        let g = fq
            .backward(&Tensor::new(vec![2, 32], r.clone()).unwrap())
            .unwrap();
        let surrogate = |v: f64| match grid {
            ActQuant::Int8(_) => v.clamp(lo, hi),
            _ => v,
        };
        let mut saturated = 0;
        for (i, &xv) in x.data().iter().enumerate() {
            let xv = f64::from(xv);
            if (xv - lo).abs() < 2.0 * h || (xv - hi).abs() < 2.0 * h {
                continue;
            }
            let numeric = f64::from(r[i]) * (surrogate(xv + h) - surrogate(xv - h)) / (2.0 * h);
            let analytic = f64::from(g.data()[i]);
            assert!(
                (numeric - analytic).abs() < 1e-6,
                "{grid:?} x = {xv}: numeric {numeric}, analytic {analytic}"
            );
            if analytic == 0.0 && r[i] != 0.0 {
                saturated += 1;
            }
            // The forward value is on the grid and near the input.
            let yv = f64::from(y.data()[i]);
            match grid {
                ActQuant::Identity => assert_eq!(yv, xv),
                ActQuant::Int8(p) => {
                    let (q, _) = p.quantize(xv, arithsim::round::RoundingMode::NearestAway);
                    assert_eq!(yv, p.dequantize(q) as f32 as f64);
                }
                ActQuant::Float(f) => {
                    let env =
                        arithsim::float::FloatEnv::new(arithsim::round::RoundingMode::NearestEven);
                    assert_eq!(yv, f.bits_to_f64(f.from_f64(yv, &env).value), "on the grid");
                }
                ActQuant::Mx(_) => assert!((yv - xv).abs() <= 0.5 * xv.abs().max(0.25)),
            }
        }
        if matches!(grid, ActQuant::Int8(_)) {
            assert!(saturated > 0, "some inputs lie outside [{lo}, {hi}]");
        }
    }
}

/// One QAT step with plain SGD (lr 1, no momentum) moves the latent weights by exactly the
/// gradient the network has at the executor's weights (the straight-through estimator),
/// and those forward weights are the executor's: W2A8 rows take at most 3 values.
#[test]
fn qat_step_applies_the_gradient_at_the_executor_weights_to_the_latent_weights() {
    let b = bench();
    let start = pretrained(DigitsNet::Mlp).unwrap();
    let format = qat::int_format(2).unwrap();
    let (mut net, grids) = with_activation_quantizers(start).unwrap();
    let mut hook = QatHook::new(&net, &format, b, grids).unwrap();
    let values = hook.forward_values(&net).unwrap();
    let latent: Vec<Vec<f32>> = net
        .params()
        .iter()
        .map(|p| p.value.data().to_vec())
        .collect();
    // The executor's weights: fc1's rows on {-s, 0, s}.
    let fc1 = values[0].as_ref().unwrap();
    for row in fc1.chunks(64) {
        let mut distinct: Vec<u32> = row.iter().map(|v| v.to_bits()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() <= 3, "{distinct:?}");
    }
    assert!(values[1].is_none(), "biases stay latent");
    // Reference gradient: forward/backward with the executor's weights in place, the
    // activation grids set by a second hook on the same starting weights. One image, so
    // the batch order cannot change a bit.
    let batch: Vec<usize> = b.split.train[..1].to_vec();
    let (mut reference, rgrids) =
        with_activation_quantizers(pretrained(DigitsNet::Mlp).unwrap()).unwrap();
    QatHook::new(&reference, &format, b, rgrids).unwrap();
    for (p, v) in reference.params_mut().into_iter().zip(&values) {
        if let Some(v) = v {
            p.value.data_mut().copy_from_slice(v);
        }
    }
    let x = arithsim::nn::train::gather(&b.inputs, &batch).unwrap();
    let y: Vec<usize> = batch.iter().map(|&i| b.labels[i]).collect();
    reference.zero_grad();
    let logits = reference.forward(&x).unwrap();
    let (_, g) = arithsim::nn::train::softmax_cross_entropy(&logits, &y).unwrap();
    reference.backward(&g).unwrap();
    // One SGD step through fit with the hook.
    let config = TrainConfig {
        epochs: 1,
        batch_size: 1,
        init_seed: 0,
        shuffle_seed: 9,
        optimizer: OptimizerConfig::Sgd {
            lr: 1.0,
            momentum: 0.0,
            weight_decay: 0.0,
        },
        final_lr_fraction: 1.0,
    };
    fit(
        &mut net,
        &b.inputs,
        &b.labels,
        &batch,
        &config,
        &mut StepOnly(&mut hook),
    )
    .unwrap();
    for ((p, rp), l) in net.params().iter().zip(reference.params()).zip(&latent) {
        for ((&after, &before), &grad) in p.value.data().iter().zip(l).zip(rp.grad.data()) {
            assert_eq!(after.to_bits(), (before - grad).to_bits(), "{}", p.name);
        }
    }
}

/// The QAT hook without its per-epoch evaluation (only the step matters here).
struct StepOnly<'a, 'b>(&'a mut QatHook<'b>);

impl TrainHook for StepOnly<'_, '_> {
    fn forward_values(&mut self, net: &Network) -> arithsim::Result<Vec<Option<Vec<f32>>>> {
        self.0.forward_values(net)
    }
}

/// Dense and unpadded convolution layers count exactly the products of their shape,
/// backward twice the forward; a padded convolution counts fewer (padded taps skipped).
#[test]
fn mac_counts_are_the_products_executed() {
    let mut fc = Dense::new("fc", 7, 5).unwrap();
    let y = fc.forward(&Tensor::zeros(&[3, 7])).unwrap();
    fc.backward(&Tensor::zeros(y.shape())).unwrap();
    let m = fc.macs();
    assert_eq!(m.forward, 3 * 5 * 7);
    assert_eq!((m.backward_input, m.backward_weight), (105, 105));
    let mut c = Conv2d::new("c", 2, 3, (3, 3)).unwrap();
    let y = c.forward(&Tensor::zeros(&[2, 2, 6, 6])).unwrap();
    c.backward(&Tensor::zeros(y.shape())).unwrap();
    let full = 2 * 3 * 4 * 4 * 2 * 9;
    assert_eq!(c.macs().forward, full);
    assert_eq!(c.macs().backward_input, full);
    let mut p = Conv2d::new("p", 1, 1, (3, 3)).unwrap().with_padding((1, 1));
    let y = p.forward(&Tensor::zeros(&[1, 1, 4, 4])).unwrap();
    p.backward(&Tensor::zeros(y.shape())).unwrap();
    // 4x4 outputs: 4 corners see 4 taps, 8 edges 6, 4 inner 9.
    assert_eq!(p.macs().forward, 4 * 4 + 8 * 6 + 4 * 9);
    assert_eq!(p.macs().backward_weight, p.macs().forward);
    // Training cost of a run: priced, positive, 3x forward for the MLP.
    let b = bench();
    let mut net = pretrained(DigitsNet::Mlp).unwrap();
    let log = fine_tune(&mut net, b, &ft(1, 1), &mut NoHook).unwrap();
    assert_eq!(log.macs.forward, 1437 * (64 * 64 + 64 * 32 + 32 * 10));
    let c = TrainingCost::of(
        &log,
        net.parameter_count(),
        &arithsim::cost::CostTable::horowitz_45nm(),
    )
    .unwrap();
    assert_eq!(c.updates, 45 * 6570);
    assert!(c.energy_pj.mid() > 0.0);
}

/// The predictions a QAT run returns give the accuracy it reports, and a fresh executor on
/// the returned weights reproduces them; 2-bit weights recover from PTQ.
#[test]
fn stored_predictions_reproduce_the_reported_accuracy() {
    let b = bench();
    let format = qat::int_format(2).unwrap();
    let run = qat::fine_tune_qat(DigitsNet::Mlp, &format, b, &ft(2, 1)).unwrap();
    let correct = run
        .predictions
        .iter()
        .zip(&b.test_labels)
        .filter(|(p, l)| p == l)
        .count();
    assert_eq!(correct as f64 / 360.0, *run.epoch_accuracy.last().unwrap());
    let again = evaluate(&run.net, &format, b).unwrap();
    assert_eq!(again.predictions, run.predictions);
    assert!(run.epoch_accuracy[1] > run.ptq_accuracy + 0.05, "{run:?}");
}

/// Same seed, same weights bit for bit; another seed, other weights.
#[test]
fn same_seed_gives_the_same_weights_bit_for_bit() {
    let b = bench();
    let f = qat::int_format(3).unwrap();
    let bits = |seed| {
        let r = qat::fine_tune_qat(DigitsNet::Mlp, &f, b, &ft(1, seed)).unwrap();
        r.net
            .params()
            .iter()
            .flat_map(|p| {
                p.value
                    .data()
                    .iter()
                    .map(|v| v.to_bits())
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<u32>>()
    };
    let a = bits(4);
    assert_eq!(a, bits(4));
    assert_ne!(a, bits(5));
}

/// Pruned weights stay exactly zero through retraining; the executor's re-pruning of the
/// retrained network changes nothing; retraining recovers accuracy.
#[test]
fn pruning_masks_hold_and_match_the_executor() {
    let b = bench();
    for how in [
        WeightCompression::TwoFour,
        WeightCompression::Unstructured(0.2),
    ] {
        let run = prune::prune_fine_tune(DigitsNet::Mlp, how, b, &ft(1, 2)).unwrap();
        let g = graph(&run.net).unwrap();
        assert_eq!(compress(&g, how).unwrap().0, g, "{how:?}");
        let weights: Vec<&[f32]> = run
            .net
            .params()
            .iter()
            .filter(|p| p.name.ends_with(".weight"))
            .map(|p| p.value.data())
            .collect();
        let total: usize = weights.iter().map(|w| w.len()).sum();
        let zeros: usize = weights
            .iter()
            .map(|w| w.iter().filter(|&&v| v == 0.0).count())
            .sum();
        assert_eq!(total, 64 * 64 + 32 * 64 + 10 * 32);
        assert_eq!(zeros, ((1.0 - run.density) * total as f64).round() as usize);
        assert!(run.epoch_accuracy[0] > run.pruned_accuracy, "{how:?}");
    }
}

/// Bad hyper-parameters are errors naming the parameter, found before any training.
#[test]
fn bad_hyper_parameters_are_errors_naming_the_parameter() {
    let b = bench();
    let f = qat::int_format(4).unwrap();
    let msg = |e: arithsim::Error| e.to_string();
    for lr in [0.0, -1e-3, f32::NAN, f32::INFINITY] {
        let bad = FineTune { lr, ..ft(1, 1) };
        let e = qat::fine_tune_qat(DigitsNet::Mlp, &f, b, &bad).unwrap_err();
        assert!(msg(e).contains("learning rate"), "lr {lr}");
        let e = prune::prune_fine_tune(DigitsNet::Mlp, WeightCompression::TwoFour, b, &bad)
            .unwrap_err();
        assert!(msg(e).contains("learning rate"), "lr {lr}");
    }
    let e = FineTune {
        epochs: 0,
        ..ft(1, 1)
    }
    .validate()
    .unwrap_err();
    assert!(msg(e).contains("epochs"));
    let e = FineTune {
        batch_size: 0,
        ..ft(1, 1)
    }
    .validate()
    .unwrap_err();
    assert!(msg(e).contains("batch size"));
    for bits in [0, 1, 9, 32] {
        assert!(
            msg(qat::int_format(bits).unwrap_err()).contains("weight bits"),
            "{bits}"
        );
    }
    let mut nine = f.clone();
    if let arithsim::nn::Arithmetic::Int8(c) = &mut nine.arithmetic {
        c.weight_bits = 9;
    }
    let e = qat::fine_tune_qat(DigitsNet::Mlp, &nine, b, &ft(1, 1)).unwrap_err();
    assert!(msg(e).contains("weight bits"));
    for d in [0.0, -0.5, 1.5, f64::NAN] {
        let e = prune::prune_fine_tune(
            DigitsNet::Mlp,
            WeightCompression::Unstructured(d),
            b,
            &ft(1, 1),
        )
        .unwrap_err();
        assert!(msg(e).contains("density"), "density {d}");
    }
    let e = prune::format(WeightCompression::Nf4).unwrap_err();
    assert!(msg(e).contains("pruning"));
    // Empty data.
    let mut net = pretrained(DigitsNet::Mlp).unwrap();
    let mut empty = b.clone();
    empty.split.train.clear();
    let e = fine_tune(&mut net, &empty, &ft(1, 1), &mut NoHook).unwrap_err();
    assert!(msg(e).contains("training data"));
    let e = MaskHook::new(&net, vec![("fc9.weight".into(), vec![])]).unwrap_err();
    assert!(msg(e).contains("parameter name"));
    let e = MaskHook::new(&net, vec![("fc1.weight".into(), vec![true; 3])]).unwrap_err();
    assert!(msg(e).contains("fc1.weight"));
    assert!(Format::fp32().validate().is_ok());
}

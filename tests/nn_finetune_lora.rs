//! LoRA/QLoRA adapters and distillation (issue 20, items 3 and 4): gradient checks against
//! finite differences, parameter counts, merging, errors naming the parameter, and
//! bit-for-bit reproducibility.

use std::path::Path;

use arithsim::Error;
use arithsim::nn::data::Digits;
use arithsim::nn::finetune::distill::{
    DistillConfig, distillation_loss, logits_of, student_cnn, train_student,
};
use arithsim::nn::finetune::lora::{
    BaseFormat, LoraDense, TrainerMemory, adapter_params, full_mlp, lora_mlp, max_rank,
    merged_checkpoint, rotate_quarter,
};
use arithsim::nn::train::{
    DigitsNet, Layer, NoHook, OptimizerConfig, Tensor, TrainConfig, digits_tensor, fit,
    load_safetensors, predict,
};
use arithsim::nn::{Checkpoint, Executor, Format, digits_mlp};
use arithsim::quant::WeightFormat;

fn mlp() -> Checkpoint {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/networks/digits_mlp.safetensors");
    Checkpoint::load(&p).unwrap()
}

fn config(epochs: usize, lr: f32, seed: u64) -> TrainConfig {
    TrainConfig {
        epochs,
        batch_size: 32,
        init_seed: seed,
        shuffle_seed: seed + 1000,
        optimizer: OptimizerConfig::adam(lr),
        final_lr_fraction: 0.05,
    }
}

/// A deterministic pseudo-random f32 in [-1, 1).
fn rnd(i: usize) -> f32 {
    let x = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((x >> 40) as f32 / 16_777_216.0) * 2.0 - 1.0
}

/// `Σ c·y` over the output, with fixed weights `c`.
fn weighted_sum(y: &Tensor) -> f64 {
    y.data()
        .iter()
        .enumerate()
        .map(|(i, &v)| f64::from(v) * f64::from(rnd(i + 7000)))
        .sum()
}

/// ∂(Σ c·y)/∂A, ∂B and ∂x of the adapter layer against central differences. The loss is
/// linear in each of A, B and x when the others are fixed, so the differences are exact up
/// to f32 rounding.
#[test]
fn lora_dense_gradients_match_finite_differences() {
    let (k, d, r, n) = (6, 5, 3, 4);
    let w: Vec<f32> = (0..d * k).map(rnd).collect();
    let b: Vec<f32> = (0..d).map(|i| rnd(i + 100)).collect();
    let mut layer = LoraDense::frozen("fc", k, d, w, b)
        .unwrap()
        .with_adapter(r, 2.0)
        .unwrap();
    // Non-zero B so that every gradient is exercised.
    for (pi, p) in layer.params_mut().into_iter().enumerate() {
        for (i, v) in p.value.data_mut().iter_mut().enumerate() {
            *v = rnd(1000 * (pi + 1) + i);
        }
    }
    let x = Tensor::new(vec![n, k], (0..n * k).map(|i| rnd(i + 500)).collect()).unwrap();
    let y = layer.forward(&x).unwrap();
    let g = Tensor::new(
        y.shape().to_vec(),
        (0..y.len()).map(|i| rnd(i + 7000)).collect(),
    )
    .unwrap();
    let dx = layer.backward(&g).unwrap();
    let grads: Vec<Vec<f32>> = layer
        .params()
        .iter()
        .map(|p| p.grad.data().to_vec())
        .collect();
    let eps = 1e-2f32;
    let close = |fd: f64, an: f32, what: &str| {
        let an = f64::from(an);
        assert!(
            (fd - an).abs() <= 2e-3 * (1.0 + an.abs()),
            "{what}: finite difference {fd}, backward {an}"
        );
    };
    for (pi, grad) in grads.iter().enumerate() {
        for (i, &an) in grad.iter().enumerate() {
            let orig = layer.params()[pi].value.data()[i];
            layer.params_mut()[pi].value.data_mut()[i] = orig + eps;
            let up = weighted_sum(&layer.forward(&x).unwrap());
            layer.params_mut()[pi].value.data_mut()[i] = orig - eps;
            let down = weighted_sum(&layer.forward(&x).unwrap());
            layer.params_mut()[pi].value.data_mut()[i] = orig;
            close(
                (up - down) / (2.0 * f64::from(eps)),
                an,
                &format!("param {pi} [{i}]"),
            );
        }
    }
    for i in 0..x.len() {
        let mut xp = x.clone();
        xp.data_mut()[i] += eps;
        let up = weighted_sum(&layer.forward(&xp).unwrap());
        xp.data_mut()[i] -= 2.0 * eps;
        let down = weighted_sum(&layer.forward(&xp).unwrap());
        close(
            (up - down) / (2.0 * f64::from(eps)),
            dx.data()[i],
            &format!("x [{i}]"),
        );
    }
}

/// The distillation loss's gradient against central differences of its value.
#[test]
fn distillation_gradient_matches_finite_differences() {
    let (n, k) = (3, 10);
    let z = Tensor::new(vec![n, k], (0..n * k).map(|i| 2.0 * rnd(i)).collect()).unwrap();
    let t = Tensor::new(vec![n, k], (0..n * k).map(|i| 3.0 * rnd(i + 99)).collect()).unwrap();
    let labels = [3, 0, 9];
    for cfg in [
        DistillConfig {
            temperature: 4.0,
            soft_weight: 0.7,
        },
        DistillConfig {
            temperature: 1.0,
            soft_weight: 1.0,
        },
        DistillConfig {
            temperature: 2.5,
            soft_weight: 0.0,
        },
    ] {
        let (_, g) = distillation_loss(&z, &t, &labels, cfg).unwrap();
        let eps = 1e-2f32;
        for i in 0..z.len() {
            let mut zp = z.clone();
            zp.data_mut()[i] += eps;
            let up = distillation_loss(&zp, &t, &labels, cfg).unwrap().0;
            zp.data_mut()[i] -= 2.0 * eps;
            let down = distillation_loss(&zp, &t, &labels, cfg).unwrap().0;
            let fd = (up - down) / (2.0 * f64::from(eps));
            let an = f64::from(g.data()[i]);
            assert!(
                (fd - an).abs() <= 1e-3 + 1e-2 * an.abs(),
                "{cfg:?} logit {i}: finite difference {fd}, gradient {an}"
            );
        }
    }
}

/// The trained adapters hold exactly r(d + k) values per adapted matrix.
#[test]
fn trainable_parameters_are_r_d_plus_k() {
    let c = mlp();
    for r in [1, 2, 4, 8, 16, max_rank()] {
        let net = lora_mlp(&c, BaseFormat::Fp32, r, 8.0, 1).unwrap();
        let a1 = net.param("fc1.lora_a").unwrap().value.len();
        let b1 = net.param("fc1.lora_b").unwrap().value.len();
        assert_eq!(a1 + b1, r * (64 + 64));
        assert_eq!(
            net.parameter_count(),
            adapter_params(64, 64, r) + adapter_params(32, 64, r)
        );
        assert_eq!(net.parameter_count(), r * (64 + 64) + r * (32 + 64));
        assert_eq!(
            TrainerMemory::of_mlp(Some(r), 32).params,
            4 * net.parameter_count() as u64
        );
        let m = TrainerMemory::model(Some(r), BaseFormat::Nf4Dq, 32).unwrap();
        assert_eq!(m.adapters, 2 * net.parameter_count() as u64);
        assert_eq!(m.optimizer, 8 * net.parameter_count() as u64);
    }
    assert_eq!(max_rank(), 32);
    assert_eq!(
        full_mlp(&c, BaseFormat::Fp32).unwrap().parameter_count(),
        6570
    );
}

#[test]
fn bad_hyper_parameters_are_errors_naming_them() {
    let c = mlp();
    let name = |e: Error| match e {
        Error::InvalidParameter { name, .. } => name,
        other => panic!("not an InvalidParameter: {other}"),
    };
    assert_eq!(
        name(lora_mlp(&c, BaseFormat::Fp32, 0, 8.0, 1).unwrap_err()),
        "rank"
    );
    // fc2 is 32 x 64: rank 33 is above min(d, k).
    let e = lora_mlp(&c, BaseFormat::Int8, 33, 8.0, 1).unwrap_err();
    assert!(e.to_string().contains("fc2"), "{e}");
    assert_eq!(name(e), "rank");
    let d = Digits::embedded().unwrap();
    let split = d.split(Digits::FIXED_SPLIT_SEED);
    let (x, y) = digits_tensor(&d).unwrap();
    let mut net = lora_mlp(&c, BaseFormat::Fp32, 4, 8.0, 1).unwrap();
    for lr in [0.0, -1e-3, f32::NAN] {
        let e = fit(
            &mut net,
            &x,
            &y,
            &split.train,
            &config(1, lr, 1),
            &mut NoHook,
        )
        .unwrap_err();
        assert_eq!(name(e), "learning rate");
    }
    let e = fit(&mut net, &x, &y, &[], &config(1, 1e-3, 1), &mut NoHook).unwrap_err();
    assert_eq!(name(e), "training data");
    let z = Tensor::zeros(&[1, 10]);
    for t in [0.0, -2.0, f32::NAN, f32::INFINITY] {
        let cfg = DistillConfig {
            temperature: t,
            soft_weight: 0.5,
        };
        assert_eq!(
            name(distillation_loss(&z, &z, &[0], cfg).unwrap_err()),
            "temperature"
        );
        let mut s = student_cnn(2, 4).unwrap();
        let mut teacher = student_cnn(2, 4).unwrap();
        let e = train_student(
            &mut s,
            &x,
            &y,
            &split.train,
            &config(1, 1e-3, 1),
            Some((&mut teacher, cfg)),
            &mut NoHook,
        );
        assert_eq!(name(e.unwrap_err()), "temperature");
    }
    let mut s = student_cnn(2, 4).unwrap();
    let e = train_student(&mut s, &x, &y, &[], &config(1, 1e-3, 1), None, &mut NoHook).unwrap_err();
    assert_eq!(name(e), "training data");
    let e = train_student(
        &mut s,
        &x,
        &y,
        &split.train,
        &config(1, f32::NAN, 1),
        None,
        &mut NoHook,
    )
    .unwrap_err();
    assert_eq!(name(e), "learning rate");
}

/// Same seed, same adapter bits; another seed, other bits.
#[test]
fn same_seed_same_adapter_weights_bit_for_bit() {
    let c = mlp();
    let d = Digits::embedded().unwrap();
    let split = d.split(Digits::FIXED_SPLIT_SEED);
    let (x, y) = digits_tensor(&d).unwrap();
    let xr = rotate_quarter(&x).unwrap();
    let train = &split.train[..320];
    let run = |seed: u64| {
        let mut net = lora_mlp(&c, BaseFormat::Nf4Dq, 4, 8.0, seed).unwrap();
        fit(
            &mut net,
            &xr,
            &y,
            train,
            &config(2, 5e-3, seed),
            &mut NoHook,
        )
        .unwrap();
        net.params()
            .iter()
            .flat_map(|p| p.value.data().iter().map(|v| v.to_bits()))
            .collect::<Vec<u32>>()
    };
    let a = run(7);
    assert_eq!(a, run(7));
    assert_ne!(a, run(8));
}

/// The base fails on the rotated digits; adapters trained on them, merged and run by the
/// executor, recover a large part; merging untrained adapters gives the base exactly.
#[test]
fn rotated_digits_shift_and_lora_recovery() {
    let c = mlp();
    let d = Digits::embedded().unwrap();
    let split = d.split(Digits::FIXED_SPLIT_SEED);
    let (x, y) = digits_tensor(&d).unwrap();
    let xr = rotate_quarter(&x).unwrap();
    let back = (0..3).fold(xr.clone(), |t, _| rotate_quarter(&t).unwrap());
    assert_eq!(back, x, "four quarter turns are the identity");
    let images = |t: &Tensor| -> Vec<Vec<f32>> {
        split
            .test
            .iter()
            .map(|&i| t.data()[i * 64..(i + 1) * 64].to_vec())
            .collect()
    };
    let labels: Vec<usize> = split.test.iter().map(|&i| y[i]).collect();
    let acc = |c: &Checkpoint, t: &Tensor| {
        Executor::new(&digits_mlp(c).unwrap(), &Format::fp32(), &[])
            .unwrap()
            .run(&images(t))
            .unwrap()
            .accuracy(&labels)
            .unwrap()
    };
    let base = BaseFormat::Nf4Dq.requantized(&c).unwrap();
    assert!(acc(&base, &x) > 0.95);
    let shifted = acc(&base, &xr);
    assert!(shifted < 0.3, "the base solves the shift: {shifted}");
    // The trainer's own forward agrees that the base fails (not an executor artefact).
    let mut tnet = lora_mlp(&c, BaseFormat::Nf4Dq, 4, 8.0, 3).unwrap();
    let p = predict(&mut tnet, &xr, &split.test).unwrap();
    let trainer_acc = p.iter().zip(&labels).filter(|(a, b)| a == b).count() as f64 / 360.0;
    assert_eq!(trainer_acc, shifted);
    // Untrained adapters (B = 0) merge to the stored base values exactly.
    assert_eq!(
        merged_checkpoint(&c, BaseFormat::Nf4Dq, 8.0, &tnet).unwrap(),
        base
    );
    fit(
        &mut tnet,
        &xr,
        &y,
        &split.train,
        &config(8, 5e-3, 3),
        &mut NoHook,
    )
    .unwrap();
    let merged = merged_checkpoint(&c, BaseFormat::Nf4Dq, 8.0, &tnet).unwrap();
    let recovered = acc(&merged, &xr);
    assert!(recovered > shifted + 0.3, "{shifted} -> {recovered}");
    // The merged network computes what the adapted one did (f32 rounding apart).
    let p2 = predict(&mut tnet, &xr, &split.test).unwrap();
    let trainer_acc = p2.iter().zip(&labels).filter(|(a, b)| a == b).count() as f64 / 360.0;
    assert!((trainer_acc - recovered).abs() <= 2.0 / 360.0);
}

/// The frozen base takes the values of its storage format: NF4+DQ is the crate's
/// `WeightFormat::NF4_DQ` round trip, INT8 is stable under re-quantization and its codes
/// lie on 127 levels per row.
#[test]
fn frozen_base_values_are_the_formats() {
    let c = mlp();
    let w = c.tensor("fc1.weight", &[64, 64]).unwrap();
    let nf4 = BaseFormat::Nf4Dq.round_trip(w, 64, 64).unwrap();
    let want: Vec<f32> = WeightFormat::NF4_DQ
        .round_trip(w, 64, 64)
        .unwrap()
        .into_iter()
        .map(|v| v as f32)
        .collect();
    assert_eq!(nf4, want);
    let q = BaseFormat::Int8.round_trip(w, 64, 64).unwrap();
    assert_eq!(BaseFormat::Int8.round_trip(&q, 64, 64).unwrap(), q);
    for row in q.chunks(64) {
        let a = row.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        for &v in row {
            let code = f64::from(v) / (f64::from(a) / 127.0);
            assert!(
                (code - code.round()).abs() < 1e-3,
                "{v} is not on the grid of {a}"
            );
        }
    }
    assert!(BaseFormat::Int8.round_trip(&[f32::NAN], 1, 1).is_err());
    assert!(BaseFormat::Fp32.round_trip(&[1.0], 2, 1).is_err());
}

/// A distilled student trains (loss falls) and is reproducible; soft targets come from the
/// committed teacher.
#[test]
fn distilled_student_is_reproducible() {
    let d = Digits::embedded().unwrap();
    let split = d.split(Digits::FIXED_SPLIT_SEED);
    let (x, y) = digits_tensor(&d).unwrap();
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/networks/digits_cnn.safetensors");
    let mut teacher = DigitsNet::Cnn.build().unwrap();
    load_safetensors(&mut teacher, &std::fs::read(p).unwrap()).unwrap();
    assert_eq!(logits_of(&mut teacher, &x).unwrap().shape(), [y.len(), 10]);
    let kd = DistillConfig {
        temperature: 4.0,
        soft_weight: 0.7,
    };
    let train = &split.train[..256];
    let mut run = || {
        let mut s = student_cnn(4, 8).unwrap();
        let log = train_student(
            &mut s,
            &x,
            &y,
            train,
            &config(3, 2e-3, 5),
            Some((&mut teacher, kd)),
            &mut NoHook,
        )
        .unwrap();
        let bits: Vec<u32> = s
            .params()
            .iter()
            .flat_map(|p| p.value.data().iter().map(|v| v.to_bits()))
            .collect();
        (log.epoch_loss, bits)
    };
    let (loss, a) = run();
    assert!(loss[2] < loss[0], "{loss:?}");
    assert_eq!(a, run().1);
}

/// FNV-1a over the bits of every trainable value and every epoch loss.
fn fingerprint(net: &arithsim::nn::train::Network, loss: &[f64]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut eat = |b: u64| {
        h ^= b;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    for p in net.params() {
        for v in p.value.data() {
            eat(u64::from(v.to_bits()));
        }
    }
    for l in loss {
        eat(l.to_bits());
    }
    h
}

/// LoRA and distillation run the one trainer (`nn::train::fit`, the loss from the hook):
/// the weights and losses are bit for bit those of the loop they had before it
/// (`loss_fit::fit_loss`, deleted), fingerprints recorded from that loop.
#[test]
fn one_trainer_keeps_the_bits_of_the_old_loop() {
    let c = mlp();
    let d = Digits::embedded().unwrap();
    let split = d.split(Digits::FIXED_SPLIT_SEED);
    let (x, y) = digits_tensor(&d).unwrap();
    let xr = rotate_quarter(&x).unwrap();
    let mut net = lora_mlp(&c, BaseFormat::Int8, 2, 8.0, 11).unwrap();
    let log = fit(
        &mut net,
        &xr,
        &y,
        &split.train[..300],
        &config(2, 5e-3, 11),
        &mut NoHook,
    )
    .unwrap();
    let lora = fingerprint(&net, &log.epoch_loss);
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/networks/digits_cnn.safetensors");
    let mut teacher = DigitsNet::Cnn.build().unwrap();
    load_safetensors(&mut teacher, &std::fs::read(p).unwrap()).unwrap();
    let kd = DistillConfig {
        temperature: 4.0,
        soft_weight: 0.7,
    };
    let mut s = student_cnn(2, 4).unwrap();
    let teacher = Some((&mut teacher, kd));
    let log = train_student(
        &mut s,
        &x,
        &y,
        &split.train[..200],
        &config(2, 2e-3, 4),
        teacher,
        &mut NoHook,
    )
    .unwrap();
    let distilled = fingerprint(&s, &log.epoch_loss);
    let mut s = student_cnn(2, 4).unwrap();
    let log = train_student(
        &mut s,
        &x,
        &y,
        &split.train[..200],
        &config(2, 2e-3, 4),
        None,
        &mut NoHook,
    )
    .unwrap();
    let labels = fingerprint(&s, &log.epoch_loss);
    assert_eq!(
        (lora, distilled, labels),
        (
            0x9e91_1c5a_4007_6452,
            0xd95c_3699_1014_ffd3,
            0xd5dd_a644_06a9_64a0
        )
    );
}

/// A tiny `4 → 3 → 2` network: `fc1` (optionally with a rank-2 adapter, frozen) and `fc2`.
fn tiny(lora: bool) -> arithsim::nn::train::Network {
    use arithsim::nn::train::{Dense, Network, Relu};
    let w1: Vec<f32> = (0..12).map(rnd).collect();
    let layers: Vec<Box<dyn Layer>> = if lora {
        vec![
            Box::new(
                LoraDense::frozen("fc1", 4, 3, w1, vec![0.1; 3])
                    .unwrap()
                    .with_adapter(2, 1.0)
                    .unwrap(),
            ),
            Box::new(Relu::new("relu1")),
            Box::new(
                LoraDense::frozen("fc2", 3, 2, (12..18).map(rnd).collect(), vec![0.0; 2]).unwrap(),
            ),
        ]
    } else {
        vec![
            Box::new(Dense::new("fc1", 4, 3).unwrap()),
            Box::new(Relu::new("relu1")),
            Box::new(Dense::new("fc2", 3, 2).unwrap()),
        ]
    };
    let mut net = Network::new("tiny", &[4], layers).unwrap();
    net.init(3);
    net
}

/// The MACs a training run logs, and the FP32 multiplies and adds its cost prices, equal a
/// hand count for every method: full fine-tuning (and QAT / pruning, the same loop and
/// layers), LoRA (frozen base forward and input gradient, no base weight gradient) and
/// distillation (one teacher forward per training image, then the student's steps).
#[test]
fn training_macs_equal_a_hand_count_for_every_method() {
    use arithsim::cost::{CostTable, FloatKind, OpKind};
    use arithsim::nn::finetune::cost::{ADAM_ADDS, ADAM_MULS, TrainingCost};
    use arithsim::nn::train::{Dense, Macs, Network};
    let x = Tensor::new(vec![5, 4], (0..20).map(|i| rnd(i + 100)).collect()).unwrap();
    let y = [0, 1, 1, 0, 1];
    let all = [0, 1, 2, 3, 4];
    let mut cfg = config(2, 1e-2, 1);
    cfg.batch_size = 2; // 3 steps per epoch, 6 in all
    let table = CostTable::horowitz_45nm();
    let priced = |log: &arithsim::nn::train::TrainLog, params: usize, want: Macs| {
        assert_eq!(log.macs, want);
        let c = TrainingCost::of(log, params, &table).unwrap();
        let mul = c.tally.count(OpKind::FpMul {
            format: FloatKind::FP32,
        });
        let add = c.tally.count(OpKind::FpAdd {
            format: FloatKind::FP32,
        });
        let updates = 6 * params as u64;
        assert_eq!(mul, want.total() + ADAM_MULS * updates);
        assert_eq!(add, want.total() + ADAM_ADDS * updates);
    };
    // Full fine-tuning: per image 4·3 + 3·2 = 18 products in each of the three passes.
    let mut net = tiny(false);
    let log = fit(&mut net, &x, &y, &all, &cfg, &mut NoHook).unwrap();
    let per = 2 * 5 * 18;
    priced(
        &log,
        23,
        Macs {
            forward: per,
            backward_input: per,
            backward_weight: per,
        },
    );
    // LoRA r = 2 on fc1 (d = 3, k = 4): forward 12 + 8 + 6 and fc2 6; input gradient the
    // same; weight gradient only the adapter's 6 + 8. Trainable: 2·(3 + 4) = 14.
    let mut net = tiny(true);
    assert_eq!(net.parameter_count(), 14);
    let log = fit(&mut net, &x, &y, &all, &cfg, &mut NoHook).unwrap();
    priced(
        &log,
        14,
        Macs {
            forward: 2 * 5 * 32,
            backward_input: 2 * 5 * 32,
            backward_weight: 2 * 5 * 14,
        },
    );
    // Distillation on 3 images: the tiny teacher once per image (18), the 4 → 2 student
    // (8 per pass) two epochs of 2 steps.
    let mut teacher = tiny(false);
    let mut student = Network::new(
        "s",
        &[4],
        vec![Box::new(Dense::new("fc", 4, 2).unwrap()) as Box<dyn Layer>],
    )
    .unwrap();
    let kd = DistillConfig {
        temperature: 2.0,
        soft_weight: 0.5,
    };
    let log = train_student(
        &mut student,
        &x,
        &y,
        &[4, 0, 2],
        &cfg,
        Some((&mut teacher, kd)),
        &mut NoHook,
    )
    .unwrap();
    assert_eq!(log.steps, 4);
    let s = 2 * 3 * 8;
    assert_eq!(
        log.macs,
        Macs {
            forward: 3 * 18 + s,
            backward_input: s,
            backward_weight: s
        }
    );
}

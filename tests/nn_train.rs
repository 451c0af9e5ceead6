//! The trainer: every layer's backward pass against finite differences, the committed
//! checkpoints against the contract (names, shapes, F32) and an independent plain-f32
//! forward pass, accuracy ≥ 97 %, reproducibility and hyper-parameter errors.

use arithsim::Error;
use arithsim::cost::SplitMix64;
use arithsim::nn::data::Digits;
use arithsim::nn::train::{
    Conv2d, Dense, DigitsNet, Flatten, Layer, MaxPool2d, Network, OptimizerConfig, Relu, Tensor,
    TrainConfig, accuracy, digits_tensor, load_safetensors, read_checkpoint, softmax_cross_entropy,
    to_safetensors, train, train_digits,
};
use arithsim::rand_core::{Rng, SeedableRng};

/// One tensor of a checkpoint as `(name, shape, values)`.
type NamedTensor = (String, Vec<usize>, Vec<f32>);

/// The F32 tensors of safetensors bytes, sorted by name, as tuples the tests can edit.
fn read_f32_tensors(bytes: &[u8]) -> Result<Vec<NamedTensor>, Error> {
    Ok(read_checkpoint(bytes)?
        .tensors()
        .map(|(n, t)| (n.to_string(), t.shape.clone(), t.data.clone()))
        .collect())
}

fn uniform(rng: &mut SplitMix64) -> f32 {
    (rng.next_u64() >> 40) as f32 / 16_777_216.0 * 2.0 - 1.0
}

fn random(shape: &[usize], rng: &mut SplitMix64) -> Tensor {
    let n = shape.iter().product();
    Tensor::new(shape.to_vec(), (0..n).map(|_| uniform(rng)).collect()).unwrap()
}

/// `Σ r·y` in f64: a scalar loss whose gradient with respect to `y` is `r`.
fn dot(r: &Tensor, y: &Tensor) -> f64 {
    r.data()
        .iter()
        .zip(y.data())
        .map(|(&a, &b)| f64::from(a) * f64::from(b))
        .sum()
}

/// Checks `layer`'s input and parameter gradients against central differences of
/// `L = Σ r·forward(x)` with step `h`. Inputs must keep ReLU and pooling away from their
/// kinks by more than `h`.
fn grad_check(layer: &mut dyn Layer, x: &Tensor, h: f32, seed: u64) {
    let mut rng = SplitMix64::seed_from_u64(seed);
    // Non-zero parameters.
    for p in layer.params_mut() {
        for v in p.value.data_mut() {
            *v = uniform(&mut rng);
        }
        p.zero_grad();
    }
    let y = layer.forward(x).unwrap();
    let r = random(y.shape(), &mut rng);
    let dx = layer.backward(&r).unwrap();
    assert_eq!(dx.shape(), x.shape());
    let tol = |analytic: f32| 2e-3 * f64::from(analytic.abs()).max(1.0);
    let mut checked = 0;
    for i in 0..x.len() {
        let mut xp = x.clone();
        xp.data_mut()[i] += h;
        let lp = dot(&r, &layer.forward(&xp).unwrap());
        xp.data_mut()[i] -= 2.0 * h;
        let lm = dot(&r, &layer.forward(&xp).unwrap());
        let numeric = (lp - lm) / (2.0 * f64::from(h));
        let analytic = dx.data()[i];
        assert!(
            (numeric - f64::from(analytic)).abs() <= tol(analytic),
            "{}: input {i}: numeric {numeric}, analytic {analytic}",
            layer.name()
        );
        checked += 1;
    }
    let grads: Vec<Vec<f32>> = layer
        .params()
        .iter()
        .map(|p| p.grad.data().to_vec())
        .collect();
    for (pi, grad) in grads.iter().enumerate() {
        for (j, &analytic) in grad.iter().enumerate() {
            let at = |layer: &mut dyn Layer, delta: f32| {
                layer.params_mut()[pi].value.data_mut()[j] += delta;
                let l = dot(&r, &layer.forward(x).unwrap());
                layer.params_mut()[pi].value.data_mut()[j] -= delta;
                l
            };
            let numeric = (at(layer, h) - at(layer, -h)) / (2.0 * f64::from(h));
            assert!(
                (numeric - f64::from(analytic)).abs() <= tol(analytic),
                "{}: parameter {} [{j}]: numeric {numeric}, analytic {analytic}",
                layer.name(),
                layer.params()[pi].name,
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

#[test]
fn dense_gradients_match_finite_differences() {
    let mut rng = SplitMix64::seed_from_u64(1);
    let x = random(&[3, 5], &mut rng);
    grad_check(&mut Dense::new("d", 5, 4).unwrap(), &x, 1e-2, 2);
}

#[test]
fn conv_gradients_match_finite_differences() {
    let mut rng = SplitMix64::seed_from_u64(3);
    let x = random(&[2, 2, 5, 5], &mut rng);
    grad_check(
        &mut Conv2d::new("c", 2, 3, (3, 3)).unwrap().with_padding((1, 1)),
        &x,
        1e-2,
        4,
    );
    // Stride 2, asymmetric kernel and padding, and groups.
    let x = random(&[2, 4, 6, 5], &mut rng);
    let mut c = Conv2d::new("g", 4, 6, (3, 2))
        .unwrap()
        .with_stride((2, 1))
        .unwrap()
        .with_padding((1, 0))
        .with_groups(2)
        .unwrap();
    assert_eq!(c.params()[0].value.shape(), [6, 2, 3, 2]);
    assert_eq!(c.output_shape(&[4, 6, 5]).unwrap(), [6, 3, 4]);
    grad_check(&mut c, &x, 1e-2, 5);
}

/// Values spaced 0.05 apart, shuffled: no two within 2h of each other and none within h of 0.
fn spaced(shape: &[usize], seed: u64) -> Tensor {
    let n: usize = shape.iter().product();
    let mut v: Vec<f32> = (0..n)
        .map(|i| (i as f32 - n as f32 / 2.0 + 0.5) * 0.05)
        .collect();
    let mut rng = SplitMix64::seed_from_u64(seed);
    for i in (1..n).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
    Tensor::new(shape.to_vec(), v).unwrap()
}

#[test]
fn relu_pool_flatten_gradients_match_finite_differences() {
    let x = spaced(&[2, 3, 4, 4], 6);
    grad_check(&mut Relu::new("r"), &x, 1e-2, 7);
    grad_check(&mut MaxPool2d::new("p", 2, 2).unwrap(), &x, 1e-2, 8);
    grad_check(&mut MaxPool2d::new("p3", 3, 1).unwrap(), &x, 1e-2, 9);
    grad_check(&mut Flatten::new("f"), &x, 1e-2, 10);
}

#[test]
fn softmax_cross_entropy_gradient_matches_finite_differences() {
    let mut rng = SplitMix64::seed_from_u64(11);
    let logits = Tensor::new(
        vec![3, 10],
        (0..30).map(|_| 3.0 * uniform(&mut rng)).collect(),
    )
    .unwrap();
    let labels = [2, 9, 0];
    let (_, g) = softmax_cross_entropy(&logits, &labels).unwrap();
    let h = 1e-2f32;
    for i in 0..logits.len() {
        let mut l = logits.clone();
        l.data_mut()[i] += h;
        let (lp, _) = softmax_cross_entropy(&l, &labels).unwrap();
        l.data_mut()[i] -= 2.0 * h;
        let (lm, _) = softmax_cross_entropy(&l, &labels).unwrap();
        let numeric = (lp - lm) / (2.0 * f64::from(h));
        assert!(
            (numeric - f64::from(g.data()[i])).abs() < 1e-4,
            "logit {i}: {numeric} vs {}",
            g.data()[i]
        );
    }
}

#[test]
fn network_gradient_matches_finite_differences() {
    // Dense → Dense → cross-entropy (no kinks): the chain rule through Network::backward.
    let layers: Vec<Box<dyn Layer>> = vec![
        Box::new(Flatten::new("flat")),
        Box::new(Dense::new("a", 6, 5).unwrap()),
        Box::new(Dense::new("b", 5, 3).unwrap()),
    ];
    let mut net = Network::new("t", &[1, 2, 3], layers).unwrap();
    net.init(12);
    let mut rng = SplitMix64::seed_from_u64(13);
    let x = random(&[4, 1, 2, 3], &mut rng);
    let labels = [0, 2, 1, 2];
    net.zero_grad();
    let (_, g) = softmax_cross_entropy(&net.forward(&x).unwrap(), &labels).unwrap();
    net.backward(&g).unwrap();
    let analytic = net.param("a.weight").unwrap().grad.clone();
    let h = 1e-2f32;
    for j in 0..analytic.len() {
        let mut loss_at = |d: f32| {
            net.params_mut()[0].value.data_mut()[j] += d;
            let (l, _) = softmax_cross_entropy(&net.forward(&x).unwrap(), &labels).unwrap();
            net.params_mut()[0].value.data_mut()[j] -= d;
            l
        };
        let numeric = (loss_at(h) - loss_at(-h)) / (2.0 * f64::from(h));
        assert!(
            (numeric - f64::from(analytic.data()[j])).abs() < 2e-4,
            "a.weight[{j}]: {numeric} vs {}",
            analytic.data()[j]
        );
    }
}

fn checkpoint(which: DigitsNet) -> Vec<u8> {
    let path = format!(
        "{}/data/networks/{}.safetensors",
        env!("CARGO_MANIFEST_DIR"),
        which.name()
    );
    std::fs::read(path).unwrap()
}

#[test]
fn checkpoints_follow_the_contract() {
    type Names<'a> = &'a [(&'a str, &'a [usize])];
    let expect: [(DigitsNet, Names); 2] = [
        (
            DigitsNet::Mlp,
            &[
                ("fc1.bias", &[64]),
                ("fc1.weight", &[64, 64]),
                ("fc2.bias", &[32]),
                ("fc2.weight", &[32, 64]),
                ("fc3.bias", &[10]),
                ("fc3.weight", &[10, 32]),
            ],
        ),
        (
            DigitsNet::Cnn,
            &[
                ("conv1.bias", &[16]),
                ("conv1.weight", &[16, 1, 3, 3]),
                ("conv2.bias", &[32]),
                ("conv2.weight", &[32, 16, 3, 3]),
                ("fc.bias", &[10]),
                ("fc.weight", &[10, 128]),
            ],
        ),
    ];
    for (which, tensors) in expect {
        let got = read_f32_tensors(&checkpoint(which)).unwrap();
        let names: Vec<(&str, &[usize])> = got
            .iter()
            .map(|(n, s, _)| (n.as_str(), s.as_slice()))
            .collect();
        assert_eq!(names, tensors, "{}", which.name());
        assert!(got.iter().all(|(_, _, v)| v.iter().all(|x| x.is_finite())));
    }
}

#[test]
fn checkpoints_reach_97_percent_on_the_fixed_split() {
    let digits = Digits::embedded().unwrap();
    let split = digits.split(Digits::FIXED_SPLIT_SEED);
    let (x, y) = digits_tensor(&digits).unwrap();
    for which in DigitsNet::ALL {
        let mut net = which.build().unwrap();
        load_safetensors(&mut net, &checkpoint(which)).unwrap();
        let acc = accuracy(&mut net, &x, &y, &split.test).unwrap();
        assert!(acc >= 0.97, "{}: {acc}", which.name());
        // Saving the loaded network gives back the same tensors.
        let again = read_f32_tensors(&to_safetensors(&net, None).unwrap()).unwrap();
        assert_eq!(again, read_f32_tensors(&checkpoint(which)).unwrap());
    }
}

/// The CNN checkpoint through a plain f32 forward pass written from the contract (OIHW
/// weights, padding 1, 2×2 max pool, C,H,W flatten), summing in the trainer's order:
/// the logits are the same bits as `Network::forward`.
#[test]
fn cnn_forward_equals_a_plain_f32_reference() {
    let t: std::collections::HashMap<String, Vec<f32>> =
        read_f32_tensors(&checkpoint(DigitsNet::Cnn))
            .unwrap()
            .into_iter()
            .map(|(n, _, v)| (n, v))
            .collect();
    fn conv(x: &[f32], c: usize, hw: usize, w: &[f32], b: &[f32], o: usize) -> Vec<f32> {
        let mut out = vec![0.0f32; o * hw * hw];
        for oc in 0..o {
            for y in 0..hw {
                for xx in 0..hw {
                    let mut acc = 0.0f32;
                    for ic in 0..c {
                        for ky in 0..3 {
                            for kx in 0..3 {
                                let (iy, ix) = (y + ky, xx + kx);
                                if iy < 1 || ix < 1 || iy > hw || ix > hw {
                                    continue;
                                }
                                acc += w[((oc * c + ic) * 3 + ky) * 3 + kx]
                                    * x[(ic * hw + iy - 1) * hw + ix - 1];
                            }
                        }
                    }
                    out[(oc * hw + y) * hw + xx] = (acc + b[oc]).max(0.0);
                }
            }
        }
        out
    }
    fn pool(x: &[f32], c: usize, hw: usize) -> Vec<f32> {
        let h = hw / 2;
        let mut out = Vec::new();
        for ch in 0..c {
            for y in 0..h {
                for xx in 0..h {
                    let at = |dy: usize, dx: usize| x[(ch * hw + 2 * y + dy) * hw + 2 * xx + dx];
                    out.push(at(0, 0).max(at(0, 1)).max(at(1, 0)).max(at(1, 1)));
                }
            }
        }
        out
    }
    let digits = Digits::embedded().unwrap();
    let split = digits.split(Digits::FIXED_SPLIT_SEED);
    let mut net = DigitsNet::Cnn.build().unwrap();
    load_safetensors(&mut net, &checkpoint(DigitsNet::Cnn)).unwrap();
    let (x, _) = digits_tensor(&digits).unwrap();
    let batch = arithsim::nn::train::gather(&x, &split.test).unwrap();
    let logits = net.forward(&batch).unwrap();
    for (k, &i) in split.test.iter().enumerate() {
        let img = digits.input(i).unwrap();
        let a = pool(
            &conv(&img, 1, 8, &t["conv1.weight"], &t["conv1.bias"], 16),
            16,
            8,
        );
        let a = pool(
            &conv(&a, 16, 4, &t["conv2.weight"], &t["conv2.bias"], 32),
            32,
            4,
        );
        let (w, b) = (&t["fc.weight"], &t["fc.bias"]);
        for o in 0..10 {
            let mut acc = 0.0f32;
            for j in 0..128 {
                acc += w[o * 128 + j] * a[j];
            }
            let want = acc + b[o];
            assert_eq!(
                logits.data()[k * 10 + o].to_bits(),
                want.to_bits(),
                "image {i} logit {o}"
            );
        }
    }
}

#[test]
fn training_is_bit_reproducible() {
    let digits = Digits::embedded().unwrap();
    let split = digits.split(5);
    let mut config = DigitsNet::Cnn.recipe();
    config.epochs = 1;
    let mut small = split.clone();
    small.train.truncate(200);
    let a = train_digits(DigitsNet::Cnn, &digits, &small, &config).unwrap();
    let b = train_digits(DigitsNet::Cnn, &digits, &small, &config).unwrap();
    assert_eq!(
        to_safetensors(&a.net, None).unwrap(),
        to_safetensors(&b.net, None).unwrap()
    );
    config.init_seed += 1;
    let c = train_digits(DigitsNet::Cnn, &digits, &small, &config).unwrap();
    assert_ne!(
        a.net.param("conv1.weight").unwrap(),
        c.net.param("conv1.weight").unwrap()
    );
    // SGD with momentum trains too.
    config.optimizer = OptimizerConfig::Sgd {
        lr: 0.05,
        momentum: 0.9,
        weight_decay: 0.0,
    };
    let s = train_digits(DigitsNet::Mlp, &digits, &split, &config).unwrap();
    assert!(s.log.epoch_loss[0] < 2.3, "{:?}", s.log.epoch_loss);
}

#[test]
fn bad_hyper_parameters_are_errors_naming_the_parameter() {
    let digits = Digits::embedded().unwrap();
    let split = digits.split(1);
    let (x, y) = digits_tensor(&digits).unwrap();
    let base = DigitsNet::Mlp.recipe();
    let cases: Vec<(TrainConfig, &str)> = vec![
        (TrainConfig { epochs: 0, ..base }, "epochs"),
        (
            TrainConfig {
                batch_size: 0,
                ..base
            },
            "batch size",
        ),
        (
            TrainConfig {
                optimizer: OptimizerConfig::adam(0.0),
                ..base
            },
            "learning rate",
        ),
        (
            TrainConfig {
                optimizer: OptimizerConfig::adam(-1.0),
                ..base
            },
            "learning rate",
        ),
        (
            TrainConfig {
                optimizer: OptimizerConfig::adam(f32::NAN),
                ..base
            },
            "learning rate",
        ),
        (
            TrainConfig {
                optimizer: OptimizerConfig::Sgd {
                    lr: 0.1,
                    momentum: 1.0,
                    weight_decay: 0.0,
                },
                ..base
            },
            "momentum",
        ),
        (
            TrainConfig {
                final_lr_fraction: 0.0,
                ..base
            },
            "final learning-rate fraction",
        ),
    ];
    for (config, name) in cases {
        let mut net = DigitsNet::Mlp.build().unwrap();
        let e = train(&mut net, &x, &y, &split.train, &config).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidParameter { name: n, .. } if *n == name),
            "{name}: {e}"
        );
    }
    let mut net = DigitsNet::Mlp.build().unwrap();
    let e = train(&mut net, &x, &y, &[], &base).unwrap_err();
    assert!(e.to_string().contains("training data"), "{e}");
    assert!(train(&mut net, &x, &y, &[5000], &base).is_err());
    assert!(train(&mut net, &x, &y[..10], &split.train, &base).is_err());
}

#[test]
fn bad_checkpoints_are_errors_naming_the_tensor() {
    use safetensors::tensor::{Dtype, TensorView};
    let mut net = DigitsNet::Mlp.build().unwrap();
    let good = checkpoint(DigitsNet::Mlp);
    let mut tensors = read_f32_tensors(&good).unwrap();
    let write = |t: &[NamedTensor], dtype_of: &dyn Fn(&str) -> Dtype| {
        let bytes: Vec<(String, Vec<usize>, Vec<u8>, Dtype)> = t
            .iter()
            .map(|(n, s, v)| {
                let d = dtype_of(n);
                let b: Vec<u8> = if d == Dtype::F32 {
                    v.iter().flat_map(|x| x.to_le_bytes()).collect()
                } else {
                    vec![0; v.len() * 2]
                };
                (n.clone(), s.clone(), b, d)
            })
            .collect();
        let views: Vec<(String, TensorView)> = bytes
            .iter()
            .map(|(n, s, b, d)| (n.clone(), TensorView::new(*d, s.clone(), b).unwrap()))
            .collect();
        safetensors::serialize(views, None).unwrap()
    };
    let f16 = write(&tensors, &|n| {
        if n == "fc2.bias" {
            Dtype::F16
        } else {
            Dtype::F32
        }
    });
    let e = load_safetensors(&mut net, &f16).unwrap_err().to_string();
    assert!(e.contains("fc2.bias"), "{e}");

    tensors[0].1 = vec![8, 8]; // fc1.bias [64] → [8, 8]
    let e = load_safetensors(&mut net, &write(&tensors, &|_| Dtype::F32))
        .unwrap_err()
        .to_string();
    assert!(e.contains("fc1.bias"), "{e}");

    tensors.remove(0);
    let e = load_safetensors(&mut net, &write(&tensors, &|_| Dtype::F32))
        .unwrap_err()
        .to_string();
    assert!(e.contains("fc1.bias") && e.contains("missing"), "{e}");

    for len in [0, 7, 8, 100, good.len() - 1] {
        assert!(load_safetensors(&mut net, &good[..len]).is_err());
    }
}

#[test]
fn shapes_that_do_not_chain_name_the_layer() {
    let layers: Vec<Box<dyn Layer>> = vec![
        Box::new(Flatten::new("flat")),
        Box::new(Dense::new("fc1", 64, 32).unwrap()),
        Box::new(Dense::new("fc2", 31, 10).unwrap()),
    ];
    let e = Network::new("bad", &[1, 8, 8], layers)
        .unwrap_err()
        .to_string();
    assert!(e.contains("fc2"), "{e}");
    let e = Conv2d::new("c", 3, 4, (3, 3))
        .unwrap()
        .with_groups(2)
        .unwrap_err()
        .to_string();
    assert!(e.contains("layer c"), "{e}");
    let mut net = DigitsNet::Cnn.build().unwrap();
    assert!(net.forward(&Tensor::zeros(&[2, 1, 7, 8])).is_err());
    assert!(net.backward(&Tensor::zeros(&[2, 10])).is_err());
}

#[test]
fn odd_tensors_are_errors_not_panics() {
    assert!(Tensor::new(vec![usize::MAX, 3], vec![]).is_err());
    assert!(Tensor::new(vec![2, 2], vec![0.0; 3]).is_err());
    let mut pool = MaxPool2d::new("p", 2, 2).unwrap();
    pool.forward(&Tensor::zeros(&[1, 1, 4, 4])).unwrap();
    assert!(
        pool.backward(&Tensor::new(vec![], vec![0.0]).unwrap())
            .is_err()
    );
    // A network whose output is not [batch, classes] cannot predict.
    let layers: Vec<Box<dyn Layer>> = vec![Box::new(Relu::new("r"))];
    let mut net = Network::new("n", &[1, 2, 2], layers).unwrap();
    let x = Tensor::zeros(&[1, 1, 2, 2]);
    assert!(arithsim::nn::train::predict(&mut net, &x, &[0]).is_err());
}

/// The committed MLP checkpoint is what its recipe produces, tensor for tensor, bit for bit
/// (≈ 1.5 s in release; `train_digits --check` does the same for the CNN).
#[test]
fn mlp_checkpoint_is_reproduced_bit_for_bit() {
    let digits = Digits::embedded().unwrap();
    let split = digits.split(Digits::FIXED_SPLIT_SEED);
    let t = train_digits(DigitsNet::Mlp, &digits, &split, &DigitsNet::Mlp.recipe()).unwrap();
    let retrained = read_f32_tensors(&to_safetensors(&t.net, None).unwrap()).unwrap();
    let committed = read_f32_tensors(&checkpoint(DigitsNet::Mlp)).unwrap();
    assert_eq!(retrained.len(), committed.len());
    for ((name, shape, a), (_, cshape, b)) in retrained.iter().zip(&committed) {
        assert_eq!(shape, cshape, "{name}");
        let same = a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits());
        assert!(same, "{name} differs from the committed checkpoint");
    }
    assert!((t.test_accuracy - 352.0 / 360.0).abs() < 1e-12);
}

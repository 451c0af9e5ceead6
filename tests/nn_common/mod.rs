//! Shared by the network tests: random checkpoints with the digits networks' names and shapes
//! (weights from the crate's seeded RNG), random 8×8 images (pixel/16), and an f32
//! reference forward pass written from the layer definitions.
#![allow(dead_code, clippy::needless_range_loop)]

use arithsim::cost::SplitMix64;
use arithsim::nn::{Checkpoint, Network, Op, Tensor};
use arithsim::quant::normal_tensor;
use arithsim::rand_core::{Rng, SeedableRng};

/// A checkpoint of He-initialised random weights for `layers` (`name`, weight shape).
pub fn random_checkpoint(layers: &[(&str, Vec<usize>)], seed: u64) -> Checkpoint {
    let mut c = Checkpoint::default();
    for (i, (name, shape)) in layers.iter().enumerate() {
        let n: usize = shape.iter().product();
        let fan_in = n / shape[0];
        let std = (2.0 / fan_in as f64).sqrt();
        let w = normal_tensor(n, std, seed + 2 * i as u64).unwrap();
        let b = normal_tensor(shape[0], 0.05, seed + 2 * i as u64 + 1).unwrap();
        c.insert(
            format!("{name}.weight"),
            Tensor {
                shape: shape.clone(),
                data: w,
            },
        );
        c.insert(
            format!("{name}.bias"),
            Tensor {
                shape: vec![shape[0]],
                data: b,
            },
        );
    }
    c
}

pub fn cnn_layers() -> Vec<(&'static str, Vec<usize>)> {
    vec![
        ("conv1", vec![16, 1, 3, 3]),
        ("conv2", vec![32, 16, 3, 3]),
        ("fc", vec![10, 128]),
    ]
}

pub fn mlp_layers() -> Vec<(&'static str, Vec<usize>)> {
    vec![
        ("fc1", vec![64, 64]),
        ("fc2", vec![32, 64]),
        ("fc3", vec![10, 32]),
    ]
}

/// `n` random digits-like images: pixels 0..=16 divided by 16, a third of them 0.
pub fn random_images(n: usize, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = SplitMix64::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            (0..64)
                .map(|_| {
                    let r = rng.next_u64();
                    if r % 3 == 0 {
                        0.0
                    } else {
                        ((r >> 8) % 17) as f32 / 16.0
                    }
                })
                .collect()
        })
        .collect()
}

/// Every value of a forward pass in plain f32, written from the layer definitions: each
/// output starts at its bias and adds `w·x` with one fused multiply-add per product, inputs
/// in (channel, kernel row, kernel column) order, padded taps multiplying 0.
pub fn reference_f32(net: &Network, image: &[f32]) -> Vec<Vec<f32>> {
    let mut vals = vec![image.to_vec()];
    for (i, node) in net.nodes().iter().enumerate() {
        let x = vals[node.input].clone();
        let s = net.shape(node.input).to_vec();
        let os = net.shape(i + 1).to_vec();
        let y: Vec<f32> = match &node.op {
            Op::Dense(d) => (0..d.outputs)
                .map(|o| {
                    let mut acc = d.bias[o];
                    for k in 0..d.inputs {
                        acc = d.weight[o * d.inputs + k].mul_add(x[k], acc);
                    }
                    acc
                })
                .collect(),
            Op::Conv2d(c) => {
                assert_eq!(c.groups, 1);
                let (h, w) = (s[1] as i64, s[2] as i64);
                let (kh, kw) = c.kernel;
                let mut y = Vec::new();
                for o in 0..c.out_channels {
                    for oy in 0..os[1] as i64 {
                        for ox in 0..os[2] as i64 {
                            let mut acc = c.bias[o];
                            for ci in 0..c.in_channels {
                                for ky in 0..kh as i64 {
                                    for kx in 0..kw as i64 {
                                        let iy = oy * c.stride.0 as i64 + ky - c.padding.0 as i64;
                                        let ix = ox * c.stride.1 as i64 + kx - c.padding.1 as i64;
                                        let v = if (0..h).contains(&iy) && (0..w).contains(&ix) {
                                            x[((ci as i64 * h + iy) * w + ix) as usize]
                                        } else {
                                            0.0
                                        };
                                        let wi = ((o * c.in_channels + ci) * kh + ky as usize) * kw
                                            + kx as usize;
                                        acc = c.weight[wi].mul_add(v, acc);
                                    }
                                }
                            }
                            y.push(acc);
                        }
                    }
                }
                y
            }
            Op::Relu => x.iter().map(|&v| if v > 0.0 { v } else { 0.0 }).collect(),
            Op::MaxPool { size, stride } => {
                let mut y = Vec::new();
                for ch in 0..s[0] {
                    for oy in 0..os[1] {
                        for ox in 0..os[2] {
                            let mut m = f32::NEG_INFINITY;
                            for ky in 0..*size {
                                for kx in 0..*size {
                                    let v =
                                        x[(ch * s[1] + oy * stride + ky) * s[2] + ox * stride + kx];
                                    if v > m {
                                        m = v;
                                    }
                                }
                            }
                            y.push(m);
                        }
                    }
                }
                y
            }
            Op::Flatten => x,
            Op::Add { other } => x.iter().zip(&vals[*other]).map(|(a, b)| a + b).collect(),
            other => panic!("reference has no {other:?}"),
        };
        vals.push(y);
    }
    vals
}

//! Workload shapes (no weights): layers and built-in networks.
//!
//! Shapes are the datapath's ([`GemmShape`], [`Conv2dShape`]), with its GEMM convention:
//! `C[M × N] = A[M × K] · B[K × N]` with `A` the weights (`M` output channels), `B` the
//! activations (`N` output pixels × batch) and `K` the reduction. A convolution is mapped
//! through its implicit-GEMM view ([`Conv2dShape::gemm_view`]): per group `M = Cout/groups`,
//! `K = (Cin/groups)·KH·KW`, `N = batch·OH·OW`.

use super::elementwise::ElementwiseOp;
use crate::datapath::{Conv2dDims, Conv2dShape, GemmShape};
use crate::{Error, Result};

/// One layer of a network.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LayerKind {
    /// A convolution.
    Conv2d(Conv2dShape),
    /// A fully connected layer: `batch` vectors of `inputs` values to `outputs` values
    /// (a GEMM with `M = outputs`, `K = inputs`, `N = batch`).
    FullyConnected {
        /// Vectors (images).
        batch: usize,
        /// Input features.
        inputs: usize,
        /// Output features.
        outputs: usize,
    },
    /// `count` independent products of two activation matrices, `C[M × N] = A[M × K] ·
    /// B[K × N]` each (attention: per head and sequence, the scores `K·Qᵀ` with `M` keys,
    /// `N` queries, `K` the head width, and the context `Vᵀ·P` with `M` the head width,
    /// `K` keys). No weights: both operands are activations.
    MatMul {
        /// Independent products (heads × sequences).
        count: usize,
        /// Rows of `A` and `C`.
        m: usize,
        /// Columns of `B` and `C`.
        n: usize,
        /// The reduction.
        k: usize,
    },
    /// Element-wise work on `elems` output elements: no MACs, the operations of
    /// [`ElementwiseOp::counts`] per element.
    Elementwise {
        /// What is computed.
        op: ElementwiseOp,
        /// Output elements.
        elems: usize,
    },
}

/// A named layer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(remote = "Self")
)]
pub struct Layer {
    /// Its name ("conv1", "layer2.0.conv2", "fc").
    pub name: String,
    /// What it computes.
    pub kind: LayerKind,
}

impl Layer {
    /// How many independent GEMMs (groups, heads) and the shape of each; an element-wise
    /// layer has none (`0` GEMMs of an empty shape).
    pub fn gemm_view(&self) -> (usize, GemmShape) {
        match &self.kind {
            LayerKind::MatMul { count, m, n, k } => (
                *count,
                GemmShape {
                    m: *m,
                    n: *n,
                    k: *k,
                },
            ),
            LayerKind::Elementwise { .. } => (0, GemmShape { m: 0, n: 0, k: 0 }),
            LayerKind::Conv2d(c) => c.gemm_view(),
            LayerKind::FullyConnected {
                batch,
                inputs,
                outputs,
            } => (
                1,
                GemmShape {
                    m: *outputs,
                    n: *batch,
                    k: *inputs,
                },
            ),
        }
    }

    /// Every size of the layer from one [`gemm_view`](Self::gemm_view): a convolution's
    /// costs several integer divisions, and mapping a layer reads each size more than once
    /// (about 8 % of an accelerator sweep's time when each was recomputed).
    pub(crate) fn sizes(&self) -> LayerSizes {
        let (g, s) = self.gemm_view();
        let (weights, outputs) = match self.kind {
            LayerKind::MatMul { .. } => (0, (g * s.m * s.n) as u64),
            LayerKind::Elementwise { elems, .. } => ((g * s.m * s.k) as u64, elems as u64),
            _ => ((g * s.m * s.k) as u64, (g * s.m * s.n) as u64),
        };
        LayerSizes {
            groups: g,
            gemm: s,
            macs: g as u64 * s.macs(),
            weights,
            inputs: self.input_elems(),
            outputs,
        }
    }

    /// Multiply-accumulates.
    pub fn macs(&self) -> u64 {
        self.sizes().macs
    }

    /// Weight elements (biases not counted; none for a [`LayerKind::MatMul`] or an
    /// element-wise layer).
    pub fn weight_elems(&self) -> u64 {
        self.sizes().weights
    }

    /// Input activation elements (before im2col; both operands of a
    /// [`LayerKind::MatMul`]; every input tensor of an element-wise layer).
    pub fn input_elems(&self) -> u64 {
        match &self.kind {
            LayerKind::Conv2d(c) => c.input_len() as u64,
            LayerKind::FullyConnected { batch, inputs, .. } => (batch * inputs) as u64,
            LayerKind::MatMul { count, m, n, k } => (count * (m * k + k * n)) as u64,
            LayerKind::Elementwise { op, elems } => op.inputs() * *elems as u64,
        }
    }

    /// Output activation elements.
    pub fn output_elems(&self) -> u64 {
        self.sizes().outputs
    }

    /// Checks the layer's shape.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] as [`Conv2dShape::validate`], or a zero fully connected, matmul or
    /// element-wise dimension, or a matmul whose counts overflow.
    pub fn validate(&self) -> Result<()> {
        match &self.kind {
            LayerKind::Conv2d(c) => c.validate(),
            LayerKind::FullyConnected {
                batch,
                inputs,
                outputs,
            } => GemmShape::new(*outputs, *batch, *inputs).map(|_| ()),
            LayerKind::MatMul { count, m, n, k } => {
                if *count == 0 {
                    return Err(Error::Shape(
                        "matmul count is 0; it must be at least 1".into(),
                    ));
                }
                let s = GemmShape::new(*m, *n, *k)?;
                let operands = m
                    .checked_mul(*k)
                    .zip(k.checked_mul(*n))
                    .and_then(|(a, b)| a.checked_add(b))
                    .and_then(|x| x.checked_mul(*count));
                if operands.is_none() || (*count as u64).checked_mul(s.macs()).is_none() {
                    return Err(Error::Shape(format!(
                        "{count} matmuls of {m}x{n}x{k} overflow the element or MAC count"
                    )));
                }
                Ok(())
            }
            LayerKind::Elementwise { op, elems } => {
                if *elems == 0 {
                    return Err(Error::Shape(format!("{op} over 0 elements")));
                }
                // Input elements, operations and their bits must be countable in u64.
                let per = op.inputs().max(op.ops_per_elem()).max(1) * 64;
                if (*elems as u64).checked_mul(per).is_none() {
                    return Err(Error::Shape(format!(
                        "{op} over {elems} elements overflows the element or operation count"
                    )));
                }
                Ok(())
            }
        }
    }
}

/// A network as an ordered list of layers with MACs (the CNN presets leave pooling,
/// activations and additions out: they are a rounding error next to the convolutions; the
/// transformer workloads list their element-wise work as [`LayerKind::Elementwise`] layers).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(remote = "Self")
)]
pub struct Network {
    /// Its name.
    pub name: String,
    /// Its layers in execution order.
    pub layers: Vec<Layer>,
}

impl Network {
    /// Total multiply-accumulates.
    pub fn macs(&self) -> u64 {
        self.layers.iter().map(Layer::macs).sum()
    }

    /// Total weight elements.
    pub fn weight_elems(&self) -> u64 {
        self.layers.iter().map(Layer::weight_elems).sum()
    }

    /// ResNet-50 v1.5 (torchvision's `resnet50`) at 224 × 224: the stride of each stage's
    /// first bottleneck sits on its 3 × 3 convolution. 4,089,184,256 MACs per image,
    /// 2,048,000 of them in the final fully connected layer.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `batch` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::Network;
    ///
    /// assert_eq!(Network::resnet50_v1_5(1).unwrap().macs(), 4_089_184_256);
    /// ```
    pub fn resnet50_v1_5(batch: usize) -> Result<Network> {
        resnet50(batch, true)
    }

    /// The original ResNet-50 v1 (He et al. 2015): the stride sits on the first 1 × 1
    /// convolution of a downsampling bottleneck. 3,857,973,248 MACs per image.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `batch` is 0.
    pub fn resnet50_v1(batch: usize) -> Result<Network> {
        resnet50(batch, false)
    }

    /// LeNet-5 on 32 × 32 × 1 (LeCun et al. 1998, dense C3): 416,520 MACs per image.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `batch` is 0.
    pub fn lenet5(batch: usize) -> Result<Network> {
        let conv = |name: &str, cin, size, cout| -> Result<Layer> {
            let c = Conv2dShape::new(Conv2dDims {
                batch,
                in_channels: cin,
                in_height: size,
                in_width: size,
                out_channels: cout,
                kernel_height: 5,
                kernel_width: 5,
            })?;
            Ok(Layer {
                name: name.into(),
                kind: LayerKind::Conv2d(c),
            })
        };
        let fc = |name: &str, inputs, outputs| Layer {
            name: name.into(),
            kind: LayerKind::FullyConnected {
                batch,
                inputs,
                outputs,
            },
        };
        let net = Network {
            name: "LeNet-5".into(),
            layers: vec![
                conv("c1", 1, 32, 6)?,
                conv("c3", 6, 14, 16)?,
                fc("c5", 400, 120),
                fc("f6", 120, 84),
                fc("output", 84, 10),
            ],
        };
        net.validate()?;
        Ok(net)
    }

    /// Checks every layer.
    ///
    /// # Errors
    ///
    /// The first layer's [`Layer::validate`] error, prefixed with its name.
    pub fn validate(&self) -> Result<()> {
        for l in &self.layers {
            l.validate()
                .map_err(|e| Error::Shape(format!("layer {}: {e}", l.name)))?;
        }
        Ok(())
    }
}

/// ResNet-50 at 224 × 224; `v1_5` puts a downsampling block's stride on its 3 × 3 conv.
fn resnet50(batch: usize, v1_5: bool) -> Result<Network> {
    let mut layers = Vec::new();
    let mut push = |name: String, cin, size, cout, k, stride, pad| -> Result<()> {
        let c = Conv2dShape::new(Conv2dDims {
            batch,
            in_channels: cin,
            in_height: size,
            in_width: size,
            out_channels: cout,
            kernel_height: k,
            kernel_width: k,
        })?
        .with_stride(stride, stride)?
        .with_padding(pad, pad)?;
        layers.push(Layer {
            name,
            kind: LayerKind::Conv2d(c),
        });
        Ok(())
    };
    push("conv1".into(), 3, 224, 64, 7, 2, 3)?;
    // After the 3x3/2 max pool: 56 x 56 x 64.
    let mut size = 56;
    let mut cin = 64;
    for (stage, (width, blocks, stride)) in [
        (64usize, 3u32, 1usize),
        (128, 4, 2),
        (256, 6, 2),
        (512, 3, 2),
    ]
    .into_iter()
    .enumerate()
    {
        let cout = width * 4;
        for b in 0..blocks {
            let s = if b == 0 { stride } else { 1 };
            let (s1, s3) = if v1_5 { (1, s) } else { (s, 1) };
            let p = format!("layer{}.{b}", stage + 1);
            push(format!("{p}.conv1"), cin, size, width, 1, s1, 0)?;
            let mid = size / s1;
            push(format!("{p}.conv2"), width, mid, width, 3, s3, 1)?;
            let out = mid / s3;
            push(format!("{p}.conv3"), width, out, cout, 1, 1, 0)?;
            if b == 0 {
                push(format!("{p}.downsample"), cin, size, cout, 1, s, 0)?;
            }
            cin = cout;
            size = out;
        }
    }
    layers.push(Layer {
        name: "fc".into(),
        kind: LayerKind::FullyConnected {
            batch,
            inputs: 2048,
            outputs: 1000,
        },
    });
    let net = Network {
        name: if v1_5 {
            "ResNet-50 v1.5".into()
        } else {
            "ResNet-50 v1".into()
        },
        layers,
    };
    net.validate()?;
    Ok(net)
}

#[cfg(feature = "serde")]
crate::names::serde_checked!(Layer, Layer::validate);

#[cfg(feature = "serde")]
crate::names::serde_checked!(Network, Network::validate);

/// A layer's sizes, from [`Layer::sizes`]: the values of [`Layer::gemm_view`],
/// [`Layer::macs`], [`Layer::weight_elems`], [`Layer::input_elems`] and
/// [`Layer::output_elems`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LayerSizes {
    pub(crate) groups: usize,
    pub(crate) gemm: GemmShape,
    pub(crate) macs: u64,
    pub(crate) weights: u64,
    pub(crate) inputs: u64,
    pub(crate) outputs: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resnet50_layer_count_and_fc() {
        let n = Network::resnet50_v1_5(1).unwrap();
        // conv1 + 16 bottlenecks x 3 + 4 downsamples + fc.
        assert_eq!(n.layers.len(), 1 + 48 + 4 + 1);
        assert_eq!(n.layers.last().unwrap().macs(), 2_048_000);
        assert_eq!(n.weight_elems(), 25_502_912); // 25.5 M weights (no biases, no BN)
    }
}

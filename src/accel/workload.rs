//! Workload shapes (no weights): GEMMs, convolutions, and built-in networks.
//!
//! A convolution is mapped through its GEMM view (im2col): per group, `M = batch · OH · OW`
//! output pixels, `K = (Cin / groups) · KH · KW` and `N = Cout / groups`, so
//! `MACs = groups · M · K · N`.

use crate::{Error, Result};

/// `C[M × N] = A[M × K] · B[K × N]`: `M` rows of activations, `K` the reduction, `N` outputs
/// (weights `B` are `K × N`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GemmShape {
    /// Rows of the activation matrix (output pixels × batch).
    pub m: u64,
    /// Reduction length.
    pub k: u64,
    /// Output columns (output channels).
    pub n: u64,
}

impl GemmShape {
    /// A GEMM shape.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when a dimension is zero.
    pub fn new(m: u64, k: u64, n: u64) -> Result<GemmShape> {
        if m == 0 || k == 0 || n == 0 {
            return Err(Error::Shape(format!(
                "gemm {m}x{k}x{n} has a zero dimension"
            )));
        }
        Ok(GemmShape { m, k, n })
    }

    /// Multiply-accumulates: `M · K · N`.
    pub fn macs(&self) -> u64 {
        self.m * self.k * self.n
    }
}

/// A 2-D convolution's shape, NCHW activations and `[Cout][Cin/groups][KH][KW]` filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Conv2dShape {
    /// Images per batch.
    pub batch: u64,
    /// Input channels.
    pub in_channels: u64,
    /// Input height.
    pub in_h: u64,
    /// Input width.
    pub in_w: u64,
    /// Output channels.
    pub out_channels: u64,
    /// Kernel height.
    pub kernel_h: u64,
    /// Kernel width.
    pub kernel_w: u64,
    /// Vertical stride.
    pub stride_h: u64,
    /// Horizontal stride.
    pub stride_w: u64,
    /// Zero padding on top and bottom.
    pub pad_h: u64,
    /// Zero padding left and right.
    pub pad_w: u64,
    /// Vertical dilation.
    pub dilation_h: u64,
    /// Horizontal dilation.
    pub dilation_w: u64,
    /// Channel groups (1: dense; `in_channels`: depthwise).
    pub groups: u64,
}

impl Conv2dShape {
    /// A square convolution, batch 1, no dilation, one group: `in_channels × size × size`
    /// in, `kernel × kernel` filters.
    ///
    /// # Errors
    ///
    /// As [`Self::validate`].
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::Conv2dShape;
    ///
    /// // ResNet-50's first layer: 7x7/2 on 224x224x3 -> 112x112x64.
    /// let c = Conv2dShape::square(3, 224, 64, 7, 2, 3).unwrap();
    /// assert_eq!((c.out_h(), c.out_w()), (112, 112));
    /// assert_eq!(c.macs(), 118_013_952);
    /// ```
    pub fn square(
        in_channels: u64,
        size: u64,
        out_channels: u64,
        kernel: u64,
        stride: u64,
        pad: u64,
    ) -> Result<Conv2dShape> {
        let c = Conv2dShape {
            batch: 1,
            in_channels,
            in_h: size,
            in_w: size,
            out_channels,
            kernel_h: kernel,
            kernel_w: kernel,
            stride_h: stride,
            stride_w: stride,
            pad_h: pad,
            pad_w: pad,
            dilation_h: 1,
            dilation_w: 1,
            groups: 1,
        };
        c.validate()?;
        Ok(c)
    }

    /// Checks that the shape gives a non-empty output.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for a zero dimension, stride or dilation, channels not divisible by
    /// the groups, or padding/stride/kernel combinations that leave no output pixel.
    pub fn validate(&self) -> Result<()> {
        let dims = [
            ("batch", self.batch),
            ("input channels", self.in_channels),
            ("input height", self.in_h),
            ("input width", self.in_w),
            ("output channels", self.out_channels),
            ("kernel height", self.kernel_h),
            ("kernel width", self.kernel_w),
            ("stride", self.stride_h.min(self.stride_w)),
            ("dilation", self.dilation_h.min(self.dilation_w)),
            ("groups", self.groups),
        ];
        if let Some((name, _)) = dims.iter().find(|(_, v)| *v == 0) {
            return Err(Error::Shape(format!("conv2d {name} is zero")));
        }
        if self.in_channels % self.groups != 0 || self.out_channels % self.groups != 0 {
            return Err(Error::Shape(format!(
                "conv2d channels {} -> {} are not divisible by {} groups",
                self.in_channels, self.out_channels, self.groups
            )));
        }
        for (axis, size, pad, k, d) in [
            (
                "height",
                self.in_h,
                self.pad_h,
                self.kernel_h,
                self.dilation_h,
            ),
            (
                "width",
                self.in_w,
                self.pad_w,
                self.kernel_w,
                self.dilation_w,
            ),
        ] {
            let span = d * (k - 1) + 1;
            if size + 2 * pad < span {
                return Err(Error::Shape(format!(
                    "conv2d gives no output: padded {axis} {} is smaller than the dilated \
                     kernel span {span}",
                    size + 2 * pad
                )));
            }
        }
        Ok(())
    }

    /// Output height: `(H + 2·pad − dilation·(KH − 1) − 1) / stride + 1`.
    pub fn out_h(&self) -> u64 {
        (self.in_h + 2 * self.pad_h - self.dilation_h * (self.kernel_h - 1) - 1) / self.stride_h + 1
    }

    /// Output width.
    pub fn out_w(&self) -> u64 {
        (self.in_w + 2 * self.pad_w - self.dilation_w * (self.kernel_w - 1) - 1) / self.stride_w + 1
    }

    /// The GEMM of one group (im2col view); there are [`Self::groups`](Conv2dShape::groups)
    /// of them.
    pub fn gemm(&self) -> GemmShape {
        GemmShape {
            m: self.batch * self.out_h() * self.out_w(),
            k: self.in_channels / self.groups * self.kernel_h * self.kernel_w,
            n: self.out_channels / self.groups,
        }
    }

    /// Multiply-accumulates over all groups.
    pub fn macs(&self) -> u64 {
        self.groups * self.gemm().macs()
    }
}

/// One layer of a network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerKind {
    /// A convolution.
    Conv2d(Conv2dShape),
    /// A fully connected layer: `batch` rows of `inputs` values to `outputs` values
    /// (a GEMM `batch × inputs × outputs`).
    FullyConnected {
        /// Rows (images).
        batch: u64,
        /// Input features.
        inputs: u64,
        /// Output features.
        outputs: u64,
    },
}

/// A named layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer {
    /// Its name ("conv1", "layer2.0.conv2", "fc").
    pub name: String,
    /// What it computes.
    pub kind: LayerKind,
}

impl Layer {
    /// How many independent GEMMs (groups) and the shape of each.
    pub fn gemm_view(&self) -> (u64, GemmShape) {
        match &self.kind {
            LayerKind::Conv2d(c) => (c.groups, c.gemm()),
            LayerKind::FullyConnected {
                batch,
                inputs,
                outputs,
            } => (
                1,
                GemmShape {
                    m: *batch,
                    k: *inputs,
                    n: *outputs,
                },
            ),
        }
    }

    /// Multiply-accumulates.
    pub fn macs(&self) -> u64 {
        let (g, s) = self.gemm_view();
        g * s.macs()
    }

    /// Weight elements (biases not counted).
    pub fn weight_elems(&self) -> u64 {
        let (g, s) = self.gemm_view();
        g * s.k * s.n
    }

    /// Input activation elements (before im2col).
    pub fn input_elems(&self) -> u64 {
        match &self.kind {
            LayerKind::Conv2d(c) => c.batch * c.in_channels * c.in_h * c.in_w,
            LayerKind::FullyConnected { batch, inputs, .. } => batch * inputs,
        }
    }

    /// Output activation elements.
    pub fn output_elems(&self) -> u64 {
        let (g, s) = self.gemm_view();
        g * s.m * s.n
    }

    /// Checks the layer's shape.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] as [`Conv2dShape::validate`], or a zero fully connected dimension.
    pub fn validate(&self) -> Result<()> {
        match &self.kind {
            LayerKind::Conv2d(c) => c.validate(),
            LayerKind::FullyConnected {
                batch,
                inputs,
                outputs,
            } => GemmShape::new(*batch, *inputs, *outputs).map(|_| ()),
        }
    }
}

/// A network as an ordered list of layers with MACs (pooling, activations and additions are
/// not counted: they are a rounding error next to the convolutions).
#[derive(Clone, Debug, PartialEq, Eq)]
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
    pub fn resnet50_v1_5(batch: u64) -> Result<Network> {
        resnet50(batch, true)
    }

    /// The original ResNet-50 v1 (He et al. 2015): the stride sits on the first 1 × 1
    /// convolution of a downsampling bottleneck. 3,857,973,248 MACs per image.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `batch` is 0.
    pub fn resnet50_v1(batch: u64) -> Result<Network> {
        resnet50(batch, false)
    }

    /// LeNet-5 on 32 × 32 × 1 (LeCun et al. 1998, dense C3): 416,520 MACs per image.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `batch` is 0.
    pub fn lenet5(batch: u64) -> Result<Network> {
        let conv = |name: &str, cin, size, cout| -> Result<Layer> {
            let mut c = Conv2dShape::square(cin, size, cout, 5, 1, 0)?;
            c.batch = batch;
            c.validate()?;
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
fn resnet50(batch: u64, v1_5: bool) -> Result<Network> {
    let mut layers = Vec::new();
    let mut push = |name: String, cin, size, cout, k, stride, pad| -> Result<()> {
        let mut c = Conv2dShape::square(cin, size, cout, k, stride, pad)?;
        c.batch = batch;
        c.validate()?;
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
    for (stage, (width, blocks, stride)) in
        [(64u64, 3u32, 1u64), (128, 4, 2), (256, 6, 2), (512, 3, 2)]
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

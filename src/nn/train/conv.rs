//! A 2-D convolution on `[batch, C, H, W]`, weight `[O, C/groups, kh, kw]`, bias `[O]`, with
//! stride, zero padding and groups (output channel `o` reads the input channels of group
//! `o / (O/groups)`, as [`Conv2dShape`] defines).
//!
//! Sums (fixed order): forward over (input channel, ky, kx) ascending, padded taps skipped,
//! then `+ b`. Backward visits (n, o, oy, ox) ascending and, inside, (c, ky, kx) ascending,
//! adding into ∂x, ∂W and ∂b in that order.

use super::Tensor;
use super::layer::{Layer, Macs, Param, backward_shape_error, uniform};
use crate::cost::SplitMix64;
use crate::datapath::{Conv2dDims, Conv2dShape};
use crate::{Error, Result};

/// A convolution layer. Build with [`Conv2d::new`], then [`Conv2d::with_stride`],
/// [`Conv2d::with_padding`], [`Conv2d::with_groups`].
///
/// # Examples
///
/// ```
/// use arithsim::nn::train::{Conv2d, Layer};
///
/// let conv = Conv2d::new("conv", 4, 8, (3, 3))?
///     .with_stride((2, 2))?
///     .with_padding((1, 1))
///     .with_groups(2)?;
/// assert_eq!(conv.params()[0].value.shape(), [8, 2, 3, 3]); // [O, C/groups, kh, kw]
/// assert_eq!(conv.output_shape(&[4, 8, 8])?, [8, 4, 4]);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Conv2d {
    name: String,
    in_channels: usize,
    out_channels: usize,
    kernel: (usize, usize),
    stride: (usize, usize),
    padding: (usize, usize),
    groups: usize,
    weight: Param,
    bias: Param,
    last: Option<(Tensor, Conv2dShape)>,
    macs: Macs,
}

impl Conv2d {
    /// A `kh × kw` convolution from `in_channels` to `out_channels`, stride 1, no padding,
    /// one group; parameters zero until [`Layer::init`].
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when a size is zero.
    pub fn new(
        name: &str,
        in_channels: usize,
        out_channels: usize,
        kernel: (usize, usize),
    ) -> Result<Conv2d> {
        if in_channels == 0 || out_channels == 0 || kernel.0 == 0 || kernel.1 == 0 {
            return Err(Error::Shape(format!(
                "layer {name}: conv {in_channels} -> {out_channels} with kernel {kernel:?} needs every size at least 1"
            )));
        }
        let w = [out_channels, in_channels, kernel.0, kernel.1];
        Ok(Conv2d {
            name: name.to_string(),
            in_channels,
            out_channels,
            kernel,
            stride: (1, 1),
            padding: (0, 0),
            groups: 1,
            weight: Param::new(format!("{name}.weight"), Tensor::zeros(&w)),
            bias: Param::new(format!("{name}.bias"), Tensor::zeros(&[out_channels])),
            last: None,
            macs: Macs::default(),
        })
    }

    /// The same layer with stride `(vertical, horizontal)`.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when a stride is zero.
    pub fn with_stride(mut self, stride: (usize, usize)) -> Result<Conv2d> {
        if stride.0 == 0 || stride.1 == 0 {
            return Err(Error::Shape(format!(
                "layer {}: stride {stride:?} must be at least 1",
                self.name
            )));
        }
        self.stride = stride;
        Ok(self)
    }

    /// The same layer with zero padding `(vertical, horizontal)` on each side.
    #[must_use]
    pub fn with_padding(mut self, padding: (usize, usize)) -> Conv2d {
        self.padding = padding;
        self
    }

    /// The same layer split into `groups` groups (weight `[O, C/groups, kh, kw]`).
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `groups` is zero or does not divide both channel counts.
    pub fn with_groups(mut self, groups: usize) -> Result<Conv2d> {
        if groups == 0 || self.in_channels % groups != 0 || self.out_channels % groups != 0 {
            return Err(Error::Shape(format!(
                "layer {}: {groups} groups must divide {} input and {} output channels",
                self.name, self.in_channels, self.out_channels
            )));
        }
        self.groups = groups;
        let w = [
            self.out_channels,
            self.in_channels / groups,
            self.kernel.0,
            self.kernel.1,
        ];
        self.weight = Param::new(self.weight.name.clone(), Tensor::zeros(&w));
        Ok(self)
    }

    fn shape_for(&self, batch: usize, input: &[usize]) -> Result<Conv2dShape> {
        let named = |e: Error| Error::Shape(format!("layer {}: {e}", self.name));
        if input.len() != 3 || input[0] != self.in_channels {
            return Err(Error::Shape(format!(
                "layer {}: input {input:?}, expected [{}, height, width]",
                self.name, self.in_channels
            )));
        }
        Conv2dShape::new(Conv2dDims {
            batch: batch.max(1),
            in_channels: input[0],
            in_height: input[1],
            in_width: input[2],
            out_channels: self.out_channels,
            kernel_height: self.kernel.0,
            kernel_width: self.kernel.1,
        })
        .and_then(|s| s.with_stride(self.stride.0, self.stride.1))
        .and_then(|s| s.with_padding(self.padding.0, self.padding.1))
        .and_then(|s| s.with_groups(self.groups))
        .map_err(named)
    }
}

/// The kernel taps `k` with `0 ≤ out·stride + k − pad < size` (the ones that read the
/// input, not the zero padding), ascending.
fn taps(
    out: usize,
    stride: usize,
    pad: usize,
    kernel: usize,
    size: usize,
) -> std::ops::Range<usize> {
    let start = out * stride;
    let lo = pad.saturating_sub(start);
    let hi = kernel.min((size + pad).saturating_sub(start));
    lo..hi.max(lo)
}

/// The output positions `out` with `0 ≤ out·stride + k − pad < size` for tap `k`, ascending.
fn taps_out(
    outputs: usize,
    stride: usize,
    pad: usize,
    k: usize,
    size: usize,
) -> std::ops::Range<usize> {
    // out·stride ≥ pad − k  and  out·stride < size + pad − k.
    let lo = pad.saturating_sub(k).div_ceil(stride);
    let hi = (size + pad).saturating_sub(k).div_ceil(stride).min(outputs);
    lo..hi.max(lo)
}

impl Layer for Conv2d {
    fn name(&self) -> &str {
        &self.name
    }

    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
        let (oh, ow) = self.shape_for(1, input)?.output_hw();
        Ok(vec![self.out_channels, oh, ow])
    }

    fn forward(&mut self, input: &Tensor) -> Result<Tensor> {
        let shape = input.shape();
        if shape.len() != 4 {
            return Err(Error::Shape(format!(
                "layer {}: input {shape:?}, expected [batch, channels, height, width]",
                self.name
            )));
        }
        let s = self.shape_for(shape[0], &shape[1..])?;
        let n = shape[0];
        let (c, h, w) = (s.in_channels, s.in_height, s.in_width);
        let (oh, ow) = s.output_hw();
        let (kh, kw) = self.kernel;
        let (cg, og) = (c / self.groups, self.out_channels / self.groups);
        let ((sy, sx), (py, px)) = (self.stride, self.padding);
        let (wt, b, x) = (
            self.weight.value.data(),
            self.bias.value.data(),
            input.data(),
        );
        let mut out = vec![0.0f32; n * self.out_channels * oh * ow];
        let mut count = 0u64;
        // Each output's sum runs over (ci, ky, kx) ascending; the loops over output
        // positions sit inside so that many independent sums advance together.
        for (img, out_img) in out
            .chunks_exact_mut(self.out_channels * oh * ow)
            .enumerate()
        {
            let xi = &x[img * c * h * w..(img + 1) * c * h * w];
            for (o, acc) in out_img.chunks_exact_mut(oh * ow).enumerate() {
                let c0 = (o / og) * cg;
                let wo = &wt[o * cg * kh * kw..(o + 1) * cg * kh * kw];
                for ci in 0..cg {
                    let plane = &xi[(c0 + ci) * h * w..(c0 + ci + 1) * h * w];
                    for ky in 0..kh {
                        for kx in 0..kw {
                            let wv = wo[(ci * kh + ky) * kw + kx];
                            for oy in 0..oh {
                                let Some(iy) = (oy * sy + ky).checked_sub(py).filter(|&i| i < h)
                                else {
                                    continue;
                                };
                                let xs = taps_out(ow, sx, px, kx, w);
                                let row = &plane[iy * w..(iy + 1) * w];
                                let arow = &mut acc[oy * ow..(oy + 1) * ow];
                                count += xs.len() as u64;
                                for ox in xs {
                                    arow[ox] += wv * row[ox * sx + kx - px];
                                }
                            }
                        }
                    }
                }
                for a in acc.iter_mut() {
                    *a += b[o];
                }
            }
        }
        self.last = Some((input.clone(), s));
        self.macs.forward += count;
        Tensor::new(vec![n, self.out_channels, oh, ow], out)
    }

    fn backward(&mut self, grad_output: &Tensor) -> Result<Tensor> {
        let Some((x, s)) = self.last.as_ref() else {
            return Err(backward_shape_error(&self.name, grad_output.shape(), None));
        };
        let n = x.shape()[0];
        let (c, h, w) = (s.in_channels, s.in_height, s.in_width);
        let (oh, ow) = s.output_hw();
        let want = [n, self.out_channels, oh, ow];
        if grad_output.shape() != want {
            return Err(backward_shape_error(
                &self.name,
                grad_output.shape(),
                Some(&want),
            ));
        }
        let (kh, kw) = self.kernel;
        let (cg, og) = (c / self.groups, self.out_channels / self.groups);
        let ((sy, sx), (py, px)) = (self.stride, self.padding);
        let g = grad_output.data();
        let wt = self.weight.value.data();
        let dw = self.weight.grad.data_mut();
        let db = self.bias.grad.data_mut();
        let mut dx = vec![0.0f32; x.len()];
        let mut count = 0u64;
        for img in 0..n {
            let xi = &x.data()[img * c * h * w..(img + 1) * c * h * w];
            let dxi = &mut dx[img * c * h * w..(img + 1) * c * h * w];
            for o in 0..self.out_channels {
                let c0 = (o / og) * cg;
                let wbase = o * cg * kh * kw;
                for oy in 0..oh {
                    for ox in 0..ow {
                        let go = g[((img * self.out_channels + o) * oh + oy) * ow + ox];
                        db[o] += go;
                        let (ys, xs) = (taps(oy, sy, py, kh, h), taps(ox, sx, px, kw, w));
                        count += (cg * ys.len() * xs.len()) as u64;
                        for ci in 0..cg {
                            for ky in ys.clone() {
                                let iy = oy * sy + ky - py;
                                for kx in xs.clone() {
                                    let wi = wbase + (ci * kh + ky) * kw + kx;
                                    let xj = ((c0 + ci) * h + iy) * w + ox * sx + kx - px;
                                    dxi[xj] += go * wt[wi];
                                    dw[wi] += go * xi[xj];
                                }
                            }
                        }
                    }
                }
            }
        }
        self.macs.backward_input += count;
        self.macs.backward_weight += count;
        Tensor::new(x.shape().to_vec(), dx)
    }

    /// He (Kaiming) uniform weights, `U(±√(6 / fan_in))` with `fan_in = C/groups·kh·kw`,
    /// drawn in OIHW order; zero bias.
    fn init(&mut self, rng: &mut SplitMix64) {
        let fan_in = (self.in_channels / self.groups) * self.kernel.0 * self.kernel.1;
        let bound = (6.0 / fan_in as f32).sqrt();
        for v in self.weight.value.data_mut() {
            *v = uniform(rng, bound);
        }
        self.bias.value.fill_zero();
    }

    fn params(&self) -> Vec<&Param> {
        vec![&self.weight, &self.bias]
    }

    fn params_mut(&mut self) -> Vec<&mut Param> {
        vec![&mut self.weight, &mut self.bias]
    }

    fn macs(&self) -> Macs {
        self.macs
    }
}

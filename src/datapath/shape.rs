//! Kernel shapes and their validation: GEMM (`M × K` times `K × N`) and conv2d (NCHW / OIHW).

use crate::limits::DATAPATH_MAX_TENSOR_ELEMENTS;
use crate::{Error, Result};

/// The shape of a matrix product `C[M × N] = A[M × K] · B[K × N]`, all row-major.
///
/// The fields are public: the struct literal `GemmShape { m: 4, n: 2, k: 3 }` names each
/// dimension and so cannot swap them, where `GemmShape::new(m, n, k)` takes three `usize`
/// in an order to remember. Every kernel validates the shape it is given, so a literal with a
/// zero dimension is an error there, not a panic.
///
/// # Examples
///
/// ```
/// use arithsim::datapath::GemmShape;
///
/// let s = GemmShape { m: 2, n: 3, k: 4 };
/// assert_eq!(s.macs(), 24);
/// assert_eq!(GemmShape::new(2, 3, 4)?, s);
/// assert!(GemmShape::new(0, 3, 4).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(remote = "Self")
)]
pub struct GemmShape {
    /// Rows of `A` and `C`.
    pub m: usize,
    /// Columns of `B` and `C`.
    pub n: usize,
    /// The reduction length: columns of `A`, rows of `B`.
    pub k: usize,
}

impl GemmShape {
    /// A validated shape.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when a dimension is zero or `M·N·K` overflows `u64`.
    pub fn new(m: usize, n: usize, k: usize) -> Result<Self> {
        for (name, v) in [("m", m), ("n", n), ("k", k)] {
            if v == 0 {
                return Err(Error::Shape(format!(
                    "gemm dimension {name} is 0; every dimension must be at least 1"
                )));
            }
        }
        (m as u64)
            .checked_mul(n as u64)
            .and_then(|x| x.checked_mul(k as u64))
            .ok_or_else(|| Error::Shape(format!("gemm {m}x{n}x{k} has more than 2^64 MACs")))?;
        Ok(Self { m, n, k })
    }

    /// Multiply-accumulates in the product: `M · N · K` (saturating at `u64::MAX` for a
    /// hand-built shape that [`GemmShape::new`] would reject).
    #[must_use]
    pub fn macs(&self) -> u64 {
        (self.m as u64)
            .saturating_mul(self.n as u64)
            .saturating_mul(self.k as u64)
    }

    /// Checks the operand slices against the shape, and the output against
    /// [`DATAPATH_MAX_TENSOR_ELEMENTS`] before it is allocated.
    pub(crate) fn check_operands(&self, a_len: usize, b_len: usize) -> Result<()> {
        let shape = GemmShape::new(self.m, self.n, self.k)?;
        check_len(
            "gemm operand a",
            a_len,
            shape.m * shape.k,
            &format!("m*k = {}*{}", shape.m, shape.k),
        )?;
        check_len(
            "gemm operand b",
            b_len,
            shape.k * shape.n,
            &format!("k*n = {}*{}", shape.k, shape.n),
        )?;
        check_tensor_elems("gemm output m*n", shape.m as u64 * shape.n as u64)
    }
}

/// Fails when a tensor the kernel is about to allocate exceeds
/// [`DATAPATH_MAX_TENSOR_ELEMENTS`].
pub(crate) fn check_tensor_elems(what: &str, elems: u64) -> Result<()> {
    if elems > DATAPATH_MAX_TENSOR_ELEMENTS as u64 {
        return Err(Error::Shape(format!(
            "{what} has {elems} elements, more than DATAPATH_MAX_TENSOR_ELEMENTS = \
             {DATAPATH_MAX_TENSOR_ELEMENTS}"
        )));
    }
    Ok(())
}

/// Fails with a message naming the operand, its length and the expected one.
pub(crate) fn check_len(what: &str, got: usize, want: usize, why: &str) -> Result<()> {
    if got == want {
        Ok(())
    } else {
        Err(Error::Shape(format!(
            "{what} has {got} elements, expected {want} ({why})"
        )))
    }
}

/// The shape of a 2-D convolution.
///
/// Layout (documented in `docs/datapath.md`): input `NCHW` (`[batch][in_channels][in_height]
/// [in_width]`, row-major), weights `OIHW` (`[out_channels][in_channels / groups]
/// [kernel_height][kernel_width]`), output `NCHW` (`[batch][out_channels][out_height]
/// [out_width]`). Output channel `o` belongs to group `o / (out_channels / groups)` and reads
/// input channels `g · C/groups .. (g+1) · C/groups`.
///
/// `out = (in + 2·padding − dilation·(kernel − 1) − 1) / stride + 1` along each axis; padded
/// taps read zeros and are counted as MACs (as an implicit-GEMM accelerator performs them).
///
/// # Examples
///
/// ```
/// use arithsim::datapath::{Conv2dDims, Conv2dShape};
///
/// // ResNet-50's first layer: 7x7, stride 2, padding 3, 3 -> 64 channels at 224x224.
/// let s = Conv2dShape::new(Conv2dDims { batch: 1, in_channels: 3, in_height: 224, in_width: 224, out_channels: 64, kernel_height: 7, kernel_width: 7 })?.with_stride(2, 2)?.with_padding(3, 3)?;
/// assert_eq!(s.output_hw(), (112, 112));
/// assert_eq!(s.macs(), 118_013_952);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(remote = "Self")
)]
pub struct Conv2dShape {
    /// Images in the batch (`N`).
    pub batch: usize,
    /// Input channels (`C`).
    pub in_channels: usize,
    /// Input height (`H`).
    pub in_height: usize,
    /// Input width (`W`).
    pub in_width: usize,
    /// Output channels (`O`).
    pub out_channels: usize,
    /// Kernel height.
    pub kernel_height: usize,
    /// Kernel width.
    pub kernel_width: usize,
    /// Stride (vertical, horizontal), each at least 1.
    pub stride: (usize, usize),
    /// Zero padding on each side (vertical, horizontal).
    pub padding: (usize, usize),
    /// Dilation (vertical, horizontal), each at least 1.
    pub dilation: (usize, usize),
    /// Groups: `in_channels` and `out_channels` must both be multiples of it (depthwise:
    /// `groups == in_channels`).
    pub groups: usize,
}

/// The seven sizes of a convolution, by name (seven `usize` in a row would let a swap
/// compile): what [`Conv2dShape::new`] takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Conv2dDims {
    /// Images in the batch (`N`).
    pub batch: usize,
    /// Input channels (`C`).
    pub in_channels: usize,
    /// Input height (`H`).
    pub in_height: usize,
    /// Input width (`W`).
    pub in_width: usize,
    /// Output channels (`O`).
    pub out_channels: usize,
    /// Kernel height.
    pub kernel_height: usize,
    /// Kernel width.
    pub kernel_width: usize,
}

impl Conv2dShape {
    /// A validated shape with stride 1, no padding, dilation 1 and one group.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when a dimension is zero or the kernel is larger than the input (no
    /// output).
    pub fn new(dims: Conv2dDims) -> Result<Self> {
        let Conv2dDims {
            batch,
            in_channels,
            in_height,
            in_width,
            out_channels,
            kernel_height,
            kernel_width,
        } = dims;
        let s = Self {
            batch,
            in_channels,
            in_height,
            in_width,
            out_channels,
            kernel_height,
            kernel_width,
            stride: (1, 1),
            padding: (0, 0),
            dilation: (1, 1),
            groups: 1,
        };
        s.validate()?;
        Ok(s)
    }

    /// The same shape with another stride.
    ///
    /// # Errors
    ///
    /// As [`Conv2dShape::validate`].
    pub fn with_stride(mut self, vertical: usize, horizontal: usize) -> Result<Self> {
        self.stride = (vertical, horizontal);
        self.validate()?;
        Ok(self)
    }

    /// The same shape with another zero padding.
    ///
    /// # Errors
    ///
    /// As [`Conv2dShape::validate`].
    pub fn with_padding(mut self, vertical: usize, horizontal: usize) -> Result<Self> {
        self.padding = (vertical, horizontal);
        self.validate()?;
        Ok(self)
    }

    /// The same shape with another dilation.
    ///
    /// # Errors
    ///
    /// As [`Conv2dShape::validate`].
    pub fn with_dilation(mut self, vertical: usize, horizontal: usize) -> Result<Self> {
        self.dilation = (vertical, horizontal);
        self.validate()?;
        Ok(self)
    }

    /// The same shape split into `groups` groups.
    ///
    /// # Errors
    ///
    /// As [`Conv2dShape::validate`].
    pub fn with_groups(mut self, groups: usize) -> Result<Self> {
        self.groups = groups;
        self.validate()?;
        Ok(self)
    }

    /// Checks every field (the fields are public, so a shape built by hand is checked again
    /// by each kernel).
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for a zero dimension, stride, dilation or group count, channels that
    /// are not multiples of `groups`, or a dilated kernel larger than the padded input (no
    /// output position).
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("batch", self.batch),
            ("in_channels", self.in_channels),
            ("in_height", self.in_height),
            ("in_width", self.in_width),
            ("out_channels", self.out_channels),
            ("kernel_height", self.kernel_height),
            ("kernel_width", self.kernel_width),
            ("vertical stride", self.stride.0),
            ("horizontal stride", self.stride.1),
            ("vertical dilation", self.dilation.0),
            ("horizontal dilation", self.dilation.1),
            ("groups", self.groups),
        ] {
            if v == 0 {
                return Err(Error::Shape(format!(
                    "conv2d {name} is 0; it must be at least 1"
                )));
            }
        }
        for (name, c) in [
            ("in_channels", self.in_channels),
            ("out_channels", self.out_channels),
        ] {
            if c % self.groups != 0 {
                return Err(Error::Shape(format!(
                    "conv2d {name} {c} is not a multiple of groups {}",
                    self.groups
                )));
            }
        }
        for (axis, input, k, p, d) in [
            (
                "height",
                self.in_height,
                self.kernel_height,
                self.padding.0,
                self.dilation.0,
            ),
            (
                "width",
                self.in_width,
                self.kernel_width,
                self.padding.1,
                self.dilation.1,
            ),
        ] {
            let span = d
                .checked_mul(k - 1)
                .and_then(|x| x.checked_add(1))
                .ok_or_else(|| Error::Shape(format!("conv2d dilated kernel {axis} overflows")))?;
            let padded = input
                .checked_add(2usize.saturating_mul(p))
                .ok_or_else(|| Error::Shape(format!("conv2d padded {axis} overflows")))?;
            if span > padded {
                return Err(Error::Shape(format!(
                    "conv2d has no output: dilated kernel {axis} {span} exceeds padded input \
                     {axis} {padded} (input {input}, padding {p} on each side)"
                )));
            }
        }
        // (C/groups)·KH·KW checked first: `reduction_len` multiplies unchecked.
        (self.in_channels / self.groups)
            .checked_mul(self.kernel_height)
            .and_then(|x| x.checked_mul(self.kernel_width))
            .ok_or_else(|| Error::Shape("conv2d reduction (C/groups)·KH·KW overflows".into()))?;
        (self.batch as u64)
            .checked_mul(self.out_channels as u64)
            .and_then(|x| x.checked_mul(self.reduction_len() as u64))
            .and_then(|x| {
                let (oh, ow) = self.output_hw();
                x.checked_mul(oh as u64)?.checked_mul(ow as u64)
            })
            .ok_or_else(|| Error::Shape("conv2d has more than 2^64 MACs".into()))?;
        let fits = |dims: &[usize]| {
            dims.iter()
                .try_fold(1usize, |acc, &d| acc.checked_mul(d))
                .is_some()
        };
        if !fits(&[self.batch, self.in_channels, self.in_height, self.in_width])
            || !fits(&[self.out_channels, self.reduction_len()])
        {
            return Err(Error::Shape("conv2d tensor sizes overflow usize".into()));
        }
        Ok(())
    }

    /// Output height and width (0 for a shape that fails [`Conv2dShape::validate`]).
    #[must_use]
    pub fn output_hw(&self) -> (usize, usize) {
        // Saturating and checked so that a hand-built invalid shape gives 0, not a panic.
        let out = |input: usize, k: usize, s: usize, p: usize, d: usize| {
            let span = d.saturating_mul(k.saturating_sub(1)).saturating_add(1);
            input
                .saturating_add(p.saturating_mul(2))
                .checked_sub(span)
                .map_or(0, |x| x / s.max(1) + 1)
        };
        (
            out(
                self.in_height,
                self.kernel_height,
                self.stride.0,
                self.padding.0,
                self.dilation.0,
            ),
            out(
                self.in_width,
                self.kernel_width,
                self.stride.1,
                self.padding.1,
                self.dilation.1,
            ),
        )
    }

    /// Elements of the input tensor (`N·C·H·W`).
    #[must_use]
    pub fn input_len(&self) -> usize {
        self.batch * self.in_channels * self.in_height * self.in_width
    }

    /// Elements of the weight tensor (`O·(C/groups)·KH·KW`).
    #[must_use]
    pub fn weight_len(&self) -> usize {
        self.out_channels * self.reduction_len()
    }

    /// Elements of the output tensor (`N·O·OH·OW`).
    #[must_use]
    pub fn output_len(&self) -> usize {
        let (oh, ow) = self.output_hw();
        self.batch * self.out_channels * oh * ow
    }

    /// Length of each output's reduction: `(C/groups)·KH·KW`.
    #[must_use]
    pub fn reduction_len(&self) -> usize {
        self.in_channels / self.groups.max(1) * self.kernel_height * self.kernel_width
    }

    /// Multiply-accumulates, padded taps included: `N·O·OH·OW·(C/groups)·KH·KW`.
    #[must_use]
    pub fn macs(&self) -> u64 {
        self.output_len() as u64 * self.reduction_len() as u64
    }

    /// The implicit-GEMM view: `groups` independent GEMMs of `M = O/groups` (weights),
    /// `K = (C/groups)·KH·KW` (reduction), `N = batch·OH·OW` (output pixels).
    #[must_use]
    pub fn gemm_view(&self) -> (usize, GemmShape) {
        let (oh, ow) = self.output_hw();
        (
            self.groups,
            GemmShape {
                m: self.out_channels / self.groups.max(1),
                n: self.batch * oh * ow,
                k: self.reduction_len(),
            },
        )
    }

    /// Checks operand lengths against the shape.
    pub(crate) fn check_operands(&self, input_len: usize, weight_len: usize) -> Result<()> {
        self.validate()?;
        check_len(
            "conv2d input",
            input_len,
            self.input_len(),
            &format!(
                "n*c*h*w = {}*{}*{}*{}",
                self.batch, self.in_channels, self.in_height, self.in_width
            ),
        )?;
        check_len(
            "conv2d weight",
            weight_len,
            self.weight_len(),
            &format!(
                "o*(c/groups)*kh*kw = {}*{}*{}*{}",
                self.out_channels,
                self.in_channels / self.groups,
                self.kernel_height,
                self.kernel_width
            ),
        )?;
        // The output and one group's im2col matrix are allocated: both must be bounded.
        let (_, gs) = self.gemm_view();
        check_tensor_elems("conv2d output", self.output_len() as u64)?;
        check_tensor_elems("conv2d im2col k*n", gs.k as u64 * gs.n as u64)
    }

    /// The offset `y·W + x` within an input channel plane read by output `(oy, ox)` at kernel
    /// tap `(ky, kx)`, or `None` for a padded tap.
    #[inline]
    pub(crate) fn tap_offset(&self, oy: usize, ox: usize, ky: usize, kx: usize) -> Option<usize> {
        let y = (oy * self.stride.0 + ky * self.dilation.0).checked_sub(self.padding.0)?;
        let x = (ox * self.stride.1 + kx * self.dilation.1).checked_sub(self.padding.1)?;
        (y < self.in_height && x < self.in_width).then_some(y * self.in_width + x)
    }
}

/// Builds the im2col matrix of group `g` (`K × N`, row-major, `K = (C/groups)·KH·KW` in order
/// `(c, ky, kx)`, `N = batch·OH·OW` in order `(b, oy, ox)`), padded taps set to `zero`.
pub(crate) fn im2col<T: Copy>(s: &Conv2dShape, input: &[T], g: usize, zero: T) -> Vec<T> {
    let (oh, ow) = s.output_hw();
    let cg = s.in_channels / s.groups;
    let n = s.batch * oh * ow;
    let k = s.reduction_len();
    let plane = s.in_height * s.in_width;
    let mut out = vec![zero; k * n];
    for c in 0..cg {
        for ky in 0..s.kernel_height {
            for kx in 0..s.kernel_width {
                let r = (c * s.kernel_height + ky) * s.kernel_width + kx;
                let row = &mut out[r * n..(r + 1) * n];
                for b in 0..s.batch {
                    let base = (b * s.in_channels + g * cg + c) * plane;
                    for oy in 0..oh {
                        for ox in 0..ow {
                            if let Some(off) = s.tap_offset(oy, ox, ky, kx) {
                                row[(b * oh + oy) * ow + ox] = input[base + off];
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(feature = "serde")]
crate::names::serde_checked!(GemmShape, |s| GemmShape::new(s.m, s.n, s.k).map(drop));

#[cfg(feature = "serde")]
crate::names::serde_checked!(Conv2dShape, Conv2dShape::validate);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_built_invalid_shapes_do_not_panic() {
        let mut s = Conv2dShape::new(Conv2dDims {
            batch: 1,
            in_channels: 4,
            in_height: 7,
            in_width: 9,
            out_channels: 2,
            kernel_height: 3,
            kernel_width: 3,
        })
        .unwrap();
        s.stride = (0, 0);
        s.groups = 0;
        s.kernel_height = 100;
        assert_eq!(s.output_hw().0, 0);
        assert!(s.validate().is_err());
        let _ = (s.macs(), s.gemm_view(), s.output_len());
        let e = Conv2dShape::new(Conv2dDims {
            batch: usize::MAX / 2,
            in_channels: 4,
            in_height: 7,
            in_width: 9,
            out_channels: 2,
            kernel_height: 3,
            kernel_width: 3,
        })
        .unwrap_err();
        assert!(e.to_string().starts_with("shape error: conv2d"), "{e}");
    }

    #[test]
    fn output_size_formula() {
        let s = Conv2dShape::new(Conv2dDims {
            batch: 1,
            in_channels: 4,
            in_height: 7,
            in_width: 9,
            out_channels: 2,
            kernel_height: 3,
            kernel_width: 3,
        })
        .unwrap()
        .with_padding(1, 2)
        .unwrap()
        .with_stride(2, 3)
        .unwrap()
        .with_dilation(2, 1)
        .unwrap();
        // (7 + 2 - 5) / 2 + 1 = 3 ; (9 + 4 - 3) / 3 + 1 = 4
        assert_eq!(s.output_hw(), (3, 4));
        assert_eq!(s.gemm_view().1, GemmShape { m: 2, n: 12, k: 36 });
    }
}

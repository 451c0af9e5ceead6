//! Valid GEMM and conv2d shapes within limits.

use proptest::prelude::*;

use crate::datapath::{Conv2dShape, GemmShape};
use crate::{Error, Result};

/// GEMM shapes with every dimension in `1..=max_dim`, 1 and `max_dim` weighted in (a
/// dimension of 1 is a GEMV or a dot product; the largest is where tiling and accumulation
/// length show).
///
/// # Errors
///
/// [`Error::Shape`] when `max_dim` is 0.
///
/// # Examples
///
/// ```
/// use arithsim::testing::gemm_shapes;
/// use proptest::prelude::*;
/// use proptest::test_runner::TestRunner;
///
/// TestRunner::default()
///     .run(&gemm_shapes(16)?, |s| {
///         prop_assert!(s.m <= 16 && s.n <= 16 && s.k <= 16);
///         prop_assert_eq!(s.macs(), (s.m * s.n * s.k) as u64);
///         Ok(())
///     })
///     .unwrap();
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn gemm_shapes(max_dim: usize) -> Result<BoxedStrategy<GemmShape>> {
    if max_dim == 0 {
        return Err(Error::Shape(
            "gemm_shapes: max_dim is 0; every dimension must be at least 1".into(),
        ));
    }
    let dim = move || {
        prop_oneof![
            1 => Just(1usize),
            1 => Just(max_dim),
            4 => 1..=max_dim,
        ]
    };
    Ok((dim(), dim(), dim())
        .prop_filter_map("gemm shape", |(m, n, k)| GemmShape::new(m, n, k).ok())
        .boxed())
}

/// Upper bounds for [`conv2d_shapes`] (each at least 1).
///
/// # Examples
///
/// ```
/// use arithsim::testing::Conv2dLimits;
/// let tiny = Conv2dLimits { max_spatial: 6, ..Conv2dLimits::default() };
/// assert_eq!(tiny.max_kernel, 3);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conv2dLimits {
    /// Images in the batch.
    pub max_batch: usize,
    /// Channels per group, in and out.
    pub max_channels_per_group: usize,
    /// Groups.
    pub max_groups: usize,
    /// Input height and width.
    pub max_spatial: usize,
    /// Kernel height and width.
    pub max_kernel: usize,
    /// Stride and dilation (each direction).
    pub max_stride: usize,
}

impl Default for Conv2dLimits {
    /// Small enough that a word-level conv2d of any drawn shape runs in well under a
    /// millisecond: batch ≤ 2, ≤ 4 channels per group, ≤ 3 groups, inputs ≤ 10 × 10,
    /// kernels ≤ 3 × 3, stride and dilation ≤ 2.
    fn default() -> Self {
        Conv2dLimits {
            max_batch: 2,
            max_channels_per_group: 4,
            max_groups: 3,
            max_spatial: 10,
            max_kernel: 3,
            max_stride: 2,
        }
    }
}

/// Valid conv2d shapes within `limits`: strides, padding (up to the kernel's half width),
/// dilation and groups (in and out channels multiples of the group count; depthwise when
/// one channel per group) all vary.
///
/// # Errors
///
/// [`Error::Shape`] when a limit is 0.
///
/// # Examples
///
/// ```
/// use arithsim::testing::{Conv2dLimits, conv2d_shapes};
/// use proptest::prelude::*;
/// use proptest::test_runner::TestRunner;
///
/// TestRunner::default()
///     .run(&conv2d_shapes(Conv2dLimits::default())?, |s| {
///         prop_assert!(s.validate().is_ok());
///         prop_assert_eq!(s.in_channels % s.groups, 0);
///         Ok(())
///     })
///     .unwrap();
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn conv2d_shapes(limits: Conv2dLimits) -> Result<BoxedStrategy<Conv2dShape>> {
    let l = limits;
    for (name, v) in [
        ("max_batch", l.max_batch),
        ("max_channels_per_group", l.max_channels_per_group),
        ("max_groups", l.max_groups),
        ("max_spatial", l.max_spatial),
        ("max_kernel", l.max_kernel),
        ("max_stride", l.max_stride),
    ] {
        if v == 0 {
            return Err(Error::Shape(format!(
                "conv2d_shapes: {name} is 0; every limit must be at least 1"
            )));
        }
    }
    let kernel = 1..=l.max_kernel;
    let step = 1..=l.max_stride;
    let channels = (
        1..=l.max_groups,
        1..=l.max_channels_per_group,
        1..=l.max_channels_per_group,
    );
    let spatial = (1..=l.max_spatial, 1..=l.max_spatial);
    let kernels = (
        kernel.clone(),
        kernel,
        step.clone(),
        step.clone(),
        step.clone(),
        step,
    );
    let pads = (0..=l.max_kernel / 2, 0..=l.max_kernel / 2);
    Ok((1..=l.max_batch, channels, spatial, kernels, pads)
        .prop_filter_map(
            "conv2d shape (dilated kernel larger than the padded input)",
            |(batch, (groups, cin, cout), (h, w), (kh, kw, sv, sh, dv, dh), (pv, ph))| {
                let s = Conv2dShape {
                    batch,
                    in_channels: groups * cin,
                    in_height: h,
                    in_width: w,
                    out_channels: groups * cout,
                    kernel_height: kh,
                    kernel_width: kw,
                    stride: (sv, sh),
                    padding: (pv, ph),
                    dilation: (dv, dh),
                    groups,
                };
                s.validate().ok().map(|()| s)
            },
        )
        .boxed())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn shapes_are_valid_and_vary() {
        let mut runner = TestRunner::deterministic();
        let s = conv2d_shapes(Conv2dLimits::default()).unwrap();
        let shapes: Vec<Conv2dShape> = (0..500)
            .map(|_| s.new_tree(&mut runner).unwrap().current())
            .collect();
        assert!(shapes.iter().all(|s| s.validate().is_ok()));
        assert!(
            shapes
                .iter()
                .any(|s| s.groups > 1 && s.in_channels == s.groups)
        );
        assert!(shapes.iter().any(|s| s.stride.0 == 2) && shapes.iter().any(|s| s.dilation.1 == 2));
        assert!(shapes.iter().any(|s| s.padding.0 == 1));
        let g = gemm_shapes(5).unwrap();
        let gs: Vec<GemmShape> = (0..300)
            .map(|_| g.new_tree(&mut runner).unwrap().current())
            .collect();
        assert!(
            gs.iter()
                .all(|s| (1..=5).contains(&s.m) && (1..=5).contains(&s.k))
        );
        assert!(gs.iter().any(|s| s.n == 1) && gs.iter().any(|s| s.n == 5));
        assert!(gemm_shapes(0).is_err());
        let bad = Conv2dLimits {
            max_kernel: 0,
            ..Conv2dLimits::default()
        };
        assert!(
            conv2d_shapes(bad)
                .unwrap_err()
                .to_string()
                .contains("max_kernel is 0")
        );
    }
}

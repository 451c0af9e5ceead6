//! Test support shared by the datapath test files: deterministic operands and a direct
//! convolution reference (written independently of the crate's im2col kernels).
#![allow(dead_code)] // each test file uses a subset

use arithsim::datapath::Conv2dShape;

/// Deterministic pseudo-random i8s with the extremes forced in.
pub fn data_i8(n: usize, seed: u64) -> Vec<i8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|i| match i % 17 {
            0 => i8::MIN,
            5 => i8::MAX,
            _ => {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as i8
            }
        })
        .collect()
}

/// Direct convolution, NCHW / OIHW, exact sums wrapped to i32.
pub fn ref_conv(s: &Conv2dShape, x: &[i8], w: &[i8], bias: &[i64]) -> Vec<i64> {
    let (oh, ow) = s.output_hw();
    let cg = s.in_channels / s.groups;
    let og = s.out_channels / s.groups;
    let mut out = vec![0i64; s.batch * s.out_channels * oh * ow];
    for b in 0..s.batch {
        for o in 0..s.out_channels {
            let g = o / og;
            for oy in 0..oh {
                for ox in 0..ow {
                    let mut acc: i128 = bias.get(o).copied().unwrap_or(0) as i128;
                    for c in 0..cg {
                        for ky in 0..s.kernel_height {
                            for kx in 0..s.kernel_width {
                                let y = (oy * s.stride.0 + ky * s.dilation.0) as isize
                                    - s.padding.0 as isize;
                                let xx = (ox * s.stride.1 + kx * s.dilation.1) as isize
                                    - s.padding.1 as isize;
                                if y < 0
                                    || xx < 0
                                    || y >= s.in_height as isize
                                    || xx >= s.in_width as isize
                                {
                                    continue;
                                }
                                let ci = g * cg + c;
                                let xv = x[((b * s.in_channels + ci) * s.in_height + y as usize)
                                    * s.in_width
                                    + xx as usize];
                                let wv =
                                    w[((o * cg + c) * s.kernel_height + ky) * s.kernel_width + kx];
                                acc += xv as i128 * wv as i128;
                            }
                        }
                    }
                    out[((b * s.out_channels + o) * oh + oy) * ow + ox] = acc as i32 as i64;
                }
            }
        }
    }
    out
}

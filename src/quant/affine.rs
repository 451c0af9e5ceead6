//! Affine (scale, zero point) quantization: `real = scale · (q − zero_point)`.
//!
//! Parameters come from a real range `[min, max]`, symmetric or asymmetric, per tensor or
//! per channel, for the integer types inference engines use, including the narrow
//! `[−127, 127]` range TensorFlow Lite requires for symmetric int8 weights (so that
//! `−q` is always representable and the zero point is exactly 0).

use std::fmt;

use super::fixed_point::round_f64_to_i64;
use crate::round::RoundingMode;
use crate::{Error, Result};

/// The integer type quantized values are stored in, with its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum IntType {
    /// Signed 8-bit, `[−128, 127]`.
    Int8,
    /// Signed 8-bit restricted to `[−127, 127]` (TFLite symmetric weights).
    Int8Narrow,
    /// Unsigned 8-bit, `[0, 255]` (TFLite's original uint8 scheme).
    UInt8,
    /// Signed 4-bit, `[−8, 7]`.
    Int4,
    /// Signed 4-bit restricted to `[−7, 7]`.
    Int4Narrow,
    /// Unsigned 4-bit, `[0, 15]`.
    UInt4,
}

impl IntType {
    /// Smallest stored value.
    #[inline]
    pub const fn qmin(self) -> i32 {
        match self {
            IntType::Int8 => -128,
            IntType::Int8Narrow => -127,
            IntType::Int4 => -8,
            IntType::Int4Narrow => -7,
            IntType::UInt8 | IntType::UInt4 => 0,
        }
    }

    /// Largest stored value.
    #[inline]
    pub const fn qmax(self) -> i32 {
        match self {
            IntType::Int8 | IntType::Int8Narrow => 127,
            IntType::UInt8 => 255,
            IntType::Int4 | IntType::Int4Narrow => 7,
            IntType::UInt4 => 15,
        }
    }

    /// Storage width in bits.
    #[inline]
    pub const fn bits(self) -> u32 {
        match self {
            IntType::Int8 | IntType::Int8Narrow | IntType::UInt8 => 8,
            IntType::Int4 | IntType::Int4Narrow | IntType::UInt4 => 4,
        }
    }

    /// Two's complement storage (as opposed to unsigned).
    #[inline]
    pub const fn is_signed(self) -> bool {
        self.qmin() < 0
    }
}

impl fmt::Display for IntType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IntType::Int8 => "int8",
            IntType::Int8Narrow => "int8 [-127, 127]",
            IntType::UInt8 => "uint8",
            IntType::Int4 => "int4",
            IntType::Int4Narrow => "int4 [-7, 7]",
            IntType::UInt4 => "uint4",
        })
    }
}

/// How the real range is mapped onto the integer range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Symmetry {
    /// The whole `[min, max]` (widened to contain 0) maps onto `[qmin, qmax]`; the zero
    /// point is whatever integer represents 0 (TFLite activations).
    #[default]
    Asymmetric,
    /// `[−a, a]` with `a = max(|min|, |max|)`; zero point 0 for signed types (TFLite weights)
    /// and the middle `(qmin + qmax + 1) / 2` for unsigned ones.
    Symmetric,
}

/// Affine quantization parameters of one tensor (or one channel): `real = scale · (q − zp)`.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QuantParams {
    scale: f64,
    zero_point: i32,
    int_type: IntType,
}

impl QuantParams {
    /// Parameters given directly.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when `scale` is zero, negative or not finite;
    /// [`Error::OutOfRange`] when `zero_point` is outside `int_type`'s range.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::{IntType, QuantParams};
    ///
    /// let p = QuantParams::new(0.5, -3, IntType::Int8).unwrap();
    /// assert_eq!(p.dequantize(1), 2.0);
    /// assert_eq!(
    ///     QuantParams::new(0.0, 0, IntType::Int8).unwrap_err().to_string(),
    ///     "invalid scale 0: must be finite and positive"
    /// );
    /// ```
    pub fn new(scale: f64, zero_point: i32, int_type: IntType) -> Result<QuantParams> {
        if !(scale.is_finite() && scale > 0.0) {
            return Err(Error::param("scale", scale, "must be finite and positive"));
        }
        if !(int_type.qmin()..=int_type.qmax()).contains(&zero_point) {
            return Err(Error::OutOfRange {
                value: zero_point.to_string(),
                min: int_type.qmin().to_string(),
                max: int_type.qmax().to_string(),
                what: format!("zero point of {int_type}"),
            });
        }
        Ok(QuantParams {
            scale,
            zero_point,
            int_type,
        })
    }

    /// Parameters that cover the real range `[min, max]`.
    ///
    /// The range is first widened to contain 0 (so 0 is exact, as zero padding needs).
    /// Asymmetric: `scale = (max − min) / (qmax − qmin)` and the zero point is chosen and
    /// nudged exactly as TFLite's `ChooseQuantizationParams` does (from whichever end gives
    /// the smaller rounding error, rounded half away from zero, clamped to the range).
    /// Symmetric: `scale = a / qmax` for signed types (`a / 127` for int8 and narrow int8)
    /// with zero point 0, and `scale = 2a / (qmax − qmin)` with the middle zero point for
    /// unsigned types. An all-zero range (min = max = 0) gets scale 1, since a zero scale is
    /// not allowed and any scale represents it exactly.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when `min` or `max` is not finite or `min > max`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::{IntType, QuantParams, Symmetry};
    ///
    /// let p = QuantParams::from_min_max(0.0, 6.0, IntType::UInt8, Symmetry::Asymmetric).unwrap();
    /// assert_eq!((p.scale(), p.zero_point()), (6.0 / 255.0, 0));
    /// let w = QuantParams::from_min_max(-0.5, 1.27, IntType::Int8Narrow, Symmetry::Symmetric)
    ///     .unwrap();
    /// assert_eq!((w.scale(), w.zero_point()), (0.01, 0));
    /// ```
    pub fn from_min_max(
        min: f64,
        max: f64,
        int_type: IntType,
        symmetry: Symmetry,
    ) -> Result<QuantParams> {
        for (name, v) in [("range minimum", min), ("range maximum", max)] {
            if !v.is_finite() {
                return Err(Error::param(name, v, "must be finite"));
            }
        }
        if min > max {
            return Err(Error::param(
                "range",
                format!("[{min}, {max}]"),
                "minimum must not exceed maximum",
            ));
        }
        let (qmin, qmax) = (int_type.qmin() as f64, int_type.qmax() as f64);
        let rmin = min.min(0.0);
        let rmax = max.max(0.0);
        if rmin == rmax {
            let zp = match symmetry {
                Symmetry::Symmetric if !int_type.is_signed() => {
                    (int_type.qmin() + int_type.qmax() + 1) / 2
                }
                _ => 0,
            };
            return QuantParams::new(1.0, zp, int_type);
        }
        match symmetry {
            Symmetry::Symmetric => {
                let a = rmax.max(-rmin);
                if int_type.is_signed() {
                    QuantParams::new(a / qmax, 0, int_type)
                } else {
                    let zp = (int_type.qmin() + int_type.qmax() + 1) / 2;
                    QuantParams::new(2.0 * a / (qmax - qmin), zp, int_type)
                }
            }
            Symmetry::Asymmetric => {
                let scale = (rmax - rmin) / (qmax - qmin);
                let zp_from_min = qmin - rmin / scale;
                let zp_from_max = qmax - rmax / scale;
                let err_min = qmin.abs() + (rmin / scale).abs();
                let err_max = qmax.abs() + (rmax / scale).abs();
                let zp_real = if err_min < err_max {
                    zp_from_min
                } else {
                    zp_from_max
                };
                let zp = if zp_real < qmin {
                    int_type.qmin()
                } else if zp_real > qmax {
                    int_type.qmax()
                } else {
                    round_f64_to_i64(zp_real, RoundingMode::NearestAway) as i32
                };
                QuantParams::new(scale, zp, int_type)
            }
        }
    }

    /// Parameters covering the range of `data` (see [`Self::from_min_max`]).
    ///
    /// # Errors
    ///
    /// As [`Self::from_min_max`]; [`Error::Shape`] for empty data.
    pub fn from_data(data: &[f32], int_type: IntType, symmetry: Symmetry) -> Result<QuantParams> {
        let (lo, hi) = min_max(data)?;
        QuantParams::from_min_max(lo, hi, int_type, symmetry)
    }

    /// The scale (real value of one integer step).
    #[inline]
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// The integer that represents real 0.
    #[inline]
    pub fn zero_point(&self) -> i32 {
        self.zero_point
    }

    /// The integer type.
    #[inline]
    pub fn int_type(&self) -> IntType {
        self.int_type
    }

    /// Quantizes one value: `clamp(round(x / scale) + zero_point, qmin, qmax)`.
    ///
    /// `x / scale` is computed in `f64` (correctly rounded); the rounding to an integer goes
    /// through [`crate::round`] with `mode`. Out-of-range values saturate (±∞ included);
    /// NaN maps to the zero point. Returns the value and whether it saturated.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::{IntType, QuantParams};
    /// use arithsim::round::RoundingMode;
    ///
    /// let p = QuantParams::new(0.5, 10, IntType::Int8).unwrap();
    /// assert_eq!(p.quantize(1.25, RoundingMode::NearestEven), (12, false)); // 2.5 -> 2
    /// assert_eq!(p.quantize(1.25, RoundingMode::NearestAway), (13, false));
    /// assert_eq!(p.quantize(1000.0, RoundingMode::NearestEven), (127, true));
    /// ```
    #[inline]
    pub fn quantize(&self, x: f64, mode: RoundingMode) -> (i32, bool) {
        let (qmin, qmax) = (self.int_type.qmin() as i64, self.int_type.qmax() as i64);
        if x.is_nan() {
            return (self.zero_point, false);
        }
        let r = x / self.scale;
        let q = if r.is_infinite() {
            if r > 0.0 { i64::MAX } else { i64::MIN }
        } else {
            round_f64_to_i64(r, mode)
        };
        let q = q.saturating_add(self.zero_point as i64);
        let c = q.clamp(qmin, qmax);
        (c as i32, c != q)
    }

    /// The real value of `q`: `scale · (q − zero_point)`.
    #[inline]
    pub fn dequantize(&self, q: i32) -> f64 {
        self.scale * (q as i64 - self.zero_point as i64) as f64
    }

    /// Quantizes a slice (saturating, see [`Self::quantize`]).
    pub fn quantize_slice(&self, data: &[f32], mode: RoundingMode) -> Vec<i32> {
        data.iter()
            .map(|&x| self.quantize(x as f64, mode).0)
            .collect()
    }

    /// Quantizes a slice into `i8` storage, for the int8 kernels.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the type is unsigned (its values do not fit `i8`).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::{IntType, QuantParams};
    /// use arithsim::round::RoundingMode;
    ///
    /// let p = QuantParams::new(0.5, 0, IntType::Int8Narrow).unwrap();
    /// assert_eq!(p.quantize_i8(&[1.0, -100.0], RoundingMode::NearestEven).unwrap(), [2, -127]);
    /// ```
    pub fn quantize_i8(&self, data: &[f32], mode: RoundingMode) -> Result<Vec<i8>> {
        i8_storage(self.int_type)?;
        Ok(data
            .iter()
            .map(|&x| self.quantize(x as f64, mode).0 as i8)
            .collect())
    }

    /// Dequantizes a slice.
    pub fn dequantize_slice(&self, q: &[i32]) -> Vec<f64> {
        q.iter().map(|&v| self.dequantize(v)).collect()
    }
}

/// Per-channel parameters: one [`QuantParams`] per slice along the outermost axis of a
/// row-major tensor (output channels of a weight matrix `[N][K]` or a filter `[Cout][..]`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PerChannelParams {
    channels: Vec<QuantParams>,
}

impl PerChannelParams {
    /// Parameters given directly, one per channel.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `channels` is empty or the channels mix integer types.
    pub fn new(channels: Vec<QuantParams>) -> Result<PerChannelParams> {
        let first = channels
            .first()
            .ok_or_else(|| Error::Shape("per-channel parameters need at least one channel".into()))?
            .int_type;
        if let Some(p) = channels.iter().find(|p| p.int_type != first) {
            return Err(Error::Shape(format!(
                "per-channel parameters mix {first} and {}",
                p.int_type
            )));
        }
        Ok(PerChannelParams { channels })
    }

    /// Parameters from each channel's own range; `data` is row-major `[channels][len/channels]`.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `channels` is 0 or does not divide `data.len()`, or data is empty;
    /// as [`QuantParams::from_min_max`] for non-finite data.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::{IntType, PerChannelParams, Symmetry};
    ///
    /// let w = [1.0f32, -0.5, 0.02, 0.01];
    /// let p = PerChannelParams::from_data(&w, 2, IntType::Int8Narrow, Symmetry::Symmetric).unwrap();
    /// assert_eq!(p.channel(0).scale(), 1.0 / 127.0);
    /// assert_eq!(p.channel(1).scale(), 0.02 as f32 as f64 / 127.0);
    /// ```
    pub fn from_data(
        data: &[f32],
        channels: usize,
        int_type: IntType,
        symmetry: Symmetry,
    ) -> Result<PerChannelParams> {
        let len = channel_len(data.len(), channels)?;
        let params = data
            .chunks(len)
            .map(|c| QuantParams::from_data(c, int_type, symmetry))
            .collect::<Result<Vec<_>>>()?;
        Ok(PerChannelParams { channels: params })
    }

    /// Number of channels.
    pub fn len(&self) -> usize {
        self.channels.len()
    }

    /// Never true (construction requires a channel); for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.channels.is_empty()
    }

    /// Channel `c`'s parameters.
    ///
    /// # Panics
    ///
    /// When `c >= self.len()` (an index, like slice indexing).
    pub fn channel(&self, c: usize) -> &QuantParams {
        &self.channels[c]
    }

    /// All channels' parameters.
    pub fn channels(&self) -> &[QuantParams] {
        &self.channels
    }

    /// Quantizes row-major `[channels][len/channels]` data, each channel with its own
    /// parameters.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when the channel count does not divide `data.len()`.
    pub fn quantize(&self, data: &[f32], mode: RoundingMode) -> Result<Vec<i32>> {
        let len = channel_len(data.len(), self.channels.len())?;
        Ok(data
            .chunks(len)
            .zip(&self.channels)
            .flat_map(|(c, p)| p.quantize_slice(c, mode))
            .collect())
    }

    /// [`Self::quantize`] into `i8` storage, for the int8 kernels.
    ///
    /// # Errors
    ///
    /// As [`Self::quantize`]; [`Error::Unsupported`] for an unsigned type.
    pub fn quantize_i8(&self, data: &[f32], mode: RoundingMode) -> Result<Vec<i8>> {
        i8_storage(self.channels[0].int_type)?;
        Ok(self
            .quantize(data, mode)?
            .into_iter()
            .map(|v| v as i8)
            .collect())
    }

    /// Dequantizes row-major `[channels][len/channels]` data.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when the channel count does not divide `q.len()`.
    pub fn dequantize(&self, q: &[i32]) -> Result<Vec<f64>> {
        let len = channel_len(q.len(), self.channels.len())?;
        Ok(q.chunks(len)
            .zip(&self.channels)
            .flat_map(|(c, p)| p.dequantize_slice(c))
            .collect())
    }
}

/// Checks that values of `t` fit `i8` storage.
fn i8_storage(t: IntType) -> Result<()> {
    if t.is_signed() {
        Ok(())
    } else {
        Err(Error::Unsupported(format!(
            "{t} values in i8 storage (signed types only)"
        )))
    }
}

/// Elements per channel, checking that `channels` divides a non-empty `total`.
fn channel_len(total: usize, channels: usize) -> Result<usize> {
    if channels == 0 || total == 0 || total % channels != 0 {
        return Err(Error::Shape(format!(
            "{total} elements cannot be split into {channels} equal non-empty channels"
        )));
    }
    Ok(total / channels)
}

/// Smallest and largest element.
fn min_max(data: &[f32]) -> Result<(f64, f64)> {
    if data.is_empty() {
        return Err(Error::Shape(
            "cannot choose a range for an empty tensor".into(),
        ));
    }
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for &x in data {
        let x = x as f64;
        if x.is_nan() {
            return Err(Error::param("range minimum", x, "must be finite"));
        }
        lo = lo.min(x);
        hi = hi.max(x);
    }
    Ok((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(
            (IntType::Int8Narrow.qmin(), IntType::Int8Narrow.qmax()),
            (-127, 127)
        );
        assert_eq!((IntType::Int4.qmin(), IntType::UInt4.qmax()), (-8, 15));
        assert!(!IntType::UInt8.is_signed());
    }

    #[test]
    fn zero_is_exact_for_every_type_and_symmetry() {
        for t in [
            IntType::Int8,
            IntType::Int8Narrow,
            IntType::UInt8,
            IntType::Int4,
            IntType::Int4Narrow,
            IntType::UInt4,
        ] {
            for s in [Symmetry::Asymmetric, Symmetry::Symmetric] {
                for (lo, hi) in [(-1.0, 3.0), (0.5, 2.0), (-7.0, -1.0), (0.0, 0.0)] {
                    let p = QuantParams::from_min_max(lo, hi, t, s).unwrap();
                    let (q, _) = p.quantize(0.0, RoundingMode::NearestEven);
                    assert_eq!(p.dequantize(q), 0.0, "{t} {s:?} [{lo}, {hi}]");
                }
            }
        }
    }
}

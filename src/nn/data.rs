//! The 8×8 handwritten digits (UCI "optdigits" test set, 1,797 images, via scikit-learn),
//! embedded in the crate, and its fixed, stratified 80/20 train/test split.
//!
//! The file `data/digits/digits.bin` is made once from scikit-learn's `digits.csv.gz` by
//! `scripts/convert_digits.py` (source, licence, checksum: `data/digits/README.md`). It is
//! `include_bytes!`-ed, so a clean clone needs neither the network nor `../shared`.
//!
//! Byte layout (integers little-endian), `16 + 65·N` bytes:
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 8 | magic `ARSDIGT1` |
//! | 8 | 4 | `N`, images (u32) |
//! | 12 | 1 | height (8) |
//! | 13 | 1 | width (8) |
//! | 14 | 1 | largest pixel value (16) |
//! | 15 | 1 | classes (10) |
//! | 16 | 64·N | pixels (u8, 0..=16), image after image, row-major |
//! | 16 + 64·N | N | labels (u8, 0..=9) |
//!
//! A network sees an image as a 1×8×8 tensor (C×H×W, row-major) of `pixel as f32 / 16.0`
//! ([`Digits::input`]).
//!
//! The split ([`Digits::split`]) is stratified: each class gives its share of the
//! `⌈0.2·N⌉ = 360` test images (as scikit-learn's `train_test_split(test_size=0.2)` rounds),
//! apportioned by largest remainder, the remaining ties going to the lower class, so every
//! class is within one image of 20 % in the test split. Which images of a class go to test
//! is a seeded shuffle with the crate's [`SplitMix64`].

use rand_core::{Rng, SeedableRng};

use crate::cost::SplitMix64;
use crate::{Error, Result};

/// The embedded data file.
const EMBEDDED: &[u8] = include_bytes!("../../data/digits/digits.bin");
const MAGIC: &[u8; 8] = b"ARSDIGT1";
const HEADER: usize = 16;

/// The digits data set: images of `HEIGHT × WIDTH` pixels in `0..=MAX_PIXEL`, labels in
/// `0..CLASSES`.
///
/// # Examples
///
/// ```
/// use arithsim::nn::data::Digits;
///
/// let d = Digits::embedded()?;
/// assert_eq!(d.len(), 1797);
/// assert_eq!(d.image(0)?.len(), 64);
/// let s = d.split(Digits::FIXED_SPLIT_SEED);
/// assert_eq!((s.train.len(), s.test.len()), (1437, 360));
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digits {
    pixels: Vec<u8>,
    labels: Vec<u8>,
}

/// A train/test split: indices into [`Digits`], each list in shuffled order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// Training images (80 %).
    pub train: Vec<usize>,
    /// Test images (20 %, rounded up: 360 of 1,797).
    pub test: Vec<usize>,
}

/// A uniform index in `0..n` (n ≥ 1) from 64 random bits by a multiply-high (Lemire), so the
/// same seed gives the same index on every platform.
pub(crate) fn below(rng: &mut SplitMix64, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// Fisher–Yates shuffle in place with [`below`].
pub(crate) fn shuffle<T>(rng: &mut SplitMix64, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = below(rng, i + 1);
        v.swap(i, j);
    }
}

impl Digits {
    /// Image height in pixels.
    pub const HEIGHT: usize = 8;
    /// Image width in pixels.
    pub const WIDTH: usize = 8;
    /// Pixels per image.
    pub const PIXELS: usize = Self::HEIGHT * Self::WIDTH;
    /// Largest pixel value (a pixel counts the set bits of a 4×4 block of the 32×32 scan).
    pub const MAX_PIXEL: u8 = 16;
    /// Number of classes (digits 0–9).
    pub const CLASSES: usize = 10;
    /// The split seed of the committed checkpoints and every headline figure. The issue
    /// number that introduced the data set; chosen before any training run, not tuned.
    pub const FIXED_SPLIT_SEED: u64 = 19;

    /// The data set embedded in the crate.
    ///
    /// # Errors
    ///
    /// As [`Digits::from_bytes`] (only if the embedded file were corrupted).
    pub fn embedded() -> Result<Digits> {
        Self::from_bytes(EMBEDDED)
    }

    /// Parses a file in the layout of the module documentation.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] for a wrong magic, a header other than 8×8 pixels in 0..=16 and 10
    /// classes, a length that does not match the image count, a pixel above 16 or a label
    /// above 9.
    pub fn from_bytes(bytes: &[u8]) -> Result<Digits> {
        let bad = |reason: String| Error::Parse {
            input: format!("digits file of {} bytes", bytes.len()),
            reason,
        };
        if bytes.len() < HEADER {
            return Err(bad(format!("shorter than the {HEADER}-byte header")));
        }
        if &bytes[..8] != MAGIC {
            return Err(bad("magic is not ARSDIGT1".into()));
        }
        let n = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
        let dims = [bytes[12], bytes[13], bytes[14], bytes[15]];
        if dims != [8, 8, Self::MAX_PIXEL, 10] {
            return Err(bad(format!(
                "header says {}x{} pixels up to {} in {} classes; expected 8x8 up to 16 in 10",
                dims[0], dims[1], dims[2], dims[3]
            )));
        }
        if n == 0 {
            return Err(bad("no images".into()));
        }
        let expected = n
            .checked_mul(Self::PIXELS + 1)
            .and_then(|b| b.checked_add(HEADER))
            .ok_or_else(|| bad(format!("image count {n} overflows")))?;
        if bytes.len() != expected {
            return Err(bad(format!(
                "{n} images need {expected} bytes, file has {}",
                bytes.len()
            )));
        }
        let pixels = bytes[HEADER..HEADER + n * Self::PIXELS].to_vec();
        let labels = bytes[HEADER + n * Self::PIXELS..].to_vec();
        if let Some(i) = pixels.iter().position(|&p| p > Self::MAX_PIXEL) {
            return Err(bad(format!(
                "image {} pixel {} is {}, above 16",
                i / Self::PIXELS,
                i % Self::PIXELS,
                pixels[i]
            )));
        }
        if let Some(i) = labels.iter().position(|&l| usize::from(l) >= Self::CLASSES) {
            return Err(bad(format!("label of image {i} is {}, above 9", labels[i])));
        }
        Ok(Digits { pixels, labels })
    }

    /// Number of images.
    #[must_use]
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Always false for a parsed file (an empty one is rejected); here for clippy's sake.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// All pixels, image after image, each image row-major (`len() × 64` values in 0..=16).
    #[must_use]
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// All labels (0..=9), in image order.
    #[must_use]
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The 64 pixels of image `index`, row-major.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when `index >= len()`.
    pub fn image(&self, index: usize) -> Result<&[u8]> {
        self.check(index)?;
        Ok(&self.pixels[index * Self::PIXELS..(index + 1) * Self::PIXELS])
    }

    /// The label of image `index`.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when `index >= len()`.
    pub fn label(&self, index: usize) -> Result<u8> {
        self.check(index)?;
        Ok(self.labels[index])
    }

    /// The network input of image `index`: 1×8×8 (C×H×W), `pixel as f32 / 16.0`.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when `index >= len()`.
    pub fn input(&self, index: usize) -> Result<Vec<f32>> {
        Ok(self
            .image(index)?
            .iter()
            .map(|&p| f32::from(p) / 16.0)
            .collect())
    }

    fn check(&self, index: usize) -> Result<()> {
        if index < self.len() {
            Ok(())
        } else {
            Err(Error::OutOfRange {
                value: index.to_string(),
                min: "0".into(),
                max: (self.len() - 1).to_string(),
                what: "digits image index".into(),
            })
        }
    }

    /// Test images per class: `⌈0.2·N⌉` apportioned by largest remainder of `0.2·count`
    /// (exact integer arithmetic on `count / 5`), ties to the lower class.
    fn test_quota(&self) -> [usize; 10] {
        let mut counts = [0usize; 10];
        for &l in &self.labels {
            counts[usize::from(l)] += 1;
        }
        let total = self.len().div_ceil(5);
        let mut quota = counts.map(|c| c / 5);
        let mut left = total - quota.iter().sum::<usize>();
        // Remainders are count % 5 (fifths); take the largest first, lower class on ties.
        let mut order: Vec<usize> = (0..10).collect();
        order.sort_by_key(|&c| (std::cmp::Reverse(counts[c] % 5), c));
        for c in order {
            if left == 0 {
                break;
            }
            if counts[c] % 5 != 0 {
                quota[c] += 1;
                left -= 1;
            }
        }
        quota
    }

    /// The seeded, shuffled, stratified 80/20 split (see the module documentation). Every
    /// image is in exactly one list; `test` has `⌈0.2·len()⌉` images.
    #[must_use]
    pub fn split(&self, seed: u64) -> Split {
        let mut rng = SplitMix64::seed_from_u64(seed);
        let quota = self.test_quota();
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for (class, &q) in quota.iter().enumerate() {
            let mut members: Vec<usize> = (0..self.len())
                .filter(|&i| usize::from(self.labels[i]) == class)
                .collect();
            shuffle(&mut rng, &mut members);
            test.extend_from_slice(&members[..q.min(members.len())]);
            train.extend_from_slice(&members[q.min(members.len())..]);
        }
        shuffle(&mut rng, &mut train);
        shuffle(&mut rng, &mut test);
        Split { train, test }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_matches_the_source_counts() {
        let d = Digits::embedded().unwrap();
        assert_eq!(d.len(), 1797);
        let mut counts = [0; 10];
        for &l in d.labels() {
            counts[usize::from(l)] += 1;
        }
        // Per-class counts of scikit-learn's load_digits().
        assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
        // First image of the CSV, row 0: 0,0,5,13,9,1,0,0 and label 0.
        assert_eq!(&d.image(0).unwrap()[..8], &[0, 0, 5, 13, 9, 1, 0, 0]);
        assert_eq!(d.label(0).unwrap(), 0);
        assert_eq!(d.label(1796).unwrap(), 8);
        assert!(d.image(1797).is_err());
    }

    #[test]
    fn quota_is_largest_remainder() {
        let d = Digits::embedded().unwrap();
        // 0.2·count = 35.6 36.4 35.4 36.6 36.2 36.4 36.2 35.8 34.8 36.0; floors sum to 355,
        // five more go to the remainders .8 (7, 8), .6 (0, 3), .4 (1: lowest of 1, 2, 5).
        assert_eq!(d.test_quota(), [36, 37, 35, 37, 36, 36, 36, 36, 35, 36]);
    }
}

//! The summary figure of the integer encodings: every pattern of a few bits placed on one
//! number line per encoding, so the shifts and the doubled zeros are visible side by side.

use std::fmt;

use super::bits::Bits;
use super::encoding::Encoding;
use super::wide::WideInt;
use crate::{Error, Result};

/// Widest pattern [`number_line`] draws (2^6 points per line).
pub const MAX_LINE_WIDTH: u32 = crate::limits::NUMBER_LINE_MAX_WIDTH;

/// One encoding's line: each value it can hold with the patterns that mean it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodingLine {
    /// The encoding.
    pub encoding: Encoding,
    /// `(value, patterns)` from the smallest value up; two patterns at 0 for sign-magnitude
    /// and one's complement.
    pub points: Vec<(WideInt, Vec<Bits>)>,
}

/// Every `width`-bit pattern on a number line, one line per encoding (see [`number_line`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberLine {
    /// The pattern width.
    pub width: u32,
    /// One line per encoding, in the order asked for.
    pub lines: Vec<EncodingLine>,
}

/// Places every `width`-bit pattern on a number line in each of `encodings`: the course's
/// summary figure of the 16 four-bit patterns as unsigned, two's complement and
/// sign-magnitude.
///
/// # Errors
///
/// [`Error::InvalidWidth`] unless `width` is in 1..=[`MAX_LINE_WIDTH`];
/// [`Error::InvalidParameter`] for no encodings.
///
/// # Examples
///
/// ```
/// use arithsim::repr::{number_line, Encoding, WideInt};
///
/// let l = number_line(4, &[Encoding::Unsigned, Encoding::TwosComplement])?;
/// let tc = &l.lines[1];
/// assert_eq!(tc.points[0].0, WideInt::from(-8));
/// assert_eq!(tc.points[0].1[0].to_string(), "1000");
/// assert_eq!(tc.points.len(), 16);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn number_line(width: u32, encodings: &[Encoding]) -> Result<NumberLine> {
    Error::check_width("number line", width, 1, MAX_LINE_WIDTH)?;
    if encodings.is_empty() {
        return Err(Error::param(
            "encodings",
            "[]",
            "name at least one encoding",
        ));
    }
    let lines = encodings
        .iter()
        .map(|&encoding| {
            let mut table = encoding.table(width)?;
            table.sort_by_key(|x| x.1);
            let mut points: Vec<(WideInt, Vec<Bits>)> = Vec::new();
            for (bits, value) in table {
                match points.last_mut() {
                    Some((v, ps)) if *v == value => ps.push(bits),
                    _ => points.push((value, vec![bits])),
                }
            }
            Ok(EncodingLine { encoding, points })
        })
        .collect::<Result<_>>()?;
    Ok(NumberLine { width, lines })
}

fn small(v: WideInt) -> i128 {
    v.to_i128().unwrap_or_default()
}

/// The widest a number line's text gets before it is split into parts.
const TEXT_WIDTH: usize = 120;

impl NumberLine {
    /// The value axis and every encoding's rows for values `lo..=hi`.
    fn fmt_part(
        &self,
        f: &mut fmt::Formatter<'_>,
        lo: i128,
        hi: i128,
        name_w: usize,
        cell: usize,
    ) -> fmt::Result {
        write!(f, "{:name_w$} ", "value")?;
        for v in lo..=hi {
            write!(f, "{v:>cell$}")?;
        }
        writeln!(f)?;
        for l in &self.lines {
            // Rows for this part's values only (the second zero is in one part).
            let rows = l
                .points
                .iter()
                .filter(|p| (lo..=hi).contains(&small(p.0)))
                .map(|p| p.1.len())
                .max()
                .unwrap_or(1);
            for row in 0..rows {
                let name = if row == 0 { l.encoding.name() } else { "" };
                let mut s = format!("{name:name_w$} ");
                for v in lo..=hi {
                    let p = l
                        .points
                        .iter()
                        .find(|p| small(p.0) == v)
                        .and_then(|p| p.1.get(row));
                    match p {
                        Some(b) => s.push_str(&format!("{:>cell$}", b.to_string())),
                        None => s.push_str(&" ".repeat(cell)),
                    }
                }
                writeln!(f, "{}", s.trim_end())?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for NumberLine {
    /// A value axis, then each encoding's patterns under their values; a second pattern of
    /// the same value (the negative zero) goes on a row of its own below. A line wider than
    /// 120 columns is split into parts of equal length, blank-line separated.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all = || self.lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
        let (Some(lo), Some(hi)) = (all().min(), all().max()) else {
            return Ok(());
        };
        // Widths up to MAX_LINE_WIDTH keep every value far inside i128.
        let (lo, hi) = (small(lo), small(hi));
        let cell = (self.width as usize).max(3) + 1;
        let name_w = self
            .lines
            .iter()
            .map(|l| l.encoding.name().len())
            .max()
            .unwrap_or(0);
        // Parts of equal length that fit TEXT_WIDTH columns, the names repeated in each (a
        // 4-bit line of three encodings is 24 values: two parts of 12).
        let per = (TEXT_WIDTH.saturating_sub(name_w + 1) / cell).max(1) as i128;
        let parts = (hi - lo + 1 + per - 1) / per;
        let per = (hi - lo + 1 + parts - 1) / parts;
        let mut start = lo;
        while start <= hi {
            let end = (start + per - 1).min(hi);
            if start > lo {
                writeln!(f)?;
            }
            self.fmt_part(f, start, end, name_w, cell)?;
            start = end + 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 23: the 4-bit summary of three encodings was 137 columns wide.
    #[test]
    fn the_text_fits_120_columns_in_parts() {
        for w in 1..=MAX_LINE_WIDTH {
            let text = number_line(w, &Encoding::ALL).unwrap().to_string();
            for l in text.lines() {
                assert!(l.chars().count() <= TEXT_WIDTH, "{w} bits: {l}");
            }
        }
        let four = number_line(
            4,
            &[
                Encoding::Unsigned,
                Encoding::TwosComplement,
                Encoding::SignMagnitude,
            ],
        )
        .unwrap()
        .to_string();
        let axes: Vec<&str> = four.lines().filter(|l| l.starts_with("value")).collect();
        assert_eq!(axes.len(), 2, "{four}");
        // Axis, three encodings and the second zero; a blank line; axis and three encodings.
        assert_eq!(four.lines().count(), 10, "{four}");
        assert!(axes[0].trim_end().ends_with(" 3") && axes[1].trim_end().ends_with(" 15"));
    }

    #[test]
    fn every_pattern_once() {
        for w in 1..=MAX_LINE_WIDTH {
            let l = number_line(w, &Encoding::ALL).unwrap();
            for line in &l.lines {
                let n: usize = line.points.iter().map(|p| p.1.len()).sum();
                assert_eq!(n, 1 << w);
                assert!(line.points.windows(2).all(|p| p[0].0 < p[1].0));
            }
        }
        assert!(number_line(0, &Encoding::ALL).is_err());
        assert!(number_line(7, &Encoding::ALL).is_err());
        assert!(number_line(4, &[]).is_err());
    }
}

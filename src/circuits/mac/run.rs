//! Running a MAC netlist clock by clock.

use super::MacSpec;
use super::build::build_mac_step;
use crate::gates::{Activity, Builder, Netlist, Simulator, Wire};
use crate::{Error, Result};

/// A MAC (or dot-product) unit: its spec and its sequential netlist.
///
/// The netlist's inputs are `a`, `b` for one lane, or `a0`, `b0`, `a1`, `b1`, ... for a
/// dot-product unit; its output `acc` is the accumulator after the current clock (the
/// register's next value). The accumulator starts at 0.
#[derive(Clone, Debug)]
pub struct Mac {
    spec: MacSpec,
    netlist: Netlist,
    a: Vec<Vec<Wire>>,
    b: Vec<Vec<Wire>>,
    acc: Vec<Wire>,
}

/// Accumulator values and (optionally) switching activity of a run.
#[derive(Clone, Debug)]
pub struct MacRun {
    /// `acc[t][s]`: stream `s`'s accumulator after clock `t` (a bit pattern of `acc_bits`
    /// bits).
    pub acc: Vec<Vec<u128>>,
    /// Toggles over the run (each clock compared with the previous one).
    pub activity: Option<Activity>,
}

impl Mac {
    /// Builds the unit.
    ///
    /// # Errors
    /// As [`MacSpec::validate`].
    pub fn new(spec: MacSpec) -> Result<Self> {
        spec.validate()?;
        let mut bld = Builder::new();
        let names = |p: &str, i: u32| {
            if spec.lanes == 1 {
                p.to_string()
            } else {
                format!("{p}{i}")
            }
        };
        let mut a = Vec::new();
        let mut b = Vec::new();
        for i in 0..spec.lanes {
            a.push(bld.input(&names("a", i), spec.mul_bits)?);
            b.push(bld.input(&names("b", i), spec.mul_bits)?);
        }
        let q: Vec<Wire> = (0..spec.acc_bits).map(|_| bld.register(false)).collect();
        let next = build_mac_step(&mut bld, &spec, &a, &b, &q)?;
        for (&qq, &d) in q.iter().zip(&next) {
            bld.connect_register(qq, d)?;
        }
        bld.output("acc", &next)?;
        let netlist = bld.finish()?;
        Ok(Mac {
            spec,
            netlist,
            a,
            b,
            acc: next,
        })
    }

    /// The spec.
    #[must_use]
    pub fn spec(&self) -> &MacSpec {
        &self.spec
    }

    /// The sequential netlist.
    #[must_use]
    pub fn netlist(&self) -> &Netlist {
        &self.netlist
    }

    /// Runs up to 64 independent streams from a zero accumulator. `a[t]` holds clock `t`'s
    /// operands, `lanes` per stream (stream `s`, lane `i` at `a[t][s * lanes + i]`); every
    /// clock has the same number of streams.
    ///
    /// # Errors
    /// [`Error::Shape`] for ragged or mismatched inputs or more than 64 streams;
    /// [`Error::OutOfRange`] for an operand that does not fit the unit's `mul_bits` bits (as the
    /// netlist's own `eval_u64` refuses it): dropping its high bits would accumulate another
    /// number.
    pub fn run(&self, a: &[Vec<u64>], b: &[Vec<u64>], activity: bool) -> Result<MacRun> {
        let k = self.spec.lanes as usize;
        let streams = a.first().map_or(0, |v| v.len() / k);
        if a.len() != b.len() || streams > 64 || a.iter().chain(b).any(|v| v.len() != streams * k) {
            return Err(Error::Shape(format!(
                "mac run needs equal clocks of a and b with the same number (<= 64) of streams × {k} lanes each"
            )));
        }
        let width = self.spec.mul_bits;
        if let Some(&v) = a
            .iter()
            .chain(b)
            .flatten()
            .find(|&&v| v.checked_shr(width).unwrap_or(0) != 0)
        {
            return Err(Error::OutOfRange {
                value: v.to_string(),
                min: "0".into(),
                max: (u64::MAX >> (64 - width.clamp(1, 64))).to_string(),
                what: format!("a {width}-bit mac operand"),
            });
        }
        let mut sim = Simulator::new(&self.netlist, 1)?;
        sim.set_activity(activity);
        let mut acc = Vec::with_capacity(a.len());
        for (at, bt) in a.iter().zip(b) {
            for (ports, vals) in [(&self.a, at), (&self.b, bt)] {
                for (i, port) in ports.iter().enumerate() {
                    for (j, &w) in port.iter().enumerate() {
                        let word = (0..streams)
                            .fold(0u64, |acc, s| acc | (((vals[s * k + i] >> j) & 1) << s));
                        sim.set_input_words(w, &[word])?;
                    }
                }
            }
            sim.step();
            let words: Vec<u64> = self
                .acc
                .iter()
                .map(|&w| sim.wire_words(w).map(|x| x[0]))
                .collect::<Result<_>>()?;
            acc.push(
                (0..streams)
                    .map(|s| {
                        words
                            .iter()
                            .enumerate()
                            .fold(0u128, |v, (j, &x)| v | (u128::from((x >> s) & 1) << j))
                    })
                    .collect(),
            );
        }
        Ok(MacRun {
            acc,
            activity: sim.activity().cloned(),
        })
    }

    /// Runs one stream of operand pairs (one lane) from a zero accumulator and returns the
    /// accumulator after each clock.
    ///
    /// Operands and results are bit patterns: a signed operand `-3` of an 8-bit unit is
    /// `0xfd`, and a signed 32-bit accumulator of `-21` comes back as `0xffff_ffeb`.
    /// [`Mac::accumulate_values`] takes and returns the numbers instead.
    ///
    /// # Errors
    /// [`Error::Shape`] if `a` and `b` differ in length or the unit has more than one lane;
    /// [`Error::OutOfRange`] for an operand wider than the unit (as [`Mac::run`]).
    pub fn accumulate(&self, a: &[u64], b: &[u64]) -> Result<Vec<u128>> {
        if self.spec.lanes != 1 || a.len() != b.len() {
            return Err(Error::Shape(format!(
                "accumulate takes equal-length streams for a one-lane mac ({} and {} given, {} lanes)",
                a.len(),
                b.len(),
                self.spec.lanes
            )));
        }
        let av: Vec<Vec<u64>> = a.iter().map(|&x| vec![x]).collect();
        let bv: Vec<Vec<u64>> = b.iter().map(|&x| vec![x]).collect();
        Ok(self
            .run(&av, &bv, false)?
            .acc
            .into_iter()
            .map(|v| v[0])
            .collect())
    }

    /// [`Mac::accumulate`] on numbers: each operand is encoded as the unit's `mul_bits`-bit
    /// pattern (two's complement for a signed unit), and each accumulator pattern of
    /// `acc_bits` bits is read back as a number by the same signedness, so an INT8 → INT32
    /// unit computes what `i8 × i8` summed into a wrapping `i32` does.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::mac::{Mac, MacSpec};
    ///
    /// let mac = Mac::new(MacSpec::INT8_INT32)?;
    /// let acc = mac.accumulate_values(&[100, -3, -128], &[100, 7, -128])?;
    /// assert_eq!(acc, vec![10_000, 9_979, 26_363]);
    /// assert!(mac.accumulate_values(&[128], &[1]).is_err()); // not an i8
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Mac::accumulate`], and [`Error::OutOfRange`] for an operand outside the unit's
    /// range (`-2^(w-1) ..= 2^(w-1) - 1` signed, `0 ..= 2^w - 1` unsigned; an unsigned
    /// 64-bit operand above `i64::MAX` needs [`Mac::accumulate`]), or for an unsigned
    /// 128-bit accumulator above `i128::MAX`.
    pub fn accumulate_values(&self, a: &[i64], b: &[i64]) -> Result<Vec<i128>> {
        let (pa, pb) = (self.encode(a)?, self.encode(b)?);
        self.accumulate(&pa, &pb)?
            .into_iter()
            .map(|p| self.decode(p))
            .collect()
    }

    /// `values` as `mul_bits`-bit patterns of the unit's signedness.
    fn encode(&self, values: &[i64]) -> Result<Vec<u64>> {
        let w = self.spec.mul_bits;
        let (lo, hi) = if self.spec.signedness.is_signed() {
            (-(1i128 << (w - 1)), (1i128 << (w - 1)) - 1)
        } else {
            (0, (1i128 << w) - 1)
        };
        let mask = u64::MAX >> (64 - w);
        values
            .iter()
            .map(|&v| {
                if (lo..=hi).contains(&i128::from(v)) {
                    Ok(v as u64 & mask)
                } else {
                    Err(Error::OutOfRange {
                        value: v.to_string(),
                        min: lo.to_string(),
                        max: hi.to_string(),
                        what: format!("a {w}-bit {} mac operand", self.spec.signedness),
                    })
                }
            })
            .collect()
    }

    /// The number an `acc_bits`-bit accumulator pattern holds.
    fn decode(&self, pattern: u128) -> Result<i128> {
        let sh = 128 - self.spec.acc_bits;
        if self.spec.signedness.is_signed() {
            Ok(((pattern << sh) as i128) >> sh)
        } else {
            i128::try_from(pattern).map_err(|_| Error::OutOfRange {
                value: pattern.to_string(),
                min: "0".into(),
                max: i128::MAX.to_string(),
                what: "an unsigned accumulator read as i128".into(),
            })
        }
    }
}

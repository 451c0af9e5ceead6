//! Integer cell delays for the timed (glitch-aware) simulator.
//!
//! The timed simulator counts time in whole *units*. Each library cell kind gets a delay of
//! `max(1, round(delay_ns / resolution_ns))` units, from the [`CellLibrary`]'s one
//! representative (worst-arc) delay per cell: quantization moves each delay by at most half
//! a unit (5 ps at the default 10 ps resolution, where NanGate 45 nm gives INV 2, NAND2 3,
//! NOR2 4, AND2 5, OR2 6, XOR2 7, XNOR2 5, MUX2 7, HA 7, FA 13, DFF 10 units). Every delay is
//! at least one unit, so a cell's output never changes in the same unit as its input: a
//! zero-delay cell is what the zero-delay simulator already models. Delays can be set per cell
//! kind ([`TimedDelays::set`]), for instance to match another tool.

use super::cells::{CellLibrary, LibCell};
use crate::{Error, Result};

/// Largest delay of one cell, in units (keeps waveforms short and bounded).
pub const MAX_DELAY_UNITS: u32 = 1000;

/// The default time resolution, ns per unit (10 ps).
pub const DEFAULT_RESOLUTION_NS: f64 = 0.01;

/// One integer delay per library cell kind, and the length of a unit in ns.
///
/// # Examples
///
/// ```
/// use arithsim::gates::{CellLibrary, LibCell, TimedDelays};
///
/// let mut d = TimedDelays::from_library(&CellLibrary::nangate45(), 0.01)?;
/// assert_eq!(d.get(LibCell::FullAdder), 13); // 0.1317 ns at 10 ps per unit
/// assert_eq!(d.get(LibCell::Inv), 2);
/// d.set(LibCell::FullAdder, 12)?;
/// assert_eq!(d.get(LibCell::FullAdder), 12);
/// assert!(d.set(LibCell::Inv, 0).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TimedDelays {
    units: [u32; LibCell::ALL.len()],
    resolution_ns: f64,
}

impl TimedDelays {
    /// Delays of `lib`'s cells quantized to `resolution_ns` per unit (rounded to nearest,
    /// at least 1 unit).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a resolution that is not finite and positive, or one so
    /// fine that a cell needs more than [`MAX_DELAY_UNITS`] units.
    pub fn from_library(lib: &CellLibrary, resolution_ns: f64) -> Result<Self> {
        check_resolution(resolution_ns)?;
        let mut units = [1u32; LibCell::ALL.len()];
        for k in LibCell::ALL {
            let q = (lib.cell(k).delay_ns / resolution_ns).round();
            if q > f64::from(MAX_DELAY_UNITS) {
                return Err(Error::param(
                    "time resolution (ns)",
                    resolution_ns,
                    format!(
                        "{} needs {q} units, more than the {MAX_DELAY_UNITS} allowed",
                        k.stem()
                    ),
                ));
            }
            units[k.index()] = (q as u32).max(1);
        }
        Ok(TimedDelays {
            units,
            resolution_ns,
        })
    }

    /// The same delay, `units`, for every cell kind (unit-delay simulation when 1).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] unless `1 <= units <= MAX_DELAY_UNITS`;
    /// [`Error::InvalidParameter`] for a bad resolution.
    pub fn uniform(units: u32, resolution_ns: f64) -> Result<Self> {
        check_resolution(resolution_ns)?;
        check_units(units)?;
        Ok(TimedDelays {
            units: [units; LibCell::ALL.len()],
            resolution_ns,
        })
    }

    /// Sets the delay of one cell kind, in units.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] unless `1 <= units <= MAX_DELAY_UNITS`.
    pub fn set(&mut self, cell: LibCell, units: u32) -> Result<()> {
        self.units[cell.index()] = check_units(units)?;
        Ok(())
    }

    /// The delay of `cell` in units.
    #[must_use]
    pub fn get(&self, cell: LibCell) -> u32 {
        self.units[cell.index()]
    }

    /// Nanoseconds per unit.
    #[must_use]
    pub fn resolution_ns(&self) -> f64 {
        self.resolution_ns
    }
}

fn check_resolution(r: f64) -> Result<()> {
    if r.is_finite() && r > 0.0 {
        Ok(())
    } else {
        Err(Error::param(
            "time resolution (ns)",
            r,
            "must be finite and positive",
        ))
    }
}

fn check_units(units: u32) -> Result<u32> {
    if (1..=MAX_DELAY_UNITS).contains(&units) {
        Ok(units)
    } else {
        Err(Error::OutOfRange {
            value: units.to_string(),
            min: "1".into(),
            max: MAX_DELAY_UNITS.to_string(),
            what: "cell delay (time units)".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nangate_quantizes_to_the_documented_units() {
        let d =
            TimedDelays::from_library(&CellLibrary::nangate45(), DEFAULT_RESOLUTION_NS).unwrap();
        // The cells a library must provide, in `REQUIRED`'s order: INV, NAND2, NOR2, AND2,
        // OR2, XOR2, XNOR2, MUX2, HA, FA, DFF.
        let got: Vec<u32> = LibCell::REQUIRED.iter().map(|&k| d.get(k)).collect();
        assert_eq!(got, [2, 3, 4, 5, 6, 7, 5, 7, 7, 13, 10]);
        // a coarse resolution still gives every cell at least one unit
        let c = TimedDelays::from_library(&CellLibrary::nangate45(), 1.0).unwrap();
        assert!(LibCell::ALL.iter().all(|&k| c.get(k) == 1));
    }

    #[test]
    fn bad_delays_are_errors() {
        let lib = CellLibrary::nangate45();
        assert_eq!(
            TimedDelays::from_library(&lib, 0.0)
                .unwrap_err()
                .to_string(),
            "invalid time resolution (ns) 0: must be finite and positive"
        );
        assert!(TimedDelays::from_library(&lib, 1e-6).is_err());
        assert!(TimedDelays::uniform(0, 0.01).is_err());
        let e = TimedDelays::uniform(1001, 0.01).unwrap_err().to_string();
        assert!(e.contains("1001") && e.contains("cell delay"), "{e}");
    }
}

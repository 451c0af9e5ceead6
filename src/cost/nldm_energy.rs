//! NLDM energy per operation from the crate's own simulated activity: the per-net toggles of
//! a zero-delay or timed run fed into [`Netlist::nldm_power`] (internal-power tables at each
//! pin's slew and load, plus `½·C·V²`), next to the figure at one uniform activity, the
//! arithmetic calibrated against OpenSTA's `report_power` (`tests/sta_calibration.rs`).

use super::GlitchCost;
use crate::Result;
use crate::gates::{CellLibrary, Netlist, NldmPower, PowerActivity, StaOptions};

/// NLDM energy of one circuit at three activities, fJ per operation, each at its
/// [`NldmPower::voltage_v`] (the Liberty library's voltage).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NldmEnergy {
    /// The uniform activity: the mean of the zero-delay per-net activities (toggles per
    /// operation per wire), so the uniform figure spends the same total toggles evenly.
    pub uniform_activity: f64,
    /// Every net at `uniform_activity` (OpenSTA's `set_power_activity -global`).
    pub uniform: NldmPower,
    /// Each net at its zero-delay (functional) activity.
    pub zero_delay: NldmPower,
    /// Each net at its timed activity, glitches included.
    pub glitch_aware: NldmPower,
}

/// The NLDM energies of `net` from the activities of a glitch-aware run `g` of the same
/// netlist, on a Liberty-loaded `lib` with boundary conditions `opts`.
///
/// # Errors
/// As [`Netlist::nldm_power`]: [`Error::Unsupported`](crate::Error::Unsupported) when `lib`
/// has no NLDM tables (the embedded table), [`Error::InvalidParameter`](crate::Error) when
/// `g` was recorded on another netlist (a per-wire slice of the wrong length).
///
/// # Examples
///
/// ```no_run
/// use arithsim::circuits::adders::ripple_carry_adder;
/// use arithsim::cost::{glitch_cost_random, nldm_energy};
/// use arithsim::gates::{CellLibrary, StaOptions, TimedDelays};
///
/// let lib = CellLibrary::load_liberty("nangate45_typ.lib.gz")?;
/// let net = ripple_carry_adder(16)?;
/// let g = glitch_cost_random(&net, &lib, &TimedDelays::from_library(&lib, 0.01)?, 4096, 1)?;
/// let e = nldm_energy(&net, &lib, &StaOptions::default(), &g)?;
/// assert!(e.glitch_aware.total_fj() > e.zero_delay.total_fj());
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn nldm_energy(
    net: &Netlist,
    lib: &CellLibrary,
    opts: &StaOptions,
    g: &GlitchCost,
) -> Result<NldmEnergy> {
    let zero = g.zero_delay_activity.per_operation();
    let timed = g.timed_activity.per_operation();
    let uniform_activity = zero.iter().sum::<f64>() / zero.len().max(1) as f64;
    Ok(NldmEnergy {
        uniform_activity,
        uniform: net.nldm_power(lib, opts, PowerActivity::Uniform(uniform_activity))?,
        zero_delay: net.nldm_power(lib, opts, PowerActivity::PerWire(&zero))?,
        glitch_aware: net.nldm_power(lib, opts, PowerActivity::PerWire(&timed))?,
    })
}

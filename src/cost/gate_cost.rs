//! Gate-derived costs: area, energy per operation and delay of a netlist, from a cell
//! library and simulated switching activity.
//!
//! Energy per output toggle of a cell instance is its internal energy plus the switching
//! energy of the load it drives:
//!
//! ```text
//! E_toggle(wire) = E_int(cell driving it) + ½ · C_load(wire) · V²,
//! C_load(wire)   = Σ input-pin capacitance of every instance reading the wire (its fan-out).
//! ```
//!
//! Primary inputs have no driving cell in the netlist: only their load term counts (the
//! energy the circuit's pins draw from whatever drives them). Output ports drive no modelled
//! load. Energy per operation is the total over a stream divided by the number of operand
//! transitions. Leakage is left out (it depends on the clock, not on the operation). The
//! library's corner voltage is used throughout; [`GateCost::energy_pj_at`] rescales by
//! `(V / V_lib)²`. Derivation and caveats: `docs/cost-model.md`.

use rand_core::{Rng, SeedableRng};

use crate::gates::{Activity, BatchOutput, CellLibrary, Instance, Netlist, Operand, Simulator};
use crate::{Error, Result};

/// Area, energy per operation and delay of one circuit under one cell library.
///
/// Every energy figure here is at [`voltage_v`](GateCost::voltage_v), the library's supply
/// voltage (1.1 V for the embedded NanGate 45 nm table); [`GateCost::energy_pj_at`] gives it
/// at another supply.
#[derive(Clone, Debug, PartialEq)]
pub struct GateCost {
    /// Sum of cell areas, µm².
    pub area_um2: f64,
    /// Number of library-cell instances.
    pub instances: usize,
    /// Mean internal (cell) energy per operation at `voltage_v`, pJ.
    pub internal_pj: f64,
    /// Mean load-switching energy (½·C·V²) per operation at `voltage_v`, pJ.
    pub switching_pj: f64,
    /// Critical-path delay, ns.
    pub delay_ns: f64,
    /// Mean wire toggles per operation (all wires).
    pub toggles_per_op: f64,
    /// Operand transitions simulated (the denominator of the per-operation figures): one per
    /// operand after the first of each of the 64 streams, or per machine per clock after the
    /// first for a clocked run.
    pub transitions: u64,
    /// The supply voltage every energy figure of this cost is at: the library's, V.
    pub voltage_v: f64,
}

impl GateCost {
    /// Energy per operation at [`voltage_v`](GateCost::voltage_v), pJ.
    #[must_use]
    pub fn energy_pj(&self) -> f64 {
        self.internal_pj + self.switching_pj
    }

    /// Energy per operation rescaled to supply `voltage_v` by `(V / V_lib)²` (dynamic energy
    /// only; the same circuit, a first-order voltage scaling), pJ.
    #[must_use]
    pub fn energy_pj_at(&self, voltage_v: f64) -> f64 {
        let k = voltage_v / self.voltage_v;
        self.energy_pj() * k * k
    }
}

/// The generator of the default operand streams and the crate's seeded randomness (weight
/// initialisation, shuffles, synthetic tensors): `rand_xoshiro`'s SplitMix64, the same
/// stream as the hand-written generator it replaced (a test compares 1000 outputs), so every
/// published figure keeps its value. Seed it with [`SeedableRng::seed_from_u64`] and draw
/// with [`Rng::next_u64`] (both re-exported as [`crate::rand_core`]).
///
/// ```
/// use arithsim::cost::SplitMix64;
/// use arithsim::rand_core::{Rng, SeedableRng};
/// let mut rng = SplitMix64::seed_from_u64(0);
/// assert_eq!(rng.next_u64(), 0xe220_a839_7b1d_cdaf);
/// ```
///
/// [`SeedableRng::seed_from_u64`]: rand_core::SeedableRng::seed_from_u64
/// [`Rng::next_u64`]: rand_core::Rng::next_u64
pub use rand_xoshiro::SplitMix64;

/// Operands per parallel segment of a long stream: with the time step before it (which every
/// segment after the first simulates again, to count the transition into it) it fills one
/// batch of a 64-word simulator exactly. Segments of 16,384 took five batches (the fifth for
/// that one step) for four batches of work, and made only eight tasks of 2^17 operands.
const SEGMENT: usize = 64 * 64 - 64;

/// Gate-derived cost of `net` on the caller's operand stream: one slice per input port (by
/// name), all the same length, operand `v` following operand `v - 64` in time (the
/// simulator's lane layout: 64 independent streams).
///
/// Streams of at least two segments of 4,032 operands are simulated in segments on rayon's
/// pool; each segment after the first starts one time step (64 operands) early, so the
/// transition into it is counted exactly once, and toggle counts are integer sums: the
/// figures are those of one simulation of the whole stream, whatever the thread count.
///
/// # Errors
///
/// [`Error::InvalidParameter`] when the stream is too short to see a transition (fewer
/// than 128 operands); otherwise as [`Simulator::run`] (unknown or missing ports, mismatched
/// lengths, operands wider than their port).
pub fn gate_cost_with<T: Operand + Sync>(
    net: &Netlist,
    lib: &CellLibrary,
    inputs: &[(&str, &[T])],
) -> Result<GateCost> {
    let n = inputs.first().map_or(0, |i| i.1.len());
    if n < 128 {
        return Err(Error::param(
            "operand stream length",
            n,
            "need at least 128 operands (two per lane) to observe transitions",
        ));
    }
    // Unequal lengths take the one-piece path, whose `run` reports them.
    let equal = inputs.iter().all(|(_, v)| v.len() == n);
    let mut part: Vec<(&str, &[T])> = Vec::with_capacity(inputs.len());
    let (act, netc) = rayon::join(
        || {
            stream_activity(net, n, equal, move |sim, lo, hi, out| {
                part.clear();
                part.extend(inputs.iter().map(|(p, v)| (*p, &v[lo..hi])));
                sim.run(&part, out)
            })
        },
        || NetlistCost::of(net, lib),
    );
    price(net, lib, &netc, &act?)
}

/// The switching activity of operands `0..n` of a stream, which `feed(sim, lo, hi, out)`
/// runs through `sim` (operands `lo..hi`, in one or more [`Simulator::run`] calls of
/// multiples of 64 operands but the last). Streams of at least two [`SEGMENT`]s (when
/// `segmented`) are simulated in segments on rayon's pool, each segment after the first
/// starting one time step (64 operands) early so the transition into it is counted exactly
/// once; toggle counts are integer sums, so the activity is that of one simulation of the
/// whole stream, whatever the thread count. Each rayon job reuses one simulator (and one
/// `feed` state) for its segments: a fresh simulator per segment costs page faults.
fn stream_activity<F>(net: &Netlist, n: usize, segmented: bool, feed: F) -> Result<Activity>
where
    F: FnMut(&mut Simulator<'_>, usize, usize, &mut BatchOutput) -> Result<()>
        + Clone
        + Send
        + Sync,
{
    if n < 128 {
        return Err(Error::param(
            "operand stream length",
            n,
            "need at least 128 operands (two per lane) to observe transitions",
        ));
    }
    let one = |(sim, feed, out): &mut (Simulator<'_>, F, BatchOutput), lo: usize, hi: usize| {
        sim.reset();
        sim.set_activity(true);
        feed(sim, lo, hi, out)?;
        sim.activity()
            .cloned()
            .ok_or_else(|| Error::Unsupported("simulator activity was not recorded".into()))
    };
    // Each parallel split builds its own simulator. Building one first and cloning it into
    // every split put 876 KB of zeroing and fresh pages on one thread before the segments
    // (16×16 Dadda, 2^17 operands on one thread: 6.8 ms per call before, 5.5 ms after).
    let words = n.div_ceil(64).min(64);
    let state =
        || Simulator::new(net, words).map(|sim| (sim, feed.clone(), BatchOutput::default()));
    if n < 2 * SEGMENT || !segmented {
        return one(&mut state()?, 0, n);
    }
    use rayon::prelude::*;
    let parts = (0..n.div_ceil(SEGMENT))
        .into_par_iter()
        .map_init(state, |state, s| match state {
            Ok(state) => one(
                state,
                (s * SEGMENT).saturating_sub(64),
                ((s + 1) * SEGMENT).min(n),
            ),
            Err(e) => Err(Error::Unsupported(format!("a segment's simulator: {e}"))),
        })
        .collect::<Result<Vec<_>>>()?;
    let mut total = Activity {
        toggles: vec![0; net.wire_count()],
        transitions: 0,
    };
    for p in parts {
        for (t, x) in total.toggles.iter_mut().zip(&p.toggles) {
            *t += x;
        }
        total.transitions += p.transitions;
    }
    Ok(total)
}

/// Gate-derived cost of `net` from switching activity the caller recorded (for sequential
/// circuits stepped clock by clock, such as a MAC with its accumulator register).
///
/// # Errors
///
/// [`Error::Shape`] when the activity has one count per wire of another netlist;
/// [`Error::InvalidParameter`] when it observed no transition.
pub fn gate_cost_from_activity(
    net: &Netlist,
    lib: &CellLibrary,
    act: &Activity,
) -> Result<GateCost> {
    price(net, lib, &NetlistCost::of(net, lib), act)
}

/// What a gate cost takes from the netlist alone, whatever the activity: computed alongside
/// the simulation of a stream (`rayon::join`), not after it.
struct NetlistCost {
    loads_ff: Vec<f64>,
    instances: Vec<Instance>,
    area_um2: f64,
    delay_ns: f64,
}

impl NetlistCost {
    fn of(net: &Netlist, lib: &CellLibrary) -> Self {
        NetlistCost {
            loads_ff: net.wire_loads_ff(lib),
            instances: net.instances(),
            area_um2: net.area_um2(lib),
            delay_ns: net.timing(lib).delay_ns,
        }
    }
}

/// Prices `act` (validated against `net`) with `lib` and the netlist's own figures.
fn price(net: &Netlist, lib: &CellLibrary, netc: &NetlistCost, act: &Activity) -> Result<GateCost> {
    if act.toggles.len() != net.wire_count() {
        return Err(Error::Shape(format!(
            "activity has {} wire counts but the netlist has {} wires",
            act.toggles.len(),
            net.wire_count()
        )));
    }
    if act.transitions == 0 {
        return Err(Error::param(
            "activity",
            "0 transitions",
            "nothing was observed",
        ));
    }
    let transitions = act.transitions;
    let internal_fj: f64 = netc
        .instances
        .iter()
        .zip(act.instance_toggles(&netc.instances))
        .map(|(x, t)| lib.cell(x.cell).internal_energy_fj * t as f64)
        .sum();
    let switching_fj: f64 = act
        .toggles
        .iter()
        .zip(&netc.loads_ff)
        .map(|(&t, &c)| t as f64 * lib.switching_energy_fj(c))
        .sum();
    let per_op = |fj: f64| fj / transitions as f64 / 1000.0;
    Ok(GateCost {
        area_um2: netc.area_um2,
        instances: netc.instances.len(),
        internal_pj: per_op(internal_fj),
        switching_pj: per_op(switching_fj),
        delay_ns: netc.delay_ns,
        toggles_per_op: act.total() as f64 / transitions as f64,
        transitions: act.transitions,
        voltage_v: lib.voltage_v(),
    })
}

/// Gate-derived cost of a clocked (sequential) netlist, such as a MAC with its accumulator
/// register: `inputs` gives, per input port (by name), clock `t`'s operands at `[t]`, one per
/// machine (up to 64 machines, one per lane, each an independent copy of the circuit from its
/// reset state); ports not named are held at 0. Toggles compare each clock with the previous
/// one ([`Simulator::step`]), so energy per operation is per machine per clock.
///
/// # Errors
///
/// [`Error::InvalidParameter`] for fewer than 2 clocks or ports with different clock counts;
/// [`Error::Shape`] for more than 64 operands in a clock; as [`Simulator::step_with`]
/// otherwise (unknown ports, operands wider than their port, machines that differ in number).
pub fn gate_cost_clocked(
    net: &Netlist,
    lib: &CellLibrary,
    inputs: &[(&str, &[Vec<u64>])],
) -> Result<GateCost> {
    let clocks = inputs.first().map_or(0, |i| i.1.len());
    if clocks < 2 {
        return Err(Error::param(
            "clocks",
            clocks,
            "need at least 2 clocks to observe transitions",
        ));
    }
    if let Some((name, v)) = inputs.iter().find(|(_, v)| v.len() != clocks) {
        return Err(Error::param(
            "clocks",
            v.len(),
            format!(
                "port {name:?} has {} clocks but the first port has {clocks}",
                v.len()
            ),
        ));
    }
    for (name, _) in inputs {
        net.input(name)?;
    }
    let machines = inputs.first().map_or(0, |i| i.1[0].len());
    if machines == 0 {
        return Err(Error::param(
            "machines",
            0,
            "need at least one operand per clock",
        ));
    }
    let zeros = vec![0u64; machines];
    // One run of every clock; `idle` holds every port at 0.
    let run = |idle: bool| -> Result<Activity> {
        let mut sim = Simulator::new(net, 1)?;
        sim.set_activity(true);
        let mut out = crate::gates::BatchOutput::default();
        for t in 0..clocks {
            let step: Vec<(&str, &[u64])> = net
                .inputs()
                .iter()
                .map(|p| {
                    let v = inputs
                        .iter()
                        .find(|(n, _)| !idle && *n == p.name())
                        .map_or(zeros.as_slice(), |(_, v)| v[t].as_slice());
                    (p.name(), v)
                })
                .collect();
            sim.step_with(&step, &mut out)?;
            out.clear();
        }
        sim.activity()
            .cloned()
            .ok_or_else(|| Error::Unsupported("simulator activity was not recorded".into()))
    };
    let act = run(false)?;
    let act = if machines < 64 {
        active_lanes(&act, &run(true)?, machines)
    } else {
        act
    };
    gate_cost_from_activity(net, lib, &act)
}

/// The activity of the first `machines` of the 64 lanes of a clocked run. The other lanes ran
/// the same circuit from the same reset state on all-zero operands, exactly as every lane of
/// `idle` (a run with all operands 0) did, so each wire's idle-lane toggles are `(64 −
/// machines) / 64` of its toggles in `idle`; they are subtracted, and only the machines'
/// transitions are counted. Without this a clocked cost on one stream would be divided by
/// 64 streams' transitions.
pub(crate) fn active_lanes(act: &Activity, idle: &Activity, machines: usize) -> Activity {
    let idle_lanes = 64 - machines.min(64) as u64;
    Activity {
        toggles: act
            .toggles
            .iter()
            .zip(&idle.toggles)
            .map(|(&t, &z)| t.saturating_sub(z / 64 * idle_lanes))
            .collect(),
        transitions: act.transitions / 64 * machines.min(64) as u64,
    }
}

/// Gate-derived cost of `net` on `ops` uniformly random operands per input port (every bit
/// of every port independent and equiprobable; ports up to 128 bits), from `seed`.
///
/// The operands run as 64 streams of `ops / 64` (operand `v` follows `v − 64` in time, as in
/// [`gate_cost_with`]), so `ops − 64` transitions are priced: each stream's first operand has
/// no predecessor (1024 operands → 960 transitions).
///
/// # Errors
///
/// As [`gate_cost_with`].
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::ripple_carry_adder;
/// use arithsim::cost::gate_cost_random;
/// use arithsim::gates::CellLibrary;
///
/// let lib = CellLibrary::nangate45();
/// let c = gate_cost_random(&ripple_carry_adder(8)?, &lib, 4096, 1)?;
/// assert_eq!(c.instances, 8); // eight full adders
/// assert!((c.area_um2 - 8.0 * 4.256).abs() < 1e-9);
/// assert!(c.energy_pj() > 0.0 && c.energy_pj_at(0.9) < c.energy_pj());
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn gate_cost_random(
    net: &Netlist,
    lib: &CellLibrary,
    ops: usize,
    seed: u64,
) -> Result<GateCost> {
    let ports: Vec<(&str, u128)> = net
        .inputs()
        .iter()
        .map(|p| (p.name(), width_mask(p.width())))
        .collect();
    let mut blocks: Vec<Vec<u128>> = vec![Vec::new(); ports.len()];
    // Each segment draws its own operands (a jump into the one stream), a block of one
    // simulator batch at a time: no sequential pass over the whole stream, no stream held.
    let feed = move |sim: &mut Simulator<'_>, lo: usize, hi: usize, out: &mut BatchOutput| {
        for start in (lo..hi).step_by(RANDOM_BLOCK) {
            let end = (start + RANDOM_BLOCK).min(hi);
            for (p, (block, &(_, mask))) in blocks.iter_mut().zip(&ports).enumerate() {
                random_operands(seed, ops, p, mask, start..end, block);
            }
            let inputs: Vec<(&str, &[u128])> = ports
                .iter()
                .zip(&blocks)
                .map(|(&(name, _), b)| (name, b.as_slice()))
                .collect();
            sim.run(&inputs, out)?;
        }
        Ok(())
    };
    let (act, netc) = rayon::join(
        || stream_activity(net, ops, true, feed),
        || NetlistCost::of(net, lib),
    );
    price(net, lib, &netc, &act?)
}

/// Operands per block that [`gate_cost_random`] draws and simulates at a time: one batch of
/// a 64-word simulator.
const RANDOM_BLOCK: usize = 64 * 64;

/// SplitMix64's state increment (its "golden gamma"): after `k` draws from
/// `seed_from_u64(s)` the state is `s + k·γ` (mod 2^64), so any position of the stream can be
/// reached in one step (tested against drawing through).
const SPLITMIX64_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// All ones in the low `width` bits (every bit for 128 and more).
fn width_mask(width: usize) -> u128 {
    if width >= 128 {
        u128::MAX
    } else {
        (1u128 << width) - 1
    }
}

/// Operands `range` of port `port` of the random streams of [`random_port_streams`] (`ops`
/// values per port from one SplitMix64 stream seeded with `seed`, ports in order, two draws
/// per value: value `v` of port `p` starts at draw `2·(p·ops + v)`), into `out`.
fn random_operands(
    seed: u64,
    ops: usize,
    port: usize,
    mask: u128,
    range: std::ops::Range<usize>,
    out: &mut Vec<u128>,
) {
    let draw = (port as u64)
        .wrapping_mul(ops as u64)
        .wrapping_add(range.start as u64)
        .wrapping_mul(2);
    let mut rng = SplitMix64::seed_from_u64(seed.wrapping_add(draw.wrapping_mul(SPLITMIX64_GAMMA)));
    out.clear();
    out.extend(
        range.map(|_| ((u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64())) & mask),
    );
}

/// `ops` uniformly random values for every input port of `net`, masked to the port's width,
/// from one SplitMix64 stream seeded with `seed` (ports in order, two draws per value): the
/// operand streams of [`gate_cost_random`] and the glitch-aware
/// [`glitch_cost_random`](super::glitch_cost_random), so both price the same operands.
pub(crate) fn random_port_streams(
    net: &Netlist,
    ops: usize,
    seed: u64,
) -> Vec<(String, Vec<u128>)> {
    net.inputs()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut v = Vec::with_capacity(ops);
            random_operands(seed, ops, i, width_mask(p.width()), 0..ops, &mut v);
            (p.name().to_string(), v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gates::Builder;

    /// The hand-written SplitMix64 the crate used before `rand_xoshiro` (Vigna's reference),
    /// kept here as the oracle: the published figures and the committed checkpoints were
    /// made with its stream.
    struct OldSplitMix64(u64);

    impl OldSplitMix64 {
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
    }

    #[test]
    fn rand_xoshiro_splitmix64_is_the_old_stream() {
        for seed in [0, 1, 4, 42, 2014, 0x5eed_1234_abcd_9876, u64::MAX] {
            let (mut old, mut new) = (OldSplitMix64(seed), SplitMix64::seed_from_u64(seed));
            for i in 0..1000 {
                assert_eq!(old.next_u64(), new.next_u64(), "seed {seed}, output {i}");
            }
        }
    }

    /// `m = !x` drives a NAND2 and an XOR2 whose other input `z` is held at 1, so every
    /// toggle of `x` toggles `m`, `!(m & z)` and `m ^ z`: checked against a hand count.
    #[test]
    fn energy_matches_a_hand_count() {
        use crate::gates::LibCell;
        let mut b = Builder::new();
        let x = b.input("x", 1).unwrap();
        let z = b.input("z", 1).unwrap();
        let m = b.not(x[0]);
        let y1 = b.nand(m, z[0]);
        let y2 = b.xor(m, z[0]);
        b.output("y", &[y1, y2]).unwrap();
        let net = b.finish().unwrap();
        let lib = CellLibrary::nangate45();
        // x is 0, 1, 0 in every lane over three words: 2 transitions per lane.
        let xs: Vec<u64> = [0u64, 1, 0].iter().flat_map(|&v| vec![v; 64]).collect();
        let zs = vec![1u64; 192];
        let c = gate_cost_with(&net, &lib, &[("x", xs.as_slice()), ("z", zs.as_slice())]).unwrap();
        assert_eq!(c.transitions, 128);
        let (inv, nand, xor) = (
            lib.cell(LibCell::Inv),
            lib.cell(LibCell::Nand2),
            lib.cell(LibCell::Xor2),
        );
        let v = lib.voltage_v();
        // Per transition: x (load: INV pin) and m (load: NAND2 + XOR2 pins) switch; the
        // outputs toggle into no load; z never toggles.
        let sw =
            0.5 * (inv.input_cap_ff_mean + nand.input_cap_ff_mean + xor.input_cap_ff_mean) * v * v;
        let int = inv.internal_energy_fj + nand.internal_energy_fj + xor.internal_energy_fj;
        assert!((c.switching_pj - sw / 1000.0).abs() < 1e-12, "{c:?}");
        assert!((c.internal_pj - int / 1000.0).abs() < 1e-12, "{c:?}");
        assert!((c.toggles_per_op - 4.0).abs() < 1e-12);
        assert!((c.energy_pj_at(0.9) - c.energy_pj() * (0.9f64 / 1.1).powi(2)).abs() < 1e-15);
        assert!((c.area_um2 - (inv.area_um2 + nand.area_um2 + xor.area_um2)).abs() < 1e-12);
        assert!((c.delay_ns - (inv.delay_ns + nand.delay_ns.max(xor.delay_ns))).abs() < 1e-12);
        assert_eq!(c.instances, 3);
    }

    /// A long stream is simulated in segments (in parallel): the figures must be those of
    /// one simulator run over the whole stream, for any thread count.
    #[test]
    fn segmented_streams_equal_one_simulation() {
        let net = crate::circuits::adders::kogge_stone_adder(16).unwrap();
        let lib = CellLibrary::nangate45();
        let n = 3 * SEGMENT + 100;
        let mut rng = SplitMix64::seed_from_u64(9);
        let a: Vec<u64> = (0..n).map(|_| rng.next_u64() & 0xffff).collect();
        let b: Vec<u64> = (0..n).map(|_| rng.next_u64() & 0xffff).collect();
        let c: Vec<u64> = (0..n).map(|_| rng.next_u64() & 1).collect();
        let inputs = [("a", &a[..]), ("b", &b[..]), ("cin", &c[..])];
        let mut sim = Simulator::new(&net, 64).unwrap();
        sim.set_activity(true);
        sim.run(&inputs, &mut crate::gates::BatchOutput::default())
            .unwrap();
        let whole = gate_cost_from_activity(&net, &lib, sim.activity().unwrap()).unwrap();
        assert_eq!(whole.transitions, (n as u64 - 64));
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let seg = pool
                .install(|| gate_cost_with(&net, &lib, &inputs))
                .unwrap();
            assert_eq!(seg, whole, "{threads} threads");
        }
    }

    /// The segments of [`gate_cost_random`] jump into the stream: the jumped operands must
    /// be those drawn one after another (the old `random_port_streams`), ports in order.
    #[test]
    fn jumped_operands_are_the_drawn_stream() {
        let mut b = Builder::new();
        let x = b.input("x", 128).unwrap();
        let y = b.input("y", 5).unwrap();
        let z = b.xor(x[0], y[0]);
        b.output("z", &[z]).unwrap();
        let net = b.finish().unwrap();
        let ops = 1000;
        let mut rng = SplitMix64::seed_from_u64(77);
        let mut draw =
            |mask: u128| ((u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64())) & mask;
        let x_drawn: Vec<u128> = (0..ops).map(|_| draw(u128::MAX)).collect();
        let y_drawn: Vec<u128> = (0..ops).map(|_| draw(31)).collect();
        let streams = random_port_streams(&net, ops, 77);
        assert_eq!(streams[0], ("x".to_string(), x_drawn.clone()));
        assert_eq!(streams[1], ("y".to_string(), y_drawn.clone()));
        let mut part = Vec::new();
        random_operands(77, ops, 1, 31, 613..700, &mut part);
        assert_eq!(part, y_drawn[613..700]);
    }

    /// `gate_cost_random` draws its operands inside the parallel segments: the figures must
    /// be those of `gate_cost_with` on the whole stream, for any thread count, segmented or
    /// not.
    #[test]
    fn random_streams_drawn_per_segment_equal_the_whole_stream() {
        let net = crate::circuits::adders::kogge_stone_adder(16).unwrap();
        let lib = CellLibrary::nangate45();
        for ops in [SEGMENT + 64, 3 * SEGMENT + 100] {
            let streams = random_port_streams(&net, ops, 4);
            let inputs: Vec<(&str, &[u128])> = streams
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_slice()))
                .collect();
            let whole = with_threads_of(1, || gate_cost_with(&net, &lib, &inputs)).unwrap();
            assert_eq!(whole.transitions, ops as u64 - 64);
            for threads in [1, 2, 3] {
                let c = with_threads_of(threads, || gate_cost_random(&net, &lib, ops, 4)).unwrap();
                assert_eq!(c, whole, "{ops} operands, {threads} threads");
            }
        }
    }

    fn with_threads_of<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(f)
    }

    #[test]
    fn short_streams_are_refused() {
        let mut b = Builder::new();
        let x = b.input("x", 1).unwrap();
        let y = b.not(x[0]);
        b.output("y", &[y]).unwrap();
        let net = b.finish().unwrap();
        let lib = CellLibrary::nangate45();
        let e = gate_cost_with(&net, &lib, &[("x", &[0u64; 100][..])]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid operand stream length 100: need at least 128 operands (two per lane) to \
             observe transitions"
        );
        let none = Activity {
            toggles: vec![0; net.wire_count()],
            transitions: 0,
        };
        let e = gate_cost_from_activity(&net, &lib, &none).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid activity 0 transitions: nothing was observed"
        );
        let wrong = Activity {
            toggles: vec![0; 1],
            transitions: 5,
        };
        let e = gate_cost_from_activity(&net, &lib, &wrong).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "shape error: activity has 1 wire counts but the netlist has {} wires",
                net.wire_count()
            )
        );
    }
}

//! Circuit sweeps: any generator's netlists, evaluated in parallel into gates, depth, area,
//! delay and zero-delay energy (or any [`Metric`] given).

use std::sync::Arc;

use rayon::prelude::*;

use super::Metric;
use super::table::{SweepRow, SweepTable};
use crate::circuits::adders::{AdderKind, adder};
use crate::circuits::multipliers::{MultiplierSpec, PartialProducts, Reduction, Signedness};
use crate::cost::{GateCost, gate_cost_random, glitch_cost_random};
use crate::gates::{CellLibrary, DEFAULT_RESOLUTION_NS, Netlist, Stats, TimedDelays};
use crate::{Error, Result};

type Build = Arc<dyn Fn() -> Result<Netlist> + Send + Sync>;

/// One point of a circuit space: its parameters and how to build it.
#[derive(Clone)]
pub struct CircuitPoint {
    /// A short name.
    pub label: String,
    /// Parameter names and values (the same names, in the same order, for every point of a
    /// sweep).
    pub params: Vec<(String, String)>,
    build: Build,
}

impl std::fmt::Debug for CircuitPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CircuitPoint({:?})", self.label)
    }
}

impl CircuitPoint {
    /// A point built by `build` (any generator: an FP unit with its configuration, a MAC,
    /// an adder, ...).
    pub fn new(
        label: impl Into<String>,
        params: Vec<(String, String)>,
        build: impl Fn() -> Result<Netlist> + Send + Sync + 'static,
    ) -> Self {
        CircuitPoint {
            label: label.into(),
            params,
            build: Arc::new(build),
        }
    }

    /// Builds the netlist.
    ///
    /// # Errors
    ///
    /// The generator's.
    pub fn build(&self) -> Result<Netlist> {
        (self.build)()
    }
}

/// A built and simulated configuration, what circuit metrics read.
#[derive(Clone, Debug)]
pub struct CircuitEval {
    /// The netlist.
    pub net: Netlist,
    /// Its structure (gates, depth, cells).
    pub stats: Stats,
    /// Area, critical-path delay and zero-delay energy per operation under the sweep's cell
    /// library, from uniformly random operands (fixed seed).
    pub cost: GateCost,
}

/// The default circuit metrics: gates, depth, area (µm²), delay (ns), zero-delay energy
/// (pJ/op, library voltage) and energy × delay (pJ·ns).
#[must_use]
pub fn circuit_metrics() -> Vec<Metric<CircuitEval>> {
    vec![
        Metric::new("gates", |c: &CircuitEval| Ok(c.stats.gates as f64)),
        Metric::new("depth", |c: &CircuitEval| Ok(f64::from(c.stats.depth))),
        Metric::new("area (µm²)", |c: &CircuitEval| Ok(c.cost.area_um2)),
        Metric::new("delay (ns)", |c: &CircuitEval| Ok(c.cost.delay_ns)),
        Metric::new("energy (pJ/op)", |c: &CircuitEval| Ok(c.cost.energy_pj())),
        Metric::new("energy-delay (pJ*ns)", |c: &CircuitEval| {
            Ok(c.cost.energy_pj() * c.cost.delay_ns)
        }),
    ]
}

/// A glitch-aware energy column (pJ/op at the library's voltage): each point's netlist run
/// through the timed simulator ([`glitch_cost_random`]) with `lib`'s cell delays in the
/// default 10 ps units, on `ops` random operands (seed `seed`). It costs about ten
/// zero-delay simulations per point, so it is not in [`circuit_metrics`]: push it when the
/// sweep should rank by energy with glitches (transport delays: an upper estimate, as the
/// zero-delay figure is a lower bound).
///
/// # Errors
///
/// [`TimedDelays::from_library`]'s error for a library without delays.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::AdderKind;
/// use arithsim::gates::CellLibrary;
/// use arithsim::sweep::{adder_space, circuit_metrics, glitch_energy_metric, sweep_circuits};
///
/// let lib = CellLibrary::nangate45();
/// let mut metrics = circuit_metrics();
/// metrics.push(glitch_energy_metric(&lib, 256, 1)?);
/// let points = adder_space(&[8], &[AdderKind::RippleCarry, AdderKind::KoggeStone]);
/// let t = sweep_circuits("8-bit adders", &points, &lib, 256, 1, &metrics)?;
/// let zero = t.metric("energy (pJ/op)")?;
/// let timed = t.metric("glitch-aware energy (pJ/op)")?;
/// assert!(timed.iter().zip(&zero).all(|(t, z)| t >= z)); // glitches only add transitions
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn glitch_energy_metric(
    lib: &CellLibrary,
    ops: usize,
    seed: u64,
) -> Result<Metric<CircuitEval>> {
    let delays = TimedDelays::from_library(lib, DEFAULT_RESOLUTION_NS)?;
    let lib = lib.clone();
    Ok(Metric::new(
        "glitch-aware energy (pJ/op)",
        move |c: &CircuitEval| {
            Ok(glitch_cost_random(&c.net, &lib, &delays, ops, seed)?
                .timed
                .energy_pj())
        },
    ))
}

/// Every valid multiplier of `n × n` bits over the given signedness, partial-product
/// generators, reductions and final adders (AND arrays are unsigned only, Baugh-Wooley signed
/// only: the other pairs are skipped).
#[must_use]
pub fn multiplier_space(
    widths: &[u32],
    signedness: &[Signedness],
    partial_products: &[PartialProducts],
    reductions: &[Reduction],
    adders: &[AdderKind],
) -> Vec<CircuitPoint> {
    let mut points = Vec::new();
    for &n in widths {
        for &s in signedness {
            for &pp in partial_products {
                let ok = match pp {
                    PartialProducts::AndArray => s == Signedness::Unsigned,
                    PartialProducts::BaughWooley => s == Signedness::Signed,
                    PartialProducts::Booth4 => true,
                };
                if !ok {
                    continue;
                }
                for &r in reductions {
                    for &a in adders {
                        let spec = MultiplierSpec::new(n, n, s, r, a).with_partial_products(pp);
                        let sign = s.name();
                        points.push(CircuitPoint::new(
                            format!("{n}x{n} {sign} {}/{}/{}", pp.name(), r.name(), a),
                            vec![
                                ("width".into(), format!("{n}x{n}")),
                                ("signedness".into(), sign.into()),
                                ("partial products".into(), pp.name().into()),
                                ("reduction".into(), r.name().into()),
                                ("final adder".into(), a.to_string()),
                            ],
                            move || spec.build(),
                        ));
                    }
                }
            }
        }
    }
    points
}

/// Every adder of the given widths and kinds.
#[must_use]
pub fn adder_space(widths: &[u32], kinds: &[AdderKind]) -> Vec<CircuitPoint> {
    widths
        .iter()
        .flat_map(|&n| {
            kinds.iter().map(move |&k| {
                CircuitPoint::new(
                    format!("{n}-bit {}", k),
                    vec![
                        ("width".into(), n.to_string()),
                        ("adder".into(), k.to_string()),
                    ],
                    move || adder(k, n),
                )
            })
        })
        .collect()
}

/// Builds every point, prices it under `lib` with `ops` random operand transitions (seed
/// `seed`) and computes `metrics`, in parallel on rayon's current pool (all cores unless
/// [`with_threads`](super::with_threads) or `RAYON_NUM_THREADS` says otherwise). Rows come
/// in the points' order and do not depend on the number of threads.
///
/// # Errors
///
/// [`Error::InvalidParameter`] for no points or points whose parameter names differ; a
/// generator's, [`gate_cost_random`]'s or a metric's error.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::AdderKind;
/// use arithsim::gates::CellLibrary;
/// use arithsim::sweep::{Objective, adder_space, circuit_metrics, sweep_circuits};
///
/// let points = adder_space(&[16], &[AdderKind::RippleCarry, AdderKind::KoggeStone]);
/// let lib = CellLibrary::nangate45();
/// let t = sweep_circuits("16-bit adders", &points, &lib, 1024, 1, &circuit_metrics())?;
/// let area = t.metric("area (µm²)")?;
/// assert!(area[0] < area[1]); // ripple-carry is the smaller
/// let front = t.front(&[Objective::min("area (µm²)"), Objective::min("delay (ns)")])?;
/// assert_eq!(front, [0, 1]); // and Kogge-Stone the faster: both on the front
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn sweep_circuits(
    title: &str,
    points: &[CircuitPoint],
    lib: &CellLibrary,
    ops: usize,
    seed: u64,
    metrics: &[Metric<CircuitEval>],
) -> Result<SweepTable> {
    let config_columns = check_params(points)?;
    let rows = points
        .par_iter()
        .map(|p| {
            let net = p.build()?;
            let cost = gate_cost_random(&net, lib, ops, seed)?;
            let eval = CircuitEval {
                stats: net.stats(),
                net,
                cost,
            };
            Ok(SweepRow {
                label: p.label.clone(),
                config: p.params.iter().map(|(_, v)| v.clone()).collect(),
                metrics: metrics
                    .iter()
                    .map(|m| m.eval(&eval))
                    .collect::<Result<_>>()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(SweepTable {
        title: title.to_string(),
        config_columns,
        metric_columns: metrics.iter().map(|m| m.name().to_string()).collect(),
        rows,
    })
}

fn check_params(points: &[CircuitPoint]) -> Result<Vec<String>> {
    let first = points
        .first()
        .ok_or_else(|| Error::param("points", 0, "a sweep needs at least one point"))?;
    let names: Vec<String> = first.params.iter().map(|(n, _)| n.clone()).collect();
    if let Some(p) = points
        .iter()
        .find(|p| p.params.iter().map(|(n, _)| n).ne(names.iter()))
    {
        return Err(Error::param(
            "point parameters",
            &p.label,
            format!("every point of a sweep needs the parameters {names:?}"),
        ));
    }
    Ok(names)
}

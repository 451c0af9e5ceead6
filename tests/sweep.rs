//! The sweep API: parallel results identical to one thread, fronts checked against a
//! dominance test written independently, metrics against the generators and the mapper
//! called directly.

use arithsim::accel::{MacArithmetic, Network, fsd_npu, map_network};
use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::multipliers::{MultiplierSpec, PartialProducts, Reduction, Signedness};
use arithsim::cost::CostTable;
use arithsim::cost::report::Format;
use arithsim::gates::CellLibrary;
use arithsim::sweep::{
    AccelSpace, CircuitEval, CircuitPoint, DATAFLOWS, Metric, Objective, SweepTable, accel_metrics,
    adder_space, circuit_metrics, multiplier_space, sweep_accel, sweep_circuits, with_threads,
};

fn multipliers() -> SweepTable {
    let points = multiplier_space(
        &[6],
        &[Signedness::Unsigned, Signedness::Signed],
        &PartialProducts::ALL,
        &Reduction::ALL,
        &[
            AdderKind::RippleCarry,
            AdderKind::KoggeStone,
            AdderKind::BrentKung,
        ],
    );
    sweep_circuits(
        "6x6",
        &points,
        &CellLibrary::nangate45(),
        512,
        7,
        &circuit_metrics(),
    )
    .unwrap()
}

fn accel_space() -> Vec<arithsim::accel::MacArray> {
    AccelSpace {
        base: fsd_npu(),
        shapes: vec![(32, 32), (64, 128), (256, 64)],
        dataflows: DATAFLOWS.to_vec(),
        arithmetics: vec![MacArithmetic::INT8_INT32, MacArithmetic::FP16_FP32],
    }
    .points()
    .unwrap()
}

#[test]
fn parallel_sweeps_equal_the_one_thread_run_bit_for_bit() {
    let one = with_threads(1, multipliers).unwrap();
    let two = with_threads(2, multipliers).unwrap();
    let four = with_threads(4, multipliers).unwrap();
    assert_eq!(one.rows.len(), 2 * 2 * 4 * 3);
    for t in [&two, &four] {
        assert_eq!(t.rows.len(), one.rows.len());
        for (a, b) in one.rows.iter().zip(&t.rows) {
            assert_eq!(a.label, b.label);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a.metrics), bits(&b.metrics), "{}", a.label);
        }
    }
    let net = Network::resnet50_v1_5(1).unwrap();
    let table = CostTable::horowitz_45nm();
    let run = || sweep_accel("r", &accel_space(), &net, &table, &accel_metrics()).unwrap();
    let (a, b) = (with_threads(1, run).unwrap(), with_threads(2, run).unwrap());
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}

#[test]
fn circuit_metrics_are_the_generators_own_figures() {
    let t = multipliers();
    let gates = t.metric("gates").unwrap();
    let depth = t.metric("depth").unwrap();
    let spec = MultiplierSpec::new(
        6,
        6,
        Signedness::Signed,
        Reduction::Wallace,
        AdderKind::KoggeStone,
    )
    .with_partial_products(PartialProducts::Booth4);
    let net = spec.build().unwrap();
    let i = t
        .rows
        .iter()
        .position(|r| r.label == "6x6 signed booth4/wallace/kogge-stone")
        .unwrap();
    assert_eq!(gates[i], net.stats().gates as f64);
    assert_eq!(depth[i], f64::from(net.stats().depth));
    let cost = arithsim::cost::gate_cost_random(&net, &CellLibrary::nangate45(), 512, 7).unwrap();
    assert_eq!(t.metric("area (µm²)").unwrap()[i], cost.area_um2);
    assert_eq!(t.metric("energy (pJ/op)").unwrap()[i], cost.energy_pj());
}

#[test]
fn the_front_is_exactly_the_non_dominated_rows() {
    let t = multipliers();
    let (a, d, e) = (
        t.metric("area (µm²)").unwrap(),
        t.metric("delay (ns)").unwrap(),
        t.metric("energy (pJ/op)").unwrap(),
    );
    let front = t
        .front(&[
            Objective::min("area (µm²)"),
            Objective::min("delay (ns)"),
            Objective::min("energy (pJ/op)"),
        ])
        .unwrap();
    for i in 0..t.rows.len() {
        let dominated = (0..t.rows.len()).any(|j| {
            let no_worse = a[j] <= a[i] && d[j] <= d[i] && e[j] <= e[i];
            let better = a[j] < a[i] || d[j] < d[i] || e[j] < e[i];
            no_worse && better
        });
        assert_eq!(front.contains(&i), !dominated, "{}", t.rows[i].label);
    }
    assert!(front.len() > 1 && front.len() < t.rows.len());
    // Maximizing the negation is minimizing.
    let mut neg = t.clone();
    for r in &mut neg.rows {
        r.metrics[2] = -r.metrics[2];
    }
    let front_max = neg
        .front(&[
            Objective::max("area (µm²)"),
            Objective::min("delay (ns)"),
            Objective::min("energy (pJ/op)"),
        ])
        .unwrap();
    assert_eq!(front, front_max);
}

#[test]
fn accelerator_rows_are_the_mapper_and_the_table_called_directly() {
    let arrays = accel_space();
    assert_eq!(arrays.len(), 3 * DATAFLOWS.len() * 2);
    let net = Network::resnet50_v1_5(1).unwrap();
    let table = CostTable::horowitz_45nm();
    let t = sweep_accel("r", &arrays, &net, &table, &accel_metrics()).unwrap();
    let cycles = t.metric("cycles").unwrap();
    let energy = t.metric("energy (mJ per inference)").unwrap();
    for (i, a) in arrays.iter().enumerate() {
        let m = map_network(a, &net).unwrap();
        assert_eq!(cycles[i], m.cycles() as f64, "{}", a.name);
        assert_eq!(energy[i], m.energy(&table).unwrap().total_pj().mid() * 1e-9);
        assert_eq!(t.rows[i].config[1], a.dataflow.to_string());
    }
    // The FSD NPU's own point, as the accelerator model gives it.
    let fsd = sweep_accel("fsd", &[fsd_npu()], &net, &table, &accel_metrics()).unwrap();
    assert!((fsd.metric("peak TOPS").unwrap()[0] - 36.864).abs() < 1e-9);
}

#[test]
fn extra_metrics_rendering_and_errors() {
    let points = adder_space(&[8], &[AdderKind::RippleCarry, AdderKind::Sklansky]);
    let mut metrics = circuit_metrics();
    // A new column is one more entry (where glitch-aware energy goes).
    metrics.push(Metric::new("cells", |c: &CircuitEval| {
        Ok(c.cost.instances as f64)
    }));
    let lib = CellLibrary::nangate45();
    let t = sweep_circuits("adders", &points, &lib, 256, 1, &metrics).unwrap();
    assert_eq!(t.metric("cells").unwrap()[0], 8.0); // eight full adders
    let front = t.front(&[Objective::min("gates")]).unwrap();
    assert_eq!(front, [0]);
    let s = t.section("adders", "Adders", vec![], &front, &[1], false);
    let csv = arithsim::sweep::render("t", std::slice::from_ref(&s), Format::Csv);
    assert!(csv.contains("front") && csv.contains("marked"), "{csv}");
    let json = arithsim::sweep::render("t", &[s], Format::Json);
    assert!(json.contains("sklansky"));
    let svg = arithsim::cost::report::render_scatter_svg(
        &t.scatter("a.svg", "area (µm²)", "delay (ns)", &front, &[1])
            .unwrap(),
    )
    .unwrap();
    assert!(svg.contains("8-bit sklansky"));
    // Errors, not panics.
    let e = t.front(&[Objective::min("speed")]).unwrap_err();
    assert!(e.to_string().contains("speed"), "{e}");
    assert!(t.front(&[]).is_err());
    assert!(sweep_circuits("x", &[], &lib, 256, 1, &metrics).is_err());
    let odd = vec![
        points[0].clone(),
        CircuitPoint::new("odd", vec![("size".into(), "8".into())], || {
            arithsim::circuits::adders::ripple_carry_adder(8)
        }),
    ];
    assert!(sweep_circuits("x", &odd, &lib, 256, 1, &metrics).is_err());
    assert!(
        sweep_accel(
            "x",
            &[],
            &Network::resnet50_v1_5(1).unwrap(),
            &CostTable::horowitz_45nm(),
            &accel_metrics()
        )
        .is_err()
    );
    let bad = AccelSpace {
        base: fsd_npu(),
        shapes: vec![(0, 8)],
        dataflows: DATAFLOWS.to_vec(),
        arithmetics: vec![MacArithmetic::INT8_INT32],
    };
    assert!(bad.points().is_err());
}

//! Liberty import and NLDM static timing (see docs/cost-model.md, "Timing and power from a
//! Liberty library"). Import of the NanGate 45 nm file is timed against reading the same
//! bytes (gunzip only); NLDM timing of a ~10k-gate netlist against the fixed-delay timing in
//! the same run.
//!
//! Run: `ARITHSIM_LIBERTY=../shared/data/nangate45_typ.lib.gz cargo bench --bench liberty --
//! --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::io::Read;

use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::multipliers::{Signedness, dadda_multiplier};
use arithsim::gates::liberty::Liberty;
use arithsim::gates::{CellLibrary, StaOptions};
use criterion::{Criterion, criterion_group, criterion_main};

fn lib_path() -> String {
    std::env::var("ARITHSIM_LIBERTY")
        .unwrap_or_else(|_| "../shared/data/nangate45_typ.lib.gz".into())
}

fn import(c: &mut Criterion) {
    let path = lib_path();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut g = c.benchmark_group("Liberty import, NanGate 45 nm");
    g.sample_size(10);
    g.bench_function("gunzip only (baseline)", |b| {
        b.iter(|| {
            let mut s = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut s)
                .unwrap();
            black_box(s.len())
        });
    });
    g.bench_function("Liberty::load + CellLibrary::from_liberty", |b| {
        b.iter(|| black_box(CellLibrary::load_liberty(&path).unwrap()));
    });
    g.finish();
    let _ = Liberty::load(&path).unwrap();
}

fn sta(c: &mut Criterion) {
    let lib = CellLibrary::load_liberty(lib_path()).unwrap();
    let net = dadda_multiplier(40, 40, Signedness::Unsigned, AdderKind::KoggeStone).unwrap();
    let n = net.instances().len();
    let mut g = c.benchmark_group(format!(
        "timing, 40x40 Dadda multiplier ({n} instances, {} gates)",
        net.gate_count()
    ));
    g.bench_function("fixed-delay Netlist::timing (baseline)", |b| {
        b.iter(|| black_box(net.timing(&lib).delay_ns));
    });
    g.bench_function("NLDM Netlist::sta", |b| {
        b.iter(|| black_box(net.sta(&lib, &StaOptions::default()).unwrap().delay_ns));
    });
    g.finish();
}

criterion_group!(benches, import, sta);
criterion_main!(benches);

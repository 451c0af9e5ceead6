//! Loading a user's cost table of 100,000 rows (target: well under a second), CSV and TOML.
//!
//! Baselines in the same group: the csv crate reading the same text into records, and the
//! toml crate parsing the same text into a `toml::Table` — the least any loader has to do —
//! so each figure is a ratio as well as a time. (Loading was quadratic before issue 22:
//! 20,000 rows took 10 s as CSV and 29 s as TOML.)
//!
//! `cargo bench --bench cost_tables -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use arithsim::cost::CostTable;
use criterion::{Criterion, criterion_group, criterion_main};

const ROWS: usize = 100_000;

/// `n` distinct rows as CSV and as TOML: integer MACs of every operand and accumulator width.
fn synthetic_tables(n: usize) -> (String, String) {
    let mut csv = String::from("operation,energy,energy_unit,node_nm,voltage_v,source\n");
    let mut toml = String::new();
    for i in 0..n {
        let op = format!("{}-bit int MAC, {}-bit acc", 1 + i % 4096, 1 + i / 4096);
        csv.push_str(&format!("\"{op}\",0.1..0.2,pJ,45,0.9,synthetic\n"));
        toml.push_str(&format!(
            "[[row]]\noperation = \"{op}\"\nenergy = [0.1, 0.2]\nenergy_unit = \"pJ\"\n\
             node_nm = 45\nvoltage_v = 0.9\nsource = \"synthetic\"\n"
        ));
    }
    (csv, toml)
}

fn load_100k(c: &mut Criterion) {
    let (csv, toml) = synthetic_tables(ROWS);
    assert_eq!(
        CostTable::from_csv_str(&csv, "big.csv")
            .expect("valid CSV")
            .rows()
            .len(),
        ROWS
    );
    let mut g = c.benchmark_group("cost_table_load_100k");
    g.sample_size(10);
    g.bench_function("baseline: csv crate records", |b| {
        b.iter(|| {
            let mut rdr = csv::ReaderBuilder::new()
                .trim(csv::Trim::All)
                .comment(Some(b'#'))
                .from_reader(black_box(&csv).as_bytes());
            rdr.records()
                .map(|r| r.expect("valid").len())
                .sum::<usize>()
        })
    });
    g.bench_function("CostTable::from_csv_str", |b| {
        b.iter(|| CostTable::from_csv_str(black_box(&csv), "big.csv").expect("valid"))
    });
    g.bench_function("baseline: toml::Table", |b| {
        b.iter(|| black_box(&toml).parse::<toml::Table>().expect("valid"))
    });
    g.bench_function("CostTable::from_toml_str", |b| {
        b.iter(|| CostTable::from_toml_str(black_box(&toml), "big.toml").expect("valid"))
    });
    g.finish();
}

criterion_group!(benches, load_100k);
criterion_main!(benches);

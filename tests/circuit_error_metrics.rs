//! Error metrics of circuits against reference functions, checked against figures computed
//! here independently with native arithmetic (exhaustive 8×8), plus sampling and errors.

use arithsim::Error;
use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::multipliers::{MultiplierSpec, Reduction, Signedness};
use arithsim::datapath::{ErrorMetrics, InputDomain};
use arithsim::gates::hdl::{VerilogOptions, read_verilog};
use arithsim::gates::{Builder, Netlist};

/// An `n × n` unsigned Dadda multiplier whose low `k` product bits are forced to 0.
fn truncated(n: u32, k: usize) -> Netlist {
    let spec = MultiplierSpec::new(
        n,
        n,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::RippleCarry,
    );
    let mut b = Builder::new();
    let x = b.input("a", n).unwrap();
    let y = b.input("b", n).unwrap();
    let p = arithsim::circuits::multipliers::build_multiplier(&mut b, &spec, &x, &y)
        .unwrap()
        .product;
    let z = b.zero();
    let bits: Vec<_> = p
        .iter()
        .enumerate()
        .map(|(i, &w)| if i < k { z } else { w })
        .collect();
    b.output("product", &bits).unwrap();
    b.finish().unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[test]
fn exhaustive_metrics_of_a_truncated_8x8_multiplier_match_native() {
    for k in [0usize, 1, 4, 7] {
        let net = truncated(8, k);
        let m = ErrorMetrics::of(
            &net,
            "product",
            Signedness::Unsigned,
            |v| (v[0] * v[1]) as i128,
            0,
            0,
        )
        .unwrap();
        // Independent figures: the error is the dropped low bits, (x·y) mod 2^k.
        let (mut sum, mut sq, mut worst, mut wrong, mut rel, mut nz, mut wrel) =
            (0f64, 0f64, 0u64, 0u64, 0f64, 0u64, 0f64);
        for x in 0u64..256 {
            for y in 0u64..256 {
                let p = x * y;
                let e = p & ((1 << k) - 1);
                sum += e as f64;
                sq += (e * e) as f64;
                worst = worst.max(e);
                wrong += u64::from(e != 0);
                if p != 0 {
                    rel += e as f64 / p as f64;
                    wrel = wrel.max(e as f64 / p as f64);
                    nz += 1;
                }
            }
        }
        assert!(m.exhaustive);
        assert_eq!(m.count, 65536);
        assert!(close(m.mean_abs, sum / 65536.0), "k={k} mae {}", m.mean_abs);
        assert_eq!(m.max_abs, worst as f64, "k={k}");
        assert!(close(m.error_probability, wrong as f64 / 65536.0), "k={k}");
        assert!(close(m.mse, sq / 65536.0), "k={k}");
        assert!(close(m.mean_rel, rel / nz as f64), "k={k}");
        assert!(close(m.max_rel, wrel), "k={k}");
        if k == 0 {
            assert_eq!(
                (m.mean_abs, m.error_probability, m.max_rel),
                (0.0, 0.0, 0.0)
            );
        }
    }
}

/// The metrics of an imported netlist are those of the original (the use case: a
/// published approximate multiplier read from Verilog).
#[test]
fn imported_netlist_has_the_same_metrics() {
    let net = truncated(8, 5);
    let back = read_verilog(&net.to_verilog(&VerilogOptions::new("t8")).unwrap()).unwrap();
    let f = |v: &[u128]| (v[0] * v[1]) as i128;
    assert_eq!(
        ErrorMetrics::of(&net, "product", Signedness::Unsigned, f, 0, 0).unwrap(),
        ErrorMetrics::of(&back, "product", Signedness::Unsigned, f, 0, 0).unwrap()
    );
}

#[test]
fn signed_outputs_and_sampling() {
    let spec = MultiplierSpec::new(
        4,
        4,
        Signedness::Signed,
        Reduction::Wallace,
        AdderKind::KoggeStone,
    );
    let net = spec.build().unwrap();
    let sext = |v: u128| ((v as i8) << 4 >> 4) as i128;
    let m = ErrorMetrics::of(
        &net,
        "product",
        Signedness::Signed,
        |v| sext(v[0]) * sext(v[1]),
        0,
        0,
    )
    .unwrap();
    assert_eq!((m.count, m.max_abs), (256, 0.0));
    // Read as unsigned, the negative products are off by 2^8.
    let u = ErrorMetrics::of(
        &net,
        "product",
        Signedness::Unsigned,
        |v| sext(v[0]) * sext(v[1]),
        0,
        0,
    )
    .unwrap();
    assert_eq!(u.max_abs, 256.0);

    // 16 × 16: 32 input bits, sampled. Low 6 bits dropped: uniform-ish error in 0..64.
    let wide = truncated(16, 6);
    let f = |v: &[u128]| (v[0] * v[1]) as i128;
    let s = ErrorMetrics::of(&wide, "product", Signedness::Unsigned, f, 20_000, 11).unwrap();
    assert!(!s.exhaustive);
    assert_eq!(s.count, 20_000);
    assert!(s.max_abs <= 63.0 && s.max_abs >= 60.0);
    // For uniform random operands the low 6 product bits are close to uniform: mean ≈ 31.5
    // minus the bias from even factors (a quarter of products are ≡ 0 mod 4, ...).
    assert!(s.mean_abs > 20.0 && s.mean_abs < 32.0, "{}", s.mean_abs);
    // The product is ≡ 0 mod 64 when the operands' trailing zeros add up to 6 or more:
    // probability 1 − Σ_{s<6} (s+1)/2^(s+2) = 1/16, so EP ≈ 15/16 (±0.002 at 20,000 samples).
    assert!(
        (s.error_probability - 0.9375).abs() < 0.008,
        "{}",
        s.error_probability
    );
    assert_eq!(
        s,
        ErrorMetrics::of(&wide, "product", Signedness::Unsigned, f, 20_000, 11).unwrap()
    );
    assert_ne!(
        s,
        ErrorMetrics::of(&wide, "product", Signedness::Unsigned, f, 20_000, 12).unwrap()
    );
}

#[test]
fn bad_arguments_are_errors() {
    let net = truncated(16, 0);
    let f = |v: &[u128]| (v[0] * v[1]) as i128;
    assert!(matches!(
        ErrorMetrics::of(&net, "sum", Signedness::Unsigned, f, 10, 0),
        Err(Error::UnknownPort { .. })
    ));
    assert!(matches!(
        ErrorMetrics::of(&net, "product", Signedness::Unsigned, f, 0, 0),
        Err(Error::InvalidParameter { .. })
    ));
    let mac =
        arithsim::circuits::mac::Mac::new(arithsim::circuits::mac::MacSpec::INT4_INT16).unwrap();
    assert!(ErrorMetrics::of(mac.netlist(), "acc", Signedness::Signed, f, 10, 0).is_err());
}

/// EvoApproxLib's domain for signed adders: only pairs whose exact sum fits the output. The
/// exact 8-bit adder is then error-free; the pairs left out are counted here independently.
#[test]
fn result_fits_domain_leaves_out_overflowing_pairs() {
    let net =
        arithsim::circuits::adders::adder_without_carry_in(AdderKind::RippleCarry, 8).unwrap();
    let s8 = |x: u128| x as u8 as i8 as i128;
    let sum = |v: &[u128]| s8(v[0]) + s8(v[1]);
    let d = ErrorMetrics::of_domain(
        &net,
        "sum",
        Signedness::Signed,
        sum,
        InputDomain::ResultFits,
        0,
        0,
    )
    .unwrap();
    let overflowing = (-128i32..128)
        .flat_map(|a| (-128i32..128).map(move |b| a + b))
        .filter(|s| !(-128..128).contains(s))
        .count() as u64;
    assert_eq!(d.out_of_domain, overflowing);
    assert_eq!(d.count, 65536 - overflowing);
    assert_eq!((d.max_abs, d.error_probability), (0.0, 0.0));
    // a custom domain: only non-negative operands (no overflow possible below 64 + 64)
    let small = |v: &[u128]| v[0] < 64 && v[1] < 64;
    let c = ErrorMetrics::of_domain(
        &net,
        "sum",
        Signedness::Signed,
        sum,
        InputDomain::Custom(&small),
        0,
        0,
    )
    .unwrap();
    assert_eq!((c.count, c.out_of_domain), (4096, 65536 - 4096));
    assert_eq!(c.max_abs, 0.0);
    let nothing = |_: &[u128]| false;
    assert!(matches!(
        ErrorMetrics::of_domain(
            &net,
            "sum",
            Signedness::Signed,
            sum,
            InputDomain::Custom(&nothing),
            0,
            0
        ),
        Err(Error::InvalidParameter { .. })
    ));
}

/// Results are bit-identical on one thread and on several, exhaustive and sampled.
#[test]
fn one_thread_and_many_give_the_same_bits() {
    let f = |v: &[u128]| (v[0] * v[1]) as i128;
    let exhaustive = truncated(10, 5); // 20 input bits: 16 chunks
    let sampled = truncated(16, 7);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                (
                    ErrorMetrics::of(&exhaustive, "product", Signedness::Unsigned, f, 0, 0)
                        .unwrap(),
                    ErrorMetrics::of(&sampled, "product", Signedness::Unsigned, f, 300_000, 5)
                        .unwrap(),
                )
            })
    };
    let one = run(1);
    assert!(one.0.exhaustive && !one.1.exhaustive);
    assert_eq!(one.1.count, 300_000);
    for threads in [2, 3, 8] {
        let many = run(threads);
        assert_eq!(one.0, many.0);
        assert_eq!(one.1, many.1);
        assert_eq!(one.1.mean_abs.to_bits(), many.1.mean_abs.to_bits());
        assert_eq!(one.1.mean_rel.to_bits(), many.1.mean_rel.to_bits());
    }
}

/// 24 input bits are still exhaustive: a 12 × 12 multiplier with 5 low product bits dropped,
/// against native sums over all 2^24 pairs.
#[test]
fn exhaustive_up_to_24_input_bits() {
    let net = truncated(12, 5);
    let m = ErrorMetrics::of(
        &net,
        "product",
        Signedness::Unsigned,
        |v| (v[0] * v[1]) as i128,
        0,
        0,
    )
    .unwrap();
    assert!(m.exhaustive);
    assert_eq!(m.count, 1 << 24);
    let (mut sum, mut worst, mut wrong) = (0u64, 0u64, 0u64);
    for a in 0u64..4096 {
        for b in 0u64..4096 {
            let e = (a * b) & 31;
            sum += e;
            worst = worst.max(e);
            wrong += u64::from(e != 0);
        }
    }
    assert_eq!(m.max_abs, worst as f64);
    assert!(close(m.mean_abs, sum as f64 / (1u64 << 24) as f64));
    assert!(close(
        m.error_probability,
        wrong as f64 / (1u64 << 24) as f64
    ));
}

/// A 16-bit adder whose low 4 bits are `a | b` and whose upper bits add without the carry
/// from below: `e = (a & b) & 15`, so `|e| / (a + b) <= 1/2`, reached only at small operands
/// (`a = b < 16`), which 20,000 uniform samples of 2^32 pairs essentially never draw (their
/// best is about 2^-12). The near-zero search finds the 1/2.
#[test]
fn worst_relative_error_is_searched_near_zero() {
    let mut b = Builder::new();
    let x = b.input("a", 16).unwrap();
    let y = b.input("b", 16).unwrap();
    let mut out: Vec<_> = (0..4).map(|i| b.or(x[i], y[i])).collect();
    let mut carry = b.zero();
    for i in 4..16 {
        let (s, c) = b.full_adder(x[i], y[i], carry);
        out.push(s);
        carry = c;
    }
    out.push(carry);
    b.output("sum", &out).unwrap();
    let net = b.finish().unwrap();
    let m = ErrorMetrics::of(
        &net,
        "sum",
        Signedness::Unsigned,
        |v| (v[0] + v[1]) as i128,
        20_000,
        3,
    )
    .unwrap();
    assert!(!m.exhaustive);
    assert_eq!(m.count, 20_000);
    assert_eq!(m.max_rel, 0.5);
    // the samples alone: their mean relative error is tiny
    assert!(m.mean_rel < 1e-3, "{}", m.mean_rel);
}

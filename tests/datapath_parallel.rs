//! Large integer GEMMs compute their output rows on rayon's pool: the bits and counts must be
//! those of the one-thread run and of a plain reference loop.

use arithsim::Signedness;
use arithsim::datapath::{Bias, GemmOperands, GemmShape, IntArith, IntDatapath};
use arithsim::sweep::with_threads;

fn operands(n: usize, seed: u64) -> Vec<i64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) % 256) as i64 - 128
        })
        .collect()
}

#[test]
fn parallel_int8_gemm_equals_one_thread_and_a_reference_loop() {
    let (m, n, k) = (67, 45, 300); // 904,500 MACs: above the parallel threshold
    let a = operands(m * k, 1);
    let b = operands(k * n, 2);
    let bias: Vec<i64> = (0..m as i64).map(|i| i * 1000 - 30_000).collect();
    let dp = IntDatapath::new(IntArith::INT8_INT32).unwrap();
    let shape = GemmShape::new(m, n, k).unwrap();
    let run = || {
        dp.gemm(shape, GemmOperands { a: &a, b: &b }, Bias::PerRow(&bias))
            .unwrap()
    };
    let one = with_threads(1, run).unwrap();
    let two = with_threads(2, run).unwrap();
    let three = with_threads(3, run).unwrap();
    assert_eq!(one.values, two.values);
    assert_eq!(one.values, three.values);
    assert_eq!(format!("{:?}", one.tally), format!("{:?}", two.tally));
    for i in 0..m {
        for j in 0..n {
            let exact: i64 = bias[i] + (0..k).map(|kk| a[i * k + kk] * b[kk * n + j]).sum::<i64>();
            assert_eq!(one.values[i * n + j], exact as i32 as i64, "({i}, {j})");
        }
    }
}

/// The wrapping GEMM computes four output rows per pass over `B` when there are many rows:
/// blocks, the rows left over (70 = 17 · 4 + 2), per-column and full bias, a 16-bit
/// accumulator that wraps and 64-bit words (48-bit accumulator) must all give the reference
/// bits, on any thread count.
#[test]
fn row_blocked_wrapping_gemm_equals_a_reference_loop() {
    use arithsim::datapath::Overflow;
    let (m, n, k) = (70, 33, 129);
    let a = operands(m * k, 5);
    let b = operands(k * n, 6);
    let col: Vec<i64> = (0..n as i64).map(|j| j * 7 - 100).collect();
    let full: Vec<i64> = (0..(m * n) as i64).map(|x| x % 91 - 45).collect();
    for (acc_bits, bias) in [
        (16, Bias::PerColumn(&col)),
        (48, Bias::Full(&full)),
        (32, Bias::None),
    ] {
        let arith = IntArith::new(8, acc_bits, Signedness::Signed, Overflow::Wrapping).unwrap();
        let dp = IntDatapath::new(arith).unwrap();
        let shape = GemmShape::new(m, n, k).unwrap();
        let run = || {
            dp.gemm(shape, GemmOperands { a: &a, b: &b }, bias)
                .unwrap()
                .values
        };
        let one = with_threads(1, run).unwrap();
        assert_eq!(one, with_threads(2, run).unwrap(), "{acc_bits} bits");
        assert_eq!(one, with_threads(3, run).unwrap(), "{acc_bits} bits");
        let mut wrapped = 0;
        for i in 0..m {
            for j in 0..n {
                let init = match bias {
                    Bias::PerColumn(v) => v[j],
                    Bias::Full(v) => v[i * n + j],
                    _ => 0,
                };
                let exact = init + (0..k).map(|kk| a[i * k + kk] * b[kk * n + j]).sum::<i64>();
                let sh = 64 - acc_bits;
                let want = (exact << sh) >> sh;
                wrapped += usize::from(want != exact);
                assert_eq!(one[i * n + j], want, "{acc_bits} bits, ({i}, {j})");
            }
        }
        assert_eq!(
            wrapped > 0,
            acc_bits == 16,
            "{acc_bits} bits: {wrapped} wrapped"
        );
    }
}

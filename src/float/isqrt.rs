//! Integer square root without division, for the square-root fast path.
//!
//! `u64::isqrt` divides at each refinement; a hardware division costs about as much as the
//! whole rest of a soft-float square root. Here a 768-entry table gives 1/√x to about 10 bits,
//! one Newton step for the reciprocal square root (multiplications only, all within 64 bits)
//! brings it to about 19 bits and the root to within about 2^13 units, one Newton step on the
//! exact residual brings the root to within one unit (its error is about the square of the
//! previous one over 2^33), and two compares make it exact. A 192-entry table with two
//! reciprocal steps was 12 % slower on the FP32 bench; `u64::isqrt` 25 % slower. The same scheme, in hardware, is how multiplier-based dividers and
//! square-root units work (Goldschmidt / Newton–Raphson on the reciprocal).

/// 2^30 / √((2i + 513) / 2048) for i in 0..768: 1/√X in Q2.30 at the middle of each of the
/// 768 intervals of width 1/1024 that split X ∈ [1/4, 1), computed exactly at compile time.
const RSQRT: [u32; 768] = {
    let mut t = [0u32; 768];
    let mut i = 0;
    while i < 768 {
        // (2^30)^2 × 2048 / (2(i + 256) + 1) = 2^71 / (2i + 513)
        t[i] = ((1u128 << 71) / (2 * i as u128 + 513)).isqrt() as u32;
        i += 1;
    }
    t
};

/// ⌊√n⌋, exactly, for every `n`.
#[inline]
pub(crate) fn isqrt(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    // x = n × 4^j in [2^62, 2^64): √x = √n × 2^j, and ⌊⌊√x⌋ / 2^j⌋ = ⌊√n⌋.
    let j = n.leading_zeros() / 2;
    let x = n << (2 * j);
    let x32 = x >> 32; // X = x / 2^64 ≈ x32 / 2^32, in [1/4, 1)
    let mut y = RSQRT[(x >> 54) as usize - 256] as u64; // Y ≈ 1/√X in Q2.30, Y ∈ (1, 2]
    // Y ← Y (3 − X Y²) / 2 in Q2.30; every product stays below 2^64.
    let y2 = (y * y) >> 30;
    let xy2 = (x32 * y2) >> 32;
    y = (y * ((3 << 30) - xy2)) >> 31;
    // r ≈ √x = X Y 2^32 = x32 y / 2^30, within a few units; then one Newton step on the
    // exact residual, r ← r + (x − r²) / 2r with 1/2r ≈ y / 2^63. The residuals are small,
    // so they are exact as wrapping differences read as signed.
    let mut r = (x32 * y) >> 30;
    let d = x.wrapping_sub(r.wrapping_mul(r)) as i64;
    r = r.wrapping_add(((d as i128 * y as i128) >> 63) as u64);
    // Within one unit now: make it exact.
    let d = x.wrapping_sub(r.wrapping_mul(r)) as i64;
    let too_big = d < 0;
    let too_small = !too_big & (d > 2 * r as i64); // (r + 1)² ≤ x
    r = r + too_small as u64 - too_big as u64;
    r >> j
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64 stream.
    fn stream(mut s: u64) -> impl FnMut() -> u64 {
        move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        }
    }

    #[test]
    fn every_value_below_2_to_the_24() {
        for n in 0..1u64 << 24 {
            assert_eq!(isqrt(n), n.isqrt(), "{n}");
        }
    }

    #[test]
    fn squares_and_their_neighbours_at_every_size() {
        let mut next = stream(7);
        for bits in 1..=32 {
            for _ in 0..2000 {
                let k = (next() >> (64 - bits)) | 1 << (bits - 1);
                let sq = k * k; // k < 2^32: no overflow
                for n in [
                    sq - 1,
                    sq,
                    sq + 1,
                    sq.wrapping_add(2 * k),
                    sq.wrapping_add(2 * k + 1),
                ] {
                    assert_eq!(isqrt(n), n.isqrt(), "{n}");
                }
            }
        }
        for n in [u64::MAX, u64::MAX - 1, 1 << 62, (1 << 62) - 1, 1 << 63] {
            assert_eq!(isqrt(n), n.isqrt(), "{n}");
        }
    }

    #[test]
    fn random_values_at_every_width() {
        let mut next = stream(11);
        for _ in 0..1_000_000 {
            let v = next();
            let n = v >> (v % 64);
            assert_eq!(isqrt(n), n.isqrt(), "{n}");
        }
    }
}

//! Integer square root without division, for the square-root fast path.
//!
//! `u64::isqrt` divides at each refinement; a hardware division costs about as much as the
//! whole rest of a soft-float square root. Here a 192-entry table gives 1/√x to about 8 bits,
//! two Newton steps for the reciprocal square root (multiplications only) bring it to about
//! 30 bits, one step on the exact residual brings the root to within one unit, and two
//! compares make it exact. The same scheme, in hardware, is how multiplier-based dividers and
//! square-root units work (Goldschmidt / Newton–Raphson on the reciprocal).

/// 2^31 / √((2i + 129) / 512) for i in 0..192: 1/√X in Q1.31 at the middle of each of the
/// 192 intervals of width 1/256 that split X ∈ [1/4, 1), computed exactly at compile time.
const RSQRT: [u32; 192] = {
    let mut t = [0u32; 192];
    let mut i = 0;
    while i < 192 {
        // (2^31)^2 × 512 / (2(i + 64) + 1) = 2^71 / (2i + 129)
        t[i] = ((1u128 << 71) / (2 * i as u128 + 129)).isqrt() as u32;
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
    let mut y = RSQRT[(x >> 56) as usize - 64] as u64; // Y ≈ 1/√X in Q1.31, Y ∈ (1, 2]
    for _ in 0..2 {
        // Y ← Y (3 − X Y²) / 2, all in Q.31 (X Y² ≈ 1, so 3 − X Y² > 0).
        let y2 = ((y as u128 * y as u128) >> 31) as u64; // Y ≤ 2: y² may reach 2^64
        let xy2 = ((x32 as u128 * y2 as u128) >> 32) as u64;
        let t = (3u64 << 31) - xy2;
        y = ((y as u128 * t as u128) >> 32) as u64;
    }
    // r ≈ √x = X Y × 2^32 = x32 y / 2^31, within a few units; then one Newton step on the
    // exact residual x − r² (r ← r + (x − r²) / 2r, with 1/r ≈ Y / 2^32).
    let mut r = ((x32 as u128 * y as u128) >> 31) as i128;
    let d = x as i128 - r * r;
    r += (d * y as i128) >> 64;
    // Within one unit now: make it exact.
    let x = x as i128;
    r -= (r * r > x) as i128;
    r += ((r + 1) * (r + 1) <= x) as i128;
    (r as u64) >> j
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

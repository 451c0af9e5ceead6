//! Property tests of `repr` against native integers: the adder's flags equal
//! `overflowing_add` / `overflowing_sub` / `wrapping_neg` on i8..i128 and u8..u128;
//! encode/decode round trips over every width 1..=128 and every encoding; extension keeps
//! values and patterns; printing and parsing round trip.

use arithsim::repr::{Bits, Encoding, WideInt, add, sub};
use proptest::prelude::*;

/// Draws raw bits with the interesting values forced in.
fn edgy_u128() -> impl Strategy<Value = u128> {
    prop_oneof![
        Just(0u128),
        Just(1u128),
        Just(u128::MAX),
        Just(1u128 << 127),
        (0u32..128).prop_map(|k| 1u128 << k),
        (0u32..128).prop_map(|k| (1u128 << k).wrapping_sub(1)),
        any::<u128>(),
    ]
}

macro_rules! native_flags {
    ($name:ident, $u:ty, $i:ty) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn $name(x in edgy_u128(), y in edgy_u128()) {
                let width = <$u>::BITS;
                let (ua, ub) = (x as $u, y as $u);
                let (ia, ib) = (ua as $i, ub as $i);
                let a = Bits::from_u128(ua as u128, width).unwrap();
                let b = Bits::from_u128(ub as u128, width).unwrap();

                let s = add(&a, &b).unwrap();
                let (sum, carry) = ua.overflowing_add(ub);
                prop_assert_eq!(s.pattern.to_u128(), sum as u128);
                prop_assert_eq!(s.carry_out, carry);
                prop_assert_eq!(s.overflow, ia.overflowing_add(ib).1);

                let d = sub(&a, &b).unwrap();
                let (diff, borrow) = ua.overflowing_sub(ub);
                prop_assert_eq!(d.pattern.to_u128(), diff as u128);
                prop_assert_eq!(d.borrow, borrow);
                prop_assert_eq!(d.overflow, ia.overflowing_sub(ib).1);

                let n = Encoding::TwosComplement.negate(&a).unwrap();
                prop_assert_eq!(n.result.to_u128(), ia.wrapping_neg() as $u as u128);
                prop_assert_eq!(n.overflow, ia.overflowing_neg().1);
                prop_assert_eq!(n.result.to_i128(), ia.wrapping_neg() as i128);
                // The intermediate step is the inverted pattern.
                prop_assert_eq!(n.steps[0].pattern.to_u128(), (!ua) as u128);

                // The patterns decode to the native values.
                prop_assert_eq!(Encoding::TwosComplement.decode(&a), WideInt::from(ia as i128));
                prop_assert_eq!(Encoding::Unsigned.decode(&a), WideInt::from(ua as u128));
            }
        }
    };
}

native_flags!(flags_match_native_8, u8, i8);
native_flags!(flags_match_native_16, u16, i16);
native_flags!(flags_match_native_32, u32, i32);
native_flags!(flags_match_native_64, u64, i64);
native_flags!(flags_match_native_128, u128, i128);

#[test]
fn flags_match_native_exhaustive_8_bit() {
    for ua in 0..=u8::MAX {
        for ub in 0..=u8::MAX {
            let (ia, ib) = (ua as i8, ub as i8);
            let a = Bits::from_u128(ua as u128, 8).unwrap();
            let b = Bits::from_u128(ub as u128, 8).unwrap();
            let s = add(&a, &b).unwrap();
            assert_eq!(
                (s.pattern.to_u128() as u8, s.carry_out, s.overflow),
                (
                    ua.wrapping_add(ub),
                    ua.overflowing_add(ub).1,
                    ia.overflowing_add(ib).1
                )
            );
            let d = sub(&a, &b).unwrap();
            assert_eq!(
                (d.pattern.to_u128() as u8, d.borrow, d.overflow),
                (
                    ua.wrapping_sub(ub),
                    ua.overflowing_sub(ub).1,
                    ia.overflowing_sub(ib).1
                )
            );
        }
    }
}

/// A value in `encoding`'s range for `width`, with the ends and zero forced in.
fn value_in_range(encoding: Encoding, width: u32) -> impl Strategy<Value = WideInt> {
    let (min, max) = encoding.range(width).unwrap();
    (edgy_u128(), any::<bool>(), 0u8..6).prop_map(move |(m, neg, pick)| match pick {
        0 => min,
        1 => max,
        2 => WideInt::ZERO,
        _ if neg && min.is_negative() => WideInt::new(true, m % (min.magnitude() + 1)),
        _ => match max.magnitude().checked_add(1) {
            Some(n) => WideInt::from(m % n),
            None => WideInt::from(m),
        },
    })
}

fn encoding() -> impl Strategy<Value = Encoding> {
    (0usize..4).prop_map(|i| Encoding::ALL[i])
}

fn width_and_value() -> impl Strategy<Value = (Encoding, u32, WideInt)> {
    (encoding(), 1u32..=128).prop_flat_map(|(e, w)| (Just(e), Just(w), value_in_range(e, w)))
}

fn pattern() -> impl Strategy<Value = Bits> {
    (1u32..=128, edgy_u128()).prop_map(|(w, v)| {
        Bits::from_u128(if w == 128 { v } else { v & ((1 << w) - 1) }, w).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn encode_decode_round_trip(ewv in width_and_value()) {
        let (e, w, v) = ewv;
        let p = e.encode(v, w).unwrap();
        prop_assert_eq!(p.width(), w);
        prop_assert_eq!(e.decode(&p), v);
        let (min, max) = e.range(w).unwrap();
        prop_assert!(min <= v && v <= max);
    }

    #[test]
    fn decode_encode_round_trip(p in pattern(), e in encoding()) {
        let v = e.decode(&p);
        let back = e.encode(v, p.width()).unwrap();
        if e.is_negative_zero(&p) {
            prop_assert_eq!(back.to_u128(), 0);
        } else {
            prop_assert_eq!(back, p);
        }
    }

    #[test]
    fn every_encoding_range_is_exactly_the_encodable_set(e in encoding(), w in 1u32..=128) {
        let (min, max) = e.range(w).unwrap();
        prop_assert!(e.encode(min, w).is_ok());
        prop_assert!(e.encode(max, w).is_ok());
        if max.magnitude() < u128::MAX {
            prop_assert!(e.encode(WideInt::from(max.magnitude() + 1), w).is_err());
        }
        if min.magnitude() < u128::MAX {
            prop_assert!(e.encode(WideInt::new(true, min.magnitude() + 1), w).is_err());
        }
    }

    #[test]
    fn extension_keeps_value_and_pattern(p in pattern(), extra in 0u32..128, e in encoding()) {
        let w = (p.width() + extra).min(128);
        let s = p.sign_extend(w).unwrap();
        prop_assert_eq!(s.to_i128(), p.to_i128());
        prop_assert_eq!(
            Encoding::TwosComplement.decode(&s),
            Encoding::TwosComplement.decode(&p)
        );
        let z = p.zero_extend(w).unwrap();
        prop_assert_eq!(z.to_u128(), p.to_u128());
        prop_assert_eq!(z.truncate(p.width()).unwrap(), p.clone());
        prop_assert_eq!(s.truncate(p.width()).unwrap(), p.clone());
        // Each encoding's own extension keeps its value.
        let x = e.extend(&p, w).unwrap();
        prop_assert_eq!(e.decode(&x), e.decode(&p));
        prop_assert_eq!(e.is_negative_zero(&x), e.is_negative_zero(&p));
    }

    #[test]
    fn print_parse_round_trip(p in pattern()) {
        prop_assert_eq!(Bits::parse(&format!("0b{}", p.to_binary())).unwrap(), p.clone());
        prop_assert_eq!(Bits::parse(&format!("0b{}", p.to_binary_grouped())).unwrap(), p.clone());
        let hex = Bits::parse(&format!("0x{}", p.to_hex())).unwrap();
        prop_assert_eq!(hex.width(), p.width().div_ceil(4) * 4);
        prop_assert_eq!(hex.to_u128(), p.to_u128());
        let oct = Bits::parse(&format!("0o{}", p.to_octal())).unwrap();
        prop_assert_eq!(oct.to_u128(), p.to_u128());
        prop_assert_eq!(Bits::parse_radix(&p.to_decimal(), 10).unwrap().to_u128(), p.to_u128());
        prop_assert_eq!(
            Bits::parse_radix(&format!("{:x}", p.to_u128()), 16).unwrap().to_u128(),
            p.to_u128()
        );
    }

    #[test]
    fn slices_concat_and_counts(p in pattern(), k in 0u32..128) {
        let w = p.width();
        prop_assert_eq!(p.count_ones(), p.to_u128().count_ones());
        prop_assert_eq!(p.leading_zeros(), p.to_u128().leading_zeros() - (128 - w));
        prop_assert_eq!(Bits::from_bitslice(p.as_bitslice()).unwrap(), p.clone());
        for i in 0..w {
            prop_assert_eq!(p.bit(i).unwrap(), p.as_bitslice()[i as usize]);
        }
        prop_assert_eq!(p.msb(), p.bit(w - 1).unwrap());
        prop_assert_eq!(p.lsb(), p.bit(0).unwrap());
        prop_assert_eq!(p.not().to_u128(), !p.to_u128() & (u128::MAX >> (128 - w)));
        if w > 1 {
            let k = 1 + k % (w - 1);
            let hi = p.slice(k..w).unwrap();
            let lo = p.slice(0..k).unwrap();
            prop_assert_eq!(hi.concat(&lo).unwrap(), p.clone());
        }
        for i in 0..w.div_ceil(8) {
            prop_assert_eq!(p.byte(i).unwrap(), (p.to_u128() >> (8 * i)) as u8);
        }
        for i in 0..w.div_ceil(4) {
            let n = p.nibble(i).unwrap() as u128;
            prop_assert_eq!(n, (p.to_u128() >> (4 * i)) & 0xf);
        }
    }
}

#[test]
fn four_bit_tables_of_every_encoding() {
    // Independent reading of each 4-bit pattern.
    for p in 0u128..16 {
        let bits = Bits::from_u128(p, 4).unwrap();
        let sign = p >= 8;
        let low3 = (p & 7) as i64;
        let expect = [
            p as i64,
            if sign { -low3 } else { low3 },
            if sign { p as i64 - 15 } else { p as i64 },
            if sign { p as i64 - 16 } else { p as i64 },
        ];
        for (e, want) in Encoding::ALL.into_iter().zip(expect) {
            assert_eq!(e.decode(&bits), WideInt::from(want), "{e} {bits}");
            assert_eq!(e.table(4).unwrap()[p as usize].1, WideInt::from(want));
        }
    }
}

#[test]
fn encode_decode_every_width_and_encoding_deterministic() {
    // Every width 1..=128 and every encoding: the ends of the range, zero, ±1 and a spread of
    // values from a fixed-seed generator.
    let mut seed = 0x9E37_79B9_7F4A_7C15_u128;
    for width in 1..=128u32 {
        for e in Encoding::ALL {
            let (min, max) = e.range(width).unwrap();
            let mut values = vec![min, max, WideInt::ZERO];
            for _ in 0..32 {
                seed = seed
                    .wrapping_mul(0x2360_ED05_1FC6_5DA4_4385_DF64_9FCC_F645)
                    .wrapping_add(1);
                let m = seed >> (seed as u32 % 128);
                let neg = seed & 1 == 1 && min.is_negative();
                let bound = if neg {
                    min.magnitude()
                } else {
                    max.magnitude()
                };
                let m = if bound == u128::MAX {
                    m
                } else {
                    m % (bound + 1)
                };
                values.push(WideInt::new(neg, m));
            }
            for v in values {
                let p = e.encode(v, width).unwrap();
                assert_eq!(e.decode(&p), v, "{e} width {width}");
                assert_eq!(p.width(), width);
            }
        }
    }
}

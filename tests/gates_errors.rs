//! Bad input gets a clear error, never a panic: one test per error the gates layer and the
//! adder generators return, each checking the message.

use arithsim::Signedness;
use arithsim::circuits::adders::{
    AdderKind, adder, build_adder, build_carry_save, less_than_comparator, ripple_carry_adder,
};
use arithsim::gates::{BatchOutput, Builder, Simulator};
use bitvec::prelude::{BitVec, Lsb0};

#[test]
fn width_zero_or_too_large() {
    let e = ripple_carry_adder(0).unwrap_err();
    assert_eq!(e.to_string(), "adder width 0 is out of range 1..=128");
    let e = adder(AdderKind::KoggeStone, 129).unwrap_err();
    assert_eq!(e.to_string(), "adder width 129 is out of range 1..=128");
    let e = less_than_comparator(200, Signedness::Signed).unwrap_err();
    assert_eq!(
        e.to_string(),
        "comparator width 200 is out of range 1..=128"
    );
    let mut b = Builder::new();
    let e = b.input("x", 0).unwrap_err();
    assert_eq!(e.to_string(), "port width 0 is out of range 1..=128");
    let e = b.output("y", &[]).unwrap_err();
    assert_eq!(e.to_string(), "port width 0 is out of range 1..=128");
    let z = b.zero();
    let e = build_adder(&mut b, AdderKind::RippleCarry, &[], &[], z).unwrap_err();
    assert_eq!(e.to_string(), "adder width 0 is out of range 1..=4096");
}

#[test]
fn bad_block_size() {
    let e = adder(AdderKind::CarrySelect { block: 0 }, 8).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid block size 0: carry-select/0 needs a block size in 1..=4096"
    );
    let e = adder(AdderKind::CarryLookahead { block: 1 }, 8).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid block size 1: carry-lookahead/1 needs a block size in 2..=4096"
    );
}

#[test]
fn unknown_port() {
    let net = ripple_carry_adder(4).unwrap();
    let e = net
        .eval_u64(&[("a", &[1]), ("bee", &[1]), ("cin", &[0])])
        .unwrap_err();
    assert_eq!(e.to_string(), "unknown port \"bee\"");
    let e = net.input("sum").unwrap_err();
    assert_eq!(e.to_string(), "unknown port \"sum\"");
    let e = net.output("a").unwrap_err();
    assert_eq!(e.to_string(), "unknown port \"a\"");
    let out = net
        .eval_u64(&[("a", &[1]), ("b", &[1]), ("cin", &[0])])
        .unwrap();
    let e = out.get("carry").unwrap_err();
    assert_eq!(e.to_string(), "unknown port \"carry\"");
}

#[test]
fn operand_wider_than_port() {
    let net = ripple_carry_adder(8).unwrap();
    let e = net
        .eval_u64(&[("a", &[256]), ("b", &[1]), ("cin", &[0])])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "value 256 is out of range 0..=255 for input port \"a\" (8 bits)"
    );
    let e = net
        .eval_u64(&[("a", &[1]), ("b", &[1]), ("cin", &[2])])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "value 2 is out of range 0..=1 for input port \"cin\" (1 bits)"
    );
    let wide = ripple_carry_adder(100).unwrap();
    let e = wide
        .eval_u128(&[("a", &[1u128 << 100]), ("b", &[0]), ("cin", &[0])])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "value {} is out of range 0..={} for input port \"a\" (100 bits)",
            1u128 << 100,
            (1u128 << 100) - 1
        )
    );
}

#[test]
fn wrong_number_of_operands() {
    let net = ripple_carry_adder(4).unwrap();
    let e = net
        .eval_u64(&[("a", &[1, 2]), ("b", &[1, 2, 3]), ("cin", &[0, 0])])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid operand count 3: port \"b\" has 3 operands but port \"a\" has 2"
    );
    let e = net.eval_u64(&[("a", &[1]), ("b", &[1])]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid inputs 2 ports given: input port \"cin\" is missing"
    );
    let e = net
        .eval_u64(&[("a", &[1]), ("a", &[1]), ("b", &[1]), ("cin", &[0])])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid input \"a\": the port is given more than once"
    );
    let mut sim = Simulator::new(&net, 2).unwrap();
    let e = sim
        .set_input_words(net.input("a").unwrap().wires()[0], &[0])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape error: 1 words given for a wire of 2 words"
    );
    let e = Simulator::new(&net, 0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid words per batch 0: must be in 1..=65536"
    );
    let bits = BitVec::<u64, Lsb0>::repeat(false, 3);
    let one = BitVec::<u64, Lsb0>::repeat(false, 1);
    let e = net
        .eval_bits(&[("a", &bits), ("b", &bits), ("cin", &one)])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape error: 3 bits given for input port \"a\" of 4 bits"
    );
    let mut out = BatchOutput::default();
    assert!(
        sim.run::<u64>(&[("a", &[]), ("b", &[]), ("cin", &[])], &mut out)
            .is_ok()
    );
    assert!(out.is_empty());
}

#[test]
fn wire_from_another_netlist() {
    let mut b1 = Builder::new();
    let x1 = b1.input("x", 4).unwrap();
    let mut b2 = Builder::new();
    let x2 = b2.input("x", 4).unwrap();
    // gate methods keep the first error for finish()
    let g = b2.and(x2[0], x1[3]);
    b2.output("g", &[g]).unwrap();
    let e = b2.finish().unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "invalid wire 5 of netlist {}: it does not belong to netlist {}",
            x1[3].owner(),
            x2[0].owner()
        )
    );
    // generators and outputs check at once
    let mut b3 = Builder::new();
    let x3 = b3.input("x", 4).unwrap();
    let z = b3.zero();
    let e = build_adder(&mut b3, AdderKind::BrentKung, &x3, &x1, z).unwrap_err();
    assert!(e.to_string().contains("does not belong to netlist"), "{e}");
    let e = build_carry_save(&mut b3, &x3, &x3, &x1).unwrap_err();
    assert!(e.to_string().contains("does not belong to netlist"), "{e}");
    let e = b3.output("y", &x1).unwrap_err();
    assert!(e.to_string().contains("does not belong to netlist"), "{e}");
    // and the simulator
    let net = b3.finish().unwrap();
    let mut sim = Simulator::new(&net, 1).unwrap();
    let e = sim.set_input_words(x1[0], &[0]).unwrap_err();
    assert!(e.to_string().contains("does not belong to netlist"), "{e}");
    assert!(sim.wire_words(x1[0]).is_err());
}

#[test]
fn other_builder_errors() {
    let mut b = Builder::new();
    let x = b.input("x", 4).unwrap();
    let e = b.input("x", 2).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid port name \"x\": a port with this name already exists"
    );
    let e = build_adder(&mut b, AdderKind::RippleCarry, &x, &x[..3], x[0]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape error: adder operands have 4 and 3 bits; they must match"
    );
    let e = b.connect_register(x[0], x[1]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid register 2: wire is not a register output"
    );
    let q = b.register(false);
    let e = b.finish().unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "invalid register {}: its d input was never connected",
            q.index()
        )
    );
    let net = ripple_carry_adder(2).unwrap();
    let mut sim = Simulator::new(&net, 1).unwrap();
    let s = net.output("sum").unwrap().wires()[0];
    let e = sim.input_words_mut(s).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "invalid wire {}: only primary input wires can be set",
            s.index()
        )
    );
}

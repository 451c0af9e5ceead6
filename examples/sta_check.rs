//! Scratch: NLDM timing of a circuit and its library-cell Verilog.
use arithsim::circuits::adders::{AdderKind, adder};
use arithsim::gates::{CellLibrary, StaOptions};
fn main() -> Result<(), arithsim::Error> {
    let t0 = std::time::Instant::now();
    let lib = CellLibrary::load_liberty("../shared/data/nangate45_typ.lib.gz")?;
    eprintln!("load {:?}", t0.elapsed());
    let net = adder(AdderKind::RippleCarry, 4)?;
    let t = net.sta(&lib, &StaOptions::default())?;
    eprintln!("delay {} path {:?}", t.delay_ns, t.critical_path);
    print!("{}", net.to_liberty_verilog("top", &lib)?);
    Ok(())
}

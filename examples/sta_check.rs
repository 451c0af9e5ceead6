//! Scratch: NLDM timing of the INT8 MAC and its library-cell Verilog.
use arithsim::circuits::mac::{Mac, int8_mac};
use arithsim::gates::{CellLibrary, StaOptions};
fn main() -> Result<(), arithsim::Error> {
    let lib = CellLibrary::load_liberty(std::env::var("ARITHSIM_LIBERTY").unwrap())?;
    let mac = Mac::new(int8_mac())?;
    let net = mac.netlist();
    let t = net.sta(&lib, &StaOptions::default())?;
    eprintln!("delay {} path {:?}", t.delay_ns, t.critical_path.iter().map(|s| (s.cell.clone(), s.arrival_ns)).collect::<Vec<_>>());
    print!("{}", net.to_liberty_verilog("top", &lib)?);
    Ok(())
}

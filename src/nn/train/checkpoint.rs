//! Writing a trained [`Network`] to safetensors and reading its parameters back, through
//! the crate's one safetensors reader/writer, [`Checkpoint`].
//!
//! Every parameter is one F32 tensor under its [`Param::name`](super::Param) (`fc1.weight`,
//! dense `[out, in]`, conv `[O, C/groups, kh, kw]`, bias `[out]`). The file's metadata holds
//! at most one entry (`"arithsim"`, a free note, see [`Checkpoint::set_note`]): safetensors
//! writes metadata from a hash map, so a single key is what keeps the file's bytes
//! reproducible. Reading accepts F32 only, so a reloaded network has exactly the saved bits.

use safetensors::Dtype;

use super::Network;
use crate::Result;
use crate::nn::Checkpoint;

/// The network's parameters as a [`Checkpoint`], with `note` as its metadata note if given.
#[must_use]
pub fn to_checkpoint(net: &Network, note: Option<&str>) -> Checkpoint {
    let mut c = Checkpoint::default();
    for p in net.params() {
        c.insert(p.name.clone(), crate::nn::Tensor::from(&p.value));
    }
    if let Some(n) = note {
        c.set_note(n);
    }
    c
}

/// The network's parameters as a safetensors file (little-endian F32), with `note` as the
/// metadata entry `"arithsim"` if given.
///
/// # Examples
///
/// ```
/// use arithsim::nn::train::{DigitsNet, load_safetensors, read_checkpoint, to_safetensors};
///
/// let mut a = DigitsNet::Mlp.build()?;
/// a.init(1);
/// let bytes = to_safetensors(&a, Some("example"))?;
/// let mut b = DigitsNet::Mlp.build()?;
/// load_safetensors(&mut b, &bytes)?;
/// assert_eq!(a.param("fc3.weight")?, b.param("fc3.weight")?);
/// assert_eq!(read_checkpoint(&bytes)?.names().nth(1), Some("fc1.weight")); // sorted
/// # Ok::<(), arithsim::Error>(())
/// ```
///
/// # Errors
///
/// As [`Checkpoint::to_bytes`] (it does not fail for valid shapes).
pub fn to_safetensors(net: &Network, note: Option<&str>) -> Result<Vec<u8>> {
    to_checkpoint(net, note).to_bytes()
}

/// A safetensors file as a [`Checkpoint`], F32 tensors only (what the trainer writes): a
/// reloaded network has exactly the saved bits.
///
/// # Errors
///
/// [`Error::Table`](crate::Error::Table) for a malformed file, and naming a tensor whose
/// dtype is not F32.
pub fn read_checkpoint(bytes: &[u8]) -> Result<Checkpoint> {
    Checkpoint::parse(bytes, "safetensors file", &[Dtype::F32])
}

/// Sets the network's parameters from a safetensors file; tensors the network does not
/// have are ignored.
///
/// # Errors
///
/// As [`read_checkpoint`]; [`Error::Table`](crate::Error::Table) naming a parameter that
/// is missing or has another shape.
pub fn load_safetensors(net: &mut Network, bytes: &[u8]) -> Result<()> {
    let c = read_checkpoint(bytes)?;
    for p in net.params_mut() {
        let values = c.tensor(&p.name, p.value.shape())?;
        p.value.data_mut().copy_from_slice(values);
    }
    Ok(())
}

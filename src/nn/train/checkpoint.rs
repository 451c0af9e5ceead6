//! Writing a trained [`Network`] to safetensors and reading its parameters back.
//!
//! Every parameter is one F32 tensor under its [`Param::name`](super::Param) (`fc1.weight`,
//! dense `[out, in]`, conv `[O, C/groups, kh, kw]`, bias `[out]`). The file's metadata holds
//! at most one entry (`"arithsim"`, a free note): safetensors writes metadata from a hash
//! map, so a single key is what keeps the file's bytes reproducible.

use std::collections::HashMap;

use safetensors::tensor::{Dtype, SafeTensors, TensorView};

use super::Network;
use crate::{Error, Result};

fn st_error(what: &str, e: safetensors::SafeTensorError) -> Error {
    Error::Parse {
        input: what.to_string(),
        reason: e.to_string(),
    }
}

/// The network's parameters as a safetensors file (little-endian F32), with `note` as the
/// metadata entry `"arithsim"` if given.
///
/// # Examples
///
/// ```
/// use arithsim::nn::train::{DigitsNet, load_safetensors, read_f32_tensors, to_safetensors};
///
/// let mut a = DigitsNet::Mlp.build()?;
/// a.init(1);
/// let bytes = to_safetensors(&a, Some("example"))?;
/// let mut b = DigitsNet::Mlp.build()?;
/// load_safetensors(&mut b, &bytes)?;
/// assert_eq!(a.param("fc3.weight")?, b.param("fc3.weight")?);
/// assert_eq!(read_f32_tensors(&bytes)?[1].0, "fc1.weight"); // sorted by name
/// # Ok::<(), arithsim::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Parse`] if the safetensors writer fails (it does not for valid shapes).
pub fn to_safetensors(net: &Network, note: Option<&str>) -> Result<Vec<u8>> {
    let tensors: Vec<(String, Vec<usize>, Vec<u8>)> = net
        .params()
        .iter()
        .map(|p| {
            let bytes = p
                .value
                .data()
                .iter()
                .flat_map(|v| v.to_le_bytes())
                .collect();
            (p.name.clone(), p.value.shape().to_vec(), bytes)
        })
        .collect();
    let views = tensors
        .iter()
        .map(|(name, shape, bytes)| {
            TensorView::new(Dtype::F32, shape.clone(), bytes)
                .map(|v| (name.clone(), v))
                .map_err(|e| st_error(name, e))
        })
        .collect::<Result<Vec<_>>>()?;
    let metadata = note.map(|n| HashMap::from([("arithsim".to_string(), n.to_string())]));
    safetensors::serialize(views, metadata).map_err(|e| st_error(net.name(), e))
}

/// One tensor read back: `(name, shape, values)`.
pub type NamedTensor = (String, Vec<usize>, Vec<f32>);

/// Every tensor of a safetensors file as `(name, shape, f32 values)`, sorted by name.
///
/// # Errors
///
/// [`Error::Parse`] for a malformed file; [`Error::Unsupported`] naming a tensor whose
/// dtype is not F32.
pub fn read_f32_tensors(bytes: &[u8]) -> Result<Vec<NamedTensor>> {
    let st = SafeTensors::deserialize(bytes).map_err(|e| st_error("safetensors file", e))?;
    let mut out = st
        .tensors()
        .into_iter()
        .map(|(name, view)| {
            if view.dtype() != Dtype::F32 {
                return Err(Error::Unsupported(format!(
                    "tensor {name}: dtype {:?}, only F32 is read here",
                    view.dtype()
                )));
            }
            let values = view
                .data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            Ok((name, view.shape().to_vec(), values))
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Sets the network's parameters from a safetensors file; tensors the network does not
/// have are ignored.
///
/// # Errors
///
/// As [`read_f32_tensors`]; [`Error::Shape`] naming a parameter that is missing or has
/// another shape.
pub fn load_safetensors(net: &mut Network, bytes: &[u8]) -> Result<()> {
    let tensors = read_f32_tensors(bytes)?;
    for p in net.params_mut() {
        let Some((_, shape, values)) = tensors.iter().find(|t| t.0 == p.name) else {
            return Err(Error::Shape(format!("tensor {} is missing", p.name)));
        };
        if shape.as_slice() != p.value.shape() {
            return Err(Error::Shape(format!(
                "tensor {}: shape {shape:?}, the network needs {:?}",
                p.name,
                p.value.shape()
            )));
        }
        p.value.data_mut().copy_from_slice(values);
    }
    Ok(())
}

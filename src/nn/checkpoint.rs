//! Checkpoints in safetensors, read through the `safetensors` crate, and the two digits
//! networks built from them.
//!
//! Tensors are named `<layer>.weight` and `<layer>.bias` (PyTorch's `state_dict` names);
//! F32 is taken as is, F16 and BF16 are widened to f32 exactly (every F16 and BF16 value is
//! an f32). Any other dtype, a missing tensor or a wrong shape is an [`Error::Table`] whose
//! `field` is the tensor's name.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use safetensors::{Dtype, SafeTensors};

use super::graph::{Conv2d, Dense, Network, Node, Op};
use crate::float::FloatFormat;
use crate::{Error, Result};

/// One tensor of a checkpoint, widened to f32.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    /// Its shape.
    pub shape: Vec<usize>,
    /// Its values, row-major.
    pub data: Vec<f32>,
}

/// The tensors of a safetensors file, by name.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Checkpoint {
    source: String,
    tensors: BTreeMap<String, Tensor>,
    note: Option<String>,
}

impl Checkpoint {
    /// Reads a safetensors file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read; as [`Checkpoint::from_bytes`].
    pub fn load(path: impl AsRef<Path>) -> Result<Checkpoint> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes, &path.display().to_string())
    }

    /// Parses safetensors bytes; `source` names them in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Table`] for bytes that are not safetensors, and naming the tensor for a dtype
    /// other than F32, F16 and BF16.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::nn::{Checkpoint, Tensor};
    ///
    /// let mut c = Checkpoint::default();
    /// c.insert("fc.bias", Tensor { shape: vec![2], data: vec![0.5, -1.0] });
    /// let back = Checkpoint::from_bytes(&c.to_bytes()?, "memory")?;
    /// assert_eq!(back.tensor("fc.bias", &[2])?, &[0.5, -1.0]);
    /// let e = back.tensor("fc.weight", &[2, 3]).unwrap_err();
    /// assert!(e.to_string().contains("fc.weight"));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn from_bytes(bytes: &[u8], source: &str) -> Result<Checkpoint> {
        Self::parse(bytes, source, &[Dtype::F32, Dtype::F16, Dtype::BF16])
    }

    /// As [`Checkpoint::from_bytes`], accepting only the dtypes in `accept` (the trainer
    /// reads F32 only, so a reloaded network has exactly the bits that were saved).
    pub(crate) fn parse(bytes: &[u8], source: &str, accept: &[Dtype]) -> Result<Checkpoint> {
        let st = SafeTensors::deserialize(bytes).map_err(|e| Error::Table {
            file: source.into(),
            line: 0,
            field: "header".into(),
            reason: format!("not a safetensors file: {e}"),
        })?;
        let mut tensors = BTreeMap::new();
        for (name, view) in st.iter() {
            let err = |reason: String| Error::Table {
                file: source.into(),
                line: 0,
                field: name.to_string(),
                reason,
            };
            let raw = view.data();
            let data: Vec<f32> = match view.dtype() {
                Dtype::F32 => raw
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect(),
                Dtype::F16 => raw
                    .chunks_exact(2)
                    .map(|b| widen(FloatFormat::FP16, u16::from_le_bytes([b[0], b[1]])))
                    .collect(),
                Dtype::BF16 => raw
                    .chunks_exact(2)
                    .map(|b| f32::from_bits(u32::from(u16::from_le_bytes([b[0], b[1]])) << 16))
                    .collect(),
                other => {
                    return Err(err(format!(
                        "dtype {other} is not supported (F32, F16 and BF16 are)"
                    )));
                }
            };
            if !accept.contains(&view.dtype()) {
                return Err(err(format!(
                    "dtype {} is not read here ({accept:?} are)",
                    view.dtype()
                )));
            }
            let expect: usize = view.shape().iter().product();
            if data.len() != expect {
                return Err(err(format!(
                    "{} values for shape {:?}",
                    data.len(),
                    view.shape()
                )));
            }
            tensors.insert(
                name.to_string(),
                Tensor {
                    shape: view.shape().to_vec(),
                    data,
                },
            );
        }
        Ok(Checkpoint {
            source: source.into(),
            tensors,
            note: None,
        })
    }

    /// Adds or replaces a tensor (to write checkpoints of one's own).
    pub fn insert(&mut self, name: impl Into<String>, tensor: Tensor) {
        self.tensors.insert(name.into(), tensor);
    }

    /// Sets the free note written as the file's one metadata entry, `"arithsim"`.
    /// safetensors writes metadata from a hash map, so a single key is what keeps the bytes
    /// reproducible; hence one note rather than arbitrary metadata.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::nn::{Checkpoint, Tensor};
    ///
    /// let mut c = Checkpoint::default();
    /// c.insert("fc.bias", Tensor { shape: vec![1], data: vec![2.0] });
    /// c.set_note("trained by hand");
    /// let bytes = c.to_bytes()?;
    /// let header = String::from_utf8_lossy(&bytes[8..]);
    /// assert!(header.contains(r#""__metadata__":{"arithsim":"trained by hand"}"#));
    /// let back = Checkpoint::from_bytes(&bytes, "memory")?;
    /// let names: Vec<&str> = back.tensors().map(|(n, _)| n).collect();
    /// assert_eq!(names, ["fc.bias"]);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn set_note(&mut self, note: impl Into<String>) {
        self.note = Some(note.into());
    }

    /// The tensors with their names, sorted by name.
    pub fn tensors(&self) -> impl Iterator<Item = (&str, &Tensor)> {
        self.tensors.iter().map(|(n, t)| (n.as_str(), t))
    }

    /// The tensor names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tensors.keys().map(String::as_str)
    }

    /// The shape of a tensor, if present.
    #[must_use]
    pub fn shape_of(&self, name: &str) -> Option<&[usize]> {
        self.tensors.get(name).map(|t| t.shape.as_slice())
    }

    fn err(&self, name: &str, reason: String) -> Error {
        Error::Table {
            file: self.source.clone(),
            line: 0,
            field: name.into(),
            reason,
        }
    }

    /// The values of tensor `name`, which must have shape `shape`.
    ///
    /// # Errors
    ///
    /// [`Error::Table`] naming the tensor when it is missing or has another shape.
    pub fn tensor(&self, name: &str, shape: &[usize]) -> Result<&[f32]> {
        let t = self
            .tensors
            .get(name)
            .ok_or_else(|| self.err(name, "missing from the checkpoint".into()))?;
        if t.shape != shape {
            return Err(self.err(name, format!("has shape {:?}, expected {shape:?}", t.shape)));
        }
        Ok(&t.data)
    }

    /// The shape of `name`, which must have `rank` dimensions.
    fn shape_rank(&self, name: &str, rank: usize) -> Result<&[usize]> {
        let s = self
            .shape_of(name)
            .ok_or_else(|| self.err(name, "missing from the checkpoint".into()))?;
        if s.len() != rank || s.contains(&0) {
            return Err(self.err(
                name,
                format!("has shape {s:?}, expected {rank} non-zero dimensions"),
            ));
        }
        Ok(s)
    }

    /// The dense layer `name` taking `inputs` features: `name.weight` `[out, inputs]` and
    /// `name.bias` `[out]`.
    ///
    /// # Errors
    ///
    /// As [`Checkpoint::tensor`].
    pub fn dense(&self, name: &str, inputs: usize) -> Result<Dense> {
        let wn = format!("{name}.weight");
        let outputs = self.shape_rank(&wn, 2)?[0];
        let weight = self.tensor(&wn, &[outputs, inputs])?.to_vec();
        let bias = self.tensor(&format!("{name}.bias"), &[outputs])?.to_vec();
        Ok(Dense {
            outputs,
            inputs,
            weight,
            bias,
        })
    }

    /// The square-kernel convolution `name` on `in_channels` channels with `groups` groups:
    /// `name.weight` `[out, in/groups, k, k]` and `name.bias` `[out]`.
    ///
    /// # Errors
    ///
    /// As [`Checkpoint::tensor`]; [`Error::Table`] when the group count does not divide the
    /// channels.
    pub fn conv2d(
        &self,
        name: &str,
        in_channels: usize,
        stride: usize,
        padding: usize,
        groups: usize,
    ) -> Result<Conv2d> {
        let wn = format!("{name}.weight");
        let s = self.shape_rank(&wn, 4)?.to_vec();
        if groups == 0 || in_channels % groups != 0 || s[0] % groups != 0 {
            return Err(self.err(
                &wn,
                format!(
                    "{groups} groups do not divide {in_channels} inputs and {} outputs",
                    s[0]
                ),
            ));
        }
        let weight = self
            .tensor(&wn, &[s[0], in_channels / groups, s[2], s[3]])?
            .to_vec();
        let bias = self.tensor(&format!("{name}.bias"), &[s[0]])?.to_vec();
        Ok(Conv2d {
            out_channels: s[0],
            in_channels,
            kernel: (s[2], s[3]),
            stride: (stride, stride),
            padding: (padding, padding),
            groups,
            weight,
            bias,
        })
    }

    /// The checkpoint as safetensors bytes (F32 tensors), with the note of
    /// [`Checkpoint::set_note`] as the only metadata entry if one was set.
    ///
    /// # Errors
    ///
    /// [`Error::Table`] if the safetensors writer rejects a tensor.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let bytes: Vec<(String, Vec<u8>, Vec<usize>)> = self
            .tensors
            .iter()
            .map(|(n, t)| {
                (
                    n.clone(),
                    t.data.iter().flat_map(|v| v.to_le_bytes()).collect(),
                    t.shape.clone(),
                )
            })
            .collect();
        let views = bytes
            .iter()
            .map(|(n, b, s)| {
                safetensors::tensor::TensorView::new(Dtype::F32, s.clone(), b)
                    .map(|v| (n.clone(), v))
                    .map_err(|e| self.err(n, e.to_string()))
            })
            .collect::<Result<Vec<_>>>()?;
        let metadata = self
            .note
            .as_ref()
            .map(|n| HashMap::from([("arithsim".to_string(), n.clone())]));
        safetensors::serialize(views, metadata).map_err(|e| self.err("*", e.to_string()))
    }

    /// The checkpoint of a network's layers (`<layer>.weight`, `<layer>.bias`, F32).
    #[must_use]
    pub fn from_network(net: &Network) -> Checkpoint {
        let mut c = Checkpoint {
            source: net.name().into(),
            tensors: BTreeMap::new(),
            note: None,
        };
        for n in net.nodes() {
            let (wshape, w, b) = match &n.op {
                Op::Dense(d) => (vec![d.outputs, d.inputs], &d.weight, &d.bias),
                Op::Conv2d(k) => (
                    vec![
                        k.out_channels,
                        k.in_channels / k.groups,
                        k.kernel.0,
                        k.kernel.1,
                    ],
                    &k.weight,
                    &k.bias,
                ),
                _ => continue,
            };
            let bshape = vec![b.len()];
            c.insert(
                format!("{}.weight", n.name),
                Tensor {
                    shape: wshape,
                    data: w.clone(),
                },
            );
            c.insert(
                format!("{}.bias", n.name),
                Tensor {
                    shape: bshape,
                    data: b.clone(),
                },
            );
        }
        c
    }
}

/// An F16 pattern as f32 (exact).
fn widen(f: FloatFormat, bits: u16) -> f32 {
    f.bits_to_f64(u64::from(bits)) as f32
}

/// Side of the digits images (8 × 8, one channel).
pub const DIGITS_SIDE: usize = 8;

/// `digits_mlp`: flatten(1×8×8 → 64) → `fc1` → ReLU → `fc2` → ReLU → `fc3` (10 logits);
/// hidden sizes are read from the checkpoint.
///
/// # Errors
///
/// As [`Checkpoint::dense`], and [`Error::Shape`] if the layers do not chain.
pub fn digits_mlp(c: &Checkpoint) -> Result<Network> {
    let fc1 = c.dense("fc1", DIGITS_SIDE * DIGITS_SIDE)?;
    let fc2 = c.dense("fc2", fc1.outputs)?;
    let fc3 = c.dense("fc3", fc2.outputs)?;
    let ops = vec![
        ("flatten", Op::Flatten),
        ("fc1", Op::Dense(fc1)),
        ("relu1", Op::Relu),
        ("fc2", Op::Dense(fc2)),
        ("relu2", Op::Relu),
        ("fc3", Op::Dense(fc3)),
    ];
    chain("digits_mlp", ops)
}

/// `digits_cnn`: `conv1` 3×3 s1 p1 → ReLU → maxpool 2 → `conv2` 3×3 s1 p1 → ReLU → maxpool 2
/// → flatten (C, H, W) → `fc` (10 logits); channel counts are read from the checkpoint.
///
/// # Errors
///
/// As [`Checkpoint::conv2d`] and [`Checkpoint::dense`], and [`Error::Shape`] if the layers
/// do not chain.
pub fn digits_cnn(c: &Checkpoint) -> Result<Network> {
    let conv1 = c.conv2d("conv1", 1, 1, 1, 1)?;
    let conv2 = c.conv2d("conv2", conv1.out_channels, 1, 1, 1)?;
    let flat = conv2.out_channels * (DIGITS_SIDE / 4) * (DIGITS_SIDE / 4);
    let fc = c.dense("fc", flat)?;
    let ops = vec![
        ("conv1", Op::Conv2d(conv1)),
        ("relu1", Op::Relu),
        ("pool1", Op::MaxPool { size: 2, stride: 2 }),
        ("conv2", Op::Conv2d(conv2)),
        ("relu2", Op::Relu),
        ("pool2", Op::MaxPool { size: 2, stride: 2 }),
        ("flatten", Op::Flatten),
        ("fc", Op::Dense(fc)),
    ];
    chain("digits_cnn", ops)
}

fn chain(name: &str, ops: Vec<(&str, Op)>) -> Result<Network> {
    let nodes = ops
        .into_iter()
        .enumerate()
        .map(|(i, (n, op))| Node::chained(n, op, i))
        .collect();
    Network::new(name, vec![1, DIGITS_SIDE, DIGITS_SIDE], nodes)
}

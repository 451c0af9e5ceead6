//! The layer graph: named nodes over the network input and earlier nodes, with f32
//! parameters, whose shapes are checked once when the network is built.
//!
//! Values are `C × H × W` feature maps (NCHW without the batch: one image at a time) or flat
//! vectors. Node `i` reads value `input` (0 = the network input, `j + 1` = node `j`'s output)
//! and, for a residual add, a second value; a node may only read values before it, so the
//! graph is acyclic by construction.

use std::fmt;

use crate::datapath::Conv2dShape;
use crate::{Error, Result};

/// A fully connected layer: `y = W·x + b`, `W` `[outputs, inputs]` row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    /// Output features.
    pub outputs: usize,
    /// Input features.
    pub inputs: usize,
    /// `outputs × inputs` weights, row-major (PyTorch's `Linear.weight`).
    pub weight: Vec<f32>,
    /// `outputs` biases.
    pub bias: Vec<f32>,
}

/// A 2-D convolution, OIHW weights (`[out, in/groups, kh, kw]`, PyTorch's `Conv2d.weight`).
#[derive(Clone, Debug, PartialEq)]
pub struct Conv2d {
    /// Output channels.
    pub out_channels: usize,
    /// Input channels (all groups).
    pub in_channels: usize,
    /// Kernel height and width.
    pub kernel: (usize, usize),
    /// Vertical and horizontal stride.
    pub stride: (usize, usize),
    /// Zero padding rows and columns on each side.
    pub padding: (usize, usize),
    /// Channel groups (1: dense convolution; `in_channels`: depthwise).
    pub groups: usize,
    /// `out × in/groups × kh × kw` weights.
    pub weight: Vec<f32>,
    /// `out` biases.
    pub bias: Vec<f32>,
}

impl Conv2d {
    /// The datapath shape for one `height × width` image.
    ///
    /// # Errors
    ///
    /// As [`Conv2dShape::validate`].
    pub fn shape(&self, height: usize, width: usize) -> Result<Conv2dShape> {
        let s = Conv2dShape {
            batch: 1,
            in_channels: self.in_channels,
            in_height: height,
            in_width: width,
            out_channels: self.out_channels,
            kernel_height: self.kernel.0,
            kernel_width: self.kernel.1,
            stride: self.stride,
            padding: self.padding,
            dilation: (1, 1),
            groups: self.groups,
        };
        s.validate()?;
        Ok(s)
    }

    /// The reduction length of one output: `in/groups · kh · kw`.
    #[must_use]
    pub fn reduction_len(&self) -> usize {
        self.in_channels / self.groups.max(1) * self.kernel.0 * self.kernel.1
    }
}

/// What a node computes.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Fully connected layer on a flat vector.
    Dense(Dense),
    /// Convolution on a `C × H × W` map.
    Conv2d(Conv2d),
    /// `max(x, 0)` element by element.
    Relu,
    /// Max over `size × size` windows moved by `stride` (no padding; a partial window at the
    /// edge is dropped, as PyTorch's default `floor` mode).
    MaxPool {
        /// Window side.
        size: usize,
        /// Step.
        stride: usize,
    },
    /// Mean over `size × size` windows moved by `stride` (no padding).
    AvgPool {
        /// Window side.
        size: usize,
        /// Step.
        stride: usize,
    },
    /// `C × H × W` to a vector of `C·H·W`, in C, H, W order (PyTorch's `flatten`).
    Flatten,
    /// Residual add: this node's input plus value `other` (same shape).
    Add {
        /// The second operand (0 = network input, `j + 1` = node `j`).
        other: usize,
    },
}

impl Op {
    /// A short name for messages and reports ("dense", "conv2d", ...).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Op::Dense(_) => "dense",
            Op::Conv2d(_) => "conv2d",
            Op::Relu => "relu",
            Op::MaxPool { .. } => "maxpool",
            Op::AvgPool { .. } => "avgpool",
            Op::Flatten => "flatten",
            Op::Add { .. } => "add",
        }
    }
}

/// One named node of the graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Its name (the checkpoint prefix for layers with weights: `fc1`, `conv2`).
    pub name: String,
    /// What it computes.
    pub op: Op,
    /// The value it reads: 0 = the network input, `j + 1` = node `j`'s output.
    pub input: usize,
}

impl Node {
    /// A node reading the previous value (`index` is this node's position).
    #[must_use]
    pub fn chained(name: impl Into<String>, op: Op, index: usize) -> Node {
        Node {
            name: name.into(),
            op,
            input: index,
        }
    }
}

/// A checked network: nodes, and the shape of every value (input first).
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    name: String,
    nodes: Vec<Node>,
    shapes: Vec<Vec<usize>>,
}

impl Network {
    /// Builds and checks a network on inputs of `input_shape` (`[C, H, W]` or `[N]`). The
    /// last node's output must be a vector (the logits).
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] naming the first node whose input shape does not fit its operation,
    /// whose parameters have the wrong length, or which reads a value not before it; and for
    /// an empty network or an output that is not a vector.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::nn::{Dense, Network, Node, Op};
    ///
    /// let fc = Dense { outputs: 2, inputs: 3, weight: vec![0.0; 6], bias: vec![0.0; 2] };
    /// let net = Network::new("tiny", vec![3], vec![Node::chained("fc", Op::Dense(fc), 0)])?;
    /// assert_eq!(net.output_shape(), &[2]);
    ///
    /// let bad = Dense { outputs: 2, inputs: 4, weight: vec![0.0; 8], bias: vec![0.0; 2] };
    /// let e = Network::new("bad", vec![3], vec![Node::chained("fc", Op::Dense(bad), 0)]);
    /// assert!(e.unwrap_err().to_string().contains("layer fc"));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn new(name: impl Into<String>, input_shape: Vec<usize>, nodes: Vec<Node>) -> Result<Self> {
        let name = name.into();
        if nodes.is_empty() {
            return Err(Error::Shape(format!("network {name} has no layers")));
        }
        if input_shape.is_empty() || input_shape.len() > 3 || input_shape.contains(&0) {
            return Err(Error::Shape(format!(
                "network {name}: input shape {input_shape:?} must be [N] or [C, H, W] with no \
                 zero dimension"
            )));
        }
        let mut shapes = vec![input_shape];
        for (i, node) in nodes.iter().enumerate() {
            let s = node_shape(node, i, &shapes).map_err(|why| {
                Error::Shape(format!("layer {} ({}): {why}", node.name, node.op.kind()))
            })?;
            shapes.push(s);
        }
        let out = shapes.last().map_or(0, Vec::len);
        if out != 1 {
            return Err(Error::Shape(format!(
                "network {name}: the last layer {} gives shape {:?}, not a vector of logits",
                nodes[nodes.len() - 1].name,
                shapes[shapes.len() - 1]
            )));
        }
        Ok(Network {
            name,
            nodes,
            shapes,
        })
    }

    /// The network's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The nodes in order.
    #[must_use]
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The shape of value `v` (0 = input, `j + 1` = node `j`'s output).
    #[must_use]
    pub fn shape(&self, v: usize) -> &[usize] {
        &self.shapes[v]
    }

    /// The input shape.
    #[must_use]
    pub fn input_shape(&self) -> &[usize] {
        &self.shapes[0]
    }

    /// The input length (elements).
    #[must_use]
    pub fn input_len(&self) -> usize {
        self.shapes[0].iter().product()
    }

    /// The logits' shape (`[classes]`).
    #[must_use]
    pub fn output_shape(&self) -> &[usize] {
        &self.shapes[self.shapes.len() - 1]
    }

    /// Multiply-accumulates of one inference (dense and convolution layers).
    #[must_use]
    pub fn macs(&self) -> u64 {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| match &n.op {
                Op::Dense(d) => (d.outputs * d.inputs) as u64,
                Op::Conv2d(c) => {
                    let s = &self.shapes[i + 1];
                    (s[0] * s[1] * s[2] * c.reduction_len()) as u64
                }
                _ => 0,
            })
            .sum()
    }

    /// Weight elements (biases excluded).
    #[must_use]
    pub fn weight_count(&self) -> u64 {
        self.nodes
            .iter()
            .map(|n| match &n.op {
                Op::Dense(d) => d.weight.len() as u64,
                Op::Conv2d(c) => c.weight.len() as u64,
                _ => 0,
            })
            .sum()
    }

    /// The network with `f` applied to every weight tensor (`f(node name, rows, cols,
    /// weights)` with rows = output channels); biases unchanged. Used for weight-only
    /// compression (pruning, 4-bit formats) before a run.
    ///
    /// # Errors
    ///
    /// What `f` returns, and [`Error::Shape`] if it changes a tensor's length.
    pub fn map_weights(
        &self,
        mut f: impl FnMut(&str, usize, usize, &[f32]) -> Result<Vec<f32>>,
    ) -> Result<Network> {
        let mut out = self.clone();
        for n in &mut out.nodes {
            let (rows, w) = match &mut n.op {
                Op::Dense(d) => (d.outputs, &mut d.weight),
                Op::Conv2d(c) => (c.out_channels, &mut c.weight),
                _ => continue,
            };
            let cols = w.len() / rows;
            let new = f(&n.name, rows, cols, w)?;
            if new.len() != w.len() {
                return Err(Error::Shape(format!(
                    "layer {}: weight transform gave {} values for {}",
                    n.name,
                    new.len(),
                    w.len()
                )));
            }
            *w = new;
        }
        Ok(out)
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.name, self.shapes[0])?;
        for (i, n) in self.nodes.iter().enumerate() {
            write!(f, " → {} {:?}", n.name, self.shapes[i + 1])?;
        }
        Ok(())
    }
}

fn check_len(what: &str, got: usize, want: usize) -> std::result::Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what} has {got} values, expected {want}"))
    }
}

/// The output shape of node `i`, or why its input does not fit.
fn node_shape(
    node: &Node,
    i: usize,
    shapes: &[Vec<usize>],
) -> std::result::Result<Vec<usize>, String> {
    let read = |v: usize| -> std::result::Result<&Vec<usize>, String> {
        if v > i {
            Err(format!(
                "reads value {v}, which is not computed before it (values 0..={i})"
            ))
        } else {
            Ok(&shapes[v])
        }
    };
    let x = read(node.input)?;
    let map = |x: &Vec<usize>| -> std::result::Result<(usize, usize, usize), String> {
        match x[..] {
            [c, h, w] => Ok((c, h, w)),
            _ => Err(format!("needs a C x H x W input, got {x:?}")),
        }
    };
    match &node.op {
        Op::Dense(d) => {
            if x.len() != 1 {
                return Err(format!("needs a vector input (flatten first), got {x:?}"));
            }
            if d.inputs != x[0] || d.inputs == 0 || d.outputs == 0 {
                return Err(format!(
                    "weight [{}, {}] does not take an input of {}",
                    d.outputs, d.inputs, x[0]
                ));
            }
            check_len("weight", d.weight.len(), d.outputs * d.inputs)?;
            check_len("bias", d.bias.len(), d.outputs)?;
            Ok(vec![d.outputs])
        }
        Op::Conv2d(c) => {
            let (ch, h, w) = map(x)?;
            if c.in_channels != ch {
                return Err(format!(
                    "expects {} input channels, got {ch} (input {x:?})",
                    c.in_channels
                ));
            }
            let s = c.shape(h, w).map_err(|e| e.to_string())?;
            check_len("weight", c.weight.len(), s.weight_len())?;
            check_len("bias", c.bias.len(), c.out_channels)?;
            let (oh, ow) = s.output_hw();
            Ok(vec![c.out_channels, oh, ow])
        }
        Op::Relu => Ok(x.clone()),
        Op::MaxPool { size, stride } | Op::AvgPool { size, stride } => {
            let (ch, h, w) = map(x)?;
            if *size == 0 || *stride == 0 || *size > h || *size > w {
                return Err(format!(
                    "window {size} stride {stride} does not fit a {h} x {w} map"
                ));
            }
            Ok(vec![ch, (h - size) / stride + 1, (w - size) / stride + 1])
        }
        Op::Flatten => Ok(vec![x.iter().product()]),
        Op::Add { other } => {
            let y = read(*other)?;
            if x != y {
                return Err(format!("adds shapes {x:?} and {y:?}"));
            }
            Ok(x.clone())
        }
    }
}

/// The index of the largest logit (the first one on ties; NaN never wins).
///
/// # Examples
///
/// ```
/// assert_eq!(arithsim::nn::argmax(&[0.5, 2.0, 2.0, -1.0]), 1);
/// ```
#[must_use]
pub fn argmax(logits: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in logits.iter().enumerate() {
        if v > logits[best] || (logits[best].is_nan() && !v.is_nan()) {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(out: usize, inp: usize, groups: usize) -> Conv2d {
        Conv2d {
            out_channels: out,
            in_channels: inp,
            kernel: (3, 3),
            stride: (1, 1),
            padding: (1, 1),
            groups,
            weight: vec![0.0; out * inp / groups * 9],
            bias: vec![0.0; out],
        }
    }

    #[test]
    fn shapes_chain_and_errors_name_the_layer() {
        let nodes = vec![
            Node::chained("c1", Op::Conv2d(conv(4, 2, 2)), 0),
            Node::chained("r", Op::Relu, 1),
            Node {
                name: "skip".into(),
                op: Op::Add { other: 1 },
                input: 2,
            },
            Node::chained("p", Op::AvgPool { size: 2, stride: 2 }, 3),
            Node::chained("f", Op::Flatten, 4),
        ];
        let mut with_fc = nodes.clone();
        with_fc.push(Node::chained(
            "fc",
            Op::Dense(Dense {
                outputs: 3,
                inputs: 64,
                weight: vec![0.0; 192],
                bias: vec![0.0; 3],
            }),
            5,
        ));
        let net = Network::new("n", vec![2, 8, 8], with_fc).unwrap();
        assert_eq!(net.shape(4), &[4, 4, 4]);
        assert_eq!(net.macs(), 4 * 64 * 9 + 192);
        // Output is not a vector.
        let e = Network::new("n", vec![2, 8, 8], nodes[..4].to_vec()).unwrap_err();
        assert!(e.to_string().contains("not a vector"), "{e}");
        // Wrong channel count names the conv.
        let e = Network::new("n", vec![3, 8, 8], nodes.clone()).unwrap_err();
        assert!(e.to_string().contains("layer c1 (conv2d)"), "{e}");
        // A forward reference names the add.
        let mut fwd = nodes;
        fwd[2].op = Op::Add { other: 9 };
        let e = Network::new("n", vec![2, 8, 8], fwd).unwrap_err();
        assert!(e.to_string().contains("layer skip (add)"), "{e}");
        assert!(Network::new("n", vec![2, 8, 8], vec![]).is_err());
    }

    #[test]
    fn argmax_takes_the_first_maximum_and_skips_nan() {
        assert_eq!(argmax(&[f64::NAN, 1.0, 3.0, 3.0]), 2);
        assert_eq!(argmax(&[1.0]), 0);
    }
}

//! MAC-array accelerator models (Tesla FSD NPU preset): mapping, cycles, TOPS, energy.
//!
//! A [`MacArray`] describes the hardware (size, arithmetic, clock, SRAM and its ports, DRAM
//! bandwidth, [`Dataflow`]); [`fsd_npu`] is the Tesla FSD NPU. Workloads are shapes only
//! (the datapath's [`GemmShape`](crate::datapath::GemmShape) and
//! [`Conv2dShape`](crate::datapath::Conv2dShape), [`Network`] with ResNet-50 v1.5 / v1 and LeNet-5 built
//! in). [`Transformer`] describes decoder-only and encoder-only transformer stacks with exact
//! parameter counts (LLaMA presets). [`map_layer`] / [`map_network`] give cycles, utilization, traffic and a
//! [`Tally`](crate::cost::Tally) of operations, which pricing turns into energy.
//! [`Dataflow`] has arithsim's broadcast output-stationary model (FSD) and the systolic
//! output-, weight- and input-stationary dataflows with SCALE-Sim 3.0's cycle model
//! ([`scalesim_layer`] gives SCALE-Sim's own per-layer figures); [`map_layer_stalls`] adds
//! the stalls of given SRAM and DRAM bandwidths and says which layers are memory bound.
//!
//! # Examples
//!
//! ```
//! use arithsim::accel::{fsd_npu, map_network, Network};
//!
//! let npu = fsd_npu();
//! let resnet = Network::resnet50_v1_5(1)?;
//! let m = map_network(&npu, &resnet)?;
//! println!("{:.0} frames/s at {:.0}% utilization", m.inferences_per_s(),
//!          100.0 * m.utilization());
//! # Ok::<(), arithsim::Error>(())
//! ```

mod array;
mod array_builder;
mod decode;
mod distill;
mod elementwise;
mod energy;
mod finetune;
mod mapping;
mod model_memory;
mod sparse;
mod stalls;
mod systolic;
mod transformer;
mod transformer_workload;
mod workload;

pub use array::{Dataflow, LPDDR4_4266_X128_BYTES_PER_S, MacArithmetic, MacArray, fsd_npu};
pub use array_builder::MacArrayBuilder;
pub use decode::{DecodeCost, DecodeParams};
pub use distill::{Distillation, ModelCost, price_distillation, price_model};
pub use elementwise::ElementwiseOp;
pub use energy::EnergyBreakdown;
pub use finetune::{ActivationModel, FinetuneMemory, LoraConfig};
pub use mapping::{Bound, LayerMapping, NetworkMapping, map_gemm, map_layer, map_network};
pub use model_memory::{GB, WeightMemory};
pub use sparse::{
    LoadBalance, SparseLayerMapping, SparseMode, SparseNetworkMapping, map_layer_sparse,
    map_network_sparse,
};
pub use stalls::{Bandwidth, StallMapping, map_layer_stalls, map_network_stalls};
pub use systolic::{ScaleSimCounts, scalesim_layer, scalesim_network};
pub use transformer::{
    FfnKind, LinearWeight, NormKind, ParamCounts, PositionKind, StackKind, Transformer,
    TransformerSpec,
};
pub use transformer_workload::PublishedDistillation;
pub use workload::{Layer, LayerKind, Network};

//! MAC-array accelerator models (Tesla FSD NPU preset): mapping, cycles, TOPS, energy.
//!
//! A [`MacArray`] describes the hardware (size, arithmetic, clock, SRAM and its ports, DRAM
//! bandwidth, [`Dataflow`]); [`fsd_npu`] is the Tesla FSD NPU. Workloads are shapes only
//! (the datapath's [`GemmShape`](crate::datapath::GemmShape) and
//! [`Conv2dShape`](crate::datapath::Conv2dShape), [`Network`] with ResNet-50 v1.5 / v1 and LeNet-5 built
//! in). [`Transformer`] describes decoder-only and encoder-only transformer stacks with exact
//! parameter counts (LLaMA presets). [`map_layer`] / [`map_network`] give cycles, utilization, traffic and a
//! [`Tally`](crate::cost::Tally) of operations, which pricing turns into energy.
//!
//! # Examples
//!
//! ```
//! use arithsim::accel::{fsd_npu, map_network, Network};
//!
//! let npu = fsd_npu();
//! let resnet = Network::resnet50_v1_5(1)?;
//! let m = map_network(&npu, &resnet)?;
//! println!("{:.0} frames/s at {:.0}% utilization", m.inferences_per_s(&npu),
//!          100.0 * m.utilization(&npu));
//! # Ok::<(), arithsim::Error>(())
//! ```

mod array;
mod decode;
mod distill;
mod elementwise;
mod energy;
mod finetune;
mod mapping;
mod model_memory;
mod sparse;
mod transformer;
mod transformer_workload;
mod workload;

pub use array::{Dataflow, LPDDR4_4266_X128_BYTES_PER_S, MacArithmetic, MacArray, fsd_npu};
pub use decode::DecodeCost;
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
pub use transformer::{
    FfnKind, LinearWeight, NormKind, ParamCounts, PositionKind, StackKind, Transformer,
    TransformerSpec,
};
pub use transformer_workload::PublishedDistillation;
pub use workload::{Layer, LayerKind, Network};

#!/usr/bin/env python3
"""Reference per-layer figures from SCALE-Sim 3.0 for arithsim's systolic dataflows.

Drives SCALE-Sim from Python, one layer at a time, with traces off (its command line writes
per-cycle traces of gigabytes for ResNet-50), and prints one CSV row per layer and dataflow:
its compute cycles, stall cycles, SRAM reads/writes per operand and DRAM counts.

Pinned configuration (written to a temporary .cfg and read by SCALE-Sim's own parser):
  ArrayHeight = ArrayWidth = 96 (or --rows/--cols), InterfaceBandwidth = CALC (no stalls:
  its "Total Cycles" are compute cycles), IfmapCustomLayout/FilterCustomLayout = False,
  SparsitySupport = false, UseRamulatorTrace = False, ifmap/filter/ofmap SRAM 6144/6144/2048 kB
  (stated; in CALC mode the sizes do not change the cycles or the SRAM counts).

Environment (what made tests/data/scalesim_*.csv):
  python3 -m venv /work/venv-scalesim
  /work/venv-scalesim/bin/pip install scalesim==3.0.0 'numpy<2.4'
  # scalesim 3.0.0 calls int() on a one-element array, which NumPy 2.4 rejects.

Usage:
  scalesim_reference.py TOPOLOGY.csv [--gemm] [--dataflows os,ws,is] [--rows 96] [--cols 96]
"""

import argparse
import contextlib
import io
import os
import sys
import tempfile

from scalesim.scale_config import scale_config
from scalesim.topology_utils import topologies
from scalesim.layout_utils import layouts
from scalesim.single_layer_sim import single_layer_sim

CONFIG = """[general]
run_name = arithsim_reference

[architecture_presets]
ArrayHeight = {rows}
ArrayWidth = {cols}
IfmapSramSzkB = 6144
FilterSramSzkB = 6144
OfmapSramSzkB = 2048
IfmapOffset = 0
FilterOffset = 10000000
OfmapOffset = 20000000
Dataflow = {df}
Bandwidth = 10
ReadRequestBuffer = 32
WriteRequestBuffer = 32

[layout]
IfmapCustomLayout = False
IfmapSRAMBankBandwidth = 10
IfmapSRAMBankNum = 10
IfmapSRAMBankPort = 2
FilterCustomLayout = False
FilterSRAMBankBandwidth = 10
FilterSRAMBankNum = 10
FilterSRAMBankPort = 2

[sparsity]
SparsitySupport = false
SparseRep = ellpack_block
OptimizedMapping = false
BlockSize = 8
RandomNumberGeneratorSeed = 40

[run_presets]
InterfaceBandwidth = CALC
UseRamulatorTrace = False
"""

COLUMNS = [
    "layer", "dataflow", "sr", "sc", "t", "compute_cycles", "stall_cycles", "overall_cycles",
    "ifmap_sram_reads", "filter_sram_reads", "ofmap_sram_writes",
    "ifmap_dram_reads", "filter_dram_reads", "ofmap_dram_writes",
]


def run(topology, gemm, df, rows, cols):
    with tempfile.TemporaryDirectory() as tmp:
        cfg_path = os.path.join(tmp, "scalesim.cfg")
        with open(cfg_path, "w") as f:
            f.write(CONFIG.format(rows=rows, cols=cols, df=df))
        config = scale_config()
        config.read_conf_file(cfg_path)
        topo = topologies()
        topo.load_arrays(topofile=topology, mnk_inputs=gemm)
        topo.topo_calc_hyperparams(topology)
        for layer_id in range(topo.get_num_layers()):
            sim = single_layer_sim()
            # SCALE-Sim prints progress on stdout; keep ours a clean CSV.
            with contextlib.redirect_stdout(io.StringIO()):
                sim.set_params(layer_id=layer_id, config_obj=config, topology_obj=topo,
                               layout_obj=layouts(), verbose=False)
                sim.run()
                overall, total, stall, *_ = sim.get_compute_report_items()
                d = sim.get_detail_report_items()
            sr, sc, t = topo.get_spatiotemporal_dims(layer_id=layer_id, df=df)
            yield [topo.get_layer_name(layer_id), df, sr, sc, t, total, stall, overall,
                   d[2], d[5], d[8], d[11], d[14], d[17]]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("topology")
    p.add_argument("--gemm", action="store_true", help="topology is SCALE-Sim's M,N,K format")
    p.add_argument("--dataflows", default="os,ws,is")
    p.add_argument("--rows", type=int, default=96)
    p.add_argument("--cols", type=int, default=96)
    a = p.parse_args()
    print("# " + " ".join(["scripts/scalesim_reference.py"] + sys.argv[1:]))
    print(",".join(COLUMNS))
    for df in a.dataflows.split(","):
        for row in run(a.topology, a.gemm, df, a.rows, a.cols):
            print(",".join(str(int(x)) if not isinstance(x, str) else x for x in row),
                  flush=True)


if __name__ == "__main__":
    main()

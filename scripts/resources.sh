#!/usr/bin/env bash
# make resources: Yosys estimates of ONE quantizer lane (rtl/quant/lp_quant_lane.sv) per
# datapath width on AMD/Xilinx UltraScale+ (synth_xilinx -family xcup, flattened, no I/O
# buffers): the fixed-format builds (lp_quant_lane_fmt, the format's parameters folded in
# as constants) for every preset, and the run-time-configurable lane (every format field a
# register input). Columns: LUT (LUT1..6), FF, CARRY (CARRY4/8), DSP, and the logic depth:
# the most LUT + CARRY cells on one register-to-register path (inputs and outputs count as
# registers). Yosys estimates, not Vivado results: no placement, no timing.
# Usage: scripts/resources.sh BUILD_DIR PARAMS_TOOL   (make resources passes both)
# Writes BUILD_DIR/resources/quant.csv and quant.md.
set -euo pipefail
build=${1:-build}
params=${2:-$build/resources/lp_fmt_params}
out=$build/resources
mkdir -p "$out"
if ! command -v yosys >/dev/null 2>&1; then
  echo "resources: yosys is not installed (scripts/deps.sh test installs it)" >&2
  exit 2
fi
src="rtl/quant/lp_quant_lane.sv rtl/quant/lp_msb.sv rtl/quant/lp_f32_pack.sv"
formats="fp32 bf16 fp16 fp8_e5m2 fp8_e4m3 fp6_e3m2 fp6_e2m3 fp4_e2m1 configurable"

synth() { # name
  local f=$1 top chp=""
  if [ "$f" = configurable ]; then
    top=lp_quant_lane
  else
    top=lp_quant_lane_fmt
    chp="$("$params" "$f");"
  fi
  yosys -q -l "$out/$f.log" -p "read_verilog -sv rtl/quant/lp_quant_lane_fmt.sv $src; $chp
    synth_xilinx -family xcup -flatten -noiopad -top $top; tee -q -o $out/$f.stat stat;
    write_json $out/$f.json" >/dev/null
}

# the longest register-to-register path in LUT + CARRY cells, from the netlist
depth() { # json
  python3 - "$1" <<'PY'
import json, sys, functools
sys.setrecursionlimit(100000)
d = json.load(open(sys.argv[1]))
mod = next(iter(m for m in d["modules"].values() if m.get("attributes", {}).get("top")), None)
if mod is None:
    mod = list(d["modules"].values())[0]
drivers = {}   # bit -> cell name (combinational cells only)
inputs = {}    # cell -> input bits
for name, c in mod["cells"].items():
    t = c["type"]
    comb = t.startswith("LUT") or t.startswith("CARRY") or t.startswith("MUXF")
    if not comb:
        continue
    ins, outs = [], []
    for port, bits in c["connections"].items():
        dirn = c.get("port_directions", {}).get(port, "input")
        (outs if dirn == "output" else ins).extend(b for b in bits if isinstance(b, int))
    inputs[name] = ins
    for b in outs:
        drivers[b] = name
@functools.lru_cache(maxsize=None)
def level(cell):
    best = 0
    for b in inputs[cell]:
        src = drivers.get(b)
        if src is not None and src != cell:
            best = max(best, level(src))
    return best + 1
print(max((level(c) for c in inputs), default=0))
PY
}

count() { # stat-file regex
  awk -v re="$2" '$1 ~ re { s += $2 } END { print s + 0 }' "$1"
}

echo "format,lut,ff,carry,dsp,depth" > "$out/quant.csv"
for f in $formats; do
  [ -t 2 ] && printf 'resources: %s ...\r' "$f" >&2
  synth "$f"
  st=$out/$f.stat
  lut=$(count "$st" '^LUT[1-6]$')
  ff=$(count "$st" '^FD[A-Z]*$')
  carry=$(count "$st" '^CARRY[48]$')
  dsp=$(count "$st" '^DSP')
  dep=$(depth "$out/$f.json")
  echo "$f,$lut,$ff,$carry,$dsp,$dep" >> "$out/quant.csv"
done
[ -t 2 ] && printf '%40s\r' '' >&2
{
  echo "One quantizer lane, Yosys $(yosys -V | awk '{print $2}') synth_xilinx -family xcup (estimates, not Vivado):"
  echo
  echo "| format | LUT | FF | CARRY | DSP | logic depth |"
  echo "|---|---:|---:|---:|---:|---:|"
  tail -n +2 "$out/quant.csv" | awk -F, '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
} > "$out/quant.md"
cat "$out/quant.md"
echo "resources: wrote $out/quant.csv and $out/quant.md"

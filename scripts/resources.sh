#!/usr/bin/env bash
# make resources: Yosys estimates of ONE quantizer lane (rtl/quant/lp_quant_lane.sv) per
# datapath width on AMD/Xilinx UltraScale+ (synth_xilinx -family xcup, flattened, no I/O
# buffers): the fixed-format builds (lp_quant_lane_fmt, the format's parameters folded in
# as constants) for every preset, and the run-time-configurable lane (every format field a
# register input). Columns: LUT (LUT1..6), FF, CARRY (CARRY4/8), DSP, and the logic depth:
# the most LUT + CARRY cells on one register-to-register path (inputs and outputs count as
# registers). Yosys estimates, not Vivado results: no placement, no timing.
#
# Then the whole SGD kernel: the step engine (rtl/sgd/lp_sgd_step.sv) and, when it exists,
# the Vitis kernel top (rtl/kernel/lp_sgd.sv), synthesized HIERARCHICALLY (no -flatten:
# each module is synthesized once per parameter set, so the 16 identical lanes and the
# ~300 FP32 units cost one synthesis each; `stat -top` multiplies by the instance counts).
# Per format: the kernel with the run-time-configurable quantizer lanes, and for each
# preset the same kernel with its lanes replaced by the fixed-format lane of the table
# above (kernel + lanes x (fixed lane - configurable lane), both lanes from the same flow);
# the grid, scale and register logic stay configurable. Columns: LUT (LUT1..6), LUTRAM
# (distributed RAM and SRL cells, LUTs used as memory), FF, CARRY, DSP, BRAM (RAMB36E2 +
# RAMB18E2 / 2, in 36 Kb blocks), URAM (URAM288), and the synthesis time.
# Usage: scripts/resources.sh BUILD_DIR PARAMS_TOOL [all|lanes|kernel|top]
#        scripts/resources.sh BUILD_DIR - netlist TOP FILE [Param=value,...]  (make timing)
#   (make resources passes the first two; `make resources LP_RES=kernel` the third;
#   `make resources-top` runs `top`: the kernel top alone, see top() below; the
#   parameter tool is not needed there)
# Writes BUILD_DIR/resources/quant.{csv,md} (lanes), kernel.{csv,md} (kernel) and
# top.{csv,md} (top). Every Yosys run is niced (LP_NICE, default 10).
set -euo pipefail
build=${1:-build}
params=${2:-$build/resources/lp_fmt_params}
what=${3:-all}
out=$build/resources
mkdir -p "$out"
if ! command -v yosys >/dev/null 2>&1; then
  echo "resources: yosys is not installed (scripts/deps.sh test installs it)" >&2
  exit 2
fi
case $what in
  all|lanes|kernel|top|netlist) ;;
  *) echo "resources: unknown part '$what' (all, lanes, kernel, top or netlist)" >&2; exit 2 ;;
esac
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
  nice -n "${LP_NICE:-10}" yosys -q -l "$out/$f.log" -p "read_verilog -sv rtl/quant/lp_quant_lane_fmt.sv $src; $chp
    synth_xilinx -family xcup -flatten -noiopad -top $top; tee -q -o $out/$f.stat stat;
    write_json $out/$f.json" >/dev/null
}

# the longest register-to-register path in LUT + CARRY (+ MUXF) cells, from the netlist
# (scripts/lp_depth.py, the walk `make timing` uses too)
depth() { # json
  python3 scripts/lp_depth.py "$1"
}

# a CSV file (header line skipped) as a markdown table under a title line
md_table() { # csv title "col | col ..." "---|---: ..."
  echo "$2"
  echo
  echo "| $3 |"
  echo "|$4|"
  tail -n +2 "$1" | awk -F, '{ s = "|"; for (i = 1; i <= NF; i++) s = s " " $i " |"; print s }'
}

count() { # stat-file regex
  awk -v re="$2" '$1 ~ re { s += $2 } END { print s + 0 }' "$1"
}

lanes() {
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
md_table "$out/quant.csv" \
  "One quantizer lane, Yosys $(yosys -V | awk '{print $2}') synth_xilinx -family xcup (estimates, not Vivado):" \
  "format | LUT | FF | CARRY | DSP | logic depth" "---|---:|---:|---:|---:|---:" > "$out/quant.md"
cat "$out/quant.md"
echo "resources: wrote $out/quant.csv and $out/quant.md"
}

# ---------------------------------------------------------------- the whole kernel
libdirs=$(for d in rtl/*/; do printf ' -libdir %s' "${d%/}"; done)

# the design-hierarchy totals of a `stat -top` file: cell counts summed over instances
ktotal() { # stat-file regex
  awk -v re="$2" '/=== design hierarchy ===/ { h = 1; next } h && NF == 2 && $1 ~ re { s += $2 } END { print s + 0 }' "$1"
}

# a file-name tag for a top and its parameters: lp_sgd, lp_sgd_Classes1
tag() { # top [Param=value,...]
  printf '%s%s' "$1" "${2:+_$(printf '%s' "$2" | tr -d '=' | tr ',' '_')}"
}

# one synthesis per top, parameters and RTL content: the stat is reused while every
# rtl/*/*.sv is byte-identical to the run that wrote it (kernel_<tag>.key: their hash, then
# the seconds); the mapped hierarchical netlist goes to kernel_<tag>.json (make timing's
# slow part walks it: scripts/timing.sh)
kernel_synth() { # top file [Param=value,...] -> seconds; writes $out/kernel_<tag>.{log,stat,json,key}
  local top=$1 file=$2 params=${3:-} t0 t1 key n chp="" p
  n=$(tag "$top" "$params")
  # one chparam for all parameters (each chparam elaborates the module with the others' defaults)
  for p in $(printf '%s' "$params" | tr ',' ' '); do chp="$chp -set ${p%%=*} ${p#*=}"; done
  [ -n "$chp" ] && chp=" chparam$chp $top;"
  if [ -n "$params" ]; then key=$( (cat rtl/*/*.sv; echo "$params") | sha256sum | cut -c1-16)
  else key=$(cat rtl/*/*.sv | sha256sum | cut -c1-16); fi
  if [ -f "$out/kernel_$n.stat" ] && [ -f "$out/kernel_$n.json" ] &&
     [ "$(head -n 1 "$out/kernel_$n.key" 2>/dev/null)" = "$key" ]; then
    tail -n 1 "$out/kernel_$n.key"
    return 0
  fi
  rm -f "$out/kernel_$n.key"
  t0=$(date +%s)
  # (rename -top: when hierarchy re-derives a top whose parameters chparam set - it does for
  # lp_sgd_step - Yosys 0.23 leaves the top under its $paramod name, and synth_xilinx -top
  # would not find it)
  if ! nice -n "${LP_NICE:-10}" yosys -q -l "$out/kernel_$n.log" -p "read_verilog -sv $file;$chp hierarchy -top $top $libdirs;
      rename -top $top; synth_xilinx -family xcup -noiopad -top $top; tee -q -o $out/kernel_$n.stat stat -top $top;
      write_json $out/kernel_$n.json" \
      >/dev/null 2>"$out/kernel_$n.err"; then
    grep -m 3 ERROR "$out/kernel_$n.err" >&2 || true
    echo "resources: yosys failed on $top${params:+ ($params)} (log: $out/kernel_$n.log)" >&2
    return 1
  fi
  t1=$(date +%s)
  printf '%s\n%s\n' "$key" $((t1 - t0)) > "$out/kernel_$n.key"
  echo $((t1 - t0))
}

# the rows of one kernel top in kernel.csv's columns (no header): the configurable build,
# then one per preset when the lanes' table exists (required unless $3 = optional)
kernel_rows() { # top file [optional] [Param=value,...]
  local top=$1 file=$2 need=${3:-required} params=${4:-} name secs st lanes_n lut lram ff carry dsp b36 b18 uram
  name=$top${params:+:$params}
  secs=$(kernel_synth "$top" "$file" "$params") || exit 1
  st=$out/kernel_$(tag "$top" "$params").stat
  lut=$(ktotal "$st" '^LUT[1-6]$')
  lram=$(ktotal "$st" '^(RAM(32|64|128|256|512)[A-Z0-9]*|SRL16E|SRLC32E)$')
  ff=$(ktotal "$st" '^FD[A-Z]*$')
  carry=$(ktotal "$st" '^CARRY[48]$')
  dsp=$(ktotal "$st" '^DSP')
  b36=$(ktotal "$st" '^RAMB36')
  b18=$(ktotal "$st" '^RAMB18')
  uram=$(ktotal "$st" '^URAM')
  # the quantizer lanes in the design (instances of lp_quant_lane under the top)
  lanes_n=$(awk '/=== design hierarchy ===/ { h = 1; next } h && /Number of wires/ { exit }
                 h && NF == 2 && $1 ~ /\\lp_quant_lane(\\|$)/ { print $2; exit }' "$st")
  lanes_n=${lanes_n:-0}
  local lanes_csv=$out/quant.csv
  if [ ! -f "$lanes_csv" ]; then
    [ "$need" = optional ] || { echo "resources: the lanes' table is missing (run make resources first)" >&2; exit 2; }
    lanes_csv=/dev/null
  fi
  awk -F, -v top="$name" -v n="$lanes_n" -v lut="$lut" -v lram="$lram" -v ff="$ff" -v carry="$carry" \
      -v dsp="$dsp" -v b36="$b36" -v b18="$b18" -v uram="$uram" -v secs="$secs" '
    NR == 1 { next }
    { f[NR] = $1; l[NR] = $2; r[NR] = $3; c[NR] = $4; if ($1 == "configurable") cfg = NR }
    END {
      bram = b36 + b18 / 2
      printf "%s,configurable,%d,%d,%d,%d,%d,%g,%d,%d\n", top, lut, lram, ff, carry, dsp, bram, uram, secs
      if (cfg) for (i = 2; i <= NR; i++) if (i != cfg)
        printf "%s,%s,%d,%d,%d,%d,%d,%g,%d,%d\n", top, f[i], lut + n * (l[i] - l[cfg]), lram,
               ff + n * (r[i] - r[cfg]), carry + n * (c[i] - c[cfg]), dsp, bram, uram, secs
    }' "$lanes_csv"
}

kernel() {
  local tops="lp_sgd_step:rtl/sgd/lp_sgd_step.sv" top file
  [ -f rtl/kernel/lp_sgd.sv ] && tops="$tops lp_sgd:rtl/kernel/lp_sgd.sv"
  echo "top,format,lut,lutram,ff,carry,dsp,bram36,uram,seconds" > "$out/kernel.csv"
  for t in $tops; do
    top=${t%%:*}; file=${t#*:}
    [ -t 2 ] && printf 'resources: %s (hierarchical synthesis, minutes) ...\r' "$top" >&2
    kernel_rows "$top" "$file" >> "$out/kernel.csv"
  done
  [ -t 2 ] && printf '%60s\r' '' >&2
  md_table "$out/kernel.csv" \
    "The whole SGD kernel, Yosys $(yosys -V | awk '{print $2}') synth_xilinx -family xcup, hierarchical (estimates, not Vivado):" \
    "top | format | LUT | LUTRAM | FF | CARRY | DSP | BRAM36 | URAM | synthesis (s)" \
    "---|---|---:|---:|---:|---:|---:|---:|---:|---:" > "$out/kernel.md"
  cat "$out/kernel.md"
  echo "resources: wrote $out/kernel.csv and $out/kernel.md"
}

# make resources-top: only the run-time-configurable Vitis kernel top (rtl/kernel/lp_sgd.sv,
# the same hierarchical synthesis as the kernel part, cached the same way), default
# parameters, then each LP_TOP_VARIANTS entry (Param=value[,...], e.g. Classes=1);
# top.csv: module, format, lut, ff, dsp, bram36, uram (+ the preset rows when the lanes'
# table of an earlier `make resources` exists), and top.md with the synthesis seconds.
top() {
  local rows=$out/top.rows v
  : > "$rows"
  for v in "" $LP_TOP_VARIANTS; do
    [ -t 2 ] && printf 'resources: lp_sgd%s (hierarchical synthesis, minutes) ...\r' "${v:+:$v}" >&2
    kernel_rows lp_sgd rtl/kernel/lp_sgd.sv optional "$v" >> "$rows"
  done
  [ -t 2 ] && printf '%60s\r' '' >&2
  { echo "module,format,lut,ff,dsp,bram36,uram"; cut -d, -f1,2,3,5,7,8,9 "$rows"; } > "$out/top.csv"
  { echo "module,format,lut,lutram,ff,carry,dsp,bram36,uram,seconds"; cat "$rows"; } > "$out/top.all.csv"
  md_table "$out/top.all.csv" \
    "The Vitis kernel top, Yosys $(yosys -V | awk '{print $2}') synth_xilinx -family xcup, hierarchical (estimates, not Vivado):" \
    "module | format | LUT | LUTRAM | FF | CARRY | DSP | BRAM36 | URAM | synthesis (s)" \
    "---|---|---:|---:|---:|---:|---:|---:|---:|---:" > "$out/top.md"
  rm -f "$rows"
  cat "$out/top.md"
  echo "resources: wrote $out/top.csv and $out/top.md"
}

case $what in
  all) lanes; kernel ;;
  lanes) lanes ;;
  kernel) kernel ;;
  top) top ;;
  # scripts/timing.sh: the hierarchical netlist of one top (synthesized or reused), its
  # path on stdout, the synthesis seconds on stderr's last line
  netlist) secs=$(kernel_synth "$4" "$5" "${6:-}") || exit 1
           echo "$out/kernel_$(tag "$4" "${6:-}").json"; echo "$secs" >&2 ;;
esac

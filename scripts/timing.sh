#!/usr/bin/env bash
# make timing: logic depth as the timing proxy (no Vivado here). For every entry - an RTL
# module as the top with its default parameters, or a parameter variant - Yosys
# `synth_xilinx -family xcup -flatten -noiopad`, then scripts/lp_depth.py walks the mapped
# netlist (write_json) for the longest register-to-register path in logic levels: LUT1..6
# and MUXF7/8 (lut_levels) plus CARRY4/8 (carry_levels); ports count as registers, and so
# do DSP48E2, block RAM and SRL cells. It names the cell types along the worst path and
# its start and end registers. Yosys estimates, not Vivado: no placement, no routing delay,
# Vivado's own mapping and retiming differ.
#
# The slow modules (LP_TIMING_SLOW: the kernel top and the big engines, whose flattened
# synthesis would take hours) are synthesized HIERARCHICALLY instead - the kernel part of
# scripts/resources.sh, the same run and netlist `make resources-top` uses - and
# lp_depth.py expands every instance of the mapped netlist as it walks, so the paths cross
# module boundaries as in a flattened netlist; only Yosys' optimisation across boundaries
# (constants, sharing) is missing, which can only lengthen a path.
#
# Usage: scripts/timing.sh BUILD_DIR [ENTRY...]   (writes BUILD_DIR/timing/)
#   ENTRY: <module>[:<Param>=<value>,...] (the module is rtl/*/<module>.sv) or
#          <file.sv>[:<Param>=<value>,...] (the module is the file's base name)
#   Without entries: $LP_TIMING_ENTRIES (make timing passes every rtl/*/*.sv module, then
#   the variants of rtl/*/lint.mk, then the kernel top's part).
# Environment:
#   LP_TIMING           comma-separated selection of: module names (all of a module's
#                       entries), exact entries, `default` (every entry but the slow ones;
#                       what an empty LP_TIMING means), `modules` (the default-parameter
#                       entries but the slow ones), `slow` (the slow ones), `all`; e.g.
#                       LP_TIMING=default,lp_sgd adds the kernel top to the default run
#   LP_TIMING_SLOW      modules (all their entries) or entries left out by default: their
#                       flattened synthesis takes long
#   LP_TIMING_NOCHECK   entries reported but not held to the budget (the lint variants that
#                       are combinational by construction: Latency=0)
#   LP_TIMING_BUDGET    the level budget (default 8: 300 MHz on an UltraScale+ -2 part)
#   LP_TIMING_TIMEOUT   seconds per flattened synthesis (default 900; 0 = no limit); one
#                       that runs out is a "timeout" row and fails the check
#   LP_NICE             the nice level of the Yosys runs (default 10)
# A synthesis is reused while the entry's RTL (every rtl/*/*.sv and the file) is unchanged
# (timing/<tag>.skey, the netlist <tag>.json stays), a result while lp_depth.py is too
# (<tag>.key). Writes timing/timing.csv (module, params, levels, lut_levels,
# carry_levels, worst_path, from, to, synthesis (flat or hier), seconds, checked) and
# timing.md (worst first); exits 1 when
# any path exceeds the budget or any entry was not measured, naming them; 2 on bad usage.
set -uo pipefail
build=${1:?usage: scripts/timing.sh BUILD_DIR [ENTRY...]}
shift
out=$build/timing
budget=${LP_TIMING_BUDGET:-8}
tmo=${LP_TIMING_TIMEOUT:-900}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
if ! command -v yosys >/dev/null 2>&1; then
  echo "timing: yosys is not installed (scripts/deps.sh test installs it)" >&2
  exit 2
fi
case $budget in ''|*[!0-9]*) echo "timing: LP_TIMING_BUDGET must be a number" >&2; exit 2 ;; esac

# the entries, then the selection
if [ $# -gt 0 ]; then entries="$*"; else entries=${LP_TIMING_ENTRIES:-}; fi
[ -n "$entries" ] || { echo "timing: no entries (run through make timing)" >&2; exit 2; }
slow=" ${LP_TIMING_SLOW:-} "
nocheck=" ${LP_TIMING_NOCHECK:-} "
sel=${LP_TIMING:-}
picked=""
for e in $entries; do
  m=${e%%:*}; m=$(basename "$m" .sv)
  is_slow=0
  case $slow in *" $e "*|*" $m "*) is_slow=1 ;; esac
  want=0
  case ",${sel:-default}," in *,all,*|*",$m,"*|*",$e,"*) want=1 ;; esac
  case ",${sel:-default}," in *,default,*) [ $is_slow = 0 ] && want=1 ;; esac
  case ",$sel," in *,modules,*) [ $is_slow = 0 ] && [ "$m" = "$e" ] && want=1 ;; esac
  case ",$sel," in *,slow,*) [ $is_slow = 1 ] && want=1 ;; esac
  [ $want = 1 ] || continue
  case " $picked " in *" $e "*) ;; *) picked="$picked $e" ;; esac
done
if [ -z "$picked" ]; then
  echo "timing: LP_TIMING=$sel selects no entry (module names or <module>:<Param>=<value>,...)" >&2
  exit 2
fi

libdirs=$(for d in rtl/*/; do printf ' -libdir %s' "${d%/}"; done)
pkgs=$(ls rtl/*/*_pkg.sv 2>/dev/null | tr '\n' ' ')
rtlkey=$(cat rtl/*/*.sv 2>/dev/null | sha256sum | cut -c1-16)

# one entry: synthesize (or reuse), walk, print its CSV line
measure() { # entry slow(0|1)
  local e=$1 hier=$2 m file params tag chp="" p key skey t0 secs res json
  m=${e%%:*}; params=""
  [ "$m" != "$e" ] && params=${e#*:}
  case $m in
    *.sv|*/*) file=$m; m=$(basename "$m" .sv) ;;
    *) file=$(ls rtl/*/"$m".sv 2>/dev/null | head -n 1) ;;
  esac
  if [ -z "$file" ] || [ ! -f "$file" ]; then
    echo "$m,${params//,/ },error,,,no file for module $m,,,,0"; return
  fi
  tag=$m${params:+_$(printf '%s' "$params" | tr -d '=' | tr ',' '_')}
  # one chparam for all of an entry's parameters: each chparam elaborates, and a module's
  # $error checks would see one new value beside the other defaults
  for p in $(printf '%s' "$params" | tr ',' ' '); do chp="$chp -set ${p%%=*} ${p#*=}"; done
  [ -n "$chp" ] && chp=" chparam$chp $m;"
  # the synthesis is reused while the RTL is unchanged (<tag>.skey), the result while the
  # walk is too (<tag>.key)
  skey=$( (echo "$rtlkey $params $hier"; cat "$file") | sha256sum | cut -c1-16)
  key=$( (echo "$skey"; cat "$here/lp_depth.py") | sha256sum | cut -c1-16)
  if [ -f "$out/$tag.res" ] && [ "$(head -n 1 "$out/$tag.key" 2>/dev/null)" = "$key" ]; then
    cat "$out/$tag.res"; return
  fi
  rm -f "$out/$tag.key" "$out/$tag.res"
  if [ "$hier" = 0 ] && [ -f "$out/$tag.json" ] && [ "$(head -n 1 "$out/$tag.skey" 2>/dev/null)" = "$skey" ]; then
    secs=$(tail -n 1 "$out/$tag.skey")
    t0=$(date +%s)
    if res="$m,${params//,/ },$(python3 "$here/lp_depth.py" "$out/$tag.json" --csv),flat,$secs"; then
      echo "$res" > "$out/$tag.res"
      printf '%s\n%s\n' "$key" "$secs" > "$out/$tag.key"
    else
      res="$m,${params//,/ },error,,,lp_depth.py failed on $out/$tag.json,,,flat,$secs"
    fi
    echo "$res"; return
  fi
  rm -f "$out/$tag.json" "$out/$tag.skey"
  t0=$(date +%s)
  if [ "$hier" = 1 ]; then
    # the hierarchical netlist of scripts/resources.sh (synthesized, or reused while the RTL
    # is unchanged), walked through every instance
    if ! json=$("$here/resources.sh" "$build" - netlist "$m" "$file" "$params" 2>"$out/$tag.err" | tail -n 1); then
      res="$m,${params//,/ },error,,,hierarchical synthesis failed ($(grep -m 1 resources: "$out/$tag.err")),,,hier,$(( $(date +%s) - t0 ))"
    elif ! res="$m,${params//,/ },$(python3 "$here/lp_depth.py" "$json" --csv 2>>"$out/$tag.err"),hier"; then
      res="$m,${params//,/ },error,,,lp_depth.py failed on $json,,,hier,$(( $(date +%s) - t0 ))"
    else
      secs=$(tail -n 1 "$out/$tag.err")   # the synthesis seconds (of the run that made it)
      res="$res,$(( secs + $(date +%s) - t0 ))"
      echo "$res" > "$out/$tag.res"
      printf '%s\n%s\n' "$key" "$secs" > "$out/$tag.key"
    fi
    echo "$res"
    return
  fi
  # shellcheck disable=SC2086
  timeout "$tmo" nice -n "${LP_NICE:-10}" yosys -q -l "$out/$tag.log" -p "read_verilog -sv $pkgs $file;$chp
      hierarchy -top $m $libdirs; rename -top $m; synth_xilinx -family xcup -flatten -noiopad -top $m;
      write_json $out/$tag.json" >/dev/null 2>"$out/$tag.err"
  local rc=$?
  secs=$(( $(date +%s) - t0 ))
  if [ $rc = 124 ]; then
    res="$m,${params//,/ },timeout,,,not measured: synthesis ran out of ${tmo} s,,,flat,$secs"
  elif [ $rc != 0 ]; then
    res="$m,${params//,/ },error,,,yosys failed (log: $out/$tag.log),,,flat,$secs"
  elif ! res="$m,${params//,/ },$(python3 "$here/lp_depth.py" "$out/$tag.json" --csv),flat,$secs"; then
    res="$m,${params//,/ },error,,,lp_depth.py failed on $out/$tag.json,,,flat,$secs"
  else
    echo "$res" > "$out/$tag.res"
    printf '%s\n%s\n' "$key" "$secs" > "$out/$tag.key"
    printf '%s\n%s\n' "$skey" "$secs" > "$out/$tag.skey"   # the netlist stays for a re-walk
  fi
  echo "$res"
}

csv=$out/timing.csv
t_all=$(date +%s)
echo "module,params,levels,lut_levels,carry_levels,worst_path,from,to,synthesis,seconds,checked" > "$csv.tmp"
n=0; total=$(echo $picked | wc -w)
for e in $picked; do
  n=$((n + 1))
  [ -t 2 ] && printf 'timing: [%d/%d] %s ...%20s\r' "$n" "$total" "$e" '' >&2
  m=${e%%:*}; m=$(basename "$m" .sv)
  case $slow in *" $e "*|*" $m "*) row=$(measure "$e" 1) ;; *) row=$(measure "$e" 0) ;; esac
  case $nocheck in *" $e "*) echo "$row,no" ;; *) echo "$row,yes" ;; esac >> "$csv.tmp"
done
[ -t 2 ] && printf '%78s\r' '' >&2
mv "$csv.tmp" "$csv"
wall=$(( $(date +%s) - t_all ))

{
  echo "Logic depth per module, Yosys $(yosys -V | awk '{print $2}') synth_xilinx -family xcup (flat: -flatten; hier: hierarchical, walked through the instances; estimates, not Vivado); budget $budget levels; worst first:"
  echo
  echo "| module | params | levels | LUT | CARRY | worst path | from | to | synthesis | seconds |"
  echo "|---|---|---:|---:|---:|---|---|---|---|---:|"
  tail -n +2 "$csv" | sort -t, -k3,3nr | awk -F, -v b="$budget" '{
    lv = ($3 ~ /^[0-9]+$/ && $3 > b) ? "**" $3 "**" : $3
    if ($11 == "no") lv = $3 " (not checked)"
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, ($2 == "" ? "default" : $2), lv, $4, $5, $6, $7, $8, $9, $10 }'
} > "$out/timing.md"
cat "$out/timing.md"
echo "timing: wrote $csv and $out/timing.md ($total entries, ${wall} s)"

over=$(tail -n +2 "$csv" | awk -F, -v b="$budget" '$11 == "yes" && ($3 !~ /^[0-9]+$/ || $3 > b) {
  printf "%s%s (%s)\n", $1, ($2 == "" ? "" : ":" $2), $3 }' | sed 's/ /,/g; s/,(/ (/')
if [ -n "$over" ]; then
  echo "timing: $(echo "$over" | wc -l) of $total over the $budget-level budget or not measured:" $over >&2
  exit 1
fi
echo "timing: all $(awk -F, 'NR > 1 && $11 == "yes"' "$csv" | wc -l) checked entries within $budget levels"

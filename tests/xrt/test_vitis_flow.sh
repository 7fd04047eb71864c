#!/usr/bin/env bash
# The Vitis flow's parts that run without Vitis: kernel.xml and the package_xo register
# list generated from hls/sgd/lp_sgd_regmap.h (well-formed, every argument at its offset),
# every connectivity config gives each CU its own SLR and memory channels and maps exactly
# the kernel's pointer arguments, and make xclbin
# says "skipped" once when v++ is absent (and refuses a bad TARGET). Needs $GEN_KERNEL_XML.
set -u
. "$(dirname "$0")/../lp_test.sh"
no() { bad "$@"; }
: "${GEN_KERNEL_XML:?}"
tmp=$T
"$GEN_KERNEL_XML" kernel >"$tmp/kernel.xml" && "$GEN_KERNEL_XML" metadata >"$tmp/meta.xml" &&
  "$GEN_KERNEL_XML" regs-tcl >"$tmp/regs.tcl" && "$GEN_KERNEL_XML" args >"$tmp/args" ||
  { echo "FAIL gen_kernel_xml"; echo "0 passed, 1 failed"; exit 1; }

# well-formed XML, and each argument of the table at its offset in both XML views
if command -v python3 >/dev/null; then
  if python3 - "$tmp/kernel.xml" "$tmp/meta.xml" "$tmp/args" <<'PY'
import sys, xml.etree.ElementTree as ET
k = ET.parse(sys.argv[1]).getroot(); m = ET.parse(sys.argv[2]).getroot()
args = [l.split() for l in open(sys.argv[3])]
kx = {a.get("name"): a for a in k.iter("arg")}; mx = {a.get("name"): a for a in m.iter("arg")}
kern = k.find("kernel")
assert kern.get("hwControlProtocol") == "ap_ctrl_hs", "not ap_ctrl_hs"
assert len(kx) == len(args) == len(mx), "argument count"
ports = {p.get("name") for p in k.iter("port")}
for idx, name, off, size, bundle in args:
    for x in (kx[name], mx[name]):
        assert x.get("id") == idx and int(x.get("offset"), 16) == int(off, 16), name
        assert int(x.get("size"), 16) == int(size), name
        assert x.get("addressQualifier") == ("0" if bundle == "-" else "1"), name
    assert kx[name].get("port") in ports, name
    want = "s_axi_control" if bundle == "-" else "m_axi_" + bundle
    assert kx[name].get("port") == want, name
# ap_ctrl_hs layout: control registers below 0x10, arguments from 0x10, no overlap
spans = sorted((int(o, 16), int(o, 16) + (12 if b != "-" else 8)) for _, _, o, _, b in args)
assert spans[0][0] == 0x10 and all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "overlap"
PY
  then ok "kernel.xml and xclbin metadata: well-formed, ap_ctrl_hs, every argument at its offset from 0x10"
  else no "kernel.xml / metadata disagree with lp_sgd_regmap.h"; fi
else
  skip "python3 is not installed: kernel.xml and the xclbin metadata not parsed (scripts/deps.sh test installs it)"
fi
if grep -q '^  {CTRL 0x00 32 {}}' "$tmp/regs.tcl" && grep -q '^  {data 0x10 64 {m_axi_gmem0}}' "$tmp/regs.tcl"; then
  ok "package_xo register list: CTRL at 0x00, data at 0x10 on m_axi_gmem0"
else no "regs.tcl: $(cat "$tmp/regs.tcl")"; fi

# connectivity, per card: nk names N compute units; each CU has one slr= line, an SLR of its
# own that the card has, and an sp= line for exactly the pointer arguments; no memory
# channel (DDR[i], HBM[i], ranges HBM[a:b] expanded) is used by two CUs. Prints
# "N SLR,SLR,..." or the first fault.
cfg_check() { # cfg nslr "ptr ptr ..."
  awk -v nslr="$2" -v ptrs="$3" -F'[=:]' '
    function fail(m) { print m; bad = 1; exit }
    /^nk=/ { if ($2 != "lp_sgd") fail("nk for " $2); n = $3; k = split($4, cu, "."); next }
    /^slr=/ { if ($2 in slr) fail("two slr lines for " $2); slr[$2] = $3; next }
    /^sp=/ { split($2, ca, "."); c = ca[1]; sp[c] = sp[c] " " ca[2]
             mem = substr($0, index($0, ":") + 1); kind = mem; sub(/\[.*/, "", kind)
             r = mem; gsub(/.*\[|\].*/, "", r); lo = r; hi = r
             if (index(r, ":")) { lo = substr(r, 1, index(r, ":") - 1); hi = substr(r, index(r, ":") + 1) }
             for (i = lo + 0; i <= hi + 0; i++) { ch = kind "[" i "]"
               if ((ch in owner) && owner[ch] != c) fail(ch " used by " owner[ch] " and " c); owner[ch] = c }
             next }
    END { if (bad) exit 1
          if (n < 1 || n != k) { print "nk count " n " but " k " names"; exit 1 }
          want = " " ptrs; out = ""
          for (i = 1; i <= k; i++) { c = cu[i]
            if (!(c in slr)) { print c " has no slr line"; exit 1 }
            s = slr[c]; if (s !~ /^SLR[0-9]+$/ || substr(s, 4) + 0 >= nslr) { print c " in " s ", the card has " nslr " SLRs"; exit 1 }
            if (s in used) { print c " and " used[s] " both in " s; exit 1 }; used[s] = c
            m = split(sp[c], got, " "); np = split(ptrs, p, " "); okc = m == np
            for (j = 1; j <= np; j++) { h = 0; for (q = 1; q <= m; q++) h += got[q] == p[j]; okc = okc && h == 1 }
            if (!okc) { print c ": sp for" sp[c] ", want" want; exit 1 }
            out = out (out == "" ? "" : ",") s }
          for (c in slr) { f = 0; for (i = 1; i <= k; i++) f = f || cu[i] == c; if (!f) { print "slr for unknown CU " c; exit 1 } }
          print n " " out }' "$1"
}
ptrs=$(awk '$5 != "-" {print $2}' "$tmp/args" | sort | tr '\n' ' ' | sed 's/ $//')
for want in "u250 4 4" "u280 3 2" "u55c 3 2"; do
  set -- $want; cfg=constraints/$1.cfg
  if got=$(cfg_check "$cfg" "$2" "$ptrs") && [ "${got%% *}" = "$3" ]; then
    ok "$cfg: $3 CUs in distinct SLRs (${got#* }), each with sp for exactly $ptrs, no memory channel shared"
  else no "$cfg: $got (want $3 CUs)"; fi
done
# the check itself refuses what it must (a shared channel, a shared SLR, an argument left out)
sed 's/^sp=lp_sgd_2.data:DDR\[1\]/sp=lp_sgd_2.data:DDR[0]/' constraints/u250.cfg >"$tmp/shared.cfg"
sed 's/^slr=lp_sgd_2:SLR1/slr=lp_sgd_2:SLR0/' constraints/u250.cfg >"$tmp/slr.cfg"
sed '/^sp=lp_sgd_4.stats/d' constraints/u250.cfg >"$tmp/noarg.cfg"
sed 's/^sp=lp_sgd_2.data:HBM\[4:5\]/sp=lp_sgd_2.data:HBM[1:2]/' constraints/u280.cfg >"$tmp/range.cfg"
r1=$(cfg_check "$tmp/shared.cfg" 4 "$ptrs"); r2=$(cfg_check "$tmp/slr.cfg" 4 "$ptrs")
r3=$(cfg_check "$tmp/noarg.cfg" 4 "$ptrs"); r4=$(cfg_check "$tmp/range.cfg" 3 "$ptrs")
if grep -q 'DDR\[0\] used by lp_sgd_1 and lp_sgd_2' <<<"$r1" && grep -q 'both in SLR0' <<<"$r2" &&
   grep -q '^lp_sgd_4: sp for' <<<"$r3" && grep -q 'HBM\[1\] used by' <<<"$r4"; then
  ok "the config check refuses a shared DDR channel, a shared SLR, a missing argument, overlapping HBM ranges"
else no "config check on broken configs: '$r1' '$r2' '$r3' '$r4'"; fi
grep -q 'HBM\[' constraints/u280.cfg && grep -q 'HBM\[' constraints/u55c.cfg && grep -q 'DDR\[' constraints/u250.cfg &&
  ok "U250 on DDR banks, U280 and U55C on HBM pseudo-channels" || no "memory kinds in the connectivity configs"
grep -q 'create_clock -period 3.333 .*ap_clk' constraints/lp_sgd_rtl.xdc && ok "RTL kernel XDC: 300 MHz on ap_clk" ||
  no "lp_sgd_rtl.xdc has no 300 MHz ap_clk"

# A make of our own, not a child of the make running the tests: without this, the
# parent's jobserver flags (make -j2 test) leak in and make warns on stderr.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make "$@"; }

# make xclbin: without v++ one "skipped" line and exit 0. Checked on every machine: VPP names
# a v++ that cannot exist, so the message is checked even where Vitis is installed.
out=$(mk --no-print-directory -s BUILD="$tmp/b" VPP=lpsgd-test-no-such-v++ xclbin 2>&1); rc=$?
if [ $rc = 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && grep -q '^skipped: make xclbin needs Vitis' <<<"$out"; then
  ok "make xclbin without v++: one 'skipped' line, exit 0"
else no "make xclbin without v++: rc $rc: $out"; fi
# the real build (hours of synthesis and place and route) is never run by the tests
if command -v v++ >/dev/null; then
  skip "needs Vitis: a real make xclbin takes hours and is not run by the tests (v++ is on PATH: run it by hand, docs/alveo.md)"
else
  skip "needs Vitis: v++ is not installed, make xclbin not run"
fi
# the commands make xclbin KERNEL=hls would run (dry run): HLS pragmas on, the card's connectivity
out=$(mk --no-print-directory -n BUILD="$tmp/b" xclbin-build KERNEL=hls TARGET=hw PLATFORM=xilinx_u280_gen3x16_xdma_1_202211_1 2>&1)
if grep -q '^v++ -c -t hw --platform xilinx_u280_gen3x16_xdma_1_202211_1 --config constraints/lp_sgd_hls.cfg -I hls -DLP_HLS' <<<"$out" &&
   grep -q 'hls/sgd/lp_sgd.c' <<<"$out" && ! grep -q 'lp_stats_derive.c' <<<"$out" &&
   grep -q '^v++ -l -t hw --platform xilinx_u280_gen3x16_xdma_1_202211_1 --config constraints/u280.cfg' <<<"$out"; then
  ok "make xclbin KERNEL=hls (dry run): v++ -c -DLP_HLS on the kernel sources, v++ -l with constraints/u280.cfg"
else no "make xclbin dry run: $out"; fi
# KERNEL is not given: the RTL kernel is the default
out=$(mk --no-print-directory -n BUILD="$tmp/b" xclbin-build 2>&1 |
      sed -e ':a' -e '/\\$/N; s/\\\n[[:space:]]*/ /; ta') # one line per command
if grep -q 'vivado -mode batch .*package_xo.tcl .*-tclargs .*kernel.xml .*regs.tcl xcu250-figd2104-2L-e constraints/lp_sgd_rtl.xdc  *lp_sgd .*rtl/kernel/lp_sgd.sv' <<<"$out" &&
   grep -q '^v++ -l -t hw .*--config constraints/u250.cfg .*lp_sgd_rtl.xo' <<<"$out" && ! grep -q '^v++ -c' <<<"$out"; then
  ok "make xclbin without KERNEL (dry run): the RTL kernel, package_xo with the generated kernel.xml and register list, U250 part, v++ -l"
else no "KERNEL=rtl dry run: $out"; fi

out=$(mk --no-print-directory -s BUILD="$tmp/b" xclbin TARGET=fpga 2>&1); rc=$?
if [ $rc != 0 ] && grep -q 'TARGET=fpga is not one of hw, hw_emu, sw_emu' <<<"$out"; then ok "make xclbin TARGET=fpga: refused"
else no "make xclbin TARGET=fpga: rc $rc: $out"; fi

summary

#!/usr/bin/env bash
# lpsgd shrink: the table's counts against values worked out by hand, CSV, JSON, the PNG.
here=$(dirname "$0")
. "$here/../lp_test.sh"

check "shrink runs on its defaults" "$LPSGD" shrink
cp "$T/out" "$T/table.txt"
# default: 8 formats x 3 scales
expect_eq "table has 24 rows" "$(grep -cE '^ *[a-z0-9_]* *(none|tensor|block32) ' "$T/table.txt")" 24

"$LPSGD" shrink --json >"$T/s.json" 2>"$T/err"
if /usr/bin/python3 -m json.tool "$T/s.json" >/dev/null 2>&1; then ok "shrink --json is valid JSON"; else bad "shrink --json" "$(head -c 300 "$T/s.json")"; fi
row() { # FORMAT SCALE KEY
    /usr/bin/python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
print([r for r in d['rows'] if r['format'] == sys.argv[2] and r['scale'] == sys.argv[3]][0][sys.argv[4]])" "$T/s.json" "$@"
}
# g_i = e^(-0.2 * 50 i / 999), i = 0..999, rne.
# fp4_e2m1: g <= 0.25 (half the smallest subnormal 0.5, tie to even 0) flushes to 0:
#   i >= 999 * 5 ln 4 / 50 = 138.5 -> 861 of 1000.
expect_eq "fp4_e2m1 unscaled underflow = 861" "$(row fp4_e2m1 none underflow)" 861
# fp8_e4m3: g <= 2^-10 (half of 2^-9) flushes: i >= 999 * 50 ln 2 / 50 = 692.5 -> 307.
expect_eq "fp8_e4m3 unscaled underflow = 307" "$(row fp8_e4m3 none underflow)" 307
# fp16 (smallest subnormal 2^-24) and fp32 lose nothing on [0, 50]; fp32 is exact.
expect_eq "fp16 unscaled underflow = 0" "$(row fp16 none underflow)" 0
expect_eq "fp32 q_norm = 1" "$(row fp32 none q_norm)" 1
expect_eq "fp32 q_proj = 1" "$(row fp32 none q_proj)" 1
# block32 (OCP MX) scaling: no block is all tiny here, nothing underflows.
expect_eq "fp4_e2m1 block32 underflow = 0" "$(row fp4_e2m1 block32 underflow)" 0
# small gradients: at amplitude 1e-3 every fp4/fp6 value flushes to 0 -> q_norm 0; MX keeps ~1
"$LPSGD" shrink --amp 1e-3 --formats fp4_e2m1 --json >"$T/s.json"
expect_eq "amp 1e-3 fp4 unscaled: all underflow" "$(row fp4_e2m1 none underflow)" 1000
expect_eq "amp 1e-3 fp4 unscaled: q_norm 0" "$(row fp4_e2m1 none q_norm)" 0
q=$(row fp4_e2m1 block32 q_norm)
if /usr/bin/python3 -c "import sys; sys.exit(not 0.99 < float(sys.argv[1]) < 1.01)" "$q"; then ok "amp 1e-3 fp4 block32 q_norm ~ 1 ($q)"; else bad "block32 q_norm" "$q"; fi
# gauss signal runs and is reproducible with its seed
"$LPSGD" shrink --signal gauss:0.01 --n 4096 --seed 3 --formats fp8_e4m3 --json >"$T/g1.json"
"$LPSGD" shrink --signal gauss:0.01 --n 4096 --seed 3 --formats fp8_e4m3 --json >"$T/g2.json"
if cmp -s "$T/g1.json" "$T/g2.json" && /usr/bin/python3 -m json.tool "$T/g1.json" >/dev/null; then ok "gauss signal reproducible"; else bad "gauss" "differs or invalid"; fi
# --backend csim is the default
"$LPSGD" shrink --json >"$T/d1.json"
"$LPSGD" shrink --backend csim --json >"$T/d2.json"
if cmp -s "$T/d1.json" "$T/d2.json"; then ok "shrink --backend csim = default"; else bad "--backend csim" "differs"; fi

# every other backend built in prints csim's table bit for bit; xrt and vcard have no
# quantize-only kernel entry (their refusals: tests/xrt/test_cli_xrt.sh,
# tests/vcard/test_cli_vcard.sh); one that cannot open here is a skip with its message
for be in $(backends); do
    [ "$be" = csim ] || [ "$be" = xrt ] || [ "$be" = vcard ] && continue
    "$LPSGD" shrink --backend "$be" --json >"$T/b.json" 2>"$T/err"
    rc=$?
    if [ $rc = 2 ] && grep -q "backend $be" "$T/err"; then
        skip "shrink --backend $be: $(head -n 1 "$T/err")"
    elif [ $rc = 0 ] && cmp -s <(sed 's/"backend": "[a-z]*", "cycles": [0-9]*//' "$T/b.json") \
        <(sed 's/"backend": "[a-z]*", "cycles": [0-9]*//' "$T/d1.json"); then
        ok "shrink --backend $be = csim"
    else
        bad "shrink --backend $be" "exit $rc: $(head -c 300 "$T/err")"
    fi
done

# CSV and PNG
mkdir -p "$T/o"
if command -v gnuplot >/dev/null || [ -n "${LP_GNUPLOT:-}" ]; then
    check "shrink --csv --plot --sweep-csv" "$LPSGD" shrink --csv "$T/o/s.csv" --plot "$T/o/s.png" --sweep-csv "$T/o/sw.csv"
else
    check "shrink --csv --sweep-csv (no gnuplot)" "$LPSGD" shrink --csv "$T/o/s.csv" --sweep-csv "$T/o/sw.csv"
fi
expect_eq "CSV header" "$(head -n 1 "$T/o/s.csv")" \
    "signal,amp,n,x_max,rounding,format,scale,q_norm,q_proj,noise,underflow,underflow_frac,saturated,subnormal,nan"
expect_eq "CSV rows" "$(tail -n +2 "$T/o/s.csv" | wc -l)" 24
expect_eq "CSV fp4 none underflow" "$(grep ',fp4_e2m1,none,' "$T/o/s.csv" | cut -d, -f11)" 861
expect_eq "sweep CSV rows (73 amplitudes x 24)" "$(tail -n +2 "$T/o/sw.csv" | wc -l)" 1752
if command -v gnuplot >/dev/null || [ -n "${LP_GNUPLOT:-}" ]; then
    expect_eq "PNG signature" "$(head -c 8 "$T/o/s.png" | od -An -tx1 | tr -d ' ')" 89504e470d0a1a0a
    expect_eq "PNG size 1800x700" "$(od -An -tu1 -j 16 -N 8 "$T/o/s.png" | tr -s ' ')" " 0 0 7 8 0 0 2 188"
    [ -s "$T/o/s.gp" ] && [ -s "$T/o/s.dat" ] && ok "plot script and data kept" || bad "plot files" "missing .gp/.dat"
    expect_eq "no temporary files left" "$(find "$T/o" -name '*.tmp*' -o -name '*.log' | wc -l)" 0
else
    skip "PNG checks: gnuplot is not installed (scripts/deps.sh test installs gnuplot-nox)"
fi
# the ASan/UBSan build runs the whole job (plot included) and prints the same table
if [ -n "${LPSGD_SAN:-}" ] && [ -x "$LPSGD_SAN" ]; then
    mkdir -p "$T/san"
    if "$LPSGD_SAN" shrink --csv "$T/san/s.csv" --plot "$T/san/s.png" --sweep-csv "$T/san/sw.csv" --signal gauss:0.01 \
        --n 5000 >"$T/san/t1" 2>"$T/err" && "$LPSGD" shrink --signal gauss:0.01 --n 5000 >"$T/san/t2"; then
        if cmp -s "$T/san/t1" "$T/san/t2"; then ok "ASan/UBSan build: same table, no report"; else bad "san table" "differs"; fi
    else
        bad "ASan/UBSan shrink" "$(head -c 600 "$T/err")"
    fi
fi
# without gnuplot: a clear error, exit 1, data and script still written
LP_GNUPLOT=/nonexistent/gnuplot "$LPSGD" shrink --plot "$T/o/ng.png" >/dev/null 2>"$T/err"
rc=$?
if [ "$rc" = 1 ] && grep -q "gnuplot not found" "$T/err" && [ -s "$T/o/ng.gp" ]; then ok "missing gnuplot: clear message"; else bad "missing gnuplot" "rc $rc: $(cat "$T/err")"; fi
# all outputs or none: the picture failed, so the CSV files are not put in place either
LP_GNUPLOT=/nonexistent/gnuplot "$LPSGD" shrink --plot "$T/o/ng2.png" --csv "$T/o/ng2.csv" --sweep-csv "$T/o/ng2s.csv" \
    >/dev/null 2>"$T/err"
rc=$?
if [ "$rc" = 1 ] && [ ! -e "$T/o/ng2.csv" ] && [ ! -e "$T/o/ng2s.csv" ]; then ok "failed picture: no CSV written"
else bad "failed picture" "rc $rc, CSV files: $(ls "$T"/o/ng2*.csv 2>/dev/null | wc -l)"; fi
expect_eq "failed picture: no temporary files left" "$(find "$T/o" -name '*.tmp.*' | wc -l)" 0
# statistics that overflow (amplitude 1e38: the sums of squares are Inf) read "nan", never "-nan"
"$LPSGD" shrink --amp 1e38 --formats fp32,fp8_e4m3 --csv "$T/o/big.csv" >"$T/big.txt" 2>"$T/err"
rc=$?
if [ $rc = 0 ] && [ "$(awk '$1 == "fp32" {print $3}' "$T/big.txt")" = nan ] && ! grep -q -- -nan "$T/big.txt" "$T/o/big.csv" &&
    [ "$(grep -c ',fp32,none,nan,' "$T/o/big.csv")" = 1 ]; then
    ok "overflowing sums: table and CSV print nan, no -nan"
else
    bad "overflowing sums" "exit $rc: $(grep -h -- nan "$T/big.txt" "$T/o/big.csv" | head -4)"
fi
"$LPSGD" shrink --amp 1e38 --formats fp32 --scales none --json >"$T/big.json"
if grep -q '"q_norm": null' "$T/big.json"; then ok "overflowing sums: JSON q_norm is null"; else bad "JSON null" "$(head -c 300 "$T/big.json")"; fi
summary

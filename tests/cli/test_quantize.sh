#!/usr/bin/env bash
# lpsgd quantize: outputs bit for bit against values worked out by hand from the format
# definitions (OCP OFP8 E4M3, OCP MX FP4 E2M1, bfloat16), .npy headers kept, the packed-code
# file layout, statistics, JSON validity, and that NaN/Inf inputs are data, not errors.
here=$(dirname "$0")
. "$here/../lp_test.sh"

# fp8_e4m3 (max 448, min subnormal 2^-9), rne:
#   1.0 -> 1.0   0.3 -> 0.3125   1e-10 -> 0 (underflow)   500 -> 448 (saturated)
#   NaN -> NaN   -Inf -> -448 (saturated, inf)   2^-9 -> 2^-9 (subnormal)
#   2^-10 -> 0 (tie to even, underflow)   3*2^-11 -> 2^-9 (subnormal)   464 -> 448 (saturated)
#   -0 -> -0   240 -> 240
in_words="3f800000 3e99999a 2edbe6ff 43fa0000 7fc00000 ff800000 3b000000 3a800000 3ac00000 43e80000 80000000 43700000"
want="3f800000 3ea00000 00000000 43e00000 7fc00000 c3e00000 3b000000 00000000 3b000000 43e00000 80000000 43700000"
f32le $in_words >"$T/a.f32"
check "quantize fp8_e4m3 .f32 runs" "$LPSGD" quantize --format fp8_e4m3 "$T/a.f32" "$T/a_q.f32"
expect_eq "fp8_e4m3 rne values bit for bit" "$(hexwords "$T/a_q.f32" | tr '\n' ' ' | sed 's/ $//')" "$want"
check "quantize --sync (fsync before the rename) runs" "$LPSGD" quantize --sync --format fp8_e4m3 "$T/a.f32" "$T/a_qs.f32"
expect_eq "--sync writes the same bytes" "$(hexwords "$T/a_qs.f32" | tr '\n' ' ' | sed 's/ $//')" "$want"
"$LPSGD" quantize --format fp8_e4m3 --json "$T/a.f32" "$T/a_q2.f32" >"$T/a.json" 2>"$T/err"
if /usr/bin/python3 -m json.tool "$T/a.json" >/dev/null 2>&1; then ok "quantize --json is valid JSON"; else bad "quantize --json" "invalid: $(cat "$T/a.json")"; fi
j() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$T/a.json" "$1"; }
expect_eq "stats n" "$(j n)" 12
expect_eq "stats underflow (1e-10, 2^-10)" "$(j underflow)" 2
expect_eq "stats saturated (500, -Inf, 464)" "$(j saturated)" 3
expect_eq "stats inf" "$(j inf)" 1
expect_eq "stats nan" "$(j nan)" 1
expect_eq "stats subnormal (2^-9 twice)" "$(j subnormal)" 2
expect_eq "json names the format" "$(j format)" fp8_e4m3
# the human table has every statistic
"$LPSGD" quantize --format fp8_e4m3 "$T/a.f32" "$T/a_q3.f32" >"$T/h.txt"
for k in n q_norm q_proj noise underflow saturated subnormal nan; do
    if grep -Eq "^  $k " "$T/h.txt"; then ok "table shows $k"; else bad "table shows $k" "$(cat "$T/h.txt")"; fi
done

# fp4_e2m1 (values 0 .5 1 1.5 2 3 4 6), rne: 0.25 -> 0 (tie, even), 0.26 -> 0.5, 2.5 -> 2 (tie),
# 5 -> 4 (tie), 7 -> 6 (saturated), -1.25 -> -1 (tie), NaN -> +0 (no NaN in MX FP4), 0.75 -> 1 (tie to 1.0)
f32le 3e800000 3e851eb8 40200000 40a00000 40e00000 bfa00000 7fc00000 3f400000 >"$T/b.f32"
check "quantize fp4_e2m1 runs" "$LPSGD" quantize --format fp4_e2m1 "$T/b.f32" "$T/b_q.f32"
expect_eq "fp4_e2m1 rne values bit for bit" "$(hexwords "$T/b_q.f32" | tr '\n' ' ' | sed 's/ $//')" \
    "00000000 3f000000 40000000 40800000 40c00000 bf800000 00000000 3f800000"

# rtz: fp4 2.5 -> 2, 5.9 -> 4, -1.4 -> -1, 0.49 -> 0
f32le 40200000 40bccccd bfb33333 3efae148 >"$T/c.f32"
check "quantize rtz runs" "$LPSGD" quantize --format fp4_e2m1 --rounding rtz "$T/c.f32" "$T/c_q.f32"
expect_eq "fp4_e2m1 rtz bit for bit" "$(hexwords "$T/c_q.f32" | tr '\n' ' ' | sed 's/ $//')" \
    "40000000 40800000 bf800000 00000000"

# bf16 ties: 1+2^-8 -> 1 (even), 1+3*2^-8 -> 1+2^-6 (even)
f32le 3f808000 3f818000 >"$T/d.f32"
check "quantize bf16 runs" "$LPSGD" quantize --format bf16 "$T/d.f32" "$T/d_q.f32"
expect_eq "bf16 ties to even bit for bit" "$(hexwords "$T/d_q.f32" | tr '\n' ' ' | sed 's/ $//')" "3f800000 3f820000"

# --overflow inf: fp8_e5m2 has Inf: 1e6 -> +Inf; fp8_e4m3 has only NaN: 1e6 -> NaN
f32le 49742400 >"$T/e.f32"
"$LPSGD" quantize --format fp8_e5m2 --overflow inf "$T/e.f32" "$T/e5.f32" >/dev/null
expect_eq "e5m2 --overflow inf gives Inf" "$(hexwords "$T/e5.f32")" 7f800000
"$LPSGD" quantize --format fp8_e4m3 --overflow inf "$T/e.f32" "$T/e4.f32" >/dev/null
expect_eq "e4m3 --overflow inf gives NaN" "$(hexwords "$T/e4.f32")" 7fc00000

# --subnormals off: fp8_e4m3 2^-9 (subnormal) -> 0
f32le 3b000000 >"$T/s.f32"
"$LPSGD" quantize --format fp8_e4m3 --subnormals off "$T/s.f32" "$T/s_q.f32" >/dev/null
expect_eq "subnormals off flushes" "$(hexwords "$T/s_q.f32")" 00000000

# .npy: every version, C and Fortran order, header kept bit for bit, data quantized
for ver in 1 2 3; do
    for order in False True; do
        { npy_bytes $ver $order "(2, 3)"; f32le 3f800000 3e99999a 2edbe6ff 43fa0000 7fc00000 ff800000; } >"$T/n.npy"
        hl=$( { npy_bytes $ver $order "(2, 3)"; } | wc -c)
        if "$LPSGD" quantize --format fp8_e4m3 "$T/n.npy" "$T/n_q.npy" >/dev/null 2>"$T/err"; then
            expect_eq "npy v$ver fortran=$order header kept" "$(head -c "$hl" "$T/n_q.npy" | od -An -tx1)" \
                "$(head -c "$hl" "$T/n.npy" | od -An -tx1)"
            expect_eq "npy v$ver fortran=$order data bit for bit" "$(hexwords "$T/n_q.npy" "$hl" | tr '\n' ' ' | sed 's/ $//')" \
                "3f800000 3ea00000 00000000 43e00000 7fc00000 c3e00000"
        else
            bad "npy v$ver fortran=$order" "$(cat "$T/err")"
        fi
    done
done
# 0-d (scalar) and 3-d shapes
{ npy_bytes 1 False "()"; f32le 3e99999a; } >"$T/z.npy"
check "0-d npy" "$LPSGD" quantize --format fp8_e4m3 "$T/z.npy" "$T/z_q.npy"
expect_eq "0-d npy value" "$(tail -c 4 "$T/z_q.npy" | od -An -tx4 | tr -d ' ')" 3ea00000
{ npy_bytes 1 False "(1, 2, 1)"; f32le 3f800000 3e99999a; } >"$T/t.npy"
check "3-d npy" "$LPSGD" quantize --format fp8_e4m3 "$T/t.npy" "$T/t_q.npy"
# .npy in, .f32 out and back
check ".npy -> .f32" "$LPSGD" quantize --format fp8_e4m3 "$T/t.npy" "$T/t_q.f32"
expect_eq ".npy -> .f32 data" "$(hexwords "$T/t_q.f32" | tr '\n' ' ' | sed 's/ $//')" "3f800000 3ea00000"
check ".f32 -> .npy" "$LPSGD" quantize --format fp8_e4m3 "$T/t_q.f32" "$T/t_q2.npy"
expect_eq ".f32 -> .npy header is 1-d v1.0" "$(head -c 128 "$T/t_q2.npy" | od -An -c -N 8 | tr -s ' ') $(grep -ac "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }" "$T/t_q2.npy")" \
    " 223 N U M P Y 001 \\0 1"

# NumPy reads what we write (when NumPy is installed)
if /usr/bin/python3 -c "import numpy" 2>/dev/null; then
    /usr/bin/python3 - "$T" <<'PY' >"$T/np.txt" 2>&1
import numpy as np, sys, os
t = sys.argv[1]
a = np.asfortranarray(np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7)
np.save(os.path.join(t, "np_in.npy"), a)
PY
    "$LPSGD" quantize --format bf16 "$T/np_in.npy" "$T/np_out.npy" >/dev/null 2>&1
    r=$(/usr/bin/python3 - "$T" <<'PY' 2>&1
import numpy as np, sys, os
t = sys.argv[1]
a = np.load(os.path.join(t, "np_in.npy")); b = np.load(os.path.join(t, "np_out.npy"))
u = a.view(np.uint32).astype(np.uint64)
# bf16 rne by integer arithmetic: add 0x7FFF + lsb, clear the low 16 bits
want = (((u + 0x7FFF + ((u >> 16) & 1)) >> 16) << 16).astype(np.uint32)
print(b.shape == a.shape, b.flags.f_contiguous, bool((b.view(np.uint32) == want).all()))
PY
)
    expect_eq "NumPy reads our .npy: shape, Fortran order, bf16 bits" "$r" "True True True"
else
    skip "NumPy reading our .npy: no numpy in /usr/bin/python3 (scripts/deps.sh test installs python3-numpy)"
fi

# --codes: fp4 nibbles, element 0 in the low nibble
f32le 3f000000 3f800000 3fc00000 40000000 40400000 40800000 40c00000 c0c00000 3f000000 >"$T/k.f32"
check "--codes fp4" "$LPSGD" quantize --format fp4_e2m1 --codes "$T/k.lpqc" "$T/k.f32" "$T/k_q.f32"
expect_eq "codes header" "$(head -c 24 "$T/k.lpqc" | od -An -tx1 | tr -s ' \n' ' ')" \
    " 4c 50 51 43 01 00 04 00 09 00 00 00 00 00 00 00 66 70 34 5f 65 32 6d 31 "
expect_eq "codes fp4 packed" "$(tail -c +41 "$T/k.lpqc" | od -An -tx1 | tr -s ' ')" " 21 43 65 f7 01"
# block32: [0.75, 0.25] -> scale 2^-3 (E8M0 0x7c), codes 6 (0x7) and 2 (0x4)
f32le 3f400000 3e800000 >"$T/m.f32"
check "--codes block32" "$LPSGD" quantize --format fp4_e2m1 --scale block32 --codes "$T/m.lpqc" "$T/m.f32" "$T/m_q.f32"
expect_eq "codes block32 mode, scale, codes" "$(od -An -tx1 -j 7 -N 1 "$T/m.lpqc" | tr -d ' ') $(tail -c +41 "$T/m.lpqc" | od -An -tx1 | tr -s ' ')" \
    "02  7c 47"
expect_eq "block32 decoded values exact" "$(hexwords "$T/m_q.f32" | tr '\n' ' ' | sed 's/ $//')" "3f400000 3e800000"
# tensor: fp8_e4m3 [1.0] -> k = 8 (1*2^8 <= 448), code of 256 = 0 1111 000
f32le 3f800000 >"$T/o.f32"
check "--codes tensor" "$LPSGD" quantize --format fp8_e4m3 --scale tensor --codes "$T/o.lpqc" "$T/o.f32" "$T/o_q.f32"
expect_eq "codes tensor k and code" "$(tail -c +41 "$T/o.lpqc" | od -An -tx1 | tr -s ' ')" " 08 00 00 00 78"

# stochastic rounding: same seed same bits, another seed other bits; --step changes the draw
for i in $(seq 1 64); do printf '3e99999a '; done >"$T/sr.txt"
f32le $(cat "$T/sr.txt") >"$T/sr.f32"
"$LPSGD" quantize --format fp4_e2m1 --rounding sr --seed 1 "$T/sr.f32" "$T/sr1.f32" >/dev/null
"$LPSGD" quantize --format fp4_e2m1 --rounding sr --seed 1 "$T/sr.f32" "$T/sr1b.f32" >/dev/null
"$LPSGD" quantize --format fp4_e2m1 --rounding sr --seed 2 "$T/sr.f32" "$T/sr2.f32" >/dev/null
"$LPSGD" quantize --format fp4_e2m1 --rounding sr --seed 1 --step 5 "$T/sr.f32" "$T/sr3.f32" >/dev/null
if cmp -s "$T/sr1.f32" "$T/sr1b.f32"; then ok "sr reproducible"; else bad "sr reproducible" "differs"; fi
if ! cmp -s "$T/sr1.f32" "$T/sr2.f32"; then ok "sr seed changes the draw"; else bad "sr seed" "same bits"; fi
if ! cmp -s "$T/sr1.f32" "$T/sr3.f32"; then ok "sr step changes the draw"; else bad "sr step" "same bits"; fi
expect_eq "sr values are neighbours 0.5 or 0" "$(hexwords "$T/sr1.f32" | sort -u | tr '\n' ' ')" "00000000 3f000000 "

# options as --opt=value and after the files, "--" before a file name starting with '-'
cp "$T/a.f32" "$T/-x.f32"
(cd "$T" && "$LPSGD" quantize a.f32 --format=fp8_e4m3 -- -x.f32 >/dev/null 2>&1)
if [ $? = 0 ] && cmp -s "$T/a_q.f32" "$T/-x.f32"; then ok "--opt=value, options anywhere, --"; else bad "--opt=value / --" "failed"; fi
# OUT may be IN (written to a temporary file first)
cp "$T/a.f32" "$T/same.f32"
"$LPSGD" quantize --format fp8_e4m3 "$T/same.f32" "$T/same.f32" >/dev/null
if cmp -s "$T/same.f32" "$T/a_q.f32"; then ok "OUT = IN in place"; else bad "OUT = IN" "wrong"; fi
# the ASan/UBSan build gives the same bits and codes (and no sanitizer report)
if [ -n "${LPSGD_SAN:-}" ] && [ -x "$LPSGD_SAN" ]; then
    for opt in "--format fp8_e4m3" "--format fp4_e2m1 --scale block32" "--format e3m4 --rounding sr --seed 9" \
        "--format fixed8.4 --scale tensor" "--format bf16 --overflow inf --subnormals off"; do
        "$LPSGD" quantize $opt --codes "$T/c1.lpqc" "$T/a.f32" "$T/q1.f32" >/dev/null 2>&1
        if "$LPSGD_SAN" quantize $opt --codes "$T/c2.lpqc" "$T/a.f32" "$T/q2.f32" >/dev/null 2>"$T/err" &&
            cmp -s "$T/q1.f32" "$T/q2.f32" && cmp -s "$T/c1.lpqc" "$T/c2.lpqc"; then
            ok "ASan/UBSan build, same bits: $opt"
        else
            bad "ASan/UBSan build: $opt" "$(head -c 600 "$T/err")"
        fi
    done
fi
# every other backend built in gives csim's bits and codes; xrt and vcard have no
# quantize-only kernel entry (their refusals are asserted in tests/xrt/test_cli_xrt.sh and
# tests/vcard/test_cli_vcard.sh); one that cannot open here is a skip with its message
for be in $(backends); do
    [ "$be" = csim ] || [ "$be" = xrt ] || [ "$be" = vcard ] && continue
    for opt in "--format fp8_e4m3" "--format fp4_e2m1 --scale block32" "--format e3m4 --rounding sr --seed 9"; do
        "$LPSGD" quantize $opt --codes "$T/c1.lpqc" "$T/a.f32" "$T/q1.f32" >/dev/null 2>&1
        "$LPSGD" quantize $opt --backend "$be" --codes "$T/c2.lpqc" "$T/a.f32" "$T/q2.f32" >/dev/null 2>"$T/err"
        rc=$?
        if [ $rc = 2 ] && grep -q "backend $be" "$T/err"; then
            skip "quantize --backend $be: $(head -n 1 "$T/err")"
            break
        elif [ $rc = 0 ] && cmp -s "$T/q1.f32" "$T/q2.f32" && cmp -s "$T/c1.lpqc" "$T/c2.lpqc"; then
            ok "backend $be = csim bit for bit: $opt"
        else
            bad "backend $be: $opt" "exit $rc, $(head -c 300 "$T/err")"
        fi
    done
done
# statistics that overflow (FLT_MAX inputs: the sums of squares are Inf, Inf/Inf is a NaN with
# the sign bit set on x86) print "nan" in the table, never "-nan", and null in JSON
f32le 7f7fffff 7f7fffff ff7fffff >"$T/big.f32"
for fs in fp16:q_proj fp32:q_norm; do
    fmt=${fs%%:*} stat=${fs#*:}
    "$LPSGD" quantize --format "$fmt" "$T/big.f32" "$T/big_q.f32" >"$T/big.txt" 2>"$T/err"
    rc=$?
    got=$(awk -v k="$stat" '$1 == k {print $2}' "$T/big.txt")
    if [ $rc = 0 ] && [ "$got" = nan ] && ! grep -q -- -nan "$T/big.txt"; then
        ok "$fmt, overflowing sums: $stat prints nan, no -nan in the table"
    else
        bad "$fmt, overflowing sums" "exit $rc, $stat [$got]: $(grep -- nan "$T/big.txt" | head -3)"
    fi
    "$LPSGD" quantize --format "$fmt" --json "$T/big.f32" "$T/big_q.f32" >"$T/a.json"
    expect_eq "$fmt, overflowing sums: JSON $stat is null" "$(j "$stat")" None
done
left=$(find "$T" -name '*.tmp.*' | wc -l)
expect_eq "no temporary files left" "$left" 0
summary

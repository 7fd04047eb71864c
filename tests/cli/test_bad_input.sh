#!/usr/bin/env bash
# Bad input -> exit code 2 and ONE line on stderr naming the problem, for lpsgd and (when
# make test provides it) the ASan/UBSan build $LPSGD_SAN. Never a crash, never a partial OUT.
here=$(dirname "$0")
. "$here/../lp_test.sh"

f32le 3f800000 3e99999a 7fc00000 ff800000 >"$T/good.f32"
{ npy_bytes 1 False "(4,)"; f32le 3f800000 3e99999a 7fc00000 ff800000; } >"$T/good.npy"
{ npy_bytes 1 False "(4,)"; f32le 3f800000 3e99999a; } >"$T/trunc_data.npy"
npy_bytes 1 False "(4,)" | head -c 40 >"$T/trunc_hdr.npy"
printf '\x93NUM' >"$T/trunc_magic.npy"
{ npy_bytes 1 False "(2,)" "<f8"; f32le 0 0 0 0; } >"$T/f64.npy"
{ npy_bytes 1 False "(2,)" "<i4"; f32le 0 0; } >"$T/i32.npy"
{ npy_bytes 1 False "(2,)" ">f4"; f32le 0 0; } >"$T/be.npy"
{ npy_bytes 1 False "(0,)"; } >"$T/empty_arr.npy"
{ npy_bytes 1 False "(2, 0)"; } >"$T/empty_2d.npy"
{ npy_bytes 1 False "(2,)"; f32le 0 0 0; } >"$T/extra.npy"
{ npy_bytes 1 Maybe "(2,)"; f32le 0 0; } >"$T/badorder.npy"
{ npy_bytes 1 False "(2, x)"; f32le 0 0; } >"$T/badshape.npy"
{ npy_bytes 1 False "(99999999999, 99999999999)"; f32le 0 0; } >"$T/huge.npy"
{ printf '\x93NUMPY\x04\x00\x10\x00'; printf '%015d\n' 0; } >"$T/v4.npy"
{ printf '\x93NUMPY\x01\x00\x10\x00'; printf 'this is not it \n'; } >"$T/nodict.npy"
printf 'PK\x03\x04 not numpy' >"$T/zip.npy"
: >"$T/empty.npy"
: >"$T/empty.f32"
printf 'abcde' >"$T/five.f32"
mkdir -p "$T/dir.npy" "$T/outdir.npy"
# inputs that are not regular files (each run under timeout: an endless read fails, not hangs)
ln -s /dev/zero "$T/zero.npy"
ln -s /dev/zero "$T/zero.f32"
mkfifo "$T/fifo.f32" "$T/fifo.csv"
# .npy headers with a NUL byte inside a quoted string: $1 is the dict as a printf format
npy_ctrl() {
    local dl total hlen
    dl=$(printf "$1" | wc -c)
    total=$(( (10 + dl + 1 + 63) / 64 * 64 )); hlen=$((total - 10))
    printf '\x93NUMPY\x01\x00'
    printf "\\x$(printf %02x $((hlen & 255)))\\x$(printf %02x $((hlen >> 8)))"
    printf "$1"
    printf "%$((hlen - dl - 1))s" ''
    printf '\n'
}
{ npy_ctrl "{'descr': '<f4\\0x', 'fortran_order': False, 'shape': (2,), }"; f32le 0 0; } >"$T/nul_descr.npy"
{ npy_ctrl "{'descr\\0zz': '<f4', 'fortran_order': False, 'shape': (2,), }"; f32le 0 0; } >"$T/nul_key.npy"
{ npy_ctrl "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"; f32le 0 0; } >"$T/nul_none.npy"
cp "$T/good.f32" "$T/same.f32"
echo "keep me" >"$T/existing.npy"

run_suite() {
    local L=$1 tag=$2
    # usage
    expect_err "$tag unknown command" "unknown command 'frobnicate'" "$L" frobnicate
    "$L" >/dev/null 2>&1
    expect_eq "$tag no command exits 2 (usage on stderr)" "$?" 2
    expect_err "$tag unknown flag" "unknown option '--frobnicate'" "$L" quantize --frobnicate --format fp16 "$T/good.f32" "$T/o.f32"
    expect_err "$tag missing value" "option --format needs a value" "$L" quantize "$T/good.f32" "$T/o.f32" --format
    expect_err "$tag missing --format" "--format is required" "$L" quantize "$T/good.f32" "$T/o.f32"
    expect_err "$tag missing OUT" "missing OUT" "$L" quantize --format fp16 "$T/good.f32"
    expect_err "$tag missing IN OUT" "missing IN and OUT" "$L" quantize --format fp16
    expect_err "$tag too many args" "too many arguments" "$L" quantize --format fp16 "$T/good.f32" "$T/o.f32" extra
    # formats and options
    expect_err "$tag unknown format" "unknown format 'fp7'" "$L" quantize --format fp7 "$T/good.f32" "$T/o.f32"
    expect_err "$tag eXmY X out of range" "eXmY needs 1 <= X <= 8" "$L" quantize --format e9m2 "$T/good.f32" "$T/o.f32"
    expect_err "$tag eXmY Y out of range" "eXmY needs 1 <= X <= 8 and 0 <= Y <= 23" "$L" quantize --format e5m24 "$T/good.f32" "$T/o.f32"
    expect_err "$tag eXmY X = 0" "eXmY needs" "$L" quantize --format e0m3 "$T/good.f32" "$T/o.f32"
    expect_err "$tag bad fixed" "format 'fixed1.0'" "$L" quantize --format fixed1.0 "$T/good.f32" "$T/o.f32"
    expect_err "$tag bad rounding" "--rounding: unknown value 'up' \(use rne, rtz or sr\)" "$L" quantize --format fp16 --rounding up "$T/good.f32" "$T/o.f32"
    expect_err "$tag bad overflow" "--overflow: unknown value" "$L" quantize --format fp16 --overflow wrap "$T/good.f32" "$T/o.f32"
    expect_err "$tag bad subnormals" "--subnormals: unknown value" "$L" quantize --format fp16 --subnormals maybe "$T/good.f32" "$T/o.f32"
    expect_err "$tag bad scale" "--scale: unknown value 'block16'" "$L" quantize --format fp16 --scale block16 "$T/good.f32" "$T/o.f32"
    expect_err "$tag seed negative" "--seed: '-1' is not a whole number" "$L" quantize --format fp16 --seed -1 "$T/good.f32" "$T/o.f32"
    expect_err "$tag seed too big" "--seed: 4294967296 is out of range" "$L" quantize --format fp16 --seed 4294967296 "$T/good.f32" "$T/o.f32"
    expect_err "$tag step not a number" "--step: 'x' is not a whole number" "$L" quantize --format fp16 --step x "$T/good.f32" "$T/o.f32"
    expect_err "$tag unknown backend" "unknown backend 'fpga9'" "$L" quantize --format fp16 --backend fpga9 "$T/good.f32" "$T/o.f32"
    expect_err "$tag --device without xrt" "--device applies to --backend xrt or opencl only" "$L" quantize --format fp16 --device 0 "$T/good.f32" "$T/o.f32"
    expect_err "$tag --xclbin without xrt" "--xclbin applies to --backend xrt or opencl only" "$L" train --xclbin k.xclbin --epochs 1
    expect_err "$tag --trace without verilator" "--trace applies to --backend verilator only" "$L" shrink --trace w.fst
    expect_err "$tag --trace empty" "--trace needs a file name" "$L" quantize --format fp16 --backend verilator --trace= "$T/good.f32" "$T/o.f32"
    # input files
    expect_err "$tag missing file" "nope.npy: cannot open: No such file" "$L" quantize --format fp16 "$T/nope.npy" "$T/o.npy"
    expect_err "$tag IN is a directory" "dir.npy: not a regular file but a directory" timeout 20 "$L" quantize --format fp16 "$T/dir.npy" "$T/o.npy"
    expect_err "$tag IN is /dev/zero (.npy)" "zero.npy: not a regular file but a character device" timeout 20 "$L" quantize --format fp16 "$T/zero.npy" "$T/o.npy"
    expect_err "$tag IN is /dev/zero (.f32)" "zero.f32: not a regular file but a character device" timeout 20 "$L" quantize --format fp16 "$T/zero.f32" "$T/o.f32"
    expect_err "$tag IN is a FIFO" "fifo.f32: not a regular file but a FIFO" timeout 20 "$L" quantize --format fp16 "$T/fifo.f32" "$T/o.f32"
    expect_err "$tag train --resume /dev/zero" "/dev/zero: not a regular file but a character device" timeout 20 "$L" train --resume /dev/zero
    expect_err "$tag train --resume a directory" "dir.npy: not a regular file but a directory" timeout 20 "$L" train --resume "$T/dir.npy"
    expect_err "$tag train --data csv:/dev/zero" "/dev/zero: not a regular file but a character device" timeout 20 "$L" train --data csv:/dev/zero
    expect_err "$tag train --data libsvm:DIR" "dir.npy: not a regular file but a directory" timeout 20 "$L" train --data "libsvm:$T/dir.npy"
    expect_err "$tag curves FIFO" "fifo.csv: not a regular file but a FIFO" timeout 20 "$L" curves "a=$T/fifo.csv"
    expect_err "$tag curves /dev/zero" "/dev/zero: not a regular file but a character device" timeout 20 "$L" curves a=/dev/zero
    expect_err "$tag npy NUL inside 'descr' value" "NUL or control byte inside a quoted string" "$L" quantize --format fp16 "$T/nul_descr.npy" "$T/o.npy"
    expect_err "$tag npy NUL inside a key" "NUL or control byte inside a quoted string" "$L" quantize --format fp16 "$T/nul_key.npy" "$T/o.npy"
    check "$tag the same header without NUL is read" "$L" quantize --format fp16 "$T/nul_none.npy" "$T/o_nn.npy"
    expect_err "$tag unknown extension" "unknown file type" "$L" quantize --format fp16 "$T/good.f32" "$T/o.txt"
    expect_err "$tag empty .npy file" "empty file" "$L" quantize --format fp16 "$T/empty.npy" "$T/o.npy"
    expect_err "$tag empty .f32 file" "empty file" "$L" quantize --format fp16 "$T/empty.f32" "$T/o.f32"
    expect_err "$tag .f32 not multiple of 4" "size 5 bytes is not a multiple of 4" "$L" quantize --format fp16 "$T/five.f32" "$T/o.f32"
    expect_err "$tag truncated data" "truncated .npy file: the shape needs 16 bytes" "$L" quantize --format fp16 "$T/trunc_data.npy" "$T/o.npy"
    expect_err "$tag truncated header" "truncated .npy file: the header claims" "$L" quantize --format fp16 "$T/trunc_hdr.npy" "$T/o.npy"
    expect_err "$tag truncated magic" "not a .npy file" "$L" quantize --format fp16 "$T/trunc_magic.npy" "$T/o.npy"
    expect_err "$tag not npy at all" "not a .npy file" "$L" quantize --format fp16 "$T/zip.npy" "$T/o.npy"
    expect_err "$tag float64 npy" "dtype '<f8' is not float32" "$L" quantize --format fp16 "$T/f64.npy" "$T/o.npy"
    expect_err "$tag int32 npy" "dtype '<i4' is not float32" "$L" quantize --format fp16 "$T/i32.npy" "$T/o.npy"
    expect_err "$tag big-endian npy" "big-endian float32" "$L" quantize --format fp16 "$T/be.npy" "$T/o.npy"
    expect_err "$tag empty array" "empty array" "$L" quantize --format fp16 "$T/empty_arr.npy" "$T/o.npy"
    expect_err "$tag empty 2-d array" "empty array" "$L" quantize --format fp16 "$T/empty_2d.npy" "$T/o.npy"
    expect_err "$tag bytes after data" "bytes after the" "$L" quantize --format fp16 "$T/extra.npy" "$T/o.npy"
    expect_err "$tag bad fortran_order" "'fortran_order' is not True or False" "$L" quantize --format fp16 "$T/badorder.npy" "$T/o.npy"
    expect_err "$tag bad shape" "malformed .npy header: 'shape'" "$L" quantize --format fp16 "$T/badshape.npy" "$T/o.npy"
    expect_err "$tag huge shape" "too many elements" "$L" quantize --format fp16 "$T/huge.npy" "$T/o.npy"
    expect_err "$tag npy version 4" "unsupported .npy version 4.0" "$L" quantize --format fp16 "$T/v4.npy" "$T/o.npy"
    expect_err "$tag no header dict" "malformed .npy header" "$L" quantize --format fp16 "$T/nodict.npy" "$T/o.npy"
    # outputs
    expect_err "$tag OUT in a missing directory" "cannot write: No such file or directory" "$L" quantize --format fp16 "$T/good.f32" "$T/no/such/dir/o.f32"
    expect_err "$tag OUT is a directory" "is a directory" "$L" quantize --format fp16 "$T/good.npy" "$T/outdir.npy"
    expect_err "$tag codes unwritable" "cannot write" "$L" quantize --format fp16 --codes "$T/no/such/c.lpqc" "$T/good.f32" "$T/o2.f32"
    expect_eq "$tag codes unwritable: no OUT" "$(ls "$T/o2.f32" 2>/dev/null)" ""
    expect_err "$tag codes a directory" "outdir.npy: cannot write: it is a directory" "$L" quantize --format fp16 --codes "$T/outdir.npy" "$T/good.f32" "$T/o3.f32"
    expect_eq "$tag codes a directory: no OUT" "$(ls "$T/o3.f32" 2>/dev/null)" ""
    expect_err "$tag OUT = IN, codes unwritable" "c.lpqc: cannot write" "$L" quantize --format fp16 --codes /nonexistent/c.lpqc "$T/same.f32" "$T/same.f32"
    if cmp -s "$T/same.f32" "$T/good.f32"; then ok "$tag OUT = IN: IN byte-identical"; else bad "$tag OUT = IN" "IN was overwritten"; fi
    for mode in --json ""; do # stdout that cannot be written (disk full) is a failed output too
        "$L" quantize --format fp16 ${mode:+"$mode"} --codes "$T/o4.lpqc" "$T/good.f32" "$T/o4.f32" >/dev/full 2>"$T/err"
        rc=$?
        if [ $rc = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "standard output: write failed" "$T/err" &&
            [ ! -e "$T/o4.f32" ] && [ ! -e "$T/o4.lpqc" ]; then
            ok "$tag ${mode:-table} to a full stdout: exit 2, no OUT, no codes"
        else
            bad "$tag ${mode:-table} to a full stdout" "exit $rc, $(ls "$T"/o4.* 2>/dev/null | wc -l) outputs: $(head -c 200 "$T/err")"
        fi
    done
    expect_err "$tag shrink table to a full stdout" "standard output: write failed" sh -c '"$0" shrink --csv "$1" >/dev/full' "$L" "$T/sf.csv"
    expect_eq "$tag shrink, full stdout: no CSV" "$(ls "$T/sf.csv" 2>/dev/null)" ""
    expect_err "$tag failed run leaves OUT alone" "dtype" "$L" quantize --format fp16 "$T/f64.npy" "$T/existing.npy"
    expect_eq "$tag existing OUT untouched" "$(cat "$T/existing.npy")" "keep me"
    expect_eq "$tag no temporary files left" "$(find "$T" -name '*.tmp.*' | wc -l)" 0
    # shrink and formats
    expect_err "$tag shrink --n 0" "--n: 0 is out of range" "$L" shrink --n 0
    expect_err "$tag shrink --n huge" "--n: 99999999999 is out of range" "$L" shrink --n 99999999999
    expect_err "$tag shrink bad signal" "unknown signal 'sine:1'" "$L" shrink --signal sine:1
    expect_err "$tag shrink bad signal param" "--signal: 'x' is not a finite number" "$L" shrink --signal exp:x
    expect_err "$tag shrink signal param <= 0" "--signal: -1 is out of range" "$L" shrink --signal exp:-1
    expect_err "$tag shrink bad format in list" "--formats: unknown format 'fp9'" "$L" shrink --formats fp16,fp9
    expect_err "$tag shrink empty format list" "--formats: empty entry" "$L" shrink --formats ,
    expect_err "$tag shrink empty format" "--formats: empty entry" "$L" shrink --formats fp16,,fp8_e4m3
    expect_err "$tag shrink too many formats" "--formats: at most 16 formats" "$L" shrink --formats fp16,fp16,fp16,fp16,fp16,fp16,fp16,fp16,fp16,fp16,fp16,fp16,fp16,fp16,fp16,fp16,fp16
    expect_err "$tag shrink long format name" "--formats: unknown format 'xxxxxxxxxx" "$L" shrink --formats fp16,xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    expect_err "$tag shrink bad scale list" "--scales: unknown value 'mx'" "$L" shrink --scales none,mx
    expect_err "$tag shrink --amp 0" "--amp: 0 is out of range" "$L" shrink --amp 0
    expect_err "$tag shrink --amp nan" "--amp: 'nan' is not a finite number" "$L" shrink --amp nan
    expect_err "$tag shrink --x-max -1" "--x-max: -1 is out of range" "$L" shrink --x-max -1
    expect_err "$tag shrink --format not taken" "unknown option '--format'" "$L" shrink --format fp16
    expect_err "$tag shrink positional" "unexpected argument" "$L" shrink fp16
    expect_err "$tag shrink csv unwritable" "cannot write" "$L" shrink --csv "$T/no/such/s.csv"
    expect_err "$tag shrink plot unwritable" "cannot write" "$L" shrink --plot "$T/no/such/s.png"
    expect_err "$tag formats unknown flag" "unknown option '--all'" "$L" formats --all
    expect_err "$tag formats bad format" "format 'e9m1': eXmY needs" "$L" formats e9m1
    # NaN and Inf are data, not errors
    if "$L" quantize --format fp8_e4m3 "$T/good.npy" "$T/nan_ok.npy" >"$T/out" 2>"$T/err"; then
        ok "$tag NaN/Inf inputs are legal data"
    else
        bad "$tag NaN/Inf inputs" "exit $?: $(cat "$T/err")"
    fi
}

run_suite "$LPSGD" lpsgd
if [ -n "${LPSGD_SAN:-}" ] && [ -x "$LPSGD_SAN" ]; then
    run_suite "$LPSGD_SAN" san
else
    echo "note: LPSGD_SAN not set: the ASan/UBSan pass runs under make test"
fi
summary

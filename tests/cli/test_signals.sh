#!/usr/bin/env bash
# SIGTERM and SIGINT in the middle of a command that writes files (quantize, shrink, shrink while
# gnuplot draws): the process ends as by the signal (exit status 128 + signal) and leaves no
# temporary file (*.tmp.*) and no output behind;
# an OUT that existed before is untouched. Each run is signalled as soon as its temporary
# exists (polled), so the signal lands in the middle of the work, not before or after it.
# And an input that shrinks while quantize reads it through its mapping: exit 2 with the
# message, no output (the run is stopped, the file truncated, the run continued).
here=$(dirname "$0")
. "$here/../lp_test.sh"
set -m # background jobs get their own process group and keep SIGINT (a script ignores it otherwise)

N=$((16 * 1024 * 1024)) # 64 MB of float32 data
Q="LP_QUANT_CHUNK=4096"  # quantize in 4096-element chunks: ~0.3 s instead of ~0.08 s, for the poll
head -c $((4 * N)) /dev/zero | tr '\0' '\077' >"$T/big.f32" # every element 0x3f3f3f3f = 0.747
echo "old output" >"$T/old.f32"

# run NAME SIGNAL OUT CMD...: start CMD, signal it once a temporary of OUT appears.
run() {
    local name=$1 sig=$2 out=$3; shift 3
    find "$T" -name '*.tmp.*' -delete # a previous run's leftovers (counted there) must not trigger this one
    # default dispositions for the child: a test started from a shell that ignores SIGINT
    # (a background job without job control) must still see what lpsgd does with it
    env --default-signal=INT,TERM,HUP,PIPE "$@" >"$T/out" 2>"$T/err" &
    local pid=$! k=0 seen=0
    while [ $k -lt 2000 ]; do # up to 20 s
        if compgen -G "$out.tmp.*" >/dev/null; then seen=1; break; fi
        kill -0 $pid 2>/dev/null || break
        sleep 0.01
        k=$((k + 1))
    done
    if [ $seen = 0 ]; then
        wait $pid
        skip "$name: no temporary of $(basename "$out") appeared while it ran (exit $?), nothing to interrupt"
        return
    fi
    kill -s "$sig" $pid
    wait $pid 2>/dev/null # (job control's "Terminated" notice)
    local rc=$? want=$((128 + $(kill -l "$sig")))
    local left
    left=$(find "$T" -name '*.tmp.*' | wc -l)
    if [ "$rc" != "$want" ]; then
        bad "$name" "exit $rc, want $want (died by SIG$sig); stderr: $(head -c 300 "$T/err")"
    elif [ "$left" != 0 ]; then
        bad "$name" "$left temporary files left: $(find "$T" -name '*.tmp.*' | head -3 | tr '\n' ' ')"
    else
        ok "$name: exit $rc, no temporary left"
    fi
}

for sig in ${LP_SIGS:-TERM INT}; do
    run "quantize, SIG$sig" $sig "$T/q.f32" $Q "$LPSGD" quantize --format fp8_e4m3 --codes "$T/q.lpqc" "$T/big.f32" "$T/q.f32"
    if [ -e "$T/q.f32" ] || [ -e "$T/q.lpqc" ]; then bad "quantize, SIG$sig: no OUT" "OUT or codes written"; else ok "quantize, SIG$sig: no OUT, no codes"; fi
    run "quantize over an old OUT, SIG$sig" $sig "$T/old.f32" $Q "$LPSGD" quantize --format fp16 "$T/big.f32" "$T/old.f32"
    expect_eq "quantize, SIG$sig: the old OUT untouched" "$(cat "$T/old.f32")" "old output"
    run "shrink --csv --sweep-csv, SIG$sig" $sig "$T/s.csv" "$LPSGD" shrink --n 16777216 --csv "$T/s.csv" --sweep-csv "$T/sw.csv"
    if [ -e "$T/s.csv" ] || [ -e "$T/sw.csv" ]; then bad "shrink, SIG$sig: no CSV" "a CSV was written"; else ok "shrink, SIG$sig: no CSV"; fi
    if command -v gnuplot >/dev/null || [ -n "${LP_GNUPLOT:-}" ]; then # signalled while gnuplot draws
        run "shrink --plot, SIG$sig during gnuplot" $sig "$T/p.png" "$LPSGD" shrink --plot "$T/p.png" --csv "$T/p.csv"
        if [ -e "$T/p.png" ] || [ -e "$T/p.csv" ] || compgen -G "$T/*.log" >/dev/null; then
            bad "shrink --plot, SIG$sig: no PNG, CSV or gnuplot log" "$(cd "$T" && ls p.png p.csv ./*.log 2>/dev/null | tr '\n' ' ')"
        else
            ok "shrink --plot, SIG$sig: no PNG, CSV or gnuplot log"
        fi
    else
        skip "shrink --plot, SIG$sig: gnuplot is not installed (sudo make deps)"
    fi
done
# an input truncated while quantize reads it (mapped: the read past the new end is a SIGBUS,
# lp_map_guard): stopped once its temporary holds data, truncated, continued
cp "$T/big.f32" "$T/shrinks.f32"
LP_QUANT_CHUNK=64 "$LPSGD" quantize --format fp8_e4m3 "$T/shrinks.f32" "$T/sh.f32" >"$T/out" 2>"$T/err" &
pid=$! k=0 seen=0
while [ $k -lt 2000 ]; do
    tmp=$(compgen -G "$T/sh.f32.tmp.*" | head -1)
    if [ -n "$tmp" ] && [ "$(stat -c %s "$tmp" 2>/dev/null || echo 0)" -gt 0 ]; then seen=1; break; fi
    kill -0 $pid 2>/dev/null || break
    sleep 0.01
    k=$((k + 1))
done
if [ $seen = 1 ] && kill -STOP $pid 2>/dev/null; then
    : >"$T/shrinks.f32"
    kill -CONT $pid
    rc=147
    while [ "$rc" = 147 ]; do # 128 + SIGSTOP: job control reports the stop first
        wait $pid
        rc=$?
    done
    if [ "$rc" = 2 ] && grep -q "shrinks.f32: read error: the file shrank while being read" "$T/err" &&
        [ ! -e "$T/sh.f32" ] && ! compgen -G "$T/sh.f32.tmp.*" >/dev/null; then
        ok "quantize of an input truncated mid-run: exit 2, the message, no OUT, no temporary"
    else
        bad "quantize of an input truncated mid-run" "exit $rc; stderr: $(head -c 300 "$T/err"); $(ls "$T" | grep sh.f32 | tr '\n' ' ')"
    fi
else
    wait $pid
    bad "quantize of an input truncated mid-run" "the run ended (exit $?) before it could be stopped"
fi
# without a signal the same command completes (the test above did interrupt real work)
check "quantize without a signal completes" "$LPSGD" quantize --format fp8_e4m3 --codes "$T/q.lpqc" "$T/big.f32" "$T/q.f32"
expect_eq "OUT has every element" "$(stat -c %s "$T/q.f32")" $((4 * N))
summary

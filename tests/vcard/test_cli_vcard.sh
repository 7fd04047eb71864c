#!/usr/bin/env bash
# tests/vcard/test_cli_vcard.sh - `lpsgd train|selftest --backend vcard`: the host's own
# streaming code (host/backend/lp_stream.c, the xrt backend's) driving the virtual Alveo card
# of sim/vcard (the Verilated kernel builds, Classes = 1 and 16, as its compute units;
# DDR4/HBM and PCIe modelled). The per-step CSV logs and checkpoints must be byte-identical
# to --backend csim for least squares, hinge, logistic and softmax, schedules, tensor and
# block32 scaling, --compensate, on the three cards; selftest on 1, 2 and 4 CUs (all jobs
# at once through lp_stream_jobs); theory identical to csim; the refusals (a bad card, too
# many CUs, vcard options on another backend; softmax on a build without the 16-class
# model, make LP_VKERNEL_BUILDS=1, where the softmax cases count as skipped) with their
# messages; the report's fields in --json and its --plot. Small jobs: the card simulates
# ~55 k kernel cycles per second (Classes = 1), ~15 k (Classes = 16). Skipped with its
# reason when lpsgd has no virtual card.
set -u
LPSGD=${LPSGD:-build/lpsgd}
. "$(dirname "$0")/../lp_test.sh"
tmp=$T

SYN="synthetic:n=160,d=12,noise=0.1"
probe_or_skip "train --backend vcard" "built without the virtual card" \
  "$LPSGD" train --backend vcard --data "$SYN" --model lsq --epochs 1 --batch 16

binary_csv "$tmp/bin.csv" 120 6 # a small binary CSV: 6 features, the label last
BIN="csv:$tmp/bin.csv"
multiclass_csv "$tmp/mc.csv" 60 6 # 3 classes: softmax on the 16-class model
MC="csv:$tmp/mc.csv"

# softmax needs the card's 16-class model (the default build has it; make
# LP_VKERNEL_BUILDS=1 leaves it out, and then softmax is refused by name)
"$LPSGD" train --backend vcard --data "$MC" --model softmax --epochs 1 --batch 12 >"$tmp/sm.out" 2>"$tmp/sm.err"
sm_rc=$?
SM16=1
if [ $sm_rc = 2 ] && grep -q "needs a compute unit built with Classes >= 3" "$tmp/sm.err"; then
  SM16=""
  expect_err "train softmax refused (no 16-class model in this build)" \
    "^lpsgd train: vcard: softmax with K = 3 classes needs a compute unit built with Classes >= 3, and this lpsgd's virtual card has Classes <= 1 only" \
    "$LPSGD" train --backend vcard --data "$MC" --model softmax --epochs 1 --batch 12
elif [ $sm_rc != 0 ]; then
  bad "train softmax on vcard: rc $sm_rc: $(head -c 300 "$tmp/sm.err")"
fi

# same "VCARD OPTIONS" DATA MODEL ARGS...: csim and vcard give identical logs and checkpoints
# (train_same, tests/lp_test.sh)
same() { train_same vcard "$1" "$1 $3 ${*:4}" "${@:2}"; }

same "--card u250" "$SYN" lsq --format fp8_e4m3 --lr 0.05 --batch 16 --epochs 2 --lambda 0.001
same "--card u280" "$SYN" lsq --format bf16 --scale block32 --lr 0.02 --batch 16 --epochs 1
same "--card u55c --pcie gen4x8" "$SYN" lsq --format fp8_e4m3 --scale tensor --lr 0.05 --batch 16 --epochs 1
same "--card u250 --cus 1" "$BIN" hinge --format fp8_e5m2 --lr 0.1 --batch 12 --epochs 1
same "--card u250" "$BIN" logistic --format fp4_e2m1 --rounding sr --seed 3 --lr 0.5 --batch 12 --epochs 1
# the schedules and --compensate (the kernel's scalar unit), a chunk of a few steps per run
same "--card u250" "$SYN" lsq --format fp8_e4m3 --schedule inverse --gamma 10 --lr 0.5 --batch 16 --epochs 1 --chunk 3
same "--card u250" "$BIN" logistic --format fp4_e2m1 --rounding sr --schedule halving --period 3 --compensate --lr 0.5 \
  --batch 12 --epochs 1
# softmax (K = 3) on the 16-class model: SR, block32, a schedule and --compensate on one card,
# HBM on another
if [ -n "$SM16" ]; then
  same "--card u250 --cus 1" "$MC" softmax --format fp4_e2m1 --rounding sr --seed 5 --scale block32 --schedule inverse \
    --gamma 4 --lr 1 --batch 12 --epochs 1 --compensate --lambda 0.001
  same "--card u280" "$MC" softmax --format fp8_e4m3 --lr 0.3 --batch 12 --epochs 1
else
  skip "softmax train on vcard (2 cases): no 16-class model in this build (make LP_VKERNEL_BUILDS=1)"
fi

# theory: one backend open per format, so the card (one per process) is opened once and
# served again; the table identical to csim's
"$LPSGD" theory --backend csim --data synthetic:n=160,d=8 --formats fp8_e4m3,bf16 --epochs 1 --batch 16 \
  >"$tmp/th_csim.out" 2>&1
if "$LPSGD" theory --backend vcard --data synthetic:n=160,d=8 --formats fp8_e4m3,bf16 --epochs 1 --batch 16 \
     >"$tmp/th_vc.out" 2>&1 && cmp -s "$tmp/th_csim.out" "$tmp/th_vc.out"; then
  ok "theory --formats fp8_e4m3,bf16: vcard = csim (two opens of one card)"
else
  bad "theory on vcard differs from csim: $(diff "$tmp/th_csim.out" "$tmp/th_vc.out" | head -c 400)"
fi

# the report: text lines after "done:", and the same figures as the "vcard" member of --json
"$LPSGD" train --backend vcard --card u250 --data "$SYN" --model lsq --format fp8_e4m3 --lr 0.05 --batch 16 \
  --epochs 1 >"$tmp/rep.out" 2>"$tmp/rep.err"
if grep -q "^vcard u250 (4 CU, 300 MHz): simulated .* s per step, .* s per epoch" "$tmp/rep.out" &&
   grep -q "^  port    gmem0 read (data) .* GB/s while the kernel runs" "$tmp/rep.out" &&
   grep -q "^  memory  DDR\[0\] .* GB/s on average, busy" "$tmp/rep.out" &&
   grep -q "^  PCIe    host -> card .* busy" "$tmp/rep.out" && grep -q "^  PCIe    card -> host" "$tmp/rep.out" &&
   grep -Eq "^  bottleneck: (kernel|memory channel DDR\[0\]|PCIe|host); on the card: (kernel|memory channel DDR\[0\]|PCIe) " "$tmp/rep.out" &&
   grep -q "^  projected on a u250, one job per CU like this one (samples/s, what limits it; the card alone; the one-port bound):" "$tmp/rep.out" &&
   [ "$(grep -Ec "^    [1-4] CU  .*[0-9] +(kernel|memory channel DDR\[[0-3]\]|PCIe|host) +[0-9.e+]+ +(kernel|memory channel DDR\[[0-3]\]|PCIe) +[0-9.e+]+$" "$tmp/rep.out")" = 4 ] &&
   # the one-port bound: 300 MHz / (1 + D/16) rows per second per CU, D = 16 here (12 features + bias, padded)
   [ "$(sed -n 's/^    1 CU .* \([0-9.e+]*\)$/\1/p' "$tmp/rep.out")" = 1.5e+08 ]; then
  ok "train report: $(grep bottleneck "$tmp/rep.out" | sed 's/^ *//')"
else
  bad "train report lines missing: $(head -c 600 "$tmp/rep.out") $(head -c 200 "$tmp/rep.err")"
fi
"$LPSGD" train --backend vcard --card u280 --data "$SYN" --model lsq --format fp8_e4m3 --lr 0.05 --batch 16 \
  --epochs 1 --json >"$tmp/rep.json" 2>"$tmp/rep.err"
miss=""
for k in '"backend": "vcard"' '"vcard": {"card": "u280", "cus": 2' '"sim_step_s": ' '"sim_epoch_s": ' \
         '"kernel_busy": ' '"ports": {"gmem0_read": ' '"gmem1_write": ' '"channels": [{"bank": "HBM[0]"' \
         '"pcie": {"h2c_gbps": ' '"c2h_util": ' '"bottleneck": "' '"projection": [{"cus": 1, "samples_per_s": ' \
         '{"cus": 2, "samples_per_s": ' '"host_step_s": ' '"card_bottleneck": "' '"card_samples_per_s": ' \
         '"one_port_bound_samples_per_s": 150000000}' '"one_port_bound_samples_per_s": 300000000}'; do
  grep -qF "$k" "$tmp/rep.json" || miss="$miss [$k]"
done
if [ -z "$miss" ] && [ "$(wc -l <"$tmp/rep.json")" = 1 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/rep.json" 2>/dev/null; then
  ok "train --json: one valid JSON object with the vcard report's fields"
else
  bad "train --json: missing$miss or not one valid JSON object: $(head -c 300 "$tmp/rep.json") $(head -c 200 "$tmp/rep.err")"
fi

# two runs outstanding (backend.h train_depth): chunk c + 1's copy runs beside chunk c's
# kernel, so a step takes clearly less than the DMA and the kernel one after the other
"$LPSGD" train --backend vcard --card u250 --data synthetic:n=1024,d=256 --model lsq --batch 64 --epochs 1 --chunk 2 \
  --json >"$tmp/ov.json" 2>"$tmp/ov.err"
jnum() { sed -n "s/.*\"$1\": \([0-9.e+-]*\).*/\1/p" "$tmp/ov.json"; }
ov=$(awk -v s="$(jnum sim_step_s)" -v k="$(jnum kernel_step_s)" -v p="$(jnum pcie_step_s)" \
  'BEGIN { if (s == "" || k == "" || p == "") exit 1; printf "step %.2f us, kernel %.2f + DMA %.2f us", s * 1e6, k * 1e6, p * 1e6; exit !(s < 0.9 * (k + p)) }')
if [ $? = 0 ]; then
  ok "train --chunk 2 (8 runs): the DMA overlaps the kernel: $ov"
else
  bad "train --chunk 2: no overlap of DMA and kernel: $ov $(head -c 300 "$tmp/ov.err")"
fi

# --plot: the training curves and, beside them, F-vcard.png (a step's time in 5 bars, the
# projection for 1..4 CUs with and without the host); needs gnuplot
if command -v gnuplot >/dev/null 2>&1; then
  if "$LPSGD" train --backend vcard --data "$SYN" --model lsq --batch 16 --epochs 1 --plot "$tmp/p.png" \
       >/dev/null 2>"$tmp/p.err" && [ -s "$tmp/p.png" ] && [ -s "$tmp/p-vcard.png" ] &&
     [ "$(awk 'NF == 2' "$tmp/p-vcard.dat" | wc -l)" = 13 ]; then
    ok "train --plot: p.png and p-vcard.png (5 bars, 2 x 4 projected points)"
  else
    bad "train --plot: $(head -c 300 "$tmp/p.err"); $(ls "$tmp"/p*)"
  fi
else
  skip "train --plot: no gnuplot on PATH (Debian's gnuplot-nox)"
fi

# selftest: 1 CU (double buffering on one CU), then 2 and 4 CUs (jobs at once, one per CU);
# all 4 jobs compared (the softmax job on the 16-class model); without that model the softmax
# job is skipped and says why
for cus in 1 2 4; do
  "$LPSGD" selftest --backend vcard --card u250 --cus $cus --depth 2 >"$tmp/st.out" 2>"$tmp/st.err"
  rc=$?
  want_on=""; [ $cus -gt 1 ] && want_on="all at once on $cus compute units"
  if [ -n "$SM16" ]; then
    njobs=4; sm_ok=$(grep -c "job 2  softmax .*record + .* model words identical" "$tmp/st.out")
  else
    njobs=3; sm_ok=$(grep -c "job 2  softmax .*SKIPPED: softmax with K = 4 classes needs a compute unit" "$tmp/st.out")
  fi
  if [ $rc = 0 ] && tail -n 1 "$tmp/st.out" | grep -qx "TEST PASSED" &&
     [ "$(grep -c 'record + .* model words identical' "$tmp/st.out")" = $njobs ] && [ "$sm_ok" = 1 ] &&
     { [ -z "$want_on" ] || grep -q "$want_on" "$tmp/st.out"; }; then
    ok "selftest --cus $cus: $njobs jobs identical to csim$([ -z "$SM16" ] && echo ", softmax skipped with its reason")"
  else
    bad "selftest --cus $cus: rc $rc: $(head -c 800 "$tmp/st.out") $(head -c 300 "$tmp/st.err")"
  fi
done
if [ "$(grep -o 'CU [1-4]' "$tmp/st.out" | sort -u | wc -l)" -ge 3 ]; then
  ok "selftest --cus 4: the jobs ran on $(grep -o 'CU [1-4]' "$tmp/st.out" | sort -u | tr '\n' ' ')"
else
  bad "selftest --cus 4: the jobs did not spread over the CUs: $(grep job "$tmp/st.out")"
fi

# the refusals: one line on stderr, exit 2
expect_err "bad --card" "^lpsgd train: --card: unknown value 'u200' \(use u250, u280 or u55c\)$" \
  "$LPSGD" train --backend vcard --card u200 --data "$SYN" --model lsq
expect_err "bad --pcie" "^lpsgd train: --pcie: unknown value 'gen5' \(use gen3x16 or gen4x8\)$" \
  "$LPSGD" train --backend vcard --pcie gen5 --data "$SYN" --model lsq
expect_err "--cus 0" "^lpsgd train: --cus: 0 is out of range \(1\.\.16\)" \
  "$LPSGD" train --backend vcard --cus 0 --data "$SYN" --model lsq
expect_err "too many CUs for the u250" \
  "^lpsgd train: backend vcard: vcard: /.*/constraints/u250.cfg instantiates 4 compute unit\(s\) \(nk=lp_sgd:N\); 5 asked for$" \
  "$LPSGD" train --backend vcard --card u250 --cus 5 --data "$SYN" --model lsq
expect_err "too many CUs for the u280" "constraints/u280.cfg instantiates 2 compute unit\(s\) \(nk=lp_sgd:N\); 3 asked for$" \
  "$LPSGD" selftest --backend vcard --card u280 --cus 3
expect_err "--card on another backend" "^lpsgd train: --card applies to --backend vcard only \(this run uses csim\)$" \
  "$LPSGD" train --card u250 --data "$SYN" --model lsq
expect_err "selftest --cus on another backend" \
  "^lpsgd selftest: --cus applies to --backend vcard only \(this run uses csim\)$" \
  "$LPSGD" selftest --backend csim --cus 2
expect_err "quantize refused" "^lpsgd quantize: --backend vcard: the virtual card's kernel \(lp_sgd\) is the whole SGD step" \
  "$LPSGD" quantize --backend vcard --format fp16 "$tmp/x.f32" "$tmp/y.f32"
expect_err "shrink refused" "^lpsgd shrink: --backend vcard: the virtual card's kernel \(lp_sgd\) is the whole SGD step" \
  "$LPSGD" shrink --backend vcard

summary

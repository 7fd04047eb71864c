#!/usr/bin/env bash
# tests/sgd/test_cli_train.sh - `lpsgd train` and `lpsgd theory` from the command line:
# bad input exits 2 with one clear message; short real runs on synthetic data work and
# write their CSV, JSON, checkpoint and plot; a resumed CLI run is bit-identical.
# Runs $LPSGD (and $LPSGD_SAN, the ASan/UBSan build, for the bad-input cases when set).
set -u
LPSGD=${LPSGD:-build/lpsgd}
. "$(dirname "$0")/../lp_test.sh"
tmp=$T
SYN="synthetic:n=600,d=12,noise=0.1"

# expect_exit CODE PATTERN ARGS...: exit code CODE, one stderr line matching PATTERN
expect_exit() {
  local want=$1 pat=$2; shift 2
  for bin in "$LPSGD" ${LPSGD_SAN:+"$LPSGD_SAN"}; do
    "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" = "$want" ] && grep -q -- "$pat" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -le 2 ]; then
      ok "$(basename "$bin") $* -> exit $rc"
    else
      bad "$(basename "$bin") $* -> exit $rc (want $want, /$pat/): $(head -c 300 "$tmp/err")"
    fi
  done
}

expect_exit 2 "unknown option" train --bogus
expect_exit 2 "format" train --format fp3
expect_exit 2 "model" train --model tree
expect_exit 2 "schedule" train --schedule cosine
expect_exit 2 "lr" train --lr -1
expect_exit 2 "lr" train --lr nan
expect_exit 2 "batch" train --batch 0
expect_exit 2 "epochs" train --epochs x
expect_exit 2 "rounding" train --rounding up
expect_exit 2 "scale" train --scale row
expect_exit 2 "backend" train --data "$SYN" --model lsq --backend nosuch
expect_exit 2 "binary" train --data "$SYN" --model logistic
expect_exit 2 "batch" train --data "$SYN" --model lsq --batch 60000
expect_exit 2 "synthetic" train --data "synthetic:n=abc" --model lsq
expect_exit 2 "" train --data /nonexistent/file.csv
expect_exit 2 ".png" train --data "$SYN" --model lsq --plot out.jpg
expect_exit 2 "unexpected" train positional
expect_exit 2 "resume" train --resume /nonexistent.ckpt
printf 'garbage' >"$tmp/bad.ckpt"
expect_exit 2 "not an lpsgd checkpoint" train --resume "$tmp/bad.ckpt"
expect_exit 2 "synthetic" theory --data fashion-mnist
expect_exit 2 "formats" theory --formats fp32,,fp4_e2m1
expect_exit 2 "format" theory --formats fp32,zz
expect_exit 2 "log" train --data "$SYN" --model lsq --epochs 1 --log /nonexistent/dir/x.csv

# help and parser agree: every option `train --help` lists is one train accepts (each is
# given a bad value or followed by a bad --epochs, so nothing trains)
opts=$("$LPSGD" train --help | grep -oE '^  --[a-z][a-z0-9-]*' | sed 's/^  //' | sort -u)
unknown=""
for opt in $opts; do
  timeout 20 "$LPSGD" train "$opt" x --epochs 0 >"$tmp/h.out" 2>"$tmp/h.err"
  grep -q "unknown option '$opt'" "$tmp/h.err" && unknown="$unknown $opt"
done
n=$(echo "$opts" | wc -w)
if [ "$n" -ge 20 ] && [ -z "$unknown" ]; then
  ok "all $n options of train --help are accepted by train"
else
  bad "train --help lists options train rejects as unknown:${unknown:- (or only $n options found)}"
fi

expect_exit 1 "diverged" train --data "$SYN" --model lsq --lr 1000 --epochs 2

# a real run: least squares on synthetic data, fp8, CSV + JSON + checkpoint
if "$LPSGD" train --data "$SYN" --model lsq --format fp8_e4m3 --lr 0.05 --batch 8 --epochs 4 \
     --log "$tmp/a.csv" --checkpoint "$tmp/a.ckpt" --json >"$tmp/a.json" 2>"$tmp/a.err"; then
  ok "train lsq fp8 on synthetic"
else
  bad "train lsq fp8 on synthetic: $(cat "$tmp/a.err")"
fi
if /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['final']['train_loss'] < d['epochs'][0]['eval']['train_loss'] * 1.01; assert len(d['epochs']) == 4" "$tmp/a.json" 2>"$tmp/py.err"; then
  ok "JSON parses, 4 epochs, loss did not rise"
else
  bad "JSON: $(cat "$tmp/py.err")"
fi
rows=$(grep -c . "$tmp/a.csv")
[ "$rows" -ge 4 ] && head -1 "$tmp/a.csv" | grep -q '^step,epoch,lr,q_norm,q_proj' && ok "CSV log ($rows lines)" || bad "CSV log"

# the same in two halves through the CLI: interrupted after 2 epochs, resumed to 4
"$LPSGD" train --data "$SYN" --model lsq --format fp8_e4m3 --lr 0.05 --batch 8 --epochs 2 \
  --log "$tmp/b.csv" --checkpoint "$tmp/b.ckpt" --chunk 5 >/dev/null 2>&1
"$LPSGD" train --resume "$tmp/b.ckpt" --epochs 4 --chunk 64 --log "$tmp/b.csv" --checkpoint "$tmp/b.ckpt" >/dev/null 2>"$tmp/b.err"
if cmp -s "$tmp/a.csv" "$tmp/b.csv" && cmp -s "$tmp/a.ckpt" "$tmp/b.ckpt"; then
  ok "CLI resume: CSV and final checkpoint byte-identical"
else
  bad "CLI resume differs: $(cat "$tmp/b.err")"
fi
expect_exit 2 "already done" train --resume "$tmp/b.ckpt" --epochs 4
expect_exit 2 "different training options" train --resume "$tmp/b.ckpt" --epochs 6 --lr 0.1

# every model runs from the CLI (binary labels from a CSV file)
/usr/bin/python3 - "$tmp/bin.csv" <<'EOF'
import sys, random
random.seed(1)
with open(sys.argv[1], "w") as f:
    for i in range(300):
        x = [random.uniform(-1, 1) for _ in range(5)]
        y = 1 if x[0] - 0.5 * x[1] + 0.2 > 0 else 0
        f.write(",".join("%.4f" % v for v in x) + ",%d\n" % y)
EOF
for m in logistic hinge softmax; do
  if "$LPSGD" train --data "csv:$tmp/bin.csv" --model $m --format fp6_e3m2 --lr 0.2 --batch 10 --epochs 3 \
       >"$tmp/m.out" 2>"$tmp/m.err"; then
    ok "train --model $m on a CSV file: $(tail -1 "$tmp/m.out")"
  else
    bad "train --model $m: $(cat "$tmp/m.err")"
  fi
done

# plots (need gnuplot)
if command -v gnuplot >/dev/null 2>&1; then
  if "$LPSGD" train --data "$SYN" --model lsq --format fp4_e2m1 --scale tensor --lr 0.05 --batch 8 --epochs 2 \
       --plot "$tmp/p.png" >/dev/null 2>"$tmp/p.err" && [ -s "$tmp/p.png" ]; then
    ok "train --plot writes a PNG"
  else
    bad "train --plot: $(cat "$tmp/p.err")"
  fi
  if "$LPSGD" theory --data "synthetic:n=1024,d=8,noise=1" --formats fp32,fp8_e4m3 --epochs 3 \
       --plot "$tmp/t.png" >"$tmp/t.out" 2>"$tmp/t.err" && [ -s "$tmp/t.png" ] && grep -q "floor bound" "$tmp/t.out"; then
    ok "theory table and plot"
  else
    bad "theory: $(cat "$tmp/t.err")"
  fi
else
  skip "train --plot and theory --plot: gnuplot is not installed (scripts/deps.sh test installs gnuplot-nox)"
fi

summary

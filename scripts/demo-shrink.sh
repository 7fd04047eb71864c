#!/usr/bin/env bash
# The shrinkage demo (make demo): `lpsgd shrink` on its defaults - the paper's Figure 1,
# g(x) = e^(-0.2x) at 1000 points on [0, 50], every preset format, unscaled and scaled -
# writing out/shrink.csv, out/shrink-sweep.csv and out/shrink.png, and printing the table.
# LPSGD names the program (default build/lpsgd); OUT the output folder (default out).
set -euo pipefail
cd "$(dirname "$0")/.."
lpsgd=${LPSGD:-build/lpsgd}
out=${OUT:-out}
if [ ! -x "$lpsgd" ]; then
    echo "demo-shrink: $lpsgd not found: run 'make' first" >&2
    exit 2
fi
mkdir -p "$out"
echo "== lpsgd shrink --csv $out/shrink.csv --sweep-csv $out/shrink-sweep.csv --plot $out/shrink.png"
"$lpsgd" shrink --csv "$out/shrink.csv" --sweep-csv "$out/shrink-sweep.csv" --plot "$out/shrink.png"
echo
echo "wrote $out/shrink.csv (the table), $out/shrink-sweep.csv (q_norm per amplitude) and"
echo "$out/shrink.png: (a) g and Q(g) per format, (b) q_norm against the gradient's amplitude."
echo "At amplitude 1 the norm barely moves (the tail that underflows carries little energy);"
echo "try 'lpsgd shrink --amp 1e-3' (small gradients) or '--rounding rtz' to see q fall below 1."

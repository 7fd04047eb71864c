#!/usr/bin/env bash
# lpsgd report on a tiny study built by hand (tests/report/study.sh): the page's files, a
# self-contained HTML (every image a data: URI that decodes to a PNG, nothing linked out), its
# sections, numbers checked against awk over the logs, the same report.md bytes twice,
# --out/--resources/--target-loss, and bad input (exit 2, one line).
here=$(dirname "$0")
. "$here/../lp_test.sh"
. "$here/study.sh"

if ! command -v gnuplot >/dev/null && [ -z "${LP_GNUPLOT:-}" ]; then
    skip "needs gnuplot (Debian package gnuplot-nox) for the report's PNGs"
    summary
fi
cd "$T" || exit 1
make_study st 2>"$T/mk.err"
[ -s "$T/mk.err" ] && bad "study built" "$(head -c 300 "$T/mk.err")" || ok "study built (10 runs done, 1 failed, 1 pending)"

check "report st" "$LPSGD" report st
expect_eq "report says where the page is" "$(cat "$T/out")" \
    "wrote st/report.html (one self-contained page) and st/report.md (its PNGs in st/report/)"
for f in report.html report.md report/overview.png report/width-fp32.png report/width-fp4_e2m1.png; do
    [ -s "st/$f" ] && ok "st/$f written" || bad "st/$f" "missing"
done
ls st/report/*.tmp.* st/.*.tmp* >/dev/null 2>&1 && bad "no temporaries left" "$(ls st st/report)" || ok "no temporaries left"

# self-contained: no script, no stylesheet link, no href, no src other than data: PNGs
H=st/report.html
n=$(grep -Eoc '<script|<link|href=|src="http|url\(' "$H")
expect_eq "html: no script, link, href or remote url" "$n" 0
imgs=$(grep -o '<img ' "$H" | wc -l)
data=$(grep -o 'src="data:image/png;base64,[A-Za-z0-9+/=]*"' "$H" | wc -l)
srcs=$(grep -o 'src="' "$H" | wc -l)
expect_eq "html: 3 images, each a data:image/png;base64 URI" "$imgs $data $srcs" "3 3 3"
i=0
grep -o 'src="data:image/png;base64,[A-Za-z0-9+/=]*"' "$H" | sed 's/^src="data:image\/png;base64,//; s/"$//' |
    while read -r b; do
        i=$((i + 1))
        magic=$(printf '%s' "$b" | base64 -d 2>/dev/null | head -c 8 | od -An -tx1 | tr -d ' \n')
        echo "$i $magic"
    done >"$T/magic"
expect_eq "html: every image decodes to a PNG" "$(awk '$2 != "89504e470d0a1a0a"' "$T/magic" | wc -l) $(wc -l <"$T/magic")" "0 3"
cmp -s <(grep -o 'src="data:image/png;base64,[^"]*"' "$H" | head -1 | sed 's/^src="data:image\/png;base64,//; s/"$//' | base64 -d) \
    st/report/overview.png && ok "html: the first image is report/overview.png byte for byte" || bad "embedded overview" "differs"

# sections, in both forms
M=st/report.md
for h in "## Widths compared" "## Runs by width, stepsize and --compensate" "## What --compensate achieved" \
    "## Each width" "### Width fp32" "### Width fp4_e2m1" "## Hardware" "## The paper's Figure 1 (lpsgd shrink)" \
    "## Jobs not done" "## Commands"; do
    grep -qxF -- "$h" "$M" && ok "md: $h" || bad "md: $h" "missing"
    t=$(sed 's/^#* //' <<<"$h")
    grep -qF -- ">$t</h" "$H" && ok "html: $t" || bad "html: $t" "missing"
done
expect_eq "html: 7 tables (widths, runs, compensate, 2 widths, figure 1, commands)" \
    "$(grep -c '^<table>' "$H")" 7
grep -q 'no such file\|not there. Run make resources' "$M" && ok "hardware: says run make resources" || bad "hardware" "$(grep -A2 '## Hardware' "$M")"
grep -qF "not available (needs the virtual card, issue 14)" "$M" && ok "cycles: not available" || bad "cycles line" ""
grep -qF "| fp4_e2m1 | none | 1.0582 | 0.9982 | 861 (86.1 %) |" "$M" && ok "figure 1 row from shrink --json (fp4: 861 underflows)" || bad "figure 1 row" "$(grep '| fp4_e2m1 | none' "$M")"
grep -qF -- "- 0010_fp8_e4m3_lr0.02_off_s1: failed" "$M" && grep -qF -- "- 0011_fp8_e4m3_lr0.02_off_s2: pending" "$M" &&
    ok "not-done jobs listed" || bad "not-done jobs" "$(grep -A4 'Jobs not done' "$M")"
grep -qF '| 0008_fp4_e2m1_lr0.02_on_s1 | done | `lpsgd train --data synthetic:n=1024,d=8 --model lsq --format fp4_e2m1 --lr 0.02 --seed 1 --epochs 2 --eval-every 4 --compensate --log jobs/0008_fp4_e2m1_lr0.02_on_s1/log.csv --json` |' "$M" &&
    ok "command of a job (quoted CSV field with commas)" || bad "command row" "$(grep 0008 "$M" | tail -1)"
for l in $(grep -o '](report/[^)]*)' "$M" | sed 's/^](//; s/)$//'); do
    [ -s "st/$l" ] || bad "md link $l" "no such file"
done
ok "md: every image link names a file"

# numbers, computed again with awk from the logs
L=st/jobs
final() { awk -F, 'NR > 1 && $14 != "" { l = $14 } END { print l }' "$1"; }
row() { grep -F "| $1 | $2 | $3 | 2 |" "$M"; }
r=$(row fp4_e2m1 0.05 off)
want=$(awk -v a="$(final $L/0006_fp4_e2m1_lr0.05_off_s1/log.csv)" -v b="$(final $L/0007_fp4_e2m1_lr0.05_off_s2/log.csv)" \
    'BEGIN { printf "%.5g", (a + b) / 2 }')
expect_eq "fp4_e2m1 lr 0.05: final train loss = awk's mean of the two seeds" "$(echo "$r" | awk -F' \\| ' '{print $5}')" "$want"
want=$(awk -F, 'FNR > 1 && $5 != "" { s += $5; n++ } END { printf "%.4f", s / n }' $L/0006_*/log.csv $L/0007_*/log.csv)
expect_eq "fp4_e2m1 lr 0.05: q_proj = awk's mean over all steps" "$(echo "$r" | awk -F' \\| ' '{print $10}')" "$want"
want=$(awk -F, 'FNR > 1 && $14 != "" { s[$1] += $14; c[$1]++; if (!($1 in seen)) { seen[$1] = 1; st[n++] = $1 } }
    END { k = int((n + 3) / 4); for (i = n - k; i < n; i++) f += s[st[i]] / c[st[i]]; printf "%.5g", f / k }' \
    $L/0006_*/log.csv $L/0007_*/log.csv)
expect_eq "fp4_e2m1 lr 0.05: error floor = awk's last 25 % of the seed-mean curve" "$(echo "$r" | awk -F' \\| ' '{print $9}')" "$want"
best=$(for lr in 0.02 0.05; do
    awk -v a="$(final $L/*_fp32_lr${lr}_off_s1/log.csv)" -v b="$(final $L/*_fp32_lr${lr}_off_s2/log.csv)" 'BEGIN { printf "%.17g\n", (a + b) / 2 }'
done | sort -g | head -1)
want=$(awk -v b="$best" 'BEGIN { printf "%.5g", 1.1 * b }')
grep -qF "Target loss: $want, that is 1.1 x the best mean final train loss of the fp32 runs" "$M" &&
    ok "target loss = 1.1 x awk's best fp32 mean ($want)" || bad "target loss" "$(grep 'Target loss' "$M")"
expect_eq "fp4_e2m1 lr 0.02 reaches fp32's loss at lr 0.05" "$(row fp4_e2m1 0.02 off | awk -F' \\| ' '{print $12}' | sed 's/ (.*//')" "lr 0.05"
grep -qE '^\| fp4_e2m1 \| 0\.02 \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| -?[0-9]+ % \|$' "$M" && ok "compensate table row" ||
    bad "compensate row" "$(grep -A6 'compensate achieved' "$M" | tail -2)"

# deterministic
cp "$M" "$T/first.md"
"$LPSGD" report st >/dev/null 2>&1
cmp -s "$T/first.md" "$M" && ok "report.md identical on a second run" || bad "second run" "$(diff "$T/first.md" "$M" | head -5)"

# --out, --resources (a Pareto plot), --target-loss, --title
printf 'top,format,lut,lutram,ff,carry,dsp,bram36,uram,seconds\nlp_sgd,configurable,1182780,12467,440349,45668,1345,304.5,0,1503\nlp_sgd,fp32,1170956,12467,439565,45092,1345,304.5,0,1503\nlp_sgd,fp4_e2m1,1168780,12467,439373,45156,1345,304.5,0,1503\n' >kernel.csv
check "report --out --resources --target-loss --title" "$LPSGD" report st --out st/alt --resources kernel.csv \
    --target-loss 100 --title "a study"
[ -s st/alt.html ] && [ -s st/alt.md ] && [ -s st/alt/pareto.png ] && ok "--out: alt.html, alt.md, alt/pareto.png" || bad "--out" "$(ls st st/alt)"
grep -qF "](alt/pareto.png)" st/alt.md && ok "md links alt/pareto.png" || bad "pareto link" ""
expect_eq "alt.html: 4 images (pareto too)" "$(grep -o 'src="data:image/png;base64,' st/alt.html | wc -l)" 4
grep -qF "| fp4_e2m1 | lp_sgd | 1168780 | 439373 | 1345 | 304.5 |" st/alt.md && ok "hardware row from kernel.csv" || bad "hardware row" "$(grep -A5 '## Hardware' st/alt.md)"
grep -qF "Target loss: 100 (--target-loss)." st/alt.md && ok "--target-loss shown" || bad "--target-loss" ""
expect_eq "--target-loss 100: reached at step 0" "$(M=st/alt.md row fp32 0.02 off | awk -F' \\| ' '{print $8}')" 0
head -1 st/alt.md | grep -qx "# a study" && grep -q "<title>a study</title>" st/alt.html && ok "--title" || bad "--title" "$(head -1 st/alt.md)"

# bad input: exit 2, one line, nothing written
mkdir -p empty
expect_err "no index.csv" "empty/index.csv: no such file" "$LPSGD" report empty
[ -e empty/report.html ] && bad "nothing written for a bad study" "" || ok "nothing written for a bad study"
expect_err "no DIR" "give the study directory" "$LPSGD" report
expect_err "two DIRs" "one study directory only" "$LPSGD" report st st
expect_err "unknown option" "unknown option '--bogus'" "$LPSGD" report st --bogus
expect_err "--target-loss x" "target-loss" "$LPSGD" report st --target-loss x
expect_err "--resources missing" "nope.csv: " "$LPSGD" report st --resources nope.csv
echo "top,format" >bad_res.csv
expect_err "--resources not kernel.csv" "bad_res.csv:1: not the kernel.csv" "$LPSGD" report st --resources bad_res.csv
bad_copy() { rm -rf "$1"; cp -r st "$1"; rm -f "$1/report.html" "$1/report.md"; }
bad_copy b1; echo "0012_x,done,too,few" >>b1/index.csv
expect_err "row with 4 fields" "b1/index.csv:14: 4 fields, want 27" "$LPSGD" report b1
bad_copy b2; sed -i '3s/,done,/,finished,/' b2/index.csv
expect_err "unknown status" "b2/index.csv:3: job 0001_fp32_lr0.02_off_s2: status 'finished'" "$LPSGD" report b2
bad_copy b3; rm b3/jobs/0005_fp4_e2m1_lr0.02_off_s2/log.csv
expect_err "done job without its log" "b3/index.csv:7: job 0005_fp4_e2m1_lr0.02_off_s2 \(done\): .*log.csv: " "$LPSGD" report b3
[ -e b3/report.html ] && bad "no page for a study with a missing log" "" || ok "no page for a study with a missing log"
bad_copy b4; echo "garbage" >>b4/jobs/0002_fp32_lr0.05_off_s1/log.csv
expect_err "malformed log" "b4/index.csv:4: job 0002_fp32_lr0.05_off_s1 \(done\): .*log.csv:35: not a log row" "$LPSGD" report b4
bad_copy b5; sed -i '1s/^id,/ident,/' b5/index.csv
expect_err "wrong header" "b5/index.csv:1: the header is not index.csv's" "$LPSGD" report b5
bad_copy b6; sed -i '2s/,0.02,off,/,fast,off,/' b6/index.csv
expect_err "bad lr" "b6/index.csv:2: job 0000_fp32_lr0.02_off_s1: lr 'fast'" "$LPSGD" report b6
bad_copy b7; printf '0012_q,done,"unclosed\n' >>b7/index.csv
expect_err "unclosed quote" "b7/index.csv:14: a quoted field is not closed" "$LPSGD" report b7
summary

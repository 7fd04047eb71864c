#!/usr/bin/env bash
# lpsgd report's page in a real browser (Debian's chromium, headless): every embedded image
# loads (complete and naturalWidth > 0, counted by a script injected into a copy of the page,
# read back with --dump-dom), the tables are there, and a screenshot is a PNG of sensible size.
here=$(dirname "$0")
. "$here/../lp_test.sh"
. "$here/study.sh"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    skip "needs chromium: the Debian package chromium (scripts/deps.sh test installs it)"
    summary
fi
if ! command -v gnuplot >/dev/null && [ -z "${LP_GNUPLOT:-}" ]; then
    skip "needs gnuplot (Debian package gnuplot-nox) for the report's PNGs"
    summary
fi
cd "$T" || exit 1
make_study st 2>/dev/null
check "report st" "$LPSGD" report st

# chromium runs as root here: --no-sandbox; a user-data dir of its own; bounded in time
browse() {
    local prof
    prof=$(mktemp -d "$T/chromium.XXXXXX")
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$prof" \
        --no-first-run --disable-extensions "$@" 2>"$T/chromium.err"
}

probe='<script>window.addEventListener("load", function () {
  var im = document.images, n = 0;
  for (var i = 0; i < im.length; i++) if (im[i].complete \&\& im[i].naturalWidth > 0) n++;
  var d = document.createElement("div");
  d.id = "lp-probe";
  d.textContent = "images " + n + "/" + im.length + " tables " + document.querySelectorAll("table").length +
    " h2 " + document.querySelectorAll("h2").length;
  document.body.appendChild(d);
});</script></body>'
sed "s|</body>|$(tr -d '\n' <<<"$probe")|" st/report.html >probe.html
browse --dump-dom "file://$T/probe.html" >dom.html
got=$(grep -o '<div id="lp-probe">[^<]*' dom.html | sed 's/.*>//')
expect_eq "chromium: every image loaded, 7 tables, 8 sections" "$got" "images 3/3 tables 7 h2 8"

browse --screenshot="$T/shot.png" --window-size=1200,3000 "file://$T/st/report.html" >/dev/null
if [ -s shot.png ] && [ "$(head -c 8 shot.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    ok "screenshot is a PNG"
else
    bad "screenshot" "$(head -c 300 "$T/chromium.err")"
fi
# width and height from the IHDR chunk; a page of text, tables and plots compresses to > 50 kB
wh=$(od -An -tu1 -j16 -N8 shot.png | awk '{ printf "%d %d", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }')
expect_eq "screenshot 1200 x 3000" "$wh" "1200 3000"
size=$(wc -c <shot.png)
[ "$size" -gt 50000 ] && ok "screenshot has content ($size bytes)" || bad "screenshot size" "$size bytes: a blank page?"
summary

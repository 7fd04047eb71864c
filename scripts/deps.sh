#!/usr/bin/env bash
# Install the Debian packages lpsgd needs. Idempotent and quiet when everything is present.
# Usage: scripts/deps.sh [build|test|demo|all]   (all is the default)
set -euo pipefail
what=${1:-all}
pkgs_build="gcc make libc6-dev zlib1g-dev libinih-dev"
pkgs_test="verilator iverilog libsystemc-dev yosys libxrt-dev libxrt1 uuid-dev valgrind clang libclang-dev python3-numpy chromium slurm-wlm munge opencl-headers ocl-icd-opencl-dev pocl-opencl-icd"
pkgs_demo="dataset-fashion-mnist gnuplot-nox"
pkgs_bench="python3-sklearn python3-numpy opencl-headers ocl-icd-opencl-dev pocl-opencl-icd"
case "$what" in
  build) want="$pkgs_build" ;;
  test)  want="$pkgs_build $pkgs_test $pkgs_demo" ;;
  demo)  want="$pkgs_build $pkgs_demo" ;;
  bench) want="$pkgs_build $pkgs_test $pkgs_demo $pkgs_bench" ;;
  all)   want="$pkgs_build $pkgs_test $pkgs_demo $pkgs_bench" ;;
  *) echo "deps.sh: unknown set '$what' (use build, test, demo, bench or all)" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "deps.sh: missing Debian packages:$missing" >&2
  echo "deps.sh: run 'sudo make deps' (or install them with apt-get) and try again" >&2
  exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
stamp=/var/lib/apt/periodic/lpsgd-update-stamp
if [ ! -f "$stamp" ] || [ -z "$(find "$stamp" -mmin -720 2>/dev/null)" ]; then
  apt-get update -qq >/dev/null
  mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null

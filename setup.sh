#!/bin/sh
# Installs the Debian 12 packages ruralsim needs, and only those missing, so
# that a machine that already has them is not touched (and needs no network).
# --test: also what only the test suite needs (chromium, in which the analysis
# test opens the HTML report; chromium-driver and python3-selenium, with which
# the classroom test drives the page; a font with Chinese characters for
# the county names in its screenshots; clang and its libFuzzer, with which the
# fuzz.smoke test builds and fuzzes the input loaders' fuzz targets).
set -eu
packages="cmake ninja-build g++ pkg-config git libtbb-dev libeigen3-dev libhdf5-dev
libyaml-cpp-dev libcli11-dev librandom123-dev libgtest-dev libgmock-dev
libbenchmark-dev libopenmpi-dev openmpi-bin libboost-dev libcpp-httplib-dev libjs-chart.js
python3 python3-numpy python3-h5py python3-pandas python3-matplotlib python3-scipy
python3-yaml"
for arg in "$@"; do
  case "$arg" in
    --test) packages="$packages chromium chromium-driver python3-selenium fonts-wqy-microhei
                      clang libclang-rt-14-dev" ;;
    *) echo "setup.sh: unknown option '$arg' (known: --test)" >&2; exit 2 ;;
  esac
done
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup.sh: installing$missing"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
fi

#!/bin/sh
# Builds Debian 12's oneTBB (the source package of the installed libtbb-dev,
# onetbb 2021.8.0-2+deb12u1 at the time of writing) with ThreadSanitizer and
# installs it into a prefix, for the `tsan` preset (CMakePresets.json).
#
# Why: Debian's libtbb12 is not instrumented, so ThreadSanitizer sees none of
# the synchronisation inside TBB's scheduler (task hand-over between workers,
# the arena's queues) and reports every task's memory as raced, hundreds of
# reports that name no line of ours. Built with -fsanitize=thread (oneTBB's
# own TBB_SANITIZE option), TBB's synchronisation is seen.
#
# Usage:  tests/sanitizers/build_tbb_tsan.sh [PREFIX [WORKDIR]]
#         (defaults /opt/tbb-tsan and /tmp/tbb-tsan-build; JOBS=2 by default)
#
# Needs: a deb-src line for bookworm (see below), build tools that oneTBB's
# package build-depends on (cmake, ninja-build, g++, libhwloc-dev), and write
# access to PREFIX. Takes about 5 minutes of CPU (RelWithDebInfo, no tests).
set -eu

prefix=${1:-/opt/tbb-tsan}
work=${2:-/tmp/tbb-tsan-build}
jobs=${JOBS:-2}

# The same source version as the headers the rest of the build includes.
version=$(dpkg-query -W -f='${source:Version}' libtbb-dev)

if ! apt-cache showsrc onetbb 2>/dev/null | grep -qx "Version: $version"; then
  cat >&2 <<EOF
build_tbb_tsan.sh: apt knows no source package onetbb $version. Add Debian's
source lines, e.g. as root:

cat > /etc/apt/sources.list.d/debian-src.sources <<'END'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
END
apt-get update
EOF
  exit 1
fi

mkdir -p "$work"
cd "$work"
if [ ! -d "onetbb-${version%%-*}" ]; then
  apt-get source "onetbb=$version"     # unpacks and applies Debian's patches
fi
src=$work/onetbb-${version%%-*}

# debian/rules' configuration (dh's cmake+ninja with Debian's build flags,
# TBB_TEST=ON, TBB4PY_BUILD=OFF), except: TBB_SANITIZE=thread, no tests, and
# RelWithDebInfo so that reports inside TBB have lines. TBB_SANITIZE adds
# -fsanitize=thread to compiling and linking and turns off IPO (GCC drops
# TSan's instrumentation under LTO). -Wno-error=tsan: GCC 12 warns that
# ThreadSanitizer does not model std::atomic_thread_fence (TBB's
# atomic_fence_seq_cst in concurrent_monitor.h and elsewhere), which TBB's
# -Werror (TBB_STRICT) would make an error; the warning stays in the log.
cd "$src"
export DEB_BUILD_MAINT_OPTIONS=hardening=+all   # as debian/rules
CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS) -Wno-error=tsan"
LDFLAGS="$(dpkg-buildflags --get LDFLAGS)"
export LDFLAGS
cmake -S "$src" -B "$work/build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DTBB_SANITIZE=thread -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBB4PY_BUILD=OFF
nice -n 15 cmake --build "$work/build" -j "$jobs"
cmake --install "$work/build"

echo "oneTBB $version with ThreadSanitizer installed in $prefix"

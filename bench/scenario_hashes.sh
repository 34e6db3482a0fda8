#!/bin/sh
# Data hash (`ruralsim info --data-hash`) of every shipped scenario at its
# default scale, seed and replicate, one line per scenario. A refactoring or an
# optimisation that must not change results is checked with
#   bench/scenario_hashes.sh build/release/ruralsim --check bench/scenario_hashes.txt
# and a deliberate change of the model records new ones with
#   bench/scenario_hashes.sh build/release/ruralsim > bench/scenario_hashes.txt
set -eu
program=${1:?usage: scenario_hashes.sh PROGRAM [--check FILE]}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$here"/scenarios/*.yaml; do
  name=$(basename "$f" .yaml)
  "$program" run "$name" -q -o "$tmp/$name.h5" >/dev/null
  printf '%s %s\n' "$name" "$("$program" info --data-hash "$tmp/$name.h5")"
done >"$tmp/hashes"
if [ "${2:-}" = "--check" ]; then
  if diff -u "${3:?--check needs a file}" "$tmp/hashes"; then echo "all $(wc -l <"$tmp/hashes") scenarios unchanged"; else exit 1; fi
else
  cat "$tmp/hashes"
fi

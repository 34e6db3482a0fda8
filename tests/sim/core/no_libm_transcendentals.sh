#!/bin/sh
# Fails if the given libraries call a transcendental function of libm.
# glibc chooses exp, log, pow, sin, cos and others at load time by CPU (FMA or
# not), and the variants may differ in the last bit; the engine and the models
# use sim/core/math.hpp instead, so that one build gives the same output on
# every machine. Usage: no_libm_transcendentals.sh NM LIBRARY...
# It also fails when it cannot look (no nm, a missing library, or nm listing
# no undefined symbols at all), so that a broken check never passes.
set -u
nm=${1:?usage: no_libm_transcendentals.sh NM LIBRARY...}
shift
[ $# -gt 0 ] || { echo "no library given"; exit 2; }
command -v "$nm" >/dev/null 2>&1 || { echo "cannot check: nm '$nm' not found"; exit 2; }
for lib in "$@"; do
  [ -r "$lib" ] || { echo "cannot check: '$lib' is not readable"; exit 2; }
done
symbols=$("$nm" -u "$@") || { echo "cannot check: $nm failed"; exit 2; }
count=$(printf '%s\n' "$symbols" | grep -c ' U ')
if [ "$count" -eq 0 ]; then
  echo "cannot check: $nm lists no undefined symbols in $*"
  exit 2
fi
found=$(printf '%s\n' "$symbols" | awk '{print $NF}' | sed 's/@.*//' |
  grep -xE '(exp|exp2|exp10|expm1|log|log2|log10|log1p|pow|sin|cos|tan|sincos|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|erf|erfc|lgamma|lgamma_r|tgamma|cbrt|hypot)[fl]?' |
  sort -u | tr "\n" " ")
if [ -n "$found" ]; then
  echo "libm transcendental functions called (use sim/core/math.hpp): $found"
  exit 1
fi
echo "no libm transcendental functions among the $count undefined symbols of: $*"

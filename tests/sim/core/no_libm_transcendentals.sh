#!/bin/sh
# Fails if the given libraries call a transcendental function of libm.
# glibc chooses exp, log, pow, sin, cos and others at load time by CPU (FMA or
# not), and the variants may differ in the last bit; the engine and the models
# use sim/core/math.hpp instead, so that one build gives the same output on
# every machine. Usage: no_libm_transcendentals.sh NM LIBRARY...
nm=$1
shift
found=$("$nm" -u "$@" | awk '{print $NF}' | sed 's/@.*//' |
  grep -xE '(exp|exp2|exp10|expm1|log|log2|log10|log1p|pow|sin|cos|tan|sincos|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|erf|erfc|lgamma|lgamma_r|tgamma|cbrt|hypot)[fl]?' |
  sort -u | tr "\n" " ")
if [ -n "$found" ]; then
  echo "libm transcendental functions called (use sim/core/math.hpp): $found"
  exit 1
fi
echo "no libm transcendental functions in: $*"

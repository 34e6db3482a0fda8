#pragma once
// Elementary functions that give the same bits on every machine.
//
// glibc picks its exp, log, pow and sin/cos at load time by CPU (an FMA code
// path on newer x86-64, another without FMA), and the paths may differ in the
// last bit; one such bit in a labour choice or a shock changes a trajectory.
// These versions use only +, -, *, / (the build turns off FMA contraction),
// sqrt and exact bit operations (frexp, ldexp, rint), so one build gives the
// same results on any machine. Accuracy is within a few units in the last
// place (tests/sim/core/math_test.cpp compares them with libm).
namespace sim::math {

double exp(double x);
double log(double x);
double log1p(double x);  // log(1 + x), accurate for small x

// cos(2 pi u): the angle as a fraction of a turn, so that reduction is exact.
double cos_2pi(double u);

// log(k!) for k >= 0.
double log_factorial(double k);

// Standard normal cumulative distribution function.
double normal_cdf(double z);

// x to an integer power, by repeated squaring.
double ipow(double x, long n);

}  // namespace sim::math

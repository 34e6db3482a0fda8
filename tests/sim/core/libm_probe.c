/* Calls libm's exp(): the no-libm check must report it (CTest expects that
   check to fail on this library, which shows the check can fail at all). */
#include <math.h>

double ruralsim_libm_probe(double x) { return exp(x); }

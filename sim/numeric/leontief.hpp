#pragma once
// Multipliers of a linear input-output model or social accounting matrix (SAM).
//
// With A the n x n matrix of coefficients (a_ij = input from account i per
// unit of output of account j), outputs x satisfy x = A x + f for an
// exogenous injection f (final demand, transfers, investment), so
// x = (I - A)^-1 f. The Leontief inverse (I - A)^-1 = I + A + A^2 + ... sums
// the direct effect and every round of indirect effects: entry (i, j) is the
// total output of account i per unit injected into account j, and a column
// sum is account j's output multiplier.
//
// The series converges, and the inverse is non-negative (a multiplier), when
// A is non-negative and every column sums to less than 1: each unit of output
// then needs less than one unit of endogenous inputs, the rest leaking out.
// In a SAM the endogenous accounts (production sectors and households) form
// A, each column divided by that account's total; what keeps the column sums
// below 1 are the leakages to exogenous accounts: imports, savings and taxes.
// A column summing to 1 or more is an economy that is not productive (or an
// account with no leakage), for which (I - A)^-1 is no multiplier, so it is
// refused rather than inverted.
#include <cstddef>
#include <span>
#include <vector>

namespace sim::numeric {

// (I - A)^-1, row-major, for the n x n row-major matrix a (a[i*n+j] = input
// from account i per unit of account j). Throws sim::Error: Status::invalid_input
// when an entry is negative or not finite or a column sums to 1 or more (the
// message names the column, counting from 0); Status::failure when a.size() != n*n.
std::vector<double> leontief_inverse(std::span<const double> a, std::size_t n);

// inverse * injection: the total output of each account for an exogenous
// injection, summed in a fixed order (j = 0..n-1). Throws sim::Error
// (Status::failure) when the sizes do not match n.
std::vector<double> multiplied(std::span<const double> inverse, std::size_t n,
                               std::span<const double> injection);

}  // namespace sim::numeric

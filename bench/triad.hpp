#pragma once
// A STREAM triad (a[i] = b[i] + s * c[i] over arrays far larger than the
// caches) on the run's threads: the memory bandwidth the machine gives this
// program, from which the household step's roofline follows (bench/README.md).
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace bench {

// Best of `repeats` triads over n doubles per array, in bytes per second
// (three arrays of 8 bytes each: two read, one written; the write-allocate
// read is not counted, as STREAM does not count it).
inline double triad_bytes_per_second(int threads, std::size_t n = std::size_t{1} << 25, int repeats = 5) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(std::max(1, threads)));
  std::vector<double> a(n), b(n, 1.0), c(n, 2.0);
  const double s = 3.0;
  tbb::static_partitioner part;
  // First touch on the threads that will use the pages.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n), [&](const auto& r) {
    for (std::size_t i = r.begin(); i < r.end(); ++i) a[i] = 0.0;
  }, part);
  double best = 0;
  for (int k = 0; k < repeats; ++k) {
    const auto t0 = std::chrono::steady_clock::now();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n), [&](const auto& r) {
      for (std::size_t i = r.begin(); i < r.end(); ++i) a[i] = b[i] + s * c[i];
    }, part);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, 3.0 * 8.0 * static_cast<double>(n) / secs);
  }
  if (a[n / 2] != 7.0) return 0;  // keeps the loop from being optimised away
  return best;
}

}  // namespace bench

#pragma once
// Parallel loops whose results do not depend on the thread count.
//
// Work is cut into blocks of a fixed size (never the scheduler's choice), each
// block writes only its own outputs, and reductions combine per-block partial
// results in block order. A thread count changes only who computes a block,
// never what is computed or in which order partials are added.
#include <cstddef>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace sim {

struct Range {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
};

// Default block size for per-agent loops: large enough to amortise scheduling,
// small enough to balance 10 million agents over many cores.
inline constexpr std::size_t kDefaultGrain = 4096;

// Calls body(Range) for consecutive blocks [k*grain, min((k+1)*grain, n)).
template <class Body>
void for_blocks(std::size_t n, std::size_t grain, Body&& body) {
  if (n == 0) return;
  const std::size_t blocks = (n + grain - 1) / grain;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, blocks, 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t b = r.begin(); b != r.end(); ++b)
          body(Range{b * grain, b * grain + grain < n ? b * grain + grain : n});
      },
      tbb::simple_partitioner());
}

// Calls body(i) for each i in [0, n), in parallel; one index per task unit.
template <class Body>
void for_each_index(std::size_t n, Body&& body) {
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, n, 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
      },
      tbb::simple_partitioner());
}

// Deterministic reduction: partial(Range) -> T is evaluated per fixed block,
// then the partials are combined left to right with combine(T&, const T&).
template <class T, class Partial, class Combine>
T reduce_blocks(std::size_t n, std::size_t grain, T identity, Partial&& partial, Combine&& combine) {
  const std::size_t blocks = n == 0 ? 0 : (n + grain - 1) / grain;
  std::vector<T> partials(blocks, identity);
  for_blocks(n, grain, [&](Range r) { partials[r.begin / grain] = partial(r); });
  T total = identity;
  for (const T& p : partials) combine(total, p);
  return total;
}

}  // namespace sim

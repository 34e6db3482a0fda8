// The STREAM triad alone (Google Benchmark), at 1 and 2 threads: the memory
// bandwidth behind the roofline that bench_whole_run reports.
#include <benchmark/benchmark.h>

#include "triad.hpp"

static void BM_Triad(benchmark::State& state) {
  double bytes = 0;
  for (auto _ : state) {
    bytes = bench::triad_bytes_per_second(static_cast<int>(state.range(0)), std::size_t{1} << 25, 1);
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["GB/s"] = bytes / 1e9;
}
BENCHMARK(BM_Triad)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();

#pragma once
// How much memory this process may use: the smallest of the machine's
// physical memory, the resource limits on its address space and data
// segment (ulimit -v, ulimit -d) and its control group's memory limit
// (cgroup v2 memory.max, v1 memory.limit_in_bytes). A model compares its
// estimate of a run's resident memory with it before allocating, so that a
// run that cannot fit is refused at once instead of failing (or swapping)
// after minutes of set-up.
#include <string>

namespace sim {

struct MemoryLimit {
  double bytes = 0;  // what the process may use; +infinity if nothing limits it (never in practice)
  std::string what;  // where it comes from: "physical memory", "address-space limit, ulimit -v", ...
  // Address space the process has reserved but not touched (VmSize - VmRSS
  // now) when the limit is RLIMIT_AS: thread stacks, malloc arenas, mapped
  // libraries count against it without being resident. 0 otherwise.
  double reserved = 0;
  // Bytes a new allocation of resident memory may take: bytes - reserved.
  double usable() const { return bytes - reserved; }
};

// The smallest of the limits that apply to this process now.
MemoryLimit memory_limit();

// Memory the kernel could give without swapping now (MemAvailable of
// /proc/meminfo), or a negative number if unknown.
double available_memory();

// Resident memory of this process now and its peak so far (VmRSS and VmHWM
// of /proc/self/status), in bytes; negative if unknown.
double resident_memory();
double peak_resident_memory();

// "12.3 GiB", "850 MiB", "12 KiB": binary units, three significant digits.
std::string format_bytes(double bytes);

}  // namespace sim

#include "sim/core/memory_limit.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <vector>

namespace sim {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Limits at or above this are "no limit" (cgroup v1 writes 2^63 rounded to
// pages, RLIM_INFINITY is 2^64 - 1).
constexpr double kNoLimit = 0x1.0p60;

// The first line of a small file, or "" if it cannot be read.
std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (in) std::getline(in, line);
  return line;
}

// A limit file's value in bytes: a number, or "max" (none).
double limit_value(const std::string& text) {
  if (text.empty() || text == "max") return kInfinity;
  try {
    std::size_t used = 0;
    const double v = static_cast<double>(std::stoull(text, &used));
    return v >= kNoLimit ? kInfinity : v;
  } catch (...) {
    return kInfinity;
  }
}

// "Name:   12345 kB" of /proc/<file>, in bytes; negative if absent.
double proc_kb(const char* file, const char* name) {
  std::ifstream in(file);
  std::string line;
  const std::string key = std::string(name) + ":";
  while (std::getline(in, line))
    if (line.compare(0, key.size(), key) == 0) {
      std::istringstream fields(line.substr(key.size()));
      double kb = -1;
      fields >> kb;
      return kb < 0 ? -1.0 : kb * 1024.0;
    }
  return -1.0;
}

void lower(MemoryLimit& limit, double bytes, const std::string& what) {
  if (bytes < limit.bytes) {
    limit.bytes = bytes;
    limit.what = what;
  }
}

// The memory limits of this process's control groups and their ancestors
// (each applies): cgroup v2 (the "0::" line of /proc/self/cgroup) and v1 (the
// memory controller's line).
void cgroup_limits(MemoryLimit& limit) {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  std::vector<std::pair<std::string, std::string>> places;  // (folder, limit file)
  while (std::getline(in, line)) {
    const auto a = line.find(':');
    const auto b = a == std::string::npos ? std::string::npos : line.find(':', a + 1);
    if (b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1);
    std::string path = line.substr(b + 1);
    if (controllers.empty()) places.emplace_back("/sys/fs/cgroup" + path, "memory.max");
    std::istringstream names(controllers);
    for (std::string c; std::getline(names, c, ',');)
      if (c == "memory") places.emplace_back("/sys/fs/cgroup/memory" + path, "memory.limit_in_bytes");
  }
  for (auto [folder, file] : places) {
    // From the process's own group up to the root: a parent's limit binds
    // its children. Inside a container the path may not exist; the root of
    // the mount is then the container's own group.
    while (true) {
      if (!folder.empty() && folder.back() == '/') folder.pop_back();
      const std::string f = folder + "/" + file;
      const double v = limit_value(first_line(f));
      lower(limit, v, "control group memory limit, " + f);
      const auto slash = folder.rfind('/');
      if (folder == "/sys/fs/cgroup" || folder == "/sys/fs/cgroup/memory" || slash == std::string::npos) break;
      folder.erase(slash);
    }
  }
}

}  // namespace

MemoryLimit memory_limit() {
  MemoryLimit limit;
  limit.bytes = kInfinity;
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page > 0) lower(limit, static_cast<double>(pages) * static_cast<double>(page), "physical memory");
  rlimit r{};
  if (getrlimit(RLIMIT_DATA, &r) == 0 && r.rlim_cur != RLIM_INFINITY)
    lower(limit, static_cast<double>(r.rlim_cur), "data-segment limit, ulimit -d");
  cgroup_limits(limit);
  if (getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY) {
    // The address space limit counts what is mapped but not resident too.
    const double size = proc_kb("/proc/self/status", "VmSize"), rss = proc_kb("/proc/self/status", "VmRSS");
    const double reserved = size >= 0 && rss >= 0 && size > rss ? size - rss : 0.0;
    const double as = static_cast<double>(r.rlim_cur);
    if (as - reserved < limit.usable()) {
      limit.bytes = as;
      limit.what = "address-space limit, ulimit -v";
      limit.reserved = reserved;
    }
  }
  return limit;
}

double available_memory() { return proc_kb("/proc/meminfo", "MemAvailable"); }

double resident_memory() { return proc_kb("/proc/self/status", "VmRSS"); }

double peak_resident_memory() { return proc_kb("/proc/self/status", "VmHWM"); }

std::string format_bytes(double bytes) {
  if (!(bytes < kInfinity)) return "unlimited";
  static const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
  std::size_t u = 0;
  double v = bytes;
  while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
    v /= 1024.0;
    ++u;
  }
  char buf[48];
  if (u == 0) std::snprintf(buf, sizeof buf, "%.0f bytes", v);
  else std::snprintf(buf, sizeof buf, v >= 99.95 ? "%.0f %s" : v >= 9.995 ? "%.1f %s" : "%.2f %s", v, units[u]);
  return buf;
}

}  // namespace sim

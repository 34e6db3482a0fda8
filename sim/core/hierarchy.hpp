#pragma once
// A nesting of agent kinds (e.g. county > village > household) as index
// ranges: the members of group g at one level are the contiguous ids
// [offsets[g], offsets[g+1]) of the next level, so aggregation is a pass over
// ranges with no lookups, and a group's members sit together in memory.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/parallel.hpp"

namespace sim {

class Hierarchy {
 public:
  // levels from the top (e.g. {"county", "village", "household"}).
  // child_counts[l][g] = number of level-(l+1) members of group g of level l.
  Hierarchy(std::vector<std::string> levels, const std::vector<std::vector<std::uint32_t>>& child_counts);
  Hierarchy() = default;

  std::size_t depth() const { return levels_.size(); }
  const std::vector<std::string>& levels() const { return levels_; }
  std::size_t level_index(const std::string& name) const;  // throws if unknown
  std::size_t count(std::size_t level) const { return counts_[level]; }

  // Members of group g of `level` at level+1.
  Range children(std::size_t level, std::size_t g) const {
    return {offsets_[level][g], offsets_[level][g + 1]};
  }
  // Members of group g of `level` at any deeper level `at`.
  Range descendants(std::size_t level, std::size_t g, std::size_t at) const;
  // For each member of `level`, the index of its parent group at `level`-1.
  std::vector<std::uint32_t> parents(std::size_t level) const;
  const std::vector<std::uint32_t>& offsets(std::size_t level) const { return offsets_[level]; }

 private:
  std::vector<std::string> levels_;
  std::vector<std::size_t> counts_;
  std::vector<std::vector<std::uint32_t>> offsets_;  // size count(level)+1, for all but the last level
};

}  // namespace sim

#include "sim/core/hierarchy.hpp"

#include "sim/core/error.hpp"

namespace sim {

Hierarchy::Hierarchy(std::vector<std::string> levels, const std::vector<std::vector<std::uint32_t>>& child_counts)
    : levels_(std::move(levels)) {
  if (levels_.empty() || child_counts.size() + 1 != levels_.size())
    throw Error(Status::failure, "hierarchy: need one child-count list per level but the last");
  counts_.push_back(child_counts.front().size());
  for (std::size_t l = 0; l < child_counts.size(); ++l) {
    if (child_counts[l].size() != counts_[l])
      throw Error(Status::failure, "hierarchy: level '" + levels_[l] + "' has " + std::to_string(counts_[l]) +
                                       " groups but " + std::to_string(child_counts[l].size()) + " child counts");
    std::vector<std::uint32_t> offsets(counts_[l] + 1, 0);
    std::uint64_t total = 0;
    for (std::size_t g = 0; g < counts_[l]; ++g) {
      total += child_counts[l][g];
      if (total > UINT32_MAX) throw Error(Status::failure, "hierarchy: more than 2^32 agents at one level");
      offsets[g + 1] = static_cast<std::uint32_t>(total);
    }
    counts_.push_back(static_cast<std::size_t>(total));
    offsets_.push_back(std::move(offsets));
  }
}

std::size_t Hierarchy::level_index(const std::string& name) const {
  for (std::size_t l = 0; l < levels_.size(); ++l)
    if (levels_[l] == name) return l;
  throw Error(Status::failure, "hierarchy has no level '" + name + "'");
}

Range Hierarchy::descendants(std::size_t level, std::size_t g, std::size_t at) const {
  Range r{g, g + 1};
  for (std::size_t l = level; l < at; ++l) {
    if (r.begin == r.end) return {offsets_[l][r.begin], offsets_[l][r.begin]};
    r = {offsets_[l][r.begin], offsets_[l][r.end]};
  }
  return r;
}

std::vector<std::uint32_t> Hierarchy::parents(std::size_t level) const {
  if (level == 0 || level >= levels_.size()) throw Error(Status::failure, "hierarchy: level has no parent");
  std::vector<std::uint32_t> p(counts_[level]);
  const auto& off = offsets_[level - 1];
  for (std::size_t g = 0; g + 1 < off.size(); ++g)
    for (std::uint32_t i = off[g]; i < off[g + 1]; ++i) p[i] = static_cast<std::uint32_t>(g);
  return p;
}

}  // namespace sim

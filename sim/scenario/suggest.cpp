// "Did you mean" for unknown keys and choices. Two measures, because two
// mistakes are common: a typo in a name (close on the full dotted path) and a
// right name in the wrong section (close on the last component only).
#include <algorithm>
#include <cctype>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace sim::scenario {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view last_component(std::string_view s) {
  const std::size_t dot = s.rfind('.');
  return dot == std::string_view::npos ? s : s.substr(dot + 1);
}

// Optimal string alignment distance: Levenshtein plus transposition of two
// adjacent characters, the commonest typing slip.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

}  // namespace

std::vector<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates,
                                 std::size_t max_suggestions) {
  constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  const std::string w = lower(word);
  const std::string_view w_last = last_component(w);
  const bool w_dotted = w_last.size() != w.size();

  struct Scored {
    std::size_t score;
    std::size_t full;
    std::string name;
  };
  std::vector<Scored> scored;
  std::set<std::string> seen;
  for (const auto& c : candidates) {
    if (!seen.insert(c).second) continue;
    const std::string lc = lower(c);
    const std::size_t full = edit_distance(w, lc);
    std::size_t score = full <= std::max<std::size_t>(2, w.size() / 3) ? full : none;
    // Matching last components only helps when a section is involved; for two
    // plain names it would repeat the full comparison more leniently.
    const std::string_view c_last = last_component(lc);
    if (w_dotted || c_last.size() != lc.size()) {
      const std::size_t last = edit_distance(w_last, c_last);
      // A moved key is one step further than a typo of the same size.
      if (!w_last.empty() && last <= std::max<std::size_t>(1, w_last.size() / 4)) score = std::min(score, last + 1);
    }
    if (score != none) scored.push_back({score, full, c});
  }
  std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score < b.score;
    if (a.full != b.full) return a.full < b.full;
    return a.name < b.name;
  });
  std::vector<std::string> out;
  for (const auto& s : scored) {
    // Far worse than the best match is noise, not help.
    if (out.size() == max_suggestions || s.score > scored.front().score + 1) break;
    out.push_back(s.name);
  }
  return out;
}

}  // namespace sim::scenario

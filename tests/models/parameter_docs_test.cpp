// Every scenario key is documented, and every documentation line either
// names a source, says "assumption", or describes a setting (of the run, of
// a policy, or a lever some scenario sets).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "run_helper.hpp"
#include "sim/run/simulation.hpp"

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool contains_any(const std::string& text, const std::vector<std::string>& words) {
  const std::string t = lower(text);
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return t.find(w) != std::string::npos; });
}

// Names of sources the documentation cites (institutions, documents, surveys).
const std::vector<std::string> kSourceWords = {"speech", "nbs",       "ministry", "state council", "national ",
                                               "nrra",   "cbirc",     "survey",   "commission",    "administration",
                                               "notice", "benchmark", "brief",    "docs/",         "information office",
                                               "bank"};
// Words that mark a documented modelling assumption.
const std::vector<std::string> kAssumptionWords = {"assumption", "assumed"};
// Words that mark a policy setting rather than an empirical claim.
const std::vector<std::string> kPolicyWords = {"policy", "set by", "scenario"};

// Keys set by at least one built-in scenario: levers a scenario chooses.
std::set<std::string> keys_set_by_scenarios() {
  std::set<std::string> keys;
  const auto& def = transition::definition();
  for (const auto& file : def.embedded) {
    const std::string name(file.name);
    if (name.rfind("scenarios/", 0) != 0 || name.size() < 5 || name.substr(name.size() - 5) != ".yaml") continue;
    const auto sc = models_test::load("builtin:" + name, {});
    for (const auto& key : sc.schema().keys())
      if (sc.origin_of(key.path).file != "default") keys.insert(key.path);
  }
  return keys;
}

TEST(ParameterDocs, EveryKeyHasADocThatCitesASourceOrSaysAssumptionOrIsASetting) {
  const auto schema = sim::full_schema(transition::definition());
  const std::set<std::string> levers = keys_set_by_scenarios();
  ASSERT_GT(levers.size(), 10u) << "the built-in scenarios should set a dozen levers or more";
  std::string empty, unsourced;
  std::size_t model_keys = 0;
  for (const auto& key : schema.keys()) {
    const bool engine = key.path.rfind("run.", 0) == 0 || key.path.rfind("output.", 0) == 0;
    model_keys += engine ? 0 : 1;
    if (key.doc.find_first_not_of(" \t") == std::string::npos) {
      empty += "\n  " + key.path;
      continue;
    }
    const bool ok = engine || levers.count(key.path) > 0 || contains_any(key.doc, kSourceWords) ||
                    contains_any(key.doc, kAssumptionWords) || contains_any(key.doc, kPolicyWords);
    if (!ok) unsourced += "\n  " + key.path + ": " + key.doc;
  }
  EXPECT_GT(model_keys, 100u) << "the model's parameters went missing from the schema";
  EXPECT_TRUE(empty.empty()) << "keys without documentation:" << empty;
  EXPECT_TRUE(unsourced.empty())
      << "documentation that neither names a source, nor says \"assumption\", nor describes a policy or scenario "
         "setting (and no built-in scenario sets the key):"
      << unsourced;
}

}  // namespace

// Every scenario key of the model says where its default comes from: it cites
// a source (an institution or document in parentheses), says it is an
// assumption, or says it is a setting (a choice of the run, not a claim about
// the world). The engine's own run.* and output.* keys are settings.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "models/transition/transition_model.hpp"
#include "sim/run/simulation.hpp"

namespace {

enum class Basis { source, assumption, setting, none };

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Institutions and documents a citation names.
const std::vector<std::string> kSources = {"speech", "nbs", "ministry", "state council", "nrra", "cbirc",
                                           "commission", "administration", "information office", "survey",
                                           "people's bank of china", "central rural work leading group"};

Basis basis_of(const std::string& doc) {
  if (doc.rfind("Setting: ", 0) == 0) return Basis::setting;
  const std::string d = lower(doc);
  if (d.find("assumption") != std::string::npos || d.find("assumed") != std::string::npos) return Basis::assumption;
  // A citation: a parenthesised part naming a source.
  for (std::size_t open = d.find('('); open != std::string::npos; open = d.find('(', open + 1)) {
    const std::size_t close = d.find(')', open);
    if (close == std::string::npos) break;
    const std::string inside = d.substr(open, close - open);
    if (std::any_of(kSources.begin(), kSources.end(), [&](const std::string& s) { return inside.find(s) != std::string::npos; }))
      return Basis::source;
  }
  return Basis::none;
}

TEST(ParameterDocs, TheClassifierRefusesDocsWithoutABasis) {
  EXPECT_EQ(basis_of("Share for training."), Basis::none);
  EXPECT_EQ(basis_of("National share of the speech budget."), Basis::none);  // a source word outside a citation
  EXPECT_EQ(basis_of("Share (see docs/ODD.md)."), Basis::none);
  EXPECT_EQ(basis_of("Share (policy)."), Basis::none);
  EXPECT_EQ(basis_of("A setting: the share."), Basis::none);  // the marker opens the line
  EXPECT_EQ(basis_of("Share (NBS household survey 2019)."), Basis::source);
  EXPECT_EQ(basis_of("Share (level an assumption)."), Basis::assumption);
  EXPECT_EQ(basis_of("Setting: scale of the run."), Basis::setting);
}

TEST(ParameterDocs, EveryModelKeyCitesASourceOrSaysAssumptionOrSetting) {
  const auto schema = sim::full_schema(transition::description());
  std::string missing;
  std::size_t model_keys = 0, sourced = 0;
  for (const auto& key : schema.keys()) {
    if (key.path.rfind("run.", 0) == 0 || key.path.rfind("output.", 0) == 0) continue;
    ++model_keys;
    const Basis b = basis_of(key.doc);
    sourced += b == Basis::source ? 1 : 0;
    if (b == Basis::none) missing += "\n  " + key.path + ": " + key.doc;
  }
  EXPECT_GT(model_keys, 100u) << "the model's parameters went missing from the schema";
  EXPECT_GT(sourced, 20u) << "fewer keys cite a source than before";
  EXPECT_TRUE(missing.empty()) << "documentation that cites no source, says no assumption and is no setting:" << missing;
}

}  // namespace

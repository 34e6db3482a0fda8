#include "sim/scenario/yaml_documents.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

namespace sim::scenario::yaml {

namespace {

struct Ignore final : YAML::EventHandler {
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

std::vector<YAML::Node> load_documents(const std::string& text) {
  // A document needs at least one line or marker ("---"), so a text cannot
  // hold more documents than it has characters and line breaks.
  const std::size_t most = text.size() + 2;
  std::istringstream in(text);
  YAML::Parser parser(in);
  Ignore ignore;
  std::size_t documents = 0;
  while (parser.HandleNextDocument(ignore)) {
    if (++documents > most)
      throw YAML::ParserException(YAML::Mark::null_mark(),
                                  "not YAML that can be read: the parser makes no progress (look for a stray ',', "
                                  "']' or '}' outside brackets)");
  }
  return YAML::LoadAll(text);
}

}  // namespace sim::scenario::yaml

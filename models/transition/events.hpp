#pragma once
// The events the transition model records, declared once: each names the
// household it happened to (/events/agent) and its kind (/events/kind, the
// code below, also written to the file with its description).
#include <cstdint>
#include <vector>

#include "sim/model/description.hpp"

namespace transition {

#define TRANSITION_EVENTS(X)                                                                                   \
  X(entry_unstable, "Entered monitoring as an unstable poverty-alleviated household")                          \
  X(entry_marginal, "Entered monitoring as a marginal household at risk")                                      \
  X(entry_sudden, "Entered monitoring in sudden severe difficulty")                                            \
  X(exit, "Left monitoring: risk eliminated")                                                                  \
  X(return_to_poverty, "Poverty-alleviated household whose income for the year fell below the poverty line after a year above it") \
  X(new_poverty, "Household never registered poor whose income for the year fell below the poverty line after a year above it")

namespace event {
#define TRANSITION_EVENT_ENUM(name, doc) name,
enum Kind : std::uint16_t { TRANSITION_EVENTS(TRANSITION_EVENT_ENUM) kKinds };
#undef TRANSITION_EVENT_ENUM
}  // namespace event

inline std::vector<sim::EventDecl> event_declarations() {
#define TRANSITION_EVENT_DECL(name, doc) {#name, doc},
  return {TRANSITION_EVENTS(TRANSITION_EVENT_DECL)};
#undef TRANSITION_EVENT_DECL
}

}  // namespace transition

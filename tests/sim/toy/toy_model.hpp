#pragma once
// A small model for the engine's own tests, declared as data the way a real
// model is (FLAME GPU 2's tests build a ModelDescription inline): regions
// holding walkers whose wealth takes a random step every month. It has every
// kind of indicator the engine knows (reductions the engine evaluates, a
// hand-tuned one, values set by its rules, recorded and yearly formulas, a
// weighted mean, a year-end value) and two kinds of event, so that scenario
// loading, stepping, determinism, recording, ensembles and sweeps are tested
// without any real model.
#include <string>
#include <vector>

#include "sim/model/description.hpp"

namespace toy {

// The description; `extra` indicators are appended (to show that a plain
// reduction needs nothing but its declaration).
const sim::ModelDescription& description();
sim::ModelDescription description_with(std::vector<sim::IndicatorDecl> extra);

}  // namespace toy

#pragma once
// Purposes of random streams: each kind of draw has its own stream so that
// adding a draw in one rule never shifts the numbers another rule sees.
#include <cstdint>

#include "sim/rng/stream.hpp"
#include "sim/model/description.hpp"

namespace transition {

enum class Purpose : std::uint16_t {
  // Population generation (kGenerationStep).
  gen_county_size = 1, gen_village_size, gen_composition, gen_poverty_order, gen_relocation_order, gen_risk_order,
  gen_skill, gen_land, gen_productivity, gen_livestock, gen_collective, gen_product, gen_sites, gen_exit_year,
  gen_savings,
  // Dynamics.
  labour_choice = 100, rationing, illness, disaster, price, detection, credit, livestock_failure,
  project_failure, dibao, training, credit_default, prefecture_disaster, demography, asset_failure,
};

inline sim::rng::Stream stream(const sim::RunIdentity& id, std::uint32_t agent, std::uint32_t step, Purpose p) {
  return sim::rng::Stream({id.seed, id.replicate, agent, static_cast<std::uint16_t>(step), static_cast<std::uint16_t>(p)});
}

}  // namespace transition

#pragma once
// One instantiated model, holding all the state of one run. The engine steps
// it by its schedule and asks it, after each step, for the values its rules
// produced; everything else about a step's record (reductions the engine
// evaluates, sums and weighted means up the levels, formulas, year-end
// blanks) the engine derives from the model's description.
#include <cstring>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "sim/core/columns.hpp"
#include "sim/core/error.hpp"
#include "sim/core/hierarchy.hpp"
#include "sim/core/record.hpp"
#include "sim/core/schedule.hpp"
#include "sim/model/output_layout.hpp"

namespace sim {

// What a model holds between steps outside its agent tables (year-level
// plans, markets, last year's inequality, ...), as named byte arrays of
// plain values: saved with a checkpoint, given back on restart. Bytes in the
// machine's own layout: a checkpoint is read by the build that wrote it.
class ModelState {
 public:
  template <class T>
  void save(const std::string& name, const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>, "model state holds plain values");
    save_bytes(name, values.data(), values.size() * sizeof(T));
  }
  template <class T>
  void save(const std::string& name, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>, "model state holds plain values");
    save_bytes(name, &value, sizeof(T));
  }
  // Throws Error(invalid_input) if the checkpoint lacks `name` or holds a
  // different number of values (`expected`, unless it is npos).
  template <class T>
  void load(const std::string& name, std::vector<T>& values, std::size_t expected = std::size_t(-1)) const {
    static_assert(std::is_trivially_copyable_v<T>, "model state holds plain values");
    const std::vector<unsigned char>& bytes = array(name);
    if (bytes.size() % sizeof(T) != 0 || (expected != std::size_t(-1) && bytes.size() != expected * sizeof(T)))
      throw Error(Status::invalid_input, "checkpoint: model state '" + name + "' has " + std::to_string(bytes.size()) +
                                             " bytes, not what this model keeps there");
    values.resize(bytes.size() / sizeof(T));
    if (!bytes.empty()) std::memcpy(values.data(), bytes.data(), bytes.size());
  }
  template <class T>
  void load(const std::string& name, T& value) const {
    std::vector<T> one;
    load(name, one, 1);
    value = one[0];
  }
  const std::vector<unsigned char>& array(const std::string& name) const {
    const auto it = arrays_.find(name);
    if (it == arrays_.end()) throw Error(Status::invalid_input, "checkpoint: model state '" + name + "' is missing");
    return it->second;
  }
  const std::map<std::string, std::vector<unsigned char>>& arrays() const { return arrays_; }
  std::map<std::string, std::vector<unsigned char>>& arrays() { return arrays_; }

 private:
  // One copy of a byte range (GCC 12 with -fsanitize=thread wrongly warned,
  // -Warray-bounds, of a memcpy into a vector just resized to the same size).
  void save_bytes(const std::string& name, const void* data, std::size_t size) {
    const auto* first = static_cast<const unsigned char*>(data);
    arrays_[name].assign(first, first + size);
  }
  std::map<std::string, std::vector<unsigned char>> arrays_;
};

class ModelInstance {
 public:
  virtual ~ModelInstance() = default;
  // The nesting of the description's hierarchy tables (e.g. county > village
  // > household), with the tables' kinds as level names.
  virtual const Hierarchy& hierarchy() const = 0;
  // Every agent table of the description, in its order: all state lives in
  // these columns.
  virtual std::vector<const AgentTable*> tables() const = 0;
  virtual Schedule& schedule() = 0;
  // Called once before the first step with the layout of the records to come
  // (the column of each indicator at each level).
  virtual void start(const OutputLayout& layout) = 0;
  // Fills `out` (zeroed, laid out as start() was told) with this step's
  // values of the indicators set by its rules and of its hand-tuned
  // reductions, each at the level it comes from, and with the step's events.
  virtual void record(StepRecord& out) = 0;
  // The complete record of the step (all levels, formulas included): what a
  // model's planning may read of its own outcomes.
  virtual void recorded(const StepRecord&) {}
  // State kept between steps outside tables(): a checkpoint saves every
  // table column and this; a restart builds the instance afresh from the
  // scenario, overwrites its columns and calls restore(). A model whose
  // whole state lives in its tables keeps the defaults.
  virtual void save(ModelState&) const {}
  virtual void restore(const ModelState&) {}
};

}  // namespace sim

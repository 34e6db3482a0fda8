#pragma once
// Agent state as columns (struct of arrays).
//
// A model keeps its agents in plain structs of std::vectors, one vector per
// variable, indexed by a stable agent id (the index). It lists each table's
// columns once, as X(type, name, unit, description) entries of a macro, and
// expands that list with the SIM_COLUMN_* macros below into the struct's
// members, its binding to an AgentTable and the views its rules receive. The
// AgentTable gives generic code (sizing, the agent panel, /static, `describe`,
// a checkpoint) every piece of state without knowing the model; hot loops use
// the vectors directly.
#include <cstddef>
#include <cstdint>
#include <array>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "sim/core/error.hpp"

namespace sim {

enum class DType { u8, u16, u32, i32, i64, f32, f64, str };

template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, std::uint8_t>) return DType::u8;
  else if constexpr (std::is_same_v<T, std::uint16_t>) return DType::u16;
  else if constexpr (std::is_same_v<T, std::uint32_t>) return DType::u32;
  else if constexpr (std::is_same_v<T, std::int32_t>) return DType::i32;
  else if constexpr (std::is_same_v<T, std::int64_t>) return DType::i64;
  else if constexpr (std::is_same_v<T, float>) return DType::f32;
  else if constexpr (std::is_same_v<T, double>) return DType::f64;
  else if constexpr (std::is_same_v<T, std::string>) return DType::str;
  else static_assert(sizeof(T) == 0, "unsupported column type");
}

std::size_t dtype_size(DType t);  // bytes per element; for str, sizeof(std::string)
const char* dtype_name(DType t);

struct ColumnInfo {
  std::string name;
  std::string unit;         // "yuan", "persons", "1" for dimensionless, "" for codes
  std::string description;  // one line
  DType type = DType::f64;
  bool fixed = false;       // set when the agents are created and never changed: written once to /static
};

// A type-erased view of one bound std::vector<T>.
class ColumnRef {
 public:
  virtual ~ColumnRef() = default;
  virtual const ColumnInfo& info() const = 0;
  virtual std::size_t size() const = 0;
  virtual const void* data() const = 0;  // nullptr for str columns
  virtual void* data() = 0;
  virtual void resize(std::size_t n) = 0;
  // Value as double (numeric columns) for generic summaries.
  virtual double as_double(std::size_t i) const = 0;
  // Strings of a str column; empty for numeric columns.
  virtual const std::vector<std::string>* strings() const = 0;
};

class AgentTable {
 public:
  explicit AgentTable(std::string kind) : kind_(std::move(kind)) {}

  const std::string& kind() const { return kind_; }
  std::size_t size() const { return columns_.empty() ? 0 : columns_.front()->size(); }

  // Binds an existing vector; the vector must outlive the table.
  template <class T>
  void bind(std::vector<T>& values, std::string name, std::string unit, std::string description, bool fixed = false);
  // Binds an array of vectors as columns NAME_KEY for each key (e.g. workers
  // per activity); `description` is completed by ": KEY".
  template <class T, std::size_t N, class Keys>
  void bind_each(std::array<std::vector<T>, N>& values, const std::string& name, const Keys& keys, const std::string& unit,
                 const std::string& description) {
    static_assert(std::tuple_size_v<Keys> == N, "one key per column");
    for (std::size_t k = 0; k < N; ++k)
      bind(values[k], name + "_" + std::string(keys[k]), unit, description + ": " + std::string(keys[k]));
  }
  // Sizes every bound column to n rows (new rows value-initialised).
  void resize(std::size_t n);

  const std::vector<std::unique_ptr<ColumnRef>>& columns() const { return columns_; }
  const ColumnRef* find(const std::string& name) const;
  ColumnRef* find(const std::string& name);  // writable view (restoring state)

  // Resident bytes per agent over all numeric columns (capacity not counted).
  std::size_t bytes_per_agent() const;
  // Throws if bound columns differ in length: a model bug, caught early.
  void check_consistent() const;

 private:
  std::string kind_;
  std::vector<std::unique_ptr<ColumnRef>> columns_;
};

namespace detail {
template <class T>
class BoundColumn final : public ColumnRef {
 public:
  BoundColumn(std::vector<T>& v, ColumnInfo info) : v_(v), info_(std::move(info)) {}
  const ColumnInfo& info() const override { return info_; }
  std::size_t size() const override { return v_.size(); }
  const void* data() const override {
    if constexpr (std::is_same_v<T, std::string>) return nullptr;
    else return v_.data();
  }
  void* data() override {
    if constexpr (std::is_same_v<T, std::string>) return nullptr;
    else return v_.data();
  }
  void resize(std::size_t n) override { v_.resize(n); }
  double as_double(std::size_t i) const override {
    if constexpr (std::is_same_v<T, std::string>) return 0.0 * static_cast<double>(i);
    else return static_cast<double>(v_[i]);
  }
  const std::vector<std::string>* strings() const override {
    if constexpr (std::is_same_v<T, std::string>) return &v_;
    else return nullptr;
  }

 private:
  std::vector<T>& v_;
  ColumnInfo info_;
};
}  // namespace detail

template <class T>
void AgentTable::bind(std::vector<T>& values, std::string name, std::string unit, std::string description, bool fixed) {
  if (find(name)) throw Error(Status::failure, "column '" + name + "' bound twice in table '" + kind_ + "'");
  columns_.push_back(std::make_unique<detail::BoundColumn<T>>(
      values, ColumnInfo{std::move(name), std::move(unit), std::move(description), dtype_of<T>(), fixed}));
}

}  // namespace sim

// Expansions of a column list X(type, name, unit, description):
// members of the table struct,
#define SIM_COLUMN_VECTOR(type, name, unit, doc) std::vector<type> name;
// its binding (inside a member function taking `sim::AgentTable& table`),
#define SIM_COLUMN_BIND(type, name, unit, doc) table.bind(name, #name, unit, doc);
#define SIM_COLUMN_BIND_FIXED(type, name, unit, doc) table.bind(name, #name, unit, doc, true);
// and views of some rows (members, and their initialisers from `source` and a
// sim::Range `rows`) or of one row (`source` and an index `row`).
#define SIM_COLUMN_SPAN(type, name, unit, doc) std::span<type> name;
#define SIM_COLUMN_CONST_SPAN(type, name, unit, doc) std::span<const type> name;
#define SIM_COLUMN_SPAN_INIT(type, name, unit, doc) , name(source.name.data() + rows.begin, rows.size())
#define SIM_COLUMN_REF(type, name, unit, doc) type& name;
#define SIM_COLUMN_CONST_REF(type, name, unit, doc) const type& name;
#define SIM_COLUMN_REF_INIT(type, name, unit, doc) , name(source.name[row])

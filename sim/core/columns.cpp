#include "sim/core/columns.hpp"

#include <utility>

namespace sim {

std::size_t dtype_size(DType t) {
  switch (t) {
    case DType::u8: return 1;
    case DType::u16: return 2;
    case DType::u32: return 4;
    case DType::i32: return 4;
    case DType::i64: return 8;
    case DType::f32: return 4;
    case DType::f64: return 8;
    case DType::str: return sizeof(std::string);
  }
  return 0;
}

const char* dtype_name(DType t) {
  switch (t) {
    case DType::u8: return "uint8";
    case DType::u16: return "uint16";
    case DType::u32: return "uint32";
    case DType::i32: return "int32";
    case DType::i64: return "int64";
    case DType::f32: return "float32";
    case DType::f64: return "float64";
    case DType::str: return "string";
  }
  return "?";
}

const ColumnRef* AgentTable::find(const std::string& name) const {
  for (const auto& c : columns_)
    if (c->info().name == name) return c.get();
  return nullptr;
}

ColumnRef* AgentTable::find(const std::string& name) {
  return const_cast<ColumnRef*>(std::as_const(*this).find(name));
}

void AgentTable::resize(std::size_t n) {
  for (auto& c : columns_) c->resize(n);
}

std::size_t AgentTable::bytes_per_agent() const {
  std::size_t bytes = 0;
  for (const auto& c : columns_) bytes += dtype_size(c->info().type);
  return bytes;
}

void AgentTable::check_consistent() const {
  for (const auto& c : columns_)
    if (c->size() != size())
      throw Error(Status::failure, "table '" + kind_ + "': column '" + c->info().name + "' has " +
                                       std::to_string(c->size()) + " rows, expected " + std::to_string(size()));
}

}  // namespace sim

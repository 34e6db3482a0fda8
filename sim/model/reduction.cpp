#include "sim/model/reduction.hpp"

#include <cstring>

namespace sim {

namespace {

// Replaces predicate names by their expressions (predicates may use others).
expr::Node expand(expr::Node n, const TableDecl& decl, int depth = 0) {
  if (depth > 16) throw Error(Status::failure, "table '" + decl.kind + "': predicates refer to each other in a cycle");
  if (n.op == expr::Op::name)
    for (const PredicateDecl& p : decl.predicates)
      if (p.name == n.name) return expand(expr::parse(p.expression), decl, depth + 1);
  for (auto& a : n.args) a = expand(std::move(a), decl, depth);
  return n;
}

double read(const void* data, DType t, std::size_t i) {
  switch (t) {
    case DType::u8: return static_cast<const std::uint8_t*>(data)[i];
    case DType::u16: return static_cast<const std::uint16_t*>(data)[i];
    case DType::u32: return static_cast<const std::uint32_t*>(data)[i];
    case DType::i32: return static_cast<const std::int32_t*>(data)[i];
    case DType::i64: return static_cast<double>(static_cast<const std::int64_t*>(data)[i]);
    case DType::f32: return static_cast<const float*>(data)[i];
    case DType::f64: return static_cast<const double*>(data)[i];
    case DType::str: break;
  }
  return 0.0;
}

}  // namespace

RowExpression::RowExpression(const TableDecl& decl, const AgentTable& table, const std::string& text) {
  const expr::Node n = expand(expr::parse(text), decl);
  std::vector<std::string> names;
  program_ = expr::Program(n, [&](const expr::Node& leaf) {
    if (leaf.op != expr::Op::name) throw Error(Status::failure, "'" + text + "': no functions over table columns");
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k] == leaf.name) return k;
    const ColumnRef* c = table.find(leaf.name);
    if (!c || c->info().type == DType::str)
      throw Error(Status::failure, "'" + text + "': '" + leaf.name + "' is not a numeric column of table '" + table.kind() + "'");
    names.push_back(leaf.name);
    slots_.push_back(c);
    return names.size() - 1;
  });
}

double RowExpression::operator()(std::size_t row) const {
  double values[16];
  if (slots_.size() > 16) throw Error(Status::failure, "an expression over more than 16 columns");
  for (std::size_t k = 0; k < slots_.size(); ++k) values[k] = read(slots_[k]->data(), slots_[k]->info().type, row);
  return program_.run(values);
}

ReductionProgram::ReductionProgram(const TableDecl& decl, const AgentTable& table, const Reduction& r)
    : count_(r.op == "count") {
  if (!count_) of_.emplace_back(decl, table, r.of);
  if (!r.where.empty()) where_.emplace_back(decl, table, r.where);
}

double ReductionProgram::over(Range rows) const {
  double total = 0;
  for (std::size_t i = rows.begin; i < rows.end; ++i) {
    if (!where_.empty() && where_[0](i) == 0) continue;
    total += count_ ? 1.0 : of_[0](i);
  }
  return total;
}

}  // namespace sim

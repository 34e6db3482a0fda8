#pragma once
// The small expression language of model descriptions: formulas of derived
// indicators over other indicators ("12 * (sum(income) / sum(people))"),
// and predicates and values of reductions over agent columns
// ("poverty_alleviated and loan_months > 0"). One parser serves both, and the
// text is written to output files, where the analysis package reads it back.
//
//   expression  := or ( 'or' or )*          precedence from low to high
//   or          := and ( 'and' and )*
//   and         := 'not' and | comparison
//   comparison  := bits ( ('<' | '<=' | '>' | '>=' | '==' | '!=') bits )?
//   bits        := sum ( '&' sum )*          bitwise and of integers (flag bits)
//   sum         := product ( ('+' | '-') product )*
//   product     := unary ( ('*' | '/') unary )*
//   unary       := '-' unary | primary
//   primary     := number | name | name '(' expression (',' expression)* ')' | '(' expression ')'
//
// Values are doubles; comparisons and logic give 1 or 0. `a / b` is a ratio
// of a quantity to a positive amount: NaN unless b > 0, so that an empty
// group gives "no value" rather than zero or infinity. Evaluation order is
// the order written, so a formula gives the same bits wherever it runs.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::expr {

enum class Op : unsigned char {
  number, name, call, negate, add, subtract, multiply, divide, bit_and,
  less, less_equal, greater, greater_equal, equal, not_equal, logical_and, logical_or, logical_not,
};

struct Node {
  Op op = Op::number;
  double value = 0;           // number
  std::string name;           // name, call
  std::vector<Node> args;     // operands, or a call's arguments
};

// Parses `text`; throws Error(invalid_input) "in 'TEXT' at column N: ..." when it is not an expression.
Node parse(std::string_view text);

// The expression written back with every operation parenthesised only where
// the grammar needs it (parse(to_string(n)) gives n again).
std::string to_string(const Node& n);

// Every name and call in the tree, depth first (a call before its arguments).
void visit(const Node& n, const std::function<void(const Node&)>& f);

// Evaluates with `leaf` giving the value of each name and call node.
double evaluate(const Node& n, const std::function<double(const Node&)>& leaf);

// A compiled expression: the tree in postfix order, its leaves resolved to
// slots that the caller fills per evaluation. Evaluating it allocates nothing,
// so it serves per-agent and per-group loops.
class Program {
 public:
  // `slot_of` maps each name or call node to a slot index (or throws).
  Program(const Node& n, const std::function<std::size_t(const Node&)>& slot_of);
  Program() = default;
  // `slots[k]` is the value of slot k.
  template <class Slots>
  double run(const Slots& slots) const;
  std::size_t depth() const { return depth_; }

 private:
  struct Instruction {
    Op op;
    double value;       // number
    std::size_t slot;   // name or call
  };
  std::vector<Instruction> code_;
  std::size_t depth_ = 0;
};

// One step of the arithmetic, shared by the tree walker and the program so
// that both give the same bits.
double apply(Op op, double a, double b);

template <class Slots>
double Program::run(const Slots& slots) const {
  double stack[32];
  std::size_t top = 0;
  for (const Instruction& in : code_) {
    switch (in.op) {
      case Op::number: stack[top++] = in.value; break;
      case Op::name:
      case Op::call: stack[top++] = slots[in.slot]; break;
      case Op::negate: stack[top - 1] = -stack[top - 1]; break;
      case Op::logical_not: stack[top - 1] = stack[top - 1] != 0 ? 0.0 : 1.0; break;
      default:
        --top;
        stack[top - 1] = apply(in.op, stack[top - 1], stack[top]);
    }
  }
  return stack[0];
}

}  // namespace sim::expr

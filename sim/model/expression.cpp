#include "sim/model/expression.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "sim/core/error.hpp"

namespace sim::expr {

namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Node parse_all() {
    Node n = expression();
    skip_space();
    if (pos_ < text_.size()) fail("unexpected '" + std::string(1, text_[pos_]) + "'");
    return n;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(Status::invalid_input,
                "in '" + std::string(text_) + "' at column " + std::to_string(pos_ + 1) + ": " + what);
  }

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  // Consumes `token` if it comes next; words must end at a non-name character.
  bool accept(std::string_view token) {
    skip_space();
    if (text_.substr(pos_, token.size()) != token) return false;
    const bool word = std::isalpha(static_cast<unsigned char>(token[0]));
    const std::size_t after = pos_ + token.size();
    if (word && after < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[after])) || text_[after] == '_'))
      return false;
    pos_ = after;
    return true;
  }

  static Node binary(Op op, Node a, Node b) {
    Node n;
    n.op = op;
    n.args.push_back(std::move(a));
    n.args.push_back(std::move(b));
    return n;
  }

  Node expression() {
    Node n = conjunction();
    while (accept("or")) n = binary(Op::logical_or, std::move(n), conjunction());
    return n;
  }

  Node conjunction() {
    Node n = negation();
    while (accept("and")) n = binary(Op::logical_and, std::move(n), negation());
    return n;
  }

  Node negation() {
    if (accept("not")) {
      Node n;
      n.op = Op::logical_not;
      n.args.push_back(negation());
      return n;
    }
    return comparison();
  }

  Node comparison() {
    Node n = bits();
    static constexpr std::pair<std::string_view, Op> ops[] = {{"<=", Op::less_equal}, {">=", Op::greater_equal},
                                                              {"==", Op::equal},       {"!=", Op::not_equal},
                                                              {"<", Op::less},         {">", Op::greater}};
    for (const auto& [token, op] : ops)
      if (accept(token)) return binary(op, std::move(n), bits());
    return n;
  }

  Node bits() {
    Node n = sum();
    while (accept("&")) n = binary(Op::bit_and, std::move(n), sum());
    return n;
  }

  Node sum() {
    Node n = product();
    for (;;) {
      if (accept("+")) n = binary(Op::add, std::move(n), product());
      else if (accept("-")) n = binary(Op::subtract, std::move(n), product());
      else return n;
    }
  }

  Node product() {
    Node n = unary();
    for (;;) {
      if (accept("*")) n = binary(Op::multiply, std::move(n), unary());
      else if (accept("/")) n = binary(Op::divide, std::move(n), unary());
      else return n;
    }
  }

  Node unary() {
    if (accept("-")) {
      Node n;
      n.op = Op::negate;
      n.args.push_back(unary());
      return n;
    }
    return primary();
  }

  Node primary() {
    skip_space();
    if (pos_ >= text_.size()) fail("expected a number, a name or '('");
    const char c = text_[pos_];
    if (accept("(")) {
      Node n = expression();
      if (!accept(")")) fail("expected ')'");
      return n;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      Node n;
      n.op = Op::number;
      const auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), n.value);
      if (ec != std::errc()) fail("bad number");
      pos_ = static_cast<std::size_t>(end - text_.data());
      return n;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const std::size_t start = pos_;
      while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
      Node n;
      n.name = std::string(text_.substr(start, pos_ - start));
      if (n.name == "and" || n.name == "or" || n.name == "not") {
        pos_ = start;
        fail("'" + n.name + "' needs an operand before it");
      }
      n.op = Op::name;
      if (accept("(")) {
        n.op = Op::call;
        do n.args.push_back(expression());
        while (accept(","));
        if (!accept(")")) fail("expected ')' or ',' in the arguments of " + n.name + "()");
      }
      return n;
    }
    fail("expected a number, a name or '('");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

int precedence(Op op) {
  switch (op) {
    case Op::logical_or: return 1;
    case Op::logical_and: return 2;
    case Op::logical_not: return 3;
    case Op::less: case Op::less_equal: case Op::greater: case Op::greater_equal: case Op::equal: case Op::not_equal:
      return 4;
    case Op::bit_and: return 5;
    case Op::add: case Op::subtract: return 6;
    case Op::multiply: case Op::divide: return 7;
    case Op::negate: return 8;
    default: return 9;
  }
}

const char* symbol(Op op) {
  switch (op) {
    case Op::add: return " + ";
    case Op::subtract: return " - ";
    case Op::multiply: return " * ";
    case Op::divide: return " / ";
    case Op::bit_and: return " & ";
    case Op::less: return " < ";
    case Op::less_equal: return " <= ";
    case Op::greater: return " > ";
    case Op::greater_equal: return " >= ";
    case Op::equal: return " == ";
    case Op::not_equal: return " != ";
    case Op::logical_and: return " and ";
    case Op::logical_or: return " or ";
    default: return "?";
  }
}

std::string number_text(double v) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

}  // namespace

Node parse(std::string_view text) { return Parser(text).parse_all(); }

std::string to_string(const Node& n) {
  switch (n.op) {
    case Op::number: return number_text(n.value);
    case Op::name: return n.name;
    case Op::call: {
      std::string s = n.name + "(";
      for (std::size_t i = 0; i < n.args.size(); ++i) s += (i ? ", " : "") + to_string(n.args[i]);
      return s + ")";
    }
    case Op::negate:
    case Op::logical_not: {
      const Node& a = n.args[0];
      std::string inner = to_string(a);
      if (precedence(a.op) < precedence(n.op)) inner = "(" + inner + ")";
      return (n.op == Op::negate ? "-" : "not ") + inner;
    }
    default: {
      // Left operands of equal precedence need no parentheses (left to
      // right), right operands do: a - (b - c), a / (b / c).
      std::string left = to_string(n.args[0]), right = to_string(n.args[1]);
      if (precedence(n.args[0].op) < precedence(n.op)) left = "(" + left + ")";
      if (precedence(n.args[1].op) <= precedence(n.op)) right = "(" + right + ")";
      return left + symbol(n.op) + right;
    }
  }
}

void visit(const Node& n, const std::function<void(const Node&)>& f) {
  if (n.op == Op::name || n.op == Op::call) f(n);
  for (const Node& a : n.args) visit(a, f);
}

double apply(Op op, double a, double b) {
  switch (op) {
    case Op::add: return a + b;
    case Op::subtract: return a - b;
    case Op::multiply: return a * b;
    case Op::divide: return b > 0 ? a / b : std::numeric_limits<double>::quiet_NaN();
    case Op::bit_and:
      return static_cast<double>(static_cast<std::uint64_t>(a) & static_cast<std::uint64_t>(b));
    case Op::less: return a < b ? 1.0 : 0.0;
    case Op::less_equal: return a <= b ? 1.0 : 0.0;
    case Op::greater: return a > b ? 1.0 : 0.0;
    case Op::greater_equal: return a >= b ? 1.0 : 0.0;
    case Op::equal: return a == b ? 1.0 : 0.0;
    case Op::not_equal: return a != b ? 1.0 : 0.0;
    case Op::logical_and: return a != 0 && b != 0 ? 1.0 : 0.0;
    case Op::logical_or: return a != 0 || b != 0 ? 1.0 : 0.0;
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

double evaluate(const Node& n, const std::function<double(const Node&)>& leaf) {
  switch (n.op) {
    case Op::number: return n.value;
    case Op::name:
    case Op::call: return leaf(n);
    case Op::negate: return -evaluate(n.args[0], leaf);
    case Op::logical_not: return evaluate(n.args[0], leaf) != 0 ? 0.0 : 1.0;
    default: {
      const double a = evaluate(n.args[0], leaf);
      return apply(n.op, a, evaluate(n.args[1], leaf));
    }
  }
}

namespace {
std::size_t emit(const Node& n, const std::function<std::size_t(const Node&)>& slot_of, auto& code) {
  switch (n.op) {
    case Op::number: code.push_back({Op::number, n.value, 0}); return 1;
    case Op::name:
    case Op::call: code.push_back({n.op, 0.0, slot_of(n)}); return 1;
    case Op::negate:
    case Op::logical_not: {
      const std::size_t d = emit(n.args[0], slot_of, code);
      code.push_back({n.op, 0.0, 0});
      return d;
    }
    default: {
      const std::size_t a = emit(n.args[0], slot_of, code);
      const std::size_t b = emit(n.args[1], slot_of, code);
      code.push_back({n.op, 0.0, 0});
      return std::max(a, b + 1);
    }
  }
}
}  // namespace

Program::Program(const Node& n, const std::function<std::size_t(const Node&)>& slot_of) {
  depth_ = emit(n, slot_of, code_);
  if (depth_ > 32) throw Error(Status::invalid_input, "expression '" + to_string(n) + "' nests too deeply");
}

}  // namespace sim::expr

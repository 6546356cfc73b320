// SPDX-License-Identifier: MIT
// Recording: Var arithmetic appends instructions to the Var's tape (the same instructions
// Tape::compile produces), so recorded and compiled tapes share one reverse sweep.
#include "slope/record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "core/op_table.hpp"
#include "core/scalar.hpp"

namespace slope {
namespace {
thread_local Tape* current_tape = nullptr;
}

Recording::Recording(Tape& tape) : previous_(current_tape) { current_tape = &tape; }
Recording::~Recording() { current_tape = previous_; }
Tape& Recording::current() {
  if (!current_tape)
    throw std::logic_error(
        "slope::Var: no tape is recording on this thread (create a slope::Recording)");
  return *current_tape;
}

Var::Var(double constant) : tape_(&Recording::current()), index_(tape_->push_constant(constant)) {}

void Var::throw_no_instruction(Tape::Index index) {
  throw std::out_of_range("slope::Var: the tape has no instruction " + std::to_string(index));
}

Var tape_input(Tape& tape, std::string name, double value) {
  return Var::of_new_instruction(tape, tape.push_input(std::move(name), value));
}
Var tape_input(Tape& tape, double value) {
  return Var::of_new_instruction(tape, tape.push_input(value));
}
Var input(std::string name, double value) {
  return tape_input(Recording::current(), std::move(name), value);
}

Var record(Op op, std::span<const Var> args) {
  const OpSpelling& s = spelling(op);
  const int n = static_cast<int>(args.size());
  if (op == Op::Const || op == Op::Variable || n == 0 || n < s.min_args ||
      (s.max_args >= 0 && n > s.max_args))
    throw std::invalid_argument(fmt::format("slope::record: {} takes {}, not {} argument{}",
                                            op_name(op), signature(op), n, n == 1 ? "" : "s"));
  Tape& t = args[0].tape();
  for (const Var& a : args)
    if (&a.tape() != &t) detail::throw_different_tapes();
  // relu, with + and * (inline in record.hpp), skips the op table's dispatch when recording; its
  // value is the table's (scalar.hpp).
  if (op == Op::Relu)
    return Var::of_new_instruction(
        t, t.push_computed(Op::Relu, args[0].index(), detail::relu_value(args[0].value())));
  const std::size_t total = std::max<std::size_t>(args.size(), s.max_args < 0 ? 0 : s.max_args);
  std::array<Tape::Index, 4> small{};
  std::vector<Tape::Index> large;  // n-ary sums and products of more than four terms
  if (total > small.size()) large.resize(total);
  const std::span<Tape::Index> idx =
      total > small.size() ? std::span(large) : std::span(small.data(), total);
  for (std::size_t i = 0; i < args.size(); ++i) idx[i] = args[i].index();
  const auto& defaults = detail::row(op).defaults;  // missing optional arguments
  for (std::size_t i = args.size(); i < total; ++i)
    idx[i] = t.push_constant(defaults[i - static_cast<std::size_t>(s.min_args)]);
  return Var::of_new_instruction(t, t.push(op, idx));
}

void backward(const Var& y) { y.tape().reverse_from(y.index()); }

void detail::throw_different_tapes() {
  throw std::invalid_argument("slope::Var: operands are recorded on different tapes");
}

void tape_inputs(Tape& tape, std::span<const double> values, std::vector<Var>& out) {
  const Tape::Index first = tape.push_inputs(values);
  for (std::size_t k = 0; k < values.size(); ++k)
    out.push_back(Var::of_new_instruction(tape, first + static_cast<Tape::Index>(k)));
}

// Subtraction and division record as a + (-1)*b and a * b^-1, the forms Expr uses.
Var operator-(const Var& a, const Var& b) { return a + (-b); }
Var operator/(const Var& a, const Var& b) { return a * pow(b, -1.0); }
Var operator<(const Var& a, const Var& b) { return record(Op::Lt, {a, b}); }
Var operator<=(const Var& a, const Var& b) { return record(Op::Le, {a, b}); }
Var operator>(const Var& a, const Var& b) { return record(Op::Gt, {a, b}); }
Var operator>=(const Var& a, const Var& b) { return record(Op::Ge, {a, b}); }
Var where(const Var& c, const Var& a, const Var& b) { return record(Op::Piecewise, {c, a, b}); }
}  // namespace slope

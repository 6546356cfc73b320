// SPDX-License-Identifier: MIT
// Recording: Var arithmetic appends instructions to the Var's tape (the same instructions
// Tape::compile produces), so recorded and compiled tapes share one reverse sweep.
#include "slope/record.hpp"

#include <stdexcept>

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

Var record(Op op, std::initializer_list<Var> args) {
  Tape& t = args.begin()->tape();
  Tape::Index idx[4];
  std::size_t n = 0;
  for (const Var& a : args) {
    if (&a.tape() != &t) detail::throw_different_tapes();
    idx[n++] = a.index();
  }
  return Var::of_new_instruction(t, t.push(op, std::span<const Tape::Index>(idx, n)));
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

// relu, with + and * (inline in record.hpp), skips the op table's dispatch when recording; its
// value is the table's (scalar.hpp).
Var relu(const Var& x) {
  return Var::of_new_instruction(
      x.tape(), x.tape().push_computed(Op::Relu, x.index(), detail::relu_value(x.value())));
}

// Subtraction and division record as a + (-1)*b and a * b^-1, the forms Expr uses.
Var operator-(const Var& a, const Var& b) { return a + (-b); }
Var operator/(const Var& a, const Var& b) { return a * pow(b, -1.0); }
Var operator<(const Var& a, const Var& b) { return record(Op::Lt, {a, b}); }
Var operator<=(const Var& a, const Var& b) { return record(Op::Le, {a, b}); }
Var operator>(const Var& a, const Var& b) { return record(Op::Gt, {a, b}); }
Var operator>=(const Var& a, const Var& b) { return record(Op::Ge, {a, b}); }
Var max(const Var& a, const Var& b) { return record(Op::Max, {a, b}); }
Var min(const Var& a, const Var& b) { return record(Op::Min, {a, b}); }
Var pow(const Var& a, const Var& b) { return record(Op::Pow, {a, b}); }
Var exp(const Var& a) { return record(Op::Exp, {a}); }
Var log(const Var& a) { return record(Op::Log, {a}); }
Var sqrt(const Var& a) { return record(Op::Sqrt, {a}); }
Var sin(const Var& a) { return record(Op::Sin, {a}); }
Var cos(const Var& a) { return record(Op::Cos, {a}); }
Var tanh(const Var& a) { return record(Op::Tanh, {a}); }
Var sigmoid(const Var& a) { return record(Op::Sigmoid, {a}); }
Var softplus(const Var& a) { return record(Op::Softplus, {a}); }
Var abs(const Var& a) { return record(Op::Abs, {a}); }
Var clamp(const Var& x, const Var& lo, const Var& hi) { return record(Op::Clamp, {x, lo, hi}); }
Var where(const Var& c, const Var& a, const Var& b) { return record(Op::Piecewise, {c, a, b}); }
Var leaky_relu(const Var& x, double alpha) { return record(Op::LeakyRelu, {x, x.constant(alpha)}); }
Var prelu(const Var& x, const Var& a) { return record(Op::Prelu, {x, a}); }
Var elu(const Var& x, double alpha) { return record(Op::Elu, {x, x.constant(alpha)}); }
Var hardtanh(const Var& x, double lo, double hi) {
  return record(Op::Hardtanh, {x, x.constant(lo), x.constant(hi)});
}
Var relu6(const Var& x) { return record(Op::Relu6, {x}); }

}  // namespace slope

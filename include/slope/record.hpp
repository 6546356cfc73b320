// Recording ordinary C++ code onto a Tape: Var behaves like a double and remembers how it was made.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "slope/tape.hpp"

namespace slope {

/**
 * A number recorded on a tape: a (tape, instruction) pair. Arithmetic on Vars appends
 * instructions to their tape; `backward(y)` then fills every `grad()` in one reverse sweep.
 *
 * **Example** (micrograd's first example, recorded):
 *
 *     Tape tape;
 *     Var a = tape_input(tape, "a", -4.0), b = tape_input(tape, "b", 2.0);
 *     Var c = relu(a * b + b * b * b);     // relu(-8 + 8) = 0: the kink, slope 0 (min_norm)
 *     backward(c);
 *     a.grad();                            // 0
 */
class Var {
 public:
  Var(Tape& tape, Tape::Index index) : Var(tape, index, tape.value(index)) {}
  /// `value` must be the instruction's value: operators that computed it pass it on, so a chain
  /// of operations never reads back what it just wrote to the tape.
  Var(Tape& tape, Tape::Index index, double value) : tape_(&tape), index_(index), value_(value) {}
  /// A constant on the current thread's recording tape (see Recording).
  explicit Var(double constant);

  /// The value when recorded (after re-running the tape on new inputs, ask the tape).
  double value() const { return value_; }
  /// d y / d this, after backward(y).
  double grad() const { return tape_->adjoint(index_); }
  Tape& tape() const { return *tape_; }
  Tape::Index index() const { return index_; }
  /// A constant on this Var's tape.
  Var constant(double v) const { return {*tape_, tape_->push_constant(v), v}; }

 private:
  Tape* tape_;
  Tape::Index index_;
  double value_;
};

/// While alive, makes `tape` the current thread's tape for Var(double) constants and input().
class Recording {
 public:
  explicit Recording(Tape& tape);
  ~Recording();
  Recording(const Recording&) = delete;
  Recording& operator=(const Recording&) = delete;
  /// The innermost active recording's tape; throws std::logic_error if there is none.
  static Tape& current();

 private:
  Tape* previous_;
};

/// A named input on `tape` (a leaf whose gradient backward() reports).
Var tape_input(Tape& tape, std::string name, double value);
/// An unnamed input on `tape` (cheapest when recording thousands of parameters).
Var tape_input(Tape& tape, double value);
/// Many unnamed inputs on `tape` at once (a network's parameters), appended to `out`.
void tape_inputs(Tape& tape, std::span<const double> values, std::vector<Var>& out);
/// A named input on the current recording tape.
Var input(std::string name, double value);

/// Records op(args) on the tape of the first argument. All arguments must share one tape.
Var record(Op op, std::initializer_list<Var> args);

/// Reverse sweep from y: afterwards x.grad() is d y / d x for every Var x on the tape.
void backward(const Var& y);

// Each binary operator takes Var or double on either side; a double becomes a constant on the
// other operand's tape, so `2 * x + 1` needs no Recording.
#define SLOPE_VAR_BINARY(NAME)                                               \
  Var NAME(const Var& a, const Var& b);                                      \
  inline Var NAME(const Var& a, double b) { return NAME(a, a.constant(b)); } \
  inline Var NAME(double a, const Var& b) { return NAME(b.constant(a), b); }
SLOPE_VAR_BINARY(operator+)
SLOPE_VAR_BINARY(operator-)
SLOPE_VAR_BINARY(operator*)
SLOPE_VAR_BINARY(operator/)
SLOPE_VAR_BINARY(operator<)
SLOPE_VAR_BINARY(operator<=)
SLOPE_VAR_BINARY(operator>)
SLOPE_VAR_BINARY(operator>=)
SLOPE_VAR_BINARY(max)
SLOPE_VAR_BINARY(min)
SLOPE_VAR_BINARY(pow)
#undef SLOPE_VAR_BINARY
Var operator-(const Var& a);

namespace detail {
[[noreturn]] void throw_different_tapes();
}
/// Throws std::invalid_argument unless both operands are on the same tape.
inline Tape& common_tape(const Var& a, const Var& b) {
  if (&a.tape() != &b.tape()) [[unlikely]]
    detail::throw_different_tapes();
  return a.tape();
}
// + and *, the bulk of a network, record inline (the op's value, computed here).
inline Var operator+(const Var& a, const Var& b) {
  Tape& t = common_tape(a, b);
  const double v = a.value() + b.value();
  return {t, t.push_computed(Op::Add, a.index(), b.index(), v), v};
}
inline Var operator*(const Var& a, const Var& b) {
  Tape& t = common_tape(a, b);
  const double v = a.value() * b.value();
  return {t, t.push_computed(Op::Mul, a.index(), b.index(), v), v};
}
inline Var& operator+=(Var& a, const Var& b) { return a = a + b; }
inline Var& operator-=(Var& a, const Var& b) { return a = a - b; }
inline Var& operator*=(Var& a, const Var& b) { return a = a * b; }

Var exp(const Var& a);
Var log(const Var& a);
Var sqrt(const Var& a);
Var sin(const Var& a);
Var cos(const Var& a);
Var tanh(const Var& a);
Var sigmoid(const Var& a);
Var softplus(const Var& a);
Var abs(const Var& a);
Var clamp(const Var& x, const Var& lo, const Var& hi);
Var where(const Var& cond, const Var& a, const Var& b);
Var relu(const Var& x);
Var leaky_relu(const Var& x, double alpha = 0.01);
Var prelu(const Var& x, const Var& a);
Var elu(const Var& x, double alpha = 1.0);
Var hardtanh(const Var& x, double lo = -1.0, double hi = 1.0);
Var relu6(const Var& x);

}  // namespace slope

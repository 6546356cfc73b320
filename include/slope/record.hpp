// Recording ordinary C++ code onto a Tape: Var behaves like a double and remembers how it was made.
#pragma once

#include <span>
#include <string>
#include <utility>
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
 *
 * `s + x * y` records one fused instruction, not two, when the product is a temporary (or
 * std::move'd) that no other Var holds: copies of a Var are tracked for this. A Var moved from,
 * or moved into such a sum, is spent: using it throws std::logic_error.
 */
class Var {
 public:
  /// The Var of instruction `index` of `tape` (throws std::out_of_range if there is none).
  Var(Tape& tape, Tape::Index index) : tape_(&tape), index_(index) { tape.share(index); }
  /// A constant on the current thread's recording tape (see Recording).
  explicit Var(double constant);
  /// The Var of an instruction just recorded, which no other Var holds yet.
  static Var of_new_instruction(Tape& tape, Tape::Index index) { return Var(&tape, index); }

  Var(const Var& other) : tape_(other.tape_), index_(other.index_) { share(); }
  Var(Var&& other) noexcept : tape_(other.tape_), index_(std::exchange(other.index_, spent)) {}
  Var& operator=(const Var& other) {
    tape_ = other.tape_;
    index_ = other.index_;
    share();
    return *this;
  }
  Var& operator=(Var&& other) noexcept {
    tape_ = other.tape_;
    index_ = std::exchange(other.index_, spent);
    return *this;
  }
  ~Var() = default;

  double value() const { return tape_->value(index()); }
  /// d y / d this, after backward(y).
  double grad() const { return tape_->adjoint(index()); }
  Tape& tape() const { return *tape_; }
  Tape::Index index() const {
    if (index_ == spent) [[unlikely]]
      throw_spent();
    return index_;
  }
  /// A constant on this Var's tape.
  Var constant(double v) const { return of_new_instruction(*tape_, tape_->push_constant(v)); }
  /// Marks this Var as given up (a sum fused its instruction away).
  void spend() { index_ = spent; }

 private:
  static constexpr Tape::Index spent = ~Tape::Index{0};
  Var(Tape* tape, Tape::Index index) : tape_(tape), index_(index) {}
  // A second Var for the same instruction: + must not fuse it away any more.
  void share() const {
    if (index_ != spent) tape_->share(index_);
  }
  [[noreturn]] static void throw_spent();
  Tape* tape_;
  Tape::Index index_;
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
namespace detail {
/// a + b, recorded inline. A product that is the newest instruction, held by no other Var and
/// passed as a temporary (spendable), fuses with the sum into one a + x*y instruction.
inline Var sum(const Var& a, const Var& b, Var* spendable_a, Var* spendable_b) {
  Tape& t = common_tape(a, b);
  const Tape::Index i = a.index(), j = b.index();
  if (spendable_b && t.fuse_into_product(i, j)) {
    spendable_b->spend();
    return Var::of_new_instruction(t, j);
  }
  if (spendable_a && t.fuse_into_product(j, i, true)) {
    spendable_a->spend();
    return Var::of_new_instruction(t, i);
  }
  return Var::of_new_instruction(t, t.push_computed(Op::Add, i, j, t.value(i) + t.value(j)));
}
}  // namespace detail

// + and *, the bulk of a network, record inline (the op's value, computed here).
inline Var operator+(const Var& a, const Var& b) { return detail::sum(a, b, nullptr, nullptr); }
inline Var operator+(const Var& a, Var&& b) { return detail::sum(a, b, nullptr, &b); }
inline Var operator+(Var&& a, const Var& b) { return detail::sum(a, b, &a, nullptr); }
inline Var operator+(Var&& a, Var&& b) { return detail::sum(a, b, &a, &b); }
inline Var operator*(const Var& a, const Var& b) {
  Tape& t = common_tape(a, b);
  const Tape::Index i = a.index(), j = b.index();
  return Var::of_new_instruction(t, t.push_computed(Op::Mul, i, j, t.value(i) * t.value(j)));
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

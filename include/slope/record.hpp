// SPDX-License-Identifier: MIT
/// \file
/// Recording ordinary C++ code onto a Tape: Var behaves like a double and remembers how it was
/// made.
#pragma once

#include <concepts>
#include <initializer_list>
#include <span>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

#include "slope/tape.hpp"

namespace slope {

/**
 * A number recorded on a tape: a (tape, instruction) pair, copied freely like a double.
 * Arithmetic on Vars appends instructions to their tape; `backward(y)` then fills every
 * `grad()` in one reverse sweep.
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
  /// The Var of instruction `index` of `tape` (throws std::out_of_range if there is none).
  Var(Tape& tape, Tape::Index index) : tape_(&tape), index_(index) {
    if (index >= tape.size()) throw_no_instruction(index);
  }
  /// A constant on the current thread's recording tape (see Recording).
  explicit Var(double constant);
  /// The Var of an instruction just recorded (no check needed).
  static Var of_new_instruction(Tape& tape, Tape::Index index) { return Var(&tape, index); }

  /// The value computed when it was recorded.
  double value() const { return tape_->value(index_); }
  /// d y / d this, after backward(y).
  double grad() const { return tape_->adjoint(index_); }
  /// The tape it is on.
  Tape& tape() const { return *tape_; }
  /// Its instruction on that tape.
  Tape::Index index() const { return index_; }
  /// A constant on this Var's tape.
  Var constant(double v) const { return of_new_instruction(*tape_, tape_->push_constant(v)); }

 private:
  Var(Tape* tape, Tape::Index index) : tape_(tape), index_(index) {}
  [[noreturn]] static void throw_no_instruction(Tape::Index index);
  Tape* tape_;
  Tape::Index index_;
};

namespace detail {
/// x * y, rounded on its own: the compiler may not fuse it with a following addition (GCC
/// contracts a + x*y into one FMA instruction when the target has one), so a recorded a + x*y
/// has the value the tape's own forward sweep and eval() compute.
inline double separately_rounded_product(double x, double y) {
  double p = x * y;
#if defined(__GNUC__) && defined(__x86_64__)
  __asm__("" : "+x"(p));  // an empty statement the optimiser cannot see through
#elif defined(__GNUC__) && defined(__aarch64__)
  __asm__("" : "+w"(p));
#else
  volatile double stored = p;
  p = stored;
#endif
  return p;
}
}  // namespace detail

/**
 * x * y, waiting to be recorded: `s + x * y` then records one fused instruction (a + x*y)
 * instead of two, which halves the tape of a neural network. Wherever a Var is needed, the
 * product records itself as an ordinary multiplication (`Var c = a * b;`). As with Eigen's
 * expressions, `auto m = a * b;` keeps it unrecorded: each use of m records its own product
 * (the same value, so gradients are right, but the tape is longer).
 */
class Product {
 public:
  /// x * y, not recorded yet.
  Product(const Var& x, const Var& y) : x_(x), y_(y) {}
  /// Records x * y (throws std::invalid_argument if x and y are on different tapes).
  operator Var() const;  // NOLINT(google-explicit-constructor): a product is used as a Var
  /// x * y, rounded as the recorded multiplication would be.
  double value() const { return detail::separately_rounded_product(x_.value(), y_.value()); }
  ///@{
  /// The factors.
  const Var& x() const { return x_; }
  const Var& y() const { return y_; }
  ///@}

 private:
  Var x_, y_;
};

/// While alive, makes `tape` the current thread's tape for Var(double) constants and input().
class Recording {
 public:
  /// Makes `tape` current until destroyed (then the previous one is again).
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

/// Records op(args) on the tape of the first argument. All arguments must share one tape; missing
/// optional arguments take the op table's defaults; a wrong number of arguments throws
/// std::invalid_argument.
Var record(Op op, std::span<const Var> args);
/// The same for a braced list: `record(Op::Max, {x, y})`.
inline Var record(Op op, std::initializer_list<Var> args) {
  return record(op, std::span(args.begin(), args.size()));
}

/// Reverse sweep from y: afterwards x.grad() is d y / d x for every Var x on the tape.
void backward(const Var& y);

/// Declares binary operator NAME for (Var, Var), (Var, double) and (double, Var): here `-`,
/// `/`, `<`, `<=`, `>` and `>=` (comparisons record 1 or 0, partials 0). A double becomes a
/// constant on the other operand's tape, so `2 * x + 1` needs no Recording.
#define SLOPE_VAR_BINARY(NAME)                                               \
  Var NAME(const Var& a, const Var& b);                                      \
  inline Var NAME(const Var& a, double b) { return NAME(a, a.constant(b)); } \
  inline Var NAME(double a, const Var& b) { return NAME(b.constant(a), b); }
SLOPE_VAR_BINARY(operator-)
SLOPE_VAR_BINARY(operator/)
SLOPE_VAR_BINARY(operator<)
SLOPE_VAR_BINARY(operator<=)
SLOPE_VAR_BINARY(operator>)
SLOPE_VAR_BINARY(operator>=)
#undef SLOPE_VAR_BINARY

namespace detail {
[[noreturn]] void throw_different_tapes();
}
/// Throws std::invalid_argument unless both operands are on the same tape.
inline Tape& common_tape(const Var& a, const Var& b) {
  if (&a.tape() != &b.tape()) [[unlikely]]
    detail::throw_different_tapes();
  return a.tape();
}

// + and *, the bulk of a network, record inline (the op's value computed here, as the op
// table computes it).
///@{
/// a * b, recorded when used (see Product); a double is a constant on the Var's tape.
inline Product operator*(const Var& a, const Var& b) { return {a, b}; }
inline Product operator*(const Var& a, double b) { return {a, a.constant(b)}; }
inline Product operator*(double a, const Var& b) { return {b.constant(a), b}; }
///@}
/// -a is (-1) * a, the form Expr uses; a - b records as a + (-1)*b, one fused instruction.
inline Product operator-(const Var& a) { return {a.constant(-1), a}; }
inline Product::operator Var() const {
  Tape& t = common_tape(x_, y_);
  return Var::of_new_instruction(t, t.push_computed(Op::Mul, x_.index(), y_.index(), value()));
}

/// a + b, recorded now (throws std::invalid_argument if they are on different tapes).
inline Var operator+(const Var& a, const Var& b) {
  Tape& t = common_tape(a, b);
  return Var::of_new_instruction(
      t, t.push_computed(Op::Add, a.index(), b.index(), a.value() + b.value()));
}
///@{
/// a + x*y as one instruction; its value is rounded as a + (x*y) would be.
inline Var operator+(const Var& a, const Product& m) {
  Tape& t = common_tape(a, m.x());
  common_tape(a, m.y());
  return Var::of_new_instruction(
      t, t.push_fma(a.index(), m.x().index(), m.y().index(), a.value() + m.value(), false));
}
inline Var operator+(const Product& m, const Var& a) {
  Tape& t = common_tape(a, m.x());
  common_tape(a, m.y());
  return Var::of_new_instruction(
      t, t.push_fma(a.index(), m.x().index(), m.y().index(), m.value() + a.value(), true));
}
///@}
/// m + n: m is recorded, then n fuses into the addition.
inline Var operator+(const Product& m, const Product& n) { return Var(m) + n; }
///@{
/// a + b with a constant, on the Var's tape.
inline Var operator+(const Var& a, double b) { return a + a.constant(b); }
inline Var operator+(double a, const Var& b) { return b.constant(a) + b; }
///@}
///@{
/// a = a + b, a - b or a * b; `s += x * y` records one fused instruction.
inline Var& operator+=(Var& a, const Var& b) { return a = a + b; }
inline Var& operator+=(Var& a, const Product& m) { return a = a + m; }
inline Var& operator-=(Var& a, const Var& b) { return a = a - b; }
inline Var& operator*=(Var& a, const Var& b) { return a = a * b; }
///@}

/// Records `cond ? a : b` as a piecewise (NumPy's where); its partials are those of
/// Op::Piecewise: 1 into the branch taken, and the convention's split at the boundary of a
/// comparison.
Var where(const Var& cond, const Var& a, const Var& b);

namespace detail {
template <class A>
concept recordable = std::convertible_to<const A&, Var> || std::is_arithmetic_v<A>;
template <class A>
concept on_a_tape = std::convertible_to<const A&, Var> && !std::is_arithmetic_v<A>;
/// The tape of the first argument that is on one.
template <class A, class... Rest>
Tape& tape_of(const A& a, const Rest&... rest) {
  if constexpr (std::is_same_v<A, Product>)
    return a.x().tape();  // not recorded yet: it records once, as an argument
  else if constexpr (on_a_tape<A>)
    return static_cast<const Var&>(a).tape();
  else
    return tape_of(rest...);
}
/// An argument as a Var: numbers become constants on `tape`.
template <class A>
Var on_tape(Tape& tape, const A& a) {
  if constexpr (std::is_arithmetic_v<A>)
    return Var::of_new_instruction(tape, tape.push_constant(static_cast<double>(a)));
  else
    return static_cast<Var>(a);
}
template <class... A>
Var record_call(Op op, const A&... args) {
  Tape& tape = tape_of(args...);
  return record(op, {on_tape(tape, args)...});
}
}  // namespace detail

/// One recording function per named op, generated from ops.hpp (`SLOPE_NAMED_OPS`), with the
/// names and defaults of build.hpp's factories: `exp(v)`, `max(v, 0)`, `pow(v, 2)`, `sign(v)`,
/// `eq(v, w)`, `relu(v)`, `leaky_relu(v)` (alpha = 0.01, from the op table), `hardtanh(v, -2, 2)`,
/// ... Arguments are Vars or numbers (constants on the Vars' tape); at least one is a Var.
#define SLOPE_VAR_FACTORY(E, name)                                                    \
  template <class... A>                                                               \
    requires(detail::recordable<A> && ...) && (detail::on_a_tape<A> || ...)           \
  Var name(const A&... args) {                                                        \
    return detail::record_call(Op::E, args...);                                       \
  }
SLOPE_NAMED_OPS(SLOPE_VAR_FACTORY)
#undef SLOPE_VAR_FACTORY

}  // namespace slope

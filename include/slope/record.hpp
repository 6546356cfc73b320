// SPDX-License-Identifier: MIT
/// \file
/// Recording ordinary C++ code onto a tape: Var behaves like a double and remembers how it was
/// made; FloatVar (and HalfVar, where SLOPE_HAS_FLOAT16) do the same in float (_Float16) on a
/// FloatTape (HalfTape).
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "slope/tape.hpp"

namespace slope {

template <class T>
class BasicVar;
template <class T>
class BasicProduct;
template <class T>
class BasicRecording;

namespace detail {
[[noreturn]] void throw_no_instruction(std::uint32_t index);
[[noreturn]] void throw_different_tapes();
}  // namespace detail

/**
 * A number recorded on a tape: a (tape, instruction) pair, copied freely like a number.
 * Arithmetic on Vars appends instructions to their tape; `backward(y)` then fills every
 * `grad()` in one reverse sweep. `Var` is `BasicVar<double>` on a `Tape`; `FloatVar` records on a
 * `FloatTape` and computes every value in float, `HalfVar` (SLOPE_HAS_FLOAT16) in _Float16. The
 * three have the same operations, so one function template records a network in any of them.
 *
 * **Example** (micrograd's first example, recorded):
 *
 *     Tape tape;
 *     Var a = tape_input(tape, "a", -4.0), b = tape_input(tape, "b", 2.0);
 *     Var c = relu(a * b + b * b * b);     // relu(-8 + 8) = 0: the kink, slope 0 (min_norm)
 *     backward(c);
 *     a.grad();                            // 0
 *
 * The same in float: `FloatTape tape; FloatVar a = tape_input(tape, "a", -4.0f), ...`.
 */
template <class T>
class BasicVar {
 public:
  /// The number type it computes in.
  using value_type = T;
  /// The Var of instruction `index` of `tape` (throws std::out_of_range if there is none).
  BasicVar(BasicTape<T>& tape, typename BasicTape<T>::Index index) : tape_(&tape), index_(index) {
    if (index >= tape.size()) detail::throw_no_instruction(index);
  }
  /// A constant on the current thread's recording tape (see BasicRecording).
  explicit BasicVar(T constant);
  /// The Var of an instruction just recorded (no check needed).
  static BasicVar of_new_instruction(BasicTape<T>& tape, typename BasicTape<T>::Index index) {
    return BasicVar(&tape, index);
  }

  /// The value computed when it was recorded.
  T value() const { return tape_->value(index_); }
  /// d y / d this, after backward(y).
  T grad() const { return tape_->adjoint(index_); }
  /// The tape it is on.
  BasicTape<T>& tape() const { return *tape_; }
  /// Its instruction on that tape.
  typename BasicTape<T>::Index index() const { return index_; }
  /// A constant on this Var's tape.
  BasicVar constant(T v) const { return of_new_instruction(*tape_, tape_->push_constant(v)); }

 private:
  BasicVar(BasicTape<T>* tape, typename BasicTape<T>::Index index) : tape_(tape), index_(index) {}
  BasicTape<T>* tape_;
  typename BasicTape<T>::Index index_;
};

/// A number recorded on a Tape, in double precision.
using Var = BasicVar<double>;
/// A number recorded on a FloatTape, in single precision.
using FloatVar = BasicVar<float>;
#ifdef SLOPE_HAS_FLOAT16
/// A number recorded on a HalfTape, in _Float16 (only where SLOPE_HAS_FLOAT16).
using HalfVar = BasicVar<_Float16>;
#endif

namespace detail {
/// x * y, rounded on its own: the compiler may not fuse it with a following addition (GCC
/// contracts a + x*y into one FMA instruction when the target has one), so a recorded a + x*y
/// has the value the tape's own forward sweep and eval() compute.
template <class T>
inline T separately_rounded_product(T x, T y) {
  T p = x * y;
#if defined(__GNUC__) && defined(__x86_64__)
  __asm__("" : "+x"(p));  // an empty statement the optimiser cannot see through
#elif defined(__GNUC__) && defined(__aarch64__)
  __asm__("" : "+w"(p));
#else
  volatile T stored = p;
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
 * (the same value, so gradients are right, but the tape is longer). `Product` is
 * `BasicProduct<double>`.
 */
template <class T>
class BasicProduct {
 public:
  /// x * y, not recorded yet.
  BasicProduct(const BasicVar<T>& x, const BasicVar<T>& y) : x_(x), y_(y) {}
  /// Records x * y (throws std::invalid_argument if x and y are on different tapes).
  operator BasicVar<T>() const;  // NOLINT(google-explicit-constructor): a product is used as a Var
  /// x * y, rounded as the recorded multiplication would be.
  T value() const { return detail::separately_rounded_product(x_.value(), y_.value()); }
  ///@{
  /// The factors.
  const BasicVar<T>& x() const { return x_; }
  const BasicVar<T>& y() const { return y_; }
  ///@}

 private:
  BasicVar<T> x_, y_;
};
/// A product of two Vars, waiting to be recorded.
using Product = BasicProduct<double>;

/// While alive, makes `tape` the current thread's tape for Var(double) constants and input().
/// Each precision has its own current tape: `Recording` (double), `FloatRecording`, ...
template <class T>
class BasicRecording {
 public:
  /// Makes `tape` current until destroyed (then the previous one is again).
  explicit BasicRecording(BasicTape<T>& tape);
  ~BasicRecording();
  BasicRecording(const BasicRecording&) = delete;
  BasicRecording& operator=(const BasicRecording&) = delete;
  /// The innermost active recording's tape; throws std::logic_error if there is none.
  static BasicTape<T>& current();

 private:
  BasicTape<T>* previous_;
};
/// Makes a Tape the current thread's tape for Var(double) constants and input().
using Recording = BasicRecording<double>;
/// The same for a FloatTape.
using FloatRecording = BasicRecording<float>;
#ifdef SLOPE_HAS_FLOAT16
/// The same for a HalfTape.
using HalfRecording = BasicRecording<_Float16>;
#endif

template <class T>
BasicVar<T>::BasicVar(T constant)
    : tape_(&BasicRecording<T>::current()), index_(tape_->push_constant(constant)) {}

/// A named input on `tape` (a leaf whose gradient backward() reports).
template <class T>
BasicVar<T> tape_input(BasicTape<T>& tape, std::string name, std::type_identity_t<T> value) {
  return BasicVar<T>::of_new_instruction(tape, tape.push_input(std::move(name), value));
}
/// An unnamed input on `tape` (cheapest when recording thousands of parameters).
template <class T>
BasicVar<T> tape_input(BasicTape<T>& tape, std::type_identity_t<T> value) {
  return BasicVar<T>::of_new_instruction(tape, tape.push_input(value));
}
/// Many unnamed inputs on `tape` at once (a network's parameters), appended to `out`.
template <class T>
void tape_inputs(BasicTape<T>& tape, std::span<const std::type_identity_t<T>> values,
                 std::vector<BasicVar<T>>& out) {
  const auto first = tape.push_inputs(values);
  for (std::size_t k = 0; k < values.size(); ++k)
    out.push_back(BasicVar<T>::of_new_instruction(
        tape, first + static_cast<typename BasicTape<T>::Index>(k)));
}
/// A named input on the current recording tape: `input("x", 1.0)` on the Recording's Tape,
/// `input<float>("x", 1)` on the FloatRecording's FloatTape.
template <class T = double>
BasicVar<T> input(std::string name, std::type_identity_t<T> value) {
  return tape_input(BasicRecording<T>::current(), std::move(name), value);
}

/// Records op(args) on the tape of the first argument. All arguments must share one tape; missing
/// optional arguments take the op table's defaults; a wrong number of arguments throws
/// std::invalid_argument.
template <class T>
BasicVar<T> record(Op op, std::span<const BasicVar<T>> args);
/// The same for a braced list: `record(Op::Max, {x, y})`.
template <class T>
BasicVar<T> record(Op op, std::initializer_list<BasicVar<T>> args) {
  return record(op, std::span<const BasicVar<T>>(args.begin(), args.size()));
}
///@{
/// The double versions, which also take products and containers of Vars (`record(op, vars)`).
inline Var record(Op op, std::span<const Var> args) { return record<double>(op, args); }
inline Var record(Op op, std::initializer_list<Var> args) {
  return record<double>(op, std::span<const Var>(args.begin(), args.size()));
}
///@}

/// Throws std::invalid_argument unless both operands are on the same tape.
template <class T>
BasicTape<T>& common_tape(const BasicVar<T>& a, const BasicVar<T>& b) {
  if (&a.tape() != &b.tape()) [[unlikely]]
    detail::throw_different_tapes();
  return a.tape();
}

namespace detail {
/// The number type of a recorded operand (a BasicVar or BasicProduct).
template <class A>
struct recorded_type {};
template <class T>
struct recorded_type<BasicVar<T>> {
  using type = T;
};
template <class T>
struct recorded_type<BasicProduct<T>> {
  using type = T;
};
/// A Var or a product of Vars.
template <class A>
concept recorded = requires { typename recorded_type<std::remove_cvref_t<A>>::type; };
template <class A>
using recorded_t = typename recorded_type<std::remove_cvref_t<A>>::type;
/// A plain number that becomes a constant on a tape of T.
template <class S, class T>
concept number_for = std::is_arithmetic_v<S> || std::is_same_v<S, T>;
/// Operands of a binary operator: two recorded of one precision, or one recorded and a number.
template <class A, class B>
concept operands = (recorded<A> && recorded<B> && std::is_same_v<recorded_t<A>, recorded_t<B>>) ||
                   (recorded<A> && number_for<B, recorded_t<A>>) ||
                   (recorded<B> && number_for<A, recorded_t<B>>);
/// The precision of a binary operator's operands.
template <class A, class B>
using operands_t = typename std::conditional_t<recorded<A>, recorded_type<std::remove_cvref_t<A>>,
                                               recorded_type<std::remove_cvref_t<B>>>::type;

/// Both operands as Vars, recorded operands first (a product records itself), then a number as
/// a constant on the other operand's tape: the order the double recorder has always used.
template <class A, class B>
auto as_vars(const A& a, const B& b) {
  using T = operands_t<A, B>;
  if constexpr (recorded<A> && recorded<B>) {
    BasicVar<T> va = a;
    BasicVar<T> vb = b;
    return std::pair{va, vb};
  } else if constexpr (recorded<A>) {
    BasicVar<T> va = a;
    return std::pair{va, va.constant(static_cast<T>(b))};
  } else {
    BasicVar<T> vb = b;
    return std::pair{vb.constant(static_cast<T>(a)), vb};
  }
}
}  // namespace detail

/// Reverse sweep from y: afterwards x.grad() is d y / d x for every Var x on the tape. A product
/// records itself first.
template <class A>
  requires detail::recorded<A>
void backward(const A& y) {
  const BasicVar<detail::recorded_t<A>> v = y;
  v.tape().reverse_from(v.index());
}

// + and *, the bulk of a network, record inline (the op's value computed here, as the op
// table computes it).
/// a * b, recorded when used (see BasicProduct); a number is a constant on the Var's tape, and a
/// product operand records itself first.
template <class A, class B>
  requires detail::operands<A, B>
BasicProduct<detail::operands_t<A, B>> operator*(const A& a, const B& b) {
  auto [x, y] = detail::as_vars(a, b);
  return {x, y};
}
/// -a is (-1) * a, the form Expr uses; a - b records as a + (-1)*b, one fused instruction.
template <class A>
  requires detail::recorded<A>
BasicProduct<detail::recorded_t<A>> operator-(const A& a) {
  const BasicVar<detail::recorded_t<A>> v = a;
  return {v.constant(-1), v};
}
template <class T>
BasicProduct<T>::operator BasicVar<T>() const {
  BasicTape<T>& t = common_tape(x_, y_);
  return BasicVar<T>::of_new_instruction(
      t, t.push_computed(Op::Mul, x_.index(), y_.index(), value()));
}

/// a + b, recorded now (throws std::invalid_argument if they are on different tapes).
template <class T>
BasicVar<T> operator+(const BasicVar<T>& a, const BasicVar<T>& b) {
  BasicTape<T>& t = common_tape(a, b);
  return BasicVar<T>::of_new_instruction(
      t, t.push_computed(Op::Add, a.index(), b.index(), a.value() + b.value()));
}
///@{
/// a + x*y as one instruction; its value is rounded as a + (x*y) would be.
template <class T>
BasicVar<T> operator+(const BasicVar<T>& a, const BasicProduct<T>& m) {
  BasicTape<T>& t = common_tape(a, m.x());
  common_tape(a, m.y());
  return BasicVar<T>::of_new_instruction(
      t, t.push_fma(a.index(), m.x().index(), m.y().index(), a.value() + m.value(), false));
}
template <class T>
BasicVar<T> operator+(const BasicProduct<T>& m, const BasicVar<T>& a) {
  BasicTape<T>& t = common_tape(a, m.x());
  common_tape(a, m.y());
  return BasicVar<T>::of_new_instruction(
      t, t.push_fma(a.index(), m.x().index(), m.y().index(), m.value() + a.value(), true));
}
///@}
/// m + n: m is recorded, then n fuses into the addition.
template <class T>
BasicVar<T> operator+(const BasicProduct<T>& m, const BasicProduct<T>& n) {
  return BasicVar<T>(m) + n;
}
/// a + b with a number, a constant on the tape of the recorded operand (a product records first).
template <class A, class B>
  requires detail::operands<A, B> && (!detail::recorded<A> || !detail::recorded<B>)
BasicVar<detail::operands_t<A, B>> operator+(const A& a, const B& b) {
  auto [x, y] = detail::as_vars(a, b);
  return x + y;
}

/// a - b, recorded as a + (-1)*b (one fused instruction).
template <class A, class B>
  requires detail::operands<A, B>
BasicVar<detail::operands_t<A, B>> operator-(const A& a, const B& b) {
  auto [x, y] = detail::as_vars(a, b);
  return x + (-y);
}

///@{
/// a = a + b, a - b or a * b; `s += x * y` records one fused instruction.
template <class T, class B>
  requires detail::operands<BasicVar<T>, B>
BasicVar<T>& operator+=(BasicVar<T>& a, const B& b) {
  return a = a + b;
}
template <class T, class B>
  requires detail::operands<BasicVar<T>, B>
BasicVar<T>& operator-=(BasicVar<T>& a, const B& b) {
  return a = a - b;
}
template <class T, class B>
  requires detail::operands<BasicVar<T>, B>
BasicVar<T>& operator*=(BasicVar<T>& a, const B& b) {
  return a = a * b;
}
///@}

namespace detail {
template <class A>
inline constexpr bool is_product = false;
template <class T>
inline constexpr bool is_product<BasicProduct<T>> = true;
/// The tape of the first argument that is on one.
template <class A, class... Rest>
auto& tape_of(const A& a, const Rest&... rest) {
  if constexpr (is_product<A>)
    return a.x().tape();  // not recorded yet: it records once, as an argument
  else if constexpr (recorded<A>)
    return a.tape();
  else
    return tape_of(rest...);
}
/// An argument as a Var: numbers become constants on `tape`.
template <class T, class A>
BasicVar<T> on_tape(BasicTape<T>& tape, const A& a) {
  if constexpr (recorded<A>)
    return static_cast<BasicVar<T>>(a);
  else
    return BasicVar<T>::of_new_instruction(tape, tape.push_constant(static_cast<T>(a)));
}
/// The precision of the first recorded argument.
template <class A, class... Rest>
struct first_recorded {
  using type = typename first_recorded<Rest...>::type;
};
template <class A, class... Rest>
  requires recorded<A>
struct first_recorded<A, Rest...> {
  using type = recorded_t<A>;
};
/// Whether A can be an argument of a recorded op in precision T.
template <class A, class T>
inline constexpr bool argument_for = number_for<A, T>;
template <class U, class T>
inline constexpr bool argument_for<BasicVar<U>, T> = std::is_same_v<U, T>;
template <class U, class T>
inline constexpr bool argument_for<BasicProduct<U>, T> = std::is_same_v<U, T>;
/// Arguments of a recorded op: numbers, and at least one Var or product, all of one precision.
template <class... A>
concept call_arguments = (recorded<A> || ...) &&
                         (argument_for<A, typename first_recorded<A...>::type> && ...);
template <class... A>
auto record_call(Op op, const A&... args) {
  using T = typename first_recorded<A...>::type;
  BasicTape<T>& tape = tape_of(args...);
  return record(op, {on_tape(tape, args)...});
}
}  // namespace detail

/// a / b, recorded as a * b^-1, the form Expr uses.
template <class A, class B>
  requires detail::operands<A, B>
BasicVar<detail::operands_t<A, B>> operator/(const A& a, const B& b) {
  auto [x, y] = detail::as_vars(a, b);
  return x * detail::record_call(Op::Pow, y, -1.0);
}

/// Declares comparison NAME of two recorded operands, or one and a number: records 1 or 0, with
/// partials 0. A number becomes a constant on the other operand's tape, so `x > 0` needs no
/// Recording.
#define SLOPE_VAR_COMPARISON(NAME, OP)                              \
  template <class A, class B>                                       \
    requires detail::operands<A, B>                                 \
  BasicVar<detail::operands_t<A, B>> NAME(const A& a, const B& b) { \
    auto [x, y] = detail::as_vars(a, b);                            \
    return record(Op::OP, {x, y});                                  \
  }
SLOPE_VAR_COMPARISON(operator<, Lt)
SLOPE_VAR_COMPARISON(operator<=, Le)
SLOPE_VAR_COMPARISON(operator>, Gt)
SLOPE_VAR_COMPARISON(operator>=, Ge)
#undef SLOPE_VAR_COMPARISON

/// Records `cond ? a : b` as a piecewise (NumPy's where); its partials are those of
/// Op::Piecewise: 1 into the branch taken, and the convention's split at the boundary of a
/// comparison. The arguments are Vars, products or numbers, at least one recorded.
template <class C, class A, class B>
  requires detail::call_arguments<C, A, B>
auto where(const C& cond, const A& a, const B& b) {
  return detail::record_call(Op::Piecewise, cond, a, b);
}

/// One recording function per named op, generated from ops.hpp (`SLOPE_NAMED_OPS`), with the
/// names and defaults of build.hpp's factories: `exp(v)`, `max(v, 0)`, `pow(v, 2)`, `sign(v)`,
/// `eq(v, w)`, `relu(v)`, `leaky_relu(v)` (alpha = 0.01, from the op table), `hardtanh(v, -2, 2)`,
/// ... Arguments are Vars, products or numbers (constants on the Vars' tape); at least one is
/// recorded, and all recorded ones are of one precision.
#define SLOPE_VAR_FACTORY(E, name)                   \
  template <class... A>                              \
    requires detail::call_arguments<A...>            \
  auto name(const A&... args) {                      \
    return detail::record_call(Op::E, args...);      \
  }
SLOPE_NAMED_OPS(SLOPE_VAR_FACTORY)
#undef SLOPE_VAR_FACTORY

/// \cond
// Compiled once, in src/tape/record.cpp.
extern template class BasicRecording<double>;
extern template class BasicRecording<float>;
extern template BasicVar<double> record<double>(Op, std::span<const BasicVar<double>>);
extern template BasicVar<float> record<float>(Op, std::span<const BasicVar<float>>);
#ifdef SLOPE_HAS_FLOAT16
extern template class BasicRecording<_Float16>;
extern template BasicVar<_Float16> record<_Float16>(Op, std::span<const BasicVar<_Float16>>);
#endif
/// \endcond

}  // namespace slope

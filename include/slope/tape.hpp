// SPDX-License-Identifier: MIT
/// \file
/// Tape: a flat instruction array for fast values and gradients, compiled from expressions or
/// recorded from C++ code (record.hpp). One engine: both fill the same arrays, one sweep reads
/// them. `Tape` computes in double; `FloatTape` in float and `HalfTape` in _Float16 (where
/// SLOPE_HAS_FLOAT16), with the same instructions, rules and conventions.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "slope/convention.hpp"
#include "slope/expr.hpp"
#include "slope/precision.hpp"

namespace slope {

/**
 * Where the points of a batch fall around one kink of one tape instruction (Tape::kink_sides).
 * The kink is where a switch function `g` of the instruction's operands crosses 0, the same
 * switch functions exact one-sided calculus uses: relu(u) and leaky_relu(u) kink at u = 0 (g is
 * u), max(a, b) at a - b, clamp and hardtanh at two (one entry each), a piecewise at its
 * condition's comparison (an entry for the comparison's instruction).
 *
 * For a relu unit, `above == 0` means no point of the batch reaches its rising side: its output
 * is 0 and its slope 0 for every point, a dead unit.
 */
struct KinkSides {
  std::uint32_t node = 0;  ///< the instruction (recording order, as Var::index() gives)
  Op op = Op::Const;       ///< its op
  /// The switch function, over the instruction's operands named arg0, arg1, ... (a constant
  /// operand appears as its value): `arg0` for relu, `arg0 - 6` for relu6's upper kink.
  Expr g;
  std::size_t below = 0;  ///< points with g < 0 (relu: the flat side)
  std::size_t at = 0;     ///< points exactly on the kink, g == 0
  std::size_t above = 0;  ///< points with g > 0 (relu: the rising side)
  std::size_t nan = 0;    ///< points where g is NaN
  /// The batch's size: below + at + above + nan.
  std::size_t points() const { return below + at + above + nan; }
  ///@{
  /// The fractions of the batch on each side (0 for an empty batch).
  double fraction_below() const { return fraction(below); }
  double fraction_at() const { return fraction(at); }
  double fraction_above() const { return fraction(above); }
  ///@}

 private:
  double fraction(std::size_t count) const {
    return points() == 0 ? 0.0 : static_cast<double>(count) / static_cast<double>(points());
  }
};

/**
 * Whether the convention at kinks changed a batch's gradients
 * (BasicTape::convention_changes_gradient): the gradient of one output under two conventions at
 * every point, compared bit for bit (so +0 and -0 differ, and a NaN equals only the same NaN).
 * Where no point sits exactly on a kink the two are always equal; how often they differ is the
 * question of Bertoin et al., "Numerical influence of ReLU'(0) on backpropagation" (NeurIPS 2021).
 */
struct ConventionChange {
  std::size_t points = 0;           ///< points in the batch
  std::size_t points_changed = 0;   ///< points where at least one gradient entry differs
  std::size_t entries_changed = 0;  ///< (point, input) gradient entries that differ
  /// Inputs whose gradient summed over the batch (in the tape's precision, in point order, as a
  /// mini-batch gradient is) differs: what an optimiser stepping on the batch would see.
  std::size_t sums_changed = 0;
  /// Whether any gradient entry differs.
  bool changed() const { return entries_changed > 0; }
};

/**
 * A topologically ordered list of 16-byte instructions (op code and operand indices, no
 * pointers to chase) with a value and an adjoint for each. Compiling makes one instruction per
 * DAG node, except that products only a sum uses fold into it (a dot product); recording makes
 * one per operation, `s + x * y` being one. `forward` computes every
 * value from the inputs; `reverse` then gives d output / d input for every input in one sweep.
 * Kinks follow the tape's `Convention`, the same rules `diff` applies.
 *
 * **Precision.** `T` is the number type every value, adjoint and partial is stored and computed
 * in: `Tape` is `BasicTape<double>`, `FloatTape` is `BasicTape<float>` and, where the compiler
 * has it (SLOPE_HAS_FLOAT16), `HalfTape` is `BasicTape<_Float16>`. Every arithmetic operation
 * (+, *, the fused a + x*y, a dot product's products and running sum, the op table's partial
 * rules) rounds to T; constants of a compiled expression (double in an Expr) are rounded to T
 * when the tape is compiled; exp, log, sin, tanh, erf, ... are the C library's double or float
 * functions, and for _Float16 the float function rounded once to _Float16. Conventions give the
 * same slopes in every precision (they select, or halve a sum of two slopes). What the
 * lower precisions change is rounding, and so how often a value lands exactly on a kink.
 *
 * **Example**:
 *
 *     Tape t = Tape::compile(relu(w*x + b));   // inputs: w, x, b
 *     t.forward({{2.0, 1.5, -1.0}});
 *     t.reverse();
 *     t.gradient();                            // {1.5, 2, 1}
 */
template <class T>
class BasicTape {
  static_assert(is_tape_scalar<T>, "a tape computes in double, float or _Float16 (precision.hpp)");

 public:
  /// An instruction's position on the tape (Var::index()).
  using Index = std::uint32_t;

  /// An empty tape to record on (record.hpp), resolving kinks by `convention`.
  explicit BasicTape(Convention convention = Convention::min_norm) : convention_(convention) {}

  /// Compiles outputs; inputs are the given variable names, or all variables in order of first
  /// appearance. Throws std::invalid_argument if an output uses a variable not listed.
  static BasicTape compile(std::span<const Expr> outputs, std::vector<std::string> inputs = {},
                           Convention convention = Convention::min_norm);
  /// Compiles one output.
  static BasicTape compile(const Expr& output, std::vector<std::string> inputs = {},
                           Convention convention = Convention::min_norm) {
    return compile(std::span(&output, 1), std::move(inputs), convention);
  }

  /// Input names in order; unnamed inputs are called input0, input1, ...
  const std::vector<std::string>& inputs() const;
  /// The number of outputs.
  std::size_t output_count() const { return outputs_.size(); }
  /// The number of instructions.
  std::size_t size() const { return code_.size(); }
  /// The convention kinks are resolved by.
  Convention convention() const { return convention_; }
  /// Changes it; the next reverse sweep uses it (values do not depend on it).
  void set_convention(Convention c) { convention_ = c; }
  /// Bytes the tape uses: instructions, operand pool and values (vectors may hold spare capacity).
  std::size_t bytes() const;
  /// Bytes of the reverse sweep's workspace: one adjoint per instruction.
  std::size_t adjoint_bytes() const { return code_.size() * sizeof(T); }

  /// Sets the inputs (in `inputs()` order) and recomputes every value; returns the outputs.
  std::span<const T> forward(std::span<const T> inputs);
  /// One reverse sweep from output `k`: afterwards gradient()[i] = d output_k / d input_i.
  void reverse(std::size_t k = 0);
  /// d output / d input for each input, after reverse().
  std::span<const T> gradient() const { return gradient_; }
  /// The outputs' values from the last forward().
  std::span<const T> outputs() const { return output_values_; }

  // ---- batched evaluation (tape_batch.cpp) -------------------------------------------------
  /// Evaluates every output at many points: inputs[i][j] is input i at point j (all inputs the
  /// same length n), outputs[k] receives output k (length n). Works in cache-sized blocks with
  /// one vectorisable loop per instruction.
  void forward_batch(std::span<const std::span<const T>> inputs,
                     std::span<const std::span<T>> outputs);
  /// Value of output k and its gradient at many points: values[j], gradients[i][j] = d output_k /
  /// d input_i at point j. Equal, element by element, to forward() and reverse() at each point.
  void gradient_batch(std::span<const std::span<const T>> inputs, std::size_t k,
                      std::span<T> values, std::span<const std::span<T>> gradients);

  /// For every kink of every instruction that has one (in instruction order, an instruction's
  /// kinks in its op's order), how many of the points are below, at and above it. inputs[i][j]
  /// is input i at point j, as for forward_batch. The tape's scalar state (forward()) is kept.
  /// The switch functions are computed in T, so `at` counts the exact kink hits of this
  /// precision: a float tape can put a relu's argument at exactly 0 where a double one does not.
  std::vector<KinkSides> kink_sides(std::span<const std::span<const T>> inputs);

  /// Runs gradient_batch for output k under conventions a and b on the same points and compares
  /// the gradients bit for bit (ConventionChange). The tape's convention is restored afterwards.
  /// Works through the batch in chunks, so it needs little memory beyond the tape's own.
  ///
  /// **Example**: is relu'(0) ever used here?
  ///
  ///     FloatTape t = FloatTape::compile(relu(w * x), {"w", "x"});
  ///     std::vector<float> ws{1, 1, 2}, xs{-1, 0, 3};       // w*x = -1, 0, 6
  ///     std::vector<std::span<const float>> in{ws, xs};
  ///     ConventionChange c = t.convention_changes_gradient(in, Convention::left,
  ///                                                        Convention::right);
  ///     // c.points_changed == 1 (the point at 0), c.entries_changed == 2 (d/dw and d/dx)
  ConventionChange convention_changes_gradient(std::span<const std::span<const T>> inputs,
                                               Convention a, Convention b, std::size_t k = 0);

  /// The expression the tape computes for output k (a recorded tape becomes printable).
  Expr to_expr(std::size_t k = 0) const;

  // ---- recording (record.hpp builds on these) ---------------------------------------------
  /// Removes every instruction but keeps the memory, so re-recording does not allocate.
  void clear();
  /// Appends an input named `name` with value `value`; returns its instruction.
  Index push_input(std::string name, T value);
  /// An unnamed input (named input0, input1, ... by to_expr): recording many parameters
  /// then costs no string work.
  Index push_input(T value);
  /// Many unnamed inputs at once, on consecutive instructions; returns the first one's index.
  Index push_inputs(std::span<const T> values);
  /// Appends a constant.
  Index push_constant(T value);
  /// Appends op(args) and computes its value now. Piecewise takes (condition, then, else).
  Index push(Op op, std::span<const Index> args);
  /// Makes instruction i the next output.
  void mark_output(Index i);
  /// Instruction i's value.
  T value(Index i) const { return values_[i]; }
  /// Instruction i's adjoint from the last reverse sweep (0 before any sweep).
  T adjoint(Index i) const { return i < adjoints_.size() ? adjoints_[i] : T(0); }
  ///@{
  /// Appends a one- or two-operand instruction whose value the caller computed (record.cpp's
  /// fast path for +, * and relu; `push` evaluates through the op table instead).
  Index push_computed(Op op, Index a, T value) {
    return append({op, Form::unary, false, {a, 0, 0}}, value);
  }
  Index push_computed(Op op, Index a, Index b, T value) {
    return append({op, Form::binary, false, {a, b, 0}}, value);
  }
  ///@}
  /// Appends a + x*y, whose value the caller computed (record.hpp's `s + x * y`).
  /// `product_first` keeps the written order, x*y + a, for to_expr; the value is the same.
  Index push_fma(Index a, Index x, Index y, T value, bool product_first) {
    return append({Op::Add, Form::fma, product_first, {a, x, y}}, value);
  }
  /// Reverse sweep from instruction `i`: afterwards adjoint(j) = d value(i) / d value(j) for
  /// every instruction j (gradient() is filled by reverse() only).
  void reverse_from(Index i);

 private:
  /// How an instruction's operands are stored. One or two sit inline; more (and a piecewise's
  /// five: condition, then, else, and the condition's two sides) sit in the operand pool.
  /// A `dot` is a sum of products x0*y0 + x1*y1 + ..., its pairs in the pool: Tape::compile
  /// fuses a sum with the products only it uses, so a neuron is one instruction, not 2n.
  /// An `fma` is a + x*y (operands a, x, y): recording makes one of `s + x * y`.
  enum class Form : std::uint8_t { leaf, unary, binary, pooled, dot, fma };
  /// 16 bytes: with its value, 24 bytes of tape per instruction (the adjoint, 8 more, is the
  /// reverse sweep's workspace, sized when a sweep runs).
  struct Instruction {
    Op op;
    Form form;
    bool product_first;        // fma: written x*y + a (to_expr keeps the order)
    std::array<Index, 3> arg;  // the operands, or (pooled, dot) the pool offset and count
  };
  static_assert(sizeof(Instruction) == 16);

  Convention convention_;
  std::vector<Instruction> code_;
  std::vector<Index> pool_;  // operands of pooled and dot instructions
  static constexpr Index no_instruction = ~Index{0};
  Index first_computed_ = no_instruction;  // lowest non-leaf instruction: reverse stops there
  // Values and adjoints in arrays of their own: inputs copy in, and gradients out, as blocks.
  std::vector<T> values_, adjoints_;
  /// Inputs in slot order, as runs of consecutive instructions (first, count): a network's
  /// thousands of parameters are one run, not thousands of entries.
  std::vector<std::pair<Index, Index>> input_runs_;
  std::size_t input_count_ = 0;
  void add_inputs(Index first, Index count);
  template <class F>
  void for_each_input(F&& f) const {  // f(slot, instruction)
    std::size_t slot = 0;
    for (const auto& [first, count] : input_runs_)
      for (Index k = 0; k < count; ++k) f(slot++, first + k);
  }
  std::vector<std::pair<std::size_t, std::string>> named_inputs_;  // (slot, name), only when named
  mutable std::vector<std::string> input_names_;                   // built by inputs() on demand
  std::vector<Index> outputs_;
  std::vector<T> output_values_, gradient_;

  Index append(Instruction in, T value) {
    const auto i = static_cast<Index>(values_.size());
    if (in.form != Form::leaf && i < first_computed_) [[unlikely]]
      first_computed_ = i;
    code_.push_back(in);
    values_.push_back(value);
    return i;
  }
  /// Instruction i's operands (for a dot, its pairs x0, y0, x1, y1, ...).
  std::span<const Index> operands(Index i) const {
    const Instruction& in = code_[i];
    switch (in.form) {
      case Form::leaf:
        return {};
      case Form::unary:
        return {in.arg.data(), 1};
      case Form::binary:
        return {in.arg.data(), 2};
      case Form::fma:
        return {in.arg.data(), 3};
      default:
        return {pool_.data() + in.arg[0], in.arg[1]};
    }
  }
  /// How many operands the op itself takes (a piecewise's condition sides are extra).
  std::size_t arity(Index i) const { return code_[i].op == Op::Piecewise ? 3 : operands(i).size(); }
  bool is_leaf(Index i) const { return code_[i].form == Form::leaf; }
  Index push_pooled(Op op, std::span<const Index> args);
  Index push_dot(std::span<const Index> pairs);
  T evaluate(Index i) const;
  /// The reverse sweep from instruction `out` down, accumulating into `adjoints` (seeded).
  void sweep(Index out, std::span<T> adjoints);
  /// A sweep of its own from the seeded instructions: the adjoints it leaves.
  std::vector<T> sweep_from(std::initializer_list<std::pair<Index, T>> seeds);
  void partials_through_table(Index i, T w, std::span<T> adjoints);
  void tied_piecewise(Index i, T w, std::span<T> adjoints);
  T tangent(Index input, Index out) const;
  Expr expr_of(Index last) const;
  /// Piecewise i's slope at a tie of its condition as `input` moves.
  T at_tie(Index i, Index input, T then_slope, T else_slope, T gap_slope) const;
  /// Piecewise i's condition sides hold no op that can kink or jump.
  bool smooth_sides(Index i) const;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  /// A comparison inside logic condition `cond` (through and, or, not) ties, at the scalar
  /// point (lane npos) or in a lane of the batch block.
  bool logic_ties(Index cond, std::size_t lane) const;
  T apart(Index i, bool then_beside, T then_slope, T else_slope) const;
  /// Piecewise i's branches have one value here, up to rounding (kink.hpp).
  bool branches_meet(Index i) const;

  // batch buffers: instruction i's block of values is batch_val_[i * block_, (i + 1) * block_)
  std::size_t block_ = 1024;  // points per block (tape_batch.cpp chooses it for the tape's size)
  std::vector<T> batch_val_, batch_adj_, batch_ones_;
  std::vector<T*> val_rows_, adj_rows_;  // where each instruction's block lives
  std::vector<char> adj_written_;        // per block: has instruction i's adjoint row a value
  void size_batch_buffers(bool adjoints);
  void point_rows(std::size_t offset, std::span<const std::span<T>> outputs, std::span<T> values,
                  Index value_of, std::span<const std::span<T>> gradients);
  void forward_block(std::span<const std::span<const T>> inputs, std::size_t offset, std::size_t n,
                     Index last);
  bool fused_output(Index out) const;
  void output_value_and_partials(std::size_t n, Index out, bool stream);
  void seed(std::size_t n, Index out);
  void reverse_block(std::size_t n, Index last);  // instructions last, last - 1, ..., 0
  void generic_partials(Index i, std::size_t n);
  std::vector<std::size_t> tied_lanes_;  // lanes of the block where a piecewise condition tied
  void redo_tied_lanes(std::span<const std::span<const T>> inputs, std::size_t offset,
                       std::size_t k, std::span<const std::span<T>> gradients);
};

/// The tape in double precision: the one `Tape::compile`, `Var` and every other part of slope use.
using Tape = BasicTape<double>;
/// The tape in single precision (float).
using FloatTape = BasicTape<float>;
#ifdef SLOPE_HAS_FLOAT16
/// The tape in half precision (_Float16, IEEE binary16); only where SLOPE_HAS_FLOAT16.
using HalfTape = BasicTape<_Float16>;
#endif

/// \cond
// Compiled once, in src/tape (explicit instantiations).
extern template class BasicTape<double>;
extern template class BasicTape<float>;
#ifdef SLOPE_HAS_FLOAT16
extern template class BasicTape<_Float16>;
#endif
/// \endcond

}  // namespace slope

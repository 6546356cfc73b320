// SPDX-License-Identifier: MIT
// The tape: compile, record, forward, reverse. Every op's value and partials come from the op
// table (ops.cpp), so the tape and diff cannot disagree about a rule.
#include "slope/tape.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "core/id_map.hpp"
#include "core/kink.hpp"
#include "core/op_table.hpp"
#include "core/scalar.hpp"
#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/eval.hpp"
#include "symbolic/side.hpp"

namespace slope {
namespace {

/// A small stack buffer for argument values and partials, growing on the heap only for wide sums.
template <class T>
struct Scratch {
  std::array<T, 8> small;
  std::vector<T> large;
  std::span<T> take(std::size_t n) {
    if (n <= small.size()) return {small.data(), n};
    large.resize(n);
    return large;
  }
};

/// Input names to their instructions, in one flat table (open addressing, the hash kept in each
/// slot): compiling a network looks up a million names, and std::unordered_map's chained
/// buckets cost a division and a few cache misses each time.
class NameIndex {
 public:
  explicit NameIndex(std::size_t names) : slots_(std::bit_ceil(2 * names + 2)) {}
  /// Keeps name's instruction; false if name has one already.
  bool emplace(std::string_view name, std::uint32_t instruction) {
    Slot& s = slots_[slot(name)];
    if (s.used) return false;
    s = {std::hash<std::string_view>{}(name), name, instruction, true};
    return true;
  }
  const std::uint32_t* find(std::string_view name) const {
    const Slot& s = slots_[slot(name)];
    return s.used ? &s.instruction : nullptr;
  }

 private:
  struct Slot {
    std::size_t hash = 0;
    std::string_view name;
    std::uint32_t instruction = 0;
    bool used = false;
  };
  /// Where name is, or the empty slot where it would go.
  std::size_t slot(std::string_view name) const {
    const std::size_t h = std::hash<std::string_view>{}(name), mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask)
      if (!slots_[i].used || (slots_[i].hash == h && slots_[i].name == name)) return i;
  }
  std::vector<Slot> slots_;
};

}  // namespace

template <class T>
T BasicTape<T>::evaluate(Index i) const {
  const Instruction& in = code_[i];
  auto val = [v = values_.data()](Index k) { return v[k]; };
  // The instructions that dominate networks run inline; the rest go through the op table.
  switch (in.form) {
    case Form::leaf:
      return val(i);
    case Form::unary:
      if (in.op == Op::Relu) return detail::relu_value(val(in.arg[0]));
      break;
    case Form::binary:
      if (in.op == Op::Add) return val(in.arg[0]) + val(in.arg[1]);
      if (in.op == Op::Mul) return val(in.arg[0]) * val(in.arg[1]);
      break;
    case Form::fma:
      return val(in.arg[0]) + val(in.arg[1]) * val(in.arg[2]);
    case Form::dot: {
      const Index* o = pool_.data() + in.arg[0];
      T sum = val(o[0]) * val(o[1]);
      for (Index k = 2; k < in.arg[1]; k += 2) sum += val(o[k]) * val(o[k + 1]);
      return sum;
    }
    case Form::pooled:
      if (in.op == Op::Add) {
        const Index* o = pool_.data() + in.arg[0];
        T sum = val(o[0]);
        for (Index k = 1; k < in.arg[1]; ++k) sum += val(o[k]);
        return sum;
      }
      break;
  }
  const auto args = operands(i).first(arity(i));
  Scratch<T> s;
  auto a = s.take(args.size());
  for (std::size_t k = 0; k < args.size(); ++k) a[k] = val(args[k]);
  return detail::row(in.op).eval.template in<T>()(a);
}

template <class T>
typename BasicTape<T>::Index BasicTape<T>::push_input(T value) {
  const Index i = push_constant(value);
  code_[i].op = Op::Variable;
  add_inputs(i, 1);
  return i;
}

template <class T>
typename BasicTape<T>::Index BasicTape<T>::push_inputs(std::span<const T> values) {
  const auto first = static_cast<Index>(code_.size());
  code_.insert(code_.end(), values.size(), Instruction{Op::Variable, Form::leaf, false, {0, 0, 0}});
  values_.insert(values_.end(), values.begin(), values.end());
  add_inputs(first, static_cast<Index>(values.size()));
  return first;
}

template <class T>
void BasicTape<T>::add_inputs(Index first, Index count) {
  if (!input_runs_.empty() && input_runs_.back().first + input_runs_.back().second == first)
    input_runs_.back().second += count;
  else
    input_runs_.emplace_back(first, count);
  input_count_ += count;
}

template <class T>
typename BasicTape<T>::Index BasicTape<T>::push_input(std::string name, T value) {
  const Index i = push_input(value);
  named_inputs_.emplace_back(input_count_ - 1, std::move(name));
  return i;
}

template <class T>
const std::vector<std::string>& BasicTape<T>::inputs() const {
  input_names_.resize(input_count_);
  for (std::size_t s = 0; s < input_names_.size(); ++s)
    input_names_[s] = "input" + std::to_string(s);
  for (const auto& [slot, name] : named_inputs_) input_names_[slot] = name;
  return input_names_;
}

template <class T>
typename BasicTape<T>::Index BasicTape<T>::push_constant(T value) {
  return append({Op::Const, Form::leaf, false, {0, 0, 0}}, value);
}

template <class T>
typename BasicTape<T>::Index BasicTape<T>::push_pooled(Op op, std::span<const Index> args) {
  const auto at = static_cast<Index>(pool_.size());
  pool_.insert(pool_.end(), args.begin(), args.end());
  return append({op, Form::pooled, false, {at, static_cast<Index>(pool_.size() - at), 0}}, 0);
}

template <class T>
typename BasicTape<T>::Index BasicTape<T>::push(Op op, std::span<const Index> args) {
  const auto i = static_cast<Index>(code_.size());
  for (Index a : args)
    if (a >= i) [[unlikely]]
      throw std::invalid_argument("slope::Tape::push: an operand is not on the tape yet");
  if (op == Op::Piecewise) {
    if (args.size() != 3)
      throw std::invalid_argument("slope::Tape::push: a piecewise takes condition, then, else");
    // A piecewise also keeps its condition's two sides, which its kink rule compares.
    std::array<Index, 5> with_sides{args[0], args[1], args[2]};
    const bool sides = is_comparison(code_[args[0]].op);
    if (sides) std::copy_n(operands(args[0]).begin(), 2, with_sides.begin() + 3);
    push_pooled(op, std::span(with_sides).first(sides ? 5 : 3));
  } else if (args.size() == 1) {
    append({op, Form::unary, false, {args[0], 0, 0}}, 0);
  } else if (args.size() == 2) {
    append({op, Form::binary, false, {args[0], args[1], 0}}, 0);
  } else {
    push_pooled(op, args);
  }
  values_[i] = evaluate(i);
  return i;
}

template <class T>
typename BasicTape<T>::Index BasicTape<T>::push_dot(std::span<const Index> pairs) {
  const Index i = push_pooled(Op::Add, pairs);
  code_[i].form = Form::dot;
  values_[i] = evaluate(i);
  return i;
}

template <class T>
void BasicTape<T>::mark_output(Index i) {
  outputs_.push_back(i);
}

template <class T>
void BasicTape<T>::clear() {
  first_computed_ = no_instruction;
  code_.clear();
  pool_.clear();
  values_.clear();
  adjoints_.clear();
  input_runs_.clear();
  input_count_ = 0;
  named_inputs_.clear();
  outputs_.clear();
}

template <class T>
std::size_t BasicTape<T>::bytes() const {
  return code_.size() * sizeof(Instruction) + pool_.size() * sizeof(Index) +
         values_.size() * sizeof(T);  // the values; adjoint_bytes() counts the adjoints
}

template <class T>
BasicTape<T> BasicTape<T>::compile(std::span<const Expr> outputs, std::vector<std::string> inputs,
                                   Convention convention) {
  BasicTape t(convention);
  const std::vector<Expr> order = topological_order(outputs);
  // Each node's place in `order`, and each argument's, found once: the per-node facts below are
  // flat arrays indexed by place (hash maps of a million nodes were half of compiling a large
  // network, and most of its memory).
  detail::IdMap<Index> place;
  place.reserve(order.size());
  for (std::size_t k = 0; k < order.size(); ++k)
    place.emplace(order[k].id(), static_cast<Index>(k));
  std::vector<Index> first_arg(order.size() + 1, 0), arg_places;  // node k's: [first_arg[k], +1)
  for (std::size_t k = 0; k < order.size(); ++k) {
    for (const Expr& a : order[k].args()) arg_places.push_back(*place.find(a.id()));
    first_arg[k + 1] = static_cast<Index>(arg_places.size());
  }
  const auto places_of_args = [&](std::size_t k) {
    return std::span(arg_places).subspan(first_arg[k], first_arg[k + 1] - first_arg[k]);
  };
  if (inputs.empty()) {  // the variables, in the order they are first reached
    for (const Expr& n : order)
      if (n.is_var()) inputs.push_back(n.name());
  }
  NameIndex input_index(inputs.size());
  for (const std::string& name : inputs)
    if (!input_index.emplace(name, t.push_input(name, 0.0)))
      throw std::invalid_argument("slope::Tape::compile: input '" + name + "' is listed twice");
  // A two-factor product whose only user is a sum fuses into that sum's dot instruction.
  std::vector<Index> uses(order.size(), 0);
  for (const Expr& o : outputs) ++uses[*place.find(o.id())];
  for (const Index a : arg_places) ++uses[a];
  std::vector<char> fused(order.size(), 0);
  for (std::size_t k = 0; k < order.size(); ++k)
    if (order[k].op() == Op::Add)
      for (const Index a : places_of_args(k))
        if (order[a].op() == Op::Mul && order[a].size() == 2 && uses[a] == 1) fused[a] = 1;

  std::vector<Index> at(order.size());  // each node's instruction
  std::vector<Index> args;
  std::optional<Index> one;  // the y of a dot's unfused terms: t * 1 = t exactly
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Expr& n = order[k];
    if (fused[k]) continue;  // computed inside its sum
    const auto arg_at = places_of_args(k);
    Index i;
    if (n.is_const()) {
      i = t.push_constant(n.value());
    } else if (n.is_var()) {
      const Index* input = input_index.find(n.name());
      if (!input)
        throw std::invalid_argument("slope::Tape::compile: the expression uses '" + n.name() +
                                    "', which is not among the inputs");
      i = *input;
    } else if (n.op() == Op::Add &&
               std::any_of(arg_at.begin(), arg_at.end(), [&](Index a) { return fused[a] != 0; })) {
      args.clear();
      for (const Index a : arg_at) {
        if (fused[a]) {
          const auto product = places_of_args(a);
          args.push_back(at[product[0]]);
          args.push_back(at[product[1]]);
        } else {
          if (!one) one = t.push_constant(1.0);
          args.push_back(at[a]);
          args.push_back(*one);
        }
      }
      i = t.push_dot(args);
    } else {
      args.clear();
      for (const Index a : arg_at) args.push_back(at[a]);
      i = t.push(n.op(), args);
    }
    at[k] = i;
  }
  for (const Expr& o : outputs) t.mark_output(at[*place.find(o.id())]);
  return t;
}

template <class T>
std::span<const T> BasicTape<T>::forward(std::span<const T> inputs) {
  if (inputs.size() != input_count_)
    throw std::invalid_argument("slope::Tape::forward: expected " + std::to_string(input_count_) +
                                " input values, got " + std::to_string(inputs.size()));
  std::size_t slot = 0;
  for (const auto& [first, count] : input_runs_) {
    std::copy_n(inputs.begin() + static_cast<std::ptrdiff_t>(slot), count, values_.begin() + first);
    slot += count;
  }
  for (Index i = first_computed_; i < code_.size(); ++i)
    if (!is_leaf(i)) values_[i] = evaluate(i);
  output_values_.resize(outputs_.size());
  for (std::size_t k = 0; k < outputs_.size(); ++k) output_values_[k] = value(outputs_[k]);
  return output_values_;
}

// Partials through the op table, for the ops without an inline path in sweep.
template <class T>
void BasicTape<T>::partials_through_table(Index i, T w, std::span<T> adjoints) {
  const Instruction& in = code_[i];
  const auto ops = operands(i);
  const std::size_t n = arity(i);
  Scratch<T> args_buffer, partial_buffer;
  auto a = args_buffer.take(n);
  detail::LocalIn<T> local{.a = a, .r = value(i), .conv = convention_};
  for (std::size_t k = 0; k < n; ++k) {
    a[k] = value(ops[k]);
    if (code_[ops[k]].op == Op::Const) local.const_args |= 1U << k;
  }
  if (in.op == Op::Piecewise && ops.size() == 5) {
    local.cond_op = code_[ops[0]].op;
    local.cond_lhs = value(ops[3]);
    local.cond_rhs = value(ops[4]);
  }
  if (in.op == Op::Piecewise && ops.size() == 3 && logic_ties(ops[0], npos)) {
    tied_piecewise(i, w, adjoints);  // a comparison inside and, or, not ties
    return;
  }
  auto p = partial_buffer.take(n);
  detail::row(in.op).local.partials.template in<T>()(local, p);
  if (local.cond_op != Op::Const && local.cond_lhs == local.cond_rhs) {
    tied_piecewise(i, w, adjoints);
    return;
  }
  // An exact zero partial carries nothing: an undefined (NaN) slope further down a path whose
  // weight is exactly 0 does not poison the gradient, as in diff.
  for (std::size_t k = 0; k < n; ++k)
    if (p[k] != 0) adjoints[ops[k]] += w * p[k];
}

template <class T>
std::vector<T> BasicTape<T>::sweep_from(std::initializer_list<std::pair<Index, T>> seeds) {
  Index top = 0;
  for (const auto& [i, seed] : seeds) top = std::max(top, i);
  std::vector<T> adjoints(top + 1, T(0));
  for (const auto& [i, seed] : seeds) adjoints[i] += seed;
  sweep(top, adjoints);
  return adjoints;
}

// A piecewise whose condition ties, l = r. For input x_j the boundary is crossed only when
// d(l - r)/dx_j != 0, and then the convention's weights (then_weight, else_weight) apply;
// otherwise the condition's own value picks the branch, as diff's rule does (ops.cpp). The
// partials differ per input, so they go straight to the inputs, from sweeps of their own.
namespace {
/// An input's entry of a sweep, which stops at the highest instruction it started from.
template <class T>
T slope_at(const std::vector<T>& sweep, std::size_t j) {
  return j < sweep.size() ? sweep[j] : T(0);
}
/// A branch's share of a slope at a boundary: a zero weight carries nothing, not even NaN.
template <class T>
T weighted(T weight, T slope) {
  return slope == 0 || weight == 0 ? T(0) : weight * slope;
}
}  // namespace

template <class T>
void BasicTape<T>::tied_piecewise(Index i, T w, std::span<T> adjoints) {
  const auto ops = operands(i);
  const auto gap = ops.size() == 5 ? sweep_from({{ops[3], 1.0}, {ops[4], -1.0}}) : std::vector<T>{};
  const auto then_slope = sweep_from({{ops[1], 1.0}});
  const auto else_slope = sweep_from({{ops[2], 1.0}});
  const bool taken = detail::num::holds(value(ops[0]));
  for_each_input([&](std::size_t, Index j) {
    if (j >= i) return;
    const T t = slope_at(then_slope, j), e = slope_at(else_slope, j);
    // How the sides part matters where the branches' slopes differ, and under undefined also
    // where f jumps between equal slopes (where(x^2 > 0, 2*x + 1, 2*x) at 0: none, as in diff).
    // (Under undefined a boundary's NaN is taken again by Tape::tangent, which knows more.)
    const bool matters =
        t != e || (convention_ == Convention::undefined && !branches_meet(i) && t != 0);
    const T p = matters ? at_tie(i, j, t, e, slope_at(gap, j)) : (taken ? t : e);
    if (p != 0) adjoints[j] += w * p;
  });
}

template <class T>
bool BasicTape<T>::logic_ties(Index cond, std::size_t lane) const {
  const auto value_of = [&](Index k) { return lane == npos ? values_[k] : val_rows_[k][lane]; };
  const Op op = code_[cond].op;
  const auto ops = operands(cond);
  if (is_comparison(op)) return value_of(ops[0]) == value_of(ops[1]);
  if (op != Op::And && op != Op::Or && op != Op::Not) return false;
  return std::any_of(ops.begin(), ops.end(), [&](Index a) { return logic_ties(a, lane); });
}

template <class T>
void BasicTape<T>::reverse_from(Index out) {
  // Sized here, not per recorded instruction; all zeroed, so no adjoint of an earlier sweep
  // (from a later output) is left behind.
  adjoints_.assign(code_.size(), T(0));
  adjoints_[out] = 1;
  sweep(out, adjoints_);
  // Under undefined, an op at its kink leaves NaN in the reverse sweep even where its argument
  // does not move along this input (relu(relu(x) - x) for x > 0, where f is 0): a forward
  // sweep sees that, as diff does, so a NaN input slope is taken again from one.
  if (convention_ == Convention::undefined)
    for_each_input([&](std::size_t, Index j) {
      if (j <= out && detail::num::isnan(adjoints_[j])) adjoints_[j] = tangent(j, out);
    });
}

template <class T>
void BasicTape<T>::sweep(Index out, std::span<T> adjoints) {
  const T relu_at_kink = T(at_kink(0, 1, convention_));
  T* adj = adjoints.data();
  const T* val = values_.data();
  const Instruction* code = code_.data();
  const Index* pool = pool_.data();
  // Inline paths for the instructions networks are made of (the same partials as their op
  // table rows); an exact zero adjoint or partial passes nothing on, as diff drops a zero
  // factor (docs/conventions.md).
  // A zero partial only needs skipping when w is infinite or NaN (w * 0 would be NaN); for a
  // finite w it adds an exact 0, so the common case runs without data-dependent branches,
  // which relu's zeros would make unpredictable.
  bool finite = true;
  auto product = [&](Index x, Index y, T w) {
    const T vx = val[x], vy = val[y];
    if (finite) [[likely]] {
      adj[x] += w * vy;
      adj[y] += w * vx;
      return;
    }
    if (vy != 0) adj[x] += w * vy;
    if (vx != 0) adj[y] += w * vx;
  };
  // Below the first computed instruction there are only inputs and constants: nothing to do.
  for (Index i = out + 1; i-- > first_computed_;) {
    const T w = adj[i];
    const Instruction& in = code[i];
    if (w == 0) continue;
    finite = detail::num::isfinite(w);
    switch (in.form) {
      case Form::leaf:
        continue;
      case Form::unary:
        if (in.op == Op::Relu) {
          const T p = detail::step(val[in.arg[0]], 0, 0, 1, relu_at_kink);
          if (finite || p != 0) adj[in.arg[0]] += w * p;
          continue;
        }
        break;
      case Form::binary:
        if (in.op == Op::Add) {
          adj[in.arg[0]] += w;
          adj[in.arg[1]] += w;
          continue;
        }
        if (in.op == Op::Mul) {
          product(in.arg[0], in.arg[1], w);
          continue;
        }
        break;
      case Form::fma:
        adj[in.arg[0]] += w;
        product(in.arg[1], in.arg[2], w);
        continue;
      case Form::dot:
        for (Index k = in.arg[0]; k < in.arg[0] + in.arg[1]; k += 2)
          product(pool[k], pool[k + 1], w);
        continue;
      case Form::pooled:
        if (in.op == Op::Add) {
          for (Index k = in.arg[0]; k < in.arg[0] + in.arg[1]; ++k) adj[pool[k]] += w;
          continue;
        }
        break;
    }
    partials_through_table(i, w, adjoints);
  }
}

template <class T>
void BasicTape<T>::reverse(std::size_t k) {
  if (k >= outputs_.size())
    throw std::out_of_range("slope::Tape::reverse: no output " + std::to_string(k));
  const Index out = outputs_[k];
  reverse_from(out);
  gradient_.resize(input_count_);
  std::size_t slot = 0;
  for (const auto& [first, count] : input_runs_) {  // inputs after the output: slope 0
    const Index reached = first > out ? 0 : std::min(count, out + 1 - first);
    std::copy_n(adjoints_.begin() + first, reached, gradient_.begin() + slot);
    std::fill_n(gradient_.begin() + slot + reached, count - reached, T(0));
    slot += count;
  }
}

// d value(out) / d value(input) by a forward sweep, under undefined: each instruction's slope
// from its operands' slopes, where an operand that does not move passes nothing on (an op's
// undefined partial at its kink included), and by the row's tangent rule where it has one (ties
// of max and min, crossings of a piecewise condition: op_table.hpp), the rule diff reads.
template <class T>
T BasicTape<T>::tangent(Index input, Index out) const {
  std::vector<T> t(out + 1, T(0));
  t[input] = 1;
  const auto val = [this](Index k) { return values_[k]; };
  // an exact zero on either side carries nothing, as in the reverse sweep (max's partial 0 in
  // an argument whose op sits at its kink: max(x, relu(1 - x)) at 1)
  const auto times = [](T p, T slope) { return p == 0 || slope == 0 ? T(0) : p * slope; };
  Scratch<T> args_buffer, partial_buffer;
  for (Index i = std::max(first_computed_, input + 1); i <= out; ++i) {
    const Instruction& in = code_[i];
    if (in.form == Form::leaf) continue;
    const auto ops = operands(i);
    bool moves = false;
    for (Index o : ops) moves = moves || t[o] != 0;
    if (!moves) continue;
    if (in.form == Form::fma) {
      t[i] = t[ops[0]] + times(val(ops[2]), t[ops[1]]) + times(val(ops[1]), t[ops[2]]);
      continue;
    }
    if (in.form == Form::dot) {
      T sum = 0;
      for (std::size_t k = 0; k < ops.size(); k += 2)
        sum += times(val(ops[k + 1]), t[ops[k]]) + times(val(ops[k]), t[ops[k + 1]]);
      t[i] = sum;
      continue;
    }
    const detail::LocalRule& rule = detail::row(in.op).local;
    if (const auto tangent = rule.tangent.template in<T>()) {
      // the row's own rule (max's tie, a crossing of a piecewise condition), which may read
      // operands past the arguments: a piecewise's condition sides
      auto all = args_buffer.take(ops.size());
      auto slopes = partial_buffer.take(ops.size());
      for (std::size_t k = 0; k < ops.size(); ++k) all[k] = val(ops[k]), slopes[k] = t[ops[k]];
      // a tie whose sides part: crossing (x^3 > 0 at 0: apart to the rule, as in diff), or
      // where both sides take one branch (touching, x^2 >= 0 at 0; an equality, x != 0 at 0)
      // a tie of a piecewise's condition (or of a comparison inside and, or, not): read on
      // each side of the point (Tape::at_tie), as in diff
      if (in.op == Op::Piecewise && ((ops.size() == 5 && all[3] == all[4]) ||
                                     (ops.size() == 3 && logic_ties(ops[0], npos)))) {
        t[i] =
            at_tie(i, input, slopes[1], slopes[2], ops.size() == 5 ? slopes[3] - slopes[4] : T(0));
        continue;
      }
      t[i] = tangent(all, slopes);
      continue;
    }
    const std::size_t n = arity(i);
    auto a = args_buffer.take(n);
    detail::LocalIn<T> local{.a = a, .r = val(i), .conv = convention_};
    for (std::size_t k = 0; k < n; ++k) {
      a[k] = val(ops[k]);
      if (code_[ops[k]].op == Op::Const) local.const_args |= 1U << k;
    }
    auto p = partial_buffer.take(n);
    rule.partials.template in<T>()(local, p);
    T sum = 0;
    for (std::size_t k = 0; k < n; ++k) sum += times(p[k], t[ops[k]]);
    t[i] = sum;
  }
  return t[out];
}

template <class T>
Expr BasicTape<T>::to_expr(std::size_t k) const {
  if (k >= outputs_.size())
    throw std::out_of_range("slope::Tape::to_expr: no output " + std::to_string(k));
  return expr_of(outputs_[k]);
}

template <class T>
Expr BasicTape<T>::expr_of(Index last) const {
  std::unordered_map<Index, std::size_t> slot;
  for_each_input([&](std::size_t s, Index i) { slot.emplace(i, s); });
  std::vector<Expr> e(last + 1);
  std::vector<Expr> args;
  for (Index i = 0; i <= last; ++i) {
    const Op op = code_[i].op;
    if (op == Op::Const)
      e[i] = static_cast<double>(value(i));
    else if (op == Op::Variable)
      e[i] = var(inputs()[slot.at(i)]);
    else if (code_[i].form == Form::fma) {
      const auto& [a, x, y] = code_[i].arg;
      e[i] = code_[i].product_first ? e[x] * e[y] + e[a] : e[a] + e[x] * e[y];
    } else if (code_[i].form == Form::dot) {
      const auto pairs = operands(i);
      args.clear();
      for (std::size_t j = 0; j < pairs.size(); j += 2)
        args.push_back(e[pairs[j]] * e[pairs[j + 1]]);
      e[i] = make_op(Op::Add, args);
    } else {
      args.clear();
      for (Index a : operands(i).first(arity(i))) args.push_back(e[a]);
      e[i] = make_op(op, args);
    }
  }
  return e[last];
}

// The slope of piecewise i at a tie of its condition as `input` moves, given its branches'
// slopes and, for a comparison, its sides' difference's: where both sides of the point take one
// branch, that one (Tape::apart); at a boundary the convention's weights along the tied
// lhs - rhs (undefined: a value only where f is differentiable across), of the first tied
// comparison in a combination (and, or, not) that the convention weighs (weighs_boundary);
// where no side is above (a side with no branch), or it does not weigh, the branch taken. A smooth
// difference with a slope crosses 0: the common case, read at once. Anything else is rare (a tie
// whose sides do not cross to first order, or may jump or kink: sign(x) == 0, abs(x) > 0 at 0), so
// the condition is rebuilt as an expression and read on each side (symbolic/side.hpp, tie_sides),
// as the kink notes read it.
template <class T>
T BasicTape<T>::at_tie(Index i, Index input, T then_slope, T else_slope, T gap_slope) const {
  const auto ops = operands(i);
  const Op cond = code_[ops[0]].op;
  std::optional<bool> both, above;
  if (ops.size() == 5 && gap_slope != 0 && !detail::num::isnan(gap_slope) && smooth_sides(i)) {
    if (is_inequality(cond))
      above = detail::above_is_then(cond);
    else
      both = cond == Op::Ne;
  } else {
    std::string name;
    Env at;
    for_each_input([&](std::size_t slot, Index j) {
      at[inputs()[slot]] = static_cast<double>(value(j));
      if (j == input) name = inputs()[slot];
    });
    const Expr condition = expr_of(ops[0]);
    const detail::TieSides sides = detail::tie_sides(condition, name, at);
    both = sides.both();
    if (ops.size() == 5 || detail::weighs_boundary(condition)) above = sides.branch_above();
  }
  if (both) return apart(i, *both, then_slope, else_slope);
  if (!above) return detail::num::holds(value(ops[0])) ? then_slope : else_slope;
  if (convention_ == Convention::undefined)
    return then_slope == else_slope && (then_slope == 0 || branches_meet(i))
               ? then_slope
               : detail::num::nan<T>();
  const auto [w_then, w_else] = detail::boundary_weights(
      convention_, *above, code_[ops[1]].op == Op::Const, code_[ops[2]].op == Op::Const);
  return weighted(T(w_then), then_slope) + weighted(T(w_else), else_slope);
}

template <class T>
bool BasicTape<T>::smooth_sides(Index i) const {
  std::vector<Index> todo{operands(i)[3], operands(i)[4]};
  std::vector<bool> seen(i);
  while (!todo.empty()) {
    const Index j = todo.back();
    todo.pop_back();
    if (seen[j] || is_leaf(j)) continue;
    seen[j] = true;
    if (detail::may_switch(code_[j].op)) return false;
    for (Index a : operands(j)) todo.push_back(a);
  }
  return true;
}

template <class T>
bool BasicTape<T>::branches_meet(Index i) const {
  const auto ops = operands(i);
  return detail::meet_within_rounding(static_cast<double>(value(ops[1])),
                                      static_cast<double>(value(ops[2])));
}

// Piecewise i's tie, where both sides of the point take one branch (then, if `then_beside`):
// the sides stay tied, or part as an equality's do (l != r beside the point), or touch. Where f is
// continuous, f's slope is that branch's; where f jumps at the point alone, the slope of the branch
// taken there (undefined: none, unless both pieces are flat). The piecewise row's symbolic rule,
// read at one point.
template <class T>
T BasicTape<T>::apart(Index i, bool then_beside, T then_slope, T else_slope) const {
  const auto ops = operands(i);
  const bool taken = detail::num::holds(value(ops[0]));
  if (taken == then_beside || branches_meet(i)) return then_beside ? then_slope : else_slope;
  if (convention_ != Convention::undefined) return taken ? then_slope : else_slope;
  // a jump between flat pieces is flat (as sign and heaviside are); any other has no slope
  return then_slope == 0 && else_slope == 0 ? T(0) : detail::num::nan<T>();
}

template class BasicTape<double>;
template class BasicTape<float>;
#ifdef SLOPE_HAS_FLOAT16
template class BasicTape<_Float16>;
#endif

}  // namespace slope

// The tape: compile, record, forward, reverse. Every op's value and partials come from the op
// table (ops.cpp), so the tape and diff cannot disagree about a rule.
#include "slope/tape.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <unordered_map>

#include "kink.hpp"
#include "op_table.hpp"
#include "scalar.hpp"
#include "slope/build.hpp"

namespace slope {
namespace {

bool is_inequality(Op op) { return op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge; }

/// A small stack buffer for argument values and partials, growing on the heap only for wide sums.
struct Scratch {
  std::array<double, 8> small;
  std::vector<double> large;
  std::span<double> take(std::size_t n) {
    if (n <= small.size()) return {small.data(), n};
    large.resize(n);
    return large;
  }
};

}  // namespace

double Tape::evaluate(Index i) const {
  const Index begin = first_[i];
  const Index* o = operands_.data() + begin;
  // The instructions that dominate networks run inline; the rest go through the op table.
  switch (op_[i]) {
    case Op::Add: {
      double sum = val_[o[0]];
      for (Index k = 1; k < first_[i + 1] - begin; ++k) sum += val_[o[k]];
      return sum;
    }
    case Op::Mul:
      if (first_[i + 1] - begin == 2) return val_[o[0]] * val_[o[1]];
      break;
    case Op::Relu:
      return detail::relu_value(val_[o[0]]);
    default:
      break;
  }
  const std::size_t n = op_[i] == Op::Piecewise ? 3 : first_[i + 1] - begin;
  Scratch s;
  auto a = s.take(n);
  for (std::size_t k = 0; k < n; ++k) a[k] = val_[operands_[begin + k]];
  return detail::row(op_[i]).eval(a);
}

Tape::Index Tape::push_input(double value) {
  const Index i = push_constant(value);
  op_[i] = Op::Var;
  input_slot_.push_back(i);
  return i;
}

Tape::Index Tape::push_inputs(std::span<const double> values) {
  const auto first = static_cast<Index>(op_.size());
  op_.insert(op_.end(), values.size(), Op::Var);
  first_.insert(first_.end(), values.size(), static_cast<Index>(operands_.size()));
  val_.insert(val_.end(), values.begin(), values.end());
  for (std::size_t k = 0; k < values.size(); ++k)
    input_slot_.push_back(first + static_cast<Index>(k));
  return first;
}

Tape::Index Tape::push_input(std::string name, double value) {
  const Index i = push_input(value);
  named_inputs_.emplace_back(input_slot_.size() - 1, std::move(name));
  return i;
}

const std::vector<std::string>& Tape::inputs() const {
  input_names_.resize(input_slot_.size());
  for (std::size_t s = 0; s < input_names_.size(); ++s)
    input_names_[s] = "input" + std::to_string(s);
  for (const auto& [slot, name] : named_inputs_) input_names_[slot] = name;
  return input_names_;
}

Tape::Index Tape::push_constant(double value) {
  const auto i = static_cast<Index>(op_.size());
  op_.push_back(Op::Const);
  first_.push_back(static_cast<Index>(operands_.size()));
  val_.push_back(value);
  return i;
}

Tape::Index Tape::push(Op op, std::span<const Index> args) {
  const auto i = static_cast<Index>(op_.size());
  for (Index a : args)
    if (a >= i) [[unlikely]]
      throw std::invalid_argument("slope::Tape::push: an operand is not on the tape yet");
  op_.push_back(op);
  operands_.insert(operands_.end(), args.begin(), args.end());
  // A piecewise also keeps its condition's two sides, which its kink rule compares.
  if (op == Op::Piecewise && is_inequality(op_[args[0]])) {
    const Index c = first_[args[0]];
    operands_.push_back(operands_[c]);
    operands_.push_back(operands_[c + 1]);
  }
  first_.push_back(static_cast<Index>(operands_.size()));
  val_.push_back(0);
  val_[i] = evaluate(i);
  return i;
}

void Tape::mark_output(Index i) { outputs_.push_back(i); }

void Tape::clear() {
  op_.clear();
  first_.resize(1);
  operands_.clear();
  val_.clear();
  adj_.clear();
  input_slot_.clear();
  named_inputs_.clear();
  outputs_.clear();
}

std::size_t Tape::bytes() const {
  return op_.size() * sizeof(Op) + first_.size() * sizeof(Index) +
         operands_.size() * sizeof(Index) + (val_.size() + adj_.size()) * sizeof(double);
}

Tape Tape::compile(std::span<const Expr> outputs, std::vector<std::string> inputs,
                   Convention convention) {
  Tape t(convention);
  if (inputs.empty()) {
    for (const Expr& n : topological_order(outputs))
      if (n.is_var() && std::find(inputs.begin(), inputs.end(), n.name()) == inputs.end())
        inputs.push_back(n.name());
  }
  std::unordered_map<std::string, Index> input_index;
  for (const std::string& name : inputs) {
    if (input_index.count(name))
      throw std::invalid_argument("slope::Tape::compile: input '" + name + "' is listed twice");
    input_index.emplace(name, t.push_input(name, 0.0));
  }
  std::unordered_map<const Node*, Index> at;
  std::vector<Index> args;
  for (const Expr& n : topological_order(outputs)) {
    Index i;
    if (n.is_const()) {
      i = t.push_constant(n.value());
    } else if (n.is_var()) {
      auto it = input_index.find(n.name());
      if (it == input_index.end())
        throw std::invalid_argument("slope::Tape::compile: the expression uses '" + n.name() +
                                    "', which is not among the inputs");
      i = it->second;
    } else {
      args.clear();
      for (const Expr& a : n.args()) args.push_back(at.at(a.node()));
      i = t.push(n.op(), args);
    }
    at.emplace(n.node(), i);
  }
  for (const Expr& o : outputs) t.mark_output(at.at(o.node()));
  return t;
}

std::span<const double> Tape::forward(std::span<const double> inputs) {
  if (inputs.size() != input_slot_.size())
    throw std::invalid_argument("slope::Tape::forward: expected " +
                                std::to_string(input_slot_.size()) + " input values, got " +
                                std::to_string(inputs.size()));
  for (std::size_t k = 0; k < inputs.size(); ++k) val_[input_slot_[k]] = inputs[k];
  for (Index i = 0; i < op_.size(); ++i)
    if (op_[i] != Op::Const && op_[i] != Op::Var) val_[i] = evaluate(i);
  output_values_.resize(outputs_.size());
  for (std::size_t k = 0; k < outputs_.size(); ++k) output_values_[k] = val_[outputs_[k]];
  return output_values_;
}

void Tape::reverse_from(Index out) {
  adj_.resize(op_.size());  // adjoints are sized here, not per recorded instruction
  std::fill(adj_.begin(), adj_.begin() + out + 1, 0.0);
  adj_[out] = 1;
  Scratch args_buffer, partial_buffer;
  const double relu_at_kink = at_kink(0, 1, convention_);
  double* adj = adj_.data();
  const double* val = val_.data();
  for (Index i = out + 1; i-- > 0;) {
    const double w = adj[i];
    const Op op = op_[i];
    // An exact zero adjoint passes nothing on, as diff drops a zero factor (docs/conventions.md).
    if (w == 0 || op == Op::Const || op == Op::Var) continue;
    const Index begin = first_[i];
    const Index* o = operands_.data() + begin;
    // Inline paths for the common instructions (the same partials as their op table rows).
    if (op == Op::Add) {
      for (Index k = begin; k < first_[i + 1]; ++k) adj[operands_[k]] += w;
      continue;
    }
    if (op == Op::Mul && first_[i + 1] - begin == 2) {
      if (val[o[1]] != 0) adj[o[0]] += w * val[o[1]];
      if (val[o[0]] != 0) adj[o[1]] += w * val[o[0]];
      continue;
    }
    if (op == Op::Relu) {
      const double p = detail::step(val[o[0]], 0, 0, 1, relu_at_kink);
      if (p != 0) adj[o[0]] += w * p;
      continue;
    }
    const std::size_t n = op == Op::Piecewise ? 3 : first_[i + 1] - begin;
    auto a = args_buffer.take(n);
    detail::Local in{.a = a, .r = val_[i], .conv = convention_};
    for (std::size_t k = 0; k < n; ++k) {
      const Index arg = operands_[begin + k];
      a[k] = val_[arg];
      if (op_[arg] == Op::Const) in.const_args |= 1U << k;
    }
    if (op == Op::Piecewise && first_[i + 1] - begin == 5) {
      in.cond_op = op_[operands_[begin]];
      in.cond_lhs = val_[operands_[begin + 3]];
      in.cond_rhs = val_[operands_[begin + 4]];
    }
    auto p = partial_buffer.take(n);
    detail::row(op).partials(in, p);
    // An exact zero partial carries nothing either: an undefined (NaN) slope further down a path
    // whose weight is exactly 0 does not poison the gradient, as in diff.
    for (std::size_t k = 0; k < n; ++k)
      if (p[k] != 0) adj_[operands_[begin + k]] += w * p[k];
  }
  gradient_.resize(input_slot_.size());
  for (std::size_t k = 0; k < input_slot_.size(); ++k)
    gradient_[k] = input_slot_[k] <= out ? adj_[input_slot_[k]] : 0.0;
}

void Tape::reverse(std::size_t k) {
  if (k >= outputs_.size())
    throw std::out_of_range("slope::Tape::reverse: no output " + std::to_string(k));
  reverse_from(outputs_[k]);
}

Expr Tape::to_expr(std::size_t k) const {
  if (k >= outputs_.size())
    throw std::out_of_range("slope::Tape::to_expr: no output " + std::to_string(k));
  std::unordered_map<Index, std::size_t> slot;
  for (std::size_t s = 0; s < input_slot_.size(); ++s) slot.emplace(input_slot_[s], s);
  std::vector<Expr> e(outputs_[k] + 1);
  std::vector<Expr> args;
  for (Index i = 0; i <= outputs_[k]; ++i) {
    if (op_[i] == Op::Const)
      e[i] = val_[i];
    else if (op_[i] == Op::Var)
      e[i] = var(inputs()[slot.at(i)]);
    else {
      args.clear();
      const std::size_t n = op_[i] == Op::Piecewise ? 3 : first_[i + 1] - first_[i];
      for (std::size_t j = 0; j < n; ++j) args.push_back(e[operands_[first_[i] + j]]);
      e[i] = make_op(op_[i], args);
    }
  }
  return e[outputs_[k]];
}

}  // namespace slope

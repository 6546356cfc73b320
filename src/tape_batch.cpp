// Batched evaluation: the tape's instructions run over blocks of points, each instruction as
// one tight loop over the block (the switch picks the loop once per instruction and block, never
// per element). Ops without a dedicated loop fall back to the op table, one point at a time.
#include <algorithm>
#include <stdexcept>

#include "kink.hpp"
#include "op_table.hpp"
#include "scalar.hpp"
#include "slope/tape.hpp"

namespace slope {
namespace {

constexpr std::size_t block = 1024;  // 8 KiB per instruction row: the rows in use stay in cache

// As in Tape::reverse_from: an exact zero adjoint or partial passes nothing on. Written without
// branches (the product is always formed, then selected) so the loops vectorise.
inline void accumulate(double& target, double w, double p) {
  double contribution = w * p;
  contribution = p != 0 ? contribution : 0.0;
  contribution = w != 0 ? contribution : 0.0;
  target += contribution;
}

std::size_t common_length(std::span<const std::span<const double>> inputs,
                          std::size_t expected_count) {
  if (inputs.size() != expected_count)
    throw std::invalid_argument("slope::Tape: expected " + std::to_string(expected_count) +
                                " input arrays, got " + std::to_string(inputs.size()));
  const std::size_t n = inputs.empty() ? 0 : inputs[0].size();
  for (const auto& in : inputs)
    if (in.size() != n) throw std::invalid_argument("slope::Tape: input arrays differ in length");
  return n;
}

}  // namespace

void Tape::forward_block(std::span<const std::span<const double>> inputs, std::size_t offset,
                         std::size_t n, Index last) {
  // Rows are the block buffer, except that inputs are read in place from the caller's arrays.
  auto row = [&](Index i) { return val_rows_[i]; };
  std::size_t next_input = 0;  // inputs sit on the tape in slot order
  for (Index i = 0; i <= last; ++i) {
    if (op_[i] == Op::Var) {
      val_rows_[i] = const_cast<double*>(inputs[next_input++].data() + offset);  // read only
      continue;
    }
    double* __restrict out = row(i);
    const Index begin = first_[i];
    const std::size_t arity = op_[i] == Op::Piecewise ? 3 : first_[i + 1] - begin;
    const double* a = arity > 0 ? row(operands_[begin]) : nullptr;
    const double* b = arity > 1 ? row(operands_[begin + 1]) : nullptr;
    switch (op_[i]) {
      case Op::Const:
        std::fill(out, out + n, val_[i]);
        break;
      case Op::Var:
        break;  // handled above
      case Op::Add:
        std::copy_n(a, n, out);
        for (std::size_t k = 1; k < arity; ++k) {
          const double* __restrict c = row(operands_[begin + k]);
          for (std::size_t j = 0; j < n; ++j) out[j] += c[j];
        }
        break;
      case Op::Mul:
        std::copy_n(a, n, out);
        for (std::size_t k = 1; k < arity; ++k) {
          const double* __restrict c = row(operands_[begin + k]);
          for (std::size_t j = 0; j < n; ++j) out[j] *= c[j];
        }
        break;
      case Op::Relu:
        for (std::size_t j = 0; j < n; ++j) out[j] = detail::relu_value(a[j]);
        break;
      case Op::LeakyRelu:
      case Op::Prelu:
        for (std::size_t j = 0; j < n; ++j) out[j] = detail::leaky_value(a[j], b[j]);
        break;
      default: {
        if (arity > 8)
          throw std::logic_error("slope: batched evaluation of an op with more than 8 arguments");
        const auto eval = detail::row(op_[i]).eval;
        double args[8];
        for (std::size_t j = 0; j < n; ++j) {
          for (std::size_t k = 0; k < arity; ++k) args[k] = row(operands_[begin + k])[j];
          out[j] = eval(std::span<const double>(args, arity));
        }
      }
    }
  }
}

void Tape::generic_partials(Index i, std::size_t n) {
  auto val = [&](Index r) { return val_rows_[r]; };
  auto adj = [&](Index r) { return adj_rows_[r]; };
  const Op op = op_[i];
  const Index begin = first_[i];
  const std::size_t arity = op == Op::Piecewise ? 3 : first_[i + 1] - begin;
  if (arity > 8)
    throw std::logic_error("slope: batched gradient of an op with more than 8 arguments");
  const auto partials = detail::row(op).partials;
  double args[8], p[8];
  detail::Local in{.a = std::span<const double>(args, arity), .r = 0, .conv = convention_};
  for (std::size_t k = 0; k < arity; ++k)
    if (op_[operands_[begin + k]] == Op::Const) in.const_args |= 1U << k;
  const bool boundary = op == Op::Piecewise && first_[i + 1] - begin == 5;
  if (boundary) in.cond_op = op_[operands_[begin]];
  const double* w = adj(i);
  for (std::size_t j = 0; j < n; ++j) {
    if (w[j] == 0) continue;
    for (std::size_t k = 0; k < arity; ++k) args[k] = val(operands_[begin + k])[j];
    in.r = val(i)[j];
    if (boundary) {
      in.cond_lhs = val(operands_[begin + 3])[j];
      in.cond_rhs = val(operands_[begin + 4])[j];
    }
    partials(in, std::span<double>(p, arity));
    for (std::size_t k = 0; k < arity; ++k) accumulate(adj(operands_[begin + k])[j], w[j], p[k]);
  }
}

void Tape::reverse_block(std::size_t n, Index out) {
  auto val = [&](Index i) { return val_rows_[i]; };
  auto adj = [&](Index i) { return adj_rows_[i]; };
  for (Index i = 0; i <= out; ++i)
    if (op_[i] != Op::Const) std::fill_n(adj(i), n, 0.0);
  std::fill_n(adj(out), n, 1.0);
  for (Index i = out + 1; i-- > 0;) {
    const Op op = op_[i];
    if (op == Op::Const || op == Op::Var) continue;
    const double* __restrict w = adj(i);
    const Index begin = first_[i];
    const Index a = operands_[begin];
    switch (op) {
      case Op::Add:
        for (Index k = begin; k < first_[i + 1]; ++k) {
          double* __restrict t = adj(operands_[k]);
          for (std::size_t j = 0; j < n; ++j) accumulate(t[j], w[j], 1.0);
        }
        break;
      case Op::Relu: {
        const double at = at_kink(0, 1, convention_);
        const double* __restrict u = val(a);
        double* __restrict t = adj(a);
        for (std::size_t j = 0; j < n; ++j) accumulate(t[j], w[j], detail::step(u[j], 0, 0, 1, at));
        break;
      }
      case Op::LeakyRelu:
      case Op::Prelu:
        if (op_[operands_[begin + 1]] ==
            Op::Const) {  // the usual case, a fixed slope: no partial for it
          const double alpha = val_[operands_[begin + 1]];
          const double at = at_kink(alpha, 1, convention_);
          const double* __restrict u = val(a);
          double* __restrict t = adj(a);
          for (std::size_t j = 0; j < n; ++j)
            accumulate(t[j], w[j], detail::step(u[j], 0, alpha, 1, at));
          break;
        }
        generic_partials(i, n);
        break;
      default:
        generic_partials(i, n);
    }
  }
}

void Tape::point_rows(std::size_t offset, std::span<const std::span<double>> outputs,
                      std::span<double> values, Index value_of) {
  // Each instruction's row is in the block buffers, except that values go straight to the
  // caller's arrays (written once). Adjoints stay in cache: they are zeroed and accumulated into,
  // so they are copied out once at the end instead.
  val_rows_.resize(op_.size());
  adj_rows_.resize(op_.size());
  for (Index i = 0; i < op_.size(); ++i) {
    val_rows_[i] = batch_val_.data() + std::size_t{i} * block;
    adj_rows_[i] = batch_adj_.empty() ? nullptr : batch_adj_.data() + std::size_t{i} * block;
  }
  auto computed = [&](Index i) { return op_[i] != Op::Var && op_[i] != Op::Const; };
  for (std::size_t k = 0; k < outputs.size(); ++k)
    if (computed(outputs_[k])) val_rows_[outputs_[k]] = outputs[k].data() + offset;
  if (!values.empty() && computed(value_of)) val_rows_[value_of] = values.data() + offset;
}

void Tape::forward_batch(std::span<const std::span<const double>> inputs,
                         std::span<const std::span<double>> outputs) {
  const std::size_t n = common_length(inputs, input_slot_.size());
  if (outputs.size() != outputs_.size())
    throw std::invalid_argument("slope::Tape::forward_batch: one output array per output");
  for (const auto& o : outputs)
    if (o.size() != n)
      throw std::invalid_argument(
          "slope::Tape::forward_batch: output arrays must match the inputs' length");
  if (outputs_.empty()) return;
  batch_val_.resize(op_.size() * block);
  const Index last = *std::max_element(outputs_.begin(), outputs_.end());
  for (std::size_t offset = 0; offset < n; offset += block) {
    const std::size_t m = std::min(block, n - offset);
    point_rows(offset, outputs, {}, 0);
    forward_block(inputs, offset, m, last);
    for (std::size_t k = 0; k < outputs_.size(); ++k)  // an output that is an input or a repeat
      if (val_rows_[outputs_[k]] != outputs[k].data() + offset)
        std::copy_n(val_rows_[outputs_[k]], m, outputs[k].data() + offset);
  }
}

void Tape::gradient_batch(std::span<const std::span<const double>> inputs, std::size_t k,
                          std::span<double> values, std::span<const std::span<double>> gradients) {
  const std::size_t n = common_length(inputs, input_slot_.size());
  if (k >= outputs_.size())
    throw std::out_of_range("slope::Tape::gradient_batch: no output " + std::to_string(k));
  if (values.size() != n || gradients.size() != input_slot_.size())
    throw std::invalid_argument(
        "slope::Tape::gradient_batch: give one value array and one gradient array per input");
  for (const auto& g : gradients)
    if (g.size() != n)
      throw std::invalid_argument(
          "slope::Tape::gradient_batch: gradient arrays must match the inputs' length");
  const Index out = outputs_[k];
  batch_val_.resize(op_.size() * block);
  batch_adj_.resize(op_.size() * block);
  for (std::size_t offset = 0; offset < n; offset += block) {
    const std::size_t m = std::min(block, n - offset);
    point_rows(offset, {}, values, out);
    forward_block(inputs, offset, m, out);
    if (op_[out] == Op::Var || op_[out] == Op::Const)
      std::copy_n(val_rows_[out], m, values.data() + offset);
    reverse_block(m, out);
    for (std::size_t s = 0; s < input_slot_.size(); ++s) {
      const Index in = input_slot_[s];
      if (in <= out)
        std::copy_n(adj_rows_[in], m, gradients[s].data() + offset);
      else
        std::fill_n(gradients[s].data() + offset, m, 0.0);
    }
  }
}

}  // namespace slope

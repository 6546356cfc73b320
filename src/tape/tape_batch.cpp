// SPDX-License-Identifier: MIT
// Batched evaluation: the tape's instructions run over blocks of points, each instruction as
// one tight loop over the block (the switch picks the loop once per instruction and block, never
// per element). Ops without a dedicated loop fall back to the op table, one point at a time.
//
// Memory traffic is what these loops are made of, so no row is touched without need: inputs are
// read and values, gradients written in the caller's arrays; the seed adjoint is a shared row of
// ones; and an adjoint row is not zeroed first: its first contribution is stored, later ones
// added, and a row nothing reached is known to be zero without reading it.
#include <algorithm>
#include <bit>
#include <stdexcept>

#include "core/kink.hpp"
#include "core/op_table.hpp"
#include "core/scalar.hpp"
#include "slope/tape.hpp"
#include "tape/stream_store.hpp"

namespace slope {
namespace {

// Points per block: every instruction's value and adjoint rows for one block should fit in
// about 256 KiB (L2), so at most 16,384 / instructions; at least 1,024 (an 8 KiB row), and at
// most 8,192 so that a small tape such as relu(x) pays its per-block overhead rarely.
std::size_t block_size(std::size_t instructions) {
  // (a power of two, so every row starts on a cache line)
  return std::clamp<std::size_t>(std::bit_floor(16384 / std::max<std::size_t>(instructions, 1)),
                                 1024, 8192);
}

// As in Tape::reverse_from: an exact zero adjoint or partial passes nothing on. Written without
// branches (the product is always formed, then selected) so the loops vectorise.
template <class T>
inline T contribution(T w, T p) {
  T c = w * p;
  c = p != 0 ? c : T(0);
  return w != 0 ? c : T(0);
}

/// target[j] += w[j] * partial(j) for a whole row; the row's first contribution is stored
/// (0.0 + c, exactly what adding to a zeroed row gives, signed zeros included).
template <class T, class Partial>
void contribute(T* __restrict target, char& written, std::size_t n, const T* __restrict w,
                Partial partial) {
  if (written) {
    for (std::size_t j = 0; j < n; ++j) target[j] += contribution(w[j], partial(j));
  } else {
    for (std::size_t j = 0; j < n; ++j) target[j] = T(0) + contribution(w[j], partial(j));
    written = 1;
  }
}

template <class T>
std::size_t common_length(std::span<const std::span<const T>> inputs, std::size_t expected_count) {
  if (inputs.size() != expected_count)
    throw std::invalid_argument("slope::Tape: expected " + std::to_string(expected_count) +
                                " input arrays, got " + std::to_string(inputs.size()));
  const std::size_t n = inputs.empty() ? 0 : inputs[0].size();
  for (const auto& in : inputs)
    if (in.size() != n) throw std::invalid_argument("slope::Tape: input arrays differ in length");
  return n;
}

}  // namespace

template <class T>
void BasicTape<T>::forward_block(std::span<const std::span<const T>> inputs, std::size_t offset,
                                 std::size_t n, Index last) {
  auto row = [&](Index i) -> const T* { return val_rows_[i]; };
  std::size_t next_input = 0;  // inputs sit on the tape in slot order
  for (Index i = 0; i <= last; ++i) {
    const Instruction& in = code_[i];
    if (in.op == Op::Variable) {
      val_rows_[i] = const_cast<T*>(inputs[next_input++].data() + offset);  // read only
      continue;
    }
    T* __restrict out = val_rows_[i];
    const auto ops = operands(i);
    const T* a = ops.size() > 0 ? row(ops[0]) : nullptr;
    const T* b = ops.size() > 1 ? row(ops[1]) : nullptr;
    if (in.form == Form::leaf) {
      continue;  // a constant's row was filled once, by fill_constant_rows
    } else if (in.form == Form::fma) {
      const T* __restrict c = row(ops[2]);
      for (std::size_t j = 0; j < n; ++j) out[j] = a[j] + b[j] * c[j];
    } else if (in.form == Form::dot) {
      for (std::size_t j = 0; j < n; ++j) out[j] = a[j] * b[j];
      for (std::size_t k = 2; k < ops.size(); k += 2) {
        const T* __restrict x = row(ops[k]);
        const T* __restrict y = row(ops[k + 1]);
        for (std::size_t j = 0; j < n; ++j) out[j] += x[j] * y[j];
      }
    } else if (in.op == Op::Add || in.op == Op::Mul) {
      const bool add = in.op == Op::Add;
      std::copy_n(a, n, out);
      for (std::size_t k = 1; k < ops.size(); ++k) {
        const T* __restrict c = row(ops[k]);
        if (add)
          for (std::size_t j = 0; j < n; ++j) out[j] += c[j];
        else
          for (std::size_t j = 0; j < n; ++j) out[j] *= c[j];
      }
    } else if (in.op == Op::Relu) {
      for (std::size_t j = 0; j < n; ++j) out[j] = detail::relu_value(a[j]);
    } else if (in.op == Op::LeakyRelu || in.op == Op::Prelu) {
      for (std::size_t j = 0; j < n; ++j) out[j] = detail::leaky_value(a[j], b[j]);
    } else {
      const std::size_t count = arity(i);
      if (count > 8)
        throw std::logic_error("slope: batched evaluation of an op with more than 8 arguments");
      const auto eval = detail::row(in.op).eval.template in<T>();
      T args[8];
      for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t k = 0; k < count; ++k) args[k] = row(ops[k])[j];
        out[j] = eval(std::span<const T>(args, count));
      }
    }
  }
}

template <class T>
void BasicTape<T>::generic_partials(Index i, std::size_t n) {
  const Op op = code_[i].op;
  const auto ops = operands(i);
  const std::size_t count = arity(i);
  if (count > 8)
    throw std::logic_error("slope: batched gradient of an op with more than 8 arguments");
  // Point by point, so every row this instruction reaches holds a value first.
  for (std::size_t k = 0; k < count; ++k)
    if (!adj_written_[ops[k]]) {
      std::fill_n(adj_rows_[ops[k]], n, T(0));
      adj_written_[ops[k]] = 1;
    }
  const auto partials = detail::row(op).local.partials.template in<T>();
  T args[8], p[8];
  detail::LocalIn<T> in{.a = std::span<const T>(args, count), .r = 0, .conv = convention_};
  for (std::size_t k = 0; k < count; ++k)
    if (code_[ops[k]].op == Op::Const) in.const_args |= 1U << k;
  const bool boundary = op == Op::Piecewise && ops.size() == 5;
  const bool logic = op == Op::Piecewise && ops.size() == 3;  // and, or, not of comparisons
  if (boundary) in.cond_op = code_[ops[0]].op;
  const T* w = adj_rows_[i];
  for (std::size_t j = 0; j < n; ++j) {
    if (w[j] == 0) continue;
    for (std::size_t k = 0; k < count; ++k) args[k] = val_rows_[ops[k]][j];
    in.r = val_rows_[i][j];
    if (boundary) {
      in.cond_lhs = val_rows_[ops[3]][j];
      in.cond_rhs = val_rows_[ops[4]][j];
      if (in.cond_lhs == in.cond_rhs) tied_lanes_.push_back(j);
    }
    if (logic && logic_ties(ops[0], j)) tied_lanes_.push_back(j);
    partials(in, std::span<T>(p, count));
    for (std::size_t k = 0; k < count; ++k) adj_rows_[ops[k]][j] += contribution(w[j], p[k]);
  }
}

template <class T>
bool BasicTape<T>::fused_output(Index out) const {
  const Op op = code_[out].op;
  return op == Op::Relu ||
         ((op == Op::LeakyRelu || op == Op::Prelu) && code_[operands(out)[1]].op == Op::Const);
}

template <class T>
void BasicTape<T>::output_value_and_partials(std::size_t n, Index out, bool stream) {
  // The output's value and the first step of the reverse sweep (its adjoint is the seed, 1) in
  // one pass: a one-instruction tape such as relu(x) then streams its arrays once, as a
  // hand-fused loop does. Same formulas as forward_block and reverse_block.
  const Index a = operands(out)[0];
  const T* __restrict u = val_rows_[a];
  T* result = val_rows_[out];
  T* slope = adj_rows_[a];
  const bool relu = code_[out].op == Op::Relu;
  const T alpha = relu ? T(0) : value(operands(out)[1]);
  // The slope is one of three numbers, so what the seed passes on (0.0 + contribution(1, p),
  // as in reverse_block) is worked out once per number, not per point.
  auto passed_on = [](T p) { return T(0) + contribution(T(1), p); };
  const T below = passed_on(alpha), above = passed_on(T(1)),
          at = passed_on(T(at_kink(static_cast<double>(alpha), 1, convention_)));
  // Only a slope row that is the caller's gradient array goes straight to memory: an inner
  // row is read again by the reverse sweep. (The loops capture by value: a captured reference
  // might alias the rows, and GCC would not vectorise.)
  stream = stream && code_[a].op == Op::Variable;
  const auto write = [&](auto value_of) {
    detail::write_two_rows(result, slope, n, stream,
                           [u, value_of, below, above, at](std::size_t from, std::size_t count,
                                                           T* __restrict value, T* __restrict d) {
                             const T* __restrict x = u + from;
                             for (std::size_t j = 0; j < count; ++j) {
                               value[j] = value_of(x[j]);
                               d[j] = detail::step(x[j], 0, below, above, at);
                             }
                           });
  };
  if (relu)
    write([](T v) { return detail::relu_value(v); });
  else
    write([alpha](T v) { return detail::leaky_value(v, alpha); });
  adj_written_[a] = 1;
  adj_written_[out] = 1;  // (the reverse sweep then starts below it)
}

template <class T>
void BasicTape<T>::seed(std::size_t n, Index out) {
  if (is_leaf(out)) std::fill_n(adj_rows_[out], n, T(1));  // else it points at the row of ones
  adj_written_[out] = 1;
}

template <class T>
void BasicTape<T>::reverse_block(std::size_t n, Index last) {
  auto into = [&](Index target, const T* w, auto partial) {
    if (code_[target].op == Op::Const) return;  // nobody reads a constant's adjoint
    contribute(adj_rows_[target], adj_written_[target], n, w, partial);
  };
  auto product = [&](Index x, Index y, const T* w) {
    const T* __restrict vx = val_rows_[x];
    const T* __restrict vy = val_rows_[y];
    into(x, w, [vy](std::size_t j) { return vy[j]; });
    into(y, w, [vx](std::size_t j) { return vx[j]; });
  };
  for (Index i = last + 1; i-- > 0;) {
    const Instruction& in = code_[i];
    if (in.form == Form::leaf || !adj_written_[i]) continue;  // nothing reached it: all zero
    const T* __restrict w = adj_rows_[i];
    const auto ops = operands(i);
    if (in.form == Form::fma) {
      into(ops[0], w, [](std::size_t) { return T(1); });
      product(ops[1], ops[2], w);
    } else if (in.form == Form::dot) {
      for (std::size_t k = 0; k < ops.size(); k += 2) product(ops[k], ops[k + 1], w);
    } else if (in.op == Op::Add) {
      for (Index o : ops) into(o, w, [](std::size_t) { return T(1); });
    } else if (in.op == Op::Mul && ops.size() == 2) {
      product(ops[0], ops[1], w);
    } else if (in.op == Op::Relu) {
      const T at = T(at_kink(0, 1, convention_));
      const T* __restrict u = val_rows_[ops[0]];
      into(ops[0], w, [u, at](std::size_t j) { return detail::step(u[j], 0, 0, 1, at); });
    } else if ((in.op == Op::LeakyRelu || in.op == Op::Prelu) && code_[ops[1]].op == Op::Const) {
      // The usual case, a fixed slope: no partial for it.
      const T alpha = value(ops[1]);
      const T at = T(at_kink(static_cast<double>(alpha), 1, convention_));
      const T* __restrict u = val_rows_[ops[0]];
      into(ops[0], w,
           [u, alpha, at](std::size_t j) { return detail::step(u[j], 0, alpha, 1, at); });
    } else {
      generic_partials(i, n);
    }
  }
}

template <class T>
void BasicTape<T>::point_rows(std::size_t offset, std::span<const std::span<T>> outputs,
                              std::span<T> values, Index value_of,
                              std::span<const std::span<T>> gradients) {
  val_rows_.resize(code_.size());
  adj_rows_.resize(code_.size());
  for (Index i = 0; i < code_.size(); ++i) {
    val_rows_[i] = batch_val_.data() + std::size_t{i} * block_;
    adj_rows_[i] = batch_adj_.empty() ? nullptr : batch_adj_.data() + std::size_t{i} * block_;
  }
  for (std::size_t k = 0; k < outputs.size(); ++k)
    if (!is_leaf(outputs_[k])) val_rows_[outputs_[k]] = outputs[k].data() + offset;
  if (!values.empty() && !is_leaf(value_of)) {
    val_rows_[value_of] = values.data() + offset;
    adj_rows_[value_of] = batch_ones_.data();  // the seed; never written (operands come first)
  }
  if (!gradients.empty())
    for_each_input([&](std::size_t s, Index i) { adj_rows_[i] = gradients[s].data() + offset; });
}

template <class T>
void BasicTape<T>::size_batch_buffers(bool adjoints) {
  block_ = block_size(code_.size());
  batch_val_.resize(code_.size() * block_);
  if (adjoints) {
    batch_adj_.resize(code_.size() * block_);
    batch_ones_.assign(block_, T(1));
  }
  // A constant's row is the same in every block: filled here, once per call.
  for (Index i = 0; i < code_.size(); ++i)
    if (code_[i].op == Op::Const)
      std::fill_n(batch_val_.data() + std::size_t{i} * block_, block_, value(i));
}

template <class T>
void BasicTape<T>::forward_batch(std::span<const std::span<const T>> inputs,
                                 std::span<const std::span<T>> outputs) {
  const std::size_t n = common_length(inputs, input_count_);
  if (outputs.size() != outputs_.size())
    throw std::invalid_argument("slope::Tape::forward_batch: one output array per output");
  for (const auto& o : outputs)
    if (o.size() != n)
      throw std::invalid_argument(
          "slope::Tape::forward_batch: output arrays must match the inputs' length");
  if (outputs_.empty()) return;
  size_batch_buffers(false);
  const Index last = *std::max_element(outputs_.begin(), outputs_.end());
  for (std::size_t offset = 0; offset < n; offset += block_) {
    const std::size_t m = std::min(block_, n - offset);
    point_rows(offset, outputs, {}, 0, {});
    forward_block(inputs, offset, m, last);
    for (std::size_t k = 0; k < outputs_.size(); ++k)  // an output that is an input or a repeat
      if (val_rows_[outputs_[k]] != outputs[k].data() + offset)
        std::copy_n(val_rows_[outputs_[k]], m, outputs[k].data() + offset);
  }
}

template <class T>
void BasicTape<T>::gradient_batch(std::span<const std::span<const T>> inputs, std::size_t k,
                                  std::span<T> values, std::span<const std::span<T>> gradients) {
  const std::size_t n = common_length(inputs, input_count_);
  if (k >= outputs_.size())
    throw std::out_of_range("slope::Tape::gradient_batch: no output " + std::to_string(k));
  if (values.size() != n || gradients.size() != input_count_)
    throw std::invalid_argument(
        "slope::Tape::gradient_batch: give one value array and one gradient array per input");
  for (const auto& g : gradients)
    if (g.size() != n)
      throw std::invalid_argument(
          "slope::Tape::gradient_batch: gradient arrays must match the inputs' length");
  const Index out = outputs_[k];
  size_batch_buffers(true);
  const bool fusable = fused_output(out);
  const bool stream = n * sizeof(T) >= detail::stream_rows_from_bytes;
  for (std::size_t offset = 0; offset < n; offset += block_) {
    const std::size_t m = std::min(block_, n - offset);
    point_rows(offset, {}, values, out, gradients);
    if (fusable) {
      forward_block(inputs, offset, m, out - 1);
      adj_written_.assign(out + 1, 0);
      output_value_and_partials(m, out, stream);
    } else {
      forward_block(inputs, offset, m, out);
      if (is_leaf(out)) std::copy_n(val_rows_[out], m, values.data() + offset);
      adj_written_.assign(out + 1, 0);
      seed(m, out);
    }
    tied_lanes_.clear();
    reverse_block(m, fusable ? out - 1 : out);     // the fused loop did the output's own step
    for_each_input([&](std::size_t s, Index in) {  // inputs nothing reached: slope 0
      if (in > out || !adj_written_[in]) std::fill_n(gradients[s].data() + offset, m, T(0));
    });
    if (convention_ == Convention::undefined)  // a NaN the scalar path may fill (Tape::reverse)
      for (std::size_t s = 0; s < gradients.size(); ++s)
        for (std::size_t j = 0; j < m; ++j)
          if (detail::num::isnan(gradients[s][offset + j])) tied_lanes_.push_back(j);
    redo_tied_lanes(inputs, offset, k, gradients);
  }
  if (stream) detail::stream_fence();  // the streamed rows are the caller's before we return
}

// A lane where a piecewise condition ties needs per-input partials (Tape::tied_piecewise), which
// the row-at-a-time loops do not give, and so does one with an undefined partial (its forward
// sweep, Tape::reverse): such lanes, rare, are redone on the scalar path.
template <class T>
void BasicTape<T>::redo_tied_lanes(std::span<const std::span<const T>> inputs, std::size_t offset,
                                   std::size_t k, std::span<const std::span<T>> gradients) {
  if (tied_lanes_.empty()) return;
  std::sort(tied_lanes_.begin(), tied_lanes_.end());
  tied_lanes_.erase(std::unique(tied_lanes_.begin(), tied_lanes_.end()), tied_lanes_.end());
  // The scalar state the caller last set is kept.
  const std::vector<T> kept_values = values_, kept_outputs = output_values_,
                       kept_gradient = gradient_;
  std::vector<T> point(input_count_);
  for (std::size_t j : tied_lanes_) {
    for (std::size_t s = 0; s < input_count_; ++s) point[s] = inputs[s][offset + j];
    forward(point);
    reverse(k);
    for (std::size_t s = 0; s < input_count_; ++s) gradients[s][offset + j] = gradient_[s];
  }
  values_ = kept_values;
  output_values_ = kept_outputs;
  gradient_ = kept_gradient;
}

// The members defined here, in each precision (tape.cpp instantiates the class itself).
#define SLOPE_BATCH_MEMBERS(T)                                                                     \
  template void BasicTape<T>::forward_block(std::span<const std::span<const T>>, std::size_t,      \
                                            std::size_t, Index);                                   \
  template void BasicTape<T>::generic_partials(Index, std::size_t);                                \
  template bool BasicTape<T>::fused_output(Index) const;                                           \
  template void BasicTape<T>::output_value_and_partials(std::size_t, Index, bool);                 \
  template void BasicTape<T>::seed(std::size_t, Index);                                            \
  template void BasicTape<T>::reverse_block(std::size_t, Index);                                   \
  template void BasicTape<T>::point_rows(std::size_t, std::span<const std::span<T>>, std::span<T>, \
                                         Index, std::span<const std::span<T>>);                    \
  template void BasicTape<T>::size_batch_buffers(bool);                                            \
  template void BasicTape<T>::forward_batch(std::span<const std::span<const T>>,                   \
                                            std::span<const std::span<T>>);                        \
  template void BasicTape<T>::gradient_batch(std::span<const std::span<const T>>, std::size_t,     \
                                             std::span<T>, std::span<const std::span<T>>);         \
  template void BasicTape<T>::redo_tied_lanes(std::span<const std::span<const T>>, std::size_t,    \
                                              std::size_t, std::span<const std::span<T>>);
SLOPE_BATCH_MEMBERS(double)
SLOPE_BATCH_MEMBERS(float)
#ifdef SLOPE_HAS_FLOAT16
SLOPE_BATCH_MEMBERS(_Float16)
#endif
#undef SLOPE_BATCH_MEMBERS

}  // namespace slope

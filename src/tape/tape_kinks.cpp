// SPDX-License-Identifier: MIT
// Kink sides over a batch: for every kink of every instruction, how many points fall below, at
// and above it. The kinks are the op table's switch functions (the ones exact one-sided
// calculus reads), so a new op's kinks are counted without a line here.
#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "core/op_table.hpp"
#include "core/switches.hpp"
#include "slope/build.hpp"
#include "slope/tape.hpp"

namespace slope {
namespace {

/// One switch function of one instruction, ready to evaluate over rows of operand values.
template <class T>
struct Switch {
  KinkSides counts;
  std::vector<Tape::Index> operands;  // the instruction's operands the switch reads, in order
  bool direct = false;                // g is one operand itself (relu): read its row
  BasicTape<T> tape;                  // else g compiled over arg0, arg1, ... (computed in T)
};

template <class T>
void count(std::span<const T> g, KinkSides& k) {
  for (const T v : g) {
    if (v < 0)
      ++k.below;
    else if (v > 0)
      ++k.above;
    else if (v == 0)
      ++k.at;
    else
      ++k.nan;
  }
}

/// The number of points: every input array has it (as Tape::forward_batch checks).
template <class T>
std::size_t batch_length(std::span<const std::span<const T>> inputs, std::size_t expected) {
  if (inputs.size() != expected)
    throw std::invalid_argument("slope::Tape::kink_sides: expected " + std::to_string(expected) +
                                " input arrays, got " + std::to_string(inputs.size()));
  const std::size_t n = inputs.empty() ? 0 : inputs[0].size();
  for (const auto& in : inputs)
    if (in.size() != n)
      throw std::invalid_argument("slope::Tape::kink_sides: input arrays differ in length");
  return n;
}

}  // namespace

template <class T>
std::vector<KinkSides> BasicTape<T>::kink_sides(std::span<const std::span<const T>> inputs) {
  const std::size_t n = batch_length(inputs, input_count_);
  // The switches of each instruction: its op over placeholders arg0, arg1, ... (constant
  // operands as their values, so max(0, u) switches at u, as diff sees it), one per operand
  // instruction (max(u, u) is max(arg0, arg0)).
  std::vector<Switch<T>> switches;
  for (Index i = 0; i < code_.size(); ++i) {
    if (is_leaf(i)) continue;
    const Op op = code_[i].op;
    const auto ops = operands(i).first(arity(i));
    // A piecewise on a comparison kinks where the comparison switches: counted there.
    if (op == Op::Piecewise && is_logical(code_[ops[0]].op)) continue;
    const detail::OpRow& row = detail::row(op);
    if (row.side.switches == nullptr && row.definition == nullptr) continue;  // smooth
    std::vector<Expr> args;
    std::vector<Index> placeholders;
    for (const Index o : ops) {
      if (code_[o].op == Op::Const) {
        args.emplace_back(static_cast<double>(value(o)));
        continue;
      }
      auto at = std::find(placeholders.begin(), placeholders.end(), o);
      if (at == placeholders.end()) at = placeholders.insert(placeholders.end(), o);
      args.push_back(var("arg" + std::to_string(at - placeholders.begin())));
    }
    if (placeholders.empty()) continue;  // every operand constant: the same side for all points
    std::vector<std::string> names;
    for (std::size_t k = 0; k < placeholders.size(); ++k)
      names.push_back("arg" + std::to_string(k));
    std::vector<Expr> seen;
    for (const detail::Switch& s : detail::switches(make_op(op, args))) {
      if (std::find(seen.begin(), seen.end(), s.g) != seen.end()) continue;
      seen.push_back(s.g);
      Switch<T> sw;
      sw.counts.node = i;
      sw.counts.op = op;
      sw.counts.g = s.g;
      sw.operands = placeholders;
      if (s.g.is_var()) {
        sw.direct = true;
        sw.operands = {placeholders[std::stoul(s.g.name().substr(3))]};
      } else {
        sw.tape = compile(s.g, names);
      }
      switches.push_back(std::move(sw));
    }
  }

  if (n > 0 && !switches.empty()) {
    size_batch_buffers(false);
    std::vector<T> g(block_);
    std::vector<std::span<const T>> rows;
    for (std::size_t offset = 0; offset < n; offset += block_) {
      const std::size_t m = std::min(block_, n - offset);
      point_rows(offset, {}, {}, 0, {});
      forward_block(inputs, offset, m, static_cast<Index>(code_.size() - 1));
      for (Switch<T>& s : switches) {
        rows.clear();
        for (const Index o : s.operands) rows.emplace_back(val_rows_[o], m);
        if (s.direct) {
          count(rows[0], s.counts);
          continue;
        }
        const std::span<T> out(g.data(), m);
        s.tape.forward_batch(rows, std::span(&out, 1));
        count(std::span<const T>(out), s.counts);
      }
    }
  }
  std::vector<KinkSides> result;
  result.reserve(switches.size());
  for (Switch<T>& s : switches) result.push_back(std::move(s.counts));
  return result;
}

template <class T>
ConventionChange BasicTape<T>::convention_changes_gradient(
    std::span<const std::span<const T>> inputs, Convention a, Convention b, std::size_t k) {
  const std::size_t n = batch_length(inputs, input_count_);
  if (k >= outputs_.size())
    throw std::out_of_range("slope::Tape::convention_changes_gradient: no output " +
                            std::to_string(k));
  ConventionChange change;
  change.points = n;
  // Chunks of the batch: values and gradients under both conventions for one chunk at a time.
  const std::size_t chunk = std::min<std::size_t>(n, 4096);
  const std::size_t m = input_count_;
  std::vector<T> buffer(2 * (m + 1) * chunk);
  auto row = [&](std::size_t side, std::size_t r) {  // r = 0: values, 1 + i: d/d input i
    return std::span<T>(buffer.data() + (side * (m + 1) + r) * chunk, chunk);
  };
  std::vector<T> sum_a(m, T(0)), sum_b(m, T(0));
  std::vector<std::span<const T>> part(m);
  std::vector<std::span<T>> grads(m);
  std::vector<char> point_changed(chunk);
  const Convention kept = convention_;
  auto same_bits = [](T x, T y) { return std::memcmp(&x, &y, sizeof(T)) == 0; };
  try {
    for (std::size_t offset = 0; offset < n; offset += chunk) {
      const std::size_t c = std::min(chunk, n - offset);
      for (std::size_t i = 0; i < m; ++i) part[i] = inputs[i].subspan(offset, c);
      for (std::size_t side = 0; side < 2; ++side) {
        convention_ = side == 0 ? a : b;
        for (std::size_t i = 0; i < m; ++i) grads[i] = row(side, 1 + i).first(c);
        gradient_batch(part, k, row(side, 0).first(c), grads);
      }
      std::fill_n(point_changed.begin(), c, 0);
      for (std::size_t i = 0; i < m; ++i) {
        const auto ga = row(0, 1 + i), gb = row(1, 1 + i);
        for (std::size_t j = 0; j < c; ++j) {
          sum_a[i] += ga[j];
          sum_b[i] += gb[j];
          if (!same_bits(ga[j], gb[j])) {
            ++change.entries_changed;
            point_changed[j] = 1;
          }
        }
      }
      change.points_changed += static_cast<std::size_t>(std::count(
          point_changed.begin(), point_changed.begin() + static_cast<std::ptrdiff_t>(c), 1));
    }
  } catch (...) {
    convention_ = kept;
    throw;
  }
  convention_ = kept;
  for (std::size_t i = 0; i < m; ++i) change.sums_changed += same_bits(sum_a[i], sum_b[i]) ? 0 : 1;
  return change;
}

// The members defined here, in each precision (tape.cpp instantiates the class itself).
#define SLOPE_KINK_MEMBERS(T)                                                                    \
  template std::vector<KinkSides> BasicTape<T>::kink_sides(std::span<const std::span<const T>>); \
  template ConventionChange BasicTape<T>::convention_changes_gradient(                           \
      std::span<const std::span<const T>>, Convention, Convention, std::size_t);
SLOPE_KINK_MEMBERS(double)
SLOPE_KINK_MEMBERS(float)
#ifdef SLOPE_HAS_FLOAT16
SLOPE_KINK_MEMBERS(_Float16)
#endif
#undef SLOPE_KINK_MEMBERS

}  // namespace slope

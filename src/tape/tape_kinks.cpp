// SPDX-License-Identifier: MIT
// Kink sides over a batch: for every kink of every instruction, how many points fall below, at
// and above it. The kinks are the op table's switch functions (the ones exact one-sided
// calculus reads), so a new op's kinks are counted without a line here.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/op_table.hpp"
#include "slope/build.hpp"
#include "slope/tape.hpp"
#include "symbolic/side.hpp"

namespace slope {
namespace {

/// One switch function of one instruction, ready to evaluate over rows of operand values.
struct Switch {
  KinkSides counts;
  std::vector<Tape::Index> operands;  // the instruction's operands the switch reads, in order
  bool direct = false;                // g is one operand itself (relu): read its row
  Tape tape;                          // else g compiled over arg0, arg1, ...
};

void count(std::span<const double> g, KinkSides& k) {
  for (const double v : g) {
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
std::size_t batch_length(std::span<const std::span<const double>> inputs, std::size_t expected) {
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

std::vector<KinkSides> Tape::kink_sides(std::span<const std::span<const double>> inputs) {
  const std::size_t n = batch_length(inputs, input_count_);
  // The switches of each instruction: its op over placeholders arg0, arg1, ... (constant
  // operands as their values, so max(0, u) switches at u, as diff sees it), one per operand
  // instruction (max(u, u) is max(arg0, arg0)).
  std::vector<Switch> switches;
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
        args.emplace_back(value(o));
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
      Switch sw;
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
    std::vector<double> g(block_);
    std::vector<std::span<const double>> rows;
    for (std::size_t offset = 0; offset < n; offset += block_) {
      const std::size_t m = std::min(block_, n - offset);
      point_rows(offset, {}, {}, 0, {});
      forward_block(inputs, offset, m, static_cast<Index>(code_.size() - 1));
      for (Switch& s : switches) {
        rows.clear();
        for (const Index o : s.operands) rows.emplace_back(val_rows_[o], m);
        if (s.direct) {
          count(rows[0], s.counts);
          continue;
        }
        const std::span<double> out(g.data(), m);
        s.tape.forward_batch(rows, std::span(&out, 1));
        count(out, s.counts);
      }
    }
  }
  std::vector<KinkSides> result;
  result.reserve(switches.size());
  for (Switch& s : switches) result.push_back(std::move(s.counts));
  return result;
}

}  // namespace slope

// SPDX-License-Identifier: MIT
// Small facts about expressions that every printer (text, LaTeX, code) asks, and the emitter
// the one-line printers share.
#pragma once

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/id_map.hpp"
#include "slope/error.hpp"
#include "slope/expr.hpp"
#include "slope/ops.hpp"

namespace slope::detail {

/// The next tighter binding strength: what a right operand of a left-associative op needs.
inline Prec above(Prec p) { return static_cast<Prec>(static_cast<int>(p) + 1); }

/// A negative constant or a product with a negative coefficient: printed after " - ".
inline bool is_negative(const Expr& t) {
  return (t.is_const() && t.value() < 0) ||
         (t.op() == Op::Mul && t.arg(0).is_const() && t.arg(0).value() < 0);
}

/// b^-k with a constant k > 0: printed as a division.
inline bool is_reciprocal(const Expr& f) {
  return f.op() == Op::Pow && f.arg(1).is_const() && f.arg(1).value() < 0;
}

/// An item still to print: literal text, or a node at a required precedence.
struct Item {
  std::string text;
  Expr node;
  Prec need = Prec::Lowest;
  bool is_node = false;
};
inline Item lit(std::string s) { return {std::move(s), {}, Prec::Lowest, false}; }
inline Item sub(Expr e, Prec need) { return {{}, std::move(e), need, true}; }

/// The text printer's rules, which the pretty printer lays out in two dimensions: how tightly
/// e's printed form binds, and its pieces left to right.
Prec text_precedence(const Expr& e);
std::vector<Item> text_pieces(const Expr& e);

/// A function call: `head` (the name and its opening bracket), the arguments, then `close`.
inline std::vector<Item> call_pieces(const Expr& e, std::string head, std::string_view close) {
  std::vector<Item> out{lit(std::move(head))};
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (i) out.push_back(lit(", "));
    out.push_back(sub(e.arg(i), Prec::Lowest));
  }
  out.push_back(lit(std::string(close)));
  return out;
}

/// a op b: a comparison (both sides bind tighter: `a < b < c` is not written), or `and` / `or`
/// (left-associative).
inline std::vector<Item> infix_pieces(const Expr& e, std::string_view symbol) {
  const Prec p = spelling(e.op()).prec;
  return {sub(e.arg(0), is_comparison(e.op()) ? above(p) : p), lit(" " + std::string(symbol) + " "),
          sub(e.arg(1), above(p))};
}

/// Prints `root` through an explicit stack of pending items, so a million-deep expression
/// prints in linear time and constant stack. `pieces(e)` lists a node's text left to right;
/// a node whose `precedence(e)` is below what its place needs goes inside open ... close.
/// Text longer than `max_length` throws TextTooLong as soon as it is (a shared DAG of 140
/// characters can spell out to 2^40).
/// `names` spells some nodes as a name instead (the shared ones, see nodes_to_name).
template <class Pieces, class Precedence>
std::string emit(const Expr& root, Pieces pieces, Precedence precedence, std::string_view open,
                 std::string_view close, std::size_t max_length = std::string::npos,
                 const std::unordered_map<NodeId, std::string>* names = nullptr) {
  std::string out;
  std::vector<Item> stack{sub(root, Prec::Lowest)};
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    if (item.is_node && names)
      if (const auto it = names->find(item.node.id()); it != names->end()) item = lit(it->second);
    if (!item.is_node) {
      out += item.text;
      if (out.size() > max_length) throw TextTooLong(max_length);
      continue;
    }
    const bool wrap = precedence(item.node) < item.need;
    if (wrap) stack.push_back(lit(std::string(close)));
    auto parts = pieces(item.node);
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) stack.push_back(std::move(*it));
    if (wrap) stack.push_back(lit(std::string(open)));
  }
  return out;
}

/// The nodes a printer should name, children first:
/// - when spelling the tree out would be much longer than the graph (a shared derivative of a
///   1,000-deep chain), every inner node with two or more uses. Not when the tree has at most
///   `limit` nodes and either at most `readable` nodes or under `spread` times the graph's (a
///   formula a reader takes in whole, which repeats little: an elu chain's derivative 10 deep
///   spelled out its 400 nodes as 56 kB);
/// - whatever the sizes, each node `deepest` levels above the last one named or a leaf: the
///   parser reads at most 500 levels of nesting (ParseLimits::max_depth) and a level of the
///   text adds at most three (a call, parentheses, a sign), so a 1,000-deep chain printed whole
///   did not read back.
inline std::vector<Expr> nodes_to_name(const Expr& root, double limit = 20'000,
                                       double readable = 2'000, double spread = 8,
                                       int deepest = 100) {
  const std::vector<Expr> order = topological_order(root);
  IdMap<double> tree;  // the node count spelled out, in double: no overflow
  tree.reserve(order.size());
  int height = 0;  // of the whole graph
  {
    IdMap<int> below;
    below.reserve(order.size());
    for (const Expr& n : order) {
      double size = 1;
      int h = 0;
      for (const Expr& a : n.args()) size += tree.at(a.id()), h = std::max(h, below.at(a.id()) + 1);
      tree.emplace(n.id(), size);
      below.emplace(n.id(), h);
      height = std::max(height, h);
    }
  }
  const double spelled = tree.at(root.id());
  const bool name_shared =
      !(spelled <= readable || (spelled <= limit && spelled <= spread * order.size()));
  if (!name_shared && height < deepest) return {};
  IdMap<int> uses;
  uses.reserve(order.size());
  for (const Expr& n : order)
    for (const Expr& a : n.args()) ++uses[a.id()];
  IdMap<int> unnamed_below;  // levels of text below a node down to a named node or a leaf
  unnamed_below.reserve(order.size());
  std::vector<Expr> named;
  for (const Expr& n : order) {
    int h = 0;
    for (const Expr& a : n.args()) h = std::max(h, unnamed_below.at(a.id()) + 1);
    const bool name =
        n.size() > 0 && n != root && ((name_shared && uses[n.id()] >= 2) || h >= deepest);
    if (name) named.push_back(n);
    unnamed_below.emplace(n.id(), name ? 0 : h);
  }
  return named;
}

/// A prefix for names of shared parts that no variable of e spells with digits after it.
inline std::string free_prefix(const Expr& e) {
  const auto vars = variables(e);
  for (std::string prefix = "u";; prefix = "_" + prefix) {
    const bool taken = std::any_of(vars.begin(), vars.end(), [&](const std::string& v) {
      return v.size() > prefix.size() && v.compare(0, prefix.size(), prefix) == 0 &&
             std::all_of(v.begin() + static_cast<std::ptrdiff_t>(prefix.size()), v.end(),
                         [](char c) { return c >= '0' && c <= '9'; });
    });
    if (!taken) return prefix;
  }
}

}  // namespace slope::detail

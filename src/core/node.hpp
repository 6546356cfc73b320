// SPDX-License-Identifier: MIT
// The node payload and the raw interning call, private to the library: everything outside
// builds expressions through the canonicalising factories (build.hpp).
#pragma once

#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "slope/expr.hpp"

namespace slope {

/// A node's payload. Algorithms live elsewhere; a node only holds data.
class Node : public detail::NodeHead {  // op, value, args, hash, id
 public:
  std::string name;  ///< variables only
};

namespace detail {
struct NodeAccess {
  static Expr wrap(std::shared_ptr<const Node> n) { return Expr(std::move(n)); }
  static const Node& node(const Expr& e) { return static_cast<const Node&>(*e.node_); }
};
}  // namespace detail

/// Interns a node: returns the existing node equal to (op, args, value, name), or a new one.
/// Skips canonicalisation (make_node(Op::Add, {x}) is not x): only build.cpp calls it.
/// The arguments are copied only when the node is new: most calls find it.
Expr make_node(Op op, std::span<const Expr> args, double value = 0.0, std::string_view name = {});
Expr make_node(Op op, std::vector<Expr>&& args, double value = 0.0, std::string_view name = {});
inline Expr make_node(Op op, std::initializer_list<Expr> args, double value = 0.0,
                      std::string_view name = {}) {
  return make_node(op, std::span(args.begin(), args.size()), value, name);
}

}  // namespace slope

// SPDX-License-Identifier: MIT
/// \file
/// Expr: the value-semantic handle over an immutable, hash-consed expression node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "slope/ops.hpp"

namespace slope {

class Node;  // the node's payload, private to the library (src/core/node.hpp)
class Expr;
namespace detail {
struct NodeAccess;
}

/// A node's identity: unique for the life of the process, never reused after the node is freed,
/// so a cache keyed by it can never mistake a new node for a dead one (a raw address can).
using NodeId = std::uint64_t;

namespace detail {
/// The part of a node that Expr's accessors read inline: every graph walk asks a node's id, op
/// and arguments, too often for a call into the library each time. Node (core/node.hpp) adds
/// the rest.
struct NodeHead {
  Op op;
  double value;            ///< constants only
  std::vector<Expr> args;  ///< children, in order
  std::size_t hash;
  NodeId id;
};
}  // namespace detail

/**
 * A mathematical expression: a cheap handle (one shared pointer) to an immutable node.
 *
 * Nodes are *hash-consed*: building the same expression twice gives the very same node, so an
 * expression is a DAG in which every distinct subexpression exists once, and `a == b` is a
 * pointer comparison. Nodes never change after construction, so handles can be copied and
 * shared freely, between threads too. The factories in build.hpp put every node in canonical
 * form before it is interned (docs/architecture.md lists the invariants).
 *
 * **Example**:
 *
 *     auto x = slope::var("x");
 *     auto f = slope::max(0, x) * 2 + 1;   // prints as 2*max(0, x) + 1
 */
class Expr {
 public:
  /// The constant 0, so Expr can live in containers.
  Expr() : Expr(0.0) {}
  /// The constant `value` (`Expr e = 2.5;`).
  Expr(double value);  // NOLINT(google-explicit-constructor): numbers read as constants
  /// The constant `value`, so that `x + 1` needs no `1.0`.
  Expr(int value) : Expr(static_cast<double>(value)) {}  // NOLINT

  /// What kind of node this is: Op::Add, Op::Relu, ...
  Op op() const { return node_->op; }
  /// The number of a constant (NaN for other nodes).
  double value() const {
    return node_->op == Op::Const ? node_->value : std::numeric_limits<double>::quiet_NaN();
  }
  /// The name of a variable (empty for other nodes).
  const std::string& name() const;
  /// The arguments, in order (none for constants and variables).
  std::span<const Expr> args() const { return node_->args; }
  /// Argument i (0-based); throws std::out_of_range when i >= size().
  const Expr& arg(std::size_t i) const {
    if (i >= node_->args.size()) no_such_argument();
    return node_->args[i];
  }
  /// The number of arguments.
  std::size_t size() const { return args().size(); }
  /// Structural hash, computed once when the node is built; stable across runs.
  std::size_t hash() const { return node_->hash; }
  /// This node's identity (equal ids: the same node); the key for per-node caches.
  NodeId id() const { return node_->id; }

  /// A constant node.
  bool is_const() const { return op() == Op::Const; }
  /// The constant `v` (never true for NaN, which equals nothing).
  bool is_const(double v) const { return is_const() && value() == v; }
  /// A variable node.
  bool is_var() const { return op() == Op::Variable; }

  /// Identity, which for hash-consed nodes is structural equality.
  friend bool operator==(const Expr& a, const Expr& b) { return a.node_ == b.node_; }

 private:
  [[noreturn]] static void no_such_argument();
  explicit Expr(std::shared_ptr<const detail::NodeHead> n) : node_(std::move(n)) {}
  std::shared_ptr<const detail::NodeHead> node_;
  friend struct detail::NodeAccess;
};

/// All nodes reachable from `roots`, children before parents, each once. Iterative, so a
/// million-deep graph is fine. Every pass (eval, diff, print, compile) walks this order.
std::vector<Expr> topological_order(std::span<const Expr> roots);
/// The same from one root.
inline std::vector<Expr> topological_order(const Expr& root) {
  return topological_order(std::span<const Expr>(&root, 1));
}

/// Number of distinct nodes reachable from `e` (DAG size, shared nodes counted once).
std::size_t node_count(const Expr& e);

/// Variable names appearing in `e`, in order of first appearance (depth-first, left to right).
std::vector<std::string> variables(const Expr& e);

/// True when `e` contains no variable.
bool is_constant_expr(const Expr& e);

/// Hash functor so Expr can key unordered containers.
struct ExprHash {
  /// e.hash().
  std::size_t operator()(const Expr& e) const { return e.hash(); }
};

}  // namespace slope

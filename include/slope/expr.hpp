// SPDX-License-Identifier: MIT
/// \file
/// Expr: the value-semantic handle over an immutable, hash-consed expression node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
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
struct NodeHead;
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
  Op op() const;
  /// The number of a constant (NaN for other nodes).
  double value() const;
  /// The name of a variable (empty for other nodes).
  const std::string& name() const;
  /// The arguments, in order (none for constants and variables).
  std::span<const Expr> args() const;
  /// Argument i (0-based); throws std::out_of_range when i >= size().
  const Expr& arg(std::size_t i) const;
  /// The number of arguments.
  std::size_t size() const { return args().size(); }
  /// Structural hash, computed once when the node is built; stable across runs.
  std::size_t hash() const;
  /// This node's identity (equal ids: the same node); the key for per-node caches.
  NodeId id() const;

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

namespace detail {
/// A node's arguments, in order. Up to three live in the node itself, as most nodes have one to
/// three: such a node is one allocation, and a walk reads its arguments from the node's own
/// memory instead of following a pointer to a separate array (a quarter of the time of
/// differentiating 10,000-deep chains, whose graphs outgrow the caches). More live in a vector
/// placed in the same storage.
class NodeArgs {
 public:
  static constexpr std::size_t inline_capacity = 3;
  NodeArgs() noexcept {}  // NOLINT(modernize-use-equals-default): the storage stays raw
  /// Copies args.
  explicit NodeArgs(std::span<const Expr> args);
  /// Takes args (moved into the node's own storage when they fit).
  explicit NodeArgs(std::vector<Expr>&& args);
  NodeArgs(NodeArgs&& other) noexcept;
  NodeArgs(const NodeArgs&) = delete;
  NodeArgs& operator=(const NodeArgs&) = delete;
  NodeArgs& operator=(NodeArgs&&) = delete;
  ~NodeArgs();
  std::span<const Expr> view() const noexcept { return const_cast<NodeArgs*>(this)->take(); }
  /// The arguments, to move out of (freeing a node hands them to a work list, not a recursion).
  std::span<Expr> take() noexcept {
    if (count_ == 0) return {};
    if (count_ <= inline_capacity) return {inline_args(), count_};
    return *many();
  }

 private:
  using Many = std::vector<Expr>;
  static constexpr std::size_t bytes = inline_capacity * sizeof(std::shared_ptr<int>);
  static_assert(sizeof(Many) <= bytes);
  // the arguments themselves, or (count_ > inline_capacity) a Many holding them
  alignas(std::shared_ptr<int>) alignas(Many) std::byte storage_[bytes];
  std::size_t count_ = 0;
  Expr* inline_args() noexcept { return std::launder(reinterpret_cast<Expr*>(storage_)); }
  Many* many() noexcept { return std::launder(reinterpret_cast<Many*>(storage_)); }
};

/// The part of a node that Expr's accessors read inline: every graph walk asks a node's id, op
/// and arguments, too often for a call into the library each time. Node (core/node.hpp) adds
/// the rest.
struct NodeHead {
  Op op;
  double value;   ///< constants only
  NodeArgs args;  ///< children, in order
  std::size_t hash;
  NodeId id;
};
}  // namespace detail

inline Op Expr::op() const { return node_->op; }
inline double Expr::value() const {
  return node_->op == Op::Const ? node_->value : std::numeric_limits<double>::quiet_NaN();
}
inline std::span<const Expr> Expr::args() const { return node_->args.view(); }
inline const Expr& Expr::arg(std::size_t i) const {
  const auto all = args();
  if (i >= all.size()) no_such_argument();
  return all[i];
}
inline std::size_t Expr::hash() const { return node_->hash; }
inline NodeId Expr::id() const { return node_->id; }

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

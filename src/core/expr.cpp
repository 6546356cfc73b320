// SPDX-License-Identifier: MIT
// Node interning (hash-consing), non-recursive destruction, and the shared topological walk.
#include "slope/expr.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <unordered_set>
#include <vector>

#include "core/id_set.hpp"
#include "core/node.hpp"
#include "slope/build.hpp"

namespace slope {
namespace {

std::size_t mix(std::size_t h, std::size_t v) {
  return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));  // boost::hash_combine
}

std::size_t structural_hash(Op op, std::span<const Expr> args, double value,
                            std::string_view name) {
  std::size_t h = mix(0x51f15e, static_cast<std::size_t>(op));
  if (op == Op::Const) h = mix(h, std::bit_cast<std::uint64_t>(value));
  if (op == Op::Variable) h = mix(h, std::hash<std::string_view>{}(name));
  for (const Expr& a : args) h = mix(h, a.hash());
  // hash_combine alone is nearly linear: the 2^18 compositions of sin and cos had under 10,000
  // distinct hashes, so interning them was quadratic. A finalizer (splitmix64's) spreads them.
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

bool same_payload(const Node& n, Op op, std::span<const Expr> args, double value,
                  std::string_view name) {
  const auto mine = n.args.view();
  if (n.op != op || mine.size() != args.size()) return false;
  if (op == Op::Const &&
      std::bit_cast<std::uint64_t>(n.value) != std::bit_cast<std::uint64_t>(value))
    return false;
  if (op == Op::Variable && n.name != name) return false;
  for (std::size_t i = 0; i < args.size(); ++i)
    if (!(mine[i] == args[i])) return false;
  return true;
}

struct InternedNode;
void unintern(const InternedNode* n);

// Freeing a node releases its children, which may free them in turn: done naively that
// recursion overflows the stack on a long chain. Instead the first node freed on a thread drains
// a work list of children, and the nodes freed meanwhile only append theirs to it.
void release(std::span<Expr> children) {
  thread_local std::vector<Expr>* pending = nullptr;
  if (pending) {
    for (Expr& c : children) pending->push_back(std::move(c));
    return;
  }
  std::vector<Expr> work(std::make_move_iterator(children.begin()),
                         std::make_move_iterator(children.end()));
  pending = &work;
  while (!work.empty()) {
    const Expr last = std::move(work.back());
    work.pop_back();
  }  // `last` goes here, and may append its children to `work`
  pending = nullptr;
}

// A node as the table makes it: one allocation with its reference counts (make_shared), taken
// out of the table when the last handle goes.
struct InternedNode final : Node {
  explicit InternedNode(Node&& n) : Node(std::move(n)) {}
  InternedNode(const InternedNode&) = delete;
  InternedNode& operator=(const InternedNode&) = delete;
  ~InternedNode() {
    unintern(this);
    release(args.take());
  }
  /// This node, while a handle lives: the intern table finds nodes through it. Set once when
  /// the node is made, read under the table's lock.
  mutable std::weak_ptr<const InternedNode> self;
};

// The intern table: an open-addressing hash set of live nodes (linear probing, at most half
// full), so a lookup is one probe into a flat array rather than a walk through a bucket's list
// (a million lookups build a W4 derivative). Entries are raw addresses, so the table never keeps
// a node alive: a node takes itself out when its last handle goes (unintern), and until then a
// lookup reaches it through its own weak pointer, which has expired once the node is dying.
// Sixteen bytes a slot: the table is the one structure every new node probes at random.
struct Slot {
  std::size_t hash = 0;
  const InternedNode* address = nullptr;  // nullptr: empty
};
class InternTable {
 public:
  std::mutex mutex;

  /// visit(live) for each live node with hash h, until it returns true.
  template <class Visit>
  void for_each_with_hash(std::size_t h, Visit visit) {
    if (slots_.empty()) return;
    for (std::size_t i = h & mask(); slots_[i].address; i = (i + 1) & mask())
      if (slots_[i].hash == h)
        if (auto live = slots_[i].address->self.lock(); live && visit(std::move(live))) return;
  }

  void insert(std::size_t h, const InternedNode* node) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    std::size_t i = h & mask();
    while (slots_[i].address) i = (i + 1) & mask();
    slots_[i] = Slot{h, node};
    ++size_;
  }

  void erase(const InternedNode* n) {
    if (slots_.empty()) return;
    std::size_t i = n->hash & mask();
    while (slots_[i].address && slots_[i].address != n) i = (i + 1) & mask();
    if (!slots_[i].address) return;
    // backward-shift deletion: later entries of the probe run move up, so no tombstones pile up
    for (std::size_t j = (i + 1) & mask(); slots_[j].address; j = (j + 1) & mask()) {
      const std::size_t home = slots_[j].hash & mask();
      const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!stays) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = Slot{};
    --size_;
  }

 private:
  std::vector<Slot> slots_;
  std::size_t size_ = 0;

  std::size_t mask() const { return slots_.size() - 1; }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(1024, 2 * old.size()), Slot{});
    for (Slot& s : old) {
      if (!s.address) continue;
      std::size_t i = s.hash & mask();
      while (slots_[i].address) i = (i + 1) & mask();
      slots_[i] = s;
    }
  }
};
InternTable& table() {
  static auto* t = std::make_unique<InternTable>().release();  // outlives every static Expr
  return *t;
}

void unintern(const InternedNode* n) {
  InternTable& t = table();
  std::lock_guard lock(t.mutex);
  t.erase(n);
}

}  // namespace

namespace {
/// make_node's work; `owned`, when given, holds the arguments and is moved into a new node.
Expr intern(Op op, std::span<const Expr> args, double value, std::string_view name,
            std::vector<Expr>* owned) {
  if (op == Op::Const) {
    if (value == 0.0) value = 0.0;                // one zero: -0 and +0 print alike
    if (std::isnan(value)) value = std::nan("");  // one NaN
  }
  const std::size_t h = structural_hash(op, args, value, name);
  InternTable& t = table();
  std::vector<std::shared_ptr<const Node>> candidates;  // released after the lock (see release)
  {
    std::lock_guard lock(t.mutex);
    std::shared_ptr<const Node> found;
    t.for_each_with_hash(h, [&](std::shared_ptr<const Node> live) {
      if (same_payload(*live, op, args, value, name)) {
        found = std::move(live);
        return true;
      }
      candidates.push_back(std::move(live));
      return false;
    });
    if (found) return detail::NodeAccess::wrap(std::move(found));
    static NodeId next_id = 0;  // guarded by the table's mutex
    auto node = std::make_shared<const InternedNode>(
        Node{{op, value, owned ? detail::NodeArgs(std::move(*owned)) : detail::NodeArgs(args), h,
              ++next_id},
             std::string(name)});
    node->self = node;
    t.insert(h, node.get());
    return detail::NodeAccess::wrap(std::move(node));
  }
}
}  // namespace

namespace detail {
static_assert(sizeof(Expr) == sizeof(std::shared_ptr<int>), "NodeArgs sizes its storage so");

NodeArgs::NodeArgs(std::span<const Expr> args) : count_(args.size()) {
  if (count_ <= inline_capacity)
    std::uninitialized_copy(args.begin(), args.end(), inline_args());
  else
    std::construct_at(many(), args.begin(), args.end());
}
NodeArgs::NodeArgs(std::vector<Expr>&& args) : count_(args.size()) {
  if (count_ <= inline_capacity)
    std::uninitialized_move(args.begin(), args.end(), inline_args());
  else
    std::construct_at(many(), std::move(args));
}
NodeArgs::NodeArgs(NodeArgs&& other) noexcept : count_(other.count_) {
  if (count_ <= inline_capacity) {
    const auto from = other.take();
    std::uninitialized_move(from.begin(), from.end(), inline_args());
  } else {
    std::construct_at(many(), std::move(*other.many()));
  }
}
NodeArgs::~NodeArgs() {
  if (count_ == 0) return;
  if (count_ <= inline_capacity)
    std::destroy_n(inline_args(), count_);
  else
    std::destroy_at(many());
}
}  // namespace detail

Expr make_node(Op op, std::span<const Expr> args, double value, std::string_view name) {
  return intern(op, args, value, name, nullptr);
}
Expr make_node(Op op, std::vector<Expr>&& args, double value, std::string_view name) {
  return intern(op, args, value, name, &args);
}

namespace {
/// 0 and 1 are made far more often than any other number (the derivative of every constant and
/// variable, every seed and unit factor): interned once and kept, they skip the table's lock.
Expr number(double value) {
  static const Expr zero = make_node(Op::Const, {}, 0.0), one = make_node(Op::Const, {}, 1.0);
  if (value == 0.0) return zero;  // -0 too: make_node gives +0 for it
  if (value == 1.0) return one;
  // The other numbers of a formula recur too (a layer's weight in each of its derivative's
  // terms): the last ones made on this thread are kept, by their bits, in a small table that
  // skips the intern table's lock and lookup.
  struct Recent {
    std::uint64_t bits = 0;  // the bits of +0, never asked for here
    Expr number;
  };
  thread_local std::array<Recent, 64> recent;
  const auto bits = std::bit_cast<std::uint64_t>(value);
  Recent& slot = recent[(bits * 0x9e3779b97f4a7c15ULL) >> 58];
  if (slot.bits != bits) slot = {bits, make_node(Op::Const, {}, value)};
  return slot.number;
}
}  // namespace

Expr::Expr(double value) : Expr(number(value)) {}

const std::string& Expr::name() const { return detail::NodeAccess::node(*this).name; }
void Expr::no_such_argument() {
  throw std::out_of_range("slope::Expr::arg: index past the last argument");
}

std::vector<Expr> topological_order(std::span<const Expr> roots) {
  // The walk's working memory is kept per thread: simplifying a small formula walks it dozens of
  // times, and growing these three from empty each time was most of a walk's cost.
  struct Scratch {
    std::vector<Expr> order;
    detail::IdSet seen;
    std::vector<std::pair<const Expr*, std::size_t>> stack;  // (node, next child to visit)
  };
  thread_local Scratch scratch;
  auto& [order, seen, stack] = scratch;
  order.clear(), seen.clear(), stack.clear();  // emptied here, so a throw midway leaves no trace
  // Explicit stack: post-order without recursion.
  for (const Expr& root : roots) {
    if (!seen.insert(root.id())) continue;
    stack.emplace_back(&root, 0);
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < node->size()) {
        const Expr* child = &node->args()[next++];
        if (seen.insert(child->id())) stack.emplace_back(child, 0);
      } else {
        order.push_back(*node);
        stack.pop_back();
      }
    }
  }
  std::vector<Expr> result(std::make_move_iterator(order.begin()),
                           std::make_move_iterator(order.end()));
  if (order.capacity() > (std::size_t{1} << 14)) order = {}, stack = {}, seen = {};
  return result;
}

std::size_t node_count(const Expr& e) {
  // A plain walk: no order to keep, so no Expr copied (each copy is an atomic count).
  detail::IdSet seen;
  std::vector<const Expr*> stack{&e};
  seen.insert(e.id());
  std::size_t count = 0;
  while (!stack.empty()) {
    const Expr* node = stack.back();
    stack.pop_back();
    ++count;
    for (const Expr& a : node->args())
      if (seen.insert(a.id())) stack.push_back(&a);
  }
  return count;
}

std::vector<std::string> variables(const Expr& e) {
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  for (const Expr& n : topological_order(e))
    if (n.is_var() && seen.insert(n.name()).second) names.push_back(n.name());
  return names;
}

bool is_constant_expr(const Expr& e) {
  for (const Expr& n : topological_order(e))
    if (n.is_var()) return false;
  return true;
}

}  // namespace slope

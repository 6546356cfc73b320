// SPDX-License-Identifier: MIT
// A map from node id to a value, for the per-node results of a graph walk: the values in one
// dense array in the order they were added, found through a flat table of (id, position) slots
// (open addressing, linear probing). std::unordered_map allocated a list node per insert, and
// those allocations were a third of simplifying a small derivative (W3 at depth 10); a table of
// optional values cost a scan of every empty slot when it was freed.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/id_set.hpp"
#include "slope/expr.hpp"

namespace slope::detail {

template <class T>
class IdMap {
  static_assert(!std::is_same_v<T, bool>, "std::vector<bool> holds no bool to point at");

 public:
  /// The value kept for id, or nullptr. Valid until the next insertion.
  const T* find(NodeId id) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = home(id);; i = (i + 1) & mask()) {
      if (slots_[i].id == id) return &values_[slots_[i].at];
      if (slots_[i].id == 0) return nullptr;
    }
  }
  T* find(NodeId id) { return const_cast<T*>(std::as_const(*this).find(id)); }
  bool contains(NodeId id) const { return find(id) != nullptr; }
  const T& at(NodeId id) const {
    if (const T* v = find(id)) return *v;
    throw std::out_of_range("slope: a node's result was asked before it was computed");
  }
  /// Keeps value for id unless id has one already; the value kept either way.
  T& emplace(NodeId id, T value) {
    if (T* v = find(id)) return *v;
    if (2 * (values_.size() + 1) > slots_.size()) rehash(slots_.empty() ? 32 : 2 * slots_.size());
    std::size_t i = home(id);
    while (slots_[i].id != 0) i = (i + 1) & mask();
    slots_[i] = {id, static_cast<std::uint32_t>(values_.size())};
    return values_.emplace_back(std::move(value));
  }
  /// The value kept for id, default-made if there was none.
  T& operator[](NodeId id) {
    if (T* v = find(id)) return *v;
    return emplace(id, T{});
  }
  std::size_t size() const { return values_.size(); }
  /// Room for n ids without growing (a walk knows how many nodes it will see).
  void reserve(std::size_t n) {
    std::size_t size = slots_.empty() ? 32 : slots_.size();
    while (2 * n > size) size *= 2;
    if (size > slots_.size()) rehash(size);
    values_.reserve(n);
  }

 private:
  struct Slot {
    NodeId id = 0;  // 0: empty (ids count from 1)
    std::uint32_t at = 0;
  };
  std::size_t mask() const { return slots_.size() - 1; }
  std::size_t home(NodeId id) const { return id_slot(id, mask()); }
  void rehash(std::size_t size) {  // size: a power of two
    std::vector<Slot> old(size);
    old.swap(slots_);
    for (const Slot& s : old) {
      if (s.id == 0) continue;
      std::size_t i = home(s.id);
      while (slots_[i].id != 0) i = (i + 1) & mask();
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::vector<T> values_;
};

}  // namespace slope::detail

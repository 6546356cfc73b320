// SPDX-License-Identifier: MIT
// A map from node id to a value in one flat array (open addressing, linear probing), for the
// per-node results of a graph walk. std::unordered_map allocated a list node per insert, and
// those allocations were a third of simplifying a small derivative (W3 at depth 10).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "slope/expr.hpp"

namespace slope::detail {

template <class T>
class IdMap {
 public:
  /// The value kept for id, or nullptr.
  const T* find(NodeId id) const {
    if (keys_.empty()) return nullptr;
    for (std::size_t i = home(id);; i = (i + 1) & mask()) {
      if (keys_[i] == id) return &*values_[i];
      if (keys_[i] == 0) return nullptr;
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
    if (2 * (count_ + 1) > keys_.size()) rehash(keys_.empty() ? 32 : 2 * keys_.size());
    std::size_t i = home(id);
    while (keys_[i] != 0) i = (i + 1) & mask();
    keys_[i] = id;
    ++count_;
    return values_[i].emplace(std::move(value));
  }
  /// The value kept for id, default-made if there was none.
  T& operator[](NodeId id) {
    if (T* v = find(id)) return *v;
    return emplace(id, T{});
  }
  std::size_t size() const { return count_; }
  /// Room for n ids without growing (a walk knows how many nodes it will see).
  void reserve(std::size_t n) {
    std::size_t size = keys_.empty() ? 32 : keys_.size();
    while (2 * n > size) size *= 2;
    if (size > keys_.size()) rehash(size);
  }

 private:
  std::size_t mask() const { return keys_.size() - 1; }
  std::size_t home(NodeId id) const {  // ids are sequential: scatter them over the table
    const std::uint64_t h = id * 0x9e3779b97f4a7c15ULL;
    return static_cast<std::size_t>(h ^ (h >> 32)) & mask();
  }
  void rehash(std::size_t size) {  // size: a power of two
    std::vector<NodeId> keys(size, 0);
    std::vector<std::optional<T>> values(keys.size());
    keys_.swap(keys);
    values_.swap(values);
    for (std::size_t j = 0; j < keys.size(); ++j) {
      if (keys[j] == 0) continue;
      std::size_t i = home(keys[j]);
      while (keys_[i] != 0) i = (i + 1) & mask();
      keys_[i] = keys[j];
      values_[i] = std::move(values[j]);
    }
  }

  std::vector<NodeId> keys_;  // 0: empty (ids count from 1)
  std::vector<std::optional<T>> values_;
  std::size_t count_ = 0;
};

}  // namespace slope::detail

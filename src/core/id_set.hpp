// SPDX-License-Identifier: MIT
// A set of node ids in one flat array (open addressing, linear probing). Every graph walk inserts
// each node once; std::unordered_set allocated per insert, and that dominated walks of large
// derivatives (a 10,000-deep chain's has 75,000 nodes and is walked several times).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "slope/expr.hpp"

namespace slope::detail {

/// A node id's home in a table of 2^k slots (mask = 2^k - 1): ids are sequential, so they are
/// scattered over the table first.
inline std::size_t id_slot(NodeId id, std::size_t mask) {
  const std::uint64_t h = id * 0x9e3779b97f4a7c15ULL;
  return static_cast<std::size_t>(h ^ (h >> 32)) & mask;
}

class IdSet {
 public:
  /// Adds id; true if it was not there yet. Ids are never 0 (the intern table counts from 1).
  bool insert(NodeId id) {
    if (2 * (count_ + 1) > slots_.size()) grow();
    if (!place(slots_, id)) return false;
    ++count_;
    return true;
  }
  /// Empties the set; keeps its memory unless it is large (a walk of a million nodes).
  void clear() {
    if (slots_.size() > (std::size_t{1} << 14))
      slots_ = {};
    else
      std::fill(slots_.begin(), slots_.end(), NodeId{0});
    count_ = 0;
  }

 private:
  /// Puts id into `slots` (a power of two long, never full); false if it was there already.
  static bool place(std::vector<NodeId>& slots, NodeId id) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = id_slot(id, mask);; i = (i + 1) & mask) {
      if (slots[i] == id) return false;
      if (slots[i] == 0) {
        slots[i] = id;
        return true;
      }
    }
  }
  void grow() {
    std::vector<NodeId> bigger(slots_.empty() ? 64 : 2 * slots_.size(), 0);
    for (const NodeId id : slots_)
      if (id != 0) place(bigger, id);
    slots_.swap(bigger);
  }

  std::vector<NodeId> slots_;
  std::size_t count_ = 0;
};

}  // namespace slope::detail

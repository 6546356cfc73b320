// SPDX-License-Identifier: MIT
// Reads the DOT slope writes (to_dot) back into an expression, as a consumer of the graph would:
// each `nK [label=...]` statement a node, each `nK -> nJ` an argument, in order. Evaluating what
// it rebuilds proves the drawing is the expression, edges and labels included.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "slope/slope.hpp"

namespace slope::testing {

/// The op a DOT label names: its symbol (`+`, `>=`) or its function name (`relu`).
inline Op op_labelled(const std::string& label) {
  for (int i = 0; i < op_count; ++i) {
    const Op op = static_cast<Op>(i);
    const OpSpelling& s = spelling(op);
    if (label == s.symbol || (s.symbol.empty() && label == s.name)) return op;
  }
  BOOST_FAIL("the DOT label '" + label + "' names no op");
  return Op::Const;
}

/// The expression the DOT text draws (its last node is the root).
inline Expr read_dot(const std::string& dot) {
  static const std::regex node_line(R"re(^  n(\d+) \[label="((?:[^"\\]|\\.)*)"(, (.*))?\];$)re");
  static const std::regex edge_line(R"re(^  n(\d+) -> n(\d+)( \[label=".*"\])?;$)re");
  struct Node {
    std::string label;
    bool constant = false, variable = false;
    std::vector<std::size_t> args;
  };
  std::vector<Node> nodes;
  std::istringstream in(dot);
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, m, node_line)) {
      BOOST_REQUIRE_EQUAL(std::stoul(m[1]), nodes.size());  // numbered in order
      const std::string style = m[4];
      nodes.push_back({m[2], style == "shape=plaintext", style.find("style=filled") == 0, {}});
    } else if (std::regex_match(line, m, edge_line)) {
      const std::size_t from = std::stoul(m[1]), to = std::stoul(m[2]);
      BOOST_REQUIRE(from + 1 == nodes.size() && to < from);  // arguments come first
      nodes.back().args.push_back(to);
    }
  }
  BOOST_REQUIRE(!nodes.empty());
  std::vector<Expr> built;
  for (const Node& n : nodes) {
    if (n.constant) {
      // a number as slope prints it: shortest round trip, inf, -inf, or undefined for NaN
      built.push_back(n.label == "undefined" ? std::nan("") : std::stod(n.label));
    } else if (n.variable) {
      built.push_back(var(n.label));
    } else {
      std::vector<Expr> args;
      for (const std::size_t a : n.args) args.push_back(built[a]);
      built.push_back(make_op(op_labelled(n.label), args));
    }
  }
  return built.back();
}

}  // namespace slope::testing

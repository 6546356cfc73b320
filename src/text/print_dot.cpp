// SPDX-License-Identifier: MIT
// Graphviz DOT: one box per node of the DAG, so a shared subexpression appears once with
// several arrows into it. Edges of order-sensitive ops are labelled with the argument's role.
#include <unordered_map>

#include "slope/print.hpp"

namespace slope {
namespace {

/// A DOT quoted string's contents: quotes and backslashes escaped (so a name is never read as
/// \N or \l), line breaks written as DOT's \n.
std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string label(const Expr& n) {
  if (n.is_const()) return format_number(n.value());
  if (n.is_var()) return n.name();
  const OpSpelling& s = spelling(n.op());
  return std::string(s.symbol.empty() ? s.name : s.symbol);
}

std::string edge_label(Op op, std::size_t i) {
  switch (op) {
    case Op::Piecewise:
      return i == 0 ? "if" : (i == 1 ? "then" : "else");
    case Op::Pow:
      return i == 0 ? "base" : "exponent";
    case Op::Add:
    case Op::Mul:
    case Op::And:
    case Op::Or:
    case Op::Max:
    case Op::Min:
      return "";
    default:
      return spelling(op).max_args == 1 ? "" : std::to_string(i + 1);
  }
}

}  // namespace

std::string to_dot(const Expr& e, std::string_view graph_name) {
  std::unordered_map<NodeId, std::size_t> id;
  std::string out =
      "digraph \"" + escape(graph_name) + "\" {\n  node [shape=box, fontname=\"Helvetica\"];\n";
  for (const Expr& n : topological_order(e)) {
    const std::size_t k = id.size();
    id.emplace(n.id(), k);
    const char* style = n.is_var() ? ", style=filled, fillcolor=\"#dbeafe\""
                                   : (n.is_const() ? ", shape=plaintext" : "");
    out += fmt::format("  n{} [label=\"{}\"{}];\n", k, escape(label(n)), style);
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string l = edge_label(n.op(), i);
      out += fmt::format("  n{} -> n{}{};\n", k, id.at(n.arg(i).id()),
                         l.empty() ? "" : " [label=\"" + l + "\"]");
    }
  }
  return out + "}\n";
}

}  // namespace slope

// SPDX-License-Identifier: MIT
// The 2-D printer. Each node becomes a box of lines with a baseline; piecewise expressions become
// a brace and a column of `value  if condition` rows, everything else reuses the one-line text.
#include <algorithm>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "slope/build.hpp"
#include "slope/print.hpp"
#include "text/print_common.hpp"

namespace slope {

std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;  // count UTF-8 lead bytes
  return n;
}

namespace {

struct Box {
  std::vector<std::string> lines;
  std::size_t baseline = 0;  // the row that lines up with neighbours
  std::size_t width() const {
    std::size_t w = 0;
    for (const auto& l : lines) w = std::max(w, display_width(l));
    return w;
  }
};

Box line(std::string text) { return {{std::move(text)}, 0}; }

std::string pad(const std::string& s, std::size_t width) {
  return s + std::string(width - std::min(width, display_width(s)), ' ');
}

/// Boxes side by side, baselines aligned.
Box beside(const std::vector<Box>& parts) {
  std::size_t above = 0, below = 0;
  for (const Box& b : parts) {
    above = std::max(above, b.baseline);
    below = std::max(below, b.lines.size() - b.baseline - 1);
  }
  Box out{std::vector<std::string>(above + below + 1), above};
  for (const Box& b : parts) {
    const std::size_t w = b.width(), top = above - b.baseline;
    for (std::size_t r = 0; r < out.lines.size(); ++r) {
      const bool inside = r >= top && r - top < b.lines.size();
      out.lines[r] += pad(inside ? b.lines[r - top] : "", w);
    }
  }
  return out;
}

class PrettyPrinter {
 public:
  explicit PrettyPrinter(Charset cs) : cs_(cs) {}

  /// Whether e's layout nests few enough boxes for a reader (and for the recursion that builds
  /// them); deeper expressions print as one line, which the text printer does at any depth.
  bool fits(const Expr& e) {
    std::unordered_map<NodeId, int> depth;  // boxes nested below each node, at most
    for (const Expr& n : topological_order(e)) {
      int d = 0;
      if (contains_piecewise(n))
        for (const Expr& a : n.args()) d = std::max(d, depth.at(a.id()) + 1);
      if (d > max_layout_depth) return false;
      depth.emplace(n.id(), d);
    }
    return true;
  }

  /// The text printer's pieces of e laid out side by side: the same operators, order and
  /// parentheses, with piecewise parts as braces.
  Box print(const Expr& e) {
    if (!contains_piecewise(e)) return line(to_text(e));  // only piecewise needs 2-D
    if (e.op() == Op::Piecewise) return cases(e);
    std::vector<Box> parts;
    for (const detail::Item& item : detail::text_pieces(e)) {
      if (!item.is_node) {
        parts.push_back(line(item.text));
        continue;
      }
      Box b = print(item.node);
      // in parentheses where the text has them, and a brace among operators also (a '+' or a
      // '^2' beside its rows would read as part of a condition); a call's own parentheses hold
      // its arguments (they are the items that need only Prec::Lowest)
      const bool loose = detail::text_precedence(item.node) < item.need;
      const bool tall_brace =
          b.lines.size() > 1 && item.node.op() == Op::Piecewise && item.need != Prec::Lowest;
      parts.push_back(loose || tall_brace ? parenthesised(b) : std::move(b));
    }
    return beside(parts);
  }

 private:
  static constexpr int max_layout_depth = 100;
  Charset cs_;
  std::unordered_map<NodeId, bool> has_piecewise_;  // memo: each node is looked at once

  bool contains_piecewise(const Expr& e) {
    if (auto it = has_piecewise_.find(e.id()); it != has_piecewise_.end()) return it->second;
    auto known = [&](const Expr& n) { return has_piecewise_.count(n.id()) > 0; };
    auto decide = [&](const Expr& n) {  // its arguments' answers are known
      bool any = n.op() == Op::Piecewise;
      for (const Expr& a : n.args()) any = any || has_piecewise_.at(a.id());
      return has_piecewise_.emplace(n.id(), any).first->second;
    };
    if (std::all_of(e.args().begin(), e.args().end(), known)) return decide(e);  // made here
    for (const Expr& n : topological_order(e))                                   // children first
      if (!known(n)) decide(n);
    return has_piecewise_.at(e.id());
  }

  /// b in parentheses as tall as it is.
  Box parenthesised(const Box& b) {
    if (b.lines.size() == 1) return line("(" + b.lines[0] + ")");
    return beside({fence(b, true), b, fence(b, false)});
  }

  Box fence(const Box& b, bool open) {
    const std::size_t n = b.lines.size();
    Box f{std::vector<std::string>(n), b.baseline};
    for (std::size_t r = 0; r < n; ++r) {
      if (cs_ == Charset::ascii)
        f.lines[r] = open ? "(" : ")";
      else if (r == 0)
        f.lines[r] = open ? "⎛" : "⎞";
      else if (r == n - 1)
        f.lines[r] = open ? "⎝" : "⎠";
      else
        f.lines[r] = open ? "⎜" : "⎟";
    }
    return f;
  }

  std::string brace(std::size_t r, std::size_t n) const {
    if (cs_ == Charset::ascii || n == 1) return "{ ";
    if (r == 0) return "⎧ ";
    if (r == n - 1) return "⎩ ";
    if (n % 2 == 1 && r == n / 2) return "⎨ ";
    return "⎪ ";
  }

  Box cases(const Expr& e) {
    std::vector<std::pair<Box, std::string>> rows;  // value, condition text
    Expr rest = e;
    while (rest.op() == Op::Piecewise) {
      // a brace as a row's value goes in parentheses, so its conditions and the row's part
      Box value = print(rest.arg(1));
      if (value.lines.size() > 1 && rest.arg(1).op() == Op::Piecewise) value = parenthesised(value);
      rows.emplace_back(std::move(value), "if " + to_text(rest.arg(0)));
      rest = rest.arg(2);
    }
    rows.emplace_back(print(rest), "otherwise");
    std::size_t value_width = 0, total = 0;
    for (auto& [v, c] : rows) {
      value_width = std::max(value_width, v.width());
      total += v.lines.size();
    }
    Box out;
    std::size_t r = 0;
    for (auto& [v, c] : rows) {
      for (std::size_t i = 0; i < v.lines.size(); ++i, ++r) {
        std::string text = brace(r, total) + pad(v.lines[i], value_width);
        if (i == v.baseline) text += "  " + c;
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out.lines.push_back(text);
      }
    }
    out.baseline = (total - 1) / 2;
    return out;
  }
};

/// A large graph with its shared parts replaced by variables u1, u2, ... (each definition refers
/// only to earlier ones), because the 2-D layout spells out whatever it is given.
struct NamedParts {
  std::vector<std::pair<std::string, Expr>> definitions;
  Expr root;
};
std::optional<NamedParts> named_parts(const Expr& e) {
  // The shared parts only, not the cuts that keep the text's nesting readable back: each part
  // would be laid out in 2-D (a 100,000-deep piecewise became 100 MB of nested braces). A
  // formula too deep to lay out is printed as the text printer prints it, cuts included.
  const std::vector<Expr> shared =
      detail::nodes_to_name(e, 20'000, 2'000, 8, std::numeric_limits<int>::max());
  if (shared.empty()) return std::nullopt;
  const std::string prefix = detail::free_prefix(e);
  std::unordered_set<NodeId> to_name;
  for (const Expr& n : shared) to_name.insert(n.id());
  std::unordered_map<NodeId, Expr> now;  // each node as printed: its name, or rebuilt on names
  NamedParts out{{}, e};
  for (const Expr& n : topological_order(e)) {
    Expr rebuilt = n;
    if (n.size() > 0) {
      std::vector<Expr> args;
      bool changed = false;
      for (const Expr& a : n.args()) {
        args.push_back(now.at(a.id()));
        changed |= !(args.back() == a);
      }
      if (changed) rebuilt = make_op(n.op(), args);
    }
    if (to_name.count(n.id())) {
      const std::string name = prefix + std::to_string(out.definitions.size() + 1);
      out.definitions.emplace_back(name, rebuilt);
      rebuilt = var(name);
    }
    now.emplace(n.id(), rebuilt);
  }
  out.root = now.at(e.id());
  return out;
}

/// "where" and each definition, `  u1 = <2-D>`, after a formula that uses the names.
std::string where_block(const NamedParts& parts, Charset charset) {
  std::string out = "\nwhere";
  for (const auto& [name, body] : parts.definitions) {
    out += "\n  ";
    for (char ch : pretty_equation(name, body, charset)) {
      out += ch;
      if (ch == '\n') out += "  ";
    }
  }
  return out;
}

}  // namespace

std::string to_pretty(const Expr& e, Charset charset) {
  if (const auto parts = named_parts(e))
    return to_pretty(parts->root, charset) + where_block(*parts, charset);
  PrettyPrinter printer(charset);
  if (!printer.fits(e)) return to_text(e);
  const Box b = printer.print(e);
  std::string out;
  for (std::size_t i = 0; i < b.lines.size(); ++i) {
    std::string l = b.lines[i];
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += (i ? "\n" : "") + l;
  }
  return out;
}

std::string pretty_equation(const std::string& lhs, const Expr& e, Charset charset) {
  if (const auto parts = named_parts(e))
    return pretty_equation(lhs, parts->root, charset) + where_block(*parts, charset);
  PrettyPrinter printer(charset);
  const std::string head = lhs + " = ";
  if (!printer.fits(e)) return head + to_text(e);
  const Box b = printer.print(e);
  std::string out;
  for (std::size_t i = 0; i < b.lines.size(); ++i) {
    std::string l = (i == b.baseline ? head : std::string(display_width(head), ' ')) + b.lines[i];
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += (i ? "\n" : "") + l;
  }
  return out;
}

}  // namespace slope

// SPDX-License-Identifier: MIT
#include "check_input.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>
#include <vector>

#include "slope/slope.hpp"

namespace slope::fuzz {
namespace {

[[noreturn]] void fail(const char* what, std::string_view text, const std::string& detail) {
  std::fprintf(stderr, "fuzz property violated: %s\ninput: %.*s\n%s\n", what,
               static_cast<int>(text.size()), text.data(), detail.c_str());
  std::abort();
}

bool close(double a, double b) {
  return std::abs(a - b) <= 1e-6 * std::max({1.0, std::abs(a), std::abs(b)});
}

/// a and b a rounding apart: diff solves and rewrites conditions (relu(x) - 2*abs(y) + z == 0 as
/// z == 2*abs(y) - relu(x)), and the rewritten form rounds otherwise than the one the tape reads
/// (1.48 - 1.11 is 0.3700000000000001, 1.48 - 0.37 is 1.11): a tie for one, not for the other.
bool tied(double a, double b) {
  return a == b || std::abs(a - b) <= 1e-12 * std::max({1.0, std::abs(a), std::abs(b)});
}

/// A kink or jump of f sits at env (up to rounding), or a part of f is NaN there:
/// simplification assumes numbers (docs/conventions.md), so `u <= inf` is true for diff even
/// where u is NaN.
bool on_a_boundary(const Expr& f, const Env& env) {
  const std::vector<Expr> nodes = topological_order(f);
  const std::vector<double> values = eval(nodes, env);  // every node at once, shared work
  std::unordered_map<NodeId, double> value;
  for (std::size_t i = 0; i < nodes.size(); ++i) value.emplace(nodes[i].id(), values[i]);
  for (const Expr& n : nodes) {
    if (std::isnan(value.at(n.id()))) return true;
    const auto arg = [&](std::size_t i) { return value.at(n.arg(i).id()); };
    const bool two_sided = is_comparison(n.op()) || n.op() == Op::Max || n.op() == Op::Min;
    if (two_sided && tied(arg(0), arg(1))) return true;
    // a clamp's x rounded onto a bound it is strictly below or above (x - 1e-18 vs x)
    if ((n.op() == Op::Clamp || n.op() == Op::Hardtanh) && n.size() == 3 &&
        (tied(arg(0), arg(1)) || tied(arg(0), arg(2))))
      return true;
    if (n.size() >= 1 && n.op() != Op::Add && n.op() != Op::Mul) {
      const double u = arg(0);
      if (tied(u, 0) || tied(u, 1) || tied(u, -1) || tied(u, 6))
        return true;  // the kinks of relu, abs, hardtanh, relu6...
    }
  }
  return false;
}

}  // namespace

void check_input(std::string_view text) {
  Expr e;
  try {
    e = parse(text, ParseLimits{.max_length = 2000, .max_depth = 60});
  } catch (const ParseError&) {
    return;  // not an expression: nothing more to check
  }
  const std::string printed = to_text(e);
  Expr again;
  try {
    again = parse(printed);
  } catch (const ParseError& err) {
    fail("the printed form does not parse", text, printed + "\n" + err.what());
  }
  if (!(again == e)) fail("parse(to_text(e)) != e", text, printed + "\n" + to_text(again));

  const auto vars = variables(e);
  if (vars.size() > 3 || node_count(e) > 400) return;  // keep each run fast
  std::vector<Expr> derivatives;
  for (const std::string& v : vars) {
    derivatives.push_back(diff(e, v));
    (void)simplify(derivatives.back());
    (void)to_text(derivatives.back());
  }
  Tape tape = Tape::compile(e, vars);
  for (double p : {0.37, -1.29, 2.53}) {
    Env env;
    std::vector<double> in;
    for (std::size_t i = 0; i < vars.size(); ++i) {
      env[vars[i]] = p * static_cast<double>(i + 1);
      in.push_back(env[vars[i]]);
    }
    const double value = tape.forward(in)[0];
    const double reference = eval(e, env);
    if (std::isfinite(reference) && std::abs(reference) < 1e6 && !close(value, reference))
      fail("tape value != eval", text, std::to_string(value) + " vs " + std::to_string(reference));
    if (!std::isfinite(value) || std::abs(value) > 1e6 || on_a_boundary(e, env)) continue;
    tape.reverse();
    for (std::size_t i = 0; i < vars.size(); ++i) {
      const double symbolic = eval(derivatives[i], env), numeric = tape.gradient()[i];
      if (std::isfinite(symbolic) && std::isfinite(numeric) && std::abs(symbolic) < 1e6 &&
          !close(symbolic, numeric))
        fail("tape gradient != eval(diff)", text,
             "d/d" + vars[i] + ": tape " + std::to_string(numeric) + ", diff " +
                 std::to_string(symbolic) + " = " + to_text(derivatives[i]));
    }
  }
}

}  // namespace slope::fuzz

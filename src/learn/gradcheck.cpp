// SPDX-License-Identifier: MIT
// Gradient checking: tape versus central differences, and which kink explains a disagreement.
#include "slope/gradcheck.hpp"

#include <cmath>

#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/error.hpp"
#include "slope/explain.hpp"
#include "slope/print.hpp"
#include "slope/tape.hpp"

namespace slope {

bool GradientCheck::ok() const {
  for (const GradientEntry& e : entries)
    if (!e.ok) return false;
  return true;
}

std::string GradientCheck::report() const {
  std::string out;
  for (const GradientEntry& e : entries) {
    out += fmt::format("d/d{}: tape {}, finite difference {:.9g}: {}", e.input,
                       format_number(e.tape), e.numeric, e.ok ? "ok" : "MISMATCH");
    if (!e.ok && !e.kinks.empty()) {
      out += " (the step crosses the kink of ";
      for (std::size_t i = 0; i < e.kinks.size(); ++i) out += (i ? ", " : "") + e.kinks[i];
      out += ": a finite difference there averages the two slopes)";
    } else if (!e.ok) {
      out += " (no kink nearby: a real disagreement, or h is too large or small)";
    }
    out += "\n";
  }
  return out;
}

GradientCheck check_gradient(const Expr& f, const Env& at, Convention convention, double h,
                             double tolerance) {
  const std::vector<std::string> inputs = variables(f);
  std::vector<double> point;
  for (const std::string& v : inputs) {
    auto it = at.find(v);
    if (it == at.end()) throw UnboundVariable(v);
    point.push_back(it->second);
  }
  Tape tape = Tape::compile(f, inputs, convention);
  tape.forward(point);
  tape.reverse();
  const std::vector<Kink> ks = kinks(f);
  GradientCheck check;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Env up = at, down = at;
    up[inputs[i]] += h;
    down[inputs[i]] -= h;
    const double numeric = (eval(f, up) - eval(f, down)) / (2 * h);
    const double g = tape.gradient()[i];
    GradientEntry e{
        inputs[i], g, numeric, std::abs(g - numeric) <= tolerance * (1 + std::abs(numeric)), {}};
    if (!e.ok) {
      // A kink lies within the step when lhs - rhs changes sign (or is 0) between v - h and v + h.
      for (const Kink& k : ks) {
        const Expr t = k.lhs - k.rhs;
        const double t_down = eval(t, down), t_up = eval(t, up), t_at = eval(t, at);
        if (t_at == 0 || t_down * t_up <= 0)
          e.kinks.push_back(to_text(k.op) + " at " + kink_location(k, inputs[i]));
      }
    }
    check.entries.push_back(std::move(e));
  }
  return check;
}

}  // namespace slope

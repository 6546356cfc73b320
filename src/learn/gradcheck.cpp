// SPDX-License-Identifier: MIT
// Gradient checking: tape versus central differences, and which kink explains a disagreement.
#include "slope/gradcheck.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/error.hpp"
#include "slope/explain.hpp"
#include "slope/one_sided.hpp"
#include "slope/print.hpp"
#include "slope/tape.hpp"

namespace slope {

bool GradientCheck::ok() const {
  for (const GradientEntry& e : entries)
    if (!e.ok) return false;
  return true;
}

std::string GradientCheck::report() const {
  // a difference to 9 digits, as a reader compares it; NaN in slope's word for it
  const auto difference = [](double d) {
    return std::isnan(d) ? std::string("undefined") : fmt::format("{:.9g}", d);
  };
  std::string out;
  for (const GradientEntry& e : entries) {
    if (!e.continuous)
      out += fmt::format(
          "d/d{}: tape {}, f has {} here: its pieces' slopes {} and {} "
          "(differences {} and {})",
          e.input, format_number(e.tape), describe(e.discontinuity), format_number(e.left),
          format_number(e.right), difference(e.numeric_left), difference(e.numeric_right));
    else if (e.left == e.right || (std::isnan(e.left) && std::isnan(e.right)))
      out += fmt::format("d/d{}: tape {}, finite difference {}", e.input, format_number(e.tape),
                         difference(e.numeric));
    else
      out +=
          fmt::format("d/d{}: tape {}, one-sided slopes {} and {} (differences {} and {})", e.input,
                      format_number(e.tape), format_number(e.left), format_number(e.right),
                      difference(e.numeric_left), difference(e.numeric_right));
    out += e.ok ? ": ok" : ": MISMATCH (" + e.why + ")";
    out += "\n";
  }
  return out;
}

namespace {

bool near(double a, double b, double tolerance) {
  return std::abs(a - b) <= tolerance * (1 + std::abs(b));
}

/// One-sided differences of f at `at` in `v`: second order where f is continuous, else from
/// two points off x0 (the slope of the piece, not the jump).
/// The step nearest h that x + k*step reaches exactly: at x = 1e8, 1e8 + 1e-6 is not a double,
/// and a difference divided by h rather than by the step taken was off by 0.2%.
double representable_step(double x, double h) {
  const double step = (x + h) - x;
  return step > 0 ? step : h;
}

std::pair<double, double> one_sided_differences(const Expr& f, const Env& at, const std::string& v,
                                                double h, bool continuous) {
  h = representable_step(at.at(v), h);
  auto f_at = [&](double k) {
    Env e = at;
    e[v] += k * h;
    return eval(f, e);
  };
  if (continuous) {
    const double f0 = f_at(0);
    return {(3 * f0 - 4 * f_at(-1) + f_at(-2)) / (2 * h),
            (-3 * f0 + 4 * f_at(1) - f_at(2)) / (2 * h)};
  }
  return {(f_at(-1) - f_at(-2)) / h, (f_at(2) - f_at(1)) / h};
}

/// The kinks of f whose switch changes sign (or is 0) within [v - 2h, v + 2h]; with
/// `beside_only`, those whose switch is not 0 at the point itself.
std::vector<std::string> kinks_within(const Expr& f, const Env& at, const std::string& v, double h,
                                      bool beside_only = false) {
  std::vector<std::string> out;
  Env down = at, up = at;
  down[v] -= 2 * h;
  up[v] += 2 * h;
  for (const Kink& k : kinks(f)) {
    const Expr t = k.lhs - k.rhs;
    const double here = eval(t, at);
    if (beside_only ? here != 0 && eval(t, down) * eval(t, up) <= 0
                    : here == 0 || eval(t, down) * eval(t, up) <= 0)
      out.push_back(to_text(k.op) + " at " + kink_location(k, v));
  }
  return out;
}

}  // namespace

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
  GradientCheck check;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string& v = inputs[i];
    const auto central = [&](double step) {
      step = representable_step(at.at(v), step);
      Env up = at, down = at;
      up[v] += step;
      down[v] -= step;
      return (eval(f, up) - eval(f, down)) / (2 * step);
    };
    const OneSided s = one_sided(f, v, at);
    const auto [d_left, d_right] = one_sided_differences(f, at, v, h, s.continuous);
    GradientEntry e{.input = v,
                    .tape = tape.gradient()[i],
                    .numeric = central(h),
                    .left = s.left,
                    .right = s.right,
                    .numeric_left = d_left,
                    .numeric_right = d_right,
                    .continuous = s.continuous,
                    .ok = true,
                    .kinks = {},
                    .why = {}};
    // 1. f's exact one-sided slopes against differences (a wrong rule, or a kink nearby)
    const bool left_ok = !std::isfinite(s.left) || near(d_left, s.left, tolerance);
    const bool right_ok = !std::isfinite(s.right) || near(d_right, s.right, tolerance);
    // 2. the tape's value between them: any value there is a valid subgradient
    const double lo = std::min(s.left, s.right), hi = std::max(s.left, s.right);
    const bool kink = !(s.left == s.right);
    const bool undefined_at_kink = kink && convention == Convention::undefined;
    // an infinite end is an end too: a vertical tangent (the cube root at 0, slopes inf | inf)
    // takes inf, and no finite value lies between
    const bool above_lo =
        std::isnan(lo) || lo == -HUGE_VAL ||
        (std::isfinite(lo) ? e.tape >= lo - tolerance * (1 + std::abs(lo)) : e.tape == lo);
    const bool below_hi =
        std::isnan(hi) || hi == HUGE_VAL ||
        (std::isfinite(hi) ? e.tape <= hi + tolerance * (1 + std::abs(hi)) : e.tape == hi);
    const bool between = undefined_at_kink || (above_lo && below_hi);
    e.ok = left_ok && right_ok && between;
    // A kink just beside the point that the step crosses: smaller steps, down to one that
    // stays on this side of it (relu(x - 1e-7) at 0 with h = 1e-5)
    for (double step = h / 16; !e.ok && between && step >= h * 1e-7; step /= 16) {
      if (kinks_within(f, at, v, step, true).empty()) {
        const auto [l, r] = one_sided_differences(f, at, v, step, s.continuous);
        if ((!std::isfinite(s.left) || near(l, s.left, tolerance)) &&
            (!std::isfinite(s.right) || near(r, s.right, tolerance))) {
          e.numeric_left = l, e.numeric_right = r, e.numeric = central(step), e.ok = true;
        }
        break;
      }
    }
    e.discontinuity = s.discontinuity();
    if (e.discontinuity == Break::pole || e.discontinuity == Break::no_limit ||
        std::isnan(s.value)) {
      // f is infinite or has no value at or beside the point: no derivative for a tape to match
      e.ok = false;
      e.why = fmt::format("f has {}{} here: no derivative", describe(e.discontinuity),
                          e.discontinuity == Break::jump ? " and no value" : "");
      check.entries.push_back(std::move(e));
      continue;
    }
    if (!between) {
      for (const KinkHit& k : kinks_at(f, at, convention)) e.kinks.push_back(to_text(k.node));
      e.why = "the tape's " + format_number(e.tape) + " lies outside f's one-sided slopes";
      if (e.kinks.empty()) {  // no kink: a tie on a whole stretch, which op by op looks like one
        for (const Expr& op : ties_on_a_stretch(f, at)) e.kinks.push_back(to_text(op));
        if (!e.kinks.empty()) {
          e.why += ": ";
          for (std::size_t k = 0; k < e.kinks.size(); ++k) e.why += (k ? ", " : "") + e.kinks[k];
          e.why += std::string(e.kinks.size() == 1 ? " is" : " are") +
                   " at a tie that holds on a whole stretch (f is smooth here), where the " +
                   std::string(to_string(convention)) +
                   " convention, applied op by op, sees a kink";
        }
      } else {
        e.why += ": the " + std::string(to_string(convention)) + " convention of ";
        for (std::size_t k = 0; k < e.kinks.size(); ++k) e.why += (k ? ", " : "") + e.kinks[k];
        e.why += ", applied op by op, cannot see the whole function";
      }
    } else if (!e.ok) {
      e.kinks = kinks_within(f, at, v, h);
      if (e.kinks.empty()) {
        e.why = "no kink nearby: a real disagreement, or h is too large or small";
      } else {
        e.why = "the step crosses the kink of ";
        for (std::size_t k = 0; k < e.kinks.size(); ++k) e.why += (k ? ", " : "") + e.kinks[k];
        e.why += ": a difference there mixes two slopes";
      }
    }
    check.entries.push_back(std::move(e));
  }
  return check;
}

}  // namespace slope

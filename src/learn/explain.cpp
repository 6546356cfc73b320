// SPDX-License-Identifier: MIT
// Kinks, kink notes and step-by-step derivations for learners.
#include "slope/explain.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_set>

#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/eval.hpp"
#include "slope/one_sided.hpp"
#include "slope/simplify.hpp"
#include "symbolic/affinity.hpp"
#include "text/latex_text.hpp"

namespace slope {
namespace {

bool depends_on(const Expr& e, std::string_view x) {
  const auto names = variables(e);
  return std::find(names.begin(), names.end(), x) != names.end();
}

std::string short_number(double v) {
  if (!std::isfinite(v)) return format_number(v);
  if (v == 0) v = 0;                // -0 (from -3*x^2 at 0) is a slope of 0
  return fmt::format("{:.8g}", v);  // one-sided slopes are limits: print 0.01, not 0.0100000001
}

/// Sums, products and conditions are wrapped when they follow d/dx; a call or a leaf is not.
bool wrap_after_d(const Expr& f) {
  return f.op() == Op::Add || f.op() == Op::Mul || is_logical(f.op());
}
std::string operand_text(const Expr& f) {
  const std::string text = to_text(f);
  // A large or deep f prints its named parts first, "u1() = ...; u2() = ...; <f>" (no expression
  // holds a ';'): d/dx goes with f itself, and the parts follow it.
  const std::size_t last = text.rfind("; ");
  const std::string body = last == std::string::npos ? text : text.substr(last + 2);
  const std::string operand = wrap_after_d(f) ? "(" + body + ")" : body;
  return last == std::string::npos ? operand : operand + ", where " + text.substr(0, last);
}
std::string operand_latex(const Expr& f) {
  return wrap_after_d(f) ? "\\left(" + to_latex(f) + "\\right)" : to_latex(f);
}

/// A name in math mode; a name var() refuses (a library user's typo) still prints, as text.
std::string latex_of_name(const std::string& x) {
  try {
    return to_latex(var(x));
  } catch (const std::invalid_argument&) {
    return "\\text{" + detail::latex_text(x) + "}";
  }
}

/// Prefixes the first line of `text` and indents the others to match.
std::string hang(const std::string& prefix, const std::string& text) {
  std::string out = prefix;
  for (char ch : text) {
    out += ch;
    if (ch == '\n') out += std::string(display_width(prefix), ' ');
  }
  return out;
}

/// The op rebuilt on a fresh variable in place of its first argument (named after that argument
/// when it is a variable, else u), and that variable.
std::pair<Expr, Expr> on_fresh_variable(const Expr& op) {
  const Expr u = op.arg(0).is_var() ? op.arg(0) : var("u");
  std::vector<Expr> args(op.args().begin(), op.args().end());
  args[0] = u;
  return {make_op(op.op(), args), u};
}

std::string kink_sentence(const Expr& op, Convention c) {
  // "relu has a kink at u = 0; by the min_norm convention its slope there is 0."
  std::vector<Kink> ks = kinks(on_fresh_variable(op).first);
  if (ks.empty()) return "";
  auto [g, u] = on_fresh_variable(op);
  const std::string un = u.name();
  std::string points;
  for (const Kink& k : ks)
    points += (points.empty() ? "" : " and ") + to_text(k.lhs) + " = " + to_text(k.rhs);
  const Expr d = diff(g, un, c);
  std::string slopes;
  for (const Kink& k : ks) {
    if (!k.rhs.is_const()) continue;
    slopes += (slopes.empty() ? "" : ", ") + to_text(simplify(substitute(d, {{un, k.rhs}})));
  }
  std::string name(op_name(op.op()));
  if (ks.front().jump)
    return "(" + name + " jumps at " + points + "; its slope is 0 on both sides, so " + slopes +
           " is used there.)";
  return "(" + name + " has a kink at " + points + "; by the " + std::string(to_string(c)) +
         " convention its slope there is " + slopes + ".)";
}

/// An equation with the right side in 2-D, every line indented.
std::string pretty_formula(const std::string& lhs, const Expr& e, Charset cs, std::size_t indent) {
  std::string out(indent, ' ');
  for (char ch : pretty_equation(lhs, e, cs)) {
    out += ch;
    if (ch == '\n') out += std::string(indent, ' ');
  }
  return out;
}

}  // namespace

std::vector<Kink> kinks(const Expr& f) {
  std::vector<Kink> out;
  for (const Expr& n : topological_order(simplify(f))) {
    auto add = [&](const Expr& l, const Expr& r, bool jump) { out.push_back({n, l, r, jump}); };
    switch (n.op()) {
      case Op::Abs:
      case Op::Relu:
        add(n.arg(0), 0, false);
        break;
      case Op::LeakyRelu:
      case Op::Prelu:
      case Op::Elu:
        if (!n.arg(1).is_const(1)) add(n.arg(0), 0, false);  // alpha = 1: no kink
        break;
      case Op::Sign:
      case Op::Heaviside:
        add(n.arg(0), 0, true);
        break;
      case Op::Max:
      case Op::Min:
        if (n.arg(0).is_const())
          add(n.arg(1), n.arg(0), false);
        else
          add(n.arg(0), n.arg(1), false);
        break;
      case Op::Clamp:
      case Op::Hardtanh:
        for (const Expr& bound : {n.arg(1), n.arg(2)})
          if (!(bound.is_const() && std::isinf(bound.value()))) add(n.arg(0), bound, false);
        break;
      case Op::Relu6:
        add(n.arg(0), 0, false);
        add(n.arg(0), 6, false);
        break;
      case Op::Piecewise: {
        const Expr& c = n.arg(0);
        if (is_inequality(c.op()) || c.op() == Op::Eq)
          add(c.arg(0), c.arg(1), n.arg(1).is_const() && n.arg(2).is_const());
        break;
      }
      default:  // smooth ops and jumps in a condition have no kink of their own
        break;
    }
  }
  return out;
}

std::string kink_location(const Kink& k, std::string_view x) {
  const Expr t = k.lhs - k.rhs;
  const std::string equation = to_text(k.lhs) + " = " + to_text(k.rhs);
  const Expr slope = diff(t, x);
  if (!depends_on(t, x) || depends_on(slope, x) || slope.is_const(0)) return equation;
  const Expr at = simplify(-substitute(t, {{std::string(x), 0}}) / slope);
  const std::string solved = std::string(x) + " = " + to_text(at);
  const Expr xv = var(std::string(x));
  if ((k.lhs == xv || k.lhs == -xv) && k.rhs.is_const())
    return solved;                        // "x = 0", not "-x = 0, ..."
  if (solved == equation) return solved;  // "x = y", not "x = y, that is x = y"
  if (slope.is_const()) return equation + ", that is " + solved;
  return equation + ", that is " + solved + " (for " + to_text(slope) + " ≠ 0)";
}

namespace {

/// The note for one point of a function of x alone, from its exact one-sided analysis.
/// `formula`: the value the printed derivative takes at the point. The note gives the op-by-op
/// value grad and table give (k.local), and the formula's as well where the two differ: a factor
/// whose slope is exactly 0 drops an infinite one on the tape, the formula reads 0*inf.
std::string point_note(const std::string& where, const KinkPoint& k, Convention c, double formula,
                       const std::string& fn) {
  const double used = k.local_under(c);
  const bool same = used == formula || (std::isnan(used) && std::isnan(formula));
  const std::string as_printed =
      same ? "" : "\n(the formula as printed gives " + short_number(formula) + " there)";
  const double whole = k.side.whole(c);
  const std::string l = short_number(k.side.left), r = short_number(k.side.right);
  const std::string u = short_number(used), name(to_string(c));
  const bool same_as_whole = short_number(whole) == u;
  // Conventions are local: each op picks its own value, and together they can miss f's slopes.
  // Where every one gives the same value (x*heaviside(x) at 0: heaviside(0) is 0.5 whatever the
  // convention), none chose it.
  const bool every = std::all_of(k.local.begin(), k.local.end(), [&](double v) {
    return v == k.local.front() || (std::isnan(v) && std::isnan(k.local.front()));
  });
  const std::string whose = every ? "which every convention gives" : "the " + name + " convention";
  const std::string convention =
      same_as_whole ? whose
                    : whose + (every ? ", op by op" : " applied op by op") + "\n(whole:" + name +
                          ", applied to " + fn + " itself, gives " + short_number(whole) + ")";
  const bool outside =
      !std::isnan(used) && !std::isnan(k.side.left) && !std::isnan(k.side.right) &&
      (used < std::min(k.side.left, k.side.right) || used > std::max(k.side.left, k.side.right));
  const std::string trap =
      outside ? ";\n" + u + " lies outside the one-sided slopes: the composition trap" : "";
  const std::string head = "at " + where + ": ";
  if (!k.exact) {  // a double beside the kink: no op is on its kink there, no convention applies
    if (k.side.discontinuity() == Break::removable)  // where(x^2 == 2, 1, 0) at sqrt(2)
      return hang(head, fn + " has a removable gap: it is " + short_number(k.side.value) +
                            " at the kink itself, which no double reaches,\nand tends to " +
                            short_number(k.side.left_limit) + " from both sides (slope " + l +
                            " from the left, " + r + " from the right)");
    const std::string what = !k.side.continuous
                                 ? fn + " has " + std::string(describe(k.side.discontinuity()))
                             : k.side.differentiable() ? "differentiable"
                                                       : "not differentiable";
    return hang(head, what + " (slope " + l + " from the left, " + r +
                          " from the right);\nx is a double just beside the kink, where no "
                          "convention applies");
  }
  // Where f has no value, neither has f': say why, and what the printed formula gives there.
  const std::string printed =
      ";\nthe formula gives " + short_number(formula) + " there (" + name + ", op by op)";
  // f's way to one side: a limit, none (it oscillates), or no values there at all
  const auto tends = [](double limit, bool has_values, std::string_view side) {
    if (!std::isnan(limit))
      return fmt::format("tends to {} from the {}", short_number(limit), side);
    return has_values ? fmt::format("has no limit from the {} (it oscillates)", side)
                      : fmt::format("has no values to the {}", side);
  };
  const std::string left = tends(k.side.left_limit, k.side.has_left, "left"),
                    right = tends(k.side.right_limit, k.side.has_right, "right");
  const Break how = k.side.discontinuity();
  if (how == Break::pole)
    return hang(head, fn + " has a pole: it " + left + "\nand " + right +
                          ", so it has no value and no derivative there" + printed);
  if (how == Break::no_limit)
    return hang(head,
                fn + " " + left + " and " + right + ",\nso it has no derivative there" + printed);
  if (!std::isfinite(k.side.value)) {
    const std::string limits =
        k.side.left_limit == k.side.right_limit
            ? "it tends to " + short_number(k.side.left_limit) + " from both sides"
            : "it jumps from " + short_number(k.side.left_limit) + " to " +
                  short_number(k.side.right_limit);
    return hang(head, fn + " has no value here (its formula gives " + short_number(k.side.value) +
                          ");\n" + limits + ", but it has no derivative there" + printed);
  }
  if (k.side.has_left != k.side.has_right) {  // sqrt(x) at 0
    const bool left_only = !k.side.has_right;
    return hang(head,
                fmt::format("the edge of {}'s domain: {} has no value to the {}, and slope {} "
                            "to the {};\nno two-sided derivative (the formula gives {} there)",
                            fn, fn, left_only ? "right" : "left", left_only ? l : r,
                            left_only ? "left" : "right", short_number(formula)));
  }
  if (!k.side.continuous) {
    const std::string what = k.side.discontinuity() == Break::removable
                                 ? fn + " tends to " + short_number(k.side.left_limit) +
                                       " from both sides but is " + short_number(k.side.value) +
                                       " here (a removable gap)"
                                 : fn + " jumps from " + short_number(k.side.left_limit) + " to " +
                                       short_number(k.side.right_limit);
    return hang(head, what + ", so it has no derivative there\n(slope " + l + " from the left, " +
                          r + " from the right);\nusing " + u + ", " + convention + as_printed);
  }
  if (k.side.differentiable()) {
    if (u == l) return head + "differentiable (slope " + l + " from both sides)" + as_printed;
    return hang(head, "differentiable (slope " + l + " from both sides), but the " + name +
                          " convention applied op by op\ngives " + u +
                          ": conventions are local and cannot see the whole function\n(whole:" +
                          name + " gives " + l + ")" + as_printed);
  }
  const std::string slopes = k.side.vertical_tangent()
                                 ? "a vertical tangent, slope " + l + " from both sides"
                                 : "slope " + l + " from the left, " + r + " from the right";
  return hang(head, "not differentiable (" + slopes + ");\nusing " + u + ", " + convention + trap +
                        as_printed);
}

}  // namespace

std::vector<std::string> kink_notes(const Expr& f, std::string_view x, Convention c,
                                    std::string_view name) {
  const Expr fs = simplify(f);
  const auto vars = variables(fs);
  const bool only_x = vars.size() == 1 && vars[0] == x;
  std::vector<std::string> notes;
  if (only_x) {
    // Exact one-sided analysis at every kink (find_kinks), on [-10, 10] widened to take in
    // every kink an affine switch puts farther out; those keep their solved location text.
    // Only affine switches are solved (one memoized walk tells them from a deep chain's curved
    // ones); the location text is written only for the points a note shows.
    const std::vector<Kink> ks = kinks(fs);
    std::vector<std::pair<double, std::size_t>> solved;  // point, index in ks
    double lo = -10, hi = 10;
    detail::Affinity affinity(x);
    for (std::size_t i = 0; i < ks.size(); ++i) {
      const Expr t = ks[i].lhs - ks[i].rhs;
      if (affinity.of(t) != detail::Affinity::affine) continue;
      const Expr slope = diff(t, x);
      if (slope.is_const(0)) continue;
      const Expr point = simplify(-substitute(t, {{std::string(x), 0}}) / slope);
      if (!point.is_const() || !std::isfinite(point.value())) continue;
      solved.emplace_back(point.value(), i);
      lo = std::min(lo, point.value() - 1);
      hi = std::max(hi, point.value() + 1);
    }
    // A note per point reads well for a few; past that, `slope kinks` lists them all.
    constexpr std::size_t most_notes = 20;
    // Of f as given, not fs: the op-by-op values belong to the formula the notes explain, and
    // simplify can change them (x*piecewise(x > 0: 2, otherwise: 1) gives 1 at 0, not 1.5).
    // A variable f spells but fs lost (y - y) changes nothing; the tape still wants a value.
    Env lost;
    for (const std::string& v : variables(f))
      if (v != x) lost[v] = 0;
    const auto points = find_kinks(f, x, lost, lo, hi, most_notes + 1);
    const Expr derivative = diff(f, x, c);  // the formula the notes explain
    std::sort(solved.begin(), solved.end());
    for (std::size_t i = 0; i < std::min(points.size(), most_notes); ++i) {
      const KinkPoint& k = points[i];
      std::string where = std::string(x) + " = " + short_number(k.x);
      const auto it =
          std::lower_bound(solved.begin(), solved.end(), std::pair<double, std::size_t>{k.x, 0});
      if (it != solved.end() && it->first == k.x) where = kink_location(ks[it->second], x);
      notes.push_back(
          point_note(where, k, c, eval(derivative, {{std::string(x), k.x}}), std::string(name)));
    }
    if (points.size() > most_notes)
      notes.push_back(fmt::format(
          "... and more kinks after {} = {} on [{}, {}]: slope kinks lists "
          "them all",
          x, short_number(points[most_notes - 1].x), short_number(lo), short_number(hi)));
    return notes;
  }
  std::unordered_set<std::string> said;
  for (const Kink& k : kinks(fs)) {
    if (!depends_on(k.lhs - k.rhs, x)) continue;
    const std::string where = kink_location(k, x);
    if (!said.insert(where).second) continue;  // relu(x) - relu(-x): one point, one note
    std::string local;
    if (k.rhs.is_const() && k.op.size() >= 1 && k.lhs == k.op.arg(0)) {
      auto [g, u] = on_fresh_variable(k.op);
      local = "; its slope there is " +
              to_text(simplify(substitute(diff(g, u.name(), c), {{u.name(), k.rhs}}))) +
              " by the " + std::string(to_string(c)) + " convention";
    } else {
      local = "; the " + std::string(to_string(c)) + " convention sets the slope there";
    }
    notes.push_back(
        hang("where ", where + ":\n" + to_text(k.op) + " is not differentiable" + local));
  }
  return notes;
}

std::string derivative_of_text(const Expr& f, std::string_view x_view, int order) {
  const std::string x(x_view);
  return (order == 1 ? "d/d" + x : fmt::format("d^{}/d{}^{}", order, x, order)) + " " +
         operand_text(f);
}

std::string describe_derivative(const Expr& f, std::string_view x, Convention c, Charset charset) {
  return describe_derivative(f, x, c, charset, kink_notes(f, x, c));
}

std::string describe_derivative(const Expr& f, std::string_view x, Convention c, Charset charset,
                                std::span<const std::string> notes) {
  std::string out = pretty_formula(derivative_of_text(f, x), diff(f, x, c), charset, 0) + "\n";
  if (!notes.empty()) out += "\n";
  for (const std::string& n : notes) out += n + "\n";
  return out;
}

namespace {

/// For a function of x alone: each op's kink equation and its solutions on [-10, 10], e.g.
/// "relu(x^2 - 1) has its kink where x^2 - 1 = 0: x = -1 or x = 1." Empty if there are none.
std::string solve_kink_equations(const Expr& fs, const std::string& x) {
  const auto vars = variables(fs);
  if (vars.size() != 1 || vars[0] != x) return "";
  constexpr std::size_t most = 6;  // solutions named per equation
  const auto points = find_kinks(fs, x, {}, -10, 10, 200);
  std::string out;
  std::unordered_set<std::string> said;
  for (const Kink& k : kinks(fs)) {
    std::vector<std::string> xs;
    const Expr gap = k.lhs - k.rhs;
    for (const KinkPoint& p : points) {
      if (std::find(p.ops.begin(), p.ops.end(), k.op) == p.ops.end()) continue;
      // An op with two kinks (clamp at lo and at hi) lists each point under its own equation.
      const Env at{{x, p.x}};
      const double scale = 1 + std::abs(eval(k.lhs, at)) + std::abs(eval(k.rhs, at));
      if (std::abs(eval(gap, at)) <= 1e-9 * scale) xs.push_back(x + " = " + short_number(p.x));
    }
    if (xs.empty()) continue;
    if (k.lhs == var(x) && k.rhs.is_const()) continue;  // x = 0 needs no solving
    const std::string equation = to_text(k.lhs) + " = " + to_text(k.rhs);
    if (!said.insert(equation).second) continue;
    std::string list;
    for (std::size_t i = 0; i < std::min(xs.size(), most); ++i)
      list += (i == 0 ? "" : i + 1 == std::min(xs.size(), most) ? " or " : ", ") + xs[i];
    if (xs.size() > most) list += " and more";
    out += (out.empty() ? "" : " ") + to_text(k.op) + " has its kink where " + equation + ": " +
           list + (points.size() >= 200 ? " (on [-10, 10])." : ".");
  }
  return out;
}

}  // namespace

Derivation explain(const Expr& f, std::string_view x_view, Convention c) {
  const std::string x(x_view);
  const Expr derivative = diff(f, x, c);
  // Steps start from simplified f only when that leads to the same answer as `slope diff`: at
  // a kink, dropping an op can change which slope the convention picks (relu(abs(x)) under left).
  Expr fs = simplify(f);
  if (!(diff(fs, x, c) == derivative)) fs = f;
  Derivation d{f, x, c, {}, derivative, kink_notes(fs, x, c)};
  auto dx = [&](const Expr& e) { return derivative_of_text(e, x); };
  auto dx_latex = [&](const Expr& e) {
    return "\\frac{d}{d" + latex_of_name(x) + "}\\, " + operand_latex(e);
  };
  auto others = [&](const Expr& e) {
    std::string names;
    for (const std::string& v : variables(e))
      if (v != x) names += (names.empty() ? "" : " and ") + v;
    return names;
  };
  if (!(fs == f))
    d.steps.push_back({"Simplify first", "Some kinks can never be reached, or terms cancel.",
                       to_text(f), to_latex(f), fs, ""});

  if (fs.op() == Op::Add) {
    d.steps.push_back({"Sum rule",
                       "The derivative of a sum is the sum of the derivatives of its terms.", "",
                       "", 0, ""});
    for (const Expr& t : fs.args())
      d.steps.push_back({"Term", depends_on(t, x) ? "" : "It does not depend on " + x + ".", dx(t),
                         dx_latex(t), diff(t, x, c), ""});
  } else if (fs.op() == Op::Mul && fs.size() >= 2) {
    d.steps.push_back({"Product rule", "d(f*g) = f'*g + f*g': differentiate one factor at a time.",
                       "", "", 0, ""});
    for (const Expr& factor : fs.args())
      if (!factor.is_const())
        d.steps.push_back({"Factor", "", dx(factor), dx_latex(factor), diff(factor, x, c), ""});
  } else if (fs.op() == Op::Piecewise) {
    d.steps.push_back({"Branch by branch",
                       "Inside each branch the function is smooth: differentiate each value, keep "
                       "the conditions; "
                       "where a condition switches, the " +
                           std::string(to_string(c)) + " convention decides.",
                       "", "", 0, ""});
  } else if (fs.size() >= 1 && depends_on(fs.arg(0), x) && !fs.arg(0).is_var()) {
    const Expr& inner = fs.arg(0);
    auto [outer, u] = on_fresh_variable(fs);
    const std::string name(op_name(fs.op()));
    const std::string defined = is_activation(fs.op()) ? " = " + to_text(definition(outer)) : "";
    d.steps.push_back({"Outer function",
                       to_text(outer) + defined + " with u = " + to_text(inner) + ".",
                       "d/du " + to_text(outer), "\\frac{d}{du}\\, " + to_latex(outer),
                       diff(outer, "u", c), kink_sentence(fs, c)});
    d.steps.push_back({"Chain rule",
                       "d/d" + x + " " + to_text(outer) + " = " + name + "'(u) * du/d" + x + ".",
                       "", "", 0, ""});
    const std::string rest = others(inner);
    d.steps.push_back(
        {"Inner function",
         rest.empty() ? ""
                      : "(" + rest + (rest.find(" and ") != std::string::npos ? " do" : " does") +
                            " not depend on " + x + ".)",
         "du/d" + x + " = d/d" + x + " (" + to_text(inner) + ")",
         "\\frac{du}{d" + latex_of_name(x) + "} = \\frac{d}{d" + latex_of_name(x) + "}\\left(" +
             to_latex(inner) + "\\right)",
         diff(inner, x, c), ""});
  } else if (fs.size() >= 1) {
    const std::string name(op_name(fs.op()));
    const std::string defined =
        is_activation(fs.op()) ? to_text(fs) + " = " + to_text(definition(fs)) + "." : "";
    d.steps.push_back(
        {"Rule for " + name, defined, dx(fs), dx_latex(fs), d.derivative, kink_sentence(fs, c)});
  }
  if (d.steps.empty() || !(d.steps.back().result == d.derivative) || d.steps.back().lhs != dx(f))
    d.steps.push_back({"Put together and simplify", "", dx(f), dx_latex(f), d.derivative, ""});
  if (std::string solved = solve_kink_equations(fs, x); !solved.empty())
    d.steps.push_back({"Solve for the kinks", solved, "", "", Expr(0), ""});
  return d;
}

std::string render_text(const Derivation& d, Charset charset) {
  std::string out = "We want " + derivative_of_text(d.f, d.x) +
                    ". Derivatives at kinks follow the " + std::string(to_string(d.convention)) +
                    " convention.\n\n";
  for (std::size_t i = 0; i < d.steps.size(); ++i) {
    const Step& s = d.steps[i];
    const std::string number = std::to_string(i + 1) + ". ";
    out += number + s.rule + "." + (s.reason.empty() ? "" : " " + s.reason) + "\n";
    if (!s.lhs.empty()) out += pretty_formula(s.lhs, s.result, charset, number.size()) + "\n";
    if (!s.note.empty()) out += std::string(number.size(), ' ') + s.note + "\n";
  }
  if (!d.notes.empty()) out += "\n";
  for (const std::string& n : d.notes) out += hang("Kink ", n) + "\n";
  return out;
}

namespace {

/// The comment that opens every LaTeX output: what it shows and the convention at kinks.
std::string latex_comment(const std::string& what, Convention c) {
  std::string line = "% " + what + "; derivatives at kinks follow the " +
                     std::string(to_string(c)) + " convention";
  std::replace(line.begin(), line.end(), '\n', ' ');
  return line + "\n";
}

/// Prose as Markdown text that renders as written: line breaks folded, every character that
/// could start emphasis, code, a link, HTML or math escaped (CommonMark escapes any ASCII
/// punctuation with a backslash).
std::string markdown_text(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\n') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += ' ';
      while (i + 1 < s.size() && s[i + 1] == ' ') ++i;
      continue;
    }
    if (std::string_view("\\`*_[]<>#|~$!&").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

/// Inline math as GitHub writes it, $`...`$: the code span keeps the LaTeX verbatim in every
/// CommonMark renderer (no emphasis from *, no lost \\), and GitHub typesets it.
std::string markdown_math(const std::string& latex) { return "$`" + latex + "`$"; }

/// Display math as a fenced ```math block, indented to sit inside a list item.
std::string markdown_display(const std::string& latex, std::size_t indent) {
  const std::string pad(indent, ' ');
  std::string body = pad;
  for (char c : latex) {
    body += c;
    if (c == '\n') body += pad;
  }
  return pad + "```math\n" + body + "\n" + pad + "```\n";
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        else
          out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::string render_markdown(const Derivation& d) {
  std::string out =
      "We want " +
      markdown_math("\\frac{d}{d" + latex_of_name(d.x) + "}\\, " + operand_latex(d.f)) +
      ". Derivatives at kinks follow the **" + markdown_text(to_string(d.convention)) +
      "** convention.\n\n";
  for (std::size_t i = 0; i < d.steps.size(); ++i) {
    const Step& s = d.steps[i];
    const std::string number = std::to_string(i + 1) + ". ";
    out += number + "**" + markdown_text(s.rule) + ".**" +
           (s.reason.empty() ? "" : " " + markdown_text(s.reason)) + "\n";
    if (!s.lhs.empty())
      out += "\n" + markdown_display(s.lhs_latex + " = " + to_latex(s.result), number.size());
    if (!s.note.empty())
      out += "\n" + std::string(number.size(), ' ') + markdown_text(s.note) + "\n";
    if (i + 1 < d.steps.size() && (!s.lhs.empty() || !s.note.empty())) out += "\n";
  }
  if (!d.notes.empty()) out += "\n";
  for (const std::string& n : d.notes) out += "- Kink " + markdown_text(n) + "\n";
  return out;
}

std::string render_latex(const Derivation& d) {
  std::string out = latex_comment(derivative_of_text(d.f, d.x) + ", step by step", d.convention);
  out += "We want $\\frac{d}{d" + latex_of_name(d.x) + "}\\, " + operand_latex(d.f) +
         "$.\n\\begin{enumerate}\n";
  for (const Step& s : d.steps) {
    out += "  \\item \\textbf{" + detail::latex_text(s.rule) + ".}" +
           (s.reason.empty() ? "" : " " + detail::latex_text(s.reason));
    if (!s.lhs.empty()) out += "\n    \\[ " + s.lhs_latex + " = " + to_latex(s.result) + " \\]";
    if (!s.note.empty()) out += "\n    " + detail::latex_text(s.note);
    out += "\n";
  }
  out += "\\end{enumerate}\n";
  for (const std::string& n : d.notes)
    out += "\\noindent Kink " + detail::latex_text(n) + ".\\par\n";
  return out;
}

std::string render_json(const Derivation& d) {
  std::string out = "{\"expression\":" + json_string(to_text(d.f)) +
                    ",\"wrt\":" + json_string(d.x) +
                    ",\"convention\":" + json_string(to_string(d.convention)) + ",\"steps\":[";
  for (std::size_t i = 0; i < d.steps.size(); ++i) {
    const Step& s = d.steps[i];
    out += std::string(i ? "," : "") + "{\"rule\":" + json_string(s.rule) +
           ",\"reason\":" + json_string(s.reason);
    if (!s.lhs.empty())
      out += ",\"lhs\":" + json_string(s.lhs) + ",\"lhs_latex\":" + json_string(s.lhs_latex) +
             ",\"result\":" + json_string(to_text(s.result)) +
             ",\"result_latex\":" + json_string(to_latex(s.result));
    out += ",\"note\":" + json_string(s.note) + "}";
  }
  out += "],\"derivative\":" + json_string(to_text(d.derivative)) +
         ",\"derivative_latex\":" + json_string(to_latex(d.derivative)) + ",\"notes\":[";
  for (std::size_t i = 0; i < d.notes.size(); ++i)
    out += std::string(i ? "," : "") + json_string(d.notes[i]);
  return out + "]}\n";
}

std::string derivative_latex(const Expr& f, std::string_view x_view, Convention c, int order) {
  const std::string x(x_view), dx = latex_of_name(x);
  const std::string lhs = order == 1
                              ? "\\frac{d}{d" + dx + "}"
                              : fmt::format("\\frac{{d^{{{0}}}}}{{d{1}^{{{0}}}}}", order, dx);
  std::string out = latex_comment(derivative_of_text(f, x, order), c);
  out +=
      "\\[\n" + lhs + " " + operand_latex(f) + " =\n" + to_latex(diff(f, x, order, c)) + "\n\\]\n";
  return out;
}

std::string latex_document(std::string_view fragment) {
  return "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" +
         std::string(fragment) + "\\end{document}\n";
}

}  // namespace slope

// SPDX-License-Identifier: MIT
// The op table, row by row: the tape's numeric partials agree with the symbolic derivative under
// every convention, at random points and exactly at kinks, and match finite differences where
// the op is smooth. A new row gets this coverage automatically.
#include <algorithm>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "core/op_table.hpp"
#include "slope/slope.hpp"
#include "support/random.hpp"

using namespace slope;
using slope::testing::same_value;
namespace bdata = boost::unit_test::data;

namespace {

std::string arg_name(std::size_t i) { return "a" + std::to_string(i); }

/// Instances of an op to test: all-variable arguments, plus the variants with constants that
/// the kink rules treat differently (max(c, u), piecewise with a constant branch, ...).
std::vector<Expr> instances(Op op) {
  const OpSpelling& s = spelling(op);
  const int n = s.max_args < 0 ? 3 : s.max_args;
  std::vector<Expr> args;
  for (int i = 0; i < n; ++i) args.push_back(var(arg_name(i)));
  std::vector<Expr> out;
  if (op == Op::Piecewise) {
    for (Op cmp : {Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq}) {
      const Expr c = make_op(cmp, std::vector<Expr>{var("a0"), var("a1")});
      out.push_back(where(c, var("a2"), var("a3")));
      out.push_back(where(c, var("a2"), 0.5));
      out.push_back(where(c, -2, var("a3")));
    }
    out.push_back(where(logical_and(var("a0") > 0, var("a1") > 0), var("a2"), var("a3")));
    return out;
  }
  out.push_back(make_op(op, args));
  if (op == Op::Max || op == Op::Min) out.push_back(make_op(op, std::vector<Expr>{1.5, var("a1")}));
  if (op == Op::LeakyRelu || op == Op::Prelu || op == Op::Elu)
    out.push_back(make_op(op, std::vector<Expr>{var("a0"), 0.25}));
  if (op == Op::Clamp || op == Op::Hardtanh)
    out.push_back(
        make_op(op, std::vector<Expr>{var("a0"), -1, std::numeric_limits<double>::infinity()}));
  return out;
}

/// What the tape will hand a row: argument values, result, constness, the condition's sides.
std::vector<double> numeric_partials(const Expr& node, const Env& env, Convention conv) {
  std::vector<double> a;
  detail::Local in{.a = {}, .r = eval(node, env), .conv = conv};
  for (std::size_t i = 0; i < node.size(); ++i) {
    a.push_back(eval(node.arg(i), env));
    if (node.arg(i).is_const()) in.const_args |= 1U << i;
  }
  in.a = a;
  if (node.op() == Op::Piecewise && node.arg(0).size() == 2 && is_comparison(node.arg(0).op())) {
    in.cond_op = node.arg(0).op();
    in.cond_lhs = eval(node.arg(0).arg(0), env);
    in.cond_rhs = eval(node.arg(0).arg(1), env);
  }
  std::vector<double> out(node.size());
  detail::row(node.op()).local.partials(in, out);
  return out;
}

/// What the compiled tape gives for d node / d a_i, all arguments at once.
std::vector<double> tape_partials(const Expr& node, const Env& env, Convention conv) {
  std::vector<std::string> names;
  std::vector<double> point;
  for (std::size_t i = 0; i < 4; ++i) {
    names.push_back(arg_name(i));
    point.push_back(env.at(arg_name(i)));
  }
  Tape tape = Tape::compile(node, names, conv);
  tape.forward(point);
  tape.reverse(0);
  std::vector<double> out;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const auto at =
        std::find(names.begin(), names.end(), node.arg(i).is_var() ? node.arg(i).name() : "");
    out.push_back(at == names.end() ? 0.0 : tape.gradient()[at - names.begin()]);
  }
  return out;
}

/// A piecewise whose condition's sides are equal: its row gives the weights for crossing the
/// tie, but an argument that does not move the sides takes the selected branch (the tape's
/// tied_piecewise), so only the whole tape is comparable there.
bool condition_ties(const Expr& node, const Env& env) {
  return node.op() == Op::Piecewise && node.arg(0).size() == 2 && is_comparison(node.arg(0).op()) &&
         eval(node.arg(0).arg(0), env) == eval(node.arg(0).arg(1), env);
}

/// Points where the ops have kinks: arguments at 0, +-1, 6, and equal to each other.
std::vector<Env> points(testing::SplitMix& rng) {
  std::vector<Env> envs;
  const double special[] = {0, -1, 1, 6, 0.5, -0.25};
  for (int k = 0; k < 60; ++k) {
    Env e;
    for (int i = 0; i < 4; ++i) e[arg_name(i)] = 3 * rng.symmetric();
    if (k % 3 == 0) e["a0"] = special[rng.below(std::size(special))];
    if (k % 3 == 1) e["a1"] = e["a0"];
    if (k % 5 == 0) e["a2"] = e["a0"];
    envs.push_back(e);
  }
  return envs;
}

std::vector<Op> non_leaf_ops() {
  std::vector<Op> ops;
  for (int i = 0; i < op_count; ++i)
    if (static_cast<Op>(i) != Op::Const && static_cast<Op>(i) != Op::Variable)
      ops.push_back(static_cast<Op>(i));
  return ops;
}

}  // namespace

namespace slope {
std::ostream& operator<<(std::ostream& os, Op op) { return os << op_name(op); }
}  // namespace slope

BOOST_DATA_TEST_CASE(numeric_partials_equal_the_symbolic_derivative, bdata::make(non_leaf_ops()),
                     op) {
  testing::SplitMix rng(7 + static_cast<int>(op));
  for (const Expr& node : instances(op)) {
    for (const Env& env : points(rng)) {
      for (Convention conv : all_conventions) {
        const auto row = numeric_partials(node, env, conv);
        const auto tape = tape_partials(node, env, conv);
        const bool ties = condition_ties(node, env);
        for (std::size_t i = 0; i < node.size(); ++i) {
          if (!node.arg(i).is_var()) continue;
          const double symbolic = eval(diff(node, node.arg(i), conv), env);
          BOOST_TEST(same_value(tape[i], symbolic),
                     to_text(node) << " d/d" << node.arg(i).name() << " under " << to_string(conv)
                                   << " at a0=" << env.at("a0") << " a1=" << env.at("a1")
                                   << ": compiled tape " << tape[i] << ", diff " << symbolic);
          if (ties) continue;
          const double numeric = row[i];
          BOOST_TEST(same_value(numeric, symbolic),
                     to_text(node) << " d/d" << node.arg(i).name() << " under " << to_string(conv)
                                   << " at a0=" << env.at("a0") << " a1=" << env.at("a1")
                                   << ": row " << numeric << ", diff " << symbolic);
        }
      }
    }
  }
}

BOOST_DATA_TEST_CASE(partials_match_finite_differences_away_from_kinks, bdata::make(non_leaf_ops()),
                     op) {
  testing::SplitMix rng(99 + static_cast<int>(op));
  int checked = 0;
  for (const Expr& node : instances(op)) {
    for (int k = 0; k < 50; ++k) {
      Env env;
      for (int i = 0; i < 4; ++i) env[arg_name(i)] = 3 * rng.symmetric();
      const auto numeric = numeric_partials(node, env, Convention::min_norm);
      for (std::size_t i = 0; i < node.size(); ++i) {
        if (!node.arg(i).is_var()) continue;
        const std::string name = node.arg(i).name();
        const double fd = testing::central_difference(node, env, name, 1e-6);
        const double fd_wide = testing::central_difference(node, env, name, 1e-4);
        if (!std::isfinite(fd) || std::abs(fd - fd_wide) > 1e-4 * (1 + std::abs(fd)))
          continue;  // a kink is near
        ++checked;
        BOOST_TEST(numeric[i] == fd, boost::test_tools::tolerance(1e-6)
                                         << to_text(node) << " d/d" << name);
      }
    }
  }
  if (!is_comparison(op) && op != Op::And && op != Op::Or && op != Op::Not) BOOST_TEST(checked > 0);
}

BOOST_AUTO_TEST_CASE(every_op_has_a_spelling) {
  for (int i = 0; i < op_count; ++i) {
    const OpSpelling& s = spelling(static_cast<Op>(i));
    BOOST_TEST(!s.name.empty());
    BOOST_TEST(s.min_args <= (s.max_args < 0 ? 1000 : s.max_args));
  }
}

// ---- every row through every consumer -------------------------------------------------------
// One instance per row (its arguments the variables a0, a1, ...; defaults left to the row), walked
// through eval, diff, the compiled tape, the batched tape, the recorder, the text round trip,
// LaTeX, DOT and code generation. Derivatives are checked against Richardson-extrapolated central
// differences at random points off kinks: a truth independent of both diff and the tape.

namespace {

Expr row_instance(Op op) {
  if (op == Op::Piecewise) return where(var("a0") > var("a1"), var("a2"), var("a3"));
  const OpSpelling& s = spelling(op);
  const int n = s.max_args < 0 ? 2 : s.min_args;  // optional arguments take the row's defaults
  std::vector<Expr> args;
  for (int i = 0; i < n; ++i) args.push_back(var(arg_name(i)));
  return make_op(op, args);
}

/// Richardson extrapolation of central differences: error O(h^4), about 1e-10 here.
double derivative_by_differences(const Expr& f, Env env, const std::string& x, double h) {
  auto cd = [&](double step) {
    Env lo = env, hi = env;
    lo[x] -= step;
    hi[x] += step;
    return (eval(f, hi) - eval(f, lo)) / (2 * step);
  };
  return (4 * cd(h / 2) - cd(h)) / 3;
}

/// Ops whose domain needs positive arguments.
Env random_point(Op op, testing::SplitMix& rng) {
  Env env;
  for (int i = 0; i < 4; ++i) env[arg_name(i)] = 4 * rng.symmetric();
  if (op == Op::Log || op == Op::Sqrt || op == Op::Pow) env["a0"] = 0.2 + 3 * rng.uniform();
  return env;
}

/// The row on a tape of T against the double tape at the same point (rounded to T first, so only
/// the arithmetic differs): value and gradient within `tolerance` relative to 1 + |double|.
template <class T>
void agrees_in_precision(const Expr& f, BasicTape<T>& t, Tape& reference,
                         const std::vector<double>& point, double tolerance) {
  const std::vector<T> in(point.begin(), point.end());
  const std::vector<double> rounded(in.begin(), in.end());
  auto close = [&](double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return a == b || std::abs(a - b) <= tolerance * (1 + std::abs(b));
  };
  const double v = reference.forward(rounded)[0];
  reference.reverse();
  const double vt = static_cast<double>(t.forward(in)[0]);
  t.reverse();
  BOOST_TEST(close(vt, v),
             to_text(f) << " in " << sizeof(T) << "-byte numbers: " << vt << ", double " << v);
  for (std::size_t i = 0; i < rounded.size(); ++i) {
    const double g = static_cast<double>(t.gradient()[i]);
    BOOST_TEST(close(g, reference.gradient()[i]),
               to_text(f) << " d/da" << i << " in " << sizeof(T) << "-byte numbers: " << g
                          << ", double " << reference.gradient()[i]);
  }
}

}  // namespace

BOOST_DATA_TEST_CASE(every_row_walks_through_every_consumer, bdata::make(non_leaf_ops()), op) {
  const Expr f = row_instance(op);
  BOOST_TEST_REQUIRE(f.op() == op, "the instance keeps its op: " << to_text(f));
  const std::vector<std::string> names = variables(f);

  // Text round trip, LaTeX with balanced braces, DOT with one box per node, code in each language.
  BOOST_TEST(parse(to_text(f)) == f, to_text(f));
  const std::string latex = to_latex(f);
  BOOST_TEST(
      std::count(latex.begin(), latex.end(), '{') == std::count(latex.begin(), latex.end(), '}'),
      latex);
  const std::string dot = to_dot(f);
  std::size_t boxes = 0;
  for (std::size_t at = dot.find("[label="); at != std::string::npos;
       at = dot.find("[label=", at + 1))
    if (dot.compare(dot.rfind('\n', at) + 1, 3, "  n") == 0 &&
        dot.find("->", dot.rfind('\n', at)) > at)
      ++boxes;
  BOOST_TEST(boxes == node_count(f), dot);
  for (Language l : {Language::cpp, Language::python, Language::numpy}) {
    const std::string code = to_code(f, l);
    BOOST_TEST((code.find('?') == std::string::npos || l == Language::cpp), code);
    for (const std::string& v : names) BOOST_TEST(code.find(v) != std::string::npos, code);
  }

  // Values and derivatives at random points, off kinks.
  Tape tape = Tape::compile(f, names);
  // The row's float (and _Float16) functions, on tapes of their own.
  Tape reference = Tape::compile(f, names);
  FloatTape float_tape = FloatTape::compile(f, names);
#ifdef SLOPE_HAS_FLOAT16
  HalfTape half_tape = HalfTape::compile(f, names);
#endif
  int precision_points = 0;
  testing::SplitMix rng(1234 + static_cast<int>(op));
  int checked = 0;
  for (int k = 0; k < 40; ++k) {
    const Env env = random_point(op, rng);
    std::vector<double> in;
    for (const std::string& v : names) in.push_back(env.at(v));
    const double value = eval(f, env);
    BOOST_TEST(same_value(tape.forward(in)[0], value));
    tape.reverse();

    // Lower precisions, where no kink or jump is within 1e-2 (rounding could cross it).
    bool smooth = true;
    for (const std::string& v : names) {
      const double fd = derivative_by_differences(f, env, v, 1e-3);
      const double fd_wide = derivative_by_differences(f, env, v, 1e-2);
      smooth = smooth && std::isfinite(fd) && std::abs(fd - fd_wide) <= 1e-6 * (1 + std::abs(fd));
    }
    if (smooth) {
      ++precision_points;
      agrees_in_precision(f, float_tape, reference, in, 2e-6);
#ifdef SLOPE_HAS_FLOAT16
      agrees_in_precision(f, half_tape, reference, in, 8e-3);
#endif
    }

    // The recorder, through record(op, args) with the table's defaults.
    Tape recorded;
    std::vector<Var> vars;
    for (std::size_t i = 0; i < in.size(); ++i) vars.push_back(tape_input(recorded, in[i]));
    const Var y =
        op == Op::Piecewise ? where(vars[0] > vars[1], vars[2], vars[3]) : record(op, vars);
    BOOST_TEST(same_value(y.value(), value), to_text(f));
    backward(y);

    // The batched tape, at this point and a neighbour.
    std::vector<std::vector<double>> columns;
    for (double v : in) columns.push_back({v, v + 0.125});
    std::vector<std::span<const double>> inputs(columns.begin(), columns.end());
    std::vector<double> values(2);
    std::vector<std::vector<double>> grads(in.size(), std::vector<double>(2));
    std::vector<std::span<double>> grad_spans(grads.begin(), grads.end());
    tape.gradient_batch(inputs, 0, values, grad_spans);
    BOOST_TEST(same_value(values[0], value));

    for (std::size_t i = 0; i < names.size(); ++i) {
      const double symbolic = eval(diff(f, names[i]), env);
      BOOST_TEST(same_value(tape.gradient()[i], symbolic), to_text(f) << " d/d" << names[i]);
      BOOST_TEST(same_value(vars[i].grad(), symbolic), to_text(f) << " recorded d/d" << names[i]);
      BOOST_TEST(same_value(grads[i][0], symbolic), to_text(f) << " batch d/d" << names[i]);
      const double fd = derivative_by_differences(f, env, names[i], 1e-3);
      const double fd_wide = derivative_by_differences(f, env, names[i], 1e-2);
      if (!std::isfinite(fd) || std::abs(fd - fd_wide) > 1e-6 * (1 + std::abs(fd)))
        continue;  // a kink or jump is within reach of the stencil
      ++checked;
      BOOST_TEST(std::abs(symbolic - fd) <= 1e-7 * (1 + std::abs(fd)),
                 to_text(f) << " d/d" << names[i] << " at " << env.at("a0") << ": diff " << symbolic
                            << ", differences " << fd);
    }
  }
  if (!is_logical(op)) BOOST_TEST(checked > 0, to_text(f) << ": no point off its kinks");
  if (!is_logical(op)) BOOST_TEST(precision_points > 0, to_text(f) << ": no float comparison");
}

// The op table, row by row: the tape's numeric partials agree with the symbolic derivative under
// every convention, at random points and exactly at kinks, and match finite differences where
// the op is smooth. A new row gets this coverage automatically.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

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

/// Points where the ops have kinks: arguments at 0, +-1, 6, and equal to each other.
std::vector<Env> points(testing::SplitMix& rng) {
  std::vector<Env> envs;
  const double special[] = {0, -1, 1, 6, 0.5, -0.25};
  for (int k = 0; k < 60; ++k) {
    Env e;
    for (int i = 0; i < 4; ++i) e[arg_name(i)] = 3 * rng.sym();
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
        const auto numeric = numeric_partials(node, env, conv);
        for (std::size_t i = 0; i < node.size(); ++i) {
          if (!node.arg(i).is_var()) continue;
          const double symbolic = eval(diff(node, node.arg(i), conv), env);
          BOOST_TEST(same_value(numeric[i], symbolic),
                     to_text(node) << " d/d" << node.arg(i).name() << " under " << to_string(conv)
                                   << " at a0=" << env.at("a0") << " a1=" << env.at("a1")
                                   << ": tape " << numeric[i] << ", diff " << symbolic);
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
      for (int i = 0; i < 4; ++i) env[arg_name(i)] = 3 * rng.sym();
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

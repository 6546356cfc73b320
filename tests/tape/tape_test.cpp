// SPDX-License-Identifier: MIT
// The tape: compiled and recorded tapes against diff under every convention (at random points
// and exactly at kinks), recording vs compiling, to_expr, and W1 against hand backpropagation.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <map>
#include <unordered_map>

#include "slope/slope.hpp"
#include "support/mlp.hpp"
#include "support/random.hpp"
#include "support/tie_cases.hpp"
#include "support/touch_cases.hpp"
#include "support/undefined_cases.hpp"

using namespace slope;
using slope::testing::same_value;

namespace {
const Expr x = var("x"), y = var("y"), w = var("w"), b = var("b");
}

BOOST_AUTO_TEST_CASE(a_compiled_tape_gives_value_and_gradient) {
  Tape t = Tape::compile(relu(w * x + b));
  BOOST_TEST((t.inputs() == std::vector<std::string>{"w", "x", "b"}));
  const std::vector<double> in{2.0, 1.5, -1.0};
  BOOST_TEST(t.forward(in)[0] == 2.0);
  t.reverse();
  BOOST_TEST((std::vector<double>(t.gradient().begin(), t.gradient().end()) ==
              std::vector<double>{1.5, 2.0, 1.0}));
  // re-run on new inputs without rebuilding: now on the flat side of relu
  const std::vector<double> in2{2.0, -1.5, -1.0};
  BOOST_TEST(t.forward(in2)[0] == 0.0);
  t.reverse();
  BOOST_TEST((std::vector<double>(t.gradient().begin(), t.gradient().end()) ==
              std::vector<double>{0, 0, 0}));
  // w, x, b, the constant 1, w*x + b*1 as one dot instruction, relu
  BOOST_TEST(t.size() == 6U);
}

BOOST_AUTO_TEST_CASE(compile_fuses_products_only_a_sum_uses) {
  const Expr f = w * x + b * y + 3;
  Tape t = Tape::compile(f, {"w", "x", "b", "y"});
  BOOST_TEST(t.size() == 7U);  // four inputs, 3, 1, and one dot for the whole sum
  BOOST_TEST((t.to_expr() == f), to_text(t.to_expr()));
  // w*x is shared with the relu, so it stays an instruction of its own; b*y still fuses
  const Expr g = relu(w * x) + w * x * 1.5 + b * y;
  Tape u = Tape::compile(g, {"w", "x", "b", "y"});
  BOOST_TEST((u.to_expr() == g), to_text(u.to_expr()));
  const std::vector<double> in{2.0, -1.5, 0.5, 4.0};
  const Env env{{"w", 2.0}, {"x", -1.5}, {"b", 0.5}, {"y", 4.0}};
  BOOST_TEST(u.forward(in)[0] == eval(g, env));
  u.reverse();
  const std::vector<std::string> names{"w", "x", "b", "y"};
  for (std::size_t k = 0; k < names.size(); ++k)
    BOOST_TEST(u.gradient()[k] == eval(diff(g, names[k]), env), names[k]);
}

BOOST_AUTO_TEST_CASE(a_sum_with_a_temporary_product_records_one_instruction) {
  Tape fused, separate;
  const Var a = tape_input(fused, "a", 1.5), p = tape_input(fused, "p", -2.0),
            q = tape_input(fused, "q", 0.25);
  const Var s = a + p * q;  // the product is a temporary: a + p*q is one instruction
  BOOST_TEST(fused.size() == 4U);
  const Var a2 = tape_input(separate, "a", 1.5), p2 = tape_input(separate, "p", -2.0),
            q2 = tape_input(separate, "q", 0.25);
  const Var product = p2 * q2;  // a named product is kept: two instructions
  const Var s2 = a2 + product;
  BOOST_TEST(separate.size() == 5U);
  BOOST_TEST(s.value() == s2.value());
  backward(s);
  backward(s2);
  BOOST_TEST(a.grad() == a2.grad());
  BOOST_TEST(p.grad() == p2.grad());
  BOOST_TEST(q.grad() == q2.grad());
  BOOST_TEST(product.grad() == 1.0);
  // either order prints as written
  const Var t = p * q + a;
  fused.mark_output(s.index());
  fused.mark_output(t.index());
  BOOST_TEST(to_text(fused.to_expr(0)) == "a + p*q");
  BOOST_TEST(to_text(fused.to_expr(1)) == "p*q + a");
}

BOOST_AUTO_TEST_CASE(a_product_records_itself_wherever_a_var_is_needed) {
  Tape t;
  const Var a = tape_input(t, "a", 3.0), b = tape_input(t, "b", 4.0);
  auto lazy = a * b;  // a Product: nothing recorded yet
  BOOST_TEST(t.size() == 2U);
  BOOST_TEST(lazy.value() == 12.0);
  const Var twice = lazy + lazy;  // records a*b once, then (a*b) + a*b as one instruction
  BOOST_TEST(t.size() == 4U);
  const Var r = relu(a * b - 20.0);  // a Var argument: the product records itself
  const Var d = a - b;               // a + (-1)*b: the constant, then one instruction
  BOOST_TEST(twice.value() == 24.0);
  BOOST_TEST(r.value() == 0.0);
  BOOST_TEST(d.value() == -1.0);
  backward(twice);
  BOOST_TEST(a.grad() == 8.0);  // d/da 2ab
  BOOST_TEST(b.grad() == 6.0);
  Var acc = a;
  acc += a * b;  // += takes the product too
  BOOST_TEST(acc.value() == 15.0);
  Tape other;
  const Var c = tape_input(other, "c", 1.0);
  BOOST_CHECK_THROW(a + b * c, std::invalid_argument);
  BOOST_CHECK_THROW(Var(a * c), std::invalid_argument);
  BOOST_CHECK_THROW(Var(t, 1000), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(recording_reaches_inputs_created_after_other_instructions) {
  Tape t;
  const Var a = tape_input(t, "a", 3.0);
  const Var sq = a * a;                         // a computed instruction first
  const Var late = tape_input(t, "late", 2.0);  // then an input
  const Var out = relu(sq * late - 1.0);
  backward(out);
  BOOST_TEST(out.value() == 17.0);
  BOOST_TEST(a.grad() == 12.0);  // d/da (a^2 late - 1) = 2 a late
  BOOST_TEST(late.grad() == 9.0);
  // a Var is a place on the tape: it reads the values of a re-run
  t.mark_output(out.index());
  const std::vector<double> in{1.0, 0.5};
  BOOST_TEST(t.forward(in)[0] == 0.0);  // relu(1 * 0.5 - 1)
  BOOST_TEST(out.value() == 0.0);
  BOOST_TEST(sq.value() == 1.0);
}

BOOST_AUTO_TEST_CASE(compile_checks_its_inputs) {
  BOOST_CHECK_THROW(Tape::compile(x + y, {"x"}), std::invalid_argument);
  BOOST_CHECK_THROW(Tape::compile(x, {"x", "x"}), std::invalid_argument);
  Tape t = Tape::compile(x + y);
  const std::vector<double> one{1.0};
  BOOST_CHECK_THROW(t.forward(one), std::invalid_argument);
  BOOST_CHECK_THROW(t.reverse(3), std::out_of_range);
  Tape extra = Tape::compile(x, {"x", "unused"});
  const std::vector<double> two{3.0, 4.0};
  extra.forward(two);
  extra.reverse();
  BOOST_TEST(extra.gradient()[1] == 0.0);
}

BOOST_AUTO_TEST_CASE(compile_finds_each_of_many_inputs_in_the_order_given) {
  // f = sum of (k + 1) * v_k * v_k over 3,000 variables, inputs listed in reverse: each input's
  // gradient is 2 (k + 1) v_k, so a name paired with the wrong slot shows.
  constexpr int n = 3000;
  std::vector<Expr> terms;
  std::vector<std::string> names;
  for (int k = 0; k < n; ++k) {
    const Expr v = var("v" + std::to_string(k));
    terms.push_back((k + 1) * v * v);
  }
  for (int k = n - 1; k >= 0; --k) names.push_back("v" + std::to_string(k));
  Tape t = Tape::compile(make_op(Op::Add, terms), names);
  std::vector<double> in(n);
  for (int s = 0; s < n; ++s) in[s] = 0.5 + s;  // slot s holds v_{n-1-s}
  t.forward(in);
  t.reverse();
  BOOST_TEST(t.inputs() == names);
  for (int s = 0; s < n; ++s) BOOST_TEST(t.gradient()[s] == 2.0 * (n - s) * in[s]);
  names.push_back("v17");
  BOOST_CHECK_THROW(Tape::compile(make_op(Op::Add, terms), names), std::invalid_argument);
}

namespace {
/// Where f is differentiable in each variable at `at` (exact one-sided slopes equal, f
/// continuous), the tape's gradient is that slope: whether so checked (1) or not (0).
int tape_is_exact(const Expr& f, const Env& at, std::array<double, 2> gradient) {
  int checked = 0;
  for (std::size_t k = 0; k < 2; ++k) {
    const std::string name = k == 0 ? "x" : "y";
    const OneSided s = one_sided(f, name, at);
    if (!s.continuous || !std::isfinite(s.left) || s.left != s.right) continue;
    BOOST_TEST(std::abs(gradient[k] - s.left) <= 1e-9 * std::max(1.0, std::abs(s.left)),
               to_text(f) << " d/d" << name << " at (" << at.at("x") << ", " << at.at("y")
                          << "): tape " << gradient[k] << ", exact " << s.left);
    checked = 1;
  }
  return checked;
}
}  // namespace

BOOST_AUTO_TEST_CASE(tape_equals_diff_for_every_convention_at_random_points_and_at_kinks) {
  testing::RandomExpr gen(777);
  const double lattice[] = {-1, -0.5, 0, 0.5, 1};
  int compared = 0, on_kinks = 0, exact_ties = 0;
  for (int e = 0; e < 3000; ++e) {
    const Expr f = gen.make(3);
    for (Convention conv : all_conventions) {
      Tape t = Tape::compile(f, {"x", "y"}, conv);
      const Expr dfx = diff(f, "x", conv), dfy = diff(f, "y", conv);
      for (int k = 0; k < 4; ++k) {
        // half the points on a lattice where many kinks sit exactly (x = 0, x = y, x - 0.5 = 0)
        const bool lattice_point = k != 0;
        const double px = lattice_point ? lattice[gen.rng().below(5)] : 2 * gen.rng().symmetric();
        const double py = lattice_point ? lattice[gen.rng().below(5)] : 2 * gen.rng().symmetric();
        const Env at{{"x", px}, {"y", py}};
        const std::vector<double> in{px, py};
        const double value = t.forward(in)[0];
        if (!std::isfinite(value)) continue;
        t.reverse();
        const bool kink = testing::on_a_boundary(f, at);
        on_kinks += kink;
        ++compared;
        const double tx = t.gradient()[0], ty = t.gradient()[1];
        if (testing::tie_read_exactly(f, at)) {
          // diff's formula may read this tie otherwise: the tape is held to f's exact slope
          // where f is differentiable
          exact_ties += tape_is_exact(f, at, {tx, ty});
          continue;
        }
        const double sx = eval(dfx, at), sy = eval(dfy, at);
        // Under undefined, diff can report NaN where an exact zero weight elsewhere on the path
        // makes the tape's answer 0 (diff sees only structural zeros); never the other way.
        const bool undefined = conv == Convention::undefined;
        BOOST_TEST((same_value(tx, sx) || (undefined && std::isnan(sx))),
                   to_text(f) << " d/dx " << to_string(conv) << " at (" << px << ", " << py
                              << "): tape " << tx << ", diff " << sx);
        BOOST_TEST((same_value(ty, sy) || (undefined && std::isnan(sy))),
                   to_text(f) << " d/dy " << to_string(conv) << " at (" << px << ", " << py
                              << "): tape " << ty << ", diff " << sy);
      }
    }
  }
  BOOST_TEST(compared > 30000);
  BOOST_TEST(exact_ties > 20);  // ties of sides that jump or kink, where f is differentiable
  BOOST_TEST(on_kinks > 500);   // points exactly on a kink, where the conventions differ
}

namespace {
template <class T>
T network(const T& x, const T& y) {
  T h = relu(x * 2.0 + y) * sin(x) + max(x, y);
  return leaky_relu(h - 0.5) / (abs(y) + 1.0);
}
}  // namespace

namespace {
/// Records f with Var arithmetic at the given input Vars, the way ordinary C++ code would: sums
/// fold left, and a sum's two-factor products are written `s + a * b`, so they fuse.
Var record_expr(const Expr& f, const std::map<std::string, Var>& inputs, int& fused) {
  const Var& any = inputs.begin()->second;
  std::unordered_map<NodeId, Var> at;
  auto of = [&](const Expr& e) { return at.at(e.id()); };
  for (const Expr& n : topological_order(f)) {
    const auto args = n.args();
    if (n.is_const()) {
      at.emplace(n.id(), any.constant(n.value()));
    } else if (n.is_var()) {
      at.emplace(n.id(), inputs.at(n.name()));
    } else if (n.op() == Op::Add) {
      auto is_product = [](const Expr& t) { return t.op() == Op::Mul && t.args().size() == 2; };
      auto product = [&](const Expr& t) { return of(t.args()[0]) * of(t.args()[1]); };
      // s + x*y and x*y + t record one instruction each (written in the expression's order)
      const Expr &first = args[0], &second = args[1];
      Var s = is_product(first)
                  ? (is_product(second) ? product(first) + product(second)
                                        : product(first) + of(second))
                  : (is_product(second) ? of(first) + product(second) : of(first) + of(second));
      fused += is_product(first) || is_product(second);
      for (std::size_t k = 2; k < args.size(); ++k) {
        fused += is_product(args[k]);
        s = is_product(args[k]) ? s + product(args[k]) : s + of(args[k]);
      }
      at.emplace(n.id(), s);
    } else if (n.op() == Op::Mul) {
      Var p = of(args[0]);
      for (std::size_t k = 1; k < args.size(); ++k) p = p * of(args[k]);
      at.emplace(n.id(), p);
    } else if (args.size() == 1) {
      at.emplace(n.id(), record(n.op(), {of(args[0])}));
    } else if (args.size() == 2) {
      at.emplace(n.id(), record(n.op(), {of(args[0]), of(args[1])}));
    } else {
      BOOST_REQUIRE(args.size() == 3);
      at.emplace(n.id(), record(n.op(), {of(args[0]), of(args[1]), of(args[2])}));
    }
  }
  return of(f);
}
}  // namespace

BOOST_AUTO_TEST_CASE(recorded_random_expressions_match_compiled_tapes_and_diff) {
  // The recording front end, fused multiply-adds included, on the property-test expressions:
  // its values and gradients equal the compiled tape's, and so diff's, under every convention.
  testing::RandomExpr gen(4242);
  const double lattice[] = {-1, -0.5, 0, 0.5, 1};
  int compared = 0, fused = 0, printed_back = 0;
  for (int e = 0; e < 1500; ++e) {
    const Expr f = gen.make(3);
    for (Convention conv : all_conventions) {
      Tape compiled = Tape::compile(f, {"x", "y"}, conv);
      const bool lattice_point = e % 2 == 0;
      const double px = lattice_point ? lattice[gen.rng().below(5)] : 2 * gen.rng().symmetric();
      const double py = lattice_point ? lattice[gen.rng().below(5)] : 2 * gen.rng().symmetric();
      Tape recorded(conv);
      const Var vx = tape_input(recorded, "x", px), vy = tape_input(recorded, "y", py);
      const Var out = record_expr(f, {{"x", vx}, {"y", vy}}, fused);
      const std::vector<double> in{px, py};
      const double value = compiled.forward(in)[0];
      BOOST_TEST(same_value(out.value(), value), to_text(f));
      if (!std::isfinite(value)) continue;
      backward(out);
      compiled.reverse();
      BOOST_TEST(same_value(vx.grad(), compiled.gradient()[0]),
                 to_text(f) << " d/dx " << to_string(conv) << " at (" << px << ", " << py
                            << "): recorded " << vx.grad() << ", compiled "
                            << compiled.gradient()[0]);
      BOOST_TEST(same_value(vy.grad(), compiled.gradient()[1]),
                 to_text(f) << " d/dy " << to_string(conv) << " at (" << px << ", " << py
                            << "): recorded " << vy.grad() << ", compiled "
                            << compiled.gradient()[1]);
      recorded.mark_output(out.index());
      printed_back += recorded.to_expr() == f;  // what was recorded is the expression again
      ++compared;
    }
  }
  BOOST_TEST_MESSAGE(compared << " compared, " << fused << " fused, " << printed_back
                              << " printed back");
  BOOST_TEST(compared > 5000);
  BOOST_TEST(fused > 300);  // sums with products, recorded as fused instructions
  BOOST_TEST(printed_back == compared);
}

BOOST_AUTO_TEST_CASE(recorded_and_compiled_tapes_agree) {
  testing::SplitMix rng(5);
  for (int k = 0; k < 50; ++k) {
    const double px = k < 5 ? 0.0 : 2 * rng.symmetric(), py = k < 10 ? px : 2 * rng.symmetric();
    Tape recorded;
    const Var vx = tape_input(recorded, "x", px), vy = tape_input(recorded, "y", py);
    const Var out = network(vx, vy);
    backward(out);
    Tape compiled = Tape::compile(network(x, y), {"x", "y"});
    const std::vector<double> in{px, py};
    BOOST_TEST(compiled.forward(in)[0] == out.value());
    compiled.reverse();
    // the same sums, accumulated in a different order: equal to rounding
    BOOST_TEST(compiled.gradient()[0] == vx.grad(), boost::test_tools::tolerance(1e-14));
    BOOST_TEST(compiled.gradient()[1] == vy.grad(), boost::test_tools::tolerance(1e-14));
    recorded.mark_output(out.index());
    BOOST_TEST((recorded.to_expr() == network(x, y)), to_text(recorded.to_expr()));
  }
}

BOOST_AUTO_TEST_CASE(recording_with_a_current_tape) {
  Tape t;
  {
    Recording rec(t);
    Var a = input("a", -4.0), c = input("c", 2.0);
    Var z = relu(a * c + c * c * c);  // micrograd's first example: relu(-8 + 8) = relu(0)
    backward(z);
    BOOST_TEST(z.value() == 0.0);
    BOOST_TEST(a.grad() == 0.0);  // min_norm: slope 0 at the kink
    Var k(3.0);
    BOOST_TEST(k.value() == 3.0);
  }
  BOOST_CHECK_THROW(Var(1.0), std::logic_error);
  Tape other;
  const Var p = tape_input(t, "p", 1.0), q = tape_input(other, "q", 1.0);
  BOOST_CHECK_THROW(p + q, std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(the_convention_reaches_recorded_tapes) {
  for (Convention conv : all_conventions) {
    Tape t(conv);
    const Var v = tape_input(t, "x", 0.0);
    backward(relu(v));
    BOOST_TEST(same_value(v.grad(), eval(diff(relu(x), x, conv), {{"x", 0}})), to_string(conv));
  }
}

BOOST_AUTO_TEST_CASE(w1_recorded_gradient_equals_hand_backpropagation) {
  namespace w1 = testing::w1;
  const auto params = w1::parameters();
  const auto data = w1::data();
  Tape tape;
  std::vector<Var> p;
  std::vector<double> hand;
  double total = 0;
  int zeros_in_first = 0;
  for (int s = 0; s < w1::n_samples; ++s) {
    tape.clear();  // keeps its memory: re-recording allocates nothing once grown
    p.clear();
    for (int i = 0; i < w1::n_params; ++i) p.push_back(tape_input(tape, "p", params[i]));
    std::vector<Var> xs;
    for (int i = 0; i < w1::n_in; ++i) xs.push_back(p[0].constant(data[s].x[i]));
    const Var loss =
        w1::loss<Var>(p, xs, p[0].constant(data[s].target), [](const Var& z) { return relu(z); });
    backward(loss);
    w1::hand_gradient(params, data[s], hand);
    for (int i = 0; i < w1::n_params; ++i) {
      const double g = p[i].grad();
      total += g;
      if (s == 0 && g == 0.0) ++zeros_in_first;
      if (std::abs(g - hand[i]) > 1e-12 * std::max(1.0, std::abs(hand[i])))
        BOOST_ERROR("sample " << s << " parameter " << i << ": tape " << g << ", hand " << hand[i]);
    }
  }
  BOOST_TEST(fmt::format("{:.12e}", total) == "-6.833518508793e+02");  // the workload's check value
  BOOST_TEST(zeros_in_first == 3726);
}

BOOST_AUTO_TEST_CASE(batched_results_equal_scalar_results_element_by_element) {
  testing::RandomExpr gen(2024);
  const double lattice[] = {-1, -0.5, 0, 0.5, 1};
  std::size_t expected = 0;
  int checked = 0;
  for (int e = 0; e < 300; ++e) {
    // blocks hold 1,024 to 8,192 points: the first expressions span several of the largest
    const std::size_t n = e < 12 ? 20000 : 2500;
    expected += n;
    const Expr f =
        e < 3 ? std::vector<Expr>{relu(x), leaky_relu(x * y), relu(x) * leaky_relu(y, 0.2)}[e]
              : gen.make(3);
    const Convention conv = all_conventions[e % 5];
    Tape t = Tape::compile(f, {"x", "y"}, conv);
    std::vector<double> xs(n), ys(n), values(n), gx(n), gy(n), forward(n);
    for (std::size_t j = 0; j < n; ++j) {
      xs[j] = j % 3 ? 2 * gen.rng().symmetric() : lattice[gen.rng().below(5)];
      ys[j] = j % 3 ? 2 * gen.rng().symmetric() : lattice[gen.rng().below(5)];
    }
    const std::vector<std::span<const double>> in{xs, ys};
    t.gradient_batch(in, 0, values, std::vector<std::span<double>>{gx, gy});
    t.forward_batch(in, std::vector<std::span<double>>{forward});
    for (std::size_t j = 0; j < n; ++j) {
      const std::vector<double> p{xs[j], ys[j]};
      const double v = t.forward(p)[0];
      t.reverse();
      const bool same = same_value(values[j], v) && same_value(forward[j], v) &&
                        same_value(gx[j], t.gradient()[0]) && same_value(gy[j], t.gradient()[1]);
      if (!same)
        BOOST_ERROR(to_text(f) << " at (" << xs[j] << ", " << ys[j] << ") " << to_string(conv)
                               << ": batch " << values[j] << " " << gx[j] << " " << gy[j]
                               << ", scalar " << v << " " << t.gradient()[0] << " "
                               << t.gradient()[1]);
      ++checked;
    }
  }
  BOOST_TEST(checked == static_cast<int>(expected));
}

BOOST_AUTO_TEST_CASE(undefined_gives_fs_slope_where_f_has_one_scalar_and_batched) {
  for (const auto& c : testing::undefined_cases()) {
    Tape t = Tape::compile(parse(c.text), {"x"}, Convention::undefined);
    t.forward(std::vector<double>{c.x});
    t.reverse();
    BOOST_TEST(same_value(t.gradient()[0], c.slope), c << ": tape " << t.gradient()[0]);
    const std::vector<double> xs{c.x - 1, c.x, c.x + 1};
    std::vector<double> values(3), grads(3);
    t.gradient_batch(std::vector<std::span<const double>>{xs}, 0, values,
                     std::vector<std::span<double>>{grads});
    BOOST_TEST(same_value(grads[1], c.slope), c << ": batched " << grads[1]);
  }
}

// The tape reads the same rule as diff (symbolic/side.hpp, sides_part) at the point; the
// expected values are the hand-worked ones of touch_cases.hpp, in the scalar and batch paths.
BOOST_AUTO_TEST_CASE(sides_that_cross_at_a_higher_order_are_a_boundary_and_touching_ones_not) {
  for (const auto& c : testing::touch_cases()) {
    const Expr f = parse(c.text);
    const std::vector<std::string> names = variables(f);
    std::vector<double> point;
    std::size_t slot = 0;
    for (std::size_t s = 0; s < names.size(); ++s) {
      point.push_back(c.at.at(names[s]));
      if (names[s] == c.wrt) slot = s;
    }
    const double expected[] = {c.min_norm, c.left, c.right, c.average, c.undefined};
    for (std::size_t i = 0; i < std::size(all_conventions); ++i) {
      Tape t = Tape::compile(f, names, all_conventions[i]);
      t.forward(point);
      t.reverse();
      BOOST_TEST(same_value(t.gradient()[slot], expected[i]), c << " under "
                                                                << to_string(all_conventions[i])
                                                                << ": tape " << t.gradient()[slot]);
      std::vector<std::vector<double>> columns(names.size());
      for (std::size_t s = 0; s < names.size(); ++s)
        columns[s] = {point[s] - 1, point[s], point[s] + 0.5};
      std::vector<std::span<const double>> in(columns.begin(), columns.end());
      std::vector<double> values(3);
      std::vector<std::vector<double>> grads(names.size(), std::vector<double>(3));
      std::vector<std::span<double>> out(grads.begin(), grads.end());
      t.gradient_batch(in, 0, values, out);
      BOOST_TEST(same_value(grads[slot][1], expected[i]),
                 c << " under " << to_string(all_conventions[i]) << ": batched " << grads[slot][1]);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_condition_tied_on_a_whole_interval_takes_its_branch) {
  for (const auto& c : testing::tie_cases()) {
    const Expr f = parse(c.text);
    std::vector<std::string> names{"x", "y"};
    names.resize(c.slope.size());
    std::vector<double> point;
    for (const auto& n : names) point.push_back(c.at.at(n));
    for (Convention conv : all_conventions) {
      Tape t = Tape::compile(f, names, conv);
      t.forward(point);
      t.reverse();
      // the batch path: the tied point among ordinary ones, in a block of its own size
      const std::size_t n = 5;
      std::vector<std::vector<double>> columns(names.size());
      for (std::size_t s = 0; s < names.size(); ++s)
        for (std::size_t j = 0; j < n; ++j)
          columns[s].push_back(j == 2 ? point[s] : point[s] + 0.25 * j);
      std::vector<std::span<const double>> in(columns.begin(), columns.end());
      std::vector<double> values(n);
      std::vector<std::vector<double>> grads(names.size(), std::vector<double>(n));
      std::vector<std::span<double>> out(grads.begin(), grads.end());
      t.gradient_batch(in, 0, values, out);
      for (std::size_t s = 0; s < names.size(); ++s) {
        BOOST_TEST(t.gradient()[s] == c.slope[s],
                   c.text << " d/d" << names[s] << " under " << to_string(conv));
        BOOST_TEST(grads[s][2] == c.slope[s],
                   c.text << " batched d/d" << names[s] << " under " << to_string(conv));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_tie_whose_sides_jump_or_kink_is_read_on_each_side) {
  auto cases = testing::sides_tie_cases();
  // flatter than any power diff reads (a boundary): only the tape reads it at the point
  cases.push_back({"where(x^9 > 0, 2*x, 3*x)", 3, 2});
  for (const auto& c : cases) {
    const Expr f = parse(c.text);
    const OneSided exact = one_sided(f, "x", {{"x", c.at}});
    const bool differentiable = c.below == c.above;
    BOOST_TEST(exact.left == c.below, c.text);  // the hand-worked slopes hold
    BOOST_TEST(exact.right == c.above, c.text);
    for (Convention conv : all_conventions) {
      // where f is not differentiable, min_norm and undefined choose: only left and right are
      // the hand-worked sides
      if (!differentiable && conv != Convention::left && conv != Convention::right) continue;
      const double expected = conv == Convention::left ? c.below : c.above;
      Tape t = Tape::compile(f, {"x"}, conv);
      const std::vector<double> at{c.at};
      t.forward(at);
      t.reverse();
      BOOST_TEST(t.gradient()[0] == expected, c.text << " under " << to_string(conv));
      // batched, the tie among ordinary points
      const std::vector<double> column{c.at - 0.5, c.at, c.at + 0.75};
      const std::vector<std::span<const double>> in{column};
      std::vector<double> values(3), grad(3);
      const std::vector<std::span<double>> out{grad};
      t.gradient_batch(in, 0, values, out);
      BOOST_TEST(grad[1] == expected, c.text << " batched under " << to_string(conv));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_branch_with_no_weight_carries_nothing_not_even_an_infinite_slope) {
  // where(x > 0, sqrt(x), 0) at 0: min_norm and left put all the weight on the constant branch
  for (Convention c : {Convention::min_norm, Convention::left}) {
    Tape t = Tape::compile(parse("where(x > 0, sqrt(x), 0)"), {"x"}, c);
    t.forward(std::vector<double>{0.0});
    t.reverse();
    BOOST_TEST(t.gradient()[0] == 0.0, to_string(c));
  }
}

BOOST_AUTO_TEST_CASE(batched_gradients_of_inputs_and_unused_inputs) {
  // The output is an input itself; y is not used at all; a recorded x*x uses one row twice.
  Tape t = Tape::compile(x, {"x", "y"});
  std::vector<double> xs{-2, 0, 3}, ys{1, 1, 1}, values(3), gx(3, 7.0), gy(3, 7.0);
  const std::vector<std::span<const double>> in{xs, ys};
  t.gradient_batch(in, 0, values, std::vector<std::span<double>>{gx, gy});
  BOOST_TEST(values == xs, boost::test_tools::per_element());
  BOOST_TEST(gx == std::vector<double>(3, 1.0), boost::test_tools::per_element());
  BOOST_TEST(gy == std::vector<double>(3, 0.0), boost::test_tools::per_element());
  Tape r;
  const Var v = tape_input(r, "x", 0.0);
  r.mark_output(Var(v * v).index());
  std::vector<double> g(3);
  r.gradient_batch(std::vector<std::span<const double>>{xs}, 0, values,
                   std::vector<std::span<double>>{g});
  BOOST_TEST(values == (std::vector<double>{4, 0, 9}), boost::test_tools::per_element());
  BOOST_TEST(g == (std::vector<double>{-4, 0, 6}), boost::test_tools::per_element());
  // a recorded fused instruction: relu(x + x * 2) = relu(3x)
  r.mark_output(relu(v + v * 2.0).index());
  r.gradient_batch(std::vector<std::span<const double>>{xs}, 1, values,
                   std::vector<std::span<double>>{g});
  BOOST_TEST(values == (std::vector<double>{0, 0, 9}), boost::test_tools::per_element());
  BOOST_TEST(g == (std::vector<double>{0, 0, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(batched_calls_check_their_arrays) {
  Tape t = Tape::compile(x + y, {"x", "y"});
  std::vector<double> a(4), b(3), out(4);
  BOOST_CHECK_THROW(t.forward_batch(std::vector<std::span<const double>>{a, b},
                                    std::vector<std::span<double>>{out}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(
      t.forward_batch(std::vector<std::span<const double>>{a}, std::vector<std::span<double>>{out}),
      std::invalid_argument);
}

// ---- precisions: FloatTape and HalfTape (precision.hpp) ----------------------------------------

namespace {
/// Value and gradient of a tape in precision T at a point, as doubles.
template <class T>
std::vector<double> value_and_gradient(BasicTape<T>& t, const std::vector<double>& point) {
  std::vector<T> in(point.begin(), point.end());
  std::vector<double> out{static_cast<double>(t.forward(in)[0])};
  t.reverse();
  for (const T g : t.gradient()) out.push_back(static_cast<double>(g));
  return out;
}

/// Within `tolerance` relative to (1 + |reference|), NaN only where the reference is NaN.
bool near(double a, double reference, double tolerance) {
  if (std::isnan(a) || std::isnan(reference)) return std::isnan(a) && std::isnan(reference);
  if (std::isinf(a) || std::isinf(reference)) return a == reference;
  return std::abs(a - reference) <= tolerance * (1 + std::abs(reference));
}

/// Expressions with kinks where a grid of quarters puts points exactly: every kink argument
/// below is computed exactly in float and in _Float16 at those points.
std::vector<Expr> precision_cases() {
  return {relu(x * y - 0.75),
          abs(x - y),
          max(x, 2 * y),
          leaky_relu(x - 0.5, 0.125),
          hardtanh(x + y),
          clamp(x, -1, y),
          piecewise({{x > y, x * x}}, sin(y)),
          sigmoid(x) * relu(y),
          tanh(x - y) + exp(0.5 * y),
          elu(x) + relu6(3 * y),
          min(x, y) * softplus(x),
          log(1 + x * x) + hardswish(2 * y),
          gelu(x) - silu(y) * 2,
          relu(relu(x) - relu(y)) * relu(x + y - 1)};
}
}  // namespace

BOOST_AUTO_TEST_CASE(float_tapes_agree_with_double_tapes_and_diff_on_and_off_kinks) {
  // Every point of a grid of quarters in [-2, 2]^2, so many sit exactly on kinks, where the
  // convention's slope must come out in every precision: a side slope instead would be off by
  // O(1), far beyond the tolerances (float: 2e-6, _Float16: 8e-3, relative to 1 + |exact|).
  int compared = 0, on_kinks = 0;
  for (const Expr& f : precision_cases()) {
    for (Convention conv : all_conventions) {
      Tape td = Tape::compile(f, {"x", "y"}, conv);
      FloatTape tf = FloatTape::compile(f, {"x", "y"}, conv);
#ifdef SLOPE_HAS_FLOAT16
      HalfTape th = HalfTape::compile(f, {"x", "y"}, conv);
#endif
      const Expr dfx = diff(f, "x", conv), dfy = diff(f, "y", conv);
      for (int i = -8; i <= 8; ++i)
        for (int j = -8; j <= 8; ++j) {
          const std::vector<double> p{i / 4.0, j / 4.0};
          const Env at{{"x", p[0]}, {"y", p[1]}};
          const std::vector<double> exact{eval(f, at), eval(dfx, at), eval(dfy, at)};
          const auto d = value_and_gradient(td, p);
          const auto s = value_and_gradient(tf, p);
          on_kinks += testing::on_a_boundary(f, at);
          ++compared;
          // Under undefined, diff can report NaN where an exact zero weight elsewhere on the
          // path makes the tape's answer 0 (as in the test above): then the double tape's.
          std::vector<double> reference = exact;
          for (std::size_t k = 1; k < 3; ++k)
            if (conv == Convention::undefined && std::isnan(exact[k])) reference[k] = d[k];
          for (std::size_t k = 0; k < 3; ++k) {
            const char* what = k == 0 ? "value" : (k == 1 ? "d/dx" : "d/dy");
            BOOST_TEST(near(s[k], d[k], 2e-6),
                       to_text(f) << " " << what << " " << to_string(conv) << " at (" << p[0]
                                  << ", " << p[1] << "): float " << s[k] << ", double " << d[k]);
            BOOST_TEST(near(s[k], reference[k], 2e-6),
                       to_text(f) << " " << what << " " << to_string(conv) << ": float " << s[k]
                                  << ", eval(diff) " << exact[k]);
#ifdef SLOPE_HAS_FLOAT16
            const auto h = value_and_gradient(th, p);
            BOOST_TEST(near(h[k], reference[k], 8e-3),
                       to_text(f) << " " << what << " " << to_string(conv) << " at (" << p[0]
                                  << ", " << p[1] << "): half " << h[k] << ", eval(diff) "
                                  << exact[k]);
#endif
          }
        }
    }
  }
  BOOST_TEST(compared == 14 * 5 * 17 * 17);
  BOOST_TEST(on_kinks > 100);  // points exactly on a kink (of the 4,913 per convention)
}

BOOST_AUTO_TEST_CASE(each_precision_rounds_every_operation_in_its_own_type) {
  // a + x*y with x = y = 1 + e: x*y = 1 + 2e + e^2, and e^2 is lost when the product is rounded
  // to the tape's type before the sum, as it must be (no fused multiply-add, no wider type).
  const Expr f = var("a") + var("p") * var("q");
  const double e = std::ldexp(1.0, -12);  // float keeps 2e, loses e^2 = 2^-24 (a tie, to even)
  const std::vector<double> point{-1.0, 1 + e, 1 + e};
  Tape td = Tape::compile(f, {"a", "p", "q"});
  FloatTape tf = FloatTape::compile(f, {"a", "p", "q"});
  BOOST_TEST(value_and_gradient(td, point)[0] == 2 * e + e * e);
  BOOST_TEST(value_and_gradient(tf, point)[0] == 2 * e);
  // the recorded fused instruction rounds the same way
  FloatTape r;
  const FloatVar a = tape_input(r, "a", -1.0f), p = tape_input(r, "p", 1.0f + float(e)),
                 q = tape_input(r, "q", 1.0f + float(e));
  BOOST_TEST(static_cast<double>(FloatVar(a + p * q).value()) == 2 * e);
#ifdef SLOPE_HAS_FLOAT16
  // _Float16: x = y = 1 + 2^-6, x*y = 1 + 2^-5 + 2^-12 rounds to 1 + 2^-5 (11 bits)
  const double h = std::ldexp(1.0, -6);
  HalfTape th = HalfTape::compile(f, {"a", "p", "q"});
  BOOST_TEST(value_and_gradient(th, {-1.0, 1 + h, 1 + h})[0] == 2 * h);
  BOOST_TEST(value_and_gradient(td, {-1.0, 1 + h, 1 + h})[0] == 2 * h + h * h);
#endif
}

BOOST_AUTO_TEST_CASE(compiled_constants_are_rounded_to_the_tape_type) {
  // 0.1 is not a float: the float tape's slope below the kink is float(0.1)
  const Expr f = leaky_relu(x, 0.1);
  FloatTape t = FloatTape::compile(f, {"x"});
  const auto below = value_and_gradient(t, {-2.0});
  BOOST_TEST(below[0] == static_cast<double>(-2.0f * 0.1f));
  BOOST_TEST(below[1] == static_cast<double>(0.1f));
  BOOST_TEST(t.bytes() < Tape::compile(f, {"x"}).bytes());  // 4-byte values
  BOOST_TEST(t.adjoint_bytes() == t.size() * sizeof(float));
  // to_expr gives the rounded constant back
  BOOST_TEST((t.to_expr() == leaky_relu(x, static_cast<double>(0.1f))), to_text(t.to_expr()));
}

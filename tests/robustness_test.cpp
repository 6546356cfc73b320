// SPDX-License-Identifier: MIT
// Robustness across modules: million-deep graphs through every algorithm, non-finite numbers,
// and several threads building expressions and running tapes at once.
#include <boost/test/unit_test.hpp>
#include <limits>
#include <thread>

#include "slope/slope.hpp"
#include "support/random.hpp"

using namespace slope;

namespace {
const Expr x = var("x"), y = var("y");
// Under AddressSanitizer (a few times slower, with larger frames) a quarter of the depth still
// overflows any recursive walk many times over; the plain build runs the full million.
#if defined(__SANITIZE_ADDRESS__)
constexpr int deep = 250'000;
#else
constexpr int deep = 1'000'000;
#endif
}  // namespace

BOOST_AUTO_TEST_CASE(a_million_deep_graph_through_every_algorithm) {
  // relu(... relu(relu(x) * 0.5 + y) * 0.5 + y ...): nothing folds, every layer stays.
  Expr f = x;
  for (int i = 0; i < deep; ++i) f = relu(f * 0.5 + y);
  BOOST_TEST(node_count(f) == 3U * deep + 3U);  // x, y, 0.5 and 3 nodes per layer
  const std::string text = to_text(f);          // print
  BOOST_TEST(text.size() > 10U * deep);
  // cut every 100 levels into named parts, so that the text reads back (the parser nests 500)
  BOOST_TEST(text.rfind("u1() = ", 0) == 0U, text.substr(0, 80));
  BOOST_TEST(text.substr(text.rfind("; ") + 2).rfind("relu(0.5*relu(", 0) == 0U);
  std::size_t open = 0, deepest = 0;
  for (const char c : text) {
    if (c == '(') deepest = std::max(deepest, ++open);
    if (c == ')') --open;
  }
  BOOST_TEST(deepest <= 200U);
  const std::string latex = to_latex(f);  // LaTeX: the same explicit-stack emitter
  BOOST_TEST(latex.size() > 20U * deep);
  BOOST_TEST(latex.rfind("\\begin{aligned}", 0) == 0U, latex.substr(0, 80));
  BOOST_TEST(to_pretty(f) == text);  // no piecewise: the 2-D printer prints one line
  const Env at{{"x", 0.75}, {"y", -0.25}};
  const double value = eval(f, at);  // evaluate
  BOOST_TEST(std::isfinite(value));
  const Expr df = diff(f, "x");              // diff (and simplify, which diff runs)
  Tape tape = Tape::compile(f, {"x", "y"});  // compile
  const std::vector<double> in{0.75, -0.25};
  BOOST_TEST(tape.forward(in)[0] == value);
  tape.reverse();
  BOOST_TEST(tape.gradient()[0] == eval(df, at));
  BOOST_TEST(to_dot(relu(x)).find("[label=\"relu\"]") != std::string::npos);
  BOOST_TEST(simplify(f).size() >= 1U);  // simplify on its own
  BOOST_TEST((parse(to_text(relu(relu(x) * 0.5 + y))) == relu(relu(x) * 0.5 + y)));
}  // destroy: the chain and its derivative are freed iteratively here

BOOST_AUTO_TEST_CASE(non_finite_numbers_flow_without_crashing) {
  const double inf = std::numeric_limits<double>::infinity(),
               nan = std::numeric_limits<double>::quiet_NaN();
  const Expr f = relu(x) * log(y) + sqrt(x - y) / (x - 1);
  for (double vx : {0.0, 1.0, -1.0, inf, -inf, nan})
    for (double vy : {0.0, -1.0, 2.0, inf, nan}) {
      const Env at{{"x", vx}, {"y", vy}};
      const double v = eval(f, at);
      Tape t = Tape::compile(f, {"x", "y"});
      const std::vector<double> in{vx, vy};
      BOOST_TEST(testing::same_value(t.forward(in)[0], v));
      t.reverse();  // gradients may be NaN or infinite; they must not crash or hang
      const GradientCheck check = check_gradient(f, at);
      BOOST_TEST(check.entries.size() == 2U);
      BOOST_TEST(!to_text(diff(f, "x")).empty());
    }
  BOOST_TEST(eval(Expr(1) / x, {{"x", 0}}) == inf);
  BOOST_TEST(eval(log(x), {{"x", 0}}) == -inf);
  BOOST_TEST(std::isnan(eval(sqrt(x), {{"x", -1}})));
}

BOOST_AUTO_TEST_CASE(threads_build_expressions_and_run_tapes_like_one_thread) {
  // The same random expressions on 4 threads at once, each with its own tapes, against a
  // single-threaded reference: equal texts, derivatives and gradients.
  auto work = [](std::uint64_t seed, std::vector<std::string>& texts, std::vector<double>& grads) {
    testing::RandomExpr gen(seed);
    for (int i = 0; i < 300; ++i) {
      const Expr f = gen.make(4);
      texts.push_back(to_text(f) + " | " + to_text(diff(f, "x")));
      Tape t = Tape::compile(f, {"x", "y"});
      const std::vector<double> in{0.3, -0.7};
      t.forward(in);
      t.reverse();
      grads.push_back(t.gradient()[0]);
      Tape recorded;
      const Var vx = tape_input(recorded, "x", 0.3);
      backward(relu(vx * 2.0 + 1.0) * sin(vx));
      grads.push_back(vx.grad());
    }
  };
  std::vector<std::string> ref_texts;
  std::vector<double> ref_grads;
  work(99, ref_texts, ref_grads);
  std::vector<std::vector<std::string>> texts(4);
  std::vector<std::vector<double>> grads(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back(work, 99, std::ref(texts[t]), std::ref(grads[t]));
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) {
    BOOST_TEST(texts[t] == ref_texts);
    BOOST_REQUIRE(grads[t].size() == ref_grads.size());
    for (std::size_t i = 0; i < ref_grads.size(); ++i)
      BOOST_TEST(testing::same_value(grads[t][i], ref_grads[i]));
  }
}

BOOST_AUTO_TEST_CASE(deeply_nested_piecewise_prints_without_exhausting_the_stack) {
  // 100,000 cases nested in each other's first branch: far beyond what a 2-D layout can show
  // (or a recursive printer survive), so to_pretty prints the one-line form; LaTeX nests them.
  Expr g = y;
  for (int i = 0; i < 100'000; ++i) g = where(x > i, g * 0.5 + y, -1.0);
  const std::string pretty = to_pretty(g);
  BOOST_TEST(pretty == to_text(g));
  BOOST_TEST(
      pretty.substr(pretty.rfind("; ") + 2).rfind("piecewise(x > 99999: 0.5*piecewise(", 0) ==
      0U);  // after the parts named to keep the nesting readable back
  BOOST_TEST(pretty_equation("g", g) == "g = " + pretty);
  const std::string latex = to_latex(g);
  BOOST_TEST(latex.rfind("\\begin{aligned}", 0) == 0U);  // named parts, as the text's
  BOOST_TEST(latex.find("\\begin{cases} 0.5 \\left(\\begin{cases}") != std::string::npos);
  BOOST_TEST(latex.size() > 80U * 100'000);
  // a few levels still get the 2-D layout
  Expr small = y;
  for (int i = 0; i < 3; ++i) small = where(x > i, small * 0.5 + y, -1.0);
  BOOST_TEST(to_pretty(small).find('\n') != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_ten_megabyte_input_is_handled) {
  std::string big = "x";
  big.reserve(10'000'000);
  while (big.size() < 9'999'990) big += " + x*y";
  const Expr e = parse(big);
  BOOST_TEST((e.op() == Op::Add || e.op() == Op::Mul));
  BOOST_CHECK_THROW(parse(big + std::string(20, ' ')), ParseError);  // over the 10,000,000 limit
}

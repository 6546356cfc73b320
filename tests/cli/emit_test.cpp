// SPDX-License-Identifier: MIT
// slope emit through the built executable. What the code computes is proven by running it
// (tests/text/codegen_test.cpp); here, that the command hands the language, the convention and
// --grad to emit, and refuses what it cannot do.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdio>

#include "cli/run_slope.hpp"
#include "slope/slope.hpp"
#include "support/chain_text.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(emit_code_is_the_library_emit) {
  using slope::Language;
  const slope::Expr f = slope::parse("relu(w*x + b)");
  for (Language l : {Language::cpp, Language::python, Language::numpy})
    BOOST_TEST(run_slope({"emit", "relu(w*x + b)", "--lang", std::string(slope::language_name(l)),
                          "--grad", "--convention", "right"})
                       .out == emit(f, l, true, slope::Convention::right),
               slope::language_name(l));
  // torch's code always has the derivative (its autograd backward)
  BOOST_TEST(run_slope({"emit", "relu(w*x + b)", "--lang", "torch", "--convention", "right"}).out ==
             emit(f, Language::torch, true, slope::Convention::right));
  BOOST_TEST(run_slope({"emit", "relu(x)"}).out ==
             emit(slope::parse("relu(x)"), Language::numpy, false));
}

BOOST_AUTO_TEST_CASE(emit_refuses_what_it_cannot_do) {
  BOOST_TEST(run_slope({"emit", "relu(x)", "--lang", "fortran"}).status == 2);
  // --grad would add nothing to torch's code: refused, not silently ignored
  const Run torch_grad = run_slope({"emit", "relu(x)", "--lang", "torch", "--grad"});
  BOOST_TEST(torch_grad.status == 2);
  BOOST_TEST(torch_grad.out.empty());
  BOOST_TEST(torch_grad.err ==
             "slope: --grad does not go with --lang torch: its code always has the derivative "
             "(f_gradient, the autograd backward); drop --grad\n");
  const Run constant = run_slope({"emit", "2 + 3", "--lang", "torch"});
  BOOST_TEST(constant.status == 1);
  BOOST_TEST(constant.err.find("no variables") != std::string::npos, constant.err);
}

BOOST_AUTO_TEST_CASE(a_160000_deep_chain_emits_code_that_runs) {
  // relu(x*1.00001 + 0.0001) nested 160,000 deep: the printer once recursed per level (SIGSEGV).
  // The emitted Python is run, and its f and df/dx compared with the chain multiplied out here.
  double v = 0.3, d = 1;
  for (int i = 0; i < 160000; ++i) {
    v = v * 1.00001 + 0.0001;
    d *= 1.00001;
  }
  const auto code = scratch() / "chain160000.py";
  const Run r =
      run_slope({"emit", "-", "--lang", "python", "--grad", "--out", code.string()},
                slope::testing::nested_chain("relu(x*1.00001 + 0.0001)", {20, 20, 20, 20}));
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  const Run py = shell("python3 -c " +
                       shell_quote("import runpy, sys; ns = runpy.run_path(sys.argv[1]); "
                                   "print(ns['f'](0.3).hex(), ns['df_dx'](0.3).hex())") +
                       " " + shell_quote(code.string()));
  BOOST_TEST_REQUIRE(py.status == 0, py.err);
  double f = 0, df = 0;
  char fs[64], dfs[64];
  BOOST_TEST_REQUIRE(std::sscanf(py.out.c_str(), "%63s %63s", fs, dfs) == 2);
  f = std::strtod(fs, nullptr);
  df = std::strtod(dfs, nullptr);
  BOOST_TEST(f == v, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(df == d, boost::test_tools::tolerance(1e-9));
}

// SPDX-License-Identifier: MIT
// slope emit through the built executable. What the code computes is proven by running it
// (tests/text/codegen_test.cpp); here, that the command hands the language, the convention and
// --grad to emit, and refuses what it cannot do.
#include <boost/test/unit_test.hpp>

#include "cli/run_slope.hpp"
#include "slope/slope.hpp"

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

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
  for (Language l : {Language::cpp, Language::python, Language::numpy, Language::torch})
    BOOST_TEST(run_slope({"emit", "relu(w*x + b)", "--lang", std::string(slope::language_name(l)),
                          "--grad", "--convention", "right"})
                       .out == emit(f, l, true, slope::Convention::right),
               slope::language_name(l));
  BOOST_TEST(run_slope({"emit", "relu(x)"}).out ==
             emit(slope::parse("relu(x)"), Language::numpy, false));
}

BOOST_AUTO_TEST_CASE(emit_refuses_what_it_cannot_do) {
  BOOST_TEST(run_slope({"emit", "relu(x)", "--lang", "fortran"}).status == 2);
  const Run constant = run_slope({"emit", "2 + 3", "--lang", "torch"});
  BOOST_TEST(constant.status == 1);
  BOOST_TEST(constant.err.find("no variables") != std::string::npos, constant.err);
}

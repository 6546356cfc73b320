// SPDX-License-Identifier: MIT
// slope._slope, the compiled half of the Python package (python/slope/__init__.py is the rest).
#include <slope/version.hpp>

#include "bindings.hpp"

PYBIND11_MODULE(_slope, m) {
  using namespace slope::python;
  m.doc() = "slope's C++ library; import slope, not this module.";
  m.attr("__version__") = SLOPE_VERSION_STRING;
  bind_errors(m);
  bind_expr(m);
  bind_ops(m);
  bind_arrays(m);
  bind_learn(m);
}

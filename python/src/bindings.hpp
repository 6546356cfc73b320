// SPDX-License-Identifier: MIT
// What the binding files of the Python module share: argument conversions and the parts' entry
// points (each file binds one part of the library).
#pragma once

#include <pybind11/pybind11.h>

#include <slope/convention.hpp>
#include <slope/eval.hpp>
#include <slope/expr.hpp>
#include <string>

namespace slope::python {

namespace py = pybind11;

/// A convention given as a name ("min_norm", "left", ...) or as slope.Convention.
Convention to_convention(const py::handle& value);
/// A convention for a gradient at points: a name, a slope.Convention, or "whole:NAME" (the
/// convention applied to f itself where an op sits on its kink, as `slope grad` does).
struct GradientConvention {
  Convention convention;
  bool whole;
};
GradientConvention to_gradient_convention(const py::handle& value);
/// A variable given as an Expr (slope.var("x")) or as its name.
std::string to_variable_name(const py::handle& value);
/// A number or an expression, as an Expr (numbers become constants).
Expr to_expr(const py::handle& value);
/// Bindings from an optional mapping (keys: names or variables) and keyword arguments, in the
/// order given; each name once.
std::vector<std::pair<std::string, py::object>> collect_bindings(const py::object& mapping,
                                                                 const py::kwargs& kwargs);

void bind_errors(py::module_& m);
void bind_expr(py::module_& m);
void bind_ops(py::module_& m);
void bind_arrays(py::module_& m);
void bind_learn(py::module_& m);

}  // namespace slope::python

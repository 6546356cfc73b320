// SPDX-License-Identifier: MIT
// The functions of the op table (relu, max, clamp, ...), read from the table itself so a new row
// is a new Python function; piecewise, where, the logic functions, and differentiation.
#include <pybind11/stl.h>

#include <slope/build.hpp>
#include <slope/diff.hpp>
#include <slope/parse.hpp>
#include <slope/print.hpp>

#include "bindings.hpp"

namespace slope::python {
namespace {

/// The ops a learner calls by name, as the parser knows them; piecewise has its own form.
std::optional<Op> function_op(std::string_view name) {
  for (int i = 0; i < op_count; ++i) {
    const auto op = static_cast<Op>(i);
    if (op == Op::Piecewise || op == Op::Const || op == Op::Variable) continue;
    const OpSpelling& s = spelling(op);
    if (s.name == name && s.symbol.empty()) return op;
  }
  return std::nullopt;
}

Expr apply(const std::string& name, const std::vector<py::object>& args) {
  const auto op = function_op(name);
  if (!op) throw py::value_error("slope has no function '" + name + "'");
  std::vector<Expr> exprs;
  for (const auto& a : args) exprs.push_back(to_expr(a));
  return make_op(*op, exprs);
}

}  // namespace

void bind_ops(py::module_& m) {
  m.def(
      "_functions",
      [] {
        py::list out;
        for (std::string_view name : function_names())
          if (auto op = function_op(name)) {
            // The parameters with their defaults, as signature() spells them: "x, alpha = 0.01".
            const std::string sig = signature(*op);
            out.append(py::make_tuple(name, sig.substr(sig.find('(') + 1, sig.size() - sig.find('(') - 2)));
          }
        return out;
      },
      "(name, parameters) of each function in the op table; slope/__init__.py makes them.");
  m.def("_apply", &apply, py::arg("name"), py::arg("args"),
        "Builds name(args) through the op's canonicalising factory.");

  m.def(
      "piecewise",
      [](const py::args& branches, const py::object& otherwise) {
        std::vector<Branch> bs;
        for (const auto& b : branches) {
          if (!py::isinstance<py::tuple>(b) || py::len(b) != 2)
            throw py::type_error(
                "each branch is a (condition, value) pair: piecewise((x > 0, x), otherwise=0)");
          const auto pair = b.cast<py::tuple>();
          bs.push_back({to_expr(pair[0]), to_expr(pair[1])});
        }
        return piecewise(bs, to_expr(otherwise));
      },
      py::kw_only(), py::arg("otherwise"),
      "The value of the first branch whose condition holds, else otherwise:\n"
      "piecewise((x > 0, x), otherwise=0) is relu(x).");
  m.def(
      "where",
      [](const py::object& c, const py::object& a, const py::object& b) {
        return where(to_expr(c), to_expr(a), to_expr(b));
      },
      py::arg("condition"), py::arg("a"), py::arg("b"),
      "NumPy's where: a where condition holds, else b.");
  m.def(
      "pow", [](const py::object& a, const py::object& b) { return pow(to_expr(a), to_expr(b)); },
      py::arg("base"), py::arg("exponent"), "base ** exponent.");
  m.def(
      "eq", [](const py::object& a, const py::object& b) { return eq(to_expr(a), to_expr(b)); },
      py::arg("a"), py::arg("b"), "The condition a == b (1 when true, 0 when false).");
  m.def(
      "ne", [](const py::object& a, const py::object& b) { return ne(to_expr(a), to_expr(b)); },
      py::arg("a"), py::arg("b"), "The condition a != b.");
  m.def(
      "logical_and",
      [](const py::object& a, const py::object& b) { return logical_and(to_expr(a), to_expr(b)); },
      py::arg("a"), py::arg("b"), "a and b, as a condition (also a & b).");
  m.def(
      "logical_or",
      [](const py::object& a, const py::object& b) { return logical_or(to_expr(a), to_expr(b)); },
      py::arg("a"), py::arg("b"), "a or b, as a condition (also a | b).");
  m.def(
      "logical_not", [](const py::object& a) { return logical_not(to_expr(a)); }, py::arg("a"),
      "not a, as a condition (also ~a).");
  m.def(
      "definition", [](const py::object& f) { return definition(to_expr(f)); }, py::arg("f"),
      "An activation in basic terms: definition(relu(x)) is max(0, x).");

  m.def(
      "diff",
      [](const py::object& f, const py::object& x, const py::object& convention, int order) {
        if (order < 0)
          throw py::value_error("order must be 0 or more, got " + std::to_string(order));
        return diff(to_expr(f), to_variable_name(x), order, to_convention(convention));
      },
      py::arg("f"), py::arg("x"), py::arg("convention") = "min_norm", py::arg("order") = 1,
      R"doc(The derivative of f in x, a new expression. At a kink the convention decides:

    >>> slope.diff(slope.relu(x), x)
    piecewise(x > 0: 1, otherwise: 0)
    >>> slope.diff(slope.relu(x), x, convention="right")
    piecewise(x >= 0: 1, otherwise: 0)

x is a variable or its name; convention is one of slope.conventions or a slope.Convention.)doc");
  m.def(
      "gradient",
      [](const py::object& f, const py::object& convention) {
        const Expr e = to_expr(f);
        const auto names = variables(e);
        const auto partials = gradient(e, to_convention(convention));
        py::dict out;
        for (std::size_t i = 0; i < names.size(); ++i) out[py::str(names[i])] = partials[i];
        return out;
      },
      py::arg("f"), py::arg("convention") = "min_norm",
      "Symbolic partial derivatives: {name: d f / d name} for each variable of f.");
}

}  // namespace slope::python

// SPDX-License-Identifier: MIT
// slope.Expr: an immutable expression with Python's operators, printing (text, 2-D, LaTeX for
// Jupyter) and substitution; slope.var, slope.parse and the argument conversions all parts share.
#include <pybind11/stl.h>

#include <cmath>
#include <slope/build.hpp>
#include <slope/diff.hpp>
#include <slope/parse.hpp>
#include <slope/print.hpp>
#include <slope/simplify.hpp>

#include "bindings.hpp"

namespace slope::python {

namespace {
std::string convention_names() {
  std::string known;
  for (Convention c : all_conventions) {
    if (!known.empty()) known += ", ";
    known += to_string(c);
  }
  return known;
}
}  // namespace

Convention to_convention(const py::handle& value) {
  if (py::isinstance<Convention>(value)) return value.cast<Convention>();
  if (!py::isinstance<py::str>(value))
    throw py::type_error(
        "convention must be a name such as 'min_norm' or a slope.Convention, not " +
        std::string(py::str(py::type::of(value).attr("__name__"))));
  const auto name = value.cast<std::string>();
  if (auto c = parse_convention(name)) return *c;
  if (name.starts_with("whole:") && parse_convention(name.substr(6)))
    throw py::value_error("'" + name +
                          "' applies to f itself at a point: use it with slope.grad, "
                          "slope.value_and_grad or slope.compile");
  throw py::value_error("unknown convention '" + name + "'; the conventions are " +
                        convention_names());
}

GradientConvention to_gradient_convention(const py::handle& value) {
  if (py::isinstance<py::str>(value)) {
    const auto name = value.cast<std::string>();
    if (name.starts_with("whole:")) {
      if (auto c = parse_convention(name.substr(6))) return {*c, true};
      throw py::value_error("unknown convention '" + name + "'; the conventions are " +
                            convention_names() + ", each also as whole:NAME");
    }
  }
  return {to_convention(value), false};
}

std::string to_variable_name(const py::handle& value) {
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::isinstance<Expr>(value)) {
    const auto& e = value.cast<const Expr&>();
    if (e.is_var()) return e.name();
    throw py::value_error("expected a variable, got the expression " + to_text(e));
  }
  throw py::type_error("expected a variable (slope.var(\"x\")) or its name, not " +
                       std::string(py::str(py::type::of(value).attr("__name__"))));
}

Expr to_expr(const py::handle& value) {
  if (py::isinstance<Expr>(value)) return value.cast<Expr>();
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? 1.0 : 0.0;
  try {
    return Expr(py::float_(py::reinterpret_borrow<py::object>(value)).cast<double>());
  } catch (const py::error_already_set&) {
    throw py::type_error("expected an expression or a number, not " +
                         std::string(py::str(py::type::of(value).attr("__name__"))));
  }
}

std::vector<std::pair<std::string, py::object>> collect_bindings(const py::object& mapping,
                                                                 const py::kwargs& kwargs) {
  std::vector<std::pair<std::string, py::object>> out;
  auto add = [&](const py::handle& key, const py::handle& value) {
    std::string name = to_variable_name(key);
    for (const auto& [seen, v] : out)
      if (seen == name) throw py::type_error("a value for '" + name + "' is given twice");
    out.emplace_back(std::move(name), py::reinterpret_borrow<py::object>(value));
  };
  if (!mapping.is_none()) {
    if (!py::isinstance<py::dict>(mapping))
      throw py::type_error("bindings must be a dict {variable: value} or keyword arguments");
    for (auto [k, v] : mapping.cast<py::dict>()) add(k, v);
  }
  for (auto [k, v] : kwargs) add(k, v);
  return out;
}

namespace {

Expr substituted(const Expr& f, const py::object& mapping, const py::kwargs& kwargs) {
  std::map<std::string, Expr, std::less<>> bindings;
  for (const auto& [name, value] : collect_bindings(mapping, kwargs))
    bindings.emplace(name, to_expr(value));
  return substitute(f, bindings);
}

// Binary operators take Expr on the left (Python calls __rop__ when the number is on the left).
template <class F>
void binary(py::class_<Expr>& cls, const char* name, const char* reflected, F f) {
  cls.def(name, [f](const Expr& a, const py::object& b) -> py::object {
    if (!py::isinstance<Expr>(b) && !py::isinstance<py::float_>(b) && !py::isinstance<py::int_>(b))
      return py::reinterpret_borrow<py::object>(Py_NotImplemented);
    return py::cast(f(a, to_expr(b)));
  });
  if (reflected != nullptr)
    cls.def(reflected, [f](const Expr& a, const py::object& b) -> py::object {
      if (!py::isinstance<py::float_>(b) && !py::isinstance<py::int_>(b))
        return py::reinterpret_borrow<py::object>(Py_NotImplemented);
      return py::cast(f(to_expr(b), a));
    });
}

}  // namespace

void bind_expr(py::module_& m) {
  py::enum_<Convention> convention(m, "Convention", R"doc(
What a derivative is at a kink, where the one-sided derivatives d- and d+ differ:
min_norm (the value in [d-, d+] closest to 0, PyTorch's rule), left (d-), right (d+),
average ((d- + d+)/2) and undefined (NaN). Functions also accept the names as strings.)doc");
  for (Convention c : all_conventions) convention.value(std::string(to_string(c)).c_str(), c);
  m.attr("conventions") = [] {
    py::list names;
    for (Convention c : all_conventions) names.append(std::string(to_string(c)));
    return py::tuple(names);
  }();

  py::class_<Expr> cls(m, "Expr", R"doc(
An immutable mathematical expression. Build one with slope.var, slope.parse, numbers and the
functions of this module (slope.relu, slope.max, ...), and Python's operators:

    >>> x, w, b = slope.vars("x w b")
    >>> slope.relu(w*x + b)
    relu(w*x + b)

Equal expressions are the same object inside slope, so == is structural equality and
expressions can key dicts. Comparisons (<, <=, >, >=) build conditions (1 when true, 0 when
false); slope.eq and slope.ne build equality conditions; & | ~ are and, or, not.
In Jupyter an expression displays as LaTeX, piecewise ones as cases.)doc");
  cls.def(py::init([](double v) { return Expr(v); }), py::arg("value"), "A constant.")
      .def_property_readonly(
          "op", [](const Expr& e) { return std::string(op_name(e.op())); },
          "The node kind: 'constant', 'variable', 'add', 'relu', ...")
      .def_property_readonly(
          "value",
          [](const Expr& e) -> py::object {
            return e.is_const() ? py::cast(e.value()) : py::none();
          },
          "The number of a constant, else None.")
      .def_property_readonly(
          "name",
          [](const Expr& e) -> py::object { return e.is_var() ? py::cast(e.name()) : py::none(); },
          "The name of a variable, else None.")
      .def_property_readonly(
          "args",
          [](const Expr& e) {
            return py::tuple(py::cast(std::vector<Expr>(e.args().begin(), e.args().end())));
          },
          "The arguments, in order.")
      .def_property_readonly(
          "variables", [](const Expr& e) { return py::tuple(py::cast(variables(e))); },
          "Names of the variables, in order of first appearance.")
      .def("__str__", &to_text)
      .def("__repr__", &to_text)
      .def("_repr_latex_", [](const Expr& e) { return "$\\displaystyle " + to_latex(e) + "$"; })
      .def("text", &to_text, "One line of text that slope.parse reads back.")
      .def("latex", &to_latex, "LaTeX (math mode, no delimiters); piecewise as cases.")
      .def(
          "pretty",
          [](const Expr& e, bool ascii) {
            return to_pretty(e, ascii ? Charset::ascii : Charset::unicode);
          },
          py::arg("ascii") = false, "2-D text: piecewise as a brace with one row per branch.")
      .def(
          "dot", [](const Expr& e) { return to_dot(e); },
          "Graphviz DOT of the graph (each shared subexpression drawn once).")
      .def("__hash__", [](const Expr& e) { return e.hash(); })
      .def("__eq__",
           [](const Expr& a, const py::object& b) -> py::object {
             if (!py::isinstance<Expr>(b))
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             return py::bool_(a == b.cast<const Expr&>());
           })
      .def("__ne__",
           [](const Expr& a, const py::object& b) -> py::object {
             if (!py::isinstance<Expr>(b))
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             return py::bool_(!(a == b.cast<const Expr&>()));
           })
      .def("__bool__",
           [](const Expr& e) -> bool {
             throw py::type_error("the truth value of " + to_text(e) +
                                  " is not known without values: use slope.eval(...) for a "
                                  "number, or slope.where(...) for a choice inside an expression");
           })
      .def("__float__",
           [](const Expr& e) {
             if (!e.is_const())
               throw py::type_error(to_text(e) +
                                    " is not a number: give its variables values with slope.eval");
             return e.value();
           })
      .def("__reduce__",
           [](const Expr& e) {
             return py::make_tuple(py::module_::import("slope").attr("_from_text"),
                                   py::make_tuple(to_text(e)));
           })
      .def("__neg__", [](const Expr& a) { return -a; })
      .def("__pos__", [](const Expr& a) { return a; })
      .def("__abs__", [](const Expr& a) { return slope::abs(a); })
      .def("__invert__", [](const Expr& a) { return logical_not(a); })
      .def("subs", &substituted, py::arg("bindings") = py::none(),
           "The expression with variables replaced by numbers or expressions, e.g.\n"
           "f.subs(x=0), f.subs({x: w + 1}); rebuilt and simplified as it is built.")
      .def(
          "diff",
          [](const Expr& f, const py::object& x, const py::object& convention, int order) {
            return diff(f, to_variable_name(x), order, to_convention(convention));
          },
          py::arg("x"), py::arg("convention") = "min_norm", py::arg("order") = 1,
          "The derivative in x (see slope.diff).")
      .def("simplify", &simplify, "See slope.simplify.");
  cls.attr("__array_ufunc__") = py::none();  // NumPy defers to Expr's reflected operators
  cls.attr("__module__") = "slope";

  binary(cls, "__add__", "__radd__", [](const Expr& a, const Expr& b) { return a + b; });
  binary(cls, "__sub__", "__rsub__", [](const Expr& a, const Expr& b) { return a - b; });
  binary(cls, "__mul__", "__rmul__", [](const Expr& a, const Expr& b) { return a * b; });
  binary(cls, "__truediv__", "__rtruediv__", [](const Expr& a, const Expr& b) { return a / b; });
  binary(cls, "__pow__", "__rpow__", [](const Expr& a, const Expr& b) { return pow(a, b); });
  binary(cls, "__lt__", nullptr, [](const Expr& a, const Expr& b) { return a < b; });
  binary(cls, "__le__", nullptr, [](const Expr& a, const Expr& b) { return a <= b; });
  binary(cls, "__gt__", nullptr, [](const Expr& a, const Expr& b) { return a > b; });
  binary(cls, "__ge__", nullptr, [](const Expr& a, const Expr& b) { return a >= b; });
  binary(cls, "__and__", "__rand__",
         [](const Expr& a, const Expr& b) { return logical_and(a, b); });
  binary(cls, "__or__", "__ror__", [](const Expr& a, const Expr& b) { return logical_or(a, b); });
  py::implicitly_convertible<double, Expr>();
  py::implicitly_convertible<int, Expr>();

  m.def("var", &var, py::arg("name"),
        "A variable. Names are identifiers: a letter or _, then letters, digits or _.");
  m.def(
      "vars",
      [](const std::string& names) {
        py::list out;
        std::string name;
        auto flush = [&] {
          if (!name.empty()) out.append(var(name));
          name.clear();
        };
        for (char c : names) {
          if (c == ' ' || c == ',' || c == '\t' || c == '\n')
            flush();
          else
            name += c;
        }
        flush();
        return py::tuple(out);
      },
      py::arg("names"), "Several variables at once: x, w, b = slope.vars(\"x w b\").");
  m.def("constant", &constant, py::arg("value"), "A constant expression.");
  m.def(
      "parse", [](const std::string& text) { return parse(text); }, py::arg("text"),
      "Reads an expression in slope's syntax (docs/syntax.md), optionally after definitions:\n"
      "slope.parse(\"squash(u) = clamp(u, 0, 1); squash(2*x + 1)\"). Raises slope.ParseError\n"
      "with the line, column, a caret under the problem and a hint.");
  m.def("subs", &substituted, py::arg("f"), py::arg("bindings") = py::none(),
        "f with variables replaced: slope.subs(f, x=0) or slope.subs(f, {x: w + 1}).");
  m.def("simplify", &simplify, py::arg("f"),
        "A simpler equal expression: range reasoning (relu(2*relu(u) + 1) is 2*relu(u) + 1)\n"
        "and piecewise normalisation.");
  m.def(
      "bounds",
      [](const Expr& f) {
        const Interval i = bounds(f);
        return py::make_tuple(i.lo, i.hi);
      },
      py::arg("f"), "(lo, hi): an interval holding every value f takes with its variables free.");
  m.def(
      "latex", [](const py::object& f) { return to_latex(to_expr(f)); }, py::arg("f"),
      "LaTeX of f (math mode, no delimiters).");
  m.def(
      "pretty",
      [](const py::object& f, bool ascii) {
        return to_pretty(to_expr(f), ascii ? Charset::ascii : Charset::unicode);
      },
      py::arg("f"), py::arg("ascii") = false, "2-D text of f.");
}

}  // namespace slope::python

// SPDX-License-Identifier: MIT
// What a learner reads: derivations step by step (Markdown in Jupyter), the derivative with its
// kink notes, plots as SVG, emitted code and gradient checks.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <slope/codegen.hpp>
#include <slope/explain.hpp>
#include <slope/gradcheck.hpp>
#include <slope/one_sided.hpp>
#include <slope/plot.hpp>

#include "bindings.hpp"

namespace slope::python {
namespace {

Language to_language(const std::string& name) {
  if (name == "cpp" || name == "c++") return Language::cpp;
  if (name == "python") return Language::python;
  if (name == "numpy") return Language::numpy;
  if (name == "torch") return Language::torch;
  throw py::value_error("unknown language '" + name +
                        "'; the languages are cpp, python, numpy, torch");
}

Env numbers(const py::kwargs& kwargs) {
  Env env;
  for (const auto& [name, value] : collect_bindings(py::none(), kwargs)) {
    if (py::isinstance<Expr>(value) ||
        !(py::isinstance<py::float_>(value) || py::isinstance<py::int_>(value)))
      throw py::type_error("the value of '" + name + "' must be a number");
    env.emplace(name, value.cast<double>());
  }
  return env;
}

}  // namespace

void bind_learn(py::module_& m) {
  py::class_<Step> step(m, "Step", "One step of a derivation.");
  step.def_readonly("rule", &Step::rule, "'Outer function', 'Chain rule', 'Sum rule', ...")
      .def_readonly("reason", &Step::reason, "One sentence: why this step, what it uses.")
      .def_readonly("lhs", &Step::lhs, "What is differentiated, as text: 'd/du relu(u)'.")
      .def_readonly("lhs_latex", &Step::lhs_latex, "The same in LaTeX.")
      .def_readonly("result", &Step::result, "What it equals.")
      .def_readonly("note", &Step::note, "A remark after the formula, e.g. about a kink.")
      .def("__repr__", [](const Step& s) {
        return "<slope.Step " + s.rule + (s.lhs.empty() ? "" : ": " + s.lhs) + ">";
      });
  step.attr("__module__") = "slope";

  py::class_<Derivation> derivation(m, "Derivation", R"doc(
A derivation of d f / d x, step by step. str() is numbered plain text; in Jupyter it displays
as Markdown with LaTeX formulas; .latex() gives a LaTeX enumerate list.)doc");
  derivation.def_readonly("f", &Derivation::f)
      .def_readonly("x", &Derivation::x)
      .def_readonly("convention", &Derivation::convention)
      .def_readonly("steps", &Derivation::steps)
      .def_readonly("derivative", &Derivation::derivative)
      .def_readonly("notes", &Derivation::notes, "Where the kinks are and what the convention did.")
      .def(
          "text",
          [](const Derivation& d, bool ascii) {
            return render_text(d, ascii ? Charset::ascii : Charset::unicode);
          },
          py::arg("ascii") = false, "Numbered plain-text steps with 2-D formulas.")
      .def("markdown", &render_markdown, "A numbered Markdown list with $...$ formulas.")
      .def("latex", &render_latex, "A LaTeX enumerate list.")
      .def("__str__", [](const Derivation& d) { return render_text(d); })
      .def("__repr__", [](const Derivation& d) { return render_text(d); })
      .def("_repr_markdown_", &render_markdown);
  derivation.attr("__module__") = "slope";

  m.def(
      "explain",
      [](const py::object& f, const py::object& x, const py::object& convention) {
        return explain(to_expr(f), to_variable_name(x), to_convention(convention));
      },
      py::arg("f"), py::arg("x"), py::arg("convention") = "min_norm",
      "The derivation of d f / d x step by step: outer function, chain rule, sum and product\n"
      "rules, piecewise branches, the simplified result and what happens at each kink.");
  m.def(
      "describe",
      [](const py::object& f, const py::object& x, const py::object& convention, bool ascii) {
        return describe_derivative(to_expr(f), to_variable_name(x), to_convention(convention),
                                   ascii ? Charset::ascii : Charset::unicode);
      },
      py::arg("f"), py::arg("x"), py::arg("convention") = "min_norm", py::arg("ascii") = false,
      "'d/dx f = <derivative>' in 2-D text with one note per kink, as `slope diff` prints it.");
  m.def(
      "kink_notes",
      [](const py::object& f, const py::object& x, const py::object& convention) {
        return kink_notes(to_expr(f), to_variable_name(x), to_convention(convention));
      },
      py::arg("f"), py::arg("x"), py::arg("convention") = "min_norm",
      "One note per kink of f in x: the one-sided slopes and the value the convention chose.");

  m.def(
      "_plot_svg",
      [](const py::object& f, const py::object& x, std::pair<double, double> xlim, int points,
         const py::object& convention, int width, int height, const py::kwargs& others) {
        PlotOptions o;
        o.x = to_variable_name(x);
        o.from = xlim.first;
        o.to = xlim.second;
        o.points = points;
        o.convention = to_convention(convention);
        o.width = width;
        o.height = height;
        o.others = numbers(others);
        return plot_svg(to_expr(f), o);
      },
      py::arg("f"), py::arg("x") = "x", py::arg("xlim") = std::pair(-2.0, 2.0),
      py::arg("points") = 400, py::arg("convention") = "min_norm", py::arg("width") = 640,
      py::arg("height") = 0, "The SVG text of slope.plot.");

  m.def(
      "emit",
      [](const py::object& f, const std::string& language, bool gradient,
         const py::object& convention) {
        return emit(to_expr(f), to_language(language), gradient, to_convention(convention));
      },
      py::arg("f"), py::arg("language") = "numpy", py::arg("gradient") = false,
      py::arg("convention") = "min_norm",
      "Source code of a function f(vars...) in 'numpy', 'python', 'cpp' or 'torch', and with\n"
      "gradient=True one df_dv(vars...) per variable, differentiated under the convention.");
  m.def(
      "to_code",
      [](const py::object& f, const std::string& language) {
        return to_code(to_expr(f), to_language(language));
      },
      py::arg("f"), py::arg("language") = "numpy",
      "f as an expression in the language: np.maximum(0, x), std::max(0.0, x), ...");

  py::class_<GradientEntry> entry(m, "GradientEntry", "The check of one input.");
  entry.def_readonly("input", &GradientEntry::input)
      .def_readonly("tape", &GradientEntry::tape, "d f / d input from the reverse-mode tape.")
      .def_readonly("numeric", &GradientEntry::numeric, "The central difference.")
      .def_readonly("left", &GradientEntry::left, "The exact derivative of f from the left.")
      .def_readonly("right", &GradientEntry::right, "The exact derivative of f from the right.")
      .def_readonly("numeric_left", &GradientEntry::numeric_left, "One-sided difference, left.")
      .def_readonly("numeric_right", &GradientEntry::numeric_right, "One-sided difference, right.")
      .def_readonly("continuous", &GradientEntry::continuous, "False where f jumps.")
      .def_readonly("ok", &GradientEntry::ok)
      .def_readonly("kinks", &GradientEntry::kinks,
                    "The ops behind a failure: on their kinks, or crossed by the step.")
      .def_readonly("why", &GradientEntry::why, "Why the check failed; empty when ok.");
  entry.attr("__module__") = "slope";
  py::class_<GradientCheck> check(m, "GradientCheck", "The outcome of slope.check_gradient.");
  check.def_readonly("entries", &GradientCheck::entries)
      .def_property_readonly("ok", &GradientCheck::ok)
      .def("__bool__", &GradientCheck::ok)
      .def("__str__", &GradientCheck::report)
      .def("__repr__", &GradientCheck::report);
  check.attr("__module__") = "slope";
  m.def(
      "check_gradient",
      [](const py::object& f, const py::object& convention, double h, double tolerance,
         const py::kwargs& at) {
        return check_gradient(to_expr(f), numbers(at), to_convention(convention), h, tolerance);
      },
      py::arg("f"), py::kw_only(), py::arg("convention") = "min_norm", py::arg("h") = 1e-6,
      py::arg("tolerance") = 1e-5,
      "The tape's gradient at a point (given as keywords) against f's exact one-sided\n"
      "derivatives and one-sided differences; a mismatch says why and names the ops.");

  py::class_<OneSided> side(m, "OneSided", "f near a point, from each side (slope.one_sided).");
  side.def_readonly("value", &OneSided::value)
      .def_readonly("left", &OneSided::left, "The derivative from the left (may be -inf, inf).")
      .def_readonly("right", &OneSided::right, "The derivative from the right.")
      .def_readonly("left_limit", &OneSided::left_limit, "The limit of f from the left.")
      .def_readonly("right_limit", &OneSided::right_limit, "The limit of f from the right.")
      .def_readonly("continuous", &OneSided::continuous)
      .def_readonly("has_left", &OneSided::has_left,
                    "Whether f has values just left of the point (log(x) at 0 has none).")
      .def_readonly("has_right", &OneSided::has_right, "... and just right of it.")
      .def_property_readonly("differentiable", &OneSided::differentiable)
      .def(
          "whole", [](const OneSided& s, const py::object& c) { return s.whole(to_convention(c)); },
          py::arg("convention"), "The whole-expression convention's derivative.")
      .def("__repr__", [](const OneSided& s) {
        return fmt::format("OneSided(left={}, right={}, continuous={})", format_number(s.left),
                           format_number(s.right), s.continuous ? "True" : "False");
      });
  side.attr("__module__") = "slope";
  m.def(
      "one_sided",
      [](const py::object& f, const py::object& x, const py::kwargs& at) {
        return one_sided(to_expr(f), to_variable_name(x), numbers(at));
      },
      py::arg("f"), py::arg("wrt"),
      "The exact left and right derivative of f in wrt at a point given as keywords:\n"
      "slope.one_sided(slope.parse('relu(x) - relu(-x)'), 'x', x=0).left == 1.0");

  py::class_<KinkPoint> kink(m, "KinkPoint", "A kink, jump or op on its kink (slope.kinks).");
  kink.def_readonly("x", &KinkPoint::x)
      .def_readonly("exact", &KinkPoint::exact, "x is exactly on the kink (not beside it).")
      .def_readonly("side", &KinkPoint::side, "The one-sided analysis there.")
      .def_readonly("local", &KinkPoint::local,
                    "f' by each op-by-op convention, in slope.conventions order: the tape's value, "
                    "as grad gives it.")
      .def_property_readonly("ops", [](const KinkPoint& k) { return k.ops; })
      .def("__repr__", [](const KinkPoint& k) {
        return fmt::format("KinkPoint(x={}, left={}, right={})", format_number(k.x),
                           format_number(k.side.left), format_number(k.side.right));
      });
  kink.attr("__module__") = "slope";
  m.def(
      "kinks",
      [](const py::object& f, const py::object& x, double start, double stop,
         const py::kwargs& others) {
        return find_kinks(to_expr(f), to_variable_name(x), numbers(others), start, stop);
      },
      py::arg("f"), py::arg("wrt") = "x", py::kw_only(), py::arg("start") = -4.0,
      py::arg("stop") = 4.0,
      "Kinks of f in wrt on [start, stop], sorted; the other variables as keywords.");
}

}  // namespace slope::python

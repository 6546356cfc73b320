// SPDX-License-Identifier: MIT
// Values and gradients at points: Python numbers give numbers; NumPy arrays (or lists) run the
// batched tape over every point in C++, with the GIL released and no Python loop. Inputs
// broadcast as in NumPy; a number or a full-size contiguous array is read in place, never copied.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <mutex>
#include <slope/error.hpp>
#include <slope/eval.hpp>
#include <slope/one_sided.hpp>
#include <slope/print.hpp>
#include <slope/tape.hpp>

#include "bindings.hpp"

namespace slope::python {
namespace {

using Bindings = std::vector<std::pair<std::string, py::object>>;
using Shape = std::vector<py::ssize_t>;

// Points per call into the tape: scalar inputs are spread over a buffer this long, filled once.
constexpr std::size_t chunk = 1 << 16;

const py::handle& numpy_generic() {
  static const py::handle generic =
      py::object(py::module_::import("numpy").attr("generic")).release();
  return generic;
}

bool is_number(const py::handle& v) {
  return py::isinstance<py::float_>(v) || py::isinstance<py::int_>(v) ||
         py::isinstance(v, numpy_generic());
}

/// Bound values converted: numbers stay numbers, everything else becomes a float64 array.
struct Values {
  std::vector<std::string> names;
  std::vector<std::optional<double>> numbers;  // set when the value is a number
  std::vector<py::array_t<double>> arrays;     // set otherwise
  bool any_array = false;
  Shape shape;  // the broadcast shape of all arrays

  explicit Values(const Bindings& bindings) {
    for (const auto& [name, value] : bindings) {
      if (py::isinstance<Expr>(value))
        throw py::type_error("the value of '" + name + "' is the expression " +
                             to_text(value.cast<const Expr&>()) +
                             "; evaluation needs numbers (to substitute expressions use f.subs)");
      names.push_back(name);
      if (is_number(value) && !py::isinstance<py::array>(value)) {
        numbers.emplace_back(py::float_(value).cast<double>());
        arrays.emplace_back();
      } else {
        numbers.emplace_back();
        arrays.push_back(py::array_t<double, py::array::forcecast>::ensure(value));
        if (!arrays.back()) {
          PyErr_Clear();
          throw py::type_error("the value of '" + name +
                               "' is neither a number nor an array of numbers");
        }
        any_array = true;
      }
    }
    if (any_array) broadcast();
  }

  std::size_t index(const std::string& name) const {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) throw UnboundVariable(name);
    return static_cast<std::size_t>(it - names.begin());
  }

  std::size_t size() const {
    std::size_t n = 1;
    for (auto d : shape) n *= static_cast<std::size_t>(d);
    return n;
  }

 private:
  static std::string shape_text(const py::array& a) {
    std::string s = "(";
    for (py::ssize_t i = 0; i < a.ndim(); ++i)
      s += std::to_string(a.shape(i)) + (a.ndim() == 1 ? "," : i + 1 < a.ndim() ? ", " : "");
    return s + ")";
  }
  // NumPy's rule: align shapes on the right; each dimension equal, or 1.
  void broadcast() {
    for (std::size_t i = 0; i < arrays.size(); ++i) {
      if (numbers[i]) continue;
      const py::array& a = arrays[i];
      const auto nd = static_cast<std::size_t>(a.ndim());
      if (nd > shape.size()) shape.insert(shape.begin(), nd - shape.size(), 1);
      for (std::size_t k = 0; k < nd; ++k) {
        py::ssize_t& out = shape[shape.size() - nd + k];
        const py::ssize_t d = a.shape(static_cast<py::ssize_t>(k));
        if (d == out || d == 1) continue;
        if (out == 1) {
          out = d;
          continue;
        }
        std::string given;
        for (std::size_t j = 0; j < arrays.size(); ++j)
          if (!numbers[j])
            given += (given.empty() ? "" : ", ") + names[j] + " " + shape_text(arrays[j]);
        throw py::value_error("the arrays cannot be broadcast together: " + given);
      }
    }
  }
};

/// The tape's inputs over all points: a pointer to n contiguous values, or one number.
struct Inputs {
  std::vector<const double*> data;
  std::vector<double> number;
  std::vector<py::array_t<double>> keep;  // broadcast copies, alive while the tape reads them

  Inputs(const Values& v, const std::vector<std::string>& tape_inputs) {
    for (const auto& name : tape_inputs) {
      const std::size_t i = v.index(name);
      if (v.numbers[i]) {
        data.push_back(nullptr);
        number.push_back(*v.numbers[i]);
        continue;
      }
      py::array_t<double> a = v.arrays[i];
      const bool full = static_cast<std::size_t>(a.size()) == v.size() &&
                        Shape(a.shape(), a.shape() + a.ndim()) == v.shape;
      if (!full)
        a = py::module_::import("numpy").attr("broadcast_to")(a, py::tuple(py::cast(v.shape)));
      a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
      keep.push_back(a);
      data.push_back(a.data());
      number.push_back(0);
    }
  }
  /// Input i at point j.
  double at(std::size_t i, std::size_t j) const { return data[i] ? data[i][j] : number[i]; }
};

/// Runs the tape over every point in chunks: values[j] and, when gradients is not empty,
/// gradients[i][j] = d f / d input_i at point j.
void run_batch(Tape& tape, const Inputs& in, std::size_t n, double* values,
               const std::vector<double*>& gradients) {
  const std::size_t m = in.data.size();
  std::vector<std::vector<double>> spread(m);
  for (std::size_t i = 0; i < m; ++i)
    if (in.data[i] == nullptr) spread[i].assign(std::min(n, chunk), in.number[i]);
  std::vector<std::span<const double>> inputs(m);
  std::vector<std::span<double>> grads(gradients.size());
  for (std::size_t offset = 0; offset < n; offset += chunk) {
    const std::size_t len = std::min(chunk, n - offset);
    for (std::size_t i = 0; i < m; ++i)
      inputs[i] = in.data[i] ? std::span(in.data[i] + offset, len)
                             : std::span<const double>(spread[i].data(), len);
    std::span<double> out(values + offset, len);
    if (gradients.empty()) {
      tape.forward_batch(inputs, std::span(&out, 1));
    } else {
      for (std::size_t i = 0; i < m; ++i) grads[i] = std::span(gradients[i] + offset, len);
      tape.gradient_batch(inputs, 0, out, grads);
    }
  }
}

enum class Want { value, gradient, both };

/// A compiled function of named inputs; calls are serialised (a tape has working buffers).
class Compiled {
 public:
  Compiled(Expr f, std::vector<std::string> inputs, GradientConvention c)
      : f_(std::move(f)),
        tape_(Tape::compile(f_, std::move(inputs), c.convention)),
        whole_(c.whole) {}

  const Expr& expr() const { return f_; }
  const std::vector<std::string>& inputs() const { return tape_.inputs(); }
  Convention convention() const { return tape_.convention(); }
  bool whole() const { return whole_; }
  std::size_t size() const { return tape_.size(); }

  /// Positional arguments bind the inputs in order; keywords by name.
  Bindings bind(const py::args& args, const py::object& mapping, const py::kwargs& kwargs) const {
    const auto& names = inputs();
    if (args.size() > names.size())
      throw py::type_error("this function takes " + std::to_string(names.size()) + " inputs, got " +
                           std::to_string(args.size()) + " positional values");
    py::dict all;
    for (std::size_t i = 0; i < args.size(); ++i) all[py::str(names[i])] = args[i];
    for (const auto& [name, value] : collect_bindings(mapping, kwargs)) {
      if (all.contains(name)) throw py::type_error("a value for '" + name + "' is given twice");
      all[py::str(name)] = value;
    }
    return collect_bindings(all, py::kwargs());
  }

  py::object call(const Bindings& bindings, Want want) {
    const Values v(bindings);
    const auto& names = inputs();
    if (!v.any_array) {
      std::vector<double> point;
      for (const auto& name : names) point.push_back(*v.numbers[v.index(name)]);
      std::lock_guard lock(mutex_);
      const double value = tape_.forward(point)[0];
      if (want == Want::value) return py::float_(value);
      tape_.reverse(0);
      std::vector<double> partials(tape_.gradient().begin(), tape_.gradient().end());
      if (whole_) whole_at(point, partials.data());
      py::dict grad;
      for (const auto& name : v.names) {
        const auto it = std::find(names.begin(), names.end(), name);
        grad[py::str(name)] =
            it == names.end() ? 0.0 : partials[static_cast<std::size_t>(it - names.begin())];
      }
      return want == Want::gradient ? py::object(grad) : py::make_tuple(value, grad);
    }
    const Inputs in(v, names);
    py::array_t<double> values(v.shape);
    std::vector<double*> gradients;
    py::dict grad;
    if (want != Want::value) {
      for (const auto& name : v.names) {
        py::array_t<double> g(v.shape);
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) std::fill_n(g.mutable_data(), g.size(), 0.0);
        grad[py::str(name)] = g;
      }
      for (const auto& name : names)
        gradients.push_back(grad[py::str(name)].cast<py::array_t<double>>().mutable_data());
    }
    if (names.empty()) {  // a constant: the tape has no input arrays to take the length from
      std::fill_n(values.mutable_data(), values.size(),
                  call(Bindings(), Want::value).cast<double>());
      return want == Want::value      ? py::object(values)
             : want == Want::gradient ? py::object(grad)
                                      : py::make_tuple(values, grad);
    }
    {
      py::gil_scoped_release
          unlocked;  // first, so a thread waiting on the lock does not hold the GIL
      std::lock_guard lock(mutex_);
      run_batch(tape_, in, v.size(), values.mutable_data(), gradients);
    }
    if (whole_ && want != Want::value) {  // point by point, where an op sits on its kink
      std::vector<double> point(names.size()), partials(names.size());
      for (std::size_t j = 0; j < v.size(); ++j) {
        for (std::size_t i = 0; i < names.size(); ++i) {
          point[i] = in.at(i, j);
          partials[i] = gradients[i][j];
        }
        whole_at(point, partials.data());
        for (std::size_t i = 0; i < names.size(); ++i) gradients[i][j] = partials[i];
      }
    }
    if (want == Want::value) return values;
    return want == Want::gradient ? py::object(grad) : py::make_tuple(values, grad);
  }

 private:
  /// whole: where an op of f sits on its kink at `point`, the convention applied to f's own
  /// one-sided (lexicographic) derivatives replaces the tape's op-by-op partials.
  void whole_at(const std::vector<double>& point, double* partials) const {
    Env env;
    for (std::size_t i = 0; i < point.size(); ++i) env[inputs()[i]] = point[i];
    if (kinks_at(f_, env, tape_.convention()).empty()) return;
    const auto g = whole_gradient(f_, inputs(), env, tape_.convention());
    std::copy(g.begin(), g.end(), partials);
  }

  Expr f_;
  Tape tape_;
  bool whole_ = false;
  std::mutex mutex_;
};

std::vector<std::string> input_names(const Expr& f, const py::object& inputs) {
  if (inputs.is_none()) return variables(f);
  std::vector<std::string> names;
  for (const auto& i : inputs) names.push_back(to_variable_name(i));
  return names;
}

}  // namespace

void bind_arrays(py::module_& m) {
  m.def(
      "eval",
      [](const py::object& f, const py::object& mapping, const py::kwargs& kwargs) -> py::object {
        const Expr e = to_expr(f);
        // A value needs no convention; without this, 'convention' would read as a variable.
        if (kwargs.contains("convention"))
          throw py::type_error(
              "slope.eval takes no convention: f's value is the same under every one (a "
              "convention picks a derivative at a kink: slope.grad, slope.diff)");
        const Bindings b = collect_bindings(mapping, kwargs);
        const Values v(b);
        if (v.any_array)
          return Compiled(e, variables(e), {Convention::min_norm, false}).call(b, Want::value);
        Env env;
        for (std::size_t i = 0; i < v.names.size(); ++i) env.emplace(v.names[i], *v.numbers[i]);
        return py::float_(eval(e, env));
      },
      py::arg("f"), py::arg("bindings") = py::none(),
      R"doc(The value of f with its variables given as keywords or a dict.

Numbers give a float; NumPy arrays (or lists) give an array, computed over every point by
slope's batched tape in C++ without a Python loop. Arrays broadcast as in NumPy:

    >>> slope.eval(slope.relu(w*x + b), x=np.linspace(-1, 1, 5), w=2.0, b=0.5)
    array([0. , 0. , 0.5, 1.5, 2.5])

Raises slope.UnboundVariableError when a variable of f has no value. Arithmetic is IEEE:
log(0) is -inf, sqrt(-1) is nan.)doc");

  auto gradient_doc = R"doc(The gradient of f: {name: d f / d name} for every variable given.

Numbers give floats; arrays give arrays (one partial per point, batched tape, no Python loop).
At a kink the convention decides, as in slope.diff:

    >>> slope.grad(slope.relu(x), x=0.0)
    {'x': 0.0}
    >>> slope.grad(slope.relu(x), x=0.0, convention="right")
    {'x': 1.0}
)doc";
  m.def(
      "grad",
      [](const py::object& f, const py::object& mapping, const py::object& convention,
         const py::kwargs& kwargs) {
        const Expr e = to_expr(f);
        return Compiled(e, variables(e), to_gradient_convention(convention))
            .call(collect_bindings(mapping, kwargs), Want::gradient);
      },
      py::arg("f"), py::arg("bindings") = py::none(), py::kw_only(),
      py::arg("convention") = "min_norm", gradient_doc);
  m.def(
      "value_and_grad",
      [](const py::object& f, const py::object& mapping, const py::object& convention,
         const py::kwargs& kwargs) {
        const Expr e = to_expr(f);
        return Compiled(e, variables(e), to_gradient_convention(convention))
            .call(collect_bindings(mapping, kwargs), Want::both);
      },
      py::arg("f"), py::arg("bindings") = py::none(), py::kw_only(),
      py::arg("convention") = "min_norm",
      "(value, gradient) in one sweep: slope.eval and slope.grad together.");

  py::class_<Compiled> compiled(m, "Compiled", R"doc(
f compiled once to a tape, to call many times: fn = slope.compile(f). Call it with values by
position (in fn.inputs order) or by name: fn(1.0, 2.0), fn(x=np_array, w=2.0).
fn.grad(...) and fn.value_and_grad(...) give gradients as slope.grad does. Calls from several
threads are safe; they take turns.)doc");
  compiled
      .def(
          "__call__",
          [](Compiled& c, const py::args& args, const py::kwargs& kwargs) {
            return c.call(c.bind(args, py::none(), kwargs), Want::value);
          },
          "The value at the given point(s).")
      .def(
          "grad",
          [](Compiled& c, const py::args& args, const py::kwargs& kwargs) {
            return c.call(c.bind(args, py::none(), kwargs), Want::gradient);
          },
          "{input: partial} at the given point(s).")
      .def(
          "value_and_grad",
          [](Compiled& c, const py::args& args, const py::kwargs& kwargs) {
            return c.call(c.bind(args, py::none(), kwargs), Want::both);
          },
          "(value, {input: partial}) at the given point(s).")
      .def_property_readonly("expr", &Compiled::expr, "The expression compiled.")
      .def_property_readonly(
          "inputs", [](const Compiled& c) { return py::tuple(py::cast(c.inputs())); },
          "Input names, in the order positional values bind them.")
      .def_property_readonly("convention", &Compiled::convention, "The kink convention.")
      .def_property_readonly("whole", &Compiled::whole,
                             "True for a whole: convention (applied to f itself at kinks).")
      .def_property_readonly("size", &Compiled::size, "Instructions on the tape.")
      .def("__repr__", [](const Compiled& c) {
        std::string inputs;
        for (const auto& i : c.inputs()) inputs += (inputs.empty() ? "" : ", ") + i;
        return "<slope.Compiled (" + inputs + ") -> " + to_text(c.expr()) + ", " +
               (c.whole() ? "whole:" : "") + std::string(to_string(c.convention())) + ", " +
               std::to_string(c.size()) + " instructions>";
      });
  compiled.attr("__module__") = "slope";
  m.def(
      "compile",
      [](const py::object& f, const py::object& inputs, const py::object& convention) {
        const Expr e = to_expr(f);
        return std::make_unique<Compiled>(e, input_names(e, inputs),
                                          to_gradient_convention(convention));
      },
      py::arg("f"), py::arg("inputs") = py::none(), py::arg("convention") = "min_norm",
      "f compiled to a tape for repeated calls; inputs (names or variables) fix the order of\n"
      "positional values, by default the variables of f in order of first appearance.");
}

}  // namespace slope::python

// SPDX-License-Identifier: MIT
// slope's C++ exceptions as Python exceptions that keep everything the learner needs: the full
// message with its caret and hint as str(error), and the parts as attributes.
#include <slope/error.hpp>
#include <stdexcept>

#include "bindings.hpp"

namespace slope::python {
namespace {

// Created once when the module loads and kept for the life of the interpreter.
PyObject* error_type = nullptr;
PyObject* parse_error_type = nullptr;
PyObject* unbound_type = nullptr;

PyObject* new_exception(py::module_& m, const char* name, const char* doc, PyObject* base) {
  const std::string qualified = std::string("slope.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base, nullptr);
  if (type == nullptr) throw py::error_already_set();
  m.attr(name) = py::handle(type);
  return type;
}

void raise(PyObject* type, const std::exception& e, const py::dict& attributes) {
  py::object instance = py::reinterpret_borrow<py::object>(type)(e.what());
  for (auto [key, value] : attributes) py::setattr(instance, key, value);
  PyErr_SetObject(type, instance.ptr());
}

}  // namespace

void bind_errors(py::module_& m) {
  error_type =
      new_exception(m, "Error", "Base of every error slope reports about its input (a ValueError).",
                    PyExc_ValueError);
  parse_error_type = new_exception(
      m, "ParseError",
      "Text slope cannot read. str(error) is the full report, as the command line prints it:\n\n"
      "    1:1: error: unknown function 'rellu'\n"
      "      rellu(x)\n"
      "      ^^^^^\n"
      "    hint: did you mean relu?\n\n"
      "Attributes: message, line, column (1-based), length (characters underlined), "
      "source_line, hint.",
      error_type);
  unbound_type = new_exception(
      m, "UnboundVariableError",
      "Evaluation met a variable that was given no value. Attribute: name.", error_type);

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const slope::ParseError& e) {
      py::dict a;
      a["message"] = e.message();
      a["line"] = e.line();
      a["column"] = e.column();
      a["length"] = e.length();
      a["source_line"] = e.source_line();
      a["hint"] = e.hint();
      raise(parse_error_type, e, a);
    } catch (const slope::UnboundVariable& e) {
      py::dict a;
      a["name"] = e.name();
      raise(unbound_type, e, a);
    } catch (const slope::Error& e) {
      raise(error_type, e, py::dict());
    }
  });
}

}  // namespace slope::python

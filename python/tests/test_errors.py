# SPDX-License-Identifier: MIT
# Errors as Python exceptions (python/src/errors.cpp): slope's message, caret and hint intact.
import pytest

import slope


def test_parse_error_carries_the_full_report_and_its_parts():
    with pytest.raises(slope.ParseError) as info:
        slope.parse("w*x + rellu(x)")
    e = info.value
    assert isinstance(e, ValueError) and isinstance(e, slope.Error)
    assert str(e).splitlines() == [
        "1:7: error: unknown function 'rellu'",
        "  w*x + rellu(x)",
        "        ^^^^^",
        "hint: did you mean relu, elu or gelu?",
    ]
    assert (e.line, e.column, e.length) == (1, 7, 5)
    assert e.message == "unknown function 'rellu'"
    assert e.source_line == "w*x + rellu(x)"
    assert e.hint.startswith("did you mean relu")


def test_parse_error_on_a_later_line():
    with pytest.raises(slope.ParseError) as info:
        slope.parse("f(u) = relu(u)\nf(x, y)")
    assert info.value.line == 2
    assert "f takes 1 argument, got 2" in str(info.value)


def test_unbound_variable_names_it():
    x, w = slope.vars("x w")
    with pytest.raises(slope.UnboundVariableError) as info:
        slope.eval(slope.relu(w * x), x=1.0)
    assert info.value.name == "w"
    assert str(info.value) == "no value given for variable 'w'"
    assert isinstance(info.value, ValueError)


def test_wrong_arguments_are_type_and_value_errors():
    x = slope.var("x")
    with pytest.raises(TypeError, match="relu"):
        slope.relu(x, 2)
    with pytest.raises(TypeError, match="expected an expression or a number"):
        slope.relu("x")
    with pytest.raises(ValueError):
        slope.var("2x")
    with pytest.raises(ValueError, match="unknown language"):
        slope.emit(x, "fortran")
    with pytest.raises(ValueError, match="order"):
        slope.diff(x, x, order=-1)

# SPDX-License-Identifier: MIT
"""bench/compare: how it reads benchmark programs, holds peers to slope, and writes its table.

The real run takes minutes (bench/compare --quick tries it); here each piece is checked on made-up
results, with a stand-in benchmark program, so a broken check or table fails in seconds.
"""
import importlib.machinery
import importlib.util
import json
import math
import stat
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
loader = importlib.machinery.SourceFileLoader("compare", str(ROOT / "bench" / "compare"))
spec = importlib.util.spec_from_loader("compare", loader)
compare = importlib.util.module_from_spec(spec)
loader.exec_module(compare)
Row = compare.Row


def w1_rows(peer_sum):
    return [Row("W1", "slope", 50e-6, checks={"gradient_sum": compare.W1_CHECK}, reference=True),
            Row("W1", "peer", 100e-6, checks={"gradient_sum": peer_sum})]


def test_a_peer_that_agrees_passes_and_one_that_does_not_fails():
    assert compare.check_rows(w1_rows(compare.W1_CHECK * (1 + 1e-12))) == []
    problems = compare.check_rows(w1_rows(compare.W1_CHECK * (1 + 1e-6)))
    assert len(problems) == 1 and problems[0].startswith("W1: peer gives gradient_sum")


def test_slope_itself_is_held_to_the_workload_value():
    rows = w1_rows(-683.0)
    rows[0].checks["gradient_sum"] = rows[1].checks["gradient_sum"] = -683.0
    assert compare.check_rows(rows) == [
        "W1: slope's gradient sum -6.830000000000e+02 is not workloads.md's -6.833518508793e+02"]


@pytest.mark.parametrize("a, b, same", [
    (math.inf, math.inf, True), (math.inf, 1e308, False), (math.nan, math.nan, False),
    (0.0, 0.0, True), (0.0, 1e-200, False), (1.0, 1.0 + 1e-10, True), (1.0, 1.0 + 1e-8, False)])
def test_values_match_to_a_relative_tolerance_and_infinities_only_themselves(a, b, same):
    assert compare.close(a, b) is same


def test_derivatives_are_compared_point_by_point():
    # The abs chain's derivative is -1 at half the points and 1 at the others: a sum would let
    # -f' (or 0 everywhere) pass; each point must match.
    slope = [-1.0, 1.0] * 10
    for peer, ok in ((list(slope), True), ([-v for v in slope], False), ([0.0] * 20, False),
                     (slope[:19], False)):
        rows = [Row("W4 abs depth 3", "slope", 1e-4, checks={"derivative_at": slope},
                    reference=True),
                Row("W4 abs depth 3", "peer", 1e-5, checks={"derivative_at": peer})]
        assert (compare.check_rows(rows) == []) is ok


def test_a_peer_that_cannot_be_checked_is_a_problem():
    alone = [Row("W3 depth 10", "GiNaC", 1e-4, checks={"derivative_at": [1.0]})]
    assert compare.check_rows(alone) == ["W3 depth 10: GiNaC has no slope row to be checked against"]
    copy = [Row("W2", "STREAM-style copy", 4e-3)]  # a baseline: nothing to check, no problem
    assert compare.check_rows(copy) == []
    renamed = w1_rows(compare.W1_CHECK)
    renamed[1].checks = {"gradient": compare.W1_CHECK}
    assert compare.check_rows(renamed) == [
        "W1: peer reports checks ['gradient'], slope ['gradient_sum']"]


def test_the_header_says_whether_every_result_matched():
    context = {"date": "d", "cpu": "c", "cores": 2, "compiler": "g", "python": "p"}
    rows = w1_rows(-1.0)
    problems = compare.check_rows(rows)
    assert "did NOT match" in compare.table(rows, context, [], problems).splitlines()[0]
    assert "Every peer's result matched" in compare.table(w1_rows(compare.W1_CHECK), context,
                                                          []).splitlines()[0]


def test_a_stopped_peer_is_not_checked_and_shows_no_ratio():
    rows = [Row("W3 depth 10", "slope", 1e-4, checks={"derivative_check": 1.0}, reference=True),
            Row("W3 depth 10", "SymPy", None, note="over 20 s")]
    assert compare.check_rows(rows) == []
    line = compare.table(rows, {"date": "d", "cpu": "c", "cores": 2, "compiler": "g",
                                "python": "p"}, []).splitlines()[-1]
    assert line == "| W3 depth 10 | SymPy | - |  |  |  | over 20 s |"


def test_the_table_divides_each_time_by_slopes():
    rows = [Row("W2 relu", "slope", 0.010, "per call", {"y_sum": 2.5}, reference=True, rss_mib=10),
            Row("W2 relu", "numpy", 0.025, "per call", {"y_sum": 2.5})]
    text = compare.table(rows, {"date": "2026-12-03", "cpu": "CPU", "cores": 2, "compiler": "g",
                                "python": "p"}, ["GiNaC: install it"])
    lines = text.splitlines()
    header = lines.index("| workload | program | median | × slope | peak memory | check | notes |")
    assert lines[header + 2] == "| W2 relu | slope | 10 ms per call |  | 10 MiB | y_sum 2.5 |  |"
    assert lines[header + 3] == "| W2 relu | numpy | 25 ms per call | 2.5× |  | y_sum 2.5 |  |"
    assert compare.ratio(2048.4) == "2,048×" and compare.ratio(0.0434) == "0.0434×"
    assert lines[-1] == "- Skipped: GiNaC: install it"


def test_write_replaces_only_the_marked_section(tmp_path):
    doc = f"# P\n\nbefore\n\n{compare.BEGIN}\nold\n{compare.END}\n\nafter\n"
    new = compare.replace_section(doc, "new\n")
    assert new == f"# P\n\nbefore\n\n{compare.BEGIN}\nnew\n{compare.END}\n\nafter\n"
    appended = compare.replace_section("# P\n", "t\n")
    assert appended.endswith(f"{compare.BEGIN}\nt\n{compare.END}\n")
    path = tmp_path / "performance.md"
    path.write_text(doc)
    compare.write_atomically(path, new)
    assert path.read_text() == new and [p.name for p in tmp_path.iterdir()] == ["performance.md"]


def test_medians_are_read_from_a_benchmark_programs_json(tmp_path):
    # A stand-in for a Google Benchmark program: prints what --benchmark_format=json would.
    report = {"benchmarks": [
        {"run_name": "W3/10", "aggregate_name": "mean", "real_time": 9.0, "time_unit": "ms"},
        {"run_name": "W3/10", "aggregate_name": "median", "real_time": 2.0, "time_unit": "ms",
         "derivative_check": 670.5},
        {"run_name": "W3/50", "run_type": "iteration", "real_time": 3.0, "time_unit": "us"}]}
    program = tmp_path / "bench_fake"
    program.write_text(f"#!/bin/sh\ncat <<'END'\n{json.dumps(report)}\nEND\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    medians, rss = compare.google_benchmark(program, "W3", 3)
    assert medians["W3/10"]["seconds"] == pytest.approx(2e-3)
    assert medians["W3/10"]["derivative_check"] == 670.5
    assert medians["W3/50"]["seconds"] == pytest.approx(3e-6)
    assert rss > 0


def test_a_failing_program_stops_the_comparison(tmp_path):
    program = tmp_path / "bench_broken"
    program.write_text("#!/bin/sh\nexit 3\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(SystemExit, match="exit 3"):
        compare.run([program])

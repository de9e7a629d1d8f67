"""Smoke test of the simulation benchmark: it runs and prints the agreed keys (no timing)."""

from __future__ import annotations

from benchmarks import simulation


def test_it_runs_the_quick_benchmark_and_reports_the_agreed_keys() -> None:
    report = simulation.main(["--quick"])
    for key in ("name", "seconds", "runs_per_second", "vs_python_loops", "runs", "months"):
        assert key in report
    assert report["name"] == "simulation"
    assert report["runs"] == 10

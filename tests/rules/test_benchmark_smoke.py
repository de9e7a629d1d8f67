"""Smoke test of the benchmark: it runs, prints the agreed keys, and Husly agrees with OpenFisca."""

from __future__ import annotations

import pytest

pytest.importorskip("openfisca_core")

from benchmarks import housing_allowance


def test_benchmark_runs_and_agrees_with_openfisca() -> None:
    report = housing_allowance.main(["--n", "20000", "--repeats", "1", "--loop-sample", "50"])
    for key in (
        "name",
        "households_per_s",
        "plain_numpy_households_per_s",
        "vs_loop",
        "vs_openfisca",
        "vs_openfisca_select",
        "peak_mib",
        "n",
        "repeats",
    ):
        assert key in report
    assert report["name"] == "housing_allowance"
    assert report["agree_with_openfisca"] is True
    assert report["n"] == 20000
    assert 0.2 < report["paid_share"] < 0.95  # synthetic data exercises both outcomes

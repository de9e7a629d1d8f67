"""Smoke test of the matching benchmark: it runs, prints the agreed keys, and beats greedy."""

from __future__ import annotations

from benchmarks import matching


def test_it_runs_the_quick_benchmark_and_reports_the_agreed_keys() -> None:
    report = matching.main(["--quick", "--repeats", "1"])
    for key in (
        "name",
        "median_s",
        "vs_dense_lsa",
        "fit_vs_greedy",
        "top_band_vs_greedy",
        "n_vacancies",
        "n_households",
        "feasible_pairs",
        "repeats",
        "median_s_without_rule",
        "spread_exact_share",
        "max_gap_points",
    ):
        assert key in report
    assert report["name"] == "matching"
    assert report["dense_agrees"] is True
    assert report["fit_vs_greedy"] >= 1
    assert report["top_band_vs_greedy"] >= 1
    assert report["spread_exact_share"] == 1.0
    assert report["max_gap_points"] == 0

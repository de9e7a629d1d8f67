"""The meeting page's statement of what the solver proved, in bokmål and nynorsk."""

from __future__ import annotations

from django.utils import translation

from husly.allocation.templatetags.husly_allocation import solver_claim

PROVEN = {
    "objective": "top_band_then_weighted_fit",
    "certified_optimal": True,
    "top_band_gap": 0,
    "weight_gap": 0.0,
    "weight_gap_percent": 0.0,
}
BOUNDED = {
    "objective": "top_band_then_weighted_fit",
    "certified_optimal": False,
    "top_band_gap": 1,
    "weight_gap": 12.5,
    "weight_gap_percent": 0.1,
}


def test_it_says_the_proposal_is_the_best_possible_only_when_proven() -> None:
    with translation.override("nb"):
        assert solver_claim(PROVEN).startswith("Forslaget er bevist å være det beste mulige")
        text = solver_claim(BOUNDED)
    assert text == (
        "Forslaget er høyst 0,1 % fra det beste mulige; 1 husstand i høyeste prioritetsgruppe "
        "kunne fått bedre plass: kjør på nytt med mer tid."
    )
    assert "bevist" not in text


def test_it_speaks_nynorsk_and_counts_households() -> None:
    with translation.override("nn"):
        text = solver_claim({**BOUNDED, "top_band_gap": 2})
    assert text.startswith("Forslaget er høgst 0,1 % frå det beste moglege; 2 hushald")
    assert text.endswith("køyr på nytt med meir tid.")


def test_it_leaves_out_the_top_band_when_its_count_is_proven() -> None:
    with translation.override("nb"):
        text = solver_claim({**BOUNDED, "top_band_gap": 0, "weight_gap_percent": 0.004})
    assert text == "Forslaget er høyst 0,004 % fra det beste mulige: kjør på nytt med mer tid."


def test_a_run_stored_before_the_proof_makes_no_new_claim() -> None:
    with translation.override("nb"):
        assert "ikke bevist" in solver_claim({"certified_optimal": False, "gap_bound": 3.0})
        assert solver_claim(None) == ""

"""Exceptions set aside only the criteria the caseworker picks, each with its own reason, and
only criteria that are not met (Rælingen 5.1, raelingen L5361–5368); an EEA right of residence
goes to the caseworker's judgement, which the engine accepts (issue 11, items 5 and 6)."""

from datetime import date

import pytest

from husly.rules.guidelines import (
    CaseworkerAssessment,
    EvaluationResult,
    InvalidInputError,
    InvokedException,
    Outcome,
    OverallOutcome,
    ResidenceStatus,
    evaluate,
    reevaluate,
)

from .builders import eligible_facts, judged, raelingen, with_applicant

TWO_FAILURES = {
    "lived_in_municipality_since": date(2023, 9, 1),
    "registered_municipality_number": "0301",
}


def test_an_exception_sets_aside_only_the_criteria_it_is_invoked_for() -> None:
    facts = with_applicant(eligible_facts(), **TWO_FAILURES)
    botid = InvokedException("5.1.akutt_behov", ("5.3.botid",), "Familien er uten bolig.")
    result = evaluate(raelingen(), facts, assessments=judged(), invoked_exceptions=[botid])
    assert result.outcome is OverallOutcome.DOES_NOT_MEET
    assert [(w.criterion_id, w.reason) for w in result.waivers] == [
        ("5.3.botid", "Familien er uten bolig.")
    ]


def test_each_criterion_set_aside_carries_its_own_ground_and_reason() -> None:
    facts = with_applicant(eligible_facts(), **TWO_FAILURES)
    result = evaluate(
        raelingen(),
        facts,
        assessments=judged(),
        invoked_exceptions=[
            InvokedException("5.1.akutt_behov", ("5.3.botid",), "Uten bolig i dag."),
            InvokedException(
                "5.1.sterke_menneskelige_hensyn", ("5.3.folkeregistrert",), "Bor på krisesenter."
            ),
        ],
    )
    assert result.outcome is OverallOutcome.MEETS_WITH_EXCEPTION
    assert [(w.criterion_id, w.exception_id, w.reason) for w in result.waivers] == [
        ("5.3.folkeregistrert", "5.1.sterke_menneskelige_hensyn", "Bor på krisesenter."),
        ("5.3.botid", "5.1.akutt_behov", "Uten bolig i dag."),
    ]
    stored = result.to_dict()
    assert stored["waivers"][0]["exception_title"]["nb"] == (  # type: ignore[index]
        "Unntak ved sterke menneskelige hensyn (pkt. 5.1)"
    )
    assert reevaluate(stored).to_dict() == stored
    assert EvaluationResult.from_dict(stored).waivers == result.waivers


def test_an_exception_does_not_set_aside_a_criterion_nobody_has_assessed() -> None:
    """5.6 needs the caseworker's judgement: an exception cannot skip the assessment."""
    result = evaluate(
        raelingen(),
        eligible_facts(),
        invoked_exceptions=[InvokedException("5.1.akutt_behov", ("5.6",), "Akutt.")],
    )
    assert result.criterion("5.6").outcome is Outcome.NEEDS_JUDGEMENT
    assert result.outcome is OverallOutcome.NEEDS_JUDGEMENT
    assert result.waivers == ()
    assert all("5.6" not in e.available_for for e in result.exceptions)


def test_an_exception_is_offered_only_for_criteria_that_are_not_met() -> None:
    facts = with_applicant(eligible_facts(), lived_in_municipality_since=date(2023, 9, 1))
    result = evaluate(raelingen(), facts)  # 5.6 and 5.4 need judgement, 5.3.botid fails
    assert result.exception("5.1.akutt_behov").available_for == ("5.3.botid",)


def test_an_eea_right_of_residence_is_judged_by_the_caseworker() -> None:
    facts = with_applicant(
        eligible_facts(), residence_status=ResidenceStatus.EEA_RIGHT_OF_RESIDENCE
    )
    open_ = evaluate(raelingen(), facts, assessments=judged())
    criterion = open_.criterion("5.3.oppholdstillatelse")
    assert criterion.outcome is Outcome.NEEDS_JUDGEMENT
    assert criterion.judgeable
    for outcome in (Outcome.MET, Outcome.NOT_MET):
        verdict = CaseworkerAssessment(
            "5.3.oppholdstillatelse", outcome, "Registrert med oppholdsrett som arbeidstaker."
        )
        result = evaluate(raelingen(), facts, assessments=(*judged(), verdict))
        assert result.criterion("5.3.oppholdstillatelse").outcome is outcome
        assert "arbeidstaker" in result.criterion("5.3.oppholdstillatelse").explanation.nb


def test_a_criterion_decided_by_facts_takes_no_judgement() -> None:
    verdict = CaseworkerAssessment("5.5", Outcome.MET, "Moden for alderen.")
    with pytest.raises(InvalidInputError):
        evaluate(raelingen(), eligible_facts(), assessments=(*judged(), verdict))

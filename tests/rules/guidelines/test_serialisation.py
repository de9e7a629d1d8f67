"""Storing an evaluation and reading or re-running it exactly, years later."""

import copy
import json
from dataclasses import replace
from datetime import date

import pytest

from husly.rules.guidelines import (
    CaseFacts,
    EvaluationResult,
    GuidelineRegistry,
    HouseholdMember,
    InvalidInputError,
    InvokedException,
    MemberRole,
    MunicipalDebtKind,
    evaluate,
    from_json,
    load_set_definition,
    reevaluate,
    to_json,
)
from husly.rules.guidelines.serialise import SerialisationError

from .builders import eligible_facts, judged, oslo_example, raelingen, with_applicant, with_debt


def stored_result() -> EvaluationResult:
    facts = with_debt(
        with_applicant(
            eligible_facts(
                household_members=(HouseholdMember(MemberRole.CHILD, date(2019, 4, 2)),)
            ),
            lived_in_municipality_since=date(2022, 1, 1),
        ),
        outstanding_arrears_kroner=3_000,
        kinds=(MunicipalDebtKind.RENT, MunicipalDebtKind.SOCIAL_LOAN),
        has_repayment_agreement=True,
        repayment_agreement_is_realistic=True,
    )
    invoked = InvokedException(
        "5.1.sterke_menneskelige_hensyn",
        ("5.3.botid",),
        "Barnet går på skole i kommunen.",
        invoked_by="saksbehandler-17",
        invoked_on=date(2024, 4, 2),
    )
    return evaluate(raelingen(), facts, assessments=judged(), invoked_exceptions=[invoked])


def test_it_serialises_to_json_safe_data_and_back_to_an_equal_result() -> None:
    result = stored_result()
    data = result.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert json.loads(text) == data
    assert EvaluationResult.from_dict(json.loads(text)) == result


def test_it_stores_the_inputs_the_set_version_and_every_criterion_result() -> None:
    data = stored_result().to_dict()
    assert data["format"] == "husly.guideline-evaluation/1"
    assert data["outcome"] == "meets_with_exception"
    reference = data["guideline_set"]
    assert (reference["id"], reference["version"]) == (
        "raelingen-utleiebolig-uten-tjenester",
        "2016",
    )
    assert len(reference["checksum"]) == 64
    facts = data["input"]["facts"]
    assert facts["applicant"]["lived_in_municipality_since"] == "2022-01-01"
    assert facts["municipal_debt"]["kinds"] == ["rent", "social_loan"]
    assert data["input"]["invoked_exceptions"][0]["invoked_on"] == "2024-04-02"
    ids = [c["criterion_id"] for c in data["criteria"]]
    assert ids == [
        "5.2",
        "5.3.oppholdstillatelse",
        "5.3.folkeregistrert",
        "5.3.botid",
        "5.4",
        "5.5",
        "5.6",
        "5.7",
    ]
    debt = data["criteria"][-1]
    assert debt["facts_used"][1] == {
        "path": "municipal_debt.kinds",
        "label": {"nb": "Type forpliktelse", "nn": "Type plikt"},
        "value": "rent, social_loan",
    }


def test_it_re_evaluates_a_stored_result_to_exactly_the_same_record() -> None:
    data = json.loads(json.dumps(stored_result().to_dict()))
    assert reevaluate(data).to_dict() == data


def test_it_re_evaluates_with_the_embedded_rules_even_if_the_set_files_change_later() -> None:
    data = stored_result().to_dict()
    data["guideline_set"]["definition"]["criteria"][3]["params"]["years"] = 1
    with pytest.raises(InvalidInputError, match="checksum"):
        reevaluate(data)


def test_it_re_evaluates_a_record_stored_without_the_definition_from_the_registry() -> None:
    data = stored_result().to_dict(include_definition=False)
    assert data["guideline_set"]["definition"] == {}
    assert reevaluate(data).to_dict(include_definition=False) == data


def test_it_refuses_to_re_evaluate_against_a_changed_set_with_the_same_version() -> None:
    data = stored_result().to_dict(include_definition=False)
    changed = copy.deepcopy(raelingen().definition)
    changed["criteria"][3]["params"]["years"] = 2
    registry = GuidelineRegistry([load_set_definition(changed), oslo_example()])
    with pytest.raises(InvalidInputError, match="has changed"):
        reevaluate(data, registry=registry)


def test_it_re_evaluates_a_stored_income_ceiling_with_the_stored_grunnbelop() -> None:
    facts = CaseFacts(application_date=date(2021, 9, 1))
    data = evaluate(oslo_example(), facts, grunnbelop=106_399).to_dict()
    assert data["input"]["grunnbelop"] == 106_399
    assert reevaluate(data).to_dict() == data


def test_it_reads_stored_records_strictly() -> None:
    data = stored_result().to_dict()
    bad_key = copy.deepcopy(data)
    bad_key["input"]["facts"]["applicant"]["shoe_size"] = 44
    with pytest.raises(SerialisationError, match="shoe_size"):
        EvaluationResult.from_dict(bad_key)
    bad_date = copy.deepcopy(data)
    bad_date["input"]["facts"]["application_date"] = "15.03.2024"
    with pytest.raises(SerialisationError, match="ISO date"):
        EvaluationResult.from_dict(bad_date)
    bad_bool = copy.deepcopy(data)
    bad_bool["input"]["facts"]["housing"]["has_right_to_renew_lease"] = "no"
    with pytest.raises(SerialisationError):
        EvaluationResult.from_dict(bad_bool)
    with pytest.raises(ValueError, match="format"):
        EvaluationResult.from_dict({**data, "format": "something/2"})


def test_it_round_trips_case_facts_on_their_own() -> None:
    facts = replace(eligible_facts(), assessment_date=date(2024, 5, 1))
    assert from_json(CaseFacts, to_json(facts)) == facts
    assert from_json(CaseFacts, {"application_date": "2024-03-15"}) == CaseFacts(date(2024, 3, 15))

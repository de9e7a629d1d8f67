from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from husly.cases import actions
from husly.cases.models import Assessment, Case, DecisionStatus
from husly.rules import guidelines as g
from tests.cases.helpers import ELIGIBLE, judge_all

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _case(sara, household, **data) -> Case:  # type: ignore[no-untyped-def]
    return actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data={**ELIGIBLE, **data},
        submit=True,
    )


def _assessed(sara, household, **data) -> Case:  # type: ignore[no-untyped-def]
    case = _case(sara, household, **data)
    actions.assessment_run(actor=sara, case=case)
    actions.assessment_run(actor=sara, case=case, judgements=judge_all(case, sara))
    return case


APPROVAL = {
    "help_kind": "rental_dwelling",
    "kind": "approval",
    "facts": "Husstanden bor på hospits og har ingen annen bolig.",
    "reasoning": "Vilkårene i retningslinjene punkt 5.2–5.7 er oppfylt.",
    "conditions": "Du må ta imot booppfølging.",
    "expected_wait_months": 4,
}


def test_the_assessment_is_stored_with_every_input_and_can_be_rerun(
    sara, household, routing
) -> None:
    case = _assessed(sara, household)
    assessment = case.assessments.first()
    assert assessment.outcome == "meets"
    assert assessment.guideline_set_id == "raelingen-utleiebolig-uten-tjenester"
    assert assessment.grunnbelop > 100_000
    rerun = g.reevaluate(assessment.record)
    assert rerun.to_dict() == assessment.record


def test_missing_facts_need_judgement_and_block_a_decision(
    sara, household, routing, housing_office
) -> None:
    case = _case(sara, household, housing_kind="other", is_without_suitable_housing=None)
    actions.assessment_run(actor=sara, case=case)
    assert case.assessments.first().outcome == "needs_judgement"
    with pytest.raises(ValidationError):
        actions.decision_draft(
            actor=sara, case=case, data={**APPROVAL, "follow_up_unit": housing_office}
        )


def test_an_approval_cannot_be_drafted_when_the_criteria_are_not_met(
    sara, household, routing, housing_office
) -> None:
    case = _assessed(sara, household, municipal_arrears=20_000, has_repayment_agreement=False)
    assert case.assessments.first().outcome == "does_not_meet"
    with pytest.raises(ValidationError):
        actions.decision_draft(
            actor=sara, case=case, data={**APPROVAL, "follow_up_unit": housing_office}
        )


def test_four_eyes_the_drafter_cannot_approve_and_an_approver_can(
    sara, geir, household, routing, housing_office
) -> None:
    case = _assessed(sara, household)
    decision = actions.decision_draft(
        actor=sara, case=case, data={**APPROVAL, "follow_up_unit": housing_office}
    )
    actions.decision_submit(actor=sara, decision=decision)
    with pytest.raises(PermissionDenied):  # a caseworker approves nothing
        actions.decision_approve(actor=sara, decision=decision)
    own = actions.decision_draft(
        actor=geir, case=case, data={**APPROVAL, "follow_up_unit": housing_office}
    )
    actions.decision_submit(actor=geir, decision=own)
    with pytest.raises(ValidationError, match="annen enn saksbehandleren"):
        actions.decision_approve(actor=geir, decision=own)  # an approver, but the drafter
    actions.decision_approve(actor=geir, decision=decision)
    assert decision.status == DecisionStatus.APPROVED
    assert decision.approved_by == geir


def test_without_four_eyes_a_submitted_decision_is_ready_to_issue(
    sara, household, routing, housing_office
) -> None:
    household.municipality.decision_requires_approval = False
    household.municipality.save()
    case = _assessed(sara, household)
    decision = actions.decision_draft(
        actor=sara, case=case, data={**APPROVAL, "follow_up_unit": housing_office}
    )
    actions.decision_submit(actor=sara, decision=decision)
    assert decision.status == DecisionStatus.APPROVED


def _issued(sara, geir, household, housing_office, **extra):  # type: ignore[no-untyped-def]
    case = _assessed(sara, household)
    decision = actions.decision_draft(
        actor=sara, case=case, data={**APPROVAL, "follow_up_unit": housing_office, **extra}
    )
    actions.decision_submit(actor=sara, decision=decision)
    actions.decision_approve(actor=geir, decision=decision)
    return actions.decision_issue(actor=sara, decision=decision)


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_letter_has_every_element_the_law_requires(
    sara, geir, household, routing, housing_office
) -> None:
    decision = _issued(sara, geir, household, housing_office)
    text = " ".join(_text(decision.letter.open("rb").read()).split())
    assert "Vedtak om kommunal utleiebolig" in text
    assert "Du får tilsagn om kommunal utleiebolig. Du står nå på ventelisten." in text
    assert "Husstanden bor på hospits" in text  # the facts (fvl. § 25)
    assert "boligsosial lov § 6" in text and "5.7" in text  # the rules applied
    assert "Vilkårene i retningslinjene" in text  # the reasoning
    assert "Du må ta imot booppfølging" in text  # conditions
    assert "Fristen er 26.03.2026" in text  # three weeks from 5 March 2026 (fvl. § 29)
    assert "Kommunens klagenemnd" in text  # appeal body
    assert "forvaltningsloven § 18" in text  # right to see the documents
    assert "§ 11" in text  # duty to guide
    assert "innen 05.09.2026" in text  # six-month promise (7.1)
    assert "faller bort" in text  # lapse if the situation changes (7.3)
    assert "Tjenestekontoret" in text  # the linked follow-up unit


def test_the_letter_is_in_the_recipients_written_standard(
    sara, geir, household, routing, housing_office
) -> None:
    applicant = household.members.get(relation="applicant").person
    applicant.language_form = "nn"
    applicant.save()
    decision = _issued(sara, geir, household, housing_office)
    text = " ".join(_text(decision.letter.open("rb").read()).split())
    assert "Du står no på ventelista" in text
    assert "forvaltningslova" in text


def test_an_issued_decision_is_immutable_and_reprints_identically(
    sara, geir, household, routing, housing_office
) -> None:
    decision = _issued(sara, geir, household, housing_office)
    stored = decision.letter.open("rb").read()
    assert hashlib.sha256(stored).hexdigest() == decision.letter_sha256
    with pytest.raises(ValidationError):
        actions.decision_update(actor=sara, decision=decision, data={"reasoning": "Nytt"})
    response = _client(sara).get(reverse("cases:decision_letter", args=[decision.pk]))
    assert response.content == stored


def test_a_replacing_decision_leaves_the_old_one_as_it_was(
    sara, geir, household, routing, housing_office
) -> None:
    old = _issued(sara, geir, household, housing_office)
    new = actions.decision_draft(
        actor=sara,
        case=old.case,
        replaces=old,
        data={**APPROVAL, "follow_up_unit": housing_office, "expected_wait_months": 2},
    )
    old.refresh_from_db()
    assert old.replaced_by == new
    assert old.status == DecisionStatus.ISSUED


def test_the_approver_sees_the_decision_in_the_work_list(
    sara, geir, household, routing, housing_office
) -> None:
    case = _assessed(sara, household)
    decision = actions.decision_draft(
        actor=sara, case=case, data={**APPROVAL, "follow_up_unit": housing_office}
    )
    actions.decision_submit(actor=sara, decision=decision)
    work = _client(geir).get(reverse("cases:work_list")).context["work"]
    assert work.awaiting_my_approval == [decision]
    assert _client(sara).get(reverse("cases:work_list")).context["work"].awaiting_my_approval == []


def test_an_assessment_record_reads_the_same_years_later(sara, household, routing) -> None:
    case = _assessed(sara, household)
    stored = Assessment.objects.get(pk=case.assessments.first().pk).record
    result = g.EvaluationResult.from_dict(stored)
    assert result.outcome is g.OverallOutcome.MEETS


def test_an_exception_with_a_reason_sets_aside_the_criterion_it_is_picked_for(
    sara, household, routing
) -> None:
    recent = dt.date.today() - dt.timedelta(days=200)  # noqa: DTZ011 - a date, months back
    case = _case(sara, household, lived_in_municipality_since=recent)
    actions.assessment_run(actor=sara, case=case)
    judgements = judge_all(case, sara)
    actions.assessment_run(actor=sara, case=case, judgements=judgements)
    assert case.assessments.first().outcome == "does_not_meet"  # three years' residence, 5.3
    actions.assessment_run(
        actor=sara,
        case=case,
        judgements=judgements,
        waivers={"5.3.botid": ("5.1.akutt_behov", "Barnefamilie uten bolig i vinter.")},
    )
    assert case.assessments.first().outcome == "meets_with_exception"
    with pytest.raises(ValidationError):
        actions.assessment_run(actor=sara, case=case, waivers={"5.3.botid": ("9.9", "Ukjent.")})

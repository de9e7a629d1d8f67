"""Assessment without dead ends (issue 11, items 5–8), through the pages a caseworker uses.

Every criterion of every guideline set a municipality can use is brought to *met* and to
*not met* by posting the real forms: the person's page (register data), the assessment's facts
form (each fact with its source) and the judgement form (judgements and exceptions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from husly.cases import actions
from husly.cases.facts import APPLICATION_FACTS, DERIVED_FACTS, PERSON_FACTS
from husly.cases.models import Case
from husly.organisation.models import Municipality
from husly.people.forms import PersonForm
from husly.rules import guidelines as g
from tests.cases.helpers import ELIGIBLE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _case(sara, household, **data: Any) -> Case:  # type: ignore[no-untyped-def]
    return actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data={**ELIGIBLE, **data},
        submit=True,
    )


def _form_value(value: Any) -> Any:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def post_person(client: Client, case: Case, **changes: Any) -> None:
    """Change the applicant through the person page's form (the register data)."""
    person = case.household.members.get(relation="applicant").person
    data = {
        k: _form_value(v) for k, v in model_to_dict(person, fields=PersonForm.Meta.fields).items()
    }
    data.pop("municipality", None)
    data.update({k: _form_value(v) for k, v in changes.items()})
    response = client.post(reverse("people:person_edit", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def post_facts(client: Client, case: Case, **changes: Any) -> None:
    """Record facts through the assessment's facts form, every known fact with a source."""
    url = reverse("cases:assessment_facts", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    application = case.application
    application.refresh_from_db()
    values = {name: getattr(application, name) for name in APPLICATION_FACTS.values()}
    values.update(changes)
    data: dict[str, Any] = {}
    for name, value in values.items():
        assert f'name="{name}"' in page.content.decode(), f"no field for {name}"
        data[name] = _form_value(value)
        if value not in (None, "", []):
            data[f"source:{name}"] = "document"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def post_assessment(client: Client, case: Case, data: dict[str, str] | None = None) -> Any:
    return client.post(reverse("cases:assessment_run", args=[case.pk]), data or {})


def latest(case: Case) -> g.EvaluationResult:
    return g.EvaluationResult.from_dict(case.assessments.first().record)


@dataclass
class Scenario:
    person: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    judge: dict[str, str] = field(default_factory=dict)
    """criterion id → outcome; every other criterion left to judgement is judged met."""


def _soon(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


NOT_A_TENANT_OR_PATIENT = {"housing_kind": "no_home"}
HAS_A_GOOD_HOME = {
    "is_without_suitable_housing": False,
    "housing_kind": "rented_private",
    "lease_end_date": _soon(900),
    "has_right_to_renew_lease": True,
    "current_dwelling_is_suitable": True,
    "current_dwelling_is_approved": True,
}

RAELINGEN: dict[str, tuple[Scenario, Scenario]] = {
    "5.2": (Scenario(), Scenario(facts={"has_alternative_housing_options": True})),
    # An EEA citizen has a right of residence, not a permit; the guideline sends it to
    # judgement, and the caseworker can now judge it both ways.
    "5.3.oppholdstillatelse": (
        Scenario(person={"residence_permit": "eea"}, judge={"5.3.oppholdstillatelse": "met"}),
        Scenario(person={"residence_permit": "eea"}, judge={"5.3.oppholdstillatelse": "not_met"}),
    ),
    "5.3.folkeregistrert": (
        Scenario(),
        Scenario(person={"registered_municipality_number": "0301"}),
    ),
    # The date the applicant started living here, not the registration date.
    "5.3.botid": (
        Scenario(
            person={"registered_since": _soon(-100)},
            facts={"lived_in_municipality_since": dt.date(2019, 3, 1)},
        ),
        Scenario(facts={"lived_in_municipality_since": _soon(-200)}),
    ),
    "5.4": (Scenario(), Scenario(judge={"5.4.behov_for_hjelp": "not_met"})),
    "5.4.situasjon": (Scenario(), Scenario(facts=HAS_A_GOOD_HOME)),
    "5.4.uten_egnet_bolig": (
        Scenario(),
        Scenario(facts={"is_without_suitable_housing": False}),
    ),
    "5.4.a": (
        Scenario(
            facts={
                "housing_kind": "rented_private",
                "lease_end_date": _soon(60),
                "has_right_to_renew_lease": False,
            }
        ),
        Scenario(facts=NOT_A_TENANT_OR_PATIENT),
    ),
    "5.4.b": (
        Scenario(
            facts={
                "housing_kind": "institution",
                "institution_discharge_date": _soon(60),
                "has_home_after_discharge": False,
            }
        ),
        Scenario(facts=NOT_A_TENANT_OR_PATIENT),
    ),
    "5.4.c": (
        Scenario(
            facts={"current_dwelling_is_suitable": True, "current_dwelling_is_approved": False}
        ),
        Scenario(
            facts={"current_dwelling_is_suitable": True, "current_dwelling_is_approved": True}
        ),
    ),
    "5.4.behov_for_hjelp": (
        Scenario(judge={"5.4.behov_for_hjelp": "met"}),
        Scenario(judge={"5.4.behov_for_hjelp": "not_met"}),
    ),
    "5.5": (
        Scenario(),
        Scenario(person={"national_id": "", "date_of_birth": _soon(-16 * 365)}),
    ),
    "5.6": (Scenario(judge={"5.6": "met"}), Scenario(judge={"5.6": "not_met"})),
    # Whether a repayment agreement is realistic is now a fact with a field.
    "5.7": (
        Scenario(
            facts={
                "municipal_arrears": 12_000,
                "municipal_debt_kinds": ["rent"],
                "has_repayment_agreement": True,
                "repayment_agreement_is_realistic": True,
            }
        ),
        Scenario(
            facts={
                "municipal_arrears": 12_000,
                "has_repayment_agreement": True,
                "repayment_agreement_is_realistic": False,
            }
        ),
    ),
}
"""Per criterion of Rælingen's set: how a caseworker makes it met, and not met."""

SCENARIOS = {"raelingen-utleiebolig-uten-tjenester": RAELINGEN}


def _usable_sets() -> list[g.GuidelineSet]:
    """Every shipped set a municipality can be assessed against (example sets never are)."""
    return [s for s in _rental_sets() if not s.is_example]


def _rental_sets() -> list[g.GuidelineSet]:
    """The sets the case assessment form records facts for. Start-loan and grant sets are
    assessed on the loan or grant application's own facts (husly.loans,
    tests/rules/guidelines/cases)."""
    own_facts = {"start_loan", "establishment_grant", "adaptation_grant"}
    return [s for s in g.default_registry().sets if s.application_kind not in own_facts]


def test_the_scenarios_cover_every_criterion_of_every_usable_shipped_set() -> None:
    for guideline in _usable_sets():
        ids = {spec.id for spec in guideline.all_criteria()}
        assert set(SCENARIOS[guideline.id]) == ids, guideline.id


def test_every_fact_a_shipped_criterion_reads_has_a_field() -> None:
    """Including the illustrative example set: every fact path a criterion looks at can be
    recorded in a form (the assessment's facts form or the person's page), or is derived."""
    recordable = set(APPLICATION_FACTS) | set(PERSON_FACTS) | DERIVED_FACTS | {"grunnbelop"}
    assert set(PERSON_FACTS.values()) <= set(PersonForm.Meta.fields)
    for guideline in _rental_sets():
        facts = g.CaseFacts(application_date=dt.date(2025, 6, 1))
        result = g.evaluate(guideline, facts, grunnbelop=124_028)
        read = {f.path for top in result.criteria for r in top.walk() for f in r.facts_used}
        assert read, guideline.id
        assert read <= recordable, (guideline.id, read - recordable)


@pytest.mark.parametrize("outcome", ["met", "not_met"])
@pytest.mark.parametrize("criterion_id", sorted(RAELINGEN))
def test_a_caseworker_brings_every_criterion_to_met_and_not_met_through_the_forms(
    sara, household, routing, criterion_id: str, outcome: str
) -> None:
    scenario = RAELINGEN[criterion_id][0 if outcome == "met" else 1]
    case = _case(sara, household)
    client = _client(sara)
    if scenario.person:
        post_person(client, case, **scenario.person)
    if scenario.facts:
        post_facts(client, case, **scenario.facts)
    assert post_assessment(client, case).status_code == 302
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    data: dict[str, str] = {}
    for result in latest(case).criteria:
        for crit in result.walk():
            if crit.judgeable:
                name = crit.criterion_id
                assert f'name="judge:{name}"' in page
                data[f"judge:{name}"] = scenario.judge.get(name, "met")
                data[f"reason:{name}"] = "Vurdert etter samtale og dokumentasjon."
    assert set(scenario.judge) <= {k.split(":", 1)[1] for k in data}, "judgement not offered"
    response = post_assessment(client, case, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert latest(case).criterion(criterion_id).outcome.value == outcome


def test_recorded_facts_carry_their_source_on_the_case_page(sara, household, routing) -> None:
    case = _case(sara, household)
    client = _client(sara)
    post_facts(
        client,
        case,
        municipal_arrears=5_000,
        has_repayment_agreement=True,
        repayment_agreement_is_realistic=True,
    )
    case.application.refresh_from_db()
    assert case.application.fact_sources["repayment_agreement_is_realistic"] == "document"
    post_assessment(client, case)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    # The text a reader sees: the guideline's label may be marked up (e.g. <span lang="nb">).
    text = " ".join(strip_tags(page).split())
    assert "Nedbetalingsavtalen er realistisk: Ja (Dokument)" in text
    assert "Folkeregistrert i kommune (kommunenummer): 3224 (Personregisteret)" in text


def test_a_fact_without_its_source_is_refused_and_nothing_typed_is_lost(
    sara, household, routing
) -> None:
    case = _case(sara, household)
    url = reverse("cases:assessment_facts", args=[case.pk])
    response = _client(sara).post(
        url, {"municipal_arrears": "7000", "repayment_agreement_is_realistic": "false"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Si hvor opplysningen kommer fra." in html
    assert 'value="7000"' in html
    assert 'class="ds-error-summary"' in html
    case.application.refresh_from_db()
    assert case.application.repayment_agreement_is_realistic is None


# --- item 6: an exception waives only the criteria picked, each with its own reason -----------


def _two_failures(sara, household) -> tuple[Client, Case]:  # type: ignore[no-untyped-def]
    case = _case(sara, household, lived_in_municipality_since=_soon(-200))
    client = _client(sara)
    post_person(client, case, registered_municipality_number="0301")
    post_assessment(client, case)
    return client, case


def test_an_exception_is_offered_only_for_criteria_that_are_not_met(
    sara, household, routing
) -> None:
    client, case = _two_failures(sara, household)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'name="waive:5.3.botid"' in page
    assert 'name="waive:5.3.folkeregistrert"' in page
    # 5.6 still needs judgement and 5.5 is met: neither can be set aside.
    assert 'name="waive:5.6"' not in page
    assert 'name="waive:5.5"' not in page


def test_an_exception_sets_aside_only_the_criterion_picked_with_its_own_reason(
    sara, household, routing
) -> None:
    client, case = _two_failures(sara, household)
    judged = {
        f"{kind}:{cid}": value
        for cid in ("5.4.behov_for_hjelp", "5.6")
        for kind, value in (("judge", "met"), ("reason", "Vurdert i samtalen."))
    }
    post_assessment(
        client,
        case,
        {**judged, "waive:5.3.botid": "5.1.akutt_behov", "waivereason:5.3.botid": "Akutt."},
    )
    result = latest(case)
    assert result.outcome is g.OverallOutcome.DOES_NOT_MEET  # 5.3.folkeregistrert still fails
    assert [(w.criterion_id, w.exception_id, w.reason) for w in result.waivers] == [
        ("5.3.botid", "5.1.akutt_behov", "Akutt.")
    ]
    post_assessment(
        client,
        case,
        {
            **judged,
            "waive:5.3.botid": "5.1.akutt_behov",
            "waivereason:5.3.botid": "Familien står uten bolig i dag.",
            "waive:5.3.folkeregistrert": "5.1.sterke_menneskelige_hensyn",
            "waivereason:5.3.folkeregistrert": "Flyttet hit på krisesenter.",
        },
    )
    result = latest(case)
    assert result.outcome is g.OverallOutcome.MEETS_WITH_EXCEPTION
    record = case.assessments.first().record
    assert [
        (w["point"], w["title"]["nb"], w["exception_title"]["nb"], w["reason"])
        for w in record["waivers"]
    ] == [
        (
            "5.3",
            "Folkeregistrert i Rælingen kommune",
            "Unntak ved sterke menneskelige hensyn (pkt. 5.1)",
            "Flyttet hit på krisesenter.",
        ),
        (
            "5.3",
            "Bodd sammenhengende i kommunen de siste tre år",
            "Unntak ved akutt behov (pkt. 5.1)",
            "Familien står uten bolig i dag.",
        ),
    ]
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Flyttet hit på krisesenter." in page


def test_a_missing_residence_permit_is_never_set_aside_unless_picked(
    sara, household, routing
) -> None:
    case = _case(sara, household, lived_in_municipality_since=_soon(-200))
    client = _client(sara)
    post_person(client, case, residence_permit="none")
    post_assessment(client, case)
    judged = {
        f"{kind}:{cid}": value
        for cid in ("5.4.behov_for_hjelp", "5.6")
        for kind, value in (("judge", "met"), ("reason", "Vurdert i samtalen."))
    }
    post_assessment(
        client,
        case,
        {**judged, "waive:5.3.botid": "5.1.akutt_behov", "waivereason:5.3.botid": "Akutt."},
    )
    result = latest(case)
    assert result.criterion("5.3.oppholdstillatelse").outcome is g.Outcome.NOT_MET
    assert result.outcome is g.OverallOutcome.DOES_NOT_MEET
    assert [w.criterion_id for w in result.waivers] == ["5.3.botid"]


# --- item 7: the judgement form keeps everything typed and shows errors at the field ---------


def test_an_invalid_judgement_keeps_everything_typed_and_marks_the_field(
    sara, household, routing
) -> None:
    client, case = _two_failures(sara, household)
    response = post_assessment(
        client,
        case,
        {
            "judge:5.6": "met",
            "reason:5.6": "Lav inntekt og ingen formue.",
            "judge:5.4.behov_for_hjelp": "not_met",
            "reason:5.4.behov_for_hjelp": "",
            "waive:5.3.botid": "5.1.akutt_behov",
            "waivereason:5.3.botid": "Barna må ha et sted å bo.",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Lav inntekt og ingen formue." in html
    assert "Barna må ha et sted å bo." in html
    assert '<option value="not_met" selected>' in html
    assert 'id="id_reason:5.4.behov_for_hjelp_error"' in html  # the message at the field
    assert 'href="#id_reason:5.4.behov_for_hjelp"' in html  # and in the summary, linked
    assert case.assessments.count() == 1  # nothing stored


def test_saved_judgements_show_as_saved(sara, household, routing) -> None:
    client, case = _two_failures(sara, household)
    post_assessment(client, case, {"judge:5.6": "not_met", "reason:5.6": "Høy formue."})
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    saved_on = TODAY.strftime("%d.%m.%Y")
    assert f"Lagret {saved_on}: Ikke oppfylt." in page
    assert "Høy formue." in page


# --- item 8: the guideline the municipality has adopted, by kind of help and date ------------


def test_a_municipality_without_an_adopted_guideline_gets_a_clear_message(
    sara, household, routing, raelingen
) -> None:
    Municipality.objects.filter(pk=raelingen.pk).update(number="0301", name="Oslo")
    case = _case(sara, household)
    page = _client(sara).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    # Oslo has only the illustrative example set: it is never used.
    assert "Oslo har ingen retningslinje for «Kommunal utleiebolig uten tjenester»" in page
    assert "Vurder etter retningslinjene" not in page
    response = post_assessment(_client(sara), case)
    assert response.status_code == 302
    assert case.assessments.count() == 0


def test_the_guideline_is_chosen_by_kind_of_help_and_date(sara, household, routing) -> None:
    case = _case(sara, household)
    chosen = actions.guideline_for(case, dt.date(2020, 1, 1))
    assert chosen.id == "raelingen-utleiebolig-uten-tjenester"
    with pytest.raises(ValidationError, match="ingen retningslinje"):
        actions.guideline_for(case, dt.date(2010, 1, 1))  # before the set was in force
    advice = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["advice"],
        data=ELIGIBLE,
        submit=True,
    )
    assert "Ingen av hjelpeformene" in actions.guideline_problem(advice)


# --- the engine's developer texts never reach a caseworker --------------------------------------


def test_judging_a_criterion_decided_by_facts_gives_a_norwegian_message(
    sara, household, routing
) -> None:
    case = _case(sara, household)
    actions.assessment_run(actor=sara, case=case)
    with pytest.raises(ValidationError) as caught:
        actions.assessment_run(
            actor=sara, case=case, judgements={"5.5": ("met", "Alder er ikke viktig.")}
        )
    message = " ".join(caught.value.messages)
    assert "avgjøres av opplysningene" in message
    assert "decided by facts" not in message


@pytest.mark.parametrize("url_name", ["cases:assessment_facts", "cases:application_edit"])
def test_long_forms_show_stored_yes_no_facts_as_chosen(
    sara, household, routing, url_name: str
) -> None:
    """Saving a long form unchanged must not turn known facts into unknown ones."""
    case = _case(sara, household)
    client = _client(sara)
    html = client.get(reverse(url_name, args=[case.pk])).content.decode()
    chosen = html.split('name="is_without_suitable_housing"', 1)[1].split("</select>", 1)[0]
    assert '<option value="true" selected>' in chosen
    refused = html.split('name="has_alternative_housing_options"', 1)[1].split("</select>", 1)[0]
    assert '<option value="false" selected>' in refused


def test_the_letter_data_names_each_criterion_set_aside_with_its_reason(
    sara, household, routing, housing_office
) -> None:
    from django.template.loader import render_to_string

    from husly.cases.letters import decision_letter_context

    client, case = _two_failures(sara, household)
    judged = {
        f"{kind}:{cid}": value
        for cid in ("5.4.behov_for_hjelp", "5.6")
        for kind, value in (("judge", "met"), ("reason", "Vurdert i samtalen."))
    }
    post_assessment(
        client,
        case,
        {
            **judged,
            "waive:5.3.botid": "5.1.akutt_behov",
            "waivereason:5.3.botid": "Familien står uten bolig i dag.",
            "waive:5.3.folkeregistrert": "5.1.sterke_menneskelige_hensyn",
            "waivereason:5.3.folkeregistrert": "Flyttet hit på krisesenter.",
        },
    )
    decision = actions.decision_draft(
        actor=sara,
        case=case,
        data={
            "help_kind": "rental_dwelling",
            "kind": "approval",
            "facts": "Familien bor på krisesenter.",
            "reasoning": "Vilkårene er oppfylt med unntak.",
            "expected_wait_months": 3,
            "follow_up_unit": housing_office,
        },
    )
    context = decision_letter_context(decision)
    assert context["waivers"] == [
        {
            "point": "5.3",
            "criterion": "Folkeregistrert i Rælingen kommune",
            "ground": "Unntak ved sterke menneskelige hensyn (pkt. 5.1)",
            "reason": "Flyttet hit på krisesenter.",
        },
        {
            "point": "5.3",
            "criterion": "Bodd sammenhengende i kommunen de siste tre år",
            "ground": "Unntak ved akutt behov (pkt. 5.1)",
            "reason": "Familien står uten bolig i dag.",
        },
    ]
    html = render_to_string("cases/letters/decision.html", context)
    assert "5.3 Bodd sammenhengende i kommunen de siste tre år – Unntak ved akutt behov" in html
    assert "Flyttet hit på krisesenter." in html

"""The case page and the case list give the markup their templates gave before they were made
cheaper (issue 17; the templates as of session 8 are kept in ``markup_before/``), rendered
here with what the old views read, the old way: the same HTML apart from CSRF tokens, for
cases with and without every part the page shows, for a routed and a shared reader. And the
case page asks the database a fixed number of times."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch, Q
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from husly.cases import actions, selectors
from husly.cases.assessment_forms import JudgementForm
from husly.cases.facts import fact_source_labels
from husly.cases.forms import CaseFilterForm, DocumentForm, JournalNoteForm
from husly.cases.letters import _flat_criteria
from husly.cases.models import Case, CaseRouting, CaseStatus
from husly.consent import actions as consent_actions
from husly.consent.selectors import sharing_for_case
from husly.core.pages import PAGE_SIZE, querystring_without_page
from husly.people.models import HouseholdMember, StatedMember
from tests.cases.helpers import ELIGIBLE, judge_all
from tests.conftest import _user
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

BEFORE = Path(__file__).parent / "markup_before"
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _without_tokens(html: str) -> str:
    return CSRF.sub(r"\1", html)


def _before(name: str, context: dict[str, Any], response: Any) -> str:
    template = engines["django"].from_string((BEFORE / name).read_text())
    return str(template.render(context, request=response.wsgi_request))


def _old_case_context(user, pk: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """What the case page's view read before (session 8), the way it read it."""
    case = selectors.cases_for_user(user).get(pk=pk)
    routings = list(case.routings.select_related("unit", "assigned_to"))
    access = selectors.case_access(user, case, routings=routings)
    members = list(
        HouseholdMember.objects.filter(household_id=case.household_id).select_related("person")
    )
    assessment = case.assessments.first()
    return {
        "case": case,
        "application": case.application,
        "routings": routings,
        "can_take": selectors.can_take(user, case),
        "can_refer": selectors.can_refer(user, case),
        "members": members,
        "notes": case.notes.select_related("author", "author__resident"),
        "documents": case.documents.all(),
        "assessment": assessment,
        "criteria": _flat_criteria(assessment.record["criteria"]) if assessment else [],
        "fact_sources": fact_source_labels(case, members),
        "guideline_problem": actions.guideline_problem(case),
        "judgement_form": JudgementForm(assessment) if assessment else None,
        "decisions": case.decisions.select_related("drafted_by", "approved_by"),
        "replies": case.preliminary_replies.all(),
        "can_act": selectors.can_act_on(user, case),
        "note_form": JournalNoteForm(initial={"held_on": timezone.localdate()}),
        "document_form": DocumentForm(),
        "access": access,
        "sharing": sharing_for_case(case) if access.routed else None,
    }


def _same_case_page(user, case: Case) -> str:  # type: ignore[no-untyped-def]
    response = _client(user).get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    before = _before("case_detail.html", _old_case_context(user, case.pk), response)
    assert _without_tokens(page) == _without_tokens(before)
    return page


def _new_case(sara, household, **extra: Any) -> Case:  # type: ignore[no-untyped-def]
    return actions.case_create(
        actor=sara,
        household=household,
        channel="phone",
        help_kinds=extra.pop("help_kinds", ["rental_dwelling"]),
        data=ELIGIBLE,
        submit=extra.pop("submit", True),
    )


@pytest.fixture
def kari(routing):  # type: ignore[no-untyped-def]
    """A caseworker at NAV, a unit the case is not routed to."""
    return _user("kari", routing, "caseworker")


@pytest.fixture
def full_case(sara, household, routing, housing_office, kari) -> Case:  # type: ignore[no-untyped-def]
    """A case with every part the page shows: an assessment with judgements, a preliminary
    reply, a note, a document, a draft decision, a consent for NAV, a member stated in Min
    side and not checked yet, and a name that must be escaped."""
    household.name = "Berg <&> 'Dahl'"
    household.save()
    case = _new_case(sara, household)
    actions.assessment_run(actor=sara, case=case)
    actions.assessment_run(actor=sara, case=case, judgements=judge_all(case, sara))
    actions.preliminary_reply_send(
        actor=sara,
        case=case,
        reason="Vi venter på papirer.",
        expected_by=timezone.localdate() + dt.timedelta(days=20),
    )
    actions.journal_note_add(
        actor=sara,
        case=case,
        data={"kind": "home_visit", "held_on": dt.date(2026, 3, 2), "text": "Hjemmebesøk <b>."},
    )
    actions.document_add(
        actor=sara,
        case=case,
        title="Lønn & skatt",
        upload=SimpleUploadedFile("l.pdf", b"%PDF-1.4 minimal", content_type="application/pdf"),
    )
    actions.decision_draft(
        actor=sara,
        case=case,
        data={
            "help_kind": "rental_dwelling",
            "kind": "approval",
            "facts": "Bor på hospits.",
            "reasoning": "Vilkårene er oppfylt.",
            "conditions": "",
            "expected_wait_months": 4,
            "follow_up_unit": housing_office,
        },
    )
    applicant = case.household.members.get(relation="applicant").person
    consent_actions.consent_give(
        actor=sara,
        case=case,
        given_by=applicant,
        units=[routing],
        purposes=["economic_advice"],
        data_categories=["application", "decisions"],
        given_how="written",
    )
    StatedMember.objects.create(
        household=household,
        given_name="Emil",
        family_name="Vik",
        date_of_birth=dt.date(2015, 5, 1),
        relation="child",
        stated_by=sara,
    )
    return case


def test_the_case_page_with_every_part_is_the_markup_it_was(full_case, sara, geir, kari) -> None:  # type: ignore[no-untyped-def]
    page = _same_case_page(sara, full_case)
    for shown in ("Hjemmebesøk &lt;b&gt;.", "Lønn &amp; skatt", "Berg &lt;&amp;&gt; &#x27;Dahl"):
        assert shown in page
    # The member stated in Min side and not checked yet is counted, with a link to check it.
    assert reverse("people:household_detail", args=[full_case.household_id]) + "#oppgitte" in page
    assert _same_case_page(geir, full_case)  # an approver of the same unit
    shared = _same_case_page(kari, full_case)  # NAV sees it on the consent, in part
    assert "samtykket" in shared and "Hjemmebesøk" not in shared


def test_the_case_page_of_closed_bare_and_draft_cases_is_the_markup_it_was(  # type: ignore[no-untyped-def]
    sara, household, routing
) -> None:
    bare = _new_case(sara, household)
    _same_case_page(sara, bare)
    closed = _new_case(sara, HouseholdFactory(municipality=household.municipality))
    actions.case_close(actor=sara, case=closed, reason="other", note="Feil <registrert>.")
    assert "Feil &lt;registrert&gt;." in _same_case_page(sara, closed)
    duplicate = _new_case(sara, household, help_kinds=["rental_dwelling", "deposit_guarantee"])
    actions.case_close(actor=sara, case=duplicate, reason="duplicate", duplicate_of=bare)
    _same_case_page(sara, duplicate)
    draft = _new_case(sara, HouseholdFactory(municipality=household.municipality), submit=False)
    assert draft.status == CaseStatus.DRAFT
    _same_case_page(sara, draft)


def _old_list(user, search: str, status: str, help_kind: str):  # type: ignore[no-untyped-def]
    """The case list's selector before (session 8)."""
    queryset = (
        selectors.cases_for_user(user)
        .select_related(None)
        .select_related("household", "assigned_to")
        .only(
            "number",
            "status",
            "close_reason",
            "received_on",
            "household__name",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "assigned_to__username",
        )
        .prefetch_related(
            Prefetch("routings", queryset=CaseRouting.objects.only("case_id", "help_kind"))
        )
    )
    if search:
        queryset = queryset.filter(
            Q(number__icontains=search) | Q(household__name__icontains=search)
        )
    if status == "open":
        queryset = queryset.exclude(status=CaseStatus.CLOSED)
    elif status:
        queryset = queryset.filter(status=status)
    if help_kind:
        queryset = queryset.filter(routings__help_kind=help_kind).distinct()
    return queryset


def _same_case_list(user, query: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    response = _client(user).get(reverse("cases:case_list"), query)
    assert response.status_code == 200
    request = response.wsgi_request
    form = CaseFilterForm(request.GET or None)
    queryset = _old_list(user, form.value("q"), form.value("status"), form.value("help_kind"))
    context = {
        "page": Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("side")),
        "filter_form": form,
        "querystring": querystring_without_page(request),
        "can_register": bool(selectors.unit_ids(user, selectors.CASE_WRITE)),
    }
    page = response.content.decode()
    assert _without_tokens(page) == _without_tokens(_before("case_list.html", context, response))
    return page


def test_the_case_list_is_the_markup_it_was(full_case, sara, kari, household) -> None:  # type: ignore[no-untyped-def]
    other = HouseholdFactory(municipality=household.municipality, name="Lund")
    two = _new_case(sara, other, help_kinds=["rental_dwelling", "deposit_guarantee"])
    actions.case_assign(actor=sara, case=two, caseworker=sara)
    closed = _new_case(sara, other)
    actions.case_close(actor=sara, case=closed, reason="moved", note="")
    draft = _new_case(sara, other, submit=False)
    everything = _same_case_list(sara, {})
    assert all(c.number in everything for c in (full_case, two, closed, draft))
    assert "4 treff" in everything
    for query in (
        {"status": "closed"},
        {"status": "open"},
        {"status": "draft"},
        {"q": "lund"},
        {"q": full_case.number[-4:]},
        {"help_kind": "deposit_guarantee"},
        {"side": "2"},
        {"side": "x"},
    ):
        _same_case_list(sara, query)
    # NAV's caseworker sees the consented case only (not routed to NAV), and not the draft.
    shared = _same_case_list(kari, {})
    assert full_case.number in shared and two.number not in shared and "1 treff" in shared
    _same_case_list(kari, {"status": "open"})


def test_the_case_page_asks_a_fixed_number_of_times(full_case, sara, household) -> None:  # type: ignore[no-untyped-def]
    bare = _new_case(sara, HouseholdFactory(municipality=household.municipality))
    client = _client(sara)

    def count(case: Case) -> int:
        client.get(reverse("cases:case_detail", args=[case.pk]))  # the session and menu read
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("cases:case_detail", args=[case.pk]))
        assert response.status_code == 200
        return len(queries)

    # Session, user, memberships; the case with its application and flags, its routings, its
    # members, the access log; the menu's figure (2); its decisions.
    assert count(bare) == 10
    # And its assessment, replies, notes, documents, consents (with their units).
    assert count(full_case) == 10 + 7

"""The work list's rows are read from plain text made once per row in the view (issue 17: two
reversed addresses, a CSRF tag, a formatted date and a model's display method per row cost more
than the rest of the page). The page must be the markup the templates gave before, escaping
included, apart from the CSRF tokens (new on every render)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from husly.cases import actions
from husly.cases.models import Case
from husly.cases.selectors import WorkList
from tests.cases.helpers import ELIGIBLE
from tests.conftest import _user
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

# The templates as of session 8 (work_list.html and work_cases.html), kept to compare with.
BEFORE = Path(__file__).parent / "markup_before"
NOW = dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC)
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def _case(actor, municipality, name: str, received: dt.datetime, kind: str = "rental_dwelling"):  # type: ignore[no-untyped-def]
    household = HouseholdFactory(
        municipality=municipality, applicant=PersonFactory(municipality=municipality), name=name
    )
    with time_machine.travel(received):
        return actions.case_create(
            actor=actor,
            household=household,
            channel="phone",
            help_kinds=[kind],
            data=ELIGIBLE,
            submit=True,
        )


def _with_models(work: WorkList) -> WorkList:
    """The work list as the selector gave it when the templates were written: its cases as
    models (they are plain rows now, ``WorkCase``), for the templates of then to read."""
    cases = [*work.new_cases, *work.my_cases, *(item.case for item in work.deadlines)]
    models = Case.objects.select_related("household", "assigned_to").in_bulk(
        [case.pk for case in cases]
    )
    return dataclasses.replace(
        work,
        new_cases=[models[case.pk] for case in work.new_cases],
        my_cases=[models[case.pk] for case in work.my_cases],
        deadlines=[dataclasses.replace(item, case=models[item.case.pk]) for item in work.deadlines],
    )


def _without_tokens(html: str) -> str:
    return TOKEN.sub(r"\1TOKEN\"", html)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?sort=number",
        "?sort=deadline",
        "?deadline=week",
        # The filters chosen, and values that are not choices (errors shown by the fields).
        "?unit={unit}&help_kind=rental_dwelling&status=submitted&deadline=overdue&sort=number",
        "?unit=999&help_kind=x&status=<b>&deadline=&sort=x",
    ],
)
def test_the_work_list_is_the_markup_the_templates_gave(  # type: ignore[no-untyped-def]
    sara, raelingen, housing_office, routing, query
) -> None:
    _user("hanne", housing_office, "caseworker")  # a colleague to give cases to
    sara.first_name, sara.last_name = "Sara", "<Sæther>"
    sara.save()
    # Long past its § 11a month (overdue), within a week of it, and new; one escaped name.
    overdue = _case(sara, raelingen, "<Ola & 'Kari'>", dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC))
    near = _case(sara, raelingen, "Berg", dt.datetime(2026, 11, 4, 9, tzinfo=dt.UTC))
    _case(sara, raelingen, "Dahl", dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), "start_loan")
    fresh = _case(sara, raelingen, "Lund", dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC))
    actions.case_assign(actor=sara, case=near, caseworker=sara)
    client = Client()
    client.force_login(sara)
    with time_machine.travel(NOW):
        response = client.get(reverse("cases:work_list") + query.format(unit=housing_office.pk))
        assert response.status_code == 200
        after = response.content.decode()
        context = {
            key: response.context[key]
            for key in ("work", "allocation_work", "colleague_options", "filter_form", "next")
        }
        context["work"] = _with_models(context["work"])
        templates = [{**settings.TEMPLATES[0], "DIRS": [BEFORE, *settings.TEMPLATES[0]["DIRS"]]}]
        with override_settings(TEMPLATES=templates):
            before = render_to_string(
                "cases/work_list.html", context, request=response.wsgi_request
            )
    assert _without_tokens(after) == _without_tokens(before)
    # The rows are there to compare: new and own cases, a deadline passed and one near, with
    # the way to a preliminary reply, the assignment forms and the escaped names.
    if "unit={unit}" in query:
        # Only the overdue case is left; the filters shown chosen.
        assert reverse("cases:preliminary_reply_create", args=[overdue.pk]) in after
        assert reverse("cases:case_detail", args=[fresh.pk]) not in after
        assert f'<option value="{housing_office.pk}" selected>' in after
        assert '<option value="overdue" selected>Fristen er ute</option>' in after
        return
    if "unit=999" in query:
        # Not choices: each field says so, marked for assistive tech; the list is unfiltered.
        assert after.count('aria-invalid="true"') == 4
        assert 'aria-describedby="id_status_error" id="id_status"' in after
        assert 'id="id_unit_error">' in after
    assert after.count('name="csrfmiddlewaretoken"') >= 4
    assert "&lt;Ola &amp; &#x27;Kari&#x27;&gt;" in after
    assert "<td>Sara &lt;Sæther&gt;</td>" in after
    assert reverse("cases:preliminary_reply_create", args=[overdue.pk]) in after
    assert reverse("cases:case_assign", args=[near.pk]) in after
    if not query.startswith("?deadline"):
        assert reverse("cases:case_detail", args=[fresh.pk]) in after


def test_the_start_page_and_the_work_list_ask_the_database_a_fixed_number_of_times(  # type: ignore[no-untyped-def]
    sara, geir, raelingen, routing
) -> None:
    """Counted on the second visit (the figures kept until the records change are kept then):
    the keys of the new and own cases in one query, their rows and the deadlines' in one, the
    approvals and the appeals each with their counts in one."""
    for day, name in ((1, "Berg"), (20, "Dahl"), (28, "Lund")):
        case = _case(sara, raelingen, name, dt.datetime(2026, 11, day, 9, tzinfo=dt.UTC))
    actions.case_assign(actor=sara, case=case, caseworker=sara)
    counts = {}
    for user in (sara, geir):
        client = Client()
        client.force_login(user)
        for url in (reverse("home"), reverse("cases:work_list")):
            with time_machine.travel(NOW):
                client.get(url)
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
            counts[user.username, url] = len(queries)
    # Session 8's pages asked four times more (a caseworker: the rows and the count of the new
    # and of the own cases apart, the appeals' count, the deadlines' cases) and five for an
    # approver (the approvals' count); and two more for the newest change event, which each
    # kept figure asked for before it was read once per request (ADR 0038), and one for the
    # allocation items' municipalities, now read from the request's memberships; and one for
    # the households' members, now read by the access log's insert itself (session 10); and the
    # work list's four allocation and tenancy item queries are one read of the items kept until
    # the records change for the readers with the same municipalities (session 10).
    assert counts == {
        ("sara", reverse("home")): 13,
        ("sara", reverse("cases:work_list")): 16,
        ("geir", reverse("home")): 14,
        ("geir", reverse("cases:work_list")): 17,
    }

"""The allocation pages as a caseworker reads them (issue 11 items 11–12): priority, group and
waiting time explained; engine reasons without codes, with Norwegian numbers, plurals, names
and rooms counted as Norwegians count them; technical details behind a toggle; the shortlist's
count matches its list; the meeting's household chooser tells households apart and keeps the
choice after an error."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from husly.allocation import actions
from husly.allocation.models import MatchingRun, MeetingStatus
from husly.allocation.templatetags.husly_allocation import explain_reason
from tests.allocation.helpers import approve, entry_of, make_dwelling, make_household

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|head).*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _world(sara, geir, tone, raelingen, eirik):  # type: ignore[no-untyped-def]
    """Two households called Berg (one person each), a family of three, a 2-bedroom and a
    1-bedroom vacancy, and a meeting with a proposal."""
    first = make_household(raelingen, "Berg")
    second = make_household(raelingen, "Berg")
    family = make_household(raelingen, "Dahl", children=2)
    approve(sara, geir, first, housing_kind="no_home")
    approve(sara, geir, second, housing_kind="with_family_or_friends")
    approve(sara, geir, family, housing_kind="with_family_or_friends")
    big = make_dwelling(raelingen, eirik, rooms=2)
    make_dwelling(raelingen, eirik, rooms=1)
    meeting = actions.allocation_meeting_create(
        actor=tone,
        municipality=raelingen,
        data={"title": "Tildelingsmøte", "held_on": dt.date(2026, 3, 5)},
    )
    actions.allocation_meeting_propose(actor=tone, meeting=meeting, seed=3)
    return meeting, big, (first, second, family)


@time_machine.travel(NOW, tick=False)
def test_the_meeting_page_explains_in_plain_norwegian_without_codes(
    sara, geir, tone, raelingen, routing, eirik
) -> None:
    meeting, _big, _households = _world(sara, geir, tone, raelingen, eirik)
    html = _client(tone).get(reverse("allocation:meeting_detail", args=[meeting.pk])).content
    page = _text(html.decode())
    assert "«ordinary»" not in page and "«ordinær»" in page  # a label, not the code
    assert "1 personer" not in page and "på 1 person" in page
    assert "på 3 personer" in page
    assert "3-roms (2 soverom)" in page  # rooms as Norwegians count them, bedrooms named
    assert re.search(r"Passform \d,\d\d × prioritet \d+,\d poeng", page)  # decimal commas
    without_dates = re.sub(r"\d{2}\.\d{2}\.\d{4}( \d{2}:\d{2})?", "", page)
    assert not re.search(r"\d\.\d", without_dates)
    assert not re.search(r"Husstand \d+ har", page)  # names, not ids
    assert "startverdi" not in page.split("Hva prioritet")[0].lower()  # no seed up front
    assert "Gruppe C: under 40 poeng" in page  # what a group means, where it is shown
    assert "gruppe C" in page


@time_machine.travel(NOW, tick=False)
def test_the_meeting_and_its_run_explain_the_groups_of_the_policy_in_force(
    sara, geir, tone, arne, raelingen, routing, eirik
) -> None:
    """The groups explained are those of the municipality's policy in force (read with the
    meeting or the run), also when it came after the proposal."""
    from husly.allocation import engine

    meeting, _big, _households = _world(sara, geir, tone, raelingen, eirik)
    client = _client(tone)
    meeting_url = reverse("allocation:meeting_detail", args=[meeting.pk])
    run_url = reverse("allocation:run_detail", args=[meeting.run_id])
    for url in (meeting_url, run_url):
        assert "Gruppe A: 70 poeng eller mer" in _text(client.get(url).content.decode())
    actions.allocation_policy_set(
        actor=arne,
        municipality=raelingen,
        data={
            "version": "grupper-2",
            "priority": {**engine.DEFAULT_PRIORITY, "bands": {"A": 55, "B": 25, "C": 0}},
            "matching": engine.DEFAULT_MATCHING,
            "refusal_rule": "lapse",
            "refusals_allowed": 1,
        },
    )
    for url in (meeting_url, run_url):
        page = _text(client.get(url).content.decode())
        assert "Gruppe A: 55 poeng eller mer" in page and "Gruppe B: minst 25 og under 55" in page
        assert "70 poeng" not in page


@time_machine.travel(NOW, tick=False)
def test_the_waiting_list_and_entry_explain_priority_group_and_waiting_time(
    sara, geir, tone, raelingen, routing, eirik
) -> None:
    _world(sara, geir, tone, raelingen, eirik)
    page = _text(_client(tone).get(reverse("allocation:waiting_list")).content.decode())
    assert "Hva prioritet, gruppe og ventetid betyr" in page
    assert "Gruppe A: 70 poeng eller mer" in page and "Gruppe B: minst 40 og under 70" in page
    assert "Ventetiden regnes fra dagen" in page
    assert "1 person " in page and "3 personer" in page
    from husly.allocation.models import WaitingListEntry

    first = WaitingListEntry.objects.order_by("pk").first()
    assert first is not None
    detail = _text(
        _client(tone).get(reverse("allocation:entry_detail", args=[first.pk])).content.decode()
    )
    assert "Gruppe C: under 40 poeng" in detail and "0,0 måneder på ventelisten" in detail


@time_machine.travel(NOW, tick=False)
def test_run_pages_keep_seed_and_fingerprint_behind_a_details_toggle_and_counts_match(
    sara, geir, tone, raelingen, routing, eirik
) -> None:
    meeting, big, _households = _world(sara, geir, tone, raelingen, eirik)
    html = _client(tone).get(reverse("allocation:run_detail", args=[meeting.run_id])).content
    page = html.decode()
    details = page.split('<details class="husly-section" id="run-details">', 1)[1].split(
        "</details>"
    )[0]
    assert "Startverdi" in details and "Fingeravtrykk" in details
    before = page.split('id="run-details"')[0]
    assert "Startverdi" not in before and "Fingeravtrykk" not in before
    assert "not_binding" not in page and "exact_milp" not in page  # no solver codes
    assert not re.search(r"→ \d+ \(", _text(page))  # dwellings by address, not by id
    _client(sara).post(reverse("allocation:shortlist", args=[big.pk]))
    run = MatchingRun.objects.filter(kind="shortlist").get()
    page = _client(sara).get(reverse("allocation:run_detail", args=[run.pk])).content.decode()
    listed = page.split('id="shortlist">', 1)[1].split("</ol>")[0].count('class="ds-link"')
    heading = _text(page.split('id="r-cands">', 1)[1].split("</h2>")[0])
    assert listed == len(run.result["candidates"])
    assert heading.startswith(f"{listed} husstand") or f"De {listed} beste" in heading


def test_every_engine_reason_renders_without_codes_in_each_language() -> None:
    reasons = [
        {
            "code": "too_few_rooms",
            "params": {"rooms": 2, "persons": 4, "min_rooms": 3, "max_rooms": 5},
        },
        {
            "code": "too_many_rooms",
            "params": {"rooms": 3, "persons": 1, "min_rooms": 1, "max_rooms": 2},
        },
        {
            "code": "rooms_within_norm",
            "params": {"rooms": 1, "persons": 1, "min_rooms": 1, "max_rooms": 2},
        },
        {"code": "not_wheelchair_accessible", "params": {}},
        {"code": "floor_without_lift", "params": {"floor": 3, "max_floor": 1}},
        {"code": "category_not_approved", "params": {"category": "with_services"}},
        {"code": "category_approved", "params": {"category": "ordinary"}},
        {"code": "outside_area", "params": {"district": "Nordby"}},
        {"code": "building_heavy_needs_limit", "params": {"current": 2, "limit": 2}},
        {"code": "preferred_district", "params": {"district": "Nordby"}},
        {"code": "accepted_district", "params": {"district": "Nordby"}},
        {"code": "accessibility_met", "params": {}},
        {"code": "accessible_unit_not_needed", "params": {}},
        {"code": "spread_rule_ok", "params": {"current": 1, "limit": 2}},
        {"code": "fit_score", "params": {"fit": 0.8512, "points": 24.0, "weighted": 20.45}},
        {"code": "proposed", "params": {"band_note": " (x)", "top_band": "A"}},
        {
            "code": "higher_priority_elsewhere",
            "params": {"household": 7, "points": 31.0, "dwelling": 9},
        },
        {
            "code": "higher_priority_not_housed",
            "params": {"household": 7, "points": 31.0, "weighted": 1.5, "this_weighted": 2.25},
        },
        {
            "code": "higher_priority_incompatible",
            "params": {
                "household": 7,
                "points": 31.0,
                "why": "x",
                "reasons": [
                    {
                        "code": "too_many_rooms",
                        "params": {"rooms": 3, "persons": 1, "min_rooms": 1, "max_rooms": 2},
                    }
                ],
            },
        },
        {"code": "left_vacant_no_compatible", "params": {}},
        {"code": "left_vacant_all_taken", "params": {"n": 1}},
        {"code": "not_housed_no_compatible", "params": {}},
        {"code": "not_housed_outranked", "params": {"n": 2}},
        {"code": "spread_rule_repair", "params": {"gap": 1.25}},
    ]
    from husly.matching.explain import _TEXTS, CONSTRAINT_BITS

    assert {r["code"] for r in reasons} == set(_TEXTS)  # every code the engine has
    assert set(CONSTRAINT_BITS) <= set(_TEXTS)
    names, dwellings = {7: "Hansen"}, {9: "Haugervegen 4 H0201"}
    for language in ("nb", "nn", "en"):
        with translation.override(language):
            for r in reasons:
                text = explain_reason({**r, "text": "STORED"}, names, dwellings)
                assert text and text != "STORED", (language, r["code"])
                assert "_" not in text and "%(" not in text, text
                assert not re.search(r"\d\.\d", text) or language == "en", text
    with translation.override("nb"):
        assert explain_reason(reasons[2]) == (
            "En 1-roms (uten eget soverom) passer for en husstand på 1 person "
            "(normen er 1- til 2-roms)."
        )
        assert (
            explain_reason(reasons[16], names, dwellings)
        ) == "Hansen har høyere prioritet (31,0 poeng) og er foreslått Haugervegen 4 H0201."
        assert "«omsorgsbolig»" not in explain_reason(reasons[5])
        assert "«ordinary»" not in explain_reason(reasons[6])
    with translation.override("nn"):
        assert "1 person" in explain_reason(reasons[2]) and "personar" in explain_reason(reasons[0])


@time_machine.travel(NOW, tick=False)
def test_the_household_chooser_tells_households_apart_and_keeps_the_choice_after_an_error(
    sara, geir, tone, raelingen, routing, eirik
) -> None:
    meeting, _big, (first, second, _family) = _world(sara, geir, tone, raelingen, eirik)
    client = _client(tone)
    shown = meeting.items.filter(proposed_entry__isnull=False).order_by("pk").first()
    assert shown is not None
    # The meeting page links each undecided vacancy to its form (loaded on request).
    url = reverse("allocation:item_decide", args=[shown.pk])
    meeting_page = client.get(reverse("allocation:meeting_detail", args=[meeting.pk]))
    assert f'href="{url}"' in meeting_page.content.decode()
    assert f'name="i{shown.pk}-entry"' not in meeting_page.content.decode()
    # By default a vacancy offers the engine's shortlist; every waiting household on demand.
    short = client.get(url).content.decode()
    assert f'action="{url}"' in short and f'href="{url}?alle=1"' in short
    page = client.get(f"{url}?alle=1").content.decode()
    assert len(re.findall(r"<option value=\"\d+\"", page)) >= len(
        re.findall(r"<option value=\"\d+\"", short)
    )
    options = re.findall(r"<option value=\"(\d+)\"[^>]*>([^<]+)</option>", page)
    bergs = {label for _, label in options if label.startswith("Berg")}
    case_numbers = {entry_of(h).decision.case.number for h in (first, second)}
    assert len(bergs) == 2  # two households called Berg, told apart
    for number in case_numbers:
        assert any(f"sak {number}" in label for label in bergs)
    assert all("1 person," in label and "ventet 0 dager" in label for label in bergs)
    labels = _text(" ".join(re.findall(r"(?s)<label[^>]*>.*?</label>", page)))
    assert "Begrunnelse" in labels
    assert (
        "valgfritt" not in labels.split("Husstanden som skal få tilbud")[1].split("Referat")[0]
    )  # the chooser and the reason say when they are needed, never "optional"
    item = meeting.items.filter(proposed_entry__isnull=False).order_by("pk").first()
    assert item is not None
    other = next(e for e in (entry_of(first), entry_of(second)) if e.pk != item.proposed_entry_id)
    response = client.post(
        reverse("allocation:item_decide", args=[item.pk]),
        {f"i{item.pk}-entry": str(other.pk), f"i{item.pk}-reason": "", "decision": "confirm"},
    )
    assert response.status_code == 400  # shown again, not redirected and lost
    page = response.content.decode()
    form = page.split(f'action="{reverse("allocation:item_decide", args=[item.pk])}"', 1)[1]
    form = form.split("</form>")[0]
    assert re.search(rf'<option value="{other.pk}" selected>', form)
    assert "Gi en begrunnelse" in _text(form) or "begrunnelse" in _text(form).lower()
    item.refresh_from_db()
    assert item.decision == "proposed"  # nothing was offered


@time_machine.travel(NOW, tick=False)
def test_a_vacancy_form_comes_on_request_and_works_without_javascript(
    sara, geir, tone, raelingen, routing, eirik
) -> None:
    """Issue 17: the meeting page names the proposed households; each undecided vacancy's form
    (which names every household it offers) is a page of its own, or only the form when the
    meeting page loads it (htmx). Each page logs the households it shows."""
    from husly.audit.models import AccessEvent
    from husly.people.models import HouseholdMember

    meeting, _big, _households = _world(sara, geir, tone, raelingen, eirik)
    item = meeting.items.filter(proposed_entry__isnull=False).order_by("pk").first()
    assert item is not None
    proposed = item.proposed_entry
    assert proposed is not None
    applicant = HouseholdMember.objects.get(household=proposed.household, relation="applicant")
    client = _client(tone)
    url = reverse("allocation:item_decide", args=[item.pk])

    before = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    page = client.get(reverse("allocation:meeting_detail", args=[meeting.pk])).content.decode()
    assert f'hx-get="{url}"' in page and f'hx-target="#decide-{item.pk}"' in page
    logged = AccessEvent.objects.filter(pk__gt=before, actor=tone, what="allocation_meeting")
    assert applicant.person_id in set(logged.values_list("person_id", flat=True))

    # Loaded into the meeting page: the form alone, taking the focus the link had.
    before = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "HX-Request" in fragment["Vary"]
    html = fragment.content.decode()
    assert html.startswith(f'<div id="decide-{item.pk}">') and "<html" not in html
    assert re.search(rf'<select name="i{item.pk}-entry"[^>]* autofocus', html)
    assert re.search(rf'<option value="{proposed.pk}" selected>', html)
    logged = AccessEvent.objects.filter(pk__gt=before, actor=tone, what="allocation_meeting")
    assert applicant.person_id in set(logged.values_list("person_id", flat=True))

    # Without JavaScript: the link opens the form's page; confirming returns to the meeting.
    full = client.get(url).content.decode()
    assert "<html" in full and "autofocus" not in full
    assert (
        f'href="{reverse("allocation:meeting_detail", args=[meeting.pk])}#item-{item.pk}"' in full
    )
    done = client.post(
        url,
        {f"i{item.pk}-entry": str(proposed.pk), f"i{item.pk}-reason": "", "decision": "confirm"},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("allocation:meeting_detail", args=[meeting.pk])
    page = client.get(done["Location"]).content.decode()
    assert f'id="decide-{item.pk}"' not in page
    decided = page.split(f'id="item-{item.pk}"', 1)[1].split("</article>")[0]
    assert "item-decision" in decided and proposed.household.name in decided
    # A decided vacancy's page shows the decision, not a form.
    assert f'name="i{item.pk}-entry"' not in client.get(url).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_meeting_page_shows_its_proposal_after_refused_minutes(
    sara, geir, tone, raelingen, routing, eirik
) -> None:
    """The minutes sent back (an invalid form, or refused by the action on a closed meeting)
    give the page again with the proposal's facts and the groups."""
    meeting, _big, _households = _world(sara, geir, tone, raelingen, eirik)
    client = _client(tone)
    url = reverse("allocation:meeting_detail", args=[meeting.pk])
    run_url = reverse("allocation:run_detail", args=[meeting.run_id])
    too_long = client.post(url, {"members": "x" * 301, "minutes": "Ført."})
    assert too_long.status_code == 200
    page = too_long.content.decode()
    assert run_url in page and "Gruppe A: 70 poeng eller mer" in _text(page)
    type(meeting).objects.filter(pk=meeting.pk).update(status=MeetingStatus.CLOSED)
    refused = client.post(url, {"members": "Tone", "minutes": "Ført."})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert run_url in page and "Gruppe A: 70 poeng eller mer" in _text(page)
    meeting.refresh_from_db()
    assert meeting.members != "Tone"  # refused: nothing written

"""The leaders' dashboard in a real browser (issue 16): a leader opens it, every page checked
with axe, and drills into the broken six-month promises (aggregates, no names); the housing
office's caseworker drills into the same figure and sees the households."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import BuildingFactory, DwellingFactory
from tests.insight.helpers import _entry, _offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world(raelingen, sara) -> None:  # type: ignore[no-untyped-def]
    """Six households approved eight months ago and never offered a dwelling (the promise
    broken for all six), and one offered in time."""
    today = timezone.localdate()
    placed = today - dt.timedelta(days=240)
    for k in range(6):
        _entry(
            raelingen,
            sara,
            f"Venter {k}",
            placed + dt.timedelta(days=k),
            persons=3 if k % 2 else 1,
            children=1 if k % 2 else 0,
            urgency=5 if k < 3 else 0,
        )
    kept = _entry(raelingen, sara, "Heldig", placed, status="offered")
    dwelling = DwellingFactory(building=BuildingFactory(municipality=raelingen))
    _offer(kept, dwelling, placed + dt.timedelta(days=30), "open", sara)


def test_a_leader_opens_the_dashboard_and_drills_into_the_broken_promises(
    page: Page, live_server, raelingen, sara, lise
) -> None:
    _world(raelingen, sara)
    base = live_server.url
    log_in(page, base, "lise", PASSWORD)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Styringstavle"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Styringstavle")
    expect(page.get_by_role("img", name="Løfter holdt og brutt per måned")).to_be_visible()
    promise = page.get_by_role("table", name="Løftet om tilbud innen 6 måneder")
    expect(promise).to_contain_text("Brutt")
    expect(page.locator("body")).not_to_contain_text("Venter 0")
    check_accessibility(page)
    screenshot(page, "leader-dashboard")

    promise.get_by_role("link", name="Brutt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Løfter om tilbud innen 6 måneder brutt i perioden"
    )
    expect(page.locator("main")).to_contain_text("I alt: 6")
    by_type = page.get_by_role("table", name="Etter husstandstype")
    expect(by_type.get_by_role("row", name="Enslige")).to_contain_text("<5")
    expect(page.locator("body")).not_to_contain_text("Venter 0")
    check_accessibility(page)


def test_the_housing_office_drills_into_the_households(
    page: Page, live_server, raelingen, sara
) -> None:
    _world(raelingen, sara)
    base = live_server.url
    log_in(page, base, "sara", PASSWORD)
    page.goto(f"{base}/innsikt/oversikt/")
    check_accessibility(page)
    page.get_by_role("table", name="Løftet om tilbud innen 6 måneder").get_by_role(
        "link", name="Brutt"
    ).click()
    table = page.get_by_role("table", name="Løfter om tilbud innen 6 måneder brutt i perioden")
    expect(table.get_by_role("link", name="Venter 0")).to_be_visible()
    expect(table).not_to_contain_text("Heldig")
    check_accessibility(page)

"""Issue 12: the tenant answers the bo-plan offered at moving in (appendix 4 point 11) in Min side.

The follow-up worker offers the plan; the tenant logs in to Min side, sees the offer and accepts
it; the answer is a dated fact (``accepted_on``), recorded as the household's own change, and the
follow-up worker's reading of the plan shows in the tenant's access log. A second tenant says
no. Every page is axe-checked.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from husly.audit.models import ChangeEvent
from husly.followup import actions
from husly.followup.models import HousingPlan, PlanStatus
from husly.tenancy.models import Lease, LeaseStatus
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD, _user
from tests.factories import (
    BuildingFactory,
    DwellingFactory,
    HouseholdFactory,
    PersonFactory,
    synthetic_number,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _tenant(municipality, actor, name: str, born: dt.date, unit) -> tuple[Lease, str]:  # type: ignore[no-untyped-def]
    number = synthetic_number(born)
    applicant = PersonFactory(
        municipality=municipality, given_name=name, family_name="Leietaker", national_id=number
    )
    lease = Lease.objects.create(
        municipality=municipality,
        dwelling=DwellingFactory(
            building=BuildingFactory(municipality=municipality), status="occupied"
        ),
        household=HouseholdFactory(municipality=municipality, applicant=applicant, name=name),
        start_date=timezone.localdate() - dt.timedelta(days=2),
        monthly_rent=9000,
        status=LeaseStatus.ACTIVE,
        follow_up_unit=unit,
        created_by=actor,
    )
    return lease, number


def _log_in_to_min_side(page: Page, base: str, number: str) -> None:
    page.goto(f"{base}/minside/logg-inn/")
    page.fill("#id_national_id", number)
    page.click("form.husly-form button[type=submit]")
    page.wait_for_url(f"{base}/minside/")


def test_the_tenant_accepts_the_bo_plan_in_min_side_and_another_says_no(
    browser: Browser, live_server, raelingen, housing_office
) -> None:
    base = live_server.url
    today = timezone.localdate()
    frida = _user("frida", housing_office, "follow_up")
    lease, number = _tenant(raelingen, frida, "Nyinnflytter", dt.date(1985, 3, 4), housing_office)
    plan = actions.housing_plan_offer(actor=frida, lease=lease, today=today)
    actions.housing_plan_update(
        actor=frida, plan=plan, data={"goals": "Mestre økonomien og bli boende."}
    )

    # The follow-up worker opens the plan (a read of the household, logged).
    staff = _page(browser)
    log_in(staff, base, "frida", PASSWORD)
    staff.goto(f"{base}/oppfolging/boplan/{plan.pk}/")
    expect(staff.get_by_role("heading", level=1)).to_be_visible()

    page = _page(browser)
    _log_in_to_min_side(page, base, number)
    card = page.locator("#my-plan")
    expect(card).to_contain_text("Mestre økonomien og bli boende.")
    expect(card).to_contain_text(f"Du ble tilbudt en bo-plan {today:%d.%m.%Y}")
    check_accessibility(page)
    card.get_by_role("button", name="Ja, jeg tar imot bo-planen").click()
    page.wait_for_url(f"{base}/minside/")
    expect(page.get_by_role("status").or_(page.locator(".ds-alert"))).to_contain_text(
        "Du har takket ja til bo-planen"
    )
    expect(page.locator("#my-plan")).to_contain_text(
        f"Du takket ja til bo-planen {today:%d.%m.%Y}."
    )
    expect(page.locator("#my-plan").get_by_role("button")).to_have_count(0)
    check_accessibility(page)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACCEPTED
    assert plan.accepted_on == today
    event = ChangeEvent.objects.filter(action="housing_plan_answer", object_id=str(plan.pk)).get()
    assert event.actor.resident.national_id == number

    # The access log in Min side names the follow-up worker's read of the plan.
    page.goto(f"{base}/minside/innsyn/")
    expect(page.locator("main")).to_contain_text("Leste bo-planen din")
    check_accessibility(page)

    # A second tenant says no; the no is a dated fact too.
    other, other_number = _tenant(
        raelingen, frida, "Nei-takk", dt.date(1979, 11, 20), housing_office
    )
    declined = actions.housing_plan_offer(actor=frida, lease=other, today=today)
    second = _page(browser)
    _log_in_to_min_side(second, base, other_number)
    second.locator("#my-plan").get_by_role("button", name="Nei takk").click()
    second.wait_for_url(f"{base}/minside/")
    expect(second.locator("#my-plan")).to_contain_text("Du sa nei til bo-planen")
    check_accessibility(second)
    declined = HousingPlan.objects.get(pk=declined.pk)
    assert (declined.status, declined.declined_on) == (PlanStatus.DECLINED, today)

"""Issue 12 (follow-up) in a real browser: a follow-up worker offers a new tenant a bo-plan,
writes it, records a home visit and writes a warning whose letter says what was agreed; the
housing team's overview flags a tenant nobody has contacted; a tenant gives notice, the property
unit ends the lease after the final inspection, readies the dwelling, and the vacancy days are
counted by cause. Every page is axe-checked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from husly.followup import actions
from husly.followup.models import HousingPlan, MoveOut, WrittenWarning
from husly.tenancy.models import Lease, LeaseStatus
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.conftest import PASSWORD, _user
from tests.factories import BuildingFactory, DwellingFactory, HouseholdFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _lease(municipality, actor, name: str, days_ago: int, unit=None) -> Lease:  # type: ignore[no-untyped-def]
    applicant = PersonFactory(municipality=municipality, given_name=name, family_name="Leietaker")
    start = timezone.localdate() - dt.timedelta(days=days_ago)
    return Lease.objects.create(
        municipality=municipality,
        dwelling=DwellingFactory(
            building=BuildingFactory(municipality=municipality), status="occupied"
        ),
        household=HouseholdFactory(municipality=municipality, applicant=applicant, name=name),
        start_date=start,
        end_date=start + dt.timedelta(days=1000),
        monthly_rent=9000,
        status=LeaseStatus.ACTIVE,
        follow_up_unit=unit,
        created_by=actor,
    )


def test_bo_plan_home_visit_warning_overview_notice_and_vacancy(
    browser: Browser, live_server, eirik, raelingen, housing_office, property_unit
) -> None:
    base = live_server.url
    today = timezone.localdate()
    frida = _user("frida", housing_office, "follow_up")
    new = _lease(raelingen, frida, "Nyinnflytter", days_ago=3, unit=housing_office)
    quiet = _lease(raelingen, frida, "Stillevik", days_ago=200, unit=housing_office)
    plan = actions.housing_plan_offer(
        actor=frida, lease=quiet, today=today - dt.timedelta(days=100)
    )
    actions.housing_plan_answer(
        actor=frida, plan=plan, accepted=True, answered_on=today - dt.timedelta(days=100)
    )
    leaving = _lease(raelingen, frida, "Utflytter", days_ago=400, unit=housing_office)

    page = _page(browser)
    log_in(page, base, "frida", PASSWORD)

    # The overview: the quiet tenant stands out; the new one has no plan yet.
    page.goto(f"{base}/oppfolging/?vis=flagg")
    expect(page.locator("#overview")).to_contain_text("Stillevik")
    expect(page.locator("#overview")).to_contain_text("Ingen kontakt for lenge")
    expect(page.locator("#overview")).not_to_contain_text("Nyinnflytter")
    check_accessibility(page)
    screenshot(page, "followup-overview-flagged")

    # Offer the new tenant a bo-plan, record the answer, write the plan, record a home visit.
    page.goto(f"{base}/oppfolging/?vis=uten-plan")
    page.locator("#overview tr", has_text="Nyinnflytter").get_by_role(
        "button", name="Tilby bo-plan"
    ).click()
    expect(page.locator("h1")).to_contain_text("Bo-plan: Nyinnflytter")
    check_accessibility(page)
    page.select_option("#id_svar-answer", "accepted")
    page.get_by_role("button", name="Registrer svaret").click()
    expect(page.locator("#plan-facts")).to_contain_text("Takket ja")
    page.fill("#id_goals", "Betale husleia selv og begynne på norskkurs.")
    page.fill("#id_services", "Booppfølging hver uke de første tre månedene.")
    page.select_option("#id_responsible_unit", label="Tjenestekontoret")
    page.select_option("#id_next_step", "private_rental")
    page.get_by_role("button", name="Lagre planen").click()
    page.select_option("#id_kontakt-kind", "home_visit")
    page.fill("#id_kontakt-note", "Hjemmebesøk: boligen er godt i gang, avtalt ukentlig besøk.")
    page.get_by_role("button", name="Registrer kontakten").click()
    expect(page.locator("#contacts")).to_contain_text("Hjemmebesøk")
    check_accessibility(page)
    screenshot(page, "followup-bo-plan")
    saved = HousingPlan.objects.get(lease=new)
    assert saved.accepted_on == today and saved.next_step == "private_rental"
    assert saved.contacts.get().kind == "home_visit"

    # A written warning, with the letter's text checked.
    page.goto(f"{base}/oppfolging/leieforhold/{new.pk}/advarsel/")
    check_accessibility(page)
    page.fill("#id_present", "Leietakeren, boligkonsulenten og kontaktpersonen i booppfølgingen")
    page.fill("#id_problems", "Naboene klager på høy musikk etter klokka 23.")
    page.fill("#id_plan", "Musikken skrus av klokka 23. Ny samtale om fire uker.")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("#warnings")).to_contain_text("Advarsel 1")
    check_accessibility(page)
    warning = WrittenWarning.objects.get(lease=new)
    letter = page.request.get(f"{base}/oppfolging/advarsler/{warning.pk}/brev/")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.body())).pages).replace(
        "\n", " "
    )
    assert "Skriftlig advarsel" in text
    assert "advarsel nummer 1" in text
    assert "Musikken skrus av klokka 23." in text
    assert "Kopi til: Eiendomsenheten" in text

    # The tenant gives notice (recorded by the follow-up worker), agreed to leave ten days ago.
    page.goto(f"{base}/oppfolging/leieforhold/{leaving.pk}/oppsigelse/")
    check_accessibility(page)
    page.fill("#id_notice_received_on", (today - dt.timedelta(days=20)).isoformat())
    page.fill("#id_agreed_last_day", (today - dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("#move-out-facts")).to_contain_text(
        (today - dt.timedelta(days=10)).strftime("%d.%m.%Y")
    )
    move_out = MoveOut.objects.get(lease=leaving)

    # The property unit: final inspection, the lease ends, the dwelling is ready again.
    landlord = _page(browser)
    log_in(landlord, base, "eirik", PASSWORD)
    landlord.goto(f"{base}/oppfolging/utflytting/{move_out.pk}/")
    landlord.get_by_role("button", name="Leietakeren har flyttet ut: avslutt leieforholdet").click()
    expect(landlord.locator("#segments")).to_contain_text("Utbedring etter utflytting")
    landlord.get_by_role("link", name="Registrer sluttbefaringen").click()
    check_accessibility(landlord)
    landlord.fill("#id_inspected_on", (today - dt.timedelta(days=10)).isoformat())
    landlord.fill("#id_state", "Hull i veggen på soverommet, ellers ryddig.")
    for field in ("fire_hazard", "cannot_inspect", "not_due_care", "access_refused"):
        landlord.select_option(f"#id_{field}", "no")
    landlord.get_by_role("button", name="Lagre").click()
    landlord.fill("#id_ready_on", (today - dt.timedelta(days=5)).isoformat())
    landlord.fill("#id_repairs", "Sparklet og malt soverommet.")
    landlord.get_by_role("button", name="Registrer som klar").click()
    expect(landlord.locator("#segments")).to_contain_text("Venter på neste leietaker")
    check_accessibility(landlord)
    leaving.refresh_from_db()
    assert leaving.status == LeaseStatus.ENDED and leaving.end_reason == "moved_out"

    # Vacant from the day after the last day: 4 days of repairs, then 6 days waiting (to and
    # including today).
    landlord.goto(f"{base}/oppfolging/utflytting/")
    row = landlord.locator("#vacancy tbody tr", has_text=str(leaving.dwelling))
    expect(row.locator("td").nth(0)).to_have_text("4")
    expect(row.locator("td").nth(2)).to_have_text("6")
    check_accessibility(landlord)
    screenshot(landlord, "followup-vacancy")

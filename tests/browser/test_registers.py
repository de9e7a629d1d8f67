"""Staff use the registers in a real browser; every page passes axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from husly.housing.models import Dwelling
from husly.organisation.models import Membership, Role
from husly.people.models import Household, Person
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import DwellingFactory, HouseholdFactory, PersonFactory, synthetic_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_role_logs_in_to_its_start_page(
    page: Page, live_server, sara, eirik, lise, arne
) -> None:
    for user in (sara, eirik, lise, arne):
        log_in(page, live_server.url, user.username, PASSWORD)
        expect(page.locator("h1")).to_be_visible()
        check_accessibility(page)
        if user is sara:
            screenshot(page, "start-caseworker")
        page.click("text=" + page.locator("form[action$='/logg-ut/'] button").inner_text())
        page.wait_for_url(f"{live_server.url}/logg-inn/")


def test_a_wrong_password_is_refused(page: Page, live_server, sara) -> None:
    page.goto(f"{live_server.url}/logg-inn/")
    page.fill("input[name=username]", "sara")
    page.fill("input[name=password]", "feil-passord")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator(".ds-error-summary")).to_be_visible()
    check_accessibility(page)


def test_a_caseworker_registers_a_person_and_a_household(
    page: Page, live_server, sara, raelingen
) -> None:
    log_in(page, live_server.url, "sara", PASSWORD)
    page.goto(f"{live_server.url}/personer/ny/")
    check_accessibility(page)
    page.fill("#id_national_id", "12345678901")
    page.fill("#id_given_name", "Ingrid")
    page.fill("#id_family_name", "Haugen")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator(".ds-error-summary")).to_contain_text("Kontrollsifrene stemmer ikke")
    check_accessibility(page)
    assert not Person.objects.exists()
    page.fill("#id_national_id", synthetic_number(dt.date(1979, 6, 30)))
    page.click("form.husly-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Ingrid Haugen")
    expect(page.locator(".husly-facts")).to_contain_text("30.06.1979")
    check_accessibility(page)
    screenshot(page, "person")
    page.click("a[href$='/ny-husstand/']")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator("table")).to_contain_text("Ingrid Haugen")
    check_accessibility(page)
    child = PersonFactory(municipality=raelingen, given_name="Emil", family_name="Haugen")
    page.click("a[href$='/medlemmer/ny/']")
    check_accessibility(page)
    page.fill("#id_person_ref", child.national_id)
    page.select_option("#id_relation", "child")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator("table")).to_contain_text("Emil Haugen")
    screenshot(page, "household")
    assert Household.objects.get().members.count() == 2
    page.click("a[href$='/']:has-text('Ingrid Haugen')")
    page.click("a[href$='/innsynslogg/']")
    expect(page.locator("table").first).to_contain_text("person_detail")
    check_accessibility(page)


def test_a_property_manager_registers_a_dwelling_and_changes_its_status(
    page: Page, live_server, eirik, raelingen
) -> None:
    existing = DwellingFactory(building__municipality=raelingen)
    log_in(page, live_server.url, "eirik", PASSWORD)
    page.goto(f"{live_server.url}/boliger/ny/")
    check_accessibility(page)
    page.select_option("#id_building", str(existing.building_id))
    page.fill("#id_number", "H0305")
    page.fill("#id_rooms", "3")
    page.fill("#id_area_m2", "71,5")
    page.fill("#id_floor", "3")
    page.fill("#id_monthly_rent", "12400")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator(".husly-facts")).to_contain_text("71,5")
    dwelling = Dwelling.objects.get(number="H0305")
    page.click("a[href$='/status/']")
    check_accessibility(page)
    page.select_option("#id_status", "maintenance")
    page.fill("#id_reason", "Maling av stue")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator("table")).to_contain_text("Maling av stue")
    check_accessibility(page)
    dwelling.refresh_from_db()
    assert dwelling.status == "maintenance"
    page.goto(f"{live_server.url}/boliger/?status=vacant")
    check_accessibility(page)
    screenshot(page, "dwellings")


def test_an_import_with_a_bad_row_shows_the_row_and_writes_nothing(
    page: Page, live_server, sara, raelingen, tmp_path
) -> None:
    csv = tmp_path / "personer.csv"
    good = synthetic_number(dt.date(1990, 1, 1))
    csv.write_text(
        f"fødselsnummer;fornavn;etternavn\n{good};Kari;Hansen\n12345678901;Ola;Olsen\n",
        encoding="utf-8",
    )
    log_in(page, live_server.url, "sara", PASSWORD)
    page.goto(f"{live_server.url}/import/persons/")
    check_accessibility(page)
    page.set_input_files("#id_file", str(csv))
    page.click("form.husly-form button[type=submit]")
    expect(page.locator(".husly-error-row")).to_contain_text("Kontrollsifrene stemmer ikke")
    check_accessibility(page)
    screenshot(page, "import-errors")
    assert not Person.objects.exists()


def test_every_register_page_passes_axe(
    page: Page, live_server, arne, raelingen, housing_office, property_unit
) -> None:
    for role in (Role.CASEWORKER, Role.PROPERTY):
        unit = property_unit if role == Role.PROPERTY else housing_office
        Membership.objects.create(user=arne, unit=unit, role=role)
    person = PersonFactory(municipality=raelingen)
    household = HouseholdFactory(municipality=raelingen, applicant=person)
    dwelling = DwellingFactory(building__municipality=raelingen)
    log_in(page, live_server.url, "arne", PASSWORD)
    for path in [
        "/personer/",
        f"/personer/{person.pk}/endre/",
        "/personer/husstander/",
        f"/personer/husstander/{household.pk}/",
        f"/personer/husstander/{household.pk}/endre/",
        "/boliger/",
        f"/boliger/{dwelling.pk}/",
        f"/boliger/{dwelling.pk}/endre/",
        "/boliger/bygg/",
        f"/boliger/bygg/{dwelling.building_id}/",
        "/boliger/bygg/ny/",
        f"/boliger/bygg/{dwelling.building_id}/endre/",
        "/organisasjon/enheter/",
        f"/organisasjon/enheter/{housing_office.pk}/",
        "/organisasjon/enheter/ny/",
        f"/organisasjon/enheter/{housing_office.pk}/endre/",
        "/organisasjon/ansatte/",
        f"/organisasjon/ansatte/{arne.pk}/",
        "/organisasjon/ansatte/ny/",
        f"/organisasjon/ansatte/{arne.pk}/endre/",
        "/organisasjon/kommuner/",
        f"/organisasjon/kommuner/{raelingen.pk}/",
        f"/organisasjon/kommuner/{raelingen.pk}/endre/",
        "/import/dwellings/",
        "/tilgjengelighet/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == 200, path
        check_accessibility(page)
    page.goto(f"{live_server.url}/organisasjon/enheter/")
    screenshot(page, "units")


def test_the_language_can_be_switched_to_nynorsk_and_english(page: Page, live_server, sara) -> None:
    log_in(page, live_server.url, "sara", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "nb"
    page.select_option("#language-select", "nn")
    page.click(".husly-language button")
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    check_accessibility(page)
    page.select_option("#language-select", "en")
    page.click(".husly-language button")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav.husly-nav")).to_contain_text("Persons")

"""In a real browser: a household of two adults and a child applies in Min side. The applicant
adds a second member row, makes a mistake (an absurd income), sees it at the field with focus
on the summary, corrects it, and sends once: one case, two stated members waiting for a
check, nothing typed lost."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, expect

from husly.cases.models import Case
from tests.browser.conftest import check_accessibility
from tests.browser.test_case_journey import _new_page
from tests.factories import synthetic_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_adults_and_a_child_apply_once_after_correcting_a_mistake(
    browser: Browser, live_server, raelingen, routing
) -> None:
    base = live_server.url
    page = _new_page(browser)
    page.goto(f"{base}/minside/logg-inn/")
    page.fill("#id_national_id", synthetic_number(dt.date(1987, 6, 15)))
    page.click("form.husly-form button[type=submit]")
    page.wait_for_url(f"{base}/minside/")
    page.click("a[href$='/minside/sok/']")

    page.select_option("#id_om-municipality", str(raelingen.pk))
    page.fill("#id_om-given_name", "Ida")
    page.fill("#id_om-family_name", "Berg")
    page.fill("#id_om-address", "Torvvegen 2")
    page.fill("#id_medlem-0-given_name", "Ola")
    page.fill("#id_medlem-0-family_name", "Berg")
    page.fill("#id_medlem-0-date_of_birth", "1985-03-02")
    page.select_option("#id_medlem-0-relation", "spouse")
    page.click("button[name=add_member]")
    # The same page, one more row, nothing typed lost and no error shown yet.
    expect(page.locator("#id_medlem-1-given_name")).to_be_visible()
    expect(page.locator("#id_medlem-0-given_name")).to_have_value("Ola")
    expect(page.locator("#id_om-given_name")).to_have_value("Ida")
    expect(page.locator(".ds-error-summary")).to_have_count(0)
    check_accessibility(page)
    page.fill("#id_medlem-1-given_name", "Emil")
    page.fill("#id_medlem-1-family_name", "Berg")
    page.fill("#id_medlem-1-date_of_birth", "2019-05-01")
    page.select_option("#id_medlem-1-relation", "child")
    page.check("input[name='soknad-help_kinds'][value='rental_dwelling']")
    page.select_option("#id_soknad-housing_kind", "no_home")
    page.fill("#id_soknad-gross_annual_income", "4800000000")  # øre typed as kroner
    page.click("button[name=submit]")

    expect(page.locator(".ds-error-summary")).to_be_focused()
    expect(page.locator("#id_soknad-gross_annual_income_error")).to_contain_text(
        "Beløpet er for stort til å stemme"
    )
    expect(page.locator("#id_medlem-1-given_name")).to_have_value("Emil")
    assert Case.objects.count() == 0
    check_accessibility(page)

    page.fill("#id_soknad-gross_annual_income", "480000")
    page.dblclick("button[name=submit]")  # an impatient double click sends once
    expect(page.locator(".ds-alert")).to_contain_text("Saksnummer")
    check_accessibility(page)
    case = Case.objects.get()
    # The applicant is the household's member; the two others are stated, waiting for a
    # caseworker to check them against the registers (never attached unchecked).
    assert list(case.household.members.values_list("relation", flat=True)) == ["applicant"]
    stated = case.household.stated_members.order_by("relation")
    assert [(s.relation, s.given_name, s.status) for s in stated] == [
        ("child", "Emil", "pending"),
        ("spouse", "Ola", "pending"),
    ]
    assert case.application.gross_annual_income == 480_000

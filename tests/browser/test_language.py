"""The language can be changed before logging in, on both login pages, and the user stays put."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch(page: Page, language: str) -> None:
    page.select_option("#language-select", language)
    page.click("form.husly-language button[type=submit]")
    page.wait_for_load_state("load")


@pytest.mark.parametrize(
    ("path", "english", "nynorsk"),
    [
        ("/logg-inn/?next=/saker/", "Log in to Husly", "Logg inn i Husly"),
        ("/minside/logg-inn/", "Log in to My page", "Logg inn på Mi side"),
    ],
)
def test_the_language_switcher_works_before_login(
    page: Page, live_server, path: str, english: str, nynorsk: str
) -> None:
    page.goto(f"{live_server.url}{path}")
    _switch(page, "en")
    assert page.url == f"{live_server.url}{path}"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(english)
    check_accessibility(page)
    _switch(page, "nn")
    assert page.url == f"{live_server.url}{path}"
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    expect(page.locator("h1")).to_have_text(nynorsk)

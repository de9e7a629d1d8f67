"""Accessibility beyond axe (WCAG 2.1 AA), in a real browser, on the pages people work in:

- reflow (1.4.10): at 320 CSS px wide no page scrolls sideways;
- text spacing (1.4.12): with the test's spacing nothing is clipped;
- unique ids (4.1.1) and page titles that name the page (2.4.2);
- focus visible (2.4.7, 1.4.11): the focus ring on the blue header has 3:1 contrast, and the
  header's controls keep 4.5:1 when hovered;
- errors (3.3.1): after a refused form, focus is on the error summary;
- identify input purpose (1.3.5) and language of parts (3.1.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from husly.allocation import actions as allocation
from husly.cases import actions as cases
from husly.tenancy import actions as tenancy
from tests.allocation.helpers import approve, entry_of, make_dwelling, make_household
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD, _user
from tests.factories import synthetic_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT = synthetic_number(dt.date(1984, 4, 4))
LONG_NAME = "Kristoffersen-Bjørnstjernesen-Abrahamsen"

# Contrast ratio of two CSS colours (WCAG 2.x relative luminance), for use in the page.
CONTRAST_JS = """
(() => {
  const rgb = (css) => {
    const m = css.match(/rgba?\\(([^)]+)\\)/);
    const parts = m[1].split(',').map((x) => parseFloat(x));
    return parts;
  };
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const opaqueBackground = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length < 4 || c[3] > 0.5) return c;
    }
    return [255, 255, 255];
  };
  window.huslyContrast = (a, b) => {
    const [la, lb] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (la + 0.05) / (lb + 0.05);
  };
  window.huslyRgb = rgb;
  window.huslyBackground = opaqueBackground;
})();
"""


@dataclass
class World:
    case: Any
    decision: Any
    entry: Any
    run: Any
    offer: Any
    lease: Any
    appeal: Any
    meeting: Any
    person: Any
    dwelling: Any


@pytest.fixture
def world(sara, geir, eirik, arne, raelingen, routing, housing_office) -> World:
    _user("tone", housing_office, "allocation_member")
    today = timezone.localdate()
    household = make_household(raelingen, LONG_NAME, children=1, national_id=RESIDENT)
    applicant = household.members.get(relation="applicant").person
    applicant.email = "kristoffer.bjornstjernesen-abrahamsen@eksempel-kommune.example.no"
    applicant.save()
    decision = approve(sara, geir, household, housing_office, housing_kind="no_home")
    entry = entry_of(household)
    dwelling = make_dwelling(raelingen, eirik, rooms=2, start=today, address="Langgata 1")
    run = allocation.matching_shortlist(actor=sara, dwelling=dwelling)
    offer = allocation.offer_make(actor=sara, entry=entry, dwelling=dwelling)
    make_dwelling(raelingen, eirik, rooms=1, start=today, address="Ledigvegen 2")

    other = make_household(raelingen, "Dahl")
    other_decision = approve(sara, geir, other, housing_office)
    home = make_dwelling(raelingen, eirik, rooms=1, start=today, address="Dahlvegen 3")
    accepted = allocation.offer_make(actor=sara, entry=entry_of(other), dwelling=home)
    allocation.offer_accept(actor=sara, offer=accepted)
    start = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    lease = tenancy.lease_create(
        actor=sara,
        offer=accepted,
        data={
            "start_date": start,
            "end_date": dt.date(start.year + 3, start.month, 1) - dt.timedelta(days=1),
            "term_kind": "standard",
            "term_basis": "",
            "monthly_rent": 9800,
            "deposit_kind": "nav_guarantee",
            "deposit_amount": 29_400,
            "handover_on": start,
            "inspection_on": start + dt.timedelta(days=60),
        },
    )
    appeal = cases.appeal_register(
        actor=sara, decision=other_decision, received_on=today, grounds="Jeg er uenig."
    )
    meeting = allocation.allocation_meeting_create(
        actor=sara,
        municipality=raelingen,
        data={"title": "Tildelingsmøte", "held_on": today, "members": "Tone, Sara"},
    )
    return World(
        case=decision.case,
        decision=decision,
        entry=entry,
        run=run,
        offer=offer,
        lease=lease,
        appeal=appeal,
        meeting=meeting,
        person=applicant,
        dwelling=dwelling,
    )


def _staff_pages(world: World) -> list[str]:
    return [
        "/",
        f"/saker/{world.case.pk}/",
        f"/saker/vedtak/{world.decision.pk}/",
        f"/saker/klager/{world.appeal.pk}/",
        f"/personer/{world.person.pk}/",
        f"/leieforhold/{world.lease.pk}/",
        "/tildeling/",
        "/tildeling/regler/",
        f"/tildeling/kjoringer/{world.run.pk}/",
        f"/tildeling/venteliste/{world.entry.pk}/",
        f"/tildeling/tilbud/{world.offer.pk}/",
        f"/tildeling/moter/{world.meeting.pk}/",
        "/tildeling/ledige/",
        "/boliger/?status=vacant",
    ]


def _resident_pages(world: World) -> list[str]:
    return [
        "/minside/",
        f"/minside/sak/{world.case.pk}/",
        f"/tildeling/minside/tilbud/{world.offer.pk}/",
        "/minside/sok/",
    ]


def _new_page(browser: Browser, width: int, **options: Any) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="nb-NO", **options
    )
    page = context.new_page()
    page.set_default_timeout(30_000)  # a busy machine serves slowly
    return page


@pytest.fixture
def staff(browser: Browser, live_server, world) -> Iterator[Page]:
    page = _new_page(browser, 320)
    log_in(page, live_server.url, "sara", PASSWORD)
    yield page
    page.context.close()


def _resident_log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/minside/logg-inn/")
    page.fill("#id_national_id", RESIDENT)
    page.click("form.husly-form button[type=submit]")
    page.wait_for_url(f"{base}/minside/")


@pytest.fixture
def resident(browser: Browser, live_server, world) -> Iterator[Page]:
    page = _new_page(browser, 320)
    _resident_log_in(page, live_server.url)
    yield page
    page.context.close()


def _visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    # Open folded parts (the application on the case page, the priority on the waiting list):
    # always the first still folded one, as each click takes a part out of the selector's
    # matches (a list of nth() locators made up front runs past the end after two clicks).
    folded = page.locator("main details:not([open]) > summary")
    for _ in range(folded.count()):
        folded.first.click()
    assert folded.count() == 0, f"{url}: a folded part did not open"


def _sideways_overflow(page: Page) -> list[str]:
    """What makes a page scroll sideways: the outermost elements sticking out to the right
    (what sticks out inside a scrolling table wrapper is that wrapper's business)."""
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            if (root.scrollWidth <= root.clientWidth) return [];
            const scrolls = (el) => {
                for (let node = el.parentElement; node && node !== document.body;
                     node = node.parentElement) {
                    if (getComputedStyle(node).overflowX !== 'visible') return true;
                }
                return false;
            };
            const out = [];
            for (const el of document.querySelectorAll('body *')) {
                const box = el.getBoundingClientRect();
                if (box.right <= root.clientWidth + 1 || scrolls(el)) continue;
                if (el.parentElement && el.parentElement.getBoundingClientRect().right
                    > root.clientWidth + 1 && !scrolls(el.parentElement)) continue;
                const text = (el.textContent || '').trim().slice(0, 40);
                out.push(`${el.tagName}.${el.className} ${Math.round(box.right)}px "${text}"`);
            }
            return out.length ? out.slice(0, 6) : [`scrollWidth ${root.scrollWidth}`];
        }"""
    )


def _duplicate_ids(page: Page) -> list[str]:
    return page.evaluate(
        """() => {
            const seen = new Map();
            for (const el of document.querySelectorAll('[id]')) {
                seen.set(el.id, (seen.get(el.id) || 0) + 1);
            }
            return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
        }"""
    )


def test_pages_reflow_at_320_px_with_unique_ids_and_titles(
    staff: Page, resident: Page, live_server, world
) -> None:
    base = live_server.url
    problems: dict[str, object] = {}
    for site, page, paths in (
        ("staff", staff, _staff_pages(world)),
        ("Min side", resident, _resident_pages(world)),
    ):
        titles: dict[str, str] = {}
        for path in paths:
            _visit(page, f"{base}{path}")
            if overflow := _sideways_overflow(page):
                problems[f"reflow {path}"] = overflow
            if duplicates := _duplicate_ids(page):
                problems[f"duplicate ids {path}"] = duplicates
            titles[path] = page.title()
            try:
                check_accessibility(page)
            except AssertionError as axe:
                problems[f"axe {path}"] = str(axe)[:400]
        repeated = {
            title: [p for p, t in titles.items() if t == title]
            for title in set(titles.values())
            if list(titles.values()).count(title) > 1
        }
        if repeated:
            problems[f"titles repeat in {site}"] = repeated
    assert not problems, problems


TEXT_SPACING_JS = """() => {
    // WCAG 1.4.12's test: line height 1.5, paragraph spacing 2, letter 0.12, word 0.16 (em).
    for (const el of document.querySelectorAll('body, body *')) {
        el.style.setProperty('line-height', '1.5', 'important');
        el.style.setProperty('letter-spacing', '0.12em', 'important');
        el.style.setProperty('word-spacing', '0.16em', 'important');
        if (el.tagName === 'P') el.style.setProperty('margin-bottom', '2em', 'important');
    }
    // Clipped: content of an element that hides its overflow reaches outside its box.
    const clipped = [];
    for (const box of document.querySelectorAll('main *')) {
        const style = getComputedStyle(box);
        const hides = ['hidden', 'clip'].includes(style.overflowX)
            || ['hidden', 'clip'].includes(style.overflowY);
        if (!hides || box.closest('.ds-sr-only')) continue;
        const outer = box.getBoundingClientRect();
        for (const inner of box.querySelectorAll('*')) {
            if (inner.closest('.ds-sr-only')) continue;
            const r = inner.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            if (r.right > outer.right + 1 || r.bottom > outer.bottom + 1
                || r.left < outer.left - 1 || r.top < outer.top - 1) {
                const text = (inner.textContent || '').trim().slice(0, 30);
                clipped.push(`${box.tagName}.${box.className} clips ${inner.tagName} "${text}"`);
                break;
            }
        }
    }
    return clipped;
}"""


@pytest.mark.parametrize("width", [1280, 320])
def test_text_spacing_clips_nothing(browser: Browser, live_server, world, width: int) -> None:
    page = _new_page(browser, width)
    log_in(page, live_server.url, "sara", PASSWORD)
    problems = {}
    for path in ["/", f"/saker/{world.case.pk}/", f"/tildeling/venteliste/{world.entry.pk}/"]:
        _visit(page, f"{live_server.url}{path}")
        clipped = page.evaluate(TEXT_SPACING_JS) + _sideways_overflow(page)
        if clipped:
            problems[path] = clipped
    assert not problems, problems


def _header_focus_contrasts(page: Page) -> list[dict[str, Any]]:
    """Tab through the header; for each focused control, its focus ring's contrast."""
    page.evaluate(CONTRAST_JS)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    found = []
    for _ in range(30):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || !el.closest('.husly-header')) return null;
                const style = getComputedStyle(el);
                const bar = document.querySelector('.husly-header');
                const header = huslyRgb(getComputedStyle(bar).backgroundColor);
                const ring = style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2
                    ? null : huslyRgb(style.outlineColor);
                return {name: el.textContent.trim().slice(0, 30) || el.tagName,
                        contrast: ring ? huslyContrast(ring, header) : 0};
            }"""
        )
        if info is None:
            if found:
                break
            continue
        found.append(info)
    return found


def test_focus_on_the_blue_header_is_clearly_visible(page: Page, live_server, world) -> None:
    log_in(page, live_server.url, "sara", PASSWORD)
    focused = _header_focus_contrasts(page)
    assert len(focused) >= 5  # logo, menu items, language, log out
    weak = [f for f in focused if f["contrast"] < 3]
    assert not weak, weak


def test_hovered_header_controls_keep_their_contrast(page: Page, live_server, world) -> None:
    log_in(page, live_server.url, "sara", PASSWORD)
    page.evaluate(CONTRAST_JS)
    controls = page.locator(".husly-header a, .husly-header button")
    weak = []
    for index in range(controls.count()):
        control = controls.nth(index)
        control.hover()
        page.wait_for_timeout(250)  # transitions
        ratio = control.evaluate(
            """el => huslyContrast(huslyRgb(getComputedStyle(el).color), huslyBackground(el))"""
        )
        if ratio < 4.5:
            weak.append((control.inner_text(), round(ratio, 2)))
    assert not weak, weak


def test_after_a_refused_form_focus_is_on_the_error_summary(page: Page, live_server, world) -> None:
    log_in(page, live_server.url, "sara", PASSWORD)
    page.goto(f"{live_server.url}/tildeling/tilbud/{world.offer.pk}/")
    page.click("form:has(input[value=refuse]) button[type=submit]")  # no reason given
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    check_accessibility(page)


def test_own_details_say_what_they_are_for(resident: Page, live_server, world) -> None:
    resident.goto(f"{live_server.url}/minside/sok/")
    purposes = {
        "given_name": "given-name",
        "family_name": "family-name",
        "phone": "tel",
        "email": "email",
        "address": "street-address",
        "postal_code": "postal-code",
        "postal_town": "address-level2",
    }
    for name, purpose in purposes.items():
        expect(resident.locator(f"#id_om-{name}")).to_have_attribute("autocomplete", purpose)


def test_norwegian_guideline_text_in_english_pages_is_marked_as_norwegian(
    page: Page, live_server, world
) -> None:
    log_in(page, live_server.url, "sara", PASSWORD)
    page.select_option("#language-select", "en")
    page.click("form.husly-language button[type=submit]")
    page.wait_for_load_state("load")
    for path in [f"/saker/{world.case.pk}/"]:  # the assessment and the judgement form
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        guideline = page.locator("[data-guideline-text]")
        assert guideline.count() > 0, path
        unmarked = guideline.evaluate_all(
            "els => els.filter(el => el.closest('[lang]').lang !== 'nb').map(el => el.textContent)"
        )
        assert not unmarked, (path, unmarked[:3])


def test_refused_and_missing_pages_have_a_main_landmark(page: Page, live_server, world) -> None:
    log_in(page, live_server.url, "sara", PASSWORD)
    for path in ["/saker/999999/", "/organisasjon/"]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main")).to_have_count(1)
        check_accessibility(page)

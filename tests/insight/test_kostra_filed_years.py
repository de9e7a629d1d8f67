"""The KOSTRA page shows the years the job filed, when each was filed, and the filed figures
beside the ones computed now; for the page's readers only, each their own municipality's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.insight.actions import kostra_year_prepare
from husly.insight.models import KostraYear

pytestmark = pytest.mark.django_db


def _page(user, year: int) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(reverse("insight:kostra"), {"aar": year})
    return response.status_code, response.content.decode() if response.status_code == 200 else ""


def test_filed_years_are_shown_beside_the_figures_computed_now(  # type: ignore[no-untyped-def]
    lise, sara, eirik, olga, raelingen, lorenskog
) -> None:
    year = timezone.localdate().year - 1
    status, before = _page(lise, year)
    assert status == 200 and "Ingen år er lagret ennå." in before
    filed, created = kostra_year_prepare(actor=lise, municipality=raelingen, year=year)
    assert created
    KostraYear.objects.filter(pk=filed.pk).update(
        prepared_at=dt.datetime(year + 1, 1, 1, 3, 0, tzinfo=dt.UTC)
    )
    older = KostraYear.objects.create(
        municipality=raelingen,
        year=year - 1,
        report={"figures": []},
        prepared_at=dt.datetime(year, 1, 1, 3, 0, tzinfo=dt.UTC),
    )
    # A figure as filed differs from the one counted now (records corrected after filing).
    report = filed.report
    report["figures"][0]["value"] = 7
    KostraYear.objects.filter(pk=filed.pk).update(report=report)

    status, page = _page(lise, year)
    assert status == 200
    assert "Lagrede år" in page
    assert f"{year} slik lagret 01.01.{year + 1}" in page
    assert f'href="?aar={older.year}"' in page  # the other filed year, one click away
    assert "endret siden lagring" in page
    assert page.count('class="husly-kostra-filed"') == len(report["figures"])
    # A caseworker reads the KOSTRA page too (aggregates: the small count is suppressed).
    status, caseworker_page = _page(sara, year)
    assert status == 200 and f"{year} slik lagret" in caseworker_page
    # Another municipality's reader sees their own (none filed), never Rælingen's.
    status, other = _page(olga, year)
    assert status == 200
    assert "Ingen år er lagret ennå." in other and f"01.01.{year + 1}" not in other
    # The property unit does not read KOSTRA at all.
    assert _page(eirik, year)[0] == 404

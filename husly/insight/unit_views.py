"""Each unit's own part of the dashboard (``husly.insight.units``): exact for the unit's
members, small counts suppressed for the municipality's other dashboard readers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.core.pages import user_of
from husly.insight import units as owned
from husly.insight.dashboard_views import (
    Shown,
    _row,
    _table,
    loans_section,
    reads_people,
    settlement_cells,
    stock_cells,
    stock_chart,
    stock_tables,
    vacancy_table,
)
from husly.organisation.models import Unit
from husly.people.selectors import log_household_reads, visible_households

Link = Callable[[str], str | None]


def _nav(d: dict[str, Any], show: Shown, link: Link) -> dict[str, Any]:
    count = _("How many")
    return {
        "id": "nav",
        "title": _("Temporary accommodation and arrears covered"),
        "intro": _(
            "Stays in temporary accommodation open today (social services act § 27), and what "
            "this unit has covered or pays for tenants in the period."
        ),
        "chart": None,
        "tables": [
            _table(
                _("Temporary accommodation today"),
                [_("Figure"), count],
                [
                    _row(
                        _("Households in temporary accommodation"),
                        show.text(d["stays"]),
                        link=link("stays"),
                    ),
                    _row(
                        _("of them for more than three months"),
                        show.text(d["long"]),
                        link=link("long_stays"),
                    ),
                    _row(_("Children in temporary accommodation"), show.text(d["children"])),
                    _row(
                        _("Stays this unit finds the lasting solution for"),
                        show.text(d["responsible"]),
                        link=link("responsible"),
                    ),
                ],
            ),
            _table(
                _("Arrears covered and rent paid by NAV"),
                [_("Figure"), count, _("Amount")],
                [
                    _row(
                        _("Arrears covered by NAV in the period"),
                        show.text(d["coverages"]),
                        show.money(d["coverages"], d["covered_amount"]),
                        link=link("coverages"),
                    ),
                    _row(_("Arrears cases covered"), show.text(d["covered_cases"]), ""),
                    _row(
                        _("Leases whose rent this unit pays directly today"),
                        show.text(d["deductions"]),
                        "",
                        link=link("deductions"),
                    ),
                ],
            ),
        ],
    }


def _settlement(d: dict[str, Any], show: Shown, link: Link) -> dict[str, Any]:
    cells = settlement_cells(d, show)
    return {
        "id": "settlement",
        "title": _("Settlement of refugees"),
        "intro": None,
        "chart": None,
        "tables": [
            _table(
                _("Settlement this year against the council's number"),
                [_("Figure"), _("How many")],
                [
                    _row(_("The council's number (persons)"), cells["decided"]),
                    _row(_("Persons settled"), cells["settled"]),
                    _row(_("Households settled"), cells["households"], link=link("settled")),
                    _row(
                        _("Persons accepted, still to arrive"),
                        cells["expected"],
                        link=link("expected"),
                    ),
                    _row(_("Persons remaining"), cells["remaining"]),
                ],
            )
        ],
    }


def _property(d: dict[str, Any], show: Shown, link: Link) -> dict[str, Any]:
    stock, vacancy = d["stock"], d["vacancy"]
    cells = stock_cells(stock, show)
    return {
        "id": "property",
        "title": _("Stock and vacancy"),
        "intro": _(
            "Dwellings in the stock today (sold ones not counted), and vacancy in the period."
        ),
        "chart": stock_chart(stock, cells),
        "tables": [*stock_tables(stock, show, cells, link), vacancy_table(vacancy, show)],
    }


BUILDERS = {
    owned.NAV: _nav,
    owned.SETTLEMENT: _settlement,
    owned.LOANS: loans_section,
    owned.PROPERTY: _property,
}


def _part(unit: Unit, exact: bool, lists: bool) -> dict[str, Any]:
    data = owned.unit_figures(unit, timezone.localdate())
    show = Shown(exact)

    def link(key: str) -> str | None:
        if not (exact and lists):
            return None
        return reverse("insight:unit_dashboard_list", args=[unit.pk, key])

    return {
        "unit": unit,
        "exact": exact,
        "data": data,
        "sections": [BUILDERS[p](data[p], show, link) for p in data["parts"]],
    }


def my_unit_dashboard(request: HttpRequest) -> HttpResponse:
    """The parts of every unit the user is a member of (exact: the figures are their own)."""
    user = user_of(request)
    units = owned.my_units(user)
    if not units:
        raise Http404
    lists = reads_people(user)
    return render(
        request,
        "insight/unit_dashboard.html",
        {"parts": [_part(u, exact=True, lists=lists) for u in units]},
    )


def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit's part: exact for its members, suppressed for other dashboard readers."""
    user = user_of(request)
    unit, exact = owned.unit_for(user, pk)
    return render(
        request,
        "insight/unit_dashboard.html",
        {"parts": [_part(unit, exact, lists=reads_people(user))]},
    )


def unit_dashboard_list(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The households behind one of a unit's figures: for the unit's members with a role that
    reads persons, cut to the households they may see (``visible_households``), one access
    event per main applicant shown; 404 for everyone else (other readers see aggregates)."""
    user = user_of(request)
    unit, exact = owned.unit_for(user, pk)
    if not exact or not reads_people(user) or key not in owned.UNIT_LISTS:
        raise Http404
    part, title = owned.UNIT_LISTS[key]
    if part not in owned.parts_of(unit):
        raise Http404
    rows = owned.unit_list_rows(unit, key, timezone.localdate())
    ids = {r.household_id for r in rows}
    seen = set(visible_households(user).filter(pk__in=ids).values_list("pk", flat=True))
    rows = [r for r in rows if r.household_id in seen]
    log_household_reads(
        user=user,
        household_ids=[r.household_id for r in rows],
        what=_("The unit's figures: %(list)s") % {"list": title},
        path=request.path,
    )
    return render(
        request,
        "insight/dashboard_list.html",
        {
            "municipality": unit.municipality,
            "title": f"{title} ({unit.name})",
            "rows": rows,
            "key": key,
            "deadline_header": False,
            "back": reverse("insight:unit_dashboard", args=[unit.pk]),
            "partial": len(seen) < len(ids),
        },
    )

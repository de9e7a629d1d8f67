"""Each unit's own part of the dashboard (``husly.insight.units``): exact for the unit's
members, small counts suppressed for the municipality's other dashboard readers."""

from __future__ import annotations

from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.core.pages import user_of
from husly.insight import charts
from husly.insight import units as owned
from husly.insight.dashboard_views import Shown, _row, _table, loans_section
from husly.insight.suppression import SMALL_COUNT, hidden_with_total
from husly.organisation.models import Unit


def _nav(d: dict[str, Any], show: Shown) -> dict[str, Any]:
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
                    _row(_("Households in temporary accommodation"), show.text(d["stays"])),
                    _row(_("of them for more than three months"), show.text(d["long"])),
                    _row(_("Children in temporary accommodation"), show.text(d["children"])),
                    _row(
                        _("Stays this unit finds the lasting solution for"),
                        show.text(d["responsible"]),
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
                    ),
                    _row(_("Arrears cases covered"), show.text(d["covered_cases"]), ""),
                    _row(
                        _("Leases whose rent this unit pays directly today"),
                        show.text(d["deductions"]),
                        "",
                    ),
                ],
            ),
        ],
    }


def _settlement(d: dict[str, Any], show: Shown) -> dict[str, Any]:
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
                    _row(
                        _("The council's number (persons)"),
                        "–" if d["decided"] is None else d["decided"],
                    ),
                    _row(_("Persons settled"), show.text(d["settled"])),
                    _row(_("Households settled"), show.text(d["households"])),
                    _row(_("Persons accepted, still to arrive"), show.text(d["expected"])),
                    _row(
                        _("Persons remaining"),
                        "–" if d["remaining"] is None else show.text(d["remaining"]),
                    ),
                ],
            )
        ],
    }


def _parts(show: Shown, counts: list[int]) -> list[str]:
    """Parts of a shown total: for readers outside the unit, small parts and the one that would
    give a single small part away by subtraction are hidden."""
    if show.exact:
        return [show.text(c) for c in counts]
    hide = hidden_with_total(counts)
    return [
        ("<5" if 0 < c < SMALL_COUNT else "–") if h else show.text(c)
        for c, h in zip(counts, hide, strict=True)
    ]


def _property(d: dict[str, Any], show: Shown) -> dict[str, Any]:
    stock, vacancy = d["stock"], d["vacancy"]
    categories = stock["categories"]
    columns = [_parts(show, [c[key] for c in categories]) for key in ("n", "wheelchair", "vacant")]
    return {
        "id": "property",
        "title": _("Stock and vacancy"),
        "intro": _(
            "Dwellings in the stock today (sold ones not counted), and vacancy in the period."
        ),
        "chart": {
            "kind": "bars",
            "name": _("Dwellings by kind"),
            **charts.horizontal(
                [
                    charts.Bar(
                        label=str(c["label"]),
                        value=c["n"],
                        text=columns[0][k],
                        draw=columns[0][k] not in {"–", "<5"},
                    )
                    for k, c in enumerate(categories)
                ]
            ),
        },
        "tables": [
            _table(
                _("Dwellings by kind"),
                [_("Kind"), _("Dwellings"), _("Wheelchair accessible"), _("Vacant")],
                [
                    _row(str(c["label"]), columns[0][k], columns[1][k], columns[2][k])
                    for k, c in enumerate(categories)
                ]
                + [
                    _row(
                        _("In all"),
                        show.text(stock["total"]),
                        show.text(stock["wheelchair"]),
                        show.text(stock["vacant"]),
                    )
                ],
            ),
            _table(
                _("Leases ending with no renewal written"),
                [_("Ending within"), _("Leases")],
                [
                    _row(_("3 months"), show.text(stock["ending"]["m3"])),
                    _row(_("6 months"), show.text(stock["ending"]["m6"])),
                    _row(_("12 months"), show.text(stock["ending"]["m12"])),
                ],
            ),
            _table(
                _("Vacancy days by cause"),
                [_("Cause"), _("Days"), _("Dwellings")],
                [
                    _row(
                        str(r["label"]),
                        "–" if show.small(r["dwellings"]) else intcomma(r["days"]),
                        show.text(r["dwellings"]),
                    )
                    for r in vacancy["rows"]
                ],
            ),
        ],
    }


BUILDERS = {
    owned.NAV: _nav,
    owned.SETTLEMENT: _settlement,
    owned.LOANS: loans_section,
    owned.PROPERTY: _property,
}


def _part(unit: Unit, exact: bool) -> dict[str, Any]:
    data = owned.unit_figures(unit, timezone.localdate())
    show = Shown(exact)
    return {
        "unit": unit,
        "exact": exact,
        "data": data,
        "sections": [BUILDERS[p](data[p], show) for p in data["parts"]],
    }


def my_unit_dashboard(request: HttpRequest) -> HttpResponse:
    """The parts of every unit the user is a member of (exact: the figures are their own)."""
    user = user_of(request)
    units = owned.my_units(user)
    if not units:
        raise Http404
    return render(
        request, "insight/unit_dashboard.html", {"parts": [_part(u, exact=True) for u in units]}
    )


def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit's part: exact for its members, suppressed for other dashboard readers."""
    unit, exact = owned.unit_for(user_of(request), pk)
    return render(request, "insight/unit_dashboard.html", {"parts": [_part(unit, exact)]})

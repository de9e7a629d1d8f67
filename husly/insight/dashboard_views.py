"""The leaders' dashboard and the lists behind its figures.

Suppression follows the data out of the unit that owns it (ADR 0031, 0032): each figure is
exact only for readers inside its owner (``husly.insight.units.exact_for``): the housing
office's own data (waiting list, applications, decisions, offers, the promise, waits,
refusals, leases, arrears, evictions) for readers who may see those people (its caseworkers,
approvers, allocation members, administrators), a unit's part (NAV, the refugee service, the
start-loan unit, the property unit) for the members of the unit that owns it. Everyone else sees
small counts as "<5", and the subtraction guard (``husly.insight.suppression.guard``) hides what
a total beside its parts would give away. A figure links to the list behind it only for readers
who may see the people behind it; leaders get the broken promises as a breakdown without
names."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from husly.audit.freshness import until_changed
from husly.core.pages import user_of
from husly.insight import charts
from husly.insight import dashboard as figures
from husly.insight import units as owned
from husly.insight.suppression import SMALL_COUNT, guard, suppressed
from husly.insight.units import units_with_parts
from husly.organisation.access import memberships_of, municipalities_for_user
from husly.organisation.models import Municipality, User
from husly.people.selectors import log_household_reads, people_scope, visible_households

HO = owned.HOUSING_OFFICE
K = TypeVar("K", bound=Hashable)

DRILL_OWNERS = {
    "promise_broken": HO,
    "promise_overdue": HO,
    "waiting": HO,
    "temporary": owned.NAV,
    "arrears": HO,
    "evictions": HO,
    "refusals": HO,
}
"""Whose data each list behind a figure is (``figures.DRILLS``)."""


def _municipality(user: User) -> Municipality:
    municipality = municipalities_for_user(user, figures.DASHBOARD_READ).first()
    if municipality is None:
        raise Http404
    return municipality


def may_see_people(user: User, municipality: Municipality) -> bool:
    """Whether the reader sees every household of the municipality (and so the lists)."""
    return municipality.pk in people_scope(user)[0]


def reads_people(user: User) -> bool:
    """Whether the reader holds a role that reads persons anywhere (the lists are then cut to
    the households the reader may see, through ``visible_households``)."""
    whole, units = people_scope(user)
    return bool(whole or units)


class Shown:
    """Figures as this reader may see them: exact for readers inside the owner of the data,
    with small counts suppressed (and the medians, shares and sums that would give them away
    hidden) for everyone else."""

    def __init__(self, exact: bool) -> None:
        self.exact = exact

    def small(self, count: int) -> bool:
        return not self.exact and 0 < count < SMALL_COUNT

    def n(self, count: int) -> int | str:
        return count if self.exact else suppressed(count)

    def text(self, count: int) -> str:
        value = self.n(count)
        return intcomma(value) if isinstance(value, int) else value

    def cells(
        self,
        values: Mapping[K, int],
        sums: Sequence[tuple[K | None, Sequence[K]]] = (),
        *,
        public: frozenset[K] = frozenset(),
    ) -> dict[K, str]:
        """The text of each cell of a table with totals and parts: small counts "<5", and the
        cells the subtraction guard hides beside them "–" (``suppression.guard``)."""
        if self.exact:
            return {k: intcomma(v) for k, v in values.items()}
        hidden = guard(values, sums, public=public)
        return {
            k: ("<5" if 0 < v < SMALL_COUNT else "–")
            if k in hidden
            else (intcomma(v) if k in public else self.text(v))
            for k, v in values.items()
        }

    def share(self, part: int, whole: int) -> str:
        if not whole or (not self.exact and (self.small(part) or whole < SMALL_COUNT)):
            return "–"
        return f"{round(100 * part / whole)} %"

    def days(self, n: int, value: float | None) -> str:
        if value is None or (not self.exact and n < SMALL_COUNT):
            return "–"
        return intcomma(round(value))

    def money(self, n: int, amount: int) -> str:
        if self.small(n):
            return "–"
        return f"{intcomma(amount)} kr"

    def bar(self, label: str, count: int) -> charts.Bar:
        return charts.Bar(
            label=label, value=count, text=self.text(count), draw=not self.small(count)
        )


def drawn(text: str) -> bool:
    """Whether a cell shown as ``text`` may be drawn in a chart (a hidden one may not: its
    length would tell the count)."""
    return text not in {"<5", "–"}


def _row(label: Any, *cells: Any, link: str | None = None) -> dict[str, Any]:
    return {"label": label, "cells": list(cells), "link": link}


def _table(caption: str, headers: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"caption": caption, "headers": headers, "rows": rows}


def _link(key: str, allowed: bool) -> str | None:
    return reverse("insight:dashboard_list", args=[key]) if allowed else None


def no_link(_key: str) -> str | None:
    return None


def promise_words(months: int) -> dict[str, str]:
    """The texts of the promise for the number of months in force (the dated parameter
    ``municipal.<number>.allocation.promise_months``)."""
    n = {"months": months}
    return {
        "title": ngettext(
            "The promise of an offer within %(months)s month",
            "The promise of an offer within %(months)s months",
            months,
        )
        % n,
        "intro": ngettext(
            "An applicant with an approval shall be offered a dwelling within %(months)s month "
            "(the municipality's allocation guideline). Counted for the approvals whose deadline "
            "ran out in the period.",
            "An applicant with an approval shall be offered a dwelling within %(months)s months "
            "(the municipality's allocation guideline). Counted for the approvals whose deadline "
            "ran out in the period.",
            months,
        )
        % n,
        "overdue": ngettext(
            "Past the %(months)s month today, no offer yet",
            "Past the %(months)s months today, no offer yet",
            months,
        )
        % n,
        "due": ngettext(
            "The %(months)s month runs out within 30 days, no offer yet",
            "The %(months)s months run out within 30 days, no offer yet",
            months,
        )
        % n,
        "days_over": ngettext(
            "By days past the %(months)s month",
            "By days past the %(months)s months",
            months,
        )
        % n,
        "promise_broken": ngettext(
            "Promises of an offer within %(months)s month broken in the period",
            "Promises of an offer within %(months)s months broken in the period",
            months,
        )
        % n,
        "promise_overdue": ngettext(
            "On the list past the %(months)s month, no offer yet",
            "On the list past the %(months)s months, no offer yet",
            months,
        )
        % n,
    }


def drill_title(key: str, months: int) -> str:
    words = promise_words(months)
    return words[key] if key in figures.PROMISE_DRILLS else str(figures.DRILLS[key])


def _promise_section(d: dict[str, Any], show: Shown, links: dict[str, bool]) -> dict[str, Any]:
    promise = d["promise"]
    words = promise_words(d["promise_months"])
    months = [m["month"] for m in promise["months"]]
    values: dict[Any, int] = {"kept": promise["kept"], "broken": promise["broken"]}
    for m in promise["months"]:
        values[("kept", m["month"])] = m["kept"]
        values[("broken", m["month"])] = m["broken"]
    cells = show.cells(
        values,
        [
            ("kept", [("kept", m) for m in months]),
            ("broken", [("broken", m) for m in months]),
        ],
    )
    share = (
        show.share(promise["kept"], promise["decided"])
        if drawn(cells["kept"]) and drawn(cells["broken"])
        else "–"
    )
    return {
        "id": "promise",
        "title": words["title"],
        "intro": words["intro"],
        "chart": {
            "kind": "columns",
            "name": _("Promises kept and broken per month"),
            **charts.columns(
                months,
                [
                    (
                        label,
                        [values[(key, m)] for m in months],
                        [drawn(cells[(key, m)]) for m in months],
                    )
                    for key, label in (("kept", _("Kept")), ("broken", _("Broken")))
                ],
            ),
        },
        "tables": [
            _table(
                words["title"],
                [_("Figure"), _("How many")],
                [
                    _row(_("Kept"), cells["kept"]),
                    _row(
                        _("Broken"), cells["broken"], link=_link("promise_broken", links["promise"])
                    ),
                    _row(_("Share kept"), share),
                    _row(
                        words["overdue"],
                        show.text(promise["overdue_now"]),
                        link=_link("promise_overdue", links["promise"]),
                    ),
                    _row(words["due"], show.text(promise["due_within_30_days"])),
                ],
            ),
            _table(
                _("Promises kept and broken per month"),
                [_("Month of the deadline"), _("Kept"), _("Broken")],
                [
                    _row(charts.month_label(m), cells[("kept", m)], cells[("broken", m)])
                    for m in months
                ],
            ),
        ],
    }


def _needs_section(
    d: dict[str, Any], shows: dict[str, Shown], links: dict[str, bool]
) -> dict[str, Any]:
    """Today's needs: the housing office's waiting list and applications, NAV's temporary
    stays, the homeless (from both: exact only where both are), the tenants in arrears."""
    show, nav = shows[HO], shows[owned.NAV]
    both = Shown(show.exact and nav.exact)
    waiting, temporary, arrears = d["waiting"], d["temporary"], d["arrears"]
    types = [str(label) for label in figures.HOUSEHOLD_TYPES.values()]
    rows, ntypes = waiting["rows"], len(waiting["by_type"])
    values: dict[Any, int] = {"all": waiting["total"]}
    for i, r in enumerate(rows):
        values[("row", i)] = r["total"]
        for j, c in enumerate(r["cells"]):
            values[(i, j)] = c
    for j, c in enumerate(waiting["by_type"]):
        values[("col", j)] = c
    sums: list[tuple[Any, list[Any]]] = [
        (("row", i), [(i, j) for j in range(ntypes)]) for i in range(len(rows))
    ]
    sums += [(("col", j), [(i, j) for i in range(len(rows))]) for j in range(ntypes)]
    sums += [
        ("all", [("row", i) for i in range(len(rows))]),
        ("all", [("col", j) for j in range(ntypes)]),
    ]
    cells = show.cells(values, sums)
    count = _("How many")
    return {
        "id": "needs",
        "title": _("Needs"),
        "intro": _("Today's figures."),
        "chart": {
            "kind": "bars",
            "name": _("Waiting list by urgency"),
            **charts.horizontal(
                [
                    charts.Bar(
                        str(r["label"]),
                        r["total"],
                        cells[("row", i)],
                        drawn(cells[("row", i)]),
                    )
                    for i, r in enumerate(rows)
                ]
            ),
        },
        "tables": [
            _table(
                _("Needs today"),
                [_("Figure"), count],
                [
                    _row(
                        _("Applications received, not yet decided"),
                        show.text(d["applications_open"]),
                    ),
                    _row(
                        _("Households on the waiting list"),
                        cells["all"],
                        link=_link("waiting", links["waiting"]),
                    ),
                    _row(_("Homeless by the national definition"), both.text(d["homeless"])),
                    _row(
                        _("Households in temporary accommodation"),
                        nav.text(temporary["stays"]),
                        link=_link("temporary", links["temporary"]),
                    ),
                    _row(_("of them for more than three months"), nav.text(temporary["long"])),
                    _row(_("Children in temporary accommodation"), nav.text(temporary["children"])),
                    _row(
                        _("Tenants in arrears"),
                        show.text(arrears["leases"]),
                        link=_link("arrears", links["arrears"]),
                    ),
                    _row(_("of them two months or more"), show.text(arrears["two_months_or_more"])),
                    _row(_("Arrears in all"), show.money(arrears["leases"], arrears["amount"])),
                ],
            ),
            _table(
                _("Waiting list by urgency and household type"),
                [_("Urgency"), *types, _("In all")],
                [
                    _row(
                        str(r["label"]),
                        *[cells[(i, j)] for j in range(ntypes)],
                        cells[("row", i)],
                    )
                    for i, r in enumerate(rows)
                ]
                + [_row(_("In all"), *[cells[("col", j)] for j in range(ntypes)], cells["all"])],
            ),
        ],
    }


def _flows_section(d: dict[str, Any], show: Shown) -> dict[str, Any]:
    flows = d["flows"]
    series = _flow_series()
    months = [m["month"] for m in flows["months"]]
    values: dict[Any, int] = {}
    for key, _label in series:
        values[("total", key)] = flows["totals"][key]
        for m in flows["months"]:
            values[(key, m["month"])] = m[key]
    cells = show.cells(
        values, [(("total", key), [(key, m) for m in months]) for key, _label in series]
    )
    return {
        "id": "flows",
        "title": _("Flows per month"),
        "intro": _(
            "Applications received, approvals and refusals issued, offers made, leases "
            "started (renewals not counted) and tenants moving on."
        ),
        "chart": {
            "kind": "columns",
            "name": _("Flows per month"),
            **charts.columns(
                months,
                [
                    (
                        label,
                        [values[(key, m)] for m in months],
                        [drawn(cells[(key, m)]) for m in months],
                    )
                    for key, label in series
                ],
            ),
        },
        "tables": [
            _table(
                _("Flows per month"),
                [_("Month"), *[label for _key, label in series]],
                [
                    _row(charts.month_label(m), *[cells[(key, m)] for key, _label in series])
                    for m in months
                ]
                + [_row(_("In all"), *[cells[("total", key)] for key, _label in series])],
            )
        ],
    }


def _waits_section(d: dict[str, Any], show: Shown) -> dict[str, Any]:
    rows = d["waits"]["rows"]  # one per household type, then "all"
    values: dict[Any, int] = {}
    for r in rows:
        values[("offered", r["key"])] = r["offered"]
        values[("waiting", r["key"])] = r["waiting"]
    parts = [r["key"] for r in rows if r["key"] != "all"]
    cells = show.cells(
        values,
        [
            (("offered", "all"), [("offered", k) for k in parts]),
            (("waiting", "all"), [("waiting", k) for k in parts]),
        ],
    )
    return {
        "id": "waits",
        "title": _("Waiting times"),
        "intro": _(
            "Days from the approval to the first offer, for first offers made in the period; "
            "and days waited so far by the households still on the list."
        ),
        "chart": None,
        "tables": [
            _table(
                _("Waiting times in days by household type"),
                [
                    _("Household type"),
                    _("Offered"),
                    _("Median"),
                    _("90th percentile"),
                    _("Still waiting"),
                    _("Median so far"),
                    _("90th percentile so far"),
                ],
                [
                    _row(
                        str(r["label"]),
                        cells[("offered", r["key"])],
                        show.days(r["offered"], r["median"]),
                        show.days(r["offered"], r["p90"]),
                        cells[("waiting", r["key"])],
                        show.days(r["waiting"], r["waiting_median"]),
                        show.days(r["waiting"], r["waiting_p90"]),
                    )
                    for r in rows
                ],
            )
        ],
    }


STOCK_COLUMNS = ("n", "wheelchair", "vacant")
STOCK_TOTALS = {"n": "total", "wheelchair": "wheelchair", "vacant": "vacant"}


def stock_cells(stock: dict[str, Any], show: Shown) -> dict[Any, str]:
    """The dwellings-by-kind table's cells, each column guarded against its total (the
    leaders' dashboard and the property unit's part)."""
    categories = stock["categories"]
    values: dict[Any, int] = {}
    for col in STOCK_COLUMNS:
        values[("total", col)] = stock[STOCK_TOTALS[col]]
        for k, c in enumerate(categories):
            values[(col, k)] = c[col]
    return show.cells(
        values,
        [(("total", col), [(col, k) for k in range(len(categories))]) for col in STOCK_COLUMNS],
    )


def stock_tables(
    stock: dict[str, Any],
    show: Shown,
    cells: dict[Any, str],
    link: Callable[[str], str | None] = no_link,
) -> list[Any]:
    categories = stock["categories"]
    share = (
        show.share(stock["wheelchair"], stock["total"])
        if drawn(cells[("total", "n")]) and drawn(cells[("total", "wheelchair")])
        else "–"
    )
    return [
        _table(
            _("Dwellings by kind"),
            [_("Kind"), _("Dwellings"), _("Wheelchair accessible"), _("Vacant")],
            [
                _row(str(c["label"]), *[cells[(col, k)] for col in STOCK_COLUMNS])
                for k, c in enumerate(categories)
            ]
            + [
                _row(_("In all"), *[cells[("total", col)] for col in STOCK_COLUMNS]),
                _row(_("Share wheelchair accessible"), "", share, ""),
            ],
        ),
        _table(
            _("Leases ending with no renewal written"),
            [_("Ending within"), _("Leases")],
            [
                _row(_("3 months"), show.text(stock["ending"]["m3"]), link=link("ending_3")),
                _row(_("6 months"), show.text(stock["ending"]["m6"]), link=link("ending_6")),
                _row(_("12 months"), show.text(stock["ending"]["m12"]), link=link("ending_12")),
            ],
        ),
    ]


def stock_chart(stock: dict[str, Any], cells: dict[Any, str]) -> dict[str, Any]:
    return {
        "kind": "bars",
        "name": _("Dwellings by kind"),
        **charts.horizontal(
            [
                charts.Bar(str(c["label"]), c["n"], cells[("n", k)], drawn(cells[("n", k)]))
                for k, c in enumerate(stock["categories"])
            ]
        ),
    }


def vacancy_table(vacancy: dict[str, Any], show: Shown) -> dict[str, Any]:
    return _table(
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
    )


def _stock_sections(
    d: dict[str, Any], show: Shown, link: Callable[[str], str | None] = no_link
) -> list[dict[str, Any]]:
    stock, vacancy = d["stock"], d["vacancy"]
    cells = stock_cells(stock, show)
    return [
        {
            "id": "stock",
            "title": _("Stock"),
            "intro": _("Dwellings in the stock today (sold ones not counted)."),
            "chart": stock_chart(stock, cells),
            "tables": stock_tables(stock, show, cells, link),
        },
        {
            "id": "vacancy",
            "title": _("Vacancy days by cause"),
            "intro": _("Days dwellings stood empty in the period, by cause."),
            "chart": {
                "kind": "bars",
                "name": _("Vacancy days by cause"),
                **charts.horizontal(
                    [
                        charts.Bar(
                            str(r["label"]),
                            r["days"],
                            intcomma(r["days"]),
                            not show.small(r["dwellings"]),
                        )
                        for r in vacancy["rows"]
                    ]
                ),
            },
            "tables": [vacancy_table(vacancy, show)],
        },
    ]


def _outcome_table(
    caption: str,
    headers: list[str],
    parts: list[tuple[str, int]],
    total: tuple[str, int],
    show: Shown,
    *,
    link: str | None = None,
) -> dict[str, Any]:
    """A table of parts and their total in the last row, guarded."""
    values: dict[Any, int] = {k: n for k, (_label, n) in enumerate(parts)}
    values["total"] = total[1]
    cells = show.cells(values, [("total", list(range(len(parts))))])
    return _table(
        caption,
        headers,
        [_row(label, cells[k]) for k, (label, _n) in enumerate(parts)]
        + [_row(total[0], cells["total"], link=link)],
    )


def _refusals_section(d: dict[str, Any], show: Shown, links: dict[str, bool]) -> dict[str, Any]:
    refusals = d["refusals"]
    return {
        "id": "refusals",
        "title": _("Refusals and what became of the refused"),
        "intro": None,
        "chart": None,
        "tables": [
            _outcome_table(
                _("Refused applications for a dwelling, and what happened after"),
                [_("What happened"), _("Households")],
                [(str(o["label"]), o["n"]) for o in refusals["outcomes"]],
                (_("Refused in all"), refusals["refusals"]),
                show,
                link=_link("refusals", links["refusals"]),
            ),
            _outcome_table(
                _("Offers refused, by where the household stands now"),
                [_("Where the household stands"), _("Offers")],
                [(str(o["label"]), o["n"]) for o in refusals["offer_outcomes"]],
                (_("Offers refused in all"), refusals["refused_offers"]),
                show,
            ),
        ],
    }


def _evictions_section(d: dict[str, Any], show: Shown, links: dict[str, bool]) -> dict[str, Any]:
    evictions = d["evictions"]
    origins = evictions["origins"]
    values: dict[Any, int] = {("total", "opened"): evictions["opened"]}
    values[("total", "evicted")] = evictions["evicted"]
    for k, o in enumerate(origins):
        values[("opened", k)] = o["opened"]
        values[("evicted", k)] = o["evicted"]
    cells = show.cells(
        values,
        [
            (("total", col), [(col, k) for k in range(len(origins))])
            for col in ("opened", "evicted")
        ],
    )
    return {
        "id": "evictions",
        "title": _("Arrears cases and evictions"),
        "intro": None,
        "chart": None,
        "tables": [
            _table(
                _("Arrears cases and evictions in the period"),
                [_("Origin"), _("Cases opened"), _("Evictions carried out")],
                [
                    _row(str(o["label"]), cells[("opened", k)], cells[("evicted", k)])
                    for k, o in enumerate(origins)
                ]
                + [
                    _row(
                        _("In all"),
                        cells[("total", "opened")],
                        cells[("total", "evicted")],
                        link=_link("evictions", links["evictions"]),
                    )
                ],
            )
        ],
    }


def _living_there_section(d: dict[str, Any], show: Shown) -> dict[str, Any]:
    living = d["living_there"]
    living_rows = [(str(label), living[key]) for key, label in figures.LIVING_THERE_ROWS]
    return {
        "id": "living-there",
        "title": _("Living there: the stored facts"),
        "intro": _(
            "Counted from the facts recorded when each step was taken (arrears procedure, "
            "bo-plans), in the period."
        ),
        "chart": {
            "kind": "bars",
            "name": _("Living there: the stored facts"),
            **charts.horizontal([show.bar(label, n) for label, n in living_rows]),
        },
        "tables": [
            _table(
                _("Living there: the stored facts"),
                [_("Figure"), _("How many")],
                [_row(label, show.text(n)) for label, n in living_rows],
            )
        ],
    }


def settlement_cells(d: dict[str, Any], show: Shown) -> dict[str, str]:
    """Settled and remaining beside the council's (public) number: settled + remaining is the
    number while fewer are settled, so a small "settled" takes "remaining" with it."""
    values = {"settled": d["settled"], "expected": d["expected"]}
    if "households" in d:
        values["households"] = d["households"]
    sums: list[tuple[str | None, list[str]]] = []
    public: frozenset[str] = frozenset()
    if d["decided"] is not None:
        values["decided"], values["remaining"] = d["decided"], d["remaining"]
        public = frozenset({"decided"})
        if d["settled"] <= d["decided"]:
            sums.append(("decided", ["settled", "remaining"]))
    cells = show.cells(values, sums, public=public)
    if d["decided"] is None:
        cells["decided"] = cells["remaining"] = "–"
    return cells


def _settlement_section(d: dict[str, Any], show: Shown) -> dict[str, Any]:
    cells = settlement_cells(d, show)
    return {
        "id": "settlement",
        "title": _("Settlement of refugees"),
        "intro": None,
        "chart": None,
        "tables": [
            _table(
                _("Settlement this year against the council's number"),
                [_("Figure"), _("Persons")],
                [
                    _row(_("The council's number"), cells["decided"]),
                    _row(_("Settled"), cells["settled"]),
                    _row(_("Accepted, still to arrive"), cells["expected"]),
                    _row(_("Remaining"), cells["remaining"]),
                ],
            )
        ],
    }


def _sections(
    d: dict[str, Any],
    shows: dict[str, Shown],
    links: dict[str, bool],
    parts: Mapping[str, Callable[[str], str | None]] | None = None,
) -> list[dict[str, Any]]:
    """The dashboard's sections: each a heading, an optional chart and tables, each shown as
    its owner's data may be shown to this reader (``shows``: owner -> ``Shown``)."""
    show = shows[HO]
    part = parts or {}
    sections = [
        _promise_section(d, show, links),
        _needs_section(d, shows, links),
        _flows_section(d, show),
        _waits_section(d, show),
        *_stock_sections(d, shows[owned.PROPERTY], part.get(owned.PROPERTY, no_link)),
        _refusals_section(d, show, links),
        _evictions_section(d, show, links),
        _living_there_section(d, show),
        loans_section(d["loans"], shows[owned.LOANS], part.get(owned.LOANS, no_link)),
        _settlement_section(d["settlement"], shows[owned.SETTLEMENT]),
    ]
    owner_of = {"stock": owned.PROPERTY, "vacancy": owned.PROPERTY}
    owner_of |= {"loans": owned.LOANS, "settlement": owned.SETTLEMENT}
    for section in sections:
        section["exact"] = shows[owner_of.get(section["id"], HO)].exact
    sections[1]["exact"] = show.exact and shows[owned.NAV].exact  # needs: NAV's stays too
    return sections


def _flow_series() -> list[tuple[str, str]]:
    return [
        ("applications", _("Applications")),
        ("decisions", _("Decisions")),
        ("offers", _("Offers")),
        ("leases", _("Leases")),
        ("moves_on", _("Moves on")),
    ]


def reader(user: User, municipality: Municipality) -> tuple[dict[str, bool], dict[str, bool]]:
    """``(exact, lists)``: for each owner, whether the reader sees its figures exactly; for
    each list behind a figure, whether the reader may open it: only inside the owner of the
    data and with a role that reads the people (the housing office's lists: every household of
    the municipality; a unit's lists: the households the reader may see)."""
    sees_people = may_see_people(user, municipality)
    exact = owned.exact_for(user, municipality.pk, sees_people=sees_people)
    people = sees_people or reads_people(user)
    lists = {}
    for key, owner in DRILL_OWNERS.items():
        lists[key] = exact[owner] and (sees_people if owner == HO else people)
    return exact, lists


def unit_links(user: User, municipality: Municipality) -> dict[str, Callable[[str], str | None]]:
    """For each unit's part on the main dashboard: the link to the list behind a figure in the
    part of the unit the reader is a member of (``insight:unit_dashboard_list``), for readers
    with a role that reads persons; no link for anyone else."""
    members = owned.member_units(user, municipality.pk) if reads_people(user) else {}
    out: dict[str, Callable[[str], str | None]] = {}
    for part in owned.PARTS:
        unit_id = members.get(part)
        if unit_id is None:
            out[part] = no_link
        else:
            out[part] = functools.partial(_unit_link, unit_id)
    return out


def _unit_link(unit_id: int, key: str) -> str | None:
    return reverse("insight:unit_dashboard_list", args=[unit_id, key])


def dashboard(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = _municipality(user)
    today = timezone.localdate()

    def body() -> str:
        exact, lists = reader(user, municipality)
        data = figures.dashboard(municipality, today)
        # the leaders see the broken promises as a breakdown without names
        links = {key.split("_")[0]: allowed for key, allowed in lists.items()}
        links["promise"] = True
        shows = {owner: Shown(e) for owner, e in exact.items()}
        return render_to_string(
            "insight/dashboard_body.html",
            {
                "data": data,
                "exact": all(exact.values()),
                "suppressed": not any(exact.values()),
                "lists": any(lists.values()),
                "sections": _sections(data, shows, links, unit_links(user, municipality)),
                "unit_parts": units_with_parts(user),
            },
        )

    # What a reader sees follows from the records and the reader's memberships alone (the
    # access functions read nothing else): the page as rendered is kept until the records
    # change for every reader with the same memberships, as the figures are (ADR 0036).
    scope = f"{municipality.pk}:{today.isoformat()}:{get_language()}:{memberships_of(user)}"
    page = until_changed(f"insight:dashboard:{scope}", body)
    return render(
        request,
        "insight/dashboard.html",
        {"municipality": municipality, "body": mark_safe(page)},  # noqa: S308 - rendered by the template above, escaped there
    )


def dashboard_list(request: HttpRequest, key: str) -> HttpResponse:
    """The households behind one figure, for readers who may see them (those the reader may
    see, through ``visible_households``; one access event per main applicant shown); the
    broken promises as a breakdown without names for the rest."""
    user = user_of(request)
    municipality = _municipality(user)
    if key not in figures.DRILLS:
        raise Http404
    today = timezone.localdate()
    months = figures.promise_months_today(municipality, today)
    title = drill_title(key, months)
    _exact, lists = reader(user, municipality)
    if lists[key]:
        rows = figures.drill_rows(municipality, key, today)
        ids = [r.household_id for r in rows]
        seen = set(visible_households(user).filter(pk__in=ids).values_list("pk", flat=True))
        partial = len(seen) < len(set(ids))
        rows = [r for r in rows if r.household_id in seen]
        log_household_reads(
            user=user,
            household_ids=[r.household_id for r in rows],
            what=_("Dashboard: %(list)s") % {"list": title},
            path=request.path,
        )
        return render(
            request,
            "insight/dashboard_list.html",
            {
                "municipality": municipality,
                "title": title,
                "rows": rows,
                "key": key,
                "deadline_header": key in figures.PROMISE_DRILLS or key == "waiting",
                "back": reverse("insight:dashboard"),
                "partial": partial,
            },
        )
    if key not in figures.PROMISE_DRILLS:
        raise Http404
    show = Shown(exact=False)
    facts = figures.entry_facts(municipality, today)
    breakdown = figures.promise_breakdown(figures.promise_subset(key, facts, today), today)
    words = promise_words(months)
    tables = [
        _outcome_table(
            caption,
            [header, _("Households")],
            [(str(r["label"]), r["n"]) for r in breakdown[part]],
            (_("In all"), breakdown["total"]),
            show,
        )
        for part, caption, header in (
            ("by_type", _("By household type"), _("Household type")),
            ("by_urgency", _("By urgency"), _("Urgency")),
            ("by_days_over", words["days_over"], _("Days past")),
        )
    ]
    return render(
        request,
        "insight/dashboard_breakdown.html",
        {
            "municipality": municipality,
            "title": title,
            "total": show.text(breakdown["total"]),
            "tables": tables,
        },
    )


def loans_section(
    d: dict[str, Any], show: Shown, link: Callable[[str], str | None] = no_link
) -> dict[str, Any]:
    """Start loans and grants in the period, as the dashboard and the start-loan unit's own part
    show them (counts and amounts through ``show``, so small counts are suppressed alike;
    ``link`` gives the list behind a figure, for the unit's members who may see the people)."""
    return {
        "id": "loans",
        "title": _("Start loans and grants"),
        "intro": None,
        "chart": None,
        "tables": [
            _table(
                _("Start loans and grants in the period"),
                [_("Figure"), _("How many"), _("Amount")],
                [
                    _row(
                        _("Start loans approved"),
                        show.text(d["approved"]),
                        show.money(d["approved"], d["approved_amount"]),
                        link=link("loans_approved"),
                    ),
                    _row(
                        _("with an establishment grant"),
                        show.text(d["with_grant"]),
                        show.money(d["with_grant"], d["loan_grant_amount"]),
                        link=link("loans_with_grant"),
                    ),
                    _row(
                        _("Start loans refused"),
                        show.text(d["refused"]),
                        "",
                        link=link("loans_refused"),
                    ),
                    _row(
                        _("Start loans paid out"),
                        show.text(d["disbursed"]),
                        show.money(d["disbursed"], d["disbursed_amount"]),
                        link=link("loans_disbursed"),
                    ),
                    _row(
                        _("Grants approved on their own"),
                        show.text(d["grants"]),
                        show.money(d["grants"], d["grant_amount"]),
                        link=link("grants"),
                    ),
                ],
            )
        ],
    }

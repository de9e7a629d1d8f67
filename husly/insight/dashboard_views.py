"""The leaders' dashboard and the lists behind its figures.

Readers who see every household of the municipality (the housing office's staff,
administrators) get exact counts and a link from each figure to the households behind it;
everyone else with a dashboard role (leaders first) gets aggregates, small counts shown as
"<5" and the broken six-month promises as a breakdown without names."""

from __future__ import annotations

from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.core.pages import user_of
from husly.insight import charts
from husly.insight import dashboard as figures
from husly.insight.suppression import SMALL_COUNT, suppressed
from husly.insight.units import units_with_parts
from husly.organisation.access import municipalities_for_user
from husly.organisation.models import Municipality, User
from husly.people.selectors import log_household_reads, people_scope


def _municipality(user: User) -> Municipality:
    municipality = municipalities_for_user(user, figures.DASHBOARD_READ).first()
    if municipality is None:
        raise Http404
    return municipality


def may_see_people(user: User, municipality: Municipality) -> bool:
    """Whether the reader sees every household of the municipality (and so the lists)."""
    return municipality.pk in people_scope(user)[0]


class Shown:
    """Figures as this reader may see them: exact for those who may see the people, with
    small counts suppressed (and the medians, shares and sums that would give them away
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


def _row(label: Any, *cells: Any, link: str | None = None) -> dict[str, Any]:
    return {"label": label, "cells": list(cells), "link": link}


def _table(caption: str, headers: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"caption": caption, "headers": headers, "rows": rows}


def _link(key: str, allowed: bool) -> str | None:
    return reverse("insight:dashboard_list", args=[key]) if allowed else None


def _sections(d: dict[str, Any], show: Shown, drill: bool, leader_drill: bool) -> list[Any]:
    """The dashboard's sections: each a heading, an optional chart and tables."""
    count, n_ = _("How many"), _("Households")
    promise = d["promise"]
    waiting = d["waiting"]
    stock = d["stock"]
    flows = d["flows"]
    waits = d["waits"]
    refusals = d["refusals"]
    evictions = d["evictions"]
    loans = d["loans"]
    settlement = d["settlement"]
    temporary = d["temporary"]
    arrears = d["arrears"]
    types = [str(label) for label in figures.HOUSEHOLD_TYPES.values()]
    promise_link = _link("promise_broken", drill or leader_drill)
    sections: list[dict[str, Any]] = []

    sections.append(
        {
            "id": "promise",
            "title": _("The six-month promise"),
            "intro": _(
                "An applicant with an approval shall be offered a dwelling within six months "
                "(Rælingen guideline 7.1). Counted for the approvals whose six months ran out in "
                "the period."
            ),
            "chart": {
                "kind": "columns",
                "name": _("Promises kept and broken per month"),
                **charts.columns(
                    [m["month"] for m in promise["months"]],
                    [
                        (
                            _("Kept"),
                            [m["kept"] for m in promise["months"]],
                            [not show.small(m["kept"]) for m in promise["months"]],
                        ),
                        (
                            _("Broken"),
                            [m["broken"] for m in promise["months"]],
                            [not show.small(m["broken"]) for m in promise["months"]],
                        ),
                    ],
                ),
            },
            "tables": [
                _table(
                    _("The six-month promise"),
                    [_("Figure"), count],
                    [
                        _row(_("Kept"), show.text(promise["kept"])),
                        _row(_("Broken"), show.text(promise["broken"]), link=promise_link),
                        _row(
                            _("Share kept"),
                            show.share(promise["kept"], promise["decided"]),
                        ),
                        _row(
                            _("Past the six months today, no offer yet"),
                            show.text(promise["overdue_now"]),
                            link=_link("promise_overdue", drill or leader_drill),
                        ),
                        _row(
                            _("Six months run out within 30 days, no offer yet"),
                            show.text(promise["due_within_30_days"]),
                        ),
                    ],
                ),
                _table(
                    _("Promises kept and broken per month"),
                    [_("Month of the deadline"), _("Kept"), _("Broken")],
                    [
                        _row(
                            charts.month_label(m["month"]),
                            show.text(m["kept"]),
                            show.text(m["broken"]),
                        )
                        for m in promise["months"]
                    ],
                ),
            ],
        }
    )

    sections.append(
        {
            "id": "needs",
            "title": _("Needs"),
            "intro": _("Today's figures."),
            "chart": {
                "kind": "bars",
                "name": _("Waiting list by urgency"),
                **charts.horizontal(
                    [show.bar(str(r["label"]), r["total"]) for r in waiting["rows"]]
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
                            show.text(waiting["total"]),
                            link=_link("waiting", drill),
                        ),
                        _row(_("Homeless by the national definition"), show.text(d["homeless"])),
                        _row(
                            _("Households in temporary accommodation"),
                            show.text(temporary["stays"]),
                            link=_link("temporary", drill),
                        ),
                        _row(_("of them for more than three months"), show.text(temporary["long"])),
                        _row(
                            _("Children in temporary accommodation"),
                            show.text(temporary["children"]),
                        ),
                        _row(
                            _("Tenants in arrears"),
                            show.text(arrears["leases"]),
                            link=_link("arrears", drill),
                        ),
                        _row(
                            _("of them two months or more"),
                            show.text(arrears["two_months_or_more"]),
                        ),
                        _row(_("Arrears in all"), show.money(arrears["leases"], arrears["amount"])),
                    ],
                ),
                _table(
                    _("Waiting list by urgency and household type"),
                    [_("Urgency"), *types, _("In all")],
                    [
                        _row(
                            str(r["label"]),
                            *[show.text(c) for c in r["cells"]],
                            show.text(r["total"]),
                        )
                        for r in waiting["rows"]
                    ]
                    + [
                        _row(
                            _("In all"),
                            *[show.text(c) for c in waiting["by_type"]],
                            show.text(waiting["total"]),
                        )
                    ],
                ),
            ],
        }
    )

    sections.append(
        {
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
                    [m["month"] for m in flows["months"]],
                    [
                        (
                            label,
                            [m[key] for m in flows["months"]],
                            [not show.small(m[key]) for m in flows["months"]],
                        )
                        for key, label in _flow_series()
                    ],
                ),
            },
            "tables": [
                _table(
                    _("Flows per month"),
                    [_("Month"), *[label for _key, label in _flow_series()]],
                    [
                        _row(
                            charts.month_label(m["month"]),
                            *[show.text(m[key]) for key, _label in _flow_series()],
                        )
                        for m in flows["months"]
                    ]
                    + [
                        _row(
                            _("In all"),
                            *[show.text(flows["totals"][key]) for key, _label in _flow_series()],
                        )
                    ],
                )
            ],
        }
    )

    sections.append(
        {
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
                            show.text(r["offered"]),
                            show.days(r["offered"], r["median"]),
                            show.days(r["offered"], r["p90"]),
                            show.text(r["waiting"]),
                            show.days(r["waiting"], r["waiting_median"]),
                            show.days(r["waiting"], r["waiting_p90"]),
                        )
                        for r in waits["rows"]
                    ],
                )
            ],
        }
    )

    sections.append(
        {
            "id": "stock",
            "title": _("Stock"),
            "intro": _("Dwellings in the stock today (sold ones not counted)."),
            "chart": {
                "kind": "bars",
                "name": _("Dwellings by kind"),
                **charts.horizontal(
                    [show.bar(str(c["label"]), c["n"]) for c in stock["categories"]]
                ),
            },
            "tables": [
                _table(
                    _("Dwellings by kind"),
                    [_("Kind"), _("Dwellings"), _("Wheelchair accessible"), _("Vacant")],
                    [
                        _row(
                            str(c["label"]),
                            show.text(c["n"]),
                            show.text(c["wheelchair"]),
                            show.text(c["vacant"]),
                        )
                        for c in stock["categories"]
                    ]
                    + [
                        _row(
                            _("In all"),
                            show.text(stock["total"]),
                            show.text(stock["wheelchair"]),
                            show.text(stock["vacant"]),
                        ),
                        _row(
                            _("Share wheelchair accessible"),
                            "",
                            show.share(stock["wheelchair"], stock["total"]),
                            "",
                        ),
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
            ],
        }
    )

    vacancy = d["vacancy"]
    sections.append(
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
            "tables": [
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
                )
            ],
        }
    )

    sections.append(
        {
            "id": "refusals",
            "title": _("Refusals and what became of the refused"),
            "intro": None,
            "chart": None,
            "tables": [
                _table(
                    _("Refused applications for a dwelling, and what happened after"),
                    [_("What happened"), n_],
                    [_row(str(o["label"]), show.text(o["n"])) for o in refusals["outcomes"]]
                    + [
                        _row(
                            _("Refused in all"),
                            show.text(refusals["refusals"]),
                            link=_link("refusals", drill),
                        )
                    ],
                ),
                _table(
                    _("Offers refused, by where the household stands now"),
                    [_("Where the household stands"), _("Offers")],
                    [_row(str(o["label"]), show.text(o["n"])) for o in refusals["offer_outcomes"]]
                    + [_row(_("Offers refused in all"), show.text(refusals["refused_offers"]))],
                ),
            ],
        }
    )

    sections.append(
        {
            "id": "evictions",
            "title": _("Arrears cases and evictions"),
            "intro": None,
            "chart": None,
            "tables": [
                _table(
                    _("Arrears cases and evictions in the period"),
                    [_("Origin"), _("Cases opened"), _("Evictions carried out")],
                    [
                        _row(str(o["label"]), show.text(o["opened"]), show.text(o["evicted"]))
                        for o in evictions["origins"]
                    ]
                    + [
                        _row(
                            _("In all"),
                            show.text(evictions["opened"]),
                            show.text(evictions["evicted"]),
                            link=_link("evictions", drill),
                        )
                    ],
                )
            ],
        }
    )

    living = d["living_there"]
    living_rows = [(str(label), living[key]) for key, label in figures.LIVING_THERE_ROWS]
    sections.append(
        {
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
                    [_("Figure"), count],
                    [_row(label, show.text(n)) for label, n in living_rows],
                )
            ],
        }
    )

    sections.append(loans_section(loans, show))

    sections.append(
        {
            "id": "settlement",
            "title": _("Settlement of refugees"),
            "intro": None,
            "chart": None,
            "tables": [
                _table(
                    _("Settlement this year against the council's number"),
                    [_("Figure"), _("Persons")],
                    [
                        _row(
                            _("The council's number"),
                            "–" if settlement["decided"] is None else settlement["decided"],
                        ),
                        _row(_("Settled"), show.text(settlement["settled"])),
                        _row(_("Accepted, still to arrive"), show.text(settlement["expected"])),
                        _row(
                            _("Remaining"),
                            "–"
                            if settlement["remaining"] is None
                            else show.text(settlement["remaining"]),
                        ),
                    ],
                )
            ],
        }
    )
    return sections


def _flow_series() -> list[tuple[str, str]]:
    return [
        ("applications", _("Applications")),
        ("decisions", _("Decisions")),
        ("offers", _("Offers")),
        ("leases", _("Leases")),
        ("moves_on", _("Moves on")),
    ]


def dashboard(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = _municipality(user)
    today = timezone.localdate()
    drill = may_see_people(user, municipality)
    data = figures.dashboard(municipality, today)
    return render(
        request,
        "insight/dashboard.html",
        {
            "municipality": municipality,
            "data": data,
            "exact": drill,
            "sections": _sections(data, Shown(drill), drill, leader_drill=True),
            "unit_parts": units_with_parts(user),
        },
    )


def dashboard_list(request: HttpRequest, key: str) -> HttpResponse:
    """The households behind one figure, for readers who may see them (one access event per
    main applicant shown); the broken promises as a breakdown without names for the rest."""
    user = user_of(request)
    municipality = _municipality(user)
    if key not in figures.DRILLS:
        raise Http404
    today = timezone.localdate()
    title = str(figures.DRILLS[key])
    if may_see_people(user, municipality):
        rows = figures.drill_rows(municipality, key, today)
        log_household_reads(
            user=user,
            household_ids=[r.household_id for r in rows],
            what=_("Dashboard: %(list)s") % {"list": title},
            path=request.path,
        )
        return render(
            request,
            "insight/dashboard_list.html",
            {"municipality": municipality, "title": title, "rows": rows, "key": key},
        )
    if key not in figures.PROMISE_DRILLS:
        raise Http404
    show = Shown(exact=False)
    facts = figures.entry_facts(municipality, today)
    breakdown = figures.promise_breakdown(figures.promise_subset(key, facts, today), today)
    tables = [
        _table(
            caption,
            [header, _("Households")],
            [_row(str(r["label"]), show.text(r["n"])) for r in breakdown[part]],
        )
        for part, caption, header in (
            ("by_type", _("By household type"), _("Household type")),
            ("by_urgency", _("By urgency"), _("Urgency")),
            ("by_days_over", _("By days past the six months"), _("Days past")),
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


def loans_section(d: dict[str, Any], show: Shown) -> dict[str, Any]:
    """Start loans and grants in the period, as the dashboard and the start-loan unit's own part
    show them (counts and amounts through ``show``, so small counts are suppressed alike)."""
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
                    ),
                    _row(
                        _("with an establishment grant"),
                        show.text(d["with_grant"]),
                        show.money(d["with_grant"], d["loan_grant_amount"]),
                    ),
                    _row(_("Start loans refused"), show.text(d["refused"]), ""),
                    _row(
                        _("Start loans paid out"),
                        show.text(d["disbursed"]),
                        show.money(d["disbursed"], d["disbursed_amount"]),
                    ),
                    _row(
                        _("Grants approved on their own"),
                        show.text(d["grants"]),
                        show.money(d["grants"], d["grant_amount"]),
                    ),
                ],
            )
        ],
    }

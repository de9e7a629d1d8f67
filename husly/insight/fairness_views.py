"""Fairness monitoring for leaders: the quarterly report as a page and as a PDF (aggregates
only; small counts suppressed; every figure with its 95 % interval and a plain explanation)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from husly.core.pages import user_of
from husly.insight import fairness_exports
from husly.insight.fairness import MEASURES
from husly.insight.fairness_exports import KIND
from husly.insight.fairness_selectors import FAIRNESS_READ, Period, fairness_report
from husly.jobs.actions import export_queue
from husly.jobs.routers import queue_available
from husly.organisation.access import municipalities_for_user
from husly.organisation.models import Municipality

QUARTERS_SHOWN = 12

GROUP_LABELS = {
    "all": gettext_lazy("All households"),
    "children": gettext_lazy("Families with children"),
    "young": gettext_lazy("Young people (main applicant 18 to 25)"),
    "refugees": gettext_lazy("Refugees"),
    "disability": gettext_lazy("Persons with disabilities"),
    "disability_unknown": gettext_lazy("Disability not recorded"),
}

MEASURE_TEXT = {
    "approval": (
        gettext_lazy("Approval rate"),
        gettext_lazy(
            "Of the decisions on a municipal dwelling made in the period, the share that were "
            "approvals. Counted: decisions."
        ),
    ),
    "wait": (
        gettext_lazy("Waiting time (median, days)"),
        gettext_lazy(
            "Of the households that got a dwelling in the period, half waited less than this "
            "and half waited longer, counted from the day they were put on the waiting list. "
            "Counted: households housed."
        ),
    ),
    "offers": (
        gettext_lazy("Offers per household housed (mean)"),
        gettext_lazy(
            "How many offers the households that got a dwelling in the period had, on "
            "average, including the one they accepted. Counted: households housed."
        ),
    ),
    "refusals": (
        gettext_lazy("Refused offers (share)"),
        gettext_lazy(
            "Of the offers made in the period that have been answered, the share the household "
            "refused. Counted: offers."
        ),
    ),
    "temporary": (
        gettext_lazy("Time in temporary accommodation (median, nights)"),
        gettext_lazy(
            "Of the stays in temporary accommodation that ended in the period, half were "
            "shorter than this and half longer. Counted: stays."
        ),
    ),
}

NO_DISTRICT = {"approval", "temporary"}
"""Outcomes with no district in the records (an application and a stay have none)."""


def _municipality(request: HttpRequest) -> Municipality:
    municipality = municipalities_for_user(user_of(request), FAIRNESS_READ).first()
    if municipality is None:
        raise Http404
    return municipality


def _period(request: HttpRequest) -> Period:
    return Period.parse(
        request.GET.get("kvartal", ""),
        timezone.localdate(),
        whole_year=request.GET.get("periode") == "aar",
    )


def _row(measure: str, label: Any, shown: dict[str, Any]) -> dict[str, Any]:
    scale = 100 if MEASURES[measure] == "rate" else 1
    digits = 1 if measure == "offers" else 0

    def value(x: float | None) -> float | int | None:
        if x is None:
            return None
        return round(x * scale, digits) if digits else round(x * scale)

    return {
        "label": label,
        "n": shown["n"],
        "hits": shown["hits"],
        "suppressed": shown["suppressed"],
        "estimate": value(shown["estimate"]),
        "low": value(shown["low"]),
        "high": value(shown["high"]),
    }


def _context(municipality: Municipality, period: Period) -> dict[str, Any]:
    report = fairness_report(municipality, period)
    tables = []
    for measure, (title, explanation) in MEASURE_TEXT.items():
        groups = report["measures"][measure]
        rows = [_row(measure, GROUP_LABELS[g], groups[g]) for g in report["groups"]]
        rows += [
            _row(measure, _("District: %(name)s") % {"name": name}, groups[key])
            for name in report["districts"]
            if (key := f"district:{name}") in groups
        ]
        tables.append(
            {
                "key": measure,
                "title": title,
                "explanation": explanation,
                "rows": rows,
                "rate": MEASURES[measure] == "rate",
                "no_district": measure in NO_DISTRICT,
            }
        )
    today = timezone.localdate()
    last = Period.last_complete(today)
    quarters = []
    year, quarter = last.year, last.quarter
    for _i in range(QUARTERS_SHOWN):
        quarters.append(Period(year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    values = {"quarter": period.quarter, "year": period.year}
    label = (
        _("the 12 months up to the end of quarter %(quarter)s of %(year)s") % values
        if period.whole_year
        else _("quarter %(quarter)s of %(year)s") % values
    )
    return {
        "municipality": municipality,
        "period": period,
        "period_label": label,
        "quarters": quarters,
        "tables": tables,
        "threshold": report["threshold"],
    }


def fairness(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    return render(request, "insight/fairness.html", _context(municipality, _period(request)))


@require_POST
def fairness_pdf(request: HttpRequest) -> HttpResponse:
    """The report as a PDF, made on the job queue (ADR 0034; at once without a queue)."""
    user = user_of(request)
    municipality = _municipality(request)
    period = Period.parse(
        request.POST.get("kvartal", ""),
        timezone.localdate(),
        whole_year=request.POST.get("periode") == "aar",
    )
    params = {
        "municipality": municipality.pk,
        "period": period.key,
        "whole_year": period.whole_year,
    }
    if queue_available():
        made = export_queue(
            actor=user, kind=KIND, params=params, language=translation.get_language() or "nb"
        )
        return redirect("jobs:export_detail", made.pk)
    body, filename, content_type = fairness_exports.fairness_pdf(user, params)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

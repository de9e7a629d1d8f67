"""The leaders' simulation page: choose levers, run, compare with today's policy. Aggregates
only (no household is named), so no access event is written; the run itself is audited."""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from husly.core.pages import add_action_errors, user_of
from husly.jobs.routers import queue_available
from husly.organisation.access import first_municipality, municipality_ids
from husly.policy import actions, inputs
from husly.policy.forms import LeversForm
from husly.policy.models import SimulationRequestStatus, SimulationRun
from husly.policy.selectors import (
    SIMULATION_ROLES,
    comparison,
    request_for,
    request_state,
    requests_for,
    run_for,
    runs_for,
)
from husly.rules import deadlines
from husly.simulation import GROUPS, SimulationResult

FIGURE_LABELS = {
    "wait_median": gettext_lazy("Wait to first offer, median (months)"),
    "wait_p90": gettext_lazy("Wait to first offer, 90th percentile (months)"),
    "wait_mean": gettext_lazy("Wait to first offer, mean (months)"),
    "housed_per_year": gettext_lazy("Households housed from the list per year"),
    "settled_per_year": gettext_lazy("Refugees settled in vacancies set aside per year"),
    "loans_per_year": gettext_lazy("Households leaving the list with a start loan per year"),
    "queue_mean": gettext_lazy("Households on the list, mean"),
    "queue_end": gettext_lazy("Households on the list at the end"),
    "vacant_mean": gettext_lazy("Vacant dwellings, mean"),
    "in_temporary_mean": gettext_lazy("Households on the list in temporary places, mean"),
    "temporary_months_mean": gettext_lazy("Months in a temporary place before housed, mean"),
    "evictions_per_year": gettext_lazy("Evictions per year"),
    "refusals_per_year": gettext_lazy("Offers refused per year"),
    "removed_after_refusal_per_year": gettext_lazy("Approvals lapsed after refusal per year"),
    "stock_end": gettext_lazy("Dwellings at the end"),
}
GROUP_LABELS = {
    "families_with_children": gettext_lazy("Families with children"),
    "refugees": gettext_lazy("Refugees"),
    "young": gettext_lazy("Young people"),
    "disability": gettext_lazy("Persons with disabilities"),
    "substance_use": gettext_lazy("Substance use (not recorded in Husly)"),
    "other": gettext_lazy("Others"),
}
SHARES = {"promise_kept_share"}
NOT_RECORDED = {"substance_use"}
"""Groups Husly does not record: shown as not known, not as 0 % (fairness page says the same)."""
CHART_W, CHART_H, PAD = 640, 240, 40
LONG = 24
"""Past two years the chart ticks by year and the table shows every sixth month."""


def simulation(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = first_municipality(municipality_ids(user, SIMULATION_ROLES))
    today = inputs.todays_levers(municipality)
    form = LeversForm(request.POST or None, initial=LeversForm.initial_from(today))
    if request.method == "POST" and form.is_valid():
        asked = {
            "actor": user,
            "municipality": municipality,
            "label": form.cleaned_data["label"],
            "changes": form.changes(today),
            "runs": form.cleaned_data["runs"],
            "horizon_months": form.cleaned_data["horizon_months"],
        }
        try:
            if queue_available():
                queued = actions.simulation_queue(**asked)
            else:  # no queue without PostgreSQL (ADR 0021): run it now
                run = actions.simulation_run(**asked)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if queue_available():
                return redirect("policy:request_detail", queued.pk)
            messages.success(request, _("The simulation has run and is stored."))
            return redirect("policy:run_detail", run.pk)
    recent = (
        runs_for(user)
        .filter(municipality=municipality)
        .only("pk", "label", "created_at", "runs", "horizon_months", "seconds")[:20]
    )
    waiting = (
        requests_for(user)
        .filter(municipality=municipality, status=SimulationRequestStatus.QUEUED)
        .only("pk", "label", "created_at")[:20]
    )
    return render(
        request,
        "policy/simulation.html",
        {
            "form": form,
            "municipality": municipality,
            "recent": recent,
            "waiting": waiting,
            "today": today,
            "promise_months": deadlines.allocation_promise_months(
                municipality.number, timezone.localdate()
            ),
        },
    )


@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A simulation on the queue: queued, running, done or not run with the reason. The page
    asks again every few seconds (htmx) until the run has ended; opened again once done, it
    goes to the result."""
    user = user_of(request)
    asked = request_for(user, pk)
    state = request_state(asked)
    if state.key == "done" and asked.run_id is not None and not request.headers.get("HX-Request"):
        return redirect("policy:run_detail", asked.run_id)
    return render(request, "policy/request_detail.html", {"asked": asked, "state": state})


def _promise_kept_label(months: int) -> str:
    """The promise the simulation counted (its input's months, the dated parameter
    ``municipal.<number>.allocation.promise_months`` on the run's day), named by its months."""
    return ngettext(
        "Promise of an offer within %(months)s month kept (share)",
        "Promise of an offer within %(months)s months kept (share)",
        months,
    ) % {"months": months}


def _label(name: str, run: SimulationRun) -> str:
    if name == "promise_kept_share":
        return _promise_kept_label(int(run.input.get("promise_months", 6)))
    return str(FIGURE_LABELS[name])


def _fmt(value: float, name: str) -> str:
    if math.isnan(value):  # nothing to count
        return "–"
    if name in SHARES:
        return f"{round(100 * value)} %"
    return f"{value:,.1f}".replace(",", " ").replace(".", ",")


def _rows(run: SimulationRun) -> list[dict[str, Any]]:
    rows = []
    for row in comparison(run):
        name = row["name"]
        b, s = row["baseline"], row["scenario"]
        rows.append(
            {
                "label": _label(name, run),
                "baseline": _fmt(b["median"], name),
                "baseline_band": f"{_fmt(b['low'], name)}–{_fmt(b['high'], name)}",
                "scenario": _fmt(s["median"], name),
                "scenario_band": f"{_fmt(s['low'], name)}–{_fmt(s['high'], name)}",
            }
        )
    return rows


def _chart(baseline: SimulationResult, scenario: SimulationResult) -> dict[str, Any]:
    """The waiting list month by month: median line and 10–90 band for both policies, as SVG
    coordinates (drawn by the template; no script)."""
    a, b = baseline.queue_bands(), scenario.queue_bands()
    top = max([x.high for x in a + b if x.high == x.high] + [1.0])
    months = len(a)

    def x(m: int) -> float:
        return round(PAD + (CHART_W - 2 * PAD) * m / max(months - 1, 1), 1)

    def y(v: float) -> float:
        return round(CHART_H - PAD - (CHART_H - 2 * PAD) * v / top, 1)

    def series(bands: list[Any]) -> dict[str, str]:
        line = " ".join(f"{x(m)},{y(v.median)}" for m, v in enumerate(bands))
        upper = [f"{x(m)},{y(v.high)}" for m, v in enumerate(bands)]
        lower = [f"{x(m)},{y(v.low)}" for m, v in reversed(list(enumerate(bands)))]
        return {"line": line, "band": " ".join(upper + lower)}

    years = [{"x": x(m), "label": m // 12} for m in range(0, months, 12 if months > LONG else 6)]
    table = [
        {
            "month": m + 1,
            "baseline": round(a[m].median),
            "baseline_band": f"{round(a[m].low)}–{round(a[m].high)}",
            "scenario": round(b[m].median),
            "scenario_band": f"{round(b[m].low)}–{round(b[m].high)}",
        }
        for m in range(0, months, 6 if months > LONG else 1)
    ]
    return {
        "width": CHART_W,
        "height": CHART_H,
        "baseline": series(a),
        "scenario": series(b),
        "top": round(top),
        "top_y": y(top),
        "axis_y": CHART_H - PAD,
        "left": PAD,
        "right": CHART_W - PAD,
        "ticks": years,
        "months_per_tick": 12 if months > LONG else 6,
        "table": table,
    }


def _lever_label(key: str) -> str:
    """The lever's name as the form says it (no code names on the page)."""
    field = LeversForm.base_fields.get(key) or LeversForm.base_fields.get(f"{key}_weight")
    return str(field.label) if field is not None and field.label else key


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    run = run_for(user, pk)
    baseline = SimulationResult.from_dict(run.baseline_result)
    scenario = SimulationResult.from_dict(run.result)
    groups_a, groups_b = baseline.housed_by_group(), scenario.housed_by_group()
    groups = [
        {
            "label": GROUP_LABELS[g],
            "baseline": "–"
            if g in NOT_RECORDED
            else _fmt(groups_a[g].median, "promise_kept_share"),
            "scenario": "–"
            if g in NOT_RECORDED
            else _fmt(groups_b[g].median, "promise_kept_share"),
        }
        for g in GROUPS
    ]
    changed = [
        {"name": _lever_label(key), "today": run.baseline_levers.get(key), "scenario": value}
        for key, value in run.levers.items()
        if key != "priority" and run.baseline_levers.get(key) != value
    ]
    weights = [
        {
            "name": _lever_label(key),
            "today": run.baseline_levers["priority"].get(key),
            "scenario": value,
        }
        for key, value in run.levers["priority"].items()
        if run.baseline_levers["priority"].get(key) != value
    ]
    return render(
        request,
        "policy/run_detail.html",
        {
            "run": run,
            "rows": _rows(run),
            "groups": groups,
            "chart": _chart(baseline, scenario),
            "changed": changed + weights,
            "basis": run.rates_basis,
            "years": run.horizon_months // 12,
        },
    )

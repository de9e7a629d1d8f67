"""The § 5 needs overview as Excel and PDF, made on the job queue (ADR 0034): the overview
counts every household of the municipality (records and survey) and the PDF is rendered by
WeasyPrint, so the page asks for it and the worker makes it. Aggregates only ("<5")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from husly.core.pdf import render_pdf
from husly.core.spreadsheet import xlsx_bytes
from husly.jobs.exports import Built, ExportKind, register_export
from husly.needs import selectors
from husly.organisation.models import Municipality, User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check(user: User, params: Mapping[str, Any]) -> Municipality:
    municipality: Municipality = selectors.round_for(user, params["round"]).municipality
    return municipality


def _overview(user: User, params: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    needs_round = selectors.round_for(user, params["round"])
    return needs_round, selectors.overview(needs_round.municipality, needs_round)


def overview_rows(o: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [str(o["round"]), o["municipality"].name, o["on"]],
        [],
        [_("From the records"), _("Households")],
    ]
    rows += [[str(label), value] for label, value in o["records"]]
    rows += [[str(label), value] for label, value in o["by_urgency"]]
    rows += [[_("Households in need known from the records"), o["in_records"]], []]
    survey = o["survey"]
    rows += [
        [_("From the needs survey"), _("Households")],
        [_("Registered by the units"), survey.get("registered", 0)],
        [_("… of them already known from the records"), survey.get("already_in_records", 0)],
        [_("… without identity number (not checked for duplicates)"), survey.get("not_checked", 0)],
        [_("… homeless (national definition)"), survey.get("homeless", 0)],
        [_("… with children"), survey.get("with_children", 0)],
    ]
    for key in ("by_situation", "by_dwelling", "by_household", "by_unit"):
        rows += [[str(label), value] for label, value in survey.get(key, [])]
    rows += [[], [_("Households in need, each once"), o["total"]]]
    return rows


def overview_xlsx(user: User, params: Mapping[str, Any]) -> Built:
    needs_round, o = _overview(user, params)
    body = xlsx_bytes(overview_rows(o), title=_("Needs overview"))
    return body, f"behovsoversikt-{needs_round.year}.xlsx", XLSX


def overview_pdf(user: User, params: Mapping[str, Any]) -> Built:
    needs_round, o = _overview(user, params)
    html = render_to_string(
        "needs/overview_pdf.html", {"o": o, "lang": translation.get_language() or "nb"}
    )
    return render_pdf(html), f"behovsoversikt-{needs_round.year}.pdf", "application/pdf"


def register() -> None:
    roles = selectors.NEEDS_READ
    register_export(
        "needs_overview_xlsx",
        ExportKind(gettext_lazy("Needs overview (Excel)"), roles, _check, overview_xlsx),
    )
    register_export(
        "needs_overview_pdf",
        ExportKind(gettext_lazy("Needs overview (PDF)"), roles, _check, overview_pdf),
    )

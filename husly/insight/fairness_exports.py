"""The fairness report as a PDF, made on the job queue (ADR 0034): the report runs over every
outcome of the period in the municipality and WeasyPrint renders it, so the page asks for it
and the worker makes it. Aggregates only (small counts suppressed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy

from husly.core.pdf import render_pdf
from husly.jobs.exports import Built, ExportKind, register_export
from husly.organisation.access import municipalities_for_user
from husly.organisation.models import Municipality, User

KIND = "fairness_pdf"


def _check(user: User, params: Mapping[str, Any]) -> Municipality:
    from husly.insight.fairness_selectors import FAIRNESS_READ

    municipality = (
        municipalities_for_user(user, FAIRNESS_READ).filter(pk=params["municipality"]).first()
    )
    if municipality is None:
        raise Http404
    return municipality


def fairness_pdf(user: User, params: Mapping[str, Any]) -> Built:
    from husly.insight.fairness_selectors import Period
    from husly.insight.fairness_views import _context

    municipality = _check(user, params)
    period = Period.parse(
        params["period"], timezone.localdate(), whole_year=bool(params["whole_year"])
    )
    html = render_to_string("insight/fairness_pdf.html", _context(municipality, period))
    suffix = "12mnd" if period.whole_year else f"K{period.quarter}"
    return (
        render_pdf(html),
        f"likebehandling-{municipality.number}-{period.year}-{suffix}.pdf",
        "application/pdf",
    )


def register() -> None:
    from husly.insight.fairness_selectors import FAIRNESS_READ

    register_export(
        KIND, ExportKind(gettext_lazy("Fairness report (PDF)"), FAIRNESS_READ, _check, fairness_pdf)
    )

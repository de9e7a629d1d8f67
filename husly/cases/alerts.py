"""Deadline alerts (ADR 0021): every day the job finds the deadlines the work list shows that
fall due within five working days or have passed, in every municipality, and files one alert per
case, deadline and date; an alert whose deadline is no longer among them is resolved. The same
computation as the work list (``_deadlines``), so the alert and the list never disagree."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from husly.cases.models import Case, DeadlineAlert
from husly.cases.selectors import WorkFilter, _deadlines
from husly.organisation.models import Municipality, Unit

ALL = 1_000_000
"""As many deadlines as a municipality can have: the job files every one, not a page of them."""


def deadline_alerts_raise(*, today: dt.date) -> dict[str, int]:
    """Raise the alerts due as of ``today`` and resolve those that no longer apply. Safe to
    rerun (one alert per case, deadline and date). Returns counts ``raised`` and ``resolved``."""
    raised = resolved = 0
    for municipality in Municipality.objects.order_by("pk"):
        with transaction.atomic():
            units = list(
                Unit.objects.filter(municipality=municipality).values_list("pk", flat=True)
            )
            items = _deadlines(
                Case.objects.filter(municipality=municipality),
                units,
                WorkFilter(deadline="week"),
                today,
                shown=ALL,
            ).shown
            due = {(item.case.pk, item.what, item.due) for item in items}
            open_alerts = DeadlineAlert.objects.filter(
                case__municipality=municipality, resolved_on__isnull=True
            )
            gone = [a.pk for a in open_alerts if (a.case_id, a.what, a.due) not in due]
            resolved += DeadlineAlert.objects.filter(pk__in=gone).update(resolved_on=today)
            existing = set(
                DeadlineAlert.objects.filter(case__municipality=municipality).values_list(
                    "case_id", "what", "due"
                )
            )
            new = [
                DeadlineAlert(case_id=case_id, what=what, due=day, raised_on=today)
                for case_id, what, day in sorted(due - existing)
            ]
            DeadlineAlert.objects.bulk_create(new, ignore_conflicts=True)
            raised += len(new)
    return {"raised": raised, "resolved": resolved}

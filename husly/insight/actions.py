"""Filing a year's KOSTRA figures (the job on 1 January; a leader may prepare a year again)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from husly.audit.events import record_change
from husly.insight.models import KostraYear
from husly.insight.selectors import kostra_report
from husly.organisation.access import require_permission
from husly.organisation.models import Municipality, Role, User

KOSTRA_PREPARE = frozenset({Role.LEADER})


@transaction.atomic
def kostra_year_prepare(
    *, actor: User | None, municipality: Municipality, year: int, today: dt.date | None = None
) -> tuple[KostraYear, bool]:
    """Compute and file the year's figures once: a year already filed is kept as it was filed
    (the job may run twice), and ``(filed, created)`` says which. The figures are counts."""
    require_permission(actor, municipality.pk, KOSTRA_PREPARE)
    filed = KostraYear.objects.select_for_update().filter(municipality=municipality, year=year)
    existing = filed.first()
    if existing is not None:
        return existing, False
    report = kostra_report(municipality, year, today or timezone.localdate())
    kostra = KostraYear.objects.create(municipality=municipality, year=year, report=report)
    record_change(
        actor=actor,
        action="kostra_year_prepare",
        instance=kostra,
        municipality=municipality,
        changes={"year": [None, year], "figures": [None, len(report["figures"])]},
    )
    return kostra, True

"""The KOSTRA year: on 1 January the figures of the year just ended are filed for every
municipality (ADR 0021). 03:00 UTC is 04:00 in Oslo on New Year's Day."""

from __future__ import annotations

import datetime as dt

from husly.jobs.registry import periodic_job
from husly.jobs.tasks import local_date
from husly.organisation.models import Municipality


def kostra_year(scheduled_at: dt.datetime) -> int:
    from husly.insight.actions import kostra_year_prepare

    today = local_date(scheduled_at)
    created = 0
    for municipality in Municipality.objects.order_by("pk"):
        _filed, new = kostra_year_prepare(
            actor=None, municipality=municipality, year=today.year - 1, today=today
        )
        created += new
    return created


periodic_job("kostra_year", cron="0 3 1 1 *", run=kostra_year)

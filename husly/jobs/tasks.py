"""Husly's periodic jobs: the work the management commands do, on a schedule (ADR 0021).

Each calls the same action as its command, for every municipality, as of the local date of the
scheduled tick; each action is safe to rerun. Cron times are UTC (procrastinate); 01:00 UTC is
02:00 or 03:00 in Oslo. The commands stay for a run by hand (``./dev manage rent_roll``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from husly.jobs.registry import job, periodic_job
from husly.organisation.models import Municipality
from husly.rules import deadlines


def local_date(scheduled_at: dt.datetime) -> dt.date:
    return timezone.localtime(scheduled_at).date()


def leases_activate(scheduled_at: dt.datetime) -> int:
    from husly.tenancy.actions import leases_activate_due

    return len(leases_activate_due(today=local_date(scheduled_at)))


def renewal_reminders(scheduled_at: dt.datetime) -> int:
    from husly.tenancy.actions import renewal_reminders_send

    return len(renewal_reminders_send(today=local_date(scheduled_at)))


def retention(scheduled_at: dt.datetime) -> None:
    from husly.retention.jobs import run

    run(today=local_date(scheduled_at))


def rent_roll(scheduled_at: dt.datetime) -> int:
    """This month's rent claims for every lease (one claim per lease and month)."""
    from husly.rent.actions import rent_roll_run

    month = local_date(scheduled_at).replace(day=1)
    return sum(
        rent_roll_run(actor=None, municipality=municipality, month=month)
        for municipality in Municipality.objects.order_by("pk")
    )


def arrears_steps(scheduled_at: dt.datetime) -> None:
    from husly.arrears.actions import arrears_scan

    today = local_date(scheduled_at)
    for municipality in Municipality.objects.order_by("pk"):
        arrears_scan(actor=None, municipality=municipality, as_of=today)


def landlords_vacancy(scheduled_at: dt.datetime) -> int:
    """Last month's head-lease vacancy cost (one fact per head lease and month)."""
    from husly.landlords.actions import vacancy_costs_record

    month = deadlines.add_months(local_date(scheduled_at).replace(day=1), -1)
    return sum(
        len(vacancy_costs_record(actor=None, municipality=municipality, month=month))
        for municipality in Municipality.objects.order_by("pk")
    )


def deadline_alerts(scheduled_at: dt.datetime) -> dict[str, int]:
    """Deadlines coming due within five working days (or passed) filed as alerts."""
    from husly.cases.alerts import deadline_alerts_raise

    return deadline_alerts_raise(today=local_date(scheduled_at))


def jobs_cleanup(scheduled_at: dt.datetime) -> dict[str, int]:
    """Finished jobs removed after the retention period (``HUSLY_JOBS_KEEP_DAYS``), and the
    exports made on the queue with their files (``HUSLY_EXPORTS_KEEP_DAYS``)."""
    from husly.jobs.actions import exports_remove_expired, jobs_remove_finished

    removed = jobs_remove_finished(now=scheduled_at)
    return {**removed, "exports": exports_remove_expired(now=scheduled_at)}


@job("exports_make")
def exports_make(*, export_id: int, municipality_id: int) -> str:
    """Build one export a user asked for (ADR 0034); ``municipality_id`` shows the job to that
    municipality's administrators. Safe to run twice: an export is made once."""
    from husly.jobs.actions import export_make_run

    del municipality_id
    return export_make_run(export_id=export_id)


# One line each: name, schedule (UTC), what runs.
periodic_job("lease_activations", cron="5 0 * * *", run=leases_activate)
periodic_job("renewal_reminders", cron="0 5 * * *", run=renewal_reminders)
periodic_job("retention_run", cron="30 1 * * *", run=retention)
periodic_job("rent_roll", cron="0 1 1 * *", run=rent_roll)
periodic_job("arrears_scan", cron="0 4 * * *", run=arrears_steps)
periodic_job("landlords_vacancy", cron="0 2 1 * *", run=landlords_vacancy)
periodic_job("jobs_cleanup", cron="45 2 * * *", run=jobs_cleanup)
periodic_job("deadline_alerts", cron="30 4 * * *", run=deadline_alerts)

"""The job queue's rows of test_action_permissions' TABLE: only an administrator runs a failed
job again (with no such job the administrator gets a clear refusal, not a permission error);
only a leader files a KOSTRA year by hand."""

from __future__ import annotations

from typing import Any

from husly.insight import actions as insight
from husly.jobs import actions as jobs
from husly.needs.models import NeedsRound

ROWS: dict[str, tuple[set[str], Any]] = {
    "husly.jobs.actions.job_retry": (
        {"administrator"},
        lambda w, a: jobs.job_retry(actor=a, job_id=0),
    ),
    # The KOSTRA year is filed by the job on 1 January; by hand only a leader files a year.
    "husly.insight.actions.kostra_year_prepare": (
        {"leader"},
        lambda w, a: insight.kostra_year_prepare(actor=a, municipality=w.municipality, year=2025),
    ),
    # An export on the queue: whoever reads what it exports (the § 5 overview: the needs
    # readers, NAV's caseworker among them); the kind's own access check decides.
    "husly.jobs.actions.export_queue": (
        {"caseworker", "approver", "follow_up", "leader", "caseworker of another unit"},
        lambda w, a: jobs.export_queue(
            actor=a,
            kind="needs_overview_pdf",
            params={"round": w.get(NeedsRound, "needs_round").pk},
        ),
    ),
}

"""The job queue's rows of test_action_permissions' TABLE: only an administrator runs a failed
job again (with no such job the administrator gets a clear refusal, not a permission error);
only a leader files a KOSTRA year by hand."""

from __future__ import annotations

from typing import Any

from husly.insight import actions as insight
from husly.jobs import actions as jobs

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
}

"""The job queue's rows of test_action_permissions' TABLE: only an administrator runs a failed
job again (with no such job the administrator gets a clear refusal, not a permission error)."""

from __future__ import annotations

from typing import Any

from husly.jobs import actions as jobs

ROWS: dict[str, tuple[set[str], Any]] = {
    "husly.jobs.actions.job_retry": (
        {"administrator"},
        lambda w, a: jobs.job_retry(actor=a, job_id=0),
    ),
}

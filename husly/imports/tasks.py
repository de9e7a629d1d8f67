"""The import's job: a large confirmed file is applied on the queue (ADR 0021)."""

from __future__ import annotations

from husly.imports.importers import import_batch_run
from husly.jobs.registry import job


@job("imports_apply")
def imports_apply(*, batch_id: int, municipality_id: int) -> int:
    """Apply the queued batch; ``municipality_id`` shows the job to that municipality's
    administrators. Safe to run twice: a batch is applied once."""
    del municipality_id
    return import_batch_run(batch_id=batch_id)

"""Liveness and readiness for load balancers and orchestrators: no login, no personal data.

- ``/healthz``: the process answers (no database call, so a database outage does not make an
  orchestrator restart every application server).
- ``/readyz``: the database answers and every migration of this code is applied; 503 otherwise,
  so a server started on new code before ``migrate`` ran gets no traffic.
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("husly.probes")

_migrated = False  # once all are applied they stay applied for this process's code


def _database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.warning("readiness: database unreachable: %s", type(exc).__name__)
        return "unreachable"
    return "ok"


def _migrations() -> str:
    global _migrated  # noqa: PLW0603 -- a per-process cache of a fact that only becomes true
    if _migrated:
        return "ok"
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return "pending"
    _migrated = True
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database()}
    checks["migrations"] = _migrations() if checks["database"] == "ok" else "unknown"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def forget_migrations() -> None:
    """For tests: check the migrations again on the next request."""
    global _migrated  # noqa: PLW0603
    _migrated = False

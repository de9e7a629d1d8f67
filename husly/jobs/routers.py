"""procrastinate's tables and functions exist on PostgreSQL only.

Its Django migrations are raw PostgreSQL (PL/pgSQL functions, enum types). On SQLite (small trials
and the benchmarks that build a throwaway SQLite database) they are recorded as applied without
running, so ``migrate`` works everywhere; the queue itself then is not there (ADR 0021).
"""

from __future__ import annotations

from typing import Any

from django.db import connections

QUEUE_APP = "procrastinate"


class QueueOnPostgresRouter:
    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        if app_label == QUEUE_APP and connections[db].vendor != "postgresql":
            return False
        return None


def queue_available(alias: str = "default") -> bool:
    return connections[alias].vendor == "postgresql"

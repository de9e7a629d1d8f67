"""A payment file read and checked, waiting to be matched and booked (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class PaymentFile:
    kind: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    reversals: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> Decimal:
        return sum((Decimal(r["amount"]) for r in self.rows), Decimal(0))

    @property
    def matched(self) -> int:
        return sum(1 for r in self.rows if r["lease_id"])

"""Where arrears come from: the rent ledger (``husly.rent.selectors.arrears_as_of``).

One function, looked up when called, so the arrears app depends on the rent app's published
interface only: ``arrears_as_of(*, municipality, as_of) -> {lease_id: Arrears(amount,
months_unpaid, oldest_unpaid_due)}``, one set-based pass for all leases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def arrears_as_of(*, municipality: Any, as_of: dt.date) -> Mapping[int, Any]:
    from husly.rent.selectors import arrears_as_of as from_ledger

    return from_ledger(municipality=municipality, as_of=as_of)

"""What apps above allocation do when an offer is made, in the same transaction.

Like ``husly/tenancy/extensions.py``: a higher app (the open API's webhooks) registers a handler
in its ``AppConfig.ready``; ``offer_make`` calls it after the offer is written. A handler must
not have side effects outside the database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from husly.allocation.models import Offer

OfferMade = Callable[["Offer"], None]
offer_made_handlers: list[OfferMade] = []


def on_offer_made(handler: OfferMade) -> OfferMade:
    """Register ``handler(offer)``, called when an offer is made; usable as a decorator."""
    if handler not in offer_made_handlers:
        offer_made_handlers.append(handler)
    return handler

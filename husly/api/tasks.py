"""The API's periodic job: send the webhook deliveries that are due (ADR 0021, 0022).

Every minute; each delivery is claimed under a row lock, so a tick that overlaps another worker's
sends nothing twice, and a failed send waits its own back-off (``WebhookDelivery.next_attempt_at``)
whatever the tick. ``./dev manage webhooks_deliver`` does the same by hand.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from husly.api.actions import webhooks_deliver_due
from husly.jobs.registry import periodic_job


def deliver_due(scheduled_at: dt.datetime) -> dict[str, int]:
    # A tick run late sends what is due now, not what was due at the tick.
    return webhooks_deliver_due(now=max(scheduled_at, timezone.now()))


periodic_job("webhooks_deliver", cron="* * * * *", run=deliver_due)

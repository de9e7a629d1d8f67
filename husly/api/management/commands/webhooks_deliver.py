"""Send the webhook deliveries that are due (run periodically by the job queue or cron)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from husly.api.actions import webhooks_deliver_due


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due, with back-off for failed ones."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = webhooks_deliver_due(now=timezone.now())
        self.stdout.write(json.dumps(counts))

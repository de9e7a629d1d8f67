"""A caseworker marks a deadline alert seen (ADR 0034)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.cases.actions._common import _record
from husly.cases.models import DeadlineAlert
from husly.cases.selectors import require_case_role
from husly.organisation.models import User


@transaction.atomic
def deadline_alert_dismiss(*, actor: User, alert: DeadlineAlert) -> DeadlineAlert:
    """The alert leaves the start page of everyone working on the case. The deadline itself
    stays on the work list; a new alert (another deadline, or the same one with a new due date)
    shows again. Only a caseworker of a unit the case is routed to may dismiss it."""
    locked = DeadlineAlert.objects.select_for_update().select_related("case").get(pk=alert.pk)
    require_case_role(actor, locked.case)
    if locked.dismissed_at is not None:
        raise ValidationError(_("The alert has already been marked as seen."))
    locked.dismissed_at = timezone.now()
    locked.dismissed_by = actor
    locked.save(update_fields=["dismissed_at", "dismissed_by"])
    _record(
        actor,
        "deadline_alert_dismiss",
        locked.case,
        {
            "what": [locked.what, locked.what],
            "due": [None, locked.due.isoformat()],
            "dismissed": [False, True],
        },
        instance=locked,
    )
    return locked

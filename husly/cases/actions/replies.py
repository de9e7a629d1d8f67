"""Preliminary replies (foreløpig svar, forvaltningsloven § 11a): when a case will take longer
than a month, the household is told why and when to expect an answer, in a letter stored with
its hash like a decision letter."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.cases.actions._common import _applicant_id
from husly.cases.models import Case, CaseStatus, PreliminaryReply, RoutingStatus
from husly.cases.selectors import require_case_role
from husly.core.actions import create_audited
from husly.organisation.models import User


@transaction.atomic
def preliminary_reply_send(
    *, actor: User, case: Case, reason: str, expected_by: dt.date
) -> PreliminaryReply:
    """Write and store the preliminary reply for the case's open parts, in the applicant's
    written standard; it is shown in Min side at once."""
    from husly.cases.letters import render_preliminary_reply

    require_case_role(actor, case)
    if (
        case.status in {CaseStatus.DRAFT, CaseStatus.CLOSED}
        or not case.routings.filter(status=RoutingStatus.OPEN).exists()
    ):
        raise ValidationError(
            _("A preliminary reply is sent only while a part of a received case is open.")
        )
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the case takes longer.")
    today = timezone.localdate()
    if expected_by <= today:
        errors["expected_by"] = _("The date must be after today.")
    if errors:
        raise ValidationError(errors)
    applicant = case.household.members.filter(relation="applicant").select_related("person").first()
    reply = PreliminaryReply(
        case=case,
        reason=reason.strip(),
        expected_by=expected_by,
        language=applicant.person.language_form if applicant else "nb",
        sent_on=today,
        sent_by=actor,
    )
    pdf = render_preliminary_reply(reply)
    reply.letter.save(f"forelopig-svar-{case.number}.pdf", ContentFile(pdf), save=False)
    reply.letter_sha256 = hashlib.sha256(pdf).hexdigest()
    return create_audited(
        actor=actor,
        action="preliminary_reply_send",
        instance=reply,
        municipality=case.municipality,
        person_id=_applicant_id(case),
    )

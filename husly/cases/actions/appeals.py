"""Appeals (forvaltningsloven §§ 28–36)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.cases.actions._common import _applicant_id
from husly.cases.actions.closing import case_reopen
from husly.cases.models import (
    Appeal,
    AppealBodyOutcome,
    AppealStatus,
    CaseStatus,
    Decision,
    DecisionStatus,
    Document,
)
from husly.cases.selectors import require_case_role
from husly.core.actions import create_audited, update_audited
from husly.organisation.models import User
from husly.rules import deadlines


@transaction.atomic
def appeal_register(
    *,
    actor: User,
    decision: Decision,
    received_on: dt.date,
    grounds: str,
    posted_on: dt.date | None = None,
    consider_late: bool = False,
    late_reason: str = "",
) -> Appeal:
    """Register an appeal (forvaltningsloven §§ 28–32). A late appeal is refused unless the
    caseworker decides to consider it anyway under § 31, with a reason."""
    require_case_role(actor, decision.case, resident=True)
    if not decision.is_appealable:
        raise ValidationError(
            _(
                "This decision cannot be appealed: refusals of a swap are final "
                "under the municipality's guideline (point 7.6)."
            )
        )
    if decision.status != DecisionStatus.ISSUED or decision.notified_on is None:
        raise ValidationError(_("Only an issued decision can be appealed."))
    if received_on < decision.notified_on or (posted_on and posted_on < decision.notified_on):
        raise ValidationError(
            {
                "received_on": _(
                    "The appeal cannot be dated before the decision was notified (%(date)s)."
                )
                % {"date": decision.notified_on.strftime("%d.%m.%Y")}
            }
        )
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    if posted_on and posted_on > received_on:
        raise ValidationError(
            {"posted_on": _("The appeal cannot have been posted after it was received.")}
        )
    if not grounds.strip():
        raise ValidationError({"grounds": _("Write what the household wants changed.")})
    due = deadlines.appeal_deadline(decision.notified_on)
    in_time = deadlines.is_appeal_in_time(decision.notified_on, received_on, posted_on=posted_on)
    if not in_time and not (consider_late and late_reason.strip()):
        raise ValidationError(
            {
                "received_on": _(
                    "The appeal came after the deadline (%(date)s). "
                    "It can only be considered if you decide so under forvaltningsloven § 31 "
                    "and give the reason."
                )
                % {"date": due.strftime("%d.%m.%Y")}
            }
        )
    case = decision.case
    if case.status == CaseStatus.CLOSED:
        with translation.override(case.municipality.language_form):
            why = _("An appeal was received on %(date)s.") % {
                "date": received_on.strftime("%d.%m.%Y")
            }
        case_reopen(actor=actor, case=case, reason=why)
    appeal = Appeal(
        decision=decision,
        received_on=received_on,
        posted_on=posted_on,
        grounds=grounds,
        deadline=due,
        in_time=in_time,
        late_reason=late_reason if not in_time else "",
        registered_by=actor,
    )
    return create_audited(
        actor=actor,
        action="appeal_register",
        instance=appeal,
        municipality=decision.case.municipality,
        person_id=_applicant_id(decision.case),
    )


@transaction.atomic
def appeal_reconsider(*, actor: User, appeal: Appeal, change: bool, reasoning: str) -> Appeal:
    """The first instance reconsiders (§ 33 second paragraph): it changes the decision (a new
    decision is then drafted that replaces it) or upholds it and prepares to forward it."""
    require_case_role(actor, appeal.decision.case)
    if appeal.status != AppealStatus.REGISTERED:
        raise ValidationError(_("The appeal has already been reconsidered."))
    if not reasoning.strip():
        raise ValidationError({"reasoning": _("Give the reasons for the reconsideration.")})
    status = AppealStatus.CHANGED if change else AppealStatus.UPHELD
    update_audited(
        actor=actor,
        action="appeal_reconsider",
        instance=appeal,
        data={"status": status, "reconsideration": reasoning},
        municipality=appeal.decision.case.municipality,
    )
    if change:
        case = appeal.decision.case
        case.status = CaseStatus.IN_PROGRESS
        case.save(update_fields=["status"])
    return appeal


@transaction.atomic
def appeal_forward(*, actor: User, appeal: Appeal) -> Appeal:
    """Send an upheld appeal to the appeal body with the full case record (a PDF stored on the
    case as a document)."""
    require_case_role(actor, appeal.decision.case)
    from husly.cases.letters import render_case_record

    if appeal.status != AppealStatus.UPHELD:
        raise ValidationError(_("Only an appeal the first instance has upheld can be sent on."))
    case = appeal.decision.case
    pdf = render_case_record(appeal)
    digest = hashlib.sha256(pdf).hexdigest()
    document = Document(
        case=case,
        title=_("Case record sent to the appeal body"),
        content_type="application/pdf",
        size=len(pdf),
        sha256=digest,
        uploaded_by=actor,
    )
    document.file.save(
        f"saksdokumenter-{case.number}-{appeal.pk}.pdf", ContentFile(pdf), save=False
    )
    document.save()
    return update_audited(
        actor=actor,
        action="appeal_forward",
        instance=appeal,
        data={
            "status": AppealStatus.FORWARDED,
            "forwarded_on": timezone.localdate(),
            "appeal_body": appeal.decision.appeal_body,
        },
        municipality=case.municipality,
    )


@transaction.atomic
def appeal_body_outcome_record(
    *, actor: User, appeal: Appeal, outcome: str, decided_on: dt.date
) -> Appeal:
    require_case_role(actor, appeal.decision.case)
    if appeal.status != AppealStatus.FORWARDED:
        raise ValidationError(_("The appeal has not been sent to the appeal body."))
    if outcome not in AppealBodyOutcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    if appeal.forwarded_on and decided_on < appeal.forwarded_on:
        raise ValidationError({"decided_on": _("The date cannot be before the appeal was sent.")})
    update_audited(
        actor=actor,
        action="appeal_body_outcome_record",
        instance=appeal,
        data={
            "status": AppealStatus.CLOSED,
            "appeal_body_outcome": outcome,
            "appeal_body_decided_on": decided_on,
        },
        municipality=appeal.decision.case.municipality,
    )
    if outcome != AppealBodyOutcome.UPHELD:
        case = appeal.decision.case
        case.status = CaseStatus.IN_PROGRESS
        case.save(update_fields=["status"])
    return appeal

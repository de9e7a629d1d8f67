"""Decisions (enkeltvedtak): drafting, approval and issue (forvaltningsloven §§ 24–27)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.cases import hooks, selectors
from husly.cases.actions._common import _applicant_id, _record, _routings_set
from husly.cases.models import (
    APPROVAL_CONTENT,
    CONTENT_FIELDS,
    WAITING_LIST_HELP,
    Case,
    CaseStatus,
    Decision,
    DecisionKind,
    DecisionStatus,
    HelpKind,
    RoutingStatus,
)
from husly.cases.selectors import DECISION_APPROVE, require_case_role
from husly.core.actions import create_audited, update_audited
from husly.organisation.models import User
from husly.rules import guidelines as g

GUIDELINE_KINDS = selectors.GUIDELINE_KINDS


def _content_errors(decision: Decision) -> dict[str, str]:
    """What an approval of this kind of help must state and does not (a guarantee its amount,
    landlord, dwelling and period; a temporary stay its place and dates)."""
    errors: dict[str, str] = {}
    required = APPROVAL_CONTENT.get(decision.help_kind, ())
    if decision.kind == DecisionKind.APPROVAL:
        messages = {
            "amount": _("State the amount in whole kroner."),
            "landlord": _("State the landlord the guarantee is given to."),
            "place": _("State where the household will stay.")
            if decision.help_kind == HelpKind.TEMPORARY_ACCOMMODATION
            else _("State the address of the dwelling."),
            "period_from": _("State the first day."),
            "period_to": _("State the last day."),
        }
        errors = {
            name: message
            for name, message in messages.items()
            if name in required and getattr(decision, name) in {None, ""}
        }
    if decision.period_from and decision.period_to and decision.period_to < decision.period_from:
        errors["period_to"] = _("The last day cannot be before the first day.")
    return errors


def _fit_to_kind(decision: Decision) -> None:
    """Keep only the content that belongs to the decision's kind of help and outcome: no waiting
    time on a guarantee, no amount on a refusal."""
    keep = set(APPROVAL_CONTENT.get(decision.help_kind, ()))
    if decision.kind != DecisionKind.APPROVAL:
        keep = set()
    if decision.help_kind in WAITING_LIST_HELP | {HelpKind.HOUSING_FOLLOW_UP}:
        keep.add("follow_up_unit")  # a lapse or renewal keeps the linked unit
    for name in CONTENT_FIELDS:
        if name not in keep:
            setattr(decision, name, "" if name in {"landlord", "place"} else None)


def _check_against_assessment(decision: Decision) -> None:
    """Rules-as-code: a decision on a guideline kind follows its complete, stored assessment,
    never a silent pass and never a refusal by default."""
    if decision.help_kind not in GUIDELINE_KINDS:
        return
    assessment = decision.assessment
    if assessment is None:
        if decision.kind in {DecisionKind.APPROVAL, DecisionKind.REFUSAL}:
            raise ValidationError(_("Assess the case against the guideline before you decide."))
        return
    if assessment.outcome == g.OverallOutcome.NEEDS_JUDGEMENT:
        raise ValidationError(
            _(
                "The assessment still has criteria that need your judgement. "
                "Complete the assessment before you decide."
            )
        )
    meets = assessment.outcome in {g.OverallOutcome.MEETS, g.OverallOutcome.MEETS_WITH_EXCEPTION}
    if decision.kind == DecisionKind.APPROVAL and not meets:
        raise ValidationError(
            {
                "kind": _(
                    "The assessment says the criteria are not met, so "
                    "the outcome cannot be an approval. Use an exception "
                    "with reasons if one applies."
                )
            }
        )
    if decision.kind == DecisionKind.REFUSAL and meets:
        raise ValidationError(
            {
                "kind": _(
                    "The assessment says the criteria are met, so the outcome cannot be a refusal."
                )
            }
        )


def _validate(decision: Decision) -> None:
    _fit_to_kind(decision)
    errors = _content_errors(decision)
    if errors:
        raise ValidationError(errors)
    _check_against_assessment(decision)


@transaction.atomic
def decision_draft(
    *, actor: User, case: Case, data: Mapping[str, Any], replaces: Decision | None = None
) -> Decision:
    """Draft a decision on one kind of help, with the content that kind needs, on the
    assessment made for that kind (if it is decided on a guideline)."""
    require_case_role(actor, case)
    if case.status in {CaseStatus.DRAFT, CaseStatus.CLOSED}:
        raise ValidationError(_("Only a received case can be decided."))
    help_kind = str(data.get("help_kind") or "")
    applicant = case.household.members.filter(relation="applicant").select_related("person").first()
    decision = Decision(
        case=case,
        drafted_by=actor,
        replaces=replaces,
        assessment=selectors.assessment_for_help(case, help_kind),
        language=applicant.person.language_form if applicant else "nb",
        **data,
    )
    _validate(decision)
    return create_audited(
        actor=actor,
        action="decision_draft",
        instance=decision,
        municipality=case.municipality,
        person_id=_applicant_id(case),
    )


def _editable(decision: Decision) -> None:
    if decision.status == DecisionStatus.ISSUED:
        raise ValidationError(
            _("An issued decision cannot be changed. Draft a new decision that replaces it.")
        )
    if decision.status == DecisionStatus.DISCARDED:
        raise ValidationError(_("A discarded decision cannot be changed. Draft a new one."))


@transaction.atomic
def decision_update(*, actor: User, decision: Decision, data: Mapping[str, Any]) -> Decision:
    """Change a draft; it follows the latest assessment for its kind of help, so a decision
    drafted before the assessment changed is checked against the new one."""
    require_case_role(actor, decision.case)
    _editable(decision)
    changed = Decision.objects.get(pk=decision.pk)
    for name, value in data.items():
        setattr(changed, name, value)
    changed.assessment = selectors.assessment_for_help(changed.case, changed.help_kind)
    _validate(changed)
    content = {name: getattr(changed, name) for name in CONTENT_FIELDS}
    return update_audited(
        actor=actor,
        action="decision_update",
        instance=decision,
        data={**data, **content, "assessment": changed.assessment, "status": DecisionStatus.DRAFT},
        municipality=decision.case.municipality,
    )


@transaction.atomic
def decision_submit(*, actor: User, decision: Decision) -> Decision:
    """Send the draft for approval; where the municipality does not require four eyes it is
    approved at once."""
    require_case_role(actor, decision.case)
    _editable(decision)
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be sent for approval."))
    four_eyes = decision.case.municipality.decision_requires_approval
    new = DecisionStatus.AWAITING_APPROVAL if four_eyes else DecisionStatus.APPROVED
    return update_audited(
        actor=actor,
        action="decision_submit",
        instance=decision,
        data={"status": new, "return_comment": ""},
        municipality=decision.case.municipality,
    )


@transaction.atomic
def decision_approve(*, actor: User, decision: Decision) -> Decision:
    """The second person approves (four eyes): never the one who drafted it."""
    require_case_role(actor, decision.case, roles=DECISION_APPROVE)
    if decision.status != DecisionStatus.AWAITING_APPROVAL:
        raise ValidationError(_("The decision is not waiting for approval."))
    if decision.drafted_by_id == actor.pk:
        raise ValidationError(
            _("The decision must be approved by someone other than the caseworker who drafted it.")
        )
    return update_audited(
        actor=actor,
        action="decision_approve",
        instance=decision,
        data={"status": DecisionStatus.APPROVED, "approved_by": actor},
        municipality=decision.case.municipality,
    )


@transaction.atomic
def decision_return(*, actor: User, decision: Decision, comment: str) -> Decision:
    require_case_role(actor, decision.case, roles=DECISION_APPROVE)
    if decision.status != DecisionStatus.AWAITING_APPROVAL:
        raise ValidationError(_("The decision is not waiting for approval."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must be changed.")})
    return update_audited(
        actor=actor,
        action="decision_return",
        instance=decision,
        data={"status": DecisionStatus.DRAFT, "return_comment": comment},
        municipality=decision.case.municipality,
    )


@transaction.atomic
def decision_discard(*, actor: User, decision: Decision) -> Decision:
    """Set aside a decision that was drafted but will not be issued (the application was
    withdrawn, or it was drafted by mistake). It stays in the case, marked discarded, and no
    longer replaces the decision it was drafted to replace, so a new one can."""
    require_case_role(actor, decision.case)
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.status == DecisionStatus.ISSUED:
        raise ValidationError(
            _("An issued decision cannot be discarded. Draft a new decision that replaces it.")
        )
    if locked.status == DecisionStatus.DISCARDED:
        raise ValidationError(_("The decision is already discarded."))
    return update_audited(
        actor=actor,
        action="decision_discard",
        instance=decision,
        data={"status": DecisionStatus.DISCARDED, "replaces": None},
        municipality=decision.case.municipality,
    )


@transaction.atomic
def decision_issue(
    *, actor: User, decision: Decision, notified_on: dt.date | None = None
) -> Decision:
    """Issue the approved decision: the letter is generated once, stored with its hash, and the
    decision never changes after this. A decision it replaces stays as it was."""
    require_case_role(actor, decision.case)
    from husly.cases.letters import render_decision_letter

    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.status != DecisionStatus.APPROVED:
        raise ValidationError(_("Only an approved decision can be issued."))
    today = timezone.localdate()
    decision.status = DecisionStatus.ISSUED
    decision.issued_on = today
    decision.notified_on = notified_on or today
    pdf = render_decision_letter(decision)
    digest = hashlib.sha256(pdf).hexdigest()
    decision.letter.save(
        f"vedtak-{decision.case.number}-{decision.pk}.pdf", ContentFile(pdf), save=False
    )
    decision.letter_sha256 = digest
    decision.save()
    case = decision.case
    case.status = CaseStatus.DECIDED
    case.save(update_fields=["status"])
    _record(
        actor,
        "decision_issue",
        case,
        {
            "status": [DecisionStatus.APPROVED, DecisionStatus.ISSUED],
            "kind": [None, decision.kind],
            "letter_sha256": [None, digest],
        },
        instance=decision,
    )
    # The unit that handles this kind of help has done its part; other units' parts stay open.
    _routings_set(
        actor, case, old=RoutingStatus.OPEN, new=RoutingStatus.DONE, help_kind=decision.help_kind
    )
    for handler in hooks.decision_issued_handlers:
        handler(decision, actor)
    return decision

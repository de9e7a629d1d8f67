"""Closing and reopening cases (ADR 0012)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.audit.events import diff, snapshot
from husly.cases import hooks
from husly.cases.actions._common import _journal, _record, _routings_set
from husly.cases.models import (
    Case,
    CaseStatus,
    CloseReason,
    Decision,
    DecisionStatus,
    RoutingStatus,
    WithdrawnHow,
    open_appeals,
)
from husly.cases.selectors import require_case_role
from husly.organisation.models import User
from husly.people.models import ADULT_RELATIONS, Person
from husly.rules import deadlines


def _closing_text(case: Case) -> str:
    """The journal note of a closing, in the municipality's written standard (it is part of
    the case record, whatever language the actor's pages are in)."""
    with translation.override(case.municipality.language_form):
        if case.withdrawn_by is not None:
            how = str(WithdrawnHow(case.withdrawn_how).label)
            text = _("The case was closed: %(person)s withdrew the application (%(how)s).") % {
                "person": case.withdrawn_by.full_name,
                "how": how[:1].lower() + how[1:],  # «på Min side», «per telefon»
            }
        else:
            text = _("The case was closed: %(reason)s.") % {
                "reason": CloseReason(case.close_reason).label
            }
        if case.duplicate_of is not None:
            text += " " + _("It duplicates case %(number)s.") % {"number": case.duplicate_of.number}
    return f"{text}\n\n{case.close_note}" if case.close_note else text


def _decision_name(decision: Decision) -> str:
    return f"{decision.get_kind_display()} – {str(decision.get_help_kind_display()).lower()}"


def _check_closable(case: Case, reason: str) -> None:
    """What every closing needs (no decision half made, no appeal being handled), and for a
    completed case: something decided, and every issued decision past its appeal period or
    its appeal decided."""
    pending = case.decisions.exclude(
        status__in=[DecisionStatus.ISSUED, DecisionStatus.DISCARDED]
    ).first()
    if pending is not None:
        raise ValidationError(
            _(
                "The decision “%(decision)s” is not issued. Issue it or discard it before you "
                "close the case."
            )
            % {"decision": _decision_name(pending)}
        )
    if open_appeals().filter(decision__case=case).exists():
        raise ValidationError(
            _(
                "An appeal in the case is still being handled. Close the case when the appeal "
                "has been decided."
            )
        )
    if reason != CloseReason.COMPLETED:
        return
    issued = list(case.decisions.filter(status=DecisionStatus.ISSUED).order_by("pk"))
    if not issued:
        raise ValidationError(
            {
                "reason": _(
                    "Nothing has been decided in the case, so it is not completed. "
                    "Choose another reason."
                )
            }
        )
    today = timezone.localdate()
    for decision in issued:
        if not decision.is_appealable or decision.notified_on is None:
            continue
        if decision.appeals.exists():
            continue  # appealed, and (above) no longer being handled
        due = deadlines.appeal_deadline(decision.notified_on)
        if due >= today:
            raise ValidationError(
                {
                    "reason": _(
                        "The household can appeal the decision “%(decision)s” until %(date)s. "
                        "Close the case as completed after that date."
                    )
                    % {"decision": _decision_name(decision), "date": due.strftime("%d.%m.%Y")}
                }
            )


def _closing_errors(
    case: Case,
    *,
    reason: str,
    note: str,
    withdrawn_by: Person | None,
    withdrawn_how: str,
    duplicate_of: Case | None,
) -> dict[str, str]:
    """What the reason needs: who withdrew and how, the other case, a note."""
    errors: dict[str, str] = {}
    if reason not in CloseReason.values:
        errors["reason"] = _("Choose why the case is closed.")
    if reason == CloseReason.OTHER and not note:
        errors["note"] = _("Write why the case is closed.")
    if reason == CloseReason.WITHDRAWN:
        adults = case.household.members.filter(relation__in=ADULT_RELATIONS)
        if withdrawn_by is None or not adults.filter(person=withdrawn_by).exists():
            errors["withdrawn_by"] = _(
                "Choose the adult in the household who withdrew the application."
            )
        if withdrawn_how not in WithdrawnHow.values:
            errors["withdrawn_how"] = _("Say how the application was withdrawn.")
    if reason == CloseReason.DUPLICATE:
        if duplicate_of is None:
            errors["duplicate_of"] = _("Give the number of the case this one duplicates.")
        elif duplicate_of.pk == case.pk or duplicate_of.municipality_id != case.municipality_id:
            errors["duplicate_of"] = _("Give another case in the same municipality.")
        elif duplicate_of.duplicate_of_id == case.pk:
            errors["duplicate_of"] = _(
                "Case %(number)s is closed as a duplicate of this one. Reopen it first."
            ) % {"number": duplicate_of.number}
    return errors


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    reason: str,
    note: str = "",
    withdrawn_by: Person | None = None,
    withdrawn_how: str = "",
    duplicate_of: Case | None = None,
) -> Case:
    """Close a received case: it leaves the work lists, and its retention period runs from
    the closing. Refused while a decision is drafted but not issued or an appeal is being
    handled. *Completed* needs an issued decision whose appeal period is over (or whose
    appeal is decided). A *withdrawn* application needs no decision (forvaltningsloven);
    who in the household withdrew it and how are recorded. A *duplicate* names the other
    case; *other* needs a note. A journal note is written, and the ``on_case_closed``
    handlers run in the same transaction (a waiting-list entry may end, ADR 0012)."""
    require_case_role(actor, case)
    locked = Case.objects.select_for_update().select_related("household").get(pk=case.pk)
    if locked.status == CaseStatus.DRAFT:
        raise ValidationError(
            _("A draft has not been received, so it cannot be closed. Delete it instead.")
        )
    if locked.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is already closed."))
    note = note.strip()
    errors = _closing_errors(
        locked,
        reason=reason,
        note=note,
        withdrawn_by=withdrawn_by,
        withdrawn_how=withdrawn_how,
        duplicate_of=duplicate_of,
    )
    if errors:
        raise ValidationError(errors)
    _check_closable(locked, reason)
    before = snapshot(locked)
    withdrawn = reason == CloseReason.WITHDRAWN
    locked.status = CaseStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = actor
    locked.close_reason = reason
    locked.close_note = note
    locked.withdrawn_by = withdrawn_by if withdrawn else None
    locked.withdrawn_how = withdrawn_how if withdrawn else ""
    locked.duplicate_of = duplicate_of if reason == CloseReason.DUPLICATE else None
    locked.full_clean()
    locked.save()
    _record(actor, "case_close", locked, diff(before, snapshot(locked)))
    _routings_set(actor, locked, old=RoutingStatus.OPEN, new=RoutingStatus.DONE)
    _journal(actor, locked, _closing_text(locked))
    for handler in hooks.case_closed_handlers:
        handler(locked, actor)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """Open a closed case again because new information has arrived (``reason`` says what).
    It goes back to its caseworker, or to its units' new cases when it has none. What the
    closing ended elsewhere stays ended: a waiting-list entry is not restored (ADR 0012)."""
    require_case_role(actor, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.CLOSED:
        raise ValidationError(_("The case is not closed."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say what new information makes it necessary to reopen the case.")}
        )
    before = snapshot(locked)
    locked.status = CaseStatus.IN_PROGRESS if locked.assigned_to_id else CaseStatus.SUBMITTED
    locked.closed_at = None
    locked.closed_by = None
    locked.close_reason = ""
    locked.close_note = ""
    locked.withdrawn_by = None
    locked.withdrawn_how = ""
    locked.duplicate_of = None
    locked.reopened_at = timezone.now()
    locked.full_clean()
    locked.save()
    _record(
        actor, "case_reopen", locked, {**diff(before, snapshot(locked)), "reason": [None, reason]}
    )
    _routings_set(actor, locked, old=RoutingStatus.DONE, new=RoutingStatus.OPEN)
    with translation.override(locked.municipality.language_form):
        text = _("The case was reopened: %(reason)s") % {"reason": reason}
    _journal(actor, locked, text)
    case.refresh_from_db()
    return case

"""State changes of temporary accommodation (sosialtjenesteloven § 27). Each is atomic, checks
the actor's role itself and writes its audit event in the same transaction.

A placement, an extension and a move are each a § 27 decision (an enkeltvedtak with its own
legal basis and letter, ``cases.Decision`` of the kind temporary accommodation), issued at once
by the NAV caseworker: the household has nowhere to sleep tonight, so it cannot wait for a
second person's approval (docs/temporary-accommodation.md). A later decision replaces the one
before. Ending a stay is recorded with its reason and date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.audit.events import record_change
from husly.cases.models import (
    Case,
    CaseStatus,
    Decision,
    DecisionKind,
    DecisionStatus,
    HelpKind,
    RoutingStatus,
)
from husly.core.actions import create_audited, update_audited
from husly.organisation.models import Municipality, Unit, User
from husly.people.models import Household
from husly.temporary.models import (
    EndReason,
    HousingSituation,
    Inspection,
    Place,
    Provider,
    QualityAgreement,
    Segment,
    Stay,
    StayChange,
    StayChangeKind,
)

if TYPE_CHECKING:
    from husly.landlords.models import Agreement as LandlordAgreement
    from husly.tenancy.models import Lease
from husly.temporary.selectors import PROVIDER_WRITE, STAY_ROLES, agreement_state, require_stay_role

OPEN_CASE = (CaseStatus.SUBMITTED, CaseStatus.IN_PROGRESS, CaseStatus.DECIDED)


def _applicant_id(household: Household) -> int | None:
    member = household.members.filter(relation="applicant").first()
    return member.person_id if member else None


def _children_in(household: Household, on: dt.date) -> bool:
    from husly.rules.deadlines import add_years

    return any(
        born is not None and add_years(born, 18) > on
        for born in household.members.values_list("person__date_of_birth", flat=True)
    )


def _check_place(place: Place, household: Household, on: dt.date, family_reason: str) -> None:
    """A place that does not take children is refused for a family; a provider whose
    agreement has lapsed or failed inspection needs a reason to take a family."""
    if place.provider.municipality_id != household.municipality_id:
        raise ValidationError({"place": _("Choose a place in the household's municipality.")})
    if not _children_in(household, on):
        return
    if not place.children_allowed:
        raise ValidationError({"place": _("This place does not take children. Choose another.")})
    if agreement_state(place.provider, on) != "valid" and not family_reason.strip():
        raise ValidationError(
            {
                "family_reason": _(
                    "The provider's quality agreement has lapsed or it failed its last "
                    "inspection. Give the reason a family must stay there."
                )
            }
        )


def _lasting_case(actor: User, household: Household) -> Case:
    """The household's open case, or a new one registered for temporary accommodation."""
    case = Case.objects.filter(household=household, status__in=OPEN_CASE).order_by("-pk").first()
    if case is not None:
        return case
    from husly.cases.actions import case_create

    return case_create(
        actor=actor,
        household=household,
        channel="meeting",
        help_kinds=[HelpKind.TEMPORARY_ACCOMMODATION],
        data={"housing_kind": "no_home"},
        submit=True,
    )


def _issue(
    actor: User,
    stay: Stay,
    *,
    place: Place,
    period_from: dt.date,
    period_to: dt.date,
    facts: str,
    reasoning: str,
    replaces: Decision | None,
) -> Decision:
    """A § 27 decision, issued at once (its letter is stored by ``_store_letter``)."""
    applicant = stay.household.members.filter(relation="applicant").select_related("person").first()
    today = timezone.localdate()
    decision = Decision(
        case=stay.case,
        help_kind=HelpKind.TEMPORARY_ACCOMMODATION,
        kind=DecisionKind.APPROVAL,
        status=DecisionStatus.ISSUED,
        facts=facts,
        reasoning=reasoning,
        place=str(place)[:200],
        period_from=period_from,
        period_to=period_to,
        language=applicant.person.language_form if applicant else "nb",
        replaces=replaces,
        drafted_by=actor,
        issued_on=today,
        notified_on=today,
    )
    decision.full_clean(exclude=["letter"])
    decision.save()
    _part_done(actor, stay.case)
    return decision


def _part_done(actor: User, case: Case) -> None:
    """The temporary-accommodation part of the case is decided (it leaves the work list); the
    case is decided when no other part is still open, as ``decision_issue`` does."""
    from husly.cases.actions._common import _routings_set

    _routings_set(
        actor,
        case,
        old=RoutingStatus.OPEN,
        new=RoutingStatus.DONE,
        help_kind=HelpKind.TEMPORARY_ACCOMMODATION,
    )
    if case.status != CaseStatus.DECIDED and not case.routings.filter(status="open").exists():
        record_change(
            actor=actor,
            action="case_decided",
            instance=case,
            municipality=case.municipality,
            changes={"status": [case.status, CaseStatus.DECIDED]},
            person_id=_applicant_id(case.household),
        )
        case.status = CaseStatus.DECIDED
        case.save(update_fields=["status"])


def _store_letter(actor: User, decision: Decision, stay: Stay) -> None:
    """Render the letter once the stay and its change are written (the letter reads them)."""
    from husly.cases.letters import render_decision_letter

    pdf = render_decision_letter(decision)
    digest = hashlib.sha256(pdf).hexdigest()
    decision.letter.save(
        f"vedtak-{decision.case.number}-{decision.pk}.pdf", ContentFile(pdf), save=False
    )
    decision.letter_sha256 = digest
    decision.save(update_fields=["letter", "letter_sha256"])
    record_change(
        actor=actor,
        action="decision_issue",
        instance=decision,
        municipality=stay.municipality,
        changes={
            "status": [None, DecisionStatus.ISSUED],
            "help_kind": [None, HelpKind.TEMPORARY_ACCOMMODATION],
            "letter_sha256": [None, digest],
        },
        person_id=_applicant_id(stay.household),
    )


def _change(
    actor: User | None,
    stay: Stay,
    kind: str,
    on: dt.date,
    reason: str,
    *,
    decision: Decision | None,
) -> None:
    StayChange.objects.create(
        stay=stay, kind=kind, on=on, reason=reason, decision=decision, by=actor
    )


@transaction.atomic
def stay_place(
    *,
    actor: User,
    household: Household,
    place: Place,
    starts_on: dt.date,
    planned_end: dt.date,
    lasting_path: str,
    responsible_unit: Unit,
    facts: str,
    discharge: str = "",
    family_reason: str = "",
) -> Stay:
    """Place a household that has nowhere to stay tonight (§ 27): the decision, its letter,
    the stay and its first place, in one transaction."""
    require_stay_role(actor, household.municipality_id)
    if not facts.strip():
        raise ValidationError({"facts": _("Say briefly why the household has nowhere to stay.")})
    if planned_end <= starts_on:
        raise ValidationError(
            {"planned_end": _("The stay must be decided for at least one night.")}
        )
    if responsible_unit.municipality_id != household.municipality_id:
        raise ValidationError({"responsible_unit": _("Choose a unit in the municipality.")})
    if Stay.objects.filter(household=household, ended_on__isnull=True).exists():
        raise ValidationError(
            _("The household already has an open stay. Extend it or move it instead.")
        )
    _check_place(place, household, starts_on, family_reason)
    case = _lasting_case(actor, household)
    persons = household.members.count()
    stay = Stay(
        municipality_id=household.municipality_id,
        household=household,
        case=case,
        lasting_path=lasting_path,
        responsible_unit=responsible_unit,
        persons=persons,
        discharge=discharge,
        starts_on=starts_on,
        planned_end=planned_end,
        created_by=actor,
    )
    reasoning = _(
        "The household cannot find a place to stay for the coming night on its own. NAV must "
        "then find temporary accommodation (sosialtjenesteloven § 27)."
    )
    stay.decision = _issue(
        actor,
        stay,
        place=place,
        period_from=starts_on,
        period_to=planned_end,
        facts=facts,
        reasoning=reasoning,
        replaces=None,
    )
    stay = create_audited(
        actor=actor,
        action="stay_place",
        instance=stay,
        municipality=household.municipality,
        person_id=_applicant_id(household),
    )
    Segment.objects.create(
        stay=stay,
        place=place,
        starts_on=starts_on,
        price_per_night=place.price_per_night(persons),
        reason=family_reason,
    )
    _change(actor, stay, StayChangeKind.PLACED, starts_on, facts, decision=stay.decision)
    _store_letter(actor, stay.decision, stay)
    return stay


def _locked_open(stay: Stay) -> Stay:
    locked = Stay.objects.select_for_update().select_related("household", "case").get(pk=stay.pk)
    if locked.ended_on is not None:
        raise ValidationError(_("The stay has ended."))
    return locked


@transaction.atomic
def stay_extend(*, actor: User, stay: Stay, planned_end: dt.date, reason: str) -> Stay:
    """Extend the stay to a new last day: a new decision replaces the one in force."""
    require_stay_role(actor, stay.municipality_id)
    locked = _locked_open(stay)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if planned_end <= locked.planned_end:
        raise ValidationError(
            {"planned_end": _("The new last day must be after the day decided now.")}
        )
    segment = locked.segments.select_related("place__provider").last()
    assert segment is not None  # noqa: S101 - every stay has its first place
    decision = _issue(
        actor,
        locked,
        place=segment.place,
        period_from=locked.starts_on,
        period_to=planned_end,
        facts=reason,
        reasoning=_("The household still has no place to stay (sosialtjenesteloven § 27)."),
        replaces=locked.decision,
    )
    stay = update_audited(
        actor=actor,
        action="stay_extend",
        instance=locked,
        data={"planned_end": planned_end, "decision": decision},
        municipality=locked.municipality,
    )
    _change(actor, stay, StayChangeKind.EXTENDED, timezone.localdate(), reason, decision=decision)
    _store_letter(actor, decision, stay)
    return stay


@transaction.atomic
def stay_move(
    *, actor: User, stay: Stay, place: Place, on: dt.date, reason: str, family_reason: str = ""
) -> Stay:
    """Move the household to another place from the night of ``on``: the stay goes on (its
    days count from the first night), the new place has its own price, and a new decision
    names it."""
    require_stay_role(actor, stay.municipality_id)
    locked = _locked_open(stay)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the move.")})
    current = locked.segments.last()
    assert current is not None  # noqa: S101 - every stay has its first place
    if place.pk == current.place_id:
        raise ValidationError({"place": _("The household already stays there.")})
    if on <= current.starts_on:
        raise ValidationError({"on": _("The move must be after the household came to this place.")})
    if on >= locked.planned_end:
        raise ValidationError(
            {"on": _("The move must be before the stay's last day. Extend it first.")}
        )
    _check_place(place, locked.household, on, family_reason)
    current.ends_on = on
    current.save(update_fields=["ends_on"])
    Segment.objects.create(
        stay=locked,
        place=place,
        starts_on=on,
        price_per_night=place.price_per_night(locked.persons),
        reason=family_reason or reason,
    )
    decision = _issue(
        actor,
        locked,
        place=place,
        period_from=on,
        period_to=locked.planned_end,
        facts=reason,
        reasoning=_("The household moves to another temporary place (sosialtjenesteloven § 27)."),
        replaces=locked.decision,
    )
    stay = update_audited(
        actor=actor,
        action="stay_move",
        instance=locked,
        data={"decision": decision},
        municipality=locked.municipality,
    )
    _change(actor, stay, StayChangeKind.MOVED, on, reason, decision=decision)
    _store_letter(actor, decision, stay)
    return stay


@transaction.atomic
def stay_end(*, actor: User, stay: Stay, on: dt.date, reason: str, note: str = "") -> Stay:
    """End the stay on the morning the household leaves, with the reason."""
    require_stay_role(actor, stay.municipality_id)
    locked = _locked_open(stay)
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Choose why the stay ended.")})
    current = locked.segments.last()
    assert current is not None  # noqa: S101 - every stay has its first place
    if on <= current.starts_on:
        raise ValidationError({"on": _("The stay must end after the last move.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("A stay cannot be ended in advance. End it on the day.")})
    current.ends_on = on
    current.save(update_fields=["ends_on"])
    stay = update_audited(
        actor=actor,
        action="stay_end",
        instance=locked,
        data={"ended_on": on, "end_reason": reason, "end_note": note},
        municipality=locked.municipality,
    )
    _change(
        actor, stay, StayChangeKind.ENDED, on, note or str(EndReason(reason).label), decision=None
    )
    return stay


def _end_for_lasting_home(stay: Stay, starts: dt.date, note: str, actor: User | None) -> bool:
    """End an open stay on the day a lasting home begins, as a consequence of that home (no role
    of its own is needed). A stay whose last place began on or after that day is left for a
    caseworker to end."""
    locked = _locked_open(stay)
    current = locked.segments.last()
    if current is None or starts <= current.starts_on:
        return False
    current.ends_on = starts
    current.save(update_fields=["ends_on"])
    ended = update_audited(
        actor=actor,
        action="stay_end",
        instance=locked,
        data={"ended_on": starts, "end_reason": EndReason.LEASE_SIGNED, "end_note": note},
        municipality=locked.municipality,
    )
    _change(actor, ended, StayChangeKind.ENDED, starts, note, decision=None)
    return True


def stays_end_on_lease(lease: Lease, actor: User | None) -> None:
    """A lease has come into force (husly.tenancy.extensions): the household's open stay ends
    on the lease's first day, as signing a lease ends the need for a § 27 place. This is a
    consequence of the lease, not a caseworker's choice, so it needs no role of its own (the
    property manager who brings the lease into force may hold none in temporary accommodation).
    A stay whose last place began on or after that day is left for a caseworker to end."""
    for stay in Stay.objects.filter(household_id=lease.household_id, ended_on__isnull=True):
        with translation.override(stay.municipality.language_form):  # record text
            note = _("The lease for %(address)s came into force.") % {
                "address": str(lease.dwelling)
            }
        _end_for_lasting_home(stay, lease.start_date, note, actor)


def stays_end_on_brokerage(agreement: LandlordAgreement, actor: User | None) -> bool:
    """A household was brokered to a private dwelling (husly.landlords ``on_brokered``, kristiansund
    2.6): the lease between landlord and tenant ends the household's open § 27 stay on its first
    day, like a municipal lease does. Returns True when the household was in temporary
    accommodation, so the brokerage is counted as "from temporary accommodation" (KOSTRA and the
    leaders' figures), also when a stay is left open because it moved on or after that day."""
    if agreement.household_id is None:
        return False
    stays = list(Stay.objects.filter(household_id=agreement.household_id, ended_on__isnull=True))
    for stay in stays:
        with translation.override(stay.municipality.language_form):  # record text
            note = _("The brokered lease with %(landlord)s for %(address)s came into force.") % {
                "landlord": agreement.landlord.name,
                "address": agreement.offered_dwelling.address if agreement.offered_dwelling else "",
            }
        _end_for_lasting_home(stay, agreement.start_date, note, actor)
    return bool(stays)


# --- providers ---------------------------------------------------------------------------------


@transaction.atomic
def provider_create(
    *, actor: User, municipality: Municipality, data: Mapping[str, Any]
) -> Provider:
    require_stay_role(actor, municipality.pk, PROVIDER_WRITE)
    return create_audited(
        actor=actor,
        action="provider_create",
        instance=Provider(municipality=municipality, **data),
        municipality=municipality,
    )


@transaction.atomic
def place_create(*, actor: User, provider: Provider, data: Mapping[str, Any]) -> Place:
    require_stay_role(actor, provider.municipality_id, PROVIDER_WRITE)
    return create_audited(
        actor=actor,
        action="place_create",
        instance=Place(provider=provider, **data),
        municipality=provider.municipality,
    )


@transaction.atomic
def agreement_record(
    *, actor: User, provider: Provider, data: Mapping[str, Any]
) -> QualityAgreement:
    require_stay_role(actor, provider.municipality_id, PROVIDER_WRITE)
    return create_audited(
        actor=actor,
        action="agreement_record",
        instance=QualityAgreement(provider=provider, recorded_by=actor, **data),
        municipality=provider.municipality,
    )


@transaction.atomic
def inspection_record(*, actor: User, provider: Provider, data: Mapping[str, Any]) -> Inspection:
    require_stay_role(actor, provider.municipality_id, PROVIDER_WRITE)
    if data.get("inspected_on") and data["inspected_on"] > timezone.localdate():
        raise ValidationError({"inspected_on": _("An inspection cannot be in the future.")})
    return create_audited(
        actor=actor,
        action="inspection_record",
        instance=Inspection(provider=provider, recorded_by=actor, **data),
        municipality=provider.municipality,
    )


@transaction.atomic
def housing_situation_record(
    *, actor: User, household: Household, data: Mapping[str, Any]
) -> HousingSituation:
    """Record where the household lives now, by the national definition of homelessness; the
    situation before it ends the day before."""
    require_stay_role(actor, household.municipality_id, STAY_ROLES)
    situation = HousingSituation(household=household, recorded_by=actor, **data)
    before = (
        HousingSituation.objects.select_for_update()
        .filter(household=household, valid_to__isnull=True, valid_from__lt=situation.valid_from)
        .first()
    )
    if before is not None:
        update_audited(
            actor=actor,
            action="housing_situation_record",
            instance=before,
            data={"valid_to": situation.valid_from - dt.timedelta(days=1)},
            municipality=household.municipality,
        )
    return create_audited(
        actor=actor,
        action="housing_situation_record",
        instance=situation,
        municipality=household.municipality,
        person_id=_applicant_id(household),
    )

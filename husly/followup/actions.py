"""State changes of the follow-up app. Each is atomic, checks the actor's role first and
writes its audit event in the same transaction.

Sources: Rælingen appendix 4 points 9 (the housing team's overview), 11 (bo-plan at moving
in) and 12 (warnings copied to EIE, EIE takes over after three, the four conditions every
inspection documents); section 2.11 (inspection once a year, THO and EIE together); appendix 5
"rent when moving out" (notice period, vacancy by cause); husleieloven § 9-6 (three months'
notice from the end of the month); the thesis P5 (refused applicants followed up).
"""

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

from husly.cases.models import Decision, DecisionKind, DecisionStatus
from husly.core.actions import create_audited, update_audited
from husly.followup.models import (
    Contact,
    FollowUpSettings,
    HousingPlan,
    Incident,
    Inspection,
    InspectionKind,
    MoveOut,
    PlanStatus,
    RefusalFollowUp,
    VacancyCause,
    VacancySegment,
    WrittenWarning,
)
from husly.followup.selectors import (
    INSPECTION_ROLES,
    MOVE_OUT_READ,
    MOVE_OUT_WRITE,
    PLAN_ROLES,
    REFUSAL_ROLES,
    SETTINGS_WRITE,
    WARNING_WRITE,
    settings_for,
)
from husly.organisation.access import require_permission
from husly.organisation.models import Municipality, Unit, UnitKind, User
from husly.people.models import HouseholdMember
from husly.rules import deadlines
from husly.tenancy import actions as tenancy
from husly.tenancy.models import EndReason, Lease, LeaseStatus

CONDITIONS = ("fire_hazard", "cannot_inspect", "not_due_care", "access_refused")
"""The four conditions appendix 4 point 12 says must always be documented."""


def _applicant_id(household_id: int | None) -> int | None:
    if household_id is None:
        return None
    return (
        HouseholdMember.objects.filter(household_id=household_id, relation="applicant")
        .values_list("person_id", flat=True)
        .first()
    )


def _active(lease: Lease) -> Lease:
    locked = Lease.objects.select_for_update().get(pk=lease.pk)
    if locked.status != LeaseStatus.ACTIVE:
        raise ValidationError(_("The lease is not active."))
    return locked


# --- settings ---------------------------------------------------------------------------------


@transaction.atomic
def followup_settings_save(
    *, actor: User, municipality: Municipality, data: Mapping[str, Any]
) -> FollowUpSettings:
    """The municipality's own variant: warnings before the property unit takes over, days
    without contact before a tenant stands out, months between inspections, the property unit."""
    require_permission(actor, municipality.pk, SETTINGS_WRITE)
    unit = data.get("property_unit")
    if unit is not None and unit.municipality_id != municipality.pk:
        raise ValidationError({"property_unit": _("Choose a unit of the municipality.")})
    found = FollowUpSettings.objects.select_for_update().filter(municipality=municipality).first()
    if found is None:
        return create_audited(
            actor=actor,
            action="followup_settings_create",
            instance=FollowUpSettings(municipality=municipality, **data),
            municipality=municipality,
        )
    return update_audited(
        actor=actor,
        action="followup_settings_update",
        instance=found,
        data=data,
        municipality=municipality,
    )


# --- bo-plan ----------------------------------------------------------------------------------


@transaction.atomic
def housing_plan_offer(*, actor: User, lease: Lease, today: dt.date) -> HousingPlan:
    """Offer the tenant a bo-plan at moving in (appendix 4 point 11); the offer is a fact."""
    require_permission(actor, lease.municipality_id, PLAN_ROLES)
    locked = _active(lease)
    if HousingPlan.objects.filter(lease=locked).exists():
        raise ValidationError(_("The tenant has already been offered a bo-plan for this lease."))
    plan = HousingPlan(
        municipality_id=locked.municipality_id,
        lease=locked,
        household_id=locked.household_id,
        offered_on=today,
        responsible_unit=locked.follow_up_unit,
        contact_interval_days=settings_for(locked.municipality_id).contact_interval_days,
        created_by=actor,
    )
    return create_audited(
        actor=actor,
        action="housing_plan_offer",
        instance=plan,
        municipality=locked.municipality,
        person_id=_applicant_id(locked.household_id),
    )


@transaction.atomic
def housing_plan_answer(
    *, actor: User, plan: HousingPlan, accepted: bool, answered_on: dt.date
) -> HousingPlan:
    """Record the tenant's answer to the offer; accepted and declined are facts with dates.
    The follow-up worker records an answer given to them; the household answers itself in Min
    side (an adult member)."""
    require_permission(actor, plan.municipality_id, PLAN_ROLES, household_id=plan.household_id)
    locked = HousingPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.OFFERED:
        raise ValidationError(_("The tenant has already answered the offer."))
    if answered_on < locked.offered_on or answered_on > timezone.localdate():
        raise ValidationError(
            {"answered_on": _("The answer is dated between the offer and today.")}
        )
    data: dict[str, Any] = (
        {"status": PlanStatus.ACCEPTED, "accepted_on": answered_on}
        if accepted
        else {"status": PlanStatus.DECLINED, "declined_on": answered_on}
    )
    return update_audited(
        actor=actor,
        action="housing_plan_answer",
        instance=locked,
        data=data,
        municipality=locked.municipality,
    )


PLAN_FIELDS = (
    "goals",
    "services",
    "responsible_unit",
    "contact_person",
    "contact_interval_days",
    "next_review_on",
    "next_step",
)


@transaction.atomic
def housing_plan_update(*, actor: User, plan: HousingPlan, data: Mapping[str, Any]) -> HousingPlan:
    """Write the plan: goals, services, the responsible unit and contact person, how often
    someone is in contact, the next review and the next step on the housing career."""
    require_permission(actor, plan.municipality_id, PLAN_ROLES)
    locked = HousingPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status == PlanStatus.DECLINED:
        raise ValidationError(_("The tenant declined the bo-plan; it cannot be written."))
    unit = data.get("responsible_unit")
    if unit is not None and unit.municipality_id != locked.municipality_id:
        raise ValidationError({"responsible_unit": _("Choose a unit of the municipality.")})
    person = data.get("contact_person")
    if (
        person is not None
        and not person.memberships.filter(unit__municipality_id=locked.municipality_id).exists()
    ):
        raise ValidationError({"contact_person": _("Choose a staff member of the municipality.")})
    return update_audited(
        actor=actor,
        action="housing_plan_update",
        instance=locked,
        data={k: data[k] for k in PLAN_FIELDS if k in data},
        municipality=locked.municipality,
    )


@transaction.atomic
def contact_record(*, actor: User, plan: HousingPlan, data: Mapping[str, Any]) -> Contact:
    """A contact or home visit against the plan; a review may set the next review date."""
    require_permission(actor, plan.municipality_id, PLAN_ROLES)
    if plan.status == PlanStatus.DECLINED:
        raise ValidationError(_("The tenant declined the bo-plan; record contacts on the lease."))
    when = data["contact_on"]
    if when > timezone.localdate():
        raise ValidationError({"contact_on": _("A contact cannot be dated in the future.")})
    if when < plan.offered_on:
        raise ValidationError({"contact_on": _("A contact cannot be dated before the plan.")})
    unit = data.get("unit")
    if unit is not None and unit.municipality_id != plan.municipality_id:
        raise ValidationError({"unit": _("Choose a unit of the municipality.")})
    contact = create_audited(
        actor=actor,
        action="contact_record",
        instance=Contact(
            plan=plan,
            kind=data["kind"],
            contact_on=when,
            unit=unit,
            note=data["note"],
            recorded_by=actor,
        ),
        municipality=plan.municipality,
        person_id=_applicant_id(plan.household_id),
    )
    if data.get("next_review_on"):
        update_audited(
            actor=actor,
            action="housing_plan_review",
            instance=plan,
            data={"next_review_on": data["next_review_on"]},
            municipality=plan.municipality,
        )
    return contact


# --- incidents and warnings -------------------------------------------------------------------


@transaction.atomic
def incident_record(*, actor: User, lease: Lease, data: Mapping[str, Any]) -> Incident:
    """A breach of the house rules or the lease, damage, or a neighbour complaint."""
    require_permission(actor, lease.municipality_id, WARNING_WRITE | MOVE_OUT_WRITE)
    locked = _active(lease)
    if data["occurred_on"] > timezone.localdate():
        raise ValidationError({"occurred_on": _("It cannot have happened in the future.")})
    return create_audited(
        actor=actor,
        action="incident_record",
        instance=Incident(
            municipality_id=locked.municipality_id,
            lease=locked,
            household_id=locked.household_id,
            recorded_by=actor,
            **{k: data[k] for k in ("kind", "occurred_on", "reported_by", "description")},
        ),
        municipality=locked.municipality,
        person_id=_applicant_id(locked.household_id),
    )


def property_unit_of(municipality_id: int) -> Unit | None:
    configured = settings_for(municipality_id).property_unit
    if configured is not None:
        return configured
    return Unit.objects.filter(municipality_id=municipality_id, kind=UnitKind.PROPERTY).first()


@transaction.atomic
def warning_issue(*, actor: User, lease: Lease, data: Mapping[str, Any]) -> WrittenWarning:
    """Document the conversation with the tenant and the service unit as a written warning with
    a further plan, copied to the property unit. At the municipality's number of warnings
    (three in Rælingen) the property unit takes over and the process toward eviction goes on."""
    require_permission(actor, lease.municipality_id, WARNING_WRITE)
    locked = _active(lease)
    incident = data.get("incident")
    if incident is not None and incident.lease_id != locked.pk:
        raise ValidationError({"incident": _("Choose an incident recorded for this lease.")})
    if data["conversation_on"] > timezone.localdate():
        raise ValidationError(
            {"conversation_on": _("The conversation cannot be dated in the future.")}
        )
    for field in ("present", "problems", "plan"):
        if not str(data.get(field, "")).strip():
            raise ValidationError({field: _("This must be written in the warning.")})
    number = WrittenWarning.objects.filter(lease=locked).count() + 1
    threshold = settings_for(locked.municipality_id).warnings_before_takeover
    warning = WrittenWarning(
        municipality_id=locked.municipality_id,
        lease=locked,
        household_id=locked.household_id,
        incident=incident,
        number=number,
        conversation_on=data["conversation_on"],
        present=data["present"],
        problems=data["problems"],
        plan=data["plan"],
        service_unit=data.get("service_unit") or locked.follow_up_unit,
        copied_to=property_unit_of(locked.municipality_id),
        takeover=number >= threshold,
        language=locked.municipality.language_form,
        issued_on=timezone.localdate(),
        issued_by=actor,
    )
    create_audited(
        actor=actor,
        action="warning_issue",
        instance=warning,
        municipality=locked.municipality,
        person_id=_applicant_id(locked.household_id),
    )
    from husly.followup.letters import render_warning

    pdf = render_warning(warning)
    warning.letter.save(f"advarsel-{warning.pk}.pdf", ContentFile(pdf), save=False)
    warning.letter_sha256 = hashlib.sha256(pdf).hexdigest()
    warning.save(update_fields=["letter", "letter_sha256"])
    return warning


# --- inspections ------------------------------------------------------------------------------


@transaction.atomic
def inspection_schedule(
    *, actor: User, lease: Lease, planned_on: dt.date, kind: str = InspectionKind.ANNUAL
) -> Inspection:
    """Plan an inspection; the tenant sees the notice in Min side."""
    require_permission(actor, lease.municipality_id, INSPECTION_ROLES)
    locked = _active(lease)
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": _("An inspection is planned for a future date.")})
    if kind not in InspectionKind.values:
        raise ValidationError({"kind": _("Choose the kind of inspection.")})
    return create_audited(
        actor=actor,
        action="inspection_schedule",
        instance=Inspection(
            municipality_id=locked.municipality_id,
            dwelling_id=locked.dwelling_id,
            lease=locked,
            household_id=locked.household_id,
            kind=kind,
            planned_on=planned_on,
            recorded_by=actor,
        ),
        municipality=locked.municipality,
        person_id=_applicant_id(locked.household_id),
    )


INSPECTION_FIELDS = ("inspected_on", "inspectors", "state", "maintenance_needs", "service_needs")


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    lease: Lease,
    data: Mapping[str, Any],
    inspection: Inspection | None = None,
    move_out: MoveOut | None = None,
) -> Inspection:
    """Record what was found: the state, maintenance and service needs, and each of the four
    conditions answered yes or no (none may be left out). A planned inspection is completed;
    for a move-out it is the final inspection."""
    require_permission(actor, lease.municipality_id, INSPECTION_ROLES)
    missing = [c for c in CONDITIONS if data.get(c) is None]
    if missing:
        raise ValidationError(
            {c: _("Answer yes or no: this must always be documented.") for c in missing}
        )
    when = data.get("inspected_on")
    if when is None or when > timezone.localdate():
        raise ValidationError({"inspected_on": _("Give the date the inspection was held.")})
    if not str(data.get("state", "")).strip():
        raise ValidationError({"state": _("Describe the dwelling's state.")})
    values = {k: data.get(k, "") for k in INSPECTION_FIELDS} | {c: data[c] for c in CONDITIONS}
    if inspection is not None:
        if inspection.lease_id != lease.pk or inspection.inspected_on is not None:
            raise ValidationError(_("This inspection is already recorded."))
        return update_audited(
            actor=actor,
            action="inspection_record",
            instance=inspection,
            data=values,
            municipality=lease.municipality,
        )
    if move_out is not None:
        if move_out.lease_id != lease.pk or move_out.final_inspection_id is not None:
            raise ValidationError(_("The final inspection is already recorded."))
    elif lease.status != LeaseStatus.ACTIVE:
        raise ValidationError(_("The lease is not active."))
    recorded = create_audited(
        actor=actor,
        action="inspection_record",
        instance=Inspection(
            municipality_id=lease.municipality_id,
            dwelling_id=lease.dwelling_id,
            lease=lease,
            household_id=lease.household_id,
            kind=InspectionKind.FINAL if move_out is not None else InspectionKind.ANNUAL,
            recorded_by=actor,
            **values,
        ),
        municipality=lease.municipality,
        person_id=_applicant_id(lease.household_id),
    )
    if move_out is not None:
        update_audited(
            actor=actor,
            action="move_out_final_inspection",
            instance=move_out,
            data={"final_inspection": recorded},
            municipality=lease.municipality,
        )
    return recorded


# --- moving out -------------------------------------------------------------------------------


def notice_ends(received_on: dt.date, months: int) -> dt.date:
    """Husleieloven § 9-6: the notice period runs from the end of the month the notice is
    given; the tenancy's last day is the last day of the month ``months`` later."""
    first = received_on.replace(day=1)
    return deadlines.add_months(first, months + 1) - dt.timedelta(days=1)


@transaction.atomic
def move_out_notice(
    *,
    actor: User,
    lease: Lease,
    notice_received_on: dt.date,
    notice_months: int,
    agreed_last_day: dt.date | None = None,
) -> MoveOut:
    """The tenant gives notice. The last day follows from the notice period, unless the
    property unit agrees an earlier day with the tenant (recorded as agreed)."""
    require_permission(actor, lease.municipality_id, MOVE_OUT_READ)
    locked = _active(lease)
    if MoveOut.objects.filter(lease=locked).exists():
        raise ValidationError(_("Notice has already been recorded for this lease."))
    if notice_received_on > timezone.localdate():
        raise ValidationError({"notice_received_on": _("Notice cannot be dated in the future.")})
    last_day = agreed_last_day or notice_ends(notice_received_on, notice_months)
    if last_day < notice_received_on:
        raise ValidationError({"agreed_last_day": _("The last day comes after the notice.")})
    return create_audited(
        actor=actor,
        action="move_out_notice",
        instance=MoveOut(
            municipality_id=locked.municipality_id,
            lease=locked,
            household_id=locked.household_id,
            notice_received_on=notice_received_on,
            notice_months=notice_months,
            moving_out_on=last_day,
            recorded_by=actor,
        ),
        municipality=locked.municipality,
        person_id=_applicant_id(locked.household_id),
    )


@transaction.atomic
def move_out_complete(*, actor: User, move_out: MoveOut) -> MoveOut:
    """The tenant has left: the lease ends on the last day (tenancy's ``lease_end``, so the
    dwelling is vacant from the day after) and the vacancy starts, caused by repairs until the
    dwelling is ready again."""
    require_permission(actor, move_out.municipality_id, MOVE_OUT_WRITE)
    locked = MoveOut.objects.select_for_update().get(pk=move_out.pk)
    lease = Lease.objects.get(pk=locked.lease_id)
    if lease.status != LeaseStatus.ACTIVE:
        raise ValidationError(_("The lease has already ended."))
    if locked.moving_out_on > timezone.localdate():
        raise ValidationError(
            _("The tenancy's last day is %(date)s; complete the move-out after it.")
            % {"date": locked.moving_out_on.strftime("%d.%m.%Y")}
        )
    # The lease's end starts the vacancy (``vacancy_on_lease_end``), linked to this move-out.
    tenancy.lease_end(
        actor=actor, lease=lease, ended_on=locked.moving_out_on, reason=EndReason.MOVED_OUT
    )
    return locked


NO_VACANCY = frozenset({EndReason.RENEWED, EndReason.PURCHASED})
"""Lease ends that leave nobody's home empty: the tenant stays (renewed), or owns it now."""


def vacancy_on_lease_end(lease: Lease, actor: User | None) -> None:
    """Tenancy's ``on_lease_ended`` handler: every lease that leaves the dwelling empty starts
    a vacancy segment the day after its last day, whatever ended it, caused by repairs until
    the dwelling is ready again (``move_out_ready``/``vacancy_ready``). Not when the tenant
    stays (renewal, purchase) or another lease of the dwelling still runs."""
    if lease.end_reason in NO_VACANCY or lease.ended_on is None:
        return
    starts = lease.ended_on + dt.timedelta(days=1)
    others = Lease.objects.filter(dwelling_id=lease.dwelling_id, status=LeaseStatus.ACTIVE)
    if others.exclude(pk=lease.pk).exists():
        return
    if VacancySegment.objects.filter(dwelling_id=lease.dwelling_id, ends_on__isnull=True).exists():
        return
    create_audited(
        actor=actor,
        action="vacancy_start",
        instance=VacancySegment(
            municipality_id=lease.municipality_id,
            dwelling_id=lease.dwelling_id,
            lease=lease,
            end_reason=lease.end_reason,
            move_out=MoveOut.objects.filter(lease=lease).first(),
            cause=VacancyCause.REPAIRS,
            starts_on=starts,
        ),
        municipality=lease.municipality,
    )


def vacancy_end_on_lease_start(lease: Lease, actor: User | None) -> None:
    """Tenancy's ``on_lease_activated`` handler: the dwelling's next lease ends its open
    vacancy on the lease's first day (stored, so the days are a fact, not recomputed)."""
    for segment in VacancySegment.objects.select_for_update().filter(
        dwelling_id=lease.dwelling_id, ends_on__isnull=True, starts_on__lte=lease.start_date
    ):
        update_audited(
            actor=actor,
            action="vacancy_end",
            instance=segment,
            data={"ends_on": lease.start_date},
            municipality=lease.municipality,
        )


@transaction.atomic
def move_out_ready(
    *, actor: User, move_out: MoveOut, ready_on: dt.date, repairs: str, cause: str
) -> MoveOut:
    """The dwelling is ready again: the repairs (or renovation) segment of the vacancy ends,
    and the wait for the next tenant begins; it ends when the next lease starts."""
    require_permission(actor, move_out.municipality_id, MOVE_OUT_WRITE)
    locked = MoveOut.objects.select_for_update().get(pk=move_out.pk)
    if cause not in {VacancyCause.REPAIRS, VacancyCause.RENOVATION}:
        raise ValidationError({"cause": _("Choose repairs or renovation.")})
    if locked.final_inspection_id is None:
        raise ValidationError(_("Record the final inspection first."))
    if locked.ready_on is not None:
        raise ValidationError(_("The dwelling is already recorded as ready."))
    segment = VacancySegment.objects.filter(move_out=locked, ends_on__isnull=True).first()
    if segment is None:
        raise ValidationError(_("Complete the move-out first: the tenant has not left yet."))
    if ready_on < segment.starts_on or ready_on > timezone.localdate():
        raise ValidationError(
            {"ready_on": _("The dwelling is ready after the tenant left, and not in the future.")}
        )
    update_audited(
        actor=actor,
        action="vacancy_cause_end",
        instance=segment,
        data={"ends_on": ready_on, "cause": cause},
        municipality=locked.municipality,
    )
    create_audited(
        actor=actor,
        action="vacancy_start",
        instance=VacancySegment(
            municipality_id=locked.municipality_id,
            dwelling_id=segment.dwelling_id,
            move_out=locked,
            cause=VacancyCause.LETTING,
            starts_on=ready_on,
        ),
        municipality=locked.municipality,
    )
    return update_audited(
        actor=actor,
        action="move_out_ready",
        instance=locked,
        data={"ready_on": ready_on, "repairs": repairs},
        municipality=locked.municipality,
    )


# --- refused households ---------------------------------------------------------------------


def _require_refusal_role(actor: User, decision: Decision) -> None:
    require_permission(
        actor,
        decision.case.municipality_id,
        REFUSAL_ROLES,
        unit_roles={"caseworker", "approver"},
        unit_ids=decision.case.routings.values_list("unit_id", flat=True),
        stacklevel=2,
    )


@transaction.atomic
def refusal_follow_up_record(
    *, actor: User, decision: Decision, data: Mapping[str, Any]
) -> RefusalFollowUp:
    """A refused household is not dropped: record what it was referred to and when someone
    follows up (the thesis, "de som havner utenfor")."""
    _require_refusal_role(actor, decision)
    if decision.kind != DecisionKind.REFUSAL or decision.status != DecisionStatus.ISSUED:
        raise ValidationError(_("Only an issued refusal is followed up here."))
    if not str(data.get("referred_to", "")).strip():
        raise ValidationError({"referred_to": _("Write what the household was referred to.")})
    if data["follow_up_on"] < (decision.issued_on or timezone.localdate()):
        raise ValidationError({"follow_up_on": _("The follow-up comes after the refusal.")})
    found = RefusalFollowUp.objects.select_for_update().filter(decision=decision).first()
    values = {"referred_to": data["referred_to"], "follow_up_on": data["follow_up_on"]}
    if found is not None:
        return update_audited(
            actor=actor,
            action="refusal_follow_up_update",
            instance=found,
            data=values,
            municipality=decision.case.municipality,
        )
    return create_audited(
        actor=actor,
        action="refusal_follow_up_record",
        instance=RefusalFollowUp(
            municipality_id=decision.case.municipality_id,
            decision=decision,
            household_id=decision.case.household_id,
            recorded_by=actor,
            **values,
        ),
        municipality=decision.case.municipality,
        person_id=_applicant_id(decision.case.household_id),
    )


@transaction.atomic
def refusal_followed_up(
    *, actor: User, follow_up: RefusalFollowUp, followed_up_on: dt.date, outcome: str
) -> RefusalFollowUp:
    """Someone followed the household up; what came of it is written down."""
    _require_refusal_role(actor, follow_up.decision)
    if followed_up_on > timezone.localdate():
        raise ValidationError({"followed_up_on": _("Cannot be dated in the future.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write what came of the follow-up.")})
    return update_audited(
        actor=actor,
        action="refusal_followed_up",
        instance=follow_up,
        data={"followed_up_on": followed_up_on, "outcome": outcome},
        municipality=follow_up.decision.case.municipality,
    )

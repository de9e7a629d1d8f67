"""State changes of settlement decisions, requests and cases. Each is atomic, checks the
actor's role first (``require_settlement_role``) and records its change event.

Sources: kristiansund.md 2.1 (request → council decision → dwelling → arrival), 2.2 (controlled
self-settlement: the municipality approves the dwelling against criteria, IMDi approves the
settlement), 2.3 (a conscious, recorded choice of dwelling), 4.2; journey J8.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.core.actions import create_audited, update_audited
from husly.core.stored_letters import store_letter
from husly.housing.actions import dwelling_status_change
from husly.housing.models import Building, Dwelling, DwellingStatus, Ownership
from husly.landlords.models import OfferedDwelling
from husly.organisation.models import Municipality, User
from husly.people.actions import household_create, person_create
from husly.settlement.models import (
    ApprovalStatus,
    BuildingSurroundings,
    CaseStatus,
    DwellingSource,
    ImdiStatus,
    RequestStatus,
    SelfSettlement,
    SettlementCase,
    SettlementDecision,
    SettlementFact,
    SettlementRequest,
)
from husly.settlement.selectors import (
    case_cost_frame,
    minimum_lease_months,
    private_proposal_for,
    proposal_for,
    require_settlement_role,
)
from husly.tenancy.models import Lease, LeaseStatus

MAX_AGE = 120
"""An age above this is a typing error."""


def _applicant_id(case: SettlementCase) -> int | None:
    member = case.household.members.filter(relation="applicant").first()
    return member.person_id if member else None


@transaction.atomic
def settlement_decision_record(
    *, actor: User, municipality: Municipality, data: Mapping[str, Any]
) -> SettlementDecision:
    """Record the council's decision for a year, or correct it (kristiansund L89–92)."""
    require_settlement_role(actor, municipality.pk)
    existing = (
        SettlementDecision.objects.select_for_update()
        .filter(municipality=municipality, year=data["year"])
        .first()
    )
    if existing is not None:
        return update_audited(
            actor=actor,
            action="settlement_decision_update",
            instance=existing,
            data={**data, "recorded_by": actor, "recorded_at": timezone.now()},
            municipality=municipality,
        )
    return create_audited(
        actor=actor,
        action="settlement_decision_record",
        instance=SettlementDecision(municipality=municipality, recorded_by=actor, **data),
        municipality=municipality,
    )


@transaction.atomic
def settlement_request_register(
    *, actor: User, municipality: Municipality, data: Mapping[str, Any]
) -> SettlementRequest:
    """Register IMDi's request to settle a person or family, with the facts IMDi gives."""
    require_settlement_role(actor, municipality.pk)
    request = SettlementRequest(municipality=municipality, registered_by=actor, **data)
    ages = [a.strip() for a in request.ages.replace(";", ",").split(",") if a.strip()]
    if not ages or any(not a.isdigit() or int(a) > MAX_AGE for a in ages):
        raise ValidationError({"ages": _("Write each age as a whole number, separated by commas.")})
    if len(ages) != request.household_size:
        raise ValidationError(
            {
                "ages": _("Give one age for each of the %(n)s persons.")
                % {"n": request.household_size}
            }
        )
    if request.received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date received cannot be in the future.")})
    return create_audited(
        actor=actor,
        action="settlement_request_register",
        instance=request,
        municipality=municipality,
    )


def _answerable(request: SettlementRequest) -> SettlementRequest:
    locked = SettlementRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.RECEIVED:
        raise ValidationError(_("This request has already been answered."))
    return locked


@transaction.atomic
def settlement_request_accept(
    *,
    actor: User,
    request: SettlementRequest,
    applicant: Mapping[str, Any],
    expected_arrival: dt.date,
) -> SettlementCase:
    """Accept the request: the household's main person and the household are registered
    (the person register), and a settlement case is opened with the expected arrival."""
    require_settlement_role(actor, request.municipality_id)
    locked = _answerable(request)
    today = timezone.localdate()
    if expected_arrival < locked.received_on:
        raise ValidationError(
            {"expected_arrival": _("The arrival cannot be before the request was received.")}
        )
    person_data = {
        "municipality": locked.municipality,
        "given_name": applicant["given_name"],
        "family_name": applicant["family_name"],
        "national_id": applicant.get("national_id") or "",
        "date_of_birth": applicant.get("date_of_birth"),
        "residence_permit": "protection",
    }
    if not person_data["national_id"] and not person_data["date_of_birth"]:
        raise ValidationError(
            {"date_of_birth": _("Give the date of birth or the identity number (D-number).")}
        )
    person = person_create(actor=actor, data=person_data)
    household = household_create(
        actor=actor,
        data={"municipality": locked.municipality, "name": applicant["family_name"]},
        applicant=person,
    )
    update_audited(
        actor=actor,
        action="settlement_request_accept",
        instance=locked,
        data={"status": RequestStatus.ACCEPTED, "answered_on": today},
        municipality=locked.municipality,
    )
    case = create_audited(
        actor=actor,
        action="settlement_case_open",
        instance=SettlementCase(
            request=locked,
            municipality=locked.municipality,
            household=household,
            expected_arrival=expected_arrival,
            caseworker=actor,
        ),
        municipality=locked.municipality,
        person_id=person.pk,
    )
    _store_answer(actor, locked)
    return case


def _store_answer(actor: User, request: SettlementRequest) -> None:
    """The answer to IMDi as a PDF in the municipality's written standard, stored as sent."""
    from husly.settlement.letters import request_answer_pdf

    request.refresh_from_db()
    store_letter(
        request,
        request_answer_pdf(request, actor=actor),
        name=f"svar-imdi-{request.pk}.pdf",
        field="answer_letter",
    )


@transaction.atomic
def settlement_request_decline(
    *, actor: User, request: SettlementRequest, reason: str
) -> SettlementRequest:
    """Decline the request, with the reason IMDi is given."""
    require_settlement_role(actor, request.municipality_id)
    locked = _answerable(request)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the request is declined.")})
    declined = update_audited(
        actor=actor,
        action="settlement_request_decline",
        instance=locked,
        data={
            "status": RequestStatus.DECLINED,
            "answered_on": timezone.localdate(),
            "decline_reason": reason.strip(),
        },
        municipality=locked.municipality,
    )
    _store_answer(actor, declined)
    return declined


def _open_case(case: SettlementCase) -> SettlementCase:
    locked = (
        SettlementCase.objects.select_for_update()
        .select_related("request", "household", "municipality")
        .get(pk=case.pk)
    )
    if locked.status == CaseStatus.ARRIVED:
        raise ValidationError(_("The household has arrived; the case is finished."))
    return locked


def _release(actor: User, case: SettlementCase) -> None:
    """A dwelling of the register (owned or head-leased) reserved for the case becomes vacant
    again when another is chosen."""
    if case.lease_id is not None:
        raise ValidationError(
            _("A lease has been written for the chosen dwelling; the choice can no longer change.")
        )
    if case.dwelling_id:
        dwelling = Dwelling.objects.get(pk=case.dwelling_id)
        if dwelling.status == DwellingStatus.RESERVED:
            dwelling_status_change(
                actor=actor,
                dwelling=dwelling,
                status=DwellingStatus.VACANT,
                valid_from=timezone.localdate(),
                reason=_record_text(case, "Another dwelling was chosen for the settlement"),
            )


def _record_text(case: SettlementCase, text: str) -> str:
    with translation.override(case.municipality.language_form):
        return _(text)


@transaction.atomic
def settlement_dwelling_choose(
    *, actor: User, case: SettlementCase, dwelling: Dwelling, reason: str
) -> SettlementCase:
    """Choose a vacant dwelling of the municipal register (owned, or head-leased and sublet)
    before arrival, with the criteria shown at the time and the caseworker's reason; the
    dwelling is reserved for the household."""
    require_settlement_role(actor, case.municipality_id)
    locked = _open_case(case)
    if not reason.strip():
        raise ValidationError({"reason": _("Record why this dwelling was chosen.")})
    today = timezone.localdate()
    Dwelling.objects.select_for_update().get(pk=dwelling.pk)
    proposal = proposal_for(locked, dwelling.pk, today)
    if proposal is None:
        raise ValidationError(
            _("The dwelling is no longer vacant, or belongs to another municipality.")
        )
    _release(actor, locked)
    dwelling_status_change(
        actor=actor,
        dwelling=proposal.dwelling,
        status=DwellingStatus.RESERVED,
        valid_from=today,
        reason=_record_text(locked, "Reserved for a refugee household being settled"),
    )
    return update_audited(
        actor=actor,
        action="settlement_dwelling_choose",
        instance=locked,
        data={
            "status": CaseStatus.CHOSEN,
            "dwelling_source": (
                DwellingSource.MUNICIPAL
                if proposal.dwelling.ownership == Ownership.OWNED
                else DwellingSource.HEAD_LEASE
            ),
            "dwelling": proposal.dwelling,
            "private_dwelling": None,
            "private_dwelling_reference": "",
            "choice_reason": reason.strip(),
            "choice_criteria": proposal.criteria,
            "chosen_on": today,
        },
        municipality=locked.municipality,
    )


@transaction.atomic
def settlement_private_dwelling_record(
    *, actor: User, case: SettlementCase, source: str, reference: str, reason: str
) -> SettlementCase:
    """Record a head-leased or brokered private dwelling found for the household, by its
    reference in the landlords register, with the reason for the choice."""
    require_settlement_role(actor, case.municipality_id)
    locked = _open_case(case)
    if source not in {DwellingSource.HEAD_LEASE, DwellingSource.BROKERED}:
        raise ValidationError({"source": _("Choose a head-leased or a brokered private dwelling.")})
    if not reference.strip():
        raise ValidationError(
            {"reference": _("Give the dwelling's reference in the landlords register.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Record why this dwelling was chosen.")})
    _release(actor, locked)
    return update_audited(
        actor=actor,
        action="settlement_private_dwelling_record",
        instance=locked,
        data={
            "status": CaseStatus.CHOSEN,
            "dwelling_source": source,
            "dwelling": None,
            "private_dwelling": None,
            "private_dwelling_reference": reference.strip(),
            "choice_reason": reason.strip(),
            "choice_criteria": {},
            "chosen_on": timezone.localdate(),
        },
        municipality=locked.municipality,
    )


@transaction.atomic
def settlement_private_dwelling_choose(
    *, actor: User, case: SettlementCase, offered: OfferedDwelling, reason: str
) -> SettlementCase:
    """Choose a private dwelling a landlord offers (approved in the landlords register) for the
    household before arrival, with the criteria shown at the time and the reason; the
    brokerage agreement and the landlord's lease then follow in the landlords register
    (kristiansund 2.1 and 2.6: the dwelling is found before arrival, also on the private
    market)."""
    require_settlement_role(actor, case.municipality_id)
    locked = _open_case(case)
    if not reason.strip():
        raise ValidationError({"reason": _("Record why this dwelling was chosen.")})
    OfferedDwelling.objects.select_for_update().get(pk=offered.pk)
    proposal = private_proposal_for(locked, offered.pk, timezone.localdate())
    if proposal is None:
        raise ValidationError(
            _("The landlord's dwelling is no longer free, or belongs to another municipality.")
        )
    _release(actor, locked)
    return update_audited(
        actor=actor,
        action="settlement_private_dwelling_choose",
        instance=locked,
        data={
            "status": CaseStatus.CHOSEN,
            "dwelling_source": DwellingSource.BROKERED,
            "dwelling": None,
            "private_dwelling": proposal.offered,
            "private_dwelling_reference": "",
            "choice_reason": reason.strip(),
            "choice_criteria": proposal.criteria,
            "chosen_on": timezone.localdate(),
        },
        municipality=locked.municipality,
    )


@transaction.atomic
def self_settlement_assess(
    *, actor: User, case: SettlementCase, data: Mapping[str, Any]
) -> SelfSettlement:
    """The municipality's check of a dwelling the refugee found (controlled self-settlement,
    kristiansund L1182–1199, L641–650): standard, rent within the cost frame, lease length and
    the contract check. Approval needs every point met; a refusal records why."""
    require_settlement_role(actor, case.municipality_id)
    locked = _open_case(case)
    today = timezone.localdate()
    frame = case_cost_frame(locked, today)
    if frame.amount is None:
        raise ValidationError(
            _(
                "The municipality has no cost frame for settlement in its parameters; "
                "it must be set first."
            )
        )
    minimum = minimum_lease_months(locked.municipality, today)
    values = {
        "address": data["address"],
        "landlord": data["landlord"],
        "monthly_rent": data["monthly_rent"],
        "lease_months": data["lease_months"],
        "standard_ok": bool(data.get("standard_ok")),
        "contract_ok": bool(data.get("contract_ok")),
        "landlord_concern": (data.get("landlord_concern") or "").strip(),
        "note": (data.get("note") or "").strip(),
        "cost_frame": frame.amount,
        "cost_frame_source": frame.source[:300],
        "minimum_lease_months": minimum,
        "decided_on": today,
    }
    failing = []
    if not values["standard_ok"]:
        failing.append(_("the standard is not acceptable"))
    if values["monthly_rent"] > frame.amount:
        failing.append(
            _("the rent %(rent)s is above the cost frame %(frame)s")
            % {"rent": values["monthly_rent"], "frame": frame.amount}
        )
    if values["lease_months"] < minimum:
        failing.append(_("the lease is shorter than %(n)s months") % {"n": minimum})
    if not values["contract_ok"] or values["landlord_concern"]:
        failing.append(_("the contract check found a problem"))
    approve = data.get("decision") == ApprovalStatus.APPROVED
    if approve and failing:
        raise ValidationError(
            _("The dwelling cannot be approved: %(why)s.") % {"why": "; ".join(failing)}
        )
    if not approve and not values["note"]:
        raise ValidationError({"note": _("Record why the dwelling is not approved.")})
    values["status"] = ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED
    _release(actor, locked)
    existing = SelfSettlement.objects.select_for_update().filter(case=locked).first()
    if existing is None:
        approval = create_audited(
            actor=actor,
            action="self_settlement_assess",
            instance=SelfSettlement(case=locked, **values),
            municipality=locked.municipality,
            person_id=_applicant_id(locked),
        )
    else:
        approval = update_audited(
            actor=actor,
            action="self_settlement_assess",
            instance=existing,
            data={**values, "imdi_status": ImdiStatus.NOT_SENT, "imdi_answered_on": None},
            municipality=locked.municipality,
        )
    update_audited(
        actor=actor,
        action="settlement_case_self_settled" if approve else "settlement_case_self_refused",
        instance=locked,
        data={
            "status": CaseStatus.CHOSEN if approve else CaseStatus.FINDING,
            "dwelling_source": DwellingSource.SELF_SETTLED if approve else "",
            "dwelling": None,
            "private_dwelling": None,
            "private_dwelling_reference": "",
            "choice_reason": values["note"] if approve else "",
            "choice_criteria": {},
            "chosen_on": today if approve else None,
        },
        municipality=locked.municipality,
    )
    from husly.settlement.letters import self_settlement_pdf

    approval.refresh_from_db()
    store_letter(
        approval,
        self_settlement_pdf(approval, actor=actor),
        name=f"selvbosetting-{approval.pk}.pdf",
    )
    return approval


@transaction.atomic
def self_settlement_imdi_record(
    *, actor: User, approval: SelfSettlement, status: str, answered_on: dt.date | None
) -> SelfSettlement:
    """Track IMDi's approval of the self-settlement: sent, approved or refused."""
    require_settlement_role(actor, approval.case.municipality_id)
    locked = SelfSettlement.objects.select_for_update().select_related("case").get(pk=approval.pk)
    if locked.status != ApprovalStatus.APPROVED:
        raise ValidationError(_("Only a dwelling the municipality approved goes to IMDi."))
    if locked.case.status == CaseStatus.ARRIVED:
        raise ValidationError(_("The household has arrived; the case is finished."))
    if status not in ImdiStatus.values or status == ImdiStatus.NOT_SENT:
        raise ValidationError({"status": _("Choose IMDi's answer.")})
    if status in {ImdiStatus.APPROVED, ImdiStatus.REFUSED} and answered_on is None:
        raise ValidationError({"answered_on": _("Give the date IMDi answered.")})
    if answered_on is not None and answered_on > timezone.localdate():
        raise ValidationError({"answered_on": _("The date cannot be in the future.")})
    return update_audited(
        actor=actor,
        action="self_settlement_imdi_record",
        instance=locked,
        data={
            "imdi_status": status,
            "imdi_answered_on": answered_on if status != ImdiStatus.PENDING else None,
        },
        municipality=locked.case.municipality,
    )


@transaction.atomic
def settlement_lease_create(*, actor: User, case: SettlementCase, data: Mapping[str, Any]) -> Lease:
    """Write the lease of the chosen dwelling of the municipal register (owned, or a sublease
    of a head-leased one; a draft in ``husly.tenancy``; it is then sent, signed and comes into
    force there, as every lease)."""
    from husly.tenancy.actions import _create, _store_document

    require_settlement_role(actor, case.municipality_id)
    locked = _open_case(case)
    if locked.dwelling_id is None:
        raise ValidationError(
            _("A lease is written here only for a chosen dwelling of the municipal register.")
        )
    if locked.lease_id is not None:
        raise ValidationError(_("The lease has already been written."))
    lease = _create(
        actor, Dwelling.objects.get(pk=locked.dwelling_id), data, household=locked.household
    )
    _store_document(lease)
    update_audited(
        actor=actor,
        action="settlement_lease_create",
        instance=locked,
        data={"lease": lease},
        municipality=locked.municipality,
    )
    return lease


@transaction.atomic
def settlement_arrival_record(
    *, actor: User, case: SettlementCase, data: Mapping[str, Any]
) -> SettlementCase:
    """The household has arrived: the date, the introduction programme contact, whether the
    rent is deducted from the introduction benefit (the rent ledger books the deductions), and
    where the bo-plan is kept. The stored fact for the leaders' figures is written here."""
    require_settlement_role(actor, case.municipality_id)
    locked = _open_case(case)
    arrived_on = data["arrived_on"]
    if locked.status != CaseStatus.CHOSEN:
        raise ValidationError(_("Choose the dwelling before the household arrives."))
    if arrived_on > timezone.localdate():
        raise ValidationError({"arrived_on": _("The arrival cannot be in the future.")})
    request = locked.request
    if arrived_on < request.received_on:
        raise ValidationError(
            {"arrived_on": _("The arrival cannot be before the request was received.")}
        )
    if locked.dwelling_id is not None:
        lease = locked.lease
        if lease is None or lease.status not in {LeaseStatus.SIGNED, LeaseStatus.ACTIVE}:
            raise ValidationError(_("The lease must be signed by both parties before arrival."))
    if locked.dwelling_source == DwellingSource.SELF_SETTLED:
        approval = SelfSettlement.objects.filter(case=locked).first()
        if approval is None or approval.imdi_status != ImdiStatus.APPROVED:
            raise ValidationError(_("IMDi must approve the self-settlement before arrival."))
    deducted = bool(data.get("rent_deducted_from_benefit"))
    amount = data.get("monthly_deduction")
    if deducted and not amount:
        raise ValidationError({"monthly_deduction": _("Give the monthly amount deducted.")})
    update_audited(
        actor=actor,
        action="settlement_arrival_record",
        instance=locked,
        data={
            "status": CaseStatus.ARRIVED,
            "arrived_on": arrived_on,
            "introduction_contact": (data.get("introduction_contact") or "").strip(),
            "rent_deducted_from_benefit": deducted,
            "monthly_deduction": amount if deducted else None,
            "bo_plan_note": (data.get("bo_plan_note") or "").strip(),
        },
        municipality=locked.municipality,
    )
    SettlementFact.objects.create(
        case=locked,
        municipality=locked.municipality,
        year=arrived_on.year,
        persons=request.household_size,
        resettlement=request.resettlement,
        dwelling_source=locked.dwelling_source,
        days_request_to_arrival=(arrived_on - request.received_on).days,
    )
    return locked


@transaction.atomic
def building_surroundings_save(
    *, actor: User, building: Building, data: Mapping[str, Any]
) -> BuildingSurroundings:
    """Record the walking distances from a building to school, kindergarten and the centre,
    and how many homes the building has in all (for the spread shares)."""
    require_settlement_role(actor, building.municipality_id)
    existing = BuildingSurroundings.objects.select_for_update().filter(building=building).first()
    if existing is None:
        return create_audited(
            actor=actor,
            action="building_surroundings_save",
            instance=BuildingSurroundings(building=building, **data),
            municipality=building.municipality,
        )
    return update_audited(
        actor=actor,
        action="building_surroundings_save",
        instance=existing,
        data=data,
        municipality=building.municipality,
    )

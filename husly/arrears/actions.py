"""Every change to arrears cases, rent meetings, repayment agreements and NAV coverage.

Each action checks its actor's role (``require_arrears_role``), runs in one transaction and
records its change event. No step is ever taken by the scan: the scan opens cases, updates the
arrears, checks agreements and closes cases that are paid up; a person prepares each step and
another confirmation (``arrears_step_confirm``) produces and "sends" its letter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.arrears import engine, sources
from husly.arrears.models import (
    AgreementStatus,
    ArrearsCase,
    ArrearsFact,
    ArrearsStep,
    CaseOrigin,
    CaseStatus,
    CloseReason,
    FactKind,
    Instalment,
    LandlordKind,
    MeetingItem,
    MeetingStatus,
    NavCoverage,
    RentMeeting,
    RepaymentAgreement,
    StepStatus,
)
from husly.arrears.procedure import LETTER_KINDS, StepKind
from husly.arrears.selectors import (
    AGREEMENT_ROLES,
    MEETING_ROLES,
    NAV_ROLES,
    STEP_ROLES,
    active_agreement,
    agenda_for,
    assessment,
    procedure_for_municipality,
    procedure_of,
    require_arrears_role,
    require_case_part,
)
from husly.consent.models import Consent, LegalBasis
from husly.core.actions import create_audited, update_audited
from husly.organisation.models import Municipality, Role, User
from husly.people.models import Household, Relation
from husly.tenancy.models import Lease, LeaseStatus

SCAN_ROLES = frozenset({Role.PROPERTY})


class ArrearsLike(Protocol):
    amount: int
    months_unpaid: int
    oldest_unpaid_due: dt.date | None


ArrearsSource = Callable[..., Mapping[int, ArrearsLike]]

FACT_FOR_KIND = {
    StepKind.COLLECTION_NOTICE: FactKind.COLLECTION_NOTICE,
    StepKind.EVICTION_NOTICE: FactKind.EVICTION_NOTICE,
    StepKind.PETITION: FactKind.PETITION,
    StepKind.EVICTION: FactKind.EVICTION,
}


def has_children(household_id: int) -> bool:
    from husly.people.models import HouseholdMember

    return HouseholdMember.objects.filter(
        household_id=household_id, relation=Relation.CHILD
    ).exists()


def _fact(case: ArrearsCase, kind: str, on: dt.date, **extra: Any) -> None:
    ArrearsFact.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        kind=kind,
        on=on,
        origin=case.origin,
        **extra,
    )


def _close(actor: User | None, case: ArrearsCase, on: dt.date, reason: str) -> None:
    update_audited(
        actor=actor,
        action="arrears_case_close",
        instance=case,
        data={"status": CaseStatus.CLOSED, "closed_on": on, "close_reason": reason},
        municipality=case.municipality,
    )
    _fact(case, FactKind.CASE_CLOSED, on, close_reason=reason)


# --- the scan (a job: ./dev manage arrears_scan) -----------------------------------------------


@transaction.atomic
def arrears_scan(
    *,
    actor: User | None,
    municipality: Municipality,
    as_of: dt.date,
    source: ArrearsSource | None = None,
) -> dict[str, int]:
    """Open a case for every lease with arrears and no open case, bring the arrears of open
    cases up to date, check repayment agreements, and close cases that are paid up. Set-based:
    one call to the rent ledger's ``arrears_as_of`` for the day (plus one per instalment check
    date), a fixed number of queries whatever the number of leases. Safe to rerun."""
    require_arrears_role(actor, municipality.pk, SCAN_ROLES)
    source = source or sources.arrears_as_of
    arrears = source(municipality=municipality, as_of=as_of)
    procedure = procedure_for_municipality(municipality, as_of)
    open_cases = {
        c.lease_id: c
        for c in ArrearsCase.objects.filter(
            municipality=municipality, status=CaseStatus.OPEN, origin=CaseOrigin.MUNICIPAL_LEASE
        )
    }
    leases = dict(
        Lease.objects.filter(
            pk__in=[pk for pk, a in arrears.items() if a.amount > 0 and pk not in open_cases],
            municipality=municipality,
            status=LeaseStatus.ACTIVE,
        ).values_list("pk", "household_id")
    )
    new_cases = [
        ArrearsCase(
            municipality=municipality,
            household_id=household_id,
            lease_id=lease_id,
            origin=CaseOrigin.MUNICIPAL_LEASE,
            procedure_key=f"{procedure.id}@{procedure.version}",
            opened_on=as_of,
            arrears=arrears[lease_id].amount,
            months_unpaid=arrears[lease_id].months_unpaid,
            oldest_unpaid_due=arrears[lease_id].oldest_unpaid_due,
            arrears_as_of=as_of,
        )
        for lease_id, household_id in leases.items()
    ]
    created = ArrearsCase.objects.bulk_create(new_cases)
    ArrearsFact.objects.bulk_create(
        ArrearsFact(
            municipality=municipality,
            case=c,
            kind=FactKind.CASE_OPENED,
            on=as_of,
            origin=CaseOrigin.MUNICIPAL_LEASE,
        )
        for c in created
    )
    changed: list[ArrearsCase] = []
    for lease_id, case in open_cases.items():
        found = arrears.get(lease_id)
        case.arrears = found.amount if found else 0
        case.months_unpaid = found.months_unpaid if found else 0
        case.oldest_unpaid_due = found.oldest_unpaid_due if found else None
        case.arrears_as_of = as_of
        changed.append(case)
    _update_arrears(changed, as_of)
    checked, closed_ids = _check_agreements(actor, municipality, as_of, source, arrears)
    paid_up = _close_paid_up(
        actor, municipality, as_of, [c for c in changed if c.pk not in closed_ids]
    )
    closed = len(closed_ids) + paid_up
    return {"opened": len(created), "updated": len(changed), "closed": closed, **checked}


def _update_arrears(cases: list[ArrearsCase], as_of: dt.date) -> None:
    """Write the scanned arrears of the open cases in one statement (PostgreSQL: an
    ``UPDATE ... FROM unnest(...)``; a ``bulk_update`` elsewhere)."""
    if not cases:
        return
    if connection.vendor != "postgresql":
        ArrearsCase.objects.bulk_update(
            cases, ["arrears", "months_unpaid", "oldest_unpaid_due", "arrears_as_of"]
        )
        return
    table = ArrearsCase._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS c SET arrears = v.arrears, months_unpaid = v.months, "  # noqa: S608
            "oldest_unpaid_due = v.oldest, arrears_as_of = %s "
            "FROM unnest(%s::bigint[], %s::integer[], %s::integer[], %s::date[]) "
            "AS v(id, arrears, months, oldest) WHERE c.id = v.id",
            [
                as_of,
                [c.pk for c in cases],
                [c.arrears for c in cases],
                [c.months_unpaid for c in cases],
                [c.oldest_unpaid_due for c in cases],
            ],
        )


def _close_paid_up(
    actor: User | None, municipality: Municipality, as_of: dt.date, cases: list[ArrearsCase]
) -> int:
    """Close the cases with nothing owed, no active agreement and the procedure paid up, in a
    fixed number of statements (steps, agreements and NAV coverage read for all of them at
    once; the closing, its change events and facts written in bulk)."""
    from husly.audit.models import ChangeEvent

    candidates = [c.pk for c in cases if c.arrears <= 0]
    if not candidates:
        return 0
    with_agreement = set(
        RepaymentAgreement.objects.filter(
            case_id__in=candidates, status=AgreementStatus.ACTIVE
        ).values_list("case_id", flat=True)
    )
    rows = list(
        ArrearsCase.objects.filter(pk__in=[pk for pk in candidates if pk not in with_agreement])
        .prefetch_related("steps", "nav_coverages")
        .order_by("pk")
    )
    to_close: list[ArrearsCase] = []
    for case in rows:
        coverage = max(case.nav_coverages.all(), key=lambda c: c.decided_on, default=None)
        facts = engine.CaseFacts(
            as_of=as_of,
            arrears=case.arrears,
            months_unpaid=case.months_unpaid,
            oldest_unpaid_due=case.oldest_unpaid_due,
            taken=tuple(
                engine.TakenStep(
                    step_id=s.step_id,
                    taken_on=s.taken_on,
                    deadline=s.deadline,
                    months_covered=s.months_covered,
                )
                for s in case.steps.all()
                if s.status == StepStatus.CONFIRMED
            ),
            repayment_plan_active=False,
            returned_to_procedure_on=case.returned_to_procedure_on,
            nav_covers_from=coverage.decided_on if coverage else None,
        )
        if engine.assess(procedure_of(case), facts).stage == engine.Stage.PAID_UP:
            to_close.append(case)
    if not to_close:
        return 0
    for case in to_close:
        case.status = CaseStatus.CLOSED
        case.closed_on = as_of
        case.close_reason = CloseReason.PAID_UP
    ArrearsCase.objects.filter(pk__in=[c.pk for c in to_close]).update(
        status=CaseStatus.CLOSED, closed_on=as_of, close_reason=CloseReason.PAID_UP
    )
    changes = {
        "status": [CaseStatus.OPEN.value, CaseStatus.CLOSED.value],
        "closed_on": [None, as_of.isoformat()],
        "close_reason": ["", CloseReason.PAID_UP.value],
    }
    ChangeEvent.objects.bulk_create(
        ChangeEvent(
            actor=actor,
            action="arrears_case_close",
            municipality=municipality,
            object_type=ArrearsCase._meta.label_lower,
            object_id=str(case.pk),
            object_repr=str(case)[:200],
            changes=changes,
        )
        for case in to_close
    )
    ArrearsFact.objects.bulk_create(
        ArrearsFact(
            municipality=municipality,
            case=case,
            kind=FactKind.CASE_CLOSED,
            on=as_of,
            origin=case.origin,
            close_reason=CloseReason.PAID_UP,
        )
        for case in to_close
    )
    return len(to_close)


def _check_agreements(
    actor: User | None,
    municipality: Municipality,
    as_of: dt.date,
    source: ArrearsSource,
    today: Mapping[int, ArrearsLike],
) -> tuple[dict[str, int], set[int]]:
    agreements = list(
        RepaymentAgreement.objects.filter(
            case__municipality=municipality, status=AgreementStatus.ACTIVE
        )
        .select_related("case")
        .prefetch_related("instalments")
    )
    grace = {a.pk: procedure_of(a.case).agreement_grace_days for a in agreements}
    plans = {
        a.pk: [engine.Instalment(i.due, i.amount) for i in a.instalments.all()] for a in agreements
    }
    dates = sorted(
        {
            d
            for a in agreements
            for d in engine.agreement_check_dates(plans[a.pk], grace[a.pk], as_of)
        }
    )
    balances = {
        d: (today if d == as_of else source(municipality=municipality, as_of=d)) for d in dates
    }
    result = {"broken": 0, "completed": 0}
    closed: set[int] = set()
    for agreement in agreements:
        lease_id = agreement.case.lease_id
        balance_on = {
            d: (balances[d][lease_id].amount if lease_id in balances[d] else 0) for d in dates
        }
        check = engine.check_agreement(
            start_balance=agreement.start_balance,
            instalments=plans[agreement.pk],
            balance_on=balance_on,
            grace_days=grace[agreement.pk],
            as_of=as_of,
        )
        if check.state == engine.AgreementState.BROKEN:
            _agreement_broken(
                actor,
                agreement,
                as_of,
                check.explanation.get(agreement.case.municipality.language_form),
            )
            result["broken"] += 1
        elif check.state == engine.AgreementState.COMPLETED:
            update_audited(
                actor=actor,
                action="repayment_agreement_complete",
                instance=agreement,
                data={
                    "status": AgreementStatus.COMPLETED,
                    "ended_on": as_of,
                    "explanation": check.explanation.get("nb"),
                },
                municipality=municipality,
            )
            result["completed"] += 1
            case = agreement.case
            if case.arrears <= 0:
                _close(actor, case, as_of, CloseReason.AGREEMENT_COMPLETED)
                closed.add(case.pk)
    return result, closed


def _agreement_broken(
    actor: User | None, agreement: RepaymentAgreement, on: dt.date, why: str
) -> None:
    """A broken agreement returns the case to the procedure where it stood, from ``on``."""
    update_audited(
        actor=actor,
        action="repayment_agreement_break",
        instance=agreement,
        data={"status": AgreementStatus.BROKEN, "ended_on": on, "explanation": why},
        municipality=agreement.case.municipality,
    )
    update_audited(
        actor=actor,
        action="arrears_case_return",
        instance=agreement.case,
        data={"returned_to_procedure_on": on},
        municipality=agreement.case.municipality,
    )
    _fact(agreement.case, FactKind.AGREEMENT_BROKEN, on)


# --- steps ---------------------------------------------------------------------------------


def _copies(case: ArrearsCase, kinds: Iterable[str]) -> list[str]:
    """The copy recipients by name (units of the municipality, by kind)."""
    from husly.housing.models import DwellingCategory
    from husly.organisation.models import Unit, UnitKind

    units = {
        u.kind: u.name
        for u in Unit.objects.filter(municipality_id=case.municipality_id).order_by("-pk")
    }
    refugee = bool(
        case.lease
        and case.lease.follow_up_unit
        and case.lease.follow_up_unit.kind == UnitKind.REFUGEE_SERVICE
    )
    with_services = bool(case.lease and case.lease.dwelling.category != DwellingCategory.ORDINARY)
    names: list[str] = []
    for kind in kinds:
        if kind == "nav_or_refugee_service":
            unit = UnitKind.REFUGEE_SERVICE if refugee else UnitKind.NAV
            names.append(units.get(unit) or str(UnitKind(unit).label))
        elif kind == "housing_consultant_or_coordinator":
            if with_services:
                names.append(
                    _("Housing coordinator, %(unit)s")
                    % {"unit": units.get(UnitKind.HEALTH_CARE, "")}
                )
            else:
                names.append(
                    _("Social housing consultant, %(unit)s")
                    % {"unit": units.get(UnitKind.HOUSING_OFFICE, "")}
                )
        elif kind == "child_welfare_if_children":
            if has_children(case.household_id):
                names.append(units.get(UnitKind.CHILD_WELFARE) or str(UnitKind.CHILD_WELFARE.label))
        elif kind == "nav":
            names.append(units.get(UnitKind.NAV) or str(UnitKind.NAV.label))
        elif kind == "service_unit" and case.lease and case.lease.follow_up_unit:
            names.append(case.lease.follow_up_unit.name)
    return names


def _copies_in(case: ArrearsCase, kinds: Iterable[str]) -> list[str]:
    """The copy list in the municipality's written standard (it is printed in the letter)."""
    with translation.override(case.municipality.language_form or "nb"):
        return _copies(case, kinds)


@transaction.atomic
def arrears_step_prepare(
    *,
    actor: User,
    case: ArrearsCase,
    step_id: str,
    taken_on: dt.date,
    note: str = "",
    scheduled_for: dt.date | None = None,
    attendees: Sequence[str] = (),
) -> ArrearsStep:
    """A person prepares the step the procedure says is due next (its letter can then be read
    as a draft). Nothing is sent: ``arrears_step_confirm`` does that, after a person confirms."""
    case = ArrearsCase.objects.select_for_update().get(pk=case.pk)
    procedure = procedure_of(case)
    try:
        step = procedure.step(step_id)
    except KeyError:
        raise ValidationError(_("The procedure has no such step.")) from None
    require_case_part(actor, case, STEP_ROLES[step.responsible])
    if not case.is_open:
        raise ValidationError(_("The arrears case is closed."))
    if case.steps.filter(status=StepStatus.PREPARED).exists():
        raise ValidationError(_("A step is already waiting for confirmation."))
    found = assessment(case, taken_on)
    if found is None or found.next is None or found.next.step.id != step_id:
        raise ValidationError(_("This step is not the one due next in the procedure."))
    if taken_on < found.next.due:
        raise ValidationError(
            {
                "taken_on": _("This step is due on %(date)s and cannot be taken before.")
                % {"date": found.next.due.strftime("%d.%m.%Y")}
            }
        )
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": _("A step cannot be dated in the future.")})
    if not found.next.may_take:
        raise ValidationError(
            " ".join(t.get(case.municipality.language_form) for t in found.next.waiting_for)
        )
    if step.kind == StepKind.EVICTION_DATE and scheduled_for is None:
        raise ValidationError({"scheduled_for": _("Give the date the enforcement officer set.")})
    deadline = (
        scheduled_for
        if step.kind == StepKind.EVICTION_DATE
        else engine.step_deadline(step, taken_on)
    )
    return create_audited(
        actor=actor,
        action="arrears_step_prepare",
        instance=ArrearsStep(
            case=case,
            step_id=step.id,
            kind=step.kind,
            due_on=found.next.due,
            taken_on=taken_on,
            deadline=deadline,
            months_covered=case.months_unpaid,
            arrears=case.arrears,
            responsible=actor,
            copies=_copies_in(case, step.copies),
            attendees=list(attendees),
            with_children=has_children(case.household_id),
            note=note,
        ),
        municipality=case.municipality,
    )


@transaction.atomic
def arrears_step_confirm(*, actor: User, step: ArrearsStep, channel: str = "post") -> ArrearsStep:
    """A person confirms the prepared step: its letter is produced (PDF, the tenant's målform)
    and is recorded as sent to the tenant by ``channel`` (post, digital or by hand; Husly has
    no digital post) with its copies, at this moment; the leaders' fact is recorded. An
    eviction carried out closes the case."""
    from husly.arrears.letters import render_step_letter
    from husly.rent.models import DispatchChannel

    if channel not in DispatchChannel.values:
        raise ValidationError({"channel": _("Choose how the letter is sent.")})

    step = ArrearsStep.objects.select_for_update().select_related("case").get(pk=step.pk)
    case = step.case
    spec = procedure_of(case).step(step.step_id)
    require_case_part(actor, case, STEP_ROLES[spec.responsible])
    if step.status != StepStatus.PREPARED:
        raise ValidationError(_("This step is not waiting for confirmation."))
    data: dict[str, Any] = {
        "status": StepStatus.CONFIRMED,
        "confirmed_by": actor,
        "confirmed_at": timezone.now(),
    }
    if spec.kind in LETTER_KINDS:
        pdf = render_step_letter(step)
        step.document.save(f"restanse-{case.pk}-{step.step_id}.pdf", ContentFile(pdf), save=False)
        data["document_sha256"] = hashlib.sha256(pdf).hexdigest()
        data["dispatch_channel"] = channel
        data["dispatched_at"] = data["confirmed_at"]
    update_audited(
        actor=actor,
        action="arrears_step_confirm",
        instance=step,
        data=data,
        municipality=case.municipality,
    )
    fact = FACT_FOR_KIND.get(StepKind(step.kind))
    if fact is not None:
        _fact(case, fact, step.taken_on, with_children=step.with_children)
    if step.kind == StepKind.EVICTION:
        _close(actor, case, step.taken_on, CloseReason.EVICTED)
    return step


@transaction.atomic
def arrears_step_cancel(*, actor: User, step: ArrearsStep) -> ArrearsStep:
    """Drop a prepared step that should not be sent (nothing was sent)."""
    spec = procedure_of(step.case).step(step.step_id)
    require_case_part(actor, step.case, STEP_ROLES[spec.responsible])
    if step.status != StepStatus.PREPARED:
        raise ValidationError(_("This step is not waiting for confirmation."))
    return update_audited(
        actor=actor,
        action="arrears_step_cancel",
        instance=step,
        data={"status": StepStatus.CANCELLED},
        municipality=step.case.municipality,
    )


@transaction.atomic
def arrears_case_assign(*, actor: User, case: ArrearsCase, responsible: User) -> ArrearsCase:
    """Who is responsible for the dialogue with the tenant (Appendix 4 point 3)."""
    require_case_part(actor, case)
    from husly.arrears.selectors import ARREARS_ROLES
    from husly.organisation.access import has_role

    if not has_role(responsible, case.municipality_id, ARREARS_ROLES):
        raise ValidationError({"responsible": _("Choose a person who works with arrears.")})
    return update_audited(
        actor=actor,
        action="arrears_case_assign",
        instance=case,
        data={"responsible": responsible},
        municipality=case.municipality,
    )


@transaction.atomic
def arrears_case_close(*, actor: User, case: ArrearsCase, on: dt.date) -> ArrearsCase:
    """Close a case resolved in another way (the tenant moved, the claim was settled)."""
    require_arrears_role(actor, case.municipality_id, frozenset({Role.PROPERTY}))
    if not case.is_open:
        raise ValidationError(_("The arrears case is closed."))
    _close(actor, case, on, CloseReason.RESOLVED)
    return case


@transaction.atomic
def external_petition_register(
    *,
    actor: User,
    municipality: Municipality,
    household: Household,
    landlord_name: str,
    landlord_kind: str,
    received_on: dt.date,
    address: str,
) -> ArrearsCase:
    """NAV registers its copy of an eviction petition from a private landlord or a housing
    cooperative (Appendix 4 point 5): a prevention case opens for the household, with no
    municipal lease."""
    require_arrears_role(actor, municipality.pk, NAV_ROLES)
    if household.municipality_id != municipality.pk:
        raise ValidationError({"household": _("The household belongs to another municipality.")})
    if landlord_kind not in LandlordKind.values:
        raise ValidationError({"landlord_kind": _("Unknown kind of landlord.")})
    procedure = procedure_for_municipality(municipality, received_on)
    case = create_audited(
        actor=actor,
        action="external_petition_register",
        instance=ArrearsCase(
            municipality=municipality,
            household=household,
            origin=CaseOrigin.EXTERNAL_PETITION,
            procedure_key=f"{procedure.id}@{procedure.version}",
            opened_on=received_on,
            landlord_name=landlord_name,
            landlord_kind=landlord_kind,
            petition_received_on=received_on,
            external_address=address,
            responsible=actor,
        ),
        municipality=municipality,
    )
    _fact(case, FactKind.EXTERNAL_PETITION, received_on, with_children=has_children(household.pk))
    _fact(case, FactKind.CASE_OPENED, received_on)
    return case


# --- repayment agreements and NAV ----------------------------------------------------------


@transaction.atomic
def repayment_agreement_create(
    *,
    actor: User,
    case: ArrearsCase,
    agreed_on: dt.date,
    instalments: Sequence[tuple[dt.date, int]],
) -> RepaymentAgreement:
    """A repayment agreement (nedbetalingsavtale): the instalments must cover the arrears the
    case shows. While it is kept, the procedure stands still."""
    require_case_part(actor, case, AGREEMENT_ROLES)
    if not case.is_open:
        raise ValidationError(_("The arrears case is closed."))
    if active_agreement(case) is not None:
        raise ValidationError(_("The case already has an active repayment agreement."))
    if not instalments:
        raise ValidationError({"instalments": _("Give at least one instalment.")})
    if any(amount <= 0 for _due, amount in instalments):
        raise ValidationError({"instalments": _("Every instalment must be more than 0 kroner.")})
    if any(due < agreed_on for due, _amount in instalments):
        raise ValidationError({"instalments": _("An instalment falls before the agreement.")})
    total = sum(amount for _due, amount in instalments)
    if total < case.arrears:
        raise ValidationError(
            {
                "instalments": _(
                    "The instalments (%(total)s kr) do not cover the arrears (%(arrears)s kr)."
                )
                % {"total": total, "arrears": case.arrears}
            }
        )
    agreement = create_audited(
        actor=actor,
        action="repayment_agreement_create",
        instance=RepaymentAgreement(
            case=case, agreed_on=agreed_on, start_balance=max(case.arrears, 0), recorded_by=actor
        ),
        municipality=case.municipality,
    )
    Instalment.objects.bulk_create(
        Instalment(agreement=agreement, due=due, amount=amount) for due, amount in instalments
    )
    _fact(case, FactKind.AGREEMENT, agreed_on)
    return agreement


@transaction.atomic
def repayment_agreement_break(
    *, actor: User, agreement: RepaymentAgreement, on: dt.date, reason: str
) -> RepaymentAgreement:
    """A person records that the agreement is broken (the scan does so from the ledger)."""
    require_case_part(actor, agreement.case, AGREEMENT_ROLES)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError(_("The agreement is not active."))
    _agreement_broken(actor, agreement, on, reason)
    return agreement


@transaction.atomic
def nav_coverage_record(
    *,
    actor: User,
    case: ArrearsCase,
    amount: int,
    decided_on: dt.date,
    consent: Consent | None = None,
    legal_basis: LegalBasis | None = None,
) -> NavCoverage:
    """NAV records that it covers arrears as økonomisk sosialhjelp (Appendix 4 point 8), on the
    tenant's consent or a legal basis recorded in the consent app; the procedure waits."""
    require_case_part(actor, case, NAV_ROLES)
    if consent is None and legal_basis is None:
        raise ValidationError(_("Choose the tenant's consent or the legal basis for sharing."))
    basis: Consent | LegalBasis = consent or legal_basis  # type: ignore[assignment]
    if not basis.is_active(decided_on):
        raise ValidationError(_("The consent or legal basis is not valid on that date."))
    if basis.case.household_id != case.household_id:
        raise ValidationError(_("The consent or legal basis concerns another household."))
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0 kroner.")})
    coverage = create_audited(
        actor=actor,
        action="nav_coverage_record",
        instance=NavCoverage(
            case=case,
            amount=amount,
            decided_on=decided_on,
            consent=consent,
            legal_basis=legal_basis,
            recorded_by=actor,
        ),
        municipality=case.municipality,
    )
    _fact(case, FactKind.NAV_COVERAGE, decided_on)
    return coverage


# --- rent meetings -------------------------------------------------------------------------


@transaction.atomic
def rent_meeting_create(
    *, actor: User, municipality: Municipality, held_on: dt.date, participants: str = ""
) -> RentMeeting:
    """A rent meeting with the agenda Husly prepares (``agenda_for``)."""
    require_arrears_role(actor, municipality.pk, MEETING_ROLES)
    meeting = create_audited(
        actor=actor,
        action="rent_meeting_create",
        instance=RentMeeting(
            municipality=municipality,
            held_on=held_on,
            participants=participants,
            created_by=actor,
        ),
        municipality=municipality,
    )
    MeetingItem.objects.bulk_create(
        MeetingItem(
            meeting=meeting,
            case=entry.case,
            reasons=entry.reasons,
            arrears=entry.case.arrears,
            responsible=entry.case.responsible,
        )
        for entry in agenda_for(municipality, held_on)
    )
    return meeting


@transaction.atomic
def rent_meeting_item_record(
    *, actor: User, item: MeetingItem, responsible: User | None, agreed: str
) -> MeetingItem:
    """The minutes for one case: who is responsible for the dialogue with the tenant and what
    was agreed (Appendix 4 point 3). The case takes over the responsible person."""
    require_case_part(actor, item.case, MEETING_ROLES)
    if item.meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("The minutes of this meeting are closed."))
    if responsible is None:
        raise ValidationError({"responsible": _("Name who is responsible for the dialogue.")})
    update_audited(
        actor=actor,
        action="rent_meeting_item_record",
        instance=item,
        data={"responsible": responsible, "agreed": agreed.strip()},
        municipality=item.meeting.municipality,
    )
    if item.case.responsible_id != responsible.pk:
        update_audited(
            actor=actor,
            action="arrears_case_assign",
            instance=item.case,
            data={"responsible": responsible},
            municipality=item.meeting.municipality,
        )
    return item


@transaction.atomic
def rent_meeting_close(*, actor: User, meeting: RentMeeting) -> RentMeeting:
    require_arrears_role(actor, meeting.municipality_id, MEETING_ROLES)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("The minutes of this meeting are closed."))
    missing = meeting.items.filter(responsible__isnull=True).count()
    if missing:
        raise ValidationError(
            _("Name who is responsible for the dialogue in every case (%(n)s missing).")
            % {"n": missing}
        )
    return update_audited(
        actor=actor,
        action="rent_meeting_close",
        instance=meeting,
        data={"status": MeetingStatus.HELD},
        municipality=meeting.municipality,
    )

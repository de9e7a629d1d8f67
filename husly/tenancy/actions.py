"""State changes of leases, renewals and moves. Each is atomic and audited; the dwelling's
status history is kept through ``husly.housing.actions.dwelling_status_change``.

Sources: husleieloven §§ 3-5, 9-3, 11-1 (spec/law-and-parameters §4); Rælingen guideline 7.4
(three years as the main rule, longer or indefinite after an assessment of permanent need),
7.5 (renewal: apply four months before, reassessment, other dwelling considered, guidance
conversation under point 4) and 7.6 (swap); appendix 1 (contract, handover, inspection,
linked follow-up unit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.allocation import actions as allocation_actions
from husly.allocation.models import LIVE_ENTRY, EntryStatus, Offer, OfferStatus
from husly.allocation.selectors import require_allocation_role
from husly.audit.events import record_change
from husly.cases.models import DecisionKind, DecisionStatus, HelpKind, NoteKind
from husly.cases.selectors import require_case_role
from husly.core.actions import create_audited, update_audited
from husly.housing.actions import dwelling_status_change
from husly.housing.models import Dwelling, DwellingStatus
from husly.organisation.access import require_permission
from husly.organisation.models import Municipality, User
from husly.rules import deadlines
from husly.tenancy.extensions import (
    lease_activated_handlers,
    lease_ended_handlers,
    lease_signed_handlers,
)
from husly.tenancy.models import (
    PENDING_LEASE,
    DepositKind,
    EndReason,
    Lease,
    LeaseStatus,
    Party,
    RenewalAlternative,
    RenewalApplication,
    RenewalReminder,
    SignedHow,
    TenancyTerms,
    TermKind,
    kid_for,
)
from husly.tenancy.selectors import LEASE_ROLES, TERMS_WRITE

STANDARD_TERM_YEARS = 3
"""Husleieloven § 9-3: a time-limited lease of a dwelling runs at least three years; Rælingen
7.4: three years is the main rule."""
MAX_DEPOSIT_MONTHS = 6
"""Husleieloven § 3-5: a deposit may be at most six months' rent; § 3-6: so may a guarantee."""
REMIND_MONTHS_BEFORE_END = 6
"""The reminder goes out six months before the end, two months before the four-month
application date of Rælingen 7.5 (design default)."""


def standard_end_date(start: dt.date, years: int = STANDARD_TERM_YEARS) -> dt.date:
    """The last day of a lease of whole years: the day before the same date ``years`` on.

    A lease starting 29 February has no such date in a common year; the term then runs to the
    end of February (28 February), not to 27 February."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year: the term's day is 1 March
        anniversary = dt.date(start.year + years, 3, 1)
    return anniversary - dt.timedelta(days=1)


def _applicant_id(lease: Lease) -> int | None:
    member = lease.household.members.filter(relation="applicant").first()
    return member.person_id if member else None


def _check_term(data: Mapping[str, Any]) -> None:
    start, end = data["start_date"], data.get("end_date")
    kind = data.get("term_kind", TermKind.STANDARD)
    basis = (data.get("term_basis") or "").strip()
    standard_end = standard_end_date(start)
    if kind == TermKind.STANDARD and end != standard_end:
        raise ValidationError(
            {
                "end_date": _("A three-year lease starting %(start)s ends %(end)s.")
                % {"start": start.strftime("%d.%m.%Y"), "end": standard_end.strftime("%d.%m.%Y")}
            }
        )
    if kind == TermKind.INDEFINITE and end is not None:
        raise ValidationError({"end_date": _("An indefinite lease has no end date.")})
    if kind == TermKind.LONGER and (end is None or end <= standard_end):
        raise ValidationError({"end_date": _("A longer lease ends more than three years on.")})
    if kind == TermKind.SHORTER and (end is None or end >= standard_end):
        raise ValidationError({"end_date": _("A shorter lease ends before three years.")})
    if kind in {TermKind.LONGER, TermKind.INDEFINITE} and not basis:
        raise ValidationError(
            {
                "term_basis": _(
                    "Record the assessment of the household's permanent need (guideline point 7.4)."
                )
            }
        )
    if kind == TermKind.SHORTER and not basis:
        raise ValidationError(
            {
                "term_basis": _(
                    "Record the legal basis for a term shorter than three years "
                    "(husleieloven § 9-3 or § 11-1)."
                )
            }
        )
    rent, amount = data["monthly_rent"], data.get("deposit_amount") or 0
    if amount > MAX_DEPOSIT_MONTHS * rent:
        raise ValidationError({"deposit_amount": deposit_cap_message(rent)})


def deposit_cap_message(rent: int) -> str:
    return _(
        "A deposit or guarantee can be at most six months' rent, %(cap)s kroner "
        "(husleieloven §§ 3-5 and 3-6)."
    ) % {"cap": f"{MAX_DEPOSIT_MONTHS * rent:,}".replace(",", "\u00a0")}


def _store_document(lease: Lease) -> None:
    from husly.tenancy.documents import render_lease

    pdf = render_lease(lease)
    lease.document.save(f"leiekontrakt-{lease.pk}.pdf", ContentFile(pdf), save=False)
    lease.document_sha256 = hashlib.sha256(pdf).hexdigest()
    lease.save(update_fields=["document", "document_sha256"])


def _create(actor: User, dwelling: Dwelling, data: Mapping[str, Any], **extra: Any) -> Lease:
    """Lock the dwelling row, check it has no active lease, create the lease; the partial
    unique constraint is the last line of defence."""
    locked = Dwelling.objects.select_for_update().get(pk=dwelling.pk)
    unit = extra.setdefault("unit", 1)
    if not 1 <= unit <= locked.lettable_units:
        raise ValidationError(_("The dwelling has no room %(unit)s.") % {"unit": unit})
    live = Lease.objects.filter(dwelling=dwelling, unit=unit)
    if extra.get("renews") is None and live.filter(status=LeaseStatus.ACTIVE).exists():
        raise ValidationError(
            _("Room %(unit)s already has an active lease.") % {"unit": unit}
            if locked.shared
            else _("The dwelling already has an active lease.")
        )
    if live.filter(status__in=PENDING_LEASE).exists():
        raise ValidationError(
            _("A lease for room %(unit)s is already being signed.") % {"unit": unit}
            if locked.shared
            else _("A lease for this dwelling is already being signed.")
        )
    _check_term(data)
    municipality = dwelling.building.municipality
    terms = TenancyTerms.objects.filter(municipality=municipality).first()
    values = dict(data)
    if terms is not None and not values.get("payment_account"):
        values["payment_account"] = terms.payment_account
    if terms is not None and not values.get("payment_due_day"):
        values["payment_due_day"] = terms.payment_due_day
    for field in ("payment_account", "payment_due_day"):
        if not values.get(field):
            values.pop(field, None)
    lease = Lease(
        dwelling=dwelling,
        municipality=municipality,
        created_by=actor,
        status=LeaseStatus.DRAFT,
        **extra,
        **values,
    )
    try:
        with transaction.atomic():
            create_audited(
                actor=actor,
                action="lease_create",
                instance=lease,
                municipality=lease.municipality,
                person_id=_applicant_id(lease),
            )
    except IntegrityError as exc:
        raise ValidationError(_("A lease for this dwelling is already being signed.")) from exc
    lease.payment_kid = kid_for(lease.pk)
    lease.save(update_fields=["payment_kid"])
    return lease


@transaction.atomic
def lease_create(*, actor: User, offer: Offer, data: Mapping[str, Any]) -> Lease:
    """Write the lease for an accepted offer: the dwelling becomes occupied from the start date,
    the household leaves the waiting list, and for a swap the old lease ends the day before."""
    require_allocation_role(actor, offer.entry.municipality_id, also=LEASE_ROLES)
    offer = (
        Offer.objects.select_for_update()
        .select_related("entry", "entry__decision", "dwelling", "dwelling__building")
        .get(pk=offer.pk)
    )
    if offer.status != OfferStatus.ACCEPTED:
        raise ValidationError(_("A lease is written only for an accepted offer."))
    entry = offer.entry
    lease = _create(
        actor,
        offer.dwelling,
        data,
        household=entry.household,
        offer=offer,
        unit=offer.unit,
        decision=entry.decision,
        heavy_needs=entry.heavy_needs,
        follow_up_unit=entry.decision.follow_up_unit,
    )
    update_audited(
        actor=actor,
        action="offer_leased",
        instance=offer,
        data={"status": OfferStatus.LEASED},
        municipality=lease.municipality,
    )
    _store_document(lease)
    return lease


@transaction.atomic
def lease_send(*, actor: User, lease: Lease) -> Lease:
    """The drafted lease is sent to the tenant for signing; the document is made again from
    the terms as sent, so what is signed is what is stored (with its hash)."""
    require_allocation_role(actor, lease.municipality_id, also=LEASE_ROLES)
    locked = Lease.objects.select_for_update().get(pk=lease.pk)
    if locked.status != LeaseStatus.DRAFT:
        raise ValidationError(_("Only a draft lease can be sent for signing."))
    terms = TenancyTerms.objects.filter(municipality_id=locked.municipality_id).first()
    if terms is None:
        raise ValidationError(
            _("Record the municipality's lease terms and house rules before a lease is sent.")
        )
    update_audited(
        actor=actor,
        action="lease_send",
        instance=locked,
        data={
            "status": LeaseStatus.SENT,
            "sent_on": timezone.localdate(),
            "payment_account": locked.payment_account or terms.payment_account,
        },
        municipality=locked.municipality,
    )
    _store_document(locked)
    return locked


@transaction.atomic
def lease_sign(*, actor: User, lease: Lease, party: str, signed_on: dt.date, how: str) -> Lease:
    """Record one party's signature, with its date and how it was given. When both parties
    have signed the lease is signed; it becomes active on its start date (``lease_activate``)."""
    require_allocation_role(actor, lease.municipality_id, also=LEASE_ROLES)
    locked = Lease.objects.select_for_update().get(pk=lease.pk)
    if locked.status != LeaseStatus.SENT:
        raise ValidationError(_("Only a lease sent for signing can be signed."))
    if party not in Party.values:
        raise ValidationError({"party": _("Choose who signed.")})
    if how not in SignedHow.values:
        raise ValidationError({"how": _("Choose how the lease was signed.")})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signature cannot be dated in the future.")})
    if locked.sent_on and signed_on < locked.sent_on:
        raise ValidationError(
            {
                "signed_on": _(
                    "The lease was sent for signing on %(date)s; a signature cannot be dated "
                    "earlier."
                )
                % {"date": locked.sent_on.strftime("%d.%m.%Y")}
            }
        )
    if getattr(locked, f"{party}_signed_on") is not None:
        raise ValidationError({"party": _("This party has already signed.")})
    data: dict[str, Any] = {f"{party}_signed_on": signed_on, f"{party}_signed_how": how}
    other = Party.LANDLORD if party == Party.TENANT else Party.TENANT
    if getattr(locked, f"{other}_signed_on") is not None:
        data["status"] = LeaseStatus.SIGNED
    update_audited(
        actor=actor,
        action=f"lease_sign_{party}",
        instance=locked,
        data=data,
        municipality=locked.municipality,
    )
    if locked.status == LeaseStatus.SIGNED:
        for handler in lease_signed_handlers:
            handler(locked)
    return locked


@transaction.atomic
def lease_activate(*, actor: User | None, lease: Lease, today: dt.date) -> Lease:
    """A signed lease comes into force on its start date: the dwelling is let from the start
    date, the household leaves the waiting list, for a swap the old lease ends the day before
    and for a renewal the renewed lease ends the day before. ``actor`` is ``None`` for the
    daily job (``leases_activate_due``)."""
    require_allocation_role(actor, lease.municipality_id, also=LEASE_ROLES)
    locked = Lease.objects.select_for_update().get(pk=lease.pk)
    if locked.status != LeaseStatus.SIGNED:
        raise ValidationError(_("Only a lease signed by both parties can come into force."))
    if today < locked.start_date:
        raise ValidationError(
            _("The lease starts on %(date)s and comes into force that day.")
            % {"date": locked.start_date.strftime("%d.%m.%Y")}
        )
    if locked.renews_id:
        old = Lease.objects.get(pk=locked.renews_id)
        if old.status == LeaseStatus.ACTIVE:
            lease_end(
                actor=actor,
                lease=old,
                ended_on=locked.start_date - dt.timedelta(days=1),
                reason=EndReason.RENEWED,
            )
    update_audited(
        actor=actor,
        action="lease_activate",
        instance=locked,
        data={"status": LeaseStatus.ACTIVE},
        municipality=locked.municipality,
    )
    offer = (
        Offer.objects.select_related("entry").filter(pk=locked.offer_id).first()
        if locked.offer_id is not None
        else None
    )
    if offer is not None:
        entry = offer.entry
        if entry.status in LIVE_ENTRY:
            allocation_actions.waiting_list_close(
                actor=actor, entry=entry, status=EntryStatus.HOUSED
            )
        if entry.current_lease_id:
            old = Lease.objects.get(pk=entry.current_lease_id)
            if old.status == LeaseStatus.ACTIVE:
                lease_end(
                    actor=actor,
                    lease=old,
                    ended_on=locked.start_date - dt.timedelta(days=1),
                    reason=EndReason.SWAP,
                )
    dwelling = Dwelling.objects.get(pk=locked.dwelling_id)
    if dwelling.status != DwellingStatus.OCCUPIED:
        with translation.override(locked.municipality.language_form):
            reason = _("Lease starts")  # record text: the municipality's written standard
        dwelling_status_change(
            actor=actor,
            dwelling=dwelling,
            status=DwellingStatus.OCCUPIED,
            valid_from=locked.start_date,
            reason=reason,
        )
    for handler in lease_activated_handlers:
        handler(locked, actor)
    return locked


def leases_activate_due(*, today: dt.date) -> list[Lease]:
    """Bring into force every signed lease whose start date has come (safe to rerun; run
    daily with the renewal reminders)."""
    due = Lease.objects.filter(status=LeaseStatus.SIGNED, start_date__lte=today).order_by("pk")
    return [lease_activate(actor=None, lease=lease, today=today) for lease in due]


@transaction.atomic
def lease_end(*, actor: User | None, lease: Lease, ended_on: dt.date, reason: str) -> Lease:
    """The tenancy ends (move-out, swap, eviction, death, institution): the dwelling is vacant
    from the day after. A renewal ends the lease too, but the dwelling stays occupied."""
    require_allocation_role(actor, lease.municipality_id, also=LEASE_ROLES)
    locked = Lease.objects.select_for_update().get(pk=lease.pk)
    if locked.status != LeaseStatus.ACTIVE:
        raise ValidationError(_("The lease has already ended."))
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Unknown reason.")})
    if ended_on < lease.start_date - dt.timedelta(days=1):
        raise ValidationError({"ended_on": _("The lease cannot end before it starts.")})
    update_audited(
        actor=actor,
        action="lease_end",
        instance=lease,
        data={"status": LeaseStatus.ENDED, "ended_on": ended_on, "end_reason": reason},
        municipality=lease.municipality,
    )
    # The buyer stays; a shared flat stays occupied while another room is let.
    others_let = (
        Lease.objects.filter(dwelling_id=lease.dwelling_id, status=LeaseStatus.ACTIVE)
        .exclude(pk=lease.pk)
        .exists()
    )
    if reason not in (EndReason.RENEWED, EndReason.PURCHASED) and not others_let:
        dwelling = Dwelling.objects.get(pk=lease.dwelling_id)
        with translation.override(lease.municipality.language_form):  # record text
            why = _("Tenant moved out: %(reason)s") % {"reason": EndReason(reason).label}
        dwelling_status_change(
            actor=actor,
            dwelling=dwelling,
            status=DwellingStatus.VACANT,
            valid_from=ended_on + dt.timedelta(days=1),
            reason=why,
        )
    for handler in lease_ended_handlers:
        handler(lease, actor)
    return lease


# --- renewal -------------------------------------------------------------------------------------


@transaction.atomic
def renewal_reminders_send(*, today: dt.date) -> list[RenewalReminder]:
    """Remind every tenant whose lease ends within six months, once per lease (safe to rerun).
    The reminder shows on the tenancy work list and on the tenant's Min side."""
    horizon = deadlines.add_months(today, REMIND_MONTHS_BEFORE_END)
    due = Lease.objects.filter(
        status=LeaseStatus.ACTIVE,
        end_date__isnull=False,
        end_date__lte=horizon,
        end_date__gte=today,
        reminder__isnull=True,
    ).select_related("municipality")
    sent = []
    for lease in due:
        assert lease.end_date is not None  # noqa: S101 - filtered above
        reminder, created = RenewalReminder.objects.get_or_create(
            lease=lease,
            defaults={
                "sent_on": today,
                "apply_by": deadlines.renewal_application_due(lease.end_date),
            },
        )
        if created:
            record_change(
                actor=None,
                action="renewal_reminder_send",
                instance=lease,
                municipality=lease.municipality,
                changes={"apply_by": [None, reminder.apply_by.isoformat()]},
                person_id=_applicant_id(lease),
            )
            sent.append(reminder)
    return sent


@transaction.atomic
def renewal_apply(
    *, actor: User, lease: Lease, channel: str = "meeting", data: Mapping[str, Any] | None = None
) -> RenewalApplication:
    """The tenant applies to renew: a case (help kind rental dwelling) that is assessed against
    the guideline in force and decided with kind renewal or renewal refusal."""
    require_allocation_role(
        actor, lease.municipality_id, also=LEASE_ROLES, household_id=lease.household_id
    )
    from husly.cases.actions import case_create

    if lease.status != LeaseStatus.ACTIVE or lease.end_date is None:
        raise ValidationError(_("Only an active time-limited lease can be renewed."))
    open_renewal = lease.renewals.filter(decision__isnull=True).first()
    if open_renewal is not None:
        raise ValidationError(_("A renewal application for this lease is already being handled."))
    application = {
        "housing_kind": "rented_municipal",
        "lease_end_date": lease.end_date,
        "has_right_to_renew_lease": False,
        **(data or {}),
    }
    case = case_create(
        actor=actor,
        household=lease.household,
        channel=channel,
        help_kinds=[HelpKind.RENTAL_DWELLING],
        data=application,
        submit=True,
    )
    renewal = RenewalApplication(lease=lease, case=case)
    return create_audited(
        actor=actor,
        action="renewal_apply",
        instance=renewal,
        municipality=lease.municipality,
        person_id=_applicant_id(lease),
    )


@transaction.atomic
def renewal_alternatives_record(
    *, actor: User, renewal: RenewalApplication, alternative: str, note: str
) -> RenewalApplication:
    """Record what fits the household now (7.5 point 4: another dwelling; moving on to a private
    rental, a start loan or rent-to-own). Needs the guidance conversation (point 4) first."""
    require_case_role(actor, renewal.case)
    if not renewal.case.notes.filter(kind=NoteKind.GUIDANCE).exists():
        raise ValidationError(
            _("Record the guidance conversation on the case first (guideline point 4).")
        )
    if alternative not in RenewalAlternative.values:
        raise ValidationError({"alternative": _("Choose what fits the household now.")})
    if not note.strip():
        raise ValidationError({"note": _("Write the assessment of the alternatives.")})
    return update_audited(
        actor=actor,
        action="renewal_alternatives_record",
        instance=renewal,
        data={"alternative": alternative, "alternative_note": note},
        municipality=renewal.lease.municipality,
    )


def renewal_decision_issued(renewal: RenewalApplication, decision: Any) -> None:
    """Hook: a renewal decision may only be issued once the alternatives are assessed."""
    if not renewal.alternative:
        raise ValidationError(
            _(
                "Record the assessment of the alternatives (guideline point 7.5) before the "
                "renewal decision is issued."
            )
        )
    renewal.decision = decision
    renewal.save(update_fields=["decision"])


@transaction.atomic
def lease_renew(*, actor: User, lease: Lease, data: Mapping[str, Any]) -> Lease:
    """A new lease for the same dwelling after an issued renewal decision. It is signed like
    any lease; when it comes into force the old one ends the day before. The dwelling stays
    occupied."""
    require_allocation_role(actor, lease.municipality_id, also=LEASE_ROLES)
    renewal = (
        lease.renewals.filter(
            decision__kind=DecisionKind.RENEWAL, decision__status=DecisionStatus.ISSUED
        )
        .select_related("decision")
        .first()
    )
    if renewal is None:
        raise ValidationError(_("The lease can be renewed only after a renewal decision."))
    if hasattr(lease, "renewed_by"):
        raise ValidationError(_("The lease has already been renewed."))
    if lease.status != LeaseStatus.ACTIVE:
        raise ValidationError(_("Only an active lease can be renewed."))
    if lease.end_date and data["start_date"] > lease.end_date + dt.timedelta(days=1):
        raise ValidationError(
            {
                "start_date": _(
                    "The new lease starts the day after the current one ends, or earlier."
                )
            }
        )
    new = _create(
        actor,
        lease.dwelling,
        data,
        household=lease.household,
        decision=renewal.decision,
        renews=lease,
        unit=lease.unit,
        heavy_needs=lease.heavy_needs,
        follow_up_unit=renewal.decision.follow_up_unit
        if renewal.decision
        else lease.follow_up_unit,
    )
    _store_document(new)
    return new


def default_terms(dwelling: Dwelling, start: dt.date) -> dict[str, Any]:
    terms = TenancyTerms.objects.filter(municipality_id=dwelling.building.municipality_id).first()
    return {
        "payment_due_day": terms.payment_due_day if terms else 1,
        "payment_account": terms.payment_account if terms else "",
        "start_date": start,
        "end_date": standard_end_date(start),
        "term_kind": TermKind.STANDARD,
        "monthly_rent": dwelling.monthly_rent,
        "deposit_kind": DepositKind.NAV_GUARANTEE,
        "deposit_amount": 3 * dwelling.monthly_rent,
        "handover_on": start,
        "inspection_on": start + dt.timedelta(days=60),
    }


@transaction.atomic
def tenancy_terms_save(
    *, actor: User, municipality: Municipality, data: Mapping[str, Any]
) -> TenancyTerms:
    """Save the municipality's standing lease terms (account, due day, house rules). Leases
    drafted from now on take them; leases already written keep theirs."""
    require_permission(actor, municipality.pk, TERMS_WRITE)
    terms = TenancyTerms.objects.select_for_update().filter(municipality=municipality).first()
    if terms is None:
        return create_audited(
            actor=actor,
            action="tenancy_terms_create",
            instance=TenancyTerms(municipality=municipality, **data),
            municipality=municipality,
        )
    return update_audited(
        actor=actor,
        action="tenancy_terms_update",
        instance=terms,
        data={**data, "updated_at": timezone.now()},
        municipality=municipality,
    )

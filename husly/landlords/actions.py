"""State changes of the landlord register and the agreements. Each is atomic, checks the actor's
role first (``require_landlord_role``) and writes its audit event in the same transaction.

Sources: kristiansund 2.4 (intake of landlord enquiries, L1390–1397), 2.5 (head lease and
sublease, the Stjørdal model, L1044–1074), 2.6 (brokerage, L1035–1040); raelingen 2.6 and
appendix 4 points 1–2 (NAV deposit guarantee, contact point and consent, L5817–5844), 2.16
point 5 and 7 C 9 (nomination agreements, L395–408, L5146–5160).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.allocation import actions as allocation_actions
from husly.allocation.models import LIVE_ENTRY, LIVE_OFFER, EntryStatus, WaitingListEntry
from husly.audit.events import record_change
from husly.cases.models import Case, Decision, DecisionKind, DecisionStatus, HelpKind
from husly.consent.actions import consent_give
from husly.consent.models import Purpose
from husly.core.actions import create_audited, update_audited
from husly.housing.actions import building_create, dwelling_create
from husly.housing.models import Building, Dwelling, DwellingCategory, Ownership
from husly.landlords.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    BrokeredFrom,
    Enquiry,
    FactKind,
    FaultReport,
    FaultStatus,
    KeyEntry,
    Landlord,
    LandlordContact,
    LandlordFact,
    LandlordKind,
    NominationReferral,
    OfferedDwelling,
    OfferState,
    SpareKey,
)
from husly.landlords.selectors import daily_cost, require_landlord_role, vacant_days
from husly.organisation.models import Municipality, Unit, User
from husly.people.models import ADULT_RELATIONS, Household, Person, Relation
from husly.rules import deadlines

ENQUIRY_ANSWER_WORKING_DAYS = 5
"""An enquiry from a landlord is answered within five working days (design default: the sources
ask for an intake with response times, kristiansund L1390–1397, but name no number)."""
HEAD_LEASE_PREFERRED_YEARS = 3
"""Stjørdal: the head lease runs preferably for at least three years (kristiansund L1044–1045)."""

BrokeredHook = Callable[[Agreement, "User | None"], bool]
brokered_hooks: list[BrokeredHook] = []
"""The seam for temporary accommodation (issue 13's app): a function registered here is called
inside ``brokerage_lease_signed`` with the agreement and the actor when a household is brokered
to a private dwelling; it ends the household's open temporary stay, if any, and returns True when
it did, so the brokerage is counted as "from temporary accommodation"."""


def on_brokered(hook: BrokeredHook) -> BrokeredHook:
    """Register a ``brokered_hooks`` function (usable as a decorator, in ``AppConfig.ready``)."""
    if hook not in brokered_hooks:
        brokered_hooks.append(hook)
    return hook


def _person_id(agreement: Agreement) -> int | None:
    """The person an agreement's audit event is about: the tenant's applicant, else the
    landlord when a private person."""
    if agreement.household is not None:
        member = agreement.household.members.filter(relation=Relation.APPLICANT).first()
        if member:
            return member.person_id
    return agreement.landlord.person_id


def _fact(agreement: Agreement, kind: str, on: dt.date, **values: Any) -> LandlordFact:
    fact, _created = LandlordFact.objects.update_or_create(
        agreement=agreement,
        kind=kind,
        on=on,
        defaults={
            "municipality_id": agreement.municipality_id,
            "agreement_kind": agreement.kind,
            **values,
        },
    )
    return fact


# --- the register --------------------------------------------------------------------------------


@transaction.atomic
def landlord_register(
    *,
    actor: User,
    municipality: Municipality,
    data: Mapping[str, Any],
    person: Mapping[str, Any] | None = None,
) -> Landlord:
    """Register a landlord. A private person is found by identity number in the person register,
    or added to it (the number is checked there); a company or developer needs a valid
    organisation number."""
    require_landlord_role(actor, municipality.pk)
    values = dict(data)
    kind = values.get("kind")
    if kind == LandlordKind.PERSON:
        if not person or not person.get("national_id"):
            raise ValidationError(
                {"national_id": _("Give the landlord's fødselsnummer or D-nummer.")}
            )
        found = Person.objects.filter(
            municipality=municipality, national_id=person["national_id"]
        ).first()
        if found is None:
            found = create_audited(
                actor=actor,
                action="person_create",
                instance=Person(municipality=municipality, **person),
                municipality=municipality,
            )
        values["person"] = found
        values["org_number"] = ""
        values["name"] = found.full_name
    return create_audited(
        actor=actor,
        action="landlord_register",
        instance=Landlord(municipality=municipality, created_by=actor, **values),
        municipality=municipality,
    )


@transaction.atomic
def landlord_update(*, actor: User, landlord: Landlord, data: Mapping[str, Any]) -> Landlord:
    """Change the landlord's contact details, notes, notification wishes or register status."""
    require_landlord_role(actor, landlord.municipality_id)
    if "kind" in data or "person" in data:
        raise ValueError("The kind and the person of a landlord are not changed.")
    return update_audited(
        actor=actor,
        action="landlord_update",
        instance=landlord,
        data=data,
        municipality=landlord.municipality,
    )


@transaction.atomic
def landlord_contact_record(
    *, actor: User, landlord: Landlord, channel: str, summary: str, at: dt.datetime | None = None
) -> LandlordContact:
    """One contact with the landlord, in the landlord's history."""
    require_landlord_role(actor, landlord.municipality_id)
    when = at or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("A contact cannot be recorded in the future.")})
    return create_audited(
        actor=actor,
        action="landlord_contact_record",
        instance=LandlordContact(
            landlord=landlord, channel=channel, summary=summary.strip(), at=when, recorded_by=actor
        ),
        municipality=landlord.municipality,
        person_id=landlord.person_id,
    )


# --- the intake queue ---------------------------------------------------------------------------


@transaction.atomic
def enquiry_receive(*, actor: User, municipality: Municipality, data: Mapping[str, Any]) -> Enquiry:
    """An enquiry comes in: it joins the queue with the date it must be answered by."""
    require_landlord_role(actor, municipality.pk)
    values = dict(data)
    received = values.pop("received_at", None) or timezone.now()
    landlord = values.get("landlord")
    if landlord is not None and landlord.municipality_id != municipality.pk:
        raise ValidationError({"landlord": _("Choose a landlord of the municipality.")})
    enquiry = Enquiry(
        municipality=municipality,
        received_at=received,
        answer_due=deadlines.add_business_days(
            timezone.localdate(received), ENQUIRY_ANSWER_WORKING_DAYS
        ),
        recorded_by=actor,
        **values,
    )
    return create_audited(
        actor=actor,
        action="enquiry_receive",
        instance=enquiry,
        municipality=municipality,
        person_id=landlord.person_id if landlord else None,
    )


@transaction.atomic
def enquiry_answer(
    *, actor: User, enquiry: Enquiry, answer: str, landlord: Landlord | None = None
) -> Enquiry:
    """Answer an enquiry; it leaves the queue, its time to answer is kept, and, when the landlord
    is in the register, the answer joins the landlord's contact history."""
    require_landlord_role(actor, enquiry.municipality_id)
    locked = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if locked.answered_at is not None:
        raise ValidationError(_("The enquiry has already been answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write what the landlord was told.")})
    linked = landlord or locked.landlord
    if linked is not None and linked.municipality_id != locked.municipality_id:
        raise ValidationError({"landlord": _("Choose a landlord of the municipality.")})
    update_audited(
        actor=actor,
        action="enquiry_answer",
        instance=locked,
        data={
            "answered_at": timezone.now(),
            "answer": answer.strip(),
            "answered_by": actor,
            "landlord": linked,
        },
        municipality=locked.municipality,
    )
    if linked is not None:
        LandlordContact.objects.create(
            landlord=linked,
            channel=locked.channel,
            summary=_("Enquiry: %(text)s\nAnswer: %(answer)s")
            % {"text": locked.text, "answer": answer.strip()},
            recorded_by=actor,
        )
    return locked


@transaction.atomic
def enquiry_assign(*, actor: User, enquiry: Enquiry, to: User | None) -> Enquiry:
    """Give an enquiry in the queue to a colleague (or take it oneself)."""
    require_landlord_role(actor, enquiry.municipality_id)
    if enquiry.answered_at is not None:
        raise ValidationError(_("The enquiry has already been answered."))
    return update_audited(
        actor=actor,
        action="enquiry_assign",
        instance=enquiry,
        data={"assigned_to": to},
        municipality=enquiry.municipality,
    )


# --- offered dwellings --------------------------------------------------------------------------


@transaction.atomic
def offered_dwelling_register(
    *, actor: User, landlord: Landlord, data: Mapping[str, Any]
) -> OfferedDwelling:
    """A landlord offers a dwelling."""
    require_landlord_role(actor, landlord.municipality_id)
    if landlord.dishonest or not landlord.active:
        raise ValidationError(
            _("The landlord is marked as dishonest or is no longer in the register.")
        )
    return create_audited(
        actor=actor,
        action="offered_dwelling_register",
        instance=OfferedDwelling(landlord=landlord, **data),
        municipality=landlord.municipality,
        person_id=landlord.person_id,
    )


@transaction.atomic
def offered_dwelling_assess(
    *, actor: User, offered: OfferedDwelling, state: str, condition: str
) -> OfferedDwelling:
    """Record the assessment after the viewing: suitable, not suitable, or withdrawn."""
    require_landlord_role(actor, offered.landlord.municipality_id)
    if state not in {OfferState.APPROVED, OfferState.UNSUITABLE, OfferState.WITHDRAWN}:
        raise ValidationError({"state": _("Choose the outcome of the assessment.")})
    if offered.state == OfferState.IN_AGREEMENT:
        raise ValidationError(_("The dwelling is under an agreement; end the agreement first."))
    return update_audited(
        actor=actor,
        action="offered_dwelling_assess",
        instance=offered,
        data={"state": state, "condition": condition},
        municipality=offered.landlord.municipality,
    )


# --- agreements ---------------------------------------------------------------------------------


def head_lease_is_short(agreement: Agreement) -> bool:
    """A head lease shorter than three years, or without an end date left open: the sources
    prefer at least three years (a warning, not a refusal)."""
    if agreement.kind != AgreementKind.HEAD_LEASE or agreement.end_date is None:
        return False
    return agreement.end_date < deadlines.add_years(
        agreement.start_date, HEAD_LEASE_PREFERRED_YEARS
    )


def _needs(kind: str, values: Mapping[str, Any]) -> dict[str, str]:
    """What each kind of agreement must say."""
    errors: dict[str, str] = {}
    if kind in {AgreementKind.BROKERAGE, AgreementKind.HEAD_LEASE} and not values.get(
        "offered_dwelling"
    ):
        errors["offered_dwelling"] = _("Choose the dwelling the agreement is about.")
    if kind == AgreementKind.HEAD_LEASE and not values.get("rent_to_owner"):
        errors["rent_to_owner"] = _("Give the monthly rent the municipality pays the owner.")
    if kind in {AgreementKind.BROKERAGE, AgreementKind.DEPOSIT_GUARANTEE} and not values.get(
        "household"
    ):
        errors["household"] = _("Choose the household.")
    if kind == AgreementKind.NOMINATION:
        if not values.get("project"):
            errors["project"] = _("Name the building project.")
        if not values.get("flats_nominated"):
            errors["flats_nominated"] = _(
                "Give the number of flats the municipality refers applicants to."
            )
        if not values.get("end_date"):
            errors["end_date"] = _("A nomination agreement runs for a period: give its end.")
    if kind == AgreementKind.DEPOSIT_GUARANTEE:
        if not values.get("guarantee_case"):
            errors["guarantee_case"] = _("Choose the household's application for a guarantee.")
        if not values.get("nav_unit"):
            errors["nav_unit"] = _("Choose the NAV office that gives the guarantee.")
        if not (values.get("nav_contact") or "").strip():
            errors["nav_contact"] = _(
                "Name the contact point in NAV for the landlord (the housing adviser)."
            )
    return errors


def _check_household(values: Mapping[str, Any], municipality: Municipality) -> None:
    household: Household | None = values.get("household")
    if household is not None and household.municipality_id != municipality.pk:
        raise ValidationError({"household": _("Choose a household of the municipality.")})
    entry: WaitingListEntry | None = values.get("entry")
    if entry is not None:
        if entry.household_id != (household.pk if household else None):
            raise ValidationError({"entry": _("The waiting list entry is another household's.")})
        if entry.status != EntryStatus.WAITING:
            raise ValidationError(
                {"entry": _("The household is not waiting (it has an offer or is on hold).")}
            )
    case: Case | None = values.get("guarantee_case")
    if case is not None:
        if household is None or case.household_id != household.pk:
            raise ValidationError({"guarantee_case": _("The application is another household's.")})
        if not case.routings.filter(help_kind=HelpKind.DEPOSIT_GUARANTEE).exists():
            raise ValidationError(
                {"guarantee_case": _("The case is not an application for a deposit guarantee.")}
            )
    unit: Unit | None = values.get("nav_unit")
    if unit is not None and unit.municipality_id != municipality.pk:
        raise ValidationError({"nav_unit": _("Choose a unit of the municipality.")})


def _head_lease_dwelling(actor: User, agreement: Agreement) -> Dwelling:
    """The head-leased flat becomes a dwelling of the housing register (ownership: head lease),
    so the ordinary allocation and lease code can sublet it."""
    offered = agreement.offered_dwelling
    assert offered is not None  # noqa: S101 - checked by _needs
    if offered.dwelling_id:
        return offered.dwelling  # type: ignore[return-value]
    building = Building.objects.filter(
        municipality_id=agreement.municipality_id, address=offered.address
    ).first()
    if building is None:
        building = building_create(
            actor=actor,
            data={
                "municipality": agreement.municipality,
                "name": offered.address,
                "address": offered.address,
                "postal_code": offered.postal_code,
                "postal_town": offered.postal_town,
                "district": offered.district,
            },
        )
    number = f"I{agreement.pk:04d}"[:10]
    dwelling = dwelling_create(
        actor=actor,
        data={
            "building": building,
            "number": number,
            "rooms": offered.rooms,
            "area_m2": offered.area_m2,
            "category": DwellingCategory.ORDINARY,
            "ownership": Ownership.HEAD_LEASE,
            "monthly_rent": agreement.rent_to_owner or offered.monthly_rent,
        },
        status_from=agreement.start_date,
    )
    offered.dwelling = dwelling
    offered.save(update_fields=["dwelling"])
    return dwelling


@transaction.atomic
def agreement_create(
    *, actor: User, landlord: Landlord, kind: str, data: Mapping[str, Any]
) -> Agreement:
    """Make an agreement of one of the four kinds with the landlord.

    - Head lease: in force from its start; the flat becomes a dwelling of the housing register
      owned through a head lease, vacant until the first sublease (rent is paid to the owner
      also while it is empty, so those days are counted as vacancy cost).
    - Brokerage: proposed, with the household (from the waiting list or not); in force when the
      lease between landlord and tenant is signed (``brokerage_lease_signed``).
    - Nomination: in force from its start, for the period and the share of flats agreed.
    - Deposit guarantee: proposed with the household's application; in force when NAV issues the
      guarantee (the decision letter is linked by the ``cases`` hook, not copied).
    """
    require_landlord_role(actor, landlord.municipality_id)
    if kind not in AgreementKind.values:
        raise ValidationError({"kind": _("Choose the kind of agreement.")})
    if landlord.dishonest or not landlord.active:
        raise ValidationError(
            _("The landlord is marked as dishonest or is no longer in the register.")
        )
    values = dict(data)
    errors = _needs(kind, values)
    if errors:
        raise ValidationError(errors)
    municipality = landlord.municipality
    _check_household(values, municipality)
    offered: OfferedDwelling | None = values.get("offered_dwelling")
    if offered is not None:
        if offered.landlord_id != landlord.pk:
            raise ValidationError({"offered_dwelling": _("The dwelling is another landlord's.")})
        if offered.state in {OfferState.UNSUITABLE, OfferState.WITHDRAWN}:
            raise ValidationError(
                {"offered_dwelling": _("The dwelling is not suitable or has been withdrawn.")}
            )
        live = offered.agreements.exclude(status=AgreementStatus.ENDED)
        if (
            kind in {AgreementKind.BROKERAGE, AgreementKind.HEAD_LEASE}
            and live.filter(kind__in=[AgreementKind.BROKERAGE, AgreementKind.HEAD_LEASE]).exists()
        ):
            raise ValidationError(
                {"offered_dwelling": _("The dwelling already has an agreement in force.")}
            )
    in_force = kind in {AgreementKind.HEAD_LEASE, AgreementKind.NOMINATION}
    agreement = create_audited(
        actor=actor,
        action=f"agreement_create_{kind}",
        instance=Agreement(
            municipality=municipality,
            landlord=landlord,
            kind=kind,
            status=AgreementStatus.ACTIVE if in_force else AgreementStatus.PROPOSED,
            created_by=actor,
            **values,
        ),
        municipality=municipality,
        person_id=None,
    )
    if offered is not None and kind in {AgreementKind.BROKERAGE, AgreementKind.HEAD_LEASE}:
        offered.state = OfferState.IN_AGREEMENT
        offered.save(update_fields=["state"])
    if kind == AgreementKind.HEAD_LEASE:
        _head_lease_dwelling(actor, agreement)
    if in_force:
        _fact(agreement, FactKind.AGREEMENT, agreement.start_date)
    if kind == AgreementKind.DEPOSIT_GUARANTEE and values.get("guarantee_case"):
        decision = _issued_guarantee(values["guarantee_case"])
        if decision is not None:
            guarantee_granted(agreement, decision)
    return agreement


def _issued_guarantee(case: Case) -> Decision | None:
    return (
        Decision.objects.filter(
            case=case,
            help_kind=HelpKind.DEPOSIT_GUARANTEE,
            kind=DecisionKind.APPROVAL,
            status=DecisionStatus.ISSUED,
        )
        .order_by("-issued_on", "-pk")
        .first()
    )


def guarantee_granted(agreement: Agreement, decision: Decision) -> None:
    """Link the guarantee letter (the issued approval of the deposit guarantee case) to the
    agreement; it is in force from then. Called in the issuing transaction by the ``cases`` hook
    (``hooks.decision_issued``) or when the agreement is made after the decision."""
    if agreement.guarantee_decision_id is not None:
        return
    record_change(
        actor=None,
        action="agreement_guarantee_granted",
        instance=agreement,
        municipality=agreement.municipality,
        changes={
            "guarantee_decision_id": [None, decision.pk],
            "status": [agreement.status, AgreementStatus.ACTIVE],
        },
        person_id=_person_id(agreement),
    )
    agreement.guarantee_decision = decision
    agreement.status = AgreementStatus.ACTIVE
    if decision.amount and not agreement.guarantee_amount:
        agreement.guarantee_amount = decision.amount
    agreement.save(update_fields=["guarantee_decision", "status", "guarantee_amount"])
    _fact(agreement, FactKind.AGREEMENT, decision.issued_on or timezone.localdate())


@transaction.atomic
def guarantee_consent_record(
    *,
    actor: User,
    agreement: Agreement,
    given_by: Person,
    given_how: str,
    given_on: dt.date | None = None,
) -> Agreement:
    """The tenant's voluntary consent that the landlord may contact the NAV housing adviser
    directly when the tenant cannot be reached (Rælingen appendix 4 point 2). Kept as a consent
    on the guarantee application, so the household sees it and can withdraw it in Min side."""
    require_landlord_role(actor, agreement.municipality_id)
    if agreement.kind != AgreementKind.DEPOSIT_GUARANTEE or agreement.guarantee_case is None:
        raise ValidationError(_("Only a deposit guarantee has a consent to direct contact."))
    if agreement.consent_id and agreement.consent.withdrawn_at is None:  # type: ignore[union-attr]
        raise ValidationError(_("The consent is already recorded."))
    if agreement.nav_unit is None:
        raise ValidationError({"nav_unit": _("Choose the NAV office that gives the guarantee.")})
    if not agreement.household.members.filter(  # type: ignore[union-attr]
        person=given_by, relation__in=ADULT_RELATIONS
    ).exists():
        raise ValidationError(
            {"given_by": _("Consent is given by an adult member of the household.")}
        )
    consent = consent_give(
        actor=actor,
        case=agreement.guarantee_case,
        given_by=given_by,
        units=[agreement.nav_unit],
        purposes=[Purpose.LANDLORD_CONTACT],
        data_categories=[],
        given_how=given_how,
        given_on=given_on,
    )
    return update_audited(
        actor=actor,
        action="agreement_guarantee_consent",
        instance=agreement,
        data={"consent": consent},
        municipality=agreement.municipality,
    )


@transaction.atomic
def brokerage_lease_signed(*, actor: User, agreement: Agreement, signed_on: dt.date) -> Agreement:
    """The landlord and the brokered household have signed their lease: the brokerage is in
    force, the household leaves the waiting list as housed, its temporary stay (if any) ends
    through the registered hooks, and the brokerage is counted."""
    require_landlord_role(actor, agreement.municipality_id)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.kind != AgreementKind.BROKERAGE or locked.status != AgreementStatus.PROPOSED:
        raise ValidationError(_("Only a proposed brokerage can be signed."))
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signature cannot be dated in the future.")})
    entry = (
        WaitingListEntry.objects.select_for_update().get(pk=locked.entry_id)
        if locked.entry_id
        else None
    )
    if entry is not None and entry.offers.filter(status__in=LIVE_OFFER).exists():
        raise ValidationError(
            _(
                "The household has an open or accepted offer of a municipal dwelling. "
                "Withdraw the offer first."
            )
        )
    update_audited(
        actor=actor,
        action="brokerage_lease_signed",
        instance=locked,
        data={"status": AgreementStatus.ACTIVE, "tenant_lease_signed_on": signed_on},
        municipality=locked.municipality,
    )
    if entry is not None and entry.status in LIVE_ENTRY:
        allocation_actions.waiting_list_close(actor=actor, entry=entry, status=EntryStatus.HOUSED)
    from_stay = any([hook(locked, actor) for hook in brokered_hooks])  # noqa: C419 - call every hook
    if from_stay:
        source = BrokeredFrom.TEMPORARY_STAY
    elif entry is not None:
        source = BrokeredFrom.WAITING_LIST
    else:
        source = BrokeredFrom.OTHER
    _fact(locked, FactKind.BROKERED, signed_on, brokered_from=source)
    _fact(locked, FactKind.AGREEMENT, signed_on)
    return locked


@transaction.atomic
def nomination_referral_create(
    *, actor: User, agreement: Agreement, entry: WaitingListEntry, flat: str, referred_on: dt.date
) -> NominationReferral:
    """Refer a household waiting on the list to one flat under a nomination agreement: only
    while the agreement is in force and inside its period, and only as many households as the
    share of flats the municipality refers to (the agreement row is locked, so two referrals at
    once cannot pass the share together)."""
    require_landlord_role(actor, agreement.municipality_id)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.kind != AgreementKind.NOMINATION:
        raise ValidationError(_("Households are referred only under a nomination agreement."))
    if locked.status == AgreementStatus.ENDED:
        raise ValidationError(_("The nomination agreement has ended."))
    if locked.status == AgreementStatus.PROPOSED:
        raise ValidationError(_("The nomination agreement is not yet in force."))
    if referred_on > timezone.localdate():
        raise ValidationError({"referred_on": _("The referral cannot be dated in the future.")})
    if referred_on < locked.start_date or (
        locked.end_date is not None and referred_on > locked.end_date
    ):
        raise ValidationError({"referred_on": _("The date is outside the agreement's period.")})
    share = locked.flats_nominated or 0
    if locked.referrals.count() >= share:
        raise ValidationError(
            _("Every flat of the agreement's share is referred (%(n)s).") % {"n": share}
        )
    flat = flat.strip()
    if not flat:
        raise ValidationError({"flat": _("Name the flat in the project.")})
    if locked.referrals.filter(flat__iexact=flat).exists():
        raise ValidationError({"flat": _("A household has already been referred to this flat.")})
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.municipality_id != locked.municipality_id:
        raise ValidationError({"entry": _("Choose a household of the municipality.")})
    if entry.status != EntryStatus.WAITING:
        raise ValidationError(
            {"entry": _("The household is not waiting (it has an offer or is on hold).")}
        )
    if locked.referrals.filter(household_id=entry.household_id).exists():
        raise ValidationError(
            {"entry": _("The household has already been referred under this agreement.")}
        )
    applicant = entry.household.members.filter(relation="applicant").first()
    return create_audited(
        actor=actor,
        action="nomination_referral_create",
        instance=NominationReferral(
            agreement=locked,
            household=entry.household,
            entry=entry,
            flat=flat,
            referred_on=referred_on,
            referred_by=actor,
        ),
        municipality=locked.municipality,
        person_id=applicant.person_id if applicant else None,
    )


@transaction.atomic
def agreement_end(
    *, actor: User, agreement: Agreement, ended_on: dt.date, reason: str
) -> Agreement:
    """End an agreement (or drop a proposal). A head lease ends only when no sublease is in
    force; the offered dwelling is free again."""
    require_landlord_role(actor, agreement.municipality_id)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status == AgreementStatus.ENDED:
        raise ValidationError(_("The agreement has already ended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the agreement ends.")})
    if ended_on < locked.start_date:
        raise ValidationError({"ended_on": _("The agreement cannot end before it starts.")})
    if locked.kind == AgreementKind.HEAD_LEASE and locked.offered_dwelling is not None:
        from husly.tenancy.models import PENDING_LEASE, Lease, LeaseStatus

        dwelling_id = locked.offered_dwelling.dwelling_id or 0
        if Lease.objects.filter(
            dwelling_id=dwelling_id, status__in=[LeaseStatus.ACTIVE, *PENDING_LEASE]
        ).exists():
            raise ValidationError(
                _("A sublease of the dwelling is in force or being signed. End it first.")
            )
    update_audited(
        actor=actor,
        action="agreement_end",
        instance=locked,
        data={
            "status": AgreementStatus.ENDED,
            "ended_on": ended_on,
            "end_reason": reason.strip(),
        },
        municipality=locked.municipality,
    )
    offered = locked.offered_dwelling
    if offered is not None and offered.state == OfferState.IN_AGREEMENT:
        offered.state = OfferState.APPROVED
        offered.save(update_fields=["state"])
    return locked


# --- head lease: keys and faults ----------------------------------------------------------------


def _head_lease(agreement: Agreement) -> None:
    if agreement.kind != AgreementKind.HEAD_LEASE:
        raise ValidationError(_("Keys and fault reports belong to a head lease."))


@transaction.atomic
def spare_key_register(*, actor: User, agreement: Agreement, label: str, kept_at: str) -> SpareKey:
    """The municipality keeps a spare key to get in during a crisis, on the owner's behalf."""
    require_landlord_role(actor, agreement.municipality_id)
    _head_lease(agreement)
    return create_audited(
        actor=actor,
        action="spare_key_register",
        instance=SpareKey(agreement=agreement, label=label, kept_at=kept_at),
        municipality=agreement.municipality,
    )


@transaction.atomic
def key_entry_record(
    *, actor: User, key: SpareKey, entered_at: dt.datetime, reason: str, owner_told: bool
) -> KeyEntry:
    """Log an entry with a spare key: when, why, and whether the owner was told."""
    require_landlord_role(actor, key.agreement.municipality_id)
    if entered_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"entered_at": _("An entry cannot be logged in the future.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the dwelling was entered.")})
    return create_audited(
        actor=actor,
        action="key_entry_record",
        instance=KeyEntry(
            key=key,
            entered_at=entered_at,
            reason=reason.strip(),
            owner_told=owner_told,
            recorded_by=actor,
        ),
        municipality=key.agreement.municipality,
    )


@transaction.atomic
def fault_report(
    *, actor: User, agreement: Agreement, reported_on: dt.date, description: str
) -> FaultReport:
    """The subtenant reports a fault to the municipality (never to the owner directly)."""
    require_landlord_role(actor, agreement.municipality_id)
    _head_lease(agreement)
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The date cannot be in the future.")})
    return create_audited(
        actor=actor,
        action="fault_report",
        instance=FaultReport(
            agreement=agreement,
            reported_on=reported_on,
            description=description.strip(),
            recorded_by=actor,
        ),
        municipality=agreement.municipality,
    )


@transaction.atomic
def fault_update(*, actor: User, fault: FaultReport, status: str, on: dt.date) -> FaultReport:
    """The fault was passed on to the owner, or fixed."""
    require_landlord_role(actor, fault.agreement.municipality_id)
    if status not in {FaultStatus.OWNER_TOLD, FaultStatus.FIXED}:
        raise ValidationError({"status": _("Choose what happened.")})
    if on > timezone.localdate() or on < fault.reported_on:
        raise ValidationError({"on": _("The date must be between the report and today.")})
    data: dict[str, Any] = {"status": status}
    data["owner_told_on" if status == FaultStatus.OWNER_TOLD else "fixed_on"] = on
    return update_audited(
        actor=actor,
        action="fault_update",
        instance=fault,
        data=data,
        municipality=fault.agreement.municipality,
    )


# --- vacancy cost -------------------------------------------------------------------------------


@transaction.atomic
def vacancy_costs_record(
    *, actor: User | None, municipality: Municipality, month: dt.date
) -> list[LandlordFact]:
    """Store, for each head lease in force during ``month``, the days its dwelling stood empty
    and the rent paid to the owner for them (the owner is paid whether the dwelling is let or not,
    kristiansund L1072–1074). Safe to rerun: one fact per head lease and month. Run monthly by
    ``manage.py landlords_vacancy`` for the month just ended; ``actor`` is None for the job."""
    require_landlord_role(actor, municipality.pk)
    start = month.replace(day=1)
    end = deadlines.add_months(start, 1)
    leases = Agreement.objects.filter(
        municipality=municipality,
        kind=AgreementKind.HEAD_LEASE,
        start_date__lt=end,
        offered_dwelling__dwelling__isnull=False,
    ).select_related("offered_dwelling")
    stored = []
    for agreement in leases:
        if agreement.ended_on is not None and agreement.ended_on < start:
            continue
        lo = max(start, agreement.start_date)
        hi = min(end, agreement.ended_on + dt.timedelta(days=1)) if agreement.ended_on else end
        assert agreement.offered_dwelling is not None  # noqa: S101 - filtered above
        days = vacant_days(agreement.offered_dwelling.dwelling_id or 0, lo, hi)
        cost = round(days * daily_cost(agreement.rent_to_owner or 0, start))
        stored.append(_fact(agreement, FactKind.VACANCY_COST, start, vacant_days=days, amount=cost))
    if stored:
        with translation.override(municipality.language_form):
            record_change(
                actor=actor,
                action="vacancy_costs_record",
                instance=municipality,
                municipality=municipality,
                changes={"month": [None, start.isoformat()], "leases": [None, len(stored)]},
            )
    return stored

"""State changes of the waiting list, matching runs, allocation meetings and offers.

Each is atomic and writes its audit event in the same transaction. The engine only proposes:
an offer exists only because a person confirmed it (``meeting_item_decide`` or ``offer_make``).
Sources: Rælingen guideline points 6–7 (raelingen L5451–5561) and appendix 1 steps 5–7;
Oslo's practice on refusals (oslo L6127–6133, L6541–6543); engineering-anchors C3.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.allocation import engine
from husly.allocation.extensions import offer_made_handlers
from husly.allocation.models import (
    LIVE_ENTRY,
    LIVE_OFFER,
    AllocationMeeting,
    AllocationPolicy,
    AnsweredVia,
    EntryStatus,
    ItemDecision,
    MatchingRun,
    MeetingItem,
    MeetingStatus,
    Offer,
    OfferStatus,
    RefusalRule,
    RunKind,
    Urgency,
    WaitingListEntry,
)
from husly.allocation.selectors import POLICY_WRITE, require_allocation_role
from husly.audit.events import record_change
from husly.cases.models import Decision, DecisionKind, HelpKind
from husly.cases.selectors import require_case_role
from husly.core.actions import create_audited, update_audited
from husly.housing.actions import dwelling_status_change
from husly.housing.models import Dwelling, DwellingCategory, DwellingStatus
from husly.matching import (
    MatchingPolicy,
    PriorityPolicy,
    propose_batch,
    shortlist_for_dwelling,
)
from husly.organisation.access import require_permission
from husly.organisation.models import Municipality, User
from husly.people.models import Relation

CATEGORIES_BY_HELP = {
    HelpKind.RENTAL_DWELLING: [DwellingCategory.ORDINARY],
    HelpKind.DWELLING_WITH_SERVICES: [
        DwellingCategory.WITH_SERVICES,
        DwellingCategory.CARE,
        DwellingCategory.SHARED,
        DwellingCategory.TRAINING,
    ],
}
WAITING_LIST_KINDS = {DecisionKind.APPROVAL, DecisionKind.SWAP}


def _person_id(entry: WaitingListEntry) -> int | None:
    member = entry.household.members.filter(relation=Relation.APPLICANT).first()
    return member.person_id if member else None


def _record(
    actor: User | None,
    action: str,
    instance: Any,
    municipality: Municipality,
    changes: dict[str, Any],
    *,
    person_id: int | None = None,
) -> None:
    record_change(
        actor=actor,
        action=action,
        instance=instance,
        municipality=municipality,
        changes=changes,
        person_id=person_id,
    )


# --- policy --------------------------------------------------------------------------------------


def current_policy(municipality: Municipality | int) -> AllocationPolicy | None:
    """The municipality's policy in force (``municipality``: the municipality or its id)."""
    return AllocationPolicy.objects.filter(municipality=municipality).first()


@transaction.atomic
def allocation_policy_set(
    *, actor: User | None, municipality: Municipality, data: Mapping[str, Any]
) -> AllocationPolicy:
    """Store a new version of the policy (never edit an old one: runs refer to it)."""
    require_permission(actor, municipality.pk, POLICY_WRITE)
    try:
        priority = PriorityPolicy.from_mapping({**data["priority"], "version": data["version"]})
        matching = MatchingPolicy.from_mapping({**data["matching"], "version": data["version"]})
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(_("The policy is not valid: %(error)s") % {"error": exc}) from exc
    if AllocationPolicy.objects.filter(municipality=municipality, version=data["version"]).exists():
        raise ValidationError({"version": _("This version already exists. Give a new one.")})
    policy = AllocationPolicy(
        municipality=municipality,
        version=data["version"],
        priority=priority.to_mapping(),
        matching=matching.to_mapping(),
        refusal_rule=data.get("refusal_rule", RefusalRule.LAPSE),
        refusals_allowed=data.get("refusals_allowed", 1),
        answer_days=data.get("answer_days", 7),
        created_by=actor,
    )
    return create_audited(
        actor=actor, action="allocation_policy_set", instance=policy, municipality=municipality
    )


def policy_for(municipality: Municipality) -> AllocationPolicy:
    """The policy in force; the design default (version ``standard-1``) on first use."""
    policy = current_policy(municipality)
    if policy is None:
        policy = allocation_policy_set(
            actor=None,
            municipality=municipality,
            data={
                "version": "standard-1",
                "priority": engine.DEFAULT_PRIORITY,
                "matching": engine.DEFAULT_MATCHING,
            },
        )
    return policy


# --- waiting list --------------------------------------------------------------------------------


URGENCY_BY_HOUSING = {
    "no_home": Urgency.HOMELESS,
    "temporary_accommodation": Urgency.TEMPORARY_ACCOMMODATION,
    "institution": Urgency.LEAVING_INSTITUTION,
}


def _urgency(application: Any) -> int:
    """The housing situation from the application (Rælingen 5.4 a–c)."""
    if application is None:
        return Urgency.NONE
    if application.housing_kind in URGENCY_BY_HOUSING:
        return URGENCY_BY_HOUSING[application.housing_kind]
    if application.institution_discharge_date:
        return Urgency.LEAVING_INSTITUTION
    if application.lease_end_date:
        return Urgency.LEASE_ENDING
    unsuitable = application.current_dwelling_is_suitable is False
    return (
        Urgency.UNSUITABLE_DWELLING
        if unsuitable or application.is_without_suitable_housing
        else Urgency.NONE
    )


@transaction.atomic
def waiting_list_place(*, actor: User | None, decision: Decision) -> WaitingListEntry | None:
    """Place the household of an issued approval (or approved swap) on the waiting list, with
    the needs the decision and application state. Called by the ``on_decision_issued`` hook."""
    require_allocation_role(actor, decision.case.municipality_id)
    case = decision.case
    renewal = getattr(case, "renewal", None)
    moves_on = (
        decision.kind == DecisionKind.RENEWAL
        and renewal is not None
        and renewal.alternative == "other_dwelling"
    )
    if (decision.kind not in WAITING_LIST_KINDS and not moves_on) or (
        decision.help_kind not in CATEGORIES_BY_HELP
    ):
        return None
    household = case.household
    application = getattr(case, "application", None)
    live = WaitingListEntry.objects.filter(household=household, status__in=LIVE_ENTRY).first()
    if live is not None:
        raise ValidationError(
            _("The household is already on the waiting list (since %(date)s).")
            % {"date": live.placed_on.strftime("%d.%m.%Y")}
        )
    current_lease = None
    if decision.kind == DecisionKind.SWAP or moves_on:
        from husly.tenancy.models import Lease, LeaseStatus

        current_lease = Lease.objects.filter(household=household, status=LeaseStatus.ACTIVE).first()
    wishes = [w.strip() for w in (application.wished_districts if application else "").split(",")]
    members = list(household.members.all())
    entry = WaitingListEntry(
        municipality=case.municipality,
        household=household,
        decision=decision,
        current_lease=current_lease,
        placed_on=decision.issued_on or timezone.localdate(),
        persons=max(len(members), 1),
        categories=list(CATEGORIES_BY_HELP[HelpKind(decision.help_kind)]),
        preferred_district=next((w for w in wishes if w), ""),
        needs_wheelchair=bool(application and application.needs_wheelchair_access),
        max_floor=(1 if application.needs_lift else application.max_floor) if application else None,
        medical=1
        if application
        and (application.has_health_problems or application.has_reduced_functional_ability)
        else 0,
        social=1 if application and application.has_social_problems else 0,
        children=1 if any(m.relation == Relation.CHILD for m in members) else 0,
        urgency=_urgency(application),
    )
    return create_audited(
        actor=actor,
        action="waiting_list_place",
        instance=entry,
        municipality=case.municipality,
        person_id=_person_id(entry),
    )


@transaction.atomic
def waiting_list_transfer(
    *, actor: User | None, entry: WaitingListEntry, decision: Decision
) -> WaitingListEntry:
    """A new approval that replaces the one an entry rests on (a changed decision after an
    appeal, or a correction under forvaltningsloven § 35) carries the entry over: the household
    keeps its place and its waiting time counts from the first approval (``placed_on``); the
    entry now rests on the new decision and its kind of help. Called by the decision hook."""
    require_allocation_role(actor, entry.municipality_id)
    if decision.replaces_id != entry.decision_id or decision.kind not in WAITING_LIST_KINDS:
        raise ValueError("only an approval that replaces the entry's decision carries it over")
    if decision.help_kind not in CATEGORIES_BY_HELP:
        raise ValidationError(_("The new decision is not for a kind of help with a waiting list."))
    return update_audited(
        actor=actor,
        action="waiting_list_transfer",
        instance=entry,
        data={
            "decision": decision,
            "categories": list(CATEGORIES_BY_HELP[HelpKind(decision.help_kind)]),
        },
        municipality=entry.municipality,
    )


@transaction.atomic
def waiting_list_entry_assess(
    *, actor: User, entry: WaitingListEntry, data: Mapping[str, Any]
) -> WaitingListEntry:
    """Record the priority assessment and dwelling needs (levels, urgency, areas, access)."""
    require_allocation_role(actor, entry.municipality_id)
    allowed = {
        "medical",
        "social",
        "children",
        "urgency",
        "heavy_needs",
        "needs_wheelchair",
        "max_floor",
        "preferred_district",
        "allowed_districts",
        "categories",
        "persons",
    }
    if set(data) - allowed:
        raise ValueError(f"unknown fields {sorted(set(data) - allowed)}")
    return update_audited(
        actor=actor,
        action="waiting_list_entry_assess",
        instance=entry,
        data=data,
        municipality=entry.municipality,
    )


@transaction.atomic
def waiting_list_entry_adjust(
    *, actor: User, entry: WaitingListEntry, points: int, reason: str
) -> WaitingListEntry:
    """A manual adjustment of the priority: always with a reason (Rælingen 5.1 and 6)."""
    require_allocation_role(actor, entry.municipality_id)
    if points != 0 and not reason.strip():
        raise ValidationError({"reason": _("A manual adjustment needs a reason.")})
    return update_audited(
        actor=actor,
        action="waiting_list_entry_adjust",
        instance=entry,
        data={"manual_points": points, "manual_reason": reason.strip() if points else ""},
        municipality=entry.municipality,
    )


@transaction.atomic
def waiting_list_entry_resume(
    *, actor: User, entry: WaitingListEntry, reason: str
) -> WaitingListEntry:
    """After a refusal put on hold: keep the household on the list because the refusal had
    weighty reasons (Oslo: *tungtveiende grunner*), with the reason recorded."""
    require_allocation_role(actor, entry.municipality_id)
    if entry.status != EntryStatus.ON_HOLD:
        raise ValidationError(_("Only an entry on hold can be put back on the list."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the household keeps its place.")})
    update_audited(
        actor=actor,
        action="waiting_list_entry_resume",
        instance=entry,
        data={"status": EntryStatus.WAITING},
        municipality=entry.municipality,
    )
    _record(
        actor,
        "waiting_list_entry_resume_reason",
        entry,
        entry.municipality,
        {"reason": [None, reason]},
        person_id=_person_id(entry),
    )
    return entry


@transaction.atomic
def waiting_list_lapse_draft(*, actor: User, entry: WaitingListEntry) -> Decision:
    """Draft the lapse decision (Rælingen 7.3 b) through the cases machinery; it replaces the
    approval and goes through approval and issuing like any decision. Issuing it closes the
    entry (``husly.allocation.hooks``)."""
    require_case_role(actor, entry.decision.case)
    from husly.cases.actions import decision_draft

    if entry.status != EntryStatus.ON_HOLD:
        raise ValidationError(_("A lapse decision is drafted only for an entry on hold."))
    approval = entry.decision
    if Decision.objects.filter(replaces=approval).exists():
        raise ValidationError(_("A decision replacing the approval already exists."))
    refused = entry.offers.filter(status=OfferStatus.REFUSED).select_related("dwelling").first()
    facts = _(
        "The household refused the offer of %(dwelling)s on %(date)s. Reason given: %(reason)s"
    ) % {
        "dwelling": refused.dwelling if refused else "–",
        "date": refused.answered_at.strftime("%d.%m.%Y")
        if refused and refused.answered_at
        else "–",
        "reason": refused.refusal_reason if refused else "–",
    }
    return decision_draft(
        actor=actor,
        case=approval.case,
        replaces=approval,
        data={
            "help_kind": approval.help_kind,
            "kind": DecisionKind.LAPSE,
            "facts": facts,
            "reasoning": _(
                "Under the municipality's guideline point 7.3 b the approval lapses "
                "when the applicant refuses an offer of a suitable dwelling."
            ),
            "follow_up_unit": approval.follow_up_unit,
        },
    )


@transaction.atomic
def waiting_list_close(
    *, actor: User | None, entry: WaitingListEntry, status: str
) -> WaitingListEntry:
    require_allocation_role(actor, entry.municipality_id)
    if status not in {EntryStatus.HOUSED, EntryStatus.LAPSED, EntryStatus.WITHDRAWN}:
        raise ValueError(status)
    entry.closed_on = timezone.localdate()
    return update_audited(
        actor=actor,
        action="waiting_list_close",
        instance=entry,
        data={"status": status},
        municipality=entry.municipality,
    )


# --- matching ------------------------------------------------------------------------------------


def _store_run(
    *,
    actor: User | None,
    municipality: Municipality,
    kind: str,
    policy: AllocationPolicy,
    inp: Any,
    result: dict[str, Any],
    seconds: float,
    snapshot: dict[str, Any] | None = None,
) -> MatchingRun:
    run = MatchingRun.objects.create(
        municipality=municipality,
        kind=kind,
        policy=policy,
        seed=inp.seed,
        input_digest=inp.digest(),
        snapshot=snapshot or {"input": inp.to_dict()},
        result=result,
        seconds=seconds,
        created_by=actor,
    )
    _record(
        actor,
        f"matching_run_{kind}",
        run,
        municipality,
        {
            "input_digest": [None, run.input_digest],
            "seed": [None, run.seed],
            "policy": [None, policy.version],
        },
    )
    return run


@transaction.atomic
def matching_shortlist(*, actor: User, dwelling: Dwelling, seed: int | None = None) -> MatchingRun:
    """Rank the compatible waiting households for one vacant dwelling; the run is stored with
    its input and the shortlist with every reason."""
    require_allocation_role(actor, dwelling.building.municipality_id)
    municipality = dwelling.building.municipality
    if not _offerable(dwelling):
        raise ValidationError(_("Only a vacant dwelling can be matched."))
    policy = policy_for(municipality)
    seed = secrets.randbelow(2**31) if seed is None else seed
    started = time.perf_counter()
    inp = engine.build_input(
        municipality, policy, today=timezone.localdate(), seed=seed, dwellings=[dwelling]
    )
    shortlist = shortlist_for_dwelling(inp, dwelling.pk, limit=10, explain_excluded=10)
    return _store_run(
        actor=actor,
        municipality=municipality,
        kind=RunKind.SHORTLIST,
        policy=policy,
        inp=inp,
        result=shortlist.to_dict(),
        seconds=time.perf_counter() - started,
    )


# --- meetings ------------------------------------------------------------------------------------


@transaction.atomic
def allocation_meeting_create(
    *, actor: User, municipality: Municipality, data: Mapping[str, Any]
) -> AllocationMeeting:
    require_allocation_role(actor, municipality.pk)
    meeting = AllocationMeeting(municipality=municipality, created_by=actor, **data)
    return create_audited(
        actor=actor, action="allocation_meeting_create", instance=meeting, municipality=municipality
    )


def _open(meeting: AllocationMeeting) -> None:
    if meeting.status != MeetingStatus.OPEN:
        raise ValidationError(_("The meeting is closed; its minutes are final."))


@transaction.atomic
def allocation_meeting_update(
    *, actor: User, meeting: AllocationMeeting, data: Mapping[str, Any]
) -> AllocationMeeting:
    require_allocation_role(actor, meeting.municipality_id)
    _open(meeting)
    return update_audited(
        actor=actor,
        action="allocation_meeting_update",
        instance=meeting,
        data=data,
        municipality=meeting.municipality,
    )


@transaction.atomic
def allocation_meeting_propose(
    *, actor: User, meeting: AllocationMeeting, seed: int | None = None
) -> MatchingRun:
    """Run the batch solver over every vacancy and the whole waiting list; put each vacancy on
    the agenda with its proposed household and the explanation. Undecided items of an earlier
    run are replaced."""
    require_allocation_role(actor, meeting.municipality_id)
    _open(meeting)
    municipality = meeting.municipality
    policy = policy_for(municipality)
    seed = secrets.randbelow(2**31) if seed is None else seed
    started = time.perf_counter()
    inp = engine.build_input(municipality, policy, today=timezone.localdate(), seed=seed)
    proposal = propose_batch(inp)
    snapshot = proposal.to_dict(include_input=True)
    result = {k: v for k, v in snapshot.items() if k != "input"}
    run = _store_run(
        actor=actor,
        municipality=municipality,
        kind=RunKind.BATCH,
        policy=policy,
        inp=inp,
        result=result,
        seconds=time.perf_counter() - started,
        snapshot=snapshot,
    )
    meeting.items.filter(decision=ItemDecision.PROPOSED).delete()
    decided = set(meeting.items.values_list("dwelling_id", flat=True))
    by_dwelling = {a.dwelling_id: a.household_id for a in proposal.assignments}
    entries = {e.pk: e for e in WaitingListEntry.objects.filter(pk__in=by_dwelling.values())}
    for dwelling_id in (int(x) for x in inp.dwellings.id):
        if dwelling_id in decided:
            continue
        household_id = by_dwelling.get(dwelling_id)
        MeetingItem.objects.create(
            meeting=meeting,
            dwelling_id=dwelling_id,
            proposed_entry=entries.get(household_id) if household_id else None,
            explanation=proposal.explain_dwelling(dwelling_id).to_dict(),
        )
    update_audited(
        actor=actor,
        action="allocation_meeting_propose",
        instance=meeting,
        data={"run": run},
        municipality=municipality,
    )
    return run


@transaction.atomic
def meeting_item_decide(
    *,
    actor: User,
    item: MeetingItem,
    confirm: bool,
    reason: str,
    entry: WaitingListEntry | None = None,
    unit: int | None = None,
) -> MeetingItem:
    """The members decide one vacancy: confirm the proposal (or another household, with a
    reason) and the offer is made; or offer nobody this time, with a reason."""
    require_allocation_role(actor, item.meeting.municipality_id)
    _open(item.meeting)
    locked = MeetingItem.objects.select_for_update().get(pk=item.pk)
    if locked.decision != ItemDecision.PROPOSED:
        raise ValidationError(_("This vacancy has already been decided."))
    chosen = entry or item.proposed_entry
    if confirm and chosen is None:
        raise ValidationError(_("Choose the household to offer the dwelling to."))
    differs = confirm and item.proposed_entry_id is not None and chosen != item.proposed_entry
    if (not confirm or differs or item.proposed_entry_id is None) and not reason.strip():
        raise ValidationError(
            {"reason": _("Give the reason when the meeting departs from the proposal.")}
        )
    update_audited(
        actor=actor,
        action="meeting_item_decide",
        instance=item,
        data={
            "decision": ItemDecision.CONFIRMED if confirm else ItemDecision.REJECTED,
            "chosen_entry": chosen if confirm else None,
            "reason": reason,
            "decided_by": actor,
        },
        municipality=item.meeting.municipality,
    )
    if confirm and chosen is not None:
        offer_make(actor=actor, entry=chosen, dwelling=item.dwelling, item=item, unit=unit)
    return item


@transaction.atomic
def allocation_meeting_close(*, actor: User, meeting: AllocationMeeting) -> AllocationMeeting:
    require_allocation_role(actor, meeting.municipality_id)
    _open(meeting)
    if meeting.items.filter(decision=ItemDecision.PROPOSED).exists():
        raise ValidationError(_("Decide every vacancy on the agenda before closing the meeting."))
    if not meeting.minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes before closing the meeting.")})
    return update_audited(
        actor=actor,
        action="allocation_meeting_close",
        instance=meeting,
        data={"status": MeetingStatus.CLOSED},
        municipality=meeting.municipality,
    )


# --- offers --------------------------------------------------------------------------------------


def _compatible(entry: WaitingListEntry, dwelling: Dwelling) -> None:
    """The hard constraints, checked again by the engine for a single pair, so a person's
    choice can never break them."""
    policy = policy_for(entry.municipality)
    inp = engine.build_input(
        entry.municipality, policy, today=timezone.localdate(), seed=0, dwellings=[dwelling]
    )
    if entry.pk not in {int(x) for x in inp.households.id}:
        raise ValidationError(_("The household is not waiting for an offer."))
    sl = shortlist_for_dwelling(
        inp, dwelling.pk, limit=len(inp.households), explain_excluded=len(inp.households)
    )
    for excluded in sl.excluded:
        if excluded.household_id == entry.pk:
            raise ValidationError(
                _("The dwelling does not fit the household: %(reasons)s")
                % {"reasons": "; ".join(r.text for r in excluded.reasons)}
            )


@transaction.atomic
def offer_make(
    *,
    actor: User,
    entry: WaitingListEntry,
    dwelling: Dwelling,
    item: MeetingItem | None = None,
    today: dt.date | None = None,
    unit: int | None = None,
) -> Offer:
    """Offer a vacant dwelling to a waiting household. The dwelling row is locked, and the
    database refuses a second live offer for the same dwelling or household. In a shared flat
    one free room (``unit``) is offered; the flat may be let for its other rooms."""
    require_allocation_role(actor, entry.municipality_id)
    day = today or timezone.localdate()
    locked = Dwelling.objects.select_for_update().select_related("building").get(pk=dwelling.pk)
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
    unit = _check_unit(locked, unit)
    if entry.status != EntryStatus.WAITING:
        raise ValidationError(_("The household is not waiting for an offer."))
    if entry.municipality_id != locked.building.municipality_id:
        raise ValidationError(_("The dwelling belongs to another municipality."))
    _compatible(entry, locked)
    policy = policy_for(entry.municipality)
    offer = Offer(
        entry=entry,
        dwelling=locked,
        unit=unit,
        meeting_item=item,
        made_on=day,
        answer_due=day + dt.timedelta(days=policy.answer_days),
        made_by=actor,
    )
    try:
        with transaction.atomic():
            create_audited(
                actor=actor,
                action="offer_make",
                instance=offer,
                municipality=entry.municipality,
                person_id=_person_id(entry),
            )
    except IntegrityError as exc:
        raise ValidationError(_("The dwelling or the household already has an offer.")) from exc
    update_audited(
        actor=actor,
        action="waiting_list_offered",
        instance=entry,
        data={"status": EntryStatus.OFFERED},
        municipality=entry.municipality,
    )
    for handler in offer_made_handlers:
        handler(offer)
    return offer


def _offerable(dwelling: Dwelling) -> bool:
    if dwelling.lettable_units > 1:
        return dwelling.status in engine.SHARED_OFFERABLE
    return dwelling.status == DwellingStatus.VACANT


def _check_unit(dwelling: Dwelling, unit: int | None) -> int:
    """The unit offered: 1 for an ordinary dwelling; a free room of a shared flat, chosen."""
    if not _offerable(dwelling):
        raise ValidationError(_("The dwelling is not vacant."))
    if dwelling.lettable_units == 1:
        if unit not in (None, 1):
            raise ValidationError({"unit": _("The dwelling is not let room by room.")})
        return 1
    if unit is None:
        raise ValidationError({"unit": _("Choose the room to offer in the shared flat.")})
    if unit not in engine.free_units(dwelling):
        raise ValidationError(
            {"unit": _("Room %(unit)s is let or already offered.") % {"unit": unit}}
        )
    return unit


def _lock(offer: Offer) -> Offer:
    return (
        Offer.objects.select_for_update()
        .select_related("entry", "dwelling", "dwelling__building")
        .get(pk=offer.pk)
    )


def _lock_open(offer: Offer) -> Offer:
    locked = _lock(offer)
    if locked.status != OfferStatus.OPEN:
        raise ValidationError(_("The offer has already been answered or withdrawn."))
    return locked


@transaction.atomic
def offer_accept(*, actor: User, offer: Offer, via: str = AnsweredVia.CASEWORKER) -> Offer:
    """The household accepts: the dwelling is reserved for it until the lease starts."""
    require_allocation_role(
        actor, offer.entry.municipality_id, household_id=offer.entry.household_id
    )
    locked = _lock_open(offer)
    now = timezone.now()
    update_audited(
        actor=actor,
        action="offer_accept",
        instance=locked,
        data={"status": OfferStatus.ACCEPTED, "answered_at": now, "answered_via": via},
        municipality=locked.entry.municipality,
    )
    with translation.override(locked.entry.municipality.language_form):
        reason = _("Offer accepted")  # record text: the municipality's written standard
    # A shared flat already let for another room stays occupied.
    if not (locked.dwelling.shared and locked.dwelling.status == DwellingStatus.OCCUPIED):
        dwelling_status_change(
            actor=actor,
            dwelling=locked.dwelling,
            status=DwellingStatus.RESERVED,
            valid_from=timezone.localdate(),
            reason=reason,
        )
    offer.refresh_from_db()
    return locked


@transaction.atomic
def offer_refuse(
    *, actor: User, offer: Offer, reason: str, via: str = AnsweredVia.CASEWORKER
) -> Offer:
    """The household refuses, with its reason. What follows is the municipality's policy:
    under ``lapse`` (Rælingen 7.3 b) the entry is put on hold and a caseworker drafts the lapse
    decision (or keeps the place for weighty reasons); under ``count`` the household keeps its
    place until it has refused more than the allowed number. Nobody is sent to the bottom."""
    require_allocation_role(
        actor, offer.entry.municipality_id, household_id=offer.entry.household_id
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the offer is refused.")})
    locked = _lock_open(offer)
    entry = WaitingListEntry.objects.select_for_update().get(pk=locked.entry_id)
    update_audited(
        actor=actor,
        action="offer_refuse",
        instance=locked,
        data={
            "status": OfferStatus.REFUSED,
            "answered_at": timezone.now(),
            "answered_via": via,
            "refusal_reason": reason,
        },
        municipality=entry.municipality,
    )
    policy = policy_for(entry.municipality)
    refusals = entry.refusals + 1
    over = policy.refusal_rule == RefusalRule.LAPSE or refusals > policy.refusals_allowed
    update_audited(
        actor=actor,
        action="waiting_list_refusal",
        instance=entry,
        data={"refusals": refusals, "status": EntryStatus.ON_HOLD if over else EntryStatus.WAITING},
        municipality=entry.municipality,
    )
    offer.refresh_from_db()
    return locked


@transaction.atomic
def offer_withdraw(*, actor: User, offer: Offer, reason: str) -> Offer:
    """Withdraw an offer the household has not answered, or one it accepted before a lease was
    written (it can no longer move in, say): the household waits again, and a dwelling that was
    reserved for it is vacant again from today."""
    require_allocation_role(actor, offer.entry.municipality_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the offer is withdrawn.")})
    locked = _lock(offer)
    if locked.status not in LIVE_OFFER:
        raise ValidationError(_("The offer has already been refused, withdrawn or leased."))
    others_hold = locked.dwelling.shared and (
        locked.dwelling.status != DwellingStatus.RESERVED
        or Offer.objects.filter(dwelling=locked.dwelling, status=OfferStatus.ACCEPTED)
        .exclude(pk=locked.pk)
        .exists()
    )
    if locked.status == OfferStatus.ACCEPTED and not others_hold:
        with translation.override(locked.entry.municipality.language_form):
            why = _("Accepted offer withdrawn: %(reason)s") % {"reason": reason}  # record text
        dwelling_status_change(
            actor=actor,
            dwelling=locked.dwelling,
            status=DwellingStatus.VACANT,
            valid_from=timezone.localdate(),
            reason=why,
        )
    update_audited(
        actor=actor,
        action="offer_withdraw",
        instance=locked,
        data={"status": OfferStatus.WITHDRAWN, "refusal_reason": reason},
        municipality=locked.entry.municipality,
    )
    update_audited(
        actor=actor,
        action="waiting_list_offer_withdrawn",
        instance=locked.entry,
        data={"status": EntryStatus.WAITING},
        municipality=locked.entry.municipality,
    )
    return locked

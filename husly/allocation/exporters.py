"""The person's waiting-list entries (with the priority breakdown), offers with the household's
answers, and, in the full export, what allocation meetings decided about the household.
Imported by ``husly.audit.export.autodiscover``."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.allocation import engine, selectors
from husly.allocation.actions import current_policy
from husly.allocation.models import MeetingItem, Offer, WaitingListEntry
from husly.audit.export import Scope, Section, plain, register
from husly.housing.models import DwellingCategory
from husly.people.models import Person


def _entries(scope: Scope) -> list[WaitingListEntry]:
    return list(
        WaitingListEntry.objects.filter(household_id__in=scope.household_ids)
        .select_related("household", "decision__case", "municipality")
        .order_by("placed_on", "pk")
    )


def _priority(entry: WaitingListEntry) -> selectors.Row:
    """The priority as the policy in force scores it: today for a live entry, on the day it
    closed for a closed one."""
    policy = current_policy(entry.municipality)
    as_of = entry.closed_on or timezone.localdate()
    data = policy.priority if policy else engine.DEFAULT_PRIORITY
    return selectors.scored([entry], data, as_of)[0]


@register("waiting_list", order=62, models=[WaitingListEntry])
def export_waiting_list(person: Person, scope: Scope) -> Section | None:
    rows = []
    for entry in _entries(scope):
        priority = _priority(entry).priority
        rows.append(
            {
                "household": entry.household.name,
                "case": entry.decision.case.number,
                "placed_on": plain(entry.placed_on),
                "status": entry.get_status_display(),
                "closed_on": plain(entry.closed_on),
                "persons": entry.persons,
                "categories": ", ".join(_category(c) for c in entry.categories),
                "needs": _needs(entry),
                "medical": entry.medical,
                "social": entry.social,
                "children": entry.children,
                "urgency": entry.get_urgency_display(),
                "manual": (
                    f"{entry.manual_points:+d}: {entry.manual_reason}"
                    if entry.manual_points
                    else ""
                ),
                "refusals": entry.refusals,
                "points": f"{priority.total:g} ({priority.band})",
                "breakdown": "; ".join(
                    f"{item.label}: {item.points:g} ({item.detail})" for item in priority.items
                ),
                "priority": priority.to_dict(),
            }
        )
    if not rows:
        return None
    return Section(
        key="waiting_list",
        title=_("The waiting list"),
        fields=[
            ("household", _("Household")),
            ("case", _("Case number")),
            ("placed_on", _("On the list since")),
            ("status", _("Status")),
            ("closed_on", _("Left the list")),
            ("persons", _("Persons")),
            ("categories", _("Dwelling categories")),
            ("needs", _("Needs")),
            ("medical", _("Medical circumstances (0–3)")),
            ("social", _("Social circumstances (0–3)")),
            ("children", _("Children's situation (0–3)")),
            ("urgency", _("Housing situation")),
            ("manual", _("Manual adjustment")),
            ("refusals", _("Offers refused")),
            ("points", _("Priority points")),
            ("breakdown", _("How the points are made up")),
        ],
        rows=rows,
        note=_(
            "The priority is scored with the allocation policy in force: for a household still "
            "waiting as of today, otherwise as of the day it left the list."
        ),
    )


def _category(code: str) -> str:
    return str(DwellingCategory(code).label) if code in DwellingCategory.values else code


def _needs(entry: WaitingListEntry) -> str:
    needs = []
    if entry.needs_wheelchair:
        needs.append(_("wheelchair access"))
    if entry.max_floor is not None:
        needs.append(_("no higher than floor %(floor)s without lift") % {"floor": entry.max_floor})
    if entry.preferred_district:
        needs.append(_("preferred area: %(area)s") % {"area": entry.preferred_district})
    if entry.allowed_districts:
        needs.append(_("only: %(areas)s") % {"areas": ", ".join(entry.allowed_districts)})
    if entry.heavy_needs:
        needs.append(_("heavy follow-up needs"))
    return ", ".join(needs)


@register("offers", order=63, models=[Offer])
def export_offers(person: Person, scope: Scope) -> Section | None:
    offers = (
        Offer.objects.filter(entry__household_id__in=scope.household_ids)
        .select_related("dwelling", "dwelling__building", "entry__household")
        .order_by("made_on", "pk")
    )
    rows = [
        {
            "dwelling": str(offer.dwelling),
            "made_on": plain(offer.made_on),
            "answer_due": plain(offer.answer_due),
            "status": offer.get_status_display(),
            "answered_at": plain(offer.answered_at),
            "answered_via": offer.get_answered_via_display() if offer.answered_via else "",
            "refusal_reason": offer.refusal_reason,
        }
        for offer in offers
    ]
    if not rows:
        return None
    return Section(
        key="offers",
        title=_("Offers of a dwelling and your answers"),
        fields=[
            ("dwelling", _("Dwelling")),
            ("made_on", _("Offered")),
            ("answer_due", _("Answer by")),
            ("status", _("Status")),
            ("answered_at", _("Answered")),
            ("answered_via", _("Answered through")),
            ("refusal_reason", _("Reason for refusing")),
        ],
        rows=rows,
    )


@register("allocation_meetings", order=64, models=[MeetingItem])
def export_meeting_items(person: Person, scope: Scope) -> Section | None:
    """Allocation meetings' proposals and decisions about the household (the members' reasons
    are internal working records: full export only)."""
    if scope.self_service:
        return None
    items = (
        MeetingItem.objects.filter(
            Q(proposed_entry__household_id__in=scope.household_ids)
            | Q(chosen_entry__household_id__in=scope.household_ids)
        )
        .select_related(
            "meeting", "dwelling", "dwelling__building", "proposed_entry", "chosen_entry"
        )
        .order_by("meeting__held_on", "pk")
    )
    ours = scope.household_ids

    def is_ours(entry: WaitingListEntry | None) -> str:
        return _("yes") if entry is not None and entry.household_id in ours else _("no")

    rows = [
        {
            "meeting": str(item.meeting),
            "dwelling": str(item.dwelling),
            "proposed": is_ours(item.proposed_entry),
            "decision": item.get_decision_display(),
            "chosen": is_ours(item.chosen_entry),
            "reason": item.reason,
        }
        for item in items
    ]
    if not rows:
        return None
    return Section(
        key="allocation_meetings",
        title=_("Allocation meetings"),
        fields=[
            ("meeting", _("Meeting")),
            ("dwelling", _("Dwelling")),
            ("proposed", _("Proposed by the matching")),
            ("decision", _("The members' decision")),
            ("chosen", _("Chosen")),
            ("reason", _("The members' reason")),
        ],
        rows=rows,
    )

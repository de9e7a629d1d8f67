"""The audit app's own sections of a person's export: the person, households, changes, reads.

Imported when the app is ready, with every other app's ``exporters`` module
(``AuditConfig.ready``, see husly/audit/export.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from husly.audit.export import Scope, Section, plain, register
from husly.audit.models import AccessEvent, ChangeEvent
from husly.organisation.models import User
from husly.people.models import Household, HouseholdMember, Person, StatedMember


def _actor(user: User | None) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def _display(instance: Any, field: Any) -> Any:
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    value = getattr(instance, field.attname)
    if field.is_relation:
        return str(getattr(instance, field.name))
    return plain(value)


@register("person", order=10, models=[Person])
def export_person(person: Person, scope: Scope) -> Section:
    fields = [field for field in Person._meta.concrete_fields if not field.primary_key]
    row = {field.name: _display(person, field) for field in fields}
    row = {"person_number": f"P-{person.pk}", **row}
    return Section(
        key="person",
        title=_("Personal data"),
        fields=[("person_number", _("Person number"))]
        + [(field.name, str(field.verbose_name).capitalize()) for field in fields],
        rows=[row],
        single=True,
    )


@register("households", order=20, models=[Household, HouseholdMember])
def export_households(person: Person, scope: Scope) -> Section:
    memberships = person.memberships.select_related("household").order_by("household__pk")
    rows = [
        {
            "household": m.household.name,
            "household_number": f"H-{m.household.pk}",
            "relation": m.get_relation_display(),
            "joint_custody": _("yes") if m.joint_custody else _("no"),
            "members": m.household.members.count(),
            "created_at": plain(m.household.created_at),
        }
        for m in memberships
    ]
    return Section(
        key="households",
        title=_("Households"),
        fields=[
            ("household", _("Household")),
            ("household_number", _("Number")),
            ("relation", _("Relation to the main applicant")),
            ("joint_custody", _("Shared custody")),
            ("members", _("Members")),
            ("created_at", _("Registered")),
        ],
        rows=rows,
    )


def _changes_text(changes: dict[str, Any]) -> str:
    parts = []
    for key, value in changes.items():
        if isinstance(value, list) and len(value) == 2:  # noqa: PLR2004 - [old, new]
            parts.append(f"{key}: {value[0] if value[0] not in (None, '') else '–'} → {value[1]}")
        else:
            parts.append(f"{key}: {value}")
    return "; ".join(parts)


@register("changes", order=80, models=[ChangeEvent])
def export_changes(person: Person, scope: Scope) -> Section:
    own_record = Q(object_type="people.person", object_id=str(person.pk))
    # Change events about the person's cases hold copies of internal working records (journal
    # notes, draft decisions): in the full export only.
    wanted = own_record if scope.self_service else own_record | Q(person_id=person.pk)
    events = ChangeEvent.objects.filter(wanted).select_related("actor").order_by("at", "pk")
    rows = [
        {
            "at": plain(event.at),
            "who": _actor(event.actor),
            "action": event.action,
            "object": event.object_repr,
            "changes": _changes_text(event.changes),
            "changes_data": event.changes,
        }
        for event in events
    ]
    return Section(
        key="changes",
        title=_("Changes to the data"),
        fields=[
            ("at", _("When")),
            ("who", _("Who")),
            ("action", _("Action")),
            ("object", _("Object")),
            ("changes", _("Changes")),
        ],
        rows=rows,
        note=(
            _(
                "Only the changes to your personal data are listed here. The changes to your "
                "cases are in the full export, which you can ask the municipality for."
            )
            if scope.self_service
            else ""
        ),
    )


@register("access", order=90, models=[AccessEvent])
def export_access(person: Person, scope: Scope) -> Section:
    events = (
        AccessEvent.objects.filter(person_id=person.pk)
        .select_related("actor", "unit")
        .order_by("at", "pk")
    )
    rows = [
        {
            "at": plain(event.at),
            "who": _actor(event.actor),
            "unit": event.unit.name if event.unit else "",
            "role": event.role,
            "what": event.what,
            "reason": event.reason,
        }
        for event in events
    ]
    return Section(
        key="access",
        title=_("Who has seen the data"),
        fields=[
            ("at", _("When")),
            ("who", _("Who")),
            ("unit", _("Unit")),
            ("what", _("What")),
            ("reason", _("Reason")),
        ],
        rows=rows,
        note=_("The export itself is recorded here as a read."),
    )


@register("stated_members", order=25, models=[StatedMember])
def export_stated_members(person: Person, scope: Scope) -> Section | None:
    """Members stated in Min side (unchecked until a caseworker confirms them): those stated in
    the person's households, and statements that name the person."""
    named = Q(person=person)
    if person.national_id:
        named |= Q(national_id=person.national_id)
    stated = (
        StatedMember.objects.filter(Q(household__members__person=person) | named)
        .select_related("household")
        .distinct()
        .order_by("stated_at", "pk")
    )
    rows = [
        {
            "household": s.household.name,
            "name": f"{s.given_name} {s.family_name}",
            "relation": s.get_relation_display(),
            "status": s.get_status_display(),
            "stated_at": plain(s.stated_at),
            "checked_at": plain(s.checked_at) if s.checked_at else "",
        }
        for s in stated
    ]
    if not rows:
        return None
    return Section(
        key="stated_members",
        title=_("Members stated in My page"),
        fields=[
            ("household", _("Household")),
            ("name", _("Name")),
            ("relation", _("Relation to the main applicant")),
            ("status", _("Status")),
            ("stated_at", _("Stated")),
            ("checked_at", _("Checked")),
        ],
        rows=rows,
    )

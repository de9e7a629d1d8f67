"""The household's stays in temporary accommodation and its recorded housing situations in the
art. 15 export. Imported by ``husly.audit.export.autodiscover``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from husly.audit.export import Scope, Section, plain, register
from husly.people.models import Person
from husly.temporary.models import HousingSituation, Segment, Stay, StayChange


@register("temporary_stays", order=75, models=[Stay, Segment, StayChange])
def export_stays(person: Person, scope: Scope) -> Section | None:
    stays = (
        Stay.objects.filter(household_id__in=scope.household_ids)
        .select_related("household", "responsible_unit", "case")
        .prefetch_related("segments__place__provider", "changes")
        .order_by("starts_on", "pk")
    )
    rows = [
        {
            "household": stay.household.name,
            "case": stay.case.number,
            "places": "; ".join(
                f"{s.place} {plain(s.starts_on)}–{plain(s.ends_on) if s.ends_on else ''}, "
                f"{s.price_per_night} kr"
                for s in stay.segments.all()
            ),
            "planned_end": plain(stay.planned_end),
            "ended": f"{plain(stay.ended_on)}: {stay.get_end_reason_display()}"
            if stay.ended_on
            else "",
            "lasting": f"{stay.get_lasting_path_display()} ({stay.responsible_unit.name})",
            "changes": "; ".join(
                f"{plain(c.on)} {c.get_kind_display()}: {c.reason}" for c in stay.changes.all()
            ),
        }
        for stay in stays
    ]
    if not rows:
        return None
    return Section(
        key="temporary_stays",
        title=_("Temporary accommodation"),
        fields=[
            ("household", _("Household")),
            ("case", _("Case")),
            ("places", _("Places")),
            ("planned_end", _("Decided until")),
            ("ended", _("Ended")),
            ("lasting", _("Path to a lasting home")),
            ("changes", _("History")),
        ],
        rows=rows,
    )


@register("housing_situations", order=76, models=[HousingSituation])
def export_situations(person: Person, scope: Scope) -> Section | None:
    rows = [
        {
            "situation": s.get_situation_display(),
            "valid_from": plain(s.valid_from),
            "valid_to": plain(s.valid_to),
            "leaves_on": plain(s.leaves_on),
            "note": s.note,
        }
        for s in HousingSituation.objects.filter(household_id__in=scope.household_ids).order_by(
            "valid_from", "pk"
        )
    ]
    if not rows:
        return None
    return Section(
        key="housing_situations",
        title=_("Housing situation"),
        fields=[
            ("situation", _("Housing situation")),
            ("valid_from", _("From")),
            ("valid_to", _("To")),
            ("leaves_on", _("To be discharged or released on")),
            ("note", _("Note")),
        ],
        rows=rows,
    )

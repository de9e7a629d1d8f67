"""The person's registrations in the § 5 needs survey rounds in the art. 15 export. Imported by
``husly.audit.export.autodiscover``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from husly.audit.export import Scope, Section, plain, register
from husly.needs.models import NeedsRegistration
from husly.people.models import Person


@register("needs", order=95, models=[NeedsRegistration])
def export_needs(person: Person, scope: Scope) -> Section | None:
    registrations = (
        NeedsRegistration.objects.filter(person=person)
        .select_related("round", "unit")
        .order_by("registered_at", "pk")
    )
    rows = [
        {
            "round": f"{r.round.title} ({r.round.year})",
            "unit": r.unit.name,
            "registered_at": plain(r.registered_at.date()),
            "situation": r.get_situation_display(),
            "dwelling_need": r.get_dwelling_need_display(),
        }
        for r in registrations
    ]
    if not rows:
        return None
    return Section(
        key="needs",
        title=_("Needs survey (boligsosial lov § 5)"),
        fields=[
            ("round", _("Round")),
            ("unit", _("Registered by unit")),
            ("registered_at", _("Registered")),
            ("situation", _("Situation now")),
            ("dwelling_need", _("Dwelling need")),
        ],
        rows=rows,
    )

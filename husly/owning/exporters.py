# ruff: noqa: PERF401 - one loop per kind of record reads best here
"""The household's screenings, sale offers, rent-to-own agreements and moves to owning in the
art. 15 export. Imported by ``husly.audit.export.autodiscover``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from husly.audit.export import Scope, Section, plain, register
from husly.owning.models import MunicipalSale, OwnershipAssessment, OwningFact, RentToOwnAgreement
from husly.people.models import Person


@register(
    "owning",
    order=80,
    models=[OwnershipAssessment, MunicipalSale, RentToOwnAgreement, OwningFact],
)
def export_owning(person: Person, scope: Scope) -> Section | None:
    rows = []
    households = scope.household_ids
    for a in OwnershipAssessment.objects.filter(household_id__in=households).order_by("pk"):
        rows.append(
            {
                "what": _("Ownership potential"),
                "date": plain(a.assessed_on),
                "detail": (
                    f"{a.get_route_display()}; {a.income_sources}; "
                    f"{_('net income a month (NOK)')} {a.net_income_monthly}; "
                    f"{_('savings (NOK)')} {a.savings}; {_('consumer debt (NOK)')} "
                    f"{a.consumer_debt}; {a.education_note} {a.wishes_note}".strip()
                ),
                "letter": "",
            }
        )
    for s in MunicipalSale.objects.filter(household_id__in=households).select_related(
        "dwelling", "dwelling__building"
    ):
        rows.append(
            {
                "what": _("Sale of a municipal dwelling"),
                "date": plain(s.offered_on),
                "detail": f"{s.dwelling}: {s.offer_price} ({s.get_status_display()})"
                + (f"; {_('answer by')} {plain(s.answer_by)}" if s.answer_by else ""),
                "letter": s.letter_sha256,
            }
        )
    for r in RentToOwnAgreement.objects.filter(household_id__in=households).select_related(
        "dwelling", "dwelling__building"
    ):
        rows.append(
            {
                "what": _("Rent-to-own agreement"),
                "date": plain(r.purchased_on),
                "detail": f"{r.dwelling}: {r.monthly_rent}, {r.option_price} "
                f"({r.get_status_display()})",
                "letter": "",
            }
        )
    for f in OwningFact.objects.filter(household_id__in=households):
        rows.append({"what": f.get_how_display(), "date": plain(f.on), "detail": "", "letter": ""})
    if not rows:
        return None
    return Section(
        key="owning",
        title=_("Towards owning"),
        fields=[
            ("what", _("What")),
            ("date", _("Date")),
            ("detail", _("Details")),
            ("letter", _("Letter checksum (SHA-256)")),
        ],
        rows=rows,
    )

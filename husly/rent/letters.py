"""The written notice of a rent change (husleieloven § 4-2), as PDF in the municipality's
målform, with the tenants, the old and new rent, the date it takes effect, the index values
used with their source, and who gets a copy (Rælingen appendix 5: the refugee service and NAV).
Both wordings sit side by side in ``rent/notice_pdf.html`` so they are reviewed together."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from husly.core.pdf import render_pdf
from husly.rent.models import Rent


def notice_context(rent: Rent) -> dict[str, object]:
    lease = rent.lease
    members = lease.household.members.select_related("person").order_by("pk")
    return {
        "nn": rent.notice_language == "nn",
        "rent": rent,
        "lease": lease,
        "dwelling": lease.dwelling,
        "building": lease.dwelling.building,
        "municipality": lease.municipality,
        "tenants": [m.person for m in members if m.relation != "child"],
        "change": (rent.index_to / rent.index_from - 1) * 100
        if rent.index_from and rent.index_to
        else None,
        "copies": rent.notice_copies,
    }


def notice_html(rent: Rent) -> str:
    with translation.override(rent.notice_language or "nb"):
        return render_to_string("rent/notice_pdf.html", notice_context(rent))


def render_rent_notice(rent: Rent) -> bytes:
    return render_pdf(notice_html(rent))

"""The lease as PDF (WeasyPrint, like ``husly.cases.letters``), in the applicant's målform.

Bokmål or nynorsk after the main applicant's written standard (språklova § 8, as for letters);
both wordings sit side by side in ``tenancy/lease_pdf.html`` so they are reviewed together.

What it states: the parties, the dwelling, the term under husleieloven § 9-3 with its basis
(three years as the main rule; longer or indefinite after an assessment of permanent need,
Rælingen 7.4; shorter only with a recorded legal basis), the notice under § 11-1 that this is a
lease for a person disadvantaged in the housing market, rent and its adjustment (§§ 4-2, 4-3),
payment (due day, account number, KID), deposit or NAV guarantee (§§ 3-5, 3-6), handover and
inspection dates, the linked follow-up unit (Rælingen appendix 1), notice and termination
(§§ 9-2, 9-3, 9-5 to 9-9), a signature field per party, and the municipality's house rules as
an attachment. Unconfirmed points are marked in docs/allocation.md.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from husly.cases.letters import _pdf
from husly.housing.models import Ownership
from husly.rules import deadlines
from husly.tenancy.models import Lease, TenancyTerms, format_account


def lease_language(lease: Lease) -> str:
    """The main applicant's målform ("nb" or "nn"); bokmål when the household has none."""
    member = lease.household.members.filter(relation="applicant").select_related("person").first()
    return "nn" if member and member.person.language_form == "nn" else "nb"


SUBLET = {Ownership.HEAD_LEASE, Ownership.LEASED_IN}


def lease_context(lease: Lease) -> dict[str, object]:
    members = lease.household.members.select_related("person").order_by("pk")
    adults = [m.person for m in members if m.relation != "child"]
    terms = TenancyTerms.objects.filter(municipality_id=lease.municipality_id).first()
    return {
        "nn": lease_language(lease) == "nn",
        "lease": lease,
        "dwelling": lease.dwelling,
        # A dwelling the municipality rents from a private owner is sublet (husleieloven
        # chapter 7): the contract says so, and that it cannot outlast the head lease.
        "sublet": lease.dwelling.ownership in SUBLET,
        "building": lease.dwelling.building,
        "municipality": lease.municipality,
        "tenants": adults,
        "others": [m.person for m in members if m.relation == "child"],
        "cpi_from": deadlines.add_years(lease.start_date, 1),
        "prevailing_rent_from": deadlines.add_months(lease.start_date, 30),
        "renewal_apply_by": deadlines.renewal_application_due(lease.end_date)
        if lease.end_date
        else None,
        "account": format_account(lease.payment_account),
        "house_rules": terms.house_rules if terms else "",
    }


def render_lease(lease: Lease) -> bytes:
    with translation.override(lease_language(lease)):
        html = render_to_string("tenancy/lease_pdf.html", lease_context(lease))
    return _pdf(html)

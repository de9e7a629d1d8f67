# ruff: noqa: PERF401
"""The private-market records in the art. 15 export: a person's records as a landlord (the
register entry, contacts, enquiries, dwellings offered, agreements with their keys, faults and
facts), and the agreements that concern the person's household (a brokerage, a deposit
guarantee). Imported by ``husly.audit.export.autodiscover``."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from husly.audit.export import Scope, Section, plain, register
from husly.landlords.models import (
    Agreement,
    Enquiry,
    FaultReport,
    KeyEntry,
    Landlord,
    LandlordContact,
    LandlordFact,
    NominationReferral,
    OfferedDwelling,
    SpareKey,
)
from husly.people.models import Person


@register(
    "landlord",
    order=75,
    models=[
        Landlord,
        LandlordContact,
        Enquiry,
        OfferedDwelling,
        SpareKey,
        KeyEntry,
        FaultReport,
        LandlordFact,
    ],
)
def export_landlord(person: Person, scope: Scope) -> Section | None:
    landlords = list(Landlord.objects.filter(person=person))
    if not landlords:
        return None
    rows = []
    for landlord in landlords:
        rows.append(
            {
                "record": _("Landlord register"),
                "date": plain(landlord.created_at.date()),
                "text": ", ".join(
                    x
                    for x in (
                        landlord.name,
                        landlord.phone,
                        landlord.email,
                        landlord.address,
                        landlord.notes,
                    )
                    if x
                ),
            }
        )
        for contact in landlord.contacts.all():
            rows.append(
                {
                    "record": _("Contact"),
                    "date": plain(contact.at.date()),
                    "text": f"{contact.get_channel_display()}: {contact.summary}",
                }
            )
        for enquiry in Enquiry.objects.filter(landlord=landlord):
            rows.append(
                {
                    "record": _("Enquiry"),
                    "date": plain(enquiry.received_at.date()),
                    "text": f"{enquiry.text} — {enquiry.answer}",
                }
            )
        for offered in landlord.dwellings.all():
            rows.append(
                {
                    "record": _("Dwelling offered"),
                    "date": plain(offered.offered_on),
                    "text": f"{offered}, {offered.get_state_display()}",
                }
            )
        for agreement in landlord.agreements.all():
            rows.append(
                {
                    "record": str(agreement.get_kind_display()),
                    "date": plain(agreement.start_date),
                    "text": f"{agreement.get_status_display()}. {agreement.terms}",
                }
            )
            for key in agreement.keys.all():
                for entry in key.entries.all():
                    rows.append(
                        {
                            "record": _("Entry with a spare key"),
                            "date": plain(entry.entered_at.date()),
                            "text": entry.reason,
                        }
                    )
            for fault in agreement.faults.all():
                rows.append(
                    {
                        "record": _("Fault report"),
                        "date": plain(fault.reported_on),
                        "text": f"{fault.description} ({fault.get_status_display()})",
                    }
                )
    return Section(
        key="landlord",
        title=_("As a landlord"),
        fields=[("record", _("Record")), ("date", _("Date")), ("text", _("Content"))],
        rows=rows,
    )


@register("landlord_agreements", order=76, models=[Agreement, NominationReferral])
def export_agreements(person: Person, scope: Scope) -> Section | None:
    agreements = Agreement.objects.filter(Q(household_id__in=scope.household_ids)).select_related(
        "landlord", "offered_dwelling", "guarantee_decision"
    )
    rows = [
        {
            "kind": str(a.get_kind_display()),
            "landlord": a.landlord.name,
            "dwelling": str(a.offered_dwelling) if a.offered_dwelling else "",
            "status": str(a.get_status_display()),
            "start_date": plain(a.start_date),
            "signed": plain(a.tenant_lease_signed_on),
            "guarantee": (
                f"{a.guarantee_amount or 0} kr, {a.nav_contact}"
                if a.kind == "deposit_guarantee"
                else ""
            ),
        }
        for a in agreements
    ]
    for r in NominationReferral.objects.filter(household_id__in=scope.household_ids).select_related(
        "agreement__landlord"
    ):
        rows.append(
            {
                "kind": _("Referred under a nomination agreement"),
                "landlord": r.agreement.landlord.name,
                "dwelling": f"{r.agreement.project}: {r.flat}",
                "status": str(r.agreement.get_status_display()),
                "start_date": plain(r.referred_on),
                "signed": "",
                "guarantee": "",
            }
        )
    if not rows:
        return None
    return Section(
        key="landlord_agreements",
        title=_("Private dwellings brokered or guaranteed"),
        fields=[
            ("kind", _("Kind")),
            ("landlord", _("Landlord")),
            ("dwelling", _("Dwelling")),
            ("status", _("Status")),
            ("start_date", _("Start")),
            ("signed", _("Lease signed")),
        ],
        rows=rows,
    )

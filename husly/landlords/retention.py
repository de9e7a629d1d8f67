"""Retention of private landlords (registered with ``husly.retention.hooks.retention_rule``).

A landlord who is a private person is anonymised when the municipality no longer works with
them (taken out of the register), no agreement of theirs is proposed or in force, and nothing
has happened with them (registration, contact, enquiry, agreement ended) for
``HUSLY_RETENTION_CLOSED_CASE_YEARS``: the register entry, contacts and enquiries lose their
free text and the change events holding copies of it are deleted; the person is anonymised too
unless they belong to a household (whose cases the ordinary rules handle). Companies and
developers are not personal data and are kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Max

from husly.landlords.models import (
    Agreement,
    AgreementStatus,
    Enquiry,
    Landlord,
    LandlordContact,
    LandlordKind,
)
from husly.people.models import HouseholdMember

RULE_LANDLORD = "landlord_no_longer_used"


def _last_activity(landlord: Landlord) -> dt.date:
    dates = [landlord.created_at.date()]
    contact = landlord.contacts.aggregate(last=Max("at"))["last"]
    enquiry = landlord.enquiries.aggregate(last=Max("received_at"))["last"]
    ended = landlord.agreements.aggregate(last=Max("ended_on"))["last"]
    dates += [d.date() for d in (contact, enquiry) if d is not None]
    if ended is not None:
        dates.append(ended)
    return max(dates)


def anonymise_landlords(today: dt.date, report: Any) -> None:
    from husly.retention import jobs

    cutoff = jobs.years_before(today, settings.HUSLY_RETENTION_CLOSED_CASE_YEARS)
    done = jobs._done(Landlord).values_list("object_id", flat=True)
    live = Agreement.objects.exclude(status=AgreementStatus.ENDED).values("landlord_id")
    candidates = (
        Landlord.objects.filter(kind=LandlordKind.PERSON, active=False)
        .exclude(pk__in=[int(i) for i in done])
        .exclude(pk__in=live)
        .select_related("person")
    )
    for landlord in candidates:
        if _last_activity(landlord) >= cutoff:
            continue
        Landlord.objects.filter(pk=landlord.pk).update(
            name=jobs.ANON, contact_person="", phone="", email="", address="", notes=""
        )
        contacts = list(landlord.contacts.values_list("pk", flat=True))
        LandlordContact.objects.filter(pk__in=contacts).update(summary=jobs.ANON)
        enquiries = list(landlord.enquiries.values_list("pk", flat=True))
        Enquiry.objects.filter(pk__in=enquiries).update(
            from_name=jobs.ANON, from_contact="", text=jobs.ANON, answer=""
        )
        jobs._purge_events_for(Landlord, [landlord.pk], report)
        jobs._purge_events_for(LandlordContact, contacts, report)
        jobs._purge_events_for(Enquiry, enquiries, report)
        person = landlord.person
        if (
            person is not None
            and not jobs._done(type(person)).filter(object_id=str(person.pk)).exists()
            and not HouseholdMember.objects.filter(person=person).exists()
        ):
            jobs.anonymise_person(person, report)
        jobs._mark(landlord, RULE_LANDLORD)
        report.counts["landlords"] += 1

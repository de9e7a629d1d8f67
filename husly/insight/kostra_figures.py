"""The KOSTRA figures Husly reports, each with SSB's name, its unit and how Husly counts it
from the records (spec/law-and-parameters.md § 8; docs/leaders-guide.md, KOSTRA). A figure the
records cannot give has a reason instead of a value: Husly never fills one in."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Figure:
    key: str
    name: str  # SSB's name, in bokmål as SSB writes it
    unit: str  # "count", "percent" or "per_1000"
    counted: Promise  # how Husly counts it
    group: str  # "skjema13", "indicator" or "temporary"
    drill: bool = False  # the households behind it can be listed
    missing: Promise | None = None  # why the records cannot give it


NO_ACCOUNTS = _(
    "Not computed: operating expenses come from the municipality's accounts (KOSTRA functions "
    "265, 283 and 315), which Husly does not hold."
)
NO_DEFINITION = _(
    "Not computed: SSB's formula for this closed series (table 06493, 2000–2016) is not in "
    "the sources Husly builds on, and Husly does not guess it."
)

FIGURES: tuple[Figure, ...] = (
    Figure(
        "applicants",
        "Husstander som har søkt om kommunalt disponert bolig",
        "count",
        _(
            "Households with an application for a municipal rental dwelling or a dwelling with "
            "services received 1.1–31.12, counted once (drafts and duplicates left out)."
        ),
        "skjema13",
        drill=True,
    ),
    Figure(
        "new_applicants",
        "Nye søkere",
        "count",
        _(
            "Of these, households that did not live in a municipal rental dwelling on the day "
            "the application was received; renewals and swaps are not new applicants."
        ),
        "skjema13",
        drill=True,
    ),
    Figure(
        "applicants_refused",
        "Søkere som har fått avslag",
        "count",
        _(
            "Applicant households whose application's last decision issued by 31.12 is a "
            "refusal (a refusal reversed by then is not counted)."
        ),
        "skjema13",
        drill=True,
    ),
    Figure(
        "new_applicants_refused",
        "Nye søkere som har fått avslag",
        "count",
        _("New applicants refused, counted the same way."),
        "skjema13",
        drill=True,
    ),
    Figure(
        "dwellings",
        "Kommunalt disponerte boliger per 31.12",
        "count",
        _(
            "Dwellings in the stock on 31.12 by their status history (not sold, already "
            "registered); each room let on its own lease is a dwelling."
        ),
        "skjema13",
    ),
    Figure(
        "dwellings_owned",
        "Kommunalt eide boliger",
        "count",
        _("Of these, owned by the municipality (ownership as registered today)."),
        "skjema13",
    ),
    Figure(
        "dwellings_private",
        "Privat eide boliger med kommunal disposisjonsrett",
        "count",
        _("Of these, leased in or head-leased from a private owner."),
        "skjema13",
    ),
    Figure(
        "dwellings_wheelchair",
        "Boliger tilgjengelige for rullestolbrukere",
        "count",
        _("Of these, registered as wheelchair accessible."),
        "skjema13",
    ),
    Figure(
        "dwellings_let",
        "Utleide boliger per 31.12",
        "count",
        _("Of these, with a lease in force on 31.12."),
        "skjema13",
    ),
    Figure(
        "new_tenants",
        "Antall nyinnflyttede husstander",
        "count",
        _(
            "Households whose lease started 1.1–31.12 and that did not already live in a "
            "municipal dwelling the day before; renewals and swaps are not counted; once each."
        ),
        "skjema13",
        drill=True,
    ),
    Figure(
        "new_tenants_refugees",
        "Nyinnflyttede flyktninger",
        "count",
        _(
            "Of these, households settled as refugees for whom the integration grant still "
            "runs: the lease starts in the year of arrival or one of the four years after."
        ),
        "skjema13",
        drill=True,
    ),
    Figure(
        "dwellings_per_1000",
        "Kommunalt disponerte boliger per 1000 innbyggere",
        "per_1000",
        _("Dwellings per 31.12 divided by the inhabitants registered for the municipality."),
        "indicator",
    ),
    Figure(
        "share_new_refused",
        "Andel nye søkere som har fått avslag på kommunal bolig",
        "percent",
        _("New applicants refused divided by new applicants, times 100."),
        "indicator",
    ),
    Figure(
        "share_owned",
        "Kommunalt eide boliger som andel av totalt antall disponerte kommunale boliger",
        "percent",
        _("Owned by the municipality divided by all dwellings per 31.12, times 100."),
        "indicator",
    ),
    Figure(
        "share_wheelchair",
        "Andel kommunale boliger tilgjengelige for rullestolbrukere",
        "percent",
        _("Wheelchair-accessible dwellings divided by all dwellings per 31.12, times 100."),
        "indicator",
    ),
    Figure(
        "applications_per_1000",
        "Søknader per 1000 innbyggere",
        "per_1000",
        _("Applicant households divided by the inhabitants, times 1000."),
        "indicator",
    ),
    Figure(
        "new_applications_per_1000",
        "Nye søknader per 1000 innbyggere",
        "per_1000",
        _("New applicants divided by the inhabitants, times 1000."),
        "indicator",
    ),
    Figure(
        "share_refused",
        "Andel søkere som har fått avslag",
        "percent",
        _("Applicants refused divided by applicants, times 100."),
        "indicator",
    ),
    Figure(
        "share_new_allocated",
        "Andel nye husstander tildelt",
        "percent",
        NO_DEFINITION,
        "indicator",
        missing=NO_DEFINITION,
    ),
    Figure(
        "share_refugees_first_settled",
        "Andel flyktninger bosatt for første gang",
        "percent",
        NO_DEFINITION,
        "indicator",
        missing=NO_DEFINITION,
    ),
    Figure(
        "net_operating_per_inhabitant",
        "Netto driftsutgifter til boligformål per innbygger",
        "NOK",
        NO_ACCOUNTS,
        "indicator",
        missing=NO_ACCOUNTS,
    ),
    Figure(
        "gross_operating_per_dwelling",
        "Brutto driftsutgifter per kommunalt disponert bolig",
        "NOK",
        NO_ACCOUNTS,
        "indicator",
        missing=NO_ACCOUNTS,
    ),
    Figure(
        "households",
        "Husstander i midlertidige botilbud, i alt",
        "count",
        _("Households with a night in a temporary place in the year, once; natthjem excluded."),
        "temporary",
        drill=True,
    ),
    Figure(
        "households_with_children",
        "Husstander med barn i midlertidige botilbud",
        "count",
        _("Of these, with a member under 18 on one of the nights (a child born then counts)."),
        "temporary",
        drill=True,
    ),
    Figure(
        "share_with_children_over_3_months",
        "Andel husstander med barn i midlertidige botilbud i mer enn 3 mnd",
        "percent",
        _(
            "Households with children whose stay ran past three calendar months, divided by "
            "households with children, times 100."
        ),
        "temporary",
    ),
    Figure(
        "share_14_days_or_less",
        "Husstander i midlertidige botilbud i 14 eller færre dager",
        "percent",
        _("Households with at most 14 nights in the year divided by all, times 100."),
        "temporary",
    ),
    Figure(
        "households_night_shelter",
        "Husstander i natthjem",
        "count",
        _("Households with a night at a natthjem in the year, once."),
        "temporary",
        drill=True,
    ),
)

BY_KEY = {f.key: f for f in FIGURES}
NO_INHABITANTS = _("Not computed: the municipality's number of inhabitants is not registered.")

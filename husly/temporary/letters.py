"""What a § 27 decision letter says about the stay: the household (children named), the place,
the dates, the cost and who finds the lasting home. Added to the decision letter through
``husly.cases.hooks.on_letter_details``; the rest of the letter (appeal to the Statsforvalteren
through NAV, legal basis sosialtjenesteloven § 27) is the cases app's."""

from __future__ import annotations

from husly.cases.models import Decision
from husly.rules.deadlines import add_years
from husly.rules.language import date_in, number_in
from husly.temporary.models import LastingPath, StayChange

TEXT = {
    "nb": {
        "household": "Vedtaket gjelder: {names}.",
        "children": "Barn som bor med deg: {names}.",
        "cost": "Stedet koster {price} kroner per natt. For {nights} netter fra {start} til "
        "{end} blir det {total} kroner. NAV betaler.",
        "lasting": "{unit} har ansvar for å finne en fast bolig sammen med deg. Vi arbeider "
        "med dette: {path}.",
    },
    "nn": {
        "household": "Vedtaket gjeld: {names}.",
        "children": "Barn som bur med deg: {names}.",
        "cost": "Staden kostar {price} kroner per natt. For {nights} netter frå {start} til "
        "{end} blir det {total} kroner. NAV betaler.",
        "lasting": "{unit} har ansvar for å finne ein fast bustad saman med deg. Vi arbeider "
        "med dette: {path}.",
    },
    "en": {
        "household": "The decision concerns: {names}.",
        "children": "Children who stay with you: {names}.",
        "cost": "The place costs NOK {price} per night. For {nights} nights from {start} to "
        "{end} that is NOK {total}. NAV pays.",
        "lasting": "{unit} is responsible for finding a permanent home with you. We are "
        "working on this: {path}.",
    },
}

PATHS = {
    "nb": {
        LastingPath.MUNICIPAL_DWELLING: "søknad om kommunal bolig",
        LastingPath.PRIVATE_RENTAL: "leie privat, med hjelp til depositum",
        LastingPath.START_LOAN: "startlån",
        LastingPath.SERVICES: "bolig med tjenester",
        LastingPath.OTHER: "annen løsning",
    },
    "nn": {
        LastingPath.MUNICIPAL_DWELLING: "søknad om kommunal bustad",
        LastingPath.PRIVATE_RENTAL: "leige privat, med hjelp til depositum",
        LastingPath.START_LOAN: "startlån",
        LastingPath.SERVICES: "bustad med tenester",
        LastingPath.OTHER: "anna løysing",
    },
    "en": {
        LastingPath.MUNICIPAL_DWELLING: "application for a municipal dwelling",
        LastingPath.PRIVATE_RENTAL: "private rental, with help for the deposit",
        LastingPath.START_LOAN: "start loan",
        LastingPath.SERVICES: "a dwelling with services",
        LastingPath.OTHER: "another solution",
    },
}


def stay_letter_details(decision: Decision, lang: str) -> list[str]:
    change = (
        StayChange.objects.filter(decision=decision)
        .select_related("stay__responsible_unit")
        .first()
    )
    if change is None or decision.period_from is None or decision.period_to is None:
        return []
    stay = change.stay
    text = TEXT.get(lang, TEXT["nb"])
    members = list(stay.household.members.select_related("person").order_by("pk"))
    start, end = decision.period_from, decision.period_to
    children = [
        m.person
        for m in members
        if m.person.date_of_birth is not None and add_years(m.person.date_of_birth, 18) > start
    ]
    segment = stay.segments.filter(starts_on__lte=start).order_by("-starts_on", "-pk").first()
    lines = [text["household"].format(names=", ".join(m.person.full_name for m in members))]
    if children:
        lines.append(
            text["children"].format(
                names=", ".join(
                    f"{c.full_name} ({date_in(c.date_of_birth, lang)})" for c in children
                )
            )
        )
    if segment is not None:
        nights = (end - start).days
        lines.append(
            text["cost"].format(
                price=number_in(segment.price_per_night, lang),
                nights=nights,
                start=date_in(start, lang),
                end=date_in(end, lang),
                total=number_in(segment.price_per_night * nights, lang),
            )
        )
    lines.append(
        text["lasting"].format(
            unit=stay.responsible_unit.name,
            path=PATHS.get(lang, PATHS["nb"])[LastingPath(stay.lasting_path)],
        )
    )
    return lines

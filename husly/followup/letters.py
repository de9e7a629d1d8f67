"""The written warning (advarsel) with its further plan, in the municipality's written standard
(bokmål or nynorsk), copied to the property unit (Rælingen appendix 4 point 12)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from husly.core.pdf import render_pdf
from husly.followup.models import WrittenWarning
from husly.rules.language import date_in

TEXT: dict[str, dict[str, str]] = {
    "nb": {
        "title": "Skriftlig advarsel",
        "municipality": "{name} kommune",
        "our_ref": "Vår referanse",
        "date": "Dato",
        "number": "Dette er advarsel nummer {number} for leieforholdet i {dwelling}.",
        "conversation": "Vi hadde en samtale med deg {date}. Til stede var: {present}.",
        "problems": "Hva saken gjelder",
        "plan": "Videre plan",
        "rules": (
            "Du har plikt til å følge husordensreglene og leiekontrakten (husleieloven § 5-3). "
            "Vi ber deg rette deg etter planen over."
        ),
        "warning": (
            "Dersom forholdene ikke endrer seg, melder vi saken til eiendomsenheten for en "
            "formell prosess. Det kan føre til at leieforholdet blir sagt opp eller hevet "
            "(husleieloven §§ 9-5 og 9-9)."
        ),
        "takeover": (
            "Dette er advarsel nummer {number}. Eiendomsenheten overtar nå saken, og prosessen "
            "mot fravikelse går videre."
        ),
        "contact": "Har du spørsmål, kan du kontakte {unit}.",
        "copy": "Kopi til",
    },
    "nn": {
        "title": "Skriftleg åtvaring",
        "municipality": "{name} kommune",
        "our_ref": "Vår referanse",
        "date": "Dato",
        "number": "Dette er åtvaring nummer {number} for leigeforholdet i {dwelling}.",
        "conversation": "Vi hadde ein samtale med deg {date}. Til stades var: {present}.",
        "problems": "Kva saka gjeld",
        "plan": "Vidare plan",
        "rules": (
            "Du har plikt til å følgje husordensreglane og leigekontrakten (husleigelova "
            "§ 5-3). Vi ber deg rette deg etter planen over."
        ),
        "warning": (
            "Dersom tilhøva ikkje endrar seg, melder vi saka til eigedomseininga for ein "
            "formell prosess. Det kan føre til at leigeforholdet blir sagt opp eller heva "
            "(husleigelova §§ 9-5 og 9-9)."
        ),
        "takeover": (
            "Dette er åtvaring nummer {number}. Eigedomseininga tek no over saka, og prosessen "
            "mot fråviking held fram."
        ),
        "contact": "Har du spørsmål, kan du kontakte {unit}.",
        "copy": "Kopi til",
    },
}


def warning_context(warning: WrittenWarning) -> dict[str, Any]:
    lang = warning.language if warning.language in TEXT else "nb"
    t = TEXT[lang]
    member = warning.household.members.filter(relation="applicant").select_related("person")
    applicant = member.first()
    dwelling = warning.lease.dwelling
    place = f"{dwelling.building.address} {dwelling.number}".strip()
    return {
        "lang": lang,
        "t": t,
        "warning": warning,
        "title": t["title"],
        "sender": t["municipality"].format(name=warning.municipality.name),
        "applicant": applicant.person if applicant else None,
        "issued_on": date_in(warning.issued_on, lang),
        "number_text": t["number"].format(number=warning.number, dwelling=place),
        "conversation_text": t["conversation"].format(
            date=date_in(warning.conversation_on, lang), present=warning.present
        ),
        "takeover_text": t["takeover"].format(number=warning.number) if warning.takeover else "",
        "contact_text": t["contact"].format(unit=warning.service_unit.name)
        if warning.service_unit
        else "",
        "reference": f"ADV-{warning.lease_id}-{warning.number}",
    }


def warning_html(warning: WrittenWarning) -> str:
    return render_to_string("followup/warning_letter_pdf.html", warning_context(warning))


def render_warning(warning: WrittenWarning) -> bytes:
    return render_pdf(warning_html(warning))

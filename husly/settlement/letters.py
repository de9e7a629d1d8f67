"""The settlement service's letters, in bokmål or nynorsk, stored as sent.

* The answer to IMDi's request (``request_answer_*``): to IMDi, in the municipality's written
  standard. Not an enkeltvedtak: settling refugees is voluntary for the municipality and is
  agreed between the municipality and IMDi; IMDi makes the decision on settlement (Meld. St. 30
  (2015–2016) ch. 3; veiviseren.no, avtalt selvbosetting). The letter names the basis (the
  council's decision of the year), the answer and, for a decline, the reason, and the contact.
* The self-settlement approval or refusal (``self_settlement_*``): to the refugee household,
  in the applicant's written standard. Also **not** an enkeltvedtak (forvaltningsloven § 2
  first paragraph a–b): the municipality's check of the dwelling the refugee found is a step
  in the municipality's voluntary agreement with IMDi, not an exercise of public authority
  that decides the refugee's rights; whether the person is settled, with the right to the
  introduction programme, is IMDi's decision, and the refugee may still move on their own.
  The letter therefore has no appeal paragraph but says so plainly, gives the checklist
  and reasons (good administration), and what the household can do next. [U] Whether a
  Statsforvalteren would see the refusal as an enkeltvedtak is not settled in the sources; if
  the municipality decides it is, the letter must add the appeal paragraph of ``husly.cases``.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from husly.core.pdf import render_pdf
from husly.organisation.models import Unit, UnitKind
from husly.rules.language import date_in, number_in
from husly.settlement.models import (
    ApprovalStatus,
    RequestStatus,
    SelfSettlement,
    SettlementDecision,
    SettlementRequest,
)

TEXT: dict[str, dict[str, str]] = {
    "nb": {
        "our_ref": "Vår referanse",
        "date": "Dato",
        "municipality": "{name} kommune",
        "imdi": "Integrerings- og mangfoldsdirektoratet (IMDi)",
        "answer_title": "Svar på anmodning om bosetting",
        "about_request": (
            "Vi viser til anmodningen {ref} om bosetting av {family}, {n} personer "
            "(alder {ages}), mottatt {received}."
        ),
        "accepted": "{municipality} sier ja til å bosette {family}.",
        "arrival": "Vi regner med at familien kommer {date}. Vi finner bolig før ankomst.",
        "declined": "{municipality} sier nei til anmodningen.",
        "reason": "Begrunnelse",
        "basis": "Grunnlag",
        "council": (
            "Kommunestyrets vedtak om bosetting for {year} ({ref}): {persons} personer{extra}."
        ),
        "council_extra": ", i tillegg {n} personer ({what})",
        "no_council": "Kommunestyrets vedtak om bosetting for {year} er ikke registrert.",
        "agreement": (
            "Bosetting av flyktninger skjer etter avtale mellom kommunen og IMDi "
            "(integreringsloven). IMDi gjør vedtaket om bosetting."
        ),
        "not_decision_imdi": (
            "Dette svaret er kommunens svar til IMDi i avtalen om bosetting. Det er ikke "
            "et enkeltvedtak etter forvaltningsloven § 2."
        ),
        "contact": "Kontakt",
        "contact_text": "{person}, {unit}.",
        "approved_title": "Boligen er godkjent for avtalt selvbosetting",
        "refused_title": "Boligen er ikke godkjent for avtalt selvbosetting",
        "assessed": "Vi har vurdert boligen du har funnet i {address} (utleier: {landlord}).",
        "checklist": "Det vi har sjekket",
        "standard_ok": "Standard: godkjent.",
        "standard_bad": "Standard: ikke god nok.",
        "rent_ok": (
            "Husleie {rent} kroner per måned er innenfor kostnadsrammen på {frame} kroner "
            "per måned."
        ),
        "rent_bad": (
            "Husleie {rent} kroner per måned er over kostnadsrammen på {frame} kroner per måned."
        ),
        "lease_ok": "Leieavtalen gjelder {months} måneder; vi krever minst {minimum} måneder.",
        "lease_bad": ("Leieavtalen gjelder {months} måneder; vi krever minst {minimum} måneder."),
        "contract_ok": "Leiekontrakten er kontrollert og i orden.",
        "contract_bad": "Kontrollen av leiekontrakten fant et problem: {concern}",
        "approved": (
            "Kommunen godkjenner boligen. Vi ber nå IMDi om å godkjenne bosettingen. "
            "Ikke skriv under leiekontrakten før IMDi har godkjent bosettingen; vi gir deg "
            "beskjed."
        ),
        "refused": "Kommunen godkjenner ikke boligen.",
        "frame_basis": (
            "Kostnadsrammen er satt ut fra de veiledende satsene for økonomisk sosialhjelp: "
            "{source}."
        ),
        "self_agreement": (
            "Avtalt selvbosetting avtales mellom kommunen og IMDi (integreringsloven). "
            "IMDi gjør vedtaket om bosetting."
        ),
        "no_appeal": (
            "Dette brevet er ikke et enkeltvedtak etter forvaltningsloven § 2, og det kan "
            "ikke klages på. Kommunen velger selv om den vil avtale bosetting, og det er IMDi "
            "som gjør vedtaket om bosetting."
        ),
        "next_refused": (
            "Du kan finne en annen bolig og be oss vurdere den, eller vente på bosetting "
            "gjennom IMDi."
        ),
    },
    "nn": {
        "our_ref": "Vår referanse",
        "date": "Dato",
        "municipality": "{name} kommune",
        "imdi": "Integrerings- og mangfaldsdirektoratet (IMDi)",
        "answer_title": "Svar på oppmoding om busetjing",
        "about_request": (
            "Vi viser til oppmodinga {ref} om busetjing av {family}, {n} personar "
            "(alder {ages}), motteken {received}."
        ),
        "accepted": "{municipality} seier ja til å busetje {family}.",
        "arrival": "Vi reknar med at familien kjem {date}. Vi finn bustad før dei kjem.",
        "declined": "{municipality} seier nei til oppmodinga.",
        "reason": "Grunngiving",
        "basis": "Grunnlag",
        "council": (
            "Kommunestyret sitt vedtak om busetjing for {year} ({ref}): {persons} personar{extra}."
        ),
        "council_extra": ", i tillegg {n} personar ({what})",
        "no_council": "Kommunestyret sitt vedtak om busetjing for {year} er ikkje registrert.",
        "agreement": (
            "Busetjing av flyktningar skjer etter avtale mellom kommunen og IMDi "
            "(integreringslova). IMDi gjer vedtaket om busetjing."
        ),
        "not_decision_imdi": (
            "Dette svaret er svaret frå kommunen til IMDi i avtalen om busetjing. Det er "
            "ikkje eit enkeltvedtak etter forvaltningslova § 2."
        ),
        "contact": "Kontakt",
        "contact_text": "{person}, {unit}.",
        "approved_title": "Bustaden er godkjend for avtalt sjølvbusetjing",
        "refused_title": "Bustaden er ikkje godkjend for avtalt sjølvbusetjing",
        "assessed": "Vi har vurdert bustaden du har funne i {address} (utleigar: {landlord}).",
        "checklist": "Det vi har sjekka",
        "standard_ok": "Standard: godkjend.",
        "standard_bad": "Standard: ikkje god nok.",
        "rent_ok": (
            "Husleiga på {rent} kroner per månad er innanfor kostnadsramma på {frame} kroner "
            "per månad."
        ),
        "rent_bad": (
            "Husleiga på {rent} kroner per månad er over kostnadsramma på {frame} kroner per månad."
        ),
        "lease_ok": "Leigeavtalen gjeld {months} månader; vi krev minst {minimum} månader.",
        "lease_bad": "Leigeavtalen gjeld {months} månader; vi krev minst {minimum} månader.",
        "contract_ok": "Leigekontrakten er kontrollert og i orden.",
        "contract_bad": "Kontrollen av leigekontrakten fann eit problem: {concern}",
        "approved": (
            "Kommunen godkjenner bustaden. Vi ber no IMDi om å godkjenne busetjinga. "
            "Ikkje skriv under leigekontrakten før IMDi har godkjent busetjinga; vi gir deg "
            "beskjed."
        ),
        "refused": "Kommunen godkjenner ikkje bustaden.",
        "frame_basis": (
            "Kostnadsramma er sett ut frå dei rettleiande satsane for økonomisk sosialhjelp: "
            "{source}."
        ),
        "self_agreement": (
            "Avtalt sjølvbusetjing blir avtalt mellom kommunen og IMDi (integreringslova). "
            "IMDi gjer vedtaket om busetjing."
        ),
        "no_appeal": (
            "Dette brevet er ikkje eit enkeltvedtak etter forvaltningslova § 2, og det kan "
            "ikkje klagast på. Kommunen vel sjølv om han vil avtale busetjing, og det er IMDi "
            "som gjer vedtaket om busetjing."
        ),
        "next_refused": (
            "Du kan finne ein annan bustad og be oss vurdere han, eller vente på busetjing "
            "gjennom IMDi."
        ),
    },
}


def _lang(code: str | None) -> str:
    return code if code in TEXT else "nb"


def _unit_name(municipality_id: int) -> str:
    unit = (
        Unit.objects.filter(municipality_id=municipality_id, kind=UnitKind.REFUGEE_SERVICE)
        .order_by("pk")
        .first()
    )
    return unit.name if unit else ""


def _contact(t: dict[str, str], person: Any, municipality_id: int, sender: str) -> str:
    return t["contact_text"].format(
        person=str(person) if person else sender, unit=_unit_name(municipality_id) or sender
    )


def _page(context: dict[str, Any]) -> str:
    return render_to_string("letters/plain_letter_pdf.html", context)


def request_answer_context(request: SettlementRequest, *, actor: Any = None) -> dict[str, Any]:
    """The answer to IMDi (accepted with the expected arrival, or declined with the reason)."""
    municipality = request.municipality
    lang = _lang(municipality.language_form)
    t = TEXT[lang]
    sender = t["municipality"].format(name=municipality.name)
    case = getattr(request, "case", None)
    year = (case.expected_arrival if case else request.answered_on or request.received_on).year
    decision = SettlementDecision.objects.filter(municipality=municipality, year=year).first()
    if decision is None:
        council = t["no_council"].format(year=year)
    else:
        extra = (
            t["council_extra"].format(n=decision.extra_persons, what=decision.extra_description)
            if decision.extra_persons
            else ""
        )
        council = t["council"].format(
            year=year, ref=decision.council_reference, persons=decision.persons, extra=extra
        )
    answer: list[str] = [
        t["about_request"].format(
            ref=request.imdi_reference,
            family=request.family_name,
            n=request.household_size,
            ages=request.ages,
            received=date_in(request.received_on, lang),
        )
    ]
    sections: list[dict[str, Any]] = []
    if request.status == RequestStatus.ACCEPTED:
        answer.append(t["accepted"].format(municipality=sender, family=request.family_name))
        if case is not None:
            answer.append(t["arrival"].format(date=date_in(case.expected_arrival, lang)))
        sections.append({"paragraphs": answer})
    else:
        answer.append(t["declined"].format(municipality=sender))
        sections.append({"paragraphs": answer})
        sections.append({"heading": t["reason"], "paragraphs": [request.decline_reason]})
    sections.append(
        {"heading": t["basis"], "paragraphs": [council, t["agreement"], t["not_decision_imdi"]]}
    )
    person = actor or (case.caseworker if case else request.registered_by)
    sections.append(
        {
            "heading": t["contact"],
            "paragraphs": [_contact(t, person, municipality.pk, sender)],
        }
    )
    return {
        "lang": lang,
        "labels": t,
        "title": t["answer_title"],
        "sender": sender,
        "recipient": [t["imdi"]],
        "reference": f"BOS-{request.imdi_reference}",
        "dated": date_in(request.answered_on or request.received_on, lang),
        "sections": sections,
    }


def request_answer_pdf(request: SettlementRequest, *, actor: Any = None) -> bytes:
    return render_pdf(_page(request_answer_context(request, actor=actor)))


def self_settlement_context(approval: SelfSettlement, *, actor: Any = None) -> dict[str, Any]:
    """The municipality's approval or refusal of the dwelling the refugee found."""
    case = approval.case
    municipality = case.municipality
    applicant = case.household.members.filter(relation="applicant").select_related("person").first()
    person = applicant.person if applicant else None
    lang = _lang(person.language_form if person else municipality.language_form)
    t = TEXT[lang]
    sender = t["municipality"].format(name=municipality.name)
    approved = approval.status == ApprovalStatus.APPROVED
    rent = number_in(approval.monthly_rent, lang)
    frame = number_in(approval.cost_frame, lang)
    items = [
        t["standard_ok" if approval.standard_ok else "standard_bad"],
        t["rent_ok" if approval.rent_within_frame else "rent_bad"].format(rent=rent, frame=frame),
        t["lease_ok" if approval.lease_long_enough else "lease_bad"].format(
            months=approval.lease_months, minimum=approval.minimum_lease_months
        ),
        t["contract_bad"].format(concern=approval.landlord_concern or "–")
        if not approval.contract_ok or approval.landlord_concern
        else t["contract_ok"],
    ]
    outcome = [t["approved" if approved else "refused"]]
    if approval.note:
        outcome.append(approval.note)
    if not approved:
        outcome.append(t["next_refused"])
    recipient = (
        [person.full_name, person.address, f"{person.postal_code} {person.postal_town}".strip()]
        if person
        else [case.household.name]
    )
    sections: list[dict[str, Any]] = [
        {
            "paragraphs": [
                t["assessed"].format(address=approval.address, landlord=approval.landlord)
            ]
        },
        {"heading": t["checklist"], "bullets": items},
        {"heading": t["reason"], "paragraphs": outcome},
        {
            "heading": t["basis"],
            "paragraphs": [
                t["self_agreement"],
                t["frame_basis"].format(source=approval.cost_frame_source or "–"),
                t["no_appeal"],
            ],
        },
        {
            "heading": t["contact"],
            "paragraphs": [_contact(t, actor or case.caseworker, municipality.pk, sender)],
        },
    ]
    return {
        "lang": lang,
        "labels": t,
        "title": t["approved_title" if approved else "refused_title"],
        "sender": sender,
        "recipient": [line for line in recipient if line],
        "reference": f"BOS-{case.request.imdi_reference}-S{approval.pk}",
        "dated": date_in(approval.decided_on, lang),
        "sections": sections,
    }


def self_settlement_pdf(approval: SelfSettlement, *, actor: Any = None) -> bytes:
    return render_pdf(_page(self_settlement_context(approval, actor=actor)))

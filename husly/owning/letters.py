"""The offer to sell a municipal dwelling to its tenant, in the applicant's written standard
(bokmål or nynorsk), stored as sent.

An offer, not an enkeltvedtak: the municipality sells property it owns under private law
(a contract offer the tenant may accept or not); it decides no right or duty of the tenant
(forvaltningsloven § 2 first paragraph a–b) and the lease goes on if the tenant says no. The
letter still names its basis (the municipality's scheme and its dated discount), the price
(valuation less the discount), the cooperative's pre-emption, the start loan and grant, the
answer date and the contact. Sources: kristiansund.md 2.8.1–2.8.2 (Drammen and Trondheim sell
to the tenant, Trondheim NOK 50,000 below the valuation), raelingen.md 7 C.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from husly.core.pdf import render_pdf
from husly.owning.models import MunicipalSale, PreEmption
from husly.rules.language import date_in, number_in

TEXT: dict[str, dict[str, str]] = {
    "nb": {
        "our_ref": "Vår referanse",
        "date": "Dato",
        "municipality": "{name} kommune",
        "title": "Tilbud om å kjøpe boligen du leier",
        "offer": "{municipality} tilbyr deg å kjøpe boligen du leier i {dwelling}.",
        "price": "Pris",
        "valuation": "Boligen er taksert til {valuation} kroner av {valued_by} {valued_on}.",
        "discount": (
            "Du får {discount} kroner i rabatt fordi du leier boligen. Prisen til deg er "
            "{price} kroner."
        ),
        "pre_emption": "Forkjøpsrett",
        PreEmption.NOT_COOPERATIVE: "Boligen er ikke i et borettslag. Ingen har forkjøpsrett.",
        PreEmption.NOT_TRIED: (
            "Boligen er i et borettslag. Salget skjer uten at forkjøpsretten blir prøvd "
            "(borettslagsloven § 4-12)."
        ),
        PreEmption.WAIVED: "Boligen er i et borettslag. Forkjøpsretten er frafalt.",
        PreEmption.PENDING: (
            "Boligen er i et borettslag, og andre kan ha forkjøpsrett. Vi avklarer "
            "forkjøpsretten før salget. Salget kan bare gjennomføres hvis ingen bruker "
            "forkjøpsretten."
        ),
        "financing": "Finansiering",
        "loan_plan": (
            "Foreløpig plan: startlån {loan} kroner, tilskudd {grant} kroner og lån i privat "
            "bank {bank} kroner."
        ),
        "loan_apply": (
            "Du kan søke kommunen om startlån og tilskudd fra Husbanken til kjøpet. Vi "
            "hjelper deg med søknaden."
        ),
        "answer": "Svarfrist",
        "answer_text": (
            "Svar oss innen {date}. Har vi ikke fått svar innen fristen, regner vi med at du "
            "ikke vil kjøpe. Du kan fortsette å leie som før."
        ),
        "basis": "Grunnlag",
        "basis_text": (
            "Kommunen selger kommunale utleieboliger til leietakerne som bor i dem, til "
            "takst minus kommunens fastsatte rabatt."
        ),
        "not_decision": (
            "Dette er et tilbud, ikke et enkeltvedtak. Leieavtalen din gjelder som før hvis "
            "du sier nei."
        ),
        "contact": "Kontakt",
        "contact_text": "{person}, {municipality}.",
    },
    "nn": {
        "our_ref": "Vår referanse",
        "date": "Dato",
        "municipality": "{name} kommune",
        "title": "Tilbod om å kjøpe bustaden du leiger",
        "offer": "{municipality} tilbyr deg å kjøpe bustaden du leiger i {dwelling}.",
        "price": "Pris",
        "valuation": "Bustaden er taksert til {valuation} kroner av {valued_by} {valued_on}.",
        "discount": (
            "Du får {discount} kroner i rabatt fordi du leiger bustaden. Prisen til deg er "
            "{price} kroner."
        ),
        "pre_emption": "Forkjøpsrett",
        PreEmption.NOT_COOPERATIVE: "Bustaden er ikkje i eit burettslag. Ingen har forkjøpsrett.",
        PreEmption.NOT_TRIED: (
            "Bustaden er i eit burettslag. Salet skjer utan at forkjøpsretten blir prøvd "
            "(burettslagslova § 4-12)."
        ),
        PreEmption.WAIVED: "Bustaden er i eit burettslag. Forkjøpsretten er fråfallen.",
        PreEmption.PENDING: (
            "Bustaden er i eit burettslag, og andre kan ha forkjøpsrett. Vi avklarer "
            "forkjøpsretten før salet. Salet kan berre gjennomførast dersom ingen brukar "
            "forkjøpsretten."
        ),
        "financing": "Finansiering",
        "loan_plan": (
            "Førebels plan: startlån {loan} kroner, tilskot {grant} kroner og lån i privat "
            "bank {bank} kroner."
        ),
        "loan_apply": (
            "Du kan søkje kommunen om startlån og tilskot frå Husbanken til kjøpet. Vi "
            "hjelper deg med søknaden."
        ),
        "answer": "Svarfrist",
        "answer_text": (
            "Svar oss innan {date}. Har vi ikkje fått svar innan fristen, reknar vi med at du "
            "ikkje vil kjøpe. Du kan halde fram med å leige som før."
        ),
        "basis": "Grunnlag",
        "basis_text": (
            "Kommunen sel kommunale utleigebustader til leigetakarane som bur i dei, til "
            "takst minus den rabatten kommunen har fastsett."
        ),
        "not_decision": (
            "Dette er eit tilbod, ikkje eit enkeltvedtak. Leigeavtalen din gjeld som før "
            "dersom du seier nei."
        ),
        "contact": "Kontakt",
        "contact_text": "{person}, {municipality}.",
    },
}


def sale_offer_context(sale: MunicipalSale) -> dict[str, Any]:
    municipality = sale.municipality
    applicant = sale.household.members.filter(relation="applicant").select_related("person").first()
    person = applicant.person if applicant else None
    code = person.language_form if person else municipality.language_form
    lang = code if code in TEXT else "nb"
    t = TEXT[lang]
    sender = t["municipality"].format(name=municipality.name)
    dwelling = sale.dwelling
    place = f"{dwelling.building.address} {dwelling.number}".strip()
    financing = [t["loan_apply"]]
    if sale.start_loan or sale.grant or sale.private_bank_loan:
        financing.insert(
            0,
            t["loan_plan"].format(
                loan=number_in(sale.start_loan, lang),
                grant=number_in(sale.grant, lang),
                bank=number_in(sale.private_bank_loan, lang),
            ),
        )
    answer_by = sale.answer_by or sale.offered_on
    recipient = (
        [person.full_name, person.address, f"{person.postal_code} {person.postal_town}".strip()]
        if person
        else [sale.household.name]
    )
    sections = [
        {"paragraphs": [t["offer"].format(municipality=sender, dwelling=place)]},
        {
            "heading": t["price"],
            "paragraphs": [
                t["valuation"].format(
                    valuation=number_in(sale.valuation, lang),
                    valued_by=sale.valued_by,
                    valued_on=date_in(sale.valued_on, lang),
                ),
                t["discount"].format(
                    discount=number_in(sale.discount, lang),
                    price=number_in(sale.offer_price, lang),
                ),
            ],
        },
        {"heading": t["pre_emption"], "paragraphs": [t[sale.pre_emption]]},
        {"heading": t["financing"], "paragraphs": financing},
        {
            "heading": t["answer"],
            "paragraphs": [t["answer_text"].format(date=date_in(answer_by, lang))],
        },
        {"heading": t["basis"], "paragraphs": [t["basis_text"], t["not_decision"]]},
        {
            "heading": t["contact"],
            "paragraphs": [
                t["contact_text"].format(person=str(sale.created_by or sender), municipality=sender)
            ],
        },
    ]
    return {
        "lang": lang,
        "labels": t,
        "title": t["title"],
        "sender": sender,
        "recipient": [line for line in recipient if line],
        "reference": f"SALG-{sale.pk}",
        "dated": date_in(sale.offered_on, lang),
        "sections": sections,
    }


def sale_offer_pdf(sale: MunicipalSale) -> bytes:
    return render_pdf(render_to_string("letters/plain_letter_pdf.html", sale_offer_context(sale)))

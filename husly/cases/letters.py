"""Decision letters and case records as PDF (WeasyPrint), in the recipient's målform.

Every kind of help has its own letter: its title, what is decided (a guarantee's amount,
landlord and period; a temporary stay's place and dates), what the household must do next, the
legal basis and the appeal body. The letter carries what forvaltningsloven requires of an
enkeltvedtak: the conclusion, the rules applied, the facts and the main considerations
(§§ 24–25), conditions, the right to appeal with deadline, appeal body, addressee and how to
appeal, the right to see the case documents (§§ 18–19) and the duty to guide (§ 11), all in
§ 27's notification. Only a dwelling puts anyone on a waiting list: its approval states the
expected waiting time, the six-month promise (Rælingen 7.1) and that the approval lapses if the
situation changes (7.3).

Letters to households are written in plain language (klarspråk): the decision and what to do
come first, in short sentences; tests keep the letters' own prose at LIX 40 or below
(husly.rules.plain_language). The issued PDF is stored with its SHA-256 and reprinted from
storage; a preview of a draft is marked UTKAST on every page.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from husly.cases import hooks
from husly.cases.models import (
    NAV_HELP,
    WAITING_LIST_HELP,
    Appeal,
    Decision,
    DecisionKind,
    DecisionStatus,
    HelpKind,
    PreliminaryReply,
    RoutingStatus,
)
from husly.cases.selectors import GUIDELINE_KINDS as GUIDELINE_HELP_KINDS
from husly.core.pdf import render_pdf
from husly.rules import deadlines
from husly.rules.language import date_in, number_in

TEXT: dict[str, dict[str, Any]] = {
    "nb": {
        "our_ref": "Vår referanse",
        "date": "Dato",
        "draft": "UTKAST – ikke sendt",
        "draft_word": "UTKAST",
        "title_lapse": "Vedtak om bortfall av tilsagn",
        "refusal": "Du får ikke {help}. Søknaden er avslått.",
        "lapse": "Tilsagnet ditt om {help} faller bort.",
        "other": "Vi har gjort vedtak om {help}: {kind}.",
        "next": "Dette må du gjøre",
        "next_refusal": [
            "Er du uenig, kan du klage. Se under.",
            "Vi kan hjelpe deg å finne andre løsninger. Ring eller skriv til oss.",
        ],
        "next_lapse": ["Er du uenig, kan du klage. Se under."],
        "facts": "Opplysninger vi bygger på",
        "reasoning": "Begrunnelse",
        "judged": "Dette har vi vurdert selv:",
        "rules": "Regler vi har brukt",
        "point": "Punkt",
        "criterion": "Vilkår",
        "result": "Resultat",
        "met": "oppfylt",
        "not_met": "ikke oppfylt",
        "judged_met": "oppfylt etter vår vurdering",
        "judged_not_met": "ikke oppfylt etter vår vurdering",
        "needs_judgement": "ikke vurdert ennå",
        "exceptions": "Unntak vi har brukt",
        "conditions": "Vilkår i vedtaket",
        "waiting": "Når får du bolig?",
        "waiting_text": "Vi regner med at du får tilbud om bolig om cirka {months} måneder. "
        "Vi skal gi deg tilbud innen {promise} (punkt 7.1 i retningslinjene).",
        "lapse_text": "Tilsagnet faller bort hvis du ikke lenger fyller vilkårene. Det faller "
        "også bort hvis du sier nei til en bolig som passer for deg (punkt 7.3). Si fra til "
        "oss hvis noe endrer seg.",
        "follow_up": "{unit} følger deg opp.",
        "appeal": "Du kan klage",
        "appeal_text": "Du kan klage innen tre uker etter at du fikk vedtaket. Fristen er "
        "{deadline}. Send klagen til {sender}{address}. Du kan også klage i Min side. Skriv "
        "hva du vil ha endret, og hvorfor. Husk å skrive under. Hvis vi ikke endrer vedtaket, "
        "sender vi klagen til {body}. Der blir saken avgjort (forvaltningsloven §§ 28 og 29).",
        "not_appealable": "Du kan ikke klage på et avslag på bytte (punkt 7.6 i retningslinjene).",
        "access": "Du har rett til å se dokumentene i saken din (forvaltningsloven § 18).",
        "guidance": "Har du spørsmål? Ta kontakt med oss. Vi hjelper deg også hvis du vil "
        "klage (forvaltningsloven § 11).",
        "regards": "Med hilsen",
        "drafted": "Saksbehandler",
        "approved": "Godkjent av",
        "electronic": "Vedtaket er godkjent elektronisk og har derfor ingen signatur.",
        "municipality": "{name} kommune",
        "kroner": "{amount} kroner",
    },
    "nn": {
        "our_ref": "Vår referanse",
        "date": "Dato",
        "draft": "UTKAST – ikkje sendt",
        "draft_word": "UTKAST",
        "title_lapse": "Vedtak om bortfall av tilsegn",
        "refusal": "Du får ikkje {help}. Søknaden er avslått.",
        "lapse": "Tilsegnet ditt om {help} fell bort.",
        "other": "Vi har gjort vedtak om {help}: {kind}.",
        "next": "Dette må du gjere",
        "next_refusal": [
            "Er du usamd, kan du klage. Sjå under.",
            "Vi kan hjelpe deg å finne andre løysingar. Ring eller skriv til oss.",
        ],
        "next_lapse": ["Er du usamd, kan du klage. Sjå under."],
        "facts": "Opplysningar vi byggjer på",
        "reasoning": "Grunngiving",
        "judged": "Dette har vi vurdert sjølve:",
        "rules": "Reglar vi har brukt",
        "point": "Punkt",
        "criterion": "Vilkår",
        "result": "Resultat",
        "met": "oppfylt",
        "not_met": "ikkje oppfylt",
        "judged_met": "oppfylt etter vår vurdering",
        "judged_not_met": "ikkje oppfylt etter vår vurdering",
        "needs_judgement": "ikkje vurdert enno",
        "exceptions": "Unntak vi har brukt",
        "conditions": "Vilkår i vedtaket",
        "waiting": "Når får du bustad?",
        "waiting_text": "Vi reknar med at du får tilbod om bustad om kring {months} månader. "
        "Vi skal gi deg tilbod innan {promise} (punkt 7.1 i retningslinjene).",
        "lapse_text": "Tilsegnet fell bort dersom du ikkje lenger fyller vilkåra. Det fell òg "
        "bort dersom du seier nei til ein bustad som passar for deg (punkt 7.3). Sei frå til "
        "oss dersom noko endrar seg.",
        "follow_up": "{unit} følgjer deg opp.",
        "appeal": "Du kan klage",
        "appeal_text": "Du kan klage innan tre veker etter at du fekk vedtaket. Fristen er "
        "{deadline}. Send klaga til {sender}{address}. Du kan òg klage i Mi side. Skriv kva "
        "du vil ha endra, og kvifor. Hugs å skrive under. Dersom vi ikkje endrar vedtaket, "
        "sender vi klaga til {body}. Der blir saka avgjord (forvaltningslova §§ 28 og 29).",
        "not_appealable": "Du kan ikkje klage på eit avslag på byte (punkt 7.6 i retningslinjene).",
        "access": "Du har rett til å sjå dokumenta i saka di (forvaltningslova § 18).",
        "guidance": "Har du spørsmål? Ta kontakt med oss. Vi hjelper deg òg dersom du vil "
        "klage (forvaltningslova § 11).",
        "regards": "Med helsing",
        "drafted": "Saksbehandlar",
        "approved": "Godkjent av",
        "electronic": "Vedtaket er godkjent elektronisk og har difor inga underskrift.",
        "municipality": "{name} kommune",
        "kroner": "{amount} kroner",
    },
    "en": {
        "our_ref": "Our reference",
        "date": "Date",
        "draft": "DRAFT – not sent",
        "draft_word": "DRAFT",
        "title_lapse": "Decision: your approval lapses",
        "refusal": "You will not get {help}. Your application is refused.",
        "lapse": "Your approval for {help} lapses.",
        "other": "We have decided on {help}: {kind}.",
        "next": "What you need to do",
        "next_refusal": [
            "If you disagree, you can appeal. See below.",
            "We can help you find other ways. Call or write to us.",
        ],
        "next_lapse": ["If you disagree, you can appeal. See below."],
        "facts": "The facts we rely on",
        "reasoning": "Reasons",
        "judged": "What we have judged ourselves:",
        "rules": "The rules we used",
        "point": "Point",
        "criterion": "Criterion",
        "result": "Result",
        "met": "met",
        "not_met": "not met",
        "judged_met": "met in our judgement",
        "judged_not_met": "not met in our judgement",
        "needs_judgement": "not assessed yet",
        "exceptions": "Exceptions we used",
        "conditions": "Conditions of the decision",
        "waiting": "When will you get a home?",
        "waiting_text": "We expect to offer you a home in about {months} months. We shall "
        "make you an offer by {promise} (guidelines point 7.1).",
        "lapse_text": "The approval lapses if you no longer meet the criteria. It also lapses "
        "if you say no to a home that suits you (point 7.3). Tell us if anything changes.",
        "follow_up": "{unit} will follow you up.",
        "appeal": "You can appeal",
        "appeal_text": "You can appeal within three weeks of getting this decision. The "
        "deadline is {deadline}. Send the appeal to {sender}{address}. You can also appeal "
        "in My page. Say what you want changed, and why. Remember to sign it. If we do not "
        "change the decision, we send the appeal to {body}, which makes the final decision "
        "(Public Administration Act sections 28 and 29).",
        "not_appealable": "A refused swap cannot be appealed (guidelines point 7.6).",
        "access": "You have the right to see the documents in your case (Public "
        "Administration Act section 18).",
        "guidance": "Do you have questions? Contact us. We also help you if you want to "
        "appeal (section 11).",
        "regards": "Yours sincerely",
        "drafted": "Caseworker",
        "approved": "Approved by",
        "electronic": "This decision has been approved electronically and is not signed.",
        "municipality": "{name} municipality",
        "kroner": "NOK {amount}",
    },
}
"""The letters' common texts, per written standard."""

KIND_TEXT: dict[str, dict[str, dict[str, Any]]] = {
    "nb": {
        HelpKind.RENTAL_DWELLING: {
            "title": "Vedtak om kommunal utleiebolig",
            "help": "kommunal utleiebolig",
            "granted": "Du får tilsagn om kommunal utleiebolig. Du står nå på ventelisten.",
            "next": [
                "Vent på tilbud om bolig. Vi sender det til deg.",
                "Svar på tilbudet innen fristen som står i det.",
                "Si fra til oss hvis noe endrer seg, for eksempel inntekt, adresse eller "
                "hvem som bor med deg.",
            ],
            "basis": "Vi har gjort vedtaket etter boligsosial lov § 6 og kommunens "
            "retningslinjer for tildeling av kommunal bolig.",
        },
        HelpKind.DWELLING_WITH_SERVICES: {
            "title": "Vedtak om bolig med tjenester",
            "help": "bolig med tjenester",
            "granted": "Du får tilsagn om bolig med tjenester. Du står nå på ventelisten.",
            "next": [
                "Vent på tilbud om bolig. Vi sender det til deg.",
                "Svar på tilbudet innen fristen som står i det.",
                "Si fra til oss hvis noe endrer seg.",
            ],
            "basis": "Vi har gjort vedtaket etter boligsosial lov § 6 og kommunens "
            "retningslinjer for tildeling av bolig.",
        },
        HelpKind.ADVICE: {
            "title": "Vedtak om råd og veiledning",
            "help": "råd og veiledning om bolig",
            "granted": "Du får råd og veiledning om bolig.",
            "next": [
                "Vi tar kontakt med deg for å avtale et møte.",
                "Ta med papirer om boligen og økonomien din.",
            ],
            "basis": "Vi har gjort vedtaket etter boligsosial lov § 6. Kommunen skal gi "
            "hjelp som passer for deg.",
        },
        HelpKind.START_LOAN: {
            "title": "Vedtak om startlån",
            "help": "startlån",
            "granted": "Du får tilsagn om startlån.",
            "granted_amount": "Du får tilsagn om startlån på {amount}.",
            "next": [
                "Bekreft til NAV innen tre uker at du tar imot tilsagnet.",
                "Tilsagnet gjelder i tre måneder fra vedtaksdatoen. Finn en bolig innen da.",
                "Send oss budet før du kjøper. Prisen kan ikke være høyere enn i tilsagnet.",
                "Vi går gjennom kjøpet med deg. Låneforvalteren sender deg lånedokumentene.",
            ],
            "basis": "Vi har gjort vedtaket etter forskrift om lån fra Husbanken, kapittel 5 "
            "om startlån [confirm: forskriftens nummer], og kommunens kriterier for startlån. "
            "Vi har forklart deg muntlig hva lånet betyr for deg (finansavtaleloven § 5-1).",
        },
        HelpKind.GRANT: {
            "title": "Vedtak om tilskudd",
            "help": "tilskudd til bolig",
            "granted": "Du får tilskudd til bolig.",
            "granted_amount": "Du får tilskudd på {amount}.",
            "next": ["Les vilkårene nøye.", "Si fra til oss hvis planene dine endrer seg."],
            "basis": "Vi har gjort vedtaket etter kommunens regler for tilskudd til å kjøpe "
            "eller tilpasse bolig [confirm: lovgrunnlaget for kommunale boligtilskudd].",
        },
        HelpKind.DEPOSIT_GUARANTEE: {
            "title": "Vedtak om depositumsgaranti",
            "help": "depositumsgaranti",
            "granted": "Du får en depositumsgaranti.",
            "granted_amount": "Du får en depositumsgaranti på {amount}.",
            "details": "Garantien gjelder boligen i {place}, som du leier av {landlord}. Den "
            "gjelder fra {start} til {end}.",
            "next": [
                "Gi garantien til utleieren. Vi sender den til deg.",
                "Utleieren kan bruke garantien hvis du ikke betaler husleie eller gjør skade "
                "på boligen.",
                "NAV kan da kreve pengene tilbake fra deg.",
            ],
            "basis": "NAV har gjort vedtaket etter sosialtjenesteloven §§ 18 og 19 om "
            "økonomisk stønad, og § 15 om hjelp til bolig.",
        },
        HelpKind.HOUSING_FOLLOW_UP: {
            "title": "Vedtak om booppfølging",
            "help": "booppfølging",
            "granted": "Du får booppfølging.",
            "next": [
                "Vi tar kontakt med deg for å lage en plan.",
                "Si fra hvis du trenger mer eller mindre hjelp.",
            ],
            "basis": "Vi har gjort vedtaket etter boligsosial lov § 6.",
        },
        HelpKind.TEMPORARY_ACCOMMODATION: {
            "title": "Vedtak om midlertidig botilbud",
            "help": "midlertidig botilbud",
            "granted": "Du får et midlertidig sted å bo.",
            "details": "Du kan bo på {place} fra {start} til {end}.",
            "next": [
                "Møt opp på stedet den første dagen.",
                "Vi jobber sammen med deg for å finne et fast sted å bo.",
                "Trenger du å bo der lenger, må du si fra før {end}.",
            ],
            "basis": "NAV har gjort vedtaket etter sosialtjenesteloven § 27 om midlertidig "
            "botilbud.",
        },
    },
    "nn": {
        HelpKind.RENTAL_DWELLING: {
            "title": "Vedtak om kommunal utleigebustad",
            "help": "kommunal utleigebustad",
            "granted": "Du får tilsegn om kommunal utleigebustad. Du står no på ventelista.",
            "next": [
                "Vent på tilbod om bustad. Vi sender det til deg.",
                "Svar på tilbodet innan fristen som står i det.",
                "Sei frå til oss dersom noko endrar seg, til dømes inntekt, adresse eller "
                "kven som bur med deg.",
            ],
            "basis": "Vi har gjort vedtaket etter bustadsosial lov § 6 og retningslinjene til "
            "kommunen for tildeling av kommunal bustad.",
        },
        HelpKind.DWELLING_WITH_SERVICES: {
            "title": "Vedtak om bustad med tenester",
            "help": "bustad med tenester",
            "granted": "Du får tilsegn om bustad med tenester. Du står no på ventelista.",
            "next": [
                "Vent på tilbod om bustad. Vi sender det til deg.",
                "Svar på tilbodet innan fristen som står i det.",
                "Sei frå til oss dersom noko endrar seg.",
            ],
            "basis": "Vi har gjort vedtaket etter bustadsosial lov § 6 og retningslinjene til "
            "kommunen for tildeling av bustad.",
        },
        HelpKind.ADVICE: {
            "title": "Vedtak om råd og rettleiing",
            "help": "råd og rettleiing om bustad",
            "granted": "Du får råd og rettleiing om bustad.",
            "next": [
                "Vi tek kontakt med deg for å avtale eit møte.",
                "Ta med papir om bustaden og økonomien din.",
            ],
            "basis": "Vi har gjort vedtaket etter bustadsosial lov § 6. Kommunen skal gi "
            "hjelp som passar for deg.",
        },
        HelpKind.START_LOAN: {
            "title": "Vedtak om startlån",
            "help": "startlån",
            "granted": "Du får tilsegn om startlån.",
            "granted_amount": "Du får tilsegn om startlån på {amount}.",
            "next": [
                "Stadfest til NAV innan tre veker at du tek imot tilsegnet.",
                "Tilsegnet gjeld i tre månader frå vedtaksdatoen. Finn ein bustad innan då.",
                "Send oss bodet før du kjøper. Prisen kan ikkje vere høgare enn i tilsegnet.",
                "Vi går gjennom kjøpet med deg. Låneforvaltaren sender deg lånedokumenta.",
            ],
            "basis": "Vi har gjort vedtaket etter forskrift om lån frå Husbanken, kapittel 5 "
            "om startlån [confirm: nummeret på forskrifta], og kriteria til kommunen for "
            "startlån. Vi har forklart deg munnleg kva lånet tyder for deg "
            "(finansavtalelova § 5-1).",
        },
        HelpKind.GRANT: {
            "title": "Vedtak om tilskot",
            "help": "tilskot til bustad",
            "granted": "Du får tilskot til bustad.",
            "granted_amount": "Du får tilskot på {amount}.",
            "next": ["Les vilkåra nøye.", "Sei frå til oss dersom planane dine endrar seg."],
            "basis": "Vi har gjort vedtaket etter reglane til kommunen for tilskot til å kjøpe "
            "eller tilpasse bustad [confirm: lovgrunnlaget for kommunale bustadtilskot].",
        },
        HelpKind.DEPOSIT_GUARANTEE: {
            "title": "Vedtak om depositumsgaranti",
            "help": "depositumsgaranti",
            "granted": "Du får ein depositumsgaranti.",
            "granted_amount": "Du får ein depositumsgaranti på {amount}.",
            "details": "Garantien gjeld bustaden i {place}, som du leiger av {landlord}. Han "
            "gjeld frå {start} til {end}.",
            "next": [
                "Gi garantien til utleigaren. Vi sender han til deg.",
                "Utleigaren kan bruke garantien dersom du ikkje betaler husleiga eller gjer "
                "skade på bustaden.",
                "NAV kan då krevje pengane tilbake frå deg.",
            ],
            "basis": "NAV har gjort vedtaket etter sosialtenestelova §§ 18 og 19 om økonomisk "
            "stønad, og § 15 om hjelp til bustad.",
        },
        HelpKind.HOUSING_FOLLOW_UP: {
            "title": "Vedtak om buoppfølging",
            "help": "buoppfølging",
            "granted": "Du får buoppfølging.",
            "next": [
                "Vi tek kontakt med deg for å lage ein plan.",
                "Sei frå dersom du treng meir eller mindre hjelp.",
            ],
            "basis": "Vi har gjort vedtaket etter bustadsosial lov § 6.",
        },
        HelpKind.TEMPORARY_ACCOMMODATION: {
            "title": "Vedtak om mellombels butilbod",
            "help": "mellombels butilbod",
            "granted": "Du får ein mellombels stad å bu.",
            "details": "Du kan bu på {place} frå {start} til {end}.",
            "next": [
                "Møt opp på staden den første dagen.",
                "Vi arbeider saman med deg for å finne ein fast stad å bu.",
                "Treng du å bu der lenger, må du seie frå før {end}.",
            ],
            "basis": "NAV har gjort vedtaket etter sosialtenestelova § 27 om mellombels butilbod.",
        },
    },
    "en": {
        HelpKind.RENTAL_DWELLING: {
            "title": "Decision on a municipal rental home",
            "help": "a municipal rental home",
            "granted": "You are approved for a municipal rental home. You are now on the "
            "waiting list.",
            "next": [
                "Wait for an offer of a home. We will send it to you.",
                "Answer the offer by the deadline it gives.",
                "Tell us if anything changes, such as income, address or who lives with you.",
            ],
            "basis": "We made the decision under the Social Housing Act section 6 and the "
            "municipality's guidelines for allocating municipal homes.",
        },
        HelpKind.DWELLING_WITH_SERVICES: {
            "title": "Decision on a home with services",
            "help": "a home with services",
            "granted": "You are approved for a home with services. You are now on the "
            "waiting list.",
            "next": [
                "Wait for an offer of a home. We will send it to you.",
                "Answer the offer by the deadline it gives.",
                "Tell us if anything changes.",
            ],
            "basis": "We made the decision under the Social Housing Act section 6 and the "
            "municipality's guidelines for allocating homes.",
        },
        HelpKind.ADVICE: {
            "title": "Decision on advice and guidance",
            "help": "advice and guidance on housing",
            "granted": "You will get advice and guidance on housing.",
            "next": [
                "We will contact you to arrange a meeting.",
                "Bring papers about your home and your finances.",
            ],
            "basis": "We made the decision under the Social Housing Act section 6.",
        },
        HelpKind.START_LOAN: {
            "title": "Decision on a start loan",
            "help": "a start loan",
            "granted": "You are approved for a start loan.",
            "granted_amount": "You are approved for a start loan of {amount}.",
            "next": [
                "Confirm to NAV within three weeks that you accept the approval.",
                "The approval is valid for three months from the date of the decision. Find a "
                "home by then.",
                "Send us the offer before you buy. The price cannot be higher than in the "
                "approval.",
                "We go through the purchase with you. The loan administrator sends you the "
                "loan documents.",
            ],
            "basis": "We made the decision under the regulations on loans from Husbanken, "
            "chapter 5 on start loans [confirm: the regulation's number], and the "
            "municipality's start-loan criteria. We explained to you orally what the loan "
            "means for you (Financial Contracts Act section 5-1).",
        },
        HelpKind.GRANT: {
            "title": "Decision on a grant",
            "help": "a housing grant",
            "granted": "You are granted a housing grant.",
            "granted_amount": "You are granted a grant of {amount}.",
            "next": ["Read the conditions carefully.", "Tell us if your plans change."],
            "basis": "We made the decision under the municipality's rules for grants to buy "
            "or adapt a home [confirm: the legal basis of municipal housing grants].",
        },
        HelpKind.DEPOSIT_GUARANTEE: {
            "title": "Decision on a deposit guarantee",
            "help": "a deposit guarantee",
            "granted": "You are granted a deposit guarantee.",
            "granted_amount": "You are granted a deposit guarantee of {amount}.",
            "details": "The guarantee is for the home at {place}, which you rent from "
            "{landlord}. It applies from {start} to {end}.",
            "next": [
                "Give the guarantee to the landlord. We will send it to you.",
                "The landlord can use the guarantee if you do not pay rent or damage the home.",
                "NAV may then claim the money back from you.",
            ],
            "basis": "NAV made the decision under the Social Services Act sections 18 and 19 "
            "on financial assistance, and section 15 on help with housing.",
        },
        HelpKind.HOUSING_FOLLOW_UP: {
            "title": "Decision on housing follow-up",
            "help": "housing follow-up",
            "granted": "You will get housing follow-up.",
            "next": [
                "We will contact you to make a plan.",
                "Tell us if you need more or less help.",
            ],
            "basis": "We made the decision under the Social Housing Act section 6.",
        },
        HelpKind.TEMPORARY_ACCOMMODATION: {
            "title": "Decision on temporary accommodation",
            "help": "temporary accommodation",
            "granted": "You will get a temporary place to stay.",
            "details": "You can stay at {place} from {start} to {end}.",
            "next": [
                "Go to the place on the first day.",
                "We will work with you to find a permanent home.",
                "If you need to stay longer, tell us before {end}.",
            ],
            "basis": "NAV made the decision under the Social Services Act section 27 on "
            "temporary accommodation.",
        },
    },
}
"""Each kind of help's own letter sections, per written standard."""


def _flat_criteria(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for item in items:
        flat.append(item)
        flat.extend(_flat_criteria(item.get("children") or []))
    return flat


def _needed_criteria(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The criteria the outcome rests on, depth first: where one of several alternatives holds
    (an ``any_of`` that is met, such as Rælingen 5.4 a–c), the alternatives that do not hold
    were not needed and are left out, never printed as "not met"."""
    flat: list[dict[str, Any]] = []
    for item in items:
        flat.append(item)
        children = item.get("children") or []
        if item.get("kind") == "any_of" and item["outcome"] == "met":
            children = [c for c in children if c["outcome"] == "met"]
        flat.extend(_needed_criteria(children))
    return flat


def _pdf(html: str) -> bytes:
    return render_pdf(html)  # tagged PDF/UA-1 (husly.core.pdf)


def _texts(lang: str) -> tuple[str, dict[str, Any]]:
    lang = lang if lang in TEXT else "nb"
    return lang, TEXT[lang]


def _kroner(amount: int | None, lang: str) -> str:
    return TEXT[lang]["kroner"].format(amount=number_in(amount or 0, lang))


def _criterion_row(crit: dict[str, Any], text: dict[str, Any], lang: str) -> dict[str, Any]:
    judged = crit.get("assessment") or {}
    outcome = crit["outcome"]
    if judged and outcome in {"met", "not_met"}:
        result = text[f"judged_{outcome}"]
    else:
        result = text.get(outcome, outcome)
    return {
        "point": crit["point"],
        "title": crit["title"].get(lang, crit["title"]["nb"]),
        "outcome": result,
        "judged": bool(judged),
        "reason": judged.get("reason", ""),
    }


def _sender(decision: Decision, lang: str) -> str:
    """Who decided: the NAV office for NAV's kinds of help, otherwise the municipality."""
    municipality = decision.case.municipality
    name = TEXT[lang]["municipality"].format(name=municipality.name)
    if decision.help_kind in NAV_HELP:
        routing = decision.case.routings.filter(help_kind=decision.help_kind).first()
        if routing is not None:
            return routing.unit.name
    return name


def _provided(
    decision: Decision,
    lang: str,
    *,
    details: str,
    next_steps: list[str],
    title: str,
    conclusion: str,
    basis: str,
) -> tuple[str, list[str], str, str, str]:
    """The texts a kind of help's own provider gives (the first that answers wins)."""
    for provider in hooks.letter_text_providers:
        extra = provider(decision, lang)
        if extra:
            steps = extra.get("next_steps")
            return (
                str(extra.get("details", details)),
                [str(s) for s in steps] if isinstance(steps, list) else next_steps,
                str(extra.get("title", title)),
                str(extra.get("conclusion", conclusion)),
                str(extra.get("basis", basis)),
            )
    return details, next_steps, title, conclusion, basis


def decision_letter_context(
    decision: Decision, language: str | None = None, *, draft: bool | None = None
) -> dict[str, Any]:
    """Everything the letter says, in the recipient's written standard (or ``language``).
    ``draft`` marks a preview (UTKAST on every page, no "approved electronically"); by default
    every decision that is not issued is a draft."""
    lang, text = _texts(language or decision.language)
    kind_text = KIND_TEXT[lang][HelpKind(decision.help_kind)]
    case = decision.case
    municipality = case.municipality
    is_draft = decision.status != DecisionStatus.ISSUED if draft is None else draft
    with translation.override(lang):
        kind_label = str(DecisionKind(decision.kind).label).lower()
    start = date_in(decision.period_from, lang) if decision.period_from else ""
    end = date_in(decision.period_to, lang) if decision.period_to else ""
    fill = {
        "help": kind_text["help"],
        "kind": kind_label,
        "amount": _kroner(decision.amount, lang),
        "place": decision.place,
        "landlord": decision.landlord,
        "start": start,
        "end": end,
        "unit": decision.follow_up_unit.name if decision.follow_up_unit else "",
    }
    approval = decision.kind == DecisionKind.APPROVAL
    details = ""
    if approval:
        key = "granted_amount" if decision.amount and "granted_amount" in kind_text else "granted"
        conclusion = kind_text[key].format(**fill)
        if "details" in kind_text:
            details = kind_text["details"].format(**fill)
        next_steps = [step.format(**fill) for step in kind_text["next"]]
    elif decision.kind == DecisionKind.REFUSAL:
        conclusion = text["refusal"].format(**fill)
        next_steps = list(text["next_refusal"])
    elif decision.kind == DecisionKind.LAPSE:
        conclusion = text["lapse"].format(**fill)
        next_steps = list(text["next_lapse"])
    else:
        conclusion = text["other"].format(**fill)
        next_steps = []
    title = text["title_lapse"] if decision.kind == DecisionKind.LAPSE else kind_text["title"]
    details, next_steps, title, conclusion, basis = _provided(
        decision,
        lang,
        details=details,
        next_steps=next_steps,
        title=title,
        conclusion=conclusion,
        basis=kind_text["basis"],
    )
    record = decision.assessment.record if decision.assessment else None
    criteria = []
    exceptions = []
    waivers: list[dict[str, str]] = []
    if record and (decision.help_kind in GUIDELINE_HELP_KINDS or "criteria" in record):
        criteria = [_criterion_row(c, text, lang) for c in _needed_criteria(record["criteria"])]
        # One entry per criterion set aside, with its ground and its own reason (the record's
        # "waivers"); records from before waivers were stored list the invoked exceptions.
        waivers = [
            {
                "point": w["point"],
                "criterion": w["title"].get(lang, w["title"]["nb"]),
                "ground": w["exception_title"].get(lang, w["exception_title"]["nb"]),
                "reason": w["reason"],
            }
            for w in record.get("waivers", [])
        ]
        exceptions = [
            {"title": f"{w['point']} {w['criterion']} – {w['ground']}", "reason": w["reason"]}
            for w in waivers
        ] or [
            {"title": exc["title"].get(lang, exc["title"]["nb"]), "reason": exc["reason"]}
            for exc in record["exceptions"]
            if exc["invoked_for"]
        ]
    applicant = case.household.members.filter(relation="applicant").select_related("person").first()
    notified = decision.notified_on or decision.issued_on
    address = f", {municipality.address}" if municipality.address else ""
    sender = _sender(decision, lang)
    waiting = approval and decision.help_kind in WAITING_LIST_HELP and decision.issued_on
    return {
        "t": text,
        "lang": lang,
        "decision": decision,
        "case": case,
        "municipality": municipality,
        "sender": sender,
        "municipality_name": text["municipality"].format(name=municipality.name),
        "applicant": applicant.person if applicant else None,
        "title": title,
        "conclusion": conclusion,
        "details": details,
        "extra_details": [
            line for handler in hooks.letter_details_handlers for line in handler(decision, lang)
        ],
        "next_steps": next_steps,
        "basis": basis,
        "criteria": criteria,
        "judged": [c for c in criteria if c["judged"]],
        "exceptions": exceptions,
        "draft": is_draft,
        "waivers": waivers,
        "waiting_text": text["waiting_text"].format(
            months=decision.expected_wait_months or 6,
            promise=date_in(
                deadlines.allocation_deadline(
                    decision.issued_on,
                    months=deadlines.allocation_promise_months(
                        decision.case.municipality.number, decision.issued_on
                    ),
                ),
                lang,
            ),
        )
        if waiting and decision.issued_on
        else "",
        "lapse_text": text["lapse_text"] if waiting else "",
        "appeal_text": text["appeal_text"].format(
            deadline=date_in(deadlines.appeal_deadline(notified), lang),
            sender=sender,
            address=address,
            body=decision.appeal_body,
        )
        if notified
        else "",
        "follow_up_text": text["follow_up"].format(unit=decision.follow_up_unit.name)
        if decision.follow_up_unit and approval
        else "",
    }


def decision_letter_html(
    decision: Decision, language: str | None = None, *, draft: bool | None = None
) -> str:
    """The letter as the HTML the PDF is made from."""
    context = decision_letter_context(decision, language, draft=draft)
    return render_to_string("cases/letters/decision.html", context)


def render_decision_letter(
    decision: Decision, language: str | None = None, *, draft: bool | None = None
) -> bytes:
    return _pdf(decision_letter_html(decision, language, draft=draft))


REPLY_TEXT: dict[str, dict[str, str]] = {
    "nb": {
        "title": "Foreløpig svar på søknaden din",
        "intro": "Vi har fått søknaden din om {helps}. Vi trenger mer enn en måned for å "
        "behandle den.",
        "why": "Hvorfor tar det tid?",
        "when": "Når får du svar?",
        "when_text": "Vi regner med å gi deg svar innen {date}. Tar det lenger tid, sier vi fra.",
        "do": "Dette må du gjøre",
        "do_text": "Du trenger ikke gjøre noe nå. Har du nye opplysninger, kan du sende dem "
        "til oss.",
        "law": "Vi sender dette brevet fordi saken tar mer enn en måned (forvaltningsloven "
        "§ 11 a).",
        "guidance": "Har du spørsmål? Ta kontakt med oss.",
        "and": "og",
    },
    "nn": {
        "title": "Førebels svar på søknaden din",
        "intro": "Vi har fått søknaden din om {helps}. Vi treng meir enn ein månad for å "
        "behandle han.",
        "why": "Kvifor tek det tid?",
        "when": "Når får du svar?",
        "when_text": "Vi reknar med å gi deg svar innan {date}. Tek det lenger tid, seier vi frå.",
        "do": "Dette må du gjere",
        "do_text": "Du treng ikkje gjere noko no. Har du nye opplysningar, kan du sende dei "
        "til oss.",
        "law": "Vi sender dette brevet fordi saka tek meir enn ein månad (forvaltningslova "
        "§ 11 a).",
        "guidance": "Har du spørsmål? Ta kontakt med oss.",
        "and": "og",
    },
    "en": {
        "title": "Preliminary reply to your application",
        "intro": "We have received your application for {helps}. We need more than a month "
        "to process it.",
        "why": "Why does it take time?",
        "when": "When will you get an answer?",
        "when_text": "We expect to answer you by {date}. If it takes longer, we will tell you.",
        "do": "What you need to do",
        "do_text": "You do not need to do anything now. If you have new information, you can "
        "send it to us.",
        "law": "We send this letter because the case takes more than a month (Public "
        "Administration Act section 11 a).",
        "guidance": "Do you have questions? Contact us.",
        "and": "and",
    },
}
"""The preliminary reply's texts, per written standard."""


def _joined(items: list[str], word: str) -> str:
    """``a, b og c``."""
    *first, last = items or [""]
    return f"{', '.join(first)} {word} {last}" if first else last


def preliminary_reply_context(reply: PreliminaryReply) -> dict[str, Any]:
    """The preliminary reply about the case's open parts, in the reply's written standard."""
    lang, text = _texts(reply.language)
    reply_text = REPLY_TEXT[lang]
    case = reply.case
    open_kinds = set(
        case.routings.filter(status=RoutingStatus.OPEN).values_list("help_kind", flat=True)
    )
    helps = [KIND_TEXT[lang][kind]["help"] for kind in HelpKind if kind in open_kinds]
    applicant = case.household.members.filter(relation="applicant").select_related("person").first()
    return {
        "t": text,
        "r": reply_text,
        "lang": lang,
        "reply": reply,
        "case": case,
        "municipality": case.municipality,
        "sender": text["municipality"].format(name=case.municipality.name),
        "applicant": applicant.person if applicant else None,
        "title": reply_text["title"],
        "intro": reply_text["intro"].format(helps=_joined(helps, reply_text["and"])),
        "when_text": reply_text["when_text"].format(date=date_in(reply.expected_by, lang)),
        "sent_on": date_in(reply.sent_on, lang),
    }


def preliminary_reply_html(reply: PreliminaryReply) -> str:
    return render_to_string(
        "cases/letters/preliminary_reply.html", preliminary_reply_context(reply)
    )


def render_preliminary_reply(reply: PreliminaryReply) -> bytes:
    return _pdf(preliminary_reply_html(reply))


def render_case_record(appeal: Appeal) -> bytes:
    """The case record sent to the appeal body: the decision, its assessment, the appeal, the
    reconsideration and the list of documents."""
    decision = appeal.decision
    case = decision.case
    context = {
        "appeal": appeal,
        "decision": decision,
        "case": case,
        "letter": decision_letter_context(decision),
        "documents": list(case.documents.all()),
        "notes": list(case.notes.all()),
        "members": list(case.household.members.select_related("person")),
    }
    return _pdf(render_to_string("cases/letters/case_record.html", context))


def stored_letter(decision: Decision | PreliminaryReply) -> bytes:
    """The issued letter (a decision's or a preliminary reply's) exactly as stored, checked
    against the hash taken when it was made, so staff and the household always get the same,
    untampered bytes."""
    import hashlib

    from django.http import Http404

    if not decision.letter:
        # Decided before Husly and migrated without its letter: it is in the earlier archive.
        raise Http404
    with decision.letter.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != decision.letter_sha256:
        msg = f"Stored letter for {type(decision).__name__} {decision.pk} does not match its hash"
        raise RuntimeError(msg)
    return content

"""Decision letters and case records as PDF (WeasyPrint), in the recipient's målform.

The letter carries what forvaltningsloven requires of an enkeltvedtak: the conclusion, the
rules applied, the facts and the main considerations (§§ 24–25), conditions, the right to appeal
with deadline, appeal body, addressee and how to appeal, the right to see the case documents
(§§ 18–19) and the duty to guide (§ 11), all in § 27's notification. Approvals also state the
expected waiting time, the six-month promise (Rælingen 7.1) and that the approval lapses if the
situation changes (7.3). The issued PDF is stored with its SHA-256 and reprinted from storage.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from husly.cases.models import Appeal, Decision, DecisionKind, HelpKind
from husly.core.pdf import render_pdf
from husly.rules import deadlines

TEXT: dict[str, dict[str, str]] = {
    "nb": {
        "title_approval": "Vedtak om tilsagn",
        "title_refusal": "Vedtak om avslag",
        "title_lapse": "Vedtak om bortfall av tilsagn",
        "title_other": "Vedtak",
        "our_ref": "Vår referanse",
        "date": "Dato",
        "decision": "Vedtak",
        "approval": "Du får tilsagn om {help}. Du er satt på ventelisten.",
        "refusal": "Søknaden din om {help} er avslått.",
        "lapse": "Tilsagnet ditt om {help} faller bort.",
        "other": "Kommunen har fattet vedtak om {help}: {kind}.",
        "facts": "Dette har vi lagt til grunn",
        "rules": "Regelverket vedtaket bygger på",
        "rules_intro": "Vedtaket er fattet etter lov om kommunenes ansvar på det boligsosiale "
        "feltet (boligsosial lov) § 6 og kommunens retningslinjer:",
        "point": "Punkt",
        "criterion": "Vilkår",
        "result": "Vurdering",
        "met": "oppfylt",
        "not_met": "ikke oppfylt",
        "needs_judgement": "skjønnsmessig vurdert",
        "reasoning": "Begrunnelse",
        "exceptions": "Unntak som er brukt",
        "conditions": "Vilkår for vedtaket",
        "waiting": "Ventetid",
        "waiting_text": "Vi regner med at du får tilbud om bolig om omtrent {months} måneder. "
        "Kommunen skal tildele bolig innen seks måneder etter tilsagnet, det vil "
        "si innen {promise} (retningslinjene punkt 7.1).",
        "lapse_text": "Tilsagnet faller bort hvis situasjonen din endrer seg slik at du ikke "
        "lenger fyller vilkårene, eller hvis du takker nei til et tilbud om "
        "egnet bolig (retningslinjene punkt 7.3). Gi oss beskjed hvis noe endrer "
        "seg.",
        "follow_up": "Du får oppfølging fra {unit}.",
        "appeal": "Du kan klage",
        "appeal_text": "Du kan klage på vedtaket innen tre uker fra du fikk det "
        "(forvaltningsloven § 29). Fristen er {deadline}. Klagen sendes til "
        "{municipality}{address}, som har fattet vedtaket. Skriv hvilket vedtak "
        "du klager på, hva du vil ha endret, og hvorfor, og skriv under. Du kan "
        "også klage i Min side. Hvis vi ikke endrer vedtaket, sender vi klagen "
        "til {body} for endelig avgjørelse.",
        "not_appealable": "Avslag på søknad om bytte kan ikke påklages (retningslinjene "
        "punkt 7.6).",
        "access": "Du har rett til å se dokumentene i saken din (forvaltningsloven §§ 18 og 19).",
        "guidance": "Vi har plikt til å veilede deg (forvaltningsloven § 11). Kontakt oss hvis "
        "du har spørsmål om vedtaket eller trenger hjelp til å klage.",
        "regards": "Med hilsen",
        "drafted": "Saksbehandler",
        "approved": "Godkjent av",
        "electronic": "Vedtaket er godkjent elektronisk og har derfor ingen signatur.",
    },
    "nn": {
        "title_approval": "Vedtak om tilsegn",
        "title_refusal": "Vedtak om avslag",
        "title_lapse": "Vedtak om bortfall av tilsegn",
        "title_other": "Vedtak",
        "our_ref": "Vår referanse",
        "date": "Dato",
        "decision": "Vedtak",
        "approval": "Du får tilsegn om {help}. Du er sett på ventelista.",
        "refusal": "Søknaden din om {help} er avslått.",
        "lapse": "Tilsegnet ditt om {help} fell bort.",
        "other": "Kommunen har gjort vedtak om {help}: {kind}.",
        "facts": "Dette har vi lagt til grunn",
        "rules": "Regelverket vedtaket byggjer på",
        "rules_intro": "Vedtaket er gjort etter lov om kommunane sitt ansvar på det bustadsosiale "
        "feltet (bustadsosial lov) § 6 og retningslinjene til kommunen:",
        "point": "Punkt",
        "criterion": "Vilkår",
        "result": "Vurdering",
        "met": "oppfylt",
        "not_met": "ikkje oppfylt",
        "needs_judgement": "skjønsmessig vurdert",
        "reasoning": "Grunngiving",
        "exceptions": "Unntak som er brukte",
        "conditions": "Vilkår for vedtaket",
        "waiting": "Ventetid",
        "waiting_text": "Vi reknar med at du får tilbod om bustad om omtrent {months} månader. "
        "Kommunen skal tildele bustad innan seks månader etter tilsegnet, det vil "
        "seie innan {promise} (retningslinjene punkt 7.1).",
        "lapse_text": "Tilsegnet fell bort dersom situasjonen din endrar seg slik at du ikkje "
        "lenger fyller vilkåra, eller dersom du takkar nei til eit tilbod om "
        "eigna bustad (retningslinjene punkt 7.3). Gi oss beskjed dersom noko "
        "endrar seg.",
        "follow_up": "Du får oppfølging frå {unit}.",
        "appeal": "Du kan klage",
        "appeal_text": "Du kan klage på vedtaket innan tre veker frå du fekk det "
        "(forvaltningslova § 29). Fristen er {deadline}. Klaga skal sendast til "
        "{municipality}{address}, som har gjort vedtaket. Skriv kva vedtak du "
        "klagar på, kva du vil ha endra, og kvifor, og skriv under. Du kan òg "
        "klage i Mi side. Dersom vi ikkje endrar vedtaket, sender vi klaga til "
        "{body} for endeleg avgjerd.",
        "not_appealable": "Avslag på søknad om byte kan ikkje klagast på (retningslinjene "
        "punkt 7.6).",
        "access": "Du har rett til å sjå dokumenta i saka di (forvaltningslova §§ 18 og 19).",
        "guidance": "Vi har plikt til å rettleie deg (forvaltningslova § 11). Ta kontakt med oss "
        "dersom du har spørsmål om vedtaket eller treng hjelp til å klage.",
        "regards": "Med helsing",
        "drafted": "Saksbehandlar",
        "approved": "Godkjent av",
        "electronic": "Vedtaket er godkjent elektronisk og har difor ingen signatur.",
    },
    "en": {
        "title_approval": "Decision: approval",
        "title_refusal": "Decision: refusal",
        "title_lapse": "Decision: lapse of approval",
        "title_other": "Decision",
        "our_ref": "Our reference",
        "date": "Date",
        "decision": "Decision",
        "approval": "You are approved for {help}. You have been placed on the waiting list.",
        "refusal": "Your application for {help} has been refused.",
        "lapse": "Your approval for {help} has lapsed.",
        "other": "The municipality has decided on {help}: {kind}.",
        "facts": "The facts we have relied on",
        "rules": "The rules the decision is based on",
        "rules_intro": "The decision is made under the Act on municipal responsibility in the "
        "social housing field, section 6, and the municipality's guidelines:",
        "point": "Point",
        "criterion": "Criterion",
        "result": "Assessment",
        "met": "met",
        "not_met": "not met",
        "needs_judgement": "assessed by discretion",
        "reasoning": "Reasons",
        "exceptions": "Exceptions applied",
        "conditions": "Conditions",
        "waiting": "Waiting time",
        "waiting_text": "We expect you to be offered a dwelling in about {months} months. The "
        "municipality shall allocate a dwelling within six months of approval, "
        "that is by {promise} (guidelines point 7.1).",
        "lapse_text": "The approval lapses if your situation changes so that you no longer meet "
        "the criteria, or if you refuse an offer of a suitable dwelling "
        "(guidelines point 7.3). Tell us if anything changes.",
        "follow_up": "You will be followed up by {unit}.",
        "appeal": "You can appeal",
        "appeal_text": "You can appeal within three weeks of receiving this decision (Public "
        "Administration Act section 29). The deadline is {deadline}. Send the "
        "appeal to {municipality}{address}, which made the decision. Say which "
        "decision you appeal, what you want changed and why, and sign it. You "
        "can also appeal in the self-service pages. If we do not change the "
        "decision, we send the appeal to {body} for a final decision.",
        "not_appealable": "A refused swap cannot be appealed (guidelines point 7.6).",
        "access": "You have the right to see the documents in your case (Public Administration "
        "Act sections 18 and 19).",
        "guidance": "We have a duty to guide you (section 11). Contact us if you have questions "
        "about the decision or need help to appeal.",
        "regards": "Yours sincerely",
        "drafted": "Caseworker",
        "approved": "Approved by",
        "electronic": "This decision has been approved electronically and is not signed.",
    },
}


def _flat_criteria(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for item in items:
        flat.append(item)
        flat.extend(_flat_criteria(item.get("children") or []))
    return flat


def _pdf(html: str) -> bytes:
    return render_pdf(html)  # tagged PDF/UA-1 (husly.core.pdf)


def decision_letter_context(decision: Decision, language: str | None = None) -> dict[str, Any]:
    lang = language or decision.language
    text = TEXT[lang if lang in TEXT else "nb"]
    case = decision.case
    municipality = case.municipality
    with translation.override(lang):
        help_label = str(HelpKind(decision.help_kind).label).lower()
        kind_label = str(DecisionKind(decision.kind).label).lower()
    conclusion_key = decision.kind if decision.kind in {"approval", "refusal", "lapse"} else "other"
    title_key = f"title_{conclusion_key}"
    record = decision.assessment.record if decision.assessment else None
    criteria = []
    exceptions = []
    guideline_title = ""
    if record:
        guideline_title = ""
        criteria = [
            {
                "point": crit["point"],
                "title": crit["title"].get(lang, crit["title"]["nb"]),
                "outcome": text.get(crit["outcome"], crit["outcome"]),
                "assessment": (crit.get("assessment") or {}).get("reason", ""),
            }
            for crit in _flat_criteria(record["criteria"])
        ]
        exceptions = [
            {"title": exc["title"].get(lang, exc["title"]["nb"]), "reason": exc["reason"]}
            for exc in record["exceptions"]
            if exc["invoked_for"]
        ]
        guideline_title = decision.assessment.guideline_set_id if decision.assessment else ""
    applicant = case.household.members.filter(relation="applicant").select_related("person").first()
    notified = decision.notified_on or decision.issued_on
    address = f", {municipality.address}" if municipality.address else ""
    return {
        "t": text,
        "lang": lang,
        "decision": decision,
        "case": case,
        "municipality": municipality,
        "applicant": applicant.person if applicant else None,
        "title": text[title_key],
        "conclusion": text[conclusion_key].format(help=help_label, kind=kind_label),
        "criteria": criteria,
        "exceptions": exceptions,
        "guideline_title": guideline_title,
        "waiting_text": text["waiting_text"].format(
            months=decision.expected_wait_months or 6,
            promise=deadlines.allocation_deadline(decision.issued_on).strftime("%d.%m.%Y"),
        )
        if decision.kind == DecisionKind.APPROVAL and decision.issued_on
        else "",
        "appeal_text": text["appeal_text"].format(
            deadline=deadlines.appeal_deadline(notified).strftime("%d.%m.%Y"),
            municipality=f"{municipality.name} kommune",
            address=address,
            body=municipality.appeal_body,
        )
        if notified
        else "",
        "follow_up_text": text["follow_up"].format(unit=decision.follow_up_unit.name)
        if decision.follow_up_unit
        else "",
    }


def render_decision_letter(decision: Decision, language: str | None = None) -> bytes:
    context = decision_letter_context(decision, language)
    return _pdf(render_to_string("cases/letters/decision.html", context))


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


def stored_letter(decision: Decision) -> bytes:
    """The issued letter exactly as stored, checked against the hash taken when it was issued,
    so staff and the household always get the same, untampered bytes."""
    import hashlib

    with decision.letter.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != decision.letter_sha256:
        msg = f"Stored letter for decision {decision.pk} does not match its hash"
        raise RuntimeError(msg)
    return content

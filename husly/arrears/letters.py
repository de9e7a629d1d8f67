"""The letters of the arrears procedure as PDF, in the tenant's målform (bokmål or nynorsk).

- **Reminder** (purring, Appendix 5): the amount, what to pay to, and that a repayment plan and
  help from NAV are possible.
- **Debt-collection notice** (inkassovarsel, inkassoloven § 9; Appendix 4, 13.1–13.2): the claim,
  a deadline of at least 14 days, that the claim goes to collection with costs for the tenant if
  not paid, and that the tenant may object.
- **Notice of eviction petition** (tvangsfullbyrdelsesloven § 4-18; Appendix 4, 13.4–13.5): pay or
  agree a repayment plan within 14 days, otherwise the municipality asks the enforcement officer
  (namsmannen) for eviction (§ 13-2 third paragraph (a): the lease's clause on unpaid rent is the
  enforcement basis); copies to NAV or the refugee service, the housing consultant or
  coordinator, and child welfare when children live there.
- **Petition for eviction** (begjæring om fravikelse, Appendix 4, 13.6) to the enforcement
  officer, copy to NAV (point 5) and the service unit (point 6).

A draft can be read before a person confirms; only the confirmed PDF is stored and shown on
Min side.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from husly.arrears.models import ArrearsStep
from husly.arrears.procedure import StepKind
from husly.arrears.selectors import procedure_of
from husly.core.pdf import render_pdf
from husly.rules.guidelines.text import fmt_date, fmt_kroner

TEXT: dict[str, dict[str, Any]] = {
    "nb": {
        "reference": "Vår referanse",
        "date": "Dato",
        "facts": "Kravet",
        "help": "Du kan få hjelp",
        "basis": "Grunnlag",
        "copies": "Kopi til",
        "regards": "Med vennlig hilsen",
        "draft": "UTKAST – ikke sendt",
        "to_officer": "Namsmannen",
        "arrears": "Ubetalt husleie",
        "months": "Antall måneder",
        "oldest": "Eldste ubetalte forfall",
        "deadline": "Frist",
        "dwelling": "Bolig",
        "tenants": "Leietaker(e)",
        "notice_sent": "Varsel etter § 4-18 sendt",
        "notice_deadline": "Fristen i varselet gikk ut",
        "reminder": {
            "title": "Påminnelse om ubetalt husleie",
            "lead": "Vi har ikke mottatt husleien din. Du skylder {amount}.",
            "text": [
                "Betal så snart du kan. Har du allerede betalt, kan du se bort fra dette brevet.",
            ],
        },
        "collection_notice": {
            "title": "Inkassovarsel",
            "lead": "Du skylder {amount} i husleie. Betal innen {deadline}.",
            "text": [
                "Betaler du ikke innen fristen, sender vi kravet til inkasso. Da må du også "
                "betale inkassokostnader.",
                "Mener du at kravet er feil, må du si fra til oss før fristen.",
            ],
        },
        "eviction_notice": {
            "title": "Varsel om begjæring om fravikelse",
            "lead": "Du skylder {amount} i husleie. Betal eller avtal en nedbetalingsplan med "
            "oss innen {deadline}.",
            "text": [
                "Gjør du ikke det, vil kommunen be namsmannen om fravikelse. Det betyr at du "
                "kan bli kastet ut av boligen.",
                "Leiekontrakten sier at du kan kastes ut uten dom hvis husleien ikke blir betalt "
                "(tvangsfullbyrdelsesloven § 13-2 tredje ledd bokstav a).",
            ],
        },
        "petition": {
            "title": "Begjæring om fravikelse",
            "lead": "{municipality} begjærer fravikelse av {tenants} fra {dwelling}.",
            "text": [
                "Leietakeren har ikke betalt husleien. Restansen er {amount}.",
                "Varsel etter tvangsfullbyrdelsesloven § 4-18 ble sendt {notice_sent}, med frist "
                "{notice_deadline}. Kravet er ikke betalt, og det er ikke avtalt nedbetaling.",
                "Tvangsgrunnlag er leiekontrakten, som har vedtakelse om fravikelse ved "
                "manglende betaling av husleie (tvangsfullbyrdelsesloven § 13-2 tredje ledd "
                "bokstav a).",
                "Vi ber om å få vite datoen for fravikelsen. Kopi av begjæringen går til NAV.",
            ],
        },
        "help_text": [
            "Ta kontakt hvis du vil avtale en nedbetalingsplan.",
            "NAV kan hjelpe med økonomisk rådgivning, og i noen tilfeller dekke husleie som "
            "økonomisk sosialhjelp. Kontakt NAV-kontoret ditt.",
        ],
    },
    "nn": {
        "reference": "Vår referanse",
        "date": "Dato",
        "facts": "Kravet",
        "help": "Du kan få hjelp",
        "basis": "Grunnlag",
        "copies": "Kopi til",
        "regards": "Med venleg helsing",
        "draft": "UTKAST – ikkje sendt",
        "to_officer": "Namsmannen",
        "arrears": "Ubetalt husleige",
        "months": "Talet på månader",
        "oldest": "Eldste ubetalte forfall",
        "deadline": "Frist",
        "dwelling": "Bustad",
        "tenants": "Leigetakar(ar)",
        "notice_sent": "Varsel etter § 4-18 sendt",
        "notice_deadline": "Fristen i varselet gjekk ut",
        "reminder": {
            "title": "Påminning om ubetalt husleige",
            "lead": "Vi har ikkje fått husleiga di. Du skuldar {amount}.",
            "text": [
                "Betal så snart du kan. Har du alt betalt, kan du sjå bort frå dette brevet.",
            ],
        },
        "collection_notice": {
            "title": "Inkassovarsel",
            "lead": "Du skuldar {amount} i husleige. Betal innan {deadline}.",
            "text": [
                "Betaler du ikkje innan fristen, sender vi kravet til inkasso. Då må du også "
                "betale inkassokostnader.",
                "Meiner du at kravet er feil, må du seie frå til oss før fristen.",
            ],
        },
        "eviction_notice": {
            "title": "Varsel om oppmoding om fråviking",
            "lead": "Du skuldar {amount} i husleige. Betal eller avtal ein nedbetalingsplan med "
            "oss innan {deadline}.",
            "text": [
                "Gjer du ikkje det, vil kommunen be namsmannen om fråviking. Det tyder at du "
                "kan bli kasta ut av bustaden.",
                "Leigekontrakten seier at du kan kastast ut utan dom dersom husleiga ikkje blir "
                "betalt (tvangsfullføringslova § 13-2 tredje ledd bokstav a).",
            ],
        },
        "petition": {
            "title": "Oppmoding om fråviking",
            "lead": "{municipality} ber om fråviking av {tenants} frå {dwelling}.",
            "text": [
                "Leigetakaren har ikkje betalt husleiga. Restansen er {amount}.",
                "Varsel etter tvangsfullføringslova § 4-18 vart sendt {notice_sent}, med frist "
                "{notice_deadline}. Kravet er ikkje betalt, og det er ikkje avtalt nedbetaling.",
                "Tvangsgrunnlag er leigekontrakten, som har vedtaking om fråviking når husleiga "
                "ikkje blir betalt (tvangsfullføringslova § 13-2 tredje ledd bokstav a).",
                "Vi ber om å få vite datoen for fråvikinga. Kopi av oppmodinga går til NAV.",
            ],
        },
        "help_text": [
            "Ta kontakt dersom du vil avtale ein nedbetalingsplan.",
            "NAV kan hjelpe med økonomisk rådgiving, og i nokre tilfelle dekkje husleige som "
            "økonomisk sosialhjelp. Kontakt NAV-kontoret ditt.",
        ],
    },
}


def letter_language(step: ArrearsStep) -> str:
    member = (
        step.case.household.members.filter(relation="applicant").select_related("person").first()
    )
    return "nn" if member and member.person.language_form == "nn" else "nb"


def letter_context(step: ArrearsStep, *, draft: bool = False) -> dict[str, Any]:
    case = step.case
    lang = letter_language(step)
    t = TEXT[lang]
    kind = StepKind(step.kind)
    body = t[kind.value]
    spec = procedure_of(case).step(step.step_id)
    adults = [
        m.person
        for m in case.household.members.select_related("person").order_by("pk")
        if m.relation != "child"
    ]
    tenants = ", ".join(p.full_name for p in adults)
    dwelling = str(case.lease.dwelling) if case.lease else case.external_address
    notice = (
        case.steps.filter(kind=StepKind.EVICTION_NOTICE, status="confirmed")
        .order_by("-taken_on")
        .first()
    )
    values = {
        "amount": fmt_kroner(step.arrears),
        "deadline": fmt_date(step.deadline) if step.deadline else "",
        "municipality": f"{case.municipality.name} kommune",
        "tenants": tenants,
        "dwelling": dwelling,
        "notice_sent": fmt_date(notice.taken_on) if notice else "",
        "notice_deadline": fmt_date(notice.deadline) if notice and notice.deadline else "",
    }
    paragraphs = [body["lead"].format(**values)] + [p.format(**values) for p in body["text"]]
    facts = [
        (t["arrears"], values["amount"]),
        (t["months"], str(step.months_covered)),
        (t["dwelling"], dwelling),
        (t["tenants"], tenants),
    ]
    if step.deadline and kind != StepKind.PETITION:
        facts.append((t["deadline"], values["deadline"]))
    if kind == StepKind.PETITION and notice:
        facts.append((t["notice_sent"], values["notice_sent"]))
    first = adults[0] if adults else None
    addressee = (
        [t["to_officer"]]
        if kind == StepKind.PETITION
        else ([first.full_name, getattr(first, "address", "")] if first else [])
    )
    return {
        "lang": lang,
        "draft": draft,
        "draft_text": t["draft"],
        "labels": t,
        "title": body["title"],
        "paragraphs": paragraphs,
        "facts": facts,
        "help": t["help_text"] if kind != StepKind.PETITION else [],
        "basis": f"{spec.legal_basis or spec.source} ({spec.source})",
        "copies": step.copies,
        "sender": f"{case.municipality.name} kommune",
        "responsible": step.responsible.get_full_name(),
        "addressee": [line for line in addressee if line],
        "reference": f"R-{case.pk}",
        "date": fmt_date(step.taken_on),
    }


def letter_text(step: ArrearsStep) -> str:
    """The letter's words as plain text (for tests and the staff page's preview)."""
    ctx = letter_context(step)
    parts = [
        *ctx["addressee"],
        ctx["title"],
        *ctx["paragraphs"],
        *[f"{a}: {b}" for a, b in ctx["facts"]],
    ]
    parts += [*ctx["help"], ctx["basis"]]
    if ctx["copies"]:
        parts.append(f"{ctx['labels']['copies']}: {', '.join(ctx['copies'])}")
    return "\n".join(parts)


def render_step_letter(step: ArrearsStep, *, draft: bool = False) -> bytes:
    return render_pdf(
        render_to_string("arrears/letter_pdf.html", letter_context(step, draft=draft))
    )

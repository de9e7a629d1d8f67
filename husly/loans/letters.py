"""The start loan's own letter texts: the approval's terms and validity (tilsagnsbrev), an
establishment grant in the same approval, and the written advice against (frarådning), which is
not a refusal and says so (finansavtaleloven 2020; Husbanken, Finansavtaleloven og SEF-skjema:
"Frarådingen skal være skriftlig og er ikke et avslag" [confirm: the section number in the 2020
act])."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from husly.cases import hooks
from husly.cases.letters import TEXT as CASE_TEXT
from husly.cases.models import Decision, DecisionKind, HelpKind
from husly.core.pdf import render_pdf
from husly.loans.models import AdviceAgainst, GrantApplication, LoanApproval
from husly.rules.language import date_in, number_in

TERMS = {
    "nb": {
        "rate_floating": "flytende",
        "rate_fixed": "fast",
        "details": "Renten er {rate} % ({kind}). Nedbetalingstiden er {term} år. Du betaler "
        "cirka {payment} kroner i måneden. Tilsagnet gjelder til {valid}. Boligen kan koste "
        "høyst {price} kroner med fellesgjeld.",
        "grant": " Du får også etableringstilskudd på {grant} kroner.",
    },
    "nn": {
        "rate_floating": "flytande",
        "rate_fixed": "fast",
        "details": "Renta er {rate} % ({kind}). Nedbetalingstida er {term} år. Du betaler om "
        "lag {payment} kroner i månaden. Tilsegnet gjeld til {valid}. Bustaden kan koste "
        "høgst {price} kroner med fellesgjeld.",
        "grant": " Du får òg etableringstilskot på {grant} kroner.",
    },
    "en": {
        "rate_floating": "floating",
        "rate_fixed": "fixed",
        "details": "The interest rate is {rate} % ({kind}). The term is {term} years. You pay "
        "about NOK {payment} a month. The approval is valid until {valid}. The home can cost "
        "at most NOK {price} including common debt.",
        "grant": " You also get an establishment grant of NOK {grant}.",
    },
}

CONDITIONS = {
    "nb": "Lånet sikres med pant i boligen. Kommunens prioritet følger lånets andel av "
    "boligens verdi.",
    "nn": "Lånet blir sikra med pant i bustaden. Prioriteten til kommunen følgjer delen til "
    "lånet av verdien på bustaden.",
    "en": "The loan is secured by a mortgage in the home. The municipality's priority follows "
    "the loan's share of the home's value.",
}
"""The condition every start-loan approval carries (Rælingen, Sikkerhet for lån, raelingen
L5677–5691), in the letter's language."""

ADVICE = {
    "nb": {
        "title": "Vi fraråder deg å ta opp startlån",
        "not_refusal": "Dette er ikke et avslag. Du kan fortsatt be om å få lånet. Vi skal "
        "likevel si fra skriftlig når vi mener at du ikke kan betale lånet.",
        "why": "Hvorfor fraråder vi lånet?",
        "margin": "Etter renter, avdrag og utgifter til livsopphold mangler du {margin} kroner "
        "i måneden, også med den beste løsningen vi kan tilby.",
        "next": "Dette kan du gjøre",
        "next_steps": [
            "Snakk med oss om andre løsninger, for eksempel bostøtte eller å leie.",
            "Vil du likevel søke om lånet, sier du fra til oss.",
        ],
        "law": "Vi gir deg dette rådet fordi finansavtaleloven krever at vi fraråder et lån "
        "som vi mener du ikke kan betale [confirm: paragrafen i finansavtaleloven 2020].",
    },
    "nn": {
        "title": "Vi rår deg frå å ta opp startlån",
        "not_refusal": "Dette er ikkje eit avslag. Du kan framleis be om å få lånet. Vi skal "
        "likevel seie frå skriftleg når vi meiner at du ikkje kan betale lånet.",
        "why": "Kvifor rår vi frå lånet?",
        "margin": "Etter renter, avdrag og utgifter til livsopphald manglar du {margin} kroner "
        "i månaden, også med den beste løysinga vi kan tilby.",
        "next": "Dette kan du gjere",
        "next_steps": [
            "Snakk med oss om andre løysingar, til dømes bustøtte eller å leige.",
            "Vil du likevel søkje om lånet, seier du frå til oss.",
        ],
        "law": "Vi gir deg dette rådet fordi finansavtalelova krev at vi rår frå eit lån som "
        "vi meiner du ikkje kan betale [confirm: paragrafen i finansavtalelova 2020].",
    },
    "en": {
        "title": "We advise you against taking a start loan",
        "not_refusal": "This is not a refusal. You can still ask for the loan. But we must "
        "tell you in writing when we think you cannot pay the loan.",
        "why": "Why do we advise against the loan?",
        "margin": "After interest, repayments and living costs you lack NOK {margin} a month, "
        "even with the best solution we can offer.",
        "next": "What you can do",
        "next_steps": [
            "Talk with us about other solutions, such as housing allowance or renting.",
            "If you still want to apply for the loan, tell us.",
        ],
        "law": "We give you this advice because the Financial Contracts Act requires us to "
        "advise against a loan we think you cannot pay [confirm: the section of the 2020 act].",
    },
}


@hooks.on_letter_text
def start_loan_details(decision: Decision, lang: str) -> dict[str, Any] | None:
    """The approval's terms for a start loan (amount is in the conclusion)."""
    if decision.help_kind != HelpKind.START_LOAN or decision.kind != DecisionKind.APPROVAL:
        return None
    terms = LoanApproval.objects.filter(decision=decision).first()
    if terms is None:
        return None
    lang = lang if lang in TERMS else "nb"
    t = TERMS[lang]
    rate = float(terms.annual_rate)
    i, n = rate / 12, terms.term_years * 12
    payment = round(terms.amount * i / (1 - (1 + i) ** -n)) if i else terms.amount // n
    valid = terms.valid_until
    if valid is None and decision.issued_on is None:
        from husly.rules.deadlines import add_months

        valid_text = {
            "nb": "tre måneder etter vedtaksdatoen",
            "nn": "tre månader etter vedtaksdatoen",
            "en": "three months after the date of the decision",
        }[lang]
    else:
        from husly.rules.deadlines import add_months

        valid_text = date_in(valid or add_months(decision.issued_on, 3), lang)  # type: ignore[arg-type]
    details = t["details"].format(
        rate=number_in(round(rate * 100, 3), lang),
        kind=t["rate_fixed"] if terms.fixed_rate else t["rate_floating"],
        term=terms.term_years,
        payment=number_in(payment, lang),
        valid=valid_text,
        price=number_in(terms.max_price, lang),
    )
    if terms.grant_amount:
        details += t["grant"].format(grant=number_in(terms.grant_amount, lang))
    return {"details": details}


GRANT_TEXT: dict[str, dict[str, Any]] = {
    "nb": {
        "establishment": {
            "title": "Vedtak om etableringstilskudd",
            "help": "etableringstilskudd",
            "granted": "Du får etableringstilskudd på {amount} kroner.",
            "details": "Tilskuddet gjelder: {purpose}. Du søkte om {sought} kroner.",
            "basis": "Vi har gjort vedtaket etter kommunens regler for etableringstilskudd "
            "[confirm: lovgrunnlaget for kommunale boligtilskudd, bustøttelova] og kommunens "
            "kriterier for startlån. Tilskuddet er kommunens siste trinn når startlånet alene "
            "ikke strekker til.",
        },
        "adaptation": {
            "title": "Vedtak om tilpasningstilskudd",
            "help": "tilpasningstilskudd",
            "granted": "Du får tilpasningstilskudd på {amount} kroner.",
            "details": "Tilskuddet gjelder: {purpose}. Du søkte om {sought} kroner.",
            "basis": "Vi har gjort vedtaket etter kommunens regler for tilpasningstilskudd "
            "[confirm: lovgrunnlaget for kommunale boligtilskudd, bustøttelova].",
        },
        "refused": "Du får ikke {help}. Søknaden er avslått.",
        "next": "Tilskuddet betales ut når du har sendt oss dokumentasjon på kjøpet eller "
        "tilpasningen.",
    },
    "nn": {
        "establishment": {
            "title": "Vedtak om etableringstilskot",
            "help": "etableringstilskot",
            "granted": "Du får etableringstilskot på {amount} kroner.",
            "details": "Tilskotet gjeld: {purpose}. Du søkte om {sought} kroner.",
            "basis": "Vi har gjort vedtaket etter reglane til kommunen for etableringstilskot "
            "[confirm: lovgrunnlaget for kommunale bustadtilskot, bustøttelova] og kriteria til "
            "kommunen for startlån. Tilskotet er det siste steget til kommunen når startlånet "
            "åleine ikkje strekk til.",
        },
        "adaptation": {
            "title": "Vedtak om tilpassingstilskot",
            "help": "tilpassingstilskot",
            "granted": "Du får tilpassingstilskot på {amount} kroner.",
            "details": "Tilskotet gjeld: {purpose}. Du søkte om {sought} kroner.",
            "basis": "Vi har gjort vedtaket etter reglane til kommunen for tilpassingstilskot "
            "[confirm: lovgrunnlaget for kommunale bustadtilskot, bustøttelova].",
        },
        "refused": "Du får ikkje {help}. Søknaden er avslått.",
        "next": "Tilskotet blir betalt ut når du har sendt oss dokumentasjon på kjøpet eller "
        "tilpassinga.",
    },
    "en": {
        "establishment": {
            "title": "Decision on an establishment grant",
            "help": "an establishment grant",
            "granted": "You are granted an establishment grant of NOK {amount}.",
            "details": "The grant is for: {purpose}. You applied for NOK {sought}.",
            "basis": "We made the decision under the municipality's rules for establishment "
            "grants [confirm: the legal basis of municipal housing grants] and its start-loan "
            "criteria. The grant is the municipality's last step when a start loan alone is "
            "not enough.",
        },
        "adaptation": {
            "title": "Decision on an adaptation grant",
            "help": "an adaptation grant",
            "granted": "You are granted an adaptation grant of NOK {amount}.",
            "details": "The grant is for: {purpose}. You applied for NOK {sought}.",
            "basis": "We made the decision under the municipality's rules for adaptation "
            "grants [confirm: the legal basis of municipal housing grants].",
        },
        "refused": "You will not get {help}. The application is refused.",
        "next": "The grant is paid when you have sent us documentation of the purchase or the "
        "adaptation.",
    },
}
"""The grants' own letter texts per kind: title, conclusion, what the grant is for, and the
legal basis (municipal grants have no national rules: spec/law-and-parameters.md 3)."""


@hooks.on_letter_text
def grant_details(decision: Decision, lang: str) -> dict[str, Any] | None:
    """An establishment or adaptation grant's own title, conclusion, details and legal basis;
    a refusal keeps the common reasons and appeal."""
    if decision.help_kind != HelpKind.GRANT:
        return None
    grant = GrantApplication.objects.filter(decision=decision).first()
    if grant is None:
        return None
    lang = lang if lang in GRANT_TEXT else "nb"
    texts = GRANT_TEXT[lang]
    t = texts[grant.grant_kind]
    out: dict[str, Any] = {"title": t["title"], "basis": t["basis"]}
    if decision.kind == DecisionKind.APPROVAL:
        out["conclusion"] = t["granted"].format(amount=number_in(decision.amount or 0, lang))
        out["details"] = t["details"].format(
            purpose=grant.purpose, sought=number_in(grant.amount_sought, lang)
        )
        out["next_steps"] = [texts["next"]]
    elif decision.kind == DecisionKind.REFUSAL:
        out["conclusion"] = texts["refused"].format(help=t["help"])
    return out


def advice_context(advice: AdviceAgainst) -> dict[str, Any]:
    lang = advice.language if advice.language in ADVICE else "nb"
    a = ADVICE[lang]
    case = advice.application.case
    applicant = case.household.members.filter(relation="applicant").select_related("person").first()
    return {
        "lang": lang,
        "a": a,
        "t": CASE_TEXT[lang],
        "case": case,
        "advice": advice,
        "applicant": applicant.person if applicant else None,
        "municipality_name": CASE_TEXT[lang]["municipality"].format(name=case.municipality.name),
        "margin_text": a["margin"].format(margin=number_in(abs(min(advice.margin, 0)), lang)),
        "issued": date_in(advice.issued_on, lang),
    }


def advice_letter_html(advice: AdviceAgainst) -> str:
    return render_to_string("loans/letters/advice.html", advice_context(advice))


def render_advice_letter(advice: AdviceAgainst) -> bytes:
    return render_pdf(advice_letter_html(advice))

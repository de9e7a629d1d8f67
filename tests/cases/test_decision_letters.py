"""Every kind of help has its own decision and letter (issue #11 items 1, 2 and 22): its own
content, outcome, legal basis, appeal body and letter sections; the reasons are the
caseworker's; criteria that were not needed are not printed as not met; every judged row shows
its reason; a draft is marked UTKAST on every page; the letters read at LIX 40 or below."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from husly.audit.models import ChangeEvent
from husly.cases import actions
from husly.cases.letters import decision_letter_html, preliminary_reply_html
from husly.cases.models import Case, Decision, HelpKind
from husly.rules.plain_language import lix
from tests.cases.helpers import ELIGIBLE, judge_all, nav_staff

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)
REASONS = (
    "Husstanden har ingen bolig i dag og bor midlertidig hos venner. Vi har lagt vekt på at "
    "det er barn i husstanden, og at de ikke klarer å skaffe bolig selv."
)
CONTENT: dict[str, dict[str, Any]] = {
    HelpKind.RENTAL_DWELLING: {"expected_wait_months": 4},
    HelpKind.DWELLING_WITH_SERVICES: {"expected_wait_months": 5},
    HelpKind.ADVICE: {},
    HelpKind.START_LOAN: {"amount": 1_850_000},
    HelpKind.GRANT: {"amount": 150_000},
    HelpKind.DEPOSIT_GUARANTEE: {
        "amount": 24_000,
        "landlord": "Utleie AS",
        "place": "Storgata 5, Rælingen",
        "period_from": dt.date(2026, 4, 1),
        "period_to": dt.date(2029, 3, 31),
    },
    HelpKind.HOUSING_FOLLOW_UP: {},
    HelpKind.TEMPORARY_ACCOMMODATION: {
        "place": "Fjerdingby hospits",
        "period_from": dt.date(2026, 3, 5),
        "period_to": dt.date(2026, 4, 4),
    },
}

# What each kind's approval letter must say (bokmål): title, conclusion, legal basis, appeal body.
EXPECTED = {
    HelpKind.RENTAL_DWELLING: (
        "Vedtak om kommunal utleiebolig",
        "Du får tilsagn om kommunal utleiebolig. Du står nå på ventelisten.",
        "boligsosial lov § 6 og kommunens retningslinjer",
        "Kommunens klagenemnd",
    ),
    HelpKind.DWELLING_WITH_SERVICES: (
        "Vedtak om bolig med tjenester",
        "Du får tilsagn om bolig med tjenester.",
        "boligsosial lov § 6",
        "Kommunens klagenemnd",
    ),
    HelpKind.ADVICE: (
        "Vedtak om råd og veiledning",
        "Du får råd og veiledning om bolig.",
        "boligsosial lov § 6",
        "Statsforvalteren",
    ),
    HelpKind.START_LOAN: (
        "Vedtak om startlån",
        "Du får tilsagn om startlån på 1 850 000 kroner.",
        "forskrift om lån fra Husbanken, kapittel 5",
        "Kommunens klagenemnd",
    ),
    HelpKind.GRANT: (
        "Vedtak om tilskudd",
        "Du får tilskudd på 150 000 kroner.",
        "kommunens regler for tilskudd",
        "Kommunens klagenemnd",
    ),
    HelpKind.DEPOSIT_GUARANTEE: (
        "Vedtak om depositumsgaranti",
        "Du får en depositumsgaranti på 24 000 kroner.",
        "NAV har gjort vedtaket etter sosialtjenesteloven §§ 18 og 19",
        "Statsforvalteren",
    ),
    HelpKind.HOUSING_FOLLOW_UP: (
        "Vedtak om booppfølging",
        "Du får booppfølging.",
        "boligsosial lov § 6",
        "Statsforvalteren",
    ),
    HelpKind.TEMPORARY_ACCOMMODATION: (
        "Vedtak om midlertidig botilbud",
        "Du får et midlertidig sted å bo. Du kan bo på Fjerdingby hospits fra 05.03.2026 til "
        "04.04.2026.",
        "NAV har gjort vedtaket etter sosialtjenesteloven § 27",
        "Statsforvalteren",
    ),
}
WAITING_LIST_KINDS = {HelpKind.RENTAL_DWELLING, HelpKind.DWELLING_WITH_SERVICES}


@pytest.fixture
def staff(sara, geir, routing):  # type: ignore[no-untyped-def]
    """The caseworker and approver who decide a kind of help: those of the unit it is routed
    to (NAV for a start loan, the housing office for the rest)."""
    nav = nav_staff(routing)
    return lambda kind: nav if kind == HelpKind.START_LOAN else (sara, geir)


def _case(sara, household, kinds: list[str], **data: Any) -> Case:  # type: ignore[no-untyped-def]
    return actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=kinds,
        data={**ELIGIBLE, **data},
        submit=True,
    )


def _draft(sara, case, kind: str, outcome: str = "approval", **extra: Any) -> Decision:  # type: ignore[no-untyped-def]
    if kind in actions.GUIDELINE_KINDS and not case.assessments.exists():
        actions.assessment_run(actor=sara, case=case)
        actions.assessment_run(actor=sara, case=case, judgements=judge_all(case, sara))
    data: dict[str, Any] = {
        "help_kind": kind,
        "kind": outcome,
        "facts": "Husstanden bor hos venner og har ingen egen bolig.",
        "reasoning": REASONS,
        **(CONTENT[kind] if outcome == "approval" else {}),
        **extra,
    }
    if kind in WAITING_LIST_KINDS | {HelpKind.HOUSING_FOLLOW_UP} and outcome == "approval":
        data["follow_up_unit"] = case.routings.get(help_kind=kind).unit
    return actions.decision_draft(actor=sara, case=case, data=data)


def _issue(sara, geir, decision: Decision) -> Decision:  # type: ignore[no-untyped-def]
    actions.decision_submit(actor=sara, decision=decision)
    actions.decision_approve(actor=geir, decision=decision)
    return actions.decision_issue(actor=sara, decision=decision)


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def _text(decision: Decision) -> str:
    return " ".join(_pages(decision.letter.open("rb").read()))


class _Prose(HTMLParser):
    """The letter's own prose: the blocks inside <main>, leaving out text marked as the
    caseworker's or the guideline's (data-source), the address block and the signature."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "td", "th"}

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._stack: list[tuple[str, bool]] = []
        self._in_main = False
        self._current: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self._in_main = True
        if tag == "br":
            return
        self._stack.append((tag, any(name == "data-source" for name, _ in attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main = False
        while self._stack:
            name, _skip = self._stack.pop()
            if name == tag:
                break
        if tag in self.BLOCKS and self._current:
            self.blocks.append(" ".join(self._current))
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._in_main and not self._skipping() and data.strip():
            self._current.append(data.strip())


def prose(html: str) -> list[str]:
    parser = _Prose()
    parser.feed(html)
    return parser.blocks


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("kind", list(HelpKind))
def test_every_kind_of_help_has_its_own_approval_letter(
    kind, sara, staff, household, housing_office
) -> None:
    case = _case(sara, household, [kind])
    worker, approver = staff(kind)
    decision = _issue(worker, approver, _draft(worker, case, kind))
    text = _text(decision)
    title, conclusion, basis, body = EXPECTED[kind]
    assert title in text
    assert conclusion in text
    assert basis in text
    assert f"sender vi klagen til {body}" in text
    other_body = "Kommunens klagenemnd" if body == "Statsforvalteren" else "Statsforvalteren"
    assert other_body not in text
    assert "Fristen er 26.03.2026" in text
    # Plain language, measured strictly too: the whole letter as one text (address, table and
    # the caseworker's sample text included), sentences only where a stop ends them.
    assert lix([text]) <= 40
    if kind in WAITING_LIST_KINDS:
        assert "ventelisten" in text and "innen 05.09.2026" in text
    else:
        # Only a dwelling puts anyone on a list or promises an offer.
        assert "venteliste" not in text
        assert "tilbud om bolig" not in text
        assert "seks måneder" not in text
        assert "skjønnsmessig" not in text and "etter vår vurdering" not in text
    assert decision.outcome_label != "Tilsagn (satt på venteliste)" or kind in WAITING_LIST_KINDS


@time_machine.travel(NOW, tick=False)
def test_a_guarantee_has_an_amount_a_landlord_a_dwelling_and_a_period(
    sara, geir, household, routing
) -> None:
    case = _case(sara, household, [HelpKind.DEPOSIT_GUARANTEE])
    with pytest.raises(ValidationError) as refused:
        _draft(sara, case, HelpKind.DEPOSIT_GUARANTEE, amount=None, landlord="")
    assert set(refused.value.message_dict) == {"amount", "landlord"}
    with pytest.raises(ValidationError) as backwards:
        _draft(sara, case, HelpKind.DEPOSIT_GUARANTEE, period_to=dt.date(2026, 1, 1))
    assert "period_to" in backwards.value.message_dict
    decision = _issue(sara, geir, _draft(sara, case, HelpKind.DEPOSIT_GUARANTEE))
    text = _text(decision)
    assert "Garantien gjelder boligen i Storgata 5, Rælingen, som du leier av Utleie AS." in text
    assert "fra 01.04.2026 til 31.03.2029" in text
    assert "Gi garantien til utleieren." in text  # what to do comes with the decision
    assert decision.outcome_label == "Depositumsgaranti innvilget"
    assert decision.appeal_body == "Statsforvalteren"
    # The NAV office that holds the part is the sender and the addressee of an appeal.
    assert "Send klagen til Tjenestekontoret" in text


@time_machine.travel(NOW, tick=False)
def test_a_guarantee_is_not_decided_on_the_rental_guideline(sara, geir, household, routing) -> None:
    """The rental part's unfinished assessment neither blocks the guarantee nor fills its
    letter with criteria nobody judged."""
    case = _case(sara, household, [HelpKind.RENTAL_DWELLING, HelpKind.DEPOSIT_GUARANTEE])
    actions.assessment_run(actor=sara, case=case)
    assert case.assessments.first().outcome == "needs_judgement"
    with pytest.raises(ValidationError):
        _draft(sara, case, HelpKind.RENTAL_DWELLING)
    decision = _issue(sara, geir, _draft(sara, case, HelpKind.DEPOSIT_GUARANTEE))
    assert decision.assessment is None
    text = _text(decision)
    assert "5.4" not in text and "skjønnsmessig" not in text and "Vilkår Resultat" not in text


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("kind", [k for k in HelpKind if k != HelpKind.RENTAL_DWELLING])
def test_a_refusal_says_no_plainly_and_names_its_appeal_body(kind, sara, staff, household) -> None:
    case = _case(sara, household, [kind])
    worker, approver = staff(kind)
    decision = _issue(worker, approver, _draft(worker, case, kind, outcome="refusal"))
    text = _text(decision)
    assert "Du får ikke " in text
    assert "Søknaden er avslått." in text
    assert "Er du uenig, kan du klage." in text
    assert EXPECTED[kind][3] in text
    assert "venteliste" not in text and "kroner" not in text


@time_machine.travel(NOW, tick=False)
def test_the_nynorsk_letters_follow_the_kind_of_help(sara, geir, household, routing) -> None:
    applicant = household.members.get(relation="applicant").person
    applicant.language_form = "nn"
    applicant.save()
    case = _case(sara, household, [HelpKind.DEPOSIT_GUARANTEE, HelpKind.TEMPORARY_ACCOMMODATION])
    guarantee = _text(_issue(sara, geir, _draft(sara, case, HelpKind.DEPOSIT_GUARANTEE)))
    assert "Du får ein depositumsgaranti på 24 000 kroner." in guarantee
    assert "sosialtenestelova §§ 18 og 19" in guarantee
    assert "sender vi klaga til Statsforvalteren" in guarantee
    assert "ventelista" not in guarantee
    stay = _text(_issue(sara, geir, _draft(sara, case, HelpKind.TEMPORARY_ACCOMMODATION)))
    assert "Du får ein mellombels stad å bu." in stay
    assert "sosialtenestelova § 27" in stay


@time_machine.travel(NOW, tick=False)
def test_the_reasons_are_the_caseworkers_and_only_needed_criteria_are_printed(
    sara, geir, household, routing
) -> None:
    """Item 2: Begrunnelse carries the caseworker's reasons; 5.4 a–c are left out when the
    household is without a home (5.4 holds on that); every judged row shows its reason."""
    case = _case(sara, household, [HelpKind.RENTAL_DWELLING])
    actions.assessment_run(actor=sara, case=case)
    judgements = {
        cid: ("met", f"Begrunnelse for {cid}: vurdert i samtalen {n}.")
        for n, cid in enumerate(judge_all(case, sara))
    }
    actions.assessment_run(actor=sara, case=case, judgements=judgements)
    decision = _issue(sara, geir, _draft(sara, case, HelpKind.RENTAL_DWELLING))
    text = _text(decision)
    assert REASONS.split(".", maxsplit=1)[0] in text
    assert case.assessments.first().record["summary"]["nb"] not in text
    assert "ikke oppfylt" not in text
    assert "a) Leiekontrakten utgår" not in text and "c) Nåværende bolig" not in text
    assert "Er uten egnet bolig" in text
    for cid, (_outcome, reason) in judgements.items():
        assert reason in text, cid
    assert "skjønnsmessig vurdert" not in text  # the old label for criteria nobody judged


@time_machine.travel(NOW, tick=False)
def test_a_draft_preview_says_utkast_on_every_page_and_rows_never_split(
    sara, household, routing
) -> None:
    case = _case(sara, household, [HelpKind.RENTAL_DWELLING])
    actions.assessment_run(actor=sara, case=case)
    long = " ".join(["Vi har snakket med husstanden og lest papirene fra NAV."] * 6)
    judgements = {
        cid: ("met", f"Start {n}. {long} Slutt {n}.") for n, cid in enumerate(judge_all(case, sara))
    }
    actions.assessment_run(actor=sara, case=case, judgements=judgements)
    decision = _draft(sara, case, HelpKind.RENTAL_DWELLING)
    client = Client()
    client.force_login(sara)
    pdf = client.get(reverse("cases:decision_letter", args=[decision.pk])).content
    pages = _pages(pdf)
    assert len(pages) >= 2
    for page in pages:
        assert "UTKAST" in page
        assert "godkjent elektronisk" not in page
    # A row (and a list item) stays on one page: each reason ends on the page where it starts.
    for n in range(len(judgements)):
        starts = [i for i, page in enumerate(pages) if f"Start {n}." in page]
        assert starts, n
        assert all(f"Slutt {n}." in pages[i] for i in starts), (n, starts)


@time_machine.travel(NOW, tick=False)
def test_an_issued_letter_is_not_a_draft(sara, geir, household, routing) -> None:
    case = _case(sara, household, [HelpKind.ADVICE])
    text = _text(_issue(sara, geir, _draft(sara, case, HelpKind.ADVICE)))
    assert "UTKAST" not in text
    assert "Vedtaket er godkjent elektronisk" in text


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_letter_reads_at_lix_40_or_below(language, sara, staff, household) -> None:
    """Item 22: the letters' own prose (not the caseworker's text) is plain: LIX ≤ 40 for every
    kind of help and outcome, and for the preliminary reply."""
    applicant = household.members.get(relation="applicant").person
    applicant.language_form = language
    applicant.save()
    scores: dict[str, float] = {}
    for kind in HelpKind:
        for outcome in ("approval", "refusal"):
            case = _case(sara, household, [kind])
            if kind in actions.GUIDELINE_KINDS and outcome == "refusal":
                actions.assessment_run(actor=sara, case=case)
                actions.assessment_run(
                    actor=sara, case=case, judgements=judge_all(case, sara, "not_met")
                )
            decision = _draft(staff(kind)[0], case, kind, outcome=outcome)
            decision.issued_on = decision.notified_on = NOW.date()
            scores[f"{kind} {outcome}"] = lix(prose(decision_letter_html(decision, draft=False)))
    reply = actions.preliminary_reply_send(
        actor=sara, case=case, reason="Vi venter på papirer.", expected_by=dt.date(2026, 4, 15)
    )
    scores["preliminary reply"] = lix(prose(preliminary_reply_html(reply)))
    print(language, {name: round(score, 1) for name, score in scores.items()})
    too_hard = {name: round(score, 1) for name, score in scores.items() if score > 40}
    assert not too_hard, too_hard
    assert all(score > 10 for score in scores.values())  # real prose was measured


def test_lix_counts_words_sentences_and_long_words() -> None:
    # 8 words, 2 sentences, 2 long words (depositumsgaranti, utleieren): 4 + 25 = 29.
    assert lix(["Du får depositumsgaranti.", "Gi den til utleieren nå."]) == pytest.approx(
        8 / 2 + 100 * 2 / 8
    )
    assert lix(["Fristen er 26.03.2026."]) == pytest.approx(3 / 1 + 100 * 1 / 3)
    assert lix([]) == 0


@time_machine.travel(NOW, tick=False)
def test_an_appeal_on_a_nav_decision_goes_to_the_statsforvalteren(
    sara, geir, household, routing
) -> None:
    case = _case(sara, household, [HelpKind.TEMPORARY_ACCOMMODATION])
    decision = _issue(sara, geir, _draft(sara, case, HelpKind.TEMPORARY_ACCOMMODATION))
    appeal = actions.appeal_register(
        actor=sara, decision=decision, received_on=NOW.date(), grounds="Stedet passer ikke."
    )
    actions.appeal_reconsider(actor=sara, appeal=appeal, change=False, reasoning="Opprettholdt.")
    actions.appeal_forward(actor=sara, appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.appeal_body == "Statsforvalteren"
    assert ChangeEvent.objects.filter(action="appeal_forward").exists()

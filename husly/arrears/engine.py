"""What is due next in an arrears case, and whether a repayment agreement is kept. Pure Python.

Plain data in (:class:`CaseFacts`, a :class:`~husly.arrears.procedure.Procedure`), plain data out
(:class:`Assessment`, with a trace of the reasons in bokmål and nynorsk). The engine never takes a
step: it says which step is due, from when, and whether its conditions are met; a person takes it
(``arrears_step_take``) and confirms each letter before it is sent.

Rules (Rælingen Appendix 4 point 13 and Appendix 5, through the procedure file):

- a step's due date counts from the oldest unpaid rent, from the day the previous step was taken,
  or from the deadline the previous step gave, plus the procedure's days; a due date or deadline on
  a Saturday, Sunday or public holiday moves to the next working day (domstolloven § 149 by
  analogy; ``husly.rules.deadlines``);
- no notice under tvangsfullbyrdelsesloven § 4-18 before collection notices have gone out for two
  months' rent without a repayment plan (Appendix 4, 13.3): ``collection_notice_months_at_least``;
- a repayment agreement that is kept pauses the procedure; a broken one returns the case to it
  where it stood (Appendix 4, 13.5–13.6), never earlier than the day the breach was recorded;
- after NAV has said it covers the arrears (Appendix 4 point 8), the procedure waits
  ``nav.hold_days``;
- a case with no arrears left is paid up and may be closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from husly.arrears.procedure import Anchor, Procedure, Step, StepKind
from husly.rules import deadlines
from husly.rules.guidelines.text import Text, fmt_date, fmt_kroner

__all__ = [
    "AgreementCheck",
    "AgreementState",
    "Assessment",
    "CaseFacts",
    "Instalment",
    "NextStep",
    "Stage",
    "TakenStep",
    "agreement_check_dates",
    "assess",
    "assess_many",
    "check_agreement",
    "step_deadline",
]


@dataclass(frozen=True)
class TakenStep:
    step_id: str
    taken_on: date
    deadline: date | None = None
    """The deadline the letter gave, or for ``eviction_date`` the date set for the eviction."""
    months_covered: int = 0
    """Months' rent unpaid when the step was taken (what a collection notice covered)."""


@dataclass(frozen=True)
class CaseFacts:
    as_of: date
    arrears: int
    months_unpaid: int
    oldest_unpaid_due: date | None
    taken: tuple[TakenStep, ...] = ()
    repayment_plan_active: bool = False
    returned_to_procedure_on: date | None = None
    nav_covers_from: date | None = None


class Stage(StrEnum):
    PAID_UP = "paid_up"
    IN_PROCEDURE = "in_procedure"
    REPAYMENT_PLAN = "repayment_plan"
    NAV_COVERS = "nav_covers"
    WAITING = "waiting"
    EVICTED = "evicted"


@dataclass(frozen=True)
class NextStep:
    step: Step
    due: date
    may_take: bool
    """The step's conditions are met (a person still decides and confirms)."""
    repeat: bool = False
    waiting_for: tuple[Text, ...] = ()

    def overdue(self, today: date) -> bool:
        return self.may_take and self.due < today


@dataclass(frozen=True)
class Assessment:
    stage: Stage
    last: TakenStep | None
    next: NextStep | None
    hold_until: date | None = None
    trace: tuple[Text, ...] = field(default_factory=tuple)


def step_deadline(step: Step, taken_on: date) -> date | None:
    """The deadline a step's letter gives: ``deadline_days`` after the day it is sent, moved to
    the next working day if it ends on a weekend or holiday (domstolloven § 149 by analogy)."""
    if step.deadline_days is None:
        return None
    return deadlines.roll_forward(taken_on + timedelta(days=step.deadline_days))


def _notice_months(procedure: Procedure, taken: Iterable[TakenStep]) -> int:
    kinds = {s.id: s.kind for s in procedure.steps}
    months = [t.months_covered for t in taken if kinds.get(t.step_id) == StepKind.COLLECTION_NOTICE]
    return max(months, default=0)


def _due(step: Step, facts: CaseFacts, previous: TakenStep | None) -> date:
    if step.anchor == Anchor.FIRST_UNPAID_DUE or previous is None:
        base = facts.oldest_unpaid_due or facts.as_of
    elif step.anchor == Anchor.PREVIOUS_TAKEN:
        base = previous.taken_on
    else:
        base = previous.deadline or previous.taken_on
    due = base + timedelta(days=step.after_days)
    if facts.returned_to_procedure_on is not None:
        due = max(due, facts.returned_to_procedure_on)
    return deadlines.roll_forward(due)


def _conditions(step: Step, facts: CaseFacts, notice_months: int) -> tuple[Text, ...]:
    waiting: list[Text] = []
    if facts.months_unpaid < step.min_months_unpaid:
        waiting.append(
            Text(
                nb=f"{step.title.nb}: krever minst {step.min_months_unpaid} måneders husleie "
                f"ubetalt (nå {facts.months_unpaid}).",
                nn=f"{step.title.nn}: krev minst {step.min_months_unpaid} månaders husleige "
                f"ubetalt (no {facts.months_unpaid}).",
            )
        )
    if notice_months < step.min_collection_notice_months:
        waiting.append(
            Text(
                nb=f"{step.title.nb}: inkassovarsel må være sendt for "
                f"{step.min_collection_notice_months} måneders husleie (sendt for "
                f"{notice_months}).",
                nn=f"{step.title.nn}: inkassovarsel må vere sendt for "
                f"{step.min_collection_notice_months} månaders husleige (sendt for "
                f"{notice_months}).",
            )
        )
    return tuple(waiting)


def assess(procedure: Procedure, facts: CaseFacts) -> Assessment:
    """Where the case stands and which step is due next."""
    order = {s.id: i for i, s in enumerate(procedure.steps)}
    taken = sorted(
        (t for t in facts.taken if t.step_id in order),
        key=lambda t: (order[t.step_id], t.taken_on),
    )
    last = taken[-1] if taken else None
    trace: list[Text] = []
    last_step = procedure.step(last.step_id) if last else None
    if last_step is not None and last_step.kind == StepKind.EVICTION:
        return Assessment(
            Stage.EVICTED,
            last,
            None,
            trace=(Text(nb="Fravikelsen er gjennomført.", nn="Fråvikinga er gjennomført."),),
        )
    if facts.arrears <= 0 and (last_step is None or last_step.kind != StepKind.EVICTION_DATE):
        return Assessment(
            Stage.PAID_UP,
            last,
            None,
            trace=(
                Text(
                    nb="Ingen restanse: saken kan avsluttes.",
                    nn="Ingen restanse: saka kan avsluttast.",
                ),
            ),
        )
    trace.append(
        Text(
            nb=f"Restanse {fmt_kroner(facts.arrears)}, {facts.months_unpaid} måneder ubetalt.",
            nn=f"Restanse {fmt_kroner(facts.arrears)}, {facts.months_unpaid} månader ubetalt.",
        )
    )
    notice_months = _notice_months(procedure, taken)
    # A repeatable step (collection notices) is due again for each further month unpaid.
    if last_step is not None and last_step.repeat_per_month and last is not None:
        covered = max(t.months_covered for t in taken if t.step_id == last_step.id)
        if facts.months_unpaid > covered:
            due = deadlines.roll_forward(
                max(
                    deadlines.add_months(last.taken_on, 1),
                    facts.returned_to_procedure_on or facts.as_of.min,
                )
            )
            nxt = NextStep(step=last_step, due=due, may_take=True, repeat=True)
            return _held(procedure, facts, last, nxt, trace)
    index = order[last.step_id] + 1 if last else 0
    if index >= len(procedure.steps):
        return Assessment(Stage.IN_PROCEDURE, last, None, trace=tuple(trace))
    step = procedure.steps[index]
    waiting = _conditions(step, facts, notice_months)
    nxt = NextStep(
        step=step, due=_due(step, facts, last), may_take=not waiting, waiting_for=waiting
    )
    trace.extend(waiting)
    return _held(procedure, facts, last, nxt, trace)


def _held(
    procedure: Procedure,
    facts: CaseFacts,
    last: TakenStep | None,
    nxt: NextStep,
    trace: list[Text],
) -> Assessment:
    if facts.repayment_plan_active and nxt.step.blocked_by_repayment_plan:
        trace.append(
            Text(
                nb="Nedbetalingsavtale følges: prosedyren står i ro.",
                nn="Nedbetalingsavtalen blir følgd: prosedyren står i ro.",
            )
        )
        return Assessment(Stage.REPAYMENT_PLAN, last, None, trace=tuple(trace))
    if facts.nav_covers_from is not None:
        until = facts.nav_covers_from + timedelta(days=procedure.nav_hold_days)
        if facts.as_of < until and nxt.step.blocked_by_repayment_plan:
            trace.append(
                Text(
                    nb=f"NAV dekker restansen: prosedyren venter til {fmt_date(until)}.",
                    nn=f"NAV dekkjer restansen: prosedyren ventar til {fmt_date(until)}.",
                )
            )
            return Assessment(Stage.NAV_COVERS, last, nxt, hold_until=until, trace=tuple(trace))
    stage = Stage.IN_PROCEDURE if nxt.may_take else Stage.WAITING
    trace.append(
        Text(
            nb=f"Neste steg: {nxt.step.title.nb}, frist {fmt_date(nxt.due)}.",
            nn=f"Neste steg: {nxt.step.title.nn}, frist {fmt_date(nxt.due)}.",
        )
    )
    return Assessment(stage, last, nxt, trace=tuple(trace))


def assess_many(procedure: Procedure, facts: Sequence[CaseFacts]) -> list[Assessment]:
    return [assess(procedure, f) for f in facts]


# --- repayment agreements ------------------------------------------------------------------


@dataclass(frozen=True)
class Instalment:
    due: date
    amount: int


class AgreementState(StrEnum):
    KEPT = "kept"
    BROKEN = "broken"
    COMPLETED = "completed"


@dataclass(frozen=True)
class AgreementCheck:
    state: AgreementState
    broken_instalment: int | None = None
    expected_at_most: int | None = None
    actual: int | None = None
    checked_on: date | None = None
    explanation: Text = field(default_factory=lambda: Text(nb="", nn=""))


def agreement_check_dates(
    instalments: Sequence[Instalment], grace_days: int, as_of: date
) -> list[date]:
    """The dates on which the balance must be known to check the agreement as of ``as_of``."""
    return [
        i.due + timedelta(days=grace_days)
        for i in instalments
        if i.due + timedelta(days=grace_days) <= as_of
    ]


def check_agreement(
    *,
    start_balance: int,
    instalments: Sequence[Instalment],
    balance_on: Mapping[date, int],
    grace_days: int,
    as_of: date,
) -> AgreementCheck:
    """Whether a repayment agreement is kept: on each instalment's due date plus ``grace_days``,
    the arrears (which include any new rent left unpaid) must be at most the agreed balance less
    the instalments due so far. Completed when every instalment has been checked and kept."""
    remaining = start_balance
    ordered = sorted(instalments, key=lambda i: i.due)
    for number, instalment in enumerate(ordered, start=1):
        remaining -= instalment.amount
        check_on = instalment.due + timedelta(days=grace_days)
        if check_on > as_of:
            return AgreementCheck(AgreementState.KEPT)
        actual = balance_on[check_on]
        if actual > max(remaining, 0):
            return AgreementCheck(
                AgreementState.BROKEN,
                broken_instalment=number,
                expected_at_most=max(remaining, 0),
                actual=actual,
                checked_on=check_on,
                explanation=Text(
                    nb=f"Avdrag {number} (forfall {fmt_date(instalment.due)}) er ikke betalt: "
                    f"restansen var {fmt_kroner(actual)} den {fmt_date(check_on)}, avtalen sier "
                    f"høyst {fmt_kroner(max(remaining, 0))}.",
                    nn=f"Avdrag {number} (forfall {fmt_date(instalment.due)}) er ikkje betalt: "
                    f"restansen var {fmt_kroner(actual)} den {fmt_date(check_on)}, avtalen seier "
                    f"høgst {fmt_kroner(max(remaining, 0))}.",
                ),
            )
    return AgreementCheck(
        AgreementState.COMPLETED,
        explanation=Text(nb="Alle avdrag er betalt.", nn="Alle avdraga er betalte."),
    )

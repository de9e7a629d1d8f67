"""The procedure engine (pure): due dates on the Norwegian calendar, the two-months rule, a kept or
broken repayment agreement, and the configuration's validation at load."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import yaml

from husly.arrears import engine
from husly.arrears.engine import CaseFacts, Stage, TakenStep, assess
from husly.arrears.procedure import (
    PROCEDURES_DIR,
    ProcedureDefinitionError,
    default_procedures,
    load_definition,
    load_directory,
    procedure_for,
)

RAELINGEN = default_procedures()[0]
RAW = yaml.safe_load(
    (PROCEDURES_DIR / "raelingen-restanse-fravikelse-2016.yaml").read_text(encoding="utf-8")
)


def facts(**kw: object) -> CaseFacts:
    base: dict[str, object] = {
        "as_of": date(2026, 3, 1),
        "arrears": 9000,
        "months_unpaid": 1,
        "oldest_unpaid_due": date(2026, 2, 1),
    }
    base.update(kw)
    return CaseFacts(**base)  # type: ignore[arg-type]


def test_shipped_procedure_is_raelingens_appendix_4() -> None:
    assert RAELINGEN.municipality == "Rælingen"
    assert [s.id for s in RAELINGEN.steps] == [
        "purring-1",
        "purring-2",
        "inkassovarsel",
        "tiltaksmote",
        "varsel-4-18",
        "begjaering",
        "fravikelsesdato",
        "fravikelse",
    ]
    notice = RAELINGEN.step("varsel-4-18")
    assert notice.deadline_days == 14 and notice.legal_basis == "tvangsfullbyrdelsesloven § 4-18"
    assert [c.value for c in notice.copies] == [
        "nav_or_refugee_service",
        "housing_consultant_or_coordinator",
        "child_welfare_if_children",
    ]
    assert RAELINGEN.step("inkassovarsel").deadline_days == 14
    assert RAELINGEN.meeting_interval_days == 21
    assert procedure_for("3224", date(2026, 1, 1)) is RAELINGEN


def test_first_reminder_due_moves_past_easter() -> None:
    # Rent due 20 March 2026 + 14 days = Good Friday 3 April; Easter Monday 6 April: Tuesday 7.
    found = assess(RAELINGEN, facts(oldest_unpaid_due=date(2026, 3, 20), as_of=date(2026, 3, 25)))
    assert found.stage == Stage.IN_PROCEDURE
    assert found.next is not None and found.next.step.id == "purring-1"
    assert found.next.due == date(2026, 4, 7)


def test_collection_notice_deadline_moves_past_christmas() -> None:
    # Sent 11 December 2026 + 14 days = Christmas Day (Friday 25); 26 is Saturday and Boxing Day,
    # 27 Sunday: the deadline is Monday 28 December.
    step = RAELINGEN.step("inkassovarsel")
    assert engine.step_deadline(step, date(2026, 12, 11)) == date(2026, 12, 28)
    # A deadline on an ordinary weekday stays where it is.
    assert engine.step_deadline(step, date(2026, 11, 2)) == date(2026, 11, 16)


def test_next_step_after_a_deadline_starts_the_next_working_day() -> None:
    # § 4-18 notice sent 19 March 2027: deadline 2 April = Easter Friday 2027 (Easter 28 March,
    # so 2 April is not a holiday in 2027: check it is a plain Friday); petition from the 3rd
    # (Saturday) rolled to Monday 5 April 2027.
    taken = (
        TakenStep("purring-1", date(2027, 1, 20)),
        TakenStep("purring-2", date(2027, 2, 3)),
        TakenStep("inkassovarsel", date(2027, 2, 17), date(2027, 3, 3), 1),
        TakenStep("inkassovarsel", date(2027, 3, 1), date(2027, 3, 15), 2),
        TakenStep("tiltaksmote", date(2027, 3, 18)),
        TakenStep("varsel-4-18", date(2027, 3, 19), date(2027, 4, 2), 2),
    )
    found = assess(RAELINGEN, facts(as_of=date(2027, 4, 1), months_unpaid=3, taken=taken))
    assert found.next is not None and found.next.step.id == "begjaering"
    assert found.next.due == date(2027, 4, 5)


def test_no_eviction_notice_before_collection_notices_for_two_months() -> None:
    taken = (
        TakenStep("purring-1", date(2026, 2, 16)),
        TakenStep("purring-2", date(2026, 3, 2)),
        TakenStep("inkassovarsel", date(2026, 3, 16), date(2026, 3, 30), 1),
    )
    # Still one month behind: nothing more to do than wait (the measures meeting waits).
    found = assess(RAELINGEN, facts(as_of=date(2026, 4, 1), months_unpaid=1, taken=taken))
    assert found.stage == Stage.WAITING
    assert found.next is not None and not found.next.may_take
    assert "inkassovarsel må være sendt for 2 måneders husleie" in " ".join(
        t.nb for t in found.next.waiting_for
    )
    # A second month unpaid: a new collection notice is due (a month after the first).
    found = assess(RAELINGEN, facts(as_of=date(2026, 4, 2), months_unpaid=2, taken=taken))
    assert found.next is not None and found.next.step.id == "inkassovarsel" and found.next.repeat
    assert found.next.due == date(2026, 4, 16)
    # With notices for two months, the meeting before a petition is due after the deadline.
    taken2 = (*taken, TakenStep("inkassovarsel", date(2026, 4, 16), date(2026, 4, 30), 2))
    found = assess(RAELINGEN, facts(as_of=date(2026, 5, 1), months_unpaid=2, taken=taken2))
    assert found.next is not None and found.next.step.id == "tiltaksmote" and found.next.may_take
    assert found.next.due == date(2026, 5, 4)  # 1 May is a holiday, 2–3 the weekend


def test_repayment_plan_pauses_and_a_broken_plan_resumes_from_the_breach() -> None:
    taken = (TakenStep("purring-1", date(2026, 2, 16)),)
    paused = assess(RAELINGEN, facts(taken=taken, repayment_plan_active=True))
    assert paused.stage == Stage.REPAYMENT_PLAN and paused.next is None
    resumed = assess(
        RAELINGEN,
        facts(taken=taken, as_of=date(2026, 6, 1), returned_to_procedure_on=date(2026, 6, 1)),
    )
    assert resumed.next is not None and resumed.next.step.id == "purring-2"
    assert resumed.next.due == date(2026, 6, 1)


def test_paid_up_case_can_close_and_nav_coverage_holds_the_procedure() -> None:
    assert assess(RAELINGEN, facts(arrears=0, months_unpaid=0)).stage == Stage.PAID_UP
    held = assess(RAELINGEN, facts(nav_covers_from=date(2026, 2, 25)))
    assert held.stage == Stage.NAV_COVERS and held.hold_until == date(2026, 3, 11)


def test_agreement_kept_broken_and_completed() -> None:
    plan = [engine.Instalment(date(2026, 3, 1), 3000), engine.Instalment(date(2026, 4, 1), 3000)]
    kept = engine.check_agreement(
        start_balance=6000,
        instalments=plan,
        balance_on={date(2026, 3, 8): 3000},
        grace_days=7,
        as_of=date(2026, 3, 20),
    )
    assert kept.state == engine.AgreementState.KEPT
    broken = engine.check_agreement(
        start_balance=6000,
        instalments=plan,
        balance_on={date(2026, 3, 8): 3000, date(2026, 4, 8): 9800},
        grace_days=7,
        as_of=date(2026, 4, 8),
    )
    assert broken.state == engine.AgreementState.BROKEN and broken.broken_instalment == 2
    assert "Avdrag 2" in broken.explanation.nb and "Avdrag 2" in broken.explanation.nn
    done = engine.check_agreement(
        start_balance=6000,
        instalments=plan,
        balance_on={date(2026, 3, 8): 3000, date(2026, 4, 8): 0},
        grace_days=7,
        as_of=date(2026, 4, 8),
    )
    assert done.state == engine.AgreementState.COMPLETED


def _broken(change) -> str:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(RAW)
    change(data)
    with pytest.raises(ProcedureDefinitionError) as err:
        load_definition(data, origin="test.yaml: $")
    return str(err.value)


def test_validation_gives_clear_errors() -> None:
    assert "deadline_days: 10 days is shorter than the 14 days" in _broken(
        lambda d: d["steps"][2].update(deadline_days=10)
    )
    assert "steps[5].decision: a petition is always decided by a person" in _broken(
        lambda d: d["steps"][5].update(decision="routine")
    )
    assert "steps[0].kind: 'letter' is not one of" in _broken(
        lambda d: d["steps"][0].update(kind="letter")
    )
    assert "unknown keys ['dager']" in _broken(lambda d: d["steps"][0]["after"].update(dager=3))
    assert "'purring-1' is used twice" in _broken(lambda d: d["steps"][1].update(id="purring-1"))
    assert "a petition needs a notice under tvangsfullbyrdelsesloven § 4-18" in _broken(
        lambda d: d["steps"].pop(4)
    )
    assert "cannot come after" in _broken(lambda d: d["steps"].insert(2, d["steps"].pop(3)))
    assert "copies[0]: 'barnevern' is not one of" in _broken(
        lambda d: d["steps"][4].update(copies=["barnevern"])
    )
    assert "meeting.interval_days: must be at least 1" in _broken(
        lambda d: d["meeting"].update(interval_days=0)
    )
    assert "format: must be" in _broken(lambda d: d.update(format="x"))
    assert "title.nn: a non-empty text is required" in _broken(
        lambda d: d["steps"][0]["title"].pop("nn")
    )


def test_another_municipality_configures_its_own_variant(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(RAW)
    data.update(id="lorenskog-restanse", version="2025", valid_from="2025-01-01")
    data["municipality"] = {"name": "Lørenskog", "numbers": ["3222"]}
    data["meeting"] = {"interval_days": 14}
    del data["steps"][1]  # one reminder only
    data["steps"][3]["when"]["collection_notice_months_at_least"] = 3
    (tmp_path / "lorenskog.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    (tmp_path / "raelingen.yaml").write_text(yaml.safe_dump(RAW, allow_unicode=True))
    pool = load_directory(tmp_path)
    lorenskog = procedure_for("3222", date(2026, 1, 1), pool)
    assert lorenskog is not None and lorenskog.meeting_interval_days == 14
    assert [s.id for s in lorenskog.steps][:2] == ["purring-1", "inkassovarsel"]
    assert lorenskog.step("varsel-4-18").min_collection_notice_months == 3
    assert procedure_for("3224", date(2026, 1, 1), pool).municipality == "Rælingen"  # type: ignore[union-attr]

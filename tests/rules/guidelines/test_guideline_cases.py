"""Runs the YAML cases in cases/*.yaml: facts as stored JSON, expected outcomes per criterion.

Each file names a set; each case merges its `facts` into the file's `base_facts` (or replaces
them with `replace_facts`) and states the expected overall outcome, criterion outcomes, notes
that apply, exceptions that could apply and explanation fragments.
"""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from husly.rules.guidelines import (
    CaseFacts,
    CaseworkerAssessment,
    InvokedException,
    default_registry,
    evaluate,
    from_json,
)

CASES = Path(__file__).parent / "cases"


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        suite = _json(yaml.safe_load(path.read_text(encoding="utf-8")))
        params.extend(
            pytest.param(suite, case, id=f"{path.stem}: {case['name']}") for case in suite["cases"]
        )
    return params


@pytest.mark.parametrize(("suite", "case"), _cases())
def test_it_decides_each_written_case_as_the_guideline_says(suite: Any, case: Any) -> None:
    guideline = default_registry().get(suite["set"]["id"], suite["set"]["version"])
    facts_data = case.get("replace_facts") or _merge(suite["base_facts"], case.get("facts", {}))
    facts = from_json(CaseFacts, facts_data)
    assessments = [
        from_json(CaseworkerAssessment, a)
        for a in case.get("assessments", suite.get("base_assessments", []))
    ]
    invoked = [from_json(InvokedException, e) for e in case.get("invoked_exceptions", [])]
    result = evaluate(
        guideline,
        facts,
        grunnbelop=case.get("grunnbelop", suite.get("grunnbelop")),
        assessments=assessments,
        invoked_exceptions=invoked,
    )
    expect = case["expect"]
    trace = "\n".join(
        f"{r.criterion_id}: {r.outcome.value}: {r.explanation.nb}"
        for top in result.criteria
        for r in top.walk()
    )
    assert result.outcome.value == expect["outcome"], trace
    for criterion_id, outcome in expect.get("criteria", {}).items():
        assert result.criterion(criterion_id).outcome.value == outcome, trace
    for note_id, applies in expect.get("notes", {}).items():
        assert result.note(note_id).applies is applies, note_id
    if "exceptions_available" in expect:
        available = sorted(e.exception_id for e in result.exceptions if e.available_for)
        assert available == sorted(expect["exceptions_available"])
    for criterion_id, fragment in expect.get("explanation_contains", {}).items():
        assert fragment in result.criterion(criterion_id).explanation.nb

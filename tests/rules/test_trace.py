"""Step metadata: every step of every rule reads in bokmål, nynorsk and English."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Mapping

import pytest

import husly.rules
from husly.rules.housing_allowance import (
    HousingAllowanceApplication,
    Member,
    explain_housing_allowance,
)
from husly.rules.params import UNITS
from husly.rules.trace import UNIT_NAMES, StepInfo, unit_in
from tests.rules.wording import BOKMAL_ONLY, NORWEGIAN_IN_ENGLISH


def _step_tables() -> dict[str, Mapping[str, StepInfo]]:
    """Every table of StepInfo in every module of husly.rules, found rather than listed, so a
    new rule's table is checked too."""
    tables: dict[str, Mapping[str, StepInfo]] = {}
    for module_info in pkgutil.walk_packages(husly.rules.__path__, "husly.rules."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if (
                isinstance(value, Mapping)
                and value
                and all(isinstance(v, StepInfo) for v in value.values())
            ):
                tables[f"{module_info.name}.{name}"] = value
    return tables


TABLES = _step_tables()
INFOS = {f"{table}:{step}": info for table, steps in TABLES.items() for step, info in steps.items()}
ALL_STEPS = [pytest.param(info, id=name) for name, info in INFOS.items()]


def test_the_rule_tables_are_found() -> None:
    assert {"husly.rules.housing_allowance.STEPS", "husly.rules.start_loan.STEPS"} <= set(TABLES)


@pytest.mark.parametrize("info", ALL_STEPS)
def test_every_step_has_a_label_and_formula_in_bokmal_nynorsk_and_english(info: StepInfo) -> None:
    for text in (
        info.label_nb,
        info.label_nn,
        info.label_en,
        info.formula_nb,
        info.formula_nn,
        info.formula_en,
        info.source,
    ):
        assert text.strip() == text and text


def test_the_bokmal_word_list_catches_untranslated_text() -> None:
    flagged = [i for i in INFOS.values() if BOKMAL_ONLY.search(f"{i.label_nb} {i.formula_nb}")]
    assert len(flagged) > len(INFOS) / 2


@pytest.mark.parametrize("info", ALL_STEPS)
def test_nynorsk_texts_are_not_bokmal(info: StepInfo) -> None:
    for text in (info.label_nn, info.formula_nn):
        assert not BOKMAL_ONLY.search(text), f"bokmål word in nynorsk: {text!r}"


@pytest.mark.parametrize("info", ALL_STEPS)
def test_english_texts_are_not_norwegian(info: StepInfo) -> None:
    for text in (info.label_en, info.formula_en):
        assert not BOKMAL_ONLY.search(text), text
        assert not NORWEGIAN_IN_ENGLISH.search(text), text


@pytest.mark.parametrize("info", ALL_STEPS)
def test_every_unit_reads_in_each_language(info: StepInfo) -> None:
    assert info.unit in UNIT_NAMES or info.unit in {"", "G"}
    assert unit_in(info.unit, "nb") == info.unit


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_every_parameter_unit_reads_in_each_language(unit: str) -> None:
    if unit in {"ratio", "annual_rate"}:
        return  # shown as per cent
    assert set(UNIT_NAMES[unit]) == {"nb", "nn", "en"}
    assert unit_in(unit, "nb") != "NOK/year"


def test_label_and_formula_are_picked_by_language_with_bokmal_as_fallback() -> None:
    info = StepInfo(
        label_nb="Egenandel",
        label_nn="Eigendel",
        label_en="Own share",
        unit="kr/år",
        formula_nb="minste egenandel + ledd",
        formula_nn="minste eigendel + ledd",
        formula_en="",
        source="Forskrift om bustøtte § 4",
    )
    assert (info.label_in("nb"), info.label_in("nn"), info.label_in("en")) == (
        "Egenandel",
        "Eigendel",
        "Own share",
    )
    assert info.label_in("nn-NO") == "Eigendel"
    assert info.label_in(None) == info.label_in("se") == "Egenandel"
    assert info.formula_in("nn") == "minste eigendel + ledd"
    assert info.formula_in("en") == "minste egenandel + ledd"  # no English formula: bokmål
    assert (unit_in("kr/år", "nn"), unit_in("kr/år", "en"), unit_in("kr/år", "nb")) == (
        "kr/år",
        "NOK/year",
        "kr/år",
    )
    assert unit_in("personer", "nn") == "personar"


def test_a_trace_stores_every_language() -> None:
    result = explain_housing_allowance(
        HousingAllowanceApplication(
            municipality_number="3224",
            members=[Member(40), Member(9, is_child_of_applicant=True)],
            housing_costs_annual=150_000,
            income_annual=320_000,
        ),
        on=dt.date(2026, 7, 1),
    )
    data = result.to_dict()["trace"]
    step = next(s for s in data["steps"] if s["name"] == "own_share")
    assert step["label_nb"] == "Egenandel"
    assert step["label_nn"] == "Eigendel"
    assert step["label_en"] == "Own share"
    assert step["formula_nn"] == "minste eigendel + første ledd + andre ledd"
    assert step["formula_en"] == "minimum own share + first term + second term"
    assert step["formula_nb"] == "minste egenandel + første ledd + andre ledd"
    assert all(p["label_nn"] and p["label_en"] for p in data["parameters"])
    assert result.trace["own_share"].info.label_in("nn") == "Eigendel"

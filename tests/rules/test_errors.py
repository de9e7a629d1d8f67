"""Every input error of the rules engine reads in bokmål, nynorsk and English.

The errors are driven from the YAML error cases (tests/rules/cases) and from one trigger per other
raise site; a test parses the engine's source and fails if a raise site is triggered by neither,
so a new error without its three messages cannot slip in.
"""

from __future__ import annotations

import ast
import datetime as dt
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import husly.rules
from husly.rules import errors
from husly.rules import housing_allowance as ha
from husly.rules.errors import RulesInputError
from husly.rules.housing_allowance import (
    HouseholdArrays,
    HousingAllowanceApplication,
    HousingAllowanceBatch,
    Member,
    MemberArrays,
    compute_housing_allowance,
    explain_housing_allowance,
    households_from_members,
)
from husly.rules.living_costs import PersonArrays
from husly.rules.municipalities import check_municipality_number, register_for
from husly.rules.params import PARAMETERS_ROOT, default_tree, load_parameter_tree
from husly.rules.start_loan import (
    MUNICIPAL_LABELS,
    LoanHouseholdMember,
    StartLoanApplication,
    StartLoanBatch,
    StartLoanParameters,
    compute_start_loan,
    explain_start_loan,
)
from husly.rules.validation import FIELD_LABELS, check_date, label_in, label_nb
from tests.rules.test_cases import _load_cases, _run
from tests.rules.test_engine_batch import good_batch
from tests.rules.wording import BOKMAL_ONLY, NORWEGIAN_IN_ENGLISH

ON = dt.date(2026, 7, 1)
RULES = Path(husly.rules.__file__).parent

# --------------------------------------------------------------------------------------------
# Inputs that trigger each raise site the YAML cases do not reach
# --------------------------------------------------------------------------------------------


def _allowance(**changes: Any) -> None:
    data: dict[str, Any] = {
        "municipality_number": "3224",
        "members": [Member(40)],
        "housing_costs_annual": 120_000,
        "income_annual": 200_000,
    }
    explain_housing_allowance(HousingAllowanceApplication(**{**data, **changes}), ON)


def _loan(tree: Any = None, **changes: Any) -> None:
    data: dict[str, Any] = {
        "municipality_number": "3224",
        "members": [LoanHouseholdMember(35, "female")],
        "net_income_monthly": 35_000,
        "loan_amount": 2_000_000,
    }
    explain_start_loan(StartLoanApplication(**{**data, **changes}), ON, tree=tree)


def _batch(**changes: Any) -> None:
    data = {**good_batch(2), "household_size": np.ones(2, dtype=np.int16)}  # single persons
    compute_housing_allowance(
        HousingAllowanceBatch(**{**data, **changes}), ha.HousingAllowanceParameters.for_date(ON)
    )


def _from_members(households: int, **changes: Any) -> None:
    k = 2
    no = np.zeros(households, dtype=bool)
    member_data: dict[str, Any] = {
        "household": np.zeros(k, dtype=np.intp),
        "age": np.array([40, 38]),
        "is_applicant": np.array([True, False]),
        "is_child_of_applicant": np.zeros(k, dtype=bool),
        "is_student": np.zeros(k, dtype=bool),
        "is_in_compulsory_service": np.zeros(k, dtype=bool),
        "is_young_disabled": np.zeros(k, dtype=bool),
        "is_pensioner": np.zeros(k, dtype=bool),
    }
    households_from_members(
        HouseholdArrays(
            municipality_group=np.full(households, 4, dtype=np.int8),
            income_annual=np.zeros(households),
            net_wealth=np.zeros(households),
            housing_costs_annual=np.zeros(households),
            home_assessed_value=np.zeros(households),
            is_renting=~no,
            is_detached_owner=no,
            heating_included_in_costs=~no,
            has_special_adaptation=no,
            lives_in_institution=no,
            dwelling_meets_requirements=~no,
        ),
        MemberArrays(**{**member_data, **changes}),
    )


def _loan_batch(**changes: Any) -> None:
    data: dict[str, Any] = {
        "net_income_monthly": np.array([35_000.0]),
        "other_fixed_costs_monthly": np.zeros(1),
        "housing_operating_costs_monthly": np.zeros(1),
        "living_costs_monthly": np.array([12_000.0]),
        "loan_amount": np.array([2_000_000.0]),
        "term_years": np.array([30]),
        "is_serial": np.zeros(1, dtype=bool),
    }
    compute_start_loan(
        StartLoanBatch(**{**data, **changes}), StartLoanParameters.for_municipality("3224", ON)
    )


def _persons(**changes: Any) -> None:
    data: dict[str, Any] = {
        "household": np.zeros(1, dtype=np.intp),
        "age": np.array([30]),
        "is_female": np.array([True]),
        "is_student": np.array([False]),
        "is_pregnant": np.array([False]),
    }
    PersonArrays(**{**data, **changes}).validate(1)


def _raelingen_changed(scratch: Path, change: Callable[[dict[str, Any]], None]) -> Any:
    """The shipped parameters with Rælingen's startlån rules changed."""
    root = scratch / "parameters"
    shutil.copytree(PARAMETERS_ROOT, root)
    file = root / "municipal" / "3224.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    change(data["start_loan"])
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_parameter_tree(root)


def _without_markup(rules: dict[str, Any]) -> None:
    del rules["municipal_markup"]


def _high_markup(rules: dict[str, Any]) -> None:
    next(iter(rules["municipal_markup"]["values"].values()))["value"] = 0.01


def _new_choice(name: str, code: str) -> Callable[[dict[str, Any]], None]:
    def change(rules: dict[str, Any]) -> None:
        rules[name]["choices"].append(code)
        rules[name]["value_labels"][code] = {"nb": "egen", "nn": "eigen", "en": "own"}
        next(iter(rules[name]["values"].values()))["value"] = code

    return change


def _ended_leaf(scratch: Path) -> None:
    """A parameter whose last value ends (valid_to) before the date asked for."""
    (scratch / "leaf.yaml").write_text(
        textwrap.dedent(
            """
            description: A test amount.
            label_nb: Testbeløp
            label_nn: Testbeløp
            label_en: Test amount
            unit: NOK/year
            reference: [{title: "Forskrift om test § 1"}]
            last_checked: 2026-01-01
            values:
              2020-01-01: {value: 100, valid_to: 2021-12-31}
            """
        ),
        encoding="utf-8",
    )
    load_parameter_tree(scratch).at("leaf", dt.date(2022, 3, 1))


#: What triggers the error, and the value or limit each language's message must name (one text
#: for all three, or bokmål, nynorsk and English).
Trigger = Callable[[Path], object]
TRIGGERS: dict[str, tuple[Trigger, str | tuple[str, str, str]]] = {
    # validation.py, single household
    "members not a list": (lambda _: _allowance(members="40"), "40"),
    "too many members": (
        lambda _: _allowance(members=[Member(30)] * 51),
        ("høyst 50 medlemmer (oppgitt: 51)", "høgst 50 medlemer (oppgitt: 51)", "at most 50"),
    ),
    "member of the wrong kind": (
        lambda _: _allowance(members=[Member(40), 9]),
        ("nr. 2 mangler", "nr. 2 manglar", "member 2 is missing"),
    ),
    "age not whole": (
        lambda _: _allowance(members=[Member(40.5)]),  # type: ignore[arg-type]
        ("40,5", "40,5", "40.5"),
    ),
    "flag not yes/no": (lambda _: _allowance(is_renting="yes"), "yes"),
    "infinite amount": (
        lambda _: _allowance(income_annual=float("inf")),
        ("uendelig", "uendeleg", "infinity"),
    ),
    "date with a time": (lambda _: check_date("date", dt.datetime(2026, 7, 1, 12)), "2026"),  # noqa: DTZ001
    # validation.py, batches
    "amounts as text": (
        lambda _: _batch(net_wealth=np.array(["0", "0"])),
        ("tekst", "tekst", "text"),
    ),
    "negative amount in a batch": (
        lambda _: _batch(income_annual=np.array([1.0, -7.0])),
        ("nr. 2 må være et endelig tall", "nr. 2 må vere eit endeleg tal", "household 2 must"),
    ),
    "whole numbers as decimals": (
        lambda _: _batch(children_count=np.zeros(2)),
        ("desimaltall", "desimaltal", "decimal numbers"),
    ),
    "whole number out of range": (
        lambda _: _batch(municipality_group=np.array([4, 9])),
        (
            "mellom 1 og 4 (oppgitt: 9)",
            "mellom 1 og 4 (oppgitt: 9)",
            "between 1 and 4 (entered: 9)",
        ),
    ),
    "flags as numbers": (
        lambda _: _batch(is_renting=np.ones(2)),
        ("desimaltall", "desimaltal", "decimal numbers"),
    ),
    "a table, not a list": (
        lambda _: _batch(net_wealth=np.zeros((2, 2))),
        ("2 dimensjoner", "2 dimensjonar", "2 dimensions"),
    ),
    "a single value, not a list": (
        lambda _: _persons(age=np.array(30)),
        ("én enkelt verdi", "éin enkelt verdi", "a single value"),
    ),
    "lengths differ": (
        lambda _: _batch(net_wealth=np.zeros(3)),
        ("har 3 verdier", "har 3 verdiar", "has 3 values"),
    ),
    "loan batch term": (lambda _: _loan_batch(term_years=np.array([51])), "51"),
    "person age": (lambda _: _persons(age=np.array([131])), "131"),
    # housing_allowance.py
    "household of size 0": (
        lambda _: _batch(household_size=np.array([1, 0])),
        ("nr. 2 har ingen", "nr. 2 har ingen", "Household 2 has no"),
    ),
    "more children than persons": (
        lambda _: _batch(children_count=np.array([0, 1])),
        ("18 år (1)", "18 år (1)", "under 18 (1)"),
    ),
    "household without members": (
        lambda _: _from_members(2, household=np.zeros(2, dtype=np.intp)),
        ("nr. 2 har ingen", "nr. 2 har ingen", "Household 2 has no"),
    ),
    "two applicants": (
        lambda _: _from_members(1, is_applicant=np.array([True, True])),
        ("men 2 er", "men 2 er", "but 2 are"),
    ),
    # municipalities.py
    "municipality numbers as integers": (
        lambda _: register_for(ON).lookup(np.array([301])),
        ("hele tall", "heile tal", "whole numbers"),
    ),
    "municipality number of three digits": (lambda _: register_for(ON).lookup(["301"]), "301"),
    "municipality number as an integer": (lambda _: check_municipality_number(301), "301"),
    # params.py
    "date after the last value": (_ended_leaf, "2022"),
    # start_loan.py
    "sex not female or male": (
        lambda _: _loan(members=[LoanHouseholdMember(35, "x")]),  # type: ignore[arg-type]
        "x",
    ),
    "unknown loan type": (lambda _: _loan(repayment_profile="bullet"), "bullet"),
    "unknown living-cost norm": (lambda _: _loan(living_cost_norm="own"), "own"),
    "stress rate in per cent": (
        lambda _: _loan(stress_rate=6.5),
        ("oppgitt: 6,5", "oppgitt: 6,5", "entered: 6.5"),
    ),
    "term beyond 50 years": (
        lambda _: _loan(term_years=51, long_term_conditions_met=True),
        "50",
    ),
    "municipal parameter missing": (
        lambda scratch: _loan(_raelingen_changed(scratch, _without_markup)),
        "3224",
    ),
    "municipal markup above the maximum": (
        lambda scratch: _loan(_raelingen_changed(scratch, _high_markup)),
        ("høyst 0,25", "høgst 0,25", "at most 0.25"),
    ),
    "municipal calculation rule unknown": (
        lambda scratch: _loan(
            _raelingen_changed(scratch, _new_choice("calculation_rate_rule", "own"))
        ),
        "3224",
    ),
    "municipal living-cost norm unknown": (
        lambda scratch: _loan(_raelingen_changed(scratch, _new_choice("living_cost_norm", "own"))),
        "3224",
    ),
}


def _yaml_error_cases() -> list[Any]:
    return [case for case in _load_cases() if "expect_error" in case.values[0]]


def _raised_by(trigger: Trigger, scratch: Path) -> RulesInputError:
    with pytest.raises(RulesInputError) as info:
        trigger(scratch)
    return info.value


def _raise_site(error: BaseException) -> tuple[str, int]:
    """The file (relative to husly/rules) and line of the raise statement."""
    tb = error.__traceback__
    assert tb is not None
    while tb.tb_next is not None:
        tb = tb.tb_next
    return str(Path(tb.tb_frame.f_code.co_filename).relative_to(RULES)), tb.tb_lineno


#: Raise sites in husly/rules that are not about bad input (the parameter files, lookups).
# ValueError: a caller's programming error (e.g. ownership.py's look_again_months), not input.
NOT_INPUT = {"ParameterFileError", "ConstructorError", "KeyError", "ValueError", "_wrong"}
INPUT_ERRORS = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, RulesInputError)
}


def _input_raise_sites() -> set[tuple[str, int]]:
    """Every ``raise`` of a RulesInputError in husly/rules (not guidelines/, whose errors are
    not input errors), found in the source."""
    sites = set()
    for file in sorted(RULES.glob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise):
                continue
            assert isinstance(node.exc, ast.Call), f"{file.name}:{node.lineno}: raise what?"
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            assert name in INPUT_ERRORS | NOT_INPUT, f"{file.name}:{node.lineno}: {name}?"
            if name in INPUT_ERRORS:
                sites.add((file.name, node.lineno))
    return sites


# --------------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------------


def _assert_three_languages(error: RulesInputError) -> None:
    texts = {"nb": error.message_nb, "nn": error.message_nn, "en": error.message_en}
    for language, text in texts.items():
        assert text and text.strip() == text, f"{language} message missing: {error!r}"
        assert error.message_in(language) == text
        assert "_" not in text, f"a code in the {language} message: {text!r}"
    assert error.message_nn != error.message_nb, f"nynorsk not translated: {error.message_nn!r}"
    assert not BOKMAL_ONLY.search(error.message_nn), f"bokmål in nynorsk: {error.message_nn!r}"
    assert not BOKMAL_ONLY.search(error.message_en), f"Norwegian in English: {error.message_en!r}"
    assert not NORWEGIAN_IN_ENGLISH.search(error.message_en), error.message_en
    assert error.message_in("nn-NO") == error.message_nn
    assert error.message_in("se") == error.message_in(None) == error.message_nb
    data = error.as_dict()
    assert data["field"] == error.field
    assert data["code"] == type(error).__name__
    assert (data["message_nb"], data["message_nn"], data["message_en"]) == tuple(texts.values())


@pytest.mark.parametrize("case", _yaml_error_cases())
def test_every_error_case_reads_in_bokmal_nynorsk_and_english(case: dict[str, Any]) -> None:
    with pytest.raises(RulesInputError) as info:
        _run(case)
    _assert_three_languages(info.value)


@pytest.mark.parametrize(("trigger", "shows"), TRIGGERS.values(), ids=TRIGGERS.keys())
def test_every_other_error_reads_in_bokmal_nynorsk_and_english(
    trigger: Trigger, shows: str | tuple[str, str, str], tmp_path: Path
) -> None:
    error = _raised_by(trigger, tmp_path)
    _assert_three_languages(error)
    expected = (shows, shows, shows) if isinstance(shows, str) else shows
    for text, part in zip(
        (error.message_nb, error.message_nn, error.message_en), expected, strict=True
    ):
        assert part in text, f"{part!r} not named in {text!r}"


def test_every_raise_site_of_an_input_error_is_triggered(tmp_path: Path) -> None:
    raised = {
        _raise_site(_raised_by(lambda _, case=case: _run(case.values[0]), tmp_path))
        for case in _yaml_error_cases()
    }
    for index, (trigger, _) in enumerate(TRIGGERS.values()):
        scratch = tmp_path / str(index)
        scratch.mkdir()
        raised.add(_raise_site(_raised_by(trigger, scratch)))
    missing = _input_raise_sites() - raised
    assert not missing, f"raise sites no case or trigger reaches: {sorted(missing)}"


def test_the_field_names_read_in_each_language() -> None:
    for field, (nb, nn, en) in FIELD_LABELS.items():
        assert nb and nn and en, field
        assert not BOKMAL_ONLY.search(nn), f"{field}: {nn!r}"
        assert not BOKMAL_ONLY.search(en) and not NORWEGIAN_IN_ENGLISH.search(en), en
    assert label_in("members[2].age", "nn") == "alder"
    assert label_in("income_annual[3]", "nn") == "inntekta til husstanden per år"
    assert label_in("income_annual", "en") == "household income per year"
    assert label_nb("housing_costs_annual") == "boutgifter per år"
    assert label_in("unknown_field", "nn") == "unknown_field"


def test_every_input_field_of_the_engine_has_a_name() -> None:
    """A field the engine can name in an error reads as words, not as a code."""
    inputs = (
        HousingAllowanceApplication,
        Member,
        HousingAllowanceBatch,
        HouseholdArrays,
        MemberArrays,
        StartLoanApplication,
        LoanHouseholdMember,
        StartLoanBatch,
        PersonArrays,
    )
    fields = {name for kind in inputs for name in kind.__dataclass_fields__}
    assert fields - set(FIELD_LABELS) == set()


def test_an_error_message_names_the_value_in_the_languages_way() -> None:
    with pytest.raises(RulesInputError) as info:
        _allowance(net_wealth=-12_500.5)
    error = info.value
    assert error.field == "net_wealth"
    assert error.message_nb == "«nettoformue» kan ikke være negativ (oppgitt: -12\u00a0500,5)."
    assert error.message_nn == "«nettoformue» kan ikkje vere negativ (oppgitt: -12\u00a0500,5)."
    assert error.message_en == "“net wealth” cannot be negative (entered: -12,500.5)."


def test_a_coverage_error_keeps_the_parameter_for_developers() -> None:
    with pytest.raises(errors.OutsideParameterCoverageError) as info:
        explain_housing_allowance(
            HousingAllowanceApplication("0301", [Member(40)], 90_000, 150_000), dt.date(2024, 3, 1)
        )
    error = info.value
    assert error.field == "date"
    assert error.as_dict()["parameter"] == error.parameter
    assert error.parameter in error.detail and error.parameter in str(error)
    assert error.parameter not in error.message_en  # the user reads the parameter's name
    assert "01.03.2024" in error.message_nn and "1 March 2024" in error.message_en
    assert "frå 01.06.2023 er ikkje kjend" in error.message_nn


def test_the_names_of_municipal_start_loan_rules_are_those_of_the_parameter_files() -> None:
    tree = default_tree()
    for name, labels in MUNICIPAL_LABELS.items():
        value = tree.at(f"municipal.3224.start_loan.{name}", ON)
        assert (value.label_nb, value.label_nn, value.label_en) == labels, name

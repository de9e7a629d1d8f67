"""The parameter tree: every value dated, with unit, reference and check date; bad files fail."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from husly.rules.errors import OutsideParameterCoverageError, ParameterFileError
from husly.rules.params import UNITS, basic_amount_g, default_tree, load_parameter_tree

GOOD_LEAF = """
description: A test amount.
label_nb: Testbeløp
unit: NOK/year
reference: [{title: "Forskrift om test § 1", href: "https://lovdata.no/test"}]
last_checked: 2026-01-01
values:
  2020-01-01: 100
  2021-01-01: {value: 200, confirmed: false, note: "[U] not checked"}
"""


def write(tmp_path: Path, text: str, name: str = "leaf.yaml") -> Path:
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_shipped_tree_loads_and_every_value_is_documented() -> None:
    tree = default_tree()
    assert len(tree) > 40
    for parameter in tree:
        assert parameter.description and parameter.label_nb
        for entry in parameter.entries:
            assert entry.unit in UNITS
            assert entry.references and all(r.title for r in entry.references)
            assert entry.last_checked <= dt.datetime.now(tz=dt.UTC).date()
            if not entry.confirmed or not entry.known:
                assert entry.note, f"{parameter.path} @ {entry.valid_from} needs a note"


def test_value_in_force_changes_on_its_valid_from_date() -> None:
    tree = default_tree()
    path = "national.living_costs.nav_guideline_rates"
    before = tree.at(path, dt.date(2022, 6, 30)).as_number_map()
    after = tree.at(path, dt.date(2022, 7, 1)).as_number_map()
    assert before["single"] == 6550
    assert after["single"] == 6650
    assert tree.at(path, dt.date(2022, 7, 1)).valid_from == dt.date(2022, 7, 1)
    assert tree.at(path, dt.date(2022, 6, 30)).valid_to == dt.date(2022, 6, 30)


def test_raelingen_fee_rule_and_unconfirmed_flags() -> None:
    tree = default_tree()
    on = dt.date(2026, 7, 1)
    base = "municipal.3224.start_loan."
    assert tree.at(base + "establishment_fee_rate", on).as_number("ratio") == 0.01
    assert tree.at(base + "establishment_fee_min", on).as_number("NOK") == 500
    assert tree.at(base + "establishment_fee_max", on).as_number("NOK") == 1500
    # [U] in the spec must be visible in the data.
    second_rate = tree.at("national.housing_allowance.own_share.second_rate", on)
    assert not second_rate.confirmed and "[U]" in (second_rate.note or "")


def test_unknown_period_is_an_error_not_a_guess() -> None:
    tree = default_tree()
    with pytest.raises(OutsideParameterCoverageError) as info:
        tree.at("national.housing_allowance.own_share.minimum", dt.date(2024, 1, 1))
    assert info.value.field == "date"
    assert info.value.parameter == "national.housing_allowance.own_share.minimum"
    assert "ikke kjent" in info.value.message_nb


def test_date_before_first_value(tmp_path: Path) -> None:
    tree = load_parameter_tree(write(tmp_path, GOOD_LEAF))
    assert tree.at("leaf", dt.date(2020, 6, 1)).as_number() == 100
    assert not tree.at("leaf", dt.date(2021, 6, 1)).confirmed
    with pytest.raises(OutsideParameterCoverageError) as info:
        tree.at("leaf", dt.date(2019, 12, 31), field="on")
    assert info.value.field == "on"


def test_valid_to_ends_coverage(tmp_path: Path) -> None:
    text = GOOD_LEAF.replace(
        "2021-01-01: {value: 200,", "2021-01-01: {value: 200, valid_to: 2021-12-31,"
    )
    tree = load_parameter_tree(write(tmp_path, text))
    assert tree.at("leaf", dt.date(2021, 12, 31)).as_number() == 200
    with pytest.raises(OutsideParameterCoverageError):
        tree.at("leaf", dt.date(2022, 1, 1))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("unit: NOK/year", "unit: NOK/fortnight"), "unknown unit"),
        (("unit: NOK/year", "unit: francs"), "unknown unit"),
        (("  2021-01-01: {value: 200,", "  2020-01-01: {value: 200,"), "duplicate key"),
        (("  2020-01-01: 100", "  2020-01-01: {value: 100, valid_to: 2020-06-30}"), "gap"),
        (("  2020-01-01: 100", "  2020-01-01: {value: 100, valid_to: 2021-03-01}"), "overlap"),
        (("reference: [{title", "xreference: [{title"), "unknown keys"),
        (("last_checked: 2026-01-01\n", ""), "last_checked"),
        (("  2020-01-01: 100", "  2020-01-01: hundred"), "must be a number"),
        (("  2020-01-01: 100", "  2020-01-01: {value: 100, confirmed: false}"), "needs a note"),
        (("  2020-01-01: 100", "  2020-01-01: {status: unknown}"), "needs a note"),
        (("label_nb: Testbeløp\n", ""), "label_nb is required"),
        (("label_nb: Testbeløp\n", "label_nb: Testbeløp\nlabel_nn: ''\n"), "label_nn must be"),
        (("label_nb: Testbeløp\n", "label_nb: Testbeløp\nlabel_en: [x]\n"), "label_en must be"),
        (("label_nb: Testbeløp\n", "label_nb: Testbeløp\nlabel_nnn: x\n"), "unknown keys"),
    ],
)
def test_bad_files_are_load_errors(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in GOOD_LEAF
    with pytest.raises(ParameterFileError, match=message):
        load_parameter_tree(write(tmp_path, GOOD_LEAF.replace(old, new, 1)))


def test_missing_reference_is_a_load_error(tmp_path: Path) -> None:
    text = "\n".join(line for line in GOOD_LEAF.splitlines() if not line.startswith("reference"))
    with pytest.raises(ParameterFileError, match="no reference"):
        load_parameter_tree(write(tmp_path, text))


def test_unquoted_kommunenummer_is_a_load_error(tmp_path: Path) -> None:
    text = """
    description: Groups.
    label_nb: Grupper
    type: number_map
    unit: code
    reference: Forskrift om bustøtte § 3
    last_checked: 2026-01-01
    values:
      2024-01-01:
        value:
          0301: 1
    """
    with pytest.raises(ParameterFileError, match="quoted"):
        load_parameter_tree(write(tmp_path, text))
    shorthand = text.replace("        value:\n          0301: 1", '        "0301": 1')
    with pytest.raises(ParameterFileError, match="needs a 'value' key"):
        load_parameter_tree(write(tmp_path, shorthand))


def test_age_bands_must_cover_every_age_once(tmp_path: Path) -> None:
    text = """
    description: Food.
    label_nb: Mat
    type: age_bands
    unit: NOK/month
    reference: SIFO
    last_checked: 2026-01-01
    values:
      2025-01-01:
        - {min_age: 0, max_age: 17, amount: 2000}
        - {min_age: 19, amount: 4000}
    """
    with pytest.raises(ParameterFileError, match="gap for female at age 18"):
        load_parameter_tree(write(tmp_path, text))
    overlapping = text.replace("min_age: 19", "min_age: 17")
    with pytest.raises(ParameterFileError, match="overlap"):
        load_parameter_tree(write(tmp_path, overlapping))


def test_value_unit_is_checked_where_it_is_used(tmp_path: Path) -> None:
    tree = load_parameter_tree(write(tmp_path, GOOD_LEAF))
    with pytest.raises(ParameterFileError, match="expected 'NOK/month'"):
        tree.at("leaf", dt.date(2020, 6, 1)).as_number("NOK/month")


def test_checksum_identifies_the_parameter_files(tmp_path: Path) -> None:
    first = load_parameter_tree(write(tmp_path, GOOD_LEAF)).checksum
    assert first == load_parameter_tree(tmp_path).checksum
    changed = load_parameter_tree(write(tmp_path, GOOD_LEAF.replace("200", "201"))).checksum
    assert changed != first
    assert len(default_tree().checksum) == 64


def test_basic_amount_g_is_dated() -> None:
    assert basic_amount_g(dt.date(2021, 6, 1)).as_number("NOK/year") == 106399
    assert basic_amount_g(dt.date(2026, 7, 1)).valid_from == dt.date(2026, 5, 1)


def test_every_shipped_parameter_has_a_nynorsk_and_an_english_label() -> None:
    """The calculators list every parameter they used; nobody reading nynorsk or English should
    meet a bokmål label there (municipal files may leave them out: see the next test)."""
    for parameter in default_tree():
        assert parameter.label_nn and parameter.label_en, parameter.path


def test_a_parameter_label_is_picked_by_language_with_bokmal_as_fallback(tmp_path: Path) -> None:
    text = GOOD_LEAF.replace(
        "label_nb: Testbeløp\n", "label_nb: Testbeløp\nlabel_nn: Testbeløp nn\n"
    )
    tree = load_parameter_tree(write(tmp_path, text))
    resolved = tree.at("leaf", dt.date(2020, 6, 1))
    assert (resolved.label_nb, resolved.label_nn, resolved.label_en) == (
        "Testbeløp",
        "Testbeløp nn",
        None,
    )
    assert resolved.label_in("nn") == tree.get("leaf").label_in("nn") == "Testbeløp nn"
    assert resolved.label_in("en") == "Testbeløp"  # no English label: bokmål
    assert resolved.label_in("nb") == resolved.label_in(None) == "Testbeløp"
    assert resolved.to_dict()["label_nn"] == "Testbeløp nn"


def test_node_labels_may_be_given_in_nynorsk_and_english_but_not_empty(tmp_path: Path) -> None:
    (tmp_path / "index.yaml").write_text("label_nb: Test\nlabel_nn: Test\nlabel_en: Test\n")
    nested = "label_nb: Gruppe\nlabel_nn: Gruppe\nleaf:\n" + textwrap.indent(
        textwrap.dedent(GOOD_LEAF), "  "
    )
    assert "node.leaf" in load_parameter_tree(write(tmp_path, nested, "node.yaml"))
    with pytest.raises(ParameterFileError, match="label_nn must be"):
        load_parameter_tree(write(tmp_path, nested.replace("label_nn: Gruppe", "label_nn: 3")))
    (tmp_path / "index.yaml").write_text("label_nb: Test\nlabel_en: ''\n")
    with pytest.raises(ParameterFileError, match="label_en must be"):
        load_parameter_tree(tmp_path)


def test_every_shipped_choice_and_map_key_is_named_in_three_languages() -> None:
    """An explanation never shows a code such as ``deducted_from_loan``: every choice and every
    key of a map (except keys that are numbers, such as kommunenummer) has nb, nn and en names."""
    for parameter in default_tree():
        if parameter.kind not in ("choice", "number_map", "text_map"):
            continue
        for entry in parameter.entries:
            codes = [entry.value] if isinstance(entry.value, str) else list(entry.value or {})
            for code in codes:
                if str(code).isdigit():
                    continue
                labels = parameter.value_labels.get(str(code))
                assert labels and all(labels), (parameter.path, code)


CHOICE_LEAF = """
description: How fees are paid.
label_nb: Gebyrer
type: choice
choices: [deducted_from_loan, paid_separately]
unit: code
reference: [{title: "Retningslinje punkt 1"}]
last_checked: 2026-01-01
value_labels:
  deducted_from_loan: {nb: trekkes fra lånet, nn: blir trekte frå lånet}
values:
  2020-01-01: deducted_from_loan
"""


def test_choices_are_named_in_the_users_language_and_bad_names_are_load_errors(
    tmp_path: Path,
) -> None:
    resolved = load_parameter_tree(write(tmp_path, CHOICE_LEAF)).at("leaf", dt.date(2021, 1, 1))
    assert resolved.value_label_in("deducted_from_loan", "nn") == "blir trekte frå lånet"
    assert resolved.value_label_in("deducted_from_loan", "en") == "trekkes fra lånet"  # fallback
    assert resolved.value_label_in("paid_separately", "nb") == "paid_separately"  # unnamed
    for wrong, message in (
        (("  deducted_from_loan: {", "  cash: {"), "not one of"),  # not a declared choice
        (("{nb: trekkes fra lånet, nn:", "{nb: '', nn:"), "is empty"),  # empty bokmål name
        (("nn: blir trekte frå lånet}", "se: lánas}"), "needs nb"),  # a language we lack
    ):
        with pytest.raises(ParameterFileError, match=message):
            load_parameter_tree(write(tmp_path, CHOICE_LEAF.replace(*wrong)))

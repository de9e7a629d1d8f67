"""Loading and validating guideline sets, and choosing the set in force."""

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from husly.rules.guidelines import (
    GuidelineDefinitionError,
    GuidelineRegistry,
    default_registry,
    load_set_definition,
)

from .builders import raelingen


def minimal(**changes: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "format": "husly.guideline-set/1",
        "id": "testby",
        "version": "1",
        "title": {"nb": "Testbys retningslinjer"},
        "application_kind": "municipal_dwelling",
        "municipality": {"name": "Testby", "numbers": ["9999"]},
        "valid_from": date(2020, 1, 1),
        "source_document": "Testbys vedtak",
        "criteria": [
            {
                "id": "alder",
                "point": "1",
                "kind": "min_age",
                "params": {"years": 18},
                "title": {"nb": "Alder"},
                "source": {"reference": "vedtak § 1", "text": {"nb": "Søker må være fylt 18 år."}},
            }
        ],
    }
    definition.update(changes)
    return definition


def with_criterion(**changes: Any) -> dict[str, Any]:
    definition = minimal()
    definition["criteria"][0].update(changes)
    return definition


def test_it_loads_a_minimal_set_and_falls_back_to_bokmaal_for_missing_nynorsk() -> None:
    guideline = load_set_definition(minimal())
    assert guideline.title.nn == "Testbys retningslinjer"
    assert guideline.valid_from == date(2020, 1, 1)
    assert guideline.definition["valid_from"] == "2020-01-01"


def test_it_gives_the_same_checksum_for_the_same_content() -> None:
    assert load_set_definition(minimal()).checksum == load_set_definition(minimal()).checksum
    assert (
        load_set_definition(minimal()).checksum
        != load_set_definition(minimal(version="2")).checksum
    )


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (minimal(format="husly.guideline-set/9"), "format"),
        (minimal(colour="blue"), "unknown keys"),
        (minimal(criteria=[]), "at least one criterion"),
        (minimal(municipality={"name": "Testby", "numbers": ["99"]}), "kommunenummer"),
        (minimal(valid_to=date(2019, 1, 1)), "before valid_from"),
        (with_criterion(kind="vibes"), "unknown kind"),
        (with_criterion(params={"years": 18, "minimum": 1}), "unknown parameters"),
        (with_criterion(params={"years": "atten"}), "whole number"),
        (with_criterion(params={"years": 18, "at": "tomorrow"}), "'at'"),
        (with_criterion(source={"reference": "x"}), "text"),
        (
            with_criterion(kind="judgement", params={"facts_shown": ["applicant.shoe_size"]}),
            "unknown fact",
        ),
        (with_criterion(kind="income_ceiling_g", params={}), "exactly one"),
        (with_criterion(kind="any_of", params={}), "at least 2"),
        (
            minimal(
                exceptions=[
                    {
                        "id": "unntak",
                        "point": "2",
                        "applies_to": ["botid"],
                        "title": {"nb": "Unntak"},
                        "source": {"reference": "§ 2", "text": {"nb": "Unntak kan gjøres."}},
                    }
                ]
            ),
            "not top-level criteria",
        ),
        (
            minimal(
                conditions=[
                    {
                        "id": "vilkår",
                        "point": "3",
                        "when": {"fact_is_true": "follow_up.wants_a_pony"},
                        "title": {"nb": "Vilkår"},
                        "source": {"reference": "§ 3", "text": {"nb": "Vilkår."}},
                    }
                ]
            ),
            "unknown fact path",
        ),
    ],
)
def test_it_rejects_a_malformed_set_with_a_useful_message(definition, message) -> None:
    with pytest.raises(GuidelineDefinitionError, match=message):
        load_set_definition(definition)


def test_it_rejects_duplicate_criterion_ids() -> None:
    definition = minimal()
    definition["criteria"].append(copy.deepcopy(definition["criteria"][0]))
    with pytest.raises(GuidelineDefinitionError, match="duplicate"):
        load_set_definition(definition)


def test_it_picks_the_version_in_force_on_the_date() -> None:
    first = load_set_definition(minimal(valid_to=date(2022, 12, 31)))
    second = load_set_definition(minimal(version="2", valid_from=date(2023, 1, 1)))
    registry = GuidelineRegistry([first, second])
    assert registry.for_municipality("9999", date(2022, 12, 31)) == [first]
    assert registry.for_municipality("9999", date(2023, 1, 1)) == [second]
    assert registry.for_municipality("9999", date(2019, 12, 31)) == []
    assert registry.for_municipality("9999", date(2024, 1, 1), application_kind="other") == []
    assert registry.get("testby", "2") is second


def test_it_rejects_two_versions_of_a_set_that_overlap_in_time() -> None:
    first = load_set_definition(minimal())
    second = load_set_definition(minimal(version="2", valid_from=date(2023, 1, 1)))
    with pytest.raises(GuidelineDefinitionError, match="overlap"):
        GuidelineRegistry([first, second])


def test_it_ships_raelingens_set_with_every_point_5_criterion_citing_its_source() -> None:
    guideline = raelingen()
    points = [c.source.point for c in guideline.criteria]
    assert points == ["5.2", "5.3", "5.3", "5.3", "5.4", "5.5", "5.6", "5.7"]
    for spec in guideline.all_criteria():
        assert spec.source.reference.startswith("raelingen L5")
        assert spec.source.text.nb and spec.source.text.nn != spec.source.text.nb
    assert {n.source.point for n in guideline.notes} == {"5.1", "5.5", "5.8", "6"}
    assert {p.source.point for p in guideline.procedure} == {
        "7.1",
        "7.2",
        "7.3",
        "7.4",
        "7.5",
        "7.6",
    }


REPORT = Path("/work/shared/sources/2016-nibr-raelingen-foranalyse.txt")


@pytest.mark.skipif(not REPORT.exists(), reason="the source report is not on this machine")
def test_it_quotes_the_guideline_text_verbatim_from_the_report() -> None:
    report = " ".join(REPORT.read_text(encoding="utf-8").split())
    guideline = raelingen()
    quotes = [s.source.text.nb for s in guideline.all_criteria()]
    quotes += [e.source.text.nb for e in guideline.exceptions]
    quotes += [n.source.text.nb for n in guideline.notes]
    quotes += [p.source.text.nb for p in guideline.procedure]
    for quote in quotes:
        for part in quote.split("[...]"):
            assert " ".join(part.split()).strip() in report, part


def test_it_loads_every_built_in_set() -> None:
    ids = {s.id for s in default_registry().sets}
    assert ids == {
        "raelingen-utleiebolig-uten-tjenester",
        "raelingen-startlan",
        "raelingen-etableringstilskudd",
        "raelingen-tilpasningstilskudd",
        "oslo-kommunal-bolig-eksempel",
    }

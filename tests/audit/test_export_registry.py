"""The export is complete: every model that holds records about a person or household has an
exporter. A model with a foreign key to Person or Household (directly, or through another such
model: an offer through its waiting-list entry, a journal note through its case) must be named
by a registered exporter (``register(..., models=[...])`` in its app's ``exporters`` module), or
this test fails and names it."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model

from husly.audit.export import covered_models
from husly.people.models import Household, Person


def _holding_personal_data() -> dict[type[Model], str]:
    """``{model: how it reaches a person or household}``, by walking the app registry."""
    found: dict[type[Model], str] = {Person: "the person", Household: "the household"}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in found:
                continue
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in found:
                    found[model] = f"{field.name} → {field.related_model._meta.label}"
                    grew = True
                    break
    return found


def test_every_model_with_a_foreign_key_to_a_person_or_household_has_an_exporter() -> None:
    holding = _holding_personal_data()
    missing = {
        model._meta.label: how for model, how in holding.items() if model not in covered_models()
    }
    assert missing == {}


def test_the_walk_finds_the_direct_and_the_indirect_holders() -> None:
    labels = {model._meta.label for model in _holding_personal_data()}
    assert {
        "people.HouseholdMember",
        "cases.Case",
        "consent.Consent",
        "allocation.WaitingListEntry",
        "tenancy.Lease",
    } <= labels  # direct
    assert {"allocation.Offer", "tenancy.RenewalApplication", "cases.JournalNote"} <= labels

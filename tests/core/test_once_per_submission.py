"""A second send of the same form returns what the first created, also when the second is
refused by a check that sees the first's rows (a double click under load)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from husly.core.actions import once_per_submission

pytestmark = pytest.mark.django_db


def test_a_refused_second_send_returns_what_the_first_created() -> None:
    created: list[str] = []

    def earlier() -> str | None:
        return created[0] if created else None

    def create() -> str:
        created.append("case 1")  # the first send commits while this one is being checked
        raise ValidationError("Personen finnes allerede.")

    assert once_per_submission(earlier=earlier, create=create) == "case 1"


def test_a_refusal_stands_when_nothing_was_created() -> None:
    def create() -> str:
        raise ValidationError("Velg en kommune.")

    with pytest.raises(ValidationError, match="Velg en kommune"):
        once_per_submission(earlier=lambda: None, create=create)

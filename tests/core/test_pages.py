"""The page helpers' texts are what the templates they stand in for would write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from husly.core.pages import day_text

DAYS = [dt.date(2026, 12, 3), dt.date(2027, 1, 31), dt.date(999, 2, 1), None]


@pytest.mark.parametrize("day", DAYS)
def test_day_text_writes_a_day_as_the_date_filter_does(day: dt.date | None) -> None:
    template = Template('{{ day|date:"d.m.Y" }}|{{ day|date:"d.m.Y"|default:"–" }}')
    assert template.render(Context({"day": day})) == f"{day_text(day)}|{day_text(day, '–')}"

"""The dashboard page as rendered is kept until the records change, per set of memberships
(ADR 0036): readers with other access never get another reader's page, and an action shows
from the next page on (the first reader after it gets the page of a moment ago while it is
computed after their response, ADR 0038)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.events import record_change
from tests.conftest import _user
from tests.insight.helpers import _entry
from tests.insight.test_dashboard import world  # noqa: F401 - the data set as a fixture
from tests.insight.test_dashboard_ownership import _cell

pytestmark = pytest.mark.django_db


def _page(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("insight:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _main(body: str) -> str:
    return body[body.index("<main") : body.index("</main>")]


def test_each_reader_gets_the_page_of_their_own_access(world, sara, lise) -> None:  # noqa: F811
    leader_first = _main(_page(lise))
    caseworker_after = _main(_page(sara))
    cache.clear()
    assert _main(_page(sara)) == caseworker_after
    assert _main(_page(lise)) == leader_first
    # the caseworker sees the households behind the figures; the leader aggregates only
    assert reverse("insight:dashboard_list", args=["waiting"]) in caseworker_after
    assert reverse("insight:dashboard_list", args=["waiting"]) not in leader_first
    assert "&lt;5" in leader_first


def test_readers_with_the_same_memberships_share_the_page_until_a_change(
    world,  # noqa: F811
    sara,
    housing_office,
    raelingen,
) -> None:
    colleague = _user("siri", housing_office, "caseworker")
    first = _main(_page(sara))
    total = _cell(first, "Husstander på ventelisten")
    assert _main(_page(colleague)) == first
    _entry(raelingen, sara, "Hotel", timezone.localdate())
    # Written without an action: the page is kept (no change event) ...
    assert _cell(_main(_page(colleague)), "Husstander på ventelisten") == total
    # ... until the next change event, which every action writes in its transaction: the
    # first reader after it gets the page of a moment ago, which is computed after their answer.
    record_change(actor=sara, action="test", instance=raelingen, municipality=raelingen, changes={})
    assert _cell(_main(_page(colleague)), "Husstander på ventelisten") == total
    assert int(_cell(_main(_page(colleague)), "Husstander på ventelisten")) == int(total) + 1

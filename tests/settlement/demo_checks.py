from __future__ import annotations

from django.test import Client
from django.urls import reverse

from husly.organisation.models import User
from husly.settlement.models import (
    SettlementCase,
    SettlementDecision,
    SettlementFact,
    SettlementRequest,
)


def check_settlement_demo() -> None:
    """Called by tests/core/test_demo.py on the small demo it builds (built once for both)."""
    assert SettlementDecision.objects.count() == 2
    assert set(SettlementRequest.objects.values_list("status", flat=True)) == {
        "received",
        "accepted",
        "declined",
    }
    assert set(SettlementCase.objects.values_list("status", flat=True)) == {
        "finding",
        "chosen",
        "arrived",
    }
    assert set(SettlementFact.objects.values_list("dwelling_source", flat=True)) == {
        "municipal",
        "head_lease",
        "self_settled",
    }
    municipal = SettlementCase.objects.get(dwelling_source="municipal")
    assert municipal.lease.status == "active" and municipal.choice_criteria["flags"] == []
    client = Client()
    client.force_login(User.objects.get(username="flyktning"))
    for case in SettlementCase.objects.all():
        assert client.get(reverse("settlement:case_detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("settlement:overview")).status_code == 200
    client.force_login(User.objects.get(username="leder"))
    body = client.get(reverse("settlement:progress")).content.decode()
    assert "PS 14/" in body

"""Webhooks sent to a real HTTP receiver on loopback: the signature verifies, a 500 is retried
later with back-off recorded in the outbox, a 2xx marks the delivery delivered."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from husly.api import actions
from husly.api.models import EventKind, Scope, WebhookDelivery
from husly.api.tokens import signature_valid

pytestmark = pytest.mark.django_db


class Receiver:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        # Polled for shutdown every 50 ms, not 0.5 s: close() waits for the poll (each test).
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    r = Receiver()
    yield r
    r.close()


def _subscribe(arne, raelingen, url, events=(EventKind.DECISION_ISSUED,)):  # type: ignore[no-untyped-def]
    client, _token = actions.api_client_register(
        actor=arne, municipality=raelingen, name="Postkasse", scopes=[Scope.EVENTS]
    )
    subscription, secret = actions.webhook_subscription_add(
        actor=arne, client=client, url=url, events=events
    )
    return client, subscription, secret


def test_a_signed_delivery_verifies_and_is_marked_delivered(arne, raelingen, receiver) -> None:
    _client, _subscription, secret = _subscribe(arne, raelingen, receiver.url)
    event = actions.webhook_event_record(
        municipality_id=raelingen.pk,
        kind=EventKind.DECISION_ISSUED,
        object_id=7,
        payload={"decision_id": 7},
    )
    delivery = WebhookDelivery.objects.get(event=event)
    now = timezone.now()
    assert actions.webhooks_deliver_due(now=now) == {"delivered": 1, "retry": 0, "failed": 0}
    [got] = receiver.received
    headers = got["headers"]
    assert headers["Husly-Event"] == "decision.issued"
    assert signature_valid(
        secret, headers["Husly-Timestamp"], got["body"], headers["Husly-Signature"]
    )
    assert not signature_valid(
        "wrong", headers["Husly-Timestamp"], got["body"], headers["Husly-Signature"]
    )
    assert json.loads(got["body"])["data"] == {"decision_id": 7}
    assert abs(int(headers["Husly-Timestamp"]) - now.timestamp()) < 2
    delivery.refresh_from_db()
    assert delivery.delivered_at == now and delivery.next_attempt_at is None
    assert delivery.attempts == 1 and delivery.last_status == 200
    # nothing more is due
    assert actions.webhooks_deliver_due(now=now + dt.timedelta(hours=1))["delivered"] == 0
    assert len(receiver.received) == 1


def test_a_500_is_retried_later_with_exponential_back_off(arne, raelingen, receiver) -> None:
    _subscribe(arne, raelingen, receiver.url)
    receiver.answers = [500, 503]
    actions.webhook_event_record(
        municipality_id=raelingen.pk, kind=EventKind.DECISION_ISSUED, object_id=1, payload={}
    )
    t0 = timezone.now()
    assert actions.webhooks_deliver_due(now=t0)["retry"] == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status == 500 and delivery.attempts == 1
    assert delivery.next_attempt_at == t0 + dt.timedelta(minutes=1)
    # not due yet: nothing sent
    assert actions.webhooks_deliver_due(now=t0 + dt.timedelta(seconds=30))["retry"] == 0
    assert len(receiver.received) == 1
    t1 = t0 + dt.timedelta(minutes=1)
    assert actions.webhooks_deliver_due(now=t1)["retry"] == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == t1 + dt.timedelta(minutes=2)  # doubled
    t2 = t1 + dt.timedelta(minutes=2)
    assert actions.webhooks_deliver_due(now=t2)["delivered"] == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.delivered_at == t2 and delivery.last_status == 200
    assert len(receiver.received) == 3
    # every attempt carried the same delivery id, so the receiver can drop duplicates
    assert len({r["headers"]["Husly-Delivery"] for r in receiver.received}) == 1


def test_an_unreachable_receiver_is_given_up_after_the_last_attempt(arne, raelingen) -> None:
    _subscribe(arne, raelingen, "http://127.0.0.1:9/nobody")
    actions.webhook_event_record(
        municipality_id=raelingen.pk, kind=EventKind.DECISION_ISSUED, object_id=1, payload={}
    )
    now = timezone.now()
    for _ in range(actions.MAX_ATTEMPTS):
        actions.webhooks_deliver_due(now=now)
        now += dt.timedelta(days=1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.failed_at is not None and delivery.next_attempt_at is None
    assert delivery.attempts == actions.MAX_ATTEMPTS and delivery.last_error


def test_only_subscribed_events_of_the_own_municipality_are_queued(
    arne, raelingen, lorenskog, receiver
) -> None:
    _subscribe(arne, raelingen, receiver.url, events=[EventKind.LEASE_SIGNED])
    actions.webhook_event_record(
        municipality_id=raelingen.pk, kind=EventKind.DECISION_ISSUED, object_id=1, payload={}
    )
    actions.webhook_event_record(
        municipality_id=lorenskog.pk, kind=EventKind.LEASE_SIGNED, object_id=1, payload={}
    )
    assert WebhookDelivery.objects.count() == 0
    actions.webhook_event_record(
        municipality_id=raelingen.pk, kind=EventKind.LEASE_SIGNED, object_id=2, payload={}
    )
    assert WebhookDelivery.objects.count() == 1


def test_the_management_command_sends_what_is_due(arne, raelingen, receiver, capsys) -> None:
    _client, _subscription, _secret = _subscribe(arne, raelingen, receiver.url)
    actions.webhook_event_record(
        municipality_id=raelingen.pk, kind=EventKind.DECISION_ISSUED, object_id=3, payload={}
    )
    call_command("webhooks_deliver")
    assert json.loads(capsys.readouterr().out) == {"delivered": 1, "retry": 0, "failed": 0}
    assert len(receiver.received) == 1


def test_a_revoked_client_gets_nothing_more(arne, raelingen, receiver) -> None:
    client, _s, _secret = _subscribe(arne, raelingen, receiver.url)
    actions.webhook_event_record(
        municipality_id=raelingen.pk, kind=EventKind.DECISION_ISSUED, object_id=3, payload={}
    )
    actions.api_client_revoke(actor=arne, client=client)
    assert actions.webhooks_deliver_due(now=timezone.now()) == {
        "delivered": 0,
        "retry": 0,
        "failed": 0,
    }
    assert receiver.received == []

"""Health and readiness without login or personal data; a request id on every request and in
every log line; JSON log lines under the production formatter."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from husly.core import probes, request_id

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_login() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_checks_the_database_and_the_migrations() -> None:
    probes.forget_migrations()
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_readiness_fails_while_a_migration_is_not_applied() -> None:
    probes.forget_migrations()
    with connection.cursor() as cursor:  # as if this code's last migration had not run yet
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'jobs' AND name = "
            "(SELECT max(name) FROM django_migrations WHERE app = 'jobs')"
        )
    response = Client().get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"
    assert response.json()["status"] == "unavailable"
    probes.forget_migrations()


def test_a_request_gets_an_id_and_a_sane_incoming_one_is_kept() -> None:
    made = Client().get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert Client().get("/healthz")["X-Request-ID"] != made
    kept = Client().get("/healthz", headers={"X-Request-ID": "lb-4f2a.7:1"})
    assert kept["X-Request-ID"] == "lb-4f2a.7:1"
    for insane in ("a" * 65, "<script>", "id with spaces", "ø"):
        replaced = Client().get("/healthz", headers={"X-Request-ID": insane})["X-Request-ID"]
        assert replaced != insane
        assert len(replaced) == 32


def test_every_log_line_of_a_request_carries_its_id(caplog, sara) -> None:
    caplog.handler.addFilter(request_id.RequestIdFilter())  # as the console handler has
    caplog.set_level(logging.WARNING, logger="django.request")
    client = Client()
    client.force_login(sara)
    response = client.get("/finnes-ikke/", headers={"X-Request-ID": "trace-77"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "trace-77"
    lines = [r for r in caplog.records if r.name == "django.request"]
    assert lines
    assert {r.request_id for r in lines} == {"trace-77"}
    logging.getLogger("husly.test").warning("outside a request")
    assert caplog.records[-1].request_id == "-"


def test_production_logs_are_one_json_object_a_line() -> None:
    from django.conf import settings
    from django.utils.module_loading import import_string

    config = settings.LOGGING["formatters"]["json"]
    formatter = import_string(config["()"])(
        fmt=config["fmt"], rename_fields=config["rename_fields"]
    )
    record = logging.LogRecord("husly.jobs", logging.INFO, __file__, 1, "job %s done", ("x",), None)
    with request_id.bound("job-12"):
        request_id.RequestIdFilter().filter(record)
    line = json.loads(formatter.format(record))
    assert line["message"] == "job x done"
    assert line["request_id"] == "job-12"
    assert line["level"] == "INFO"
    assert line["logger"] == "husly.jobs"
    assert "time" in line

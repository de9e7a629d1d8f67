"""Password login hardening: lockout, session timeouts, TOTP for staff, CSRF and CSP."""

from __future__ import annotations

import re
import time
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from husly.audit.models import ChangeEvent
from husly.security.middleware import LOGIN_AT, SEEN_AT
from tests.conftest import PASSWORD

TEMPLATES = Path(__file__).resolve().parents[2] / "husly" / "templates"


def _login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": username, "password": password})


def test_it_locks_a_username_after_repeated_failures(settings, sara) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _attempt in range(2):
        assert _login(client, "sara", "feil-passord").status_code == 200
    locked = _login(client, "sara", "feil-passord")
    assert locked.status_code == 429
    # Even the right password is refused while the lock lasts, from any client.
    assert _login(Client(), "sara", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_of_one_username_leaves_the_others_alone(settings, sara, geir) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _attempt in range(2):
        _login(client, "sara", "feil-passord")
    assert _login(client, "geir", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(settings, sara) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    _login(client, "sara", "feil-passord")
    _login(client, "sara", "feil-passord")
    assert _login(client, "sara", PASSWORD).status_code == 302
    client = Client()
    _login(client, "sara", "feil-passord")
    _login(client, "sara", "feil-passord")
    assert _login(client, "sara", PASSWORD).status_code == 302


def _age_session(client: Client, *, seen: int, login: int) -> None:
    session = client.session
    now = int(time.time())
    session[SEEN_AT] = now - seen
    session[LOGIN_AT] = now - login
    session.save()


def test_it_logs_out_after_the_idle_timeout(settings, sara) -> None:
    settings.HUSLY_SESSION_IDLE_SECONDS = 30 * 60
    client = Client()
    assert _login(client, "sara", PASSWORD).status_code == 302
    _age_session(client, seen=29 * 60, login=29 * 60)
    assert client.get("/").status_code == 200
    _age_session(client, seen=31 * 60, login=31 * 60)
    response = client.get("/personer/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(settings, sara) -> None:
    client = Client()
    _login(client, "sara", PASSWORD)
    _age_session(client, seen=20 * 60, login=50 * 60)
    assert client.get("/").status_code == 200
    assert client.session[SEEN_AT] >= int(time.time()) - 2


def test_it_logs_out_after_the_absolute_lifetime_despite_activity(settings, sara) -> None:
    settings.SESSION_COOKIE_AGE = 8 * 3600
    client = Client()
    _login(client, "sara", PASSWORD)
    _age_session(client, seen=60, login=8 * 3600 + 60)
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_must_enrol_and_use_a_second_factor_when_required(settings, sara) -> None:
    settings.HUSLY_REQUIRE_2FA = True
    client = Client()
    assert _login(client, "sara", PASSWORD).status_code == 302
    assert client.get("/personer/")["Location"] == reverse("security:otp_setup")
    assert client.get(reverse("security:otp_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=sara)
    wrong = client.post(reverse("security:otp_setup"), {"token": "000000"})
    assert wrong.status_code == 200
    device = TOTPDevice.objects.get(pk=device.pk)
    assert not device.confirmed
    device.throttle_reset()  # a wrong code delays the next try; the test does not wait
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("security:otp_setup"), {"token": code, "next": "/personer/"})
    assert response["Location"] == "/personer/"
    assert client.get("/personer/").status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert ChangeEvent.objects.filter(action="totp_device_confirm", actor=sara).exists()

    # The next login asks for a code, and an enrolled user cannot enrol a new device instead.
    client = Client()
    _login(client, "sara", PASSWORD)
    assert client.get("/")["Location"] == reverse("security:otp_verify")
    assert client.get(reverse("security:otp_setup"))["Location"] == reverse("security:otp_verify")
    device.refresh_from_db()
    device.last_t = -1  # the same time step may not be used twice; allow it for the test
    device.save()
    code = f"{totp(device.bin_key):06d}"
    assert client.post(reverse("security:otp_verify"), {"token": code})["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_second_factor_is_not_asked_in_development_by_default(settings, sara) -> None:
    assert settings.HUSLY_REQUIRE_2FA is False
    client = Client()
    _login(client, "sara", PASSWORD)
    assert client.get("/").status_code == 200


def test_a_staff_member_without_the_second_factor_can_still_log_out(settings, sara) -> None:
    settings.HUSLY_REQUIRE_2FA = True
    client = Client()
    _login(client, "sara", PASSWORD)
    assert client.post(reverse("logout"))["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_post_without_a_csrf_token_is_refused(sara, raelingen) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(sara)
    response = client.post(reverse("people:person_create"), {"given_name": "Ola"})
    assert response.status_code == 403
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(reverse("login"), {"username": "sara"}).status_code == 403


def test_every_page_sends_a_strict_content_security_policy(sara) -> None:
    client = Client()
    client.force_login(sara)
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert Client().get(reverse("login"))["Content-Security-Policy"] == policy


def test_no_template_has_inline_script_style_or_event_handlers() -> None:
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    inline_style = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+=", re.IGNORECASE)
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if path.name.endswith("_pdf.html") or "letters" in path.parts:
            continue  # rendered to PDF by WeasyPrint, never served to a browser
        text = path.read_text(encoding="utf-8")
        offenders.extend(
            f"{path.relative_to(TEMPLATES)}: {pattern.pattern}"
            for pattern in (inline_script, inline_style, handler)
            if pattern.search(text)
        )
    assert not offenders, offenders


def test_the_operator_resets_a_lost_authenticator_and_it_is_audited(settings, sara) -> None:
    from io import StringIO

    from django.core.management import call_command

    TOTPDevice.objects.create(user=sara, name="Husly", confirmed=True)
    out = StringIO()
    call_command("reset_two_factor", "sara", stdout=out)
    assert "Removed 1" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=sara).exists()
    assert ChangeEvent.objects.filter(action="totp_device_remove").count() == 1
    settings.HUSLY_REQUIRE_2FA = True
    client = Client()
    _login(client, "sara", PASSWORD)
    assert client.get("/")["Location"] == reverse("security:otp_setup")

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from husly.core.env import env_bool, env_int, env_str

ROOT = Path(__file__).resolve().parents[2]


def test_a_malformed_boolean_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUSLY_TEST_FLAG", "kanskje")
    with pytest.raises(ImproperlyConfigured, match="HUSLY_TEST_FLAG"):
        env_bool("HUSLY_TEST_FLAG", default=False)


def test_a_malformed_number_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUSLY_TEST_NUMBER", "tolv")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("HUSLY_TEST_NUMBER", default=1)


def test_a_required_value_fails_loudly_when_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUSLY_TEST_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="required"):
        env_str("HUSLY_TEST_REQUIRED")


def test_a_secret_is_read_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("HUSLY_TEST_SECRET_FILE", str(secret))
    assert env_str("HUSLY_TEST_SECRET") == "s3cret"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HUSLY_", "DJANGO_")) and k != "DATABASE_URL"
    }
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_check() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x" * 20 + "production-secret-key-with-enough-entropy-1234567890",
        DJANGO_ALLOWED_HOSTS="husly.kommune.no",
    )
    assert result.returncode == 0, result.stderr + result.stdout


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-1234567890",
    "DJANGO_ALLOWED_HOSTS": "husly.kommune.no",
}


def test_turning_off_two_factor_in_production_fails_the_deployment_check() -> None:
    result = _manage("check", "--deploy", HUSLY_REQUIRE_2FA="false", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "husly.E001" in result.stderr
    assert "HUSLY_REQUIRE_2FA" in result.stderr


def test_development_may_run_without_two_factor() -> None:
    result = _manage("check", HUSLY_ENV="development", HUSLY_REQUIRE_2FA="false")
    assert result.returncode == 0, result.stderr + result.stdout


def test_dev_manage_uses_the_production_settings_unless_told_otherwise() -> None:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HUSLY_", "DJANGO_")) and k != "DATABASE_URL"
    }
    script = "from django.conf import settings; print(settings.HUSLY_ENV, settings.DEBUG)"
    result = subprocess.run(  # noqa: S603 - our own dev script
        ["./dev", "manage", "shell", "-v", "0", "-c", script],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["production", "False"]
    development = subprocess.run(  # noqa: S603 - our own dev script
        ["./dev", "manage", "shell", "-v", "0", "-c", script],
        cwd=ROOT,
        env={**clean, "HUSLY_ENV": "development"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert development.stdout.split() == ["development", "True"], development.stderr

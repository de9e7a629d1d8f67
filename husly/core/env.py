"""Typed helpers that read settings from environment variables and fail loudly.

Modelled on the small parsers of healthchecks and saleor: a value that is present but
cannot be parsed is a configuration error at start-up, never a silent default.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable, or ``default``; without a default the variable is required.

    ``<NAME>_FILE`` (a path to a file holding the value, as with container secrets) wins.
    """
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            with open(file_path, encoding="utf-8") as handle:
                return handle.read().strip()
        except OSError as exc:
            msg = f"{name}_FILE points to {file_path!r}, which cannot be read: {exc}"
            raise ImproperlyConfigured(msg) from exc
    value = os.environ.get(name)
    if value is None:
        if default is None:
            msg = f"The environment variable {name} is required but not set."
            raise ImproperlyConfigured(msg)
        return default
    return value


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    msg = f"{name}={raw!r} is not a boolean; use true or false."
    raise ImproperlyConfigured(msg)


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        msg = f"{name}={raw!r} is not a whole number."
        raise ImproperlyConfigured(msg) from exc


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]

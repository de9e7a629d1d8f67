"""Nothing is kept in a server process between requests (issue #17, ADR 0023): sessions, the
cache, failed-login counts and stored files live in the database or the shared storage, and
the only in-process caches are of data shipped with Husly (files in the repository), the same
in every process. A new in-process cache fails this test until it is added here with the
reason it cannot differ between two servers (tests/ops/test_servers.py runs two)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2] / "husly"

# Every function cached in the process, and why two servers never disagree about it.
CACHED_IN_PROCESS = {
    "arrears/procedure.py:default_procedures": "procedures shipped as files",
    "policy/selectors.py:code_version": "digest of the source code",
    "rules/deadlines.py:_weekday_holidays": "public holidays, computed from the year",
    "rules/params.py:shipped_tree": "parameters of law shipped as YAML files",
    "rules/guidelines/loader.py:default_registry": "guidelines shipped as YAML files",
    "rules/municipalities.py:_register_for": "from the parameter tree (files)",
    "rules/housing_allowance.py:_parameters_for": "from the parameter tree (files)",
    "rules/start_loan.py:_start_loan_parameters": "from the parameter tree (files)",
    "rules/living_costs.py:_nav_for": "from the parameter tree (files)",
    "rules/living_costs.py:_sifo_for": "from the parameter tree (files)",
    "rules/validation.py:_names": "field labels in the code",
    "allocation/templatetags/husly_allocation.py:_texts_for": "sentences from the .mo files",
    "allocation/templatetags/husly_allocation.py:_num_in": "numbers written by the locale files",
    "allocation/views.py:_one_decimal": "numbers written by the locale files, one decimal",
    "allocation/views.py:_days": "counts of days in words from the .mo files",
    "allocation/templatetags/husly_allocation.py:_persons_in": "persons in words (.mo files)",
    "allocation/templatetags/husly_allocation.py:_bedrooms_in": "bedrooms in words (.mo files)",
    "allocation/templatetags/husly_allocation.py:_rooms_in": "rooms in words from the .mo files",
    "cases/selectors.py:_case_page_parts": "query expressions built from the code, no data",
}
CACHE_DECORATORS = {"lru_cache", "cache"}


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _cached_functions() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                _decorator_name(d) in CACHE_DECORATORS for d in node.decorator_list
            ):
                found.add(f"{path.relative_to(ROOT).as_posix()}:{node.name}")
    return found


def test_the_only_in_process_caches_hold_what_every_process_reads_from_its_own_files() -> None:
    assert _cached_functions() == set(CACHED_IN_PROCESS)


def test_sessions_cache_and_failed_logins_are_in_the_database() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert {c["BACKEND"] for c in settings.CACHES.values()} == {
        "django.core.cache.backends.db.DatabaseCache"
    }
    handler = getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler")
    assert handler == "axes.handlers.database.AxesDatabaseHandler"


def test_media_go_to_an_s3_bucket_when_the_admin_guide_says_so() -> None:
    """The variables the admin guide names put the stored files in an S3-compatible bucket
    through django-storages (the bucket itself is not reached here: no S3 store in the tests)."""
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "husly.settings",
        "HUSLY_ENV": "development",
        "HUSLY_MEDIA_S3_BUCKET": "husly-media",
        "HUSLY_MEDIA_S3_ENDPOINT": "https://s3.example.kommune.no",
        "HUSLY_MEDIA_S3_REGION": "no-oslo-1",
    }
    result = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "husly-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.kommune.no"
    assert storage["OPTIONS"]["region_name"] == "no-oslo-1"
    assert storage["OPTIONS"]["file_overwrite"] is False  # stored names are never reused
    guide = (ROOT.parent / "docs" / "admin-guide.md").read_text(encoding="utf-8")
    for name in ("HUSLY_MEDIA_S3_BUCKET", "HUSLY_MEDIA_S3_ENDPOINT", "HUSLY_MEDIA_S3_REGION"):
        assert name in guide

"""gunicorn's settings (gunicorn.conf.py): read by gunicorn started from the project folder, as
the admin guide's service and the web bench start it, and setting aside what a worker has
loaded from the garbage collector's full passes, once loaded and once warm."""

from __future__ import annotations

import gc
import runpy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


@pytest.fixture
def conf() -> Iterator[dict[str, Any]]:
    yield runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    gc.unfreeze()


def test_gunicorn_started_in_the_project_folder_runs_huslys_hooks() -> None:
    printed = subprocess.run(  # noqa: S603 - the project's own gunicorn
        [str(GUNICORN), "--print-config", "husly.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    hooks = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in printed.splitlines())
    }
    # gunicorn's own (empty) hooks print as <PostWorkerInit.post_worker_init()>.
    assert hooks["post_worker_init"] == "<post_worker_init()>"
    assert hooks["post_request"] == "<post_request()>"


def test_a_worker_sets_aside_what_it_holds_once_loaded(conf: dict[str, Any]) -> None:
    gc.unfreeze()
    conf["post_worker_init"](SimpleNamespace(nr=0))
    assert gc.get_freeze_count() > 0


def test_and_once_more_when_warm_not_before_nor_after(conf: dict[str, Any]) -> None:
    warm = conf["WARM_REQUESTS"]
    gc.unfreeze()
    for nr in (1, warm - 1):
        conf["post_request"](SimpleNamespace(nr=nr), None, {}, None)
        assert gc.get_freeze_count() == 0
    conf["post_request"](SimpleNamespace(nr=warm), None, {}, None)
    assert gc.get_freeze_count() > 0
    gc.unfreeze()
    conf["post_request"](SimpleNamespace(nr=warm + 1), None, {}, None)
    assert gc.get_freeze_count() == 0

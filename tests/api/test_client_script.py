"""The client script in docs/api.md runs against a live server and prints the vacant dwellings
of its token's municipality (and none of another's)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from husly.api import actions
from husly.api.models import Scope
from husly.housing.models import Dwelling
from tests.allocation.helpers import make_dwelling

pytestmark = pytest.mark.django_db(transaction=True)

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _script() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- client-script -->\n```python\n(.*?)```", text, re.DOTALL)
    assert match, "docs/api.md has no client script"
    return match.group(1)


def test_the_documented_client_script_reads_vacant_dwellings(
    raelingen, lorenskog, eirik, arne, live_server, tmp_path
) -> None:
    vacant = [make_dwelling(raelingen, eirik, address="Storgata 3") for _ in range(3)]
    Dwelling.objects.filter(pk=vacant[2].pk).update(status="occupied")
    _client, token = actions.api_client_register(
        actor=arne, municipality=raelingen, name="Boligportal", scopes=[Scope.DWELLINGS]
    )
    script = tmp_path / "vacant.py"
    script.write_text(_script(), encoding="utf-8")
    env = {**os.environ, "HUSLY_URL": live_server.url, "HUSLY_TOKEN": token}
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert all("Storgata 3" in line for line in lines)
    assert {vacant[0].number, vacant[1].number} == {line.split()[3] for line in lines}
    bad = subprocess.run(  # noqa: S603
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env={**env, "HUSLY_TOKEN": "husly_wrong"},
        timeout=60,
        check=False,
    )
    assert bad.returncode != 0 and "401" in bad.stderr

"""The ``dev`` script on a fresh machine: its functions run in bash from a copy of the script.

A copy placed in another folder behaves as a fresh checkout there (the script finds its root
from its own path), so these tests try the set-up steps without touching this checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BARE_PATH = "/usr/bin:/bin"  # what a fresh Debian machine has: no uv, no user tools
RUNUSER = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin")


def _copy_dev(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "dev", folder / "dev")
    return folder / "dev"


def _bash(script: str, *, dev: Path, env: dict[str, str] | None = None, user: str | None = None):
    command = ["bash", "-c", f"set -euo pipefail; source '{dev}'; {script}"]
    if user:
        command = [RUNUSER or "runuser", "-u", user, "--", *command]
    return subprocess.run(  # noqa: S603 - our own script
        command,
        env={"PATH": BARE_PATH, "HOME": str(dev.parent), "LANG": "C.UTF-8", **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def private_dir(tmp_path: Path) -> Path:
    """A folder like a root user's home: nobody else may enter it."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    tmp_path.chmod(0o700)
    return folder


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="husly-devtest-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(shutil.which("python3", path=BARE_PATH) is None, reason="no system python3")
def test_uv_is_installed_into_the_checkout_when_missing(private_dir: Path) -> None:
    dev = _copy_dev(private_dir)
    result = _bash('ensure_uv; echo "UV=$UV"; "$UV" --version', dev=dev)
    assert result.returncode == 0, result.stderr
    assert f"UV={private_dir}/.tools/uv/bin/uv" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("uv ")
    assert "uv is missing: installing it" in result.stderr
    again = _bash('ensure_uv; echo "UV=$UV"', dev=dev)  # found the second time, not reinstalled
    assert again.returncode == 0, again.stderr
    assert f"UV={private_dir}/.tools/uv/bin/uv" in again.stdout
    assert "installing" not in again.stderr


def _pg_installed() -> bool:
    return any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")) or bool(shutil.which("pg_ctl"))


@pytest.mark.skipif(not _pg_installed(), reason="PostgreSQL server binaries are not installed")
def test_the_throwaway_database_runs_when_the_checkout_is_private(private_dir: Path) -> None:
    dev = _copy_dev(private_dir)
    result = _bash(
        'pg_start; echo "TMP=$PG_TMP"; '
        '"$(pg_bin)/psql" "$DATABASE_URL" -tAc "select 6 * 7"; '
        'folder="$PG_TMP"; pg_stop; [ ! -e "$folder" ] && echo removed',
        dev=dev,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    lines = result.stdout.split()
    assert "42" in lines
    assert "removed" in lines
    assert not (private_dir / "var").exists()


@pytest.mark.skipif(not _pg_installed(), reason="PostgreSQL server binaries are not installed")
def test_a_failed_run_still_stops_its_database(private_dir: Path) -> None:
    dev = _copy_dev(private_dir)
    result = _bash('pg_start; echo "TMP=$PG_TMP"; false; exit 1', dev=dev)
    assert result.returncode == 1
    folder = Path(result.stdout.split("TMP=")[1].split()[0])
    assert folder.name.startswith("husly-pg.")
    assert not folder.exists(), "the cluster of a failed run was left running"


@pytest.mark.skipif(os.getuid() != 0 or not RUNUSER, reason="needs root and runuser")
def test_another_user_is_told_the_one_command_to_install_what_is_missing(
    shared_dir: Path,
) -> None:
    dev = _copy_dev(shared_dir)
    result = _bash(
        "ensure_packages chromium gettext",
        dev=dev,
        env={"CHROMIUM": "/nonexistent/chromium"},
        user="nobody",
    )
    assert result.returncode == 1
    assert "chromium missing. Install with: sudo apt-get install chromium" in result.stderr


@pytest.mark.skipif(os.getuid() != 0, reason="needs root")
def test_root_installs_what_is_missing_with_apt_get(shared_dir: Path) -> None:
    # apt-get itself is replaced by a recorder: a test must not install system packages.
    bin_dir = shared_dir / "bin"
    bin_dir.mkdir()
    log = shared_dir / "apt.log"
    recorder = bin_dir / "apt-get"
    recorder.write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    recorder.chmod(0o755)
    dev = _copy_dev(shared_dir / "checkout")
    result = _bash(
        "ensure_packages chromium postgresql",
        dev=dev,
        env={"CHROMIUM": "/nonexistent/chromium", "PATH": f"{bin_dir}:{BARE_PATH}"},
    )
    calls = log.read_text().splitlines()
    assert calls[0] == "update -qq"
    installed = calls[1].split()
    assert installed[:4] == ["install", "-y", "-qq", "--no-install-recommends"]
    assert "chromium" in installed[4:]
    assert "Installing chromium" in result.stderr
    # The recorder installs nothing, so the script says so instead of going on.
    assert result.returncode == 1
    assert "still missing after apt-get install" in result.stderr


def test_ci_only_runs_the_readme_test_command() -> None:
    lines = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "exec ./dev test"]


def test_the_demo_is_built_again_when_its_seeding_code_or_migrations_change(
    tmp_path: Path,
) -> None:
    """`./dev demo` reuses its data only while what built it is unchanged: a new demo user
    added in a pull must not be printed as a login that does not exist."""
    dev = _copy_dev(tmp_path / "checkout")
    tree = dev.parent / "husly"
    for path, text in {
        "demo/builder.py": "USERS = ['sara']\n",
        "rent/demo.py": "RENT = 1\n",
        "rent/migrations/0001_initial.py": "OPS = []\n",
        "rent/views.py": "VIEW = 1\n",
    }.items():
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        (tree / path).write_text(text)

    def fingerprint() -> str:
        done = _bash("demo_fingerprint", dev=dev)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    first = fingerprint()
    assert len(first) == 40 and fingerprint() == first
    (tree / "rent/views.py").write_text("VIEW = 2\n")  # not what the demo is built from
    assert fingerprint() == first
    for changed in ("demo/builder.py", "rent/demo.py", "rent/migrations/0001_initial.py"):
        before = fingerprint()
        (tree / changed).write_text((tree / changed).read_text() + "# changed\n")
        assert fingerprint() != before, changed
    sqlite = dev.parent / "var" / "husly.sqlite3"
    sqlite.parent.mkdir()
    sqlite.write_text("old demo")
    assert _bash("demo_db_reset", dev=dev).returncode == 0
    assert not sqlite.exists()
    mine = _bash("demo_db_reset", dev=dev, env={"DATABASE_URL": "postgres://me@/mine"})
    assert mine.returncode != 0  # a database the user named is never emptied

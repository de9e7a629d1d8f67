"""A throwaway PostgreSQL cluster from the installed server binaries, like ``./dev``'s pg_start:
data and socket in a temporary folder, run as the ``postgres`` system user when we are root
(the server refuses to run as root). Used by the restore test (a fresh cluster to restore into)
and by ``./dev bench audit``. Not used by the application itself."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def pg_bin() -> Path:
    """The folder of the PostgreSQL binaries (newest installed version first), as ./dev finds it."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(os.path.join(folder, "pg_ctl"), os.X_OK):
            return Path(folder)
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    msg = "PostgreSQL binaries are missing (apt-get install postgresql)"
    raise FileNotFoundError(msg)


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{a}'" for a in args)]
    return args


class Cluster:
    """``with Cluster() as cluster: cluster.url("name")`` gives a database URL on a fresh server."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="husly-pg-"))
        self.data = self.folder / "data"

    def __enter__(self) -> Cluster:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        initdb = [str(pg_bin() / "initdb"), "-D", str(self.data), "-U", "husly", "-A", "trust"]
        initdb += ["--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]
        _run(initdb)
        options = f"-k {self.folder} -c listen_addresses= -c fsync=off -c max_connections=50"
        log = str(self.folder / "server.log")
        _run(
            [
                str(pg_bin() / "pg_ctl"),
                "-D",
                str(self.data),
                "-w",
                "-l",
                log,
                "-o",
                options,
                "start",
            ]
        )
        return self

    def createdb(self, name: str) -> str:
        subprocess.run(  # noqa: S603
            [str(pg_bin() / "createdb"), "-h", str(self.folder), "-U", "husly", name], check=True
        )
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgres://husly@/{name}?host={self.folder}"

    def __exit__(self, *exc: object) -> None:
        _run(
            [str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"], check=False
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(args: list[str], *, check: bool = True) -> None:
    subprocess.run(  # noqa: S603 - the server's own binaries on our own folder
        _as_server_user(args), check=check, cwd="/", stdout=subprocess.DEVNULL
    )

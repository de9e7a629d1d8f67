"""Real application server processes on the test database (ADR 0023): ``runserver --noreload``
in a child process, pointed at the test run's PostgreSQL database and a media folder, and HTTP
sessions for the test's users (the session row is in the database, so any server knows it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url() -> str:
    params = connection.get_connection_params()
    return f"postgres://{params['user']}@/{params['dbname']}?host={params['host']}"


class Server:
    def __init__(self, media: Path, log: Path, *, wait: bool = True) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "HUSLY_MEDIA_ROOT": str(media),
            "HUSLY_ENV": "development",
            "DJANGO_SETTINGS_MODULE": "husly.settings",
        }
        self.log = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - our own manage.py
            [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
                "--skip-checks",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.log_path = log
        if wait:
            self.ready()

    def ready(self) -> None:
        """Wait until the server answers (start it early with ``wait=False`` and do other work
        meanwhile: it reads the database only when asked)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/", timeout=5)
                return
            except requests.ConnectionError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        msg = f"the server did not start: {self.log_path.read_text()}"
        raise RuntimeError(msg)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.log.close()


def session(server: Server, user: Any, page: str) -> requests.Session:
    """A real HTTP session for ``user`` (logged in through the database's session table), with
    its CSRF cookie from ``page`` and Norwegian as its language."""
    client = Client()
    client.force_login(user)
    http = requests.Session()
    http.headers["Accept-Language"] = "nb"
    http.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    http.get(server.url + page, timeout=30).raise_for_status()
    return http


def csrf(http: requests.Session) -> str:
    return str(http.cookies[settings.CSRF_COOKIE_NAME])

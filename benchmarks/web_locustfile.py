"""The load of ``benchmarks.web``: demo staff who log in and click through the main pages.

Read by ``locust -f``; the plan (who clicks which pages) comes from the JSON file named by
``HUSLY_BENCH_PLAN``, written by ``benchmarks.web --plan``. Each simulated user logs in once as
the demo login of its role, then opens one page of its role's mix every ``HUSLY_BENCH_PACING``
seconds (constant pacing: the click rate does not drop when the server slows down, so a slow
server shows as long response times, not as a lower load).

The server runs with production settings behind no proxy: the client sends
``X-Forwarded-Proto: https`` as the reverse proxy does in production (SECURE_PROXY_SSL_HEADER),
and carries the ``__Host-`` cookies itself, since a cookie jar does not send Secure cookies over
plain HTTP on loopback.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import Any

from locust import HttpUser, constant_pacing, task

PLAN: dict[str, Any] = json.loads(open(os.environ["HUSLY_BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115
PACING = float(os.environ.get("HUSLY_BENCH_PACING", "2"))
_ROLES = itertools.cycle(PLAN["roles"])
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Staff(HttpUser):
    wait_time = constant_pacing(PACING)

    def on_start(self) -> None:
        self.role = next(_ROLES)
        self.rng = random.Random(hash(self.role["username"]) ^ id(self))  # noqa: S311
        self.cookies: dict[str, str] = {}
        self.origin = self.host.rstrip("/").replace("http://", "https://", 1)
        page = self._get("/logg-inn/", name="login")
        token = CSRF_INPUT.search(page.text)
        if token is None:
            raise RuntimeError("login page without CSRF token")
        self._post(
            "/logg-inn/",
            {
                "username": self.role["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1),
            },
            name="login",
        )

    def _headers(self, referer: str = "") -> dict[str, str]:
        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if referer:
            headers["Referer"] = referer
        return headers

    def _keep_cookies(self, response: Any) -> None:
        for header in response.raw.headers.getlist("Set-Cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value

    def _get(self, path: str, *, name: str) -> Any:
        with self.client.get(
            path, headers=self._headers(), name=name, allow_redirects=False, catch_response=True
        ) as response:
            self._keep_cookies(response)
            if response.status_code != HTTPStatus.OK:
                response.failure(f"HTTP {response.status_code} for {path}")
            return response

    def _post(self, path: str, data: dict[str, str], *, name: str) -> Any:
        with self.client.post(
            path,
            data=data,
            headers=self._headers(referer=f"{self.origin}{path}"),
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._keep_cookies(response)
            if response.status_code != HTTPStatus.FOUND:
                response.failure(f"login gave HTTP {response.status_code}")
            return response

    @task
    def click(self) -> None:
        page = self.rng.choices(
            self.role["pages"], weights=[p["weight"] for p in self.role["pages"]]
        )[0]
        self._get(self.rng.choice(page["paths"]), name=page["name"])
